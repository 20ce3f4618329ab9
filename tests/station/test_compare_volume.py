"""`rossim describe A --diff B`: the completed station's pressurised volume is the modules'
own, like its mass, arrays and berths (it counted the ship docked on the completion day: the
reference plan and the 2026 plan, with the same pressurised modules, differed by a Soyuz)."""

from pathlib import Path

from rossim.config.scenario import load_scenario
from rossim.station.assembly import build_timeline
from rossim.station.compare import compare_plans, plan_facts

ROOT = Path(__file__).resolve().parents[2]


def _timeline(name: str):
    return build_timeline(load_scenario(ROOT / "scenarios" / f"{name}.toml"))


def test_completed_station_volume_is_the_modules_own():
    a = _timeline("ros-51.6")
    last = a.assembly_phases()[-1].index
    assert a.phases[last].index == last
    cfg = a.properties[last]
    assert cfg.n_vehicles > 0, "test setup: a ship is docked on the completion day"
    modules = [x.catalog_id for x in a.phases[last].attachments if x.kind == "module"]
    own = sum(a.catalog.modules[m].pressurised_volume_m3.value for m in modules)
    assert cfg.pressurised_volume_m3 > own + 1.0        # the configuration counts the ship
    assert plan_facts(a)["completed station: pressurised volume, m^3"] == f"{own:.0f}"


def test_same_pressurised_modules_same_volume():
    rows = {r["item"]: r for r in compare_plans(_timeline("ros-51.6"),
                                                _timeline("ros-2026-plan"))}
    row = rows["completed station: pressurised volume, m^3"]
    assert row["a"] == row["b"] == "629" and row["differs"] is False
