"""The generic event finder on analytic functions of time (exact answers known)."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.time import Time, TimeDelta

from rossim.errors import InputError
from rossim.search import (
    find_discrete,
    find_intervals,
    find_maxima,
    find_minima,
    maxima_on_grid,
    search_grid,
)

T0 = Time("2027-01-01T00:00:00", scale="utc")


def _t(seconds):
    return T0 + TimeDelta(seconds, format="sec")
PERIOD = 5400.0  # s


def _sec(t):
    return (t - T0).to_value("s")


def _sine(t):
    return np.sin(2 * np.pi * _sec(t) / PERIOD)


def test_discrete_sign_changes():
    # sin changes sign at k * PERIOD / 2; over one day there are 31 interior zeros.
    times, after = find_discrete(lambda t: _sine(t) > 0, _t(1.0), _t(86399.0),
                                 step_s=60.0, tol_s=1e-4)
    expected = np.arange(1, 33) * PERIOD / 2
    expected = expected[expected < 86400.0]
    assert len(times) == len(expected)
    assert np.max(np.abs(_sec(times) - expected)) < 1e-4
    # after a crossing at an even multiple of PERIOD/2 the sine is positive.
    assert np.array_equal(after, (np.round(expected / (PERIOD / 2)) % 2 == 0))


def test_discrete_integer_states():
    # floor(t / 1000 s) mod 3: a change every 1000 s.
    times, after = find_discrete(lambda t: (_sec(t) // 1000.0).astype(int) % 3, T0,
                                 _t(10_500.0), step_s=300.0, tol_s=1e-3)
    assert np.max(np.abs(_sec(times) - np.arange(1, 11) * 1000.0)) < 1e-3
    assert after.tolist() == [k % 3 for k in range(1, 11)]


def test_intervals_with_clipping():
    # cos > 0.5 on |phase| < 60 deg: starts true at T0 (clipped), and intervals of PERIOD / 3.
    f = lambda t: np.cos(2 * np.pi * _sec(t) / PERIOD) > 0.5  # noqa: E731
    begins, ends, bclip, eclip = find_intervals(f, T0, _t(3 * PERIOD), 120.0, 1e-3)
    assert bclip.tolist() == [True, False, False, False]
    assert eclip.tolist() == [False, False, False, True]
    b = _sec(begins)
    e = _sec(ends)
    assert b[0] == 0.0 and e[-1] == pytest.approx(3 * PERIOD, abs=1e-6)
    assert np.max(np.abs(b[1:] - (np.arange(1, 4) * PERIOD - PERIOD / 6))) < 1e-3
    assert np.max(np.abs(e[:-1] - (np.arange(0, 3) * PERIOD + PERIOD / 6))) < 1e-3


def test_maxima_and_minima():
    # A sine plus a slow trend: maxima shift by an amount known in closed form.
    a = 1e-5  # per s
    w = 2 * np.pi / PERIOD
    f = lambda t: np.sin(w * _sec(t)) + a * _sec(t)  # noqa: E731
    times, values = find_maxima(f, T0, _t(4 * PERIOD), 60.0, tol_s=1e-3)
    # f' = 0 -> cos(w t) = -a / w, with sin(w t) > 0 for a maximum.
    expected = np.arange(4) * PERIOD + np.arccos(-a / w) / w
    assert len(times) == 4
    assert np.max(np.abs(_sec(times) - expected)) < 1e-3
    assert np.allclose(values, f(times), rtol=0, atol=1e-12)
    tmin, vmin = find_minima(_sine, T0, _t(2 * PERIOD), 60.0, tol_s=1e-3)
    assert np.max(np.abs(_sec(tmin) - (np.arange(2) * PERIOD + 0.75 * PERIOD))) < 1e-3
    assert np.all(vmin < -0.999999)


def test_maxima_on_grid_is_find_maxima_on_float_seconds():
    # The same closed form as above, on float seconds: the same refined times as find_maxima
    # (one refinement serves both).
    a = 1e-5
    w = 2 * np.pi / PERIOD
    t0, grid = search_grid(T0, _t(4 * PERIOD), 60.0)
    tm, ym = maxima_on_grid(lambda x: np.sin(w * x) + a * x, grid, 1e-3)
    expected = np.arange(4) * PERIOD + np.arccos(-a / w) / w
    assert np.max(np.abs(tm - expected)) < 1e-3
    times, _ = find_maxima(lambda t: np.sin(w * _sec(t)) + a * _sec(t), T0, _t(4 * PERIOD),
                           60.0, tol_s=1e-3)
    assert np.max(np.abs(_sec(times) - tm)) < 1e-6
    assert np.allclose(ym, np.sin(w * tm) + a * tm, rtol=0, atol=1e-15)
    # with the grid's values given, g serves the refinement only: the same maxima
    calls = []
    tm2, ym2 = maxima_on_grid(lambda x: calls.append(len(x)) or np.sin(w * x) + a * x, grid,
                              1e-3, np.sin(w * grid) + a * grid)
    assert np.array_equal(tm2, tm) and np.array_equal(ym2, ym)
    assert max(calls) < len(grid)
    with pytest.raises(ValueError, match="grid values"):
        maxima_on_grid(lambda x: x, grid, 1e-3, grid[:-1])
    # several series refined together: each series' maxima as alone, to the bit
    from rossim.search import series_maxima_on_grid

    ys = np.stack([np.sin(w * grid) + a * grid, np.cos(w * grid)], axis=1)
    tk, sk, yk = series_maxima_on_grid(
        lambda x, k: np.where(k == 0, np.sin(w * x) + a * x, np.cos(w * x)), grid, ys, 1e-3)
    assert np.array_equal(tk[sk == 0], tm) and np.array_equal(yk[sk == 0], ym)
    t1, y1 = maxima_on_grid(lambda x: np.cos(w * x), grid, 1e-3)
    assert np.array_equal(tk[sk == 1], t1) and np.array_equal(yk[sk == 1], y1)
    with pytest.raises(ValueError, match="grid values"):
        series_maxima_on_grid(lambda x, k: x, grid, ys[:-1], 1e-3)
    e, v = maxima_on_grid(lambda x: np.sin(w * x), np.array([0.0, 60.0]), 1e-3)
    assert e.size == 0 and v.size == 0   # fewer than three samples: no interior maximum
    for bad in (0.0, -1.0, float("nan")):   # the golden-section loop would never end
        with pytest.raises(InputError):
            maxima_on_grid(lambda x: np.sin(w * x), grid, bad)


def test_bad_arguments():
    with pytest.raises(InputError):
        find_discrete(lambda t: _sine(t) > 0, T0, T0, 60.0)
    with pytest.raises(InputError):
        find_maxima(_sine, T0, "2027-01-02", -1.0)


# -- the refined crossing finder on float seconds (rossim passes and the run's contact) -----

def test_crossings_on_grid_match_closed_form_roots_and_find_grazing_states():
    """Closed forms: ``sin(w t) - 0.3`` crosses zero at ``asin(0.3)/w + k 2 pi/w`` (rising)
    and ``(pi - asin(0.3))/w + ...`` (falling); ``cos(w (t - c)) - (1 - 1e-5)`` is positive
    for ``|t - c| < acos(1 - 1e-5)/w`` (about 12 s here, shorter than the 120 s grid: found
    from the sampled peak). A negated copy checks a short dip between two positive samples."""
    from rossim.search import crossings_on_grid

    w = 2 * np.pi / 5400.0
    c0 = 1000.0

    def f(t, s):
        t = np.asarray(t, float)
        s = np.asarray(s)
        return np.select([s == 0, s == 1],
                         [np.sin(w * t) - 0.3, np.cos(w * (t - c0)) - (1 - 1e-5)],
                         -(np.cos(w * (t - c0)) - (1 - 1e-5)))

    t = np.arange(0.0, 20000.0, 120.0)
    y = np.stack([f(t, np.full(len(t), k)) for k in range(3)], axis=1)
    tc, ser, rising = crossings_on_grid(f, t, y, 1e-3)
    r0 = np.arcsin(0.3) / w
    want_up = r0 + np.arange(4) * 5400.0
    want_down = (np.pi / w - r0) + np.arange(4) * 5400.0
    np.testing.assert_allclose(tc[(ser == 0) & rising], want_up[want_up < t[-1]], atol=1e-3)
    np.testing.assert_allclose(tc[(ser == 0) & ~rising], want_down[want_down < t[-1]],
                               atol=1e-3)
    half = np.arccos(1 - 1e-5) / w
    peaks = c0 + np.arange(4) * 5400.0
    np.testing.assert_allclose(tc[(ser == 1) & rising], peaks - half, atol=1e-3)
    np.testing.assert_allclose(tc[(ser == 1) & ~rising], peaks + half, atol=1e-3)
    assert half < 10.0 < 120.0                    # a state far shorter than the grid step
    np.testing.assert_allclose(tc[(ser == 2) & ~rising], peaks - half, atol=1e-3)
    np.testing.assert_allclose(tc[(ser == 2) & rising], peaks + half, atol=1e-3)
    # the same with smooth=True (parabolic steps for the grazing candidates): the same
    # crossings within the tolerance, in fewer calls of f
    calls: dict[str, int] = {"golden": 0, "smooth": 0}

    def counted(kind):
        def g(t, s):
            calls[kind] += 1
            return f(t, s)
        return g

    tc_g, ser_g, _ = crossings_on_grid(counted("golden"), t, y, 1e-3)
    tc_s, ser_s, rising_s = crossings_on_grid(counted("smooth"), t, y, 1e-3, smooth=True)
    assert np.array_equal(ser_s, ser_g) and np.array_equal(rising_s, rising)
    np.testing.assert_allclose(tc_s, tc_g, atol=1e-3)
    assert calls["smooth"] < calls["golden"]


def test_smooth_maxima_closed_form_and_fallback():
    """:func:`refine_smooth_maxima` (``smooth=True``) against closed forms: the maxima of
    ``sin(w t) + a t`` at ``acos(-a/w)/w + k P`` (the test above), within ``tol_s / 2`` in
    a handful of calls against golden section's ~17; a kink (``-|t - c|``: no parabola fits,
    the steps still close in) and a maximum 0.01 s from the bracket's edge (the samples
    clipped there: the golden-section fallback) land within the tolerance."""
    from rossim.search import refine_smooth_maxima, series_maxima_on_grid

    a = 1e-5
    w = 2 * np.pi / PERIOD
    _, grid = search_grid(T0, _t(4 * PERIOD), 60.0)
    expected = np.arange(4) * PERIOD + np.arccos(-a / w) / w
    n_calls: list[int] = []

    def g(x, k):
        n_calls.append(1)
        return np.sin(w * x) + a * x

    for tol in (1e-3, 1e-2, 0.5):
        n_calls.clear()
        y = (np.sin(w * grid) + a * grid)[:, None]
        tm, sk, ym = series_maxima_on_grid(g, grid, y, tol, smooth=True)
        assert np.max(np.abs(tm - expected)) <= tol / 2
        assert np.array_equal(ym, np.sin(w * tm) + a * tm) and np.all(sk == 0)
        assert len(n_calls) <= 6, (tol, len(n_calls))
        n_smooth = len(n_calls)
        n_calls.clear()
        series_maxima_on_grid(g, grid, y, tol)
        assert n_smooth < len(n_calls)

    # a kink: -|t - c| sampled on a 60 s grid; the maximum at c exactly
    c = np.array([1234.567, 5000.001, 7777.7])

    def kink(x, k):
        return -np.abs(np.asarray(x) - c[np.asarray(k)])

    lo = np.floor(c / 60.0) * 60.0 - (c % 60.0 < 30.0) * 60.0
    m = lo + 60.0
    hi = lo + 120.0
    k = np.arange(3)
    t_k, y_k = refine_smooth_maxima(kink, lo, m, hi, kink(lo, k), kink(m, k), kink(hi, k), k,
                                    1e-3)
    assert np.max(np.abs(t_k - c)) <= 1e-3 / 2 + 1e-9
    np.testing.assert_array_equal(y_k, kink(t_k, k))
    # a maximum 0.01 s from the bracket's end (rising to it, falling steeply after): the
    # samples around the estimate are clipped at the end, and the answer stays inside
    def edge(x, k):
        x = np.asarray(x, dtype=float)
        return np.where(x < 119.99, x, 119.99 - 1e4 * (x - 119.99))

    one = np.array([0])
    import rossim.search as search_mod

    golden = []
    real = search_mod._golden_maxima
    search_mod._golden_maxima = lambda *a: golden.append(1) or real(*a)
    try:
        t_e, _ = refine_smooth_maxima(edge, np.array([0.0]), np.array([60.0]),
                                      np.array([120.0]), edge([0.0], one), edge([60.0], one),
                                      edge([120.0], one), one, 1e-3)
    finally:
        search_mod._golden_maxima = real
    assert abs(t_e[0] - 119.99) <= 1e-3 / 2 + 1e-9
    assert golden, "the edge case did not reach the golden-section fallback"
    empty = refine_smooth_maxima(kink, *(np.empty(0),) * 6, np.empty(0, dtype=int), 1e-3)
    assert empty[0].size == 0 and empty[1].size == 0
