"""The repair crew called to a drifting station does the whole job (rossim.ops.repair_crew_tasks).

Reference: Soyuz T-13 (``soyuz-t13`` in docs/sources.md): the repair crew flown to the dead
Salyut 7 in 1985 stayed for months and did every repair the station needed, not only the one
that killed it. A Progress undocks on ground command by its own docking mechanism (Progress
MS-02 from Zvezda, 2016-10-14) and a cargo ship leaves early to free a port for the next ship
(Progress M-29M, the day before Progress MS-02's launch, 2016-03-30/31): ``progress-undock``.

Scenario: tests/data/ops/ros-short.toml as in tests/ops/test_crew_callup.py (stage 1; Soyuz MS
crews 2028-07-01 and about 2028-12-30, 30 days each, 2 crew), random faults off. The crew time
is ``crew_time.task_hours_per_crew_day`` (6.5 h, ISS workday) per crew member and day.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from drift_cases import UTC, drift, drift_end, scenario

from rossim.config.scenario import Visit
from rossim.config.systems import load_systems
from rossim.ops.simulation import Simulation

_scenario, _drift, _drift_end = scenario, drift, drift_end


def _iso(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def _with_faults(fail_at: str, pump_h: float | None = None) -> tuple[Simulation, list]:
    """A coolant pump (IVA repair, 4 h, or ``pump_h``) and a transponder (one spacewalk)
    fail four days before every control computer fails at ``fail_at``: both are booked on
    the planned crew of about 2028-12-30."""
    systems = load_systems()
    if pump_h is not None:   # a forced case: this run's catalog figure
        systems = systems.model_copy(update={"component": [
            c.model_copy(update={"repair_h": c.repair_h.model_copy(update={"value": pump_h})})
            if c.id == "coolant-pump" else c for c in systems.component]})
    sim = Simulation(_scenario(), systems=systems)
    t0 = _iso(fail_at + "Z") - dt.timedelta(days=4)
    sim.advance_to(t0.strftime("%Y-%m-%dT%H:%M:%S"))
    extra = [sim.reliability.fail(sim.systems.component_by_id(c), "station", 0, True)
             for c in ("coolant-pump", "transponder")]
    sim.advance_to(fail_at)
    comp = sim.systems.component_by_id("computer")
    for unit in range(comp.units):
        sim.reliability.fail(comp, "station", unit, True)
    return sim, extra


def _booked_start(sim, f) -> dt.datetime:
    return next(t.start for t in sim.scheduler.tasks if t.fault_id == f.id)


def test_repair_crew_takes_over_every_pending_crew_repair():
    """Computers failed 2028-08-05: the repair crew lifts off 2028-11-28, docks manually two
    days later and stays until a day before the planned crew docks (about 2028-12-31). The
    coolant pump and the transponder waiting for the planned crew are repaired during its
    stay, once each; before, they waited for the planned crew."""
    sim, extra = _with_faults("2028-08-05T00:00:00")
    planned = dt.datetime(2028, 12, 29, tzinfo=UTC)
    assert all(_booked_start(sim, f) > planned for f in extra)   # booked on the later crew
    sim.advance_to_end()
    out = sim.finish()
    fl = out.summary["logistics"]["crew_callups"]["flight_list"][0]
    docked = _iso(fl["docked"])
    leave = docked + dt.timedelta(days=fl["stay_days"])
    planned = _iso(fl["planned_crew_docking"])   # the planned crew's docking
    # every unit failed before the docking and not a computer (the pump, the transponder,
    # and the second pump that failed with the first: common cause) is repaired in the stay
    others = [f for f in out.fdir.faults if f.component != "computer"
              and f.detected_at is not None and f.detected_at < docked]
    assert len(others) >= 2 and {f.id for f in extra} <= {f.id for f in others}
    for f in others:
        assert f.repaired_by in ("crew", "EVA")
        assert docked < f.repaired_at <= leave < planned, (f.id, f.repaired_at)
        rep = [e for e in out.events if e["kind"] == "fault-repaired"
               and e["detail"].startswith(f"fault #{f.id} ")]
        assert len(rep) == 1, rep
    assert len(fl["taken_over"]) == len(others) and fl["left_booked"] == [], fl
    ev = [e for e in out.events if e["kind"] == "crew-callup-repairs"]
    assert len(ev) == 1 and f"takes over {len(others)} repair(s)" in ev[0]["detail"]
    assert "coolant-pump" in ev[0]["detail"] and "transponder" in ev[0]["detail"]
    # the withdrawn bookings' hours went back: each crew repair is drawn once (4 h per
    # pump, 2 h per computer: systems.toml repair_h)
    ct = out.summary["crew_time"]["task_hours_by_kind"]
    n_pump = sum(1 for f in others if f.component == "coolant-pump")
    assert ct["crew repair"] == pytest.approx(4.0 * n_pump + 3 * 2.0, abs=1e-6)
    # one spacewalk: two crew outside 6.5 h plus their preparation (systems.toml crew_time)
    sys_ct, rel = sim.systems.crew_time, sim.systems.reliability
    assert ct["EVA repair"] == pytest.approx(
        sys_ct.eva_crew.value * (rel.eva_h.value + sys_ct.eva_prep_crew_h.value), abs=1e-6)
    bad = [k for k, v in out.summary["invariants"].items() if not v["holds"]]
    assert not bad, bad


def test_what_does_not_fit_the_stay_stays_booked_on_the_later_crew(no_pad_turnaround):
    """Computers failed 2028-08-25: the repair crew must leave about 11 days after docking
    (the planned crew docks about 2028-12-30). A coolant-pump repair made 200 h long (15 days
    of two crews' 6.5 h workdays) does not fit: it stays booked on the planned crew; the
    spacewalk (3 days of preparation, 6.5 h) fits and is taken over. Pads with no turnaround
    here (fixture): with it no repair crew flies from Baikonur Site 31 within 14 days of
    Progress MS #2 (2028-12-13) and the planned crew, so none would fly before the planned
    crew (tests/ops/test_pad_turnaround.py)."""
    sim, (f_pump, f_tx) = _with_faults("2028-08-25T00:00:00", pump_h=200.0)
    sim.advance_to_end()
    out = sim.finish()
    fl = out.summary["logistics"]["crew_callups"]["flight_list"][0]
    assert fl["state"] == "docked" and fl["stay_days"] < 15, fl
    leave = _iso(fl["docked"]) + dt.timedelta(days=fl["stay_days"])
    assert f_tx.repaired_at is not None and f_tx.repaired_at <= leave
    assert f_pump.repaired_at is None or f_pump.repaired_at > leave
    assert _booked_start(sim, f_pump) > leave
    assert any("transponder" in x for x in fl["taken_over"]), fl
    assert fl["left_booked"] and all("coolant-pump" in x for x in fl["left_booked"]), fl
    ev = [e for e in out.events if e["kind"] == "crew-callup-repairs"]
    assert len(ev) == 1 and "Left for the later crew" in ev[0]["detail"]
    assert "coolant-pump" in ev[0]["detail"].split("Left for the later crew")[1]


def test_withdrawn_booking_is_refunded_day_by_day():
    """A repair on the planned crew of 2028-12-30 that starts with 1 h left on its first day
    draws 1 h that day and 2 h the next. Withdrawing it gives back exactly those hours: the
    ledger is as before the booking. Before: 3 h came back from the first day (the other
    task's hours) and the next day kept its 2 h."""
    sim = Simulation(_scenario())
    sim.advance_to("2028-08-05T00:00:00")
    sch, ct = sim.scheduler, sim.scheduler.crew_time
    ready = sim.now
    s = sch._crew_slot(sch.windows.crewed, ready, dt.timedelta(hours=1))
    d0 = s.date()
    assert ct.budget[d0 + dt.timedelta(days=1)] > 3.0          # the crew is aboard the next day
    other = sch.book_crew("crew repair", "core", ready, ct.left(d0) - 1.0, fault_id=None)
    assert other.start.date() == d0 and ct.left(d0) == pytest.approx(1.0)
    before_used, before_kind = dict(ct.used), dict(ct.by_kind)
    sch.book_crew("crew repair", "core", ready, 3.0, fault_id=9999)
    assert ct.used[d0 + dt.timedelta(days=1)] - before_used.get(
        d0 + dt.timedelta(days=1), 0.0) == pytest.approx(2.0)
    sim.crew_callup._withdraw(SimpleNamespace(id=9999))
    assert not [t for t in sch.tasks if t.fault_id == 9999]
    days = set(before_used) | set(ct.used)
    for d in sorted(days):
        assert ct.used.get(d, 0.0) == pytest.approx(before_used.get(d, 0.0), abs=1e-9), d
    for k in set(before_kind) | set(ct.by_kind):
        assert ct.by_kind.get(k, 0.0) == pytest.approx(before_kind.get(k, 0.0), abs=1e-9), k


def test_ground_undocks_the_progress_that_holds_the_only_crew_port():
    """NEM-1 alone has one port a Soyuz fits (forward); a Progress docked there on
    2028-01-01 for 150 days. Computers failed 2028-01-10: the ground undocks the Progress
    (docked for months, delivered) a day before the repair crew lifts off, and the crew docks
    there about 2028-05-04 and repairs; the drift ends then, not at the planned crew of
    2028-07-01. Before: "no call-up: the station cannot take a crew" (campaign runs 55, 153)."""
    progress = Visit(vehicle="progress-ms", port="nem1.forward", duration_days=150,
                     launch=dt.datetime(2027, 12, 31, 20, tzinfo=UTC), name="Progress at NEM-1")
    sim = _drift(_scenario(cargo=[progress]), "2028-01-10T00:00:00")
    sim.advance_to("2028-05-10")
    cc = sim.crew_callup
    assert not cc.refusals and len(cc.flights) == 1, cc.refusals
    fl = cc.flights[0]
    assert fl["state"] == "docked" and fl["port"] == "nem1.forward", fl
    # the holder at the undocking: "Progress at NEM-1" itself (the cargo call-up ship for the
    # third computer's spare no longer docks automatically to the drifting station and free
    # the port first: it is held on the ground, rossim.ops.drift_docking)
    freed = fl["freed_port"]
    assert freed["vehicle"] == "Progress at NEM-1" and freed["port"] == "nem1.forward"
    launch, undock, docked = _iso(fl["launch"]), _iso(freed["undocked"]), _iso(fl["docked"])
    assert undock == launch - dt.timedelta(days=1)               # a day before the lift-off
    assert undock > _iso(freed["docked"]) + dt.timedelta(days=1)
    ev = [e for e in sim.events if e["kind"] == "crew-callup" and e["subject"] ==
          freed["vehicle"]]
    assert len(ev) == 1 and "undocked by ground command" in ev[0]["detail"]
    assert "free drift since 2028-01-10" in ev[0]["detail"]         # the cause
    assert not [a for a in sim.alarms if a["subject"] == "repair-crew"
                and "impossible" in a["detail"]]
    sim.advance_to("2028-05-20")
    out = sim.finish()
    end = _drift_end(out)
    assert end is not None and docked < end < docked + dt.timedelta(days=2)
    bad = [k for k, v in out.summary["invariants"].items() if not v["holds"]]
    assert not bad, bad
