"""CCSDS Orbit Data Messages in KVN: OPM (one state) and OEM (an ephemeris), read and write.

Follows CCSDS 502.0-B-2 (ODM 2.0; 1.0 and 3.0 files are read too) for the keywords a
station simulation needs. Files hold km and km/s; the data classes hold SI (m, m/s, kg, m^2),
epochs as astropy ``Time`` in the file's ``TIME_SYSTEM`` (UTC, TAI, TT, TDB, UT1 or GPS).
``COMMENT`` lines are kept, in order, with the block they belong to; ``KEY=value`` pairs in
comments (as the NASA/JSC ISS ephemeris writes ``COMMENT MASS=458943.00``) are available via
:func:`comment_values`.

Errors (missing mandatory keyword, unknown keyword, unknown frame or time system, bad number,
bad unit, misplaced block) raise :class:`rossim.errors.InputError` naming ``file:line`` and
the keyword. Writers produce ODM 2.0 KVN that these readers (and Orekit) read back, and write
atomically through :mod:`rossim.fileio`.

Frames: states stay in the file's ``REF_FRAME``; :func:`to_gcrf` converts EME2000/J2000 (IAU
2000 frame bias, constant, about 0.3 m at ISS radius), GCRF/ICRF (identity), TEME
(:mod:`rossim.frames.teme`) and ITRF (:mod:`rossim.frames.earth`) states to GCRF.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

import erfa
import numpy as np
from astropy.time import Time, TimeDelta

from rossim.dynamics import tle as _tle
from rossim.errors import InputError
from rossim.fileio import atomic_write_text
from rossim.time import to_time

__all__ = [
    "OPM",
    "OEM",
    "OEMSegment",
    "Maneuver",
    "CovarianceBlock",
    "FRAMES",
    "TIME_SYSTEMS",
    "read_opm",
    "parse_opm",
    "write_opm",
    "format_opm",
    "read_oem",
    "parse_oem",
    "write_oem",
    "format_oem",
    "comment_values",
    "to_gcrf",
    "oem_from_states",
    "InitialState",
    "read_state",
]

# Reference frames a state may be given in (CCSDS SANA registry names plus the J2000 and ITRF
# spellings found in real files).
FRAMES = frozenset({
    "EME2000", "J2000", "GCRF", "ICRF", "TEME", "TOD", "MOD",
    "ITRF", "ITRF-93", "ITRF-97", "ITRF2000", "ITRF2005", "ITRF2008", "ITRF2014",
    "ITRF2020",
})
# Local orbital frames allowed for covariance and manoeuvre vectors only.
LOCAL_FRAMES = frozenset({"RTN", "RSW", "RIC", "TNW", "QSW", "LVLH", "VNC", "NTW"})
TIME_SYSTEMS = frozenset({"UTC", "TAI", "TT", "TDB", "UT1", "GPS"})
_GPS_MINUS_TAI_S = -19.0

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


@dataclass
class Maneuver:
    """One OPM manoeuvre: ignition epoch, duration (s), mass change (kg, negative when
    propellant is used), delta-v (m/s) in ``frame``."""

    epoch_ignition: Time
    duration_s: float
    delta_mass_kg: float
    frame: str
    dv_m_s: np.ndarray
    comments: list[str] = field(default_factory=list)


@dataclass
class OPM:
    """An Orbit Parameter Message: one state vector and its context, SI units.

    ``r_m``, ``v_m_s``: shape (3,), in ``ref_frame`` centred on ``center_name``, at ``epoch``
    (a scalar ``Time`` in ``time_system``). ``keplerian`` holds the optional osculating
    elements as written (SI: ``SEMI_MAJOR_AXIS`` in m, angles in deg, ``GM`` in m^3/s^2).
    """

    object_name: str
    object_id: str
    center_name: str
    ref_frame: str
    time_system: str
    epoch: Time
    r_m: np.ndarray
    v_m_s: np.ndarray
    version: str = "2.0"
    creation_date: Time | None = None
    originator: str = "rossim"
    message_id: str | None = None
    ref_frame_epoch: Time | None = None
    keplerian: dict[str, float] | None = None
    mass_kg: float | None = None
    solar_rad_area_m2: float | None = None
    solar_rad_coeff: float | None = None
    drag_area_m2: float | None = None
    drag_coeff: float | None = None
    covariance: CovarianceBlock | None = None
    maneuvers: list[Maneuver] = field(default_factory=list)
    user_defined: dict[str, str] = field(default_factory=dict)
    header_comments: list[str] = field(default_factory=list)
    metadata_comments: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # before the state vector
    keplerian_comments: list[str] = field(default_factory=list)
    spacecraft_comments: list[str] = field(default_factory=list)
    user_defined_comments: list[str] = field(default_factory=list)

    def all_comments(self) -> list[str]:
        """Every comment of the message, in file order."""
        out = [*self.header_comments, *self.metadata_comments, *self.comments,
               *self.keplerian_comments, *self.spacecraft_comments]
        if self.covariance is not None:
            out += self.covariance.comments
        for man in self.maneuvers:
            out += man.comments
        return out + self.user_defined_comments

    def state_gcrf(self) -> tuple[Time, np.ndarray, np.ndarray]:
        """``(epoch, r_m, v_m_s)`` in GCRF (see :func:`to_gcrf`)."""
        r, v = to_gcrf(self.r_m[None, :], self.v_m_s[None, :], self.ref_frame,
                       self.epoch.reshape((1,)), center=self.center_name)
        return self.epoch, r[0], v[0]


@dataclass
class OEMSegment:
    """One OEM segment: metadata plus ``N`` states (SI) and optional covariances.

    ``epochs``: ``Time`` of shape (N,) in ``time_system``; ``r_m``, ``v_m_s``: (N, 3);
    ``a_m_s2``: (N, 3) when the file gives accelerations, else ``None``.
    """

    object_name: str
    object_id: str
    center_name: str
    ref_frame: str
    time_system: str
    start_time: Time
    stop_time: Time
    epochs: Time
    r_m: np.ndarray
    v_m_s: np.ndarray
    a_m_s2: np.ndarray | None = None
    useable_start_time: Time | None = None
    useable_stop_time: Time | None = None
    interpolation: str | None = None
    interpolation_degree: int | None = None
    ref_frame_epoch: Time | None = None
    covariances: list[CovarianceBlock] = field(default_factory=list)
    metadata_comments: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # data-section comments

    def states_gcrf(self) -> tuple[Time, np.ndarray, np.ndarray]:
        """``(epochs, r_m, v_m_s)`` in GCRF (see :func:`to_gcrf`)."""
        r, v = to_gcrf(self.r_m, self.v_m_s, self.ref_frame, self.epochs,
                       center=self.center_name)
        return self.epochs, r, v


@dataclass
class OEM:
    """An Orbit Ephemeris Message: header and one or more segments."""

    segments: list[OEMSegment]
    version: str = "2.0"
    creation_date: Time | None = None
    originator: str = "rossim"
    message_id: str | None = None
    classification: str | None = None
    header_comments: list[str] = field(default_factory=list)

    def all_comments(self) -> list[str]:
        out = list(self.header_comments)
        for seg in self.segments:
            out += seg.metadata_comments + seg.comments
            for cov in seg.covariances:
                out += cov.comments
        return out


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


# --------------------------------------------------------------------------- frames

def _frame_bias() -> np.ndarray:
    # IAU 2000 frame bias (IERS Conventions 2003): r_EME2000 = B @ r_GCRF; constant.
    return erfa.bp00(2451545.0, 0.0)[0]


def to_gcrf(r_m: np.ndarray, v_m_s: np.ndarray, frame: str, t: Time, *,
            center: str = "EARTH") -> tuple[np.ndarray, np.ndarray]:
    """Convert (N,3) states in ``frame`` at epochs ``t`` (N,) to GCRF (m, m/s).

    Supported: GCRF, ICRF (taken equal to GCRF for an Earth-centred state), EME2000/J2000
    (IAU 2000 frame bias), TEME, and ITRF (any ITRF realisation is treated as the IERS ITRF of
    :mod:`rossim.frames.earth`; they differ by centimetres). Only Earth-centred states.
    """
    if center.strip().upper() != "EARTH":
        raise InputError(None, "CENTER_NAME", center, "EARTH for a conversion to GCRF")
    frame = frame.upper()
    r = np.asarray(r_m, dtype=float)
    v = np.asarray(v_m_s, dtype=float)
    if frame in ("GCRF", "ICRF"):
        return r.copy(), v.copy()
    if frame in ("EME2000", "J2000"):
        b = _frame_bias()
        return r @ b, v @ b  # row vectors: (B^T r^T)^T = r B
    if frame == "TEME":
        from rossim.frames.teme import teme_to_gcrf

        return teme_to_gcrf(r, v, t)
    if frame.startswith("ITRF"):
        from rossim.frames.earth import itrf_to_gcrf

        return itrf_to_gcrf(r, v, t)
    if frame in ("TOD", "MOD"):
        # Of-date axes: r_of_date = M r_gcrf with M the IAU 2006/2000A bias-precession(-nutation)
        # matrix (erfa pnm06a for TOD, pmat06 for MOD), as Orekit's FramesFactory.getTOD/getMOD
        # with IERS 2010 conventions. The axes turn by ~1e-11 rad/s: velocities are rotated.
        tt = (t if isinstance(t, Time) else to_time(t)).tt
        jd1 = np.broadcast_to(np.asarray(tt.jd1, dtype=float), (r.reshape(-1, 3).shape[0],))
        jd2 = np.broadcast_to(np.asarray(tt.jd2, dtype=float), jd1.shape)
        m = (erfa.pnm06a if frame == "TOD" else erfa.pmat06)(jd1, jd2)
        rr = np.einsum("nji,nj->ni", m, r.reshape(-1, 3)).reshape(r.shape)
        vv = np.einsum("nji,nj->ni", m, v.reshape(-1, 3)).reshape(v.shape)
        return rr, vv
    raise InputError(None, "REF_FRAME", frame, "GCRF, ICRF, EME2000, J2000, TOD, MOD, TEME or "
                     "ITRF for a conversion to GCRF")


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


# --------------------------------------------------------------------------- OPM

def parse_opm(text: str, where: str = "<string>") -> OPM:
    """Parse an OPM in KVN."""
    lines = _lex(text, where)
    head, header_comments, i = _header(lines, where, "OPM")
    seen: dict[str, _Line] = {}
    meta_comments: list[str] = []
    block_comments: dict[str, list[str]] = {"state": [], "kep": [], "sc": [], "cov": [],
                                            "user": []}
    kep: dict[str, float] = {}
    cov_vals: dict[str, float] = {}
    cov_frame: str | None = None
    maneuvers: list[dict[str, _Line]] = []
    man_comments: list[list[str]] = []
    user: dict[str, str] = {}
    pending_comments: list[str] = []
    section = "meta"
    for ln in lines[i:]:
        if ln.kind == "comment":
            pending_comments.append(ln.value)
            continue
        if ln.kind != "kv":
            raise InputError(f"{where}:{ln.n}", "line", ln.text.strip(),
                             "KEYWORD = value (an OPM has no data lines or blocks)")
        key = ln.key
        if key in _OPM_META and section == "meta":
            meta_comments += pending_comments
        elif key in _OPM_META:
            raise InputError(f"{where}:{ln.n}", key, ln.value, "metadata before the state vector",
                             problem="misplaced")
        elif key.startswith("USER_DEFINED_"):
            user[key[len("USER_DEFINED_"):]] = ln.value
            block_comments["user"] += pending_comments
            pending_comments = []
            continue
        elif key in _MAN:
            section = "man"
            if key == "MAN_EPOCH_IGNITION":
                maneuvers.append({})
                man_comments.append(list(pending_comments))
            elif not maneuvers:
                raise InputError(f"{where}:{ln.n}", key, ln.value,
                                 "MAN_EPOCH_IGNITION first in each manoeuvre")
            else:
                man_comments[-1] += pending_comments
            if key in maneuvers[-1]:
                raise InputError(f"{where}:{ln.n}", key, ln.value, "the keyword once per "
                                 "manoeuvre", problem="repeated")
            maneuvers[-1][key] = ln
            pending_comments = []
            continue
        elif key in _STATE or key in _KEPLER or key in _SPACECRAFT or key in _COV_KEYS \
                or key == "COV_REF_FRAME":
            if section == "man":
                raise InputError(f"{where}:{ln.n}", key, ln.value,
                                 "state, elements, spacecraft and covariance before manoeuvres",
                                 problem="misplaced")
            section = "data"
            block = ("cov" if key in _COV_KEYS or key == "COV_REF_FRAME" else
                     "kep" if key in _KEPLER else "sc" if key in _SPACECRAFT else "state")
            block_comments[block] += pending_comments
        else:
            raise InputError(f"{where}:{ln.n}", key, ln.value, "an OPM keyword",
                             problem="unknown keyword")
        pending_comments = []
        if key in seen:
            raise InputError(f"{where}:{ln.n}", key, ln.value, "the keyword once",
                             problem="repeated")
        seen[key] = ln
    block_comments["user"] += pending_comments
    last_n = lines[-1].n if lines else 1

    def need(key: str) -> _Line:
        if key not in seen:
            raise InputError(f"{where}:{last_n}", key, None, "a value (mandatory OPM keyword)",
                             problem="missing")
        return seen[key]

    for key in ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM", *_STATE):
        need(key)
    ts = _time_system(seen["TIME_SYSTEM"], where)
    frame = _frame(seen["REF_FRAME"], where)
    epoch = _epoch(seen["EPOCH"], where, ts)
    r = np.array([_num(seen[k], where) for k in ("X", "Y", "Z")]) * _KM
    v = np.array([_num(seen[k], where) for k in ("X_DOT", "Y_DOT", "Z_DOT")]) * _KM
    present_kep = [k for k in _KEPLER if k in seen]
    if present_kep:
        anomaly = [k for k in ("TRUE_ANOMALY", "MEAN_ANOMALY") if k in seen]
        if len(anomaly) != 1:
            ln = seen[present_kep[0]]
            raise InputError(f"{where}:{ln.n}", "TRUE_ANOMALY/MEAN_ANOMALY", None,
                             "exactly one of TRUE_ANOMALY and MEAN_ANOMALY")
        for k in _KEPLER:
            if k not in ("TRUE_ANOMALY", "MEAN_ANOMALY"):
                need(k)
        for k in present_kep:
            val = _num(seen[k], where)
            kep[k] = val * (_KM if k == "SEMI_MAJOR_AXIS" else 1e9 if k == "GM" else 1.0)
    covariance = None
    present_cov = [k for k in _COV_KEYS if k in seen]
    if present_cov or "COV_REF_FRAME" in seen:
        for k in _COV_KEYS:
            need(k)
            cov_vals[k] = _num(seen[k], where)
        if "COV_REF_FRAME" in seen:
            cov_frame = _frame(seen["COV_REF_FRAME"], where, local_ok=True)
        mat = np.zeros((6, 6))
        idx = 0
        for a in range(6):
            for b in range(a + 1):
                mat[a, b] = mat[b, a] = cov_vals[_COV_KEYS[idx]] * 1e6
                idx += 1
        covariance = CovarianceBlock(mat, epoch=epoch, frame=cov_frame,
                                     comments=block_comments["cov"])
    mans = []
    for m, comments in zip(maneuvers, man_comments, strict=True):
        for k in _MAN:
            if k not in m:
                n = m["MAN_EPOCH_IGNITION"].n
                raise InputError(f"{where}:{n}", k, None, "a value (mandatory in a manoeuvre)",
                                 problem="missing")
        mans.append(Maneuver(
            epoch_ignition=_epoch(m["MAN_EPOCH_IGNITION"], where, ts),
            duration_s=_num(m["MAN_DURATION"], where),
            delta_mass_kg=_num(m["MAN_DELTA_MASS"], where),
            frame=_frame(m["MAN_REF_FRAME"], where, local_ok=True),
            dv_m_s=np.array([_num(m[f"MAN_DV_{j}"], where) for j in (1, 2, 3)]) * _KM,
            comments=comments,
        ))

    def opt(key: str) -> float | None:
        return _num(seen[key], where) if key in seen else None

    return OPM(
        object_name=seen["OBJECT_NAME"].value,
        object_id=seen["OBJECT_ID"].value,
        center_name=seen["CENTER_NAME"].value,
        ref_frame=frame,
        time_system=ts,
        epoch=epoch,
        r_m=r,
        v_m_s=v,
        version=head["CCSDS_OPM_VERS"].value,
        creation_date=_epoch(head["CREATION_DATE"], where, "UTC"),
        originator=head["ORIGINATOR"].value,
        message_id=head["MESSAGE_ID"].value if "MESSAGE_ID" in head else None,
        ref_frame_epoch=_epoch(seen["REF_FRAME_EPOCH"], where, ts)
        if "REF_FRAME_EPOCH" in seen else None,
        keplerian=kep or None,
        mass_kg=opt("MASS"),
        solar_rad_area_m2=opt("SOLAR_RAD_AREA"),
        solar_rad_coeff=opt("SOLAR_RAD_COEFF"),
        drag_area_m2=opt("DRAG_AREA"),
        drag_coeff=opt("DRAG_COEFF"),
        covariance=covariance,
        maneuvers=mans,
        user_defined=user,
        header_comments=header_comments,
        metadata_comments=meta_comments,
        comments=block_comments["state"],
        keplerian_comments=block_comments["kep"],
        spacecraft_comments=block_comments["sc"],
        user_defined_comments=block_comments["user"],
    )


def _read(path: str | os.PathLike[str], what: str) -> tuple[str, str]:
    from rossim.fileio import read_input_text

    return read_input_text(path, what), os.fspath(path)


def read_opm(path: str | os.PathLike[str]) -> OPM:
    """Read an OPM (KVN) file."""
    text, where = _read(path, "OPM")
    return parse_opm(text, where)


# --------------------------------------------------------------------------- OEM

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


def _parse_segment(meta: list[_Line], data: list[_Line], cov: list[_Line] | None, where: str,
                   start_line: int, allow_repeated: bool = False) -> OEMSegment:
    seen: dict[str, _Line] = {}
    meta_comments: list[str] = []
    for ln in meta:
        if ln.kind == "comment":
            meta_comments.append(ln.value)
            continue
        if ln.kind != "kv":
            raise InputError(f"{where}:{ln.n}", "metadata", ln.text.strip(), "KEYWORD = value")
        if ln.key not in _OEM_META:
            raise InputError(f"{where}:{ln.n}", ln.key, ln.value, "an OEM metadata keyword",
                             problem="unknown keyword")
        if ln.key in seen:
            raise InputError(f"{where}:{ln.n}", ln.key, ln.value, "the keyword once",
                             problem="repeated")
        seen[ln.key] = ln
    for key in _OEM_META_REQUIRED:
        if key not in seen:
            raise InputError(f"{where}:{start_line}", key, None,
                             "a value (mandatory OEM metadata keyword)", problem="missing")
    ts = _time_system(seen["TIME_SYSTEM"], where)
    frame = _frame(seen["REF_FRAME"], where)
    comments: list[str] = []
    rows: list[list[str]] = []
    row_lines: list[int] = []
    for ln in data:
        if ln.kind == "comment":
            if rows:
                raise InputError(f"{where}:{ln.n}", "COMMENT", ln.value,
                                 "comments only before the first data line of a segment")
            comments.append(ln.value)
            continue
        if ln.kind != "data":
            raise InputError(f"{where}:{ln.n}", ln.key, ln.value,
                             "an ephemeris data line (epoch x y z vx vy vz [ax ay az])",
                             problem="keyword inside the ephemeris data")
        parts = ln.text.split()
        if len(parts) not in (7, 10) or (rows and len(parts) != len(rows[0])):
            raise InputError(f"{where}:{ln.n}", "ephemeris line", ln.text,
                             "epoch and 6 (or 9, with accelerations) numbers, the same on "
                             "every line")
        rows.append(parts)
        row_lines.append(ln.n)
    if not rows:
        raise InputError(f"{where}:{start_line}", "ephemeris", "no data lines",
                         "at least one state after META_STOP")
    try:
        values = np.array([[float(x) for x in p[1:]] for p in rows])
    except ValueError:
        for p, n in zip(rows, row_lines, strict=True):
            for x in p[1:]:
                try:
                    float(x)
                except ValueError as exc:
                    raise InputError(f"{where}:{n}", "ephemeris value", x, "a number") from exc
        raise
    bad = ~np.isfinite(values)
    if bad.any():
        k = int(np.argwhere(bad)[0, 0])
        raise InputError(f"{where}:{row_lines[k]}", "ephemeris value", rows[k][1:],
                         "finite numbers")
    try:
        epochs = _epochs([p[0] for p in rows], ts)
    except InputError:
        for p, n in zip(rows, row_lines, strict=True):
            try:
                _epochs([p[0]], ts)
            except InputError as exc:
                raise InputError(f"{where}:{n}", "ephemeris epoch", p[0],
                                 "an ISO 8601 epoch") from exc
        raise
    if len(epochs) > 1:
        dt = np.diff((epochs - epochs[0]).to_value("s"))
        bad_dt = dt < 0 if allow_repeated else dt <= 0
        if np.any(bad_dt):
            k = int(np.flatnonzero(bad_dt)[0]) + 1
            raise InputError(f"{where}:{row_lines[k]}", "ephemeris epoch", rows[k][0],
                             f"epochs in increasing order within a segment (after {rows[k - 1][0]} "
                             f"on line {row_lines[k - 1]})",
                             problem="repeated epoch" if dt[k - 1] == 0 else "goes back in time")

    def t_opt(key: str) -> Time | None:
        return _epoch(seen[key], where, ts) if key in seen else None

    # Metadata must agree with itself and with the data (CCSDS 502.0-B-3 sec. 5.2.3).
    start_t, stop_t = t_opt("START_TIME"), t_opt("STOP_TIME")
    use_a, use_b = t_opt("USEABLE_START_TIME"), t_opt("USEABLE_STOP_TIME")

    def later(a: Time, b: Time, tol_s: float = 1e-3) -> bool:
        return float((a - b).to_value("s")) > tol_s

    if later(start_t, stop_t):
        ln = seen["START_TIME"]
        raise InputError(f"{where}:{ln.n}", ln.key, ln.value,
                         f"a time not after STOP_TIME ({seen['STOP_TIME'].value})")
    if use_a is not None and use_b is not None and later(use_a, use_b):
        ln = seen["USEABLE_START_TIME"]
        raise InputError(f"{where}:{ln.n}", ln.key, ln.value,
                         f"a time not after USEABLE_STOP_TIME ({seen['USEABLE_STOP_TIME'].value})")
    for key, t in (("USEABLE_START_TIME", use_a), ("USEABLE_STOP_TIME", use_b)):
        if t is not None and (later(start_t, t) or later(t, stop_t)):
            ln = seen[key]
            raise InputError(f"{where}:{ln.n}", key, ln.value,
                             f"a time inside START_TIME .. STOP_TIME ({seen['START_TIME'].value}"
                             f" .. {seen['STOP_TIME'].value})")
    for k in (0, len(rows) - 1):
        if later(start_t, epochs[k]) or later(epochs[k], stop_t):
            raise InputError(f"{where}:{row_lines[k]}", "ephemeris epoch", rows[k][0],
                             f"an epoch inside START_TIME .. STOP_TIME "
                             f"({seen['START_TIME'].value} .. {seen['STOP_TIME'].value})")

    degree = None
    if "INTERPOLATION_DEGREE" in seen:
        ln = seen["INTERPOLATION_DEGREE"]
        if not re.fullmatch(r"\d+", ln.value):
            raise InputError(f"{where}:{ln.n}", ln.key, ln.value, "a non-negative integer")
        degree = int(ln.value)
    return OEMSegment(
        object_name=seen["OBJECT_NAME"].value,
        object_id=seen["OBJECT_ID"].value,
        center_name=seen["CENTER_NAME"].value,
        ref_frame=frame,
        time_system=ts,
        start_time=_epoch(seen["START_TIME"], where, ts),
        stop_time=_epoch(seen["STOP_TIME"], where, ts),
        epochs=epochs,
        r_m=values[:, 0:3] * _KM,
        v_m_s=values[:, 3:6] * _KM,
        a_m_s2=values[:, 6:9] * _KM if values.shape[1] == 9 else None,
        useable_start_time=t_opt("USEABLE_START_TIME"),
        useable_stop_time=t_opt("USEABLE_STOP_TIME"),
        interpolation=seen["INTERPOLATION"].value if "INTERPOLATION" in seen else None,
        interpolation_degree=degree,
        ref_frame_epoch=t_opt("REF_FRAME_EPOCH"),
        covariances=_parse_cov_block(cov, where, ts) if cov is not None else [],
        metadata_comments=meta_comments,
        comments=comments,
    )


def parse_oem(text: str, where: str = "<string>", *, allow_repeated_epochs: bool = False) -> OEM:
    """Parse an OEM in KVN (any number of segments, optional covariance blocks).

    Epochs must increase within a segment; a repeated epoch is refused with its line unless
    ``allow_repeated_epochs`` (Orekit's copy of the Blue Book example, OEMExample1, repeats
    its last line). START/STOP and USEABLE times must be ordered and hold the data.
    """
    lines = _lex(text, where)
    head, header_comments, i = _header(lines, where, "OEM")
    segments: list[OEMSegment] = []
    while i < len(lines):
        ln = lines[i]
        if ln.kind == "comment" and not segments:
            header_comments.append(ln.value)
            i += 1
            continue
        if not (ln.kind == "block" and ln.key == "META_START"):
            raise InputError(f"{where}:{ln.n}", ln.key or "line", ln.text.strip(), "META_START")
        start = ln.n
        j = i + 1
        while j < len(lines) and not (lines[j].kind == "block" and lines[j].key == "META_STOP"):
            if lines[j].kind == "block":
                raise InputError(f"{where}:{lines[j].n}", lines[j].key, lines[j].key,
                                 "META_STOP to close the metadata opened at line "
                                 f"{start}")
            j += 1
        if j >= len(lines):
            raise InputError(f"{where}:{start}", "META_START", "no META_STOP", "META_STOP")
        meta = lines[i + 1:j]
        k = j + 1
        while k < len(lines) and lines[k].kind != "block":
            k += 1
        data = lines[j + 1:k]
        cov = None
        if k < len(lines) and lines[k].key == "COVARIANCE_START":
            c = k + 1
            while c < len(lines) and lines[c].kind != "block":
                c += 1
            if c >= len(lines) or lines[c].key != "COVARIANCE_STOP":
                raise InputError(f"{where}:{lines[k].n}", "COVARIANCE_START",
                                 "no COVARIANCE_STOP", "COVARIANCE_STOP")
            cov = lines[k + 1:c]
            k = c + 1
        elif k < len(lines) and lines[k].key != "META_START":
            raise InputError(f"{where}:{lines[k].n}", lines[k].key, lines[k].key,
                             "META_START or COVARIANCE_START")
        segments.append(_parse_segment(meta, data, cov, where, start, allow_repeated_epochs))
        i = k
    if not segments:
        n = lines[-1].n if lines else 1
        raise InputError(f"{where}:{n}", "META_START", None, "at least one segment",
                         problem="missing")
    return OEM(
        segments=segments,
        version=head["CCSDS_OEM_VERS"].value,
        creation_date=_epoch(head["CREATION_DATE"], where, "UTC"),
        originator=head["ORIGINATOR"].value,
        message_id=head["MESSAGE_ID"].value if "MESSAGE_ID" in head else None,
        classification=head["CLASSIFICATION"].value if "CLASSIFICATION" in head else None,
        header_comments=header_comments,
    )


def read_oem(path: str | os.PathLike[str], *, allow_repeated_epochs: bool = False) -> OEM:
    """Read an OEM (KVN) file."""
    text, where = _read(path, "OEM")
    return parse_oem(text, where, allow_repeated_epochs=allow_repeated_epochs)


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


def _now() -> Time:
    return Time(_dt.datetime.now(_dt.UTC).replace(tzinfo=None, microsecond=0), scale="utc")


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
                  message_id: str | None, comments: list[str]) -> list[str]:
    creation = creation if creation is not None else _now()
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


def format_opm(opm: OPM) -> str:
    """OPM 2.0 KVN text (km, km/s, epochs in ``opm.time_system``)."""
    ts = opm.time_system.upper()
    if ts not in TIME_SYSTEMS:
        raise InputError(None, "TIME_SYSTEM", opm.time_system, ", ".join(sorted(TIME_SYSTEMS)))
    out = _header_lines("OPM", opm.version, opm.creation_date, opm.originator, opm.message_id,
                        opm.header_comments)
    out.append("")
    out += _comment_lines(opm.metadata_comments)
    out += [f"OBJECT_NAME = {_check_name(opm.object_name, 'OBJECT_NAME')}",
            f"OBJECT_ID = {_check_name(opm.object_id, 'OBJECT_ID')}",
            f"CENTER_NAME = {_check_name(opm.center_name, 'CENTER_NAME')}",
            f"REF_FRAME = {_check_frame(opm.ref_frame, 'REF_FRAME')}"]
    if opm.ref_frame_epoch is not None:
        out.append(f"REF_FRAME_EPOCH = {_t_text(opm.ref_frame_epoch, ts)}")
    out += [f"TIME_SYSTEM = {ts}", ""]
    out += _comment_lines(opm.comments)
    r = np.asarray(opm.r_m, dtype=float) / _KM
    v = np.asarray(opm.v_m_s, dtype=float) / _KM
    if r.shape != (3,) or v.shape != (3,) or not (np.all(np.isfinite(r)) and
                                                   np.all(np.isfinite(v))):
        raise InputError(None, "state", (r, v), "finite 3-vectors")
    out.append(f"EPOCH = {_t_text(opm.epoch, ts)}")
    for key, val in zip(("X", "Y", "Z"), r, strict=True):
        out.append(f"{key} = {val:.9f} [km]")
    for key, val in zip(("X_DOT", "Y_DOT", "Z_DOT"), v, strict=True):
        out.append(f"{key} = {val:.12f} [km/s]")
    if opm.keplerian:
        out.append("")
        out += _comment_lines(opm.keplerian_comments)
        for key in _KEPLER:
            if key in opm.keplerian:
                val = opm.keplerian[key]
                if key == "SEMI_MAJOR_AXIS":
                    out.append(f"{key} = {val / _KM:.9f} [km]")
                elif key == "GM":
                    out.append(f"{key} = {val / 1e9:.6f} [km**3/s**2]")
                elif key == "ECCENTRICITY":
                    out.append(f"{key} = {val:.12f}")
                else:
                    out.append(f"{key} = {val:.12f} [deg]")
    sc = [("MASS", opm.mass_kg, "[kg]"), ("SOLAR_RAD_AREA", opm.solar_rad_area_m2, "[m**2]"),
          ("SOLAR_RAD_COEFF", opm.solar_rad_coeff, ""), ("DRAG_AREA", opm.drag_area_m2, "[m**2]"),
          ("DRAG_COEFF", opm.drag_coeff, "")]
    if any(val is not None for _, val, _ in sc):
        out.append("")
        out += _comment_lines(opm.spacecraft_comments)
        for key, val, unit in sc:
            if val is not None:
                out.append(f"{key} = {float(val):.6f} {unit}".rstrip())
    if opm.covariance is not None:
        out.append("")
        out += _comment_lines(opm.covariance.comments)
        if opm.covariance.frame:
            out.append(f"COV_REF_FRAME = "
                       f"{_check_frame(opm.covariance.frame, 'COV_REF_FRAME', local_ok=True)}")
        m = np.asarray(opm.covariance.matrix_si, dtype=float) / 1e6
        idx = 0
        for a in range(6):
            for b in range(a + 1):
                out.append(f"{_COV_KEYS[idx]} = {m[a, b]: .16e}")
                idx += 1
    for man in opm.maneuvers:
        out.append("")
        out += _comment_lines(man.comments)
        dv = np.asarray(man.dv_m_s, dtype=float) / _KM
        out += [f"MAN_EPOCH_IGNITION = {_t_text(man.epoch_ignition, ts)}",
                f"MAN_DURATION = {man.duration_s:.6f} [s]",
                f"MAN_DELTA_MASS = {man.delta_mass_kg:.6f} [kg]",
                f"MAN_REF_FRAME = {_check_frame(man.frame, 'MAN_REF_FRAME', local_ok=True)}"]
        out += [f"MAN_DV_{j + 1} = {dv[j]:.12f} [km/s]" for j in range(3)]
    if opm.user_defined or opm.user_defined_comments:
        out.append("")
        out += _comment_lines(opm.user_defined_comments)
        out += [f"USER_DEFINED_{k} = {v}" for k, v in opm.user_defined.items()]
    return "\n".join(out) + "\n"


def write_opm(path: str | os.PathLike[str], opm: OPM) -> None:
    """Write ``opm`` as OPM 2.0 KVN to ``path`` atomically."""
    atomic_write_text(path, format_opm(opm))


def format_oem(oem: OEM) -> str:
    """OEM 2.0 KVN text (km, km/s, epochs to the nanosecond in each segment's time system)."""
    if not oem.segments:
        raise InputError(None, "segments", "[]", "at least one segment")
    out = _header_lines("OEM", oem.version, oem.creation_date, oem.originator, oem.message_id,
                        oem.header_comments)
    for seg in oem.segments:
        ts = seg.time_system.upper()
        if ts not in TIME_SYSTEMS:
            raise InputError(None, "TIME_SYSTEM", seg.time_system,
                             ", ".join(sorted(TIME_SYSTEMS)))
        r = np.asarray(seg.r_m, dtype=float) / _KM
        v = np.asarray(seg.v_m_s, dtype=float) / _KM
        n = len(seg.epochs)
        if r.shape != (n, 3) or v.shape != (n, 3):
            raise InputError(None, "states", (r.shape, v.shape), f"({n}, 3) arrays")
        if not (np.all(np.isfinite(r)) and np.all(np.isfinite(v))):
            raise InputError(None, "states", "NaN or infinite values", "finite numbers")
        out += ["", "META_START"]
        out += _comment_lines(seg.metadata_comments)
        out += [f"OBJECT_NAME = {_check_name(seg.object_name, 'OBJECT_NAME')}",
                f"OBJECT_ID = {_check_name(seg.object_id, 'OBJECT_ID')}",
                f"CENTER_NAME = {_check_name(seg.center_name, 'CENTER_NAME')}",
                f"REF_FRAME = {_check_frame(seg.ref_frame, 'REF_FRAME')}"]
        if seg.ref_frame_epoch is not None:
            out.append(f"REF_FRAME_EPOCH = {_t_text(seg.ref_frame_epoch, ts)}")
        out += [f"TIME_SYSTEM = {ts}", f"START_TIME = {_t_text(seg.start_time, ts)}"]
        if seg.useable_start_time is not None:
            out.append(f"USEABLE_START_TIME = {_t_text(seg.useable_start_time, ts)}")
        if seg.useable_stop_time is not None:
            out.append(f"USEABLE_STOP_TIME = {_t_text(seg.useable_stop_time, ts)}")
        out.append(f"STOP_TIME = {_t_text(seg.stop_time, ts)}")
        if seg.interpolation:
            out.append(f"INTERPOLATION = {seg.interpolation}")
        if seg.interpolation_degree is not None:
            out.append(f"INTERPOLATION_DEGREE = {int(seg.interpolation_degree)}")
        out += ["META_STOP", ""]
        out += _comment_lines(seg.comments)
        times = np.atleast_1d(_t_text(seg.epochs, ts))
        if seg.a_m_s2 is not None:
            a = np.asarray(seg.a_m_s2, dtype=float) / _KM
            out += [f"{tt} {x[0]:.9f} {x[1]:.9f} {x[2]:.9f} {y[0]:.12f} {y[1]:.12f} "
                    f"{y[2]:.12f} {z[0]:.15e} {z[1]:.15e} {z[2]:.15e}"
                    for tt, x, y, z in zip(times, r, v, a, strict=True)]
        else:
            out += [f"{tt} {x[0]:.9f} {x[1]:.9f} {x[2]:.9f} {y[0]:.12f} {y[1]:.12f} {y[2]:.12f}"
                    for tt, x, y in zip(times, r, v, strict=True)]
        if seg.covariances:
            out += ["", "COVARIANCE_START"]
            for cov in seg.covariances:
                out += _comment_lines(cov.comments)
                if cov.epoch is None:
                    raise InputError(None, "covariance epoch", None, "an epoch for each "
                                     "OEM covariance")
                out.append(f"EPOCH = {_t_text(cov.epoch, ts)}")
                if cov.frame:
                    out.append(f"COV_REF_FRAME = "
                               f"{_check_frame(cov.frame, 'COV_REF_FRAME', local_ok=True)}")
                out += _cov_rows(cov.matrix_si)
            out.append("COVARIANCE_STOP")
    return "\n".join(out) + "\n"


def write_oem(path: str | os.PathLike[str], oem: OEM) -> None:
    """Write ``oem`` as OEM 2.0 KVN to ``path`` atomically."""
    atomic_write_text(path, format_oem(oem))


def oem_from_states(epochs: Time, r_m: np.ndarray, v_m_s: np.ndarray, *, object_name: str,
                    object_id: str, ref_frame: str = "GCRF", center_name: str = "EARTH",
                    time_system: str = "UTC", a_m_s2: np.ndarray | None = None,
                    originator: str = "rossim", comments: list[str] | None = None,
                    interpolation: str | None = "HERMITE",
                    interpolation_degree: int | None = 7) -> OEM:
    """A one-segment :class:`OEM` from (N,) epochs and (N,3) SI states (e.g. to write)."""
    epochs = to_time(epochs)
    if epochs.isscalar:
        epochs = epochs.reshape((1,))
    return OEM(
        segments=[OEMSegment(
            object_name=object_name, object_id=object_id, center_name=center_name,
            ref_frame=_check_frame(ref_frame, "REF_FRAME"), time_system=time_system.upper(),
            start_time=epochs[0], stop_time=epochs[-1], epochs=epochs,
            r_m=np.asarray(r_m, dtype=float), v_m_s=np.asarray(v_m_s, dtype=float),
            a_m_s2=None if a_m_s2 is None else np.asarray(a_m_s2, dtype=float),
            interpolation=interpolation, interpolation_degree=interpolation_degree,
            comments=list(comments or []),
        )],
        originator=originator,
    )



# --------------------------------------------------------------------------- any state file

@dataclass
class InitialState:
    """An Earth-centred state in GCRF read from any supported file (see :func:`read_state`).

    ``source`` is ``"OPM"``, ``"OEM"``, ``"TLE"`` or ``"OMM"``; ``spacecraft`` holds what the
    file says about the vehicle (``mass_kg``, ``drag_area_m2``, ``drag_coeff``,
    ``solar_rad_area_m2``, ``solar_rad_coeff``), from OPM keywords or OEM ``KEY=value``
    comments; it is empty for TLE and OMM.
    """

    epoch: Time
    r_m: np.ndarray
    v_m_s: np.ndarray
    source: str
    object_name: str | None = None
    spacecraft: dict[str, float] = field(default_factory=dict)
    #: The element set (:class:`rossim.dynamics.tle.TLE`) for a TLE or OMM, else None.
    elements: Any = None
    #: An OPM's manoeuvre blocks (:class:`Maneuver`), empty for the other formats.
    maneuvers: list = field(default_factory=list)
    #: The file the state came from (for messages).
    where: str | None = None


_COMMENT_SPACECRAFT = {"MASS": "mass_kg", "DRAG_AREA": "drag_area_m2", "DRAG_COEFF": "drag_coeff",
                       "SOLAR_RAD_AREA": "solar_rad_area_m2",
                       "SOLAR_RAD_COEFF": "solar_rad_coeff"}


def read_state(path: str | os.PathLike[str]) -> InitialState:
    """Read the first state of an OPM, OEM, TLE or OMM file, in GCRF (m, m/s).

    The format is recognised from the content. For a TLE or OMM the state is SGP4's at the
    element epoch, rotated from TEME to GCRF. Epochs are returned in UTC.
    """
    text, where = _read(path, "state")
    kind = detect_state_format(text)
    if kind.endswith("-XML"):
        kind, text = xml_to_kvn(text, where)
        where = f"{where} (XML as KVN)"
    if kind == "OPM":
        opm = parse_opm(text, where)
        t, r, v = _named(opm.state_gcrf, where)
        sc = {k: getattr(opm, k) for k in _COMMENT_SPACECRAFT.values()
              if getattr(opm, k) is not None}
        return _plausible(InitialState(t.utc, r, v, "OPM", opm.object_name, sc,
                                       maneuvers=list(opm.maneuvers), where=where))
    if kind == "OEM":
        oem = parse_oem(text, where)
        seg = oem.segments[0]
        t, r, v = _named(seg.states_gcrf, where)
        sc = {}
        for key, value in comment_values(oem.all_comments()).items():
            if key in _COMMENT_SPACECRAFT:
                try:
                    sc[_COMMENT_SPACECRAFT[key]] = float(value)
                except ValueError:
                    pass
        return _plausible(InitialState(t[0].utc, r[0], v[0], "OEM", seg.object_name, sc,
                                       where=where))
    if kind == "TLE":
        sats, source = _tle.parse_tles(text, where), "TLE"
    else:
        sats, source = _tle.parse_omm(text, where), "OMM"
    if not sats:
        raise InputError(where, None, "no state", "an OPM, OEM, TLE or OMM file")
    _epoch_in_range(sats[0].epoch, where, "epoch")
    st = _tle.propagate(sats[0], sats[0].epoch, frame="GCRF")
    if st.error[0, 0] != 0:
        raise InputError(where, "TLE", sats[0].catalog_number, "elements SGP4 can propagate",
                         problem=_tle.SGP4_ERRORS[int(st.error[0, 0])])
    return _plausible(InitialState(sats[0].epoch, st.r_m[0, 0], st.v_m_s[0, 0], source,
                                   sats[0].name, elements=sats[0], where=where))


#: Epochs a state file may have: the span of the DE421 Sun/Moon ephemeris every command uses
#: (eclipses, third bodies, drag's solar time), 1900-2050.
STATE_EPOCH_FIRST = "1900-01-01"
STATE_EPOCH_END = "2050-01-01"
#: Largest geocentric distance (m) and speed (m/s) of a state: beyond the Moon's orbit and 20 km/s
#: (escape speed at 200 km is 11.0 km/s) it is no Earth orbit rossim's models are meant for.
MAX_STATE_RADIUS_M = 5e8
MAX_STATE_SPEED_M_S = 20e3


def _named(convert, where: str):
    """``convert()``; an :class:`InputError` without a file (``to_gcrf``'s frame or centre
    checks) gets the file's name."""
    try:
        return convert()
    except InputError as exc:
        if exc.where and exc.where != "argument":
            raise
        raise InputError(where, exc.field, exc.value, exc.expected, problem=exc.problem) from None


def _epoch_in_range(t: Time, where: str, field_name: str) -> None:
    lo, hi = Time(STATE_EPOCH_FIRST, scale="utc"), Time(STATE_EPOCH_END, scale="utc")
    if not (lo <= t.utc < hi):
        raise InputError(where, field_name, t.utc.isot,
                         f"an epoch from {STATE_EPOCH_FIRST[:4]} to before {STATE_EPOCH_END[:4]} "
                         "(the DE421 ephemeris the models use)")


def _plausible(st: InitialState) -> InitialState:
    """The same checks on every state file: epoch inside the models' data, an Earth orbit."""
    where = st.where or "<string>"
    _epoch_in_range(st.epoch, where, "epoch")
    r = float(np.linalg.norm(st.r_m))
    v = float(np.linalg.norm(st.v_m_s))
    if not r <= MAX_STATE_RADIUS_M:
        raise InputError(where, "position", f"{r / 1e3:.6g} km from the Earth's centre",
                         f"at most {MAX_STATE_RADIUS_M / 1e3:g} km (an Earth orbit)")
    if not v <= MAX_STATE_SPEED_M_S:
        raise InputError(where, "velocity", f"{v / 1e3:.6g} km/s",
                         f"at most {MAX_STATE_SPEED_M_S / 1e3:g} km/s (an Earth orbit; escape "
                         "speed at 200 km is 11.0 km/s)")
    return st


_LOCAL_TO_IMPULSIVE = {"RTN": "rtn", "RSW": "rtn", "RIC": "rtn", "QSW": "rtn", "TNW": "tnw",
                       "VNC": "vnc"}


def impulsive_manoeuvres(maneuvers: list[Maneuver], where: str = "<string>") -> list:
    """An OPM's manoeuvre blocks as impulsive manoeuvres for the propagator.

    A block with ``MAN_DURATION = 0`` is an impulse at ``MAN_EPOCH_IGNITION``; a finite burn is
    applied as one impulse at its mid-time (the usual impulsive approximation: for a burn of
    T seconds at orbital rate n the along-track error is of order (n T)^2 / 24 of the
    delta-v's effect, 1e-4 for 2 min in LEO). ``MAN_DELTA_MASS`` is not applied (the
    propagator keeps one mass). Local frames RTN/RSW/RIC/QSW, TNW and VNC are rotated with the
    pre-burn state; inertial frames (EME2000, GCRF, TOD, MOD, TEME, ITRF axes) are rotated to
    GCRF at the burn epoch. ``LVLH`` and ``NTW`` have several conventions and are refused.
    """
    from rossim.dynamics.manoeuvres import ImpulsiveManoeuvre

    out = []
    for i, man in enumerate(maneuvers):
        dv = np.asarray(man.dv_m_s, dtype=float)
        epoch = man.epoch_ignition
        if man.duration_s > 0:
            epoch = epoch + TimeDelta(0.5 * man.duration_s, format="sec")
        frame = man.frame.upper()
        if frame in _LOCAL_TO_IMPULSIVE:
            out.append(ImpulsiveManoeuvre(epoch, tuple(dv), _LOCAL_TO_IMPULSIVE[frame]))
        elif frame in FRAMES:
            _, dv_gcrf = to_gcrf(np.zeros((1, 3)), dv.reshape(1, 3), frame, epoch.reshape((1,)))
            out.append(ImpulsiveManoeuvre(epoch, tuple(dv_gcrf[0]), "gcrf"))
        else:
            raise InputError(where, f"maneuver[{i}].MAN_REF_FRAME", man.frame,
                             "RTN, RSW, RIC, QSW, TNW, VNC or an inertial frame "
                             "(LVLH and NTW have several conventions)")
    return out


# --------------------------------------------------------------------------- NDM/XML

_OEM_STATE = ("EPOCH", "X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT", "X_DDOT", "Y_DDOT", "Z_DDOT")


def xml_to_kvn(text: str, where: str = "<string>") -> tuple[str, str]:
    """An OPM or OEM in CCSDS NDM/XML (with or without the ``urn:ccsds:schema:ndmxml``
    namespace, bare or inside ``<ndm>``) rewritten as KVN: ``(kind, kvn_text)``.

    The XML schema (CCSDS 505.0-B-2) uses the KVN keywords as element names, so the KVN
    readers check the content; ``kind`` is ``"OPM"`` or ``"OEM"``. Only the first message of
    an ``<ndm>`` combined instantiation is read.
    """
    import xml.etree.ElementTree as ET

    from rossim.dynamics.tle import strip_xml_namespaces

    try:
        root = ET.fromstring(strip_xml_namespaces(text))
    except ET.ParseError as exc:
        raise InputError(where, None, "XML", "a CCSDS NDM/XML OPM, OEM or OMM",
                         problem=str(exc)) from None
    msg = root
    if root.tag == "ndm":
        msg = next((c for c in root if c.tag in ("opm", "oem", "omm")), None)
        if msg is None:
            raise InputError(where, "ndm", "no opm, oem or omm", "a CCSDS NDM/XML message")
    kind = msg.tag.upper()
    if kind not in ("OPM", "OEM"):
        raise InputError(where, "XML root", msg.tag, "an opm or oem element")
    out = [f"CCSDS_{kind}_VERS = {msg.get('version', '')}"]

    def kv(el) -> str:
        value = (el.text or "").strip()
        if el.tag == "COMMENT":
            return f"COMMENT {value}"
        unit = el.get("units")
        return f"{el.tag} = {value}" + (f" [{unit}]" if unit else "")

    def leaves(el):
        for child in el:
            if len(child):
                yield from leaves(child)
            else:
                yield child

    for part in msg:
        if part.tag == "header":
            out += [kv(x) for x in leaves(part)]
        elif part.tag == "body":
            for seg in part.iter("segment"):
                meta = seg.find("metadata")
                data = seg.find("data")
                if kind == "OEM":
                    out.append("META_START")
                out += [kv(x) for x in leaves(meta)] if meta is not None else []
                if kind == "OEM":
                    out.append("META_STOP")
                if data is None:
                    continue
                for block in data:
                    if kind == "OEM" and block.tag == "stateVector":
                        vals = {x.tag: (x.text or "").strip() for x in block}
                        out.append(" ".join(vals[k] for k in _OEM_STATE if k in vals))
                    elif kind == "OEM" and block.tag == "covarianceMatrix":
                        out.append("COVARIANCE_START")
                        vals = [x for x in block if x.tag not in ("COMMENT",)]
                        head = [x for x in vals if x.tag in ("EPOCH", "COV_REF_FRAME")]
                        nums = [(x.text or "").strip() for x in vals if x.tag.startswith("C")
                                and x.tag != "COV_REF_FRAME"]
                        out += [kv(x) for x in head]
                        k = 0
                        for row in range(1, 7):
                            out.append(" ".join(nums[k:k + row]))
                            k += row
                        out.append("COVARIANCE_STOP")
                    elif len(block):
                        out += [kv(x) for x in leaves(block)]
                    else:
                        out.append(kv(block))
    return kind, "\n".join(out) + "\n"


def detect_state_format(text: str) -> str:
    """The format of a state file from its content: ``"OPM"``, ``"OEM"`` (KVN),
    ``"OPM-XML"``, ``"OEM-XML"``, ``"OMM"`` (XML, KVN, JSON or CSV) or ``"TLE"``.

    The one detection path of every command that takes an initial state (``read_state``).
    """
    head = text.lstrip()
    if head.startswith("<"):
        import re as _re

        m = _re.search(r"<\s*(?:[A-Za-z_][\w.-]*:)?(opm|oem|omm)[\s>]", head[:4096])
        kind = m.group(1).upper() if m else "OMM"
        return kind if kind == "OMM" else f"{kind}-XML"
    first = head[:200]
    if first.startswith("CCSDS_OPM_VERS"):
        return "OPM"
    if first.startswith("CCSDS_OEM_VERS"):
        return "OEM"
    if first.startswith(("CCSDS_OMM_VERS", "[", "{")):
        return "OMM"
    line = head.splitlines()[0] if head else ""
    if "," in line and "EPOCH" in line.upper():
        return "OMM"
    return "TLE"
