"""Fault detection, isolation and recovery (FDIR).

Faults (the engine's ``reliability`` model, event-driven): every installed unit of every
component type (``catalog/systems.toml``) fails at a random time with mean its MTBF:
exponential (constant rate), or Weibull with the component's ``weibull_shape`` (ageing; the
age restarts with a repair) (its own random stream, so the same seed gives the same faults);
with probability ``common_cause_beta`` a failure takes every other working unit of the set with
it at once (beta-factor common cause; draws from the ``common-cause`` stream), drawn when the module
that carries it arrives and again after each repair; a unit on a module that has left (the
ISS block after separation) fails no more. Faults the scenario injects and those an operator
commands come on top. Units: ``module = "power"``: one set per module with solar arrays;
``"station"``: one set from the first module on.

Detection: each fault shows in a telemetry channel, sampled at 10 s in a two-hour window around
the fault with seeded sensor noise (the only place rossim simulates at that rate: "fine steps
around events"). Detection rules run on that telemetry, vectorised:

- ``limit``: the value leaves its limits for three consecutive samples;
- ``trend``: the least-squares slope over a sliding 10-minute window exceeds its threshold.

Response (decided by the onboard autonomy from the detection): if the working units still
meet ``min_units`` the system switches to a redundant unit (recovered automatically);
otherwise it degrades (array drive: that module's arrays parked, its generation halved; battery
string: that module's capacity reduced) or the station goes to safe mode (attitude on
thrusters, experiments shed) until the repair.

Repairs (:meth:`Reliability.book_repair`): each detected fault takes a spare of its type
(:class:`rossim.ops.life_support.Spares`); without one it waits for the next cargo ship that
brings one (:meth:`Reliability.cargo_docked`: the loadmaster packs the spares the waiting
repairs need first). Then the component's ``repair_by`` decides who repairs it
(:meth:`rossim.ops.robotics.Scheduler.repair`): the exterior robot (free, uncrewed station),
the next crew (IVA) or a spacewalk (at least two crew aboard, preparation days, 6.5 h per EVA
from the ISS record); each booking is an event with its duration and source. A repair restores
the unit and, once ``min_units`` work again, the function.

Failures driven by the station's state (accelerated failure time: each unit draws its life in
nominal hours; it is used up at ``AF`` nominal hours per hour, ``AF`` re-read every
``reliability.acceleration_update_days``):

- temperature (components with ``activation_energy_ev``): Arrhenius as in MIL-HDBK-217F,
  ``AF_T = exp(Ea / k_B (1 / T_ref - 1 / T))``, ``T`` the carrying module's temperature from
  ``sim.module_temperature_c(module)`` (the thermal model; the reference temperature when the
  simulation has none or it returns None);
- battery cycling (``dod_ageing``): ``AF_DoD = (DoD / DoD_ref)^k`` (Woehler cycle-life
  curve), DoD the mean per-orbit depth of discharge of the power model's state of charge over
  the last interval (the reference DoD without a power model).

Availability (:func:`availability`) is one draw per run; :func:`availability_spread` gives its
P5/P50/P95 over many seeds from :class:`ReliabilityRun`, the plan replayed with the reliability,
FDIR response, scheduler and spares only (no orbit, power or thermal model: reference
temperature and depth of discharge), about a hundredth of the cost of a full run.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import math
from dataclasses import dataclass, field

import numpy as np

from rossim.config.systems import Component, SystemsCatalog
from rossim.ops.engine import StationState
from rossim.ops.life_support import Spares

#: Boltzmann constant (eV/K), CODATA 2018.
K_B_EV = 8.617333262e-5


def arrhenius_factor(temperature_c: float, activation_energy_ev: float,
                     reference_c: float = 25.0) -> float:
    """Failure-rate acceleration at ``temperature_c`` against ``reference_c`` (MIL-HDBK-217F
    temperature factor ratio): ``exp(Ea / k_B (1 / T_ref - 1 / T))``, temperatures in K."""
    t = float(temperature_c) + 273.15
    t0 = float(reference_c) + 273.15
    return math.exp(activation_energy_ev / K_B_EV * (1.0 / t0 - 1.0 / t))


def dod_factor(dod: float, reference_dod: float, exponent: float) -> float:
    """Failure-rate acceleration of a battery cycled at depth of discharge ``dod`` against
    ``reference_dod`` (Woehler cycle life ``N ~ DoD^-k``): ``(dod / reference_dod)^k``."""
    return (max(float(dod), 0.01) / reference_dod) ** exponent


def mean_orbit_dod(soc_min: np.ndarray, soc_max: np.ndarray) -> float | None:
    """Mean per-orbit depth of discharge from 10-minute state-of-charge bins (min and max per
    bin): max - min over consecutive 90-minute windows (9 bins), averaged; None if shorter
    than one window."""
    k = len(soc_min) // 9
    if k == 0:
        return None
    lo = np.asarray(soc_min[:9 * k], float).reshape(k, 9).min(axis=1)
    hi = np.asarray(soc_max[:9 * k], float).reshape(k, 9).max(axis=1)
    return float((hi - lo).mean())


def time_to_failure_h(rng: np.random.Generator, mtbf_h: float, shape: float = 1.0,
                      size=None):
    """Random time(s) to failure (h) with mean ``mtbf_h``: exponential for ``shape == 1``,
    else Weibull of that shape with scale ``mtbf_h / Gamma(1 + 1/shape)``."""
    if shape == 1.0:
        return rng.exponential(mtbf_h, size)
    return rng.weibull(shape, size) * (mtbf_h / math.gamma(1.0 + 1.0 / shape))

SAMPLE_S = 10.0
WINDOW_S = 7200.0

#: (nominal, noise sigma, fault signature, rule threshold) per channel. Signatures are steps
#: (limit rules) or ramps per minute (trend rules). Units: A, V, deg, degC, dB, missed beats.
CHANNELS = {
    "array_current": {"nominal": 100.0, "sigma": 1.0, "step": -50.0, "low": 80.0, "high": 120.0},
    "battery_voltage": {"nominal": 120.0, "sigma": 0.3, "step": -4.0, "low": 117.0, "high": 126.0},
    "link_margin": {"nominal": 6.0, "sigma": 0.5, "step": -16.0, "low": 0.0, "high": 20.0},
    "heartbeat": {"nominal": 0.0, "sigma": 0.0, "step": 10.0, "low": -1.0, "high": 3.0},
    "attitude_error": {"nominal": 0.05, "sigma": 0.01, "ramp_per_min": 0.02, "slope": 0.01},
    "loop_temperature": {"nominal": 18.0, "sigma": 0.2, "ramp_per_min": 0.3, "slope": 0.1},
}


@dataclass
class Fault:
    """One unit failure and what became of it. Times are UTC datetimes."""

    id: int
    component: str
    module: str
    unit: int
    location: str
    failed_at: dt.datetime
    injected: bool
    detected_at: dt.datetime | None = None
    rule: str = ""
    response: str = ""
    recovered_automatically: bool = False
    degraded_until: dt.datetime | None = None
    repaired_at: dt.datetime | None = None
    repaired_by: str = ""
    worksite: str = ""
    spare_from: str = ""                 # "aboard" or the cargo ship that brought it
    waited_for_spare_h: float = 0.0
    repair_h: float = 0.0                # duration of the repair task (incl. EVA preparation)
    eva_h: float = 0.0                   # hours outside on spacewalks
    eva_count: int = 0                   # spacewalks of the repair
    repair_source: str = ""


@dataclass
class FdirResult:
    faults: list[Fault] = field(default_factory=list)
    spares: dict = field(default_factory=dict)     # per type: start, delivered, used, end
    spares_daily: dict = field(default_factory=dict)

    def figures(self) -> dict:
        """Summary figures of the repairs, spacewalks and spares of a run."""
        rep = [f for f in self.faults if f.repaired_at is not None]
        return {
            "repairs_by_robot": sum(1 for f in rep if f.repaired_by == "robot"),
            "repairs_by_crew": sum(1 for f in rep if f.repaired_by == "crew"),
            "repairs_by_eva": sum(1 for f in rep if f.repaired_by == "EVA"),
            "eva_count": int(sum(f.eva_count for f in rep)),
            "eva_hours": round(float(sum(f.eva_h for f in rep)), 3),
            "faults_waited_for_spare": sum(1 for f in self.faults if f.waited_for_spare_h > 0),
            "spares": self.spares,
        }

    def effects(self, systems: SystemsCatalog):
        """Intervals of degraded function: list of (start, end, component, module)."""
        out = []
        for f in self.faults:
            if f.degraded_until is not None and f.detected_at is not None:
                out.append((f.detected_at, f.degraded_until, f.component, f.module))
        return out


def _signal(channel: str, rng: np.random.Generator, fault_offset_s: float) -> np.ndarray:
    spec = CHANNELS[channel]
    t = np.arange(0.0, WINDOW_S, SAMPLE_S)
    x = spec["nominal"] + spec["sigma"] * rng.standard_normal(len(t))
    after = t >= fault_offset_s
    if "step" in spec:
        x = x + np.where(after, spec["step"], 0.0)
    else:
        x = x + np.where(after, spec["ramp_per_min"] * (t - fault_offset_s) / 60.0, 0.0)
    return x


def detect(channel: str, rule: str, x: np.ndarray) -> int | None:
    """Index of the first sample where ``rule`` fires on ``x`` (None if it never does)."""
    spec = CHANNELS[channel]
    if rule == "limit":
        bad = (x < spec["low"]) | (x > spec["high"])
        run = np.convolve(bad.astype(int), np.ones(3, int), mode="full")[: len(x)]
        hits = np.flatnonzero(run >= 3)
        return int(hits[0]) if hits.size else None
    # Trend: least-squares slope over a sliding 10-minute window (per minute).
    w = int(600 / SAMPLE_S)
    if len(x) < w:
        return None
    tm = (np.arange(w) - (w - 1) / 2.0) * SAMPLE_S / 60.0
    kernel = tm[::-1] / np.sum(tm * tm)
    slope = np.convolve(x, kernel, mode="valid")  # slope[j] covers samples j .. j+w-1
    hits = np.flatnonzero(slope > spec["slope"])
    return int(hits[0] + w - 1) if hits.size else None


@dataclass
class DetectionResult:
    latency_s: float
    rule: str


def detect_fault(component: Component, rng: np.random.Generator) -> DetectionResult:
    """Simulate the fault's signature in its channel at 10 s with sensor noise (two hours,
    the fault 30 minutes in) and run the component's detection rule on it."""
    offset = 1800.0
    x = _signal(component.channel, rng, offset)
    idx = detect(component.channel, component.rule, x)
    if idx is None:
        return DetectionResult(WINDOW_S - offset, "not detected in window (found by the "
                               "end-of-window check)")
    return DetectionResult(max(idx * SAMPLE_S - offset, 0.0),
                           f"{component.rule} on {component.channel}")


class Reliability:
    """Unit failures over the run (see the module docstring). ``sim`` supplies the clock,
    the configuration and the scheduling; this class owns the fault records."""

    name = "reliability"

    def __init__(self, sim, rng_faults: np.random.Generator, rng_detect: np.random.Generator,
                 random_faults: bool, rate_scale: float = 1.0):
        self.sim = sim
        self.rng = rng_faults
        self.rng_detect = rng_detect
        self.random = random_faults
        self.rate_scale = float(rate_scale)
        self.faults: list[Fault] = []
        self.working: dict[tuple[str, str], int] = {}
        self.generation: dict[tuple[str, str, int], int] = {}
        self.rng_cc = None
        self.station_units_installed = False
        self.spares = Spares(sim.systems)
        #: per working unit: [nominal life left (h), time of that figure (s), factor]
        self.life: dict[tuple[str, str, int], list] = {}
        #: per unit: number of the current failure draw (older scheduled failures are stale)
        self.token: dict[tuple[str, str, int], int] = {}
        rel = sim.systems.reliability
        self.update_s = int(rel.acceleration_update_days.value * 86400)
        self._accel_scheduled = False

    def _sets_for(self, module: str) -> list[Component]:
        cat = self.sim.timeline.catalog
        out = []
        for comp in self.sim.systems.component:
            if comp.module == "power" and cat.modules[module].solar_array_power_kw.value > 0:
                out.append(comp)
            elif comp.module == module:
                out.append(comp)
        return out

    def module_arrived(self, module: str) -> None:
        comps = self._sets_for(module)
        sets = [(c, module) for c in comps]
        if not self.station_units_installed:
            self.station_units_installed = True
            sets += [(c, "station") for c in self.sim.systems.component if c.module == "station"]
        for comp, where in sets:
            self.working[(comp.id, where)] = comp.units
            for unit in range(comp.units):
                self._draw(comp, where, unit)
        self._schedule_acceleration()

    # -- failure acceleration -----------------------------------------------------------------
    def _accelerated(self) -> bool:
        return any(c.activation_energy_ev is not None or c.dod_ageing
                   for c in self.sim.systems.component)

    def _schedule_acceleration(self) -> None:
        if self._accel_scheduled or not self.random or not self._accelerated():
            return
        if not callable(getattr(self.sim, "module_temperature_c", None)) and \
                getattr(self.sim, "power", None) is None:
            return  # nothing to re-read: every factor stays at its reference
        self._accel_scheduled = True
        eng = self.sim.engine
        t = eng.now_s + self.update_s
        if t < eng.t_end_s:
            eng.schedule(t, lambda e: self._update_acceleration(), "failure acceleration")

    def _update_acceleration(self) -> None:
        """Re-read the temperature and depth-of-discharge factors; each working unit's
        remaining nominal life is used up at its new factor from now on."""
        self._accel_scheduled = False
        now = self.sim.engine.now_s
        factors: dict[tuple[str, str], float] = {}
        comps = {c.id: c for c in self.sim.systems.component}
        for key, rec in list(self.life.items()):
            cid, where, _u = key
            comp = comps[cid]
            if (cid, where) not in factors:
                factors[(cid, where)] = self.acceleration(comp, where)
            rec[0] = max(rec[0] - (now - rec[1]) / 3600.0 * rec[2], 0.0)
            rec[1] = now
            if factors[(cid, where)] != rec[2]:
                rec[2] = factors[(cid, where)]
                self._schedule_failure(comp, where, key[2])
        self._schedule_acceleration()

    def site_module(self, where: str) -> str:
        """The module whose temperature a set of units sees (``station`` sets: the core if
        attached, else the first module)."""
        if where != "station":
            return where
        mods = self.sim.config.modules
        return "core" if "core" in mods else mods[0]

    def acceleration(self, comp: Component, where: str) -> float:
        """Failure-rate factor of ``comp``'s units on ``where`` now (1 at the reference
        temperature and depth of discharge)."""
        rel = self.sim.systems.reliability
        af = 1.0
        if comp.activation_energy_ev is not None:
            fn = getattr(self.sim, "module_temperature_c", None)
            temp = fn(self.site_module(where)) if callable(fn) else None
            if temp is not None and math.isfinite(float(temp)):
                af *= arrhenius_factor(min(max(float(temp), -100.0), 200.0),
                                       comp.activation_energy_ev.value,
                                       rel.reference_temperature_c.value)
        if comp.dod_ageing:
            dod = self.recent_dod()
            if dod is not None:
                af *= dod_factor(dod, rel.battery_reference_dod.value,
                                 rel.battery_dod_exponent.value)
        return af

    def recent_dod(self) -> float | None:
        """Mean per-orbit depth of discharge (max - min state of charge over 90-minute
        windows of the power model's 10-minute bins) over the last update interval; the
        simulation's ``fixed_dod`` if it has one (:class:`ReliabilityRun`); None without a
        power model or bins."""
        fixed = getattr(self.sim, "fixed_dod", None)
        if fixed is not None:
            return float(fixed)
        power = getattr(self.sim, "power", None)
        bins = getattr(power, "bins", None)
        if not bins or not bins.get("t_s"):
            return None
        since = self.sim.engine.now_s - self.update_s
        lo, hi, n = [], [], 0
        for t, a, b in zip(reversed(bins["t_s"]), reversed(bins["soc_min"]),
                           reversed(bins["soc_max"]), strict=True):
            lo.append(a[t >= since])
            hi.append(b[t >= since])
            n += 1
            if len(t) and t[0] < since:
                break
        lo = np.concatenate(lo[::-1]) if lo else np.zeros(0)
        hi = np.concatenate(hi[::-1]) if hi else np.zeros(0)
        return mean_orbit_dod(lo, hi)

    # -- failures -------------------------------------------------------------------------------
    def _draw(self, comp: Component, where: str, unit: int) -> None:
        if not self.random:
            return
        shape = comp.weibull_shape.value if comp.weibull_shape is not None else 1.0
        life_h = float(time_to_failure_h(self.rng, comp.mtbf_h.value / self.rate_scale, shape))
        key = (comp.id, where, unit)
        af = self.acceleration(comp, where) if self._accelerated() else 1.0
        self.life[key] = [life_h, self.sim.engine.now_s, af]
        self._schedule_failure(comp, where, unit)

    def _schedule_failure(self, comp: Component, where: str, unit: int) -> None:
        sim = self.sim
        key = (comp.id, where, unit)
        life_h, t0, af = self.life[key]
        token = self.token[key] = self.token.get(key, 0) + 1
        t = t0 + life_h * 3600.0 / af
        if t >= sim.engine.t_end_s:
            return
        t_s = int(np.ceil(t / sim.engine.step_s) * sim.engine.step_s)
        sim.engine.schedule(t_s, lambda eng, c=comp, w=where, u=unit, g=token:
                            self._fail_if_current(c, w, u, g), f"failure {comp.id}")

    def _fail_if_current(self, comp: Component, where: str, unit: int, token: int) -> None:
        # a unit that failed meanwhile (common cause) or whose factor changed keeps only its
        # latest draw
        key = (comp.id, where, unit)
        if key in self.life and self.token.get(key) == token:
            self.fail(comp, where, unit, False)

    def attached(self, where: str) -> bool:
        return where == "station" or where in self.sim.config.modules

    def fail(self, comp: Component, where: str, unit: int, injected: bool,
             _common: bool = False) -> Fault | None:
        """A unit fails now (random or injected). Returns the fault, or ``None`` if the unit
        is no longer on the station."""
        if not self.attached(where):
            return None
        sim = self.sim
        now = sim.now
        key = (comp.id, where, unit)
        self.generation[key] = self.generation.get(key, 0) + 1
        self.life.pop(key, None)  # its pending failure (if any) is now stale
        f = Fault(len(self.faults) + 1, comp.id, where, unit, comp.location, now, injected)
        self.faults.append(f)
        sim.event("fault", comp.id, f"fault #{f.id} {comp.id} ({where}, unit {unit})"
                  f"{' injected' if injected else ''}", "warning")
        det = detect_fault(comp, self.rng_detect)
        f.rule = det.rule
        t_det = sim.engine.now_s + int(np.ceil(det.latency_s / sim.engine.step_s)) * \
            sim.engine.step_s
        sim.engine.schedule(t_det, lambda eng: sim.autonomy.fault_detected(f, comp),
                            f"detect fault {f.id}")
        if comp.common_cause_beta is not None and not _common:
            if self.rng_cc is None:
                from rossim.ops.engine import model_stream

                self.rng_cc = model_stream(sim.seed, "common-cause")
            if self.rng_cc.random() < comp.common_cause_beta.value:
                down = {f2.unit for f2 in self.faults if (f2.component, f2.module) == (
                    comp.id, where) and f2.repaired_at is None}
                sim.event("common-cause", comp.id, f"common-cause failure of every {comp.id} "
                          f"unit ({where}) with fault #{f.id}", "critical")
                for u in range(comp.units):
                    if u not in down:
                        self.fail(comp, where, u, injected, _common=True)
        return f

    # -- repairs and spares ---------------------------------------------------------------------
    def book_repair(self, f: Fault, comp: Component, ready: dt.datetime | None = None) -> None:
        """Take a spare and book the repair of ``f`` (see the module docstring); without a
        spare the fault waits for a cargo ship (:meth:`cargo_docked`)."""
        sim = self.sim
        if not f.spare_from:
            if not self.spares.take(comp.id, sim.engine.now_s):
                self.spares.waiting.append((f, comp))
                sim.event("spare-waiting", comp.id, f"fault #{f.id} {comp.id}: no spare aboard, "
                          "the repair waits for the next cargo ship that brings one", "warning",
                          source="autonomy")
                return
            f.spare_from = "aboard"
        task = sim.scheduler.repair(f, comp, ready)
        f.repaired_by, f.worksite = task.by, task.worksite
        f.repair_h, f.eva_h = task.duration_h, task.eva_h
        f.eva_count = int(round(task.eva_h / sim.systems.reliability.eva_h.value))
        f.repair_source = task.source
        if task.end is None:
            sim.event("repair-unscheduled", comp.id, f"fault #{f.id} {comp.id}: no {task.by} "
                      f"slot for a {task.duration_h:g} h repair before the end of the plan",
                      "warning", source="scheduler")
            return
        sim.event("repair-booked", comp.id, f"fault #{f.id} {comp.id}: {task.kind} by "
                  f"{task.by} at {task.worksite}, {task.start:%Y-%m-%d %H:%M} to "
                  f"{task.end:%Y-%m-%d %H:%M} ({task.duration_h:g} h; {task.source})",
                  "info", value=task.duration_h, source="scheduler")
        t_s = sim.engine.seconds(task.end)
        if t_s < sim.engine.t_end_s:
            sim.engine.schedule(t_s, lambda e: sim.autonomy.repair_done(f, comp),
                                f"repair {f.id}")

    def cargo_docked(self, ship: str, veh, room_kg: float) -> None:
        """A cargo ship docked: the loadmaster packs spares (waiting repairs first, then the
        restock) within the ship's spares allowance and ``room_kg`` of stowage; repairs that
        waited for a spare are booked from now."""
        sim = self.sim
        if veh.kind != "cargo":
            return
        dry = veh.dry_cargo_kg.value if veh.dry_cargo_kg else veh.cargo_kg.value
        allowance = dry * (1.0 - sim.systems.life_support.food_fraction_of_dry_cargo.value)
        from rossim.ops.life_support import module_volume_m3

        room_m3 = self.spares.stowage_m3(module_volume_m3(sim.config, sim.timeline.catalog)) \
            - self.spares.volume_m3()
        loaded, left = self.spares.pack(sim.engine.now_s, allowance, room_kg, room_m3)
        if loaded:
            sim.event("spares", ship, "spares delivered: " + ", ".join(
                f"{n} {i}" for i, n in sorted(loaded.items())), "info", source="autonomy")
        if left:
            sim.event("stowage", ship, "spares not loaded (ship allowance or stowage full): "
                      + ", ".join(f"{n} {i}" for i, n in sorted(left.items())), "warning",
                      source="autonomy")
        waiting, self.spares.waiting = self.spares.waiting, []
        for f, comp in waiting:
            if f.repaired_at is not None or not self.attached(f.module):
                continue
            if self.spares.take(comp.id, sim.engine.now_s):
                f.spare_from = ship
                f.waited_for_spare_h = (sim.now - (f.detected_at or f.failed_at)
                                        ).total_seconds() / 3600.0
                self.book_repair(f, comp, ready=sim.now)
            else:
                self.spares.waiting.append((f, comp))

    def repaired(self, f: Fault, comp: Component) -> None:
        """The repair of ``f`` is done now: the unit works again and may fail again later."""
        key = (f.component, f.module)
        self.working[key] = min(self.working.get(key, comp.units) + 1, comp.units)
        if self.attached(f.module):
            self._draw(comp, f.module, f.unit)

    def result(self) -> FdirResult:
        """The faults, the spares ledger and the spares aboard per type at each UTC midnight
        of the run so far (``spares_daily``: long format, columns ``time``, ``component``,
        ``stock``; the archive's ``spares_daily`` table)."""
        sp = self.spares
        eng = self.sim.engine
        day0 = eng.t_ref.astype("datetime64[D]")
        days = np.arange(day0 + (1 if day0 < eng.t_ref else 0),
                         eng.epoch(eng.now_s).astype("datetime64[D]") + 1)
        t_s = (days.astype("datetime64[us]") - eng.t_ref) / np.timedelta64(1, "s")
        t_s = t_s[t_s <= eng.now_s]
        stock = sp.daily(t_s)
        times = eng.epochs(t_s)
        daily = {"time": np.tile(times, len(stock)),
                 "component": np.repeat(np.array(list(stock), dtype=object), len(times)),
                 "stock": np.concatenate([stock[i] for i in stock]) if stock else np.zeros(0)}
        return FdirResult(self.faults, {i: dict(L, end=sp.stock[i]) for i, L in
                                        sp.ledger.items()}, daily)


def first_power_module(config, catalog) -> str:
    """The first module with arrays in a configuration (the site of an injected power fault)."""
    for m in config.modules:
        if catalog.modules[m].solar_array_power_kw.value > 0:
            return m
    return config.modules[0]


# -- availability and its spread over seeds ---------------------------------------------------

def availability(faults: list[Fault], t0: dt.datetime, t1: dt.datetime) -> float:
    """Share of ``[t0, t1]`` with every function available: 1 minus the union of the
    intervals a detected fault degraded a function (detection to ``degraded_until``, or
    ``t1`` if never restored), as in the run summary, computed on exact times."""
    iv = []
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
        self._plan()

    @property
    def now(self) -> dt.datetime:
        from rossim.ops.engine import to_datetime

        return to_datetime(self.engine.epoch(self.engine.now_s))

    def iso(self, t_s: int) -> str:
        return str(self.engine.epoch(t_s).astype("datetime64[s]")) + "Z"

    def event(self, kind, subject, detail="", severity="info", value=None, source="engine",
              t_s=None) -> None:
        self.events.append({"time": self.iso(self.engine.now_s if t_s is None else t_s),
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
        avail.append(availability(fl, t0, t1))
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
                     f"the run's mean per-orbit depth of discharge {dod:.3f}"),
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
