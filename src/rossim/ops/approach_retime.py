"""A docking whose approach a free-flyer would cross is re-timed in the run.

:meth:`rossim.ops.keepout.KeepOut.docking` checks, at a docking, the last two orbits of the
approach: a satellite inside the approach ellipsoid or the corridor burns if it can, otherwise
an alarm asks to re-time the approach "by one orbit or more". This module makes that re-timing
happen: :class:`ApproachRetime` looks at each planned docking ``DECISION_S`` ahead (the
ground's go/no-go for the approach), predicts the satellites released in the last
``keep_out_track_days`` over the two orbits before the docking (the same
Clohessy-Wiltshire prediction and the same ellipsoid and corridor), lets those that can burn
burn now, and when one that cannot is still in the way, shifts the docking by the least whole
number of the station's orbits (up to ``MAX_ORBITS``) that clears the approach: a plan edit
(:func:`shift_visit`, :func:`rossim.ops.later_docking.dock_later`, replayed by
:func:`rossim.station.build_timeline`, every check of a scenario applies). The ship keeps its
lift-off and flies a longer phasing (as a fast rendezvous is switched to a longer profile): it
stays a launch of the plan, its lift-off at its window and its pad's turnaround against the
plan's other launches, so a launch slipped behind it keeps its slip; its departure keeps its
planned date (the shift comes off its stay: no visit after it moves). The crew repairs booked
from its old docking (a crew's first day aboard) are booked again from the new one
(:func:`rossim.ops.repair_crew_tasks.rebook`). Event ``docking-retimed`` with the satellites
and the shift, and one per repair booked again; when no shift up to ``MAX_ORBITS`` clears
it, or the plan edit is refused (its departure would leave no stay), the docking stays and the
keep-out alarm at the docking remains.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

__all__ = ["ApproachRetime", "shift_visit", "DECISION_S", "MAX_ORBITS"]

#: How long before a docking the approach is decided (s): one day (estimate: the ISS's
#: go/no-go for a Progress's rendezvous is given on the day of the launch; a two-orbit
#: approach starts about 3.3 h before docking).
DECISION_S = 86400
#: Longest re-timing tried, in orbits of the station (estimate: a day of phasing, as when a
#: fast rendezvous is switched to the two-day profile).
MAX_ORBITS = 16


def shift_visit(sim, name: str, shift_s: int) -> tuple[bool, str]:
    """Dock the visit ``name`` (not yet docked) ``shift_s`` seconds later than the plan now
    says, its lift-off and departure kept (module docstring;
    :func:`rossim.ops.later_docking.dock_later`), and book again the crew repairs its old
    docking held (:func:`rossim.ops.repair_crew_tasks.rebook`, one ``docking-retimed`` event
    each). Returns ``(done, why)``."""
    from rossim.ops.later_docking import dock_later
    from rossim.ops.repair_crew_tasks import rebook

    dock = next((e for e in sim.timeline.events if e.part == name and e.kind == "dock"
                 and not getattr(e, "relocation", False)), None)
    if dock is None:
        return False, f"no visit {name!r} in the plan"
    lift = dock.launch or sim.now
    new = dock.time + dt.timedelta(seconds=shift_s)
    tl, why = dock_later(sim, dock, new, (new - lift).total_seconds() / 3600.0)
    if tl is None:
        return False, why
    for line in rebook(sim):
        sim.event("docking-retimed", name, f"crew repair booked again from the re-timed "
                  f"docking: {line}", "info", source="scheduler")
    return True, "re-timed"


class ApproachRetime:
    """The re-timing of ``sim``'s dockings (see the module docstring); ``retimed`` lists
    each shift (visit, from, to, orbits, satellites)."""

    def __init__(self, sim) -> None:
        self.sim = sim
        self.retimed: list[dict] = []
        if not sim.scenario.free_flyers.deployments:
            return
        eng = sim.engine
        for e in sim.timeline.events:
            if e.part_kind == "vehicle" and e.kind == "dock" and not getattr(
                    e, "relocation", False):
                t_s = eng.seconds(e.time)
                if DECISION_S < t_s < eng.t_end_s:
                    eng.schedule(t_s - DECISION_S, lambda ev, n=e.part, t=t_s: self.check(n, t),
                                 "approach check")

    def blocked(self, t_dock_s: float) -> list[str]:
        """Satellites that cannot burn and are in the approach (ellipsoid or corridor) over
        the two orbits before a docking at ``t_dock_s``; those that can burn burn now."""
        from rossim.ops.keepout import CORRIDOR_RADIUS_M, corridor_distance_m

        ko = self.sim.keepout
        period = 2 * math.pi / ko.n
        t = t_dock_s - np.linspace(2 * period, 0.0, 25)
        recent, p = ko._positions(t)
        if not recent:
            return []
        bad = ko._inside(p).any(axis=0) | (corridor_distance_m(p) < CORRIDOR_RADIUS_M
                                           ).any(axis=0)
        return [s["name"] for s, b in zip(recent, bad, strict=True)
                if b and not ko._burn(s, f"in the approach corridor of a docking at "
                                         f"{self.sim.iso(int(t_dock_s))}")]

    def check(self, name: str, t_dock_s: int) -> None:
        """The go/no-go of the docking of ``name`` planned at ``t_dock_s``."""
        sim = self.sim
        eng = sim.engine
        still = any(e.part == name and e.kind == "dock" and eng.seconds(e.time) == t_dock_s
                    for e in sim.timeline.events)
        if not still:
            return
        stuck = self.blocked(t_dock_s)
        if not stuck:
            return
        period = 2 * math.pi / sim.keepout.n
        for k in range(1, MAX_ORBITS + 1):
            shift = int(math.ceil(k * period / eng.step_s)) * eng.step_s
            if not self.blocked(t_dock_s + shift):
                ok, why = shift_visit(sim, name, shift)
                if not ok:
                    sim.event("docking-retimed", name, f"re-timing by {k} orbits refused: "
                              f"{why}", "warning", source="ground")
                    return
                # where the new plan docks it (the station's traffic may hold it later)
                t2 = next((eng.seconds(e.time) for e in sim.timeline.events
                           if e.part == name and e.kind == "dock"), t_dock_s + shift)
                self.retimed.append({"visit": name, "from": sim.iso(t_dock_s),
                                     "to": sim.iso(t2), "orbits": k, "satellites": stuck})
                sim.event("docking-retimed", name, f"approach re-timed by {k} orbit"
                          f"{'s' if k > 1 else ''} to {sim.iso(t2)}: "
                          f"{', '.join(stuck)} in the approach corridor without "
                          "propellant; lift-off and departure kept", "warning", value=k,
                          source="ground")
                if t2 > eng.now_s:   # its new docking is checked again
                    eng.schedule(max(t2 - DECISION_S, eng.now_s + eng.step_s),
                                 lambda ev, t=t2: self.check(name, t), "approach check")
                return
        sim.event("docking-retimed", name, f"no re-timing up to {MAX_ORBITS} orbits clears "
                  f"the approach of {', '.join(stuck)}: the docking stays", "warning",
                  source="ground")
