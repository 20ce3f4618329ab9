"""Cargo by demand inside the run (rossim.ops.cargo_callup): call-up flights for a spare not
aboard and for a propellant forecast below the reserve, the climbers' leftover propellant.

External reference (progress-losses in docs/sources.md; Wikipedia articles Progress M-12M,
M-13M, M-27M, M-28M, MS-04, MS-05): after each Progress lost at launch the programme put up
the next ship 67 days (M-12M lost 2011-08-24, M-13M launched 2011-10-30), 66 days (M-27M
2015-04-28, M-28M 2015-07-03) and 83 days (MS-04 2016-12-01, MS-05 2017-02-22) later: the
quickest a cargo ship was flown when one was needed. The call-up lead time must lie in that
range (exact bounds, days). A call-up ship lifts off at the first allowed launch window on or
after call + lead, as every planned launch (rossim.station.windows): checked against the
windows found on their own and against the closed-form in-plane time (Vallado sec. 6.8,
rossim.validation.launch).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from rossim.config.catalog import load_catalog
from rossim.config.scenario import load_scenario
from rossim.config.systems import load_systems
from rossim.station.windows import PlaneModel, azimuth_allowed, first_window, launch_windows
from rossim.time import to_time
from rossim.validation.launch import closed_form_windows

#: (lost ship's launch, next Progress's launch), progress-losses
PROGRESS_LOSSES = [(dt.date(2011, 8, 24), dt.date(2011, 10, 30)),
                   (dt.date(2015, 4, 28), dt.date(2015, 7, 3)),
                   (dt.date(2016, 12, 1), dt.date(2017, 2, 22))]


def _fig(f, value):
    return f.model_copy(update={"value": float(value)})


def test_callup_lead_time_within_the_published_progress_range():
    gaps = [(b - a).days for a, b in PROGRESS_LOSSES]
    assert gaps == [67, 66, 83]
    lg = load_systems().logistics
    assert min(gaps) <= lg.callup_lead_days.value <= max(gaps)
    assert lg.callup_lead_days.source.split(":")[0] == "progress-losses"


def _no_cargo(short_scenario_path, end: dt.datetime, **ops):
    """ros-short without its cargo ships (as when the ships planned for a lost module's port
    are dropped), no random faults, span cut at ``end``."""
    sc = load_scenario(short_scenario_path)
    return sc.model_copy(update={
        "cargo_series": [], "cargo_visits": [],
        "span": sc.span.model_copy(update={"end": end}),
        "operations": sc.operations.model_copy(update={"random_faults": False, **ops})})


def _systems(**prop):
    s = load_systems()
    comps = [c.model_copy(update={"initial_spares": _fig(c.initial_spares, 0)})
             if c.id == "coolant-pump" else c for c in s.component]
    upd = {"component": comps}
    if prop:
        upd["propulsion"] = s.propulsion.model_copy(update={
            k: _fig(getattr(s.propulsion, k), v) for k, v in prop.items()})
    return s.model_copy(update=upd)


@pytest.fixture(scope="module")
def spare_run(short_scenario_path):
    """The injected coolant-pump fault of ros-short (2028-09-01) with no spare aboard and no
    cargo ship planned."""
    from rossim.ops.simulation import Simulation

    sc = _no_cargo(short_scenario_path, dt.datetime(2029, 2, 15, tzinfo=dt.UTC))
    sim = Simulation(sc, systems=_systems())
    sim.advance_to_end()
    return sim, sim.finish()


def test_fault_without_spare_calls_up_a_ship_that_arrives_and_repairs(spare_run):
    sim, run = spare_run
    f = next(f for f in run.fdir.faults if f.component == "coolant-pump")
    rec = run.summary["logistics"]["callups"]
    spare = [x for x in rec["flight_list"] if x["why"] == "spare"]
    assert len(spare) == 1
    fl = spare[0]
    assert fl["state"] == "docked"
    assert f"fault #{f.id} coolant-pump" in fl["reasons"][0]
    # lifted off at the first allowed window on or after call + lead (found here by
    # rossim.station.windows on its own, not by the run's finder), within one window spacing
    # of the earliest lift-off; docked the Progress rendezvous later
    called, launch, arrival = (_utc(fl[k]) for k in ("called", "launch", "arrival"))
    plane, site = _plane_and_site(sim)
    earliest = called + dt.timedelta(days=70)
    w = first_window(plane, site, earliest)
    assert 0 <= (launch - w["time"]).total_seconds() < 60.0  # the run's minute clock
    allowed = [x["time"] for x in launch_windows(plane, site, earliest - dt.timedelta(days=1),
                                                 4.0)]
    spacing = max(b - a for a, b in zip(allowed, allowed[1:], strict=False))
    assert earliest <= launch <= earliest + spacing + dt.timedelta(minutes=1)
    assert spacing < dt.timedelta(days=1)  # one north-easterly window a day from Baikonur
    assert arrival - launch == dt.timedelta(hours=3.3)
    # the spare came on that ship and the repair was made
    assert f.spare_from == fl["name"]
    assert f.repaired_at is not None
    assert f.waited_for_spare_h >= 70 * 24
    docked = [e for e in run.events if e["kind"] == "dock" and e["subject"] == fl["name"]]
    assert len(docked) == 1
    assert run.summary["invariants_hold"]


def _utc(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def _plane_and_site(sim):
    """The station's plane of the plan (every launch is timed to it) and the call-up
    vehicle's catalog launch site."""
    cat = load_catalog()
    veh = cat.vehicles[sim.cargo_callup.vehicle]
    return PlaneModel.from_scenario(sim.scenario), cat.sites[veh.launch_site]


def test_call_up_lifts_off_at_the_closed_form_window_and_docks_as_planned_ships(spare_run):
    """The call-up ship's lift-off is an in-plane time of its site by the closed form
    sin(theta - Omega) = tan(psi)/tan(i) (rossim.validation.launch, Vallado sec. 6.8, the
    reference of tests/analysis/test_launch_windows.py; 60 s there, plus the run's minute
    clock: 120 s), the north-easterly one (Baikonur's corridor); its docking names launcher,
    site and lift-off as a planned ship's."""
    sim, run = spare_run
    fl = run.summary["logistics"]["callups"]["flight_list"][0]
    launch = _utc(fl["launch"])
    plane, site = _plane_and_site(sim)
    start = launch - dt.timedelta(days=1)
    ref = closed_form_windows(site.lat_deg.value, site.lon_deg.value, plane.altitude_km,
                              plane.inclination_deg, float(plane.raan_deg_at(to_time(start))[0]), 2.0,
                              start)
    off = np.abs(ref - (launch - start).total_seconds())
    assert off.min() < 120.0
    assert fl["window"] == "ascending" and fl["site"] == site.id
    assert azimuth_allowed(site, fl["azimuth_deg"])
    cat = load_catalog()
    lv = cat.launchers[fl["launcher"]]
    dock = next(e for e in run.events if e["kind"] == "dock" and e["subject"] == fl["name"])
    assert (f"launched {launch:%Y-%m-%d %H:%M} UTC on {lv.name_en} from {site.name_en}"
            in dock["detail"])
    assert _utc(str(np.datetime_as_string(dock["time"], unit="s")) + "Z") == _utc(
        fl["arrival"])


def _replay(sc, systems, at=None):
    """The reliability-only replay with ros-short's injected coolant-pump fault (at ``at``
    instead of the scenario's date if given)."""
    from rossim.ops.availability import ReliabilityRun

    run = ReliabilityRun(sc, 7, systems=systems)
    comp = systems.component_by_id("coolant-pump")
    f = sc.operations.faults[0]
    assert f.component == comp.id

    def inject(e):
        run.reliability.working.setdefault((comp.id, "station"), comp.units)
        run.reliability.fail(comp, "station", 0, True)

    run.engine.schedule(run.engine.seconds(at or f.at), inject, "injected fault")
    return run, run.run()


def test_call_up_not_made_when_a_planned_ship_arrives_sooner(short_scenario_path):
    """The replay of the plan with its cargo ships: a coolant-pump fault on 2028-11-01 waits
    for the planned Progress of 2028-12-13 (2028-08-15 + 120 days), which docks before a ship
    called then could (70 days' lead): no call-up."""
    sc = load_scenario(short_scenario_path)
    sc = sc.model_copy(update={"operations": sc.operations.model_copy(
        update={"random_faults": False})})
    run, faults = _replay(sc, _systems(), at=dt.datetime(2028, 11, 1, 12, tzinfo=dt.UTC))
    f = next(f for f in faults if f.component == "coolant-pump")
    assert run.cargo_callup.flights == []
    assert f.spare_from.startswith("Progress MS")
    assert any(e["kind"] == "cargo-callup" and "no call-up" in e["detail"]
               for e in run.events)


def test_reliability_replay_calls_up_spares_too(short_scenario_path):
    sc = _no_cargo(short_scenario_path, dt.datetime(2029, 6, 30, tzinfo=dt.UTC))
    a, fa = _replay(sc, _systems())
    f = next(f for f in fa if f.component == "coolant-pump")
    assert [x["why"] for x in a.cargo_callup.flights] == ["spare"]
    assert f.spare_from == a.cargo_callup.flights[0]["name"]
    # deterministic: the same seed gives the same faults and call-ups
    b, fb = _replay(sc, _systems())
    assert [(x.id, x.component, x.repaired_at) for x in fa] == \
        [(x.id, x.component, x.repaired_at) for x in fb]
    assert a.cargo_callup.record() == b.cargo_callup.record()


def _lean(short_scenario_path, callup: bool = True):
    """ros-short with the core module's launch lost and no cargo ship (the ships planned for
    its port dropped), no working propellant at launch (only the de-orbit reserve) and the
    climbers arriving with no propellant left; ``callup`` False: ``callup_lead_days`` unset.
    Returns the finished run."""
    from dataclasses import replace

    from rossim.ops.simulation import Simulation
    from rossim.station import build_timeline

    sc = _no_cargo(short_scenario_path, dt.datetime(2029, 6, 30, tzinfo=dt.UTC))
    sc = sc.model_copy(update={"assembly": [a.model_copy(update={"enabled": a.module != "core"})
                                            for a in sc.assembly]})
    s = _systems(initial_working_propellant_kg=0.0)
    if not callup:
        s = s.model_copy(update={"logistics": s.logistics.model_copy(
            update={"callup_lead_days": None})})
    tl = build_timeline(sc)
    tl.climbs = [replace(c, propellant_available_kg=c.propellant_kg) for c in tl.climbs]
    sim = Simulation(sc, systems=s, timeline=tl)
    sim.advance_to_end()
    return sim, sim.finish()


@pytest.fixture(scope="module")
def lean_runs(short_scenario_path):
    """:func:`_lean` with the call-up and without."""
    return {"callup": _lean(short_scenario_path), "none": _lean(short_scenario_path, False)}


def test_lost_launch_and_low_propellant_call_up_a_propellant_ship(lean_runs):
    sim, run = lean_runs["callup"]
    rec = run.summary["logistics"]["callups"]
    prop = [x for x in rec["flight_list"] if x["why"] == "propellant"]
    assert prop and prop[0]["state"] == "docked"
    assert "reserve" in prop[0]["reasons"][0]
    led = run.ledgers["propellant"]
    # the call-up ship's propellant went into the tanks: with it the station never drew on
    # its de-orbit reserve; without it, it did
    assert led["transferred_kg"] > 0
    _, none = lean_runs["none"]
    assert none.summary["logistics"]["callups"]["flights"] == 0
    assert led["deorbit_reserve_used_kg"] < none.ledgers["propellant"][
        "deorbit_reserve_used_kg"]
    assert run.summary["invariants_hold"] and none.summary["invariants_hold"]


def test_climbers_leftover_goes_to_the_station_tanks(spare_run):
    """NEM-1 climbs on its own engines, node + gateway with a TGK-MM tug: what each has left
    (less the tug's own de-orbit burn) goes into the tanks at docking, in the ledger."""
    import math

    sim, run = spare_run
    climbs = {c.modules[0]: c for c in run.timeline.climbs}
    got = run.summary["logistics"]["callups"]["climber_propellant_kg"]
    nem = climbs["nem1"]
    assert got["nem1"] == pytest.approx(nem.propellant_available_kg - nem.propellant_kg,
                                        abs=0.1)
    node = climbs["node"]
    tug = run.timeline.catalog.tugs[node.climber]
    keep = (node.climber_mass_kg - node.propellant_kg) * (1 - math.exp(
        -load_systems().logistics.tug_deorbit_dv_m_s.value / (9.80665 * tug.engine_isp_s.value)))
    assert got["node"] == pytest.approx(node.propellant_available_kg - node.propellant_kg
                                        - keep, abs=0.1)
    assert run.ledgers["propellant"]["climber_transferred_kg"] == pytest.approx(
        sum(got.values()), abs=0.5)
    inv = {i["name"]: i["holds"] for i in run.invariants}
    assert inv["propellant_ledger"]


def test_docking_retimed_around_a_free_flyer_in_the_corridor(short_scenario_path):
    """A satellite without propellant drifting slowly behind the station (+0.02 m/s along
    the track: up and back, Clohessy-Wiltshire) sits in the approach ellipsoid and corridor of
    the first Progress's docking for several orbits: the go/no-go a day ahead shifts the
    docking by whole orbits until the approach is clear, and the keep-out check at the
    docking then finds no satellite in the way."""
    import math

    import numpy as np

    from rossim.ops.approach_retime import DECISION_S, MAX_ORBITS
    from rossim.ops.keepout import CORRIDOR_RADIUS_M, corridor_distance_m
    from rossim.ops.simulation import Simulation

    sc = load_scenario(short_scenario_path)
    sc = sc.model_copy(update={
        "span": sc.span.model_copy(update={"end": dt.datetime(2028, 9, 15, tzinfo=dt.UTC)}),
        "operations": sc.operations.model_copy(update={"random_faults": False})})
    sim = Simulation(sc)
    dock = next(e for e in sim.timeline.events if e.part_kind == "vehicle"
                and e.kind == "dock" and e.part.startswith("Progress"))
    t_dock = sim.engine.seconds(dock.time)
    sim.engine.advance_to_s(t_dock - DECISION_S)
    ko = sim.keepout
    period = 2 * math.pi / ko.n
    ko.released.append({"name": "ff-test", "deployment": 0, "t_s": t_dock - 2 * period - 600,
                        "actual": "", "state": np.array([0, 0, 0, 0.02, 0, 0], float),
                        "propellant_kg": 0.0, "mass_kg": 50.0, "isp_s": 200.0, "burns": 0})
    ap = sim.cargo_callup.approach
    assert ap.blocked(t_dock) == ["ff-test"]
    ap.check(dock.part, t_dock)
    assert len(ap.retimed) == 1
    k = ap.retimed[0]["orbits"]
    assert 1 <= k <= MAX_ORBITS
    new = next(e for e in sim.timeline.events if e.part == dock.part and e.kind == "dock")
    t_new = sim.engine.seconds(new.time)
    assert abs(t_new - t_dock - k * period) <= sim.engine.step_s
    # the approach of the new docking is clear, the one an orbit earlier was not
    t = t_new - np.linspace(2 * period, 0, 25)
    _, p = ko._positions(t)
    assert not (ko._inside(p) | (corridor_distance_m(p) < CORRIDOR_RADIUS_M)).any()
    assert ap.blocked(t_new - period) == ["ff-test"] or k == 1
    sim.advance_to_end()
    run = sim.finish()
    docks = [e for e in run.events if e["kind"] == "dock" and e["subject"] == dock.part]
    assert len(docks) == 1
    assert not any(a["subject"] == "free-flyers" and "ff-test" in a["detail"]
                   for a in run.alarms)


def test_call_up_ship_makes_room_when_every_port_is_taken(short_scenario_path):
    """NEM-1 alone (its one port for a Progress, forward; aft is its active port): a Progress
    there for 180 days and a call-up arriving while it is there: the old ship leaves early and
    the call-up ship docks in its place (run 142 of the campaign: NEM-1 alone for years)."""
    from rossim.config.scenario import Visit
    from rossim.ops.simulation import Simulation

    sc = load_scenario(short_scenario_path)
    start = dt.datetime(2028, 1, 10, tzinfo=dt.UTC)
    ships = [Visit(vehicle="progress-ms", port="nem1.forward", duration_days=180,
                   launch=start, name="Progress A")]
    sc = sc.model_copy(update={
        "cargo_series": [], "cargo_visits": ships, "crew_series": [],
        "assembly": sc.assembly[:1], "span": sc.span.model_copy(update={"end": dt.datetime(2028, 6, 1, tzinfo=dt.UTC)}),
        "operations": sc.operations.model_copy(update={"random_faults": False,
                                                       "faults": []})})
    sim = Simulation(sc)
    sim.advance_to(dt.datetime(2028, 2, 1, tzinfo=dt.UTC))
    fl = sim.cargo_callup.call_up("spare", "test call")
    assert fl is not None and fl["why"] == "spare"
    sim.advance_to_end()
    assert fl["state"] == "docked" and fl["port"] == "nem1.forward"
    left = [e for e in sim.events if e["kind"] == "cargo-callup-arrival"
            and "undocked early" in e["detail"]]
    assert len(left) == 1 and left[0]["subject"] == "Progress A"
    undock = [e for e in sim.events if e["kind"] == "undock"
              and e["subject"] == left[0]["subject"]]
    assert undock and undock[0]["time"] == left[0]["time"]


def test_same_seed_same_call_ups(lean_runs, short_scenario_path):
    """The call-ups use no random draw: the lean run again gives the same events, call-ups
    and propellant ledger, to the byte."""
    import json

    _, run0 = lean_runs["callup"]
    _, run = _lean(short_scenario_path)

    def dump(r):
        return json.dumps([r.summary["logistics"]["callups"], r.ledgers["propellant"],
                           [{k: str(v) for k, v in e.items()} for e in r.events]],
                          sort_keys=True, default=str).encode()

    assert dump(run) == dump(run0)


def _nem1_port_held_by_a_soyuz(short_scenario_path, stay_days: float):
    """NEM-1 alone (short scenario, to 2028-06-01, no faults, no cargo) with a Soyuz at its one
    Progress port from 2028-01-10 for ``stay_days``: a call-up ship finds no free port."""
    from rossim.config.scenario import Visit
    from rossim.ops.simulation import Simulation

    sc = load_scenario(short_scenario_path)
    crew = [Visit(vehicle="soyuz-ms", port="nem1.forward", duration_days=stay_days,
                  name="Soyuz A", launch=dt.datetime(2028, 1, 10, tzinfo=dt.UTC), crew=2)]
    sc = sc.model_copy(update={
        "cargo_series": [], "cargo_visits": [], "crew_series": [], "crew_visits": crew,
        "assembly": sc.assembly[:1],
        "span": sc.span.model_copy(update={"end": dt.datetime(2028, 6, 1, tzinfo=dt.UTC)}),
        "operations": sc.operations.model_copy(update={"random_faults": False,
                                                       "faults": []})})
    sim = Simulation(sc)
    # stores for the whole stay: the crew stays at its port (a crew whose oxygen, water or
    # food runs out goes home, rossim.ops.crew_return, and frees the port this test holds)
    for item in sim.consumables.stock:
        sim.consumables.stock[item] = 5000.0
        sim.consumables.ledger[item]["start_kg"] = 5000.0
    sim.consumables.food_lots = [[0.0, 5000.0]]
    return sim


def test_call_up_ship_given_up_raises_an_alarm_with_its_cause(short_scenario_path):
    """NEM-1 alone with a crew ship (not a cargo ship that could leave early) at its one
    Progress port for 180 days: the call-up ship finds no free port, waits PORT_WAIT_DAYS in
    orbit and is given up; that is an alarm naming the cause, not an event only."""
    from rossim.ops.cargo_callup import PORT_WAIT_DAYS

    sim = _nem1_port_held_by_a_soyuz(short_scenario_path, 180)
    sim.advance_to(dt.datetime(2028, 2, 1, tzinfo=dt.UTC))
    fl = sim.cargo_callup.call_up("spare", "test call")
    assert fl is not None
    sim.advance_to_end()
    assert fl["state"] == "no free port"
    given = [a for a in sim.alarms if a["subject"] == "logistics" and "given up" in a["detail"]]
    assert len(given) == 1
    assert f"no free port for {PORT_WAIT_DAYS} days" in given[0]["cause"]
    assert "test call" in given[0]["cause"]


def test_call_up_ship_that_waits_for_a_port_docks_with_its_real_lift_off(short_scenario_path):
    """NEM-1 alone with a crew ship at its one Progress port until 2028-04-19: the call-up ship
    called on 2028-02-01 arrives on 2028-04-11 (first window after the 70-day lead + 3.3 h),
    waits in orbit a day at a time and docks when the Soyuz has left. Its docking event, the
    flight list and the arrival event all give the same lift-off (the real one, days before
    the docking, not time_to_dock_h before it), and stay so through a later plan edit."""
    from rossim.ops.commands import Dock, Undock

    sim = _nem1_port_held_by_a_soyuz(short_scenario_path, 100)
    sim.advance_to(dt.datetime(2028, 2, 1, tzinfo=dt.UTC))
    fl = sim.cargo_callup.call_up("spare", "test call")
    assert fl is not None
    sim.advance_to(dt.datetime(2028, 5, 1, tzinfo=dt.UTC))
    assert fl["state"] == "docked"
    lift = dt.datetime.fromisoformat(fl["launch"].replace("Z", "+00:00"))
    dock = [e for e in sim.events if e["kind"] == "dock" and e["subject"] == fl["name"]]
    assert len(dock) == 1
    assert f"launched {lift:%Y-%m-%d %H:%M} UTC" in dock[0]["detail"]
    arrival = dt.datetime.fromisoformat(fl["arrival"].replace("Z", "+00:00"))
    docked = dt.datetime.fromisoformat(fl["docked"].replace("Z", "+00:00"))
    ttd = dt.timedelta(hours=load_catalog().vehicles["progress-ms"].time_to_dock_h.value)
    assert arrival - lift == ttd
    assert docked - arrival >= dt.timedelta(days=1)  # it did wait (a day at a time)
    plan = [e for e in sim.timeline.events if e.kind == "dock" and e.part == fl["name"]]
    assert plan[0].launch == lift and plan[0].time == docked
    arr = [e for e in sim.events if e["kind"] == "cargo-callup-arrival"
           and e["subject"] == fl["name"]]
    assert f"lifted off {fl['launch'][:16]}" in arr[0]["detail"]
    assert f"waited {(docked - arrival).days} days in orbit" in arr[0]["detail"]
    # a later plan edit replays the plan: the docking keeps its real lift-off
    assert sim.command(Undock(vehicle=fl["name"], source="ground")).accepted
    plan = [e for e in sim.timeline.events if e.kind == "dock" and e.part == fl["name"]]
    assert plan[0].launch == lift
    # a lift-off later than time_to_dock_h before now is refused, the plan unchanged
    res = sim.command(Dock(vehicle="progress-ms", port="nem1.forward", duration_days=5,
                           lift_off=sim.now - ttd / 2, source="ground"))
    assert not res.accepted and "h to dock before now" in res.reason


def test_dock_lift_off_must_be_a_utc_datetime():
    from rossim.errors import InputError
    from rossim.ops.commands import Dock

    with pytest.raises(InputError) as e:
        Dock(vehicle="progress-ms", lift_off="2028-04-11T13:52").check()
    assert e.value.field == "dock.lift_off"


@pytest.mark.slow
def test_campaign_run_86_module_on_a_cargo_port_is_not_undocked_for_a_call_up():
    """Campaign run 86 of ros-51.6 (campaign seed 2026) on a862df2: a call-up ship found its
    cargo ports taken, one of them by the node module, and making room looked the module up
    among the vehicles (KeyError 'node': the run failed). A module is never undocked to free a
    port: the run completes with its invariants."""
    from rossim.campaign.dispersions import draw_run
    from rossim.config.scenario import load_scenario
    from rossim.ops.simulation import simulate

    d = draw_run(load_scenario("ros-51.6"), 2026, 86)
    out = simulate(d.scenario, seed=d.seed)
    assert out.summary["outcome"] == "completed"
    assert out.summary["invariants_hold"]
