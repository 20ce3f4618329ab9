"""``inclination_deg = "sun-synchronous"`` (rossim.config.sun_synchronous).

References: Vallado (*Fundamentals of Astrodynamics*, 4th ed., sec. 11.4), 97.03 deg at 400
km; Landsat 8, 705 km, sun-synchronous at 98.2 deg (NASA/USGS Landsat 8 mission
page); Sentinel-2, 786 km mean altitude, 98.62 deg (ESA Sentinel-2 user handbook): the
first-order J2 condition gives 98.21 and 98.54 deg, the latter 0.08 deg low (the handbook's
figure carries the frozen orbit's eccentricity and higher harmonics). Found by a newcomer:
ros-97 flew 97.0 deg, sun-synchronous at 392 km, inside a 390-415 km band: its beta angle
drifted from 18-27 deg in 2028 to 35-45 deg in 2035 while the trade study said it stays
between 18 and 27 deg."""

from __future__ import annotations

import math

import pytest

from rossim.config.scenario import Orbit, load_scenario
from rossim.config.sun_synchronous import TROPICAL_YEAR_DAYS, sun_synchronous_inclination_deg
from rossim.constants import R_EQ_M
from rossim.dynamics.mean_elements import nodal_rate_rad_s


@pytest.mark.parametrize(("altitude_km", "published_deg", "tol_deg"), [
    (400.0, 97.03, 0.005),   # Vallado, Fundamentals of Astrodynamics 4th ed., sec. 11.4
    (705.0, 98.2, 0.02),     # Landsat 8
    (786.0, 98.62, 0.1),     # Sentinel-2 (first order: 0.08 deg low)
])
def test_published_sun_synchronous_orbits(altitude_km, published_deg, tol_deg):
    assert abs(sun_synchronous_inclination_deg(altitude_km) - published_deg) <= tol_deg


def test_ros97_follows_the_sun_at_its_bands_middle():
    orbit = load_scenario("ros-97").orbit
    mid = sum(orbit.altitude_band_km) / 2
    rate = math.degrees(nodal_rate_rad_s(R_EQ_M + mid * 1e3, math.radians(
        orbit.inclination_deg))) * 86400.0
    assert rate == pytest.approx(360.0 / TROPICAL_YEAR_DAYS, abs=2e-5)   # deg/day
    assert orbit.inclination_deg == pytest.approx(97.04, abs=0.005)


def test_without_a_band_the_altitude_and_too_high_refused():
    raw = {"altitude_km": 400.0, "inclination_deg": "sun-synchronous"}
    assert Orbit(**raw).inclination_deg == pytest.approx(97.03, abs=0.005)
    with pytest.raises(ValueError, match="no sun-synchronous inclination"):
        sun_synchronous_inclination_deg(7000.0)
