"""Re-run campaign runs to check their propellant call-ups (docs/campaigns.md, worked example).

    .venv/bin/python tools/callup_rerun.py MODE RUN [RUN ...] [--scenario ros-51.6] [--seed 2026]

MODE:
  as-is          the code as it is;
  reserve-floor  the de-orbit reserve forced back to the catalog's 2,000 kg floor
                 (``propulsion.deorbit_reserve_kg``) for the planner and the run's tanks, as
                 before it was sized from Mir's precedent at the largest stack
                 (rossim.station.deorbit);
  no-callup      propellant call-ups recorded but not flown: for each would-be call, the
                 least propellant above the de-orbit reserve until the next ship with
                 propellant docks (and the Progress ships that docked in between: a spare
                 call-up or a top-up brings propellant the call did not count on; "in safe
                 mode" when the station was at the call), and the
                 least of each calendar year (what the station would have lived through
                 without them).

  plan           no run: for each propellant call-up of ``--campaign DIR`` (all its runs when
                 RUN is 0), the planned Progress ships loaded with no propellant that lift off
                 after the call and dock (about 2 days later) before the forecast shortfall.

One line per run: the propellant call-ups (called, kg above the de-orbit reserve at the call),
the reboosts flown short of the band's top (:mod:`rossim.ops.partial_reboost`) and, for
``no-callup``, each would-be call's least margin until the next ship. Each run is a whole
dispersed run (``draw_run`` then ``simulate``, about 20-40 s). The overrides patch module
attributes in this process only.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["as-is", "reserve-floor", "no-callup", "plan"])
    ap.add_argument("--campaign", help="campaign folder (mode plan)")
    ap.add_argument("runs", type=int, nargs="+")
    ap.add_argument("--scenario", default="ros-51.6")
    ap.add_argument("--seed", type=int, default=2026, help="campaign seed")
    a = ap.parse_args(argv)

    import rossim.ops.orbit_keeping as ok
    import rossim.station.deorbit as deo
    from rossim.campaign.dispersions import draw_run
    from rossim.config.scenario import load_scenario
    from rossim.ops import cargo_callup as cc
    from rossim.ops.simulation import simulate

    if a.mode == "reserve-floor":
        def floor_only(tl, prop):
            return float(min(prop.deorbit_reserve_kg.value, prop.station_tank_kg.value))
        deo.deorbit_reserve_kg = floor_only      # the planner imports it at call time
        ok.deorbit_reserve_kg = floor_only       # the run's tanks (imported by name)

    calls: list[tuple[str, float, str]] = []
    original = cc.CargoCallUp.call_up

    def call_up(self, why, reason, *rest):
        if why == "propellant":
            sim = self.sim
            nxt = self.next_arrival(propellant=True)
            calls.append((sim.iso(sim.engine.now_s)[:10],
                          sim.orbit.tank_kg - sim.orbit.reserve_kg,
                          sim.iso(nxt[0])[:10] if nxt else sim.iso(sim.engine.t_end_s)[:10]))
            if a.mode == "no-callup":
                return None
        return original(self, why, reason, *rest)

    cc.CargoCallUp.call_up = call_up
    scenario = load_scenario(a.scenario)
    if a.mode == "plan":
        return _plan(a, scenario, draw_run)
    for n in a.runs:
        calls.clear()
        d = draw_run(scenario, a.seed, n)
        res = simulate(d.scenario, seed=d.seed)
        s = res.summary
        cu = s["logistics"]["callups"]
        prop = [f for f in cu["flight_list"] if f["why"] == "propellant"]
        held = s["deorbit_reserve"]["held_kg"]
        line = (f"run {n} {a.mode}: de-orbit reserve {held:.0f} kg, "
                f"{len(prop)} propellant call-ups"
                + "".join(f"; {f['called'][:10]} ({f['reasons'][0].split(' kg', 1)[0]} kg above "
                          "the reserve)" for f in prop))
        part = [f"{str(x['time'])[:10]} {x['detail'].split(' ', 2)[2].split(',')[0]}"
                for x in res.alarms if x["detail"].startswith("partial reboost")]
        if part:      # reboosts short of the band's top (rossim.ops.partial_reboost)
            line += "; partial reboosts: " + ", ".join(part)
        if a.mode == "no-callup":
            oh = res.orbit
            day = oh.epochs.astype("datetime64[D]").astype(str)
            above = oh.station_propellant_kg - held
            for called, kg, until in calls:
                sel = (day >= called) & (day <= until)
                least = float(above[sel].min()) if sel.any() else float("nan")
                # ships that docked in between bring propellant the counterfactual keeps
                # (a spare call-up, a topped-up Progress): name them
                came = sorted({f"{e['subject']} {str(e['time'])[:10]}" for e in res.events
                               if e["kind"] == "dock" and called <= str(e["time"])[:10] <= until
                               and "Progress" in str(e["detail"])})
                pw = res.power   # safe mode at the call (thrusters hold attitude, reboosts wait)
                at = np.searchsorted(pw.epochs, np.datetime64(called))
                safe = pw.safe_mode is not None and at < len(pw.epochs) and bool(pw.safe_mode[at])
                line += (f"; would call {called} ({kg:.0f} kg{', in safe mode' if safe else ''}): "
                         f"least {least:.0f} kg above the reserve until {until}"
                         + (f" (docked in between: {', '.join(came)})" if came else ""))
            years = sorted({d[:4] for d in day})
            line += "; least kg above the reserve by year: " + ", ".join(
                f"{y} {float(above[np.char.startswith(day, y)].min()):.0f}" for y in years)
            led = s["propellant_ledger_kg"]
            line += (f"; de-orbit reserve used {led['deorbit_reserve_used_kg']:.0f} kg, "
                     f"unmet {led['unmet_kg']:.0f} kg")
        print(line, flush=True)
    return 0


def _plan(a, scenario, draw_run) -> int:
    """Mode ``plan`` (module docstring)."""
    import datetime as dt
    import json
    import re
    from pathlib import Path

    import duckdb

    con = duckdb.connect(str(Path(a.campaign) / "campaign.duckdb"), read_only=True)
    rows = con.sql('select run, "logistics.callups.flight_list" from runs where status = '
                   "'ok' and \"logistics.callups.by_reason.propellant\" > 0 order by run").fetchall()
    want = set(a.runs) - {0}
    total = found = 0
    for run, fl in rows:
        if want and run not in want:
            continue
        d = draw_run(scenario, a.seed, run)
        empty = [v for f, v in d.scenario.visits if f.startswith("cargo")
                 and v.vehicle.startswith("progress") and v.propellant_kg is not None
                 and v.propellant_kg < 1.0]
        for f in json.loads(fl):
            if f["why"] != "propellant":
                continue
            total += 1
            called = dt.datetime.fromisoformat(f["called"].replace("Z", "+00:00"))
            m = re.search(r"reserve about (\d{4}-\d\d-\d\d)", f["reasons"][0])
            short = dt.datetime.fromisoformat(m.group(1) + "T00:00:00+00:00")
            hit = [v for v in empty if called < v.launch
                   and v.launch + dt.timedelta(days=2) <= short]
            if hit:
                found += 1
                print(f"run {run}: called {called:%Y-%m-%d}, shortfall {short:%Y-%m-%d}; "
                      + "; ".join(f"{v.name} lifts off {v.launch:%Y-%m-%d} with no propellant "
                                  f"({(v.launch - called).days} days after the call)"
                                  for v in hit))
    print(f"{found} of {total} propellant call-ups with such a ship")
    return 0


if __name__ == "__main__":
    sys.exit(main())
