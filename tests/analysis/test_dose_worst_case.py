"""The dose limits' worst case is a person who could exist: one person on the most-dosed
sequence of visits that do not overlap in time, not "one person on every visit" (ros-2026-plan's
stage 2 docks two Soyuz crews together for 30 days: summing both ships gave 82.1 mSv in 2033
and 399 mSv over the plan). The per-year study's crew is the station's, the crews docked
together summed (it showed 2 while 4 were aboard)."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from rossim.analysis.crew_dose import (
    WORST_CASE,
    _limit_checks,
    crew_aboard_in_year,
    most_dosed_sequence,
    scenario_dose,
)

T0 = dt.datetime(2033, 1, 15, tzinfo=dt.UTC)


def _row(name: str, start_day: float, days: float, msv: float, crew: int = 2) -> dict:
    start = T0 + dt.timedelta(days=start_day)
    return {"visit": name, "launch": start.date().isoformat(), "days": days, "crew": crew,
            "per_person_mSv": msv, "mSv_per_day": msv / days,
            "start": start.isoformat(timespec="seconds"),
            "end": (start + dt.timedelta(days=days)).isoformat(timespec="seconds")}


def _brute_force(rows: list[dict]) -> float:
    """The most dose over every subset of visits no two of which overlap (independent of the
    dynamic programme: all 2^n subsets)."""
    spans = [(dt.datetime.fromisoformat(r["start"]), dt.datetime.fromisoformat(r["end"]))
             for r in rows]
    best = 0.0
    for n in range(1, len(rows) + 1):
        for pick in itertools.combinations(range(len(rows)), n):
            if all(spans[i][1] <= spans[j][0] or spans[j][1] <= spans[i][0]
                   for i, j in itertools.combinations(pick, 2)):
                best = max(best, sum(rows[i]["per_person_mSv"] for i in pick))
    return best


#: ros-2026-plan's stage 2, by hand: a 45-day ship and a 30-day ship launched 15 days later
#: (docked together 30 days), twice a year; then a ship launched the day the last one lands.
STAGE2 = [_row("A1", 0, 45, 27.1), _row("B1", 15, 30, 17.2),
          _row("A2", 182, 45, 22.7), _row("B2", 197, 30, 15.1),
          _row("C", 227, 30, 5.0)]


def test_overlapping_ships_are_not_summed():
    total, chosen = most_dosed_sequence(STAGE2)
    every_visit = sum(r["per_person_mSv"] for r in STAGE2)
    assert total < every_visit - 30.0                  # not one person on both ships
    assert total == pytest.approx(_brute_force(STAGE2), abs=1e-12)
    assert total == pytest.approx(27.1 + 22.7 + 5.0)   # C starts as A2 ends: one person can
    assert [STAGE2[i]["visit"] for i in chosen] == ["A1", "A2", "C"]


def test_sequence_matches_brute_force_on_random_plans():
    rng = random.Random(7)
    for _ in range(200):
        rows = [_row(f"v{i}", rng.choice([0, 10, 30, 45, 60, 90]) + rng.randint(0, 40),
                     rng.choice([10, 30, 45]), round(rng.uniform(1, 30), 1))
                for i in range(rng.randint(1, 8))]
        total, chosen = most_dosed_sequence(rows)
        assert total == pytest.approx(_brute_force(rows), abs=1e-9)
        assert total == pytest.approx(sum(rows[i]["per_person_mSv"] for i in chosen))


def test_limit_rows_use_the_sequence_and_say_so():
    rows = STAGE2[:4]
    lims = {(r["agency"], r["period"]): r for r in _limit_checks(rows)}
    assert lims[("NASA", "career")]["model_mSv"] == pytest.approx(27.1 + 22.7)
    assert lims[("NASA", "annual")]["model_mSv"] == pytest.approx(27.1 + 22.7)  # all in 2033
    assert WORST_CASE in lims[("NASA", "career")]["basis"]
    assert "2 of 4 visits" in lims[("NASA", "career")]["basis"]


def test_crew_aboard_sums_the_crews_docked_together():
    assert crew_aboard_in_year(STAGE2, 2033) == 4
    # back to back (C starts as A2 ends) is not together
    assert crew_aboard_in_year([STAGE2[2], STAGE2[4]], 2033) == 2
    # a visit launched in late December is aboard in January too
    late = _row("late", (dt.datetime(2032, 12, 20, tzinfo=dt.UTC) - T0).days, 30, 20.0, 3)
    assert crew_aboard_in_year([late], 2033) == 3
    assert crew_aboard_in_year([late], 2031) == 0


def test_ros_2026_plan_worst_case_and_crew_aboard():
    from rossim.config.scenario import load_scenario

    res = scenario_dose(load_scenario("ros-2026-plan"), step_s=3600.0)
    rows = res["visits"]
    lims = {(r["agency"], r["period"]): r for r in res["limits"]}

    # independently: a plain O(n^2) programme over the visits by end time
    order = sorted(rows, key=lambda r: r["end"])
    best: list[float] = []
    for k, r in enumerate(order):
        earlier = [best[j] for j in range(k) if order[j]["end"] <= r["start"]]
        best.append(max([r["per_person_mSv"] + max(earlier, default=0.0),
                         *best[:k]]))
    career = lims[("NASA", "career")]["model_mSv"]
    assert career == pytest.approx(best[-1], rel=1e-12)
    assert career < 0.9 * sum(r["per_person_mSv"] for r in rows)   # stage 2 pairs not summed

    year_rows = [r for r in rows if r["launch"].startswith("2033")]
    assert lims[("NASA", "annual")]["model_mSv"] == pytest.approx(
        _brute_force(year_rows), rel=1e-12)
    assert lims[("NASA", "annual")]["model_mSv"] < sum(r["per_person_mSv"] for r in year_rows)

    study = {r["year"]: r for r in res["periodic_vs_continuous"]}
    assert {y: study[y]["crew_aboard"] for y in ("2029", "2032", "2033", "2035")} == {
        "2029": 2, "2032": 2, "2033": 4, "2035": 4}
    s = study["2033"]
    assert s["continuous_crew_days"] == 4 * 365
    assert s["continuous_collective_person_mSv"] == pytest.approx(
        4 * 365 * s["mSv_per_day"])
    # a leap year has its 366 days (2 aboard all of 2032: 732 crew-days, was 730.5)
    assert study["2032"]["continuous_crew_days"] == 2 * 366
    assert s["periodic_per_person_mSv"] == pytest.approx(
        s["periodic_collective_person_mSv"] / 4)


def test_dose_command_words_the_worst_case(capsys):
    from rossim.cli.main import main

    assert main(["dose", "ros-2026-plan", "--step", "3600"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "most-dosed sequence of visits that do not overlap" in out
    assert "every visit" not in out
    assert "crew aboard" in out
