"""The channel dictionary: which telemetry an archive holds, with units, limits and meaning.

A channel is one numeric column of one telemetry table, named ``<subsystem>.<column>``
(``power.soc_min``, ``hourly.altitude_km``). The dictionary is read from the archive's
``channels`` table when it has one (columns ``name, table, column, unit, low, high,
description``, or the closed-loop engine's ``name, table_name, unit, low, high, subsystem,
description``), else derived from the columns of every
``telemetry_*`` table: the unit from the column name's suffix (``_km`` -> km, ``_kw`` -> kW,
...), the description from :data:`rossim.archive.store.SCHEMA` when the table is a known one,
and the limits from ``limits.toml`` beside this module (each with its source).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rossim.archive.store import SCHEMA

__all__ = ["Channel", "unit_from_name", "load_channels", "with_levels", "SUBSYSTEM_TITLES"]

#: column-name suffix -> unit, longest first wins (SI names as in docs/architecture.md)
_SUFFIX_UNITS: list[tuple[str, str]] = [
    ("_kg_m3", "kg/m³"), ("_m2_kg", "m²/kg"), ("_m_s", "m/s"), ("_m2", "m²"), ("_m3", "m³"),
    ("_kwh", "kWh"), ("_kw", "kW"), ("_w", "W"), ("_km", "km"), ("_kg", "kg"), ("_deg", "deg"),
    ("_fraction", "fraction"), ("_days", "d"), ("_h", "h"), ("_s", "s"), ("_m", "m"),
    ("_msv", "mSv"), ("_mgy", "mGy"), ("_c", "°C"), ("_k", "K"), ("_pa", "Pa"), ("_kpa", "kPa"),
]
#: whole names with a unit no suffix says
_NAME_UNITS = {"f107": "sfu", "soc_min": "fraction", "soc_max": "fraction", "soc": "fraction",
               "crew": "people", "crew_aboard": "people"}

#: subsystem key -> title in the object tree
SUBSYSTEM_TITLES = {
    "power": "Power (10-minute bins)",
    "thermal": "Thermal (hourly)",
    "hourly": "Orbit, mass and propellant (hourly)",
    "daily": "Consumables and crew (daily)",
}

_LIMITS_FILE = Path(__file__).with_name("limits.toml")
_NUMERIC = ("DOUBLE", "FLOAT", "REAL", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT",
            "DECIMAL", "UBIGINT", "UINTEGER")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Channel:
    """One telemetry channel: ``name`` = ``<subsystem>.<column>``, the archive ``table`` and
    ``column`` it is read from, its ``unit`` (text, "" if none), alarm limits ``low``/``high``
    (None if none: red, critical) with the ``limit_source``, a ``description``, and the
    warning limits ``warning_low``/``warning_high`` (yellow; :func:`with_levels`)."""

    name: str
    subsystem: str
    table: str
    column: str
    unit: str
    low: float | None
    high: float | None
    description: str
    limit_source: str = ""
    warning_low: float | None = None
    warning_high: float | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def unit_from_name(column: str) -> str:
    """The unit a column's name carries (``altitude_km`` -> ``km``), "" if it says none."""
    name = column.lower()
    if name in _NAME_UNITS:
        return _NAME_UNITS[name]
    for suffix, unit in sorted(_SUFFIX_UNITS, key=lambda su: -len(su[0])):
        if name.endswith(suffix):
            return unit
    return ""


def _limits() -> dict[str, dict[str, Any]]:
    with open(_LIMITS_FILE, "rb") as fh:
        return tomllib.load(fh).get("limits", {})


def _subsystem(table: str) -> str:
    return table.removeprefix("telemetry_")


def _float_or_none(v: Any) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def load_channels(con: Any) -> list[Channel]:
    """The channels of the archive open on DuckDB connection ``con`` (sorted by name)."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    if "channels" in tables:
        listed = _from_table(con, tables)
        if listed:
            return with_levels(listed)
    return with_levels(_derived(con, tables))  # no dictionary in the archive (or an empty one)


def _levels() -> dict[str, tuple[str, float | None, float | None, str]]:
    """column (or ``*_temperature_c``) -> (which limits, critical low, critical high, why)
    for the channels whose engine limit is a warning: the engine acts or alarms there only in
    some states (crew aboard), and has a harder limit at all times (the systems catalog)."""
    from rossim.config.systems import load_systems

    sy = load_systems()
    lo_c, hi_c = sy.thermal.limits_c(True)
    lo_u, hi_u = sy.thermal.limits_c(False)
    crit = sy.life_support.critical_reserve_days
    return {
        "*_temperature_c": ("both", lo_u, hi_u, f"warning: the crewed band {lo_c:g}-{hi_c:g} "
                            "degC, alarmed with crew aboard; critical: the uncrewed band "
                            f"{lo_u:g}-{hi_u:g} degC, alarmed at all times"),
        "max_temperature_c": ("high", None, hi_u, f"warning above {hi_c:g} degC (crewed band, "
                              f"alarmed with crew aboard); critical above {hi_u:g} degC "
                              "(uncrewed band)"),
        "margin_days": ("low", None if crit is None else crit.value, None,
                        "warning: below the reserve (alarmed with crew aboard); critical: "
                        "below the critical reserve" + ("" if crit is None else
                                                        f" {crit.value:g} days")),
        "soc_min": ("low", sy.power.emergency_reserve_soc.value, None,
                    f"warning: below min_soc (loads shed); critical: below "
                    f"{sy.power.emergency_reserve_soc.value:g} (battery empty: safe mode)"),
    }


def with_levels(channels: list[Channel]) -> list[Channel]:
    """The channels with two levels of limits where one would mislead (a module's crewed
    temperature band shown red on every uncrewed day while the engine raises no alarm): the
    channel's own limit becomes the warning (yellow) and the harder limit of
    :func:`_levels` the critical (red) one. Other channels are unchanged."""
    from dataclasses import replace

    levels = _levels()
    out = []
    for c in channels:
        key = c.column if c.column in levels else (
            "*_temperature_c" if c.subsystem == "thermal" and c.column.endswith(
                "_temperature_c") and c.column != "min_temperature_c" else None)
        if key is None or (c.low is None and c.high is None):
            out.append(c)
            continue
        which, lo, hi, why = levels[key]
        c = replace(c, warning_low=c.low if which in ("low", "both") else None,
                    warning_high=c.high if which in ("high", "both") else None,
                    low=lo if which in ("low", "both") else c.low,
                    high=hi if which in ("high", "both") else c.high,
                    limit_source=f"{c.limit_source}; {why}".lstrip("; "))
        out.append(c)
    return out


def _columns(con: Any, table: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        [table]).fetchall()]


def _from_table(con: Any, tables: set[str]) -> list[Channel]:
    """Rows of the archive's ``channels`` table. Either layout is read: ``name, table,
    column, unit, low, high, description`` or the engine's ``name, table_name, unit, low,
    high, subsystem, description`` (where the column is the name)."""
    have = {c for c, _ in _columns(con, "channels")}
    table_col = "table" if "table" in have else "table_name"
    pick = ["name", table_col, "column" if "column" in have else "name", "unit", "low", "high",
            "subsystem" if "subsystem" in have else "NULL", "description"]
    sql = ", ".join(p if p == "NULL" else _quote(p) for p in pick)
    rows = con.execute(f"SELECT {sql} FROM channels ORDER BY name").fetchall()
    out = []
    for name, table, column, unit, low, high, subsystem, description in rows:
        name, column = str(name), str(column).split(".", 1)[-1]
        if table not in tables or not _IDENT.match(column):
            continue  # a dictionary row for a table this archive does not hold
        if column not in {c for c, _ in _columns(con, table)}:
            continue
        sub = _slug(subsystem) if subsystem else (name.split(".", 1)[0] if "." in name
                                                  else _subsystem(table))
        cid = name if "." in name else f"{sub}.{name}"
        out.append(Channel(cid, sub, table, column, unit or unit_from_name(column),
                           _float_or_none(low), _float_or_none(high), description or "",
                           "archive channels table"))
    return sorted(out, key=lambda c: c.name)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_") or "station"


def _derived(con: Any, tables: set[str]) -> list[Channel]:
    limits = _limits()
    out = []
    for table in sorted(t for t in tables if t.startswith("telemetry_")):
        cols = _columns(con, table)
        if "time" not in {c for c, _ in cols}:
            continue
        known = {c: d for c, _, d in SCHEMA.get(table, [])}
        for column, sql_type in cols:
            if column == "time" or not sql_type.upper().startswith(_NUMERIC):
                continue
            name = f"{_subsystem(table)}.{column}"
            lim = limits.get(name, {})
            out.append(Channel(name, _subsystem(table), table, column, unit_from_name(column),
                               _float_or_none(lim.get("low")), _float_or_none(lim.get("high")),
                               known.get(column, ""),
                               f"{lim.get('flag', '')}: {lim.get('source', '')}" if lim else ""))
    return sorted(out, key=lambda c: c.name)
