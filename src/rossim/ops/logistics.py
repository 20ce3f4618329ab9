"""Cargo logistics in the run: each visit's manifest and the logistics summary.

The cargo flights themselves are planned before the run (:mod:`rossim.station.logistics`,
``[[cargo_demand]]``) and carry their manifest (``water_kg``, ``food_kg``, ``oxygen_kg``,
``propellant_kg``); a visit without one brings its vehicle's catalog manifest. The run's
deliveries are still capped by the stowage and the tank (:mod:`rossim.ops.life_support`,
:mod:`rossim.ops.orbit_keeping`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["manifest_of", "logistics_summary"]

_KEYS = {"water": "water_kg", "food": "food_kg", "oxygen": "oxygen_kg",
         "propellant": "propellant_kg"}


def manifest_of(sim, name: str) -> dict[str, float]:
    """The manifest (kg per item: water, food, oxygen, propellant) the visit ``name`` of the
    run's plan declares; items it does not declare are absent (the catalog's apply)."""
    cache = getattr(sim, "_manifests", None)
    if cache is None or cache[0] is not sim.scenario:
        table = {}
        for _f, v in sim.scenario.visits:
            table[v.name or ""] = {k: float(getattr(v, a)) for k, a in _KEYS.items()
                                   if getattr(v, a, None) is not None}
        cache = (sim.scenario, table)
        sim._manifests = cache
    return cache[1].get(name, {})


def logistics_summary(result, systems) -> dict[str, Any]:
    """Cargo flights (all, and those planned by demand), what was delivered and left on the
    ships, the stocks at the end and at their peak, ship relocations (with the catalog's
    duration and the ship's own propellant per move)."""
    tl = result.timeline
    cargo = [e for e in tl.events if e.part_kind == "vehicle" and e.kind == "dock"
             and not e.relocation and tl.catalog.vehicles[e.catalog_id].kind == "cargo"]
    led = result.ledgers.get("consumables", {})
    cons = result.consumables
    out: dict[str, Any] = {
        "cargo_flights": len(cargo),
        "cargo_by_demand": tl.cargo_plan is not None,
        "end_stock_kg": {i: round(float(led[i]["end_kg"]), 1) for i in ("water", "food",
                                                                          "oxygen") if i in led},
        "peak_stock_kg": ({"water": round(float(cons.water_kg.max()), 1),
                           "food": round(float(cons.food_kg.max()), 1),
                           "oxygen": round(float(cons.oxygen_kg.max()), 1)}
                          if cons is not None and len(cons.days) else {}),
        "not_stowed_kg": round(float(sum(led[i]["not_stowed_kg"] for i in ("water", "food",
                                                                          "oxygen")
                                         if i in led)), 1),
        "propellant_not_transferred_kg": round(float(result.ledgers.get("propellant", {}).get(
            "not_transferred_tank_full_kg", 0.0)), 1),
    }
    if tl.cargo_plan is not None:
        out["plan"] = tl.cargo_plan.to_dict()
    lg = systems.logistics
    rel = []
    for r in tl.relocations:
        rel.append({"time": r["time"].strftime("%Y-%m-%dT%H:%MZ"), "ship": r["ship"],
                    "from": r["from"], "to": r["to"], "for": r["for"],
                    "duration_min": lg.relocation_min.value if lg else None,
                    "ship_propellant_kg": lg.relocation_propellant_kg.value if lg else None})
    out["relocations"] = rel
    # in-run call-up flights and climbers' leftover propellant (rossim.ops.cargo_callup)
    out["callups"] = getattr(result, "cargo_callups", None)
    return out
