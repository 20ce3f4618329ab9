"""The users' load (experiments) as a scenario parameter, ``[power]`` (rossim.config.power_loads).

No published ROS payload power allocation was found (ros-facts.md, seeds, the shared
references): the catalog keeps its estimates (systems.toml ``power.experiments_kw_crewed`` 3.0
kW, ``experiments_kw_automatic`` 1.5 kW) and a scenario may set its own. Checked: a bad value
is refused naming the field, the value and the range; the value reaches the power and thermal
models and the pre-flight balance; a load whose heat is more than a module's pumped loop
carries (``thermal.loop_capacity_kw``, estimates: 1 kW node and gateway, NEM-1 22 kW sized for
its published 20 kW of users) raises the thermal alarm instead of passing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rossim.config.catalog import load_catalog
from rossim.config.power_loads import MAX_EXPERIMENTS_KW, with_power_loads
from rossim.config.scenario import load_scenario
from rossim.config.systems import load_systems
from rossim.errors import InputError
from rossim.ops.preflight import phase_power_balance
from rossim.ops.simulation import simulate
from rossim.ops.thermal import module_dissipation_w, module_nodes
from rossim.station import build_timeline

DATA = Path(__file__).resolve().parents[1] / "data" / "ops"


def _with_power(tmp_path, body: str) -> Path:
    src = (DATA / "ros-short.toml").read_text()
    assert "[operations]" in src
    p = tmp_path / "loads.toml"
    p.write_text(src.replace("[operations]", f"[power]\n{body}\n\n[operations]", 1))
    return p


@pytest.mark.parametrize("body, field, value", [
    ("experiments_kw_crewed = -1.0", "power.experiments_kw_crewed", "-1.0"),
    (f"experiments_kw_automatic = {MAX_EXPERIMENTS_KW + 1}", "power.experiments_kw_automatic",
     f"{MAX_EXPERIMENTS_KW + 1}"),
    ('experiments_kw_crewed = "lots"', "power.experiments_kw_crewed", "lots"),
])
def test_bad_experiments_load_names_field_value_and_range(tmp_path, body, field, value):
    with pytest.raises(InputError) as e:
        load_scenario(_with_power(tmp_path, body))
    msg = str(e.value)
    assert field in msg and value in msg and "expected" in msg


def test_default_keeps_the_catalog_estimates():
    sys0 = load_systems()
    assert with_power_loads(sys0, load_scenario("ros-51.6")) is sys0
    assert sys0.power.experiments_kw_crewed.flag == "estimate"


def test_scenario_load_reaches_the_preflight_balance(tmp_path):
    sc0 = load_scenario(DATA / "ros-short.toml")
    sc = load_scenario(_with_power(tmp_path, "experiments_kw_crewed = 6.0"))
    sys_ = with_power_loads(load_systems(), sc)
    assert sys_.power.experiments_kw_crewed.value == 6.0
    assert "scenario" in sys_.power.experiments_kw_crewed.source
    assert sys_.power.experiments_kw_automatic.value == \
        load_systems().power.experiments_kw_automatic.value
    rows0 = phase_power_balance(sc0, build_timeline(sc0), load_systems())
    rows = phase_power_balance(sc, build_timeline(sc), load_systems())
    assert any(r["crew"] > 0 for r in rows0) and any(r["crew"] == 0 for r in rows0)
    for r, r0 in zip(rows, rows0, strict=True):
        # 6.0 - 3.0 kW more while crewed, none between crews; heaters may drop a little
        # where the extra dissipation warms a module (0.3 kW)
        extra = r["demand_kw"] - r0["demand_kw"]
        assert extra == pytest.approx(3.0 if r["crew"] > 0 else 0.0, abs=0.3), r["start"]


def test_more_heat_than_the_loop_carries_raises_the_thermal_alarm(tmp_path):
    sc = load_scenario(_with_power(tmp_path, "experiments_kw_crewed = 10.0"))
    sys_ = with_power_loads(load_systems(), sc)
    cat, th = load_catalog(), sys_.thermal
    present = ["nem1", "node", "gateway"]
    q = module_dissipation_w(sys_.power, th, module_nodes(cat, th, present), present, crew=2)
    # the experiments' heat is shared by volume: NEM-1's 22 kW loop carries its share, the
    # gateway's and node's 1 kW loops do not
    assert q["nem1"] / 1e3 < th.per_module(th.loop_capacity_kw, "nem1")
    over = {m for m in present if q[m] / 1e3 > th.per_module(th.loop_capacity_kw, m)}
    assert over, q
    run = simulate(sc)
    hot = [a for a in run.alarms if a["subject"] == "thermal" and "above" in a["detail"]]
    assert hot, "10 kW of experiments passed without a thermal alarm"
    alarmed = {a["detail"].split()[0] for a in hot}
    assert alarmed & over, (over, alarmed)    # a module whose loop it overflows
    assert "nem1" not in alarmed, alarmed      # NEM-1 is sized for 20 kW of users
    assert any("kW dissipated inside" in a["cause"] for a in hot)
    assert run.summary["thermal"]["radiator_saturated_module_hours"] > 1000.0
