"""A repair crew called up for a safe mode only a crew can clear (:func:`began`).

A component with fewer than ``min_units`` working and no degraded mode puts the station in
safe mode (:mod:`rossim.ops.fault_response`: experiments shed, attitude on thrusters) until
its repair. When only a crew can repair it (catalog ``repair_by = "crew"``) and the ground has
no way to accept the units left (no ``single_string_after_days``:
:mod:`rossim.ops.single_string`), an uncrewed station waits for the next planned crew, which
in a station visited a few times a year can be half a year away: with both thermal-control
loop pumps failed (``coolant-pump``, :mod:`rossim.ops.coolant_loop`) no loop carries heat to
the radiators, the modules warm with their dissipation and the crew that finally comes boards
a module above its crewed band, while the thrusters burn propellant for attitude all along
(ros-51.6 campaign on 2dbeacd: 51 of 200 runs had a crew boarding a module above 26.7 C with
the loop stopped).

The ground then decides, a minute after the detection (:data:`DECIDE_AFTER_S`: the repairs
and a spare's cargo call-up of the same detection booked by then), as for a free drift
(:meth:`rossim.ops.crew_callup.CrewCallUp.call`): nothing when a crew aboard stays long
enough to repair from the day a spare is aboard (now, or the docking of the next cargo ship:
:func:`spare_ready_s`; in safe mode cargo ships dock, unlike in a drift), or when a planned
crew, or one a launcher's stand-down holds on the ground (:func:`held_crew`), docks no later
than a crew called now could; otherwise the next planned crew is flown early
(:mod:`rossim.ops.crew_early`) and, when the plan refuses or no planned crew comes, a repair
crew of its own flies (the call-up lead ``free_drift.repair_crew_lead_days``, the first
allowed window, the pad's turnaround, the launcher's stand-downs, ports, berths, the stay, the
other repairs taken over, a launch abort and its re-flight). Two differences from the drift:
the station holds attitude on its thrusters, so the ship docks automatically in its own
``time_to_dock_h`` (not the manual profile to a drifting station), and a spare not aboard
comes as any repair's (the cargo call-up, :mod:`rossim.ops.cargo_callup`; a crew called up
packs it in its cargo, :meth:`~rossim.ops.crew_callup.CrewCallUp._repair`). The day before
its lift-off a repair crew (of a drift too) is stood down when what it was called for has
ended (:func:`stand_down`), and a crew flown early goes back to its planned date. A decision
that counted on a cargo ship's spare or a held crew is made again after it
(:func:`decide_again`) while the units are still short.

Precedent: Skylab, 1973. The workshop lost its meteoroid shield at launch (1973-05-14) and
overheated; the first crew's launch, planned for the next day, was put back to 1973-05-25 to
train and pack a repair (the parasol sunshade) and the crew's first task aboard was to bring
the temperatures down (``skylab-2``). Not called for: the control computers (none left is the
free drift, :mod:`rossim.ops.free_drift`, with its own call-up; one left, the ground's
acceptance), units repaired by the exterior robot, and units repaired on a spacewalk (a
limit: a spacewalk repair crew is not called up). Switch: ``operations.repair_crew_callup``
of the scenario (default on), as for the drift.
"""

from __future__ import annotations

from typing import Any

from rossim.config.free_drift import load_free_drift

__all__ = ["began", "short", "still_needed", "spare_ready_s", "held_crew", "recheck_at",
           "stand_down", "decide_again"]

SOURCE = "skylab-2"
DAY_S = 86400
#: The decision a minute after the detection: the repairs and a spare's cargo call-up of the
#: same detection are booked by then (:func:`spare_ready_s` sees the call-up).
DECIDE_AFTER_S = 60


def short(sim, cid: str) -> bool:
    """Whether fewer than ``min_units`` of component ``cid`` work (as the autonomy counts
    them, :attr:`rossim.ops.fdir.Reliability.working`) in any module that carries it."""
    comp = sim.systems.component_by_id(cid)
    rel = getattr(sim, "reliability", None)
    if comp is None or rel is None:
        return False
    return any(c == cid and n < comp.min_units for (c, _m), n in rel.working.items())


def needs_crew(comp) -> bool:
    """Whether a safe mode from ``comp``'s loss is one only a crew clears (module
    docstring): repaired by a crew, not the control computer, no acceptance of fewer
    units."""
    return (comp.repair_by == "crew" and comp.id != load_free_drift().control_component
            and getattr(comp, "single_string_after_days", None) is None)


def began(sim, faults: list, comp) -> None:
    """Hook of :func:`rossim.ops.fault_response.respond`: ``faults`` (one detection, first
    one first) put the station in safe mode now with too few units of ``comp`` working; call
    up a repair crew when only a crew can clear it (:func:`needs_crew`) and none is on its
    way for ``comp`` already."""
    callup = getattr(sim, "crew_callup", None)
    if callup is None or not needs_crew(comp):
        return
    if any(fl["state"] == "on its way" and fl.get("component") == comp.id
           for fl in callup.flights):
        return
    f0 = faults[0]
    cause = (f"safe mode since {sim.iso(sim.engine.now_s)[:16]}: "
             f"{max(sim.reliability.working.get((f0.component, f0.module), 0), 0)} of "
             f"{comp.units} {comp.name} units work, {comp.min_units} needed (fault #{f0.id}; "
             f"repair by a crew only, {SOURCE})")

    def decide(_e) -> None:
        if short(sim, comp.id):   # the repairs and the spare's cargo call-up booked by now
            callup.call(f0, None, cause, manual=False)

    sim.engine.schedule(sim.engine.now_s + DECIDE_AFTER_S, decide, "safe-mode crew call-up")


def decide_again(sim, manual: bool, t_s: int, f, cause: str) -> None:
    """A decision "no call-up" that counted on a spare coming by cargo, or on a held crew,
    at run second ``t_s``: an hour after ``t_s`` the ground decides again while the units
    of ``f``'s component are still short (the cargo ship came without the spare, or was
    lost; the crew slipped again) and no crew is on its way for them. Only in safe mode
    (``manual`` False; a drift's decision stands) and for a ``t_s`` still to come."""
    eng = sim.engine
    if manual or t_s <= eng.now_s:
        return
    callup = sim.crew_callup

    def again(_e) -> None:
        now = eng.now_s
        came = spare_ready_s(sim, f.component) == now and sim.config.crew_aboard > 0
        if came or not short(sim, f.component) or any(
                fl["state"] == "on its way" and fl.get("component") == f.component
                for fl in callup.flights) or any(
                r["state"].startswith("flown early") and r["component"] == f.component
                and _docks_after(sim, r["name"], now) for r in callup.early):
            return
        callup.call(f, None, f"{cause}; decided again {sim.iso(now)[:10]}: the units are "
                    "still short", manual=False)

    eng.schedule(t_s + 3600, again, "safe-mode crew call-up, again")


def _docks_after(sim, name: str, t_s: int) -> bool:
    """Whether plan visit ``name`` docks after run second ``t_s`` (the plan's timeline)."""
    eng = sim.engine
    return any(e.part == name and e.kind == "dock" and eng.seconds(e.time) > t_s
               for e in sim.timeline.events)


def still_needed(sim, flight: dict[str, Any]) -> bool:
    """Whether what a repair crew ``flight`` was called for still holds: the drift (a
    ``manual`` approach), else too few units of its component (:func:`short`)."""
    from rossim.ops import free_drift

    if flight.get("approach") == "manual":
        return free_drift.drifting(sim)
    return short(sim, flight["component"])


def spare_ready_s(sim, cid: str) -> int | None:
    """Run second from which a spare of ``cid`` is aboard for a crew to fit: now when one is
    in stock or taken for a failed unit, else the docking of the next cargo ship (planned,
    held by a stand-down, or a call-up on its way: :meth:`rossim.ops.cargo_callup.
    CargoCallUp.next_arrival`; the loadmaster packs waiting spares first), None when none
    comes."""
    rel, now = sim.reliability, sim.engine.now_s
    if rel.spares.stock.get(cid, 0) > 0 or any(
            f.spare_from for f in rel.faults if f.component == cid and f.repaired_at is None):
        return now
    cargo = getattr(sim, "cargo_callup", None)
    nxt = cargo.next_arrival() if cargo is not None else None
    return None if nxt is None else nxt[0]


def held_crew(sim, manual: bool) -> tuple[int, Any] | None:
    """``(docking run second, stand-in event)`` of the first planned crew a launcher's
    stand-down holds on the ground (off the timeline until it flies:
    :func:`rossim.ops.launcher_stand_down.held_arrivals`), None when none; for a drift
    (``manual``) only when a spare is aboard (the held ship was packed before the drift)."""
    from types import SimpleNamespace

    from rossim.ops import drift_spare, launcher_stand_down

    if manual and drift_spare.shortfall(sim):
        return None
    cat, now = sim.timeline.catalog, sim.engine.now_s
    crews = sorted((t, name) for t, name, vid in launcher_stand_down.held_arrivals(sim)
                   if t > now and getattr(cat.vehicles.get(vid), "kind", "") == "crew")
    return None if not crews else (crews[0][0], SimpleNamespace(part=crews[0][1]))


def recheck_at(sim, lift_off_s: int, check) -> None:
    """Run ``check()`` a day before lift-off ``lift_off_s`` (now, when that is past)."""
    eng = sim.engine
    eng.schedule(max(eng.now_s + 60, lift_off_s - DAY_S), lambda _e: check(),
                 "call-up re-check")


def stand_down(callup, flight: dict[str, Any]) -> None:
    """The day before repair crew ``flight``'s lift-off: not flown when what it was called
    for has ended (:func:`still_needed`: repaired by a crew aboard with a spare come
    meanwhile, or by a planned crew held and flown); one ``crew-callup`` event."""
    if flight["state"] != "on its way" or still_needed(callup.sim, flight):
        return
    sim = callup.sim
    flight["state"] = f"not flown: stood down {sim.iso(sim.engine.now_s)[:10]}, its cause ended"
    sim.event("crew-callup", flight["name"], f"stood down before its lift-off "
              f"{flight['launch'][:16]}: no longer needed ({flight['cause']})", "info",
              source="ground")
