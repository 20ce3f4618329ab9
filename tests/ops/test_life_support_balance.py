"""Oxygen made aboard is not made from nothing: the generator splits stored water.

Reference (tolerances in the asserts): water electrolysis 2 H2O -> 2 H2 + O2; IUPAC standard
atomic weights H 1.008, O 15.999 give 2 x 18.015 g of water per 31.998 g of O2, 1.126 kg of
water per kg of oxygen (the ISS oxygen generators, Elektron on the Russian segment and the
US OGA, are water electrolysers: NASA BVAD, NASA/TP-2015-218570). Crew use per crew-day:
NASA BVAD 0.84 kg O2, 3.5 kg water (catalog systems.toml with its recovery fractions).
"""

from __future__ import annotations

from pathlib import Path

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
