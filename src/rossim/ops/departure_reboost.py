"""A departing Progress burns its reboost reserve for the station before it leaves.

A docked Progress keeps part of its own propellant for reboosts (``propulsion.
progress_reboost_kg``, 500 kg, estimate); the Russian segment raises the ISS with a docked
Progress's engines and propellant, planned and uplinked by mission control, from Zvezda's aft
port on the long axis (``progress-reboost``). In the run the
reserve paid only the reboosts that fell at the band floor while the ship was there: in the
reference run 3.2 t of the 5 t the Progress ships brought left unburned with them, while the
station's own tanks paid the next reboost.

The ground now plans one reboost per departing Progress: ``propulsion.no_burn_window_h`` plus
:data:`LEAD_S` before its undocking in the plan, a raise toward the top of the altitude band
with what the reserves hold (:func:`rossim.ops.propellant_sources.reserves_by_departure`: the
departing ship's first), never above the top. Not flown (an event says why): in safe mode, in
free drift, in a free-flyer keep-out hold, while a host station (the ISS) keeps the orbit,
inside another docking's no-burn window, with less
than :data:`MIN_KG` left, or with the station within :data:`TOP_MARGIN_M` of the top (event
``departure-reboost``); a flown one is a ``reboost`` by the ``ground``. A
departure the plan moves is followed (the burn is re-timed); a ship that left already is
ignored. Only a ship docked at a port along the flight axis reboosts
(:func:`rossim.ops.propellant_sources.at_reboost_port`): one at a radial port plans no burn
(nor after a relocation to one). ``[operations] departure_reboost = false`` turns it off. No
random draw.
"""

from __future__ import annotations

from rossim.ops import free_drift
from rossim.ops.propellant_sources import at_reboost_port

__all__ = ["follow", "schedule"]

#: Hours before the no-burn window of the undocking at which the burn is planned (s).
LEAD_S = 3600
#: Reserve (kg) below which no departure burn is planned.
MIN_KG = 50.0
#: A station within this of the band's top (m) is not raised.
TOP_MARGIN_M = 500.0


def _undock_s(sim, name: str) -> int | None:
    from rossim.ops.propellant_sources import next_undocks

    t = next_undocks(sim.timeline.events, sim.now).get(name)
    return None if t is None else sim.engine.seconds(t)


def schedule(sim, name: str, vehicle) -> None:
    """At the docking of ``name`` (catalog ``vehicle``): plan its departure burn."""
    if (not vehicle.id.startswith("progress") or getattr(sim, "orbit", None) is None
            or not sim.scenario.operations.departure_reboost):
        return
    if not at_reboost_port(sim, name, sim.timeline.at(sim.now)):
        return                                   # a radial port: its engines cannot reboost
    _plan(sim, name)


def follow(sim, name: str) -> None:
    """A docked Progress now under ``name`` (a relocation renames it ``"X @port"``): its
    departure burn planned under that name (the one planned under the old name finds no
    reserve and does nothing)."""
    if sim.scenario.operations.departure_reboost and name in sim.orbit.reserves:
        _plan(sim, name)


def _plan(sim, name: str) -> None:
    eng = sim.engine
    leave = _undock_s(sim, name)
    if leave is None:
        return
    at = leave - sim.autonomy.no_burn_s - LEAD_S
    if at <= eng.now_s:
        return
    eng.schedule(at, lambda e: _fire(sim, name), f"departure reboost ({name})")


def _fire(sim, name: str) -> None:
    from rossim.ops.commands import Reboost
    from rossim.station.launch import hohmann_dv
    from rossim.systems.propulsion import dv_for_propellant

    eng, orbit = sim.engine, sim.orbit
    if name not in orbit.reserves or not at_reboost_port(sim, name):
        return                                   # it left already, or moved to a radial port
    leave = _undock_s(sim, name)
    if leave is None or leave <= eng.now_s:
        return
    if leave - eng.now_s > sim.autonomy.no_burn_s + LEAD_S + eng.step_s:
        _plan(sim, name)                         # the plan moved its departure: re-timed
        return
    kg = float(orbit.reserves[name])
    h, top = orbit.altitude_m, orbit.high_m
    why = None
    if orbit._host(sim):   # the host would pay the burn and the reserve leave whole
        why = "the host station keeps the orbit (its own reboosts)"
    elif kg < MIN_KG:
        why = f"{kg:.0f} kg left in its reserve"
    elif top - h < TOP_MARGIN_M:
        why = f"station at {h / 1e3:.1f} km, the band's top is {top / 1e3:.1f} km"
    elif sim.state.safe_mode:
        why = "station in safe mode"
    elif free_drift.drifting(sim):
        why = free_drift.REASON
    elif sim.autonomy._no_burn_until(eng.now_s) is not None:
        why = "inside another docking's no-burn window"
    else:
        ko = getattr(sim, "keepout", None)
        hold = ko.reboost_hold_until(eng.now_s) if ko is not None else None
        if hold is not None:
            why = hold[1]
    if why is None:
        mass = sim.station_mass.mass_kg()   # flown (rossim.ops.station_mass)
        dv = min(float(dv_for_propellant(mass, kg, orbit.prop.progress_isp_s.value)),
                 float(hohmann_dv(h / 1e3, top / 1e3)))
        res = sim.command(Reboost(delta_v_m_s=dv, source="ground"))
        if res.accepted:
            return
        why = res.reason
    sim.event("departure-reboost", "orbit", f"no departure reboost with {name}'s reserve: {why}",
              "info", source="ground")
