"""``rossim coverage [SCENARIO] [--days N] [--json] [--maps DIR]``: Earth-observation coverage
of Russia, its Arctic zone and the Northern Sea Route from an instrument on the station."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from rich.table import Table

from rossim.cli._common import (
    SUN_END,
    check_number,
    check_window,
    console,
    parse_date,
    print_json,
)
from rossim.config.scenario import load_scenario
from rossim.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("coverage", help="Earth-observation coverage of Russia, the Arctic "
                       "and the Northern Sea Route (table, JSON, PNG maps)",
                       description="Coverage of regions by a nadir-looking instrument on the "
                       "station over N days: share of area seen, revisit time, passes, "
                       "daylight passes, highest latitude seen.")
    p.add_argument("scenario", nargs="?", default=None,
                   help="scenario TOML file or shipped scenario name (default: ros-51.6)")
    p.add_argument("--days", type=float, default=30.0, help="days simulated, at most 366 (default 30)")
    p.add_argument("--from", dest="start", metavar="DATE",
                   help="start (UTC; default: the scenario's span start); the --days from it "
                   "inside the scenario's span")
    p.add_argument("--swath-km", type=float, default=None,
                   help="full swath width, km (default 200 when --fov-deg is not given)")
    p.add_argument("--fov-deg", type=float, default=None,
                   help="full field of view, deg (0-180), instead of a swath")
    p.add_argument("--min-sun-deg", type=float, default=None,
                   help="count only samples with the Sun at least this high (optical imaging)")
    p.add_argument("--region", action="append", default=None, metavar="NAME|FILE",
                   help="russia, arctic, nsr or a GeoJSON polygon file (repeatable; default "
                   "all three shipped regions)")
    p.add_argument("--grid-deg", type=float, default=0.1, help="grid step, 0.01-5 deg (default 0.1)")
    p.add_argument("--step-s", type=float, default=10.0, help="track step, 1-600 s (default 10)")
    p.add_argument("--maps", metavar="DIR", help="write one PNG map per region into DIR")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run)


def instrument_from_args(args: argparse.Namespace):
    from rossim.analysis.coverage import Instrument

    if args.fov_deg is not None and args.swath_km is not None:
        raise InputError("argument", "--fov-deg", args.fov_deg,
                         "either --fov-deg or --swath-km, not both")
    if args.fov_deg is not None:
        return Instrument(swath_km=None, fov_deg=args.fov_deg,
                          min_sun_elevation_deg=args.min_sun_deg)
    return Instrument(swath_km=200.0 if args.swath_km is None else args.swath_km,
                      min_sun_elevation_deg=args.min_sun_deg)


def safe_file_name(name: str) -> str:
    """``name`` usable as one file name: path separators, control characters and a leading
    dot replaced by ``_``, at most 200 bytes."""
    clean = "".join("_" if (c in "/\\" or not c.isprintable()) else c for c in name)
    clean = "_" + clean[1:] if clean.startswith(".") else clean
    while len(clean.encode()) > 200:
        clean = clean[:-5] + clean[-4:]
    return clean


def _check_inside_span(scenario, start, args: argparse.Namespace) -> None:
    """The ``--days`` from ``--from`` (default the span start) end by the scenario's span end:
    else one line naming the option to change, the end and the most days that fit."""
    import datetime as dt

    span = scenario.span
    t0 = start or span.start
    stop = t0 + dt.timedelta(days=args.days)
    if stop <= span.end:
        return
    room = math.floor(round((span.end - t0).total_seconds() / 86.4, 6)) / 1000.0
    origin = f"--from {args.start}" if start else f"the scenario's start {span.start.date()}"
    raise InputError("argument", "--days", args.days,
                     f"at most {room:g} days from {origin} (the scenario {scenario.name}'s "
                     f"span ends {span.end.date()})",
                     problem=f"the window would end {stop:%Y-%m-%d %H:%M} UTC")


def run(args: argparse.Namespace) -> int:
    from rossim.analysis.coverage import scenario_coverage
    from rossim.analysis.regions import load_region, region_grid
    from rossim.report.figures.coverage import write_coverage_png

    check_number(args.days, "--days", 0.0, 366.0, "days", lo_open=True)
    check_number(args.grid_deg, "--grid-deg", 0.01, 5.0, "deg")
    check_number(args.step_s, "--step-s", 1.0, 600.0, "s")
    inst = instrument_from_args(args)
    if args.maps:
        from rossim.fileio import check_output_target

        check_output_target(args.maps, "--maps", folder=True)
    scenario = load_scenario(args.scenario)
    regions = tuple(dict.fromkeys(args.region or ("russia", "arctic", "nsr")))  # each once
    for r in regions:   # bad region files, or a region the grid misses, fail before the
        region_grid(load_region(r), args.grid_deg)   # long computation (the grid is cached)
    if args.maps:
        from rossim.fileio import check_in_the_way

        # File names are built from the scenario name: keep them plain (no "/", no leading
        # dot). A folder or link of the user's at one of them is refused before the work.
        map_names = [safe_file_name(f"coverage-{scenario.name}-{Path(key).stem}.png")
                     for key in regions]
        check_in_the_way(args.maps, map_names, option="--maps")
    start = parse_date(args.start, "--from", data=True) if args.start else None
    if start is not None:
        check_window(start, "--from", args.start, args.days, end=SUN_END,
                     why="the Sun's ephemeris, DE421, 1900-2050")
        # like `launch --from`: the station flies the scenario's orbit inside its span only
        span = scenario.span
        if not span.start <= start < span.end:
            raise InputError("argument", "--from", args.start,
                             f"a date inside the scenario span {span.start.date()} .. "
                             f"{span.end.date()}")
    _check_inside_span(scenario, start, args)
    out = scenario_coverage(scenario, days=args.days, start=start, regions=regions,
                            instrument=inst, step_s=args.step_s, step_deg=args.grid_deg)
    results = out.pop("results")
    if args.maps:
        from rossim.fileio import output_set

        folder = Path(args.maps)
        # The maps are one output set: all new or all old (rossim.fileio.output_set).
        names = map_names
        out["maps"] = []
        title_name = scenario.name.replace("$", r"\$")  # not matplotlib mathtext
        with output_set(folder, names, option="--maps") as stage:
            for name, res in zip(names, results, strict=True):
                write_coverage_png(stage / name, res, title=f"{title_name}: {res.region}, "
                                   f"{res.covered_pct:.1f} % seen in {res.days:g} d "
                                   f"({res.instrument})")
                out["maps"].append(str(folder / name))
    if args.json:
        print_json(out)
        return 0
    con = console()
    t = Table(title=f"{scenario.name}: {out['altitude_km']:g} km x {out['inclination_deg']:g} "
              f"deg, {out['instrument']}, {out['days']:g} days from {out['start']:%Y-%m-%d}")
    for col in ("region", "area km^2", "seen %", "seen in 1 / 3 / 7 d %", "mean revisit h",
                "worst revisit h", "passes", "daylight passes", "highest lat seen"):
        t.add_column(col)
    for r in out["regions"]:
        by = r["covered_by_day_pct"]
        pick = " / ".join(f"{by[d - 1]:.0f}" if len(by) >= d else "-" for d in (1, 3, 7))
        t.add_row(r["region"], f"{r['area_km2']:,}", f"{r['covered_pct']:.1f}", pick,
                  "-" if r["mean_revisit_h"] is None else f"{r['mean_revisit_h']:.1f}",
                  "-" if r["worst_revisit_h"] is None else f"{r['worst_revisit_h']:.0f}",
                  str(r["passes"]), str(r["daylight_passes"]),
                  "-" if r["max_latitude_seen_deg"] is None
                  else f"{r['max_latitude_seen_deg']:.1f}")
    con.print(t)
    con.print(f"highest latitude in view: {out['max_latitude_seen_deg']:.2f} deg "
              f"(geometric limit {out['max_latitude_limit_deg']:.2f} deg)")
    for m in out.get("maps", []):
        con.print(f"wrote {m}")
    return 0
