"""Plausible mistakes of a user of the Python API (README's "Commanding the station from
Python") are one InputError naming what was wrong, not an AttributeError or a TypeError from
deep inside the run."""

from pathlib import Path

import pytest

from rossim.config.scenario import load_scenario
from rossim.errors import InputError
from rossim.ops import Reboost, Simulation, StartActivity

TINY = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"


@pytest.fixture(scope="module")
def sim():
    return Simulation(load_scenario(TINY))


def test_scenario_by_name_or_path_and_wrong_type():
    assert Simulation(str(TINY)).scenario.name == load_scenario(TINY).name
    with pytest.raises(InputError) as info:
        Simulation(TINY.with_name("no-such.toml"))
    assert "no-such.toml" in str(info.value)
    with pytest.raises(InputError) as info:
        Simulation({"name": "ros-51.6"})
    assert info.value.field == "scenario"


@pytest.mark.parametrize("cmd", ["reboost", Reboost, None])
def test_command_that_is_not_a_command(sim, cmd):
    with pytest.raises(InputError) as info:
        sim.command(cmd)
    assert info.value.field == "command"
    assert "Reboost(target_altitude_km=" in info.value.expected


@pytest.mark.parametrize("cmd, field", [
    (Reboost(target_altitude_km="412"), "reboost.target_altitude_km"),
    (Reboost(delta_v_m_s=True), "reboost.delta_v_m_s"),
    (StartActivity(activity="furnace", power_kw="3"), "start-activity.power_kw"),
])
def test_command_field_of_the_wrong_type(sim, cmd, field):
    with pytest.raises(InputError) as info:
        sim.command(cmd)
    assert info.value.field == field
    assert info.value.expected == "a number"


def test_telemetry_one_channel_as_a_string(sim):
    assert list(sim.telemetry("altitude_km")) == ["altitude_km"]
    with pytest.raises(InputError) as info:
        sim.telemetry("altitude")
    assert info.value.value == "altitude"
