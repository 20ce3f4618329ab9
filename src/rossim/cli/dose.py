"""``rossim dose``: crew radiation dose for an ad hoc circular orbit or a scenario's crews.

* ``rossim dose --altitude KM --inclination DEG [--days N] [--shielding G_CM2] [--date DATE]``:
  mean dose rates along the orbit, split by source, plus periodic-versus-continuous crew dose.
* ``rossim dose [SCENARIO]``: every crewed visit of the scenario (per person and collective),
  the limits (worst case: one person on the most-dosed sequence of visits that do not
  overlap), and periodic versus continuous crews per year (the continuous crew: the most aboard
  at once that year).
* ``--map FILE.png`` writes a world map of the dose rate at the orbit's altitude.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from typing import Any

from rich.table import Table

from rossim.cli._common import (
    check_window,
    console,
    parse_date,
    print_json,
    refuse_unused,
)
from rossim.errors import InputError
from rossim.results import VisitDose


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "dose", help="crew radiation dose (trapped belts, GCR, SPE) for an orbit or a scenario",
        description="Crew radiation dose along a circular orbit (--altitude/--inclination) or "
        "for the crewed visits of a scenario: absorbed dose (mGy/day) and dose equivalent "
        "(mSv/day) by source behind aluminium shielding, limits, periodic versus continuous "
        "crews.")
    p.add_argument("scenario", nargs="?", default=None,
                   help="scenario TOML file or shipped scenario name (default: ros-51.6 when "
                   "no --altitude/--inclination is given)")
    p.add_argument("--altitude", type=float, metavar="KM", help="circular orbit altitude, km")
    p.add_argument("--inclination", type=float, metavar="DEG", help="inclination, deg")
    p.add_argument("--days", type=float, default=None, metavar="N",
                   help="days of orbit to average over, at most 366 (default 30; an orbit "
                   "only)")
    p.add_argument("--shielding", type=float, default=None, metavar="G_CM2",
                   help="aluminium areal density, g/cm^2 (default 20 for an orbit; the "
                   "module mix for a scenario)")
    p.add_argument("--date", metavar="DATE", default=None,
                   help="start date (UTC) for an orbit: sets solar activity (default: 2028-01-01, "
                   "fixed so that the figures do not change from day to day; an orbit only)")
    p.add_argument("--step", type=float, default=60.0, metavar="S",
                   help="time step along the orbit, s (default 60)")
    p.add_argument("--solar", choices=("auto", "min", "max"), default=None,
                   help="AE-8/AP-8 version (default auto: each UTC day's from its F10.7; an "
                   "orbit or --map)")
    p.add_argument("--spe", metavar="DATE", action="append", default=[],
                   help="add a solar particle event (King 1972 spectrum, 2 days) starting at DATE, "
                   "inside the averaging window (an orbit) or the scenario's span")
    p.add_argument("--crew", type=int, default=None, metavar="N",
                   help="crew size for the periodic-vs-continuous study of an orbit, 1-8 (default "
                   "2; a scenario's crews come from its visits)")
    p.add_argument("--visits-per-year", type=int, default=None, metavar="K",
                   help="periodic visits per year of an orbit's study, 1-366 (default 2)")
    p.add_argument("--visit-days", type=float, default=None, metavar="D",
                   help="length of a periodic visit of an orbit's study, days (default 30)")
    p.add_argument("--map", metavar="FILE.png", help="write a world map of the dose rate (PNG)")
    p.add_argument("--map-shielding", type=float, default=None, metavar="G_CM2",
                   help="shielding of the --map, g/cm^2 (default 1: thin, as outside a module, so "
                   "that the outer-belt electron horns show next to the South Atlantic Anomaly)")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.set_defaults(func=run)


#: The orbit study's options and their defaults (None in the parser: given or not is seen).
_ORBIT_DEFAULTS = {"days": 30.0, "crew": 2, "visits_per_year": 2, "visit_days": 30.0}


def _check(args: argparse.Namespace) -> None:
    from rossim.environment.radiation.shielding import check_shielding

    def bad(option: str, value: Any, expected: str) -> None:
        raise InputError("argument", option, value, expected)

    if args.altitude is None and args.inclination is None:   # a scenario's crews
        refuse_unused({"--days": args.days, "--date": args.date, "--crew": args.crew,
                       "--visits-per-year": args.visits_per_year,
                       "--visit-days": args.visit_days},
                      "--altitude and --inclination with it (an option of the orbit study: "
                      "a scenario's visits set its crews, dates and days)")
        if not args.map:
            refuse_unused({"--solar": args.solar}, "--altitude and --inclination, or --map, "
                          "with it (a scenario's dose takes each day's AE-8/AP-8 from its "
                          "F10.7)")
    if args.map is None:
        refuse_unused({"--map-shielding": args.map_shielding},
                      "--map with it (the shielding of the map)")
    for name, default in _ORBIT_DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, default)
    if args.solar is None:
        args.solar = "auto"
    if args.map_shielding is None:
        args.map_shielding = 1.0

    if args.altitude is not None and not (math.isfinite(args.altitude)
                                          and 100.0 <= args.altitude <= 2000.0):
        bad("--altitude", args.altitude, "an altitude between 100 and 2000 km")
    if args.inclination is not None and not (math.isfinite(args.inclination)
                                             and 0.0 <= args.inclination <= 180.0):
        bad("--inclination", args.inclination, "an inclination between 0 and 180 deg")
    if not (math.isfinite(args.days) and 0 < args.days <= 366):
        bad("--days", args.days, "a positive number of days, at most 366 (memory grows with "
            "the span)")
    if args.shielding is not None:
        check_shielding(args.shielding, "--shielding")
    if not (math.isfinite(args.step) and 1.0 <= args.step <= 3600.0):
        bad("--step", args.step, "a step between 1 and 3600 s")
    if not 1 <= args.crew <= 8:
        bad("--crew", args.crew, "1 to 8 (the scenario schema's crew limit)")
    if not 1 <= args.visits_per_year <= 366:
        bad("--visits-per-year", args.visits_per_year, "1 to 366")
    if not (math.isfinite(args.visit_days) and 0 < args.visit_days * args.visits_per_year <= 366):
        bad("--visit-days", args.visit_days, "visits that fit in a year")
    check_shielding(args.map_shielding, "--map-shielding")
    if args.map and not args.map.lower().endswith(".png"):
        bad("--map", args.map, "a file name ending in .png")
    if args.map:
        from rossim.fileio import check_output_target

        check_output_target(args.map, "--map", inputs=[args.scenario])
    if (args.altitude is None) != (args.inclination is None):
        bad("--altitude/--inclination", args.altitude if args.inclination is None
            else args.inclination, "both --altitude and --inclination (or neither)")
    if args.altitude is not None and args.scenario is not None:
        bad("scenario", args.scenario, "either a scenario or --altitude/--inclination, not both")


def _spe(args: argparse.Namespace, start: dt.datetime, end: dt.datetime, window: str,
         move: str = "") -> tuple:
    """The ``--spe`` events; each must overlap ``start`` .. ``end``, the orbit's averaging
    window or the scenario's span (``window`` names it, ``move`` says how to move it): an
    event outside it adds no dose."""
    from rossim.environment.radiation.spe import SolarParticleEvent

    out = []
    for text in args.spe:
        ev = SolarParticleEvent(parse_date(text, "--spe"))
        if any(e.start == ev.start for e in out):   # one event, not twice its dose
            raise InputError("argument", "--spe", text,
                             "each event once (this date is already given)")
        first = start - dt.timedelta(days=ev.duration_days)
        if not first < ev.start < end:
            raise InputError("argument", "--spe", text,
                             f"a date inside {window}, after {first:%Y-%m-%d %H:%M} and "
                             f"before {end:%Y-%m-%d %H:%M} UTC (the event lasts "
                             f"{ev.duration_days:g} days{move})")
        out.append(ev)
    return tuple(out)


def run(args: argparse.Namespace) -> int:
    _check(args)
    if args.altitude is not None:
        return _orbit(args)
    return _scenario(args)


def _fmt(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}"


def _orbit(args: argparse.Namespace) -> int:
    from rossim.analysis.dose import (
        DEFAULT_DATE,
        LIMITS,
        PRESSURISED_MODULE_G_CM2,
        circular_orbit_dose,
        dose_map,
        periodic_vs_continuous,
    )
    from rossim.report.figures.dose import write_dose_map_png

    date = parse_date(args.date or DEFAULT_DATE, "--date", data=True)
    check_window(date, "--date", args.date or DEFAULT_DATE, args.days)
    shielding = PRESSURISED_MODULE_G_CM2 if args.shielding is None else args.shielding
    track = circular_orbit_dose(args.altitude, args.inclination, days=args.days, date=date,
                                shielding_g_cm2=shielding, step_s=args.step, solar=args.solar,
                                spe=_spe(args, date, date + dt.timedelta(days=args.days),
                                         "the averaging window",
                                         "; set --date to move the window"))
    summary = track.summary()
    study = periodic_vs_continuous(summary["dose_equivalent_mSv_per_day"],
                                   summary["absorbed_mGy_per_day"], args.crew,
                                   visits_per_year=args.visits_per_year,
                                   visit_days=args.visit_days)
    result = {**summary, "periodic_vs_continuous": study, "limits": LIMITS}
    if args.map:
        dmap = dose_map(args.altitude, date, shielding_g_cm2=args.map_shielding, solar=args.solar)
        write_dose_map_png(args.map, dmap, inclination_deg=args.inclination)
        result["map"] = args.map
    if args.json:
        print_json(result)
        return 0
    out = console()
    table = Table(title=f"Crew dose, {args.altitude:g} km x {args.inclination:g} deg, "
                  f"{summary['start']} + {args.days:g} d, behind {shielding:g} g/cm^2 Al "
                  f"({summary['trapped_model']}, belts lowered {summary['belt_lowering_km']:.0f} km, "
                  f"protons x {summary['trapped_proton_scale']:g}; "
                  f"GCR phi {summary['gcr_modulation_potential_MV']:.0f} MV)")
    table.add_column("source")
    table.add_column("absorbed mGy/day", justify="right")
    table.add_column("dose equivalent mSv/day", justify="right")
    for name, v in summary["by_source"].items():
        table.add_row(name.replace("_", " "), _fmt(v["absorbed_mGy_per_day"], 4),
                      _fmt(v["dose_equivalent_mSv_per_day"], 4))
    table.add_row("total", _fmt(summary["absorbed_mGy_per_day"], 4),
                  _fmt(summary["dose_equivalent_mSv_per_day"], 4), style="bold")
    out.print(table)
    _print_study(out, study)
    if args.map:
        out.print(f"dose map written to {args.map}")
    return 0


def _print_study(out, study: list[dict]) -> None:
    table = Table(title="Periodic versus continuous crew (dose equivalent)")
    for col in ("mode", "crew", "crew-days/yr", "collective person-mSv/yr",
                "per person mSv/visit", "per person mSv/yr", "share of 500 mSv/yr"):
        table.add_column(col, justify="right" if col != "mode" else "left")
    for r in study:
        table.add_row(f"{r['mode']} ({r['description']})", str(r["crew"]),
                      f"{r['crew_days_per_year']:.0f}",
                      f"{r['collective_person_mSv_per_year']:.1f}",
                      f"{r['per_person_mSv_per_visit']:.1f}",
                      f"{r['per_person_mSv_per_year']:.1f}",
                      f"{100 * r['fraction_of_annual_limit_500mSv']:.0f}%")
    out.print(table)


def _scenario(args: argparse.Namespace) -> int:
    from rossim.analysis.dose import dose_map, scenario_dose
    from rossim.config.scenario import load_scenario
    from rossim.report.figures.dose import write_dose_map_png

    scenario = load_scenario(args.scenario)
    span = scenario.span
    result = scenario_dose(scenario, step_s=args.step, shielding_g_cm2=args.shielding,
                           spe=_spe(args, span.start, span.end, f"the scenario {scenario.name}'s "
                                    "span"))
    if args.map:
        dmap = dose_map(scenario.orbit.altitude_km, scenario.span.start,
                        shielding_g_cm2=args.map_shielding, solar=args.solar)
        write_dose_map_png(args.map, dmap, inclination_deg=scenario.orbit.inclination_deg)
        result["map"] = args.map
    if args.json:
        print_json(result)
        return 0
    out = console()
    table = Table(title=f"{scenario.name}: crewed visits at {scenario.orbit.altitude_km:g} km x "
                  f"{scenario.orbit.inclination_deg:g} deg")
    for col in ("visit", "launch", "days", "crew", "belts", "mSv/day", "mGy/person",
                "mSv/person", "person-mSv", "cumulative person-mSv"):
        table.add_column(col, justify="left" if col in ("visit", "launch", "belts") else "right")
    for v in (VisitDose.from_dict(r) for r in result["visits"]):
        table.add_row(v.visit, v.launch, f"{v.days:g}", str(v.crew),
                      f"AP-8 {v.trapped_model}", _fmt(v.mSv_per_day),
                      f"{v.per_person_mGy:.1f}", f"{v.per_person_mSv:.1f}",
                      f"{v.collective_person_mSv:.1f}", f"{v.cumulative_person_mSv:.1f}")
    out.print(table)
    lim = Table(title="Limits (worst case: one person on the most-dosed sequence of visits "
                "that do not overlap)")
    for col in ("agency", "period", "limit mSv", "model mSv", "share", "basis", "source"):
        lim.add_column(col, overflow="fold")
    for r in result["limits"]:
        lim.add_row(r["agency"], r["period"], f"{r['limit_mSv']:g}", f"{r['model_mSv']:.1f}",
                    f"{100 * r['fraction']:.0f}%", r["basis"], r["source"])
    out.print(lim)
    study = Table(title="Periodic (scenario) versus continuous crew of the same size (the most "
                  "aboard at once), per year")
    for col in ("year", "crew aboard", "visits", "mSv/day", "periodic crew-days",
                "periodic person-mSv", "periodic mSv/person", "continuous crew-days",
                "continuous person-mSv", "continuous mSv/person"):
        study.add_column(col, justify="right")
    for r in result["periodic_vs_continuous"]:
        study.add_row(r["year"], str(r["crew_aboard"]), str(r["visits"]), _fmt(r["mSv_per_day"]),
                      f"{r['periodic_crew_days']:.0f}",
                      f"{r['periodic_collective_person_mSv']:.1f}",
                      f"{r['periodic_per_person_mSv']:.1f}", f"{r['continuous_crew_days']:.0f}",
                      f"{r['continuous_collective_person_mSv']:.1f}",
                      f"{r['continuous_per_person_mSv']:.1f}")
    out.print(study)
    if args.map:
        out.print(f"dose map written to {args.map}")
    return 0
