"""Launch windows and phasing against closed-form references.

Reference for the windows (independent of rossim's search and frames code): the in-plane
condition for a site at geocentric latitude psi and east longitude lam under a plane of
inclination i and node Omega is sin(theta - Omega) = tan(psi) / tan(i) with theta = ERA + lam
(Vallado, *Fundamentals of Astrodynamics*, 4th ed., sec. 6.8 "launch windows"; when
tan(psi) > tan(i) the site is closest to the plane at theta - Omega = 90 deg). ERA is the IERS
Conventions 2010 eq. 5.15 expression (UTC used for UT1 on both sides), the node drifts at the
first-order J2 rate -1.5 n J2 (R/a)^2 cos i (Vallado eq. 9-41). Tolerance: one minute.
"""

import datetime as dt
import math

import numpy as np
import pytest

from rossim.analysis.launch import PlaneModel, launch_windows, phasing, plane_drift
from rossim.config.catalog import load_catalog
from rossim.errors import InputError
from rossim.validation.launch import closed_form_windows

MU, RE, J2 = 3.986004418e14, 6378137.0, 1.08262668e-3
START = dt.datetime(2028, 3, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def sites():
    return load_catalog().sites


@pytest.mark.parametrize(("site", "inc", "alt"), [
    ("baikonur-31", 51.6, 400.0),    # two crossings a day
    ("vostochny-1a", 97.0, 400.0),   # two a day, retrograde
    ("vostochny-1a", 51.6, 400.0),   # site just above the plane: one closest approach a day
    ("plesetsk-35", 97.0, 450.0),
])
def test_windows_match_closed_form_within_one_minute(sites, site, inc, alt):
    st = sites[site]
    plane = PlaneModel(alt, inc, 30.0, START)
    # geometry only: every in-plane time, the site's azimuth corridor not applied
    wins = launch_windows(plane, st, START, 3.0, azimuth_limits=False)
    ref = closed_form_windows(st.lat_deg.value, st.lon_deg.value, alt, inc, 30.0, 3.0,
                              START)
    got = np.array([(w["time"] - START).total_seconds() for w in wins])
    # Windows inside the first or last search step may be missed by the search grid.
    ref = ref[(ref > 600) & (ref < 3 * 86400 - 600)]
    got = got[(got > 600) & (got < 3 * 86400 - 600)]
    assert got.size == ref.size
    assert np.max(np.abs(got - ref)) < 60.0


def test_phasing_rate_and_schemes():
    # Catch-up rate between circular orbits at 200 and 400 km: Kepler mean motions
    # (Vallado eq. 2-52): about 11 deg/h; J2 changes it by < 1 %.
    n = lambda h: math.degrees(math.sqrt(MU / (RE + h * 1e3) ** 3)) * 3600  # noqa: E731
    p = phasing(30.0, 400.0, 200.0, 51.6)
    assert p["catch_up_rate_deg_h"] == pytest.approx(n(200) - n(400), rel=0.01)
    assert p["scheme"] == "4-orbit"
    assert phasing(10.0, 400.0, 200.0, 51.6)["scheme"] == "2-orbit"
    assert phasing(300.0, 400.0, 200.0, 51.6)["scheme"] == "2-day"


def test_plane_drift_synodic_period():
    # Node rates by the first-order J2 formula (Vallado eq. 9-41) at 400 and 450 km, 51.6 deg.
    def rate(h):
        a = RE + h * 1e3
        return math.degrees(-1.5 * math.sqrt(MU / a ** 3) * J2 * (RE / a) ** 2
                            * math.cos(math.radians(51.6))) * 86400

    other = {"name": "x", "altitude_km": 450.0, "inclination_deg": 51.6, "flag": "estimate",
             "source": "test"}
    d = plane_drift(400.0, 51.6, other, start=START, raan_offset_deg=-10.0, years=20)
    expected = 360 / abs(rate(450) - rate(400)) / 365.25
    assert d["synodic_period_years"] == pytest.approx(expected, rel=0.01)
    first = d["alignments"][0]
    assert (first - START.date()).days == pytest.approx(10 / abs(rate(450) - rate(400)), abs=1)


def test_bad_input(sites):
    plane = PlaneModel(400, 51.6, 0.0, START)
    for days in (0, -1, float("nan")):
        with pytest.raises(InputError):
            launch_windows(plane, sites["vostochny-1a"], START, days)
    with pytest.raises(InputError):
        phasing(10.0, 400.0, 450.0, 51.6)


@pytest.mark.parametrize("name", ["ros-51.6", "ros-97", "ros-iss-start"])
def test_every_module_launch_fits_the_scenario_orbit(name):
    from rossim.analysis.launch import module_launch_check
    from rossim.config.scenario import load_scenario

    rows = module_launch_check(load_scenario(name))
    assert rows and all(r["fits"] and r["margin_kg"] >= 0 for r in rows)
    assert all(r["widest_module_m"] <= r["fairing_diameter_m"] for r in rows)
