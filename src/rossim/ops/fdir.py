"""Fault detection, isolation and recovery (FDIR).

Faults (the engine's ``reliability`` model, event-driven): every installed unit of every
component type (``catalog/systems.toml``) fails at a random time with mean its MTBF:
exponential (constant rate), or Weibull with the component's ``weibull_shape`` (ageing; the
age restarts with a repair) (its own random stream, so the same seed gives the same faults);
with probability ``common_cause_beta`` a failure takes every other working unit of the set with
it at once (beta-factor common cause; draws from the ``common-cause`` stream: one
``common-cause`` event, the faults of that event each carrying the first one's id in
``Fault.common_cause`` and detected together, as one), drawn when the module that carries it
arrives and again after each repair; a unit on a module that has left (the ISS block after
separation) fails no more. Faults the scenario injects and those an operator
commands come on top. Units: ``module = "power"``: one set per module with solar arrays;
``"station"``: one set from the first module on.

Detection: each fault shows in a telemetry channel, sampled at 10 s in a two-hour window around
the fault with seeded sensor noise (the only place rossim simulates at that rate: "fine steps
around events"). Detection rules run on that telemetry, vectorised:

- ``limit``: the value leaves its limits for three consecutive samples;
- ``trend``: the least-squares slope over a sliding 10-minute window exceeds its threshold.

Response (decided by the onboard autonomy from the detection, :mod:`rossim.ops.fault_response`):
if the working units still meet ``min_units`` the system switches to a redundant unit
(recovered automatically); otherwise it degrades (array drive: that module's arrays parked, its
generation halved; battery string: that module's capacity reduced: a warning) or the station
goes to safe mode (attitude on thrusters, experiments shed: critical) until the repair. A
common-cause event is one detection and one response for all its units: its standby units
failed with it, so none of them counts as recovered automatically.

Repairs (:mod:`rossim.ops.repairs`, :meth:`Reliability.book_repair`): each detected fault takes a spare of its type
(:class:`rossim.ops.life_support.Spares`); without one it waits for the next cargo ship that
brings one (:meth:`Reliability.cargo_docked`: the loadmaster packs the spares the waiting
repairs need first). Then the component's ``repair_by`` decides who repairs it
(:meth:`rossim.ops.robotics.Scheduler.repair`): the exterior robot (free, uncrewed station),
the next crew (IVA) or a spacewalk (at least two crew aboard, preparation days, 6.5 h per EVA
from the ISS record); each booking is an event with its duration and source. A repair restores
the unit and, once ``min_units`` work again, the function.

Failures driven by the station's state (:mod:`rossim.ops.ageing`; accelerated failure time: each unit draws its life in
nominal hours; it is used up at ``AF`` nominal hours per hour, ``AF`` re-read every
``reliability.acceleration_update_days``):

- temperature (components with ``activation_energy_ev``): Arrhenius as in MIL-HDBK-217F,
  ``AF_T = exp(Ea / k_B (1 / T_ref - 1 / T))``, ``T`` the carrying module's temperature from
  ``sim.module_temperature_c(module)`` (the thermal model; the reference temperature when the
  simulation has none or it returns None);
- battery cycling (``dod_ageing``): ``AF_DoD = (DoD / DoD_ref)^k`` (Woehler cycle-life
  curve), DoD the mean per-orbit depth of discharge of the power model's state of charge over
  the last interval (the reference DoD without a power model).

Availability (:mod:`rossim.ops.availability`: :func:`availability`) is one draw per run; :func:`availability_spread` gives its
P5/P50/P95 over many seeds from :class:`ReliabilityRun`, the plan replayed with the reliability,
FDIR response, scheduler and spares only (no orbit, power or thermal model: reference
temperature and depth of discharge), about a hundredth of the cost of a full run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from rossim.config.systems import Component, SystemsCatalog
from rossim.ops.ageing import (  # noqa: F401  (re-exported: moved to rossim.ops.ageing)
    K_B_EV,
    AgeingMixin,
    arrhenius_factor,
    dod_factor,
    mean_orbit_dod,
    time_to_failure_h,
)
from rossim.ops.life_support import Spares
from rossim.ops.repairs import RepairsMixin

#: names that moved to :mod:`rossim.ops.availability` (imported from here on first use: that
#: module imports this one)
_MOVED_TO_AVAILABILITY = ("availability", "ReliabilityRun", "availability_spread",
                          "reliability_summary", "SUMMARY_SEEDS")


def __getattr__(name: str):
    if name in _MOVED_TO_AVAILABILITY:
        import rossim.ops.availability as _availability

        return getattr(_availability, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    common_cause: int | None = None      # id of the first fault of its common-cause event


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


class Reliability(AgeingMixin, RepairsMixin):
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
        self._latency_s: dict[int, float] = {}   # detection latency of a fault being booked
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
        """The unit sets ``module`` brings; none for a host's module (``propulsion.
        host_modules``: the ISS's US segment is the ISS programme's to maintain, not a ROS
        crew's with ROS spares)."""
        cat = self.sim.timeline.catalog
        if module in self.sim.systems.propulsion.host_modules:
            return []
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
             _common: Fault | None = None) -> Fault | None:
        """A unit fails now (random or injected). Returns the fault, or ``None`` if the unit
        is no longer on the station. With a common cause (beta factor) every other working
        unit of the set fails with it: their faults carry this one's id in ``common_cause``
        and the autonomy detects the group once (``_common``: the event's first fault)."""
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
        self._latency_s[f.id] = det.latency_s
        if _common is not None:   # detected with its event's first fault
            f.common_cause = _common.id
            return f
        group = [f] + self._common_cause(comp, where, f, injected)
        latency = min(self._latency_s.pop(g.id) for g in group)   # the first signature seen
        t_det = sim.engine.now_s + int(np.ceil(latency / sim.engine.step_s)) * \
            sim.engine.step_s
        sim.engine.schedule(t_det, lambda eng: sim.autonomy.fault_detected(f, comp, group),
                            f"detect fault {f.id}")
        return f

    def _common_cause(self, comp: Component, where: str, f: Fault, injected: bool) -> list:
        """The beta-factor draw after fault ``f``: the other working units of the set that
        fail with it now (one ``common-cause`` event naming them), or none."""
        if comp.common_cause_beta is None:
            return []
        sim = self.sim
        if self.rng_cc is None:
            from rossim.ops.engine import model_stream

            self.rng_cc = model_stream(sim.seed, "common-cause")
        if not self.rng_cc.random() < comp.common_cause_beta.value:
            return []
        down = {g.unit for g in self.faults if (g.component, g.module) == (comp.id, where)
                and g.repaired_at is None}
        others = [g for u in range(comp.units) if u not in down
                  if (g := self.fail(comp, where, u, injected, _common=f)) is not None]
        if not others:   # no other unit worked: nothing more to take
            return []
        f.common_cause = f.id
        sim.event("common-cause", comp.id, f"{common_cause_text([f] + others, comp)}: "
                  f"every working {comp.id} unit ({where}) failed with fault #{f.id}",
                  "critical")
        return others

    # -- repairs and spares ---------------------------------------------------------------------
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


def fault_ids(faults: list[Fault]) -> str:
    """``#a`` for one fault, ``#a-#b`` for consecutive ids, ``#a, #c`` otherwise."""
    ids = sorted(f.id for f in faults)
    if len(ids) > 1 and ids == list(range(ids[0], ids[-1] + 1)):
        return f"#{ids[0]}-#{ids[-1]}"
    return ", ".join(f"#{i}" for i in ids)


def common_cause_text(faults: list[Fault], comp: Component) -> str:
    """``common-cause failure of N units of <component> (faults #a-#b)``: the cause the
    alarms of a common-cause event name."""
    return (f"common-cause failure of {len(faults)} units of {comp.name} "
            f"(faults {fault_ids(faults)})")


def first_power_module(config, catalog) -> str:
    """The first module with arrays in a configuration (the site of an injected power fault)."""
    for m in config.modules:
        if catalog.modules[m].solar_array_power_kw.value > 0:
            return m
    return config.modules[0]
