"""WGS84 geodetic conversions against Skyfield's independent implementation."""

from __future__ import annotations

import numpy as np
import pytest
from skyfield.api import wgs84

from rossim.errors import InputError
from rossim.frames.geodetic import enu_matrix, geodetic_to_itrf, itrf_to_geodetic

LAT = np.array([55.9, -33.87, 0.0, 89.999, -90.0, 45.0])
LON = np.array([38.0, 151.21, -179.5, 10.0, 0.0, 180.0])
ALT = np.array([150.0, 20.0, 0.0, 420e3, -50.0, 35_786e3])


def test_forward_against_skyfield():
    """skyfield.toposlib.wgs84 (its own closed-form formulas) to 1 mm."""
    ours = geodetic_to_itrf(LAT, LON, ALT)
    ref = np.array([wgs84.latlon(a, b, elevation_m=h).itrs_xyz.m
                    for a, b, h in zip(LAT, LON, ALT, strict=True)])
    assert np.max(np.abs(ours - ref)) < 1e-3


def test_round_trip_and_pole():
    lat, lon, alt = itrf_to_geodetic(geodetic_to_itrf(LAT, LON, ALT))
    # 1e-8 deg is 7 mm at geostationary distance.
    assert np.max(np.abs(lat - LAT)) < 1e-8
    assert np.max(np.abs(alt - ALT)) < 1e-6
    ok = np.abs(LAT) < 89.0
    dlon = (lon - LON + 180.0) % 360.0 - 180.0
    assert np.max(np.abs(dlon[ok])) < 1e-9
    # The pole: polar radius b = a (1 - f) = 6356752.314245 m (WGS84 definition).
    lat, _, alt = itrf_to_geodetic([0.0, 0.0, 6_356_752.314245 + 1000.0])
    assert lat[0] == pytest.approx(90.0, abs=1e-12) and alt[0] == pytest.approx(1000.0, abs=1e-6)


def test_enu_is_orthonormal_and_up_is_normal():
    m = enu_matrix(LAT, LON)
    assert np.allclose(m @ np.swapaxes(m, 1, 2), np.eye(3), atol=1e-14)
    # Up is the ellipsoid normal: moving along it changes only the height.
    p = geodetic_to_itrf(LAT[:3], LON[:3], 0.0) + 1000.0 * m[:3, 2]
    lat, _, alt = itrf_to_geodetic(p)
    assert np.max(np.abs(lat - LAT[:3])) < 1e-9 and np.max(np.abs(alt - 1000.0)) < 1e-6


def test_bad_input():
    with pytest.raises(InputError):
        geodetic_to_itrf(91.0, 0.0, 0.0)
    with pytest.raises(InputError):
        itrf_to_geodetic([[0.0, 0.0]])
