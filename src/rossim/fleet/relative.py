"""Relative motion about the station in its LVLH frame.

Frame: rossim's LVLH (:mod:`rossim.frames.local`, CCSDS/ISS convention, as Fehse's
*Automated Rendezvous and Docking of Spacecraft*): **x along-track (V-bar), y = -orbit normal
(-H-bar), z nadir (R-bar, towards the Earth)**, origin at the station's centre of mass, axes
rotating with the station's orbit. Relative states are ``(N, 6)`` arrays ``[x, y, z, vx, vy,
vz]`` (m, m/s) with the velocity seen **in the rotating frame**.

Two models:

* :func:`hcw_propagate`: the Hill-Clohessy-Wiltshire (HCW) linearisation about a circular
  reference orbit of mean motion ``n`` (rad/s), closed form, vectorised over objects and times,
  with an optional constant differential acceleration per object (differential drag). Its
  error against the nonlinear two-body motion grows as ``rho^2 / r`` (``rho`` the separation,
  ``r`` the orbit radius); see ``tests/fleet/test_relative.py`` for the stated bound.
* :func:`inertial_to_lvlh`: the exact transformation of any inertial (GCRF) pair of states,
  used on the nonlinear truth from :func:`rossim.dynamics.propagator.propagate`
  (:func:`relative_truth`).

Relative orbits are parametrised as in D'Amico's relative orbital elements, in metres (``a``
times the dimensionless elements): ``da`` (radial offset of the ellipse's centre, drives the
along-track drift ``-1.5 n da``), ``dlambda`` (mean along-track offset), ``ae``/``phase_e``
(relative eccentricity vector: radial amplitude ``ae``, along-track amplitude ``2 ae``) and
``ai``/``phase_i`` (relative inclination vector: cross-track amplitude). With parallel vectors
(``phase_e == phase_i``) the radial and cross-track oscillations are in quadrature, so the
separation in the radial/cross-track plane never drops below ``min(ae, ai)``: the orbit is
passively safe against along-track uncertainty (D'Amico & Montenbruck 2006, *J. Guidance*
29(3) 554-563).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rossim.constants import GM_EARTH_M3_S2
from rossim.errors import InputError
from rossim.frames.local import lvlh_matrix

__all__ = [
    "MU_EARTH_M3_S2", "RelativeOrbit", "hcw_propagate", "hcw_stm", "inertial_to_lvlh",
    "lvlh_to_inertial", "mean_motion", "relative_orbit_from_state", "HCWEphemeris",
]

MU_EARTH_M3_S2 = GM_EARTH_M3_S2  # rossim.constants

# Hill frame (x radial up, y along-track, z orbit normal) -> rossim LVLH.
_T3 = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, -1.0], [-1.0, 0.0, 0.0]])


def mean_motion(radius_m: float) -> float:
    """Mean motion (rad/s) of a circular orbit of radius ``radius_m`` (m)."""
    return float(np.sqrt(MU_EARTH_M3_S2 / float(radius_m) ** 3))


def _hill_free(n: float, t: np.ndarray, x0: np.ndarray) -> np.ndarray:
    """HCW free motion in the Hill frame. ``t`` (T,), ``x0`` (N,6) -> (T,N,6)."""
    nt = n * t[:, None]
    s, c = np.sin(nt), np.cos(nt)
    x, y, z, vx, vy, vz = (x0[None, :, k] for k in range(6))
    out = np.empty((t.size, x0.shape[0], 6))
    out[..., 0] = (4 - 3 * c) * x + s / n * vx + 2 / n * (1 - c) * vy
    out[..., 1] = 6 * (s - nt) * x + y - 2 / n * (1 - c) * vx + (4 * s - 3 * nt) / n * vy
    out[..., 2] = c * z + s / n * vz
    out[..., 3] = 3 * n * s * x + c * vx + 2 * s * vy
    out[..., 4] = -6 * n * (1 - c) * x - 2 * s * vx + (4 * c - 3) * vy
    out[..., 5] = -n * s * z + c * vz
    return out


def _hill_forced(n: float, t: np.ndarray, acc: np.ndarray) -> np.ndarray:
    """Response from rest to a constant acceleration ``acc`` (N,3, Hill frame) -> (T,N,6)."""
    nt = n * t[:, None]
    tt = t[:, None]
    s, c = np.sin(nt), np.cos(nt)
    ax, ay, az = (acc[None, :, k] for k in range(3))
    out = np.empty((t.size, acc.shape[0], 6))
    out[..., 0] = ax * (1 - c) / n**2 + ay * 2 * (nt - s) / n**2
    out[..., 1] = -ax * 2 * (nt - s) / n**2 + ay * (4 * (1 - c) / n**2 - 1.5 * tt**2)
    out[..., 2] = az * (1 - c) / n**2
    out[..., 3] = ax * s / n + ay * 2 * (1 - c) / n
    out[..., 4] = -ax * 2 * (1 - c) / n + ay * (4 * s / n - 3 * tt)
    out[..., 5] = az * s / n
    return out


def _to_hill(state: np.ndarray) -> np.ndarray:
    out = np.empty_like(state)
    out[..., :3] = state[..., :3] @ _T3  # T^-1 = T^T, row vectors: v_hill = v_lvlh @ T
    out[..., 3:] = state[..., 3:] @ _T3
    return out


def _to_lvlh(state: np.ndarray) -> np.ndarray:
    out = np.empty_like(state)
    out[..., :3] = state[..., :3] @ _T3.T
    out[..., 3:] = state[..., 3:] @ _T3.T
    return out


def hcw_propagate(state0_lvlh, n_rad_s: float, t_s, accel_lvlh_m_s2=None) -> np.ndarray:
    """HCW relative states at times ``t_s`` after the initial states (closed form).

    Parameters
    ----------
    state0_lvlh:
        Initial LVLH relative states (N,6) or (6,), m and m/s (rotating-frame velocity).
    n_rad_s:
        Mean motion of the circular reference orbit (rad/s).
    t_s:
        Times since the initial states (T,) s (any sign).
    accel_lvlh_m_s2:
        Optional constant acceleration of each object relative to the station (N,3) or (3,),
        LVLH, m/s^2 (e.g. differential drag ``(-delta, 0, 0)``).

    Returns
    -------
    (T, N, 6) LVLH states.
    """
    x0 = np.atleast_2d(np.asarray(state0_lvlh, dtype=float))
    t = np.atleast_1d(np.asarray(t_s, dtype=float))
    out = _hill_free(float(n_rad_s), t, _to_hill(x0))
    if accel_lvlh_m_s2 is not None:
        acc = np.broadcast_to(np.atleast_2d(np.asarray(accel_lvlh_m_s2, float)), (x0.shape[0], 3))
        out += _hill_forced(float(n_rad_s), t, acc @ _T3)
    return _to_lvlh(out)


def hcw_stm(n_rad_s: float, t_s: float) -> np.ndarray:
    """The 6x6 HCW state-transition matrix (LVLH) over ``t_s`` seconds."""
    cols = hcw_propagate(np.eye(6), n_rad_s, [t_s])[0]  # (6 initial unit states, 6)
    return cols.T


def inertial_to_lvlh(r_chief, v_chief, r_deputy, v_deputy) -> np.ndarray:
    """Exact LVLH relative state (N,6) of deputies about a chief, from inertial states.

    ``r_*`` (m), ``v_*`` (m/s) in the same inertial frame (GCRF), shapes (N,3) broadcastable.
    The velocity is taken in the rotating frame: ``M (v_d - v_c) - w x rho`` with the frame's
    angular velocity ``w = h / r^2`` along the orbit normal (``-y`` in LVLH).
    """
    rc = np.atleast_2d(np.asarray(r_chief, float))
    vc = np.atleast_2d(np.asarray(v_chief, float))
    rd = np.atleast_2d(np.asarray(r_deputy, float))
    vd = np.atleast_2d(np.asarray(v_deputy, float))
    m = lvlh_matrix(rc, vc)
    rho = np.einsum("nij,nj->ni", m, rd - rc)
    dv = np.einsum("nij,nj->ni", m, vd - vc)
    h = np.linalg.norm(np.cross(rc, vc), axis=-1)
    w = h / np.sum(rc * rc, axis=-1)
    omega = np.zeros_like(rho)
    omega[:, 1] = -w
    return np.concatenate([rho, dv - np.cross(omega, rho)], axis=-1)


def lvlh_to_inertial(r_chief, v_chief, state_lvlh) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`inertial_to_lvlh`: deputy inertial ``(r, v)`` (N,3) from LVLH states."""
    rc = np.atleast_2d(np.asarray(r_chief, float))
    vc = np.atleast_2d(np.asarray(v_chief, float))
    s = np.atleast_2d(np.asarray(state_lvlh, float))
    m = lvlh_matrix(rc, vc)
    h = np.linalg.norm(np.cross(rc, vc), axis=-1)
    omega = np.zeros_like(s[:, :3])
    omega[:, 1] = -h / np.sum(rc * rc, axis=-1)
    dv_rot = s[:, 3:] + np.cross(omega, s[:, :3])
    r = rc + np.einsum("nji,nj->ni", m, s[:, :3])
    v = vc + np.einsum("nji,nj->ni", m, dv_rot)
    return r, v


@dataclass(frozen=True)
class RelativeOrbit:
    """A relative orbit about the station, relative orbital elements in metres.

    ``da`` radial offset of the centre (m, positive = above the station: drifts behind),
    ``dlambda`` mean along-track offset (m, positive = ahead), ``ae`` radial amplitude (m;
    along-track amplitude ``2 ae``), ``ai`` cross-track amplitude (m), ``phase_e_rad`` and
    ``phase_i_rad`` the phases of the relative eccentricity and inclination vectors, measured
    from the epoch at which the orbit is defined (``t = 0``).
    """

    da: float = 0.0
    dlambda: float = 0.0
    ae: float = 0.0
    ai: float = 0.0
    phase_e_rad: float = 0.0
    phase_i_rad: float = 0.0

    def state(self, n_rad_s: float, t_s=0.0) -> np.ndarray:
        """LVLH states (T,6) on this relative orbit at times ``t_s`` (HCW, no drag)."""
        n = float(n_rad_s)
        t = np.atleast_1d(np.asarray(t_s, float))
        pe = n * t - self.phase_e_rad
        pi_ = n * t - self.phase_i_rad
        radial_up = self.da - self.ae * np.cos(pe)
        along = self.dlambda - 1.5 * n * self.da * t + 2 * self.ae * np.sin(pe)
        normal = self.ai * np.sin(pi_)
        v_up = self.ae * n * np.sin(pe)
        v_along = -1.5 * n * self.da + 2 * self.ae * n * np.cos(pe)
        v_normal = self.ai * n * np.cos(pi_)
        return np.stack([along, -normal, -radial_up, v_along, -v_normal, -v_up], axis=-1)

    @property
    def passively_safe(self) -> bool:
        """Parallel e/i vectors (within 15 deg), no drift and both amplitudes non-zero."""
        d = (self.phase_e_rad - self.phase_i_rad + np.pi) % (2 * np.pi) - np.pi
        return abs(d) <= np.radians(15.0) and self.ae > 0 and self.ai > 0 and self.da == 0.0

    @property
    def min_radial_cross_m(self) -> float:
        """Lower bound of the radial/cross-track distance from the station's V-bar (m)."""
        d = (self.phase_e_rad - self.phase_i_rad + np.pi) % (2 * np.pi) - np.pi
        # Distance of the (radial, normal) ellipse from the origin; exact for parallel vectors,
        # reduced by the phase mismatch otherwise (vanishes at 90 deg).
        return float(min(self.ae, self.ai) * abs(np.cos(d)))

    def size_m(self) -> tuple[float, float, float]:
        """Semi-axes of the (bounded part of the) orbit: along-track, cross-track, radial (m)."""
        return (2.0 * self.ae, self.ai, self.ae)


def relative_orbit_from_state(state_lvlh, n_rad_s: float) -> RelativeOrbit:
    """The HCW relative orbit (at ``t = 0``) through an LVLH state (6,)."""
    s = np.asarray(state_lvlh, float).reshape(6)
    if not np.all(np.isfinite(s)):
        raise InputError("argument", "state_lvlh", s.tolist(), "six finite numbers (m, m/s)")
    n = float(n_rad_s)
    x_up, y_al, z_n = -s[2], s[0], -s[1]
    vx_up, vy_al, vz_n = -s[5], s[3], -s[4]
    # x = da - ae cos(-pe), vx = ae n sin(-pe), vy = -1.5 n da + 2 ae n cos(-pe)
    da = 4 * x_up + 2 * vy_al / n
    ae_c = da - x_up                      # ae cos(pe0) with pe0 = -phase
    ae_s = vx_up / n                      # ae sin(-phase)
    ae = float(np.hypot(ae_c, ae_s))
    phase_e = float(np.arctan2(-ae_s, ae_c)) if ae > 0 else 0.0
    dlambda = y_al - 2 * ae * np.sin(-phase_e)
    ai = float(np.hypot(z_n, vz_n / n))
    phase_i = float(np.arctan2(-z_n, vz_n / n)) if ai > 0 else 0.0
    return RelativeOrbit(da=float(da), dlambda=float(dlambda), ae=ae, ai=ai,
                         phase_e_rad=phase_e, phase_i_rad=phase_i)


class HCWEphemeris:
    """HCW relative motion of many objects as a fast ``states(t) -> (T, N, 6)`` function.

    The HCW solution with constant accelerations is, per object and axis, a combination of
    ``1, t, sin(n t), cos(n t), t^2``; the coefficients are found once (from
    :func:`hcw_propagate` at five instants) and every later evaluation is one small matrix
    product, which is what screening a thousand objects over a week needs.

    ``t0_s`` is the time of the initial states on the caller's clock.
    """

    def __init__(self, state0_lvlh, n_rad_s: float, accel_lvlh_m_s2=None,
                 t0_s: float = 0.0) -> None:
        x0 = np.atleast_2d(np.asarray(state0_lvlh, dtype=float))
        self.n = float(n_rad_s)
        self.t0 = float(t0_s)
        period = 2 * np.pi / self.n
        nodes = np.array([0.0, 0.13, 0.31, 0.52, 0.77]) * period
        samples = hcw_propagate(x0, self.n, nodes, accel_lvlh_m_s2)[..., :3]   # (5, N, 3)
        basis = self._basis(nodes)                                             # (5, 5)
        coef = np.linalg.solve(basis, samples.reshape(5, -1))                  # (5, 3N)
        self._coef = coef
        self.count = x0.shape[0]

    def _basis(self, t: np.ndarray) -> np.ndarray:
        nt = self.n * t
        return np.stack([np.ones_like(t), t, np.sin(nt), np.cos(nt), t * t], axis=1)

    def _dbasis(self, t: np.ndarray) -> np.ndarray:
        nt = self.n * t
        return np.stack([np.zeros_like(t), np.ones_like(t), self.n * np.cos(nt),
                         -self.n * np.sin(nt), 2 * t], axis=1)

    def positions(self, t_s) -> np.ndarray:
        """LVLH positions (T, N, 3), m."""
        t = np.atleast_1d(np.asarray(t_s, float)) - self.t0
        return _products(self._basis(t), self._coef).reshape(t.size, self.count, 3)

    def __call__(self, t_s) -> np.ndarray:
        """LVLH states (T, N, 6), m and m/s."""
        t = np.atleast_1d(np.asarray(t_s, float)) - self.t0
        out = np.empty((t.size, self.count, 6))
        out[..., :3] = _products(self._basis(t), self._coef).reshape(t.size, self.count, 3)
        out[..., 3:] = _products(self._dbasis(t), self._coef).reshape(t.size, self.count, 3)
        return out


#: Rows (times) of one BLAS product of :class:`HCWEphemeris`: a longer evaluation (a year at
#: 10 s, the whole span of ``rossim fleet`` at once) is done in parts of this many rows or
#: more, so that a Ctrl-C is acted on between them (Python runs no signal handler inside a
#: BLAS call, and ``(T, 5) @ (5, 3N)`` for a month at 1 s took 5 to 8 s on 2 loaded cores).
#: Every part has at least this many rows (a single-row product is BLAS's matrix-vector
#: path, whose last bit may differ): the rows are the single product's, bit for bit
#: (``tests/fleet/test_family_paused.py``).
ROWS_PER_CALL = 65536


def _products(basis: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """``basis @ coef`` in parts of :data:`ROWS_PER_CALL` rows or more."""
    parts = basis.shape[0] // ROWS_PER_CALL
    if parts <= 1:
        return basis @ coef
    out = np.empty((basis.shape[0], coef.shape[1]))
    edges = np.linspace(0, basis.shape[0], parts + 1).astype(np.int64)
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        out[a:b] = basis[a:b] @ coef
    return out
