"""The propagator's two engines for zonal gravity: DOP853 (always) and heyoka.py's Taylor
integrator (``backend="heyoka"``, :mod:`rossim.dynamics.taylor`; skipped where heyoka is not
installed). External reference: the Orekit 13.1 J2 and two-body fixtures
(tests/data/orekit/j2.json, twobody.json: same initial ISS state, EIGEN-6S constants; header
of each file), 1 m after one day as for the DOP853 path (tests/dynamics/test_propagator.py).
Between the engines: the same model, so the difference is the two integration errors (DOP853
at rtol 1e-13, ~0.05 m over 30 days of J2 by its own rtol 1e-12 vs 1e-13 difference of 0.46 m)."""

import numpy as np
import pytest

from rossim.dynamics.forces import ForceModel
from rossim.dynamics.manoeuvres import ImpulsiveManoeuvre
from rossim.dynamics.propagator import ReentryError, propagate
from rossim.errors import InputError
from rossim.validation.propagation import fixture, position_errors_m, propagate_case


@pytest.mark.parametrize("case", ["twobody", "j2"])
def test_dop853_backend_within_1_m_of_orekit(case):
    tr, fx = propagate_case(case, backend="dop853")
    assert "backend" not in tr.stats  # the DOP853 path's statistics
    assert position_errors_m(tr, fx).max() < 1.0


def test_unknown_backend_is_refused():
    ini = fixture("j2")["header"]["initial_state_gcrf"]
    with pytest.raises(InputError, match="backend"):
        propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], 600.0, 60.0,
                  ForceModel(gravity="j2"), backend="rk4")


def test_auto_keeps_dop853_for_drag_and_dense_output():
    ini = fixture("j2")["header"]["initial_state_gcrf"]
    tr = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], 600.0, 60.0,
                   ForceModel(gravity="j2"), dense=True)
    assert tr.steps is not None and "backend" not in tr.stats


# --- heyoka.py ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["twobody", "j2"])
def test_heyoka_backend_within_1_m_of_orekit(case):
    pytest.importorskip("heyoka")
    tr, fx = propagate_case(case, backend="heyoka")
    assert tr.stats["backend"] == "heyoka"
    assert position_errors_m(tr, fx).max() < 1.0


@pytest.mark.parametrize("gravity", ["j2", "j4", "j6"])
def test_heyoka_matches_dop853_over_three_days(gravity):
    """Same model (ITRF pole, same coefficients): 3 days of the ISS, both engines tight;
    largest difference 0.05 m (measured 0.005 m after 1 day, 0.044 m after 30 days of J2)."""
    pytest.importorskip("heyoka")
    ini = fixture("j2")["header"]["initial_state_gcrf"]
    f = ForceModel(gravity=gravity)
    kw = dict(rtol=1e-13, atol_m=1e-6)
    a = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], 3 * 86400.0, 60.0, f,
                  backend="heyoka", rtol=1e-15)
    b = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], 3 * 86400.0, 60.0, f,
                  backend="dop853", **kw)
    assert a.stats["pole_fit_rad"] < 1e-9
    np.testing.assert_array_equal(a.x_s, b.x_s)
    assert np.max(np.linalg.norm(a.r_gcrf_m - b.r_gcrf_m, axis=1)) < 0.05
    assert np.max(np.linalg.norm(a.v_gcrf_m_s - b.v_gcrf_m_s, axis=1)) < 1e-4
    # The pole matters: a model error of the pole would show at this level.
    c = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], 3 * 86400.0, 60.0,
                  ForceModel(gravity="point"), backend="heyoka")
    assert np.max(np.linalg.norm(c.r_gcrf_m - b.r_gcrf_m, axis=1)) > 1e4


def test_heyoka_is_what_auto_picks_and_odd_steps_and_manoeuvres_agree():
    """Output step not dividing the span, a burn between outputs: same epochs and states as
    DOP853 within 0.05 m."""
    pytest.importorskip("heyoka")
    ini = fixture("j2")["header"]["initial_state_gcrf"]
    t0 = ini["epoch_utc"]
    from astropy.time import Time, TimeDelta

    burn = ImpulsiveManoeuvre(epoch=Time(t0, scale="utc") + TimeDelta(30000.5, format="sec"),
                              dv_m_s=np.array([0.5, 0.0, 0.1]), frame="tnw")
    f = ForceModel(gravity="j3")
    a = propagate(ini["r_m"], ini["v_m_s"], t0, 100000.0, 77.0, f, [burn], rtol=1e-15)
    b = propagate(ini["r_m"], ini["v_m_s"], t0, 100000.0, 77.0, f, [burn], rtol=1e-13,
                  atol_m=1e-6, backend="dop853")
    assert a.stats["backend"] == "heyoka"
    np.testing.assert_array_equal(a.x_s, b.x_s)
    assert np.max(np.linalg.norm(a.r_gcrf_m - b.r_gcrf_m, axis=1)) < 0.05


def test_heyoka_backend_refuses_models_it_does_not_integrate():
    pytest.importorskip("heyoka")
    ini = fixture("j2")["header"]["initial_state_gcrf"]
    for f in (ForceModel(gravity="8x8"), ForceModel(gravity="j2", third_body=("moon",))):
        with pytest.raises(InputError, match="backend"):
            propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], 600.0, 60.0, f,
                      backend="heyoka")


def test_heyoka_near_reentry_gives_the_dop853_reentry_result():
    """A suborbital arc (perigee under the re-entry altitude) is left to DOP853, which finds
    the crossing: the same ReentryError epoch from both backends."""
    pytest.importorskip("heyoka")
    r = np.array([6378137.0 + 300e3, 0.0, 0.0])
    v = np.array([0.0, 7300.0, 1000.0])  # too slow for an orbit at 300 km
    f = ForceModel(gravity="j2")
    errs = []
    for backend in ("heyoka", "dop853"):
        with pytest.raises(ReentryError) as info:
            propagate(r, v, "2026-03-01T00:00:00", 86400.0, 60.0, f, backend=backend)
        errs.append(info.value)
    assert abs((errs[0].epoch - errs[1].epoch).to_value("s")) < 1e-3


def test_heyoka_short_last_pole_segment_matches_dop853():
    """A span that is not a multiple of the 6 h pole segments (7 h: a 1 h last segment, fitted
    on denser samples): same model as DOP853 to 1 mm (measured 2e-5 m; a last segment fitted
    as a constant pole was 0.018 m off)."""
    pytest.importorskip("heyoka")
    ini = fixture("j2")["header"]["initial_state_gcrf"]
    f = ForceModel(gravity="j2")
    a = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], 7 * 3600.0, 60.0, f,
                  backend="heyoka", rtol=1e-15)
    b = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], 7 * 3600.0, 60.0, f,
                  backend="dop853", rtol=1e-13, atol_m=1e-6)
    assert a.stats["segments"] == 2 and a.stats["pole_fit_rad"] < 1e-10
    assert np.max(np.linalg.norm(a.r_gcrf_m - b.r_gcrf_m, axis=1)) < 1e-3
