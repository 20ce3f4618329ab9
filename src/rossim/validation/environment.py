"""The environment models against outside references: NRLMSIS 2.0/2.1 against NRL's reference
outputs (shipped in the pymsis wheel), NRLMSISE-00 against a NASA CCMC profile
(``tests/data/msis/``), the Sun and Moon against Orekit's DE-440
(``tests/data/orekit/frames.json``), look angles against Skyfield, the space-weather indices
against pymsis's index builder (``tests/data/spaceweather/``). Asserted in
``tests/environment/test_atmosphere.py``, ``test_ephemeris.py``, ``test_visibility.py`` and
``test_spaceweather.py``; printed in docs/validation.md."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from rossim.validation._data import read_json, reference_data

__all__ = ["CaseWeather", "nrl_reference", "nrl_cases", "ccmc_profile", "sun_moon_vs_orekit",
           "SHCHYOLKOVO", "skyfield_look_angles", "pymsis_indices", "jb2008_fortran"]


class CaseWeather:
    """One set of indices per reference case (the Weather protocol, vectorised)."""

    def __init__(self, f107, f107a, ap):
        self._v = (f107, f107a, np.repeat(ap[:, None], 7, axis=1))

    def indices(self, t):
        return self._v


def nrl_reference(name: str) -> tuple[np.ndarray, np.ndarray]:
    """``(table, dates)`` of NRL's ``msis2.x_test_ref_dp.txt``: from ``tests/data/msis`` if
    present, else from the installed pymsis wheel (NRL's MSIS licence: read there, not
    copied)."""
    from importlib import resources

    local = reference_data("msis", name)
    path = local if local.exists() else resources.files("pymsis") / "tests" / name
    a = np.loadtxt(str(path), skiprows=1)
    iyd = a[:, 0].astype(int)
    yy, doy = iyd // 1000, iyd % 1000
    year = np.where(yy > 60, 1900 + yy, 2000 + yy)
    start = (year - 1970).astype("datetime64[Y]").astype("datetime64[s]")
    dates = start + ((doy - 1) * 86400 + a[:, 1]).astype("timedelta64[s]")
    return a, dates


def nrl_cases(model: str, nspecies: int) -> dict[str, Any]:
    """All cases of NRL's reference file for ``model`` ("msis2.0", "msis2.1") through
    :func:`rossim.environment.atmosphere.calculate`: ``ours`` and ``ref`` (N, nspecies) in
    cgs (He, O, N2, O2, Ar, rho g/cm^3, H, N, anomalous O, NO), temperatures
    ``temperature_k`` and ``ref_temperature_k`` (N,), and ``table``, ``dates``, ``atm``."""
    from rossim.environment.atmosphere import calculate

    a, dates = nrl_reference(f"{model}_test_ref_dp.txt")
    atm = calculate(dates, a[:, 3], a[:, 4], a[:, 2] * 1000.0, model=model,
                    weather=CaseWeather(a[:, 7], a[:, 6], a[:, 8]))
    per_cm3 = 1e-6  # m^-3 -> cm^-3
    ours = np.column_stack([
        atm.he * per_cm3, atm.o * per_cm3, atm.n2 * per_cm3, atm.o2 * per_cm3,
        atm.ar * per_cm3, atm.rho * 1e-3,  # kg/m^3 -> g/cm^3
        atm.h * per_cm3, atm.n * per_cm3, atm.anomalous_o * per_cm3, atm.no * per_cm3,
    ])[:, :nspecies]
    return {"ours": ours, "ref": a[:, 9:9 + nspecies], "temperature_k": atm.temperature,
            "ref_temperature_k": a[:, -1], "table": a, "dates": dates, "atm": atm}


def ccmc_profile() -> dict[str, Any]:
    """NRLMSISE-00 over CCMC's 0-1000 km profile of 1986-06-19 21:30 UTC (-16 N, 312 E,
    F10.7 121, F10.7a 80, Ap 7): ``table`` (the CCMC columns), ``atm`` (rossim), ``anomalous_o``
    (m^-3, NaN as 0) and ``rho_gtd7`` (kg/m^3: rossim's drag density less anomalous oxygen,
    16 amu = 1.66e-27 kg per atom as the model's own constant, which is what CCMC prints)."""
    from rossim.environment.atmosphere import calculate
    from rossim.environment.spaceweather import ConstantWeather

    a = np.loadtxt(reference_data("msis", "nrlmsise00_ccmc_1986-06-19.txt"), comments="#")
    n = len(a)
    atm = calculate(["1986-06-19T21:30:00"] * n, -16.0, 312.0, a[:, 0] * 1e3,
                    model="nrlmsise00", weather=ConstantWeather(121.0, 80.0, 7.0))
    anom = np.nan_to_num(atm.anomalous_o)
    return {"table": a, "atm": atm, "anomalous_o": anom,
            "rho_gtd7": atm.rho - 16 * 1.66e-27 * anom}


def sun_moon_vs_orekit() -> dict[str, Any]:
    """DE421 Sun and Moon (rossim) against Orekit's DE-440 at the frames fixture's epochs:
    ``epochs`` (ISO UTC), ``sun_m`` and ``moon_m`` (N,) position differences, ``header``."""
    from rossim.environment.ephemeris import moon_position_gcrf, sun_position_gcrf

    data = read_json("orekit", "frames.json")
    recs = data["records"]
    ep = [r["epoch_utc"] for r in recs]
    return {"epochs": ep, "header": data["header"],
            "sun_m": np.linalg.norm(sun_position_gcrf(ep)
                                    - np.array([r["sun_gcrf_m"] for r in recs]), axis=1),
            "moon_m": np.linalg.norm(moon_position_gcrf(ep)
                                     - np.array([r["moon_gcrf_m"] for r in recs]), axis=1)}


#: The ground station of the look-angle comparison: (name, lat deg, lon deg, alt m, min el deg).
SHCHYOLKOVO = ("Shchyolkovo", 55.9, 38.0, 150.0, 5.0)


def skyfield_look_angles() -> dict[str, np.ndarray]:
    """Azimuth, elevation and range from Shchyolkovo to the ISS (TLE of 2023-01-01 in
    ``tests/data/orekit/sgp4.json``, propagated by Skyfield's SGP4) every 20 s for one day from
    2023-01-01 06:00 UTC: rossim's ``look_angles_gcrf`` (``az``, ``el`` deg, ``range`` m) and
    Skyfield's ``(sat - wgs84.latlon()).at(t).altaz()`` (``az_ref``, ``el_ref``,
    ``range_ref``)."""
    from astropy.time import Time, TimeDelta
    from skyfield.api import EarthSatellite, load, wgs84

    from rossim.analysis.visibility import look_angles_gcrf

    _, lat, lon, alt, _ = SHCHYOLKOVO
    tle = read_json("orekit", "sgp4.json")["tles"][0]
    ts = load.timescale(builtin=True)
    sat = EarthSatellite(tle["line1"], tle["line2"], "ISS", ts)
    topo = wgs84.latlon(lat, lon, elevation_m=alt)
    t = Time("2023-01-01T06:00:00", scale="utc") + TimeDelta(np.arange(0.0, 86400.0, 20.0),
                                                             format="sec")
    tsky = ts.from_astropy(t)
    az, el, rng = look_angles_gcrf(sat.at(tsky).position.m.T, t, lat, lon, alt)
    el_ref, az_ref, dist = (sat - topo).at(tsky).altaz()
    return {"az": az, "el": el, "range": rng, "az_ref": az_ref.degrees,
            "el_ref": el_ref.degrees, "range_ref": dist.m}


def pymsis_indices() -> dict[str, Any]:
    """F10.7 (previous day), F10.7a and the 7-element Ap history every 97 min of 2000 (to
    2000-12-30, where pymsis's fixture has a fake value): pymsis's ``get_f107_ap`` on
    CelesTrak's CSV (``tests/data/spaceweather/f107_ap_test_data.txt``) as ``pymsis``, and
    rossim's default weather as ``rossim``, each ``(f107, f107a, ap)``; ``dates``."""
    from pymsis import utils

    from rossim.environment.spaceweather import default_weather

    dates = np.arange(np.datetime64("2000-01-04T00:00"), np.datetime64("2000-12-30T00:00"),
                      np.timedelta64(97, "m"))
    state = utils._SPACE_WEATHER
    old_path, old_data = state.path, state.data
    try:
        # A custom file: pymsis never downloads then. Swapped by hand (and restored) because
        # pymsis's use_space_weather_file(None) fails when its default file was never
        # downloaded.
        state.path, state.data = reference_data("spaceweather", "f107_ap_test_data.txt"), None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = utils.get_f107_ap(dates)
    finally:
        state.path, state.data = old_path, old_data
    return {"dates": dates, "pymsis": ref, "rossim": default_weather().indices(dates)}


def jb2008_fortran() -> dict[str, Any]:
    """JB2008 as rossim runs it (pyatmos's model function through
    :mod:`rossim.environment.jb2008`'s kernel) against SET's Fortran output
    (``tests/data/jb2008/jb2008_fortran_2017-196.txt``), with the Fortran's own epoch, Sun,
    indices and Greenwich right ascension (its THETA, reproduced here).

    Returns ``{"alt_km", "lon_deg", "lat_deg", "rho_ref", "rho", "tinf_ref", "tinf"}`` (arrays).
    """
    from rossim.environment import jb2008

    path = reference_data("jb2008", "jb2008_fortran_2017-196.txt")
    rows = np.loadtxt(str(path), comments="#")
    alt, lon, lat, tinf_ref, _, rho_ref = rows.T
    # the file's header: 2017 DDD 196 19:06:19.500 UTC; Sun RA 2.0129, Dec 0.3734 rad; indices
    amjd = 57949.0 + (19.0 + 6.0 / 60.0 + 19.5 / 3600.0) / 24.0
    d1950 = amjd - 33281.0
    ts70 = d1950 - 7305.0
    ids70 = np.floor(ts70)
    theta = np.mod(1.73213438565 + 1.720279169407e-2 * ids70
                   + (1.720279169407e-2 + 2.0 * np.pi) * (ts70 - ids70)
                   + 5.0755141943e-15 * ts70 ** 2, 2.0 * np.pi)
    n = alt.size
    one = np.ones(n)
    idx = (94.0, 76.0, 68.0, 65.0, 86.0, 76.0, 90.0, 84.0, 24.0)
    rho, tinf = jb2008.kernel_with_temperature(
        amjd * one, (196.0 + (amjd - 57949.0)) * one, 2.0129 * one, 0.3734 * one,
        np.mod(theta + np.radians(lon), 2.0 * np.pi), np.radians(lat), alt,
        *(v * one for v in idx))
    return {"alt_km": alt, "lon_deg": lon, "lat_deg": lat, "rho_ref": rho_ref, "rho": rho,
            "tinf_ref": tinf_ref, "tinf": tinf}
