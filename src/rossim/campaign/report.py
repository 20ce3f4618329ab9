"""The campaign report: percentiles with confidence intervals, fan charts, sensitivity.

Statistics (all distribution-free):

- percentile ``p`` of a figure over the ``n`` successful runs: numpy's default (linear)
  estimate, with a 90 % confidence interval from the order statistics (the ranks ``k`` with
  ``P(Binomial(n, p) < k)`` at 5 % and 95 %: Conover, *Practical Nonparametric Statistics*,
  3rd ed., 1999, sec. 3.2);
- a percentile is supported by the runs only when at least one run is expected beyond it:
  ``n * min(p, 100 - p) / 100 >= 1`` (:func:`min_runs`: P50 needs 2 runs, P10 and P90 10,
  P5 and P95 20). The number of runs above the true ``p``-th percentile is
  ``Binomial(n, 1 - p/100)`` (the order-statistics argument of Conover, sec. 3.2); with a
  mean under one run the tail is, on average, empty, and the estimate is the most extreme
  run or an interpolation towards it. Such a percentile is kept in the summary, flagged
  ``"supported": false``, and printed "n/a (k runs)" on the console and in the report;
- the "90 % confidence" propellant need is the P90 of propellant per year over the runs;
- daily bands: the 5/50/95 % percentiles, day by day, of the runs' daily values (exact:
  each run stores one float32 per day; the percentiles are taken at the end);
- call-up ships lost at launch (:func:`rossim.campaign.runner.callups_lost`): cargo and
  repair-crew totals over the successful runs and the number of runs with any;
- sensitivity: Spearman rank correlation of every dispersed input (``in_*`` columns, plus the
  derived span-mean F10.7 that the weather draws produce) with every headline figure
  (scipy.stats.spearmanr); ``|rho| > 1.96 / sqrt(n - 1)`` marks a correlation distinguishable
  from zero at 5 %.
"""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np

from rossim.campaign.runner import SERIES, daily_grid
from rossim.campaign.store import CampaignStore
from rossim.fileio import atomic_write_text
from rossim.jsonio import write_json
from rossim.report.figures.campaign import fan_figure, histogram_figure

__all__ = ["HEADLINES", "LOW_TAIL", "CALLUP_COLUMNS", "callup_totals", "console_line",
           "launch_failure_totals", "launch_failure_line", "min_runs", "percentile_text",
           "tail_percentiles", "PERCENTILE_RULE",
           "percentile_ci", "campaign_statistics", "write_campaign_report"]

#: Headline figures of the report: summary key -> (label, unit).
HEADLINES: dict[str, tuple[str, str]] = {
    "propellant_kg_per_year": ("station propellant per year", "kg/yr"),
    "propellant_used_kg": ("station propellant over the span", "kg"),
    "availability": ("availability", "1"),
    "min_battery_soc": ("minimum battery state of charge", "1"),
    "load_shedding_hours": ("load shedding", "h"),
    "crew_dose_max_visit_per_person_mSv": ("largest visit dose per person", "mSv"),
    "crew_dose_collective_person_mSv": ("collective crew dose", "person-mSv"),
    "mean_altitude_km": ("mean altitude", "km"),
    "faults_total": ("faults", "count"),
    "alarms": ("alarms", "count"),
    "crewed_days": ("crewed days", "d"),
}
PERCENTILES = (5, 10, 50, 90, 95)
#: Headlines whose risk is in the low tail (a low value is the bad outcome): the console shows
#: their P10 and P5; every other headline (propellant, dose, shedding, faults) its P90 and P95.
LOW_TAIL = frozenset({"availability", "min_battery_soc", "mean_altitude_km", "crewed_days"})
_DERIVED_INPUTS = ("f107_mean_span_sfu",)
#: The rule of :func:`min_runs`, as written into ``campaign-summary.json`` and the report.
PERCENTILE_RULE = (
    "a percentile P is given only when at least one run is expected beyond it, "
    "n x min(P, 100 - P) / 100 >= 1 (P50: 2 runs, P10 and P90: 10, P5 and P95: 20); the "
    "runs above the true P-th percentile are Binomial(n, 1 - P/100) (order statistics, "
    "Conover 1999, sec. 3.2), so with fewer runs the tail is empty on average and the "
    "figure is the most extreme run, not a percentile")


def min_runs(p: float) -> int:
    """Fewest runs that support the ``p``-th percentile (0-100): the smallest ``n`` with
    ``n * min(p, 100 - p) / 100 >= 1``, at least one run expected beyond it
    (:data:`PERCENTILE_RULE`): 2 for P50, 10 for P10 and P90, 20 for P5 and P95."""
    return max(1, math.ceil(100.0 / min(p, 100.0 - p) - 1e-9))


def tail_percentiles(key: str) -> tuple[int, int]:
    """The risk tail of headline ``key``: (10, 5) where a low value is the bad outcome
    (:data:`LOW_TAIL`), else (90, 95)."""
    return (10, 5) if key in LOW_TAIL else (90, 95)


def percentile_text(cell: dict[str, Any], runs: int | None, fmt) -> str:
    """A percentile ``cell`` of a headline row (``{"value", "supported"}``) as text:
    ``fmt(value)``, or "n/a (k runs)" when the ``runs`` do not support it."""
    if cell.get("supported", True):
        return fmt(cell["value"])
    return f"n/a ({runs} run{'s' if runs != 1 else ''})"


def percentile_ci(x: np.ndarray, p: float, level: float = 0.90
                  ) -> tuple[float, float, float]:
    """``(estimate, low, high)``: the ``p``-th percentile (0-100) of ``x`` and a distribution-
    free ``level`` confidence interval from order statistics (NaN bounds when ``x`` is too
    small for that level)."""
    from scipy.stats import binom

    x = np.sort(np.asarray(x, dtype=float))
    n = x.size
    if n == 0:
        return (math.nan, math.nan, math.nan)
    est = float(np.percentile(x, p))
    q = p / 100.0
    a = (1.0 - level) / 2.0
    lo_k = int(binom.ppf(a, n, q))          # P(B <= lo_k) >= a: x_(lo_k) (1-based) is low
    hi_k = int(binom.ppf(1.0 - a, n, q)) + 1
    low = float(x[lo_k - 1]) if lo_k >= 1 else math.nan
    high = float(x[hi_k - 1]) if hi_k <= n else math.nan
    return est, low, high


def console_line(key: str, row: dict[str, Any]) -> str:
    """One console line for headline ``key`` (a ``headlines`` row of the statistics): the P50
    and the risk tail, P10/P5 where low is bad (:data:`LOW_TAIL`), else P90/P95. A
    percentile the runs do not support (:func:`min_runs`) reads "n/a", and the line ends
    with the runs and how many each such percentile needs."""
    unit = "" if row["unit"] in (None, "", "1") else f" {row['unit']}"  # "1": no unit
    shown = (50, *tail_percentiles(key))
    short = [p for p in shown if not row[f"P{p}"].get("supported", True)]
    if not short:
        return f"  {key}: " + "  ".join(f"P{p} {row[f'P{p}']['value']:.4g}"
                                        for p in shown) + unit
    n = row.get("runs")
    cells = [f"P{p} n/a" if p in short else f"P{p} {row[f'P{p}']['value']:.4g}{unit}"
             for p in shown]
    why = ", ".join(f"P{p} needs {min_runs(p)}" for p in short)
    return f"  {key}: " + "  ".join(cells) + f" ({n} run{'s' if n != 1 else ''}: {why})"


#: Run-summary columns of the cargo call-ups (:mod:`rossim.ops.cargo_callup`, flattened by
#: :func:`rossim.campaign.store.flatten`) summed by :func:`callup_totals`: key -> column.
CALLUP_COLUMNS = {"flown": "logistics.callups.flights",
                  "spare": "logistics.callups.by_reason.spare",
                  "propellant": "logistics.callups.by_reason.propellant",
                  "propellant_gap": "logistics.callups.propellant_by_need.gap",
                  "propellant_plan_end": "logistics.callups.propellant_by_need.plan_end"}


def callup_totals(ok) -> dict[str, int]:
    """Cargo call-ups over the finished runs ``ok`` (a DataFrame of run rows): runs with at
    least one flown, and the sums of :data:`CALLUP_COLUMNS` (flown only; propellant split
    into a gap of the plan and after the plan's last ship with propellant,
    :mod:`rossim.ops.propellant_topup`), ``not_flown`` (ships the run ended before flying, or stood down)
    and ``propellant_topups`` (planned Progress ships given more propellant instead of a
    call-up). A column absent (a campaign from before these fields) counts 0."""
    import json

    def total(col: str) -> int:
        return int(ok[col].fillna(0).sum()) if col in ok else 0

    def listed(col: str) -> int:
        return int(sum(len(json.loads(v)) for v in ok[col] if isinstance(v, str) and v)) \
            if col in ok else 0

    out = {"runs_with_callups": int((ok[CALLUP_COLUMNS["flown"]].fillna(0) > 0).sum())
           if CALLUP_COLUMNS["flown"] in ok else 0}
    out.update({k: total(c) for k, c in CALLUP_COLUMNS.items()})
    out["not_flown"] = listed("logistics.callups.not_flown")
    out["propellant_topups"] = listed("logistics.propellant_topups")
    return out


#: Columns summed by :func:`launch_failure_totals`: the plan's losses drawn before each run
#: (:mod:`rossim.campaign.plan_failures`, inputs) and the stand-downs begun in the runs
#: (:mod:`rossim.ops.launcher_stand_down`, run summary ``logistics.stand_downs``).
LAUNCH_FAILURE_COLUMNS = {"plan_cargo_ships_lost": "in_cargo_ships_lost",
                          "plan_crew_launch_aborts": "in_crew_launch_aborts",
                          "plan_launches_moved": "in_stand_down_slips",
                          "plan_launches_moved_days": "in_stand_down_slip_days",
                          "stand_downs_in_run": "logistics.stand_downs.in_run",
                          "plan_ships_held_in_run": "logistics.stand_downs.ships_held"}


def launch_failure_totals(ok) -> dict[str, float] | None:
    """Launch failures over the finished runs ``ok`` (a DataFrame of run rows): the plan's
    cargo ships lost and crew launches aborted, the planned launches their stand-downs moved
    (count and days in all), the runs with any of these, and the stand-downs begun in the runs
    by a call-up lost or a repair crew aborted with the planned ships they held. None when
    the campaign draws no launch failure (no ``in_cargo_ships_lost`` nor
    ``in_crew_launch_aborts`` column)."""
    cols = {k: c for k, c in LAUNCH_FAILURE_COLUMNS.items() if c in ok}
    if not {"plan_cargo_ships_lost", "plan_crew_launch_aborts"} & set(cols):
        return None
    out: dict[str, float] = {k: 0 for k in LAUNCH_FAILURE_COLUMNS}
    for k, c in cols.items():
        out[k] = float(ok[c].fillna(0).sum())
    plan = [c for k, c in cols.items() if k in ("plan_cargo_ships_lost",
                                                "plan_crew_launch_aborts")]
    out["runs_with_plan_failures"] = int((ok[plan].fillna(0).sum(axis=1) > 0).sum())
    for k in out:
        if k != "plan_launches_moved_days":
            out[k] = int(out[k])
    return out


def launch_failure_line(t: dict[str, float]) -> str:
    """One console line for :func:`launch_failure_totals`."""
    return (f"  launch failures of the plan: {t['plan_cargo_ships_lost']} cargo ships lost, "
            f"{t['plan_crew_launch_aborts']} crew launches aborted (in "
            f"{t['runs_with_plan_failures']} runs); {t['plan_launches_moved']} planned "
            f"launches moved by the rocket's stand-down ({t['plan_launches_moved_days']:.0f} d "
            f"in all); in the runs: {t['stand_downs_in_run']} stand-downs after a call-up "
            f"failure, {t['plan_ships_held_in_run']} planned ships held by them")


def campaign_statistics(store: CampaignStore, runs: int) -> dict[str, Any]:
    """Every number of the report (JSON-able): counts, percentiles with CIs, the alarm
    probability, the sensitivity table and the daily bands."""
    df = store.runs(limit=runs)
    ok = df[df["status"] == "ok"] if len(df) else df
    n_ok = len(ok)
    n_none = int((df["status"] == "no_station").sum()) if len(df) else 0
    stats: dict[str, Any] = {"runs": int(len(df)), "ok": n_ok, "no_station": n_none,
                             "failed": int(len(df) - n_ok - n_none),
                             "percentile_rule": PERCENTILE_RULE, "headlines": {}}
    if len(df):
        failed = df[df["status"] == "failed"]
        stats["failures"] = [{"run": int(r.run), "seed": int(r.seed), "error": r.error}
                             for r in failed.itertuples()][:50]
    for key, (label, unit) in HEADLINES.items():
        if key not in ok or n_ok == 0:
            continue
        x = ok[key].to_numpy(float)
        x = x[np.isfinite(x)]
        row = {"label": label, "unit": unit, "mean": float(np.mean(x)) if x.size else None,
               "runs": int(x.size)}
        for p in PERCENTILES:
            est, lo, hi = percentile_ci(x, p)
            row[f"P{p}"] = {"value": est, "ci90": [lo, hi],
                            "supported": bool(x.size >= min_runs(p)), "min_runs": min_runs(p)}
        stats["headlines"][key] = row
    if n_ok and "alarms" in ok:
        stats["p_any_alarm"] = float(np.mean(ok["alarms"].to_numpy(float) > 0))
        stats["p_alarm_kind"] = {
            c.split(".", 1)[1]: float(np.mean(ok[c].fillna(0.0).to_numpy(float) > 0))
            for c in sorted(ok.columns) if c.startswith("alarm_kinds.")}
    if n_ok:
        stats["callups"] = callup_totals(ok)
    lost = {k: f"callups_lost_at_launch.{k}" for k in ("cargo", "crew")}
    if n_ok and all(c in ok for c in lost.values()):  # ships the runs called up and lost
        cols = ok[list(lost.values())].fillna(0.0).to_numpy(float)
        stats["callups_lost_at_launch"] = {
            **{k: int(cols[:, i].sum()) for i, k in enumerate(lost)},
            "runs": int(np.sum(cols.sum(axis=1) > 0))}
    if n_ok and (lf := launch_failure_totals(ok)) is not None:
        stats["launch_failures"] = lf
    if n_ok and "propellant_kg_per_year" in ok:
        stats["propellant_kg_per_year_90pct"] = stats["headlines"][
            "propellant_kg_per_year"]["P90"]
    # Sensitivity.
    inputs = [c for c in ok.columns if c.startswith("in_")] + [
        c for c in _DERIVED_INPUTS if c in ok.columns]
    sens: dict[str, dict[str, float]] = {}
    if n_ok >= 3:
        from scipy.stats import spearmanr

        for c in inputs:
            xi = ok[c].to_numpy(float)
            if not np.all(np.isfinite(xi)) or np.ptp(xi) == 0:
                continue
            row = {}
            for key in HEADLINES:
                if key not in ok:
                    continue
                y = ok[key].to_numpy(float)
                if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
                    continue
                rho = spearmanr(xi, y).statistic
                row[key] = float(rho)
            sens[c] = row
    stats["sensitivity"] = sens
    stats["significance_threshold"] = 1.96 / math.sqrt(max(n_ok - 1, 1))
    # Daily bands.
    ok_runs = [int(r) for r in ok["run"]] if n_ok else []
    bands = {}
    for name in SERIES:
        arr = store.series(name, ok_runs)
        if arr.size == 0:
            continue
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                q = np.nanpercentile(arr.astype(float), [5, 50, 95], axis=0)
        bands[name] = q
    stats["_bands"] = bands
    return stats


def sensitivity_note(n_ok: int) -> str | None:
    """Why no rank correlation can be told from zero, or ``None``: with ``n_ok`` finished runs
    the 5 % threshold ``1.96 / sqrt(n - 1)`` is at least 1 below 5 runs, which no |rho| can
    exceed (3 runs give rho of +-0.5 or +-1 by chance alone)."""
    threshold = 1.96 / math.sqrt(max(n_ok - 1, 1))
    if threshold < 1.0:
        return None
    need = math.floor(1.96 ** 2) + 2          # smallest n with 1.96 / sqrt(n - 1) < 1
    # no "|rho| would have to exceed 1.39": a correlation never exceeds 1
    return (f"with {n_ok} finished run{'s' if n_ok != 1 else ''} no correlation can be "
            f"detected: too few runs to tell any from chance at 5 %; at least {need} runs "
            "are needed")


def _fmt(v: Any, unit: str = "") -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "n/a"
    if unit == "1":
        return f"{v:.4f}"
    a = abs(v)
    return f"{v:.3g}" if a < 10 else f"{v:,.0f}" if a >= 1000 else f"{v:.1f}"


def _table_cell(h: dict[str, Any], p: int) -> str:
    """One cell of the headline table: the ``p``-th percentile and its 90 % interval, or
    "n/a (k runs)" when the runs do not support it (:func:`min_runs`)."""
    cell, unit = h[f"P{p}"], h["unit"]
    if not cell.get("supported", True):
        return f"<td>{percentile_text(cell, h.get('runs'), str)}</td>"
    return (f"<td>{_fmt(cell['value'], unit)}<br><small>[{_fmt(cell['ci90'][0], unit)}, "
            f"{_fmt(cell['ci90'][1], unit)}]</small></td>")


def _propellant_headline(h: dict[str, Any]) -> str:
    """The report's first figure: propellant per year at 50 % and 90 % confidence, each
    only when the runs support it (:func:`min_runs`)."""
    p50, p90, n = h["P50"], h["P90"], h.get("runs")
    if p90.get("supported", True):
        return (f"<b>Station propellant per year: {_fmt(p50['value'])} kg at 50 % and "
                f"{_fmt(p90['value'])} kg at 90 % confidence</b> (90 % interval of that "
                f"percentile {_fmt(p90['ci90'][0])} to {_fmt(p90['ci90'][1])} kg).")
    at50 = (f"{_fmt(p50['value'])} kg at 50 % confidence" if p50.get("supported", True)
            else f"50 % confidence: {percentile_text(p50, n, str)}")
    return (f"<b>Station propellant per year: {at50}; 90 % confidence: not given</b> "
            f"({n} run{'s' if n != 1 else ''}; a P90 needs at least {min_runs(90)} runs).")


def _img(fig, alt: str) -> str:
    import base64

    from rossim.report.plots import figure_png_bytes

    data = base64.b64encode(figure_png_bytes(fig)).decode()
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def write_campaign_report(store: CampaignStore, scenario, runs: int) -> dict[str, Any]:
    """Write ``campaign.html`` and ``campaign-summary.json`` into the campaign folder and
    return the statistics (see :func:`campaign_statistics`)."""
    stats = campaign_statistics(store, runs)
    bands = stats.pop("_bands")
    spec = store.spec()
    summary = {"scenario": spec.get("scenario"), "campaign_seed": spec.get("campaign_seed"),
               **stats}
    write_json(store.out / "campaign-summary.json", summary, default=float)

    esc = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>rossim campaign: "
             f"{esc(str(spec.get('scenario')))}</title><style>body{{font-family:sans-serif;"
             "max-width:1000px;margin:auto} table{border-collapse:collapse;font-size:13px}"
             " td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
             " td:first-child,th:first-child{text-align:left}</style></head><body>",
             f"<h1>Campaign: {esc(str(spec.get('scenario')))}</h1>",
             f"<p>{stats['runs']} runs (campaign seed {spec.get('campaign_seed')}): "
             f"{stats['ok']} finished, {stats['failed']} failed, {stats['no_station']} without "
             "a station (every module launch lost or late: a physical outcome, left out of the "
             "percentiles below, which are conditional on a station).</p>"]
    prop = stats.get("propellant_kg_per_year_90pct")
    if prop:
        h = stats["headlines"]["propellant_kg_per_year"]
        parts.append(f"<p>{_propellant_headline(h)}</p>")
    if "p_any_alarm" in stats:
        kinds = ", ".join(f"{esc(k)} {v:.3f}" for k, v in stats["p_alarm_kind"].items())
        parts.append(f"<p>Probability of at least one alarm: {stats['p_any_alarm']:.3f}"
                     + (f"; by kind: {kinds}" if kinds else "") + ".</p>")
    cu = stats.get("callups")
    lost = stats.get("callups_lost_at_launch")
    if cu:
        parts.append(
            f"<p>Cargo call-ups flown: {cu['flown']} in {cu['runs_with_callups']} runs"
            + (f", {lost['cargo']} of them lost at launch" if lost else "") +
            f" ({cu['spare']} for a spare, {cu['propellant']} for propellant: "
            f"{cu['propellant_gap']} in a gap of the plan, {cu['propellant_plan_end']} after "
            f"its last ship with propellant); {cu['not_flown']} called but not flown before "
            f"the run's end; {cu['propellant_topups']} planned Progress ships given more "
            "propellant instead of a call-up.</p>")
    if (lf := stats.get("launch_failures")) is not None:
        line = launch_failure_line(lf).strip()
        parts.append(f"<p>{esc(line[0].upper() + line[1:])}.</p>")
    rows = []
    for h in stats["headlines"].values():
        cells = "".join(_table_cell(h, p) for p in PERCENTILES)
        rows.append(f"<tr><td>{esc(h['label'])} ({esc(h['unit'])})</td>{cells}</tr>")
    short = sorted({p for h in stats["headlines"].values() for p in PERCENTILES
                    if not h[f"P{p}"].get("supported", True)})
    note = ("" if not short else
            f"<p><b>Too few runs for {', '.join(f'P{p}' for p in short)}</b> "
            f"({stats['ok']} finished): {esc(PERCENTILE_RULE)}. Their values are kept in "
            "campaign-summary.json, flagged <code>\"supported\": false</code>.</p>")
    parts.append("<h2>Headline figures</h2>" + note + "<table><tr><th>figure</th>"
                 + "".join(f"<th>P{p} [90 % CI]</th>" for p in PERCENTILES) + "</tr>"
                 + "".join(rows) + "</table>")
    sens = stats["sensitivity"]
    if sens:
        keys = [k for k in HEADLINES if any(k in r for r in sens.values())]
        order = sorted(sens, key=lambda c: -abs(sens[c].get("propellant_kg_per_year", 0.0)))
        thr = stats["significance_threshold"]
        body = []
        for c in order:
            cells = []
            for k in keys:
                v = sens[c].get(k)
                txt = "" if v is None else (f"<b>{v:+.2f}</b>" if abs(v) > thr else f"{v:+.2f}")
                cells.append(f"<td>{txt}</td>")
            body.append(f"<tr><td>{esc(c)}</td>{''.join(cells)}</tr>")
        note = sensitivity_note(stats["ok"])
        legend = (f"{esc(note[0].upper() + note[1:])}: none is bold." if note else
                  f"Bold: |rho| &gt; {thr:.2f} (distinguishable from 0 at 5 %).")
        parts.append("<h2>What drives them (Spearman rank correlation)</h2>"
                     f"<p>{legend} Rows by "
                     "influence on propellant per year.</p><table><tr><th>input</th>"
                     + "".join(f"<th>{esc(k)}</th>" for k in keys) + "</tr>"
                     + "".join(body) + "</table>")
    if bands:
        parts.append("<h2>Daily bands (5, 50, 95 %)</h2>")
        parts.append(_img(fan_figure(daily_grid(scenario), bands, SERIES), "fan charts"))
    df = store.runs(limit=runs)
    ok = df[df["status"] == "ok"] if len(df) else df
    hist_keys = [k for k in ("propellant_kg_per_year", "availability", "min_battery_soc",
                             "crew_dose_max_visit_per_person_mSv") if k in ok]
    if len(ok) and hist_keys:
        parts.append("<h2>Distributions</h2>"
                     + _img(histogram_figure(ok, hist_keys, HEADLINES,
                                             {k: tail_percentiles(k) for k in hist_keys},
                                             min_runs), "histograms"))
    if stats.get("failures"):
        parts.append("<h2>Failed runs</h2><table><tr><th>run</th><th>seed</th><th>error</th>"
                     "</tr>" + "".join(f"<tr><td>{f['run']}</td><td>{f['seed']}</td><td>"
                                       f"{esc(str(f['error']))}</td></tr>"
                                       for f in stats["failures"]) + "</table>")
    parts.append("<p>Method: docs/campaigns.md. Data: runs/*.parquet (one row per run), "
                 "campaign.duckdb (views runs, series).</p></body></html>")
    atomic_write_text(store.out / "campaign.html", "\n".join(parts))
    return summary
