"""Pictures of the free-flyer family's relative orbits in the station's LVLH frame (matplotlib
figures; the command line saves them with :func:`rossim.report.plots.save_figure`)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Circle, Ellipse  # noqa: E402

__all__ = ["relative_orbits_figure"]


def relative_orbits_figure(report):
    """Three LVLH projections (V-bar/R-bar, V-bar/H-bar, H-bar/R-bar) of every satellite's
    track over the simulated span, with the keep-out sphere and the approach ellipsoid."""
    pos = np.asarray(report.tracks_lvlh_m) / 1000.0          # (T, N, 3) km
    names = [s["name"] for s in report.satellites]
    ko = report.keep_out_radius_m / 1000.0
    ae = np.asarray(report.approach_ellipsoid_m) / 1000.0
    fig, axes = plt.subplots(1, 3, figsize=(15, 5.2))
    views = [(0, 2, "x along-track (V-bar) km", "z radial, nadir + (R-bar) km"),
             (0, 1, "x along-track (V-bar) km", "y cross-track (-H-bar) km"),
             (1, 2, "y cross-track (-H-bar) km", "z radial, nadir + (R-bar) km")]
    cmap = plt.get_cmap("tab20")
    for ax, (i, j, xl, yl) in zip(axes, views, strict=True):
        for k in range(pos.shape[1]):
            ax.plot(pos[:, k, i], pos[:, k, j], lw=0.7, color=cmap(k % 20),
                    label=names[k] if ax is axes[0] else None)
            ax.plot(pos[0, k, i], pos[0, k, j], "o", ms=3, color=cmap(k % 20))
        ax.add_patch(Ellipse((0, 0), 2 * ae[i], 2 * ae[j], fill=False, ls="--", color="0.3",
                             label="approach ellipsoid" if ax is axes[0] else None))
        ax.add_patch(Circle((0, 0), ko, color="tab:red", alpha=0.5,
                            label="keep-out sphere" if ax is axes[0] else None))
        ax.plot(0, 0, "k+", ms=10)
        ax.set_xlabel(xl)
        ax.set_ylabel(yl)
        ax.set_aspect("equal", adjustable="datalim")
        ax.grid(alpha=0.3)
        if j == 2:
            ax.invert_yaxis()  # nadir down on the page
    mode = "station-keeping on" if report.station_keeping else "free drift"
    # The scenario name is user text: escape "$" so matplotlib does not parse it as mathtext.
    scenario_name = str(report.scenario).replace("$", r"\$")
    fig.suptitle(f"{scenario_name}: free-flyer family in the station's LVLH frame, "
                 f"{report.days:g} d from {report.start:%Y-%m-%d %H:%M} UTC ({mode})")
    if pos.shape[1] <= 24:
        axes[0].legend(fontsize=7, ncol=2, loc="upper left")
    fig.tight_layout()
    return fig
