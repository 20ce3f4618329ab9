"""The ports and pads of a campaign run's planned visits (:class:`PlanPorts`).

A run's dispersed plan (:func:`rossim.campaign.dispersions.draw_run`) moves launches: slips,
late modules, launches lost and re-flown. Each visit's port must still be there and free
when the ship arrives. :meth:`PlanPorts.place` says, for a visit lifting off at ``t``, the
lift-off its port allows, the port and stay it gets, or why it is dropped:

* a cargo ship whose port's module is not flown or not there yet, whose port a module
  takes before it could stay a day, or whose port another ship holds at its docking, docks
  at the port where it can first dock for its whole stay (:func:`free_port`; its own port,
  once its module is there and free, counts), as a re-planned flight would, and asks again
  each time it is taken up (before stop 33 a ship waiting for its late module did not ask
  again once the module was there: ros-51.6 seed 2026 run 29's Progress MS (logistics port)
  #4 waited third in the queue for logistics.forward until July 2035, three more slipped past
  the span's end, and a ship held behind another until a module took its port was dropped);
  a crew, or a ship no port fits, waits for its own port, or is dropped if that module never
  flies (a crew at another port could put two crews aboard at once beyond the berths of the
  modules then docked);
* a module docks, for these waits, when the run's planner will dock it: ``module_dock``
  moved by ``module_slip`` (:meth:`PlanPorts.docked`; an estimate from the modules' own
  launches: the planner can slip a module more, behind crews from its pad);
* crews first at the pad too: a cargo ship does not lift off within its pad's turnaround
  and a day before the lift-off its own port allows a planned crew still to fly from that
  pad (not a crew that will not fly: its module never flies, or past the span's end),
  counting the launches already taken from it where the planner will fly them
  (:meth:`PlanPorts.crews_first`): it lifts off after the crew, an event line says so (the
  run's planner keeps the same rule for the plan's own ships, :mod:`rossim.station.pad_plan`:
  here the draw places the ship where the planner will fly it, with a day's margin for the
  window); a ship the planner still flies first is a breach of
  :mod:`rossim.campaign.plan_checks` and is held after the crew. ``tools/plan_checks.py 0
  200`` (ros-51.6 seed 2026): crews slipped behind a cargo ship in 84 draws, 1,188 days in
  all, on 893eeff; none since;
* crews first: that port is one no planned crew still to fly needs during the stay (from the
  crew's earliest docking known, :meth:`PlanPorts.need`, for its stay), with the stay's end
  moved by the pad turnaround the run's planner will add to the ship's lift-off
  (:meth:`PlanPorts.pad_clear`); where a crew needs it, the ship docks after that crew's visit
  (asked again then: the crew has flown, or still needs the port). Before 6be8b35 it took
  the first port free at its docking, the only crew port included, for its whole stay while
  crews waited behind it (ros-51.6 seed 2026 runs 29 and 107: months);
* a ``port = "auto"`` visit is given its port here, by the same rule (the planner would take
  the first free port at its docking, :func:`rossim.station.assembly.build_timeline`, which a
  slipped module or ship could then find held: every ros-2026-plan draw tried was refused);
  an ``auto`` crew's port is not held for it before it flies (which one it takes is not
  known until then), so such a crew can wait behind a re-planned cargo ship (ros-2026-plan
  seed 2026 runs 1, 4, 6);
* limits: the wait for a port free for a whole stay has no cap; the ports modules take are
  counted from their dockings without the planner's slip (a ship leaves a port a module takes
  up to that slip early: ros-51.6 seed 2026 run 29's Progress MS #1, about 27 days); a crew
  can hold a cargo ship for weeks where its own slip would have been days (crews first, not
  weighed);
* a visit never docks before the module carrying its port has docked (it waits until one day
  after it), nor while another vehicle holds its port (it waits until one hour after that one
  undocks);
* a vehicle leaves a port one hour before a module docks there (a shorter stay; dropped if
  that leaves less than a day, or if the module already took the port);
* a launch drawn to fail lifts off only once its pad's turnaround (catalog
  ``pad_turnaround_days``), plus a day (:data:`WINDOW_MARGIN`), has passed since every
  lift-off already taken from that pad: the modules' and the visits' that lifted off before
  it, failed ones included, and once its port's module, and the ship before it at that port,
  are there as the planner will slip them for the module's own pad turnaround
  (:meth:`PlanPorts.fail_clear`), so that it fails only where the pad and the port could fly
  it (a first estimate: :func:`rossim.campaign.dispersions.draw_run` then moves the failure
  to the lift-off the run's planner gives it). The planner spaces the launches that fly
  (:mod:`rossim.station.pad_plan`,
  after the in-plane windows, a crew before a ship at the same minute) and keeps a failed
  launch where it is; the day's margin is the most its window moves a launch before it (one
  pass a day).

:func:`rossim.campaign.plan_failures.fly_plan` asks it at every lift-off it considers, so that
a launch is drawn to fail only on a date its ship could fly, and :meth:`PlanPorts.take` books
the port of each ship that flies. Limits: the draw does not know the planner's other chains
of slips (a module's, the pad queue's), which :mod:`rossim.campaign.plan_agreement` checks
after it. Times UTC, stays in days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rossim.config.scenario import Visit

__all__ = ["MIN_STAY_DAYS", "WINDOW_MARGIN", "Placement", "PlanPorts", "free_port"]

#: The most the planner moves a launch to its in-plane window (one pass a day in the pad's
#: corridor, :mod:`rossim.station.windows`): the margin kept where the plan's dates must hold
#: after the planner's windows (a failed launch after another from its pad; a module after
#: another from its pad, :func:`rossim.campaign.dispersions.draw_run`).
WINDOW_MARGIN = dt.timedelta(days=1)

#: The shortest stay (days) a vehicle is docked for when a module takes its port after it
#: (it leaves an hour before the module docks; shorter: it is dropped).
MIN_STAY_DAYS = 1.0


def _days(x: float) -> dt.timedelta:
    return dt.timedelta(days=float(x))


def free_port(cat: Any, vehicle: str, dock: dt.datetime, stay_days: float,
              module_dock: dict[str, dt.datetime | None],
              module_port: dict[str, tuple[dt.datetime, str]],
              busy_until: dict[str, dt.datetime],
              crew_needs: Mapping[str, Sequence[tuple[dt.datetime, float]]] | None = None,
              slip: dt.timedelta = dt.timedelta(0)) -> tuple[str, dt.datetime] | None:
    """The port (``"<module>.<port>"``) that fits ``vehicle`` where it can dock earliest, at
    or after ``dock`` (UTC), for its whole stay of ``stay_days``, and that docking: a day
    after its module docks, an hour after the vehicle holding it leaves (``busy_until``),
    after the visit of each planned crew still to fly there whose stay it would overlap
    (``crew_needs``: port -> (earliest docking UTC, stay days) of each; crews first: the stay
    and a day's margin end before that crew docks), and with no module taking it before the
    stay and a day's margin are over. ``slip``: how much the
    run's planner will move the vehicle's lift-off for its pad's turnaround
    (:meth:`PlanPorts.pad_clear`), added to the stay's end where the crews and the modules
    are checked. Modules that have not docked yet count from their docking; ties go to ship
    ports (drogue) before growth ports (hybrid-passive), modules in docking order, ports in
    catalog order (as ``port = "auto"`` picks in
    :func:`rossim.station.assembly.build_timeline`). ``None``: no module that flies has a
    port that fits. A docking after a crew's visit is an estimate from that crew's earliest
    docking: :meth:`PlanPorts.place` asks again at that time, when the crew has flown (its
    port then booked until it leaves) or still needs the port."""
    from rossim.station.assembly import FITS

    spec = cat.vehicles.get(vehicle)
    if spec is None:
        return None
    crew_needs = crew_needs or {}
    fits = FITS.get(spec.port_type, frozenset())
    order = sorted(((t, m) for m, t in module_dock.items() if t is not None),
                   key=lambda x: x[0])
    best: tuple[dt.datetime, int, str] | None = None
    rank = 0
    for wanted in ("drogue", "hybrid-passive"):
        if wanted not in fits:
            continue
        for t_mod, mod in order:
            if mod not in cat.modules:
                continue
            for p in cat.modules[mod].ports:
                name = f"{mod}.{p.name}"
                if p.type != wanted:
                    continue
                rank += 1
                d = max(dock, t_mod + dt.timedelta(days=1))
                if name in busy_until:
                    d = max(d, busy_until[name] + dt.timedelta(hours=1))
                for at, crew_stay in sorted(crew_needs.get(name, ())):  # crews first
                    if at < d + slip + _days(stay_days + 1.0) and \
                            at + _days(crew_stay) + dt.timedelta(hours=1) > d:
                        d = at + _days(crew_stay) + dt.timedelta(hours=1)
                if name in module_port and \
                        module_port[name][0] < d + slip + _days(stay_days + 1.0):
                    continue
                if best is None or (d, rank) < best[:2]:
                    best = (d, rank, name)
    return None if best is None else (best[2], best[0])


@dataclass
class Placement:
    """Where and when a planned visit can fly (:meth:`PlanPorts.place`).

    ``launch``: the first lift-off (UTC) its port allows, at or after the one asked;
    ``update``: the visit's fields to change (``port``, ``duration_days``); ``notes``: the
    run's event lines if it flies then; ``waits``: the event lines of a move to a later
    lift-off (a cargo ship after a crew from its pad); ``dropped``: why it cannot fly at all
    (then the other fields are meaningless)."""

    launch: dt.datetime
    update: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    dropped: str | None = None
    #: the run's event lines of a move to a later lift-off (crews first at the pad)
    waits: list[str] = field(default_factory=list)


class PlanPorts:
    """The ports of a run's plan: when each module docks (``module_dock``, ``None``: not
    flown), which ports modules take and when (``module_port``: port -> (docking, module)),
    and until when the ships already booked hold their ports (:meth:`take`)."""

    def __init__(self, cat: Any, module_dock: dict[str, dt.datetime | None],
                 module_port: dict[str, tuple[dt.datetime, str]],
                 module_lift_offs: Sequence[tuple[str, dt.datetime]] = (),
                 module_slip: dict[str, dt.timedelta] | None = None,
                 span_end: dt.datetime | None = None):
        self.cat = cat
        self.module_dock = module_dock
        self.module_port = module_port
        #: module -> how much the planner will slip its launch for its pad's turnaround
        #: (:func:`rossim.campaign.dispersions.draw_run`); the ships at its ports slip as much
        self.module_slip = module_slip or {}
        self.busy_until: dict[str, dt.datetime] = {}
        #: visit order -> (port, earliest docking UTC, stay days) of each planned crew still
        #: to fly (:meth:`need`): a cargo ship re-homed to another port leaves it free for them
        self.crew_needs: dict[int, tuple[str, dt.datetime, float]] = {}
        #: visit order -> (pad, earliest lift-off UTC) of each planned crew still to fly
        #: (:meth:`need`): a cargo ship does not take the pad in the turnaround before it
        self.crew_lifts: dict[int, tuple[str | None, dt.datetime, str]] = {}
        #: the span's end (UTC): a crew that would lift off after it is not waited for
        self.span_end = span_end
        #: pad (catalog site id) -> lift-offs taken from it (modules, then each visit that
        #: lifted off, failed ones included)
        self.pad_lift_offs: dict[str, list[dt.datetime]] = {}
        for pad, t in module_lift_offs:
            self.pad_lift_offs.setdefault(pad, []).append(t)

    def pad_clear(self, t: dt.datetime, v: Visit,
                  margin: dt.timedelta = dt.timedelta(0)) -> dt.datetime:
        """The first lift-off at or after ``t`` (UTC) for visit ``v`` that keeps its pad's
        turnaround (catalog ``pad_turnaround_days``), plus ``margin``, after every lift-off
        already taken from it at or before that time (later ones are the planner's to space,
        :mod:`rossim.station.pad_plan`)."""
        from rossim.config.stand_down import site_of
        from rossim.station.pad_plan import turnaround

        pad = site_of(self.cat, v)
        if pad is None or pad not in self.cat.sites:
            return t
        gap = turnaround(self.cat.sites[pad])
        for lift in sorted(self.pad_lift_offs.get(pad, ())):
            if lift <= t < lift + gap + margin:
                t = lift + gap + margin
        return t

    def fail_clear(self, t: dt.datetime, v: Visit) -> dt.datetime:
        """The first lift-off at or after ``t`` (UTC) at which visit ``v``, drawn to fail,
        can fail where the planner would have flown it: its pad's turnaround and a day
        (:data:`WINDOW_MARGIN`) after every lift-off already taken from it; its docking a day
        after its port's module docks as the planner will slip it for the module's pad
        turnaround (``module_slip``: the planner moves a ship at a slipped module's port as
        much, but keeps a failed launch where it is), and an hour after the ship before it at
        that port leaves (booked from the slipped docking already, :meth:`docked`)."""
        t = self.pad_clear(t, v, WINDOW_MARGIN)
        if v.port == "auto":
            return t
        mod = v.port.split(".", 1)[0]
        slip = self.module_slip.get(mod, dt.timedelta(0))
        if not slip:
            return t
        to_dock = self.to_dock(v)
        md = self.module_dock.get(mod)
        if md is not None and t + to_dock < md + slip + dt.timedelta(days=1):
            t = md + slip + dt.timedelta(days=1) - to_dock
        free = self.busy_until.get(v.port)   # (booked from the module's slipped docking)
        if free is not None and t + to_dock < free + dt.timedelta(hours=1):
            t = free + dt.timedelta(hours=1) - to_dock
        return t

    def need(self, k: int, t: dt.datetime, v: Visit) -> None:
        """Planned crew visit ``v`` (visit order ``k``) lifts off at ``t`` (UTC) at the
        earliest: its pad is needed then and its port from its docking, for its stay
        (``port = "auto"``: no port is known before it flies), both from the lift-off its own
        port allows it (:meth:`place`: a crew waits for its module); nothing is held for a crew
        that will not fly (its module never flies, or it would lift off after the span's
        end)."""
        from rossim.config.stand_down import site_of

        self.crew_lifts.pop(k, None)
        self.crew_needs.pop(k, None)
        placed = self.place(t, "crew", v)     # where its own port lets it fly (crews wait
        if placed.dropped or (self.span_end is not None   # for their module, or are dropped)
                              and placed.launch > self.span_end):
            return
        self.crew_lifts[k] = (site_of(self.cat, v), placed.launch, v.name or v.vehicle)
        if v.port != "auto":
            self.crew_needs[k] = (v.port, placed.launch + self.to_dock(v),
                                  float(v.duration_days))

    def needed(self, k: int) -> None:
        """Crew visit ``k`` flew (or is dropped): its port and pad are no longer held for it."""
        self.crew_needs.pop(k, None)
        self.crew_lifts.pop(k, None)

    def crews_first(self, t: dt.datetime, v: Visit) -> tuple[dt.datetime, str | None]:
        """The first lift-off at or after ``t`` (UTC) for cargo ship ``v`` that does not take
        its pad within the turnaround (catalog ``pad_turnaround_days``, plus a day,
        :data:`WINDOW_MARGIN`) before the earliest lift-off of a planned crew still to fly
        from that pad: it lifts off after the crew then (crews first, the rule of the run's
        planner, :mod:`rossim.station.pad_plan`, which would otherwise move the ship there
        itself), and the crew it lifts off after (``None``: not moved)."""
        from rossim.config.stand_down import site_of
        from rossim.station.pad_plan import turnaround

        pad = site_of(self.cat, v)
        if pad is None or pad not in self.cat.sites:
            return t, None
        gap = turnaround(self.cat.sites[pad]) + WINDOW_MARGIN
        crews = sorted((c, name) for p, c, name in self.crew_lifts.values() if p == pad)
        after: str | None = None
        while True:
            ahead = self.pad_clear(t, v, WINDOW_MARGIN)   # behind the launches already taken
            c = next(((c, name) for c, name in crews if t < c < ahead + gap), None)
            if c is None:
                return t, after
            t, after = c[0] + gap, c[1]

    def _needs_by_port(self) -> dict[str, list[tuple[dt.datetime, float]]]:
        """Port -> (earliest docking UTC, stay days) of each planned crew still to fly there."""
        out: dict[str, list[tuple[dt.datetime, float]]] = {}
        for port, at, stay in self.crew_needs.values():
            out.setdefault(port, []).append((at, stay))
        return out

    def lifted(self, t: dt.datetime, v: Visit, failed: bool = False) -> None:
        """Visit ``v`` lifted off at ``t`` (UTC; flown, or ``failed``): its pad is taken,
        from the lift-off the run's planner will give it behind the launches already taken
        from that pad (:meth:`pad_clear`: the turnaround after each, not the window's day,
        which would add up along a chain of launches spaced by the turnaround, such as the
        monthly Orel crews on Vostochny's 30-day pad); a failed launch at ``t`` (the planner
        keeps it there)."""
        from rossim.config.stand_down import site_of

        pad = site_of(self.cat, v)
        if pad is not None:
            self.pad_lift_offs.setdefault(pad, []).append(
                t if failed else self.pad_clear(t, v))

    def to_dock(self, v: Visit) -> dt.timedelta:
        """Lift-off to docking of ``v``'s vehicle (catalog ``time_to_dock_h``; 0 if unknown)."""
        spec = self.cat.vehicles.get(v.vehicle)
        return dt.timedelta(0) if spec is None else _days(spec.time_to_dock_h.value / 24.0)

    def module_flown(self, port: str) -> bool:
        """False when the module carrying ``port`` is not flown in the run: a crew for that
        port is dropped (:meth:`place`), and takes no other crew's place meanwhile
        (:func:`rossim.campaign.plan_failures.fly_plan`); True for ``auto`` or no port."""
        if port in ("", "auto"):
            return True
        return self.module_dock.get(port.split(".", 1)[0], 0) is not None

    def docked(self) -> dict[str, dt.datetime | None]:
        """Module -> when it docks (UTC; ``None``: not flown) once the run's planner has
        slipped its launch for its pad's turnaround (``module_slip``, an estimate from the
        modules' launches alone: the planner can slip it more, behind crews from the same
        pad)."""
        zero = dt.timedelta(0)
        return {m: None if t is None else t + self.module_slip.get(m, zero)
                for m, t in self.module_dock.items()}

    def _first_port(self, t: dt.datetime, v: Visit) -> tuple[str, dt.datetime] | None:
        """:func:`free_port` for visit ``v`` lifting off at ``t`` (UTC), with the crews
        still to fly and the pad turnaround the planner will add to its lift-off."""
        return free_port(self.cat, v.vehicle, t + self.to_dock(v), v.duration_days,
                         self.docked(), self.module_port, self.busy_until,
                         self._needs_by_port(), self.pad_clear(t, v, WINDOW_MARGIN) - t)

    def place(self, t: dt.datetime, kind: str, v: Visit) -> Placement:
        """Where visit ``v`` (``kind`` ``"crew"`` or ``"cargo"``) docks if it lifts off at
        ``t`` (UTC), and the first lift-off at or after ``t`` its port allows (module
        docstring). Changes nothing: :meth:`take` books the port."""
        label = v.name or v.vehicle
        waits: list[str] = []
        if kind == "cargo":     # crews first at the pad
            t, after = self.crews_first(t, v)
            if after is not None:
                waits.append(f"{label}: lift-off moved to {t:%Y-%m-%d %H:%M}, after crew "
                             f"{after} from its pad (crews first)")
        out = Placement(t, waits=waits)
        to_dock = self.to_dock(v)
        if v.port == "auto":     # the first port it can dock at for its stay (crews first)
            got = self._first_port(t, v)
            if got is None:
                out.dropped = f"{label}: dropped, no port fits it"
                return out
            out.update["port"] = got[0]
            out.launch = max(t, got[1] - to_dock)
            return out
        mod = v.port.split(".", 1)[0]
        md = self.docked().get(mod, t)
        taken = self.module_port.get(v.port)
        lost = False                     # its own port is never free for it again
        if not self.module_flown(v.port):
            why = f"{mod} not flown"
        elif taken is not None and (taken[0] - (t + to_dock)).total_seconds() < 86400.0:
            why, lost = f"{v.port} taken by {taken[1]}", True
        elif t + to_dock < md:
            why = f"{mod} docks only on {md.date()}"
        elif (held := self.busy_until.get(v.port)) is not None and t + to_dock < held:
            why = f"{v.port} held until {held.date()}"
        else:
            why = ""
        port = v.port
        if why and kind == "cargo":   # the port it can dock at first, its own included
            alt = self._first_port(t, v)
            own = None if md is None or lost else max(
                md + dt.timedelta(days=1), self.busy_until.get(port, md) + dt.timedelta(hours=1))
            if own is not None and taken is not None and \
                    taken[0] - own < _days(MIN_STAY_DAYS) + dt.timedelta(hours=1):
                own = None               # a module takes its port before it could stay a day
                why = f"{v.port} taken by {taken[1]}"
            if alt is not None and (own is None or alt[1] < own):
                out.launch = max(t, alt[1] - to_dock)
                out.update["port"] = alt[0]
                out.notes.append(f"{label}: docks at {alt[0]} ({why})")
                return out
        if why and md is None:
            out.dropped = f"{label}: dropped, {why}, no other free port"
            return out
        if md is not None and t + to_dock < md:
            t = md + dt.timedelta(days=1) - to_dock
        free = self.busy_until.get(port)
        if free is not None and t + to_dock < free:
            t = free + dt.timedelta(hours=1) - to_dock
        out.launch = t
        if port in self.module_port:  # a module takes this port at some date
            taken_at, by = self.module_port[port]
            stay_days = (taken_at - (t + to_dock)).total_seconds() / 86400.0 - 1.0 / 24.0
            if stay_days < v.duration_days:
                if stay_days < MIN_STAY_DAYS:
                    out.dropped = f"{label}: dropped, port {port} taken by {by}"
                    return out
                out.update["duration_days"] = stay_days
                out.notes.append(f"{label}: leaves {port} early for {by}")
        return out

    def take(self, t: dt.datetime, v: Visit, placed: Placement) -> None:
        """Book the port of visit ``v`` lifting off at ``t`` as ``placed`` says, until it
        undocks."""
        port = placed.update.get("port", v.port)
        if port == "auto":
            return
        self.busy_until[port] = t + self.to_dock(v) + _days(
            placed.update.get("duration_days", v.duration_days))
