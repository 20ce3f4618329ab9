"""Operations without redundancy, accepted by the ground (:func:`schedule`).

A component with fewer than ``min_units`` working puts the station in safe mode
(:mod:`rossim.ops.fault_response`) until its repair. For a component whose function one unit
still carries (catalog ``single_string_after_days``: the control computer, three units, two
needed for fault tolerance, none left is the free drift of :mod:`rossim.ops.free_drift`), the
ground assesses the loss of redundancy and accepts operating on the units left
``single_string_after_days`` after the detection when the repair is not done by then (no
crew aboard: the repair waits for the next visit, months in a station visited twice a year;
ros-51.6 campaign on fc89cba: runs 47, 86, 124 and 158 spent six months to five years in safe
mode on one computer). The decision goes up at the next contact
(:meth:`rossim.ops.autonomy.Autonomy.ground_request`); at its uplink the fault's safe-mode
cause is cleared (a warning alarm naming the units left; the repair stays booked) and safe mode
ends when no other cause holds it (the ground's decision is its approval). Nothing happens when
the unit was repaired first, when no unit of the set works any more (the free drift), or when
the station left the set's module behind (the decision is then dropped). A unit repaired
after the set's free drift, leaving one unit but fewer than ``min_units``, books the decision
from then (:func:`after_repair`); at the decision every cause of the set is cleared.

Precedent (``hubble-one-gyro``, an estimate for ROS and an upper bound: Hubble set up a new
pointing mode, a computer of identical redundant units needs none): Hubble entered safe mode on 2024-05-24
after a gyroscope's faulty readings; NASA reconfigured it to point on one gyroscope, keeping
another in reserve, and science resumed on 2024-06-14, 21 days later (2018: safe mode
2018-10-05 after a gyroscope failure, science again about three weeks later). Events: an
``approval`` event when the decision is sent, the alarm at its uplink.
"""

from __future__ import annotations

from rossim.config.free_drift import load_free_drift
from rossim.ops import fault_response  # its safe_cause (imported both ways: late lookup)

__all__ = ["after_repair", "due_s", "schedule"]


def schedule(sim, faults: list, comp) -> None:
    """Book the ground's decision on operating without redundancy for ``faults`` (one
    detection, :func:`rossim.ops.fault_response.respond`, after they put the station in safe
    mode) when ``comp`` has ``single_string_after_days`` and a unit of its set still works."""
    fig = getattr(comp, "single_string_after_days", None)
    f0 = faults[0]
    if fig is None or sim.reliability.working.get((f0.component, f0.module), 0) < 1:
        return
    eng = sim.engine
    at = eng.now_s + int(round(fig.value * 86400))
    for f in faults:
        sim.autonomy.single_string_due[f.id] = at
    eng.schedule(at, lambda e: _assess(sim, faults, comp),
                 f"operations without redundancy: {comp.name}")


def due_s(sim, fault_id: int) -> int | None:
    """Run second at which the ground decides on operating without redundancy after fault
    ``fault_id`` (None: no such decision booked)."""
    return sim.autonomy.single_string_due.get(fault_id)


def _drop(sim, faults) -> None:
    """No decision pending any more for ``faults`` (taken or declined)."""
    for f in faults:
        sim.autonomy.single_string_due.pop(f.id, None)


def _open(sim, faults: list) -> list:
    """The faults still holding safe mode, with a unit of their set working."""
    aut, rel = sim.autonomy, sim.reliability
    return [f for f in faults if f.repaired_at is None and fault_response.safe_cause(f) in aut.safe_causes
            and rel.working.get((f.component, f.module), 0) >= 1
            and rel.attached(f.module)]


def _key_causes(sim, key: tuple) -> list:
    """The faults of the unit set ``key`` (component, module) whose causes hold safe mode,
    repaired ones included (a unit back after a free drift leaves its cause until the set
    has ``min_units`` again)."""
    return [g for g in sim.reliability.faults if (g.component, g.module) == key
            and fault_response.safe_cause(g) in sim.autonomy.safe_causes]


def after_repair(sim, f, comp) -> None:
    """A unit of fault ``f``'s set repaired (hook of :meth:`rossim.ops.autonomy.Autonomy.
    repair_done`): when the set is back to one unit at least but below ``min_units`` with
    causes of it still holding safe mode and no decision pending (after a free drift), the
    ground's decision is booked from now."""
    key = (f.component, f.module)
    working = sim.reliability.working.get(key, 0)
    held = _key_causes(sim, key)
    if getattr(comp, "single_string_after_days", None) is None or not held \
            or not 1 <= working < comp.min_units:
        return
    if any(g.id in sim.autonomy.single_string_due for g in held):
        return
    schedule(sim, held, comp)


def _assess(sim, faults: list, comp) -> None:
    if not _open(sim, faults):
        _drop(sim, faults)     # declined
        return
    days = comp.single_string_after_days.value
    sim.event("approval", comp.id, f"{comp.name}: operations without redundancy proposed to "
              f"the ground ({days:g} days after the detection, the repair not done)", "info",
              source="autonomy")
    sim.autonomy.ground_request(f"operations without redundancy ({comp.name})",
                                lambda: _accept(sim, faults, comp))


def _accept(sim, faults: list, comp) -> None:
    left = _open(sim, faults)
    if not left:
        _drop(sim, faults)
        return
    aut, rel = sim.autonomy, sim.reliability
    f0 = left[0]
    key = (f0.component, f0.module)
    working = rel.working[key]
    held = _key_causes(sim, key)        # every cause of the set (one left, accepted)
    for g in held:
        aut.safe_causes.pop(fault_response.safe_cause(g), None)
    _drop(sim, [*held, *faults])
    ids = ", ".join(f"#{f.id}" for f in left)
    booked = [t.end for t in getattr(getattr(sim, "scheduler", None), "tasks", ())
              if t.fault_id in {f.id for f in left} and t.end is not None]
    repair = (f"the repair stays booked (done {max(booked):%Y-%m-%d})" if booked
              else "the repair waits for a crew")
    sim.alarm(comp.id, f"operating on {working} of {comp.units} {comp.name} units without "
              "redundancy, accepted by the ground", "warning",
              f"fault {ids}: {comp.min_units} units needed for fault tolerance, {working} "
              f"working; safe mode since the detection, {comp.single_string_after_days.value:g}"
              f" days of assessment; {repair}; a further failure of the set is "
              + ("a free drift" if comp.id == load_free_drift().control_component
                 else "safe mode again"))
    if not aut.safe_causes and sim.state.safe_mode:
        aut.exit_safe_mode_by_ground()
