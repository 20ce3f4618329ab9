"""The orbit-averaged decay model of ``rossim run`` (:mod:`rossim.dynamics.decay`) against (1)
rossim's numerical propagator with NRLMSISE-00 drag (itself tested against Orekit) and (2) the
published ISS figure ("roughly 2 km per month without reboost at moderate solar activity",
press; ISS mass and drag area from the NASA/JSC OEM of 2022-01-17: 458,943 kg, 1,606.8 m^2,
with the physical Cd 2.2 of ``reference.toml`` ``[iss]``, as the drag validation uses it). Asserted in ``tests/dynamics/test_decay.py``; printed in docs/validation.md."""

from __future__ import annotations

import numpy as np

__all__ = ["decay_vs_numerical", "iss_decay_km_per_month"]


def decay_vs_numerical() -> tuple[float, float]:
    """Semi-major-axis change (m) over 3 days at 400 km, 51.6 deg, Cd A/m = 2.2 * 300 / 50,000
    m^2/kg, F10.7 150, Ap 15: ``(numerical, orbit-averaged model)``, the numerical one as
    the mean over the last orbit less the mean over the first."""
    from astropy.time import Time, TimeDelta

    from rossim.dynamics.decay import (
        MU_EARTH_M3_S2,
        R_EQ_M,
        decay_rate_m_s,
        orbit_average_density,
    )
    from rossim.dynamics.forces import ForceModel
    from rossim.dynamics.propagator import propagate
    from rossim.environment.spaceweather import ConstantWeather

    weather = ConstantWeather(150, 150, 15)
    epoch = Time("2028-03-01T00:00:00", scale="utc")
    a0, inc = R_EQ_M + 400e3, np.radians(51.6)
    v = np.sqrt(MU_EARTH_M3_S2 / a0)
    days = 3
    traj = propagate(np.array([a0, 0.0, 0.0]), np.array([0.0, v * np.cos(inc), v * np.sin(inc)]),
                     epoch, days * 86400.0, 60.0,
                     forces=ForceModel(gravity="point", drag="nrlmsise00", weather=weather,
                                       cd=2.2, area_m2=300.0, mass_kg=50000.0))
    rn = np.linalg.norm(traj.r_gcrf_m, axis=1)
    vn = np.linalg.norm(traj.v_gcrf_m_s, axis=1)
    a = 1.0 / (2.0 / rn - vn**2 / MU_EARTH_M3_S2)
    per_orbit = int(round(2 * np.pi * np.sqrt(a0**3 / MU_EARTH_M3_S2) / 60.0))
    t = epoch + TimeDelta(np.arange(days + 1) * 86400.0, format="sec")
    rho = orbit_average_density(t, [400e3], inc, np.zeros(days + 1), weather)[:, 0]
    span = (len(a) - per_orbit) * 60.0
    da_mean = decay_rate_m_s(a0, rho.mean(), 2.2 * 300.0 / 50000.0, inc) * span
    return float(a[-per_orbit:].mean() - a[:per_orbit].mean()), float(da_mean)


def iss_decay_km_per_month() -> float:
    """The ISS's altitude loss (km per 30 days) at 415 km, 51.64 deg, F10.7 120, Ap 10 from
    2022-06-01, by the orbit-averaged model with the NASA/JSC ballistic data."""
    from astropy.time import Time, TimeDelta

    from rossim.config.reference import load_reference
    from rossim.dynamics.decay import R_EQ_M, decay_rate_m_s, orbit_average_density
    from rossim.environment.spaceweather import ConstantWeather

    weather = ConstantWeather(120, 120, 10)
    t = Time("2022-06-01T00:00:00", scale="utc") + TimeDelta(np.arange(30) * 86400.0,
                                                             format="sec")
    inc = np.radians(51.64)
    rho = orbit_average_density(t, [415e3], inc, np.linspace(0, 2, 30), weather)[:, 0]
    iss = load_reference().iss
    b = iss.drag_coeff.value * iss.drag_area_m2.value / iss.mass_kg.value
    return float(-decay_rate_m_s(R_EQ_M + 415e3, rho, b, inc).mean() * 30 * 86400 / 1e3)
