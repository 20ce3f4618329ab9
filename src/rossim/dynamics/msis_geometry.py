"""MSIS inputs along a trajectory, compiled: geodetic position and local-time longitude.

MSIS (pymsis) takes geodetic WGS84 latitude, longitude and height and UTC; the propagator
evaluates it in batches of a few hundred trajectory points per 6 h drag chunk
(:meth:`rossim.dynamics.force_tables.ForceTables.log_density`). Turning the GCRF positions
into those inputs with numpy (a 3x3 matrix per point interpolated from the Earth-orientation
grid, ERFA's geodetic conversion, the equation-of-time shift) cost about a third as much as
MSIS itself, nearly all of it per-call overhead; :func:`msis_geometry` does it in one
compiled loop with the propagator's own packed tables:

- GCRF->ITRF: the matrix of the compiled right-hand side
  (:func:`rossim.dynamics.forces._earth_matrix_into`, the same Earth-orientation grid and
  formula as :meth:`rossim.frames.earth.EarthOrientationGrid.matrix`);
- ITRF->geodetic: :func:`geodetic_wgs84`, a transcription of ERFA's ``eraGc2gde``
  (Fukushima 2006, one Halley step, exact to well below a millimetre; the same algorithm
  :func:`rossim.frames.geodetic.itrf_to_geodetic` calls through pyerfa);
- apparent local solar time (optional): the longitude handed to MSIS shifted by the equation
  of time, the Sun's GCRF position from the packed Sun table, as in
  :meth:`~rossim.dynamics.force_tables.ForceTables.log_density`.

Tested against the numpy/ERFA path in tests/dynamics/test_msis_geometry.py.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from rossim.constants import FLATTENING, R_EQ_M
from rossim.dynamics.forces import (
    _W_ROT,
    _W_SUN,
    F_TB_H,
    F_TB_T0,
    I_SUN,
    I_TB_N,
    _earth_matrix_into,
    _lagrange_into,
)

__all__ = ["geodetic_wgs84", "msis_geometry"]

#: Numba's on-disk cache keys this file's functions on this file only: change this line with
#: any change of the packed model's layout or of the callees imported from forces.py (as
#: dop853._RHS_LAYOUT).
_FORCES_LAYOUT = 1

_A = R_EQ_M
_F = FLATTENING


@njit(cache=True)
def geodetic_wgs84(x: float, y: float, z: float) -> tuple[float, float, float]:
    """``(lat_rad, lon_rad, height_m)`` of an ITRF position (m) on the WGS84 ellipsoid.

    Transcription of ERFA's ``eraGc2gde`` (SOFA ``iauGc2gde``; Fukushima, J. Geodesy 79,
    2006): the latitude from one Halley correction of a Newton start, exact to well below a
    millimetre for any point outside the Earth's core.
    """
    a = _A
    f = _F
    aeps2 = a * a * 1e-32
    e2 = (2.0 - f) * f
    e4t = e2 * e2 * 1.5
    ec2 = 1.0 - e2
    ec = math.sqrt(ec2)
    b = a * ec
    p2 = x * x + y * y
    elong = math.atan2(y, x) if p2 > 0.0 else 0.0
    absz = abs(z)
    if p2 > aeps2:
        p = math.sqrt(p2)
        s0 = absz / a
        pn = p / a
        zc = ec * s0
        c0 = ec * pn
        c02 = c0 * c0
        c03 = c02 * c0
        s02 = s0 * s0
        s03 = s02 * s0
        a02 = c02 + s02
        a0 = math.sqrt(a02)
        a03 = a02 * a0
        d0 = zc * a03 + e2 * s03
        f0 = pn * a03 - e2 * c03
        b0 = e4t * s02 * c02 * pn * (a0 - ec)
        s1 = d0 * f0 - b0 * s0
        cc = ec * (f0 * f0 - b0 * c0)
        phi = math.atan(s1 / cc)
        s12 = s1 * s1
        cc2 = cc * cc
        height = (p * cc + absz * s1 - a * math.sqrt(ec2 * s12 + cc2)) / math.sqrt(s12 + cc2)
    else:
        phi = math.pi / 2.0
        height = absz - b
    if z < 0.0:
        phi = -phi
    return phi, elong, height


@njit(cache=True)
def msis_geometry(x_s, r_gcrf, days, f, ii, work, apparent, floor_m, out):
    """MSIS position inputs at TT seconds ``x_s`` (n,) for GCRF positions ``r_gcrf`` (n, 3), m.

    ``days`` (n,): UTC as days since the Unix epoch (its fraction is the UTC time of day MSIS
    starts local time from); ``(f, ii, work)``: the packed force model
    (:func:`rossim.dynamics.forces.pack_model`, with its Earth-orientation and Sun tables);
    ``apparent``: shift the longitude so that MSIS's mean local time (UT + longitude) is the
    apparent one (Sun's hour angle); ``floor_m``: heights below it are raised to it.
    Writes ``out`` (n, 3): geodetic latitude (deg), longitude handed to MSIS (deg, -180..180)
    and height (km).
    """
    deg = 180.0 / math.pi
    for k in range(x_s.shape[0]):
        x = x_s[k]
        _earth_matrix_into(x, f, ii, work)
        r0 = r_gcrf[k, 0]
        r1 = r_gcrf[k, 1]
        r2 = r_gcrf[k, 2]
        q0 = work[_W_ROT] * r0 + work[_W_ROT + 1] * r1 + work[_W_ROT + 2] * r2
        q1 = work[_W_ROT + 3] * r0 + work[_W_ROT + 4] * r1 + work[_W_ROT + 5] * r2
        q2 = work[_W_ROT + 6] * r0 + work[_W_ROT + 7] * r1 + work[_W_ROT + 8] * r2
        lat, lon, h = geodetic_wgs84(q0, q1, q2)
        lon_d = lon * deg
        if apparent:
            _lagrange_into(f, ii[I_SUN], 3, ii[I_TB_N], f[F_TB_T0], f[F_TB_H], x, work, _W_SUN)
            sx = work[_W_SUN]
            sy = work[_W_SUN + 1]
            hour_angle = math.atan2(sx * r1 - sy * r0, sx * r0 + sy * r1)
            lst_apparent_h = 12.0 + hour_angle * deg / 15.0
            day_frac = days[k] - math.floor(days[k])
            lst_mean_h = day_frac * 24.0 + lon_d / 15.0
            shift = lst_apparent_h - lst_mean_h + 12.0
            shift_h = shift - 24.0 * math.floor(shift / 24.0) - 12.0
            lon_m = lon_d + 15.0 * shift_h + 180.0
            lon_d = lon_m - 360.0 * math.floor(lon_m / 360.0) - 180.0
        out[k, 0] = lat * deg
        out[k, 1] = lon_d
        out[k, 2] = max(h, floor_m) / 1000.0


def geometry(x_s: np.ndarray, r_gcrf: np.ndarray, days: np.ndarray, model: tuple,
             work: np.ndarray, apparent: bool, floor_m: float) -> np.ndarray:
    """:func:`msis_geometry` on contiguous float arrays; returns ``out`` (n, 3)."""
    f, ii, _ = model
    out = np.empty((len(x_s), 3))
    msis_geometry(np.ascontiguousarray(x_s, dtype=float),
                  np.ascontiguousarray(r_gcrf, dtype=float),
                  np.ascontiguousarray(days, dtype=float), f, ii, work, bool(apparent),
                  float(floor_m), out)
    return out
