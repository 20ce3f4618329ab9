"""Launch-pad turnaround in the plan: no two of the plan's lift-offs from one pad closer than
the pad's ``pad_turnaround_days`` (:func:`pad_slips`).

A pad flies one rocket at a time (``catalog/sites.toml`` ``pad_turnaround_days``, estimates:
14 days for the Soyuz pads, from the shortest Soyuz-2 interval found at Baikonur Site 31,
14.8 days; 30 days for the Angara and Proton pads; sources in the catalog and in
:mod:`rossim.ops.pad_turnaround`, which keeps the rule for the ships the run adds).
:func:`rossim.station.build_timeline` asks :func:`pad_slips` before it times the plan's
launches, so a nominal run and a dispersed one (a campaign's launch slips,
:mod:`rossim.campaign.dispersions`) both keep it by construction:

* each launch of the plan (an assembly launch: one module or a ``launch_group``; a crew or
  cargo visit not commanded at run time) lifts off at its first allowed in-plane window on or
  after its planned time (:mod:`rossim.station.windows`);
* the launches are taken in the order of those lift-offs, a crewed one before an uncrewed one
  at the same minute (a crew rotation is the harder to move), then in scenario order; the
  first keeps its lift-off, and each next one from the same pad within the turnaround of the
  one before it slips to the first allowed window on or after that lift-off plus the
  turnaround (the order of the launches from one pad is kept, so one check against the last
  is enough);
* a launch docking to a slipped module's port, or at a port a slipped ship leaves later than
  it docks, slips as much (the plan's order at each port is kept; a module's port cleared
  ``logistics.port_clear_before_module_days`` before it docks, as in
  :mod:`rossim.station.logistics`);
* a slipped module docks its climb's days after the new lift-off; a slipped visit docks its
  ``time_to_dock_h`` after it and leaves as much later, its stay kept, as a campaign's launch
  slip (:func:`rossim.station.windows.visit_times`).

Each slip is reported: the docking's detail text ("slipped N d: ... pad turnaround after X")
and :attr:`rossim.station.Timeline.pad_slips` (the run summary's ``logistics.pad_slips``).
A launch of a campaign's plan that failed (a cargo ship lost, a crew aborted:
:mod:`rossim.campaign.plan_failures`) is not in the plan but took its pad: the scenario's
stand-downs that name a ``site`` are taken as fixed lift-offs at their failure, and the
launches from that pad keep the turnaround on either side of them ("pad turnaround after
Soyuz MS crew #3 launch aborted"): one taken before it but lifting off within its turnaround
goes to the first window a turnaround after it.
Limits: a failed launch is never moved here (the draw puts it where this planner would fly
it, :mod:`rossim.campaign.plan_agreement`); visits commanded at run time (``flown``) are neither moved nor counted here (the run
keeps the turnaround of the ships it adds against the plan: :mod:`rossim.ops.pad_turnaround`);
a launch never moves to another pad; a slip never moves a launch earlier.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from rossim.errors import InputError
from rossim.station.windows import clock_minute

__all__ = ["PadSlips", "failed_launch", "pad_slips", "turnaround"]


def turnaround(site: Any) -> dt.timedelta:
    """The pad's turnaround: ``pad_turnaround_days`` of catalog site ``site`` (zero when the
    site gives none)."""
    fig = getattr(site, "pad_turnaround_days", None)
    return dt.timedelta(0) if fig is None else dt.timedelta(seconds=round(fig.value * 86400))


@dataclass
class PadSlips:
    """The plan's launches a pad's turnaround moves. Keys: ``("group", launch group key)`` for
    an assembly launch, ``("visit", visit name)`` for a visit."""

    #: earliest lift-off (UTC) of each slipped launch: its window is the first on or after it
    not_before: dict[tuple[str, str], dt.datetime] = field(default_factory=dict)
    #: text appended to the slipped launch's docking detail
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    #: one dict per slip: ``launch``, ``site``, ``planned_lift_off`` (its window without the
    #: slip), ``earliest`` (the pad's turnaround or the launch it waits for), ``lift_off`` (the
    #: first window on or after it; ISO UTC), ``slip_days``, ``why``
    rows: list[dict] = field(default_factory=list)


def _window(windows: Any, site: Any, after: dt.datetime) -> dt.datetime:
    """First allowed lift-off on or after ``after`` (``after`` itself without a plane, or when
    no window is found: the planner then reports that launch with its own field)."""
    if windows is None:
        return after
    try:
        return clock_minute(windows.first(site, after)["time"])
    except InputError:
        return after


def _visit_pad(cat: Any, v: Any) -> tuple[Any, str] | None:
    """(site, name) of a visit, None when its vehicle, launcher or site is unknown (the
    planner refuses it with its own message)."""
    veh = cat.vehicles.get(v.vehicle)
    lv = cat.launchers.get(v.launcher or veh.launcher) if veh is not None else None
    if lv is None:
        return None
    st = cat.sites.get(v.site or veh.launch_site or lv.site)
    return None if st is None else (st, v.part_name)


def failed_launch(sd: Any) -> str:
    """Name of the failed launch of stand-down ``sd``
    (:class:`rossim.config.stand_down.LauncherStandDown`) for a slip's reason: its cause
    without the source, e.g. ``"Soyuz MS crew #3 launch aborted"``."""
    return re.sub(r" \([^()]*\)$", "", sd.cause) or f"{sd.launcher} failure"


def _parents(ports: list[str]) -> list[str]:
    """Modules whose ports a launch docks to (``"auto"`` ports left out)."""
    return [p.split(".", 1)[0] for p in ports if p and p != "auto" and "." in p]


def pad_slips(scenario: Any, cat: Any, windows: Any, groups: dict[str, list],
              group_pads: dict[str, tuple], flown: frozenset[str] = frozenset()) -> PadSlips:
    """The slips that keep every pad's turnaround between the plan's launches (module
    docstring). ``groups``: launch group key -> members ``(field, AssemblyLaunch, Module,
    mass)``; ``group_pads``: key -> ``(field, launcher, site)`` (as
    :func:`rossim.station.build_timeline` collects them); the visits are ``scenario.visits``
    but those named in ``flown``. ``windows``: the plan's
    :class:`rossim.station.windows.WindowFinder` (None: launches at their planned times)."""
    from rossim.station.insertion import module_climb_days

    climb = module_climb_days(scenario, cat)
    # a module's port is cleared days before it docks (Pirs left three days before Nauka
    # docked: systems logistics.port_clear_before_module_days, as station.logistics)
    from rossim.config.systems import load_systems

    fig = load_systems().logistics.port_clear_before_module_days
    clear = dt.timedelta(days=fig.value if fig is not None else 0.0)
    items: list[tuple] = []   # lift-off, crewed 0 / not 1, order, key, label, pad, ports,
    module_key: dict[str, tuple[str, str]] = {}  # docking, departure (None: a module)
    for k, (key, members) in enumerate(groups.items()):
        st = group_pads[key][2]
        lift = _window(windows, st, members[0][1].launch)
        module_key.update({m.id: ("group", key) for _, _, m, _ in members})
        dock = lift + dt.timedelta(days=climb.get(members[0][2].id, 0.0))
        items.append((lift, 1, k, ("group", key), " + ".join(m.id for _, _, m, _ in members),
                      st, [a.port for _, a, _, _ in members if a.port], dock, None))
    for k, (_fld, v) in enumerate(scenario.visits):
        pad = _visit_pad(cat, v)
        if pad is None or pad[1] in flown:
            continue
        lift = _window(windows, pad[0], v.launch)
        ttd = dt.timedelta(hours=cat.vehicles[v.vehicle].time_to_dock_h.value)
        dep = max(v.launch + ttd + dt.timedelta(days=v.duration_days),
                  lift + ttd + dt.timedelta(hours=1))
        items.append((lift, 0 if v.crew > 0 else 1, len(groups) + k, ("visit", pad[1]),
                      pad[1], pad[0], [v.port], lift + ttd, dep))
    # launches of a campaign's plan that failed (lost or aborted) took their pad at their
    # failure: fixed, never moved, but the pad's turnaround holds after them
    for k, sd in enumerate(getattr(getattr(scenario, "operations", None),
                                   "launcher_stand_downs", ())):
        if sd.site is not None and sd.site in cat.sites:
            items.append((sd.failed, -1, k, ("failed", str(k)), failed_launch(sd),
                          cat.sites[sd.site], [], None, None))
    # the failed launches are fixed: each keeps its pad for the turnaround on either side
    fixed: dict[str, list[tuple[dt.datetime, str]]] = {}
    for lift, _c, _k, key, label, st, *_ in items:
        if key[0] == "failed":
            fixed.setdefault(st.id, []).append((lift, label))
    out = PadSlips()
    last: dict[str, tuple[dt.datetime, str]] = {}    # pad -> its latest lift-off, launch
    on_port: dict[str, tuple[str, str]] = {}          # port -> its latest occupant
    shift: dict[tuple[str, str], dt.timedelta] = {}   # launch -> its slip
    done: dict[tuple[str, str], tuple] = {}           # launch -> (label, docking, departure)
    for lift, _c, _k, key, label, st, ports, dock, dep in sorted(items, key=lambda x: x[:3]):
        if key[0] == "failed":
            if st.id not in last or last[st.id][0] < lift:
                last[st.id] = (lift, label)
            continue
        # a launch docking to a slipped module's port, or at a port a slipped ship leaves
        # later than it docks, waits for it (the plan's order at each port is kept)
        cand, why = lift, ""
        for d, need in ([(module_key[m], 0) for m in _parents(ports)
                         if module_key.get(m, key) != key and module_key[m] in done]
                        + [(on_port[p], 1) for p in ports if on_port.get(p) in done]):
            if d not in shift:
                continue
            after = (done[d][1] + dt.timedelta(hours=1) if need == 0 else done[d][2])
            if after is not None and dep is None and need == 1:  # a module after a ship
                after += clear
            if after is not None and lift + (after - dock) > cand:
                cand, why = lift + (after - dock), f"waits for {done[d][0]}, slipped"
        gap, prev = turnaround(st), last.get(st.id)
        if prev is not None and gap and cand < prev[0] + gap:
            cand = prev[0] + gap
            why = (f"{st.name_en} pad turnaround ({gap.total_seconds() / 86400:g} d) after "
                   f"{prev[1]} ({prev[0]:%Y-%m-%d %H:%M} UTC)")
        new = lift
        for _pass in range(len(fixed.get(st.id, ())) + 1):   # a failed launch's pad is kept
            new = _window(windows, st, cand) if cand > lift else lift
            hit = [(f, lab) for f, lab in fixed.get(st.id, ()) if f - gap < new < f + gap]
            if not hit:
                break
            f, lab = max(hit)
            cand = f + gap
            why = (f"{st.name_en} pad turnaround ({gap.total_seconds() / 86400:g} d) after "
                   f"{lab} ({f:%Y-%m-%d %H:%M} UTC)")
        if cand > lift:
            new = _window(windows, st, cand)
            shift[key] = new - lift
            days = (new - lift).total_seconds() / 86400.0
            out.not_before[key] = cand
            out.notes[key] = f"; slipped {days:.1f} d: {why}"
            out.rows.append({"launch": label, "site": st.id,
                             "planned_lift_off": lift.isoformat(), "lift_off": new.isoformat(),
                             "earliest": cand.isoformat(), "slip_days": round(days, 2),
                             "why": why})
        moved = new - lift
        done[key] = (label, dock + moved, None if dep is None else dep + moved)
        last[st.id] = (new, label)
        on_port.update({p: key for p in ports if p and p != "auto"})
    return out
