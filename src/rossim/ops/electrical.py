"""The electrical power system: the engine's ``power`` model.

Per step of ``operations.power_step_s`` (60 s default) over each span, vectorised:

* **Geometry**: the station's position from the flown orbit (semi-major axis and node of the
  ``orbit`` model, argument of latitude integrated from the mean motion), the Sun from DE421
  (every 3 h, interpolated), the conical Earth shadow and the beta angle.
* **Generation** (kW): the sum over the modules attached of rated output (area x array
  efficiency x 1361 W/m^2, ``solar_array_power_kw``) x ``(1 - d)^age`` (each module's arrays
  age from its own arrival) x the module's array factor (an array-drive fault parks a wing:
  0.5) x the incidence of its tracking mode (:func:`rossim.systems.power.incidence_factor`:
  two-axis 1, single-axis ``cos beta`` or ``cos(max(|beta| - bias, 0))`` in the sun-biased
  attitude, fixed ``max(0, r.s)``) x ``(1 AU / r_sun)^2`` x the sunlit fraction. Never negative
  by construction; the guard checks it.
* **Attitude**: when |beta| rises above ``power.sun_bias_above_beta_deg`` the model reports a
  ``beta-high`` crossing and the autonomy turns the stack sun-biased (``beta-low``,
  ``power.sun_bias_hysteresis_deg`` below, turns it back to velocity attitude).
* **Loads** (kW, constant over a span): housekeeping per module and mode (crewed, uncrewed;
  node, gateway and logistics dormant between crews), life support per person aboard,
  experiments (crewed or automatic) and operator activities, and the heaters: the span-mean
  heater demand of the thermal model (:meth:`rossim.ops.thermal.ThermalModel.heater_kw`,
  thermostatic, per module; it runs before this model in every span); the shedding level of
  the autonomy removes experiments and activities (level 1) and then non-essential
  housekeeping (level 2); heaters are never shed; safe mode removes experiments and
  activities.
* **Batteries**: :func:`rossim.systems.power.battery_span` (numba), stopping at the state of
  charge thresholds the autonomy watches (shed, restore, empty); the engine cuts the span there.

Telemetry: 10-minute bins (mean, min and max of the state of charge) for the archive.
"""

from __future__ import annotations

import math

import numpy as np

from rossim.constants import R_EQ_M
from rossim.dynamics.decay import (
    mean_motion_rad_s,
    nodal_rate_rad_s,
    orbit_normal_gcrf,
    unit_vectors_gcrf,
)
from rossim.environment.eclipse import illumination
from rossim.environment.ephemeris import sun_position_gcrf
from rossim.ops import free_drift
from rossim.ops.engine import Crossing, Model
from rossim.ops.power_ledger import EnergyLedger
from rossim.systems.power import (
    CROSSED_LOW,
    battery_span,
    incidence_factor,
    sustainable_load_kw,
)
from rossim.time import time_from_datetime64

BIN_S = 600
SUN_STEP_S = 3 * 3600

#: Power telemetry columns (10-minute bins).
POWER_COLUMNS = ("soc_min", "soc_max", "generation_kw", "load_kw", "served_kw", "shed_fraction",
                 "sunlit_fraction", "beta_deg", "battery_kwh", "deficit_fraction", "shed_level",
                 "safe_mode", "sun_biased")

AU_M = 149_597_870_700.0


class PowerModel(Model):
    """Generation, loads, batteries (see the module docstring)."""

    name = "power"
    reads = ("altitude_km", "raan_deg", "heater_kw")
    writes = ("soc", "generation_kw", "load_kw", "served_kw", "beta_deg")

    def __init__(self, sim):
        self.step = sim.engine.step_s
        if BIN_S % self.step:
            raise ValueError("power_step_s must divide 600 s")  # validated before the run
        self.per_bin = BIN_S // self.step
        pw = sim.systems.power
        self.pw = pw
        self.inc = math.radians(sim.scenario.orbit.inclination_deg)
        n_sun = sim.engine.t_end_s // SUN_STEP_S + 3
        self.sun_t = np.arange(n_sun) * float(SUN_STEP_S)
        self.sun = sun_position_gcrf(time_from_datetime64(sim.engine.epochs(self.sun_t)))
        self.soc = pw.max_soc.value
        self.u = 0.0
        self.pending = None
        self.carry: dict[str, np.ndarray] | None = None
        self.carry_t0 = 0
        self.bins: dict[str, list[np.ndarray]] = {k: [] for k in ("t_s",) + POWER_COLUMNS}
        self.deficit_steps = 0
        self.min_generation_kw = math.inf
        self.bias_rad = math.radians(pw.sun_bias_max_deg.value)
        self.beta_on = math.radians(pw.sun_bias_above_beta_deg.value)
        self.beta_off = math.radians(pw.sun_bias_above_beta_deg.value
                                     - pw.sun_bias_hysteresis_deg.value)
        self.ledger = EnergyLedger(self.soc)  # where every kWh went (rossim.ops.power_ledger)

    # -- span physics ------------------------------------------------------------------------
    def capacity_by_tracking_kw(self, sim, t_mid_s: float) -> dict[str, float]:
        """Rated output x ageing x array faults of the modules attached, summed per tracking
        mode (kW at normal incidence, 1 AU). Each module's arrays age from its own arrival."""
        cat = sim.timeline.catalog
        d = self.pw.array_degradation_per_year.value
        out: dict[str, float] = {}
        for m in sim.config.modules:
            kw = cat.modules[m].solar_array_power_kw.value
            if kw == 0:
                continue
            age_y = max(t_mid_s - sim.arrival_s.get(m, 0), 0) / (365.25 * 86400.0)
            mode = self.pw.tracking(m)
            out[mode] = out.get(mode, 0.0) + (kw * (1.0 - d) ** age_y
                                              * sim.state.array_factor.get(m, 1.0))
        return out  # not clamped: a negative catalog value must reach the guard

    def generation_capacity_kw(self, sim, t_mid_s: float) -> float:
        """Installed capacity x ageing x array faults of every module attached (kW)."""
        return sum(self.capacity_by_tracking_kw(sim, t_mid_s).values())

    def battery_capacity_kwh(self, sim) -> float:
        return sum(self.pw.battery_kwh.get(m, 0.0) * sim.state.battery_factor.get(m, 1.0)
                   for m in sim.config.modules)

    def housekeeping_kw(self, sim) -> float:
        """Housekeeping of the modules attached in their current mode (kW): crewed when crew
        is aboard, else uncrewed (dormant modules: keep-alive only)."""
        crewed = sim.config.crew_aboard > 0
        return sum(self.pw.housekeeping_kw(m, crewed) for m in sim.config.modules)

    def loads_kw(self, sim) -> tuple[float, float]:
        """(demanded, served by the current shedding level and mode) in kW."""
        pw, cfg, st = self.pw, sim.config, sim.state
        house = self.housekeeping_kw(sim)
        life = pw.crew_kw_per_person.value * cfg.crew_aboard
        exp = (pw.experiments_kw_crewed.value if cfg.crew_aboard > 0
               else pw.experiments_kw_automatic.value)
        acts = sum(st.activities.values())
        heat = self.heater_kw(sim)
        demand = house + life + heat + (0.0 if st.safe_mode else exp + acts)
        if st.shed_level >= 2:
            return demand, pw.essential_fraction.value * house + life + heat
        if st.shed_level >= 1 or st.safe_mode:
            return demand, house + life + heat
        return demand, demand

    @staticmethod
    def users_kw(sim) -> tuple[float, float]:
        """The users' load (experiments and activities, kW): (demanded, served at the current
        shedding level; 0 in safe mode)."""
        cfg, st, pw = sim.config, sim.state, sim.systems.power
        if st.safe_mode:
            return 0.0, 0.0
        users = (pw.experiments_kw_crewed.value if cfg.crew_aboard > 0
                 else pw.experiments_kw_automatic.value) + sum(st.activities.values())
        return users, (users if st.shed_level == 0 else 0.0)

    @staticmethod
    def heater_kw(sim) -> float:
        """Heater power (kW) over the span being proposed: the thermal model's demand (0 in
        a run without it)."""
        th = getattr(sim, "thermal", None)
        return th.heater_kw() if th is not None else 0.0

    def forecast(self, sim, t_s: float, days: float, step_h: float = 6.0
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The beta-angle forecast and what it lets the arrays carry: ``(t_s, beta_deg,
        sustainable_kw)`` every ``step_h`` over the next ``days`` from ``t_s`` (run seconds).
        The node regresses at the J2 rate from the orbit model's current node and semi-major
        axis; the Sun is the run's DE421 table; each orbit's balance is
        :func:`rossim.systems.power.orbit_power_balance` (vectorised:
        :func:`rossim.systems.power.sustainable_load_kw`) with the arrays' current capacity
        by tracking mode (ageing, parked wings), sun-biased where the autonomy would bias it
        (the battery charge efficiency of the catalog)."""
        ts = t_s + np.arange(0.0, days * 86400.0 + 1.0, step_h * 3600.0)
        a, om0 = float(sim.orbit.a), float(sim.orbit.om)
        om = om0 + float(nodal_rate_rad_s(a, self.inc)) * (ts - t_s)
        t_sun = np.clip(ts, self.sun_t[0], self.sun_t[-1])
        r_sun = np.stack([np.interp(t_sun, self.sun_t, self.sun[:, j]) for j in range(3)],
                         axis=1)
        s_hat = r_sun / np.linalg.norm(r_sun, axis=1)[:, None]
        beta = np.arcsin(np.clip(np.einsum("ij,ij->i", orbit_normal_gcrf(om, self.inc),
                                           s_hat), -1.0, 1.0))
        caps = self.capacity_by_tracking_kw(sim, t_s)
        alt_km = (a - R_EQ_M) / 1e3
        eta, eta_d = self.pw.charge_efficiency.value, self.pw.discharge_efficiency.value
        sus = sustainable_load_kw(caps, beta, alt_km, eta,
                                  np.where(np.abs(beta) > self.beta_on, self.bias_rad, 0.0),
                                  n=240, discharge_efficiency=eta_d)
        return ts, np.degrees(beta), sus

    def propose(self, sim, t0: int, t1: int) -> Crossing | None:
        n = (t1 - t0) // self.step
        if n <= 0:
            self.pending = None
            return None
        ts = t0 + self.step * np.arange(n, dtype=float)
        a, om = sim.orbit.span_orbit(ts)
        nmot = mean_motion_rad_s(a)
        u = self.u + np.concatenate([[0.0], np.cumsum(nmot[:-1] * self.step)])
        u_end = float(u[-1] + nmot[-1] * self.step)
        r_sat = unit_vectors_gcrf(om, self.inc, u) * a[:, None]
        r_sun = np.stack([np.interp(ts, self.sun_t, self.sun[:, j]) for j in range(3)], axis=1)
        lit = illumination(r_sat, r_sun, "conical")
        normal = orbit_normal_gcrf(om, self.inc)
        s_hat = r_sun / np.linalg.norm(r_sun, axis=1)[:, None]
        beta = np.arcsin(np.clip(np.einsum("ij,ij->i", normal, s_hat), -1.0, 1.0))
        caps = self.capacity_by_tracking_kw(sim, 0.5 * (t0 + t1))
        biased = sim.state.sun_biased
        r_hat = r_sat / a[:, None]
        cos_z = np.einsum("ij,ij->i", r_hat, s_hat)
        gen = np.zeros(n)
        # hook (free drift, rossim.ops.free_drift): with no working control computer the
        # arrays are not Sun-pointed: the drift average replaces the attitude's incidence
        drift = free_drift.array_fraction(sim)
        for mode, cap in caps.items():
            gen += cap * (incidence_factor(mode, beta, cos_z, self.bias_rad if biased else 0.0)
                          if drift is None else drift)
        au2 = (AU_M / np.linalg.norm(r_sun, axis=1)) ** 2
        gen *= au2 * lit
        # the autonomy's attitude choice: stop at the first step past the beta threshold
        past = (np.abs(beta) < self.beta_off) if biased else (np.abs(beta) > self.beta_on)
        kb = int(np.argmax(past)) + 1 if past.any() else n
        demand, load = self.loads_kw(sim)
        batt = self.battery_capacity_kwh(sim)
        low, high = sim.autonomy.soc_thresholds()
        soc, served, deficit, stop, why = battery_span(
            float(self.step), gen[:kb], load, batt, self.soc, self.pw.max_soc.value,
            self.pw.charge_efficiency.value, low, high, self.pw.discharge_efficiency.value)
        self.pending = dict(ts=ts[:stop], gen=gen[:stop], lit=lit[:stop], beta=beta[:stop],
                            soc=soc[:stop], served=served[:stop], deficit=deficit[:stop],
                            demand=demand, load=load, batt=batt, biased=biased,
                            users=self.users_kw(sim),
                            r_sat=r_sat[:stop],
                            u_end=float(u[stop]) if stop < n else u_end, stop=stop, n=n)
        if not why and past.any():  # stop == kb: the threshold is passed at the span's end
            kind = "beta-low" if biased else "beta-high"
            return Crossing(int(t0 + stop * self.step), self.name, kind,
                            float(np.degrees(beta[stop - 1])))
        if why:
            kind = "soc-low" if why == CROSSED_LOW else "soc-high"
            return Crossing(int(t0 + stop * self.step), self.name, kind, float(soc[stop - 1]))
        return None

    def commit(self, sim, t0: int, t1: int) -> None:
        p = self.pending
        if p is None:
            return
        assert t0 + len(p["ts"]) * self.step == t1, "power span does not match the engine's"
        m = len(p["ts"])
        if m == 0:
            return
        mods = tuple(sim.config.modules)  # hook: the energy ledger and the users' margin
        self.ledger.add(mods, sim.iso(t0), float(self.step), p["gen"], p["served"], self.soc,
                        p["soc"], p["batt"], self.pw.charge_efficiency.value,
                        self.pw.discharge_efficiency.value, p["demand"], *p["users"],
                        sum(self.pw.user_power_kw.get(x, 0.0) for x in mods))
        self.soc = float(p["soc"][-1])
        self.u = p["u_end"] % (2.0 * math.pi)
        self.deficit_steps += int(p["deficit"].sum())
        self.min_generation_kw = min(self.min_generation_kw, float(p["gen"].min()))
        st = sim.state
        cols = {
            "soc_min": p["soc"], "soc_max": p["soc"], "generation_kw": p["gen"],
            "load_kw": np.full(m, p["demand"]), "served_kw": p["served"],
            "shed_fraction": np.full(m, 1.0 if p["load"] < p["demand"] else 0.0),
            "sunlit_fraction": p["lit"], "beta_deg": np.degrees(p["beta"]),
            "battery_kwh": np.full(m, p["batt"]), "deficit_fraction": p["deficit"].astype(float),
            "shed_level": np.full(m, float(st.shed_level)),
            "safe_mode": np.full(m, 1.0 if st.safe_mode else 0.0),
            "sun_biased": np.full(m, 1.0 if p["biased"] else 0.0),
        }
        self._bin(t0, cols)

    def settle(self, sim, t0: int) -> None:
        # at most daily: planned power-downs, decided at the start of a span (the run's clock
        # at t0: a power-down looked at when the previous span was committed was stamped at
        # that span's start, hours early, and came before the crossing that ended the span)
        sim.autonomy.power_forecast(t0)

    # -- 10-minute bins ------------------------------------------------------------------------
    def _bin(self, t0: int, cols: dict[str, np.ndarray]) -> None:
        if self.carry is not None:
            cols = {k: np.concatenate([self.carry[k], v]) for k, v in cols.items()}
            t0 = self.carry_t0
        # the first bin of the run may start mid-bin only at the run start (hour aligned)
        n = len(cols["soc_min"])
        nb = n // self.per_bin
        if nb:
            k = nb * self.per_bin
            self.bins["t_s"].append(t0 + BIN_S * np.arange(nb, dtype=float))
            for name, x in cols.items():
                x = x[:k].reshape(nb, self.per_bin)
                if name == "soc_min":
                    v = x.min(axis=1)
                elif name in ("soc_max", "shed_level", "safe_mode"):
                    v = x.max(axis=1)
                else:
                    v = x.mean(axis=1)
                self.bins[name].append(v)
        rest = n - nb * self.per_bin
        if rest:
            self.carry = {k: v[nb * self.per_bin:] for k, v in cols.items()}
            self.carry_t0 = t0 + nb * BIN_S
        else:
            self.carry = None

    def history(self, sim):
        from rossim.ops.run_result import PowerHistory

        cat = {k: (np.concatenate(v) if v else np.zeros(0)) for k, v in self.bins.items()}
        return PowerHistory(epochs=sim.engine.epochs(cat.pop("t_s")),
                            deficit_steps=self.deficit_steps, energy=self.ledger.summary(
                                sim.systems.propulsion.host_modules),
                            **cat)
