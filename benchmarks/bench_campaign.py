"""Monte Carlo campaigns on Dask (issue 16): runs per hour on 1 and 2 local workers (target:
2 workers at least 1.8x one on the 2-core machine), and Dask's scheduling overhead against the
same runs in a plain ``concurrent.futures`` process pool (target: at most 10 %).

Each campaign runs ros-short (tests/data/ops/ros-short.toml, 18 months, with the ros-51.6
dispersions) into a fresh folder, so every run is computed; the timed span includes starting
the cluster (what a user waits for). Not measured here yet: peak memory per worker.
"""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 12


def _scenario():
    from rossim.config.scenario import load_scenario

    short = load_scenario(ROOT / "tests" / "data" / "ops" / "ros-short.toml")
    mc = load_scenario("ros-51.6").monte_carlo
    return short.model_copy(update={"monte_carlo": mc})


def _pool_task(args):
    from rossim.campaign.dispatch import run_task

    scenario, seed, run = args
    return run_task(scenario, seed, run)["record"]["status"]


def _campaign(workers: int) -> float:
    from rossim.campaign.dispatch import run_campaign

    scen = _scenario()
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        res = run_campaign(scen, RUNS, Path(out) / "c", campaign_seed=1, workers=workers)
        wall = time.perf_counter() - t0
    assert res.complete
    return wall


def _pool(workers: int) -> float:
    scen = _scenario()
    t0 = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_pool_task, [(scen, 1, i) for i in range(RUNS)]))
    return time.perf_counter() - t0


def run() -> list[dict]:
    one = _campaign(1)
    two = _campaign(2)
    pool = _pool(2)
    per_hour_1 = RUNS / one * 3600
    per_hour_2 = RUNS / two * 3600
    return [
        {"benchmark": f"rossim campaign ros-short x {RUNS}, 2 workers vs 1 (runs/hour)",
         "rossim_s": two, "peer": "same campaign on 1 worker", "peer_s": one,
         "ratio": one / two,
         "notes": f"{per_hour_1:.0f} runs/h on 1 worker, {per_hour_2:.0f} runs/h on 2 "
                  "(target ratio >= 1.8)"},
        {"benchmark": f"rossim campaign ros-short x {RUNS}, Dask vs concurrent.futures "
                      "(2 processes)",
         "rossim_s": two, "peer": "ProcessPoolExecutor(2), no storage", "peer_s": pool,
         "ratio": pool / two,
         "notes": f"Dask overhead {100 * (two / pool - 1):.0f} % incl. cluster start and "
                  "Parquet writes (target <= 10 %)"},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
