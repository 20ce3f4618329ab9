"""Life-support consumables: oxygen, water and food stocks, per day.

Use per crew-day from the systems catalog (NASA BVAD figures), with water recovery and on-board
oxygen generation reducing what is drawn from the stocks; deliveries at each docking of a cargo
or crew vehicle (Progress manifest split: oxygen and air, water, food as a share of the dry
cargo; a crew ship's cargo counted as food and water). Stocks never go negative: a shortfall is
recorded, and the margin is expressed in days of the crew aboard (or of the next crew).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rossim.config.systems import LifeSupportParams


@dataclass
class Consumables:
    """Daily stocks (kg) and margins."""

    days: np.ndarray             # datetime64[D]
    oxygen_kg: np.ndarray
    water_kg: np.ndarray
    food_kg: np.ndarray
    crew: np.ndarray             # crew aboard (mean over the day)
    margin_days: np.ndarray      # days the stocks last for a crew of max(crew, 2)
    shortfall_kg: np.ndarray     # demand not met that day (all three summed)


def simulate_consumables(days: np.ndarray, crew_per_day: np.ndarray,
                         deliveries: dict[str, np.ndarray], ls: LifeSupportParams) -> Consumables:
    """Step the stocks over ``days`` given the mean crew aboard each day and the daily
    deliveries (kg) per item (keys ``oxygen``, ``water``, ``food``)."""
    n = len(days)
    net = ls.net_kg_per_crew_day()
    use = {i: crew_per_day * net[i] for i in ("oxygen", "water", "food")}
    start = {"oxygen": ls.initial_oxygen_kg.value, "water": ls.initial_water_kg.value,
             "food": ls.initial_food_kg.value}
    out = {}
    shortfall = np.zeros(n)
    for item in ("oxygen", "water", "food"):
        stock = np.empty(n)
        s = start[item]
        d = deliveries[item]
        u = use[item]
        for k in range(n):  # daily, ~3,000 steps: a clipped running sum
            s += d[k] - u[k]
            if s < 0.0:
                shortfall[k] += -s
                s = 0.0
            stock[k] = s
        out[item] = stock
    ref_crew = np.maximum(crew_per_day, 2.0)
    per_day = ref_crew * np.array([[net["oxygen"]], [net["water"]], [net["food"]]])
    margins = np.stack([out["oxygen"], out["water"], out["food"]]) / per_day
    return Consumables(days, out["oxygen"], out["water"], out["food"], crew_per_day,
                       margins.min(axis=0), shortfall)
