"""``rossim launch [SCENARIO] [--from DATE] [--days N] [--site ID] [--json]``: in-plane launch
windows from Vostochny to the station's plane, phasing to rendezvous, module launch margins,
and the drift of the station's plane against the ISS and BAS."""

from __future__ import annotations

import argparse

from rich.table import Table

from rossim.cli._common import check_number, console, parse_date, print_json
from rossim.config.scenario import load_scenario
from rossim.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("launch", help="launch windows, phasing, module launch margins, "
                       "plane drift against the ISS and BAS",
                       description="In-plane launch windows from a launch site to the "
                       "scenario's orbit, the phasing scheme each allows, every module's "
                       "launch mass against the launcher's payload to that orbit, and the "
                       "node drift against the ISS and India's BAS.")
    p.add_argument("scenario", nargs="?", default=None,
                   help="scenario TOML file or shipped scenario name (default: ros-51.6)")
    p.add_argument("--from", dest="start", metavar="DATE",
                   help="first day searched (UTC; default: the scenario's span start)")
    p.add_argument("--days", type=float, default=7.0,
                   help="days of windows listed, at most 366 (default 7; the monthly rates "
                        "count at least 30)")
    p.add_argument("--site", default=None,
                   help="launch site id for every table (default: the first module launch's "
                        "site for windows and payloads, each launch's own site for modules)")
    p.add_argument("--insertion-km", type=float, default=200.0,
                   help="insertion altitude of the chaser, 100-2000 km (default 200)")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rossim.analysis.launch import launch_summary

    check_number(args.days, "--days", 0.0, 366.0, "days", lo_open=True)
    check_number(args.insertion_km, "--insertion-km", 100.0, 2000.0, "km")
    scenario = load_scenario(args.scenario)
    start = parse_date(args.start, "--from", data=True) if args.start else None
    # like `fleet` and `describe --at`: a date outside the scenario span is refused
    if start is not None and not (scenario.span.start <= start <= scenario.span.end):
        raise InputError("argument", "--from", args.start,
                         f"a date inside the scenario span {scenario.span.start.date()} .. "
                         f"{scenario.span.end.date()}")
    out = launch_summary(scenario, start=start, days=args.days, site_id=args.site,
                         insertion_altitude_km=args.insertion_km)
    if args.json:
        print_json(out.to_dict())
        return 0
    con = console()
    t = Table(title=f"{scenario.name}: in-plane launch windows from {out.site} to "
              f"{out.altitude_km:g} km x {out.inclination_deg:g} deg "
              f"(insertion {out.insertion_altitude_km:g} km)")
    for col in ("launch (UTC)", "kind", "azimuth deg", "dog-leg deg", "phase deg", "scheme",
                "launch to docking h"):
        t.add_column(col)
    for w in out.windows:
        t.add_row(f"{w['time']:%Y-%m-%d %H:%M:%S}", w["kind"], f"{w['azimuth_deg']:.1f}",
                  f"{w['out_of_plane_deg']:.3f}".replace("-0.000", "0.000"), f"{w['phase_deg']:.0f}", w["scheme"],
                  f"{w['launch_to_dock_h']:.1f}")
    con.print(t)
    con.print(f"{out.windows_per_month:g} in-plane windows a month, "
              f"{out.fast_opportunities_per_month:g} of them with a fast (<= 6 h) rendezvous "
              f"without station phasing (rates from {out.rate_days:g} days searched)")
    m = Table(title="module launches: mass (incl. adapter) against payload to the orbit the "
              "launcher delivers it to (estimate, rossim.station.launch)")
    for col in ("launch", "modules", "launcher", "site", "mass kg", "payload kg", "payload to",
                "margin kg", "fits"):
        m.add_column(col)
    for r in out.modules:
        m.add_row(r["group"], " + ".join(r["modules"]), r["launcher"], r["site"],
                  f"{r['mass_kg']:,}",
                  f"{r['payload_kg']:,}", f"the {r['payload_orbit']}", f"{r['margin_kg']:,}", "yes" if r["fits"] else "NO")
    con.print(m)
    no_pad = sorted({r["launcher"] for r in [*out.modules, *out.payload_table]
                     if not r.get("pad", True)})
    if no_pad:
        con.print(f"what-if: {', '.join(no_pad)} {'has' if len(no_pad) == 1 else 'have'} no pad "
                  f"at {out.site} in the catalog (launchers.toml site and flies_from): the "
                  "payloads are the launcher's performance from that latitude")
    incs = list(out.payload_table[0]["payload_kg"]) if out.payload_table else []
    pt = Table(title=f"payload to the {out.altitude_km:g} km circular orbit (module raised by "
               "the launcher's upper stage) by inclination, kg (estimate), from "
               + (out.site if args.site else "the pad each launcher flies from in the plan"))
    pt.add_column("launcher")
    pt.add_column("site")
    for i in incs:
        pt.add_column(f"{i} deg", justify="right")
    for r in out.payload_table:
        pt.add_row(r["launcher"], r["site"], *(f"{r['payload_kg'][i]:,}" for i in incs))
    con.print(pt)
    d = Table(title="plane drift against other stations"
              + (f" (ISS separation {out.iss_separation:%Y-%m-%d}, then "
                 f"{out.orbit_after_separation['altitude_km']:g} km x "
                 f"{out.orbit_after_separation['inclination_deg']:g} deg)"
                 if out.iss_separation else ""))
    for col in ("station", "their orbit", "relative node drift deg/day", "planes line up every",
                "aligned within 2 deg for", "dv per deg of node"):
        d.add_column(col)
    for r in out.plane_drift:
        if not r["can_be_coplanar"]:
            period = (f"never: planes {r['min_plane_angle_deg']:.1f} deg apart at best "
                      f"({r['min_plane_change_dv_m_s']:,.0f} m/s)")
        elif r["synodic_period_years"]:
            period = f"{r['synodic_period_years']:g} years"
        else:
            period = "never drift apart"
        d.add_row(r["other"], f"{r['other_altitude_km']:g} km x {r['other_inclination_deg']:g}"
                  f" deg ({r['other_flag']})", f"{r['relative_drift_deg_day']:+.4f}", period,
                  "-" if r["aligned_days_each_time"] is None
                  else f"{r['aligned_days_each_time']} days",
                  f"{r['plane_change_dv_per_deg_node_m_s']}"
                  " m/s")
    con.print(d)
    return 0
