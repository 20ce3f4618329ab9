"""The ISS's drag area from its Sun-tracking arrays (rossim.analysis.drag_attitude), and the
drag table's beta-area columns.

References: Night Glider's "about 30 % less array drag" (wikipedia-night-glider); the array
areas of Boeing (boeing-iss-arrays: 27,000 sq ft for the eight wings) and NASA (nasa-irosa:
iROSA about 63 ft x 20 ft, installation dates); the NASA/JSC ephemeris headers' DRAG_AREA and
useable spans (nasa-iss-oem-2022, -2023, -2023b, -2024; docs/sources.md). The element-set
histories under tests/data/iss (README there) give the anchors' mean array projection.
Measured 2026-11-30 with MSIS 2.1 (docs/drag.md), one area -> beta-dependent area: 2021 H1
59 % -> 50 %, 2021 H2 25 % -> 22 %, 2021-22 winter 29 % -> 22 %, 2023 6 % -> 9 %, 2024-25
12 % -> 30 %; out of sample with a scale on the beta-dependent area 14 %, 14 %, 29 %, 13 %, 5 %
(with a fitted Cd A/m 7 %, 15 %, 32 %, 4 %, 16 %). Misses are strict xfails with their figure.
"""

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from rossim.analysis import drag_attitude as da
from rossim.analysis import drag_fit
from rossim.analysis import drag_validation as dv
from rossim.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "iss"
R_ISS_M = 6378137.0 + 420e3


def test_night_glider_takes_about_30_percent_off_the_array_drag():
    # wikipedia-night-glider: "about 30 % less array drag"; the closed form at beta 0, 420 km
    ng = da.orbit_mean_projection(0.0, R_ISS_M)
    full = da.orbit_mean_projection(0.0, R_ISS_M, night_glider=False)
    assert 0.25 < 1.0 - ng / full < 0.40
    # no eclipse above beta* = asin(R / r) (70.3 deg at 420 km): Night Glider changes nothing
    assert da.orbit_mean_projection(75.0, R_ISS_M) == pytest.approx(
        da.orbit_mean_projection(75.0, R_ISS_M, night_glider=False))


@pytest.mark.parametrize("beta_deg", [0.0, 30.0, 60.0, 75.0])
def test_instantaneous_projection_averages_to_the_closed_form(beta_deg):
    # a circular orbit at the given beta around the Sun direction of 2023-03-01: the mean of
    # array_projection (Sun ephemeris, cylindrical shadow) over a revolution equals
    # cos(beta) (1 + cos eps) / pi within 1 %
    from astropy.time import Time

    from rossim.environment.ephemeris import sun_position_gcrf

    jd0 = Time("2023-03-01T00:00:00", scale="utc").jd
    s = sun_position_gcrf(Time(jd0, format="jd", scale="utc")).reshape(3)
    s = s / np.linalg.norm(s)
    p = np.cross(s, [0.0, 0.0, 1.0])
    p /= np.linalg.norm(p)
    b = np.radians(beta_deg)
    h = np.sin(b) * s + np.cos(b) * p
    e1 = s - np.dot(s, h) * h
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(h, e1)
    th = np.linspace(0.0, 2.0 * np.pi, 7200, endpoint=False)
    r = R_ISS_M * (np.cos(th)[:, None] * e1 + np.sin(th)[:, None] * e2)
    v = 7660.0 * (-np.sin(th)[:, None] * e1 + np.cos(th)[:, None] * e2)
    g = da.array_projection(np.full(th.size, jd0), r, v)
    assert np.all((g >= 0.0) & (g <= 1.0))
    assert np.mean(g) == pytest.approx(float(da.orbit_mean_projection(beta_deg, R_ISS_M)),
                                       rel=0.01)


def test_array_areas_follow_the_published_figures():
    # boeing-iss-arrays 27,000 sq ft; nasa-irosa 63 ft x 20 ft each, 2 from 2021-06, 4 from
    # 2022-12, 6 from 2023-06
    sqft = 0.09290304
    assert da.array_area_m2("2021-01-01") == pytest.approx(27000 * sqft, rel=0.01)
    irosa = da.array_area_m2("2021-07-01") - da.array_area_m2("2021-01-01")
    assert irosa == pytest.approx(2 * 63 * 20 * sqft, rel=0.05)
    assert da.array_area_m2("2023-02-15") == da.array_area_m2("2021-07-01") + irosa
    assert da.array_area_m2("2024-11-27") == da.array_area_m2("2021-07-01") + 2 * irosa


@pytest.mark.parametrize("h", da.headers(), ids=lambda h: h.header)
def test_anchor_projections_are_the_ones_the_element_sets_give(h):
    # arrays.toml keeps the computed projections; recomputed from the histories (every 120 s)
    from astropy.time import Time

    tles = dv._read(DATA / h.history)
    assert drag_fit.anchor_projection(tles, h.start, h.end) == pytest.approx(
        h.mean_projection, abs=0.002)
    day1 = Time(Time(h.start, scale="utc").jd + 1.0, format="jd", scale="utc").isot[:10]
    assert drag_fit.anchor_projection(tles, h.start, day1) == pytest.approx(
        h.epoch_day_projection, abs=0.002)


def test_the_area_at_the_headers_span_is_the_headers_drag_area():
    confs = {c.name: c for c in dv.iss_configurations()}
    anchors = da.anchors()
    assert set(anchors) == set(confs)
    for name, a in anchors.items():
        c = confs[name]
        body = da.body_area_m2(c)
        # plausible: positive, below half the header's area (the arrays are most of it)
        assert 0.0 < body < 0.5 * a.drag_area_m2 + 200.0
        assert da.effective_area_m2(c, a.start, a.mean_projection) == pytest.approx(
            c.drag_area_m2, rel=1e-12)


def test_a_configuration_name_with_a_comma_keeps_its_anchor(monkeypatch):
    """anchors() read each header's configurations back by splitting the comma-joined label
    of headers(): a name holding a comma ("pre-nauka, arrays stowed") came back as two
    configurations, neither of them known. It reads arrays.toml's own lists now."""
    import copy

    fig = copy.deepcopy(da.figures())
    fig["anchor"][0]["configurations"] = ["pre-nauka, arrays stowed", "nauka"]
    monkeypatch.setattr(da, "figures", lambda: fig)
    anchors = da.anchors()
    assert {"pre-nauka, arrays stowed", "nauka"} <= set(anchors)
    assert "pre-nauka" not in anchors and " arrays stowed" not in anchors
    assert anchors["pre-nauka, arrays stowed"].header == fig["anchor"][0]["header"]


def test_arrays_toml_sources_name_keys_of_the_bibliography():
    keys = set(re.findall(r"^\| `([^`]+)` \|", (ROOT / "docs" / "sources.md").read_text(),
                          re.M))
    fig = da.figures()
    texts = [v["source"] for v in fig["arrays"].values()]
    texts += [a[k]["source"] for a in fig["anchor"] for k in ("mean_projection",
                                                              "epoch_day_projection")]
    texts += [a["span_source"] for a in fig["anchor"]] + [a["header"] for a in fig["anchor"]]
    for t in texts:
        for k in re.split(r"\s*\+\s*", t.split(":")[0]):
            assert k.strip() in keys, (k, t)


@pytest.mark.slow
def test_bad_anchor_or_area_is_an_input_error(drag_rows):
    with pytest.raises(InputError):
        da.anchor_of("skylab")
    res, _ = drag_rows[0]
    with pytest.raises(InputError):
        res.ratios("msis2.1", "tilted")
    c = replace(res.configurations[0], drag_area_m2=100.0)   # less than the arrays' share
    with pytest.raises(InputError):
        da.body_area_m2(c)


# ----------------------------------------------------------------------------- the table

_BETA_MISSES = {
    0: "2021 H1: 50 % (+50 %) with the beta-dependent area (59 % with one area): moderate beta "
       "(20-37 deg), the drop is the iROSAs not yet installed; the low-activity bias stays",
    4: "2024-25 winter: 30 % (+30 %) with the beta-dependent area (12 % with one area): the "
       "2024-11-27 header's span flew at high beta (mean projection 0.26), so its DRAG_AREA "
       "anchors a body area of 698 m^2 and every lower-beta interval gets more area"}


@pytest.mark.parametrize("k", [
    pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=_BETA_MISSES[k]))
    if k in _BETA_MISSES else k for k in range(len(dv.PERIODS))])
def test_beta_area_within_25_percent(drag_rows, k):
    res, _ = drag_rows[k]
    assert res.mae("msis2.1", "beta") <= 0.25


@pytest.mark.parametrize("k", [
    pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=(
        "2021-22 winter: 29 % out of sample with a scale on the beta-dependent area (32 % "
        "with a fitted Cd A/m): the 2021-12-05 interval in the window still over-predicts "
        "1.30 times at low flux in its first days")))
    if k == 2 else k for k in range(len(dv.PERIODS))])
def test_beta_area_scale_within_25_percent_out_of_sample(drag_rows, k):
    f = drag_rows[k][1][dv.BETA_FIT]
    assert f.area == "beta" and len(f.forecast) >= 2
    assert f.mae <= 0.25


def test_beta_area_takes_out_the_trend_with_beta(drag_rows):
    # intervals at F10.7 >= 85 sfu: one area +0.07 per 10 deg of |beta|; beta-dependent -0.02
    from rossim.analysis.drag_diagnostics import LOW_F107_SFU

    ivs = [(iv.beta_abs_deg, r1, rb) for res, _ in drag_rows
           for iv, r1, rb in zip(res.intervals, res.ratios("msis2.1"),
                                 res.ratios("msis2.1", "beta"), strict=True)
           if iv.f107_mean >= LOW_F107_SFU]
    beta = np.array([b for b, _, _ in ivs])
    assert np.polyfit(beta, [r for _, r, _ in ivs], 1)[0] * 10 > 0.05
    assert abs(np.polyfit(beta, [r for _, _, r in ivs], 1)[0] * 10) < 0.03
    # the 2021-12-05 interval (|beta| 59 deg): 1.76 -> 1.30
    res, _ = drag_rows[2]
    j = [iv.start for iv in res.intervals].index("2021-12-05")
    assert res.ratios("msis2.1")[j] > 1.7 and res.ratios("msis2.1", "beta")[j] < 1.4


def test_2021_h1_is_not_explained_by_beta(drag_rows):
    from rossim.analysis.drag_diagnostics import held_arrays_ratios

    res, _ = drag_rows[0]
    assert max(iv.beta_abs_deg for iv in res.intervals) < 40.0
    held = held_arrays_ratios(res, "msis2.1")
    # the beta geometry alone (arrays of the 2022 header): 60 % against 59 % with one area
    assert abs(np.mean(np.abs(held - 1.0)) - res.mae("msis2.1")) < 0.03
    # the beta-area column's 50 %: the two iROSAs not yet installed
    assert res.mae("msis2.1") - res.mae("msis2.1", "beta") > 0.05


def test_the_jsc_headers_imply_inconsistent_body_areas():
    # no module added 2022-2024, yet the headers' DRAG_AREA less the arrays' share spans
    # 370-871 m^2; 2023-02-15 -> 2023-02-27: DRAG_AREA +31 %, mean projection -4 %
    body = {h.header: h.implied_body_m2 for h in da.headers()}
    assert max(body.values()) - min(body.values()) > 400.0
    h = {x.header: x for x in da.headers()}
    a, b = h["nasa-iss-oem-2023"], h["nasa-iss-oem-2023b"]
    assert b.drag_area_m2 / a.drag_area_m2 > 1.25
    assert abs(b.mean_projection / a.mean_projection - 1.0) < 0.10
