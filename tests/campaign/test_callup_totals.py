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
