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
