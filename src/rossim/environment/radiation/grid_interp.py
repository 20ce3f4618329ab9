"""Linear interpolation on a rectilinear grid: the ``method="linear"`` evaluation of
:class:`scipy.interpolate.RegularGridInterpolator` (scipy 1.17), operation for operation, so
that the dose model's numbers are the same bits without importing ``scipy.interpolate`` (and the
``scipy.special``, ``scipy.linalg`` and ``scipy.optimize`` it loads: about a third of a second
of every ``rossim run``; issue 19).

Same rules as scipy's: cell ``i`` of axis ``k`` is the last node at or below the coordinate,
clipped to ``0 .. n-2`` (a point past either end is extrapolated from the end cell when
``bounds_error`` is False and ``fill_value`` is None); the normalised distance is
``(x - g[i]) / (g[i+1] - g[i])``; the value is the sum over the cell's ``2^d`` corners, in
scipy's order, of ``values[corner] * weight``. Two-axis tables with no trailing axis take
scipy's compiled two-axis path, whose sum is written out below in the same order.
tests/environment/test_grid_interp.py compares every case bit for bit with scipy.
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["LinearGridInterpolator"]


class LinearGridInterpolator:
    """``f(xi)``: linear interpolation of ``values`` (shape ``(n_1, ..., n_d, ...)``) on the
    strictly increasing axes ``points`` (d 1-D arrays) at ``xi`` (shape ``(..., d)``); result
    shape ``xi.shape[:-1] + values.shape[d:]``.

    ``bounds_error`` (default True): a point outside the grid raises ``ValueError``; else it
    gets ``fill_value`` (default NaN), or is extrapolated when ``fill_value`` is None."""

    def __init__(self, points, values, bounds_error: bool = True,
                 fill_value: float | None = np.nan) -> None:
        self.grid = tuple(np.asarray(p, dtype=float) for p in points)
        for k, g in enumerate(self.grid):
            if g.ndim != 1 or g.size < 2 or not np.all(np.diff(g) > 0):
                raise ValueError(f"axis {k} of the grid must be strictly increasing "
                                 "(at least two nodes)")
        values = np.asarray(values)
        if not np.issubdtype(values.dtype, np.inexact):
            values = values.astype(float)
        if values.shape[:len(self.grid)] != tuple(g.size for g in self.grid):
            raise ValueError(f"values of shape {values.shape} do not match the grid "
                             f"{tuple(g.size for g in self.grid)}")
        self.values = values
        self.bounds_error = bounds_error
        self.fill_value = fill_value

    def __call__(self, xi) -> np.ndarray:
        ndim = len(self.grid)
        xi = np.asarray(xi, dtype=float)
        if xi.shape[-1] != ndim:
            raise ValueError(f"points of dimension {xi.shape[-1]}, expected {ndim}")
        shape = xi.shape
        xi = xi.reshape(-1, ndim)
        nans = np.any(np.isnan(xi), axis=-1)
        out_of_bounds = np.zeros(xi.shape[0], dtype=bool)
        for x, g in zip(xi.T, self.grid, strict=True):
            out_of_bounds |= (x < g[0]) | (x > g[-1])
        if self.bounds_error:   # as scipy: a NaN coordinate is outside too
            for k, (x, g) in enumerate(zip(xi.T, self.grid, strict=True)):
                if not np.all((g[0] <= x) & (x <= g[-1])):
                    raise ValueError(f"one of the requested points is outside the grid "
                                     f"in dimension {k}")
        indices, dist = [], []
        for x, g in zip(xi.T, self.grid, strict=True):
            i = np.clip(np.searchsorted(g, x, side="right") - 1, 0, g.size - 2)
            indices.append(i)
            dist.append((x - g[i]) / (g[i + 1] - g[i]))
        v = self.values
        if ndim == 2 and v.ndim == 2:
            (i0, i1), (y0, y1) = indices, dist
            result = (v[i0, i1] * (1 - y0) * (1 - y1) + v[i0, i1 + 1] * (1 - y0) * y1
                      + v[i0 + 1, i1] * y0 * (1 - y1) + v[i0 + 1, i1 + 1] * y0 * y1)
        else:
            vslice = (slice(None),) + (None,) * (v.ndim - ndim)
            lower = list(zip(indices, [1 - y for y in dist], strict=True))
            upper = list(zip([i + 1 for i in indices], dist, strict=True))
            result = np.array([0.0])
            for corner in itertools.product(*zip(lower, upper, strict=True)):
                idx, weights = zip(*corner, strict=True)
                weight = np.array([1.0])
                for w in weights:
                    weight = weight * w
                result = result + np.asarray(v[idx]) * weight[vslice]
        if not self.bounds_error and self.fill_value is not None:
            result[out_of_bounds] = self.fill_value
        if np.any(nans):
            result[nans] = np.nan
        return result.reshape(shape[:-1] + v.shape[ndim:])
