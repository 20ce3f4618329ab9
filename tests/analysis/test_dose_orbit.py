"""The analytic circular orbit used for dose analyses."""

import numpy as np
import pytest

from rossim.dynamics.circular import CircularOrbit
from rossim.errors import InputError
from rossim.frames.earth import gcrf_to_itrf_matrix
from rossim.time import time_grid

DEG_PER_DAY = 86400.0 * 180.0 / np.pi


def test_sun_synchronous_node_rate():
    """Sun-synchronous inclination at 400 km is 97.03 deg (Vallado, Fundamentals of
    Astrodynamics, 4th ed., sun-synchronous condition; Wertz, SMAD): the node must advance
    360 deg per tropical year, 0.9856 deg/day."""
    rate = CircularOrbit(400.0, 97.03).rates_rad_s[0] * DEG_PER_DAY
    assert rate == pytest.approx(360.0 / 365.2422, rel=0.01)


def test_itrf_against_full_earth_orientation():
    orbit = CircularOrbit(400.0, 51.6, epoch="2024-01-01")
    t = time_grid("2024-01-01", 365 * 86400.0, 86400.0 * 7)
    fast = orbit.positions_itrf(t)
    full = np.einsum("nij,nj->ni", gcrf_to_itrf_matrix(t), orbit.positions_gcrf(t))
    assert np.max(np.linalg.norm(fast - full, axis=1)) < 500.0


def test_geodetic_extent_and_bad_input():
    orbit = CircularOrbit(400.0, 51.6, epoch="2028-01-01")
    lat, lon, alt = orbit.geodetic(time_grid("2028-01-01", 86400.0, 30.0))
    assert 51.6 < lat.max() < 52.0 and -52.0 < lat.min() < -51.6
    assert np.all((alt > 399.0) & (alt < 425.0))
    with pytest.raises(InputError):
        CircularOrbit(90.0, 51.6)
    with pytest.raises(InputError):
        CircularOrbit(400.0, 190.0)
