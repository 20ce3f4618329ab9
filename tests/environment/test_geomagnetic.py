"""The IGRF dipole read from radbelt's coefficient files, and the belt lowering derived from it.

Reference values: IGRF-13 coefficient table (Alken et al. 2021, Earth Planets Space 73, 49,
Table 2): g10, g11, h11 = -30334, -2119, 5776 nT (DGRF 1965) and -29404.8, -1450.9, 4652.5 nT
(IGRF 2020), secular variation 2020-25: 5.7, 7.4, -25.9 nT/yr.
"""

import math

import pytest

from rossim.environment.geomagnetic import (
    belt_lowering_km,
    dipole_b0_nt,
    dipole_moment_am2,
)
from rossim.errors import InputError


@pytest.mark.parametrize("year,g", [(1965.0, (-30334.0, -2119.0, 5776.0)),
                                    (2020.0, (-29404.8, -1450.9, 4652.5)),
                                    (2025.0, (-29404.8 + 5 * 5.7, -1450.9 + 5 * 7.4,
                                              4652.5 - 5 * 25.9))])
def test_dipole_field_matches_igrf13_table(year, g):
    assert dipole_b0_nt(year) == pytest.approx(math.sqrt(sum(x * x for x in g)), abs=0.01)


def test_dipole_moment_and_its_decay():
    # M = 4 pi R^3 B0 / mu0 with R = 6371.2 km: ~7.7e22 A m^2 today, weakening ~5 %/century.
    assert dipole_moment_am2(2020.0) == pytest.approx(7.708e22, rel=1e-3)
    assert dipole_moment_am2(1965.0) > dipole_moment_am2(1995.0) > dipole_moment_am2(2030.0)


def test_belt_lowering_follows_the_cube_root_of_the_moment():
    assert belt_lowering_km(300.0, 1964.0, 1964.0) == pytest.approx(0.0, abs=1e-9)
    d = belt_lowering_km(300.0, 1994.5, 1964.0)
    ratio = dipole_b0_nt(1964.0) / dipole_b0_nt(1994.5)
    assert d == pytest.approx((6371.2 + 300.0) * (ratio ** (1 / 3) - 1))
    assert 40.0 < d < 70.0  # ~2.4 % weaker dipole over 30 years: ~0.8 % in radius
    assert belt_lowering_km(300.0, 2030.0, 1964.0) > d


def test_year_before_igrf_is_an_input_error():
    with pytest.raises(InputError):
        dipole_b0_nt(1900.0)
