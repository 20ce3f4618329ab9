"""The one event finder of rossim: discrete state changes, intervals and extrema in time.

Everything event-like (eclipse entry and exit, node crossings, ground-station passes,
keep-out zones) is a function of time evaluated on a coarse grid and refined where something
happens, as in Skyfield's ``searchlib`` (``find_discrete``, ``find_maxima``):

- :func:`find_discrete`: where an integer/boolean state ``f(t)`` changes value; each change is
  bracketed by two grid points and refined by bisection, all brackets at once (one vectorised
  call of ``f`` per halving), to ``tol_s`` seconds.
- :func:`find_intervals`: the spans where a boolean ``f(t)`` is true (built on the above).
- :func:`find_maxima` / :func:`find_minima`: local extrema of a real ``f(t)``, refined by
  vectorised golden-section search.

``f`` receives an astropy ``Time`` array and must return an array of the same length. The grid
step must be shorter than the shortest state (or the narrowest peak) to be found: a state that
begins and ends between two grid points is missed. Times are handled as float seconds from
``start`` (resolution ~1e-9 s over a year), converted to ``Time`` for every call of ``f``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.errors import InputError
from rossim.time import to_time

__all__ = ["find_discrete", "find_intervals", "find_maxima", "find_minima", "search_grid"]

TimeFunction = Callable[[Time], Any]
_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


def search_grid(start: Any, end: Any, step_s: float) -> tuple[Time, np.ndarray]:
    """``(t0, offsets_s)``: the grid start..end at ``step_s`` (end always included)."""
    t0 = to_time(start)
    t1 = to_time(end)
    if not (t0.isscalar and t1.isscalar):
        raise InputError(None, "start/end", (start, end), "two single epochs")
    span = float((t1 - t0).to_value("s"))
    step_s = float(step_s)
    if not (math.isfinite(step_s) and step_s > 0):
        raise InputError(None, "step_s", step_s, "a positive number of seconds")
    if not (math.isfinite(span) and span > 0):
        raise InputError(None, "end", str(t1.utc.isot), f"an epoch after {t0.utc.isot}")
    n = max(int(math.ceil(span / step_s - 1e-9)), 1)
    return t0, np.linspace(0.0, span, n + 1)


def _at(t0: Time, offsets: np.ndarray) -> Time:
    return t0 + TimeDelta(offsets, format="sec")


def _call(f: TimeFunction, t0: Time, offsets: np.ndarray) -> np.ndarray:
    out = np.asarray(f(_at(t0, offsets)))
    if out.shape[:1] != offsets.shape:
        raise ValueError(f"search function returned shape {out.shape} for {offsets.size} epochs")
    return out


def _refine_changes(f: TimeFunction, t0: Time, lo: np.ndarray, hi: np.ndarray,
                    v_lo: np.ndarray, tol_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Bisect brackets [lo, hi] where f(lo) = v_lo != f(hi); returns (times, value after)."""
    lo = lo.copy()
    hi = hi.copy()
    v_hi = None
    while lo.size and np.max(hi - lo) > tol_s:
        mid = 0.5 * (lo + hi)
        v_mid = _call(f, t0, mid)
        same = v_mid == v_lo
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
    if lo.size:
        v_hi = _call(f, t0, hi)
    else:
        v_hi = np.empty(0)
    return 0.5 * (lo + hi), v_hi


def find_discrete(f: TimeFunction, start: Any, end: Any, step_s: float,
                  tol_s: float = 1e-3) -> tuple[Time, np.ndarray]:
    """Epochs in (start, end] where the discrete value ``f(t)`` changes, and the new values.

    Parameters
    ----------
    f:
        Maps a ``Time`` array to an array of integers or booleans (one per epoch).
    start, end:
        The span searched (anything :func:`rossim.time.to_time` accepts).
    step_s:
        Grid step, s: shorter than the shortest state to be seen.
    tol_s:
        Each returned epoch is within ``tol_s / 2`` s of the change (for a single change
        inside the bracket).

    Returns
    -------
    (times, values): ``times`` a ``Time`` array (possibly empty), ``values`` the value of ``f``
    just after each change.
    """
    if not (math.isfinite(float(tol_s)) and tol_s > 0):
        raise InputError(None, "tol_s", tol_s, "a positive number of seconds")
    t0, grid = search_grid(start, end, step_s)
    values = _call(f, t0, grid)
    idx = np.flatnonzero(values[1:] != values[:-1])
    times, after = _refine_changes(f, t0, grid[idx], grid[idx + 1], values[idx], float(tol_s))
    return _at(t0, times), after


def find_intervals(f: TimeFunction, start: Any, end: Any, step_s: float,
                   tol_s: float = 1e-3) -> tuple[Time, Time, np.ndarray, np.ndarray]:
    """Spans within [start, end] where the boolean ``f(t)`` is true.

    Returns ``(begins, ends, begin_clipped, end_clipped)``: two ``Time`` arrays of equal
    length and two boolean arrays that are true where the span was already true at ``start``
    (its begin is ``start``) or still true at ``end`` (its end is ``end``).
    """
    if not (math.isfinite(float(tol_s)) and tol_s > 0):
        raise InputError(None, "tol_s", tol_s, "a positive number of seconds")
    t0, grid = search_grid(start, end, step_s)
    values = _call(f, t0, grid).astype(bool)
    idx = np.flatnonzero(values[1:] != values[:-1])
    times, after = _refine_changes(f, t0, grid[idx], grid[idx + 1], values[idx], float(tol_s))
    after = after.astype(bool)
    begins = list(times[after])
    ends = list(times[~after])
    begin_clipped = [False] * len(begins)
    end_clipped = [False] * len(ends)
    if values[0]:
        begins.insert(0, grid[0])
        begin_clipped.insert(0, True)
    if values[-1]:
        ends.append(grid[-1])
        end_clipped.append(True)
    b = np.asarray(begins, dtype=float)
    e = np.asarray(ends, dtype=float)
    return (_at(t0, b), _at(t0, e), np.asarray(begin_clipped, dtype=bool),
            np.asarray(end_clipped, dtype=bool))


def find_maxima(f: TimeFunction, start: Any, end: Any, step_s: float,
                tol_s: float = 1e-3) -> tuple[Time, np.ndarray]:
    """Interior local maxima of the real function ``f(t)`` on [start, end].

    A maximum is a grid point higher than its left neighbour and not lower than its right
    one; it is refined by golden-section search inside the two neighbouring steps to
    ``tol_s`` seconds. Returns ``(times, values)``. Maxima at ``start`` or ``end`` themselves
    are not reported.
    """
    if not (math.isfinite(float(tol_s)) and tol_s > 0):
        raise InputError(None, "tol_s", tol_s, "a positive number of seconds")
    t0, grid = search_grid(start, end, step_s)
    y = _call(f, t0, grid).astype(float)
    if y.size < 3:
        return _at(t0, np.empty(0)), np.empty(0)
    i = np.flatnonzero((y[1:-1] > y[:-2]) & (y[1:-1] >= y[2:])) + 1
    a = grid[i - 1].copy()
    b = grid[i + 1].copy()
    c = b - _GOLDEN * (b - a)
    d = a + _GOLDEN * (b - a)
    while a.size and np.max(b - a) > tol_s:
        yc, yd = np.split(_call(f, t0, np.concatenate([c, d])).astype(float), 2)
        left = yc > yd  # the maximum lies in [a, d]
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        c = b - _GOLDEN * (b - a)
        d = a + _GOLDEN * (b - a)
    tm = 0.5 * (a + b)
    ym = _call(f, t0, tm).astype(float) if tm.size else np.empty(0)
    return _at(t0, tm), ym


def find_minima(f: TimeFunction, start: Any, end: Any, step_s: float,
                tol_s: float = 1e-3) -> tuple[Time, np.ndarray]:
    """Interior local minima of ``f(t)``: :func:`find_maxima` of ``-f``."""
    times, values = find_maxima(lambda t: -np.asarray(f(t), dtype=float), start, end, step_s,
                                tol_s)
    return times, -values
