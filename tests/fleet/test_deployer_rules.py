"""Free-flyer deployments against the JAXA J-SSOD rules (ros-facts.md, "deployer rules": release
in the orbit plane 45 deg aft of nadir into a lower orbit; CubeSats 0.77-1.7 m/s, 50 kg class
0.4 m/s; ballistic coefficient at most 100 kg/m^2 so that the satellite falls faster than the
station; about 1 year of life) and unkept lifetimes (issue "The campaign as it would fly")."""

import datetime as dt
import json

import numpy as np
import pytest

from rossim.cli.main import main
from rossim.config.scenario import load_scenario
from rossim.fleet.deployer_rules import check_deployments, unkept_lifetimes_years


@pytest.fixture(scope="module")
def ref():
    return load_scenario("ros-51.6")


@pytest.fixture(scope="module")
def rules(ref):
    return check_deployments(ref)


def test_100_kg_m2_decays_before_the_station_and_227_is_flagged(ref, rules):
    """The issue's validation: a satellite at the J-SSOD limit (100 kg/m^2) released per the
    rules decays before the station in the model; the reference family's 50 kg satellites
    (50 / (2.2 x 0.1) = 227 kg/m^2) are flagged."""
    late = rules[1]
    assert late.mass_kg == 50 and late.ballistic_coefficient_kg_m2 == pytest.approx(227, abs=1)
    by = {c.rule: c for c in late.checks}
    assert not by["ballistic coefficient m/(Cd A)"].ok
    assert not by["must fall faster than the station"].ok and not late.ok
    assert late.lifetime_years > late.station_lifetime_years  # outlives the station
    stn_bc = late.station_ballistic_coefficient_kg_m2
    assert 100 < stn_bc < 200  # ~100 t over ~330 m^2 at C_D 2.2
    sat, stn = unkept_lifetimes_years(ref, late.date, [100.0, stn_bc])
    assert sat < stn
    # ... and by the margin the drag law gives: lifetime roughly proportional to m/(Cd A)
    assert sat / stn == pytest.approx(100.0 / stn_bc, rel=0.25)


def test_cubesat_lifetime_of_the_order_of_a_year(ref):
    """J-SSOD: about 1 year of life for CubeSats released from ~400 km. A 3U CubeSat
    (4 kg, C_D 2.2, mean area 0.03 m^2: 61 kg/m^2) lives within a factor 2.5 of a year at
    the two release dates of the reference family (near solar minimum 2029-30 it lives
    longer, on the rising cycle 2034 shorter)."""
    bc = 4.0 / (2.2 * 0.03)
    for date in (dt.datetime(2029, 3, 1), dt.datetime(2034, 3, 1)):
        (life,) = unkept_lifetimes_years(ref, date, [bc])
        assert 1 / 2.5 < life < 2.5, (date, life)


def test_lifetime_grows_with_ballistic_coefficient_and_is_deterministic(ref):
    bcs = [20.0, 60.0, 100.0, 150.0, 227.0]
    a = unkept_lifetimes_years(ref, dt.datetime(2031, 1, 1), bcs)
    assert np.all(np.diff(a) > 0)
    assert np.array_equal(a, unkept_lifetimes_years(ref, dt.datetime(2031, 1, 1), bcs))


def test_direction_and_speed_rules(ref):
    """A radial-down release (45 deg from the J-SSOD direction) and a 50 kg satellite at
    1.5 m/s break their rules; the reference direction [-1, 0, 1] is the nominal one."""
    dep = ref.free_flyers.deployments[1]
    bad = dep.model_copy(update={"direction": "radial-down", "delta_v_m_s": 1.5})
    scen = ref.model_copy(update={"free_flyers": ref.free_flyers.model_copy(
        update={"deployments": [bad]})})
    (r,) = check_deployments(scen)
    by = {c.rule: c for c in r.checks}
    assert not by["release direction (from the nominal)"].ok
    assert by["release direction (from the nominal)"].value == "45.0 deg"
    assert not by["release speed (50 kg class)"].ok
    good = {c.rule: c for c in check_deployments(ref)[1].checks}
    assert good["release direction (from the nominal)"].value == "0.0 deg"


@pytest.mark.slow
def test_fleet_command_reports_the_rules(capsys):
    assert main(["fleet", "ros-51.6", "--days", "0.5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["ok"] for r in data["deployer_rules"]] == [False, False]
    assert main(["fleet", "ros-51.6", "--days", "0.5", "--deployer", "nope"]) == 2
    err = capsys.readouterr().err
    assert "--deployer" in err and "j-ssod" in err and "Traceback" not in err


def test_lifetime_uses_the_runs_atmosphere_and_the_noise_free_forecast(ref):
    """The one lifetime (deployer rules, fleet tables, the run report's re-entry) is the run's
    decay model: the scenario's ``operations.atmosphere`` (MSIS 2.1 by default; before
    2026-12-02 it was always NRLMSISE-00, which near the 2030 solar minimum gives a denser
    thermosphere: docs/drag.md) and, with the Monte Carlo's daily weather noise on, the
    noise-free forecast (no draw from the operating system: same figure in every process)."""
    date, bcs = dt.datetime(2029, 3, 1), [100.0, 227.0]
    msis21 = unkept_lifetimes_years(ref, date, bcs)
    ops = ref.operations
    nrl = ref.model_copy(update={"operations": ops.model_copy(update={"atmosphere":
                                                                      "nrlmsise00"})})
    msis00 = unkept_lifetimes_years(nrl, date, bcs)
    assert ref.operations.atmosphere == "msis2.1"
    assert np.all(msis00 < msis21)     # the denser model shortens the lifetime
    noisy = ref.model_copy(update={"operations": ops.model_copy(update={
        "f107_noise_sigma": 0.12, "f107_noise_lag1": 0.9, "ap_noise_sigma": 0.85,
        "ap_noise_lag1": 0.6})})
    assert np.array_equal(unkept_lifetimes_years(noisy, date, bcs), msis21)
