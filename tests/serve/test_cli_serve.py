"""``rossim serve`` refuses bad input with one line and exit code 2."""

from __future__ import annotations

import socket

import pytest

from rossim.cli.main import main


def _run(capsys, argv):
    code = main(argv)
    err = capsys.readouterr().err.strip()
    return code, err


@pytest.mark.parametrize("argv,needle", [
    (["serve", "/nonexistent/run"], "ARCHIVE"),
    (["serve", "{archive}", "--port", "0"], "--port"),
    (["serve", "{archive}", "--port", "70000"], "--port"),
    (["serve", "{archive}", "--speed", "-3"], "--speed"),
    (["serve", "{archive}", "--host", "no-such-host.invalid"], "--host"),
])
def test_bad_arguments_exit_2_one_line(capsys, archive, argv, needle):
    code, err = _run(capsys, [a.format(archive=archive) for a in argv])
    assert code == 2
    assert len(err.splitlines()) == 1 and needle in err and "Traceback" not in err


def test_port_in_use_exit_2(capsys, archive):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        code, err = _run(capsys, ["serve", archive, "--port", str(port)])
    assert code == 2 and "--port" in err and "free port" in err


def test_not_an_archive_exit_2(capsys, tmp_path):
    bad = tmp_path / "archive.duckdb"
    bad.write_text("not a database")
    code, err = _run(capsys, ["serve", str(tmp_path)])
    assert code == 2 and "ARCHIVE" in err


def test_scenario_without_engine_says_so(capsys, monkeypatch):
    import sys

    import rossim.ops

    # as in a build without the closed-loop engine
    monkeypatch.setitem(sys.modules, "rossim.ops.engine", None)
    monkeypatch.delattr(rossim.ops, "Simulation", raising=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, err = _run(capsys, ["serve", "ros-51.6", "--port", str(port)])
    assert code == 2 and "rossim.ops.engine" in err and len(err.splitlines()) == 1


def test_out_only_for_live_runs(capsys, archive, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, err = _run(capsys, ["serve", archive, "--port", str(port), "--out", str(tmp_path)])
    assert code == 2 and "--out" in err and "read-only" in err
