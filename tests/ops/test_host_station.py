"""A host station's modules (``propulsion.host_modules``: the ISS's US segment in
ros-iss-start) are the host programme's: not the station's mass to de-orbit, not its hardware
to fail and repair. Reference: Mir's controlled de-orbit, 2,678 kg of Progress M1-5
propellant for about 136 t (reference.toml [mir_deorbit], published)."""

from __future__ import annotations

import pytest

from rossim.config.reference import load_reference


def test_a_host_stations_modules_are_not_the_reserves_mass():
    """The ISS start (ros-iss-start): the ROS de-orbits itself after leaving the ISS, not the
    ISS's US segment (the ISS's own de-orbit). Sized on the 493 t stack with iss-usos, the
    reserve filled the whole 4 t tank and left no working propellant after the separation
    (reboosts refused from 2033, 41.5 km below the band). Mir's 2,678 kg per ~136 t scaled on
    the ROS's own largest stack (modules and docked ships less the host's modules)."""
    from rossim.config.scenario import load_scenario
    from rossim.config.systems import load_systems
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


def test_a_host_stations_hardware_is_not_the_stations_to_fail_or_repair():
    """ros-iss-start: the ISS's US segment (iss-usos, 160 kW of arrays) is the ISS
    programme's to maintain; an array drive drawn on it was repaired by a ROS crew on two
    spacewalks with ROS spares and its 46 days parked cut the ROS's availability. No unit sets
    for a host's modules, in the run or in the cargo planner's spares forecast."""
    from rossim.config.scenario import load_scenario
    from rossim.config.systems import load_systems
    from rossim.ops import Simulation

    sim = Simulation(load_scenario("ros-iss-start"), models=("orbit",))
    assert sim.systems.propulsion.host_modules == ["iss-usos"]
    assert sim.reliability._sets_for("iss-usos") == []
    assert any(c.module == "power" for c in sim.reliability._sets_for("zvezda"))
    assert load_systems().propulsion.host_modules == ["iss-usos"]


def test_a_separated_segment_leaves_the_mass_books():
    """ros-iss-start separates from the ISS on 2030-06-30: the US segment's 387,613 kg
    (modules.toml iss-usos) leaves the flown mass with it. Only undockings were booked as
    departures, so the run's flown-mass ledger was off by exactly that mass (a critical
    alarm of bookkeeping in a shipped scenario, found by a newcomer's run)."""
    from rossim.config.scenario import load_scenario
    from rossim.ops import Simulation

    sim = Simulation(load_scenario("ros-iss-start"), models=("orbit",))
    usos = float(sim.timeline.catalog.modules["iss-usos"].mass_kg.value)
    sim.advance_to("2030-06-29")
    before = sim.station_mass.ledger()
    assert "iss-usos" in sim.config.modules and abs(before["balance_kg"]) < 1e-6
    sim.advance_to("2030-07-02")
    after = sim.station_mass.ledger()
    assert "iss-usos" not in sim.config.modules
    assert after["parts_departed_kg"] - before["parts_departed_kg"] >= usos - 1e-6
    assert abs(after["balance_kg"]) < 1e-6            # was 387,613 kg
