"""Diagnostics of the drag validation's misses: could a missed manoeuvre, the solar arrays'
attitude or the space weather explain a period's bias? (docs/drag.md, "Why 2021 H1 and the
2021-22 winter miss"; asserted in tests/analysis/test_drag_validation.py).

Hidden manoeuvres
    :func:`inner_step_km` scans every gap between element sets inside a manoeuvre-free
    interval (at least ``window_days`` from its ends, only the interval's own element sets)
    with the detector's local model, a straight decay plus a step
    (:func:`rossim.analysis.manoeuvre_detection._step`), and returns the largest step of
    either sign, whether or not it is significant: the largest burn the detection could have
    missed there. :func:`hidden_raise_needed_km` is the raise a missed burn would have had to
    hide in the interval for the prediction to come within the target: if it is several times
    the largest step seen, missed manoeuvres cannot be the cause.

Solar-array attitude
    :func:`mean_abs_beta_deg`, the interval's mean absolute beta angle (the Sun's elevation
    above the orbit plane; TEME is taken for GCRF, the precession since J2000 being below
    0.4 deg). The ISS's arrays track the Sun, so their projection on the flight direction
    shrinks roughly as cos(beta) (edge-on at high beta); the JSC headers' drag area is one
    figure per fortnight and the arrays' modes of a day (night glider, biased tracking) are
    not public.

Errors: :class:`rossim.errors.InputError` for an interval too short to scan.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from rossim.analysis.manoeuvre_detection import Interval, _step
from rossim.errors import InputError

__all__ = ["inner_step_km", "hidden_raise_needed_km", "mean_abs_beta_deg"]


def inner_step_km(jd: np.ndarray, alt_km: np.ndarray, iv: Interval, *,
                  window_days: float = 2.0) -> tuple[float, float]:
    """``(step_km, gap_jd)``: the largest step of the mean altitude (signed, > 0 a raise) at
    any gap of interval ``iv`` at least ``window_days`` from its ends, fitted on the
    interval's element sets only (``jd`` (N,) sorted UTC Julian dates and ``alt_km`` (N,)
    the history's mean altitude, as from
    :func:`rossim.analysis.manoeuvre_detection.mean_history`)."""
    jd = np.asarray(jd, float)
    alt = np.asarray(alt_km, float)
    usable = np.zeros(jd.size, bool)
    usable[iv.i0:iv.i1 + 1] = True
    best = (0.0, math.nan)
    for g in range(iv.i0, iv.i1):
        if jd[g] - jd[iv.i0] < window_days or jd[iv.i1] - jd[g + 1] < window_days:
            continue
        st = _step(jd, alt, usable, g, g + 1, window_days)
        if st is not None and abs(st[0]) > abs(best[0]):
            best = (st[0], 0.5 * (jd[g] + jd[g + 1]))
    if math.isnan(best[1]):
        raise InputError(None, "interval", iv.start, f"an interval longer than "
                         f"{2 * window_days:g} days with element sets inside")
    return float(best[0]), float(best[1])


def hidden_raise_needed_km(iv: Interval, ballistic_m2_kg: float, model: str,
                           target: float = 0.25) -> float:
    """The raise (km) a missed burn would have to hide in ``iv`` for the loss predicted with
    ``model`` and ``ballistic_m2_kg`` (Cd A / m, m^2/kg) to exceed the true loss by no more
    than ``target``: ``predicted / (1 + target) - observed`` (<= 0: none needed)."""
    predicted = iv.per_b_km[model] * ballistic_m2_kg
    return float(predicted / (1.0 + target) - iv.observed_km)


def mean_abs_beta_deg(tles: list[Any], iv: Interval, n: int = 40) -> float:
    """Mean absolute beta angle (deg) over interval ``iv`` of a sorted history ``tles``, from
    ``n`` element sets spread over it (each at its own epoch)."""
    from astropy.time import Time

    from rossim.environment.eclipse import beta_angle_deg

    ks = np.unique(np.linspace(iv.i0, iv.i1, n).round().astype(int))
    r, v, jd = [], [], []
    for k in ks:
        s = tles[k].satrec
        e, rr, vv = s.sgp4(s.jdsatepoch, s.jdsatepochF)
        if e == 0:
            r.append(rr)
            v.append(vv)
            jd.append(s.jdsatepoch + s.jdsatepochF)
    beta = beta_angle_deg(np.array(r) * 1e3, np.array(v) * 1e3,
                          Time(np.array(jd), format="jd", scale="utc"))
    return float(np.mean(np.abs(beta)))


#: Daily F10.7 (sfu) below which an interval counts as low activity in the notes.
LOW_F107_SFU = 85.0

#: NASA/JSC ephemeris headers of one unchanged station two weeks apart: (source key, useable
#: from, DRAG_AREA m^2, DRAG_COEFF) (docs/sources.md).
JSC_2023_HEADERS = (("nasa-iss-oem-2023", "2023-02-15", 1504.78, 3.25),
                    ("nasa-iss-oem-2023b", "2023-02-27", 1964.62, 4.00))


def miss_notes(rows: list[Any], model: str = "msis2.1", target: float = 0.25) -> list[str]:
    """docs/drag.md bullets on the periods that miss ``target`` (every figure computed from
    ``rows``, the output of :func:`rossim.analysis.drag_validation.drag_table`)."""
    out = []
    ivs = [(iv, c, float(r)) for res, _ in rows
           for iv, c, r in zip(res.intervals, res.configurations, res.ratios(model), strict=True)]
    for res, _ in rows:
        if res.mae(model) <= target:
            continue
        steps = np.array([iv.inner_step_km for iv in res.intervals])
        need = np.array([hidden_raise_needed_km(iv, c.ballistic_m2_kg, model, target)
                         for iv, c in zip(res.intervals, res.configurations, strict=True)])
        pos = need > 0
        st = steps[pos]
        out.append(
            f"- **Missed manoeuvres cannot explain {res.name}.** In the {int(pos.sum())} of "
            f"its {steps.size} intervals over-predicted beyond {target * 100:.0f} %, the "
            "largest step of the mean altitude inside, significant or not, is between "
            f"{np.abs(st).min() * 1e3:.0f} and {np.abs(st).max() * 1e3:.0f} m "
            f"({int(np.sum(st < 0))} of them lowerings, which would widen the gap), against "
            f"a raise of {need[pos].min() * 1e3:.0f} to {need[pos].max() * 1e3:.0f} m that a "
            "missed burn would have to hide in each (`rossim.analysis.drag_diagnostics`).")
    low = [r for iv, _, r in ivs if iv.f107_mean < LOW_F107_SFU]
    high = [(iv, r) for iv, _, r in ivs if iv.f107_mean >= LOW_F107_SFU]
    if low and high:
        out.append(
            f"- **The bias follows the solar flux.** Over all periods the {len(low)} intervals "
            f"with mean daily F10.7 below {LOW_F107_SFU:.0f} sfu over-predict by "
            f"{(np.mean(low) - 1.0) * 100:+.0f} % on average with {model} (from "
            f"{(min(low) - 1.0) * 100:+.0f} % to {(max(low) - 1.0) * 100:+.0f} %), the "
            f"{len(high)} above by {(np.mean([r for _, r in high]) - 1.0) * 100:+.0f} %, in "
            "whichever configuration the station flew: a low-activity bias of the density "
            "models. The published anomaly (emmert-2010) is less EUV than F10.7 shows; JB2008, "
            "which takes the EUV index, shares the bias where it is computed (below).")
        beta = np.array([iv.beta_abs_deg for iv, _ in high])
        rat = np.array([r for _, r in high])
        slope, icpt = np.polyfit(beta, rat, 1)
        worst_res = max(rows, key=lambda rw: rw[0].mae(model) if rw[0].f107_mean >= 100
                        else -1.0)[0]
        j = int(np.argmax(worst_res.ratios(model)))
        wiv = worst_res.intervals[j]
        (k0, d0, a0, c0), (k1, d1, a1, c1) = JSC_2023_HEADERS
        out.append(
            f"- **The arrays' attitude (beta angle).** At F10.7 of {LOW_F107_SFU:.0f} sfu and "
            f"above, the ratio of predicted to observed loss grows by {slope * 10:+.2f} per "
            f"10 deg of mean |beta| (least squares over {rat.size} intervals; "
            f"{icpt:.2f} at beta 0): the Sun-tracking arrays fly closer to edge-on at high "
            "beta, a smaller drag area than a fortnight's figure. The worst interval of "
            f"{worst_res.name} ({wiv.start}, {worst_res.ratios(model)[j]:.2f} times) has a "
            f"mean |beta| of {wiv.beta_abs_deg:.0f} deg and a mean F10.7 of "
            f"{wiv.f107_mean:.0f} sfu. JSC's own figures for the same station moved from "
            f"DRAG_AREA {a0:,.2f} m^2 and DRAG_COEFF {c0:.2f} ({k0}, from {d0}) to {a1:,.2f} m^2 "
            f"and {c1:.2f} ({k1}, from {d1}), Cd A times {a1 * c1 / (a0 * c0):.2f} in two weeks "
            "with no module added: the ballistic data of the time are uncertain by tens of "
            "percent, and the arrays' modes of each day (night glider, biased tracking) are "
            "not public, so rossim does not model them.")
    return out
