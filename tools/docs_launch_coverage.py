"""Validation section for launch performance, launch windows and Earth-observation coverage
(docs/validation.md), computed by running the models against their external references.

``section()`` returns Markdown; ``python tools/docs_launch_coverage.py`` prints it. References:
the published Angara figures (ros-facts.md), the closed-form in-plane launch condition
(Vallado sec. 6.8), Rosstat's area of Russia, the geometric latitude limit (ERFA gc2gd), and
the analytic covered share of a latitude band (:mod:`rossim.validation.launch` and
:mod:`rossim.validation.coverage`, the functions the tests assert with); nothing is typed in.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


def section() -> str:
    from rossim.analysis.coverage import Instrument, coverage, ground_track
    from rossim.analysis.launch import PlaneModel, launch_windows
    from rossim.analysis.regions import band_region, load_region, polygon_area_km2, region_grid
    from rossim.config.catalog import load_catalog
    from rossim.station.launch import calibration_table
    from rossim.validation.coverage import RUSSIA_AREA_KM2, band_area, latitude_limit_deg
    from rossim.validation.launch import closed_form_windows

    cat = load_catalog()
    out = ["## Launch performance, launch windows, coverage "
           "(`rossim.station.launch`, `rossim.analysis.launch`, `rossim.analysis.coverage`)", "",
           "Launch model (rocket equation on the final stage with Earth-rotation, dog-leg and "
           "Hohmann terms) against every published point it is calibrated to:", "",
           "| launcher | site | altitude km | inclination deg | published kg | rossim kg "
           "| error | source |", "|---|---|---|---|---|---|---|---|"]
    for r in calibration_table(cat):
        out.append(f"| {r['launcher']} | {r['site']} | {r['altitude_km']:g} | "
                   f"{r['inclination_deg']:g} | {r['published_kg']:,.0f} | "
                   f"{r['model_kg']:,.0f} | {r['error_pct']:+.2f} % | {r['source']} |")
    out += ["", "In-plane launch windows over 3 days (search on the rotating site against the "
            "J2-drifting plane) against the closed-form crossing time "
            "sin(theta - Omega) = tan(psi)/tan(i) (Vallado sec. 6.8):", "",
            "| site | orbit | windows | largest difference s |", "|---|---|---|---|"]
    start = dt.datetime(2028, 3, 1, tzinfo=dt.UTC)
    for site, inc in (("baikonur-31", 51.6), ("vostochny-1a", 51.6), ("vostochny-1a", 97.0)):
        st = cat.sites[site]
        wins = launch_windows(PlaneModel(400.0, inc, 30.0, start), st, start, 3.0,
                              azimuth_limits=False)  # geometry: every in-plane time
        got = np.array([(w["time"] - start).total_seconds() for w in wins])
        ref = closed_form_windows(st.lat_deg.value, st.lon_deg.value, 400.0, inc, 30.0,
                                  3.0, start)
        n = min(got.size, ref.size)
        diff = np.max(np.abs(got[:n] - ref[:n])) if n else float("nan")
        out.append(f"| {site} | 400 km x {inc:g} deg | {got.size} (closed form {ref.size}) "
                   f"| {diff:.1f} |")
    russia = load_region("russia")
    a_poly = polygon_area_km2(russia)
    a_grid = region_grid(russia, 0.1).area_km2
    out += ["", "Regions and coverage:", "",
            "| check | rossim | reference | difference |", "|---|---|---|---|",
            f"| area of Russia, shipped Natural Earth 1:50m polygon (ellipsoidal) | "
            f"{a_poly:,.0f} km^2 | {RUSSIA_AREA_KM2:,.0f} km^2 (Rosstat) | "
            f"{100 * (a_poly / RUSSIA_AREA_KM2 - 1):+.2f} % |",
            f"| same, 0.1 deg grid cells | {a_grid:,.0f} km^2 | {RUSSIA_AREA_KM2:,.0f} km^2 | "
            f"{100 * (a_grid / RUSSIA_AREA_KM2 - 1):+.2f} % |"]
    swath = 200.0
    for inc in (51.6, 97.0):
        limit = latitude_limit_deg(400.0, inc, swath)
        track = ground_track(400.0, inc, "2028-03-01", 10.0)
        res = coverage(band_region(limit - 3, 90.0), track, Instrument(swath_km=swath))
        out.append(f"| highest latitude seen, 400 km x {inc:g} deg, 200 km swath, 10 d, "
                   f"0.1 deg grid | {res.max_latitude_seen_deg:.2f} deg (highest cell centre) | "
                   f"{limit:.3f} deg (geometric limit) | {res.max_latitude_seen_deg - limit:+.3f}"
                   " deg |")
        if inc == 51.6:
            wide = 600.0
            lim_w = latitude_limit_deg(400.0, inc, wide)
            band = coverage(band_region(40.0, 60.0), track, Instrument(swath_km=wide))
            expected = 100 * band_area(40.0, lim_w) / band_area(40.0, 60.0)
            out.append(f"| share of the 40-60 N band seen, 51.6 deg, 600 km swath, 10 d | "
                       f"{band.covered_pct:.2f} % | {expected:.2f} % (area below the limit) | "
                       f"{band.covered_pct - expected:+.2f} points |")
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(section())
