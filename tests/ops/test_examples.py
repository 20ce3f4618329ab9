"""Docs pages show what their examples print (tools/example_outputs.py writes them)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location("example_outputs",
                                                  ROOT / "tools" / "example_outputs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_operations_page_shows_the_step_and_reboost_output():
    tool = _tool()
    found = tool.blocks((ROOT / "docs" / "operations.md").read_text(encoding="utf-8"))
    assert [n for n, _ in found] == ["step_and_reboost"]
    out = tool.run_example("step_and_reboost")
    assert "reboost to 417 km: done" in out and "reboost to 410 km: refused" in out
    assert found[0][1] == out, "run tools/example_outputs.py to refresh docs/operations.md"
