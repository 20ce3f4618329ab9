from pathlib import Path

import pytest

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"


@pytest.fixture(scope="session")
def short_scenario_path() -> Path:
    return SHORT


@pytest.fixture(scope="session")
def short_run(tmp_path_factory):
    """One CLI run of the short scenario, shared by the tests that only read its outputs."""
    from rossim.cli.main import main

    out = tmp_path_factory.mktemp("short-run")
    assert main(["run", str(SHORT), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture
def no_pad_turnaround(monkeypatch):
    """Launch pads with no turnaround (rossim.ops.pad_turnaround), for a test whose subject is
    something else and whose set-up puts a ship's window within a turnaround of a planned
    launch from its pad (the turnaround itself: tests/ops/test_pad_turnaround.py)."""
    from rossim.ops import pad_turnaround

    monkeypatch.setattr(pad_turnaround, "turnaround_s", lambda site: 0)
