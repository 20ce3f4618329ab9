"""Availability of the station's functions and its spread over seeds.

:func:`availability` is one draw per run: the share of the run with every function available
and the station out of safe mode (1 minus the union of the intervals a detected fault
degraded a function and of the time in safe mode, whatever its cause), on exact times.
:func:`availability_spread` gives its P5/P50/P95 over many seeds from :class:`ReliabilityRun`,
the plan replayed with the reliability (:class:`rossim.ops.fdir.Reliability`), FDIR response,
scheduler and spares only (no orbit, power or thermal model: reference temperature and depth of
discharge unless given), about a hundredth of the cost of a full run.
:func:`reliability_summary` states that spread in every run summary.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import math

import numpy as np

from rossim.config.systems import SystemsCatalog
from rossim.ops.ageing import mean_orbit_dod
from rossim.ops.engine import StationState
from rossim.ops.fdir import Fault, FdirResult, Reliability
from rossim.time import event_time, format_event_time


def availability(faults: list[Fault], t0: dt.datetime, t1: dt.datetime,
                 safe_intervals: list | tuple = ()) -> float:
    """Share of ``[t0, t1]`` with every function available and the station out of safe
    mode: 1 minus the union of the intervals a detected fault degraded a function (detection
    to ``degraded_until``, or ``t1`` if never restored) and of ``safe_intervals`` (``(entered,
    left)`` pairs, ``left`` None while still in safe mode: ``Autonomy.safe_intervals``, a
    commanded safe mode included), as in the run summary, computed on exact times."""
    iv = []
    for a, b in safe_intervals:
        a, b = max(a, t0), min(b or t1, t1)
        if b > a:
            iv.append((a, b))
    for f in faults:
        if f.detected_at is None or f.recovered_automatically or f.response in (
                "", "module no longer attached"):
            continue
        a = max(f.detected_at, t0)
        b = min(f.degraded_until or t1, t1)
        if b > a:
            iv.append((a, b))
    iv.sort()
    down = 0.0
    cur_a = cur_b = None
    for a, b in iv:
        if cur_b is None or a > cur_b:
            if cur_b is not None:
                down += (cur_b - cur_a).total_seconds()
            cur_a, cur_b = a, b
        else:
            cur_b = max(cur_b, b)
    if cur_b is not None:
        down += (cur_b - cur_a).total_seconds()
    span = (t1 - t0).total_seconds()
    return 1.0 - down / span if span > 0 else 1.0


class ReliabilityRun:
    """The plan replayed with the reliability, FDIR response (:class:`rossim.ops.autonomy.
    Autonomy`), scheduler and spares only: module arrivals install units, crews and cargo
    ships come and go as planned, faults are drawn from the same streams as in
    :class:`rossim.ops.simulation.Simulation` (``reliability``, ``fdir``,
    ``common-cause``). No orbit, power, thermal or consumables model: failure acceleration
    at the reference temperature and depth of discharge unless ``temperature_c(module)``
    (a stand-in for the thermal model) or ``dod`` (the batteries' mean per-orbit depth of
    discharge, e.g. a full run's) is given; cargo spares limited by the ship's
    allowance and the stowage less the spares aboard (consumables not counted).

    ``run()`` returns the faults; :func:`availability_spread` runs it over many seeds."""

    def __init__(self, scenario, seed: int, *, systems: SystemsCatalog | None = None,
                 timeline=None, temperature_c=None, random_faults: bool | None = None,
                 dod: float | None = None):
        from rossim.config.systems import load_systems
        from rossim.ops.autonomy import Autonomy
        from rossim.ops.engine import Engine, model_stream
        from rossim.ops.robotics import Scheduler, crew_windows
        from rossim.station import build_timeline

        self.scenario = scenario
        self.systems = systems or load_systems()
        self.seed = int(seed)
        self.timeline = timeline or build_timeline(scenario)
        t_ref = np.datetime64(self.timeline.phases[0].start.replace(tzinfo=None), "h")
        t_end = np.datetime64(scenario.span.end.replace(tzinfo=None), "us")
        step = int(scenario.operations.power_step_s)
        end_s = int((t_end - t_ref.astype("datetime64[us]")) / np.timedelta64(1, "s"))
        self.engine = Engine(t_ref.astype("datetime64[us]"), end_s - end_s % step, step,
                             self.seed)
        self.engine.context = self
        if temperature_c is not None:
            self.module_temperature_c = temperature_c
        self.fixed_dod = dod
        self.state = StationState()
        self.events: list[dict] = []
        self.alarms: list[dict] = []
        self.power = self.contact = self.consumables = None
        self.config = self.timeline.properties[0]
        ops = scenario.operations
        rf = ops.random_faults if random_faults is None else random_faults
        self.reliability = Reliability(self, model_stream(self.seed, "reliability"),
                                       model_stream(self.seed, "fdir"), rf,
                                       rate_scale=ops.fault_rate_scale)
        self.autonomy = Autonomy(self)
        self.scheduler = Scheduler(self.timeline, self.systems, crew_windows(self.timeline))
        from rossim.ops.cargo_callup import CargoCallUp

        self.outcome = "completed"  # a call-up ship brings the spares (rossim.ops.cargo_callup)
        self.cargo_callup = CargoCallUp(self, propellant=False)
        self._plan()

    @property
    def now(self) -> dt.datetime:
        from rossim.ops.engine import to_datetime

        return to_datetime(self.engine.epoch(self.engine.now_s))

    def stamp(self, t_s: int) -> np.datetime64:
        return event_time(self.engine.epoch(t_s))

    def iso(self, t_s: int) -> str:
        return format_event_time(self.engine.epoch(t_s))

    def event(self, kind, subject, detail="", severity="info", value=None, source="engine",
              t_s=None) -> None:
        self.events.append({"time": self.stamp(self.engine.now_s if t_s is None else t_s),
                            "kind": kind, "subject": subject, "detail": detail,
                            "severity": severity, "value": value, "source": source})

    def alarm(self, subject, detail, severity, cause, key=None, repeat_after_s=0) -> bool:
        self.event("alarm", subject, detail, severity, source="autonomy")
        return True

    def book_repair(self, f, comp) -> None:
        self.reliability.book_repair(f, comp)

    def _plan(self) -> None:
        eng = self.engine
        by_time: dict[int, list] = {}
        for e in self.timeline.events:
            by_time.setdefault(max(eng.seconds(e.time), 0), []).append(e)
        starts = [max(eng.seconds(p.start), 0) for p in self.timeline.phases]
        for t_s in sorted(by_time):
            i = bisect.bisect_right(starts, t_s) - 1  # the phase in force after the events
            eng.schedule(t_s, lambda e, evs=by_time[t_s], i=i: self._apply(evs, i), "plan")

    def _apply(self, evs, i: int) -> None:
        from rossim.ops.life_support import module_volume_m3

        self.config = self.timeline.properties[i]
        cat = self.timeline.catalog
        for e in evs:
            if e.part_kind == "module" and e.kind == "dock":
                self.reliability.module_arrived(e.part)
            elif e.part_kind == "vehicle" and e.kind == "dock":
                ls = self.systems.life_support
                room = ls.stowage_kg_per_pressurised_m3.value * module_volume_m3(
                    self.config, cat) - self.reliability.spares.mass_kg()
                self.reliability.cargo_docked(e.part, cat.vehicles[e.catalog_id], room)

    def run(self) -> list[Fault]:
        """Advance to the end of the plan; the faults of the run. No model runs between
        events, so the clock jumps from one queued event to the next (same order as the
        engine's loop: time, then scheduling order)."""
        eng = self.engine
        queue = eng._queue
        while queue and queue[0].t_s < eng.t_end_s:
            item = heapq.heappop(queue)
            eng.now_s = max(eng.now_s, item.t_s)
            item.action(eng)
        eng.now_s = eng.t_end_s
        return self.reliability.faults

    def span(self) -> tuple[dt.datetime, dt.datetime]:
        """The run's ``(start, end)`` (as the run summary's availability window)."""
        from rossim.ops.engine import to_datetime

        return (to_datetime(self.engine.t_ref),
                to_datetime(self.engine.epoch(self.engine.t_end_s)))


def availability_spread(scenario, n_seeds: int = 100, first_seed: int | None = None, *,
                        systems: SystemsCatalog | None = None, timeline=None,
                        temperature_c=None, dod: float | None = None) -> dict:
    """Availability of ``scenario`` over ``n_seeds`` seeds (``first_seed``, the scenario's
    seed by default, and the following ones), each a :class:`ReliabilityRun`: P5, P50, P95,
    mean and the standard error of the mean, plus per-seed figures (faults, EVAs, spare
    waits). Deterministic: the same arguments give the same numbers."""
    from rossim.errors import InputError
    from rossim.station import build_timeline

    if int(n_seeds) < 1:
        raise InputError("argument", "seeds", n_seeds, "a positive number of seeds")
    timeline = timeline or build_timeline(scenario)
    s0 = scenario.seed if first_seed is None else int(first_seed)
    avail, faults, evas, waits = [], [], [], []
    for k in range(int(n_seeds)):
        run = ReliabilityRun(scenario, s0 + k, systems=systems, timeline=timeline,
                             temperature_c=temperature_c, dod=dod)
        fl = run.run()
        t0, t1 = run.span()
        avail.append(availability(fl, t0, t1, run.autonomy.safe_intervals))
        faults.append(len(fl))
        res = FdirResult(fl).figures()
        evas.append(res["eva_hours"])
        waits.append(res["faults_waited_for_spare"])
    a = np.array(avail)
    return {
        "seeds": [s0, s0 + int(n_seeds) - 1], "n": int(n_seeds),
        "availability_p5": round(float(np.percentile(a, 5)), 6),
        "availability_p50": round(float(np.percentile(a, 50)), 6),
        "availability_p95": round(float(np.percentile(a, 95)), 6),
        "availability_mean": round(float(a.mean()), 6),
        "availability_sem": round(float(a.std(ddof=1) / math.sqrt(len(a))) if len(a) > 1
                                  else 0.0, 6),
        "faults_p50": float(np.percentile(faults, 50)),
        "eva_hours_p50": float(np.percentile(evas, 50)),
        "faults_waited_for_spare_p50": float(np.percentile(waits, 50)),
        "method": "reliability, FDIR response, scheduler and spares replayed over the plan "
                  "for each seed (rossim.ops.fdir.availability_spread); no orbit, power or "
                  "thermal model: "
                  + ("the reference temperature" if temperature_c is None else
                     "each module at the run's mean temperature")
                  + ", batteries cycled at "
                  + ("the reference depth of discharge" if dod is None else
                     f"the run's mean per-orbit depth of discharge {dod:.3f}")
                  + "; random faults over the plan only: the scenario's commands and "
                  "injected faults (a commanded safe mode) are the run's, not the spread's",
        "battery_dod": None if dod is None else round(float(dod), 6),
        "per_seed": [round(float(x), 6) for x in a],
    }


#: Seeds of the availability spread stated in every run summary (``rossim run``).
SUMMARY_SEEDS = 50
_SPREAD_CACHE: dict = {}


def reliability_summary(result, systems: SystemsCatalog, n_seeds: int | None = None) -> dict:
    """Summary figures of a run's reliability: repairs by robot, crew and spacewalk, EVA
    count and hours, spares ledger, and the availability spread over ``n_seeds`` seeds
    (default :data:`SUMMARY_SEEDS`; :func:`availability_spread` on the run's plan with the
    batteries cycled at the run's mean per-orbit depth of discharge and each module at the
    run's mean temperature, seeded from the run's seed; cached per plan so that a live run
    finished repeatedly pays it once)."""
    n = SUMMARY_SEEDS if n_seeds is None else int(n_seeds)
    out = result.fdir.figures()
    # The scenario's planned spacewalks (rossim.ops.eva: booked tasks without a fault) count
    # in eva_count / eva_hours with the repair spacewalks, as the report's spacewalk table.
    each_h = systems.reliability.eva_h.value
    planned = [t for t in (getattr(result, "tasks", None) or [])
               if t.by == "EVA" and t.fault_id is None and t.end is not None and t.eva_h > 0]
    out["eva_count"] += sum(max(1, int(round(t.eva_h / each_h))) for t in planned)
    out["eva_hours"] = round(out["eva_hours"] + sum(t.eva_h for t in planned), 3)
    if n > 0:
        pw = result.power
        dod = None if pw is None else mean_orbit_dod(pw.soc_min, pw.soc_max)
        dod = None if dod is None else round(dod, 4)
        # the run's own mean module temperatures (thermal model), so that the run is a draw
        # of the distribution its summary states
        temps: dict[str, float] = {}
        th = getattr(result, "thermal", None)
        if th:
            for k, v in th.items():
                if k.endswith("_temperature_c") and k not in ("max_temperature_c",
                                                               "min_temperature_c"):
                    x = np.asarray(v, dtype=float)
                    if np.isfinite(x).any():
                        temps[k.removesuffix("_temperature_c")] = round(float(np.nanmean(x)), 2)
        seed = getattr(result, "seed", None)
        seed = result.scenario.seed if seed is None else int(seed)
        key = (result.scenario.model_dump_json(), seed, n, id(systems), dod,
               tuple(sorted(temps.items())))
        if key not in _SPREAD_CACHE:
            sp = availability_spread(result.scenario, n, seed, systems=systems,
                                     timeline=result.timeline, dod=dod,
                                     temperature_c=(temps.get if temps else None))
            sp.pop("per_seed")
            _SPREAD_CACHE.clear()
            _SPREAD_CACHE[key] = sp
        out["availability_spread"] = dict(_SPREAD_CACHE[key])
    return out
