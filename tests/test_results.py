"""Typed results (rossim.results): each type holds exactly the keys its producer writes, and
``to_dict`` gives back the producer's JSON object unchanged."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from rossim.results import LaunchSummary, RunSummary, TradeRow, VisitDose

SHORT = Path(__file__).resolve().parent / "data" / "ops" / "ros-short.toml"


def test_visit_dose_round_trips_the_dose_rows():
    from rossim.analysis.dose import crew_visit_doses
    from rossim.config.scenario import load_scenario

    rows = crew_visit_doses(load_scenario(SHORT), step_s=900.0)
    assert rows
    for row in rows:
        v = VisitDose.from_dict(row)
        assert v.to_dict() == row
        assert v.per_person_mSv == row["per_person_mSv"] > 0


def test_launch_summary_json_keys():
    from rossim.analysis.launch import launch_summary
    from rossim.config.scenario import load_scenario

    s = launch_summary(load_scenario("ros-iss-start"), days=1.0)
    assert isinstance(s, LaunchSummary)
    d = s.to_dict()
    assert d["from"] == s.start and "start" not in d
    assert LaunchSummary.from_dict(d) == s
    assert d["windows_per_day"] == s.windows_per_day == pytest.approx(len(s.windows), abs=1e-9)


def test_unknown_or_missing_keys_are_programming_errors():
    row = {"visit": "Soyuz MS-1", "vehicle": "soyuz", "launch": "2028-07-01", "days": 30.0,
           "crew": 2, "trapped_model": "min", "phi_MV": 500.0, "per_person_mGy": 5.0,
           "per_person_mSv": 9.0, "mSv_per_day": 0.3, "collective_person_mSv": 18.0,
           "cumulative_person_mSv": 18.0, "start": "2028-07-01T00:00:00+00:00",
           "end": "2028-07-31T00:00:00+00:00"}
    assert VisitDose.from_dict(row).to_dict() == row
    # a result written before the dosed interval was kept still loads (start/end empty)
    old = {k: v for k, v in row.items() if k not in ("start", "end")}
    assert VisitDose.from_dict(old).start == ""
    with pytest.raises(ValueError, match="unknown key.*dose_rate"):
        VisitDose.from_dict({**row, "dose_rate": 1.0})
    with pytest.raises(ValueError, match="missing field.*crew"):
        VisitDose.from_dict({k: v for k, v in row.items() if k != "crew"})


def test_trade_row_keeps_beta_out_of_the_json_and_reads_by_key():
    fields = {f.name: 0.0 for f in dataclasses.fields(TradeRow) if f.name != "beta"}
    fields.update(scenario="x", instrument="200 km swath", module_launches=[])
    row = TradeRow.from_dict(fields, beta={"beta_deg": []})
    assert "beta" not in row.to_dict() and row.beta == {"beta_deg": []}
    assert row["scenario"] == row.get("scenario") == "x"
    assert row.get("beta") is None and row.get("nothing", 1) == 1
    with pytest.raises(KeyError):
        row["beta"]


def test_run_summary_matches_build_summary_keys():
    """RunSummary has a field for every key ops.summary.build_summary writes
    (read from its source: no run needed), and nothing more."""
    import ast

    import rossim.ops.summary as summary

    tree = ast.parse(Path(summary.__file__).read_text(encoding="utf-8"))
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef)
              and n.name == "build_summary")
    ret = next(n for n in ast.walk(fn) if isinstance(n, ast.Return))
    # ops returns the type: ``return RunSummary.from_dict({...})``
    assert isinstance(ret.value, ast.Call) and ast.unparse(ret.value.func) == \
        "RunSummary.from_dict"
    (literal,) = ret.value.args
    assert isinstance(literal, ast.Dict)
    keys = {k.value for k in literal.keys if isinstance(k, ast.Constant)}
    assert keys | set(RunSummary._MERGED) | set(RunSummary._AFTER_RUN) == {f.name for f in dataclasses.fields(RunSummary)}
