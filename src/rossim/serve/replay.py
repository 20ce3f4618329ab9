"""Replay of a run archive: historical telemetry with min/max downsampling, events, clock.

:class:`ArchiveSource` opens ``archive.duckdb`` read-only and answers the questions the
browser asks: the channel dictionary, the time span, one channel's samples over a window
(downsampled to at most ``2 * bins`` points by keeping, in each of ``bins`` equal time buckets,
the sample with the smallest and the one with the largest value, so that no peak or dip is lost
at any zoom), events in a window, and every sample in ``(t0, t1]`` for the real-time stream.
Times at this interface are UTC milliseconds since 1970 (Open MCT's ``utc`` time system).

:class:`ReplayClock` is the simulated time of a replay or live run: ``speed`` simulated
seconds per wall-clock second, paused, resumed and moved at will, clipped to the span.
"""

from __future__ import annotations

import math
import os
import threading
import time as _time
from pathlib import Path
from typing import Any

import duckdb

from rossim.errors import InputError
from rossim.fileio import settle_output_set
from rossim.serve.channels import Channel, load_channels

__all__ = ["ArchiveSource", "ReplayClock", "resolve_archive", "MAX_BINS", "MAX_RAW_POINTS"]

MAX_BINS = 20_000  #: most buckets one request may ask for
MAX_RAW_POINTS = 200_000  #: most raw samples one request returns (ask for bins beyond that)
MAX_EVENTS = 50_000  #: most events one request returns
EVENT_COLUMNS = ("kind", "subject", "detail", "severity", "value")


def resolve_archive(path: str | os.PathLike[str]) -> Path:
    """``path`` itself if it is an archive file, ``path/archive.duckdb`` for a run folder.

    Raises :class:`InputError` (field ``ARCHIVE``) when neither exists or it is not a
    complete rossim archive."""
    p = Path(path)
    if p.is_dir():
        settle_output_set(p, option="ARCHIVE")  # a run killed mid-commit: finish it
        p = p / "archive.duckdb"
    if not p.is_file():
        raise InputError("argument", "ARCHIVE", str(path),
                         "an archive.duckdb file or a run folder holding one (see `rossim run`)")
    try:
        con = duckdb.connect(str(p), read_only=True)
    except duckdb.Error as exc:
        raise InputError("argument", "ARCHIVE", str(path), "a DuckDB archive written by rossim",
                         problem=str(exc).splitlines()[0][:120]) from None
    try:
        row = con.execute("SELECT value FROM run_info WHERE key = 'complete'").fetchone()
    except duckdb.Error:
        row = None
    finally:
        con.close()
    if not row or row[0] != "true":
        raise InputError("argument", "ARCHIVE", str(path),
                         "a complete rossim archive (run_info.complete = 'true')")
    return p


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class ArchiveSource:
    """A run archive opened read-only (one DuckDB connection, a cursor per query; thread-safe).

    Parameters
    ----------
    path:
        ``archive.duckdb`` or a run folder holding one.
    """

    mode = "replay"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = resolve_archive(path)
        self._con = duckdb.connect(str(self.path), read_only=True)
        self._lock = threading.Lock()
        cur = self._con.cursor()
        self.channels: dict[str, Channel] = {c.name: c for c in load_channels(cur)}
        self.info: dict[str, str] = dict(cur.execute("SELECT key, value FROM run_info").fetchall())
        tables = {r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'main'").fetchall()}
        self.has_events = "events" in tables
        spans = []
        for table in sorted({c.table for c in self.channels.values()}
                            | ({"events"} if self.has_events else set())):
            spans.append(cur.execute(f"SELECT epoch_ms(min(time)), epoch_ms(max(time)) "
                                     f"FROM {_q(table)}").fetchone())
        spans = [s for s in spans if s[0] is not None]
        if not spans:
            raise InputError("argument", "ARCHIVE", str(path), "an archive with telemetry")
        self.start_ms = int(min(s[0] for s in spans))
        self.end_ms = int(max(s[1] for s in spans))
        self._by_table: dict[str, list[Channel]] = {}
        for c in self.channels.values():
            self._by_table.setdefault(c.table, []).append(c)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            return self._con.cursor()

    def close(self) -> None:
        self._con.close()

    # ----------------------------------------------------------------- history
    def channel(self, name: str) -> Channel:
        """The channel called ``name``; :class:`InputError` (field ``channel``) if none."""
        try:
            return self.channels[name]
        except KeyError:
            raise InputError("request", "channel", name,
                             f"one of the {len(self.channels)} channels of GET /api/dictionary"
                             ) from None

    def history(self, name: str, start_ms: int, end_ms: int,
                bins: int | None = None) -> dict[str, Any]:
        """Samples of channel ``name`` with ``start_ms <= t <= end_ms``.

        With ``bins``: when the window holds more than ``2 * bins`` samples, the window is cut
        into ``bins`` equal buckets (``ceil((end - start) / bins)`` whole microseconds wide,
        the last one taking the end) and each non-empty bucket gives two samples, the one with
        the smallest value and the one with the largest (one if they coincide), in time order.
        Without ``bins``: every sample, at most :data:`MAX_RAW_POINTS` (else InputError).
        Returns ``{"channel", "start", "end", "bins", "downsampled", "count", "points":
        [[t_ms, value], ...]}`` where ``count`` is the number of raw samples in the window.
        """
        ch = self.channel(name)
        col, tab = _q(ch.column), _q(ch.table)
        where = (f"time >= make_timestamp(?::BIGINT * 1000) AND time <= "
                 f"make_timestamp(?::BIGINT * 1000) AND {col} IS NOT NULL AND isfinite({col}::DOUBLE)")
        cur = self.cursor()
        try:
            rows: list = []
            if bins is not None:
                # one scan: per bucket the (time, value) of its min and max, and its count;
                # buckets are whole microseconds wide: ceil((end - start) / bins)
                width_us = max(1, -(-(end_ms - start_ms) * 1000 // bins))
                rows = cur.execute(
                    f"SELECT least((epoch_us(time) - ?) // ?, ?) AS b, "
                    f"epoch_ms(arg_min(time, {col})), min({col})::DOUBLE, "
                    f"epoch_ms(arg_max(time, {col})), max({col})::DOUBLE, count(*) "
                    f"FROM {tab} WHERE {where} GROUP BY b ORDER BY b",
                    [start_ms * 1000, width_us, bins - 1, start_ms, end_ms]).fetchall()
                n = sum(r[5] for r in rows)
            else:
                n = cur.execute(f"SELECT count(*) FROM {tab} WHERE {where}",
                                [start_ms, end_ms]).fetchone()[0]
                if n > MAX_RAW_POINTS:
                    raise InputError("request", "bins", None, f"a number of buckets: the window "
                                     f"holds {n} samples, more than {MAX_RAW_POINTS} without "
                                     "downsampling")
            if bins is None or n <= 2 * bins:
                raw = cur.execute(f"SELECT epoch_ms(time), {col} FROM {tab} WHERE {where} "
                                  "ORDER BY time", [start_ms, end_ms]).fetchall()
                points = [[int(t), float(v)] for t, v in raw]
                down = False
            else:
                points = []
                for _, tmin, vmin, tmax, vmax, _ in rows:
                    if tmin == tmax:
                        points.append([int(tmin), float(vmin)])
                    elif tmin < tmax:
                        points += [[int(tmin), float(vmin)], [int(tmax), float(vmax)]]
                    else:
                        points += [[int(tmax), float(vmax)], [int(tmin), float(vmin)]]
                down = True
        finally:
            cur.close()
        return {"channel": name, "start": start_ms, "end": end_ms, "bins": bins,
                "downsampled": down, "count": int(n), "points": points}

    def events(self, start_ms: int, end_ms: int, severities: list[str] | None = None,
               kinds: list[str] | None = None) -> list[dict[str, Any]]:
        """Events with ``start_ms <= t <= end_ms`` in time order (then archive order), each
        ``{"id", "utc", "kind", "subject", "detail", "severity", "value"}``; filtered by
        ``severities`` / ``kinds`` when given. At most :data:`MAX_EVENTS` (else InputError)."""
        if not self.has_events:
            return []
        sql = ("SELECT id, t, kind, subject, detail, severity, value FROM (SELECT row_number() "
               "OVER () AS id, epoch_ms(time) AS t, * FROM events) WHERE t >= ? AND t <= ?")
        params: list[Any] = [start_ms, end_ms]
        if severities:
            sql += f" AND severity IN ({', '.join('?' * len(severities))})"
            params += severities
        if kinds:
            sql += f" AND kind IN ({', '.join('?' * len(kinds))})"
            params += kinds
        sql += f" ORDER BY t, id LIMIT {MAX_EVENTS + 1}"
        cur = self.cursor()
        try:
            rows = cur.execute(sql, params).fetchall()
        finally:
            cur.close()
        if len(rows) > MAX_EVENTS:
            raise InputError("request", "start/end", [start_ms, end_ms],
                             f"a window with at most {MAX_EVENTS} events")
        return [{"id": int(i), "utc": int(t), "kind": k, "subject": s, "detail": d,
                 "severity": sev, "value": None if v is None or v != v else float(v)}
                for i, t, k, s, d, sev, v in rows]

    def event_kinds(self) -> list[str]:
        if not self.has_events:
            return []
        cur = self.cursor()
        try:
            return [r[0] for r in cur.execute("SELECT DISTINCT kind FROM events ORDER BY 1")
                    .fetchall()]
        finally:
            cur.close()

    def free_flyers(self) -> list[dict[str, Any]]:
        """The family of the run (``free_flyers`` table), empty for archives without it;
        ``reentry_ms`` None when unknown (past the lifetime model, or an older archive)."""
        cur = self.cursor()
        sql = ("SELECT name, epoch_ms(deployed), ring, radial_amplitude_m, "
               "cross_track_amplitude_m, {} FROM free_flyers ORDER BY deployed, name")
        try:
            try:
                rows = cur.execute(sql.format("epoch_ms(reentry)")).fetchall()
            except duckdb.Error:  # an archive written before the reentry column
                rows = cur.execute(sql.format("NULL")).fetchall()
        except duckdb.Error:
            return []
        finally:
            cur.close()
        return [{"name": n, "deployed_ms": int(t), "ring": int(r), "radial_amplitude_m": a,
                 "cross_track_amplitude_m": c, "reentry_ms": None if e is None else int(e)}
                for n, t, r, a, c, e in rows]

    def orbit_at(self, t_ms: int) -> tuple[int, float, float] | None:
        """``(t_ms, altitude_km, raan_deg)`` of the last orbit sample at or before ``t_ms``
        (else the first), from the channels whose columns are ``altitude_km``/``raan_deg``."""
        alt = next((c for c in self.channels.values() if c.column == "altitude_km"), None)
        raan = next((c for c in self.channels.values() if c.column == "raan_deg"
                     and alt is not None and c.table == alt.table), None)
        if alt is None:
            return None
        raan_sql = _q(raan.column) if raan else "0.0"
        cur = self.cursor()
        try:
            sql = (f"SELECT epoch_ms(time), {_q(alt.column)}, {raan_sql} FROM {_q(alt.table)} "
                   f"WHERE {_q(alt.column)} IS NOT NULL")
            row = cur.execute(sql + " AND time <= make_timestamp(?::BIGINT * 1000) "
                              "ORDER BY time DESC LIMIT 1", [t_ms]).fetchone()
            if row is None:
                row = cur.execute(sql + " ORDER BY time LIMIT 1").fetchone()
        finally:
            cur.close()
        return None if row is None else (int(row[0]), float(row[1]), float(row[2] or 0.0))

    # ------------------------------------------------------------ real time
    def samples_between(self, t0_ms: int, t1_ms: int,
                        names: set[str] | None = None) -> list[tuple[int, str, float]]:
        """Every sample with ``t0_ms < t <= t1_ms`` of the channels ``names`` (all if None),
        as ``(t_ms, channel, value)`` in time order."""
        out: list[tuple[int, str, float]] = []
        cur = self.cursor()
        try:
            for table, chans in self._by_table.items():
                chans = [c for c in chans if names is None or c.name in names]
                if not chans:
                    continue
                cols = ", ".join(_q(c.column) for c in chans)
                rows = cur.execute(
                    f"SELECT epoch_ms(time), {cols} FROM {_q(table)} WHERE time > "
                    "make_timestamp(?::BIGINT * 1000) AND time <= make_timestamp(?::BIGINT * 1000)"
                    " ORDER BY time", [t0_ms, t1_ms]).fetchall()
                for row in rows:
                    for c, v in zip(chans, row[1:], strict=True):
                        if v is not None and math.isfinite(v):
                            out.append((int(row[0]), c.name, float(v)))
        finally:
            cur.close()
        out.sort(key=lambda s: (s[0], s[1]))
        return out

    def events_between(self, t0_ms: int, t1_ms: int) -> list[dict[str, Any]]:
        """Events with ``t0_ms < t <= t1_ms`` (see :meth:`events`)."""
        return [e for e in self.events(t0_ms + 1, t1_ms)] if t1_ms > t0_ms else []


class ReplayClock:
    """Simulated time in UTC ms: ``speed`` simulated seconds per wall second from an anchor,
    clipped to ``[start_ms, end_ms]`` (it stops at the end). Thread-safe."""

    def __init__(self, start_ms: int, end_ms: int, speed: float = 1000.0,
                 wall=_time.monotonic) -> None:
        if not (math.isfinite(speed) and speed > 0):
            raise InputError("argument", "speed", speed, "a positive number (x real time)")
        self.start_ms, self.end_ms, self._wall = int(start_ms), int(end_ms), wall
        self._lock = threading.Lock()
        self._speed = float(speed)
        self._anchor_sim = float(start_ms)
        self._anchor_wall = wall()
        self._paused = False

    def now(self) -> int:
        with self._lock:
            return self._now()

    def _now(self) -> int:
        t = self._anchor_sim
        if not self._paused:
            t += self._speed * (self._wall() - self._anchor_wall) * 1000.0
        return int(min(max(t, self.start_ms), self.end_ms))

    def _reanchor(self) -> None:
        self._anchor_sim, self._anchor_wall = float(self._now()), self._wall()

    def set(self, *, speed: float | None = None, paused: bool | None = None,
            t_ms: int | None = None) -> dict[str, Any]:
        """Change speed, pause/resume or move the clock; returns :meth:`state`."""
        with self._lock:
            self._reanchor()
            if speed is not None:
                self._speed = float(speed)
            if paused is not None:
                self._paused = bool(paused)
            if t_ms is not None:
                self._anchor_sim = float(min(max(t_ms, self.start_ms), self.end_ms))
            return self._state()

    def state(self) -> dict[str, Any]:
        with self._lock:
            return self._state()

    def _state(self) -> dict[str, Any]:
        return {"t": self._now(), "speed": self._speed, "paused": self._paused,
                "start": self.start_ms, "end": self.end_ms}
