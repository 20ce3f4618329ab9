"""Cargo by demand: when cargo ships fly and what they bring.

:func:`plan_cargo` turns the scenario's ``[[cargo_demand]]`` entries into explicit cargo
visits. It replays the plan without them (:func:`rossim.station.build_timeline`: modules,
crew aboard, crew ships' cargo, drag area per day) and forecasts, day by day, five stocks:

* water, food and oxygen drawn from the stocks per crew-day (``life_support``: NASA BVAD use
  net of water recovery and oxygen generation, the figures of the run's consumables model);
* station propellant: the forecast of :mod:`rossim.station.propellant_forecast` (drag make-up
  in the altitude band under the run's solar cycle, attitude control with the sun-biased days
  of the orbit's beta angle, debris avoidance, leaks, phasing for each arriving ship, times
  ``logistics.propellant_forecast_margin``); the de-orbit reserve is never counted as
  available;
* spares: the expected failures per day (units / MTBF of every component type whose module is
  there) times the spare's mass, against the initial spares' mass.

A ship arrives on the first day a stock would fall below its reserve within ``lead_days``
(the entry's; a margin for the day-to-day use and for slips): ``reserve_days`` of use
(for a crew of max(aboard, 2), as the run's margin) for water, food, oxygen and spares, and
``logistics.propellant_reserve_kg`` above the de-orbit reserve for propellant; not before its
entry's ``first_launch``, ``min_interval_days`` after the previous launch and when its port is
free (the previous ship of the entry leaves when the next one arrives), and never inside a
crew's block at its pad (:func:`rossim.station.pad_plan.crew_pad_blocks`: crews first would
move it a turnaround behind the crew): on the last day before a block the stocks are forecast
through the block and the lead after it, and the ship flies then if they would run short. Its manifest is what
the stocks need (water, food, oxygen: the forecast use of the next ``horizon_days`` plus the
reserve; spares: back to the initial stock; propellant: the same horizon's forecast use plus
the reserve, less the drag make-up the docked Progress reserves will burn
(:mod:`rossim.station.reboost_reserves`; only ships at a port along the flight axis reboost:
:func:`rossim.station.configuration.along_flight`), within the tank's room) up to the vehicle's catalog capacities (water, oxygen, dry cargo of which
``food_fraction_of_dry_cargo`` is food, transfer propellant) and no more than the pressurised
stowage (``stowage_kg_per_pressurised_m3`` x the modules' volume) and the tank take: the items
are stowed to equal days of supply when room is short, as the run's loadmaster does.

The run then lives through that plan (deliveries capped by the stowage again, faults drawn at
random): :mod:`rossim.ops.life_support` and :mod:`rossim.ops.orbit_keeping` read each visit's
manifest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numba import njit

from rossim.config.catalog import Catalog
from rossim.config.scenario import CargoDemand, Scenario, Visit
from rossim.config.systems import SystemsCatalog
from rossim.station.plan_days import day_grid, plan_days
from rossim.station.propellant_forecast import forecast_rates, per_kg, propellant_use_kg_day
from rossim.station.reboost_reserves import ReboostReserves, reboost_port

__all__ = ["CargoPlan", "plan_cargo", "resolve_logistics"]

ITEMS = ("water", "food", "oxygen", "propellant", "spares")


@dataclass
class CargoPlan:
    """The planned cargo flights: ``visits`` (explicit :class:`Visit` with manifests) and
    ``flights`` (one dict per ship: launch, arrival, port, trigger item, manifest kg),
    ``end_stock_kg`` (forecast at the span end), ``demand_kg`` (forecast use over the span)."""

    visits: list[Visit] = field(default_factory=list)
    flights: list[dict[str, Any]] = field(default_factory=list)
    end_stock_kg: dict[str, float] = field(default_factory=dict)
    demand_kg: dict[str, float] = field(default_factory=dict)
    #: the ``[[cargo_demand]]`` entry (index) each of ``visits`` flies for
    entries: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"flights": len(self.flights), "flight_list": self.flights,
                "forecast_end_stock_kg": {k: round(v, 1) for k, v in self.end_stock_kg.items()},
                "forecast_demand_kg": {k: round(v, 1) for k, v in self.demand_kg.items()}}


def _daily_use(tl, days: list[dt.datetime], systems: SystemsCatalog, cat: Catalog
               ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray, dict]:
    """Per day: use (kg/day) per item, reserve (kg) per item, stowage (kg), the plan
    (:func:`rossim.station.plan_days.plan_days`)."""
    ls, prop = systems.life_support, systems.propulsion
    n = len(days)
    p = plan_days(tl, days, prop)
    crew, modules = p["crew"], p["modules"]
    net = ls.net_kg_per_crew_day()   # incl. the water the oxygen generator splits
    per = {i: net[i] for i in ("water", "food", "oxygen")}
    use = {i: crew * per[i] for i in per}
    reserve_crew = np.maximum(crew, 2.0)
    reserve = {i: reserve_crew * per[i] for i in per}  # x reserve_days later
    # propellant (rossim.station.propellant_forecast): a host station (the ISS, while the ROS
    # is attached) pays every use, as in the run (rossim.ops.orbit_keeping: host_kg):
    # ISS-era Progress ships were called for propellant the tanks never took (ros-iss-start:
    # 11.9 t not transferred). Its drag make-up alone (the run's re-check pays it in whole
    # reboosts: rossim.ops.propellant_outlook) is not an item of the plan.
    p["rates"] = forecast_rates(tl.scenario, days, systems)
    use["propellant"], use["propellant_drag"] = propellant_use_kg_day(
        p["rates"], systems.logistics.propellant_forecast_margin.value, p["mass_kg"],
        p["drag_area_m2"], p["there"], p["arrivals"])
    reserve["propellant"] = np.full(n, systems.logistics.propellant_reserve_kg.value)
    # spares: expected failures per day x spare mass
    sp = np.zeros(n)
    for k, mods in enumerate(modules):
        tot = 0.0
        for c in systems.component:
            if not c.spare_mass_kg:
                continue
            if c.module == "station":
                sets = 1 if mods else 0
            elif c.module == "power":   # a host's modules are its own programme's
                sets = sum(1 for m in mods if cat.modules[m].solar_array_power_kw.value > 0
                           and m not in systems.propulsion.host_modules)
            else:
                sets = 1 if c.module in mods else 0
            tot += sets * c.units * 24.0 / c.mtbf_h.value * c.spare_mass_kg.value
        sp[k] = tot
    use["spares"] = sp
    reserve["spares"] = sp.copy()  # x reserve_days later
    stowage = ls.stowage_kg_per_pressurised_m3.value * p["volume_m3"]
    return use, reserve, stowage, p


def _ship_use(use: dict[str, np.ndarray], p: dict, config, port: str, veh,
              mass_kg: float | None, k: int, stay_days: int, margin: float,
              attitude: str) -> tuple[np.ndarray, np.ndarray]:
    """Add a planned ship's own share of the propellant forecast to ``use`` (in place, the
    arrays the reserves book reads too) from the day after its arrival day ``k`` (index on the
    planner's day grid; that day's use is drawn already): the station's phasing for it at the
    arrival day's mass (the plan without the ship), and for its ``stay_days`` (whole days) its drag
    area at ``port`` (:func:`rossim.station.configuration.ship_drag_area_m2`) and its mass
    (``mass_kg``, default the catalog's) in the attitude control, where the station flies on
    its own (``p``: :func:`plan_days` with its ``rates``). Returns what was added per day
    (drag, all; shape ``(n_days,)``) for :func:`_ship_leaves`."""
    from rossim.station.configuration import ship_drag_area_m2

    r, there = p["rates"], p["there"]
    n = len(there)
    m = float(mass_kg) if mass_kg is not None else veh.mass_kg.value
    sl = slice(min(k + 1, n), min(k + 1 + max(stay_days, 1), n))
    drag, total = np.zeros(n), np.zeros(n)
    drag[sl] = np.where(there[sl], r["drag_kg_per_m2"][sl] * margin, 0.0) * ship_drag_area_m2(
        config, port, veh, attitude)
    total[sl] = drag[sl] + np.where(there[sl], per_kg(r)[sl] * m * margin, 0.0)
    if k + 1 < n and there[k + 1]:   # phased at the mass before it (the arrival day's)
        total[k + 1] += r["phasing_per_kg"][k + 1] * p["mass_kg"][k] * margin
    use["propellant_drag"] += drag
    use["propellant"] += total
    return drag, total


def _ship_leaves(use: dict[str, np.ndarray], added: tuple[np.ndarray, np.ndarray],
                 k: int) -> None:
    """Take back from ``use`` what :func:`_ship_use` added for a ship from day ``k + 1`` on
    (it leaves on day ``k``)."""
    use["propellant_drag"][k + 1:] -= added[0][k + 1:]
    use["propellant"][k + 1:] -= added[1][k + 1:]


def _capacity(veh, systems: SystemsCatalog) -> dict[str, float]:
    ls = systems.life_support
    dry = veh.dry_cargo_kg.value if veh.dry_cargo_kg else veh.cargo_kg.value
    food_share = ls.food_fraction_of_dry_cargo.value
    return {"water": veh.water_kg.value if veh.water_kg else 0.0,
            "oxygen": veh.oxygen_kg.value if veh.oxygen_kg else 0.0,
            "food": food_share * dry, "spares": (1 - food_share) * dry,
            "propellant": veh.station_propellant_kg.value if veh.station_propellant_kg else 0.0}


def _stow(want: dict[str, float], stock: dict[str, float], rate: dict[str, float],
          room: float) -> dict[str, float]:
    """What is taken of ``want`` (stowed items) into ``room`` kg: all if it fits, else equal
    days of supply (the scarcest first), as :meth:`ConsumablesModel.deliver`."""
    if sum(want.values()) <= room:
        return dict(want)

    def taken(days: float) -> dict[str, float]:
        return {i: min(want[i], max(days * max(rate[i], 1e-9) - stock[i], 0.0)) for i in want}

    lo, hi = 0.0, 1e7
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if sum(taken(mid).values()) <= room:
            lo = mid
        else:
            hi = mid
    return taken(lo)


@njit(cache=True)
def _short(stock, use, crew_use, reserve, k, k1, scale):  # pragma: no cover - compiled
    """Whether the stock, drawn day by day from day ``k + 1`` by ``use - crew_use`` (kg/day),
    falls below ``reserve * scale`` (kg) on any day ``k .. k1 - 1`` with no delivery: the
    stock less the running sum of the use, summed in day order as ``np.cumsum`` would."""
    if stock < reserve[k] * scale:
        return True
    drawn = 0.0
    for j in range(k + 1, k1):
        drawn += use[j] - crew_use[j]
        if stock - drawn < reserve[j] * scale:
            return True
    return False


def plan_cargo(scenario: Scenario, catalog: Catalog, systems: SystemsCatalog) -> CargoPlan:
    """Plan the ``[[cargo_demand]]`` flights of ``scenario`` (see the module docstring).
    Raises :class:`~rossim.errors.InputError` for an unknown vehicle (via the timeline)."""
    from rossim.errors import InputError
    from rossim.station.assembly import build_timeline

    where = scenario.source_path or scenario.name
    base = scenario.model_copy(update={"cargo_demand": []})
    tl = build_timeline(base, catalog)
    days = day_grid(scenario)
    plan = CargoPlan()
    if not days:
        return plan
    use, reserve, stowage, p = _daily_use(tl, days, systems, catalog)
    crew = p["crew"]
    ls, prop = systems.life_support, systems.propulsion
    from rossim.station.deorbit import deorbit_reserve_kg, initial_propellant_kg

    deorbit_kg = deorbit_reserve_kg(tl, prop)   # Mir's precedent at the largest stack
    tank_room_max = prop.station_tank_kg.value - deorbit_kg
    spares0 = sum(c.initial_spares.value * c.spare_mass_kg.value for c in systems.component
                  if c.initial_spares and c.spare_mass_kg)
    stock = {"water": ls.initial_water_kg.value, "food": ls.initial_food_kg.value,
             "oxygen": ls.initial_oxygen_kg.value,
             "propellant": initial_propellant_kg(tl, prop) - deorbit_kg,
             "spares": spares0}
    demand = dict.fromkeys(ITEMS, 0.0)
    # crew ships' cargo at their docking, as the run's delivery (rossim.station.crew_cargo)
    from rossim.station.crew_cargo import crew_ship_manifest

    crew_drop: dict[int, list] = {}
    d0 = days[0]
    by_name = {v.name or "": v for _f, v in base.visits}
    net = ls.net_kg_per_crew_day()
    for e in tl.events:
        if e.part_kind == "vehicle" and e.kind == "dock" and not e.relocation:
            veh = catalog.vehicles[e.catalog_id]
            if veh.kind != "cargo":
                k = int((e.time - d0).total_seconds() // 86400) + 1
                crew_drop.setdefault(k, []).append((veh, by_name.get(e.part)))
    # what the crew ships bring for their own visits (not to be brought twice by cargo)
    crew_use = {i: np.zeros(len(days) + 1) for i in ("water", "food")}
    no_crew_use = np.zeros(len(days) + 1)
    for k, ships in crew_drop.items():
        for veh, v in ships:
            if v is not None and k < len(days):
                m = crew_ship_manifest(veh.cargo_kg.value, v.crew, v.duration_days, net,
                                       {"water": 1e12, "food": 1e12}, 0.0)
                for i in m:
                    crew_use[i][k] += m[i]
    # food is held no longer than its shelf life: a ship brings food for no more than that
    # (the food's horizon), the run discards what outlives it (rossim.ops.life_support)
    shelf = (int(ls.food_shelf_life_days.value) if ls.food_shelf_life_days is not None
             else len(days))
    # the climbers' leftover propellant joins the tanks at the module's docking, as in the
    # run (rossim.station.insertion.leftover_propellant_kg; rossim.ops.cargo_callup)
    from rossim.station.insertion import leftover_propellant_kg

    lg = systems.logistics
    tug_dv = lg.tug_deorbit_dv_m_s.value if lg and lg.tug_deorbit_dv_m_s else None
    climb_drop: dict[int, float] = {}
    for c in tl.climbs:
        k = int((c.docked - d0).total_seconds() // 86400) + 1
        climb_drop[k] = climb_drop.get(k, 0.0) + leftover_propellant_kg(c, catalog, tug_dv)
    # the docked Progress ships' reboost reserves carry the drag make-up first, as in the run
    # (rossim.station.reboost_reserves): the base plan's Progress ships, then the planned ones
    res = ReboostReserves(prop.progress_reboost_kg.value, use["propellant_drag"])

    undock = {e.part: e.time for e in tl.events
              if e.part_kind == "vehicle" and e.kind == "undock" and not e.relocation}
    for e in tl.events:
        if (e.part_kind == "vehicle" and e.kind == "dock" and not e.relocation
                and e.catalog_id.startswith("progress") and reboost_port(tl, e.port, e.time)):
            end = undock.get(e.part, days[-1] + dt.timedelta(days=1))
            res.plan(("base", e.part), int((e.time - d0).total_seconds() // 86400) + 1,
                     int((end - d0).total_seconds() // 86400))
    entries: list[tuple[int, CargoDemand]] = list(enumerate(scenario.cargo_demand))
    vehicles = {}
    for i, c in entries:
        if c.vehicle not in catalog.vehicles:
            raise InputError(where, f"cargo_demand[{i}].vehicle", c.vehicle,
                             "a known vehicle id: " + ", ".join(sorted(catalog.vehicles)),
                             problem="unknown vehicle")
        if catalog.vehicles[c.vehicle].kind != "cargo":   # other kinds count as crew ships here
            veh = catalog.vehicles[c.vehicle]
            raise InputError(where, f"cargo_demand[{i}].vehicle", c.vehicle,
                             "a cargo vehicle id: " + ", ".join(
                                 sorted(k for k, v in catalog.vehicles.items()
                                        if v.kind == "cargo")),
                             problem=f"{veh.name_en} is a {veh.kind} vehicle")
        vehicles[i] = catalog.vehicles[c.vehicle]
    last_launch: dict[int, dt.datetime] = {}
    docked: dict[int, int] = {}          # entry -> index of its ship aboard (in plan.visits)
    added: dict[int, tuple[np.ndarray, np.ndarray]] = {}   # its use (_ship_use), by visit
    reserve_days = {i: (c.reserve_days if c.reserve_days is not None
                        else ls.reserve_days.value) for i, c in entries}
    count = {i: 0 for i, _ in entries}
    occupancy_base = [(p.start, p.end, p.occupancy) for p in tl.phases]
    attached = [{a.name for a in p.modules} for p in tl.phases]

    def port_free(port: str, t: dt.datetime) -> bool:
        """The port's module is attached at ``t`` and nothing holds the port (a flight to a
        module not yet docked was planned: ros-51.6 with cargo_demand first_launch 2028-01-05
        sent Progress MS #1 to node.starboard three days before the node docked)."""
        for (s, e, occ), mods in zip(occupancy_base, attached, strict=True):
            if s <= t < e:
                return port not in occ and port.split(".", 1)[0] in mods
        return False

    clear = systems.logistics.port_clear_before_module_days
    clear_td = dt.timedelta(days=clear.value if clear is not None else 0.0)

    def free_until(port: str, t: dt.datetime) -> dt.datetime:
        """When the base plan next needs ``port`` after ``t`` (a module or ship docks); a
        module's port is cleared ``logistics.port_clear_before_module_days`` before it docks
        (Pirs left three days before Nauka docked at its port)."""
        for s, _e, occ in occupancy_base:
            if s > t and port in occ:
                return s - clear_td if occ[port] in catalog.modules else s
        return scenario.span.end + dt.timedelta(days=3650)

    # crews first: a ship planned just before a crew's lift-off from its pad, or within the
    # pad's turnaround after it, would lift off a turnaround after the crew (station.pad_plan)
    from rossim.station.pad_plan import blocked, cargo_pad, crew_pad_blocks

    blocks = crew_pad_blocks(tl, catalog)
    pad_blocks = {i: blocks.get(cargo_pad(catalog, c.vehicle, c.launcher, c.site) or "", [])
                  for i, c in entries}
    for k, day in enumerate(days):
        if k in climb_drop:
            stock["propellant"] = min(stock["propellant"] + climb_drop[k], tank_room_max)
        for veh, v in crew_drop.get(k, ()):
            m = crew_ship_manifest(veh.cargo_kg.value, v.crew if v else int(crew[k]),
                                   v.duration_days if v else 0.0, net, stock,
                                   ls.reserve_days.value)
            if v is not None and v.food_kg is not None:   # a hand-set manifest wins
                m["food"] = v.food_kg
            if v is not None and v.water_kg is not None:
                m["water"] = v.water_kg
            stock["water"] += m["water"]
            stock["food"] += m["food"]
        for i in ITEMS:
            u = use[i][k] - (res.burn_day(k) if i == "propellant" else 0.0)
            take = min(u, max(stock[i], 0.0))
            stock[i] -= take
            demand[i] += use[i][k]
        for ei, c in entries:
            rd = reserve_days[ei]
            veh = vehicles[ei]
            # the stock forecast day by day ``lead_days`` ahead (no delivery) against the
            # reserve of each of those days (a larger crew arriving raises it)
            k1 = min(k + 1 + int(c.lead_days), len(days))
            ttd = dt.timedelta(hours=veh.time_to_dock_h.value)
            launch = day - ttd
            if blocked(launch, pad_blocks[ei]) is not None:
                continue   # it would slip behind a crew: flown before the block, or after
            ahead = blocked(launch + dt.timedelta(days=1), pad_blocks[ei])
            if ahead is not None:   # the last day before a crew's block: no ship until its
                # end, so the stocks must last through it and the lead after it
                after = int((ahead[1] + ttd - d0).total_seconds() // 86400) + 1
                k1 = min(max(k1, after + 1 + int(c.lead_days)), len(days))

            low = [i for i in ITEMS
                   if stowage[k] > 0 and _short(
                       stock[i] + (res.cover_kg(k + 1, k1) if i == "propellant" else 0.0),
                       use[i], crew_use.get(i, no_crew_use), reserve[i], k, k1,
                       float(rd) if i != "propellant" else 1.0)]
            if not low:
                break
            if launch < c.first_launch or launch > c.until or stowage[k] <= 0:
                continue
            if ei in last_launch and (launch - last_launch[ei]).days < c.min_interval_days:
                continue
            if not port_free(c.port, day) or free_until(c.port, day) <= day:
                continue   # busy, or to be cleared for a module about to dock
            cap = _capacity(veh, systems)
            # what the stocks need: up to the capacity, stowed items within the room
            room = max(stowage[k] - stock["water"] - stock["food"] - stock["oxygen"]
                       - stock["spares"], 0.0)
            rate = {i: max(use[i][k], reserve[i][k]) for i in ITEMS}
            # consumables for the next ``horizon_days`` of forecast use plus the reserve
            # (the reserve of the horizon's largest crew, with a tenth more so that the stock
            # stays above the run's alarm threshold when the horizon's use is met exactly)
            h = slice(k, min(k + int(c.horizon_days), len(days)))
            # food: a horizon no longer than its shelf life (what is brought is eaten in time)
            hf = slice(k, min(k + min(int(c.horizon_days), shelf), len(days)))
            want = {i: min(cap[i], max(float(use[i][hh].sum()) + 1.1 * float(reserve[i][hh].max())
                                       * rd - stock[i] - (float(crew_use[i][hh].sum())
                                                          if i in crew_use else 0.0), 0.0))
                    for i, hh in (("water", h), ("food", hf), ("oxygen", h))}
            want["spares"] = min(cap["spares"], max(spares0 - stock["spares"], 0.0))
            got = _stow(want, stock, rate, room)
            # propellant: the horizon's forecast use plus the reserve, within the tank's room
            # (filling the tank every flight sent tonnes back unused with the ships)
            # less what the reserves aboard and this ship's own will burn of the drag make-up
            stay = min(c.duration_days, veh.max_docked_days.value,
                       (free_until(c.port, day) - day).total_seconds() / 86400.0)
            own = (((k, k + int(stay), res.kg),) if c.vehicle.startswith("progress")
                   and reboost_port(tl, c.port, day) else ())
            # this ship's own share of the use (its drag, mass and phasing) counts in its load
            mine = _ship_use(use, p, tl.at(day), c.port, veh, c.mass_kg, k, int(stay),
                             lg.propellant_forecast_margin.value, tl.scenario.orbit.attitude)
            got["propellant"] = min(cap["propellant"], max(tank_room_max - stock["propellant"],
                                                           0.0),
                                    max(float(use["propellant"][h].sum())
                                        - res.cover_kg(h.start, h.stop, own)
                                        + 1.1 * float(reserve["propellant"][h].max())
                                        - stock["propellant"], 0.0))
            if sum(got.values()) < 1.0:
                _ship_leaves(use, mine, k)   # not flown: its share goes
                continue
            for i in ITEMS:
                stock[i] += got[i]
            if ei in docked:  # the previous ship leaves as this one arrives
                pv = plan.visits[docked[ei]]
                arr = pv.launch + dt.timedelta(hours=veh.time_to_dock_h.value)
                pv_stay = (day - arr).total_seconds() / 86400.0
                if pv_stay < pv.duration_days:
                    plan.visits[docked[ei]] = pv.model_copy(update={"duration_days": pv_stay})
                    plan.flights[docked[ei]]["stay_days"] = round(pv_stay, 3)
                    res.leave(("plan", docked[ei]), k)
                    _ship_leaves(use, added[docked[ei]], k)
            count[ei] += 1
            name = f"{c.name or c.vehicle} #{count[ei]}"
            duration = stay
            plan.visits.append(Visit(
                vehicle=c.vehicle, port=c.port, duration_days=duration, launch=launch,
                launcher=c.launcher, site=c.site, name=name, mass_kg=c.mass_kg,
                water_kg=round(got["water"], 3), food_kg=round(got["food"], 3),
                oxygen_kg=round(got["oxygen"], 3), propellant_kg=round(got["propellant"], 3)))
            plan.entries.append(ei)
            plan.flights.append({
                "name": name, "launch": launch.date().isoformat(),
                "arrival": day.date().isoformat(), "port": c.port, "trigger": "+".join(low),
                "stay_days": duration, "stowage_room_kg": round(float(room), 1),
                "manifest_kg": {i: round(float(got[i]), 1) for i in ITEMS}})
            docked[ei] = len(plan.visits) - 1
            added[docked[ei]] = mine
            if c.vehicle.startswith("progress") and reboost_port(tl, c.port, day):
                res.plan(("plan", docked[ei]), k, k + int(duration))
            last_launch[ei] = launch
            break
    plan.end_stock_kg = {i: float(v) for i, v in stock.items()}
    plan.demand_kg = {i: float(v) for i, v in demand.items()}
    return plan


def resolve_logistics(scenario: Scenario, catalog: Catalog,
                      systems: SystemsCatalog | None = None) -> tuple[Scenario, CargoPlan | None]:
    """The scenario with its ``[[cargo_demand]]`` flights as explicit ``cargo_visits`` (and no
    demand entries left), and the plan; unchanged (and ``None``) without demand entries."""
    if not scenario.cargo_demand:
        return scenario, None
    if systems is None:
        from rossim.config.systems import load_systems

        systems = load_systems()
    plan = plan_cargo(scenario, catalog, systems)
    visits = sorted(list(scenario.cargo_visits) + plan.visits, key=lambda v: v.launch)
    return scenario.model_copy(update={"cargo_visits": visits, "cargo_demand": []}), plan
