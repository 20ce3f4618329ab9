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

The engine's thermal model (:mod:`rossim.ops.thermal`) uses the node kernel below,
:func:`node_span`: one pressurised module as one node of heat capacity ``C`` with an insulated
hull (effective emittance ``e*`` of the MLI to its outer cover, whose temperature the
environment sets), body-mounted radiators fed by a pumped loop that bypasses them to hold the
set point (up to the loop's capacity) and thermostatic heaters at the lower set point.
Between regime changes the node relaxes exponentially to the regime's equilibrium (Gilmore
vol. 1 ch. 2 lumped-capacitance model, ``T(t) = T_eq + (T0 - T_eq) exp(-t G / C)``) with the
secant conductance ``G = (Q_out(T0) - Q_out(T_eq)) / (T0 - T_eq)`` of the radiative
out-flow, re-evaluated every segment (10 min, against time constants of days).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from rossim.constants import R_EQ_M

__all__ = ["SIGMA_W_M2_K4", "earth_view_factor", "absorbed_w", "equilibrium_temperature_k",
           "cool_down", "plate_earth_view_factor", "eclipse_fraction", "hull_area_m2",
           "node_span", "nodes_span", "radiative_cooling_time_s", "environment_fluxes", "REGIME_NAMES",
           "radiator_net_w_m2", "radiator_area_for_m2"]

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


def plate_earth_view_factor(altitude_km: float) -> float:
    """View factor from a flat plate whose normal is horizontal (perpendicular to nadir) to
    the Earth (dimensionless): ``F = (atan(1/sqrt(H^2-1)) - sqrt(H^2-1)/H^2) / pi`` with ``H =
    (R+h)/R`` (configuration factor of a plate perpendicular to the radius of a sphere,
    Howell's catalogue of radiation configuration factors; Gilmore vol. 1 ch. 2). 1/2 on the
    ground, about 0.29 at 400 km."""
    h2 = ((R_EQ_M + altitude_km * 1e3) / R_EQ_M) ** 2
    q = math.sqrt(h2 - 1.0)
    return (math.atan(1.0 / q) - q / h2) / math.pi


def eclipse_fraction(beta_rad, altitude_km):
    """Share of a circular orbit in the Earth's cylindrical shadow (dimensionless, array like
    ``beta_rad``): ``acos(sqrt(h^2 + 2 R h) / ((R + h) cos beta)) / pi`` below ``beta* =
    asin(R/(R+h))``, 0 above (Gilmore vol. 1 ch. 2; the same formula as
    :func:`rossim.analysis.trade.beta_and_eclipse`)."""
    r_km = R_EQ_M / 1e3
    h = np.asarray(altitude_km, dtype=float)
    cb = np.maximum(np.cos(np.asarray(beta_rad, dtype=float)), 1e-9)
    arg = np.sqrt(h * h + 2.0 * r_km * h) / ((r_km + h) * cb)
    return np.where(arg < 1.0, np.arccos(np.clip(arg, -1.0, 1.0)) / np.pi, 0.0)


def environment_fluxes(beta_rad, altitude_km: float, bias_rad: float, mli: tuple[float, float],
                       radiator: tuple[float, float]) -> dict[str, np.ndarray]:
    """Orbit-average environment of a module (arrays like ``beta_rad``).

    ``mli`` and ``radiator`` are (solar absorptance, infrared emittance). Returns ``lit``
    (sunlit share, :func:`eclipse_fraction`), ``ts4`` (K^4: fourth power of the MLI cover's
    temperature, ``q / (eps sigma)`` with ``q = alpha S/4 lit + alpha a S F lit |cos beta| +
    eps q_IR F``, sphere view factor ``F``: orientation-averaged, the attitude does not change
    it) and ``q_rad_m2`` (W/m^2 absorbed by radiator panels on the module's +-y sides: the
    Sun on the sun-side half at ``sin(max(|beta| - bias, 0))``, albedo and Earth infrared
    through the vertical-plate view factor)."""
    beta = np.asarray(beta_rad, dtype=float)
    sin_b = np.sin(beta)
    lit = 1.0 - eclipse_fraction(beta, altitude_km)
    f_s, f_p = earth_view_factor(altitude_km), plate_earth_view_factor(altitude_km)
    lit_cosb = lit * np.sqrt(1.0 - sin_b * sin_b)
    ab, eb = mli
    q_body = (ab * SOLAR_W_M2 / 4.0) * lit + (ab * ALBEDO * SOLAR_W_M2 * f_s) * lit_cosb \
        + eb * EARTH_IR_W_M2 * f_s
    ar, er = radiator
    sun_side = np.sin(np.maximum(np.abs(beta) - bias_rad, 0.0)) * 0.5  # half the panels
    q_rad = (ar * SOLAR_W_M2) * sun_side * lit + (ar * ALBEDO * SOLAR_W_M2 * f_p) * lit_cosb \
        + er * EARTH_IR_W_M2 * f_p
    return {"lit": lit, "ts4": q_body / (eb * SIGMA_W_M2_K4), "q_rad_m2": q_rad}


def radiator_net_w_m2(t_cabin_k: float, dt_loop_k: float, eps: float, q_abs_w_m2):
    """Net heat rejected per m^2 of radiator at full flow with the cabin at ``t_cabin_k`` (W/m^2,
    like ``q_abs_w_m2``): ``eps sigma (T - dT_loop)^4 - q_abs`` (the kernel's full-flow
    out-flow, :func:`node_span`, before the loop's capacity), ``q_abs_w_m2`` the panels'
    absorbed flux from :func:`environment_fluxes` (``q_rad_m2``)."""
    tr = max(t_cabin_k - dt_loop_k, 0.0)
    return eps * SIGMA_W_M2_K4 * tr ** 4 - np.asarray(q_abs_w_m2, dtype=float)


def radiator_area_for_m2(q_w: float, t_cabin_k: float, dt_loop_k: float, eps: float,
                         q_abs_w_m2) -> float:
    """Radiator area (m^2) that rejects ``q_w`` (W) at full flow with the cabin at
    ``t_cabin_k`` in the worst (largest) absorbed flux of ``q_abs_w_m2`` (W/m^2), no credit
    for the heat the insulated hull leaks. Raises ``ValueError`` when the panels absorb more
    than they emit there (no area rejects the load)."""
    net = float(np.min(radiator_net_w_m2(t_cabin_k, dt_loop_k, eps, q_abs_w_m2)))
    if net <= 0.0:
        raise ValueError(f"radiators absorb more than they emit at {t_cabin_k:.1f} K "
                         f"(net {net:.1f} W/m^2): no area rejects {q_w:.0f} W")
    return q_w / net


def hull_area_m2(shape: str, length_m: float, diameter_m: float) -> float:
    """Outer surface (m^2) of a cylindrical module (side and both ends) or a sphere."""
    if shape == "sphere":
        return math.pi * diameter_m ** 2
    return math.pi * diameter_m * length_m + 0.5 * math.pi * diameter_m ** 2


def radiative_cooling_time_s(t0_k: float, t_k: float, t_eq_k: float, k_w_k4: float,
                             heat_capacity_j_k: float) -> float:
    """Time (s) for a node ``C dT/dt = -k (T^4 - T_eq^4)`` to go from ``t0_k`` to ``t_k``
    (both on the same side of ``t_eq_k``), from the integral ``int dT / (T^4 - Te^4) =
    [ln|(T - Te)/(T + Te)| - 2 atan(T/Te)] / (4 Te^3)`` (any table of integrals): ``t =
    -C/(4 k Te^3) [f(T) - f(T0)]`` with ``f(x) = ln|(x - Te)/(x + Te)| - 2 atan(x/Te)``."""
    te = t_eq_k

    def f(x: float) -> float:
        return math.log(abs((x - te) / (x + te))) - 2.0 * math.atan(x / te)

    return -heat_capacity_j_k / (4.0 * k_w_k4 * te ** 3) * (f(t_k) - f(t0_k))


#: regimes of :func:`node_span`, by their code in its ``regime`` output
REGIME_NAMES = ("held at set point", "radiators at full flow", "radiators bypassed",
                "heaters holding", "heaters at capacity")
_HOLD_SET, _FULL, _OFF, _HOLD_HEAT, _HMAX = 0, 1, 2, 3, 4


@njit(cache=True)
def _q_rad_max(t, k_rad, q_abs, dt_loop, cap):
    tr = t - dt_loop
    if tr < 0.0:
        tr = 0.0
    q = k_rad * tr ** 4 - q_abs
    if q < 0.0:
        q = 0.0
    if q > cap:
        q = cap
    return q


@njit(cache=True)
def _out(regime, t, k_body, ts4, k_rad, q_abs, dt_loop, cap):
    """Heat leaving the node (W) at ``t`` in ``regime`` (heater power not included)."""
    q = k_body * (t ** 4 - ts4)
    if regime == _FULL:
        q += _q_rad_max(t, k_rad, q_abs, dt_loop, cap)
    return q


@njit(cache=True)
def _relax(regime, t0, te, q_in, dt, k_body, ts4, k_rad, q_abs, dt_loop, cap, c):
    """Time constant (s) of the exponential relaxation from ``t0`` to ``te`` (secant)."""
    d = t0 - te
    if abs(d) < 1e-6:
        d = 1e-3
        g = (_out(regime, te + d, k_body, ts4, k_rad, q_abs, dt_loop, cap) - q_in) / d
    else:
        g = (_out(regime, t0, k_body, ts4, k_rad, q_abs, dt_loop, cap) - q_in) / d
    if g <= 1e-9:
        g = 1e-9
    return c / g


@njit(cache=True)
def node_span(dt_s, t_start_k, c_j_k, q_int_w, ts4, k_body, k_rad, q_abs_w, dt_loop_k, cap_w,
              t_set_k, t_heat_k, heater_cap_w):
    """One module's node over consecutive segments (numba; sequential by nature).

    Inputs per segment ``i`` (arrays of shape (n,)): ``dt_s`` duration (s), ``q_int_w``
    internal dissipation (W), ``ts4`` fourth power of the MLI outer cover's temperature
    (K^4, set by the environment), ``q_abs_w`` environmental heat absorbed by the radiators
    (W). Scalars: ``c_j_k`` heat capacity, ``k_body = e* sigma A_hull``, ``k_rad = eps_r sigma
    A_rad`` (W/K^4), ``dt_loop_k`` radiator below the cabin, ``cap_w`` loop capacity,
    ``t_set_k`` set point, ``t_heat_k`` heater set point (array, per segment: it follows the
    crewed or uncrewed band), ``heater_cap_w``.

    Returns ``(t_end_k, t_mean_k, heater_j, radiator_j, regime)`` per segment; ``regime`` is
    the regime at the segment's end (:data:`REGIME_NAMES`)."""
    n = dt_s.shape[0]
    t_end = np.empty(n)
    t_mean = np.empty(n)
    heat_j = np.zeros(n)
    rad_j = np.zeros(n)
    regime_out = np.zeros(n, dtype=np.int64)
    t = t_start_k
    for i in range(n):
        q_in = q_int_w[i]
        s4 = ts4[i]
        qa = q_abs_w[i]
        th = t_heat_k[i]
        kb = k_body
        # equilibria of the three free regimes
        t_off = (s4 + q_in / kb) ** 0.25 if s4 + q_in / kb > 0.0 else 1.0
        t_hmax = (s4 + (q_in + heater_cap_w) / kb) ** 0.25
        # radiators at full flow can hold the set point (T_full <= T_set)?
        full_holds = _out(_FULL, t_set_k, kb, s4, k_rad, qa, dt_loop_k, cap_w) >= q_in
        t_full = -1.0  # T_full, solved only when the node runs hot
        left = dt_s[i]
        integral = 0.0
        reg = _OFF
        for _ in range(6):
            if left <= 0.0:
                break
            tol = 1e-6
            if abs(t - t_set_k) < tol and full_holds and t_off >= t_set_k:
                reg = _HOLD_SET
                rad_j[i] += (q_in - kb * (t_set_k ** 4 - s4)) * left
                integral += t_set_k * left
                t = t_set_k
                left = 0.0
                break
            if abs(t - th) < tol and t_off <= th and t_hmax >= th:
                reg = _HOLD_HEAT
                heat_j[i] += (kb * (th ** 4 - s4) - q_in) * left
                integral += th * left
                t = th
                left = 0.0
                break
            # free regime from the node's side of the set points
            if t > t_set_k or (abs(t - t_set_k) < tol and not full_holds):
                if t_full < 0.0:
                    lo, hi = 1.0, t_off
                    for _ in range(40):  # out-flow grows with T: one root
                        mid = 0.5 * (lo + hi)
                        if _out(_FULL, mid, kb, s4, k_rad, qa, dt_loop_k, cap_w) > q_in:
                            hi = mid
                        else:
                            lo = mid
                    t_full = 0.5 * (lo + hi)
                reg, te, q_reg, stop = _FULL, t_full, q_in, t_set_k
            elif t > th or (abs(t - th) < tol and t_off > th):
                reg, te, q_reg = _OFF, t_off, q_in
                stop = t_set_k if t_off > t else th
            else:
                reg, te, q_reg, stop = _HMAX, t_hmax, q_in + heater_cap_w, th
            tau = _relax(reg, t, te, q_reg, left, kb, s4, k_rad, qa, dt_loop_k, cap_w, c_j_k)
            run = left
            hit = False
            if (t - stop) * (te - stop) < 0.0:  # the boundary lies between T and T_eq
                t_hit = tau * math.log((t - te) / (stop - te))
                if t_hit < left:
                    run, hit = t_hit, True
            e = math.exp(-run / tau)
            t_new = stop if hit else te + (t - te) * e
            integral += te * run + (t - te) * tau * (1.0 - e)
            if reg == _FULL:
                tm = 0.5 * (t + t_new)
                rad_j[i] += _q_rad_max(tm, k_rad, qa, dt_loop_k, cap_w) * run
            elif reg == _HMAX:
                heat_j[i] += heater_cap_w * run
            t = t_new
            left -= run
        if left > 0.0:
            integral += t * left
        t_end[i] = t
        t_mean[i] = integral / dt_s[i] if dt_s[i] > 0.0 else t
        regime_out[i] = reg
    return t_end, t_mean, heat_j, rad_j, regime_out


@njit(cache=True)
def nodes_span(dt_s, t_start_k, c_j_k, q_int_w, ts4, k_body, k_rad, q_abs_w_m2, a_rad_m2,
               dt_loop_k, cap_w, t_set_k, t_heat_k, heater_cap_w):
    """:func:`node_span` for ``M`` modules at once: per-module arrays of shape (M,)
    (``t_start_k``, ``c_j_k``, ``q_int_w`` constant over the span, ``k_body``, ``k_rad``,
    ``a_rad_m2``, ``cap_w``, ``heater_cap_w``), per-segment arrays (n,) shared (``dt_s``,
    ``ts4``, radiator flux ``q_abs_w_m2``, ``t_heat_k``). Returns (M, n) arrays."""
    m_count = t_start_k.shape[0]
    n = dt_s.shape[0]
    t_end = np.empty((m_count, n))
    t_mean = np.empty((m_count, n))
    heat_j = np.empty((m_count, n))
    rad_j = np.empty((m_count, n))
    regime = np.empty((m_count, n), dtype=np.int64)
    q = np.empty(n)
    for j in range(m_count):
        q[:] = q_int_w[j]
        a, b, c, d, e = node_span(dt_s, t_start_k[j], c_j_k[j], q, ts4, k_body[j], k_rad[j],
                                  q_abs_w_m2 * a_rad_m2[j], dt_loop_k, cap_w[j], t_set_k,
                                  t_heat_k, heater_cap_w[j])
        t_end[j] = a
        t_mean[j] = b
        heat_j[j] = c
        rad_j[j] = d
        regime[j] = e
    return t_end, t_mean, heat_j, rad_j, regime
