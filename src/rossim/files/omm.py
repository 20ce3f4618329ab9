"""CCSDS Orbit Mean-elements Message (OMM): SGP4 mean elements from CCSDS XML or KVN, or
CelesTrak JSON/CSV, read as :class:`rossim.files.tle.TLE` (the data class of mean elements;
a TLE and an OMM of one object carry the same elements). Writing goes through the TLE writer.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from sgp4 import omm as _omm
from sgp4.api import Satrec

from rossim.errors import InputError
from rossim.files.ndmxml import strip_xml_namespaces
from rossim.files.tle import TLE
from rossim.time import format_iso, to_time

_OMM_EXPECTED = "a CCSDS OMM in XML or KVN, or CelesTrak OMM JSON/CSV"
_OMM_REQUIRED = ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
                 "ARG_OF_PERICENTER", "MEAN_ANOMALY", "NORAD_CAT_ID", "BSTAR",
                 "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")
_OMM_DEFAULTS = {"CLASSIFICATION_TYPE": "U", "OBJECT_ID": "", "EPHEMERIS_TYPE": "0",
                 "ELEMENT_SET_NO": "999", "REV_AT_EPOCH": "0"}

__all__ = ["parse_omm", "read_omm"]


def _omm_kvn(text: str, where: str) -> list[tuple[dict[str, str], dict[str, int]]]:
    """KVN records: ``(fields, line of each keyword)``; a record starts at CCSDS_OMM_VERS."""
    records: list[tuple[dict[str, str], dict[str, int]]] = []
    current: dict[str, str] | None = None
    lines: dict[str, int] = {}
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("COMMENT"):
            continue
        if "=" not in line:
            raise InputError(f"{where}:{n}", "OMM line", line, "KEYWORD = value")
        key, _, value = line.partition("=")
        key = key.strip()
        value = value.split("[")[0].strip()  # drop optional [units]
        if key == "CCSDS_OMM_VERS":
            current, lines = {}, {}
            records.append((current, lines))
        if current is None:
            raise InputError(f"{where}:{n}", key, value, "CCSDS_OMM_VERS as the first keyword")
        current[key] = value
        lines[key.upper()] = n
    return records


def _kvn_record_to_tle(fields: dict[str, str], lines: dict[str, int], where: str) -> TLE:
    """One KVN record as a TLE; an error names the line of its keyword (the record's first
    line for a missing one)."""
    try:
        return _omm_fields_to_tle(fields, f"{where}:{lines['CCSDS_OMM_VERS']}", ccsds=True)
    except InputError as exc:
        line = lines.get(str(exc.field or "").upper())
        if line is None:
            raise
        raise InputError(f"{where}:{line}", exc.field, exc.value, exc.expected,
                         problem=exc.problem) from None


def _omm_fields_to_tle(fields: dict[str, str], where: str, *, ccsds: bool = False) -> TLE:
    fields = {k.upper(): ("" if v is None else str(v).strip()) for k, v in fields.items()}
    for key in _OMM_REQUIRED:
        if not fields.get(key):
            raise InputError(where, key, None, "a value (mandatory OMM keyword)",
                             problem="missing")
    if ccsds:
        for key in ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM",
                    "MEAN_ELEMENT_THEORY"):
            if not fields.get(key):
                raise InputError(where, key, None, "a value (mandatory CCSDS OMM keyword)",
                                 problem="missing")
    theory = fields.get("MEAN_ELEMENT_THEORY", "SGP4").upper()
    if theory not in ("SGP4", "SGP/SGP4"):
        raise InputError(where, "MEAN_ELEMENT_THEORY", theory, "SGP4 mean elements")
    checks = (("CENTER_NAME", ("EARTH",), "EARTH (SGP4 elements are Earth-centred)"),
              ("REF_FRAME", ("TEME",), "TEME (the frame of SGP4 mean elements)"),
              ("TIME_SYSTEM", ("UTC",), "UTC (the time system of SGP4 elements)"))
    for key, allowed, expected in checks:
        if fields.get(key) and fields[key].upper() not in allowed:
            raise InputError(where, key, fields[key], expected)
    vers = fields.get("CCSDS_OMM_VERS")
    if vers:
        try:
            ok = 1.0 <= float(vers) <= 3.0
        except ValueError:
            ok = False
        if not ok:
            raise InputError(where, "CCSDS_OMM_VERS", vers, "a version from 1.0 to 3.0")
    for key, value in _OMM_DEFAULTS.items():
        fields.setdefault(key, value)
        if not fields[key]:
            fields[key] = value
    try:
        t = to_time(fields["EPOCH"])
    except InputError as exc:
        raise InputError(where, "EPOCH", fields["EPOCH"], exc.expected) from exc
    if not t.isscalar:
        raise InputError(where, "EPOCH", fields["EPOCH"], "one epoch")
    fields["EPOCH"] = str(format_iso(t, 6))  # the one layout sgp4.omm reads
    for key in ("MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
                "ARG_OF_PERICENTER", "MEAN_ANOMALY", "BSTAR", "MEAN_MOTION_DOT",
                "MEAN_MOTION_DDOT"):
        try:
            value = float(fields[key])
        except ValueError as exc:
            raise InputError(where, key, fields[key], "a number") from exc
        if not math.isfinite(value):
            raise InputError(where, key, fields[key], "a finite number")
    for key in ("NORAD_CAT_ID", "EPHEMERIS_TYPE", "ELEMENT_SET_NO", "REV_AT_EPOCH"):
        if not re.fullmatch(r"\d+", fields[key]):
            raise InputError(where, key, fields[key], "a non-negative integer")
    for key, lo, hi in (("INCLINATION", 0.0, 180.0), ("RA_OF_ASC_NODE", -360.0, 360.0),
                        ("ARG_OF_PERICENTER", -360.0, 360.0), ("MEAN_ANOMALY", -360.0, 360.0)):
        if not lo <= float(fields[key]) <= hi:
            raise InputError(where, key, fields[key], f"{lo:g} to {hi:g} deg")
    if len(fields["NORAD_CAT_ID"]) > 9:
        raise InputError(where, "NORAD_CAT_ID", _clip(fields["NORAD_CAT_ID"]),
                         "a catalog number of at most 9 digits")
    if not 0.0 <= float(fields["ECCENTRICITY"]) < 1.0:
        raise InputError(where, "ECCENTRICITY", fields["ECCENTRICITY"], "0 <= e < 1")
    if not float(fields["MEAN_MOTION"]) > 0.0:
        raise InputError(where, "MEAN_MOTION", fields["MEAN_MOTION"], "a positive rev/day")
    if len(fields["CLASSIFICATION_TYPE"]) != 1:
        raise InputError(where, "CLASSIFICATION_TYPE", _clip(fields["CLASSIFICATION_TYPE"]),
                         "one letter (U, C or S)")
    sat = Satrec()
    try:
        _omm.initialize(sat, fields)
    except (ValueError, KeyError, TypeError, OverflowError) as exc:
        raise InputError(where, "OMM", fields.get("NORAD_CAT_ID"), _OMM_EXPECTED,
                         problem=str(exc)) from exc
    return TLE(satrec=sat, name=fields.get("OBJECT_NAME") or None)


def _clip(text: str, limit: int = 40) -> str:
    text = str(text)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def parse_omm(text: str, where: str = "<string>") -> list[TLE]:
    """Parse OMM mean elements from text: CCSDS XML, CCSDS KVN, CelesTrak JSON or CSV."""
    stripped = text.lstrip()
    if stripped.startswith("<"):
        try:
            records = list(_omm.parse_xml(io.StringIO(strip_xml_namespaces(text))))
        except (ET.ParseError, AttributeError, LookupError) as exc:
            raise InputError(where, None, "XML", _OMM_EXPECTED, problem=str(exc)) from exc
        return [_omm_fields_to_tle(r, f"{where} segment {k + 1}", ccsds=True)
                for k, r in enumerate(records)]
    if stripped.startswith(("[", "{")):
        try:
            # integers kept as their digits (every field is read as text below): one of
            # thousands of digits is then named by its field, not by Python's int limit
            data = json.loads(text, parse_int=str)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}:{exc.lineno}", None, "JSON", _OMM_EXPECTED,
                             problem=exc.msg) from exc
        except RecursionError:
            raise InputError(where, None, "JSON", "a list of OMM objects",
                             problem="nested too deeply") from None
        except ValueError as exc:  # e.g. a float literal Python refuses
            raise InputError(where, None, "JSON", "a list of OMM objects with ordinary values",
                             problem=_clip(str(exc), 80)) from None
        data = [data] if isinstance(data, dict) else data
        if not all(isinstance(d, dict) for d in data):
            raise InputError(where, None, "JSON", "a list of OMM objects")
        return [_omm_fields_to_tle(d, f"{where} record {k + 1}") for k, d in enumerate(data)]
    if "CCSDS_OMM_VERS" in text:
        return [_kvn_record_to_tle(r, lines, where) for r, lines in _omm_kvn(text, where)]
    first = stripped.splitlines()[0] if stripped else ""
    if "," in first and "EPOCH" in first.upper():
        rows = list(csv.DictReader(io.StringIO(stripped)))
        return [_omm_fields_to_tle(r, f"{where}:{k + 2}") for k, r in enumerate(rows)]
    raise InputError(where, None, first[:40], _OMM_EXPECTED)


def read_omm(path: str | os.PathLike[str]) -> list[TLE]:
    """Read an OMM file (format detected from its content; see :func:`parse_omm`)."""
    from rossim.fileio import read_input_text

    path = Path(path)
    text = read_input_text(path, "OMM")
    tles = parse_omm(text, where=str(path))
    if not tles:
        raise InputError(str(path), None, "no records", "at least one OMM")
    return tles


# --------------------------------------------------------------------------- propagation
