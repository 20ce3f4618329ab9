"""``rossim fleet [SCENARIO] [--days N] [--start DATE] [--json] [--plot FILE]``: the free-flyer
family: per satellite its relative orbit, closest approach to the station, keep-out and
approach-ellipsoid entries, station-keeping delta-v and lifetime, retrieval cost; the
deployment checks; the conjunctions (miss distance, TCA, Pc)."""

from __future__ import annotations

import argparse
import math

from rich.table import Table

from rossim.cli._common import console, parse_date, print_json
from rossim.config.scenario import load_scenario
from rossim.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fleet", help="free-flyer family: relative orbits, safety, screening",
                       description="Simulate the scenario's free-flyer family around the "
                       "station: deployment safety, relative orbits in LVLH, keep-out and "
                       "approach-ellipsoid events, conjunction screening with collision "
                       "probability, station-keeping budget and retrieval cost.")
    p.add_argument("scenario", nargs="?", default=None,
                   help="scenario TOML file or shipped scenario name (default: ros-51.6)")
    p.add_argument("--days", type=float, default=7.0, help="span to simulate, at most 366 days (default 7)")
    p.add_argument("--start", metavar="DATE",
                   help="start date (default: when the last satellite is released)")
    p.add_argument("--step", type=float, default=10.0, help="screening step, 0.1-600 s (default 10)")
    p.add_argument("--free-drift", action="store_true",
                   help="no station-keeping during the span (the family drifts)")
    p.add_argument("--deployer", default="j-ssod",
                   help="deployer whose rules every deployment is checked against "
                        "(catalog/deployers.toml; default j-ssod)")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.add_argument("--plot", metavar="FILE", help="write the LVLH picture (.png or .svg)")
    p.set_defaults(func=run)


def _fmt(x: float, spec: str = ".1f") -> str:
    return "inf" if isinstance(x, float) and math.isinf(x) else format(x, spec)


def run(args: argparse.Namespace) -> int:
    from rossim.fleet.family import simulate

    if args.plot and not args.plot.lower().endswith((".png", ".svg")):
        raise InputError("argument", "--plot", args.plot, "a file name ending in .png or .svg")
    if args.plot:
        from rossim.fileio import check_output_target

        check_output_target(args.plot, "--plot", inputs=[args.scenario])
    if not (math.isfinite(args.days) and 0 < args.days <= 366):
        raise InputError("argument", "--days", args.days, "a number of days in (0, 366]")
    if not (math.isfinite(args.step) and 0.1 <= args.step <= 600):
        raise InputError("argument", "--step", args.step, "a step from 0.1 to 600 s")
    scenario = load_scenario(args.scenario)
    start = parse_date(args.start, "--start", data=True) if args.start else None
    report = simulate(scenario, args.days, start=start, step_s=args.step,
                      station_keeping=not args.free_drift)
    from rossim.fleet.deployer_rules import check_deployments

    rules = check_deployments(scenario, deployer=args.deployer)
    if args.plot:
        from rossim.report.figures.fleet import relative_orbits_figure
        from rossim.report.plots import save_figure

        save_figure(relative_orbits_figure(report), args.plot)
    if args.json:
        print_json({**report.to_dict(), "deployer_rules": [r.to_dict() for r in rules]})
        return 0
    out = console()
    t = Table(title=f"{scenario.name}: free-flyer family, {report.days:g} d from "
              f"{report.start:%Y-%m-%d %H:%M} UTC (LVLH; keep-out {report.keep_out_radius_m:g} m,"
              f" approach ellipsoid {' x '.join(f'{2 * a / 1000:g}' for a in report.approach_ellipsoid_m)} km)")
    gone = [s for s in report.satellites if s.get("reentry")]  # re-enter inside the span
    for col in ("satellite", "deployed", *(("re-entry",) if gone else ()),
                "orbit along x cross x radial m", "safe e/i",
                "closest to station m", "keep-out entries", "AE entries", "dv m/s/yr",
                "unkept lifetime yr", "propellant lasts yr", "free drift km/day", "arm retrieval m/s, h",
                "spaceplane m/s, h"):
        t.add_column(col, justify="left" if col in ("satellite", "deployed", "re-entry")
                     else "right")
    for s in report.satellites:
        t.add_row(s["name"], f"{s['deployed']:%Y-%m-%d %H:%M}",
                  *((s["reentry"][:16].replace("T", " ") if s.get("reentry") else "-",)
                    if gone else ()),
                  f"{s['along_track_m']:.0f} x {s['cross_track_m']:.0f} x {s['radial_m']:.0f}",
                  "yes" if s["passively_safe"] else "no",
                  f"{s['closest_approach_m']:.0f}", str(s["keep_out_entries"]),
                  str(s["approach_ellipsoid_entries"]), f"{s['dv_m_s_per_year']:.1f}",
                  _fmt(s["lifetime_years"]), _fmt(s["station_keeping_years"]),
                  f"{s['free_drift_m_per_day'] / 1000:.1f}",
                  f"{s['arm_retrieval_dv_m_s']:.2f}, {s['arm_retrieval_time_h']:.1f}",
                  f"{s['spaceplane_dv_m_s']:.2f}, {s['spaceplane_sortie_h']:.1f}")
    out.print(t)
    if gone:
        out.print(f"{len(gone)} of {len(report.satellites)} satellites re-enter inside the span "
                  "(release plus unkept lifetime): their rows, conjunctions and zone entries "
                  "end at the re-entry")
    d = Table(title="Deployments: passive safety over "
              f"{scenario.free_flyers.recontact_orbits} orbits (recontact = back within "
              f"{scenario.free_flyers.recontact_radius_m:g} m)")
    for col in ("date", "port", "count", "dv m/s", "direction LVLH", "safe", "nominal return",
                "recontact %", "keep-out re-entry %", "closest return m",
                "spacing between sats m"):
        d.add_column(col, justify="left" if col in ("date", "port") else "right")
    for r in report.deployments:
        c = r.recontact
        ret = "none" if c.nominal_first_return_s is None else f"{c.nominal_first_return_s / 3600:.1f} h"
        d.add_row(f"{r.date:%Y-%m-%d}", f"{r.port} ({r.release})", str(r.count),
                  f"{r.delta_v_m_s:g}", "[" + ", ".join(f"{x:.2f}" for x in r.direction_lvlh) + "]",
                  "yes" if c.safe else "NO", ret, f"{100 * c.recontact_fraction:.1f}",
                  f"{100 * c.keep_out_reentry_fraction:.1f}", f"{c.worst_closest_return_m:.0f}",
                  "-" if r.min_spacing_between_satellites_m is None
                  else f"{r.min_spacing_between_satellites_m:.0f}")
    out.print(d)
    if rules:
        rt = Table(title=f"Deployments against the {rules[0].deployer} rules "
                   "(catalog/deployers.toml); unkept lifetimes from the release altitude to "
                   "150 km, station without reboosts")
        for col in ("date", "rule", "value", "limit", "ok"):
            rt.add_column(col, justify="left" if col != "ok" else "right")
        for r in rules:
            for k, c in enumerate(r.checks):
                rt.add_row(f"{r.date:%Y-%m-%d} x{r.count} ({r.mass_kg:g} kg)" if k == 0 else "",
                           c.rule, c.value, c.limit, "yes" if c.ok else "NO")
            rt.add_row("", "station's unkept lifetime", f"{r.station_lifetime_years:.1f} years",
                       "", "", end_section=True)
        out.print(rt)
        bad = [r for r in rules if not r.ok]
        if bad:
            out.print(f"{len(bad)} of {len(rules)} deployments break a deployer rule (NO above)")
    conj = sorted(report.conjunctions, key=lambda c: c["miss_m"])
    c_t = Table(title=f"Conjunctions within {report.screening['threshold_m']:g} m: "
                f"{len(conj)} ({report.screening['pairs']} pairs, {report.screening['steps']} "
                f"steps); closest 10")
    for col in ("object 1", "object 2", "TCA (UTC)", "miss m", "v rel m/s", "Pc"):
        c_t.add_column(col, justify="left" if col.startswith("object") or col.startswith("TCA")
                       else "right")
    for c in conj[:10]:
        c_t.add_row(c["object_1"], c["object_2"], c["tca"][:19], f"{c['miss_m']:.0f}",
                    f"{c['relative_speed_m_s']:.2f}",
                    "n/a" if c["pc"] is None else f"{c['pc']:.2e}")
    out.print(c_t)
    if report.events:
        out.print(f"{len(report.events)} safety-zone entries (keep-out sphere / approach "
                  "ellipsoid); see --json for the list")
    if args.plot:
        out.print(f"wrote {args.plot}")
    return 0
