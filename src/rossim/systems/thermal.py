"""Lumped (one-node) thermal balance of a module in low Earth orbit.

Environment (Gilmore, *Spacecraft Thermal Control Handbook*, vol. 1, 2nd ed., ch. 2): solar
irradiance ``S`` = 1361 W/m^2 (Kopp & Lean 2011), Earth albedo ``a`` = 0.30 and Earth infrared
``q_ir`` = 237 W/m^2 (orbit-average design values). A convex body's mean projected area over
all directions is a quarter of its surface (Cauchy), used for the Sun; the view factor of a
body to the Earth is that of a sphere, ``F = (1 - sqrt(1 - (R/(R+h))^2)) / 2``.

Heat in (W): ``alpha S A/4 x sunlit + alpha a S F A x sunlit x cos(beta) + eps q_ir F A + Q_int
+ Q_heater``; heat out: ``eps sigma A T^4`` (the module's outer surface, effective emittance
``eps`` of MLI and radiators together). :func:`equilibrium_temperature_k` solves the balance;
:func:`cool_down` integrates a dormant module's temperature ``m c dT/dt = Q_in - eps sigma A
T^4`` (closed form for ``Q_in = 0``: ``t = m c (T^-3 - T0^-3) / (3 eps sigma A)``).

Not wired into the engine yet (issue #13): no temperature channel, no limits for FDIR.
"""

from __future__ import annotations

import math

import numpy as np

from rossim.constants import R_EQ_M

__all__ = ["SIGMA_W_M2_K4", "earth_view_factor", "absorbed_w", "equilibrium_temperature_k",
           "cool_down"]

SIGMA_W_M2_K4 = 5.670374419e-8          # CODATA 2018
SOLAR_W_M2 = 1361.0                     # Kopp & Lean 2011
ALBEDO = 0.30                           # Gilmore vol. 1 ch. 2, orbit-average design value
EARTH_IR_W_M2 = 237.0                   # Gilmore vol. 1 ch. 2, orbit-average design value


def earth_view_factor(altitude_km: float) -> float:
    """View factor from a small sphere at ``altitude_km`` to the Earth (dimensionless)."""
    x = R_EQ_M / (R_EQ_M + altitude_km * 1e3)
    return 0.5 * (1.0 - math.sqrt(1.0 - x * x))


def absorbed_w(area_m2: float, alpha: float, eps: float, altitude_km: float,
               sunlit_fraction: float, beta_rad: float = 0.0) -> float:
    """Orbit-average environmental heat absorbed by a convex body of surface ``area_m2`` (W)."""
    f = earth_view_factor(altitude_km)
    solar = alpha * SOLAR_W_M2 * area_m2 / 4.0 * sunlit_fraction
    albedo = alpha * ALBEDO * SOLAR_W_M2 * f * area_m2 * sunlit_fraction * abs(math.cos(beta_rad))
    ir = eps * EARTH_IR_W_M2 * f * area_m2
    return solar + albedo + ir


def equilibrium_temperature_k(q_in_w: float, area_m2: float, eps: float) -> float:
    """Temperature (K) at which ``eps sigma A T^4`` rejects ``q_in_w``."""
    if q_in_w <= 0.0:
        return 0.0
    return (q_in_w / (eps * SIGMA_W_M2_K4 * area_m2)) ** 0.25


def cool_down(t0_k: float, q_in_w: float, area_m2: float, eps: float, heat_capacity_j_k: float,
              hours: float, step_s: float = 60.0) -> np.ndarray:
    """Temperature (K) every ``step_s`` of a one-node module with constant heat input
    ``q_in_w`` radiating from ``area_m2`` (explicit midpoint steps; shape ``(n + 1,)``)."""
    n = int(round(hours * 3600.0 / step_s))
    out = np.empty(n + 1)
    t = float(t0_k)
    out[0] = t
    k = eps * SIGMA_W_M2_K4 * area_m2
    for i in range(n):  # one node, minutes: no hot path
        mid = t + 0.5 * step_s * (q_in_w - k * t ** 4) / heat_capacity_j_k
        t = t + step_s * (q_in_w - k * mid ** 4) / heat_capacity_j_k
        out[i + 1] = t
    return out
