"""The orbit-averaged decay model of `rossim run` against (1) rossim's numerical propagator
with NRLMSISE-00 drag (itself tested against Orekit in tests/dynamics/test_propagator*.py) and
(2) the published ISS figure (ros-facts.md: "ISS loses roughly 2 km per month without reboost
at moderate solar activity", press)."""

import numpy as np
import pytest
from astropy.time import Time, TimeDelta

from rossim.dynamics.decay import (
    MU_EARTH_M3_S2,
    R_EQ_M,
    decay_rate_m_s,
    orbit_average_density,
    rotation_factor,
)
from rossim.environment.spaceweather import ConstantWeather


def _semi_major_axis(r, v):
    rn = np.linalg.norm(r, axis=1)
    vn = np.linalg.norm(v, axis=1)
    return 1.0 / (2.0 / rn - vn**2 / MU_EARTH_M3_S2)


def test_decay_matches_numerical_propagation():
    from rossim.dynamics.forces import ForceModel
    from rossim.dynamics.propagator import propagate

    weather = ConstantWeather(150, 150, 15)
    epoch = Time("2028-03-01T00:00:00", scale="utc")
    a0, inc = R_EQ_M + 400e3, np.radians(51.6)
    v = np.sqrt(MU_EARTH_M3_S2 / a0)
    r0 = np.array([a0, 0.0, 0.0])
    v0 = np.array([0.0, v * np.cos(inc), v * np.sin(inc)])
    forces = ForceModel(gravity="point", drag="nrlmsise00", weather=weather, cd=2.2,
                        area_m2=300.0, mass_kg=50000.0)
    days = 3
    traj = propagate(r0, v0, epoch, days * 86400.0, 60.0, forces=forces)
    a = _semi_major_axis(traj.r_gcrf_m, traj.v_gcrf_m_s)
    per_orbit = int(round(2 * np.pi * np.sqrt(a0**3 / MU_EARTH_M3_S2) / 60.0))
    da_numerical = a[-per_orbit:].mean() - a[:per_orbit].mean()
    t = epoch + TimeDelta(np.arange(days + 1) * 86400.0, format="sec")
    rho = orbit_average_density(t, [400e3], inc, np.zeros(days + 1), weather)[:, 0]
    span = (len(a) - per_orbit) * 60.0
    da_mean = decay_rate_m_s(a0, rho.mean(), 2.2 * 300.0 / 50000.0, inc) * span
    assert da_numerical < -100.0  # the case is drag dominated: hundreds of metres
    assert da_mean == pytest.approx(da_numerical, rel=0.03)


def test_iss_loses_about_two_km_per_month():
    # ISS ballistic data from the NASA/JSC OEM of 2022-01-17 (tests/data/iss): mass 458,943 kg,
    # drag area 1,606.8 m^2, Cd 2.5; moderate solar activity F10.7 = 120, Ap = 10; 415 km.
    weather = ConstantWeather(120, 120, 10)
    t = Time("2022-06-01T00:00:00", scale="utc") + TimeDelta(np.arange(30) * 86400.0,
                                                             format="sec")
    inc = np.radians(51.64)
    rho = orbit_average_density(t, [415e3], inc, np.linspace(0, 2, 30), weather)[:, 0]
    per_month_km = -decay_rate_m_s(R_EQ_M + 415e3, rho, 2.5 * 1606.8 / 458943.0,
                                   inc).mean() * 30 * 86400 / 1e3
    assert 1.0 < per_month_km < 3.0  # "roughly 2 km per month"


def test_rotation_factor_values():
    # King-Hele: F ~ 0.9 to 0.95 for LEO prograde orbits; 1 for polar; >1 retrograde.
    assert 0.90 < rotation_factor(R_EQ_M + 400e3, np.radians(51.6)) < 0.95
    assert rotation_factor(R_EQ_M + 400e3, np.radians(90.0)) == pytest.approx(1.0)
    assert rotation_factor(R_EQ_M + 400e3, np.radians(97.0)) > 1.0
