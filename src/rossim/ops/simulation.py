"""The operations simulation: one clock over the scenario span, many models.

:func:`simulate` runs, in this order (each model reads what the earlier ones wrote):

1. **Configuration** (``station.build_timeline``): dockings, undockings, separations; the
   events that every other model sees.
2. **Altitude** (:mod:`rossim.ops.orbit_keeping`), hourly: orbit-averaged drag decay with the
   ballistic coefficient of the configuration, reboosts planned against the altitude band and
   the no-burn windows, propellant by the rocket equation.
3. **Faults** (:mod:`rossim.ops.fdir`) and **robot/crew tasks** (:mod:`rossim.ops.robotics`):
   seeded unit failures and injected ones, detection on 10 s telemetry around each fault,
   automatic responses, repairs booked in uncrewed (robot) or crewed (crew) periods.
4. **Power** (:mod:`rossim.systems.power`), at ``operations.power_step_s`` (60 s default)
   over the whole span in 30-day chunks: station position from the altitude channel (circular
   orbit, J2 node), Sun from DE421, conical Earth shadow, beta angle, generation, loads by mode,
   batteries and load shedding; aggregated to 10-minute bins for the archive.
5. **Consumables** (:mod:`rossim.systems.consumables`), daily.

Adaptive fidelity: the altitude channel is hourly (it changes by metres per hour), power runs
at the fine step everywhere (eclipses last half an hour, so every orbit is resolved), fault
signatures at 10 s in two-hour windows around each fault. Same scenario and seed, same results
(one ``numpy.random.Generator`` seeded from the scenario, used in a fixed order).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from astropy.time import Time

from rossim.config.scenario import Scenario
from rossim.config.systems import SystemsCatalog, load_systems
from rossim.dynamics.decay import R_EQ_M, mean_motion_rad_s, orbit_normal_gcrf, unit_vectors_gcrf
from rossim.environment.eclipse import illumination
from rossim.environment.ephemeris import sun_position_gcrf
from rossim.environment.spaceweather import ConstantWeather, default_weather
from rossim.ops.fdir import FdirResult, run_fdir
from rossim.ops.orbit_keeping import OrbitHistory, simulate_orbit
from rossim.ops.robotics import Scheduler, Task, crew_windows
from rossim.station import Timeline, build_timeline
from rossim.systems.consumables import Consumables, simulate_consumables
from rossim.systems.power import generation_kw, integrate_battery

BIN_S = 600.0          # archive resolution of the power channel
CHUNK_DAYS = 30


@dataclass
class PowerHistory:
    """10-minute bins (``epochs`` at each bin start) and per-bin statistics."""

    epochs: np.ndarray
    soc_min: np.ndarray
    soc_max: np.ndarray
    generation_kw: np.ndarray
    load_kw: np.ndarray
    served_kw: np.ndarray
    shed_fraction: np.ndarray
    sunlit_fraction: np.ndarray
    beta_deg: np.ndarray
    battery_kwh: np.ndarray
    deficit_fraction: np.ndarray
    deficit_steps: int = 0


@dataclass
class SimulationResult:
    scenario: Scenario
    seed: int
    timeline: Timeline
    orbit: OrbitHistory
    power: PowerHistory
    consumables: Consumables
    fdir: FdirResult
    tasks: list[Task]
    events: list[dict] = field(default_factory=list)
    iss_reference: dict[str, dict[str, float]] = field(default_factory=dict)
    crew_dose: list[dict[str, Any]] = field(default_factory=list)
    timing_s: dict[str, float] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)


def time_from_datetime64(t: np.ndarray) -> Time:
    """astropy Time (UTC) from ``datetime64`` without string parsing (fast for long arrays)."""
    mjd = (t - np.datetime64("1858-11-17T00:00:00", "us")) / np.timedelta64(86400, "s")
    day = np.floor(mjd)
    return Time(day + 2400000.5, mjd - day, format="jd", scale="utc")


def _dt64(x: dt.datetime) -> np.datetime64:
    return np.datetime64(x.astimezone(dt.UTC).replace(tzinfo=None), "us")


def _phase_table(timeline: Timeline, systems: SystemsCatalog):
    """Per-phase battery capacity (kWh), pressurised-module count."""
    cat = timeline.catalog
    batt, npress = [], []
    for p in timeline.phases:
        mods = [a.catalog_id for a in p.attachments if a.kind == "module"]
        batt.append(sum(systems.power.battery_kwh.get(m, 0.0) for m in mods))
        npress.append(sum(1 for m in mods if cat.modules[m].pressurised_volume_m3.value > 0))
    return np.array(batt + [0.0]), np.array(npress + [0], dtype=float)


def _interval_factor(epochs: np.ndarray, intervals, factor: float) -> np.ndarray:
    out = np.ones(len(epochs))
    for s, e in intervals:
        out[(epochs >= _dt64(s)) & (epochs < _dt64(e))] *= factor
    return out


def simulate_power(timeline: Timeline, orbit: OrbitHistory, systems: SystemsCatalog,
                   fdir: FdirResult, step_s: float, progress=None) -> PowerHistory:
    """Power channel over the run (see module docstring)."""
    pw = systems.power
    inc = np.radians(timeline.scenario.orbit.inclination_deg)
    start, end = orbit.epochs[0], orbit.epochs[-1]
    step = np.timedelta64(int(step_s * 1e6), "us")
    per_bin = int(round(BIN_S / step_s))
    if per_bin * step_s != BIN_S:
        raise ValueError("power_step_s must divide 600 s")
    # Hourly orbit -> argument of latitude by integrating the mean motion.
    hours_s = ((orbit.epochs - start) / np.timedelta64(1, "s")).astype(float)
    a_h = R_EQ_M + orbit.altitude_m
    n_h = mean_motion_rad_s(a_h)
    u_h = np.concatenate([[0.0], np.cumsum(n_h[:-1] * np.diff(hours_s))])
    # Sun every 3 hours, interpolated to the fine grid: it moves 0.12 deg in 3 h along a
    # circle, so the chord error is ~1e-6 rad, far below what shadow and beta need.
    sun_t = np.arange(start, end + np.timedelta64(6, "h"), np.timedelta64(3, "h"))
    sun = sun_position_gcrf(time_from_datetime64(sun_t))
    sun_s = ((sun_t - start) / np.timedelta64(1, "s")).astype(float)
    batt_phase, npress_phase = _phase_table(timeline, systems)
    effects = fdir.effects(systems)
    cat = timeline.catalog
    array_faults = [(s, e, cat.modules[m].solar_array_power_kw.value)
                    for s, e, c, m in effects if c == "array-drive" and m in cat.modules]
    battery_faults = [(s, e) for s, e, c, _ in effects if c == "battery-string"]
    safe = [(s, e) for s, e, c, _ in effects if c not in ("array-drive", "battery-string")]

    out: dict[str, list[np.ndarray]] = {k: [] for k in (
        "epochs", "soc_min", "soc_max", "generation_kw", "load_kw", "served_kw",
        "shed_fraction", "sunlit_fraction", "beta_deg", "battery_kwh", "deficit_fraction")}
    soc = pw.max_soc.value
    deficit_steps = 0
    chunk = np.timedelta64(CHUNK_DAYS, "D")
    c0 = start
    total = (end - start) / np.timedelta64(1, "s")
    while c0 < end:
        c1 = min(c0 + chunk, end)
        epochs = np.arange(c0, c1, step)
        nb = len(epochs) // per_bin
        epochs = epochs[: nb * per_bin]
        if nb == 0:
            break
        ts = ((epochs - start) / np.timedelta64(1, "s")).astype(float)
        k = np.clip(np.searchsorted(hours_s, ts, side="right") - 1, 0, len(hours_s) - 1)
        frac = ts - hours_s[k]
        u = u_h[k] + n_h[k] * frac
        raan = orbit.raan_rad[k]
        r_sat = unit_vectors_gcrf(raan, inc, u) * (a_h[k])[:, None]
        r_sun = np.stack([np.interp(ts, sun_s, sun[:, j]) for j in range(3)], axis=1)
        lit = illumination(r_sat, r_sun, "conical")
        normal = orbit_normal_gcrf(raan, inc)
        s_hat = r_sun / np.linalg.norm(r_sun, axis=1)[:, None]
        beta = np.arcsin(np.clip(np.einsum("ij,ij->i", normal, s_hat), -1.0, 1.0))
        phase = timeline.phase_index(epochs)
        config = timeline.at(epochs)
        cap_kw = config.solar_array_power_kw.copy()
        for s, e, module_kw in array_faults:
            m = (epochs >= _dt64(s)) & (epochs < _dt64(e))
            cap_kw[m] -= 0.5 * module_kw
        years = ts / (365.25 * 86400.0)
        gen = generation_kw(cap_kw, beta, lit, years, pw.array_degradation_per_year.value)
        crew = config.crew_aboard
        house = pw.housekeeping_kw_per_module.value * npress_phase[phase]
        experiments = np.where(crew > 0, pw.experiments_kw_crewed.value,
                               pw.experiments_kw_automatic.value)
        experiments = experiments * _interval_factor(epochs, safe, 0.0)
        life = pw.crew_kw_per_person.value * crew
        load = house + life + experiments
        essential = pw.essential_fraction.value * house + life
        batt = batt_phase[phase] * _interval_factor(epochs, battery_faults, 0.75)
        soc_arr, served, shed, deficit = integrate_battery(
            step_s, gen, load, essential, batt, soc, pw.min_soc.value, pw.max_soc.value,
            pw.charge_efficiency.value, 0.15)
        soc = float(soc_arr[-1]) if len(soc_arr) else soc
        deficit_steps += int(deficit.sum())

        def binned(x, how="mean", nb=nb):
            x = np.asarray(x, dtype=float).reshape(nb, per_bin)
            return {"mean": x.mean, "min": x.min, "max": x.max}[how](axis=1)

        out["epochs"].append(epochs[::per_bin])
        out["soc_min"].append(binned(soc_arr, "min"))
        out["soc_max"].append(binned(soc_arr, "max"))
        out["generation_kw"].append(binned(gen))
        out["load_kw"].append(binned(load))
        out["served_kw"].append(binned(served))
        out["shed_fraction"].append(binned(shed))
        out["sunlit_fraction"].append(binned(lit))
        out["beta_deg"].append(binned(np.degrees(beta)))
        out["battery_kwh"].append(binned(batt))
        out["deficit_fraction"].append(binned(deficit))
        if progress:
            progress((c1 - start) / np.timedelta64(1, "s") / total)
        c0 = c1
    return PowerHistory(**{k: np.concatenate(v) for k, v in out.items()},
                        deficit_steps=deficit_steps)


def _deliveries(timeline: Timeline, systems: SystemsCatalog, days: np.ndarray):
    ls = systems.life_support
    out = {k: np.zeros(len(days)) for k in ("oxygen", "water", "food")}
    for e in timeline.events:
        if e.part_kind != "vehicle" or e.kind != "dock":
            continue
        v = timeline.catalog.vehicles[e.catalog_id]
        k = int((np.datetime64(e.time.replace(tzinfo=None), "D") - days[0]) / np.timedelta64(1, "D"))
        if not 0 <= k < len(days):
            continue
        if v.kind == "cargo":
            out["oxygen"][k] += v.oxygen_kg.value if v.oxygen_kg else 0.0
            out["water"][k] += v.water_kg.value if v.water_kg else 0.0
            dry = v.dry_cargo_kg.value if v.dry_cargo_kg else v.cargo_kg.value
            out["food"][k] += ls.food_fraction_of_dry_cargo.value * dry
        else:  # a crew ship's cargo: half food, half water (estimate)
            out["food"][k] += 0.5 * v.cargo_kg.value
            out["water"][k] += 0.5 * v.cargo_kg.value
    return out


def simulate(scenario: Scenario, seed: int | None = None, progress=None,
             systems: SystemsCatalog | None = None, crew_dose=None) -> SimulationResult:
    """Run the whole operations simulation for ``scenario`` (see the module docstring).

    ``progress(stage, fraction)`` is called as the run advances. ``crew_dose(scenario)``, if
    given (the command passes :func:`rossim.analysis.dose.crew_visit_doses`, which sits above
    this layer), returns one row per crewed visit that the run records.
    """
    systems = systems or load_systems()
    seed = scenario.seed if seed is None else seed
    ops = scenario.operations
    timing: dict[str, float] = {}

    def tick(name: str, t0: float) -> None:
        timing[name] = timing.get(name, 0.0) + time.perf_counter() - t0

    def report(stage: str, fraction: float) -> None:
        if progress:
            progress(stage, fraction)

    t0 = time.perf_counter()
    timeline = build_timeline(scenario)
    for i, f in enumerate(ops.faults):
        if systems.component_by_id(f.component) is None:
            from rossim.errors import InputError

            raise InputError(scenario.source_path, f"operations.faults[{i}].component",
                             f.component, "one of " + ", ".join(c.id for c in systems.component))
    tick("configuration", t0)
    report("configuration", 1.0)

    t0 = time.perf_counter()
    weather = (ConstantWeather(ops.f107, ops.f107a, ops.ap) if ops.space_weather == "constant"
               else default_weather())
    tick("space weather", t0)

    t0 = time.perf_counter()
    orbit = simulate_orbit(timeline, systems, weather, cd=ops.cd, model=ops.atmosphere,
                           progress=lambda f: report("altitude", f))
    from rossim.ops.orbit_keeping import iss_reboost_by_year

    days_all = np.arange(orbit.epochs[0].astype("datetime64[D]"),
                         orbit.epochs[-1].astype("datetime64[D]") + 1)
    iss = iss_reboost_by_year(days_all, weather, systems.propulsion.progress_isp_s.value,
                              ops.atmosphere)
    tick("altitude and reboosts", t0)
    report("altitude", 1.0)

    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    scheduler = Scheduler(timeline, systems, crew_windows(timeline))
    scheduler.plan_routine()
    injected = ops.faults
    if not ops.random_faults:
        rng_faults = np.random.default_rng(seed)
        fdir = run_fdir(_no_random(systems), timeline, rng_faults, injected, scheduler.repair)
    else:
        fdir = run_fdir(systems, timeline, rng, injected, scheduler.repair)
    tick("faults and robotics", t0)
    report("faults", 1.0)

    t0 = time.perf_counter()
    power = simulate_power(timeline, orbit, systems, fdir, ops.power_step_s,
                           progress=lambda f: report("power", f))
    tick("power", t0)

    t0 = time.perf_counter()
    days = np.arange(orbit.epochs[0].astype("datetime64[D]"),
                     orbit.epochs[-1].astype("datetime64[D]") + 1)
    hourly_crew = timeline.at(orbit.epochs).crew_aboard
    day_of_hour = ((orbit.epochs.astype("datetime64[D]") - days[0])
                   / np.timedelta64(1, "D")).astype(int)
    crew_day = np.bincount(day_of_hour, weights=hourly_crew, minlength=len(days)) / np.maximum(
        np.bincount(day_of_hour, minlength=len(days)), 1)
    consumables = simulate_consumables(days, crew_day, _deliveries(timeline, systems, days),
                                       systems.life_support)
    tick("consumables", t0)

    if crew_dose is not None:
        t0 = time.perf_counter()
        dose_rows = list(crew_dose(scenario))
        tick("crew dose", t0)
        report("dose", 1.0)
    else:
        dose_rows = []

    from rossim.ops.summary import build_events, build_summary

    result = SimulationResult(scenario, seed, timeline, orbit, power, consumables, fdir,
                              scheduler.tasks, timing_s=timing)
    result.iss_reference = iss
    result.crew_dose = dose_rows
    t0 = time.perf_counter()
    result.events = build_events(result, systems)
    result.summary = build_summary(result, systems)
    tick("events and summary", t0)
    return result


def _no_random(systems: SystemsCatalog) -> SystemsCatalog:
    """Systems with MTBFs so long that no random fault occurs (only injected ones)."""
    comps = [c.model_copy(update={"mtbf_h": c.mtbf_h.model_copy(update={"value": 1e15})})
             for c in systems.component]
    return systems.model_copy(update={"component": comps})
