"""The weather of a run: the forecast dispersed for Monte Carlo campaigns.

:func:`dispersed_weather` scales the amplitude of the predicted solar cycle about a quiet-Sun
floor (:data:`rossim.environment.spaceweather.CYCLE_FLOOR_SFU`), shifts its phase and adds
daily AR(1) noise to F10.7 and Ap (observed 1996-2025 in SW-All.txt: sd of
ln(F10.7 / 81-day mean) 0.12, lag-1 0.90; sd of ln(Ap / mean Ap) 0.85, lag-1 0.60); observed
days are kept as they are. :func:`operations_weather` is the weather a run uses from a
scenario's ``operations`` settings (constant, the shared table, or the dispersed table with
noise from a given stream); :func:`run_weather` is that of a run (noise from the run's own
``space-weather`` stream: one weather per scenario and seed in any process) and
:func:`forecast_weather` the noise-free forecast used before a run.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rossim.environment.spaceweather import (
    _BURST_SFU,
    CYCLE_FLOOR_SFU,
    ConstantWeather,
    SpaceWeather,
    Weather,
    default_weather,
)
from rossim.errors import InputError


def _ar1(rng: np.random.Generator, n: int, sigma: float, lag1: float) -> np.ndarray:
    """A stationary AR(1) series of ``n`` values with standard deviation ``sigma`` and lag-1
    correlation ``lag1`` (vectorised: scipy's linear filter over white noise)."""
    from scipy.signal import lfilter

    e = rng.standard_normal(n)
    if n == 0 or sigma == 0.0:
        return np.zeros(n)
    e[0] *= 1.0 / np.sqrt(1.0 - lag1 * lag1)  # start in the stationary distribution
    x = lfilter([1.0], [1.0, -lag1], e)
    return sigma * np.sqrt(1.0 - lag1 * lag1) * x


def dispersed_weather(base: SpaceWeather, *, amplitude_scale: float = 1.0,
                      phase_shift_days: float = 0.0, f107_noise_sigma: float = 0.0,
                      f107_noise_lag1: float = 0.0, ap_noise_sigma: float = 0.0,
                      ap_noise_lag1: float = 0.0,
                      rng: np.random.Generator | None = None) -> SpaceWeather:
    """A copy of ``base`` whose forecast (every day after the last observed one) is dispersed.

    On forecast day ``d`` (observed days are kept as they are):

    - phase: the values are those of day ``d - round(phase_shift_days)`` of ``base`` (a
      positive shift delays the cycle; near the last observed day the shifted read-out may
      fall in the observed record, which is the cycle's own earlier course);
    - amplitude: ``F = CYCLE_FLOOR_SFU + amplitude_scale * (F - CYCLE_FLOOR_SFU)`` for the
      daily F10.7 and its 81-day mean;
    - noise: daily F10.7 x ``exp(x_d)`` and daily Ap (with its eight 3-hourly values) x
      ``exp(y_d - ap_noise_sigma**2 / 2)`` (mean-preserving), with ``x``, ``y`` stationary
      AR(1) series (standard deviations ``*_noise_sigma``, lag-1 correlations ``*_lag1``),
      drawn from ``rng``. The 81-day mean is not noised (the noise averages out over it).
      Observed 1996-2025 (SW-All.txt): sd of ln(F10.7 / 81-day mean) 0.12, lag-1 0.90;
      sd of ln(Ap / mean Ap) 0.85, lag-1 0.60.

    The result answers the same queries as ``base`` (same :attr:`SpaceWeather.source`).
    With the default arguments it is an exact copy. Raises :class:`InputError` for a
    non-positive amplitude scale or negative noise levels.
    """
    import copy

    for name, value, ok in (("amplitude_scale", amplitude_scale, amplitude_scale > 0),
                            ("f107_noise_sigma", f107_noise_sigma, f107_noise_sigma >= 0),
                            ("ap_noise_sigma", ap_noise_sigma, ap_noise_sigma >= 0),
                            ("f107_noise_lag1", f107_noise_lag1, 0 <= f107_noise_lag1 < 1),
                            ("ap_noise_lag1", ap_noise_lag1, 0 <= ap_noise_lag1 < 1)):
        if not (np.isfinite(value) and ok):
            raise InputError(None, name, value, "a finite number in the documented range")
    out = copy.copy(base)
    first = int((base.last_observed_day - base.day0).astype(int)) + 1
    n = base._f107.size
    days = np.arange(first, n)
    src = np.clip(days - int(round(phase_shift_days)), 0, n - 1)
    floor = CYCLE_FLOOR_SFU
    f107 = base._f107.copy()
    f107a = base._f107a.copy()
    f107[first:] = floor + amplitude_scale * (base._f107[src] - floor)
    f107a[first:] = floor + amplitude_scale * (base._f107a[src] - floor)
    ap = base._ap.copy()
    ap3 = base._ap_hist[:, 1].reshape(-1, 8).copy()
    ap[first:] = base._ap[src]
    ap3[first:] = ap3[src]
    if rng is None:
        rng = np.random.default_rng(0)
    if f107_noise_sigma > 0:
        f107[first:] *= np.exp(_ar1(rng, n - first, f107_noise_sigma, f107_noise_lag1))
    if ap_noise_sigma > 0:
        y = _ar1(rng, n - first, ap_noise_sigma, ap_noise_lag1) - 0.5 * ap_noise_sigma ** 2
        factor = np.exp(y)
        ap[first:] *= factor
        ap3[first:] *= factor[:, None]
    f107 = np.minimum(np.maximum(f107, 1.0), _BURST_SFU)
    out._f107 = f107
    out._f107a = np.maximum(f107a, 1.0)
    out._ap = np.minimum(ap, 400.0)
    out._ap_hist = SpaceWeather._msis_ap_history(out._ap, np.minimum(ap3, 400.0).ravel())
    return out


def _noise_on(ops: Any) -> bool:
    return ops.f107_noise_sigma > 0.0 or ops.ap_noise_sigma > 0.0


def operations_weather(operations: Any, seed: int | np.random.SeedSequence | None = None
                       ) -> Weather:
    """The weather a run uses, from a scenario's ``operations`` settings.

    ``space_weather = "constant"``: :class:`ConstantWeather` of ``f107``/``f107a``/``ap``.
    Otherwise the shared :func:`default_weather`, dispersed by ``solar_amplitude_scale``,
    ``solar_phase_shift_days`` and the daily noise settings (:func:`dispersed_weather`, noise
    drawn from its own stream ``numpy.random.default_rng(seed)``); with the nominal settings it
    is :func:`default_weather` itself.

    Raises ``ValueError`` when the settings have daily noise and ``seed`` is None: the noise
    is never drawn from the operating system's entropy (the same run would differ from one
    process to the next). A run's weather is :func:`run_weather`; a forecast made before
    the run (planning, deployer rules) is :func:`forecast_weather`.
    """
    ops = operations
    if ops.space_weather == "constant":
        return ConstantWeather(ops.f107, ops.f107a, ops.ap)
    base = default_weather()
    if (ops.solar_amplitude_scale == 1.0 and ops.solar_phase_shift_days == 0.0
            and not _noise_on(ops)):
        return base
    if seed is None and _noise_on(ops):
        raise ValueError("operations_weather: daily space-weather noise needs a seed (the "
                         "run's: run_weather(operations, seed); a forecast without noise: "
                         "forecast_weather(operations))")
    return dispersed_weather(
        base, amplitude_scale=ops.solar_amplitude_scale,
        phase_shift_days=ops.solar_phase_shift_days, f107_noise_sigma=ops.f107_noise_sigma,
        f107_noise_lag1=ops.f107_noise_lag1, ap_noise_sigma=ops.ap_noise_sigma,
        ap_noise_lag1=ops.ap_noise_lag1,
        rng=None if seed is None else np.random.default_rng(seed))  # None: no noise drawn


def run_weather(operations: Any, seed: int) -> Weather:
    """The weather of the run with simulation seed ``seed``: :func:`operations_weather` with
    the noise drawn from the run's ``space-weather`` stream (``SeedSequence(seed,
    spawn_key=(crc32(b"space-weather"),))``, as :func:`rossim.ops.engine.model_stream` makes
    a model's). Every part of a run that needs the weather (the orbit model, the autonomy's
    free-flyer look-ahead, the post-run recontact check) uses this one, so that the same
    scenario and seed give the same bytes in any process."""
    import zlib

    return operations_weather(operations, seed=np.random.SeedSequence(
        int(seed), spawn_key=(zlib.crc32(b"space-weather"),)))


def forecast_weather(operations: Any) -> Weather:
    """The weather forecast before a run: the scenario's solar cycle with its amplitude and
    phase dispersion but without the daily noise (which no forecast knows): what planning
    (cargo by demand) and the deployer rules' unkept lifetimes use. Deterministic."""
    return operations_weather(operations.model_copy(update={"f107_noise_sigma": 0.0,
                                                            "ap_noise_sigma": 0.0}))
