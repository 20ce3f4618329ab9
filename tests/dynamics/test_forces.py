"""Force-model pieces: gravity file, harmonics kernel, shadow, drag density, tables.

External references: the gravity-file header values quoted by the Orekit oracle (fixture
headers), Orekit's eclipse events (tests/data/orekit/eclipse.json), rossim.environment
(MSIS through its own wrapper, DE421 ephemeris)."""

import json
from pathlib import Path

import numpy as np
import pytest
from astropy.time import Time, TimeDelta

from rossim.dynamics.forces import (
    AU_M,
    I_EARTH,
    I_MODE,
    SOLAR_PRESSURE_N_M2,
    ForceModel,
    acceleration,
    lit_fraction,
)
from rossim.dynamics.gravity import (
    harmonic_acceleration,
    load_gravity_field,
    parse_gravity_spec,
)
from rossim.dynamics.propagator import THIRD_BODY_STEP_S, _lagrange_np, _Model
from rossim.environment.spaceweather import ConstantWeather
from rossim.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "orekit"
EPOCH = Time("2022-01-17T12:00:00", scale="utc")


def _fixture(case):
    return json.loads((DATA / f"{case}.json").read_text())


def test_gravity_file_constants_match_oracle_header():
    head = _fixture("j2")["header"]
    f = load_gravity_field(8, 8)
    assert f.mu_m3_s2 == head["gm_m3_s2"]
    assert f.radius_m == head["earth_radius_gravity_m"]
    assert f.j[2] == pytest.approx(head["j2_unnormalised"], rel=1e-12)


def test_gravity_spec():
    assert parse_gravity_spec("point") == (0, 0)
    assert parse_gravity_spec("J2") == (2, 0)
    assert parse_gravity_spec("j6") == (6, 0)
    assert parse_gravity_spec("8x8") == (8, 8)
    assert parse_gravity_spec("20x0") == (20, 0)
    for bad in ("j7", "8x9", "abc", "71x71"):
        with pytest.raises(InputError):
            parse_gravity_spec(bad)


def test_third_body_as_one_string():
    """``ForceModel(third_body="sun")`` was read letter by letter ("s": not sun or moon)."""
    assert ForceModel(third_body="sun").third_body == ("sun",)
    assert ForceModel(third_body="Sun, moon").third_body == ("sun", "moon")
    assert ForceModel(third_body=("sun", "moon")).third_body == ("sun", "moon")
    with pytest.raises(InputError) as info:
        ForceModel(third_body="mars")
    assert info.value.value == "mars"


def test_harmonics_degree0_is_point_mass_and_zonal_symmetry():
    f = load_gravity_field(8, 8)
    vw = np.zeros((2, 11, 11))
    r = np.array([4000e3, -3000e3, 4500e3])
    a0 = harmonic_acceleration(r, f.mu_m3_s2, f.radius_m, f.c, f.s, 0, 0, vw, np.empty(3))
    assert np.allclose(a0, -f.mu_m3_s2 * r / np.linalg.norm(r) ** 3, rtol=1e-14)
    # Zonal field: rotating the position about z rotates the acceleration with it.
    ang = 0.7
    rz = np.array([[np.cos(ang), -np.sin(ang), 0], [np.sin(ang), np.cos(ang), 0], [0, 0, 1]])
    a1 = harmonic_acceleration(r, f.mu_m3_s2, f.radius_m, f.c, f.s, 6, 0, vw, np.empty(3))
    a2 = harmonic_acceleration(rz @ r, f.mu_m3_s2, f.radius_m, f.c, f.s, 6, 0, vw, np.empty(3))
    assert np.allclose(rz @ a1, a2, rtol=1e-13)


def test_harmonics_is_gradient_of_potential():
    """The acceleration equals the numerical gradient of the 8x8 potential (written here
    independently with scipy's associated Legendre functions)."""
    from scipy.special import lpmv

    f = load_gravity_field(8, 8)

    def potential(r):
        rr = np.linalg.norm(r)
        lat = np.arcsin(r[2] / rr)
        lon = np.arctan2(r[1], r[0])
        u = 0.0
        for n in range(2, 9):  # the point-mass term is subtracted below (round-off)
            for m in range(n + 1):
                # scipy's lpmv includes the Condon-Shortley phase; geodesy's P_nm does not.
                p = lpmv(m, n, np.sin(lat)) * (-1) ** m
                u += (f.radius_m / rr) ** n * p * (f.c[n, m] * np.cos(m * lon)
                                                   + f.s[n, m] * np.sin(m * lon))
        return f.mu_m3_s2 / rr * u

    r = np.array([5100e3, 2200e3, 4300e3])
    h = 10.0
    grad = np.array([(potential(r + h * e) - potential(r - h * e)) / (2 * h) for e in np.eye(3)])
    vw = np.zeros((2, 11, 11))
    a = harmonic_acceleration(r, f.mu_m3_s2, f.radius_m, f.c, f.s, 8, 8, vw, np.empty(3))
    a_central = -f.mu_m3_s2 * r / np.linalg.norm(r) ** 3
    assert np.allclose(a - a_central, grad, rtol=0, atol=1e-10)


def test_closed_form_j2_equals_harmonic_path():
    m_j2 = _Model(ForceModel(gravity="j2"), EPOCH, 86400.0)
    m_gen = _Model(ForceModel(gravity="2x0"), EPOCH, 86400.0)
    f, ii, w = m_gen.params()
    ii = ii.copy()
    ii[I_MODE] = 2  # force the general harmonics kernel for degree 2 order 0
    ii[I_EARTH] = 1  # ... with the full GCRF->ITRF matrix
    y = np.array([545284.0, 4217457.0, 5288810.0, -7636.4, 168.8, 656.3])
    for x in (0.0, 3000.0, 60000.0):
        a1 = acceleration(x, y, m_j2.params())
        a2 = acceleration(x, y, (f, ii, w))
        assert np.allclose(a1, a2, rtol=0, atol=1e-12)


def test_shadow_fraction_at_orekit_eclipse_events():
    """At Orekit's umbra events the visible fraction is 0, at penumbra events 1 (to the
    1e-6 s timing of the detector: < 2e-3 of the disc)."""
    fx = _fixture("eclipse")
    radius = fx["header"]["occulting_body"]["radius_m"]
    sun_radius = fx["header"]["sun_radius_m"]
    for e in fx["events"]:
        nu = lit_fraction(np.array(e["r_sat_gcrf_m"]), np.array(e["r_sun_gcrf_m"]), sun_radius,
                          radius)
        expected = 0.0 if e["shadow"] == "umbra" else 1.0
        assert abs(nu - expected) < 2e-3, (e, nu)


def test_srp_magnitude_in_sunlight():
    fm = ForceModel(gravity="point", srp=True, cr=1.5, area_m2=10.0, mass_kg=1000.0)
    model = _Model(fm, EPOCH, 3600.0)
    params = model.params()
    y = np.array([7000e3, 0.0, 0.0, 0.0, 7500.0, 0.0])
    sun = _lagrange_np(model.tb_t0, THIRD_BODY_STEP_S, model.sun_table, np.array([0.0]))[0]
    y[:3] = 7000e3 * sun / np.linalg.norm(sun)  # sub-solar side: full Sun
    a_srp = acceleration(0.0, y, params) + model.mu * y[:3] / np.linalg.norm(y[:3]) ** 3
    d = np.linalg.norm(sun - y[:3])
    expected = SOLAR_PRESSURE_N_M2 * 1.5 * 10.0 / 1000.0 * (AU_M / d) ** 2
    assert np.linalg.norm(a_srp) == pytest.approx(expected, rel=1e-9)
    assert np.dot(a_srp, sun) < 0  # pushed away from the Sun
    y[:3] = -y[:3]  # behind the Earth: umbra, no pressure
    a_dark = acceleration(0.0, y, params) + model.mu * y[:3] / np.linalg.norm(y[:3]) ** 3
    assert np.linalg.norm(a_dark) < 1e-12  # round-off of the subtraction; SRP is ~7e-8


def test_third_body_tables_match_ephemeris():
    from rossim.environment.ephemeris import sun_moon_gcrf

    model = _Model(ForceModel(gravity="point", third_body=("sun", "moon")), EPOCH, 2 * 86400.0)
    x = np.linspace(0.0, 2 * 86400.0, 97) + 123.4
    sun, moon = sun_moon_gcrf(EPOCH.tt + TimeDelta(x, format="sec"))
    tb = model._fixed["tb"]
    s_tab = _lagrange_np(tb[0], tb[1], tb[2], x)
    m_tab = _lagrange_np(tb[0], tb[1], tb[3], x)
    assert np.abs(s_tab - sun).max() < 1.0  # m, of 1.5e11
    assert np.abs(m_tab - moon).max() < 0.1  # m, of 3.8e8


def test_density_fast_path_equals_environment_wrapper():
    """The propagator calls pymsis directly; with MSIS's own (mean) local time it must give
    exactly what rossim.environment.atmosphere.density gives."""
    from rossim.environment.atmosphere import density
    from rossim.frames.earth import gcrf_to_itrf
    from rossim.frames.geodetic import itrf_to_geodetic

    w = ConstantWeather(140.0, 150.0, 12.0)
    for model_name in ("nrlmsise00", "msis2.1"):
        fm = ForceModel(gravity="point", drag=model_name, weather=w, solar_time="mean")
        model = _Model(fm, EPOCH, 7200.0)
        x = np.linspace(0.0, 7200.0, 13)
        ang = x / 5500.0 * 2 * np.pi
        r = 6790e3 * np.stack([np.cos(ang), 0.6 * np.sin(ang), 0.8 * np.sin(ang)], axis=1)
        mine = np.exp(model.log_density(x, r))
        t = EPOCH.tt + TimeDelta(x, format="sec")
        lat, lon, alt = itrf_to_geodetic(gcrf_to_itrf(r, None, t)[0])
        ref = density(t, lat, lon, alt, model=model_name, weather=w)
        assert np.allclose(mine, ref, rtol=1e-9)
