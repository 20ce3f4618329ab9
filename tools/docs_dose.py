"""Crew-dose section of docs/validation.md: rossim's dose model against measured doses.

Runs :func:`rossim.analysis.dose.circular_orbit_dose` for each measurement in
``tests/data/dose/measured_doses.csv`` through :mod:`rossim.validation.dose` (the functions
tests/analysis/test_dose.py asserts with) and tabulates model against measurement; nothing here
is typed in by hand.
"""

from __future__ import annotations

from rossim.validation.dose import MEASURED_DAYS as DAYS
from rossim.validation.dose import measured_doses as _rows


def section() -> str:
    import numpy as np

    from rossim.analysis.dose import PRESSURISED_MODULE_G_CM2, TRAPPED_PROTON_SCALE
    from rossim.environment.radiation.trapped import TrappedFluxModel, flux_direct
    from rossim.validation.dose import iml2_sts79_ratio, model_summary
    from rossim.validation.radiation import RADBELT_DOCTEST, random_points_flux

    lines = [
        "## Crew radiation dose",
        "",
        "Model: AE-8/AP-8 through `radbelt` (model-epoch field; SAA drifted west and belts "
        "lowered with the dipole's decay to the date), GCR by "
        "force-field modulation with Stormer cut-off 14.9/L^2 GV and Earth shadow, CSDA "
        "transport through aluminium (NIST PSTAR/ESTAR), ICRP 60 Q(L); see docs/dose.md. "
        f"Circular orbits, {DAYS:g} days at 60 s from the date. Shielding "
        f"{PRESSURISED_MODULE_G_CM2:g} g/cm^2 Al for inside measurements, 1 g/cm^2 for the "
        f"outside one. The trapped-proton dose is scaled by {TRAPPED_PROTON_SCALE:g}, calibrated "
        f"on the {sum(r['location'] == 'inside' and r['quantity'] == 'absorbed' for r in _rows())} "
        "inside absorbed-dose rows (geometric-mean model/measured = 1, "
        "`fit_trapped_proton_scale`): these rows check the shape (altitude, inclination, solar "
        "cycle, epoch) and one calibration's consistency, not the absolute level. Orbit "
        "altitudes and dates of each "
        "campaign are assumptions (fixture header). Tests: tests/analysis/test_dose.py.",
        "",
        "| measurement | orbit (assumed) | quantity | measured | model | model/measured | "
        "trapped p / trapped e / GCR (mGy/d) | source |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in _rows():
        shield = PRESSURISED_MODULE_G_CM2 if r["location"] == "inside" else 1.0
        s = model_summary(float(r["altitude_km"]), float(r["inclination_deg"]), r["date"],
                          shield)
        by = s["by_source"]
        value = {"absorbed": s["absorbed_mGy_per_day"],
                 "equivalent": s["dose_equivalent_mSv_per_day"],
                 "gcr": by["gcr"]["absorbed_mGy_per_day"]}[r["quantity"]]
        unit = "mSv/d" if r["quantity"] == "equivalent" else "mGy/d"
        lo, hi = float(r["low"]), float(r["high"])
        meas = f"{lo:.3f}" if lo == hi else f"{lo:.3f}-{hi:.3f}"
        split = " / ".join(f"{by[k]['absorbed_mGy_per_day']:.3f}"
                           for k in ("trapped_protons", "trapped_electrons", "gcr"))
        lines.append(
            f"| {r['where']} | {float(r['inclination_deg']):g} deg, {float(r['altitude_km']):g} km, "
            f"{r['date'][:7]} | {r['quantity']} | {meas} {unit} | {value:.3f} {unit} | "
            f"{value / (0.5 * (lo + hi)):.2f} | {split} | {r['source']} |")
    model_ratio, meas_ratio = iml2_sts79_ratio()
    s516 = model_summary(400.0, 51.6, "2028-01-01")
    s97 = model_summary(400.0, 97.0, "2028-01-01")
    g = {k: v["by_source"]["gcr"]["absorbed_mGy_per_day"] for k, v in (("51.6", s516),
                                                                      ("97", s97))}
    rd = RADBELT_DOCTEST
    doctest = float(flux_direct(rd["lat"], rd["lon"], rd["alt_km"], rd["t"], rd["energy"], "p",
                                "max"))
    fast = TrappedFluxModel(2021.16, (500.0, 500.0)).flux([rd["lat"]], [rd["lon"]],
                                                          [rd["alt_km"]], "p", "max")
    k = 5  # 20 MeV in PROTON_ENERGIES_MEV
    fastp, direct = random_points_flux("p", 50.0, "min")
    lines += [
        "",
        "| check | reference | rossim | result |",
        "|---|---|---|---|",
        f"| IML-2 (28.5 deg, 300 km) / STS-79 (51.6 deg) absorbed | {meas_ratio:.2f} (Doke et al.) "
        f"| {model_ratio:.2f} | {'within' if 1 / 1.5 < model_ratio / meas_ratio < 1.5 else 'NOT within'}"
        f" a factor 1.5 (model/measured {model_ratio / meas_ratio:.2f}) |",
        f"| GCR at 97 deg vs 51.6 deg, 400 km, 2028-01 | 97 > 51.6 (direction only; no polar "
        f"measurement exists) | {g['97']:.3f} vs {g['51.6']:.3f} mGy/d (total {s97['absorbed_mGy_per_day']:.3f} vs "
        f"{s516['absorbed_mGy_per_day']:.3f}) | {'yes' if g['97'] > g['51.6'] else 'NO'} |",
        f"| radbelt doctest (lon -45, lat -30, 500 km, 2021-03-01, p > 20 MeV, MAX) | 2642.5 "
        f"cm^-2 s^-1 | direct {doctest:.1f}; fast table {fast[0, k]:.1f} | "
        f"{100 * (fast[0, k] / rd['flux'] - 1):+.1f} % via the table |",
        f"| fast table vs direct radbelt, 120 random points at 410 km, p > 50 MeV MIN | sum of "
        f"direct calls | sum ratio {fastp.sum() / direct.sum():.3f} | "
        f"median point error {100 * np.median(np.abs(fastp[direct > 0.01 * direct.max()] / direct[direct > 0.01 * direct.max()] - 1)):.1f} % |",
    ]
    lines += [_edge_row(alt, inc) for alt, inc in ((300.0, 28.5), (385.0, 51.6))]
    lines += ["", _gcr_depth_limitation(), ""]
    return "\n".join(lines)


def _gcr_depth_limitation() -> str:
    """The documented limitation of the GCR component's depth dependence, with the model's own
    figures at 400 km, 51.6 deg, 2028-01 behind 1, 20 and 100 g/cm^2 (no published curve is
    checked: none was available offline)."""
    from rossim.validation.dose import model_summary

    depths = (1.0, 20.0, 100.0)
    gcr = [model_summary(400.0, 51.6, "2028-01-01", t)["by_source"]["gcr"] for t in depths]
    d = " / ".join(f"{g['absorbed_mGy_per_day']:.4f}" for g in gcr)
    h = " / ".join(f"{g['dose_equivalent_mSv_per_day']:.3f}" for g in gcr)
    return (
        "Limitation (GCR depth dependence): the GCR component has no secondaries (neutrons, "
        "target and projectile fragments) and one mean quality factor (MSL/RAD's 3.82) at every "
        "depth, so it reproduces neither the build-up of the GCR absorbed dose behind thin to "
        "moderate aluminium nor the slow fall of the dose equivalent with depth that transport "
        "codes with secondaries give (HZETRN, Wilson et al. 1995, NASA TP-3495). Its depth "
        "dependence is the CSDA slowing of the primaries only: at 400 km, 51.6 deg, 2028-01 the "
        f"GCR gives {d} mGy/d and {h} mSv/d behind "
        f"{' / '.join(f'{t:g}' for t in depths)} g/cm^2 Al (the dose equivalent follows the "
        "absorbed dose's shape). No published GCR depth-dose curve in aluminium was available "
        "offline to model it on or test it against, so no build-up is modelled or claimed.")


def _edge_row(alt_km: float, inc_deg: float) -> str:
    """The fast table at the belt's lower edge: one day in the AP-8 MIN field (1964), p > 50 MeV
    (the comparison of tests/environment/test_radiation_trapped.py)."""
    from rossim.validation.radiation import lower_edge_flux

    fast, direct = lower_edge_flux(alt_km, inc_deg)
    return (f"| fast table vs direct radbelt at the belt's lower edge: 1 day, {alt_km:g} km, "
            f"{inc_deg:g} deg, 1964 field, p > 50 MeV MIN | sum of direct calls | sum ratio "
            f"{fast.sum() / direct.sum():.3f} | test tolerance 8 % |")
