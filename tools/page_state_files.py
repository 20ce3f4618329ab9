"""Render docs/state-files.md from tools/templates/state-files.md (``make docs``).

The example outputs are the page's own examples run on the shipped test files; the validation
figures are the comparisons the tests assert (``tests/dynamics/test_sgp4_vallado.py``,
``tests/dynamics/test_tle.py``, ``tests/frames/test_teme.py``), computed by the same functions
of :mod:`rossim.validation.sgp4` and :mod:`rossim.validation.teme`: Vallado's SGP4 verification
set, Orekit's TLEPropagator and TEME frame, Vallado's Example 3-15, astropy and Skyfield.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUTPUT = ROOT / "docs" / "state-files.md"
TEMPLATE = HERE / "templates" / "state-files.md"


def _vallado() -> dict:
    """Vallado's 33 SGP4 verification cases, as test_vallado_case runs them."""
    from rossim.validation.sgp4 import vallado_summary

    v = vallado_summary()
    return {"n_vallado": v["n_cases"], "vallado_mm": v["worst_km"] * 1e6,
            "n_error_cases": v["n_error_cases"],
            "codes_ok": "all match" if v["codes_ok"] else "NOT all match: see the test"}


def _orekit_sgp4() -> dict:
    """Orekit's TLEPropagator states, as test_sgp4_against_orekit_tle_propagator compares."""
    from rossim.validation.sgp4 import orekit_sgp4_differences

    diffs = orekit_sgp4_differences()
    return {"n_orekit_tles": len(diffs), "orekit_teme_m": max(d["teme_m"] for d in diffs),
            "orekit_gcrf_m": max(d["gcrf_m"] for d in diffs)}


def _teme_frame() -> dict:
    """TEME -> GCRF against Orekit's rotation, Vallado's Example 3-15, astropy and Skyfield
    (the comparisons of tests/frames/test_teme.py)."""
    from rossim.validation.teme import (
        astropy_differences,
        orekit_angle_mas,
        skyfield_difference_m,
        vallado_example_m,
    )

    mas = orekit_angle_mas()
    return {"mas_lo": float(mas.min()), "mas_hi": float(mas.max()),
            "vallado_ex_mm": vallado_example_m()[0] * 1e3,
            "astropy_mm": astropy_differences()[0] * 1e3,
            "skyfield_mm": skyfield_difference_m() * 1e3}


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
