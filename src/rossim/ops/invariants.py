"""The plausibility guard: what must hold in every run, checked on the run's own outputs.

Each invariant is either true, or a critical alarm with its time and cause at the top of the
report and in ``summary.json`` (``invariants`` block); a violation in the shipped scenarios is
a bug that a test catches. Tolerances are stated per check.

====================================  =========================================================
invariant                             check
====================================  =========================================================
``generation_non_negative``           solar generation >= 0 kW in every 60 s step
``crew_within_berths``                crew aboard <= berths at every configuration change
``stores_within_stowage``             oxygen + water + food <= stowage at every daily sample
                                      (+1 kg)
``battery_within_depth_of_discharge`` every 10-minute bin whose minimum state of charge is
                                      below the allowed depth of discharge is inside an alarm
                                      (loads shed, battery empty)
``energy_ledger``                     generated = served + curtailed + battery losses +
                                      stored change (0.01 kWh over the run); no 60 s step
                                      stores more than its surplus, every discharging step's
                                      battery drop covers its shortfall (1e-6 kWh)
``battery_soc_in_range``              state of charge within [0, max_soc] at every 60 s step
``altitude_in_band``                  every hour below the band floor is inside a stated wait
                                      (no-burn window, approval, safe mode, propellant); above
                                      the band top only after a commanded reboost
``propellant_ledger``                 start + delivered - burned - departed = end (1 kg)
``propellant_by_cause``               reboost + attitude + debris avoidance + phasing + leak
                                      = burned (1 kg)
``deorbit_reserve_held``              the tanks never below the de-orbit reserve (1 kg) unless
                                      attitude control drew on it under its alarm
``consumables_ledger``                per item start + accepted - consumed - discarded = end
                                      (1 kg)
``food_within_shelf_life``             no food eaten older than
                                      ``life_support.food_shelf_life_days`` (first in,
                                      first out; 1 kg)
``mass_ledger``                       station mass = sum of the modules' and vehicles' masses
                                      (1 kg) at every configuration
``flown_mass_ledger``                 flown mass: start + parts docked + climb propellant -
                                      parts departed (ships with their trash) - burned -
                                      consumed = end (1 kg; :mod:`rossim.ops.station_mass`)
``crew_with_consumables``             no two daily samples in a row with a crew aboard and
                                      its oxygen, water or food empty (the crew returns when
                                      a stock runs out: ``rossim.ops.crew_return``)
``no_crew_at_reentry``                a run that ends in re-entry has no crew aboard
====================================  =========================================================
"""

from __future__ import annotations

from typing import Any

import numpy as np

LEDGER_TOL_KG = 1.0


def _row(name: str, holds: bool, detail: str, cause: str = "", time: np.datetime64 | None = None
         ) -> dict[str, Any]:
    return {"name": name, "holds": bool(holds), "detail": detail, "cause": cause, "time": time}


def lowest_tank_text(orbit, events) -> str:
    """"lowest tank level X kg" over the run's tank samples (``orbit.station_propellant_kg``
    at ``orbit.epochs``), leaving out the start-up step: the samples, at the start level
    with nothing used, before the first module's leftover climb propellant reaches the tanks
    (the first "climb propellant left" event of ``events``, :meth:`rossim.ops.cargo_callup.
    CargoCallUp.module_docked`), named with that level. Before, ros-51.6 gave "lowest tank
    level 3008.2 kg": its first hour, 4 minutes before NEM-1's 818 kg came aboard."""
    tanks = np.asarray(orbit.station_propellant_kg, float)
    if not tanks.size:
        return "lowest tank level 0.0 kg"
    first = next((e for e in sorted(events, key=lambda e: e["time"])
                  if e["kind"] == "propellant" and "climb propellant left" in e["detail"]),
                 None)
    if first is not None:
        before = np.asarray(orbit.epochs) < np.datetime64(first["time"])
        after = tanks[~before]
        if before.any() and after.size and np.all(tanks[before] == tanks[0]):
            return (f"lowest tank level {float(after.min()):.1f} kg after {first['subject']}'s "
                    f"climb propellant came aboard on {str(first['time'])[:16].replace('T', ' ')}"
                    f" ({tanks[0]:.1f} kg before it)")
    return f"lowest tank level {float(tanks.min()):.1f} kg"


def check_invariants(sim, result) -> list[dict[str, Any]]:
    out = []
    p = result.power
    pw = sim.systems.power
    gmin = sim.power.min_generation_kw if sim.power else 0.0
    out.append(_row("generation_non_negative", gmin >= 0.0,
                    f"minimum generation {gmin:.3f} kW",
                    "array capacity below zero (fault effect or catalog value)"))
    cr = sim.config_rows
    crew = np.asarray(cr["crew_aboard"])
    berths = np.asarray(cr["crew_capacity"])
    over = np.flatnonzero(crew > berths)
    out.append(_row("crew_within_berths", over.size == 0,
                    f"max crew aboard {int(crew.max()) if crew.size else 0}, berths then "
                    f"{int(berths[np.argmax(crew)]) if crew.size else 0}",
                    "a crew aboard a configuration without enough berths",
                    sim.stamp(int(cr["t_s"][over[0]])) if over.size else None))
    if result.consumables is not None:
        c = result.consumables
        stock = c.oxygen_kg + c.water_kg + c.food_kg
        vol = _hourly_to_days(sim, c.days)
        cap = sim.systems.life_support.stowage_kg_per_pressurised_m3.value * vol
        bad = np.flatnonzero(stock > cap + 1.0)
        out.append(_row("stores_within_stowage", bad.size == 0,
                        f"max fill {float(np.max(stock / np.maximum(cap, 1e-9))):.2f} of stowage"
                        if len(stock) else "no samples",
                        "stores above the modules' stowage (a module left with its stores?)",
                        str(c.days[bad[0]]) if bad.size else None))
    if p is not None and len(p.epochs):
        low = p.soc_min < pw.min_soc.value - 1e-9
        shed = (p.shed_level > 0) | (p.safe_mode > 0)
        # the autonomy acts at the step after the crossing, which may open the next bin
        covered = shed | np.concatenate([shed[1:], [False]]) | (p.battery_kwh <= 0)
        bad = np.flatnonzero(low & ~covered)
        out.append(_row("battery_within_depth_of_discharge", bad.size == 0,
                        f"{int(low.sum())} bins below the allowed depth of discharge, "
                        f"{int((low & covered).sum())} of them under a shedding alarm",
                        "state of charge below the limit with no alarm",
                        str(p.epochs[bad[0]]) if bad.size else None))
    ledger = getattr(sim.power, "ledger", None) if sim.power else None
    if ledger is not None:  # hook: energy ledger and state of charge (rossim.ops.power_ledger)
        causes = {"energy_ledger": "energy created or lost between the arrays, the loads and "
                                   "the batteries", "battery_soc_in_range":
                  "state of charge outside [0, max_soc]"}
        for name, (holds, detail) in ledger.checks(pw.max_soc.value).items():
            out.append(_row(name, holds, detail, causes[name]))
    o = result.orbit
    band_low, band_high = sim.orbit.low_m, sim.orbit.high_m
    below = o.altitude_m < band_low - 1.0
    stated = np.zeros(len(o.epochs), bool)
    for a, b, _why in result.waits:
        stated |= (o.epochs >= a - np.timedelta64(1, "h")) & (o.epochs <= b)
    bad = np.flatnonzero(below & ~stated)
    above = o.altitude_m > band_high + 1.0
    commanded = any(b.commanded_by != "autonomy" for b in o.burns)
    bad_above = np.flatnonzero(above) if not commanded else np.array([], int)
    out.append(_row("altitude_in_band", bad.size == 0 and bad_above.size == 0,
                    f"{int(below.sum())} h below the band floor (all inside stated waits: "
                    f"{bad.size == 0}), {int(above.sum())} h above the top",
                    "altitude outside the band without a stated reason",
                    str(o.epochs[bad[0]]) if bad.size else None))
    led = result.ledgers.get("propellant", {})
    imb = float(led.get("imbalance_kg", 0.0))
    out.append(_row("propellant_ledger", abs(imb) <= LEDGER_TOL_KG,
                    f"start {led.get('start_kg', 0):.1f} + transferred "
                    f"{led.get('transferred_kg', 0):.1f} + Progress reserves "
                    f"{led.get('reserve_arrived_kg', 0):.1f} - burned {led.get('burned_kg', 0):.1f}"
                    f" - departed {led.get('reserve_departed_kg', 0):.1f} = end "
                    f"{led.get('end_kg', 0):.1f} (imbalance {imb:.3f} kg)",
                    "propellant created or lost outside a burn"))
    from rossim.ops.orbit_keeping import CAUSES

    causes = sum(float(led.get(f"burned_{c}_kg", 0.0)) for c in CAUSES)
    burned = float(led.get("burned_kg", 0.0))
    out.append(_row("propellant_by_cause", abs(causes - burned) <= LEDGER_TOL_KG,
                    f"causes {causes:.1f} kg, burned {burned:.1f} kg",
                    "a propellant use without a cause"))
    reserve = float(led.get("deorbit_reserve_kg", 0.0))
    tanks = o.station_propellant_kg
    dipped = np.flatnonzero(tanks < reserve - LEDGER_TOL_KG) if len(tanks) else np.array([])
    used = float(led.get("deorbit_reserve_used_kg", 0.0))
    alarmed = any(a["subject"] == "propellant" and "de-orbit reserve" in a["detail"]
                  for a in result.alarms)
    out.append(_row("deorbit_reserve_held", dipped.size == 0 or (used > 0 and alarmed),
                    f"reserve {reserve:.0f} kg, {lowest_tank_text(o, sim.events)}, "
                    f"drawn {used:.1f} kg",
                    "propellant below the de-orbit reserve without its alarm",
                    str(o.epochs[dipped[0]]) if dipped.size else None))
    if "consumables_imbalance_kg" in result.ledgers:
        imb = float(result.ledgers["consumables_imbalance_kg"])
        out.append(_row("consumables_ledger", imb <= LEDGER_TOL_KG,
                        f"largest imbalance {imb:.3f} kg", "stores created or lost"))
    food = result.ledgers.get("consumables", {}).get("food", {})
    shelf = sim.systems.life_support.food_shelf_life_days
    if shelf is not None and "oldest_eaten_days" in food:
        out.append(_row("food_within_shelf_life", food["eaten_past_shelf_life_kg"] <= LEDGER_TOL_KG,
                        f"oldest food eaten {food['oldest_eaten_days']:.1f} days after "
                        f"delivery (shelf life {shelf.value:.0f} days), "
                        f"{food['eaten_past_shelf_life_kg']:.1f} kg past it",
                        "food held aboard longer than its shelf life"))
    worst = 0.0
    for i in range(len(sim.timeline.phases)):
        cfg = sim.timeline.properties[i]
        parts = sum(a.mass_kg for a in sim.timeline.phases[i].attachments)
        worst = max(worst, abs(parts - cfg.mass_kg))
    out.append(_row("mass_ledger", worst <= LEDGER_TOL_KG,
                    f"largest difference {worst:.3f} kg", "configuration mass not the parts'"))
    m = result.ledgers.get("mass")
    if m is not None:
        out.append(_row("flown_mass_ledger", abs(m["balance_kg"]) <= LEDGER_TOL_KG,
                        f"start {m['start_kg']:.0f} + docked {m['parts_docked_kg']:.0f} + climb "
                        f"propellant {m['climb_propellant_kg']:.0f} - departed "
                        f"{m['parts_departed_kg']:.0f} (trash {m['trash_departed_kg']:.0f}) - "
                        f"burned {m['burned_kg']:.0f} - consumed {m['consumed_kg']:.0f} = end "
                        f"{m['end_kg']:.0f} kg (off by {m['balance_kg']:.3f} kg)",
                        "mass entering or leaving the station not on the books "
                        "(rossim.ops.station_mass)"))
    if result.consumables is not None:
        c = result.consumables
        low = np.minimum(np.minimum(c.oxygen_kg, c.water_kg), c.food_kg)
        empty = (np.asarray(c.crew) > 0) & (low <= 1e-6)
        # two daily samples in a row: a day or more aboard an empty stock (a crew that docks
        # to one at midnight is sampled once before it leaves; its ship carries days of its
        # own supplies)
        lacking = np.flatnonzero(empty[1:] & empty[:-1]) + 1
        out.append(_row("crew_with_consumables", lacking.size == 0,
                        f"{int(empty.sum())} daily samples with a crew aboard and a stock "
                        f"empty, {lacking.size} of them a day or more after another",
                        "a crew kept aboard with no oxygen, water or food",
                        str(c.days[lacking[0]]) if lacking.size else None))
    reentered = getattr(sim, "outcome", "") == "re-entry"
    crew_end = int(sim.config.crew_aboard) if reentered else 0
    out.append(_row("no_crew_at_reentry", crew_end == 0,
                    (f"re-entry with {crew_end} crew aboard" if crew_end else
                     "re-entry with no crew aboard" if reentered else "no re-entry"),
                    "a crew left aboard a station that re-enters (rossim.ops.crew_return "
                    "brings it home once the station sinks below its band)"))
    return out


def _hourly_to_days(sim, days: np.ndarray) -> np.ndarray:
    """Pressurised volume (m^3) in force at each day of ``days`` (datetime64[D])."""
    t_s = (days.astype("datetime64[us]") - sim.engine.t_ref) / np.timedelta64(1, "s")
    starts = np.array([sim.engine.seconds(p.start) for p in sim.timeline.phases], float)
    k = np.clip(np.searchsorted(starts, t_s, side="right") - 1, 0, len(starts) - 1)
    from rossim.ops.life_support import module_volume_m3

    vol = np.array([module_volume_m3(c, sim.timeline.catalog) for c in sim.timeline.properties])
    return vol[k]


def violation_alarms(invariants: list[dict[str, Any]], when: np.datetime64
                     ) -> list[dict[str, Any]]:
    """One critical ``invariant`` alarm (the run's alarm dict) per violated invariant, at
    ``when`` (the run's end), with the invariant's cause."""
    return [{"time": when, "subject": "invariant", "detail": f"{inv['name']}: {inv['detail']}",
             "severity": "critical",
             "cause": inv.get("cause") or "a model let an impossible value through",
             "repeats": 0} for inv in invariants if not inv["holds"]]
