"""Exterior robot (an arm like ESA's ERA), the crew's repair queue and spacewalks.

The arm works only while the station is uncrewed (automatic mode), one task at a time, each in
one uninterrupted stretch. Tasks: periodic exterior inspections, replacement of an orbital
replacement unit after an outside fault (from :mod:`rossim.ops.fdir`), and payload relocation
for free-flyer deployments from external berths. A worksite is reachable when its module's
centre is within the arm's reach of a base point (the centre of a base module attached at the
time, from the configuration's placements); an unreachable worksite goes to a spacewalk.

Repairs (:meth:`Scheduler.repair`) follow the component's ``repair_by``: ``robot`` (the arm,
``repair_h`` of arm time, the first free slot of an uncrewed stretch), ``crew`` (IVA,
``repair_h``, from ``reliability.crew_repair_start_days`` after the next crew arrives, at once
if a crew is aboard) or ``eva`` (``eva_count`` spacewalks of ``reliability.eva_h`` each,
``eva_min_gap_days`` apart egress to egress, after ``eva_prep_days`` of preparation, with at
least ``eva_min_crew`` aboard for the whole task). Spacewalks of different tasks (repairs and
the scenario's planned ones) also keep ``eva_min_gap_days`` between egresses: the station's
crew pair makes them all (:func:`egress_times`). Each task records its duration and the source
of that duration.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from rossim.config.systems import SystemsCatalog


@dataclass
class Task:
    kind: str                  # inspection, ORU replacement, relocation, EVA repair, crew repair
    worksite: str
    ready: dt.datetime
    duration_h: float
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    by: str = "robot"
    reachable: bool = True
    fault_id: int | None = None
    eva_h: float = 0.0          # hours outside (spacewalks only)
    source: str = ""            # where the duration comes from
    crew_draw: dict = field(default_factory=dict)  # crew hours drawn per UTC day (crew_time)


def egress_times(task, reliability) -> list[dt.datetime]:
    """Egress times (UTC) of a spacewalk task's EVAs: ``reliability.eva_min_gap_days`` apart,
    the last one ending the task (``task.end``; a task whose crew hours waited ends later and
    its spacewalks with it). Empty for a task without spacewalks or without a slot."""
    if getattr(task, "by", "") != "EVA" or task.end is None or task.eva_h <= 0:
        return []
    each = reliability.eva_h.value
    n = max(1, int(round(task.eva_h / each)))
    gap = dt.timedelta(days=reliability.eva_min_gap_days.value)
    last = task.end - dt.timedelta(hours=each)
    return [last - (n - 1 - j) * gap for j in range(n)]


@dataclass
class Windows:
    """Crewed and uncrewed stretches of the run (sorted, non-overlapping); ``eva``: the
    stretches with enough crew aboard for a spacewalk."""

    crewed: list[tuple[dt.datetime, dt.datetime]]
    uncrewed: list[tuple[dt.datetime, dt.datetime]]
    eva: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)


def crew_windows(timeline, eva_min_crew: int = 2) -> Windows:
    """Crewed / uncrewed intervals from the phases (crew aboard > 0 or not), and those with
    at least ``eva_min_crew`` aboard."""
    crewed, uncrewed, eva = [], [], []
    for p, c in zip(timeline.phases, timeline.properties, strict=True):
        targets = [crewed if c.crew_aboard > 0 else uncrewed]
        if c.crew_aboard >= eva_min_crew:
            targets.append(eva)
        for target in targets:
            if target and target[-1][1] == p.start:
                target[-1] = (target[-1][0], p.end)
            else:
                target.append((p.start, p.end))
    return Windows(crewed, uncrewed, eva)


@dataclass
class Scheduler:
    """Books robot time and crew repairs over the run."""

    timeline: object
    systems: SystemsCatalog
    windows: Windows
    busy: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    #: Crew time as a resource (:class:`rossim.ops.crew_time.CrewTime`); None: unlimited.
    crew_time: object = None

    def _draw_crew(self, task: Task, crew_hours: float) -> None:
        """Draw the task's crew hours; a task that finds the crew's hours used up ends
        later (it waits), or is unscheduled when the crewed days run out."""
        if self.crew_time is None or task.start is None or crew_hours <= 0:
            return
        end = self.crew_time.draw(task.kind, task.start, crew_hours, limit=None)
        task.crew_draw = dict(self.crew_time.last_draw)  # its exact refund if withdrawn
        if end is None:
            task.start = task.end = None
        elif end > task.end:
            task.end = end

    def _first_slot(self, ready: dt.datetime, need: dt.timedelta) -> dt.datetime | None:
        """Earliest start >= ready inside an uncrewed stretch that avoids booked robot time."""
        for w0, w1 in self.windows.uncrewed:
            if w1 <= ready:
                continue
            s = max(w0, ready)
            for b0, b1 in self.busy:  # sorted; push the start past every overlapping booking
                if b1 <= s:
                    continue
                if b0 >= s + need:
                    break
                s = b1
            if s + need <= w1:
                return s
        return None

    def reachable(self, worksite: str, when: dt.datetime) -> bool:
        config = self.timeline.at(when)
        if worksite not in config.placements:
            return False
        site = np.asarray(config.placements[worksite][0])
        bases = [np.asarray(config.placements[m][0]) for m in config.modules
                 if m in self.systems.robot.base_modules]
        reach = self.systems.robot.reach_m.value
        return any(np.linalg.norm(site - b) <= reach for b in bases)

    def book_robot(self, kind: str, worksite: str, ready: dt.datetime, duration_h: float,
                   fault_id: int | None = None, source: str = "") -> Task:
        """First uncrewed stretch after ``ready`` (and after the robot's previous task) long
        enough for the task; an unreachable worksite goes to a spacewalk (:meth:`book_eva`,
        as many EVAs as the arm time needs at ``reliability.eva_h`` each)."""
        if not self.reachable(worksite, ready):
            n = max(1, math.ceil(duration_h / self.systems.reliability.eva_h.value))
            return self.book_eva("EVA repair" if fault_id else f"EVA {kind}", worksite, ready,
                                 n, fault_id, reachable=False)
        need = dt.timedelta(hours=duration_h)
        s = self._first_slot(ready, need)
        task = Task(kind, worksite, ready, duration_h, s, s + need if s else None, "robot", True,
                    fault_id, source=source)
        if s is not None:
            self.busy.append((s, s + need))
            self.busy.sort()
        self.tasks.append(task)
        return task

    def _crew_slot(self, windows, ready: dt.datetime, need: dt.timedelta
                   ) -> dt.datetime | None:
        lag = dt.timedelta(days=self.systems.reliability.crew_repair_start_days.value)
        for w0, w1 in windows:
            if w1 <= ready:
                continue
            s = max(ready, w0 + lag)
            if s + need <= w1:
                return s
        return None

    def book_crew(self, kind: str, worksite: str, ready: dt.datetime, duration_h: float,
                  fault_id: int | None = None, reachable: bool = True, source: str = "") -> Task:
        """Next crewed stretch after ``ready``: the repair starts
        ``reliability.crew_repair_start_days`` after arrival (or at ``ready`` if the crew is
        aboard)."""
        need = dt.timedelta(hours=duration_h)
        s = self._crew_slot(self.windows.crewed, ready, need)
        task = Task(kind, worksite, ready, duration_h, s, s + need if s else None, "crew",
                    reachable, fault_id, source=source)
        self._draw_crew(task, duration_h)
        self.tasks.append(task)
        return task

    def book_eva(self, kind: str, worksite: str, ready: dt.datetime, n_eva: int,
                 fault_id: int | None = None, reachable: bool = True) -> Task:
        """``n_eva`` spacewalks (``reliability.eva_h`` each, ``eva_min_gap_days`` apart) after
        ``reliability.eva_prep_days`` of preparation, inside one stretch with at least
        ``reliability.eva_min_crew`` aboard; each egress at least ``eva_min_gap_days`` from
        every egress already booked (:func:`egress_times`): a clash moves the task later."""
        rel = self.systems.reliability
        eva_h = n_eva * rel.eva_h.value
        gap_h = rel.eva_min_gap_days.value * 24.0
        hours = rel.eva_prep_days.value * 24.0 + (n_eva - 1) * gap_h + rel.eva_h.value
        need = dt.timedelta(hours=hours)
        windows = crew_windows(self.timeline, int(rel.eva_min_crew.value)).eva
        booked = sorted(e for t in self.tasks for e in egress_times(t, rel))
        apart = f", {rel.eva_min_gap_days.value:g} days apart," if n_eva > 1 else ""
        source = (f"{n_eva} EVA x {rel.eva_h.value:g} h (ISS record){apart} after "
                  f"{rel.eva_prep_days.value:g} days of preparation")
        ct = getattr(self.systems, "crew_time", None)
        after = ready
        while True:
            s = self._crew_slot(windows, after, need)
            task = Task(kind, worksite, ready, hours, s, s + need if s else None, "EVA",
                        reachable, fault_id, eva_h=eva_h, source=source)
            if s is None:
                break
            clash = self._eva_clash(egress_times(task, rel), booked, gap_h)
            if clash is not None:  # first move past the booked spacewalks, then draw
                after = s + clash
                continue
            if ct is not None:  # two crew outside, plus their preparation, per spacewalk
                self._draw_crew(task, n_eva * ct.eva_crew.value * (rel.eva_h.value
                                                                    + ct.eva_prep_crew_h.value))
            clash = self._eva_clash(egress_times(task, rel), booked, gap_h)
            if clash is None or task.start is None:
                break
            self.refund(task)  # the crew hours' wait moved a spacewalk onto a booked one
            after = s + clash
        self.tasks.append(task)
        return task

    @staticmethod
    def _eva_clash(egresses: list[dt.datetime], booked: list[dt.datetime],
                   gap_h: float) -> dt.timedelta | None:
        """How much later the egresses must move to keep ``gap_h`` hours from every booked
        egress (None: no clash)."""
        gap = dt.timedelta(hours=gap_h)
        for e in egresses:
            for b in booked:
                if abs(e - b) < gap:
                    return b + gap - e
        return None

    def refund(self, task: Task) -> None:
        """Give back the crew hours ``task`` drew, day by day (a booking withdrawn or moved;
        :func:`rossim.ops.repair_crew_tasks.withdraw`)."""
        ct = self.crew_time
        if ct is None or not task.crew_draw:
            return
        for d, h in task.crew_draw.items():
            left = ct.used.get(d, 0.0) - h
            if left > 1e-9:
                ct.used[d] = left
            else:
                ct.used.pop(d, None)
        ct.by_kind[task.kind] = ct.by_kind.get(task.kind, 0.0) - sum(task.crew_draw.values())

    def repair(self, fault, comp, ready: dt.datetime | None = None) -> Task:
        """Book the repair of ``fault`` (a unit of ``comp``) by the component's
        ``repair_by`` from ``ready`` (default: its detection). Returns the task (``end`` is
        None when no slot exists before the end of the plan)."""
        worksite = fault.module
        if worksite == "station":
            config = self.timeline.at(fault.failed_at)
            worksite = "core" if "core" in config.modules else config.modules[0]
        ready = ready or fault.detected_at or fault.failed_at
        who = comp.repairer
        src = f"repair_h {comp.repair_h.value:g} h: {comp.repair_h.source}"
        if who == "robot":
            return self.book_robot("ORU replacement", worksite, ready, comp.repair_h.value,
                                   fault.id, source=src)
        if who == "eva":
            n = int(comp.eva_count.value) if comp.eva_count else max(
                1, math.ceil(comp.repair_h.value / self.systems.reliability.eva_h.value))
            return self.book_eva("EVA repair", worksite, ready, n, fault.id)
        return self.book_crew("crew repair", worksite, ready, comp.repair_h.value, fault.id,
                              source=src)

    def plan_routine(self) -> None:
        """Periodic inspections and free-flyer payload relocations."""
        scen = self.timeline.scenario
        robot = self.systems.robot
        t = self.timeline.phases[0].start + dt.timedelta(days=robot.inspection_every_days.value)
        while t < scen.span.end:
            config = self.timeline.at(t)
            site = next((m for m in config.modules if m in robot.base_modules), config.modules[0])
            self.book_robot("inspection", site, t, robot.inspection_h.value)
            t += dt.timedelta(days=robot.inspection_every_days.value)
        for dep in scen.free_flyers.deployments:
            module = dep.port.split(".", 1)[0]
            self.book_robot("relocation", module, dep.date - dt.timedelta(days=7),
                            robot.relocation_h.value)
