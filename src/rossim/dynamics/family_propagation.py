"""The station and its released satellites integrated together with a coarse-step nonlinear
model, through the station's reboosts (used by :mod:`rossim.fleet.recontact` for the
recontact check and by :mod:`rossim.ops.keepout` for the autonomy's prediction).

The linear check of :mod:`rossim.fleet.deployment` looks 15 orbits ahead with HCW. That
misses what matters after a month: differential drag brings a satellite that decays more
slowly than the station back to its altitude, a reboost lifts the station through the
satellite's altitude, and a satellite that laps the station (a few km of altitude difference
is hundreds of km a day of along-track drift) passes it again. :func:`propagate_family`
integrates the station and ``N`` satellites **in one compiled loop** (numba), from release
until each satellite's re-entry (150 km) or the end of the horizon (at least 90 days by
default), and reports per satellite:

* the closest approach to the station (m) and its time, found on every integration step and
  refined inside each step by a cubic Hermite interpolation of the relative state (16 points)
  wherever the separation is below 50 km;
* the keep-out zones: entries into and time spent inside the approach ellipsoid (semi-axes
  ``approach_ellipsoid_m`` along the LVLH x, y, z axes, ISS practice 4 x 2 x 2 km) and the
  keep-out sphere (``keep_out_radius_m``, ISS practice 200 m), with the first entry's time;
* the smallest distance to each arriving ship's approach corridor during its approach window
  (:mod:`rossim.ops.keepout` builds the corridors);
* the re-entry time, when inside the horizon.

Model ("coarse-step nonlinear", validated against the full propagator
:func:`rossim.dynamics.propagator.propagate`, ``tests/fleet/test_recontact.py``): GCRF,
two-body plus J2 (the dominant differential term between orbits a few km apart: the nodes and
perigees drift at rates that differ with the semi-major axis), drag ``-1/2 rho (Cd A/m)
|v_r| v_r`` relative to an atmosphere co-rotating with the Earth, with ``rho`` the
orbit-averaged density of the scenario's atmosphere model and space weather
(:func:`rossim.dynamics.decay.orbit_average_density`, daily, on an altitude grid, log-linear in
altitude and linear in time between days) at the spherical altitude ``|r| - R_eq``; classical
fourth-order Runge-Kutta with a fixed step (``step_s``, 30 s by default). The station's drag
(``Cd A/m``) follows the run's hourly channel (vehicles docking change it), and each reboost
of the run (:attr:`rossim.ops.orbit_keeping.OrbitHistory.burns`) is flown as a Hohmann
transfer: a tangential impulse at the burn's time and another half an orbit later, sized from
the burn's altitudes before and after. Integration errors are common to objects that fly
within a few km of each other and largely cancel in the relative motion.

Cost: ``(N+1) x 4`` acceleration evaluations per step; 24 satellites over 90 days at 30 s
are about 26 million evaluations (seconds on one core). The compiled loop is
:func:`rossim.dynamics.family_kernel.family_kernel`; this module prepares its arguments and
wraps its output in the result types.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rossim.constants import GM_EARTH_M3_S2, R_EQ_M
from rossim.dynamics.family_kernel import REFINE_BELOW_M, family_kernel  # noqa: F401  (re-exported)
from rossim.errors import InputError

__all__ = ["release_velocities_lvlh", "FamilyRecontact", "SatelliteRecontact", "StationBurn", "propagate_family",
           "hohmann_impulses", "REENTRY_ALTITUDE_M", "DEFAULT_HORIZON_DAYS", "density_table"]

REENTRY_ALTITUDE_M = 150e3
DEFAULT_HORIZON_DAYS = 90.0


@dataclass(frozen=True)
class StationBurn:
    """One tangential impulse of the station: ``t_s`` after the propagation epoch,
    ``dv_m_s`` along the velocity (negative: retrograde)."""

    t_s: float
    dv_m_s: float


def hohmann_impulses(t_s: float, altitude_before_km: float, altitude_after_km: float
                     ) -> tuple[StationBurn, StationBurn]:
    """The two tangential impulses of a Hohmann transfer between circular orbits at the two
    altitudes (km above R_eq): the first at ``t_s``, the second half a transfer orbit later."""
    r1 = R_EQ_M + altitude_before_km * 1e3
    r2 = R_EQ_M + altitude_after_km * 1e3
    mu = GM_EARTH_M3_S2
    at = 0.5 * (r1 + r2)
    dv1 = math.sqrt(mu / r1) * (math.sqrt(2 * r2 / (r1 + r2)) - 1.0)
    dv2 = math.sqrt(mu / r2) * (1.0 - math.sqrt(2 * r1 / (r1 + r2)))
    half = math.pi * math.sqrt(at ** 3 / mu)
    return StationBurn(float(t_s), dv1), StationBurn(float(t_s) + half, dv2)


@dataclass(frozen=True)
class SatelliteRecontact:
    """One satellite over the horizon (times in s after the propagation epoch, NaN: never).
    The closest approach is the smallest local minimum of the separation (a return) once the
    satellite has been twice the largest semi-axis of the approach ellipsoid away (``inf``:
    it never came back); ``ellipsoid_min_q`` counts from then too."""

    closest_approach_m: float
    closest_approach_t_s: float
    ellipsoid_min_q: float        # min of sum((x_i / a_i)^2) once out: < 1 means back inside
    ellipsoid_entries: int
    ellipsoid_first_entry_t_s: float
    ellipsoid_time_inside_s: float
    keep_out_entries: int
    reentry_t_s: float
    corridor_min_m: tuple[float, ...]
    #: first entry into the approach ellipsoid (or the keep-out sphere) after release: the
    #: return a keep-out burn must come before (NaN: none)
    first_return_t_s: float = math.nan

    @property
    def breach(self) -> bool:
        """True when the satellite entered the approach ellipsoid after release (leaving it
        once, right after release, is the release itself and not counted here)."""
        return self.ellipsoid_entries > 1 or self.keep_out_entries > 1


@dataclass
class FamilyRecontact:
    """Result of :func:`propagate_family`: per satellite, plus decimated LVLH tracks."""

    step_s: float
    horizon_s: float
    satellites: list[SatelliteRecontact]
    track_t_s: np.ndarray            # (M,)
    track_lvlh_m: np.ndarray         # (M, N, 3); NaN before release and after re-entry
    station_altitude_m: np.ndarray   # (M,) |r| - R_eq of the integrated station
    station_end_t_s: float
    final_states_gcrf: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 6)))
    planned_burns: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))


def density_table(scenario: Any, start: dt.datetime, days: float, altitude_km: float, *,
                  weather: Any = None, raan_deg: float | None = None,
                  model: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Daily orbit-averaged ln density (days+2, A) on altitudes (A,) m from 140 km to
    ``altitude_km`` + 40 km: ``model`` (default the scenario's ``operations.atmosphere``;
    a run passes the model its orbit flies) and ``weather`` (a run's:
    :func:`rossim.environment.weather_dispersion.run_weather`; default the scenario's
    forecast without daily noise, :func:`~rossim.environment.weather_dispersion.
    forecast_weather`), the scenario's node (or ``raan_deg`` drifting at the J2 rate)."""
    from astropy.time import Time, TimeDelta

    from rossim.dynamics.decay import nodal_rate_rad_s, orbit_average_density
    from rossim.dynamics.scenario_orbit import node_rad_at
    from rossim.environment.weather_dispersion import forecast_weather

    alts = np.arange(REENTRY_ALTITUDE_M / 1e3 - 10.0, altitude_km + 45.0, 10.0) * 1e3
    n = int(math.ceil(days)) + 2
    t0 = Time(start.replace(tzinfo=None) if getattr(start, "tzinfo", None) else start,
              scale="utc")
    t = t0 + TimeDelta(np.arange(n) * 86400.0, format="sec")
    o = scenario.orbit
    inc = math.radians(o.inclination_deg)
    if raan_deg is None:
        node = node_rad_at(scenario, t)
    else:
        rate = float(nodal_rate_rad_s(R_EQ_M + altitude_km * 1e3, inc))
        node = math.radians(raan_deg) + rate * np.arange(n) * 86400.0
    weather = forecast_weather(scenario.operations) if weather is None else weather
    rho = orbit_average_density(t, alts, inc, node, weather,
                                model=model or scenario.operations.atmosphere)
    return np.log(rho), alts


def propagate_family(station_r_m, station_v_m_s, release_lvlh, release_t_s, cda_over_m,
                     station_cda_over_m, *, horizon_s: float, log_density: np.ndarray,
                     altitudes_m: np.ndarray, burns: Sequence[StationBurn] = (),
                     step_s: float = 30.0, approach_ellipsoid_m=(2000.0, 1000.0, 1000.0),
                     keep_out_radius_m: float = 200.0,
                     corridor_windows_s: Sequence[tuple[float, float]] = (),
                     corridor_lvlh_m=None, track_step_s: float = 600.0,
                     reboost_band_m: tuple[float, float] | None = None) -> FamilyRecontact:
    """Integrate the station and ``N`` satellites together (see the module docstring).

    Parameters
    ----------
    station_r_m, station_v_m_s:
        Station GCRF state at the epoch (t = 0), m and m/s.
    release_lvlh:
        (N,6) release states in the station's LVLH frame (m, m/s, rotating-frame velocity).
    release_t_s:
        (N,) release times after the epoch (s, >= 0).
    cda_over_m:
        (N,) ``Cd A / m`` of each satellite (m^2/kg).
    station_cda_over_m:
        Station ``Cd A / m`` (m^2/kg): a number or an hourly array from the epoch.
    horizon_s:
        Span (s, > 0). ``log_density``/``altitudes_m``: from :func:`density_table`, rows
        daily from the epoch.
    burns:
        Station tangential impulses (:class:`StationBurn`, times after the epoch).
    corridor_windows_s, corridor_lvlh_m:
        Approach windows ``(begin, end)`` (s after the epoch) and the corridor's centre line
        (P,3), LVLH m: the smallest distance of each satellite to it inside each window.
    reboost_band_m:
        ``(floor, top)`` altitudes (m above R_eq): without a run's burns, the station plans
        its own reboosts as the run's autonomy does: the one-orbit mean of ``|r| - R_eq`` at
        the floor starts a Hohmann transfer to the top (the burns are in
        :attr:`FamilyRecontact.planned_burns`: time, total delta-v, altitude before).

    Raises :class:`InputError` on bad shapes or values.
    """
    rel = np.atleast_2d(np.asarray(release_lvlh, float))
    ns = rel.shape[0]
    if rel.shape[1] != 6 or not np.all(np.isfinite(rel)):
        raise InputError("argument", "release_lvlh", rel.shape, "(N, 6) finite LVLH states")
    tr = np.broadcast_to(np.asarray(release_t_s, float), (ns,))
    cda = np.broadcast_to(np.asarray(cda_over_m, float), (ns,)).copy()
    if not (np.all(cda >= 0) and math.isfinite(horizon_s) and horizon_s > 0 and step_s > 0):
        raise InputError("argument", "cda_over_m/horizon_s/step_s",
                         (cda.tolist(), horizon_s, step_s),
                         "non-negative Cd A/m, positive horizon and step (s)")
    if np.any(tr < 0) or np.any(tr > horizon_s):
        raise InputError("argument", "release_t_s", tr.tolist(), "times inside the horizon")
    h = float(step_s)
    n_steps = int(math.ceil(horizon_s / h))
    release_step = np.round(tr / h).astype(np.int64)
    bst = np.atleast_1d(np.asarray(station_cda_over_m, float))
    bl = sorted(burns, key=lambda x: x.t_s)
    burn_step = np.array([int(round(x.t_s / h)) for x in bl], dtype=np.int64)
    burn_dv = np.array([x.dv_m_s for x in bl], dtype=float)
    wins = np.asarray(list(corridor_windows_s), float).reshape(-1, 2)
    corridor = (np.zeros((2, 3)) if corridor_lvlh_m is None
                else np.asarray(corridor_lvlh_m, float).reshape(-1, 3))
    every = max(1, int(round(track_step_s / h)))
    band = (0.0, 0.0) if reboost_band_m is None else tuple(float(x) for x in reboost_band_m)
    n_orbit = int(round(2 * math.pi * math.sqrt(np.dot(station_r_m, station_r_m) ** 1.5
                                                / GM_EARTH_M3_S2) / h))
    y0 = np.concatenate([np.asarray(station_r_m, float), np.asarray(station_v_m_s, float)])
    out = family_kernel(y0, rel, release_step, cda, bst, burn_step, burn_dv, n_steps, h,
                         np.ascontiguousarray(log_density, float),
                         np.ascontiguousarray(altitudes_m, float),
                         np.asarray(approach_ellipsoid_m, float), float(keep_out_radius_m),
                         REENTRY_ALTITUDE_M, np.ascontiguousarray(wins[:, 0]),
                         np.ascontiguousarray(wins[:, 1]), corridor, every, band[0], band[1],
                         max(n_orbit, 2))
    (min_d, t_min, min_q, ell, sph, first, inside, decay, corr, track, track_alt, st_end,
     y_end, planned, ret) = out
    sats = [SatelliteRecontact(
        closest_approach_m=float(min_d[s]), closest_approach_t_s=float(t_min[s]),
        ellipsoid_min_q=float(min_q[s]), ellipsoid_entries=int(ell[s]),
        ellipsoid_first_entry_t_s=float(first[s]), ellipsoid_time_inside_s=float(inside[s]),
        keep_out_entries=int(sph[s]), reentry_t_s=float(decay[s]),
        corridor_min_m=tuple(float(x) for x in corr[s]), first_return_t_s=float(ret[s]))
        for s in range(ns)]
    return FamilyRecontact(h, float(horizon_s), sats, np.arange(track.shape[0]) * every * h,
                           track, track_alt, float(st_end * h), y_end, planned)


_DIRECTIONS = {"along-track": (1.0, 0.0, 0.0), "anti-along-track": (-1.0, 0.0, 0.0),
               "radial-up": (0.0, 0.0, -1.0), "radial-down": (0.0, 0.0, 1.0),
               "cross-track": (0.0, 1.0, 0.0)}   # as rossim.fleet.deployment.DIRECTIONS


def release_velocities_lvlh(seed: int, deployments: Sequence[Any]) -> list[np.ndarray]:
    """Dispersed release velocities (count, 3) LVLH m/s of every deployment, in plan order:
    speed ``delta_v_m_s (1 + delta_v_sigma_fraction N(0,1))``, direction perturbed by
    ``direction_sigma_deg`` per axis; the model's own stream ``free-flyer-release`` (as
    :func:`rossim.ops.engine.model_stream`), so the recontact check and the autonomy's
    look-ahead see the same satellites (tracked after release)."""
    import zlib

    rng = np.random.default_rng(np.random.SeedSequence(
        int(seed), spawn_key=(zlib.crc32(b"free-flyer-release"),)))
    out = []
    for d in deployments:
        v = np.asarray(_DIRECTIONS[d.direction] if isinstance(d.direction, str)
                       else d.direction, float)
        u = v / np.linalg.norm(v)
        rows = np.empty((d.count, 3))
        for k in range(d.count):
            speed = d.delta_v_m_s * (1.0 + d.delta_v_sigma_fraction * rng.standard_normal())
            e = u + math.radians(d.direction_sigma_deg) * rng.standard_normal(3)
            rows[k] = speed * e / np.linalg.norm(e)
        out.append(rows)
    return out

