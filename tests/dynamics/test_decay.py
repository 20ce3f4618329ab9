"""The orbit-averaged decay model of `rossim run` against (1) rossim's numerical propagator
with NRLMSISE-00 drag (itself tested against Orekit in tests/dynamics/test_propagator*.py) and
(2) the published ISS figure (ros-facts.md: "ISS loses roughly 2 km per month without reboost
at moderate solar activity", press)."""

import numpy as np
import pytest

from rossim.dynamics.decay import (
    R_EQ_M,
    rotation_factor,
)
from rossim.validation.decay import decay_vs_numerical, iss_decay_km_per_month


def test_decay_matches_numerical_propagation():
    da_numerical, da_mean = decay_vs_numerical()
    assert da_numerical < -100.0  # the case is drag dominated: hundreds of metres
    assert da_mean == pytest.approx(da_numerical, rel=0.03)


def test_iss_loses_about_two_km_per_month():
    # ISS ballistic data from the NASA/JSC OEM of 2022-01-17 (tests/data/iss): mass 458,943 kg,
    # drag area 1,606.8 m^2, with Cd 2.2 (reference.toml [iss]); F10.7 = 120, Ap = 10; 415 km.
    per_month_km = iss_decay_km_per_month()
    assert 1.0 < per_month_km < 3.0  # "roughly 2 km per month"


def test_rotation_factor_values():
    # King-Hele: F ~ 0.9 to 0.95 for LEO prograde orbits; 1 for polar; >1 retrograde.
    assert 0.90 < rotation_factor(R_EQ_M + 400e3, np.radians(51.6)) < 0.95
    assert rotation_factor(R_EQ_M + 400e3, np.radians(90.0)) == pytest.approx(1.0)
    assert rotation_factor(R_EQ_M + 400e3, np.radians(97.0)) > 1.0
