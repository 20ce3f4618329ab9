"""The campaign console shows each headline's risk tail: P10/P5 where a low value is the bad
outcome (availability, minimum state of charge), P90/P95 where a high one is (propellant,
dose). Before, every line showed P90/P95, so the availability line's "P95 0.9998" hid the
runs that lost a fifth of the station (P5 0.7757, docs/campaigns.md worked example)."""

from __future__ import annotations

import numpy as np

from rossim.campaign.report import HEADLINES, LOW_TAIL, PERCENTILES, console_line


def _row(x: np.ndarray, unit: str) -> dict:
    return {"unit": unit, **{f"P{p}": {"value": float(np.percentile(x, p))}
                             for p in PERCENTILES}}


def test_low_is_bad_figures_show_the_low_tail():
    x = np.linspace(0.5, 1.0, 101)        # P5 0.525, P10 0.55, P90 0.95, P95 0.975
    line = console_line("availability", _row(x, "1"))
    assert line == "  availability: P50 0.75  P10 0.55  P5 0.525", line
    assert console_line("min_battery_soc", _row(x, "1")).endswith("P10 0.55  P5 0.525")


def test_high_is_bad_figures_show_the_high_tail():
    x = np.linspace(500.0, 1000.0, 101)
    line = console_line("propellant_kg_per_year", _row(x, "kg/yr"))
    assert line == "  propellant_kg_per_year: P50 750  P90 950  P95 975 kg/yr", line
    dose = console_line("crew_dose_max_visit_per_person_mSv", _row(x / 40, "mSv"))
    assert "P90 23.75  P95 24.38 mSv" in dose, dose


def test_tails_cover_the_headlines():
    assert LOW_TAIL <= set(HEADLINES)
    assert {"propellant_kg_per_year", "crew_dose_max_visit_per_person_mSv"}.isdisjoint(LOW_TAIL)
    assert {5, 10, 90, 95} <= set(PERCENTILES)
