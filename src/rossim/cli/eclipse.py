"""``rossim eclipse --initial FILE [--duration D] [--shadow umbra|penumbra] [--json]``:
eclipse intervals (conical or cylindrical shadow) and the beta angle."""

from __future__ import annotations

import argparse

import numpy as np
from astropy.time import TimeDelta
from rich.table import Table

from rossim.cli._common import console, print_json, report_ended_early
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

    positions, start, end, source, ended = trajectory_from_args(args)
    # A trajectory that ends where it starts (SGP4 failing within a millisecond of the
    # epoch) has no intervals to search.
    iv = (eclipse_intervals(positions, start, end, shadow=args.shadow, model=args.model)
          if end > start else None)
    # Beta angle from the orbit plane at the start and the end (velocity by central difference).
    # Both difference points stay inside the valid span (which may end early); a span too
    # short for them (< 2 s) has no beta angle (None, JSON null).
    rows: list[float | None] = []
    dt = TimeDelta(1.0, format="sec")
    span_s = float((end - start).to_value("s"))
    for t in (start + dt, end - dt):
        if span_s < 2.0:
            rows.append(None)
            continue
        r = positions(t.reshape((1,)))
        v = (positions((t + dt).reshape((1,))) - positions((t - dt).reshape((1,)))) / 2.0
        value = float(np.asarray(beta_angle_deg(r, v, t.reshape((1,))))[0])
        rows.append(value if np.isfinite(value) else None)
    entries = [t.isot + "Z" for t in iv.begin] if iv is not None and len(iv.begin) else []
    exits = [t.isot + "Z" for t in iv.end] if iv is not None and len(iv.end) else []
    durations = [float(d) for d in iv.duration_s] if iv is not None and len(iv.begin) else []
    clipped = ((list(iv.begin_clipped), list(iv.end_clipped)) if iv is not None
               else ([], []))
    out = {
        "initial": args.initial, "propagation": source, "shadow": args.shadow,
        "model": args.model, "start": start.isot + "Z", "end": end.isot + "Z",
        "ended_early": None if ended is None else ended.as_dict(),
        "beta_angle_deg_start": rows[0], "beta_angle_deg_end": rows[1],
        "eclipses": [{"entry": a, "exit": b, "duration_s": d, "entry_clipped": bool(c1),
                      "exit_clipped": bool(c2)}
                     for a, b, d, c1, c2 in zip(entries, exits, durations, *clipped,
                                                strict=True)],
    }
    if args.json:
        print_json(out)
        return 0 if ended is None else report_ended_early(ended.text("the results"))
    table = Table(title=f"{args.shadow} intervals ({args.model} shadow), {source}")
    for col in ("entry (UTC)", "exit (UTC)", "duration"):
        table.add_column(col)
    for e in out["eclipses"]:
        table.add_row(e["entry"][:22] + (" (span start)" if e["entry_clipped"] else ""),
                      e["exit"][:22] + (" (span end)" if e["exit_clipped"] else ""),
                      _duration_text(e["duration_s"]))
    con = console()
    con.print(table)
    beta = [("n/a" if b is None else f"{b:.2f} deg") for b in rows]
    con.print(f"beta angle: {beta[0]} at the start, {beta[1]} at the end; "
              f"{len(out['eclipses'])} eclipse{'' if len(out['eclipses']) == 1 else 's'}")
    return 0 if ended is None else report_ended_early(ended.text("the results"))


def _duration_text(duration_s: float) -> str:
    """An eclipse's duration for the table: minutes, or seconds under a minute (an interval
    the span cuts short, e.g. one entered just before a re-entry, is not ``0.00 min``)."""
    if duration_s >= 59.995:
        return f"{duration_s / 60:.2f} min"
    return f"{duration_s:.3g} s"
