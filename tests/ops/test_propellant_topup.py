"""A propellant shortage first tops up a planned Progress (rossim.ops.propellant_topup), and the
call-up counts: a gap in the plan or after its end, not flown when the run ends first.

Reference (progress-manifests in docs/sources.md): Progress MS manifests trade station
propellant against dry cargo flight by flight (MS-16 600 kg with 1,400 kg dry cargo, MS-07
880 kg with 1,350 kg, MS-28 950 kg with 1,201 kg): the catalog's 880 kg rides in the launch
mass, a load above it takes dry cargo kg for kg (950 - 880 = 70 kg here).

The runs: ros-short with its climbers arriving with no propellant left (as
tests/ops/test_cargo_callup.py's lean run), 600 kg of working propellant at launch, no random
fault: the monthly re-check of 2028-10-18 sees the tanks reach the 300 kg call-up reserve about
2029-01-22 (2029-02-23 before the forecast counted the sun-biased days and phasing,
rossim.station.propellant_forecast: the planned Progress moved from 2029-02-01 to 2029-01-05
to stay before it).
Variants: a climber (the core module) docking before the Progress with propellant left, a
smaller tank (less room for the top-up), and a drift that holds the topped-up Progress on the
ground (as tests/ops/test_drift_docking.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from rossim.config.scenario import Visit, load_scenario
from rossim.config.systems import load_systems

UTC = dt.UTC


def _run(short_scenario_path, ships, *, topup: bool = True, until=None, core_left_kg=0.0,
         tank_kg=None, progress_reserve_kg=None):
    """ros-short with ``ships`` (cargo visits) only, no climb leftover (but ``core_left_kg``
    for the core module, docking 2028-12-23), no random fault; ``topup`` False:
    ``logistics.propellant_topup_lead_days`` unset; ``tank_kg``: the station's tank capacity;
    ``progress_reserve_kg``: each Progress's reboost reserve (catalog 500 kg).
    Runs to the end, or to ``until``; returns ``(sim, result)``."""
    from rossim.ops.simulation import Simulation
    from rossim.station import build_timeline

    sc = load_scenario(short_scenario_path)
    sc = sc.model_copy(update={
        "cargo_series": [], "cargo_visits": ships,
        "operations": sc.operations.model_copy(update={"random_faults": False, "faults": []})})
    s = load_systems()
    if not topup:
        s = s.model_copy(update={"logistics": s.logistics.model_copy(
            update={"propellant_topup_lead_days": None})})
    if tank_kg is not None:
        p = s.propulsion
        s = s.model_copy(update={"propulsion": p.model_copy(update={
            "station_tank_kg": p.station_tank_kg.model_copy(update={"value": tank_kg})})})
    if progress_reserve_kg is not None:
        p = s.propulsion
        s = s.model_copy(update={"propulsion": p.model_copy(update={
            "progress_reboost_kg": p.progress_reboost_kg.model_copy(
                update={"value": progress_reserve_kg})})})
    tl = build_timeline(sc)
    tl.climbs = [replace(c, propellant_available_kg=c.propellant_kg + (
        core_left_kg if c.modules[0] == "core" else 0.0)) for c in tl.climbs]
    sim = Simulation(sc, systems=s, timeline=tl)
    if until is None:
        sim.advance_to_end()
    else:
        sim.advance_to(until)
    return sim, sim.finish()


def _progress(launch: dt.date, **manifest) -> Visit:
    return Visit(vehicle="progress-ms", port="node.starboard", duration_days=110,
                 launch=dt.datetime(launch.year, launch.month, launch.day, tzinfo=UTC),
                 name="Progress T", **manifest)


@pytest.fixture(scope="module")
def topup_runs(short_scenario_path):
    """A planned Progress loaded with no station propellant that lifts off on 2029-01-05,
    docking before the shortage: with the top-up, and without (the call-up as before)."""
    ship = [_progress(dt.date(2029, 1, 5), propellant_kg=0.0)]
    return {"topup": _run(short_scenario_path, ship),
            "none": _run(short_scenario_path, ship, topup=False)}


def test_shortage_before_a_planned_progress_tops_it_up_and_calls_up_no_ship(topup_runs):
    sim, run = topup_runs["topup"]
    lg = run.summary["logistics"]
    tops = lg["propellant_topups"]
    assert len(tops) == 1
    t = tops[0]
    assert t["ship"] == "Progress T"
    assert t["planned_propellant_kg"] == 0.0
    assert t["propellant_kg"] == pytest.approx(950.0)   # catalog max_station_propellant_kg
    assert t["dry_cargo_left_kg"] == pytest.approx(950.0 - 880.0)
    assert t["launch_mass_kg"] <= t["launcher_capacity_kg"]
    decided, lift, dock, short = (dt.datetime.fromisoformat(t[k].replace("Z", "+00:00"))
                                  for k in ("decided", "lift_off", "docking", "shortage"))
    lead = load_systems().logistics.propellant_topup_lead_days.value
    assert lift - decided >= dt.timedelta(days=lead)
    assert dock < short
    assert lg["callups"]["flights"] == 0 and lg["callups"]["called"] == 0
    ev = [e for e in run.events if e["kind"] == "propellant-topup"]
    assert len(ev) == 1 and "0 -> 950 kg" in ev[0]["detail"]
    # without the top-up the same shortage called up a ship
    _, none = topup_runs["none"]
    cu = none.summary["logistics"]["callups"]
    assert cu["by_reason"] == {"propellant": 1}
    assert none.summary["logistics"]["propellant_topups"] == []
    # the console's rows (rossim run)
    from rossim.cli.run import callup_rows

    rows = dict(callup_rows(lg))
    assert rows["propellant_topups"] == "1 planned Progress loaded with 950 kg more propellant"
    assert rows["cargo_callups"].startswith("0")


def test_ledgers_balance_after_a_topup(topup_runs):
    """The top-up's propellant goes through the docking's transfer (the ledger balances:
    start + transferred + Progress reserves arrived - burned - reserves departed = end); the
    dry cargo it displaced is not delivered (the spares allowance is 70 kg smaller)."""
    from rossim.ops.logistics import dry_cargo_split

    sim, run = topup_runs["topup"]
    led = run.ledgers["propellant"]
    assert led["transferred_kg"] == pytest.approx(950.0)   # no climber leftover, one ship
    end = (led["start_kg"] + led["transferred_kg"] + led["reserve_arrived_kg"]
           - led["burned_kg"] - led["reserve_departed_kg"])
    assert end == pytest.approx(led["end_kg"], abs=1e-6)
    assert abs(led["imbalance_kg"]) <= 1e-6
    assert led["deorbit_reserve_used_kg"] == 0.0
    veh = run.timeline.catalog.vehicles["progress-ms"]
    share = load_systems().life_support.food_fraction_of_dry_cargo.value
    food, other = dry_cargo_split(sim, "Progress T", veh)
    assert food == pytest.approx(share * veh.dry_cargo_kg.value)
    assert other == pytest.approx((1 - share) * veh.dry_cargo_kg.value - 70.0)
    assert run.summary["invariants_hold"], run.summary["invariants"]


def test_call_up_after_the_plans_last_ship_counts_as_plan_end(short_scenario_path):
    """No planned ship at all (the plan has ended): the propellant call-up continues the
    programme (``plan_end``); a planned Progress with propellant docking after the shortage
    leaves a gap in the plan that the call-up fills (``gap``)."""
    _, run = _run(short_scenario_path, [])
    cu = run.summary["logistics"]["callups"]
    assert cu["by_reason"] == {"propellant": 1}
    assert cu["propellant_by_need"] == {"gap": 0, "plan_end": 1}
    assert cu["flight_list"][0]["need"] == "plan_end"
    from rossim.cli.run import callup_rows

    assert "propellant 1 (0 in a gap of the plan, 1 after its end)" in dict(
        callup_rows(run.summary["logistics"]))["cargo_callups"]
    _, gap = _run(short_scenario_path, [_progress(dt.date(2029, 5, 1))])
    cu = gap.summary["logistics"]["callups"]
    assert cu["propellant_by_need"] == {"gap": 1, "plan_end": 0}
    assert gap.summary["logistics"]["propellant_topups"] == []   # it docks after the shortage


def test_call_up_docking_after_the_runs_end_is_not_flown(short_scenario_path):
    """The run ends (here finished at its clock, 2028-12-31) after the call and before the
    ship docks (2029-02-26): listed as not flown, not counted as a flight."""
    sim, run = _run(short_scenario_path, [], until=dt.datetime(2028, 12, 31, tzinfo=UTC))
    cu = run.summary["logistics"]["callups"]
    assert cu["called"] == 1 and cu["flights"] == 0 and cu["by_reason"] == {}
    assert cu["propellant_by_need"] == {"gap": 0, "plan_end": 0}
    nf = cu["not_flown"]
    assert [x["name"] for x in nf] == [cu["flight_list"][0]["name"]]
    assert nf[0]["why"] == "propellant" and nf[0]["need"] == "plan_end"
    assert nf[0]["launch"] > "2028-12-31" and nf[0]["arrival"] > "2028-12-31"
    assert nf[0]["state"].startswith("not flown: the run ended 2028-12-31")
    # the run goes on: the ship docks and is then counted as flown
    sim.advance_to_end()
    cu = sim.finish().summary["logistics"]["callups"]
    assert cu["flights"] == 1 and cu["not_flown"] == []


def test_climber_leftover_docking_before_the_ship_is_counted(short_scenario_path):
    """The core module docks 2028-12-23, between the re-check and the Progress (2029-01-05),
    with climb propellant left. 250 kg of it close the shortage (150 kg did before the
    forecast counted the sun-biased days and phasing): no top-up (before this fix the
    forecast ignored it and the Progress was topped up). With 100 kg and a 2,800 kg tank
    (about 400 kg of room at the check) a shortage remains: the top-up is sized to the room
    the climber leaves, and the docking transfers all of it (before: 396 kg loaded, 56 kg not
    transferred, the summary still saying 396)."""
    ship = [_progress(dt.date(2029, 1, 5), propellant_kg=0.0)]
    _, run = _run(short_scenario_path, ship, core_left_kg=250.0, tank_kg=2800.0)
    lg = run.summary["logistics"]
    assert lg["callups"]["climber_propellant_kg"] == {"core": 250.0}
    assert lg["propellant_topups"] == [] and lg["callups"]["called"] == 0
    _, run = _run(short_scenario_path, ship, core_left_kg=100.0, tank_kg=2800.0)
    lg, led = run.summary["logistics"], run.ledgers["propellant"]
    (t,) = lg["propellant_topups"]
    assert t["state"] == "docked" and t["before_shortage"]
    assert t["transferred_kg"] == pytest.approx(t["propellant_kg"])
    assert "not_transferred_kg" not in t
    assert led["not_transferred_tank_full_kg"] == 0.0
    assert led["transferred_kg"] == pytest.approx(100.0 + t["propellant_kg"], abs=0.1)
    assert abs(led["imbalance_kg"]) <= 1e-6


def test_topup_record_follows_the_ship(short_scenario_path):
    """The record says where the topped-up ship is: to dock (the run stopped before its
    docking), docked with what the tanks took."""
    ship = [_progress(dt.date(2029, 1, 5), propellant_kg=0.0)]
    sim, run = _run(short_scenario_path, ship, until=dt.datetime(2029, 1, 15, tzinfo=UTC))
    (t,) = run.summary["logistics"]["propellant_topups"]
    assert t["state"] == "to dock" and t["before_shortage"] and "transferred_kg" not in t
    sim.advance_to_end()
    (t,) = sim.finish().summary["logistics"]["propellant_topups"]
    assert t["state"] == "docked" and t["transferred_kg"] == pytest.approx(950.0)


@pytest.fixture(scope="module")
def held_run(short_scenario_path):
    """The Progress to be topped up lifts off 2028-12-01 (decided 2028-09-18: the forecast's
    sun-biased days and phasing see the shortage a check earlier than 2028-10-18); every control
    computer fails 2028-11-20: the station drifts until the crew docks 2029-01-01, the ship is
    held on the ground (tests/ops/test_drift_docking.py) and docks 2029-01-15. No climber
    brings propellant (also when the held core module is re-planned after the drift).
    Returns the summaries at 2028-12-20 (held) and at the end."""
    from rossim.ops.simulation import Simulation
    from rossim.station import build_timeline

    mp = pytest.MonkeyPatch()
    mp.setattr("rossim.station.insertion.leftover_propellant_kg", lambda *a, **k: 0.0)
    try:
        sc = load_scenario(short_scenario_path)
        sc = sc.model_copy(update={
            "cargo_series": [], "cargo_visits": [_progress(dt.date(2028, 12, 1),
                                                           propellant_kg=0.0)],
            "operations": sc.operations.model_copy(update={"random_faults": False,
                                                           "repair_crew_callup": False})})
        sim = Simulation(sc, timeline=build_timeline(sc))
        sim.advance_to("2028-11-20T00:00:00")
        comp = sim.systems.component_by_id("computer")
        for unit in range(comp.units):
            sim.reliability.fail(comp, "station", unit, True)
        sim.advance_to("2028-12-20T00:00:00")
        mid = sim.finish().summary
        sim.advance_to_end()
        return mid, sim.finish().summary
    finally:
        mp.undo()


def test_topped_up_ship_held_by_a_drift_is_not_reported_before_the_shortage(held_run):
    mid, end = held_run
    (t,) = mid["logistics"]["propellant_topups"]
    assert t["ship"] == "Progress T" and t["decided"].startswith("2028-09-18")
    assert t["state"] == "held on the ground: the station drifts"
    assert not t["before_shortage"] and "transferred_kg" not in t
    from rossim.cli.run import callup_rows

    assert dict(callup_rows(mid["logistics"]))["propellant_topups"].endswith(
        "; 1 not docked before the shortage")
    (t,) = end["logistics"]["propellant_topups"]
    assert t["planned_docking"].startswith("2028-12-01")
    # held two weeks by the drift, it docks after the shortage day the re-check of
    # 2028-09-18 foresaw (2029-01-11): the record says so
    assert t["docking"].startswith("2029-01-15")
    assert t["state"] == "docked, after the shortage day" and not t["before_shortage"]
    assert t["shortage"] < t["docking"]
    assert t["transferred_kg"] == pytest.approx(950.0)
    assert end["invariants_hold"], end["invariants"]


def test_call_up_while_a_planned_progress_is_held_fills_a_gap(held_run):
    """The re-check of 2028-12-17 calls up a ship (the held Progress is out of the timeline
    until the drift ends): the plan has not ended, the held Progress will fly, so the need is
    ``gap`` (it was ``plan_end``)."""
    _, end = held_run
    cu = end["logistics"]["callups"]
    assert [f["called"][:10] for f in cu["flight_list"]] == ["2028-12-17"]
    assert cu["flight_list"][0]["need"] == "gap"


def test_topup_that_leaves_a_shortage_still_calls_up(short_scenario_path, monkeypatch,
                                                     no_pad_turnaround):
    """A 2,420 kg tank leaves about 22 kg of room for the top-up of 2028-10-18: the outlook
    with it still runs short before the run's end, so the same re-check looks past the
    topped-up Progress and calls up a ship before it docks (2029-01-05) that docks before the
    shortage (with no pad turnaround: from the same pad, 15 days after the Progress, it would
    dock the day after the shortage) (the tank was 2,454 kg before the flown mass, rossim.ops.station_mass, made the
    station heavier and its decay slower)
    (before: its 20 kg made it the next ship with propellant, and the ship was called only
    after its docking, on 2029-02-15, docking 2029-04-27, after the forecast shortage). No
    climber brings propellant (also after a plan edit rebuilds the climbs). The Progress
    ships keep no reboost reserve here: the re-check counts a docked or planned Progress's
    reserve against the drag (stop 40), and the topped-up ship's own 500 kg would move the
    shortage past it."""
    monkeypatch.setattr("rossim.station.insertion.leftover_propellant_kg", lambda *a, **k: 0.0)
    _, run = _run(short_scenario_path, [_progress(dt.date(2029, 1, 5), propellant_kg=0.0)],
                  tank_kg=2420.0, progress_reserve_kg=0.0)
    lg = run.summary["logistics"]
    (t,) = lg["propellant_topups"]
    assert t["decided"].startswith("2028-10-18") and t["propellant_kg"] < 50.0
    later = [f for f in lg["callups"]["flight_list"] if f["called"] >= t["decided"]]
    assert later and later[0]["called"] < t["docking"] and later[0]["why"] == "propellant"
    assert t["docking"] < t["shortage_after"] and later[0]["arrival"] < t["shortage_after"]
    assert later[0]["need"] == "gap"   # the topped-up Progress still docks after the call
    assert run.ledgers["propellant"]["unmet_kg"] == 0.0
