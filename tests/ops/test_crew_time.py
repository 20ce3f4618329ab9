"""Crew time as a resource (rossim.ops.crew_time) and its use by the scheduler."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from rossim.config.systems import load_systems
from rossim.ops.crew_time import CrewTime


def _timeline(crew: int, days: int):
    t0 = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    p = SimpleNamespace(start=t0, end=t0 + dt.timedelta(days=days))
    return SimpleNamespace(phases=[p], properties=[SimpleNamespace(crew_aboard=crew)])


def test_budget_is_hours_per_crew_day():
    sy = load_systems()
    ct = CrewTime(_timeline(2, 10), sy)
    per = sy.crew_time.task_hours_per_crew_day.value
    assert sum(ct.budget.values()) == pytest.approx(2 * 10 * per)
    assert ct.summary()["experiment_hours"] == pytest.approx(2 * 10 * per)


def test_task_waits_when_the_day_is_used_up():
    sy = load_systems()
    per = sy.crew_time.task_hours_per_crew_day.value
    ct = CrewTime(_timeline(2, 10), sy)
    t0 = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    end1 = ct.draw("crew repair", t0, 2 * per)        # one full day of two crew
    assert end1.date() == t0.date()
    end2 = ct.draw("crew repair", t0, 3.0)            # nothing left that day: waits a day
    assert end2.date() == (t0 + dt.timedelta(days=1)).date()
    assert ct.summary()["days_fully_booked"] == 1
    assert ct.draw("EVA repair", t0, 1e4) is None     # more than the plan's crewed days give
    s = ct.summary()
    assert s["experiment_hours"] == pytest.approx(0.0, abs=1e-6)
    assert s["task_hours_by_kind"]["crew repair"] == pytest.approx(2 * per + 3.0)


def test_planned_spacewalks_are_booked_and_draw_crew_time():
    """ros-51.6's [[evas]]: two spacewalks with the July 2031 crew, two people outside
    for reliability.eva_h each plus their preparation, drawn from the crew's hours."""
    from rossim.config.scenario import load_scenario
    from rossim.ops.simulation import Simulation

    s = load_scenario("ros-51.6")
    assert s.evas
    sim = Simulation(s)
    sy = sim.systems
    tasks = [t for t in sim.scheduler.tasks if t.kind == s.evas[0].task]
    assert len(tasks) == 1
    t = tasks[0]
    assert t.by == "EVA" and t.start is not None and t.start >= s.evas[0].date
    assert t.eva_h == pytest.approx(2 * sy.reliability.eva_h.value)
    drawn = sim.scheduler.crew_time.summary()["task_hours_by_kind"][s.evas[0].task]
    per = sy.crew_time.eva_crew.value * (sy.reliability.eva_h.value
                                         + sy.crew_time.eva_prep_crew_h.value)
    assert drawn == pytest.approx(2 * per)
    # its two spacewalks keep reliability.eva_min_gap_days between egresses
    from rossim.ops.robotics import egress_times

    e = egress_times(t, sy.reliability)
    assert e[1] - e[0] == dt.timedelta(days=sy.reliability.eva_min_gap_days.value)
    # a crew of at least two is aboard for the whole task
    for a, b in sim.scheduler.windows.eva:
        if a <= t.start < b:
            assert t.end <= b
            break
    else:
        raise AssertionError("the spacewalk is outside every stretch with two crew aboard")


def test_spacewalks_keep_the_minimum_gap_within_and_across_tasks():
    """reliability.eva_min_gap_days (Russian-segment series of one crew pair, at least six
    days from egress to egress): the spacewalks of one task are that far apart, and a repair
    spacewalk booked later moves past the planned ones rather than crowd them."""
    from rossim.ops.robotics import Scheduler, crew_windows, egress_times

    sy = load_systems()
    rel = sy.reliability
    gap = dt.timedelta(days=rel.eva_min_gap_days.value)
    assert rel.eva_min_gap_days.flag == "reported" and gap >= dt.timedelta(days=5)
    tl = _timeline(2, 90)
    sch = Scheduler(tl, sy, crew_windows(tl))
    sch.crew_time = CrewTime(tl, sy)
    t0 = tl.phases[0].start
    planned = sch.book_eva("outfitting EVA", "core", t0, 2)
    e = egress_times(planned, rel)
    assert len(e) == 2 and e[1] - e[0] == gap
    assert e[0] - planned.start == dt.timedelta(days=rel.eva_prep_days.value)
    assert planned.end == e[1] + dt.timedelta(hours=rel.eva_h.value)
    repair = sch.book_eva("EVA repair", "core", t0, 1, fault_id=7)
    assert repair.start is not None
    every = sorted(x for t in sch.tasks for x in egress_times(t, rel))
    assert len(every) == 3
    assert all(b - a >= gap for a, b in zip(every, every[1:], strict=False))
    assert egress_times(repair, rel)[0] == e[1] + gap  # the first egress the gap allows
    # crew hours drawn once per task (none left behind by a moved booking)
    per = sy.crew_time.eva_crew.value * (rel.eva_h.value + sy.crew_time.eva_prep_crew_h.value)
    assert sum(sch.crew_time.used.values()) == pytest.approx(3 * per)
