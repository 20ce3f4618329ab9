"""``rossim describe [SCENARIO] [--at DATE | --diff OTHER] [--json] [--plot FILE]``: the
station's configuration per assembly phase, in full at one date, or two plans side by side."""

from __future__ import annotations

import argparse

from rich.table import Table

from rossim.cli._common import console, parse_date, print_json
from rossim.config.scenario import load_scenario
from rossim.errors import InputError
from rossim.station import build_timeline


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("describe", help="configuration per assembly phase (table, JSON, plot)",
                       description="Describe the station of a scenario: one row per assembly "
                       "phase, or the full configuration at --at DATE.")
    p.add_argument("scenario", nargs="?", default=None,
                   help="scenario TOML file or shipped scenario name (default: ros-51.6)")
    p.add_argument("--at", metavar="DATE", help="show the configuration at this UTC date")
    p.add_argument("--diff", metavar="OTHER",
                   help="show this plan and OTHER (a scenario file or shipped name) side by "
                        "side: launches, sites, completion, station, traffic")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--plot", metavar="FILE",
                   help="write the assembly timeline picture (.png or .svg)")
    p.set_defaults(func=run)


def phase_rows(timeline) -> list[dict]:
    rows = []
    previous: set[str] = set()
    for p in timeline.assembly_phases():
        c = timeline.properties[p.index]
        now = set(c.modules)
        added = [m for m in c.modules if m not in previous]
        removed = sorted(previous - now)
        parts = []
        if added and not previous:
            first = p.cause is not None and p.cause.field.startswith("assembly")
            parts.append(f"{' + '.join(added)} "
                         + ("arrives (first module)" if first else "in orbit at the start"))
        elif added:
            parts.append(f"{' + '.join(added)} dock{'s' if len(added) == 1 else ''}")
        if removed:
            parts.append(f"{' + '.join(removed)} {'separates' if len(removed) == 1 else 'separate'}")
        previous = now
        rows.append({
            "date": p.start, "event": "; ".join(parts) or "no module change",
            "modules": list(c.modules), "n_modules": c.n_modules,
            "module_mass_kg": c.module_mass_kg, "mass_kg": c.mass_kg,
            "com_x_m": c.com_x_m, "drag_area_m2": c.drag_area_m2,
            "solar_array_power_kw": c.solar_array_power_kw,
            "pressurised_volume_m3": c.pressurised_volume_m3,
            "crew_capacity": c.crew_capacity, "vehicles_docked": list(c.vehicles),
        })
    return rows


def _fixed(value: float, digits: int) -> str:
    """``value`` to ``digits`` decimals, never "-0.0" (a centre of mass 1 mm aft of the
    origin is 0.0 m)."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0.0 else text


def phase_table(scenario, rows: list[dict]) -> Table:
    """The rich table of configuration per assembly phase."""
    table = Table(title=f"{scenario.name}: configuration per assembly phase "
                  f"({scenario.orbit.altitude_km:g} km, "
                  f"{scenario.orbit.inclination_deg:g} deg)")
    for col, just in [("from", "left"), ("event", "left"), ("modules", "right"),
                      ("module mass t", "right"), ("with ships t", "right"),
                      ("CoM x m", "right"), ("drag area m^2 with ships", "right"),
                      ("arrays kW", "right"), ("volume m^3 with ships", "right"),
                      ("berths", "right")]:
        table.add_column(col, justify=just)
    for r in rows:
        table.add_row(f"{r['date']:%Y-%m-%d}", r["event"], str(r["n_modules"]),
                      f"{r['module_mass_kg'] / 1000:.1f}", f"{r['mass_kg'] / 1000:.1f}",
                      _fixed(r["com_x_m"], 1), f"{r['drag_area_m2']:.0f}",
                      f"{r['solar_array_power_kw']:.0f}",
                      f"{r['pressurised_volume_m3']:.0f}", str(r["crew_capacity"]))
    return table


def run(args: argparse.Namespace) -> int:
    if args.plot and not args.plot.lower().endswith((".png", ".svg")):
        raise InputError("argument", "--plot", args.plot, "a file name ending in .png or .svg")
    if args.plot:
        from rossim.fileio import check_output_target

        check_output_target(args.plot, "--plot", inputs=[args.scenario])
    if args.diff and args.at:
        raise InputError("argument", "--diff", args.diff, "either --diff or --at, not both")
    scenario = load_scenario(args.scenario)
    timeline = build_timeline(scenario)
    out = console()
    if args.diff:
        from rossim.station.compare import compare_plans

        other = load_scenario(args.diff)   # a missing file is named --diff (cli.main)
        rows = compare_plans(timeline, build_timeline(other))
        if args.json:
            print_json({"a": scenario.name, "b": other.name, "rows": rows})
        else:
            table = Table(title=f"{scenario.name} and {other.name} side by side "
                          "(* where they differ)")
            table.add_column("")
            table.add_column("item")
            table.add_column(scenario.name, overflow="fold")
            table.add_column(other.name, overflow="fold")
            for r in rows:
                style = "bold" if r["differs"] else None
                table.add_row("*" if r["differs"] else "", r["item"], r["a"], r["b"],
                              style=style)
            out.print(table)
            n = sum(r["differs"] for r in rows)
            out.print(f"{n} of {len(rows)} items differ.")
    elif args.at:
        when = parse_date(args.at, "--at")
        if not (scenario.span.start <= when <= scenario.span.end):
            raise InputError("argument", "--at", args.at,
                             f"a date inside the scenario span {scenario.span.start.date()} .. "
                             f"{scenario.span.end.date()}")
        first = timeline.phases[0].start if timeline.phases else None
        if first is not None and when < first:  # no station yet: the first module docks later
            raise InputError("argument", "--at", args.at,
                             f"a date on or after the first module docks "
                             f"({first:%Y-%m-%d %H:%M} UTC): no station before it")
        config = timeline.at(when)
        if args.json:
            print_json({"scenario": scenario.name, "at": when, **config.to_dict()})
        else:
            table = Table(title=f"{scenario.name} at {when:%Y-%m-%d %H:%M} UTC "
                          f"(phase {config.phase}, since {config.start:%Y-%m-%d})")
            table.add_column("quantity")
            table.add_column("value", overflow="fold")
            for key, value in [
                ("modules", ", ".join(config.modules)),
                ("docked vehicles", ", ".join(config.vehicles) or "none"),
                ("mass", f"{config.mass_kg / 1000:.1f} t "
                         f"(modules {config.module_mass_kg / 1000:.1f} t)"),
                ("centre of mass along the stack", f"{_fixed(config.com_x_m, 2)} m"),
                ("drag cross-section", f"{config.drag_area_m2:.0f} m^2 "
                                       f"({scenario.orbit.attitude} attitude)"),
                ("solar-array capacity", f"{config.solar_array_power_kw:.1f} kW"),
                ("pressurised volume", f"{config.pressurised_volume_m3:.0f} m^3"),
                ("crew capacity / aboard / return seats",
                 f"{config.crew_capacity} / {config.crew_aboard} / {config.return_seats}"),
            ]:
                table.add_row(key, value)
            for port, who in sorted(config.occupancy.items()):
                table.add_row(f"port {port}", who)
            out.print(table)
    else:
        rows = phase_rows(timeline)
        if args.json:
            print_json({"scenario": scenario.name, "orbit": scenario.orbit.model_dump(),
                        "assembly_complete": timeline.assembly_complete,
                        "launches": timeline.launches, "phases": rows})
        else:
            table = phase_table(scenario, rows)
            out.print(table)
            done = timeline.assembly_complete
            out.print(f"Assembly complete: {done:%Y-%m-%d}" if done else "No module docks.")
    if args.plot:
        from rossim.report.plots import assembly_timeline

        path = assembly_timeline(timeline, args.plot)
        if not args.json:
            out.print(f"wrote {path}")
    return 0
