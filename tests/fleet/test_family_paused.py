"""The long compiled and BLAS calls of the free-flyer family run in parts, so that Python
runs between them and a Ctrl-C is acted on (``tests/cli/test_interrupt_kernels.py``):

* the family integration (:func:`rossim.dynamics.family_kernel.family_kernel`, a run's
  recontact and return watch) in calls of ``OBJECT_STEPS_PER_CALL // objects`` steps;
* the HCW ephemeris of ``rossim fleet`` (:class:`rossim.fleet.relative.HCWEphemeris`) in
  products of ``ROWS_PER_CALL`` rows or more.

Paused and continued, each is the one call's bit for bit: every satellite's diagnostics, the
tracks, the station's end, its final states and planned reboosts (a pause every 3 steps
against none), with releases, re-entries, the station's burns and hourly Cd A/m, corridor
windows, planned reboosts and the station's own re-entry; the ephemeris's states."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import rossim.dynamics.family_kernel as kernel
import rossim.fleet.relative as relative
from rossim.dynamics.family_propagation import StationBurn, propagate_family
from rossim.fleet.relative import HCWEphemeris

R0 = np.array([6778e3, 0.0, 0.0])
V0 = np.array([0.0, 4800.0, 6000.0])
RNG = np.random.default_rng(3)
REL = np.column_stack([RNG.normal(0, 50, (4, 3)), RNG.normal(0, 0.5, (4, 3))])
RELEASE_S = np.array([0.0, 60.0, 3600.0, 86400.0])
ALTS = np.arange(130e3, 500e3, 10e3)
#: ln density: exponential atmosphere (scale height 60 km, 3e-12 kg/m^3 at 400 km), 4 days
LOG_RHO = np.tile(np.log(3e-12) - (ALTS - 400e3) / 60e3, (6, 1))


def _fields(res) -> dict:
    return {f.name: getattr(res, f.name) for f in dataclasses.fields(res)}


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if dataclasses.is_dataclass(a):
        return _same(_fields(a), _fields(b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return np.asarray(a).tobytes() == np.asarray(b).tobytes()


@pytest.mark.parametrize("options", [
    {"cda_over_m": np.array([30.0, 0.02, 0.01, 0.3]), "station_cda_over_m": 0.004},
    {"cda_over_m": 0.01, "station_cda_over_m": np.linspace(0.003, 0.006, 4 * 24),
     "burns": [StationBurn(86400.0, 1.0), StationBurn(2 * 86400.0 + 17, 0.5)],
     "corridor_windows_s": [(1000.0, 5000.0), (86400.0, 90000.0)],
     "corridor_lvlh_m": [[0, 0, 0], [-1000, 0, 0], [-5000, 0, 200]]},
    {"cda_over_m": 0.01, "station_cda_over_m": 0.01, "reboost_band_m": (440e3, 441e3)},
    {"cda_over_m": 0.01, "station_cda_over_m": 5.0},
], ids=["satellite-reentry", "burns-corridor", "planned-reboosts", "station-reentry"])
def test_a_paused_family_integration_is_the_one_call(options, request, monkeypatch):
    runs = []
    for per_call in (10**12, 3 * (len(REL) + 1)):
        monkeypatch.setattr(kernel, "OBJECT_STEPS_PER_CALL", per_call)
        runs.append(propagate_family(R0, V0, REL, RELEASE_S, horizon_s=4 * 86400.0,
                                     log_density=LOG_RHO, altitudes_m=ALTS, step_s=30.0,
                                     **options))
    whole, paused = runs
    assert _same(whole, paused)
    case = request.node.callspec.id   # each case does what it is there for
    assert (len(whole.planned_burns) > 0) == (case == "planned-reboosts")
    assert (whole.station_end_t_s < whole.horizon_s) == (case == "station-reentry")
    if case == "satellite-reentry":
        assert any(np.isfinite(s.reentry_t_s) for s in whole.satellites)
    if case == "burns-corridor":
        assert all(np.isfinite(s.corridor_min_m).any() for s in whole.satellites)


@pytest.mark.parametrize("accel", [None, [[0, 0, 0], [-1e-6, 0, 0], [-3e-7, 0, 1e-8]]])
def test_the_ephemeris_in_parts_is_the_one_product(accel, monkeypatch):
    x0 = np.array([[0, 0, 0, 0, 0, 0], [120.0, -30.0, 50.0, 0.01, 0.02, -0.03],
                   [-800.0, 10.0, -20.0, 0.0, -0.1, 0.05]])
    eph = HCWEphemeris(x0, 0.00113, accel)
    t = np.arange(0.0, 7 * 86400.0 + 0.5, 97.0)   # 6,235 times
    monkeypatch.setattr(relative, "ROWS_PER_CALL", 10**9)
    whole = (eph.positions(t), eph(t))
    monkeypatch.setattr(relative, "ROWS_PER_CALL", 1000)
    parts = (eph.positions(t), eph(t))
    assert all(_same(a, b) for a, b in zip(whole, parts, strict=True))
