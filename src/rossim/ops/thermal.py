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
  capacity; the loop bypasses them to hold the set point (a bypassed panel rejects nothing).
  A loop with too few working pumps (:mod:`rossim.ops.coolant_loop`) is stopped: capacity 0,
  the module rejects only its hull's leak and warms with its dissipation until the repair.
  Area beyond half the hull (the NEMs, sized for their published users' power) is deployed
  panels parallel to the body-mounted ones, in the same environment (:func:`module_nodes`).
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

Telemetry: table ``telemetry_thermal`` in hourly bins: per module ``<id>_temperature_c``
(hourly mean), ``<id>_heater_kw``, ``<id>_radiator_kw`` (hourly means), and the station's
``max_temperature_c``, ``min_temperature_c``, ``heater_kw``, ``radiator_kw``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import replace

import numpy as np

from rossim.constants import R_EQ_M
from rossim.dynamics.decay import orbit_normal_gcrf
from rossim.ops.coolant_loop import stopped_loops
from rossim.ops.engine import Channel, Crossing, Model
from rossim.systems.thermal import (
    REGIME_NAMES,
    SIGMA_W_M2_K4,
    environment_fluxes,
    hull_area_m2,
    nodes_span,
)

BIN_S = 600      # segment grid: the environment is updated every 10 minutes
OUT_S = 3600     # telemetry bins (hourly: the node's time constant is days)
K0 = 273.15
#: hysteresis (K): a module too hot counts as back inside below min(upper limit - 1 K, set
#: point + 1 K), a module too cold above its lower limit + 1 K
HYSTERESIS_K = 1.0
TABLE = "telemetry_thermal"
STATION_COLUMNS = ("max_temperature_c", "min_temperature_c", "heater_kw", "radiator_kw")


def module_nodes(cat, th, modules) -> dict[str, dict[str, float]]:
    """Thermal node constants of each module: ``c`` heat capacity (J/K), ``k_body = e* sigma
    A`` of the hull under MLI less the body-mounted radiators (W/K^4), ``a_rad`` radiator
    area (m^2; body-mounted up to half the hull, the rest deployed panels parallel to them,
    same environment, not taken from the MLI), ``k_rad = eps_r sigma A_rad`` (W/K^4), ``cap``
    loop capacity (W), ``heater`` heater capacity (W), ``volume`` pressurised volume (m^3)."""
    sig = SIGMA_W_M2_K4
    out: dict[str, dict[str, float]] = {}
    for m in modules:
        mod = cat.modules[m]
        a_hull = hull_area_m2(mod.shape, mod.length_m.value, mod.diameter_m.value)
        a_rad = th.per_module(th.radiator_area_m2, m)
        a_body = min(a_rad, 0.5 * a_hull)   # body-mounted share (NEM sizing: deployed beyond)
        out[m] = dict(
            c=mod.mass_kg.value * th.specific_heat_j_kg_k.value,
            k_body=th.mli_effective_emittance.value * sig * (a_hull - a_body),
            a_rad=a_rad, k_rad=th.radiator_epsilon.value * sig * a_rad,
            cap=1e3 * th.per_module(th.loop_capacity_kw, m),
            heater=1e3 * th.per_module(th.heater_capacity_kw, m),
            volume=mod.pressurised_volume_m3.value)
    return out


def module_dissipation_w(pw, th, nodes, present, crew: int, *, shed_level: int = 0,
                         safe_mode: bool = False, activities_kw: float = 0.0
                         ) -> dict[str, float]:
    """Heat dissipated inside each module of ``present`` (W): its served housekeeping in the
    current mode (level-2 shedding keeps the essential share), plus the station's life support,
    experiments and activities as served, shared over the modules not dormant by pressurised
    volume (``nodes``: :func:`module_nodes`), plus the crew's metabolic heat."""
    crewed = crew > 0
    dormant = set() if crewed else set(pw.dormant_when_uncrewed)
    house_f = pw.essential_fraction.value if shed_level >= 2 else 1.0
    shared_kw = pw.crew_kw_per_person.value * crew
    if not (safe_mode or shed_level >= 1):
        shared_kw += (pw.experiments_kw_crewed.value if crewed
                      else pw.experiments_kw_automatic.value) + activities_kw
    shared_w = 1e3 * shared_kw + th.crew_metabolic_w.value * crew
    awake = [m for m in present if m not in dormant] or list(present)
    vol = sum(nodes[m]["volume"] for m in awake) or 1.0
    out = {}
    for m in present:
        q = 1e3 * house_f * pw.housekeeping_kw(m, crewed)
        if m in awake:
            q += shared_w * nodes[m]["volume"] / vol
        out[m] = q
    return out


def steady_heater_w(nodes, q_int_w: dict[str, float], ts4_k4, t_heat_k: float) -> np.ndarray:
    """Heater power (W, like ``ts4_k4``) that holds every module of ``q_int_w`` at its heater
    set point ``t_heat_k`` in steady state: per module ``clip(k_body (T_h^4 - T_o^4) - q_int,
    0, heater capacity)`` (the hold-heat regime of :func:`rossim.systems.thermal.node_span`:
    radiators bypassed), summed over modules; ``ts4_k4`` the MLI cover's ``T_o^4`` (K^4) from
    :func:`rossim.systems.thermal.environment_fluxes`."""
    ts4 = np.asarray(ts4_k4, dtype=float)
    total = np.zeros_like(ts4)
    for m, q in q_int_w.items():
        nd = nodes[m]
        total += np.clip(nd["k_body"] * (t_heat_k ** 4 - ts4) - q, 0.0, nd["heater"])
    return total


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
        self.mli = (th.mli_alpha.value, th.mli_epsilon.value)
        self.rad = (th.radiator_alpha.value, th.radiator_epsilon.value)
        self.node = module_nodes(cat, th, modules)
        self.temp_k: dict[str, float] = {}
        self.status: dict[str, str] = {}          # ok / high / low
        self.armed_s: dict[str, int] = {}         # limits checked from this time (or inside)
        self.band_crewed: bool | None = None
        self.pending = None
        self.crossing: dict | None = None         # details of the last crossing proposed
        self.last_mean_c: dict[str, float] = {}
        self.last_detail: dict[str, dict] = {}
        # committed spans: (hours, t0, t1, modules, hourly sums (4, M, k)): table() joins them
        self.chunks: list[tuple] = []
        self.mod_rows = {m: True for m in modules}   # modules with a node
        self.heater_kwh = {m: 0.0 for m in modules}
        self.heater_kwh_uncrewed = 0.0
        self.radiator_kwh = {m: 0.0 for m in modules}
        self.saturated_h = 0.0
        # warmest and coldest module temperature at a segment end, the values the limits are
        # checked against (an alarm's value is one of them): [degC, module, engine s]
        self.extreme: dict[str, list] = {"max": [None, "", 0], "min": [None, "", 0]}
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
                f"{m} cabin and equipment temperature, hourly mean (crewed band {lo_c:g}-{hi_c:g}, "
                f"uncrewed {lo_u:g}-{hi_u:g} degC)", lo_c, hi_c, "thermal")
            ch[f"{m}_heater_kw"] = Channel(
                f"{m}_heater_kw", TABLE, "kW", f"{m} heater power, hourly mean", 0.0,
                self.node[m]["heater"] / 1e3, "thermal")
            ch[f"{m}_radiator_kw"] = Channel(
                f"{m}_radiator_kw", TABLE, "kW", f"{m} heat rejected by its radiators, hourly mean",
                0.0, self.node[m]["cap"] / 1e3, "thermal")

    # -- inputs ------------------------------------------------------------------------------
    def dissipation_w(self, sim, present: list[str]) -> dict[str, float]:
        """Heat dissipated inside each module (W): :func:`module_dissipation_w` with the
        station's crew, shedding level and activities now."""
        st = sim.state
        return module_dissipation_w(self.pw, self.th, self.node, present, sim.config.crew_aboard,
                                    shed_level=st.shed_level, safe_mode=st.safe_mode,
                                    activities_kw=sum(st.activities.values()))

    def _segments(self, t0: int, t1: int) -> np.ndarray:
        first = (t0 // BIN_S + 1) * BIN_S
        inner = np.arange(first, t1, BIN_S, dtype=np.int64)
        return np.concatenate([[t0], inner, [t1]]).astype(np.int64)

    def environment(self, sim, t_mid: np.ndarray, biased: bool) -> dict[str, np.ndarray]:
        """Per segment: beta (rad), sunlit share, the MLI cover's T_o^4 (K^4) and the heat
        absorbed per m^2 of radiator (W/m^2). The view factors use the span-mean altitude."""
        a, om = sim.orbit.span_orbit(t_mid)
        alt_km = float(a.mean()) / 1e3 - R_EQ_M / 1e3
        pm = sim.power   # its Sun table (DE421 every SUN_STEP_S), linear in between
        step = pm.sun_t[1] - pm.sun_t[0]
        k = np.minimum((t_mid // step).astype(np.int64), len(pm.sun_t) - 2)
        w = (t_mid - pm.sun_t[k])[:, None] / step
        sun = pm.sun[k] * (1.0 - w) + pm.sun[k + 1] * w
        normal = orbit_normal_gcrf(om, self.inc)
        sin_b = (normal * sun).sum(axis=1) / np.sqrt((sun * sun).sum(axis=1))
        beta = np.arcsin(np.clip(sin_b, -1.0, 1.0))
        bias = math.radians(self.pw.sun_bias_max_deg.value) if biased else 0.0
        env = environment_fluxes(beta, alt_km, bias, self.mli, self.rad)
        env["beta"] = beta
        return env

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
        q_int = self.dissipation_w(sim, present)
        nd = [self.node[m] for m in present]
        col = {k: np.array([x[k] for x in nd]) for k in ("c", "k_body", "k_rad", "a_rad", "cap",
                                                         "heater")}
        stopped = stopped_loops(sim, present)   # no pump: the loop carries no heat
        col["cap"] = np.where([m in stopped for m in present], 0.0, col["cap"])
        out = nodes_span(dt, np.array([self.temp_k.get(m, t_set) for m in present]), col["c"],
                         np.array([q_int[m] for m in present]), env["ts4"], col["k_body"],
                         col["k_rad"], env["q_rad_m2"], col["a_rad"],
                         th.radiator_below_cabin_k.value, col["cap"], t_set, t_heat,
                         col["heater"])
        self.pending = dict(edges=edges, dt=dt, out=out, env=env, q_int=q_int, biased=biased,
                            crewed=crewed, low_c=low_c, high_c=high_c, present=present,
                            stopped=stopped)
        return self._first_crossing(sim, t0, edges, out, present, low_c, high_c, crewed, env,
                                    q_int, biased)

    def _armed(self, sim, m: str, crewed: bool, ends: np.ndarray, inside: np.ndarray
               ) -> np.ndarray | bool:
        """Segments in which ``m``'s limits are checked (see the module docstring)."""
        if self.band_crewed is not None and crewed != self.band_crewed:
            armed_from = sim.engine.now_s + int(self.th.limit_grace_h.value * 3600)
        else:
            armed_from = self.armed_s.get(m, -1)
        if armed_from < 0:
            return True
        return (ends >= armed_from) | np.maximum.accumulate(inside)

    def _first_crossing(self, sim, t0, edges, out, present, low_c, high_c, crewed, env, q_int,
                        biased):
        ends = edges[1:]
        t_end, _tm, heat_j, rad_j, regime = out
        tc_all = t_end - K0
        best = None
        for j, m in enumerate(present):
            tc = tc_all[j]
            status = self.status.get(m, "ok")
            if status == "high":  # back once near the set point: no shed/restore chatter
                hit = tc < min(high_c - HYSTERESIS_K,
                               self.th.set_point_c.value + HYSTERESIS_K)
            elif status == "low":
                hit = tc > low_c + HYSTERESIS_K
            else:
                inside = (tc >= low_c) & (tc <= high_c)
                if inside.all():
                    continue
                hit = self._armed(sim, m, crewed, ends, inside) & ~inside
            if not hit.any():
                continue
            k = int(np.argmax(hit))
            t_s = int(ends[k])
            if t_s <= t0 or (best is not None and t_s >= best["t_s"]):
                continue
            if status != "ok":
                kind = "thermal-ok"
            else:
                kind = "thermal-high" if tc[k] > high_c else "thermal-low"
            seg = float(edges[k + 1] - edges[k])
            loop = self.pending["stopped"].get(m, "")   # the hot regime of a stopped loop
            regime_txt = (f"coolant loop stopped, {loop}" if loop and regime[j, k] == 1
                          else REGIME_NAMES[int(regime[j, k])])
            best = dict(t_s=t_s, module=m, kind=kind, value_c=float(tc[k]),
                        limit_c=high_c if (kind == "thermal-high" or status == "high") else low_c,
                        beta_deg=float(np.degrees(env["beta"][k])), biased=biased,
                        lit=float(env["lit"][k]), q_int_kw=q_int[m] / 1e3,
                        regime=regime_txt, loop_stopped=loop, crewed=crewed,
                        radiator_kw=float(rad_j[j, k] / seg / 1e3),
                        heater_kw=float(heat_j[j, k] / seg / 1e3))
        if best is None:
            return None
        self.crossing = best
        return Crossing(best["t_s"], self.name, best["kind"], best["value_c"])

    def heater_kw(self) -> float:
        """Span-mean heater power of the proposed span (kW): the power model's heater load."""
        p = self.pending
        if p is None:
            return 0.0
        return float(p["out"][2].sum()) / float(p["dt"].sum()) / 1e3

    def commit(self, sim, t0: int, t1: int) -> None:
        p = self.pending
        if p is None:
            return
        assert int(p["edges"][-1]) == t1, "thermal span does not match the engine's"
        dt, present = p["dt"], p["present"]
        crewed = p["crewed"]
        grace = int(self.th.limit_grace_h.value * 3600)
        if self.band_crewed is not None and crewed != self.band_crewed:
            for m in present:
                self.armed_s[m] = t0 + grace
        self.band_crewed = crewed
        for m in [m for m in self.temp_k if m not in present]:
            del self.temp_k[m]   # left the station (an undocked module)
            self.last_mean_c.pop(m, None)
        t_end, t_mean, heat_j, rad_j, regime = p["out"]
        span = float(dt.sum())
        tc_end = t_end - K0
        mean_c = (t_mean * dt).sum(axis=1) / span - K0
        heat = heat_j.sum(axis=1) / 3.6e6
        rad = rad_j.sum(axis=1) / 3.6e6
        hot = (regime == 1) & (tc_end > self.th.set_point_c.value + 0.01) \
            & np.array([[m not in p["stopped"]] for m in present])   # a stopped loop: no flow
        self.saturated_h += float((hot * dt).sum()) / 3600.0
        if not crewed:
            self.heater_kwh_uncrewed += float(heat.sum())
        inside = ((tc_end >= p["low_c"]) & (tc_end <= p["high_c"])).any(axis=1)
        ends = p["edges"][1:]
        for j, m in enumerate(present):
            for key, k in (("max", int(np.argmax(tc_end[j]))), ("min", int(np.argmin(tc_end[j])))):
                v, x = float(tc_end[j, k]), self.extreme[key]
                if x[0] is None or (v > x[0] if key == "max" else v < x[0]):
                    self.extreme[key] = [v, m, int(ends[k])]
            self.temp_k[m] = float(t_end[j, -1])
            self.last_mean_c[m] = float(mean_c[j])
            self.heater_kwh[m] += float(heat[j])
            self.radiator_kwh[m] += float(rad[j])
            if inside[j] and self.armed_s.get(m, -1) >= 0:
                self.armed_s[m] = -1
        c = self.crossing
        if c is not None and c["t_s"] == t1:
            self.status[c["module"]] = ("ok" if c["kind"] == "thermal-ok"
                                        else c["kind"].removeprefix("thermal-"))
        # hourly partial sums of this span (an hour cut by a span end is in two chunks)
        h = p["edges"][:-1] // OUT_S
        starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
        x = np.stack([t_mean * dt, heat_j, rad_j, np.broadcast_to(dt, t_mean.shape)])
        self.chunks.append((h[starts], int(p["edges"][0]), int(p["edges"][-1]), tuple(present),
                            np.add.reduceat(x, starts, axis=2)))

    # -- hourly bins ----------------------------------------------------------------------
    def table(self, sim, since_s: float | None = None) -> dict[str, np.ndarray]:
        """The ``telemetry_thermal`` columns so far: ``time`` (bin start) and every channel,
        hourly bin means over the time each module was attached (NaN while absent; a bin still open
        at the clock is left out), from the bin holding ``since_s`` on."""
        k0 = 0
        if since_s is not None:
            for j in range(len(self.chunks) - 1, -1, -1):
                if self.chunks[j][1] < since_s - OUT_S:
                    k0 = j
                    break
        chunks = self.chunks[k0:]
        cols: dict[str, np.ndarray] = {}
        if not chunks:   # nothing committed yet
            t = np.zeros(0)
            for m in self.mod_rows:
                for col in ("temperature_c", "heater_kw", "radiator_kw"):
                    cols[f"{m}_{col}"] = np.zeros(0)
        else:
            b_first = int(chunks[0][1] // OUT_S)
            end = chunks[-1][2]
            nb = end // OUT_S - b_first   # complete bins only
            t = (b_first + np.arange(max(nb, 0))) * float(OUT_S)
            if since_s is not None:
                keep = t >= since_s - OUT_S
            else:
                keep = np.ones(len(t), dtype=bool)
            for m in self.mod_rows:
                idx, x = [], []
                for hours, _t0, _t1, present, arr in chunks:
                    if m in present:
                        idx.append(hours - b_first)
                        x.append(arr[:, present.index(m)])
                if not idx:
                    for col in ("temperature_c", "heater_kw", "radiator_kw"):
                        cols[f"{m}_{col}"] = np.full(len(t), np.nan)[keep]
                    continue
                ii = np.concatenate(idx)
                xx = np.concatenate(x, axis=1)
                ok = ii < nb
                sums = [np.bincount(ii[ok], weights=xx[r, ok], minlength=nb)[:nb]
                        for r in range(4)]
                w = sums[3]
                with np.errstate(invalid="ignore", divide="ignore"):
                    wn = np.where(w > 0, w, np.nan)
                    cols[f"{m}_temperature_c"] = (sums[0] / wn - K0)[keep]
                    cols[f"{m}_heater_kw"] = (sums[1] / wn / 1e3)[keep]
                    cols[f"{m}_radiator_kw"] = (sums[2] / wn / 1e3)[keep]
            t = t[keep]
        out = {"time": sim.engine.epochs(t)}
        temps = np.array([cols[f"{m}_temperature_c"] for m in self.mod_rows]).reshape(
            len(self.mod_rows), len(t))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # a bin with no module: NaN
            out["max_temperature_c"] = np.nanmax(temps, axis=0) if len(t) else np.zeros(0)
            out["min_temperature_c"] = np.nanmin(temps, axis=0) if len(t) else np.zeros(0)
        for col in ("heater_kw", "radiator_kw"):
            out[col] = np.nansum([cols[f"{m}_{col}"] for m in self.mod_rows], axis=0) \
                if len(t) and self.mod_rows else np.zeros(len(t))
        out.update(cols)
        return out

    def summary(self, sim, tab: dict | None = None) -> dict[str, float | str | None]:
        """Hot and cold case figures of the run so far (summary keys): the warmest and
        coldest temperature of any module on the 10-minute segment grid the limits are checked
        on (so never milder than an alarm's value; the hourly table holds bin means), heater
        and radiator energy. ``tab``: the :meth:`table` already built."""
        tab = self.table(sim) if tab is None else tab
        best: dict[str, float | str | None] = {"max": None, "max_module": "", "max_time": "",
                                               "min": None, "min_module": "", "min_time": ""}
        for m in self.mod_rows:
            v = tab[f"{m}_temperature_c"]
            if not np.isfinite(v).any():
                continue
            k, j = int(np.nanargmax(v)), int(np.nanargmin(v))
            if best["max"] is None or v[k] > best["max"]:
                best.update(max=float(v[k]), max_module=m,
                            max_time=str(tab["time"][k].astype("datetime64[m]")) + "Z")
            if best["min"] is None or v[j] < best["min"]:
                best.update(min=float(v[j]), min_module=m,
                            min_time=str(tab["time"][j].astype("datetime64[m]")) + "Z")
        for key, (v, m, t_s) in self.extreme.items():   # the segment-grid extremes
            if v is not None:
                when = sim.engine.epochs(np.array([float(t_s)]))[0]
                best.update({key: v, f"{key}_module": m,
                             f"{key}_time": str(when.astype("datetime64[m]")) + "Z"})
        return {
            "thermal_max_module_temperature_c": None if best["max"] is None
            else round(best["max"], 2),
            "thermal_max_temperature_module": best["max_module"],
            "thermal_max_temperature_time": best["max_time"],
            "thermal_min_module_temperature_c": None if best["min"] is None
            else round(best["min"], 2),
            "thermal_min_temperature_module": best["min_module"],
            "thermal_min_temperature_time": best["min_time"],
            "thermal_heater_energy_kwh": round(sum(self.heater_kwh.values()), 1),
            "thermal_heater_energy_uncrewed_kwh": round(self.heater_kwh_uncrewed, 1),
            "thermal_radiator_energy_kwh": round(sum(self.radiator_kwh.values()), 1),
            "thermal_radiator_saturated_module_hours": round(self.saturated_h, 1),
        }
