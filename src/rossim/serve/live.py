"""A live run: the closed-loop engine stepped on the server, behind a small adapter.

The engine's interface (the issue "The station as a closed-loop, commandable system")::

    from rossim.ops.engine import Simulation
    sim = Simulation(scenario, seed=None)
    sim.advance_to(t: datetime)            # step the station to UTC time t
    sim.command(cmd) -> result             # a command (dict); result says what happened
    sim.telemetry(channels=None, since=None)  # samples after `since`

:class:`LiveSource` gives the web server the same questions-and-answers as
:class:`rossim.serve.replay.ArchiveSource` (channels, span, history, events, samples between
two times) over a :class:`SimulationAdapter`, which is the only place that knows the engine's
shapes. ``telemetry`` may answer a mapping ``{channel: (times, values)}`` or an iterable of
``(time, channel, value)`` tuples or of dicts with those keys; times may be datetimes (UTC) or
ms. Every sample is kept in memory for the history of the page (the engine archives the run).
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from rossim.errors import InputError
from rossim.serve.channels import Channel, unit_from_name

__all__ = ["SimulationAdapter", "LiveSource", "load_engine", "to_ms", "from_ms"]


def to_ms(t: Any) -> int:
    """UTC milliseconds from a datetime (naive = UTC) or a number of ms."""
    if isinstance(t, datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=UTC)
        return int(round(t.timestamp() * 1000))
    return int(t)


def from_ms(t_ms: int) -> datetime:
    return datetime.fromtimestamp(t_ms / 1000.0, UTC)


def load_engine():
    """``rossim.ops.engine.Simulation``; :class:`InputError` if this build has no engine."""
    try:
        from rossim.ops.engine import Simulation  # the closed-loop engine (issue: lead's)
    except ImportError:
        raise InputError("argument", "ARCHIVE_OR_SCENARIO", "a scenario",
                         "an archive or run folder to replay: live runs need the closed-loop "
                         "engine (rossim.ops.engine), which this build does not have") from None
    return Simulation


class SimulationAdapter:
    """Normalises the engine's answers. ``sim`` is a ``Simulation`` (or a test double)."""

    def __init__(self, sim: Any) -> None:
        self.sim = sim

    def start_ms(self) -> int:
        for name in ("t", "time", "now", "start"):
            v = getattr(self.sim, name, None)
            if v is not None and not callable(v):
                return to_ms(v)
        raise InputError("engine", "Simulation.t", None, "the simulation's current time")

    def end_ms(self, default: int) -> int:
        v = getattr(self.sim, "end", None)
        return to_ms(v) if v is not None and not callable(v) else default

    def advance_to(self, t_ms: int) -> None:
        self.sim.advance_to(from_ms(t_ms))

    def command(self, cmd: dict[str, Any]) -> Any:
        return self.sim.command(cmd)

    def telemetry(self, since_ms: int | None) -> list[tuple[int, str, float]]:
        raw = self.sim.telemetry(channels=None,
                                 since=None if since_ms is None else from_ms(since_ms))
        out: list[tuple[int, str, float]] = []
        if isinstance(raw, Mapping):
            for name, series in raw.items():
                times, values = series
                out += [(to_ms(t), str(name), float(v)) for t, v in zip(times, values,
                                                                         strict=True)]
        else:
            for rec in raw or []:
                if isinstance(rec, Mapping):
                    out.append((to_ms(rec["time"]), str(rec["channel"]), float(rec["value"])))
                else:
                    t, name, v = rec
                    out.append((to_ms(t), str(name), float(v)))
        if since_ms is not None:  # `since` is exclusive here whatever the engine does
            out = [s for s in out if s[0] > since_ms]
        out.sort(key=lambda s: (s[0], s[1]))
        return out

    def events(self) -> list[dict[str, Any]]:
        """The engine's events so far, if it keeps a list (``sim.events``), as dicts."""
        ev = getattr(self.sim, "events", None)
        ev = ev() if callable(ev) else ev
        out = []
        for e in ev or []:
            e = dict(e) if isinstance(e, Mapping) else dict(zip(
                ("time", "kind", "subject", "detail", "severity", "value"), e, strict=False))
            out.append({"utc": to_ms(e.get("time", 0)), "kind": e.get("kind", ""),
                        "subject": e.get("subject", ""), "detail": e.get("detail", ""),
                        "severity": e.get("severity", "info"), "value": e.get("value")})
        return out

    def channels(self) -> list[Channel]:
        """Channels from ``sim.channels`` (dicts or objects with name/unit/low/high/...)."""
        spec = getattr(self.sim, "channels", None)
        spec = spec() if callable(spec) else spec
        out = []
        for c in spec or []:
            get = c.get if isinstance(c, Mapping) else (lambda k, d=None, c=c: getattr(c, k, d))
            name = str(get("name"))
            sub = name.split(".", 1)[0] if "." in name else "station"
            col = name.split(".", 1)[-1]
            out.append(Channel(name, sub, str(get("table", "live")), col,
                               get("unit") or unit_from_name(col), get("low"), get("high"),
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
        self._lock = threading.Lock()
        self._t_ms = self.start_ms
        self._samples: dict[str, tuple[list[int], list[float]]] = {}
        self._events: list[dict[str, Any]] = []
        self.channels: dict[str, Channel] = {c.name: c for c in self.adapter.channels()}
        self._store(self.adapter.telemetry(None))
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
                sub = name.split(".", 1)[0] if "." in name else "station"
                col = name.split(".", 1)[-1]
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

    def poll(self, t_ms: int) -> tuple[list[tuple[int, str, float]], list[dict[str, Any]]]:
        with self._lock:
            if t_ms <= self._t_ms:
                return [], []
            self.adapter.advance_to(t_ms)
            samples = self._store(self.adapter.telemetry(self._t_ms))
            self._t_ms = t_ms
            return samples, self._take_events()

    def command(self, cmd: dict[str, Any]) -> Any:
        with self._lock:
            return self.adapter.command(cmd)

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

    def close(self) -> None:
        pass
