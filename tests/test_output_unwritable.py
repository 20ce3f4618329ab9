"""An output folder rossim cannot write names the cause: a read-only mount says so (as root,
os.access refuses on a read-only file system too, and "permission denied" sent a newcomer to
the folder's modes; field-case helper, 2026-12-02), a folder without write permission says
that."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from rossim import fileio
from rossim.errors import InputError


def _refuse_writes(monkeypatch, folder):
    real = os.access
    monkeypatch.setattr(fileio.os, "access",
                        lambda p, mode: False if os.fspath(p) == os.fspath(folder)
                        else real(p, mode))


def test_read_only_mount_is_named(tmp_path, monkeypatch):
    _refuse_writes(monkeypatch, tmp_path)
    monkeypatch.setattr(fileio.os, "statvfs", lambda p: SimpleNamespace(f_flag=os.ST_RDONLY))
    with pytest.raises(InputError) as err:
        fileio.check_output_target(tmp_path / "out.oem", "-o")
    assert "read-only file system" in str(err.value) and "writable folder" in str(err.value)


def test_folder_permissions_are_named(tmp_path, monkeypatch):
    _refuse_writes(monkeypatch, tmp_path)
    monkeypatch.setattr(fileio.os, "statvfs", lambda p: SimpleNamespace(f_flag=0))
    with pytest.raises(InputError, match="permission denied"):
        fileio.check_output_target(tmp_path / "out.oem", "-o")
