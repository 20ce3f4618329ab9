"""Ground track and ground-station visibility: look angles, passes (AOS, LOS, max elevation).

Inputs are satellite positions (a trajectory callback ``Time -> (N, 3) GCRF m``, or arrays)
and ground sites in WGS84 (degrees, metres). GCRF is turned into ITRF with
:mod:`rossim.frames.earth` (IAU 2006/2000A with IERS Earth orientation); geodetic conversion is
:mod:`rossim.frames.geodetic`. Elevation is geometric (no atmospheric refraction), measured from
the plane normal to the WGS84 ellipsoid at the site; azimuth from north through east.
Pass times come from :mod:`rossim.search` (the one event finder): AOS and LOS are the zero
crossings of ``elevation - mask``, sampled on a grid and refined by
:func:`rossim.search.crossings_on_grid` (the same crossing finder as the run's contact model,
:mod:`rossim.ops.contact`), so a grazing pass shorter than the grid step is still found from
the sampled culmination.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.errors import InputError
from rossim.frames.earth import gcrf_to_itrf
from rossim.frames.geodetic import enu_matrix, geodetic_to_itrf, itrf_to_geodetic
from rossim.search import crossings_on_grid, search_grid, series_maxima_on_grid
from rossim.time import to_time

__all__ = ["Station", "Pass", "ground_track", "ground_track_itrf", "look_angles", "look_angles_gcrf",
           "visibility_windows", "default_stations"]

Trajectory = Callable[[Time], np.ndarray]


@dataclass(frozen=True)
class Station:
    """A ground site: WGS84 ``lat_deg``, ``lon_deg``, ``alt_m`` and an elevation mask (deg)."""

    name: str
    lat_deg: float
    lon_deg: float
    alt_m: float = 0.0
    min_elevation_deg: float = 5.0


@dataclass(frozen=True)
class Pass:
    """One contact: acquisition (AOS) and loss (LOS) of signal at the elevation mask, and the
    culmination. ``aos_clipped``/``los_clipped``: the pass was already in progress at the start
    of the search window, or still in progress at its end (then AOS/LOS are the window
    limits)."""

    station: str
    aos: Time
    los: Time
    max_elevation_deg: float
    max_elevation_time: Time
    aos_clipped: bool = False
    los_clipped: bool = False

    @property
    def duration_s(self) -> float:
        return float((self.los - self.aos).to_value("s"))


def default_stations() -> list[Station]:
    """The ground stations of rossim's catalogue (``rossim.config.catalog``)."""
    from rossim.config.catalog import load_catalog

    return [Station(g.name, g.lat_deg, g.lon_deg, g.alt_m, g.min_elevation_deg)
            for g in load_catalog().ground_stations]


def ground_track(r_gcrf_m: Any, t: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sub-satellite point ``(lat_deg, lon_deg, alt_m)`` (WGS84) of GCRF positions at ``t``."""
    r_itrf, _ = gcrf_to_itrf(np.asarray(r_gcrf_m, dtype=float).reshape(-1, 3), None, to_time(t))
    return itrf_to_geodetic(r_itrf)


def ground_track_itrf(r_itrf_m: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sub-satellite point ``(lat_deg, lon_deg, alt_m)`` (WGS84) of ITRF positions (m)."""
    return itrf_to_geodetic(r_itrf_m)


def look_angles(r_itrf_m: Any, lat_deg: float, lon_deg: float, alt_m: float = 0.0
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(azimuth_deg, elevation_deg, range_m)`` of ITRF positions (N, 3) seen from a site.

    Azimuth is in [0, 360), from north through east; elevation is geometric (no refraction).
    """
    r = np.atleast_2d(np.asarray(r_itrf_m, dtype=float))
    if r.shape[-1] != 3:
        raise InputError(None, "r_itrf_m", r.shape, "an array of shape (N, 3) in m")
    site = geodetic_to_itrf(lat_deg, lon_deg, alt_m)[0]
    m = enu_matrix(lat_deg, lon_deg)[0]
    enu = (r - site) @ m.T
    rng = np.linalg.norm(enu, axis=1)
    az = np.degrees(np.arctan2(enu[:, 0], enu[:, 1])) % 360.0
    return az, _elevation_deg(enu), rng


def _elevation_deg(enu: np.ndarray) -> np.ndarray:
    """Geometric elevation (deg) of East-North-Up vectors (..., 3)."""
    return np.degrees(np.arctan2(enu[..., 2], np.hypot(enu[..., 0], enu[..., 1])))


def look_angles_gcrf(r_gcrf_m: Any, t: Any, lat_deg: float, lon_deg: float, alt_m: float = 0.0
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`look_angles` for GCRF positions (m) at epochs ``t``."""
    r_itrf, _ = gcrf_to_itrf(np.asarray(r_gcrf_m, dtype=float).reshape(-1, 3), None, to_time(t))
    return look_angles(r_itrf, lat_deg, lon_deg, alt_m)


def _as_stations(stations: Sequence[Any] | None) -> list[Station]:
    if stations is None:
        return default_stations()
    out = []
    for i, s in enumerate(stations):
        if isinstance(s, Station):
            out.append(s)
            continue
        try:
            out.append(Station(str(getattr(s, "name", f"station{i}")), float(s.lat_deg),
                               float(s.lon_deg), float(getattr(s, "alt_m", 0.0)),
                               float(getattr(s, "min_elevation_deg", 5.0))))
        except (AttributeError, TypeError, ValueError):
            raise InputError(None, f"stations[{i}]", s,
                             "a Station or an object with lat_deg, lon_deg (alt_m, "
                             "min_elevation_deg)") from None
    return out


#: Grid points per chunk when the satellite's positions are turned into ITRF (memory stays
#: flat over long spans: 100,000 points is about 80 MB of temporaries).
_CHUNK = 100_000


def visibility_windows(trajectory: Trajectory, start: Any, end: Any,
                       stations: Sequence[Any] | None = None, *, step_s: float = 30.0,
                       tol_s: float = 0.01) -> list[Pass]:
    """Passes of a satellite over ground stations between ``start`` and ``end``.

    Parameters
    ----------
    trajectory:
        ``Time`` array -> (N, 3) satellite positions, GCRF, m.
    stations:
        :class:`Station` objects (or objects with ``name``, ``lat_deg``, ``lon_deg``,
        ``alt_m``, ``min_elevation_deg``); default: the catalogue's ground stations.
    step_s:
        Search grid step, s. A LEO pass above a 5 deg mask lasts minutes; a grazing pass
        shorter than the step is found from the sampled culmination (concavity bound).
    tol_s:
        AOS/LOS precision, s.

    The satellite's positions on the search grid are computed once for all stations, and
    turned into ITRF with :class:`rossim.frames.earth.EarthOrientationGrid` (the IAU
    2006/2000A chain every 3 h, interpolated: 1.4e-10 rad from the full chain, under a
    millimetre at the satellite; the full chain per sample took most of a year's search).
    Elevation is smooth, so culminations and grazing candidates are refined by successive
    parabolas (:func:`rossim.search.refine_smooth_maxima`: about 5 calls of the trajectory
    instead of golden section's 19; 23 calls in all for the ISS over 30 days, was 60).

    Returns the passes of all stations, sorted by AOS.
    """
    from rossim.frames.earth import EarthOrientationGrid

    sites = _as_stations(stations)
    t0, grid = search_grid(start, end, step_s)
    if not sites:
        return []
    eo = EarthOrientationGrid.build(t0, 0.0, float(grid[-1]))

    def itrf(x: np.ndarray) -> np.ndarray:
        """ITRF positions (N, 3) m at float seconds ``x`` after ``t0``."""
        out = np.empty((len(x), 3))
        for i in range(0, len(x), _CHUNK):
            xs = x[i:i + _CHUNK]
            r = np.asarray(trajectory(t0 + TimeDelta(xs, format="sec")), dtype=float)
            out[i:i + _CHUNK] = np.einsum("nij,nj->ni", eo.matrix(xs), r.reshape(-1, 3))
        return out

    r_grid = itrf(grid)
    # Every station's elevation as one series of a multi-series search: the crossings and the
    # culminations of all stations are refined together (one call of the trajectory per
    # refinement step for all of them).
    sites_itrf = np.stack([geodetic_to_itrf(st.lat_deg, st.lon_deg, st.alt_m)[0]
                           for st in sites])
    enu = np.stack([enu_matrix(st.lat_deg, st.lon_deg)[0] for st in sites])
    masks = np.array([st.min_elevation_deg for st in sites], dtype=float)

    el_grid = np.empty((len(grid), len(sites)))   # (N, stations)
    for i in range(0, len(grid), _CHUNK):
        rel = r_grid[i:i + _CHUNK, None, :] - sites_itrf[None]
        el_grid[i:i + _CHUNK] = _elevation_deg(np.einsum("sij,nsj->nsi", enu, rel))

    def elevation_s(x: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Elevation (deg) of station ``k[i]`` at float seconds ``x[i]``."""
        k = np.asarray(k, dtype=int)
        return _elevation_deg(np.einsum("nij,nj->ni", enu[k],
                                   itrf(np.atleast_1d(x)) - sites_itrf[k]))

    y = el_grid - masks
    tc, series, rising = crossings_on_grid(lambda x, k: elevation_s(x, k) - masks[k], grid,
                                           y, tol_s, smooth=True)
    x_max, s_max, el_max = series_maxima_on_grid(elevation_s, grid, el_grid, tol_s,
                                                 smooth=True)
    rows: list[tuple[int, float, float, float, float, bool, bool]] = []
    for k, st in enumerate(sites):
        mine = series == k
        b = list(tc[mine & rising])
        e = list(tc[mine & ~rising])
        bc = [False] * len(b)
        ec = [False] * len(e)
        if y[0, k] >= 0:
            b.insert(0, grid[0])
            bc.insert(0, True)
        if y[-1, k] >= 0:
            e.append(grid[-1])
            ec.append(True)
        if len(b) != len(e):   # pragma: no cover - the crossings alternate by construction
            raise RuntimeError(f"unpaired AOS/LOS for {st.name}")
        b_s, e_s = np.asarray(b, dtype=float), np.asarray(e, dtype=float)
        xk, elk = x_max[s_max == k], el_max[s_max == k]
        for j in range(len(bc)):
            inside = np.flatnonzero((xk >= b_s[j]) & (xk <= e_s[j]))
            if inside.size:
                m = inside[np.argmax(elk[inside])]
                xm, em = float(xk[m]), float(elk[m])
            else:  # culmination outside the window (clipped pass): take the higher end
                ends = np.array([b_s[j], e_s[j]])
                el_ends = elevation_s(ends, np.array([k, k]))
                m = int(np.argmax(el_ends))
                xm, em = float(ends[m]), float(el_ends[m])
            rows.append((k, float(b_s[j]), float(e_s[j]), em, xm, bool(bc[j]), bool(ec[j])))
    rows.sort(key=lambda r: r[1])   # by AOS (stable: stations in order on a tie)
    if not rows:
        return []
    # one Time sum for every AOS, LOS and culmination (a sum per pass was a fifth of the
    # search's time), then scalars by index
    secs = np.array([r[1:3] + (r[4],) for r in rows]).T.ravel()
    times = t0 + TimeDelta(secs, format="sec")
    n = len(rows)
    return [Pass(sites[k].name, times[i], times[n + i], em, times[2 * n + i], bc, ec)
            for i, (k, _b, _e, em, _x, bc, ec) in enumerate(rows)]
