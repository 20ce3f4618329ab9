"""Each model of the closed-loop engine on its own, against figures nobody here wrote.

References (tolerances in the asserts):
- Node regression of a 400 km, 51.6 deg orbit: about -5.0 deg/day (the ISS's published
  regression; Vallado, *Fundamentals of Astrodynamics*, 4th ed., eq. 9-41).
- Orbit-averaged decay: Vallado eq. 9-63 (da/dt = -F B rho sqrt(mu a)), with the density the
  model samples (the decay law itself is validated against the numerical propagator in
  tests/dynamics/test_decay.py).
- Longest eclipse at 400 km and beta = 0: about 36 min of a 92.6 min orbit (NASA ISS facts:
  "up to about 36 minutes of darkness per orbit"; geometric: asin(R/(R+h)) per half-orbit).
- Crew use per day: NASA BVAD (NASA/TP-2015-218570) oxygen 0.84 kg, water 3.5 kg, food 1.8 kg
  per crew-day (catalog systems.toml with its recovery fractions).
- Rocket equation: Tsiolkovsky.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

from rossim.config.scenario import load_scenario
from rossim.dynamics.decay import MU_EARTH_M3_S2, R_EQ_M
from rossim.ops import Simulation
from rossim.ops.fdir import CHANNELS, _signal, detect
from rossim.systems.power import CROSSED_HIGH, CROSSED_LOW, SPAN_END, battery_span

DATA = Path(__file__).resolve().parents[1] / "data" / "ops"
TINY = DATA / "ros-tiny.toml"
SHORT = DATA / "ros-short.toml"


@pytest.fixture(scope="module")
def tiny_run():
    sim = Simulation(load_scenario(TINY))
    sim.advance_to("2028-02-15")
    return sim


# -- orbit ----------------------------------------------------------------------------------

def test_node_regresses_like_the_iss(tiny_run):
    t, raan = tiny_run.telemetry(["raan_deg"])["raan_deg"]
    days = (t[-1] - t[0]) / np.timedelta64(1, "D")
    rate = (np.unwrap(np.radians(raan))[-1] - np.radians(raan[0])) / days
    assert math.degrees(rate) == pytest.approx(-5.0, abs=0.1)


def test_decay_follows_the_orbit_averaged_law(tiny_run):
    o = tiny_run.orbit.history(tiny_run)
    k0 = 24 * 5  # a day without burns
    k1 = k0 + 24
    assert not any(o.epochs[k0] <= b.time <= o.epochs[k1] for b in o.burns)
    a = o.altitude_m[k0:k1 + 1] + R_EQ_M
    f = tiny_run.orbit.f_rot
    expected = -np.sum(f * o.ballistic_m2_kg[k0:k1] * o.density_kg_m3[k0:k1]
                       * np.sqrt(MU_EARTH_M3_S2 * a[:-1])) * 3600.0
    assert a[-1] - a[0] == pytest.approx(expected, rel=0.01)
    assert -400.0 < a[-1] - a[0] < -20.0  # tens to hundreds of metres a day at 400 km


@pytest.fixture(scope="module")
def short_sim():
    sim = Simulation(load_scenario(SHORT))
    sim.advance_to("2029-06-01")
    return sim


def test_reboosts_keep_the_band_and_follow_the_rocket_equation(short_sim):
    o = short_sim.orbit.history(short_sim)
    assert o.burns
    for b in o.burns:
        g0 = 9.80665
        assert b.propellant_kg == pytest.approx(b.mass_kg * (1 - math.exp(-b.dv_m_s / (
            g0 * b.isp_s))), rel=1e-12)
        assert b.altitude_after_km == pytest.approx(405.0)
    # below the floor only while the autonomy waits for ground approval (6 h of decay)
    assert o.altitude_m.min() > 394.5e3


def test_propellant_transfer_stops_at_a_full_tank_and_the_ledger_balances(short_sim):
    sim = short_sim
    led = sim.orbit.ledger
    cap = sim.systems.propulsion.station_tank_kg.value
    assert sim.orbit.tank_kg <= cap + 1e-9
    assert led["transferred_kg"] > 0
    assert abs(sim.orbit.ledger_balance_kg()) < 1e-6


# -- power ----------------------------------------------------------------------------------

def test_battery_energy_balance_by_hand():
    gen = np.array([10.0, 10.0, 0.0, 0.0])
    soc, served, deficit, stop, why = battery_span(60.0, gen, 4.0, 10.0, 0.5, 1.0, 0.9,
                                                   0.0, math.inf)
    # charge: +6 kW x 1/60 h x 0.9 = 0.09 kWh per step; discharge: -4 kW x 1/60 h
    e = 5.0 + 0.09 + 0.09 - 4 / 60 - 4 / 60
    assert soc[-1] * 10.0 == pytest.approx(e, rel=1e-12)
    assert stop == 4 and why == SPAN_END and not deficit.any()
    soc, served, deficit, stop, why = battery_span(60.0, np.zeros(100), 6.0, 1.0, 0.5, 1.0,
                                                   0.9, 0.3, math.inf)
    # 0.5 kWh at 6 kW: below 0.3 after the 3rd step (0.5 - 3 x 0.1 = 0.2)
    assert stop == 3 and why == CROSSED_LOW
    soc, *_rest, stop, why = battery_span(60.0, np.full(100, 12.0), 6.0, 1.0, 0.1, 1.0, 1.0,
                                          -1.0, 0.45)
    assert stop == 4 and why == CROSSED_HIGH


def test_eclipse_at_low_beta_matches_the_iss_figure(tiny_run):
    tel = tiny_run.telemetry(["sunlit_fraction", "beta_deg"])
    t, lit = tel["sunlit_fraction"]
    beta = tel["beta_deg"][1]
    low = np.abs(beta) < 3.0
    assert low.sum() > 50
    dark = 1.0 - lit[low].mean()
    assert dark * 92.6 == pytest.approx(36.0, abs=1.5)  # minutes of darkness per orbit


def test_generation_ages_per_module_from_its_own_arrival():
    sim = Simulation(load_scenario(SHORT))
    sim.advance_to("2029-01-01")
    cap = sim.power.generation_capacity_kw(sim, sim.engine.now_s)
    cat = sim.timeline.catalog
    d = sim.systems.power.array_degradation_per_year.value
    expected = 0.0
    for m in sim.config.modules:
        kw = cat.modules[m].solar_array_power_kw.value
        age = (sim.engine.now_s - sim.arrival_s[m]) / (365.25 * 86400)
        expected += kw * (1 - d) ** age
    assert cap == pytest.approx(expected, rel=1e-12)


# -- consumables ------------------------------------------------------------------------------

def test_crew_use_per_day_is_bvad_net_of_recovery():
    sim = Simulation(load_scenario(SHORT))
    sim.advance_to("2028-07-10")  # crew of two aboard since early July
    assert sim.config.crew_aboard == 2
    before = dict(sim.consumables.stock)
    sim.advance_to("2028-07-20")
    ls = sim.systems.life_support
    used = {i: before[i] - sim.consumables.stock[i] for i in before}
    assert used["oxygen"] == pytest.approx(2 * 10 * 0.84 * (1 - ls.oxygen_generation_fraction
                                                            .value), rel=1e-9)
    made_o2 = 2 * 10 * 0.84 * ls.oxygen_generation_fraction.value  # split from stored water
    assert used["water"] == pytest.approx(2 * 10 * 3.5 * (1 - ls.water_recovery.value)
                                          + made_o2 * ls.electrolysis_water_kg_per_kg_oxygen
                                          .value, rel=1e-9)
    assert used["food"] == pytest.approx(2 * 10 * 1.8, rel=1e-9)


def test_stowage_limited_delivery_levels_days_of_supply():
    sim = Simulation(load_scenario(TINY))
    c = sim.consumables
    c.stock.update({"oxygen": 0.0, "water": 0.0, "food": 0.0})
    for item in c.ledger.values():
        item["start_kg"] = 0.0
    room = c.stowage_kg(sim) - sim.reliability.spares.mass_kg()  # spares share it
    left = c.deliver(sim, 10_000.0, 10_000.0, 10_000.0)
    assert sum(c.stock.values()) == pytest.approx(room, rel=1e-6)
    days = [c.stock[i] / c.per_crew_day[i] for i in c.stock]
    assert max(days) == pytest.approx(min(days), rel=1e-6)
    assert sum(left.values()) == pytest.approx(30_000.0 - room, rel=1e-6)
    assert c.ledger_balance_kg() < 1e-6


# -- FDIR -----------------------------------------------------------------------------------

@pytest.mark.parametrize("channel", sorted(CHANNELS))
def test_each_rule_detects_its_signature_after_the_fault_and_not_before(channel):
    rng = np.random.default_rng(3)
    rule = "limit" if "step" in CHANNELS[channel] else "trend"
    quiet = _signal(channel, rng, 1e9)
    assert detect(channel, rule, quiet) is None
    x = _signal(channel, rng, 1800.0)
    idx = detect(channel, rule, x)
    assert idx is not None and 1800.0 <= idx * 10.0 < 1800.0 + 1200.0


def test_redundant_unit_then_degradation_then_repair():
    sim = Simulation(load_scenario(TINY))
    sim.advance_to("2028-01-05")
    from rossim.ops import InjectFault

    sim.command(InjectFault(component="battery-string"))
    sim.advance_to("2028-01-05T01:00")
    f1 = sim.reliability.faults[-1]
    assert f1.recovered_automatically and f1.response == "switched to redundant unit"
    for _ in range(2):  # 8 strings, 6 needed: the third failure degrades
        sim.command(InjectFault(component="battery-string"))
        sim.advance_to(sim.now.replace(hour=sim.now.hour + 1))
    f3 = sim.reliability.faults[-1]
    assert f3.response == "string isolated: capacity reduced"
    assert sim.state.battery_factor["nem1"] == 0.75
    # the first faults take the spares aboard and wait for a crew (none in ros-tiny); the
    # others wait for a cargo ship that brings a spare
    n_spares = int(sim.systems.component_by_id("battery-string").initial_spares.value)
    faults = sim.reliability.faults[-3:]
    assert [f.repaired_by for f in faults] == ["crew"] * min(n_spares, 3) + [""] * max(
        3 - n_spares, 0)
    assert len(sim.reliability.spares.waiting) == max(3 - n_spares, 0)


# -- autonomy: reboost policy --------------------------------------------------------------------

def test_reboost_policy_waits_for_no_burn_window_and_ground_approval(short_sim):
    sim = short_sim
    res_burns = [b for b in sim.orbit.burns if b.commanded_by == "autonomy"]
    assert res_burns
    docks = np.array(sorted(np.datetime64(e.time.replace(tzinfo=None), "us")
                            for e in sim.timeline.events if e.kind in ("dock", "undock")))
    window = np.timedelta64(int(sim.systems.propulsion.no_burn_window_h.value * 3600), "s")
    events = sim.events
    # events and alarms carry datetime64[s] stamps (rossim.time.event_time), not ISO text
    assert all(isinstance(e["time"], np.datetime64) for e in events + sim.alarms)
    for b in res_burns:
        assert np.min(np.abs(docks - b.time)) >= window  # never within a day of a docking
        t = b.time.astype("datetime64[s]")   # events carry datetime64[s] (rossim.time)
        floor = [e for e in events if e["kind"] == "altitude" and e["time"] <= t]
        approved = [e for e in events if e["kind"] == "approval" and e["source"] == "ground"
                    and floor[-1]["time"] <= e["time"] <= t]
        assert approved, "every autonomous reboost waited for the ground"
        # the approval comes at a later ground contact (rossim.ops.contact), never at once
        assert approved[0]["time"] > floor[-1]["time"]


def test_reboost_at_the_floor_next_to_a_docking_waits_for_the_window_to_close():
    sim = Simulation(load_scenario(SHORT))
    dock = next(e.time for e in sim.timeline.events
                if e.kind == "dock" and e.part.startswith("Progress"))
    t_dock = np.datetime64(dock.replace(tzinfo=None), "us")
    sim.advance_to(dock - dt.timedelta(hours=3))
    sim.orbit.a = R_EQ_M + 394.0e3  # push the station just below the floor of [395, 405]
    sim.orbit.below_floor = False
    sim.advance_to(dock + dt.timedelta(days=3))
    waits = [e["detail"] for e in sim.events if e["kind"] == "reboost-waiting"]
    assert any(w.startswith("no-burn window around a docking") for w in waits)
    burn = sim.orbit.burns[-1]
    window = np.timedelta64(int(sim.systems.propulsion.no_burn_window_h.value * 3600), "s")
    assert burn.time >= t_dock + window
    assert burn.altitude_before_km < 395.0


def test_telemetry_since_returns_the_same_samples_as_the_whole_history(short_sim):
    full = short_sim.telemetry(["altitude_km", "soc_min", "oxygen_kg"])
    part = short_sim.telemetry(["altitude_km", "soc_min", "oxygen_kg"], since="2029-02-01T05:30")
    for name, (t, v) in full.items():
        m = t >= np.datetime64("2029-02-01T05:30")
        np.testing.assert_array_equal(part[name][0], t[m])
        np.testing.assert_array_equal(part[name][1], v[m])
