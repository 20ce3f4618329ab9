"""ISS element-set histories: mean altitude, manoeuvres of both signs, decay intervals.

Part of the drag validation (:mod:`rossim.analysis.drag_validation`).

Observed decay
    The TLEs' mean altitude (SGP4's Brouwer mean semi-major axis minus the WGS84 equatorial
    radius, km) between manoeuvres, fitted by a straight line with outliers (bad element sets)
    rejected at 4 robust standard deviations; the loss is the fitted slope times the span.

Manoeuvres (both signs)
    At every gap between two successive element sets a local model ``a = c + r (t - t_g) +
    s H(t - t_g)`` (straight decay plus a step) is fitted to the element sets within
    ``window_days`` on each side, with the same outlier rejection. A gap is a manoeuvre where
    the step ``s`` exceeds ``k_sigma`` times its standard error (from the robust scatter of the
    mean altitude about the local decay, median over the whole history) and ``min_km``; raising
    and lowering burns alike. Flagged gaps closer than ``merge_days`` are one manoeuvre (a burn
    split across two element sets, or an element set taken mid-burn): its step is refitted with
    the element sets inside the cluster left out. No fixed jump threshold in km decides alone:
    the threshold follows the history's own noise.

Errors: :class:`rossim.errors.InputError` for unusable histories.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rossim.constants import R_EQ_KM
from rossim.errors import InputError

#: Daily Ap from which a day counts as geomagnetically disturbed (NOAA "active" and above).
STORM_AP = 30.0


# ----------------------------------------------------------------------------- history

def mean_history(tles: list[Any]) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """``(jd_utc (N,), mean_alt_km (N,), tles)`` sorted by epoch, one element set per epoch
    (the last of duplicates). Raises InputError for fewer than 10 element sets or several
    objects."""
    if len(tles) < 10:
        raise InputError(None, "tles", len(tles), "a history of at least 10 element sets")
    numbers = {int(t.satrec.satnum) for t in tles}
    if len(numbers) > 1:
        raise InputError(None, "tles", sorted(numbers)[:5], "element sets of one object")
    jd = np.array([t.satrec.jdsatepoch + t.satrec.jdsatepochF for t in tles])
    order = np.argsort(jd, kind="stable")
    jd = jd[order]
    keep = np.append(np.diff(jd) > 1e-7, True)
    idx = order[keep]
    tles = [tles[i] for i in idx]
    jd = jd[keep]
    alt = np.array([t.satrec.a * t.satrec.radiusearthkm - R_EQ_KM for t in tles])
    return jd, alt, tles


def _robust_line(t: np.ndarray, y: np.ndarray, step_at: float | None = None,
                 floor_km: float = 0.005) -> tuple[np.ndarray, float, np.ndarray]:
    """Least-squares ``y = c + r t (+ s H(t - step_at))`` with one rejection pass at 4 robust
    sigma; returns (coefficients, robust sigma of the residuals, mask of kept points)."""
    cols = [np.ones_like(t), t]
    if step_at is not None:
        cols.append((t > step_at).astype(float))
    a = np.column_stack(cols)
    keep = np.ones(t.size, bool)
    # robust start: the median slope of successive points within each side, the median
    # offsets; then least squares on the points within 4 robust sigma of it
    side = np.zeros(t.size, bool) if step_at is None else t > step_at
    dt, dy = np.diff(t), np.diff(y)
    same = (side[1:] == side[:-1]) & (dt > 0)
    r0 = float(np.median(dy[same] / dt[same])) if same.any() else 0.0
    c0 = float(np.median((y - r0 * t)[~side]))
    coef = np.array([c0, r0] + ([float(np.median((y - r0 * t)[side])) - c0]
                                if step_at is not None else []))
    for _ in range(3):
        res = y - a @ coef
        sig = max(1.4826 * float(np.median(np.abs(res[keep] - np.median(res[keep])))), floor_km)
        new = np.abs(res) <= 4.0 * sig
        if new.sum() < a.shape[1] + 1 or np.array_equal(new, keep):
            break
        keep = new
        coef = np.linalg.lstsq(a[keep], y[keep], rcond=None)[0]
    res = y[keep] - a[keep] @ coef
    sig = max(1.4826 * float(np.median(np.abs(res - np.median(res)))), floor_km)
    return coef, sig, keep


@dataclass(frozen=True)
class Manoeuvre:
    """A step of the mean altitude between element sets ``i0`` and ``i1`` (indices into the
    sorted history; the element sets strictly between them are inside the burn)."""

    i0: int
    i1: int
    start_jd: float
    end_jd: float
    delta_km: float          # signed: > 0 raises the orbit
    significance: float      # |step| / its standard error

    @property
    def start(self) -> str:
        from astropy.time import Time
        return Time(self.start_jd, format="jd", scale="utc").isot[:16] + "Z"

    @property
    def sign(self) -> str:
        return "raise" if self.delta_km > 0 else "lower"


def _step(jd: np.ndarray, alt: np.ndarray, usable: np.ndarray, i0: int, i1: int,
          window_days: float) -> tuple[float, float, int, int] | None:
    left = np.flatnonzero(usable & (jd >= jd[i0] - window_days) & (jd <= jd[i0]))
    right = np.flatnonzero(usable & (jd >= jd[i1]) & (jd <= jd[i1] + window_days))
    if left.size < 3 or right.size < 3:
        return None
    idx = np.concatenate([left, right])
    t = jd[idx] - 0.5 * (jd[i0] + jd[i1])
    # one decay line through the gap (the station decays in it too) and a step at its middle
    coef, sig, keep = _robust_line(t, alt[idx], step_at=0.0)
    n_left = int(np.count_nonzero(keep[:left.size]))
    n_right = int(np.count_nonzero(keep[left.size:]))
    if n_left < 2 or n_right < 2:
        return None
    return float(coef[2]), sig, n_left, n_right


def _sharp(jd: np.ndarray, alt: np.ndarray, usable: np.ndarray, g: int,
           window_days: float) -> bool:
    """Is the change at gap ``g`` a step (a burn) rather than a bend of the decay (a storm's
    denser air, which lowers the orbit faster for a day or two but continuously)? Compares
    the robust scatter of a step model with that of a continuous model whose slope changes
    at the gap; a burn's step fits at least twice as tightly."""
    idx = np.flatnonzero(usable & (np.abs(jd - 0.5 * (jd[g] + jd[g + 1])) <= window_days))
    t = jd[idx] - 0.5 * (jd[g] + jd[g + 1])
    y = alt[idx]
    _, sig_step, _ = _robust_line(t, y, step_at=0.0, floor_km=1e-4)
    # continuous bend: a line in t plus a line in max(t, 0), robustly by the same routine on
    # the data with the post-gap slope change removed by least squares first
    a = np.column_stack([np.ones_like(t), t, np.maximum(t, 0.0)])
    coef = np.linalg.lstsq(a, y, rcond=None)[0]
    res = y - a @ coef
    for _ in range(3):
        sig = max(1.4826 * float(np.median(np.abs(res - np.median(res)))), 1e-4)
        keep = np.abs(res) <= 4.0 * sig
        if keep.sum() < 4:
            break
        coef = np.linalg.lstsq(a[keep], y[keep], rcond=None)[0]
        res = y - a @ coef
    sig_bend = max(1.4826 * float(np.median(np.abs(res - np.median(res)))), 1e-4)
    return sig_step * 2.0 <= sig_bend


def detect_manoeuvres(jd: np.ndarray, alt_km: np.ndarray, *, window_days: float = 2.0,
                      k_sigma: float = 8.0, min_km: float = 0.15, settle_days: float = 1.0,
                      merge_days: float = 1.0, storm_ap: np.ndarray | None = None
                      ) -> list[Manoeuvre]:
    """Manoeuvres of either sign in a mean-altitude history (see the module docstring).

    ``jd`` (N,) sorted UTC Julian dates, ``alt_km`` (N,) mean altitude. The most significant
    step is taken first; the element sets of the following ``settle_days`` (fits that straddle
    the burn overshoot and settle) are set aside, the step is refitted across them and removed
    from the history, and the steps near it are refitted, until no gap passes. A lowering
    whose gap touches a geomagnetic storm day (``storm_ap`` (N,): the daily Ap at each element
    set; a storm is Ap >= 30) is the storm's denser air, not a burn, and is not reported;
    a rise is never drag's doing. Manoeuvres
    less than ``merge_days`` apart are one (a burn split across element sets, or two burns
    in a row). Returns the manoeuvres in time order."""
    jd = np.asarray(jd, float)
    alt = np.array(alt_km, float)
    n = jd.size
    if n < 10 or not np.all(np.diff(jd) > 0):
        raise InputError(None, "jd", n, "at least 10 strictly increasing epochs")
    usable = np.ones(n, bool)
    rejected: set[int] = set()
    steps = np.full(n - 1, np.nan)
    sigs = np.full(n - 1, np.nan)
    errs = np.full(n - 1, np.nan)

    def refit(gaps: Any) -> None:
        for g in gaps:
            st = None
            if usable[g] and usable[g + 1] and g not in rejected:
                st = _step(jd, alt, usable, int(g), int(g) + 1, window_days)
            if st is None:
                steps[g] = np.nan
                continue
            steps[g], sigs[g] = st[0], st[1]
            errs[g] = math.sqrt(1.0 / st[2] + 1.0 / st[3])

    refit(range(n - 1))
    ok = np.isfinite(steps)
    if not ok.any():
        return []
    noise = float(np.median(sigs[ok]))          # one history, one noise level
    found: list[tuple[int, int, float, float]] = []   # (i0, i1, step km, z)
    for _ in range(n - 1):
        fin = np.isfinite(steps)
        z = np.zeros(n - 1)
        z[fin] = np.abs(steps[fin]) / (noise * errs[fin])
        z[~fin | (np.abs(np.nan_to_num(steps)) <= min_km)] = 0.0
        g = int(np.argmax(z))
        if z[g] <= k_sigma:
            break
        storm = storm_ap is not None and max(storm_ap[g], storm_ap[g + 1]) >= STORM_AP
        if (steps[g] < 0 and storm) or not _sharp(jd, alt, usable, g, window_days):
            rejected.add(g)
            steps[g] = np.nan
            continue
        i1 = int(np.searchsorted(jd, jd[g + 1] + settle_days, side="right"))
        if i1 >= n:
            i1 = g + 1
        saved = usable.copy()
        usable[g + 1:i1] = False
        st = _step(jd, alt, usable, g, i1, window_days)
        delta = st[0] if st is not None else float(steps[g])
        if abs(delta) <= min_km:      # a transient of the element sets, not a burn
            usable[:] = saved
            rejected.add(g)
            steps[g] = np.nan
            continue
        found.append((g, i1, delta, float(z[g])))
        alt[i1:] -= delta
        near = np.flatnonzero(np.abs(jd[:-1] - jd[g]) <= 2.0 * window_days + settle_days + 1.0)
        refit(near)
    found.sort()
    out: list[Manoeuvre] = []
    for i0, i1, d, z_g in found:
        if out and jd[i0] - out[-1].end_jd <= merge_days:
            last = out[-1]
            out[-1] = Manoeuvre(last.i0, max(i1, last.i1), last.start_jd,
                                float(jd[max(i1, last.i1)]), last.delta_km + d,
                                max(last.significance, z_g))
        else:
            out.append(Manoeuvre(i0, i1, float(jd[i0]), float(jd[i1]), d, z_g))
    return out


@dataclass
class Interval:
    """One manoeuvre-free stretch: element sets ``i0..i1`` of the sorted history."""

    i0: int
    i1: int
    start_jd: float
    end_jd: float
    observed_km: float                   # altitude loss fitted to the TLEs (> 0: decay)
    per_b_km: dict[str, float] = field(default_factory=dict)  # predicted loss per unit B
    # the same weighted by the arrays' projection on the flow (rossim.analysis.drag_attitude)
    per_b_array_km: dict[str, float] = field(default_factory=dict)
    # diagnostics, filled by rossim.analysis.drag_validation.drag_table (NaN otherwise):
    f107_mean: float = math.nan          # mean daily F10.7 (MSIS input, sfu)
    beta_abs_deg: float = math.nan       # mean |beta angle| (deg)
    inner_step_km: float = math.nan      # largest step inside (drag_diagnostics.inner_step_km)

    @property
    def days(self) -> float:
        return self.end_jd - self.start_jd

    @property
    def start(self) -> str:
        from astropy.time import Time
        return Time(self.start_jd, format="jd", scale="utc").isot[:10]


def decay_intervals(jd: np.ndarray, alt_km: np.ndarray, manoeuvres: list[Manoeuvre], *,
                    min_days: float = 7.0) -> list[Interval]:
    """The stretches between manoeuvres (one element set dropped on each side of every burn)
    of at least ``min_days``, with their observed loss."""
    n = jd.size
    edges = [(-1, 0)] + [(m.i0, m.i1) for m in manoeuvres] + [(n - 1, n)]
    out: list[Interval] = []
    for (_, a), (b, _) in zip(edges[:-1], edges[1:], strict=True):
        i0 = a + 1 if a > 0 else 0
        i1 = b - 1 if b < n - 1 else n - 1
        if i1 - i0 < 5 or jd[i1] - jd[i0] < min_days:
            continue
        t = jd[i0:i1 + 1] - jd[i0]
        coef, _, _ = _robust_line(t, alt_km[i0:i1 + 1])
        days = float(jd[i1] - jd[i0])
        out.append(Interval(i0, i1, float(jd[i0]), float(jd[i1]), float(-coef[1] * days)))
    return out
