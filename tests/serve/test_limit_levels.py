"""Limits with the engine's meaning (newcomer review): a module's temperature channel carried
the crewed band 18.3-26.7 degC at all times, so an uncrewed module's history showed red where
the engine raises no alarm (uncrewed band 10-30 degC); the life-support margin's 45-day
reserve went red on uncrewed days; ``power.soc_min`` had 0.65 in a run's archive but 0.30 in
limits.toml and the docs. The engine's limit is now the warning (yellow) and the limit that
holds at all times the critical (red) one, from the same catalog figures."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from rossim.config.systems import load_systems
from rossim.serve.channels import _LIMITS_FILE
from rossim.serve.live import LiveSource

TINY = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"


@pytest.fixture(scope="module")
def engine():
    from rossim.config.scenario import load_scenario
    from rossim.ops import Simulation

    sim = Simulation(load_scenario(TINY))
    return sim, LiveSource(sim).channels


def test_module_temperature_warns_at_the_crewed_band_and_is_red_outside_the_uncrewed(engine):
    sim, channels = engine
    th = load_systems().thermal
    crewed, uncrewed = th.limits_c(True), th.limits_c(False)
    c = channels["thermal.nem1_temperature_c"]
    assert (c.warning_low, c.warning_high) == crewed == (18.3, 26.7)
    assert (c.low, c.high) == uncrewed == (10.0, 30.0)
    # the engine's own limit is the warning one
    e = sim.channels["nem1_temperature_c"]
    assert (e.low, e.high) == (c.warning_low, c.warning_high)
    assert "crewed band" in c.limit_source and "uncrewed band" in c.limit_source
    hot = channels["thermal.max_temperature_c"]
    assert (hot.warning_high, hot.high) == (26.7, 30.0)
    cold = channels["thermal.min_temperature_c"]   # already the uncrewed band's low: as it was
    assert (cold.low, cold.warning_low) == (10.0, None)


def test_margin_days_warns_at_the_reserve_and_is_red_at_the_critical_reserve(engine):
    _, channels = engine
    ls = load_systems().life_support
    m = channels["life_support.margin_days"]
    assert m.warning_low == ls.reserve_days.value == 45
    assert m.low == ls.critical_reserve_days.value == 22.5


def test_soc_min_limits_agree_with_the_catalog_and_limits_toml(engine):
    sim, channels = engine
    power = load_systems().power
    soc = channels["power.soc_min"]
    assert soc.warning_low == power.min_soc.value == sim.channels["soc_min"].low == 0.65
    assert soc.low == power.emergency_reserve_soc.value == 0.25
    with open(_LIMITS_FILE, "rb") as fh:
        toml = tomllib.load(fh)["limits"]
    assert toml["power.soc_min"]["low"] == power.min_soc.value   # an old archive: the same


def test_the_dictionary_gives_both_levels(engine):
    _, channels = engine
    got = channels["thermal.nem1_temperature_c"].as_json()
    assert {"low", "high", "warning_low", "warning_high"} <= set(got)
    plain = channels["orbit.altitude_km"].as_json()   # one level: as before
    assert plain["warning_low"] is None and plain["warning_high"] is None


def test_the_page_colours_both_levels():
    js = (Path(__file__).resolve().parents[2] / "web" / "rossim-plugin" /
          "limits.js").read_text(encoding="utf-8")
    assert "ch.warning_low" in js and "is-limit--yellow', name: 'Yellow Low'" in js
    assert "level('WARNING', 'yellow'" in js and "level('CRITICAL', 'red'" in js
