"""The free-flyer family of a scenario: who is deployed, where each one flies, and what the
span of ``days`` looks like (closest approaches, safety-zone events, conjunctions, budgets).

Plan (from the scenario's ``[free_flyers]``):

* every deployment is checked: its port (a payload port of a module attached at the date),
  its ejection's passive safety (:func:`rossim.fleet.deployment.check_recontact`) and the
  spacing of its satellites released ``interval_s`` apart;
* every satellite then holds a slot of the family: a passively safe relative orbit (parallel
  e/i vectors) on ring ``k`` (radial amplitude ``ellipse_radial_m + k ring_spacing_m``,
  cross-track ``ellipse_cross_track_m + k ring_spacing_m``), evenly phased;
* :func:`simulate` lets the family drift freely for ``days`` (HCW plus each satellite's
  differential drag at the epoch's density) and reports per satellite the relative orbit's
  size, the closest approach to the station, keep-out sphere and approach-ellipsoid entries
  (events, found with :func:`rossim.search.find_intervals`), the station-keeping budget and
  the cost of retrieving it (robot arm) or servicing it (spaceplane); and the conjunctions
  of all pairs (station included) with miss distance, time of closest approach and 2-D Pc.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.config.scenario import Scenario
from rossim.constants import GM_EARTH_M3_S2, R_EQ_M
from rossim.dynamics.family_release import satellite_name
from rossim.errors import InputError
from rossim.fleet.collision import encounter
from rossim.fleet.deployment import (
    EjectionPlan,
    RecontactCheck,
    check_recontact,
    direction_vector,
    release_point_lvlh,
    resolve_port,
)
from rossim.fleet.relative import ROWS_PER_CALL, HCWEphemeris, RelativeOrbit, mean_motion
from rossim.fleet.screening import screen
from rossim.fleet.servicing import arm_retrieval, spaceplane_service
from rossim.fleet.stationkeeping import budget, density_along_orbit, differential_drag_m_s2
from rossim.search import find_intervals

__all__ = ["DeploymentReport", "FleetReport", "Satellite", "plan_family", "simulate"]

R_EARTH_M = R_EQ_M  # rossim.constants


@dataclass(frozen=True)
class Satellite:
    """One free-flyer: its deployment, properties and slot in the family."""

    name: str
    deployment: int
    deployed: dt.datetime
    mass_kg: float
    cda_over_m: float
    propellant_kg: float
    isp_s: float
    ring: int
    orbit: RelativeOrbit
    #: Re-entry (UTC): release plus the unkept lifetime (rossim.fleet.lifetime); None beyond
    #: the lifetime model's horizon. The satellite leaves the catalogue from then on.
    end_of_life: dt.datetime | None = None
    #: Unkept lifetime from release (years, ``inf`` beyond the horizon): end_of_life - deployed.
    lifetime_years: float = math.inf


@dataclass(frozen=True)
class DeploymentReport:
    """Checks of one deployment (see :mod:`rossim.fleet.deployment`)."""

    index: int
    date: dt.datetime
    port: str
    release: str
    count: int
    direction_lvlh: tuple[float, float, float]
    delta_v_m_s: float
    release_point_m: tuple[float, float, float]
    differential_drag_m_s2: float
    recontact: RecontactCheck
    min_spacing_between_satellites_m: float | None


@dataclass
class FleetReport:
    """Result of :func:`simulate`."""

    scenario: str
    start: dt.datetime
    days: float
    step_s: float
    n_rad_s: float
    station_keeping: bool
    keep_out_radius_m: float
    approach_ellipsoid_m: tuple[float, float, float]
    satellites: list[dict]
    deployments: list[DeploymentReport]
    conjunctions: list[dict]
    events: list[dict]
    tracks_t_s: np.ndarray = field(repr=False)
    tracks_lvlh_m: np.ndarray = field(repr=False)   # (T, N_sat, 3), decimated
    screening: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        from dataclasses import asdict

        deps = []
        for d in self.deployments:
            item = asdict(d)
            deps.append(item)
        return {
            "scenario": self.scenario, "start": self.start, "days": self.days,
            "step_s": self.step_s, "keep_out_radius_m": self.keep_out_radius_m,
            "station_keeping": self.station_keeping,
            "approach_ellipsoid_m": list(self.approach_ellipsoid_m),
            "satellites": self.satellites, "deployments": deps,
            "conjunctions": self.conjunctions, "events": self.events,
            "screening": self.screening,
        }


def _station_cda_over_m(timeline, date, cd: float) -> tuple[float, float, float]:
    cfg = timeline.at(date)
    if cfg.mass_kg <= 0:
        raise InputError(timeline.scenario.source_path, "free_flyers", str(date)[:10],
                         "a date when the station exists")
    return cd * cfg.drag_area_m2 / cfg.mass_kg, cfg.mass_kg, cfg.drag_area_m2


def _node_deg(scenario: Scenario, date) -> float:
    """The scenario's node (deg) at ``date``: the one orbit of
    :func:`rossim.dynamics.scenario_orbit.orbit_from_scenario`, J2 drift from the span start."""
    from rossim.dynamics.scenario_orbit import node_rad_at
    from rossim.time import to_time

    return math.degrees(float(node_rad_at(scenario, to_time(date))[0])) % 360.0


def _atmosphere(scenario: Scenario) -> dict[str, Any]:
    """The density model of the family's drag figures: the run's atmosphere
    (``operations.atmosphere``) and the scenario's forecast without daily noise (as the
    deployer rules' lifetimes, :func:`rossim.fleet.deployer_rules.unkept_lifetimes_years`)."""
    from rossim.environment.weather_dispersion import forecast_weather

    ops = scenario.operations
    return {"model": ops.atmosphere, "weather": forecast_weather(ops)}


def _mean_density(scenario: Scenario, date, days: float = 3.0) -> float:
    o = scenario.orbit
    _, rho = density_along_orbit(o.altitude_km, o.inclination_deg, date, days,
                                 raan_deg=_node_deg(scenario, date), step_s=600.0,
                                 **_atmosphere(scenario))
    return float(np.mean(rho))


def deployment_seed(seed: int, index: int) -> np.random.SeedSequence:
    """The dispersion stream of deployment ``index``: spawned from the run seed, so each
    deployment's dispersed ejections are independent of every other's."""
    return np.random.SeedSequence(int(seed), spawn_key=(zlib.crc32(b"fleet-deployment"),
                                                         int(index)))


def plan_family(scenario: Scenario, timeline=None, *, check_deployments: bool = True,
                seed: int | None = None) -> tuple[list[Satellite], list[DeploymentReport]]:
    """The satellites of the scenario with their slots, and the deployment checks."""
    from rossim.station import build_timeline

    ff = scenario.free_flyers
    where = scenario.source_path
    timeline = build_timeline(scenario) if timeline is None else timeline
    r = R_EARTH_M + scenario.orbit.altitude_km * 1000.0
    n = mean_motion(r)
    speed = math.sqrt(GM_EARTH_M3_S2 / r)
    total = sum(d.count for d in ff.deployments)
    if total > ff.max_satellites:
        raise InputError(where, "free_flyers.deployments", f"{total} satellites",
                         f"at most max_satellites = {ff.max_satellites}")
    sats: list[Satellite] = []
    reports: list[DeploymentReport] = []
    k = 0
    for i, dep in enumerate(ff.deployments):
        fld = f"free_flyers.deployments[{i}]"
        if not dep.delta_v_m_s > 0:
            raise InputError(where, f"{fld}.delta_v_m_s", dep.delta_v_m_s,
                             "a positive ejection speed (m/s)")
        module = resolve_port(timeline, dep.port, dep.date, where=where, field=f"{fld}.port")
        stn_cda, _, _ = _station_cda_over_m(timeline, dep.date, scenario.operations.cd)
        sat_cda = dep.cd * dep.area_m2 / dep.mass_kg
        if check_deployments:
            rho = _mean_density(scenario, dep.date)
            delta = float(differential_drag_m_s2(rho, speed, sat_cda, stn_cda))
            d = direction_vector(dep.direction)
            rp = release_point_lvlh(timeline, module, dep.date, d, dep.release, dep.arm_reach_m)
            plan = EjectionPlan(tuple(rp), tuple(d), dep.delta_v_m_s, n, delta,
                                dep.delta_v_sigma_fraction, dep.direction_sigma_deg)
            check = check_recontact(plan, recontact_radius_m=ff.recontact_radius_m,
                                    keep_out_radius_m=ff.keep_out_radius_m,
                                    orbits=ff.recontact_orbits, samples=ff.dispersion_samples,
                                    seed=deployment_seed(scenario.seed if seed is None
                                                         else seed, i))
            spacing = _release_spacing(plan, dep.count, dep.interval_s, ff.recontact_orbits)
            reports.append(DeploymentReport(
                index=i, date=dep.date, port=dep.port, release=dep.release, count=dep.count,
                direction_lvlh=tuple(float(x) for x in d), delta_v_m_s=dep.delta_v_m_s,
                release_point_m=tuple(float(x) for x in rp), differential_drag_m_s2=delta,
                recontact=check, min_spacing_between_satellites_m=spacing))
        from rossim.fleet.lifetime import deployment_lifetime_years

        # unkept lifetime, the deployer table's and the run report's (rossim.fleet.lifetime)
        life = deployment_lifetime_years(scenario, i)[0]
        eol = dep.date + dt.timedelta(days=365.25 * life) if math.isfinite(life) else None
        for j in range(dep.count):
            ring, slot = divmod(k, ff.satellites_per_ring)
            in_ring = min(ff.satellites_per_ring, total - ring * ff.satellites_per_ring)
            phase = 2 * math.pi * slot / in_ring + 0.5 * math.pi * ring / max(1, in_ring)
            orbit = RelativeOrbit(
                ae=ff.ellipse_radial_m + ring * ff.ring_spacing_m,
                ai=ff.ellipse_cross_track_m + ring * ff.ring_spacing_m,
                phase_e_rad=phase, phase_i_rad=phase)
            sats.append(Satellite(
                name=satellite_name(i, j), deployment=i,
                deployed=dep.date + dt.timedelta(seconds=j * dep.interval_s),
                mass_kg=dep.mass_kg, cda_over_m=sat_cda, propellant_kg=dep.propellant_kg,
                isp_s=dep.isp_s, ring=ring, orbit=orbit,
                end_of_life=None if eol is None else eol + dt.timedelta(
                    seconds=j * dep.interval_s), lifetime_years=life))
            k += 1
    return sats, reports


def _release_spacing(plan: EjectionPlan, count: int, interval_s: float,
                     orbits: int) -> float | None:
    """Smallest distance between consecutive satellites of one deployment (nominal paths
    ``interval_s`` apart), over ``orbits`` orbits after the later release."""
    if count < 2:
        return None
    from rossim.fleet.relative import hcw_propagate

    period = 2 * math.pi / plan.n_rad_s
    t = np.arange(0.0, orbits * period, 10.0)
    acc = np.array([-plan.differential_drag_m_s2, 0.0, 0.0])
    later = hcw_propagate(plan.state0(), plan.n_rad_s, t, acc)[:, 0, :3]
    earlier = hcw_propagate(plan.state0(), plan.n_rad_s, t + interval_s, acc)[:, 0, :3]
    return float(np.min(np.linalg.norm(later - earlier, axis=1)))


def _sigmas_cov(sig: tuple[float, float, float]) -> np.ndarray:
    return np.diag(np.asarray(sig, float) ** 2)


def _check_inside_span(scenario: Scenario, t0: dt.datetime, days: float,
                       default_start: bool) -> None:
    """``days`` from ``t0`` end by the scenario's span end (the station and its timeline end
    there): an InputError naming ``days``, the span and the most ``days`` allowed."""
    end = scenario.span.end if scenario.span.end.tzinfo else scenario.span.end.replace(
        tzinfo=dt.UTC)
    stop = t0 + dt.timedelta(days=float(days))
    if stop <= end:
        return
    room = (end - t0).total_seconds() / 86400.0
    origin = "the last satellite's release" if default_start else "start"
    raise InputError("argument", "days", days,
                     f"a span that ends by the scenario {scenario.name}'s end "
                     f"({end:%Y-%m-%d}): at most {math.floor(round(room * 1000, 6)) / 1000:g} days from "
                     f"{origin} {t0:%Y-%m-%d %H:%M} UTC",
                     problem=f"it would end {stop:%Y-%m-%d %H:%M} UTC")


def simulate(scenario: Scenario, days: float = 7.0, *, start: Any = None,
             step_s: float = 10.0, timeline=None, years_budget: float = 1.0,
             station_keeping: bool = True, workers: int = 2) -> FleetReport:
    """Fly the family for ``days`` from ``start`` (default: when the last satellite is
    released). With ``station_keeping`` every satellite holds its slot (its differential drag
    cancelled); without, the family drifts freely under differential drag."""
    import warnings

    from erfa import ErfaWarning

    with warnings.catch_warnings():
        # dates past the last known leap second (the 2030s) are fine for this analysis
        warnings.simplefilter("ignore", ErfaWarning)
        return _simulate(scenario, days, start, step_s, timeline, years_budget,
                         station_keeping, workers)


def _simulate(scenario, days, start, step_s, timeline, years_budget, station_keeping,
              workers) -> FleetReport:
    from rossim.station import build_timeline
    from rossim.time import to_time

    ff = scenario.free_flyers
    where = scenario.source_path
    if not (isinstance(days, (int, float)) and math.isfinite(days) and 0 < days <= 366):
        raise InputError("argument", "days", days, "a number of days in (0, 366]")
    if not (math.isfinite(step_s) and 0 < step_s <= 600):
        raise InputError("argument", "step_s", step_s, "a step in (0, 600] s")
    if not ff.deployments:
        raise InputError(where, "free_flyers.deployments", [],
                         "at least one deployment to simulate a family")
    if start is not None:
        from rossim.fleet.lifetime import check_start_in_scenario

        check_start_in_scenario(scenario, to_time(start).to_datetime(timezone=dt.UTC))
        _check_inside_span(scenario, to_time(start).to_datetime(timezone=dt.UTC), days, False)
    timeline = build_timeline(scenario) if timeline is None else timeline
    sats, reports = plan_family(scenario, timeline)
    t0 = max(s.deployed for s in sats) if start is None else to_time(start).to_datetime(
        timezone=dt.UTC)
    if start is None:
        _check_inside_span(scenario, t0, days, True)
    o = scenario.orbit
    r = R_EARTH_M + o.altitude_km * 1000.0
    n = mean_motion(r)
    speed = math.sqrt(GM_EARTH_M3_S2 / r)
    stn_cda, stn_mass, stn_area = _station_cda_over_m(timeline, t0, scenario.operations.cd)
    rho = _mean_density(scenario, t0)
    active = [s for s in sats if s.deployed <= t0
              and (s.end_of_life is None or t0 < s.end_of_life)]  # re-entered: gone
    if not active:
        last = [s.end_of_life for s in sats if s.deployed <= t0]
        raise InputError("argument", "start", str(t0)[:10],
                         "a date on or after the first deployment "
                         f"({min(d.date for d in ff.deployments).date()})" + (
                             f" and before the last satellite's re-entry "
                             f"({max(last):%Y-%m-%d}, release plus unkept lifetime)"
                             if last else ""))
    # object 0 is the station (origin of LVLH); satellites start on their slots
    x0 = np.zeros((len(active) + 1, 6))
    acc = np.zeros((len(active) + 1, 3))
    for k, s in enumerate(active, start=1):
        x0[k] = s.orbit.state(n, 0.0)[0]
        acc[k, 0] = -float(differential_drag_m_s2(rho, speed, s.cda_over_m, stn_cda))
    # Free drift per day without control (along-track 1.5 delta t^2), for the table.
    drift_day = 1.5 * np.abs(acc[1:, 0]) * 86400.0**2
    # With station-keeping each satellite cancels its differential drag (continuous
    # control), so its relative orbit is the nominal one; without, it drifts.
    eph = HCWEphemeris(x0, n, None if station_keeping else acc)
    t = np.arange(0.0, days * 86400.0 + 0.5 * step_s, step_s)
    # a satellite that re-enters inside the span (release plus unkept lifetime,
    # rossim.fleet.lifetime) is flown up to its re-entry only: no closest approach, zone
    # entry, conjunction or track after it (index 0, the station, never re-enters here)
    gone_s = np.array([math.inf] + [math.inf if s.end_of_life is None
                                    else (s.end_of_life - t0).total_seconds() for s in active])
    conj = screen(eph, t, ff.screening_distance_m, workers=workers)
    epoch0 = Time(t0)

    # covariances (LVLH, m^2)
    sat_cov = (np.asarray(ff.covariance_m2, float) if ff.covariance_m2 is not None
               else _sigmas_cov(ff.position_sigma_m))
    stn_cov = _sigmas_cov(ff.station_position_sigma_m)
    names = ["station"] + [s.name for s in active]
    conj_rows = []
    for c in conj:
        if c.tca_s >= min(gone_s[c.i], gone_s[c.j]):  # after a re-entry: no conjunction
            continue
        ci = stn_cov if c.i == 0 else sat_cov
        hbr = (ff.station_hard_body_radius_m if c.i == 0 else ff.hard_body_radius_m) \
            + ff.hard_body_radius_m
        if c.relative_speed_m_s > 0:
            enc = encounter(np.zeros(3), np.zeros(3), ci, c.r_rel_m, c.v_rel_m_s, sat_cov, hbr)
            pc, dur = enc.pc, enc.duration_s
        else:  # at rest relative to each other: no encounter, the 2-D method does not apply
            pc, dur = None, None
        conj_rows.append({
            "object_1": names[c.i], "object_2": names[c.j],
            "tca": (epoch0 + TimeDelta(c.tca_s, format="sec")).utc.isot + "Z",
            "tca_s": c.tca_s, "miss_m": c.miss_m, "relative_speed_m_s": c.relative_speed_m_s,
            "pc": pc, "encounter_duration_s": dur, "hard_body_radius_m": hbr,
        })

    # safety-zone events per satellite (entries into keep-out sphere / approach ellipsoid)
    axes = np.asarray(ff.approach_ellipsoid_m, float)
    events: list[dict] = []
    pos_all = eph.positions(t)[:, 1:, :]                     # (T, N, 3)
    dist = np.empty(pos_all.shape[:2])
    for a in range(0, t.size, ROWS_PER_CALL):   # in parts: a Ctrl-C is acted on between them
        part = pos_all[a:a + ROWS_PER_CALL]
        part[t[a:a + ROWS_PER_CALL, None] >= gone_s[None, 1:]] = np.nan   # re-entered: no track
        dist[a:a + ROWS_PER_CALL] = np.linalg.norm(part, axis=-1)
    end = epoch0 + TimeDelta(t[-1], format="sec")

    def offsets(tt: Time) -> np.ndarray:
        return np.atleast_1d((tt - epoch0).to_value("s"))

    rows = []
    density_samples = density_along_orbit(o.altitude_km, o.inclination_deg, t0,
                                          365.25 * years_budget,
                                          raan_deg=_node_deg(scenario, t0),
                                          **_atmosphere(scenario))
    for k, s in enumerate(active):
        idx = k + 1
        zone_counts = {}
        reentered = bool(gone_s[idx] <= t[-1])
        s_end = epoch0 + TimeDelta(gone_s[idx], format="sec") if reentered else end
        for zone in ("keep-out sphere", "approach ellipsoid"):
            if zone == "keep-out sphere":
                def inside(tt, idx=idx):
                    p = eph.positions(offsets(tt))[:, idx, :]
                    return np.linalg.norm(p, axis=-1) < ff.keep_out_radius_m
            else:
                def inside(tt, idx=idx):
                    p = eph.positions(offsets(tt))[:, idx, :]
                    return np.sum((p / axes) ** 2, axis=-1) < 1.0
            begins, ends, clipped_b, _ = find_intervals(inside, epoch0, s_end, step_s,
                                                        tol_s=0.1)
            zone_counts[zone] = len(begins)
            for b, e, cb in zip(begins, ends, clipped_b, strict=True):
                events.append({"satellite": s.name, "zone": zone,
                               "begin": b.utc.isot + "Z", "end": e.utc.isot + "Z",
                               "already_inside_at_start": bool(cb)})
        bud = budget(s.cda_over_m, stn_cda, o.altitude_km, o.inclination_deg, t0,
                     mass_kg=s.mass_kg, propellant_kg=s.propellant_kg, isp_s=s.isp_s,
                     density_samples=density_samples)
        arm = arm_retrieval(s.orbit, n)
        plane = spaceplane_service(s.orbit, n)
        along, cross, radial = s.orbit.size_m()
        i_min = int(np.nanargmin(dist[:, k]))  # t[0] = 0 < re-entry: never all NaN
        rows.append({
            "name": s.name, "deployment": s.deployment, "deployed": s.deployed,
            "ring": s.ring, "along_track_m": along, "cross_track_m": cross, "radial_m": radial,
            "passively_safe": s.orbit.passively_safe,
            "closest_approach_m": float(dist[i_min, k]),
            "closest_approach_at": (epoch0 + TimeDelta(t[i_min], format="sec")).utc.isot + "Z",
            "free_drift_m_per_day": float(drift_day[k]),
            "keep_out_entries": zone_counts["keep-out sphere"],
            "approach_ellipsoid_entries": zone_counts["approach ellipsoid"],
            "dv_differential_m_s_per_year": bud.dv_differential_m_s,
            "dv_m_s_per_year": bud.dv_total_m_s,
            "propellant_kg_per_year": bud.propellant_kg_per_year,
            # the one lifetime (unkept decay from release to 150 km: rossim.fleet.lifetime,
            # the deployer table's and the run's re-entry); the propellant's endurance at the
            # station-keeping rate is a budget, not a lifetime
            "lifetime_years": s.lifetime_years,
            "station_keeping_years": bud.propellant_years,
            "arm_retrieval_dv_m_s": arm.dv_total_m_s, "arm_retrieval_time_h": arm.tof_s / 3600,
            "spaceplane_dv_m_s": plane.dv_total_m_s,
            "spaceplane_sortie_h": plane.duration_s / 3600,
            # re-entry inside the span (UTC; release plus unkept lifetime): the row's figures
            # cover the span up to it; None when the satellite flies the whole span
            "reentry": s_end.utc.isot + "Z" if reentered else None,
        })
    dec = max(1, int(round(60.0 / step_s)))
    return FleetReport(
        scenario=scenario.name, start=t0, days=float(days), step_s=float(step_s), n_rad_s=n,
        station_keeping=bool(station_keeping),
        keep_out_radius_m=ff.keep_out_radius_m, approach_ellipsoid_m=tuple(axes.tolist()),
        satellites=rows, deployments=reports, conjunctions=conj_rows, events=events,
        tracks_t_s=t[::dec], tracks_lvlh_m=pos_all[::dec],
        screening={"pairs": (len(active) + 1) * len(active) // 2, "steps": int(t.size),
                   "threshold_m": ff.screening_distance_m, **conj.stats,
                   "station_mass_kg": stn_mass, "station_drag_area_m2": stn_area,
                   "mean_density_kg_m3": rho})
