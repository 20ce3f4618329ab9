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


class _Shelf(Model):
    """Lots used oldest first, each removed at its expiry (s): ``settle`` removes the lots
    expired at the span start; ``propose`` cuts the span at the next lot's expiry; ``commit``
    counts the spans that used a lot past its expiry (the campaign-run-71 fault in small)."""

    name = "shelf"
    writes = ("shelf_lots",)

    def __init__(self, expiries):
        self.expiries = list(expiries)
        self.removed: list[tuple[int, int]] = []
        self.used_past_expiry: list[tuple[int, int]] = []

    def settle(self, sim, t0):
        while self.expiries and self.expiries[0] <= t0:
            self.removed.append((self.expiries.pop(0), t0))

    def propose(self, sim, t0, t1):
        if self.expiries and t0 < self.expiries[0] <= t1:
            return Crossing(self.expiries[0], self.name, "expiry")
        return None

    def commit(self, sim, t0, t1):
        if self.expiries and self.expiries[0] < t1:
            self.used_past_expiry.append((t0, t1))


def test_a_crossing_after_what_is_due_at_the_span_start_cuts_the_span():
    """Lot A expires at 1200 s, lot B at 1800 s; the other model never cuts. The span from
    1200 s must see B's expiry (A is gone at its start), not run to 3600 s through it: what is
    due at a span's start is settled before any model proposes the span."""
    eng = Engine(np.datetime64("2030-01-01T00:00", "us"), 3600, 60, seed=1)
    shelf = _Shelf([1200, 1800])
    eng.add_models([_M("idle"), shelf])
    seen = []
    eng.crossing_handlers.append(lambda e, c: seen.append((e.now_s, c.model, c.kind)))
    eng.advance_to_s(3600)
    assert seen == [(1200, "shelf", "expiry"), (1800, "shelf", "expiry")]
    assert shelf.removed == [(1200, 1200), (1800, 1800)]
    assert shelf.used_past_expiry == []
    assert eng.spans == 3


class _Early(Model):
    name = "early"

    def propose(self, sim, t0, t1):
        return Crossing(t0, self.name, "stuck")


def test_a_crossing_not_inside_its_span_is_an_error_not_dropped():
    """A crossing at the span start cannot cut the span; dropped in silence the span ran
    through the condition unseen. It names the model and the kind."""
    eng = Engine(np.datetime64("2030-01-01T00:00", "us"), 3600, 60, seed=1)
    eng.add_models([_M("idle"), _Early()])
    with pytest.raises(RuntimeError, match="'early' proposed a 'stuck' crossing at 0 s"):
        eng.advance_to_s(3600)
