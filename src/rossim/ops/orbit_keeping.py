"""The station's altitude over the years, with reboost planning.

The altitude channel steps the orbit-averaged decay (:mod:`rossim.dynamics.decay`) hourly with
the ballistic coefficient of the configuration in force (``Timeline.at``: modules and docked
vehicles change mass and drag area) and the scenario's space weather (historical file plus
forecast, or constant). When the altitude falls below the band's lower edge, a reboost back
to the upper edge (two-burn Hohmann delta-v) is planned at the first hour outside the no-burn
windows around dockings and undockings. The burn uses a docked Progress's own propellant when
one is docked, else the station's tanks (refilled by each Progress's transfer propellant);
while a "host" module is attached (the ISS, in the ISS-start plan) the host programme
reboosts (counted, not limited). Propellant follows the rocket equation with the current mass.
Below 150 km the station is taken as lost: a ``reentry`` alarm and the altitude held there.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
from astropy.time import Time

from rossim.config.systems import SystemsCatalog
from rossim.dynamics.decay import (
    MU_EARTH_M3_S2,
    R_EQ_M,
    nodal_rate_rad_s,
    orbit_average_density,
    rotation_factor,
)
from rossim.station.launch import hohmann_dv
from rossim.systems.propulsion import propellant_for_dv

HOUR = 3600.0


@dataclass(frozen=True)
class Burn:
    """One reboost (both Hohmann burns counted together)."""

    time: np.datetime64
    dv_m_s: float
    propellant_kg: float
    source: str              # "station" or the Progress's name
    altitude_before_km: float
    altitude_after_km: float
    mass_kg: float
    isp_s: float


@dataclass
class OrbitHistory:
    """Hourly altitude channel. Times are ``datetime64[us]`` UTC; SI units."""

    epochs: np.ndarray
    altitude_m: np.ndarray
    raan_rad: np.ndarray
    density_kg_m3: np.ndarray
    ballistic_m2_kg: np.ndarray          # Cd A / m
    station_propellant_kg: np.ndarray
    f107: np.ndarray
    burns: list[Burn] = field(default_factory=list)
    alarms: list[tuple[np.datetime64, str, str]] = field(default_factory=list)


def _no_burn_mask(epochs: np.ndarray, timeline, window_h: float) -> np.ndarray:
    """True where burning is allowed (not within ``window_h`` of a docking/undocking)."""
    times = np.array([np.datetime64(e.time.replace(tzinfo=None), "us") for e in timeline.events
                      if e.kind in ("dock", "undock")], dtype="datetime64[us]")
    if times.size == 0:
        return np.ones(len(epochs), bool)
    times.sort()
    w = np.timedelta64(int(window_h * 3600e6), "us")
    idx = np.searchsorted(times, epochs)
    after = np.where(idx < len(times), times[np.minimum(idx, len(times) - 1)] - epochs, w + w)
    before = np.where(idx > 0, epochs - times[np.maximum(idx - 1, 0)], w + w)
    return (after > w) & (before > w)


def simulate_orbit(timeline, systems: SystemsCatalog, weather, *, cd: float,
                   model: str = "nrlmsise00", start: dt.datetime | None = None,
                   progress=None) -> OrbitHistory:
    """Hourly altitude, node and propellant from the first module to the span end."""
    scen = timeline.scenario
    orbit = scen.orbit
    prop = systems.propulsion
    t0 = start or timeline.phases[0].start
    t0 = np.datetime64(t0.replace(tzinfo=None), "h").astype("datetime64[us]")
    t1 = np.datetime64(scen.span.end.replace(tzinfo=None), "us")
    epochs = np.arange(t0, t1 + np.timedelta64(1, "h"), np.timedelta64(1, "h"))
    n = len(epochs)
    inc = np.radians(orbit.inclination_deg)
    band = orbit.altitude_band_km or (orbit.altitude_km - 10.0, orbit.altitude_km + 10.0)
    low, high = band[0] * 1e3, band[1] * 1e3

    config = timeline.at(epochs)
    hosted = np.zeros(n, bool)
    for p in timeline.phases:
        if any(a.catalog_id in prop.host_modules for a in p.attachments):
            s0 = np.datetime64(p.start.replace(tzinfo=None), "us")
            s1 = np.datetime64(p.end.replace(tzinfo=None), "us")
            hosted |= (epochs >= s0) & (epochs < s1)
    hosted_l = hosted.tolist()
    area = config.drag_area_m2
    mass = np.where(config.mass_kg > 0, config.mass_kg, 1.0)
    ballistic = np.where(config.mass_kg > 0, cd * area / mass, 0.0)
    # King-Hele's co-rotating-atmosphere factor (nearly constant over the band).
    f_rot = float(rotation_factor(R_EQ_M + orbit.altitude_km * 1e3, inc))

    # Daily density tables at three trial altitudes spanning the band; log-linear in between.
    days = epochs[::24]
    mjd = (days - np.datetime64("1858-11-17T00:00:00", "us")) / np.timedelta64(86400, "s")
    t_days = Time(np.floor(mjd) + 2400000.5, mjd - np.floor(mjd), format="jd", scale="utc")
    raan_guess = np.radians(orbit.raan_deg) + nodal_rate_rad_s(
        R_EQ_M + orbit.altitude_km * 1e3, inc) * (
        (days - days[0]) / np.timedelta64(1, "s")).astype(float)
    trial = np.array([low - 60e3, 0.5 * (low + high), high + 60e3])
    rho_days = orbit_average_density(t_days, trial, inc, raan_guess, weather, model)
    if progress:
        progress(0.3)
    log_rho_days = np.log(rho_days)
    hours_since = (epochs - epochs[0]) / np.timedelta64(1, "h")
    day_idx = hours_since / 24.0
    log_rho_h = np.stack([np.interp(day_idx, np.arange(len(days)), log_rho_days[:, k])
                          for k in range(3)], axis=1)
    f107 = np.asarray(weather.f107(t_days), dtype=float)
    f107_h = np.interp(day_idx, np.arange(len(days)), f107)

    lr_h = log_rho_h.tolist()
    trial = trial.tolist()
    allowed = _no_burn_mask(epochs, timeline, prop.no_burn_window_h.value)

    # Propellant: station tanks start with NEM-1's load; each Progress adds its transfer
    # propellant on docking and carries its own reboost reserve while docked.
    vehicles = timeline.catalog.vehicles
    progress_docked: dict[str, float] = {}
    dock_events = [(np.datetime64(e.time.replace(tzinfo=None), "us"), e) for e in timeline.events
                   if e.part_kind == "vehicle"]
    dock_events.sort(key=lambda x: x[0])
    ev_k = 0
    tank = min(prop.initial_propellant_kg.value, prop.station_tank_kg.value)
    cap = prop.station_tank_kg.value

    alt = np.empty(n)
    raan = np.empty(n)
    rho = np.empty(n)
    tank_h = np.empty(n)
    a = R_EQ_M + orbit.altitude_km * 1e3
    om = np.radians(orbit.raan_deg)
    hist = OrbitHistory(epochs, alt, raan, rho, ballistic, tank_h, f107_h)
    pending = False
    ballistic_l = ballistic.tolist()
    mass_l = mass.tolist()
    allowed_l = allowed.tolist()
    # nodal rate = nodal_k * (R/a)^3.5 (J2 secular, circular): hoisted constant.
    nodal_k = float(nodal_rate_rad_s(R_EQ_M, inc))
    for k in range(n):
        while ev_k < len(dock_events) and dock_events[ev_k][0] <= epochs[k]:
            _, ev = dock_events[ev_k]
            veh = vehicles[ev.catalog_id]
            if veh.id.startswith("progress"):
                if ev.kind == "dock":
                    transfer = veh.station_propellant_kg.value
                    tank = min(cap, tank + transfer)
                    progress_docked[ev.part] = prop.progress_reboost_kg.value
                else:
                    progress_docked.pop(ev.part, None)
            ev_k += 1
        h = a - R_EQ_M
        # log-density at this altitude, piecewise linear between the three trial altitudes
        # (and extrapolated with the nearest segment's scale height outside them).
        seg = 0 if h < trial[1] else 1
        row = lr_h[k]
        lr = row[seg] + (row[seg + 1] - row[seg]) * (h - trial[seg]) / (
            trial[seg + 1] - trial[seg])
        r = float(np.exp(lr))
        alt[k], raan[k], rho[k], tank_h[k] = h, om, r, tank
        if h < low:
            pending = True
        if pending and allowed_l[k] and mass_l[k] > 1.0:
            dv = hohmann_dv(h / 1e3, high / 1e3)
            # A docked Progress burns its own reserve first, then the station's tanks.
            sources = [(name, prop.progress_isp_s.value, fuel)
                       for name, fuel in progress_docked.items()]
            sources.append(("station", prop.station_isp_s.value, tank))
            if hosted_l[k]:
                sources = [("host", prop.progress_isp_s.value, math.inf)]
            done = False
            for source, isp, fuel in sources:
                need = float(propellant_for_dv(mass_l[k], dv, isp))
                if need > fuel:
                    continue
                if source == "station":
                    tank -= need
                elif source != "host":
                    progress_docked[source] -= need
                hist.burns.append(Burn(epochs[k], dv, need, source, h / 1e3, high / 1e3,
                                       mass_l[k], isp))
                a = R_EQ_M + high
                h = high
                pending = False
                done = True
                break
            if not done and (not hist.alarms or hist.alarms[-1][1] != "propellant"):
                hist.alarms.append((epochs[k], "propellant",
                                    f"reboost of {dv:.1f} m/s needs more propellant than the "
                                    f"{tank:.0f} kg in the tanks and any docked Progress"))
        if h < 300e3 and (not hist.alarms or hist.alarms[-1][1] not in ("altitude", "reentry")):
            hist.alarms.append((epochs[k], "altitude", f"altitude {h / 1e3:.1f} km below 300 km"))
        if h < 150e3:
            if hist.alarms[-1][1] != "reentry":
                hist.alarms.append((epochs[k], "reentry", "altitude below 150 km: station lost"))
            continue
        # Advance one hour (explicit midpoint; da per hour is metres).
        b_k = ballistic_l[k] * f_rot
        a_mid = a - 0.5 * HOUR * b_k * r * math.sqrt(MU_EARTH_M3_S2 * a)
        a = a - HOUR * b_k * r * math.sqrt(MU_EARTH_M3_S2 * a_mid)
        om = om + HOUR * nodal_k * (R_EQ_M / a) ** 2 * (R_EQ_M / a) ** 1.5
    return hist


#: The ISS's ballistic data in the NASA/JSC ephemeris of 2022-01-17 (tests/data/iss): mass,
#: drag area, Cd; and its usual altitude. Used to put rossim's reboost figures next to the
#: published ISS propellant budget (ros-facts.md: ~7,000 kg/yr).
ISS_MASS_KG, ISS_AREA_M2, ISS_CD, ISS_ALT_KM, ISS_INC_DEG = 458943.0, 1606.8, 2.5, 415.0, 51.64


def iss_reboost_by_year(days: np.ndarray, weather, isp_s: float,
                        model: str = "nrlmsise00") -> dict[str, dict[str, float]]:
    """What the same decay model gives for the ISS kept at 415 km in the same days and space
    weather: per year, drag delta-v (m/s, circular: dv = v da / 2a) and propellant (kg)."""
    inc = np.radians(ISS_INC_DEG)
    a = R_EQ_M + ISS_ALT_KM * 1e3
    mjd = (days.astype("datetime64[us]") - np.datetime64("1858-11-17T00:00:00", "us")) \
        / np.timedelta64(86400, "s")
    t = Time(np.floor(mjd) + 2400000.5, mjd - np.floor(mjd), format="jd", scale="utc")
    node = np.radians(0.0) + float(nodal_rate_rad_s(a, inc)) * 86400.0 * np.arange(len(days))
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
