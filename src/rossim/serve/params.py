"""The server's request parameters, checked: times, windows, integers, event kinds, a
command's ``at``. Each wrong value is one :class:`~rossim.errors.InputError` naming the
parameter, the value and what was expected (a 400 from :mod:`rossim.serve.app`).

A time window (``start``/``end`` of the telemetry, events, contact and ground-track
endpoints) must overlap the run's span: one wholly before the run or after it is refused
naming the end that cannot be right (``end`` before the run's start, ``start`` after its
end) with the run's span. A window that only partly overlaps is answered for the part inside
the run (the page's plots ask for the minutes around the clock, which at the run's first
minute reach before it); the ground track, computed rather than read, is clipped to the span.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from rossim.errors import InputError

__all__ = ["parse_time", "iso_ms", "window", "track_window", "int_param", "list_param",
           "check_event_kinds", "command_at", "command_set", "AT_FIELD"]

_EARLIEST_MS = -386_000_000_000  # 1957-10-04 (Sputnik 1)
_LATEST_MS = 7_258_118_400_000  # 2200-01-01

#: ``at``, as GET /api/commands lists it among every command's fields.
AT_FIELD = {"name": "at", "type": "UTC ISO-8601 time (e.g. 2028-03-01T12:00:00Z; Z or no zone: "
            "UTC, an offset is converted) from the run's current time to its end; omitted or "
            "null: now", "default": None}


def parse_time(value: str | None, field: str) -> int | None:
    """UTC ms from ``value`` (an integer of ms or ISO-8601), None if absent; InputError else."""
    if value is None or value == "":
        return None
    try:
        t = float(value)
        ms = int(t) if math.isfinite(t) else None
    except ValueError:
        try:
            d = datetime.fromisoformat(value.replace("Z", "+00:00"))
            ms = int((d if d.tzinfo else d.replace(tzinfo=UTC)).timestamp() * 1000)
        except ValueError:
            ms = None
    if ms is None:
        raise InputError("request", field, value, "UTC milliseconds since 1970 or ISO-8601")
    if not _EARLIEST_MS <= ms <= _LATEST_MS:
        raise InputError("request", field, value, "a time between 1957-10-04 and 2200-01-01")
    return ms


def iso_ms(ms: int) -> str:
    """UTC ms as ``YYYY-MM-DDThh:mm:ssZ``."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _span(source: Any) -> str:
    return f"the run's span {iso_ms(source.start_ms)} .. {iso_ms(source.end_ms)}"


def _in_run(source: Any, s: int | None, e: int | None, start: Any, end: Any) -> None:
    """Refuse a window wholly outside the run's span (see the module notes)."""
    if s is not None and s > source.end_ms:
        raise InputError("request", "start", start, f"a window overlapping {_span(source)} "
                         "(this start is after the run's end)")
    if e is not None and e < source.start_ms:
        raise InputError("request", "end", end, f"a window overlapping {_span(source)} "
                         "(this end is before the run's start)")


def window(source: Any, start: str | None, end: str | None) -> tuple[int, int]:
    """``(start_ms, end_ms)`` of a request (default: the run's span), overlapping the run."""
    s = parse_time(start, "start")
    e = parse_time(end, "end")
    _in_run(source, s, e, start, end)
    s = source.start_ms if s is None else s
    e = source.end_ms if e is None else e
    if e < s:
        raise InputError("request", "end", end, f"a time after start ({start})")
    return s, e


def track_window(source: Any, start: str | None, end: str | None, now_ms: int,
                 default_ms: int) -> tuple[int, int]:
    """The ground track's window: ``start`` (default ``now_ms``) to ``end`` (default
    ``default_ms`` later), overlapping the run and clipped to its span."""
    s = parse_time(start, "start")
    e = parse_time(end, "end")
    _in_run(source, s, e, start, end)
    s = now_ms if s is None else s
    e = s + default_ms if e is None else e
    if e < source.start_ms:   # only with the default end: a given one was checked above
        raise InputError("request", "start", start, f"a window overlapping {_span(source)} "
                         f"(this start and the default end {default_ms / 3.6e6:g} h later "
                         "are before the run's start)")
    if e <= s:
        raise InputError("request", "end", end, f"a time after start ({start or iso_ms(s)})")
    return max(s, source.start_ms), min(e, source.end_ms)


def int_param(value: str | None, field: str, lo: int, hi: int) -> int | None:
    if value is None or value == "":
        return None
    try:
        n = int(value)
    except ValueError:
        n = None
    if n is None or not lo <= n <= hi:
        raise InputError("request", field, value, f"an integer from {lo} to {hi}")
    return n


def list_param(value: str | None) -> list[str] | None:
    return [v for v in value.split(",") if v] if value else None


def check_event_kinds(kinds: list[str] | None, source: Any) -> None:
    """Refuse a ``kind`` filter naming a kind the run does not know. The engine's set of
    kinds is open (each model names its own), so the known ones are those the run has
    produced (for a live run: so far) plus the plan's ``dock``, ``undock`` and
    ``separation`` and the engine's ``alarm`` (every run can have them; the page's *Visits*
    and *Alarms* streams ask for them)."""
    if not kinds:
        return
    from typing import get_args

    from rossim.station.assembly import EventKind

    known = sorted(set(source.event_kinds()) | set(get_args(EventKind)) | {"alarm"})
    for k in kinds:
        if k not in known:
            raise InputError("request", "kind", k, "an event kind of this run (comma-separated"
                             f"): {', '.join(known)}")


def command_at(body: dict[str, Any], now_ms: int, end_ms: int) -> dict[str, Any]:
    """``body`` with its ``at`` (a command's time) checked and made a UTC datetime: an
    ISO-8601 text (``Z`` or no zone: UTC; an offset such as ``+03:00`` is converted to UTC, as
    every time of the API and a scenario's dates) from ``now_ms`` (the run's current time) to
    ``end_ms`` (its end). A number is refused (no meaning is documented for one); absent or
    null is now."""
    at = body.get("at")
    if at is None:
        return body
    expected = ("a UTC ISO-8601 time (Z or no zone; an offset is converted) from the run's "
                f"current time {iso_ms(now_ms)} to its end {iso_ms(end_ms)} (omit it or null "
                "for now)")
    t = None
    if isinstance(at, str):
        try:
            d = datetime.fromisoformat(at.strip().replace("Z", "+00:00"))
            t = d.replace(tzinfo=UTC) if d.tzinfo is None else d.astimezone(UTC)
        except ValueError:
            t = None
    if t is None or not now_ms <= t.timestamp() * 1000 <= end_ms:
        raise InputError("request", "at", at, expected)
    return {**body, "at": t}


#: a command field's annotation -> the type GET /api/commands shows (JSON, as it is sent)
_SHOWN_TYPES = {"dt.datetime | None": "UTC ISO-8601 time (e.g. 2028-03-01T00:00:00Z) or null"}


def command_set(names: list[str]) -> list[dict[str, Any]]:
    """The engine's commands (``rossim.ops.commands``) and their fields, ``at`` last; without
    typed commands, ``names`` (an engine's command names) with no fields."""
    import dataclasses

    try:
        from rossim.ops.commands import BY_NAME
    except ImportError:
        return [{"name": str(n), "fields": [], "doc": ""} for n in names]
    from rossim.serve.live import _jsonable

    out = []
    for name, cls in sorted(BY_NAME.items()):
        fields = [{"name": f.name, "type": _SHOWN_TYPES.get(str(f.type), str(f.type)),
                   "default": _jsonable(f.default) if f.default is not dataclasses.MISSING
                   else None}
                  for f in dataclasses.fields(cls) if f.name not in ("at", "source")]
        out.append({"name": name, "fields": [*fields, AT_FIELD],
                    "doc": (cls.__doc__ or "").strip().splitlines()[0]})
    return out
