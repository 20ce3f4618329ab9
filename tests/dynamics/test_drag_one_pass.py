"""Drag in one correction, force tables packed once, re-entry at the altitude the user sets.

References: the Orekit 13.1 ISS fixtures of test_propagator.py (tests/data/orekit/full.json:
8x8 + NRLMSISE-00 + Sun/Moon, header names the tool and settings) for the initial state and
forces; the full fixed-point iteration of the densities (MSIS evaluated along every pass until
``ln rho`` changes by less than ``drag_rtol``, the scheme measured against Orekit in
docs/propagation.md) as the reference of the one-correction scheme.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import rossim.dynamics.propagator as prop
from rossim.dynamics.forces import ForceModel
from rossim.dynamics.propagator import ReentryError, propagate
from rossim.environment.spaceweather import ConstantWeather
from rossim.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "orekit"


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


def test_one_correction_equals_the_full_iteration(monkeypatch):
    """Two days of the Orekit 'full' case: the chunks accepted on the predicted density change
    give the trajectory of the full iteration to 1 cm (the iteration's own convergence,
    drag_rtol = 1e-5 in ln rho, moves the result by ~0.1 mm over 10 days), with one MSIS
    evaluation per chunk in most chunks instead of two, and the fixed tables packed once."""
    fx, ini, forces = _full_case()
    span = 2 * 86400.0
    step = fx["header"]["step_s"]
    fast = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], span, step, forces)
    monkeypatch.setattr(prop, "_PREDICTION_MARGIN", math.inf)  # always evaluate MSIS again
    full = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], span, step, forces)
    d = np.linalg.norm(fast.r_gcrf_m - full.r_gcrf_m, axis=1)
    assert d.max() < 0.01, d.max()
    segments = fast.stats["drag_segments"]
    assert segments == 8
    assert fast.stats["drag_predicted"] >= segments - 2
    assert full.stats.get("drag_predicted", 0) == 0
    assert fast.stats["density_points"] < 0.7 * full.stats["density_points"]
    assert fast.stats["table_packs"] == 1
    # Still the Orekit comparison of test_propagator.py (1 day within 10 m).
    n = min(len(fx["r_gcrf_m"]), len(fast.r_gcrf_m))
    err = np.linalg.norm(fast.r_gcrf_m[:n] - np.array(fx["r_gcrf_m"])[:n], axis=1)
    assert err.max() < 10.0, err.max()


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
