"""Uncrewed ships and a free-drifting station (rossim.ops.drift_docking).

Reference: the dead Salyut 7 (contact lost 1985-02-11) received no ship before the repair crew
of Soyuz T-13 docked manually on 1985-06-08 (``soyuz-t13`` in docs/sources.md; Wikipedia
"Soyuz T-13", NASA RP-1357): an automatic (Igla/Kurs) docking needs a target that holds its
attitude. So no uncrewed ship docks while the station drifts; a held ship lifts off at the
first allowed in-plane window after the drift's end (rossim.station.windows, the finder every
planned launch uses) that keeps its pad's turnaround (catalog/sites.toml
``pad_turnaround_days``: rossim.ops.pad_turnaround, the rule written out in
tests/ops/pad_cases.py) and docks ``time_to_dock_h`` later; a ship in orbit loiters for at most
``free_drift.uncrewed_loiter_days`` (catalog/free_drift.toml, 30 days: estimate) from its
lift-off.

Scenario: tests/data/ops/ros-short.toml (stage 1; Soyuz MS crews 2028-07-01 and about
2028-12-30; Progress MS 2028-08-15 and 2028-12-13 at node.starboard, 110 days each), random
faults off, the three computers failed on 2028-08-05 (the repair crew called up lifts off
2028-11-28 and docks manually two days later, rossim.ops.drift_crew; the drift ends the day
after) or just after the first Progress lifted off.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from pad_cases import turnaround_lift_off

from rossim.config.catalog import load_catalog
from rossim.config.free_drift import load_free_drift
from rossim.config.scenario import Visit, load_scenario
from rossim.ops.drift_docking import DriftDocking
from rossim.ops.simulation import Simulation

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"
UTC = dt.UTC


def _scenario(cargo: list | None = None):
    scen = load_scenario(SHORT)
    upd = {"operations": scen.operations.model_copy(update={"random_faults": False})}
    if cargo:
        upd["cargo_visits"] = [*scen.cargo_visits, *cargo]
    return scen.model_copy(update=upd)


def _fail_computers(sim) -> None:
    comp = sim.systems.component_by_id("computer")
    for unit in range(comp.units):
        sim.reliability.fail(comp, "station", unit, True)


def _t(ev) -> dt.datetime:
    return ev["time"].astype("datetime64[s]").item().replace(tzinfo=UTC)


def _drift_span(out) -> tuple[dt.datetime, dt.datetime | None]:
    start = next(_t(e) for e in out.events if e["kind"] == "mode"
                 and e["detail"].startswith("free drift:"))
    end = next((_t(e) for e in out.events if e["kind"] == "mode"
                and e["detail"].startswith("free drift ended")), None)
    return start, end


def _uncrewed_docks(out) -> list[tuple[dt.datetime, str]]:
    return [(_t(e), e["subject"]) for e in out.events
            if e["kind"] == "dock" and "crew 0" in e["detail"]]


def _invariants_hold(out) -> None:
    bad = [k for k, v in out.summary["invariants"].items() if not v["holds"]]
    assert not bad, bad


def test_loiter_limit_is_a_catalog_figure_with_a_source():
    lim = load_free_drift().uncrewed_loiter_days
    assert lim.value == 30 and lim.flag == "estimate" and lim.source.startswith("ros-facts:")


def _held_run(monkeypatch=None):
    sim = Simulation(_scenario())
    sim.advance_to("2028-08-05T00:00:00")
    _fail_computers(sim)
    tank = []
    sim.advance_to("2028-11-29T00:00:00")   # drift on, repair crew lifted off 2028-11-28
    tank.append(dict(sim.orbit.ledger))
    sim.advance_to_end()
    return sim, sim.finish(), tank


def test_progress_held_during_the_drift_docks_after_the_repair_with_its_cargo():
    sim, out, tank = _held_run()
    start, end = _drift_span(out)
    assert end is not None and (end - start).days == 118   # the repair crew's repair
    # no uncrewed ship docked while the station drifted
    assert not [d for d in _uncrewed_docks(out) if start <= d[0] < end]
    rec = out.summary["logistics"]["drift_docking"]
    assert (rec["held"], rec["loitered"], rec["lost"], rec["not_flown"]) == (1, 0, 0, 0)
    ship = rec["ships"][0]
    assert ship["ship"] == "Progress MS #1" and ship["state"] == "flown after the drift"
    # expected, from the window finder and the pad-turnaround rule alone: the first allowed
    # window of its pad on or after the drift's end at least 14 days from every other
    # lift-off from Baikonur Site 31 (the repair crew's 2028-11-28, Progress MS #2's
    # 2028-12-13 and the planned crew's 2028-12-31: so 2029-01-14), docking 3.3 h later
    # (minute clock, 60 s steps)
    cat = sim.timeline.catalog
    veh = cat.vehicles["progress-ms"]
    site = cat.sites[veh.launch_site]
    lifts = [e.launch for e in sim.timeline.events if e.kind == "dock" and e.site == site.id
             and e.part != "Progress MS #1"]
    dock = turnaround_lift_off(sim.scenario, site, end, lifts) + dt.timedelta(
        hours=veh.time_to_dock_h.value)
    planned_crew = next(e.launch for e in sim.timeline.events if e.part == "Soyuz MS crew #2"
                        and e.kind == "dock")
    assert dock - dt.timedelta(hours=veh.time_to_dock_h.value) >= planned_crew + dt.timedelta(
        days=site.pad_turnaround_days.value)   # the turnaround moved it past the planned crew
    docked = [d for d in _uncrewed_docks(out) if d[1] == "Progress MS #1"]
    assert len(docked) == 1
    assert abs((docked[0][0] - dock).total_seconds()) <= 60, (docked, dock)
    assert docked[0][0] > end
    # its cargo arrives then: propellant into the tanks and its reboost reserve at docking
    before = tank[0]
    led = sim.orbit.ledger
    assert led["reserve_arrived_kg"] - before["reserve_arrived_kg"] >= \
        sim.systems.propulsion.progress_reboost_kg.value * 2 - 1e-6   # #1 then #2
    ev = [e for e in out.events if e["subject"] == "Progress MS #1"
          and e["kind"] == "drift-docking"]
    assert "held on the ground" in ev[0]["detail"] and "soyuz-t13" in ev[0]["detail"]
    assert ev[-1]["detail"].startswith("drift over: lifts off")
    assert "14-day pad turnaround after Soyuz MS crew #2's lift-off" in ev[-1]["detail"]
    from rossim.cli.run import callup_rows

    assert dict(callup_rows(out.summary["logistics"]))["drift_docking"].startswith(
        "1 held, 0 loitered, 0 lost, 0 not flown")
    _invariants_hold(out)


def test_held_progress_stay_shortened_before_the_next_ship_at_its_port(no_pad_turnaround):
    """Pads with no turnaround (fixture): the held Progress MS #1 flies at the first window
    after the drift (2028-11-30) and its stay is shortened to leave a day before Progress MS
    #2 docks at the same port (node.starboard, 2028-12-13). With the turnaround it flies after
    the planned crew instead (the test above)."""
    _sim, out, _ = _held_run()
    _start, end = _drift_span(out)
    docked = [d[0] for d in _uncrewed_docks(out) if d[1] == "Progress MS #1"]
    assert len(docked) == 1 and end < docked[0] < end + dt.timedelta(days=2)
    und = [_t(e) for e in out.events if e["kind"] == "undock"
           and e["subject"] == "Progress MS #1"]
    nxt = [d[0] for d in _uncrewed_docks(out) if d[1] == "Progress MS #2"]
    assert und and nxt and (nxt[0] - und[0]).total_seconds() == 86400
    _invariants_hold(out)


def test_without_the_rule_the_progress_docks_to_the_drifting_station(monkeypatch):
    """The defect the station engineer flagged: the check above can fail."""
    monkeypatch.setattr(DriftDocking, "intercept", lambda self, evs: False)
    monkeypatch.setattr(DriftDocking, "drift_began", lambda self: None)
    _sim, out, _ = _held_run()
    start, end = _drift_span(out)
    assert [d[1] for d in _uncrewed_docks(out) if start <= d[0] < end] == ["Progress MS #1"]


def test_ship_in_orbit_loiters_then_is_lost_with_its_cargo(no_pad_turnaround):
    """Pads with no turnaround (fixture): the repair crew (first window about 2028-12-08)
    flies before Progress MS #2 (2028-12-13) and the drift ends then; with the turnaround no
    crew flies from Baikonur Site 31 within 14 days of those planned launches, the drift lasts
    to the planned crew and Progress MS #2 is held too (this test is about the loitering
    ship)."""
    sim = Simulation(_scenario())
    ev = next(e for e in sim.timeline.events if e.part == "Progress MS #1" and e.kind == "dock")
    lift = ev.launch
    sim.advance_to(lift + dt.timedelta(minutes=30))   # lifted off, then the computers fail
    _fail_computers(sim)
    sim.advance_to_end()
    out = sim.finish()
    rec = out.summary["logistics"]["drift_docking"]
    assert (rec["held"], rec["loitered"], rec["lost"]) == (1, 1, 1)
    lost = [e for e in out.events if e["kind"] == "drift-docking"
            and "de-orbited" in e["detail"]]
    assert len(lost) == 1
    # the computer spare a waiting repair counted on it for is called up at its loss
    # (rossim.ops.callup_loss.recall_spares); that ship is held on the ground by the drift
    fl = out.summary["logistics"]["callups"]["flight_list"]
    assert len(fl) == 1 and _t(lost[0]).isoformat()[:16] == fl[0]["called"][:16]
    assert "computer waits for a spare (called again: Progress MS #1 de-orbited" in \
        fl[0]["reasons"][0]
    held = [s for s in rec["ships"] if s["kind"] == "held"]
    assert [s["ship"] for s in held] == [fl[0]["name"]]
    # the hold is stamped at the lift-off it stops (the ground does not launch the ship),
    # not at the docking it would have made (before stop 48: 3.3 h later), and so is its alarm
    hold = [e for e in out.events if e["kind"] == "drift-docking" and e["subject"] ==
            fl[0]["name"] and "lift-off held" in e["detail"]]
    assert len(hold) == 1 and _t(hold[0]).isoformat()[:16] == fl[0]["launch"][:16]
    (al,) = [a for a in out.alarms if a["detail"] == f"{fl[0]['name']}: the station drifts"]
    assert str(al["time"])[:16] == fl[0]["launch"][:16]
    assert [a["time"] for a in out.alarms] == sorted(a["time"] for a in out.alarms)
    limit = load_free_drift().uncrewed_loiter_days.value
    # de-orbited on the last daily try that keeps it within its autonomous flight
    days = (_t(lost[0]) - lift).total_seconds() / 86400
    assert limit - 1.0 <= days <= limit, days
    al = [a for a in out.alarms if "Progress MS #1 lost" in a["detail"]]
    assert len(al) == 1 and al[0]["severity"] == "warning" and "attitude" in al[0]["cause"]
    # never docked: no delivery, no reserve; only Progress MS #2 brought its reboost reserve:
    # the held call-up ship was stood down when the repair crew brought the computer spare
    # (rossim.ops.callup_stand_down; it flew after the drift before that)
    assert fl[0]["state"] == ("not flown: stood down (fault #3 computer: spare from Soyuz MS "
                              "repair crew #1)")
    docked = [d[1] for d in _uncrewed_docks(out)]
    assert "Progress MS #1" not in docked and fl[0]["name"] not in docked
    assert docked.count("Progress MS #2") == 1
    assert np.isclose(sim.orbit.ledger["reserve_arrived_kg"],
                      sim.systems.propulsion.progress_reboost_kg.value)
    _invariants_hold(out)


def test_ship_in_orbit_docks_at_the_first_daily_try_after_a_short_drift():
    extra = Visit(vehicle="progress-ms", launch=dt.datetime(2028, 7, 10, tzinfo=UTC),
                  port="node.starboard", duration_days=30, name="Progress test")
    sim = Simulation(_scenario([extra]))
    ev = next(e for e in sim.timeline.events if e.part == "Progress test" and e.kind == "dock")
    sim.advance_to(ev.launch + dt.timedelta(minutes=30))
    _fail_computers(sim)   # the crew aboard (Soyuz MS crew #1) repairs
    sim.advance_to_end()
    out = sim.finish()
    start, end = _drift_span(out)
    assert end is not None and (end - start).days < 30
    docked = [d for d in _uncrewed_docks(out) if d[1] == "Progress test"]
    assert len(docked) == 1 and end <= docked[0][0] <= end + dt.timedelta(days=1)
    rec = out.summary["logistics"]["drift_docking"]
    assert (rec["loitered"], rec["lost"]) == (1, 0)
    assert rec["ships"][0]["state"] == "docked late"
    # the dock event carries the real lift-off (Dock.lift_off), not the day it docked
    dev = next(e for e in sim.timeline.events if e.part == "Progress test" and e.kind == "dock")
    assert abs((dev.launch - ev.launch).total_seconds()) <= 60
    _invariants_hold(out)


def test_uncrewed_dock_command_is_refused_while_drifting():
    from rossim.ops import commands as C

    sim = Simulation(_scenario())
    sim.advance_to("2028-08-05T00:00:00")
    _fail_computers(sim)
    sim.advance_to("2028-08-06T00:00:00")
    res = sim.command(C.Dock(vehicle="progress-ms", port="auto", duration_days=10, crew=0,
                             source="ground"))
    assert not res.accepted and "drifts" in res.reason


@pytest.mark.slow
def test_campaign_run_92_docks_no_progress_during_its_drift(fly_every_crew):
    """Campaign run 92 of ros-51.6 (campaign seed 2026; docs/campaigns.md): every computer
    failed on 2034-08-25 and the drift lasted 118.6 days (131.4 since the pad turnaround: the
    Orel repair crew's window fell within Vostochny 1A's 30 days of the planned Orel crew's
    lift-off, so that crew repaired). Before this rule Progress MS
    call-up #2 docked on 2034-11-03 and Progress MS (logistics port) #5 on 2034-12-18, both
    to the drifting station. Now both are held and fly after the drift, from one pad its
    turnaround apart at least (``pad_turnaround_days`` of Baikonur Site 31, 14 days: this
    replaced ``free_drift.held_launch_interval_days``, 7 days). Since the plan keeps its own
    pads' turnarounds (rossim.station.pad_plan: this run's assembly and the ships after it slip,
    Progress MS (logistics port) #5 to a planned docking on 2034-12-31) no propellant call-up
    is needed in 2034-03 (before: call-up #1, lost at launch), so the spare ship called on
    2034-08-25 for fault #14 (the computer) is call-up #1, with the same lift-off. Its launch
    was drawn to fail at the call (operations.callup_cargo_loss_probability, the run's own
    stream); since a held call-up's draw applies at its real lift-off (rossim.ops.callup_loss)
    it is lost at launch on 2035-01-04, after the drift, and only #5 docks. (The draw as
    recorded, every late crew flown: since stop 45 six of them are not flown.)"""
    from rossim.campaign.dispersions import draw_run
    from rossim.ops.simulation import simulate

    d = draw_run(load_scenario("ros-51.6"), 2026, 92)
    out = simulate(d.scenario, seed=d.seed)
    start, end = _drift_span(out)
    assert start.date() == dt.date(2034, 8, 25) and end is not None
    assert not [x for x in _uncrewed_docks(out) if start <= x[0] < end]
    rec = out.summary["logistics"]["drift_docking"]
    assert (rec["held"], rec["loitered"], rec["lost"], rec["not_flown"]) == (2, 0, 0, 0)
    names = {"Progress MS call-up #1", "Progress MS (logistics port) #5"}
    assert {s["ship"] for s in rec["ships"]} == names
    docks = sorted(x[0] for x in _uncrewed_docks(out) if x[1] in names)
    assert len(docks) == 1 and docks[0] > end
    lost = next(s for s in rec["ships"] if s["ship"] == "Progress MS call-up #1")
    assert lost["state"] == "lost at launch"
    assert dt.datetime.fromisoformat(lost["lift_off"].replace("Z", "+00:00")) > end
    lifts = sorted(dt.datetime.fromisoformat(s["lift_off"].replace("Z", "+00:00"))
                   for s in rec["ships"])
    gap = load_catalog().sites["baikonur-31"].pad_turnaround_days.value
    assert (lifts[1] - lifts[0]).total_seconds() >= gap * 86400
    _invariants_hold(out)


def test_module_launched_during_the_drift_is_held_and_docks_after_it():
    """The core module launches 2028-12-15 (docking 2028-12-23 after an 8-day climb on its
    own engines); the computers fail on 2028-12-01 and the planned crew of 2028-12-31
    repairs them: the core launches on or after the drift's end instead."""
    sim = Simulation(_scenario())
    planned = next(e for e in sim.timeline.events if e.part == "core" and e.kind == "dock")
    sim.advance_to("2028-12-01T00:00:00")
    _fail_computers(sim)
    sim.advance_to_end()
    out = sim.finish()
    start, end = _drift_span(out)
    assert end is not None and start < planned.time < end
    docks = [_t(e) for e in out.events if e["kind"] == "dock" and e["subject"] == "core"]
    assert len(docks) == 1 and docks[0] > end
    ev = next(e for e in sim.timeline.events if e.part == "core" and e.kind == "dock")
    assert ev.launch >= end - dt.timedelta(minutes=1)
    # the climb is the planner's: the same days as planned
    assert abs((ev.time - ev.launch) - (planned.time - planned.launch)) <= dt.timedelta(
        minutes=1)
    rec = out.summary["logistics"]["drift_docking"]
    row = next(r for r in rec["ships"] if r["ship"] == "core")
    assert row["module"] and row["state"] == "flown after the drift"
    assert rec["modules_docked_while_drifting"] == []
    _invariants_hold(out)
