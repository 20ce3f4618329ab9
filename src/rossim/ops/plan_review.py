"""The plan as the pad plan flies it, reviewed before the run (``rossim validate``, ``rossim
run``, ``rossim serve``: :func:`review_plan`).

The plan's replay (:func:`rossim.station.build_timeline`) keeps every pad's turnaround and
every port's order by slipping launches (:mod:`rossim.station.pad_plan`); a visit slipped past
the span's end is not flown, a module slipped past it docks after the run ends. Each is legal
on its own, but a plan can slip far from what its file says without a word (a daily cargo
series at one pad slipped the logistics module 13 years, and with it every crew). Here:

* a module docking after the span's end is an error when an entry needs it (an EVA at it, a
  free-flyer deployment or a visit at one of its ports, a module docked to it, a command
  naming it), and a warning otherwise; both say why it slipped, followed back to the cause
  (:func:`rossim.station.slip_causes.slip_story`);
* planned visits slipped past the span's end are a warning, with the first one's cause;
* a ``[[evas]]`` entry with no crew of ``reliability.eva_min_crew`` aboard at its date is an
  error, unless a crew visit was planned aboard then and slipped (the EVA waits for it: a
  note), or no crew comes at all inside the span (an error either way): the spacewalk is
  "ready from" its date (:meth:`rossim.ops.robotics.Scheduler.book_eva`), but a date with no
  crew planned aboard is a plan that does not say when it flies;
* every slip and every relocation of a crew ship is a note (``rossim validate`` prints them;
  ``rossim run`` writes them in the dockings' details and ``logistics.pad_slips``);
* every docking or undocking the station's traffic spacing moved later (one at a time,
  ``logistics.traffic_spacing_h``: :mod:`rossim.station.traffic`) is a ``traffic`` note with
  the operation it waits for (``rossim run``: the event's detail, a ``traffic-held`` event and
  ``logistics.traffic_holds``).

Returns the notes as ``(kind, text)``: kind ``warning``, ``slip``, ``relocation``,
``traffic`` or ``eva``.
"""

from __future__ import annotations

import datetime as dt

from rossim.errors import InputError
from rossim.station.slip_causes import entry_fields, launch_label, slip_story

__all__ = ["review_plan", "MAX_LISTED"]

#: Slips and relocations listed one by one; the rest are counted.
MAX_LISTED = 10
_PLAN_EDITS = ("dock", "undock", "relocate")


def _when(t: dt.datetime) -> str:
    return f"{t:%Y-%m-%d}" if t.time() == dt.time(0) else f"{t:%Y-%m-%d %H:%M} UTC"


def _needs(scenario, module: str) -> list[tuple[str, str]]:
    """The entries that need ``module``: (field, what)."""
    out: list[tuple[str, str]] = []
    at = f"{module}."
    for i, e in enumerate(scenario.evas):
        if e.worksite == module:
            out.append((f"evas[{i}]", "an EVA at it"))
    for i, d in enumerate(scenario.free_flyers.deployments):
        if d.port.startswith(at):
            out.append((f"free_flyers.deployments[{i}]", f"a deployment from {d.port}"))
    for i, a in enumerate(scenario.assembly):
        if a.enabled and a.port.startswith(at):
            out.append((f"assembly[{i}]", f"{a.module} docks to {a.port}"))
    for group in ("crew_visits", "cargo_visits", "crew_series", "cargo_series", "cargo_demand"):
        for i, v in enumerate(getattr(scenario, group)):
            if v.port.startswith(at):
                out.append((f"{group}[{i}]", f"ships at {v.port}"))
    for i, c in enumerate(scenario.commands):
        if module in (c.worksite, c.module) or (c.port or "").startswith(at):
            out.append((f"commands[{i}]", f"a {c.command} command at it"))
    return out


def _late_modules(scenario, timeline, where, fields) -> list[tuple[str, str]]:
    end = scenario.span.end
    notes = []
    for ev in timeline.module_events:
        if ev.kind != "dock" or ev.time <= end:
            continue
        label = launch_label(timeline, ev.part) or ev.part
        story = slip_story(timeline, label, fields)
        what = (f"docks {_when(ev.time)}, after the span's end, {_when(end)}"
                + (f"; {story}" if story else ""))
        needs = _needs(scenario, ev.part)
        if needs:
            fld, why = needs[0]
            more = (f", and {len(needs) - 1} more entr{'y' if len(needs) == 2 else 'ies'}"
                    if len(needs) > 1 else "")
            raise InputError(where, ev.field, ev.part,
                             f"a module that docks inside the span, as {fld} needs ({why}"
                             f"{more}): fly fewer launches ahead of it at its pad and ports, "
                             "or plan it and what needs it later",
                             problem=what)
        notes.append(("warning", f"{ev.field} {ev.part} {what}; the simulated station never "
                                 "has it"))
    return notes


def _dropped_visits(scenario, timeline, fields) -> list[tuple[str, str]]:
    """Planned visits slipped past the span's end (not flown in it)."""
    flown = {e.part for e in timeline.events if e.part_kind == "vehicle"}
    slipped = {r["launch"] for r in timeline.pad_slips}
    dropped = [(fld, v) for fld, v in timeline.scenario.visits
               if v.part_name not in flown and v.part_name in slipped]
    if not dropped:
        return []
    crews = [v.part_name for _f, v in dropped if v.crew > 0]
    first = dropped[0][1].part_name
    crew_text = (f"{len(crews)} crewed ({', '.join(crews[:3])}{', ...' if len(crews) > 3 else ''}"
                 f"), " if crews else "")
    return [("warning", f"{len(dropped)} planned visit{'s' if len(dropped) > 1 else ''} slipped "
                        f"past the span's end ({_when(scenario.span.end)}) and not flown: "
                        f"{crew_text}{len(dropped) - len(crews)} uncrewed; the first, {first} "
                        f"({fields.get(first, dropped[0][0])}), "
                        f"{slip_story(timeline, first, fields)}")]


def _eva_crews(scenario, timeline, systems, where, fields) -> list[tuple[str, str]]:
    """Each ``[[evas]]`` date against the crew aboard (module docstring)."""
    from rossim.ops.robotics import crew_windows

    if not scenario.evas:
        return []
    n = int(systems.reliability.eva_min_crew.value)
    end = scenario.span.end
    windows = [(a, min(b, end)) for a, b in crew_windows(timeline, n).eva if a < end]
    edits = [c.at for c in scenario.commands if c.command in _PLAN_EDITS]
    cat = timeline.catalog
    starts = {p.start: p.cause for p in timeline.phases}
    notes = []
    for i, e in enumerate(scenario.evas):
        d = e.date
        if any(a <= d < b for a, b in windows) or (edits and d >= min(edits)):
            continue   # crew aboard (or a command changes the plan first: the run decides)
        before = [w for w in windows if w[1] <= d]
        after = [w for w in windows if w[0] > d]
        planned = [v for _f, v in timeline.scenario.visits if v.crew > 0 and v.launch <= d
                   <= v.launch + dt.timedelta(hours=cat.vehicles[v.vehicle].time_to_dock_h.value,
                                              days=v.duration_days)]
        shown = ", ".join([f"last before it {_when(a)} .. {_when(b)}" for a, b in before[-1:]]
                          + [f"next {_when(a)} .. {_when(b)}" for a, b in after[:1]])
        if after and sum(v.crew for v in planned) >= n:
            cause = starts.get(after[0][0])
            who = cause.part if cause is not None else "a crew"
            story = slip_story(timeline, who, fields)
            notes.append(("eva", f"evas[{i}] ({e.task}, {_when(d)}) waits "
                                 f"{(after[0][0] - d).total_seconds() / 86400:.1f} d for {who}, "
                                 f"docked {_when(after[0][0])}"
                                 + (f" ({story})" if story else "")))
            continue
        problem = (f"no crew of {n} aboard then; the next docks {_when(after[0][0])}" if after
                   else f"no crew of {n} aboard then, nor later in the span")
        raise InputError(where, f"evas[{i}].date", _when(d),
                         f"a date with at least {n} crew aboard, or inside a crew visit's "
                         f"planned stay (crew of {n} aboard: {shown or 'never in the span'})",
                         problem=problem)
    return notes


def review_plan(scenario, timeline, systems) -> list[tuple[str, str]]:
    """Raise :class:`InputError` for a module docking after the span's end that an entry
    needs, a name an entry gives that the plan does not have
    (:func:`rossim.ops.references.check_references`, after the late modules: their error says
    why they are late), or an EVA with no crew; return the notes (module docstring)."""
    from rossim.ops.references import check_references

    where = scenario.source_path or scenario.name
    fields = entry_fields(timeline)
    notes = _late_modules(scenario, timeline, where, fields)
    check_references(scenario, timeline)
    notes += _eva_crews(scenario, timeline, systems, where, fields)
    notes += _dropped_visits(scenario, timeline, fields)
    end = scenario.span.end
    when = timeline.slip_lift_offs
    rows = [r for r in timeline.pad_slips if when[r["launch"]] <= end]
    for r in rows[:MAX_LISTED]:
        fld = fields.get(r["launch"])
        notes.append(("slip", f"{r['launch']}{f' ({fld})' if fld else ''} lifts off "
                              f"{_when(when[r['launch']])}, "
                              f"{slip_story(timeline, r['launch'], fields, follow=False)}"))
    if len(rows) > MAX_LISTED:
        notes.append(("slip", f"... and {len(rows) - MAX_LISTED} more launches slipped inside "
                              "the span (rossim run: summary.json logistics.pad_slips)"))
    for m in timeline.relocations[:MAX_LISTED]:
        notes.append(("relocation", f"{m['ship']} moves {m['from']} -> {m['to']} on "
                                    f"{_when(m['time'])} to free the port for {m['for']}"))
    if len(timeline.relocations) > MAX_LISTED:
        notes.append(("relocation", f"... and {len(timeline.relocations) - MAX_LISTED} more"))
    return notes + _traffic(timeline, fields, end)


def _traffic(timeline, fields, end: dt.datetime) -> list[tuple[str, str]]:
    """The plan's dockings and undockings inside the span that the traffic spacing moved
    (:attr:`rossim.station.Timeline.traffic_holds`), listed up to ``MAX_LISTED``."""
    verb = {"dock": "docks", "undock": "undocks"}
    when = timeline.traffic_hold_times   # (part, event) -> (time, planned) datetimes
    rows = [r for r in timeline.traffic_holds if when[(r["part"], r["event"])][0] <= end]
    notes = []
    for r in rows[:MAX_LISTED]:
        fld = fields.get(r["part"])
        t, planned = when[(r["part"], r["event"])]
        notes.append(("traffic", f"{r['part']}{f' ({fld})' if fld else ''} "
                                 f"{verb.get(r['event'], 'separates')} {_when(t)}, "
                                 f"{r['held_h']:.1f} h after its plan ({_when(planned)}): "
                                 f"{r['behind']}, one docking or undocking at a time "
                                 f"({r['spacing_h']:g} h apart, logistics.traffic_spacing_h)"))
    if len(rows) > MAX_LISTED:
        notes.append(("traffic", f"... and {len(rows) - MAX_LISTED} more (rossim run: "
                                 "summary.json logistics.traffic_holds)"))
    return notes
