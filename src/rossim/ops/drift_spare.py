"""The spare a drifting station's repair needs, carried by the crew ship that will repair it.

With every control computer failed the station drifts (:mod:`rossim.ops.free_drift`) and no
uncrewed ship can dock (:mod:`rossim.ops.drift_docking`): a spare that is not aboard cannot
come by Progress before the drift ends. The repair needs hands and the spare together, so the
ground packs the spare in the cargo of the crew ship that will repair: Soyuz T-13 carried the
equipment to revive the dead Salyut 7 in 1985 (``soyuz-t13``).

When the drift begins (:meth:`rossim.ops.crew_callup.CrewCallUp.drift_began`) and no spare of
the control component is aboard for any failed unit (the drift cannot end without one:
:func:`shortfall`), the crew that repairs (the crew aboard cannot; the planned crew docking
sooner than a repair crew could, else one called up) carries one spare per failed unit
without one, as many as fit its ship's cargo allowance (the catalog's ``cargo_kg`` of the
crew ship: Soyuz MS 100 kg, Orel 500 kg; the spare's ``spare_mass_kg``; :func:`load`). The
mass is taken off what that ship brings of water and food
(:func:`rossim.ops.logistics.crew_ship_cargo`). At its docking the spares join the stock
(ledger ``delivered``) and the repairs that waited are booked from now
(:func:`crew_ship_docked`, hook of :meth:`rossim.ops.repairs.RepairsMixin.cargo_docked`).
Event ``crew-ship-spare`` (loaded, or why not). When not even one spare fits the planned
crew's ship, that crew does not count as the one that repairs: the repair-crew decision goes
on (a crew called up brings the spare by :meth:`~rossim.ops.crew_callup.CrewCallUp._repair`).

The cargo call-up ship called for the same spare (:mod:`rossim.ops.cargo_callup`, held while
the drift lasts) is stood down when the crew ship brings it, unless a reason of its own is
left (a fault the crew ship brings no spare for, a propellant need):
:mod:`rossim.ops.callup_stand_down`.

Limits: only the control component's spares (the drift's end); a crew ship already lifted off
at the drift's start (its docking within hours) is not loaded; a repair crew
called because the planned crew's ship could not take the spare brings it whatever its mass
(:meth:`~rossim.ops.crew_callup.CrewCallUp._repair`), and its berth check is made on the plan
at the call (a module arrival held later by :mod:`rossim.ops.drift_docking` can leave it no
berth: it then returns, an alarm says so).
"""

from __future__ import annotations

from typing import Any

from rossim.config.free_drift import load_free_drift

__all__ = ["shortfall", "load", "crew_ship_docked", "mass_on"]

SOURCE = "soyuz-t13"


def _loads(sim) -> dict[str, dict[str, Any]]:
    """Spares loaded per crew ship (ship name -> ``{"spares": {component: count},
    "delivered": bool}``), kept by the repair-crew call-up
    (:class:`rossim.ops.crew_callup.CrewCallUp`)."""
    cc = getattr(sim, "crew_callup", None)
    return cc.crew_spares if cc is not None else {}


def shortfall(sim) -> int:
    """Failed control units with no spare when none is aboard for any (the drift cannot end
    without one brought); 0 when a spare is aboard or already taken for one of them."""
    rel = getattr(sim, "reliability", None)
    if rel is None:
        return 0
    cid = load_free_drift().control_component
    open_ = [f for f in rel.faults if f.component == cid and f.repaired_at is None]
    if any(f.spare_from for f in open_) or rel.spares.stock.get(cid, 0) > 0:
        return 0
    return len(open_)


def load(sim, ship: str, vehicle: str, why: str) -> bool:
    """Load the spares the drift's repair needs (:func:`shortfall`) on crew ship ``ship``
    (catalog ``vehicle``) that has not lifted off yet. True when none is needed or at least
    one fits its cargo allowance (an event says what); False (an event says why) when not
    even one fits."""
    n = shortfall(sim)
    if n <= 0:
        return True
    cid = load_free_drift().control_component
    rel = sim.reliability
    veh = sim.timeline.catalog.vehicles[vehicle]
    cap = veh.cargo_kg.value - mass_on(sim, ship)
    unit = rel.spares.unit_mass_kg(cid)
    k = min(n, int((cap + 1e-9) // unit)) if unit > 0 else n
    if k <= 0:
        sim.event("crew-ship-spare", ship, f"the {cid} spare ({unit:g} kg) does not fit the "
                  f"{veh.name_en}'s cargo allowance ({cap:g} kg left of "
                  f"{veh.cargo_kg.value:g} kg): that crew cannot repair the drift; {why}",
                  "warning", source="ground")
        return False
    got = _loads(sim).setdefault(ship, {"spares": {}, "delivered": False})["spares"]
    got[cid] = got.get(cid, 0) + k
    sim.event("crew-ship-spare", ship, f"{k} {cid} spare(s) ({k * unit:g} kg) packed in the "
              f"{veh.name_en}'s cargo (allowance {veh.cargo_kg.value:g} kg): no spare aboard "
              f"and no uncrewed ship can dock to the drifting station; that crew brings it and "
              f"repairs at its docking ({SOURCE}); {why}"
              + (f"; {n - k} more do not fit" if k < n else ""), "warning", source="ground")
    return True


def mass_on(sim, ship: str) -> float:
    """Mass (kg) of the spares loaded on crew ship ``ship`` (0 when none)."""
    rel = getattr(sim, "reliability", None)
    got = (_loads(sim).get(ship) or {}).get("spares", {})
    return sum(n * rel.spares.unit_mass_kg(c) for c, n in got.items()) if rel else 0.0


def crew_ship_docked(sim, ship: str) -> bool:
    """Hook of :meth:`rossim.ops.repairs.RepairsMixin.cargo_docked`: the spares crew ship
    ``ship`` brings join the stock; True when it brought any (the waiting repairs are then
    booked by the caller)."""
    rec = _loads(sim).get(ship)
    if not rec or rec["delivered"]:
        return False
    rec["delivered"], got = True, rec["spares"]
    sp = sim.reliability.spares
    for cid, n in got.items():
        sp.stock[cid] = sp.stock.get(cid, 0) + n
        sp.ledger[cid]["delivered"] += n
    sp._record(sim.engine.now_s)
    sim.event("spares", ship, "spares delivered by the crew ship: " + ", ".join(
        f"{n} {c}" for c, n in sorted(got.items())), "info", source="ground")
    return True
