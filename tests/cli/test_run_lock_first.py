"""``rossim run`` on a folder another run is writing is refused before anything is printed
(a newcomer saw the whole phase table, then the lock error)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from rossim.cli.main import main

TINY = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"


def test_locked_folder_is_refused_before_the_phase_table(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out / ".rossim.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # "another run" holds the folder
        os.pwrite(fd, b"4242", 0)
        assert main(["run", str(TINY), "--out", str(out), "--quiet"]) == 2
    finally:
        os.close(fd)
    cap = capsys.readouterr()
    assert cap.out == "", cap.out
    assert "being written by another rossim run, pid 4242" in cap.err
    assert len(cap.err.splitlines()) == 1
