"""The CCSDS KVN lexer and the pieces OPM and OEM share: keyword lines with file:line, units,
epochs in a time system, headers, covariance blocks, comment ``KEY=value`` pairs, and the
writing helpers (epoch text, header lines, covariance rows).

Files hold km and km/s; readers return SI. Errors raise :class:`rossim.errors.InputError`
naming ``file:line`` and the keyword.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.errors import InputError
from rossim.files.refframe import _GPS_MINUS_TAI_S, FRAMES, LOCAL_FRAMES, TIME_SYSTEMS
from rossim.time import creation_time, to_time

_KM = 1000.0
_UNITS = {  # keyword -> accepted unit spellings (lower case); absent means no unit allowed
    **{k: {"km"} for k in ("X", "Y", "Z", "SEMI_MAJOR_AXIS")},
    **{k: {"km/s"} for k in ("X_DOT", "Y_DOT", "Z_DOT", "MAN_DV_1", "MAN_DV_2", "MAN_DV_3")},
    **{k: {"deg"} for k in ("INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER",
                            "TRUE_ANOMALY", "MEAN_ANOMALY")},
    "GM": {"km**3/s**2", "km^3/s^2"},
    "MASS": {"kg"},
    "MAN_DELTA_MASS": {"kg"},
    "SOLAR_RAD_AREA": {"m**2", "m^2"},
    "DRAG_AREA": {"m**2", "m^2"},
    "MAN_DURATION": {"s"},
    "ECCENTRICITY": {"n/a"},
    # Covariance terms: position-position km**2, position-velocity km**2/s, velocity-velocity
    # km**2/s**2; any of the three is accepted on any term (files are not consistent).
    **{f"C{a}_{b}": {"km**2", "km**2/s", "km**2/s**2", "km^2", "km^2/s", "km^2/s^2"}
       for a in ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")
       for b in ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")},
    "SOLAR_RAD_COEFF": {"n/a"},
    "DRAG_COEFF": {"n/a"},
}

_HEADER_KEYS = ("CREATION_DATE", "ORIGINATOR", "MESSAGE_ID", "CLASSIFICATION")
_OPM_META = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "REF_FRAME_EPOCH",
             "TIME_SYSTEM")
_STATE = ("EPOCH", "X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")
_KEPLER = ("SEMI_MAJOR_AXIS", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
           "ARG_OF_PERICENTER", "TRUE_ANOMALY", "MEAN_ANOMALY", "GM")
_SPACECRAFT = ("MASS", "SOLAR_RAD_AREA", "SOLAR_RAD_COEFF", "DRAG_AREA", "DRAG_COEFF")
_COV_AXES = ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")
_COV_KEYS = tuple(f"C{_COV_AXES[i]}_{_COV_AXES[j]}" for i in range(6) for j in range(i + 1))
_MAN = ("MAN_EPOCH_IGNITION", "MAN_DURATION", "MAN_DELTA_MASS", "MAN_REF_FRAME",
        "MAN_DV_1", "MAN_DV_2", "MAN_DV_3")
_OEM_META = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "REF_FRAME_EPOCH",
             "TIME_SYSTEM", "START_TIME", "USEABLE_START_TIME", "USEABLE_STOP_TIME",
             "STOP_TIME", "INTERPOLATION", "INTERPOLATION_DEGREE")
_OEM_META_REQUIRED = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM",
                      "START_TIME", "STOP_TIME")

__all__ = ["CovarianceBlock", "comment_values"]


# --------------------------------------------------------------------------- data classes

@dataclass
class CovarianceBlock:
    """A 6x6 position-velocity covariance in SI (m^2, m^2/s, m^2/s^2).

    ``frame`` is the covariance frame (``None`` means the state's ``REF_FRAME``); the matrix is
    symmetric, order x, y, z, vx, vy, vz.
    """

    matrix_si: np.ndarray
    epoch: Time | None = None
    frame: str | None = None
    comments: list[str] = field(default_factory=list)



def comment_values(comments: list[str]) -> dict[str, str]:
    """``KEY=value`` pairs found in comment lines (first occurrence wins).

    ``["MASS=458943.00", "DRAG_AREA=1606.80"]`` gives ``{"MASS": "458943.00",
    "DRAG_AREA": "1606.80"}``. Lines with several ``$``-separated pairs are split; keys are
    upper-case words.
    """
    out: dict[str, str] = {}
    for text in comments:
        for part in text.split("$"):
            m = re.fullmatch(r"\s*([A-Z][A-Z0-9_]*)\s*=\s*(\S+)\s*", part)
            if m and m.group(1) not in out:
                out[m.group(1)] = m.group(2)
    return out


# --------------------------------------------------------------------------- lexing

@dataclass
class _Line:
    n: int
    kind: str  # "kv", "comment", "data", "block"
    key: str = ""
    value: str = ""
    unit: str | None = None
    text: str = ""


_KV = re.compile(r"^([A-Z][A-Z0-9_]*)\s*=\s*(.*?)\s*$")
_KV_ANY_CASE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)\s*=")
_BLOCKS = {"META_START", "META_STOP", "COVARIANCE_START", "COVARIANCE_STOP"}


def _lex(text: str, where: str) -> list[_Line]:
    out: list[_Line] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("COMMENT"):
            if len(line) > 7 and not line[7].isspace():
                raise InputError(f"{where}:{n}", "COMMENT", line, "COMMENT followed by a space")
            # Keep the comment's own alignment: drop only the one separating blank.
            body = raw.lstrip()[7:].rstrip()
            out.append(_Line(n, "comment", "COMMENT", body[1:] if body[:1].isspace() else body,
                             text=raw))
            continue
        if line in _BLOCKS:
            out.append(_Line(n, "block", line, text=raw))
            continue
        m = _KV.match(line)
        low = None if m else _KV_ANY_CASE.match(line)
        if low:
            raise InputError(f"{where}:{n}", low.group(1), line,
                             f"the keyword in upper case ({low.group(1).upper()}): CCSDS KVN "
                             "keywords are upper case (CCSDS 502.0-B-3, 7.4.4)")
        if m:
            key, value = m.group(1), m.group(2)
            unit = None
            um = re.fullmatch(r"(.*?)\s*\[([^\]]*)\]", value)
            if um:
                value, unit = um.group(1).strip(), um.group(2).strip()
            out.append(_Line(n, "kv", key, value, unit, text=raw))
            continue
        out.append(_Line(n, "data", text=line))
    return out


def _num(line: _Line, where: str) -> float:
    try:
        value = float(line.value)
    except ValueError:
        value = math.nan
        ok = False
    else:
        ok = math.isfinite(value)
    if not ok:
        raise InputError(f"{where}:{line.n}", line.key, line.value, "a finite number")
    if line.unit is not None:
        allowed = _UNITS.get(line.key)
        if allowed is None or line.unit.lower() not in allowed:
            raise InputError(f"{where}:{line.n}", f"{line.key} unit", line.unit,
                             " or ".join(sorted(allowed)) if allowed else "no unit")
    return value


def _time_system(line: _Line, where: str) -> str:
    ts = line.value.upper()
    if ts not in TIME_SYSTEMS:
        raise InputError(f"{where}:{line.n}", "TIME_SYSTEM", line.value,
                         ", ".join(sorted(TIME_SYSTEMS)))
    return ts


def _frame(line: _Line, where: str, *, local_ok: bool = False) -> str:
    fr = line.value.upper()
    if fr in FRAMES or (local_ok and fr in LOCAL_FRAMES):
        return fr
    allowed = sorted(FRAMES | (LOCAL_FRAMES if local_ok else frozenset()))
    raise InputError(f"{where}:{line.n}", line.key, line.value, "one of " + ", ".join(allowed),
                     problem="unknown frame")


def _epochs(texts: list[str], time_system: str) -> Time:
    if time_system == "GPS":
        return to_time(texts, scale="tai") + TimeDelta(-_GPS_MINUS_TAI_S, format="sec")
    return to_time(texts, scale=time_system.lower())


def _epoch(line: _Line, where: str, time_system: str | None) -> Time:
    try:
        t = _epochs([line.value], time_system or "UTC")[0]
    except InputError as exc:
        raise InputError(f"{where}:{line.n}", line.key, line.value,
                         "an ISO 8601 epoch such as 2022-01-17T12:00:00.000") from exc
    return t


def _header(lines: list[_Line], where: str, kind: str
            ) -> tuple[dict[str, _Line], list[str], int]:
    first = lines[0] if lines else None
    vers_key = f"CCSDS_{kind}_VERS"
    if first is None or first.kind != "kv" or first.key != vers_key:
        n = first.n if first else 1
        raise InputError(f"{where}:{n}", vers_key, first.text.strip() if first else "",
                         f"{vers_key} = 2.0 as the first line")
    if first.value not in ("1.0", "2.0", "3.0"):
        raise InputError(f"{where}:{first.n}", vers_key, first.value, "1.0, 2.0 or 3.0")
    head = {vers_key: first}
    comments: list[str] = []
    i = 1
    while i < len(lines):
        ln = lines[i]
        if ln.kind == "comment":
            comments.append(ln.value)
        elif ln.kind == "kv" and ln.key in _HEADER_KEYS:
            if ln.key in head:
                raise InputError(f"{where}:{ln.n}", ln.key, ln.value, "the keyword once",
                                 problem="repeated")
            head[ln.key] = ln
        else:
            break
        i += 1
    for key in ("CREATION_DATE", "ORIGINATOR"):
        if key not in head:
            n = lines[i].n if i < len(lines) else lines[-1].n
            raise InputError(f"{where}:{n}", key, None, "a value (mandatory header keyword)",
                             problem="missing")
    return head, comments, i



def _read(path: str | os.PathLike[str], what: str) -> tuple[str, str]:
    from rossim.fileio import read_input_text

    return read_input_text(path, what), os.fspath(path)



def _parse_cov_block(block: list[_Line], where: str, ts: str) -> list[CovarianceBlock]:
    out: list[CovarianceBlock] = []
    cur: dict | None = None
    comments: list[str] = []

    def finish() -> None:
        if cur is None:
            return
        if len(cur["rows"]) != 6:
            raise InputError(f"{where}:{cur['line'].n}", "covariance", f"{len(cur['rows'])} rows",
                             "6 rows (lower triangle, 1 to 6 values)")
        mat = np.zeros((6, 6))
        for a, row in enumerate(cur["rows"]):
            for b, val in enumerate(row):
                mat[a, b] = mat[b, a] = val * 1e6
        out.append(CovarianceBlock(mat, epoch=cur["epoch"], frame=cur["frame"],
                                   comments=cur["comments"]))

    for ln in block:
        if ln.kind == "comment":
            comments.append(ln.value)
        elif ln.kind == "kv" and ln.key == "EPOCH":
            finish()
            cur = {"line": ln, "epoch": _epoch(ln, where, ts), "frame": None, "rows": [],
                   "comments": comments}
            comments = []
        elif ln.kind == "kv" and ln.key == "COV_REF_FRAME":
            if cur is None or cur["rows"]:
                raise InputError(f"{where}:{ln.n}", ln.key, ln.value,
                                 "COV_REF_FRAME right after EPOCH")
            cur["frame"] = _frame(ln, where, local_ok=True)
        elif ln.kind == "data":
            if cur is None:
                raise InputError(f"{where}:{ln.n}", "covariance", ln.text, "EPOCH = first")
            parts = ln.text.split()
            k = len(cur["rows"]) + 1
            if len(parts) != k or k > 6:
                raise InputError(f"{where}:{ln.n}", f"covariance row {k}", ln.text,
                                 f"{min(k, 6)} numbers")
            try:
                row = [float(p) for p in parts]
            except ValueError as exc:
                raise InputError(f"{where}:{ln.n}", f"covariance row {k}", ln.text,
                                 "numbers") from exc
            cur["rows"].append(row)
        else:
            raise InputError(f"{where}:{ln.n}", ln.key or "line", ln.text.strip(),
                             "EPOCH, COV_REF_FRAME, COMMENT or a covariance row")
    finish()
    return out


# --------------------------------------------------------------------------- writing

def _t_text(t: Time, time_system: str, digits: int = 9) -> str | np.ndarray:
    """Epoch(s) as text in the file's time system."""
    ts = time_system.upper()
    if ts == "GPS":  # a GPS clock reads TAI - 19 s
        scaled = t.tai + TimeDelta(_GPS_MINUS_TAI_S, format="sec")
    else:
        scaled = getattr(t, ts.lower())
    scaled = scaled.copy()
    scaled.precision = digits
    return scaled.isot


def _comment_lines(comments: list[str]) -> list[str]:
    out = []
    for c in comments:
        for part in str(c).splitlines() or [""]:
            out.append(f"COMMENT {part}".rstrip())
    return out


def _check_name(value: str, key: str) -> str:
    if "\n" in value or not value.strip():
        raise InputError(None, key, value, "a non-empty single-line value")
    return value


def _header_lines(kind: str, version: str, creation: Time | None, originator: str,
                  message_id: str | None, comments: list[str], data_epoch: Time) -> list[str]:
    """Header lines. Without an explicit ``creation`` the stamp is ``SOURCE_DATE_EPOCH`` or,
    failing that, ``data_epoch`` (the message's first epoch), never the wall clock
    (:func:`rossim.time.creation_time`): the same message always gives the same bytes."""
    creation = creation if creation is not None else creation_time(data_epoch)
    out = [f"CCSDS_{kind}_VERS = 2.0"]
    out += _comment_lines(comments)
    out.append(f"CREATION_DATE = {_t_text(creation, 'UTC', 3)}")
    out.append(f"ORIGINATOR = {_check_name(originator, 'ORIGINATOR')}")
    if message_id:
        out.append(f"MESSAGE_ID = {message_id}")
    return out


def _cov_rows(mat: np.ndarray) -> list[str]:
    m = np.asarray(mat, dtype=float) / 1e6
    if m.shape != (6, 6):
        raise InputError(None, "covariance", m.shape, "a 6x6 matrix")
    return [" ".join(f"{m[a, b]: .16e}" for b in range(a + 1)) for a in range(6)]


def _check_frame(frame: str, key: str, *, local_ok: bool = False) -> str:
    fr = frame.upper()
    if fr not in FRAMES and not (local_ok and fr in LOCAL_FRAMES):
        raise InputError(None, key, frame, "a CCSDS frame name such as EME2000, GCRF, ITRF, TEME",
                         problem="unknown frame")
    return fr
