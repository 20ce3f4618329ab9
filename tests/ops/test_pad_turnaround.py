"""Launch-pad turnaround (rossim.ops.pad_turnaround) and ships held by a free drift that wait
on the ground for a port (rossim.ops.held_flight).

Reference: the shortest interval found between two Soyuz-2 launches from Baikonur Site 31 is
Progress MS-22 (2023-02-09 06:15 UTC, ``russianspaceweb-progress-ms22``) to the uncrewed
Soyuz MS-23 (2023-02-24 00:24 UTC, ``wikipedia-soyuz-ms23``): 14.8 days. The catalog's Soyuz
pads turn around in 14 days, the Angara and Proton pads in 30 (estimates). Expected lift-offs
are computed from the window finder and the rule alone (tests/ops/pad_cases.py).

Scenario: tests/data/ops/ros-short.toml (stage 1; Soyuz MS crews 2028-07-01 and about
2028-12-30; Progress MS 2028-08-15 and 2028-12-13, all from Baikonur Site 31), random faults
off.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from drift_cases import UTC, drift, drift_end, scenario
from pad_cases import turnaround_lift_off

from rossim.config.catalog import catalog_dir, load_catalog
from rossim.config.scenario import Visit, load_scenario
from rossim.errors import InputError
from rossim.station.launch import launch_pads


def _iso(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def test_every_launch_pad_has_a_turnaround_with_its_source():
    cat = load_catalog()
    pads = {p for lv in cat.launchers.values() for p in launch_pads(lv)}
    assert pads == {"baikonur-31", "baikonur-200", "vostochny-1a", "vostochny-1s",
                    "plesetsk-35"}
    for p in pads:
        fig = cat.sites[p].pad_turnaround_days
        assert fig is not None and fig.flag == "estimate" and fig.source.startswith(
            "estimate + "), p
    soyuz = {p: cat.sites[p].pad_turnaround_days.value for p in ("baikonur-31", "vostochny-1s")}
    heavy = {p: cat.sites[p].pad_turnaround_days.value
             for p in ("baikonur-200", "vostochny-1a", "plesetsk-35")}
    assert set(soyuz.values()) == {14.0} and set(heavy.values()) == {30.0}
    # the precedent: two Soyuz-2 lift-offs from Site 31 14.8 days apart, never fewer found
    ms22 = dt.datetime(2023, 2, 9, 6, 15, tzinfo=UTC)
    ms23 = dt.datetime(2023, 2, 24, 0, 24, tzinfo=UTC)
    assert 14.0 <= (ms23 - ms22).total_seconds() / 86400 < 15.0
    assert "14.8 days" in cat.sites["baikonur-31"].pad_turnaround_days.source


def test_turnaround_out_of_range_is_a_clear_error(tmp_path):
    d = tmp_path / "catalog"
    shutil.copytree(catalog_dir(), d)
    text = (d / "sites.toml").read_text(encoding="utf-8")
    (d / "sites.toml").write_text(text.replace("pad_turnaround_days = { value = 14,",
                                               "pad_turnaround_days = { value = -3,", 1),
                                  encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_catalog(d)
    msg = str(exc.value)
    assert "site[1].pad_turnaround_days.value" in msg and "-3" in msg
    assert "from 0 to 365" in msg


def test_cargo_call_up_waits_for_the_pad_after_a_planned_launch(short_scenario_path):
    """The coolant pump fails 2028-09-01 with no spare aboard and no cargo ship planned: a
    Progress is called up, its first window after the 70-day lead about 2028-11-10 from
    Baikonur Site 31. A crew visit is planned from the same pad three days later: the call-up
    lifts off at the first window on or after that launch plus the pad's 14 days."""
    from test_cargo_callup import _no_cargo, _systems

    from rossim.ops.simulation import Simulation

    sc = _no_cargo(short_scenario_path, dt.datetime(2029, 2, 15, tzinfo=UTC))
    cat = load_catalog()
    site = cat.sites["baikonur-31"]
    called = dt.datetime(2028, 9, 1, 12, tzinfo=UTC)
    natural = turnaround_lift_off(sc, site, called + dt.timedelta(days=70), [])
    crew = Visit(vehicle="soyuz-ms", port="gateway.forward", duration_days=10, crew=2,
                 launch=dt.datetime.combine(natural.date() + dt.timedelta(days=3), dt.time(),
                                            tzinfo=UTC), name="Soyuz MS taxi")
    sc = sc.model_copy(update={"crew_visits": [*sc.crew_visits, crew]})
    sim = Simulation(sc, systems=_systems())
    sim.advance_to_end()
    out = sim.finish()
    fl = next(x for x in out.summary["logistics"]["callups"]["flight_list"]
              if x["why"] == "spare")
    assert fl["state"] == "docked" and fl["site"] == "baikonur-31"
    launch, called = _iso(fl["launch"]), _iso(fl["called"])
    taxi = next(e.launch for e in sim.timeline.events if e.part == "Soyuz MS taxi"
                and e.kind == "dock")
    gap = dt.timedelta(days=14)
    natural = turnaround_lift_off(sc, site, called + dt.timedelta(days=70), [])
    assert abs(taxi - natural) < gap            # the set-up: the window it had is blocked
    lifts = [e.launch for e in sim.timeline.events if e.kind == "dock" and e.site == site.id
             and e.part != fl["name"]]
    expected = turnaround_lift_off(sc, site, called + dt.timedelta(days=70), lifts)
    assert abs((launch - expected).total_seconds()) <= 60, (launch, expected)
    assert launch >= taxi + gap
    ev = next(e for e in out.events if e["kind"] == "cargo-callup" and e["subject"] == fl["name"])
    assert "14-day pad turnaround after Soyuz MS taxi's lift-off" in ev["detail"]
    assert out.summary["invariants_hold"]


def test_cargo_call_up_waits_for_the_pad_after_a_failed_planned_launch(short_scenario_path):
    """As above, with no crew visit: instead a launch of the plan from the same pad failed
    three days after the call-up's natural window (a campaign writes it as a stand-down naming
    its ``site``; here on the Soyuz-2.1b, so that the Progress's own rocket is not grounded):
    the failed launch took the pad, and the call-up lifts off at the first window on or after
    it plus the pad's 14 days."""
    from test_cargo_callup import _no_cargo, _systems

    from rossim.config.stand_down import LauncherStandDown
    from rossim.ops.simulation import Simulation

    sc = _no_cargo(short_scenario_path, dt.datetime(2029, 2, 15, tzinfo=UTC))
    site = load_catalog().sites["baikonur-31"]
    called = dt.datetime(2028, 9, 1, 12, tzinfo=UTC)
    natural = turnaround_lift_off(sc, site, called + dt.timedelta(days=70), [])
    failed = natural + dt.timedelta(days=3)
    sd = LauncherStandDown(launcher="soyuz-2.1b", failed=failed, uncrewed_until=failed,
                           crew_until=failed, cause="Test ship lost at launch (test)",
                           site="baikonur-31")
    sc = sc.model_copy(update={"operations": sc.operations.model_copy(
        update={"launcher_stand_downs": (sd,)})})
    sim = Simulation(sc, systems=_systems())
    sim.advance_to_end()
    out = sim.finish()
    fl = next(x for x in out.summary["logistics"]["callups"]["flight_list"]
              if x["why"] == "spare")
    launch = _iso(fl["launch"])
    expected = turnaround_lift_off(sc, site, _iso(fl["called"]) + dt.timedelta(days=70),
                                   [failed])
    assert abs((launch - expected).total_seconds()) <= 60, (launch, expected)
    assert launch >= failed + dt.timedelta(days=14)
    ev = next(e for e in out.events if e["kind"] == "cargo-callup" and e["subject"] == fl["name"])
    assert "14-day pad turnaround after Test ship lost at launch's lift-off" in ev["detail"]
    assert out.summary["invariants_hold"]


def _nem1_case():
    """NEM-1 alone (one port a Soyuz or a Progress fits: forward). A Progress docked there
    2028-01-01 for 50 days; "Progress held" is planned there 2028-03-01 for 60 days. The
    computers fail 2028-01-10: the repair crew docks at nem1.forward about 2028-05-04 for 30
    days and the drift ends the next day; "Progress held" was held on the ground."""
    first = Visit(vehicle="progress-ms", port="nem1.forward", duration_days=50,
                  launch=dt.datetime(2027, 12, 31, 20, tzinfo=UTC), name="Progress at NEM-1")
    held = Visit(vehicle="progress-ms", port="nem1.forward", duration_days=60,
                 launch=dt.datetime(2028, 3, 1, tzinfo=UTC), name="Progress held")
    return scenario(cargo=[first, held])


def test_held_ship_waits_on_the_ground_for_a_port_and_docks_when_one_frees():
    """Campaign run 55 in small: at its first docking after the drift (the pad's turnaround
    after the repair crew's lift-off) the repair crew's Soyuz holds the only port that fits.
    Before: "not flown". Now the ground holds its launch to the first window that docks once
    the Soyuz has left, within cargo_callup.PORT_WAIT_DAYS of that first docking."""
    from rossim.ops.cargo_callup import PORT_WAIT_DAYS

    scen = _nem1_case()
    sim = drift(scen, "2028-01-10T00:00:00")
    sim.advance_to("2028-07-15")
    out = sim.finish()
    end = drift_end(out)
    crew = sim.crew_callup.flights[0]
    assert crew["state"] == "docked" and crew["port"] == "nem1.forward"
    rec = next(r for r in out.summary["logistics"]["drift_docking"]["ships"]
               if r["ship"] == "Progress held")
    assert rec["state"] == "flown after the drift", rec
    cat = sim.timeline.catalog
    site = cat.sites["baikonur-31"]
    ttd = dt.timedelta(hours=cat.vehicles["progress-ms"].time_to_dock_h.value)
    lifts = [e.launch for e in sim.timeline.events if e.kind == "dock" and e.site == site.id
             and e.part != "Progress held"]
    first = turnaround_lift_off(scen, site, end, lifts) + ttd   # the docking it had
    undock = next(e.time for e in sim.timeline.events if e.kind == "undock"
                  and e.part == crew["name"])
    assert first < undock < first + dt.timedelta(days=PORT_WAIT_DAYS)
    # its window's docking, held to the station's traffic spacing after the Soyuz's undocking
    # (rossim.station.traffic: one docking or undocking at a time, its lift-off kept)
    spacing = dt.timedelta(hours=sim.systems.logistics.traffic_spacing_h.value)
    window = turnaround_lift_off(scen, site, undock - ttd, lifts) + ttd
    expected = max(window, undock + spacing)
    docked = [e for e in out.events if e["kind"] == "dock" and e["subject"] == "Progress held"]
    assert len(docked) == 1
    got = docked[0]["time"].astype("datetime64[s]").item().replace(tzinfo=UTC)
    assert abs((got - expected).total_seconds()) <= 60, (got, expected)
    assert got >= undock
    assert rec["port_wait_days"] == pytest.approx((window - first).total_seconds() / 86400,
                                                  abs=0.01)   # on the ground, for the port
    assert rec["docking"][:16] == f"{got:%Y-%m-%dT%H:%M}"
    ev = [e for e in out.events if e["kind"] == "drift-docking"
          and e["subject"] == "Progress held"]
    assert "held on the ground" in ev[-1]["detail"] and "for a port" in ev[-1]["detail"]
    assert f"{crew['name']} left nem1.forward" in ev[-1]["detail"]
    bad = [k for k, v in out.summary["invariants"].items() if not v["holds"]]
    assert not bad, bad


def test_held_ship_not_flown_when_no_port_frees_within_the_wait(monkeypatch):
    """The same case with the wait cut to 10 days: the Soyuz leaves about 15.7 days after the
    Progress's first docking, so it is not flown, with the cause."""
    from rossim.ops import held_flight

    monkeypatch.setattr(held_flight, "PORT_WAIT_DAYS", 10)
    sim = drift(_nem1_case(), "2028-01-10T00:00:00")
    sim.advance_to("2028-07-15")
    out = sim.finish()
    rec = next(r for r in out.summary["logistics"]["drift_docking"]["ships"]
               if r["ship"] == "Progress held")
    assert rec["state"].startswith("not flown: no port took it within 10 days"), rec
    assert "PORT_WAIT_DAYS" in rec["state"]
    assert out.summary["logistics"]["drift_docking"]["not_flown"] == 1
    assert not [e for e in out.events if e["kind"] == "dock" and e["subject"] == "Progress held"]


@pytest.mark.slow
def test_campaign_run_55_progress_waits_for_the_repair_crews_port():
    """Campaign run 55 of ros-51.6 (campaign seed 2026): the computers fail 2028-05-31; the
    repair crew's Soyuz docks at nem1.forward 2028-09-23 and holds every port that fits
    Progress MS #1, held on the ground during the drift. Before: "not flown". Now it waits on
    the ground until the Soyuz leaves (2028-10-23) and docks then. The run is stepped to
    2029-01-01 only (the whole case is in 2028; the full span took about 10 s more)."""
    from rossim.campaign.dispersions import draw_run
    from rossim.ops.simulation import Simulation

    d = draw_run(load_scenario("ros-51.6"), 2026, 55)
    sim = Simulation(d.scenario, d.seed)
    sim.advance_to("2029-01-01")
    out = sim.finish()
    rec = out.summary["logistics"]["drift_docking"]
    # the one ship not flown is the computer's spare call-up, stood down when the repair
    # crew brought the spare (rossim.ops.callup_stand_down), not Progress MS #1
    (gone,) = [s for s in rec["ships"] if s["state"].startswith("not flown")]
    assert rec["not_flown"] == 1 and gone["ship"] == "Progress MS call-up #1"
    assert gone["state"].startswith("not flown: stood down"), gone
    ship = next(s for s in rec["ships"] if s["ship"] == "Progress MS #1")
    assert ship["state"] == "flown after the drift" and 0 < ship["port_wait_days"] <= 30
    crew = out.summary["logistics"]["crew_callups"]["flight_list"][0]
    assert crew["port"] == "nem1.forward"
    docked = _iso(ship["docking"])
    assert docked > _iso(crew["docked"]) + dt.timedelta(days=crew["stay_days"])
    assert "left nem1.forward" in ship["history"][-1]


def test_repair_crew_not_delayed_by_a_launch_the_drift_holds():
    """The NEM-1 case with one more Progress planned to lift off from Baikonur Site 31 on
    2028-05-01, three days before the repair crew's first window (2028-05-04, found in the
    case without it). The station still drifts then, so that Progress is held on the ground
    (rossim.ops.drift_docking): its planned lift-off does not take the pad and the crew flies
    at the window it had. Before: the crew waited the pad's 14 days after a launch that never
    happened (lift-off about 2028-05-16, a drift 12 days longer)."""
    base = drift(_nem1_case(), "2028-01-10T00:00:00")
    base.advance_to("2028-07-15")
    natural = base.crew_callup.flights[0]["launch"]
    later = Visit(vehicle="progress-ms", port="nem1.forward", duration_days=20,
                  launch=dt.datetime(2028, 5, 1, tzinfo=UTC), name="Progress later")
    scen = _nem1_case()
    scen = scen.model_copy(update={"cargo_visits": [*scen.cargo_visits, later]})
    sim = drift(scen, "2028-01-10T00:00:00")
    sim.advance_to("2028-07-15")
    out = sim.finish()
    crew = sim.crew_callup.flights[0]
    assert natural[:10] == "2028-05-04"          # the set-up: 3 days after the Progress's
    assert crew["launch"] == natural and crew["state"] == "docked", crew
    rec = next(r for r in out.summary["logistics"]["drift_docking"]["ships"]
               if r["ship"] == "Progress later")
    assert rec["kind"] == "held"                  # it did not lift off on 2028-05-01
    assert out.summary["invariants_hold"]


@pytest.mark.slow
def test_repair_crew_not_delayed_by_a_module_launch_the_drift_holds():
    """Campaign run 155 of ros-51.6 (campaign seed 2026; the 200-run campaign on 2d3ec45): the
    computers failed 2034-02-06, an Orel repair crew was called from Vostochny, and the
    platform module's launch from the same pad, planned during the drift, took the pad: the
    crew waited the Angara pad's 30-day turnaround after it (a drift of 128.8 days). The
    module's launch is now held on the ground (rossim.ops.drift_docking: "module launch held
    on the ground"). That draw no longer fails its computers in 2034 (the coolant loop's
    thermal model moved its later failures), so the case is built: ros-51.6 with its three
    computers failed 2033-08-20, no planned crew after August 2033 (a repair crew is called:
    lift-off 2033-12-13 from Vostochny) and the platform planned 2033-12-01 from that pad."""
    from rossim.config.scenario import InjectedFault
    from rossim.ops.simulation import simulate

    sc = load_scenario("ros-51.6")
    drift = dt.datetime(2033, 8, 20, tzinfo=UTC)
    platform = dt.datetime(2033, 12, 1, tzinfo=UTC)
    sc = sc.model_copy(update={
        "assembly": [a.model_copy(update={"launch": platform}) if a.module == "platform"
                     else a for a in sc.assembly],
        "crew_series": [c.model_copy(update={"until": min(c.until, drift - dt.timedelta(
            days=19))}) for c in sc.crew_series],
        "operations": sc.operations.model_copy(update={
            "random_faults": False,
            "faults": [InjectedFault(component="computer", at=drift) for _ in range(3)]})})
    out = simulate(sc, seed=1)
    call = next(e for e in out.events if e["kind"] == "crew-callup")
    assert "called" in call["detail"] and "platform's lift-off" not in call["detail"], \
        call["detail"]
    crew = out.summary["logistics"]["crew_callups"]["flight_list"][0]
    assert crew["site"] == "vostochny-1a"
    # not after the platform's planned lift-off plus the pad's 30-day turnaround
    assert _iso(crew["launch"]) < platform + dt.timedelta(days=30), crew["launch"]
    held = [e for e in out.events if e["kind"] == "drift-docking" and e["subject"] == "platform"]
    assert any("module launch held on the ground" in e["detail"] for e in held)
    assert out.summary["invariants_hold"]


@pytest.mark.parametrize(("field", "value"), [("launcher", "soyuz-9z"), ("site", "nowhere-7")])
def test_a_stand_down_naming_an_unknown_launcher_or_pad_is_a_clear_error(field, value):
    """operations.launcher_stand_downs[0] with an unknown launcher id or pad: an InputError
    naming the field, the value and the catalog's ids (not a silently ignored stand-down)."""
    from rossim.config.stand_down import LauncherStandDown
    from rossim.station import build_timeline

    sc = load_scenario("ros-51.6")
    t = dt.datetime(2029, 1, 1, tzinfo=UTC)
    sd = LauncherStandDown(**{"launcher": "soyuz-2.1a", "failed": t, "uncrewed_until": t,
                              "crew_until": t, "site": "baikonur-31", field: value})
    sc = sc.model_copy(update={"operations": sc.operations.model_copy(
        update={"launcher_stand_downs": (sd,)})})
    with pytest.raises(InputError) as exc:
        build_timeline(sc)
    msg = str(exc.value)
    assert f"operations.launcher_stand_downs[0].{field}" in msg and value in msg
    assert ("baikonur-31" if field == "site" else "soyuz-2.1a") in msg
