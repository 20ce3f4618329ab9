"""CCSDS Orbit Parameter Message (OPM, one state) in KVN: data class, reader, writer.

Follows CCSDS 502.0-B-2 (ODM 2.0; 1.0 and 3.0 files are read too) for the keywords a station
simulation needs: state, Keplerian elements, spacecraft parameters, covariance, manoeuvres.
The data class holds SI (m, m/s, kg, m^2) and epochs as astropy ``Time`` in the file's
``TIME_SYSTEM``. The writer produces ODM 2.0 KVN that this reader (and Orekit) reads back,
written atomically through :mod:`rossim.fileio`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
from astropy.time import Time

from rossim.errors import InputError
from rossim.fileio import atomic_write_text
from rossim.files.kvn import (
    _COV_KEYS,
    _KEPLER,
    _KM,
    _MAN,
    _OPM_META,
    _SPACECRAFT,
    _STATE,
    CovarianceBlock,
    _check_frame,
    _check_name,
    _comment_lines,
    _epoch,
    _frame,
    _header,
    _header_lines,
    _lex,
    _Line,
    _num,
    _read,
    _t_text,
    _time_system,
)
from rossim.files.refframe import TIME_SYSTEMS, to_gcrf

__all__ = ["Maneuver", "OPM", "parse_opm", "read_opm", "format_opm", "write_opm"]


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



def read_opm(path: str | os.PathLike[str]) -> OPM:
    """Read an OPM (KVN) file."""
    text, where = _read(path, "OPM")
    return parse_opm(text, where)



def format_opm(opm: OPM) -> str:
    """OPM 2.0 KVN text (km, km/s, epochs in ``opm.time_system``)."""
    ts = opm.time_system.upper()
    if ts not in TIME_SYSTEMS:
        raise InputError(None, "TIME_SYSTEM", opm.time_system, ", ".join(sorted(TIME_SYSTEMS)))
    out = _header_lines("OPM", opm.version, opm.creation_date, opm.originator, opm.message_id,
                        opm.header_comments, opm.epoch)
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
