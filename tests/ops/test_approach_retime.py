"""A docking re-timed around a free-flyer (rossim.ops.approach_retime.shift_visit).

The ship keeps its lift-off (a longer phasing) and its departure, and stays a launch of the
plan: the pad's turnaround the planner keeps between the plan's launches
(rossim.station.pad_plan) still counts its lift-off, as for a crew docking by hand to a
drifting station (rossim.ops.drift_crew, tests/ops/test_drift_spare.py). The crew repairs its
old docking held (a crew's first day aboard) are booked again from the new one.

Scenario: tests/data/ops/ros-short.toml, random faults off. Progress MS #1 lifts off
2028-08-15 11:36 from Baikonur Site 31/6 and docks 14:54; a second Progress planned from the
same pad for 2028-08-20 slips to 2028-08-30 behind it (14-day pad turnaround). The injected
coolant-pump fault (2028-09-01) is repaired by Soyuz MS crew #2 on its first day aboard
(docking 2028-12-31 07:56, repair from 2029-01-01 07:56).
"""

from __future__ import annotations

import datetime as dt
import math

from drift_cases import SHORT, UTC

from rossim.config.scenario import Visit, load_scenario
from rossim.ops.approach_retime import DECISION_S, shift_visit
from rossim.ops.simulation import Simulation


def _sim(extra: list | None = None) -> Simulation:
    sc = load_scenario(SHORT)
    sc = sc.model_copy(update={
        "cargo_visits": [*sc.cargo_visits, *(extra or [])],
        "operations": sc.operations.model_copy(update={"random_faults": False})})
    return Simulation(sc)


def _events(sim, name: str) -> dict:
    return {e.kind: e for e in sim.timeline.events if e.part == name}


def _orbits(sim, k: int) -> int:
    eng = sim.engine
    return int(math.ceil(k * 2 * math.pi / sim.keepout.n / eng.step_s)) * eng.step_s


def test_retimed_docking_keeps_its_lift_off_and_the_pads_turnaround():
    """Re-timing Progress MS #1 by three orbits a day before its docking moves its docking
    only: its lift-off and its departure stay, and the Progress slipped behind its lift-off by
    the pad's turnaround keeps that slip (a visit made one the run commanded would drop out of
    the planner's turnaround: the second Progress would lift off five days after it)."""
    second = Visit(name="Progress B", vehicle="progress-ms", port="auto", duration_days=20,
                   launch=dt.datetime(2028, 8, 20, tzinfo=UTC))
    sim = _sim([second])
    eng = sim.engine
    before = _events(sim, "Progress MS #1")
    slip = next(r for r in sim.timeline.pad_slips if r["launch"] == "Progress B")
    assert "after Progress MS #1" in slip["why"]
    t_dock = eng.seconds(before["dock"].time)
    sim.engine.advance_to_s(t_dock - DECISION_S)
    shift = _orbits(sim, 3)
    ok, why = shift_visit(sim, "Progress MS #1", shift)
    assert ok, why
    after = _events(sim, "Progress MS #1")
    assert after["dock"].launch == before["dock"].launch            # lift-off kept
    assert eng.seconds(after["dock"].time) == t_dock + shift        # docks three orbits later
    assert after["undock"].time == before["undock"].time            # departure kept
    assert "Progress MS #1" not in sim._flown                       # still a launch of the plan
    assert next(r for r in sim.timeline.pad_slips if r["launch"] == "Progress B") == slip
    b = _events(sim, "Progress B")["dock"]
    assert b.launch - after["dock"].launch >= dt.timedelta(days=14)


def test_retimed_crew_docking_books_its_repairs_again_from_the_new_docking():
    """The coolant-pump repair booked on Soyuz MS crew #2's first day aboard moves with a
    re-timed docking: booked again from a day after the new docking (not left a few hours
    after it), with a ``docking-retimed`` event saying so."""
    sim = _sim()
    eng = sim.engine
    name = "Soyuz MS crew #2"
    dock = _events(sim, name)["dock"]
    lag = dt.timedelta(days=sim.systems.reliability.crew_repair_start_days.value)
    sim.engine.advance_to_s(eng.seconds(dock.time) - DECISION_S)
    task = next(t for t in sim.scheduler.tasks if t.fault_id is not None and t.by == "crew")
    assert task.start == dock.time + lag
    shift = _orbits(sim, 3)
    ok, why = shift_visit(sim, name, shift)
    assert ok, why
    new = _events(sim, name)["dock"].time
    assert new == dock.time + dt.timedelta(seconds=shift)
    moved = next(t for t in sim.scheduler.tasks if t.fault_id == task.fault_id)
    assert moved is not task and moved.start == new + lag
    said = [e for e in sim.events if e["kind"] == "docking-retimed"
            and "booked again" in e["detail"]]
    assert len(said) == 1 and f"#{task.fault_id} " in said[0]["detail"]
