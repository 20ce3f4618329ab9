"""CCSDS Orbit Ephemeris Message (OEM, an ephemeris) in KVN: data classes, reader, writer.

Follows CCSDS 502.0-B-2 (ODM 2.0; 1.0 and 3.0 files are read too): segments with metadata,
states (optionally accelerations) and covariance blocks. The data classes hold SI and epochs
as astropy ``Time`` in the segment's ``TIME_SYSTEM``. The writer produces ODM 2.0 KVN that this
reader (and Orekit) reads back, written atomically through :mod:`rossim.fileio`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import numpy as np
from astropy.time import Time

from rossim.errors import InputError
from rossim.fileio import atomic_write_text
from rossim.files.kvn import (
    _KM,
    _OEM_META,
    _OEM_META_REQUIRED,
    CovarianceBlock,
    _check_frame,
    _check_name,
    _comment_lines,
    _cov_rows,
    _epoch,
    _epochs,
    _frame,
    _header,
    _header_lines,
    _lex,
    _Line,
    _parse_cov_block,
    _read,
    _t_text,
    _time_system,
)
from rossim.files.refframe import TIME_SYSTEMS, to_gcrf
from rossim.time import to_time

__all__ = [
    "OEMSegment", "OEM", "parse_oem", "read_oem", "format_oem", "write_oem", "oem_from_states",
]


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



# --------------------------------------------------------------------------- OEM

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



def format_oem(oem: OEM) -> str:
    """OEM 2.0 KVN text (km, km/s, epochs to the nanosecond in each segment's time system)."""
    if not oem.segments:
        raise InputError(None, "segments", "[]", "at least one segment")
    out = _header_lines("OEM", oem.version, oem.creation_date, oem.originator, oem.message_id,
                        oem.header_comments, oem.segments[0].start_time)
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
    """A one-segment :class:`OEM` from (N,) epochs and (N,3) SI states (e.g. to write).

    ``interpolation_degree`` is capped at what the states support (Hermite with velocities:
    ``2N - 1``; Lagrange: ``N - 1``); a single state gets no interpolation keywords."""
    epochs = to_time(epochs)
    if epochs.isscalar:
        epochs = epochs.reshape((1,))
    if interpolation and interpolation_degree:
        n = len(epochs)
        cap = 2 * n - 1 if interpolation.upper() == "HERMITE" else n - 1
        if cap < 1:
            interpolation, interpolation_degree = None, None
        else:
            interpolation_degree = min(int(interpolation_degree), cap)
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
