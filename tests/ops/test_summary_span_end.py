"""summary.json ``span_end`` is the end of the run: the scenario's span end (00:00 UTC of its
end date) for a completed run. The engine steps hourly and its last step starts at 23:00 of
the day before; ``span_end`` showed that step's epoch (2028-03-14T23:00 for a span ending
2028-03-15), which reads as a day lost."""

from __future__ import annotations

import json
from pathlib import Path

from rossim.cli.main import main
from rossim.config.scenario import load_scenario

TINY = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"


def test_span_end_is_the_scenario_end(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(TINY), "--out", str(out), "--quiet"]) == 0
    s = json.loads((out / "summary.json").read_text())
    assert s["outcome"] == "completed"
    end = load_scenario(TINY).span.end
    assert s["span_end"] == f"{end:%Y-%m-%d}T00:00:00Z" == "2028-03-15T00:00:00Z", s["span_end"]
