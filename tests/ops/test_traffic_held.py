"""The station's traffic in the run (rossim.ops.traffic): one docking or undocking at a time,
``logistics.traffic_spacing_h`` (19 h, ``iss-traffic``) apart.

Scenario: tests/data/ops/ros-short.toml, random faults off: Soyuz MS crew #1 docks
2028-07-01 08:58 UTC, the station is clear of it from 2028-07-02 03:58 UTC. With crew-ship
relocation on and an uncrewed Soyuz planned for crew #1's port (as Soyuz MS-14) (lift-off 2028-07-20 21:49 UTC),
crew #1 moves to another port 2028-07-21 01:07 and the newcomer docks 19 h later
(tests/station/test_traffic_spacing.py).
"""

from __future__ import annotations

import datetime as dt

from drift_cases import SHORT

from rossim.config.scenario import Visit, load_scenario
from rossim.ops import commands as C
from rossim.ops import traffic
from rossim.ops.simulation import Simulation


def _sim(**update) -> Simulation:
    sc = load_scenario(SHORT)
    sc = sc.model_copy(update={"operations": sc.operations.model_copy(update={
        "random_faults": False}), **update})
    return Simulation(sc)


def test_a_command_inside_the_spacing_is_refused_with_the_clear_time():
    """Two hours after crew #1 docks, a ground docking and an undocking of crew #1 are
    refused, the reason naming the docking and when the station is clear; at that time the
    docking is accepted."""
    sim = _sim()
    sim.advance_to("2028-07-01T10:58:00")
    dock = C.Dock(vehicle="progress-ms", port="node.starboard", duration_days=20,
                  visit_name="Progress X", source="ground")
    for cmd in (dock, C.Undock(vehicle="Soyuz MS crew #1", source="ground")):
        res = sim.command(cmd)
        assert not res.accepted
        assert res.reason == ("station traffic: Soyuz MS crew #1 docks 2028-07-01 08:58 UTC, "
                              "less than 19 h ago (one docking or undocking at a time, "
                              "logistics.traffic_spacing_h): clear from 2028-07-02 03:58 UTC")
    sim.advance_to("2028-07-02T03:58:00")
    assert sim.command(dock).accepted
    assert sim.config.occupancy.get("node.starboard") == "Progress X"


def test_a_decision_of_the_run_waits_for_the_clear_time():
    """traffic.hold: an event ``traffic-held`` with the cause, the decision taken again at
    the clear time; nothing held once the station is clear."""
    sim = _sim()
    sim.advance_to("2028-07-01T10:58:00")
    calls = []
    assert traffic.hold(sim, "Progress X", "docking", lambda: calls.append(sim.now))
    ev = sim.events[-1]
    assert ev["kind"] == "traffic-held" and ev["subject"] == "Progress X"
    assert ev["detail"].startswith("docking held to 2028-07-02 03:58 UTC: Soyuz MS crew #1 "
                                   "docks 2028-07-01 08:58 UTC")
    sim.advance_to("2028-07-02T06:00:00")
    assert calls == [dt.datetime(2028, 7, 2, 3, 58, tzinfo=dt.UTC)]
    assert not traffic.hold(sim, "Progress X", "docking", lambda: calls.append(sim.now))


def test_a_held_docking_of_the_plan_is_announced_when_it_happens():
    """The newcomer held after the relocation docks the spacing later, its ``dock`` event's
    detail and a ``traffic-held`` event saying why."""
    b = Visit(name="Soyuz B", vehicle="soyuz-ms", port="gateway.forward", crew=0,
              launch=dt.datetime(2028, 7, 20, tzinfo=dt.UTC), duration_days=10)
    sim = _sim(crew_visits=[b], relocate_crew_ships=True)
    sim.advance_to("2028-07-22")
    docks = [e for e in sim.events if e["subject"] == "Soyuz B"]
    held = [e for e in docks if e["kind"] == "traffic-held"]
    dock = [e for e in docks if e["kind"] == "dock"]
    assert len(held) == 1 and len(dock) == 1
    assert held[0]["detail"].startswith("dock held 19.0 h from 2028-07-21 01:07 UTC: the "
                                        "relocation of Soyuz MS crew #1 gateway.forward -> ")
    assert "held 19.0 h by the station's traffic" in dock[0]["detail"]
    assert held[0]["time"] == dock[0]["time"]


def test_the_plan_review_lists_the_held_traffic():
    """``rossim validate`` (rossim.ops.plan_review): each docking or undocking the spacing
    moved is a ``traffic`` note naming the operation it waits for (ros-2026-plan: the second
    stage-2 crew ship of each rotation; before stop 47 also a Progress docking 13.8 h after
    the one leaving its port, a ship the cargo planner now flies outside the crews' pad
    blocks)."""
    from rossim.config.systems import load_systems
    from rossim.ops.plan_review import review_plan
    from rossim.station import build_timeline

    sc = load_scenario("ros-2026-plan")
    tl = build_timeline(sc)
    notes = [text for kind, text in review_plan(sc, tl, load_systems()) if kind == "traffic"]
    assert len(notes) == len(tl.traffic_holds) == 6
    assert notes[0] == (
        "Soyuz crew, stage 2, second ship #1 (crew_series[2]) undocks 2033-03-01 22:18 UTC, "
        "19.0 h after its plan (2033-03-01 03:18 UTC): Soyuz crew, stage 2 #1 undocks "
        "2033-03-01 03:18 UTC, one docking or undocking at a time (19 h apart, "
        "logistics.traffic_spacing_h)")
