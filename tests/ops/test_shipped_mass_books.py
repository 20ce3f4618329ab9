"""Every shipped scenario's flown mass balances over its whole span (orbit-only runs, about
20 s for the four): each way a part joins or leaves the stack (a docking, an undocking, a
separation of a segment) is booked. A separation was not, and ros-iss-start's ledger was off
by the ISS US segment's 387,613 kg (tests/ops/test_host_station.py); the scenarios are read
from ``scenarios/``, so a new one is checked too."""

from __future__ import annotations

from pathlib import Path

import pytest

SCENARIOS = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "scenarios")
                   .glob("*.toml"))


def test_the_shipped_scenarios_are_found():
    assert {"ros-51.6", "ros-iss-start"} <= set(SCENARIOS)


@pytest.mark.parametrize("name", SCENARIOS)
def test_flown_mass_balances_over_the_span(name):
    from rossim.config.scenario import load_scenario
    from rossim.ops import Simulation

    sim = Simulation(load_scenario(name), models=("orbit",))
    sim.advance_to_end()
    books = sim.station_mass.ledger()
    assert abs(books["balance_kg"]) < 1e-3, books
    assert books["end_kg"] == pytest.approx(sim.station_mass.mass_kg(), abs=1e-3)
    assert books["end_kg"] > 0
