"""Deployment safety (issue: free-flyer family, validation 3): a deliberately unsafe ejection is
flagged as recontact, a safe one is not; bad ports are refused.

Physics used as the reference: in HCW motion a purely radial delta-v from the station's centre
of mass gives a closed 2:1 ellipse that returns to the release point after exactly one orbit
(Clohessy & Wiltshire 1960; Fehse 2003, sec. 3.3), so without differential drag it *must* be
flagged; an along-track (aft) delta-v drifts 6 pi dv / n per orbit (~8 km for 0.5 m/s) and
must not be."""

import numpy as np
import pytest

from rossim.config.scenario import load_scenario
from rossim.errors import InputError
from rossim.fleet.deployment import EjectionPlan, check_recontact, resolve_port
from rossim.fleet.relative import mean_motion
from rossim.station import build_timeline

N = mean_motion(6378137.0 + 400e3)
PERIOD = 2 * np.pi / N


def test_radial_ejection_without_drag_difference_is_flagged():
    plan = EjectionPlan((0.0, 0.0, 0.0), (0.0, 0.0, -1.0), 0.5, N)   # radial-up, no dispersion
    check = check_recontact(plan, samples=0, orbits=3)
    assert check.nominal_recontact and not check.safe
    # it comes back after one orbit (to the 10 s sampling and the 100 m sphere)
    assert abs(check.nominal_first_return_s - PERIOD) < 0.05 * PERIOD
    assert check.nominal_closest_return_m < 1.0


def test_aft_ejection_is_safe_with_dispersion_and_drag():
    plan = EjectionPlan((0.0, 0.0, 5.0), (-1.0, 0.0, 1.0), 0.5, N, differential_drag_m_s2=2e-7,
                        delta_v_sigma_fraction=0.05, direction_sigma_deg=3.0)
    check = check_recontact(plan, samples=200, orbits=15)
    assert check.safe and check.recontact_fraction == 0.0
    assert check.worst_closest_return_m > 1000.0


def test_dispersion_can_make_a_nominally_safe_radial_ejection_unsafe():
    # drag alone carries the nominal satellite away; 3 deg of pointing error brings some back
    plan = EjectionPlan((0.0, 0.0, 5.0), (0.0, 0.0, 1.0), 0.5, N, differential_drag_m_s2=-2.5e-7,
                        delta_v_sigma_fraction=0.05, direction_sigma_deg=3.0)
    check = check_recontact(plan, samples=200, orbits=15)
    assert not check.nominal_recontact
    assert 0.0 < check.recontact_fraction < 1.0 and not check.safe


def test_zero_ejection_speed_is_refused():
    with pytest.raises(InputError, match="ejection speed"):
        EjectionPlan((0.0, 0.0, 0.0), (1.0, 0.0, 0.0), 0.0, N)


@pytest.mark.parametrize("port, problem", [
    ("gateway.nosuch", "unknown port"),
    ("nosuch.airlock", "unknown module"),
    ("node.zenith", "port type"),
    ("platform.berth-1", "not yet there"),
    ("airlock", "payload port"),
])
def test_bad_ports_are_refused(port, problem):
    timeline = build_timeline(load_scenario())
    with pytest.raises(InputError, match=problem):
        resolve_port(timeline, port, "2029-03-01")
    assert resolve_port(timeline, "gateway.airlock", "2029-03-01") == "gateway"


def test_safety_map_flags_the_radial_directions_only():
    from rossim.fleet.deployment import safe_directions

    checks = dict(safe_directions((0.0, 0.0, 0.0), 0.5, N, step_deg=45.0, samples=50,
                                  orbits=10))
    assert not checks[90.0].safe and not checks[270.0].safe      # radial-down, radial-up
    assert checks[0.0].safe and checks[180.0].safe and checks[135.0].safe
