"""Commanded safe mode and injected faults as a station engineer reads them (the newcomer
review of stop 39): time in safe mode is time unavailable, whatever put the station there
(docs/operations.md: "Availability = share of time with no function degraded or in safe
mode"); a second injected fault fails the next working unit, not the failed one again; the
battery's shedding alarm names the threshold it crossed and a shedding episode ends with the
restore; a crew goes home when its stores run out or the station sinks below its band; the
autonomy restores only what it shed (planned power-downs: tests/ops/test_closed_loop.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rossim.config.scenario import load_scenario
from rossim.ops import InjectFault, SafeMode, Simulation

DATA = Path(__file__).resolve().parents[1] / "data" / "ops"
TINY = DATA / "ros-tiny.toml"   # NEM-1 alone, random faults off


def _tiny_with_crews(*crews: tuple[str | None, float, str]) -> Simulation:
    """ros-tiny with Soyuz crews of two at NEM-1's forward port and no cargo: each
    ``(name, stay days, launch date)``."""
    import datetime as dt_

    from rossim.config.scenario import Visit

    visits = [Visit(vehicle="soyuz-ms", port="nem1.forward", duration_days=days, name=name,
                    launch=dt_.datetime.fromisoformat(f"{day}T00:00:00+00:00"), crew=2)
              for name, days, day in crews]
    return Simulation(load_scenario(TINY).model_copy(
        update={"crew_visits": visits, "cargo_series": [], "cargo_visits": []}))


def test_commanded_safe_mode_is_unavailable_time_with_an_alarm():
    sim = Simulation(load_scenario(TINY))
    sim.advance_to("2028-01-10")
    assert sim.command(SafeMode(enter=True)).accepted
    sim.advance_to("2028-01-20")
    assert sim.command(SafeMode(enter=False)).accepted
    sim.advance_to("2028-03-15")
    res = sim.finish()
    s = res.summary
    t0 = dt.datetime.fromisoformat(s["span_start"].replace("Z", "+00:00"))
    t1 = dt.datetime.fromisoformat(s["span_end"].replace("Z", "+00:00"))
    # ten days of safe mode, no fault: availability is 1 - 10 d / span, to the second
    expected = 1.0 - 10 * 86400.0 / (t1 - t0).total_seconds()
    assert s["availability"] == pytest.approx(expected, abs=1e-6)
    assert res.safe_intervals and res.safe_intervals[0][1] is not None
    alarms = [a for a in res.alarms if "safe mode" in a["detail"]]
    assert alarms and alarms[0]["cause"].startswith("commanded by")


def test_safe_mode_to_the_end_counts_to_the_end():
    sim = Simulation(load_scenario(TINY))
    sim.advance_to("2028-03-05")
    assert sim.command(SafeMode(enter=True)).accepted
    sim.advance_to("2028-03-15")
    s = sim.finish().summary
    t0 = dt.datetime.fromisoformat(s["span_start"].replace("Z", "+00:00"))
    t1 = dt.datetime.fromisoformat(s["span_end"].replace("Z", "+00:00"))
    enter = dt.datetime(2028, 3, 5, tzinfo=dt.UTC)
    assert s["availability"] == pytest.approx((enter - t0) / (t1 - t0), abs=1e-6)


def test_injected_faults_take_the_next_working_unit():
    sim = Simulation(load_scenario(TINY))
    sim.advance_to("2028-01-10")
    first = sim.command(InjectFault(component="array-drive", module="nem1"))
    second = sim.command(InjectFault(component="array-drive", module="nem1"))
    third = sim.command(InjectFault(component="array-drive", module="nem1"))
    assert first.accepted and "unit 0" in first.detail
    assert second.accepted and "unit 1" in second.detail
    # both drives of the module's two wings failed: the third has no unit left
    assert not third.accepted and "every array-drive unit on nem1" in third.reason
    sim.advance_to("2028-01-10T01:00:00")
    # one drive per wing: both wings parked, no generation from the module
    assert sim.state.array_factor["nem1"] == 0.0
    units = sorted(f.unit for f in sim.reliability.faults if f.component == "array-drive")
    assert units == [0, 1]


def test_battery_shedding_names_its_threshold_and_ends_with_the_restore():
    """Both drives of NEM-1 down: no generation, the battery sheds. The first shedding alarm
    names the cycling limit it crossed (a power-down decided while a span was committed acted
    at the span's end, stamped at its start, and the battery's crossing then read 'state of
    charge 0.65 below 0.45'); the shed acts at its stamp; the episode's event ends with the
    restore."""
    sim = Simulation(load_scenario(TINY))
    sim.advance_to("2028-02-01")
    for _ in range(2):
        assert sim.command(InjectFault(component="array-drive", module="nem1")).accepted
    sim.advance_to("2028-02-03")
    res = sim.finish()
    power = [a for a in res.alarms if a["subject"] == "power"]
    assert power, "no generation for two days and no power alarm"
    assert "allowed depth of discharge" in power[0]["detail"]
    shed = [e for e in sim.events if e["kind"] == "command" and e["subject"] == "load-shed"]
    assert shed
    # the first shed acts at its stamp: no 10-minute bin ending at or before it is shed, the
    # bin holding it (or the next) is
    import numpy as np

    t = np.datetime64(shed[0]["time"], "us")
    bins = res.power.epochs.astype("datetime64[us]")
    level = np.asarray(res.power.shed_level)
    before = bins + np.timedelta64(10, "m") <= t
    assert before.any() and level[before].max() == 0
    assert level[~before][:2].max() >= 1
    # the shedding episode's event ends with the bin the loads came back in (its "until"
    # was that bin's start, minutes before the restore command)
    restore = [e for e in res.events if e["kind"] == "command" and e["subject"] == "load-restore"]
    episode = [e for e in res.events if e["kind"] == "load-shedding"]
    assert restore and episode
    until = np.datetime64(episode[0]["detail"].removeprefix("until ").rstrip("Z"), "s")
    back = np.datetime64(restore[0]["time"], "s")
    assert back <= until < back + np.timedelta64(10, "m")


def test_a_crew_whose_stores_run_out_goes_home():
    """A crew of two on NEM-1 alone for 180 days with no cargo ship (the station's initial
    stores: life_support.initial_*_kg): when a stock runs out the ground undocks the crew's
    ship (a critical alarm naming the stock); no daily sample has a crew aboard an empty
    stock (invariant crew_with_consumables); before, such a crew stayed aboard."""
    sim = _tiny_with_crews(("Soyuz A", 180, "2027-12-22"))
    sim.advance_to("2028-03-15")
    res = sim.finish()
    back = [a for a in res.alarms if a["subject"] == "crew"]
    assert back and back[0]["severity"] == "critical"
    assert "stock empty" in back[0]["detail"] and "Soyuz A" in back[0]["detail"]
    inv = {i["name"]: i for i in res.invariants}
    assert inv["crew_with_consumables"]["holds"], inv["crew_with_consumables"]
    undock = [e for e in sim.events if e["kind"] == "command" and "undock" in e["detail"]]
    assert undock and undock[0]["source"] == "ground"
    assert undock[0]["time"] == back[0]["time"]          # it leaves when the stock runs out
    assert str(undock[0]["time"]) < "2028-03-14"          # weeks before the span's end
    assert sim.config.crew_aboard == 0


def test_a_crew_leaves_a_station_sunk_far_below_its_band():
    """A station 60 km under its band's floor (no reboost for months: here the orbit is set
    there by hand) with a crew aboard: the crew goes home at the next span
    (autonomy.crew_return_below_floor_km, 50 km); a 250 km station once rode its refused
    reboosts to re-entry with four aboard."""
    from rossim.constants import R_EQ_M

    sim = _tiny_with_crews(("Soyuz A", 60, "2027-12-22"))
    sim.advance_to("2028-01-05")
    assert sim.config.crew_aboard == 2
    sim.orbit.a = R_EQ_M + sim.orbit.low_m - 60e3
    sim.advance_to("2028-01-07")
    assert sim.config.crew_aboard == 0
    back = [a for a in sim.alarms if a["subject"] == "crew"]
    assert back and "below its band's floor" in back[0]["detail"] and "decays" in back[0]["detail"]


def _two_soyuz(names=("Soyuz A", "Soyuz B")):
    """NEM-1 with two crews at one port: B planned the day after A leaves, slipped by the
    pad's turnaround (it docks 2028-01-06); stores for the whole stay."""
    sim = _tiny_with_crews((names[0], 3, "2027-12-22"), (names[1], 75, "2027-12-26"))
    for item in sim.consumables.stock:
        sim.consumables.stock[item] = 5000.0
        sim.consumables.ledger[item]["start_kg"] = 5000.0
    sim.consumables.food_lots = [[0.0, 5000.0]]
    return sim


def test_an_accepted_undock_leaves_even_when_the_plan_had_it_leave_after_the_span():
    """Soyuz B (slipped, its planned departure after the span's end: no undock in the plan)
    undocked by the ground on 2028-03-08 is gone at once; it was accepted and stayed."""
    from rossim.ops import Undock

    sim = _two_soyuz()
    sim.advance_to("2028-03-08")
    assert "Soyuz B" in sim.config.vehicles
    res = sim.command(Undock(vehicle="Soyuz B", source="ground"))
    assert res.accepted
    sim.advance_to("2028-03-08T00:05:00")
    assert "Soyuz B" not in sim.config.vehicles and sim.config.crew_aboard == 0


def test_an_unnamed_crew_visit_is_undocked_and_sent_home():
    """A visit without a name is docked as vehicle@date: the ground's undock and the crew's
    return find it (undock raised StopIteration, the return skipped it)."""
    from rossim.ops import Undock

    sim = _tiny_with_crews((None, 180, "2027-12-22"))
    sim.advance_to("2028-03-15")
    res = sim.finish()
    assert sim.config.crew_aboard == 0
    assert [a for a in res.alarms if a["subject"] == "crew"]
    assert {i["name"]: i["holds"] for i in res.invariants}["crew_with_consumables"]
    bad = sim.command(Undock(vehicle="nothing@2027-12-22", source="ground"))
    assert not bad.accepted


def _thermal(sim, kind, value):
    from rossim.ops.engine import Crossing

    m = next(iter(sim.config.modules))
    sim.thermal.crossing = dict(module=m, value_c=value, limit_c=30.0, biased=False, kind=kind,
                                regime="radiators saturated", radiator_kw=1.0, beta_deg=10.0,
                                lit=0.6, q_int_kw=2.0, heater_kw=0.0, crewed=False)
    if kind == "thermal-ok":
        sim.thermal.status = {k: "ok" for k in sim.thermal.status}
    sim.autonomy.on_crossing(sim.engine, Crossing(sim.engine.now_s, "thermal", kind, value))


def test_sheds_come_back_when_their_causes_end_and_a_grounds_shed_stays():
    """Too hot (level 1), then the battery's second stage (level 2): the battery's recovery
    brings the housekeeping back (level 1, the module still hot), the module's return to its
    band restores the rest (level 2 stayed for good). A shed the ground ordered is the
    ground's: the module's return does not lift it."""
    from rossim.ops import LoadShed
    from rossim.ops.engine import Crossing

    sim = Simulation(load_scenario(TINY))
    sim.advance_to("2028-01-10")
    now = sim.engine.now_s
    _thermal(sim, "thermal-high", 40.0)
    assert sim.state.shed_level == 1
    sim.autonomy.on_crossing(sim.engine, Crossing(now, "power", "soc-low", 0.44))
    assert sim.state.shed_level == 2
    sim.autonomy.on_crossing(sim.engine, Crossing(now, "power", "soc-high", 0.8))
    assert sim.state.shed_level == 1      # housekeeping back, experiments stay shed (hot)
    _thermal(sim, "thermal-ok", 25.0)
    assert sim.state.shed_level == 0

    sim2 = Simulation(load_scenario(TINY))
    sim2.advance_to("2028-01-10")
    assert sim2.command(LoadShed(level=1, source="ground")).accepted
    _thermal(sim2, "thermal-high", 40.0)
    _thermal(sim2, "thermal-ok", 25.0)
    assert sim2.state.shed_level == 1     # the ground's shed stays until the ground lifts it
