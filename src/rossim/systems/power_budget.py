"""Power available to users: a module's or a station's arrays over the year's beta angles.

The published figure for a science-power module (NEM) is "about 50 kW installed, about 20 kW
available to users" (N. Bryukhanov, RSC Energia, Korolev Readings, energy-fresh.ru 2015-01-30;
ros-facts.md): ``systems.toml power.user_power_kw``. This module turns the model's arrays into
the same quantity so that the two can be compared:

* :func:`year_beta_rad`: the beta angle through one year of a circular orbit (Sun on a
  circular ecliptic, obliquity 23.44 deg; node regressing at the J2 rate,
  :func:`rossim.dynamics.decay.nodal_rate_rad_s`); shape ``(n,)``, rad.
* :func:`user_power_kw`: for each beta, the orbit-average power the arrays carry as a constant
  load (generation over the sunlit arc, through the batteries' round trip for the eclipse:
  :func:`rossim.systems.power.orbit_power_balance`) in the attitude the autonomy flies
  (sun-biased above ``power.sun_bias_above_beta_deg``), minus the housekeeping given. Returns
  the year's ``mean_kw``, the ``worst_kw`` orbit (the power users can count on at every beta of
  the year: the usual meaning of a user allocation) and its ``worst_beta_deg``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from rossim.constants import R_EQ_M
from rossim.dynamics.decay import nodal_rate_rad_s
from rossim.systems.power import orbit_power_balance

__all__ = ["year_beta_rad", "user_power_kw", "OBLIQUITY_DEG"]

#: Obliquity of the ecliptic (deg), J2000 (IAU 1976: 23 deg 26' 21.448").
OBLIQUITY_DEG = 23.4393
YEAR_DAYS = 365.25


def year_beta_rad(inclination_deg: float, altitude_km: float, step_days: float = 0.25,
                  raan0_deg: float = 0.0) -> np.ndarray:
    """Beta angle (rad, shape ``(n,)``, one sample per ``step_days`` over 365.25 days) of a
    circular orbit: ``beta = asin(n . s)`` with the orbit normal ``n`` from the node (J2
    regression from ``raan0_deg`` at the vernal equinox) and the Sun ``s`` on a circular
    ecliptic. The extremes are ``+-(i + 23.44 deg)`` for ``i < 90 deg``."""
    days = np.arange(0.0, YEAR_DAYS, step_days)
    inc, eps = math.radians(inclination_deg), math.radians(OBLIQUITY_DEG)
    a = R_EQ_M + altitude_km * 1e3
    om = math.radians(raan0_deg) + float(nodal_rate_rad_s(a, inc)) * days * 86400.0
    lam = 2.0 * math.pi * days / YEAR_DAYS
    s = np.stack([np.cos(lam), np.sin(lam) * math.cos(eps), np.sin(lam) * math.sin(eps)], 1)
    n = np.stack([np.sin(om) * math.sin(inc), -np.cos(om) * math.sin(inc),
                  np.full_like(om, math.cos(inc))], 1)
    return np.arcsin(np.clip(np.einsum("ij,ij->i", s, n), -1.0, 1.0))


def user_power_kw(capacity_kw: dict[str, float], beta_rad: Any, altitude_km: float, power: Any,
                  housekeeping_kw: float, n: int = 360) -> dict[str, float]:
    """Orbit-average power left to users (kW) over the betas ``beta_rad`` (rad, array):
    sustainable load (``orbit_power_balance`` with the catalog's charge and discharge
    efficiencies, sun-biased where the autonomy would bias) minus ``housekeeping_kw``.
    ``capacity_kw`` maps a tracking mode to rated kW at normal incidence; ``power`` is the
    systems catalog's ``[power]``. Returns ``mean_kw``, ``worst_kw``, ``worst_beta_deg``,
    ``mean_generation_kw`` (orbit average) and ``battery_share`` at the worst orbit."""
    bias = math.radians(power.sun_bias_max_deg.value)
    on = math.radians(power.sun_bias_above_beta_deg.value)
    rows = [orbit_power_balance(capacity_kw, float(b), altitude_km,
                                power.charge_efficiency.value,
                                bias if abs(b) > on else 0.0, n=n,
                                discharge_efficiency=power.discharge_efficiency.value)
            for b in np.asarray(beta_rad, dtype=float)]
    users = np.array([r["sustainable_load_kw"] for r in rows]) - housekeeping_kw
    k = int(np.argmin(users))
    return {"mean_kw": float(users.mean()), "worst_kw": float(users[k]),
            "worst_beta_deg": float(np.degrees(np.asarray(beta_rad, dtype=float)[k])),
            "mean_generation_kw": float(np.mean([r["orbit_average_generation_kw"]
                                                 for r in rows])),
            "battery_share": float(rows[k]["battery_share"])}
