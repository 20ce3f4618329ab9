"""The ISS's propellant as the same decay model gives it: the reference next to which rossim's
reboost figures are put (ros-facts.md: the ISS's ~7,000 kg/yr).

The ISS is the configuration of the NASA/JSC ephemeris of 2022-01-17 (catalog/reference.toml
``[iss]``: mass, drag area, C_D, altitude and inclination; tests/data/iss), kept at its
altitude through the run's days and space weather.
"""

from __future__ import annotations

import math

import numpy as np

from rossim.dynamics.decay import (
    MU_EARTH_M3_S2,
    R_EQ_M,
    nodal_rate_rad_s,
    orbit_average_density,
    rotation_factor,
)
from rossim.systems.propulsion import propellant_for_dv

__all__ = ["iss_reboost_by_year", "iss_propellant_by_cause", "ISS_MASS_KG", "ISS_AREA_M2",
           "ISS_CD", "ISS_ALT_KM", "ISS_INC_DEG"]


#: The ISS's ballistic data in the NASA/JSC ephemeris of 2022-01-17 (tests/data/iss): mass,
#: drag area, Cd; and its usual altitude. Used to put rossim's reboost figures next to the
#: published ISS propellant budget (ros-facts.md: ~7,000 kg/yr).
def _iss_reference():
    from rossim.config.reference import load_reference

    iss = load_reference().iss
    return (iss.mass_kg.value, iss.drag_area_m2.value, iss.drag_coeff.value,
            iss.altitude_km.value, iss.inclination_deg.value)


#: The ISS of the NASA/JSC ephemeris (catalog/reference.toml [iss]): mass, drag area, C_D,
#: altitude and inclination of the propellant reference.
ISS_MASS_KG, ISS_AREA_M2, ISS_CD, ISS_ALT_KM, ISS_INC_DEG = _iss_reference()


def iss_reboost_by_year(days: np.ndarray, weather, isp_s: float,
                        model: str = "nrlmsise00") -> dict[str, dict[str, float]]:
    """What the same decay model gives for the ISS kept at 415 km in the same days and space
    weather: per year, drag delta-v (m/s, circular: dv = v da / 2a) and propellant (kg)."""
    from rossim.time import time_from_datetime64

    inc = np.radians(ISS_INC_DEG)
    a = R_EQ_M + ISS_ALT_KM * 1e3
    t = time_from_datetime64(days.astype("datetime64[us]"))
    node = float(nodal_rate_rad_s(a, inc)) * 86400.0 * np.arange(len(days))
    rho = orbit_average_density(t, [ISS_ALT_KM * 1e3], inc, node, weather, model)[:, 0]
    da_day = (rotation_factor(a, inc) * ISS_CD * ISS_AREA_M2 / ISS_MASS_KG * rho
              * math.sqrt(MU_EARTH_M3_S2 * a) * 86400.0)
    v = math.sqrt(MU_EARTH_M3_S2 / a)
    dv_day = v * da_day / (2.0 * a)
    years = days.astype("datetime64[Y]").astype(int) + 1970
    out = {}
    for y in np.unique(years):
        m = years == y
        dv = float(dv_day[m].sum())
        out[str(int(y))] = {"dv_m_s": dv, "days": int(m.sum()),
                            "propellant_kg": float(propellant_for_dv(ISS_MASS_KG, dv, isp_s))}
    return out


def iss_propellant_by_cause(days: np.ndarray, weather, prop, model: str = "nrlmsise00"
                            ) -> dict[str, float]:
    """Mean yearly propellant (kg/yr) by cause for the ISS-like configuration (mass, drag area
    and Cd of the NASA ephemeris, 415 km) over ``days`` of the given space weather, with the
    catalog's propulsion figures ``prop``: ``reboost`` (drag make-up, the same decay model),
    ``attitude`` (velocity attitude rate x mass), ``debris_avoidance`` (rate x one manoeuvre)
    and ``total``. Expected value: no random draw."""
    by_year = iss_reboost_by_year(days, weather, prop.station_isp_s.value, model)
    n_days = sum(v["days"] for v in by_year.values())
    years = n_days / 365.25
    reboost = sum(v["propellant_kg"] for v in by_year.values()) / years
    attitude = prop.attitude_kg_per_day_per_100t["velocity"] * ISS_MASS_KG / 1e5 * 365.25
    dam = prop.debris_avoidance_per_year.value * float(propellant_for_dv(
        ISS_MASS_KG, prop.debris_avoidance_dv_m_s.value, prop.station_isp_s.value))
    return {"reboost": reboost, "attitude": attitude, "debris_avoidance": dam,
            "total": reboost + attitude + dam}
