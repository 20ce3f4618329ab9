"""A manoeuvre's mass change (CCSDS OPM ``MAN_DELTA_MASS``) flies with its burn: drag and solar
radiation pressure after it use the new mass. Against Orekit in
tests/dynamics/test_propagator.py (``drag_mass_change``); here the bookkeeping: a burn that
changes the mass gives the same trajectory as two propagations, the second started from the
burn with the new mass, for drag and radiation pressure together (the two-pass shadow
integration included)."""

import numpy as np
import pytest
from astropy.time import TimeDelta

from rossim.dynamics.forces import ForceModel
from rossim.dynamics.manoeuvres import ImpulsiveManoeuvre
from rossim.dynamics.propagator import propagate
from rossim.environment.spaceweather import ConstantWeather
from rossim.errors import InputError
from rossim.time import to_time

R0 = (6778137.0, 0.0, 0.0)
V0 = (0.0, 4769.8, 6012.6)
T0 = to_time("2027-03-01T00:00:00")
WEATHER = ConstantWeather(150.0, 150.0, 15.0)


def _forces(mass_kg: float, drag: bool = True, srp: bool = True) -> ForceModel:
    return ForceModel(gravity="point", drag="nrlmsise00" if drag else "none", weather=WEATHER,
                      cd=2.2, area_m2=10.0, mass_kg=mass_kg, srp=srp, cr=1.5)


# (forces, bound on the restart's difference (m), least effect of the mass change (m)).
# Radiation pressure alone: the same to 1e-6 m (the mass change moves the end by 17 m).
# With drag, runs of other spans and cuts sample their density tables on other nodes: a few
# cm over 4 to 8 h (before the burn too), where the mass change moves the end by 19 km.
CASES = {"srp": (dict(drag=False), 1e-4, 10.0), "drag": (dict(srp=False), 0.1, 1e4),
         "drag+srp": ({}, 0.1, 1e4)}


@pytest.mark.parametrize("case", list(CASES))
def test_burn_with_mass_change_equals_a_restart_with_the_new_mass(case):
    kw, bound_m, effect_m = CASES[case]
    burn_s, span_s = 4 * 3600.0, 12 * 3600.0
    epoch = T0 + TimeDelta(burn_s, format="sec")
    whole = propagate(R0, V0, T0, span_s, 600.0, _forces(100.0, **kw),
                      [ImpulsiveManoeuvre(epoch, (0.2, 0.0, 0.0), "tnw", -40.0)])
    assert whole.stats["final_mass_kg"] == pytest.approx(60.0, abs=1e-12)
    first = propagate(R0, V0, T0, burn_s, 600.0, _forces(100.0, **kw))
    second = propagate(first.r_gcrf_m[-1], first.v_gcrf_m_s[-1], epoch, span_s - burn_s,
                       600.0, _forces(60.0, **kw),
                       [ImpulsiveManoeuvre(epoch, (0.2, 0.0, 0.0), "tnw")])
    n = len(first.x_s)
    assert np.abs(whole.r_gcrf_m[:n] - first.r_gcrf_m).max() < bound_m
    assert np.abs(whole.r_gcrf_m[n - 1:] - second.r_gcrf_m).max() < bound_m
    # and the mass matters: the same burn without the mass change ends far off
    kept = propagate(R0, V0, T0, span_s, 600.0, _forces(100.0, **kw),
                     [ImpulsiveManoeuvre(epoch, (0.2, 0.0, 0.0), "tnw")])
    assert np.linalg.norm(kept.r_gcrf_m[-1] - whole.r_gcrf_m[-1]) > effect_m


def test_mass_changes_that_leave_no_mass_are_refused_when_the_mass_acts():
    epoch = T0 + TimeDelta(3600.0, format="sec")
    burns = [ImpulsiveManoeuvre(epoch, (0.1, 0.0, 0.0), "tnw", -100.0)]
    with pytest.raises(InputError) as err:
        propagate(R0, V0, T0, 7200.0, 600.0, _forces(100.0), burns)
    text = str(err.value)
    assert "manoeuvres[0].delta_mass_kg" in text and "positive finite mass" in text
    assert "100 kg spacecraft" in text and "0 kg" in text
    # gravity only: the mass acts on nothing, the burn flies and no mass is reported
    tr = propagate(R0, V0, T0, 7200.0, 600.0, ForceModel(gravity="point", mass_kg=100.0),
                   burns, backend="dop853")
    assert tr.stats["final_mass_kg"] is None
    # an overflowing sum is refused as such, not an internal error
    huge = [ImpulsiveManoeuvre(epoch, (0.1, 0.0, 0.0), "tnw", 1e308)] * 2
    with pytest.raises(InputError, match=r"manoeuvres\[1\].delta_mass_kg"):
        propagate(R0, V0, T0, 7200.0, 600.0, _forces(100.0), huge)


def test_burns_fly_in_epoch_order_whatever_the_callers_order():
    """Two burns given late-first: the mass after each is taken in epoch order (a mutant that
    follows the caller's order flies 100 -> 90 -> 60 kg as 100 -> 70 -> 60, another drag)."""
    e1, e2 = (T0 + TimeDelta(x, format="sec") for x in (3600.0, 4 * 3600.0))
    b1 = ImpulsiveManoeuvre(e1, (0.1, 0.0, 0.0), "tnw", -10.0)
    b2 = ImpulsiveManoeuvre(e2, (0.1, 0.0, 0.0), "tnw", -30.0)
    forward = propagate(R0, V0, T0, 6 * 3600.0, 600.0, _forces(100.0), [b1, b2])
    backward = propagate(R0, V0, T0, 6 * 3600.0, 600.0, _forces(100.0), [b2, b1])
    assert np.array_equal(forward.r_gcrf_m, backward.r_gcrf_m)
    assert backward.stats["final_mass_kg"] == pytest.approx(60.0, abs=1e-12)
    # against restarts at each burn with the mass of the time
    first = propagate(R0, V0, T0, 3600.0, 600.0, _forces(100.0))
    mid = propagate(first.r_gcrf_m[-1], first.v_gcrf_m_s[-1], e1, 3 * 3600.0, 600.0,
                    _forces(90.0), [ImpulsiveManoeuvre(e1, (0.1, 0.0, 0.0), "tnw")])
    assert np.abs(backward.r_gcrf_m[6:25] - mid.r_gcrf_m).max() < 0.1
    # a wrong mass between the burns (70 kg) is far off
    wrong = propagate(first.r_gcrf_m[-1], first.v_gcrf_m_s[-1], e1, 3 * 3600.0, 600.0,
                      _forces(70.0), [ImpulsiveManoeuvre(e1, (0.1, 0.0, 0.0), "tnw")])
    assert np.abs(wrong.r_gcrf_m[-1] - mid.r_gcrf_m[-1]).max() > 100.0


def test_burns_at_one_epoch_fly_as_one_whatever_their_order():
    """-150 then +100 kg at one instant leaves 50 kg, as +100 then -150 does: the mass between
    them never flies, so neither order is refused and both give the same trajectory."""
    epoch = T0 + TimeDelta(3600.0, format="sec")
    a = ImpulsiveManoeuvre(epoch, (0.1, 0.0, 0.0), "tnw", -150.0)
    b = ImpulsiveManoeuvre(epoch, (0.0, 0.0, 0.0), "tnw", 100.0)
    one = propagate(R0, V0, T0, 7200.0, 600.0, _forces(100.0), [a, b])
    other = propagate(R0, V0, T0, 7200.0, 600.0, _forces(100.0), [b, a])
    assert one.stats["final_mass_kg"] == other.stats["final_mass_kg"] == pytest.approx(50.0)
    assert np.abs(one.r_gcrf_m - other.r_gcrf_m).max() < 1e-6


def test_a_burn_on_a_drag_chunk_boundary_flies():
    """A burn at 12:00 of a run from 00:00 falls on the drag chunks' cut at 43,200 s; its TT
    offset came out 1e-11 s past it, a zero-length segment the integrator refused ("step size
    underflow"). Also at the span's end it is a burn at the last state."""
    epoch = T0 + TimeDelta(43200.0, format="sec")
    burn = ImpulsiveManoeuvre(epoch, (0.1, 0.0, 0.0), "tnw", -1.0)
    tr = propagate(R0, V0, T0, 18 * 3600.0, 600.0, _forces(100.0, srp=False), [burn])
    assert tr.stats["final_mass_kg"] == pytest.approx(99.0)
    at_end = propagate(R0, V0, T0, 43200.0, 600.0, _forces(100.0, srp=False), [burn])
    assert len(at_end.x_s) == 73


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "heavy", True, -10**400])
def test_delta_mass_must_be_a_finite_number(value):
    with pytest.raises(InputError, match="delta_mass_kg"):
        ImpulsiveManoeuvre(T0, (0.1, 0.0, 0.0), "tnw", value)


def test_delta_mass_takes_numpy_numbers():
    assert ImpulsiveManoeuvre(T0, (0.1, 0.0, 0.0), "tnw", np.int64(-5)).delta_mass_kg == -5.0
