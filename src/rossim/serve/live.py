"""A live run: the closed-loop engine stepped on the server, behind a small adapter.

The engine's interface (the issue "The station as a closed-loop, commandable system"; the
class is looked up in ``rossim.ops.engine`` then ``rossim.ops``)::

    from rossim.ops import Simulation
    sim = Simulation(scenario, seed=None)
    sim.advance_to(t: datetime)            # step the station to UTC time t
    sim.command(cmd) -> result             # a command (dict); result says what happened
    sim.telemetry(channels=None, since=None)  # samples after `since`

:class:`LiveSource` gives the web server the same questions-and-answers as
:class:`rossim.serve.replay.ArchiveSource` (channels, span, history, events, samples between
two times) over a :class:`SimulationAdapter`, which is the only place that knows the engine's
shapes (see its docstring). Every sample is kept in memory for the history of the page (the
engine archives the run).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import numpy as np

from rossim.errors import InputError
from rossim.serve.channels import Channel, unit_from_name, with_levels

__all__ = ["SimulationAdapter", "LiveSource", "load_engine", "to_ms", "from_ms"]


def to_ms(t: Any) -> int:
    """UTC milliseconds from a datetime (naive = UTC), numpy datetime64, ISO-8601 text
    (``Z`` allowed) or a number of ms."""
    if isinstance(t, datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=UTC)
        return int(round(t.timestamp() * 1000))
    if isinstance(t, np.datetime64):
        return int(t.astype("datetime64[ms]").astype(np.int64))
    if isinstance(t, str):
        return to_ms(datetime.fromisoformat(t.replace("Z", "+00:00")))
    return int(t)


def _ms_array(times: Any) -> np.ndarray:
    arr = np.asarray(times)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[ms]").astype(np.int64)
    return np.array([to_ms(t) for t in arr.ravel()], dtype=np.int64)


def from_ms(t_ms: int) -> datetime:
    return datetime.fromtimestamp(t_ms / 1000.0, UTC)


def load_engine():
    """The engine's ``Simulation`` class (``rossim.ops.engine``, else ``rossim.ops``);
    :class:`InputError` if this build has none."""
    import importlib

    for module in ("rossim.ops.engine", "rossim.ops"):
        try:
            cls = getattr(importlib.import_module(module), "Simulation", None)
        except ImportError:
            cls = None
        if cls is not None:
            _warm_compiled_code()
            return cls
    raise InputError("argument", "ARCHIVE_OR_SCENARIO", "a scenario",
                     "an archive or run folder to replay: live runs need the closed-loop "
                     "engine (rossim.ops.engine / rossim.ops.Simulation), which this build "
                     "does not have")


def _warm_compiled_code() -> None:
    """Set up numba's CPU target now, before a live clock starts: numba does it on the first
    call of any compiled function (loading its registries and, for its BLAS check,
    ``scipy.linalg``), about 0.4 s that would otherwise stall the live run's first tick (the
    p99 clock-to-subscriber delay of ``benchmarks/bench_serve.py``)."""
    try:
        from numba.core.registry import cpu_target
    except ImportError:  # an engine without compiled code
        return
    cpu_target.target_context.refresh()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "station"


def _jsonable(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {f.name: _jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        if hasattr(obj, "name") and "name" not in out:
            out["name"] = str(obj.name)
        return out
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    return str(obj)


class SimulationAdapter:
    """Normalises the engine's answers. ``sim`` is a ``Simulation`` (or a test double).

    Shapes accepted (those of ``rossim.ops.Simulation`` first): ``sim.channels`` a mapping
    name -> object (or dict) with ``table``, ``unit``, ``low``, ``high``, ``subsystem``,
    ``description``, or a list of such with ``name``; ``sim.telemetry(channels, since)`` a
    mapping name -> ``(times, values)`` (times datetime64 / datetimes / ms; ``since``
    inclusive or not) or an iterable of ``(time, name, value)``; ``sim.events`` a list of
    dicts with ``time`` (ISO text, datetime or ms), ``kind``, ``subject``, ``detail``,
    ``severity``, ``value``; ``sim.now`` the clock; ``sim.command(cmd)`` takes the engine's
    typed command, made here from the page's JSON with ``rossim.ops.commands.from_entry``
    when that exists (else the JSON dict is passed as is)."""

    def __init__(self, sim: Any) -> None:
        self.sim = sim
        self.ids: dict[str, str] = {}  # engine channel name -> channel id of the page
        self.last: dict[str, int] = {}  # channel id -> time of the last sample handed out
        self._t0: int | None = None

    def start_ms(self) -> int:
        for name in ("now", "t", "start"):
            v = getattr(self.sim, name, None)
            if v is not None and not callable(v):
                return to_ms(v)
        raise InputError("engine", "Simulation.now", None, "the simulation's current time")

    def end_ms(self, default: int) -> int:
        try:
            return to_ms(self.sim.scenario.span.end)
        except AttributeError:
            v = getattr(self.sim, "end", None)
            return to_ms(v) if v is not None and not callable(v) else default

    def advance_to(self, t_ms: int) -> None:
        self.sim.advance_to(from_ms(t_ms))

    def command(self, body: dict[str, Any]) -> Any:
        cmd: Any = dict(body)
        try:   # the engine's command set
            from rossim.ops.commands import check_in_catalog, from_entry
        except ImportError:
            from_entry = None
        if from_entry is not None:
            cmd = from_entry(cmd, where="request")
            catalog = getattr(getattr(self.sim, "timeline", None), "catalog", None)
            if catalog is not None:   # a crew that cannot fit: a 400 now, not a refusal later
                check_in_catalog(cmd, catalog)
            if dataclasses.is_dataclass(cmd) and "source" in {f.name for f in
                                                              dataclasses.fields(cmd)}:
                cmd = dataclasses.replace(cmd, source="operator")
        return _jsonable(self.sim.command(cmd))

    def command_set(self) -> list[dict[str, Any]]:
        """The engine's commands and their fields (:func:`rossim.serve.params.command_set`)
        for the page's command panel; [] if the engine has no typed command set."""
        from rossim.serve.params import command_set

        return command_set(getattr(self.sim, "command_names", None) or [])

    def _id(self, name: str) -> str:
        return self.ids.get(name) or (name if "." in name else f"station.{name}")

    def new_samples(self) -> list[tuple[int, str, float]]:
        """Samples not handed out before, per channel. A channel's sample may be labelled
        with a time before the clock of the previous call (a 10-minute bin is known once it
        is over and is labelled by its start), so what is new is judged per channel, and the
        engine is asked from the oldest of the channels' last samples."""
        if self._t0 is None:
            self._t0 = self.start_ms() - 1
        t0 = self._t0
        floor = min((self.last.get(c, t0) for c in self.ids.values()), default=t0)
        got = self.telemetry(None if floor <= t0 else floor + 1)
        out = [s for s in got if s[0] > self.last.get(s[1], t0)]
        for t, cid, _ in out:
            self.last[cid] = max(t, self.last.get(cid, t0))
        return out

    def telemetry(self, since_ms: int | None) -> list[tuple[int, str, float]]:
        """Every sample at or after ``since_ms`` (all if None), ``(t_ms, id, value)``."""
        raw = self.sim.telemetry(channels=None,
                                 since=None if since_ms is None else from_ms(since_ms))
        out: list[tuple[int, str, float]] = []
        if isinstance(raw, Mapping):
            for name, series in raw.items():
                times, values = series
                ts = _ms_array(times)
                vs = np.asarray(values, dtype=float)
                keep = np.isfinite(vs)
                if since_ms is not None:
                    keep &= ts >= since_ms
                cid = self._id(str(name))
                out += [(int(t), cid, float(v)) for t, v in zip(ts[keep], vs[keep],
                                                                strict=True)]
        else:
            for rec in raw or []:
                if isinstance(rec, Mapping):
                    t, name, v = rec["time"], rec["channel"], rec["value"]
                else:
                    t, name, v = rec
                t = to_ms(t)
                if since_ms is None or t >= since_ms:
                    out.append((t, self._id(str(name)), float(v)))
        out.sort(key=lambda s: (s[0], s[1]))
        return out

    def events(self) -> list[dict[str, Any]]:
        """The engine's events so far (``sim.events``), as dicts with ``utc`` in ms."""
        ev = getattr(self.sim, "events", None)
        ev = ev() if callable(ev) else ev
        out = []
        for e in ev or []:
            e = dict(e) if isinstance(e, Mapping) else dict(zip(
                ("time", "kind", "subject", "detail", "severity", "value"), e, strict=False))
            value = e.get("value")
            out.append({"utc": to_ms(e.get("time", 0)), "kind": e.get("kind", ""),
                        "subject": e.get("subject", ""), "detail": e.get("detail", ""),
                        "severity": e.get("severity", "info"),
                        "value": None if value is None else float(value),
                        "source": e.get("source", "")})
        return out

    def channels(self) -> list[Channel]:
        """The engine's channel dictionary, each named ``<subsystem>.<name>``."""
        spec = getattr(self.sim, "channels", None)
        spec = spec() if callable(spec) else spec
        items = list(spec.items()) if isinstance(spec, Mapping) else [(None, c) for c in
                                                                        spec or []]
        out = []
        for key, c in items:
            def get(k: str, d: Any = None, c: Any = c) -> Any:
                return c.get(k, d) if isinstance(c, Mapping) else getattr(c, k, d)

            name = str(get("name") or key)
            column = name.split(".", 1)[-1]
            sub = _slug(get("subsystem") or (name.split(".", 1)[0] if "." in name
                                              else "station"))
            cid = name if "." in name else f"{sub}.{name}"
            self.ids[name] = cid
            low, high = get("low"), get("high")
            out.append(Channel(cid, sub, str(get("table") or get("table_name") or "live"),
                               column, get("unit") or unit_from_name(column),
                               None if low is None else float(low),
                               None if high is None else float(high),
                               get("description", "") or "", "engine"))
        return out


class LiveSource:
    """A live run's telemetry: the engine advanced by :meth:`poll`, samples kept in memory.

    Same reading interface as :class:`rossim.serve.replay.ArchiveSource` (``channels``,
    ``start_ms``/``end_ms``, ``history``, ``events``, ``samples_between``) plus
    :meth:`command`. ``poll(t_ms)`` advances the engine to ``t_ms`` and returns the new
    samples and events."""

    mode = "live"

    def __init__(self, sim: Any, span_ms: int = 10 * 365 * 86400 * 1000) -> None:
        self.adapter = SimulationAdapter(sim)
        self.start_ms = self.adapter.start_ms()
        self.end_ms = self.adapter.end_ms(self.start_ms + span_ms)
        self.info = {"mode": "live"}
        self.has_events = True
        #: (run_info.outcome, run_info.stopped_at) of the last archive written (archive_to)
        self.archived_outcome: tuple[str | None, str | None] = (None, None)
        self._lock = threading.Lock()
        self._t_ms = self.start_ms
        self._samples: dict[str, tuple[list[int], list[float]]] = {}
        self._events: list[dict[str, Any]] = []
        self.channels: dict[str, Channel] = {c.name: c for c in with_levels(
            self.adapter.channels())}
        self._store(self.adapter.new_samples())
        self._take_events()

    def _store(self, samples: Iterable[tuple[int, str, float]]) -> list[tuple[int, str, float]]:
        new = list(samples)
        for t, name, v in new:
            ts, vs = self._samples.setdefault(name, ([], []))
            if ts and t < ts[-1]:
                continue  # the engine never goes back in time; ignore a repeat
            ts.append(t)
            vs.append(v)
            if name not in self.channels:
                sub, col = name.split(".", 1)
                self.channels[name] = Channel(name, sub, "live", col, unit_from_name(col),
                                              None, None, "", "")
        return new

    def _take_events(self) -> list[dict[str, Any]]:
        all_ev = self.adapter.events()
        new = all_ev[len(self._events):]
        for k, e in enumerate(new, start=len(self._events) + 1):
            e["id"] = k
        self._events += new
        return new

    #: With :meth:`archive_as_it_goes`, the archive is rewritten at most this often (wall s).
    archive_every_s: float = 60.0
    _archive_dir: Any = None
    _archived_wall: float = 0.0

    def archive_as_it_goes(self, out_dir: Any, every_s: float = 60.0) -> None:
        """Write ``out_dir/archive.duckdb`` now and again every ``every_s`` seconds (wall) of
        the live run, atomically, so that a hard kill loses at most that much of the run."""
        self._archive_dir = out_dir
        self.archive_every_s = float(every_s)

    def poll(self, t_ms: int) -> tuple[list[tuple[int, str, float]], list[dict[str, Any]]]:
        with self._lock:
            if t_ms <= self._t_ms:
                return [], []
            self.adapter.advance_to(t_ms)
            samples = self._store(self.adapter.new_samples())
            self._t_ms = t_ms
            events = self._take_events()
        if (self._archive_dir is not None
                and time.monotonic() - self._archived_wall >= self.archive_every_s):
            self.archive_to(self._archive_dir)
        return samples, events

    def command(self, cmd: dict[str, Any]) -> Any:
        """The page's command to the engine; its ``at`` must lie from the run's current time
        to its end (:func:`rossim.serve.params.command_at`, else an InputError naming ``at``)."""
        from rossim.serve.params import command_at

        with self._lock:
            return self.adapter.command(command_at(cmd, self._t_ms, self.end_ms))

    def command_set(self) -> list[dict[str, Any]]:
        return self.adapter.command_set()

    def channel(self, name: str) -> Channel:
        try:
            return self.channels[name]
        except KeyError:
            raise InputError("request", "channel", name, "a channel of GET /api/dictionary"
                             ) from None

    def history(self, name: str, start_ms: int, end_ms: int,
                bins: int | None = None) -> dict[str, Any]:
        """As :meth:`rossim.serve.replay.ArchiveSource.history`, from memory."""
        self.channel(name)
        with self._lock:
            ts, vs = self._samples.get(name, ([], []))
            i, j = bisect.bisect_left(ts, start_ms), bisect.bisect_right(ts, end_ms)
            pts = [[t, v] for t, v in zip(ts[i:j], vs[i:j], strict=True)]
        n = len(pts)
        if bins is None or n <= 2 * bins:
            return {"channel": name, "start": start_ms, "end": end_ms, "bins": bins,
                    "downsampled": False, "count": n, "points": pts}
        width = (end_ms - start_ms) / bins
        buckets: dict[int, list[list[float]]] = {}
        for p in pts:
            b = min(int((p[0] - start_ms) // width), bins - 1)
            lo_hi = buckets.get(b)
            if lo_hi is None:
                buckets[b] = [p, p]
            else:
                if p[1] < lo_hi[0][1]:
                    lo_hi[0] = p
                if p[1] > lo_hi[1][1]:
                    lo_hi[1] = p
        out = []
        for b in sorted(buckets):
            lo, hi = buckets[b]
            out += [lo] if lo is hi else sorted([lo, hi], key=lambda q: q[0])
        return {"channel": name, "start": start_ms, "end": end_ms, "bins": bins,
                "downsampled": True, "count": n, "points": out}

    def free_flyers(self) -> list[dict[str, Any]]:
        """The scenario's free-flyer family (rossim.fleet), for the map."""
        if getattr(self, "_flyers", None) is None:
            self._flyers = []
            scen = getattr(self.adapter.sim, "scenario", None)
            if scen is not None and scen.free_flyers.deployments:
                from rossim.fleet.family import plan_family

                sats, _ = plan_family(scen, check_deployments=False)
                self._flyers = [{"name": s.name, "deployed_ms": to_ms(s.deployed),
                                 "ring": s.ring, "radial_amplitude_m": s.orbit.ae,
                                 "cross_track_amplitude_m": s.orbit.ai,
                                 "reentry_ms": None if s.end_of_life is None
                                 else to_ms(s.end_of_life)} for s in sats]
        return self._flyers

    def orbit_at(self, t_ms: int) -> tuple[int, float, float] | None:
        """As :meth:`rossim.serve.replay.ArchiveSource.orbit_at`, from memory."""
        alt = next((c.name for c in self.channels.values() if c.column == "altitude_km"), None)
        raan = next((c.name for c in self.channels.values() if c.column == "raan_deg"), None)
        with self._lock:
            ts, vs = self._samples.get(alt, ([], [])) if alt else ([], [])
            if not ts:
                return None
            k = max(bisect.bisect_right(ts, t_ms) - 1, 0)
            rt, rv = self._samples.get(raan, ([], [])) if raan else ([], [])
            j = max(bisect.bisect_right(rt, ts[k]) - 1, 0)
            return ts[k], vs[k], (rv[j] if rv else 0.0)

    def events(self, start_ms: int, end_ms: int, severities: list[str] | None = None,
               kinds: list[str] | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [e for e in self._events if start_ms <= e["utc"] <= end_ms
                    and (not severities or e["severity"] in severities)
                    and (not kinds or e["kind"] in kinds)]

    def event_kinds(self) -> list[str]:
        with self._lock:
            return sorted({e["kind"] for e in self._events})

    def samples_between(self, t0_ms: int, t1_ms: int,
                        names: set[str] | None = None) -> list[tuple[int, str, float]]:
        out = []
        with self._lock:
            for name, (ts, vs) in self._samples.items():
                if names is not None and name not in names:
                    continue
                i, j = bisect.bisect_right(ts, t0_ms), bisect.bisect_right(ts, t1_ms)
                out += [(t, name, v) for t, v in zip(ts[i:j], vs[i:j], strict=True)]
        out.sort(key=lambda s: (s[0], s[1]))
        return out

    def events_between(self, t0_ms: int, t1_ms: int) -> list[dict[str, Any]]:
        with self._lock:
            return [e for e in self._events if t0_ms < e["utc"] <= t1_ms]

    def archive_to(self, out_dir: Any) -> Any:
        """Close the run at its clock (``sim.finish()``) and write ``out_dir/archive.duckdb``
        with the engine's own tables (``rossim.ops.tables.result_tables``, the writer of
        ``rossim run``). Returns the path, or None when the engine has no writer or nothing
        was simulated yet (:attr:`archived_outcome` then ``(None, None)``).

        The folder is one run's (:data:`rossim.fileio.RUN_OUTPUTS`), replaced whole as ``rossim
        run --out`` replaces it: the archive is staged and moved in with an earlier run's
        ``report.html``, ``summary.json`` and ``parquet/`` removed, all at once under the
        folder's lock, so a kill leaves the previous set or this archive, never a mix.
        ``out_dir``: a folder, or the :class:`rossim.fileio.OutputFolder` the server holds."""
        from pathlib import Path

        try:
            from rossim.ops.tables import result_tables
        except ImportError:
            return None
        from rossim.archive import write_archive

        with self._lock:
            sim = self.adapter.sim
            if getattr(getattr(sim, "engine", None), "now_s", 3600) < 3600:
                self.archived_outcome = (None, None)
                return None  # nothing simulated yet
            result = sim.finish()  # changes nothing: the run goes on
        tables, info = result_tables(result)
        eng = sim.engine
        if result.outcome == "completed" and eng.now_s < getattr(eng, "t_end_s", eng.now_s):
            # the clock stopped before the span's end (Ctrl-C, or written as it goes): the
            # archive says so and when, never "completed"
            from rossim.time import format_event_time

            info["outcome"] = "stopped"
            info["stopped_at"] = format_event_time(result.end_time)
        self._archived_wall = time.monotonic()
        with _committed(out_dir) as stage:
            write_archive(stage / "archive.duckdb", tables, info)
        self.archived_outcome = (info["outcome"], info.get("stopped_at"))
        return Path(stage.folder) / "archive.duckdb"

    def close(self) -> None:
        pass


def _committed(out_dir: Any):
    """One commit of a run's output set in ``out_dir`` (:func:`LiveSource.archive_to`)."""
    from rossim.archive.store import run_output_folders
    from rossim.fileio import RUN_OUTPUTS, OutputFolder, output_set

    if isinstance(out_dir, OutputFolder):
        return out_dir.commit()
    return output_set(out_dir, RUN_OUTPUTS, option="out", folders=run_output_folders())
