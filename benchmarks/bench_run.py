"""The full reference run (`rossim run`, ros-51.6, 2027-2035): wall time against the 60 s
target, peak memory against 2 GiB, simulated days per second, and the split between models.
The run happens in a child process, which reports its own peak resident memory."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from rossim.cli.main import main
from rossim.config.scenario import load_scenario
import rossim.ops.simulation as sim
timing = {}
orig = sim.simulate
def wrapped(*a, **k):
    r = orig(*a, **k)
    timing.update(r.timing_s)
    timing["_days"] = (r.orbit.epochs[-1] - r.orbit.epochs[0]).astype("timedelta64[s]").astype(float) / 86400
    return r
sim.simulate = wrapped
rc = main(["run", "ros-51.6", "--out", sys.argv[1], "--quiet"])
timing["_total"] = time.perf_counter() - t0
timing["_peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
print("TIMING " + json.dumps(timing))
sys.exit(rc)
"""


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", CHILD, out], capture_output=True,
                              text=True, check=True)
        wall = time.perf_counter() - t0
    line = next(x for x in proc.stdout.splitlines() if x.startswith("TIMING "))
    timing = json.loads(line[len("TIMING "):])
    peak_mib = timing.pop("_peak_mib")  # the child's own peak resident memory
    days = timing.pop("_days")
    timing.pop("_total")
    split = ", ".join(f"{k} {v:.1f} s" for k, v in timing.items())
    return [{
        "benchmark": "rossim run ros-51.6 (2027-12 to 2035-12, whole command)",
        "rossim_s": wall, "peer": "target 60 s", "peer_s": 60.0, "ratio": 60.0 / wall,
        "notes": f"{days / wall:.0f} simulated days/s; peak memory {peak_mib:.0f} MiB "
                 f"(target 2048); models: {split}",
    }]


if __name__ == "__main__":
    for row in run():
        print(row)
