"""Fixed costs of `rossim run ros-51.6` and the first run after installing (issue 19).

The fixed costs are what a run pays whatever its simulated span: imports (every module the
run imports, at start-up or lazily inside a model or the report, timed once by a meta-path
hook around each outermost import, plus the command parser, which imports every sub-command;
an import inside another timed entry point counts as an import only), the space-weather file, the IGRF field grids of the
dose model, and the report's figures. Each is timed inside a real `rossim run ros-51.6` (child
process, instrumented by wrapping those four entry points), target: under 1.5 s together.

"First run after install": the same command with an empty numba cache (``NUMBA_CACHE_DIR``) and
an empty rossim cache (``ROSSIM_CACHE_DIR``, the IGRF grids and the parsed space weather), both
temporary folders, against the warm runs that follow with the same folders (target: within
2x). Runs: one cold, then ``ROSSIM_BENCH_REPEATS`` (default 3) warm ones; min and median of the
warm runs, CPU time (user + system of the child) beside wall time, and the machine's load
average (``os.getloadavg``) before the runs.

``ROSSIM_BENCH_SRC`` points the children at another source tree (e.g. the lead's main
checkout) to measure "before" with the same script.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import importlib.abc, json, sys, time
t_start = time.perf_counter()
c_start = time.process_time()
cost = {"imports": 0.0, "space weather": 0.0, "field grids": 0.0, "report figures": 0.0}
cpu = dict.fromkeys(cost, 0.0)
imp = {"wall": 0.0, "cpu": 0.0, "depth": 0, "modules": 0}
by_package = {}
stack = []


class _TimedLoader(importlib.abc.Loader):
    # Every module import of the whole run, timed once (outermost import only): the imports
    # a run needs whenever they happen (at start-up or lazily inside a model or the report).
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self._timed(self.loader.create_module, spec, spec.name)

    def exec_module(self, module):
        return self._timed(self.loader.exec_module, module, module.__name__)

    def _timed(self, fn, arg, name):
        if imp["depth"] == 0:
            t0, c0 = time.perf_counter(), time.process_time()
        imp["depth"] += 1
        # self time per top-level package (a module's own time less the imports it triggers)
        stack.append([time.perf_counter(), 0.0])
        try:
            return fn(arg)
        finally:
            start, children = stack.pop()
            took = time.perf_counter() - start
            top = name.split(".")[0]
            by_package[top] = by_package.get(top, 0.0) + took - children
            if stack:
                stack[-1][1] += took
            imp["depth"] -= 1
            if imp["depth"] == 0:
                imp["wall"] += time.perf_counter() - t0
                imp["cpu"] += time.process_time() - c0

    def __getattr__(self, name):
        return getattr(self.loader, name)


class _TimedFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _TimedLoader(spec.loader)
                    imp["modules"] += 1
                return spec
        return None


sys.meta_path.insert(0, _TimedFinder())
import rossim.cli.main as climain

def timed(owner, name, key):
    orig = getattr(owner, name)
    def wrapper(*a, **k):
        t0, c0 = time.perf_counter(), time.process_time()
        i0, j0 = imp["wall"], imp["cpu"]
        try:
            return orig(*a, **k)
        finally:   # imports inside the call are counted once, as imports
            cost[key] += time.perf_counter() - t0 - (imp["wall"] - i0)
            cpu[key] += time.process_time() - c0 - (imp["cpu"] - j0)
    setattr(owner, name, wrapper)

import rossim.environment.spaceweather as sw
import rossim.environment.radiation.trapped as trapped
import rossim.report.html as report_html
timed(climain, "build_parser", "imports")
timed(sw.SpaceWeather, "__init__", "space weather")
timed(trapped, "magnetic_coordinates_grid", "field grids")
timed(report_html, "write_report", "report figures")
rc = climain.main(["run", "ros-51.6", "--out", sys.argv[1], "--quiet"])
cost["imports"] += imp["wall"]
cpu["imports"] += imp["cpu"]
cost["_modules"] = imp["modules"]
cost["_by_package"] = dict(sorted(by_package.items(), key=lambda kv: -kv[1])[:6])
cost["_total"] = time.perf_counter() - t_start
cost.update({"cpu " + k: v for k, v in cpu.items()})
print("COST " + json.dumps(cost))
sys.exit(rc)
"""

def _child(out: str, numba_dir: str, cache_dir: str) -> dict:
    env = dict(os.environ)
    env["NUMBA_CACHE_DIR"] = numba_dir
    env["ROSSIM_CACHE_DIR"] = cache_dir
    src = os.environ.get("ROSSIM_BENCH_SRC")
    if src:
        env["PYTHONPATH"] = src
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, out], capture_output=True, text=True,
                          env=env, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 2):
        raise RuntimeError(f"rossim run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    line = next(x for x in proc.stdout.splitlines() if x.startswith("COST "))
    cost = json.loads(line[len("COST "):])
    cost["_wall"] = wall
    cost["_cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cost


def run() -> list[dict]:
    repeats = int(os.environ.get("ROSSIM_BENCH_REPEATS", "3"))
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as numba_dir, tempfile.TemporaryDirectory() as cache, \
            tempfile.TemporaryDirectory() as out:
        cold = _child(str(Path(out) / "cold"), numba_dir, cache)
        warm = [_child(str(Path(out) / f"warm{k}"), numba_dir, cache) for k in range(repeats)]
    keys = ("imports", "space weather", "field grids", "report figures")
    fixed = [sum(w[k] for k in keys) for w in warm]
    best = min(range(repeats), key=lambda i: fixed[i])
    parts = ", ".join(f"{k} {warm[best][k]:.2f} s (CPU {warm[best]['cpu ' + k]:.2f} s)"
                      for k in keys)
    fixed_cpu = [sum(w["cpu " + k] for k in keys) for w in warm]
    cold_fixed = sum(cold[k] for k in keys)
    walls = [w["_wall"] for w in warm]
    cpus = [w["_cpu"] for w in warm]
    load_text = f"load average before {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min)"
    src = os.environ.get("ROSSIM_BENCH_SRC") or "this tree"
    rows = [{
        "benchmark": "rossim run ros-51.6: fixed costs (imports, space weather, IGRF field "
                     "grids, report figures), warm",
        "rossim_s": min(fixed), "peer": "target 1.5 s", "peer_s": 1.5,
        "ratio": 1.5 / min(fixed),
        "notes": f"min of {repeats} warm runs: {parts} ({warm[best]['_modules']} modules "
                 f"imported); median {statistics.median(fixed):.2f} s; "
                 f"fixed-cost CPU min {min(fixed_cpu):.2f} s; "
                 f"whole run wall min {min(walls):.1f} s, median {statistics.median(walls):.1f} s,"
                 f" CPU min {min(cpus):.1f} s; first run after install: fixed costs "
                 f"{cold_fixed:.2f} s (" + ", ".join(f"{k} {cold[k]:.2f} s" for k in keys)
                 + f"); {load_text}; source {src}" + _behind(min(fixed), warm[best]),
    }, {
        "benchmark": "rossim run ros-51.6: first run after install (empty numba and rossim "
                     "caches) vs warm",
        "rossim_s": cold["_wall"], "peer": "warm run (median), target ratio <= 2",
        "peer_s": statistics.median(walls),
        "ratio": statistics.median(walls) / cold["_wall"],
        "notes": f"first run wall {cold['_wall']:.1f} s, CPU {cold['_cpu']:.1f} s; warm runs "
                 f"wall min {min(walls):.1f} / median {statistics.median(walls):.1f} s, CPU min "
                 f"{min(cpus):.1f} s; first/warm = {cold['_wall'] / statistics.median(walls):.2f}"
                 f" in wall time, {cold['_cpu'] / min(cpus):.2f} in CPU time (target <= 2); "
                 f"{load_text}; source {src}",
    }]
    return rows


def _behind(fixed_s: float, best: dict) -> str:
    """The note under a row that misses the 1.5 s target: where the time goes."""
    if fixed_s <= 1.5:
        return "; within target"
    pk = ", ".join(f"{k} {v:.2f} s" for k, v in best["_by_package"].items())
    return (f". BEHIND the 1.5 s target ({fixed_s:.2f} s): imports {best['imports']:.2f} s, "
            f"by package (self time, the largest): {pk}; these are the libraries the run "
            "uses (numpy, astropy's time scales and IERS tables, numba's compiled kernels "
            "loaded from cache, matplotlib for the report, pymsis, DuckDB for the archive); "
            f"report figures {best['report figures']:.2f} s, almost all in matplotlib's text "
            "and tick layout and PNG encoding of the report's figures")


if __name__ == "__main__":
    for row in run():
        print(row)
