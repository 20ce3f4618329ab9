"""TEME (the frame of SGP4 output) to and from GCRF.

SGP4 states are in TEME, "true equator, mean equinox": its z axis is the true (nutated) pole of
date and its x axis is the "uniform equinox" from which Greenwich Mean Sidereal Time (IAU 1982
formula, GMST82) is measured. Following Vallado et al. (2006), "Revisiting Spacetrack Report
#3", AIAA 2006-6753, section on coordinate frames, TEME is tied to the Earth through GMST82:

    r_PEF = R3(GMST82(UT1)) r_TEME

where PEF, the pseudo-Earth-fixed frame, is the terrestrial intermediate frame (TIRS) before
polar motion. From there the modern IAU 2006/2000A CIO-based chain gives GCRF:

    r_CIRS = R3(-ERA(UT1)) r_PEF,        r_GCRF = C(TT)^T r_CIRS

with ERA the Earth rotation angle and C the GCRS-to-CIRS matrix (ERFA ``c2i06a``). Together:

    r_GCRF = C(TT)^T R3(GMST82 - ERA) r_TEME

Polar motion policy: polar motion (and the TIO locator s') is applied going from PEF to ITRF
and undone coming back to GCRF, so it cancels exactly in TEME <-> GCRF and is not used here;
it matters only for Earth-fixed output, which :mod:`rossim.frames.earth` handles. The
celestial-pole offsets dX, dY from IERS are not applied (below 1 mas, under 3 cm at 7000 km).
UT1 enters only through GMST82 - ERA, whose rate is the precession rate in right ascension, so
a one-second UT1 error moves the result by about 0.06 mm: the conversion is effectively
independent of Earth-orientation data and valid for any future date.

Velocities are rotated with the same matrix. TEME turns relative to GCRF at about 7e-12 rad/s
(precession and nutation); ignoring that rate changes velocities by under 0.1 mm/s, as in
Vallado's reference implementation.

Validation: Vallado, Fundamentals of Astrodynamics and Applications, 4th ed., Example 3-15
(2004-04-06 07:51:28.386009 UTC): this module reproduces the published GCRF position to 4 mm
and velocity to 0.01 mm/s (tests/frames/test_teme.py). astropy's ``TEME`` frame (same
definition) and Skyfield's (TEME -> true-of-date via GAST - GMST82) agree to below 1 mm; they
are cross-checks only. Orekit 13.1.9's TEME differs by 31-34 mas (about 1 m at ISS radius)
because it uses IAU-76/80 precession-nutation without the IERS nutation corrections; the tests
rebuild that convention with ERFA and match Orekit to 0.05 mas, so the difference is the
convention, not an error.

For long time grids the precession-nutation matrix C is evaluated on hourly nodes and
interpolated linearly (error below 1e-10 rad, under 1 mm at GEO distance); short grids are
evaluated exactly at every epoch. :class:`TemeToGcrfSpan` tabulates those nodes once for a
span, for the many short calls of an event search inside it.
"""

from __future__ import annotations

import erfa
import numba
import numpy as np
from astropy.time import Time

import rossim.time as _rt  # noqa: F401  (sets the no-download IERS policy)
from rossim.frames.earth import rotation_z
from rossim.frames.eop_cache import install as _install_eop_table

__all__ = ["teme_to_gcrf_matrix", "teme_to_gcrf", "gcrf_to_teme", "TemeToGcrfSpan"]

_NODE_STEP_DAYS = 1.0 / 24.0
_NUMBA_MIN_VECTORS = 200_000


@numba.njit(cache=True)
def _rotate_many(m: np.ndarray, x: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover
    """``out[k, j] = m[j] @ x[k, j]`` for x of shape (K, N, 3) and m of shape (N, 3, 3)."""
    for k in range(x.shape[0]):
        for j in range(x.shape[1]):
            x0 = x[k, j, 0]
            x1 = x[k, j, 1]
            x2 = x[k, j, 2]
            for i in range(3):
                out[k, j, i] = m[j, i, 0] * x0 + m[j, i, 1] * x1 + m[j, i, 2] * x2


def _node_grid(jd_min: float, jd_max: float) -> np.ndarray:
    """The hourly nodes (days from J2000, TT) that bracket ``[jd_min, jd_max]``; at least 2."""
    k0 = np.floor(jd_min / _NODE_STEP_DAYS)
    k1 = max(np.ceil(jd_max / _NODE_STEP_DAYS), k0 + 1.0)
    # whole multiples of the step (an arange of float steps drifts: 0.4 ms below the hour
    # after a year, and an end on an hour fell outside the span's table)
    return _NODE_STEP_DAYS * np.arange(k0, k1 + 0.5)


def _interpolate(nodes: np.ndarray, mats: np.ndarray, jd: np.ndarray) -> np.ndarray:
    """Matrices ``mats`` (n,3,3) at ``nodes`` (days from J2000) interpolated linearly at
    ``jd`` (days from J2000), (N,3,3)."""
    pos = (jd - nodes[0]) / _NODE_STEP_DAYS
    i = np.clip(np.floor(pos).astype(np.int64), 0, nodes.size - 2)
    w = (pos - i)[:, None, None]
    return mats[i] * (1.0 - w) + mats[i + 1] * w


def _c2i(tt1: np.ndarray, tt2: np.ndarray) -> np.ndarray:
    """GCRS-to-CIRS matrix (IAU 2006/2000A) for TT two-part dates, (N,3,3)."""
    n = tt1.size
    if n <= 48:
        return erfa.c2i06a(tt1, tt2)
    jd = (tt1 - 2451545.0) + tt2  # days from J2000 (TT), full precision for node placement
    nodes = _node_grid(float(jd.min()), float(jd.max()))
    if nodes.size * 2 > n:
        return erfa.c2i06a(tt1, tt2)
    mats = erfa.c2i06a(np.full(nodes.shape, 2451545.0), nodes)
    return _interpolate(nodes, mats, jd)


class TemeToGcrfSpan:
    """TEME -> GCRF for epochs inside one span, with the precession-nutation matrix C(TT)
    tabulated once on the span's hourly nodes.

    :func:`teme_to_gcrf` on a long grid interpolates C between the same nodes; here the
    table is built once (``start`` to ``end``, astropy ``Time``), so that many short calls
    inside the span, such as an event search's refinement steps, each cost no IAU 2000A
    series (error below 1e-10 rad, as the long grids'). Inside the span the nodes and the
    interpolation are :func:`teme_to_gcrf`'s on a long grid (equal to rounding); epochs
    outside the span are converted as :func:`teme_to_gcrf` does.
    """

    def __init__(self, start: Time, end: Time) -> None:
        a, b = start.tt, end.tt
        jd_a = float((a.jd1 - 2451545.0) + a.jd2)
        jd_b = float((b.jd1 - 2451545.0) + b.jd2)
        self.nodes = _node_grid(min(jd_a, jd_b), max(jd_a, jd_b))
        self.mats = erfa.c2i06a(np.full(self.nodes.shape, 2451545.0), self.nodes)

    def matrix(self, t: Time) -> np.ndarray:
        """As :func:`teme_to_gcrf_matrix` (shape ``t.shape + (3, 3)``)."""
        tt = t.tt
        tt1 = np.atleast_1d(np.asarray(tt.jd1, dtype=float)).ravel()
        tt2 = np.atleast_1d(np.asarray(tt.jd2, dtype=float)).ravel()
        jd = (tt1 - 2451545.0) + tt2
        if jd.size == 0 or jd.min() < self.nodes[0] or jd.max() > self.nodes[-1]:
            return teme_to_gcrf_matrix(t)
        c2i = _interpolate(self.nodes, self.mats, jd)
        m = np.matmul(np.swapaxes(c2i, -1, -2), rotation_z(_gmst82_minus_era(t)))
        return m[0] if t.isscalar else m.reshape(t.shape + (3, 3))

    def __call__(self, r_m: np.ndarray, v_m_s: np.ndarray | None, t: Time
                 ) -> tuple[np.ndarray, np.ndarray | None]:
        """As :func:`teme_to_gcrf`."""
        m = self.matrix(t)
        return _apply(m, r_m, t, "r_m"), _apply(m, v_m_s, t, "v_m_s")


def _gmst82_minus_era(t: Time) -> np.ndarray:
    """GMST82 - ERA (rad) at epochs ``t`` (UT1), (N,)."""
    _install_eop_table()   # astropy's IERS table for UT1, parsed once per machine
    ut1 = t.ut1
    u1 = np.atleast_1d(np.asarray(ut1.jd1, dtype=float)).ravel()
    u2 = np.atleast_1d(np.asarray(ut1.jd2, dtype=float)).ravel()
    return erfa.gmst82(u1, u2) - erfa.era00(u1, u2)


def teme_to_gcrf_matrix(t: Time) -> np.ndarray:
    """Rotation matrices ``M`` with ``r_GCRF = M @ r_TEME`` at epochs ``t``.

    Returns an array of shape ``t.shape + (3, 3)`` (``(3, 3)`` for a scalar epoch).
    """
    scalar = t.isscalar
    tt = t.tt
    theta = _gmst82_minus_era(t)
    tt1 = np.atleast_1d(np.asarray(tt.jd1, dtype=float)).ravel()
    tt2 = np.atleast_1d(np.asarray(tt.jd2, dtype=float)).ravel()
    c2i = _c2i(tt1, tt2)
    m = np.matmul(np.swapaxes(c2i, -1, -2), rotation_z(theta))
    if scalar:
        return m[0]
    return m.reshape(t.shape + (3, 3))


def _apply(m: np.ndarray, x: np.ndarray | None, t: Time, name: str) -> np.ndarray | None:
    if x is None:
        return None
    x = np.asarray(x, dtype=float)
    if x.shape[-1:] != (3,):
        raise ValueError(f"{name} must have a last axis of length 3, got shape {x.shape}")
    if t.isscalar:
        return x @ m.T
    n = t.size
    if x.ndim < 2 or x.shape[-2] != n:
        raise ValueError(
            f"{name} must have shape (..., {n}, 3) to match {n} epochs, got {x.shape}")
    m = np.ascontiguousarray(m.reshape(n, 3, 3))
    if x.size >= _NUMBA_MIN_VECTORS * 3:
        # Many objects x many epochs (SGP4 catalogues): a compiled loop is ~5x faster than
        # any numpy formulation, which all pass over the data several times.
        flat = np.ascontiguousarray(x.reshape(-1, n, 3))
        out = np.empty_like(flat)
        _rotate_many(m, flat, out)
        return out.reshape(x.shape)
    out = np.empty(np.broadcast_shapes(x.shape, (n, 3)))
    for i in range(3):
        out[..., i] = m[:, i, 0] * x[..., 0] + m[:, i, 1] * x[..., 1] + m[:, i, 2] * x[..., 2]
    return out


def teme_to_gcrf(r_m: np.ndarray, v_m_s: np.ndarray | None, t: Time
                 ) -> tuple[np.ndarray, np.ndarray | None]:
    """Convert TEME position (m) and velocity (m/s) to GCRF.

    Parameters
    ----------
    r_m, v_m_s:
        TEME position and velocity. With ``N`` epochs they have shape ``(..., N, 3)`` (for
        example ``(N, 3)`` for one object or ``(n_objects, N, 3)`` for many); with a scalar
        epoch, ``(..., 3)``. ``v_m_s`` may be ``None``. Any length unit works for ``r``
        (the conversion is a rotation); rossim uses metres.
    t:
        Epochs (astropy ``Time``, any scale).

    Returns
    -------
    (r, v):
        GCRF position and velocity in the input units, same shapes.
    """
    m = teme_to_gcrf_matrix(t)
    return _apply(m, r_m, t, "r_m"), _apply(m, v_m_s, t, "v_m_s")


def gcrf_to_teme(r_m: np.ndarray, v_m_s: np.ndarray | None, t: Time
                 ) -> tuple[np.ndarray, np.ndarray | None]:
    """Inverse of :func:`teme_to_gcrf`: GCRF position (m) and velocity (m/s) to TEME."""
    m = np.swapaxes(teme_to_gcrf_matrix(t), -1, -2)
    return _apply(m, r_m, t, "r_m"), _apply(m, v_m_s, t, "v_m_s")
