"""``rossim decay FILE [--fit] [--fit-days D] [--model M] [--start DATE] [--end DATE]
[--mass KG --area M2 --cd CD] [--table] [--json]``: a TLE/OMM history's manoeuvres (both signs)
and its observed decay between them, against the decay predicted by NRLMSISE-00, MSIS 2.0 and
MSIS 2.1 with the vehicle's ballistic data (for the ISS, by default the configuration of each
date, ``rossim/data/iss/configurations.toml``); with ``--fit`` an effective ballistic
coefficient fitted on the first weeks and the rest forecast out of sample. ``--table`` prints
the drag table over the shipped ISS periods (docs/drag.md)."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
from rich.table import Table

from rossim.cli._common import console, print_json, refuse_unused
from rossim.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("decay", help="observed against predicted decay of a TLE history; "
                       "fitted ballistic coefficient",
                       description="Manoeuvres of either sign in a TLE/OMM history, the "
                       "observed altitude loss between them and the loss predicted with "
                       "NRLMSISE-00, MSIS 2.0 and MSIS 2.1 and the historical space weather. "
                       "--fit fits an effective ballistic coefficient Cd*A/m on the first "
                       "weeks and forecasts the later intervals out of sample.")
    p.add_argument("file", nargs="?", help="TLE file (2 or 3 lines per set) or OMM "
                   "(.json/.xml/.csv/.kvn) of one object")
    p.add_argument("--fit", action="store_true",
                   help="fit Cd*A/m on the first --fit-days and forecast the rest")
    p.add_argument("--fit-days", type=float, default=None,
                   help="span of the fit from the first interval's start, 1-3650 days "
                        "(default 42; with --fit or --table)")
    p.add_argument("--model", choices=["nrlmsise00", "msis2.0", "msis2.1", "jb2008"],
                   default=None,
                   help="atmosphere model of the --fit (default msis2.1; jb2008 needs the "
                        "optional extra and a history inside its shipped indices, and adds "
                        "its column without --fit too)")
    p.add_argument("--start", help="first UTC date of the span to use (default: all)")
    p.add_argument("--end", help="last UTC date of the span to use (default: all)")
    p.add_argument("--mass", type=float, help="vehicle mass, kg (with --area and --cd; "
                   "default: the ISS configuration of each date)")
    p.add_argument("--area", type=float, help="drag area, m^2")
    p.add_argument("--cd", type=float, help="drag coefficient")
    p.add_argument("--step", type=float, default=120.0,
                   help="integration step of the predicted decay, 10-600 s (default 120)")
    p.add_argument("--table", action="store_true",
                   help="the drag page over the shipped ISS periods (Markdown, docs/drag.md)")
    p.add_argument("--data", default=None,
                   help="folder of the ISS histories of --table (default tests/data/iss)")
    p.add_argument("-o", "--out", metavar="FILE",
                   help="with --table: write the page to FILE (atomically) instead of printing")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.set_defaults(func=run)


def _date(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    from astropy.time import Time

    try:
        return Time(text, scale="utc").isot
    except ValueError:
        raise InputError("argument", option, text, "a UTC date such as 2023-01-31") from None


def _span(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """``--start`` and ``--end`` as ISO dates; the end after the start."""
    from astropy.time import Time

    start, end = _date(args.start, "--start"), _date(args.end, "--end")
    if start is not None and end is not None and Time(end) <= Time(start):
        raise InputError("argument", "--end", args.end,
                         f"a date after --start {args.start} (--end is the last date of the "
                         "span to use, --start the first)",
                         problem="before --start" if Time(end) < Time(start)
                         else "the same as --start")
    return start, end


def _check_span_in_file(args: argparse.Namespace, tles, start, end, path: Path) -> None:
    """``--start`` before the file's last element set and ``--end`` after its first."""
    from astropy.time import Time

    jd = [t.satrec.jdsatepoch + t.satrec.jdsatepochF for t in tles]
    if not jd:
        return
    first, last = (Time(x, format="jd", scale="utc") for x in (min(jd), max(jd)))
    held = f"{path.name} holds element sets from {first.isot[:16]} to {last.isot[:16]} UTC"
    if start is not None and Time(start) >= last:
        raise InputError("argument", "--start", args.start, f"a date before the file's last "
                         f"element set ({held})")
    if end is not None and Time(end) <= first:
        raise InputError("argument", "--end", args.end, f"a date after the file's first "
                         f"element set ({held})")


def _refuse_unused(args: argparse.Namespace) -> None:
    """Options this use of ``decay`` would not read: the table runs the shipped ISS periods
    with their own configurations and the fit span; a history's --fit-days and --model act on
    the --fit (--model jb2008 also adds its column)."""
    if args.table:
        refuse_unused({"file": args.file, "--start": args.start, "--end": args.end,
                       "--mass": args.mass, "--area": args.area, "--cd": args.cd,
                       "--fit": args.fit, "--model": args.model},
                      "no history options with --table (it runs the shipped ISS periods, each "
                      "with its configuration, fit and forecast)")
        return
    refuse_unused({"--data": args.data, "--out": args.out},
                  "--table with it (the option of the drag table)")
    if not args.fit:
        refuse_unused({"--fit-days": args.fit_days}, "--fit with it (the span of the fit)")
        if args.model != "jb2008":
            refuse_unused({"--model": args.model}, "--fit with it (the model of the fit; "
                          "without --fit every MSIS model is compared, and jb2008 adds its "
                          "column)")


def _about_the_file(exc: InputError, path: Path, args: argparse.Namespace) -> InputError:
    """A library error about the history (``tles``, ``jd``: Python parameters) as one about
    the file the user gave, in its words; other errors unchanged."""
    if exc.where is not None or exc.field not in ("tles", "jd"):
        return exc
    where = str(path)
    if exc.field == "jd":
        return InputError(where, "distinct element set epochs", exc.value, exc.expected)
    if isinstance(exc.value, int):
        return InputError(where, "element sets", exc.value, exc.expected)
    if isinstance(exc.value, list):
        return InputError(where, "catalogue numbers", exc.value, exc.expected)
    span = (f"between --start {args.start} and --end {args.end}" if args.start and args.end
            else f"from --start {args.start}" if args.start
            else f"up to --end {args.end}" if args.end else "in the file")
    return InputError(where, None, None, exc.expected.replace("in the chosen span", span),
                      problem="none found")


def run(args: argparse.Namespace) -> int:
    from rossim.analysis import drag_validation as dv

    if not (math.isfinite(args.step) and 10.0 <= args.step <= 600.0):
        raise InputError("argument", "--step", args.step, "a step from 10 to 600 s")
    if args.fit_days is not None and not (math.isfinite(args.fit_days)
                                          and 1.0 <= args.fit_days <= 3650.0):
        raise InputError("argument", "--fit-days", args.fit_days, "a number of days from 1 "
                         "to 3650")
    _refuse_unused(args)   # after each value's own check: the value is wrong first
    if args.fit_days is None:
        args.fit_days = 42.0
    if args.model is None:
        args.model = "msis2.1"
    start, end = _span(args)
    if args.out:
        from rossim.fileio import check_output_target

        check_output_target(args.out, "--out")
    if args.table:
        data = Path(args.data) if args.data else Path("tests") / "data" / "iss"
        if not data.is_dir():
            raise InputError("argument", "--data", str(data), "a folder holding the ISS "
                             "histories of rossim.analysis.drag_validation.PERIODS")
        rows = dv.drag_table(data, step_s=args.step, fit_days=args.fit_days)
        if args.json:
            print_json([_period_json(res, fits) for res, fits in rows])
        elif args.out:
            from rossim.fileio import atomic_write_text

            atomic_write_text(args.out, dv.drag_page(rows))
        else:
            print(dv.drag_page(rows), end="")
        return 0
    if not args.file:
        raise InputError("argument", "file", None, "a TLE or OMM history file (or --table)")
    opts = {"--mass": args.mass, "--area": args.area, "--cd": args.cd}
    missing = [k for k, v in opts.items() if v is None]
    if 0 < len(missing) < 3:
        raise InputError("argument", missing[0], "not given",
                         f"all three of --mass/--area/--cd or none (given: "
                         f"{', '.join(k for k in opts if k not in missing)})")
    for opt, val in (("--mass", args.mass), ("--area", args.area), ("--cd", args.cd)):
        if val is not None and not (math.isfinite(val) and val > 0):
            raise InputError("argument", opt, val, "a positive number")
    path = Path(args.file)
    if not path.is_file():
        raise InputError("argument", "file", args.file, "an existing TLE or OMM file",
                         problem="a folder" if path.is_dir() else "not found")
    tles = dv._read(path)
    _check_span_in_file(args, tles, start, end, path)
    models = dv.MODELS + (("jb2008",) if args.model == "jb2008" else ())
    if args.model == "jb2008" and "jb2008" not in dv.table_models():
        raise InputError("argument", "--model", "jb2008", "pyatmos installed (pip install "
                         "rossim[jb2008])")
    try:
        res = dv.validate_history(tles, name=path.name, start=start, end=end,
                                  step_s=args.step, models=models)
    except InputError as exc:
        raise _about_the_file(exc, path, args) from None
    if args.model == "jb2008" and not all(np.isfinite(iv.per_b_km["jb2008"])
                                          for iv in res.intervals):
        raise InputError("argument", "--model", "jb2008", "a history inside the shipped JB2008 "
                         "indices (2021-01-01 to 2022-03-06, 2023-01-01 to 2023-05-05; "
                         "rossim/data/jb2008/README.md), or --start/--end within them")
    if not missing:
        conf = dv.IssConfiguration("user", "", args.mass, args.area, args.cd, "user",
                                   "command line")
        res.configurations = [conf] * len(res.intervals)
    fit = dv.fit_ballistic(res, args.model, args.fit_days) if args.fit else None
    if args.json:
        out = _period_json(res, {args.model: fit} if fit else {})
        print_json(out)
        return 0
    _print(res, fit)
    return 0


def _period_json(res, fits) -> dict:
    models = list(res.intervals[0].per_b_km)
    return {
        "name": res.name,
        "f107a_mean_sfu": res.f107_mean,
        "manoeuvres": [{"start": m.start, "delta_km": m.delta_km, "sign": m.sign,
                        "significance": m.significance} for m in res.manoeuvres],
        "intervals": [{"start": iv.start, "days": iv.days, "observed_km": iv.observed_km,
                       "configuration": c.name, "ballistic_m2_kg": c.ballistic_m2_kg,
                       "predicted_km": {m: iv.per_b_km[m] * c.ballistic_m2_kg for m in models},
                       "predicted_per_ballistic_km_kg_m2": dict(iv.per_b_km)}
                      for iv, c in zip(res.intervals, res.configurations, strict=True)],
        "mae": {m: res.mae(m) for m in models},
        "bias": {m: res.bias(m) for m in models},
        "fit": {m: None if f is None else {
            "model": f.model, "fit_days": f.fit_days, "ballistic_m2_kg": f.ballistic_m2_kg,
            "intervals_fitted": f.n_fit,
            "forecast": [{"start": iv.start, "days": iv.days, "error": e}
                         for iv, e in f.forecast],
            "mae_out_of_sample": None if not f.forecast else f.mae} for m, f in fits.items()},
    }


def _print(res, fit) -> None:
    models = list(res.intervals[0].per_b_km)
    con = console()
    t = Table(title=f"Manoeuvres in {res.name}")
    for c in ("start (UTC)", "change (km)", "kind"):
        t.add_column(c)
    for m in res.manoeuvres:
        t.add_row(m.start, f"{m.delta_km:+.3f}", m.sign)
    con.print(t)
    t = Table(title="Observed against predicted loss between manoeuvres (configuration of the "
              "time)")
    for c in ["start", "days", "observed (km)", "Cd A/m (m^2/kg)"] + [f"{m} pred/obs"
                                                                     for m in models]:
        t.add_column(c)
    for k, (iv, c) in enumerate(zip(res.intervals, res.configurations, strict=True)):
        t.add_row(iv.start, f"{iv.days:.1f}", f"{iv.observed_km:.3f}",
                  f"{c.ballistic_m2_kg:.5f} ({c.name})",
                  *[f"{res.ratios(m)[k]:.2f}" for m in models])
    con.print(t)
    for m in models:
        b = res.bias(m)
        con.print(f"{m}: mean absolute error {res.mae(m) * 100:.1f} %, bias {b * 100:+.1f} % "
                  f"({'over' if b > 0 else 'under'}-predicts the decay)")
    if fit is not None:
        con.print(f"fitted Cd A/m ({fit.model}, first {fit.fit_days:g} days, {fit.n_fit} "
                  f"interval(s)): {fit.ballistic_m2_kg:.5f} m^2/kg")
        if not fit.forecast:
            con.print("no interval after the fit span to forecast")
        for iv, e in fit.forecast:
            con.print(f"  forecast {iv.start} ({iv.days:.1f} d): error {e * 100:+.1f} %")
        if fit.forecast:
            con.print(f"out-of-sample mean absolute error {fit.mae * 100:.1f} % on "
                      f"{len(fit.forecast)} interval(s)")
