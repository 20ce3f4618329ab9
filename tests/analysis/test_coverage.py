"""Earth-observation coverage against external references.

References:
- Russia's area: 17,098,246 km^2 (Rosstat, "Russia in Figures" 2023, territory incl. inland
  waters; the CIA World Factbook gives 17,098,242 km^2).
- Highest latitude seen: closed-form geometry: the geodetic latitude of the orbit's most
  northerly point (geocentric latitude = inclination at radius R_eq + h, converted by ERFA
  gc2gd on WGS84), plus the footprint's Earth-central half-angle w / (2 R_eq).
- Latitude-band coverage: after enough days every point of the band below that limit is
  seen, so the covered share is the WGS84 area between the band's bottom and the limit over
  the band's area (area element cos(phi) (1 - e^2) / (1 - e^2 sin^2 phi)^2, integrated with
  scipy.integrate.quad).
- Polygon membership: shapely 2 ``contains_xy`` (cross-check of the scan-line raster).
"""

import json

import numpy as np
import pytest

from rossim.analysis.coverage import Instrument, coverage, ground_track
from rossim.analysis.regions import band_region, load_region, polygon_area_km2, region_grid
from rossim.errors import InputError
from rossim.validation.coverage import RUSSIA_AREA_KM2, band_area, latitude_limit_deg


def test_russia_area_matches_published_within_2_percent():
    russia = load_region("russia")
    assert polygon_area_km2(russia) == pytest.approx(RUSSIA_AREA_KM2, rel=0.02)
    assert region_grid(russia, 0.1).area_km2 == pytest.approx(RUSSIA_AREA_KM2, rel=0.02)


def test_russia_crosses_antimeridian_and_raster_matches_shapely():
    import shapely  # in the test extras: the independent point-in-polygon reference
    from shapely.geometry import shape

    russia = load_region("russia")
    grid = region_grid(russia, 0.1)
    # Chukotka lies on both sides of 180 deg.
    assert grid.mask[:, grid.lon_deg > 179.5].any() and grid.mask[:, grid.lon_deg < -179.5].any()
    from importlib import resources
    text = (resources.files("rossim") / "data" / "regions" / "russia.geojson").read_text()
    poly = shape(json.loads(text)["features"][0]["geometry"])
    rng = np.random.default_rng(7)
    j = rng.integers(0, grid.lat_deg.size, 20000)
    i = rng.integers(0, grid.lon_deg.size, 20000)
    ref = shapely.contains_xy(poly, grid.lon_deg[i], grid.lat_deg[j])
    # Cell centres exactly on an edge may differ; allow 0.1 % of samples.
    assert np.mean(ref != grid.mask[j, i]) < 1e-3


@pytest.fixture(scope="module")
def tracks():
    return {inc: ground_track(400.0, inc, "2028-03-01", 10.0) for inc in (51.6, 97.0)}


@pytest.mark.parametrize("inc", [51.6, 97.0])
def test_highest_latitude_seen_is_the_geometric_limit(tracks, inc):
    swath = 200.0
    limit = latitude_limit_deg(400.0, inc, swath)
    res = coverage(band_region(limit - 3.0, 90.0), tracks[inc], Instrument(swath_km=swath))
    # Highest seen cell centre: within one 0.1 deg grid step below the limit, never above.
    assert limit - 0.1 <= res.max_latitude_seen_deg <= limit + 1e-6
    assert abs(np.max(np.abs(tracks[inc].lat_deg)) + res.half_angle_deg - limit) < 0.01


def test_latitude_band_coverage_matches_analytic_within_1_percent(tracks):
    swath = 600.0
    limit = latitude_limit_deg(400.0, 51.6, swath)
    res = coverage(band_region(40.0, 60.0), tracks[51.6], Instrument(swath_km=swath))
    expected = 100.0 * band_area(40.0, limit) / band_area(40.0, 60.0)
    assert res.covered_pct == pytest.approx(expected, abs=1.0)


def test_polar_orbit_sees_all_of_russia_and_51_6_only_the_south(tracks):
    wide = Instrument(swath_km=600.0)
    r97 = coverage("russia", tracks[97.0], wide)
    r51 = coverage("russia", tracks[51.6], wide)
    assert r97.covered_pct > 99.0
    assert r51.covered_pct < 30.0
    assert coverage("nsr", tracks[51.6], wide).covered_pct == 0.0


def test_bad_input(tmp_path):
    for kwargs in ({"swath_km": 0.0}, {"fov_deg": 180.0}, {"fov_deg": 0.0},
                   {"fov_deg": 200.0}, {"swath_km": -5.0}):
        with pytest.raises(InputError):
            Instrument(**kwargs)
    with pytest.raises(InputError):
        ground_track(400, 51.6, "2028-01-01", 0)
    with pytest.raises(InputError):
        ground_track(400, 51.6, "2028-01-01", -3)
    point = tmp_path / "point.geojson"
    point.write_text(json.dumps({"type": "Point", "coordinates": [10, 60]}))
    with pytest.raises(InputError, match="Polygon"):
        load_region(str(point))
    garbage = tmp_path / "x.geojson"
    garbage.write_text("not json")
    with pytest.raises(InputError):
        load_region(str(garbage))
    with pytest.raises(InputError):
        load_region("atlantis")


@pytest.mark.parametrize(("text", "field", "shown"), [
    ('{"type":"Polygon","coordinates":[[[0,0],["a",0],[10,10],[0,0]]]}',
     "coordinates[0][1]", '["a", 0]'),
    ('{"type":"Polygon","coordinates":[[[0,0],[NaN,0],[10,10],[0,0]]]}',
     "coordinates[0][1]", "[nan, 0]"),
    ('{"type":"Polygon","coordinates":[[[0,0],[10,-Infinity],[10,10],[0,0]]]}',
     "coordinates[0][1]", "[10, -inf]"),
    ('{"type":"Polygon","coordinates":[[[0,0],[true,0],[10,10],[0,0]]]}',
     "coordinates[0][1]", "[true, 0]"),
    ('{"type":"Polygon","coordinates":[[[0,0],[5],[10,10],[0,0]]]}',
     "coordinates[0][1]", "[5]"),
    ('{"type":"Polygon","coordinates":[[[0,0],[400,0],[10,10],[0,0]]]}',
     "coordinates[0][1]", "[400, 0]"),
    ('{"type":"Polygon","coordinates":5}', "coordinates", "5"),
    ('{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],"x"]}',
     "coordinates[1]", '"x"'),
    ('{"type":"Feature","properties":{"corridor_half_width_km":50},'
     '"geometry":{"type":"LineString","coordinates":[[0,60],[NaN,61]]}}',
     "geometry.coordinates[1]", "[nan, 61]"),
    ('{"type":"Feature","properties":{"corridor_half_width_km":true},'
     '"geometry":{"type":"LineString","coordinates":[[0,60],[10,61]]}}',
     "properties.corridor_half_width_km", "true"),
    ('{"type":"FeatureCollection","features":[5]}', "features[0]", "5"),
])
def test_geojson_positions_are_finite_numbers(tmp_path, text, field, shown):
    """Every position is a [longitude, latitude] of finite numbers in range: a string was a
    ValueError (exit 1), NaN a 21-million-km^2 "region" (the NaN fell through the range test).
    The error names the file, the position's path in it and the position as written."""
    path = tmp_path / "bad.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_region(str(path))
    assert (info.value.where, info.value.field) == (str(path), field)
    assert f"{field} = {shown};" in info.value.message


def test_a_region_no_cell_centre_falls_in_is_refused_with_a_grid_that_resolves_it(tmp_path):
    """A polygon smaller than a grid cell (a ZeroDivisionError) or a sliver between the cell
    centres: an error naming step_deg, the region and its size, and the coarsest grid step
    that resolves it (none for a region smaller than a cell of the finest grid)."""
    def region(name, ring):
        path = tmp_path / f"{name}.geojson"
        path.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}))
        return load_region(str(path))

    tiny = region("tiny", [[0, 0], [0.0001, 0], [0, 0.0001], [0, 0]])
    sliver = region("sliver", [[0, 0.3], [10, 0.3], [10, 0.4], [0, 0.4], [0, 0.3]])
    with pytest.raises(InputError) as info:
        region_grid(sliver, 1.0)
    assert info.value.field == "step_deg" and info.value.value == 1.0
    assert 'region "sliver" (10 deg of longitude by 0.1 deg of latitude)' in str(info.value)
    assert "expected a grid step of 0.25 deg or finer" in str(info.value)
    assert region_grid(sliver, 0.25).mask.any()
    with pytest.raises(InputError, match="smaller than a cell of the finest grid"):
        region_grid(tiny, 1.0)
    track = ground_track(400, 51.6, "2028-01-01", 0.1)
    with pytest.raises(InputError, match="step_deg"):
        coverage(tiny, track, step_deg=0.5)
