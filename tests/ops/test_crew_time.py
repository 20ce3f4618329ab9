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
    # a crew of at least two is aboard for the whole task
    for a, b in sim.scheduler.windows.eva:
        if a <= t.start < b:
            assert t.end <= b
            break
    else:
        raise AssertionError("the spacewalk is outside every stretch with two crew aboard")
