"""The sun-synchronous inclination of a circular orbit (``inclination_deg =
"sun-synchronous"`` in a scenario's ``[orbit]``).

A sun-synchronous orbit's node follows the mean Sun: the first-order J2 regression of a
circular orbit, ``dOmega/dt = -1.5 n J2 (R_E/a)^2 cos i`` (Vallado, *Fundamentals of
Astrodynamics*, 4th ed., eq. 9-41, the rate :mod:`rossim.dynamics.mean_elements` flies),
equals the Sun's mean motion in right ascension, 360 deg per tropical year of 365.2422 days
(about 0.9856 deg/day; Vallado sec. 11.4), so ``cos i = -(2 pi / year) / (1.5 n J2
(R_E/a)^2)``. A station flies a sawtooth inside its altitude band, so the inclination is
taken at the band's middle (its ``altitude_km`` without a band): 97.04 deg for ros-97's
390-415 km. Its 97.0 deg, sun-synchronous at 392 km, let the node drift 0.005 to 0.007 deg a
day behind the Sun where it flew (about 1.3 h of local time over eight years: found by a
newcomer reading its beta angle, 18-27 deg in 2028 and 35-45 deg in 2035).
"""

from __future__ import annotations

import math

from rossim.constants import GM_EARTH_M3_S2, J2, R_EQ_M

__all__ = ["TROPICAL_YEAR_DAYS", "resolve_orbit", "sun_synchronous_inclination_deg"]

#: Mean tropical year (days): the Sun's mean motion in right ascension is 360 deg per year.
TROPICAL_YEAR_DAYS = 365.2422


def sun_synchronous_inclination_deg(altitude_km: float) -> float:
    """Inclination (deg) whose J2 node regression follows the mean Sun for a circular orbit
    ``altitude_km`` above the equatorial radius. Raises ``ValueError`` when no inclination
    can (above about 5,970 km the J2 regression is too slow)."""
    a = R_EQ_M + altitude_km * 1e3
    n = math.sqrt(GM_EARTH_M3_S2 / a**3)
    sun = 2.0 * math.pi / (TROPICAL_YEAR_DAYS * 86400.0)
    c = -sun / (1.5 * n * J2 * (R_EQ_M / a) ** 2)
    if not -1.0 <= c <= 1.0:
        raise ValueError(f"no sun-synchronous inclination at {altitude_km:g} km")
    return math.degrees(math.acos(c))


def resolve_orbit(data):
    """A scenario's raw ``[orbit]`` table with ``inclination_deg = "sun-synchronous"``
    replaced by the inclination at the band's middle (``altitude_km`` without a band),
    rounded to 1e-4 deg; anything else unchanged (the schema then checks it). Raises
    :class:`rossim.config._toml.FieldError` when the altitude has no such inclination."""
    if not (isinstance(data, dict) and data.get("inclination_deg") == "sun-synchronous"):
        return data
    from rossim.config._toml import FieldError

    band, h = data.get("altitude_band_km"), data.get("altitude_km")
    at = (sum(band) / 2 if isinstance(band, (list, tuple)) and len(band) == 2
          and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in band)
          else h)
    if not isinstance(at, (int, float)) or isinstance(at, bool):
        return data          # the schema names the bad altitude
    try:
        return {**data, "inclination_deg": round(sun_synchronous_inclination_deg(at), 4)}
    except ValueError as exc:
        raise FieldError("inclination_deg", "sun-synchronous",
                         f"a numeric inclination ({exc})") from None
