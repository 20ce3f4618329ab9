"""Spacewalks in the run: the scenario's planned EVAs and crew time.

Spacewalks for repairs the robot cannot make come from :mod:`rossim.ops.fdir` through
:meth:`rossim.ops.robotics.Scheduler.repair` (``repair_by = "eva"`` or a worksite out of the
arm's reach). The scenario's ``[[evas]]`` are booked here at the start of the run the same
way (:meth:`~rossim.ops.robotics.Scheduler.book_eva`: two crew aboard, preparation days,
``reliability.eva_h`` each). Every crew task draws on the crew's hours
(:class:`rossim.ops.crew_time.CrewTime`). Their dose outside is
:mod:`rossim.analysis.crew_record`'s.
"""

from __future__ import annotations

from rossim.ops.crew_time import CrewTime

__all__ = ["attach_crew_time", "book_planned_evas"]


def book_planned_evas(sim) -> list:
    """Book the scenario's ``[[evas]]`` (returns the tasks)."""
    out = []
    for e in sim.scenario.evas:
        out.append(sim.scheduler.book_eva(e.task, e.worksite, e.date, e.count))
    return out


def attach_crew_time(sim) -> None:
    """Give the run's scheduler its crew-time budget (when the catalog has ``[crew_time]``)
    and book the planned spacewalks."""
    if getattr(sim.systems, "crew_time", None) is not None:
        sim.scheduler.crew_time = CrewTime(sim.timeline, sim.systems)
    book_planned_evas(sim)
