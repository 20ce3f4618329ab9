"""``rossim ... | head -1``: the reader closing stdout is not a bug. A newcomer saw exit 1
(the internal-error code) with no message: rich's console turns a broken pipe into
``SystemExit(1)`` and a plain ``sys.stdout.write`` into an "internal error". Now: nothing on
stderr, exit 141 (128 + SIGPIPE, what the shell reports for a C tool the pipe stopped), as in
the Python documentation's "Note on SIGPIPE"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rossim.cli.main import EXIT_BROKEN_PIPE, main

SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.mark.parametrize("argv", [["validate", "ros-51.6"],  # rich console output
                                  ["describe", "ros-51.6", "--json"]])  # print_json
def test_reader_gone_exits_141_without_a_message(argv):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    env.pop("ROSSIM_DEBUG", None)
    read_fd, write_fd = os.pipe()
    os.close(read_fd)  # the reader is gone before the first write: EPIPE on every write
    try:
        res = subprocess.run([sys.executable, "-m", "rossim.cli.main", *argv], env=env,
                             stdout=write_fd, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_fd)
    assert res.returncode == EXIT_BROKEN_PIPE == 141, res.stderr
    assert res.stderr == ""


class _ClosedPipe:
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")

    def isatty(self):
        return False


def test_in_process_broken_pipe_is_141(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["validate", "ros-51.6"]) == 141
    assert capsys.readouterr().err == ""
