"""Running a campaign on Dask: a LocalCluster by default, any running scheduler by address.

:func:`run_campaign` submits one Dask task per unfinished run (:func:`run_task`: draw the
dispersions, call :func:`rossim.campaign.runner.run_one`, reduce to daily values) and writes
each result as it arrives (:class:`rossim.campaign.store.CampaignStore`), so a campaign killed
at any moment resumes with the same command and redoes no finished run. A run that raises is
recorded with ``status = "failed"``, its error and its seed; the campaign goes on. Results
depend only on the campaign seed and the run index, never on the worker, the number of
workers or the order of completion (see :mod:`rossim.campaign.dispersions`).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rossim.campaign import runner
from rossim.campaign.dispersions import draw_run
from rossim.campaign.store import CampaignStore, scenario_digest
from rossim.config.scenario import Scenario
from rossim.errors import InputError

__all__ = ["run_task", "run_campaign", "CampaignResult", "ClusterLost", "connect_client",
           "peak_rss_mib"]

#: Seconds to wait for a scheduler given by address before giving up (exit 2).
SCHEDULER_TIMEOUT_S = 10.0


def peak_rss_mib() -> float:
    """This process's peak resident memory so far (MiB; ``getrusage`` on POSIX, NaN
    elsewhere)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _trim_heap() -> None:
    """Give freed heap back to the OS after a run (glibc ``malloc_trim``; a no-op elsewhere).
    A Dask worker runs tasks on a thread whose malloc arena keeps what a run freed, so
    without it a worker's resident memory grows by about one run's working set per run."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _forget_memos() -> None:
    """Drop the in-process memos of the last run (MSIS outputs, TDB epochs: up to 96 MiB):
    the next run's dispersed inputs would not hit them, and a worker lives for many runs."""
    from rossim.environment.atmosphere import clear_memo
    from rossim.environment.ephemeris import clear_tdb_memo

    clear_memo()
    clear_tdb_memo()


def run_task(scenario: Scenario, campaign_seed: int, run: int) -> dict[str, Any]:
    """One run, on a worker: ``{"record": {...}, "daily": {...} | None}``. Never raises for
    a failed simulation: the record says ``status = "failed"`` with the error. The record's
    ``wall_s`` and ``worker_peak_rss_mib`` (the worker process's peak memory after the run)
    describe the computation, not the station: they are the only fields that differ between
    two campaigns with the same seed."""
    record: dict[str, Any] = {"run": run, "campaign_seed": campaign_seed}
    t0 = time.perf_counter()
    try:
        draw = draw_run(scenario, campaign_seed, run)
        record["seed"] = draw.seed
        record.update({f"in_{k}": v for k, v in draw.inputs.items()})
        record["events"] = "; ".join(draw.events)
        if not draw.station:  # a physical outcome, not an engine failure
            record["status"] = "no_station"
            record["error"] = "no module in orbit during the span (launches lost or late)"
            record["wall_s"] = time.perf_counter() - t0
            return {"record": record, "daily": None}
        outcome = runner.run_one(draw.scenario, draw.seed)
    except Exception as exc:  # the run failed: record it, the campaign goes on
        from rossim.campaign.dispersions import sim_seed

        record.setdefault("seed", sim_seed(campaign_seed, run))
        record["status"] = "failed"
        record["error"] = f"{type(exc).__name__}: {exc}"[:2000]
        record["wall_s"] = time.perf_counter() - t0
        _forget_memos()
        return {"record": record, "daily": None}
    record["status"] = "ok"
    record["error"] = None
    summary = {k: v for k, v in outcome.summary.items() if k not in ("seed", "scenario")}
    record.update(summary)
    record["wall_s"] = time.perf_counter() - t0
    daily = outcome.daily
    del outcome
    import gc

    _forget_memos()
    gc.collect()
    _trim_heap()
    record["worker_peak_rss_mib"] = peak_rss_mib()
    return {"record": record, "daily": daily}


#: Times a run is submitted before a campaign whose scheduler keeps dropping it stops
#: (:class:`ClusterLost`).
MAX_SUBMISSIONS = 3


class ClusterLost(RuntimeError):
    """The Dask scheduler dropped a run (cancelled or lost, not finished) at each of its
    :data:`MAX_SUBMISSIONS` submissions, or the connection to the cluster closed (``run`` is
    then ``None``). The runs finished so far are stored: the same command resumes the
    campaign. Attributes ``run``, ``submissions``, ``reason`` and ``out`` (the folder)."""

    def __init__(self, run: int | None, submissions: int, reason: str, out: Path) -> None:
        reason = " ".join(str(reason).split())[:300]   # Dask's reasons can span lines
        self.run, self.submissions, self.reason, self.out = run, submissions, reason, out
        what = (f"the Dask scheduler dropped run {run} before it finished at each of its "
                f"{submissions} submissions (last: {reason})" if run is not None else
                f"the connection to the Dask cluster closed ({reason})")
        super().__init__(f"{what}; the runs finished so far are kept in {out}: run the same "
                         "command to resume")


def _outcome(fut, campaign_seed: int, run: int) -> tuple[dict | None, str]:
    """``(result, "")`` of a future that finished (a run that raised on its worker: a
    ``failed`` record), or ``(None, reason)`` for one the scheduler dropped (cancelled, or
    lost with its worker before its result reached the campaign)."""
    from concurrent.futures import CancelledError  # Dask's FutureCancelledError is one

    if fut.status == "lost":   # asking for its result would wait for a recomputation
        return None, "its worker was lost"
    try:
        if fut.status != "error":
            return fut.result(), ""
        exc = fut.exception()
    except CancelledError as dropped:   # also when cancelled between the check and the call
        return None, f"{type(dropped).__name__}: {dropped}"
    from rossim.campaign.dispersions import sim_seed

    return {"record": {"run": run, "campaign_seed": campaign_seed,
                       "seed": sim_seed(campaign_seed, run), "status": "failed",
                       "error": f"{type(exc).__name__}: {exc}"[:2000]}, "daily": None}, ""


class CampaignResult:
    """What :func:`run_campaign` did: runs finished before, now, failed, and the folder."""

    def __init__(self, out: Path, requested: int, before: int, done_now: int, failed: int,
                 complete: bool, wall_s: float) -> None:
        self.out, self.requested, self.before = out, requested, before
        self.done_now, self.failed, self.complete, self.wall_s = done_now, failed, complete, wall_s


def connect_client(workers: int | None, scheduler: str | None, processes: bool = True):
    """A ``distributed.Client``: on ``scheduler`` (an address such as ``tcp://host:8786``),
    or on a new LocalCluster of ``workers`` single-threaded worker processes (default: the
    machine's CPU count). Returns ``(client, cluster_or_None)``. An address that does not
    answer within :data:`SCHEDULER_TIMEOUT_S` raises :class:`InputError`."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=f"{SCHEDULER_TIMEOUT_S:g}s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError("argument", "scheduler", scheduler,
                             f"the address of a running Dask scheduler answering within "
                             f"{SCHEDULER_TIMEOUT_S:g} s (e.g. tcp://127.0.0.1:8786)",
                             problem=f"no answer ({type(exc).__name__})") from None
        return client, None
    import dask

    n = workers or os.cpu_count() or 1
    # The workers' statistical profiler samples every task's stack every 10 ms: on CPU-bound
    # runs sharing the machine's cores that is pure overhead, so the local cluster runs
    # without it (a cluster given by address keeps its own configuration).
    # Dask starts its workers with MALLOC_TRIM_THRESHOLD_=65536, which also freezes glibc's
    # mmap threshold at 128 KiB: every numpy temporary above it is mapped and unmapped
    # afresh, page faults and all (a ros-short run: ~10x the minor page faults, +16 % CPU
    # time). run_task gives each run's freed heap back itself (malloc_trim), so the local
    # workers run with glibc's default allocator settings, like a plain process pool.
    # A worker's event loop shares the GIL with the thread running the task: its health
    # check (every 20 ms), memory monitor (100 ms) and system monitor (500 ms) each take the
    # GIL from the run. Runs hold no Dask data to spill, so the local workers check less
    # often (a CPU-bound task: 2-3 % of its wall time back, about the gap to a plain pool).
    with dask.config.set({"distributed.worker.profile.enabled": False,
                          "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                          "distributed.admin.tick.interval": "1s",
                          "distributed.worker.memory.monitor-interval": "1s",
                          "distributed.admin.system-monitor.interval": "2s"}):
        with _workers_ignore_sigint():
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=processes,
                                   dashboard_address=":0", silence_logs=40)
    client = Client(cluster)
    # the local workers drop one expected message: their heartbeat failing once the campaign
    # process (which holds the scheduler) has closed it after Ctrl-C; under load a worker's
    # heartbeat can fall between the two closes and print a Dask ERROR after
    # "rossim: interrupted"
    client.register_plugin(_quiet_heartbeat_plugin(), name="rossim-quiet-heartbeat")
    return client, cluster


class _HeartbeatFilter:
    """A logging filter dropping "Failed to communicate with scheduler during heartbeat"."""

    def filter(self, record) -> bool:
        return "during heartbeat" not in record.getMessage()


def _quiet_heartbeat_plugin():
    """A worker plugin (set up on every local worker, restarted ones included) that adds
    :class:`_HeartbeatFilter` to the worker's logger (distributed imported only here)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class QuietHeartbeat(WorkerPlugin):
        def setup(self, worker) -> None:
            import logging

            log = logging.getLogger("distributed.worker")
            if not any(isinstance(f, _HeartbeatFilter) for f in log.filters):
                log.addFilter(_HeartbeatFilter())

    return QuietHeartbeat()


@contextlib.contextmanager
def _workers_ignore_sigint():
    """Start the local cluster's worker processes with SIGINT ignored (an ignored signal is
    inherited through fork and exec, and Python keeps it ignored). Ctrl-C in a terminal goes
    to the whole process group: the campaign process alone handles it and closes the cluster,
    instead of every worker dying with its own KeyboardInterrupt traceback. Only from the
    main thread (where signal handlers can be set); elsewhere a no-op."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _close(client, cluster) -> None:
    client.close()
    if cluster is not None:
        cluster.close()


#: Loggers that report a cluster's teardown after Ctrl-C (the nanny logs the interrupted
#: worker's exit as an ERROR with an asyncio.CancelledError traceback).
_TEARDOWN_LOGGERS = ("distributed", "tornado", "asyncio")


@contextlib.contextmanager
def _quiet_dask_logs():
    """Silence Dask's loggers (and those it runs on) while the cluster closes after an
    interrupt; the previous levels are restored afterwards. A worker stopped by the same
    Ctrl-C is expected there, not an error to report."""
    import logging

    names = [n for n in list(logging.root.manager.loggerDict)
             if n.split(".")[0] in _TEARDOWN_LOGGERS] + list(_TEARDOWN_LOGGERS)
    saved = {n: logging.getLogger(n).level for n in names}
    for n in names:
        logging.getLogger(n).setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for n, level in saved.items():
            logging.getLogger(n).setLevel(level)


def run_campaign(scenario: Scenario, runs: int, out: str | os.PathLike[str], *,
                 campaign_seed: int | None = None, workers: int | None = None,
                 scheduler: str | None = None, processes: bool = True,
                 progress: Callable[[int, int, int], None] | None = None,
                 stop_after: int | None = None, client=None) -> CampaignResult:
    """Run (or resume) a campaign of ``runs`` runs into ``out``.

    ``campaign_seed`` defaults to ``scenario.monte_carlo.seed`` (0 without a section).
    ``progress(done, failed, total)`` is called as runs finish. ``stop_after``: return after
    that many newly finished runs without finishing the campaign (tests of resume).
    ``client``: an existing ``distributed.Client`` to submit to (a notebook's, or a warmed-up
    cluster reused across campaigns); it is left open. The
    report and manifest are written by :func:`rossim.campaign.report.write_campaign_report`
    and :meth:`CampaignStore.write_manifest` once every run is finished (done here).
    """
    if runs < 1:
        raise InputError("argument", "runs", runs, "a positive number of runs")
    if workers is not None and workers < 1:
        raise InputError("argument", "workers", workers, "a positive number of workers")
    if campaign_seed is None:
        campaign_seed = scenario.monte_carlo.seed if scenario.monte_carlo else 0
    if campaign_seed < 0:
        raise InputError("argument", "campaign_seed", campaign_seed, "a non-negative integer")
    # A scheduler given by address is reached before the folder is touched: a bad address
    # leaves nothing behind (no campaign.json, runs/, series/).
    early = connect_client(workers, scheduler, processes) if client is None and scheduler \
        else None
    try:
        return _run_campaign(scenario, runs, out, int(campaign_seed), workers, scheduler,
                             processes, progress, stop_after, client, early)
    finally:
        if early is not None:
            _close(*early)


def _run_campaign(scenario, runs, out, campaign_seed, workers, scheduler, processes, progress,
                  stop_after, client, early) -> CampaignResult:
    store = CampaignStore(out)
    spec = {"scenario": scenario.name, "scenario_path": scenario.source_path,
            "scenario_digest": scenario_digest(scenario), "campaign_seed": int(campaign_seed),
            "monte_carlo": (scenario.monte_carlo.model_dump(mode="json")
                            if scenario.monte_carlo else None)}
    store.prepare(spec)
    finished = store.finished()
    todo = [i for i in range(runs) if i not in finished]
    before = runs - len(todo)
    t0 = time.perf_counter()
    failed = 0
    done_now = 0
    if progress:
        progress(before, 0, runs)
    if todo:
        from dask.distributed import as_completed
        from distributed.comm import CommClosedError

        if client is None and early is not None:
            client = early[0]  # closed by run_campaign
        own = client is None
        if own:
            client, cluster = connect_client(workers, scheduler, processes)
        try:
            scen = client.scatter(scenario, broadcast=True)
            submitted = dict.fromkeys(todo, 0)

            def submit(i: int):
                submitted[i] += 1
                key = f"rossim-run-{campaign_seed}-{i}-{os.getpid()}"
                return client.submit(run_task, scen, int(campaign_seed), i, pure=False,
                                     key=key if submitted[i] == 1 else f"{key}-{submitted[i]}")

            futures = [submit(i) for i in todo]
            index = {f.key: i for f, i in zip(futures, todo, strict=True)}
            pending = as_completed(futures)
            for fut in pending:
                i = index[fut.key]
                result, why = _outcome(fut, campaign_seed, i)
                if result is None:
                    # Dropped by the scheduler before its result reached us: a worker or this
                    # process stopped for longer than Dask's timeouts (a suspended machine, a
                    # stopped job). Submit it again (its figures depend only on the campaign
                    # seed and its index), the scenario scattered again if it went too.
                    fut.release()
                    if submitted[i] >= MAX_SUBMISSIONS:
                        for f in futures:   # a caller's client keeps running what is left
                            f.cancel()
                        raise ClusterLost(i, submitted[i], why, store.out)
                    if scen.status != "finished":   # a new key: the old one's release may
                        scen = client.scatter(scenario, broadcast=True, hash=False)  # lag
                    again = submit(i)
                    index[again.key] = i
                    futures.append(again)
                    pending.add(again)
                    continue
                fut.release()
                store.write_run(result["record"], result["daily"])
                done_now += 1
                failed += result["record"]["status"] == "failed"
                if progress:
                    progress(before + done_now, failed, runs)
                if stop_after is not None and done_now >= stop_after:
                    for f in futures:
                        f.cancel()
                    break
        except CommClosedError as exc:   # the cluster went away under a scatter or a submit
            raise ClusterLost(None, 0, f"{type(exc).__name__}: {exc}", store.out) from None
        except KeyboardInterrupt:
            if own:  # Ctrl-C: close the cluster without Dask logging its own shutdown
                import warnings

                # a coroutine Tornado had made when the interrupt landed is never awaited
                warnings.filterwarnings("ignore", "coroutine .* was never awaited",
                                        RuntimeWarning, r"tornado\.")
                with _quiet_dask_logs():
                    _close(client, cluster)
                own = False
            raise
        finally:
            if own:
                _close(client, cluster)
    complete = len(store.finished() & set(range(runs))) == runs
    return CampaignResult(store.out, runs, before, done_now, failed, complete,
                          time.perf_counter() - t0)
