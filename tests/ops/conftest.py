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
