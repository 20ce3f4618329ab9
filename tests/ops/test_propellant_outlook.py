"""The propellant re-check's forecast pays the drag make-up in whole reboosts
(rossim.ops.propellant_outlook): just after a reboost the altitude above the band floor is drag
make-up already paid, and a steady drain from the stock the reboost has just lowered pays it
twice (a call-up the station does not need).

External reference: the reboost from the band floor is a Hohmann transfer between circular
orbits, each burn the vis-viva difference (Vallado, Fundamentals of Astrodynamics and
Applications, 4th ed., sec. 6.3, eq. 6-2/6-3), written out here on its own; its propellant the
rocket equation m (1 - exp(-dv / (g0 Isp))) (Tsiolkovsky). Tolerance 1e-9 relative (the same
closed form). The lump arithmetic is checked on figures worked by hand.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

MU = 3.986004418e14      # m^3/s^2, WGS-84 (Vallado table D-5)
R_EQ = 6378137.0         # m
G0 = 9.80665
DAY = 86400.0


def _hohmann_kg(h1_km, h2_km, mass_kg, isp_s):
    r1, r2 = R_EQ + h1_km * 1e3, R_EQ + h2_km * 1e3
    at = 0.5 * (r1 + r2)
    dv = (abs(math.sqrt(MU * (2 / r1 - 1 / at)) - math.sqrt(MU / r1))
          + abs(math.sqrt(MU / r2) - math.sqrt(MU * (2 / r2 - 1 / at))))
    return mass_kg * (1 - math.exp(-dv / (G0 * isp_s)))


def test_bank_and_band_are_hohmann_reboosts_from_the_floor():
    from rossim.ops.propellant_outlook import reboost_lumps_kg

    # ROS at its largest (about 120 t) in the 390-415 km band, Isp 302 s
    bank, band = reboost_lumps_kg(412.6, 390.0, 415.0, 120e3, 302.0)
    assert band == pytest.approx(_hohmann_kg(390.0, 415.0, 120e3, 302.0), rel=1e-9)
    assert bank == pytest.approx(_hohmann_kg(390.0, 412.6, 120e3, 302.0), rel=1e-9)
    assert 0.85 * band < bank < band       # 22.6 of the band's 25 km
    # at the floor nothing is banked; below it the climb back to the floor is owed (a
    # negative bank: campaign run 45 left safe mode 11 km under its floor); above the top no
    # more than one reboost
    assert reboost_lumps_kg(390.0, 390.0, 415.0, 120e3, 302.0)[0] == 0.0
    assert reboost_lumps_kg(379.0, 390.0, 415.0, 120e3, 302.0)[0] == pytest.approx(
        -_hohmann_kg(379.0, 390.0, 120e3, 302.0), rel=1e-9)
    assert reboost_lumps_kg(420.0, 390.0, 415.0, 120e3, 302.0)[0] == band


def test_reboosts_in_lumps_against_a_steady_drain():
    """Worked by hand: 1,000 kg above the de-orbit reserve, a 300 kg reserve, drag make-up
    5 kg/day, other uses 1 kg/day, 500 kg reboosts, just reboosted (500 kg banked). A steady
    drain of 6 kg/day reaches the reserve on day 117 (1,000 - 6 x 117 = 298). In lumps: the
    first reboost on day 101 (drag 505 kg > 500 banked) leaves 1,000 - 101 - 500 = 399 kg;
    the next is due on day 201, and by day 200 the tanks hold 300 kg: no shortfall in 200
    days. Half the bank (the altitude half-way down the band): the first reboost on day 51
    (255 > 250), the second on day 151 (755 > 750) leaves 1,000 - 151 - 1,000 < 300."""
    from rossim.ops.propellant_outlook import shortfall_s

    t = np.arange(201) * DAY
    days = np.arange(201.0)
    other, drag = 1.0 * days, 5.0 * days
    steady = shortfall_s(t, 1000.0, 300.0, other, drag, 0.0, 0.0)
    assert steady == 117 * DAY
    assert shortfall_s(t, 1000.0, 300.0, other, drag, 500.0, 500.0) == float("inf")
    assert shortfall_s(t, 1000.0, 300.0, other, drag, 250.0, 500.0) == 151 * DAY
    # already below the reserve: now
    assert shortfall_s(t, 200.0, 300.0, other, drag, 500.0, 500.0) == 0.0


def test_a_reboost_owed_below_the_floor_is_paid_at_once():
    """Worked by hand: 1,300 kg above the de-orbit reserve, a 150 kg reserve, other uses
    1 kg/day, drag make-up 5 kg/day, 500 kg reboosts. At the floor (nothing banked) the first
    reboost comes on day 1 and the second on day 101: 1,300 - k - 1,000 < 150 from day 151.
    Under the floor by 100 kg of climb (bank -100) the owed reboost of 600 kg flies at once
    and the second on day 101: 1,300 - 101 - 1,100 = 99 < 150, fifty days sooner. The
    re-check of before counted the station under its floor as if at it (run 45 was called a
    month late: docs/campaign-history.md)."""
    from rossim.ops.propellant_outlook import shortfall_s

    t = np.arange(301) * DAY
    days = np.arange(301.0)
    other, drag = 1.0 * days, 5.0 * days
    assert shortfall_s(t, 1300.0, 150.0, other, drag, 0.0, 500.0) == 151 * DAY
    assert shortfall_s(t, 1300.0, 150.0, other, drag, -100.0, 500.0) == 101 * DAY
    # the owed reboost alone takes the tanks under the reserve: now
    assert shortfall_s(t, 700.0, 150.0, other, drag, -100.0, 500.0) == 0.0


def test_no_call_up_just_after_a_reboost_for_drag_already_paid(short_scenario_path):
    """ros-short without cargo ships, advanced to 2028-09-01 and put at the top of its band
    (a reboost just flown) with the call-up reserve plus 60 kg in the tanks above the
    de-orbit reserve. The planner's forecast drawn steadily (drag and other uses) reaches the
    reserve before a ship called at the next monthly check could dock, so the re-check of
    before called a ship now; paid in lumps, the banked altitude covers the drag of months
    and the shortfall comes after that ship could dock: no call-up at this check."""
    from test_cargo_callup import _no_cargo, _systems

    from rossim.constants import R_EQ_M
    from rossim.ops.simulation import Simulation

    sc = _no_cargo(short_scenario_path, dt.datetime(2029, 6, 30, tzinfo=dt.UTC))
    sim = Simulation(sc, systems=_systems(initial_working_propellant_kg=4000.0))
    sim.advance_to(dt.datetime(2028, 9, 1, tzinfo=dt.UTC))
    cu, orbit, eng = sim.cargo_callup, sim.orbit, sim.engine
    assert cu.flights == []
    lg = sim.systems.logistics
    orbit.a = R_EQ_M + orbit.high_m          # just reboosted to the top of the band
    orbit.tank_kg = orbit.reserve_kg + lg.propellant_reserve_kg.value + 60.0
    now = eng.now_s
    cu.check_propellant()
    assert cu.flights == []
    # the premise, from the planner's forecast the check uses
    from rossim.ops.propellant_outlook import reboost_lumps_kg

    t, other, drag = cu.outlook._forecast()

    def since(cum, s):
        return float(np.interp(s, t, cum) - np.interp(now, t, cum))

    steady_s = next(now + k * DAY for k in range(400)
                    if since(other, now + k * DAY) + since(drag, now + k * DAY) > 60.0)
    later = cu.lift_off(int(now + lg.callup_check_days.value * DAY))
    assert later is not None and steady_s < later[1] < eng.t_end_s
    _, band = reboost_lumps_kg(orbit.altitude_m / 1e3, orbit.low_m / 1e3,
                               orbit.high_m / 1e3, sim.config.mass_kg,
                               orbit.prop.station_isp_s.value)
    assert since(drag, later[1]) < band     # no reboost due before that ship could dock
    assert cu.outlook.shortfall_s(now, eng.t_end_s, lg.propellant_reserve_kg.value + 60.0,
                                  lg.propellant_reserve_kg.value,
                                  lg.propellant_forecast_margin.value) > later[1]


def test_a_safe_mode_now_is_forecast_until_its_repairs(short_scenario_path):
    """In safe mode the thrusters hold attitude alone (``propulsion.
    attitude_kg_per_day_per_100t``: 8.0 kg/day per 100 t against 0.8 in the velocity
    attitude); the planner's forecast knows the plan's modes only. ros-short at 2028-09-01
    (NEM-1 alone), safe mode for a fault whose repair is booked to end 30 days later: the
    re-check's forecast adds (8.0 - 0.8) x mass / 100 t a day for 30 days, then nothing; with
    no repair booked, through the horizon. Worked by hand from the catalog figures. Campaign
    runs 45 and 111 (docs/campaign-history.md) spent months in safe mode the re-check did not
    see coming."""
    from test_cargo_callup import _no_cargo, _systems

    from rossim.ops.robotics import Task
    from rossim.ops.simulation import Simulation

    sc = _no_cargo(short_scenario_path, dt.datetime(2029, 6, 30, tzinfo=dt.UTC))
    sim = Simulation(sc, systems=_systems(initial_working_propellant_kg=4000.0))
    sim.advance_to(dt.datetime(2028, 9, 1, tzinfo=dt.UTC))
    ol, eng = sim.cargo_callup.outlook, sim.engine
    now = eng.now_s
    grid = now + np.arange(61) * DAY
    assert ol.safe_mode_end_s() is None and not ol.safe_mode_kg(grid).any()
    mass = sim.station_mass.mass_kg()
    sim.autonomy.enter_safe_mode("fault #999 computer")
    assert ol.safe_mode_end_s() == float("inf")            # no repair booked yet
    per_day = (8.0 - 0.8) * mass / 1e5
    assert ol.safe_mode_kg(grid)[-1] == pytest.approx(60 * per_day, rel=1e-9)
    end = sim.now + dt.timedelta(days=30)
    sim.scheduler.tasks.append(Task("crew repair", "nem1", sim.now, 2.0, end
                                    - dt.timedelta(hours=2), end, "crew", fault_id=999))
    assert ol.safe_mode_end_s() == eng.seconds(end)
    safe = ol.safe_mode_kg(grid)
    assert safe[10] == pytest.approx(10 * per_day, rel=1e-9)
    assert safe[30] == safe[60] == pytest.approx(30 * per_day, rel=1e-9)
    # the day the tanks reach the reserve comes sooner by the safe mode's use
    lg = sim.systems.logistics
    avail = lg.propellant_reserve_kg.value + 20 * per_day
    t_safe = ol.shortfall_s(now, now + 60 * DAY, avail, lg.propellant_reserve_kg.value,
                            lg.propellant_forecast_margin.value)
    assert t_safe <= now + 20 * DAY
    sim.autonomy.safe_causes.clear()
    sim.state.safe_mode = False
    assert ol.shortfall_s(now, now + 60 * DAY, avail, lg.propellant_reserve_kg.value,
                          lg.propellant_forecast_margin.value) > t_safe
    # the run's own last year: 365 kg burned besides reboosts, 200 kg of it attitude in safe
    # mode (a fault repaired since): its excess over the velocity attitude, 200 x (8.0 -
    # 0.8) / 8.0 = 180 kg, is not carried forward as a rate
    ol.history = [(now - 365 * DAY, 0.0, 0.0, 0.0), (now, 365.0, 0.0, 200.0)]
    sim.orbit.burns.clear()                     # no reboost rate either
    sim.cargo_callup.outlook._table = (sim.timeline, np.zeros(0), np.zeros(0), np.zeros(0))
    margin = lg.propellant_forecast_margin.value
    t_measured = ol.shortfall_s(now, now + 400 * DAY, lg.propellant_reserve_kg.value + 100.0,
                                lg.propellant_reserve_kg.value, margin)
    rate = (365.0 - 180.0) / 365.0 * margin       # kg/day
    assert t_measured == now + math.ceil(100.0 / rate + 1e-9) * DAY
