"""A departing Progress burns its reboost reserve for the station (rossim.ops.departure_reboost).

Reference: the Russian segment raises the ISS with a docked Progress's own engines and
propellant, planned by mission control (Progress reboosts of the ISS); rossim's Progress keeps
``propulsion.progress_reboost_kg`` (500 kg, estimate) for that. Before this, the reference
run's Progress ships left with 3.2 t of their 5 t of reserves unburned while the station's
tanks paid the next reboost.

Only a ship at a port along the flight axis reboosts (``progress-reboost``: the ISS's Progress
reboosts fly from Zvezda's aft port): ros-51.6's Progress ships dock at the node's starboard
port (radial), so these tests move Progress MS #1 to the core module's forward port (on the
long axis) first, as the ISS moved Progress ships between ports.
"""

from __future__ import annotations

import numpy as np
import pytest

from rossim.config.scenario import load_scenario
from rossim.ops import Simulation
from rossim.systems.propulsion import propellant_for_dv

AXIAL = "Progress MS #1 @core.forward"


def _axial(until: str) -> Simulation:
    """ros-51.6 (seed 1) with Progress MS #1 moved to core.forward on 2029-01-02 (the core
    module docked 2028-12-23; Soyuz MS crew #2 docked 2028-12-31 07:56 UTC, and a relocation
    keeps the station's traffic spacing after it: rossim.ops.traffic), advanced to
    ``until``."""
    from rossim.ops.commands import Relocate

    sim = Simulation(load_scenario("ros-51.6"), seed=1)
    sim.advance_to("2029-01-02")
    assert sim.command(Relocate(vehicle="Progress MS #1", port="core.forward",
                                source="ground")).accepted
    sim.advance_to(until)
    return sim


@pytest.fixture(scope="module")
def run_2029():
    return _axial("2029-03-01")


def test_the_first_progress_raises_the_station_before_it_leaves(run_2029):
    sim = run_2029
    undock = next(e for e in sim.events if e["kind"] == "undock"
                  and e["subject"] == AXIAL)
    burns = [b for b in sim.orbit.burns if b.source == AXIAL]
    assert len(burns) == 1
    b = burns[0]
    assert b.commanded_by == "ground"
    # planned the no-burn window (24 h) plus an hour before the undocking
    lead_h = (undock["time"] - np.datetime64(b.time, "s")) / np.timedelta64(1, "h")
    assert lead_h == pytest.approx(25.0, abs=0.05)
    # to the band's top and no higher; the rocket equation at the stack's mass
    assert b.altitude_after_km == pytest.approx(sim.orbit.high_m / 1e3, abs=1e-6)
    assert b.altitude_before_km < b.altitude_after_km
    assert b.propellant_kg == pytest.approx(
        float(propellant_for_dv(b.mass_kg, b.dv_m_s, b.isp_s)), rel=1e-9)
    assert b.propellant_kg <= sim.systems.propulsion.progress_reboost_kg.value
    # what it did not burn left with it, in the ledger (which still balances)
    assert sim.orbit.ledger["reserve_departed_kg"] == pytest.approx(
        sim.systems.propulsion.progress_reboost_kg.value - b.propellant_kg, abs=1e-6)
    assert abs(sim.orbit.ledger_balance_kg()) < 1e-6


def test_a_station_at_the_top_of_its_band_is_not_raised():
    from rossim.ops import departure_reboost

    sim = _axial("2029-02-01")
    name = AXIAL
    assert name in sim.orbit.reserves
    sim.orbit.a = sim.orbit.high_m + 6_378_137.0 - 100.0   # 100 m below the top
    n = len(sim.orbit.burns)
    departure_reboost._fire(sim, name)            # not due yet: re-planned, nothing flown
    assert len(sim.orbit.burns) == n
    sim.advance_to("2029-02-12")
    assert not [b for b in sim.orbit.burns if b.source == name]
    skipped = [e for e in sim.events if e["kind"] == "departure-reboost"]
    assert skipped and "the band's top" in skipped[0]["detail"]


def test_a_pending_reboost_raised_by_another_closes_without_an_alarm():
    """A band-floor reboost waiting for the ground's approval, the station raised meanwhile
    (a departing Progress's reserve, an operator): commanded to the top it was refused and
    raised a propellant alarm for a station already there."""
    sim = Simulation(load_scenario("ros-51.6"), seed=1)
    sim.advance_to("2029-03-05")
    auto, orbit = sim.autonomy, sim.orbit
    assert not sim.state.safe_mode and auto._no_burn_until(sim.engine.now_s) is None
    auto.reboost_pending_since = sim.engine.now_s
    auto.reboost_approved = True
    orbit.a = orbit.high_m + 6_378_137.0 - 100.0      # 100 m below the top
    n_burns, n_alarms = len(orbit.burns), len(sim.alarms)
    auto.check_reboost()
    assert len(orbit.burns) == n_burns and len(sim.alarms) == n_alarms
    assert auto.reboost_pending_since is None
    assert auto.waits[-1][2] == "raised by another reboost meanwhile"


def test_a_progress_at_a_radial_port_reboosts_nothing():
    """ros-51.6 as planned: Progress MS #1 at node.starboard (its axis along the station's
    y, across the flight path): no departure burn, no reboost from its reserve; the whole
    500 kg leaves with it, in the ledger. Before, it raised the station from that port."""
    sim = Simulation(load_scenario("ros-51.6"), seed=1)
    sim.advance_to("2029-03-01")
    assert not [b for b in sim.orbit.burns if b.source.startswith("Progress MS #1")]
    assert not [e for e in sim.events if e["kind"] == "departure-reboost"]
    assert sim.orbit.ledger["reserve_departed_kg"] == pytest.approx(500.0, abs=1e-9)
    assert abs(sim.orbit.ledger_balance_kg()) < 1e-6


def test_a_progress_moved_to_a_radial_port_plans_no_departure_burn():
    """Moved from the axial core.forward to the radial node.nadir (renamed "X @port": the
    burn follows the new name, and at the radial port it is not flown)."""
    from rossim.ops.commands import Relocate

    sim = _axial("2029-01-15")
    assert sim.command(Relocate(vehicle=AXIAL, port="node.nadir", source="ground")).accepted
    sim.advance_to("2029-03-01")
    assert not [b for b in sim.orbit.burns if b.source.startswith("Progress MS #1")]
    assert sim.orbit.ledger["reserve_departed_kg"] == pytest.approx(500.0, abs=1e-9)


def test_no_departure_burn_while_a_host_station_keeps_the_orbit():
    """ros-iss-start: while the ISS is attached its own reboosts keep the orbit; a departure
    burn was billed to the host (a free 500 kg ISS reboost per Progress) and the reserve left
    whole."""
    sim = Simulation(load_scenario("ros-iss-start"), seed=1)
    sim.advance_to("2027-08-01")
    assert not [b for b in sim.orbit.burns if b.commanded_by == "ground"]
    skipped = [e for e in sim.events if e["kind"] == "departure-reboost"]
    assert skipped and "host station keeps the orbit" in skipped[0]["detail"]
