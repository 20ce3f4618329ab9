"""A crew that cannot stay goes home: the ground undocks every crewed ship docked now.

Called by the autonomy when a stock of oxygen, water or food runs out with a crew aboard, and
by the life-support model at each span's start when a crew is aboard with a stock already
empty (it arrived to nothing) or with the station sunk ``autonomy.crew_return_below_floor_km``
below its band's floor (:func:`station_decaying`: no reboost for months, on its way down). No crew lives
aboard without oxygen, water or food: a run once kept four aboard for 212 days on empty
stocks, its outcome "completed" (the invariant ``crew_with_consumables`` now catches it).
"""

from __future__ import annotations

from typing import Any


def crew_return(sim: Any, cause: str) -> list[str]:
    """Undock every docked crewed visit now (ground ``undock`` commands) and raise one
    critical alarm naming ``cause``. Returns the ships that left; none when no crew is aboard
    or the run has no plan to edit (the reliability-only replay). A ship the plan cannot
    undock yet (it docked this instant, or less than its shortest stay ago) is tried again an
    hour later, until it leaves."""
    from rossim.ops.commands import Undock

    crew = sim.config.crew_aboard
    visits = getattr(sim, "_explicit_visits", None)
    if crew <= 0 or visits is None:
        return []
    # a visit without a name is docked as its part_name (vehicle@date)
    ships = [v.part_name for v in visits()["crew_visits"]
             if v.part_name in sim.config.vehicles and v.crew > 0]
    results = {n: sim.command(Undock(vehicle=n, source="ground")) for n in ships}
    left = [n for n, r in results.items() if r.accepted]
    if any(not r.accepted for r in results.values()):
        # a ship that docked this very instant, or sooner than the plan's shortest stay,
        # cannot leave yet: tried again an hour later (once: the retry retries itself)
        eng = sim.engine
        due = eng.now_s + max(3600, eng.step_s)
        if getattr(sim, "_crew_return_retry_s", None) != due:
            sim._crew_return_retry_s = due
            eng.schedule(due, lambda e: crew_return(sim, cause), "crew return")
    if left:
        sim.alarm("crew", f"crew returns early ({crew} aboard, in {', '.join(left)}): {cause}",
                  "critical", f"{cause}: no crew stays aboard without it; the ground undocks "
                  "the crew's ships", key="crew-return", repeat_after_s=3600)
    return left


def station_decaying(sim: Any) -> str | None:
    """Why a crew aboard must leave a station that decays, or None: the orbit
    ``autonomy.crew_return_below_floor_km`` or more below the band's floor (a crewed 250 km
    station once rode its refused reboosts down to re-entry with four aboard)."""
    orbit = getattr(sim, "orbit", None)
    if orbit is None or sim.config.crew_aboard <= 0:
        return None
    margin_m = sim.systems.autonomy.crew_return_below_floor_km.value * 1e3
    h = float(orbit.altitude_m)
    if h >= orbit.low_m - margin_m:
        return None
    return (f"station at {h / 1e3:.1f} km, {(orbit.low_m - h) / 1e3:.0f} km below its band's "
            f"floor {orbit.low_m / 1e3:g} km with no reboost: it decays")
