"""The planner's forecast of the station's propellant use, day by day.

Used by the cargo planner (:mod:`rossim.station.logistics`: how much propellant each ship
brings, when the next one must fly) and by the run's monthly re-check of its stock
(:mod:`rossim.ops.propellant_outlook`, through :func:`propellant_forecast_parts` for the plan
as it stands). Per day of the plan, for the station's mass and drag area of that day
(:class:`rossim.station.timeline.Timeline` phases):

* **drag make-up** ``f_rot 0.5 rho v^2 C_D A / (Isp g0)`` (kg/day) with the run's
  ``operations.cd``, its atmosphere model and solar cycle
  (:func:`rossim.environment.weather_dispersion.forecast_weather`, the daily noise off: in a
  campaign the dispersed cycle's amplitude and phase, which operators see within months), the
  co-rotating atmosphere's factor ``f_rot`` (:func:`rossim.dynamics.decay.rotation_factor`,
  as the run's decay) and the density the station meets on average as it decays through its
  altitude band (:func:`band_density_kg_m3`; the run reboosts from the band's floor to its
  top: :mod:`rossim.ops.autonomy`);
* **attitude control** ``propulsion.attitude_kg_per_day_per_100t`` times the mass: the
  sun-biased rate on the days the beta angle of the scenario's orbit has risen above
  ``power.sun_bias_above_beta_deg`` and not yet fallen ``power.sun_bias_hysteresis_deg`` below
  it (:func:`sun_biased_days`, the run's autonomy), the velocity rate on the others. Safe mode
  is the outcome of a fault and is not forecast: the re-check's other forecast, the run's own
  use over the last year, carries it;
* **debris avoidance** (``debris_avoidance_per_year`` manoeuvres of
  ``debris_avoidance_dv_m_s``) and **leaks** (``leak_kg_per_year``) at their rates;
* **phasing** (``phasing_dv_m_s_per_arrival``, Tsiolkovsky at the mass of the day before,
  without the ship: the station phases ahead of its arrival) on each day a ship docks
  (:func:`phasing_kg`);

all times ``logistics.propellant_forecast_margin``. While a host station carries the plan (the
ISS in the ISS-start plan) the host pays every use (:mod:`rossim.ops.orbit_keeping`), and the
forecast is 0.

Until 2026-12-03 the forecast took the density at the nominal altitude (the run flies the
band, on average higher), no atmosphere rotation, the velocity attitude throughout (the
reference run flies a fifth of its days sun-biased, at 2.5 times the rate) and no phasing: it
over-forecast the drag and under-forecast the rest, so the plan ran short at solar minimum and
the run's re-check called ships the tanks did not need at solar maximum
(``docs/campaign-history.md``). ``tools/propellant_forecast_check.py`` prints the forecast
against a run, cause by cause.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from rossim.constants import G0_M_S2 as G0
from rossim.constants import GM_EARTH_M3_S2 as MU
from rossim.constants import R_EQ_M
from rossim.station.plan_days import day_grid, plan_days

__all__ = ["FORECAST_STEP_DAYS", "altitude_band_km", "band_density_kg_m3",
           "forecast_density_kg_m3", "forecast_rates", "per_kg", "phasing_kg",
           "propellant_forecast", "propellant_forecast_parts", "propellant_use_kg_day",
           "sun_biased_days", "use_by_cause_kg_day"]

#: The density sampling (days); interpolated in between.
FORECAST_STEP_DAYS = 5


def altitude_band_km(orbit) -> tuple[float, float]:
    """The station's altitude band (km): the scenario's ``orbit.altitude_band_km``, or 10 km
    either side of ``orbit.altitude_km`` (the run's default)."""
    band = orbit.altitude_band_km
    return (float(band[0]), float(band[1])) if band else (orbit.altitude_km - 10.0,
                                                          orbit.altitude_km + 10.0)


def band_density_kg_m3(rho_floor, rho_top):
    """Time-average density (kg/m^3) of a station that decays from the band's top to its
    floor, for the densities at the floor and the top (arrays of one shape). The decay rate
    goes as the density, so the time spent per km as its inverse: the average is
    ``dh / integral(dh / rho)``, with rho exponential in altitude between the two values
    ``rho_floor ln(r) r / (r - 1)``, ``r = rho_top / rho_floor`` (``rho_floor`` where the two
    are equal). At 390-415 km and a 55 km scale height that is the density of about 403 km
    (the reference run's mean altitude 403.7 km)."""
    f = np.asarray(rho_floor, dtype=float)
    r = np.asarray(rho_top, dtype=float) / np.where(f > 0, f, 1.0)
    near = np.abs(r - 1.0) < 1e-9
    rs = np.where(near | (r <= 0), 0.5, r)   # any value: replaced below
    out = f * np.log(rs) * rs / (rs - 1.0)
    return np.where(near | (r <= 0), f, out)


def forecast_density_kg_m3(scenario, days: list[dt.datetime]) -> np.ndarray:
    """Orbit-average density (kg/m^3) the station meets on average in its altitude band
    (:func:`band_density_kg_m3` of the floor's and the top's) on each of ``days``: the run's
    atmosphere model (``operations.atmosphere``) and solar cycle without the daily noise,
    the scenario's node (:func:`rossim.dynamics.scenario_orbit.node_rad_at`, so local solar
    times are the run's), sampled every :data:`FORECAST_STEP_DAYS`, linear in between.
    Shape ``(len(days),)``."""
    from rossim.dynamics.decay import orbit_average_density
    from rossim.dynamics.scenario_orbit import node_rad_at
    from rossim.environment.weather_dispersion import forecast_weather
    from rossim.time import to_time

    n = len(days)
    if n == 0:
        return np.zeros(0)
    ops = scenario.operations
    k = np.unique(np.append(np.arange(0, n, FORECAST_STEP_DAYS), n - 1))
    sampled = [days[i] for i in k]
    floor, top = altitude_band_km(scenario.orbit)
    rho = orbit_average_density(to_time(sampled), [floor * 1e3, top * 1e3],
                                np.radians(scenario.orbit.inclination_deg),
                                node_rad_at(scenario, sampled), forecast_weather(ops),
                                model=ops.atmosphere)
    return np.interp(np.arange(n), k, band_density_kg_m3(rho[:, 0], rho[:, 1]))


def sun_biased_days(scenario, days: list[dt.datetime], power) -> np.ndarray:
    """Whether the stack flies sun-biased on each of ``days`` (bool, ``(len(days),)``): the
    beta angle of the scenario's orbit at each day (:func:`rossim.dynamics.scenario_orbit.
    beta_deg_at`) has risen above ``power.sun_bias_above_beta_deg`` and not yet fallen
    ``power.sun_bias_hysteresis_deg`` below it, as the run's autonomy turns the stack
    (:mod:`rossim.ops.autonomy`); velocity attitude before the first rise."""
    from rossim.dynamics.scenario_orbit import beta_deg_at

    n = len(days)
    if n == 0:
        return np.zeros(0, dtype=bool)
    beta = np.abs(beta_deg_at(scenario, days))
    on = power.sun_bias_above_beta_deg.value
    off = on - power.sun_bias_hysteresis_deg.value
    state = np.where(beta > on, 1, np.where(beta < off, -1, 0))
    # between the thresholds the attitude holds: carry the last decided day forward
    last = np.maximum.accumulate(np.where(state != 0, np.arange(n), 0))
    return state[last] > 0


def phasing_kg(mass_kg, prop):
    """Propellant (kg) of the station's phasing for one arriving ship at ``mass_kg``:
    ``propulsion.phasing_dv_m_s_per_arrival`` at ``station_isp_s`` (Tsiolkovsky)."""
    isp = prop.station_isp_s.value
    return np.asarray(mass_kg, float) * (
        1.0 - np.exp(-prop.phasing_dv_m_s_per_arrival.value / (isp * G0)))


def forecast_rates(scenario, days: list[dt.datetime], systems) -> dict[str, np.ndarray]:
    """The forecast's rates (module docstring) on each of ``days`` of ``scenario``, margin not
    included, each shape ``(len(days),)``: ``drag_kg_per_m2`` (kg/day of drag make-up per m^2
    of drag area), ``attitude_per_kg`` and ``debris_avoidance_per_kg`` (kg/day per kg of
    station), ``leak_kg`` (kg/day) and ``phasing_per_kg`` (kg per arriving ship per kg of
    station)."""
    from rossim.dynamics.decay import rotation_factor

    prop = systems.propulsion
    n = len(days)
    floor, top = altitude_band_km(scenario.orbit)
    r = R_EQ_M + 0.5 * (floor + top) * 1e3
    inc = np.radians(scenario.orbit.inclination_deg)
    isp = prop.station_isp_s.value
    rho = forecast_density_kg_m3(scenario, days)
    rate = prop.attitude_kg_per_day_per_100t
    biased = sun_biased_days(scenario, days, systems.power)
    att = np.where(biased, rate.get("sun-biased", 0.0), rate.get("velocity", 0.0)) / 1e5
    dam = (prop.debris_avoidance_per_year.value / 365.25
           * (1 - np.exp(-prop.debris_avoidance_dv_m_s.value / (isp * G0))))
    return {"drag_kg_per_m2": (float(rotation_factor(r, inc)) * 0.5 * rho * (MU / r)
                               * scenario.operations.cd * 86400.0 / (isp * G0)),
            "attitude_per_kg": att, "debris_avoidance_per_kg": np.full(n, dam),
            "leak_kg": np.full(n, prop.leak_kg_per_year.value / 365.25),
            "phasing_per_kg": np.full(n, float(phasing_kg(1.0, prop)))}


def per_kg(rates: dict[str, np.ndarray]) -> np.ndarray:
    """The uses that scale with the station's mass (kg/day per kg): attitude control and
    debris avoidance, from :func:`forecast_rates`."""
    return rates["attitude_per_kg"] + rates["debris_avoidance_per_kg"]


def use_by_cause_kg_day(rates: dict[str, np.ndarray], mass_kg: np.ndarray,
                        drag_area_m2: np.ndarray, arrivals: np.ndarray) -> dict[str, np.ndarray]:
    """The forecast's uses per day (kg/day, no margin, no ``there`` mask), by the run's
    ledger causes: ``reboost`` (the drag make-up), ``attitude``, ``debris_avoidance``,
    ``phasing`` (at the day before's mass: the station phases before the ship arrives) and
    ``leak``; inputs as :func:`propellant_use_kg_day`, each shape ``(n_days,)``."""
    before = np.concatenate([mass_kg[:1], mass_kg[:-1]])
    return {"reboost": rates["drag_kg_per_m2"] * drag_area_m2,
            "attitude": rates["attitude_per_kg"] * mass_kg,
            "debris_avoidance": rates["debris_avoidance_per_kg"] * mass_kg,
            "phasing": arrivals * rates["phasing_per_kg"] * before,
            "leak": rates["leak_kg"]}


def propellant_use_kg_day(rates: dict[str, np.ndarray], margin: float, mass_kg: np.ndarray,
                          drag_area_m2: np.ndarray, there: np.ndarray,
                          arrivals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The forecast for a station of ``mass_kg`` and ``drag_area_m2`` on each day of
    ``rates`` (:func:`forecast_rates`), ``there`` (bool: the station flies on its own; False
    before its first module and while a host carries it) and ``arrivals`` (ships docking that
    day), each shape ``(n_days,)``, times ``margin``. Returns ``(total, drag)`` (kg/day): all
    uses (:func:`use_by_cause_kg_day`), and the drag make-up alone (the run pays it in whole
    reboosts: :mod:`rossim.ops.propellant_outlook`)."""
    by = use_by_cause_kg_day(rates, mass_kg, drag_area_m2, arrivals)
    total = sum(by.values())
    return np.where(there, total * margin, 0.0), np.where(there, by["reboost"] * margin, 0.0)


def propellant_forecast(tl, systems) -> tuple[list[dt.datetime], np.ndarray]:
    """The forecast for the plan ``tl`` as it stands (modules, ships, drag area per day): noon
    of each day of the span and the use (kg/day, margin included), shape ``(n_days,)``. The
    run re-checks its stock with it (:mod:`rossim.ops.cargo_callup`)."""
    days, total, _drag = propellant_forecast_parts(tl, systems)
    return days, total


def propellant_forecast_parts(tl, systems) -> tuple[list[dt.datetime], np.ndarray, np.ndarray]:
    """:func:`propellant_forecast` with its drag make-up apart: days, total use and drag
    make-up (kg/day, margin included, each shape ``(n_days,)``; the rest of the total is
    attitude control, debris avoidance, leaks and phasing)."""
    days = day_grid(tl.scenario)
    if not days:
        return days, np.zeros(0), np.zeros(0)
    p = plan_days(tl, days, systems.propulsion)
    return (days,) + propellant_use_kg_day(
        forecast_rates(tl.scenario, days, systems),
        systems.logistics.propellant_forecast_margin.value, p["mass_kg"], p["drag_area_m2"],
        p["there"], p["arrivals"])
