"""The ports and pads of a campaign run's planned visits (:class:`PlanPorts`).

A run's dispersed plan (:func:`rossim.campaign.dispersions.draw_run`) moves launches: slips,
late modules, launches lost and re-flown. Each visit's port must still be there and free
when the ship arrives. :meth:`PlanPorts.place` says, for a visit lifting off at ``t``, the
lift-off its port allows, the port and stay it gets, or why it is dropped:

* a cargo ship whose port's module is not flown or not there yet, or whose port a module
  takes before it could stay a day, docks at another free port that fits it (as a re-planned
  flight would; :func:`free_port`); a crew, or a ship without such a port, waits for its own
  port, or is dropped if that module never flies (a crew at another port could put two crews
  aboard at once beyond the berths of the modules then docked);
* crews first: a re-homed cargo ship takes a port a planned crew still to fly needs during
  its stay (from that crew's earliest docking, :meth:`PlanPorts.need`) only when no other
  port is free for the whole stay, and then leaves it a day (:data:`WINDOW_MARGIN`) before
  that crew docks (a shorter stay, at least :data:`MIN_STAY_DAYS`), as ISS cargo ships leave
  a port early for a crew; before, it held the crew's port for its whole stay while the crews
  waited (ros-51.6 seed 2026 runs 29 and 107: months);
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
the port of each ship that flies. ``port = "auto"`` visits are left to the timeline
(:func:`rossim.station.assembly.build_timeline`). Times UTC, stays in days.
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

#: The shortest stay (days) a ship is docked for when a module or a crew needs its port
#: after it (shorter: it does not dock there).
MIN_STAY_DAYS = 1.0


def _days(x: float) -> dt.timedelta:
    return dt.timedelta(days=float(x))


def free_port(cat: Any, vehicle: str, dock: dt.datetime, stay_days: float,
              module_dock: dict[str, dt.datetime | None],
              module_port: dict[str, tuple[dt.datetime, str]],
              busy_until: dict[str, dt.datetime],
              crew_needs: Mapping[str, tuple[dt.datetime, str]] | None = None,
              min_stay_days: float | None = None) -> str | None:
    """A port (``"<module>.<port>"``) that fits ``vehicle`` and is free from ``dock`` (UTC)
    for ``stay_days``: its module docked at least a day before, no vehicle holds it then, no
    module takes it during the stay and no planned crew needs it then (``crew_needs``: port
    -> the earliest docking, UTC, of a crew still to fly there, and its name: crews first).
    Ship ports (drogue) before growth ports (hybrid-passive), modules in docking order, ports
    in catalog order (as ``port = "auto"`` picks in
    :func:`rossim.station.assembly.build_timeline`). Where none is free for the whole stay
    and ``min_stay_days`` is given, the port free the longest (at least that, and a day
    before the crew, :data:`WINDOW_MARGIN`) before a crew needs it; the caller shortens the
    stay (:meth:`PlanPorts.place`). ``None`` if there is none."""
    from rossim.station.assembly import FITS

    spec = cat.vehicles.get(vehicle)
    if spec is None:
        return None
    crew_needs = crew_needs or {}
    fits = FITS.get(spec.port_type, frozenset())
    leave = dock + _days(stay_days + 1.0)
    order = sorted(((t, m) for m, t in module_dock.items() if t is not None),
                   key=lambda x: x[0])
    best: tuple[dt.timedelta, str] | None = None   # (stay before a crew needs it, port)
    for wanted in ("drogue", "hybrid-passive"):
        if wanted not in fits:
            continue
        for t_mod, mod in order:
            if t_mod + dt.timedelta(days=1) > dock or mod not in cat.modules:
                continue
            for p in cat.modules[mod].ports:
                name = f"{mod}.{p.name}"
                if p.type != wanted:
                    continue
                if name in module_port and module_port[name][0] < leave:
                    continue
                if busy_until.get(name, dock) > dock:
                    continue
                need = crew_needs.get(name)
                if need is None or need[0] >= leave:
                    return name
                free = need[0] - WINDOW_MARGIN - dock
                if best is None or free > best[0]:
                    best = (free, name)
    if best is not None and min_stay_days is not None and best[0] >= _days(min_stay_days):
        return best[1]
    return None


@dataclass
class Placement:
    """Where and when a planned visit can fly (:meth:`PlanPorts.place`).

    ``launch``: the first lift-off (UTC) its port allows, at or after the one asked;
    ``update``: the visit's fields to change (``port``, ``duration_days``); ``notes``: the
    run's event lines if it flies then; ``dropped``: why it cannot fly at all (then the
    other fields are meaningless)."""

    launch: dt.datetime
    update: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    dropped: str | None = None


class PlanPorts:
    """The ports of a run's plan: when each module docks (``module_dock``, ``None``: not
    flown), which ports modules take and when (``module_port``: port -> (docking, module)),
    and until when the ships already booked hold their ports (:meth:`take`)."""

    def __init__(self, cat: Any, module_dock: dict[str, dt.datetime | None],
                 module_port: dict[str, tuple[dt.datetime, str]],
                 module_lift_offs: Sequence[tuple[str, dt.datetime]] = (),
                 module_slip: dict[str, dt.timedelta] | None = None):
        self.cat = cat
        self.module_dock = module_dock
        self.module_port = module_port
        #: module -> how much the planner will slip its launch for its pad's turnaround
        #: (:func:`rossim.campaign.dispersions.draw_run`); the ships at its ports slip as much
        self.module_slip = module_slip or {}
        self.busy_until: dict[str, dt.datetime] = {}
        #: visit order -> (port, earliest docking UTC, name) of each planned crew still to fly
        #: (:meth:`need`): a cargo ship re-homed to another port leaves it free for them
        self.crew_needs: dict[int, tuple[str, dt.datetime, str]] = {}
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
        after its port's module docks and an hour after the ship before it at that port
        leaves, both as the planner will slip them for the module's pad turnaround
        (``module_slip``: the planner moves a ship at a slipped module's port as much, but
        keeps a failed launch where it is)."""
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
        free = self.busy_until.get(v.port)
        if free is not None and t + to_dock < free + slip + dt.timedelta(hours=1):
            t = free + slip + dt.timedelta(hours=1) - to_dock
        return t

    def need(self, k: int, t: dt.datetime, v: Visit) -> None:
        """Planned crew visit ``v`` (visit order ``k``) lifts off at ``t`` (UTC) at the
        earliest: its port is needed from its docking then (``port = "auto"``: none)."""
        if v.port != "auto":
            self.crew_needs[k] = (v.port, t + self.to_dock(v), v.part_name)

    def needed(self, k: int) -> None:
        """Crew visit ``k`` flew (or is dropped): its port is no longer held for it."""
        self.crew_needs.pop(k, None)

    def _needs_by_port(self) -> dict[str, tuple[dt.datetime, str]]:
        """Port -> the earliest docking (UTC) of a planned crew still to fly there, and its
        name."""
        out: dict[str, tuple[dt.datetime, str]] = {}
        for port, at, name in self.crew_needs.values():
            if port not in out or at < out[port][0]:
                out[port] = (at, name)
        return out

    def lifted(self, t: dt.datetime, v: Visit) -> None:
        """Visit ``v`` lifted off at ``t`` (UTC; flown or failed): its pad is taken."""
        from rossim.config.stand_down import site_of

        pad = site_of(self.cat, v)
        if pad is not None:
            self.pad_lift_offs.setdefault(pad, []).append(t)

    def to_dock(self, v: Visit) -> dt.timedelta:
        """Lift-off to docking of ``v``'s vehicle (catalog ``time_to_dock_h``; 0 if unknown)."""
        spec = self.cat.vehicles.get(v.vehicle)
        return dt.timedelta(0) if spec is None else _days(spec.time_to_dock_h.value / 24.0)

    def place(self, t: dt.datetime, kind: str, v: Visit) -> Placement:
        """Where visit ``v`` (``kind`` ``"crew"`` or ``"cargo"``) docks if it lifts off at
        ``t`` (UTC), and the first lift-off at or after ``t`` its port allows (module
        docstring). Changes nothing: :meth:`take` books the port."""
        out = Placement(t)
        if v.port == "auto":
            return out
        label = v.name or v.vehicle
        to_dock = self.to_dock(v)
        mod = v.port.split(".", 1)[0]
        md = self.module_dock.get(mod, t)
        taken = self.module_port.get(v.port)
        if md is None:
            why = f"{mod} not flown"
        elif taken is not None and (taken[0] - (t + to_dock)).total_seconds() < 86400.0:
            why = f"{v.port} taken by {taken[1]}"
        elif t + to_dock < md:
            why = f"{mod} docks only on {md.date()}"
        else:
            why = ""
        port = v.port
        if why:
            needs = self._needs_by_port()
            alt = (free_port(self.cat, v.vehicle, t + to_dock, v.duration_days,
                             self.module_dock, self.module_port, self.busy_until, needs,
                             MIN_STAY_DAYS)
                   if kind == "cargo" else None)
            if alt is not None:
                out.notes.append(f"{label}: docks at {alt} ({why})")
                out.update["port"] = port = alt
                md = self.module_dock[alt.split(".", 1)[0]]
                need = needs.get(alt)     # a crew needs it during the stay: crews first
                stay_days = (None if need is None else
                             (need[0] - WINDOW_MARGIN - (t + to_dock)).total_seconds() / 86400.0)
                if stay_days is not None and stay_days < v.duration_days:
                    out.update["duration_days"] = stay_days
                    out.notes.append(f"{label}: leaves {alt} early for {need[1]}")
            elif md is None:
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
            if stay_days < out.update.get("duration_days", v.duration_days):
                if stay_days < MIN_STAY_DAYS:
                    out.dropped = f"{label}: dropped, port {port} taken by {by}"
                    return out
                out.update["duration_days"] = stay_days
                out.notes.append(f"{label}: leaves {port} early for {by}")
        return out

    def take(self, t: dt.datetime, v: Visit, placed: Placement) -> None:
        """Book the port of visit ``v`` lifting off at ``t`` as ``placed`` says, until it
        undocks."""
        if v.port == "auto":
            return
        port = placed.update.get("port", v.port)
        self.busy_until[port] = t + self.to_dock(v) + _days(
            placed.update.get("duration_days", v.duration_days))
