"""rossim's linear grid interpolation gives scipy's RegularGridInterpolator bits (the peer it
replaces in the dose model, rossim.environment.radiation.grid_interp): 2 and 3 axes, trailing
value axes, points on nodes, at the ends, outside (extrapolated, filled, refused) and NaN."""

import numpy as np
import pytest
from scipy.interpolate import RegularGridInterpolator

from rossim.environment.radiation.grid_interp import LinearGridInterpolator


def _points(grid, n, rng):
    cols = []
    for g in grid:
        span = g[-1] - g[0]
        x = rng.uniform(g[0] - 0.2 * span, g[-1] + 0.2 * span, n)
        x[: n // 4] = rng.choice(g, n // 4)             # exactly on nodes (and both ends)
        x[n // 4: n // 4 + 3] = [g[0], g[-1], g[-1]]
        cols.append(x)
    return np.column_stack(cols)


@pytest.mark.parametrize("shape_extra", [(), (7,), (3, 2)])
@pytest.mark.parametrize("ndim", [2, 3])
@pytest.mark.parametrize("mode", ["extrapolate", "fill", "inside"])
def test_bitwise_as_scipy(ndim, shape_extra, mode):
    rng = np.random.default_rng(19 + ndim + len(shape_extra))
    grid = [np.sort(rng.uniform(-90, 90, 13)), np.linspace(-180, 180, 37),
            np.array([300.0, 350.0, 400.0, 450.0, 500.0])][:ndim]
    values = rng.normal(size=tuple(g.size for g in grid) + shape_extra)
    kw = {"extrapolate": {"bounds_error": False, "fill_value": None},
          "fill": {"bounds_error": False, "fill_value": -7.5},
          "inside": {}}[mode]
    ref = RegularGridInterpolator(grid, values, **kw)
    ours = LinearGridInterpolator(grid, values, **kw)
    xi = _points(grid, 4000, rng)
    if mode == "inside":
        xi = np.clip(xi, [g[0] for g in grid], [g[-1] for g in grid])
    if mode != "inside":
        xi[5, 0] = np.nan
    a, b = ref(xi), ours(xi)
    assert a.shape == b.shape and a.dtype == b.dtype
    assert a.tobytes() == b.tobytes()
    assert ref(xi[7]).tobytes() == ours(xi[7]).tobytes()          # one point, shape (d,)


def test_outside_refused_like_scipy():
    grid = [np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0])]
    ours = LinearGridInterpolator(grid, np.zeros((3, 2)))
    with pytest.raises(ValueError):
        ours(np.array([[2.5, 0.5]]))
    with pytest.raises(ValueError):
        ours(np.array([[np.nan, 0.5]]))
    with pytest.raises(ValueError):
        LinearGridInterpolator([np.array([1.0, 0.0])], np.zeros(2))
