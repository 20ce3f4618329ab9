"""The spare a drifting station's repair needs, carried by the crew ship that repairs
(rossim.ops.drift_spare).

Reference: Soyuz T-13 brought the equipment to revive the dead Salyut 7 in 1985 (``soyuz-t13``
in docs/sources.md). Scenario: tests/data/ops/ros-short.toml (Soyuz MS crews 2028-07-01 and
about 2028-12-30), random faults off, no computer spare aboard, the three computers failed on
2028-10-01: a repair crew called then (115-day lead) would dock after the planned crew, which
repairs. Campaign run 16 of ros-51.6 (campaign seed 2026): the computers failed 2029-09-25 with
no spare aboard; before this change the planned Soyuz of 2030-01-01 came without one, 8
uncrewed ships were held and the station re-entered 2034-04-01 (a 4.5-year drift).
"""

from __future__ import annotations

import datetime as dt

import pytest
from drift_cases import UTC, drift_end, scenario

from rossim.ops.simulation import Simulation


def _drift_without_spare(scen, fail_at: str, spare_kg: float | None = None) -> Simulation:
    sim = Simulation(scen)
    sim.advance_to(fail_at)
    sp = sim.reliability.spares
    removed_kg = sp.stock["computer"] * sp.unit_mass_kg("computer")
    sp.stock["computer"] = 0  # none aboard (the ledger's start follows: a test set-up)
    sp.ledger["computer"]["start"] = 0
    sim.station_mass.contents0 -= removed_kg  # never aboard: the module's mass without them
    comp = sim.systems.component_by_id("computer")
    if spare_kg is not None:
        heavy = comp.spare_mass_kg.model_copy(update={"value": spare_kg})
        sp.comps["computer"] = comp.model_copy(update={"spare_mass_kg": heavy})
    for unit in range(comp.units):
        sim.reliability.fail(comp, "station", unit, True)
    return sim


def _crew_docking(out, after: dt.datetime) -> tuple[str, dt.datetime]:
    for e in out.events:
        t = e["time"].astype("datetime64[s]").item().replace(tzinfo=UTC)
        if e["kind"] == "dock" and "soyuz" in e["subject"].lower() and t > after:
            return e["subject"], t
    raise AssertionError("no crew docking")


def test_planned_crew_brings_the_spare_and_repairs():
    fail = dt.datetime(2028, 10, 1, tzinfo=UTC)
    sim = _drift_without_spare(scenario(), "2028-10-01T00:00:00")
    sim.advance_to_end()
    out = sim.finish()
    ship, docked = _crew_docking(out, fail)
    packed = [e for e in out.events if e["kind"] == "crew-ship-spare"]
    assert len(packed) == 1 and packed[0]["subject"] == ship, packed
    assert "3 computer spare(s) (90 kg)" in packed[0]["detail"]
    assert "soyuz-t13" in packed[0]["detail"]
    got = [e for e in out.events if e["kind"] == "spares" and e["subject"] == ship]
    assert got and "3 computer" in got[0]["detail"]
    # the drift ends at that crew's repair: after its first day aboard, in its next work
    # shift (the crew scheduler's), the 2 h repair
    end = drift_end(out)
    rel = sim.systems.reliability
    assert end is not None and dt.timedelta(days=rel.crew_repair_start_days.value) < \
        end - docked <= dt.timedelta(days=rel.crew_repair_start_days.value + 1), (end, docked)
    fixed = [f for f in out.fdir.faults if f.component == "computer"]
    assert len(fixed) == 3 and all(f.spare_from == ship for f in fixed)
    # no repair crew was called: the planned crew repairs
    assert not (out.summary["logistics"].get("crew_callups") or {}).get("flights")
    # the spares ledger balances (3 delivered, 3 used) and every invariant holds
    assert sim.reliability.spares.balance() == 0
    bad = [k for k, v in out.summary["invariants"].items() if not v["holds"]]
    assert not bad, bad


def test_spare_too_heavy_for_the_crew_ship_calls_a_repair_crew():
    """A 200 kg spare does not fit the Soyuz MS's 100 kg cargo allowance: the planned crew
    (about 2028-12-30) cannot repair, so it no longer counts and a repair crew is called
    (drift 2028-10-15: it docks after the planned crew has left), which brings it (its mass
    not checked: a limit) and ends the drift."""
    sim = _drift_without_spare(scenario(), "2028-10-15T00:00:00", spare_kg=200.0)
    sim.advance_to_end()
    out = sim.finish()
    why = [e for e in out.events if e["kind"] == "crew-ship-spare"]
    assert len(why) == 1 and "does not fit" in why[0]["detail"], why
    rec = out.summary["logistics"]["crew_callups"]
    assert rec["flights"] == 1, rec
    fl = rec["flight_list"][0]
    assert fl["state"] == "docked", fl
    docked = dt.datetime.fromisoformat(fl["docked"].replace("Z", "+00:00"))
    end = drift_end(out)
    assert end is not None and docked < end <= docked + dt.timedelta(days=2), (end, docked)


@pytest.mark.slow
def test_campaign_run_16_planned_soyuz_brings_the_spare(fly_every_crew):
    """Campaign run 16 of ros-51.6 (seed 2026): no re-entry; the drift ends at the repair by
    the planned Soyuz MS crew lifting off 2030-01-01 and docking manually to the drifting
    station after the Soyuz T-13 profile (rossim.ops.drift_crew; before: 4.5 years, re-entry
    2034-04-01). (The draw as recorded, every late crew flown: since stop 45 Soyuz MS crew #1,
    waiting for its module past crew #2's slot, is not flown.)"""
    from rossim.campaign.dispersions import draw_run
    from rossim.config.scenario import load_scenario
    from rossim.ops.simulation import simulate

    d = draw_run(load_scenario("ros-51.6"), 2026, 16)
    out = simulate(d.scenario, seed=d.seed)
    assert out.summary["outcome"] == "completed"
    packed = [e for e in out.events if e["kind"] == "crew-ship-spare"]
    assert len(packed) == 1 and "Soyuz MS" in packed[0]["detail"], packed
    ship = packed[0]["subject"]
    docked = [e["time"].astype("datetime64[s]").item() for e in out.events
              if e["kind"] == "dock" and e["subject"] == ship]
    assert docked and docked[0].date() == dt.date(2030, 1, 3), docked   # docs/operations.md
    row = next(r for r in out.summary["logistics"]["manual_dockings"]["ships"]
               if r["ship"] == ship)
    assert row["kind"] == "planned crew" and row["lift_off"].startswith("2030-01-01")
    assert row["docking"] == f"{docked[0]:%Y-%m-%dT%H:%MZ}"
    # Progress MS #2 is planned outside the crew's pad block (a turnaround either side of its
    # lift-off: rossim.station.pad_plan.crew_pad_blocks) and slips for no crew (before:
    # planned 2.1 d before it, it slipped behind it by the pad's turnaround); it docks after
    # the drift, which holds uncrewed ships (rossim.ops.drift_docking)
    assert not [r for r in out.summary["logistics"]["pad_slips"]
                if r["launch"] == "Progress MS #2"]
    end = drift_end(out)
    assert end is not None and dt.timedelta(0) < end.replace(tzinfo=None) - docked[0] \
        <= dt.timedelta(days=2), (end, docked)
    # the call-up Progress held by the drift (called for the three computers) is stood down
    # at the Soyuz's docking: it brought the spares (rossim.ops.callup_stand_down); before,
    # it flew after the drift with its restock
    dd = out.summary["logistics"]["drift_docking"]
    assert dd["not_flown"] == 1 and dd["held"] == 1, dd
    (row,) = dd["ships"]
    assert row["state"].startswith("not flown: stood down") and ship in row["state"], row
    callup = [e for e in out.events if e["kind"] == "spares" and "call-up" in e["subject"]]
    assert not any("computer" in e["detail"] for e in callup), callup
