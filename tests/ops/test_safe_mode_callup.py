"""A safe mode only a crew can clear: the next planned crew flown early
(rossim.ops.safe_mode_callup, rossim.ops.crew_early).

Reference: Soyuz T-13 lifted off 115 days after Salyut 7 went dead (``soyuz-t13``: the
call-up's lead, tests/ops/test_crew_callup.py); Skylab's first crew flew on a date the ground
moved to carry a thermal repair (``skylab-2``, docs/sources.md). The expected lift-off comes
from the window finder every planned launch uses (rossim.station.windows), not from the code
under test: the first allowed in-plane window of the crew's pad on or after the failure plus
115 days.

Scenario: tests/data/ops/ros-short.toml (Soyuz MS crews of 30 days lifting off 2028-07-01 and
2028-12-31 from Baikonur; one pump fault injected on 2028-09-01), random faults off, both
coolant pumps failed on 2028-08-05 (the
loop stopped, safe mode; the next planned crew 148 days away). Before: the station sat in
safe mode until that crew, which boarded NEM-1 at 40 C (ros-51.6 campaign on 2dbeacd: 51 of
200 runs had a crew boarding a module above 26.7 C with the loop stopped).
"""

from __future__ import annotations

import datetime as dt

import pytest
from drift_cases import UTC, scenario

from rossim.ops import crew_early
from rossim.ops.simulation import Simulation
from rossim.station.windows import PlaneModel, WindowFinder, clock_minute

FAIL = dt.datetime(2028, 8, 5, tzinfo=UTC)


def _pumps_down(scen, at: str = "2028-08-05T00:00:00", component: str = "coolant-pump"):
    sim = Simulation(scen)
    sim.advance_to(at)
    comp = sim.systems.component_by_id(component)
    down = {f.unit for f in sim.reliability.faults
            if f.component == component and f.repaired_at is None}
    for unit in sorted(set(range(comp.units)) - down):  # the scenario injects one on 09-01
        sim.reliability.fail(comp, "station", unit, True)
    return sim


def _t(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def _crew_dock(sim, name: str) -> dt.datetime:
    return next(e.time for e in sim.timeline.events if e.part == name and e.kind == "dock")


def test_the_next_planned_crew_is_flown_early_and_repairs():
    scen = scenario()
    planned = _crew_dock(Simulation(scen), "Soyuz MS crew #2")
    sim = _pumps_down(scen)
    sim.advance_to_end()
    out = sim.finish()
    rec = out.summary["logistics"]["crew_callups"]
    assert rec["flights"] == 0 and not rec["refused"], rec       # no ship of its own
    (early,) = rec["flown_early"]
    assert early["name"] == "Soyuz MS crew #2" and early["site"] == "baikonur-31"
    # expected lift-off: the first window of its pad after the 115-day lead (T-13)
    cat = sim.timeline.catalog
    w = WindowFinder(PlaneModel.from_scenario(scen)).first(
        cat.sites["baikonur-31"], FAIL + dt.timedelta(days=115))
    lift = clock_minute(w["time"])
    ttd = dt.timedelta(hours=cat.vehicles["soyuz-ms"].time_to_dock_h.value)
    assert _t(early["launch"]) == lift and _t(early["docking"]) == lift + ttd
    assert _crew_dock(sim, "Soyuz MS crew #2") == lift + ttd
    assert _t(early["planned_docking"]) == planned
    assert early["days_earlier"] == pytest.approx((planned - lift - ttd).total_seconds()
                                                  / 86400, abs=0.01)
    assert early["days_earlier"] > 30
    # the pumps repaired on the crew's first day aboard (start day + 2 x 4 h at most),
    # safe mode over within the next contacts
    fixed = [f for f in out.fdir.faults if f.component == "coolant-pump"]
    assert len(fixed) == 2 and all(f.repaired_by == "crew" for f in fixed)
    rel = sim.systems.reliability
    for f in fixed:
        assert dt.timedelta(0) < f.repaired_at - (lift + ttd) <= dt.timedelta(
            days=rel.crew_repair_start_days.value, hours=8, minutes=2)
    ends = [iv[1] for iv in sim.autonomy.safe_intervals]
    assert len(ends) == 1 and ends[0] - max(f.repaired_at for f in fixed) < dt.timedelta(days=1)
    # as many crews as planned, the stay kept; one alarm for the move, with its cause
    assert out.summary["crew_visits"] == 2
    alarms = [a for a in out.alarms if a["subject"] == "repair-crew"]
    assert len(alarms) == 1 and "flown early" in alarms[0]["detail"]
    assert "0 of 2 thermal-control loop pump units work" in alarms[0]["cause"]
    assert early["state"] == "flown early"
    # the console says so (rossim run's summary table)
    from rossim.cli.run import callup_rows

    assert dict(callup_rows(out.summary["logistics"]))["crew_callups"] == (
        "0 (repair crew; 115 d lead; Soyuz MS crew #2 flown early, 32.46 d)")
    und = next(e.time for e in sim.timeline.events
               if e.part == "Soyuz MS crew #2" and e.kind == "undock")
    # the departure keeps the plan's stay from the window itself (rossim.station.windows.
    # visit_times: lift-off on the run's minute clock, a few seconds later)
    assert abs(und - (lift + ttd) - dt.timedelta(days=30)) < dt.timedelta(minutes=1)
    bad = [k for k, v in out.summary["invariants"].items() if not v["holds"]]
    assert not bad, bad


def test_without_the_call_up_the_planned_crew_repairs_at_its_date():
    """The contrast: the switch off, the safe mode lasts to the planned crew's first day."""
    scen = scenario(callup=False)
    sim = _pumps_down(scen)
    sim.advance_to_end()
    out = sim.finish()
    assert "crew_callups" not in out.summary["logistics"]
    planned = _crew_dock(sim, "Soyuz MS crew #2")
    assert planned > dt.datetime(2028, 12, 30, tzinfo=UTC)
    fixed = [f for f in out.fdir.faults if f.component == "coolant-pump"]
    assert all(f.repaired_at > planned for f in fixed)


def test_when_the_crew_cannot_move_a_repair_crew_flies(monkeypatch):
    """A plan that refuses the move (here: forced) leaves the crew where it was; the
    ground flies a repair crew of its own, docking automatically (the station holds
    attitude in safe mode), not on the drift's manual profile."""
    monkeypatch.setattr(crew_early, "fly_early", lambda *a, **k: False)
    scen = scenario()
    sim = _pumps_down(scen)
    sim.advance_to_end()
    out = sim.finish()
    rec = out.summary["logistics"]["crew_callups"]
    (fl,) = rec["flight_list"]
    veh = sim.timeline.catalog.vehicles[fl["vehicle"]]
    assert fl["state"] == "docked" and fl["approach"] == "automatic"
    assert fl["component"] == "coolant-pump" and fl["profile_h"] == veh.time_to_dock_h.value
    assert _t(fl["docked"]) - _t(fl["launch"]) == dt.timedelta(hours=veh.time_to_dock_h.value)
    assert "manual_dockings" not in out.summary["logistics"]
    arr = next(e for e in out.events if e["kind"] == "crew-callup-arrival")
    assert "automatic docking" in arr["detail"] and "coolant-pump" in arr["detail"]
    assert all(f.repaired_by == "crew" and f.repaired_at < dt.datetime(2028, 12, 20, tzinfo=UTC)
               for f in out.fdir.faults if f.component == "coolant-pump")


def test_a_crew_aboard_repairs_without_a_call_up():
    """Crew #1 is aboard until 2028-07-31: it repairs the pumps failed on 2028-07-05."""
    sim = _pumps_down(scenario(), at="2028-07-05T00:00:00")
    assert sim.config.crew_aboard > 0
    sim.advance_to("2028-08-01")
    assert not sim.crew_callup.flights and not sim.crew_callup.early
    assert any("no call-up: a crew is aboard" in e["detail"] for e in sim.events
               if e["kind"] == "crew-callup")
    assert all(f.repaired_at is not None for f in sim.reliability.faults
               if f.component == "coolant-pump")


def test_a_planned_crew_sooner_than_the_lead_is_left_as_planned():
    sim = _pumps_down(scenario(), at="2028-12-01T00:00:00")
    sim.advance_to("2028-12-02")
    assert not sim.crew_callup.flights and not sim.crew_callup.early
    (ev,) = [e for e in sim.events if e["kind"] == "crew-callup"]
    assert ev["detail"].startswith("no call-up: Soyuz MS crew #2 docks 2028-12-31")


@pytest.mark.parametrize("component", ["transponder", "gyrodyne"])
def test_no_call_up_for_a_spacewalk_or_robot_repair(component):
    """Only units a crew repairs inside: a spacewalk repair crew is not called (a limit),
    and the exterior robot repairs the gyrodynes itself."""
    sim = _pumps_down(scenario(), component=component)
    sim.advance_to("2028-08-06")
    assert sim.state.safe_mode
    assert not sim.crew_callup.flights and not sim.crew_callup.early
    assert not [e for e in sim.events if e["kind"] == "crew-callup"]


def test_no_planned_crew_after_a_repair_crew_flies_and_flies_again_after_an_abort():
    """Only the first planned crew (gone by 2028-07-31): nothing to fly early, so the ground
    flies a repair crew; its launch drawn to abort, it is called again (the pumps still
    down) the re-flight delay later (Soyuz MS-10 -> MS-11, 53 days), both docking
    automatically."""
    from rossim.config.free_drift import load_free_drift
    from rossim.ops import callup_loss

    scen = scenario()
    crew = scen.crew_series[0].model_copy(update={"until": dt.datetime(2028, 8, 1, tzinfo=UTC)})
    scen = scen.model_copy(update={"crew_series": [crew], "operations": scen.operations.model_copy(
        update={"callup_crew_launch_abort_probability": 1.0})})
    sim = _pumps_down(scen)
    sim.advance_to("2028-09-01")   # the first call drawn (at the call) to abort
    callup_loss.of(sim).p_crew = 0.0
    sim.advance_to_end()
    out = sim.finish()
    rec = out.summary["logistics"]["crew_callups"]
    assert "flown_early" not in rec
    first, again = rec["flight_list"]
    assert first["state"] == "aborted at launch: crew recovered" and again["state"] == "docked"
    assert first["approach"] == again["approach"] == "automatic"
    days = load_free_drift().repair_crew_reflight_days.value
    assert dt.timedelta(days=days) <= _t(again["launch"]) - _t(first["aborted"]) \
        <= dt.timedelta(days=days + 1)
    ev = next(e for e in out.events if e["kind"] == "crew-callup"
              and e["detail"].startswith("launch aborted"))
    assert "stays in safe mode" in ev["detail"] and "called again" in ev["detail"]
    assert all(f.repaired_at is not None and f.repaired_at > _t(again["docked"])
               for f in out.fdir.faults if f.component == "coolant-pump")


def test_the_early_crew_waits_for_its_launcher_s_stand_down():
    """Soyuz-2.1a grounded for crews until 2028-12-20 (a failure on 2028-08-01): the crew
    flown early lifts off at its pad's first window after that, still earlier than
    planned."""
    from rossim.config.stand_down import LauncherStandDown

    until = dt.datetime(2028, 12, 20, tzinfo=UTC)
    sd = LauncherStandDown(launcher="soyuz-2.1a", failed=dt.datetime(2028, 8, 1, tzinfo=UTC),
                           uncrewed_until=dt.datetime(2028, 9, 1, tzinfo=UTC),
                           crew_until=until, cause="test")
    scen = scenario()
    scen = scen.model_copy(update={"operations": scen.operations.model_copy(
        update={"launcher_stand_downs": [sd]})})
    sim = _pumps_down(scen)
    sim.advance_to("2028-12-01")
    (early,) = sim.crew_callup.early
    cat = sim.timeline.catalog
    # the pad is also busy 14 days after Progress MS #2's lift-off from it (pad turnaround)
    site = cat.sites["baikonur-31"]
    progress = next(e.launch for e in sim.timeline.events
                    if e.part == "Progress MS #2" and e.kind == "dock")
    turnaround = dt.timedelta(days=site.pad_turnaround_days.value)
    w = WindowFinder(PlaneModel.from_scenario(scen)).first(site, max(until, progress + turnaround))
    assert _t(early["launch"]) == clock_minute(w["time"])
    assert _t(early["docking"]) < _t(early["planned_docking"]) - dt.timedelta(days=1)
    (ev,) = [e for e in sim.events if e["kind"] == "crew-callup"]
    assert "soyuz-2.1a stand-down" in ev["detail"] and "no crew before 2028-12-20" in ev["detail"]


def _with_crews(days: float, stock: int | None = None, at: str = "2028-07-20T00:00:00"):
    scen = scenario()
    crew = scen.crew_series[0].model_copy(update={"duration_days": days})
    sim = Simulation(scen.model_copy(update={"crew_series": [crew]}))
    sim.advance_to(at)
    if stock is not None:
        sim.reliability.spares.stock["coolant-pump"] = stock
    comp = sim.systems.component_by_id("coolant-pump")
    for unit in range(comp.units):
        sim.reliability.fail(comp, "station", unit, True)
    return sim


def test_a_crew_aboard_repairs_when_the_spare_comes_by_cargo():
    """No spare aboard, crew #1 aboard until 2028-08-30 (60-day stays): the planned Progress
    MS #1 docks 2028-08-15 with the spares and the crew repairs; no crew is moved. Before
    (the drift's rule, no cargo ship docks to a drifting station) crew #2 was flown early
    while the station's own crew repaired three months earlier."""
    sim = _with_crews(60, stock=0)
    sim.advance_to("2028-09-01")
    assert not sim.crew_callup.early and not sim.crew_callup.flights
    (ev,) = [e for e in sim.events if e["kind"] == "crew-callup"]
    assert "no call-up: a crew is aboard, the spare docks 2028-08-15" in ev["detail"]
    fixed = [f for f in sim.reliability.faults if f.component == "coolant-pump"]
    assert all(f.repaired_at is not None and f.repaired_at.date() == dt.date(2028, 8, 15)
               for f in fixed)


def test_a_planned_crew_held_by_a_stand_down_serves():
    """A Progress lost on 2028-11-01 grounds Soyuz-2.1a for crews until 2029-01-22: crew #2
    is held on the ground, off the plan's timeline; the pumps failing on 2028-11-05, that
    held crew docks before a crew called now could, and repairs."""
    from rossim.ops import launcher_stand_down

    sim = Simulation(scenario())
    sim.advance_to("2028-11-01T00:00:00")
    launcher_stand_down.failed(sim, "soyuz-2.1a", "cargo", "Progress test", "test loss")
    sim.advance_to("2028-11-05T00:00:00")
    comp = sim.systems.component_by_id("coolant-pump")
    down = {f.unit for f in sim.reliability.faults
            if f.component == "coolant-pump" and f.repaired_at is None}
    for unit in sorted(set(range(comp.units)) - down):
        sim.reliability.fail(comp, "station", unit, True)
    sim.advance_to("2029-02-01")
    assert not sim.crew_callup.early and not sim.crew_callup.flights
    (ev,) = [e for e in sim.events if e["kind"] == "crew-callup"]
    assert ev["detail"].startswith("no call-up: Soyuz MS crew #2 docks 2029-01-22")
    assert all(f.repaired_at is not None and f.repaired_at.date() == dt.date(2029, 1, 24)
               for f in sim.reliability.faults if f.component == "coolant-pump")


def _repaired_now(sim) -> None:
    """Both pumps repaired now, as a repair's end does it (a crew's, or a spare's)."""
    comp = sim.systems.component_by_id("coolant-pump")
    for f in [f for f in sim.reliability.faults if f.component == "coolant-pump"]:
        sim.autonomy.repair_done(f, comp)
    assert not sim.reliability.faults or all(
        f.repaired_at is not None for f in sim.reliability.faults
        if f.component == "coolant-pump")


def test_a_repair_crew_no_longer_needed_is_stood_down():
    """No planned crew after: a repair crew is called; the pumps repaired on 2028-10-01,
    it is stood down the day before its lift-off."""
    scen = scenario()
    crew = scen.crew_series[0].model_copy(update={"until": dt.datetime(2028, 8, 1, tzinfo=UTC)})
    sim = _pumps_down(scen.model_copy(update={"crew_series": [crew]}))
    sim.advance_to("2028-10-01")
    (fl,) = sim.crew_callup.flights
    _repaired_now(sim)
    sim.advance_to_end()
    out = sim.finish()
    rec = out.summary["logistics"]["crew_callups"]
    assert rec["flights"] == 0
    assert rec["flight_list"][0]["state"].startswith("not flown: stood down")
    assert not [e for e in out.events if e["kind"] == "crew-callup-arrival"]
    assert out.summary["crew_visits"] == 1


def test_an_early_crew_goes_back_to_its_plan_when_the_units_work_again():
    scen = scenario()
    planned = _crew_dock(Simulation(scen), "Soyuz MS crew #2")
    sim = _pumps_down(scen)
    sim.advance_to("2028-10-01")
    assert _crew_dock(sim, "Soyuz MS crew #2") < planned
    _repaired_now(sim)
    sim.advance_to("2029-02-01")
    (early,) = sim.crew_callup.early
    assert early["state"].startswith("back to its plan 2028-11-27")
    assert _crew_dock(sim, "Soyuz MS crew #2") == planned


def test_a_repair_crew_leaves_before_a_module_needs_its_port():
    """ros-51.6, seed 1 (the operations example's draw): both pumps fail 2028-01-30 with
    NEM-1 alone; the next planned crew cannot move (its port, gateway.forward, comes with the
    node on 2028-06-17), so a repair crew flies; at its arrival (2028-05-24) NEM-1's forward
    port, the only one a Soyuz fits, is the node's on 2028-06-17: the crew's stay is
    shortened to leave a day before, and it repairs. Before: the docking was refused for the
    30-day stay and the crew went home with the pumps down."""
    from rossim.config.scenario import load_scenario

    sim = Simulation(load_scenario("ros-51.6"), seed=1)
    sim.advance_to("2028-07-02")
    (fl,) = sim.crew_callup.flights
    assert fl["state"] == "docked" and fl["port"] == "nem1.forward"
    node = _crew_dock(sim, "node")
    assert node.date() == dt.date(2028, 6, 17)
    assert fl["stay_before_module"] == 30
    left = _t(fl["docked"]) + dt.timedelta(days=fl["stay_days"])
    assert abs(left - (node - dt.timedelta(days=1))) < dt.timedelta(minutes=1)
    assert all(f.repaired_at is not None and f.repaired_at < node
               for f in sim.reliability.faults if f.component == "coolant-pump")
    assert any(e["detail"].startswith("stay shortened 30 -> ") for e in sim.events
               if e["kind"] == "crew-callup")


def test_the_ground_decides_again_when_the_cargo_ship_comes_without_the_spare():
    """As the crew-aboard case, but Progress MS #1 docks 2028-08-15 without the pump spares
    (its allowance taken: 'spares not loaded'): an hour later, the units still short and no
    crew on its way, the ground decides again and flies crew #2 early. Before, the first
    decision stood and safe mode lasted to the planned crew."""
    sim = _with_crews(60, stock=0)
    spares = sim.reliability.spares
    pack = spares.pack

    def without_pumps(now_s, *a, **k):
        if sim.now.date() == dt.date(2028, 8, 15):
            return {}, {"coolant-pump": 2}
        return pack(now_s, *a, **k)

    spares.pack = without_pumps
    sim.advance_to("2028-09-01")
    ev = [e for e in sim.events if e["kind"] == "crew-callup"]
    assert ev[0]["detail"].startswith("no call-up: a crew is aboard, the spare docks 2028-08-15")
    (early,) = sim.crew_callup.early
    assert early["called"].startswith("2028-08-15T15:54")
    assert "decided again 2028-08-15: the units are still short" in early["cause"]
