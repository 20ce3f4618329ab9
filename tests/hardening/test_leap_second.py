"""Kind 3 of issue 17: time on a day that is not 86,400 s. A TLE epoch's day fraction and the
instants handed to SGP4 count 86,400 s per UTC day (python-sgp4's ``jday``, Skyfield); astropy's
UTC Julian date stretches a leap-second day over 86,401 s (0.75 s at 18:00 on 2016-12-31).
References: python-sgp4 2.x and Skyfield 1.55, called here on an element set built for this
test (ISS-like elements with the epoch on 2016-12-31, the day ending with a leap second;
checksums computed below).
"""

from __future__ import annotations

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec, jday

from rossim.dynamics.tle import propagate
from rossim.files.tle import make_tle, parse_tle
from rossim.time import from_jd_pair, to_jd_pair, to_time


def _checksum(line: str) -> str:
    s = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68]) % 10
    return line[:68] + str(s)


L1 = _checksum("1 25544U 98067A   16366.75000000  .00002182  00000-0 -11606-4 0  9990")
L2 = _checksum("2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563530")


def test_tle_epoch_on_a_leap_second_day():
    """Day 366.75 of 2016 is 18:00:00.000 UTC for python-sgp4 and Skyfield (not 18:00:00.750,
    astropy's reading of the same Julian date)."""
    from skyfield.api import EarthSatellite, load

    tle = parse_tle(L1, L2)
    assert tle.epoch.utc.isot == "2016-12-31T18:00:00.000"
    sky = EarthSatellite(L1, L2, ts=load.timescale(builtin=True))
    assert sky.epoch.utc_iso(places=3) == "2016-12-31T18:00:00.000Z"


@pytest.mark.parametrize("hms", [(18, 0, 0.0), (20, 30, 0.0), (23, 59, 59.5)])
def test_sgp4_times_on_a_leap_second_day(hms):
    """SGP4 positions at UTC instants of that day agree with python-sgp4 (``jday``) and
    Skyfield to the millimetre (a millisecond is 7.7 m along the orbit)."""
    from skyfield.api import EarthSatellite, load

    h, m, s = hms
    sat = Satrec.twoline2rv(L1, L2, WGS72)
    e, r_ref, _ = sat.sgp4(*jday(2016, 12, 31, h, m, s))
    assert e == 0
    t = to_time(f"2016-12-31T{h:02d}:{m:02d}:{s:06.3f}")
    r = propagate(parse_tle(L1, L2), t, frame="TEME").r_m[0, 0] / 1e3
    assert np.linalg.norm(r - np.array(r_ref)) < 1e-6
    ts = load.timescale(builtin=True)
    sky = EarthSatellite(L1, L2, ts=ts)
    r_sky = sky._position_and_velocity_TEME_km(ts.utc(2016, 12, 31, h, m, s))[0]
    assert np.linalg.norm(r - r_sky) < 1e-6


def test_jd_pair_is_sgp4s_jday():
    """to_jd_pair gives python-sgp4's jday for instants of the leap-second day, including the
    leap second itself (which jday, like any 86,400 s count, folds onto the next 0h); and
    from_jd_pair inverts it for every other instant."""
    texts = ["2016-12-31T12:00:00", "2016-12-31T23:59:59.25", "2016-12-31T23:59:60.5",
             "2017-01-01T00:00:00.25"]
    refs = [jday(2016, 12, 31, 12, 0, 0.0), jday(2016, 12, 31, 23, 59, 59.25),
            jday(2016, 12, 31, 23, 59, 60.5), jday(2017, 1, 1, 0, 0, 0.25)]
    jd, fr = to_jd_pair(to_time(texts))
    for k, (a, b) in enumerate(refs):
        assert abs((jd[k] - a) + (fr[k] - b)) * 86400.0 < 1e-6
    for k in (0, 1, 3):
        back = from_jd_pair(jd[k], fr[k])
        assert abs((back - to_time(texts[k])).to_value("s")) < 1e-6


def test_make_tle_epoch_on_a_leap_second_day():
    """make_tle's epoch goes to sgp4init as a day count of 86,400 s days as well."""
    tle = make_tle(catalog_number=99001, epoch="2016-12-31T18:00:00", inclination_deg=51.6,
                   raan_deg=10.0, eccentricity=0.001, arg_perigee_deg=0.0,
                   mean_anomaly_deg=0.0, mean_motion_rev_per_day=15.5)
    assert tle.epoch.utc.isot == "2016-12-31T18:00:00.000"


def test_earth_rotation_angle_on_a_leap_second_day():
    """The GCRF->ITRF chain's UT1 on 2016-12-31 (86,401 s): the Earth rotation angle equals
    ERFA's era00 of astropy's own UT1 (IERS UT1-UTC) to 1e-11 rad; reading the stretched UTC
    Julian date as if it were uniform was 0.5 s (3.6e-5 rad, 230 m at the surface) off at
    noon."""
    import erfa
    from astropy.time import Time

    from rossim.frames.earth import _components

    t = Time(["2016-12-31T12:00:00", "2016-12-31T23:59:30", "2017-01-02T12:00:00"],
             scale="utc")
    _, era, _, _ = _components(t)
    ref = erfa.era00(t.ut1.jd1, t.ut1.jd2)
    np.testing.assert_allclose(np.unwrap(era - ref), 0.0, atol=1e-11)
