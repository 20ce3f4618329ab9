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

The class is assembled from concerns that live in their own modules: the channel table
(:mod:`rossim.ops.channels`), command execution and plan edits (:mod:`rossim.ops.commanding`),
the telemetry tables (:mod:`rossim.ops.telemetry`) and the result's assembly,
:meth:`Simulation.finish` (:mod:`rossim.ops.run_result`). This module keeps the set-up, the
clock, the event log and the plan's configuration events.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace
from typing import Any

import numpy as np

from rossim.config.scenario import Scenario
from rossim.config.systems import SystemsCatalog, load_systems
from rossim.errors import InputError
from rossim.ops import departure_reboost, free_drift, thermal_response, traffic
from rossim.ops.autonomy import Autonomy
from rossim.ops.cargo_callup import CargoCallUp
from rossim.ops.channels import CHANNELS
from rossim.ops.commanding import CommandingMixin
from rossim.ops.crew_callup import CrewCallUp
from rossim.ops.drift_crew import DriftCrew
from rossim.ops.drift_docking import DriftDocking
from rossim.ops.engine import (
    Engine,
    StationState,
    model_stream,
    to_datetime,
    to_dt64,
)
from rossim.ops.fdir import Reliability
from rossim.ops.logistics import manifest_of, ship_cargo
from rossim.ops.orbit_keeping import OrbitModel
from rossim.ops.robotics import Scheduler, crew_windows
from rossim.ops.run_result import FinishMixin, PowerHistory, SimulationResult
from rossim.ops.station_mass import StationMass
from rossim.ops.telemetry import TelemetryMixin
from rossim.station import Timeline, build_timeline
from rossim.station.propellant_forecast import altitude_band_km
from rossim.time import event_time, format_event_time

# re-exported: the names other modules and branches import from here
__all__ = ["CHANNELS", "PowerHistory", "Simulation", "SimulationResult", "simulate"]


class Simulation(CommandingMixin, TelemetryMixin, FinishMixin):
    """A run of the station, step by step (see the module docstring).

    Parameters
    ----------
    scenario:
        A validated :class:`~rossim.config.scenario.Scenario`, a shipped scenario's name
        (``"ros-51.6"``) or a TOML file's path (:func:`rossim.ops.preflight.as_scenario`).
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

    def __init__(self, scenario: Scenario | str, seed: int | None = None, *,
                 systems: SystemsCatalog | None = None, weather=None,
                 timeline: Timeline | None = None,
                 models: tuple[str, ...] = ("orbit", "power", "consumables"),
                 cd: float | None = None, atmosphere: str | None = None, progress=None,
                 preflight: bool = True):
        from rossim.ops.preflight import as_scenario, check_runnable, with_power_loads

        t_start = time.perf_counter()
        self.scenario = scenario = as_scenario(scenario)
        self.systems = with_power_loads(systems or load_systems(), scenario)  # its [power]
        self.seed = scenario.seed if seed is None else int(seed)
        self.timeline = timeline or build_timeline(scenario)
        if scenario.cargo_demand:  # hook (crew branch): cargo by demand, planned as visits
            scenario = self.scenario = self.timeline.scenario  # (rossim.station.logistics)
        if preflight:
            self.scenario_commands = check_runnable(scenario, self.timeline, self.systems)
        else:  # the guard's own tests run impossible configurations on purpose
            from rossim.ops.commands import from_entry

            self.scenario_commands = [from_entry(c) for c in scenario.commands]
        ops = scenario.operations
        if weather is None:
            # the scenario's weather: constant, or the forecast with the Monte Carlo knobs
            # (amplitude, phase, daily noise), noise from its own stream
            from rossim.environment.weather_dispersion import run_weather

            weather = run_weather(ops, self.seed)
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
        band = altitude_band_km(scenario.orbit)
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
        self.station_mass = StationMass(self)

        self.reliability = Reliability(self, model_stream(self.seed, "reliability"),
                                       model_stream(self.seed, "fdir"), ops.random_faults,
                                       rate_scale=ops.fault_rate_scale)
        self.autonomy = Autonomy(self)
        # hook (family branch): free-flyer keep-out rules, rossim.ops.keepout
        from rossim.ops.keepout import KeepOut
        self.keepout = KeepOut(self)
        self.scheduler = Scheduler(self.timeline, self.systems, crew_windows(self.timeline))
        # hook (crew branch): crew time as a resource; the scenario's planned spacewalks
        from rossim.ops.eva import attach_crew_time

        attach_crew_time(self)
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
        self.cargo_callup = CargoCallUp(self)  # hook (cargo loop): rossim.ops.cargo_callup
        self.crew_callup = CrewCallUp(self)  # hook (repair crew): rossim.ops.crew_callup
        self.drift_docking = DriftDocking(self)  # hook: rossim.ops.drift_docking
        self.drift_crew = DriftCrew(self)  # hook (manual approach): rossim.ops.drift_crew
        self._schedule_plan()
        self.station_mass.start()  # the flown mass from here (rossim.ops.station_mass)
        self.timing_s["set-up"] = time.perf_counter() - t_start

    # -- time helpers ----------------------------------------------------------------------------
    @property
    def now(self) -> dt.datetime:
        return to_datetime(self.engine.epoch(self.engine.now_s))

    def stamp(self, t_s: int) -> np.datetime64:
        """Event stamp (``datetime64[s]``, :func:`rossim.time.event_time`) of run second
        ``t_s``: the time events, alarms and commands carry."""
        return event_time(self.engine.epoch(t_s))

    def iso(self, t_s: int) -> str:
        """``YYYY-MM-DDTHH:MM:SSZ`` of run second ``t_s``, for text (event details)."""
        return format_event_time(self.engine.epoch(t_s))

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
        self.events.append({"time": self.stamp(t), "kind": kind, "subject": subject,
                            "detail": detail, "severity": severity,
                            "value": None if value is None else float(value), "source": source})

    def alarm(self, subject: str, detail: str, severity: str, cause: str,
              key: str | None = None, repeat_after_s: int = 0, t_s: int | None = None) -> bool:
        """An alarm: in the events table, the report's alarm list and the summary. An alarm
        with the same ``key`` within ``repeat_after_s`` of the previous one is the same
        episode: it goes to the events table only. ``t_s``: its stamp (run second, default
        now). Returns True for a new alarm."""
        self.event("alarm", subject, detail, severity, source="autonomy", t_s=t_s)
        if key is not None:
            last = self._alarm_last.get(key)
            self._alarm_last[key] = self.engine.now_s
            if last is not None and self.engine.now_s - last < repeat_after_s:
                self.alarms[self._alarm_index[key]]["repeats"] += 1
                return False
            self._alarm_index[key] = len(self.alarms)
        self.alarms.append({"time": self.stamp(self.engine.now_s if t_s is None else t_s),
                            "subject": subject,
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
        for k in ("mass_kg", "crew_aboard", "crew_capacity"):
            r[k].append(float(getattr(self.config, k)))
        r["drag_area_m2"].append(free_drift.drag_area_m2(self))   # tumbling in a drift

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
                if version == self._plan_version and not self.drift_docking.intercept(evs):
                    self._plan_events(evs, i)  # hook above: no automatic docking in a drift

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
                         lambda e, c=comp: self._scenario_fault(c), "injected fault")
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
        # hook (family branch): the robot's relocations and the deployments, released by the
        # keep-out rules (rossim.ops.keepout)
        self.keepout.schedule_deployments()

    def _debris_avoidance(self) -> None:
        if self.config is None or self.config.mass_kg <= 0 or self.no_thrusters("debris avoidance"):
            return
        dv = self.systems.propulsion.debris_avoidance_dv_m_s.value
        kg = self.orbit.manoeuvre(self, dv, "debris_avoidance")
        self.event("debris-avoidance", "orbit", f"debris-avoidance manoeuvre {dv:.2f} m/s, "
                   f"{kg:.1f} kg", "info", value=kg, source="ground")

    def _plan_events(self, evs, phase_index: int, moving: frozenset[str] = frozenset()
                     ) -> None:
        """Apply the plan's events at this instant. ``moving``: vehicles that only change
        port (a relocation): no transfer, no departure, one ``relocate`` event."""
        cat, first = self.timeline.catalog, self._phase < 0
        # hook (crew branch): planned relocations move a ship, no delivery (station.assembly)
        moving = moving | {e.part for e in evs if getattr(e, "relocation", False)}
        traffic.announce(self, evs)   # hook: events the traffic spacing held (station.traffic)
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
                with self.station_mass.from_ship(e.part):  # its own manifest (ops.logistics)
                    self.cargo_callup.topup.docked(e.part, self.orbit.vehicle_docked(
                        e.part, veh, propellant_kg=manifest_of(self, e.part).get("propellant")))
                self.orbit.manoeuvre(self, self.systems.propulsion.phasing_dv_m_s_per_arrival
                                     .value, "phasing")
                self.keepout.docking(e.part)  # hook (family branch): rossim.ops.keepout
                departure_reboost.schedule(self, e.part, veh)  # its reserve before it leaves
            if e.kind in ("undock", "separation"):  # hook: the leaving mass (a separated
                # segment's modules too: rossim.ops.station_mass)
                self.station_mass.undocking(e.part)
                if e.part_kind == "vehicle":
                    self.orbit.vehicle_undocked(e.part)
        prev_crew = self.config.crew_aboard if self.config is not None and not first else 0
        self._apply_phase(phase_index)
        for e in evs:
            if e.kind == "dock" and e.part not in moving:
                self.station_mass.docked(e.part, e.part_kind == "vehicle")
            if e.part_kind == "module" and e.kind == "dock":
                self.reliability.module_arrived(e.part)
                self.cargo_callup.module_docked(e.part)  # hook (cargo loop): climb leftover
            if e.part_kind == "vehicle" and e.kind == "dock" and e.part not in moving:
                veh = cat.vehicles[e.catalog_id]
                with self.station_mass.from_ship(e.part):  # hook (orbit-only run): spares
                    (self._deliver if self.consumables is not None
                     else self.reliability.spares_docked)(e.part, veh)
                self.autonomy.vehicle_docked()
        crew = self.config.crew_aboard
        if (crew > 0) != (prev_crew > 0):
            self.event("mode", "station", "crewed mode" if crew else "automatic mode",
                       value=crew, source="plan")
            if crew:
                thermal_response.crew_arrived(self)   # hook: cabins already too hot

    def _deliver(self, name: str, veh) -> None:
        cons = self.consumables
        self.reliability.cargo_docked(name, veh, cons.stowage_kg(self) - sum(
            cons.stock.values()) - self.reliability.spares.mass_kg())
        o2, w, food = ship_cargo(self, name, veh)  # hook (stores): rossim.ops.logistics
        left = self.consumables.deliver(self, o2, w, food)
        if sum(left.values()) > 0.5:
            self.event("stowage", name, f"{sum(left.values()):.0f} kg of consumables left "
                       "aboard the ship: stowage full", "info", source="autonomy")

    # -- faults and tasks ------------------------------------------------------------------------
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
