"""Differential drag and the station-keeping budget of a free-flyer.

A free-flyer and the station feel different drag decelerations ``a = 1/2 rho v^2 Cd A / m``.
Near the station both see the same density, so the relative acceleration along the velocity
is ``-(a_sat - a_station)``: in LVLH ``(-delta, 0, 0)``, which lowers the free-flyer's orbit
relative to the station (``d(da)/dt = -2 delta / n``) and makes it drift ahead by
``1.5 delta t^2``. Holding the relative orbit costs ``|delta|`` per unit time.

The station itself is reboosted to stay in its altitude band; a free-flyer that holds its
place must follow it, which costs the station's own drag ``a_station`` on top. Both budgets
are given (:class:`Budget`): ``dv_differential_m_s`` (what relative station-keeping alone
costs) and ``dv_total_m_s`` (including following the station's reboosts).

Density: NRLMSISE-00 (:func:`rossim.environment.atmosphere.density`) along the station's
circular orbit (:class:`rossim.dynamics.circular.CircularOrbit`, J2 secular), with the
historical space weather and its solar-cycle forecast
(:func:`rossim.environment.spaceweather.default_weather`) or given constant indices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from astropy.time import TimeDelta

from rossim.constants import G0_M_S2
from rossim.dynamics.circular import MU_EARTH_M3_S2, R_EARTH_M, CircularOrbit
from rossim.environment.atmosphere import density
from rossim.errors import InputError
from rossim.time import to_time

__all__ = ["Budget", "G0_M_S2", "budget", "density_along_orbit", "differential_drag_m_s2"]


def density_along_orbit(altitude_km: float, inclination_deg: float, start: Any,
                        days: float, *, raan_deg: float = 0.0, step_s: float = 1200.0,
                        weather=None, model: str = "nrlmsise00") -> tuple[np.ndarray, np.ndarray]:
    """``(t_s, rho_kg_m3)``: density along the circular orbit every ``step_s`` for ``days``."""
    if not (days > 0 and step_s > 0):
        raise InputError("argument", "days", days, "a positive span")
    t0 = to_time(start)
    orbit = CircularOrbit(altitude_km, inclination_deg, epoch=t0, raan_deg=raan_deg)
    t_s = np.arange(0.0, days * 86400.0 + 0.5 * step_s, step_s)
    t = t0 + TimeDelta(t_s, format="sec")
    lat, lon, alt_km = orbit.geodetic(t)
    rho = density(t, lat, lon, np.asarray(alt_km) * 1000.0, model=model, weather=weather)
    return t_s, np.asarray(rho, float)


def differential_drag_m_s2(rho_kg_m3, speed_m_s: float, cda_over_m_sat: float,
                           cda_over_m_station: float) -> np.ndarray:
    """``delta = a_sat - a_station`` (m/s^2): drag deceleration difference along the velocity.

    The relative acceleration in LVLH is ``(-delta, 0, 0)``. ``cda_over_m_*`` = Cd A / m
    (m^2/kg). The co-rotating atmosphere is neglected: it lowers both drags (and so
    ``delta``) by the factor ``(1 - w_E r cos i / v)^2``, ~0.92 at 51.6 deg; the test against
    the orbit engine with MSIS drag (tests/fleet/test_fleet_relative.py) agrees within 10 %.
    """
    q = 0.5 * np.asarray(rho_kg_m3, float) * speed_m_s**2
    return q * (cda_over_m_sat - cda_over_m_station)


@dataclass(frozen=True)
class Budget:
    """Station-keeping budget of one free-flyer (per year of the averaging span)."""

    dv_differential_m_s: float
    dv_total_m_s: float
    mean_density_kg_m3: float
    mean_differential_accel_m_s2: float
    propellant_kg_per_year: float
    #: years of station-keeping the propellant lasts (not the satellite's lifetime in orbit,
    #: which is the unkept decay: rossim.fleet.lifetime)
    propellant_years: float


def budget(cda_over_m_sat: float, cda_over_m_station: float, altitude_km: float,
           inclination_deg: float, start: Any, *, mass_kg: float, propellant_kg: float,
           isp_s: float, days: float = 365.25, raan_deg: float = 0.0, weather=None,
           density_samples: tuple[np.ndarray, np.ndarray] | None = None) -> Budget:
    """Delta-v per year to hold a relative orbit against differential drag, and lifetime.

    ``density_samples`` (``(t_s, rho)`` from :func:`density_along_orbit`) can be shared
    between satellites of one station. ``propellant_years``: years until ``propellant_kg`` is
    spent at the total rate (Tsiolkovsky with ``isp_s``), infinite without drag difference.
    """
    if density_samples is None:
        density_samples = density_along_orbit(altitude_km, inclination_deg, start, days,
                                              raan_deg=raan_deg, weather=weather)
    t_s, rho = density_samples
    r = R_EARTH_M + altitude_km * 1000.0
    speed = math.sqrt(MU_EARTH_M3_S2 / r)
    span_years = (t_s[-1] - t_s[0]) / (365.25 * 86400.0)
    delta = differential_drag_m_s2(rho, speed, cda_over_m_sat, cda_over_m_station)
    a_stn = differential_drag_m_s2(rho, speed, cda_over_m_station, 0.0)
    dv_diff = float(np.trapezoid(np.abs(delta), t_s) / span_years)
    dv_stn = float(np.trapezoid(a_stn, t_s) / span_years)
    dv_total = dv_diff + dv_stn
    exhaust = isp_s * G0_M_S2
    prop_year = mass_kg * (1.0 - math.exp(-dv_total / exhaust))
    if propellant_kg >= mass_kg:
        raise InputError("argument", "propellant_kg", propellant_kg,
                         f"less than the satellite's mass ({mass_kg} kg)")
    dv_capacity = exhaust * math.log(mass_kg / (mass_kg - propellant_kg))
    life = dv_capacity / dv_total if dv_total > 0 else float("inf")
    return Budget(dv_differential_m_s=dv_diff, dv_total_m_s=float(dv_total),
                  mean_density_kg_m3=float(np.mean(rho)),
                  mean_differential_accel_m_s2=float(np.mean(delta)),
                  propellant_kg_per_year=float(prop_year), propellant_years=float(life))
