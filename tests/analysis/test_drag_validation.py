"""Drag across the solar cycle, against the ISS's real decay.

Fixtures (tests/data/iss, see its README for origin, commit and terms):
- iss-tle-2023-01-to-04.txt: 609 ISS TLEs, 2023-01-01 to 2023-04-30, Space-Track history kept
  in victorballester7/final-bachelor-project (data/tle/ISS.txt); 7 reboosts.
- iss-tle-2021-01-to-2022-03.txt: 2096 ISS 3LEs, 2021-01-01 to 2022-03-03, Space-Track history
  kept in rtphokie/issheight (zarya.txt, commit 46c0bf3f).
- iss-omm-2024-09-to-2025-03.json: 499 ISS OMMs (CelesTrak JSON), 2024-09-15 to 2025-03-09,
  kept in JasonBernstein1/iss_tle (iss_tle.json, commit ee065637).
Configurations of the time: rossim/data/iss/configurations.toml (mass and drag area from the
NASA/JSC ephemeris headers of 2022-01-17, 2023-02-15 and 2024-11-27; estimates before Prichal,
flagged; Cd 2.2, the station's own operations.cd: the headers' DRAG_COEFF, 2.0-3.25, is JSC's
tuning value for its own density model, kept as cd_jsc; docs/drag.md and
rossim.analysis.drag_explain give the reasons and figures).
The issue's targets: mean absolute error of predicted over observed decay at most 25 % per
period with the configuration of the time, and at most 25 % out of sample with a fitted
ballistic coefficient. Where the measured figure misses a target the test is a strict xfail
with the figure in its reason, so that it fails loudly when the figure changes.
"""

from pathlib import Path

import numpy as np
import pytest

from rossim.analysis import drag_explain
from rossim.analysis import drag_validation as dv

DATA = Path(__file__).resolve().parents[1] / "data" / "iss"
TLE_2023 = DATA / "iss-tle-2023-01-to-04.txt"
TLE_2021 = DATA / "iss-tle-2021-01-to-2022-03.txt"


@pytest.fixture(scope="module")
def hist_2023():
    jd, alt, tles = dv.mean_history(dv._read(TLE_2023))
    return jd, alt, tles, dv.daily_ap(jd)


def _detect(jd, alt, ap):
    return dv.detect_manoeuvres(jd, alt, storm_ap=ap)


def test_the_seven_reboosts_of_2023_and_nothing_else(hist_2023):
    jd, alt, _, ap = hist_2023
    man = _detect(jd, alt, ap)
    assert len(man) == 7
    assert all(m.delta_km > 0.3 for m in man)
    # NASA/JSC's ephemeris of 2023-02-16 lists "GMT 051 ISS Reboost 051:02:58:00" (2023-02-20),
    # 1.7 m/s: about 3 km of semi-major axis (2 a dv / v)
    feb20 = 2459995.5 + 2.98 / 24.0
    hit = [m for m in man if m.start_jd - 0.5 <= feb20 <= m.end_jd + 0.5]
    assert len(hit) == 1
    assert abs(hit[0].delta_km - 2 * 6796.0 * 1.7 / 7660.0) < 0.3 * 3.0


def test_a_synthetic_lowering_burn_is_found(hist_2023):
    jd, alt, _, ap = hist_2023
    t_burn = 2460044.5  # 2023-04-10T00:00, inside the 28-day quiet interval from 2023-04-01
    low = alt - 0.25 * (jd > t_burn)
    man = _detect(jd, low, ap)
    assert len(man) == 8
    lowered = [m for m in man if m.delta_km < 0]
    assert len(lowered) == 1
    assert lowered[0].start_jd - 0.5 <= t_burn <= lowered[0].end_jd   # placed within 12 h
    assert abs(lowered[0].delta_km + 0.25) < 0.03       # 30 m, the TLEs' scatter


def test_a_burn_split_across_two_element_sets_is_one_manoeuvre(hist_2023):
    jd, alt, _, ap = hist_2023
    k = int(np.searchsorted(jd, 2460044.5))
    split = alt.copy()
    split[k] += 0.2            # an element set fitted mid-burn
    split[k + 1:] += 0.4
    man = _detect(jd, split, ap)
    assert len(man) == 8
    new = [m for m in man if m.start_jd - 0.5 <= jd[k] <= m.end_jd]
    assert len(new) == 1
    assert abs(new[0].delta_km - 0.4) < 0.04


def test_real_lowering_burns_of_2021_are_found():
    jd, alt, _ = dv.mean_history(dv._read(TLE_2021))
    man = dv.detect_manoeuvres(jd, alt, storm_ap=dv.daily_ap(jd))
    lows = [m for m in man if m.delta_km < 0]
    # in the history: 2021-09-24 (-1.2 km), 2021-12-03 (-0.5 km), 2021-12-24 (-1.8 km)
    assert len(lows) == 3
    assert all(abs(m.delta_km) > 0.4 for m in lows)
    assert sum(1 for m in man if m.delta_km > 0) == 12


def test_storm_bend_is_not_a_burn(hist_2023):
    # 2023-02-27 (G3 storm, daily Ap >= 30): the orbit sinks 0.2 km in half a day; without the
    # space weather it would pass for a lowering burn
    jd, alt, _, ap = hist_2023
    man = dv.detect_manoeuvres(jd, alt, storm_ap=None)
    assert any(m.delta_km < 0 and abs(m.start_jd - 2460003.7) < 1.5 for m in man)
    assert not any(m.delta_km < 0 for m in _detect(jd, alt, ap))


def test_bad_history_is_an_input_error():
    with pytest.raises(dv.InputError):
        dv.mean_history([])


@pytest.fixture(scope="module")
def table(drag_rows):
    return drag_rows     # tests/analysis/conftest.py, shared with test_drag_attitude.py


def test_gauss_integral_matches_the_numerical_propagation():
    # Same interval, same ballistic data: rossim's propagator (J2 + NRLMSISE-00) from the SGP4
    # state against the along-track Gauss integral; within 10 % (the propagation's own
    # altitude drifts from the TLEs' over two weeks)
    from rossim.analysis.decay_check import decay_check

    tles = dv._read(TLE_2023)
    res = dv.validate_history(tles, start="2023-03-15", end="2023-03-31",
                              models=("nrlmsise00",))
    iv = res.intervals[0]
    b = 2.5 * 1606.8 / 458943.0
    sub = [t for t in tles if iv.start_jd - 1e-6 <= t.satrec.jdsatepoch + t.satrec.jdsatepochF
           <= iv.end_jd + 1e-6]
    prop = decay_check(sub, cd=2.5, area_m2=1606.8, mass_kg=458943.0, jump_km=50.0)
    assert len(prop) == 1
    assert abs(iv.per_b_km["nrlmsise00"] * b / prop[0].predicted_km - 1.0) < 0.10


@pytest.mark.parametrize("k", range(len(dv.PERIODS)))
def test_every_period_has_intervals_and_all_models(table, k):
    res, fits = table[k]
    assert len(res.intervals) >= 4
    assert dv.table_models() == dv.MODELS + ("jb2008",)    # pyatmos is in the test extra
    for iv in res.intervals:
        assert set(iv.per_b_km) == set(dv.table_models())
        assert iv.observed_km > 0
    # MSIS 2.x is less dense than NRLMSISE-00 at ISS altitude on every period
    assert res.bias("msis2.1") < res.bias("nrlmsise00")


# Measured with Cd 2.2 and the JSC mass and drag area (2026-11-30); before, with the headers'
# DRAG_COEFF, only 2024-25 met the target (2021 H1 89 %, 2021 H2 27 %, 2021-22 40 %, 2023 40 %).
# Investigated 2026-11-30 (drag_diagnostics, the tests below): no missed manoeuvre, no input
# error; the misses are the low-activity density anomaly and the arrays' attitude. Re-examined
# the same day with JB2008 (EUV-driven, SET's own indices) and a search for 2021's JSC header:
# JB2008 misses 2021 H1 too (+52 %), the bias follows F10.7 across the Nauka docking, and no
# 2021 header exists in stored public material, so the configuration is not the cause found.
_CONFIG_MISSES = {
    0: "2021 H1 (F10.7a 76): MAE 59 % with MSIS 2.1, +59 % (over-predicts) on every interval, "
       "and 52 % (+52 %) with JB2008 (EUV index S10 65 sfu), so not the F10.7 proxy alone; "
       "not missed burns (largest inner step 50 m, a lowering, against 57-117 m of hidden "
       "raise needed), not the space weather, not a 2021 H1 configuration error (the "
       "post-Nauka low-flux interval 2021-09-13 over-predicts alike); the published "
       "low-activity anomaly (emmert-2010, 10-30 %) is not applied: no source gives it for 2021",
    2: "2021-22 winter: MAE 29 % with MSIS 2.1, +22 % (over-predicts); the 2021-12-05 "
       "interval (mean |beta| 59 deg, F10.7 about 80 in its first days) over-predicts 1.76 "
       "times; no missed burn (largest inner step -46 m against 119 m needed); JB2008 meets "
       "the target on this period (23 %, test_jb2008_configuration_of_the_time), and so does "
       "MSIS 2.1 with the beta-dependent area (22 %, test_drag_attitude.py)"}


@pytest.mark.parametrize("k", [
    pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=_CONFIG_MISSES[k]))
    if k in _CONFIG_MISSES else k for k in range(len(dv.PERIODS))])
def test_configuration_of_the_time_within_25_percent(table, k):
    res, _ = table[k]
    assert res.mae("msis2.1") <= 0.25


@pytest.mark.parametrize("k", [
    pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=(
        "2021-22 winter: 32 % out of sample, -32 % (under-predicts): the 42-day fit window holds "
        "the 2021-12-05 interval (mean |beta| 59 deg, F10.7 about 80 at first), so the fitted "
        "Cd A/m is 0.71 of the configured one and the forecast, at F10.7 104-113, falls short")))
    if k == 2 else k for k in range(len(dv.PERIODS))])
def test_fitted_ballistic_coefficient_within_25_percent_out_of_sample(table, k):
    _, fits = table[k]
    f = fits["msis2.1"]
    assert len(f.forecast) >= 2
    assert f.mae <= 0.25


def test_low_activity_over_prediction_after_the_physical_cd(table):
    # 2021 H1 with Cd 2.2 and the like-for-like mass: about 1.6 times with MSIS 2.1 (it was
    # about twice with the JSC-derived Cd 2.5 and the fact-sheet mass), 1.8 with NRLMSISE-00
    res, fits = table[0]
    assert np.all(res.ratios("msis2.1") > 1.0)
    assert 1.45 < np.mean(res.ratios("msis2.1")) < 1.75
    assert 1.6 < np.mean(res.ratios("nrlmsise00")) < 2.0
    # the fitted Cd A / m is about 0.6 of the configured one
    assert 0.5 < fits["msis2.1"].ballistic_m2_kg / res.configurations[0].ballistic_m2_kg < 0.7


def test_configured_cd_is_the_stations_and_jsc_cd_is_kept():
    from rossim.config.scenario import Operations

    station_cd = Operations.model_fields["cd"].default
    confs = dv.iss_configurations()
    assert all(c.cd == station_cd == 2.2 for c in confs)
    jsc = drag_explain.cd_jsc_by_name()
    # the three NASA/JSC headers: DRAG_COEFF 2.5 (2022-01), 3.25 (2023-02), 2.00 (2024-11)
    assert jsc == {"prichal-2022": 2.5, "2023": 3.25, "2024": 2.0}
    assert {c.flag for c in confs if c.name in jsc} == {"reported"}


def test_jsc_drag_coeff_imports_a_bias_that_cd_2_2_does_not(table):
    # 2023 Jan-Apr: with the 2023-02 header's DRAG_COEFF 3.25 the prediction is 40 % too
    # high on average; with Cd 2.2 and the same mass and area it is within 10 %
    res, _ = table[3]
    jsc = drag_explain.jsc_ratios(res, "msis2.1")
    assert np.mean(np.abs(jsc - 1.0)) > 0.30
    assert res.mae("msis2.1") < 0.10


def test_observed_decay_is_not_a_mean_against_osculating_artefact():
    # the classic factor error: comparing SGP4 mean elements with an osculating propagation.
    # The loss of the element sets' mean semi-major axis between the first and last five of
    # each 2021 H1 interval equals that of the osculating one averaged over a revolution
    # (SGP4 every 10 s) within 5 %; the predicted loss (Gauss) is a secular rate of either.
    tles = dv._read(TLE_2021)
    jd, _, tles = dv.mean_history(tles)
    res = dv.validate_history(tles, start="2021-01-01", end="2021-07-20", models=("msis2.1",))
    assert len(res.intervals) == 5
    for iv in res.intervals:
        mean_km, osc_km = drag_explain.osculating_loss_km(tles, jd, iv.i0, iv.i1)
        assert mean_km > 0.1
        assert abs(osc_km / mean_km - 1.0) < 0.05


def test_the_table_chooses_msis_and_docs_are_current(table):
    best, score = dv.best_model(table)
    assert best == "msis2.1"
    assert score["nrlmsise00"] > score["msis2.1"] + 0.05
    page = (Path(__file__).resolve().parents[2] / "docs" / "drag.md").read_text()
    assert page == dv.drag_page(table), "docs/drag.md is stale: rossim decay --table -o docs/drag.md"


def test_a_burn_below_the_detection_threshold_is_seen_by_the_inner_step_scan():
    # 2021 H1, the 2021-04-04 interval: a 0.1 km raise (below the detector's 0.15 km floor)
    # added on 2021-04-25 is found by drag_diagnostics.inner_step_km within 25 m and 1 day
    from rossim.analysis import drag_diagnostics as diag

    jd, alt, tles = dv.mean_history(dv._read(TLE_2021))
    res = dv.validate_history(tles, start="2021-04-01", end="2021-05-22", models=("msis2.1",))
    iv = res.intervals[0]
    t_burn = 2459329.5   # 2021-04-25T00:00
    step, at = diag.inner_step_km(jd, alt + 0.1 * (jd > t_burn), iv)
    assert abs(step - 0.1) < 0.025
    assert abs(at - t_burn) < 1.0


def test_missed_burns_cannot_explain_the_over_predicted_intervals(table):
    # every interval of the missed periods over-predicted beyond 25 % would need a hidden raise
    # at least twice the largest step of either sign found inside it (most are lowerings)
    from rossim.analysis import drag_diagnostics as diag

    checked = 0
    for k in (0, 2):
        res, _ = table[k]
        for iv, c in zip(res.intervals, res.configurations, strict=True):
            need = diag.hidden_raise_needed_km(iv, c.ballistic_m2_kg, "msis2.1")
            if need > 0:
                checked += 1
                assert iv.inner_step_km < 0.5 * need, (iv.start, iv.inner_step_km, need)
    assert checked == 6


def test_the_low_activity_bias_follows_f107_not_the_period(table):
    # intervals at mean daily F10.7 below 85 sfu, in two periods and two configurations
    # (pre-Nauka and Nauka):
    # +47 to +69 % with MSIS 2.1; above 85 sfu +3 % on average
    from rossim.analysis.drag_diagnostics import LOW_F107_SFU

    low, high = [], []
    for res, _ in table:
        for iv, r in zip(res.intervals, res.ratios("msis2.1"), strict=True):
            (low if iv.f107_mean < LOW_F107_SFU else high).append((res.name, r))
    assert len({n for n, _ in low}) == 2 and len(low) == 6
    assert min(r for _, r in low) > 1.4
    assert abs(np.mean([r for _, r in high]) - 1.0) < 0.10
    # the 2021-22 winter's worst interval flew at high beta
    res, _ = table[2]
    worst = res.intervals[int(np.argmax(res.ratios("msis2.1")))]
    assert worst.start == "2021-12-05" and worst.beta_abs_deg > 50.0


# JB2008 (rossim.environment.jb2008; SET's indices shipped for 2020-01 to 2026-01, every
# period). Measured 2026-11-30: 2021 H1 52 % (+52 %), 2021 H2 21 % (-2 %), 2021-22 winter
# 23 % (+15 %), 2023 16 % (-16 %), 2024-25 17 % (+1 %); fitted out of sample 9 %, 10 %, 29 %,
# 15 %, 65 %.
_JB2008_CONFIG_MISS = ("2021 H1 (F10.7a 76): MAE 52 % with JB2008, +52 % (over-predicts) on "
                       "every interval, as MSIS 2.1 (+59 %): the low-activity bias is shared by "
                       "the EUV-driven model; see _CONFIG_MISSES[0]")


@pytest.mark.parametrize("k", [
    pytest.param(0, marks=pytest.mark.xfail(strict=True, reason=_JB2008_CONFIG_MISS)), 1, 2, 3,
    4])
def test_jb2008_configuration_of_the_time(table, k):
    res, _ = table[k]
    assert np.all(np.isfinite(res.ratios("jb2008")))
    assert res.mae("jb2008") <= 0.25


@pytest.mark.parametrize("k", [
    0, 1, 3, pytest.param(2, marks=pytest.mark.xfail(strict=True, reason=(
        "2021-22 winter: 29 % out of sample with JB2008 (MSIS 2.1 32 %): the 42-day fit window "
        "holds the 2021-12-05 interval (mean |beta| 59 deg), as for MSIS"))),
    pytest.param(4, marks=pytest.mark.xfail(strict=True, reason=(
        "2024-25 winter: 65 % out of sample with JB2008 (MSIS 2.1 16 %): the 42-day fit window "
        "holds one interval, 2024-09-15 to 10-04, which JB2008 under-predicts 0.65 times "
        "(MSIS 2.1 0.93; a storm on 2024-09-17, daily Ap 71, inside it), so the fitted Cd A/m is 10.9e-3 against "
        "7.1e-3 reported and every later interval is over-predicted")))])
def test_jb2008_fitted_ballistic_coefficient_within_25_percent_out_of_sample(table, k):
    f = table[k][1]["jb2008"]
    assert len(f.forecast) >= 2
    assert f.mae <= 0.25


def test_jb2008_covers_every_period_but_a_run_cannot_fly_it(table):
    # SET's indices 2020-01-01 to 2026-01-29 (Orekit data distribution): every period computed;
    # the default stays a model a run's solar-cycle forecast can drive (F10.7 and Ap)
    res, fits = table[4]
    assert np.all(np.isfinite(res.ratios("jb2008")))
    assert np.isfinite(fits["jb2008"].ballistic_m2_kg)
    assert "n/a (no indices)" not in dv.format_drag_table(table)
    best, score = dv.best_model(table)
    assert best == "msis2.1" and "jb2008" not in dv.RUN_MODELS
    # measured 2026-11-30: JB2008 26 % mean over the five periods, MSIS 2.1 26 %
    assert abs(score["jb2008"] - score["msis2.1"]) < 0.05


def test_low_activity_bias_is_shared_by_jb2008_and_follows_the_flux_not_the_configuration(
        table):
    res, _ = table[0]
    # 2021 H1: JB2008 over-predicts on every interval, by 1.4-1.65 times (MSIS 2.1 1.47-1.69)
    assert np.all(res.ratios("jb2008") > 1.35)
    assert 1.4 < np.mean(res.ratios("jb2008")) < 1.65
    # one configuration (after Nauka): the interval below 85 sfu over-predicts like 2021 H1
    # with both models; its three neighbours at 88-92 sfu do not
    res, _ = table[1]
    assert {c.name for c in res.configurations} == {"nauka"}
    low = [j for j, iv in enumerate(res.intervals) if iv.f107_mean < 85.0]
    high = [j for j, iv in enumerate(res.intervals) if iv.f107_mean >= 85.0]
    assert len(low) == 1 and res.intervals[low[0]].start == "2021-09-13"
    for m in ("msis2.1", "jb2008"):
        r = res.ratios(m)
        assert r[low[0]] > 1.3
        assert np.all(r[high] < 1.0)


def test_the_integrals_path_altitude_agrees_with_nasas_ephemeris():
    # a systematic altitude error would bias density most at low activity (short scale
    # height): the path the integral uses (nearest TLE, SGP4, GMST) against NASA/JSC's own
    # ephemeris of 2022-01-17 (tests/data/iss/iss-oem-2022-01-17-hourly.txt, 25 hourly states):
    # mean difference 7 m, at most 0.32 km (measured 2026-11-30)
    from rossim.analysis.drag_jb2008 import path_altitude_vs_oem

    alt_path, alt_oem = path_altitude_vs_oem(dv._read(TLE_2021),
                                             DATA / "iss-oem-2022-01-17-hourly.txt")
    assert alt_oem.size == 25
    assert 400e3 < alt_oem.mean() < 430e3
    d = alt_path - alt_oem
    assert abs(d.mean()) < 50.0
    assert np.max(np.abs(d)) < 1000.0
