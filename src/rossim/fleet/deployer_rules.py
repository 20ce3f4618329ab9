"""Free-flyer deployments against a deployer's rules, and unkept lifetimes.

A deployer on a crewed station accepts only satellites that can never threaten it: released
in a safe direction at a set speed, and falling faster than the station so that a dead
satellite re-enters before it could come back. :func:`check_deployments` checks every
deployment of a scenario against a deployer of ``catalog/deployers.toml`` (the JAXA J-SSOD
rules, ros-facts.md) and reports each rule with the value, the limit and the verdict:

- the station's altitude at release inside the deployer's range;
- the release direction in the orbit plane, ``direction_aft_of_nadir_deg`` aft of nadir,
  within ``direction_tolerance_deg`` (LVLH: x along-track, z nadir, so 45 deg aft of nadir is
  ``(-1, 0, 1)/sqrt 2``);
- the release speed in the CubeSat range, or at the 50 kg class speed for heavier satellites;
- the ballistic coefficient ``m / (Cd A)`` at most the deployer's limit **and** below the
  station's own at that date (the station on the same orbit must decay more slowly);
- the unkept lifetime at most ``max_lifetime_years``.

Lifetimes (:func:`unkept_lifetimes_years`): the orbit-averaged decay of
:mod:`rossim.dynamics.decay` (``da/dt = -F (Cd A / m) rho sqrt(mu a)``, the co-rotating
atmosphere's factor F) integrated in steps of ``step_days`` from the release altitude to
150 km, with the orbit-averaged density of the run's atmosphere model (``operations.
atmosphere``, MSIS 2.1 by default) and the scenario's space weather without the Monte Carlo's
daily noise (the forecast past the last observed day) on an altitude grid, log-linear in
between; the station
is integrated on the same grid without reboosts, so "falls faster than the station" is a
comparison in the same atmosphere. Accuracy is that of the decay model (16 % mean error on
ISS decay, docs/validation.md) and of the solar forecast.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numba import njit

from rossim.config.deployers import DeployerRules, load_deployer_rules
from rossim.constants import GM_EARTH_M3_S2, OMEGA_EARTH_RAD_S, R_EQ_M
from rossim.errors import InputError
from rossim.fleet.deployment import direction_vector

__all__ = ["RuleCheck", "DeploymentRules", "check_deployments", "unkept_lifetimes_years"]

REENTRY_ALTITUDE_KM = 150.0


@dataclass(frozen=True)
class RuleCheck:
    """One rule on one deployment: ``value`` against ``limit`` (text), ``ok``."""

    rule: str
    value: str
    limit: str
    ok: bool


@dataclass(frozen=True)
class DeploymentRules:
    """Every rule of ``deployer`` on deployment ``index`` (see :func:`check_deployments`)."""

    index: int
    date: dt.datetime
    count: int
    mass_kg: float
    ballistic_coefficient_kg_m2: float
    station_ballistic_coefficient_kg_m2: float
    lifetime_years: float
    station_lifetime_years: float
    deployer: str
    checks: tuple[RuleCheck, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ok"] = self.ok
        return d


@njit(cache=True)
def _decay_kernel(h0_m, inv_bc, t_step_s, alts_m, log_rho, inc_rad, h_end_m):  # pragma: no cover
    """Steps to ``h_end_m`` (fractional) of each ballistic coefficient; ``log_rho`` (steps,
    altitudes) orbit-averaged ln density; ``inv_bc`` = Cd A / m (m^2/kg)."""
    n_steps = log_rho.shape[0]
    out = np.full(inv_bc.size, np.inf)
    we = OMEGA_EARTH_RAD_S
    for k in range(inv_bc.size):
        h = h0_m
        for s in range(n_steps):
            a = R_EQ_M + h
            # ln rho at h, log-linear on the grid (clamped to its ends)
            if h <= alts_m[0]:
                lr = log_rho[s, 0]
            elif h >= alts_m[-1]:
                lr = log_rho[s, -1]
            else:
                j = np.searchsorted(alts_m, h) - 1
                w = (h - alts_m[j]) / (alts_m[j + 1] - alts_m[j])
                lr = (1.0 - w) * log_rho[s, j] + w * log_rho[s, j + 1]
            n = math.sqrt(GM_EARTH_M3_S2 / a ** 3)
            f = (1.0 - we / n * math.cos(inc_rad)) ** 2
            dh = f * inv_bc[k] * math.exp(lr) * math.sqrt(GM_EARTH_M3_S2 * a) * t_step_s
            if h - dh <= h_end_m:
                out[k] = s + (h - h_end_m) / dh
                break
            h -= dh
    return out


def unkept_lifetimes_years(scenario: Any, start: dt.datetime,
                           ballistic_coefficients_kg_m2: Any, *, max_years: float = 10.0,
                           step_days: float = 5.0) -> np.ndarray:
    """Years from ``start`` until each ballistic coefficient (kg/m^2, any shape) decays from
    the scenario's altitude to 150 km without manoeuvres; ``inf`` beyond ``max_years``.
    The run's atmosphere model (``operations.atmosphere``, as the orbit model's decay) and
    the scenario's forecast solar cycle (:func:`rossim.environment.weather_dispersion.
    forecast_weather`: a lifetime is a prediction made before the release, without the run's
    daily noise).

    Raises :class:`InputError` for a non-positive ballistic coefficient."""
    from astropy.time import Time, TimeDelta

    from rossim.dynamics.decay import orbit_average_density
    from rossim.dynamics.scenario_orbit import node_rad_at
    from rossim.environment.weather_dispersion import forecast_weather

    bc = np.asarray(ballistic_coefficients_kg_m2, dtype=float)
    if not np.all(bc > 0):
        raise InputError("argument", "ballistic_coefficients_kg_m2", bc.tolist(),
                         "positive ballistic coefficients (kg/m^2)")
    o = scenario.orbit
    h0 = o.altitude_km * 1e3
    alts = np.arange(REENTRY_ALTITUDE_KM, o.altitude_km + 15.0, 15.0) * 1e3
    steps = int(math.ceil(max_years * 365.25 / step_days))
    t0 = Time(start.replace(tzinfo=None) if start.tzinfo else start, scale="utc")
    t = t0 + TimeDelta(np.arange(steps) * step_days * 86400.0, format="sec")
    inc = math.radians(o.inclination_deg)
    weather = forecast_weather(scenario.operations)
    rho = orbit_average_density(t, alts, inc, node_rad_at(scenario, t), weather,
                                model=scenario.operations.atmosphere)
    flat = bc.reshape(-1)
    n = _decay_kernel(h0, 1.0 / flat, step_days * 86400.0, alts, np.log(rho), inc,
                      REENTRY_ALTITUDE_KM * 1e3)
    return (n * step_days / 365.25).reshape(bc.shape)


def _decimals(a: float, b: float, most: int = 3) -> int:
    """The fewest decimals (0 to ``most``) that print ``a`` and ``b`` differently, so that a
    comparison reads as it was decided (91 < 91 read as a pass: ros-2026-plan's family)."""
    for nd in range(most + 1):
        if f"{a:.{nd}f}" != f"{b:.{nd}f}":
            return nd
    return most


def _angle_deg(u: np.ndarray, v: np.ndarray) -> float:
    c = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))
    return math.degrees(math.acos(max(-1.0, min(1.0, c))))


def check_deployments(scenario: Any, timeline: Any = None,
                      deployer: str = "j-ssod") -> list[DeploymentRules]:
    """Every free-flyer deployment of ``scenario`` against ``deployer``'s rules (one
    :class:`DeploymentRules` per deployment, in scenario order). A broken rule is a result
    (``ok`` False on that check), not an error; an unknown deployer raises InputError."""
    from rossim.fleet.lifetime import deployment_lifetime_years
    from rossim.station import build_timeline

    rules_by_id = load_deployer_rules()
    if deployer not in rules_by_id:
        raise InputError("argument", "deployer", deployer, f"one of {', '.join(rules_by_id)}")
    r: DeployerRules = rules_by_id[deployer]
    timeline = build_timeline(scenario) if timeline is None else timeline
    deps = scenario.free_flyers.deployments
    if not deps:
        return []
    o = scenario.orbit
    aft = math.radians(r.direction_aft_of_nadir_deg.value)
    nominal = np.array([-math.sin(aft), 0.0, math.cos(aft)])
    cd = scenario.operations.cd
    sat_bc = np.array([d.mass_kg / (d.cd * d.area_m2) for d in deps])
    stn_bc = []
    for d in deps:
        cfg = timeline.at(d.date)
        stn_bc.append(cfg.mass_kg / (cd * cfg.drag_area_m2) if cfg.mass_kg > 0 else math.nan)
    stn_bc = np.array(stn_bc)
    out = []
    for i, d in enumerate(deps):
        life_sat, life_stn = deployment_lifetime_years(  # the fleet table's too (one model)
            scenario, i, stn_bc[i] if np.isfinite(stn_bc[i]) else 1.0)
        u = direction_vector(d.direction)
        checks = [
            RuleCheck("station altitude at release",
                      f"{o.altitude_km:g} km",
                      f"{r.station_altitude_min_km.value:g}-{r.station_altitude_max_km.value:g} km",
                      r.station_altitude_min_km.value <= o.altitude_km
                      <= r.station_altitude_max_km.value),
            RuleCheck("release direction (from the nominal)",
                      f"{_angle_deg(u, nominal):.1f} deg",
                      f"<= {r.direction_tolerance_deg.value:g} deg of "
                      f"{r.direction_aft_of_nadir_deg.value:g} deg aft of nadir, in plane",
                      _angle_deg(u, nominal) <= r.direction_tolerance_deg.value),
        ]
        if d.mass_kg <= r.cubesat_max_mass_kg.value:
            lo, hi = r.speed_cubesat_min_m_s.value, r.speed_cubesat_max_m_s.value
            checks.append(RuleCheck("release speed (CubeSat)", f"{d.delta_v_m_s:g} m/s",
                                    f"{lo:g}-{hi:g} m/s", lo <= d.delta_v_m_s <= hi))
        else:
            v, tol = r.speed_50kg_m_s.value, r.speed_50kg_tolerance_m_s.value
            checks.append(RuleCheck("release speed (50 kg class)", f"{d.delta_v_m_s:g} m/s",
                                    f"{v:g} +- {tol:g} m/s", abs(d.delta_v_m_s - v) <= tol))
        nd = _decimals(float(sat_bc[i]), float(stn_bc[i]))   # as many as tell them apart
        checks += [
            RuleCheck("ballistic coefficient m/(Cd A)", f"{sat_bc[i]:.0f} kg/m^2",
                      f"<= {r.max_ballistic_coefficient_kg_m2.value:g} kg/m^2",
                      bool(sat_bc[i] <= r.max_ballistic_coefficient_kg_m2.value)),
            RuleCheck("must fall faster than the station", f"{sat_bc[i]:.{nd}f} kg/m^2",
                      f"< station's {stn_bc[i]:.{nd}f} kg/m^2", bool(sat_bc[i] < stn_bc[i])),
            RuleCheck("unkept lifetime", f"{life_sat:.1f} years",
                      f"<= {r.max_lifetime_years.value:g} years",
                      bool(life_sat <= r.max_lifetime_years.value)),
        ]
        out.append(DeploymentRules(
            index=i, date=d.date, count=d.count, mass_kg=d.mass_kg,
            ballistic_coefficient_kg_m2=float(sat_bc[i]),
            station_ballistic_coefficient_kg_m2=float(stn_bc[i]),
            lifetime_years=float(life_sat), station_lifetime_years=float(life_stn),
            deployer=r.name, checks=tuple(checks)))
    return out
