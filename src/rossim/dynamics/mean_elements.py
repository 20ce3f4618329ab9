"""Circular-orbit kinematics and the orbit from sampled mean elements.

- :func:`nodal_rate_rad_s`, :func:`arg_latitude_rate_rad_s`: J2 first-order secular rates of
  a circular orbit (Vallado, *Fundamentals of Astrodynamics*, 4th ed., eq. 9-41);
- :func:`circular_state_gcrf`: GCRF state of a circular orbit from its elements (shared by
  :class:`rossim.dynamics.circular.CircularOrbit` and :class:`MeanElementEphemeris`);
- :class:`MeanElementEphemeris`: the run's flown orbit from its hourly altitude and node (an
  :class:`rossim.dynamics.ephemeris.Ephemeris`).

Tests: ``tests/dynamics/test_ephemeris_contract.py`` (circular against numerical two-body and
J2), ``tests/dynamics/test_scenario_orbit.py``.
"""

from __future__ import annotations

import warnings
from typing import Any

import erfa
import numpy as np
from astropy.time import Time

from rossim.constants import GM_EARTH_M3_S2, J2, R_EQ_M
from rossim.dynamics.span import Outside, _grid, _nan_outside, _quiet_seconds, check_span
from rossim.errors import InputError

__all__ = ["MeanElementEphemeris", "arg_latitude_rate_rad_s", "circular_state_gcrf",
           "nodal_rate_rad_s"]




def nodal_rate_rad_s(a_m: Any, inclination_rad: Any) -> np.ndarray:
    """First-order J2 secular node rate (rad/s) of a circular orbit (Vallado, *Fundamentals
    of Astrodynamics*, 4th ed., eq. 9-41): ``-1.5 n J2 (R/a)^2 cos i``."""
    a = np.asarray(a_m, dtype=float)
    n = np.sqrt(GM_EARTH_M3_S2 / a ** 3)
    return -1.5 * n * J2 * (R_EQ_M / a) ** 2 * np.cos(inclination_rad)


def arg_latitude_rate_rad_s(a_m: Any, inclination_rad: Any) -> np.ndarray:
    """Secular rate of the argument of latitude (rad/s) of a circular orbit, J2 first order
    (Vallado eq. 9-41, perigee plus mean-anomaly drift): ``n [1 + 0.75 J2 (R/a)^2
    (8 cos^2 i - 2)]``."""
    a = np.asarray(a_m, dtype=float)
    n = np.sqrt(GM_EARTH_M3_S2 / a ** 3)
    ci = np.cos(inclination_rad)
    return n * (1.0 + 0.75 * J2 * (R_EQ_M / a) ** 2 * (8.0 * ci * ci - 2.0))


def circular_state_gcrf(a_m: Any, inclination_rad: Any, raan_rad: Any, u_rad: Any,
                        raan_rate_rad_s: Any = 0.0, u_rate_rad_s: Any = None
                        ) -> tuple[np.ndarray, np.ndarray]:
    """GCRF ``(r_m, v_m_s)`` (N, 3) of a circular orbit: radius ``a_m``, inclination, node
    ``raan_rad`` and argument of latitude ``u_rad`` (arrays broadcast). The velocity is the
    inertial one, ``a du/dt`` in the plane plus the node's motion (``raan_rate_rad_s``);
    ``u_rate_rad_s`` defaults to the Keplerian mean motion."""
    a, inc, om, u, dom = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(x, dtype=float))
          for x in (a_m, inclination_rad, raan_rad, u_rad, raan_rate_rad_s)))
    du = np.sqrt(GM_EARTH_M3_S2 / a ** 3) if u_rate_rad_s is None else np.broadcast_to(
        np.asarray(u_rate_rad_s, dtype=float), a.shape)
    cu, su, co, so = np.cos(u), np.sin(u), np.cos(om), np.sin(om)
    ci, si = np.cos(inc), np.sin(inc)
    # r = a (cos u P + sin u Q), P = (co, so, 0), Q = (-so ci, co ci, si)
    x = co * cu - so * su * ci
    y = so * cu + co * su * ci
    z = su * si
    r = a[:, None] * np.stack([x, y, z], axis=1)
    # dr/du and dr/dOmega
    dxu, dyu, dzu = -co * su - so * cu * ci, -so * su + co * cu * ci, cu * si
    dxo, dyo = -so * cu - co * su * ci, co * cu - so * su * ci
    v = a[:, None] * np.stack([du * dxu + dom * dxo, du * dyu + dom * dyo, du * dzu], axis=1)
    return r, v




def _as_time_array(epochs: Any) -> Time:
    e = np.asarray(epochs) if not isinstance(epochs, Time) else epochs
    if isinstance(e, np.ndarray) and np.issubdtype(e.dtype, np.datetime64):
        return Time(e.astype("datetime64[us]"), scale="utc")
    return _grid(e)


class MeanElementEphemeris:
    """A near-circular orbit from sampled mean elements, the argument of latitude integrated.

    Parameters
    ----------
    epochs:
        (K,) sample epochs, increasing: astropy ``Time`` or ``datetime64`` (UTC), e.g. the
        run's hourly grid.
    inclination_deg:
        Inclination (deg), scalar or (K,).
    raan_rad:
        (K,) right ascension of the ascending node (GCRF, rad) at the samples (unwrapped
        here; linear in between).
    semi_major_axis_m, altitude_m:
        (K,) mean semi-major axis (m), or altitude above the WGS84 equatorial radius (m):
        exactly one of the two. Linear in between samples (a reboost between two samples is
        spread over that interval).
    arg_latitude_rad:
        Argument of latitude at ``epochs[0]`` (rad).

    The argument of latitude is ``u(t) = u0 + integral of du/dt``, ``du/dt`` the J2 secular
    rate of :func:`arg_latitude_rate_rad_s` at the interpolated ``a`` (exact integral of the
    piecewise-linear rate, so the phase is continuous). With a constant ``a`` and the J2 node
    drift this is :class:`~rossim.dynamics.circular.CircularOrbit` exactly. Velocities are
    inertial (in-plane ``a du/dt`` plus the node's motion); the radial rate of a decaying orbit
    (mm/s) is neglected. Vectorised: no loop over epochs; memory ~0.3 kB per epoch while
    evaluating, so 4.2 M epochs (8 years at 60 s) are best asked in chunks of ~10^6
    (``state_gcrf_seconds`` skips the astropy time conversions).

    ``span`` is ``(epochs[0], epochs[-1])``.
    """

    def __init__(self, epochs: Any, inclination_deg: Any, raan_rad: Any, *,
                 semi_major_axis_m: Any = None, altitude_m: Any = None,
                 arg_latitude_rad: float = 0.0) -> None:
        t = _as_time_array(epochs)
        if len(t) < 2:
            raise InputError("argument", "epochs", len(t), "at least two sample epochs")
        self.t0 = t[0]
        self.x = _quiet_seconds(t, self.t0)
        if not np.all(np.diff(self.x) > 0):
            raise InputError("argument", "epochs", "not increasing", "increasing epochs")
        if (semi_major_axis_m is None) == (altitude_m is None):
            raise InputError("argument", "semi_major_axis_m/altitude_m", "both or neither",
                             "exactly one of semi_major_axis_m and altitude_m")
        a = (np.asarray(semi_major_axis_m, float) if semi_major_axis_m is not None
             else R_EQ_M + np.asarray(altitude_m, float))
        a = np.broadcast_to(a, self.x.shape).astype(float)
        if not np.all(np.isfinite(a)) or np.any(a <= R_EQ_M):
            raise InputError("argument", "semi_major_axis_m", float(np.nanmin(a)),
                             "finite semi-major axes above the Earth's radius")
        inc = np.radians(np.broadcast_to(np.asarray(inclination_deg, float), self.x.shape))
        om = np.unwrap(np.broadcast_to(np.asarray(raan_rad, float), self.x.shape))
        self.a, self.inc, self.raan = a, inc, om
        self.du = arg_latitude_rate_rad_s(a, inc)
        dx = np.diff(self.x)
        self.u = float(arg_latitude_rad) + np.concatenate(
            [[0.0], np.cumsum(0.5 * (self.du[:-1] + self.du[1:]) * dx)])
        self._span = (self.t0, t[-1])

    @property
    def span(self) -> tuple[Time, Time]:
        return self._span

    def elements_at_seconds(self, s: Any) -> dict[str, np.ndarray]:
        """Interpolated ``a_m``, ``inclination_rad``, ``raan_rad``, ``u_rad`` and the rates
        ``raan_rate_rad_s``, ``u_rate_rad_s`` at TT seconds ``s`` since ``epochs[0]``
        (no span check)."""
        x = np.atleast_1d(np.asarray(s, float))
        k = np.clip(np.searchsorted(self.x, x, side="right") - 1, 0, len(self.x) - 2)
        h = self.x[k + 1] - self.x[k]
        tau = x - self.x[k]
        w = tau / h
        a = self.a[k] + (self.a[k + 1] - self.a[k]) * w
        inc = self.inc[k] + (self.inc[k + 1] - self.inc[k]) * w
        dom = (self.raan[k + 1] - self.raan[k]) / h
        om = self.raan[k] + dom * tau
        du0, du1 = self.du[k], self.du[k + 1]
        u = self.u[k] + du0 * tau + 0.5 * (du1 - du0) / h * tau * tau
        return {"a_m": a, "inclination_rad": inc, "raan_rad": om, "u_rad": u,
                "raan_rate_rad_s": dom, "u_rate_rad_s": du0 + (du1 - du0) * w}

    def state_gcrf_seconds(self, s: Any) -> tuple[np.ndarray, np.ndarray]:
        """GCRF ``(r_m, v_m_s)`` (N, 3) at TT seconds ``s`` since ``epochs[0]`` (no span
        check: the fast path for long runs)."""
        e = self.elements_at_seconds(s)
        return circular_state_gcrf(e["a_m"], e["inclination_rad"], e["raan_rad"], e["u_rad"],
                                   e["raan_rate_rad_s"], e["u_rate_rad_s"])

    def state_gcrf(self, t: Any, outside: Outside = "raise") -> tuple[np.ndarray, np.ndarray]:
        tt = _grid(t)
        inside = check_span("flown orbit", self.span, tt, outside)
        r, v = self.state_gcrf_seconds(_quiet_seconds(tt, self.t0))
        return _nan_outside(r, v, inside)

    # The CircularOrbit-style views, so the flown orbit drops in where an analysis takes a
    # CircularOrbit (dose's ``geodetic``, beta angle).

    def positions_gcrf(self, t: Any) -> np.ndarray:
        """GCRF positions (N, 3), m, at epochs ``t`` (span checked)."""
        return self.state_gcrf(t)[0]

    def geodetic(self, t: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """WGS84 ``(lat_deg, lon_deg, alt_km)`` at epochs ``t``: GCRF -> ITRF with the same
        fast rotation as :meth:`rossim.dynamics.circular.CircularOrbit.geodetic`."""
        from rossim.frames.approx import gcrf_to_itrf_approx
        from rossim.frames.geodetic import itrf_to_geodetic

        tt = _grid(t)
        r = self.positions_gcrf(tt)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", erfa.ErfaWarning)
            lat, lon, alt_m = itrf_to_geodetic(gcrf_to_itrf_approx(r, tt))
        return lat, lon, np.asarray(alt_m) / 1000.0

    def normal_gcrf(self, t: Any) -> np.ndarray:
        """Unit normal (N, 3) of the mean orbit plane (GCRF) at epochs ``t`` (span checked)."""
        tt = _grid(t)
        check_span("flown orbit", self.span, tt, "raise")
        e = self.elements_at_seconds(_quiet_seconds(tt, self.t0))
        om, inc = e["raan_rad"], e["inclination_rad"]
        return np.stack([np.sin(om) * np.sin(inc), -np.cos(om) * np.sin(inc), np.cos(inc)],
                        axis=1)

    def beta_deg(self, t: Any) -> np.ndarray:
        """Beta angle (deg, N) of the mean orbit plane at epochs ``t`` (DE421 Sun)."""
        from rossim.environment.ephemeris import sun_position_gcrf

        tt = _grid(t)
        sun = np.atleast_2d(sun_position_gcrf(tt))
        sun = sun / np.linalg.norm(sun, axis=1)[:, None]
        h = self.normal_gcrf(tt)
        return np.degrees(np.arctan2(np.einsum("ij,ij->i", h, sun),
                                     np.linalg.norm(np.cross(h, sun), axis=1)))
