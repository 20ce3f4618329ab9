"""One time bridge (issue 18): :mod:`rossim.time` owns every conversion between ``Time``,
``datetime64`` and ``datetime``, the epoch constants and the one IERS policy.

External anchors: MJD 0 = 1858-11-17T00:00 = JD 2400000.5 (IAU 1973 resolution; USNO "Julian
Date Converter"); the POSIX epoch 1970-01-01T00:00 UTC = JD 2440587.5 (IEEE Std 1003.1, "Seconds
Since the Epoch"); 2000-01-01T00:00 UTC = JD 2451544.5 (Vallado, Fundamentals of
Astrodynamics, 4th ed., example 3-4 for the method); 1,800,000,000 POSIX seconds =
2027-01-15T08:00:00 UTC (GNU ``date -u -d @1800000000``); astropy's own ``jd``, ``mjd`` and
``unix`` formats as the peer tool.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
from astropy.time import Time

from rossim.time import (
    datetime64_from_time,
    datetime64_ns_from_time,
    event_time,
    format_event_time,
    jd_pair_from_unix_seconds,
    julian_date_at_0h,
    time_from_datetime64,
    to_datetime,
    to_datetime64,
    unix_days,
    unix_seconds,
)

SRC = Path(__file__).resolve().parents[1] / "src" / "rossim"

#: The MJD and Unix epochs as literals (JD, MJD day numbers, dates) and 86,400 s Unix JD
#: arithmetic.
EPOCH_LITERALS = re.compile(r"2400000\.5|2440587\.5|40587|1858-11-17|1970-01-01|UNIX_JD0")

#: Files that still spell an epoch: owned by other branches at the time of writing, each with
#: the rossim.time function that replaces it. Shrinks, never grows.
KNOWN = {
}


def test_epoch_literals_only_in_time_py():
    bad = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel == "time.py" or rel in KNOWN:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if EPOCH_LITERALS.search(line):
                bad.append(f"{rel}:{n}: {line.strip()}")
    assert not bad, "use rossim.time's conversions: " + "; ".join(bad)
    # The allow-list only holds files that still need it.
    for rel in KNOWN:
        path = SRC / rel
        assert path.exists() and EPOCH_LITERALS.search(path.read_text(encoding="utf-8")), \
            f"{rel} no longer spells an epoch: remove it from KNOWN"


def test_iers_policy_is_set_in_one_place():
    setters = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for n, line in enumerate(text.splitlines(), start=1):
            if re.search(r"iers\.conf\.\w+\s*=", line):
                setters.append(f"{path.relative_to(SRC).as_posix()}:{n}")
    assert setters and all(s.startswith("time.py:") for s in setters), setters


def test_epoch_constants_against_astropy():
    assert julian_date_at_0h(np.datetime64("1858-11-17")) == 2400000.5
    assert julian_date_at_0h(np.datetime64("1970-01-01T13:00")) == 2440587.5
    assert julian_date_at_0h(np.datetime64("2000-01-01")) == 2451544.5
    days = np.array(["1999-12-31", "2016-12-31", "2027-03-01"], dtype="datetime64[D]")
    np.testing.assert_array_equal(julian_date_at_0h(days),
                                  Time(days.astype(str), scale="utc").jd)


def test_unix_seconds_and_jd_pair():
    t64 = np.datetime64("2027-01-15T08:00:00")
    assert unix_seconds(t64) == 1800000000.0
    np.testing.assert_array_equal(unix_seconds(np.array([t64, t64 + np.timedelta64(90, "s")])),
                                  [1800000000.0, 1800000090.0])
    s = np.array([0.0, 1800000000.0, 1800000000.0 + 43200.5])
    jd, frac = jd_pair_from_unix_seconds(s)
    ref = Time(s, format="unix", scale="utc")  # no leap second on these days
    np.testing.assert_allclose((jd - ref.jd1) + (frac - ref.jd2), 0.0, atol=1e-11)  # < 1 us
    np.testing.assert_array_equal(jd, [2440587.5, 2461420.5, 2461420.5])


def test_datetime64_round_trips_without_strings():
    t64 = np.array(["2026-12-31T23:59:59.999999", "2027-01-01T00:00:00",
                    "2027-06-30T12:34:56.789012"], dtype="datetime64[us]")
    t = time_from_datetime64(t64)
    text = t.utc.copy()
    text.precision = 6
    np.testing.assert_array_equal(text.isot, t64.astype(str))
    np.testing.assert_array_equal(datetime64_from_time(t), t64)
    assert to_datetime64(t[2]) == t64[2]
    assert to_datetime64("2027-01-01T00:00:00Z") == t64[1]
    aware = dt.datetime(2027, 1, 1, 3, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert to_datetime64(aware) == t64[1]
    assert to_datetime(t64[2]) == dt.datetime(2027, 6, 30, 12, 34, 56, 789012, tzinfo=dt.UTC)


def test_datetime64_ns_equals_astropys_own_conversion():
    """The MSIS calls' epochs: ``datetime64_ns_from_time`` gives astropy's ``t.utc.datetime64``
    (its string round trip, the peer) to the nanosecond, over 1960-2100 at random, on whole
    seconds (pymsis truncates to seconds: a nanosecond off would move a sample by one) and
    within a nanosecond of midnight; in shape (scalar -> 1-d)."""
    from astropy.time import TimeDelta

    rng = np.random.default_rng(20261202)
    cases = [Time(2437000.5 + rng.uniform(0.0, 51000.0, 20000), format="jd", scale="utc"),
             Time("2030-06-01", scale="utc")
             + TimeDelta(rng.integers(0, 10**8, 5000) * 1.0, format="sec"),
             Time(["2016-12-31T23:59:59.999999999", "1999-01-01T00:00:00.000000000",
                   "2000-02-29T12:00:00", "2099-12-31T23:59:59.5"], scale="utc"),
             Time("2031-03-04T05:06:07.123456789", scale="utc")]
    for t in cases:
        ours = datetime64_ns_from_time(t)
        peer = np.atleast_1d(t.utc.datetime64)
        assert ours.dtype == np.dtype("datetime64[ns]") and ours.shape == peer.shape
        assert np.array_equal(ours, peer), (ours[ours != peer][:3], peer[ours != peer][:3])
        assert np.array_equal(to_datetime64(t), np.asarray(t.utc.datetime64, "datetime64[us]"))
    # a leap second has no datetime64 (astropy's conversion raises): the next minute's instant
    leap = Time("2016-12-31T23:59:60.5", scale="utc")
    assert datetime64_ns_from_time(leap)[0] == np.datetime64("2017-01-01T00:00:00.5", "ns")


def test_unix_days_matches_the_propagators_formula():
    t = Time(["2027-01-15T08:00:00", "2027-01-15T20:24:36.123456"], scale="utc")
    utc = t.utc
    expected = (np.asarray(utc.jd1) - 2440587.5) + np.asarray(utc.jd2)  # dynamics/propagator.py
    np.testing.assert_array_equal(unix_days(t), expected)
    assert unix_days(t)[0] == 1800000000.0 / 86400.0
    np.testing.assert_array_equal(
        datetime64_from_time(t),
        np.array(["2027-01-15T08:00:00", "2027-01-15T20:24:36.123456"], dtype="datetime64[us]"))


def test_event_stamps_are_datetime64_seconds_and_text_only_at_the_edge():
    """Events, alarms and commands carry ``datetime64[s]`` (issue 18: no ISO text that another
    module parses back); the summary, report and JSON write ``YYYY-MM-DDTHH:MM:SSZ``."""
    t = event_time("2029-03-01T12:34:56.789Z")
    assert isinstance(t, np.datetime64) and t.dtype == np.dtype("datetime64[s]")
    assert t == np.datetime64("2029-03-01T12:34:56")            # fraction dropped
    aware = dt.datetime(2029, 3, 1, 15, 34, 56, 999999, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert event_time(aware) == t
    assert event_time(np.datetime64("2029-03-01T12:34:56.5", "us")) == t
    assert format_event_time(t) == "2029-03-01T12:34:56Z"
    assert format_event_time(aware) == "2029-03-01T12:34:56Z"
    assert format_event_time(None) is None
    # sorting stamps is sorting their text (the events table's order is unchanged)
    ts = [event_time(x) for x in ("2030-01-01T00:00:01", "2029-12-31T23:59:59",
                                  "2030-01-01T00:00:00")]
    assert [format_event_time(x) for x in sorted(ts)] == sorted(format_event_time(x) for x in ts)


def test_ops_parses_no_event_text_back():
    bad = []
    for path in sorted((SRC / "ops").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if 'rstrip("Z")' in line or "fromisoformat" in line:
                bad.append(f"{path.name}:{n}: {line.strip()}")
    assert not bad, "events carry datetime64 (rossim.time.event_time): " + "; ".join(bad)
