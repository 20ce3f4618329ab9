"""Station traffic: one docking or undocking at a time (rossim.station.traffic).

Rule (systems catalog ``logistics.traffic_spacing_h``, ``iss-traffic``: the shortest spacing
found between two ISS traffic operations, 19.3 h, Dragon CRS-10 berthed 2017-02-23 13:12 UTC
and Progress MS-05 docked 2017-02-24 08:30 UTC): a docking, undocking, relocation or
separation less than the spacing after the one before waits to that one plus the spacing (the
later one moves, its lift-off kept); the modules one launch carries dock as one operation.

Cases: ``ros-2026-plan`` (before: the two stage-2 Soyuz crew ships undocked in the same
minute at every rotation, e.g. 2033-03-01 03:18 UTC); ``ros-51.6`` (no two operations closer
than the spacing: nothing moves; node and gateway, one launch, dock in one minute); the short
test scenario (tests/data/ops/ros-short.toml) with an uncrewed Soyuz for crew #1's port (as
Soyuz MS-14) and crew-ship relocation on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rossim.config.scenario import Visit, load_scenario
from rossim.config.systems import load_systems
from rossim.station import build_timeline

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"
GAP = dt.timedelta(hours=load_systems().logistics.traffic_spacing_h.value)


def _operations(tl) -> list[tuple[dt.datetime, str]]:
    """The plan's traffic operations: time and a key (a launch group's modules and a
    relocation's undock/dock pair are one operation each)."""
    ops = {}
    for e in tl.events:
        if e.field.startswith("initial["):
            continue
        key = (e.detail if e.part_kind == "module" and e.kind == "dock"
               else f"relocation {e.part}" if e.relocation else f"{e.kind} {e.part}")
        ops.setdefault((e.time, key), None)
    return sorted(ops)


def _too_close(tl) -> list:
    ops = _operations(tl)
    return [(a, b) for a, b in zip(ops, ops[1:], strict=False) if b[0] - a[0] < GAP]


def test_the_figure():
    fig = load_systems().logistics.traffic_spacing_h
    assert fig.value == 19 and fig.flag == "reported" and fig.source.startswith("iss-traffic")


def test_stage_two_crew_ships_leave_one_at_a_time():
    """ros-2026-plan: at each stage-2 rotation the second crew ship undocks the spacing after
    the first (was the same minute), its detail and a traffic_holds row saying why; no two
    traffic operations of the plan are closer than the spacing."""
    tl = build_timeline(load_scenario("ros-2026-plan"))
    assert not _too_close(tl)
    undock = {e.part: e for e in tl.events if e.kind == "undock"}
    first, second = undock["Soyuz crew, stage 2 #1"], undock["Soyuz crew, stage 2, second ship #1"]
    assert first.time == dt.datetime(2033, 3, 1, 3, 18, tzinfo=dt.UTC)
    assert second.time == first.time + GAP
    assert "held 19.0 h by the station's traffic: Soyuz crew, stage 2 #1 undocks " \
           "2033-03-01 03:18 UTC" in second.detail
    rows = [r for r in tl.traffic_holds if r["part"] == second.part]
    assert rows == [{"part": second.part, "event": "undock",
                     "planned": "2033-03-01T03:18:00+00:00",
                     "time": "2033-03-01T22:18:00+00:00", "held_h": 19.0,
                     "behind": "Soyuz crew, stage 2 #1 undocks 2033-03-01 03:18 UTC",
                     "spacing_h": 19.0}]
    n = sum(1 for r in tl.traffic_holds if r["part"].startswith("Soyuz crew, stage 2, second"))
    assert n == 6   # every stage-2 rotation inside the span


def test_reference_plan_keeps_the_spacing_as_planned():
    """ros-51.6: no two operations closer than the spacing, so nothing moves; the node and
    the gateway, carried by one launch, dock in one minute (one operation)."""
    tl = build_timeline(load_scenario("ros-51.6"))
    assert tl.traffic_holds == [] and not _too_close(tl)
    docks = {e.part: e.time for e in tl.events if e.kind == "dock"}
    assert docks["node"] == docks["gateway"]


def test_a_docking_waits_for_the_relocation_that_frees_its_port():
    """An uncrewed Soyuz planned for crew #1's port (gateway.forward) with relocation on: crew
    #1 moves to another port at the newcomer's planned docking, and the newcomer docks the
    spacing after that relocation (its lift-off kept: a longer phasing)."""
    sc = load_scenario(SHORT)
    b = Visit(name="Soyuz B", vehicle="soyuz-ms", port="gateway.forward", crew=0,
              launch=dt.datetime(2028, 7, 20, tzinfo=dt.UTC), duration_days=10)
    plain = build_timeline(sc.model_copy(update={"crew_visits": [b],
                                                 "relocate_crew_ships": True}))
    dock = next(e for e in plain.events if e.part == "Soyuz B" and e.kind == "dock")
    (move,) = plain.relocations
    assert move["ship"] == "Soyuz MS crew #1" and dock.time == move["time"] + GAP
    assert dock.launch + dt.timedelta(hours=3.3) == move["time"]   # where it was to dock
    row = next(r for r in plain.traffic_holds if r["part"] == "Soyuz B")
    assert row["behind"].startswith("the relocation of Soyuz MS crew #1 gateway.forward -> ")
    assert not _too_close(plain)


def test_without_the_figure_the_plan_is_the_plans_order(monkeypatch):
    """No ``logistics.traffic_spacing_h``: nothing is held (the stage-2 ships undock in one
    minute, as the file plans them)."""
    monkeypatch.setattr("rossim.station.assembly.spacing", lambda: dt.timedelta(0))
    tl = build_timeline(load_scenario("ros-2026-plan"))
    undock = {e.part: e.time for e in tl.events if e.kind == "undock"}
    assert tl.traffic_holds == []
    assert undock["Soyuz crew, stage 2 #1"] == undock["Soyuz crew, stage 2, second ship #1"]


@pytest.mark.parametrize("name", ["ros-97", "ros-iss-start"])
def test_every_shipped_plan_keeps_the_spacing(name):
    tl = build_timeline(load_scenario(name))
    assert not _too_close(tl)
    for r in tl.traffic_holds:
        assert r["held_h"] > 0 and dt.datetime.fromisoformat(r["time"]) > \
            dt.datetime.fromisoformat(r["planned"])
