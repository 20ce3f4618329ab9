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

__all__ = ["find_discrete", "find_intervals", "find_maxima", "find_minima", "search_grid",
           "maxima_on_grid", "series_maxima_on_grid", "refine_roots", "crossings_on_grid",
           "grid_brackets", "grid_extrema", "refine_crossings",
           "refine_smooth_maxima"]

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
    tm, ym = maxima_on_grid(lambda x: _call(f, t0, x), grid, float(tol_s))
    return _at(t0, tm), ym


def find_minima(f: TimeFunction, start: Any, end: Any, step_s: float,
                tol_s: float = 1e-3) -> tuple[Time, np.ndarray]:
    """Interior local minima of ``f(t)``: :func:`find_maxima` of ``-f``."""
    times, values = find_maxima(lambda t: -np.asarray(f(t), dtype=float), start, end, step_s,
                                tol_s)
    return times, -values


# -- real-valued crossings on float seconds (the one refined crossing finder) -------------------

def maxima_on_grid(g: Callable[[np.ndarray], np.ndarray], grid: np.ndarray, tol_s: float,
                   y: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Interior local maxima of a real function of float seconds, as :func:`find_maxima`.

    ``g(t_s)`` evaluates the function at the (M,) float seconds ``t_s``; ``grid`` (N,) s,
    increasing (:func:`search_grid`'s offsets). A maximum is a grid point higher than its left
    neighbour and not lower than its right one, refined by golden-section search inside the
    two neighbouring steps to ``tol_s`` seconds, all maxima at once (one call of ``g`` per
    step). Returns ``(t_s, values)``, (K,) each; raises InputError for a ``tol_s`` that is not
    a positive number. ``y``: the function's values on ``grid`` when the caller has them
    (then ``g`` is called for the refinement only). :func:`find_maxima` is this function on
    ``Time``; a caller that can evaluate its function on float seconds saves the ``Time``
    arithmetic of every call (``rossim.station.windows``)."""
    if not (math.isfinite(float(tol_s)) and tol_s > 0):
        raise InputError(None, "tol_s", tol_s, "a positive number of seconds")
    grid = np.asarray(grid, dtype=float)
    y = np.asarray(g(grid) if y is None else y, dtype=float)
    if y.shape != grid.shape:
        raise ValueError(f"grid values of shape {y.shape} for a grid of {grid.size} points")
    tm, _, ym = series_maxima_on_grid(lambda x, _k: g(x), grid, y[:, None], tol_s)
    return tm, ym


def series_maxima_on_grid(g: Callable[[np.ndarray, np.ndarray], np.ndarray], grid: np.ndarray,
                          y: np.ndarray, tol_s: float, *, smooth: bool = False
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`maxima_on_grid` for ``S`` real functions sampled on one grid, refined together.

    ``g(t_s, series)`` evaluates series ``series`` at float seconds ``t_s`` ((M,) each, as
    :func:`crossings_on_grid`'s); ``y`` (N, S): the samples on ``grid`` (N,). The maxima of
    all series are refined by one golden-section search (one call of ``g`` per step for all
    of them). With ``smooth`` (functions with a continuous second derivative near their
    maxima, such as a station's elevation), :func:`refine_smooth_maxima` refines them in a few
    calls instead of golden section's ~19 for a 30 s grid at 0.01 s, to the same guarantee.
    Returns ``(t_s, series, values)``, (K,) each, in series order, then time."""
    if not (math.isfinite(float(tol_s)) and tol_s > 0):
        raise InputError(None, "tol_s", tol_s, "a positive number of seconds")
    grid = np.asarray(grid, dtype=float)
    y = np.asarray(y, dtype=float)
    if y.ndim != 2 or y.shape[0] != grid.size:
        raise ValueError(f"grid values of shape {y.shape} for a grid of {grid.size} points")
    if grid.size < 3:
        return np.empty(0), np.empty(0, dtype=int), np.empty(0)
    ser, i = np.nonzero(((y[1:-1] > y[:-2]) & (y[1:-1] >= y[2:])).T)
    i = i + 1
    if smooth:
        tm, ym = refine_smooth_maxima(g, grid[i - 1], grid[i], grid[i + 1],
                                      y[i - 1, ser], y[i, ser], y[i + 1, ser], ser, tol_s)
        return tm, ser.astype(int), ym
    tm = _golden_maxima(g, grid[i - 1], grid[i + 1], ser, tol_s)
    ym = np.asarray(g(tm, ser), dtype=float) if tm.size else np.empty(0)
    return tm, ser.astype(int), ym


def _golden_maxima(g: Callable[[np.ndarray, np.ndarray], np.ndarray], a: np.ndarray,
                   b: np.ndarray, ser: np.ndarray, tol_s: float) -> np.ndarray:
    """Golden-section search for the maximum of series ``ser[k]`` inside ``[a[k], b[k]]``,
    all at once (both interior points in one call of ``g`` per step), to a bracket of
    ``tol_s``; returns the brackets' midpoints."""
    a = np.asarray(a, dtype=float).copy()
    b = np.asarray(b, dtype=float).copy()
    c = b - _GOLDEN * (b - a)
    d = a + _GOLDEN * (b - a)
    while a.size and np.max(b - a) > tol_s:
        yc, yd = np.split(np.asarray(g(np.concatenate([c, d]), np.concatenate([ser, ser])),
                                     dtype=float), 2)
        left = yc > yd  # the maximum lies in [a, d]
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        c = b - _GOLDEN * (b - a)
        d = a + _GOLDEN * (b - a)
    return 0.5 * (a + b)


def _vertex(x0: np.ndarray, h: np.ndarray, fl: np.ndarray, fc: np.ndarray,
            fr: np.ndarray) -> np.ndarray:
    """Abscissa of the vertex of the parabola through (x0 - h, fl), (x0, fc), (x0 + h, fr);
    x0 where the three are not concave (no maximum to go by)."""
    curv = fl - 2.0 * fc + fr
    ok = curv < 0
    return x0 + np.where(ok, 0.5 * h * (fl - fr) / np.where(ok, curv, -1.0), 0.0)


def refine_smooth_maxima(g: Callable[[np.ndarray, np.ndarray], np.ndarray], a: np.ndarray,
                         m: np.ndarray, b: np.ndarray, fa: np.ndarray, fm: np.ndarray,
                         fb: np.ndarray, ser: np.ndarray, tol_s: float, max_iter: int = 12
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Maxima of smooth functions bracketed on an even grid, by successive parabolas.

    Bracket ``k`` is ``a[k] < m[k] < b[k]`` (float seconds, ``m`` midway) with ``fm >= fa``
    and ``fm >= fb``, the samples of series ``ser[k]``; ``g(t_s, series)`` as
    :func:`series_maxima_on_grid`'s. The vertex of the parabola through the three samples is
    the first estimate ``x``; each step samples ``x - h``, ``x`` and ``x + h`` (one call of
    ``g`` for all brackets) and moves ``x`` to the vertex of those three, ``h`` shrinking
    eightfold while the middle sample is the highest (the vertex of a parabola through
    samples ``h`` apart is off by about ``h**2`` times the ratio of the third derivative to
    the second). A maximum is done when ``h`` is ``tol_s / 2`` and ``g(x) >= g(x -+ h)``:
    a function with one maximum in the bracket then has it within ``tol_s / 2`` of ``x``,
    golden section's guarantee for a final bracket of ``tol_s``. Brackets not done after
    ``max_iter`` steps (a kink, a second maximum) fall back to golden section. Returns
    ``(t_s, values)``, (K,) each.

    About 5 calls of ``g`` for a LEO pass's elevation on a 30 s grid at 0.01 s, against 19
    for golden section. Brent's method (``scipy.optimize.minimize_scalar``) is the scalar
    form of the same idea: parabolic steps with golden section as the safety net."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    m = np.asarray(m, dtype=float)
    ser = np.asarray(ser, dtype=int)
    n = a.size
    t_out = np.empty(n)
    y_out = np.empty(n)
    if n == 0:
        return t_out, y_out
    half = 0.5 * (b - a)
    x = np.clip(_vertex(m, half, np.asarray(fa, dtype=float), np.asarray(fm, dtype=float),
                        np.asarray(fb, dtype=float)), a, b)
    h = np.maximum(half / 8.0, 0.5 * tol_s)
    active = np.arange(n)
    for _ in range(max_iter):
        if not active.size:
            break
        xa, ha, aa, ba = x[active], h[active], a[active], b[active]
        lo = np.maximum(xa - ha, aa)
        hi = np.minimum(xa + ha, ba)
        k = active.size
        vals = np.asarray(g(np.concatenate([lo, xa, hi]), np.tile(ser[active], 3)),
                          dtype=float)
        fl, fc, fr = vals[:k], vals[k:2 * k], vals[2 * k:]
        sym = (lo == xa - ha) & (hi == xa + ha)     # not clipped at the bracket's edge
        inside = sym & (fc >= fl) & (fc >= fr)
        done = inside & (ha <= 0.5 * tol_s * (1.0 + 1e-9))
        t_out[active[done]] = xa[done]
        y_out[active[done]] = fc[done]
        # next estimate: the vertex; clipped samples step towards the higher side. Outside
        # the three samples the vertex is an extrapolation: at most 4 h away.
        x_new = np.where(sym, _vertex(xa, ha, fl, fc, fr),
                         xa + np.where(fr > fl, 1.0, -1.0) * ha)
        x_new = np.clip(np.clip(x_new, xa - 4.0 * ha, xa + 4.0 * ha), aa, ba)
        h_new = np.where(inside, np.maximum(ha / 8.0, 0.5 * tol_s), ha)
        keep = ~done
        x[active[keep]] = x_new[keep]
        h[active[keep]] = h_new[keep]
        active = active[keep]
    if active.size:
        t_out[active] = _golden_maxima(g, a[active], b[active], ser[active], tol_s)
        y_out[active] = np.asarray(g(t_out[active], ser[active]), dtype=float)
    return t_out, y_out


def refine_roots(g: Callable[[np.ndarray, np.ndarray], np.ndarray], lo: np.ndarray,
                 hi: np.ndarray, g_lo: np.ndarray, g_hi: np.ndarray, tol_s: float = 1e-3,
                 max_iter: int = 100) -> np.ndarray:
    """Zero crossings of real functions, one per bracket, all brackets at once.

    ``g(t_s, k)`` evaluates bracket ``k``'s function at float seconds ``t_s`` (both (M,)
    arrays). Bracket ``k`` is ``[lo[k], hi[k]]`` with ``g_lo[k] = g(lo[k])`` and
    ``g_hi[k] = g(hi[k])`` on opposite sides of the state ``g >= 0``. Refinement is the
    Illinois variant of regula falsi (superlinear for smooth ``g``; each step stays inside the
    bracket), one vectorised call of ``g`` per iteration over the brackets not yet converged,
    with bisection steps when the Illinois step stalls. Returns the (M,) crossing times: each
    within ``tol_s`` of the change of state.
    """
    a = np.asarray(lo, dtype=float).copy()
    b = np.asarray(hi, dtype=float).copy()
    fa = np.asarray(g_lo, dtype=float).copy()
    fb = np.asarray(g_hi, dtype=float).copy()
    if a.size == 0:
        return a
    sa = fa >= 0
    side = np.zeros(a.size, dtype=np.int8)
    active = np.flatnonzero(b - a > tol_s)
    it = 0
    while active.size and it < max_iter:
        it += 1
        aa, bb, ffa, ffb = a[active], b[active], fa[active], fb[active]
        w = bb - aa
        x = bb - ffb * w / np.where(ffb != ffa, ffb - ffa, 1.0)
        eps = 0.25 * tol_s
        # every third iteration, or when regula falsi gives nothing usable: bisect
        bad = ~np.isfinite(x) | (it % 3 == 0)
        x = np.where(bad, 0.5 * (aa + bb), np.clip(x, aa + eps, bb - eps))
        fx = np.asarray(g(x, active), dtype=float)
        same_a = (fx >= 0) == sa[active]
        sd = side[active]
        # replace a (the root is in [x, b]); Illinois: halve fb if b survived twice
        na = same_a
        nb = ~same_a
        ffb = np.where(na & (sd == -1), 0.5 * ffb, ffb)
        ffa = np.where(nb & (sd == 1), 0.5 * ffa, ffa)
        a[active] = np.where(na, x, aa)
        fa[active] = np.where(na, fx, ffa)
        b[active] = np.where(nb, x, bb)
        fb[active] = np.where(nb, fx, ffb)
        side[active] = np.where(na, -1, 1)
        active = active[(b[active] - a[active]) > tol_s]
    return 0.5 * (a + b)


def grid_brackets(t: np.ndarray, y: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Brackets of the state ``y >= 0`` changing between neighbours of a sampled grid.

    ``t`` (N,) s, ``y`` (N, S). Returns ``(lo, hi, y_lo, y_hi, series)`` ((M,) each)."""
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float).reshape(len(t), -1)
    inside = y >= 0
    k, ser = np.nonzero(inside[1:] != inside[:-1])
    return t[k], t[k + 1], y[k, ser], y[k + 1, ser], ser


def grid_extrema(t: np.ndarray, y: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Candidates for a state shorter than the grid step: interior extrema of the samples
    with three neighbours on the same side of zero that a concavity bound says may reach it
    (a grazing pass peaking between two samples below the mask, or a dip between two samples
    above it). The bound: a concave function through three samples ``a <= b >= c`` one step
    apart stays below ``b + max(b - a, b - c)`` on that span (taken with a factor 1.5).

    Returns ``(a_s, b_s, y_a, y_b, series)``: each candidate's two-step span and the samples at
    its ends (same side of zero)."""
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float).reshape(len(t), -1)
    if len(t) < 3:
        e = np.empty(0)
        return e, e, e, e, np.empty(0, dtype=int)
    out = []
    for sign in (1.0, -1.0):
        z = sign * y
        zl, zm, zr = z[:-2], z[1:-1], z[2:]
        bound = zm + 1.5 * np.maximum(zm - zl, zm - zr)
        cand = (zm > zl) & (zm >= zr) & (zl < 0) & (zm < 0) & (zr < 0) & (bound >= 0)
        k, ser = np.nonzero(cand)
        out.append((t[k], t[k + 2], y[k, ser], y[k + 2, ser], ser))
    return tuple(np.concatenate(x) for x in zip(*out, strict=True))  # type: ignore[return-value]


#: How closely a grazing candidate's extremum is located before its sign is looked at, s.
_GRAZING_TOL_S = 0.1


def refine_crossings(g: Callable[[np.ndarray, np.ndarray], np.ndarray],
                     brackets: tuple, extrema: tuple | None = None, tol_s: float = 1e-3,
                     *, smooth: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Refine what :func:`grid_brackets` and :func:`grid_extrema` found.

    ``g(t_s, series)`` evaluates series ``series`` at float seconds ``t_s`` ((M,) each). Each
    extremum candidate is refined by golden-section search (to 0.1 s; with ``smooth``, by
    :func:`refine_smooth_maxima`); one that reaches the other side of zero gives two
    brackets. All brackets are then refined together by
    :func:`refine_roots`. Returns ``(t_cross, series, rising)`` sorted by time, ``rising`` true
    where the state becomes ``g >= 0``."""
    lo, hi, ylo, yhi, ser = (np.asarray(x) for x in brackets)
    parts = [(lo.astype(float), hi.astype(float), ylo.astype(float), yhi.astype(float),
              ser.astype(int))]
    if extrema is not None and len(extrema[0]):
        a0, b0, ya, yb, s2 = (np.asarray(x) for x in extrema)
        s2 = s2.astype(int)
        sign = np.where(ya >= 0, -1.0, 1.0)    # +1: look for a peak above zero
        a, b = a0.astype(float), b0.astype(float)
        idx = np.arange(len(a))

        def signed(x: np.ndarray, j: np.ndarray) -> np.ndarray:
            return sign[j] * np.asarray(g(x, s2[j]), dtype=float)

        if smooth:
            m = 0.5 * (a + b)
            tm, peak = refine_smooth_maxima(signed, a, m, b, sign * ya, signed(m, idx),
                                            sign * yb, idx, _GRAZING_TOL_S)
            gm = sign * peak
        else:
            tm = _golden_maxima(signed, a, b, idx, _GRAZING_TOL_S)
            gm = np.asarray(g(tm, s2), dtype=float)
        ok = (gm >= 0) != (ya >= 0)
        if ok.any():
            parts.append((a0[ok], tm[ok], ya[ok], gm[ok], s2[ok]))
            parts.append((tm[ok], b0[ok], gm[ok], yb[ok], s2[ok]))
    lo, hi, ylo, yhi, ser = (np.concatenate(x) for x in zip(*parts, strict=True))
    ser = ser.astype(int)
    tc = refine_roots(lambda x, j: g(x, ser[j]), lo, hi, ylo, yhi, tol_s)
    rising = yhi >= 0
    order = np.lexsort((ser, tc))
    return tc[order], ser[order], rising[order]


def crossings_on_grid(g: Callable[[np.ndarray, np.ndarray], np.ndarray], t: np.ndarray,
                      y: np.ndarray, tol_s: float = 1e-3, *, smooth: bool = False
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where ``S`` real functions sampled on a grid change the state ``g >= 0``, refined.

    Parameters
    ----------
    g:
        ``g(t_s, series)`` -> values at float seconds ``t_s`` of series ``series`` ((M,) each).
    t:
        (N,) grid, s, increasing.
    y:
        (N, S) samples ``g(t[i], s)``.
    tol_s:
        Precision of the returned times, s.

    smooth:
        The functions are smooth near their extrema (see :func:`refine_smooth_maxima`).

    :func:`grid_brackets` + :func:`grid_extrema`, refined by :func:`refine_crossings`.
    Returns ``(t_cross, series, rising)`` sorted by time.
    """
    return refine_crossings(g, grid_brackets(t, y), grid_extrema(t, y), tol_s, smooth=smooth)
