"""Cargo by demand (rossim.station.logistics), crew-expedition length, ship relocations.

External figures: tests/data/crew/eva_reference.csv (origins in its header): Progress MS
capacity and the ISS Russian segment's Progress cadence."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from rossim.config.catalog import load_catalog
from rossim.config.scenario import load_scenario
from rossim.config.systems import load_systems
from rossim.errors import InputError
from rossim.station import build_timeline
from rossim.station.logistics import plan_cargo

REF = Path(__file__).resolve().parents[1] / "data" / "crew" / "eva_reference.csv"


def ref(name: str) -> float:
    rows = [r for r in csv.DictReader(ln for ln in REF.open(encoding="utf-8")
                                      if not ln.startswith("#"))]
    return float(next(r["value"] for r in rows if r["quantity"] == name))


def _edit(tmp_path, old: str, new: str, name: str = "ros-51.6") -> Path:
    from rossim.config.scenario import scenario_path

    text = scenario_path(name).read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "s.toml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


@pytest.mark.parametrize("days", [20, 300])
def test_crew_expedition_length_refused_outside_30d_9months(tmp_path, days):
    p = _edit(tmp_path, "duration_days = 30\ncrew = 2                      # stage 1",
              f"duration_days = {days}\ncrew = 2                      # stage 1")
    with pytest.raises(InputError) as e:
        load_scenario(p)
    msg = str(e.value)
    assert "crew_series[0].duration_days" in msg and str(days) in msg and "274" in msg


@pytest.fixture(scope="module")
def plan51():
    s = load_scenario("ros-51.6")
    return s, plan_cargo(s, load_catalog(), load_systems())


def test_demand_plan_fewer_flights_than_iss_cadence(plan51):
    s, plan = plan51
    # the fixed series it replaces: a Progress every 120 days in two windows (21 ships)
    assert 4 <= len(plan.flights) < 21
    assert s.cargo_demand and not s.cargo_series


def test_demand_manifests_within_vehicle_and_stowage(plan51):
    s, plan = plan51
    cat = load_catalog()
    veh = cat.vehicles["progress-ms"]
    cap = ref("progress_ms_cargo_kg")
    for f, v in zip(plan.flights, plan.visits, strict=True):
        m = f["manifest_kg"]
        assert all(x >= 0 for x in m.values())
        assert m["water"] <= veh.water_kg.value + 1e-6
        assert m["oxygen"] <= veh.oxygen_kg.value + 1e-6
        assert m["propellant"] <= veh.station_propellant_kg.value + 1e-6
        assert sum(m.values()) <= cap + 1e-6          # never above Progress MS's payload
        stowed = m["water"] + m["food"] + m["oxygen"] + m["spares"]
        assert stowed <= f["stowage_room_kg"] + 1e-6  # never more than the stowage takes
        assert v.water_kg == pytest.approx(m["water"], abs=0.1)
    launches = [v.launch for v in plan.visits]
    for e in s.cargo_demand:
        mine = [v.launch for v in plan.visits if v.port == e.port]
        assert all(e.first_launch <= t <= e.until for t in mine)
        assert all((b - a).days >= e.min_interval_days for a, b in zip(mine, mine[1:], strict=False))
    assert launches == sorted(launches)
    assert all(v >= -1e-9 for v in plan.end_stock_kg.values())


def test_demand_timeline_builds_and_keeps_ports(plan51):
    s, plan = plan51
    tl = build_timeline(s)
    assert tl.cargo_plan is not None and len(tl.cargo_plan.flights) == len(plan.flights)
    assert not tl.scenario.cargo_demand  # resolved into explicit visits
    names = {e.part for e in tl.events if e.kind == "dock" and e.part_kind == "vehicle"}
    assert all(v.name in names for v in plan.visits)
    for c in tl.properties:
        assert c.crew_aboard <= c.crew_capacity


def test_series_still_flies_a_fixed_cadence(tmp_path):
    """Back-compatible: a scenario with [[cargo_series]] and no [[cargo_demand]] flies the
    fixed cadence."""
    from rossim.config.scenario import scenario_path

    text = scenario_path("ros-51.6").read_text(encoding="utf-8")
    start = text.index("[[cargo_demand]]")
    end = text.index("# ---- Free-flyer family")
    series = ('[[cargo_series]]\nname = "Progress MS"\nvehicle = "progress-ms"\n'
              'first_launch = 2028-08-15\nevery_days = 120\nuntil = 2031-02-28\n'
              'port = "node.starboard"\nduration_days = 110\n\n')
    p = tmp_path / "series.toml"
    p.write_text(text[:start] + series + text[end:], encoding="utf-8")
    tl = build_timeline(load_scenario(p))
    assert tl.cargo_plan is None
    cargo = [e for e in tl.events if e.kind == "dock" and e.catalog_id == "progress-ms"]
    assert len(cargo) == 8  # 2028-08-15 .. 2031-02-28 every 120 days


def test_continuous_crew_cadence_against_iss_russian_segment(tmp_path):
    """Three crew aboard all the time (two 182.5-day expeditions a year, handed over with a
    relocation): the planner's Progress flights per year against the ISS Russian segment's
    ~3.75 a year, within a factor of 2."""
    p = _edit(tmp_path, "every_days = 182.5\nuntil = 2032-12-31\nport = \"core.forward\"\n"
              "duration_days = 30\ncrew = 2",
              "every_days = 180\nuntil = 2032-12-31\nport = \"core.forward\"\n"
              "duration_days = 183\ncrew = 2")
    s = load_scenario(p)
    tl = build_timeline(s)
    plan = tl.cargo_plan
    t0, t1 = dt.datetime(2031, 7, 15, tzinfo=dt.UTC), dt.datetime(2032, 12, 31, tzinfo=dt.UTC)
    n = sum(1 for v in plan.visits if t0 <= v.launch <= t1)
    per_year = n / ((t1 - t0).days / 365.25)
    iss = ref("iss_rs_progress_per_year")
    assert iss / 2 <= per_year <= iss * 2, per_year
    # the handovers: each new Orel arrives at core.forward while the previous one is there
    assert tl.relocations, "a docked crew ship moves to free core.forward"
    for r in tl.relocations:
        assert r["from"] == "core.forward" and r["to"] != "core.forward"
    for c in tl.properties:
        assert c.crew_aboard <= c.crew_capacity


def test_relocation_off_refuses_the_occupied_port(tmp_path):
    p = _edit(tmp_path, "duration_days = 30\ncrew = 2\n\n[[crew_series]]\nname = \"Orel crew, stage 2\"",
              "duration_days = 200\ncrew = 2\n\n[[crew_series]]\nname = \"Orel crew, stage 2\"")
    text = p.read_text(encoding="utf-8").replace("relocate_crew_ships = true", "relocate_crew_ships = false")
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="already occupied"):
        build_timeline(load_scenario(p))


def test_stock_check_kernel_is_the_day_by_day_forecast():
    """The planner's daily stock check (compiled, stopping at the first short day) against
    the forecast it replaces, written out with numpy: the stock less the running sum of the
    use from tomorrow, below the reserve of any day from today. Random stocks, uses and
    reserves, with stocks set exactly on a day's margin (equality is not short)."""
    from rossim.station.logistics import _short

    rng = np.random.default_rng(35)
    for _ in range(400):
        n = int(rng.integers(2, 60))
        use, crew_use = rng.uniform(0, 10, n), rng.uniform(0, 2, n)
        reserve = rng.uniform(0, 50, n)
        k = int(rng.integers(0, n - 1))
        k1 = int(rng.integers(k + 1, n + 1))
        scale = float(rng.choice([1.0, 3.0, 45.0]))
        fut0 = np.concatenate(([0.0], np.cumsum(use[k + 1:k1] - crew_use[k + 1:k1])))
        edge = reserve[k:k1] * scale + fut0       # each day's stock exactly at its margin
        for stock in (*rng.uniform(0, 2000, 3), *edge[:2], edge.max(), edge.max() - 1e-9):
            want = bool(np.any(stock - fut0 < reserve[k:k1] * scale))
            assert _short(stock, use, crew_use, reserve, k, k1, scale) is want


def test_reboost_reserves_burn_the_leaving_ship_first_and_cover_without_change():
    from rossim.station.reboost_reserves import ReboostReserves

    res = ReboostReserves(500.0, np.full(100, 4.0))      # 4 kg/day of drag make-up
    res.plan("a", 0, 60)
    res.plan("b", 10, 30)                                 # leaves first: burned first
    assert res.cover_kg(0, 100) == pytest.approx(4.0 * 61)   # a alone after day 30 ...
    assert res.ships["a"][2] == 500.0                     # ... and nothing drawn by a look
    for day in range(15):
        res.burn_day(day)
    assert res.ships["b"][2] == pytest.approx(500.0 - 5 * 4.0)
    assert res.ships["a"][2] == pytest.approx(500.0 - 10 * 4.0)
    res.leave("a", 20)
    assert res.burn_day(25) == 4.0 and res.burn_day(40) == 0.0   # nobody aboard on day 40


def test_demand_propellant_counts_the_docked_progress_reserves():
    """ros-97: the run burns each docked Progress's 500 kg reboost reserve first; a plan
    blind to it loaded 0.7-0.9 t on ships that found the tanks within 0.25 t of full (5.3 t
    not transferred over the run). With the reserves in the forecast the planned propellant
    falls, and no ship's manifest exceeds what the blind plan gave."""
    cat, systems = load_catalog(), load_systems()
    scen = load_scenario("ros-97")
    plan = plan_cargo(scen, cat, systems)
    blind_prop = systems.propulsion.model_copy(update={
        "progress_reboost_kg": systems.propulsion.progress_reboost_kg.model_copy(
            update={"value": 0.0})})
    blind = plan_cargo(scen, cat, systems.model_copy(update={"propulsion": blind_prop}))
    with_res = sum(f["manifest_kg"]["propellant"] for f in plan.flights)
    without = sum(f["manifest_kg"]["propellant"] for f in blind.flights)
    assert without > 2000.0 and with_res < 0.5 * without, (with_res, without)
