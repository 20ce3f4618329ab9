"""Operations without redundancy accepted by the ground (rossim.ops.single_string).

Reference (docs/sources.md ``hubble-one-gyro``): Hubble entered safe mode on 2024-05-24 with
one of its three gyroscopes faulty and returned to science on one gyroscope on 2024-06-14,
21 days later; the catalog's ``single_string_after_days`` of the control computer is that
figure (an estimate for ROS). Before this rule a station with one computer of three left sat in
safe mode until a crew came: ros-51.6 campaign on fc89cba, run 86 from 2028-12-28 to
2034-01-24 (thrusters holding attitude: ledger attitude_in_safe_mode_kg 3,536 kg), runs 47,
124 and 158 six to twenty months.

Scenario: tests/data/ops/ros-tiny.toml (NEM-1 alone, no visits, random faults off): the
repair waits for a crew that never comes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rossim.config.scenario import load_scenario
from rossim.config.systems import load_systems
from rossim.ops import InjectFault, Simulation

TINY = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"
DAY = dt.timedelta(days=1)


def _two_computers_down(systems=None) -> Simulation:
    sim = Simulation(load_scenario(TINY), systems=systems)
    sim.advance_to("2028-01-10")
    for _ in range(2):
        assert sim.command(InjectFault(component="computer")).accepted
    sim.advance_to("2028-01-10T01:00")
    assert sim.state.safe_mode and sim.autonomy.drift_since is None
    return sim


def test_the_figure_is_hubbles_reconfiguration():
    c = load_systems().component_by_id("computer")
    hubble = (dt.date(2024, 6, 14) - dt.date(2024, 5, 24)).days
    assert c.single_string_after_days.value == hubble == 21
    assert "hubble-one-gyro" in c.single_string_after_days.source


def test_one_computer_left_the_ground_ends_safe_mode_after_its_assessment():
    """Two of three computers failed: safe mode; 21 days later the decision goes to the
    ground and at its uplink safe mode ends (within two days of the 21: the next contacts),
    a warning alarm names the units left and that the repair waits for a crew."""
    sim = _two_computers_down()
    entered = sim.autonomy.safe_intervals[0][0]
    sim.advance_to("2028-01-30")
    assert sim.state.safe_mode                       # still assessing at 20 days
    sim.advance_to("2028-02-10")
    assert not sim.state.safe_mode
    (left,) = [iv[1] for iv in sim.autonomy.safe_intervals]
    assert 21 * DAY <= left - entered <= 23 * DAY, left - entered
    (a,) = [a for a in sim.alarms if "without redundancy" in a["detail"]]
    assert a["severity"] == "warning"
    assert a["detail"].startswith("operating on 1 of 3 control computer units")
    assert "the repair waits for a crew" in a["cause"] and "free drift" in a["cause"]
    assert any(e["kind"] == "approval" and "without redundancy" in e["detail"]
               for e in sim.events)


def test_the_last_computer_failing_afterwards_is_the_free_drift():
    sim = _two_computers_down()
    sim.advance_to("2028-02-10")
    assert not sim.state.safe_mode
    assert sim.command(InjectFault(component="computer")).accepted
    sim.advance_to("2028-02-10T02:00")
    assert sim.state.safe_mode and sim.autonomy.drift_since is not None


def test_the_propellant_forecast_ends_safe_mode_at_the_decision():
    """The re-check's safe-mode forecast (rossim.ops.propellant_outlook) ends at the
    ground's decision, not at infinity (no repair booked: no crew planned)."""
    from rossim.ops.propellant_outlook import PropellantOutlook

    sim = _two_computers_down()
    end = PropellantOutlook(sim).safe_mode_end_s()
    detected = sim.engine.seconds(dt.datetime(2028, 1, 10, tzinfo=dt.UTC))
    assert end is not None and abs(end - (detected + 21 * 86400)) <= 3600


def test_without_the_figure_safe_mode_lasts_until_the_repair():
    s = load_systems()
    comps = [c.model_copy(update={"single_string_after_days": None}) if c.id == "computer"
             else c for c in s.component]
    sim = _two_computers_down(s.model_copy(update={"component": comps}))
    sim.advance_to("2028-03-10")
    assert sim.state.safe_mode
    assert not [a for a in sim.alarms if "without redundancy" in a["detail"]]


def _repair_now(sim, fault_id: int) -> None:
    """A crew's repair of ``fault_id`` now (ros-tiny flies no crew: the autonomy's
    repair_done, which a crew's booked repair calls, stands in for it)."""
    f = next(g for g in sim.reliability.faults if g.id == fault_id)
    f.repaired_by, f.worksite = "crew", f.module
    sim.autonomy.repair_done(f, sim.systems.component_by_id(f.component))


def test_a_repair_before_the_decision_ends_safe_mode_without_it():
    """A crew's repair before day 21 brings the set back to two: safe mode ends by the
    repair (the ground's approval at a contact), and no decision is taken later."""
    sim = _two_computers_down()
    sim.advance_to("2028-01-15")
    failed = [f for f in sim.reliability.faults if f.repaired_at is None]
    _repair_now(sim, failed[-1].id)
    sim.advance_to("2028-02-10")
    assert not sim.state.safe_mode
    assert not [a for a in sim.alarms if "without redundancy" in a["detail"]]
    assert sim.autonomy.single_string_due == {}      # the decision was dropped, not left pending


def test_after_a_free_drift_one_computer_back_books_the_decision_and_clears_the_set():
    """Review of stop 45: two computers down (fault #2 holds safe mode), the third fails in
    the assessment (free drift), one is repaired (one working, fewer than two): at the
    decision every cause of the set is cleared, not only #2's (before, the repaired fault's
    cause held safe mode for good)."""
    sim = _two_computers_down()
    sim.advance_to("2028-01-20")
    assert sim.command(InjectFault(component="computer")).accepted
    sim.advance_to("2028-01-20T02:00")
    assert sim.autonomy.drift_since is not None
    _repair_now(sim, max(f.id for f in sim.reliability.faults if f.repaired_at is None))
    sim.advance_to("2028-01-22")
    assert sim.autonomy.drift_since is None and sim.state.safe_mode
    sim.advance_to("2028-03-10")
    assert not sim.state.safe_mode, sim.autonomy.safe_causes
    (a,) = [a for a in sim.alarms if "without redundancy" in a["detail"]]
    assert a["detail"].startswith("operating on 1 of 3")
