"""The station's altitude, node and propellant: the engine's ``orbit`` model.

Between events the semi-major axis follows the orbit-averaged decay
(:mod:`rossim.dynamics.decay`: ``da/dt = -F (Cd A/m) rho_avg sqrt(mu a)``, explicit midpoint,
hourly steps compiled with numba) with the ballistic coefficient of the configuration in force at the flown mass
and the scenario's space weather (daily orbit-averaged density at three trial altitudes across
the band, log-linear in between); the node regresses at the J2 secular rate. The model reports
two threshold crossings to the engine: the altitude at the band floor (the autonomy then plans
a reboost) and below 150 km (re-entry: the run ends there, a result, not an error).

Propellant: the station's tanks (``propulsion.station_tank_kg``) start with the de-orbit
reserve plus ``initial_working_propellant_kg`` (:func:`rossim.station.deorbit.
initial_propellant_kg`); each Progress transfers its ``station_propellant_kg`` on docking up
to the free tank volume (the rest stays aboard and leaves with it: the ledger records it) and
keeps its own reboost reserve while docked. A reboost (:meth:`OrbitModel.burn`, called by the
``reboost`` command) burns a docked Progress's reserve first, then the tanks, by the rocket
equation with the current flown mass (:mod:`rossim.ops.station_mass`: tanks, stores and
ships' unloading counted); while a host module is attached (the ISS, in the ISS-start
plan) the host programme reboosts (counted, not limited). The ledger
(:attr:`OrbitModel.ledger`) balances to the kilogram: start + delivered - burned - departed =
end, checked by the plausibility guard.

Every use has a cause (``burned_<cause>_kg`` in the ledger, summing to ``burned_kg``):
``reboost``; ``attitude`` (continuous, ``propulsion.attitude_kg_per_day_per_100t`` of the
attitude mode: velocity, sun-biased or safe mode, scaled with the station's mass);
``debris_avoidance`` (Poisson manoeuvres at ``debris_avoidance_per_year``, the ISS record, of
``debris_avoidance_dv_m_s`` each; their small altitude effect is not modelled: the manoeuvre
and its later correction cancel); ``phasing`` (``phasing_dv_m_s_per_arrival`` for every ship
that docks); ``leak`` (``leak_kg_per_year``). A de-orbit reserve
(Mir's precedent at the plan's largest stack, :func:`rossim.station.deorbit.deorbit_reserve_kg`;
``propulsion.deorbit_reserve_kg`` the floor) is held in the tanks from the start: reboosts
never use it;
attitude control may, as a last resort, and that is an alarm. Uses the propellant aboard
cannot cover are ``unmet_kg`` (outside the balance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from rossim.dynamics.decay import (
    MU_EARTH_M3_S2,
    R_EQ_M,
    nodal_rate_rad_s,
    orbit_average_density,
    rotation_factor,
)
from rossim.ops import free_drift
from rossim.ops.engine import Crossing, Model
from rossim.ops.propellant_sources import reboost_parts, reboost_sources, reserves_by_departure
from rossim.station.deorbit import deorbit_reserve_kg, initial_propellant_kg
from rossim.station.launch import hohmann_dv
from rossim.station.propellant_forecast import altitude_band_km
from rossim.systems.propulsion import G0, propellant_for_dv

HOUR_S = 3600
REENTRY_ALTITUDE_M = 150e3
#: Causes of propellant use, in the ledger as ``burned_<cause>_kg``.
CAUSES = ("reboost", "attitude", "debris_avoidance", "phasing", "leak")


@dataclass(frozen=True)
class Burn:
    """One reboost (both Hohmann burns counted together)."""

    time: np.datetime64
    dv_m_s: float
    propellant_kg: float
    source: str              # "station", "host" or the Progress's name
    altitude_before_km: float
    altitude_after_km: float
    mass_kg: float
    isp_s: float
    commanded_by: str = "autonomy"


@dataclass
class OrbitHistory:
    """Hourly altitude channel. Times are ``datetime64[us]`` UTC; SI units."""

    epochs: np.ndarray
    altitude_m: np.ndarray
    raan_rad: np.ndarray
    density_kg_m3: np.ndarray
    ballistic_m2_kg: np.ndarray          # Cd A / m (x King-Hele's rotation factor not included)
    station_propellant_kg: np.ndarray
    f107: np.ndarray
    burns: list[Burn] = field(default_factory=list)
    #: Orbit-only runs (:func:`simulate_orbit`): the run's alarms (the full run's dicts:
    #: time, subject, detail, severity, cause, repeats), outcome ("completed"/"re-entry"),
    #: end and orbit invariants (:func:`rossim.ops.orbit_alarms.orbit_only_result`).
    alarms: list[dict] = field(default_factory=list)
    #: The flown mass (kg, docked ships included) per hour (:mod:`rossim.ops.station_mass`).
    mass_kg: np.ndarray = field(default_factory=lambda: np.zeros(0))
    outcome: str = "completed"
    end_time: np.datetime64 | None = None
    invariants: list[dict] = field(default_factory=list)


@njit(cache=True)
def decay_states(times_s, a0, om0, lr_hourly, trial_m, b_eff, nodal_k, r_eq, mu):
    """States ``(a, node, rho)`` at each of ``times_s`` (s since the run's hour-aligned
    reference; the first is the start state ``a0``, ``om0``). ``lr_hourly`` (n_hours, 3):
    log-density at the three ``trial_m`` altitudes per hour; ``b_eff`` (n,) = F Cd A / m at
    each time, held over the step that starts there."""
    n = times_s.shape[0]
    a_out = np.empty(n)
    om_out = np.empty(n)
    rho_out = np.empty(n)
    a = a0
    om = om0
    nh = lr_hourly.shape[0]
    for k in range(n):
        j = int(times_s[k] // 3600.0)
        if j >= nh:
            j = nh - 1
        h = a - r_eq
        seg = 0 if h < trial_m[1] else 1
        lr = lr_hourly[j, seg] + (lr_hourly[j, seg + 1] - lr_hourly[j, seg]) * (
            h - trial_m[seg]) / (trial_m[seg + 1] - trial_m[seg])
        r = math.exp(lr)
        a_out[k] = a
        om_out[k] = om
        rho_out[k] = r
        if k == n - 1:
            break
        dt = times_s[k + 1] - times_s[k]
        if h < 150e3:  # re-entered: hold (the engine ends the run at the crossing)
            continue
        a_mid = a - 0.5 * dt * b_eff[k] * r * math.sqrt(mu * a)
        a = a - dt * b_eff[k] * r * math.sqrt(mu * a_mid)
        om = om + dt * nodal_k * (r_eq / a) ** 3.5
    return a_out, om_out, rho_out


class OrbitModel(Model):
    """Altitude, node, density and propellant (see the module docstring)."""

    name = "orbit"
    reads = ("mass_kg", "drag_area_m2")
    writes = ("altitude_km", "raan_deg", "density_kg_m3", "ballistic_m2_kg",
              "station_propellant_kg", "f107")

    def __init__(self, sim, weather, *, cd: float, model: str = "nrlmsise00",
                 raan0_rad: float, progress=None):
        scen = sim.scenario
        orbit = scen.orbit
        prop = sim.systems.propulsion
        self.prop = prop
        self.cd = float(cd)
        self.atmosphere = model   # the density model flown (the free-flyer look-ahead's too)
        self.inc = math.radians(orbit.inclination_deg)
        band = altitude_band_km(orbit)
        self.low_m, self.high_m = band[0] * 1e3, band[1] * 1e3
        self.f_rot = float(rotation_factor(R_EQ_M + orbit.altitude_km * 1e3, self.inc))
        self.nodal_k = float(nodal_rate_rad_s(R_EQ_M, self.inc))
        # Daily density tables at three trial altitudes spanning the band; hourly rows.
        n_hours = int(math.ceil(sim.engine.t_end_s / HOUR_S)) + 2
        days = sim.engine.t_ref + np.arange(0, n_hours + 24, 24).astype("timedelta64[h]")
        from rossim.time import time_from_datetime64

        t_days = time_from_datetime64(days)
        raan_guess = raan0_rad + nodal_rate_rad_s(R_EQ_M + orbit.altitude_km * 1e3, self.inc) * (
            (days - days[0]) / np.timedelta64(1, "s")).astype(float)
        self.trial_m = np.array([self.low_m - 60e3, 0.5 * (self.low_m + self.high_m),
                                 self.high_m + 60e3])
        rho_days = orbit_average_density(t_days, self.trial_m, self.inc, raan_guess, weather,
                                         model)
        if progress:
            progress(1.0)
        day_idx = np.arange(n_hours) / 24.0
        log_rho = np.log(rho_days)
        self.lr_hourly = np.ascontiguousarray(np.stack(
            [np.interp(day_idx, np.arange(len(days)), log_rho[:, k]) for k in range(3)], axis=1))
        self.f107_hourly = np.interp(day_idx, np.arange(len(days)),
                                     np.asarray(weather.f107(t_days), dtype=float))
        # Committed state.
        self.a = R_EQ_M + orbit.altitude_km * 1e3
        self.om = raan0_rad
        self.below_floor = False
        tank0 = initial_propellant_kg(sim.timeline, prop)
        self.tank_kg = tank0
        self.reserves: dict[str, float] = {}
        self.burns: list[Burn] = []
        self.ledger = {"start_kg": tank0, "transferred_kg": 0.0, "reserve_arrived_kg": 0.0,
                       "burned_kg": 0.0, "reserve_departed_kg": 0.0,
                       "not_transferred_tank_full_kg": 0.0,
                       **{f"burned_{c}_kg": 0.0 for c in CAUSES},
                       # sized from Mir's precedent at the plan's largest stack
                       "deorbit_reserve_kg": deorbit_reserve_kg(sim.timeline, prop),
                       "deorbit_reserve_used_kg": 0.0, "unmet_kg": 0.0, "host_kg": 0.0,
                       # of burned_attitude_kg, in safe mode (thrusters alone)
                       "attitude_in_safe_mode_kg": 0.0}
        self.reserve_kg = self.ledger["deorbit_reserve_kg"]
        self.manoeuvres: list[tuple[np.datetime64, str, float, float]] = []
        self.pending: tuple | None = None
        self.refused_need_kg = 0.0
        self.rows: dict[str, list[np.ndarray]] = {k: [] for k in (
            "t_s", "altitude_m", "raan_rad", "density_kg_m3", "ballistic_m2_kg",
            "station_propellant_kg", "f107", "mass_kg")}

    # -- continuous part ---------------------------------------------------------------------
    def _grid(self, t0: int, t1: int) -> np.ndarray:
        first = (t0 // HOUR_S + 1) * HOUR_S
        marks = np.arange(first, t1, HOUR_S, dtype=float)
        return np.concatenate([[float(t0)], marks, [float(t1)]])

    def propose(self, sim, t0: int, t1: int) -> Crossing | None:
        times = self._grid(t0, t1)
        # the flown mass (rossim.ops.station_mass) less its steady loss through the span
        cfg, mass = sim.config, sim.station_mass.mass_kg()
        m_t = mass - sim.station_mass.loss_kg_per_s(mass, cfg.crew_aboard) * (times - t0)
        area = free_drift.drag_area_m2(sim, cfg)   # tumbling while the station drifts
        ballistic = np.where((m_t > 0) & (cfg.mass_kg > 0),
                             self.cd * area / np.maximum(m_t, 1e-9), 0.0)
        a, om, rho = decay_states(times, self.a, self.om, self.lr_hourly, self.trial_m,
                                  ballistic * self.f_rot, self.nodal_k, R_EQ_M, MU_EARTH_M3_S2)
        self.pending = (times, a, om, rho, ballistic, m_t)
        h = a[1:] - R_EQ_M
        lost = np.flatnonzero(h < REENTRY_ALTITUDE_M)
        if lost.size:
            return Crossing(int(times[1 + lost[0]]), self.name, "reentry", float(h[lost[0]]))
        if not self.below_floor:
            low = np.flatnonzero(h < self.low_m)
            if low.size:
                return Crossing(int(times[1 + low[0]]), self.name, "altitude-floor",
                                float(h[low[0]]))
        return None

    def commit(self, sim, t0: int, t1: int) -> None:
        times, a, om, rho, ballistic, mass = self.pending
        assert int(times[-1]) == t1
        rec = (times[:-1] % HOUR_S) == 0
        n = int(rec.sum())
        if n:
            hours = (times[:-1][rec] // HOUR_S).astype(int)
            self.rows["t_s"].append(times[:-1][rec])
            self.rows["altitude_m"].append(a[:-1][rec] - R_EQ_M)
            self.rows["raan_rad"].append(om[:-1][rec])
            self.rows["density_kg_m3"].append(rho[:-1][rec])
            self.rows["ballistic_m2_kg"].append(ballistic[:-1][rec])
            self.rows["mass_kg"].append(mass[:-1][rec])
            self.rows["station_propellant_kg"].append(np.full(n, self.tank_kg))
            self.rows["f107"].append(self.f107_hourly[np.minimum(hours,
                                                                 len(self.f107_hourly) - 1)])
        self.a, self.om = float(a[-1]), float(om[-1])
        self.below_floor = self.a - R_EQ_M < self.low_m
        dt = float(t1 - t0)
        if dt > 0 and mass[0] > 0 and sim.config.mass_kg > 0:
            used = self.spend(sim, self.attitude_kg_per_s(sim, mass[0]) * dt, "attitude")
            if sim.state.safe_mode and not self._host(sim):   # of it in safe mode
                # (rossim.ops.propellant_outlook; a host pays its own: host_kg)
                self.ledger["attitude_in_safe_mode_kg"] += used
            self.spend(sim, self.leak_kg_per_s() * dt, "leak")

    def attitude_kg_per_s(self, sim, mass_kg: float) -> float:
        """Attitude control's steady use (kg/s) at ``mass_kg`` (kg) in the attitude mode now
        (``propulsion.attitude_kg_per_day_per_100t``; 0 in a free drift: no control computer
        fires the thrusters)."""
        st = sim.state
        mode = "safe-mode" if st.safe_mode else ("sun-biased" if st.sun_biased else "velocity")
        if free_drift.drifting(sim):
            return 0.0
        return self.prop.attitude_kg_per_day_per_100t.get(mode, 0.0) * mass_kg / 1e5 / 86400.0

    def leak_kg_per_s(self) -> float:
        """Leak make-up (kg/s): ``propulsion.leak_kg_per_year``."""
        return self.prop.leak_kg_per_year.value / (365.25 * 86400.0)

    # -- state queries -----------------------------------------------------------------------
    @property
    def altitude_m(self) -> float:
        return self.a - R_EQ_M

    def span_orbit(self, t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Semi-major axis (m) and node (rad) at ``t_s`` inside the proposed span."""
        times, a, om = self.pending[:3]
        return np.interp(t_s, times, a), np.interp(t_s, times, om)

    def propellant_available_kg(self) -> float:
        return self.tank_kg + sum(self.reserves.values())

    def _host(self, sim) -> bool:
        return any(m in self.prop.host_modules for m in sim.config.modules)

    def spend(self, sim, kg: float, cause: str) -> float:
        """Use ``kg`` of propellant for ``cause``: the tanks above the de-orbit reserve, the
        docked Progress reserves (the first to leave first), then (an alarm) the de-orbit
        reserve. Returns the kg used; what the propellant aboard cannot cover is
        ``unmet_kg``. A host programme (ISS) covers its own use: ``host_kg``, outside the
        balance."""
        if kg <= 0.0:
            return 0.0
        L = self.ledger
        if self._host(sim):
            L["host_kg"] += kg
            return kg
        left = kg
        take = min(left, max(self.tank_kg - self.reserve_kg, 0.0))
        self.tank_kg -= take
        left -= take
        for n, _ in (reserves_by_departure(self.reserves, sim.timeline.events, sim.now)
                     if left > 0.0 and self.reserves else ()):   # once ``left`` is 0: 0 each
            take = min(left, self.reserves[n])
            self.reserves[n] -= take
            left -= take
        if left > 0.0 and self.tank_kg > 0.0:
            take = min(left, self.tank_kg)
            self.tank_kg -= take
            left -= take
            L["deorbit_reserve_used_kg"] += take
            sim.alarm("propellant", f"{cause} draws on the de-orbit reserve ({take:.1f} kg)",
                      "warning", "no propellant above the reserve and no Progress reserve "
                      "docked", key="deorbit-reserve", repeat_after_s=30 * 86400)
        if left > 1e-9:  # nothing left aboard: an alarm, not a silent unmet use
            from rossim.ops.orbit_alarms import tanks_empty

            tanks_empty(sim, cause)
        used = kg - left
        L["burned_kg"] += used
        L[f"burned_{cause}_kg"] += used
        L["unmet_kg"] += left
        return used

    def manoeuvre(self, sim, dv_m_s: float, cause: str) -> float:
        """A manoeuvre that spends ``dv_m_s`` at the current mass (rocket equation) for
        ``cause`` without changing the mean altitude (debris avoidance, phasing)."""
        mass = sim.station_mass.mass_kg()
        if mass <= 0 or dv_m_s <= 0:
            return 0.0
        need = float(propellant_for_dv(mass, dv_m_s, self.prop.station_isp_s.value))
        used = self.spend(sim, need, cause)
        self.manoeuvres.append((sim.engine.epoch(sim.engine.now_s), cause, dv_m_s, used))
        return used

    # -- discrete part: vehicles and burns -------------------------------------------------------
    def vehicle_docked(self, name: str, vehicle, propellant_kg: float | None = None) -> None:
        """A ship docks: a Progress transfers its station propellant (``propellant_kg``, the
        visit's manifest, or the catalog's) into the tank and holds its reboost reserve;
        returns the propellant transferred (kg; None: not a Progress)."""
        if not vehicle.id.startswith("progress"):
            return None
        offered = vehicle.station_propellant_kg.value if vehicle.station_propellant_kg else 0.0
        if propellant_kg is not None:
            offered = float(propellant_kg)
        room = max(self.prop.station_tank_kg.value - self.tank_kg, 0.0)
        moved = min(offered, room)
        self.tank_kg += moved
        self.ledger["transferred_kg"] += moved
        self.ledger["not_transferred_tank_full_kg"] += offered - moved
        reserve = self.prop.progress_reboost_kg.value
        self.reserves[name] = reserve
        self.ledger["reserve_arrived_kg"] += reserve
        return moved

    def vehicle_undocked(self, name: str) -> None:
        left = self.reserves.pop(name, None)
        if left is not None:
            self.ledger["reserve_departed_kg"] += left

    def burn(self, sim, *, dv_m_s: float | None = None, target_altitude_km: float | None = None,
             commanded_by: str = "autonomy") -> tuple[bool, str]:
        """Reboost now. Returns ``(done, reason)``; refused burns change nothing."""
        h = self.altitude_m
        if target_altitude_km is not None:
            target = target_altitude_km * 1e3
            if target <= h:
                return False, (f"target {target_altitude_km:.1f} km is not above the current "
                               f"altitude {h / 1e3:.1f} km")
            dv = hohmann_dv(h / 1e3, target / 1e3)
        else:
            dv = float(dv_m_s)
            a_new = a_after_dv(self.a, dv)
            target = a_new - R_EQ_M
        mass = sim.station_mass.mass_kg()
        if mass <= 0:
            return False, "no station in orbit"
        if self._host(sim):
            parts = [("host", self.prop.progress_isp_s.value,
                      float(propellant_for_dv(mass, dv, self.prop.progress_isp_s.value)))]
        else:
            parts, left = reboost_parts(mass, dv, reboost_sources(
                sim, self, max(self.tank_kg - self.reserve_kg, 0.0)))
            if left > 1e-9:
                need = float(propellant_for_dv(mass, dv, self.prop.station_isp_s.value))
                self.refused_need_kg = need  # the autonomy's alarm (rossim.ops.orbit_alarms)
                return False, (f"needs {need:.0f} kg of propellant; {self.tank_kg:.0f} kg in "
                               f"the tanks ({self.reserve_kg:.0f} kg of them the de-orbit "
                               f"reserve) and {sum(self.reserves.values()):.0f} kg in docked "
                               "Progress reserves")
        total = 0.0
        for source, _isp, kg in parts:
            if source == "station":
                self.tank_kg -= kg
            elif source != "host":
                self.reserves[source] -= kg
            if source != "host":
                self.ledger["burned_kg"] += kg
                self.ledger["burned_reboost_kg"] += kg
            total += kg
        source = " + ".join(x[0] for x in parts)
        # the Isp of the whole burn (the parts' own when they share one)
        isp = parts[0][1] if len({x[1] for x in parts}) == 1 else \
            dv / (G0 * math.log(mass / (mass - total)))
        self.burns.append(Burn(sim.engine.epoch(sim.engine.now_s), dv, total, source,
                               h / 1e3, target / 1e3, mass, isp, commanded_by))
        self.a = R_EQ_M + target
        self.below_floor = target < self.low_m
        parts_text = ", ".join(f"{kg:.1f} kg from {src}" for src, _, kg in parts)
        return True, (f"{dv:.2f} m/s from {source}, {total:.1f} kg" if len(parts) == 1
                      else f"{dv:.2f} m/s, {total:.1f} kg: {parts_text}")

    def ledger_balance_kg(self) -> float:
        """start + delivered - burned - departed - end (0 when the ledger balances)."""
        L = self.ledger
        end = self.tank_kg + sum(self.reserves.values())
        return (L["start_kg"] + L["transferred_kg"] + L["reserve_arrived_kg"] - L["burned_kg"]
                - L["reserve_departed_kg"] - end)

    def history(self, sim) -> OrbitHistory:
        cat = {k: (np.concatenate(v) if v else np.zeros(0)) for k, v in self.rows.items()}
        return OrbitHistory(sim.engine.epochs(cat["t_s"]), cat["altitude_m"], cat["raan_rad"],
                            cat["density_kg_m3"], cat["ballistic_m2_kg"],
                            cat["station_propellant_kg"], cat["f107"], list(self.burns),
                            mass_kg=cat["mass_kg"])


def a_after_dv(a: float, dv: float) -> float:
    """Semi-major axis after a Hohmann transfer of total ``dv`` from circular ``a`` (solved
    numerically; small dv)."""
    lo, hi = a, a + 2e6
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if hohmann_dv((a - R_EQ_M) / 1e3, (mid - R_EQ_M) / 1e3) < dv:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def simulate_orbit(timeline, systems, weather, *, cd: float, model: str = "nrlmsise00",
                   progress=None) -> OrbitHistory:
    """Altitude history with autonomous reboosts: the closed-loop engine with the orbit model
    and the reliability model (faults drawn from the catalog rates can put the station in safe
    mode and delay a reboost) but no power, thermal or consumables model, for trade studies. The history carries the
    run's ``alarms`` (refused reboosts, below the floor, empty tanks, re-entry, violated
    orbit invariants), ``outcome`` and ``end_time``: a re-entry is a result to report.
    ``weather`` None: the run's own (:func:`rossim.environment.weather_dispersion.
    run_weather` of the scenario's operations and seed)."""
    from rossim.ops.orbit_alarms import orbit_only_result
    from rossim.ops.simulation import Simulation

    sim = Simulation(timeline.scenario, systems=systems, weather=weather, timeline=timeline,
                     models=("orbit",), cd=cd, atmosphere=model)
    sim.advance_to_end()
    return orbit_only_result(sim)
