"""Life-support consumables: the engine's ``consumables`` model.

Stocks of oxygen, water and food (kg) fall at the use per crew-day of the systems catalog
(NASA BVAD figures) net of water recovery and on-board oxygen generation, with the crew aboard
(constant between dockings, which cut the spans). Deliveries come at each docking of a cargo
or crew vehicle (Progress manifest: oxygen and air, water, food as a share of the dry cargo; a
crew ship's: its visit's food and water and the top-up to the reserve,
:mod:`rossim.station.crew_cargo`; food eaten oldest first and discarded at its shelf life)
and are limited by the stowage the station has
(``life_support.stowage_kg_per_pressurised_m3`` x the pressurised volume): what does not fit
stays aboard the ship and leaves with it, in the ledger. Stocks never go negative: unmet
demand is a shortfall. Threshold crossings reported to the engine: a stock empty, and the
margin (days the stocks last a crew of max(aboard, 2)) below ``reserve_days`` with a crew
aboard (a warning), and below ``critical_reserve_days`` (a critical alarm: the margin kept
falling after the first); both re-arm once a delivery brings the margin back above the reserve. The ledger balances per item: start + accepted - consumed = end.
"""

from __future__ import annotations

import math

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
        self.per_crew_day = ls.net_kg_per_crew_day()   # incl. the generator's water
        self.ledger = {i: {"start_kg": self.stock[i], "accepted_kg": 0.0, "consumed_kg": 0.0,
                           "shortfall_kg": 0.0, "not_stowed_kg": 0.0} for i in ITEMS}
        midnight = sim.engine.t_ref.astype("datetime64[D]").astype("datetime64[us]")
        self.day0_s = int((midnight - sim.engine.t_ref) / np.timedelta64(1, "s"))
        self.empty = {i: False for i in ITEMS}
        self.low = False
        self.low_critical = False   # below life_support.critical_reserve_days
        # a crossing at the end of a stay was no alarm (rossim.ops.consumables_alarm): the
        # next crew to dock re-arms both levels
        self.rearm_at_next_crew = False
        self.pending = None
        self.rows: dict[str, list] = {k: [] for k in (
            "t_s", "oxygen_kg", "water_kg", "food_kg", "crew", "margin_days", "shortfall_kg")}
        self._short_today = 0.0
        # food lots, oldest first: [time delivered (s), kg], eaten first in first out, to
        # report food eaten past its shelf life (life_support.food_shelf_life_days)
        self.food_lots: list[list[float]] = [[0.0, self.stock["food"]]]
        self.shelf_life_days = (ls.food_shelf_life_days.value
                                if ls.food_shelf_life_days is not None else None)
        self.food_oldest_eaten_days = 0.0
        self.ledger["food"]["eaten_past_shelf_life_kg"] = 0.0
        self.ledger["food"]["oldest_eaten_days"] = 0.0
        self.ledger["food"]["discarded_kg"] = 0.0
        self._shelf_alarm = False

    def _discard_expired_food(self, sim, t_s: int, ahead_s: int = 0) -> None:
        """Food lots past their shelf life at ``t_s``, or reaching it before ``t_s +
        ahead_s`` (s), are discarded (ISS practice: expired food goes out with the trash),
        ledger ``discarded_kg``; one warning per run."""
        if self.shelf_life_days is None:
            return
        lots, shelf = self.food_lots, self.shelf_life_days
        while lots and ((t_s - lots[0][0]) / DAY_S >= shelf
                        or (t_s + ahead_s - lots[0][0]) / DAY_S > shelf):
            m = min(lots.pop(0)[1], self.stock["food"])
            self.stock["food"] -= m
            self.ledger["food"]["discarded_kg"] += m
            if not self._shelf_alarm and m > 0.5:
                self._shelf_alarm = True
                sim.event("food-past-shelf-life", "station", f"{m:.0f} kg of food past its "
                          f"shelf life of {self.shelf_life_days:.0f} days discarded",
                          "warning", source="autonomy", t_s=t_s)

    def _eat_food(self, sim, kg: float, t0: int, t1: int) -> None:
        """Take ``kg`` of food, eaten evenly over ``[t0, t1]`` (s), from the oldest lots;
        food older than its shelf life when its last kg is eaten is counted (ledger
        ``eaten_past_shelf_life_kg``) and raises one warning."""
        lots = self.food_lots
        total, done = kg, 0.0
        while kg > 1e-12 and lots:
            t_lot, m = lots[0]
            bite = min(m, kg)
            done += bite
            t_s = int(t0 + (t1 - t0) * min(done / total, 1.0))
            age = (t_s - t_lot) / DAY_S
            self.food_oldest_eaten_days = max(self.food_oldest_eaten_days, age)
            self.ledger["food"]["oldest_eaten_days"] = self.food_oldest_eaten_days
            if self.shelf_life_days is not None and age > self.shelf_life_days:
                self.ledger["food"]["eaten_past_shelf_life_kg"] += bite
            kg -= bite
            if bite >= m - 1e-12:
                lots.pop(0)
            else:
                lots[0][1] = m - bite

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
        spares = getattr(getattr(sim, "reliability", None), "spares", None)
        room = max(self.stowage_kg(sim) - sum(self.stock.values())
                   - (spares.mass_kg() if spares is not None else 0.0), 0.0)
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
            if i == "food" and take[i] > 0:
                self.food_lots.append([float(sim.engine.now_s), take[i]])
            self.ledger[i]["accepted_kg"] += take[i]
            self.ledger[i]["not_stowed_kg"] += offered[i] - take[i]
            left[i] = offered[i] - take[i]
            if self.stock[i] > 0:
                self.empty[i] = False
        if self.margin_days(self.stock, sim.config.crew_aboard) >= self.ls.reserve_days.value:
            self.low = self.low_critical = False
        return left

    def describe_stocks(self, crew: float) -> str:
        """The stocks and their margin, the margin rounded down to a tenth of a day (a margin
        just under a 45-day threshold read "45 days" in an alarm "below 45 days")."""
        days = math.floor(self.margin_days(self.stock, crew) * 10.0) / 10.0
        return (", ".join(f"{i} {self.stock[i]:.0f} kg" for i in ITEMS)
                + f": {days:.1f} days for {max(crew, 2):g} crew")

    def propose(self, sim, t0: int, t1: int) -> Crossing | None:
        crew = float(sim.config.crew_aboard)
        if self.rearm_at_next_crew and crew > 0 and self.pending is not None \
                and self.pending[0] <= 0:   # a crew docked after the waived crossing
            self.low = self.low_critical = self.rearm_at_next_crew = False
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
        crit = self.ls.critical_reserve_days
        for kind, days, done in (("consumables-low", self.ls.reserve_days.value, self.low),
                                 ("consumables-critical", crit.value if crit else None,
                                  self.low_critical)):
            if crew <= 0 or done or days is None:
                continue
            ref = max(crew, 2.0)
            # margin(t) = min_i (stock_i - rate_i (t - t0)) / (ref * per_day_i)
            t_low = min(t0 + (self.stock[i] - days * ref * self.per_crew_day[i]) / rate[i]
                        for i in ITEMS if rate[i] > 0)
            if t_low <= t1:
                t_c = int(np.ceil(max(t_low, t0 + 1) / sim.engine.step_s) * sim.engine.step_s)
                t_c = min(t_c, t1)
                if cross is None or t_c < cross.t_s:
                    cross = Crossing(t_c, self.name, kind, 0.0)
        if rate["food"] > 0 and self.shelf_life_days is not None and self.food_lots:
            # the oldest food reaches its shelf life: cut the span there, so it is discarded
            # (commit) and not eaten
            t_exp = self.food_lots[0][0] + self.shelf_life_days * DAY_S
            if t0 < t_exp <= t1:
                step = sim.engine.step_s
                t_c = min(max(int(t_exp // step * step), t0 + step), t1)
                if cross is None or t_c < cross.t_s:
                    cross = Crossing(t_c, self.name, "food-expiry", 0.0)
        self.pending = (crew, rate)
        return cross

    def settle(self, sim, t0: int) -> None:
        """Food past its shelf life at the span start is discarded before the span is
        proposed, so the proposal sees the lot next in line and cuts the span at its expiry
        (campaign run 71: the lot discarded at the start hid the next one's, 0.98 day later,
        and 3.6 kg were eaten past it). A lot reaching it within the first engine step is
        discarded now too: spans are cut on the step grid only, so it would be eaten for up
        to one step past its shelf life (crews discard food before the label's date)."""
        self._discard_expired_food(sim, t0, ahead_s=sim.engine.step_s)
        # a crew aboard with a stock already empty (it arrived to, or stayed with, nothing
        # left): it returns, as at the moment the stock ran out (Autonomy.crew_return)
        if sim.config.crew_aboard > 0:
            from rossim.ops.crew_return import station_decaying

            gone = [i for i in ITEMS if self.stock[i] <= 1e-6]   # the invariant's "empty"
            why = f"{', '.join(gone)} stock empty" if gone else station_decaying(sim)
            if why:
                sim.autonomy.crew_return(why)

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
            if i == "food":
                self._eat_food(sim, got, t0, t1)
            self.ledger[i]["consumed_kg"] += got
            self.ledger[i]["shortfall_kg"] += want - got
            self._short_today += want - got
            if self.stock[i] <= 1e-9 and rate[i] > 0:
                self.stock[i] = 0.0
                self.empty[i] = True
        if crew > 0 and self.margin_days(self.stock, crew) <= self.ls.reserve_days.value + 1e-9:
            self.low = True
        crit = self.ls.critical_reserve_days
        if crew > 0 and crit is not None \
                and self.margin_days(self.stock, crew) <= crit.value + 1e-9:
            self.low_critical = True

    def ledger_balance_kg(self) -> float:
        """Largest |start + accepted - consumed - end| over the items (kg)."""
        return max(abs(L["start_kg"] + L["accepted_kg"] - L["consumed_kg"]
                       - L.get("discarded_kg", 0.0) - self.stock[i])
                   for i, L in self.ledger.items())

    def history(self, sim):
        from rossim.systems.consumables import Consumables

        r = self.rows
        t = sim.engine.epochs(np.array(r["t_s"])).astype("datetime64[D]")
        return Consumables(t, np.array(r["oxygen_kg"]), np.array(r["water_kg"]),
                           np.array(r["food_kg"]), np.array(r["crew"]),
                           np.array(r["margin_days"]), np.array(r["shortfall_kg"]))


class Spares:
    """Spare units aboard per component type (``catalog/systems.toml``: ``spare_mass_kg``,
    ``spare_volume_m3``, ``initial_spares``), used by repairs (:mod:`rossim.ops.fdir`) and
    brought by cargo ships as the repairs need them.

    The stock starts at each type's ``initial_spares``. A repair takes one spare when it is
    booked; a failed unit without a spare waits (``waiting``) for the next cargo ship that
    carries one. The loadmaster (:meth:`pack`) fills a cargo ship's spares allowance (its dry
    cargo less the food share) first with the spares the waiting repairs need, then restocks
    each type to its initial level, within the station's stowage: an inside unit's spare
    counts its mass against the same stowage as the consumables (``room_kg``) and its volume
    against ``reliability.spares_stowage_m3_per_pressurised_m3`` x the pressurised volume;
    an outside unit's spare goes to external stowage. What does
    not fit is not loaded (an event says so). Ledger per type: start + delivered - used = end.
    """

    def __init__(self, systems):
        self.comps = {c.id: c for c in systems.component}
        self.rel = systems.reliability
        self.stock = {c.id: int(c.initial_spares.value) if c.initial_spares else 0
                      for c in systems.component}
        self.target = dict(self.stock)
        self.ledger = {i: {"start": n, "delivered": 0, "used": 0, "not_loaded": 0}
                       for i, n in self.stock.items()}
        self.waiting: list = []          # (fault, component) waiting for a spare, in order
        self.history: list[tuple[int, dict[str, int]]] = [(0, dict(self.stock))]

    def unit_mass_kg(self, cid: str) -> float:
        c = self.comps[cid]
        return c.spare_mass_kg.value if c.spare_mass_kg else 0.0

    def unit_volume_m3(self, cid: str) -> float:
        c = self.comps[cid]
        return c.spare_volume_m3.value if c.spare_volume_m3 else 0.0

    def inside(self, cid: str) -> bool:
        """Spares of inside units are stowed in the pressurised modules; those of outside
        units on external stowage (as the ISS's exterior ORUs), outside the stowage limit."""
        return self.comps[cid].location == "inside"

    def mass_kg(self) -> float:
        """Mass of the spares stowed inside (kg)."""
        return float(sum(n * self.unit_mass_kg(i) for i, n in self.stock.items()
                         if self.inside(i)))

    def volume_m3(self) -> float:
        """Stowage volume of the spares stowed inside (m^3)."""
        return float(sum(n * self.unit_volume_m3(i) for i, n in self.stock.items()
                         if self.inside(i)))

    def _record(self, t_s: int) -> None:
        if self.history and self.history[-1][0] == t_s:
            self.history[-1] = (t_s, dict(self.stock))
        else:
            self.history.append((t_s, dict(self.stock)))

    def take(self, cid: str, t_s: int) -> bool:
        """Take one spare of ``cid`` for a repair now; False if none is aboard."""
        if self.stock.get(cid, 0) <= 0:
            return False
        self.stock[cid] -= 1
        self.ledger[cid]["used"] += 1
        self._record(t_s)
        return True

    def needed(self) -> list[str]:
        """Spares wanted, in loading order: one per waiting repair, then the restock of each
        type to its initial level."""
        want: list[str] = [c.id for _f, c in self.waiting]
        short = {i: max(self.target[i] - self.stock[i], 0) for i in self.stock}
        for _f, c in self.waiting:
            short[c.id] = max(short[c.id] - 1, 0)
        for i, n in short.items():
            want += [i] * n
        return want

    def pack(self, t_s: int, allowance_kg: float, room_kg: float, room_m3: float
             ) -> tuple[dict[str, int], dict[str, int]]:
        """Load the spares a cargo ship brings (see the class docstring): returns
        ``(loaded, not_loaded)`` counts per type."""
        loaded: dict[str, int] = {}
        left: dict[str, int] = {}
        cap_kg = max(room_kg, 0.0)
        cap_m3 = max(room_m3, 0.0)
        for cid in self.needed():
            m, v = self.unit_mass_kg(cid), self.unit_volume_m3(cid)
            inside = self.inside(cid)
            fits = m <= allowance_kg + 1e-9 and (not inside or (
                m <= cap_kg + 1e-9 and v <= cap_m3 + 1e-9))
            if fits:
                allowance_kg -= m
                if inside:
                    cap_kg -= m
                    cap_m3 -= v
                loaded[cid] = loaded.get(cid, 0) + 1
                self.stock[cid] += 1
                self.ledger[cid]["delivered"] += 1
            else:
                left[cid] = left.get(cid, 0) + 1
                self.ledger[cid]["not_loaded"] += 1
        if loaded:
            self._record(t_s)
        return loaded, left

    def stowage_m3(self, volume_m3: float) -> float:
        """Volume set aside for spares in ``volume_m3`` of pressurised modules (m^3)."""
        return self.rel.spares_stowage_m3_per_pressurised_m3.value * volume_m3

    def daily(self, t_s: np.ndarray) -> dict[str, np.ndarray]:
        """Stock per type at the times ``t_s`` (s since the run's reference epoch): the
        archive's daily spares channels."""
        times = np.array([h[0] for h in self.history], dtype=float)
        k = np.clip(np.searchsorted(times, np.asarray(t_s, float), side="right") - 1, 0,
                    len(times) - 1)
        return {i: np.array([h[1][i] for h in self.history], dtype=float)[k]
                for i in self.stock}

    def balance(self) -> int:
        """Largest |start + delivered - used - end| over the types (units)."""
        return max((abs(L["start"] + L["delivered"] - L["used"] - self.stock[i])
                    for i, L in self.ledger.items()), default=0)
