"""The compiled DOP853 integration runs in calls of ``STEPS_PER_CALL`` accepted steps
(rossim.dynamics.drag_segments.integrate_checked), so that Python runs between them and a
Ctrl-C is acted on (a 300-day propagation without drag is one segment: one call of minutes at
70x70 gravity; tests/cli/test_interrupt_native.py). Paused and continued, the integration is
the one call's bit for bit: states, dense-output steps and statistics, with drag, radiation
pressure and a re-entry stop (the pause after every 7 steps against no pause at all)."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.time import Time

import rossim.dynamics.drag_segments as segments
from rossim.dynamics.forces import ForceModel
from rossim.dynamics.propagator import propagate
from rossim.environment.spaceweather import ConstantWeather

R0 = [6778e3, 0.0, 0.0]
V0 = [0.0, 4800.0, 6000.0]
T0 = Time("2024-03-01T00:00:00", scale="utc")
WEATHER = ConstantWeather(250.0, 250.0, 15.0)


@pytest.mark.parametrize("forces, span_s, options", [
    (ForceModel(gravity="12x12"), 86400.0, {"dense": True}),
    (ForceModel(gravity="8x8", drag="nrlmsise00", weather=WEATHER, cd=2.2, area_m2=20.0,
                mass_kg=1000.0, srp=True, cr=1.3, srp_area_m2=20.0,
                third_body=("sun", "moon")), 0.5 * 86400.0, {"dense": True}),
    (ForceModel(gravity="8x8", drag="nrlmsise00", weather=WEATHER, cd=2.2, area_m2=30000.0,
                mass_kg=1000.0), 10 * 86400.0, {"on_reentry": "stop"}),
], ids=["gravity-dense", "drag-srp-third-body", "reentry"])
def test_a_paused_integration_is_the_one_call(forces, span_s, options, monkeypatch):
    runs = []
    for steps in (10**9, 7):
        monkeypatch.setattr(segments, "STEPS_PER_CALL", steps)
        runs.append(propagate(R0, V0, T0, span_s, 60.0, forces, **options))
    whole, paused = runs
    assert np.array_equal(whole.x_s, paused.x_s)
    assert np.array_equal(whole.r_gcrf_m, paused.r_gcrf_m)
    assert np.array_equal(whole.v_gcrf_m_s, paused.v_gcrf_m_s)
    assert whole.stats == paused.stats
    assert whole.stats["steps"] > 7 * 5   # it did pause, several times
    assert whole.reentry_x_s == paused.reentry_x_s
    if options.get("on_reentry"):
        assert whole.reentry_x_s is not None
    if whole.steps is not None:
        assert all(np.array_equal(a, b) for a, b in zip(whole.steps, paused.steps,
                                                        strict=True))
