"""docs/propagation.md's Python blocks run as a reader copies them, from the repository's
root (a newcomer's review found one using undefined names, and one crossing 400 km where the
day's ISS never goes), and give the counts their comments state."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "propagation.md").read_text(
    encoding="utf-8"), flags=re.S)


def test_the_page_has_its_two_examples():
    assert len(BLOCKS) == 2, len(BLOCKS)


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_the_propagation_example_gives_the_counts_it_states(at_root):
    ns: dict = {}
    exec(compile(BLOCKS[0], "docs/propagation.md", "exec"), ns)   # noqa: S102
    tr = ns["tr"]
    assert "via rossim.search: 31" in BLOCKS[0] and "30 over the day" in BLOCKS[0]
    assert len(tr.node_crossings()[0]) == 31
    assert len(tr.altitude_crossings(420e3)[0]) == 30


def test_the_mean_element_example_gives_the_shapes_it_states(at_root):
    ns: dict = {}
    exec(compile(BLOCKS[1], "docs/propagation.md", "exec"), ns)   # noqa: S102
    eph, np = ns["eph"], ns["np"]
    r, v = eph.state_gcrf(ns["time_grid"]("2028-01-01T06:00:00", "1h", "60s"))
    assert r.shape == v.shape == (61, 3)          # as its comment says
    # the first sample's altitude, as given (a circle: |r| = R_eq + h to a millimetre)
    r0, _ = eph.state_gcrf_seconds(np.array([0.0]))
    assert float(np.linalg.norm(r0[0])) - 6378137.0 == pytest.approx(405e3, abs=1e-3)
