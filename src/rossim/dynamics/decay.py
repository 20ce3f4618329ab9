"""Orbit-averaged decay of a near-circular orbit under drag, for multi-year simulations.

For a circular orbit of semi-major axis ``a`` the secular drag effect is

    da/dt = -F (Cd A / m) * rho_avg * sqrt(mu a),    F = (1 - omega_E a cos(i) / v)^2

(Vallado, *Fundamentals of Astrodynamics*, 4th ed., eq. 9-63 with e = 0; King-Hele's factor F
for the atmosphere rotating with the Earth, ~0.92 at 51.6 deg), where ``rho_avg`` is the
density averaged around the orbit. :func:`orbit_average_density` samples
the atmosphere model (``rossim.environment.atmosphere``, pymsis) at ``n_samples`` points
equally spaced in argument of latitude, for each epoch and each trial altitude, so the diurnal
bulge and the latitude dependence are averaged the way the orbit sees them. The secular
J2 nodal regression is :func:`nodal_rate_rad_s`.

This is the coarse channel of ``rossim run``: the numerical propagator
(:mod:`rossim.dynamics.propagator`) is the reference it is tested against
(``tests/dynamics/test_decay.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.constants import GM_EARTH_M3_S2, J2, OMEGA_EARTH_RAD_S, R_EQ_M

# The Earth's constants (rossim.constants); altitudes are a - R_EQ_M.
MU_EARTH_M3_S2 = GM_EARTH_M3_S2

__all__ = [
    "MU_EARTH_M3_S2", "R_EQ_M", "J2", "orbit_average_density", "decay_rate_m_s",
    "nodal_rate_rad_s", "mean_motion_rad_s", "unit_vectors_gcrf", "rotation_factor",
]


def mean_motion_rad_s(a_m: Any) -> np.ndarray:
    """Keplerian mean motion (rad/s) for semi-major axis ``a_m`` (m)."""
    return np.sqrt(MU_EARTH_M3_S2 / np.asarray(a_m, dtype=float) ** 3)


def nodal_rate_rad_s(a_m: Any, inclination_rad: float) -> np.ndarray:
    """Secular J2 regression of the node (rad/s), circular orbit (Vallado eq. 9-41)."""
    a = np.asarray(a_m, dtype=float)
    return -1.5 * mean_motion_rad_s(a) * J2 * (R_EQ_M / a) ** 2 * np.cos(inclination_rad)


def rotation_factor(a_m: Any, inclination_rad: float) -> np.ndarray:
    """King-Hele's F = (1 - omega_E a cos i / v)^2: drag relative to a co-rotating atmosphere."""
    a = np.asarray(a_m, dtype=float)
    v = np.sqrt(MU_EARTH_M3_S2 / a)
    return (1.0 - OMEGA_EARTH_RAD_S * a * np.cos(inclination_rad) / v) ** 2


def decay_rate_m_s(a_m: Any, rho_kg_m3: Any, cd_area_over_mass_m2_kg: Any,
                   inclination_rad: float | None = None) -> np.ndarray:
    """Secular da/dt (m/s, negative) of a circular orbit under drag; with
    ``inclination_rad`` the co-rotating atmosphere's factor F is applied."""
    a = np.asarray(a_m, dtype=float)
    f = 1.0 if inclination_rad is None else rotation_factor(a, inclination_rad)
    return -f * np.asarray(cd_area_over_mass_m2_kg) * np.asarray(rho_kg_m3) * np.sqrt(
        MU_EARTH_M3_S2 * a)


def unit_vectors_gcrf(raan_rad: Any, inclination_rad: float, u_rad: Any) -> np.ndarray:
    """Position unit vectors (N,3) in GCRF of a circular orbit: node ``raan_rad``,
    inclination, argument of latitude ``u_rad`` (arrays broadcast)."""
    raan = np.asarray(raan_rad, dtype=float)
    u = np.asarray(u_rad, dtype=float)
    raan, u = np.broadcast_arrays(raan, u)
    cu, su = np.cos(u), np.sin(u)
    co, so = np.cos(raan), np.sin(raan)
    ci, si = np.cos(inclination_rad), np.sin(inclination_rad)
    return np.stack([co * cu - so * su * ci, so * cu + co * su * ci, su * si], axis=-1)


def orbit_normal_gcrf(raan_rad: Any, inclination_rad: float) -> np.ndarray:
    """Unit orbit normal (N,3) in GCRF."""
    raan = np.asarray(raan_rad, dtype=float)
    si, ci = np.sin(inclination_rad), np.cos(inclination_rad)
    return np.stack([np.sin(raan) * si, -np.cos(raan) * si, np.full_like(raan, ci)], axis=-1)


def orbit_average_density(t: Time, altitudes_m: Any, inclination_rad: float, raan_rad: Any,
                          weather: Any, model: str = "nrlmsise00",
                          n_samples: int = 12) -> np.ndarray:
    """Density (kg/m^3) averaged over one revolution, shape (len(t), len(altitudes_m)).

    ``t``: epochs (astropy Time, N); ``raan_rad``: node at each epoch (N); the orbit is
    sampled at ``n_samples`` arguments of latitude, each at its own time within the
    revolution (so local solar times are right), for every trial altitude.
    """
    from rossim.environment.atmosphere import density
    from rossim.frames.approx import gcrf_to_itrf_approx
    from rossim.frames.geodetic import itrf_to_geodetic

    alts = np.atleast_1d(np.asarray(altitudes_m, dtype=float))
    n = len(t)
    raan = np.broadcast_to(np.asarray(raan_rad, dtype=float), (n,))
    u = 2.0 * np.pi * (np.arange(n_samples) + 0.5) / n_samples
    period = 2.0 * np.pi / mean_motion_rad_s(R_EQ_M + alts.mean())
    dt = (u / (2.0 * np.pi)) * period  # s after each epoch
    tt = t[:, None] + TimeDelta(dt[None, :], format="sec")  # (n, s)
    tflat = tt.reshape(-1)
    rhat = unit_vectors_gcrf(np.repeat(raan, n_samples), inclination_rad, np.tile(u, n))
    # Only where the samples fall on the Earth matters here (latitude, local time): the
    # approximate rotation (ERA about one reference CIO matrix, 0.02 deg) is plenty.
    rhat_itrf = gcrf_to_itrf_approx(rhat, tflat)
    out = np.empty((n, len(alts)))
    for k, alt in enumerate(alts):
        lat, lon, h = itrf_to_geodetic(rhat_itrf * (R_EQ_M + alt))
        rho = density(tflat, lat, lon, h, model=model, weather=weather)
        out[:, k] = rho.reshape(n, n_samples).mean(axis=1)
    return out
