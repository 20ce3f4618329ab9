"""Drag in one pass, force tables packed once, re-entry at the altitude the user sets.

References: the Orekit 13.1 ISS fixtures of test_propagator.py (tests/data/orekit/full.json:
8x8 + NRLMSISE-00 + Sun/Moon, header names the tool and settings) for the initial state and
forces; the full fixed-point iteration of the densities (MSIS evaluated along every pass until
``ln rho`` changes by less than ``drag_rtol``, the scheme measured against Orekit in
docs/propagation.md) as the reference of the one-pass scheme; MSIS itself (pymsis) for the
first-order move of the density.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import rossim.dynamics.propagator as prop
from rossim.dynamics.forces import ForceModel
from rossim.dynamics.propagator import ReentryError, propagate
from rossim.environment.spaceweather import ConstantWeather
from rossim.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "orekit"
#: One pass against the full iteration over 2 days (m); measured 0.9 mm (0.26 m over 30
#: days, where the scheme it replaced differed from its own full iteration by 0.14 m).
FULL_ITERATION_M = 0.01


def _full_case():
    fx = json.loads((DATA / "full.json").read_text())
    head = fx["header"]
    atm = head["atmosphere"]
    drag = head["drag"]
    forces = ForceModel(gravity="8x8", drag="nrlmsise00", third_body=("sun", "moon"),
                        weather=ConstantWeather(atm["f107_daily"], atm["f107_average"],
                                                atm["ap_7_slots"][0]),
                        cd=drag["cd"], area_m2=drag["area_m2"], mass_kg=drag["mass_kg"])
    ini = head["initial_state_gcrf"]
    return fx, ini, forces


def test_one_pass_equals_the_full_iteration():
    """Two days of the Orekit 'full' case: every drag chunk integrated once (the reference
    trajectory is a cheap drag-free integration at 1e-6; the right-hand side moves the
    densities to its own position to first order), against the fixed-point iteration run to
    ``drag_rtol = 1e-7`` (several passes per chunk, MSIS at its own positions each time): the
    same trajectory to FULL_ITERATION_M, and still the Orekit comparison of
    test_propagator.py (1 day within 10 m)."""
    fx, ini, forces = _full_case()
    span = 2 * 86400.0
    step = fx["header"]["step_s"]
    fast = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], span, step, forces)
    full = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], span, step, forces,
                     drag_rtol=1e-7)
    d = np.linalg.norm(fast.r_gcrf_m - full.r_gcrf_m, axis=1)
    assert d.max() < FULL_ITERATION_M, d.max()
    segments = fast.stats["drag_segments"]
    assert segments == 8
    assert fast.stats["drag_passes"] == segments  # one integration per chunk
    assert fast.stats["steps_all_passes"] == fast.stats["steps"]
    assert fast.stats["seed_steps"] < 0.4 * fast.stats["steps"]
    assert fast.stats["drag_residual_max"] < 1e-5
    assert full.stats["drag_passes"] > segments
    assert fast.stats["table_packs"] == 1
    n = min(len(fx["r_gcrf_m"]), len(fast.r_gcrf_m))
    err = np.linalg.norm(fast.r_gcrf_m[:n] - np.array(fx["r_gcrf_m"])[:n], axis=1)
    assert err.max() < 10.0, err.max()


def test_first_order_density_move_against_msis():
    """The density the right-hand side takes at a position off the reference trajectory
    (``ln rho + d ln rho/dh dh + d ln rho/dt dt``) against MSIS evaluated there, for offsets
    of the size a drag-free reference leaves after 6 h (30 m down, 400 m ahead, 5 m across):
    within 1e-5 in ln rho, while the unmoved table is off by ~1e-3. Also the compiled
    right-hand side's drag equals the one from that density (same formula)."""
    from rossim.dynamics.force_tables import ForceTables
    from rossim.dynamics.forces import acceleration
    from rossim.time import to_time

    fx, ini, forces = _full_case()
    epoch = to_time(ini["epoch_utc"])
    tables = ForceTables(forces, epoch, 7200.0)
    tr = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], 5400.0, 30.0,
                   ForceModel(gravity="8x8"))
    ref = np.hstack([tr.r_gcrf_m, tr.v_gcrf_m_s])
    table = prop._reference_table(tables, tr.x_s, ref, 30.0)
    r_hat = ref[:, :3] / np.linalg.norm(ref[:, :3], axis=1)[:, None]
    v_hat = ref[:, 3:] / np.linalg.norm(ref[:, 3:], axis=1)[:, None]
    c_hat = np.cross(r_hat, v_hat)
    moved = ref.copy()
    moved[:, :3] += -30.0 * r_hat + 400.0 * v_hat + 5.0 * c_hat
    used = prop._used_log_density(table, moved)
    exact = tables.log_density(tr.x_s, moved[:, :3])
    assert np.max(np.abs(exact - table[:, 0])) > 3e-4
    assert np.max(np.abs(used - exact)) < 1e-5, np.max(np.abs(used - exact))
    i = 77  # at a node, both tables give their node value exactly
    a_moved = acceleration(tr.x_s[i], moved[i], tables.params((0.0, 30.0, table)))
    a_plain = acceleration(tr.x_s[i], moved[i], tables.params((0.0, 30.0, used)))
    assert np.max(np.abs(a_moved - a_plain)) < 1e-12 * np.linalg.norm(a_plain)


def test_vertical_density_gradient_is_the_msis_scale_height():
    """d ln rho/dh from the propagator's MSIS call against a central difference of
    rossim.environment.atmosphere.density (+-1 km), at 400 km: within 3 %."""
    from astropy.time import TimeDelta

    from rossim.dynamics.force_tables import ForceTables
    from rossim.environment.atmosphere import density
    from rossim.frames.earth import gcrf_to_itrf
    from rossim.frames.geodetic import itrf_to_geodetic
    from rossim.time import to_time

    epoch = to_time("2022-01-17T12:00:00")
    w = ConstantWeather(150.0, 150.0, 15.0)
    tables = ForceTables(ForceModel(gravity="point", drag="nrlmsise00", weather=w,
                                    solar_time="mean"), epoch, 7200.0)
    x = np.linspace(0.0, 5400.0, 181)
    ang = x / 5500.0 * 2 * np.pi
    r = 6778e3 * np.stack([np.cos(ang), 0.6 * np.sin(ang), 0.8 * np.sin(ang)], axis=1)
    _, grad = tables.log_density(x, r, vertical_gradient=True)
    t = epoch.tt + TimeDelta(x, format="sec")
    lat, lon, alt = itrf_to_geodetic(gcrf_to_itrf(r, None, t)[0])
    up = density(t, lat, lon, alt + 1000.0, model="nrlmsise00", weather=w)
    down = density(t, lat, lon, alt - 1000.0, model="nrlmsise00", weather=w)
    ref = (np.log(up) - np.log(down)) / 2000.0
    assert np.all(ref < 0)
    assert np.max(np.abs(grad / ref - 1.0)) < 0.03


REENTRY_R = [6571e3, 0.0, 0.0]  # ~193 km over the equator
REENTRY_V = [0.0, 7788.0 * 0.62, 7788.0 * 0.78]


def _decaying(altitude_m=None, on_reentry="stop"):
    forces = ForceModel(gravity="j2", drag="nrlmsise00", weather=ConstantWeather(150, 150, 15),
                        cd=2.2, area_m2=5.0, mass_kg=500.0)
    kw = {} if altitude_m is None else {"reentry_altitude_m": altitude_m}
    return propagate(REENTRY_R, REENTRY_V, "2024-05-29T12:00:00", 86400.0, 600.0, forces,
                     on_reentry=on_reentry, **kw)


def _altitude_km(tr) -> float:
    from rossim.frames.earth import gcrf_to_itrf
    from rossim.frames.geodetic import itrf_to_geodetic

    t = tr.epochs[-1:]
    return float(itrf_to_geodetic(gcrf_to_itrf(tr.r_gcrf_m[-1:], None, t)[0])[2][0]) / 1e3


def test_reentry_ends_at_the_altitude_the_user_sets():
    default = _decaying()
    assert default.reentry_x_s is not None
    assert default.reentry_altitude_m == 120e3
    assert abs(_altitude_km(default) - 120.0) < 0.05
    high = _decaying(150e3)
    low = _decaying(90e3)
    assert abs(_altitude_km(high) - 150.0) < 0.05
    assert abs(_altitude_km(low) - 90.0) < 0.05
    assert high.reentry_x_s < default.reentry_x_s < low.reentry_x_s
    # The last minutes from 120 km down are short (less than one revolution).
    assert low.reentry_x_s - default.reentry_x_s < 5400.0
    with pytest.raises(ReentryError) as info:
        _decaying(150e3, on_reentry="raise")
    assert info.value.altitude_m == 150e3 and "150 km" in str(info.value)


@pytest.mark.parametrize("bad", [50e3, 79e3, 301e3, float("nan"), "120"])
def test_reentry_altitude_outside_its_range_is_an_input_error(bad):
    with pytest.raises(InputError) as info:
        _decaying(bad)
    assert "reentry_altitude_m" in str(info.value)
