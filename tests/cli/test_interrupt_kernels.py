"""Ctrl-C while a long compiled or BLAS call runs, in the commands that make them: exit 130
with the one line, soon (within one part of the call), never a segmentation fault, and no
output file. Python runs a signal handler only between bytecodes, so a Ctrl-C waited for the
end of the call it landed in; each of these now runs in parts:

* ``rossim coverage``: the numba sweep of the track over the region's grid, one call for the
  whole span (a 120-day sweep of Russia at 0.03 deg: ~20 s), now in calls of ~0.1 s
  (``rossim.analysis.coverage.SWEEP_CALL_S``);
* ``rossim fleet``: the HCW ephemeris of the whole span, one BLAS product ``(T, 5) @ (5, 3N)``
  per zone and satellite (a month at 1 s: 2.6 million rows, 1 to 10 s on 2 loaded cores;
  ``fleet``'s own numba kernels are short: the screening's in chunks of at most 720 steps,
  ``_decay_kernel`` milliseconds), now in products of ``rossim.fleet.relative.ROWS_PER_CALL``
  rows;
* the family integration of ``rossim run`` (its recontact summary and return watch, hence
  ``campaign`` and ``serve`` too): one numba call per deployment and horizon (a family of 60
  satellites over 180 days: ~13 s), now in calls of
  ``rossim.dynamics.family_kernel.OBJECT_STEPS_PER_CALL`` object-steps.

The results are the single call's, bit for bit (``tests/fleet/test_family_paused.py``,
``tests/analysis/test_coverage_paused.py``). Each test runs the command in a child process
and sends it a real SIGINT once the long call has started (a wrapper around the call says
when; a timer in the child itself would wait for the call's end too: compiled code holds the
GIL)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"

#: Runs ``rossim <argv>`` (or, with ``family``, a command that integrates a large family) with
#: ``target`` wrapped: the first call whose argument ``arg`` has at least ``rows`` elements
#: creates the file ``stamp`` as it starts.
CHILD = textwrap.dedent("""
    import importlib, json, sys
    import numpy as np
    import rossim.cli.main as m

    cfg = json.loads(sys.argv[1])
    module, _, attr = cfg["target"].rpartition(":")
    owner = importlib.import_module(module)
    *path, name = attr.split(".")
    for p in path:
        owner = getattr(owner, p)
    real = getattr(owner, name)
    started = []

    def wrapped(*a, **k):
        if not started and np.size(a[cfg["arg"]]) >= cfg["rows"]:
            started.append(1)
            open(cfg["stamp"], "w").close()
        return real(*a, **k)

    setattr(owner, name, wrapped)
    if cfg.get("family"):
        import rossim.cli.validate as validate

        def family(args):
            from rossim.dynamics.family_propagation import propagate_family

            rng = np.random.default_rng(1)
            rel = np.column_stack([rng.normal(0, 80, (60, 3)), rng.normal(0, 0.5, (60, 3))])
            alts = np.arange(130e3, 500e3, 10e3)
            lr = np.tile(np.log(3e-12) - (alts - 400e3) / 60e3, (182, 1))
            propagate_family([6778e3, 0, 0], [0, 4800.0, 6000.0], rel, np.zeros(60), 0.01,
                             0.004, horizon_s=180 * 86400.0, log_density=lr,
                             altitudes_m=alts, step_s=30.0)
            return 0

        validate.run = family
    sys.exit(m.main(cfg["argv"]))
""")


def _interrupted(tmp_path: Path, target: str, argv: list[str], *, arg: int = 0,
                 rows: int = 0, delay: float = 0.5, family: bool = False):
    """(return code, stderr, seconds from the SIGINT to the exit): the SIGINT ``delay`` s
    after the long call started."""
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    stamp = tmp_path / "long-call-started"
    cfg = {"target": target, "argv": argv, "arg": arg, "rows": rows, "stamp": str(stamp),
           "family": family}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC),
                                                        os.environ.get("PYTHONPATH", "")])}
    env.pop("ROSSIM_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-X", "faulthandler", str(script), json.dumps(cfg)],
                            env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 600
        while not stamp.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert stamp.exists(), ("the long call never started", proc.poll(),
                                proc.stderr.read()[-2000:] if proc.poll() is not None else "")
        time.sleep(delay)
        assert proc.poll() is None, "the command ended before the SIGINT"
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        _, err = proc.communicate(timeout=600)
        return proc.returncode, err, time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _no_output(folder: Path, *names: str) -> None:
    left = sorted(p.name for p in folder.iterdir())
    assert not [n for n in left if n in names or n.startswith((".tmp-", ".staging-"))], left


def test_ctrl_c_inside_the_coverage_sweep(tmp_path):
    rc, err, waited = _interrupted(
        tmp_path, "rossim.analysis.coverage:_sweep",
        ["coverage", "--days", "120", "--grid-deg", "0.03", "--region", "russia", "--maps",
         str(tmp_path / "maps")])
    assert rc == 130, (rc, err[-2000:])
    assert err == "rossim: interrupted\n", err[-2000:]
    assert waited < 3.0, waited
    _no_output(tmp_path, "maps")


def test_ctrl_c_inside_the_family_integration(tmp_path):
    rc, err, waited = _interrupted(tmp_path, "rossim.dynamics.family_kernel:_family_steps",
                                   ["validate", "x.toml"], arg=1, family=True)
    assert rc == 130, (rc, err[-2000:])
    assert err == "rossim: interrupted\n", err[-2000:]
    assert waited < 3.0, waited


@pytest.mark.slow
def test_ctrl_c_inside_the_fleet_ephemeris(tmp_path):
    """200 days of the family at 10 s: the SIGINT lands in the evaluation of the whole span's
    relative positions (1.7 million times, after the screening and the conjunctions'
    probabilities, a minute in). One product of the whole span lasted 0.3 s to several
    seconds on 2 cores, with the load: this test holds the exit's promptness, the 130 and
    the missing plot, not the difference."""
    rc, err, waited = _interrupted(
        tmp_path, "rossim.fleet.relative:HCWEphemeris.positions",
        ["fleet", "--days", "200", "--plot", str(tmp_path / "family.png")], arg=1,
        rows=10**6, delay=0.2)
    assert rc == 130, (rc, err[-2000:])
    assert err == "rossim: interrupted\n", err[-2000:]
    assert waited < 3.0, waited
    _no_output(tmp_path, "family.png")
