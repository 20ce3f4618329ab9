"""Launch failures of the ships a run calls up (rossim.ops.callup_loss).

References: Progress M-12M (2011-08-24), M-27M (2015-04-28) and MS-04 (2016-12-01) were lost
at launch with their cargo; the next Progress flew 66-83 days later (``progress-losses``, the
call-up lead). Soyuz MS-10's launch aborted on 2018-10-11, its crew recovered; the next crew,
Soyuz MS-11, lifted off on 2018-12-03, 53 days later (``soyuz-launch-aborts``, the repair
crew's re-flight delay, estimate).

Scenario: tests/data/ops/ros-short.toml, random faults off (tests/ops/drift_cases.py):
without its cargo ships, the injected coolant-pump fault (2028-09-01) waits for a spare that
is not aboard and calls up a Progress (lift-off 2028-11-11 after the 70-day lead); with the
core module lost and no working propellant, the propellant re-check calls up a Progress on
2028-01-22 (lift-off 2028-04-01); with the three computers failed on 2028-08-05 the station
drifts and a repair crew is called (lift-off 2028-11-28 after the 115-day lead). The
per-launch probability is set to 1 to make a launch fail, and to 0 afterwards through the
run's :class:`rossim.ops.callup_loss.CallupLoss` (``p_cargo``/``p_crew``, read at each call)
to let the next one fly.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from drift_cases import SHORT, UTC, drift, drift_end, scenario

from rossim.config.free_drift import load_free_drift
from rossim.config.scenario import load_scenario
from rossim.config.systems import load_systems
from rossim.ops import callup_loss
from rossim.ops.simulation import Simulation


def _utc(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def _no_spare_systems(**prop):
    """The systems catalog with no coolant-pump spare aboard (``prop``: propulsion figures)."""
    s = load_systems()
    comps = [c.model_copy(update={"initial_spares": c.initial_spares.model_copy(
        update={"value": 0.0})}) if c.id == "coolant-pump" else c for c in s.component]
    upd = {"component": comps}
    if prop:
        upd["propulsion"] = s.propulsion.model_copy(update={
            k: getattr(s.propulsion, k).model_copy(update={"value": float(v)})
            for k, v in prop.items()})
    return s.model_copy(update=upd)


def _no_cargo(end: dt.datetime, **ops):
    sc = load_scenario(SHORT)
    return sc.model_copy(update={
        "cargo_series": [], "cargo_visits": [], "span": sc.span.model_copy(update={"end": end}),
        "operations": sc.operations.model_copy(update={"random_faults": False, **ops})})


def _spare_sim(**ops) -> Simulation:
    return Simulation(_no_cargo(dt.datetime(2029, 2, 15, tzinfo=UTC), **ops),
                      systems=_no_spare_systems())


def _summary_bytes(out) -> bytes:
    return json.dumps(out.summary.to_dict(), sort_keys=True, default=str).encode()


# -- cargo ----------------------------------------------------------------------------------------
def test_lost_spare_call_up_delivers_nothing_and_the_spare_is_called_again():
    sim = _spare_sim(callup_cargo_loss_probability=1.0)
    sim.advance_to("2028-10-01")          # call-up #1 called 2028-09-01, drawn to fail
    assert [f["state"] for f in sim.cargo_callup.flights] == ["on its way"]
    callup_loss.of(sim).p_cargo = 0.0      # the one called again flies
    sim.advance_to("2028-11-11T01:00:00")  # #1 lifted off 00:40 and was lost
    first, again = sim.cargo_callup.flights
    assert first["state"] == "lost at launch" and first["lost"].startswith("2028-11-11T00:40")
    # called again at the loss, with the usual lead; the lost ship is no longer on its way
    assert again["called"] == first["lost"] and again["state"] == "on its way"
    assert "called again: Progress MS call-up #1 lost at launch" in again["reasons"][0]
    lead = load_systems().logistics.callup_lead_days.value
    assert _utc(again["launch"]) - _utc(again["called"]) >= dt.timedelta(days=lead)
    assert sim.cargo_callup.next_arrival()[1] == again["name"]
    sim.advance_to_end()
    out = sim.finish()
    f = next(f for f in out.fdir.faults if f.component == "coolant-pump")
    assert f.spare_from == again["name"] and f.repaired_at is not None
    rec = out.summary["logistics"]["callups"]
    assert rec["flights"] == 2 and rec["lost_at_launch"] == 1
    assert [x["state"] for x in rec["flight_list"]] == ["lost at launch", "docked"]
    assert rec["flight_list"][1]["docked"].startswith("2029-01-20")   # docs/operations.md
    # the lost ship never docked and brought nothing; every ledger balances
    assert not [e for e in out.events if e["subject"] == first["name"] and e["kind"] in (
        "dock", "spares", "cargo-callup-arrival")]
    assert out.summary["invariants_hold"]
    ev = [e for e in out.events if e["kind"] == "cargo-callup" and e["subject"] == first[
        "name"] and e["detail"].startswith("lost at launch")]
    assert len(ev) == 1 and "fault #1 coolant-pump waits for a spare" in ev[0]["detail"]
    alarms = [a for a in out.alarms if a["subject"] == "logistics" and "lost at launch" in
              a["detail"]]
    assert len(alarms) == 1 and "progress-losses" in alarms[0]["cause"]
    assert "ship and cargo lost" in alarms[0]["cause"]
    from rossim.cli.run import callup_rows

    assert "1 lost at launch" in dict(callup_rows(out.summary["logistics"]))["cargo_callups"]


def test_probability_one_loses_every_call_up_and_calls_again_each_time():
    """Each launch is drawn: with probability 1 the spare is called again after each loss,
    each call a lead after the loss before, until a ship would dock after the run's end."""
    sim = _spare_sim(callup_cargo_loss_probability=1.0)
    sim.advance_to_end()
    out = sim.finish()
    fl = out.summary["logistics"]["callups"]["flight_list"]
    assert [x["state"] for x in fl] == ["lost at launch"] * 2
    assert fl[1]["called"] == fl[0]["lost"]
    assert callup_loss.of(sim).draws["cargo"] == 2
    assert any("no call-up" in e["detail"] and "after the end of the run" in e["detail"]
               for e in out.events if e["kind"] == "cargo-callup")
    f = next(f for f in out.fdir.faults if f.component == "coolant-pump")
    assert f.repaired_at is None and out.summary["invariants_hold"]


def _lean(p: float, *, fly_after: str | None = None):
    """ros-short with the core module lost, no cargo ship and no working propellant at
    launch: the propellant re-check calls up a Progress (tests/ops/test_cargo_callup.py)."""
    from rossim.station import build_timeline

    sc = _no_cargo(dt.datetime(2029, 6, 30, tzinfo=UTC), callup_cargo_loss_probability=p)
    sc = sc.model_copy(update={"assembly": [a.model_copy(update={"enabled": a.module != "core"})
                                            for a in sc.assembly]})
    tl = build_timeline(sc)
    tl.climbs = [replace(c, propellant_available_kg=c.propellant_kg) for c in tl.climbs]
    sim = Simulation(sc, systems=_no_spare_systems(initial_working_propellant_kg=0.0),
                     timeline=tl)
    if fly_after:
        sim.advance_to(fly_after)
        callup_loss.of(sim).p_cargo = 0.0
    sim.advance_to_end()
    return sim, sim.finish()


def test_lost_propellant_ship_is_called_again_at_the_next_check():
    sim, out = _lean(1.0, fly_after="2028-02-01")
    fl = [x for x in out.summary["logistics"]["callups"]["flight_list"]
          if x["why"] == "propellant"]
    assert [x["state"] for x in fl] == ["lost at launch", "docked"], fl
    every = load_systems().logistics.callup_check_days.value
    lost, again = _utc(fl[0]["lost"]), _utc(fl[1]["called"])
    assert dt.timedelta(0) < again - lost <= dt.timedelta(days=every)   # the next check
    led = out.ledgers["propellant"]
    assert led["transferred_kg"] > 0 and abs(led["imbalance_kg"]) < 1e-6
    assert out.summary["invariants_hold"]


# -- repair crew ----------------------------------------------------------------------------------
def _one_crew(p: float):
    """The drift scenario with only the first planned crew (2028-07-01): no planned crew
    comes after the computers fail on 2028-08-05."""
    scen = scenario()
    crew = scen.crew_series[0].model_copy(update={"until": dt.datetime(2028, 8, 1, tzinfo=UTC)})
    return scen.model_copy(update={"crew_series": [crew], "operations": scen.operations.model_copy(
        update={"callup_crew_launch_abort_probability": p})})


def test_aborted_repair_crew_flies_again_after_the_reflight_delay():
    sim = drift(_one_crew(1.0), "2028-08-05T00:00:00")   # crew #1 called, drawn to abort
    sim.advance_to("2028-09-01")
    callup_loss.of(sim).p_crew = 0.0
    sim.advance_to_end()
    out = sim.finish()
    rec = out.summary["logistics"]["crew_callups"]
    first, again = rec["flight_list"]
    assert first["state"] == "aborted at launch: crew recovered"
    assert first["aborted"] == first["launch"] and first["docked"] is None
    assert first["aborted"].startswith("2028-11-28")   # docs/operations.md
    assert first["reflown_as"] == again["name"] and again["reflight_of"] == first["name"]
    assert rec["aborted_at_launch"] == 1 and rec["flights"] == 2
    # called again at the abort; lifts off at the first window on or after 53 days
    days = load_free_drift().repair_crew_reflight_days.value
    assert days == (dt.date(2018, 12, 3) - dt.date(2018, 10, 11)).days == 53  # MS-10 -> MS-11
    gap = _utc(again["launch"]) - _utc(first["aborted"])
    assert dt.timedelta(days=days) <= gap <= dt.timedelta(days=days + 1)
    assert again["state"] == "docked"
    # the station drifted on until the second crew repaired it
    end = drift_end(out)
    assert end is not None and end > _utc(again["docked"])
    assert out.summary["min_altitude_km"] > 0
    ev = [e for e in out.events if e["kind"] == "crew-callup" and e["subject"] == first["name"]
          and e["detail"].startswith("launch aborted")]
    assert len(ev) == 1 and "crew is recovered" in ev[0]["detail"]
    assert "soyuz-launch-aborts" in ev[0]["detail"]
    alarms = [a for a in out.alarms if a["subject"] == "repair-crew" and "aborted" in a["detail"]]
    assert len(alarms) == 1 and "free drift since 2028-08-05" in alarms[0]["cause"]
    bad = [k for k, v in out.summary["invariants"].items() if not v["holds"]]
    assert not bad, bad
    from rossim.cli.run import callup_rows

    assert "1 aborted at launch" in dict(callup_rows(out.summary["logistics"]))["crew_callups"]


def test_every_repair_crew_launch_is_drawn_again():
    """With probability 1 every re-flight aborts too, each one the re-flight delay after the
    last, until a crew would dock after the run's end: the drift never ends."""
    sim = drift(_one_crew(1.0), "2028-08-05T00:00:00")
    sim.advance_to_end()
    out = sim.finish()
    rec = out.summary["logistics"]["crew_callups"]
    fl = rec["flight_list"]
    assert len(fl) >= 3 and rec["aborted_at_launch"] == len(fl)
    assert callup_loss.of(sim).draws["crew"] == len(fl)
    days = load_free_drift().repair_crew_reflight_days.value
    for a, b in zip(fl, fl[1:], strict=False):
        assert _utc(b["launch"]) - _utc(a["aborted"]) >= dt.timedelta(days=days)
    assert "after the end of the run" in rec["refused"][-1]["why"]
    assert drift_end(out) is None


def test_abort_with_a_planned_crew_sooner_leaves_the_repair_to_it():
    """The planned crew (about 2028-12-30) docks before a crew called again at the abort
    (2028-11-28 + 53 days) could: no re-flight, the planned crew repairs."""
    scen = scenario()
    scen = scen.model_copy(update={"operations": scen.operations.model_copy(
        update={"callup_crew_launch_abort_probability": 1.0})})
    sim = drift(scen, "2028-08-05T00:00:00")
    sim.advance_to_end()
    out = sim.finish()
    rec = out.summary["logistics"]["crew_callups"]
    assert [f["state"] for f in rec["flight_list"]] == ["aborted at launch: crew recovered"]
    ev = [e for e in out.events if e["kind"] == "crew-callup" and "no call-up" in e["detail"]]
    assert len(ev) == 1 and "before a crew called now could" in ev[0]["detail"]
    end = drift_end(out)
    assert end is not None and end > dt.datetime(2028, 12, 29, tzinfo=UTC)


# -- no launch failure: the run as it was ---------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("case", ["spare", "drift"])
def test_zero_probability_leaves_the_run_unchanged(case):
    """Probability 0 (the default) draws nothing: the summary is the one of a run without
    the field, to the byte, and has no count; a tiny probability draws for every launch but
    loses none: the same summary but for the counts (no other model's draws move)."""
    def run(**ops):
        if case == "spare":
            sim = _spare_sim(**ops)
        else:
            scen = scenario()
            sim = drift(scen.model_copy(update={"operations": scen.operations.model_copy(
                update=ops)}), "2028-08-05T00:00:00")
        sim.advance_to_end()
        return sim, sim.finish()

    _, base = run()
    _, zero = run(callup_cargo_loss_probability=0.0, callup_crew_launch_abort_probability=0.0)
    assert _summary_bytes(zero) == _summary_bytes(base)
    lg = base.summary["logistics"]
    assert "lost_at_launch" not in lg["callups"]
    assert "aborted_at_launch" not in (lg.get("crew_callups") or {})
    sim, tiny = run(callup_cargo_loss_probability=1e-12,
                    callup_crew_launch_abort_probability=1e-12)
    draws = callup_loss.of(sim).draws
    assert draws["cargo" if case == "spare" else "crew"] >= 1
    t = tiny.summary.to_dict()
    assert t["logistics"]["callups"].pop("lost_at_launch") == 0
    if case == "drift":
        assert t["logistics"]["crew_callups"].pop("aborted_at_launch") == 0
    assert json.dumps(t, sort_keys=True, default=str).encode() == _summary_bytes(base)


def test_same_seed_same_launch_failures():
    def states():
        sim = _spare_sim(callup_cargo_loss_probability=0.5)
        sim.advance_to_end()
        return [(f["name"], f["state"]) for f in sim.cargo_callup.flights]

    assert states() == states()
