"""The closed-loop engine: one clock, one station state, models that advance a span at a time.

Design (Basilisk's module-and-message composition, with today's vectorised chunks for speed):

* **One clock.** Time is integer seconds since the run's reference epoch ``t_ref`` (the first
  module's arrival, floored to the hour). Every span boundary is on the ``step_s`` grid
  (the power step, 60 s by default, which divides 600 s and so every hour).
* **Models** (:class:`Model`) declare the telemetry channels they ``reads`` and ``writes``; the
  engine orders them so that a model runs after the models whose channels it reads. Each
  model gets its own random stream: ``numpy.random.SeedSequence(seed, spawn_key=(crc32(name),))``,
  so a draw added to one model leaves every other model's draws unchanged.
* **Spans.** :meth:`Simulation.advance_to` cuts time at the next scheduled event (docking,
  command, fault, repair, autonomy timer) or ``MAX_SPAN_S``. First every model applies what
  is due at the span's start (:meth:`Model.settle`: food past its shelf life discarded), so
  that its proposal and its commit start from the same state: a proposal made from a state
  its commit would change first misses the crossings of the new state (campaign run 71: the
  expiry of the food lot next in line was never proposed, so the span ran through it). Then
  each model advances the whole span vectorised (:meth:`Model.propose`) and may report a
  threshold crossing inside it (altitude at the band floor, state of charge at a shedding
  threshold, a store empty; one at or before the span's start is an error, never dropped); the
  engine then shortens the span to the earliest crossing, re-proposes, commits every model
  (:meth:`Model.commit`) and hands the crossings to the onboard autonomy, which reacts with
  commands. No Python loop runs over 60 s steps.
* **Commands** (:mod:`rossim.ops.commands`) come from the scenario timeline, the onboard
  autonomy and an operator (:meth:`Simulation.command`); each is executed or refused with a
  reason, and both go to the events table with their source.

The Python API (``rossim run`` is this API with no operator)::

    sim = Simulation(scenario, seed=7)
    sim.advance_to("2029-01-01")
    sim.command(Reboost(target_altitude_km=410.0))
    sim.advance_to(scenario.span.end)
    result = sim.finish()
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rossim.errors import InputError

#: Longest span the engine advances in one go (s): keeps per-span buffers small and the
#: linear interpolation of slow quantities (altitude, node) across a span accurate.
MAX_SPAN_S = 86400


def to_dt64(t: Any) -> np.datetime64:
    """UTC ``datetime64[us]`` of one epoch (datetime, date, ISO string, datetime64, astropy
    Time): :func:`rossim.station.configuration.as_datetime64`, with a clear error."""
    from rossim.station.configuration import as_datetime64

    if isinstance(t, str):
        t = t.replace("+00:00", "")
    try:
        out = as_datetime64(t)
    except (ValueError, TypeError):
        raise InputError("argument", "time", str(t)[:60],
                         "an ISO date or date-time (UTC), a datetime or a datetime64") from None
    if out.ndim:
        raise InputError("argument", "time", str(t)[:60], "one epoch")
    return out[()]


def to_datetime(t64: np.datetime64) -> dt.datetime:
    """Aware UTC datetime from ``datetime64``."""
    return t64.astype("datetime64[us]").astype(dt.datetime).replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Channel:
    """One telemetry channel: ``table`` is the archive table holding it (column = name)."""

    name: str
    table: str
    unit: str
    description: str
    low: float | None = None
    high: float | None = None
    subsystem: str = ""


@dataclass(order=True)
class Scheduled:
    """An entry of the event queue: ``action(sim)`` runs at ``t_s``."""

    t_s: int
    seq: int
    action: Any = field(compare=False)
    label: str = field(compare=False, default="")


@dataclass(frozen=True)
class Crossing:
    """A threshold crossing a model found inside a span: the condition holds at ``t_s``."""

    t_s: int
    model: str
    kind: str
    value: float = 0.0


class Model:
    """Base of the engine's models. Subclasses set ``name``, ``reads``, ``writes`` and
    implement :meth:`propose` (advance over ``[t0, t1]`` without changing the committed
    state; return the earliest crossing inside, ``t0 < t_s <= t1``, or ``None``) and
    :meth:`commit` (make the last proposal the state; its end must equal the span end the
    engine chose). A change of state due at the span's start belongs in :meth:`settle`, never
    at the start of :meth:`commit`: :meth:`propose` must see the state :meth:`commit` advances.
    """

    name = "model"
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    rng: np.random.Generator

    def start(self, sim: Any) -> None:  # pragma: no cover - optional hook
        pass

    def settle(self, sim: Any, t0: int) -> None:
        """Apply what is due at the span start ``t0`` (s), before any model proposes the
        span (a stock reaching its end of life then is removed): called once per span."""

    def propose(self, sim: Any, t0: int, t1: int) -> Crossing | None:
        return None

    def commit(self, sim: Any, t0: int, t1: int) -> None:
        pass

    def finish(self, sim: Any) -> None:  # pragma: no cover - optional hook
        pass


def model_stream(seed: int, name: str) -> np.random.Generator:
    """The random stream of model ``name``: independent of every other model's draws."""
    return np.random.default_rng(np.random.SeedSequence(int(seed),
                                                        spawn_key=(zlib.crc32(name.encode()),)))


def order_models(models: list[Model]) -> list[Model]:
    """Models sorted so that each runs after the writers of the channels it reads
    (stable for independent models; a cycle is a wiring bug)."""
    writer = {}
    for m in models:
        for c in m.writes:
            writer[c] = m.name
    names = [m.name for m in models]
    deps = {m.name: {writer[c] for c in m.reads if c in writer and writer[c] != m.name}
            for m in models}
    out: list[str] = []
    while len(out) < len(names):
        ready = [n for n in names if n not in out and deps[n] <= set(out)]
        if not ready:
            raise RuntimeError(f"cycle in model wiring: {deps}")
        out.append(ready[0])
    by_name = {m.name: m for m in models}
    return [by_name[n] for n in out]


class Engine:
    """Clock, event queue and span loop (no station knowledge: see :class:`Simulation`)."""

    def __init__(self, t_ref: np.datetime64, t_end_s: int, step_s: int, seed: int):
        self.t_ref = t_ref.astype("datetime64[us]")
        self.step_s = int(step_s)
        self.t_end_s = int(t_end_s)
        self.now_s = 0
        self.seed = int(seed)
        self.models: list[Model] = []
        self._queue: list[Scheduled] = []
        self._seq = itertools.count()
        self.timing_s: dict[str, float] = {}
        self.spans = 0
        self.crossing_handlers: list[Any] = []
        self.context: Any = self   # what models receive as ``sim`` (the station simulation)

    # -- time ------------------------------------------------------------------------------
    def seconds(self, t: Any) -> int:
        """Seconds since ``t_ref`` of an epoch, rounded up to the step grid."""
        s = (to_dt64(t) - self.t_ref) / np.timedelta64(1, "s")
        k = int(np.ceil(s / self.step_s - 1e-9))
        return k * self.step_s

    def epoch(self, t_s: float) -> np.datetime64:
        return self.t_ref + np.timedelta64(int(round(t_s * 1e6)), "us")

    def epochs(self, t_s: np.ndarray) -> np.ndarray:
        return self.t_ref + (np.asarray(t_s) * 1e6).astype("int64").astype("timedelta64[us]")

    # -- wiring ----------------------------------------------------------------------------
    def add_models(self, models: list[Model]) -> None:
        for m in models:
            m.rng = model_stream(self.seed, m.name)
        self.models = order_models(models)

    def schedule(self, t_s: int, action, label: str = "") -> None:
        heapq.heappush(self._queue, Scheduled(max(int(t_s), self.now_s), next(self._seq),
                                              action, label))

    # -- loop ------------------------------------------------------------------------------
    def advance_to_s(self, target_s: int) -> None:
        while True:
            while self._queue and self._queue[0].t_s <= self.now_s:
                item = heapq.heappop(self._queue)
                item.action(self)
            target_s = min(int(target_s), self.t_end_s)  # a model may end the run early
            if self.now_s >= target_s:
                break
            t1 = min(target_s, self.now_s + MAX_SPAN_S)
            if self._queue:
                t1 = min(t1, self._queue[0].t_s)
            self._span(self.now_s, t1)

    def _span(self, t0: int, t1: int) -> None:
        for m in self.models:  # what is due at t0 first: every proposal starts from it
            c0 = time.perf_counter()
            m.settle(self.context, t0)
            self.timing_s[m.name] = self.timing_s.get(m.name, 0.0) + time.perf_counter() - c0
        crossings: list[Crossing] = []
        while True:
            # Propose every model over [t0, t1]; a crossing shortens the span for the models
            # after it at once, and for those before it on the next pass, so that every
            # committed proposal covers the same span with consistent inputs.
            crossings = []
            end = t1
            for m in self.models:
                c0 = time.perf_counter()
                c = m.propose(self.context, t0, end)
                self.timing_s[m.name] = self.timing_s.get(m.name, 0.0) + time.perf_counter() - c0
                if c is not None and c.t_s <= t0:
                    # a condition already holding at the span start cannot cut the span:
                    # it is the model's settle's to act on; dropping it would run the span
                    # through it unseen
                    raise RuntimeError(f"model {m.name!r} proposed a {c.kind!r} crossing at "
                                       f"{c.t_s} s, not inside its span ({t0}, {end}] s")
                if c is not None and c.t_s <= end:
                    crossings.append(c)
                    end = c.t_s
            if end == t1:
                break
            t1 = end  # strictly shorter each pass, so this ends
        for m in self.models:
            c0 = time.perf_counter()
            m.commit(self.context, t0, t1)
            self.timing_s[m.name] = self.timing_s.get(m.name, 0.0) + time.perf_counter() - c0
        self.now_s = t1
        self.spans += 1
        for c in sorted((c for c in crossings if c.t_s == t1), key=lambda c: c.model):
            for handler in self.crossing_handlers:
                handler(self, c)


@dataclass
class StationState:
    """What the models share besides the configuration (the :class:`rossim.ops.simulation.
    Simulation`'s, and the reliability-only replay's of :mod:`rossim.ops.fdir`)."""

    shed_level: int = 0
    safe_mode: bool = False
    attitude: str = "velocity"
    sun_biased: bool = False
    activities: dict[str, float] = field(default_factory=dict)
    array_factor: dict[str, float] = field(default_factory=dict)
    battery_factor: dict[str, float] = field(default_factory=dict)
