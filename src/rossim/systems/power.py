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

__all__ = ["integrate_battery", "generation_kw"]


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
