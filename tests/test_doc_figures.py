"""Hand-written docs pages show the figures their commands print today.

Every figure marked ``<!--fig:KEY-->...<!--/fig-->`` in README.md or docs/*.md is registered in
tools/doc_figures.toml with the command that prints it; ``make doc-figures`` (also run by
``make docs``) rewrites them. The static tests check the markers against the registry; the
``slow`` ones run each source once (the reference runs ros-51.6 and ros-97 included) and
compare every marked figure with what the command prints now.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool():
    spec = importlib.util.spec_from_file_location("doc_figures", ROOT / "tools" / "doc_figures.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("doc_figures", mod)  # its dataclass looks its module up
    spec.loader.exec_module(mod)
    return mod


TOOL = _tool()
REG = TOOL.registry()


def _marked() -> dict[str, list[tuple[Path, str]]]:
    """key -> [(page, value as written)] over every page."""
    out: dict[str, list[tuple[Path, str]]] = {}
    for page in TOOL.pages():
        for key, value in TOOL.markers(page.read_text(encoding="utf-8")):
            out.setdefault(key, []).append((page, value))
    return out


def test_every_marker_is_well_formed_and_registered():
    marked = _marked()
    assert len(marked) >= 50, "the marked figures of README.md and docs/ went missing"
    for page in TOOL.pages():
        bad = TOOL.malformed(page.read_text(encoding="utf-8"))
        assert not bad, f"{page.name}: malformed figure markers: {bad}"
    assert not set(marked) - set(REG["fig"]), "marked figures missing from doc_figures.toml"
    assert not set(REG["fig"]) - set(marked), "registered figures no page shows"
    for key, fig in REG["fig"].items():
        assert fig["source"] in REG["source"], f"{key}: unknown source {fig['source']}"
        assert sum(k in fig for k in ("path", "regex", "derive")) == 1, key
        if "derive" in fig:
            assert fig["derive"] in TOOL.DERIVE, key


def test_the_table_of_stale_figures_is_marked():
    """The figures a newcomer found hand-written and stale are now marked where they stand."""
    marked = _marked()
    pages = {k: {p.name for p, _ in v} for k, v in marked.items()}
    for key, page in [("readme.exit.reentry", "README.md"),
                      ("ops.thermal.51.heater_kwh", "operations.md"),
                      ("ops.thermal.51.heater_uncrewed_kwh", "operations.md"),
                      ("ops.thermal.51.radiator_saturated_h", "operations.md"),
                      ("ops.thermal.51.shedding_h", "operations.md"),
                      ("ops.thermal.97.radiator_saturated_h", "operations.md"),
                      ("ops.thermal.97.heater_kwh", "operations.md"),
                      ("ops.comms.requests_waited", "operations.md"),
                      ("ops.launch.console", "operations.md"),
                      ("ops.climb.total_kg", "operations.md"),
                      ("mc.serve.console", "mission-control.md"),
                      ("fleet.rules.0.station_bc", "fleet.md")]:
        assert page in pages.get(key, set()), f"{key} not marked in {page}"
    ops = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert "leftover propellant is not added" not in ops
    assert "are not in `rossim validate`'s phase power balance" not in ops
    prop = (ROOT / "docs" / "propagation.md").read_text(encoding="utf-8")
    assert all(w in prop for w in ("OMM", "OEM", "TOD"))


def test_values_are_extracted_and_rewritten_in_place():
    """The mechanism on a made-up output: JSON paths, reductions, regexes, formats."""
    out = TOOL.Output(0, "│ launch nem1   │   2027-12-15 11:04 angara-a5 │\nx = 3\n", "",
                      {"a": {"b": [1.25, {"c": 25807.34}]}, "m": {"p": 1.0, "q": 3.0, "r": 9}},
                      Path("."))
    assert TOOL.value("k", {"path": "a.b[1].c", "format": "{:,.0f}"}, out) == "25,807"
    assert TOOL.value("k", {"path": "m", "reduce": "max", "exclude": ["r"]}, out) == "3.0"
    assert TOOL.value("k", {"regex": r"^x = (\d+)$"}, out) == "3"
    launch = {"regex": r"^│ launch (?P<name>.*?)\s*│\s*(?P<line>\S.*?) │$", "all": True,
              "each": "launch {name:<6} {line}"}
    assert TOOL.value("k", launch, out) == "launch nem1   2027-12-15 11:04 angara-a5"
    with pytest.raises(LookupError):
        TOOL.value("k", {"regex": "absent (\\d)", "source": "s"}, out)
    text = "a <!--fig:x-->1<!--/fig--> b <!--fig:y-->2<!--/fig-->"
    assert TOOL.rewrite(text, {"x": "10"}) == "a <!--fig:x-->10<!--/fig--> b <!--fig:y-->2<!--/fig-->"
    assert TOOL.malformed("<!-- fig:x -->1<!-- /fig -->")


@pytest.mark.slow
@pytest.mark.parametrize("source", sorted(REG["source"]))
def test_marked_figures_equal_what_their_command_prints(source, tmp_path):
    keys = [k for k, f in REG["fig"].items() if f["source"] == source]
    out = TOOL.run_source(source, REG["source"][source], tmp_path)
    values = TOOL.compute(keys, REG, {source: out})
    marked = _marked()
    stale = [f"{p.relative_to(ROOT)}: {k}: shows {v!r}, the command prints {values[k]!r}"
             for k in keys for p, v in marked.get(k, []) if v != values[k]]
    assert not stale, "run `make doc-figures`:\n" + "\n".join(stale)


def _dose_commands() -> list[list[str]]:
    text = (ROOT / "docs" / "dose.md").read_text(encoding="utf-8")
    block = re.search(r"## Commands\n\n```sh\n(.*?)```", text, re.S).group(1)
    return [shlex.split(line.split("#")[0])[1:] for line in block.splitlines()
            if line.startswith("rossim dose --altitude")]


@pytest.mark.slow
def test_dose_page_orbit_commands_run(tmp_path):
    """Every orbit command of docs/dose.md's command block exits 0 (the --spe example once
    named a date outside its averaging window and exited 2)."""
    cmds = _dose_commands()
    assert any("--spe" in c for c in cmds) and len(cmds) >= 3
    for argv in cmds:  # as written: a shortened run could pass where the page's fails
        proc = subprocess.run([sys.executable, "-m", "rossim.cli.main", *argv],
                              cwd=tmp_path, capture_output=True, text=True)
        assert proc.returncode == 0, f"rossim {' '.join(argv)}: {proc.stderr.strip()}"
