"""A launcher grounded after a launch failure (rossim.ops.launcher_stand_down).

References: after each Progress lost at launch (M-12M 2011-08-24, M-27M 2015-04-28, MS-04
2016-12-01) the next Progress on the Soyuz rocket flew 66-83 days later, and the crews waited
for it: Soyuz TMA-22 lifted off 82 days after M-12M, TMA-17M 85 days after M-27M
(``progress-losses``: ``logistics.stand_down_uncrewed_after_cargo_loss_days`` 66,
``stand_down_crew_after_cargo_loss_days`` 82). After the Soyuz MS-10 abort (2018-10-11) the
next ship on the rocket, Progress MS-10, flew 36 days later and the next crew, Soyuz MS-11,
53 days later (``soyuz-launch-aborts``: ``stand_down_*_after_crew_abort_days`` 36 and 53).
The Progress MS and the Soyuz MS fly on the Soyuz-2.1a, the Orel on the Angara-A5P (catalog
``launcher``): a Soyuz-2.1a failure grounds the first two only.

Scenario: tests/data/ops/ros-short.toml, random faults off, no cargo series, no coolant-pump
spare aboard (tests/ops/test_callup_loss.py): the injected coolant-pump fault (2028-09-01)
calls up a Progress; with the call-up lead set to 50 days it lifts off 2028-10-22 08:31 and is
lost (probability 1, then 0: a ship called again would fly). The plan adds a Progress
(lift-off 2028-12-01, within the 66 days) and an Orel (2028-12-05, another rocket); its
second Soyuz MS crew lifts off 2028-12-31, within the 82 days.
"""

from __future__ import annotations

import datetime as dt
import json

from drift_cases import SHORT, UTC
from test_callup_loss import _no_cargo, _no_spare_systems, _summary_bytes, _utc

from rossim.config.scenario import Visit, load_scenario
from rossim.config.stand_down import LauncherStandDown
from rossim.config.systems import load_systems
from rossim.ops import callup_loss
from rossim.ops.simulation import Simulation

LG = load_systems().logistics
UNCREWED = LG.stand_down_uncrewed_after_cargo_loss_days.value
CREW = LG.stand_down_crew_after_cargo_loss_days.value


def _lost_callup_sim(orel: bool = True) -> Simulation:
    """The module docstring's run, made (not run); ``orel``: with the Orel planned."""
    sc = load_scenario(SHORT)
    s = _no_spare_systems()
    s = s.model_copy(update={"logistics": s.logistics.model_copy(update={
        "callup_lead_days": s.logistics.callup_lead_days.model_copy(update={"value": 50.0})})})
    progress = Visit(name="Progress MS planned", vehicle="progress-ms", port="node.starboard",
                     launch=dt.datetime(2028, 12, 1, tzinfo=UTC), duration_days=60)
    crews = [Visit(name="Orel planned", vehicle="orel", port="auto", crew=2,
                   launch=dt.datetime(2028, 12, 5, tzinfo=UTC), duration_days=10)] \
        if orel else []
    sc = sc.model_copy(update={
        "cargo_series": [], "cargo_visits": [progress], "crew_visits": [*sc.crew_visits, *crews],
        "operations": sc.operations.model_copy(update={
            "random_faults": False, "callup_cargo_loss_probability": 1.0})})
    return Simulation(sc, systems=s)


def _lost_callup_run():
    sim = _lost_callup_sim()
    planned = {e.part: e.launch for e in sim.timeline.events
               if e.kind == "dock" and e.part_kind == "vehicle"}
    sim.advance_to("2028-10-01")            # call-up #1 called 2028-09-01, drawn to fail
    callup_loss.of(sim).p_cargo = 0.0       # the one called again flies
    sim.advance_to_end()
    return sim, sim.finish(), planned


def test_cargo_callup_loss_grounds_the_soyuz_rocket():
    sim, out, planned = _lost_callup_run()
    assert UNCREWED == 66 and CREW == 82   # M-27M -> M-28M; M-12M -> TMA-22
    (first,) = out.summary["logistics"]["callups"]["flight_list"]
    assert first["state"] == "lost at launch"
    t = _utc(first["lost"])
    assert t.isoformat().startswith("2028-10-22T08:31")
    launches = {e.part: e.launch for e in sim.timeline.events
                if e.kind == "dock" and e.part_kind == "vehicle"}
    soyuz, progress, orel = "Soyuz MS crew #2", "Progress MS planned", "Orel planned"
    # planned in the stand-down: held on the ground until it ends, then flown
    assert t < planned[soyuz] < t + dt.timedelta(days=CREW)
    assert launches[soyuz] >= t + dt.timedelta(days=CREW)
    assert t < planned[progress] < t + dt.timedelta(days=UNCREWED)
    assert launches[progress] >= t + dt.timedelta(days=UNCREWED)
    # another rocket (Angara-A5P): unmoved
    assert launches[orel] == planned[orel]
    # docs/operations.md: the spare is not called again on a new ship: the held planned
    # Progress docks no later than one called at the loss could (its first window after the
    # stand-down, 2028-12-28), as the ISS waited for the next Progress after each loss; it
    # brings the spare; the crew lifts off at its own stand-down's end (2029-01-12)
    assert f"{launches[progress]:%Y-%m-%d %H:%M} {launches[soyuz]:%Y-%m-%d}" \
        == "2028-12-28 05:49 2029-01-12"
    served = [e for e in out.events if e["kind"] == "cargo-callup" and e["subject"] == "spare"
              and e["detail"].startswith(f"no call-up: {progress} docks 2028-12-28")]
    assert len(served) == 1 and "lost at launch" in served[0]["detail"]
    assert any(e["kind"] == "spares" and e["subject"] == progress
               and "coolant-pump" in e["detail"] for e in out.events)
    # the register in the summary: one stand-down begun in the run, two ships held
    rec = out.summary["logistics"]["stand_downs"]
    assert rec["stand_downs"] == rec["in_run"] == 1 and rec["ships_held"] == 2
    sd = rec["list"][0]
    assert sd["launcher"] == "soyuz-2.1a" and sd["origin"] == "run"
    assert "Progress MS call-up #1 lost at launch" in sd["cause"]
    ships = {r["ship"]: r for r in rec["ships"]}
    assert set(ships) == {soyuz, progress}
    assert all(r["state"] == "flown after the stand-down" for r in ships.values())
    # events and the alarm name the stand-down and its cause
    ev = [e for e in out.events if e["kind"] == "launcher-stand-down"]
    assert any(e["subject"] == "soyuz-2.1a" and "progress-losses" in e["detail"]
               and "Progress MS call-up #1" in e["detail"] for e in ev)
    held = [e for e in ev if e["subject"] == soyuz and "held on the ground" in e["detail"]]
    assert len(held) == 1 and "lost at launch" in held[0]["detail"]
    assert any(a["subject"] == "logistics" and "grounded" in a["detail"] for a in out.alarms)
    # the coolant pump is repaired by the crew that flew after the stand-down
    fixed = [e for e in out.events if e["kind"] == "fault-repaired"]
    assert [str(e["time"])[:10] for e in fixed] == ["2029-01-14"]
    bad = [k for k, v in out.summary["invariants"].items() if not v["holds"]]
    assert not bad, bad


def test_the_next_ship_check_sees_a_held_ship_while_it_is_held():
    """During the stand-down the held planned Progress is off the timeline; the call-ups'
    next-ship check (spare and propellant) still sees it, at the docking of its first window
    after the stand-down (2028-12-28 09:07, where it then docks; the held Soyuz crew, no cargo
    ship, is listed but not counted); once it has flown it is the timeline's again and the
    register no longer lists it."""
    from rossim.ops import launcher_stand_down

    sim = _lost_callup_sim(orel=False)
    progress = sim.scenario.cargo_visits[0]
    sim.advance_to("2028-11-01")          # call-up #1 lost 2028-10-22, the Progress held
    docking = sim.engine.seconds(dt.datetime(2028, 12, 28, 9, 7, tzinfo=UTC))
    crew = sim.engine.seconds(dt.datetime(2029, 1, 13, 2, 50, tzinfo=UTC))
    assert launcher_stand_down.held_arrivals(sim) == [
        (docking, progress.name, "progress-ms"), (crew, "Soyuz MS crew #2", "soyuz-ms")]
    assert "Progress MS planned" not in {e.part for e in sim.timeline.events}
    callup = sim.cargo_callup
    assert callup.next_arrival() == (docking, progress.name)
    assert callup.next_arrival(propellant=True) == (docking, progress.name)
    sim.advance_to("2028-12-29")
    assert launcher_stand_down.held_arrivals(sim) == [(crew, "Soyuz MS crew #2", "soyuz-ms")]
    assert callup.next_arrival() != (docking, progress.name)   # docked: in the past


def _stated(sd: LauncherStandDown | None):
    sc = _no_cargo(dt.datetime(2029, 2, 15, tzinfo=UTC))   # as _spare_sim
    downs = (sd,) if sd is not None else ()
    return sc.model_copy(update={"operations": sc.operations.model_copy(
        update={"launcher_stand_downs": downs})})


def test_stand_down_stated_in_the_scenario_holds_a_cargo_callup():
    """Call-up #1 (called 2028-09-01) would lift off 2028-11-11 (test_callup_loss.py); a
    stand-down stated by hand until 2028-12-20 moves it past that end."""
    until = dt.datetime(2028, 12, 20, tzinfo=UTC)
    sd = LauncherStandDown(launcher="soyuz-2.1a", failed=dt.datetime(2028, 10, 1, tzinfo=UTC),
                           uncrewed_until=until, crew_until=until + dt.timedelta(days=16),
                           cause="stated by hand")
    sim = Simulation(_stated(sd), systems=_no_spare_systems())
    sim.advance_to_end()
    out = sim.finish()
    fl = out.summary["logistics"]["callups"]["flight_list"][0]
    # on or after the stand-down's end (then past the 14-day pad turnaround after the
    # planned Soyuz MS crew's lift-off of 2028-12-31)
    assert _utc(fl["launch"]) >= until and fl["state"] == "docked"
    ev = [e for e in out.events if e["kind"] == "cargo-callup" and e["subject"] == fl["name"]]
    assert "launcher grounded: soyuz-2.1a stand-down" in ev[0]["detail"]
    assert "stated by hand" in ev[0]["detail"]
    rec = out.summary["logistics"]["stand_downs"]
    assert rec["stand_downs"] == 1 and rec["in_run"] == 0 and rec["ships_held"] == 0
    assert rec["list"][0]["origin"] == "scenario"
    assert out.summary["invariants_hold"]


def test_no_failure_and_no_stand_down_leave_the_run_unchanged():
    """A stand-down of a rocket the run never flies (the Proton-M) changes nothing but the
    summary's register: the run with it, its register taken out, is the run without it, to
    the byte; without any, the summary has no register."""
    def run(sd):
        sim = Simulation(_stated(sd), systems=_no_spare_systems())
        sim.advance_to_end()
        return sim.finish()

    base = run(None)
    assert "stand_downs" not in base.summary["logistics"]
    other = run(LauncherStandDown(launcher="proton-m", failed=dt.datetime(2028, 1, 1,
                                                                           tzinfo=UTC),
                                  uncrewed_until=dt.datetime(2029, 6, 1, tzinfo=UTC),
                                  crew_until=dt.datetime(2029, 6, 1, tzinfo=UTC)))
    s = other.summary.to_dict()
    assert s["logistics"].pop("stand_downs")["stand_downs"] == 1
    assert json.dumps(s, sort_keys=True, default=str).encode() == _summary_bytes(base)


def test_repair_crew_abort_grounds_the_plan_ships_on_its_rocket():
    """The drift scenario (tests/ops/drift_cases.py: computers failed 2028-08-05, repair crew
    lifting off 2028-11-28, drawn to abort) with a Progress planned for 2028-12-10: the
    planned crew (lift-off about 2028-12-30) still serves the repair (no re-flight, as Soyuz
    MS-11 after MS-10) but lifts off 53 days after the abort at the earliest, the Progress
    36 days after (then waits for the drift's end: it docks automatically)."""
    from drift_cases import drift, drift_end, scenario

    progress = Visit(name="Progress MS planned", vehicle="progress-ms", port="auto",
                     launch=dt.datetime(2028, 12, 10, tzinfo=UTC), duration_days=10)
    scen = scenario(cargo=[progress])
    scen = scen.model_copy(update={"operations": scen.operations.model_copy(
        update={"callup_crew_launch_abort_probability": 1.0})})
    sim = drift(scen, "2028-08-05T00:00:00")
    planned = {r["launch"]: r for r in sim.timeline.pad_slips}  # the plan before the abort
    sim.advance_to_end()
    out = sim.finish()
    lg = out.summary["logistics"]
    (first,) = lg["crew_callups"]["flight_list"]
    t = _utc(first["aborted"])
    assert t.isoformat().startswith("2028-11-28")
    uncrewed = LG.stand_down_uncrewed_after_crew_abort_days.value
    crew = LG.stand_down_crew_after_crew_abort_days.value
    assert (uncrewed, crew) == (36, 53)   # MS-10 -> Progress MS-10, MS-11
    rec = lg["stand_downs"]
    assert rec["in_run"] == 1 and "launch aborted" in rec["list"][0]["cause"]
    ships = {r["ship"]: r for r in rec["ships"]}
    # not the series' Progress MS #2: planned 2028-12-13, 14 d after "Progress MS planned" at
    # the pad and then within the pad's turnaround before the crew, the planner flies it a
    # turnaround after the crew (crews first, rossim.station.pad_plan: 2029-01-14), after the
    # stand-down's uncrewed hold (before, it took the pad on 2028-12-25, was held, and the
    # crew was planned 9 d later)
    assert set(ships) == {"Soyuz MS crew #2", "Progress MS planned"}
    slip = planned["Progress MS #2"]
    assert slip["why"].endswith("; crews first)")
    assert dt.datetime.fromisoformat(slip["lift_off"]) > _utc(
        ships["Progress MS planned"]["held_until"])
    launches = {e.part: e.launch for e in sim.timeline.events
                if e.kind == "dock" and e.part_kind == "vehicle"}
    assert launches["Soyuz MS crew #2"] >= t + dt.timedelta(days=crew)
    assert launches["Progress MS planned"] >= t + dt.timedelta(days=uncrewed)
    # the held crew repairs the drift once docked; the Progress flies after the drift
    end = drift_end(out)
    assert end is not None and end > _utc(ships["Soyuz MS crew #2"]["docking"])
    assert _utc(ships["Progress MS planned"]["held_until"]) < end <= launches[
        "Progress MS planned"]
    bad = [k for k, v in out.summary["invariants"].items() if not v["holds"]]
    assert not bad, bad


def test_repairs_booked_again_never_on_a_crews_docking_day():
    """A crew visit held on the ground leaves its repairs to the plan without it
    (launcher_stand_down._rebook): a repair it had booked that now falls on another crew's
    docking day (that crew docking two hours before it) is booked again from that crew's
    first day aboard (``reliability.crew_repair_start_days`` after its docking), as
    Scheduler.book_crew books every crew repair; it no longer stays on the docking day
    because the crewed stretch merely contains it."""
    from rossim.ops import launcher_stand_down

    sc = load_scenario(SHORT)
    sc = sc.model_copy(update={"operations": sc.operations.model_copy(update={
        "random_faults": False})})
    sim = Simulation(sc)
    sim.advance_to("2028-09-02")      # the coolant pump failed 2028-09-01, uncrewed
    task = next(t for t in sim.scheduler.tasks if t.fault_id is not None and t.by == "crew")
    crew2 = next(e for e in sim.timeline.events if e.kind == "dock" and e.crew > 0
                 and e.time > sim.now)
    lag = dt.timedelta(days=sim.systems.reliability.crew_repair_start_days.value)
    assert task.start == crew2.time + lag        # booked on its first day aboard
    # the plan edit of a stand-down: crew #2 withdrawn, another crew docking two hours
    # before the booking (a crew the run gave a lift-off: its launch is the lift-off)
    veh = sim.timeline.catalog.vehicles["soyuz-ms"]
    dock = task.start - dt.timedelta(hours=2)
    groups = sim._explicit_visits()
    groups["crew_visits"] = [v for v in groups["crew_visits"] if v.part_name != crew2.part]
    groups["crew_visits"].append(Visit(
        name="other crew", vehicle="soyuz-ms", port="gateway.forward", crew=2,
        duration_days=20, launch=dock - dt.timedelta(hours=veh.time_to_dock_h.value)))
    flown = sim._flown | {"other crew"}
    scen, tl, why = sim._rebuild_plan(groups, flown)
    assert tl is not None, why
    sim._install_plan(scen, tl, flown)
    assert any(w0 <= task.start and task.end <= w1 for w0, w1 in sim.scheduler.windows.crewed)
    launcher_stand_down._rebook(sim)
    new = next(t for t in sim.scheduler.tasks if t.fault_id == task.fault_id)
    assert new is not task and new.start == dock + lag, (new.start, dock + lag)
