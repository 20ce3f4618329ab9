"""Thermosphere density and composition: NRLMSISE-00, NRLMSIS 2.0 and 2.1 through pymsis.

pymsis (PyPI, wrapping NRL's Fortran code) does the physics; this module fixes the conventions:
SI units, geodetic WGS84 latitude/longitude in degrees and altitude in metres, one point per
epoch (satellite fly-through, no gridding), and space-weather indices always passed explicitly
so that pymsis never tries to download its own index file.

Model names: ``"nrlmsise00"`` (pymsis ``version=0``), ``"msis2.0"`` and ``"msis2.1"``.
Weather: a :class:`~rossim.environment.spaceweather.ConstantWeather`, a
:class:`~rossim.environment.spaceweather.SpaceWeather` (historical file plus forecast), or
``None`` for the shared default :func:`~rossim.environment.spaceweather.default_weather`.
MSIS is run in its default daily-Ap mode; ``storm_ap=True`` switches to the 3-hourly Ap history
(MSIS switch 9 = -1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from rossim.cache import ArrayMemo
from rossim.environment.spaceweather import Weather, default_weather
from rossim.errors import InputError
from rossim.time import datetime64_ns_from_time, to_time

__all__ = ["MODELS", "Atmosphere", "calculate", "density"]

#: rossim model name -> pymsis ``version`` argument.
MODELS = {"nrlmsise00": 0, "msis2.0": 2.0, "msis2.1": 2.1}


@dataclass(frozen=True)
class Atmosphere:
    """MSIS output at N points, SI units.

    ``rho`` total mass density (kg/m^3), the density for drag: it includes anomalous oxygen
    (NRLMSISE-00's GTD7D; NRLMSIS 2.x likewise); number densities (m^-3) of ``n2``, ``o2``, ``o``,
    ``he``, ``h``, ``ar``, ``n``, ``anomalous_o``, ``no``; neutral ``temperature`` (K). Species a
    model does not compute (NO in NRLMSISE-00, any species below its altitude range) are NaN.
    """

    rho: np.ndarray
    n2: np.ndarray
    o2: np.ndarray
    o: np.ndarray
    he: np.ndarray
    h: np.ndarray
    ar: np.ndarray
    n: np.ndarray
    anomalous_o: np.ndarray
    no: np.ndarray
    temperature: np.ndarray


def _model_version(model: str) -> float:
    try:
        return MODELS[str(model).lower()]
    except KeyError:
        raise InputError(None, "model", model, "one of " + ", ".join(MODELS)) from None


def _run(t: Any, lat_deg: Any, lon_deg: Any, alt_m: Any, model: str,
         weather: Weather | None, storm_ap: bool) -> np.ndarray:
    import pymsis

    version = _model_version(model)
    tt = to_time(t)
    dates = datetime64_ns_from_time(tt).ravel()  # astropy's t.utc.datetime64, unformatted
    n = dates.size
    try:
        lat, lon, alt = (np.broadcast_to(np.asarray(x, dtype=float).ravel()
                                         if np.ndim(x) else np.asarray(x, dtype=float), (n,))
                         for x in (lat_deg, lon_deg, alt_m))
    except ValueError:
        raise InputError(None, "lat_deg/lon_deg/alt_m", (np.shape(lat_deg), np.shape(lon_deg),
                                                          np.shape(alt_m)),
                         f"scalars or arrays of the same length as the epochs ({n})") from None
    if not (np.all(np.isfinite(lat)) and np.all(np.abs(lat) <= 90.0)):
        raise InputError(None, "lat_deg", lat_deg, "finite latitudes from -90 to 90 deg")
    if not (np.all(np.isfinite(alt)) and np.all(alt >= 0.0) and np.all(alt <= 1.0e6)):
        raise InputError(None, "alt_m", alt_m, "altitudes from 0 to 1,000,000 m")
    if not np.all(np.isfinite(lon)):
        raise InputError(None, "lon_deg", lon_deg, "finite longitudes in deg")
    w = default_weather() if weather is None else weather
    f107, f107a, aps = w.indices(tt)
    f107 = np.broadcast_to(f107, (n,))
    f107a = np.broadcast_to(f107a, (n,))
    aps = np.broadcast_to(aps, (n, 7))
    options = {"geomagnetic_activity": -1} if storm_ap else {}
    from rossim.cache import digest

    # every input pymsis receives: MSIS is a pure function of them (an equal key is the same
    # output to the bit)
    key = digest("msis", version, storm_ap, dates, lon, lat, alt, f107, f107a, aps)
    hit = _MEMO.get(key)
    if hit is not None:
        return hit[0]
    out = np.asarray(pymsis.calculate(dates, lon, lat, alt / 1000.0, f107, f107a, aps,
                                      version=version, **options), dtype=float).reshape(n, 11)
    _MEMO.put(key, out)
    return out


def clear_memo() -> None:
    """Forget the kept MSIS outputs (a campaign worker between runs: their inputs differ)."""
    _MEMO.clear()


#: Bytes of MSIS outputs kept for a repeated call with the same inputs (a run asks for the
#: same orbit-averaged table several times: the cargo forecast, the family's return watch and
#: recontact check, the deployer rules' lifetimes); least recently used dropped first.
MEMO_BYTES = 64 * 2**20
_MEMO = ArrayMemo(MEMO_BYTES)


def calculate(t: Any, lat_deg: Any, lon_deg: Any, alt_m: Any, model: str = "msis2.1",
              weather: Weather | None = None, *, storm_ap: bool = False) -> Atmosphere:
    """Density, composition and temperature at N points (one epoch each).

    Parameters
    ----------
    t:
        Epochs (anything :func:`rossim.time.to_time` accepts), N of them.
    lat_deg, lon_deg, alt_m:
        Geodetic WGS84 latitude and longitude (deg) and altitude (m); scalars or length-N.
    model:
        ``"nrlmsise00"``, ``"msis2.0"`` or ``"msis2.1"``.
    weather:
        Index provider (see the module docstring); ``None`` uses the default file + forecast.
    storm_ap:
        Use the 3-hourly Ap history (MSIS storm-time mode) instead of the daily Ap.
    """
    out = _run(t, lat_deg, lon_deg, alt_m, model, weather, storm_ap)
    col = out.T
    # pymsis columns: rho, N2, O2, O, He, H, Ar, N, anomalous O, NO, T (kg/m^3, m^-3, K).
    return Atmosphere(rho=col[0], n2=col[1], o2=col[2], o=col[3], he=col[4], h=col[5],
                      ar=col[6], n=col[7], anomalous_o=col[8], no=col[9], temperature=col[10])


def density(t: Any, lat_deg: Any, lon_deg: Any, alt_m: Any, model: str = "msis2.1",
            weather: Weather | None = None, *, storm_ap: bool = False) -> np.ndarray:
    """Total mass density (kg/m^3) at N points; same arguments as :func:`calculate`."""
    return _run(t, lat_deg, lon_deg, alt_m, model, weather, storm_ap)[:, 0]
