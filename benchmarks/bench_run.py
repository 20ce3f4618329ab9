"""The full reference run (`rossim run ros-51.6`, 2027-2035) with the closed-loop engine,
against the open-loop pipeline it replaced (rossim at commit ``952c3a3``, extracted from git
and run in the same benchmark) and the targets of issue #12: at most 30 s and 1 GiB peak,
simulated days per second, time per model; and the step-by-step cost of advancing one
simulated day (target under 50 ms, so a live run at 1,000x real time leaves the machine idle).

Each run happens in a child process that reports its own peak resident memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OPEN_LOOP_COMMIT = "952c3a3"

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from rossim.cli.main import main
import rossim.ops.simulation as sim
timing = {}
orig = sim.simulate
def wrapped(*a, **k):
    r = orig(*a, **k)
    timing.update(r.timing_s)
    timing["_days"] = (r.orbit.epochs[-1] - r.orbit.epochs[0]).astype("timedelta64[s]").astype(float) / 86400
    timing["_spans"] = getattr(r, "spans", 0)
    return r
sim.simulate = wrapped
rc = main(["run", "ros-51.6", "--out", sys.argv[1], "--quiet"])
timing["_total"] = time.perf_counter() - t0
timing["_peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
print("TIMING " + json.dumps(timing))
sys.exit(rc)
"""

STEP_CHILD = r"""
import json, time
from rossim.config.scenario import load_scenario
from rossim.ops import Simulation
sim = Simulation(load_scenario("ros-51.6"))
sim.advance_to("2029-01-01")        # past assembly of stage 1, crews and cargo flying
t0 = time.perf_counter()
days = 365
start = sim.engine.now_s
for k in range(1, days + 1):
    sim.engine.advance_to_s(start + k * 86400)
dt = time.perf_counter() - t0
print("STEP " + json.dumps({"ms_per_day": 1000 * dt / days, "days": days}))
"""


def _child(code: str, args: list[str], pythonpath: str | None = None) -> tuple[float, str]:
    import os

    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True, env=env)
    return time.perf_counter() - t0, proc.stdout


def _timing(stdout: str) -> dict:
    line = next(x for x in stdout.splitlines() if x.startswith("TIMING "))
    return json.loads(line[len("TIMING "):])


def _open_loop_tree(tmp: Path) -> Path | None:
    """``src/`` of the open-loop rossim, extracted from git (None outside a git checkout)."""
    try:
        blob = subprocess.run(["git", "-C", str(ROOT), "archive", OPEN_LOOP_COMMIT, "src",
                               "scenarios"],
                              capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(tmp, filter="data")
    return tmp / "src"


def run() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as old:
        base_src = _open_loop_tree(Path(old))
        base_wall = None
        if base_src is not None:
            base_wall, base_out = _child(CHILD, [str(Path(out) / "open")], str(base_src))
            base = _timing(base_out)
        wall, stdout = _child(CHILD, [str(Path(out) / "closed")])
    t = _timing(stdout)
    peak = t.pop("_peak_mib")
    days = t.pop("_days")
    spans = t.pop("_spans")
    t.pop("_total")
    split = ", ".join(f"{k} {v:.1f} s" for k, v in t.items() if not k.startswith("_"))
    note = (f"{days / wall:.0f} simulated days/s, {spans} engine spans; peak memory {peak:.0f} "
            f"MiB (target 1024); models: {split}")
    if base_wall is not None:
        rows.append({
            "benchmark": "rossim run ros-51.6, closed loop vs the open-loop pipeline it replaced",
            "rossim_s": wall, "peer": f"open-loop rossim ({OPEN_LOOP_COMMIT}), same machine",
            "peer_s": base_wall, "ratio": base_wall / wall,
            "notes": f"open loop peak {base['_peak_mib']:.0f} MiB; closed loop: {note}",
        })
    rows.append({
        "benchmark": "rossim run ros-51.6 (2027-12 to 2035-12, whole command, closed loop)",
        "rossim_s": wall, "peer": "target 30 s", "peer_s": 30.0, "ratio": 30.0 / wall,
        "notes": note,
    })
    _, step_out = _child(STEP_CHILD, [])
    line = next(x for x in step_out.splitlines() if x.startswith("STEP "))
    step = json.loads(line[len("STEP "):])
    ms = step["ms_per_day"]
    rows.append({
        "benchmark": "Simulation.advance by one simulated day, step by step (2029, 365 steps)",
        "rossim_s": ms / 1000.0, "peer": "target 50 ms", "peer_s": 0.05, "ratio": 50.0 / ms,
        "notes": f"{ms:.1f} ms per simulated day: a live run at 1,000x real time uses "
                 f"{100 * ms / 86400:.4f} % of one core",
    })
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
