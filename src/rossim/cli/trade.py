"""``rossim trade [SCENARIO_A SCENARIO_B] [--json] [--plots DIR]``: the inclination trade study
(default ros-51.6 against ros-97): coverage, beta angle and eclipses, power, crew dose, Angara
A5 payload, reboost delta-v and launch opportunities, side by side."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.table import Table

from rossim.cli._common import check_number, console, print_json
from rossim.config.scenario import load_scenario
from rossim.errors import InputError

#: Alarm subjects of the orbit and its propellant: the table's notes print each one in full
#: (and every critical alarm); the orbit-only run's other warnings (faults drawn by the
#: reliability model) are counted there and listed in full by ``--json``.
ORBIT_SUBJECTS = ("propellant", "orbit", "reentry", "invariant", "command")

#: The figures --plots writes (rossim.report.figures.trade), one output set.
PLOTS = ("trade-beta.png", "trade-metrics.png")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("trade", help="trade study of two scenarios (default ros-51.6 vs ros-97)",
                       description="Compare two scenarios' orbits from the same models: "
                       "coverage of Russia, the Arctic and the Northern Sea Route, beta angle and "
                       "eclipse seasons, power, crew dose per 30-day visit, Angara A5 payload, "
                       "reboost delta-v per year, launch opportunities per month.")
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                   help="two scenario files or shipped names (default: ros-51.6 ros-97)")
    p.add_argument("--days", type=float, default=30.0, help="coverage days, at most 366 (default 30)")
    p.add_argument("--swath-km", type=float, default=200.0,
                   help="instrument swath width, km (default 200)")
    p.add_argument("--no-reboost", action="store_true",
                   help="skip the operations model's reboost delta-v (faster)")
    p.add_argument("--ltan-h", type=float, default=None, metavar="H",
                   help="local mean solar time of the ascending node (h, 0-24) for the "
                        "scenario that sets orbit.ltan_h (the sun-synchronous one; an error "
                        "when neither does)")
    p.add_argument("--plots", metavar="DIR", help="write trade-beta.png and trade-metrics.png")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rossim.analysis.coverage import Instrument
    from rossim.analysis.trade import DEFAULT_PAIR, TABLE_ROWS, table_cell, trade_study
    from rossim.report.figures.trade import write_trade_plots

    names = args.scenarios or list(DEFAULT_PAIR)
    if len(names) != 2:
        raise InputError("argument", "SCENARIO", " ".join(names),
                         "exactly two scenarios, or none for ros-51.6 against ros-97")
    check_number(args.days, "--days", 0.0, 366.0, "days", lo_open=True)
    inst = Instrument(swath_km=args.swath_km)
    if args.plots:
        from rossim.fileio import check_in_the_way, check_output_target

        check_output_target(args.plots, "--plots", folder=True)
        check_in_the_way(args.plots, PLOTS, option="--plots")   # a user's folder: refused now
    scenarios = [load_scenario(n) for n in names]
    if args.ltan_h is not None:
        check_number(args.ltan_h, "--ltan-h", 0.0, 24.0, "h")
        if all(s.orbit.ltan_h is None for s in scenarios):
            raise InputError("argument", "--ltan-h", args.ltan_h,
                             "a scenario that sets orbit.ltan_h (a sun-synchronous orbit, "
                             "whose node it moves); neither "
                             + " nor ".join(s.name for s in scenarios) + " does")
        args.ltan_h = args.ltan_h % 24.0  # 24 h is midnight
    rows = trade_study(scenarios, coverage_days=args.days, instrument=inst,
                       with_reboost=not args.no_reboost, ltan_h=args.ltan_h)
    plots = []
    if args.plots:
        from rossim.fileio import output_set

        # The two figures are one output set: both new or both old.
        with output_set(args.plots, PLOTS, option="--plots") as stage:
            written = write_trade_plots(stage.path, rows)
        plots = [str(Path(args.plots) / Path(p).name) for p in written]
    public = [r.to_dict() for r in rows]
    if args.json:
        print_json(public)  # one object per scenario; plot paths go to stderr
        for p in plots:
            sys.stderr.write(f"wrote {p}\n")
        return 0
    con = console()
    t = Table(title=f"trade study: {rows[0].scenario} against {rows[1].scenario} "
              f"({rows[0].instrument}, coverage over {args.days:g} days)")
    t.add_column("quantity")
    for r in rows:
        t.add_column(r.scenario, justify="right")
    for key, label, fmt in TABLE_ROWS:
        t.add_row(label, *(table_cell(r, key, fmt) for r in rows))
    con.print(t)
    for r in rows:  # the orbit-only run's alarms, each with its cause (a re-entry is a result)
        if r.orbit_outcome not in (None, "completed"):
            con.print(f"[bold red]{r.scenario}: outcome of the orbit-only run: "
                      f"{r.orbit_outcome}[/] at {r.orbit_end}")
        other: dict[str, int] = {}
        for a in r.orbit_alarms:
            if a["severity"] != "critical" and a["subject"] not in ORBIT_SUBJECTS:
                other[a["subject"]] = other.get(a["subject"], 0) + 1
                continue
            con.print(f"{r.scenario}: {a['severity']} alarm {a['time']} {a['subject']}: "
                      f"{a['detail']} (cause: {a['cause']})", markup=False)
        if other:
            n = sum(other.values())
            con.print(f"{r.scenario}: {n} more warning alarm{'' if n == 1 else 's'} of the "
                      "orbit-only run (" + ", ".join(f"{k} {n}" for k, n in sorted(
                          other.items())) + "): --json lists them with their causes",
                      markup=False)
    for p in plots:
        con.print(f"wrote {p}")
    return 0
