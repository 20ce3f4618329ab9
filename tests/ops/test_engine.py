"""The engine on its own: model order, random streams, spans cut at events and crossings.

No external reference is needed here: these are the engine's contracts (ordering by declared
channels, one stream per model, span boundaries), checked on toy models whose exact answer is
known in closed form.
"""

from __future__ import annotations

import numpy as np
import pytest

from rossim.ops.engine import Crossing, Engine, Model, model_stream, order_models


class _M(Model):
    def __init__(self, name, reads=(), writes=()):
        self.name, self.reads, self.writes = name, reads, writes


def test_models_run_after_the_writers_of_what_they_read():
    a = _M("power", reads=("altitude_km",), writes=("soc",))
    b = _M("orbit", writes=("altitude_km",))
    c = _M("life", reads=("soc",))
    assert [m.name for m in order_models([c, a, b])] == ["orbit", "power", "life"]


def test_a_wiring_cycle_is_refused():
    with pytest.raises(RuntimeError, match="cycle"):
        order_models([_M("a", reads=("y",), writes=("x",)), _M("b", reads=("x",), writes=("y",))])


def test_each_model_has_its_own_stream():
    a1 = model_stream(7, "reliability").random(5)
    a2 = model_stream(7, "reliability").random(5)
    b = model_stream(7, "fdir").random(5)
    other_seed = model_stream(8, "reliability").random(5)
    np.testing.assert_array_equal(a1, a2)
    assert not np.allclose(a1, b)
    assert not np.allclose(a1, other_seed)


class _Tank(Model):
    """Level falls 1 unit per second from 1000; crossing at level 400 (exactly t = 600 s)."""

    name = "tank"
    writes = ("level",)

    def __init__(self):
        self.level = 1000.0
        self.fired = False
        self.spans: list[tuple[int, int]] = []

    def propose(self, sim, t0, t1):
        self._end = self.level - (t1 - t0)
        if not self.fired and self._end < 400.0:
            return Crossing(t0 + int(self.level - 400.0) + 60, self.name, "low")
        return None

    def commit(self, sim, t0, t1):
        self.level -= t1 - t0
        self.spans.append((t0, t1))


def test_span_is_cut_at_the_crossing_and_the_handler_acts_then():
    eng = Engine(np.datetime64("2030-01-01T00:00", "us"), 3600, 60, seed=1)
    tank = _Tank()
    eng.add_models([tank])
    seen = []

    def handler(e, c):
        seen.append((e.now_s, c.kind, tank.level))
        tank.fired = True

    eng.crossing_handlers.append(handler)
    eng.advance_to_s(3600)
    assert seen == [(660, "low", 1000.0 - 660)]
    assert tank.spans[0] == (0, 660) and tank.spans[-1][1] == 3600


def test_scheduled_actions_run_in_time_order_on_the_step_grid():
    eng = Engine(np.datetime64("2030-01-01T00:00", "us"), 7200, 60, seed=1)
    eng.add_models([_M("idle")])
    log = []
    eng.schedule(eng.seconds("2030-01-01T00:30:10"), lambda e: log.append(("b", e.now_s)))
    eng.schedule(eng.seconds("2030-01-01T00:10:00"), lambda e: log.append(("a", e.now_s)))
    eng.advance_to_s(7200)
    assert log == [("a", 600), ("b", 1860)]  # 00:30:10 rounds up to the next 60 s step
