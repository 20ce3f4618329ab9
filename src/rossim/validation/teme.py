"""TEME -> GCRF (:mod:`rossim.frames.teme`) against Vallado's Example 3-15, Orekit 13.1's
rotation (``tests/data/orekit/frames.json``), astropy's TEME frame and Skyfield's. Asserted
in ``tests/frames/test_teme.py``.

Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. (2013), Example 3-15 (also
Vallado, Crawford, Hujsak, Kelso, "Revisiting Spacetrack Report #3", AIAA 2006-6753), numbers
as transcribed in the SatelliteToolbox.jl test suite (test/transformations/teme/teme.jl).
"""

from __future__ import annotations

import numpy as np

from rossim.validation._data import read_json

__all__ = ["EPOCH", "R_TEME_KM", "V_TEME_KM_S", "R_GCRF_KM", "V_GCRF_KM_S", "angle_mas",
           "orekit_records", "orekit_angle_mas", "vallado_example_m", "astropy_differences",
           "skyfield_difference_m"]

EPOCH = "2004-04-06T07:51:28.386009"
R_TEME_KM = np.array([5094.18016210, 6127.64465950, 6380.34453270])
V_TEME_KM_S = np.array([-4.746131487, 0.785818041, 5.531931288])
R_GCRF_KM = np.array([5102.50895790, 6123.01140070, 6378.13692820])
V_GCRF_KM_S = np.array([-4.743220157, 0.790536497, 5.533755727])


def angle_mas(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Rotation angle of ``a @ b.T`` in milliarcseconds, per epoch."""
    # For small angles the axial vector of the antisymmetric part is accurate (arccos of the
    # trace is not: it cannot resolve below ~4 mas).
    d = a @ np.swapaxes(b, -1, -2)
    axial = np.stack([d[..., 2, 1] - d[..., 1, 2], d[..., 0, 2] - d[..., 2, 0],
                      d[..., 1, 0] - d[..., 0, 1]], axis=-1) / 2.0
    return np.degrees(np.arcsin(np.linalg.norm(axial, axis=-1))) * 3.6e6


def orekit_records() -> list[dict]:
    """The records of ``tests/data/orekit/frames.json`` (epoch and Orekit's matrices)."""
    return read_json("orekit", "frames.json")["records"]


def orekit_angle_mas() -> np.ndarray:
    """Angle (mas) between rossim's TEME->GCRF matrix and Orekit's, per fixture epoch."""
    from rossim.frames.teme import teme_to_gcrf_matrix
    from rossim.time import to_time

    recs = orekit_records()
    t = to_time([r["epoch_utc"] for r in recs])
    return angle_mas(teme_to_gcrf_matrix(t), np.array([r["teme_to_gcrf"] for r in recs]))


def vallado_example_m() -> tuple[float, float]:
    """``(|dr| m, |dv| m/s)`` of rossim's GCRF state against Vallado's Example 3-15."""
    from rossim.frames.teme import teme_to_gcrf
    from rossim.time import to_time

    r, v = teme_to_gcrf(R_TEME_KM * 1e3, V_TEME_KM_S * 1e3, to_time(EPOCH))
    return (float(np.linalg.norm(np.asarray(r).reshape(3) - R_GCRF_KM * 1e3)),
            float(np.linalg.norm(np.asarray(v).reshape(3) - V_GCRF_KM_S * 1e3)))


def astropy_differences() -> tuple[float, float]:
    """Largest ``(|dr| m, |dv| m/s)`` against astropy's TEME frame: random vectors every 2 h
    over 2026-01-15 (astropy uses the same definition: a cross-check of the wiring)."""
    from astropy import units as u
    from astropy.coordinates import GCRS, TEME, CartesianDifferential, CartesianRepresentation

    from rossim.frames.teme import teme_to_gcrf
    from rossim.time import time_grid

    t = time_grid("2026-01-15", 86400.0, 7200.0)
    rng = np.random.default_rng(7)
    r = rng.normal(size=(len(t), 3)) * 4e6 + np.array([0.0, 0.0, 1.0]) * 3e6
    v = rng.normal(size=(len(t), 3)) * 4e3
    rg, vg = teme_to_gcrf(r, v, t)
    teme = TEME(CartesianRepresentation(r.T * u.m,
                                        differentials=CartesianDifferential(v.T * u.m / u.s)),
                obstime=t)
    gcrs = teme.transform_to(GCRS(obstime=t))
    r_ap = gcrs.cartesian.xyz.to_value(u.m).T
    v_ap = gcrs.velocity.d_xyz.to_value(u.m / u.s).T
    return (float(np.max(np.linalg.norm(rg - r_ap, axis=1))),
            float(np.max(np.linalg.norm(vg - v_ap, axis=1))))


def skyfield_difference_m() -> float:
    """Largest |dr| (m) against Skyfield's TEME rotation (TEME -> true equator of date by
    GAST - GMST82, then GCRS), unit vectors at 7000 km hourly over 2023-03-01."""
    from skyfield.api import load
    from skyfield.functions import mxv
    from skyfield.sgp4lib import TEME as SKYFIELD_TEME

    from rossim.frames.teme import teme_to_gcrf
    from rossim.time import time_grid

    t = time_grid("2023-03-01", 86400.0, 3600.0)
    rng = np.random.default_rng(11)
    r = rng.normal(size=(len(t), 3))
    r *= 7e6 / np.linalg.norm(r, axis=1)[:, None]
    ts = load.timescale(builtin=True)
    rot = np.swapaxes(SKYFIELD_TEME.rotation_at(ts.from_astropy(t)), 0, 1)  # TEME -> GCRS
    r_sky = mxv(rot, r.T).T
    rg, _ = teme_to_gcrf(r, None, t)
    return float(np.max(np.linalg.norm(rg - r_sky, axis=1)))
