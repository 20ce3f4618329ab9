"""Sun and Moon (DE421) against Orekit's DE440 positions (tests/data/orekit/frames.json)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rossim.environment.ephemeris import (
    AU_M,
    sun_moon_gcrf,
    sun_position_gcrf,
)
from rossim.errors import InputError
from rossim.validation.environment import sun_moon_vs_orekit

FRAMES = Path(__file__).resolve().parents[1] / "data" / "orekit" / "frames.json"


@pytest.fixture(scope="module")
def oracle():
    assert FRAMES.exists(), "committed Orekit fixture missing (tools/orekit_oracle.py)"
    data = json.loads(FRAMES.read_text())
    assert "DE-440" in data["header"]["sun_moon"] or "DE-440" in data["header"]["orekit_data"]
    return sun_moon_vs_orekit()


def test_sun_against_orekit_de440(oracle):
    """Geometric geocentric Sun: DE421 (rossim) vs DE440 (Orekit 13.1, header in the fixture).

    The two JPL ephemerides differ in the Earth-Moon barycentre orbit by a few hundred metres
    (measured here: 60-220 m), so 1 km bounds the ephemeris difference plus the frame
    (ICRF vs GCRF axes) and time-scale (UTC -> TDB) handling, each far below it.
    """
    err = oracle["sun_m"]
    assert np.max(err) < 1000.0


def test_moon_against_orekit_de440(oracle):
    """Geocentric Moon: DE421 vs DE440 differ by a few metres (lunar laser ranging fits);
    a 1 s timing error would show as 1 km, a wrong frame as tens of km. Bound: 20 m."""
    err = oracle["moon_m"]
    assert np.max(err) < 20.0


def test_shapes_and_ranges():
    t = ["2027-01-03T00:00", "2027-07-04T00:00", "2031-05-01T12:00"]
    sun, moon = sun_moon_gcrf(t)
    assert sun.shape == moon.shape == (3, 3)
    assert np.array_equal(sun, sun_position_gcrf(t))
    d = np.linalg.norm(sun, axis=1) / AU_M
    # Perihelion early January (0.983 AU), aphelion early July (1.017 AU).
    assert 0.982 < d[0] < 0.985 and 1.015 < d[1] < 1.018
    assert np.all((np.linalg.norm(moon, axis=1) > 356e6) & (np.linalg.norm(moon, axis=1) < 407e6))
    assert sun_position_gcrf("2027-01-01").shape == (1, 3)
    with pytest.raises(InputError):
        sun_position_gcrf("2060-01-01")


def test_interpolated_tdb_over_a_year_against_astropy(monkeypatch):
    """TDB - TT on hourly nodes, interpolated: within 2e-10 s of astropy's series at every
    epoch of a year at 30 s, the Sun within a millimetre; one epoch alone gets the value it
    gets in the batch (the nodes are fixed from J2000)."""
    import erfa
    import numpy as np
    from astropy.time import Time, TimeDelta

    from rossim.environment import ephemeris

    t = Time("2027-01-01T00:00:00", scale="utc") + TimeDelta(
        np.arange(0.0, 366 * 86400.0, 30.0), format="sec")
    jd1, jd2 = ephemeris._tdb_interpolated(t.tt)
    tdb = t.tdb
    assert np.abs(((jd1 - tdb.jd1) + (jd2 - tdb.jd2)) * 86400.0).max() < 2e-10
    sun = ephemeris.sun_position_gcrf(t[::97])
    ref = ((ephemeris._pos(0, 10, tdb.jd1[::97], tdb.jd2[::97])
            - ephemeris._pos(0, 3, tdb.jd1[::97], tdb.jd2[::97]))
           - ephemeris._pos(3, 399, tdb.jd1[::97], tdb.jd2[::97])).T * 1000.0
    assert np.abs(sun - ref).max() < 1e-3
    one = ephemeris._tdb_interpolated(t[777:778].tt)
    assert one[1][0] == jd2[777]
    # a few epochs spread over the year (an event search's refinement step) evaluate only
    # the nodes around them, with the values the whole year's batch gives, to the bit
    pick = np.array([5, 777, 400_000, 1_054_079])
    calls = []
    dtdb = erfa.dtdb
    monkeypatch.setattr(erfa, "dtdb", lambda *a: calls.append(np.size(a[1])) or dtdb(*a))
    few = ephemeris._tdb_interpolated(t[pick].tt)
    assert np.array_equal(few[1], jd2[pick]) and calls == [8]


def test_repeated_epochs_reuse_their_tdb_to_the_bit(monkeypatch):
    """The Sun at the same epochs twice (the drag validation's arrays projection and JB2008)
    reuses the TDB of the first call, to the bit; against astropy's own TDB within 2e-10 s
    (the hourly interpolation of TDB - TT) for the same instants given in UTC and in TT (two
    keys), to the bit with a site or a UT1 scale (astropy's path, never reused)."""
    import numpy as np
    from astropy.coordinates import EarthLocation
    from astropy.time import Time, TimeDelta

    from rossim.cache import ArrayMemo
    from rossim.environment import ephemeris

    monkeypatch.setattr(ephemeris, "_TDB_MEMO", ArrayMemo(ephemeris.TDB_MEMO_BYTES))
    t = Time("2027-01-01T00:00:00", scale="utc") + TimeDelta(np.linspace(0, 86400, 500),
                                                             format="sec")
    def seconds_from_astropy(jd1, jd2, ref):
        return np.abs(((jd1 - ref.tdb.jd1) + (jd2 - ref.tdb.jd2)) * 86400.0).max()

    first = ephemeris._tdb(t)
    again = ephemeris._tdb(t)
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])
    assert seconds_from_astropy(*first, t) < 2e-10
    assert len(ephemeris._TDB_MEMO) == 1
    keep = first[0].copy()
    first[0][:] = 0.0   # the caller's copy: the memory keeps its own
    assert np.array_equal(ephemeris._tdb(t)[0], keep)
    tt = t.tt
    assert seconds_from_astropy(*ephemeris._tdb(tt), tt) < 2e-10
    assert len(ephemeris._TDB_MEMO) == 2
    site = Time(t, location=EarthLocation.from_geodetic(37.6, 55.75, 150.0))
    assert np.array_equal(ephemeris._tdb(site)[1], site.tdb.jd2)
    ut1 = Time(t.utc.jd1, t.utc.jd2, format="jd", scale="ut1")  # TDB through IERS tables
    ut1.delta_ut1_utc = 0.25
    assert np.array_equal(ephemeris._tdb(ut1)[1], ut1.tdb.jd2)
    assert len(ephemeris._TDB_MEMO) == 2   # neither kept
