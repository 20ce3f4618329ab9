"""A ship of the plan held on the ground during a free drift flies when the drift ends
(:func:`fly`, called by :meth:`rossim.ops.drift_docking.DriftDocking.drift_ended`); one held
by its launcher's stand-down after a launch failure flies the same way when the stand-down
ends (:mod:`rossim.ops.launcher_stand_down`), keeping every stand-down of its launcher.

It lifts off at the first allowed in-plane window of its pad on or after the drift's end that
keeps the pad's turnaround from every lift-off from that pad the run knows of (the plan's
launches, the call-up ships, the ships held before it:
:func:`rossim.ops.callup_launch.window_lift_off`, :mod:`rossim.ops.pad_turnaround`), and
docks ``time_to_dock_h`` later with its own manifest and stay at its planned port, else a free
port that fits, else its port with the stay shortened to leave a day before the next ship
planned there (:meth:`~rossim.ops.drift_docking.DriftDocking._add`, a plan edit).

**Waiting for a port.** When no port takes it at that docking (campaign run 55 of ros-51.6:
the repair crew's Soyuz held the only port that fits, and left 8 days later) the ground holds
the launch: the ship lifts off at a later window, the first that docks on or after the next
undocking of the plan (a port frees), and so on, as long as its docking stays within
:data:`rossim.ops.cargo_callup.PORT_WAIT_DAYS` (30 days, the wait a cargo call-up ship is
given in orbit) of its first docking. The wait is on the ground, not in orbit: a ship that
has not lifted off uses none of its autonomous flight, and a Progress is held at the pad as
the ground holds any launch for a busy station (estimate: no precedent for this case). One
``drift-docking`` event names the wait and the ship that held the port. Past the limit, or
when the run ends first, it is "not flown" with the cause (the last refusal of the plan).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rossim.ops.callup_launch import window_lift_off
from rossim.ops.cargo_callup import PORT_WAIT_DAYS
from rossim.ops.launcher_stand_down import note as stand_down_note
from rossim.ops.pad_turnaround import note as pad_note

__all__ = ["fly"]

DAY_S = 86400


def _next_undock(sim: Any, after_s: int) -> tuple[int, Any] | None:
    """``(run second, event)`` of the plan's first undocking after run second ``after_s``."""
    eng = sim.engine
    ups = [(eng.seconds(e.time), e) for e in sim.timeline.events if e.kind == "undock"]
    return min(((t, e) for t, e in ups if t > after_s), default=None, key=lambda x: x[0])


def _port_left(sim: Any, e: Any) -> str:
    """The port undock event ``e`` frees (its visit may say ``auto``): the port its ship
    holds in the plan's phase before it."""
    held = [p for ph in sim.timeline.phases if ph.start < e.time
            for p, n in ph.occupancy.items() if n == e.part]
    return held[-1] if held else str(e.port)


def _not_flown(dd: Any, rec: dict[str, Any], cause: str, note: Any = None) -> None:
    """Record ``rec`` as not flown for ``cause``, with the plan's last refusal, and note it
    (``note``: the noting function, default ``dd._note``)."""
    rec["state"] = f"not flown: {cause}: {getattr(dd, 'last_refusal', 'plan refused')}"
    (note or dd._note)(rec, rec["state"], "warning")


def fly(dd: Any, name: str, rec: dict[str, Any], v: Any, *, note: Any = None,
        head: str = "drift over", after: str = "the drift",
        done: str = "flown after the drift") -> None:
    """Fly the withdrawn visit ``v`` (``name``, its record ``rec`` of ``dd``, a
    :class:`~rossim.ops.drift_docking.DriftDocking`) after the drift (module docstring):
    updates ``rec`` (``state``, ``lift_off``, ``docking``, ``window``; ``port_wait_days``
    when it waited for a port) and notes one event. A ship held by a launcher's stand-down
    flies the same way (:mod:`rossim.ops.launcher_stand_down`): ``note`` (``(rec, text,
    severity)``, default ``dd._note``), ``head``/``after`` (the event's words for what held
    it) and ``done`` (its ``state`` once flown). The lift-off keeps the stand-downs of the
    ship's launcher (:func:`rossim.ops.callup_launch.window_lift_off`)."""
    sim, eng = dd.sim, dd.sim.engine
    note = note or dd._note
    veh = sim.timeline.catalog.vehicles[v.vehicle]
    site = dd.pad(v)
    ttd = veh.time_to_dock_h.value
    grounded = dict(launcher=v.launcher or veh.launcher, crewed=v.crew > 0)
    slot = window_lift_off(sim, dd, site, eng.now_s, ttd, where="free_drift",
                           field="held ship", **grounded)
    if slot is None or slot[1] >= eng.t_end_s:
        rec["state"] = "not flown: " + ("no allowed launch window" if slot is None
                                        else "its docking would fall after the run")
        note(rec, rec["state"], "warning")
        return
    first = slot[1]
    limit = first + PORT_WAIT_DAYS * DAY_S
    freed = None   # the undocking whose port the ship waited for
    while True:
        launch_s, arrival, w = slot
        lift = sim.now + dt.timedelta(seconds=launch_s - eng.now_s)
        how = dd._add(v, name, lift, arrival)
        if how:
            break
        nxt = _next_undock(sim, arrival)
        if nxt is None or nxt[0] > limit:
            return _not_flown(dd, rec, f"no port took it within {PORT_WAIT_DAYS} days of its "
                              f"first docking {sim.iso(first)[:16]} (cargo_callup."
                              f"PORT_WAIT_DAYS)", note)
        freed = nxt[1]
        slot = window_lift_off(sim, dd, site, nxt[0] - int(ttd * 3600), ttd,
                               where="free_drift", field="held ship", **grounded)
        if slot is None or slot[1] > limit or slot[1] >= eng.t_end_s:
            return _not_flown(dd, rec, f"no launch window docking within {PORT_WAIT_DAYS} "
                              f"days of its first docking {sim.iso(first)[:16]} after "
                              f"{freed.part} leaves; no port took it before", note)
    window = arrival   # its window's docking; the plan's may be later: one docking or
    arrival = next((eng.seconds(e.time) for e in sim.timeline.events   # undocking at a time
                    if e.part == name and e.kind == "dock"), arrival)  # (station.traffic)
    rec.update(state=done, lift_off=sim.iso(launch_s),
               docking=sim.iso(arrival), window=w["kind"])
    waited = ""
    if window > first:
        after = f"{freed.part}'s undocking"
        rec["port_wait_days"] = round((window - first) / DAY_S, 2)
        waited = (f"; held on the ground {rec['port_wait_days']:g} days for a port: none "
                  f"that fits was free at its first docking {sim.iso(first)[:16]}, "
                  f"{freed.part} left {_port_left(sim, freed)} "
                  f"{sim.iso(eng.seconds(freed.time))[:16]}")
    note(rec, f"{head}: lifts off {sim.iso(launch_s)[:16]} from {site.name_en} "
         f"(first {w['kind']} window after {after}{pad_note(site, w)}{stand_down_note(w)}), "
         f"docks {sim.iso(arrival)[:16]}{how}{waited}")
