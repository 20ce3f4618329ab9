"""The de-orbit reserve against the flown precedent, with the figures as data.

Reference (tolerance in the asserts): Mir's controlled de-orbit used 2,678 kg of Progress
M1-5 propellant in 2001 (docs/ros-facts.md, published) for a complex of about 136 t with the
docked Progress (estimate). The run scales that propellant with its own end mass and says
whether the reserve it held covers it.
"""

from __future__ import annotations

import json

import duckdb
import pytest

from rossim.config.reference import load_reference


def test_mir_precedent_is_reference_data():
    mir = load_reference().mir_deorbit
    assert mir.propellant_kg.value == pytest.approx(2678.0, abs=0.5)
    assert mir.propellant_kg.flag == "published"
    assert 125_000 <= mir.station_mass_kg.value <= 140_000   # Mir ~129 t + Progress ~7 t


def test_summary_says_whether_the_reserve_covers_the_end_mass(short_run):
    d = json.loads((short_run / "summary.json").read_text())["deorbit_reserve"]
    with duckdb.connect(str(short_run / "archive.duckdb"), read_only=True) as con:
        mass_end = con.execute("select mass_kg from telemetry_hourly order by time desc "
                               "limit 1").fetchone()[0]
    mir = load_reference().mir_deorbit
    need = mir.propellant_kg.value * mass_end / mir.station_mass_kg.value
    assert d["needed_at_end_mass_kg"] == pytest.approx(need, abs=1e-3)
    assert d["covers_end_mass"] is (d["held_kg"] >= d["needed_at_end_mass_kg"])
    assert "reference.toml" in d["basis"]


def test_reserve_is_sized_at_the_largest_stack_and_covers_the_end_mass(short_run):
    d = json.loads((short_run / "summary.json").read_text())["deorbit_reserve"]
    mir = load_reference().mir_deorbit
    need = mir.propellant_kg.value * d["largest_mass_kg"] / mir.station_mass_kg.value
    assert d["held_kg"] >= need - 1e-3           # Mir's kg per tonne at the largest stack
    assert d["covers_end_mass"] is True           # end mass <= largest mass


def test_a_host_stations_modules_are_not_the_reserves_mass():
    """The ISS start (ros-iss-start): the ROS de-orbits itself after leaving the ISS, not the
    ISS's US segment (the ISS's own de-orbit). Sized on the 493 t stack with iss-usos, the
    reserve filled the whole 4 t tank and left no working propellant after the separation
    (reboosts refused from 2033, 41.5 km below the band). Mir's 2,678 kg per ~136 t scaled on
    the ROS's own largest stack (modules and docked ships less the host's modules)."""
    from rossim.config.systems import load_systems
    from rossim.config.scenario import load_scenario
    from rossim.station import build_timeline
    from rossim.station.deorbit import deorbit_reserve_kg, largest_mass_kg

    prop = load_systems().propulsion
    tl = build_timeline(load_scenario("ros-iss-start"))
    own = largest_mass_kg(tl, prop.host_modules)
    assert largest_mass_kg(tl) > 450_000                 # with the US segment
    assert 120_000 < own < 200_000                       # the ROS's own stack
    mir = load_reference().mir_deorbit
    reserve = deorbit_reserve_kg(tl, prop)
    assert reserve == pytest.approx(mir.propellant_kg.value * own
                                    / mir.station_mass_kg.value, rel=1e-9)
    assert prop.station_tank_kg.value - reserve > 1000.0  # working propellant left
