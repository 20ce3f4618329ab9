"""Trapped-particle fluxes: radbelt's own reference value through rossim's wrapper, and the error
of rossim's fast table interpolation against direct radbelt calls."""

import numpy as np
import pytest

from rossim.environment.radiation.trapped import (
    TrappedFluxModel,
    fast_and_direct_flux,
    flux_direct,
    load_trapped_table,
)
from rossim.errors import InputError

# radbelt 0.1.8 ``get_flux`` doctest: EarthLocation(lon -45 deg, lat -30 deg, 500 km),
# Time('2021-03-01'), protons above 20 MeV, AP-8 MAX -> 2642.50268555 cm^-2 s^-1.
RADBELT_DOCTEST = {"lat": -30.0, "lon": -45.0, "alt_km": 500.0, "t": "2021-03-01",
                   "energy": 20.0, "flux": 2642.50268555}


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
    rng = np.random.default_rng(7)
    n = 120
    lat = rng.uniform(-52.0, 52.0, n)
    lon = rng.uniform(-180.0, 180.0, n)
    fast, direct = fast_and_direct_flux(lat, lon, np.full(n, 410.0), 2021.16, energy, particle,
                                        solar)
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
    from rossim.dynamics.circular import CircularOrbit
    from rossim.time import time_grid, to_time

    t0 = to_time("1994-07-15")
    lat, lon, alt = CircularOrbit(alt_km, inc_deg, epoch=t0).geodetic(
        time_grid(t0, 86400.0, 60.0))
    fast, direct = fast_and_direct_flux(lat, lon, alt, 1964.0, 50.0, "p", "min")
    assert direct.sum() > 0
    assert abs(fast.sum() / direct.sum() - 1.0) < 0.08
