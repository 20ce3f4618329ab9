"""Trade-study figures: the beta angle over a year and bars of the headline metrics
(``rossim trade --plots``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from rossim.results import TradeRow

__all__ = ["write_trade_plots"]


def write_trade_plots(folder: Any, rows: list[TradeRow]) -> list[str]:
    """Two PNGs in ``folder``: the beta angle over the year for each scenario, and bars of
    the coverage, power, dose and payload figures. Written atomically."""
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from rossim.fileio import atomic_path

    folder = Path(folder)
    out = []
    fig, ax = plt.subplots(figsize=(9, 4), dpi=110)
    for row in rows:
        be = row.beta
        days = np.arange(be["beta_deg"].size)
        ax.plot(days, be["beta_deg"], label=f"{row.scenario} ({row.inclination_deg:g} deg)")
        ax.axhline(be["beta_star_deg"], color="grey", lw=0.6, ls=":")
        ax.axhline(-be["beta_star_deg"], color="grey", lw=0.6, ls=":")
    ax.set_xlabel("days from the span start")
    ax.set_ylabel("beta angle (deg)")
    ax.set_title("Beta angle over a year (dotted: no eclipse beyond)")
    ax.legend()
    fig.tight_layout()
    path = folder / "trade-beta.png"
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", metadata={"Software": None})
    plt.close(fig)
    out.append(str(path))

    keys = [("coverage_russia_pct", "Russia seen %"), ("coverage_arctic_pct", "Arctic seen %"),
            ("coverage_nsr_pct", "NSR seen %"), ("power_mean_kw", "mean power kW"),
            ("crew_dose_msv_per_30d", "dose mSv / 30 d"),
            ("angara_a5_payload_t", "Angara A5 payload t")]
    fig, axes = plt.subplots(1, len(keys), figsize=(14, 3.4), dpi=110)
    for ax, (k, label) in zip(axes, keys, strict=True):
        vals = [float(getattr(r, k)) for r in rows]
        ax.bar([r.scenario for r in rows], vals, color=["#1f77b4", "#d62728", "#2ca02c"][
            :len(rows)])
        ax.set_title(label, fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    path = folder / "trade-metrics.png"
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", metadata={"Software": None})
    plt.close(fig)
    out.append(str(path))
    return out
