"""Scan a campaign's draws for plans that could not have flown (rossim.campaign.plan_checks).

    .venv/bin/python tools/plan_checks.py [FIRST] [LAST] [--scenario ros-51.6] [--seed 2026]

For each run FIRST..LAST-1 (default 0..200): draw_run, build_timeline, and the breaches of
rossim.campaign.plan_checks.plan_breaches (failed launches where the ship, the port or the pad
could not have flown; lift-offs inside a stand-down; pads used within their turnaround; more
crew aboard than berths; a crew waiting for a cargo ship at its port). draw_run itself moves each failure to the lift-off the planner gives
it and holds the launches those checks name, flying its plan again until there are none (at
most PLANNER_PASSES passes), so a breach listed here is one left after them (also in the run's
events). One line per breach, then a count, and how many plans the draws asked the planner
(build_timeline calls inside draw_run: one per pass and per failure tried; the most, and its
run), and the crews the planner slipped behind a cargo ship (at its port or its pad: draws
and days). Exit 1 when any run breaches, 0 otherwise. A few seconds a run.
"""

from __future__ import annotations

import argparse
import sys


def _crew_days_behind_cargo(scenario, tl) -> float:
    """Days the planner slipped the scenario's crews behind a cargo ship: its pad slips
    (rossim.station.Timeline.pad_slips) of a crew whose reason names one of its cargo ships."""
    crews = {v.name for v in scenario.crew_visits}
    cargo = {v.name for v in scenario.cargo_visits if v.name}
    return sum(r["slip_days"] for r in tl.pad_slips
               if r["launch"] in crews and any(c in r["why"] for c in cargo))


def main(argv: list[str] | None = None) -> int:
    import rossim.station
    from rossim.campaign.dispersions import draw_run
    from rossim.campaign.plan_checks import plan_breaches
    from rossim.config.scenario import load_scenario
    from rossim.errors import InputError
    from rossim.station import build_timeline

    asked = [0]     # the plans draw_run asks the planner (rossim.campaign.plan_agreement)

    def counted(*args, **kw):
        asked[0] += 1
        return build_timeline(*args, **kw)

    rossim.station.build_timeline = counted

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("first", type=int, nargs="?", default=0)
    ap.add_argument("last", type=int, nargs="?", default=200)
    ap.add_argument("--scenario", default="ros-51.6")
    ap.add_argument("--seed", type=int, default=None,
                    help="campaign seed (default: the scenario's monte_carlo.seed)")
    a = ap.parse_args(argv)
    try:
        sc = load_scenario(a.scenario)
    except InputError as e:
        print(f"plan_checks: {e}", file=sys.stderr)
        return 2
    seed = a.seed if a.seed is not None else (sc.monte_carlo.seed if sc.monte_carlo else 0)
    runs = failures = total = 0
    behind = [0, 0.0]   # draws with a crew slipped behind a cargo ship, and the days
    most = (0, a.first)
    for n in range(a.first, a.last):
        asked[0] = 0
        d = draw_run(sc, seed, n)
        total += asked[0]
        most = max(most, (asked[0], n), key=lambda x: x[0])
        if not d.station:
            continue
        tl = build_timeline(d.scenario)
        bad = plan_breaches(d.scenario, tl)
        failures += len(d.scenario.operations.launcher_stand_downs)
        days = _crew_days_behind_cargo(d.scenario, tl)
        behind[0] += bool(days)
        behind[1] += days
        runs += bool(bad)
        for b in bad:
            print(f"run {n}: {b}", flush=True)
    print(f"{a.scenario}, seed {seed}, runs {a.first}-{a.last - 1}: {runs} with a breach; "
          f"{failures} plan failures in all")
    print(f"plans asked of the planner by the draws: {total} in all, at most {most[0]} "
          f"(run {most[1]})")
    print(f"crews slipped behind a cargo ship by the planner (at its port or its pad): in "
          f"{behind[0]} draws, {behind[1]:,.0f} days in all")
    return 1 if runs else 0


if __name__ == "__main__":
    sys.exit(main())
