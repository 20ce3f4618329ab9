"""How much the atmosphere model's output depends on the CPU it runs on.

pymsis (NRLMSIS 2.1 and 00, compiled Fortran) computes in single precision and returns
float32 densities; which float32 it returns depends on the CPU's instruction set (found
2026-12-02: a Sapphire Rapids host with AVX-512 and the same wheel under ``qemu-x86_64 -cpu
Haswell`` disagree by up to 49 float32 units in the last place, 3.6e-6 relative, on a third
of 200 points). rossim's runs are byte-identical on one machine (same scenario and seed, any
process: tests/ops/test_run_determinism.py) but not across CPU classes: these differences
accumulate in the station's decay and move, for example, the free-flyer closest approach of
tests/ops/test_return_watch.py by a few metres (553, 558.8 and 564.0 m on three CPUs).

    python tools/cpu_reproducibility.py            # this CPU against qemu's Haswell model
    python tools/cpu_reproducibility.py --cpu Nehalem

Needs Debian's ``qemu-user`` (``qemu-x86_64``) for the emulated CPU; without it, prints this
CPU's figures only. The emulated run takes about a minute.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

_PROBE = r"""
import sys
import numpy as np
import pymsis
n = 200
dates = np.datetime64("2029-01-10T00:00") + np.arange(n) * np.timedelta64(600, "s")
lat = np.linspace(-51.0, 51.0, n)
lon = np.linspace(-180.0, 179.0, n)
alt = np.full(n, 400.0)
out = pymsis.calculate(dates, lon, lat, alt, f107s=np.full(n, 150.0),
                       f107as=np.full(n, 140.0), aps=np.full((n, 7), 10.0), version=2.1)
np.save(sys.argv[1], out[..., 0])
"""


def _probe(path: str, cpu: str | None) -> None:
    cmd = [sys.executable, "-c", _PROBE, path]
    if cpu:
        cmd = [shutil.which("qemu-x86_64"), "-cpu", cpu, *cmd]
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cpu", default="Haswell", help="qemu CPU model (default Haswell)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        here = os.path.join(tmp, "native.npy")
        _probe(here, None)
        a = np.load(here)
        print(f"pymsis density dtype: {a.dtype} (single precision)")
        if shutil.which("qemu-x86_64") is None:
            print("qemu-x86_64 not found (apt install qemu-user): no emulated CPU to compare")
            return 0
        there = os.path.join(tmp, "emulated.npy")
        _probe(there, args.cpu)
        b = np.load(there)
    rel = np.abs(a.astype(float) / b.astype(float) - 1.0)
    ulps = np.abs(a.view(np.int32).astype(np.int64) - b.view(np.int32).astype(np.int64))
    print(f"this CPU against qemu -cpu {args.cpu}: {np.mean(a != b):.0%} of {a.size} densities "
          f"differ, by up to {ulps.max()} float32 ulps ({rel.max():.2e} relative)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
