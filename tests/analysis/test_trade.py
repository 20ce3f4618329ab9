"""The trade study (ros-51.6 against ros-97) against published or closed-form references.

- Sun-synchronous node rate: 360 deg / 365.2422 d = 0.98565 deg/day; 97.0 deg at 400 km is
  sun-synchronous (Vallado, *Fundamentals of Astrodynamics*, 4th ed., sec. 11.4, SSO
  inclination 97.03 deg at 400 km).
- Largest beta angle of a 51.6 deg orbit over a year: inclination + obliquity = 75.04 deg
  (Vallado sec. 5.3; ISS "high beta" periods reach ~75 deg).
- Longest eclipse at 400 km (beta = 0, cylindrical shadow): acos(sqrt(h^2+2Rh)/(R+h))/pi =
  0.387 of the orbit (~36 min of 92.6 min, the ISS figure quoted by NASA).
"""

import json

import numpy as np
import pytest

from rossim.analysis.trade import TABLE_ROWS, beta_and_eclipse, table_cell, trade_study
from rossim.cli.main import main
from rossim.config.scenario import load_scenario

REQUIRED = {"scenario", "inclination_deg", "coverage_russia_pct", "coverage_arctic_pct",
            "coverage_nsr_pct", "max_latitude_seen_deg", "angara_a5_payload_t",
            "beta_angle_range_deg"}


@pytest.fixture(scope="module")
def rows():
    return trade_study([load_scenario("ros-51.6"), load_scenario("ros-97")], coverage_days=2.0,
                       dose_step_s=900.0, with_reboost=False)


def test_one_object_per_scenario_with_required_keys(rows):
    assert [r.scenario for r in rows] == ["ros-51.6", "ros-97"]
    for r in rows:
        assert REQUIRED <= set(r.to_dict())
    low, polar = rows
    assert polar.max_latitude_seen_deg > 83 > 53 > low.max_latitude_seen_deg
    assert low.coverage_arctic_pct == 0.0 and polar.coverage_arctic_pct > 30
    # The polar orbit costs Angara A5 payload; penalty = difference of payloads.
    assert polar.angara_a5_penalty_t == pytest.approx(
        polar.angara_a5_payload_t - low.angara_a5_payload_t, abs=1e-3)
    assert polar.angara_a5_penalty_t < -1.0


def test_beta_and_eclipse_references():
    low = beta_and_eclipse(400.0, 51.6, 0.0, "2028-01-01")
    assert np.max(np.abs(low["beta_deg"])) == pytest.approx(51.6 + 23.44, abs=2.0)
    assert np.max(low["eclipse_fraction"]) == pytest.approx(0.387, abs=0.01)
    sso = beta_and_eclipse(400.0, 97.0, 0.0, "2028-01-01")
    # A sun-synchronous plane keeps its beta within the seasonal swing of the Sun's
    # declination (+-23.4 deg), unlike the 51.6 deg plane that sweeps +-75 deg.
    assert np.ptp(sso["beta_deg"]) < 2 * 23.44 + 1.0 < np.ptp(low["beta_deg"])


def test_sun_synchronous_node_rate():
    from rossim.analysis.launch import PlaneModel

    rate = PlaneModel(400.0, 97.0, 0.0, None).rates_deg_s[0] * 86400
    assert rate == pytest.approx(360 / 365.2422, rel=0.01)


def test_cli_bad_input(capsys):
    assert main(["trade", "ros-51.6"]) == 2
    assert main(["trade", "ros-51.6", "nowhere"]) == 2
    assert main(["trade", "--days", "0"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_cli_json(capsys, tmp_path):
    rc = main(["trade", "--days", "1", "--no-reboost", "--json", "--plots", str(tmp_path)])
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["scenario"] for r in data] == ["ros-51.6", "ros-97"]
    assert all(REQUIRED <= set(r) for r in data)
    assert (tmp_path / "trade-beta.png").stat().st_size > 1000


# -- power under stated tracking and attitude assumptions; the node's local time ----------

def test_power_rows_state_their_assumptions_and_order(rows):
    """Closed form: single-axis wings in velocity attitude give capacity x |cos beta| x the
    sunlit share (Vallado sec. 5.3 eclipse share), year-averaged; fixed zenith-facing wings
    less, sun-biased and two-axis more."""
    from rossim.analysis.trade import POWER_CASES

    for r in rows:
        assert set(r["power_assumptions"]) == {c for c, _ in POWER_CASES}
        be = r.beta
        cap = sum(r["array_capacity_by_tracking_kw"].values())
        closed = np.mean(cap * np.abs(np.cos(np.radians(be["beta_deg"])))
                         * (1.0 - be["eclipse_fraction"]))
        assert r["power_mean_kw_single_axis"] == pytest.approx(closed, rel=0.01)
        assert r["power_mean_kw_fixed"] < r["power_mean_kw_single_axis"] <= \
            r["power_mean_kw_single_axis_sun_biased"] <= r["power_mean_kw_two_axis"]
        assert r["power_min_kw"] <= r["power_mean_kw"]
        assert r["sustainable_load_mean_kw"] < r["power_mean_kw"]


def test_node_local_time_is_a_parameter_of_the_sun_synchronous_case():
    from rossim.analysis.trade import power_vs_ltan

    sweep = {r["ltan_h"]: r for r in power_vs_ltan(load_scenario("ros-97"), (6.0, 12.0))}
    # dawn-dusk: beta near 90 deg, most of the year in full sun; noon: beta near 0
    assert min(abs(b) for b in sweep[6.0]["beta_deg_range"]) > 55
    assert sweep[6.0]["full_sun_days"] > 180
    assert max(abs(b) for b in sweep[12.0]["beta_deg_range"]) < 10
    assert sweep[12.0]["full_sun_days"] == 0
    assert sweep[6.0]["power_mean_kw"] > sweep[12.0]["power_mean_kw"]


def test_trade_row_moves_the_node_of_the_sun_synchronous_scenario():
    from rossim.analysis.trade import trade_row

    r = trade_row(load_scenario("ros-97"), coverage_days=0.2, dose_step_s=3600.0,
                  with_reboost=False, ltan_h=12.0)
    assert r["node_local_time_at_start_h"] == pytest.approx(12.0, abs=0.1)
    assert main(["trade", "--ltan-h", "25", "--no-reboost"]) == 2


def test_every_table_row_is_a_field_of_the_row(rows):
    """The console table and docs/trade-study.md read TABLE_ROWS keys with getattr / row.get:
    a key that is not a TradeRow field crashed `rossim trade` (AttributeError, exit 1) and
    printed "n/a" in the docs page (power rows by tracking, keys with hyphens)."""
    for key, label, fmt in TABLE_ROWS:
        for r in rows:
            assert key in r.to_dict(), f"TABLE_ROWS key {key!r} ({label}) is not a TradeRow key"
            value = getattr(r, key)
            if key.startswith("power_mean_kw"):
                assert value is not None and value > 0, (key, r.scenario)
            # every cell formats as the console and docs/trade-study.md show it
            cell = table_cell(r.to_dict(), key, fmt)
            assert isinstance(cell, str) and cell


def test_the_dose_row_names_its_shield():
    """Trade's 19.9 mSv, `rossim dose`'s 22.5 and a run's 23.6 for a 30-day visit at 400 km
    read as disagreeing (newcomer review): the row names the shield it is computed behind,
    the one circular_orbit_dose uses."""
    from rossim.analysis.dose import PRESSURISED_MODULE_G_CM2
    from rossim.analysis.trade import TABLE_ROWS

    label = next(lab for key, lab, _f in TABLE_ROWS if key == "crew_dose_msv_per_30d")
    assert f"behind {PRESSURISED_MODULE_G_CM2:g} g/cm^2" in label, label
