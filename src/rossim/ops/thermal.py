"""The thermal control system: the engine's ``thermal`` model.

One lumped node per pressurised module attached (the configuration over time; a module whose
``thermal.loop_capacity_kw`` is 0, the ISS host segment, has its own thermal control and is
not modelled). Over each span, per segment (the span cut at the 10-minute bin grid),
vectorised over segments and advanced by the numba kernel
:func:`rossim.systems.thermal.node_span` (no Python loop over 60 s steps):

* **Environment** (orbit-average per segment: the node's time constant is days): the beta
  angle of the flown orbit plane (node and semi-major axis of the ``orbit`` model, the Sun
  from DE421 as the power model interpolates it), the sunlit share of the orbit
  (:func:`rossim.systems.thermal.eclipse_fraction`), the view factors to the Earth of the hull
  (sphere) and of the radiator panels (vertical plates) at the flown altitude.
* **Hull** under MLI (``mli_alpha``, ``mli_epsilon``, effective emittance ``e*``): the outer
  cover settles at ``T_o^4 = q_env / (eps sigma)`` with ``q_env = alpha S/4 x sunlit + alpha a S
  F |cos beta| x sunlit + eps q_IR F`` (convex body, orientation-averaged: the attitude does
  not change it); the cabin loses ``e* sigma A (T^4 - T_o^4)`` through it.
* **Radiators**: body-mounted panels on the module's +-y sides (normals across the orbit
  plane in the velocity attitude), so the Sun reaches the sun-side half at ``sin |beta|``;
  in the sun-biased attitude (the autonomy's high-beta roll of the stack, power's
  ``sun_bias_max_deg``) at ``sin(max(|beta| - bias, 0))``. Rejection ``eps_r sigma A_r
  (T - dT_loop)^4`` minus what they absorb (Sun, albedo, Earth infrared), at most the loop's
  capacity; the loop bypasses them to hold the set point.
* **Internal dissipation** (W): every watt the module's loads are served ends as heat in it:
  its housekeeping in the current mode (crewed, uncrewed, dormant; level-2 shedding keeps the
  essential share), plus the station's life support, experiments and activities as served,
  shared over the modules not dormant by pressurised volume, plus the crew's metabolic heat.
* **Heaters**: thermostatic, on at ``low + heater_margin_k`` of the band in force (crewed or
  uncrewed), up to ``heater_capacity_kw``. Their demand is this model's output: the power
  model adds the span-mean heater power to the station's load (:meth:`heater_kw`), so the
  thermal model runs before it in every span.

Limits: each module's temperature against its band; leaving it is a crossing (``thermal-high``
or ``thermal-low``, details in :attr:`ThermalModel.crossing`) that the engine cuts the span at
and the autonomy answers (alarm with its cause; shedding experiments when hot). After a change
of band a module's limits are armed once it is inside the band or ``limit_grace_h`` later.

Telemetry: table ``telemetry_thermal`` in 10-minute bins: per module ``<id>_temperature_c``
(bin mean), ``<id>_heater_kw``, ``<id>_radiator_kw`` (bin means), and the station's
``max_temperature_c``, ``min_temperature_c``, ``heater_kw``, ``radiator_kw``.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from rossim.constants import R_EQ_M
from rossim.dynamics.decay import orbit_normal_gcrf
from rossim.ops.engine import Channel, Crossing, Model
from rossim.systems.thermal import (
    ALBEDO,
    EARTH_IR_W_M2,
    REGIME_NAMES,
    SIGMA_W_M2_K4,
    SOLAR_W_M2,
    eclipse_fraction,
    hull_area_m2,
    node_span,
)

BIN_S = 600
K0 = 273.15
#: hysteresis (K) before a module out of its band counts as back inside
HYSTERESIS_K = 1.0
TABLE = "telemetry_thermal"
STATION_COLUMNS = ("max_temperature_c", "min_temperature_c", "heater_kw", "radiator_kw")


def _sphere_view(alt_km: np.ndarray) -> np.ndarray:
    x = R_EQ_M / (R_EQ_M + alt_km * 1e3)
    return 0.5 * (1.0 - np.sqrt(1.0 - x * x))


def _plate_view(alt_km: np.ndarray) -> np.ndarray:
    h2 = ((R_EQ_M + alt_km * 1e3) / R_EQ_M) ** 2
    q = np.sqrt(h2 - 1.0)
    return (np.arctan(1.0 / q) - q / h2) / np.pi


class ThermalModel(Model):
    """Module temperatures, heaters and radiators (see the module docstring)."""

    name = "thermal"
    reads = ("altitude_km", "raan_deg")
    writes = ("heater_kw", "module_temperature_c", "radiator_kw")

    def __init__(self, sim):
        self.th = th = sim.systems.thermal
        self.pw = sim.systems.power
        self.inc = math.radians(sim.scenario.orbit.inclination_deg)
        cat = sim.timeline.catalog
        modules: list[str] = []
        for cfg in sim.timeline.properties:
            for m in cfg.modules:
                if m not in modules and self._modelled(cat, m):
                    modules.append(m)
        self.modules = modules
        sig = SIGMA_W_M2_K4
        self.node: dict[str, dict[str, float]] = {}
        for m in modules:
            mod = cat.modules[m]
            a_hull = hull_area_m2(mod.shape, mod.length_m.value, mod.diameter_m.value)
            a_rad = min(th.per_module(th.radiator_area_m2, m), 0.5 * a_hull)
            self.node[m] = dict(
                c=mod.mass_kg.value * th.specific_heat_j_kg_k.value,
                k_body=th.mli_effective_emittance.value * sig * (a_hull - a_rad),
                a_rad=a_rad, k_rad=th.radiator_epsilon.value * sig * a_rad,
                cap=1e3 * th.per_module(th.loop_capacity_kw, m),
                heater=1e3 * th.per_module(th.heater_capacity_kw, m),
                volume=mod.pressurised_volume_m3.value)
        self.temp_k: dict[str, float] = {}
        self.status: dict[str, str] = {}          # ok / high / low
        self.armed_s: dict[str, int] = {}         # limits checked from this time (or inside)
        self.band_crewed: bool | None = None
        self.pending = None
        self.crossing: dict | None = None         # details of the last crossing proposed
        self.last_mean_c: dict[str, float] = {}
        self.last_detail: dict[str, dict] = {}
        self.carry: dict | None = None
        self.rows: dict[str, list[np.ndarray]] = {"t_s": [], **{c: [] for c in STATION_COLUMNS}}
        self.mod_rows = {m: {"t_s": [], "temperature_c": [], "heater_kw": [], "radiator_kw": []}
                         for m in modules}
        self.heater_kwh = {m: 0.0 for m in modules}
        self.radiator_kwh = {m: 0.0 for m in modules}
        self.saturated_h = 0.0
        self.extreme = {"max_c": -math.inf, "max_module": "", "max_s": 0,
                        "min_c": math.inf, "min_module": "", "min_s": 0}
        self._register_channels(sim)

    @staticmethod
    def _modelled(cat, m: str) -> bool:
        return m in cat.modules and cat.modules[m].pressurised_volume_m3.value > 0

    def _register_channels(self, sim) -> None:
        th = self.th
        lo_c, hi_c = th.limits_c(True)
        lo_u, hi_u = th.limits_c(False)
        ch = sim.channels
        ch["max_temperature_c"] = replace(ch["max_temperature_c"], high=hi_c)
        ch["min_temperature_c"] = replace(ch["min_temperature_c"], low=lo_u)
        for m in list(self.modules):
            if self.node[m]["cap"] <= 0 and self.node[m]["heater"] <= 0:
                self.modules.remove(m)   # thermal control of its own (ISS host segment)
                del self.mod_rows[m]
                continue
            ch[f"{m}_temperature_c"] = Channel(
                f"{m}_temperature_c", TABLE, "degC",
                f"{m} cabin and equipment temperature, bin mean (crewed band {lo_c:g}-{hi_c:g}, "
                f"uncrewed {lo_u:g}-{hi_u:g} degC)", lo_c, hi_c, "thermal")
            ch[f"{m}_heater_kw"] = Channel(
                f"{m}_heater_kw", TABLE, "kW", f"{m} heater power, bin mean", 0.0,
                self.node[m]["heater"] / 1e3, "thermal")
            ch[f"{m}_radiator_kw"] = Channel(
                f"{m}_radiator_kw", TABLE, "kW", f"{m} heat rejected by its radiators, bin mean",
                0.0, self.node[m]["cap"] / 1e3, "thermal")

    # -- inputs ------------------------------------------------------------------------------
    def dissipation_w(self, sim, present: list[str]) -> dict[str, float]:
        """Heat dissipated inside each module (W): served housekeeping, its share of life
        support, experiments and activities (modules not dormant, by volume), crew heat."""
        pw, cfg, st = self.pw, sim.config, sim.state
        crew = cfg.crew_aboard
        crewed = crew > 0
        dormant = set() if crewed else set(pw.dormant_when_uncrewed)
        house_f = pw.essential_fraction.value if st.shed_level >= 2 else 1.0
        shared_kw = pw.crew_kw_per_person.value * crew
        if not (st.safe_mode or st.shed_level >= 1):
            shared_kw += (pw.experiments_kw_crewed.value if crewed
                          else pw.experiments_kw_automatic.value) + sum(st.activities.values())
        shared_w = 1e3 * shared_kw + self.th.crew_metabolic_w.value * crew
        awake = [m for m in present if m not in dormant] or list(present)
        vol = sum(self.node[m]["volume"] for m in awake) or 1.0
        out = {}
        for m in present:
            q = 1e3 * house_f * pw.housekeeping_kw(m, crewed)
            if m in awake:
                q += shared_w * self.node[m]["volume"] / vol
            out[m] = q
        return out

    def _segments(self, t0: int, t1: int) -> np.ndarray:
        first = (t0 // BIN_S + 1) * BIN_S
        inner = np.arange(first, t1, BIN_S, dtype=np.int64)
        return np.concatenate([[t0], inner, [t1]]).astype(np.int64)

    def environment(self, sim, t_mid: np.ndarray, biased: bool) -> dict[str, np.ndarray]:
        """Per segment: beta (rad), sunlit share, the MLI cover's T_o^4 (K^4) and the heat
        absorbed per m^2 of radiator (W/m^2)."""
        th = self.th
        a, om = sim.orbit.span_orbit(t_mid.astype(float))
        alt_km = a / 1e3 - R_EQ_M / 1e3
        pm = sim.power
        r_sun = np.stack([np.interp(t_mid, pm.sun_t, pm.sun[:, j]) for j in range(3)], axis=1)
        s_hat = r_sun / np.linalg.norm(r_sun, axis=1)[:, None]
        normal = orbit_normal_gcrf(om, self.inc)
        beta = np.arcsin(np.clip(np.einsum("ij,ij->i", normal, s_hat), -1.0, 1.0))
        lit = 1.0 - eclipse_fraction(beta, alt_km)
        f_s, f_p = _sphere_view(alt_km), _plate_view(alt_km)
        cosb = np.abs(np.cos(beta))
        ab, eb = th.mli_alpha.value, th.mli_epsilon.value
        q_body = (ab * SOLAR_W_M2 / 4.0 * lit + ab * ALBEDO * SOLAR_W_M2 * f_s * lit * cosb
                  + eb * EARTH_IR_W_M2 * f_s)
        ar, er = th.radiator_alpha.value, th.radiator_epsilon.value
        bias = math.radians(self.pw.sun_bias_max_deg.value) if biased else 0.0
        sun_side = np.sin(np.maximum(np.abs(beta) - bias, 0.0)) / 2.0  # half the panels
        q_rad = (ar * SOLAR_W_M2 * sun_side * lit + ar * ALBEDO * SOLAR_W_M2 * f_p * lit * cosb
                 + er * EARTH_IR_W_M2 * f_p)
        return {"beta": beta, "lit": lit, "ts4": q_body / (eb * SIGMA_W_M2_K4),
                "q_rad_m2": q_rad}

    # -- span ----------------------------------------------------------------------------------
    def propose(self, sim, t0: int, t1: int) -> Crossing | None:
        self.crossing = None
        present = [m for m in sim.config.modules if m in self.mod_rows]
        if t1 <= t0 or not present:
            self.pending = None
            return None
        th = self.th
        edges = self._segments(t0, t1)
        dt = np.diff(edges).astype(float)
        t_mid = 0.5 * (edges[:-1] + edges[1:]).astype(float)
        biased = bool(sim.state.sun_biased)
        env = self.environment(sim, t_mid, biased)
        crewed = sim.config.crew_aboard > 0
        low_c, high_c = th.limits_c(crewed)
        t_heat = np.full(len(dt), low_c + th.heater_margin_k.value + K0)
        t_set = th.set_point_c.value + K0
        dloop = th.radiator_below_cabin_k.value
        q_int = self.dissipation_w(sim, present)
        out = {}
        for m in present:
            nd = self.node[m]
            t_start = self.temp_k.get(m, t_set)
            r = node_span(dt, t_start, nd["c"], np.full(len(dt), q_int[m]), env["ts4"],
                          nd["k_body"], nd["k_rad"], env["q_rad_m2"] * nd["a_rad"], dloop,
                          nd["cap"], t_set, t_heat, nd["heater"])
            out[m] = r
        self.pending = dict(edges=edges, dt=dt, out=out, env=env, q_int=q_int, biased=biased,
                            crewed=crewed, low_c=low_c, high_c=high_c, present=present)
        return self._first_crossing(sim, t0, edges, out, low_c, high_c, crewed, env, q_int,
                                    biased)

    def _armed(self, sim, m: str, crewed: bool, ends: np.ndarray, inside: np.ndarray
               ) -> np.ndarray:
        if self.band_crewed is not None and crewed != self.band_crewed:
            since = sim.engine.now_s
        else:
            since = None
        grace = int(self.th.limit_grace_h.value * 3600)
        if since is not None:
            armed_from = since + grace
        else:
            armed_from = self.armed_s.get(m, -1)
        if armed_from < 0:
            return np.ones(len(ends), dtype=bool)
        return (ends >= armed_from) | np.maximum.accumulate(inside)

    def _first_crossing(self, sim, t0, edges, out, low_c, high_c, crewed, env, q_int, biased):
        ends = edges[1:]
        best = None
        for m, (t_end, _tm, _h, _r, regime) in out.items():
            tc = t_end - K0
            status = self.status.get(m, "ok")
            if status == "high":
                hit = tc < high_c - HYSTERESIS_K
                kind = "thermal-ok"
            elif status == "low":
                hit = tc > low_c + HYSTERESIS_K
                kind = "thermal-ok"
            else:
                inside = (tc >= low_c) & (tc <= high_c)
                armed = self._armed(sim, m, crewed, ends, inside)
                hit = armed & ~inside
                kind = None
            if not hit.any():
                continue
            k = int(np.argmax(hit))
            t_s = int(ends[k])
            if t_s <= t0 or (best is not None and t_s >= best["t_s"]):
                continue
            if kind is None:
                kind = "thermal-high" if tc[k] > high_c else "thermal-low"
            best = dict(t_s=t_s, module=m, kind=kind, value_c=float(tc[k]),
                        limit_c=high_c if (kind == "thermal-high" or status == "high") else low_c,
                        beta_deg=float(np.degrees(env["beta"][k])), biased=biased,
                        lit=float(env["lit"][k]), q_int_kw=q_int[m] / 1e3,
                        regime=REGIME_NAMES[int(regime[k])], crewed=crewed,
                        radiator_kw=float(out[m][3][k] / (edges[k + 1] - edges[k]) / 1e3),
                        heater_kw=float(out[m][2][k] / (edges[k + 1] - edges[k]) / 1e3))
        if best is None:
            return None
        self.crossing = best
        return Crossing(best["t_s"], self.name, best["kind"], best["value_c"])

    def heater_kw(self) -> float:
        """Span-mean heater power of the proposed span (kW): the power model's heater load."""
        p = self.pending
        if p is None:
            return 0.0
        span = float(p["dt"].sum())
        return sum(float(r[2].sum()) for r in p["out"].values()) / span / 1e3 if span else 0.0

    def commit(self, sim, t0: int, t1: int) -> None:
        p = self.pending
        if p is None:
            return
        assert int(p["edges"][-1]) == t1, "thermal span does not match the engine's"
        dt = p["dt"]
        crewed = p["crewed"]
        if self.band_crewed is not None and crewed != self.band_crewed:
            for m in p["present"]:
                self.armed_s[m] = t0 + int(self.th.limit_grace_h.value * 3600)
        self.band_crewed = crewed
        for m in [m for m in self.temp_k if m not in p["present"]]:
            del self.temp_k[m]   # left the station (an undocked module)
            self.last_mean_c.pop(m, None)
        span = float(dt.sum())
        for m in p["present"]:
            t_end, t_mean, heat_j, rad_j, regime = p["out"][m]
            self.temp_k[m] = float(t_end[-1])
            self.last_mean_c[m] = float((t_mean * dt).sum() / span) - K0
            self.heater_kwh[m] += float(heat_j.sum()) / 3.6e6
            self.radiator_kwh[m] += float(rad_j.sum()) / 3.6e6
            full = (regime == 1) & (t_end - K0 > self.th.set_point_c.value + 0.01)
            self.saturated_h = self.saturated_h + float(dt[full].sum()) / 3600.0
            inside = (t_end - K0 >= p["low_c"]) & (t_end - K0 <= p["high_c"])
            if inside.any() and self.armed_s.get(m, -1) > t0:
                self.armed_s[m] = -1
            self.last_detail[m] = dict(regime=REGIME_NAMES[int(regime[-1])],
                                       q_int_kw=p["q_int"][m] / 1e3)
            k = int(np.argmax(t_mean))
            if t_mean[k] - K0 > self.extreme["max_c"]:
                self.extreme.update(max_c=float(t_mean[k] - K0), max_module=m,
                                    max_s=int(p["edges"][k]))
            k = int(np.argmin(t_mean))
            if t_mean[k] - K0 < self.extreme["min_c"]:
                self.extreme.update(min_c=float(t_mean[k] - K0), min_module=m,
                                    min_s=int(p["edges"][k]))
        c = self.crossing
        if c is not None and c["t_s"] == t1:
            self.status[c["module"]] = ("ok" if c["kind"] == "thermal-ok"
                                        else c["kind"].removeprefix("thermal-"))
        self._bin(p)

    # -- 10-minute bins ----------------------------------------------------------------------
    def _bin(self, p) -> None:
        edges, dt = p["edges"], p["dt"]
        b = edges[:-1] // BIN_S
        mods = p["present"]
        acc = {"b": b, "dt": dt}
        for m in mods:
            _te, tm, hj, rj, _r = p["out"][m]
            acc[m] = (tm * dt, hj, rj, dt)
        # merge the carried partial bin
        if self.carry is not None:
            c = self.carry
            acc["b"] = np.concatenate([[c["b"]], acc["b"]])
            acc["dt"] = np.concatenate([[c["dt"]], acc["dt"]])
            for m in mods:
                prev = c["mods"].get(m, (0.0, 0.0, 0.0, 0.0))
                acc[m] = tuple(np.concatenate([[prev[i]], acc[m][i]]) for i in range(4))
        bins, inv = np.unique(acc["b"], return_inverse=True)
        dtb = np.bincount(inv, weights=acc["dt"])
        complete = dtb >= BIN_S - 1e-6
        sums = {m: [np.bincount(inv, weights=acc[m][i]) for i in range(4)] for m in mods}
        if not complete[-1]:
            self.carry = {"b": int(bins[-1]), "dt": float(dtb[-1]),
                          "mods": {m: tuple(float(s[-1]) for s in sums[m]) for m in mods}}
        else:
            self.carry = None
        keep = complete
        if not keep.any():
            return
        t_s = (bins[keep] * BIN_S).astype(float)
        temps, heat, rad = [], [], []
        for m in mods:
            w = np.maximum(sums[m][3][keep], 1e-9)  # the module's own time in the bin
            tc = sums[m][0][keep] / w - K0
            hk = sums[m][1][keep] / w / 1e3
            rk = sums[m][2][keep] / w / 1e3
            r = self.mod_rows[m]
            r["t_s"].append(t_s)
            r["temperature_c"].append(tc)
            r["heater_kw"].append(hk)
            r["radiator_kw"].append(rk)
            temps.append(tc)
            heat.append(hk)
            rad.append(rk)
        self.rows["t_s"].append(t_s)
        self.rows["max_temperature_c"].append(np.max(temps, axis=0))
        self.rows["min_temperature_c"].append(np.min(temps, axis=0))
        self.rows["heater_kw"].append(np.sum(heat, axis=0))
        self.rows["radiator_kw"].append(np.sum(rad, axis=0))

    def table(self, sim, since_s: float | None = None) -> dict[str, np.ndarray]:
        """The ``telemetry_thermal`` columns so far (``time`` and every channel; a module
        absent from a bin is NaN), from the bin holding ``since_s`` on."""
        t = np.concatenate(self.rows["t_s"]) if self.rows["t_s"] else np.zeros(0)
        k0 = 0 if since_s is None else int(np.searchsorted(t, since_s - BIN_S, side="right"))
        out = {"time": sim.engine.epochs(t[k0:])}
        for c in STATION_COLUMNS:
            out[c] = (np.concatenate(self.rows[c]) if self.rows[c] else np.zeros(0))[k0:]
        for m, r in self.mod_rows.items():
            mt = np.concatenate(r["t_s"]) if r["t_s"] else np.zeros(0)
            idx = np.searchsorted(t, mt)
            for col in ("temperature_c", "heater_kw", "radiator_kw"):
                full = np.full(len(t), np.nan)
                if len(mt):
                    full[idx] = np.concatenate(r[col])
                out[f"{m}_{col}"] = full[k0:]
        return out

    def summary(self) -> dict[str, float | str]:
        """Hot and cold case figures of the run so far (summary keys)."""
        e = self.extreme
        return {
            "thermal_max_module_temperature_c": round(e["max_c"], 2) if self.rows["t_s"]
            else None,
            "thermal_max_temperature_module": e["max_module"],
            "thermal_min_module_temperature_c": round(e["min_c"], 2) if self.rows["t_s"]
            else None,
            "thermal_min_temperature_module": e["min_module"],
            "thermal_heater_energy_kwh": round(sum(self.heater_kwh.values()), 1),
            "thermal_radiator_energy_kwh": round(sum(self.radiator_kwh.values()), 1),
            "thermal_radiator_saturated_module_hours": round(self.saturated_h, 1),
        }
