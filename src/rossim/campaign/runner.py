"""The one place a campaign calls the operations engine: :func:`run_one`.

Everything the campaign needs from a run goes through :func:`run_one` (the engine's
:func:`rossim.ops.simulation.simulate` today; repoint it here when the engine changes).
It returns a :class:`RunOutcome`: the summary (summary.json's keys, plus
``alarm_kinds`` (alarm subject -> count) and ``f107_mean_span_sfu`` (mean daily F10.7 the run
saw)) and the run's daily
series reduced on the worker to one float32 value per calendar day of the scenario span
(NaN on days without a station), so no whole series is ever shipped.

Dispersion knobs the engine does not read yet (``operations.solar_amplitude_scale``,
``solar_phase_shift_days``, ``f107/ap_noise_*``, ``fault_rate_scale``) are applied here:

- the weather: :func:`rossim.environment.spaceweather.operations_weather` with the noise
  stream ``SeedSequence(seed).spawn(1)[0]``, handed to ``simulate`` by replacing, for this
  call only and under a process-wide lock, the ``default_weather`` name that
  ``rossim.ops.simulation`` looks up (the engine should call ``operations_weather`` itself);
- the fault rates: ``simulate(..., systems=scale_fault_rates(load_systems(), scale))``.

When the engine reads these knobs itself (``weather = operations_weather(ops,
seed=np.random.SeedSequence(seed).spawn(1)[0])`` and ``systems = scale_fault_rates(systems,
ops.fault_rate_scale)`` inside ``simulate``), remove both here: the fault-rate scale would
otherwise be applied twice.

The crew-dose model keeps the nominal weather (its GCR modulation reads its own default).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rossim.config.scenario import Scenario

__all__ = ["RunOutcome", "run_one", "scale_fault_rates", "SERIES", "daily_grid"]

#: The daily series every run returns: name -> (what, unit).
SERIES: dict[str, tuple[str, str]] = {
    "altitude_km": ("daily mean altitude", "km"),
    "propellant_kg": ("station propellant at the end of the day", "kg"),
    "soc_min": ("daily minimum battery state of charge", "1"),
    "crew_dose_person_mSv": ("cumulative collective crew dose", "person-mSv"),
}

_ENGINE_LOCK = threading.Lock()


@dataclass
class RunOutcome:
    """One run's figures: ``summary`` (summary.json keys) and ``daily`` (name -> float32
    array over :func:`daily_grid`)."""

    summary: dict[str, Any]
    daily: dict[str, np.ndarray] = field(default_factory=dict)


def daily_grid(scenario: Scenario) -> np.ndarray:
    """Calendar days (``datetime64[D]``) from the span's start to its end, inclusive."""
    start = np.datetime64(scenario.span.start.replace(tzinfo=None), "D")
    end = np.datetime64(scenario.span.end.replace(tzinfo=None), "D")
    return np.arange(start, end + 1)


@functools.lru_cache(maxsize=1)
def _systems():
    from rossim.config.systems import load_systems

    return load_systems()


def scale_fault_rates(systems, scale: float):
    """Systems catalog with every component's MTBF divided by ``scale`` (rates x scale)."""
    if scale == 1.0:
        return systems
    comps = [c.model_copy(update={"mtbf_h": c.mtbf_h.model_copy(
        update={"value": c.mtbf_h.value / scale})}) for c in systems.component]
    return systems.model_copy(update={"component": comps})


def _reduce(days: np.ndarray, epochs: np.ndarray, values: np.ndarray, how: str) -> np.ndarray:
    """Per-day ``mean``/``min``/``last`` of ``values`` at ``epochs`` (datetime64) onto
    ``days``; NaN where a day has no sample. Vectorised (bincount / ufunc.at)."""
    out = np.full(len(days), np.nan)
    if len(epochs) == 0:
        return out.astype(np.float32)
    k = ((epochs.astype("datetime64[D]") - days[0]) / np.timedelta64(1, "D")).astype(int)
    ok = (k >= 0) & (k < len(days)) & np.isfinite(values)
    k, v = k[ok], np.asarray(values, dtype=float)[ok]
    n = np.bincount(k, minlength=len(days))
    has = n > 0
    if how == "mean":
        s = np.bincount(k, weights=v, minlength=len(days))
        out[has] = s[has] / n[has]
    elif how == "min":
        m = np.full(len(days), np.inf)
        np.minimum.at(m, k, v)
        out[has] = m[has]
    elif how == "last":
        last = np.full(len(days), -1)
        np.maximum.at(last, k, np.arange(len(k)))
        out[has] = v[last[has]]
    return out.astype(np.float32)


def _dose_daily(days: np.ndarray, rows: list[dict[str, Any]]) -> np.ndarray:
    """Cumulative collective crew dose (person-mSv) by day: each visit's dose accrues
    linearly over its stay."""
    total = np.zeros(len(days))
    d = np.arange(len(days), dtype=float)
    for r in rows:
        k0 = (np.datetime64(str(r["launch"])[:10], "D") - days[0]) / np.timedelta64(1, "D")
        length = max(float(r["days"]), 1e-9)
        frac = np.clip((d + 1.0 - k0) / length, 0.0, 1.0)
        total += frac * float(r["collective_person_mSv"])
    return total.astype(np.float32)


def run_one(scenario: Scenario, seed: int) -> RunOutcome:
    """Simulate ``scenario`` with ``seed`` and reduce it (the campaign's one engine call).

    Raises whatever the engine raises (the campaign records it as a failed run).
    """
    from rossim.analysis.dose import crew_visit_doses
    from rossim.environment.spaceweather import operations_weather

    ops = scenario.operations
    weather = operations_weather(ops, seed=np.random.SeedSequence(seed).spawn(1)[0])
    systems = scale_fault_rates(_systems(), ops.fault_rate_scale)
    import rossim.ops.simulation as engine

    used: list[bool] = []

    def dispersed():
        used.append(True)
        return weather

    with _ENGINE_LOCK:
        saved = engine.default_weather
        engine.default_weather = dispersed
        try:
            result = engine.simulate(scenario, seed=seed, systems=systems,
                                     crew_dose=crew_visit_doses)
        finally:
            engine.default_weather = saved
    if (ops.space_weather != "constant" and not used
            and not hasattr(engine, "operations_weather")):
        # The engine no longer looks the weather up where this runner hands it over: fail
        # loudly rather than record runs without their weather dispersion.
        raise RuntimeError("the engine did not take the dispersed weather "
                           "(rossim.campaign.runner.run_one must be repointed)")
    days = daily_grid(scenario)
    orbit, power = result.orbit, result.power
    daily = {
        "altitude_km": _reduce(days, orbit.epochs, orbit.altitude_m / 1000.0, "mean"),
        "propellant_kg": _reduce(days, orbit.epochs, orbit.station_propellant_kg, "last"),
        "soc_min": _reduce(days, power.epochs, power.soc_min, "min"),
        "crew_dose_person_mSv": _dose_daily(days, result.crew_dose),
    }
    summary = dict(result.summary)
    kinds: dict[str, int] = {}
    for e in result.events:
        if e.get("kind") == "alarm":
            kinds[str(e.get("subject"))] = kinds.get(str(e.get("subject")), 0) + 1
    summary["alarm_kinds"] = dict(sorted(kinds.items()))
    summary["f107_mean_span_sfu"] = float(np.mean(weather.f107(
        engine.time_from_datetime64(orbit.epochs[::24]))))
    return RunOutcome(summary, daily)
