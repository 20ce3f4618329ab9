"""Coverage of Russia on a 0.1 deg grid over 30 days of a 10 s ground track (target: < 20 s),
against a straightforward shapely baseline timed in the same run.

rossim: :func:`rossim.analysis.coverage.coverage` (numba sweep over the interpolated track,
scan-line raster of the Natural Earth polygon), timed from scratch (region raster not cached).
Baseline (shapely 2): the region's cells by point-in-polygon (``contains_xy`` on every cell
centre of the region's latitude rows), the swath as one quadrilateral per 10 s track segment
(the segment's end points offset by the footprint half-angle across track, on the sphere), and
the cells seen by an ``STRtree`` query of the cell centres against the quadrilaterals. Both use
the same ground track (its computation, ~2 s, is timed with rossim only) and report the share
of Russia's area seen, compared in the notes.
"""

from __future__ import annotations

import json
import time
from importlib import resources

import numpy as np


def _baseline_covered_pct(track, lam_deg: float, step_deg: float = 0.1) -> float:
    import shapely
    from shapely.geometry import shape

    from rossim.analysis.regions import _q  # WGS84 cell areas, as rossim

    text = (resources.files("rossim") / "data" / "regions" / "russia.geojson").read_text()
    poly = shape(json.loads(text)["features"][0]["geometry"])
    shapely.prepare(poly)
    lat_min, lat_max = poly.bounds[1], poly.bounds[3]
    nlon = int(round(360 / step_deg))
    lon_c = -180 + (np.arange(nlon) + 0.5) * step_deg
    j0, j1 = int(np.floor((lat_min + 90) / step_deg)), int(np.ceil((lat_max + 90) / step_deg))
    lat_c = -90 + (np.arange(j0, j1) + 0.5) * step_deg
    lo, la = np.meshgrid(lon_c, lat_c)
    inside = shapely.contains_xy(poly, lo.ravel(), la.ravel())
    cx, cy = lo.ravel()[inside], la.ravel()[inside]
    row_area = np.abs(np.diff(_q(np.concatenate([lat_c - step_deg / 2,
                                                 lat_c[-1:] + step_deg / 2]))))
    w = row_area[np.searchsorted(lat_c, cy - 1e-9)]

    def unit(lat, lon):
        a, b = np.radians(lat), np.radians(lon)
        return np.column_stack([np.cos(a) * np.cos(b), np.cos(a) * np.sin(b), np.sin(a)])

    p = unit(track.lat_deg, track.lon_deg)
    a, b = p[:-1], p[1:]
    n = np.cross(a, b)
    n /= np.linalg.norm(n, axis=1, keepdims=True)
    lam = np.radians(lam_deg)
    corners = [a * np.cos(lam) + n * np.sin(lam), b * np.cos(lam) + n * np.sin(lam),
               b * np.cos(lam) - n * np.sin(lam), a * np.cos(lam) - n * np.sin(lam)]
    lats = np.stack([np.degrees(np.arcsin(c[:, 2])) for c in corners], axis=1)
    lons = np.stack([np.degrees(np.arctan2(c[:, 1], c[:, 0])) for c in corners], axis=1)
    lons = lons[:, :1] + (lons - lons[:, :1] + 180) % 360 - 180  # unwrap about corner 0
    keep = (lats.max(axis=1) >= lat_min) & (lats.min(axis=1) <= lat_max)
    lats, lons = lats[keep], lons[keep]
    quads = []
    for shift in (0.0, 360.0, -360.0):
        sel = (lons + shift).max(axis=1) > -180 if shift == 0 else (
            ((lons + shift).min(axis=1) < 180) & ((lons + shift).max(axis=1) > -180))
        if shift == 0:
            sel = np.ones(len(lons), bool)
        xy = np.stack([lons[sel] + shift, lats[sel]], axis=2)
        quads.append(shapely.polygons(np.concatenate([xy, xy[:, :1]], axis=1)))
    quads = np.concatenate(quads)
    tree = shapely.STRtree(quads)
    pts = shapely.points(cx, cy)
    hit_idx, _ = tree.query(pts, predicate="intersects")
    seen = np.zeros(cx.size, bool)
    seen[hit_idx] = True
    return 100.0 * float(w[seen].sum() / w.sum())


def run() -> list[dict]:
    from rossim.analysis import regions
    from rossim.analysis.coverage import Instrument, coverage, ground_track

    inst = Instrument(swath_km=200.0)
    rows = []
    coverage(regions.band_region(60, 61), ground_track(400, 51.6, "2028-03-01", 0.1))  # JIT
    for inc in (51.6, 97.0):
        regions.region_grid.cache_clear()
        regions._load_cached.cache_clear()
        t0 = time.perf_counter()
        track = ground_track(400.0, inc, "2028-03-01", 30.0, step_s=10.0)
        res = coverage("russia", track, inst, step_deg=0.1)
        rossim_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        base_pct = _baseline_covered_pct(track, res.half_angle_deg)
        peer_s = time.perf_counter() - t0
        rows.append({
            "benchmark": f"coverage of Russia, {inc:g} deg 400 km, 30 d, 10 s track, 0.1 deg",
            "rossim_s": rossim_s, "peer": f"shapely {_shapely_version()} contains_xy + STRtree baseline",
            "peer_s": peer_s, "ratio": peer_s / rossim_s,
            "notes": f"target < 20 s; covered {res.covered_pct:.2f} % (rossim, incl. revisit "
                     f"and passes) vs {base_pct:.2f} % (baseline, coverage only)"})
    return rows


def _shapely_version() -> str:
    import shapely
    return shapely.__version__


if __name__ == "__main__":
    for row in run():
        print(row)
