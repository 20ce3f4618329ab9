"""Ctrl-C while the ``rossim`` command is still being imported: the one line
``rossim: interrupted`` and exit 130, no traceback (rel-case ``sigint-at-startup-traceback``:
Ctrl-C 0.1 s after the start gave 27 to 57 lines of import machinery and ``KeyboardInterrupt``,
because :func:`rossim.cli.main.main` installs its handler only once it runs).

The console script enters through ``_rossim_entry`` (outside the package, importing nothing of
rossim), which installs a handler for the start. The SIGINT is sent from inside the import of
``rossim.cli.main`` (a meta-path finder that signals when that module is looked up), so the test
does not depend on timing; the same import without the entry module shows the traceback the
rel-case saw, which is what the entry module is for."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import _rossim_entry
import rossim.cli.main as m
import rossim.cli.validate as validate

SRC = Path(__file__).resolve().parents[2] / "src"

#: A SIGINT sent while ``rossim.cli.main`` is imported (its lookup on sys.meta_path).
SIGNAL_IN_IMPORT = """
import os, signal, sys
class SigintOnImport:
    def find_spec(self, name, path=None, target=None):
        if name == "rossim.cli.main":
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, SigintOnImport())
sys.argv = ["rossim", "--version"]
"""


def _python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC),
                                                        os.environ.get("PYTHONPATH", "")])}
    env.pop("ROSSIM_DEBUG", None)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def test_the_console_script_enters_through_the_start_handler():
    (script,) = entry_points(group="console_scripts", name="rossim")
    assert script.value == "_rossim_entry:main"


def test_ctrl_c_while_the_command_is_imported_is_one_line():
    proc = _python(SIGNAL_IN_IMPORT + "import _rossim_entry\nsys.exit(_rossim_entry.main())\n")
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == "rossim: interrupted\n"
    assert proc.stdout == ""


def test_without_the_entry_module_the_same_ctrl_c_is_a_traceback():
    """The contrast that shows the test above can fail: the old console script
    (``from rossim.cli.main import main``) under the same SIGINT."""
    proc = _python(SIGNAL_IN_IMPORT + "from rossim.cli.main import main\nsys.exit(main())\n")
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr and "KeyboardInterrupt" in proc.stderr


def test_a_broken_install_leaves_python_s_handler():
    """An import that fails is the import error (as before), with Python's handler again."""
    proc = _python("import signal, sys\nsys.modules['rossim.cli.main'] = None\n"
                   "import _rossim_entry\n"
                   "try:\n    _rossim_entry.main()\nexcept ImportError:\n"
                   "    print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "True\n"


@pytest.fixture
def start_handler():
    """This process as the console script leaves it: the start handler installed."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    assert _rossim_entry.install()
    yield
    signal.signal(signal.SIGINT, previous)


def test_the_command_s_own_handler_takes_over(monkeypatch, start_handler):
    """Once the command runs, a Ctrl-C goes through its handler (the clean-ups, the
    atomic writes), and Python's handler is back after it."""
    seen = []
    monkeypatch.setattr(validate, "run",
                        lambda args: seen.append(signal.getsignal(signal.SIGINT)) or 0)
    assert m.main(["validate", "x.toml"]) == 0
    assert seen == [m._on_sigint]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_ignored_sigint_stays_ignored_at_the_start():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert not _rossim_entry.install()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
