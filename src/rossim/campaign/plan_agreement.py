"""A campaign run's plan, as the run's planner would fly it (:func:`agree_with_planner`).

:func:`rossim.campaign.dispersions.draw_run` draws the plan's slips and failures and flies
them (:func:`rossim.campaign.plan_failures.fly_plan`: port waits, losses, stand-downs); the
run's planner (:func:`rossim.station.build_timeline`) then adds the in-plane windows, each
pad's turnaround and the plan's order at each port, which can move launches in chains the draw
does not foresee. This module asks the planner where each failed launch would have flown and
which launches it moves where the plan could not fly (:mod:`rossim.campaign.plan_checks`), and
flies the plan again with them, until the two agree (or the passes run out). Times UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rossim.config.scenario import Scenario

__all__ = ["PLANNER_PASSES", "agree_with_planner"]


#: The most passes :func:`agree_with_planner` makes (for
#: :func:`rossim.campaign.dispersions.draw_run`); a breach still left then is listed in the
#: run's events.
PLANNER_PASSES = 16


def _lift_offs(timeline: Any) -> dict[str, dt.datetime]:
    """Visit name -> its lift-off (UTC) in ``timeline`` (the planner's, window included)."""
    return {e.part: e.launch for e in timeline.events
            if e.kind == "dock" and e.part_kind == "vehicle" and e.launch is not None
            and not e.relocation}


def _queue_behind(flown: Any, moves: dict[tuple[int, int], tuple[dt.datetime, str]]) -> None:
    """Hold, in the same pass, the launches queued behind each one ``moves`` holds: a
    launch at the same port that lifted off after it in ``flown`` (the draw's plan) and
    before its hold waits behind it as the planner keeps the order at each port
    (:mod:`rossim.station.pad_plan`), so it is held to the same instant (a lower bound: the
    planner spaces them after it). Without this the draw's plan let each one overtake the
    held launch and the planner named them one pass at a time (a queue of crews took a pass
    each: seed 7 run 16 used 10 of the 16 passes). A crew is never queued behind a cargo ship
    (crews first, :mod:`rossim.campaign.plan_ports`: the check that holds a cargo ship until
    after a crew's visit would otherwise hold that crew as late, ros-2026-plan seed 2026 run
    0). Changes ``moves``."""
    at = {key: (t, kind, v)
          for (t, kind, v), key in zip(flown.planned, flown.keys, strict=True)}
    for key, (until, _why) in list(moves.items()):
        if key not in at:
            continue
        t0, kind0, v0 = at[key]
        if v0.port == "auto":
            continue
        for other, (t, kind, v) in at.items():
            if other == key or v.port != v0.port or not t0 <= t < until:
                continue
            if kind == "crew" and kind0 != "crew":   # crews first: a cargo ship held (for
                continue                              # a crew, a stand-down) queues no crew
            if other not in moves or moves[other][0] < until:
                moves[other] = (until, f"behind {v0.part_name} at {v0.port}")


def agree_with_planner(fly: Any, station: bool) -> tuple[Any, Scenario, list[str]]:
    """Fly the run's plan until the run's planner agrees with it.

    ``fly(holds, fail_at, flies=frozenset())`` -> ``(PlanFlights, scenario)``:
    :func:`rossim.campaign.plan_failures.fly_plan` with those arguments, then the run's
    scenario. The draw's own waits (:mod:`rossim.campaign.plan_ports`) do not foresee the
    planner's chains of slips (:func:`rossim.station.build_timeline`: in-plane windows,
    pads' turnaround, the plan's order at each port and pad), so, pass after pass:

    1. each launch drawn to fail, in the order they fail, is flown instead in a trial plan
       (with the failures before it, those after it flown too), and the planner's lift-off
       for it there, its own slot behind the launches planned before it at its port and pad
       and on its window, becomes the instant it fails (``fail_at``; a launch the trial does
       not fly in the span does not fail in it); the plan is flown again after the first
       that moves. That instant only ever moves later, and one a stand-down has moved past
       it counts as met (so the passes cannot go round in circles);
    2. when every failure is where the planner would fly it, the plan's breaches
       (:func:`rossim.campaign.plan_checks.breaches`: a launch the planner moved into a
       stand-down, more crew aboard than berths, what else a station engineer refuses) hold
       each launch they name to the lift-off the planner allows it (``holds``, only ever
       later), and the plan is flown again;

    until no breach is left or :data:`PLANNER_PASSES` passes (agreement is not guaranteed:
    a breach left, or a failure whose trial plan the planner refused, is listed in the
    events; each pass holds the launches the checks name, and those queued behind them at
    their ports, :func:`_queue_behind`). The draws themselves never change, only the instants the
    failures and the stand-downs see. A plan the planner finds nothing in is flown once (a
    draw without failures nor breaches is unchanged);
    a plan the planner refuses is left to the run (it refuses it with its own message), or,
    when it is one flown again here, the last plan it accepted is kept, with a line.
    Returns the flight, its scenario and one event line per breach left (none when they
    agree)."""
    from rossim.campaign.plan_checks import breaches
    from rossim.errors import InputError
    from rossim.station import build_timeline

    holds: dict[tuple[int, int], tuple[dt.datetime, str]] = {}
    fail_at: dict[int, dt.datetime] = {}
    flown, scen = fly(holds, fail_at)
    if not station:
        return flown, scen, []
    good: tuple[Any, Scenario] | None = None
    found: list[Any] = []
    notes: dict[str, str] = {}   # failure -> why it is not where the planner flies it
    passes = 0
    for passes in range(1, PLANNER_PASSES + 1):  # noqa: B007 - the count is reported
        try:
            timeline = build_timeline(scen)
        except InputError as e:
            if good is None:        # the run refuses the plan with its own message
                return flown, scen, []
            return (*good, [*notes.values(), f"plan of the pass before kept: the planner "
                                             f"refused the next ({e})"])
        good = (flown, scen)
        moved = None
        for k, t, label in flown.failures:    # 1. where the planner flies each failure
            later = frozenset(kk for kk, tt, _ in flown.failures if tt > t) | {k}
            trial, trial_scen = fly(holds, {kk: tt for kk, tt in fail_at.items()
                                            if kk not in later}, later)
            try:
                at = _lift_offs(build_timeline(trial_scen))
            except InputError as e:
                notes[label] = (f"{label}: fails at the draw's own estimate, the planner "
                                f"refused its trial plan ({e})")
                continue
            notes.pop(label, None)
            names = {key: v.part_name
                     for (_t, _kind, v), key in zip(trial.planned, trial.keys, strict=True)}
            # not flown in the trial (past the span's end): it never lifts off in the span
            slot = at.get(names.get((k, 0), ""), scen.span.end + dt.timedelta(days=1))
            if k in fail_at:   # a failure's instant only ever moves later; one a stand-down
                met = max(fail_at[k], t)   # moved past its slot has met it
                if slot <= met + dt.timedelta(seconds=60):
                    continue
            elif abs((slot - t).total_seconds()) <= 60.0:
                continue
            moved = (k, slot)
            break
        if moved is not None:
            fail_at[moved[0]] = moved[1]
            flown, scen = fly(holds, fail_at)
            continue
        found = breaches(scen, timeline)     # 2. what the planner shows of the rest
        if not found:
            return flown, scen, list(notes.values())
        keys = {v.part_name: key
                for (_t, _kind, v), key in zip(flown.planned, flown.keys, strict=True)}
        moves: dict[tuple[int, int], tuple[dt.datetime, str]] = {}
        for b in found:
            key = keys.get(b.launch or "")
            if key is None or b.not_before is None:
                continue
            if key in holds and holds[key][0] >= b.not_before:
                continue
            if key not in moves or moves[key][0] < b.not_before:
                moves[key] = (b.not_before, b.why)
        if not moves:
            break
        _queue_behind(flown, moves)
        holds.update(moves)
        flown, scen = fly(holds, fail_at)
    else:
        try:
            found = breaches(scen, build_timeline(scen))
        except InputError as e:
            return (*good, [*notes.values(), f"plan of the pass before kept: the planner "
                                             f"refused the next ({e})"])
    return flown, scen, [*notes.values(), *(f"plan breach left after {passes} passes with "
                                            f"the planner: {b.text}" for b in found)]
