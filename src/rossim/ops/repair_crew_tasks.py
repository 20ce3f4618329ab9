"""What a repair crew called to a drifting station does besides the control computers, and
how the ground frees a port for it (:mod:`rossim.ops.crew_callup`).

* :func:`withdraw`: a repair booked on a later crew visit is withdrawn; its crew hours go back
  to exactly the days they were drawn from (:attr:`rossim.ops.robotics.Task.crew_draw`), so
  the crew-time ledger of the later visit is as if the repair had never been booked there (the
  other tasks keep the days they were booked on: their ends are announced and scheduled).
* :func:`take_over`: at its docking the repair crew takes over every pending repair that
  waits for a crew (IVA or spacewalk, booked through
  :meth:`rossim.ops.repairs.RepairsMixin.book_repair` on a later visit, or unscheduled for want
  of a crewed slot), oldest fault first, when the repair ends before the crew leaves: it is
  booked again from now through the same path (the crew's first day aboard, ``repair_h`` or
  the spacewalks, crew time drawn as for the planned repairs, :mod:`rossim.ops.crew_time`) and
  the later booking is withdrawn; what does not fit the stay stays booked where it was.
* :func:`off_first_day` and :func:`rebook`: after a plan edit that moves or withdraws a crew
  (a docking re-timed, a crew held on the ground), a pending crew repair whose booking no
  longer starts on or after a crew's first day aboard (``reliability.crew_repair_start_days``
  after its docking) inside a crewed stretch of the plan is booked again, as
  :meth:`rossim.ops.robotics.Scheduler.book_crew` books it: never on a crew's docking day.
* :func:`cargo_holder` and :func:`free_port`: when the only ports fitting the crew ship are
  held by uncrewed cargo ships, the ground undocks one that has been docked at least a day
  (it has delivered, as :meth:`rossim.ops.cargo_callup.CargoCallUp._make_room` frees a cargo
  port) a day before the crew lifts off, as Progress M-29M left Zvezda's aft port the day
  before Progress MS-02's launch (2016-03-30/31). A Progress undocks on ground command by its
  own docking mechanism (its hooks open, springs push it away, its own thrusters take it
  clear: Progress MS-02 from Zvezda, 2016-10-14, the whole procedure run remotely by the
  Mission Control Center), so no attitude control of the station takes part; the ISS is even
  put in free drift on purpose for such work (``progress-undock`` in docs/sources.md). This
  assumes the crew that last left the station closed the cargo ship's hatch (ISS practice
  before an undocking); the station's power to its side of the docking interface is not
  modelled.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["withdraw", "take_over", "cargo_holder", "free_port", "repair_windows",
           "off_first_day", "rebook", "stay_before_module"]

DAY_S = 86400
CREW_WORK = ("crew", "EVA")  # Task.by of the repairs that wait for a crew


def withdraw(sim, f) -> None:
    """Withdraw every booking of fault ``f`` (its tasks and, day by day, the crew hours they
    drew); the scheduled repair then finds the fault repaired
    (:meth:`rossim.ops.autonomy.Autonomy.repair_done`)."""
    sch = sim.scheduler
    for t in [t for t in sch.tasks if t.fault_id == f.id]:
        sch.tasks.remove(t)
        sch.refund(t)


def repair_windows(sim) -> dict[str, list[tuple[dt.datetime, dt.datetime]]]:
    """The stretches of the plan now in which a crew repair may lie, by ``Task.by``:
    ``"crew"`` (a crew aboard) and ``"EVA"`` (at least ``reliability.eva_min_crew``
    aboard)."""
    from rossim.ops.robotics import crew_windows

    n = int(sim.systems.reliability.eva_min_crew.value)
    return {"crew": sim.scheduler.windows.crewed, "EVA": crew_windows(sim.timeline, n).eva}


def off_first_day(sim, t, windows: dict[str, list[tuple[dt.datetime, dt.datetime]]]
                  ) -> bool:
    """True when crew task ``t`` (booked: ``start`` and ``end`` set) does not lie inside a
    stretch of ``windows`` (:func:`repair_windows`) from a crew's first day aboard on: it
    starts before ``reliability.crew_repair_start_days`` after the stretch's start (a crew's
    docking day, when a plan edit put a docking just before it) or ends after the stretch
    (the crew gone). :meth:`rossim.ops.robotics.Scheduler.book_crew` never books so."""
    lag = dt.timedelta(days=sim.systems.reliability.crew_repair_start_days.value)
    return not any(w0 + lag <= t.start and t.end <= w1 for w0, w1 in windows.get(t.by, ()))


def rebook(sim) -> list[str]:
    """Book again each pending crew repair (IVA or spacewalk, not yet begun) whose booking
    is :func:`off_first_day` in the plan now (a crew docking later than the plan said, or
    withdrawn): :func:`withdraw`, then :meth:`~rossim.ops.repairs.RepairsMixin.book_repair`
    from its ready time (the old booking's end no longer repairs; all withdrawn first, then
    booked in their first order, so the crew hours they drew are shared as when they were
    first booked). Returns one line per repair booked again."""
    rel, sch = sim.reliability, sim.scheduler
    windows = repair_windows(sim)
    faults = {f.id: f for f in rel.faults}
    now = sim.now
    moved = []
    for t in list(sch.tasks):
        f = faults.get(t.fault_id) if t.fault_id is not None else None
        if f is None or t.by not in CREW_WORK or f.repaired_at is not None \
                or not f.spare_from or not rel.attached(f.module):
            continue
        if t.start is None or t.end is None or t.start <= now \
                or not off_first_day(sim, t, windows):
            continue
        moved.append((f, t))
    for f, _t in moved:   # every one withdrawn first: their crew hours free for the others
        withdraw(sim, f)
    out = []
    for f, t in moved:    # then booked again in their first order
        rel.book_repair(f, sim.systems.component_by_id(f.component), ready=max(now, t.ready))
        new = next((x for x in sch.tasks if x.fault_id == f.id), None)
        out.append(f"fault #{f.id} {f.component} {t.start:%Y-%m-%d %H:%M} -> "
                   + (f"{new.start:%Y-%m-%d %H:%M}" if new is not None and new.start
                      else "no crewed slot"))
    return out


def _fits(sim, f, comp, leave: dt.datetime) -> bool:
    """True when the repair of ``f``, booked from now, ends by ``leave``: a trial booking
    (the scheduler and the crew-time ledger are put back as they were)."""
    sch = sim.scheduler
    ct = sch.crew_time
    tasks, busy = list(sch.tasks), list(sch.busy)
    saved = (dict(ct.used), dict(ct.by_kind), ct.waited_h, ct.last_draw) if ct else None
    try:
        withdraw(sim, f)
        task = sch.repair(f, comp, sim.now)
        return task.start is not None and task.end is not None and task.end <= leave
    finally:
        sch.tasks[:] = tasks
        sch.busy[:] = busy
        if saved is not None:
            ct.used.clear()
            ct.used.update(saved[0])
            ct.by_kind.clear()
            ct.by_kind.update(saved[1])
            ct.waited_h, ct.last_draw = saved[2], saved[3]


def take_over(sim, leave: dt.datetime) -> tuple[list[str], list[str]]:
    """The repair crew aboard now (leaving at ``leave``, UTC) takes over the pending crew
    repairs it has time for (module docstring). Returns ``(taken, left)``: one line per
    repair, ``left`` those that stay booked on a later visit (or unscheduled)."""
    rel, sch = sim.reliability, sim.scheduler
    faults = {f.id: f for f in rel.faults}
    pending = sorted({t.fault_id for t in sch.tasks if t.fault_id is not None
                      and t.by in CREW_WORK and (t.start is None or t.start >= leave)})
    taken, left = [], []
    for fid in pending:
        f = faults.get(fid)
        if f is None or f.repaired_at is not None or not f.spare_from \
                or not rel.attached(f.module):
            continue
        comp = sim.systems.component_by_id(f.component)
        old = next(t for t in sch.tasks if t.fault_id == fid)
        was = (f"{old.start:%Y-%m-%d}" if old.start is not None else "no crewed slot")
        line = f"fault #{f.id} {f.component} ({old.kind}, {old.duration_h:g} h)"
        if not _fits(sim, f, comp, leave):
            left.append(f"{line}: stays booked {was}")
            continue
        withdraw(sim, f)
        rel.book_repair(f, comp, ready=sim.now)
        new = next((t for t in sch.tasks if t.fault_id == fid), None)
        taken.append(f"{line} by {new.end:%Y-%m-%d %H:%M}, was {was}" if new is not None
                     and new.end is not None else line)
    return taken, left


# -- a port for the repair crew ---------------------------------------------------------------
def _dock_time(sim, name: str):
    """``(time, catalog id)`` of ``name``'s docking in the plan, or None."""
    return next(((e.time, e.catalog_id) for e in sim.timeline.events
                 if e.part == name and e.kind == "dock" and e.part_kind == "vehicle"), None)


def _fitting(sim, cfg, veh) -> list[tuple[str, str | None]]:
    """``(port, holder or None)`` of the ports of configuration ``cfg`` that fit ``veh``."""
    from rossim.station.assembly import FITS

    cat = sim.timeline.catalog
    fits = FITS.get(veh.port_type, frozenset())
    return [(f"{m}.{p.name}", cfg.occupancy.get(f"{m}.{p.name}")) for m in cfg.modules
            if m in cat.modules for p in cat.modules[m].ports if p.type in fits]


def cargo_holder(sim, cfg, veh, by: dt.datetime) -> dict[str, Any] | None:
    """The port of configuration ``cfg`` that fits crew ship ``veh`` and is held by an
    uncrewed cargo ship docked at least a day before ``by`` (UTC; the ground undocks it
    then): ``{"port", "vehicle", "docked"}``, or None when there is none."""
    cat = sim.timeline.catalog
    for key, name in _fitting(sim, cfg, veh):
        if name is not None:
            dock = _dock_time(sim, name)
            if dock is None or getattr(cat.vehicles.get(dock[1]), "kind", "") != "cargo" \
                    or (by - dock[0]).total_seconds() < DAY_S:
                continue
            return {"port": key, "vehicle": name, "docked": f"{dock[0]:%Y-%m-%dT%H:%M}Z"}
    return None


def free_port(sim, flight: dict[str, Any], veh) -> bool:
    """The ground undocks the cargo ship that holds a port the repair crew of ``flight``
    needs (now; ``flight["frees_port"]`` names it, else any fitting port's holder docked at
    least a day). One ``crew-callup`` event with the cause; True when a ship undocked."""
    from rossim.ops import commands as C

    if sim.outcome != "completed" or flight["state"] != "on its way":  # stood down: no need
        return False
    hold = flight.get("frees_port")
    if hold is None or sim.config.occupancy.get(hold["port"]) != hold["vehicle"]:
        if any(name is None for _p, name in _fitting(sim, sim.config, veh)):
            return False   # a fitting port is free now: nothing to undock
        hold = cargo_holder(sim, sim.config, veh, sim.now)
    if hold is None:
        return False
    from rossim.ops import traffic  # one docking or undocking at a time: it waits

    if traffic.hold(sim, hold["vehicle"], f"undocking to free {hold['port']} for "
                    f"{flight['name']}", lambda: free_port(sim, flight, veh)):
        return False
    res = sim.command(C.Undock(vehicle=hold["vehicle"], source="ground"))
    if not res.accepted:
        sim.event("crew-callup", hold["vehicle"], f"ground undock to free {hold['port']} for "
                  f"{flight['name']} refused: {res.reason}", "warning", source="ground")
        return False
    hold["undocked"] = sim.iso(sim.engine.now_s)
    flight["freed_port"] = hold
    sim.event("crew-callup", hold["vehicle"], f"undocked by ground command (docked since "
              f"{hold['docked'][:10]}, delivered) to free {hold['port']}, the port the "
              f"{veh.name_en} of {flight['name']} needs (docks {flight['arrival'][:16]}); "
              f"{flight['cause']}", "warning", source="ground")
    return True


def stay_before_module(callup: Any, flight: dict[str, Any]) -> bool:
    """Every port refused repair crew ``flight`` at its arrival: when a module of the plan
    docks during its stay (it may need the port the crew ship would hold: the node docks to
    NEM-1's forward port, its only crew port), shorten the stay to leave a day before that
    docking, once, if that still leaves the repair's days aboard
    (:meth:`rossim.ops.crew_callup.CrewCallUp._repair_days`); True when shortened (the
    caller docks again), with an event."""
    sim = callup.sim
    eng, now = sim.engine, sim.engine.now_s
    if flight.get("stay_before_module"):
        return False
    end = now + flight["stay_days"] * DAY_S + DAY_S
    t = next((eng.seconds(e.time) for e in sim.timeline.events
              if e.part_kind == "module" and e.kind == "dock"
              and now < eng.seconds(e.time) <= end), None)
    if t is None:
        return False
    stay = (t - DAY_S - now) / DAY_S
    if stay < callup._repair_days(flight.get("component")):
        return False
    flight["stay_before_module"] = flight["stay_days"]
    flight["stay_days"] = round(stay, 3)
    sim.event("crew-callup", flight["name"], f"stay shortened {flight['stay_before_module']:g} "
              f"-> {flight['stay_days']:g} days: a module docks {sim.iso(t)[:16]} and may need "
              "its port; the crew leaves a day before", "info", source="ground")
    return True
