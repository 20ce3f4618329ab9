"""Reliability (issue #13): ageing and common cause against textbook results.

References (tolerances in the asserts):
- A unit with a constant failure rate has an exponential time to failure whose mean is its
  MTBF (e.g. O'Connor & Kleyner, *Practical Reliability Engineering*, 5th ed., ch. 2): the
  sample mean of N draws is within 4 standard errors (MTBF / sqrt(N)).
- Weibull of shape k and scale eta has mean eta Gamma(1 + 1/k) (same reference): with the scale
  the model derives, the mean stays the MTBF (4 standard errors), and for k > 1 fewer units fail
  early than with a constant rate (wear-out: the CDF at MTBF/10 is (0.1 Gamma(1+1/k))^k).
- Beta-factor common cause (NUREG/CR-5485): with beta = 1 every failure takes the whole set;
  the June 2007 event (all six Russian-segment computers failed together) is the precedent.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from rossim.config.scenario import load_scenario
from rossim.config.systems import load_systems
from rossim.ops import InjectFault, Simulation
from rossim.ops.fdir import time_to_failure_h

DATA = Path(__file__).resolve().parents[1] / "data" / "ops"


def test_constant_rate_unit_reproduces_its_mtbf():
    n, mtbf = 20000, 60000.0
    x = time_to_failure_h(np.random.default_rng(1), mtbf, 1.0, n)
    assert x.mean() == pytest.approx(mtbf, abs=4 * mtbf / math.sqrt(n))
    # memoryless: the share failing in the first MTBF is 1 - 1/e
    assert (x < mtbf).mean() == pytest.approx(1 - math.exp(-1), abs=0.02)


def test_weibull_ageing_keeps_the_mean_and_fails_fewer_early():
    n, mtbf, k = 20000, 50000.0, 1.5
    x = time_to_failure_h(np.random.default_rng(2), mtbf, k, n)
    sd = mtbf * math.sqrt(math.gamma(1 + 2 / k) / math.gamma(1 + 1 / k) ** 2 - 1)
    assert x.mean() == pytest.approx(mtbf, abs=4 * sd / math.sqrt(n))
    early = (x < mtbf / 10).mean()
    assert early == pytest.approx((0.1 * math.gamma(1 + 1 / k)) ** k, abs=0.01)
    assert early < 1 - math.exp(-0.1)


def test_common_cause_event_fails_the_whole_group():
    systems = load_systems()
    comps = []
    for c in systems.component:
        if c.id == "computer":
            c = c.model_copy(update={"common_cause_beta": c.common_cause_beta.model_copy(
                update={"value": 1.0})})
        comps.append(c)
    systems = systems.model_copy(update={"component": comps})
    scen = load_scenario(DATA / "ros-tiny.toml")
    scen = scen.model_copy(update={"operations": scen.operations.model_copy(
        update={"random_faults": False})})
    sim = Simulation(scen, systems=systems)
    sim.advance_to("2028-01-10")
    assert sim.command(InjectFault(component="computer")).accepted
    sim.advance_to("2028-01-12")
    res = sim.finish()
    comp = [f for f in res.fdir.faults if f.component == "computer"]
    units = systems.component_by_id("computer").units
    assert sorted(f.unit for f in comp) == list(range(units))
    assert len({f.failed_at for f in comp}) == 1  # at once
    assert any(e["kind"] == "common-cause" for e in res.events)
    assert res.power.safe_mode.max() == 1.0


def test_catalog_ageing_and_common_cause_figures():
    s = load_systems()
    assert s.component_by_id("gyrodyne").weibull_shape.value > 1.0
    assert 0.0 < s.component_by_id("computer").common_cause_beta.value <= 0.1
