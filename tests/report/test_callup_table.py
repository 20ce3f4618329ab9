"""The report lists the cargo flights the run called up (rossim.ops.cargo_callup), with why,
when called, launched and docked: a station engineer reads the closed loop from the page."""

from rossim.report.html import _crew_and_cargo_sections


class _Result:
    crew_record = None

    def __init__(self, summary):
        self.summary = summary


def _summary(flight_list):
    return {"logistics": {
        "cargo_flights": 3, "cargo_by_demand": True, "end_stock_kg": 100.0,
        "peak_stock_kg": 900.0, "not_stowed_kg": 0.0, "plan": {"flight_list": []},
        "relocations": [],
        "callups": {"flights": len(flight_list), "lead_days": 70.0, "by_reason": {"spare": 1},
                    "flight_list": flight_list}}}


def test_callup_flights_are_a_table_with_their_reasons():
    flight = {"name": "Progress MS call-up #1", "why": "spare", "called": "2035-03-11T03:54:00Z",
              "launch": "2035-05-20T03:54:00Z", "arrival": "2035-05-20T07:12:00Z",
              "port": "logistics.forward", "state": "docked",
              "reasons": ["fault #16 array-drive waits for a spare"]}
    html = "".join(_crew_and_cargo_sections(_Result(_summary([flight]))))
    assert "Call-up flights" in html and "first allowed launch window at least 70 days after the call" in html
    assert "<td>2035-03-11</td><td>2035-05-20</td><td>2035-05-20</td>" in html
    assert "fault #16 array-drive waits for a spare" in html


def test_no_callup_table_without_callups():
    html = "".join(_crew_and_cargo_sections(_Result(_summary([]))))
    assert "Call-up flights" not in html
