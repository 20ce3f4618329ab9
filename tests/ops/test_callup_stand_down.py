"""A spare call-up stood down when another ship brings its spares first
(rossim.ops.callup_stand_down).

Found by a station-engineer review of ``rossim run ros-2026-plan``: a Progress called up for a
computer spare was held on the ground by a free drift, a planned Progress docked two weeks
before the call-up's lift-off with two computers, the fault was repaired that day, and the
call-up still flew and put a computer into stock. A ground team stands a ship down once its
reason is gone.

Scenario: tests/data/ops/ros-short.toml, random faults off, without its cargo ships and with
no coolant-pump spare aboard (tests/ops/test_callup_loss.py): the coolant-pump fault of
2028-09-01 calls up a Progress (lift-off 2028-11-11 after the 70-day lead).

* Plan edit: a Progress docked by a ground ``dock`` command on 2028-10-01 brings the spare
  before the call-up lifts off.
* Drift (the review's case): the three computers fail on 2028-11-01 (tests/ops/drift_cases.py;
  the third computer's spare joins the call-up), which is held on the ground at its docking;
  the planned crew repairs two computers and the drift ends on 2029-01-01. A Progress planned
  to lift off on 2029-01-03 (its pad's turnaround after the crew's lift-off slips it to
  2029-01-14) brings both spares; the call-up's lift-off after the drift keeps the turnaround
  after that Progress's, so the Progress docks first. Without that Progress the call-up flies
  as before and brings them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from drift_cases import UTC
from test_callup_loss import _no_cargo, _no_spare_systems

from rossim.cli.run import callup_rows
from rossim.config.scenario import Visit
from rossim.ops import callup_stand_down
from rossim.ops.commands import Dock
from rossim.ops.pad_turnaround import lift_offs
from rossim.ops.simulation import Simulation

END = dt.datetime(2029, 6, 30, tzinfo=UTC)
PLANNED = "Progress P"


def _stood_down(fl: dict) -> bool:
    return fl["state"].startswith("not flown: stood down")


def _events(out, name: str, *kinds: str) -> list[dict]:
    return [e for e in out.events if e["subject"] == name and e["kind"] in kinds]


def _plan_edit_sim(**ops) -> tuple[Simulation, dict]:
    """The coolant-pump call-up on its way (lift-off 2028-11-11), then on 2028-10-01 a
    Progress docked by a ground command (lifted off 4 h before)."""
    sim = Simulation(_no_cargo(dt.datetime(2029, 2, 15, tzinfo=UTC), **ops),
                     systems=_no_spare_systems())
    sim.advance_to("2028-10-01")
    (fl,) = sim.cargo_callup.flights
    assert fl["state"] == "on its way" and fl["launch"].startswith("2028-11-11")
    assert fl["faults"] == [1] and fl["reasons"] == ["fault #1 coolant-pump waits for a spare"]
    return sim, fl


def _dock_progress(sim) -> None:
    res = sim.command(Dock(vehicle="progress-ms", port="node.starboard", duration_days=30,
                           visit_name="Progress X", lift_off=sim.now - dt.timedelta(hours=4),
                           source="ground"))
    assert res.accepted, res.reason


def test_call_up_stood_down_when_a_ship_docked_by_a_plan_edit_brings_the_spare():
    """Drawn to fail at launch (probability 1): stood down first, it is never lost."""
    sim, fl = _plan_edit_sim(callup_cargo_loss_probability=1.0)
    cu = sim.cargo_callup
    assert cu.next_arrival(propellant=True)[1] == fl["name"]
    _dock_progress(sim)
    assert _stood_down(fl), fl["state"]
    assert "fault #1 coolant-pump: spare from Progress X" in fl["state"]
    assert fl["stood_down"].startswith("2028-10-01")
    # no longer a ship on its way, with spares or propellant (the re-check finds a need anew)
    assert cu.next_arrival() is None and cu.next_arrival(propellant=True) is None
    sim.advance_to_end()
    out = sim.finish()
    f = next(f for f in out.fdir.faults if f.component == "coolant-pump")
    assert f.spare_from == "Progress X" and f.repaired_at is not None
    ev = _events(out, fl["name"], "cargo-callup")
    down = [e for e in ev if e["detail"].startswith("stood down")]
    assert len(down) == 1 and down[0]["severity"] == "info"
    assert "spares came with Progress X" in down[0]["detail"]
    # never lost at its lift-off (no loss event, no launcher grounded), never docked
    assert not any("lost at launch" in e["detail"] for e in ev)
    assert not _events(out, fl["name"], "dock", "spares", "cargo-callup-arrival")
    rec = out.summary["logistics"]["callups"]
    assert rec["flights"] == 0 and rec["lost_at_launch"] == 0 and rec["called"] == 1
    assert [_stood_down(x) for x in rec["not_flown"]] == [True]
    # the console says so too
    assert "1 not flown (1 stood down)" in dict(callup_rows(out.summary["logistics"]))[
        "cargo_callups"]
    assert not (out.summary["logistics"].get("stand_downs") or {}).get("in_run")
    assert out.fdir.spares["coolant-pump"]["delivered"] == 1   # Progress X's only
    assert out.summary["invariants_hold"]


def test_spare_call_up_joined_by_a_propellant_need_still_flies():
    """A propellant need served by the call-up on its way joins it (``faults`` None for
    that reason): the spare alone no longer stands it down."""
    sim, fl = _plan_edit_sim()
    assert sim.cargo_callup.call_up("propellant", "test: propellant need") is fl
    assert fl["faults"] == [1, None]
    _dock_progress(sim)
    assert fl["state"] == "on its way"
    sim.advance_to_end()
    assert fl["state"] == "docked"


def _drift_run(planned: bool, stand_down: bool = True, monkeypatch=None):
    """The drift case of the module docstring, with the Progress of 2029-01-03 or without;
    ``stand_down`` False: the stand-down hook disabled (the behaviour before it)."""
    sc = _no_cargo(END)
    if planned:
        sc = sc.model_copy(update={"cargo_visits": [Visit(
            vehicle="progress-ms", port="node.starboard", duration_days=60, name=PLANNED,
            launch=dt.datetime(2029, 1, 3, tzinfo=UTC))]})
    if not stand_down:
        monkeypatch.setattr(callup_stand_down, "spares_came", lambda sim, ship: [])
    sim = Simulation(sc, systems=_no_spare_systems())
    sim.advance_to("2028-11-01")
    comp = sim.systems.component_by_id("computer")
    for unit in range(comp.units):
        sim.reliability.fail(comp, "station", unit, True)
    sim.advance_to_end()
    return sim, sim.finish()


@pytest.fixture(scope="module")
def drift_runs():
    with pytest.MonkeyPatch.context() as mp:
        before = _drift_run(True, stand_down=False, monkeypatch=mp)
    return {"planned": _drift_run(True), "none": _drift_run(False), "before": before}


def test_held_call_up_stood_down_when_a_planned_ship_brings_the_spares_first(drift_runs):
    sim, out = drift_runs["planned"]
    rec = out.summary["logistics"]["callups"]
    (fl,) = rec["flight_list"]
    # called for the coolant pump, the third computer joined it; both served by the Progress
    assert fl["faults"] == [1, 4] and _stood_down(fl), fl
    assert "fault #1 coolant-pump: spare from Progress P" in fl["state"]
    assert "fault #4 computer: spare from Progress P" in fl["state"]
    dock = _events(out, PLANNED, "dock")
    assert len(dock) == 1 and fl["stood_down"][:16] == str(dock[0]["time"])[:16]
    assert fl["stood_down"] < fl["launch"]           # before its lift-off after the drift
    for f in out.fdir.faults:
        if f.id in fl["faults"]:
            assert f.spare_from == PLANNED and f.repaired_at is not None
    # never docks, never released again, holds no pad, counted not flown
    assert not _events(out, fl["name"], "dock", "spares", "cargo-callup-arrival")
    assert fl["name"] not in {n for _, n in lift_offs(sim, fl["site"])}
    assert rec["flights"] == 0 and [x["state"] for x in rec["not_flown"]] == [fl["state"]]
    dd = out.summary["logistics"]["drift_docking"]
    row = next(r for r in dd["ships"] if r["ship"] == fl["name"])
    assert row["state"] == fl["state"] and "stood down" in row["history"][-1]
    assert dd["not_flown"] == 1
    assert out.summary["invariants_hold"]


def test_stood_down_call_up_delivers_no_extra_spares(drift_runs):
    """The spares delivered are the planned Progress's; before the stand-down the call-up
    flew anyway and delivered more into stock."""
    _, out = drift_runs["planned"]
    _, before = drift_runs["before"]
    fl = before.summary["logistics"]["callups"]["flight_list"][0]
    planned = _events(before, PLANNED, "dock")[0]
    assert fl["state"] == "docked" and fl["docked"][:16] > str(planned["time"])[:16]
    got = {k: v["delivered"] for k, v in out.fdir.spares.items()}
    was = {k: v["delivered"] for k, v in before.fdir.spares.items()}
    assert got["coolant-pump"] == 1 and got["computer"] == 2
    # the call-up restocked the computers to their initial stock (none of the pump: 0 at start)
    assert _events(before, fl["name"], "spares")
    assert was["computer"] > got["computer"] and all(was[k] >= got[k] for k in got)


def test_without_the_planned_ship_the_held_call_up_flies_as_before(drift_runs):
    _, out = drift_runs["none"]
    rec = out.summary["logistics"]["callups"]
    (fl,) = rec["flight_list"]
    assert fl["state"] == "docked" and fl["faults"] == [1, 4] and "stood_down" not in fl
    assert rec["flights"] == 1 and rec["not_flown"] == []
    for f in out.fdir.faults:
        if f.id in fl["faults"]:
            assert f.spare_from == fl["name"] and f.repaired_at is not None
    assert not [e for e in out.events if e["kind"] == "cargo-callup"
                and e["detail"].startswith("stood down")]
    assert out.summary["logistics"]["drift_docking"]["not_flown"] == 0
    assert out.summary["invariants_hold"]
