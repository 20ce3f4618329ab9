"""The coverage sweep (numba) runs in calls of about ``SWEEP_CALL_S`` each, so that Python
runs between them and a Ctrl-C is acted on (a year at a 0.01 deg grid was one call of
minutes; ``tests/cli/test_interrupt_kernels.py``). Swept in calls of a few segments, every
cell's first sighting, visits, gaps and every pass are the one call's, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

import rossim.analysis.coverage as cov
from rossim.analysis.coverage import Instrument, coverage, ground_track


@pytest.mark.parametrize("instrument", [Instrument(swath_km=500.0),
                                        Instrument(fov_deg=40.0, min_sun_elevation_deg=10.0)],
                         ids=["swath", "fov-daylight"])
def test_a_sweep_in_calls_is_the_one_call(instrument, monkeypatch):
    track = ground_track(420.0, 51.6, "2030-03-01T00:00:00", 2.0, step_s=30.0)
    runs = []
    for first, pace_s in ((10**9, 10.0), (1, 1e-9)):   # one call; calls of 16 segments
        monkeypatch.setattr(cov, "SWEEP_FIRST_SEGMENTS", first)
        monkeypatch.setattr(cov, "SWEEP_CALL_S", pace_s)
        runs.append(coverage("russia", track, instrument, step_deg=0.2))
    whole, paused = runs
    assert whole.summary() == paused.summary() and whole.passes > 0
    assert np.array_equal(whole.first_seen_s, paused.first_seen_s, equal_nan=True)
    assert np.array_equal(whole.visits, paused.visits)
