"""The run's register of grounded launchers (:class:`StandDowns`).

After a launch failure the programme grounds the rocket until the cause is found (the
stand-down: :class:`rossim.config.stand_down.LauncherStandDown`). After each Progress lost at
launch the next Progress flew 66-83 days later and the crews behind it waited for it: Soyuz
TMA-22 lifted off 82 days after Progress M-12M, TMA-17M 85 days after M-27M
(``progress-losses``); after the Soyuz MS-10 crew abort of 2018-10-11 the next ship on the
rocket, Progress MS-10, lifted off 36 days later and the next crew, Soyuz MS-11, 53 days later
(``soyuz-launch-aborts``). The systems catalog gives the figures
(``logistics.stand_down_uncrewed_after_cargo_loss_days`` 66,
``stand_down_crew_after_cargo_loss_days`` 82, ``stand_down_uncrewed_after_crew_abort_days``
36, ``stand_down_crew_after_crew_abort_days`` 53; absent: no stand-down).

* **The register** starts from the scenario's ``operations.launcher_stand_downs`` (a campaign
  writes there the stand-downs of the plan's own losses; a scenario may state one by hand) and
  gets one stand-down at each launch failure in the run (:func:`failed`, hook of
  :mod:`rossim.ops.callup_loss`: a cargo call-up lost, a repair crew's launch aborted), from
  the failure, on the failed ship's launcher (catalog launcher id: the same id is the same
  rocket, so a Soyuz-2.1a failure grounds the Progress MS and the Soyuz MS, not the Orel on
  the Angara-A5P).
* **Every lift-off the run chooses** (a cargo call-up, a repair crew and its re-flight, a ship
  held during a free drift, a ship held here) keeps every stand-down of its launcher: a window
  in one moves to the first allowed window on or after its end, as a window moves past a
  pad's turnaround (:func:`clear_of`, in :func:`rossim.ops.callup_launch.window_lift_off`).
* **The plan's ships** not yet lifted off on the grounded launcher whose lift-off falls in a
  stand-down begun by a failure in the run are held on the ground (withdrawn from the plan by
  the free drift's machinery, :meth:`rossim.ops.drift_docking.DriftDocking._edit`) until it
  ends; then each lifts off at the first allowed window on or after that end, keeping the
  pad's turnaround and the stand-downs, and docks with its own manifest and stay at its port,
  a free one, or after waiting on the ground for one (:func:`rossim.ops.held_flight.fly`).
  A ship with no crew whose stand-down ends while the station drifts is handed to the drift's
  hold (:mod:`rossim.ops.drift_docking`). The plan's own ships in a stand-down of the
  scenario are the campaign's to move (the plan is made with them): the run leaves them.

Events ``launcher-stand-down`` (the grounding with its cause and ends; each ship held and its
lift-off after), one ``logistics`` warning alarm per stand-down begun in the run; the run
summary's ``logistics.stand_downs`` when the register holds any (:meth:`StandDowns.record`).
No random draw. With no failure and no stand-down in the scenario nothing here acts.

A planned ship held here is off the timeline until it flies, so the call-ups' next-ship check
(:meth:`rossim.ops.cargo_callup.CargoCallUp.next_arrival`: a spare's call-up, and the
propellant re-check's next ship with propellant) reads it from :func:`held_arrivals`, at the
docking of its first allowed window after the stand-down: after a call-up lost, the spare
called again waits for the held planned Progress when it docks no later than a new ship could
(as the ISS waited for the next Progress after each loss) instead of a new ship lifting off
before it. Crew repairs booked on a held crew visit are booked again on the plan without it,
and again when it flies (:func:`_rebook`).

Limits: a module's assembly launch on a grounded launcher is not held; a plan edit made
during a stand-down that moves a planned lift-off into it is not checked again; a held ship's
expected docking is the one of its first window when it was held (a later lift-off from its
pad, or a port it must wait for, can move it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rossim.config.stand_down import (
    FIGURES,
    SOURCES,
    LauncherStandDown,
    after_failure,
    earliest_lift_off,
    launcher_of,
)

__all__ = ["StandDowns", "of", "clear_of", "note", "failed", "hold", "held_arrivals", "record"]

DAY_S = 86400



class StandDowns:
    """The stand-downs of ``sim`` (a :class:`~rossim.ops.simulation.Simulation` or the
    reliability-only replay): ``entries`` (:class:`LauncherStandDown`, the scenario's first),
    ``in_run`` (those begun by a failure in the run), ``held`` (one record per plan ship
    held on the ground)."""

    def __init__(self, sim) -> None:
        self.sim = sim
        ops = getattr(sim.scenario, "operations", None)
        self.entries: list[LauncherStandDown] = list(getattr(ops, "launcher_stand_downs", ()))
        self.in_run: list[LauncherStandDown] = []
        self.held: dict[str, dict[str, Any]] = {}
        #: ship held -> (expected docking, run second; catalog vehicle id): its first window
        #: after the stand-down when it was held (:func:`held_arrivals`)
        self.expected: dict[str, tuple[int, str]] = {}

    def until_s(self, launcher: str | None, crewed: bool, lift_s: int
                ) -> tuple[int, LauncherStandDown | None]:
        """``(run second, stand-down)``: the earliest lift-off (run second, on the engine's
        grid) allowed for a launch of ``launcher`` at run second ``lift_s`` by every
        stand-down, and the last one that moved it (None when none does)."""
        eng = self.sim.engine
        when, who = earliest_lift_off(self.entries, launcher, _utc(eng, lift_s), crewed)
        t = max(lift_s, eng.seconds(when)) if who is not None else lift_s
        return t, who


def _utc(eng, t_s: int) -> dt.datetime:
    from rossim.ops.engine import to_datetime

    return to_datetime(eng.epoch(t_s))


def of(sim) -> StandDowns:
    """``sim``'s register (made at its first use, kept as ``sim.launcher_stand_down``)."""
    m = getattr(sim, "launcher_stand_down", None)
    if m is None:
        m = sim.launcher_stand_down = StandDowns(sim)
    return m


def clear_of(sim, launcher: str | None, crewed: bool, t_s: int
             ) -> tuple[int, LauncherStandDown | None]:
    """Hook of :func:`rossim.ops.callup_launch.window_lift_off`: ``(run second,
    stand-down)``, the first run second on or after ``t_s`` at which a launch of catalog
    launcher ``launcher`` (crewed or not) is allowed by every stand-down of the register, and
    the stand-down that moved it (None when ``t_s`` is allowed, or ``launcher`` is None)."""
    if launcher is None:
        return t_s, None
    m = getattr(sim, "launcher_stand_down", None)
    if m is None:
        ops = getattr(sim.scenario, "operations", None)
        if not getattr(ops, "launcher_stand_downs", ()):
            return t_s, None   # nothing grounded: nothing made (the run as it was)
        m = of(sim)
    return m.until_s(launcher, crewed, t_s)


def describe(sd: LauncherStandDown) -> str:
    """One line: the launcher, its failure, the ends and the cause."""
    why = f": {sd.cause}" if sd.cause else ""
    return (f"{sd.launcher} stand-down after the failure of {sd.failed:%Y-%m-%d %H:%M} (no "
            f"uncrewed launch before {sd.uncrewed_until:%Y-%m-%d %H:%M}, no crew before "
            f"{sd.crew_until:%Y-%m-%d %H:%M}){why}")


def note(window: dict) -> str:
    """Text for an event: "" when the window of :func:`rossim.ops.callup_launch.
    window_lift_off` was not moved by a stand-down, else which one."""
    sd = window.get("after_stand_down")
    return "" if sd is None else f"; launcher grounded: {describe(sd)}"


def _launcher(sim, name: str) -> tuple[Any, str] | None:
    """``(visit, launcher id)`` of the plan's visit ``name`` (None when not a visit)."""
    cat = sim.timeline.catalog
    for _f, v in sim.scenario.visits:
        if v.part_name == name and v.vehicle in cat.vehicles:
            return v, launcher_of(cat, v)
    return None


def failed(sim, launcher: str, kind: str, ship: str, cause: str, *, hold_ships: bool = True
           ) -> LauncherStandDown | None:
    """Hook of :mod:`rossim.ops.callup_loss`: ``ship``'s launch on catalog launcher
    ``launcher`` failed now (``kind``: ``cargo`` lost, ``crew`` aborted; ``cause``: text).
    Adds the stand-down (module docstring; None when the catalog gives no figure) and, with
    ``hold_ships``, holds the plan's ships it grounds (else the caller does: :func:`hold`).
    Returns the stand-down."""
    lg = getattr(sim.systems, "logistics", None)
    eng = sim.engine
    sd = None if lg is None else after_failure(kind, launcher, _utc(eng, eng.now_s), lg, ship)
    if sd is None:
        return None
    figs = [getattr(lg, k) for k in FIGURES[kind]]
    src = SOURCES[kind]
    m = of(sim)
    m.entries.append(sd)
    m.in_run.append(sd)
    text = (f"grounded after the failure of {ship}: no uncrewed launch on it before "
            f"{sd.uncrewed_until:%Y-%m-%d %H:%M} ({figs[0].value:g} days), no crew before "
            f"{sd.crew_until:%Y-%m-%d %H:%M} ({figs[1].value:g} days; logistics."
            f"{FIGURES[kind][0]}, {FIGURES[kind][1]}: {src}); {cause}")
    sim.event("launcher-stand-down", launcher, text, "warning", source="ground")
    sim.alarm("logistics", f"{launcher} grounded after {ship}'s failure", "warning", text,
              key=f"stand-down-{launcher}-{ship}")
    if hold_ships:
        hold(sim, sd)
    return sd


def hold(sim, sd: LauncherStandDown | None) -> None:
    """Withdraw the plan's ships that stand-down ``sd`` (one begun now; None: nothing) grounds
    (not yet lifted off) and schedule each one's flight at the stand-down's end; crew repairs
    booked on a crew visit withdrawn are booked again (:func:`_rebook`)."""
    dd = getattr(sim, "drift_docking", None)
    if sd is None or dd is None or not hasattr(sim, "timeline"):
        return
    m = of(sim)
    eng = sim.engine
    found: dict[str, tuple[Any, dt.datetime, dt.datetime]] = {}
    for e in sim.timeline.events:
        if e.part_kind != "vehicle" or e.kind != "dock" or e.launch is None \
                or getattr(e, "relocation", False) \
                or eng.seconds(e.launch) <= eng.now_s or e.part in dd.ships:
            continue
        got = _launcher(sim, e.part)
        if got is None:
            continue
        until = sd.grounds(got[1], e.launch, e.crew > 0)
        if until is not None:
            found[e.part] = (got[0], e.launch, until)
    if not found:
        return
    if not dd._edit(set(found), []):
        sim.event("launcher-stand-down", sd.launcher, "the plan's ships on it fly as planned: "
                  f"withdrawing {', '.join(sorted(found))} was refused "
                  f"({getattr(dd, 'last_refusal', 'plan refused')})", "warning",
                  source="ground")
        return
    if any(v.crew > 0 for v, _p, _u in found.values()):
        _rebook(sim)
    for name, (v, planned, until) in found.items():
        rec = {"ship": name, "vehicle": v.vehicle, "launcher": sd.launcher,
               "crew": int(v.crew), "planned_lift_off": f"{planned:%Y-%m-%dT%H:%MZ}",
               "held_until": f"{until:%Y-%m-%dT%H:%MZ}", "stand_down": sd.cause,
               "state": "held: launcher grounded", "history": []}
        m.held[name] = rec
        _note(sim, rec, f"lift-off {planned:%Y-%m-%d %H:%M} held on the ground until "
              f"{until:%Y-%m-%d %H:%M}: {describe(sd)}", "warning")
        t = eng.seconds(until)
        if t < eng.t_end_s:
            eng.schedule(t, lambda _e, n=name, vv=v: _release(sim, n, vv), "stand-down end")
            _expect(sim, dd, name, v, t)


def _expect(sim, dd, name: str, v, t_s: int) -> None:
    """Note when held ship ``name`` (visit ``v``) should dock: the first allowed window of
    its pad on or after run second ``t_s`` (the stand-down's end; the pad's turnaround and the
    stand-downs kept, :func:`rossim.ops.callup_launch.window_lift_off`), plus its time to
    dock. Nothing when no window is allowed."""
    from rossim.ops.callup_launch import window_lift_off

    veh = sim.timeline.catalog.vehicles[v.vehicle]
    slot = window_lift_off(sim, dd, dd.pad(v), t_s, veh.time_to_dock_h.value,
                           where="logistics", field="held ship",
                           launcher=v.launcher or veh.launcher, crewed=v.crew > 0)
    if slot is not None and slot[1] < sim.engine.t_end_s:
        of(sim).expected[name] = (slot[1], v.vehicle)


def held_arrivals(sim) -> list[tuple[int, str, str]]:
    """``(docking run second, ship, catalog vehicle id)`` of each plan ship a stand-down
    holds on the ground now, its docking the one expected when it was held (its first allowed
    window after the stand-down; it may still wait for a port). Read by the call-ups'
    next-ship check (:meth:`rossim.ops.cargo_callup.CargoCallUp.next_arrival`), which sees
    the timeline only: a held ship is off it until it flies. Empty when none is held."""
    m = getattr(sim, "launcher_stand_down", None)
    if m is None:
        return []
    return [(t_s, name, vid) for name, (t_s, vid) in m.expected.items()
            if m.held.get(name, {}).get("state") == "held: launcher grounded"]


def _rebook(sim, later: bool = False) -> None:
    """A crew visit left the plan: each pending crew repair (IVA or spacewalk) whose booking
    no longer lies in a crewed stretch of the plan from a crew's first day aboard on
    (:func:`rossim.ops.repair_crew_tasks.off_first_day`: not on a later crew's docking day
    either) is booked again from now through the same path
    (:func:`rossim.ops.repair_crew_tasks.withdraw`, then
    :meth:`~rossim.ops.repairs.RepairsMixin.book_repair`: the next crew from its first day
    aboard, its crew time drawn; the old booking's end no longer repairs it). ``later``: a
    crew visit came back (a held crew flown): every crew repair not yet begun, or found no
    slot, is booked again from now (a slot can only come sooner)."""
    from rossim.ops import repair_crew_tasks as tasks

    rel, sch = sim.reliability, sim.scheduler
    windows = tasks.repair_windows(sim)
    faults = {f.id: f for f in rel.faults}
    now = sim.now
    for t in list(sch.tasks):
        f = faults.get(t.fault_id) if t.fault_id is not None else None
        if f is None or t.by not in windows or f.repaired_at is not None \
                or not f.spare_from or not rel.attached(f.module):
            continue
        if later:
            if t.start is not None and t.start <= now:
                continue
        elif t.start is None or t.end is None or t.end <= now \
                or not tasks.off_first_day(sim, t, windows):
            continue
        tasks.withdraw(sim, f)
        rel.book_repair(f, sim.systems.component_by_id(f.component), ready=max(now, t.ready))


def _note(sim, rec: dict[str, Any], text: str, severity: str = "info") -> None:
    rec["history"].append(f"{sim.iso(sim.engine.now_s)[:16]} {text}")
    sim.event("launcher-stand-down", rec["ship"], text, severity, source="ground")


def _release(sim, name: str, v) -> None:
    """The stand-down holding ``name`` (scenario visit ``v``) ends now: it flies
    (:func:`rossim.ops.held_flight.fly`), or waits for the drift's end when the station
    drifts and it has no crew (:mod:`rossim.ops.drift_docking`)."""
    from rossim.ops import free_drift, held_flight

    m, dd = of(sim), sim.drift_docking
    rec = m.held[name]
    if sim.outcome != "completed":
        rec["state"] = "not flown: " + sim.outcome
        return
    if v.crew == 0 and free_drift.drifting(sim):
        dd.visits[name] = v
        dd._rec(name, state="held", kind="held", vehicle=v.vehicle,
                planned_docking=rec["held_until"])
        rec["state"] = "held on: the station drifts (logistics.drift_docking)"
        return _note(sim, rec, "stand-down over; the station drifts: the ship waits for the "
                     "drift's end (drift-docking)", "warning")
    held_flight.fly(dd, name, rec, v, note=lambda r, t, s="info": _note(sim, r, t, s),
                    head="stand-down over", after="the stand-down",
                    done="flown after the stand-down")
    if v.crew > 0 and rec["state"] == "flown after the stand-down":
        _rebook(sim, later=True)   # the crew back in the plan: the repairs it can do


def record(sim) -> dict[str, Any] | None:
    """Summary ``logistics.stand_downs``: the stand-downs (the scenario's and the run's), the
    ships held and how they flew; None when the register holds none."""
    m = getattr(sim, "launcher_stand_down", None)
    if m is None and getattr(getattr(sim.scenario, "operations", None),
                             "launcher_stand_downs", ()):
        m = of(sim)   # stated in the scenario, no lift-off chosen in the run
    if m is None or not m.entries:
        return None
    rows = [{"launcher": sd.launcher, "failed": f"{sd.failed:%Y-%m-%dT%H:%MZ}",
             "uncrewed_until": f"{sd.uncrewed_until:%Y-%m-%dT%H:%MZ}",
             "crew_until": f"{sd.crew_until:%Y-%m-%dT%H:%MZ}", "cause": sd.cause,
             "origin": "run" if any(sd is x for x in m.in_run) else "scenario"}
            for sd in m.entries]
    ships = [{k: v for k, v in r.items() if k != "history"} | {"history": list(r["history"])}
             for r in m.held.values()]
    return {"stand_downs": len(rows), "in_run": len(m.in_run), "ships_held": len(ships),
            "list": rows, "ships": ships}
