"""A reboost short of the band's top when the propellant for the whole one is not aboard.

The autonomy's reboost at the band floor goes to the band's top
(:meth:`rossim.ops.autonomy.Autonomy.check_reboost`). When that burn is refused for
propellant it used to be all or nothing: campaign run 45 of 2b1dda6 (docs/campaign-history.md)
left safe mode under its floor with less above the de-orbit reserve than the whole reboost
needed, and sank to 371 km before the next Progress with that propellant aboard. Operators size a reboost to the propellant they have (the ISS's
are planned burn by burn to the altitude the propellant and the phasing allow); here:

* the propellant the burn may use is the docked Progress reserves at a port along the flight
  axis (:func:`rossim.ops.propellant_sources.reboost_reserves`) and the station's tanks above
  the de-orbit reserve less what the other uses (attitude control, debris avoidance, leaks)
  need until the next ship that brings propellant docks: the planner's forecast of them
  (:meth:`rossim.ops.propellant_outlook.PropellantOutlook.other_use_kg`, with
  ``logistics.propellant_forecast_margin``, and a safe mode in force until its repairs),
  never less than ``logistics.propellant_reserve_kg`` (the reserve the monthly re-check keeps
  above the de-orbit reserve for them);
* the burn is the delta-v those kilograms give in order (:func:`rossim.ops.propellant_sources.
  sources_dv_m_s`, Tsiolkovsky at each source's Isp; the sources of every reboost:
  :func:`~rossim.ops.propellant_sources.reboost_sources`) and the target the altitude that delta-v
  reaches (Hohmann); it flies only when it raises the station at least
  ``autonomy.partial_reboost_min_km`` (a smaller burn is not worth planning);
* the ship that docks next with propellant retries the reboost to the band's top when the
  partial one left the station under the floor (the autonomy keeps the wait open, with a
  warning alarm that the station stays under its floor: the episode's refusal, which a
  re-entry's cause names).

Pure arithmetic on the run's state at the refusal (no random draw).
"""

from __future__ import annotations

from dataclasses import dataclass

from rossim.constants import R_EQ_M
from rossim.ops.orbit_keeping import a_after_dv
from rossim.ops.propellant_sources import reboost_sources, sources_dv_m_s

__all__ = ["PartialReboost", "partial_reboost"]


@dataclass(frozen=True)
class PartialReboost:
    """A reboost the propellant aboard allows: ``dv_m_s`` (m/s) to ``target_km`` (km, mean
    altitude), ``kept_kg`` (kg) left above the de-orbit reserve for the other uses until
    ``until`` (text: the next ship with propellant, or the run's end)."""

    dv_m_s: float
    target_km: float
    kept_kg: float
    until: str


def _keep_kg(sim) -> tuple[float, str]:
    """The kilograms the station's tanks keep above the de-orbit reserve for the other uses
    until the next ship with propellant, and that ship (text)."""
    lg = getattr(sim.systems, "logistics", None)
    floor = lg.propellant_reserve_kg.value if lg is not None else 0.0
    co = getattr(sim, "cargo_callup", None)
    if getattr(co, "outlook", None) is None:    # an orbit-only run, call-ups off: no
        return floor, "the next ship with propellant"   # forecast of the plan
    from rossim.ops.propellant_topup import inflows

    eng = sim.engine
    now = eng.now_s
    nxt = co.next_arrival(propellant=True)
    until_s, what = (nxt[0], nxt[1]) if nxt is not None else (eng.t_end_s, "the run's end")
    first = inflows(co, now, until_s)       # a climber's leftover, a topped-up Progress
    if first:
        until_s, what = int(first[0][0]), first[0][2]
    other = co.outlook.other_use_kg(now, until_s)     # margin included; a safe mode in force
    return max(floor, other), f"{what} on {sim.iso(int(until_s))[:10]}"


def partial_reboost(sim) -> PartialReboost | None:
    """The reboost short of the band's top the propellant aboard allows now (module
    docstring), or None when it would raise the station less than
    ``autonomy.partial_reboost_min_km``."""
    orbit = sim.orbit
    mass = sim.station_mass.mass_kg()
    if mass <= 0.0:
        return None
    keep, until = _keep_kg(sim)
    station = max(orbit.tank_kg - orbit.reserve_kg - keep, 0.0)
    # every source emptied in order; shrunk for rounding: the burn stays inside its sources
    dv = sources_dv_m_s(mass, reboost_sources(sim, orbit, station)) * (1.0 - 1e-9)
    if dv <= 0.0:
        return None
    target_km = (a_after_dv(orbit.a, dv) - R_EQ_M) / 1e3
    if target_km - orbit.altitude_m / 1e3 < sim.systems.autonomy.partial_reboost_min_km.value:
        return None
    return PartialReboost(dv, target_km, max(orbit.tank_kg - orbit.reserve_kg, 0.0) - station,
                          until)
