"""The run's summary.json reads into the proposed typed result (rossim.results.RunSummary)
with no key left over or missing, and writes back unchanged."""

import json

from rossim.results import RunSummary


def test_summary_json_is_a_run_summary(short_run):
    data = json.loads((short_run / "summary.json").read_text())
    summary = RunSummary.from_dict(data)
    assert summary.to_dict() == data
    assert summary.scenario == data["scenario"] and summary.crew_visits == 2
