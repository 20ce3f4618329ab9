"""The energy ledger (rossim.ops.power_ledger) and the margin it reports.

Checked: the ledger rebuilt from the battery integrator's own steps balances (generated =
served + curtailed + battery losses + stored change, to rounding) and the guard's checks fail
when a step stores more than its surplus, when a discharge does not cover its shortfall, when
the state of charge jumps between spans or leaves [0, 1]; in the short run summary.json carries
the margin per configuration against the published 20 kW per NEM (Bryukhanov 2015, systems.toml
``power.user_power_kw``) and the two power invariants hold.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from rossim.ops.power_ledger import EnergyLedger, margin_rows
from rossim.systems.power import battery_span

ETA_C, ETA_D = 0.92, 0.92


def _orbit_gen(n: int = 186, peak: float = 20.0) -> np.ndarray:
    """Two 93-min orbits of 60 s steps: 57 min of daylight, 36 min of eclipse."""
    one = np.r_[np.full(57, peak), np.zeros(36)]
    return np.tile(one, n // 93)


def _fed(cap=20.0, load=8.0, soc0=0.8):
    gen = _orbit_gen()
    soc, served, _deficit, stop, _why = battery_span(60.0, gen, load, cap, soc0, 1.0, ETA_C,
                                                      -1.0, 2.0, ETA_D)
    assert stop == len(gen)
    led = EnergyLedger(soc0)
    led.add(("nem1",), "2028-01-01T00:00Z", 60.0, gen, served, soc0, soc, cap, ETA_C, ETA_D,
            load, 1.5, 1.5, 20.0)
    return led, gen, served, soc


def test_ledger_of_the_integrator_balances():
    led, gen, served, soc = _fed()
    t = led.t
    assert t["generated"] == pytest.approx(gen.sum() / 60.0)
    assert t["curtailed"] > 0.0                     # the battery fills: arrays shunted
    assert t["losses"] == pytest.approx(t["into_battery"] * (1 - ETA_C)
                                        + t["from_battery"] * (1 / ETA_D - 1), rel=1e-9)
    assert t["generated"] == pytest.approx(t["served"] + t["curtailed"] + t["losses"]
                                           + t["stored_change"], abs=1e-9)
    checks = led.checks(1.0)
    assert checks["energy_ledger"][0] and checks["battery_soc_in_range"][0]
    assert led.imbalance_kwh() < 1e-9


def test_ledger_catches_energy_created_by_a_step():
    gen = _orbit_gen()
    soc, served, *_ = battery_span(60.0, gen, 8.0, 20.0, 0.5, 1.0, ETA_C, -1.0, 2.0, ETA_D)
    bad = soc.copy()
    bad[10:] += 0.05                                # a charging step stores 1 kWh from nowhere
    led = EnergyLedger(0.5)
    led.add(("nem1",), "t", 60.0, gen, served, 0.5, bad, 20.0, ETA_C, ETA_D, 8.0, 0, 0, 0)
    assert not led.checks(1.0)["energy_ledger"][0]


def test_ledger_catches_a_discharge_without_its_loss():
    gen = _orbit_gen()
    soc, served, *_ = battery_span(60.0, gen, 8.0, 20.0, 0.8, 1.0, ETA_C, -1.0, 2.0, 1.0)
    led = EnergyLedger(0.8)                          # integrated lossless, booked at 0.92
    led.add(("nem1",), "t", 60.0, gen, served, 0.8, soc, 20.0, ETA_C, ETA_D, 8.0, 0, 0, 0)
    ok, detail = led.checks(1.0)["energy_ledger"]
    assert not ok and "discharge residual" in detail


def test_ledger_catches_a_jump_between_spans_and_soc_out_of_range():
    led, gen, served, soc = _fed()
    led.add(("nem1",), "t", 60.0, gen[:3], served[:3], soc[-1] + 0.1, np.full(3, 1.2), 20.0,
            ETA_C, ETA_D, 8.0, 0, 0, 0)
    assert led.imbalance_kwh() > 1.0
    assert not led.checks(1.0)["battery_soc_in_range"][0]


def test_margin_rows_and_summary_of_the_short_run(short_run):
    s = json.loads((short_run / "summary.json").read_text())
    m = s["power_margin"]
    assert m["ledger"]["imbalance_kwh"] < 0.01
    rows = m["by_configuration"]
    assert [r["modules"][0] for r in rows] == ["nem1"] * len(rows) and len(rows) >= 2
    for r in rows:
        assert r["user_power_kw"] == 20.0             # NEM-1 attached, not NEM-2
        assert 0.0 <= r["served_kw"] <= r["demand_kw"] + 1e-9
        assert r["users_served_kw"] <= r["users_demand_kw"] + 1e-9
        assert r["users_margin_kw"] == pytest.approx(20.0 - r["users_served_kw"], abs=1e-3)
        # generation = served + curtailed + battery losses and stored change (< 1 kW)
        assert r["generation_kw"] == pytest.approx(r["served_kw"] + r["curtailed_kw"], abs=1.0)
    inv = s["invariants"]
    assert inv["energy_ledger"]["holds"] and inv["battery_soc_in_range"]["holds"]
    lines = margin_rows(m)
    assert len(lines) == len(rows) and "of 20 kW published" in lines[0][1]


def test_no_published_users_power_gives_no_margin_not_a_negative_one():
    # the ISS start's Russian segment before NEM-1: no module publishes users' power; the
    # console showed "users 2.1 of 0 kW published (margin -2.1 kW)" with 113 kW generated
    gen = _orbit_gen()
    soc, served, _deficit, _stop, _why = battery_span(60.0, gen, 8.0, 20.0, 0.8, 1.0, ETA_C,
                                                       -1.0, 2.0, ETA_D)
    led = EnergyLedger(0.8)
    led.add(("zvezda",), "2028-01-01T00:00Z", 60.0, gen, served, 0.8, soc, 20.0, ETA_C,
            ETA_D, 8.0, 2.1, 2.1, 0.0)
    row = led.summary()["by_configuration"][0]
    assert row["user_power_kw"] == 0.0 and row["users_margin_kw"] is None
    text = margin_rows(led.summary())[0][1]
    assert "users 2.1 kW (no users' power published" in text and "margin" not in text
