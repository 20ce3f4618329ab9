"""Render docs/trade-study.md from tools/templates/trade-study.md with a fresh run of the
trade study (``make docs``): every number on the page comes from this run."""

from __future__ import annotations

import math
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "trade-study.md"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "trade-study.md"


def render() -> str:
    from rossim.analysis.trade import TABLE_ROWS, power_vs_ltan, table_cell, trade_study
    from rossim.config.scenario import load_scenario
    from rossim.constants import GM_EARTH_M3_S2, R_EQ_M

    a, b = trade_study([load_scenario("ros-51.6"), load_scenario("ros-97")])
    lines = [f"| quantity | {a['scenario']} | {b['scenario']} |", "|---|---:|---:|"]
    for key, label, fmt in TABLE_ROWS:
        cells = [table_cell(row, key, fmt) for row in (a, b)]
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    v_circ = math.sqrt(GM_EARTH_M3_S2 / (R_EQ_M + 1e3 * a["altitude_km"]))
    sweep = power_vs_ltan(load_scenario("ros-97"))
    ltan = ["| node local time, h | beta range, deg | full-sun days | orbit-average power, year "
            "mean / worst day, kW | all wings two-axis, year mean, kW |", "|---:|---|---:|---|---:|"]
    ltan += [f"| {r['ltan_h']:g} | {r['beta_deg_range'][0]:.0f} .. {r['beta_deg_range'][1]:.0f} "
             f"| {r['full_sun_days']} | {r['power_mean_kw']:.1f} / {r['power_min_kw']:.1f} | "
             f"{r['power_mean_kw_two_axis']:.1f} |" for r in sweep]
    extra = {
        "table": "\n".join(lines),
        "ltan_table": "\n".join(ltan),
        "caps_a": ", ".join(f"{v:.0f} kW {k}" for k, v in a["array_capacity_by_tracking_kw"].items()),
        "caps_b": ", ".join(f"{v:.0f} kW {k}" for k, v in b["array_capacity_by_tracking_kw"].items()),
        "fixed_pct_a": 100.0 * a["power_mean_kw_fixed"] / a["power_mean_kw_single_axis"],
        "fixed_pct_b": 100.0 * b["power_mean_kw_fixed"] / b["power_mean_kw_single_axis"],
        "dawn_dusk_sun_pct": 100.0 * next(r["full_sun_days"] for r in sweep
                                          if r["ltan_h"] == 6.0) / 365.0,
        "penalty": a["angara_a5_payload_t"] - b["angara_a5_payload_t"],
        "dose_pct": 100.0 * (b["crew_dose_msv_per_30d"] / a["crew_dose_msv_per_30d"] - 1.0),
        "plane_change_km_s": 2.0 * v_circ * math.sin(
            math.radians(b["bas_plane_angle_min_deg"]) / 2.0) / 1e3,
    }
    return TEMPLATE.read_text(encoding="utf-8").format(a=a, b=b, **extra)


if __name__ == "__main__":
    print(render())
