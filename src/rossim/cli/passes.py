"""``rossim passes --initial FILE [--duration D] [--station NAME ...] [--min-elevation DEG]
[--json]``: ground-station visibility windows (AOS, LOS, maximum elevation)."""

from __future__ import annotations

import argparse

from rich.table import Table

from rossim.cli._common import console, print_json, report_ended_early
from rossim.cli._orbit import add_orbit_arguments, trajectory_from_args
from rossim.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("passes", help="ground-station visibility windows of an orbit",
                       description="Passes over Russian ground stations (default: the "
                       "catalog's) with an elevation mask, for a TLE/OMM (SGP4) or an "
                       "OPM/OEM state (numerical propagation).")
    add_orbit_arguments(p)
    from rossim.config.catalog import load_catalog

    ids = ", ".join(g.id for g in load_catalog().ground_stations)
    p.add_argument("--station", action="append", metavar="ID",
                   help=f"ground-station id from the catalog: {ids} (repeatable; default: "
                   "all)")
    p.add_argument("--min-elevation", type=float, default=None, metavar="DEG",
                   help="elevation mask for every station (default: each station's own)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rossim.analysis.visibility import Station, visibility_windows
    from rossim.config.catalog import load_catalog

    if args.min_elevation is not None and not (-5.0 <= args.min_elevation < 90.0):
        raise InputError("argument", "--min-elevation", args.min_elevation,
                         "an elevation from -5 deg up to, not including, 90 deg")
    known = {g.id: g for g in load_catalog().ground_stations}
    ids = list(dict.fromkeys(args.station or known))   # a station named twice counts once
    for sid in ids:
        if sid not in known:
            raise InputError("argument", "--station", sid, "one of " + ", ".join(known))
    stations = [Station(known[s].name, known[s].lat_deg, known[s].lon_deg, known[s].alt_m,
                        known[s].min_elevation_deg if args.min_elevation is None
                        else args.min_elevation) for s in ids]
    positions, start, end, source, ended = trajectory_from_args(args)
    # a trajectory that ends where it starts (SGP4 failing at the epoch) has no passes
    passes = visibility_windows(positions, start, end, stations) if end > start else []
    out = {"initial": args.initial, "propagation": source, "start": start.isot + "Z",
           "end": end.isot + "Z",
           "ended_early": None if ended is None else ended.as_dict(),
           "passes": [{"station": p.station, "aos": p.aos.isot + "Z", "los": p.los.isot + "Z",
                       "duration_s": float(p.duration_s),
                       "max_elevation_deg": float(p.max_elevation_deg),
                       "max_elevation_time": p.max_elevation_time.isot + "Z",
                       "aos_clipped": bool(p.aos_clipped), "los_clipped": bool(p.los_clipped)}
                      for p in passes]}
    if args.json:
        print_json(out)
        return 0 if ended is None else report_ended_early(ended.text("the passes"))
    table = Table(title=f"passes, {source}")
    for col in ("station", "AOS (UTC)", "LOS (UTC)", "duration", "max elevation"):
        table.add_column(col)
    for p in out["passes"]:
        table.add_row(p["station"], p["aos"][:19] + (" (span start)" if p["aos_clipped"] else ""),
                      p["los"][:19] + (" (span end)" if p["los_clipped"] else ""),
                      f"{p['duration_s'] / 60:.1f} min", f"{p['max_elevation_deg']:.1f} deg")
    con = console()
    con.print(table)
    con.print(f"{len(passes)} pass{'' if len(passes) == 1 else 'es'}")
    return 0 if ended is None else report_ended_early(ended.text("the passes"))
