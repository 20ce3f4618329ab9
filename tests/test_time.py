"""Tests for rossim.time: epochs, durations, grids.

External anchors: J2000.0 = JD 2451545.0 TT = 2000-01-01T11:58:55.816 UTC (IAU definition;
Vallado, Fundamentals of Astrodynamics, 4th ed., sec. 3.5); TAI-UTC = 37 s since 2017-01-01
(IERS Bulletin C 52); the leap second at the end of 2016-12-31 (IERS Bulletin C 52).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from astropy.time import Time
from astropy.utils import iers

from rossim.errors import InputError
from rossim.time import (
    format_iso,
    parse_duration,
    seconds_since,
    time_grid,
    to_jd_pair,
    to_time,
)


def test_iers_never_downloads():
    assert iers.conf.auto_download is False


@pytest.mark.parametrize(
    "text",
    [
        "2027-01-01T00:00:00",
        "2027-01-01T00:00:00Z",
        "2027-01-01 00:00:00",
        "2027-001T00:00:00",
        "2027-001T00:00:00.000Z",
        "2027-01-01",
    ],
)
def test_to_time_accepts_iso_forms(text):
    t = to_time(text)
    assert t.scale == "utc"
    assert abs((t - Time("2027-01-01T00:00:00", scale="utc")).to_value("s")) == 0.0


def test_to_time_datetime_naive_is_utc_and_aware_is_converted():
    naive = to_time(dt.datetime(2027, 1, 1, 3, 0, 0))
    moscow = to_time(dt.datetime(2027, 1, 1, 6, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))))
    assert abs((naive - moscow).to_value("s")) < 1e-9


def test_to_time_arrays_and_passthrough():
    arr = to_time(np.array(["2027-01-01T00:00:00", "2027-01-02T00:00:00"], dtype="datetime64[ns]"))
    assert arr.shape == (2,)
    assert to_time(arr) is arr
    lst = to_time(["2027-01-01", "2027-01-02T00:00:00Z"])
    np.testing.assert_allclose(seconds_since(lst, lst[0]), [0.0, 86400.0], atol=1e-9)
    dts = to_time([dt.datetime(2027, 1, 1), dt.datetime(2027, 1, 1, 0, 1)])
    np.testing.assert_allclose(seconds_since(dts, dts[0]), [0.0, 60.0], atol=1e-9)


def test_j2000_reference_epoch():
    # J2000.0 = 2000-01-01T12:00:00 TT = 11:58:55.816 UTC (TT-UTC = 32.184 + 32 s).
    t = to_time("2000-01-01T11:58:55.816")
    assert abs(t.tt.jd - 2451545.0) * 86400.0 < 1e-6


def test_leap_second_counted_in_elapsed_time():
    # IERS Bulletin C 52: a leap second was inserted at 2016-12-31T23:59:60 UTC.
    a = to_time("2016-12-31T23:59:59")
    b = to_time("2017-01-01T00:00:00")
    assert seconds_since(b, a) == pytest.approx(2.0, abs=1e-9)
    assert (b.tai.jd - b.jd) * 86400.0 == pytest.approx(37.0, abs=1e-6)


@pytest.mark.parametrize("bad", ["garbage", "2027-13-01", "", "2027-02-30T00:00:00", 3.5, None,
                                 "2027-01-01T12:00:61", "2027-01-01T23:59:60"])
def test_to_time_rejects_garbage(bad):
    with pytest.raises(InputError) as info:
        to_time(bad)
    assert info.value.field == "time"
    assert info.value.where is None


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("30d", 30 * 86400.0),
        ("12h", 43200.0),
        ("90min", 5400.0),
        ("45s", 45.0),
        ("P1DT2H", 93600.0),
        ("PT90M", 5400.0),
        ("P2W", 1209600.0),
        ("PT0.5S", 0.5),
        ("1d12h30m", 131400.0),
        ("1.5 h", 5400.0),
        ("600", 600.0),
        (120, 120.0),
    ],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds, rel=0, abs=1e-9)


@pytest.mark.parametrize("bad", ["", "abc", "3 months", "P1Y", "P", "PT", "-5s", "-5", "1h1h",
                                 "nan", "inf", True, None])
def test_parse_duration_rejects(bad):
    with pytest.raises(InputError) as info:
        parse_duration(bad)
    assert info.value.field == "duration"


def test_time_grid_inclusive_and_exact():
    g = time_grid("2027-01-01T00:00:00", 86400.0, 60.0)
    assert len(g) == 1441
    assert format_iso(g[0]) == "2027-01-01T00:00:00.000"
    assert format_iso(g[-1]) == "2027-01-02T00:00:00.000"
    np.testing.assert_allclose(np.diff(seconds_since(g, g[0])), 60.0, rtol=0, atol=1e-6)
    # Not a whole number of steps: stops at the last step before the end.
    g2 = time_grid("2027-01-01", 100.0, 30.0)
    np.testing.assert_allclose(seconds_since(g2, g2[0]), [0, 30, 60, 90], atol=1e-9)
    # Zero duration: just the start.
    assert len(time_grid("2027-01-01", 0.0, 10.0)) == 1


def test_time_grid_takes_duration_strings():
    """``time_grid(t0, "1d", "60s")``, what a reader of docs/state-files.md's
    ``parse_duration("1d")`` tries first, was a bare ValueError."""
    assert len(time_grid("2027-01-01", "1d", "60s")) == 1441
    with pytest.raises(InputError) as info:
        time_grid("2027-01-01", "one day", 60)
    assert info.value.field == "duration"
    with pytest.raises(InputError) as info:
        time_grid("2027-01-01", 86400, None)
    assert info.value.field == "step"


@pytest.mark.filterwarnings("ignore:.*dubious year")
def test_time_grid_ten_years_has_no_drift():
    g = time_grid("2027-01-01", 3650 * 86400.0, 600.0)
    assert len(g) == 3650 * 144 + 1
    assert abs(seconds_since(g[-1:], g[0])[0] - 3650 * 86400.0) < 1e-6
    # 2027-01-01 + 3650 d of SI seconds (no leap second announced in the data) lands here:
    assert format_iso(g[-1]) == "2036-12-29T00:00:00.000"


@pytest.mark.parametrize("dur, step", [(-1.0, 10.0), (10.0, 0.0), (10.0, -1.0), (float("nan"), 1)])
def test_time_grid_rejects(dur, step):
    with pytest.raises(InputError):
        time_grid("2027-01-01", dur, step)


def test_to_jd_pair_is_utc_two_part():
    t = to_time(["2000-01-01T12:00:00", "2027-06-01T06:00:00"])
    jd, fr = to_jd_pair(t)
    np.testing.assert_allclose(jd + fr, [2451545.0, 2461557.75], rtol=0, atol=1e-9)
    jd_tt, fr_tt = to_jd_pair(t.tt)  # converts back to UTC whatever the input scale
    np.testing.assert_allclose(jd_tt + fr_tt, jd + fr, rtol=0, atol=1e-9)
