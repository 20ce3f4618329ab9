"""One orbit from a scenario (rossim.dynamics.scenario_orbit): every command models the same
orbit, and the local mean solar time of the node is right.

References:
- Equation of time (apparent minus mean solar time) at its yearly extremes and near-zero
  turns, from the Astronomical Almanac's tabulation as summarised in J. Meeus, *Astronomical
  Algorithms*, 2nd ed. (1998), ch. 28: about -14 min 13 s on 11-12 Feb, +3 min 40 s on 14 May,
  -6 min 31 s on 26 Jul, +16 min 25 s on 3 Nov (year-to-year changes < 10 s). Tolerance 15 s.
- Sun-synchronous node: the J2 node rate at 97 deg / 400 km (Vallado eq. 9-41) against the
  mean Sun's 0.98564736 deg/day (Meeus eq. 25.2): the node's local time moves by their
  difference (~0.1 h a year at 97.0 deg; 97.03 deg would be exact).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from rossim.config.scenario import load_scenario
from rossim.dynamics.scenario_orbit import (
    beta_deg_at,
    ltan_h_at,
    mean_sun_ra_deg,
    node_rad_at,
    orbit_from_scenario,
)
from rossim.environment.ephemeris import sun_position_gcrf
from rossim.errors import InputError
from rossim.time import time_grid, to_time


@pytest.mark.parametrize(("date", "eot_min"), [
    ("2028-02-11T12:00", -14.22), ("2028-05-14T12:00", 3.67),
    ("2028-07-26T12:00", -6.52), ("2028-11-03T12:00", 16.42)])
def test_mean_sun_against_the_equation_of_time(date, eot_min):
    t = to_time(date)
    s = np.asarray(sun_position_gcrf(t)).reshape(-1, 3)[0]
    true_ra = np.degrees(np.arctan2(s[1], s[0]))
    eot = ((mean_sun_ra_deg(t)[0] - true_ra + 180.0) % 360.0 - 180.0) * 4.0  # min
    assert eot == pytest.approx(eot_min, abs=0.25)


def test_ltan_sets_the_node_at_the_span_start():
    s = load_scenario("ros-97")
    assert s.orbit.ltan_h == 22.5
    orbit = orbit_from_scenario(s)
    t0 = to_time(s.span.start)
    assert abs((orbit.span[0] - t0).to_value("s")) < 1e-6
    assert ltan_h_at(orbit, t0)[0] == pytest.approx(22.5, abs=1e-9)
    # Nearly sun-synchronous: a year later the node time has moved by the difference between
    # the J2 node rate and the mean Sun's 0.98564736 deg/day (Meeus eq. 25.2), ~0.1 h at 97.0
    # deg (97.03 deg would be exact).
    year = to_time(dt.datetime(2028, 12, 1, tzinfo=dt.UTC))
    days = 366.0
    expected = 22.5 + (np.degrees(orbit.rates_rad_s[0]) * 86400.0 - 0.98564736) * days / 15.0
    assert ltan_h_at(s, year)[0] == pytest.approx(expected, abs=0.005)
    assert abs(expected - 22.5) < 0.15
    # raan_deg scenarios keep their node at the span start.
    s51 = load_scenario("ros-51.6")
    assert np.degrees(node_rad_at(s51, s51.span.start))[0] == pytest.approx(
        s51.orbit.raan_deg, abs=1e-9)


def test_raan_and_ltan_together_is_an_error(tmp_path):
    src = Path(load_scenario("ros-97").source_path).read_text(encoding="utf-8")
    bad = tmp_path / "both.toml"
    bad.write_text(src.replace("ltan_h = 22.5", "ltan_h = 22.5\nraan_deg = 10.0"),
                   encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_scenario(bad)
    msg = str(err.value)
    assert "orbit.raan_deg" in msg and "ltan_h" in msg and "not both" in msg


def test_every_command_models_the_same_orbit(monkeypatch):
    """ros-97: the beta angle of the trade path, the coverage path, the dose path and the
    function the run uses agree at the same epochs (1e-6 deg)."""
    import rossim.dynamics.scenario_orbit as so
    from rossim.analysis.coverage import scenario_coverage
    from rossim.analysis.dose import crew_visit_doses
    from rossim.analysis.trade import scenario_beta_and_eclipse

    s = load_scenario("ros-97")
    built = []
    real = so.orbit_from_scenario

    def recorder(scenario):
        built.append(real(scenario))
        return built[-1]

    monkeypatch.setattr(so, "orbit_from_scenario", recorder)
    trade = scenario_beta_and_eclipse(s, days=365.0)          # `rossim trade`
    cov = scenario_coverage(s, days=0.2, regions=("arctic",), step_s=60.0, step_deg=1.0)
    crew_visit_doses(s, step_s=3600.0)                        # `rossim dose SCENARIO`
    assert len(built) == 3 and cov["regions"]
    t = trade["t"]                                            # daily over a year from start
    run = beta_deg_at(s, t)                                   # what the run's engine calls
    assert np.abs(trade["beta_deg"] - run).max() < 1e-6
    for orbit in built:
        assert np.abs(orbit.beta_deg(t) - run).max() < 1e-6
    # The node the run's engine starts from at its first epoch (first module) is the same
    # orbit's, not raan_deg re-anchored there.
    first = to_time(dt.datetime(2027, 12, 15, tzinfo=dt.UTC))
    assert np.degrees(node_rad_at(s, first)[0]) == pytest.approx(
        np.degrees(built[0].raan_rad_at(first))[0], abs=1e-9)
    assert ltan_h_at(s, first)[0] == pytest.approx(22.5, abs=0.01)
    # and the trade reports the scenario's node time
    assert trade["node_local_time_h"] == pytest.approx(22.5, abs=0.01)


def test_node_rad_at_accepts_datetime64():
    s = load_scenario("ros-51.6")
    hours = np.arange(np.datetime64("2028-01-01T00"), np.datetime64("2028-01-02T00"),
                      np.timedelta64(1, "h"))
    a = node_rad_at(s, hours)
    b = node_rad_at(s, time_grid("2028-01-01", 23 * 3600.0, 3600.0))
    assert a.shape == (24,) and np.abs(a - b).max() < 1e-12
    # J2 regression at 51.6 deg / 400 km: about -5 deg/day
    assert np.degrees(a[-1] - a[0]) * 24 / 23 == pytest.approx(-5.0, abs=0.3)


def test_dose_flies_the_run_orbit_when_given():
    """The run's flown orbit (mean elements, hourly) drops into the dose path; with the nominal
    altitude and the scenario's node it gives the same doses as the scenario's orbit."""
    from rossim.analysis.dose import crew_visit_doses
    from rossim.dynamics.ephemeris import MeanElementEphemeris

    s = load_scenario("ros-97")
    start, end = to_time(s.span.start), to_time(s.span.end)
    hours = time_grid(start, (end - start).to_value("s"), 3600.0)
    flown = MeanElementEphemeris(hours, s.orbit.inclination_deg, node_rad_at(s, hours),
                                 altitude_m=np.full(len(hours), s.orbit.altitude_km * 1e3))
    a = crew_visit_doses(s, step_s=1800.0)
    b = crew_visit_doses(s, step_s=1800.0, orbit=flown)
    assert len(a) == len(b) > 0
    for x, y in zip(a, b, strict=True):
        assert y["per_person_mSv"] == pytest.approx(x["per_person_mSv"], rel=1e-6)
