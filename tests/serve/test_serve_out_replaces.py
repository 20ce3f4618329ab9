"""``rossim serve SCENARIO --out DIR`` into a folder that holds a run (``rossim run --out DIR``:
archive.duckdb, report.html, summary.json, parquet/) wrote only ``archive.duckdb`` and left
the old run's report, summary and Parquet tables beside it: one folder, two runs, looking like
one. The live run's archive now replaces the run's whole output set, as ``rossim run --out``
does (rossim.fileio.output_set: staged, moved in with the old run's other outputs removed, all
at once, under the folder's lock held for the whole session), so the folder holds the earlier
run whole or the live run's archive alone, whenever the server is stopped or killed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from rossim.archive.store import is_complete
from rossim.cli.main import main
from rossim.fileio import RUN_OUTPUTS, output_folder, output_set, settle_output_set

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "ops" / "ros-tiny.toml"


def _old_run(folder: Path) -> dict[str, bytes | None]:
    """A run's output set in ``folder`` (the files' bytes stand for the earlier run's); its
    listing, as :func:`_visible` gives it."""
    folder.mkdir()
    (folder / "archive.duckdb").write_bytes(b"the earlier run's archive\n")
    (folder / "summary.json").write_text('{"run": "earlier"}\n')
    (folder / "report.html").write_text("<p>earlier</p>\n")
    (folder / "parquet").mkdir()
    (folder / "parquet" / "events.parquet").write_bytes(b"earlier events\n")
    return _visible(folder)


def _visible(folder: Path) -> dict[str, bytes | None]:
    """What a reader sees in ``folder``: every entry but the hidden ones (the lock)."""
    return {str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes())
            for p in sorted(folder.rglob("*"))
            if not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def _outcome(archive: Path) -> str:
    with duckdb.connect(str(archive), read_only=True) as con:
        return dict(con.execute("SELECT key, value FROM run_info").fetchall())["outcome"]


def _live(days: float = 2.0):
    from rossim.config.scenario import load_scenario
    from rossim.ops import Simulation
    from rossim.serve.live import LiveSource

    live = LiveSource(Simulation(load_scenario(TINY)))
    live.poll(live.start_ms + int(days * 86400 * 1000))
    return live


def _only_the_live_archive(folder: Path) -> None:
    assert sorted(_visible(folder)) == ["archive.duckdb"], sorted(_visible(folder))
    assert is_complete(folder / "archive.duckdb")
    assert _outcome(folder / "archive.duckdb") == "stopped"


# ------------------------------------------------------------------ the library side

def test_the_live_archive_replaces_an_earlier_run_whole(tmp_path):
    """As ``rossim run --out`` into a run's folder: the old report, summary and parquet/ go
    with the old archive, in the same commit."""
    out = tmp_path / "out"
    _old_run(out)
    live = _live()
    assert live.archive_to(out) == out / "archive.duckdb"
    _only_the_live_archive(out)
    # and again inside a session holding the folder (the server's way), twice
    with output_folder(out, RUN_OUTPUTS, option="--out",
                       folders={"parquet": ("events.parquet",)}) as held:
        live.poll(live.start_ms + 3 * 86400 * 1000)
        live.archive_to(held)
        live.archive_to(held)
    _only_the_live_archive(out)


def test_an_archive_interrupted_while_written_leaves_the_earlier_run_whole(tmp_path,
                                                                         monkeypatch):
    """Ctrl-C (or any failure) while the archive is written: the earlier run, byte for byte,
    and no staged file left beside it."""
    import rossim.archive

    out = tmp_path / "out"
    before = _old_run(out)
    live = _live()

    def half(path, tables, info):
        Path(path).write_bytes(b"half an archive")
        raise KeyboardInterrupt

    monkeypatch.setattr(rossim.archive, "write_archive", half)
    with pytest.raises(KeyboardInterrupt):
        live.archive_to(out)
    assert _visible(out) == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".rossim.lock"]


def test_a_server_killed_while_moving_the_archive_in_is_finished_by_the_next_reader(
        tmp_path, monkeypatch):
    """Killed during the commit's moves (the journal written, the old summary still there):
    the next reader of the folder (``rossim serve DIR``, ``rossim export``) finishes the
    commit first, so no one reads the new archive beside the old summary."""
    import rossim.fileio as fileio

    out = tmp_path / "out"
    _old_run(out)
    live = _live()
    real = fileio._commit

    def killed(folder, journal):
        os.replace(folder / journal["stage"] / "archive.duckdb", folder / "archive.duckdb")
        raise KeyboardInterrupt   # as a kill: the rest of the commit never runs

    monkeypatch.setattr(fileio, "_commit", killed)
    with pytest.raises(KeyboardInterrupt):
        live.archive_to(out)
    assert "summary.json" in _visible(out) and (out / ".rossim-commit.json").exists()
    monkeypatch.setattr(fileio, "_commit", real)
    settle_output_set(out, option="ARCHIVE")
    _only_the_live_archive(out)


# ------------------------------------------------------------------ the command

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _web_or_skip() -> Path:
    from rossim.serve.app import openmct_dist, web_dir

    if not (openmct_dist(web_dir()) / "openmct.js").is_file():
        pytest.skip("Open MCT not installed (make web)")
    return web_dir()


def test_serve_refuses_a_folder_a_run_is_writing(tmp_path, capsys):
    """A run writing the folder holds its lock: serve is refused at the start (exit 2,
    naming --out and the folder), not at its first archive a minute in."""
    _web_or_skip()
    out = tmp_path / "out"
    with output_set(out, RUN_OUTPUTS, option="--out"):
        rc = main(["serve", str(TINY), "--port", str(_free_port()), "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert f'--out = "{out}" (being written by another rossim run, pid {os.getpid()})' in err


@pytest.mark.parametrize("name", ["summary.json", "report.html"])
def test_serve_refuses_a_users_folder_where_a_run_output_goes(tmp_path, capsys, name):
    """The session replaces a run's whole set, so a user's folder at any of its names is
    refused before the work (exit 2), never deleted at the first archive."""
    out = tmp_path / "out"
    (out / name).mkdir(parents=True)
    (out / name / "mine.txt").write_text("mine\n")
    rc = main(["serve", str(TINY), "--port", str(_free_port()), "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert f"{out / name} is a folder" in err and "choose another --out" in err
    assert (out / name / "mine.txt").read_text() == "mine\n"


def _serve(out: Path, speed: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ROSSIM_WEB": str(_web_or_skip())}
    env.pop("ROSSIM_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "rossim", "serve", str(TINY), "--out",
                             str(out), "--port", str(_free_port()), "--speed", speed],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines = []
    while not any(ln.startswith("  archive") for ln in lines):
        line = proc.stdout.readline()
        if not line:
            proc.kill()
            pytest.fail(proc.stderr.read())
        lines.append(line)
    assert "an earlier run there is replaced whole" in lines[-1], lines
    return proc


def _wait_for_the_first_archive(out: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while "summary.json" in _visible(out):
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.parametrize("stop", ["kill-before-an-archive", "ctrl-c-before-an-archive",
                                  "kill-after-an-archive", "ctrl-c"])
def test_a_stopped_or_killed_server_leaves_one_run(tmp_path, stop):
    """Killed or stopped before it archived anything (under an hour simulated), the earlier
    run is there byte for byte; killed after, or stopped with Ctrl-C, the live run's archive
    alone (run_info.outcome 'stopped'): never the new archive beside the old summary and
    report."""
    out = tmp_path / "out"
    before = _old_run(out)
    early = stop.endswith("before-an-archive")
    proc = _serve(out, "1" if early else "20000")
    try:
        if early:
            time.sleep(1.5)
        else:
            _wait_for_the_first_archive(out, proc)
        proc.send_signal(signal.SIGINT if stop.startswith("ctrl-c") else signal.SIGKILL)
        stdout, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if early:
        assert _visible(out) == before
        if stop == "kill-before-an-archive":
            assert proc.returncode == -signal.SIGKILL
        else:
            assert proc.returncode == 0 and err == "", (stdout, err)
            assert (f"rossim serve: nothing written (less than an hour simulated; {out} as it "
                    "was)") in stdout, stdout
        return
    if stop == "ctrl-c":
        assert proc.returncode == 0 and "interrupted" not in err, (stdout, err)
        assert f"rossim serve: wrote {out / 'archive.duckdb'} (stopped at" in stdout, stdout
    _only_the_live_archive(out)
