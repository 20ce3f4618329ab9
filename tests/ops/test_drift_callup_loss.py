"""A cargo ship lost around a free drift: its spares are called again, and a held call-up's
launch draw applies at its lift-off (rossim.ops.callup_loss with rossim.ops.drift_docking).

References: a ship that loiters past ``free_drift.uncrewed_loiter_days`` (30 days, estimate)
is de-orbited with its cargo (no docking to a drifting station: ``soyuz-t13``); as after the
Progress losses of 2011, 2015 and 2016 (``progress-losses``) the spare is called up again at
once with the usual lead (``logistics.callup_lead_days``, 70 days).

Scenario: tests/data/ops/ros-short.toml, random faults off, no coolant-pump spare aboard
(tests/ops/test_callup_loss.py): the coolant-pump fault of 2028-09-01 calls up a Progress
(lift-off 2028-11-11 00:40, docking 03:58). The three computers fail (tests/ops/drift_cases.py)
just after that lift-off (it loiters), or on 2028-11-01 (it is held on the ground); the
planned crew lifting off 2028-12-31 docks manually two days later (rossim.ops.drift_crew),
repairs them and the drift ends on 2029-01-03.
"""

from __future__ import annotations

import datetime as dt

from drift_cases import SHORT, UTC, drift_end
from test_callup_loss import _no_cargo, _no_spare_systems, _utc

from rossim.config.free_drift import load_free_drift
from rossim.config.scenario import load_scenario
from rossim.config.systems import load_systems
from rossim.ops import callup_loss
from rossim.ops.simulation import Simulation

END = dt.datetime(2029, 6, 30, tzinfo=UTC)


def _fail_computers(sim) -> None:
    comp = sim.systems.component_by_id("computer")
    for unit in range(comp.units):
        sim.reliability.fail(comp, "station", unit, True)


def _waits(out, name: str) -> list[str]:
    return [e["detail"] for e in out.events if e["kind"] == "cargo-callup"
            and e["subject"] == name]


def test_loitering_callup_ship_deorbited_calls_its_spare_again():
    sim = Simulation(_no_cargo(END), systems=_no_spare_systems())
    sim.advance_to("2028-11-11T01:00:00")   # call-up #1 lifted off 00:40
    _fail_computers(sim)
    sim.advance_to("2028-12-11T00:00:00")   # it loitered its 30 days and was de-orbited
    first, again = sim.cargo_callup.flights
    assert first["state"] == "de-orbited: the station drifted"
    rec = sim.drift_docking.ships[first["name"]]
    assert rec["state"] == "de-orbited" and rec["lost"].startswith("2028-12-10")  # docs
    limit = load_free_drift().uncrewed_loiter_days.value
    assert _utc(rec["lost"]) - _utc(first["launch"]) <= dt.timedelta(days=limit)
    # called again at the loss, with the usual lead, for the spare the lost ship carried
    assert again["called"] == rec["lost"] and again["why"] == "spare"
    assert again["reasons"][0] == ("fault #1 coolant-pump waits for a spare (called again: "
                                   "Progress MS call-up #1 de-orbited with its cargo)")
    lead = load_systems().logistics.callup_lead_days.value
    assert _utc(again["launch"]) - _utc(again["called"]) >= dt.timedelta(days=lead)
    # the lost ship is no longer a ship on its way, nor one bringing propellant (the next
    # propellant re-check no longer counts on it)
    assert sim.cargo_callup.next_arrival()[1] == again["name"]
    assert sim.cargo_callup.next_arrival(propellant=True)[1] == again["name"]
    sim.advance_to_end()
    out = sim.finish()
    # the spare arrives with the ship called again (its crew repair is booked then: the
    # planned crew has left by 2029-02-18, so it stays unscheduled in this short plan)
    f = next(f for f in out.fdir.faults if f.component == "coolant-pump")
    assert f.spare_from == again["name"]
    assert any("coolant-pump" in d for d in [e["detail"] for e in out.events
                                             if e["kind"] == "spares"
                                             and e["subject"] == again["name"]])
    assert _utc(again["docked"]) > drift_end(out)
    assert again["docked"].startswith("2029-02-18")   # docs/operations.md
    fl = out.summary["logistics"]["callups"]["flight_list"]
    assert [x["state"] for x in fl] == ["de-orbited: the station drifted", "docked"]
    assert not [e for e in out.events if e["subject"] == first["name"] and e["kind"] in (
        "dock", "spares", "cargo-callup-arrival")]
    assert out.summary["invariants_hold"]


def test_planned_progress_deorbited_calls_the_waiting_spare():
    """A planned ship carries no named spare: the loadmaster packs the waiting repairs' spares
    at its docking (RepairsMixin.cargo_docked). The coolant-pump fault (moved to 2028-10-20)
    is served by Progress MS #2 (docking 2028-12-13, before a call-up could); the computers
    fail just after its lift-off with no planned crew to come (only the first crew series
    flight): it loiters and is de-orbited, and the spare is called up then."""
    sc = load_scenario(SHORT)
    ops = sc.operations.model_copy(update={"random_faults": False, "faults": [
        sc.operations.faults[0].model_copy(update={"at": dt.datetime(2028, 10, 20, 12,
                                                                      tzinfo=UTC)})]})
    crew = sc.crew_series[0].model_copy(update={"until": dt.datetime(2028, 8, 1, tzinfo=UTC)})
    sc = sc.model_copy(update={"operations": ops, "crew_series": [crew], "span": sc.span.
                               model_copy(update={"end": dt.datetime(2029, 8, 31, tzinfo=UTC)})})
    sim = Simulation(sc, systems=_no_spare_systems())
    ev = next(e for e in sim.timeline.events if e.part == "Progress MS #2" and e.kind == "dock")
    sim.advance_to(ev.launch + dt.timedelta(minutes=30))
    assert sim.cargo_callup.flights == []          # served by Progress MS #2
    _fail_computers(sim)
    sim.advance_to_end()
    out = sim.finish()
    rec = out.summary["logistics"]["drift_docking"]
    lost = next(s for s in rec["ships"] if s["ship"] == "Progress MS #2")
    assert lost["state"] == "de-orbited" and lost["lost"].startswith("2029-01-11")  # docs
    fl = out.summary["logistics"]["callups"]["flight_list"]
    assert len(fl) == 1 and fl[0]["called"] == lost["lost"] and fl[0]["state"] == "docked"
    assert "(called again: Progress MS #2 de-orbited with its cargo)" in fl[0]["reasons"][0]
    assert fl[0]["docked"].startswith("2029-04-22")   # held by the drift; docs/operations.md
    f = next(f for f in out.fdir.faults if f.component == "coolant-pump")
    assert f.spare_from == fl[0]["name"] and f.repaired_at is not None
    assert out.summary["invariants_hold"]


def test_held_callup_drawn_to_fail_is_lost_at_its_lift_off_after_the_drift():
    sim = Simulation(_no_cargo(END, callup_cargo_loss_probability=1.0),
                     systems=_no_spare_systems())
    sim.advance_to("2028-11-01T00:00:00")   # call-up #1 drawn to fail, lift-off 2028-11-11
    _fail_computers(sim)
    sim.advance_to_end()
    out = sim.finish()
    end = drift_end(out)
    fl = out.summary["logistics"]["callups"]["flight_list"]
    first = fl[0]
    row = next(s for s in out.summary["logistics"]["drift_docking"]["ships"]
               if s["ship"] == first["name"])
    assert row["kind"] == "held" and row["state"] == "lost at launch"
    # lost at its real lift-off, after the drift, not at the planned one of 2028-11-11
    assert first["state"] == "lost at launch" and first["lost"] == row["lift_off"]
    assert _utc(first["lost"]) > end > dt.datetime(2028, 11, 11, tzinfo=UTC)
    assert end.date() == dt.date(2029, 1, 3) and first["lost"].startswith("2029-01-14T22:45")
    assert not first["docked"]
    # one draw per launch (the held ship's draw is its call's); the spare is called again
    assert callup_loss.of(sim).draws["cargo"] == len(fl) >= 2
    assert fl[1]["called"] == first["lost"]
    assert any(d.startswith("lost at launch") for d in _waits(out, first["name"]))
    assert out.summary["invariants_hold"]
