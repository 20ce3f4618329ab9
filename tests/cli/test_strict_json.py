"""Every JSON text rossim writes parses with a strict parser (RFC 8259 has no NaN or
Infinity; JavaScript's JSON.parse, jq and Go reject them). A newcomer's 3-run campaign wrote
56 bare ``NaN`` in ``campaign-summary.json`` (``headlines.*.ci90``: a 90 % confidence interval
of a percentile needs more runs than 3)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from rossim.cli.main import main
from rossim.jsonio import dumps_json, write_json

TESTS = Path(__file__).resolve().parents[1]
TINY = TESTS / "data" / "ops" / "ros-tiny.toml"
CAMPAIGN = TESTS / "data" / "campaign" / "ros-90d.toml"


def _refuse(word: str):
    raise ValueError(f"non-standard JSON constant {word}")


def strict_loads(text: str):
    """``json.loads`` that refuses NaN, Infinity and -Infinity like a strict parser."""
    return json.loads(text, parse_constant=_refuse)


def _all_json_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.json") if not p.name.startswith("."))


def test_dumps_json_maps_every_non_finite_float_to_null(tmp_path):
    data = {"a": math.nan, "b": [math.inf, -math.inf, 1.5], "c": np.float32("nan"),
            "d": np.array([1.0, np.nan]), "e": (np.float64("inf"), 2), "f": {"g": np.nan}}
    for text in (dumps_json(data), dumps_json(data, compact=True)):
        assert strict_loads(text) == {"a": None, "b": [None, None, 1.5], "c": None,
                                      "d": [1.0, None], "e": [None, 2], "f": {"g": None}}
    write_json(tmp_path / "x.json", data)
    assert strict_loads((tmp_path / "x.json").read_text())["f"] == {"g": None}


def test_run_outputs_are_strict_json(tmp_path):
    out = tmp_path / "run"
    assert main(["run", str(TINY), "--out", str(out), "--quiet"]) == 0
    files = _all_json_files(out)
    assert any(p.name == "summary.json" for p in files)
    for p in files:
        strict_loads(p.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_three_run_campaign_outputs_are_strict_json(tmp_path, capsys):
    out = tmp_path / "camp"
    assert main(["campaign", str(CAMPAIGN), "--runs", "3", "--workers", "1", "--quiet",
                 "--out", str(out)]) == 0
    console_lines = capsys.readouterr().out.splitlines()
    files = {p.name: p for p in _all_json_files(out)}
    assert {"campaign.json", "campaign-summary.json", "manifest.json"} <= set(files)
    for p in files.values():
        strict_loads(p.read_text(encoding="utf-8"))
    summary = strict_loads(files["campaign-summary.json"].read_text(encoding="utf-8"))
    # the console: dimensionless figures carry no unit "1" ("P95 0.9782 1" before);
    # low-is-bad figures show their low tail (P10, P5), the others their high tail, which
    # 3 runs do not support (rossim.campaign.report.min_runs: 10 and 20 runs)
    for key, unit in (("availability", ""), ("min_battery_soc", ""),
                      ("propellant_kg_per_year", " kg/yr")):
        h = summary["headlines"][key]
        tail = (10, 5) if key in ("availability", "min_battery_soc") else (90, 95)
        want = (f"  {key}: P50 {h['P50']['value']:.4g}{unit}  P{tail[0]} n/a  P{tail[1]} "
                f"n/a (3 runs: P{tail[0]} needs 10, P{tail[1]} needs 20)")
        assert want in console_lines, (want, console_lines)
    # with 3 runs the 90 % interval of P95 has no upper order statistic: null, not NaN
    assert summary["headlines"]["propellant_kg_per_year"]["P95"]["ci90"][1] is None


def test_server_responses_are_strict_json():
    pytest.importorskip("fastapi")
    from rossim.serve.app import StrictJSONResponse, _fast_json

    for resp in (StrictJSONResponse({"x": math.nan, "y": [math.inf]}),
                 _fast_json({"x": np.nan, "y": [1.0, -math.inf]})):
        body = strict_loads(resp.body.decode())
        assert body["x"] is None and None in body["y"]
