"""Helpers of the issue-17 hardening tests: each test replays one case folder copied under
tests/data/cases/{field,rel}/<case>/ (its README names the origin and the public report) and
asserts the expected outcome of that README, never a value rossim printed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rossim.cli.main import main

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"


@pytest.fixture
def case(tmp_path, monkeypatch):
    """``case("field/propagate-reentry")`` copies the case's files into a temp folder, chdirs
    there and returns its path."""

    def _copy(name: str) -> Path:
        src = CASES / name
        dst = tmp_path / src.name
        shutil.copytree(src, dst)
        monkeypatch.chdir(dst)
        return dst

    return _copy


@pytest.fixture
def cli(capsys):
    """``cli("eclipse", "--initial", ...)`` -> ``(exit code, stdout, stderr)``, in-process."""

    def _run(*argv: str):
        rc = main([str(a) for a in argv])
        out = capsys.readouterr()
        return rc, out.out, out.err

    return _run
