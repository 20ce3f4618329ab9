"""Validation figures of the orbit engine for docs/validation.md (``section()``).

Every number is computed by running rossim against the committed Orekit fixtures
(tests/data/orekit/, made by tools/orekit_oracle.py) through :mod:`rossim.validation.propagation`
(the functions tests/dynamics/test_propagator.py asserts with), or against the exact computation
it approximates; nothing is typed in. Run ``.venv/bin/python tools/docs_propagation.py`` to print
the section.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

def accuracy_rows() -> list[tuple[str, str, float, float, float]]:
    from rossim.validation.propagation import CASES, position_errors_m, propagate_case

    rows = []
    for case, label, bound in CASES:
        propagate_case(case)  # warm (numba cache)
        w0 = time.perf_counter()
        tr, fx = propagate_case(case)
        wall = time.perf_counter() - w0
        err = position_errors_m(tr, fx)
        rows.append((case, label, float(err.max()), bound, wall))
    return rows


def frames_row() -> float:
    from rossim.validation.propagation import gcrf_to_itrf_angle_rad

    return gcrf_to_itrf_angle_rad()


def _drift() -> dict:
    from rossim.validation.sgp4 import element_set_drift_km

    return element_set_drift_km()


def eclipse_row() -> float:
    """Largest eclipse entry/exit difference to Orekit (s): the test's own comparison."""
    from rossim.validation.propagation import eclipse_errors_vs_orekit

    errors = eclipse_errors_vs_orekit()
    # An event-count mismatch shows as an infinite difference rather than disappearing.
    return max(float("inf") if e is None else float(e.max()) for e in errors.values())


def approximation_rows() -> list[tuple[str, str]]:
    """Errors of rossim's own shortcuts, each measured against the exact computation."""
    import rossim.dynamics.propagator as prop
    from rossim.frames.earth import grid_matrix_error
    from rossim.time import to_time
    from rossim.validation.propagation import fixture, force_model, propagate_case

    out = []
    epoch = to_time(fixture("full")["header"]["initial_state_gcrf"]["epoch_utc"])
    err = grid_matrix_error(epoch, 30 * 86400.0, samples=400)
    out.append(("GCRF->ITRF from the 3 h grid (precession-nutation, polar motion and UT1 "
                "interpolated, ERA exact) vs the full IAU 2006/2000A chain, 30 days",
                f"{err:.1e} rad ({err * 6.8e6 * 1000:.2f} mm at ISS radius)"))
    # Drag density: samples every 30 s + interpolation + fixed-point iteration, against
    # MSIS evaluated at the midpoints of the samples along the final trajectory.
    tr, _ = propagate_case("drag_nrlmsise00", dense=True)
    model = prop._Model(force_model("drag_nrlmsise00"), tr.epoch, 86400.0)
    nodes = np.arange(0.0, 6 * 3600.0 + 1.0, prop.DRAG_SAMPLE_S)
    mids = nodes[:-1] + prop.DRAG_SAMPLE_S / 2.0
    ln_nodes = model.log_density(nodes, tr.state_at(nodes)[0])
    ln_mids = model.log_density(mids, tr.state_at(mids)[0])
    interp = prop._lagrange_np(nodes[0], prop.DRAG_SAMPLE_S, ln_nodes[:, None], mids)[:, 0]
    rel = float(np.abs(np.expm1(interp - ln_mids)).max())
    out.append(("Drag density interpolated from MSIS samples every 30 s vs MSIS at the "
                "midpoints (6 h of the ISS orbit)", f"{rel:.1e} relative"))
    saved = prop.DRAG_SAMPLE_S
    try:
        prop.DRAG_SAMPLE_S = 5.0
        fine, _ = propagate_case("drag_nrlmsise00", drag_rtol=1e-10)
    finally:
        prop.DRAG_SAMPLE_S = saved
    d = float(np.linalg.norm(fine.r_gcrf_m - tr.r_gcrf_m, axis=1).max())
    out.append(("Whole drag scheme (30 s samples, ln rho converged to 1e-5) vs 5 s samples "
                "converged to 1e-10, ISS, 1 day", f"{d * 1000:.1f} mm"))
    tight, _ = propagate_case("full", rtol=1e-13, atol_m=1e-7)
    base, _ = propagate_case("full")
    d = float(np.linalg.norm(tight.r_gcrf_m - base.r_gcrf_m, axis=1).max())
    out.append(("Integrator: default tolerances (rtol 1e-11, 0.1 mm) vs rtol 1e-13, full model, "
                "1 day", f"{d * 1000:.2f} mm"))
    return out


def _mass_text() -> str:
    from rossim.validation.propagation import fixture

    man = fixture("drag_mass_change")["header"]["manoeuvre"]
    return f"{man['mass_before_kg']:,.0f} to {man['mass_after_kg']:,.0f} kg"


def mass_kept_row() -> float:
    """Largest difference (m) to Orekit of the ``drag_mass_change`` case flown with the same
    burn but the initial mass kept (as before MAN_DELTA_MASS was applied): the size of the
    effect the case checks."""
    from rossim.dynamics.manoeuvres import ImpulsiveManoeuvre
    from rossim.validation.propagation import fixture, position_errors_m, propagate_case

    man = fixture("drag_mass_change")["header"]["manoeuvre"]
    tr, fx = propagate_case("drag_mass_change", manoeuvres=[ImpulsiveManoeuvre(
        man["epoch_utc"], tuple(man["dv_m_s"]), "tnw")])
    return float(position_errors_m(tr, fx).max())


def section() -> str:
    lines = ["## Orbit propagation", "",
             "rossim's numerical propagator (`rossim.dynamics.propagator`: DOP853 compiled with "
             "numba) against Orekit 13.1 started from the same ISS state (NASA/JSC OEM, "
             "2022-01-17), with the same EIGEN-6S coefficients "
             "(`src/rossim/data/gravity/`), IERS 2010 ITRF and constant space weather "
             "(F10.7 = 150, Ap = 15). Fixtures: `tests/data/orekit/` (`tools/orekit_oracle.py`) and "
             "`tests/data/propagator/` (`make_fixtures.py` there). "
             "Largest position difference over 1 day (outputs every 10 min):", "",
             "| case | force model | max \\|dr\\| over 1 day | target | rossim wall time |",
             "|---|---|---|---|---|"]
    for case, label, err, bound, wall in accuracy_rows():
        ok = "pass" if err < bound else "FAIL"
        lines.append(f"| `{case}` | {label} | {err:.3f} m | < {bound:g} m ({ok}) | "
                     f"{wall * 1000:.0f} ms |")
    lines += ["",
              f"- GCRF->ITRF matrix vs Orekit at 10 epochs 2022-2025: largest angle "
              f"{frames_row():.1e} rad (Orekit adds the IERS diurnal tidal terms to UT1 and "
              "polar motion, rossim uses the tabulated EOP).",
              f"- `drag_mass_change`: Orekit's ImpulseManeuver takes the mass from "
              f"{_mass_text()} at the burn; flown by rossim with the initial mass kept, the "
              f"same case ends {mass_kept_row() / 1000:.1f} km from Orekit's.",
              f"- Eclipse entry/exit (umbra and penumbra, 1 day, two-body orbit) vs Orekit's "
              f"EclipseDetector: largest timing difference {eclipse_row() * 1000:.1f} ms.",
              "", "SGP4 from one element set against the set published later "
              "(`rossim.validation.sgp4.element_set_drift_km`: the ISS's 609 sets of 2023 "
              "January-April from Space-Track, 7 reboosts that no earlier set foresees; the "
              "later set's own state at its epoch taken as the truth): position difference, km. "
              "`rossim eclipse` and `passes` note results more than 3 days after the element "
              "set's epoch.", "",
              "| days ahead | pairs | median | P90 |", "|---|---|---|---|",
              *[f"| {d:g} | {v['pairs']} | {v['median_km']:,.1f} km | {v['p90_km']:,.0f} km |"
                for d, v in _drift().items()],
              "", "Shortcuts taken for speed, each measured against the exact computation:", "",
              "| approximation | measured error |", "|---|---|"]
    for what, err in approximation_rows():
        lines.append(f"| {what} | {err} |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    print(section())
