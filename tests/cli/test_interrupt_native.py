"""Ctrl-C while numba-compiled code runs: exit 130 and the one line, never a segmentation
fault, and soon. A tester's ``rossim propagate --gravity 40x40`` died of SIGSEGV (exit 139, no
message) when interrupted: Python runs a signal handler at the first bytecode after the
compiled call, which is numba's ``_numba_unpickle`` boxing the returned arrays; the
KeyboardInterrupt raised there left a NULL that numba's code uses as the array type. The
handler of ``rossim.cli.main`` raises it in the Python code the compiled call returns to
instead; the integrator runs in calls of at most ``STEPS_PER_CALL`` steps (a 300-day
propagation without drag was one call of minutes at 70x70: the Ctrl-C waited for its end).

Each test runs the command in a child process that gets a real SIGINT."""

from __future__ import annotations

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

#: A command whose work is back-to-back calls of a compiled kernel that returns arrays, each
#: ~0.1 s (the propagation's shape); it writes what stopped it and the calls that returned
#: after the SIGINT was sent.
KERNEL_COMMAND = textwrap.dedent("""
    import os, signal, sys, threading, time
    import numpy as np
    from numba import njit
    import rossim.cli.main as m
    import rossim.cli.validate as validate

    @njit(cache=False)
    def kernel(n):
        out = np.zeros(3)
        s = 0.0
        for i in range(n):
            s += np.sqrt(i + s * 1e-30)
        out[0] = s
        return out, np.ones((2, 6)), n

    kernel(10)
    t = time.perf_counter()
    kernel(1_000_000)
    n = max(1000, int(1_000_000 * 0.1 / (time.perf_counter() - t)))
    sent = []

    def command(args):
        threading.Timer(0.35, lambda: (sent.append(1), os.kill(os.getpid(), signal.SIGINT))
                        ).start()
        after = 0
        try:
            for _ in range(200):
                res = kernel(n)
                after += bool(sent)
        except BaseException as exc:
            with open(sys.argv[1], "w") as f:
                f.write(f"{type(exc).__name__} {after} {exc.__cause__ or exc.__context__!r}")
            raise
        return 0

    validate.run = command
    sys.exit(m.main(["validate", "x.toml"]))
""")


def _env() -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC),
                                                        os.environ.get("PYTHONPATH", "")])}
    env.pop("ROSSIM_DEBUG", None)
    return env


def test_ctrl_c_inside_a_compiled_kernel_is_an_interruption(tmp_path):
    """The SIGINT lands inside a compiled call: exit 130, ``rossim: interrupted``; the
    KeyboardInterrupt is raised in the command's own code where the kernel returned (the
    kernel's result whole), not inside numba's boxing of it (there it became a ``SystemError
    ... returned a result with an exception set``, or a segmentation fault)."""
    script = tmp_path / "kernel_command.py"
    script.write_text(KERNEL_COMMAND, encoding="utf-8")
    stopped = tmp_path / "stopped.txt"
    proc = subprocess.run([sys.executable, "-X", "faulthandler", str(script), str(stopped)],
                          env=_env(), capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.returncode == 130, (proc.returncode, proc.stderr[-2000:])
    assert proc.stderr == "rossim: interrupted\n", proc.stderr[-2000:]
    assert stopped.read_text() == "KeyboardInterrupt 0 None"


@pytest.mark.slow
def test_ctrl_c_during_a_long_propagation(tmp_path):
    """The tester's command: 300 days at 40x40 (~30 s of compiled integration on 2 cores).
    SIGINT at 1, 3 and 5 s (start-up, the first compiled calls, mid-integration): exit 130
    with the one line within a few seconds, no OEM and no temporary file left."""
    tle = ROOT / "tests" / "data" / "sgp4" / "mario.tle"
    for delay in (1.0, 3.0, 5.0):
        out = tmp_path / f"x-{delay:g}.oem"
        proc = subprocess.Popen(
            [sys.executable, "-X", "faulthandler", "-m", "rossim", "propagate", "--initial",
             str(tle), "--duration", "300d", "--step", "60s", "--gravity", "40x40", "-o",
             str(out)], env=_env(), cwd=tmp_path, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            time.sleep(delay)
            assert proc.poll() is None, proc.stderr.read()
            proc.send_signal(signal.SIGINT)
            sent = time.monotonic()
            _, err = proc.communicate(timeout=120)
            waited = time.monotonic() - sent
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert proc.returncode == 130, (delay, proc.returncode, err[-2000:])
        assert err == "rossim: interrupted\n", err[-2000:]
        assert waited < 10.0, waited
        assert sorted(p.name for p in tmp_path.iterdir()) == [], list(tmp_path.iterdir())
