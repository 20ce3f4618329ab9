"""Drag across the solar cycle: manoeuvres, observed and predicted ISS decay, fitted ballistics.

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

Predicted decay
    Gauss's equation for the semi-major axis under drag, ``da/dt = -(a^2/mu) B rho |v_r| (v .
    v_r)`` (``B = Cd A / m``, ``v_r`` the velocity relative to the co-rotating atmosphere),
    integrated every ``step_s`` along the observed path: at each instant the state of the
    nearest element set (SGP4, TEME; Earth-fixed by GMST, UT1 ~ UTC), the density of the
    chosen MSIS model (``rossim.environment.atmosphere``) with the historical space weather.
    The integral is linear in ``B``, so it is computed once per unit ``B`` (km per m^2/kg)
    and scaled by each configuration's, or fitted. Along the observed path the density feels
    the real altitude, which a free propagation would lose to its own error; for the same
    ballistic data it agrees with :func:`rossim.analysis.decay_check.decay_check`'s numerical
    propagation (J2 + NRLMSISE-00) to +3.7 % and -0.5 % on two intervals of 2023 (the test,
    tests/analysis/test_drag_validation.py, asserts 10 %: the free propagation drifts).

Sources: the ISS configurations of each date are data (``rossim/data/iss/configurations.toml``,
with source and flag). Errors: :class:`rossim.errors.InputError` for unusable histories.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from rossim.constants import GM_EARTH_M3_S2, OMEGA_EARTH_RAD_S, R_EQ_KM
from rossim.errors import InputError

__all__ = [
    "MODELS", "Manoeuvre", "Interval", "IssConfiguration", "PeriodResult", "FitResult",
    "mean_history", "detect_manoeuvres", "decay_intervals", "iss_configurations",
    "configuration_at", "validate_history", "fit_ballistic", "PERIODS", "drag_table",
    "format_drag_table", "daily_ap", "STORM_AP", "best_model", "drag_page",
]

#: Atmosphere models compared side by side (rossim names).
MODELS = ("nrlmsise00", "msis2.0", "msis2.1")
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


# ----------------------------------------------------------------------------- prediction

def _path(tles: list[Any], jd_tles: np.ndarray, i0: int, i1: int, step_s: float
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(jd (M,), r_teme_m (M,3), v_teme_m_s (M,3)) every step_s from element set i0's epoch to
    i1's, each instant from the nearest element set of the stretch."""
    n = max(int(round((jd_tles[i1] - jd_tles[i0]) * 86400.0 / step_s)), 2)
    t = jd_tles[i0] + np.arange(n) * step_s / 86400.0
    local = jd_tles[i0:i1 + 1]
    mids = 0.5 * (local[1:] + local[:-1])
    owner = np.searchsorted(mids, t)
    r = np.empty((n, 3))
    v = np.empty((n, 3))
    whole = np.floor(t)
    frac = t - whole
    for k in np.unique(owner):
        sel = owner == k
        e, rr, vv = tles[i0 + k].satrec.sgp4_array(whole[sel], frac[sel])
        idx = np.flatnonzero(sel)
        r[idx], v[idx] = rr * 1e3, vv * 1e3
        r[idx[e != 0]] = np.nan
    return t, r, v


def _per_b(tles: list[Any], jd_tles: np.ndarray, iv: Interval, models: tuple[str, ...],
           weather: Any, step_s: float) -> dict[str, float]:
    import erfa
    from astropy.time import Time

    from rossim.environment.atmosphere import density
    from rossim.frames.geodetic import itrf_to_geodetic

    t, r, v = _path(tles, jd_tles, iv.i0, iv.i1, step_s)
    good = np.all(np.isfinite(r), axis=1)
    t, r, v = t[good], r[good], v[good]
    gmst = erfa.gmst82(t, 0.0)
    c, s = np.cos(gmst), np.sin(gmst)
    r_ef = np.column_stack([c * r[:, 0] + s * r[:, 1], -s * r[:, 0] + c * r[:, 1], r[:, 2]])
    lat, lon, alt = itrf_to_geodetic(r_ef)
    w = np.array([0.0, 0.0, OMEGA_EARTH_RAD_S])
    vr = v - np.cross(w, r)
    rn = np.linalg.norm(r, axis=1)
    a = 1.0 / (2.0 / rn - np.einsum("ij,ij->i", v, v) / GM_EARTH_M3_S2)
    kern = (a * a / GM_EARTH_M3_S2) * np.linalg.norm(vr, axis=1) * np.einsum("ij,ij->i", v, vr)
    times = Time(t, format="jd", scale="utc")
    out = {}
    for m in models:
        rho = density(times, lat, lon, alt, model=m, weather=weather)
        out[m] = float(np.sum(kern * rho) * step_s / 1e3)   # km of loss per (m^2/kg)
    return out


# ----------------------------------------------------------------------------- configuration

@dataclass(frozen=True)
class IssConfiguration:
    name: str
    valid_from: str
    mass_kg: float
    drag_area_m2: float
    cd: float
    flag: str
    source: str

    @property
    def ballistic_m2_kg(self) -> float:
        """``Cd A / m`` (m^2/kg)."""
        return self.cd * self.drag_area_m2 / self.mass_kg


def iss_configurations() -> list[IssConfiguration]:
    """The rows of ``rossim/data/iss/configurations.toml`` in date order."""
    path = resources.files("rossim") / "data" / "iss" / "configurations.toml"
    rows = tomllib.loads(path.read_text(encoding="utf-8"))["configuration"]
    out = [IssConfiguration(r["name"], str(r["valid_from"]), float(r["mass_kg"]),
                            float(r["drag_area_m2"]), float(r["cd"]), r["flag"], r["source"])
           for r in rows]
    return sorted(out, key=lambda c: c.valid_from)


def configuration_at(jd: float) -> IssConfiguration:
    """The configuration in force at UTC Julian date ``jd``."""
    from astropy.time import Time

    day = Time(jd, format="jd", scale="utc").isot[:10]
    rows = iss_configurations()
    if day < rows[0].valid_from:
        raise InputError(None, "date", day, f"a date from {rows[0].valid_from} (configurations.toml)")
    return [c for c in rows if c.valid_from <= day][-1]


# ----------------------------------------------------------------------------- validation

@dataclass
class PeriodResult:
    name: str
    intervals: list[Interval]
    manoeuvres: list[Manoeuvre]
    configurations: list[IssConfiguration]     # per interval
    f107_mean: float

    def ratios(self, model: str) -> np.ndarray:
        """Predicted over observed loss per interval with the configuration of the time."""
        return np.array([iv.per_b_km[model] * c.ballistic_m2_kg / iv.observed_km
                         for iv, c in zip(self.intervals, self.configurations, strict=True)])

    def mae(self, model: str) -> float:
        return float(np.mean(np.abs(self.ratios(model) - 1.0)))

    def bias(self, model: str) -> float:
        """Mean signed error (> 0: the model predicts too much decay)."""
        return float(np.mean(self.ratios(model) - 1.0))


def daily_ap(jd: np.ndarray, weather: Any = None) -> np.ndarray:
    """The daily Ap (and the previous day's, whichever is larger) at UTC Julian dates ``jd``."""
    from astropy.time import Time

    from rossim.environment.spaceweather import default_weather

    weather = weather or default_weather()
    jd = np.asarray(jd, float)
    ap = weather.indices(Time(jd, format="jd", scale="utc"))[2][:, 0]
    ap_prev = weather.indices(Time(jd - 1.0, format="jd", scale="utc"))[2][:, 0]
    return np.maximum(np.asarray(ap, float), np.asarray(ap_prev, float))


def validate_history(tles: list[Any], *, name: str = "history", start: str | None = None,
                     end: str | None = None, models: tuple[str, ...] = MODELS,
                     weather: Any = None, step_s: float = 120.0, min_days: float = 7.0,
                     **detect: Any) -> PeriodResult:
    """Manoeuvres, intervals and predicted loss per unit B for every model, on the part of
    ``tles`` between the UTC dates ``start`` and ``end`` (ISO, optional)."""
    from astropy.time import Time

    from rossim.environment.spaceweather import default_weather

    weather = weather or default_weather()
    jd, alt, tles = mean_history(tles)
    detect.setdefault("storm_ap", daily_ap(jd, weather))
    man = detect_manoeuvres(jd, alt, **detect)
    ivs = decay_intervals(jd, alt, man, min_days=min_days)
    lo = Time(start, scale="utc").jd if start else -np.inf
    hi = Time(end, scale="utc").jd if end else np.inf
    ivs = [iv for iv in ivs if iv.start_jd >= lo and iv.end_jd <= hi]
    if not ivs:
        raise InputError(None, "tles", name, f"at least one manoeuvre-free stretch of {min_days} "
                         "days or more in the chosen span")
    for iv in ivs:
        iv.per_b_km = _per_b(tles, jd, iv, models, weather, step_s)
    confs = [configuration_at(iv.start_jd) for iv in ivs]
    t_mid = Time(np.array([0.5 * (iv.start_jd + iv.end_jd) for iv in ivs]), format="jd",
                 scale="utc")
    f107 = float(np.mean(weather.indices(t_mid)[1]))
    man = [m for m in man if lo <= m.start_jd <= hi]
    return PeriodResult(name, ivs, man, confs, f107)


@dataclass
class FitResult:
    model: str
    fit_days: float
    ballistic_m2_kg: float          # fitted effective Cd A / m
    n_fit: int                      # intervals used for the fit
    forecast: list[tuple[Interval, float]]   # (interval, predicted/observed - 1), out of sample

    @property
    def mae(self) -> float:
        if not self.forecast:
            return float("nan")
        return float(np.mean([abs(e) for _, e in self.forecast]))


def fit_ballistic(result: PeriodResult, model: str = "msis2.1", fit_days: float = 42.0
                  ) -> FitResult:
    """Fit ``B = Cd A / m`` on the intervals that end within ``fit_days`` of the first one's
    start (at least the first interval) by least squares on the losses, and forecast the
    later intervals with it (out of sample)."""
    if model not in MODELS:
        raise InputError(None, "model", model, "one of " + ", ".join(MODELS))
    if not (math.isfinite(fit_days) and fit_days > 0):
        raise InputError(None, "fit_days", fit_days, "a positive number of days")
    ivs = result.intervals
    t0 = ivs[0].start_jd
    n_fit = max(1, sum(1 for iv in ivs if iv.end_jd - t0 <= fit_days))
    x = np.array([iv.per_b_km[model] for iv in ivs[:n_fit]])
    y = np.array([iv.observed_km for iv in ivs[:n_fit]])
    b = float(np.dot(x, y) / np.dot(x, x))
    fc = [(iv, b * iv.per_b_km[model] / iv.observed_km - 1.0) for iv in ivs[n_fit:]]
    return FitResult(model, fit_days, b, n_fit, fc)


# ----------------------------------------------------------------------------- the table

#: The validation periods: (name, test data file under tests/data/iss, start, end, activity).
PERIODS = (
    ("2021 H1 (low activity)", "iss-tle-2021-01-to-2022-03.txt", "2021-01-01", "2021-07-20",
     "low"),
    ("2021 H2, Nauka (rising)", "iss-tle-2021-01-to-2022-03.txt", "2021-07-30", "2021-11-26",
     "rising"),
    ("2021-22 winter (rising)", "iss-tle-2021-01-to-2022-03.txt", "2021-11-27", "2022-03-04",
     "rising"),
    ("2023 Jan-Apr (high)", "iss-tle-2023-01-to-04.txt", "2023-01-01", "2023-05-01", "high"),
    ("2024-25 winter (maximum)", "iss-omm-2024-09-to-2025-03.json", "2024-09-15", "2025-03-10",
     "maximum"),
)


def _read(path: Any) -> list[Any]:
    from rossim.files.omm import read_omm
    from rossim.files.tle import read_tles

    p = str(path)
    return read_omm(p) if p.lower().endswith((".json", ".xml", ".csv", ".kvn")) else read_tles(p)


def drag_table(data_dir: Any, *, models: tuple[str, ...] = MODELS, step_s: float = 120.0,
               fit_days: float = 42.0) -> list[tuple[PeriodResult, dict[str, FitResult]]]:
    """Every period of :data:`PERIODS` validated (files read from ``data_dir``)."""
    from pathlib import Path

    cache: dict[str, list[Any]] = {}
    out = []
    for name, fname, start, end, _ in PERIODS:
        if fname not in cache:
            cache[fname] = _read(Path(data_dir) / fname)
        res = validate_history(cache[fname], name=name, start=start, end=end, models=models,
                               step_s=step_s)
        fits = {m: fit_ballistic(res, m, fit_days) for m in models}
        out.append((res, fits))
    return out


def format_drag_table(rows: list[tuple[PeriodResult, dict[str, FitResult]]],
                      models: tuple[str, ...] = MODELS) -> str:
    """The drag table as Markdown."""
    lines = ["| period | F10.7a | intervals | manoeuvres (raise/lower) | configuration (Cd A/m, "
             "flag) | " + " | ".join(f"{m} MAE (bias)" for m in models) + " | "
             + " | ".join(f"{m} fitted B, out-of-sample MAE" for m in models) + " |",
             "|---|---|---|---|---|" + "---|" * (2 * len(models))]
    for res, fits in rows:
        raise_ = sum(1 for m in res.manoeuvres if m.delta_km > 0)
        lower = len(res.manoeuvres) - raise_
        confs = sorted({(c.name, round(c.ballistic_m2_kg, 5), c.flag)
                        for c in res.configurations})
        conf = "; ".join(f"{n} {b * 1e3:.2f}e-3 ({f})" for n, b, f in confs)
        cells = []
        for m in models:
            bias = res.bias(m)
            word = "over" if bias > 0 else "under"
            cells.append(f"{res.mae(m) * 100:.0f} % ({bias * 100:+.0f} %, {word}-predicts)")
        fcells = []
        for m in models:
            f = fits[m]
            mae = "n/a (no later interval)" if not f.forecast else f"{f.mae * 100:.0f} %"
            fcells.append(f"{f.ballistic_m2_kg * 1e3:.2f}e-3 on {f.n_fit}, {mae} on "
                          f"{len(f.forecast)}")
        lines.append(f"| {res.name} | {res.f107_mean:.0f} | {len(res.intervals)} | "
                     f"{raise_}/{lower} | {conf} | " + " | ".join(cells) + " | "
                     + " | ".join(fcells) + " |")
    return "\n".join(lines)


def best_model(rows: list[tuple[PeriodResult, dict[str, FitResult]]],
               models: tuple[str, ...] = MODELS) -> tuple[str, dict[str, float]]:
    """The model with the smallest mean, over the periods, of the mean absolute error with the
    configuration of the time; returns (name, {model: that mean})."""
    score = {m: float(np.mean([res.mae(m) for res, _ in rows])) for m in models}
    # ties (MSIS 2.0 and 2.1 give the same mass density at ISS altitude) go to the later model
    best = min(reversed(models), key=lambda m: round(score[m], 4))
    return best, score


def drag_page(rows: list[tuple[PeriodResult, dict[str, FitResult]]],
              models: tuple[str, ...] = MODELS) -> str:
    """docs/drag.md: the method, the periods, the table and what it says (every figure
    computed here from ``rows``)."""
    from rossim.analysis import drag_explain as _explain  # hook (drag helper, 2026-11-30)

    best, score = best_model(rows, models)
    same = max(abs(iv.per_b_km["msis2.1"] / iv.per_b_km["msis2.0"] - 1.0)
               for res, _ in rows for iv in res.intervals) if {"msis2.0", "msis2.1"} <= set(
                   models) else float("nan")
    out = ["# Drag across the solar cycle: the ISS's real decay",
           "",
           "Generated by `rossim decay --table -o docs/drag.md` "
           "(`rossim.analysis.drag_validation.drag_page`); do not edit by hand.",
           "",
           "For every stretch between two manoeuvres of the ISS in three public element-set "
           "histories cut into five periods (tests/data/iss, origin and terms in its README), "
           "the altitude loss "
           "fitted to the TLEs' mean semi-major axis is compared with the loss predicted by "
           "NRLMSISE-00, NRLMSIS 2.0 and NRLMSIS 2.1 with the historical space weather, "
           # hook (drag helper, 2026-11-30): the configuration sentence lives in drag_explain
           + _explain.CONFIG_SENTENCE + ". Manoeuvres of both signs are found from the "
           "residuals of a fitted "
           "decay (a step against the history's own noise, lowering steps on storm days "
           "(Ap >= 30) left to the atmosphere). The fitted columns fit Cd A/m on the "
           "intervals of the first 42 days and forecast the later ones out of sample "
           "(`rossim decay FILE --fit`).",
           "",
           "MAE: mean absolute error of predicted over observed loss per interval; bias: the "
           "mean signed error (+: the model predicts too much decay).",
           "",
           format_drag_table(rows, models),
           "",
           "## What the table says",
           ""]
    for res, fits in rows:
        words = ", ".join(f"{m} {res.bias(m) * 100:+.0f} %" for m in models)
        ok_conf = res.mae("msis2.1") <= 0.25
        f = fits.get("msis2.1")
        ok_fit = f is not None and bool(f.forecast) and f.mae <= 0.25
        out.append(f"- {res.name} (F10.7a {res.f107_mean:.0f}): bias {words}; the issue's 25 % "
                   f"with the configuration of the time: {'met' if ok_conf else 'missed'} "
                   f"(MSIS 2.1 {res.mae('msis2.1') * 100:.0f} %); with the fitted Cd A/m out "
                   f"of sample: {'met' if ok_fit else 'missed'}"
                   + (f" ({f.mae * 100:.0f} %)." if f is not None and f.forecast else "."))
    out += ["",
            "- Mean over the periods of the MAE with the configuration of the time: "
            + ", ".join(f"{m} {score[m] * 100:.0f} %" for m in models)
            + f". The table's choice of default is **{best}**.",
            f"- NRLMSIS 2.0 and 2.1 give the same mass density at ISS altitude (largest "
            f"difference of the predicted loss on any interval {same * 100:.1g} %): 2.1 "
            "changed NO and the lower atmosphere, not the thermosphere's mass density.",
            ]
    # hook (drag helper, 2026-11-30): the explanation bullets live in drag_explain
    out += _explain.page_notes(rows, models)
    return "\n".join(out) + "\n"
