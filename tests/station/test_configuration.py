"""Configuration over time for the shipped scenarios."""

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from rossim.config.catalog import load_catalog
from rossim.config.scenario import load_scenario
from rossim.station import build_timeline


@pytest.fixture(scope="module")
def ref():
    return build_timeline(load_scenario("ros-51.6"))


def _phase_with(timeline, modules):
    for p in timeline.assembly_phases():
        c = timeline.properties[p.index]
        if set(c.modules) == set(modules):
            return c
    raise AssertionError(f"no phase with exactly {modules}")


def test_stage1_sums_match_fact_sheet(ref):
    # ros-facts: stage 1 = NEM-1 (~20 t, 150 m^3) + core (~20 t, as NEM-1) + node (~4 t,
    # Prichal ~14 m^3) + gateway (~4 t, Poisk ~15 m^3).
    c = _phase_with(ref, ["nem1", "node", "gateway", "core"])
    assert c.module_mass_kg == pytest.approx(48000, abs=1)
    assert c.n_modules == 4
    modules_volume = 150 + 150 + 14 + 15
    cat = load_catalog()
    docked_volume = sum(cat.vehicles[a.catalog_id].habitable_volume_m3.value
                        for a in ref.phases[c.phase].vehicles)
    assert c.pressurised_volume_m3 == pytest.approx(modules_volume + docked_volume, abs=0.01)
    # NEM-1's two cabins (reported, ros-facts) + the core module's two (estimate): room for
    # the two cosmonauts of stage 1 (seed 002) with the two berths of a crew handover.
    assert c.crew_capacity == 4 and c.crew_capacity >= 2


def test_complete_station_has_seven_modules(ref):
    # seed 000: up to seven modules by 2035.
    end = ref.at(dt.datetime(2035, 12, 30, tzinfo=dt.UTC))
    assert end.n_modules == 7
    assert ref.assembly_complete.year <= 2035
    # crew doubles in stage 2 (seed 002): the production module's two berths make six, room
    # for the four cosmonauts
    assert end.crew_capacity == 6 and end.crew_capacity >= 4


def test_power_per_phase_is_catalog_sum(ref):
    cat = load_catalog()
    for p in ref.assembly_phases():
        c = ref.properties[p.index]
        expected = sum(cat.modules[m].solar_array_power_kw.value for m in c.modules)
        assert c.solar_array_power_kw == pytest.approx(expected)


def test_iss_start_russian_segment_mass():
    tl = build_timeline(load_scenario("ros-iss-start"))
    before = tl.at("2028-01-01")
    after = tl.at("2030-07-01")
    assert "iss-usos" in before.modules and "iss-usos" not in after.modules
    # ros-facts: Zarya 19.3 + Zvezda 19.05 + Poisk 3.67 + Rassvet 5.07 + Nauka 20.35 +
    # Prichal 3.89 t, plus NEM-1 ~20 t.
    assert after.module_mass_kg == pytest.approx(71330 + 20000, abs=1)
    # NASA/JSC OEM 2022-01-17: whole ISS 458,943 kg (the US block is derived from it).
    first = tl.properties[0]
    assert first.module_mass_kg == pytest.approx(458943, abs=1)


def test_docking_changes_mass_and_area(ref):
    ev = next(e for e in ref.events if e.part_kind == "vehicle" and e.kind == "dock")
    before = ref.at(ev.time - dt.timedelta(minutes=1))
    after = ref.at(ev.time + dt.timedelta(minutes=1))
    veh = load_catalog().vehicles[ev.catalog_id]
    assert after.mass_kg - before.mass_kg == pytest.approx(veh.mass_kg.value)
    assert after.drag_area_m2 > before.drag_area_m2
    assert after.n_vehicles == before.n_vehicles + 1


def test_vectorised_matches_scalar(ref):
    days = np.arange(np.datetime64("2027-12-01"), np.datetime64("2035-12-31"),
                     np.timedelta64(17, "D"))
    series = ref.at(days)
    for k in range(0, len(days), 23):
        t = days[k].astype("datetime64[us]").astype(dt.datetime).replace(tzinfo=dt.UTC)
        if series.phase[k] < 0:
            assert series.mass_kg[k] == 0
            continue
        c = ref.at(t)
        assert series.mass_kg[k] == c.mass_kg
        assert series.drag_area_m2[k] == c.drag_area_m2
        assert series.crew_aboard[k] == c.crew_aboard


def test_centre_of_mass_single_module(ref):
    c = ref.at("2028-01-01")
    length = load_catalog().modules["nem1"].length_m.value
    assert c.com_x_m == pytest.approx(length / 2)


def test_drag_area_single_module_by_hand(ref):
    # NEM-1 flown along the velocity: its end-on disc pi (4.1/2)^2 plus its 167 m^2 of
    # sun-tracking arrays at the orbit-averaged 2/pi (167 m^2 since issue #13: the published
    # 50 kW at an array efficiency of 0.22; 120 m^2 before).
    c = ref.at("2028-01-01")
    assert load_catalog().modules["nem1"].solar_array_area_m2.value == 167
    assert c.drag_area_m2 == pytest.approx(np.pi * 2.05**2 + 167 * 2 / np.pi, rel=1e-9)


def test_all_shipped_scenarios_build():
    for name in ("ros-51.6", "ros-97", "ros-iss-start"):
        tl = build_timeline(load_scenario(name))
        assert tl.phases and tl.assembly_complete is not None
        for launch in tl.launches:
            assert launch["mass_kg"] <= launch["capacity_kg"]


def _series_text() -> str:
    """ros-51.6 with its fixed cargo series (the commented block) in place of the cargo by
    demand: the tests of port assignment count on the series' dates."""
    ref = (Path(__file__).resolve().parents[2] / "scenarios" / "ros-51.6.toml").read_text()
    start = ref.index("[[cargo_demand]]")
    series_at = ref.index("# [[cargo_series]]")
    end = ref.index("\n\n", series_at)  # the commented block ends at the blank line
    series = "\n".join(ln[2:] if ln.startswith("# ") else ln.lstrip("#")
                       for ln in ref[series_at:end].splitlines())
    return ref[:start] + series + "\n" + ref[end:]


def test_auto_port_assignment(tmp_path):
    ref = _series_text()
    text = ref.replace('port = "node.starboard"\nduration_days = 110',
                       'port = "auto"\nduration_days = 110')
    text = text.replace('port = "gateway.forward"\nduration_days = 30',
                        'port = "auto"\nduration_days = 30')
    assert text.count('"auto"') == 2
    path = tmp_path / "auto.toml"
    path.write_text(text)
    tl = build_timeline(load_scenario(path))
    cat = load_catalog()
    docks = [e for e in tl.events if e.kind == "dock" and e.part_kind == "vehicle"]
    assert docks
    for e in docks:
        c = tl.at(e.time + dt.timedelta(minutes=1))
        port = next(p for p, who in c.occupancy.items() if who == e.part)
        module, name = port.split(".")
        assert cat.modules[module].port(name).type in ("drogue", "hybrid-passive")
    # The first cargo ship takes the first free ship port (drogue) in docking order.
    first = next(e for e in docks if e.field.startswith("cargo_series[0]"))
    assert tl.at(first.time + dt.timedelta(minutes=1)).occupancy["gateway.forward"] == first.part


def test_auto_port_all_taken(tmp_path):
    from rossim.errors import InputError

    ref = _series_text()
    # Twelve cargo ships docked at once cannot all find a port in stage 1.
    text = ref.replace("every_days = 120\nuntil = 2031-02-28", "every_days = 1\nuntil = 2028-09-30")
    text = text.replace('port = "node.starboard"\nduration_days = 110',
                        'port = "auto"\nduration_days = 110')
    assert text.count('"auto"') == 1
    path = tmp_path / "auto.toml"
    path.write_text(text)
    with pytest.raises(InputError, match="every port that fits is occupied"):
        build_timeline(load_scenario(path))


def test_only_fore_and_aft_ports_are_along_the_flight_axis(ref):
    """A docked ship reboosts only from a port on the long axis (``progress-reboost``: the
    ISS's Progress reboosts fly from Zvezda's aft port). Geometry of modules.toml: NEM-1 is
    the root (+x forward), the node on its forward port, the core on the node's forward
    port, the gateway on the node's zenith port."""
    from rossim.station.configuration import along_flight

    c = _phase_with(ref, ["nem1", "node", "gateway", "core"])
    assert along_flight(c, "core.forward") and along_flight(c, "nem1.aft")
    for radial in ("node.starboard", "node.port", "node.nadir", "gateway.forward"):
        assert not along_flight(c, radial), radial   # the gateway points zenith
    assert c.port_normals["gateway.forward"] == pytest.approx((0.0, 0.0, -1.0))
    assert not along_flight(c, "logistics.forward")   # not attached in this phase
    # stack along the local vertical ("nadir"): the velocity lies along the station's +z
    assert along_flight(c, "gateway.forward", "nadir")
    assert not along_flight(c, "core.forward", "nadir")
    # the ISS start: Zvezda's aft port, where the ISS's Progress ships reboost from
    iss = build_timeline(load_scenario("ros-iss-start"))
    cz = next(p for p in iss.properties if "zvezda" in p.modules)
    assert along_flight(cz, "zvezda.aft") and not along_flight(cz, "zvezda.nadir")
