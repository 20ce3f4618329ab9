"""Earth-observation coverage from a nadir-looking instrument on the station.

Model
-----
* **Ground track**: :class:`rossim.dynamics.circular.CircularOrbit` (J2 secular drift) in the
  Earth's true-equator frame (CIRS), turned by the Earth rotation angle, sampled every ``step_s`` (10 s by default) gives WGS84 geodetic latitude and
  longitude of the sub-satellite point. Between samples the track is interpolated linearly in
  (latitude, unwrapped longitude) at sub-steps ``d = min(lam / 4, sqrt(0.8 lam grid))``, so the
  swept footprints form a continuous swath: the union of discs of radius ``lam`` spaced ``d``
  apart reaches ``sqrt(lam^2 - d^2/4)`` across track (within 1 % of ``lam``), with scallops
  ``d^2 / (8 lam)`` deep, at most a tenth of a grid cell.
* **Footprint**: a circle of Earth-central half-angle ``lam`` around the sub-satellite point
  (sphere of the WGS84 equatorial radius). From a swath width ``w``: ``lam = w / (2 R)``. From
  a full field of view ``2 eta``: ``lam = asin((R + h) / R * sin(eta)) - eta``, limited at the
  horizon ``acos(R / (R + h))`` (Wertz & Larson, *SMAD*, 3rd ed., sec. 5.2).
* **Daylight**: with ``min_sun_elevation_deg`` set, only samples where the Sun is at least that
  high above the horizon at the sub-satellite point count (geocentric elevation; the Sun from
  :func:`rossim.environment.ephemeris.sun_position_gcrf` hourly, interpolated).
* **Grid**: cell centres of :func:`rossim.analysis.regions.region_grid` (0.1 deg default);
  every percentage is area-weighted on the WGS84 ellipsoid.

Per cell the sweep (numba) keeps the first and last time seen, the number of separate visits
(samples more than ``VISIT_GAP_S`` apart start a new visit) and the longest and summed gaps
between visits. A region's **coverage** is the area share of cells seen at least once; its
**mean revisit** is the area-weighted mean of the cells' mean gap between visits (cells seen
twice or more); **worst revisit** the longest gap of any cell (cells seen at most once are
reported separately as ``revisited_pct``). A **pass** is a run of consecutive samples whose
footprint touches the region; a **daylight pass** one during which the Sun is up (or above
the minimum elevation) at some sample.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit

from rossim.analysis.regions import Region, RegionGrid, load_region, region_grid
from rossim.constants import R_EQ_KM
from rossim.errors import InputError

__all__ = ["Instrument", "Track", "CoverageResult", "ground_track", "coverage",
           "scenario_coverage", "max_latitude_limit_deg",
           "DEFAULT_INSTRUMENT", "VISIT_GAP_S", "DEFAULT_REGIONS"]

VISIT_GAP_S = 600.0  # samples further apart than this are separate visits (passes ~90 min apart)
DEFAULT_REGIONS = ("russia", "arctic", "nsr")


@dataclass(frozen=True)
class Instrument:
    """A nadir-looking instrument: ``swath_km`` (full width) or ``fov_deg`` (full field of
    view, 0-180 deg), and an optional ``min_sun_elevation_deg`` for optical imaging."""

    swath_km: float | None = 200.0
    fov_deg: float | None = None
    min_sun_elevation_deg: float | None = None

    def __post_init__(self) -> None:
        if self.fov_deg is not None:
            if not (np.isfinite(self.fov_deg) and 0.0 < self.fov_deg < 180.0):
                raise InputError("argument", "fov_deg", self.fov_deg,
                                 "a full field of view above 0 and below 180 deg")
        elif self.swath_km is None or not (np.isfinite(self.swath_km)
                                           and 0.0 < self.swath_km <= 5000.0):
            raise InputError("argument", "swath_km", self.swath_km,
                             "a swath width above 0 and at most 5000 km")
        if self.min_sun_elevation_deg is not None and not (
                -90.0 <= self.min_sun_elevation_deg <= 90.0):
            raise InputError("argument", "min_sun_elevation_deg", self.min_sun_elevation_deg,
                             "a Sun elevation between -90 and 90 deg")

    def half_angle_deg(self, altitude_km: float) -> float:
        """Earth-central half-angle (deg) of the footprint from ``altitude_km``."""
        r, h = R_EQ_KM, float(altitude_km)
        horizon = math.acos(r / (r + h))
        if self.fov_deg is not None:
            eta = math.radians(self.fov_deg / 2.0)
            s = (r + h) / r * math.sin(eta)
            lam = horizon if s >= 1.0 else min(math.asin(s) - eta, horizon)
        else:
            lam = min(self.swath_km / (2.0 * r), horizon)
        return math.degrees(lam)

    def describe(self) -> str:
        what = (f"{self.fov_deg:g} deg field of view" if self.fov_deg is not None
                else f"{self.swath_km:g} km swath")
        if self.min_sun_elevation_deg is not None:
            what += f", Sun above {self.min_sun_elevation_deg:g} deg"
        return what


DEFAULT_INSTRUMENT = Instrument()


@dataclass(frozen=True)
class Track:
    """Sub-satellite track: seconds from ``start`` (UTC), geodetic lat/lon (deg), geocentric
    Sun elevation at the sub-satellite point (deg), and the orbit that made it."""

    start: _dt.datetime
    t_s: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    sun_elevation_deg: np.ndarray
    altitude_km: float
    inclination_deg: float
    orbit: Any = None


def _check_days(days: float) -> float:
    if not (isinstance(days, (int, float)) and np.isfinite(days) and 0 < days <= 366):
        raise InputError("argument", "days", days, "a positive number of days, at most 366")
    return float(days)


def ground_track(altitude_km: float, inclination_deg: float, start: Any, days: float, *,
                 step_s: float = 10.0, raan_deg: float = 0.0, orbit: Any = None) -> Track:
    """The sub-satellite track of a circular orbit (J2 secular), every ``step_s`` s, from
    ``start``: node ``raan_deg`` at ``start``, or the given ``orbit`` (a
    :class:`~rossim.dynamics.circular.CircularOrbit`, e.g. a scenario's, node set at its own
    epoch)."""
    import erfa

    from rossim.dynamics.circular import CircularOrbit
    from rossim.environment.ephemeris import sun_position_gcrf
    from rossim.frames.geodetic import itrf_to_geodetic
    from rossim.time import time_grid, to_time

    days = _check_days(days)
    if not 0.1 <= step_s <= 600:
        raise InputError("argument", "step_s", step_s, "a track step of 0.1-600 s")
    t0 = to_time(start)
    if orbit is None:
        orbit = CircularOrbit(altitude_km, inclination_deg, epoch=t0, raan_deg=raan_deg)
    altitude_km, inclination_deg = orbit.altitude_km, orbit.inclination_deg
    t = time_grid(t0, days * 86400.0, step_s)
    t_s = np.asarray((t - t0).to_value("s"), float)
    # The orbit's inclination is taken against the Earth's true equator (the CIRS of date):
    # J2 precesses the node about the true pole, and "51.6 deg" is an inclination to the
    # equator. CircularOrbit's own positions are used as CIRS coordinates and turned by the
    # Earth rotation angle alone; its GCRF reading would tilt the plane by the 0.15 deg of
    # precession-nutation since J2000 (and shift the highest latitude by up to that much).
    r_cirs = orbit.positions_gcrf(t)
    jd1 = np.atleast_1d(np.asarray(t.utc.jd1, float))
    jd2 = np.atleast_1d(np.asarray(t.utc.jd2, float))
    era = erfa.era00(jd1, jd2)
    c, s_ = np.cos(era), np.sin(era)
    r_itrf = np.column_stack([c * r_cirs[:, 0] + s_ * r_cirs[:, 1],
                              -s_ * r_cirs[:, 0] + c * r_cirs[:, 1], r_cirs[:, 2]])
    lat, lon, _ = itrf_to_geodetic(r_itrf)
    # The Sun moves ~1 deg/day: hourly positions interpolated are good to 0.001 deg.
    th = time_grid(t0, days * 86400.0 + 3600.0, 3600.0)
    th_s = np.asarray((th - t0).to_value("s"), float)
    tmid = th.reshape(-1)[th.size // 2].tt
    sun = sun_position_gcrf(th) @ erfa.c2i06a(tmid.jd1, tmid.jd2).T
    sun /= np.linalg.norm(sun, axis=1, keepdims=True)
    sv = np.column_stack([np.interp(t_s, th_s, sun[:, k]) for k in range(3)])
    sv /= np.linalg.norm(sv, axis=1, keepdims=True)
    r = r_cirs / np.linalg.norm(r_cirs, axis=1, keepdims=True)
    sun_el = np.degrees(np.arcsin(np.clip(np.sum(r * sv, axis=1), -1, 1)))
    return Track(t0.utc.to_datetime(timezone=_dt.UTC), t_s, np.asarray(lat, float),
                 np.asarray(lon, float), sun_el, float(altitude_km), float(inclination_deg),
                 orbit)


#: Wall-clock seconds one compiled call of the coverage sweep aims at: the track's segments
#: are swept in calls sized from the last one's pace (the first of :data:`SWEEP_FIRST_SEGMENTS`),
#: so that a Ctrl-C is acted on between them (Python runs no signal handler while compiled
#: code runs; a year at a 0.01 deg grid is one sweep of minutes). The cells' figures are the
#: single call's, bit for bit: each segment is swept as before, in the same order
#: (``tests/analysis/test_coverage_paused.py``).
SWEEP_CALL_S = 0.1
SWEEP_FIRST_SEGMENTS = 512


def _sweep_in_calls(t_s, *args) -> None:
    """:func:`_sweep` over every segment of the track ``t_s``, in calls of about
    :data:`SWEEP_CALL_S` each."""
    import time

    n_seg = t_s.size - 1
    k = 0
    chunk = SWEEP_FIRST_SEGMENTS
    while k < n_seg:
        started = time.perf_counter()
        _sweep(t_s, *args, k, min(k + chunk, n_seg))
        k += chunk
        took = time.perf_counter() - started
        chunk = int(min(max(chunk * SWEEP_CALL_S / max(took, 1e-6), 16), 4 * chunk + 16))


@njit(cache=True)
def _sweep(t_s, lat, lon, ok, lam_deg, lat0, step, nlon, mask, sub_step_deg, gap_s,
           first, last, count, sumgap, maxgap, hit, k0, k1):
    """Mark every region cell within ``lam_deg`` of the interpolated track (see module notes),
    for the track's segments ``k0 .. k1 - 1`` (segment k: samples k and k + 1).

    ``lat0`` is the centre latitude of row 0; columns start at -180 + dlon/2 and wrap.
    """
    nrow = mask.shape[0]
    dlon = 360.0 / nlon
    d2r = math.pi / 180.0
    cos_lam = math.cos(lam_deg * d2r)
    for k in range(k0, k1):
        if not ok[k]:
            continue
        dl = lon[k + 1] - lon[k]
        if dl > 180.0:
            dl -= 360.0
        elif dl < -180.0:
            dl += 360.0
        dphi = lat[k + 1] - lat[k]
        seg = math.sqrt(dphi * dphi + (dl * math.cos(lat[k] * d2r)) ** 2)
        m = max(1, int(math.ceil(seg / sub_step_deg)))
        for s in range(m):
            f = s / m
            la = lat[k] + f * dphi
            lo = lon[k] + f * dl
            tt = t_s[k] + f * (t_s[k + 1] - t_s[k])
            sin_p = math.sin(la * d2r)
            cos_p = math.cos(la * d2r)
            j_lo = int(math.ceil((la - lam_deg - lat0) / step))
            j_hi = int(math.floor((la + lam_deg - lat0) / step))
            if j_lo < 0:
                j_lo = 0
            if j_hi > nrow - 1:
                j_hi = nrow - 1
            for j in range(j_lo, j_hi + 1):
                phi = (lat0 + j * step) * d2r
                den = math.cos(phi) * cos_p
                num = cos_lam - math.sin(phi) * sin_p
                if den <= 1e-12:
                    if num > 0:
                        continue
                    half = 180.0
                else:
                    c = num / den
                    if c > 1.0:
                        continue
                    half = 180.0 if c <= -1.0 else math.acos(c) / d2r
                if half >= 180.0:
                    i_lo, i_hi = 0, nlon - 1
                else:
                    i_lo = int(math.ceil((lo - half + 180.0) / dlon - 0.5))
                    i_hi = int(math.floor((lo + half + 180.0) / dlon - 0.5))
                for ii in range(i_lo, i_hi + 1):
                    i = ii % nlon
                    if not mask[j, i]:
                        continue
                    hit[k] = True
                    if count[j, i] == 0:
                        first[j, i] = tt
                        count[j, i] = 1
                    elif tt - last[j, i] > gap_s:
                        g = tt - last[j, i]
                        count[j, i] += 1
                        sumgap[j, i] += g
                        if g > maxgap[j, i]:
                            maxgap[j, i] = g
                    last[j, i] = tt


@dataclass(frozen=True)
class CoverageResult:
    """Coverage of one region by one track (see the module notes for the definitions)."""

    region: str
    area_km2: float
    days: float
    instrument: str
    half_angle_deg: float
    covered_pct: float
    covered_by_day_pct: list[float]
    revisited_pct: float
    mean_revisit_h: float | None
    worst_revisit_h: float | None
    passes: int
    daylight_passes: int
    max_latitude_seen_deg: float
    grid: RegionGrid
    first_seen_s: np.ndarray
    visits: np.ndarray

    def summary(self) -> dict[str, Any]:
        """The scalar results as a JSON-ready dict."""
        return {"region": self.region, "area_km2": round(self.area_km2),
                "days": self.days, "instrument": self.instrument,
                "half_angle_deg": round(self.half_angle_deg, 4),
                "covered_pct": round(self.covered_pct, 3),
                "covered_by_day_pct": [round(x, 3) for x in self.covered_by_day_pct],
                "revisited_pct": round(self.revisited_pct, 3),
                "mean_revisit_h": None if self.mean_revisit_h is None
                else round(self.mean_revisit_h, 3),
                "worst_revisit_h": None if self.worst_revisit_h is None
                else round(self.worst_revisit_h, 3),
                "passes": self.passes, "daylight_passes": self.daylight_passes,
                "max_latitude_seen_deg": (round(self.max_latitude_seen_deg, 3)
                                          if math.isfinite(self.max_latitude_seen_deg)
                                          else None)}


def max_latitude_limit_deg(altitude_km: float, inclination_deg: float,
                           half_angle_deg: float = 0.0) -> float:
    """Geometric limit of the latitude seen: the geodetic latitude of the orbit's most
    northerly point (geocentric latitude = inclination, radius R_eq + h; ERFA ``gc2gd``,
    WGS84) plus the footprint half-angle, capped at 90 deg."""
    import erfa

    i = inclination_deg if inclination_deg <= 90 else 180.0 - inclination_deg
    r = (R_EQ_KM + altitude_km) * 1000.0
    xyz = np.array([r * math.cos(math.radians(i)), 0.0, r * math.sin(math.radians(i))])
    _, phi, _ = erfa.gc2gd(1, xyz)
    return float(min(90.0, math.degrees(float(phi)) + half_angle_deg))


def coverage(region: Region | str, track: Track, instrument: Instrument = DEFAULT_INSTRUMENT,
             *, step_deg: float = 0.1) -> CoverageResult:
    """Coverage of ``region`` by ``track`` seen through ``instrument`` on a ``step_deg`` grid."""
    if isinstance(region, str):
        region = load_region(region)
    lam = instrument.half_angle_deg(track.altitude_km)
    if not lam >= step_deg / 2.0:
        # A footprint narrower than a grid cell is not resolved by the grid, and the sweep's
        # sub-steps (a fraction of the footprint) would grow without bound (a 1e-9 km swath
        # never ends): refuse it up front.
        min_km = step_deg * math.pi / 180.0 * R_EQ_KM
        option, value = (("fov_deg", instrument.fov_deg) if instrument.fov_deg is not None
                         else ("swath_km", instrument.swath_km))
        raise InputError("argument", option, value,
                         f"a footprint at least one grid cell wide ({min_km:.3g} km of swath "
                         f"for the {step_deg:g} deg grid)")
    grid = region_grid(region, step_deg)
    ny, nx = grid.mask.shape
    first = np.full((ny, nx), np.nan)
    last = np.full((ny, nx), -np.inf)
    count = np.zeros((ny, nx), np.int32)
    sumgap = np.zeros((ny, nx))
    maxgap = np.zeros((ny, nx))
    hit = np.zeros(track.t_s.size, np.bool_)
    if instrument.min_sun_elevation_deg is not None:
        ok = track.sun_elevation_deg >= instrument.min_sun_elevation_deg
    else:
        ok = np.ones(track.t_s.size, np.bool_)
    # Sub-step d: the disc union's edge scallops d^2 / (8 lam) deep: at most a tenth of a cell.
    sub = min(lam / 4.0, math.sqrt(0.8 * lam * step_deg))
    _sweep_in_calls(track.t_s, track.lat_deg, track.lon_deg, ok, lam, float(grid.lat_deg[0]),
                    step_deg, nx, grid.mask, sub, VISIT_GAP_S, first, last, count, sumgap,
                    maxgap, hit)
    area = grid.cell_area_km2() * grid.mask
    total = float(area.sum())
    days = float(track.t_s[-1] / 86400.0)
    seen = count > 0
    covered = 100.0 * float(area[seen].sum()) / total if total else 0.0
    by_day = []
    for d in range(1, int(math.floor(days + 1e-9)) + 1):
        by_day.append(100.0 * float(area[seen & (first <= d * 86400.0)].sum()) / total)
    rev = count >= 2
    revisited = 100.0 * float(area[rev].sum()) / total if total else 0.0
    if np.any(rev):
        mean_gap = sumgap[rev] / (count[rev] - 1)
        mean_rev = float(np.sum(mean_gap * area[rev]) / area[rev].sum()) / 3600.0
        worst = float(maxgap[rev].max()) / 3600.0
    else:
        mean_rev = worst = None
    # passes: runs of consecutive samples touching the region
    starts = np.flatnonzero(hit & ~np.concatenate([[False], hit[:-1]]))
    ends = np.flatnonzero(hit & ~np.concatenate([hit[1:], [False]]))
    sun_up = track.sun_elevation_deg >= (instrument.min_sun_elevation_deg
                                         if instrument.min_sun_elevation_deg is not None
                                         else 0.0)
    csum = np.concatenate([[0], np.cumsum(sun_up[:-1] | sun_up[1:])])
    daylight = int(np.sum(csum[ends + 1] - csum[starts] > 0)) if starts.size else 0
    rows = np.flatnonzero(seen.any(axis=1))
    max_lat = float(grid.lat_deg[rows].max()) if rows.size else float("nan")
    return CoverageResult(region.name, total, days, instrument.describe(), lam, covered, by_day,
                          revisited, mean_rev, worst, int(starts.size), daylight, max_lat, grid,
                          first, count)


def scenario_coverage(scenario: Any, *, days: float = 30.0, start: Any = None,
                      regions: tuple[str, ...] = DEFAULT_REGIONS,
                      instrument: Instrument = DEFAULT_INSTRUMENT, step_s: float = 10.0,
                      step_deg: float = 0.1) -> dict[str, Any]:
    """Coverage of ``regions`` from the scenario's orbit over ``days`` from ``start``
    (default: the scenario's span start). Returns a JSON-ready dict plus ``results``."""
    days = _check_days(days)
    from rossim.dynamics.scenario_orbit import orbit_from_scenario

    when = start if start is not None else scenario.span.start
    orb = scenario.orbit
    track = ground_track(orb.altitude_km, orb.inclination_deg, when, days, step_s=step_s,
                         orbit=orbit_from_scenario(scenario))
    results = [coverage(r, track, instrument, step_deg=step_deg) for r in regions]
    lam = instrument.half_angle_deg(orb.altitude_km)
    return {"scenario": scenario.name, "start": track.start, "days": days,
            "altitude_km": orb.altitude_km, "inclination_deg": orb.inclination_deg,
            "instrument": instrument.describe(), "track_step_s": step_s, "grid_deg": step_deg,
            "max_latitude_seen_deg": round(float(np.max(np.abs(track.lat_deg))) + lam, 3),
            "max_latitude_limit_deg": round(max_latitude_limit_deg(
                orb.altitude_km, orb.inclination_deg, lam), 3),
            "regions": [r.summary() for r in results], "results": results}
