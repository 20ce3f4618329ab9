"""The campaign sums the runs' cargo call-ups from the run-summary fields (rossim.campaign.report.
callup_totals): flown only, propellant ones split into a gap of the plan and after the plan's end,
ships not flown and propellant top-ups counted apart (rossim.ops.propellant_topup)."""

from __future__ import annotations

import pandas as pd

from rossim.campaign.report import callup_totals
from rossim.campaign.store import flatten


def _row(run, flights, by_reason, need, not_flown, topups):
    return flatten({"run": run, "status": "ok", "logistics": {
        "callups": {"flights": flights, "by_reason": by_reason, "propellant_by_need": need,
                    "not_flown": not_flown, "called": flights + len(not_flown)},
        "propellant_topups": topups}})


def test_callup_totals_count_flown_plan_end_gap_not_flown_and_topups():
    nf = [{"name": "Progress MS call-up #3", "why": "propellant", "need": "plan_end",
           "launch": "2036-01-02T00:00:00Z", "arrival": "2036-01-02T03:18:00Z",
           "state": "not flown: the run ended 2035-12-31"}]
    top = [{"ship": "Progress MS #7", "planned_propellant_kg": 0.0, "propellant_kg": 950.0}]
    ok = pd.DataFrame([
        _row(0, 3, {"spare": 1, "propellant": 2}, {"gap": 1, "plan_end": 1}, nf, top),
        _row(1, 0, {}, {"gap": 0, "plan_end": 0}, [], []),
        _row(2, 1, {"propellant": 1}, {"gap": 0, "plan_end": 1}, [], top + top)])
    assert callup_totals(ok) == {"runs_with_callups": 2, "flown": 4, "spare": 1,
                                 "propellant": 3, "propellant_gap": 1,
                                 "propellant_plan_end": 2, "not_flown": 1,
                                 "propellant_topups": 3}


def test_callup_totals_of_a_campaign_without_the_new_fields():
    ok = pd.DataFrame([flatten({"run": 0, "status": "ok", "logistics": {"callups": {
        "flights": 2, "by_reason": {"propellant": 2}}}})])
    t = callup_totals(ok)
    assert t["flown"] == 2 and t["propellant"] == 2
    assert t["propellant_gap"] == t["propellant_plan_end"] == t["not_flown"] == 0
    assert t["propellant_topups"] == 0


def test_launch_failure_totals_sum_the_plans_losses_and_the_runs_stand_downs():
    """The plan's losses are inputs of each run (rossim.campaign.plan_failures); the
    stand-downs begun in a run are in its summary (rossim.ops.launcher_stand_down)."""
    from rossim.campaign.report import launch_failure_line, launch_failure_totals

    def row(run, lost, aborts, slips, days, sd=None):
        r = {"run": run, "status": "ok", "in_cargo_ships_lost": lost,
             "in_crew_launch_aborts": aborts, "in_stand_down_slips": slips,
             "in_stand_down_slip_days": days}
        if sd is not None:
            r["logistics"] = {"stand_downs": sd}
        return flatten(r)

    ok = pd.DataFrame([
        row(0, 1.0, 0.0, 1.0, 30.5, {"stand_downs": 2, "in_run": 1, "ships_held": 2}),
        row(1, 0.0, 0.0, 0.0, 0.0),
        row(2, 0.0, 2.0, 0.0, 0.0, {"stand_downs": 2, "in_run": 0, "ships_held": 0})])
    t = launch_failure_totals(ok)
    assert t == {"plan_cargo_ships_lost": 1, "plan_crew_launch_aborts": 2,
                 "plan_launches_moved": 1, "plan_launches_moved_days": 30.5,
                 "stand_downs_in_run": 1, "plan_ships_held_in_run": 2,
                 "runs_with_plan_failures": 2}
    line = launch_failure_line(t)
    assert "1 cargo ships lost, 2 crew launches aborted (in 2 runs)" in line
    assert "1 planned launches moved" in line and "(30 d in all)" in line
    assert "1 stand-downs after a call-up failure, 2 planned ships held" in line


def test_no_launch_failure_totals_without_failure_dispersions():
    from rossim.campaign.report import launch_failure_totals

    ok = pd.DataFrame([flatten({"run": 0, "status": "ok", "in_drag_coefficient": 2.2})])
    assert launch_failure_totals(ok) is None
