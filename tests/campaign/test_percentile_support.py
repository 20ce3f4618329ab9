"""A campaign of a few runs does not print percentiles its runs cannot support.

Found: ``rossim campaign ros-51.6 --runs 3`` printed "P90 607.8  P95 624.4 kg/yr" and its
campaign.html "474.6 kg at 50 % and 607.8 kg at 90 % confidence" and a P95 column, from 3
runs (only the sensitivity section warned of too few runs). Right: a percentile P is given
only when at least one run is expected beyond it, n x min(P, 100 - P) / 100 >= 1 (P50 2
runs, P10/P90 10, P5/P95 20; order statistics, Conover 1999 sec. 3.2); below that the
console and the report print "n/a (k runs)", and campaign-summary.json keeps the value,
flagged ``"supported": false`` with its ``"min_runs"``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rossim.campaign.report import (
    PERCENTILES,
    _propellant_headline,
    _table_cell,
    campaign_statistics,
    console_line,
    min_runs,
)


def test_min_runs_is_one_run_expected_beyond_the_percentile():
    assert {p: min_runs(p) for p in PERCENTILES} == {5: 20, 10: 10, 50: 2, 90: 10, 95: 20}
    for p in PERCENTILES:
        q = min(p, 100 - p) / 100
        assert min_runs(p) * q >= 1 - 1e-12 > (min_runs(p) - 1) * q


class _Store:
    """The two reads of CampaignStore that campaign_statistics makes."""

    def __init__(self, n: int):
        rng = np.random.default_rng(1)
        self.df = pd.DataFrame({"run": range(n), "seed": range(n), "status": ["ok"] * n,
                                "error": [None] * n,
                                "propellant_kg_per_year": rng.uniform(400, 700, n),
                                "availability": rng.uniform(0.8, 1.0, n)})

    def runs(self, limit=None):
        return self.df

    def series(self, name, runs):
        return np.empty((0, 0))


@pytest.mark.parametrize("n", [3, 9, 10, 19, 20])
def test_statistics_keep_values_and_flag_unsupported(n):
    stats = campaign_statistics(_Store(n), n)
    assert "percentile_rule" in stats and "n x min(P, 100 - P) / 100 >= 1" in \
        stats["percentile_rule"]
    row = stats["headlines"]["propellant_kg_per_year"]
    x = _Store(n).df["propellant_kg_per_year"].to_numpy()
    assert row["runs"] == n
    for p in PERCENTILES:
        assert row[f"P{p}"]["value"] == pytest.approx(np.percentile(x, p))  # kept
        assert row[f"P{p}"]["supported"] is (n >= min_runs(p))
        assert row[f"P{p}"]["min_runs"] == min_runs(p)
    assert stats["propellant_kg_per_year_90pct"]["supported"] is (n >= 10)


def test_three_runs_print_no_tail():
    stats = campaign_statistics(_Store(3), 3)
    h = stats["headlines"]
    line = console_line("propellant_kg_per_year", h["propellant_kg_per_year"])
    p50 = h["propellant_kg_per_year"]["P50"]["value"]
    assert line == (f"  propellant_kg_per_year: P50 {p50:.4g} kg/yr  P90 n/a  P95 n/a "
                    "(3 runs: P90 needs 10, P95 needs 20)"), line
    av = console_line("availability", h["availability"])
    assert av.endswith("P10 n/a  P5 n/a (3 runs: P10 needs 10, P5 needs 20)"), av
    p90 = h["propellant_kg_per_year"]["P90"]["value"]
    head = _propellant_headline(h["propellant_kg_per_year"])
    assert f"{p90:.1f}" not in head and "90 % confidence: not given" in head, head
    assert "a P90 needs at least 10 runs" in head
    assert _table_cell(h["propellant_kg_per_year"], 95) == "<td>n/a (3 runs)</td>"
    assert "[" in _table_cell(h["propellant_kg_per_year"], 50)  # P50 keeps its interval


def test_twenty_runs_print_every_percentile():
    stats = campaign_statistics(_Store(20), 20)
    row = stats["headlines"]["propellant_kg_per_year"]
    line = console_line("propellant_kg_per_year", row)
    assert "n/a" not in line and line.endswith(" kg/yr"), line
    assert "at 90 % confidence</b>" in _propellant_headline(row)
