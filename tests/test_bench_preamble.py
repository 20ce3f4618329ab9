"""benchmarks/run_all.py --update: docs/performance.md says which machine measured which rows
(the last full `make bench`'s, then each group of files re-measured since, with its own)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

RUN_ALL = Path(__file__).resolve().parents[1] / "benchmarks" / "run_all.py"


def _tool():
    spec = importlib.util.spec_from_file_location("run_all", RUN_ALL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_updates_keep_each_group_with_its_machine():
    tool = _tool()
    full = ("Machine of the last full `make bench`: x86_64, AMD EPYC, CPython 3.11.7. Absolute "
            "times follow the host (the same commit on")
    one = tool._update_preamble(full, {"bench_run.py", "bench_ephemeris.py"}, "A, B")
    assert one == ("Machine of the last full `make bench`: x86_64, AMD EPYC, CPython 3.11.7. "
                   "Re-measured since by `run_all.py --update`: bench_ephemeris.py, "
                   "bench_run.py on A, B. Absolute times follow the host (the same commit on")
    two = tool._update_preamble(one, {"bench_run.py", "bench_passes.py"}, "C, D")
    assert "bench_ephemeris.py on A, B; bench_passes.py, bench_run.py on C, D." in two
    assert two.startswith("Machine of the last full `make bench`: x86_64, AMD EPYC")
    # the same machine again: one group
    three = tool._update_preamble(two, {"bench_fleet.py"}, "A, B")
    assert "bench_passes.py, bench_run.py on C, D; bench_ephemeris.py, bench_fleet.py on A, B." \
        in three
    # the page as committed parses
    page = (RUN_ALL.parents[1] / "docs" / "performance.md").read_text().splitlines()
    line = next(ln for ln in page if ln.startswith("Machine of the last full"))
    assert "bench_passes.py on" in tool._update_preamble(line, {"bench_passes.py"}, "E")
    with pytest.raises(ValueError, match="unexpected preamble"):
        tool._update_preamble("Machine: x86_64", {"bench_run.py"}, "E")
