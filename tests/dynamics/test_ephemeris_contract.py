"""One Ephemeris contract (rossim.dynamics.ephemeris): every trajectory against the others and
against external references.

References:
- tests/data/orekit/twobody.json: Orekit 13.1.9 point-mass propagation of the NASA ISS state,
  GCRF every 600 s for a day (header in the file; tests/data/orekit/README.md).
- tests/data/orekit/sgp4.json: Orekit 13.1.9 TLEPropagator states of 4 ISS TLEs, GCRF.
  Tolerance 1.5 m, the same as tests/dynamics/test_tle.py (Orekit's and ERFA's TEME->GCRF).
- Vallado's SGP4 verification case 00005 (tests/data/sgp4/SGP4-VER.TLE and tcppver.out, Vallado's
  C++ SGP4 output in TEME, km): through rossim's TEME->GCRF it is what SGP4Ephemeris gives, to
  the 0.2 mm of python-sgp4's own test of these files.
- The circular two-body orbit: Kepler's solution (r = a, u = u0 + n t), exact; against rossim's
  numerical point-mass propagation (itself within 1 m of Orekit: test_propagator.py).
- CircularOrbit's J2 plane against a numerical J2 propagation: the first-order secular node
  rate (Vallado eq. 9-41) and the plane's short-period wobble (J2 (R/a)^2 ~ 1e-3 rad at most).
- OEM round trip: a numerical J2 trajectory written as a CCSDS OEM (60 s) and read back,
  interpolated as its header says, against the integrator's dense output.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from astropy.time import Time, TimeDelta

from rossim.constants import GM_EARTH_M3_S2, R_EQ_M
from rossim.dynamics.circular import CircularOrbit
from rossim.dynamics.ephemeris import (
    Ephemeris,
    MeanElementEphemeris,
    OEMEphemeris,
    OutsideSpanError,
    SGP4Ephemeris,
    circular_state_gcrf,
)
from rossim.dynamics.forces import ForceModel
from rossim.dynamics.propagator import propagate
from rossim.errors import InputError
from rossim.files.oem import oem_from_states, write_oem
from rossim.files.tle import parse_tle
from rossim.time import time_grid

OREKIT = Path(__file__).resolve().parents[1] / "data" / "orekit"


def _fixture(name):
    return json.loads((OREKIT / f"{name}.json").read_text())


def _norm(x):
    return np.linalg.norm(x, axis=1)


def test_every_trajectory_satisfies_the_contract(tmp_path):
    fx = _fixture("twobody")
    ini = fx["header"]["initial_state_gcrf"]
    tr = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], 3600, 60, ForceModel("point"))
    rec = _fixture("sgp4")["tles"][0]
    oem = oem_from_states(tr.epochs, tr.r_gcrf_m, tr.v_gcrf_m_s, object_name="X", object_id="Y")
    t = time_grid("2028-01-01", 7200, 600)
    items = [tr, SGP4Ephemeris(parse_tle(rec["line1"], rec["line2"])), OEMEphemeris(oem),
             CircularOrbit(400, 51.6), MeanElementEphemeris(t, 51.6, np.zeros(len(t)),
                                                           altitude_m=np.full(len(t), 4e5))]
    for eph in items:
        assert isinstance(eph, Ephemeris), type(eph)
        start, end = eph.span
        grid = start + (end - start) * np.linspace(0.0, 1.0, 5)
        r, v = eph.state_gcrf(grid)
        assert r.shape == v.shape == (5, 3)
        # LEO: |r| within 100-2000 km altitude, |v| 6.9-7.9 km/s
        assert np.all((_norm(r) > R_EQ_M + 1e5) & (_norm(r) < R_EQ_M + 2e6)), type(eph)
        assert np.all((_norm(v) > 6.9e3) & (_norm(v) < 7.9e3)), type(eph)
        # Outside the span: a clear error naming the span, or NaN rows as a flag.
        late = end + TimeDelta(3600.0, format="sec")
        with pytest.raises(OutsideSpanError, match="outside the span"):
            eph.state_gcrf(late)
        assert issubclass(OutsideSpanError, InputError)
        r2, _ = eph.state_gcrf(Time([start.utc, late.utc]), outside="nan")
        assert np.all(np.isfinite(r2[0])) and np.all(np.isnan(r2[1]))


def test_numerical_trajectory_interpolated_against_orekit():
    fx = _fixture("twobody")
    ini = fx["header"]["initial_state_gcrf"]
    t = Time(fx["epoch_utc"], scale="utc")
    # 420 s output: most of Orekit's 600 s epochs fall between rossim's states (Hermite).
    tr = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], 86400, 420, ForceModel("point"))
    r, v = tr.state_gcrf(t)
    assert _norm(r - np.array(fx["r_gcrf_m"])).max() < 0.05  # m (measured 2 mm)
    assert _norm(v - np.array(fx["v_gcrf_m_s"])).max() < 1e-4  # m/s
    dense = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], 86400, 420,
                      ForceModel("point"), dense=True)
    assert _norm(dense.state_gcrf(t)[0] - np.array(fx["r_gcrf_m"])).max() < 0.05


def test_circular_two_body_against_numerical_point_mass():
    a, inc = R_EQ_M + 400e3, np.radians(51.6)
    r0, v0 = circular_state_gcrf(a, inc, 0.3, 0.1)
    tb = propagate(r0[0], v0[0], "2028-01-01", 86400, 60, ForceModel("point"), dense=True)
    t = time_grid("2028-01-01", 86400, 60)
    s = (t - t[0]).to_value("s")
    rc, vc = circular_state_gcrf(a, inc, 0.3, 0.1 + np.sqrt(GM_EARTH_M3_S2 / a ** 3) * s)
    rn, vn = tb.state_gcrf(t)
    assert _norm(rc - rn).max() < 0.01  # m over a day (measured 2 mm)
    assert _norm(vc - vn).max() < 1e-5  # m/s


def test_circular_orbit_plane_against_numerical_j2():
    co = CircularOrbit(400, 51.6, epoch="2028-01-01", raan_deg=30, arg_latitude_deg=10)
    t0 = Time("2028-01-01", scale="utc")
    r0, v0 = co.state_gcrf(t0)
    tb = propagate(r0[0], v0[0], t0, 86400, 600, ForceModel("j2"), dense=True)
    t = time_grid(t0, 86400, 60)
    rn, vn = tb.state_gcrf(t)
    h = np.cross(rn, vn)
    h /= _norm(h)[:, None]
    angle = np.degrees(np.arccos(np.clip(np.sum(h * co.normal_gcrf(t), axis=1), -1, 1)))
    assert angle.max() < 0.06  # deg: J2 short-period wobble of the plane (measured 0.04)
    # Secular node drift over the day: orbit-averaged node of the numerical orbit.
    node_n = np.unwrap(np.arctan2(h[:, 0], -h[:, 1]))
    node_c = co.raan_rad_at(t)
    per = int(round(co.period_s / 60.0))
    drift_n = node_n[-per:].mean() - node_n[:per].mean()
    drift_c = node_c[-per:].mean() - node_c[:per].mean()
    assert drift_c == pytest.approx(drift_n, rel=0.005)  # measured 0.2 %


def test_sgp4_ephemeris_against_orekit():
    ref = _fixture("sgp4")
    for rec in ref["tles"]:
        eph = SGP4Ephemeris(parse_tle(rec["line1"], rec["line2"]))
        t = Time([s["epoch_utc"] for s in rec["states"]], scale="utc")
        r, v = eph.state_gcrf(t)
        assert _norm(r - np.array([s["r_gcrf_m"] for s in rec["states"]])).max() < 1.5  # m
        assert _norm(v - np.array([s["v_gcrf_m_s"] for s in rec["states"]])).max() < 2e-3
    # Past the element set's validity (14 days by default): flagged, not silently used.
    with pytest.raises(OutsideSpanError, match="TLE 25544"):
        eph.state_gcrf(eph.tle.epoch + TimeDelta(20 * 86400.0, format="sec"))


def test_sgp4_ephemeris_against_vallado_case_00005():
    from rossim.frames.teme import teme_to_gcrf

    data = Path(__file__).resolve().parents[1] / "data" / "sgp4"
    lines = (data / "SGP4-VER.TLE").read_text(encoding="ascii").replace("\r", "").splitlines()
    k = next(i for i, ln in enumerate(lines) if ln.startswith("1 00005"))
    tle = parse_tle(lines[k][:69], lines[k + 1][:69], checksum=False)
    out = (data / "tcppver.out").read_text(encoding="ascii").replace("\r", "").splitlines()
    rows = []
    for ln in out[out.index("5 xx") + 1:]:
        if ln.endswith("xx"):
            break
        rows.append([float(x) for x in ln.split()[:7]])
    rows = np.array(rows)
    rows = rows[rows[:, 0] <= 4320.0]                 # the case's own span: 3 days
    t = tle.epoch + TimeDelta(rows[:, 0] * 60.0, format="sec")
    r_ref, v_ref = teme_to_gcrf(rows[:, 1:4] * 1e3, rows[:, 4:7] * 1e3, t)
    r, v = SGP4Ephemeris(tle).state_gcrf(t)
    assert _norm(r - r_ref).max() < 2e-4  # m
    assert _norm(v - v_ref).max() < 1e-6  # m/s


@pytest.mark.parametrize(("method", "degree", "tol_r_m", "tol_v_m_s"), [
    ("HERMITE", 7, 0.005, 1e-4),     # measured 0.26 mm, 1.9e-5 m/s
    ("LAGRANGE", 7, 0.005, 1e-6),    # measured 0.43 mm, 8.6e-8 m/s
    ("LAGRANGE", 5, 0.1, 1e-4),      # measured 14 mm
])
def test_oem_round_trip_interpolates_as_its_header_says(tmp_path, method, degree, tol_r_m,
                                                        tol_v_m_s):
    fx = _fixture("twobody")
    ini = fx["header"]["initial_state_gcrf"]
    tr = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], 21600, 60, ForceModel("j2"),
                   dense=True)
    path = tmp_path / "iss.oem"
    write_oem(path, oem_from_states(tr.epochs, tr.r_gcrf_m, tr.v_gcrf_m_s, object_name="ISS",
                                    object_id="1998-067A", interpolation=method,
                                    interpolation_degree=degree))
    eph = OEMEphemeris(path)
    assert abs((eph.span[0] - tr.epochs[0]).to_value("s")) < 1e-6
    t = tr.epochs[:-1] + TimeDelta(23.0, format="sec")
    r, v = eph.state_gcrf(t)
    rd, vd = tr.state_gcrf(t)
    assert _norm(r - rd).max() < tol_r_m
    assert _norm(v - vd).max() < tol_v_m_s
    # The states themselves come back exactly (to the file's printed digits).
    r0, _ = eph.state_gcrf(tr.epochs[:50])
    assert _norm(r0 - tr.r_gcrf_m[:50]).max() < 1e-3


def test_oem_linear_is_linear(tmp_path):
    t = time_grid("2028-01-01", 600, 60)
    co = CircularOrbit(400, 51.6)
    r, v = co.state_gcrf(t)
    oem = oem_from_states(t, r, v, object_name="X", object_id="Y", interpolation="LINEAR",
                          interpolation_degree=1)
    mid = t[:-1] + TimeDelta(30.0, format="sec")
    got, _ = OEMEphemeris(oem).state_gcrf(mid)
    assert np.allclose(got, 0.5 * (r[:-1] + r[1:]), atol=1e-6)


def test_mean_elements_reproduce_the_circular_orbit():
    co = CircularOrbit(400, 97.0, epoch="2028-01-01", raan_deg=200, arg_latitude_deg=10)
    hours = time_grid("2028-01-01", 365 * 86400, 3600)
    eph = MeanElementEphemeris(hours, 97.0, co.raan_rad_at(hours),
                               altitude_m=np.full(len(hours), 400e3),
                               arg_latitude_rad=np.radians(10))
    t = time_grid("2028-01-01", 364 * 86400, 97)
    r1, v1 = eph.state_gcrf(t)
    r2, v2 = co.state_gcrf(t)
    assert _norm(r1 - r2).max() < 0.05  # m after a year (float rounding of the phase)
    assert _norm(v1 - v2).max() < 1e-4
    # and the CircularOrbit-style views (dose's geodetic track, beta angle) agree too
    lat1, lon1, alt1 = eph.geodetic(t[:2000])
    lat2, lon2, alt2 = co.geodetic(t[:2000])
    assert np.abs(lat1 - lat2).max() < 1e-6 and np.abs(alt1 - alt2).max() < 1e-6
    assert np.abs(((lon1 - lon2) + 180) % 360 - 180).max() < 1e-6
    assert np.abs(eph.beta_deg(t[::500]) - co.beta_deg(t[::500])).max() < 1e-6


def test_mean_elements_phase_integrates_the_mean_motion():
    """A decaying orbit: the phase is the integral of du/dt(a(t)), checked against
    quadrature on a fine grid (scipy), and the radius follows a(t)."""
    from scipy.integrate import cumulative_trapezoid

    from rossim.dynamics.ephemeris import arg_latitude_rate_rad_s

    hours = np.arange(np.datetime64("2028-01-01T00:00"), np.datetime64("2028-01-11T00:00"),
                      np.timedelta64(1, "h"))
    alt = 420e3 - 100.0 * np.arange(len(hours))      # 100 m per hour
    alt[120:] += 5e3                                 # a 5 km reboost between hours 119 and 120
    eph = MeanElementEphemeris(hours, 51.6, np.linspace(0.0, -0.8, len(hours)),
                               altitude_m=alt, arg_latitude_rad=0.5)
    s = np.arange(0.0, (len(hours) - 1) * 3600.0 + 1.0, 1.0)
    a = np.interp(s, np.arange(len(hours)) * 3600.0, R_EQ_M + alt)
    u = 0.5 + cumulative_trapezoid(arg_latitude_rate_rad_s(a, np.radians(51.6)), s, initial=0)
    e = eph.elements_at_seconds(s)
    assert np.abs(e["u_rad"] - u).max() < 1e-6  # rad (quadrature error ~1e-9)
    r, v = eph.state_gcrf_seconds(s[::600])
    assert np.allclose(_norm(r), a[::600], rtol=0, atol=1e-6)
    # |v| = a du/dt plus at most a |dOmega/dt| from the node's motion
    node_speed = a[::600] * np.abs(e["raan_rate_rad_s"][::600])
    assert np.all(np.abs(_norm(v) - a[::600] * e["u_rate_rad_s"][::600]) <= node_speed + 1e-6)


def test_mean_elements_bad_input():
    t = time_grid("2028-01-01", 7200, 3600)
    with pytest.raises(InputError, match="exactly one"):
        MeanElementEphemeris(t, 51.6, 0.0)
    with pytest.raises(InputError, match="increasing"):
        MeanElementEphemeris(t[::-1], 51.6, 0.0, altitude_m=4e5)
    with pytest.raises(InputError, match="above the Earth"):
        MeanElementEphemeris(t, 51.6, 0.0, altitude_m=-7e6)
