"""Predicted ISS decay per unit ballistic coefficient, the ISS configurations, and the fit.

Part of the drag validation (:mod:`rossim.analysis.drag_validation`): :func:`validate_history`
predicts the loss of every manoeuvre-free interval (:mod:`rossim.analysis.manoeuvre_detection`)
with each atmosphere model; :func:`fit_ballistic` fits ``B = Cd A / m`` on the first weeks and
forecasts the later intervals out of sample.

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
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from rossim.analysis.manoeuvre_detection import (
    Interval,
    Manoeuvre,
    decay_intervals,
    detect_manoeuvres,
    mean_history,
)
from rossim.constants import GM_EARTH_M3_S2, OMEGA_EARTH_RAD_S
from rossim.errors import InputError

#: Atmosphere models compared side by side (rossim names).
MODELS = ("nrlmsise00", "msis2.0", "msis2.1")
#: JB2008 (``rossim.environment.jb2008``, optional extra ``jb2008``): computed where its shipped
#: indices cover an interval, NaN elsewhere.
JB2008 = "jb2008"
ALL_MODELS = MODELS + (JB2008,)
#: How a configuration's drag area is taken: its one figure, or the arrays' projection of each
#: interval (:mod:`rossim.analysis.drag_attitude`), anchored on the header's span or first day.
AREAS = ("fixed", "beta", "beta-epoch")


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
           weather: Any, step_s: float) -> tuple[dict[str, float], dict[str, float]]:
    """(per unit B, per unit B weighted by the arrays' projection g(t)) for every model."""
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
    # hook (beta-area helper, 2026-11-30): the Sun-tracking arrays' projection on the flow
    from rossim.analysis.drag_attitude import array_projection

    g = array_projection(t, r, vr)
    out, out_g = {}, {}
    for m in models:
        if m == JB2008:   # hook (JB2008 helper, 2026-11-30): SET's indices, not MSIS's weather
            from rossim.environment import jb2008

            if not jb2008.covers(float(t[0]), float(t[-1])):
                out[m] = out_g[m] = float("nan")
                continue
            rho = jb2008.density(t, lat, lon, alt)
        else:
            rho = density(times, lat, lon, alt, model=m, weather=weather)
        out[m] = float(np.sum(kern * rho) * step_s / 1e3)   # km of loss per (m^2/kg)
        out_g[m] = float(np.sum(kern * rho * g) * step_s / 1e3)
    return out, out_g


def anchor_projection(tles: list[Any], start: str, end: str, step_s: float = 120.0) -> float:
    """Time mean of the arrays' projection on the flow
    (:func:`rossim.analysis.drag_attitude.array_projection`) along the path of history
    ``tles`` from UTC date ``start`` to ``end`` (each instant from the nearest element set):
    the anchor of a NASA/JSC header's DRAG_AREA."""
    from astropy.time import Time

    from rossim.analysis.drag_attitude import array_projection

    jd, _, tles = mean_history(tles)
    lo, hi = Time(start, scale="utc").jd, Time(end, scale="utc").jd
    i0, i1 = int(np.searchsorted(jd, lo)), int(np.searchsorted(jd, hi)) - 1
    if i1 <= i0 or jd[i0] - lo > 1.0 or hi - jd[i1] > 1.0:
        raise InputError(None, "tles", f"{start}..{end}", "a history covering the span")
    t, r, v = _path(tles, jd, i0, i1, step_s)
    good = np.all(np.isfinite(r), axis=1)
    w = np.array([0.0, 0.0, OMEGA_EARTH_RAD_S])
    r, v = r[good], v[good]
    return float(np.mean(array_projection(t[good], r, v - np.cross(w, r))))


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

    def ratios(self, model: str, area: str = "fixed") -> np.ndarray:
        """Predicted over observed loss per interval with the configuration of the time;
        ``area`` "fixed" (its one drag area) or "beta" (the arrays' projection of each
        interval, :func:`ballistic_m2_kg`)."""
        return np.array([iv.per_b_km[model] * b / iv.observed_km
                         for iv, b in zip(self.intervals, self.ballistic_m2_kg(model, area),
                                          strict=True)])

    def ballistic_m2_kg(self, model: str, area: str = "fixed") -> np.ndarray:
        """``Cd A / m`` per interval (m^2/kg): with ``area`` "beta", ``A`` is
        :func:`rossim.analysis.drag_attitude.effective_area_m2` at the interval's
        density-weighted mean array projection (``per_b_array_km / per_b_km``), anchored on
        its header's useable span ("beta-epoch": on the header's first day)."""
        if area == "fixed":
            return np.array([c.ballistic_m2_kg for c in self.configurations])
        if area not in AREAS:
            raise InputError(None, "area", area, " or ".join(f'"{a}"' for a in AREAS))
        from rossim.analysis.drag_attitude import effective_area_m2

        anchor = "epoch" if area == "beta-epoch" else "span"
        return np.array([c.cd * effective_area_m2(c, iv.start,
                                                  iv.per_b_array_km[model] / iv.per_b_km[model],
                                                  anchor)
                         / c.mass_kg
                         for iv, c in zip(self.intervals, self.configurations, strict=True)])

    def mae(self, model: str, area: str = "fixed") -> float:
        return float(np.mean(np.abs(self.ratios(model, area) - 1.0)))

    def bias(self, model: str, area: str = "fixed") -> float:
        """Mean signed error (> 0: the model predicts too much decay)."""
        return float(np.mean(self.ratios(model, area) - 1.0))


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
        iv.per_b_km, iv.per_b_array_km = _per_b(tles, jd, iv, models, weather, step_s)
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
    area: str = "fixed"             # "beta": the fit scales the beta-dependent Cd A / m
    scale: float = math.nan         # with area "beta": the fitted multiplier

    @property
    def mae(self) -> float:
        if not self.forecast:
            return float("nan")
        return float(np.mean([abs(e) for _, e in self.forecast]))


def fit_ballistic(result: PeriodResult, model: str = "msis2.1", fit_days: float = 42.0,
                  area: str = "fixed") -> FitResult:
    """Fit ``B = Cd A / m`` on the intervals that end within ``fit_days`` of the first one's
    start (at least the first interval) by least squares on the losses, and forecast the
    later intervals with it (out of sample). With ``area`` "beta" the fitted quantity is a
    scale on each interval's beta-dependent ``Cd A / m`` (:meth:`PeriodResult.ballistic_m2_kg`),
    so the forecast keeps the arrays' projection of each later interval; ``ballistic_m2_kg``
    is then the scale times the first interval's."""
    if model not in ALL_MODELS:
        raise InputError(None, "model", model, "one of " + ", ".join(ALL_MODELS))
    if not (math.isfinite(fit_days) and fit_days > 0):
        raise InputError(None, "fit_days", fit_days, "a positive number of days")
    ivs = result.intervals
    t0 = ivs[0].start_jd
    n_fit = max(1, sum(1 for iv in ivs if iv.end_jd - t0 <= fit_days))
    base = np.ones(len(ivs)) if area == "fixed" else result.ballistic_m2_kg(model, area)
    xs = np.array([iv.per_b_km[model] for iv in ivs]) * base
    x, y = xs[:n_fit], np.array([iv.observed_km for iv in ivs[:n_fit]])
    b = float(np.dot(x, y) / np.dot(x, x))
    fc = [(iv, b * xs[n_fit + j] / iv.observed_km - 1.0) for j, iv in enumerate(ivs[n_fit:])]
    if area == "fixed":
        return FitResult(model, fit_days, b, n_fit, fc)
    return FitResult(model, fit_days, b * float(base[0]), n_fit, fc, area, b)
