"""ITRF Cartesian coordinates to and from WGS84 geodetic latitude, longitude and height.

The conversions are ERFA's (``erfa.gc2gd`` / ``erfa.gd2gc``, the IAU SOFA algorithms, exact to
well below a millimetre), vectorised over points. Angles at the edges are degrees, lengths
metres. Also: the local East-North-Up basis of a site, used for azimuth and elevation.
"""

from __future__ import annotations

from typing import Any

import erfa
import numpy as np

from rossim.constants import FLATTENING, R_EQ_M
from rossim.errors import InputError

__all__ = ["WGS84_A_M", "WGS84_F", "itrf_to_geodetic", "geodetic_to_itrf", "enu_matrix"]

#: WGS84 semi-major axis (m) and flattening (rossim.constants).
WGS84_A_M = R_EQ_M
WGS84_F = FLATTENING
_WGS84 = 1  # ERFA's ellipsoid identifier for WGS84


def itrf_to_geodetic(r_itrf_m: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lat_deg, lon_deg, alt_m)`` of ITRF positions (m), shape (N, 3) or (3,).

    Longitude is in (-180, 180]; altitude is the height above the WGS84 ellipsoid.
    """
    r = np.atleast_2d(np.asarray(r_itrf_m, dtype=float))
    if r.shape[-1] != 3 or r.ndim != 2:
        raise InputError(None, "r_itrf_m", r.shape, "an array of shape (N, 3) in m")
    if not np.all(np.isfinite(r)) or np.any(np.linalg.norm(r, axis=1) == 0.0):
        raise InputError(None, "r_itrf_m", "non-finite or zero vector", "finite non-zero positions")
    lon, lat, height = erfa.gc2gd(_WGS84, r)
    return np.degrees(lat), np.degrees(lon), np.asarray(height, dtype=float)


def geodetic_to_itrf(lat_deg: Any, lon_deg: Any, alt_m: Any) -> np.ndarray:
    """ITRF positions (m), shape (N, 3), of WGS84 geodetic points (broadcast together)."""
    lat, lon, alt = np.broadcast_arrays(np.atleast_1d(np.asarray(lat_deg, dtype=float)),
                                        np.atleast_1d(np.asarray(lon_deg, dtype=float)),
                                        np.atleast_1d(np.asarray(alt_m, dtype=float)))
    if not (np.all(np.isfinite(lat)) and np.all(np.abs(lat) <= 90.0)):
        raise InputError(None, "lat_deg", lat_deg, "latitudes from -90 to 90 deg")
    if not (np.all(np.isfinite(lon)) and np.all(np.isfinite(alt))):
        raise InputError(None, "lon_deg/alt_m", (lon_deg, alt_m), "finite numbers")
    return np.asarray(erfa.gd2gc(_WGS84, np.radians(lon), np.radians(lat), alt),
                      dtype=float).reshape(-1, 3)


def enu_matrix(lat_deg: Any, lon_deg: Any) -> np.ndarray:
    """Rows East, North, Up (geodetic normal) of sites, in ITRF: shape (N, 3, 3).

    ``enu = M @ (r_itrf - r_site)`` gives local East-North-Up components.
    """
    lat = np.radians(np.atleast_1d(np.asarray(lat_deg, dtype=float)))
    lon = np.radians(np.atleast_1d(np.asarray(lon_deg, dtype=float)))
    lat, lon = np.broadcast_arrays(lat, lon)
    sl, cl = np.sin(lat), np.cos(lat)
    so, co = np.sin(lon), np.cos(lon)
    zero = np.zeros_like(lat)
    east = np.stack([-so, co, zero], axis=-1)
    north = np.stack([-sl * co, -sl * so, cl], axis=-1)
    up = np.stack([cl * co, cl * so, sl], axis=-1)
    return np.stack([east, north, up], axis=-2)
