"""Regions of the Earth for coverage analyses: polygons, corridors and latitude bands on a
regular latitude/longitude grid.

A :class:`Region` is one of

* a **polygon** (GeoJSON ``Polygon`` / ``MultiPolygon``, longitudes in [-180, 180]; a region
  that crosses the antimeridian is split there into parts, as Natural Earth does for Russia),
* a **corridor**: a GeoJSON ``LineString`` with the property ``corridor_half_width_km``; every
  point within that great-circle distance of the polyline belongs to it (the Northern Sea
  Route), or
* a **latitude band** ``[lat_min, lat_max]`` all around the Earth (:func:`band_region`).

Shipped regions (``rossim/data/regions``, see the README there): ``russia`` (Natural Earth
1:50m, public domain), ``arctic`` (Russia north of the Arctic Circle), ``nsr`` (the Northern Sea
Route corridor from the Kara Gate to the Bering Strait).

:func:`region_grid` rasterises a region onto cell centres of a global grid of ``step_deg``
(geodetic latitude, longitude from -180). Polygon membership is an even-odd scan-line test of
cell centres (numpy, one row of cells per latitude), exact for the centres. Cell areas are on the
WGS84 ellipsoid (authalic-latitude formula, Snyder, *Map Projections: A Working Manual*, USGS PP
1395, eq. 3-12), so summed areas are true areas.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from rossim.constants import E2, FLATTENING, R_EQ_KM
from rossim.errors import InputError

__all__ = [
    "Region", "RegionGrid", "SHIPPED_REGIONS", "load_region", "band_region", "region_grid",
    "polygon_area_km2", "band_area_km2", "ARCTIC_CIRCLE_DEG",
]

A_WGS84_KM = R_EQ_KM  # rossim.constants
F_WGS84 = FLATTENING
E2_WGS84 = E2
ARCTIC_CIRCLE_DEG = 66.5628  # 90 deg minus the obliquity of the ecliptic (J2025)

#: shipped region name -> file name under ``rossim/data/regions``
SHIPPED_REGIONS = {"russia": "russia.geojson", "arctic": "russia-arctic.geojson",
                   "nsr": "nsr.geojson"}


@dataclass(frozen=True, eq=False)
class Region:
    """A region: polygon rings, a corridor polyline, or a latitude band (see module notes).

    ``rings`` are closed (n, 2) arrays of (lon_deg, lat_deg); ``corridor`` an (n, 2) polyline
    with ``half_width_km``; ``band`` a (lat_min_deg, lat_max_deg) pair.
    """

    name: str
    rings: tuple[np.ndarray, ...] = ()
    corridor: np.ndarray | None = None
    half_width_km: float = 0.0
    band: tuple[float, float] | None = None
    source: str = ""
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def kind(self) -> str:
        return "band" if self.band else ("corridor" if self.corridor is not None else "polygon")

    @property
    def lat_range_deg(self) -> tuple[float, float]:
        """Latitude range (deg) that contains the region."""
        if self.band:
            return self.band
        if self.corridor is not None:
            w = np.degrees(self.half_width_km / A_WGS84_KM)
            return (max(-90.0, float(self.corridor[:, 1].min() - w)),
                    min(90.0, float(self.corridor[:, 1].max() + w)))
        lats = np.concatenate([r[:, 1] for r in self.rings])
        return float(lats.min()), float(lats.max())


def _q(lat_deg: np.ndarray) -> np.ndarray:
    """Snyder's q(phi) for the WGS84 ellipsoid (authalic latitude), dimensionless."""
    e = np.sqrt(E2_WGS84)
    s = np.sin(np.radians(lat_deg))
    return (1 - E2_WGS84) * (s / (1 - E2_WGS84 * s * s)
                             - np.log((1 - e * s) / (1 + e * s)) / (2 * e))


def band_area_km2(lat1_deg: float, lat2_deg: float, dlon_deg: float = 360.0) -> float:
    """Area (km^2) of the WGS84 ellipsoid between two geodetic latitudes over ``dlon_deg``."""
    return float(np.radians(dlon_deg) * A_WGS84_KM ** 2 / 2
                 * abs(_q(np.asarray(lat2_deg)) - _q(np.asarray(lat1_deg))))


def polygon_area_km2(region: Region) -> float:
    """Area (km^2) of a polygon region on the WGS84 ellipsoid.

    Independent of the grid: latitudes are mapped to authalic latitudes and the area is the
    spherical line integral (Chamberlain & Duquette, JPL 07-0286, 2007) on the authalic
    sphere, which has the ellipsoid's area. Holes (clockwise rings) subtract.
    """
    if region.kind == "band":
        return band_area_km2(*region.band)
    if region.kind != "polygon":
        raise InputError("region", region.name, region.kind, "a polygon region")
    qp = float(_q(np.asarray(90.0)))
    r2 = A_WGS84_KM ** 2 * qp / 2
    total = 0.0
    for ring in region.rings:
        lon = np.radians(ring[:, 0])
        sb = _q(ring[:, 1]) / qp  # sine of the authalic latitude
        total += 0.5 * float(np.sum((lon[1:] - lon[:-1]) * (2 + sb[:-1] + sb[1:])))
    # Rings are counter-clockwise outside, clockwise for holes (RFC 7946): with this
    # formula counter-clockwise gives a negative sum.
    return abs(total) * r2


def _positions(seq: object, where: str, field: str, min_n: int, what: str) -> np.ndarray:
    """The (n, 2) longitudes and latitudes (deg) of the GeoJSON positions ``seq`` found at
    ``field``: at least ``min_n`` positions (``what`` says which), each a list whose first two
    items are finite numbers (longitude in [-180, 180], latitude in [-90, 90]); a third item
    (an altitude) is ignored."""
    if not isinstance(seq, list) or len(seq) < min_n:
        shown = f"{len(seq)} positions" if isinstance(seq, list) else seq
        raise InputError(where, field, shown, what)
    out = np.empty((len(seq), 2))
    for i, pos in enumerate(seq):
        at = f"{field}[{i}]"
        if not (isinstance(pos, list) and len(pos) >= 2 and all(
                isinstance(x, int | float) and not isinstance(x, bool) for x in pos[:2])):
            raise InputError(where, at, pos, "a position [longitude, latitude] of two numbers "
                             "(degrees)")
        try:
            lon, lat = float(pos[0]), float(pos[1])
        except OverflowError:
            lon = lat = math.inf
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise InputError(where, at, pos, "a position [longitude, latitude] of finite "
                             "numbers (degrees; NaN and Infinity are no position)")
        if abs(lon) > 180.0 or abs(lat) > 90.0:
            raise InputError(where, at, pos, "a longitude in [-180, 180] and a latitude in "
                             "[-90, 90] (degrees)")
        out[i] = lon, lat
    return out


def _rings_from_geometry(geom: dict, where: str, prefix: str) -> tuple[np.ndarray, ...]:
    kind = geom.get("type")
    coords = geom.get("coordinates")
    field = f"{prefix}coordinates"
    if kind == "Polygon":
        polys = [(coords, field)]
    elif kind == "MultiPolygon":
        if not isinstance(coords, list):
            raise InputError(where, field, coords, "a list of polygons (MultiPolygon)")
        polys = [(poly, f"{field}[{p}]") for p, poly in enumerate(coords)]
    else:
        raise InputError(where, f"{prefix}type", kind,
                         "Polygon, MultiPolygon, or a LineString with corridor_half_width_km")
    rings = []
    for poly, at in polys:
        if not isinstance(poly, list):
            raise InputError(where, at, poly, "a list of rings (a Polygon)")
        for r, ring in enumerate(poly):
            arr = _positions(ring, where, f"{at}[{r}]", 4,
                             "a closed ring of at least 4 (lon, lat) positions")
            if not np.allclose(arr[0], arr[-1]):
                arr = np.vstack([arr, arr[:1]])
            rings.append(arr)
    if not rings:
        raise InputError(where, field, "empty", "at least one ring")
    return tuple(rings)


def _parse(data: object, where: str, default_name: str) -> Region:
    if not isinstance(data, dict):
        raise InputError(where, None, type(data).__name__, "a GeoJSON object")
    if data.get("type") == "FeatureCollection":
        feats = data.get("features") or []
        if not isinstance(feats, list) or len(feats) != 1:
            raise InputError(where, "features", f"{len(feats)} features"
                             if isinstance(feats, list) else feats,
                             "a FeatureCollection of exactly one Feature")
        data = feats[0]
        if not isinstance(data, dict):
            raise InputError(where, "features[0]", data, "a GeoJSON Feature object")
    props: dict = {}
    if data.get("type") == "Feature":
        props = data.get("properties") or {}
        geom = data.get("geometry") or {}
    else:
        geom = data
    if not isinstance(props, dict) or not isinstance(geom, dict):
        bad = "properties" if not isinstance(props, dict) else "geometry"
        raise InputError(where, bad, data.get(bad), "a JSON object")
    prefix = "geometry." if data.get("type") == "Feature" else ""
    name = str(props.get("name", default_name))
    source = str(props.get("source", ""))
    if geom.get("type") == "LineString":
        width = props.get("corridor_half_width_km")
        if not (isinstance(width, int | float) and not isinstance(width, bool)
                and 0 < width < 2000):
            raise InputError(where, "properties.corridor_half_width_km", width,
                             "a LineString region needs a half width in km (0, 2000)")
        line = _positions(geom.get("coordinates"), where, f"{prefix}coordinates", 2,
                          "at least two (lon, lat) positions (a LineString)")
        return Region(name, corridor=line, half_width_km=float(width), source=source,
                      meta=props)
    return Region(name, rings=_rings_from_geometry(geom, where, prefix), source=source,
                  meta=props)


@lru_cache(maxsize=16)
def _load_cached(key: str) -> Region:
    if key in SHIPPED_REGIONS:
        text = (resources.files("rossim") / "data" / "regions" / SHIPPED_REGIONS[key]).read_text(
            encoding="utf-8")
        return _parse(json.loads(text), f"rossim/data/regions/{SHIPPED_REGIONS[key]}", key)
    path = Path(key)
    if not path.is_file():
        raise InputError("argument", "region", key,
                         f"one of {', '.join(SHIPPED_REGIONS)} or a GeoJSON file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), None, "not JSON", "a GeoJSON file",
                         problem=str(exc).split("\n")[0]) from None
    return _parse(data, str(path), path.stem)


def load_region(name_or_path: str | Path) -> Region:
    """A shipped region by name (``russia``, ``arctic``, ``nsr``) or a GeoJSON file."""
    return _load_cached(str(name_or_path))


def band_region(lat_min_deg: float, lat_max_deg: float) -> Region:
    """All longitudes between two geodetic latitudes (deg)."""
    if not -90 <= lat_min_deg < lat_max_deg <= 90:
        raise InputError("argument", "band", (lat_min_deg, lat_max_deg),
                         "-90 <= lat_min < lat_max <= 90")
    return Region(f"band {lat_min_deg:g}..{lat_max_deg:g} N",
                  band=(float(lat_min_deg), float(lat_max_deg)))


@dataclass(frozen=True, eq=False)
class RegionGrid:
    """A region on a global grid: rows ``lat_deg`` (cell centres, ascending), columns
    ``lon_deg`` (centres from -180 + step/2), ``mask`` (rows, cols) of member cells,
    ``row_area_km2`` the area of one cell in each row (WGS84)."""

    region: Region
    step_deg: float
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    mask: np.ndarray
    row_area_km2: np.ndarray

    @property
    def area_km2(self) -> float:
        return float(np.sum(self.mask.sum(axis=1) * self.row_area_km2))

    def cell_area_km2(self) -> np.ndarray:
        """Area of every cell (rows, cols), km^2."""
        return np.broadcast_to(self.row_area_km2[:, None], self.mask.shape)


def _polygon_mask(rings: tuple[np.ndarray, ...], lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    edges = np.concatenate([np.column_stack([r[:-1], r[1:]]) for r in rings])
    x1, y1, x2, y2 = edges.T
    mask = np.zeros((lat.size, lon.size), bool)
    for j, y in enumerate(lat):
        cross = (y1 > y) != (y2 > y)
        if not np.any(cross):
            continue
        xa, ya, xb, yb = x1[cross], y1[cross], x2[cross], y2[cross]
        xs = np.sort(xa + (y - ya) * (xb - xa) / (yb - ya))
        # even-odd rule: a centre is inside when an odd number of crossings lie left of it
        mask[j] = (np.searchsorted(xs, lon) % 2) == 1
    return mask


def _unit(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat_deg), np.radians(lon_deg)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def _corridor_mask(line: np.ndarray, half_width_km: float, lat: np.ndarray,
                   lon: np.ndarray) -> np.ndarray:
    pts = _unit(line[:, 1], line[:, 0])
    cos_w = np.cos(half_width_km / A_WGS84_KM)
    mask = np.zeros((lat.size, lon.size), bool)
    for j, y in enumerate(lat):
        p = _unit(np.full(lon.size, y), lon)
        inside = np.any(p @ pts.T >= cos_w, axis=1)  # near a waypoint
        for a, b in zip(pts[:-1], pts[1:], strict=True):
            n = np.cross(a, b)
            n /= np.linalg.norm(n)
            s = p @ n  # sine of the cross-track angle
            between = (np.cross(a, p) @ n >= 0) & (np.cross(p, b) @ n >= 0)
            inside |= between & (np.sqrt(np.clip(1 - s * s, 0, 1)) >= cos_w)
        mask[j] = inside
    return mask


#: Grid steps (deg) :func:`region_grid` proposes for a region no cell centre falls in.
_FINER_STEPS_DEG = (2.0, 1.0, 0.5, 0.25, 0.2, 0.1, 0.05, 0.02, 0.01)


def _raster(region: Region, step_deg: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cell-centre latitudes and longitudes (deg) of the rows ``region`` spans, and its mask."""
    lo, hi = region.lat_range_deg
    n_lon = int(round(360.0 / step_deg))
    lon = -180.0 + (np.arange(n_lon) + 0.5) * (360.0 / n_lon)
    j0 = int(np.floor((lo + 90.0) / step_deg))
    j1 = int(np.ceil((hi + 90.0) / step_deg))
    lat = -90.0 + (np.arange(j0, j1) + 0.5) * step_deg
    if region.kind == "band":
        mask = np.broadcast_to(((lat >= lo) & (lat < hi))[:, None], (lat.size, n_lon)).copy()
    elif region.kind == "corridor":
        mask = _corridor_mask(region.corridor, region.half_width_km, lat, lon)
    else:
        mask = _polygon_mask(region.rings, lat, lon)
    return lat, lon, mask


def _extent_text(region: Region) -> str:
    """The region's latitude (and longitude) extent in words, for an error line."""
    lo, hi = region.lat_range_deg
    if region.kind == "band":
        return f"{hi - lo:.3g} deg of latitude"
    points = region.corridor if region.kind == "corridor" else np.concatenate(region.rings)
    width = float(points[:, 0].max() - points[:, 0].min())
    return f"{width:.3g} deg of longitude by {hi - lo:.3g} deg of latitude"


@lru_cache(maxsize=16)
def region_grid(region: Region, step_deg: float = 0.1) -> RegionGrid:
    """Rasterise ``region`` on a global grid of ``step_deg`` (only the rows it spans).

    A region no cell centre falls in (smaller than a cell, or a thin sliver between centres)
    is refused, naming the coarsest of :data:`_FINER_STEPS_DEG` that resolves it."""
    if not 0.01 <= step_deg <= 5.0:
        raise InputError("argument", "step_deg", step_deg, "a grid step of 0.01-5 deg")
    lat, lon, mask = _raster(region, step_deg)
    if not mask.any():
        finer = next((s for s in _FINER_STEPS_DEG if s < step_deg
                      and _raster(region, s)[2].any()), None)
        problem = (f"no cell centre of that grid lies in region \"{region.name}\" "
                   f"({_extent_text(region)})")
        raise InputError("argument", "step_deg", step_deg,
                         f"a grid step of {finer:g} deg or finer for this region"
                         if finer is not None else
                         "a larger region: it is smaller than a cell of the finest grid "
                         "(0.01 deg)", problem=problem)
    n_lon = lon.size
    edges = np.clip(np.concatenate([lat - step_deg / 2, lat[-1:] + step_deg / 2]), -90, 90)
    row_area = np.radians(360.0 / n_lon) * A_WGS84_KM ** 2 / 2 * np.abs(np.diff(_q(edges)))
    return RegionGrid(region, step_deg, lat, lon, mask, row_area)
