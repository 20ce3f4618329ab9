"""The report's cargo count matches the flights it lists (newcomer's report: "10 cargo flights
planned by demand" above a table of 9 planned flights and a call-up table of 1)."""

from __future__ import annotations

import re
from types import SimpleNamespace

from rossim.report.cargo_text import cargo_flights_sentence


def _flight(i):
    return {"name": f"Progress MS #{i}", "launch": "2030-01-01", "port": "gateway.aft",
            "trigger": "water", "manifest_kg": dict.fromkeys(
                ("water", "food", "oxygen", "propellant", "spares"), 100.0),
            "stowage_room_kg": 1000.0}


def _logistics(planned=9, called=1, total=10, states=("docked",)):
    return {"cargo_flights": total, "cargo_by_demand": True,
            "plan": {"flight_list": [_flight(i) for i in range(planned)]},
            "callups": {"lead_days": 30, "flight_list": [
                {"name": f"call-up #{k}", "why": "spare", "called": "2031-01-01",
                 "launch": "2031-02-01", "arrival": "2031-02-02", "port": "gateway.aft",
                 "state": states[k % len(states)], "reasons": ["spare"]}
                for k in range(called)]},
            "end_stock_kg": {}, "peak_stock_kg": {}, "not_stowed_kg": 0.0, "relocations": []}


def test_report_count_is_split_as_listed():
    from rossim.report.html import _crew_and_cargo_sections

    lg = _logistics()
    html = "\n".join(_crew_and_cargo_sections(
        SimpleNamespace(summary={"logistics": lg}, crew_record=None)))
    sentence = re.search(r"<p>(\d+ cargo flights[^;]*);", html).group(1)
    assert sentence == ("10 cargo flights: 9 planned by demand (rossim.station.logistics), "
                        "1 called up in the run (rossim.ops.cargo_callup)")
    listed_planned = len(lg["plan"]["flight_list"])
    listed_called = len(lg["callups"]["flight_list"])
    numbers = [int(x) for x in re.findall(r"(\d+) (?:planned|called)", sentence)]
    assert numbers == [listed_planned, listed_called]
    assert sum(numbers) == lg["cargo_flights"]


def test_scheduled_flights_and_undocked_callups():
    # 2 scheduled visits on top; a call-up not flown does not count among the docked ships
    s = cargo_flights_sentence(_logistics(planned=3, called=2, total=6,
                                          states=("docked", "not flown: re-entry")))
    assert s == ("6 cargo flights: 3 planned by demand (rossim.station.logistics), 1 called "
                 "up in the run (rossim.ops.cargo_callup), 2 scheduled in the scenario")
    lg = _logistics(planned=0, called=0, total=4)
    lg["cargo_by_demand"] = False
    assert cargo_flights_sentence(lg) == "4 cargo flights"


def test_food_thrown_away_is_in_the_cargo_paragraph():
    """ros-51.6's reference run threw away 33.7 kg of food past its 548-day shelf life
    (summary ``logistics.food_discarded_past_shelf_life_kg``; event 2030-07-03), which the
    report's cargo paragraph did not say: a reader concluded nothing was lost (newcomer).
    The oldest food's age at the summary's one decimal: rounded to whole days it read 530
    where the invariants table of the same report read 529 (raw in 529.45 .. 529.5; review-49)."""
    from rossim.report.html import _crew_and_cargo_sections

    lg = _logistics() | {"food_discarded_past_shelf_life_kg": 33.7,
                         "food_oldest_eaten_days": 529.5}
    html = "\n".join(_crew_and_cargo_sections(
        SimpleNamespace(summary={"logistics": lg}, crew_record=None)))
    assert ("; food discarded past its shelf life 33.7 kg, the oldest eaten 529.5 days after "
            "its delivery.</p>") in html
    lg = _logistics()   # an orbit-only run's logistics: no food figures, no clause
    html = "\n".join(_crew_and_cargo_sections(
        SimpleNamespace(summary={"logistics": lg}, crew_record=None)))
    assert "shelf life" not in html
