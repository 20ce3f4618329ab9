"""A tumbling body's drag area (rossim.station.geometry.tumbling_area) and a drifting
station's (rossim.ops.free_drift.drag_area_m2).

Reference: Cauchy's surface-area formula, a convex body's projected area averaged over all
directions is a quarter of its surface (a cylinder of radius r and length L: pi r^2/2 +
pi r L/2; a flat plate of area A, both faces: A/2), checked here against the mean of the
silhouette (rossim.station.geometry.projected_area) over uniformly random axes. Found by a
newcomer reading ``rossim run ros-2026-plan``: in a 128.7-day free drift (2034) the arrays were
at a tumbling array's quarter output but the telemetry's drag area stayed at the 322 m^2 of the
stack flown along the velocity."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rossim.station.geometry import TUMBLING_ARRAY_FACTOR, projected_area, tumbling_area


def _random_axes(n: int, seed: int = 3) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, 3))
    return v / np.linalg.norm(v, axis=1)[:, None]


@pytest.mark.parametrize(("shape", "length", "diameter"), [
    ("cylinder", 12.0, 4.1),      # a module
    ("cylinder", 2.5, 2.2),       # a short node
    ("truss", 30.0, 1.0),
    ("sphere", 0.0, 3.0)])
def test_tumbling_area_is_the_mean_silhouette_over_random_axes(shape, length, diameter):
    flow = np.array([1.0, 0.0, 0.0])
    mc = float(np.mean([projected_area(shape, length, diameter, a, flow)
                        for a in _random_axes(40_000)]))
    assert tumbling_area(shape, length, diameter) == pytest.approx(mc, rel=0.01)


def test_cauchy_cylinder_and_plate():
    r, length = 2.05, 12.0
    assert tumbling_area("cylinder", length, 2 * r) == pytest.approx(
        (2 * math.pi * r * r + 2 * math.pi * r * length) / 4, rel=1e-12)
    # a flat plate seen from a random direction: |n . s| averages 1/2
    n = _random_axes(400_000)
    assert TUMBLING_ARRAY_FACTOR == pytest.approx(float(np.abs(n[:, 2]).mean()), abs=0.002)


def test_a_drifting_station_flies_its_tumbling_area():
    """The short scenario with its three computers failed (tests/ops/test_free_drift.py):
    from the drift's start the orbit model's ballistic coefficient and the telemetry's drag
    area are the tumbling stack's, not the velocity attitude's; back after the repair."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ops"))
    from test_free_drift import _drifting_station

    sim = _drifting_station()
    cfg = sim.config
    # here the arrays dominate (2/pi of their area Sun-tracking, 1/2 tumbling) and the
    # modules docked across the flow already show their sides: the two differ by a few m^2
    assert abs(cfg.drag_area_tumbling_m2 - cfg.drag_area_m2) > 1.0
    rows = sim.config_rows
    assert rows["drag_area_m2"][-1] == pytest.approx(cfg.drag_area_tumbling_m2)
    sim.advance_to("2028-10-10")
    o = sim.orbit.rows
    b = np.concatenate(o["ballistic_m2_kg"])[-1]
    assert b == pytest.approx(sim.orbit.cd * cfg.drag_area_tumbling_m2 / sim.station_mass.mass_kg(),
                              rel=0.01)
    sim.advance_to_end()
    ended = [e for e in sim.events if e["kind"] == "mode" and "free drift ended" in e["detail"]]
    assert ended
    assert rows["drag_area_m2"][-1] == pytest.approx(sim.config.drag_area_m2)
