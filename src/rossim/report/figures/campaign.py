"""A campaign's figures: fan charts of the daily percentiles and histograms of the headline
figures (embedded in ``campaign.html`` by :mod:`rossim.campaign.report`)."""

from __future__ import annotations

import numpy as np

__all__ = ["fan_figure", "histogram_figure"]


def fan_figure(days: np.ndarray, bands: dict[str, np.ndarray],
               series: dict[str, tuple[str, str]]):
    """Fan charts, one panel per series of ``series`` (name -> (title, unit)) present in
    ``bands`` (name -> (3, D) 5th, 50th and 95th percentiles on the (D,) ``days``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [n for n in series if n in bands]
    fig, axes = plt.subplots(len(names), 1, figsize=(9, 2.2 * len(names)), sharex=True)
    axes = np.atleast_1d(axes)
    t = days.astype("datetime64[D]").astype(object)
    for ax, name in zip(axes, names, strict=True):
        q = bands[name]
        ax.fill_between(t, q[0], q[2], color="#729fcf", alpha=0.5, label="5-95 %")
        ax.plot(t, q[1], color="#204a87", lw=1.2, label="median")
        what, unit = series[name]
        ax.set_ylabel(f"{unit}")
        ax.set_title(what, fontsize=9, loc="left")
        ax.grid(alpha=0.3)
    axes[0].legend(loc="best", fontsize=8)
    fig.tight_layout()
    return fig


def histogram_figure(ok, keys: list[str], headlines: dict[str, tuple[str, str]],
                     tails: dict[str, tuple[int, ...]] | None = None,
                     min_runs=None):
    """Histograms of the columns ``keys`` of the data frame ``ok`` (one per run), with the
    median (solid) and each key's risk tail from ``tails`` (key -> percentiles, dashed then
    dotted; default (90, 95)): P10/P5 where a low value is the bad outcome, as the console
    shows. ``min_runs(p)``, if given, is the fewest runs that support percentile ``p``: a
    line the runs do not support is not drawn. ``headlines`` maps a key to (label, unit)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(keys), figsize=(3.2 * len(keys), 2.6))
    axes = np.atleast_1d(axes)
    for ax, key in zip(axes, keys, strict=True):
        x = ok[key].to_numpy(float)
        x = x[np.isfinite(x)]
        ax.hist(x, bins=min(30, max(5, x.size // 4)), color="#8ae234", edgecolor="#4e9a06")
        marks = (50, *(tails or {}).get(key, (90, 95)))
        for p, ls in zip(marks, ("-", "--", ":"), strict=False):
            if x.size and (min_runs is None or x.size >= min_runs(p)):
                ax.axvline(np.percentile(x, p), color="k", ls=ls, lw=1, label=f"P{p}")
        label, unit = headlines[key]
        ax.set_title(f"{label} ({unit})", fontsize=8)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
