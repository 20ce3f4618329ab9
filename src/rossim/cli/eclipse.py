"""``rossim eclipse --initial FILE [--duration D] [--shadow umbra|penumbra] [--json]``:
eclipse intervals (conical or cylindrical shadow) and the beta angle."""

from __future__ import annotations

import argparse

import numpy as np
from astropy.time import TimeDelta
from rich.table import Table

from rossim.cli._common import console, print_json
from rossim.cli._orbit import add_orbit_arguments, trajectory_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eclipse", help="eclipse intervals and beta angle of an orbit",
                       description="Eclipse entry and exit times (refined to 0.01 s) and the "
                       "beta angle along an orbit given by a TLE/OMM (SGP4) or an OPM/OEM "
                       "state (numerical propagation).")
    add_orbit_arguments(p)
    p.add_argument("--shadow", choices=["umbra", "penumbra"], default="umbra")
    p.add_argument("--model", choices=["conical", "cylindrical"], default="conical")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rossim.environment.eclipse import beta_angle_deg, eclipse_intervals

    positions, start, end, source = trajectory_from_args(args)
    iv = eclipse_intervals(positions, start, end, shadow=args.shadow, model=args.model)
    # Beta angle from the orbit plane at the start and the end (velocity by central difference).
    rows = []
    for t in (start, end):
        dt = TimeDelta(1.0, format="sec")
        tt = t - dt if t == end else t
        r = positions(tt.reshape((1,)))
        v = (positions((tt + dt).reshape((1,))) - positions((tt - dt).reshape((1,)))) / 2.0
        rows.append(float(np.asarray(beta_angle_deg(r, v, tt.reshape((1,))))[0]))
    entries = [t.isot + "Z" for t in iv.begin] if len(iv.begin) else []
    exits = [t.isot + "Z" for t in iv.end] if len(iv.end) else []
    durations = [float(d) for d in iv.duration_s] if len(iv.begin) else []
    out = {
        "initial": args.initial, "propagation": source, "shadow": args.shadow,
        "model": args.model, "start": start.isot + "Z", "end": end.isot + "Z",
        "beta_angle_deg_start": rows[0], "beta_angle_deg_end": rows[1],
        "eclipses": [{"entry": a, "exit": b, "duration_s": d, "entry_clipped": bool(c1),
                      "exit_clipped": bool(c2)}
                     for a, b, d, c1, c2 in zip(entries, exits, durations,
                                                list(iv.begin_clipped), list(iv.end_clipped),
                                                strict=True)],
    }
    if args.json:
        print_json(out)
        return 0
    table = Table(title=f"{args.shadow} intervals ({args.model} shadow), {source}")
    for col in ("entry (UTC)", "exit (UTC)", "duration"):
        table.add_column(col)
    for e in out["eclipses"]:
        table.add_row(e["entry"][:22] + (" (span start)" if e["entry_clipped"] else ""),
                      e["exit"][:22] + (" (span end)" if e["exit_clipped"] else ""),
                      f"{e['duration_s'] / 60:.2f} min")
    con = console()
    con.print(table)
    con.print(f"beta angle: {rows[0]:.2f} deg at the start, {rows[1]:.2f} deg at the end; "
              f"{len(out['eclipses'])} eclipses")
    return 0
