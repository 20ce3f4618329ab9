"""A spare call-up stood down once its reason is gone (:func:`spares_came`).

A cargo call-up ship called for spares (:meth:`rossim.ops.cargo_callup.CargoCallUp.
spare_wanted`) can be overtaken by another ship that brings them first: a planned ship that
docks while the call-up is held on the ground by a free drift (:mod:`rossim.ops.
drift_docking`), a crew ship that carries a drift's spare (:mod:`rossim.ops.drift_spare`), a
repair crew (:meth:`rossim.ops.crew_callup.CrewCallUp._repair`) or a ship docked by a plan edit
after the call. A ground team does not fly a ship whose reason is gone (not to be confused
with a launcher's stand-down after a failure: :mod:`rossim.ops.launcher_stand_down`).

Whenever spares come aboard (hook of :meth:`rossim.ops.repairs.RepairsMixin._spares_arrived`
and of the repair crew's :meth:`~rossim.ops.crew_callup.CrewCallUp._repair`), every cargo
call-up that

* has not lifted off: ``on its way`` with its lift-off still ahead, or held on the ground by
  a drift (state ``held ...``, or ``on its way`` past a lift-off that fell in the drift that
  still lasts: the drift hook holds it at its docking, :meth:`rossim.ops.drift_docking.
  DriftDocking.callup_arrives`), and
* was called for spares only (each of its reasons names a fault: the flight's ``faults``,
  one per reason, None for a propellant need or a call made by hand; a spare call-up that a
  propellant need joined (:meth:`~rossim.ops.cargo_callup.CargoCallUp._served_by`) still
  flies), every fault of which is served: it has its spare (``spare_from``), was repaired or
  its module has left the station

is stood down: its ``state`` becomes ``not flown: stood down (...)`` (each fault and the ship
that brought its spare), so the ``not flown`` handling applies: it never arrives
(:meth:`~rossim.ops.cargo_callup.CargoCallUp._arrive`), is never lost at launch
(:func:`rossim.ops.callup_loss.CallupLoss.cargo_lost`; a held ship's pending draw is
dropped), is not released after a drift (its :class:`~rossim.ops.drift_docking.DriftDocking`
record says the same state), holds no pad (:func:`rossim.ops.pad_turnaround.lift_offs`) and
is no longer a ship on its way (:meth:`~rossim.ops.cargo_callup.CargoCallUp.next_arrival`),
so the next monthly propellant re-check finds a need the ship's catalog propellant would have
met, as for any ship not coming. The run summary's ``logistics.callups`` lists it in
``not_flown`` with that state (:func:`rossim.ops.propellant_topup.callup_counts`). Event
``cargo-callup`` (info). No random draw.
"""

from __future__ import annotations

from typing import Any

__all__ = ["STOOD_DOWN", "spares_came", "stood_down", "grounded"]

#: Start of the ``state`` of a call-up stood down (after ``not flown: ``).
STOOD_DOWN = "not flown: stood down"


def stood_down(flight: dict[str, Any]) -> bool:
    """True when call-up ``flight`` was stood down (:func:`spares_came`)."""
    return flight["state"].startswith(STOOD_DOWN)


def grounded(sim, flight: dict[str, Any]) -> bool:
    """True when call-up ``flight`` of ``sim`` has not lifted off (module docstring): lift-off
    still ahead, or held on the ground by a drift."""
    st = flight["state"]
    if st.startswith("held"):
        return True
    if st != "on its way":
        return False
    lift_s = flight["times_s"][0]
    if lift_s > sim.engine.now_s:
        return True
    # its lift-off fell in the drift that still lasts: held on the ground at its docking
    since = getattr(getattr(sim, "autonomy", None), "drift_since", None)
    return getattr(sim, "drift_docking", None) is not None and since is not None \
        and since <= lift_s


def _served(rel, faults: dict[int, Any], fid: int | None) -> str | None:
    """How fault ``fid`` is served (text), None when it is not (or ``fid`` is None)."""
    f = faults.get(fid) if fid is not None else None
    if f is None:
        return None
    if f.spare_from:
        src = "the stock aboard" if f.spare_from == "aboard" else f.spare_from
        return f"fault #{f.id} {f.component}: spare from {src}"
    if f.repaired_at is not None:
        return f"fault #{f.id} {f.component}: repaired"
    if not rel.attached(f.module):
        return f"fault #{f.id} {f.component}: module {f.module} left"
    return None


def spares_came(sim, ship: str) -> list[dict[str, Any]]:
    """Spares came aboard with ``ship``: stand down every spare call-up of ``sim`` whose
    reasons are all served (module docstring). Returns the flights stood down."""
    callup = getattr(sim, "cargo_callup", None)
    rel = getattr(sim, "reliability", None)
    if callup is None or rel is None or not callup.flights:
        return []
    faults = {f.id: f for f in rel.faults}
    out = []
    for fl in callup.flights:
        ids = fl.get("faults") or [None]
        if fl["why"] != "spare" or not grounded(sim, fl):
            continue
        how = [_served(rel, faults, i) for i in ids]
        if any(h is None for h in how):
            continue
        _stand_down(sim, callup, fl, ship, how)
        out.append(fl)
    return out


def _stand_down(sim, callup, fl: dict[str, Any], ship: str, how: list[str]) -> None:
    name, now = fl["name"], sim.iso(sim.engine.now_s)
    was = fl["state"]
    fl["state"] = f"{STOOD_DOWN} ({'; '.join(how)})"
    fl["stood_down"] = now
    when = (f"before its lift-off {fl['launch'][:16]}" if was == "on its way"
            and fl["times_s"][0] > sim.engine.now_s else
            f"on the ground, held by the free drift (lift-off planned {fl['launch'][:16]})")
    sim.event("cargo-callup", name, f"stood down {when}: spares came with {ship}; every "
              f"reason it was called for is served: {'; '.join(how)}", "info", source="ground")
    dd = getattr(sim, "drift_docking", None)   # a ship held by a drift: not released after it
    if dd is not None:
        dd.callups.pop(name, None)
        rec = dd.ships.get(name)
        if rec is not None:
            rec["state"] = fl["state"]
            rec["history"].append(f"{now[:16]} stood down: spares came with {ship}")
    loss = getattr(sim, "callup_loss", None)   # a held ship's launch draw never applies
    if loss is not None:
        loss.held.pop(name, None)
