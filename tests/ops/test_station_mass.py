"""The station's flown mass (rossim.ops.station_mass): tanks, stores and spares counted, a ship
weighed as it leaves, and the ledger of flows closing on the state.

External figures: the Progress MS-07 manifest (ros-facts: 880 kg propellant, 420 kg water,
47 kg oxygen and air, of a ~7.3 t ship at launch, catalog/vehicles.toml) and the climb of a
module from its insertion orbit (rossim.station.insertion: NEM-1 launched with 1,500 kg of
climb propellant, Nauka's practice). Tolerances in the asserts: 1 kg for bookkeeping (the
invariants' ``LEDGER_TOL_KG``), 1e-6 relative for the drag coefficient.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from rossim.config.scenario import load_scenario
from rossim.ops import Simulation


@pytest.fixture(scope="module")
def sim(short_scenario_path):
    s = Simulation(load_scenario(short_scenario_path), seed=7)
    return s


def _ship_stay(s, kind="cargo"):
    """(dock, undock) events of the first ``kind`` ship of the plan."""
    cat = s.timeline.catalog
    dock = next(e for e in s.timeline.events if e.kind == "dock" and e.part_kind == "vehicle"
                and cat.vehicles[e.catalog_id].kind == kind)
    undock = next(e for e in s.timeline.events if e.kind == "undock" and e.part == dock.part)
    return dock, undock


def test_first_module_mass_includes_its_climb_leftover(sim):
    """NEM-1 docks at its catalog mass; what is left of its 1,500 kg of climb propellant joins
    the station's tanks and its mass (the launch mass counted it apart from the module)."""
    sim.advance_to("2028-01-01")
    climb = next(c for c in sim.timeline.climbs if c.modules == ("nem1",))
    left = climb.propellant_available_kg - climb.propellant_kg
    assert 0 < left < 1500.0
    m = sim.station_mass
    used = sim.orbit.ledger["burned_kg"]
    eaten = sum(sim.consumables.ledger[i]["consumed_kg"] for i in sim.consumables.stock)
    assert m.mass_kg() == pytest.approx(20000.0 + left - used - eaten, abs=1.0)
    assert m.mass_kg() > sim.config.mass_kg


def test_progress_leaves_lighter_by_what_it_unloaded(short_scenario_path):
    """A Progress transfers its station propellant and stores (MS-07 manifest) and burns its
    reserve for the station: it leaves with its launch mass less these, not its launch mass,
    and with the failed units replaced since the last cargo ship left (trash)."""
    s = Simulation(load_scenario(short_scenario_path), seed=7)
    dock, undock = _ship_stay(s)
    s.advance_to(dock.time)
    s.advance_to(undock.time - dt.timedelta(minutes=1))
    m = s.station_mass
    unloaded = m.unloaded_kg(dock.part)
    launch = m._part_kg(dock.part)
    assert launch == pytest.approx(7300.0)
    # the manifest's propellant into the tanks (room allowing), water and oxygen into stowage
    assert 400.0 < unloaded <= 880.0 + 420.0 + 47.0 + 2000.0
    before = m.mass_kg()
    trash = m.trash_kg()   # failed units replaced by spares: out with this cargo ship
    departed0 = m.flows["parts_departed_kg"]
    s.advance_to(undock.time + dt.timedelta(minutes=1))
    gone = m.flows["parts_departed_kg"] - departed0
    assert gone == pytest.approx(launch - unloaded + trash, abs=1.0)
    assert m.trash_kg() == pytest.approx(0.0, abs=1e-9)
    assert before - m.mass_kg() == pytest.approx(gone, abs=5.0)  # a minute of attitude/stores


def test_burn_lowers_mass_by_its_propellant(short_scenario_path):
    s = Simulation(load_scenario(short_scenario_path), seed=7)
    s.advance_to("2028-03-01")
    from rossim.ops import Reboost

    before = s.station_mass.mass_kg()
    n = len(s.orbit.burns)
    assert s.command(Reboost(delta_v_m_s=1.0)).accepted
    burn = s.orbit.burns[n]
    assert burn.mass_kg == pytest.approx(before, rel=1e-9)  # the rocket equation's mass
    assert before - s.station_mass.mass_kg() == pytest.approx(burn.propellant_kg, abs=1e-6)


def test_ballistic_coefficient_uses_the_flown_mass(short_run):
    import duckdb

    con = duckdb.connect(str(short_run / "archive.duckdb"), read_only=True)
    t = con.execute("select ballistic_m2_kg, mass_kg, drag_area_m2 from telemetry_hourly").df()
    cd = t.ballistic_m2_kg * t.mass_kg / t.drag_area_m2
    assert np.allclose(cd, cd.iloc[0], rtol=1e-6)   # one Cd: B = Cd A / m(flown)
    phases = con.execute("select mass_kg from phases").df()
    # the flown mass differs from the parts' (tanks, stores, ships' unloading)
    assert not np.isin(np.round(t.mass_kg.unique()), np.round(phases.mass_kg)).all()


def test_ledger_closes_and_is_reported(short_run):
    import json

    s = json.loads((short_run / "summary.json").read_text())
    led = s["mass_ledger_kg"]
    flows = (led["start_kg"] + led["parts_docked_kg"] + led["climb_propellant_kg"]
             - led["parts_departed_kg"] - led["burned_kg"] - led["consumed_kg"])
    assert flows == pytest.approx(led["end_kg"], abs=1.0)
    assert s["invariants"]["flown_mass_ledger"]["holds"]
    assert led["ships_unloaded_kg"] > 0 and led["climb_propellant_kg"] > 0
