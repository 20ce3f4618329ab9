"""Render docs/state-files.md from tools/templates/state-files.md (``make docs``).

The example outputs are the page's own examples run on the shipped test files; the validation
figures are the comparisons of the tests, measured here with the tests' own helpers and
references (``tests/dynamics/test_sgp4_vallado.py``, ``tests/dynamics/test_tle.py``,
``tests/frames/test_teme.py``): Vallado's SGP4 verification set, Orekit's TLEPropagator and
TEME frame, Vallado's Example 3-15, astropy and Skyfield.
"""

from __future__ import annotations

import importlib.util
import json
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUTPUT = ROOT / "docs" / "state-files.md"
TEMPLATE = HERE / "templates" / "state-files.md"


def _test_module(rel: str):
    """A test module by path (the tests folders are not packages); importing runs no test."""
    path = ROOT / "tests" / rel
    spec = importlib.util.spec_from_file_location(f"_page_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _vallado() -> dict:
    """Vallado's 33 SGP4 verification cases, as test_vallado_case runs them."""
    from rossim.dynamics.tle import propagate
    from rossim.time import from_jd_pair

    m = _test_module("dynamics/test_sgp4_vallado.py")
    expected_codes = dict(m.EXPECTED_ERRORS)
    worst_km, codes_ok, n_err = 0.0, True, 0
    for (l1, l2, lineno, start, stop, step), (number, rows) in zip(m.CASES, m.EXPECTED,
                                                                   strict=True):
        tle = m._tle(l1, l2, lineno)
        minutes = np.array(m._schedule(start, stop, step))
        t = from_jd_pair(tle.satrec.jdsatepoch, tle.satrec.jdsatepochF + minutes / 1440.0)
        st = propagate(tle, t, frame="TEME")
        err = st.error[0]
        code = expected_codes.get(number)
        if number == 20413 and start < 1e5:  # only its second (3.5-year) run ends in an error
            code = None
        n_ok = len(minutes)
        if code is not None:
            n_err += 1
            first = int(np.flatnonzero(err != 0)[0]) if np.any(err != 0) else None
            codes_ok &= first is not None and int(err[first]) == code
            n_ok = first or 0
        if n_ok:
            worst_km = max(worst_km, float(np.abs(st.r_m[0, :n_ok] / 1e3
                                                  - rows[:n_ok, 1:4]).max()))
    return {"n_vallado": len(m.CASES), "vallado_mm": worst_km * 1e6, "n_error_cases": n_err,
            "codes_ok": "all match" if codes_ok else "NOT all match: see the test"}


def _orekit_sgp4() -> dict:
    """Orekit's TLEPropagator states, as test_sgp4_against_orekit_tle_propagator compares."""
    from rossim.dynamics.tle import propagate
    from rossim.files.tle import parse_tle
    from rossim.time import to_time

    m = _test_module("dynamics/test_tle.py")
    ref = json.loads(m.OREKIT_SGP4.read_text())
    teme_m = gcrf_m = 0.0
    for rec in ref["tles"]:
        tle = parse_tle(rec["line1"], rec["line2"])
        t = to_time([s["epoch_utc"] for s in rec["states"]])
        teme = propagate(tle, t, frame="TEME")
        gcrf = propagate(tle, t, frame="GCRF")
        teme_m = max(teme_m, float(np.linalg.norm(
            teme.r_m[0] - np.array([s["r_teme_m"] for s in rec["states"]]), axis=1).max()))
        gcrf_m = max(gcrf_m, float(np.linalg.norm(
            gcrf.r_m[0] - np.array([s["r_gcrf_m"] for s in rec["states"]]), axis=1).max()))
    return {"n_orekit_tles": len(ref["tles"]), "orekit_teme_m": teme_m, "orekit_gcrf_m": gcrf_m}


def _teme_frame() -> dict:
    """TEME -> GCRF against Orekit's rotation, Vallado's Example 3-15, astropy and Skyfield
    (the comparisons of tests/frames/test_teme.py)."""
    from astropy import units as u
    from astropy.coordinates import GCRS, TEME, CartesianRepresentation
    from skyfield.api import load
    from skyfield.functions import mxv
    from skyfield.sgp4lib import TEME as SKYFIELD_TEME

    from rossim.frames.teme import teme_to_gcrf, teme_to_gcrf_matrix
    from rossim.time import time_grid, to_time

    m = _test_module("frames/test_teme.py")
    recs = json.loads(m.OREKIT.read_text())["records"]
    t = to_time([r["epoch_utc"] for r in recs])
    mas = m._angle_mas(teme_to_gcrf_matrix(t), np.array([r["teme_to_gcrf"] for r in recs]))
    r, _ = teme_to_gcrf(m.R_TEME_KM * 1e3, m.V_TEME_KM_S * 1e3, to_time(m.EPOCH))
    vallado_m = float(np.linalg.norm(np.asarray(r).reshape(3) - m.R_GCRF_KM * 1e3))
    # astropy: random vectors over a day (test_cross_check_astropy_teme_frame).
    tg = time_grid("2026-01-15", 86400.0, 7200.0)
    rv = np.random.default_rng(7).normal(size=(len(tg), 3)) * 4e6 + np.array([0, 0, 1.0]) * 3e6
    rg, _ = teme_to_gcrf(rv, None, tg)
    r_ap = TEME(CartesianRepresentation(rv.T * u.m), obstime=tg).transform_to(
        GCRS(obstime=tg)).cartesian.xyz.to_value(u.m).T
    # Skyfield: unit vectors at 7000 km over a day (test_cross_check_skyfield_teme_frame).
    ts_ = time_grid("2023-03-01", 86400.0, 3600.0)
    rs = np.random.default_rng(11).normal(size=(len(ts_), 3))
    rs *= 7e6 / np.linalg.norm(rs, axis=1)[:, None]
    rot = np.swapaxes(SKYFIELD_TEME.rotation_at(load.timescale(builtin=True).from_astropy(ts_)),
                      0, 1)
    rsg, _ = teme_to_gcrf(rs, None, ts_)
    return {"mas_lo": float(mas.min()), "mas_hi": float(mas.max()),
            "vallado_ex_mm": vallado_m * 1e3,
            "astropy_mm": float(np.linalg.norm(rg - r_ap, axis=1).max()) * 1e3,
            "skyfield_mm": float(np.linalg.norm(rsg - mxv(rot, rs.T).T, axis=1).max()) * 1e3}


def _examples() -> dict:
    """The page's code examples, run on the shipped files."""
    from rossim.dynamics.initial_state import read_state
    from rossim.dynamics.tle import propagate
    from rossim.files.kvn import comment_values
    from rossim.files.oem import read_oem
    from rossim.files.opm import read_opm
    from rossim.files.tle import read_tles
    from rossim.time import parse_duration, time_grid, to_time

    s = read_state(ROOT / "tests/data/orekit/initial_iss.opm")
    grid = time_grid(to_time("2027-03-01T00:00:00Z"), parse_duration("1d"),
                     parse_duration("60s"))
    tles = read_tles(ROOT / "tests/data/iss/iss-tle-2023-01-to-04.txt")
    iss = tles[0]
    states = propagate(tles[:10], time_grid(iss.epoch, 86400, 60))
    opm = read_opm(ROOT / "tests/data/orekit/initial_iss.opm")
    _, r_gcrf, _ = opm.state_gcrf()
    oem = read_oem(ROOT / "tests/data/iss/iss-oem-2022-01-17-hourly.txt")
    seg = oem.segments[0]
    return {
        "opm_mass": s.spacecraft["mass_kg"], "grid_len": len(grid), "n_tles": len(tles),
        "iss_catalog": iss.catalog_number, "iss_epoch": iss.epoch.isot,
        "iss_inc": iss.inclination_deg, "r_shape": tuple(states.r_m.shape),
        "err_shape": tuple(states.error.shape),
        "bias_m": float(np.linalg.norm(np.asarray(r_gcrf).reshape(3) - opm.r_m)),
        "oem_n": len(seg.r_m), "oem_frame": seg.ref_frame, "oem_scale": seg.time_system,
        "oem_mass": comment_values(oem.all_comments())["MASS"],
    }


def render() -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ERFA's "dubious year" notes past the leap-second table
        fields = {**_examples(), **_vallado(), **_orekit_sgp4(), **_teme_frame()}
    return TEMPLATE.read_text(encoding="utf-8").format(**fields)


if __name__ == "__main__":
    print(render())
