"""Electrical power: solar-array generation and battery state of charge with load shedding.

Generation (kW) = installed array capacity (beginning of life, from the configuration) x
degradation ``(1 - d)^years`` x ``|cos beta|`` (single-axis sun tracking about the orbit
normal: the arrays follow the Sun around the orbit but not out of the orbit plane) x the sunlit
fraction (conical shadow) x a fault factor (array drives). Loads (kW) by mode: housekeeping per
pressurised module, life support per person aboard, and experiments (crewed or automatic).

:func:`integrate_battery` steps the batteries (compiled with numba; sequential by nature
because of the bounds and the shedding hysteresis): charge with efficiency ``eta`` while
generation exceeds load, discharge otherwise; when the state of charge would fall below
``min_soc`` the non-essential loads are shed until it recovers ``hysteresis`` above it. The
state of charge is clipped to [0, max_soc]; a step that hits 0 is a power deficit.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from rossim.constants import R_EQ_M

__all__ = ["integrate_battery", "generation_kw", "incidence_factor", "orbit_power_balance",
           "sustainable_load_kw",
           "SOLAR_CONSTANT_KW_M2", "TRACKING_MODES"]

#: Total solar irradiance at 1 AU (kW/m^2): Kopp & Lean (2011), Geophys. Res. Lett. 38, L01706.
SOLAR_CONSTANT_KW_M2 = 1.361

#: Array tracking modes the catalog may name (``power.array_tracking``).
TRACKING_MODES = ("fixed", "single-axis", "two-axis")


def incidence_factor(tracking: str, beta_rad, cos_sun_zenith, sun_bias_rad: float = 0.0):
    """Cosine of the Sun's incidence on a wing, vectorised over time (dimensionless, >= 0).

    ``tracking``: ``two-axis`` (normal incidence: 1), ``single-axis`` (one drive about the
    axis normal to the orbit plane in velocity attitude: ``cos(max(|beta| - bias, 0))`` where
    ``bias`` is how far the sun-biased attitude turns the stack towards the Sun; 0 in velocity
    attitude), ``fixed`` (wings fixed to the body facing zenith: ``max(0, r_hat . s_hat)``,
    ``cos_sun_zenith``). ``beta_rad`` and ``cos_sun_zenith`` are arrays of the same shape.
    """
    beta = np.abs(np.asarray(beta_rad, dtype=float))
    if tracking == "two-axis":
        return np.ones_like(beta)
    if tracking == "single-axis":
        return np.cos(np.maximum(beta - sun_bias_rad, 0.0))
    if tracking == "fixed":
        return np.maximum(np.asarray(cos_sun_zenith, dtype=float), 0.0)
    raise ValueError(f"unknown tracking mode {tracking!r}")


def orbit_power_balance(capacity_kw: dict[str, float], beta_rad: float, altitude_km: float,
                        charge_efficiency: float, sun_bias_rad: float = 0.0,
                        n: int = 720, discharge_efficiency: float = 1.0) -> dict[str, float]:
    """Energy balance of one circular orbit at a fixed beta angle (cylindrical shadow).

    ``capacity_kw`` maps a tracking mode to the rated output (kW at normal incidence) of the
    wings that track that way. Returns ``sunlit_fraction``, ``day_generation_kw`` (mean over
    the sunlit arc), ``orbit_average_generation_kw`` and ``sustainable_load_kw``: the constant
    load the orbit's generation carries with the batteries charged in daylight at
    ``charge_efficiency`` and discharged in eclipse at ``discharge_efficiency`` (``L = E_day *
    eta / (t_day * eta + t_night)`` with the round trip ``eta = eta_c * eta_d``, from ``(G - L)
    t_day eta = L t_night`` summed over the orbit), and ``battery_share``: the share of
    daylight generation that goes to the batteries.
    """
    out = sustainable_load_kw(capacity_kw, np.array([beta_rad], dtype=float), altitude_km,
                              charge_efficiency, sun_bias_rad, n, discharge_efficiency,
                              full=True)
    return {k: float(v[0]) for k, v in out.items()}


def sustainable_load_kw(capacity_kw: dict[str, float], beta_rad: np.ndarray,
                        altitude_km: float, charge_efficiency: float,
                        sun_bias_rad: float | np.ndarray = 0.0, n: int = 720,
                        discharge_efficiency: float = 1.0, full: bool = False):
    """:func:`orbit_power_balance` vectorised over beta: ``beta_rad`` shape ``(m,)`` (rad),
    ``sun_bias_rad`` a scalar or shape ``(m,)``; returns the sustainable load (kW, shape
    ``(m,)``), or with ``full`` the dict of :func:`orbit_power_balance` with arrays of shape
    ``(m,)``. Each orbit is the same ``n`` points as the scalar function, reduced row by row
    (the same figures to the bit: ``tests/ops/test_power_subsystem.py``)."""
    beta = np.asarray(beta_rad, dtype=float)
    bias = np.broadcast_to(np.asarray(sun_bias_rad, dtype=float), beta.shape)[:, None]
    u = (np.arange(n) + 0.5) * (2.0 * np.pi / n)
    cb = np.cos(beta)[:, None]
    r_dot_s = np.cos(u)[None, :] * cb      # Sun at u = 0 in the orbit plane projection
    perp = np.sqrt(np.maximum(1.0 - r_dot_s ** 2, 0.0))
    r = R_EQ_M + altitude_km * 1e3
    lit = ~((r_dot_s < 0.0) & (perp * r < R_EQ_M))
    gen = np.zeros(r_dot_s.shape)
    bfull = np.broadcast_to(beta[:, None], r_dot_s.shape)
    for mode, cap in capacity_kw.items():
        gen += cap * incidence_factor(mode, bfull, r_dot_s, bias)
    gen *= lit
    f_day = lit.mean(axis=1)
    e_day = gen.mean(axis=1)  # kW x orbit fraction
    eta = float(charge_efficiency) * float(discharge_efficiency)
    day = f_day > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        load = np.where(day, e_day * eta / (f_day * eta + (1.0 - f_day)), 0.0)
        if not full:
            return load
        day_gen = np.where(day, e_day / f_day, 0.0)
        share = np.where(day_gen > 0, 1.0 - load / day_gen, 0.0)
    return {"sunlit_fraction": f_day, "day_generation_kw": day_gen,
            "orbit_average_generation_kw": e_day, "sustainable_load_kw": load,
            "battery_share": share}


def generation_kw(capacity_kw, beta_rad, sunlit_fraction, years_since_start, degradation,
                  fault_factor=1.0):
    """Array output (kW), vectorised over time (see module docstring)."""
    return (np.asarray(capacity_kw) * (1.0 - degradation) ** np.asarray(years_since_start)
            * np.abs(np.cos(beta_rad)) * np.asarray(sunlit_fraction) * fault_factor)


@njit(cache=True)
def integrate_battery(dt_s, gen_kw, load_kw, essential_kw, cap_kwh, soc0, min_soc, max_soc,
                      eta, hysteresis):  # pragma: no cover - compiled
    """Battery state of charge (fraction) after each step, the load actually served (kW),
    a shedding flag and a deficit flag; all arrays of len(gen_kw).

    ``cap_kwh`` may vary along the run (modules arrive, strings fail); ``soc0`` is the state
    of charge before the first step; ``dt_s`` is the step (s).
    """
    n = gen_kw.shape[0]
    soc = np.empty(n)
    served = np.empty(n)
    shed = np.zeros(n, dtype=np.bool_)
    deficit = np.zeros(n, dtype=np.bool_)
    s = soc0
    shedding = False
    h = dt_s / 3600.0
    for k in range(n):
        cap = cap_kwh[k]
        if cap <= 0.0:
            soc[k] = 0.0
            served[k] = min(load_kw[k], gen_kw[k])
            deficit[k] = load_kw[k] > gen_kw[k]
            continue
        load = essential_kw[k] if shedding else load_kw[k]
        net = gen_kw[k] - load
        if net >= 0.0:
            e = s * cap + net * h * eta
        else:
            e = s * cap + net * h
            if not shedding and e < min_soc * cap:
                shedding = True
                load = essential_kw[k]
                net = gen_kw[k] - load
                e = s * cap + (net * h * eta if net >= 0.0 else net * h)
        if e >= max_soc * cap:
            e = max_soc * cap
        if e <= 0.0:
            e = 0.0
            deficit[k] = True
        s = e / cap
        if shedding and s >= min_soc + hysteresis:
            shedding = False
        soc[k] = s
        served[k] = load
        shed[k] = load < load_kw[k]
    return soc, served, shed, deficit


#: Why :func:`battery_span` stopped: no crossing, the lower or the upper threshold.
SPAN_END, CROSSED_LOW, CROSSED_HIGH = 0, 1, 2


@njit(cache=True)
def battery_span(dt_s, gen_kw, load_kw, cap_kwh, soc0, max_soc, eta, low, high, eta_d=1.0):
    """Battery over one span of constant loads, stopping at a threshold crossing.

    ``gen_kw`` (n,) array output per step; ``load_kw`` the load demanded (kW, constant over the
    span); ``cap_kwh`` the usable capacity (kWh; 0 = no battery); ``soc0`` the state of charge
    before the first step. Charge with efficiency ``eta`` while generation exceeds the load,
    discharge otherwise with efficiency ``eta_d`` (the battery gives ``shortfall / eta_d``); the state of charge is clipped to [0, max_soc]; with the battery empty
    the load served is what the arrays give (a deficit). Returns ``(soc, served_kw, deficit,
    stop, why)``: the arrays are valid for steps ``0 .. stop-1``; ``stop`` is the first step
    after which the state of charge is below ``low`` or at/above ``high`` (``why`` says which),
    else ``n`` with ``why = SPAN_END``.
    """
    n = gen_kw.shape[0]
    soc = np.empty(n)
    served = np.empty(n)
    deficit = np.zeros(n, dtype=np.bool_)
    s = soc0
    h = dt_s / 3600.0
    for k in range(n):
        g = gen_kw[k]
        if cap_kwh <= 0.0:
            s = 0.0
            served[k] = min(load_kw, g)
            deficit[k] = load_kw > g
        else:
            net = g - load_kw
            e = s * cap_kwh + (net * h * eta if net >= 0.0 else net * h / eta_d)
            served[k] = load_kw
            if e >= max_soc * cap_kwh:
                e = max_soc * cap_kwh
            if e <= 0.0:
                # empty: the loads get what the arrays give this step
                served[k] = g + s * cap_kwh * eta_d / h if s > 0.0 else g
                if served[k] > load_kw:
                    served[k] = load_kw
                e = 0.0
                deficit[k] = True
            s = e / cap_kwh
        soc[k] = s
        if cap_kwh > 0.0 and s < low:
            return soc, served, deficit, k + 1, 1
        if cap_kwh > 0.0 and s >= high:
            return soc, served, deficit, k + 1, 2
    return soc, served, deficit, n, 0
