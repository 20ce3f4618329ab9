"""``rossim campaign SCENARIO --runs N [--workers K | --scheduler ADDRESS] [--out DIR]
[--seed S]``: a Monte Carlo campaign on Dask (docs/campaigns.md)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from rossim.cli._common import console
from rossim.config.scenario import load_scenario
from rossim.errors import InputError
from rossim.fileio import check_folder_kind, check_in_the_way, check_output_target


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "campaign", help="Monte Carlo campaign on Dask: many dispersed runs, percentiles",
        description="Run the scenario N times with the dispersions of its [monte_carlo] "
        "section, on a Dask LocalCluster (default) or a running scheduler. Each finished run "
        "is stored at once (DIR/runs/*.parquet); the same command resumes a killed campaign. "
        "Writes DIR/campaign.html, DIR/campaign-summary.json, DIR/campaign.duckdb and, last, "
        "DIR/manifest.json.")
    p.add_argument("scenario", help="scenario TOML file or shipped scenario name")
    p.add_argument("--runs", type=int, required=True, metavar="N", help="number of runs")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None, metavar="K",
                       help="worker processes of the local cluster (default: CPU count; at most "
                            "4 x CPU count, at most 256)")
    where.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--out", default="campaign", metavar="DIR",
                   help="campaign folder (default: campaign)")
    p.add_argument("--seed", type=int, default=None, metavar="S",
                   help="campaign seed (default: monte_carlo.seed of the scenario)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


#: Exit status of a campaign whose cluster kept dropping a run (sysexits.h EX_TEMPFAIL: try
#: again; the finished runs are kept and the same command resumes).
EXIT_CLUSTER_LOST = 75

#: Most runs of one campaign: the daily bands read a series of every run at once (10,000
#: runs of ros-51.6: 460 MB, docs/campaigns.md), and the run files are named run-NNNNNN.
MAX_RUNS = 10_000

#: Most local workers: 4 x the CPU count, at most 256. Each worker is a whole Python process
#: with the models loaded and one thread, and a run is CPU-bound, so workers past the CPU
#: count only queue for the cores; 4 x leaves room for oversubscribing a machine whose
#: os.cpu_count() under-reports (containers), and 256 caps a big host's process table and
#: memory. A bigger cluster is a running scheduler (--scheduler), not a local one.
MAX_WORKERS_CAP = 256


def max_workers() -> int:
    """Largest ``--workers`` accepted on this machine: ``min(4 x os.cpu_count(), 256)``."""
    return min(4 * (os.cpu_count() or 1), MAX_WORKERS_CAP)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.runs <= MAX_RUNS:
        raise InputError("argument", "--runs", args.runs,
                         f"a positive number of runs, at most {MAX_RUNS:,} (the daily bands "
                         "read a series of every run at once: 460 MB for 10,000 runs of "
                         "ros-51.6)")
    if args.workers is not None and not 1 <= args.workers <= max_workers():
        raise InputError("argument", "--workers", args.workers,
                         f"a positive number of workers, at most {max_workers()} (4 x the "
                         f"{os.cpu_count() or 1} CPUs, at most {MAX_WORKERS_CAP}; for more, "
                         "start a Dask cluster and give --scheduler)")
    if args.seed is not None and args.seed < 0:
        raise InputError("argument", "--seed", args.seed, "a non-negative integer")
    check_output_target(args.out, "--out", folder=True)   # writable, in an existing folder
    check_folder_kind(args.out, "campaign", "--out")  # never into a run's folder (they'd mix)
    from rossim.campaign.store import CAMPAIGN_FILES, CAMPAIGN_FOLDERS

    check_in_the_way(args.out, CAMPAIGN_FILES, CAMPAIGN_FOLDERS, "--out")  # before any run
    scenario = load_scenario(args.scenario)
    if scenario.monte_carlo is None:  # legitimate (the models' own draws vary), but say so
        seed = args.seed if args.seed is not None else 0
        sys.stderr.write(
            f"rossim: note: {scenario.name} has no [monte_carlo] section: no input is "
            "dispersed, the runs differ only by their simulation seed (the models' own random "
            f"draws, e.g. faults); campaign seed {seed}"
            + (" (--seed S to choose another)" if args.seed is None else "") + "\n")
    from rossim.station import build_timeline

    build_timeline(scenario)  # the nominal plan must be valid before any run starts
    from rossim.campaign.dispatch import ClusterLost, run_campaign
    from rossim.campaign.report import console_line, write_campaign_report
    from rossim.campaign.store import CampaignStore

    con = console()
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("failed {task.fields[failed]}"), TimeElapsedColumn(),
                        TextColumn("ETA"), TimeRemainingColumn(), console=con,
                        disable=args.quiet)
    with progress:
        task = progress.add_task(f"{scenario.name} runs", total=args.runs, failed=0)

        def report(done: int, failed: int, total: int) -> None:
            progress.update(task, completed=done, failed=failed)

        try:
            result = run_campaign(scenario, args.runs, args.out, campaign_seed=args.seed,
                                  workers=args.workers, scheduler=args.scheduler,
                                  progress=report)
        except ClusterLost as exc:   # not a bug, not bad input: the cluster, for a while
            progress.stop()
            sys.stderr.write(f"rossim: campaign stopped: {exc}\n")
            return EXIT_CLUSTER_LOST
    store = CampaignStore(args.out)
    stats = write_campaign_report(store, scenario, args.runs)
    store.write_duckdb()
    store.write_manifest({"runs": stats["runs"], "ok": stats["ok"], "failed": stats["failed"],
                          "campaign_seed": store.spec()["campaign_seed"],
                          "scenario": scenario.name})
    out = Path(args.out)
    con.print(f"{scenario.name}: {args.runs} runs ({result.before} already done, "
              f"{result.done_now} now in {result.wall_s:.0f} s), {stats['ok']} ok, "
              f"{stats['failed']} failed, {stats['no_station']} without a station.")
    runs_df = store.runs(limit=args.runs)
    if len(runs_df) and "worker_peak_rss_mib" in runs_df:
        ok_df = runs_df[runs_df["status"] == "ok"]
        if len(ok_df):
            con.print(f"  compute: median {ok_df['wall_s'].median():.1f} s per run, peak "
                      f"worker memory {ok_df['worker_peak_rss_mib'].max():.0f} MiB")
    h = stats["headlines"]
    for key in ("propellant_kg_per_year", "availability", "min_battery_soc",
                "crew_dose_max_visit_per_person_mSv"):
        if key in h:   # the risk tail: P10/P5 where low is bad, else P90/P95
            con.print(console_line(key, h[key]))
    cu = stats.get("callups")
    if cu:   # rossim.campaign.report.callup_totals
        lost = stats.get("callups_lost_at_launch")
        con.print(f"  cargo call-ups flown: {cu['flown']}"
                  + (f" ({lost['cargo']} lost at launch)" if lost else "") +
                  f" (spare {cu['spare']}, propellant "
                  f"{cu['propellant']}: {cu['propellant_gap']} in a gap of the plan, "
                  f"{cu['propellant_plan_end']} after its end); {cu['not_flown']} not flown; "
                  f"{cu['propellant_topups']} propellant top-ups")
    if stats.get("launch_failures") is not None:
        from rossim.campaign.report import launch_failure_line

        con.print(launch_failure_line(stats["launch_failures"]))
    sens = stats["sensitivity"]
    top = sorted(((abs(v.get("propellant_kg_per_year", 0.0)), k, v.get(
        "propellant_kg_per_year", 0.0)) for k, v in sens.items()), reverse=True)[:3]
    from rossim.campaign.report import sensitivity_note

    note = sensitivity_note(stats["ok"])
    if top and note:   # too few runs: the largest |rho| are chance, not drivers
        con.print(f"  propellant drivers: none ({note})")
    elif top:
        con.print("  propellant driven by: " + ", ".join(f"{k} (rho {r:+.2f})"
                                                         for _, k, r in top))
    con.print(f"wrote {out / 'campaign.html'}, {out / 'campaign-summary.json'}, "
              f"{out / 'campaign.duckdb'}, {out / 'runs'}/, {out / 'manifest.json'}")
    return 0
