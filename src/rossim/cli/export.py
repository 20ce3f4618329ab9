"""``rossim export RUN --czml FILE [--start DATE] [--days D] [--step S] [--scenario SCEN]``:
the run in 3D for Cesium (CZML): the station along its flown orbit, its ships and, with the
scenario at hand, its free-flyers (:mod:`rossim.report.czml`)."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from rossim.cli._common import console, parse_date
from rossim.errors import InputError
from rossim.fileio import settle_output_set


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a run for other tools (CZML for Cesium)",
                       description="Export a run archive: --czml writes the station along its "
                       "flown orbit, the ships docked to it and the free-flyer family as CZML.")
    p.add_argument("run", help="a run folder (from `rossim run --out`) or its archive.duckdb")
    p.add_argument("--czml", metavar="FILE", required=True, help="CZML file to write (.czml)")
    p.add_argument("--start", metavar="DATE", help="first epoch of the scene (default: run start)")
    p.add_argument("--days", type=float, metavar="D",
                   help="length of the scene in days (default: the whole run)")
    p.add_argument("--step", type=float, default=300.0, metavar="S",
                   help="sample step in seconds, 10 to 3600 (default 300; Cesium interpolates)")
    p.add_argument("--scenario", metavar="SCENARIO",
                   help="the run's scenario, for the free-flyers (default: the file the run "
                        "recorded, if it is still there)")
    p.set_defaults(func=run)


def _archive(path: str) -> Path:
    p = Path(path)
    if p.is_dir():
        settle_output_set(p, option="run")  # a run killed mid-commit: finish it
        p = p / "archive.duckdb"
    if not p.is_file():
        raise InputError("argument", "run", path,
                         "a run folder holding archive.duckdb, or an archive file")
    from rossim.archive.store import is_complete

    if not is_complete(p):
        raise InputError("argument", "run", str(p), "a complete rossim run archive")
    return p


def _released(archive: Path) -> int:
    """Free-flyers the run released (its archive's ``free_flyers`` table)."""
    import duckdb

    con = duckdb.connect(str(archive), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM free_flyers").fetchone()[0])
    except duckdb.Error:   # an archive of before the table
        return 0
    finally:
        con.close()


def run(args: argparse.Namespace) -> int:
    from rossim.config.scenario import load_scenario
    from rossim.config.scenario_ref import find_recorded_scenario
    from rossim.fileio import check_output_target
    from rossim.report.czml import export_czml, read_run

    if not args.czml.lower().endswith(".czml"):
        raise InputError("argument", "--czml", args.czml, "a file name ending in .czml")
    if not (math.isfinite(args.step) and 10.0 <= args.step <= 3600.0):
        raise InputError("argument", "--step", args.step, "a step from 10 to 3600 s")
    if args.days is not None and not (math.isfinite(args.days) and 0 < args.days <= 36600):
        raise InputError("argument", "--days", args.days, "a number of days in (0, 36600]")
    archive = _archive(args.run)
    check_output_target(args.czml, "--czml", inputs=[archive])
    start = parse_date(args.start, "--start") if args.start else None
    scenario = None
    info = read_run(archive)["info"]
    recorded = info.get("scenario_file")
    if args.scenario:
        scenario = load_scenario(args.scenario)
        if info.get("scenario") and scenario.name != info["scenario"]:
            # another plan's free-flyers would be drawn around this run's station
            raise InputError("argument", "--scenario", args.scenario,
                             f"the run's own scenario, named {info['scenario']!r} (this file "
                             f"is {scenario.name!r})")
    elif (found := find_recorded_scenario(recorded, archive)) is not None:
        scenario = load_scenario(found)
    try:
        out = export_czml(archive, args.czml, step_s=args.step, start=start, days=args.days,
                          scenario=scenario)
    except InputError as exc:   # the library shows the parsed date: show it as typed
        if exc.where == "argument" and exc.field in ("start", "--start") and args.start:
            raise InputError("argument", "--start", args.start, exc.expected,
                             problem=exc.problem) from None
        raise
    if scenario is None and _released(archive):   # say why the family is missing
        sys.stderr.write(f"rossim: note: free-flyers left out: the run's scenario file "
                         f"{recorded or '(not recorded)'} is not found from here; give "
                         "--scenario FILE to draw them\n")
    console().print(f"wrote {out['output']}: {out['samples']:,} samples, {out['ships']} ships, "
                    f"{out['free_flyers']} free-flyers, {out['bytes'] / 1e6:.1f} MB")
    return 0
