"""How much the atmosphere model's output depends on the processor that computes it.

pymsis (NRLMSIS 2.1 and 00, compiled Fortran) computes in single precision and returns
float32 densities, and its compiled code uses the x86 approximate-reciprocal instruction
``rcpps`` (39 of them in ``msis21f``), whose result is only specified to 1.5 x 2^-12: its last
bits are the processor's own (Intel and AMD designs differ; qemu computes it exactly). So the
same wheel, inputs and code give densities that differ in their last float32 bits from one
processor design to another. The tool compares this processor with qemu's emulation, a
second implementation at hand (found 2026-12-02: a Sapphire Rapids host against qemu, any
``-cpu`` model, differ by up to 49 float32 units in the last place, 3.6e-6 relative, on a
third of 200 points). rossim's runs give the same figures in any process on one machine
(tests/ops/test_run_determinism.py), not across processor designs: these differences
accumulate in the station's decay and move, for example, the free-flyer closest approach of
tests/ops/test_return_watch.py by metres (``--return-watch`` prints it on this processor:
1,211 m on the host of 2026-12-03 with the release at 0.52 m/s; at 0.5 m/s it was 553 m on
the hosts of 2026-11 and 564.0 m on the Sapphire Rapids host of 2026-12-02).

    python tools/cpu_reproducibility.py                 # this processor against qemu
    python tools/cpu_reproducibility.py --cpu max       # any qemu model gives the same
    python tools/cpu_reproducibility.py --return-watch  # + the test's closest approach (about 10 s)

Needs Debian's ``qemu-user`` (``qemu-x86_64``) for the emulation and binutils' ``objdump`` to
count the instructions; without them, prints what it can. A few seconds.
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


def return_watch_closest_m() -> float:
    """ff-1-4's closest approach (m) after the post-run check of the case of
    tests/ops/test_return_watch.py (ros-short, four 50 kg satellites released 2029-01-10, a
    0.28 m/s ground reboost 55 days later, 92 days flown), on this processor."""
    import datetime as dt
    from pathlib import Path
    from types import SimpleNamespace as NS

    from rossim.config.free_flyers import Deployment
    from rossim.config.scenario import load_scenario
    from rossim.fleet.recontact import family_summary
    from rossim.ops import Reboost, Simulation

    release = dt.datetime(2029, 1, 10, tzinfo=dt.UTC)
    scen = load_scenario(Path(__file__).resolve().parents[1] / "tests" / "data" / "ops"
                         / "ros-short.toml")
    dep = Deployment(date=release, count=4, mass_kg=50, port="gateway.airlock",
                     delta_v_m_s=0.52, direction=(-1.0, 0.0, 1.0))
    # the one reboost after the release is the test's (no departing Progress's reserve burn)
    scen = scen.model_copy(update={
        "free_flyers": scen.free_flyers.model_copy(update={"deployments": [dep]}),
        "operations": scen.operations.model_copy(update={"departure_reboost": False})})
    sim = Simulation(scen, models=("orbit",))
    sim.command(Reboost(delta_v_m_s=0.28, source="ground",
                        at=release + dt.timedelta(days=55)))
    sim.advance_to(release + dt.timedelta(days=92))
    result = NS(keepout=sim.keepout.record(), orbit=sim.orbit.history(sim),
                timeline=sim.timeline, seed=sim.seed, weather=sim.weather)
    rows = {r["name"]: r for r in family_summary(sim.scenario, result)["satellites"]}
    return float(rows["ff-1-4"]["closest_approach_m"])


def _rcpps_count() -> int | None:
    """``rcpps`` instructions in pymsis's MSIS 2.1 library (None without objdump)."""
    import glob

    import pymsis

    objdump = shutil.which("objdump")
    libs = glob.glob(os.path.join(os.path.dirname(pymsis.__file__), "msis21f*.so"))
    if objdump is None or not libs:
        return None
    text = subprocess.run([objdump, "-d", libs[0]], capture_output=True, text=True).stdout
    return sum(1 for line in text.splitlines() if "\trcpps" in line or " rcpps" in line)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cpu", default="Haswell",
                    help="qemu CPU model (default Haswell; qemu's rcpps is exact whatever it is)")
    ap.add_argument("--return-watch", action="store_true",
                    help="also print tests/ops/test_return_watch.py's ff-1-4 closest approach")
    args = ap.parse_args(argv)
    if args.return_watch:
        print(f"return watch case, ff-1-4 closest approach on this processor: "
              f"{return_watch_closest_m():.1f} m")
    n = _rcpps_count()
    if n is not None:
        print(f"pymsis msis21f: {n} rcpps instructions (approximate reciprocal, last bits "
              "set by the processor)")
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
    print(f"this processor against qemu -cpu {args.cpu}: {np.mean(a != b):.0%} of {a.size} densities "
          f"differ, by up to {ulps.max()} float32 ulps ({rel.max():.2e} relative)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
