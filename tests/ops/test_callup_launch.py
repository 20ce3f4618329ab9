"""A call-up cargo ship flies a launcher, pad and launch mass that can reach the station's orbit
(rossim.ops.callup_launch), and an orbit-only run's refused commands are one alarm per cause and
episode (rossim.ops.orbit_alarms.refusal_alarms).

External reference: the Progress MS launch mass, 7,300 kg, and its dry cargo, 1,350 kg
(catalog/vehicles.toml: ros-facts, NASA NSSDC / RKK Energia, MS-07 manifest); ros-97's own
cargo ships fly 7,000 kg on a Soyuz-2.1b from Vostochny (scenario estimate, "300 kg less cargo
to fit the polar orbit"). The capacities are rossim's launcher model
(rossim.station.launch.payload_kg, the check build_timeline makes for every planned visit):
at 97 deg the Soyuz-2.1a from Baikonur falls 912 kg short of 7,300 kg (6,388 kg, the figure of
the newcomer's flood report) and the Soyuz-2.1b from Vostochny carries 7,000 kg.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rossim.config.catalog import load_catalog
from rossim.config.scenario import load_scenario
from rossim.ops.callup_launch import REFUSED_REPEAT_DAYS, choose_callup_launch
from rossim.station import build_timeline


@pytest.fixture(scope="module")
def ros97():
    """ros-97 with its cargo by demand planned (the scenario the run flies), cut at 2032."""
    sc = load_scenario("ros-97")
    sc = sc.model_copy(update={"span": sc.span.model_copy(update={
        "end": dt.datetime(2032, 1, 1, tzinfo=dt.UTC)})})
    return build_timeline(sc)


def test_call_up_flies_the_plans_launcher_that_reaches_97_deg(ros97):
    cat = ros97.catalog
    choice = choose_callup_launch(ros97.scenario, cat, "progress-ms")
    assert choice.ok and choice.origin == "plan"
    assert (choice.launcher.id, choice.site.id) == ("soyuz-2.1b", "vostochny-1s")
    assert choice.mass_kg == 7000.0 and choice.trimmed_kg == 0.0
    assert choice.capacity_kg >= choice.mass_kg
    # the catalog's own launcher and pad cannot: what every call-up flew before (the flood)
    from rossim.station.launch import payload_kg

    a, baik = cat.launchers["soyuz-2.1a"], cat.sites["baikonur-31"]
    cap = payload_kg(a, baik, ros97.scenario.orbit.altitude_km, 97.0, raise_orbit=False)
    assert cap == pytest.approx(6388.0, abs=1.0)
    assert 7300.0 - cap == pytest.approx(912.0, abs=1.0)


def test_without_a_planned_ship_the_manifest_is_trimmed_to_the_capacity(ros97):
    sc = ros97.scenario.model_copy(update={"cargo_visits": [], "cargo_series": []})
    choice = choose_callup_launch(sc, ros97.catalog, "progress-ms")
    assert choice.ok and choice.origin == "catalog"
    assert choice.mass_kg == pytest.approx(choice.capacity_kg)
    # dry cargo left on the ground: at most the Progress MS's 1,350 kg of dry cargo
    assert 0.0 < choice.trimmed_kg <= 1350.0
    assert choice.mass_kg + choice.trimmed_kg == pytest.approx(7300.0)


def test_orbit_only_run_of_ros97_docks_its_call_ups_without_a_refusal(ros97):
    """The trade study's orbit-only run (rossim trade): before the fix each call-up ship was
    refused at every port on each of its 30 days in orbit (about 500 'command refused'
    alarms through 2035); now each ship docks, and no command is refused."""
    from rossim.config.systems import load_systems
    from rossim.environment.spaceweather import default_weather
    from rossim.ops.orbit_alarms import orbit_only_result
    from rossim.ops.simulation import Simulation

    ops = ros97.scenario.operations
    sim = Simulation(ros97.scenario, systems=load_systems(), weather=default_weather(),
                     timeline=ros97, models=("orbit",), cd=ops.cd, atmosphere=ops.atmosphere)
    sim.advance_to_end()
    hist = orbit_only_result(sim)
    flights = sim.cargo_callup.flights
    assert flights, "ros-97's random faults call up at least one ship before 2032"
    for f in flights:
        if f["state"] != "on its way":
            assert f["state"] == "docked", f
        assert (f["launcher"], f["site"], f["mass_kg"]) == ("soyuz-2.1b", "vostochny-1s", 7000.0)
    assert [c for c in sim.command_log if not c["accepted"]] == []
    assert [a for a in hist.alarms if a["subject"] == "command"] == []
    # the plan's own cargo ships restock the spares here too (the full run's _deliver; before,
    # an orbit-only run had no stowage model, its ships brought no spare and every fault
    # waiting for one called up a ship: 11 call-ups to 2036 against the full run's 2-3)
    planned = {e.part for e in ros97.events if e.part_kind == "vehicle" and e.kind == "dock"
               and ros97.catalog.vehicles[e.catalog_id].kind == "cargo"}
    assert any(e["kind"] == "spares" and e["subject"] in planned for e in sim.events)


def test_no_launcher_that_carries_it_is_one_alarm_with_the_shortfall(ros97):
    """A Progress with only 100 kg of dry cargo to leave behind: no launcher of the plan or
    the catalog takes 7,300 kg to 97 deg; two calls ten days apart are one alarm (one repeat)
    naming the launcher and the shortfall, and no ship is flown or docking commanded."""
    from rossim.ops.simulation import Simulation

    cat = load_catalog()
    veh = cat.vehicles["progress-ms"]
    lean = veh.model_copy(update={"dry_cargo_kg": veh.dry_cargo_kg.model_copy(
        update={"value": 100.0})})
    cat = cat.model_copy(update={"vehicles": {**cat.vehicles, "progress-ms": lean}})
    sc = ros97.scenario.model_copy(update={"cargo_visits": [], "cargo_series": []})
    sim = Simulation(sc, timeline=build_timeline(sc, cat), models=("orbit",))
    choice = sim.cargo_callup.launch
    assert not choice.ok
    assert choice.shortfall_kg == pytest.approx(7300.0 - 100.0 - choice.capacity_kg)
    sim.advance_to(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert sim.cargo_callup.call_up("spare", "test call 1") is None
    sim.advance_to(dt.datetime(2030, 1, 11, tzinfo=dt.UTC))
    assert sim.cargo_callup.call_up("spare", "test call 2") is None
    assert 10 < REFUSED_REPEAT_DAYS
    cap = [a for a in sim.alarms if "launcher capability" in a["detail"]]
    assert len(cap) == 1 and cap[0]["repeats"] == 1
    assert f"{choice.shortfall_kg:.0f} kg short" in cap[0]["cause"]
    assert choice.launcher.name_en in cap[0]["cause"]
    assert sim.cargo_callup.flights == []
    assert [c for c in sim.command_log if c["command"].startswith("dock")] == []


def test_orbit_only_refusals_are_one_alarm_per_cause_and_episode():
    import numpy as np

    from rossim.ops.orbit_alarms import REFUSAL_REPEAT_DAYS, refusal_alarms

    t0 = np.datetime64("2035-01-01T00:00", "s")
    day = np.timedelta64(86400, "s")
    log = [{"time": t0 + k * day, "command": f"dock(port={p})", "source": "ground",
            "accepted": False, "detail": "launch mass above capacity"}
           for k in range(30) for p in ("core.forward", "auto")]
    log += [{"time": t0 + 100 * day, "command": "dock(port=auto)", "source": "ground",
             "accepted": False, "detail": "launch mass above capacity"},
            {"time": t0, "command": "undock(x)", "source": "operator", "accepted": False,
             "detail": "'x' is not docked"},
            {"time": t0, "command": "reboost", "source": "autonomy", "accepted": False,
             "detail": "no propellant"}]
    log.sort(key=lambda c: c["time"])
    alarms = refusal_alarms(log)
    assert REFUSAL_REPEAT_DAYS < 100
    by_cause = [(a["cause"], a["repeats"]) for a in alarms]
    assert by_cause == [("launch mass above capacity", 59), ("'x' is not docked", 0),
                        ("launch mass above capacity", 0)]
