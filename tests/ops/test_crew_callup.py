"""A repair crew called up when the station free-drifts (rossim.ops.crew_callup).

Reference: Salyut 7 went dead on 1985-02-11; the repair crew of Soyuz T-13 lifted off
1985-06-06 (115 days later) and docked manually to the inert station on 1985-06-08
(``soyuz-t13`` in docs/sources.md; Wikipedia "Soyuz T-13", NASA RP-1357). The call-up's lead is
that precedent; its lift-off is the first allowed in-plane window after the lead
(rossim.station.windows, the finder every planned launch uses) and its docking the manual
profile to a drifting station later (``free_drift.manual_docking_profile_h``, Soyuz T-13's
lift-off to docking: rossim.ops.drift_crew), not the ship's fast ``time_to_dock_h``.

Scenario: tests/data/ops/ros-short.toml (stage 1; Soyuz MS crews 2028-07-01 and about
2028-12-30, 30 days each), random faults off, the three computers failed on 2028-08-05 (the
next planned crew 147 days away) or on 2028-01-10 (NEM-1 alone, its one crew-fitting port
held by a Progress). Campaign run 143 of ros-51.6 (campaign seed 2026): every computer failed
on 2033-04-01 and the station re-entered on 2034-03-07 before the next planned crew
(docs/campaigns.md).
"""

from __future__ import annotations

import datetime as dt

import pytest
from drift_cases import UTC, drift, drift_end, scenario

from rossim.config.free_drift import load_free_drift
from rossim.config.scenario import Visit, load_scenario
from rossim.station.windows import PlaneModel, WindowFinder, clock_minute

_scenario, _drift, _drift_end = scenario, drift, drift_end


def test_lead_is_the_soyuz_t13_precedent():
    lead = load_free_drift().repair_crew_lead_days
    dead, lift = dt.date(1985, 2, 11), dt.date(1985, 6, 6)   # soyuz-t13
    assert lead.value == (lift - dead).days == 115
    assert lead.flag == "estimate" and lead.source.startswith("soyuz-t13:")


def test_drifting_station_gets_a_repair_crew_at_lead_plus_window():
    scen = _scenario()
    fail = dt.datetime(2028, 8, 5, tzinfo=UTC)
    sim = _drift(scen, "2028-08-05T00:00:00")
    sim.advance_to_end()
    out = sim.finish()
    rec = out.summary["logistics"]["crew_callups"]
    assert rec["flights"] == 1 and not rec["refused"], rec
    fl = rec["flight_list"][0]
    assert fl["state"] == "docked" and fl["vehicle"] == "soyuz-ms" and fl["crew"] == 2
    # expected, from the window finder alone: first allowed window of the plan's pad on or
    # after the drift's start + 115 days, docking manually after the Soyuz T-13 profile
    # (lift-off 1985-06-06 06:39:52, docking 1985-06-08 about 08:50 UTC), not the fast 3.3 h
    cat = sim.timeline.catalog
    veh = cat.vehicles["soyuz-ms"]
    manual = load_free_drift().manual_docking_profile_h
    t13 = (dt.datetime(1985, 6, 8, 8, 50) - dt.datetime(1985, 6, 6, 6, 39, 52))
    assert abs(manual.value - t13.total_seconds() / 3600) < 0.05 and manual.flag == "reported"
    assert fl["approach"] == "manual" and fl["profile_h"] == manual.value
    w = WindowFinder(PlaneModel.from_scenario(scen)).first(
        cat.sites[fl["site"]], fail + dt.timedelta(days=115))
    lift = clock_minute(w["time"])
    dock = lift + dt.timedelta(hours=manual.value)
    got = dt.datetime.fromisoformat(fl["docked"].replace("Z", "+00:00"))
    assert abs((got - dock).total_seconds()) <= 60, (got, dock)
    assert got - lift > dt.timedelta(hours=veh.time_to_dock_h.value + 24)
    assert dt.timedelta(days=115) <= got - fail <= dt.timedelta(days=120)
    # the plan's dock event carries the real lift-off; the summary lists the manual docking
    ev = next(e for e in out.events if e["kind"] == "dock" and e["subject"] == fl["name"])
    assert f"launched {lift:%Y-%m-%d %H:%M} UTC" in ev["detail"], ev["detail"]
    md = out.summary["logistics"]["manual_dockings"]
    row = next(r for r in md["ships"] if r["ship"] == fl["name"])
    assert row["kind"] == "repair crew" and row["state"] == "docked manually"
    assert row["lift_off"] == f"{lift:%Y-%m-%dT%H:%MZ}" and row["docking"] == fl["docked"][:16] + "Z"
    arr = next(e for e in out.events if e["kind"] == "crew-callup-arrival")
    assert f"{manual.value:g} h after lift-off" in arr["detail"]
    # the planned crew (about 2028-12-30) is a month later: the call-up came first
    assert got < dt.datetime(2028, 12, 1, tzinfo=UTC)
    # the drift ends at the repair: the crew's first day aboard plus the 2 h repair
    end = _drift_end(out)
    rel = sim.systems.reliability
    comp = sim.systems.component_by_id("computer")
    assert end is not None and dt.timedelta(0) < end - got <= dt.timedelta(
        days=rel.crew_repair_start_days.value, hours=comp.repair_h.value, minutes=2)
    fixed = [f for f in out.fdir.faults if f.component == "computer"]
    assert all(f.repaired_by == "crew" and f.repaired_at <= end for f in fixed)
    # the planned crew lifts off after the drift: it docks on the plan's fast profile
    crew2 = next(e for e in sim.timeline.events if e.part == "Soyuz MS crew #2"
                 and e.kind == "dock")
    assert crew2.launch > end and crew2.time - crew2.launch == dt.timedelta(
        hours=veh.time_to_dock_h.value)
    assert [r["ship"] for r in md["ships"]] == [fl["name"]]
    # repaired once each: the booking on the planned visit was withdrawn
    rep = [e for e in out.events if e["kind"] == "fault-repaired" and "computer" in e["detail"]]
    assert len(rep) == len(fixed) == 3
    # the crew is a visit of the plan: crew-days, consumables, the invariants
    assert any(v.name == fl["name"] and v.crew == 2 for _f, v in sim.scenario.visits)
    assert out.summary["crew_visits"] == 3
    alarms = [a for a in out.alarms if a["subject"] == "repair-crew"]
    assert len(alarms) == 1 and "soyuz-t13" in alarms[0]["cause"]
    assert "free drift since 2028-08-05" in alarms[0]["cause"]
    bad = [k for k, v in out.summary["invariants"].items() if not v["holds"]]
    assert not bad, bad
    # the console shows it beside the cargo call-ups (rossim run's summary table)
    from rossim.cli.run import callup_rows

    rows = dict(callup_rows(out.summary["logistics"]))
    assert rows["crew_callups"] == "1 (repair crew; 115 d lead)"
    assert "cargo_callups" in rows


def test_repair_crew_leaves_before_the_planned_crew_docks(no_pad_turnaround):
    """Computers failed 2028-08-25: the call-up docks about 2028-12-18, twelve days before the
    planned crew (about 2028-12-30, 2 crew, 2 berths on the stage-1 station). A 30-day stay
    would put 4 crew aboard: the Dock was refused (campaign runs 87 and 92 before the fix).
    The repair crew now stays until a day before the planned crew docks and repairs first.
    Pads with no turnaround here (fixture): from Baikonur Site 31, 14 days after Progress MS #2
    (2028-12-13) and before the planned crew's lift-off, no repair crew could fly then."""
    sim = _drift(_scenario(), "2028-08-25T00:00:00")
    sim.advance_to_end()
    out = sim.finish()
    rec = out.summary["logistics"]["crew_callups"]
    assert rec["flights"] == 1 and not rec["refused"], rec
    fl = rec["flight_list"][0]
    assert fl["state"] == "docked", fl
    docked = dt.datetime.fromisoformat(fl["docked"].replace("Z", "+00:00"))
    planned = dt.datetime.fromisoformat(fl["planned_crew_docking"].replace("Z", "+00:00"))
    assert 0 < (planned - docked).days < 30
    assert fl["stay_days"] == pytest.approx((planned - docked).total_seconds() / 86400 - 1,
                                            abs=1e-6)
    end = _drift_end(out)
    assert end is not None and docked < end < planned
    assert not [a for a in out.alarms if "could not dock" in a["detail"]]
    bad = [k for k, v in out.summary["invariants"].items() if not v["holds"]]
    assert not bad, bad


def test_no_call_up_when_the_planned_crew_docks_right_after(no_pad_turnaround):
    """Computers failed 2028-09-05: a crew called then docks within a day of the planned
    crew: no time aboard for the repair before it, so no flight (an info event says so).
    Pads with no turnaround here (fixture): with it the pad's turnaround after the planned
    launches puts that crew after the planned crew instead (no call-up either)."""
    sim = _drift(_scenario(), "2028-09-05T00:00:00")
    sim.advance_to_end()
    out = sim.finish()
    assert "crew_callups" not in out.summary["logistics"] or \
        out.summary["logistics"]["crew_callups"]["flights"] == 0
    ev = [e for e in out.events if e["kind"] == "crew-callup"]
    assert len(ev) == 1 and "no time aboard for the repair" in ev[0]["detail"], ev


def test_no_ship_flown_for_a_stay_shorter_than_worth_a_flight(no_pad_turnaround):
    """Computers failed 2028-09-02: a repair crew would dock about 2028-12-26 and have to
    leave after 3.9 days for the planned crew (about 2028-12-30). Shorter than the shortest
    stay worth a ship (free_drift.repair_crew_min_stay_days, 8 days: a Soyuz taxi visit), so
    no flight; the planned crew repairs. Before: a Soyuz flew for a 3.9-day stay. Pads with no
    turnaround here (fixture), as in the test above."""
    assert load_free_drift().repair_crew_min_stay_days.value == 8
    sim = _drift(_scenario(), "2028-09-02T00:00:00")
    sim.advance_to_end()
    out = sim.finish()
    assert "crew_callups" not in out.summary["logistics"]
    ev = [e for e in out.events if e["kind"] == "crew-callup"]
    assert len(ev) == 1 and "at least 8.0 days worth a flight" in ev[0]["detail"], ev
    end = _drift_end(out)
    assert end is not None and end > dt.datetime(2028, 12, 29, tzinfo=UTC)   # planned crew


def test_crew_aboard_that_leaves_before_it_can_repair_does_not_stop_the_call_up():
    """The three computers fail 2028-07-31 01:00, two hours before Soyuz MS crew #1
    undocks (03:18): that crew cannot repair (its repair starts after a day aboard), so the
    ground calls a repair crew instead of waiting 5 months for the planned one. Before: "no
    call-up: a crew is aboard" and a 153-day drift."""
    sim = _drift(_scenario(), "2028-07-31T01:00:00")
    assert sim.config.crew_aboard > 0
    sim.advance_to_end()
    out = sim.finish()
    rec = out.summary["logistics"]["crew_callups"]
    assert rec["flights"] == 1 and rec["flight_list"][0]["state"] == "docked", rec
    end = _drift_end(out)
    assert end is not None and end - dt.datetime(2028, 7, 31, tzinfo=UTC) < \
        dt.timedelta(days=125)


def test_a_ship_the_run_ended_before_is_not_counted_as_flown():
    """The run ends (a re-entry, here the end of the advance) while a called ship is still
    on the ground: the record says so and does not count it as a flight."""
    sim = _drift(_scenario(), "2028-08-05T00:00:00")
    sim.advance_to("2028-09-01")
    cc = sim.crew_callup
    assert len(cc.flights) == 1 and cc.flights[0]["state"] == "on its way"
    rec = cc.record()
    assert rec["flights"] == 0
    assert rec["flight_list"][0]["state"].startswith("not flown: the run ended 2028-09-01")


def test_switch_off_keeps_the_repair_on_the_planned_crew():
    sim = _drift(_scenario(callup=False), "2028-08-05T00:00:00")
    sim.advance_to_end()
    out = sim.finish()
    assert "crew_callups" not in out.summary["logistics"]
    assert not [e for e in out.events if e["kind"].startswith("crew-callup")]
    end = _drift_end(out)
    assert end is not None and end > dt.datetime(2028, 12, 29, tzinfo=UTC)   # planned crew


def test_no_free_crew_port_gives_one_alarm_and_no_call_up():
    """NEM-1 alone (2028-01 to 2028-06) has one port a Soyuz fits (forward, hybrid-passive):
    an uncrewed Soyuz (a replacement return ship, as Soyuz MS-23 in 2023) holds it from
    2028-01-01 for 150 days, so a crew called on 2028-01-10 finds no port on its arrival
    (about 2028-05-05): the ground undocks only a cargo ship that has delivered (a Progress
    there: tests/ops/test_repair_crew_tasks.py), never a crew ship."""
    progress = Visit(vehicle="soyuz-ms", port="nem1.forward", duration_days=150, crew=0,
                     launch=dt.datetime(2027, 12, 31, 20, tzinfo=UTC), name="Soyuz at NEM-1")
    sim = _drift(_scenario(cargo=[progress]), "2028-01-10T00:00:00")
    sim.advance_to("2028-01-11")
    alarms = [a for a in sim.alarms if a["subject"] == "repair-crew"]
    assert len(alarms) == 1 and "cannot take a crew" in alarms[0]["cause"], alarms
    assert "nem1" in alarms[0]["cause"] and "free drift" in alarms[0]["cause"]
    assert sim.crew_callup.flights == []
    assert not [e for e in sim.events if e["kind"] == "crew-callup-arrival"]


@pytest.mark.slow
def test_campaign_run_143_no_longer_reenters():
    from rossim.campaign.dispersions import draw_run
    from rossim.ops.simulation import simulate

    d = draw_run(load_scenario("ros-51.6"), 2026, 143)
    out = simulate(d.scenario, seed=d.seed)
    assert out.outcome == "completed"          # re-entered on 2034-03-07 before
    fl = out.summary["logistics"]["crew_callups"]["flight_list"]
    assert len(fl) == 1 and fl[0]["called"].startswith("2033-04-01")
    assert fl[0]["docked"] < "2034-03-07" and fl[0]["state"] == "docked"
    assert out.summary["min_altitude_km"] > 300


def test_ship_that_cannot_reach_the_plane_gives_one_alarm(monkeypatch):
    """The launcher cannot carry the crew ship to the station's plane (as a Soyuz-2.1a short
    of a 97 deg orbit, rossim.ops.callup_launch): one alarm with the shortfall, no flight, the
    drift goes on to the planned crew."""
    import rossim.ops.crew_callup as cc
    from rossim.ops.callup_launch import CallupLaunch, choose_callup_launch

    def short(scenario, cat, vehicle_id):
        best = choose_callup_launch(scenario, cat, vehicle_id)
        return CallupLaunch(best.launcher, best.site, best.mass_kg, best.mass_kg - 500.0,
                            ok=False, shortfall_kg=500.0)

    monkeypatch.setattr(cc, "choose_callup_launch", short)
    sim = _drift(_scenario(), "2028-08-05T00:00:00")
    sim.advance_to_end()
    out = sim.finish()
    alarms = [a for a in out.alarms if a["subject"] == "repair-crew"]
    assert len(alarms) == 1 and "cannot reach the station's plane" in alarms[0]["cause"]
    assert "500 kg short" in alarms[0]["cause"]
    assert out.summary["logistics"]["crew_callups"]["flights"] == 0
    from rossim.cli.run import callup_rows

    assert dict(callup_rows(out.summary["logistics"]))["crew_callups"] == \
        "0 (repair crew; 115 d lead; 1 refused)"
    end = _drift_end(out)
    assert end is not None and end > dt.datetime(2028, 12, 29, tzinfo=UTC)   # planned crew
