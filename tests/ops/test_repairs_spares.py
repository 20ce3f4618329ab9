"""Repairs, spares, failure acceleration and the availability spread (issue #13 item 5).

References (tolerances in the asserts):
- Alternating renewal process (O'Connor & Kleyner, *Practical Reliability Engineering*, 5th
  ed., ch. 6 "availability"): a single repairable unit with constant failure rate 1/MTBF and
  a repair time MTTR has the steady-state availability MTBF / (MTBF + MTTR). Checked: the mean
  over 60 seeds of the run's own availability within 4 standard errors (plus the start-up
  transient bound (1 - A) MTTR / T, the unit starts new).
- Failure count of a homogeneous Poisson process: pooled failures N over pooled up time U give
  the MTBF estimate U / N with relative standard error 1 / sqrt(N) (same reference, ch. 2):
  within 4 standard errors.
- Arrhenius temperature factor of MIL-HDBK-217F (Notice 2, 1995, sec. 5.8):
  pi_T = 0.1 exp(-Ea / k (1 / T - 1 / 298 K)); Ea 0.35 eV at 50 C gives 0.29 in the
  handbook's table (pi_T at 25 C = 0.10), a factor 2.9 against 25 C (to two digits).
- ISS spacewalks: about 6.5 h each (NASA ISS spacewalk record); Russian-segment EVAs are made
  by two crew; the CMG-1 gyrodyne was replaced on one 7 h 14 min spacewalk (STS-114).
- Woehler cycle life N ~ DoD^-k (Xu et al., IEEE Trans. Smart Grid 9 (2018) 1131).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

from rossim.config.scenario import load_scenario
from rossim.config.systems import load_systems
from rossim.ops.fdir import (
    ReliabilityRun,
    arrhenius_factor,
    availability,
    availability_spread,
    dod_factor,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "ops"


def _fig(f, value):
    return f.model_copy(update={"value": float(value)})


def _one_unit(mtbf_h: float, repair_h: float, **extra):
    """The systems catalog with one single-unit component on NEM-1's power set (robot
    repair, plenty of spares, constant failure rate)."""
    s = load_systems()
    base = s.component_by_id("array-drive")
    comp = base.model_copy(update={
        "id": "test-unit", "units": 1, "min_units": 1, "mtbf_h": _fig(base.mtbf_h, mtbf_h),
        "repair_h": _fig(base.repair_h, repair_h), "weibull_shape": None,
        "common_cause_beta": None, "initial_spares": _fig(base.initial_spares, 10_000),
        **extra})
    return s.model_copy(update={"component": [comp]})


def _tiny():
    sc = load_scenario(DATA / "ros-tiny.toml")
    return sc.model_copy(update={"operations": sc.operations.model_copy(
        update={"random_faults": True})})


def _arrival(run):
    return next(e.time for e in run.timeline.events if e.part == "nem1" and e.kind == "dock")


def test_single_unit_steady_state_availability_is_mtbf_over_mtbf_plus_mttr():
    mtbf, mttr = 40.0, 8.0
    systems = _one_unit(mtbf, mttr)
    sc = _tiny()
    vals, span_h = [], None
    for seed in range(60):
        run = ReliabilityRun(sc, seed, systems=systems)
        faults = run.run()
        t0, t1 = _arrival(run), run.span()[1]
        span_h = (t1 - t0).total_seconds() / 3600
        vals.append(availability(faults, t0, t1))
        assert all(f.repaired_by == "robot" for f in faults if f.repaired_at)
    a = np.array(vals)
    expected = mtbf / (mtbf + mttr)
    sem = a.std(ddof=1) / math.sqrt(len(a))
    transient = (1 - expected) * mttr / span_h
    assert abs(a.mean() - expected) <= 4 * sem + transient, (a.mean(), expected, sem)


def test_single_unit_reproduces_its_mtbf_from_the_run_record_over_many_seeds():
    mtbf = 100.0
    systems = _one_unit(mtbf, 0.5)
    sc = _tiny()
    n, up_h = 0, 0.0
    for seed in range(40):
        run = ReliabilityRun(sc, seed, systems=systems)
        faults = run.run()
        t0, t1 = _arrival(run), run.span()[1]
        down = sum(((f.repaired_at or t1) - f.failed_at).total_seconds() for f in faults)
        up_h += ((t1 - t0).total_seconds() - down) / 3600
        n += len(faults)
    assert n > 500
    assert up_h / n == pytest.approx(mtbf, rel=4 / math.sqrt(n))


def test_availability_spread_is_stated_with_its_percentiles_and_is_deterministic():
    sc = load_scenario("ros-51.6")
    a = availability_spread(sc, 12)
    b = availability_spread(sc, 12)
    assert a == b
    assert a["n"] == 12 and len(a["per_seed"]) == 12
    assert 0.0 < a["availability_p5"] <= a["availability_p50"] <= a["availability_p95"] <= 1.0
    assert a["availability_p95"] - a["availability_p5"] > 0  # a spread, not one draw


def test_a_unit_without_a_spare_waits_for_the_next_cargo_ship_that_brings_one():
    s = load_systems()
    comps = [c.model_copy(update={"initial_spares": _fig(c.initial_spares, 0),
                                  "mtbf_h": _fig(c.mtbf_h, c.mtbf_h.value / 3)})
             if c.id == "coolant-pump" else c for c in s.component]
    systems = s.model_copy(update={"component": comps})
    sc = load_scenario("ros-51.6")
    run = ReliabilityRun(sc, 3, systems=systems)
    faults = [f for f in run.run() if f.component == "coolant-pump" and f.detected_at]
    assert faults
    docks = {e.part: e.time for e in run.timeline.events if e.kind == "dock"}
    kind = {e.part: e.catalog_id for e in run.timeline.events if e.kind == "dock"}
    for fl in run.cargo_callup.flights:  # ships called up for a spare (rossim.ops.cargo_callup)
        docks[fl["name"]] = dt.datetime.fromisoformat(fl["arrival"].replace("Z", "+00:00"))
        kind[fl["name"]] = fl["vehicle"]
    sp = run.reliability.spares
    for f in faults:
        if f.spare_from:
            assert f.spare_from in docks  # a ship, never "aboard": the stock started empty
            assert docks[f.spare_from] >= f.detected_at
            assert run.timeline.catalog.vehicles[kind[f.spare_from]].kind == "cargo"
            assert f.waited_for_spare_h == pytest.approx(
                (docks[f.spare_from] - f.detected_at).total_seconds() / 3600, abs=1e-6)
            task = next(t for t in run.scheduler.tasks if t.fault_id == f.id)
            assert task.ready >= docks[f.spare_from] and task.by == "crew"
        else:
            assert any(g is f for g, _c in sp.waiting)
    assert sp.balance() == 0
    assert sp.ledger["coolant-pump"]["used"] == sum(1 for f in faults if f.spare_from)
    assert any(e["kind"] == "spare-waiting" for e in run.events)


def test_spacewalk_repairs_need_two_crew_preparation_and_take_the_iss_eva_time():
    s = load_systems()
    rel = s.reliability
    assert rel.eva_h.value == pytest.approx(6.5, abs=0.1) and rel.eva_min_crew.value == 2
    comps = [c.model_copy(update={"mtbf_h": _fig(c.mtbf_h, 8000)})
             if c.id == "transponder" else c for c in s.component]
    systems = s.model_copy(update={"component": comps})
    sc = load_scenario("ros-51.6")
    run = ReliabilityRun(sc, 5, systems=systems)
    run.run()
    evas = [t for t in run.scheduler.tasks if t.by == "EVA" and t.start]
    assert evas
    for t in evas:
        cfg = run.timeline.at(t.start)
        assert cfg.crew_aboard >= 2
        assert run.timeline.at(t.end - (t.end - t.start) / 1e6).crew_aboard >= 2
        assert (t.start - t.ready).total_seconds() >= 0
        assert t.eva_h == pytest.approx(6.5)
        assert t.duration_h == pytest.approx(rel.eva_prep_days.value * 24 + 6.5)
        assert "EVA" in t.source
    done = run.reliability.result().figures()
    assert done["eva_hours"] == pytest.approx(6.5 * done["repairs_by_eva"])
    assert any(e["kind"] == "repair-booked" and "EVA" in e["detail"] for e in run.events)


def test_robot_repairs_take_12_h_in_automatic_mode_one_task_at_a_time():
    s = load_systems()
    assert s.component_by_id("gyrodyne").repairer == "robot"
    assert s.component_by_id("gyrodyne").repair_h.value == pytest.approx(12.0)
    comps = [c.model_copy(update={"mtbf_h": _fig(c.mtbf_h, 5000)})
             if c.id == "gyrodyne" else c for c in s.component]
    run = ReliabilityRun(load_scenario("ros-51.6"), 2,
                         systems=s.model_copy(update={"component": comps}))
    run.run()
    robot = sorted((t for t in run.scheduler.tasks if t.by == "robot" and t.start),
                   key=lambda t: t.start)
    gyro = [t for t in robot if t.fault_id and t.duration_h == 12.0]
    assert gyro
    for t in robot:
        assert run.timeline.at(t.start).crew_aboard == 0
    for a, b in zip(robot, robot[1:], strict=False):
        assert a.end <= b.start


def test_arrhenius_factor_matches_mil_hdbk_217f_table():
    # pi_T(50 C) / pi_T(25 C) = 0.29 / 0.10 for Ea = 0.35 eV (handbook table, two digits)
    assert arrhenius_factor(50.0, 0.35, 25.0) == pytest.approx(2.9, abs=0.05)
    assert arrhenius_factor(25.0, 0.35, 25.0) == pytest.approx(1.0)
    assert arrhenius_factor(0.0, 0.35, 25.0) < 1.0


def test_a_hot_module_fails_its_units_sooner_by_the_arrhenius_factor():
    """A stand-in for the thermal model (``module_temperature_c``) at 60 C: the pooled MTBF
    estimate of an Ea = 0.35 eV unit falls by the Arrhenius factor."""
    s = load_systems()
    ea = s.component_by_id("computer").activation_energy_ev
    assert ea is not None
    systems = _one_unit(200.0, 0.5, activation_energy_ev=ea)
    sc = _tiny()
    af = arrhenius_factor(60.0, ea.value, s.reliability.reference_temperature_c.value)
    for temp, factor in ((None, 1.0), (60.0, af)):
        n, up_h = 0, 0.0
        for seed in range(30):
            run = ReliabilityRun(sc, seed, systems=systems,
                                 temperature_c=lambda m, t=temp: t)
            faults = run.run()
            t0, t1 = _arrival(run), run.span()[1]
            down = sum(((f.repaired_at or t1) - f.failed_at).total_seconds() for f in faults)
            up_h += ((t1 - t0).total_seconds() - down) / 3600
            n += len(faults)
        assert up_h / n == pytest.approx(200.0 / factor, rel=4 / math.sqrt(n)), temp


def test_battery_failure_rate_follows_the_depth_of_discharge():
    rel = load_systems().reliability
    ref, k = rel.battery_reference_dod.value, rel.battery_dod_exponent.value
    assert dod_factor(ref, ref, k) == pytest.approx(1.0)
    assert dod_factor(0.35, ref, k) == pytest.approx((0.35 / ref) ** k)
    assert dod_factor(0.35, ref, k) > 2.0 > 1.0 > dod_factor(0.10, ref, k)


def test_recent_dod_reads_the_power_models_state_of_charge():
    from types import SimpleNamespace

    run = ReliabilityRun(_tiny(), 1, systems=_one_unit(1e6, 1.0))
    run.engine.now_s = 30 * 86400
    t = np.arange(0, 30 * 86400, 600.0)
    phase = (np.arange(t.size) % 9) / 8.0               # one 90-minute orbit = 9 bins
    soc = 1.0 - 0.3 * np.sin(np.pi * phase)
    run.power = SimpleNamespace(bins={"t_s": [t], "soc_min": [soc], "soc_max": [soc]})
    assert run.reliability.recent_dod() == pytest.approx(0.3, abs=0.01)
    comp = load_systems().component_by_id("battery-string")
    rel = load_systems().reliability
    assert run.reliability.acceleration(comp, "nem1") == pytest.approx(
        dod_factor(0.3, rel.battery_reference_dod.value, rel.battery_dod_exponent.value),
        rel=0.05)


def test_run_archive_and_summary_carry_spares_evas_and_the_availability_spread(short_run):
    import json

    import duckdb

    summary = json.loads((short_run / "summary.json").read_text())
    spread = summary["availability_spread"]
    assert spread["n"] >= 20
    assert spread["availability_p5"] <= spread["availability_p50"] <= spread["availability_p95"]
    for key in ("repairs_by_robot", "repairs_by_crew", "repairs_by_eva", "eva_count",
                "eva_hours", "faults_waited_for_spare"):
        assert key in summary
    assert summary["eva_hours"] == pytest.approx(6.5 * summary["eva_count"])
    for cid, led in summary["spares"].items():
        assert led["start"] + led["delivered"] - led["used"] == led["end"], cid
    con = duckdb.connect(str(short_run / "archive.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT component, count(*), min(stock), max(stock) "
                           "FROM spares_daily GROUP BY component ORDER BY component").fetchall()
        days = con.execute("SELECT count(*) FROM telemetry_daily").fetchone()[0]
        last = dict(con.execute("SELECT component, stock FROM spares_daily WHERE time = "
                                "(SELECT max(time) FROM spares_daily)").fetchall())
        soc = con.execute("SELECT soc_min, soc_max FROM telemetry_power ORDER BY time"
                          ).fetchnumpy()
    finally:
        con.close()
    # the spread's batteries age at the run's own cycling depth
    from rossim.ops.fdir import mean_orbit_dod

    assert spread["battery_dod"] == pytest.approx(
        mean_orbit_dod(soc["soc_min"], soc["soc_max"]), abs=1e-4)
    assert {r[0] for r in rows} == set(summary["spares"])
    assert all(abs(r[1] - days) <= 1 and r[2] >= 0 for r in rows)
    assert {k: int(v) for k, v in last.items()} == {k: v["end"] for k, v in
                                                   summary["spares"].items()}
