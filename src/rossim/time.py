"""Epochs, durations and time grids: the one time bridge of rossim.

Every physics model takes an array-valued :class:`astropy.time.Time` and broadcasts over it, so
a day at one-minute steps is one object of 1441 instants, not a Python loop. The ops clock and
the archive count naive-UTC ``datetime64[us]`` (86,400 s days, as POSIX time); aware
``datetime`` only appears at the TOML edge (scenario dates) and in printed results. This module
owns every conversion between the three and every epoch constant (the MJD and Unix epochs):

==============================  ==============================================================
:func:`to_time`                  anything -> ``Time`` (physics)
:func:`to_datetime64`            anything -> naive-UTC ``datetime64[us]`` (ops clock, archive)
:func:`to_datetime`              ``datetime64`` -> aware UTC ``datetime`` (TOML edge, output)
:func:`event_time`               anything -> ``datetime64[s]``: the stamp of an ops event
:func:`format_event_time`        event stamp -> ``YYYY-MM-DDTHH:MM:SSZ`` (JSON, CSV, HTML edge)
:func:`time_from_datetime64`     ``datetime64`` grid -> ``Time`` without string parsing
:func:`datetime64_from_time`     ``Time`` -> ``datetime64[us]`` without string parsing
:func:`julian_date_at_0h`        UTC Julian date of 0h of a ``datetime64`` day
:func:`unix_seconds`             ``datetime64`` -> POSIX seconds (86,400 s days)
:func:`unix_days`                ``Time`` -> days since the Unix epoch (86,400 s days)
:func:`jd_pair_from_unix_seconds`  POSIX seconds -> ``(jd at 0h, day fraction)`` (ERFA input)
:func:`to_jd_pair`/:func:`from_jd_pair`  SGP4's UTC Julian date pair
==============================  ==============================================================

Earth-orientation policy (set here, once, at import): astropy never downloads anything. IERS
data come from the installed ``astropy-iers-data`` package (bulletin A with predictions about a
year ahead). ``auto_max_age`` is ``None`` so the age of those predictions is not an error, and
``iers_degraded_accuracy`` is ``"ignore"``: beyond the end of the table astropy holds the last
UT1-UTC and polar-motion values. Beyond the table's end, UT1 may therefore be off by a fraction
of a second per year of extrapolation (a few hundred metres of Earth rotation at the equator
per 0.5 s); the inertial conversion TEME <-> GCRF does not use UT1 at all. Leap seconds come from the same installed data; none are assumed beyond the table, and
ERFA's "dubious year" warning for such dates is silenced.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import warnings
from collections.abc import Sequence
from typing import Any

import erfa as _erfa
import numpy as np
from astropy.time import Time, TimeDelta
from astropy.utils import iers as _iers

from rossim.errors import InputError

__all__ = [
    "Time",
    "to_time",
    "parse_duration",
    "time_grid",
    "to_jd_pair",
    "from_jd_pair",
    "seconds_since",
    "format_iso",
    "source_date_epoch",
    "creation_time",
    "to_datetime64",
    "to_datetime",
    "event_time",
    "format_event_time",
    "time_from_datetime64",
    "datetime64_from_time",
    "julian_date_at_0h",
    "unix_seconds",
    "unix_days",
    "datetime64_from_unix_days",
    "jd_pair_from_unix_seconds",
]

_iers.conf.auto_download = False
_iers.conf.auto_max_age = None
_iers.conf.iers_degraded_accuracy = "ignore"
# ERFA flags UTC dates more than a few years past its leap-second table as "dubious year".
# Station scenarios live there on purpose; the policy above (no leap second beyond the table)
# is stated once here instead of warning on every call.
warnings.filterwarnings("ignore", message=r".*dubious year", category=_erfa.ErfaWarning)

TIME_TEXT_EXPECTED = ("a UTC date or date-time in ISO 8601 form such as 2028-01-01, "
                      "2028-01-01T12:00Z or, by day of year, 2028-001T12:00")  # what text writes
TIME_OBJECTS_EXPECTED = ", a datetime, a numpy datetime64 or an astropy Time"  # from Python
_TIME_EXPECTED = TIME_TEXT_EXPECTED + TIME_OBJECTS_EXPECTED

# CCSDS and many catalogues write day-of-year epochs as YYYY-DDDTHH:MM:SS; astropy's "yday"
# format spells the same instant YYYY:DDD:HH:MM:SS.
_ORDINAL = re.compile(r"^\s*(\d{4})-(\d{3})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d*)?))?)?Z?\s*$")


def _ordinal_to_yday(text: str) -> str | None:
    m = _ORDINAL.match(text)
    if not m:
        return None
    year, doy, hh, mm, ss = m.groups()
    return f"{year}:{doy}:{hh or '00'}:{mm or '00'}:{ss or '00'}"


def _clean_string(text: str) -> str:
    text = text.strip()
    yday = _ordinal_to_yday(text)
    if yday is not None:
        return yday
    if text.endswith(("Z", "z")):
        text = text[:-1]
    return text


def _datetime_to_utc(value: _dt.datetime) -> _dt.datetime:
    # Naive datetimes are taken to be UTC; aware ones are converted.
    if value.tzinfo is not None:
        value = value.astimezone(_dt.UTC).replace(tzinfo=None)
    return value


def to_time(x: Any, scale: str = "utc") -> Time:
    """Convert ``x`` to an astropy :class:`~astropy.time.Time` (scalar or array).

    Parameters
    ----------
    x:
        An ISO 8601 string (``"2027-01-01"``, ``"2027-01-01T12:00:00Z"``, day-of-year
        ``"2027-001T12:00:00"``), a :class:`datetime.datetime` (naive means UTC; aware ones are
        converted to UTC), a :class:`numpy.datetime64`, an astropy ``Time`` (returned
        unchanged), or a sequence/array of any of these.
    scale:
        Time scale that strings, datetimes and datetime64 values are in (``"utc"``, ``"tt"``,
        ``"tai"``, ...). Ignored when ``x`` is already a ``Time``.

    Raises
    ------
    InputError
        With ``where=None`` (callers fill it in), ``field="time"``, when ``x`` is not a
        date/time.
    """
    if isinstance(x, Time):
        return x
    with warnings.catch_warnings():
        # "23:59:61" or "14:00:61": ERFA only warns and rolls over; that is a typo, not a time.
        warnings.filterwarnings("error", message=r".*after end of day",
                                category=_erfa.ErfaWarning)
        try:
            return _to_time(x, scale)
        except _erfa.ErfaWarning as exc:
            raise InputError(None, "time", x, _TIME_EXPECTED,
                             problem="seconds past the end of the minute or day") from exc


def _to_time(x: Any, scale: str = "utc") -> Time:
    """Implementation of :func:`to_time` (warnings not yet turned into errors)."""
    if isinstance(x, Time):
        return x
    try:
        if isinstance(x, str):
            return Time(_clean_string(x), scale=scale)
        if isinstance(x, _dt.datetime):
            return Time(_datetime_to_utc(x), scale=scale)
        if isinstance(x, _dt.date):
            return Time(x.isoformat(), scale=scale)
        if isinstance(x, np.datetime64):
            return Time(x, scale=scale)
        if isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.datetime64):
            return Time(x, scale=scale)
        if isinstance(x, (Sequence, np.ndarray)) and not isinstance(x, (bytes, bytearray)):
            items = list(np.asarray(x, dtype=object).ravel()) if isinstance(x, np.ndarray) \
                else list(x)
            if not items:
                raise InputError(None, "time", x, _TIME_EXPECTED, problem="empty sequence")
            if all(isinstance(i, str) for i in items):
                out = Time([_clean_string(i) for i in items], scale=scale)
            elif all(isinstance(i, _dt.datetime) for i in items):
                out = Time([_datetime_to_utc(i) for i in items], scale=scale)
            elif all(isinstance(i, Time) for i in items):
                return Time(items)
            else:
                out = Time(np.array(items, dtype="datetime64[ns]"), scale=scale)
            if isinstance(x, np.ndarray):
                out = out.reshape(x.shape)
            return out
    except InputError:
        raise
    except (ValueError, TypeError) as exc:
        raise InputError(None, "time", x, _TIME_EXPECTED) from exc
    raise InputError(None, "time", x, _TIME_EXPECTED)


_DURATION_EXPECTED = (
    "a duration such as 30d, 12h, 90min, 45s, 1d12h, 2w or ISO 8601 P1DT2H (number alone = "
    "seconds)"
)
_UNIT_SECONDS = {
    "w": 604800.0, "wk": 604800.0, "week": 604800.0, "weeks": 604800.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
    "h": 3600.0, "hr": 3600.0, "hrs": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
}
_NUM = r"(\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_TERM = re.compile(rf"\s*({_NUM})\s*([a-zA-Z]+)\s*")
_ISO = re.compile(
    rf"^P(?:(?P<w>{_NUM})W)?(?:(?P<d>{_NUM})D)?"
    rf"(?:T(?:(?P<h>{_NUM})H)?(?:(?P<m>{_NUM})M)?(?:(?P<s>{_NUM})S)?)?$"
)


def parse_duration(text: str | float | int, field: str = "duration") -> float:
    """Parse a duration and return it in seconds (a non-negative float).

    Accepted: a plain number (seconds), unit forms ``"30d"``, ``"12h"``, ``"90min"``,
    ``"45s"``, ``"2w"``, combinations ``"1d12h30m"``, and ISO 8601 ``"P1DT2H"``, ``"PT90M"``,
    ``"P2W"``. Years and months are refused (their length is ambiguous).

    Raises
    ------
    InputError
        Naming ``field`` (callers fill ``where``) on anything else, negative or non-finite too.
    """
    if isinstance(text, bool):
        raise InputError(None, field, text, _DURATION_EXPECTED)
    if isinstance(text, (int, float, np.integer, np.floating)):
        value = float(text)
        if not math.isfinite(value) or value < 0:
            raise InputError(None, field, text, _DURATION_EXPECTED,
                             problem="must be finite and not negative")
        return value
    if not isinstance(text, str):
        raise InputError(None, field, text, _DURATION_EXPECTED)
    s = text.strip()
    if not s:
        raise InputError(None, field, text, _DURATION_EXPECTED)
    try:
        value = float(s)
    except ValueError:
        value = None
    if value is not None:
        return parse_duration(value, field)
    if s[0] in "Pp":
        m = _ISO.match(s.upper())
        if not m or s.upper() in ("P", "PT") or s.upper().endswith("T"):
            raise InputError(None, field, text, _DURATION_EXPECTED)
        scale = {"w": 604800.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
        return float(sum(float(m.group(k)) * f for k, f in scale.items() if m.group(k)))
    total = 0.0
    pos = 0
    seen: set[float] = set()
    while pos < len(s):
        m = _TERM.match(s, pos)
        if not m:
            raise InputError(None, field, text, _DURATION_EXPECTED)
        unit = m.group(3).lower()
        if unit not in _UNIT_SECONDS:
            raise InputError(None, field, text, _DURATION_EXPECTED,
                             problem=f"unknown unit {unit!r}")
        factor = _UNIT_SECONDS[unit]
        if factor in seen:
            raise InputError(None, field, text, _DURATION_EXPECTED,
                             problem=f"unit {unit!r} repeated")
        seen.add(factor)
        total += float(m.group(1)) * factor
        pos = m.end()
    return total


def time_grid(start: Any, duration_s: float, step_s: float) -> Time:
    """Return the epochs ``start + k * step_s`` for ``k = 0 .. floor(duration_s / step_s)``.

    The grid always contains ``start``; it contains ``start + duration_s`` when the duration is
    a whole number of steps (to 1e-9 of a step), otherwise it stops at the last step before
    it. Offsets are exact elapsed SI seconds (leap seconds are counted), computed with
    astropy's two-double precision so a year at 1 s steps has no round-off drift.

    Parameters
    ----------
    start:
        Anything :func:`to_time` accepts (a scalar).
    duration_s, step_s:
        Seconds, or anything :func:`parse_duration` accepts (``"1d"``, ``"60s"``);
        ``duration_s >= 0`` and ``step_s > 0``.
    """
    t0 = to_time(start)
    if not t0.isscalar:
        raise InputError(None, "start", start, "a single epoch")
    duration_s = parse_duration(duration_s)        # seconds, or "1d", "60s" ...
    step_s = parse_duration(step_s, "step")
    if not (math.isfinite(step_s) and step_s > 0):
        raise InputError(None, "step", step_s, "a positive number of seconds")
    if not (math.isfinite(duration_s) and duration_s >= 0):
        raise InputError(None, "duration", duration_s, "a non-negative number of seconds")
    n = int(math.floor(duration_s / step_s + 1e-9)) + 1
    offsets = np.arange(n, dtype=float) * step_s
    return t0 + TimeDelta(offsets, format="sec")


def to_jd_pair(t: Time) -> tuple[np.ndarray, np.ndarray]:
    """UTC "calendar" Julian date of ``t`` as ``(jd at 0h, day fraction)`` float arrays.

    This is the input of ``sgp4``'s ``Satrec.sgp4_array`` / ``SatrecArray.sgp4``, which (like
    its ``jday`` and the TLE epoch's day fraction) counts every UTC day as 86,400 s: the
    fraction is (seconds since 0h UTC) / 86400, and 23:59:60.5 of a leap-second day is
    86400.5 / 86400. Astropy's own UTC Julian date stretches such a day over 86,401 s (a
    0.5 s difference at noon), which is not what SGP4's users (python-sgp4's ``jday``,
    Skyfield) mean. Two parts keep microsecond precision.
    """
    utc = t.utc
    ymdhms = np.atleast_1d(utc.ymdhms)
    jd0, jd1 = _erfa.cal2jd(ymdhms["year"], ymdhms["month"], ymdhms["day"])
    seconds = ymdhms["hour"] * 3600.0 + ymdhms["minute"] * 60.0 + ymdhms["second"]
    return np.atleast_1d(np.asarray(jd0 + jd1, dtype=float)), \
        np.atleast_1d(np.asarray(seconds / 86400.0, dtype=float))


def from_jd_pair(jd, fraction) -> Time:
    """Inverse of :func:`to_jd_pair`: ``jd`` (at or near 0h UTC) plus ``fraction`` of
    86,400 s days (a TLE epoch's day fraction, or SGP4's ``jd + tsince / 1440``), as UTC
    ``Time`` (scalar or array). Whole days are calendar days, as in sgp4's ``jday``; the
    instant inside a leap second (23:59:60.x) has no such number and reads as 00:00:00.x."""
    jd = np.asarray(jd, dtype=float)
    fraction = np.asarray(fraction, dtype=float)
    whole = np.floor(jd - 0.5) + 0.5  # 0h UTC of the day
    fraction = fraction + (jd - whole)
    day = np.floor(fraction)
    midnight = Time(whole + day, format="jd", scale="utc")
    return (midnight + TimeDelta((fraction - day) * 86400.0, format="sec")).utc


def seconds_since(t: Time, epoch: Time) -> np.ndarray:
    """Elapsed SI seconds from ``epoch`` to ``t`` (array, leap seconds counted)."""
    return np.asarray((t - epoch).to_value("s"), dtype=float)


def format_iso(t: Time, digits: int = 3) -> str | np.ndarray:
    """``t`` as UTC ISO 8601 text ``YYYY-MM-DDTHH:MM:SS.fff`` with ``digits`` decimals."""
    utc = t.utc.copy()
    utc.precision = int(digits)
    return utc.isot


#: The epochs, here and nowhere else: MJD 0 is 1858-11-17T00:00 (JD 2400000.5); POSIX time
#: counts from 1970-01-01T00:00 UTC (JD 2440587.5) in 86,400 s days.
_MJD_EPOCH_US = np.datetime64("1858-11-17T00:00:00", "us")
_MJD_EPOCH_JD = 2400000.5
_UNIX_EPOCH_US = np.datetime64("1970-01-01T00:00:00", "us")
_UNIX_EPOCH_JD = 2440587.5
#: Julian date of the POSIX epoch (1970-01-01 UTC), for compiled kernels that cannot call
#: :func:`jd_pair_from_unix_seconds` (numba reads it as a constant).
UNIX_EPOCH_JD = _UNIX_EPOCH_JD
_DAY_S = 86400.0


def time_from_datetime64(t: np.ndarray) -> Time:
    """astropy Time (UTC) from naive-UTC ``datetime64`` without string parsing (fast for
    long arrays). ``datetime64`` counts 86,400 s days (no leap seconds), so the time of day is
    added as that many seconds to 0h UTC of its calendar day (:func:`from_jd_pair`): on a day
    with a leap second the instant is the one the clock showed, not a stretched fraction."""
    mjd = (np.asarray(t).astype("datetime64[us]") - _MJD_EPOCH_US) / np.timedelta64(86400, "s")
    day = np.floor(mjd)
    return from_jd_pair(day + _MJD_EPOCH_JD, mjd - day)


def source_date_epoch() -> Time | None:
    """The ``SOURCE_DATE_EPOCH`` environment variable as a UTC ``Time``, or ``None`` if unset.

    ``SOURCE_DATE_EPOCH`` (reproducible-builds.org, "SOURCE_DATE_EPOCH specification") is an
    integer count of seconds since 1970-01-01T00:00:00 UTC, leap seconds not counted (POSIX
    time). Writers that would stamp "now" use it instead so the same inputs give the same bytes.

    Raises
    ------
    InputError
        ``field="SOURCE_DATE_EPOCH"`` when it is set but not a non-negative integer.
    """
    text = os.environ.get("SOURCE_DATE_EPOCH")
    if text is None or not text.strip():
        return None
    try:
        seconds = int(text.strip())
    except ValueError:
        seconds = -1
    if seconds < 0:
        raise InputError("environment", "SOURCE_DATE_EPOCH", text,
                         "a non-negative integer number of seconds since 1970-01-01 UTC")
    return time_from_datetime64(_UNIX_EPOCH_US + np.timedelta64(seconds, "s"))


def creation_time(data_epoch: Any) -> Time:
    """The creation stamp of a file made from data at ``data_epoch``: never the wall clock.

    ``SOURCE_DATE_EPOCH`` when set (:func:`source_date_epoch`), otherwise ``data_epoch``
    (anything :func:`to_time` accepts; the first element of an array), rounded down to the
    millisecond. Writing the same data twice therefore gives the same bytes.
    """
    t = source_date_epoch()
    if t is None:
        t = to_time(data_epoch)
        if not t.isscalar:
            t = t.ravel()[0]
    return t.utc


def to_datetime64(epochs: Any) -> np.ndarray:
    """UTC epochs as naive ``datetime64[us]`` (the ops clock's type), scalar or array.

    ``epochs``: ISO text (``Z`` allowed), a ``datetime`` (naive = UTC, aware ones converted),
    a ``date``, a ``datetime64``, an astropy ``Time``, or a list/tuple/array of these.
    Raises ``ValueError``/``TypeError`` on anything else (callers turn that into their
    :class:`~rossim.errors.InputError`).
    """
    if isinstance(epochs, Time):
        epochs = datetime64_ns_from_time(epochs).reshape(epochs.shape)
    if isinstance(epochs, _dt.datetime) and epochs.tzinfo is not None:
        epochs = epochs.astimezone(_dt.UTC).replace(tzinfo=None)
    if isinstance(epochs, str):
        epochs = epochs.replace("Z", "")
    if isinstance(epochs, list | tuple):
        epochs = [to_datetime64(e) for e in epochs]
    return np.asarray(epochs, dtype="datetime64[us]")


def to_datetime(t64: Any) -> _dt.datetime:
    """Aware UTC ``datetime`` from one ``datetime64`` (microseconds kept)."""
    return np.datetime64(t64, "us").astype(_dt.datetime).replace(tzinfo=_dt.UTC)


def event_time(t: Any) -> np.datetime64:
    """The time stamp of an ops event, alarm, command or invariant violation: a naive-UTC
    ``datetime64[s]`` scalar (whole seconds, the fraction dropped) of one epoch in any form
    :func:`to_datetime64` takes. Events carry it; text is made only at the edges
    (:func:`format_event_time`)."""
    return to_datetime64(t).astype("datetime64[s]")[()]


def format_event_time(t: Any) -> str | None:
    """``YYYY-MM-DDTHH:MM:SSZ`` of an event stamp (:func:`event_time`; any epoch is truncated
    to the second first), ``None`` for ``None``: the form of the summary, the report and the
    server's JSON."""
    if t is None:
        return None
    return str(event_time(t)) + "Z"


def datetime64_from_time(t: Time) -> np.ndarray:
    """``datetime64[us]`` (naive UTC, 86,400 s days) of ``t`` without string formatting.

    The UTC Julian date's two parts are reduced to days since the Unix epoch before they are
    added, so microseconds survive; an instant inside a leap second reads as the next day's
    00:00:00.x (``datetime64`` has no 23:59:60). Shape of ``t``, at least 1-d.
    """
    return datetime64_from_unix_days(unix_days(t))


def datetime64_ns_from_time(t: Time) -> np.ndarray:
    """``datetime64[ns]`` (naive UTC, 1-d) of ``t``: astropy's ``t.utc.datetime64`` to the ns,
    no strings (ERFA ``d2dtf`` at 9 digits; a leap second reads as the next minute's)."""
    utc = t.utc   # once: a scale conversion for a Time not in UTC
    iy, im, iday, hmsf = _erfa.d2dtf(b"UTC", 9, np.atleast_1d(utc.jd1), np.atleast_1d(utc.jd2))
    month = (iy.astype(np.int64) - 1970).astype("datetime64[Y]").astype("datetime64[M]")
    day = (month + (im.astype(np.int64) - 1)).astype("datetime64[D]") + (iday - 1)
    sec = ((hmsf["h"].astype(np.int64) * 60 + hmsf["m"]) * 60 + hmsf["s"]) * 1_000_000_000
    return day.astype("datetime64[ns]") + (sec + hmsf["f"]).astype("timedelta64[ns]")


def datetime64_from_unix_days(days: Any) -> np.ndarray:
    """``datetime64[us]`` of days since the Unix epoch (86,400 s days; rounded to 1 us)."""
    return _UNIX_EPOCH_US + np.round(np.asarray(days, dtype=float) * (_DAY_S * 1e6)).astype(
        np.int64).astype("timedelta64[us]")


def unix_days(t: Time) -> np.ndarray:
    """Days (of 86,400 s) since 1970-01-01T00:00 UTC of ``t``: the UTC Julian date minus JD
    2440587.5, whole parts subtracted first so the fraction keeps its precision. ``days % 1``
    is the UTC time of day as a fraction of the day (what MSIS's local time starts from)."""
    utc = t.utc
    return (np.asarray(utc.jd1) - _UNIX_EPOCH_JD) + np.asarray(utc.jd2)


def julian_date_at_0h(day: Any) -> float | np.ndarray:
    """UTC Julian date of 00:00 of the calendar day of ``day`` (a ``datetime64``, any unit).

    Whole days from the Unix epoch plus JD 2440587.5, exact in float64.
    """
    d = np.asarray(day).astype("datetime64[D]").astype(np.int64)
    if d.ndim == 0:
        return float(d) + _UNIX_EPOCH_JD
    return d.astype(float) + _UNIX_EPOCH_JD


def unix_seconds(t64: Any) -> float | np.ndarray:
    """POSIX seconds (86,400 s days, no leap seconds) of a ``datetime64`` (scalar or array)."""
    out = (np.asarray(t64).astype("datetime64[us]") - _UNIX_EPOCH_US) / np.timedelta64(1, "s")
    return float(out) if np.ndim(out) == 0 else out


def jd_pair_from_unix_seconds(t_unix_s: Any) -> tuple[np.ndarray, np.ndarray]:
    """POSIX seconds as ``(jd at 0h UTC, fraction of an 86,400 s day)``: the two-part UTC Julian
    date ERFA's routines (``erfa.era00``) take, without the rounding of one big float."""
    t = np.asarray(t_unix_s, dtype=float)
    day = np.floor(t / _DAY_S)
    return _UNIX_EPOCH_JD + day, (t - day * _DAY_S) / _DAY_S
