"""Monte Carlo campaigns on Dask (issue 16).

Rows:

1. Throughput, runs per hour on 1 and 2 local workers (target: 2 workers at least 1.8x one
   on the 2-core machine). Measured in steady state, as a long campaign sees it: the
   cluster is started and each worker warmed up (imports, numba compilation, data files)
   once, then ``RUNS`` runs of ros-short (tests/data/ops/ros-short.toml: 18 months with the
   ros-51.6 dispersions) are timed through :func:`rossim.campaign.dispatch.run_campaign`
   (``client=``) into a fresh folder, Parquet writes included.
2. Dask's scheduling overhead against the same runs in a plain ``concurrent.futures`` process
   pool of 2 warmed processes whose results this process writes to a run store as they
   finish, as the campaign does (target: at most 10 %).
3. Start-up a user waits for once per campaign: LocalCluster start plus warm-up, against one
   run's cost.
4. Peak memory per worker (``getrusage`` max RSS of each worker process after its runs)
   against the reference run's 1 GiB budget.
5. On paper: 10,000 reference runs (ros-51.6, 2027-2035) on a 64-core cluster, from the
   measured cost of two dispersed reference runs on a warm worker and the measured 2-worker
   scaling efficiency (assumed to hold per core; the start-up of row 3 added once).

The three timed configurations are interleaved over ``REPEATS`` rounds; each row states min
and median and the load average when it started.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 16
REPEATS = 2
REF_RUNS = 2
CLUSTER_CORES = 64
CAMPAIGN_RUNS = 10_000


def _scenario():
    from rossim.config.scenario import load_scenario

    short = load_scenario(ROOT / "tests" / "data" / "ops" / "ros-short.toml")
    mc = load_scenario("ros-51.6").monte_carlo
    return short.model_copy(update={"monte_carlo": mc})


def _warm() -> float:
    """Imports, numba compilation and data files of one run, in this process (seconds)."""
    from rossim.campaign.dispatch import run_task

    t0 = time.perf_counter()
    run_task(_scenario(), 999, 0)
    return time.perf_counter() - t0


def _pool_task(args):
    from rossim.campaign.dispatch import run_task

    scenario, seed, run = args
    return run_task(scenario, seed, run)["record"]["status"]


def _pool_campaign(ex: ProcessPoolExecutor, scen, seed: int) -> float:
    """The same campaign on a plain process pool: the same tasks, their results written by
    this process into a CampaignStore as they finish (what run_campaign does on Dask)."""
    from concurrent.futures import as_completed

    from rossim.campaign.dispatch import run_task
    from rossim.campaign.store import CampaignStore, scenario_digest

    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        store = CampaignStore(Path(out) / "p")
        store.prepare({"scenario": scen.name, "scenario_path": scen.source_path,
                       "scenario_digest": scenario_digest(scen), "campaign_seed": seed,
                       "monte_carlo": scen.monte_carlo.model_dump(mode="json")})
        futs = [ex.submit(run_task, scen, seed, i) for i in range(RUNS)]
        for fut in as_completed(futs):
            res = fut.result()
            store.write_run(res["record"], res["daily"])
        wall = time.perf_counter() - t0
    return wall


def _rss() -> float:
    from rossim.campaign.dispatch import peak_rss_mib

    return peak_rss_mib()


class _Cluster:
    def __init__(self, workers: int) -> None:
        from rossim.campaign.dispatch import connect_client

        t0 = time.perf_counter()
        self.client, self.cluster = connect_client(workers, None)
        self.client.run(_warm)
        self.start_s = time.perf_counter() - t0

    def campaign(self, scen, runs: int, seed: int) -> float:
        from rossim.campaign.dispatch import run_campaign

        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            res = run_campaign(scen, runs, Path(out) / "c", campaign_seed=seed,
                               client=self.client)
            wall = time.perf_counter() - t0
        assert res.complete and res.failed == 0, (res.failed, res.done_now)
        return wall

    def peak_mib(self) -> list[float]:
        return sorted(self.client.run(_rss).values())

    def close(self) -> None:
        self.client.close()
        self.cluster.close()


def _reference_cost(cl: _Cluster) -> float:
    """Mean wall seconds of one dispersed ros-51.6 run on a warm worker."""
    from rossim.config.scenario import load_scenario

    return cl.campaign(load_scenario("ros-51.6"), REF_RUNS, 2026) / REF_RUNS


def run() -> list[dict]:
    scen = _scenario()
    load = os.getloadavg()[0]
    one, two, pool = [], [], []
    c1 = _Cluster(1)
    c2 = _Cluster(2)
    with ProcessPoolExecutor(2) as ex:
        t0 = time.perf_counter()
        list(ex.map(_pool_task, [(scen, 999, k) for k in range(2)]))  # warm both processes
        pool_start = time.perf_counter() - t0
        for rep in range(REPEATS):
            seed = 100 + rep  # a fresh campaign each round (no run is resumed)
            one.append(c1.campaign(scen, RUNS, seed))
            two.append(c2.campaign(scen, RUNS, seed))
            pool.append(_pool_campaign(ex, scen, seed))
    ref_s = _reference_cost(c1)
    mem = c1.peak_mib() + c2.peak_mib()
    start2 = c2.start_s
    c1.close()
    c2.close()

    m1, m2, mp = min(one), min(two), min(pool)
    med = statistics.median
    per_run = m1 / RUNS
    eff = (m1 / m2) / 2.0  # parallel efficiency of 2 workers
    hours = (CAMPAIGN_RUNS * ref_s / (CLUSTER_CORES * eff) + start2) / 3600.0
    rounds = f"min of {REPEATS} interleaved rounds (median {{}}); load {load:.2f} at start"
    return [
        {"benchmark": f"rossim campaign ros-short x {RUNS}, 2 workers vs 1 (steady state)",
         "rossim_s": m2, "peer": "same campaign on 1 worker", "peer_s": m1,
         "ratio": m1 / m2,
         "notes": f"{RUNS / m1 * 3600:.0f} runs/h on 1 worker, {RUNS / m2 * 3600:.0f} on 2 "
                  f"(target ratio >= 1.8); warm clusters, Parquet writes included; "
                  + rounds.format(f"{med(one):.1f} / {med(two):.1f} s")},
        {"benchmark": f"rossim campaign ros-short x {RUNS}, Dask vs concurrent.futures "
                      "(2 processes, steady state)",
         "rossim_s": m2, "peer": "ProcessPoolExecutor(2), warm, same Parquet writes",
         "peer_s": mp,
         "ratio": mp / m2,
         "notes": f"Dask scheduling overhead {100 * (m2 / mp - 1):.0f} % (target <= 10 %; "
                  f"dask.distributed {_dask_version()}), "
                  "both writing each result to the run store as it finishes; " + rounds.format(f"{med(two):.1f} / {med(pool):.1f} s")},
        {"benchmark": "campaign start-up: LocalCluster(2) start and worker warm-up, once",
         "rossim_s": start2, "peer": "ProcessPoolExecutor(2) start and warm-up",
         "peer_s": pool_start, "ratio": pool_start / start2,
         "notes": f"paid once per campaign; one ros-short run costs {per_run:.2f} s warm"},
        {"benchmark": "campaign peak memory per worker (MiB)",
         "rossim_s": None, "peer": "target (reference run budget)", "peer_s": None,
         "ratio": None,
         "notes": f"max RSS per worker after its runs: {', '.join(f'{m:.0f}' for m in mem)} "
                  f"MiB (1-worker then 2-worker cluster; ros-short plus {REF_RUNS} ros-51.6 "
                  f"runs on the first); budget 1024 MiB"},
        {"benchmark": f"on paper: {CAMPAIGN_RUNS:,} ros-51.6 runs on {CLUSTER_CORES} cores",
         "rossim_s": hours * 3600.0, "peer": None, "peer_s": None, "ratio": None,
         "notes": f"{hours:.1f} h = {CAMPAIGN_RUNS:,} x {ref_s:.1f} s (measured dispersed "
                  f"ros-51.6 run, warm worker) / ({CLUSTER_CORES} x {eff:.2f} measured 2-worker "
                  f"efficiency) + {start2:.0f} s start-up; assumes one worker per core and "
                  "the efficiency holding per core"},
    ]


def _dask_version() -> str:
    import distributed
    return distributed.__version__


if __name__ == "__main__":
    for row in run():
        print(row)
