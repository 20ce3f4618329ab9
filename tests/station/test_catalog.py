"""The reference catalog against the project's fact sheet (shared/reference/ros-facts.md,
itself citing Roscosmos/TASS statements, NASA/Roscosmos module fact sheets and the seed
documents). Expected numbers below are copied from that sheet, with its row named."""

import pytest

from rossim.config.catalog import load_catalog


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def test_every_figure_has_flag_and_source(cat):
    for group in (cat.modules, cat.vehicles, cat.launchers, cat.sites, cat.ground_station_entries):
        for item in group.values():
            for name, value in item:
                if hasattr(value, "flag"):
                    assert value.flag in ("published", "reported", "estimate"), (item.id, name)
                    assert len(value.source) >= 3, (item.id, name)


def test_required_modules_present(cat):
    for mid in ("nem1", "core", "nem2", "node", "gateway", "logistics", "production",
                "platform", "commercial"):
        m = cat.modules[mid]
        assert m.name_ru and m.name_en and m.ports


@pytest.mark.parametrize(("mid", "mass_kg", "flag"), [
    ("nem1", 20000, "published"),      # ros-facts: NEM-1 ~20 t (published, SPM spec)
    ("core", 20000, "estimate"),       # ros-facts: core ~20 t (estimate: NEM-1 bus)
    ("node", 4000, "estimate"),        # ros-facts: node ~4 t (estimate: Prichal)
    ("gateway", 4000, "estimate"),     # ros-facts: gateway ~4 t (estimate: Poisk)
    ("platform", 10000, "estimate"),   # ros-facts: platform ~10 t (estimate)
    ("zarya", 19300, "published"),     # ros-facts: Zarya 19.3 t
    ("zvezda", 19050, "published"),
    ("poisk", 3670, "published"),
    ("rassvet", 5070, "published"),
    ("nauka", 20350, "published"),
    ("prichal", 3890, "published"),
])
def test_module_masses_match_fact_sheet(cat, mid, mass_kg, flag):
    assert cat.modules[mid].mass_kg.value == pytest.approx(mass_kg, abs=0.5)
    assert cat.modules[mid].mass_kg.flag == flag


def test_nem1_published_geometry(cat):
    nem1 = cat.modules["nem1"]
    assert nem1.diameter_m.value == 4.1            # ros-facts: diameter 4.1 m
    assert nem1.pressurised_volume_m3.value == 150  # ros-facts: 150 m^3 interior
    assert nem1.span_m.value == 25.3               # ros-facts: 25.3 m incl. arrays


def test_node_has_six_ports(cat):
    # ros-facts (2024 preliminary design): node module with six docking ports.
    assert len(cat.modules["node"].ports) == 6
    assert len(cat.modules["prichal"].ports) == 6


def test_vehicles_match_fact_sheet(cat):
    assert cat.vehicles["soyuz-ms"].mass_kg.value == 7080
    assert cat.vehicles["soyuz-ms"].crew_seats.value == 3
    assert cat.vehicles["progress-ms"].station_propellant_kg.value == 880
    assert cat.vehicles["orel"].crew_seats.value == 4
    assert cat.vehicles["orel"].max_docked_days.value == 365
    assert cat.vehicles["spaceplane"].mass_kg.flag == "estimate"


def test_launchers_and_sites(cat):
    a5 = cat.launchers["angara-a5"]
    assert a5.leo_payload_kg.value == 24500
    assert a5.fairing_diameter_m.value == 4.35
    assert cat.launchers["angara-a5m"].leo_payload_kg.value == 27000
    assert cat.sites["vostochny-1a"].lat_deg.value == pytest.approx(51.8)
    assert cat.sites["baikonur-31"].lon_deg.value == pytest.approx(63.564)
    names = {g.id for g in cat.ground_stations}
    assert {"shchyolkovo", "ussuriysk", "petropavlovsk"} <= names


def test_every_launch_site_has_its_corridor_and_ground_stations_none(cat, tmp_path):
    """Plesetsk's corridor (north-east to north, sun-synchronous at about 343 deg) had landed
    on the Petropavlovsk ground station's entry below it (a launch site's field on a ground
    station was accepted), so `rossim launch --site plesetsk-35` flew every azimuth."""
    import shutil

    from rossim.config.catalog import catalog_dir
    from rossim.errors import InputError

    for site in cat.sites.values():
        assert site.azimuth_min_deg is not None and site.azimuth_max_deg is not None, site.id
    ples = cat.sites["plesetsk-35"]
    assert (ples.azimuth_min_deg.value, ples.azimuth_max_deg.value) == (340.0, 95.0)
    assert "Plesetsk" in ples.azimuth_min_deg.source
    stations = list(cat.ground_station_entries.values()) \
        if isinstance(cat.ground_station_entries, dict) else list(cat.ground_station_entries)
    assert stations and all(hasattr(g, "min_elevation_deg") for g in stations)
    assert not any(hasattr(g, "azimuth_min_deg") for g in stations)
    # a launch site's field on a ground station is an error naming it
    copy = tmp_path / "catalog"
    shutil.copytree(catalog_dir(), copy)
    sites = copy / "sites.toml"
    sites.write_text(sites.read_text().replace(
        'id = "ussuriysk"\n', 'id = "ussuriysk"\nazimuth_min_deg = { value = 1, flag = '
        '"estimate", source = "estimate: x" }\n'))
    with pytest.raises(InputError, match="azimuth_min_deg"):
        load_catalog(copy)


def test_every_module_fits_the_angara_fairing(cat):
    fairing = cat.launchers["angara-a5"].fairing_diameter_m.value
    for mid in ("nem1", "core", "nem2", "node", "gateway", "logistics", "production",
                "platform", "commercial"):
        assert cat.modules[mid].diameter_m.value <= fairing, mid
