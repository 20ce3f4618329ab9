"""Life-support consumables: the engine's ``consumables`` model.

Stocks of oxygen, water and food (kg) fall at the use per crew-day of the systems catalog
(NASA BVAD figures) net of water recovery and on-board oxygen generation, with the crew aboard
(constant between dockings, which cut the spans). Deliveries come at each docking of a cargo
or crew vehicle (Progress manifest: oxygen and air, water, food as a share of the dry cargo; a
crew ship's cargo counted half food, half water) and are limited by the stowage the station
has (``life_support.stowage_kg_per_pressurised_m3`` x the pressurised volume): what does not fit
stays aboard the ship and leaves with it, in the ledger. Stocks never go negative: unmet
demand is a shortfall. Threshold crossings reported to the engine: a stock empty, and the
margin (days the stocks last a crew of max(aboard, 2)) below ``reserve_days`` with a crew
aboard. The ledger balances per item: start + accepted - consumed = end.
"""

from __future__ import annotations

import numpy as np

from rossim.ops.engine import Crossing, Model

ITEMS = ("oxygen", "water", "food")


def module_volume_m3(config, catalog) -> float:
    """Pressurised volume of the modules of a configuration (m^3), without visiting ships."""
    return float(sum(catalog.modules[m].pressurised_volume_m3.value for m in config.modules))
DAY_S = 86400


class ConsumablesModel(Model):
    name = "consumables"
    reads = ("crew_aboard",)
    writes = ("oxygen_kg", "water_kg", "food_kg", "margin_days")

    def __init__(self, sim):
        ls = sim.systems.life_support
        self.ls = ls
        self.stock = {"oxygen": ls.initial_oxygen_kg.value, "water": ls.initial_water_kg.value,
                      "food": ls.initial_food_kg.value}
        self.per_crew_day = {
            "oxygen": ls.oxygen_kg_per_crew_day.value * (1.0 - ls.oxygen_generation_fraction.value),
            "water": ls.water_kg_per_crew_day.value * (1.0 - ls.water_recovery.value),
            "food": ls.food_kg_per_crew_day.value,
        }
        self.ledger = {i: {"start_kg": self.stock[i], "accepted_kg": 0.0, "consumed_kg": 0.0,
                           "shortfall_kg": 0.0, "not_stowed_kg": 0.0} for i in ITEMS}
        midnight = sim.engine.t_ref.astype("datetime64[D]").astype("datetime64[us]")
        self.day0_s = int((midnight - sim.engine.t_ref) / np.timedelta64(1, "s"))
        self.empty = {i: False for i in ITEMS}
        self.low = False
        self.pending = None
        self.rows: dict[str, list] = {k: [] for k in (
            "t_s", "oxygen_kg", "water_kg", "food_kg", "crew", "margin_days", "shortfall_kg")}
        self._short_today = 0.0

    def stowage_kg(self, sim) -> float:
        """Stowage of the modules attached (kg); visiting ships' volume does not count."""
        return self.ls.stowage_kg_per_pressurised_m3.value * module_volume_m3(
            sim.config, sim.timeline.catalog)

    def margin_days(self, stock: dict[str, float], crew: float) -> float:
        ref = max(crew, 2.0)
        return min(stock[i] / (ref * self.per_crew_day[i]) for i in ITEMS)

    def deliver(self, sim, oxygen: float, water: float, food: float) -> dict[str, float]:
        """Stow a delivery; returns what did not fit per item (kg). With too little room the
        items are stowed to equal days of supply (the scarcest first), as a loadmaster would."""
        offered = {"oxygen": oxygen, "water": water, "food": food}
        room = max(self.stowage_kg(sim) - sum(self.stock.values()), 0.0)
        if sum(offered.values()) <= room:
            take = dict(offered)
        else:
            rate = {i: self.per_crew_day[i] for i in ITEMS}

            def taken(days: float) -> dict[str, float]:
                return {i: min(offered[i], max(days * rate[i] - self.stock[i], 0.0))
                        for i in ITEMS}

            lo, hi = 0.0, 1e6
            for _ in range(80):  # days of supply D such that what is taken fills the room
                mid = 0.5 * (lo + hi)
                if sum(taken(mid).values()) <= room:
                    lo = mid
                else:
                    hi = mid
            take = taken(lo)
        left = {}
        for i in ITEMS:
            self.stock[i] += take[i]
            self.ledger[i]["accepted_kg"] += take[i]
            self.ledger[i]["not_stowed_kg"] += offered[i] - take[i]
            left[i] = offered[i] - take[i]
            if self.stock[i] > 0:
                self.empty[i] = False
        if self.margin_days(self.stock, sim.config.crew_aboard) >= self.ls.reserve_days.value:
            self.low = False
        return left

    def describe_stocks(self, crew: float) -> str:
        return (", ".join(f"{i} {self.stock[i]:.0f} kg" for i in ITEMS)
                + f": {self.margin_days(self.stock, crew):.0f} days for {max(crew, 2):g} crew")

    def propose(self, sim, t0: int, t1: int) -> Crossing | None:
        crew = float(sim.config.crew_aboard)
        rate = {i: crew * self.per_crew_day[i] / DAY_S for i in ITEMS}  # kg/s
        cross = None
        for i in ITEMS:
            if rate[i] > 0 and not self.empty[i]:
                t_empty = t0 + self.stock[i] / rate[i]
                if t_empty <= t1:
                    t_c = int(np.ceil(t_empty / sim.engine.step_s) * sim.engine.step_s)
                    t_c = max(min(t_c, t1), t0 + sim.engine.step_s)
                    if cross is None or t_c < cross.t_s:
                        cross = Crossing(t_c, self.name, f"{i}-empty", 0.0)
        if crew > 0 and not self.low:
            ref = max(crew, 2.0)
            reserve = self.ls.reserve_days.value
            # margin(t) = min_i (stock_i - rate_i (t - t0)) / (ref * per_day_i)
            t_low = min(t0 + (self.stock[i] - reserve * ref * self.per_crew_day[i]) / rate[i]
                        for i in ITEMS if rate[i] > 0)
            if t_low <= t1:
                t_c = int(np.ceil(max(t_low, t0 + 1) / sim.engine.step_s) * sim.engine.step_s)
                t_c = min(t_c, t1)
                if cross is None or t_c < cross.t_s:
                    cross = Crossing(t_c, self.name, "consumables-low", 0.0)
        self.pending = (crew, rate)
        return cross

    def commit(self, sim, t0: int, t1: int) -> None:
        crew, rate = self.pending
        # daily samples at UTC midnights inside [t0, t1)
        k0 = -(-(t0 - self.day0_s) // DAY_S)
        days = self.day0_s + DAY_S * np.arange(k0, -(-(t1 - self.day0_s) // DAY_S))
        for t in days:
            st = {i: max(self.stock[i] - rate[i] * (t - t0), 0.0) for i in ITEMS}
            self.rows["t_s"].append(float(t))
            for i in ITEMS:
                self.rows[f"{i}_kg"].append(st[i])
            self.rows["crew"].append(crew)
            self.rows["margin_days"].append(self.margin_days(st, crew))
            self.rows["shortfall_kg"].append(self._short_today)
            self._short_today = 0.0
        dt_s = t1 - t0
        for i in ITEMS:
            want = rate[i] * dt_s
            got = min(want, self.stock[i])
            self.stock[i] -= got
            self.ledger[i]["consumed_kg"] += got
            self.ledger[i]["shortfall_kg"] += want - got
            self._short_today += want - got
            if self.stock[i] <= 1e-9 and rate[i] > 0:
                self.stock[i] = 0.0
                self.empty[i] = True
        if crew > 0 and self.margin_days(self.stock, crew) <= self.ls.reserve_days.value + 1e-9:
            self.low = True

    def ledger_balance_kg(self) -> float:
        """Largest |start + accepted - consumed - end| over the items (kg)."""
        return max(abs(L["start_kg"] + L["accepted_kg"] - L["consumed_kg"] - self.stock[i])
                   for i, L in self.ledger.items())

    def history(self, sim):
        from rossim.systems.consumables import Consumables

        r = self.rows
        t = sim.engine.epochs(np.array(r["t_s"])).astype("datetime64[D]")
        return Consumables(t, np.array(r["oxygen_kg"]), np.array(r["water_kg"]),
                           np.array(r["food_kg"]), np.array(r["crew"]),
                           np.array(r["margin_days"]), np.array(r["shortfall_kg"]))
