"""Ctrl-C is an interruption whatever exception a library makes of it: one line
``rossim: interrupted``, exit 130, no traceback, no temporary file left, never "internal error"
(exit 1). A newcomer saw, after a SIGINT, numba's ``SystemError: CPUDispatcher(<function
integrate ...>) returned a result with an exception set`` (``rossim propagate``), DuckDB's
``RuntimeError: Query interrupted`` (``rossim run`` while the archive is written) and an
``UnboundLocalError`` of a clean-up the interrupt cut short, all reported as bugs: ``_main``'s
``except Exception`` came before the check that recognises an interrupt.

The in-process tests send a real SIGINT to this process while the command runs (the handler
``main`` installs records it) and raise what the libraries raised; the last test interrupts a
real ``rossim run`` while its archive is written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import rossim.cli.main as m
import rossim.cli.validate as validate

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def default_sigint():
    """This process with Python's own SIGINT handler (as a terminal's foreground command)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _ctrl_c_then(make_error):
    """A command that gets a real SIGINT and lets ``make_error(KeyboardInterrupt)`` escape."""

    def command(args):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)  # the handler raises in here
        except KeyboardInterrupt as ki:
            error = make_error(ki)
            if error is None:
                return 0   # a library that swallowed the interrupt and went on
            raise error from None   # no chain: only the recorded signal tells
        raise AssertionError("no SIGINT arrived")

    return command


def _unbound(ki):
    try:
        raise ki
    except KeyboardInterrupt:
        try:
            print(to_datetime64)  # noqa: F821  (the clean-up the interrupt cut short)
        except NameError as exc:
            return exc


@pytest.mark.parametrize("make_error", [
    lambda ki: SystemError("CPUDispatcher(<function integrate at 0x7f>) returned a result "
                           "with an exception set"),          # numba
    lambda ki: RuntimeError("Query interrupted"),             # duckdb
    lambda ki: type("InterruptException", (RuntimeError,), {})("Query interrupted"),
    _unbound,
    lambda ki: OSError(5, "Input/output error", "x.oem"),     # not "a file problem" either
    lambda ki: ValueError("anything at all"),
    lambda ki: None,
], ids=["numba", "duckdb", "duckdb-interrupt-exception", "unbound-local", "oserror",
        "any", "swallowed"])
def test_any_exception_after_a_sigint_is_an_interruption(make_error, monkeypatch, capsys,
                                                         default_sigint):
    monkeypatch.delenv("ROSSIM_DEBUG", raising=False)
    monkeypatch.setattr(validate, "run", _ctrl_c_then(make_error))
    rc = m.main(["validate", "x.toml"])
    err = capsys.readouterr().err
    assert rc == 130, err
    assert err == "rossim: interrupted\n"
    # the handler is Python's again after the command
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("error", [
    SystemError("CPUDispatcher(<function integrate>) returned a result with an exception set"),
    ValueError("a clean-up the interrupt cut short"),
])
def test_a_keyboard_interrupt_in_the_chain_is_an_interruption(error, monkeypatch, capsys):
    """Without the signal (a library that re-raised a KeyboardInterrupt of its own making):
    the KeyboardInterrupt as cause or context still says what happened."""
    monkeypatch.delenv("ROSSIM_DEBUG", raising=False)

    def command(args):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as ki:
            raise error from ki

    monkeypatch.setattr(validate, "run", command)
    rc = m.main(["validate", "x.toml"])
    assert rc == 130
    assert capsys.readouterr().err == "rossim: interrupted\n"


def test_an_error_without_a_sigint_is_still_a_bug(monkeypatch, capsys, default_sigint):
    monkeypatch.delenv("ROSSIM_DEBUG", raising=False)

    def command(args):
        raise RuntimeError("Query interrupted")   # e.g. another thread's interrupt()

    monkeypatch.setattr(validate, "run", command)
    rc = m.main(["validate", "x.toml"])
    assert rc == 1
    assert "internal error: RuntimeError" in capsys.readouterr().err


def test_an_ignored_sigint_stays_ignored(monkeypatch, capsys):
    """A command started with SIGINT ignored (a background job) keeps it ignored."""
    seen = []
    monkeypatch.setattr(validate, "run", lambda args: seen.append(signal.getsignal(
        signal.SIGINT)) or 0)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert m.main(["validate", "x.toml"]) == 0
        assert seen == [signal.SIG_IGN]
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


SHORT = """name = "short"
seed = 1

[span]
start = 2027-12-01
end = 2028-01-20

[orbit]
altitude_km = 400
inclination_deg = 51.6
raan_deg = 0.0
altitude_band_km = [390, 415]
attitude = "velocity"

[[assembly]]
module = "nem1"
launch = 2027-12-15
launcher = "angara-a5"
"""


@pytest.mark.slow
def test_ctrl_c_while_the_archive_is_written(tmp_path):
    """The newcomer's case: SIGINT 0 to 0.1 s after ``.tmp-archive.duckdb`` appears (DuckDB
    then raised "Query interrupted"). Each try ends 130 with the one line (or 0 when the run
    finished first); no ``.tmp-`` file is left and no output exists unless the set is whole."""
    scen = tmp_path / "short.toml"
    scen.write_text(SHORT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC),
                                                        os.environ.get("PYTHONPATH", "")])}
    env.pop("ROSSIM_DEBUG", None)
    for delay in (0.0, 0.05, 0.1):
        out = tmp_path / f"out-{delay}"
        proc = subprocess.Popen(
            [sys.executable, "-m", "rossim.cli.main", "run", str(scen), "--out", str(out),
             "--quiet"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            deadline = time.monotonic() + 120
            while proc.poll() is None and time.monotonic() < deadline:
                if out.is_dir() and any(p.name.startswith(".tmp-archive")
                                        for p in out.iterdir()):
                    break
                time.sleep(0.002)
            time.sleep(delay)
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert "Traceback" not in err and "internal error" not in err, err
        assert proc.returncode in (0, 130), err
        left = sorted(p.name for p in out.iterdir())
        assert not [n for n in left if n.startswith(".tmp-")], left
        if proc.returncode == 130:
            assert err.strip().splitlines()[-1] == "rossim: interrupted"
            whole = {"archive.duckdb", "report.html", "summary.json"}
            assert not (whole & set(left)) or whole <= set(left), left


@pytest.mark.slow
def test_ctrl_c_stops_a_live_server_normally(tmp_path):
    """Ctrl-C is how `rossim serve` stops (docs/mission-control.md): the live run's archive
    is written and the exit is 0, not "rossim: interrupted" and 130 (the recorded SIGINT
    turned the clean stop into an interruption)."""
    import socket

    from rossim.serve.app import openmct_dist, web_dir

    if not (openmct_dist(web_dir()) / "openmct.js").is_file():
        pytest.skip("Open MCT not installed (make web)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tiny = SRC.parent / "tests" / "data" / "ops" / "ros-tiny.toml"
    env = {**os.environ, "PYTHONPATH": str(SRC), "ROSSIM_WEB": str(web_dir())}
    proc = subprocess.Popen([sys.executable, "-m", "rossim", "serve", str(tiny), "--out",
                             str(tmp_path / "live"), "--port", str(port), "--speed", "20000"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines = []
        while not any(ln.startswith("  archive") for ln in lines):
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            lines.append(line)
        time.sleep(2.0)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, (out, err)
    assert "rossim serve: wrote" in out and "interrupted" not in err, (out, err)
    assert (tmp_path / "live" / "archive.duckdb").is_file()


def test_a_sigint_in_a_weakref_callback_or_del_is_raised_in_the_code_after_it():
    """Stop 45: a Ctrl-C during ``rossim propagate --gravity 40x40`` (the suite beside a
    campaign) printed "Exception ignored in: <function WeakValueDictionary.__init__.<locals>.
    remove ...>" above the one line: the handler ran inside a weak-reference callback the
    garbage collector called, where the interpreter drops an exception. Such frames (module
    ``weakref``, a ``__del__`` method) defer the KeyboardInterrupt to the code they
    interrupted, as the native callbacks do (rossim.cli.main._native_caller)."""
    from types import SimpleNamespace as NS

    import rossim.cli.main as m

    code = NS(f_globals={"__name__": "rossim.orbit.propagate"}, f_code=NS(co_name="run"),
              f_back=None)
    remove = NS(f_globals={"__name__": "weakref"}, f_code=NS(co_name="remove"), f_back=code)
    assert m._native_caller(remove) is code
    delete = NS(f_globals={"__name__": "somelib"}, f_code=NS(co_name="__del__"), f_back=code)
    assert m._native_caller(delete) is code
    assert m._native_caller(code) is None
