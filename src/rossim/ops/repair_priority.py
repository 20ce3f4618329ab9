"""A lost function is repaired first: the crew's repairs re-ordered when one restores a
function that no longer works (:func:`lost_first`).

Crew repairs (IVA) and spacewalk repairs are booked as their faults come, oldest first
(:meth:`rossim.ops.repairs.RepairsMixin.book_repair`): each draws the crew's task hours of the
days it is booked on (:mod:`rossim.ops.crew_time`), so a repair booked later waits for those
booked before it. Operations put first what keeps the station and its crew alive: the ISS's
loss of one of its two cooling loops on 2010-07-31 (a failed ammonia pump module) halted
science and replaced the crew's planned work with spacewalks to swap the pump, three in ten
days (``iss-pump-2010``), while the failed unit of a function that still works waits.

Here: when a crew or spacewalk repair is booked for a fault whose function is lost (fewer than
the component's ``min_units`` work, :class:`rossim.ops.fdir.Reliability`) and a repair of a
function that still works was booked before it on the same crew's stay, starting before it
ends, every crew and spacewalk repair of that stay not yet begun is withdrawn (its crew hours
given back day by day: :func:`rossim.ops.repair_crew_tasks.withdraw`) and booked again through
the same path: the lost functions' first (oldest fault first among them) from the stay's first
booked start, then the others in their order from their own start. Re-ordered inside the stay,
never moved to another crew (that is the repair crew's take-over,
:mod:`rossim.ops.repair_crew_tasks`); each keeps the time it was ready. A repair that has begun is not moved; the planned outfitting spacewalks keep their days (a
limit: they are the plan's, not the fault handler's). Event ``repair-priority``; the re-booked
repairs announce their new slots (``repair-booked``, ending "re-booked, lost function first":
their first bookings, at the same minute in an archive sorted by time, are withdrawn). No
random draw.
"""

from __future__ import annotations

from typing import Any

__all__ = ["function_lost", "lost_first"]

CREW_WORK = ("crew", "EVA")  # Task.by of the repairs that wait for a crew


def function_lost(rel: Any, f: Any) -> bool:
    """True when fault ``f``'s function does not work now: fewer than its component's
    ``min_units`` units of ``f.component`` work where ``f`` failed (station or module)."""
    comp = rel.sim.systems.component_by_id(f.component)
    if comp is None:
        return False
    return rel.working.get((f.component, f.module), comp.units) < comp.min_units


def _stretch(sch: Any, t: Any) -> tuple[Any, Any] | None:
    """The crewed stretch ``(start, end)`` of scheduler ``sch`` holding task ``t``'s start."""
    return next(((w0, w1) for w0, w1 in sch.windows.crewed if w0 <= t.start < w1), None)


def lost_first(rel: Any) -> bool:
    """Re-book the pending crew repairs of reliability model ``rel`` with the lost functions
    first when one of them waits behind a repair of a working function booked before it on
    the same crew's stay (module docstring). Returns True when the repairs were re-booked."""
    from rossim.ops.repair_crew_tasks import withdraw

    sim = rel.sim
    sch = sim.scheduler
    if getattr(rel, "_reordering", False):
        return False
    now = sim.now
    faults = {f.id: f for f in rel.faults}
    pending = [t for t in sch.tasks if t.fault_id is not None and t.by in CREW_WORK
               and t.start is not None and t.start > now and t.fault_id in faults
               and faults[t.fault_id].repaired_at is None]   # in booking order
    lost = [t for t in pending if function_lost(rel, faults[t.fault_id])]
    # a lost function's repair behind one of a working function booked before it whose
    # hours it competes for (the same stay, starting before it ends)
    late = next((t for t in lost for n in pending[:pending.index(t)]
                 if n not in lost and n.start < t.end
                 and _stretch(sch, n) == _stretch(sch, t)), None)
    if late is None:
        return False
    stay = _stretch(sch, late)
    group = [t for t in pending if _stretch(sch, t) == stay]
    lost = sorted((t for t in group if t in lost), key=lambda t: t.fault_id)
    others = sorted((t for t in group if t not in lost), key=lambda t: t.fault_id)
    first = ", ".join(f"#{t.fault_id} {faults[t.fault_id].component}" for t in lost)
    after = ", ".join(f"#{t.fault_id} {faults[t.fault_id].component} ({t.kind})"
                      for t in others)
    sim.event("repair-priority", "crew", f"lost function first: fault {first} before "
              f"{after} (iss-pump-2010)", "info", source="ground")
    # re-ordered inside the stay, never moved to another crew (that is the repair crew's
    # take-over, rossim.ops.repair_crew_tasks.take_over): the lost functions' repairs from
    # the stay's first booked start, the others from their own start
    floor = {t.fault_id: t.start for t in others}
    floor.update({t.fault_id: min(x.start for x in group) for t in lost})
    rel._reordering = True
    try:
        for t in lost + others:
            withdraw(sim, faults[t.fault_id])
        for t in lost + others:
            f = faults[t.fault_id]
            rel.book_repair(f, sim.systems.component_by_id(f.component),
                            ready=max(floor[t.fault_id], now))
            new = next((x for x in sch.tasks if x.fault_id == f.id), None)
            if new is not None:   # booked again; ready since its spare was aboard
                new.ready = t.ready
    finally:
        rel._reordering = False
    return True
