"""The FDIR response as a station engineer reads it (rossim.ops.fault_response; the report on
the ros-2026-plan run, eng40/plan2026):

- a common-cause event (beta factor, NUREG/CR-5485; precedent: all six Russian-segment
  computers in June 2007) is one detection and one response: its first fault is not booked
  as "switched to redundant unit, recovered automatically" when the standbys failed in the
  same instant (plan2026 faults #14-16: 18 automatic recoveries where 17 were right); one
  alarm names the common cause, and so does the free-drift alarm it starts;
- the ``fault-detected`` event and its alarm agree on severity (plan2026 faults #12 and #22:
  array-drive events critical, their alarms warnings): a parked wing whose arrays still carry
  the load is a warning, parked arrays that no longer carry it and safe mode are critical
  (docs/operations.md, Faults and recovery).

Scenario: tests/data/ops/ros-tiny.toml (NEM-1 alone, random faults off)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rossim.config.scenario import load_scenario
from rossim.config.systems import load_systems
from rossim.ops import InjectFault, Simulation
from rossim.ops.availability import ReliabilityRun

TINY = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"


def _systems_with_beta_one(component: str):
    """The catalog with ``component``'s beta factor 1: every failure takes the whole set."""
    s = load_systems()
    ref = s.component_by_id("computer").common_cause_beta
    comps = [c.model_copy(update={"common_cause_beta": ref.model_copy(update={"value": 1.0})})
             if c.id == component else c for c in s.component]
    return s.model_copy(update={"component": comps})


def _detected(sim, component: str) -> list[dict]:
    return [e for e in sim.events if e["kind"] == "fault-detected" and e["subject"] == component]


def _alarms(sim, component: str) -> list[dict]:
    return [a for a in sim.alarms if a["subject"] == component]


@pytest.mark.parametrize("component", ["computer", "coolant-pump", "gyrodyne",
                                       "battery-string"])
def test_a_common_cause_event_is_one_event_with_no_automatic_recovery(component):
    systems = _systems_with_beta_one(component)
    comp = systems.component_by_id(component)
    sim = Simulation(load_scenario(TINY), systems=systems)
    sim.advance_to("2028-01-10")
    assert sim.command(InjectFault(component=component)).accepted
    sim.advance_to("2028-01-10T02:00")
    faults = [f for f in sim.reliability.faults if f.component == component]
    assert sorted(f.unit for f in faults) == list(range(comp.units))
    # the standbys failed with the first unit: none is a recovery
    assert not any(f.recovered_automatically for f in faults), [f.response for f in faults]
    assert all(f.response != "switched to redundant unit" for f in faults)
    # booked as one event: one detection, each fault carrying the first one's id
    assert len({f.detected_at for f in faults}) == 1
    assert all(f.common_cause == faults[0].id for f in faults)
    cause = f"common-cause failure of {comp.units} units of {comp.name}"
    assert all(f.response.startswith(cause) for f in faults)
    # one fault-detected event and one alarm for the event, both naming the cause, with one
    # severity
    (event,) = _detected(sim, component)
    (alarm,) = _alarms(sim, component)
    assert cause in event["detail"] and cause in alarm["detail"] and cause in alarm["cause"]
    assert event["severity"] == alarm["severity"]
    assert f"0 of {comp.units} units work" in alarm["cause"]


def test_a_common_cause_computer_failure_names_its_cause_in_the_free_drift_alarm():
    """plan2026: "free drift from fault #16" while faults #14-16 failed together."""
    sim = Simulation(load_scenario(TINY), systems=_systems_with_beta_one("computer"))
    sim.advance_to("2028-01-10")
    assert sim.command(InjectFault(component="computer")).accepted
    sim.advance_to("2028-01-10T02:00")
    (drift,) = [a for a in sim.alarms if a["subject"] == "attitude"]
    assert drift["severity"] == "critical"
    assert "common-cause failure of 3 units of control computer (faults #1-#3)" in \
        drift["detail"]
    assert "common-cause failure" in drift["cause"]
    assert sim.autonomy.drift_since is not None and sim.state.safe_mode


def test_the_reliability_replay_books_common_cause_events_alike():
    """The availability spread (ReliabilityRun) shares the response: every computer failure
    with beta 1 is a whole-set event, none of its faults recovered automatically."""
    scen = load_scenario(TINY)
    scen = scen.model_copy(update={"operations": scen.operations.model_copy(
        update={"random_faults": True, "fault_rate_scale": 100.0})})
    run = ReliabilityRun(scen, 3, systems=_systems_with_beta_one("computer"))
    comp = [f for f in run.run() if f.component == "computer"]
    assert comp, "no computer failure in the replay: the test does not test"
    assert not any(f.recovered_automatically for f in comp)
    for first in {f.common_cause for f in comp}:
        group = [f for f in comp if f.common_cause == first]
        assert first is not None and len({f.detected_at for f in group}) == 1
    # without a common cause the first of three computers is a switch to a standby
    single = ReliabilityRun(scen, 3)
    faults = [f for f in single.run() if f.component == "computer"]
    assert faults and faults[0].common_cause is None and faults[0].recovered_automatically


def test_array_drive_fault_event_and_alarm_have_one_severity():
    """One wing of NEM-1 parked: the other carries the load, a warning in the event and the
    alarm; both wings parked (NEM-1 is the only module with arrays): no generation, the
    load is not covered, critical in both, naming the shortfall."""
    sim = Simulation(load_scenario(TINY))
    sim.advance_to("2028-01-10")
    assert sim.command(InjectFault(component="array-drive", module="nem1")).accepted
    sim.advance_to("2028-01-10T01:00")
    (e1,), (a1,) = _detected(sim, "array-drive"), _alarms(sim, "array-drive")
    assert "generation of this module halved" in a1["detail"]
    assert e1["severity"] == a1["severity"] == "warning"
    assert sim.command(InjectFault(component="array-drive", module="nem1")).accepted
    sim.advance_to("2028-01-10T02:00")
    e2, a2 = _detected(sim, "array-drive")[1], _alarms(sim, "array-drive")[1]
    assert "no longer cover the load" in a2["detail"]
    assert e2["severity"] == a2["severity"] == "critical"


@pytest.mark.parametrize("component, n", [("battery-string", 3), ("coolant-pump", 2),
                                          ("transponder", 2)])
def test_every_fault_event_has_its_alarm_severity(component, n):
    """Degraded (battery string isolated: warning) or safe mode (critical): the event of each
    fault not recovered automatically and its alarm carry the same severity."""
    sim = Simulation(load_scenario(TINY))
    sim.advance_to("2028-01-10")
    for _ in range(n):
        assert sim.command(InjectFault(component=component)).accepted
    sim.advance_to("2028-01-10T01:00")
    events = [e for e in _detected(sim, component) if "redundant" not in e["detail"]]
    alarms = _alarms(sim, component)
    assert len(events) == len(alarms) == 1
    want = "warning" if component == "battery-string" else "critical"
    assert events[0]["severity"] == alarms[0]["severity"] == want
