"""Shared fixtures of the analysis tests: the drag table over the shipped ISS periods, computed
once per session (about 45 s; tests/analysis/test_drag_validation.py and
tests/analysis/test_drag_attitude.py)."""

from pathlib import Path

import pytest

DATA_ISS = Path(__file__).resolve().parents[1] / "data" / "iss"


@pytest.fixture(scope="session")
def drag_rows():
    from rossim.analysis import drag_validation as dv

    return dv.drag_table(DATA_ISS)
