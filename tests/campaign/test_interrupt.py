"""Ctrl-C on ``rossim campaign`` ends with one line, ``rossim: interrupted``, and exit 130:
no Dask log of the cluster's shutdown (a newcomer saw a ``distributed.nanny - ERROR`` with an
``asyncio.CancelledError`` traceback first). The terminal sends SIGINT to the whole
foreground process group, the campaign and its worker processes alike: so does the test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCEN = Path(__file__).resolve().parents[1] / "data" / "campaign" / "ros-90d.toml"


def test_ctrl_c_prints_one_line_and_exits_130(tmp_path):
    out = tmp_path / "camp"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).resolve().parents[2] / "src"), os.environ.get("PYTHONPATH", "")])}
    env.pop("ROSSIM_DEBUG", None)
    cmd = [sys.executable, "-m", "rossim.cli.main", "campaign", str(SCEN), "--runs", "40",
           "--workers", "1", "--out", str(out), "--quiet"]
    # A job started in the background by a non-interactive shell (`make test &`, some CI
    # runners) inherits SIGINT ignored, and an ignored signal stays ignored through exec (so
    # the campaign, rightly, would not see Ctrl-C): give the campaign the disposition of a
    # terminal's foreground job.
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:  # the cluster is up and running tasks
            if len(list((out / "runs").glob("run-*.parquet"))) >= 1:
                break
            if proc.poll() is not None:
                pytest.fail("campaign ended before it could be interrupted")
            time.sleep(0.05)
        else:
            pytest.fail("no run finished in time")
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert err == "rossim: interrupted\n", err
    assert not (out / "manifest.json").exists()
