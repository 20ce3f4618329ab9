"""Coverage map: the number of visits per cell of a region (``rossim coverage --maps``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from rossim.analysis.coverage import CoverageResult

__all__ = ["write_coverage_png"]


def write_coverage_png(path: Any, result: CoverageResult, *, title: str = "") -> None:
    """Map of the number of visits per cell of ``result``'s region (0 = never seen), PNG,
    written atomically and deterministically."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap

    from rossim.fileio import atomic_path

    g = result.grid
    cols = np.flatnonzero(g.mask.any(axis=0))
    lon = g.lon_deg.copy()
    # Put the region's longitudes in one piece (Russia crosses the antimeridian).
    occupied = np.zeros(lon.size, bool)
    occupied[cols] = True
    if occupied[0] and occupied[-1] and not occupied.all():
        lon = np.where(lon < 0, lon + 360.0, lon)
    order = np.argsort(lon)
    lon = lon[order]
    visits = np.where(g.mask, result.visits, -1)[:, order].astype(float)
    visits[visits < 0] = np.nan
    keep = np.flatnonzero(np.isfinite(visits).any(axis=0))
    lo, hi = lon[keep].min() - 1, lon[keep].max() + 1
    sel = (lon >= lo) & (lon <= hi)
    vmax = max(1, int(np.nanmax(visits)) if np.isfinite(visits).any() else 1)
    bounds = np.arange(-0.5, vmax + 1.5, max(1, (vmax + 1) // 12))
    cmap = ListedColormap(["#d9d9d9"] + list(plt.get_cmap("viridis")(
        np.linspace(0.1, 1, max(1, bounds.size - 2)))))
    fig, ax = plt.subplots(figsize=(11, 4.8), dpi=110)
    mesh = ax.pcolormesh(lon[sel], g.lat_deg, visits[:, sel], shading="nearest", cmap=cmap,
                         norm=BoundaryNorm(bounds, cmap.N))
    fig.colorbar(mesh, ax=ax, label="visits (grey: never seen)")
    ax.set_xlabel("longitude (deg E)")
    ax.set_ylabel("geodetic latitude (deg N)")
    ax.set_aspect(1.0 / max(0.2, math.cos(math.radians(float(np.mean(g.lat_deg))))))
    ax.set_title(title or f"{result.region}: {result.covered_pct:.1f} % seen in "
                          f"{result.days:g} d ({result.instrument})")
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", metadata={"Software": None})
    plt.close(fig)
