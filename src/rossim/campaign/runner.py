"""The one place a campaign calls the operations engine: :func:`run_one`.

Everything the campaign needs from a run goes through :func:`run_one` (the engine's
:func:`rossim.ops.simulation.simulate` today; repoint it here when the engine changes).
It returns a :class:`RunOutcome`: the summary (summary.json's keys, plus
``alarm_kinds`` (alarm subject -> count), ``f107_mean_span_sfu`` (mean daily F10.7 the run
saw) and ``callups_lost_at_launch`` (:func:`callups_lost`: ``cargo`` and ``crew``, one column
each in the runs table)) and the run's daily
series reduced on the worker to one float32 value per calendar day of the scenario span
(NaN on days without a station), so no whole series is ever shipped.

The engine reads every dispersion knob of ``operations`` itself
(:class:`rossim.ops.simulation.Simulation`: :func:`rossim.environment.weather_dispersion.
run_weather` for the solar-cycle amplitude and phase and the daily F10.7/Ap noise, from the
run's own ``space-weather`` stream; ``fault_rate_scale`` in the reliability model).

The crew dose along the flown orbit uses the run's weather too (GCR modulation and the trapped
model's solar condition follow the dispersed cycle; before 2026-12-02 it kept the nominal one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rossim.config.scenario import Scenario
from rossim.time import to_datetime64

__all__ = ["RunOutcome", "run_one", "callups_lost", "SERIES", "daily_grid"]

#: The daily series every run returns: name -> (what, unit).
SERIES: dict[str, tuple[str, str]] = {
    "altitude_km": ("daily mean altitude", "km"),
    "propellant_kg": ("station propellant at the end of the day", "kg"),
    "soc_min": ("daily minimum battery state of charge", "1"),
    "crew_dose_person_mSv": ("cumulative collective crew dose", "person-mSv"),
}

@dataclass
class RunOutcome:
    """One run's figures: ``summary`` (summary.json keys) and ``daily`` (name -> float32
    array over :func:`daily_grid`)."""

    summary: dict[str, Any]
    daily: dict[str, np.ndarray] = field(default_factory=dict)


def daily_grid(scenario: Scenario) -> np.ndarray:
    """Calendar days (``datetime64[D]``) from the span's start to its end, inclusive."""
    start = to_datetime64(scenario.span.start).astype("datetime64[D]")
    end = to_datetime64(scenario.span.end).astype("datetime64[D]")
    return np.arange(start, end + 1)


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
        k0 = ((to_datetime64(r["launch"]).astype("datetime64[D]") - days[0])
              / np.timedelta64(1, "D"))
        length = max(float(r["days"]), 1e-9)
        frac = np.clip((d + 1.0 - k0) / length, 0.0, 1.0)
        total += frac * float(r["collective_person_mSv"])
    return total.astype(np.float32)


def callups_lost(summary: dict[str, Any]) -> dict[str, int]:
    """Ships the run called up and lost at launch (:mod:`rossim.ops.callup_loss`), from its
    summary: ``cargo`` (``logistics.callups.lost_at_launch``) and ``crew`` (repair crews'
    launch aborts, ``logistics.crew_callups.aborted_at_launch``); 0 when the run had none."""
    lg = summary.get("logistics") or {}
    return {"cargo": int((lg.get("callups") or {}).get("lost_at_launch") or 0),
            "crew": int((lg.get("crew_callups") or {}).get("aborted_at_launch") or 0)}


def run_one(scenario: Scenario, seed: int) -> RunOutcome:
    """Simulate ``scenario`` with ``seed`` and reduce it (the campaign's one engine call).

    Raises whatever the engine raises (the campaign records it as a failed run).
    """
    from rossim.analysis.dose import crew_visit_doses
    from rossim.ops.simulation import simulate

    def dose_along(scen, flown):
        return crew_visit_doses(scen, orbit=flown)

    # The engine reads every dispersion knob of ``operations`` itself (weather amplitude,
    # phase and noise; fault-rate scale): one call, nothing patched.
    result = simulate(scenario, seed=seed, crew_dose=dose_along)
    days = daily_grid(scenario)
    orbit, power = result.orbit, result.power
    daily = {
        "altitude_km": _reduce(days, orbit.epochs, orbit.altitude_m / 1000.0, "mean"),
        "propellant_kg": _reduce(days, orbit.epochs, orbit.station_propellant_kg, "last"),
        "soc_min": _reduce(days, power.epochs, power.soc_min, "min"),
        "crew_dose_person_mSv": _dose_daily(days, [v.to_dict() for v in result.crew_dose]),
    }
    summary = result.summary.to_dict()
    kinds: dict[str, int] = {}
    for e in result.events:
        if e.get("kind") == "alarm":
            kinds[str(e.get("subject"))] = kinds.get(str(e.get("subject")), 0) + 1
    summary["alarm_kinds"] = dict(sorted(kinds.items()))
    summary["f107_mean_span_sfu"] = float(np.mean(orbit.f107))  # hourly F10.7 the run saw
    summary["callups_lost_at_launch"] = callups_lost(summary)
    return RunOutcome(summary, daily)
