"""The compiled MSIS inputs of the propagator against the numpy/ERFA path they replace.

References: ERFA's ``gc2gd`` (pyerfa, the IAU SOFA routine) for the geodetic conversion that
:func:`rossim.dynamics.msis_geometry.geodetic_wgs84` transcribes; the Earth-orientation grid's
own matrices (:meth:`rossim.frames.earth.EarthOrientationGrid.matrix`) and the apparent-local-
time formula of ``ForceTables.log_density`` before it was compiled, for the whole kernel; and
MSIS itself through :func:`rossim.environment.atmosphere.density` for the densities.
"""

from __future__ import annotations

import erfa
import numpy as np

from rossim.dynamics.force_tables import ForceTables
from rossim.dynamics.forces import ForceModel
from rossim.dynamics.msis_geometry import geodetic_wgs84, geometry
from rossim.environment.spaceweather import ConstantWeather
from rossim.time import to_time

EPOCH = to_time("2022-01-17T12:00:00")


def _points(n: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    u = rng.normal(size=(n, 3))
    u /= np.linalg.norm(u, axis=1)[:, None]
    return u * rng.uniform(6.40e6, 7.2e6, size=(n, 1))


def test_geodetic_transcription_equals_erfa():
    """Latitude, longitude and height of 2000 points (LEO shell, both hemispheres, near the
    poles and the equator) against erfa.gc2gd (WGS84): 1e-12 rad and 1 um."""
    r = np.vstack([_points(2000), [[0.0, 0.0, 6.7e6], [0.0, 0.0, -6.7e6], [6.7e6, 0.0, 0.0],
                                   [1e-3, 0.0, 6.7e6]]])
    lon_e, lat_e, h_e = erfa.gc2gd(1, r)
    got = np.array([geodetic_wgs84(*p) for p in r])
    assert np.max(np.abs(got[:, 0] - lat_e)) < 1e-12
    assert np.max(np.abs(got[:, 1] - lon_e)) < 1e-12
    assert np.max(np.abs(got[:, 2] - h_e)) < 1e-6


def _numpy_path(model: ForceTables, x: np.ndarray, r: np.ndarray, apparent: bool):
    """The numpy implementation the kernel replaced (force_tables before it was compiled)."""
    from rossim.dynamics.force_tables import THIRD_BODY_STEP_S, _lagrange_np
    from rossim.frames.geodetic import itrf_to_geodetic

    days = model._node_context(x)["days"]
    r_itrf = np.einsum("nij,nj->ni", model.eo.matrix(x), r)
    lat, lon, alt = itrf_to_geodetic(r_itrf)
    if apparent:
        sun = _lagrange_np(model.tb_t0, THIRD_BODY_STEP_S, model.sun_table, x)
        hour_angle = np.arctan2(sun[:, 0] * r[:, 1] - sun[:, 1] * r[:, 0],
                                sun[:, 0] * r[:, 0] + sun[:, 1] * r[:, 1])
        lst_apparent_h = 12.0 + np.degrees(hour_angle) / 15.0
        lst_mean_h = (days % 1.0) * 24.0 + lon / 15.0
        shift_h = (lst_apparent_h - lst_mean_h + 12.0) % 24.0 - 12.0
        lon = (lon + 15.0 * shift_h + 180.0) % 360.0 - 180.0
    return lat, lon, np.maximum(alt, 80e3) / 1000.0, days


def test_kernel_equals_the_numpy_path():
    """Over 2 days of random LEO points (a 3 h and a 12 h Earth-orientation grid: 8x8 and J2
    models, mean and apparent local time): latitude and MSIS longitude to 1e-9 deg, height to
    1 um; the 80 km floor applied."""
    w = ConstantWeather(150.0, 150.0, 15.0)
    x = np.sort(np.random.default_rng(3).uniform(0.0, 2 * 86400.0, 500))
    r = _points(len(x), seed=11)
    r[0] *= 6.40e6 / np.linalg.norm(r[0])  # below 80 km: held at the floor
    for gravity in ("8x8", "j2"):
        for solar_time in ("apparent", "mean"):
            fm = ForceModel(gravity=gravity, drag="nrlmsise00", weather=w, solar_time=solar_time)
            model = ForceTables(fm, EPOCH, 2 * 86400.0)
            lat, lon, alt_km, days = _numpy_path(model, x, r, solar_time == "apparent")
            got = geometry(x, r, days, model._packed, model._work, solar_time == "apparent",
                           80e3)
            assert np.max(np.abs(got[:, 0] - lat)) < 1e-9
            dlon = (got[:, 1] - lon + 180.0) % 360.0 - 180.0
            assert np.max(np.abs(dlon)) < 1e-9
            assert np.max(np.abs(got[:, 2] - alt_km)) < 1e-9
            assert got[0, 2] == 80.0


def test_log_density_equals_msis_at_the_geodetic_point():
    """ForceTables.log_density (compiled inputs) against rossim.environment.atmosphere.density
    at the ERFA geodetic coordinates of the same points, mean local time: 1e-9 relative."""
    from astropy.time import TimeDelta

    from rossim.environment.atmosphere import density
    from rossim.frames.earth import gcrf_to_itrf
    from rossim.frames.geodetic import itrf_to_geodetic

    w = ConstantWeather(140.0, 150.0, 12.0)
    fm = ForceModel(gravity="8x8", drag="nrlmsise00", weather=w, solar_time="mean")
    model = ForceTables(fm, EPOCH, 7200.0)
    x = np.linspace(0.0, 7200.0, 61)
    r = _points(len(x), seed=5) * (6.79e6 / 6.8e6)
    r *= 6.79e6 / np.linalg.norm(r, axis=1)[:, None]
    mine = np.exp(model.log_density(x, r))
    t = EPOCH.tt + TimeDelta(x, format="sec")
    lat, lon, alt = itrf_to_geodetic(gcrf_to_itrf(r, None, t)[0])
    ref = density(t, lat, lon, alt, model="nrlmsise00", weather=w)
    assert np.allclose(mine, ref, rtol=1e-9)
