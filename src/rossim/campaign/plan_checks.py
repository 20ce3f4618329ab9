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
  (catalog ``pad_turnaround_days``; the modules of one launch group excepted);
* more crew aboard than the berths of the modules then docked (the crew docking last is the
  one that should have waited);
* a crew the planner moved to wait for a cargo ship at its port (crews first,
  :mod:`rossim.campaign.plan_ports`: the cargo ship should have docked after that crew's
  visit), or at its pad (the pad's turnaround after a cargo ship the planner flew first, as
  one waiting in the pad's queue for its module: the cargo ship should have lifted off a
  turnaround and a day after the crew).

Used by ``tools/plan_checks.py`` (a scan over a campaign's draws) and the tests. Times UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from rossim.config.stand_down import launcher_of

__all__ = ["Breach", "breaches", "failed_ship", "plan_breaches"]


@dataclass(frozen=True)
class Breach:
    """One breach of a drawn plan (:func:`breaches`): ``text``, the line a reader sees;
    ``launch``, the planned launch the draw should move (a visit's name in the timeline; a
    failed one by its own name, not its re-flight's; None when the draw cannot move it, such
    as a module's launch or a port no ship leaves); ``not_before``: the earliest lift-off
    (UTC) the planner's timeline allows it (None with ``launch``); ``why``: a few words for
    the run's events."""

    text: str
    launch: str | None = None
    not_before: dt.datetime | None = None
    #: why the launch waits, for the run's events
    why: str = ""


def failed_ship(sd: Any) -> str:
    """The name of the launch that failed in stand-down ``sd``
    (:class:`rossim.config.stand_down.LauncherStandDown`), from its cause
    (``"<name> launch aborted (<source>)"`` / ``"<name> lost at launch (<source>)"``)."""
    return sd.cause.rsplit(" lost at launch", 1)[0].rsplit(" launch aborted", 1)[0]


def _failed_visit(sd: Any, visits: dict[str, Any]) -> Any | None:
    """The visit whose launch failed in stand-down ``sd``: its re-flight or replacement
    (same vehicle and port; None when it was not flown in the span)."""
    ship = failed_ship(sd)
    again = [v for n, v in visits.items() if n.startswith(ship + " (")]
    return again[0] if again else None


def plan_breaches(scenario: Any, timeline: Any) -> list[str]:
    """One line per breach (module docstring) of the drawn ``scenario`` (its
    ``operations.launcher_stand_downs``) planned as ``timeline``; empty when none."""
    return [b.text for b in breaches(scenario, timeline)]


def breaches(scenario: Any, timeline: Any) -> list[Breach]:
    """The breaches of :func:`plan_breaches`, each with the launch the draw should move and
    the earliest lift-off the timeline allows it (:class:`Breach`): a launch the planner
    moved inside a stand-down, at its lift-off there (the draw then grounds it); a failed
    crew launch, at the lift-off that docks a day after its port's module and an hour after
    the ship before it leaves; the later of two launches from one pad too close, at the
    earlier one's lift-off plus the turnaround."""
    cat = timeline.catalog
    sds = scenario.operations.launcher_stand_downs
    bad: list[Breach] = []
    docks = [e for e in timeline.events if e.kind == "dock"]
    mod_dock = {e.part: e.time for e in docks if e.part_kind == "module"}
    visits = {v.name: v for _f, v in scenario.visits}
    # pad -> (lift-off, label, the draw's name of the launch: None for a module)
    pads: dict[str, list[tuple[dt.datetime, str, str | None]]] = {}
    for e in docks:
        if e.launch is None or e.relocation:
            continue
        module = e.part_kind == "module"
        label = e.part if not module else f"module@{e.launch}"
        pads.setdefault(e.site, []).append((e.launch, label, None if module else e.part))
        v = visits.get(e.part)
        lv = launcher_of(cat, v) if v is not None else None
        for sd in sds:
            end = sd.crew_until if e.crew > 0 else sd.uncrewed_until
            if sd.launcher == lv and sd.failed <= e.launch < end:
                bad.append(Breach(f"{e.part} lifts off {e.launch:%Y-%m-%d %H:%M} inside the "
                                  f"stand-down after {sd.cause}", e.part, e.launch,
                                  f"the planner flies it after {failed_ship(sd)} failed"))
    for sd in sds:
        ship = failed_ship(sd)
        if sd.site is not None:
            pads.setdefault(sd.site, []).append((sd.failed, "failed: " + sd.cause, ship))
        v = _failed_visit(sd, visits)
        if v is None or v.crew == 0 or v.port == "auto" or v.vehicle not in cat.vehicles:
            continue   # a cargo ship may have been given another port: not known here
        to_dock = dt.timedelta(hours=cat.vehicles[v.vehicle].time_to_dock_h.value)
        at = sd.failed + to_dock
        module = v.port.split(".")[0]
        if module not in mod_dock or mod_dock[module] > at:
            md = mod_dock.get(module)
            bad.append(Breach(f"{sd.cause} {sd.failed:%Y-%m-%d %H:%M}: would dock before "
                              f"{module} (docks {md})", ship if md is not None else None,
                              md + dt.timedelta(days=1) - to_dock if md is not None else None,
                              f"{module} docks first"))
        for e in docks:   # a crew keeps its port
            if e.part_kind != "vehicle" or e.port != v.port or e.time > at:
                continue
            left = next((u.time for u in timeline.events if u.kind == "undock"
                         and u.part == e.part and u.time >= e.time), None)
            if left is None or left > at:
                bad.append(Breach(f"{sd.cause} {sd.failed:%Y-%m-%d %H:%M}: {v.port} held by "
                                  f"{e.part} until {left}", ship if left is not None else None,
                                  left + dt.timedelta(hours=1) - to_dock
                                  if left is not None else None, f"{e.part} leaves first"))
    bad.extend(_berths(timeline))
    bad.extend(_crew_behind_cargo(timeline, visits))
    bad.extend(_crew_behind_cargo_at_pad(timeline, visits))
    for site, lifts in pads.items():
        gap = cat.sites[site].pad_turnaround_days.value
        lifts = sorted(set(lifts))
        for (t0, a, _), (t1, b, name) in zip(lifts, lifts[1:], strict=False):
            days = (t1 - t0).total_seconds() / 86400.0
            if days < gap and not (a.startswith("module@") and b.startswith("module@")
                                   and days == 0):
                bad.append(Breach(f"{site}: {a} {t0:%Y-%m-%d %H:%M} then {b} "
                                  f"{t1:%Y-%m-%d %H:%M}, {days:.2f} d apart (turnaround "
                                  f"{gap:g} d)", name,
                                  None if name is None else t0 + dt.timedelta(days=gap),
                                  f"{site} turnaround after {a}"))
    return bad


def _crew_behind_cargo(timeline: Any, visits: dict[str, Any]) -> list[Breach]:
    """A crew the planner slipped to wait for a cargo ship at its port
    (:attr:`rossim.station.Timeline.pad_slips`, "waits for <ship>, slipped"): the cargo ship
    is held until an hour after the crew's visit as planned (its lift-off without the slip,
    its time to dock and its stay)."""
    cat = timeline.catalog
    bad: list[Breach] = []
    for row in timeline.pad_slips:
        crew = visits.get(row["launch"])
        why = row["why"]
        if crew is None or not crew.crew or not why.startswith("waits for "):
            continue
        ship = visits.get(why[len("waits for "):].rsplit(", slipped", 1)[0])
        if ship is None or ship.crew or crew.vehicle not in cat.vehicles \
                or ship.vehicle not in cat.vehicles:
            continue
        left = (dt.datetime.fromisoformat(row["planned_lift_off"])
                + dt.timedelta(hours=cat.vehicles[crew.vehicle].time_to_dock_h.value,
                               days=crew.duration_days))
        bad.append(Breach(f"{crew.name} waits {row['slip_days']:g} d for cargo ship "
                          f"{ship.name} at {crew.port}", ship.name,
                          left + dt.timedelta(hours=1) - dt.timedelta(
                              hours=cat.vehicles[ship.vehicle].time_to_dock_h.value),
                          f"crew {crew.name} first at {crew.port}"))
    return bad


#: "pad turnaround (14 d) after <launch> (<lift-off> UTC)", the reason of a pad slip
#: (:mod:`rossim.station.pad_plan`)
_AFTER = re.compile(r"pad turnaround \([^)]*\) after (?P<ship>.+) "
                    r"\(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)$")


def _crew_behind_cargo_at_pad(timeline: Any, visits: dict[str, Any]) -> list[Breach]:
    """A crew the planner slipped for its pad's turnaround after a cargo ship
    (:attr:`rossim.station.Timeline.pad_slips`): the cargo ship is held until the pad's
    turnaround and a day after the crew's lift-off as planned (crews first at the pad,
    :meth:`rossim.campaign.plan_ports.PlanPorts.crews_first`)."""
    from rossim.campaign.plan_ports import WINDOW_MARGIN
    from rossim.station.pad_plan import turnaround

    cat = timeline.catalog
    bad: list[Breach] = []
    for row in timeline.pad_slips:
        crew = visits.get(row["launch"])
        m = _AFTER.search(row["why"])
        if crew is None or not crew.crew or m is None or row["site"] not in cat.sites:
            continue
        ship = visits.get(m.group("ship"))
        if ship is None or ship.crew:
            continue
        planned = dt.datetime.fromisoformat(row["planned_lift_off"])
        bad.append(Breach(f"{crew.name} slipped {row['slip_days']:g} d at {row['site']} "
                          f"behind cargo ship {ship.name}", ship.name,
                          planned + turnaround(cat.sites[row["site"]]) + WINDOW_MARGIN,
                          f"crew {crew.name} first at {row['site']}"))
    return bad


def _berths(timeline: Any) -> list[Breach]:
    """A crew docking when the crews aboard and its own outnumber the berths: it waits (as a
    ship waits for its port: the crew aboard first keeps its place) until enough crew have
    left, plus an hour, the one such breach a run of over-full phases gives."""
    cat = timeline.catalog
    bad: list[Breach] = []
    full = False
    for ph, cfg in zip(timeline.phases, timeline.properties, strict=True):
        over = cfg.crew_aboard > cfg.crew_capacity
        if not over or full:
            full = over
            continue
        full = True
        ev = ph.cause
        text = (f"{cfg.crew_aboard} crew aboard from {ph.start:%Y-%m-%d %H:%M} but "
                f"{cfg.crew_capacity} berths")
        if ev is None or ev.kind != "dock" or ev.crew == 0 or ev.part_kind != "vehicle" \
                or ev.catalog_id not in cat.vehicles:
            bad.append(Breach(text))
            continue
        need, freed, until = cfg.crew_aboard - cfg.crew_capacity, 0, None
        # when each crew aboard leaves (its undocking; a relocation is not one; a crew that
        # stays past the span makes no room)
        left = []
        for a in ph.vehicles:
            if a.crew == 0 or a.name == ev.part:
                continue
            t = next((u.time for u in timeline.events if u.kind == "undock"
                      and u.part == a.name and u.time >= ph.start and not u.relocation), None)
            if t is not None:
                left.append((t, a.crew))
        for t, crew in sorted(left):
            freed += crew
            if freed >= need:
                until = t
                break
        to_dock = dt.timedelta(hours=cat.vehicles[ev.catalog_id].time_to_dock_h.value)
        bad.append(Breach(f"{ev.part} docks with {text}", ev.part if until else None,
                          until + dt.timedelta(hours=1) - to_dock if until else None,
                          "berths"))
    return bad
