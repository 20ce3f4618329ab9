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

Modules: the history and the manoeuvres in :mod:`rossim.analysis.manoeuvre_detection`, the
prediction, the configurations and the fit in :mod:`rossim.analysis.drag_fit`; the periods'
table and the docs page here.

Sources: the ISS configurations of each date are data (``rossim/data/iss/configurations.toml``,
with source and flag). Errors: :class:`rossim.errors.InputError` for unusable histories.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rossim.analysis.drag_fit import (
    JB2008,
    MODELS,
    FitResult,
    IssConfiguration,
    PeriodResult,
    configuration_at,
    daily_ap,
    fit_ballistic,
    iss_configurations,
    validate_history,
)
from rossim.analysis.manoeuvre_detection import (
    STORM_AP,
    Interval,
    Manoeuvre,
    decay_intervals,
    detect_manoeuvres,
    mean_history,
)
from rossim.errors import InputError  # noqa: F401  (dv.InputError in the tests)

__all__ = [
    "MODELS", "Manoeuvre", "Interval", "IssConfiguration", "PeriodResult", "FitResult",
    "mean_history", "detect_manoeuvres", "decay_intervals", "iss_configurations",
    "configuration_at", "validate_history", "fit_ballistic", "PERIODS", "drag_table",
    "format_drag_table", "daily_ap", "STORM_AP", "best_model", "RUN_MODELS", "drag_page", "table_models",
    "BETA_MODEL", "BETA_FIT",
]


#: The models a run can drive: F10.7 and Ap, which a run's solar-cycle forecast gives.
RUN_MODELS = MODELS

#: The beta-area columns (rossim.analysis.drag_attitude): the model, and the key of its fit
#: (a scale on the beta-dependent Cd A / m) in a row's fits.
BETA_MODEL = "msis2.1"
BETA_FIT = "msis2.1 beta-area"


def table_models() -> tuple[str, ...]:
    """The models of the drag table: the three MSIS, and JB2008 where pyatmos is installed
    (optional extra ``jb2008``)."""
    from rossim.environment import jb2008

    return MODELS + ((JB2008,) if jb2008.available() else ())


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
    """The element sets of a TLE or OMM history, the format told by the content (the one
    detection of every command, :func:`rossim.files.ndmxml.detect_state_format`); an OPM or
    OEM (one state, no history of element sets) is named as such."""
    from rossim.fileio import read_input_text
    from rossim.files.ndmxml import detect_state_format
    from rossim.files.omm import read_omm
    from rossim.files.tle import read_tles

    p = str(path)
    text = read_input_text(path, "TLE or OMM history")
    kind = detect_state_format(text)
    if kind in ("OPM", "OEM", "OPM-XML", "OEM-XML"):
        raise InputError(p, None, f"an {kind.split('-')[0]}",
                         "a TLE or OMM history (mean elements over time); an OPM or OEM "
                         "holds states, which rossim propagate takes")
    return read_omm(p) if kind == "OMM" else read_tles(p)


def drag_table(data_dir: Any, *, models: tuple[str, ...] | None = None, step_s: float = 120.0,
               fit_days: float = 42.0) -> list[tuple[PeriodResult, dict[str, FitResult]]]:
    """Every period of :data:`PERIODS` validated (files read from ``data_dir``); ``models``
    defaults to :func:`table_models`."""
    from pathlib import Path

    models = table_models() if models is None else models
    cache: dict[str, list[Any]] = {}
    out = []
    for name, fname, start, end, _ in PERIODS:
        if fname not in cache:
            cache[fname] = _read(Path(data_dir) / fname)
        res = validate_history(cache[fname], name=name, start=start, end=end, models=models,
                               step_s=step_s)
        _diagnose(res, cache[fname])
        fits = {m: fit_ballistic(res, m, fit_days) for m in models}
        if BETA_MODEL in models:   # hook (beta-area helper, 2026-11-30)
            fits[BETA_FIT] = fit_ballistic(res, BETA_MODEL, fit_days, area="beta")
        out.append((res, fits))
    return out


def _diagnose(res: PeriodResult, tles: list[Any]) -> None:
    """Fill each interval's diagnostics (mean daily F10.7, mean |beta|, largest inner step;
    :mod:`rossim.analysis.drag_diagnostics`)."""
    from astropy.time import Time

    from rossim.analysis import drag_diagnostics as diag
    from rossim.environment.spaceweather import default_weather

    jd, alt, srt = mean_history(tles)
    weather = default_weather()
    for iv in res.intervals:
        days = Time(np.arange(iv.start_jd, iv.end_jd, 0.25), format="jd", scale="utc")
        iv.f107_mean = float(np.mean(weather.indices(days)[0]))
        iv.beta_abs_deg = diag.mean_abs_beta_deg(srt, iv)
        iv.inner_step_km = diag.inner_step_km(jd, alt, iv)[0]


def format_drag_table(rows: list[tuple[PeriodResult, dict[str, FitResult]]],
                      models: tuple[str, ...] | None = None) -> str:
    """The drag table as Markdown (``n/a`` where a model has no indices for a period)."""
    models = _models_of(rows) if models is None else models
    lines = ["| period | F10.7a | intervals | manoeuvres (raise/lower) | configuration (Cd A/m, "
             "flag) | " + " | ".join(f"{m} MAE (bias)" for m in models) + " | "
             + " | ".join(f"{m} fitted B, out-of-sample MAE" for m in models) + " |"
             + _beta_head(rows),
             "|---|---|---|---|---|" + "---|" * (2 * len(models))
             + "---|" * (2 if _beta_head(rows) else 0)]
    for res, fits in rows:
        raise_ = sum(1 for m in res.manoeuvres if m.delta_km > 0)
        lower = len(res.manoeuvres) - raise_
        confs = sorted({(c.name, round(c.ballistic_m2_kg, 5), c.flag)
                        for c in res.configurations})
        conf = "; ".join(f"{n} {b * 1e3:.2f}e-3 ({f})" for n, b, f in confs)
        cells = []
        for m in models:
            bias = res.bias(m)
            if not np.isfinite(bias):
                cells.append("n/a (no indices)")
                continue
            word = "over" if bias > 0 else "under"
            cells.append(f"{res.mae(m) * 100:.0f} % ({bias * 100:+.0f} %, {word}-predicts)")
        fcells = []
        for m in models:
            f = fits[m]
            if not np.isfinite(f.ballistic_m2_kg):
                fcells.append("n/a (no indices)")
                continue
            mae = "n/a (no later interval)" if not f.forecast else f"{f.mae * 100:.0f} %"
            fcells.append(f"{f.ballistic_m2_kg * 1e3:.2f}e-3 on {f.n_fit}, {mae} on "
                          f"{len(f.forecast)}")
        lines.append(f"| {res.name} | {res.f107_mean:.0f} | {len(res.intervals)} | "
                     f"{raise_}/{lower} | {conf} | " + " | ".join(cells) + " | "
                     + " | ".join(fcells) + " |" + _beta_cells(res, fits))
    return "\n".join(lines)


def _beta_head(rows: list[tuple[PeriodResult, dict[str, FitResult]]]) -> str:
    """The beta-area columns' headers (empty without a beta-area fit)."""
    if not rows or BETA_FIT not in rows[0][1]:
        return ""
    return (f" {BETA_MODEL} beta-area MAE (bias) | {BETA_MODEL} beta-area fitted scale, "
            "out-of-sample MAE |")


def _beta_cells(res: PeriodResult, fits: dict[str, FitResult]) -> str:
    """A row's beta-area cells: MAE and bias with the arrays' projection of each interval
    (rossim.analysis.drag_attitude), and the out-of-sample MAE of a scale fitted on it."""
    if BETA_FIT not in fits:
        return ""
    f = fits[BETA_FIT]
    mae = "n/a (no later interval)" if not f.forecast else f"{f.mae * 100:.0f} %"
    return (f" {res.mae(BETA_MODEL, 'beta') * 100:.0f} % "
            f"({res.bias(BETA_MODEL, 'beta') * 100:+.0f} %) | x{f.scale:.2f} on {f.n_fit}, "
            f"{mae} on {len(f.forecast)} |")


def _models_of(rows: list[tuple[PeriodResult, dict[str, FitResult]]]) -> tuple[str, ...]:
    return tuple(rows[0][0].intervals[0].per_b_km)


def best_model(rows: list[tuple[PeriodResult, dict[str, FitResult]]],
               models: tuple[str, ...] | None = None) -> tuple[str, dict[str, float]]:
    """The model with the smallest mean, over the periods, of the mean absolute error with the
    configuration of the time, among the models computed on every period that a run can drive
    (:data:`RUN_MODELS`: F10.7 and Ap, which the run's solar-cycle forecast gives; JB2008 needs
    SET's measured EUV indices and storm temperature, which no forecast of the campaign's years
    gives); returns (name, {model: that mean over the periods it covers})."""
    models = _models_of(rows) if models is None else models
    score = {m: float(np.nanmean([res.mae(m) for res, _ in rows])) for m in models}
    full = [m for m in models if m in RUN_MODELS
            and all(np.isfinite(res.mae(m)) for res, _ in rows)]
    # ties (MSIS 2.0 and 2.1 give the same mass density at ISS altitude) go to the later model
    best = min(reversed(full), key=lambda m: round(score[m], 4))
    return best, score


def _jb2008_words(res: PeriodResult, fits: dict[str, FitResult]) -> str:
    """``; JB2008 ...`` for a period's bullet (empty without a jb2008 column)."""
    if JB2008 not in fits:
        return ""
    if not np.isfinite(res.mae(JB2008)):
        return "; JB2008: not computed (no storm-temperature indices for the period)"
    f = fits[JB2008]
    fit = (f", fitted out of sample {'met' if f.mae <= 0.25 else 'missed'} ({f.mae * 100:.0f} %)"
           if f.forecast else "")
    return (f"; JB2008 with the configuration of the time: "
            f"{'met' if res.mae(JB2008) <= 0.25 else 'missed'} ({res.mae(JB2008) * 100:.0f} %, "
            f"bias {res.bias(JB2008) * 100:+.0f} %){fit}")


def drag_page(rows: list[tuple[PeriodResult, dict[str, FitResult]]],
              models: tuple[str, ...] | None = None) -> str:
    """docs/drag.md: the method, the periods, the table and what it says (every figure
    computed here from ``rows``)."""
    from rossim.analysis import drag_explain as _explain  # hook (drag helper, 2026-11-30)

    models = _models_of(rows) if models is None else models
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
           "NRLMSISE-00, NRLMSIS 2.0 and NRLMSIS 2.1 with the historical space weather"
           # hook (JB2008 helper, 2026-11-30): the fourth model where it is installed
           + (", and by JB2008 with Space Environment Technologies' solar and storm indices "
              "where the shipped extracts cover the period (`rossim.environment.jb2008`), "
              if JB2008 in models else ", ")
           # hook (drag helper, 2026-11-30): the configuration sentence lives in drag_explain
           + _explain.CONFIG_SENTENCE + ". Manoeuvres of both signs are found from the "
           "residuals of a fitted "
           "decay (a step against the history's own noise, lowering steps on storm days "
           "(Ap >= 30) left to the atmosphere). The fitted columns fit Cd A/m on the "
           "intervals of the first 42 days and forecast the later ones out of sample "
           "(`rossim decay FILE --fit`)."
           # hook (beta-area helper, 2026-11-30)
           + (" The beta-area columns take each interval's drag area from the Sun-tracking "
              "arrays' projection on the flow (`rossim.analysis.drag_attitude`; below) and fit "
              "a scale on it out of sample." if rows and BETA_FIT in rows[0][1] else ""),
           "",
           "MAE: mean absolute error of predicted over observed loss per interval; bias: the "
           "mean signed error (+: the model predicts too much decay).",
           "",
           format_drag_table(rows, models),
           "",
           "## What the table says",
           ""]
    for res, fits in rows:
        words = ", ".join(f"{m} {res.bias(m) * 100:+.0f} %" for m in models
                          if np.isfinite(res.bias(m)))
        ok_conf = res.mae("msis2.1") <= 0.25
        f = fits.get("msis2.1")
        ok_fit = f is not None and bool(f.forecast) and f.mae <= 0.25
        out.append(f"- {res.name} (F10.7a {res.f107_mean:.0f}): bias {words}; the issue's 25 % "
                   f"with the configuration of the time: {'met' if ok_conf else 'missed'} "
                   f"(MSIS 2.1 {res.mae('msis2.1') * 100:.0f} %); with the fitted Cd A/m out "
                   f"of sample: {'met' if ok_fit else 'missed'}"
                   + (f" ({f.mae * 100:.0f} %)" if f is not None and f.forecast else "")
                   + _jb2008_words(res, fits) + ".")
    out += ["",
            "- Mean over the periods of the MAE with the configuration of the time: "
            + ", ".join(f"{m} {score[m] * 100:.0f} %" + (
                "" if all(np.isfinite(res.mae(m)) for res, _ in rows) else
                f" (on the {sum(1 for res, _ in rows if np.isfinite(res.mae(m)))} periods it "
                "covers)") for m in models)
            + f". The table's choice of default, among the models a run can drive with its "
            f"solar-cycle forecast ({', '.join(RUN_MODELS)}), is **{best}**"
            + (" (JB2008 needs SET's measured EUV indices and storm temperature, which no "
               "forecast of the station's years gives: it validates, it does not fly the run)"
               if JB2008 in models else "") + ".",
            f"- NRLMSIS 2.0 and 2.1 give the same mass density at ISS altitude (largest "
            f"difference of the predicted loss on any interval {same * 100:.1g} %): 2.1 "
            "changed NO and the lower atmosphere, not the thermosphere's mass density.",
            ]
    # hook (drag helper, 2026-11-30): the explanation bullets live in drag_explain
    out += _explain.page_notes(rows, models)
    # hook (JB2008 helper, 2026-11-30): JB2008 and the search for 2021's configuration
    from rossim.analysis import drag_jb2008

    out += drag_jb2008.page_notes(rows, models)
    return "\n".join(out) + "\n"
