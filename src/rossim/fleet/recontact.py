"""Recontact over months: every released satellite of a scenario and the station, integrated
together with the coarse-step nonlinear model of :mod:`rossim.dynamics.family_propagation`
(two-body + J2 + drag, RK4 at 30 s, validated against the full propagator and the
Clohessy-Wiltshire closed form in ``tests/fleet/test_recontact.py``), from release until
re-entry or at least 90 days, through the run's reboosts (or reboosts planned at the band
floor without a run). :func:`family_recontact` gives per satellite the closest return to the
station and its time, returns into the approach ellipsoid and the keep-out sphere, re-entry,
and conflicts with arriving ships' approach corridors; :func:`family_summary` is the
``free_flyers`` section of ``rossim run``'s summary.json.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np

from rossim.config.free_flyers import APPROACH_CORRIDOR_LVLH_M as _CORRIDOR
from rossim.config.free_flyers import CORRIDOR_ORBITS, CORRIDOR_RADIUS_M
from rossim.constants import GM_EARTH_M3_S2, R_EQ_M
from rossim.dynamics.family_propagation import (  # noqa: F401  (re-exported)
    DEFAULT_HORIZON_DAYS,
    FamilyRecontact,
    SatelliteRecontact,
    StationBurn,
    density_table,
    hohmann_impulses,
    propagate_family,
    release_velocities_lvlh,
)
from rossim.errors import InputError

__all__ = ["APPROACH_CORRIDOR_LVLH_M", "family_recontact", "family_summary",
           "propagate_family", "density_table", "hohmann_impulses", "StationBurn"]

APPROACH_CORRIDOR_LVLH_M = np.array(_CORRIDOR)
#: Longest delay of an approach (whole orbits) tried when re-timing it around the family.
MAX_APPROACH_DELAY_ORBITS = 8


def _release_states(scenario: Any, timeline: Any, seed: int,
                    release_dates: dict[int, dt.datetime] | None = None) -> list[dict]:
    """Every satellite of the scenario's deployments: release time, LVLH state, Cd A/m
    (:func:`rossim.dynamics.family_release.release_states`, as the autonomy sees them)."""
    from rossim.dynamics.family_release import release_states

    return release_states(scenario, timeline, seed, release_dates)


#: What the deployments' two station altitudes are (``model["station_altitudes"]``, next to
#: the rows in ``summary.json`` ``free_flyers.recontact_model``): two different quantities.
STATION_ALTITUDES = {
    "station_altitude_start_km": "the run's mean semi-major axis minus the equatorial radius at "
                                 "the release (as the summary's min_altitude_km and the "
                                 "altitude band)",
    "station_altitude_min_km": "the minimum over the horizon of the osculating |r| minus the "
                               "equatorial radius of the integrated station (started at the "
                               "node on a circle of the mean altitude): below the mean-element "
                               "altitude by the J2 swing of the radius within each orbit and "
                               "the decay, so not comparable with min_altitude_km"}


def family_recontact(scenario: Any, *, timeline: Any = None, history: Any = None,
                     horizon_days: float = DEFAULT_HORIZON_DAYS, step_s: float = 30.0,
                     seed: int | None = None,
                     release_dates: dict[int, dt.datetime] | None = None,
                     release_station: dict[int, tuple[float, float]] | None = None,
                     weather: Any = None, atmosphere: str | None = None) -> dict[str, Any]:
    """Nonlinear recontact of every satellite of the scenario's deployments (one
    :func:`propagate_family` per deployment, from its date for ``horizon_days``).

    ``history``: the run's :class:`rossim.ops.orbit_keeping.OrbitHistory` (altitude, node,
    hourly station ``Cd A/m`` and the flown reboosts); without it the station starts at the
    scenario's altitude with the configuration's ``Cd A/m`` of the date and plans its own
    reboosts at the band floor. ``release_dates``: actual release of deployment ``i`` (the
    keep-out rules may have held it) instead of the plan's date; ``release_station``: the
    station's altitude (km) and node (rad) at that release as flown (the autonomy's record,
    :meth:`rossim.ops.keepout.KeepOut.record`) instead of the history's next hourly sample.
    Arriving ships' approach windows (the plan's vehicle dockings) are screened against
    :data:`APPROACH_CORRIDOR_LVLH_M`. ``weather`` and ``atmosphere``: the run's
    (:attr:`rossim.ops.run_result.SimulationResult.weather` and ``.atmosphere``; default the
    scenario's forecast without daily noise and its ``operations.atmosphere``, as
    :func:`rossim.dynamics.family_propagation.density_table`).

    Returns ``{"satellites": [rows], "deployments": [rows], "corridor_conflicts": [rows],
    "approach_retiming": [rows], "model": {...}}``; times ISO UTC; a satellite's
    ``first_return_at`` is its first entry into the approach ellipsoid (or the keep-out
    sphere) after release (None: none). A conflicting approach is
    re-timed by the smallest whole number of orbits (up to ``MAX_APPROACH_DELAY_ORBITS``)
    that keeps every satellite out of its corridor (``delay_orbits`` None: none found).
    """
    from rossim.dynamics.family_release import flown_impulses, station_state_gcrf
    from rossim.dynamics.scenario_orbit import node_rad_at
    from rossim.station import build_timeline
    from rossim.station.propellant_forecast import altitude_band_km

    if not (math.isfinite(horizon_days) and horizon_days > 0):
        raise InputError("argument", "horizon_days", horizon_days, "a positive number of days")
    timeline = build_timeline(scenario) if timeline is None else timeline
    seed = scenario.seed if seed is None and hasattr(scenario, "seed") else (seed or 0)
    ff = scenario.free_flyers
    o = scenario.orbit
    band = altitude_band_km(o)
    sats = _release_states(scenario, timeline, int(seed), release_dates)
    rows, deps, conflicts, retiming = [], [], [], []
    horizon_s = horizon_days * 86400.0
    docks = [e for e in timeline.events if e.kind == "dock" and e.part_kind == "vehicle"]
    for i, d in enumerate(ff.deployments):
        group = [s for s in sats if s["deployment"] == i]
        start = release_dates[i] if release_dates and i in release_dates else d.date
        t64 = np.datetime64(start.replace(tzinfo=None), "us")
        alt_km = o.altitude_km
        bst: Any = None
        burns: list[StationBurn] = []
        band_m = (band[0] * 1e3, band[1] * 1e3)
        node = float(node_rad_at(scenario, np.array([t64]))[0])
        if history is not None and len(history.epochs) and history.epochs[0] <= t64 \
                <= history.epochs[-1]:
            j = int(np.searchsorted(history.epochs, t64))
            j = min(j, len(history.epochs) - 1)
            alt_km = float(history.altitude_m[j]) / 1e3
            node = float(history.raan_rad[j])
            if release_station and i in release_station:
                alt_km, node = (float(x) for x in release_station[i])
            bst = np.asarray(history.ballistic_m2_kg[j:], float)
            burns = flown_impulses(history.burns, t64, horizon_s)
            band_m = None
        if bst is None or bst.size == 0:
            cfg = timeline.at(start)
            bst = np.array([scenario.operations.cd * cfg.drag_area_m2 / cfg.mass_kg])
        r0, v0 = station_state_gcrf(alt_km, o.inclination_deg, node)
        lr, alts = density_table(scenario, start, horizon_days, max(alt_km, band[1]),
                                 weather=weather, model=atmosphere)
        period = 2 * math.pi * math.sqrt((R_EQ_M + alt_km * 1e3) ** 3 / GM_EARTH_M3_S2)
        wins, win_names = [], []
        for e in docks:   # each approach, and the same approach delayed by 1..N orbits
            td = (e.time - start).total_seconds()
            for k in range(MAX_APPROACH_DELAY_ORBITS + 1):
                tk = td + k * period
                if 0.0 < tk <= horizon_s:
                    wins.append((max(tk - CORRIDOR_ORBITS * period, 0.0), tk))
                    win_names.append((e.part, e.time, k))
        res = propagate_family(
            r0, v0, np.array([s["state"] for s in group]),
            np.array([(s["release"] - start).total_seconds() for s in group]),
            np.array([s["cda_over_m"] for s in group]), bst, horizon_s=horizon_s,
            log_density=lr, altitudes_m=alts, burns=burns, step_s=step_s,
            approach_ellipsoid_m=ff.approach_ellipsoid_m,
            keep_out_radius_m=ff.keep_out_radius_m, corridor_windows_s=wins,
            corridor_lvlh_m=APPROACH_CORRIDOR_LVLH_M,
            reboost_band_m=band_m)

        def iso(t_s: float, start=start) -> str | None:
            if not math.isfinite(t_s):
                return None
            return (start + dt.timedelta(seconds=float(t_s))).strftime("%Y-%m-%dT%H:%M:%SZ")

        for s, r in zip(group, res.satellites, strict=True):
            rows.append({
                "name": s["name"], "deployment": i, "released": iso(
                    (s["release"] - start).total_seconds()),
                "ballistic_coefficient_kg_m2": s["ballistic_coefficient_kg_m2"],
                "closest_approach_m": r.closest_approach_m,
                "closest_approach_at": iso(r.closest_approach_t_s),
                "returns_to_approach_ellipsoid": r.ellipsoid_entries > 1,
                "approach_ellipsoid_entries_after_release": max(r.ellipsoid_entries - 1, 0),
                "keep_out_sphere_entries_after_release": max(r.keep_out_entries - 1, 0),
                "keep_out_breach": r.breach,
                "first_return_at": iso(r.first_return_t_s),
                "reentry": iso(r.reentry_t_s),
                "horizon_days": horizon_days,
            })
            for w, (ship, when, k) in enumerate(win_names):
                if k == 0 and r.corridor_min_m[w] < CORRIDOR_RADIUS_M:
                    conflicts.append({"satellite": s["name"], "ship": ship,
                                      "docking": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                      "distance_to_corridor_m": r.corridor_min_m[w]})
        # re-timing: the smallest whole-orbit delay of each conflicting approach that keeps
        # every satellite of the deployment out of the corridor
        clear = np.array([[r.corridor_min_m[w] >= CORRIDOR_RADIUS_M for w in range(len(wins))]
                          for r in res.satellites]).all(axis=0) if wins else np.zeros(0, bool)
        for ship, when in {(n[0], n[1]) for n in win_names if n[2] == 0}:
            idx = {n[2]: w for w, n in enumerate(win_names) if n[0] == ship and n[1] == when}
            if clear[idx[0]]:
                continue
            ok = [k for k in sorted(idx) if clear[idx[k]]]
            retiming.append({
                "ship": ship, "docking": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "delay_orbits": ok[0] if ok else None,
                "new_docking": (when + dt.timedelta(seconds=ok[0] * period)).strftime(
                    "%Y-%m-%dT%H:%M:%SZ") if ok else None})
        deps.append({"deployment": i, "date": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                     "station_burns": len(burns) // 2 if band_m is None
                     else int(res.planned_burns.shape[0]),
                     "reboosts_from": "run" if band_m is None else "planned (band floor)",
                     "station_altitude_start_km": alt_km,
                     "station_altitude_min_km": float(np.nanmin(res.station_altitude_m)) / 1e3,
                     "approach_windows_screened": sum(1 for n in win_names if n[2] == 0)})
    retiming.sort(key=lambda x: (x["docking"], x["ship"]))
    return {"satellites": rows, "deployments": deps, "corridor_conflicts": conflicts,
            "approach_retiming": retiming,
            "model": {"kind": "coarse-step nonlinear (RK4, J2, drag, orbit-averaged density)",
                      "station_altitudes": STATION_ALTITUDES,
                      "step_s": step_s, "horizon_days": horizon_days,
                      "approach_ellipsoid_m": list(ff.approach_ellipsoid_m),
                      "keep_out_radius_m": ff.keep_out_radius_m,
                      "corridor_radius_m": CORRIDOR_RADIUS_M,
                      "corridor_orbits": CORRIDOR_ORBITS}}


def family_summary(scenario: Any, result: Any, *, horizon_days: float | None = None
                   ) -> dict[str, Any] | None:
    """The family of a finished run (:class:`rossim.ops.simulation.SimulationResult`; its
    ``keepout`` record from :mod:`rossim.ops.keepout`) per satellite (``summary.json`` ``free_flyers``): the
    deployer rules of its deployment (:func:`rossim.fleet.deployer_rules.check_deployments`),
    its actual release (after keep-out holds), the nonlinear closest approach to the station
    over ``horizon_days`` (default ``free_flyers.recontact_horizon_days``, 90) through the
    run's reboosts (:func:`rossim.fleet.recontact.family_recontact` with the run's orbit
    history), keep-out breaches, station-keeping burns and the unkept re-entry date; plus the
    approach-corridor conflicts. None without deployments."""
    import datetime as dt

    from rossim.fleet.deployer_rules import check_deployments

    ff = scenario.free_flyers
    if not ff.deployments:
        return None
    rec = getattr(result, "keepout", None) or {"released": [], "holds": [], "burns": []}
    actual: dict[int, dt.datetime] = {}
    station: dict[int, tuple[float, float]] = {}   # the station at the release, as flown
    for s in rec["released"]:
        if s["name"].endswith("-1"):
            actual[s["deployment"]] = dt.datetime.strptime(
                s["actual"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
            if s.get("station_altitude_km") is not None:
                station[s["deployment"]] = (s["station_altitude_km"], s["station_raan_rad"])
    end = result.orbit.epochs[-1] if len(result.orbit.epochs) else None
    released_idx = set(actual)
    rules = check_deployments(scenario, result.timeline)
    horizon = ff.recontact_horizon_days if horizon_days is None else horizon_days
    rc = family_recontact(scenario, timeline=result.timeline, history=result.orbit,
                          horizon_days=horizon, seed=result.seed,
                          release_dates={i: actual[i] for i in actual},
                          release_station=station,
                          weather=getattr(result, "weather", None),
                          atmosphere=getattr(result, "atmosphere", None))
    burns_by = {}
    for b in rec["burns"]:
        burns_by[b["satellite"]] = burns_by.get(b["satellite"], 0) + 1
    rows = []
    for r in rc["satellites"]:
        i = r["deployment"]
        rule = rules[i]
        life_y = rule.lifetime_years
        rel = dt.datetime.strptime(r["released"], "%Y-%m-%dT%H:%M:%SZ")
        reentry = r["reentry"] or (
            (rel + dt.timedelta(days=365.25 * life_y)).strftime("%Y-%m-%d")
            if math.isfinite(life_y) else None)
        rows.append({
            "name": r["name"], "deployment": i + 1,
            "released": r["released"] if i in released_idx else None,
            "released_in_run": i in released_idx,
            "deployer_rules_ok": rule.ok,
            "deployer_rules_broken": [c.rule for c in rule.checks if not c.ok],
            "ballistic_coefficient_kg_m2": round(r["ballistic_coefficient_kg_m2"], 1),
            "closest_approach_m": (round(r["closest_approach_m"], 1)
                                   if math.isfinite(r["closest_approach_m"]) else None),
            "closest_approach_at": r["closest_approach_at"],
            "first_return_at": r["first_return_at"],
            "approach_ellipsoid_returns": r["approach_ellipsoid_entries_after_release"],
            "keep_out_sphere_returns": r["keep_out_sphere_entries_after_release"],
            # issue 14: the unkept prediction breaches; a station-keeping burn before the
            # predicted breach clears the satellite (rossim.ops.keepout): only a breach no
            # burn came before counts as a breach
            "keep_out_breach_unkept": r["keep_out_breach"],
            "breach_avoided_by_burn_m_s": _avoided_dv(rec["burns"], r),
            "keep_out_breach": (r["keep_out_breach"]
                                and _avoided_dv(rec["burns"], r) is None),
            "station_keeping_burns": burns_by.get(r["name"], 0),
            "reentry": reentry,
            "reentry_from": "nonlinear" if r["reentry"] else "unkept lifetime model",
        })
    return {"satellites": rows, "deployments": rc["deployments"], "holds": rec["holds"],
            "corridor_conflicts": rc["corridor_conflicts"],
            "approach_retiming": rc["approach_retiming"], "burns": rec["burns"],
            "breaches": sum(1 for x in rows if x["keep_out_breach"]),
            "breaches_avoided_by_burns": sum(1 for x in rows
                                             if x["breach_avoided_by_burn_m_s"] is not None),
            "run_end": None if end is None else str(end.astype("datetime64[s]")) + "Z",
            "recontact_model": rc["model"]}


def _avoided_dv(burns: list[dict], r: dict) -> float | None:
    """Delta-v (m/s) of the satellite's station-keeping burns at or before its predicted
    unkept breach (``first_return_at``, its first entry into the approach ellipsoid after
    release; else ``closest_approach_at``; any burn when both are unknown), None when the
    unkept satellite does not breach or no burn came first (a real breach)."""
    if not r["keep_out_breach"]:
        return None
    at = r.get("first_return_at") or r["closest_approach_at"]
    dv = [b["dv_m_s"] for b in burns
          if b["satellite"] == r["name"] and (at is None or b["time"] <= at)]
    return round(float(sum(dv)), 3) if dv else None
