"""Crew visits of a campaign's draws with and without the programme's cadence (docs/campaigns.md).

    .venv/bin/python tools/crew_cadence.py [SCENARIO] [RUNS] [--seed 2026] [--gap-days 60]

For runs 0..RUNS-1 of the campaign (``draw_run``, no simulation: about a second a draw), the
draw as it is (``rossim.campaign.plan_failures.fly_plan`` keeps the cadence: a crew whose slot
passed while it waited is not flown) and the draw flying every crew however late
(``keep_cadence=False``, the draw before stop 45): the crew visits flown, those not flown for
the cadence, and the draws with two crews lifting off less than ``--gap-days`` apart (and how
many such gaps). Defaults: ros-51.6, 200 runs, seed 2026.
"""

from __future__ import annotations

import argparse
import functools


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario", nargs="?", default="ros-51.6")
    ap.add_argument("runs", nargs="?", type=int, default=200)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--gap-days", type=float, default=60.0)
    a = ap.parse_args(argv)

    import rossim.campaign.dispersions as disp
    from rossim.config.scenario import load_scenario

    sc = load_scenario(a.scenario)
    kept = disp.fly_plan
    for label, fly in (("cadence kept", kept),
                       ("every crew flown", functools.partial(kept, keep_cadence=False))):
        disp.fly_plan = fly
        runs = gaps = visits = cancelled = 0
        try:
            for n in range(a.runs):
                d = disp.draw_run(sc, a.seed, n)
                t = sorted(v.launch for v in d.scenario.crew_visits)
                short = sum((b - x).total_seconds() < a.gap_days * 86400
                            for x, b in zip(t, t[1:], strict=False))
                runs += short > 0
                gaps += short
                visits += len(t)
                cancelled += int(d.inputs.get("crew_visits_cancelled", 0))
        finally:
            disp.fly_plan = kept
        print(f"{a.scenario} seed {a.seed}, {a.runs} draws, {label}: {visits} crew visits "
              f"flown, {cancelled} not flown for the cadence; {runs} draws with crews under "
              f"{a.gap_days:g} days apart ({gaps} such gaps)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
