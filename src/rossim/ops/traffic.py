"""The station's traffic in the run: one docking or undocking at a time.

The plan keeps ``logistics.traffic_spacing_h`` between its traffic operations by construction
(:mod:`rossim.station.traffic`: the later one waits, its detail and
:attr:`rossim.station.Timeline.traffic_holds` say why). The run keeps it for what it decides
itself:

* a ground or operator ``dock``, ``undock`` or ``relocate`` command (a call-up ship docking, a
  cargo ship undocked to free a port, a crew returning early, a scenario's command) less than
  the spacing after the plan's last docking, undocking, relocation or separation is refused,
  the reason naming that operation and when the station is clear (:func:`refusal`);
* the run's own decisions wait for the clear time instead (:func:`hold`, event
  ``traffic-held`` with the cause): a cargo call-up ship or a repair crew arriving waits in
  orbit, the ground's undocking of a cargo ship to free a port waits on its port;
* each of the plan's dockings and undockings the spacing moved is announced when it happens
  (:func:`announce`, event ``traffic-held``), besides its detail in the ``dock`` / ``undock``
  event.

A command at the clear time becomes the operation the plan's later ones keep the spacing from
(the plan is replayed with it, :mod:`rossim.ops.commanding`). Limits: a crew returning early
for want of consumables also waits (its second ship the spacing after the first: the ground
would then clear two ships in a day).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["spacing_s", "last_operation", "clear_s", "refusal", "hold", "announce"]


def spacing_s(sim: Any) -> int:
    """``logistics.traffic_spacing_h`` in seconds (0 when the catalog gives none)."""
    lg = getattr(sim.systems, "logistics", None)
    fig = getattr(lg, "traffic_spacing_h", None)
    return 0 if fig is None else int(round(fig.value * 3600))


def _label(e: Any) -> str:
    if getattr(e, "relocation", False):
        return f"the relocation of {e.part}"
    return f"{e.part} {dict(dock='docks', undock='undocks').get(e.kind, 'separates')}"


def last_operation(sim: Any, t_s: int) -> tuple[int, str] | None:
    """``(run second, what)`` of the plan's last traffic operation at or before run second
    ``t_s`` (the modules in orbit at the span's start are none), None when there is none."""
    eng = sim.engine
    best = None
    for e in sim.timeline.events:
        if e.field.startswith("initial["):
            continue
        s = eng.seconds(e.time)
        if s <= t_s and (best is None or s >= best[0]):
            best = (s, _label(e))
    return best


def clear_s(sim: Any, t_s: int | None = None) -> tuple[int, str | None]:
    """``(run second, what)``: the first run second on or after ``t_s`` (default now) at
    least the spacing after the plan's last traffic operation, and that operation (None when
    ``t_s`` is clear)."""
    eng = sim.engine
    t = eng.now_s if t_s is None else t_s
    gap = spacing_s(sim)
    got = last_operation(sim, t) if gap > 0 else None
    if got is None or got[0] + gap <= t:
        return t, None
    return got[0] + gap, f"{got[1]} {sim.iso(got[0])[:16].replace('T', ' ')} UTC"


def refusal(sim: Any) -> str:
    """Why a docking, undocking or relocation cannot be commanded now ("" when it can)."""
    if not hasattr(sim, "timeline"):
        return ""
    t, who = clear_s(sim)
    if who is None:
        return ""
    return (f"station traffic: {who}, less than {spacing_s(sim) / 3600:g} h ago (one docking "
            f"or undocking at a time, logistics.traffic_spacing_h): clear from "
            f"{sim.iso(t)[:16].replace('T', ' ')} UTC")


def hold(sim: Any, subject: str, what: str, retry: Callable[[], None]) -> bool:
    """When the station's traffic does not let ``subject`` do ``what`` (text: "dock",
    "undock to free ...") now: a ``traffic-held`` event with the cause and ``retry`` called
    at the clear time (True); False when the station is clear (or the clear time is past the
    run's end: the caller goes on as without the rule)."""
    eng = sim.engine
    t, who = clear_s(sim)
    if who is None or t >= eng.t_end_s:
        return False
    step = max(int(getattr(eng, "step_s", 1)), 1)
    t = -(-t // step) * step    # on the engine's grid
    sim.event("traffic-held", subject, f"{what} held to {sim.iso(t)[:16].replace('T', ' ')} "
              f"UTC: {who}, one docking or undocking at a time "
              f"({spacing_s(sim) / 3600:g} h apart, logistics.traffic_spacing_h)", "info",
              value=(t - eng.now_s) / 3600.0, source="ground")
    eng.schedule(t, lambda _e: retry(), "traffic hold")
    return True


def announce(sim: Any, evs: list) -> None:
    """The plan's events ``evs`` happening now that the spacing moved
    (:attr:`rossim.station.Timeline.traffic_holds`): one ``traffic-held`` event each."""
    rows = getattr(sim.timeline, "traffic_holds", None)
    if not rows:
        return
    now = sim.iso(sim.engine.now_s)[:16]
    for e in evs:
        for r in rows:
            if (r["part"], r["event"]) == (e.part, e.kind) and r["time"][:16] == now:
                sim.event("traffic-held", e.part, f"{e.kind} held {r['held_h']:.1f} h from "
                          f"{r['planned'][:16].replace('T', ' ')} UTC: {r['behind']} (one "
                          f"docking or undocking at a time, {r['spacing_h']:g} h apart)",
                          "info", value=r["held_h"], source="plan")
