"""A run's result and its assembly: :class:`SimulationResult` and :meth:`Simulation.finish`.

:class:`FinishMixin` gives :class:`rossim.ops.simulation.Simulation` its ``finish`` method:
the histories of every model at the clock, the contact record, the thermal table, ledgers,
the crew dose along the flown orbit (a callable from the analysis layer), the ISS reference
reboosts, the events table (:func:`rossim.ops.summary.build_events`), the invariants
(:func:`rossim.ops.invariants.check_invariants`; violations become critical alarms) and the
run summary (:func:`rossim.ops.summary.build_summary`). The simulation is not changed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rossim.config.scenario import Scenario
from rossim.errors import InputError
from rossim.ops.engine import Channel
from rossim.ops.fdir import FdirResult
from rossim.ops.orbit_keeping import OrbitHistory
from rossim.ops.robotics import Task
from rossim.results import RunSummary, VisitDose
from rossim.station import Timeline
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
    #: energy ledger and users' margin per configuration (rossim.ops.power_ledger)
    energy: dict | None = None


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
    crew_dose: list[VisitDose] = field(default_factory=list)
    timing_s: dict[str, float] = field(default_factory=dict)
    summary: RunSummary | None = None     # a full run's (rossim.ops.summary.build_summary)
    alarms: list[dict[str, Any]] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    invariants: list[dict[str, Any]] = field(default_factory=list)
    ledgers: dict[str, Any] = field(default_factory=dict)
    outcome: str = "completed"
    end_time: np.datetime64 | None = None
    config_hourly: dict[str, np.ndarray] = field(default_factory=dict)
    waits: list[tuple[np.datetime64, np.datetime64, str]] = field(default_factory=list)
    #: ``[entered, left]`` UTC datetimes in safe mode (``left`` None: still in it at the end)
    safe_intervals: list[list] = field(default_factory=list)
    spans: int = 0
    channels: dict[str, Channel] = field(default_factory=dict)
    contact_minutes: np.ndarray | None = None   # per day of ``consumables.days``
    contact: dict[str, Any] = field(default_factory=dict)   # ops.contact.contact_record
    thermal: dict[str, np.ndarray] | None = None   # telemetry_thermal columns (ops.thermal)
    thermal_summary: dict[str, Any] = field(default_factory=dict)
    #: the run's space weather (rossim.environment.weather_dispersion.run_weather, or the
    #: Simulation's override): what the post-run checks that need the weather use
    weather: Any = None
    #: the run's atmosphere model as flown (operations.atmosphere or the Simulation's
    #: override): the post-run recontact check's too
    atmosphere: str | None = None


class FinishMixin:
    """:meth:`finish` of :class:`rossim.ops.simulation.Simulation` (the run's state is the
    simulation's attributes: engine, models, events, alarms, command log)."""

    def finish(self, crew_dose=None) -> SimulationResult:
        """The run at the clock: histories, events, invariants, summary (the simulation is
        not changed: it may be advanced further and finished again).
        ``crew_dose(scenario, flown_orbit)`` (from the analysis layer) adds the crew dose of
        every visit along the flown orbit."""
        from rossim.ops.invariants import check_invariants
        from rossim.ops.launcher_stand_down import record as stand_down_record
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
        result.weather = self.weather
        result.atmosphere = getattr(getattr(self, "orbit", None), "atmosphere", None)
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
        result.alarms = sorted(self.alarms, key=lambda a: a["time"])  # some stamped earlier
        result.commands = list(self.command_log)
        if self.scheduler.crew_time is not None:  # hook (crew branch): rossim.ops.crew_time
            result.crew_time = self.scheduler.crew_time.summary()
        result.waits = [(self.engine.epoch(a), self.engine.epoch(b), why)
                        for a, b, why in self.autonomy.waits]
        result.safe_intervals = [list(iv) for iv in self.autonomy.safe_intervals]
        if self.autonomy.reboost_pending_since is not None:
            result.waits.append((self.engine.epoch(self.autonomy.reboost_pending_since), end,
                                 self.autonomy.wait_reason or "pending at the end"))
        result.ledgers = {"propellant": dict(self.orbit.ledger,
                                             end_kg=self.orbit.propellant_available_kg(),
                                             imbalance_kg=self.orbit.ledger_balance_kg())}
        result.ledgers["mass"] = self.station_mass.ledger()  # rossim.ops.station_mass
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
            from rossim.ops.flown import flown_orbit, visit_flown_times

            flown = flown_orbit(orbit, self.scenario.orbit.inclination_deg)
            flown.visit_times = visit_flown_times(self.timeline)  # hook (stores): dose span
            flown.weather = self.weather   # the run's solar cycle: GCR modulation, AP/AE-8 min/max
            result.crew_dose = [v if isinstance(v, VisitDose) else VisitDose.from_dict(v)
                                for v in crew_dose(self.scenario, flown)]
            # hook (crew branch): per-person, EVA and career dose (rossim.analysis.crew_record)
            record = getattr(crew_dose, "record", None)
            if record is not None:
                result.crew_record = record(self.scenario, flown, self.scheduler.tasks,
                                            rows=[v.to_dict() for v in result.crew_dose])
            timing["crew dose"] = time.perf_counter() - c1
        if self.full:
            from rossim.ops.iss_propellant import iss_reboost_by_year

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
            result.alarms = sorted(self.alarms, key=lambda a: a["time"])  # some stamped earlier
            when = self.stamp(self.engine.now_s)
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
            result.cargo_callups = self.cargo_callup.record()  # hook (cargo loop)
            result.propellant_topups = self.cargo_callup.topup.record()  # ops.propellant_topup
            result.crew_callups = self.crew_callup.record()  # hook: rossim.ops.crew_callup
            result.drift_docking = self.drift_docking.record()  # hook: ops.drift_docking
            result.manual_dockings = self.drift_crew.record()  # hook: rossim.ops.drift_crew
            result.stand_downs = stand_down_record(self)  # hook: ops.launcher_stand_down
            result.keepout = self.keepout.record()  # the summary counts the released
            result.summary = build_summary(result, self.systems)
        else:
            result.keepout = self.keepout.record()  # hook (family branch): rossim.ops.keepout
        result.timing_s = timing
        return result

