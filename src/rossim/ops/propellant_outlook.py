"""When the station's propellant would reach the call-up reserve, with reboosts paid in lumps
(:class:`PropellantOutlook`, the forecast of the monthly propellant re-check,
:meth:`rossim.ops.cargo_callup.CargoCallUp.check_propellant`).

The station does not pay its drag make-up day by day: it decays through its altitude band and
the reboost at the band floor (:mod:`rossim.ops.autonomy`) raises it back to the top, one lump
of propellant every few months. Just after a reboost the altitude above the floor is drag
make-up already paid for. A forecast that draws the next months' drag from the tanks as a
steady rate, from a stock the reboost has just lowered, pays that drag twice (and a year's
rate that ends with the reboost just flown counts it once more): in the 200-run campaign of
2026-11-30 (docs/campaigns.md) the six propellant call-ups of runs 6 and 158 each came within a
month after a reboost, and with them suppressed those runs kept at least 349 kg above the
de-orbit reserve (above the 300 kg call-up reserve) until each next ship
(``tools/callup_rerun.py``).

The outlook, on a daily grid from now to the next ship with propellant: the tanks above the
de-orbit reserve, drawn

* steadily by the other uses (attitude control, debris avoidance, leaks; the run's own record
  also holds phasing, less the excess of safe mode's thrusters over the velocity attitude:
  ledger ``attitude_in_safe_mode_kg``, a past fault's, not a rate),
* in safe mode, by its thrusters' attitude control above the velocity attitude's until the
  repairs booked for the faults that hold it end (:meth:`PropellantOutlook.safe_mode_kg`;
  through the horizon when one has none booked): the plan's forecast knows the plan's
  attitude modes only, and
* for the drag make-up, by whole reboosts of ``band_kg`` (band floor to top at the current
  mass, rocket equation at the station's Isp): the first when the drag since now has used the
  altitude now above the floor (``bank_kg``, the same rocket equation), the next each
  ``band_kg`` of drag later.

Drag and other uses come from the planner's forecast for the plan as it stands
(:func:`rossim.station.propellant_forecast.propellant_forecast_parts`: the run's Cd,
atmosphere model and solar cycle, the altitude band, the sun-biased days) or from the run's own use over the last year (ledger ``burned_reboost_kg`` and the
rest), each times ``logistics.propellant_forecast_margin`` (the forecast's already is); the
earlier shortfall counts, as before. Pure arithmetic on the engine's clock (no random draw).
"""

from __future__ import annotations

import re

import numpy as np

from rossim.station.launch import hohmann_dv
from rossim.systems.propulsion import propellant_for_dv

__all__ = ["PropellantOutlook", "reboost_lumps_kg", "shortfall_s"]

DAY_S = 86400
#: Window of the run's own propellant use (days): a year, since reboosts come in lumps months
#: apart; used once ``MEASURED_MIN_DAYS`` are in.
MEASURED_WINDOW_DAYS = 365
MEASURED_MIN_DAYS = 300


def reboost_lumps_kg(altitude_km: float, floor_km: float, top_km: float, mass_kg: float,
                     isp_s: float) -> tuple[float, float]:
    """``(bank_kg, band_kg)``: propellant (kg) a Hohmann reboost from the band floor
    ``floor_km`` to the current altitude ``altitude_km`` takes (drag make-up already paid) and
    one from the floor to the top ``top_km`` (one reboost), for a station of ``mass_kg`` at
    ``isp_s`` (Tsiolkovsky, :func:`rossim.systems.propulsion.propellant_for_dv`). Below the
    floor ``bank_kg`` is negative: minus the propellant from the altitude up to the floor, which
    the reboost now owed pays on top of one band (a station that safe mode or a refusal held
    under its floor: campaign run 45, :mod:`rossim.ops.partial_reboost`)."""
    band = float(propellant_for_dv(mass_kg, hohmann_dv(floor_km, top_km), isp_s)) \
        if top_km > floor_km else 0.0
    if altitude_km < floor_km:
        return -float(propellant_for_dv(mass_kg, hohmann_dv(altitude_km, floor_km), isp_s)), band
    bank = float(propellant_for_dv(mass_kg, hohmann_dv(floor_km, altitude_km), isp_s)) \
        if altitude_km > floor_km else 0.0
    return min(bank, band), band


def shortfall_s(t_s: np.ndarray, avail_kg: float, reserve_kg: float, other_kg: np.ndarray,
                drag_kg: np.ndarray, bank_kg: float, band_kg: float,
                gains: list[tuple[float, float]] | None = None,
                room_kg: float = float("inf"), reserves=None) -> float:
    """First time of ``t_s`` (run seconds, shape ``(n,)``, ``t_s[0]`` now) at which the tanks
    above the de-orbit reserve (``avail_kg`` now) are below ``reserve_kg`` (kg); inf if at none.
    ``other_kg`` and ``drag_kg`` (shape ``(n,)``, 0 at now): the steady uses and the drag
    make-up since now (kg); the drag is paid in whole reboosts of ``band_kg`` once it exceeds
    ``bank_kg`` (module docstring; ``band_kg`` 0: paid as it comes); a negative ``bank_kg``
    (below the floor: :func:`reboost_lumps_kg`) is a reboost owed now, of one band and
    ``-bank_kg``, at the grid's first time. ``gains``: ``(run s,
    kg)`` of propellant brought into the tanks (from the first time of ``t_s`` at or after
    it), each no more than their room then: ``room_kg`` now, plus the use since now, less the
    earlier gains. ``reserves``: a :class:`rossim.station.reboost_reserves.ReboostReserves`
    on the grid's indices (the Progress reserves aboard each day), which pay each reboost
    first, as the run's reboosts burn them; None: none."""
    drag = np.maximum(np.asarray(drag_kg, float) - max(bank_kg, 0.0), 0.0)
    paid = np.ceil(drag / band_kg - 1e-9) * band_kg if band_kg > 0 else drag
    if bank_kg < 0.0:    # below the floor: the reboost owed flies now
        paid = np.maximum(paid, band_kg) - bank_kg
    if reserves is not None and reserves.ships:
        step = np.diff(paid, prepend=0.0)
        for i in np.flatnonzero(step > 0):
            step[i] -= reserves.burn_day(int(i), float(step[i]))
        paid = np.cumsum(step)
    use = np.asarray(other_kg, float) + paid
    tank = avail_kg - use
    got = 0.0
    for t_g, kg in sorted(gains or ()):
        i = int(np.searchsorted(t_s, t_g))
        if i < len(t_s):
            moved = min(kg, max(room_kg + use[i] - got, 0.0))
            got += moved
            tank[i:] += moved
    below = np.flatnonzero(tank < reserve_kg)
    return float(t_s[below[0]]) if below.size else float("inf")


class PropellantOutlook:
    """The re-check's forecast for the run ``sim`` (a :class:`~rossim.ops.simulation.
    Simulation` with an orbit model): :meth:`record` at each check, :meth:`shortfall_s`."""

    def __init__(self, sim) -> None:
        self.sim = sim
        # (run s, burned, of it reboosts, of it attitude in safe mode)
        self.history: list[tuple[int, float, float, float]] = []
        self._table = None

    def record(self, now_s: int) -> None:
        """The ledger's burned propellant (all, reboosts) at run second ``now_s``."""
        led = self.sim.orbit.ledger
        if self.history and self.history[-1][0] == now_s:   # re-checked at once (a top-up)
            return
        self.history.append((now_s, led["burned_kg"], led["burned_reboost_kg"],
                             led.get("attitude_in_safe_mode_kg", 0.0)))

    def _forecast(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Run seconds of the forecast's days and its cumulative other and drag use (kg)."""
        from rossim.station.propellant_forecast import propellant_forecast_parts

        sim = self.sim
        if self._table is None or self._table[0] is not sim.timeline:
            days, total, drag = propellant_forecast_parts(sim.timeline, sim.systems)
            t = np.array([sim.engine.seconds(d) for d in days], float)
            self._table = (sim.timeline, t, np.cumsum(total - drag), np.cumsum(drag))
        return self._table[1:]

    def other_use_kg(self, now_s: float, until_s: float) -> float:
        """The planner's forecast of the uses other than drag make-up (attitude control,
        debris avoidance, phasing, leaks; kg, ``logistics.propellant_forecast_margin``
        included) from run second ``now_s`` to ``until_s``, and a safe mode in force until its
        repairs (:meth:`safe_mode_kg`): what a reboost short of the band's top leaves in the
        tanks (:mod:`rossim.ops.partial_reboost`)."""
        if until_s <= now_s:
            return 0.0
        t, other, _drag = self._forecast()
        plan = float(np.interp(until_s, t, other, left=0.0)
                     - np.interp(now_s, t, other, left=0.0)) if len(t) else 0.0
        grid = np.append(np.arange(now_s, until_s, DAY_S, dtype=float), float(until_s))
        return plan + float(self.safe_mode_kg(grid)[-1])

    def safe_mode_end_s(self) -> float | None:
        """Run second safe mode is expected to end at: the latest end of the repairs booked
        for the faults that hold it (:attr:`rossim.ops.autonomy.Autonomy.safe_causes`), or
        of the ground's decision to operate without redundancy when that comes first
        (:func:`rossim.ops.single_string.due_s`, the decision's contact not counted);
        None when not in safe mode; inf when a cause has neither (waiting for a
        spare, a crew not yet planned, a commanded or battery safe mode)."""
        from rossim.ops.single_string import due_s

        sim = self.sim
        if not sim.state.safe_mode:
            return None
        end = float(sim.engine.now_s)
        tasks = getattr(getattr(sim, "scheduler", None), "tasks", ())
        for cause in sim.autonomy.safe_causes:
            m = re.match(r"fault #(\d+)", cause)
            if m is None:
                return float("inf")
            fid = int(m.group(1))
            ends = [float(sim.engine.seconds(t.end)) for t in tasks
                    if t.fault_id == fid and t.end is not None]
            if (accept := due_s(sim, fid)) is not None:
                ends = [min([*ends, float(accept)])]
            if not ends:
                return float("inf")
            end = max(end, max(ends))
        return end

    def safe_mode_kg(self, grid: np.ndarray) -> np.ndarray:
        """The propellant (kg, cumulative on the daily ``grid`` of run s from now) that safe
        mode's attitude control on thrusters alone burns above the velocity attitude's
        (``propulsion.attitude_kg_per_day_per_100t`` at the mass now) until
        :meth:`safe_mode_end_s` (through the grid when its end is not known); zeros out of
        safe mode and in a free drift (no control computer fires the thrusters:
        :mod:`rossim.ops.free_drift`). The planner's forecast knows the plan's attitude modes
        only: a safe mode the re-check finds was not forecast (campaign run 45:
        docs/campaign-history.md). No margin: a safe mode in force and its repairs are known
        (the forecast's margin is for what no forecast sees); the excess is over the velocity
        attitude also on sun-biased days (7.2 against the 6.0 kg a day per 100 t above the
        sun-biased attitude's 2.0: a fifth too much on those days)."""
        from rossim.ops import free_drift

        end = self.safe_mode_end_s()
        if end is None or grid.size == 0 or free_drift.drifting(self.sim):
            return np.zeros(grid.size)
        rate = self.sim.orbit.prop.attitude_kg_per_day_per_100t
        per_day = max(rate.get("safe-mode", 0.0) - rate.get("velocity", 0.0), 0.0) \
            * self.sim.station_mass.mass_kg() / 1e5
        return per_day * np.clip(grid - grid[0], 0.0, max(end - grid[0], 0.0)) / DAY_S

    def _reboosts(self, since_s: float) -> list[tuple[float, float]]:
        """``(run s, kg)`` of the station's reboosts since run second ``since_s``."""
        eng = self.sim.engine
        out = [(float((b.time - eng.t_ref) / np.timedelta64(1, "s")), b.propellant_kg)
               for b in self.sim.orbit.burns if b.source != "host"]
        return [x for x in out if x[0] >= since_s and x[1] > 0]

    def _reserves_book(self, grid: np.ndarray):
        """The Progress reserves aboard on each day of the daily ``grid`` (run s), to pay the
        forecast's reboosts first (:mod:`rossim.station.reboost_reserves`): those docked now
        (what is left of each, until its planned undocking) and those of the Progress ships
        the plan docks later (``propulsion.progress_reboost_kg`` each, docking to
        undocking). Blind to them, the re-check topped up ships for tanks the reserves were
        keeping full."""
        from rossim.station.reboost_reserves import ReboostReserves

        sim = self.sim
        orbit, tl, eng = sim.orbit, sim.timeline, sim.engine
        book = ReboostReserves(orbit.prop.progress_reboost_kg.value, np.zeros(grid.size))
        if grid.size == 0:
            return book
        now_s = float(grid[0])

        def day(t) -> int:
            return int((eng.seconds(t) - now_s) // DAY_S)

        from rossim.ops.propellant_sources import next_undocks, reboost_reserves
        from rossim.station.reboost_reserves import reboost_port

        leaves = {k: day(t) for k, t in next_undocks(tl.events, sim.now).items()}
        for name, kg in reboost_reserves(sim, orbit.reserves).items():   # at a fore/aft port
            book.ships[("aboard", name)] = [0.0, float(leaves.get(name, grid.size)), kg]
        for e in tl.events:
            if (e.part_kind == "vehicle" and e.kind == "dock" and not e.relocation
                    and e.catalog_id.startswith("progress") and e.part not in orbit.reserves
                    and reboost_port(tl, e.port, e.time)
                    and now_s < eng.seconds(e.time) < float(grid[-1]) + DAY_S):
                book.plan(("plan", e.part), day(e.time) + 1, leaves.get(e.part, grid.size))
        return book

    def shortfall_s(self, now_s: int, until_s: int, avail_kg: float, reserve_kg: float,
                    margin: float, gains: list[tuple[float, float]] | None = None) -> float:
        """Run second (inf: none before ``until_s``) at which the tanks above the de-orbit
        reserve (``avail_kg`` now) fall below ``reserve_kg`` by the planner's forecast or the
        run's own last year times ``margin``, whichever comes sooner (module docstring).
        ``gains``: ``(run s, kg)`` of propellant that enters the tanks before ``until_s`` (a
        climber's leftover, a topped-up Progress: :func:`rossim.ops.propellant_topup.
        inflows`), each limited to the tanks' room then by the same forecast."""
        orbit, sim = self.sim.orbit, self.sim
        if avail_kg < reserve_kg:
            return float(now_s)
        grid = np.arange(now_s, until_s, DAY_S, dtype=float)
        if grid.size == 0:
            return float("inf")
        room = max(orbit.prop.station_tank_kg.value - orbit.tank_kg, 0.0)
        bank, band = reboost_lumps_kg(orbit.altitude_m / 1e3, orbit.low_m / 1e3,
                                      orbit.high_m / 1e3, sim.station_mass.mass_kg(),
                                      orbit.prop.station_isp_s.value)
        t, other, drag = self._forecast()
        safe = self.safe_mode_kg(grid)     # a safe mode now: its thrusters until its repairs
        best = float("inf")
        if len(t):
            def since(cum):
                return np.interp(grid, t, cum, left=0.0) - np.interp(now_s, t, cum, left=0.0)

            best = shortfall_s(grid, avail_kg, reserve_kg, since(other) + safe, since(drag),
                               bank, band, gains, room, self._reserves_book(grid))
        past = [h for h in self.history if h[0] >= now_s - MEASURED_WINDOW_DAYS * DAY_S]
        if len(past) >= 2 and past[-1][0] - past[0][0] >= MEASURED_MIN_DAYS * DAY_S:
            span = past[-1][0] - past[0][0]
            reboost = (past[-1][2] - past[0][2]) / span * margin
            # safe mode's thrusters above the velocity attitude's are a fault's, not a rate to
            # carry forward (one now is counted until its repairs: safe_mode_kg)
            rate = orbit.prop.attitude_kg_per_day_per_100t
            safe_rate = rate.get("safe-mode", 0.0)
            excess = (max(safe_rate - rate.get("velocity", 0.0), 0.0) / safe_rate
                      if safe_rate > 0 else 0.0) * (past[-1][3] - past[0][3])
            rest = (past[-1][1] - past[0][1] - excess) / span * margin - reboost
            lumps = self._reboosts(past[0][0])
            if len(lumps) >= 2 and lumps[-1][0] > lumps[0][0]:   # two burns at one second: no rate
                # each reboost pays the decay since the one before: the drag make-up rate is
                # the reboosts after the window's first over the time between first and last
                # (the one just flown is the altitude now above the floor, not a rate too)
                reboost = sum(kg for _t, kg in lumps[1:]) / (lumps[-1][0] - lumps[0][0]) \
                    * margin
            if reboost + rest > 0:
                dt_s = grid - now_s
                best = min(best, shortfall_s(grid, avail_kg, reserve_kg,
                                             max(rest, 0.0) * dt_s + safe,
                                             max(reboost, 0.0) * dt_s,
                                             bank, band, gains, room,
                                             self._reserves_book(grid)))
        return best
