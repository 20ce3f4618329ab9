"""Which launcher, pad and launch mass a call-up cargo ship flies on
(:func:`choose_callup_launch`), checked against the launcher's capability for the station's
orbit before the call is made (:class:`rossim.ops.cargo_callup.CargoCallUp`).

A call-up ship is docked by a ground :class:`~rossim.ops.commands.Dock` command, a plan edit
that :func:`rossim.station.build_timeline` checks like every planned visit: a launch mass
above what the launcher puts into the insertion orbit is refused. Before this module the
call-up always flew the vehicle's catalog launcher and pad at the catalog launch mass (a
Progress MS, 7,300 kg, on a Soyuz-2.1a from Baikonur) whatever the plan flew: at 97 deg that
is 912 kg above the Soyuz-2.1a's 6,388 kg, so every docking was refused, twice a day for the
ship's 30 days of waiting for a port, and every call-up ended as "no free port".

The choice, in order (first that fits wins):

1. the launcher, pad and launch mass of the plan's own ships of that vehicle, latest first (a
   scenario that flies a lighter Progress on a Soyuz-2.1b from Vostochny to its polar orbit
   flies its call-up ships the same way);
2. the vehicle's catalog launcher from each of its pads (:func:`rossim.station.launch.
   launch_pads`) at the catalog launch mass;
3. the same candidates with the manifest trimmed to the capacity: dry cargo left on the
   ground, at most the vehicle's catalog ``dry_cargo_kg`` (the spares the call-up is for are
   packed first, :meth:`~rossim.ops.repairs.RepairsMixin.cargo_docked`).

When none fits the call-up is impossible: :class:`CallupLaunch` ``ok`` False with the
shortfall (kg) of the best candidate, which the call-up reports as one alarm.
Capacity: :func:`rossim.station.launch.payload_kg` to the insertion orbit (``raise_orbit``
False, the launcher's home pad as the published figure's reference), as the plan's check in
:func:`rossim.station.build_timeline`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

__all__ = ["CallupLaunch", "choose_callup_launch", "launch_refused", "window_lift_off"]


@dataclass(frozen=True)
class CallupLaunch:
    """The call-up ship's launch: ``launcher`` and ``site`` (catalog objects), ``mass_kg`` (its
    launch mass, kg), ``capacity_kg`` (what the launcher puts into the insertion orbit from
    that pad at the station's inclination), ``trimmed_kg`` (dry cargo left on the ground),
    ``origin`` (``plan`` or ``catalog``). ``ok`` False: no candidate fits, ``shortfall_kg``
    above the best capacity (the fields then describe that best candidate)."""

    launcher: Any
    site: Any
    mass_kg: float
    capacity_kg: float
    trimmed_kg: float = 0.0
    origin: str = "catalog"
    ok: bool = True
    shortfall_kg: float = 0.0

    def describe(self) -> str:
        """One line: launcher, pad, mass against the capacity."""
        s = (f"{self.launcher.name_en} from {self.site.name_en}: {self.mass_kg:.0f} kg launch "
             f"mass, capacity {self.capacity_kg:.0f} kg")
        if self.trimmed_kg > 0:
            s += f" ({self.trimmed_kg:.0f} kg of dry cargo left on the ground)"
        return s


def _candidates(scenario: Any, cat: Any, vehicle_id: str) -> list[tuple[str, str, float, str]]:
    """``(launcher id, site id, launch mass kg, origin)``, preferred first, no repeats."""
    from rossim.station.launch import launch_pads

    veh = cat.vehicles[vehicle_id]
    out: list[tuple[str, str, float, str]] = []
    seen: set[tuple[str, str, float]] = set()

    def add(lid: str, sid: str, mass: float, origin: str) -> None:
        if lid in cat.launchers and sid in cat.sites and (lid, sid, mass) not in seen:
            seen.add((lid, sid, mass))
            out.append((lid, sid, mass, origin))

    for _fld, v in reversed(scenario.visits):
        if v.vehicle != vehicle_id:
            continue
        lid = v.launcher or veh.launcher
        lv = cat.launchers.get(lid)
        if lv is None:
            continue
        add(lid, v.site or (veh.launch_site if lid == veh.launcher else None) or lv.site,
            float(v.mass_kg if v.mass_kg is not None else veh.mass_kg.value), "plan")
    lv = cat.launchers.get(veh.launcher)
    if lv is not None:
        pads = [veh.launch_site or lv.site] + [p for p in launch_pads(lv)
                                               if p != (veh.launch_site or lv.site)]
        for sid in pads:
            add(veh.launcher, sid, float(veh.mass_kg.value), "catalog")
    return out


def choose_callup_launch(scenario: Any, cat: Any, vehicle_id: str) -> CallupLaunch | None:
    """The launch of a call-up ship of ``vehicle_id`` to ``scenario``'s orbit (module
    notes); None when the vehicle has no launcher in the catalog."""
    from rossim.station.launch import payload_kg

    veh = cat.vehicles[vehicle_id]
    orbit = scenario.orbit
    rows = []
    for lid, sid, mass, origin in _candidates(scenario, cat, vehicle_id):
        lv, st = cat.launchers[lid], cat.sites[sid]
        cap = payload_kg(lv, st, orbit.altitude_km, orbit.inclination_deg,
                         raise_orbit=False, home=cat.sites[lv.site])
        rows.append((lv, st, mass, cap, origin))
    if not rows:
        return None
    for lv, st, mass, cap, origin in rows:  # as planned, full manifest
        if mass <= cap:
            return CallupLaunch(lv, st, mass, cap, origin=origin)
    sheddable = veh.dry_cargo_kg.value if getattr(veh, "dry_cargo_kg", None) else 0.0
    for lv, st, mass, cap, origin in rows:  # manifest trimmed to the capacity
        if mass - cap <= sheddable:
            return CallupLaunch(lv, st, cap, cap, trimmed_kg=mass - cap, origin=origin)
    lv, st, mass, cap, origin = max(rows, key=lambda r: r[3] - r[2])
    return CallupLaunch(lv, st, mass, cap, origin=origin, ok=False,
                        shortfall_kg=mass - sheddable - cap)


#: Days within which a further impossible call-up is the same alarm episode (as the call-up's
#: no-window alarm, rossim.ops.cargo_callup).
REFUSED_REPEAT_DAYS = 30


def launch_refused(sim: Any, launch: CallupLaunch, veh: Any, why: str, reason: str) -> None:
    """No call-up: no launcher or pad of the plan or the catalog carries ``veh`` (``launch``
    the best candidate, ``ok`` False). One ``cargo-callup`` event per call and one
    ``logistics`` warning alarm naming the launcher, pad and shortfall (kg); a further call
    within :data:`REFUSED_REPEAT_DAYS` counts as a repeat of that alarm. Returns None."""
    cause = (f"{veh.name_en} launch mass {launch.mass_kg:.0f} kg is above what the best "
             f"launcher and pad of the plan or catalog put into the insertion orbit at "
             f"{sim.scenario.orbit.inclination_deg:g} deg ({launch.launcher.name_en} from "
             f"{launch.site.name_en}: {launch.capacity_kg:.0f} kg, estimate), "
             f"{launch.shortfall_kg:.0f} kg short even with its dry cargo left on the ground; "
             f"{reason}")
    sim.event("cargo-callup", why, f"no call-up: {cause}", "warning", source="ground")
    sim.alarm("logistics", f"{why} call-up impossible: launcher capability", "warning", cause,
              key="callup-launcher-capability", repeat_after_s=REFUSED_REPEAT_DAYS * 86400)
    return None


def window_lift_off(sim: Any, holder: Any, site: Any, earliest_s: int, time_to_dock_h: float,
                    *, where: str, field: str, launcher: str | None = None,
                    crewed: bool = False, skip: frozenset[str] = frozenset()
                    ) -> tuple[int, int, dict] | None:
    """``(lift-off, docking, window)`` of a call-up ship that may lift off at run second
    ``earliest_s`` at the earliest: the first allowed in-plane window (a
    :func:`rossim.station.windows.launch_windows` row) of ``site`` on or after it, on the run's
    minute clock (:func:`~rossim.station.windows.clock_minute`), that keeps the pad's
    turnaround (``pad_turnaround_days``) from every lift-off from it the run knows of (a
    window too close to one moves to the first on or after that lift-off plus the turnaround:
    :func:`rossim.ops.pad_turnaround.clear_of`) and every stand-down of catalog launcher
    ``launcher`` (a ``crewed`` launch or not: a window in one moves to the first on or after
    its end, :func:`rossim.ops.launcher_stand_down.clear_of`; None: not checked; ``skip``: the
    ships whose lift-offs are left out, a planned crew flown early its own), and the
    docking ``time_to_dock_h`` (hours) later on the engine's step grid (run seconds). The
    window row carries ``after_pad``: the ship whose lift-off moved it, else None, and
    ``after_stand_down`` (the stand-down that moved it) when one did. ``holder`` keeps the window finder in its
    ``windows`` attribute (made at the first call: the station's plane of each day, as for a
    planned ship). None when the pad's corridor allows no window within
    :data:`~rossim.station.windows.WINDOW_SEARCH_DAYS` of the time searched from (``where``/
    ``field`` name the parameter whose lead it was in the finder's error). Shared by the
    cargo and the repair-crew call-up and the ships held during a free drift
    (:mod:`rossim.ops.cargo_callup`, :mod:`rossim.ops.crew_callup`,
    :mod:`rossim.ops.drift_docking`)."""
    from rossim.errors import InputError
    from rossim.ops import launcher_stand_down as stand_down
    from rossim.ops.engine import to_datetime
    from rossim.ops.pad_turnaround import clear_of
    from rossim.station.windows import PlaneModel, WindowFinder, clock_minute

    if holder.windows is None:
        holder.windows = WindowFinder(PlaneModel.from_scenario(sim.scenario))
    eng = sim.engine
    t_s, moved = clear_of(sim, site, earliest_s, skip)
    t_s, grounded = stand_down.clear_of(sim, launcher, crewed, t_s)  # hook: grounded launcher
    while True:
        try:
            w = holder.windows.first(site, to_datetime(eng.epoch(t_s)), where=where,
                                     field=field)
        except InputError:
            return None
        arrival = eng.seconds(clock_minute(w["time"]) + dt.timedelta(hours=time_to_dock_h))
        lift = arrival - int(time_to_dock_h * 3600)
        nxt, who = clear_of(sim, site, lift, skip)
        later, sd = stand_down.clear_of(sim, launcher, crewed, nxt)
        if later == lift:   # each try starts later than the last: the loop ends
            row = {**w, "after_pad": moved}
            return lift, arrival, row if grounded is None else {**row,
                                                                "after_stand_down": grounded}
        t_s = later
        moved = who
        grounded = sd if sd is not None else grounded
