"""2-D collision probability against published test cases (issue: free-flyer family,
'Collision probability reproduces published test cases ... within 1 % relative').

Fixtures and their origin: tests/data/fleet/pc2d_cases.csv (Chan 2008 cases and LAAS-2015
exact values, as in Orekit's test suite) and tests/data/fleet/pc3d_cases.csv (NASA CARA's
Omitron case 01 from full 3-D states and covariances)."""


import numpy as np
import pytest

from rossim.errors import InputError
from rossim.fleet.collision import encounter, pc_2d
from rossim.validation.collision import cara_3d_case, pc2d_case, pc2d_cases

CASES_2D = pc2d_cases()


@pytest.mark.parametrize("row", CASES_2D, ids=[r["case"] for r in CASES_2D])
def test_pc_2d_published_cases(row):
    pc, expected = pc2d_case(row)
    assert abs(pc - expected) <= 0.01 * expected, (pc, expected)


def test_pc_rotated_covariance_is_the_same():
    """The principal-axes case rotated by 30 deg through pc_2d (the general entry point)."""
    row = CASES_2D[0]
    a = np.radians(30.0)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    cov = rot @ np.diag([float(row["sigma_x_m"]) ** 2, float(row["sigma_y_m"]) ** 2]) @ rot.T
    miss = rot @ np.array([float(row["xm_m"]), float(row["ym_m"])])
    expected = float(row["pc_expected"])
    assert abs(pc_2d(miss, cov, float(row["hbr_m"])) - expected) <= 0.01 * expected


def test_pc_from_3d_states_cara_omitron():
    pc, expected = cara_3d_case()
    assert abs(pc - expected) <= 0.01 * expected, (pc, expected)


def test_only_the_combined_covariance_matters():
    """NASA CARA's Pc2D_Foster checks (and remediates) the combined covariance projected on
    the encounter plane, not each object's: diag(1, -1, 1) + I is diag(2, 0, 2), whose plane
    part (x, z for a relative velocity along y) is 2 I: a Pc is computed. A matrix that is not
    finite or not symmetric is still refused."""
    r = np.zeros(3)
    v = np.array([0.0, 10.0, 0.0])
    bad = np.diag([1.0, -1.0, 1.0])
    enc = encounter(r, v, bad, [5.0, 0, 0], [0, -10.0, 0], np.eye(3), 1.0)
    ref = encounter(r, v, np.eye(3), [5.0, 0, 0], [0, -10.0, 0], np.eye(3), 1.0)
    assert enc.pc == pytest.approx(ref.pc, rel=1e-12)
    with pytest.raises(InputError, match="symmetric"):
        encounter(r, v, [[1, 2, 0], [0, 1, 0], [0, 0, 1]], [5.0, 0, 0], [0, -10.0, 0],
                  np.eye(3), 1.0)
