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
* the launches are queued by their earliest lift-off (at first their window), then in the
  plan's order: by planned window, a crewed one before an uncrewed one at the same minute (a
  crew rotation is the harder to move), then scenario order; the first in the queue flies if
  nothing holds it, and one held goes back into the queue at its new earliest lift-off,
  keeping its place in the plan's order against launches queued at the same minute (a module
  waiting for its pad is not overtaken by the crews planned after it), so that a launch
  waiting for its port does not hold its pad for the launches planned after it;
* a launch from a pad within the turnaround of the pad's last lift-off waits for the first
  allowed window on or after that lift-off plus the turnaround;
* crews first: a cargo ship that would lift off within its pad's turnaround before a crew
  still to fly from that pad (a crew not waiting for that ship at its port; the crew's
  earliest lift-off taken from what has flown: its port waits, the pad, a failed launch's
  pad, and for a crew held behind a launch not yet flown at its ports, after that launch
  docks or leaves) lifts off a turnaround after the crew instead, as a crewed launch date is
  the one kept; not weighed against the cargo's delay (a cargo ship 1.97 d before Soyuz
  MS crew #4 slips 16.7 d where the crew slipped 12.8 d; the cargo planner keeps its own ships
  out of such blocks, :func:`crew_pad_blocks`;
  :meth:`rossim.campaign.plan_ports.PlanPorts.crews_first` keeps a like rule for the ships
  a campaign's plan adds, from the draw's own estimates of the crews' lift-offs with a day's
  margin); a module launch is not moved for a crew; a cargo ship so moved also moves
  the launches waiting for it at its port (a crew among them included);
* a launch docking to a slipped module's port, or at a port a slipped ship leaves later than
  it docks, slips as much (the plan's order at each port is kept: a launch waits in the queue
  for the launch before it at its port; a module's port cleared
  ``logistics.port_clear_before_module_days`` before it docks, as in
  :mod:`rossim.station.logistics`);
* a slipped module docks its climb's days after the new lift-off; a slipped visit docks its
  ``time_to_dock_h`` after it and leaves as much later, its stay kept, as a campaign's launch
  slip (:func:`rossim.station.windows.visit_times`).

Each slip is reported: the docking's detail text ("slipped N d: ... pad turnaround after X",
"slipped N d: waits for X, slipped") and :attr:`rossim.station.Timeline.pad_slips` (the run
summary's ``logistics.pad_slips``), each row with its ``cause``: ``"pad"`` (the pad's
turnaround, crews first or after a failed launch) or ``"port"`` (a launch before it at its
port, or its module, slipped; the root of that chain is another row).
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
import heapq
import re
from dataclasses import dataclass, field
from typing import Any

from rossim.errors import InputError
from rossim.station.windows import clock_minute

__all__ = ["PadSlips", "blocked", "cargo_pad", "crew_pad_blocks", "failed_launch", "pad_slips",
           "turnaround"]


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
    #: slip), ``earliest`` (the pad's turnaround, the launch it waits for, or the crew it lets fly
    #: first plus the turnaround), ``lift_off`` (the
    #: first window on or after it; ISO UTC), ``slip_days``, ``why``, ``cause`` (what held
    #: it last: ``"pad"``, its pad's turnaround, a crew's first or a failed launch's;
    #: ``"port"``, a launch before it at its port or the module whose port it docks to)
    rows: list[dict] = field(default_factory=list)
    #: each slipped launch (its ``rows`` label) -> the launch it waits behind (at its pad or
    #: port, or the crew it lets fly first), to follow a slip to its cause
    #: (:mod:`rossim.station.slip_causes`)
    behind: dict[str, str] = field(default_factory=dict)
    #: each slipped launch (its ``rows`` label) -> its lift-off (UTC datetime, as ``rows``'
    #: ISO ``lift_off``: for code that compares times without parsing text)
    lift_offs: dict[str, dt.datetime] = field(default_factory=dict)


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
    sid = cargo_pad(cat, v.vehicle, v.launcher, v.site)
    return None if sid is None else (cat.sites[sid], v.part_name)


#: The margin on either side of a crew's pad block (:func:`crew_pad_blocks`): a launch lifts
#: off at its first in-plane window, up to about a day after its planned time.
BLOCK_MARGIN = dt.timedelta(days=2)


def crew_pad_blocks(tl: Any, cat: Any) -> dict[str, list[tuple[dt.datetime, dt.datetime]]]:
    """Per pad (catalog site id), the intervals in which a cargo ship planned to lift off
    would be moved behind a crew of timeline ``tl``: from a turnaround before each crew's
    lift-off (crews first, :func:`pad_slips`) to a turnaround after it (the pad's
    turnaround), each widened by :data:`BLOCK_MARGIN` for the launch windows. The cargo
    planner (:func:`rossim.station.logistics.plan_cargo`) plans its ships outside them, so a
    ship the stocks need does not slip weeks past the need behind a crew (ros-2026-plan:
    Progress MS #2 slipped 23.6 d behind a Soyuz crew from Baikonur Site 31 and the stocks
    fell to 22 days for four crew, a critical alarm)."""
    out: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
    for e in tl.events:
        if (e.part_kind != "vehicle" or e.kind != "dock" or getattr(e, "relocation", False)
                or e.crew <= 0 or e.launch is None or e.site not in cat.sites):
            continue
        t = turnaround(cat.sites[e.site])
        if t > dt.timedelta(0):
            out.setdefault(e.site, []).append((e.launch - t - BLOCK_MARGIN,
                                               e.launch + t + BLOCK_MARGIN))
    return {k: sorted(v) for k, v in out.items()}


def cargo_pad(cat: Any, vehicle: str, launcher: str | None, site: str | None) -> str | None:
    """The pad (catalog site id) a ship of catalog ``vehicle`` lifts off from: ``site``, else
    the vehicle's launch site, else its launcher's (``launcher``, else the vehicle's); None
    when one is unknown. A visit's pad (:func:`_visit_pad`) and a cargo entry's."""
    veh = cat.vehicles.get(vehicle)
    lv = cat.launchers.get(launcher or veh.launcher) if veh is not None else None
    if lv is None:
        return None
    sid = site or veh.launch_site or lv.site
    return sid if sid in cat.sites else None


def blocked(t: dt.datetime, blocks: list[tuple[dt.datetime, dt.datetime]]
            ) -> tuple[dt.datetime, dt.datetime] | None:
    """The block of :func:`crew_pad_blocks` that lift-off ``t`` falls in, None when none."""
    return next(((a, b) for a, b in blocks if a < t < b), None)


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
    # each launch's place in the plan: its planned lift-off, crewed first, scenario order
    order = sorted(items, key=lambda x: x[:3])
    rank = {x[3]: i for i, x in enumerate(order)}
    info = {x[3]: x for x in order}
    # the launches before each one at its ports (the plan's order at each port is kept), and
    # the module whose port it docks to when that module flies earlier in the plan
    before: dict[tuple[str, str], set[tuple[str, str]]] = {}
    seen_at: dict[str, tuple[str, str]] = {}
    for x in order:
        key, ports = x[3], x[6]
        deps = {seen_at[p] for p in ports if p and p != "auto" and p in seen_at}
        deps |= {module_key[m] for m in _parents(ports)
                 if module_key.get(m, key) != key and rank[module_key[m]] < rank[key]}
        before[key] = deps
        seen_at.update({p: key for p in ports if p and p != "auto"})

    # the launches each one waits for at its ports, directly or through others (plan order:
    # each launch's predecessors are complete before it)
    upstream: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for x in order:
        upstream[x[3]] = set().union(*([before[x[3]]] + [upstream[d] for d in before[x[3]]]))

    last: dict[str, tuple[dt.datetime, str]] = {}    # pad -> its latest lift-off, launch
    on_port: dict[str, tuple[str, str]] = {}          # port -> its latest occupant
    shift: dict[tuple[str, str], dt.timedelta] = {}   # launch -> its slip
    done: dict[tuple[str, str], tuple] = {}           # launch -> (label, docking, departure)
    now = {x[3]: x[0] for x in order}                 # launch not yet flown -> its earliest
    why: dict[tuple[str, str], tuple[dt.datetime, str, str, str]] = {}  # lift-off, latest
    # reason, its cause ("pad", "port") and the launch it waits behind
    held: dict[tuple[str, str], list[tuple[str, str]]] = {}    # launch -> those waiting for it
    # the queue: earliest lift-off, then the plan's order (first planned first: a launch
    # waiting for its pad keeps its place against the launches planned after it)
    heap = [(x[0], rank[x[3]], x[3]) for x in order]
    heapq.heapify(heap)

    windowed: set[tuple[str, str]] = set()          # launches queued at their window

    def move(key: tuple[str, str], cand: dt.datetime, reason: str, cause: str = "",
             window: bool = False, behind: str = "") -> None:
        """Launch ``key`` lifts off no earlier than ``cand`` (UTC): back in the queue there
        (``window``: ``cand`` is its window on or after the earliest lift-off already kept;
        ``cause``: ``"pad"`` or ``"port"``, :attr:`PadSlips.rows`; ``behind``: the launch it
        waits for)."""
        now[key] = cand
        if window:
            windowed.add(key)
        else:
            windowed.discard(key)
            why[key] = (cand, reason, cause, behind)
        heapq.heappush(heap, (cand, rank[key], key))

    def allowed(key: tuple[str, str], t: dt.datetime) -> tuple[dt.datetime, str, str, str]:
        """The earliest lift-off (UTC) of launch ``key`` queued at ``t`` that the launches
        already flown allow, why (empty: ``t``), its cause (``"port"``, ``"pad"``) and behind
        which launch: a launch docking to a slipped module's port, or at a port a slipped ship
        leaves later than it docks, waits for it; then its pad's turnaround after the pad's
        last lift-off; then a failed launch's pad."""
        lift, _u, _k, _key, _label, st, ports, dock, dep = info[key]
        cand, reason, cause, behind = t, "", "", ""
        for d, need in ([(module_key[m], 0) for m in _parents(ports)
                         if module_key.get(m, key) != key and module_key[m] in done]
                        + [(on_port[p], 1) for p in ports if on_port.get(p) in done]):
            if d not in shift:
                continue
            after = (done[d][1] + dt.timedelta(hours=1) if need == 0 else done[d][2])
            if after is not None and dep is None and need == 1:  # a module after a ship
                after += clear
            if after is not None and lift + (after - dock) > cand:
                cand, reason = lift + (after - dock), f"waits for {done[d][0]}, slipped"
                cause, behind = "port", done[d][0]
        gap, prev = turnaround(st), last.get(st.id)
        if prev is not None and gap and cand < prev[0] + gap:
            cand, cause, behind = prev[0] + gap, "pad", prev[1]
            reason = (f"{st.name_en} pad turnaround ({gap.total_seconds() / 86400:g} d) "
                      f"after {prev[1]} ({prev[0]:%Y-%m-%d %H:%M} UTC)")
        for f, lab in sorted(fixed.get(st.id, ())):   # a failed launch's pad is kept
            if f - gap < cand < f + gap:
                cand, cause, behind = f + gap, "pad", lab
                reason = (f"{st.name_en} pad turnaround ({gap.total_seconds() / 86400:g} d) "
                          f"after {lab} ({f:%Y-%m-%d %H:%M} UTC)")
        return cand, reason, cause, behind

    def waits_for(key: tuple[str, str], d: tuple[str, str]) -> dt.datetime:
        """A lower bound of the lift-off (UTC) of launch ``key`` waiting for launch ``d``, not
        flown yet, before it at its ports (``d`` no earlier than its queue time): after ``d``'s
        module docks, or after ``d`` leaves the port."""
        lift, *_r, dock, dep = info[key]
        lift_d, *_s, dock_d, dep_d = info[d]
        moved = max(now[d] - lift_d, dt.timedelta(0))
        if dep_d is None:                       # a module: its ports once it has docked
            after = dock_d + moved + dt.timedelta(hours=1)
        else:
            after = dep_d + moved + (clear if dep is None else dt.timedelta(0))
        return max(now[d], lift + (after - dock))

    while heap:
        t, _r, key = heapq.heappop(heap)
        if key in done or now[key] != t:
            continue
        lift, uncrewed, _k, key, label, st, ports, dock, dep = info[key]
        if key[0] == "failed":           # fixed: never moved, its pad is kept after it
            done[key] = (label, None, None)
            if st.id not in last or last[st.id][0] < lift:
                last[st.id] = (lift, label)
            continue
        # the plan's order at each port is kept: a launch whose port's earlier occupant (or
        # whose module) has not flown yet waits for it in the queue, without taking its pad
        wait = [d for d in before[key] if d not in done]
        if wait:
            held.setdefault(max(wait, key=rank.get), []).append(key)
            continue
        cand, reason, cause, behind = allowed(key, t)
        gap = turnaround(st)
        if cand > t:
            move(key, cand, reason, cause, behind=behind)
            continue
        if t > lift and key not in windowed:   # the first allowed window on or after it
            new = _window(windows, st, t)
            if new > t:
                move(key, new, "", window=True)
                continue
            t = new
        # crews first: a cargo ship does not take its pad within the turnaround before a
        # crew's lift-off still to come from it (one that does not wait for this ship)
        if key[0] == "visit" and uncrewed == 1 and gap:
            crews = [c for c in now if c not in done and info[c][1] == 0
                     and c[0] == "visit" and info[c][5].id == st.id
                     and key not in upstream[c]]
            # each crew's earliest lift-off from what has flown (its port waits, its pad, a
            # failed launch's pad), and no earlier than the launches it waits for at its ports
            # (a crew held behind one not yet flown: at least now)
            crew = min(((b, c) for c in crews
                        for b in [max([t, allowed(c, now[c])[0]]
                                      + [waits_for(c, d) for d in before[c] if d not in done])]
                        if b < t + gap), default=None)
            if crew is not None:
                move(key, crew[0] + gap,
                     f"{st.name_en} pad turnaround ({gap.total_seconds() / 86400:g} d) after "
                     f"{info[crew[1]][4]} ({crew[0]:%Y-%m-%d %H:%M} UTC; crews first)", "pad",
                     behind=info[crew[1]][4])
                continue
        if t > lift:
            shift[key] = t - lift
            days = (t - lift).total_seconds() / 86400.0
            earliest, reason, cause, behind = why[key]
            if behind:
                out.behind[label] = behind
            out.not_before[key] = earliest
            out.lift_offs[label] = t
            out.notes[key] = f"; slipped {days:.1f} d: {reason}"
            out.rows.append({"launch": label, "site": st.id,
                             "planned_lift_off": lift.isoformat(), "lift_off": t.isoformat(),
                             "earliest": earliest.isoformat(), "slip_days": round(days, 2),
                             "why": reason, "cause": cause})
        moved = t - lift
        done[key] = (label, dock + moved, None if dep is None else dep + moved)
        last[st.id] = (t, label)
        on_port.update({p: key for p in ports if p and p != "auto"})
        for w in held.pop(key, ()):      # launches waiting for this one at their ports
            if now[w] < t:
                move(w, t, f"waits for {label}", "port", behind=label)
            else:
                heapq.heappush(heap, (now[w], rank[w], w))
    return out
