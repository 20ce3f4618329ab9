"""The fast trapped-flux path (:class:`rossim.environment.radiation.trapped.TrappedFluxModel`:
IGRF on a 3-deg grid, AE-8/AP-8 table in L and B/B0) against point-by-point radbelt calls,
and radbelt's own doctest value. Asserted in ``tests/environment/test_radiation_trapped.py``;
printed in docs/validation.md."""

from __future__ import annotations

import numpy as np

__all__ = ["RADBELT_DOCTEST", "random_points_flux", "lower_edge_flux"]

# radbelt 0.1.8 ``get_flux`` doctest: EarthLocation(lon -45 deg, lat -30 deg, 500 km),
# Time('2021-03-01'), protons above 20 MeV, AP-8 MAX -> 2642.50268555 cm^-2 s^-1.
RADBELT_DOCTEST = {"lat": -30.0, "lon": -45.0, "alt_km": 500.0, "t": "2021-03-01",
                   "energy": 20.0, "flux": 2642.50268555}


def random_points_flux(particle: str, energy_mev: float, solar: str
                       ) -> tuple[np.ndarray, np.ndarray]:
    """``(fast, direct)`` integral fluxes (120,) at random points (seed 7) of the ISS latitude
    band at 410 km, 2021.16 field."""
    from rossim.environment.radiation.trapped import fast_and_direct_flux

    rng = np.random.default_rng(7)
    n = 120
    lat = rng.uniform(-52.0, 52.0, n)
    lon = rng.uniform(-180.0, 180.0, n)
    return fast_and_direct_flux(lat, lon, np.full(n, 410.0), 2021.16, energy_mev, particle,
                                solar)


def lower_edge_flux(alt_km: float, inc_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """``(fast, direct)`` proton fluxes > 50 MeV over one day (60 s) of a circular orbit in the
    AP-8 MIN epoch field (1964), from 1994-07-15: at 300 km every SAA pass runs along the
    belt's lower edge, where AP-8 falls steeply and then stops."""
    from rossim.dynamics.circular import CircularOrbit
    from rossim.environment.radiation.trapped import fast_and_direct_flux
    from rossim.time import time_grid, to_time

    t0 = to_time("1994-07-15")
    lat, lon, alt = CircularOrbit(alt_km, inc_deg, epoch=t0).geodetic(
        time_grid(t0, 86400.0, 60.0))
    return fast_and_direct_flux(lat, lon, alt, 1964.0, 50.0, "p", "min")
