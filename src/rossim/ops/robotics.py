"""Exterior robot (an arm like ESA's ERA) and the crew's repair queue.

The arm works only while the station is uncrewed (automatic mode), one task at a time, each in
one uninterrupted stretch. Tasks: periodic exterior inspections, replacement of an orbital
replacement unit after an outside fault (from :mod:`rossim.ops.fdir`), and payload relocation
for free-flyer deployments from external berths. A worksite is reachable when its module's
centre is within the arm's reach of a base point (the centre of a base module attached at the
time, from the configuration's placements); an unreachable worksite goes to the next crew as
an EVA task of twice the duration. Inside repairs wait for the next crew arrival.
"""

from __future__ import annotations

import datetime as dt
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


@dataclass
class Windows:
    """Crewed and uncrewed stretches of the run (sorted, non-overlapping)."""

    crewed: list[tuple[dt.datetime, dt.datetime]]
    uncrewed: list[tuple[dt.datetime, dt.datetime]]


def crew_windows(timeline) -> Windows:
    """Crewed / uncrewed intervals from the phases (crew aboard > 0 or not)."""
    crewed, uncrewed = [], []
    for p, c in zip(timeline.phases, timeline.properties, strict=True):
        target = crewed if c.crew_aboard > 0 else uncrewed
        if target and target[-1][1] == p.start:
            target[-1] = (target[-1][0], p.end)
        else:
            target.append((p.start, p.end))
    return Windows(crewed, uncrewed)


@dataclass
class Scheduler:
    """Books robot time and crew repairs over the run."""

    timeline: object
    systems: SystemsCatalog
    windows: Windows
    busy: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

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
                   fault_id: int | None = None) -> Task:
        """First uncrewed stretch after ``ready`` (and after the robot's previous task) long
        enough for the task; unreachable worksites go to the crew as EVA."""
        if not self.reachable(worksite, ready):
            return self.book_crew("EVA repair" if fault_id else f"EVA {kind}", worksite, ready,
                                  2.0 * duration_h, fault_id, reachable=False)
        need = dt.timedelta(hours=duration_h)
        s = self._first_slot(ready, need)
        task = Task(kind, worksite, ready, duration_h, s, s + need if s else None, "robot", True,
                    fault_id)
        if s is not None:
            self.busy.append((s, s + need))
            self.busy.sort()
        self.tasks.append(task)
        return task

    def book_crew(self, kind: str, worksite: str, ready: dt.datetime, duration_h: float,
                  fault_id: int | None = None, reachable: bool = True) -> Task:
        """Next crewed stretch after ``ready``: the repair starts a day after arrival (or at
        ``ready`` if the crew is aboard)."""
        need = dt.timedelta(hours=duration_h)
        for w0, w1 in self.windows.crewed:
            if w1 <= ready:
                continue
            s = max(ready, w0 + dt.timedelta(days=1))
            if s + need <= w1:
                task = Task(kind, worksite, ready, duration_h, s, s + need, "crew", reachable,
                            fault_id)
                self.tasks.append(task)
                return task
        task = Task(kind, worksite, ready, duration_h, None, None, "crew", reachable, fault_id)
        self.tasks.append(task)
        return task

    def repair(self, fault, comp):
        """FDIR hook: book a fault's repair; returns (done_at, by, worksite)."""
        worksite = fault.module
        if worksite == "station":
            config = self.timeline.at(fault.failed_at)
            worksite = "core" if "core" in config.modules else config.modules[0]
        ready = fault.detected_at or fault.failed_at
        if comp.location == "outside":
            task = self.book_robot("ORU replacement", worksite, ready, comp.repair_h.value,
                                   fault.id)
        else:
            task = self.book_crew("crew repair", worksite, ready, comp.repair_h.value, fault.id)
        return task.end, task.by, worksite

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
