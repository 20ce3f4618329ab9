"""The channel dictionary: the archive's own `channels` table when present, else derived from
the telemetry tables' columns with units from the names."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from rossim.serve.channels import unit_from_name
from rossim.serve.replay import ArchiveSource


@pytest.mark.parametrize("column,unit", [
    ("altitude_km", "km"), ("generation_kw", "kW"), ("battery_kwh", "kWh"), ("mass_kg", "kg"),
    ("beta_deg", "deg"), ("density_kg_m3", "kg/m³"), ("ballistic_m2_kg", "m²/kg"),
    ("drag_area_m2", "m²"), ("dv_m_s", "m/s"), ("margin_days", "d"), ("duration_h", "h"),
    ("shed_fraction", "fraction"), ("f107", "sfu"), ("crew_aboard", "people"),
    ("loop_temp_c", "°C"), ("per_person_msv", "mSv"), ("mode", ""),
])
def test_unit_from_name(column, unit):
    assert unit_from_name(column) == unit


def test_channels_table_wins(archive, tmp_path):
    folder = tmp_path / "run"
    shutil.copytree(archive, folder)
    con = duckdb.connect(str(folder / "archive.duckdb"))
    con.execute("DROP TABLE IF EXISTS channels")  # the archive writer may have made one
    con.execute('CREATE TABLE channels (name VARCHAR, "table" VARCHAR, "column" VARCHAR, '
                "unit VARCHAR, low DOUBLE, high DOUBLE, description VARCHAR)")
    con.executemany("INSERT INTO channels VALUES (?, ?, ?, ?, ?, ?, ?)", [
        ["orbit.altitude_km", "telemetry_hourly", "altitude_km", "km", 380.0, 430.0,
         "mean altitude"],
        ["power.soc", "telemetry_power", "soc_min", None, 0.25, None, "battery state of charge"],
        ["thermal.loop_temp_c", "telemetry_thermal", "loop_temp_c", "°C", 2.0, 30.0, "loop"],
    ])
    con.close()
    source = ArchiveSource(folder)
    try:
        assert sorted(source.channels) == ["orbit.altitude_km", "power.soc"]  # no thermal table
        soc = source.channels["power.soc"]
        assert (soc.subsystem, soc.unit, soc.low, soc.high) == ("power", "fraction", 0.25, None)
        alt = source.history("orbit.altitude_km", source.start_ms, source.start_ms + 3_600_000)
        assert [p[1] for p in alt["points"]] == pytest.approx([410.0, 409.98])
    finally:
        source.close()


def test_incomplete_archive_is_refused(archive, tmp_path):
    from rossim.errors import InputError

    folder = tmp_path / "run"
    shutil.copytree(archive, folder)
    con = duckdb.connect(str(folder / "archive.duckdb"))
    con.execute("UPDATE run_info SET value = 'false' WHERE key = 'complete'")
    con.close()
    with pytest.raises(InputError, match="complete rossim archive"):
        ArchiveSource(folder)


def test_engine_channels_table_layout(archive, tmp_path):
    # the closed-loop engine's layout: the column is the name; the subsystem is given
    folder = tmp_path / "run"
    shutil.copytree(archive, folder)
    con = duckdb.connect(str(folder / "archive.duckdb"))
    con.execute("DROP TABLE IF EXISTS channels")
    con.execute("CREATE TABLE channels (name VARCHAR, table_name VARCHAR, unit VARCHAR, "
                "low DOUBLE, high DOUBLE, subsystem VARCHAR, description VARCHAR)")
    con.executemany("INSERT INTO channels VALUES (?, ?, ?, ?, ?, ?, ?)", [
        ["altitude_km", "telemetry_hourly", "km", 150.0, 2000.0, "orbit", "mean altitude"],
        ["oxygen_kg", "telemetry_daily", "kg", 0.0, None, "life support", "stock"],
    ])
    con.close()
    source = ArchiveSource(folder)
    try:
        assert sorted(source.channels) == ["life_support.oxygen_kg", "orbit.altitude_km"]
        ox = source.channels["life_support.oxygen_kg"]
        assert (ox.table, ox.column, ox.subsystem, ox.low) == ("telemetry_daily", "oxygen_kg",
                                                               "life_support", 0.0)
    finally:
        source.close()


def test_empty_channels_table_falls_back_to_the_columns(archive, tmp_path):
    folder = tmp_path / "run"
    shutil.copytree(archive, folder)
    con = duckdb.connect(str(folder / "archive.duckdb"))
    con.execute("DROP TABLE IF EXISTS channels")
    con.execute("CREATE TABLE channels (name VARCHAR, table_name VARCHAR, unit VARCHAR, "
                "low DOUBLE, high DOUBLE, subsystem VARCHAR, description VARCHAR)")
    con.close()
    source = ArchiveSource(folder)
    try:
        assert "power.soc_min" in source.channels and "hourly.altitude_km" in source.channels
    finally:
        source.close()
