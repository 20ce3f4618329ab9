"""A planned docking moved later, its lift-off and departure kept (:func:`dock_later`).

Two run-time decisions dock a ship of the plan later than the plan says: a crew docking by
hand to a drifting station after a longer profile (:mod:`rossim.ops.drift_crew`), and an
approach re-timed by whole orbits around a free-flyer in its way
(:mod:`rossim.ops.approach_retime`). Both are one plan edit, replayed by
:func:`rossim.station.build_timeline` (every check of a scenario applies):

* the visit stays a launch of the plan (``manual_h``: hours from its lift-off to its docking):
  its lift-off is the one the planner gives it, at its launch window and its pad's turnaround
  against the plan's other launches (:mod:`rossim.station.pad_plan`), so a launch the planner
  slipped behind it keeps that slip; the longer approach is phasing in orbit;
* its departure keeps its planned date: the delay comes off its stay, it holds its port and
  berths for part of the time the plan gave it, and no visit after it moves (refused when the
  departure would come less than an hour after the new docking);
* a visit the run itself gave a lift-off (``flown``: a ship held on the ground and flown
  later, :mod:`rossim.ops.held_flight`) is moved itself, its real lift-off kept as
  :class:`~rossim.ops.commands.Dock` ``lift_off`` keeps one (the run keeps its pad's
  turnaround: :mod:`rossim.ops.pad_turnaround`).

The crew repairs booked from the old docking are the caller's to book again
(:func:`rossim.ops.repair_crew_tasks.rebook`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["dock_later"]

DAY_S = 86400


def dock_later(sim: Any, e: Any, new: dt.datetime, hours: float) -> tuple[Any, str]:
    """Edit ``sim``'s plan so that the ship of the plan's dock event ``e`` docks at ``new``
    (UTC), ``hours`` after its lift-off (module docstring), and fly the new plan from now.
    Returns ``(timeline, "")``, or ``(None, why)`` when the edit is refused."""
    name, lift = e.part, e.launch or sim.now
    dep = next((x.time for x in sim.timeline.events
                if x.part == name and x.kind == "undock"), None)
    if dep is not None and dep - new < dt.timedelta(hours=1):
        return None, f"its planned departure {dep:%Y-%m-%d %H:%M} leaves no stay"
    groups = sim._explicit_visits()
    hit = next(((g, i) for g, vs in groups.items() for i, v in enumerate(vs)
                if v.part_name == name), None)
    if hit is None:
        return None, "not a visit of the plan"
    manual, lift_offs = {**sim._manual_h, name: hours}, None
    if name in sim._flown:   # a visit the run gave a lift-off (ops.held_flight...): its
        g, i = hit           # launch is the lift-off, so it is moved itself
        v = groups[g][i]
        veh = sim.timeline.catalog.vehicles[e.catalog_id]
        stay = (dep or e.time + dt.timedelta(days=v.duration_days)) - new
        groups[g][i] = v.model_copy(update={
            "name": name, "launch": new - dt.timedelta(hours=veh.time_to_dock_h.value),
            "duration_days": stay.total_seconds() / DAY_S})
        manual, lift_offs = sim._manual_h, {**sim._lift_offs, name: lift}
    scen, tl, why = sim._rebuild_plan(groups, sim._flown, lift_offs, manual_h=manual)
    if tl is None:
        return None, why
    sim._install_plan(scen, tl, sim._flown, lift_offs, manual_h=manual)
    sim._schedule_plan_events(after_s=sim.engine.now_s)
    return tl, ""
