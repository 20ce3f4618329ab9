"""Crew ships and a free-drifting station: the manual approach (rossim.ops.drift_crew).

Reference: Soyuz T-13 lifted off 1985-06-06 06:39:52 UTC and docked manually to the dead,
slowly rolling Salyut 7 on 1985-06-08 at about 08:50 UTC, after a fly-around of the station
(``soyuz-t13`` in docs/sources.md; Wikipedia "Soyuz T-13", NASA RP-1357): about two days, where
the catalog's fast profiles (Soyuz MS ``time_to_dock_h`` 3.3 h, "fast two-orbit rendezvous used
since 2020") are automatic Kurs approaches to a station that holds its attitude. The catalog's
``free_drift.manual_docking_profile_h`` is that lift-off to docking.

Scenario: tests/data/ops/ros-short.toml (stage 1; Soyuz MS crews 2028-07-01 and about
2028-12-31), random faults off, the three computers failed on 2028-08-05 and the repair-crew
call-up switched off, so the planned crew #2 lifts off while the station drifts (the review
finding: ``rossim run ros-2026-plan``, whose Soyuz lifting off 2034-07-17 01:44 docked 3.3 h
later to the station drifting since 2034-03-13).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from drift_cases import UTC, drift, drift_end, scenario

from rossim.config.free_drift import load_free_drift
from rossim.config.scenario import Visit
from rossim.ops.drift_crew import profile_h


def _t(ev) -> dt.datetime:
    return ev["time"].astype("datetime64[s]").item().replace(tzinfo=UTC)


def _plan(sim, name: str) -> dict[str, dt.datetime]:
    """Lift-off, docking and undocking of visit ``name`` in the plan as it stands."""
    dock = next(e for e in sim.timeline.events if e.part == name and e.kind == "dock")
    undock = next(e for e in sim.timeline.events if e.part == name and e.kind == "undock")
    return {"lift": dock.launch, "dock": dock.time, "undock": undock.time}


def test_manual_profile_is_the_soyuz_t13_lift_off_to_docking():
    fig = load_free_drift().manual_docking_profile_h
    t13 = dt.datetime(1985, 6, 8, 8, 50) - dt.datetime(1985, 6, 6, 6, 39, 52)   # soyuz-t13
    assert abs(fig.value - t13.total_seconds() / 3600.0) < 0.05
    assert fig.flag == "reported" and fig.source.startswith("soyuz-t13:")
    fast = SimpleNamespace(time_to_dock_h=SimpleNamespace(value=3.3))
    slow = SimpleNamespace(time_to_dock_h=SimpleNamespace(value=60.0))
    assert profile_h(fast) == fig.value     # the fast automatic profile is replaced
    assert profile_h(slow) == 60.0          # a longer own profile is kept


def test_planned_crew_lifting_off_in_a_drift_docks_after_the_manual_profile():
    sim = drift(scenario(callup=False), "2028-08-05T00:00:00")
    name = "Soyuz MS crew #2"
    plan = _plan(sim, name)
    crew1 = _plan(sim, "Soyuz MS crew #1")
    veh = sim.timeline.catalog.vehicles["soyuz-ms"]
    manual = load_free_drift().manual_docking_profile_h.value
    assert plan["dock"] - plan["lift"] == dt.timedelta(hours=veh.time_to_dock_h.value)
    sim.advance_to_end()
    out = sim.finish()
    docks = {e["subject"]: _t(e) for e in out.events if e["kind"] == "dock"}
    # the lift-off is kept, the docking is the manual profile after it, not 3.3 h
    assert docks[name] == plan["lift"] + dt.timedelta(hours=manual)
    assert docks[name] - plan["lift"] > dt.timedelta(days=2)
    ev = next(e for e in out.events if e["kind"] == "dock" and e["subject"] == name)
    assert f"launched {plan['lift']:%Y-%m-%d %H:%M} UTC" in ev["detail"]
    # the departure keeps its planned date: the stay is shorter, nothing after it moves
    undocks = {e["subject"]: _t(e) for e in out.events if e["kind"] == "undock"}
    assert undocks[name] == plan["undock"]
    # a crew visit outside the drift is unchanged: crew #1 (July 2028) docked on the fast
    # profile of the plan
    assert docks["Soyuz MS crew #1"] == crew1["dock"] == crew1["lift"] + dt.timedelta(
        hours=veh.time_to_dock_h.value)
    assert undocks["Soyuz MS crew #1"] == crew1["undock"]
    # events and summary say the docking was manual and when
    md = [e for e in out.events if e["kind"] == "manual-docking" and e["subject"] == name]
    edit = next(e for e in md if "fast profile" in e["detail"])
    # stamped at the lift-off it was decided for (the crew lifted off in the drift), not at
    # the fast profile's docking, 3.3 h later, where the run makes the plan edit
    assert _t(edit) == plan["lift"] and "soyuz-t13" in edit["detail"]
    assert f"docks {docks[name]:%Y-%m-%d %H:%M}" in edit["detail"]
    done = next(e for e in md if e["detail"].startswith("docked manually"))
    assert _t(done) == docks[name] and f"{manual:g} h after lift-off" in done["detail"]
    rec = out.summary["logistics"]["manual_dockings"]
    assert rec["docked_manually"] == 1 and rec["profile_h"] == manual
    row = rec["ships"][0]
    assert row["ship"] == name and row["kind"] == "planned crew"
    assert row["state"] == "docked manually" and row["port"] == "gateway.forward"
    assert row["lift_off"] == f"{plan['lift']:%Y-%m-%dT%H:%MZ}"
    assert row["fast_docking"] == f"{plan['dock']:%Y-%m-%dT%H:%MZ}"
    assert row["docking"] == f"{docks[name]:%Y-%m-%dT%H:%MZ}"
    assert abs(row["stay_days"] - (plan["undock"] - docks[name]).total_seconds() / 86400) \
        < 1e-3
    from rossim.cli.run import callup_rows

    assert name in dict(callup_rows(out.summary["logistics"]))["manual_dockings"]
    # the drift's repair (booked on this crew's first day aboard) moved with the docking:
    # no computer is repaired before the crew is aboard
    rel = sim.systems.reliability
    end = drift_end(out)
    assert end is not None and end >= docks[name] + dt.timedelta(
        days=rel.crew_repair_start_days.value)
    fixed = [f for f in out.fdir.faults if f.component == "computer" and f.repaired_at]
    assert fixed and all(f.repaired_at >= docks[name] for f in fixed)
    bad = [k for k, v in out.summary["invariants"].items() if not v["holds"]]
    assert not bad, bad


def test_manual_docking_that_leaves_no_stay_docks_as_planned_with_an_alarm():
    """A one-day crew visit lifting off in the drift: its departure comes before its manual
    docking, so the plan edit is refused; it docks as planned, with a drift-docking warning
    alarm naming the limitation."""
    taxi = Visit(vehicle="soyuz-ms", port="gateway.forward", duration_days=1.0, crew=2,
                 launch=dt.datetime(2028, 10, 1, tzinfo=UTC), name="taxi")
    sim = drift(scenario(callup=False, cargo=[taxi]), "2028-08-05T00:00:00")
    plan = _plan(sim, "taxi")
    sim.advance_to(f"{plan['dock'] + dt.timedelta(hours=1):%Y-%m-%dT%H:%M:%S}")
    assert sim.config.occupancy.get("gateway.forward") == "taxi"
    alarms = [a for a in sim.alarms if a["subject"] == "drift-docking"]
    assert len(alarms) == 1 and "fast profile" in alarms[0]["detail"], alarms
    row = sim.drift_crew.record()["ships"][0]
    assert row["state"].startswith("docked on the fast profile: plan edit refused")
