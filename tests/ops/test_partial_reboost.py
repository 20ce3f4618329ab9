"""A reboost refused for want of propellant flies short of the band's top with what the tanks
can spare (rossim.ops.partial_reboost): campaign run 45 of 2b1dda6 (docs/campaign-history.md)
left safe mode under its floor with less above the de-orbit reserve than the whole reboost
needed, and sank to 371 km with that propellant aboard.

External reference: the burn's altitude is the Hohmann transfer the burn's delta-v reaches,
each burn the vis-viva difference (Vallado, Fundamentals of Astrodynamics and Applications,
4th ed., sec. 6.3, eq. 6-2/6-3), and its delta-v the rocket equation dv = g0 Isp
ln(m0 / (m0 - m_p)) (Tsiolkovsky) of the kilograms the tanks spare, both written out here on
their own. Tolerances: 1 m of altitude (the engine solves the transfer by bisection), 0.5 kg
of propellant.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

MU = 3.986004418e14      # m^3/s^2, WGS-84 (Vallado table D-5)
R_EQ = 6378137.0         # m
G0 = 9.80665


def _hohmann_dv(h1_km, h2_km):
    r1, r2 = R_EQ + h1_km * 1e3, R_EQ + h2_km * 1e3
    at = 0.5 * (r1 + r2)
    return (abs(math.sqrt(MU * (2 / r1 - 1 / at)) - math.sqrt(MU / r1))
            + abs(math.sqrt(MU / r2) - math.sqrt(MU * (2 / r2 - 1 / at))))


def _below_floor(short_scenario_path, share, depth_km=80.0, reserve_kg=None):
    """ros-short without cargo ships at 2028-09-01 (NEM-1 alone, 26 t), put ``depth_km`` under
    its band floor (80 km: the whole reboost to the band's top then needs more than the 300 kg
    call-up reserve the tanks keep; ``reserve_kg`` another call-up reserve) with the tanks holding what the partial reboost keeps plus ``share`` of
    the rest of the whole reboost's need above the de-orbit reserve, the reboost owed and
    approved. Returns the run, the kilograms kept and until when, and the kilograms to
    spare."""
    from test_cargo_callup import _no_cargo, _systems

    from rossim.constants import R_EQ_M
    from rossim.ops.partial_reboost import _keep_kg
    from rossim.ops.simulation import Simulation

    sc = _no_cargo(short_scenario_path, dt.datetime(2029, 6, 30, tzinfo=dt.UTC))
    systems = _systems(initial_working_propellant_kg=4000.0)
    if reserve_kg is not None:
        lg = systems.logistics
        systems = systems.model_copy(update={"logistics": lg.model_copy(update={
            "propellant_reserve_kg": lg.propellant_reserve_kg.model_copy(
                update={"value": reserve_kg})})})
    sim = Simulation(sc, systems=systems)
    sim.advance_to(dt.datetime(2028, 9, 1, tzinfo=dt.UTC))
    orbit, au = sim.orbit, sim.autonomy
    orbit.a = R_EQ_M + orbit.low_m - depth_km * 1e3
    keep, until = _keep_kg(sim)
    h0, top = orbit.altitude_m / 1e3, orbit.high_m / 1e3
    mass = sim.station_mass.mass_kg()
    need = mass * (1 - math.exp(-_hohmann_dv(h0, top) / (G0 * orbit.prop.station_isp_s.value)))
    assert need > keep
    spare = share * (need - keep)
    orbit.tank_kg = orbit.reserve_kg + keep + spare
    au.reboost_pending_since = sim.engine.now_s
    au.reboost_approved = True
    return sim, keep, until, spare


def test_a_refused_reboost_flies_short_with_what_the_tanks_spare(short_scenario_path):
    sim, keep, until, spare = _below_floor(short_scenario_path, 0.6)
    orbit = sim.orbit
    lg = sim.systems.logistics
    # what the tanks keep: the forecast's other uses until the next propellant in (no cargo
    # ship: the core module docking with its climb's leftover), never under the call-up
    # reserve, which binds here (26 t: the forecast's use is below it)
    assert until == "core on 2028-12-23"
    eng, cu = sim.engine, sim.cargo_callup
    other = cu.outlook.other_use_kg(eng.now_s, eng.seconds(dt.datetime(2028, 12, 24,
                                                                        tzinfo=dt.UTC)))
    assert 0.0 < other < lg.propellant_reserve_kg.value == keep
    h0 = orbit.altitude_m / 1e3
    mass = sim.station_mass.mass_kg()
    assert orbit.reserves == {}
    n = len(orbit.burns)
    sim.autonomy.check_reboost()
    assert len(orbit.burns) == n + 1
    b = orbit.burns[-1]
    assert b.propellant_kg == pytest.approx(spare, abs=0.5)
    assert orbit.tank_kg - orbit.reserve_kg == pytest.approx(keep, abs=0.5)
    isp = orbit.prop.station_isp_s.value
    dv = G0 * isp * math.log(mass / (mass - spare))
    assert b.dv_m_s == pytest.approx(dv, abs=1e-3)
    # the altitude that delta-v reaches by Hohmann: short of the band's top
    lo, hi = h0, h0 + 100.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _hohmann_dv(h0, mid) < dv else (lo, mid)
    assert orbit.altitude_m / 1e3 == pytest.approx(lo, abs=1e-3)
    assert h0 + 2.0 < orbit.altitude_m / 1e3 < orbit.high_m / 1e3
    alarm = [a for a in sim.alarms if a["detail"].startswith("partial reboost")]
    assert len(alarm) == 1 and alarm[0]["severity"] == "warning"
    assert f"{keep:.0f} kg kept above the de-orbit reserve" in alarm[0]["cause"]
    assert not [a for a in sim.alarms if "no reboost possible" in a["detail"]]
    # left under the floor: the episode's refusal (an alarm, the re-entry cause's time) and
    # the next ship with propellant tries again
    au = sim.autonomy
    assert orbit.altitude_m < orbit.low_m
    assert au.reboost_pending_since is not None and au.wait_reason == "propellant"
    assert au.refused_at_s == sim.engine.now_s
    below = [a for a in sim.alarms if "after a partial reboost" in a["detail"]]
    assert len(below) == 1 and below[0]["subject"] == "orbit" and "core on 2028-12-23" \
        in below[0]["cause"]


def test_a_partial_reboost_above_the_floor_closes_the_wait(short_scenario_path):
    """3 km under the floor with a 5 kg call-up reserve (the forecast's own use until the
    core docks binds the keep then) and 80 % of the rest of the whole reboost to spare: the
    partial reboost ends above the floor and the wait closes with its reason; no alarm that
    the station stays under its floor."""
    sim, keep, _, spare = _below_floor(short_scenario_path, 0.8, depth_km=3.0,
                                       reserve_kg=5.0)
    eng, orbit, au = sim.engine, sim.orbit, sim.autonomy
    other = sim.cargo_callup.outlook.other_use_kg(eng.now_s, eng.seconds(dt.datetime(
        2028, 12, 24, tzinfo=dt.UTC)))
    assert 5.0 < keep <= other < keep + 1.0      # up to a day's use at 26 t
    au.wait_reason = "in safe mode: reboost waits"
    n = len(orbit.burns)
    au.check_reboost()
    assert len(orbit.burns) == n + 1 and orbit.burns[-1].propellant_kg == pytest.approx(
        spare, abs=0.5)
    assert orbit.low_m < orbit.altitude_m < orbit.high_m
    assert au.reboost_pending_since is None
    assert au.waits[-1][2] == "in safe mode: reboost waits; then a partial reboost"
    assert not [a for a in sim.alarms if "after a partial reboost" in a["detail"]]


def test_too_little_to_spare_is_a_refusal(short_scenario_path):
    """2 % of the rest of the whole reboost to spare (about 4 kg, 0.4 m/s) raises the
    station less than ``autonomy.partial_reboost_min_km``: no burn, the refusal's two alarms,
    the wait open."""
    sim, _, _, spare = _below_floor(short_scenario_path, 0.02)
    m, h0 = sim.station_mass.mass_kg(), sim.orbit.altitude_m / 1e3
    dv = G0 * sim.orbit.prop.station_isp_s.value * math.log(m / (m - spare))
    assert _hohmann_dv(h0, h0 + sim.systems.autonomy.partial_reboost_min_km.value) > dv > 0.2
    n, k = len(sim.orbit.burns), len(sim.alarms)
    sim.autonomy.check_reboost()
    assert len(sim.orbit.burns) == n
    details = [a["detail"] for a in sim.alarms[k:]]
    assert "reboost refused: not enough propellant above the de-orbit reserve" in details
    assert any("no reboost possible" in d for d in details)
    assert sim.autonomy.wait_reason == "propellant"


def test_the_minimum_raise_is_the_catalog_source_s_kilograms():
    """``autonomy.partial_reboost_min_km``'s source states 2 km as about 1.1 m/s and 38 kg at
    100 t and Isp 302 s at the 390 km floor (vis-viva and Tsiolkovsky written out here)."""
    from rossim.config.systems import load_systems

    s = load_systems()
    km = s.autonomy.partial_reboost_min_km.value
    assert km == 2 and "1.1 m/s and 38 kg at 100 t and Isp 302 s" in \
        s.autonomy.partial_reboost_min_km.source
    dv = _hohmann_dv(390.0, 390.0 + km)
    assert round(dv, 1) == 1.1
    assert round(100e3 * (1 - math.exp(-dv / (G0 * 302.0)))) == 38
