"""Free drift (rossim.ops.free_drift): with every control computer failed nothing can fire
the thrusters or point the arrays. Reference: Salyut 7 (1985, ros-facts "uncrewed power
loss"): a station left uncontrolled by a failure lost its power until a crew repaired it; the
drifting arrays' output from the geometry of an isotropically oriented flat array (1/4 of the
Sun-pointed output: Cauchy's mean projected area of a convex body = surface / 4).

Scenario: tests/data/ops/ros-short.toml (stage 1, uncrewed between visits) with the three
computers failed on 2028-10-01; the next crew docks about 2028-12-30 with the two spares aboard.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rossim.config.free_drift import load_free_drift
from rossim.config.scenario import load_scenario
from rossim.ops.commands import Reboost
from rossim.ops.simulation import Simulation

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"
FAIL_AT = "2028-10-01T00:00:00"


def _drifting_station() -> Simulation:
    """The short scenario without random faults, its three computers failed at FAIL_AT, one
    day later."""
    scen = load_scenario(SHORT)
    scen = scen.model_copy(update={"operations": scen.operations.model_copy(
        update={"random_faults": False})})
    sim = Simulation(scen)
    sim.advance_to(FAIL_AT)
    comp = sim.systems.component_by_id("computer")
    for unit in range(comp.units):
        sim.reliability.fail(comp, "station", unit, True)
    sim.advance_to("2028-10-02")
    return sim


def test_drift_fraction_is_the_isotropic_average_of_a_one_sided_flat_array():
    rng = np.random.default_rng(1)
    n = rng.standard_normal((400_000, 3))
    n /= np.linalg.norm(n, axis=1)[:, None]
    mc = float(np.clip(n[:, 2], 0.0, None).mean())     # mean of max(0, n.s), s = z
    assert abs(mc - 0.25) < 0.002                         # Cauchy: 1/4
    fig = load_free_drift().array_output_fraction
    assert abs(fig.value - mc) < 0.002 and fig.flag == "estimate"


def test_no_working_computer_means_free_drift_until_a_crew_repairs_one():
    sim = _drifting_station()
    faults = [f for f in sim.reliability.faults if f.component == "computer"]
    assert len(faults) == 3 and all(f.detected_at for f in faults)
    # the response names the drift, not "attitude on thrusters"
    assert "free drift" in faults[-1].response and "thrusters" not in faults[-1].response.split(
        "no thruster")[0]
    crit = [a for a in sim.alarms if a["subject"] == "attitude" and a["severity"] == "critical"]
    assert crit and "computer" in crit[0]["cause"]
    assert sim.state.safe_mode

    # no attitude propellant for a month of drift (safe mode alone would burn 8 kg/day/100 t)
    kg0 = sim.orbit.ledger["burned_attitude_kg"]
    sim.advance_to("2028-11-01")
    assert sim.orbit.ledger["burned_attitude_kg"] == kg0
    # no reboost (even the ground's) and no debris-avoidance manoeuvre: refused with the cause
    res = sim.command(Reboost(delta_v_m_s=1.0, source="ground"))
    assert not res.accepted and "control computer" in res.reason
    n_man = len(sim.orbit.manoeuvres)
    sim._debris_avoidance()
    assert len(sim.orbit.manoeuvres) == n_man
    refused = {a["detail"].split(" refused")[0] for a in sim.alarms if "refused: no working "
               "control computer" in a["detail"]}
    assert {"reboost", "debris avoidance"} <= refused
    assert all(c != "debris_avoidance" or t < np.datetime64(FAIL_AT)
               for t, c, *_ in sim.orbit.manoeuvres)
    cap_kw = sim.power.generation_capacity_kw(sim, sim.engine.now_s)

    sim.advance_to_end()
    out = sim.finish()
    ended = [e for e in out.events if e["detail"].startswith("free drift ended")]
    assert len(ended) == 1                    # a crew repaired a computer with a spare aboard
    fixed = [f for f in out.fdir.faults if f.component == "computer" and f.repaired_at]
    assert fixed and fixed[0].repaired_by == "crew"
    t_end = np.datetime64(min(f.repaired_at for f in fixed).replace(tzinfo=None), "us")
    assert t_end > np.datetime64("2028-12-01")
    # generation while drifting: 1/4 of the Sun-pointed output in sunlight (1 AU +-3.5 %)
    p = out.power
    win = (p.epochs >= np.datetime64("2028-10-02")) & (p.epochs < np.datetime64("2028-11-01"))
    lit = p.sunlit_fraction[win]
    ratio = p.generation_kw[win].sum() / (cap_kw * lit.sum())
    assert 0.25 * 0.96 < ratio < 0.25 * 1.05, ratio
    # after the repair attitude is held again and the ledger balances
    after = (p.epochs > t_end + np.timedelta64(2, "D")) & (p.sunlit_fraction > 0.99)
    assert after.any() and (p.generation_kw[after] / cap_kw).mean() > 0.6
    assert abs(sim.orbit.ledger_balance_kg()) < 1e-6
    bad = [k for k, v in out.summary["invariants"].items() if not v["holds"]]
    assert not bad, bad


def test_another_fault_during_the_drift_is_not_named_its_cause():
    """Campaign run 103 (stop 25): the transponders failing while the station already drifted
    raised "free drift from fault #16 transponder: 0 working transponder units: nothing
    commands the gyrodynes" - the drift's cause is the computers, whatever fails next."""
    sim = _drifting_station()
    xpdr = sim.systems.component_by_id("transponder")
    for unit in range(xpdr.units):
        sim.reliability.fail(xpdr, "station", unit, True)
    sim.advance_to("2028-10-03")
    drift = [a for a in sim.alarms if a["subject"] == "attitude"]
    assert len(drift) == 1 and "computer" in drift[0]["cause"], drift
    last = [f for f in sim.reliability.faults if f.component == "transponder"][-1]
    assert last.response.startswith("safe mode") and "already drifts" in last.response


def test_a_repair_crew_figure_out_of_range_is_a_clear_error(tmp_path, monkeypatch):
    """A catalog stay of 0 or over a year (a visit's limit) names the field and what was
    expected, before any run starts, instead of failing a docking halfway through a run."""
    import shutil

    import rossim.config.free_drift as fd
    from rossim.config.catalog import catalog_dir
    from rossim.errors import InputError

    cat = tmp_path / "catalog"
    shutil.copytree(catalog_dir(), cat)
    path = cat / "free_drift.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("repair_crew_min_stay_days = { value = 8,",
                                 "repair_crew_min_stay_days = { value = 400,"), encoding="utf-8")
    monkeypatch.setattr(fd, "catalog_dir", lambda: cat)
    fd.load_free_drift.cache_clear()
    try:
        with pytest.raises(InputError) as err:
            fd.load_free_drift()
        assert "repair_crew_min_stay_days" in str(err.value) and "400" in str(err.value)
    finally:
        fd.load_free_drift.cache_clear()
