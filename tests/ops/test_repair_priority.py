"""A lost function is repaired first (rossim.ops.repair_priority), and a crew that comes aboard
a station whose coolant loop is stopped is a critical alarm (rossim.ops.thermal_response).

Reference: the ISS lost one of its two cooling loops on 2010-07-31 (a failed ammonia pump):
science was halted and the crew's planned work gave way to three spacewalks in ten days to
swap the pump (``iss-pump-2010`` in docs/sources.md). Found in ``rossim run ros-2026-plan``:
both coolant pumps failed (faults #2 and #3, the loop stopped) while a transponder waited for a
spacewalk booked first (fault #1); the crew that docked 2029-07-17 spent its hours on that
spacewalk's preparation and swapped the pumps only 3.8 days after docking, while NEM-1 rose to
73.6 degC with the crew aboard, and no alarm said more than "warning".

Scenario: tests/data/ops/ros-short.toml (tests/ops/drift_cases.py), random faults off; its
first crew (2 aboard, Soyuz MS) docks about 2028-07-01 for 30 days. The crew time is
``crew_time.task_hours_per_crew_day`` per crew member and day.
"""

from __future__ import annotations

import datetime as dt

from drift_cases import scenario

from rossim.ops.simulation import Simulation


def _failed(plan: tuple[tuple[str, str], ...]) -> tuple[Simulation, dict]:
    """ros-short with the components of ``plan`` ``((component, date), ...)`` failed at
    their dates (in order), advanced six hours past the last one."""
    sim = Simulation(scenario(callup=False))
    rel = sim.reliability
    faults, units = {}, {}
    for c, at in plan:
        sim.advance_to(at)
        u = units.get(c, 0)
        units[c] = u + 1
        faults[f"{c}-{u}"] = rel.fail(sim.systems.component_by_id(c), "station", u, True)
    sim.advance_to(plan[-1][1] + "T06:00")   # detected, booked
    return sim, faults


def _task(sim, f):
    return next(t for t in sim.scheduler.tasks if t.fault_id == f.id)


def test_the_stopped_coolant_loop_is_repaired_before_an_older_spacewalk_repair():
    sim, f = _failed((("transponder", "2028-04-20"), ("coolant-pump", "2028-05-10"),
                      ("coolant-pump", "2028-05-10")))
    eva, p0, p1 = _task(sim, f["transponder-0"]), _task(sim, f["coolant-pump-0"]), \
        _task(sim, f["coolant-pump-1"])
    # the spacewalk (the oldest fault) no longer draws the crew's first hours: both pumps are
    # swapped on the crew's first working day, before the spacewalk ends
    assert p0.start == p1.start == eva.start
    assert max(p0.end, p1.end) - p0.start <= dt.timedelta(hours=4.0 + 1e-6)
    assert max(p0.end, p1.end) < eva.end
    # re-booked from now, each repair keeps the time it was ready (its fault's detection)
    assert [eva.ready, p0.ready, p1.ready] == [
        f[k].detected_at for k in ("transponder-0", "coolant-pump-0", "coolant-pump-1")]
    assert eva.ready < p0.ready < sim.now
    (ev,) = [e for e in sim.events if e["kind"] == "repair-priority"]
    assert "lost function first: fault #2 coolant-pump, #3 coolant-pump before " \
        "#1 transponder (EVA repair)" in ev["detail"]
    # the new slots say they replace the first bookings (an archive sorted by time shows
    # both at the same minute); the first bookings do not
    booked = [e["detail"] for e in sim.events if e["kind"] == "repair-booked"]
    again = [d for d in booked if d.endswith("re-booked, lost function first (repair-priority)")]
    assert [d.split(":")[0] for d in again] == ["fault #2 coolant-pump", "fault #3 coolant-pump",
                                               "fault #1 transponder"]
    assert len(booked) == 3 + len(again)
    # the crew time ledger holds each task's draw once (nothing left from the first booking)
    ct = sim.scheduler.crew_time
    drawn = sum(sum(t.crew_draw.values()) for t in sim.scheduler.tasks if t.crew_draw)
    assert abs(sum(ct.used.values()) - drawn) < 1e-6


def test_one_failed_pump_of_two_does_not_reorder_the_crew_repairs():
    """One pump of two still runs the loop (``min_units`` 1): no lost function, the
    repairs keep the order of their faults."""
    sim, f = _failed((("transponder", "2028-04-20"), ("coolant-pump", "2028-05-10")))
    eva, pump = _task(sim, f["transponder-0"]), _task(sim, f["coolant-pump-0"])
    assert not [e for e in sim.events if e["kind"] == "repair-priority"]
    # booked after the spacewalk, the 4 h swap waits for the hours its preparation leaves:
    # it ends days after the crew's first working day, as before this module
    assert pump.start == eva.start
    assert pump.end - pump.start > dt.timedelta(days=2)


def test_a_crew_docking_at_a_station_with_its_loop_stopped_is_a_critical_alarm():
    sim, _f = _failed((("coolant-pump", "2028-05-10"), ("coolant-pump", "2028-05-10")))
    sim.advance_to("2028-07-03")
    crew = [a for a in sim.alarms if a["subject"] == "thermal"
            and "with the crew aboard" in a["detail"]]
    assert crew, [a["detail"] for a in sim.alarms]
    a = crew[0]
    assert a["severity"] == "critical"
    assert "coolant loop stopped: 0 of 2 thermal-control loop pump units work" in a["cause"]
    # the pumps were swapped on the crew's first day: the module comes back inside its band
    sim.advance_to("2028-07-06")
    assert sim.module_temperature_c("nem1") <= 26.7
