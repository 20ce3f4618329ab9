"""Cargo by demand: when cargo ships fly and what they bring.

:func:`plan_cargo` turns the scenario's ``[[cargo_demand]]`` entries into explicit cargo
visits. It replays the plan without them (:func:`rossim.station.build_timeline`: modules,
crew aboard, crew ships' cargo, drag area per day) and forecasts, day by day, five stocks:

* water, food and oxygen drawn from the stocks per crew-day (``life_support``: NASA BVAD use
  net of water recovery and oxygen generation, the figures of the run's consumables model);
* station propellant: drag make-up ``0.5 rho v^2 C_D A / (Isp g0)`` with the run's own
  ``operations.cd`` and the orbit-average density of the run's atmosphere model under the
  run's solar cycle (:func:`forecast_density_kg_m3`: in a campaign, the dispersed cycle's
  amplitude and phase, which operators see within months; not the day-to-day noise), attitude
  control (``propulsion.attitude_kg_per_day_
  per_100t``, velocity mode, with the station's mass), leaks and debris avoidance at their
  catalog rates, all times ``logistics.propellant_forecast_margin``; the de-orbit reserve is
  never counted as available;
* spares: the expected failures per day (units / MTBF of every component type whose module is
  there) times the spare's mass, against the initial spares' mass.

A ship arrives on the first day a stock would fall below its reserve within ``lead_days``
(the entry's; a margin for the day-to-day use and for slips): ``reserve_days`` of use
(for a crew of max(aboard, 2), as the run's margin) for water, food, oxygen and spares, and
``logistics.propellant_reserve_kg`` above the de-orbit reserve for propellant; not before its
entry's ``first_launch``, ``min_interval_days`` after the previous launch and when its port is
free (the previous ship of the entry leaves when the next one arrives). Its manifest is what
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
from rossim.constants import GM_EARTH_M3_S2 as MU
from rossim.constants import R_EQ_M
from rossim.station.reboost_reserves import ReboostReserves, reboost_port

__all__ = ["CargoPlan", "plan_cargo", "propellant_forecast", "propellant_forecast_parts",
           "resolve_logistics"]

G0 = 9.80665
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


def _day_grid(s: Scenario) -> list[dt.datetime]:
    d0 = s.span.start.replace(hour=12, minute=0, second=0, microsecond=0)
    n = int((s.span.end - d0).total_seconds() // 86400) + 1
    return [d0 + dt.timedelta(days=k) for k in range(max(n, 0))]


#: Node drift relative to the Sun of a 51.6 deg, 400 km orbit: one cycle of local solar time
#: in about 60 days (J2 precession -5 deg/day against the Sun's +1 deg/day; estimate).
LOCAL_TIME_CYCLE_DAYS = 60.0
#: The planner's density sampling (days); interpolated in between.
FORECAST_STEP_DAYS = 5


def forecast_density_kg_m3(scenario: Scenario, days: list[dt.datetime]) -> np.ndarray:
    """Orbit-average density (kg/m^3) at the scenario's altitude for each of ``days``: the
    run's atmosphere model (``operations.atmosphere``) and solar cycle
    (:func:`rossim.environment.weather_dispersion.forecast_weather`: the daily noise
    off), sampled every :data:`FORECAST_STEP_DAYS` with the orbit's node sweeping local
    solar time over :data:`LOCAL_TIME_CYCLE_DAYS`, linear in between. Shape ``(len(days),)``.
    """
    from rossim.dynamics.decay import orbit_average_density
    from rossim.environment.weather_dispersion import forecast_weather
    from rossim.time import to_time

    n = len(days)
    if n == 0:
        return np.zeros(0)
    ops = scenario.operations
    weather = forecast_weather(ops)
    k = np.unique(np.append(np.arange(0, n, FORECAST_STEP_DAYS), n - 1))
    raan = -2.0 * np.pi * k / LOCAL_TIME_CYCLE_DAYS
    rho = orbit_average_density(to_time([days[i] for i in k]),
                                [scenario.orbit.altitude_km * 1e3],
                                np.radians(scenario.orbit.inclination_deg), raan, weather,
                                model=ops.atmosphere)[:, 0]
    return np.interp(np.arange(n), k, rho)


def _daily_use(tl, days: list[dt.datetime], systems: SystemsCatalog, cat: Catalog
               ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Per day: use (kg/day) per item, reserve (kg) per item, stowage (kg), crew aboard."""
    ls, prop = systems.life_support, systems.propulsion
    n = len(days)
    crew = np.zeros(n)
    volume = np.zeros(n)
    area = np.zeros(n)
    mass = np.zeros(n)
    modules: list[tuple[str, ...]] = []
    idx = tl.phase_index(np.array([np.datetime64(d.replace(tzinfo=None), "us") for d in days]))
    for k, i in enumerate(idx):
        if i < 0:
            modules.append(())
            continue
        c = tl.properties[i]
        crew[k], area[k], mass[k] = c.crew_aboard, c.drag_area_m2, c.mass_kg
        volume[k] = sum(cat.modules[m].pressurised_volume_m3.value for m in c.modules)
        modules.append(tuple(c.modules))
    net = ls.net_kg_per_crew_day()   # incl. the water the oxygen generator splits
    per = {i: net[i] for i in ("water", "food", "oxygen")}
    use = {i: crew * per[i] for i in per}
    reserve_crew = np.maximum(crew, 2.0)
    reserve = {i: reserve_crew * per[i] for i in per}  # x reserve_days later
    # propellant: drag make-up at the forecast density, attitude, leak, debris avoidance
    alt_m = tl.scenario.orbit.altitude_km * 1e3
    v = np.sqrt(MU / (R_EQ_M + alt_m))
    isp = prop.station_isp_s.value
    rho = forecast_density_kg_m3(tl.scenario, days)
    drag_kg_day = (0.5 * rho * v * v * tl.scenario.operations.cd * area
                   * 86400.0 / (isp * G0))
    att = prop.attitude_kg_per_day_per_100t.get("velocity", 0.0) * mass / 1e5
    dam = (prop.debris_avoidance_per_year.value / 365.25 * mass
           * (1 - np.exp(-prop.debris_avoidance_dv_m_s.value / (isp * G0))))
    # a host station (the ISS, while the ROS is attached) pays every use, as in the run
    # (rossim.ops.orbit_keeping: host_kg): ISS-era Progress ships were called for propellant
    # the tanks never took (ros-iss-start: 11.9 t not transferred)
    hosted = np.array([any(m in prop.host_modules for m in mods) for mods in modules],
                      dtype=bool)
    there = (mass > 0) & ~hosted
    use["propellant"] = np.where(there, (drag_kg_day + att + dam
                                         + prop.leak_kg_per_year.value / 365.25)
                                 * systems.logistics.propellant_forecast_margin.value, 0.0)
    # its drag make-up alone (the run's re-check pays it in whole reboosts:
    # rossim.ops.propellant_outlook); not an item of the plan
    use["propellant_drag"] = np.where(
        there, drag_kg_day * systems.logistics.propellant_forecast_margin.value, 0.0)
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
    stowage = ls.stowage_kg_per_pressurised_m3.value * volume
    return use, reserve, stowage, crew


def propellant_forecast(tl, systems: SystemsCatalog) -> tuple[list[dt.datetime], np.ndarray]:
    """The planner's station-propellant forecast for the plan ``tl`` as it stands (modules,
    ships, drag area per day): noon of each day of the span and the forecast use (kg/day,
    margin included), shape ``(n_days,)``. The run re-checks its stock with it
    (:mod:`rossim.ops.cargo_callup`)."""
    days, total, _drag = propellant_forecast_parts(tl, systems)
    return days, total


def propellant_forecast_parts(tl, systems: SystemsCatalog
                              ) -> tuple[list[dt.datetime], np.ndarray, np.ndarray]:
    """:func:`propellant_forecast` with its drag make-up apart: days, total use and drag
    make-up (kg/day, margin included, each shape ``(n_days,)``; the rest of the total is
    attitude control, debris avoidance and leaks)."""
    days = _day_grid(tl.scenario)
    if not days:
        return days, np.zeros(0), np.zeros(0)
    use = _daily_use(tl, days, systems, tl.catalog)[0]
    return days, use["propellant"], use["propellant_drag"]


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
    days = _day_grid(scenario)
    plan = CargoPlan()
    if not days:
        return plan
    use, reserve, stowage, crew = _daily_use(tl, days, systems, catalog)
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
    reserve_days = {i: (c.reserve_days if c.reserve_days is not None
                        else ls.reserve_days.value) for i, c in entries}
    count = {i: 0 for i, _ in entries}
    occupancy_base = [(p.start, p.end, p.occupancy) for p in tl.phases]

    def port_free(port: str, t: dt.datetime) -> bool:
        for s, e, occ in occupancy_base:
            if s <= t < e:
                return port not in occ
        return True

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

            low = [i for i in ITEMS
                   if stowage[k] > 0 and _short(
                       stock[i] + (res.cover_kg(k + 1, k1) if i == "propellant" else 0.0),
                       use[i], crew_use.get(i, no_crew_use), reserve[i], k, k1,
                       float(rd) if i != "propellant" else 1.0)]
            if not low:
                break
            launch = day - dt.timedelta(hours=veh.time_to_dock_h.value)
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
            got["propellant"] = min(cap["propellant"], max(tank_room_max - stock["propellant"],
                                                           0.0),
                                    max(float(use["propellant"][h].sum())
                                        - res.cover_kg(h.start, h.stop, own)
                                        + 1.1 * float(reserve["propellant"][h].max())
                                        - stock["propellant"], 0.0))
            if sum(got.values()) < 1.0:
                continue
            for i in ITEMS:
                stock[i] += got[i]
            if ei in docked:  # the previous ship leaves as this one arrives
                pv = plan.visits[docked[ei]]
                arr = pv.launch + dt.timedelta(hours=veh.time_to_dock_h.value)
                stay = (day - arr).total_seconds() / 86400.0
                if stay < pv.duration_days:
                    plan.visits[docked[ei]] = pv.model_copy(update={"duration_days": stay})
                    plan.flights[docked[ei]]["stay_days"] = round(stay, 3)
                    res.leave(("plan", docked[ei]), k)
            count[ei] += 1
            name = f"{c.name or c.vehicle} #{count[ei]}"
            duration = min(c.duration_days, veh.max_docked_days.value,
                           (free_until(c.port, day) - day).total_seconds() / 86400.0)
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
