"""The next planned crew flown early for a safe mode only a crew can clear (:func:`fly_early`).

A safe mode that waits for a crew's hands (:mod:`rossim.ops.safe_mode_callup`: both coolant
pumps failed, the loop stopped) is cleared by the next planned crew. Rather than fly a ship
of its own a month or two before that crew (two crews close together, the cadence the
campaign keeps broken: :mod:`rossim.campaign.plan_failures`), the ground flies the next
planned crew early, as it moves a planned flight: Skylab's first crew, planned to lift off the
day after the station (1973-05-15), flew on 1973-05-25 with the repair (``skylab-2``); here
the crew is moved the other way, to the first date the call-up rules allow
(:meth:`rossim.ops.crew_callup.CrewCallUp.call`: the lead ``free_drift.repair_crew_lead_days``
to ready the crew and its ship, then the first allowed in-plane window of the crew's own pad
that keeps the pad's turnaround from every other lift-off, its own planned lift-off left out,
and the launcher's stand-downs).

The crew keeps its ship, pad, launcher, crew, port and stay; only its lift-off moves
(a plan edit replayed by :func:`rossim.station.build_timeline`, as every edit of
:mod:`rossim.ops.commanding`: a plan it refuses, for a port or a berth taken at the earlier
date, leaves the crew where it was and the ground flies a repair crew of its own instead).
The repairs booked on that crew's visit are booked again on its earlier stay
(:func:`rossim.ops.repair_crew_tasks.rebook`). The crews after it keep their dates. Not when the
crew has lifted off already, or has a lift-off the run fixed (a ship held or re-timed), or
when it would not dock earlier. Event ``crew-callup`` and a warning ``repair-crew`` alarm
(the move, its cause and its window); ``logistics.crew_callups.flown_early`` in the summary.
"""

from __future__ import annotations

from typing import Any

from rossim.config.stand_down import launcher_of
from rossim.ops.callup_launch import window_lift_off
from rossim.ops.launcher_stand_down import note as stand_down_note
from rossim.ops.pad_turnaround import clear_of
from rossim.ops.pad_turnaround import note as pad_note
from rossim.ops.safe_mode_callup import recheck_at, short, spare_ready_s

__all__ = ["fly_early"]

DAY_S = 86400


def fly_early(callup: Any, nxt: tuple[int, Any], lead: tuple[float, str], cause: str,
              f: Any) -> bool:
    """Fly the planned crew of docking ``nxt`` (run second, plan event) early for ``cause``
    (fault ``f``'s units short; module docstring), ``lead`` (days, source key) after now at
    the earliest, and at least a day earlier than planned. True when it
    was moved (events, alarm and ``callup.early`` record made); False when it cannot be or
    would not dock earlier (nothing changed)."""
    sim = callup.sim
    eng, cat = sim.engine, sim.timeline.catalog
    now, e = eng.now_s, nxt[1]
    if (e.launch is None or eng.seconds(e.launch) <= now or e.part in sim._flown
            or e.part in sim._manual_h or e.site not in cat.sites):
        return False   # lifted off, or a lift-off or docking the run fixed (held, re-timed)
    veh = cat.vehicles[e.catalog_id]
    ttd_h = float(veh.time_to_dock_h.value)
    visit = next((v for _f, v in sim.scenario.visits if v.part_name == e.part), None)
    slot = window_lift_off(sim, callup, cat.sites[e.site], now + int(lead[0] * DAY_S), ttd_h,
                           where="free_drift", field="repair_crew_lead_days",
                           launcher=None if visit is None else launcher_of(cat, visit),
                           crewed=True, skip=frozenset({e.part}))
    if slot is None or slot[1] > nxt[0] - DAY_S:   # not a day earlier: as planned
        return False
    ready = spare_ready_s(sim, f.component)   # a crew flown early without the spare aboard
    if ready is None or ready > slot[1]:      # cannot repair: a repair crew of its own
        return False                          # packs it (CrewCallUp._repair)
    w = slot[2]
    # the window itself (not its minute on the run's clock): the plan finds the same one
    planned, edit, why = _with_launch(sim, e.part, w["time"])
    if edit is None:
        if why:
            sim.event("crew-callup", e.part, f"not flown early: {why}; {cause}", "info",
                      source="ground")
        return False
    # the plan's own window on that day (rossim.station.build_timeline finds it as for any
    # planned crew): the record gives the docking the new plan flies
    new = edit[2]
    if eng.seconds(new.time) > nxt[0] - DAY_S:
        return False
    moved = _install(sim, edit)
    lift_s, arrival = eng.seconds(new.launch), eng.seconds(new.time)
    rec = {"name": e.part, "vehicle": e.catalog_id, "cause": cause, "called": sim.iso(now),
           "planned_launch": sim.iso(eng.seconds(e.launch)), "launch": sim.iso(lift_s),
           "planned_docking": sim.iso(nxt[0]), "docking": sim.iso(arrival),
           "days_earlier": round((nxt[0] - arrival) / DAY_S, 2), "site": e.site,
           "window": w["kind"], "repairs_rebooked": moved, "component": f.component,
           "state": "flown early"}
    callup.early.append(rec)
    text = (f"{e.part} flown early: lifts off {sim.iso(lift_s)[:16]} instead of "
            f"{rec['planned_launch'][:16]} from {cat.sites[e.site].name_en} (first {w['kind']} "
            f"window after a {lead[0]:g}-day lead, {lead[1]}{pad_note(cat.sites[e.site], w)}"
            f"{stand_down_note(w)})"
            f", docks {sim.iso(arrival)[:16]}, {rec['days_earlier']:g} days earlier, and "
            f"repairs on its first day aboard: {cause}")
    sim.event("crew-callup", e.part, text, "warning", source="ground")
    sim.alarm("repair-crew", f"planned crew flown early: docks {sim.iso(arrival)[:10]}",
              "warning", text, key="repair-crew-callup")
    recheck_at(sim, lift_s, lambda: _back_to_plan(callup, rec, planned))
    return True


def _back_to_plan(callup: Any, rec: dict[str, Any], planned) -> None:
    """The day before the early lift-off: when the units the crew was flown early for work
    again (a crew aboard repaired them with a spare come meanwhile), the crew goes back to
    its planned lift-off (``planned``: the visit's own ``launch``), as before the move."""
    sim = callup.sim
    eng = sim.engine
    cur = next((x for x in sim.timeline.events if x.part == rec["name"] and x.kind == "dock"),
               None)
    if (short(sim, rec["component"]) or cur is None or cur.launch is None
            or eng.seconds(cur.launch) <= eng.now_s):   # lifted off already: it flies
        return
    if rec["name"] in sim._flown or rec["name"] in sim._manual_h:
        return
    _, edit, why = _with_launch(sim, rec["name"], planned)
    if edit is None and not why:
        return
    back = None if edit is None else edit[2]
    if back is not None:   # the pad's turnaround from the call-up ships the plan does not know
        site = edit[1].catalog.sites.get(back.site) if back.site else None
        t_s = eng.seconds(back.launch)
        if site is not None and clear_of(sim, site, t_s, frozenset({rec["name"]}))[0] != t_s:
            why = f"{site.name_en} busy then (pad turnaround after a call-up's lift-off)"
            back = None
    if back is None:   # its slot was taken meanwhile: it flies early all the same
        rec["state"] = f"flown early (back to its plan refused: {why})"
        sim.event("crew-callup", rec["name"], f"flies early all the same: back to its plan "
                  f"refused ({why}); the {rec['component']} units work again", "info",
                  source="ground")
        return
    rec["repairs_rebooked"] += _install(sim, edit)
    rec["state"] = f"back to its plan {sim.iso(sim.engine.now_s)[:10]}: the units work again"
    sim.event("crew-callup", rec["name"], f"back to its planned date: lifts off "
              f"{sim.iso(eng.seconds(back.launch))[:16]}: the {rec['component']} units work again "
              f"({rec['cause']})", "info", source="ground")


def _with_launch(sim: Any, name: str, launch) -> tuple[Any, tuple | None, str]:
    """The plan with crew visit ``name`` lifting off at ``launch`` (its window is found as
    for any planned crew): ``(its launch before, (scenario, timeline, its dock event), "")``,
    or ``(None, None, why)`` when :func:`rossim.station.build_timeline` refuses it (``why``
    empty when the visit is not in the plan)."""
    groups = sim._explicit_visits()
    hit = next(((g, i) for g, vs in groups.items() for i, v in enumerate(vs)
                if v.part_name == name), None)
    if hit is None:
        return None, None, ""
    g, i = hit
    before = groups[g][i].launch
    groups[g][i] = groups[g][i].model_copy(update={"name": name, "launch": launch})
    scen, tl, why = sim._rebuild_plan(groups, sim._flown)
    if tl is None:
        return None, None, why
    dock = next(x for x in tl.events if x.part == name and x.kind == "dock")
    return before, (scen, tl, dock), ""


def _install(sim: Any, edit: tuple) -> list[str]:
    """Fly the edited plan from now (:func:`_with_launch`); the crew repairs booked off a
    crew's first day aboard are booked again (their lines)."""
    from rossim.ops.repair_crew_tasks import rebook

    sim._install_plan(edit[0], edit[1], sim._flown)
    sim._schedule_plan_events(after_s=sim.engine.now_s)
    return rebook(sim)
