"""A home folder astropy cannot look into does not stop the command (rel-case
``unreadable-home-traceback``: ``HOME=/root`` for a non-root user made every command fail at
start-up with astropy's ``PermissionError``): :mod:`rossim.cli._astropy_home` gives astropy a
temporary folder and says so in one note.

The subprocess cases use a home path too long for the operating system (``ENAMETOOLONG``),
which root cannot bypass as it bypasses permissions: the same kind of fault (astropy's
``stat`` of ``~/.astropy/config`` raising) on any machine; the permission case itself is
asserted through a stat that raises ``PermissionError``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from rossim.cli import _astropy_home

LONG_HOME = "/tmp/" + "h" * 5000


def _rossim(*args: str, env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASTROPY_")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "rossim", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def test_unlookable_home_runs_a_command_with_one_note():
    out = _rossim("describe", "ros-51.6", env_extra={"HOME": LONG_HOME})
    assert out.returncode == 0, out.stderr
    notes = [ln for ln in out.stderr.splitlines() if ln.strip()]
    assert len(notes) == 1 and notes[0].startswith("rossim: note: astropy's folder /tmp/hhh")
    assert "File name too long" in notes[0] and "[5014 characters]" in notes[0]
    assert "Traceback" not in out.stderr and "ros-51.6" in out.stdout


def test_the_users_own_astropy_folders_are_kept(tmp_path):
    out = _rossim("--version", env_extra={"HOME": LONG_HOME,
                                           "ASTROPY_CONFIG_DIR": str(tmp_path),
                                           "ASTROPY_CACHE_DIR": str(tmp_path)})
    assert out.returncode == 0 and out.stderr == "", out.stderr


def test_a_readable_home_changes_nothing(tmp_path):
    env: dict[str, str] = {}
    assert _astropy_home.use_private_folders_if_needed(env) is None and env == {}


def test_permission_denied_gives_a_private_folder(monkeypatch, capsys):
    real_stat = os.stat

    def stat(path, *a, **k):
        if "/locked/" in os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_stat(path, *a, **k)

    monkeypatch.setattr(_astropy_home.os, "stat", stat)
    monkeypatch.setattr(_astropy_home.os.path, "expanduser", lambda p: "/locked/home")
    assert _astropy_home.unreadable_place("/locked/home") == ("/locked/home/.astropy",
                                                              "Permission denied")
    env = {"ASTROPY_CACHE_DIR": "/users/own/cache"}
    folder = _astropy_home.use_private_folders_if_needed(env)
    assert folder is not None and os.path.isdir(folder)
    assert env == {"ASTROPY_CONFIG_DIR": folder, "ASTROPY_CACHE_DIR": "/users/own/cache"}
    err = capsys.readouterr().err
    assert err == ("rossim: note: astropy's folder /locked/home/.astropy cannot be read "
                   "(Permission denied; check HOME); astropy uses a temporary folder for "
                   "this command\n")
    os.rmdir(folder)


def _as_nobody(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                           sys.executable, *args], capture_output=True, text=True,
                          env={**os.environ, "HOME": "/root"}, timeout=300, **kw)


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root and setpriv to run as another user")
def test_home_of_another_user():
    """The rel-case as written (root runs the command as ``nobody`` with ``HOME=/root``),
    when this machine lets ``nobody`` read the interpreter and the source but not /root."""
    if _as_nobody("-c", "import rossim").returncode != 0:
        pytest.skip("the interpreter or the source is not readable by nobody here")
    if _as_nobody("-c", "import os; os.listdir('/root')").returncode == 0:
        pytest.skip("/root is readable by nobody here")
    out = _as_nobody("-m", "rossim", "--version")
    assert out.returncode == 0 and out.stdout.startswith("rossim "), out.stderr
    assert "(Permission denied; check HOME)" in out.stderr and "Traceback" not in out.stderr
