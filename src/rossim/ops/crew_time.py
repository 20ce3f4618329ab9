"""Crew time as a resource: the hours the crew aboard has for tasks, drawn by repairs,
spacewalks and experiments.

Each crewed day gives ``crew_time.task_hours_per_crew_day`` x the crew aboard (the ISS's
scheduled workday) of task hours. A crew repair (IVA) draws its ``repair_h`` from the day it
starts, a spacewalk task ``crew_time.eva_crew`` x (``reliability.eva_h`` + ``eva_prep_crew_h``)
per spacewalk; what a day cannot give moves to the next crewed day, so a task waits when the
crew's hours are used up (its end moves later). Experiments take what is left
(:meth:`CrewTime.summary`). Whole UTC days; the budget is computed from the plan's crew
windows (:func:`rossim.ops.robotics.crew_windows`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["CrewTime"]


def _day(t: dt.datetime) -> dt.date:
    return t.astimezone(dt.UTC).date()


class CrewTime:
    """Task hours per UTC day of the plan (see the module docstring)."""

    def __init__(self, timeline, systems):
        self.systems = systems
        self.params = systems.crew_time
        self.used: dict[dt.date, float] = {}
        self.by_kind: dict[str, float] = {}
        self.waited_h = 0.0
        #: hours the last :meth:`draw` took per day (a task keeps them: its exact refund,
        #: :func:`rossim.ops.repair_crew_tasks.withdraw`)
        self.last_draw: dict[dt.date, float] = {}
        self.set_timeline(timeline)

    def set_timeline(self, timeline) -> None:
        """Budget per day from the crew aboard in each phase (hours)."""
        per = self.params.task_hours_per_crew_day.value if self.params else 0.0
        budget: dict[dt.date, float] = {}
        for p, c in zip(timeline.phases, timeline.properties, strict=True):
            if c.crew_aboard <= 0:
                continue
            t = p.start
            while t < p.end:
                nxt = min(dt.datetime.combine(_day(t) + dt.timedelta(days=1), dt.time(),
                                              tzinfo=dt.UTC), p.end)
                budget[_day(t)] = budget.get(_day(t), 0.0) + (
                    c.crew_aboard * per * (nxt - t).total_seconds() / 86400.0)
                t = nxt
        self.budget = budget

    def left(self, day: dt.date) -> float:
        return max(self.budget.get(day, 0.0) - self.used.get(day, 0.0), 0.0)

    def draw(self, kind: str, start: dt.datetime, crew_hours: float,
             limit: dt.datetime | None = None) -> dt.datetime | None:
        """Draw ``crew_hours`` from ``start`` on, day by day; returns the day the last hour is
        given (end of that day's draw), or None when the plan's crewed days run out before
        ``limit``. The hours drawn are booked either way (what the crew did); the hours taken
        per day are in :attr:`last_draw`."""
        need = crew_hours
        self.last_draw = {}
        d = _day(start)
        last = max(self.budget, default=d)
        end = None
        while need > 1e-9 and d <= last:
            if limit is not None and dt.datetime.combine(d, dt.time(), tzinfo=dt.UTC) > limit:
                break
            take = min(self.left(d), need)
            if take > 0:
                self.used[d] = self.used.get(d, 0.0) + take
                self.last_draw[d] = take
                need -= take
                end = dt.datetime.combine(d, dt.time(), tzinfo=dt.UTC) + dt.timedelta(
                    hours=min(24.0, 8.0 + take))
            d += dt.timedelta(days=1)
        self.by_kind[kind] = self.by_kind.get(kind, 0.0) + crew_hours - need
        if need > 1e-9:
            return None
        return end

    def summary(self) -> dict[str, Any]:
        """Hours available, drawn per kind of task, left for experiments, and days when the
        crew's task hours were all used."""
        total = sum(self.budget.values())
        used = sum(self.used.values())
        full = sum(1 for d, b in self.budget.items() if b > 0 and self.left(d) <= 1e-9)
        return {"task_hours_available": round(total, 2),
                "task_hours_by_kind": {k: round(v, 2) for k, v in sorted(self.by_kind.items())},
                "experiment_hours": round(total - used, 2),
                "days_fully_booked": full,
                "task_hours_per_crew_day": (self.params.task_hours_per_crew_day.value
                                            if self.params else None)}
