"""Render docs/coverage.md from tools/templates/coverage.md (``make docs``).

The two example outputs are the commands shown on the page, run in this process through
``rossim.cli.main.main`` (the console is 160 columns wide when not a terminal); the other
results come from the same functions the validation section uses
(``tools/docs_launch_coverage.py``): region area, launch windows, phasing rate, launch
performance.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "docs" / "coverage.md"
TEMPLATE = HERE / "templates" / "coverage.md"

COVERAGE_ARGS = ["coverage", "ros-97", "--days", "3"]
LAUNCH_ARGS = ["launch", "ros-iss-start", "--days", "2"]


def _run_cli(argv: list[str]) -> str:
    from rossim.cli.main import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(argv)
    if code != 0:
        raise RuntimeError(f"rossim {' '.join(argv)} exited with {code}")
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()).strip("\n")


def _windows(scenario_name: str) -> dict:
    from rossim.analysis.launch import launch_summary
    from rossim.config.scenario import load_scenario

    s = launch_summary(load_scenario(scenario_name), days=2.0)
    azimuths = sorted({round(w["azimuth_deg"]) for w in s.windows})
    return {"per_day": s.windows_per_day,
            "azimuths": " and ".join(f"{a:.0f}" for a in azimuths),
            "dogleg": max(w["out_of_plane_deg"] for w in s.windows)}


def render() -> str:
    from rossim.analysis.launch import (
        INSERTION_DOWNRANGE_DEG,
        phasing,
        site_geocentric_latitude_deg,
    )
    from rossim.analysis.regions import load_region, polygon_area_km2
    from rossim.config.catalog import load_catalog
    from rossim.config.scenario import load_scenario
    from rossim.station.launch import calibration_table, payload_kg
    from rossim.validation.coverage import RUSSIA_AREA_KM2

    cat = load_catalog()
    coverage_out = _run_cli(COVERAGE_ARGS)
    launch_out = _run_cli(LAUNCH_ARGS)
    # Keep the windows table and its summary line; the module and drift tables follow.
    kept = []
    for line in launch_out.splitlines():
        kept.append(line)
        if "in-plane windows a month" in line:
            break
    area = polygon_area_km2(load_region("russia"))
    cal = calibration_table(cat)
    plesetsk = next(r for r in cal if r["site"].startswith("plesetsk"))
    a5, vostochny = cat.launchers["angara-a5"], cat.sites["vostochny-1a"]
    fields = {
        "coverage_cmd": "rossim " + " ".join(COVERAGE_ARGS), "coverage_out": coverage_out,
        "cov_days": float(COVERAGE_ARGS[-1]),
        "cov_start": f"{load_scenario(COVERAGE_ARGS[1]).span.start:%Y-%m-%d}",
        "launch_cmd": "rossim " + " ".join(LAUNCH_ARGS), "launch_out": "\n".join(kept),
        "area_poly": area, "area_ref": RUSSIA_AREA_KM2,
        "area_pct": abs(100 * (area / RUSSIA_AREA_KM2 - 1)),
        "area_dir": "below" if area < RUSSIA_AREA_KM2 else "above",
        "geocentric_lat": site_geocentric_latitude_deg(vostochny.lat_deg.value),
        "w516": _windows("ros-51.6"), "w97": _windows("ros-97"),
        "downrange": INSERTION_DOWNRANGE_DEG,
        "catch_up": phasing(0.0, 400.0, 200.0, 51.6)["catch_up_rate_deg_h"],
        "cal_max_pct": max(abs(r["error_pct"]) for r in cal),
        "plesetsk_t": plesetsk["model_kg"] / 1e3,
        "p516_t": payload_kg(a5, vostochny, 400.0, 51.6) / 1e3,
        "p97_t": payload_kg(a5, vostochny, 400.0, 97.0) / 1e3,
    }
    return TEMPLATE.read_text(encoding="utf-8").format(**fields)


if __name__ == "__main__":
    print(render())
