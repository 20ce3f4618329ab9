"""A crew ship brings its visit's provisions, not its whole cargo capacity as food.

Reference (tolerances in the asserts): NASA BVAD (NASA/TP-2015-218570) 1.8 kg packaged food
per crew-day, so a 2-person 30-day visit eats 108 kg of food; ISS food must stay
shelf-stable at least 18 months (Cooper, Douglas & Perchonok, J. Food Sci. 76(2), 2011:
``cooper-2011`` in docs/sources.md), 548 days in catalog systems.toml.
"""

from __future__ import annotations

import pytest

from rossim.config.systems import load_systems
from rossim.station.crew_cargo import crew_ship_manifest


def test_shelf_life_is_published_data():
    f = load_systems().life_support.food_shelf_life_days
    assert f is not None and f.flag == "published" and f.source.startswith("cooper-2011")
    assert f.value == pytest.approx(18 * 30.44, abs=2.0)


def test_a_two_person_visit_brings_its_food_not_half_the_ship():
    net = load_systems().life_support.net_kg_per_crew_day()
    full = {"water": 1e4, "food": 1e4}   # stocks above the reserve: the visit's use only
    m = crew_ship_manifest(500.0, 2, 30.0, net, full, 45.0)
    assert m["food"] == pytest.approx(2 * 30 * 1.8, abs=0.01)   # 108 kg, not 250 kg
    assert m["water"] == pytest.approx(60 * net["water"], rel=1e-9)
    assert sum(m.values()) < 500.0


def test_top_up_to_the_reserve_within_the_cargo_limit():
    net = load_systems().life_support.net_kg_per_crew_day()
    m = crew_ship_manifest(500.0, 2, 30.0, net, {"water": 0.0, "food": 0.0}, 45.0)
    assert sum(m.values()) == pytest.approx(500.0, abs=1e-6)       # capped at the cargo
    m = crew_ship_manifest(500.0, 2, 30.0, net, {"water": 1e4, "food": 100.0}, 45.0)
    assert m["food"] == pytest.approx(108.0 + 1.1 * 45 * 2 * 1.8 - 100.0, abs=0.01)
