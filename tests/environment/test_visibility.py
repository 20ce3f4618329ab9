"""Ground-station look angles and passes against Skyfield (an outside implementation).

The satellite is the ISS TLE of 2023-01-01 (Space-Track; the copy in
tests/data/orekit/sgp4.json), propagated by Skyfield's EarthSatellite (SGP4) to GCRS; rossim
turns those positions into ITRF with its own IAU 2006/2000A chain and IERS data, and computes
elevation, azimuth and passes; Skyfield computes them with ``(sat - wgs84.latlon(...)).at(t)``
and ``find_events``. Skyfield ignores polar motion by default (a few metres), which bounds the
agreement.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from astropy.time import Time, TimeDelta

from rossim.analysis.visibility import (
    Station,
    default_stations,
    ground_track,
    visibility_windows,
)
from rossim.validation.environment import SHCHYOLKOVO, skyfield_look_angles

SGP4_FIXTURE = Path(__file__).resolve().parents[1] / "data" / "orekit" / "sgp4.json"
STATION = Station(*SHCHYOLKOVO)
T0 = Time("2023-01-01T06:00:00", scale="utc")
T1 = T0 + TimeDelta(86400.0, format="sec")


@pytest.fixture(scope="module")
def sky():
    from skyfield.api import EarthSatellite, load, wgs84

    assert SGP4_FIXTURE.exists(), "committed fixture tests/data/orekit/sgp4.json missing"
    tle = json.loads(SGP4_FIXTURE.read_text())["tles"][0]
    ts = load.timescale(builtin=True)
    sat = EarthSatellite(tle["line1"], tle["line2"], "ISS", ts)
    topo = wgs84.latlon(STATION.lat_deg, STATION.lon_deg, elevation_m=STATION.alt_m)

    def traj(t):
        return sat.at(ts.from_astropy(t)).position.m.T

    def sky_altaz(t):
        alt, az, dist = (sat - topo).at(ts.from_astropy(t)).altaz()
        return alt.degrees, az.degrees, dist.m

    return ts, sat, topo, traj, sky_altaz


def test_elevation_azimuth_against_skyfield():
    la = skyfield_look_angles()  # T0 + 1 day at 20 s from STATION
    az, el, rng = la["az"], la["el"], la["range"]
    alt_ref, az_ref, rng_ref = la["el_ref"], la["az_ref"], la["range_ref"]
    assert np.max(np.abs(el - alt_ref)) < 0.01
    up = alt_ref > 0.0
    assert up.sum() > 20
    assert np.max(np.abs((az - az_ref + 180.0) % 360.0 - 180.0)[up]) < 0.01
    assert np.max(np.abs(rng - rng_ref)) < 20.0


def test_passes_against_skyfield_find_events(sky):
    ts, sat, topo, traj, sky_altaz = sky
    passes = visibility_windows(traj, T0, T1, [STATION])
    times, kinds = sat.find_events(topo, ts.from_astropy(T0), ts.from_astropy(T1),
                                   altitude_degrees=STATION.min_elevation_deg)
    aos = [t for t, k in zip(times, kinds, strict=True) if k == 0]
    los = [t for t, k in zip(times, kinds, strict=True) if k == 2]
    assert len(passes) == len(aos) == len(los) == 5
    for p, a, b in zip(passes, aos, los, strict=True):
        # skyfield's own event times are refined to about 0.1-0.2 s.
        assert abs((p.aos - a.to_astropy()).to_value("s")) < 1.0
        assert abs((p.los - b.to_astropy()).to_value("s")) < 1.0
    # Skyfield's elevation at rossim's AOS/LOS is the 5 deg mask, and at rossim's
    # culmination it is rossim's maximum elevation.
    edges = Time([p.aos for p in passes] + [p.los for p in passes])
    assert np.max(np.abs(sky_altaz(edges)[0] - STATION.min_elevation_deg)) < 0.01
    tmax = Time([p.max_elevation_time for p in passes])
    assert np.max(np.abs(sky_altaz(tmax)[0] - [p.max_elevation_deg for p in passes])) < 0.01
    # and it is a maximum: 10 s either side is lower.
    for dt in (-10.0, 10.0):
        assert np.all(sky_altaz(tmax + TimeDelta(dt, format="sec"))[0]
                      < [p.max_elevation_deg for p in passes])


def test_positions_are_computed_once_for_all_stations(sky):
    """Three stations share one search grid: the trajectory is asked for the grid once (plus
    the refinements), not once per station (the search of a year took minutes so)."""
    ts, sat, topo, traj, sky_altaz = sky
    asked = []

    def counting(t):
        asked.append(len(t))
        return traj(t)

    stations = [STATION, Station("b", 43.7, 131.9, 0.0, 5.0), Station("c", 64.5, 40.6)]
    passes = visibility_windows(counting, T0, T1, stations)
    n_grid = 86400 // 30 + 1
    # the grid once and the refinements (about 2,000 points here); per station, with the
    # maxima's own grid, it was more than 6 grids
    assert asked[0] == n_grid and sum(asked) < 2 * n_grid, (sum(asked), n_grid)
    # and the passes are those of one station at a time
    alone = [p for s in stations for p in visibility_windows(traj, T0, T1, [s])]
    assert sorted((p.station, p.aos.jd) for p in passes) == \
        sorted((p.station, p.aos.jd) for p in alone)


def test_chunked_grid_gives_the_same_passes(sky, monkeypatch):
    """The grid's positions are turned into ITRF in chunks (memory over a year): chunks of 7
    epochs give the passes of one chunk, to the bit."""
    from rossim.analysis import visibility

    ts, sat, topo, traj, sky_altaz = sky
    whole = visibility_windows(traj, T0, T1, [STATION])
    monkeypatch.setattr(visibility, "_CHUNK", 7)
    chunked = visibility_windows(traj, T0, T1, [STATION])
    assert [(p.aos.jd, p.los.jd, p.max_elevation_deg) for p in whole] == \
        [(p.aos.jd, p.los.jd, p.max_elevation_deg) for p in chunked]


def test_ground_track_against_skyfield(sky):
    from skyfield.api import wgs84

    ts, sat, _, traj, _ = sky
    t = T0 + TimeDelta(np.arange(0.0, 5400.0, 60.0), format="sec")
    lat, lon, alt = ground_track(traj(t), t)
    sp = wgs84.geographic_position_of(sat.at(ts.from_astropy(t)))
    # 1e-4 deg is 11 m: polar motion, which Skyfield leaves out, is a few metres.
    assert np.max(np.abs(lat - sp.latitude.degrees)) < 1e-4
    assert np.max(np.abs((lon - sp.longitude.degrees + 180.0) % 360.0 - 180.0)) < 1e-4
    assert np.max(np.abs(alt - sp.elevation.m)) < 20.0
    # geocentric latitude never exceeds the inclination (51.64 deg); geodetic is ~0.2 higher.
    assert 51.0 < np.max(np.abs(lat)) < 52.0


def test_default_stations_from_catalogue():
    stations = default_stations()
    assert len(stations) >= 1
    assert all(-90 <= s.lat_deg <= 90 and s.min_elevation_deg >= 0 for s in stations)
