"""Crew dose-rate map: the total absorbed dose rate of
:func:`rossim.analysis.dose.dose_map` over latitude and longitude, log colour scale
(``rossim dose --map``)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["write_dose_map_png"]


def write_dose_map_png(path: Any, dmap: dict[str, Any], *,
                       inclination_deg: float | None = None) -> None:
    """Plot :func:`rossim.analysis.dose.dose_map`'s total absorbed dose rate (log colour scale) to a PNG, atomically."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    from rossim.fileio import atomic_path

    total = np.maximum(dmap["absorbed"]["total"], 1e-3)
    fig, ax = plt.subplots(figsize=(10, 5.2), dpi=110)
    mesh = ax.pcolormesh(dmap["lons_deg"], dmap["lats_deg"], total, shading="nearest",
                         norm=LogNorm(vmin=max(total.min(), 1e-3), vmax=total.max()),
                         cmap="inferno")
    fig.colorbar(mesh, ax=ax, label="absorbed dose rate in water (mGy/day)")
    if inclination_deg is not None:
        i = min(float(inclination_deg), 180.0 - float(inclination_deg))
        for y in (i, -i):
            ax.axhline(y, color="cyan", lw=0.8, ls="--")
    ax.set_xlabel("longitude (deg)")
    ax.set_ylabel("geodetic latitude (deg)")
    ax.set_title(f"Crew dose rate at {dmap['altitude_km']:g} km, {dmap['date']}, behind "
                 f"{dmap['shielding_g_cm2']:g} g/cm^2 Al (AE-8/AP-8 {dmap['solar'].upper()}, "
                 f"GCR phi={dmap['phi_mv']:.0f} MV)", fontsize=9)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
