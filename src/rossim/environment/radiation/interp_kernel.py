"""Compiled (numba) linear interpolation for the trapped-belt lookups along a trajectory.

The dose of a year of orbit at 60 s interpolates four fields at half a million points: ``1/L``
and ``log10(B/B0)`` on the (lat, lon, alt) IGRF grid, then the dose-weighted AE-8/AP-8 tables
on (L, y). scipy's :class:`~scipy.interpolate.RegularGridInterpolator` does each one on its own
(an index search per axis and per field, with (N, 2^d) temporary arrays): about half of a warm
year's dose time. These kernels fuse them: one pass over the points, one cell search per axis
shared by every field of the grid, no temporaries, GIL released.

Same arithmetic as ``RegularGridInterpolator(method="linear")``: cell ``i`` with
``grid[i] <= x <= grid[i + 1]`` (the last cell closed; outside the grid the edge cell,
extrapolating linearly, as with ``fill_value=None``), weights ``1 - t`` and ``t``; a NaN
coordinate gives NaN. Agreement with scipy to rounding (~1e-15 relative) is tested in
``tests/environment/test_radiation_trapped.py``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["interp_fields_3d", "interp_columns_2d"]


@njit(cache=True, nogil=True, inline="always")
def _cell(grid, x):  # pragma: no cover - numba
    """(index, fraction) of ``x`` in the ascending ``grid`` (edge cells extrapolate)."""
    n = grid.size
    i = np.searchsorted(grid, x, side="right") - 1
    if i < 0:
        i = 0
    elif i > n - 2:
        i = n - 2
    return i, (x - grid[i]) / (grid[i + 1] - grid[i])


@njit(cache=True, nogil=True)
def interp_fields_3d(g0, g1, g2, values, x0, x1, x2):  # pragma: no cover - numba
    """Trilinear interpolation of ``m`` fields sharing one grid.

    ``g0, g1, g2``: ascending axes (each at least 2 nodes); ``values`` (n0, n1, n2, m);
    ``x0, x1, x2``: query coordinates (N,). Returns (N, m).
    """
    n = x0.size
    m = values.shape[3]
    out = np.empty((n, m))
    for p in range(n):
        if np.isnan(x0[p]) or np.isnan(x1[p]) or np.isnan(x2[p]):
            out[p, :] = np.nan
            continue
        i, a = _cell(g0, x0[p])
        j, b = _cell(g1, x1[p])
        k, c = _cell(g2, x2[p])
        for f in range(m):
            lo = ((values[i, j, k, f] * (1.0 - c) + values[i, j, k + 1, f] * c) * (1.0 - b)
                  + (values[i, j + 1, k, f] * (1.0 - c) + values[i, j + 1, k + 1, f] * c) * b)
            hi = ((values[i + 1, j, k, f] * (1.0 - c) + values[i + 1, j, k + 1, f] * c)
                  * (1.0 - b)
                  + (values[i + 1, j + 1, k, f] * (1.0 - c) + values[i + 1, j + 1, k + 1, f] * c)
                  * b)
            out[p, f] = lo * (1.0 - a) + hi * a
    return out


@njit(cache=True, nogil=True)
def interp_columns_2d(g0, g1, values, x0, x1):  # pragma: no cover - numba
    """Bilinear interpolation of the ``k`` columns of ``values`` (n0, n1, k) at (N,) points:
    (N, k), one cell search per point for all columns."""
    n = x0.size
    m = values.shape[2]
    out = np.empty((n, m))
    for p in range(n):
        if np.isnan(x0[p]) or np.isnan(x1[p]):
            out[p, :] = np.nan
            continue
        i, a = _cell(g0, x0[p])
        j, b = _cell(g1, x1[p])
        for f in range(m):
            out[p, f] = ((values[i, j, f] * (1.0 - b) + values[i, j + 1, f] * b) * (1.0 - a)
                         + (values[i + 1, j, f] * (1.0 - b) + values[i + 1, j + 1, f] * b) * a)
    return out
