"""Earth orientation: GCRF <-> ITRF (IAU 2006/2000A, CIO based, IERS 2010 conventions).

``r_itrf = R @ r_gcrf`` with ``R = W(xp, yp, s') @ R3(ERA) @ Q(X + dX, Y + dY, s)``:

- ``Q``: bias-precession-nutation (IAU 2006/2000A, :func:`erfa.xys06a`) corrected by the IERS
  celestial-pole offsets dX, dY;
- ``ERA``: Earth rotation angle from UT1 (:func:`erfa.era00`);
- ``W``: polar motion xp, yp and the TIO locator s' (:func:`erfa.pom00`).

UT1-UTC, xp, yp, dX, dY come from the IERS table shipped in ``astropy-iers-data`` (offline; never
downloaded). Velocities include the Earth's rotation (``omega x r`` about the CIP); the rate of
polar motion and of precession-nutation is neglected (below 1e-10 of the rotation term).

For the propagator, :class:`EarthOrientationGrid` tabulates ``Q``, ``W`` and UT1-TT on a coarse
grid and rebuilds ``R(t)`` inside compiled code: ``Q``/``W``/UT1-TT vary slowly and are
interpolated (4-point Lagrange), while the Earth rotation angle is applied exactly (linear in
UT1 by definition). :func:`grid_matrix_error` measures the interpolation error against the exact
chain (about 1e-12 rad for the default 3 h grid).
"""

from __future__ import annotations

from dataclasses import dataclass

import erfa
import numpy as np
from astropy.time import Time, TimeDelta
from astropy.utils import iers

from rossim.constants import ERA_RATE_RAD_S
from rossim.frames.eop_cache import install as _install_eop_table
from rossim.time import to_time

__all__ = [
    "OMEGA_EARTH_RAD_S",
    "EarthOrientationGrid",
    "earth_orientation_parameters",
    "gcrf_to_itrf",
    "gcrf_to_itrf_matrix",
    "grid_matrix_error",
    "itrf_to_gcrf",
]

# The IERS policy (never reach for the network: the table comes with astropy-iers-data) is set
# once, in rossim.time, which this module imports.

#: Rate of the Earth rotation angle, rad per second of UT1 (IERS 2010, eq. 5.15;
#: rossim.constants.ERA_RATE_RAD_S).
OMEGA_EARTH_RAD_S = ERA_RATE_RAD_S
_ARCSEC = np.pi / 180.0 / 3600.0


def _as_time(t) -> Time:
    return t if isinstance(t, Time) else to_time(t)


def earth_orientation_parameters(t: Time) -> tuple[np.ndarray, ...]:
    """IERS EOP at epochs ``t``: ``(ut1_minus_utc_s, xp_rad, yp_rad, dx_rad, dy_rad)``.

    Interpolated from the offline IERS Bulletin A/B table (``astropy-iers-data``). Beyond its
    end the last predicted values are held (astropy's behaviour with downloads disabled).
    """
    t = _as_time(t)
    _install_eop_table()   # astropy's table, parsed once per machine (rossim.cache)
    table = iers.earth_orientation_table.get()
    t_utc = t.utc
    import warnings

    with warnings.catch_warnings():
        # Predictions past the table's end: astropy warns; the values are held, as documented.
        warnings.simplefilter("ignore")
        dut1 = table.ut1_utc(t_utc.jd1, t_utc.jd2, return_status=False)
        xp, yp = table.pm_xy(t_utc.jd1, t_utc.jd2, return_status=False)
        dx, dy = table.dcip_xy(t_utc.jd1, t_utc.jd2, return_status=False)
    # dX/dY are published with a lag: where missing they are taken as zero (as Orekit does).
    return (
        np.asarray(dut1.to_value("s"), dtype=float),
        np.asarray(xp.to_value("arcsec"), dtype=float) * _ARCSEC,
        np.asarray(yp.to_value("arcsec"), dtype=float) * _ARCSEC,
        np.nan_to_num(np.asarray(dx.to_value("arcsec"), dtype=float)) * _ARCSEC,
        np.nan_to_num(np.asarray(dy.to_value("arcsec"), dtype=float)) * _ARCSEC,
    )


def _components(t: Time) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(Q, era, W, ut1_minus_tt_s)`` at epochs ``t`` (arrays, epoch axis first)."""
    t = np.atleast_1d(_as_time(t))
    dut1, xp, yp, dx, dy = earth_orientation_parameters(t)
    tt = t.tt
    utc = t.utc
    # UT1 = UTC + (UT1-UTC), two-part Julian dates. erfa.utcut1 reads the UTC quasi-JD of a
    # leap-second day (86,401 s) correctly; adding dut1/86400 to it would be 0.5 s off at noon.
    ut1_1, ut1_2 = erfa.utcut1(np.asarray(utc.jd1, dtype=float),
                               np.asarray(utc.jd2, dtype=float), dut1)
    x, y, s = erfa.xys06a(tt.jd1, tt.jd2)
    q = erfa.c2ixys(x + dx, y + dy, s)
    era = erfa.era00(ut1_1, ut1_2)
    w = erfa.pom00(xp, yp, erfa.sp00(tt.jd1, tt.jd2))
    ut1_minus_tt = ((ut1_1 - tt.jd1) + (ut1_2 - tt.jd2)) * 86400.0
    return q, era, w, ut1_minus_tt


def rotation_z(angle) -> np.ndarray:
    """Frame rotation about z by ``angle`` (rad): (..., 3, 3)."""
    angle = np.asarray(angle, dtype=float)
    c, s = np.cos(angle), np.sin(angle)
    out = np.zeros(angle.shape + (3, 3))
    out[..., 0, 0] = c
    out[..., 0, 1] = s
    out[..., 1, 0] = -s
    out[..., 1, 1] = c
    out[..., 2, 2] = 1.0
    return out


def gcrf_to_itrf_matrix(t) -> np.ndarray:
    """Rotation matrices ``(N, 3, 3)`` with ``r_itrf = R @ r_gcrf`` at epochs ``t``.

    IAU 2006/2000A CIO-based chain with IERS EOP (UT1-UTC, polar motion, dX/dY).
    """
    q, era, w, _ = _components(t)
    return w @ rotation_z(era) @ q


def _split_states(r, v, n: int) -> tuple[np.ndarray, np.ndarray | None]:
    r = np.asarray(r, dtype=float).reshape(-1, 3)
    if r.shape[0] == 1 and n > 1:
        r = np.broadcast_to(r, (n, 3))
    vv = None
    if v is not None:
        vv = np.asarray(v, dtype=float).reshape(-1, 3)
        if vv.shape[0] == 1 and n > 1:
            vv = np.broadcast_to(vv, (n, 3))
    return r, vv


def gcrf_to_itrf(r_m, v_m_s, t) -> tuple[np.ndarray, np.ndarray | None]:
    """GCRF position (m) and velocity (m/s), shape (N,3), to ITRF at epochs ``t``.

    The ITRF velocity is relative to the rotating Earth: ``v_itrf = W (R3 Q v - w x R3 Q r)``.
    ``v_m_s`` may be ``None`` (then only positions are converted).
    """
    q, era, w, _ = _components(t)
    r, v = _split_states(r_m, v_m_s, len(era))
    rq = rotation_z(era) @ q
    r_tirs = np.einsum("nij,nj->ni", rq, r)
    r_itrf = np.einsum("nij,nj->ni", w, r_tirs)
    if v is None:
        return r_itrf, None
    omega = np.array([0.0, 0.0, OMEGA_EARTH_RAD_S])
    v_tirs = np.einsum("nij,nj->ni", rq, v) - np.cross(omega, r_tirs)
    return r_itrf, np.einsum("nij,nj->ni", w, v_tirs)


def itrf_to_gcrf(r_m, v_m_s, t) -> tuple[np.ndarray, np.ndarray | None]:
    """ITRF position (m) and Earth-relative velocity (m/s), shape (N,3), to GCRF at ``t``."""
    q, era, w, _ = _components(t)
    r, v = _split_states(r_m, v_m_s, len(era))
    r_tirs = np.einsum("nji,nj->ni", w, r)
    rq_t = np.swapaxes(rotation_z(era) @ q, -1, -2)
    r_gcrf = np.einsum("nij,nj->ni", rq_t, r_tirs)
    if v is None:
        return r_gcrf, None
    omega = np.array([0.0, 0.0, OMEGA_EARTH_RAD_S])
    v_tirs = np.einsum("nji,nj->ni", w, v) + np.cross(omega, r_tirs)
    return r_gcrf, np.einsum("nij,nj->ni", rq_t, v_tirs)


@dataclass(frozen=True)
class EarthOrientationGrid:
    """GCRF->ITRF ingredients tabulated for compiled force models.

    ``t_s`` are TT seconds since ``epoch`` on a uniform grid of spacing ``step_s``; ``q`` and
    ``w`` are the (n, 3, 3) precession-nutation and polar-motion matrices, ``ut1_minus_tt_s``
    the UT1-TT offset, and ``era0_rad`` the Earth rotation angle at ``epoch``. The full
    matrix at TT seconds ``x`` after ``epoch`` is
    ``W(x) R3(era0 + OMEGA (x + d(x) - d(0))) Q(x)`` with ``d = UT1-TT`` (see
    :mod:`rossim.dynamics.forces` for the compiled evaluation).
    """

    epoch: Time
    step_s: float
    t_s: np.ndarray
    q: np.ndarray
    w: np.ndarray
    ut1_minus_tt_s: np.ndarray
    era0_rad: float

    @classmethod
    def build(cls, epoch, start_s: float, end_s: float,
              step_s: float = 10800.0) -> EarthOrientationGrid:
        """Tabulate from ``start_s`` to ``end_s`` TT seconds after ``epoch`` (with margins)."""
        epoch = _as_time(epoch)
        lo = min(start_s, end_s) - 2 * step_s
        hi = max(start_s, end_s) + 3 * step_s
        n = int(np.ceil((hi - lo) / step_s)) + 1
        t_s = lo + step_s * np.arange(n)
        q, _, w, dut = _components(epoch.tt + TimeDelta(t_s, format="sec"))
        _, era0, _, _ = _components(epoch.reshape(1) if epoch.isscalar else epoch[:1])
        return cls(epoch=epoch, step_s=float(step_s), t_s=t_s, q=q, w=w,
                   ut1_minus_tt_s=dut, era0_rad=float(era0[0]))

    def ut1_offset0_s(self) -> float:
        """UT1-TT at ``epoch`` (interpolated the same way as in compiled code)."""
        return float(_lagrange4(self.t_s[0], self.step_s, self.ut1_minus_tt_s[:, None],
                                0.0)[0, 0])

    def matrix(self, x_s) -> np.ndarray:
        """GCRF->ITRF matrices (N,3,3) at TT seconds ``x_s`` after ``epoch`` (interpolated)."""
        x_s = np.atleast_1d(np.asarray(x_s, dtype=float))
        q = _lagrange4(self.t_s[0], self.step_s, self.q.reshape(-1, 9), x_s).reshape(-1, 3, 3)
        w = _lagrange4(self.t_s[0], self.step_s, self.w.reshape(-1, 9), x_s).reshape(-1, 3, 3)
        d = _lagrange4(self.t_s[0], self.step_s, self.ut1_minus_tt_s[:, None], x_s)[:, 0]
        era = self.era0_rad + OMEGA_EARTH_RAD_S * (x_s + d - self.ut1_offset0_s())
        return w @ rotation_z(era) @ q


def _lagrange4(t0: float, h: float, table: np.ndarray, x: np.ndarray | float) -> np.ndarray:
    """4-point Lagrange interpolation of ``table`` (n, k) sampled at ``t0 + h*i``."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    u = (x - t0) / h
    i = np.clip(np.floor(u).astype(int) - 1, 0, len(table) - 4)
    p = u - i  # position within the 4 nodes i..i+3, nominally in [1, 2)
    c0 = -(p - 1) * (p - 2) * (p - 3) / 6.0
    c1 = p * (p - 2) * (p - 3) / 2.0
    c2 = -p * (p - 1) * (p - 3) / 2.0
    c3 = p * (p - 1) * (p - 2) / 6.0
    return (c0[:, None] * table[i] + c1[:, None] * table[i + 1] + c2[:, None] * table[i + 2]
            + c3[:, None] * table[i + 3])


def grid_matrix_error(epoch, duration_s: float, step_s: float = 10800.0,
                      samples: int = 200) -> float:
    """Largest rotation angle (rad) between the interpolated and the exact GCRF->ITRF matrix."""
    epoch = _as_time(epoch)
    grid = EarthOrientationGrid.build(epoch, 0.0, duration_s, step_s)
    x = np.linspace(0.0, duration_s, samples)
    exact = gcrf_to_itrf_matrix(epoch.tt + TimeDelta(x, format="sec"))
    approx = grid.matrix(x)
    d = approx @ np.swapaxes(exact, -1, -2)
    cos_angle = np.clip((np.trace(d, axis1=1, axis2=2) - 1.0) / 2.0, -1.0, 1.0)
    # arccos is ill-conditioned near 0: use the antisymmetric part instead.
    anti = np.stack([d[:, 2, 1] - d[:, 1, 2], d[:, 0, 2] - d[:, 2, 0],
                     d[:, 1, 0] - d[:, 0, 1]], axis=1) / 2.0
    angle = np.arctan2(np.linalg.norm(anti, axis=1), cos_angle)
    return float(angle.max())
