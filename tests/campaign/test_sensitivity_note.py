"""A campaign of a few runs names no "driver": below 5 finished runs the 5 % threshold of
the Spearman rank correlation, 1.96 / sqrt(n - 1), is at least 1, which no |rho| exceeds (a
3-run campaign printed "propellant driven by: ... (rho +1.00)" and its report "Bold: |rho| >
1.39")."""

import math

import pytest

from rossim.campaign.report import sensitivity_note


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4])
def test_too_few_runs_for_any_correlation(n):
    note = sensitivity_note(n)
    assert note is not None and "no correlation can be detected" in note
    assert "too few runs" in note and "at least 5 runs" in note
    # never a threshold above 1 (a correlation cannot exceed 1: "|rho| would have to exceed
    # 1.39" was printed for 3 runs)
    assert "exceed" not in note and "rho" not in note


@pytest.mark.parametrize("n", [5, 6, 50, 1000])
def test_enough_runs_no_note(n):
    assert 1.96 / math.sqrt(n - 1) < 1.0
    assert sensitivity_note(n) is None
