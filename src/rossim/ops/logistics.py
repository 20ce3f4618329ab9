"""Cargo logistics in the run: each visit's manifest and the logistics summary.

The cargo flights themselves are planned before the run (:mod:`rossim.station.logistics`,
``[[cargo_demand]]``) and carry their manifest (``water_kg``, ``food_kg``, ``oxygen_kg``,
``propellant_kg``); a visit without one brings its vehicle's catalog manifest. The run's
deliveries are still capped by the stowage and the tank (:mod:`rossim.ops.life_support`,
:mod:`rossim.ops.orbit_keeping`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["manifest_of", "dry_cargo_split", "logistics_summary", "crew_ship_cargo", "ship_cargo",
           "visit_of"]

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
    changed = getattr(sim, "manifest_changes", None)  # hook: rossim.ops.propellant_topup
    if changed and name in changed:
        return {**cache[1].get(name, {}), **changed[name]}
    return cache[1].get(name, {})


def dry_cargo_split(sim, name: str, veh) -> tuple[float, float]:
    """``(food_kg, other_kg)``: the room for food and for the rest (spares, equipment) in the
    dry cargo of the cargo ship ``name`` (catalog vehicle ``veh``): the catalog dry cargo
    split by ``life_support.food_fraction_of_dry_cargo``, less the dry cargo a propellant
    top-up left on the ground (``sim.dry_cargo_left_kg``, :mod:`rossim.ops.propellant_topup`),
    taken from the rest first and then from the food."""
    dry = veh.dry_cargo_kg.value if veh.dry_cargo_kg else veh.cargo_kg.value
    share = sim.systems.life_support.food_fraction_of_dry_cargo.value
    food, other = share * dry, (1.0 - share) * dry
    left = (getattr(sim, "dry_cargo_left_kg", None) or {}).get(name, 0.0)
    return max(food - max(left - other, 0.0), 0.0), max(other - left, 0.0)


def visit_of(sim, name: str):
    """The plan's :class:`~rossim.config.scenario.Visit` named ``name``, or None."""
    cache = getattr(sim, "_visits_by_name", None)
    if cache is None or cache[0] is not sim.scenario:
        cache = (sim.scenario, {v.name or "": v for _f, v in sim.scenario.visits})
        sim._visits_by_name = cache
    return cache[1].get(name)


def food_expiring_kg(sim, days: float) -> float:
    """Food aboard (kg) that reaches its shelf life within ``days`` from now before the crew
    aboard eats it (oldest first at the crew's rate): discarded, so a ship packed now
    replaces it (:meth:`rossim.ops.life_support.ConsumablesModel._discard_expired_food`)."""
    cons = sim.consumables
    if cons.shelf_life_days is None:
        return 0.0
    now = sim.engine.now_s
    rate = (float(sim.config.crew_aboard) * sim.systems.life_support.net_kg_per_crew_day()
            ["food"] / 86400.0)
    t_end = now + days * 86400.0
    eaten = lost = 0.0
    for t_lot, m in cons.food_lots:
        t_exp = t_lot + cons.shelf_life_days * 86400.0
        if t_exp > t_end:
            break
        e = min(m, max(rate * max(t_exp - now, 0.0) - eaten, 0.0))
        eaten += e
        lost += m - e
    return lost


def crew_ship_cargo(sim, name: str, veh) -> tuple[float, float, float]:
    """Oxygen, water and food (kg) the crew ship ``name`` (catalog vehicle ``veh``) brings at
    its docking: its visit's use and the top-up of the stocks aboard to the reserve, up to
    its cargo capacity (:func:`rossim.station.crew_cargo.crew_ship_manifest`)."""
    from rossim.ops import drift_spare
    from rossim.station.crew_cargo import crew_ship_manifest

    ls = sim.systems.life_support
    v = visit_of(sim, name)
    crew = v.crew if v is not None else int(sim.config.crew_aboard)
    days = v.duration_days if v is not None else 0.0
    stock = dict(sim.consumables.stock)
    stock["food"] = max(stock["food"] - food_expiring_kg(sim, days), 0.0)
    cap = veh.cargo_kg.value - drift_spare.mass_on(sim, name)  # hook: a drift's spare
    m = crew_ship_manifest(cap, crew, days, ls.net_kg_per_crew_day(),
                           stock, ls.reserve_days.value)
    return 0.0, m["water"], m["food"]


def ship_cargo(sim, name: str, veh) -> tuple[float, float, float]:
    """Oxygen, water and food (kg) the ship ``name`` brings at its docking: the visit's own
    manifest (the planner's, or set by hand) where it declares one; else a crew ship's
    :func:`crew_ship_cargo`; else a cargo ship's catalog manifest (oxygen, water, food as
    ``food_fraction_of_dry_cargo`` of the dry cargo) with its food no more than the stocks
    lack to feed the crew the plan has aboard until the next cargo ship docks and then stand
    at the reserve (:func:`_food_horizon`; no food to be held past its shelf life); a
    call-up ship, not in the plan, no more than to the reserve. It was the
    reserve alone: the ISS start's 180-day crews ran out of food 61-67 days into every
    expedition, Progress ships every 120 days bringing 178 kg of their 472 kg food room."""
    from rossim.station.crew_cargo import RESERVE_MARGIN

    ls = sim.systems.life_support
    cap = None  # the food room a propellant top-up left (rossim.ops.propellant_topup)
    if veh.kind == "cargo":
        food_room = dry_cargo_split(sim, name, veh)[0]
        if (getattr(sim, "dry_cargo_left_kg", None) or {}).get(name):
            cap = food_room
        o2 = veh.oxygen_kg.value if veh.oxygen_kg else 0.0
        w = veh.water_kg.value if veh.water_kg else 0.0
        # a planned ship feeds the crew to the next one; a call-up (not in the plan) only
        # tops the stock up to the reserve: the planned ships carry the rest
        crew_days, crew = (_food_horizon(sim) if visit_of(sim, name) is not None
                           else (0.0, max(int(sim.config.crew_aboard), 2)))
        top_up = (RESERVE_MARGIN * (crew_days + ls.reserve_days.value * crew)
                  * ls.net_kg_per_crew_day()["food"] - sim.consumables.stock["food"])
        food = min(food_room, max(top_up, 0.0))
    else:
        o2, w, food = crew_ship_cargo(sim, name, veh)
    m = manifest_of(sim, name)
    food = m.get("food", food)
    return m.get("oxygen", o2), m.get("water", w), food if cap is None else min(food, cap)


def _food_horizon(sim) -> tuple[float, int]:
    """``(crew_days, crew)``: the crew-days the plan has aboard from now to the next cargo
    ship's docking (0 when none is planned) and the most crew aboard until then (at least
    the crew aboard; 2 when no ship follows, the smallest crew), whose reserve the stock
    should keep."""
    tl, now = sim.timeline, sim.now
    cat = tl.catalog
    nxt = next((e.time for e in tl.events
                if e.kind == "dock" and e.part_kind == "vehicle" and e.time > now
                and not getattr(e, "relocation", False)
                and getattr(cat.vehicles.get(e.catalog_id), "kind", None) == "cargo"), None)
    crew = int(sim.config.crew_aboard)
    if nxt is None:
        return 0.0, max(crew, 2)
    inside = [c for c in tl.properties if c.start < nxt and c.end > now]
    days = sum(int(c.crew_aboard) * (min(c.end, nxt) - max(c.start, now)).total_seconds()
               for c in inside) / 86400.0
    return days, max([crew] + [int(c.crew_aboard) for c in inside])


def logistics_summary(result, systems) -> dict[str, Any]:
    """Cargo flights (all, and those planned by demand), what was delivered and left on the
    ships, the stocks at the end and at their peak, ship relocations (with the catalog's
    duration and the ship's own propellant per move), the plan's launches slipped by a pad's
    turnaround or a busy port (``pad_slips``, each with its ``cause``:
    :attr:`rossim.station.Timeline.pad_slips`), and when any, the dockings and undockings
    moved later to keep the station's traffic spacing (``traffic_holds``:
    :attr:`rossim.station.Timeline.traffic_holds`)."""
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
        # the highest of the start, the daily samples and the end (a run shorter than a
        # day between two midnights has no sample: it was {} with stocks aboard)
        "peak_stock_kg": {i: round(max([float(led[i]["start_kg"]), float(led[i]["end_kg"])]
                                       + ([float(getattr(cons, f"{i}_kg").max())]
                                          if cons is not None and len(cons.days) else [])), 1)
                          for i in ("water", "food", "oxygen") if i in led},
        # food turnover: oldest food eaten (days after delivery) against its shelf life
        "food_oldest_eaten_days": round(float(led.get("food", {}).get(
            "oldest_eaten_days", 0.0)), 1),
        "food_discarded_past_shelf_life_kg": round(float(led.get("food", {}).get(
            "discarded_kg", 0.0)), 1),
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
    # the plan's launches a pad's turnaround or a busy port slipped (rossim.station.pad_plan)
    out["pad_slips"] = list(getattr(tl, "pad_slips", []))
    # dockings and undockings held for the station's traffic (rossim.station.traffic), if any
    if getattr(tl, "traffic_holds", None):
        out["traffic_holds"] = list(tl.traffic_holds)
    # in-run call-up flights and climbers' leftover propellant (rossim.ops.cargo_callup)
    out["callups"] = getattr(result, "cargo_callups", None)
    # planned Progress manifests given more propellant (rossim.ops.propellant_topup)
    out["propellant_topups"] = getattr(result, "propellant_topups", None)
    crew = getattr(result, "crew_callups", None)  # repair crews (rossim.ops.crew_callup)
    if crew is not None:
        out["crew_callups"] = crew
    drift = getattr(result, "drift_docking", None)  # uncrewed ships (ops.drift_docking)
    if drift is not None:
        out["drift_docking"] = drift
    manual = getattr(result, "manual_dockings", None)  # crews docking by hand (drift_crew)
    if manual is not None:
        out["manual_dockings"] = manual
    downs = getattr(result, "stand_downs", None)  # grounded launchers (launcher_stand_down)
    if downs is not None:
        out["stand_downs"] = downs
    return out
