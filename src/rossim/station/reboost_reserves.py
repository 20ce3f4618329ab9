"""The docked Progress ships' reboost reserves as the cargo planner sees them.

In the run (:meth:`rossim.ops.orbit_keeping.OrbitModel.burn`) every reboost burns the docked
Progress reserves first (``propulsion.progress_reboost_kg`` each, the ship that leaves first
first: :mod:`rossim.ops.propellant_sources`), then the station's tanks; attitude, leaks and
debris avoidance draw the tanks first. The planner (:func:`rossim.station.logistics.plan_cargo`)
forecast the drag make-up from the tanks alone, so the tanks stood near full at every docking
and the planned propellant went back unused with the ships (ros-97: 5.3 t not transferred,
the tanks at 3.8-3.95 t of 4 t at each Progress docking). This book lets the drag make-up of
each day come out of the reserves aboard that day, as the run's reboosts do on average.
"""

from __future__ import annotations

import numpy as np

from rossim.station.configuration import along_flight

__all__ = ["ReboostReserves", "reboost_port"]


def reboost_port(timeline, port: str, t) -> bool:
    """True when a ship docked at ``port`` (``"module.port"``) at ``t`` (UTC) can reboost:
    the port lies along the flight axis of the plan's attitude in the configuration of
    ``timeline`` (:func:`rossim.station.build_timeline`) at ``t``
    (:func:`rossim.station.configuration.along_flight`)."""
    return along_flight(timeline.at(t), port, timeline.scenario.orbit.attitude)


class ReboostReserves:
    """Reserves of ``kg_per_ship`` (kg) held by ships docked from day index ``start`` to
    ``end`` (inclusive), drawn by the daily drag make-up ``drag_kg_day`` (kg per day of the
    planner's grid, its forecast margin included)."""

    def __init__(self, kg_per_ship: float, drag_kg_day: np.ndarray) -> None:
        self.kg = float(kg_per_ship)
        self.drag = np.asarray(drag_kg_day, dtype=float)
        self.ships: dict[object, list[float]] = {}   # key -> [start, end, kg left]

    def plan(self, key: object, start: int, end: int) -> None:
        """A ship ``key`` docked on day ``start`` until day ``end``, its reserve full."""
        self.ships[key] = [float(start), float(end), self.kg]

    def leave(self, key: object, day: int) -> None:
        """Ship ``key`` leaves on ``day`` (its stay shortened)."""
        if key in self.ships:
            self.ships[key][1] = min(self.ships[key][1], float(day))

    def burn_day(self, day: int, need_kg: float | None = None) -> float:
        """Draw day ``day``'s drag make-up (or ``need_kg``: a whole reboost flown that day)
        from the reserves aboard (the ship that leaves first first); returns the kg they
        covered (the rest comes from the tanks)."""
        if need_kg is not None:
            need = float(need_kg)
        else:
            need = float(self.drag[day]) if day < self.drag.size else 0.0
        got = 0.0
        for s in sorted((s for s in self.ships.values() if s[0] <= day <= s[1] and s[2] > 0),
                        key=lambda s: s[1]):
            if need - got <= 0.0:
                break
            t = min(need - got, s[2])
            s[2] -= t
            got += t
        return got

    def cover_kg(self, k0: int, k1: int, extra: tuple[tuple[int, int, float], ...] = ()
                 ) -> float:
        """The drag make-up of days ``k0 .. k1 - 1`` the reserves aboard (and ``extra``
        ``(start, end, kg)`` ships) would cover, drawn day by day as :meth:`burn_day`
        draws them; no state changes."""
        k1 = min(k1, self.drag.size)
        ships = [[s0, s1, kg] for s0, s1, kg in
                 [tuple(s) for s in self.ships.values()] + list(extra)
                 if kg > 0 and s1 >= k0 and s0 < k1]
        if not ships:
            return 0.0
        ships.sort(key=lambda s: s[1])
        total = 0.0
        for day in range(max(k0, 0), k1):
            need = float(self.drag[day])
            for s in ships:
                if need <= 0.0:
                    break
                if s[0] <= day <= s[1] and s[2] > 0:
                    t = min(need, s[2])
                    s[2] -= t
                    need -= t
                    total += t
        return total
