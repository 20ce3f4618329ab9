"""What a station engineer checks in a campaign run's plan (:func:`plan_breaches`).

The draw (:func:`rossim.campaign.dispersions.draw_run`) decides the plan's launch failures
before the planner (:func:`rossim.station.build_timeline`) adds the in-plane windows and the
pads' turnaround; these checks read both and list where the drawn plan could not have flown:

* a failed crew launch (a stand-down of the run's scenario) whose ship would dock before its
  port's module has docked, or while the ship before it holds that port, in the planner's
  timeline (its vehicle and port are those of its re-flight; one flown past the span is not
  checked; a failed cargo ship is not checked here: it may have been given another port,
  which its replacement does not tell);
* a planned lift-off on a grounded launcher inside its stand-down (crewed or not);
* two lift-offs from one pad, failed ones included, closer than the pad's turnaround
  (catalog ``pad_turnaround_days``; the modules of one launch group excepted).

Used by ``tools/plan_checks.py`` (a scan over a campaign's draws) and the tests. Times UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rossim.config.stand_down import launcher_of

__all__ = ["plan_breaches"]


def _failed_visit(sd: Any, visits: dict[str, Any]) -> Any | None:
    """The visit whose launch failed in stand-down ``sd``: its re-flight or replacement
    (same vehicle and port; None when it was not flown in the span)."""
    ship = sd.cause.rsplit(" lost at launch", 1)[0].rsplit(" launch aborted", 1)[0]
    again = [v for n, v in visits.items() if n.startswith(ship + " (")]
    return again[0] if again else None


def plan_breaches(scenario: Any, timeline: Any) -> list[str]:
    """One line per breach (module docstring) of the drawn ``scenario`` (its
    ``operations.launcher_stand_downs``) planned as ``timeline``; empty when none."""
    cat = timeline.catalog
    sds = scenario.operations.launcher_stand_downs
    bad: list[str] = []
    docks = [e for e in timeline.events if e.kind == "dock"]
    mod_dock = {e.part: e.time for e in docks if e.part_kind == "module"}
    visits = {v.name: v for _f, v in scenario.visits}
    pads: dict[str, list[tuple[dt.datetime, str]]] = {}
    for e in docks:
        if e.launch is None or e.relocation:
            continue
        label = e.part if e.part_kind != "module" else f"module@{e.launch}"
        pads.setdefault(e.site, []).append((e.launch, label))
        v = visits.get(e.part)
        lv = launcher_of(cat, v) if v is not None else None
        for sd in sds:
            end = sd.crew_until if e.crew > 0 else sd.uncrewed_until
            if sd.launcher == lv and sd.failed <= e.launch < end:
                bad.append(f"{e.part} lifts off {e.launch:%Y-%m-%d %H:%M} inside the "
                           f"stand-down after {sd.cause}")
    for sd in sds:
        if sd.site is not None:
            pads.setdefault(sd.site, []).append((sd.failed, "failed: " + sd.cause))
        v = _failed_visit(sd, visits)
        if v is None or v.crew == 0 or v.port == "auto" or v.vehicle not in cat.vehicles:
            continue   # a cargo ship may have been given another port: not known here
        at = sd.failed + dt.timedelta(hours=cat.vehicles[v.vehicle].time_to_dock_h.value)
        module = v.port.split(".")[0]
        if module not in mod_dock or mod_dock[module] > at:
            bad.append(f"{sd.cause} {sd.failed:%Y-%m-%d %H:%M}: would dock before {module} "
                       f"(docks {mod_dock.get(module)})")
        for e in docks:   # a crew keeps its port
            if e.part_kind != "vehicle" or e.port != v.port or e.time > at:
                continue
            left = next((u.time for u in timeline.events if u.kind == "undock"
                         and u.part == e.part and u.time >= e.time), None)
            if left is None or left > at:
                bad.append(f"{sd.cause} {sd.failed:%Y-%m-%d %H:%M}: {v.port} held by "
                           f"{e.part} until {left}")
    for site, lifts in pads.items():
        gap = cat.sites[site].pad_turnaround_days.value
        lifts = sorted(set(lifts))
        for (t0, a), (t1, b) in zip(lifts, lifts[1:], strict=False):
            days = (t1 - t0).total_seconds() / 86400.0
            if days < gap and not (a.startswith("module@") and b.startswith("module@")
                                   and days == 0):
                bad.append(f"{site}: {a} {t0:%Y-%m-%d %H:%M} then {b} {t1:%Y-%m-%d %H:%M}, "
                           f"{days:.2f} d apart (turnaround {gap:g} d)")
    return bad
