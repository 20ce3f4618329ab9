"""Station traffic in the plan's replay: one docking or undocking at a time
(:class:`TrafficQueue`).

A visiting vehicle's approach or departure takes the station's approach ellipsoid and the
crew's and the control centre's attention for the day: the ISS brings one vehicle in or out at
a time, and a second waits in orbit or on its port (Dragon CRS-9 held its approach until
Progress MS-03 had docked, 2016-07-19/20; Progress MS-05 docked 2017-02-24 08:30 UTC, 19.3 h
after Dragon CRS-10 was berthed; Soyuz MS-14 docked 2019-08-27 03:08 UTC, 23.2 h after Soyuz
MS-13 had moved to Poisk to free its port). The systems catalog gives the least time between
two traffic operations (``logistics.traffic_spacing_h``, ``iss-traffic``; absent: none).

Each traffic operation of the plan keeps it from the one before:

* an operation is a ship's docking or its undocking, the docking of the modules one launch
  carries (a ``launch_group``: they arrive together), the separation of the modules one
  ``[[separations]]`` entry lists, or a ship's relocation (its undocking and its docking at
  the other port, 40 minutes apart: one operation), the planner's to free a port for an
  arriving crew ship or a ``relocate`` command's (its ship ``X`` docking again as
  ``X @port``). The modules in orbit at the span's start are none;
* the operations are taken in the plan's order (time, undockings before dockings at one
  instant, then the plan's order); one that comes less than the spacing after the one before
  moves to that one's time plus the spacing: **the later one waits** (a ship leaving stays
  docked, a ship arriving phases longer in orbit, its lift-off kept). Moving only later keeps
  the order, so every port and berth check of the replay holds as planned;
* the ship whose port a relocation frees docks the spacing after the relocation;
* a ship's undocking comes after its own docking: when its docking waited past its planned
  departure, it leaves the spacing after it (its stay cut to the spacing: a limit). An
  operation held past the span's end stays in the plan after it, as a docking planned after
  the end does (the run ends first).

Each moved event keeps its lift-off; its detail says how long it waited and behind which
operation (``held N h by the station's traffic: X undocks ...``), and one row per moved
event goes to :attr:`rossim.station.Timeline.traffic_holds` (the run summary's
``logistics.traffic_holds``, the plan review's ``traffic`` notes): ``part``, ``event``
(``dock``, ``undock``, ``separation``), ``planned`` and ``time`` (ISO UTC), ``held_h``,
``behind`` (the operation it waited for) and ``spacing_h``. Without the figure the replay is
the plan's order at the plan's times, to the byte.

Limits: a relocation is made when its ship's port is needed, not the day before as on the
ISS, so the arriving ship waits the spacing; the free-flyers' releases keep their own window
around the traffic (:mod:`rossim.ops.keepout`); reboosts are not traffic here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["TrafficQueue", "spacing"]


def spacing() -> dt.timedelta:
    """``logistics.traffic_spacing_h`` of the systems catalog (zero when absent)."""
    from rossim.config.systems import load_systems

    fig = load_systems().logistics.traffic_spacing_h
    return dt.timedelta(0) if fig is None else dt.timedelta(hours=fig.value)


def _verb(kind: str) -> str:
    return {"dock": "docks", "undock": "undocks"}.get(kind, "separates")


def _at(t: dt.datetime) -> str:
    return f"{t:%Y-%m-%d %H:%M} UTC"


class TrafficQueue:
    """The replay's actions in the plan's order, each traffic operation at least ``gap``
    after the one before (module docstring). ``actions``: ``(time, priority, order, event)``
    sorted; ``groups``: module id -> its launch group. Iterate for
    ``(time, event)``; :meth:`relocated` when a docking first moves a ship from its port."""

    def __init__(self, actions: list[tuple], gap: dt.timedelta, groups: Mapping[str, str]
                 ) -> None:
        self.gap, self.groups = gap, groups
        self._heap = [(t, (rank, 0), ev) for rank, (t, _p, _o, ev) in enumerate(actions)]
        heapq.heapify(self._heap)
        self._rank = {(ev.part, ev.kind): rank for rank, (_t, _p, _o, ev) in enumerate(actions)}
        self._docks = {ev.part for *_k, ev in actions if ev.kind == "dock"}
        self._docked: set[str] = set()
        self._pending: dict[str, dt.datetime] = {}   # a held docking -> its new time
        self._last: tuple[dt.datetime, Any, str] | None = None   # time, operation, label
        self._orig: dict[tuple[str, str], tuple[dt.datetime, str]] = {}  # time, detail
        self._behind: dict[tuple[str, str], str] = {}
        self.rows: list[dict] = []
        #: (part, event) of each row -> (time, planned) as datetimes (UTC), for the ops layer
        #: (it does not parse the rows' ISO text back: tests/test_time_bridge.py)
        self.times: dict[tuple[str, str], tuple[dt.datetime, dt.datetime]] = {}

    def _op(self, ev: Any) -> Any:
        if ev.part_kind == "module" and ev.kind == "dock":
            return ("launch", self.groups.get(ev.part, ev.part))
        if ev.kind == "separation":
            return ("separation", ev.field.split(".", 1)[0])
        if ev.kind == "dock" and " @" in ev.part:   # a commanded relocation's second half:
            return ("vehicle", ev.part.rsplit(" @", 1)[0], "undock")   # one operation
        return ("vehicle", ev.part, ev.kind)

    def _hold(self, ev: Any, t: dt.datetime, rank: tuple, behind: str) -> None:
        """Put ``ev`` back in the queue at ``t``, its detail saying it waits for ``behind``."""
        key = (ev.part, ev.kind)
        planned, detail = self._orig.setdefault(key, (ev.time, ev.detail))
        self._behind[key] = behind
        if ev.kind == "dock":
            self._pending[ev.part] = t
        h = (t - planned).total_seconds() / 3600.0
        note = (f"; held {h:.1f} h by the station's traffic: {behind} (one docking or "
                f"undocking at a time, {self.gap.total_seconds() / 3600:g} h apart)")
        heapq.heappush(self._heap, (t, rank, dataclasses.replace(ev, time=t,
                                                                detail=detail + note)))

    def _place(self, t: dt.datetime, op: Any, label: str, ev: Any = None) -> None:
        self._last = (t, op, label)
        if ev is None:
            return
        if ev.kind == "dock":
            self._docked.add(ev.part)
        key = (ev.part, ev.kind)
        if key in self._orig:
            planned = self._orig[key][0]
            self.rows.append({"part": ev.part, "event": ev.kind, "planned": planned.isoformat(),
                              "time": t.isoformat(),
                              "held_h": round((t - planned).total_seconds() / 3600.0, 2),
                              "behind": self._behind[key],
                              "spacing_h": self.gap.total_seconds() / 3600.0})
            self.times[key] = (t, planned)

    def __iter__(self) -> Iterator[tuple[dt.datetime, Any]]:
        while self._heap:
            t, rank, ev = heapq.heappop(self._heap)
            if ev.field.startswith("initial["):    # in orbit at the span's start
                yield t, ev
                continue
            if ev.kind == "undock" and ev.part in self._docks and ev.part not in self._docked:
                dock_rank = (self._rank[(ev.part, "dock")], 1)   # right after its docking
                self._hold(ev, max(t, self._pending.get(ev.part, t)), dock_rank,
                           "its own docking, held past its departure")
                continue
            op = self._op(ev)
            last = self._last
            if self.gap > dt.timedelta(0) and last is not None and last[1] != op \
                    and t < last[0] + self.gap:
                self._hold(ev, last[0] + self.gap, rank, last[2])
                continue
            self._place(t, op, f"{ev.part} {_verb(ev.kind)} {_at(t)}", ev)
            yield t, ev

    def relocated(self, ev: Any, t: dt.datetime, moves: list[dict]) -> bool:
        """Docking ``ev`` (yielded at ``t``) first moved ships from its port (``moves``, made
        now): the relocation is the operation at ``t``, and ``ev`` waits the spacing after it
        (True: back in the queue), or docks now without a spacing (False)."""
        label = "the relocation of " + ", ".join(
            f"{m['ship']} {m['from']} -> {m['to']}" for m in moves) + f" {_at(t)}"
        self._place(t, ("relocation", ev.part, t), label)
        if self.gap <= dt.timedelta(0):
            return False
        self._docked.discard(ev.part)
        self._rows_drop(ev)
        self._hold(ev, t + self.gap, (self._rank[(ev.part, ev.kind)], 0), label)
        return True

    def _rows_drop(self, ev: Any) -> None:
        """A row recorded for ``ev`` at a placement it no longer keeps (it waits again)."""
        self.rows = [r for r in self.rows if (r["part"], r["event"]) != (ev.part, ev.kind)]
        self.times.pop((ev.part, ev.kind), None)
