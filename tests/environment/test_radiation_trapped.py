"""Trapped-particle fluxes: radbelt's own reference value through rossim's wrapper, and the error
of rossim's fast table interpolation against direct radbelt calls."""

import numpy as np
import pytest

from rossim.environment.radiation.trapped import (
    TrappedFluxModel,
    flux_direct,
    load_trapped_table,
)
from rossim.errors import InputError
from rossim.validation.radiation import RADBELT_DOCTEST, lower_edge_flux, random_points_flux


def test_radbelt_doctest_through_wrapper():
    r = RADBELT_DOCTEST
    got = flux_direct(r["lat"], r["lon"], r["alt_km"], r["t"], r["energy"], "p", "max")
    assert abs(float(got) / r["flux"] - 1.0) < 1e-4


def test_radbelt_doctest_through_fast_table():
    r = RADBELT_DOCTEST
    model = TrappedFluxModel(2021.16, (500.0, 500.0))
    k = int(np.argmin(np.abs(model.table.energies["p"] - r["energy"])))
    got = model.flux([r["lat"]], [r["lon"]], [r["alt_km"]], "p", "max")[0, k]
    assert abs(got / r["flux"] - 1.0) < 0.05


@pytest.mark.parametrize("particle,energy,solar", [("p", 50.0, "min"), ("e", 1.0, "max")])
def test_table_interpolation_error_against_direct_calls(particle, energy, solar):
    """Random points in the ISS latitude band at 410 km: the fast path (IGRF on a 3-deg grid,
    AE-8/AP-8 table in L and B/B0) against point-by-point radbelt. The measured sum ratio and
    median point error for protons are in docs/validation.md (``make docs``)."""
    fast, direct = random_points_flux(particle, energy, solar)
    assert direct.sum() > 0
    assert abs(fast.sum() / direct.sum() - 1.0) < 0.10
    big = direct > 0.01 * direct.max()
    assert np.median(np.abs(fast[big] / direct[big] - 1.0)) < 0.05


def test_table_energies_and_bad_particle():
    table = load_trapped_table()
    assert table.energies["p"][-1] == 400.0 and table.energies["e"][-1] == 7.0
    with pytest.raises(InputError):
        table.flux([1.2], [1.1], "x", "min")
    with pytest.raises(InputError):
        table.flux([1.2], [1.1], "p", "medium")


@pytest.mark.parametrize("alt_km,inc_deg", [(300.0, 28.5), (385.0, 51.6)])
def test_table_at_the_belts_lower_edge(alt_km, inc_deg):
    """One day of a circular orbit in the AP-8 MIN epoch field (1964): the fast path against
    point-by-point radbelt, protons > 50 MeV. At 300 km every SAA pass runs along the belt's
    lower edge, where AP-8 falls steeply and then stops (the table's edge handling, y step
    0.00625). The measured sum ratios are in docs/validation.md (``make docs``)."""
    fast, direct = lower_edge_flux(alt_km, inc_deg)
    assert direct.sum() > 0
    assert abs(fast.sum() / direct.sum() - 1.0) < 0.08


def test_fused_kernels_equal_scipy_interpolation():
    # The compiled kernels (interp_kernel) against scipy's RegularGridInterpolator on the same
    # grids: same linear arithmetic, so equal to rounding (1e-12 relative), including points
    # on grid nodes, at the grid's last node and outside it (linear extrapolation).
    from scipy.interpolate import RegularGridInterpolator

    from rossim.environment.radiation.interp_kernel import interp_columns_2d

    rng = np.random.default_rng(19)
    model = TrappedFluxModel(2028.0, (380.0, 460.0), step_deg=3.0, lat_limit_deg=55.0)
    lats, lons, alts = model.grid
    n = 4000
    lat = np.concatenate([rng.uniform(-lats[-1], lats[-1], n), lats[:3], [lats[-1]]])
    lon = np.concatenate([rng.uniform(-180.0, 180.0, n), lons[:3], [180.0]])
    alt = np.concatenate([rng.uniform(alts[0], alts[-1], n), alts[:3], [alts[-1]]])
    lval, bb0 = model.magnetic_coordinates(lat, lon, alt)
    pts = np.column_stack([lat, (lon + 180.0) % 360.0 - 180.0, alt])  # the model wraps lon
    ref_l = 1.0 / RegularGridInterpolator(model.grid, model.grid_fields[..., 0])(pts)
    ref_b = 10.0 ** RegularGridInterpolator(model.grid, model.grid_fields[..., 1])(pts)
    assert np.allclose(lval, ref_l, rtol=1e-12, atol=0) and np.allclose(bb0, ref_b, rtol=1e-12)
    table = model.table
    interp = table.weighted("p", "max", rng.uniform(0.5, 2.0, (table.energies["p"].size, 2)))
    mine = table.evaluate_weighted(interp, lval, bb0, "p")
    pts_p, ok = table._points(lval, bb0, "p")
    ref = 10.0 ** interp(pts_p)
    ref[ref < 1e-29] = 0.0
    ref[~ok] = 0.0
    assert (mine > 0).sum() > n // 4
    assert np.allclose(mine, ref, rtol=1e-12, atol=0)
    # extrapolation past both ends and NaN, as RegularGridInterpolator(fill_value=None)
    g0, g1 = np.array([0.0, 1.0, 3.0]), np.array([-1.0, 0.5])
    vals = rng.normal(size=(3, 2, 2))
    x0, x1 = np.array([-0.5, 3.0, 4.0, 1.0, np.nan]), np.array([0.5, -2.0, 0.7, 0.5, 0.0])
    got = interp_columns_2d(g0, g1, vals, x0, x1)
    want = RegularGridInterpolator((g0, g1), vals, bounds_error=False, fill_value=None)(
        np.column_stack([x0, x1]))
    assert np.allclose(got[:4], want[:4], rtol=1e-12, atol=1e-14) and np.all(np.isnan(got[4]))
