"""Same scenario and seed, same results in any process on one machine (the project's rule
that a run is deterministic; across processor designs pymsis's last bits differ, see
test_pymsis_densities_are_single_precision and tools/README.md).

The defect (found 2026-12-02 in a 10-run campaign of ros-51.6 run twice): a run with the
Monte Carlo's daily space-weather noise gave different results for the same draw in different
processes (engine spans 3058-3062 for run 4 of campaign seed 2026), from the first free-flyer
release on. The autonomy's return look-ahead (rossim.ops.return_watch) and the post-run
recontact check built their density tables with ``operations_weather(operations)``, whose
noise stream was ``numpy.random.default_rng(None)``: the operating system's entropy, new in
every process (and every call). The run's orbit model, meanwhile, used the run's own
``space-weather`` stream. Now every part of a run uses the run's weather
(``run_weather(operations, seed)``, kept on the result), forecasts before a run use the
noise-free ``forecast_weather``, and asking for noise without a seed is an error.

Reference: numpy's documentation of ``default_rng(None)`` ("fresh, unpredictable entropy
will be pulled from the OS"); the comparison is between two runs of rossim's own code, so
the expected value is exact equality of every figure compared (the two-process test compares
the autonomy's predictions, the flown altitude and the post-run closest approaches of a short
run through a release: where the entropy entered).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rossim.config.scenario import load_scenario
from rossim.environment.weather_dispersion import (
    forecast_weather,
    operations_weather,
    run_weather,
)

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"

# ros-short with the campaign's daily weather noise (the Monte Carlo section's values of
# ros-51.6: observed 1996-2025 sd and lag-1 of ln F10.7 and ln Ap) and one deployment of four
# 50 kg satellites: the release is predicted by the autonomy's return watch, which is where
# the operating system's entropy entered.
_SCRIPT = r"""
import datetime as dt, json, sys
import numpy as np
from rossim.config.free_flyers import Deployment
from rossim.config.scenario import load_scenario
from rossim.fleet.recontact import family_summary
from rossim.ops import Simulation

scen = load_scenario(sys.argv[1])
scen = scen.model_copy(update={
    "operations": scen.operations.model_copy(update={
        "f107_noise_sigma": 0.12, "f107_noise_lag1": 0.9,
        "ap_noise_sigma": 0.85, "ap_noise_lag1": 0.6}),
    "free_flyers": scen.free_flyers.model_copy(update={"deployments": [
        Deployment(date=dt.datetime(2029, 1, 10, tzinfo=dt.UTC), count=4, mass_kg=50,
                   port="gateway.airlock", delta_v_m_s=0.5, direction=(-1.0, 0.0, 1.0))]})})
sim = Simulation(scen, seed=11, models=("orbit",))
sim.advance_to(dt.datetime(2029, 1, 20, tzinfo=dt.UTC))
res = sim.finish()
summ = family_summary(scen, res)
print(json.dumps({
    "predictions": sim.keepout.watch.predictions,
    "predicted": sim.keepout.predicted,
    "altitude_m": res.orbit.altitude_m.tolist(),
    "closest_m": [s["closest_approach_m"] for s in summ["satellites"]],
}, default=str))
"""


def _weather_arrays(w) -> tuple[np.ndarray, ...]:
    return w._f107, w._f107a, w._ap, w._ap_hist


def _ops(**noise):
    return load_scenario(SHORT).operations.model_copy(update=noise)


NOISE = {"f107_noise_sigma": 0.12, "f107_noise_lag1": 0.9, "ap_noise_sigma": 0.85,
         "ap_noise_lag1": 0.6}


def test_noise_without_a_seed_is_refused_not_drawn_from_the_os():
    with pytest.raises(ValueError, match="needs a seed"):
        operations_weather(_ops(**NOISE))
    # without noise the seed does not matter (amplitude and phase are not random)
    w = operations_weather(_ops(solar_amplitude_scale=1.2))
    assert w._f107.size > 0


def test_run_weather_is_a_function_of_the_seed():
    ops = _ops(**NOISE)
    a, b, c = run_weather(ops, 5), run_weather(ops, 5), run_weather(ops, 6)
    for x, y in zip(_weather_arrays(a), _weather_arrays(b), strict=True):
        assert np.array_equal(x, y, equal_nan=True)
    assert not np.array_equal(a._f107, c._f107)
    # the forecast drops the noise only: equal to the noise-free dispersed weather
    f = forecast_weather(_ops(solar_amplitude_scale=1.2, **NOISE))
    g = operations_weather(_ops(solar_amplitude_scale=1.2))
    for x, y in zip(_weather_arrays(f), _weather_arrays(g), strict=True):
        assert np.array_equal(x, y, equal_nan=True)


def test_a_run_keeps_its_weather_for_the_post_run_checks():
    from rossim.ops import Simulation

    scen = load_scenario(SHORT)
    scen = scen.model_copy(update={"operations": scen.operations.model_copy(update=NOISE)})
    sim = Simulation(scen, seed=3, models=("orbit",))
    sim.advance_to(dt.datetime(2028, 1, 1, tzinfo=dt.UTC))
    res = sim.finish()
    assert res.weather is sim.weather
    for x, y in zip(_weather_arrays(res.weather),
                    _weather_arrays(run_weather(scen.operations, 3)), strict=True):
        assert np.array_equal(x, y, equal_nan=True)


def test_a_noisy_run_with_a_release_gives_the_same_bytes_in_two_processes():
    """Two processes (different hash seeds) run the same scenario and seed through a
    free-flyer release: the autonomy's predictions, the flown altitude and the post-run
    closest approaches are identical (before the fix the predicted returns moved by hundreds
    of metres between processes)."""
    src = str(Path(__file__).resolve().parents[2] / "src")
    procs = []
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed,
                   PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
        procs.append(subprocess.Popen([sys.executable, "-c", _SCRIPT, str(SHORT)], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True))
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
        outs.append(out)
    a = json.loads(outs[0])
    assert a["predictions"] and a["predictions"][0]["cause"] == "release"
    assert len(a["closest_m"]) == 4
    assert outs[0] == outs[1]


@pytest.fixture
def density_calls(monkeypatch):
    """The keyword arguments of every free-flyer density table built (the return watch's and
    the post-run recontact check's, rossim.dynamics.family_propagation.density_table)."""
    import rossim.dynamics.family_propagation as fp
    import rossim.fleet.recontact as rc

    calls = []
    real = fp.density_table

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(fp, "density_table", spy)
    monkeypatch.setattr(rc, "density_table", spy)
    return calls


def _short_with_release(count: int, **operations):
    """ros-short with ``count`` 50 kg satellites released on 2029-01-10 and ``operations``."""
    from rossim.config.free_flyers import Deployment

    scen = load_scenario(SHORT)
    return scen.model_copy(update={
        "operations": scen.operations.model_copy(update=operations),
        "free_flyers": scen.free_flyers.model_copy(update={"deployments": [
            Deployment(date=dt.datetime(2029, 1, 10, tzinfo=dt.UTC), count=count, mass_kg=50,
                       port="gateway.airlock", delta_v_m_s=0.5,
                       direction=(-1.0, 0.0, 1.0))]})})


def test_the_look_ahead_and_the_post_run_check_use_the_runs_weather(density_calls):
    """Every density table of the free-flyer look-ahead (at the release) and of the post-run
    recontact check is built from the run's own weather object (a noisy run: the forecast
    would be a different, noise-free table), and the crew dose's flown orbit carries it."""
    from rossim.fleet.recontact import family_summary
    from rossim.ops import Simulation

    scen = _short_with_release(2, **NOISE)
    sim = Simulation(scen, seed=11, models=("orbit",))
    sim.advance_to(dt.datetime(2029, 1, 12, tzinfo=dt.UTC))
    seen = [c.get("weather") for c in density_calls]
    assert seen and all(w is sim.weather for w in seen)          # the autonomy's prediction
    n = len(seen)
    flown = []
    res = sim.finish(crew_dose=lambda scenario, orbit: flown.append(orbit.weather) or [])
    assert flown == [sim.weather]                                 # the crew dose's orbit
    family_summary(scen, res)
    seen = [c.get("weather") for c in density_calls]
    assert len(seen) > n and all(w is sim.weather for w in seen[n:])   # the post-run check


def test_the_look_ahead_and_the_post_run_check_use_the_atmosphere_flown(density_calls):
    """A run whose orbit flies another atmosphere model than the scenario's
    (``Simulation(atmosphere=...)``, as the trade study's reboost history) predicts its
    free-flyers' returns, and checks them after the run, in that same model."""
    from rossim.fleet.recontact import family_summary
    from rossim.ops import Simulation

    scen = _short_with_release(1)
    assert scen.operations.atmosphere == "msis2.1"
    sim = Simulation(scen, seed=11, models=("orbit",), atmosphere="nrlmsise00")
    sim.advance_to(dt.datetime(2029, 1, 12, tzinfo=dt.UTC))
    res = sim.finish()
    family_summary(scen, res)
    models = [c.get("model") for c in density_calls]
    assert res.atmosphere == "nrlmsise00"
    assert len(models) >= 2 and set(models) == {"nrlmsise00"}


def test_pymsis_densities_are_single_precision():
    """A premise of docs/campaigns.md "Random streams" and tools/README.md: pymsis returns
    float32 densities (computed with the approximate reciprocal rcpps, whose last bits are the
    processor's: why a run is the same on one machine, not across processor designs). This
    checks the dtype only; tools/cpu_reproducibility.py measures the difference. If pymsis
    moves to double precision, that text and the bands of tests/ops/test_return_watch.py
    should be revisited."""
    import pymsis

    out = pymsis.calculate(np.array([np.datetime64("2029-01-10T00:00")]), np.array([0.0]),
                           np.array([0.0]), np.array([400.0]), f107s=np.array([150.0]),
                           f107as=np.array([140.0]), aps=np.full((1, 7), 10.0), version=2.1)
    assert out.dtype == np.float32
    assert 1e-13 < float(out[..., 0].ravel()[0]) < 1e-10   # kg/m^3 at 400 km
