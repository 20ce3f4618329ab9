"""GCRF <-> ITRF against independent implementations.

References: astropy's own GCRS -> ITRS transformation (astropy 8.0, same IERS table; astropy does
not apply the IERS dX/dY pole offsets, which are below 2.5e-9 rad, hence the 5e-9 rad bound),
and, when present, the Orekit fixture ``tests/data/orekit/frames*`` (see its README).
"""

import numpy as np
import pytest
from astropy import units as u
from astropy.coordinates import GCRS, ITRS, CartesianRepresentation
from astropy.time import Time

from rossim.frames.earth import (
    OMEGA_EARTH_RAD_S,
    gcrf_to_itrf,
    gcrf_to_itrf_matrix,
    grid_matrix_error,
    itrf_to_gcrf,
)

EPOCHS = Time(["2024-01-01T00:00:00", "2025-06-15T12:34:56", "2026-03-01T06:00:00"],
              scale="utc")


def _angle(a, b):
    d = a @ np.swapaxes(b, -1, -2)
    anti = np.stack([d[:, 2, 1] - d[:, 1, 2], d[:, 0, 2] - d[:, 2, 0],
                     d[:, 1, 0] - d[:, 0, 1]], axis=1) / 2.0
    return np.linalg.norm(anti, axis=1)


def test_matrix_is_rotation():
    m = gcrf_to_itrf_matrix(EPOCHS)
    assert m.shape == (3, 3, 3)
    assert np.allclose(m @ np.swapaxes(m, 1, 2), np.eye(3), atol=1e-14)


def test_against_astropy_itrs():
    r = np.array([[6778e3, 1000e3, 500e3]] * 3)
    gcrs = GCRS(CartesianRepresentation(r.T * u.m), obstime=EPOCHS)
    itrs = gcrs.transform_to(ITRS(obstime=EPOCHS))
    ref = itrs.cartesian.xyz.to_value(u.m).T
    mine, _ = gcrf_to_itrf(r, None, EPOCHS)
    # 5e-9 rad at 6.9e6 m is 3.5 cm.
    err_rad = np.linalg.norm(mine - ref, axis=1) / np.linalg.norm(r, axis=1)
    assert np.all(err_rad < 5e-9), err_rad


def test_velocity_round_trip_and_rotation_term():
    r = np.array([[7000e3, 0.0, 0.0]] * 3)
    v = np.array([[0.0, 7500.0, 10.0]] * 3)
    ri, vi = gcrf_to_itrf(r, v, EPOCHS)
    rg, vg = itrf_to_gcrf(ri, vi, EPOCHS)
    assert np.allclose(rg, r, atol=1e-6)
    assert np.allclose(vg, v, atol=1e-9)
    # A point fixed on the Earth (zero ITRF velocity) moves at omega x r in GCRF.
    rg, vg = itrf_to_gcrf(ri, np.zeros_like(ri), EPOCHS)
    speed = np.linalg.norm(vg, axis=1)
    rho = np.linalg.norm(ri[:, :2], axis=1)
    assert np.allclose(speed, OMEGA_EARTH_RAD_S * rho, rtol=1e-6)


def test_interpolated_grid_error_small():
    assert grid_matrix_error(EPOCHS[2], 5 * 86400.0, samples=60) < 1e-9


def test_bad_epoch():
    from rossim.errors import InputError

    with pytest.raises(InputError):
        gcrf_to_itrf_matrix("not a date")


def _fixture():
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "orekit" / "frames.json"
    return json.loads(path.read_text())


def test_against_orekit_fixture():
    """Orekit 13.1 ITRF (IERS 2010, simpleEOP=false) at 10 epochs 2022-2025.

    Orekit adds the IERS 2010 diurnal/semi-diurnal tidal corrections to UT1 and polar motion
    (up to about 0.1 ms in UT1, i.e. 7e-9 rad of Earth rotation); rossim uses the tabulated
    EOP without them, hence the 1e-8 rad bound (7 cm at the ISS's radius).
    """
    records = _fixture()["records"]
    t = Time([r["epoch_utc"] for r in records], scale="utc")
    ref = np.array([r["gcrf_to_itrf"] for r in records])
    angle = _angle(gcrf_to_itrf_matrix(t), ref)
    assert np.all(angle < 1e-8), angle
    # The same tidal terms bound the UT1-UTC difference.
    from rossim.frames.earth import earth_orientation_parameters

    dut1 = earth_orientation_parameters(t)[0]
    assert np.all(np.abs(dut1 - np.array([r["ut1_minus_utc_s"] for r in records])) < 1.5e-4)
