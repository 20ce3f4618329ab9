"""Fault detection, isolation and recovery (FDIR).

Faults: every installed unit of every component type (``catalog/systems.toml``) fails at an
exponentially distributed time with its MTBF (seeded random generator, so the same seed gives
the same faults), plus the faults the scenario injects. Units exist from the docking of the
module that carries them (``module = "power"``: one set per module with solar arrays;
``"station"``: one set from the first module on).

Detection: each fault shows in a telemetry channel, sampled at 10 s in a two-hour window around
the fault with seeded sensor noise (the only place rossim simulates at that rate: "fine steps
around events"). Detection rules run on that telemetry, vectorised:

- ``limit``: the value leaves its limits for three consecutive samples;
- ``trend``: the least-squares slope over a sliding 10-minute window exceeds its threshold.

Response: if the working units still meet ``min_units`` the system switches to a redundant unit
(recovered automatically); otherwise it degrades (array drive: that module's generation halved;
battery string: capacity reduced) or goes to safe mode (attitude on thrusters, experiments shed)
until the repair. Repairs: inside faults by the next crew, outside faults by the exterior robot
(:mod:`rossim.ops.robotics`), each with its catalog duration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from rossim.config.systems import Component, SystemsCatalog

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


@dataclass
class FdirResult:
    faults: list[Fault] = field(default_factory=list)

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


def _units(systems: SystemsCatalog, timeline) -> list[tuple[Component, str, dt.datetime]]:
    """(component, carrying module, installed since) for every installed set."""
    cat = timeline.catalog
    first = timeline.phases[0].start
    arrivals: dict[str, dt.datetime] = {}
    for e in timeline.events:
        if e.part_kind == "module" and e.kind == "dock" and e.part not in arrivals:
            arrivals[e.part] = e.time
    out = []
    for comp in systems.component:
        if comp.module == "station":
            out.append((comp, "station", first))
        elif comp.module == "power":
            for mid, t in arrivals.items():
                if cat.modules[mid].solar_array_power_kw.value > 0:
                    out.append((comp, mid, t))
        else:
            if comp.module in arrivals:
                out.append((comp, comp.module, arrivals[comp.module]))
    return out


def sample_faults(systems: SystemsCatalog, timeline, rng: np.random.Generator,
                  injected=()) -> list[Fault]:
    """Random unit failures over the span (plus the injected ones), sorted by time."""
    end = timeline.scenario.span.end
    faults: list[Fault] = []
    for comp, module, since in _units(systems, timeline):
        for unit in range(comp.units):
            t = since
            while True:
                gap_h = rng.exponential(comp.mtbf_h.value)
                t = t + dt.timedelta(hours=float(gap_h))
                if t >= end:
                    break
                faults.append(Fault(0, comp.id, module, unit, comp.location, t, False))
    for inj in injected:
        comp = systems.component_by_id(inj.component)
        module = "station" if comp.module == "station" else _first_power_module(timeline, inj.at)
        faults.append(Fault(0, comp.id, module, 0, comp.location, inj.at, True))
    faults.sort(key=lambda f: (f.failed_at, f.component, f.module, f.unit))
    for k, f in enumerate(faults):
        f.id = k + 1
    return faults


def _first_power_module(timeline, when: dt.datetime) -> str:
    config = timeline.at(when)
    cat = timeline.catalog
    for m in config.modules:
        if cat.modules[m].solar_array_power_kw.value > 0:
            return m
    return config.modules[0]


def run_fdir(systems: SystemsCatalog, timeline, rng: np.random.Generator, injected=(),
             schedule_repair=None) -> FdirResult:
    """Sample, detect and respond to faults; ``schedule_repair(fault) -> (done_at, by)`` books
    the repair (robot or crew) and returns when it is done."""
    faults = sample_faults(systems, timeline, rng, injected)
    working: dict[tuple[str, str], int] = {}
    repairs_due: list[tuple[dt.datetime, tuple[str, str]]] = []
    for f in faults:
        comp = systems.component_by_id(f.component)
        key = (f.component, f.module)
        # Repairs completed before this fault restore their units.
        for when, k in [r for r in repairs_due if r[0] <= f.failed_at]:
            working[k] = min(working[k] + 1, systems.component_by_id(k[0]).units)
            repairs_due.remove((when, k))
        working.setdefault(key, comp.units)
        offset = 1800.0
        x = _signal(comp.channel, rng, offset)
        idx = detect(comp.channel, comp.rule, x)
        latency = (idx * SAMPLE_S - offset) if idx is not None else WINDOW_S
        f.detected_at = f.failed_at + dt.timedelta(seconds=max(latency, 0.0))
        f.rule = f"{comp.rule} on {comp.channel}" if idx is not None else "not detected in window"
        working[key] -= 1
        if working[key] >= comp.min_units:
            f.response = "switched to redundant unit"
            f.recovered_automatically = True
        elif comp.id == "array-drive":
            f.response = "array parked: generation of this module halved"
        elif comp.id == "battery-string":
            f.response = "string isolated: capacity reduced"
        else:
            f.response = "safe mode: experiments shed, attitude on thrusters"
        if schedule_repair is not None:
            done, by, site = schedule_repair(f, comp)
            f.repaired_at, f.repaired_by, f.worksite = done, by, site
            if done is not None:
                repairs_due.append((done, key))
        if not f.recovered_automatically:
            f.degraded_until = f.repaired_at or timeline.scenario.span.end
    return FdirResult(faults)
