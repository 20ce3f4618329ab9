"""Propellant ledger by cause (issue #13) against the ISS's published budget.

References (tolerances in the asserts):
- ISS propellant: about 7,000 kg a year for altitude keeping, debris avoidance and attitude
  control together, at ISS mass and area (ISS propulsion-module study, 2004; ros-facts.md
  "station propellant"). The study's years are the ISS's first ones, near the maximum of solar
  cycle 23: checked over the real space weather of 2000-2003 for the ISS-like configuration of
  the NASA ephemeris (458,943 kg, 1,606.8 m^2, Cd 2.5) at 415 km, within 30 %. (Over a solar
  minimum the same model gives far less: the 7 t is a solar-maximum-era figure.)
- Debris avoidance: ISS 32 manoeuvres 1999-2022, 39 by November 2024, ~1.4 a year (NASA via
  press 2023/2024): the catalog rate, and the run's draws match it over many runs' worth of
  years within 3 standard errors.
- Mir's de-orbit: 2,678 kg (Progress M1-5, 2001): the reserve held is that figure scaled with
  mass, within 10 %.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rossim.config.scenario import load_scenario
from rossim.config.systems import load_systems
from rossim.environment.spaceweather import default_weather
from rossim.ops import Simulation
from rossim.ops.iss_propellant import iss_propellant_by_cause
from rossim.ops.orbit_keeping import CAUSES

DATA = Path(__file__).resolve().parents[1] / "data" / "ops"


def test_iss_like_configuration_uses_about_7_t_a_year():
    prop = load_systems().propulsion
    days = np.arange(np.datetime64("2000-01-01"), np.datetime64("2004-01-01"))
    r = iss_propellant_by_cause(days, default_weather(), prop)
    assert r["total"] == pytest.approx(7000.0, rel=0.30)
    assert r["reboost"] > r["attitude"] > r["debris_avoidance"] > 0


def test_debris_avoidance_rate_is_the_iss_record():
    prop = load_systems().propulsion
    assert prop.debris_avoidance_per_year.value == pytest.approx(32 / 23, rel=0.05)
    assert prop.debris_avoidance_per_year.value == pytest.approx(39 / 25.9, rel=0.10)


def test_deorbit_reserve_is_mir_scaled_with_mass():
    prop = load_systems().propulsion
    assert prop.deorbit_reserve_kg.value == pytest.approx(2678 * 100 / 136, rel=0.10)
    assert prop.station_tank_kg.value >= prop.deorbit_reserve_kg.value


def test_tanks_start_with_the_runs_reserve_plus_the_working_propellant():
    """The catalog's source: the de-orbit reserve held from the start plus 600 kg working
    propellant launched in NEM-1. The reserve is the run's own (Mir's precedent at the
    reference plan's largest stack, 2,408 kg), so the start must follow it: with the old
    fixed 2,600 kg the station started 192 kg above its reserve, below the cargo call-up's
    own 300 kg margin."""
    from rossim.station import build_timeline
    from rossim.station.deorbit import deorbit_reserve_kg, initial_propellant_kg

    prop = load_systems().propulsion
    tl = build_timeline(load_scenario("ros-51.6"))
    reserve = deorbit_reserve_kg(tl, prop)
    assert reserve == pytest.approx(2408, abs=5)
    start = initial_propellant_kg(tl, prop)
    assert start == pytest.approx(reserve + 600, abs=1e-6)
    assert start <= prop.station_tank_kg.value
    assert start - reserve > load_systems().logistics.propellant_reserve_kg.value
    sim = Simulation(load_scenario("ros-51.6"))
    assert sim.orbit.tank_kg == pytest.approx(start, abs=1e-6)


def test_run_ledger_by_cause_balances_and_holds_the_reserve():
    sim = Simulation(load_scenario(DATA / "ros-short.toml"))
    sim.advance_to_end()
    res = sim.finish()
    led = res.ledgers["propellant"]
    causes = sum(led[f"burned_{c}_kg"] for c in CAUSES)
    assert causes == pytest.approx(led["burned_kg"], abs=1e-6)
    assert abs(led["imbalance_kg"]) <= 1.0
    assert led["burned_attitude_kg"] > 0 and led["burned_phasing_kg"] > 0
    assert led["deorbit_reserve_used_kg"] == 0.0
    # the tanks never went below the reserve while nothing drew on it
    assert res.orbit.station_propellant_kg.min() >= led["deorbit_reserve_kg"] - 1e-6
    s = res.summary
    assert set(CAUSES) <= set(s["propellant_by_cause_kg"])
    assert s["deorbit_reserve"]["held_kg"] == led["deorbit_reserve_kg"]
    assert s["invariants_hold"], s["invariants"]


def test_debris_avoidance_draws_follow_the_rate():
    # expected count over the run's length: Poisson, 3 standard errors
    counts, years = 0, 0.0
    for seed in range(6):
        sim = Simulation(load_scenario(DATA / "ros-short.toml"), seed=seed,
                         models=("orbit",))
        sim.advance_to_end()
        counts += sum(1 for e in sim.events if e["kind"] == "debris-avoidance")
        years += sim.engine.t_end_s / (365.25 * 86400)
    lam = load_systems().propulsion.debris_avoidance_per_year.value * years
    assert abs(counts - lam) <= 3 * np.sqrt(lam)


def test_guard_trips_on_uncaused_use_and_on_a_reserve_spent_by_reboosts():
    sim = Simulation(load_scenario(DATA / "ros-short.toml"))
    sim.orbit.reserve_kg = 0.0  # a broken rule: reboosts may now spend the reserve
    sim.orbit.tank_kg = sim.orbit.ledger["start_kg"] = 2050.0
    sim.cargo_callup.full = sim.cargo_callup.climbers = False  # no climbers' leftover, no propellant call-up to refill it
    sim.advance_to_end()
    sim.orbit.ledger["burned_kg"] += 5.0     # a use nobody booked to a cause
    sim.orbit.tank_kg -= 5.0
    res = sim.finish()
    inv = {i["name"]: i for i in res.invariants}
    assert not inv["propellant_by_cause"]["holds"]
    assert not inv["deorbit_reserve_held"]["holds"]
    assert inv["propellant_ledger"]["holds"]  # the balance itself is still right
