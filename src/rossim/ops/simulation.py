"""The station as a closed-loop, commandable system: :class:`Simulation`.

One clock and one shared station state (:class:`StationState`: configuration, shedding level,
safe mode, activities, degraded arrays and batteries), advanced by the engine
(:mod:`rossim.ops.engine`) through its models:

==============  =====================================  =========================================
model           module                                 what it owns
==============  =====================================  =========================================
orbit           :mod:`rossim.ops.orbit_keeping`        altitude, node, density, propellant, burns
power           :mod:`rossim.ops.electrical`           generation, loads, batteries
thermal         :mod:`rossim.ops.thermal`              module temperatures, heaters, radiators
consumables     :mod:`rossim.ops.life_support`         oxygen, water, food, stowage
reliability     :mod:`rossim.ops.fdir`                 unit failures and their detection
autonomy        :mod:`rossim.ops.autonomy`             shedding, reboosts, FDIR response, safe mode
scheduler       :mod:`rossim.ops.robotics`             robot and crew tasks, repairs
==============  =====================================  =========================================

The configuration (modules, docked vehicles, crew) changes at the events of the checked plan
(:func:`rossim.station.build_timeline`) and by command (undock, relocate, attitude). Each
model draws from its own random stream spawned from the run seed.

Python API::

    from rossim.config.scenario import load_scenario
    from rossim.ops import Simulation, Reboost

    sim = Simulation(load_scenario("ros-51.6"), seed=1)
    sim.advance_to("2029-03-01")
    result = sim.command(Reboost(target_altitude_km=412.0))   # accepted or refused, with reason
    sim.advance_to("2029-04-01")
    alt = sim.telemetry(["altitude_km"], since="2029-02-25")["altitude_km"]
    run = sim.finish()                                       # SimulationResult: summary, events

:func:`simulate` is that API with no operator: ``rossim run``.
"""

from __future__ import annotations

import datetime as dt
import math
import time
import zlib
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from rossim.config.scenario import Scenario
from rossim.config.systems import SystemsCatalog, load_systems
from rossim.errors import InputError
from rossim.ops import commands as C
from rossim.ops.autonomy import Autonomy
from rossim.ops.engine import (
    Channel,
    Engine,
    StationState,
    model_stream,
    to_datetime,
    to_dt64,
)
from rossim.ops.fdir import FdirResult, Reliability, first_power_module
from rossim.ops.orbit_keeping import OrbitHistory, OrbitModel
from rossim.ops.robotics import Scheduler, Task, crew_windows
from rossim.station import Timeline, build_timeline
from rossim.systems.consumables import Consumables


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
    shed_level: np.ndarray | None = None
    safe_mode: np.ndarray | None = None
    sun_biased: np.ndarray | None = None
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
    alarms: list[dict[str, Any]] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    invariants: list[dict[str, Any]] = field(default_factory=list)
    ledgers: dict[str, Any] = field(default_factory=dict)
    outcome: str = "completed"
    end_time: np.datetime64 | None = None
    config_hourly: dict[str, np.ndarray] = field(default_factory=dict)
    waits: list[tuple[np.datetime64, np.datetime64, str]] = field(default_factory=list)
    spans: int = 0
    channels: dict[str, Channel] = field(default_factory=dict)
    contact_minutes: np.ndarray | None = None   # per day of ``consumables.days``
    contact: dict[str, Any] = field(default_factory=dict)   # ops.contact.contact_record
    thermal: dict[str, np.ndarray] | None = None   # telemetry_thermal columns (ops.thermal)
    thermal_summary: dict[str, Any] = field(default_factory=dict)



def _channels() -> dict[str, Channel]:
    ch = [
        Channel("altitude_km", "telemetry_hourly", "km", "mean altitude a - R_eq", 150, 2000,
                "orbit"),
        Channel("raan_deg", "telemetry_hourly", "deg", "node, GCRF", None, None, "orbit"),
        Channel("density_kg_m3", "telemetry_hourly", "kg/m^3", "orbit-average density",
                None, None, "orbit"),
        Channel("ballistic_m2_kg", "telemetry_hourly", "m^2/kg", "Cd A / m", None, None, "orbit"),
        Channel("station_propellant_kg", "telemetry_hourly", "kg", "station tanks", 0, None,
                "propulsion"),
        Channel("f107", "telemetry_hourly", "sfu", "solar flux F10.7", None, None, "environment"),
        Channel("mass_kg", "telemetry_hourly", "kg", "with docked vehicles", None, None,
                "configuration"),
        Channel("drag_area_m2", "telemetry_hourly", "m^2", "flight attitude", None, None,
                "configuration"),
        Channel("crew_aboard", "telemetry_hourly", "people", "crew aboard", 0, None, "crew"),
        Channel("crew_capacity", "telemetry_hourly", "people", "berths", None, None, "crew"),
        Channel("soc_min", "telemetry_power", "fraction", "battery state of charge, bin min",
                None, None, "power"),
        Channel("soc_max", "telemetry_power", "fraction", "battery state of charge, bin max",
                None, 1, "power"),
        Channel("generation_kw", "telemetry_power", "kW", "array output, bin mean", 0, None,
                "power"),
        Channel("load_kw", "telemetry_power", "kW", "load demanded, bin mean", None, None,
                "power"),
        Channel("served_kw", "telemetry_power", "kW", "load served, bin mean", None, None,
                "power"),
        Channel("shed_fraction", "telemetry_power", "fraction", "of the bin with loads shed",
                None, 0, "power"),
        Channel("sunlit_fraction", "telemetry_power", "fraction", "sunlit, bin mean", None,
                None, "power"),
        Channel("beta_deg", "telemetry_power", "deg", "beta angle", None, None, "power"),
        Channel("battery_kwh", "telemetry_power", "kWh", "usable capacity", None, None, "power"),
        Channel("deficit_fraction", "telemetry_power", "fraction",
                "of the bin with essential loads unmet", None, 0, "power"),
        Channel("shed_level", "telemetry_power", "level", "load-shedding level (0-2)", None, 0,
                "power"),
        Channel("safe_mode", "telemetry_power", "flag", "safe mode (1)", None, 0, "station"),
        Channel("sun_biased", "telemetry_power", "flag",
                "sun-biased attitude chosen by the autonomy at high beta (1)", None, None,
                "power"),
        Channel("oxygen_kg", "telemetry_daily", "kg", "stock", 0, None, "life support"),
        Channel("water_kg", "telemetry_daily", "kg", "stock", 0, None, "life support"),
        Channel("food_kg", "telemetry_daily", "kg", "stock", 0, None, "life support"),
        Channel("crew", "telemetry_daily", "people", "mean aboard", None, None, "life support"),
        Channel("margin_days", "telemetry_daily", "days", "stocks for max(crew, 2)", 45, None,
                "life support"),
        Channel("shortfall_kg", "telemetry_daily", "kg", "unmet demand", None, 0,
                "life support"),
        Channel("contact_minutes", "telemetry_daily", "min",
                "contact per calendar day: union of the ground stations' passes above their "
                "masks and the Luch-5 relays' line of sight", None, None, "communications"),
        Channel("contact_ground_minutes", "telemetry_daily", "min",
                "contact with the catalog's ground stations per calendar day (union of passes)",
                None, None, "communications"),
        Channel("contact_relay_minutes", "telemetry_daily", "min",
                "contact through the Luch-5 relays per calendar day (union of line of sight)",
                None, None, "communications"),
        Channel("in_contact", "telemetry_contact", "flag",
                "in contact (1) or not (0), one sample at every AOS and LOS (ground or relay)",
                None, None, "communications"),
        Channel("in_ground_contact", "telemetry_contact", "flag",
                "in contact with a ground station (1) or not (0), steps at AOS and LOS",
                None, None, "communications"),
        Channel("in_relay_contact", "telemetry_contact", "flag",
                "in contact through a Luch-5 relay (1) or not (0), steps at AOS and LOS",
                None, None, "communications"),
        # thermal (rossim.ops.thermal; per-module channels are added by the model)
        Channel("max_temperature_c", "telemetry_thermal", "degC",
                "warmest module, hourly mean", None, None, "thermal"),
        Channel("min_temperature_c", "telemetry_thermal", "degC",
                "coldest module, hourly mean", None, None, "thermal"),
        Channel("heater_kw", "telemetry_thermal", "kW", "heater power of all modules, hourly mean",
                0, None, "thermal"),
        Channel("radiator_kw", "telemetry_thermal", "kW",
                "heat rejected by all radiators, hourly mean", 0, None, "thermal"),
    ]
    return {c.name: c for c in ch}


CHANNELS = _channels()


class Simulation:
    """A run of the station, step by step (see the module docstring).

    Parameters
    ----------
    scenario:
        A validated :class:`~rossim.config.scenario.Scenario`.
    seed:
        Run seed (default the scenario's); each model's stream is spawned from it.
    systems, weather, timeline:
        Overrides of the systems catalog, the space weather and the checked plan.
    models:
        Which continuous models run (default all): ``("orbit",)`` gives the altitude and
        reboost history alone (trade studies).
    preflight:
        Refuse a scenario that cannot run (default). ``False`` lets an impossible
        configuration through so that the plausibility guard reports it (tests of the guard).

    Raises
    ------
    InputError
        The scenario cannot run (:func:`rossim.ops.preflight.check_runnable`).
    """

    def __init__(self, scenario: Scenario, seed: int | None = None, *,
                 systems: SystemsCatalog | None = None, weather=None,
                 timeline: Timeline | None = None,
                 models: tuple[str, ...] = ("orbit", "power", "consumables"),
                 cd: float | None = None, atmosphere: str | None = None, progress=None,
                 preflight: bool = True):
        from rossim.ops.preflight import check_runnable

        t_start = time.perf_counter()
        self.scenario = scenario
        self.systems = systems or load_systems()
        self.seed = scenario.seed if seed is None else int(seed)
        self.timeline = timeline or build_timeline(scenario)
        if preflight:
            self.scenario_commands = check_runnable(scenario, self.timeline, self.systems)
        else:  # the guard's own tests run impossible configurations on purpose
            from rossim.ops.commands import from_entry

            self.scenario_commands = [from_entry(c) for c in scenario.commands]
        ops = scenario.operations
        if weather is None:
            # the scenario's weather: constant, or the forecast with the Monte Carlo knobs
            # (amplitude, phase, daily noise), noise from its own stream
            from rossim.environment.spaceweather import operations_weather

            weather = operations_weather(ops, seed=np.random.SeedSequence(
                self.seed, spawn_key=(zlib.crc32(b"space-weather"),)))
        self.weather = weather
        t_ref = np.datetime64(self.timeline.phases[0].start.replace(tzinfo=None), "h")
        t_end = to_dt64(scenario.span.end)
        step = int(ops.power_step_s)
        end_s = int((t_end - t_ref.astype("datetime64[us]")) / np.timedelta64(1, "s"))
        self.engine = Engine(t_ref.astype("datetime64[us]"), end_s - end_s % step, step,
                             self.seed)
        self.engine.context = self
        self.state = StationState(attitude=scenario.orbit.attitude)
        self.events: list[dict[str, Any]] = []
        self.alarms: list[dict[str, Any]] = []
        self.command_log: list[dict[str, Any]] = []
        self._alarm_last: dict[str, int] = {}
        self._alarm_index: dict[str, int] = {}
        self.outcome = "completed"
        self.arrival_s: dict[str, int] = {}
        self.channels = dict(CHANNELS)
        # limits that come from the systems catalog: the allowed depth of discharge
        dod = self.systems.power.min_soc.value
        self.channels["soc_min"] = replace(CHANNELS["soc_min"], low=dod)
        band = scenario.orbit.altitude_band_km or (scenario.orbit.altitude_km - 10.0,
                                                   scenario.orbit.altitude_km + 10.0)
        self.channels["altitude_km"] = replace(CHANNELS["altitude_km"], low=band[0],
                                               high=band[1])
        self.channels["margin_days"] = replace(
            CHANNELS["margin_days"], low=self.systems.life_support.reserve_days.value)
        self._config_cache: dict[tuple, Any] = {}
        self._plan_version = 0
        self._phase = -1
        self.config = None
        self.config_rows: dict[str, list] = {k: [] for k in (
            "t_s", "mass_kg", "drag_area_m2", "crew_aboard", "crew_capacity")}
        self.timing_s: dict[str, float] = {}
        self.free_flyers_deployed = 0

        self.reliability = Reliability(self, model_stream(self.seed, "reliability"),
                                       model_stream(self.seed, "fdir"), ops.random_faults,
                                       rate_scale=ops.fault_rate_scale)
        self.autonomy = Autonomy(self)
        self.scheduler = Scheduler(self.timeline, self.systems, crew_windows(self.timeline))
        self._apply_phase(0)

        raan0 = self.node_at_reference()
        c0 = time.perf_counter()
        self.orbit = OrbitModel(self, weather, cd=ops.cd if cd is None else cd,
                                model=atmosphere or ops.atmosphere, raan0_rad=raan0)
        self.timing_s["space weather and density tables"] = time.perf_counter() - c0
        active = [self.orbit]
        self.power = self.consumables = None
        if "power" in models:
            from rossim.ops.electrical import PowerModel

            self.power = PowerModel(self)
            active.append(self.power)
        self.contact = None
        if "power" in models:
            from rossim.ops.contact import ContactModel

            c0 = time.perf_counter()
            self.contact = ContactModel(self)
            self.timing_s["contact frames"] = time.perf_counter() - c0
            active.append(self.contact)
        self.thermal = None
        if "power" in models:
            from rossim.ops.thermal import ThermalModel

            self.thermal = ThermalModel(self)
            active.append(self.thermal)
        if "consumables" in models:
            from rossim.ops.life_support import ConsumablesModel

            self.consumables = ConsumablesModel(self)
            active.append(self.consumables)
        self.engine.add_models(active)
        self.engine.crossing_handlers.append(self.autonomy.on_crossing)
        self.full = "power" in models
        self._schedule_plan()
        self.timing_s["set-up"] = time.perf_counter() - t_start

    # -- time helpers ----------------------------------------------------------------------------
    @property
    def now(self) -> dt.datetime:
        return to_datetime(self.engine.epoch(self.engine.now_s))

    def iso(self, t_s: int) -> str:
        return str(self.engine.epoch(t_s).astype("datetime64[s]")) + "Z"

    def node_at_reference(self) -> float:
        """Node (rad, GCRF) at the run's reference epoch, from the scenario's one orbit
        (:func:`rossim.dynamics.scenario_orbit.node_rad_at`: ``orbit.raan_deg`` or
        ``orbit.ltan_h`` at the span start, J2 drift since), so ``run``, ``trade``,
        ``coverage`` and ``dose`` describe the same orbit."""
        from rossim.dynamics.scenario_orbit import node_rad_at

        return float(node_rad_at(self.scenario, np.array([self.engine.t_ref]))[0])

    # -- event log -------------------------------------------------------------------------------
    def event(self, kind: str, subject: str, detail: str = "", severity: str = "info",
              value: float | None = None, source: str = "engine", t_s: int | None = None) -> None:
        t = self.engine.now_s if t_s is None else t_s
        self.events.append({"time": self.iso(t), "kind": kind, "subject": subject,
                            "detail": detail, "severity": severity,
                            "value": None if value is None else float(value), "source": source})

    def alarm(self, subject: str, detail: str, severity: str, cause: str,
              key: str | None = None, repeat_after_s: int = 0) -> bool:
        """An alarm: in the events table, the report's alarm list and the summary. An alarm
        with the same ``key`` within ``repeat_after_s`` of the previous one is the same
        episode: it goes to the events table only. Returns True for a new alarm."""
        self.event("alarm", subject, detail, severity, source="autonomy")
        if key is not None:
            last = self._alarm_last.get(key)
            self._alarm_last[key] = self.engine.now_s
            if last is not None and self.engine.now_s - last < repeat_after_s:
                self.alarms[self._alarm_index[key]]["repeats"] += 1
                return False
            self._alarm_index[key] = len(self.alarms)
        self.alarms.append({"time": self.iso(self.engine.now_s), "subject": subject,
                            "detail": detail, "severity": severity, "cause": cause,
                            "repeats": 0})
        return True

    def power_cause(self) -> str:
        p = self.power.pending if self.power else None
        if not p or len(p["gen"]) == 0:
            return "no generation data"
        n = min(len(p["gen"]), int(5700 / self.engine.step_s))
        gen = float(p["gen"][-n:].mean())
        beta = float(np.degrees(p["beta"][-n:]).mean())
        return (f"generation {gen:.1f} kW over the last orbit (beta {beta:.0f} deg, arrays "
                f"{self.power.generation_capacity_kw(self, self.engine.now_s):.1f} kW) against "
                f"a load of {p['load']:.1f} kW with {self.config.crew_aboard} crew aboard")

    # -- configuration ---------------------------------------------------------------------------
    def _phase_config(self, i: int):
        from rossim.station.configuration import phase_properties

        st = self.state
        key = (self._plan_version, i, st.attitude)
        cfg = self._config_cache.get(key)
        if cfg is None:
            if st.attitude != self.scenario.orbit.attitude:
                cfg = phase_properties(self.timeline.phases[i], self.timeline.catalog,
                                       st.attitude)
            else:
                cfg = self.timeline.properties[i]
            self._config_cache[key] = cfg
        return cfg

    def _apply_phase(self, i: int) -> None:
        self._phase = i
        self.config = self._phase_config(i)
        r = self.config_rows
        r["t_s"].append(self.engine.now_s)
        for k in ("mass_kg", "drag_area_m2", "crew_aboard", "crew_capacity"):
            r[k].append(float(getattr(self.config, k)))

    def refresh_config(self) -> None:
        self._apply_phase(self._phase)

    def dock_undock_s(self) -> list[int]:
        return [self.engine.seconds(e.time) for e in self.timeline.events
                if e.kind in ("dock", "undock")]

    def _schedule_plan_events(self, after_s: int = -1) -> None:
        """Schedule the plan's configuration events later than ``after_s`` (the plan may be
        replaced by a command: events of an older plan are then ignored)."""
        eng = self.engine
        version = self._plan_version
        by_time: dict[int, list] = {}
        for e in self.timeline.events:
            by_time.setdefault(max(eng.seconds(e.time), 0), []).append(e)
        starts = [max(eng.seconds(p.start), 0) for p in self.timeline.phases]
        for t_s in sorted(by_time):
            if t_s <= after_s:
                continue
            # the phase in force after every event at this instant
            i = max(k for k, s in enumerate(starts) if s <= t_s)

            def action(e, evs=by_time[t_s], i=i):
                if version == self._plan_version:
                    self._plan_events(evs, i)

            eng.schedule(t_s, action, "plan")

    def _schedule_plan(self) -> None:
        eng = self.engine
        self._schedule_plan_events()
        for cmd in self.scenario_commands:
            eng.schedule(max(eng.seconds(cmd.at), 0), lambda e, c=cmd: self.command(c),
                         "scenario command")
        for f in self.scenario.operations.faults:
            comp = self.systems.component_by_id(f.component)
            eng.schedule(max(eng.seconds(f.at), 0),
                         lambda e, c=comp: self._inject(c, None), "injected fault")
        robot = self.systems.robot
        every = int(robot.inspection_every_days.value * 86400)
        for t_s in range(every, eng.t_end_s, every):
            eng.schedule(t_s, lambda e: self._inspection(), "inspection")
        # Debris-avoidance manoeuvres: a Poisson process at the ISS's published rate, drawn
        # from its own stream.
        prop = self.systems.propulsion
        rate_s = prop.debris_avoidance_per_year.value / (365.25 * 86400.0)
        if rate_s > 0:
            rng = model_stream(self.seed, "debris-avoidance")
            t = 0.0
            while True:
                t += float(rng.exponential(1.0 / rate_s))
                if t >= eng.t_end_s:
                    break
                eng.schedule(eng.seconds(eng.epoch(t)), lambda e: self._debris_avoidance(),
                             "debris avoidance")
        for dep in self.scenario.free_flyers.deployments:
            module = dep.port.split(".", 1)[0]
            t_s = max(eng.seconds(dep.date - dt.timedelta(days=7)), 0)
            eng.schedule(t_s, lambda e, m=module: self._robot("relocation", m,
                                                              robot.relocation_h.value), "reloc")

    def _debris_avoidance(self) -> None:
        if self.config is None or self.config.mass_kg <= 0:
            return
        dv = self.systems.propulsion.debris_avoidance_dv_m_s.value
        kg = self.orbit.manoeuvre(self, dv, "debris_avoidance")
        self.event("debris-avoidance", "orbit", f"debris-avoidance manoeuvre {dv:.2f} m/s, "
                   f"{kg:.1f} kg", "info", value=kg, source="ground")

    def _plan_events(self, evs, phase_index: int, moving: frozenset[str] = frozenset()
                     ) -> None:
        """Apply the plan's events at this instant. ``moving``: vehicles that only change
        port (a relocation): no transfer, no departure, one ``relocate`` event."""
        cat = self.timeline.catalog
        first = self._phase < 0
        for e in evs:
            if e.part_kind == "vehicle" and e.part in moving:
                if e.kind == "dock":
                    self.event("relocate", e.part, f"now at {e.port}", source="operator")
                continue
            self.event(e.kind, e.part, e.detail or e.catalog_id, source="plan")
            if e.part_kind == "module" and e.kind == "dock":
                self.arrival_s.setdefault(e.part, self.engine.now_s)
            if e.part_kind == "vehicle" and e.kind == "dock":
                veh = cat.vehicles[e.catalog_id]
                self.orbit.vehicle_docked(e.part, veh)
                self.orbit.manoeuvre(self, self.systems.propulsion.phasing_dv_m_s_per_arrival
                                     .value, "phasing")
            elif e.part_kind == "vehicle" and e.kind == "undock":
                self.orbit.vehicle_undocked(e.part)
        prev_crew = self.config.crew_aboard if self.config is not None and not first else 0
        self._apply_phase(phase_index)
        for e in evs:
            if e.part_kind == "module" and e.kind == "dock":
                self.reliability.module_arrived(e.part)
            if e.part_kind == "vehicle" and e.kind == "dock" and e.part not in moving:
                veh = cat.vehicles[e.catalog_id]
                if self.consumables is not None:
                    self._deliver(e.part, veh)
                self.autonomy.vehicle_docked()
        crew = self.config.crew_aboard
        if (crew > 0) != (prev_crew > 0):
            self.event("mode", "station", "crewed mode" if crew else "automatic mode",
                       value=crew, source="plan")

    def _deliver(self, name: str, veh) -> None:
        ls = self.systems.life_support
        cons = self.consumables
        self.reliability.cargo_docked(name, veh, cons.stowage_kg(self) - sum(
            cons.stock.values()) - self.reliability.spares.mass_kg())
        if veh.kind == "cargo":
            dry = veh.dry_cargo_kg.value if veh.dry_cargo_kg else veh.cargo_kg.value
            o2 = veh.oxygen_kg.value if veh.oxygen_kg else 0.0
            w = veh.water_kg.value if veh.water_kg else 0.0
            food = ls.food_fraction_of_dry_cargo.value * dry
        else:  # a crew ship's cargo: half food, half water (estimate)
            o2, w, food = 0.0, 0.5 * veh.cargo_kg.value, 0.5 * veh.cargo_kg.value
        left = self.consumables.deliver(self, o2, w, food)
        if sum(left.values()) > 0.5:
            self.event("stowage", name, f"{sum(left.values()):.0f} kg of consumables left "
                       "aboard the ship: stowage full", "info", source="autonomy")

    # -- faults and tasks ------------------------------------------------------------------------
    def _inject(self, comp, module: str | None):
        where = "station" if comp.module == "station" else (
            module or first_power_module(self.config, self.timeline.catalog))
        self.reliability.working.setdefault((comp.id, where), comp.units)
        return self.reliability.fail(comp, where, 0, True)

    def _robot(self, kind: str, worksite: str, hours: float, fault_id=None):
        return self.scheduler.book_robot(kind, worksite, self.now, hours, fault_id)

    def _inspection(self) -> None:
        robot = self.systems.robot
        site = next((m for m in self.config.modules if m in robot.base_modules),
                    self.config.modules[0])
        self._robot("inspection", site, robot.inspection_h.value)

    def book_repair(self, f, comp) -> None:
        """Spare, then robot, crew or spacewalk: :meth:`rossim.ops.fdir.Reliability.book_repair`."""
        self.reliability.book_repair(f, comp)

    def end_run(self, outcome: str) -> None:
        self.outcome = outcome
        self.engine.t_end_s = self.engine.now_s

    # -- commands --------------------------------------------------------------------------------
    def command(self, cmd: C.Command) -> C.CommandResult:
        """Execute ``cmd`` now (or schedule it at ``cmd.at`` if that is later). A refused
        command changes nothing; both outcomes go to the events table."""
        cmd.check()
        if cmd.at is not None and self.engine.seconds(cmd.at) > self.engine.now_s:
            t_s = self.engine.seconds(cmd.at)
            later = replace(cmd, at=None)
            self.engine.schedule(t_s, lambda e: self.command(later), "command")
            return C.CommandResult(cmd, True, self.iso(t_s), detail="scheduled")
        ok, text = self._execute(cmd)
        res = C.CommandResult(cmd, ok, self.iso(self.engine.now_s),
                              reason="" if ok else text, detail=text if ok else "")
        self.command_log.append({"time": res.time, "command": cmd.describe(),
                                 "source": cmd.source, "accepted": ok, "detail": text})
        self.event("command" if ok else "command-refused", cmd.name,
                   f"{cmd.describe()}: {text}", "info" if ok else "warning", source=cmd.source)
        return res

    def _execute(self, cmd: C.Command) -> tuple[bool, str]:
        st = self.state
        safe_refused = (C.Reboost, C.StartActivity, C.DeployFreeFlyer)
        if st.safe_mode and isinstance(cmd, safe_refused) and cmd.source != "ground":
            return False, "station in safe mode"
        if isinstance(cmd, C.Reboost):
            return self.orbit.burn(self, dv_m_s=cmd.delta_v_m_s,
                                   target_altitude_km=cmd.target_altitude_km,
                                   commanded_by=cmd.source)
        if isinstance(cmd, C.SetAttitude):
            if cmd.mode == st.attitude:
                return False, f"already in {cmd.mode} attitude"
            st.attitude = cmd.mode
            self.refresh_config()
            return True, f"drag area now {self.config.drag_area_m2:.0f} m^2"
        if isinstance(cmd, C.LoadShed):
            if cmd.level <= st.shed_level:
                return False, f"loads already shed to level {st.shed_level}"
            st.shed_level = cmd.level
            if cmd.source != "autonomy":
                self.autonomy.auto_shed = False
            return True, f"shedding level {cmd.level}"
        if isinstance(cmd, C.LoadRestore):
            if st.shed_level == 0:
                return False, "no loads are shed"
            if self.autonomy.battery_empty:
                return False, "batteries empty"
            st.shed_level = 0
            return True, "all loads restored"
        if isinstance(cmd, (C.Undock, C.Relocate, C.Dock)):
            return self._replan_for(cmd)
        if isinstance(cmd, C.StartActivity):
            if cmd.activity in st.activities:
                return False, f"activity {cmd.activity!r} already running"
            st.activities[cmd.activity] = float(cmd.power_kw)
            return True, f"{cmd.power_kw:g} kW"
        if isinstance(cmd, C.StopActivity):
            if st.activities.pop(cmd.activity, None) is None:
                return False, f"no activity {cmd.activity!r} running"
            return True, "stopped"
        if isinstance(cmd, C.InjectFault):
            comp = self.systems.component_by_id(cmd.component)
            if comp is None:
                return False, f"no component {cmd.component!r}"
            if cmd.module is not None and cmd.module not in self.config.modules:
                return False, f"module {cmd.module!r} is not attached"
            f = self._inject(comp, cmd.module)
            return (True, f"fault #{f.id}") if f else (False, "unit not on the station")
        if isinstance(cmd, C.Repair):
            return self._repair(cmd)
        if isinstance(cmd, C.RobotTask):
            if cmd.worksite not in self.config.modules:
                return False, f"module {cmd.worksite!r} is not attached"
            task = self._robot(cmd.kind, cmd.worksite, cmd.duration_h)
            if task.start is None:
                return False, "no robot slot before the end of the run"
            return True, f"{task.by} from {task.start:%Y-%m-%d %H:%M}"
        if isinstance(cmd, C.DeployFreeFlyer):
            module = cmd.port.split(".", 1)[0]
            if module not in self.config.modules:
                return False, f"module {module!r} of port {cmd.port!r} is not attached"
            cap = self.scenario.free_flyers.max_satellites
            if self.free_flyers_deployed + cmd.count > cap:
                return False, f"would exceed max_satellites = {cap}"
            self.free_flyers_deployed += cmd.count
            return True, f"{cmd.count} x {cmd.mass_kg:g} kg released from {cmd.port}"
        if isinstance(cmd, C.SafeMode):
            if cmd.enter:
                if st.safe_mode:
                    return False, "already in safe mode"
                self.autonomy.enter_safe_mode(f"commanded by {cmd.source}")
                return True, "safe mode"
            if not st.safe_mode:
                return False, "not in safe mode"
            others = [c for c in self.autonomy.safe_causes if not c.startswith("commanded")]
            if others:
                return False, "cause still active: " + "; ".join(others)
            self.autonomy.safe_causes.clear()
            st.safe_mode = False
            self.autonomy.check_reboost()
            return True, "safe mode ended"
        return False, f"unknown command {cmd!r}"  # pragma: no cover

    # -- plan edits: dock, undock, relocate ------------------------------------------------------
    def _explicit_visits(self) -> dict[str, list]:
        """The plan's visits as explicit lists (series expanded), keyed by scenario group."""
        out: dict[str, list] = {"crew_visits": [], "cargo_visits": []}
        for fld, v in self.scenario.visits:
            out["crew_visits" if fld.startswith("crew") else "cargo_visits"].append(v)
        return out

    def _docked_since(self, name: str) -> dt.datetime | None:
        return next((e.time for e in self.timeline.events if e.part == name
                     and e.kind == "dock"), None)

    def _replan_for(self, cmd) -> tuple[bool, str]:
        """Dock, undock and relocate are edits of the plan, replayed by
        :func:`rossim.station.build_timeline` (so every check of a scenario applies) from
        now on; the past is unchanged."""
        from rossim.config.scenario import Visit

        cat = self.timeline.catalog
        now = self.now
        groups = self._explicit_visits()
        moving: frozenset[str] = frozenset()
        if isinstance(cmd, C.Dock):
            veh = cat.vehicles.get(cmd.vehicle)
            if veh is None:
                return False, f"no vehicle {cmd.vehicle!r} in the catalog"
            if cmd.port != "auto" and cmd.port in self.config.occupancy:
                return False, f"port {cmd.port} occupied by {self.config.occupancy[cmd.port]}"
            name = cmd.visit_name or f"{cmd.vehicle} (commanded {now:%Y-%m-%d %H:%M})"
            launch = now - dt.timedelta(hours=veh.time_to_dock_h.value)
            visit = Visit(vehicle=cmd.vehicle, port=cmd.port, duration_days=cmd.duration_days,
                          crew=cmd.crew, launch=launch, name=name)
            groups["crew_visits" if cmd.crew > 0 else "cargo_visits"].append(visit)
            parts = {name}
            done = "{name} docked at {port}"
        else:
            name = cmd.vehicle
            if name not in self.config.vehicles:
                return False, (f"{name!r} is not docked (docked: "
                               f"{', '.join(self.config.vehicles) or 'none'})")
            since = self._docked_since(name)
            stay = (now - since).total_seconds() / 86400.0
            if stay <= 0:
                return False, f"{name} docked at this instant"
            grp, k = next((g, i) for g, vs in groups.items() for i, v in enumerate(vs)
                          if v.name == name)
            old = groups[grp][k]
            groups[grp][k] = old.model_copy(update={"duration_days": stay})
            parts = {name}
            done = f"{name} undocked"
            if isinstance(cmd, C.Relocate):
                veh = cat.vehicles[old.vehicle]
                left = old.duration_days - stay
                if left <= 0:
                    return False, f"{name} leaves at this instant"
                new_name = f"{name} @{cmd.port}"
                groups[grp].append(old.model_copy(update={
                    "port": cmd.port, "duration_days": left, "name": new_name,
                    "launch": now - dt.timedelta(hours=veh.time_to_dock_h.value)}))
                parts = {name, new_name}
                moving = frozenset(parts)
                done = f"{name} moved to {cmd.port} as {new_name!r}"
        scen = self.scenario.model_copy(update={**groups, "crew_series": [],
                                                "cargo_series": []})
        try:
            tl = build_timeline(scen, cat)
        except InputError as e:
            return False, (f"{e.value}: {e.problem + '; ' if e.problem else ''}"
                           f"expected {e.expected}")
        for ph, cfg in zip(tl.phases, tl.properties, strict=True):
            if cfg.crew_aboard > cfg.crew_capacity and ph.end > now:
                return False, (f"{cfg.crew_aboard} crew aboard from {ph.start:%Y-%m-%d} but "
                               f"{cfg.crew_capacity} berths")
        if isinstance(cmd, C.Relocate) and name in self.orbit.reserves:
            self.orbit.reserves[f"{name} @{cmd.port}"] = self.orbit.reserves.pop(name)
        self.scenario, self.timeline = scen, tl
        self._plan_version += 1
        self.scheduler.timeline = tl
        self.scheduler.windows = crew_windows(tl)
        self.autonomy._dock_times = None
        now_s = self.engine.now_s
        here = [e for e in tl.events if e.part in parts and self.engine.seconds(e.time) == now_s]
        starts = [self.engine.seconds(p.start) for p in tl.phases]
        i = max(k for k, s0 in enumerate(starts) if s0 <= now_s)
        self._plan_events(here, i, moving)
        self._schedule_plan_events(after_s=now_s)
        port = next((p for p, n in self.config.occupancy.items() if n in parts), cmd.port
                    if hasattr(cmd, "port") else "")
        return True, done.format(name=name, port=port)

    def _repair(self, cmd: C.Repair) -> tuple[bool, str]:
        faults = self.reliability.faults
        f = next((g for g in faults if g.id == cmd.fault_id), None)
        if f is None:
            return False, f"no fault #{cmd.fault_id}"
        if f.repaired_at is not None:
            return False, f"fault #{f.id} already repaired"
        if f.detected_at is None:
            return False, f"fault #{f.id} not yet detected"
        comp = self.systems.component_by_id(f.component)
        if comp.location == "inside" and self.config.crew_aboard == 0:
            return False, "inside repair needs a crew aboard"
        if comp.location == "outside" and self.config.crew_aboard > 0:
            return False, "the robot works only in automatic mode"
        f.repaired_by = "crew" if comp.location == "inside" else "robot"
        f.worksite = f.worksite or f.module
        t_s = self.engine.now_s + int(math.ceil(comp.repair_h.value * 3600 / self.engine.step_s)
                                      ) * self.engine.step_s
        self.engine.schedule(t_s, lambda e: self.autonomy.repair_done(f, comp), "repair")
        return True, f"repair done at {self.iso(t_s)}"

    # -- running ---------------------------------------------------------------------------------
    def advance_to(self, t: Any) -> None:
        """Advance the run to epoch ``t`` (clipped to the span end)."""
        target = self.engine.seconds(t)
        if target < self.engine.now_s:
            raise InputError("argument", "advance_to", str(t),
                             f"an epoch at or after the run's clock ({self.now:%Y-%m-%d %H:%M})")
        self.engine.advance_to_s(target)

    def advance_to_end(self, progress=None, chunk_days: float = 30.0) -> None:
        eng = self.engine
        chunk = int(chunk_days * 86400)
        while eng.now_s < eng.t_end_s:
            eng.advance_to_s(min(eng.now_s + chunk, eng.t_end_s))
            if progress:
                progress(eng.now_s / max(eng.t_end_s, 1))

    def telemetry(self, channels: list[str] | None = None, since: Any = None
                  ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Recorded samples per channel: ``{name: (epochs datetime64[us], values)}`` from
        ``since`` (default the run start) to the clock. Unknown channel -> InputError."""
        names = list(self.channels) if channels is None else list(channels)
        for n in names:
            if n not in self.channels:
                raise InputError("argument", "channels", n,
                                 "one of " + ", ".join(sorted(self.channels)))
        t0 = None if since is None else to_dt64(since)
        since_s = None if t0 is None else float((t0 - self.engine.t_ref) / np.timedelta64(1, "s"))
        tables = self._tables_now(since_s)
        out = {}
        for n in names:
            tab = tables[self.channels[n].table]
            t, v = tab["time"], np.asarray(tab[n], dtype=float)
            if t0 is not None:
                m = t >= t0
                t, v = t[m], v[m]
            out[n] = (t, v)
        return out

    def _tables_now(self, since_s: float | None = None) -> dict[str, dict[str, np.ndarray]]:
        """The telemetry tables so far; with ``since_s`` only the recent chunks are joined,
        so a live display polling every 100 ms costs what is new, not the whole run."""
        o = _recent(self.orbit.rows, since_s)
        epochs = self.engine.epochs(o["t_s"])
        hourly = {"time": epochs, "altitude_km": o["altitude_m"] / 1e3,
                  "raan_deg": np.degrees(o["raan_rad"]) % 360.0,
                  "density_kg_m3": o["density_kg_m3"], "ballistic_m2_kg": o["ballistic_m2_kg"],
                  "station_propellant_kg": o["station_propellant_kg"], "f107": o["f107"]}
        hourly.update(self._config_hourly(epochs))
        tables = {"telemetry_hourly": hourly}
        if self.power is not None:
            p = _recent(self.power.bins, since_s)
            tables["telemetry_power"] = {"time": self.engine.epochs(p.pop("t_s")), **p}
        if self.consumables is not None:
            c = self.consumables.history(self)
            tables["telemetry_daily"] = {"time": c.days.astype("datetime64[us]"),
                                         "oxygen_kg": c.oxygen_kg, "water_kg": c.water_kg,
                                         "food_kg": c.food_kg, "crew": c.crew,
                                         "margin_days": c.margin_days,
                                         "shortfall_kg": c.shortfall_kg}
            tables["telemetry_daily"]["contact_minutes"] = (
                self.contact.daily_minutes(c.days) if self.contact is not None
                else np.full(len(c.days), np.nan))
            for kind in ("ground", "relay"):
                tables["telemetry_daily"][f"contact_{kind}_minutes"] = (
                    self.contact.daily_minutes(c.days, kind) if self.contact is not None
                    else np.full(len(c.days), np.nan))
        if self.contact is not None:
            t_ic, v_ic = self.contact.contact_steps()
            tables["telemetry_contact"] = {"time": self.engine.epochs(t_ic), **v_ic}
        else:
            tables["telemetry_contact"] = {"time": np.zeros(0, "datetime64[us]"), **{
                k: np.zeros(0) for k in ("in_contact", "in_ground_contact", "in_relay_contact")}}
        if self.thermal is not None:
            tables["telemetry_thermal"] = self.thermal.table(self, since_s)
        return tables

    def module_temperature_c(self, module_id: str) -> float | None:
        """Latest span-mean cabin and equipment temperature (degC) of ``module_id``
        (:mod:`rossim.ops.thermal`), ``None`` if the module is not attached or has no
        thermal node (not yet advanced, unpressurised, or a run without the thermal model)."""
        if self.thermal is None or self.config is None or module_id not in self.config.modules:
            return None
        return self.thermal.last_mean_c.get(module_id)

    def _config_hourly(self, epochs: np.ndarray) -> dict[str, np.ndarray]:
        r = self.config_rows
        t_s = (epochs - self.engine.t_ref) / np.timedelta64(1, "s")
        k = np.clip(np.searchsorted(np.asarray(r["t_s"], float), t_s, side="right") - 1, 0,
                    max(len(r["t_s"]) - 1, 0))
        return {n: np.asarray(r[n], float)[k] for n in ("mass_kg", "drag_area_m2",
                                                          "crew_aboard", "crew_capacity")}

    def finish(self, crew_dose=None) -> SimulationResult:
        """The run at the clock: histories, events, invariants, summary (the simulation is
        not changed: it may be advanced further and finished again).
        ``crew_dose(scenario, flown_orbit)`` (from the analysis layer) adds the crew dose of
        every visit along the flown orbit."""
        from rossim.ops.invariants import check_invariants
        from rossim.ops.summary import build_events, build_summary

        if self.engine.now_s < 3600:
            raise InputError("argument", "finish", f"clock at {self.now:%Y-%m-%d %H:%M}",
                             "a run advanced by at least an hour (advance_to) before finish()")
        c0 = time.perf_counter()
        orbit = self.orbit.history(self)
        power = self.power.history(self) if self.power else None
        cons = self.consumables.history(self) if self.consumables else None
        fdir = self.reliability.result()
        end = self.engine.epoch(self.engine.now_s)
        result = SimulationResult(self.scenario, self.seed, self.timeline, orbit, power, cons,
                                  fdir, self.scheduler.tasks, outcome=self.outcome,
                                  end_time=end, spans=self.engine.spans)
        result.config_hourly = self._config_hourly(orbit.epochs)
        result.channels = dict(self.channels)
        if self.contact is not None and cons is not None:
            from rossim.ops.contact import contact_record

            c1 = time.perf_counter()
            result.contact = contact_record(self.contact, self.engine, cons.days)
            result.contact_minutes = result.contact["daily"]["union"]
            self.timing_s["contact windows"] = time.perf_counter() - c1
        if self.thermal is not None:
            result.thermal = self.thermal.table(self)
            result.thermal_summary = self.thermal.summary(self, result.thermal)
        result.alarms = list(self.alarms)
        result.commands = list(self.command_log)
        result.waits = [(self.engine.epoch(a), self.engine.epoch(b), why)
                        for a, b, why in self.autonomy.waits]
        if self.autonomy.reboost_pending_since is not None:
            result.waits.append((self.engine.epoch(self.autonomy.reboost_pending_since), end,
                                 self.autonomy.wait_reason or "pending at the end"))
        result.ledgers = {"propellant": dict(self.orbit.ledger,
                                             end_kg=self.orbit.propellant_available_kg(),
                                             imbalance_kg=self.orbit.ledger_balance_kg())}
        if self.consumables is not None:
            result.ledgers["consumables"] = {
                i: dict(L, end_kg=self.consumables.stock[i])
                for i, L in self.consumables.ledger.items()}
            result.ledgers["consumables_imbalance_kg"] = self.consumables.ledger_balance_kg()
        timing = dict(self.timing_s)
        for k, v in self.engine.timing_s.items():
            timing[k] = timing.get(k, 0.0) + v
        if crew_dose is not None:
            c1 = time.perf_counter()
            from rossim.ops.flown import flown_orbit

            result.crew_dose = list(crew_dose(self.scenario, flown_orbit(
                orbit, self.scenario.orbit.inclination_deg)))
            timing["crew dose"] = time.perf_counter() - c1
        if self.full:
            from rossim.ops.orbit_keeping import iss_reboost_by_year

            c1 = time.perf_counter()
            days = np.arange(orbit.epochs[0].astype("datetime64[D]"),
                             orbit.epochs[-1].astype("datetime64[D]") + 1)
            result.iss_reference = iss_reboost_by_year(
                days, self.weather, self.systems.propulsion.progress_isp_s.value,
                self.scenario.operations.atmosphere)
            timing["ISS reference"] = time.perf_counter() - c1
            c0 = time.perf_counter()
            result.events = build_events(result, self.events, self.systems)
            # hook (issue 14, launches): launch, insertion and climb rows of the plan's launches
            # (rossim.station.insertion.launch_events); the docking is the engine's own event.
            from rossim.station.insertion import launch_events
            result.events += launch_events(self.timeline.climbs, self.scenario.span.start,
                                           self.now)
            result.invariants = check_invariants(self, result)
            # Violations become critical alarms of the result (finish() changes nothing in
            # the simulation, so a live run can be archived as it goes and go on).
            result.alarms = list(self.alarms)
            when = self.iso(self.engine.now_s)
            for inv in result.invariants:
                if not inv["holds"]:
                    detail = f"{inv['name']}: {inv['detail']}"
                    result.events.append({"time": when, "kind": "alarm", "subject": "invariant",
                                          "detail": detail, "severity": "critical",
                                          "value": None, "source": "guard"})
                    result.alarms.append({"time": when, "subject": "invariant",
                                          "detail": detail, "severity": "critical",
                                          "cause": inv.get("cause") or "a model let an "
                                          "impossible value through", "repeats": 0})
            result.events.sort(key=lambda x: (x["time"], x["kind"], x["subject"], x["detail"]))
            timing["events and summary"] = time.perf_counter() - c0
            result.timing_s = timing
            result.summary = build_summary(result, self.systems)
        result.timing_s = timing
        return result


def _recent(rows: dict[str, list[np.ndarray]], since_s: float | None
            ) -> dict[str, np.ndarray]:
    """Join a model's per-span row chunks (keyed like ``t_s``), from the chunk holding
    ``since_s`` on (all of them without it)."""
    ts = rows["t_s"]
    k = 0
    if since_s is not None:
        for j in range(len(ts) - 1, -1, -1):  # the last chunk starting before since_s
            if len(ts[j]) and ts[j][0] < since_s:
                k = j
                break
    return {n: (np.concatenate(v[k:]) if v[k:] else np.zeros(0)) for n, v in rows.items()}


def simulate(scenario: Scenario, seed: int | None = None, progress=None,
             systems: SystemsCatalog | None = None, crew_dose=None) -> SimulationResult:
    """Run the whole scenario with no operator (``rossim run``): :class:`Simulation` from the
    span start to its end, then :meth:`Simulation.finish`. ``progress(stage, fraction)`` is
    called as the run advances; ``crew_dose`` as in :meth:`Simulation.finish`."""

    def report(stage: str, fraction: float) -> None:
        if progress:
            progress(stage, fraction)

    sim = Simulation(scenario, seed, systems=systems)
    report("configuration", 1.0)
    report("altitude", 1.0)
    sim.advance_to_end(progress=lambda f: report("power", f))
    report("dose", 0.0)
    result = sim.finish(crew_dose=crew_dose)
    report("dose", 1.0)
    return result
