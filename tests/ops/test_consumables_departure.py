"""A consumables-margin crossing in a crew's last days, with a cargo ship docking before the
next crew, is no alarm.

Found: ``rossim run ros-97`` warned "consumables margin below 45 days of the crew aboard:
... 44.9 days for 2 crew" on 2031-10-02 19:56, four hours before Orel #7 undocked, with
Progress MS #3 docking two months before the next crew; ros-51.6 likewise on 2028-07-23 (crew
leaving 07-31, Progress MS #1 docking 08-15) and 2034-01-30 (leaving 01-31). The margin (days
the stocks last max(crew, 2)) is a contingency reserve for the crew aboard; a crew that leaves
before the stocks could run out at that rate needs none of it, and the next crew's reserve
comes with the cargo ship before it. Right (rossim.ops.consumables_alarm): such a crossing is
an info event naming the departure and the ship; the model re-arms at the next crew's
docking, so a crew that docks to stocks still below the reserve gets the alarm; a crew
staying longer than the margin, or no cargo ship before the next crew, keeps the alarm
(tests/ops/test_life_support_balance.py: the warning and the critical alarm without ships).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

from rossim.config.scenario import load_scenario
from rossim.ops import Simulation
from rossim.ops.consumables_alarm import crew_stay_end
from rossim.ops.life_support import ConsumablesModel

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"


def test_crossing_at_the_end_of_a_stay_is_no_alarm():
    sim = Simulation(load_scenario(SHORT))
    sim.advance_to("2028-08-01")      # the crew of 2028-07-01 has left (30 days)
    assert not [a for a in sim.alarms if a["subject"] == "consumables"], sim.alarms
    ev = [e for e in sim.events if e["kind"] == "consumables"]
    assert len(ev) == 1, ev
    text = ev[0]["detail"]
    assert text.startswith("consumables margin below 45 days at the end of the crew's stay: "
                           "no alarm (the crew leaves 2028-07-31"), text
    assert "Progress MS #1 docks 2028-08-15, before the next crew on 2028-12-3" in text
    assert ev[0]["severity"] == "info" and sim.consumables.rearm_at_next_crew


def test_stay_end_and_next_crew_from_the_plan():
    sim = Simulation(load_scenario(SHORT))
    out, back = crew_stay_end(sim.timeline, dt.datetime(2028, 7, 20, tzinfo=dt.UTC))
    assert out.date() == dt.date(2028, 7, 31) and back.date().isoformat() >= "2028-12-30"
    assert crew_stay_end(sim.timeline, dt.datetime(2029, 6, 29, tzinfo=dt.UTC))[1] is None


def _model(low: bool, rearm: bool, crew_before: float) -> ConsumablesModel:
    m = ConsumablesModel.__new__(ConsumablesModel)
    m.ls = SimpleNamespace(reserve_days=SimpleNamespace(value=45.0), critical_reserve_days=None)
    m.per_crew_day = {"oxygen": 0.1, "water": 1.0, "food": 1.8}
    m.stock = {i: 30.0 * 2 * r for i, r in m.per_crew_day.items()}   # 30 days for 2 crew
    m.empty = {i: False for i in m.per_crew_day}
    m.low, m.low_critical, m.rearm_at_next_crew = low, False, rearm
    m.pending = (crew_before, {})
    m.shelf_life_days, m.food_lots = None, []
    return m


def test_next_crew_docking_below_the_reserve_gets_the_alarm():
    sim = SimpleNamespace(config=SimpleNamespace(crew_aboard=2),
                          engine=SimpleNamespace(step_s=60))
    m = _model(low=True, rearm=True, crew_before=0.0)   # waived, then the station uncrewed
    c = m.propose(sim, 0, 86400)
    assert c is not None and c.kind == "consumables-low" and c.t_s == 60
    assert not m.rearm_at_next_crew
    # without the waiver (the alarm already given in this episode): no second alarm
    assert _model(low=True, rearm=False, crew_before=0.0).propose(sim, 0, 86400) is None
