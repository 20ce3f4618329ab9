"""What a crew ship brings to the stores: its own visit's food and water, and the top-up of
those stocks to the reserve, up to the ship's cargo capacity.

A crew ship (Soyuz MS, Orel) carries its crew's provisions for the visit and whatever the
stocks lack to stand at the reserve (``life_support.reserve_days`` of use for a crew of
max(visit crew, 2), the margin of the run's consumables alarm); the rest of its cargo
capacity is other cargo (experiments, personal items) or unused, not phantom food. One rule
for the cargo-by-demand planner (:func:`rossim.station.logistics.plan_cargo`, on its forecast
stocks) and the run (:func:`rossim.ops.logistics.crew_ship_cargo`, on the stocks aboard at
docking). Oxygen is not carried (the station's generator and the cargo ships' tanks).
"""

from __future__ import annotations

__all__ = ["crew_ship_manifest"]

CREW_SHIP_ITEMS = ("water", "food")
#: The top-up aims a tenth above the reserve, as the planner's cargo ships
#: (:func:`rossim.station.logistics.plan_cargo`), so the stock at the visit's end stays
#: above the run's consumables-low threshold instead of touching it.
RESERVE_MARGIN = 1.1


def crew_ship_manifest(cargo_kg: float, crew: int, duration_days: float,
                       per_crew_day_kg: dict[str, float], stock_kg: dict[str, float],
                       reserve_days: float) -> dict[str, float]:
    """Water and food (kg) a crew ship of ``cargo_kg`` capacity brings for a visit of ``crew``
    people over ``duration_days``: the visit's use (``per_crew_day_kg`` net per crew-day) plus
    what the stocks ``stock_kg`` lack to stand at ``reserve_days`` of use for max(crew, 2)
    (times :data:`RESERVE_MARGIN`);
    scaled down in proportion when that exceeds ``cargo_kg``. Never negative."""
    ref = max(crew, 2)
    want = {i: max(crew * duration_days * per_crew_day_kg[i], 0.0)
            + max(RESERVE_MARGIN * reserve_days * ref * per_crew_day_kg[i]
                  - stock_kg.get(i, 0.0), 0.0)
            for i in CREW_SHIP_ITEMS}
    total = sum(want.values())
    cap = max(cargo_kg, 0.0)
    if total <= cap or total <= 0.0:
        return want
    return {i: v * cap / total for i, v in want.items()}
