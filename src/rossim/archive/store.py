"""The run archive: one DuckDB file (``archive.duckdb``).

Tables (schema in :data:`SCHEMA`, documented in docs/archive.md): ``run_info`` (key/value:
scenario, seed, rossim version, ``complete``), ``events``, ``telemetry_hourly`` (altitude and
orbit), ``telemetry_power`` (10-minute bins), ``telemetry_thermal`` (hourly bins, a column
set per module: :data:`DYNAMIC_TABLES`), ``telemetry_daily`` (consumables), ``burns``,
``faults``, ``tasks``, ``phases`` (configuration per phase). Times are UTC ``TIMESTAMP``.
Lists of names (``phases.modules``, ``phases.vehicles``) are ``VARCHAR[]``: a name may hold a
comma ("Soyuz crew, stage 2 #3"); :func:`read_phases` reads them, and the comma-joined
``VARCHAR`` of older archives, as lists.

Atomicity: the file is built under a temporary name (``.tmp-archive.duckdb.*``) in the same
folder, checkpointed, closed, fsynced and renamed onto ``archive.duckdb`` only when complete,
and ``run_info.complete = 'true'`` is the last row written. A run killed at any moment leaves
the previous archive (or none) plus, at most, a ``.tmp-`` file no reader takes for an archive.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from rossim.fileio import atomic_path, sql_string_literal

#: table -> [(column, SQL type, description)]
SCHEMA: dict[str, list[tuple[str, str, str]]] = {
    "run_info": [("key", "VARCHAR", "name"), ("value", "VARCHAR", "value")],
    "events": [
        ("time", "TIMESTAMP", "UTC"), ("kind", "VARCHAR", "dock, undock, separation, mode, "
         "reboost, alarm, fault, fault-detected, fault-repaired, task, load-shedding, ..."),
        ("subject", "VARCHAR", "part, component, source"), ("detail", "VARCHAR", "text"),
        ("severity", "VARCHAR", "info, warning, critical"), ("value", "DOUBLE", "number, if any"),
        ("source", "VARCHAR", "plan, scenario, autonomy, ground, operator, engine, scheduler")],
    "alarms": [
        ("time", "TIMESTAMP", "UTC"), ("severity", "VARCHAR", "warning, critical"),
        ("subject", "VARCHAR", "subsystem or component"), ("detail", "VARCHAR", "what"),
        ("cause", "VARCHAR", "why, in the station's terms")],
    "commands": [
        ("time", "TIMESTAMP", "UTC"), ("command", "VARCHAR", "name(arguments)"),
        ("source", "VARCHAR", "scenario, autonomy, ground, operator"),
        ("accepted", "BOOLEAN", "executed (true) or refused"),
        ("detail", "VARCHAR", "outcome, or the reason for the refusal")],
    "invariants": [
        ("name", "VARCHAR", "invariant"), ("holds", "BOOLEAN", ""),
        ("detail", "VARCHAR", "the figures checked"), ("first_violation", "TIMESTAMP", "")],
    "channels": [
        ("name", "VARCHAR", "channel (= column)"), ("table_name", "VARCHAR", "archive table"),
        ("unit", "VARCHAR", ""), ("low", "DOUBLE", "lower limit (NULL: none)"),
        ("high", "DOUBLE", "upper limit (NULL: none)"), ("subsystem", "VARCHAR", ""),
        ("description", "VARCHAR", "")],
    "telemetry_hourly": [
        ("time", "TIMESTAMP", "UTC"), ("altitude_km", "DOUBLE", "mean altitude a - R_eq"),
        ("raan_deg", "DOUBLE", "node, GCRF"), ("density_kg_m3", "DOUBLE", "orbit average"),
        ("ballistic_m2_kg", "DOUBLE", "Cd A / m"), ("station_propellant_kg", "DOUBLE", "tanks"),
        ("f107", "DOUBLE", "sfu"), ("mass_kg", "DOUBLE", "flown, with docked vehicles"),
        ("drag_area_m2", "DOUBLE", "flight attitude"), ("crew_aboard", "DOUBLE", "people"),
        ("crew_capacity", "DOUBLE", "berths")],
    "telemetry_power": [
        ("time", "TIMESTAMP", "bin start (10 min)"), ("soc_min", "DOUBLE", "fraction"),
        ("soc_max", "DOUBLE", "fraction"), ("generation_kw", "DOUBLE", "mean"),
        ("load_kw", "DOUBLE", "demand, mean"), ("served_kw", "DOUBLE", "after shedding, mean"),
        ("shed_fraction", "DOUBLE", "of the bin"), ("sunlit_fraction", "DOUBLE", "mean"),
        ("beta_deg", "DOUBLE", "mean"), ("battery_kwh", "DOUBLE", "capacity"),
        ("deficit_fraction", "DOUBLE", "of the bin with essential loads unmet"),
        ("shed_level", "DOUBLE", "highest load-shedding level (0-2) in the bin"),
        ("safe_mode", "DOUBLE", "1 if in safe mode during the bin"),
        ("sun_biased", "DOUBLE", "share of the bin in the sun-biased attitude (autonomy, high beta)")],
    "telemetry_thermal": [
        ("time", "TIMESTAMP", "bin start (1 h)"),
        ("max_temperature_c", "DOUBLE", "warmest module, hourly mean (degC)"),
        ("min_temperature_c", "DOUBLE", "coldest module, hourly mean (degC)"),
        ("heater_kw", "DOUBLE", "heater power of all modules, hourly mean"),
        ("radiator_kw", "DOUBLE", "heat rejected by all radiators, hourly mean")],
    "telemetry_daily": [
        ("time", "TIMESTAMP", "day"), ("oxygen_kg", "DOUBLE", "stock"),
        ("water_kg", "DOUBLE", "stock"), ("food_kg", "DOUBLE", "stock"),
        ("crew", "DOUBLE", "mean aboard"), ("margin_days", "DOUBLE", "for max(crew, 2)"),
        ("shortfall_kg", "DOUBLE", "unmet demand"),
        ("contact_minutes", "DOUBLE", "contact that day: ground stations or Luch-5 relays"),
        ("contact_ground_minutes", "DOUBLE", "contact with the ground stations that day"),
        ("contact_relay_minutes", "DOUBLE", "contact through the Luch-5 relays that day")],
    "telemetry_contact": [
        ("time", "TIMESTAMP", "UTC: the run start and every AOS and LOS"),
        ("in_contact", "DOUBLE", "any link: 1 from this instant on, 0 after a LOS"),
        ("in_ground_contact", "DOUBLE", "a ground station: 1 from this instant on"),
        ("in_relay_contact", "DOUBLE", "a Luch-5 relay: 1 from this instant on")],
    "contact_windows": [
        ("name", "VARCHAR", "ground station or relay"), ("kind", "VARCHAR", "ground or relay"),
        ("aos", "TIMESTAMP", "acquisition of signal, UTC"),
        ("los", "TIMESTAMP", "loss of signal, UTC"), ("duration_s", "DOUBLE", "s"),
        ("max_elevation_deg", "DOUBLE", "culmination (ground; NULL for relays)"),
        ("aos_clipped", "BOOLEAN", "in contact at the run start"),
        ("los_clipped", "BOOLEAN", "still in contact at the run end")],
    "burns": [
        ("time", "TIMESTAMP", "UTC"), ("dv_m_s", "DOUBLE", "Hohmann total"),
        ("propellant_kg", "DOUBLE", "rocket equation"), ("source", "VARCHAR", "station/Progress"),
        ("altitude_before_km", "DOUBLE", ""), ("altitude_after_km", "DOUBLE", ""),
        ("mass_kg", "DOUBLE", "before the burn"), ("isp_s", "DOUBLE", ""),
        ("commanded_by", "VARCHAR", "autonomy, scenario, ground, operator")],
    "faults": [
        ("id", "INTEGER", ""), ("component", "VARCHAR", ""), ("module", "VARCHAR", ""),
        ("unit", "INTEGER", ""), ("location", "VARCHAR", "inside/outside"),
        ("injected", "BOOLEAN", ""), ("failed_at", "TIMESTAMP", ""),
        ("detected_at", "TIMESTAMP", ""), ("rule", "VARCHAR", ""), ("response", "VARCHAR", ""),
        ("recovered_automatically", "BOOLEAN", ""), ("degraded_until", "TIMESTAMP", ""),
        ("repaired_at", "TIMESTAMP", ""), ("repaired_by", "VARCHAR", ""),
        ("worksite", "VARCHAR", ""),
        ("common_cause", "INTEGER",
         "id of the first fault of its common-cause event, -1 for none")],
    "tasks": [
        ("kind", "VARCHAR", ""), ("worksite", "VARCHAR", ""), ("ready", "TIMESTAMP", ""),
        ("start", "TIMESTAMP", ""), ("finish", "TIMESTAMP", ""), ("duration_h", "DOUBLE", ""),
        ("by", "VARCHAR", "robot/crew/EVA"), ("reachable", "BOOLEAN", "by the arm"),
        ("fault_id", "INTEGER", "")],
    "crew_dose": [
        ("visit", "VARCHAR", "crewed visit"), ("vehicle", "VARCHAR", ""),
        ("launch", "TIMESTAMP", ""), ("days", "DOUBLE", "stay"), ("crew", "INTEGER", "people"),
        ("per_person_mGy", "DOUBLE", "absorbed"), ("per_person_mSv", "DOUBLE", "dose equivalent"),
        ("collective_person_mSv", "DOUBLE", "crew x per person"),
        ("cumulative_person_mSv", "DOUBLE", "running sum over visits")],
    "free_flyers": [
        ("name", "VARCHAR", "satellite"), ("deployment", "INTEGER", "scenario deployment index"),
        ("deployed", "TIMESTAMP",
         "release as flown (after any keep-out hold; summary.json `free_flyers`)"),
        ("mass_kg", "DOUBLE", ""),
        ("ring", "INTEGER", "ring of the family"),
        ("radial_amplitude_m", "DOUBLE", "relative orbit, radial (along-track twice that)"),
        ("cross_track_amplitude_m", "DOUBLE", "relative orbit, cross-track"),
        ("reentry", "TIMESTAMP",
         "release as flown plus unkept lifetime; NULL past the model's horizon")],
    "spares_daily": [
        ("time", "TIMESTAMP", "UTC midnight"), ("component", "VARCHAR", "unit type"),
        ("stock", "DOUBLE", "spare units aboard")],
    "phases": [
        ("phase", "INTEGER", ""), ("start", "TIMESTAMP", ""), ("finish", "TIMESTAMP", ""),
        ("modules", "VARCHAR[]", "attached module ids (older archives: one comma-joined VARCHAR)"),
        ("vehicles", "VARCHAR[]", "docked ships' names (older archives: one comma-joined VARCHAR)"),
        ("mass_kg", "DOUBLE", "parts at plan mass (ships at launch mass; flown mass: "
                              "telemetry_hourly)"),
        ("com_x_m", "DOUBLE", ""), ("drag_area_m2", "DOUBLE", ""),
        ("solar_array_power_kw", "DOUBLE", ""), ("pressurised_volume_m3", "DOUBLE", ""),
        ("crew_capacity", "INTEGER", ""), ("crew_aboard", "INTEGER", "")],
}


#: tables that hold, besides their :data:`SCHEMA` columns, one DOUBLE column per extra key
#: of the data written (``telemetry_thermal``: ``<module>_temperature_c``, ``<module>_heater_kw``,
#: ``<module>_radiator_kw`` for each pressurised module of the run, in the order given)
DYNAMIC_TABLES = ("telemetry_thermal",)

def run_output_folders() -> dict[str, tuple[str, ...]]:
    """The sub-folders of :data:`rossim.fileio.RUN_OUTPUTS` (a run's output set) -> the files
    a run writes in each: ``parquet/``
    holds one ``<table>.parquet`` per archive table (``--parquet``, :func:`export_parquet`).
    An earlier ``parquet/`` holding only those is the run's own output, replaced (or removed
    by a run without ``--parquet``); one holding anything else is refused before the run
    (:func:`rossim.fileio.check_in_the_way`)."""
    return {"parquet": tuple(f"{name}.parquet" for name in SCHEMA)}


def _column(values: Any, sql_type: str) -> Any:
    if sql_type == "TIMESTAMP":
        arr = np.asarray(values, dtype="datetime64[us]")
        return arr
    if sql_type == "DOUBLE":
        return np.asarray(values, dtype=float)
    if sql_type == "INTEGER":
        return np.asarray([-1 if v is None else v for v in values], dtype=np.int64)
    if sql_type == "BOOLEAN":
        return np.asarray(values, dtype=bool)
    if sql_type == "VARCHAR[]":   # one list of names per row, never a joined string
        col = np.empty(len(values), dtype=object)
        for k, v in enumerate(values):
            col[k] = [] if v is None else [str(x) for x in v]
        return col
    return np.asarray([("" if v is None else str(v)) for v in values], dtype=object)


def write_archive(path: str | os.PathLike[str], tables: dict[str, dict[str, Any]],
                  info: dict[str, str]) -> Path:
    """Write ``tables`` (name -> column -> values, columns as in :data:`SCHEMA`) and the
    ``run_info`` key/values to ``path`` atomically."""
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.unlink()  # DuckDB wants to create the file itself
        con = duckdb.connect(str(tmp))
        try:
            con.execute("CREATE TABLE run_info (key VARCHAR, value VARCHAR)")
            for k, v in info.items():
                con.execute("INSERT INTO run_info VALUES (?, ?)", [k, str(v)])
            con.execute("INSERT INTO run_info VALUES ('complete', 'false')")
            for name, cols in SCHEMA.items():
                if name == "run_info":
                    continue
                data = tables.get(name, {})
                if name in DYNAMIC_TABLES:
                    known = {c for c, _, _ in cols}
                    cols = cols + [(c, "DOUBLE", "") for c in data if c not in known]
                ddl = ", ".join(f'"{c}" {t}' for c, t, _ in cols)
                con.execute(f"CREATE TABLE {name} ({ddl})")
                if not data or len(next(iter(data.values()))) == 0:
                    continue
                frame = {c: _column(data[c], t) for c, t, _ in cols}
                con.register("frame_view", _to_relation_input(frame))
                names = ", ".join(f'"{c}"' for c, _, _ in cols)
                con.execute(f"INSERT INTO {name} SELECT {names} FROM frame_view")
                con.unregister("frame_view")
            con.execute("UPDATE run_info SET value = 'true' WHERE key = 'complete'")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        wal = Path(str(tmp) + ".wal")
        if wal.exists():  # nothing should be left after CHECKPOINT; never ship a WAL
            wal.unlink()
    return path


def _to_relation_input(frame: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """DuckDB scans a dict of NumPy columns as a table (no pandas import: 0.2 s a run)."""
    return frame


def read_table(path: str | os.PathLike[str], name: str, order_by: str | None = None):
    """All rows of table ``name`` as a list of tuples (read-only connection)."""
    if name not in SCHEMA:
        raise KeyError(name)
    con = duckdb.connect(str(path), read_only=True)
    try:
        sql = f"SELECT * FROM {name}" + (f" ORDER BY {order_by}" if order_by else "")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def name_list(cell: Any, known: Collection[str] = ()) -> list[str]:
    """A cell of a list-of-names column as a list. ``VARCHAR[]`` (this rossim): the list as
    is. A comma-joined ``VARCHAR`` (archives written before the list columns): split at the
    commas, the pieces joined back wherever they make a name of ``known``, the longest first
    ("Soyuz crew, stage 2 #3,Progress MS #4" is two ships when both are known names); a piece
    no known name covers stays on its own."""
    if cell is None:
        return []
    if not isinstance(cell, str):
        return [str(x) for x in cell]
    pieces = cell.split(",") if cell else []
    out: list[str] = []
    i = 0
    while i < len(pieces):
        j = next((j for j in range(len(pieces), i + 1, -1)
                  if ",".join(pieces[i:j]) in known), i + 1)
        out.append(",".join(pieces[i:j]))
        i = j
    return out


def read_phases(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The ``phases`` table by start, one dict per row, ``modules`` and ``vehicles`` as lists
    of names whatever the archive's age (:func:`name_list`; for an archive of comma-joined
    strings the known names are its events' subjects: every module and ship docks or undocks
    under its name)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        cur = con.execute("SELECT * FROM phases ORDER BY start")
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        known: set[str] = set()
        if any(isinstance(r.get(c), str) for r in rows for c in _NAME_LISTS):
            known = {s for (s,) in con.execute(
                "SELECT DISTINCT subject FROM events WHERE subject IS NOT NULL").fetchall()}
    finally:
        con.close()
    for r in rows:
        for c in _NAME_LISTS:
            if c in r:
                r[c] = name_list(r[c], known)
    return rows


#: the ``phases`` columns that hold lists of names
_NAME_LISTS = ("modules", "vehicles")


def is_complete(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` is an archive whose run finished writing."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return False
    try:
        row = con.execute("SELECT value FROM run_info WHERE key = 'complete'").fetchone()
        return bool(row) and row[0] == "true"
    except duckdb.Error:
        return False
    finally:
        con.close()


def export_parquet(path: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> list[Path]:
    """One Parquet file per table of the archive into ``out_dir`` (each written atomically)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=True)
    written = []
    try:
        for name in SCHEMA:
            target = out_dir / f"{name}.parquet"
            with atomic_path(target) as tmp:
                tmp.unlink()
                con.execute(f"COPY {name} TO {sql_string_literal(tmp)} (FORMAT PARQUET)")
            written.append(target)
    finally:
        con.close()
    return written
