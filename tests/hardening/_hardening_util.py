"""Assertion helper of the issue-17 hardening tests (imported by the test modules)."""

from __future__ import annotations


def one_line(err: str) -> str:
    """The single stderr line (asserts there is exactly one and no traceback)."""
    assert "Traceback" not in err, err
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert len(lines[0]) < 400, lines[0]
    return lines[0]
