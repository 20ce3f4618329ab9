"""In-plane launch windows and phasing to the station's plane (moved from
:mod:`rossim.analysis.launch`, which re-exports them, so that the assembly timeline of
:mod:`rossim.station` can time each launch at a window: station/ sits below analysis/).

Geometry (all in the Earth's true-equator frame CIRS, as :mod:`rossim.analysis.coverage`)
-----------------------------------------------------------------------------------------
* The station's plane: inclination ``i`` to the true equator, node ``Omega(t) = Omega0 +
  dOmega/dt (t - t0)`` and argument of latitude ``u(t) = u0 + du/dt (t - t0)`` with the J2
  secular rates of :class:`rossim.dynamics.circular.CircularOrbit`; ``Omega0 = raan_deg`` and
  ``u0 = 0`` at the scenario's span start.
* The launch site turns with the Earth: its direction is its WGS84 position (ITRF) turned by
  the Earth rotation angle (ERFA ``era00``; polar motion neglected, < 0.5").
* **In-plane launch window**: the site's out-of-plane angle ``asin(s . h)`` (``h`` the orbit
  normal) is zero: twice a day when the site's geocentric latitude is below ``i`` (a
  north-easterly "ascending" and a south-easterly "descending" launch), once a day, at the
  smallest angle, when the site lies just above the plane's highest latitude (Vostochny's
  geocentric latitude is 51.61 deg: for 51.6 deg it launches due east at the moment the plane
  passes overhead, with a 0.01 deg dog-leg). Windows are the minima of ``|asin(s . h)|``
  found by :func:`rossim.search.find_minima`.
* **Phasing**: the chaser is inserted ``INSERTION_DOWNRANGE_DEG`` past the site's in-plane
  position, at ``insertion_altitude_km``; the station leads it by the phase angle ``theta``
  (0-360 deg). In a phasing orbit at the insertion altitude it gains ``n_ins - n_st`` (about
  11 deg/h from 200 km to 400 km), so a scheme of duration ``D`` (launch to docking, with
  ``FINAL_APPROACH_H`` of it spent on the final approach) accepts ``theta`` up to
  ``(n_ins - n_st) (D - FINAL_APPROACH_H)``. Schemes: :data:`PHASING_SCHEMES` (Soyuz/Progress
  practice). A window is a *fast* opportunity when a scheme of a few hours fits.
* **Azimuth limits**: a site flies only inside its corridors (catalog ``azimuth_min_deg`` /
  ``azimuth_max_deg``, range-safety and drop-zone limits; ``min > max`` is a corridor through
  north). A window whose azimuth is outside them (Baikonur's south-easterly "descending" launch
  to 51.6 deg) is not a window of that site: :func:`launch_windows` leaves it out unless
  ``azimuth_limits=False``, and :func:`first_window` never picks it.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from rossim.constants import GM_EARTH_M3_S2, R_EQ_M
from rossim.errors import InputError, written_date
from rossim.station.launch import geocentric_latitude_deg

__all__ = ["PlaneModel", "PHASING_SCHEMES", "launch_windows", "phasing", "azimuth_allowed",
           "first_window", "WindowFinder", "visit_times", "clock_minute", "INSERTION_DOWNRANGE_DEG", "FINAL_APPROACH_H"]

MU = GM_EARTH_M3_S2  # rossim.constants
R_EQ = R_EQ_M
#: Downrange arc from lift-off to orbit insertion (deg): estimate, a Soyuz/Angara ascent of
#: ~530 s covers ~1,600 km.
INSERTION_DOWNRANGE_DEG = 14.0
#: Altitude (km) of the insertion orbit from which the ships and modules catch up with the
#: station from below: Soyuz/Progress practice, about 200 km (catalog launchers.toml,
#: ``leo_altitude_km`` of Soyuz-2.1a: "insertion orbit of Soyuz/Progress flights"). A station
#: must fly above it (:meth:`PlaneModel.from_scenario` refuses ``orbit.altitude_km`` at or
#: below it, naming the scenario field).
INSERTION_ALTITUDE_KM = 200.0
#: Final approach and docking after the phasing is done (h): estimate (Soyuz MS fast scheme:
#: docking ~3 h after launch of which the last ~1.5 h is the approach).
FINAL_APPROACH_H = 1.5
#: (name, launch-to-docking hours): Soyuz MS / Progress MS practice (RKK Energia, NASA ISS
#: flight plans): two-orbit "ultra-fast" ~3.3 h (Progress MS-17 2021), four-orbit ~6 h
#: (Soyuz TMA-08M 2013), two-day 34-orbit ~50 h.
PHASING_SCHEMES: tuple[tuple[str, float], ...] = (
    ("2-orbit", 3.3), ("4-orbit", 6.0), ("1-day", 26.0), ("2-day", 50.0))


@dataclass(frozen=True)
class PlaneModel:
    """The station's orbit (CIRS, J2 secular) from ``epoch`` (UTC datetime)."""

    altitude_km: float
    inclination_deg: float
    raan_deg: float
    epoch: _dt.datetime
    arg_latitude_deg: float = 0.0

    @property
    def rates_deg_s(self) -> tuple[float, float]:
        from rossim.dynamics.circular import CircularOrbit

        d_raan, du = CircularOrbit(self.altitude_km, self.inclination_deg).rates_rad_s
        return math.degrees(d_raan), math.degrees(du)

    def elapsed_s(self, t) -> np.ndarray:
        from rossim.time import to_time

        return np.atleast_1d(np.asarray((t - to_time(self.epoch)).to_value("s"), float))

    def raan_deg_at(self, t) -> np.ndarray:
        return self.raan_deg + self.rates_deg_s[0] * self.elapsed_s(t)

    def u_deg_at(self, t) -> np.ndarray:
        return self.arg_latitude_deg + self.rates_deg_s[1] * self.elapsed_s(t)

    def normal(self, t) -> np.ndarray:
        """Unit orbit normal (N, 3) in CIRS."""
        om = np.radians(self.raan_deg_at(t))
        i = math.radians(self.inclination_deg)
        return np.column_stack([np.sin(i) * np.sin(om), -np.sin(i) * np.cos(om),
                                np.full(om.shape, np.cos(i))])

    @classmethod
    def from_scenario(cls, scenario: Any) -> PlaneModel:
        """The plane of ``scenario``'s orbit. Raises InputError naming ``orbit.altitude_km``
        when the station is not above :data:`INSERTION_ALTITUDE_KM` (no ship could catch up
        from its insertion orbit)."""
        o = scenario.orbit
        if not o.altitude_km > INSERTION_ALTITUDE_KM:
            raise InputError(
                getattr(scenario, "source_path", None) or "scenario", "orbit.altitude_km",
                o.altitude_km,
                f"a station altitude above the ships' {INSERTION_ALTITUDE_KM:g} km insertion "
                "orbit (Soyuz/Progress practice): crew, cargo and module launches are "
                "inserted below the station and catch up with it")
        from rossim.dynamics.scenario_orbit import orbit_from_scenario

        orbit = orbit_from_scenario(scenario)  # node at the span start (raan_deg or ltan_h)
        return cls(o.altitude_km, o.inclination_deg, orbit.raan_deg, scenario.span.start)


def _site_cirs(lat_deg: float, lon_deg: float, alt_m: float, t) -> np.ndarray:
    import erfa

    from rossim.frames.geodetic import geodetic_to_itrf

    r = np.asarray(geodetic_to_itrf(lat_deg, lon_deg, alt_m), float).reshape(3)
    r = r / np.linalg.norm(r)
    era = erfa.era00(np.atleast_1d(t.utc.jd1), np.atleast_1d(t.utc.jd2))
    c, s = np.cos(era), np.sin(era)
    # ITRF -> CIRS: turn back by the Earth rotation angle.
    return np.column_stack([c * r[0] - s * r[1], s * r[0] + c * r[1], np.full(era.shape, r[2])])


def _out_of_plane_s(plane: PlaneModel, site_lla: tuple[float, float, float], t0, t1):
    """``g(x)``: |sin| of the site's angle out of ``plane`` at ``x`` float seconds after
    ``t0`` ((M,) -> (M,)), the function :func:`launch_windows` searches, evaluated without
    ``Time`` arithmetic: UTC Julian date t0 + x / 86400 for the Earth rotation angle, and
    seconds since the plane's epoch (t0 - epoch) + x. None when [t0, t1] covers any part of
    a day with a leap second (astropy's UTC Julian date stretches that day: the caller keeps
    ``Time``)."""
    import erfa

    from rossim.frames.geodetic import geodetic_to_itrf
    from rossim.time import to_time

    u0, u1 = t0.utc, t1.utc
    span = float((t1 - t0).to_value("s"))
    if abs(((u1.jd1 - u0.jd1) + (u1.jd2 - u0.jd2)) * 86400.0 - span) > 1e-3:
        return None
    r = np.asarray(geodetic_to_itrf(*site_lla), float).reshape(3)
    r = r / np.linalg.norm(r)
    jd1, jd2 = float(u0.jd1), float(u0.jd2)
    e0 = float((t0 - to_time(plane.epoch)).to_value("s"))
    raan_rate = plane.rates_deg_s[0]
    sin_i, cos_i = math.sin(math.radians(plane.inclination_deg)), math.cos(
        math.radians(plane.inclination_deg))

    def g(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        era = erfa.era00(np.full(x.shape, jd1), jd2 + x / 86400.0)
        c, s = np.cos(era), np.sin(era)
        om = np.radians(plane.raan_deg + raan_rate * (e0 + x))
        # site (ITRF turned back by the ERA into CIRS) . orbit normal (PlaneModel.normal)
        return np.abs((c * r[0] - s * r[1]) * sin_i * np.sin(om)
                      - (s * r[0] + c * r[1]) * sin_i * np.cos(om) + r[2] * cos_i)

    return g


def _utc_whole_seconds(times) -> list[_dt.datetime]:
    """UTC datetimes (aware) of ``times``, cut to the whole second: astropy's
    ``to_datetime()`` (ERFA ``d2dtf`` at 6 digits, the microseconds rounded) without the
    microseconds, built from the calendar fields rather than per element through astropy
    (most of a block's cost). A time inside a leap second reads as the next minute's."""
    import erfa

    u = times.utc
    iy, im, iday, hmsf = erfa.d2dtf(b"UTC", 6, np.atleast_1d(u.jd1), np.atleast_1d(u.jd2))
    return [_dt.datetime(int(y), int(mo), int(d), int(f["h"]), int(f["m"]), 0, tzinfo=_dt.UTC)
            + _dt.timedelta(seconds=int(f["s"]))
            for y, mo, d, f in zip(iy, im, iday, hmsf, strict=True)]


def _mean_motion_deg_h(alt_km: float, inc_deg: float) -> float:
    from rossim.dynamics.circular import CircularOrbit

    return math.degrees(CircularOrbit(alt_km, inc_deg).rates_rad_s[1]) * 3600.0


def phasing(phase_deg: float, station_alt_km: float, insertion_alt_km: float,
            inclination_deg: float) -> dict[str, Any]:
    """The fastest scheme of :data:`PHASING_SCHEMES` that absorbs a phase lead of
    ``phase_deg`` (station ahead of the chaser), and the catch-up time."""
    rate = (_mean_motion_deg_h(insertion_alt_km, inclination_deg)
            - _mean_motion_deg_h(station_alt_km, inclination_deg))
    if rate <= 0:
        raise InputError("argument", "insertion_altitude_km", insertion_alt_km,
                         f"an insertion altitude below the station's {station_alt_km:g} km")
    catch_h = (phase_deg % 360.0) / rate
    for name, hours in PHASING_SCHEMES:
        if catch_h <= hours - FINAL_APPROACH_H:
            return {"scheme": name, "launch_to_dock_h": hours, "catch_up_h": catch_h,
                    "catch_up_rate_deg_h": rate}
    return {"scheme": "2-day+", "launch_to_dock_h": catch_h + FINAL_APPROACH_H,
            "catch_up_h": catch_h, "catch_up_rate_deg_h": rate}


def launch_windows(plane: PlaneModel, site: Any, start: Any, days: float, *,
                   insertion_altitude_km: float = INSERTION_ALTITUDE_KM, tol_s: float = 0.5,
                   azimuth_limits: bool = True) -> list[dict]:
    """In-plane launch windows from ``site`` (a catalog Site) to ``plane`` over ``days``.

    Each row: ``time`` (UTC datetime), ``kind`` (``ascending`` = north-easterly launch,
    ``descending`` = south-easterly, ``tangent`` = due east at the plane's highest latitude),
    ``azimuth_deg``, ``azimuth_allowed`` (inside the site's corridors, :func:`azimuth_allowed`),
    ``out_of_plane_deg`` (left for a dog-leg), ``dogleg_dv_m_s``, ``phase_deg`` (station ahead
    of the chaser at insertion) and the phasing scheme. With ``azimuth_limits`` (default) the
    windows the site may not fly are left out; ``False`` lists every in-plane time (geometry
    only).
    """
    from astropy.time import TimeDelta

    from rossim.search import find_minima, maxima_on_grid, search_grid
    from rossim.time import to_time

    if not (isinstance(days, (int, float)) and math.isfinite(days) and 0 < days <= 366):
        raise InputError("argument", "days", days, "a positive number of days, at most 366")
    lat, lon, alt = site.lat_deg.value, site.lon_deg.value, site.alt_m.value
    t0 = to_time(start)
    t1 = t0 + _dt.timedelta(days=float(days))
    g = _out_of_plane_s(plane, (lat, lon, alt), t0, t1)
    if g is None:  # a leap second inside the span: every epoch through astropy's Time
        def out_of_plane(t):
            return np.abs(np.sum(_site_cirs(lat, lon, alt, t) * plane.normal(t), axis=1))

        times, _ = find_minima(out_of_plane, t0, t1, 300.0, tol_s=tol_s)
    else:  # the same search on float seconds from t0 (find_minima's grid and refinement)
        t0, grid = search_grid(t0, t1, 300.0)
        tm, _ = maxima_on_grid(lambda x: -g(x), grid, float(tol_s))
        times = t0 + TimeDelta(tm, format="sec")
    if len(times) == 0:
        return []
    s = _site_cirs(lat, lon, alt, times)
    h = plane.normal(times)
    x = np.degrees(np.arcsin(np.clip(np.sum(s * h, axis=1), -1, 1)))
    om = np.radians(plane.raan_deg_at(times))
    e1 = np.column_stack([np.cos(om), np.sin(om), np.zeros_like(om)])
    e2 = np.cross(h, e1)
    u_site = np.degrees(np.arctan2(np.sum(s * e2, axis=1), np.sum(s * e1, axis=1)))
    u_st = plane.u_deg_at(times)
    phase = (u_st - (u_site + INSERTION_DOWNRANGE_DEG)) % 360.0
    v_ins = math.sqrt(MU / (R_EQ + insertion_altitude_km * 1e3))
    psi = math.radians(geocentric_latitude_deg(lat))
    inc = math.radians(plane.inclination_deg)
    stamps = _utc_whole_seconds(times)
    rows = []
    for k in range(len(times)):
        # cos(u) > 0 on the ascending half of the orbit: a north-easterly launch.
        u = math.radians(u_site[k])
        sin_az = min(1.0, abs(math.cos(inc)) / math.cos(psi))
        az = math.degrees(math.asin(sin_az))
        if abs(abs(u_site[k]) - 90.0) < 1.0 or sin_az >= 1.0:
            kind, azimuth = "tangent", 90.0
        elif math.cos(u) > 0:
            kind, azimuth = "ascending", az if plane.inclination_deg <= 90 else 360.0 - az
        else:
            kind, azimuth = "descending", 180.0 - az if plane.inclination_deg <= 90 else 180.0 + az
        allowed = azimuth_allowed(site, azimuth)
        if azimuth_limits and not allowed:
            continue
        ph = phasing(float(phase[k]), plane.altitude_km, insertion_altitude_km,
                     plane.inclination_deg)
        rows.append({
            "time": stamps[k],
            "kind": kind, "azimuth_deg": round(azimuth, 2), "azimuth_allowed": allowed,
            "out_of_plane_deg": round(float(x[k]), 4),
            "dogleg_dv_m_s": round(2 * v_ins * math.sin(math.radians(abs(float(x[k]))) / 2), 1),
            "phase_deg": round(float(phase[k]), 1), "scheme": ph["scheme"],
            "catch_up_h": round(ph["catch_up_h"], 2),
            "launch_to_dock_h": round(ph["launch_to_dock_h"], 2)})
    return rows




def azimuth_allowed(site: Any, azimuth_deg: float) -> bool:
    """True when ``azimuth_deg`` (deg from north, eastward) lies in ``site``'s corridor
    (catalog ``azimuth_min_deg`` .. ``azimuth_max_deg``, inclusive; ``min > max`` is a corridor
    through north). A site without limits allows every azimuth."""
    lo = getattr(site, "azimuth_min_deg", None)
    hi = getattr(site, "azimuth_max_deg", None)
    if lo is None or hi is None:
        return True
    a, lo_v, hi_v = azimuth_deg % 360.0, lo.value % 360.0, hi.value % 360.0
    return lo_v <= a <= hi_v if lo_v <= hi_v else (a >= lo_v or a <= hi_v)


#: Days searched for an allowed window after a launch's planned time before giving up.
WINDOW_SEARCH_DAYS = 30.0
#: Days of windows computed at once per site (:class:`WindowFinder`).
BLOCK_DAYS = 30.0
_BLOCKS: dict[tuple, list[dict]] = {}


def first_window(plane: PlaneModel, site: Any, after: _dt.datetime, *,
                 where: str = "scenario", field: str = "launch") -> dict:
    """The first allowed in-plane window (a :func:`launch_windows` row) from ``site`` at or
    after ``after`` (UTC datetime): the launch time of a flight planned for that day.

    Searched up to :data:`WINDOW_SEARCH_DAYS` ahead; raises
    :class:`~rossim.errors.InputError` (``where``, ``field``) when the site's azimuth corridors
    allow none in that time (a plane the site cannot reach). For many launches against one
    plane use :class:`WindowFinder` (windows computed once per site and block of days)."""
    return WindowFinder(plane).first(site, after, where=where, field=field)


class WindowFinder:
    """Allowed launch windows to one plane, computed per site in blocks of
    :data:`BLOCK_DAYS` (each block searched with an hour's overlap on both sides, so a window
    at a block's edge is not lost to the search grid) and kept for the next launch."""

    def __init__(self, plane: PlaneModel):
        self.plane = plane

    def _block(self, site: Any, k: int) -> list[dict]:
        # Shared by every finder of the process (a campaign rebuilds the same plan many
        # times): keyed by everything the windows depend on.
        key = (self.plane, site.id, site.lat_deg.value, site.lon_deg.value, site.alt_m.value,
               _corridor(site), k)
        if key not in _BLOCKS:
            if len(_BLOCKS) > 4096:
                _BLOCKS.clear()
            t0 = (self.plane.epoch + _dt.timedelta(days=k * BLOCK_DAYS)
                  - _dt.timedelta(hours=1))
            _BLOCKS[key] = launch_windows(self.plane, site, t0, BLOCK_DAYS + 2.0 / 24.0)
        return _BLOCKS[key]

    def first(self, site: Any, after: _dt.datetime, *, where: str = "scenario",
              field: str = "launch") -> dict:
        """As :func:`first_window`."""
        k = math.floor((after - self.plane.epoch).total_seconds() / (BLOCK_DAYS * 86400.0))
        limit = after + _dt.timedelta(days=WINDOW_SEARCH_DAYS)
        while self.plane.epoch + _dt.timedelta(days=k * BLOCK_DAYS) <= limit:
            for w in self._block(site, k):
                if after <= w["time"] <= limit:
                    return w
            k += 1
        raise InputError(where, field, written_date(after),
                         f"a launch date with an in-plane window from {site.id} within "
                         f"{WINDOW_SEARCH_DAYS:g} days (azimuth corridor "
                         f"{_corridor(site)} deg, plane inclination "
                         f"{self.plane.inclination_deg:g} deg)",
                         problem="no allowed launch window")


def _corridor(site: Any) -> str:
    lo = getattr(site, "azimuth_min_deg", None)
    hi = getattr(site, "azimuth_max_deg", None)
    return "any" if lo is None or hi is None else f"{lo.value:g}-{hi.value:g}"


def visit_times(windows: WindowFinder, site: Any, visit: Any, time_to_dock_h: float,
                where: str, field: str, flown: bool = False,
                not_before: _dt.datetime | None = None
                ) -> tuple[_dt.datetime, _dt.datetime, _dt.datetime]:
    """(lift-off, docking, undocking) UTC of a crew or cargo ``visit`` (scenario visit:
    ``launch``, ``duration_days``) from ``site``: lift-off at the first allowed in-plane window
    on or after the planned time, docking ``time_to_dock_h`` later. The departure keeps its
    planned date (planned lift-off + ``time_to_dock_h`` + stay, at least an hour after the
    docking): a window later in the day shortens the stay by hours and never pushes a ship
    onto the next one's port or a crew onto the next crew's berths (crews hand over
    back-to-back in re-planned campaigns). ``flown``: the launch is the lift-off itself (a
    visit commanded at run time), no window is sought. ``not_before``: the earliest lift-off
    when a pad's turnaround slips the visit (:mod:`rossim.station.pad_plan`): the departure
    moves as much as the lift-off, the stay is kept (as a campaign's launch slip)."""
    if flown:  # a visit commanded at run time: its launch is the lift-off
        dock = visit.launch + _dt.timedelta(hours=time_to_dock_h)
        return visit.launch, dock, dock + _dt.timedelta(days=visit.duration_days)
    lift = clock_minute(windows.first(site, visit.launch, where=where, field=field)["time"])
    planned = visit.launch + _dt.timedelta(hours=time_to_dock_h, days=visit.duration_days)
    if not_before is not None and not_before > lift:  # slipped: the departure moves as much
        slipped = clock_minute(windows.first(site, not_before, where=where, field=field)["time"])
        lift, planned = slipped, planned + (slipped - lift)
    dock = lift + _dt.timedelta(hours=time_to_dock_h)
    return lift, dock, max(planned, dock + _dt.timedelta(hours=1))


def clock_minute(t: _dt.datetime) -> _dt.datetime:
    """``t`` rounded up to the next whole minute: the run's clock steps in minutes, so a
    lift-off (and the docking that follows it) falls on the engine's grid."""
    return t if (t.second == 0 and t.microsecond == 0) else (
        t.replace(second=0, microsecond=0) + _dt.timedelta(minutes=1))
