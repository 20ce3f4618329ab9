"""Oxygen made aboard is not made from nothing: the generator splits stored water.

Reference (tolerances in the asserts): water electrolysis 2 H2O -> 2 H2 + O2; IUPAC standard
atomic weights H 1.008, O 15.999 give 2 x 18.015 g of water per 31.998 g of O2, 1.126 kg of
water per kg of oxygen (the ISS oxygen generators, Elektron on the Russian segment and the
US OGA, are water electrolysers: NASA BVAD, NASA/TP-2015-218570). Crew use per crew-day:
NASA BVAD 0.84 kg O2, 3.5 kg water (catalog systems.toml with its recovery fractions).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rossim.config.scenario import load_scenario
from rossim.config.systems import load_systems
from rossim.ops import Simulation

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"
WATER_PER_O2 = 2 * (2 * 1.008 + 15.999) / (2 * 15.999)   # 1.1260 kg/kg, stoichiometric


def test_catalog_electrolysis_ratio_is_stoichiometric():
    ls = load_systems().life_support
    assert ls.electrolysis_water_kg_per_kg_oxygen is not None
    assert ls.electrolysis_water_kg_per_kg_oxygen.value == pytest.approx(WATER_PER_O2,
                                                                           abs=5e-4)


def test_net_water_per_crew_day_includes_the_generators_water():
    ls = load_systems().life_support
    net = ls.net_kg_per_crew_day()
    made_o2 = 0.84 * ls.oxygen_generation_fraction.value
    assert net["oxygen"] == pytest.approx(0.84 - made_o2, rel=1e-12)
    assert net["water"] == pytest.approx(3.5 * (1 - ls.water_recovery.value)
                                         + made_o2 * WATER_PER_O2, rel=1e-3)


def test_run_draws_electrolysis_water_from_stores():
    sim = Simulation(load_scenario(SHORT))
    sim.advance_to("2028-07-10")  # crew of two aboard since early July
    assert sim.config.crew_aboard == 2
    before = dict(sim.consumables.stock)
    sim.advance_to("2028-07-20")
    ls = sim.systems.life_support
    used_water = before["water"] - sim.consumables.stock["water"]
    made_o2 = 2 * 10 * 0.84 * ls.oxygen_generation_fraction.value
    assert used_water == pytest.approx(2 * 10 * 3.5 * (1 - ls.water_recovery.value)
                                       + made_o2 * WATER_PER_O2, rel=1e-3)


def test_a_margin_that_keeps_falling_below_the_critical_level_is_a_critical_alarm():
    """The consumables-low warning came once, at the 45-day reserve, while the margin went
    on to 22 days (ros-2026-plan, 2033-02-14, 4 crew, a Progress slipped 23.6 days for its
    pad): below ``critical_reserve_days`` (half the reserve) it is critical, once per
    episode, its cause the stocks. ros-short without its Progress ships: the two crew of
    2028-07-01 eat the margin down through the reserve; with the critical level set to 41
    days here, through it too (the catalog's 22.5 days is not reached in a 30-day stay)."""
    systems = load_systems()
    ls = systems.life_support
    assert ls.critical_reserve_days.value == pytest.approx(ls.reserve_days.value / 2)
    systems = systems.model_copy(update={"life_support": ls.model_copy(update={
        "critical_reserve_days": ls.critical_reserve_days.model_copy(update={"value": 41.0})})})
    scen = load_scenario(SHORT)
    sim = Simulation(scen.model_copy(update={"cargo_series": []}), systems=systems)
    sim.advance_to("2028-07-30")
    cons = [a for a in sim.alarms if a["subject"] == "consumables"]
    assert [a["severity"] for a in cons] == ["warning", "critical"], cons
    assert "below 45 days" in cons[0]["detail"] and "below 41 days" in cons[1]["detail"]
    assert "45-day reserve not restored" in cons[1]["cause"]
    # raised where the margin crossed the level: with two crew aboard (the margin's own
    # crew) it falls one day per day, so 45 - 41 = 4 days after the warning (one engine step)
    gap_d = (cons[1]["time"] - cons[0]["time"]) / np.timedelta64(1, "D")
    assert gap_d == pytest.approx(45.0 - 41.0, abs=0.05)
