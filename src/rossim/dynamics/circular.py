"""An analytic circular orbit: J2 secular drift plus Earth rotation, for fast analyses.

:class:`CircularOrbit` gives positions in GCRF and ITRF and geodetic latitude, longitude and
altitude for an array of epochs in closed form (no integration), so a year at 60 s steps
(5e5 epochs) costs well under a second. It is the trajectory of the analyses (dose maps,
coverage-style statistics) where what matters is where the ground track goes, not where the
station is to the metre.

Model
-----
* Mean circular orbit of semi-major axis ``a = R_E + altitude`` (``R_E`` = WGS84 equatorial
  radius; "altitude" is therefore the equatorial altitude: the geodetic altitude varies by
  ~21 km from equator to pole because of the Earth's flattening, and is what
  :meth:`CircularOrbit.geodetic` returns).
* First-order J2 secular rates for e = 0 (Vallado, *Fundamentals of Astrodynamics*, 4th ed.,
  eq. 9-41): nodal regression ``dOmega/dt = -1.5 n J2 (R_E/a)^2 cos i`` and argument-of-latitude
  rate ``du/dt = n [1 + 0.75 J2 (R_E/a)^2 (8 cos^2 i - 2)]`` (mean motion plus perigee and
  mean-anomaly drifts). No drag, so the altitude is constant.
* GCRF -> ITRF: CIO-based IAU 2006/2000A celestial-to-intermediate matrix (ERFA ``c2i06a``)
  evaluated once at the middle of the span, then the Earth rotation angle (ERFA ``era00``) at
  every epoch, with UTC used for UT1 (|UT1-UTC| < 0.9 s) and polar motion neglected.

Accuracy. Measured: the ITRF positions agree with :func:`rossim.frames.earth.gcrf_to_itrf_matrix`
(IAU 2006/2000A with EOP and polar motion) applied to the same GCRF positions to better than
0.5 km over a year (tests/analysis/test_dose_orbit.py); the node regression of a 400 km orbit at
97.03 deg is the sun-synchronous rate. Not modelled: short-period J2 oscillations (about 10 km),
higher harmonics, drag decay and the difference between mean and osculating elements, so the
along-track phase drifts away from a numerically propagated orbit over days. Over weeks the
ground track is statistically right (latitudes, node drift), not phase-accurate: do not use it
for pass timing.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import erfa
import numpy as np
from astropy.time import Time

from rossim.constants import FLATTENING, GM_EARTH_M3_S2, J2, R_EQ_M
from rossim.errors import InputError

__all__ = ["CircularOrbit", "MU_EARTH_M3_S2", "R_EARTH_M", "J2"]

# The Earth's constants (rossim.constants), under the names this module has always exported.
MU_EARTH_M3_S2 = GM_EARTH_M3_S2
R_EARTH_M = R_EQ_M
_F_WGS84 = FLATTENING


def _itrf_to_geodetic(r_m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WGS84 geodetic (deg, deg, m) from ITRF (N,3) m: Bowring's formula, two iterations."""
    try:  # the project's converter when present (helper "environment")
        from rossim.frames.geodetic import itrf_to_geodetic

        return itrf_to_geodetic(r_m)
    except ImportError:
        pass
    a = R_EARTH_M
    e2 = _F_WGS84 * (2.0 - _F_WGS84)
    b = a * (1.0 - _F_WGS84)
    ep2 = e2 / (1.0 - e2)
    x, y, z = r_m[:, 0], r_m[:, 1], r_m[:, 2]
    p = np.hypot(x, y)
    lon = np.arctan2(y, x)
    beta = np.arctan2(z * a, p * b)
    for _ in range(2):
        lat = np.arctan2(z + ep2 * b * np.sin(beta) ** 3, p - e2 * a * np.cos(beta) ** 3)
        beta = np.arctan2((1.0 - _F_WGS84) * np.sin(lat), np.cos(lat))
    sin_lat = np.sin(lat)
    n = a / np.sqrt(1.0 - e2 * sin_lat ** 2)
    alt = p * np.cos(lat) + z * sin_lat - a * a / n
    return np.degrees(lat), np.degrees(lon), alt


@dataclass(frozen=True)
class CircularOrbit:
    """A circular orbit with J2 secular drift.

    Parameters
    ----------
    altitude_km:
        ``a - R_E`` (km), 100-2000.
    inclination_deg:
        0-180.
    epoch:
        Reference epoch (anything :func:`rossim.time.to_time` takes) of ``raan_deg`` and
        ``arg_latitude_deg``.
    raan_deg, arg_latitude_deg:
        Right ascension of the ascending node and argument of latitude at ``epoch`` (GCRF).
    span_start, span_end:
        The span of validity (:class:`rossim.dynamics.ephemeris.Ephemeris`); default, the
        analytic model has no bound of its own and the span is 100 years either side of
        ``epoch``.

    Satisfies :class:`rossim.dynamics.ephemeris.Ephemeris` (``span``, ``state_gcrf``).
    """

    altitude_km: float
    inclination_deg: float
    epoch: Any = "2028-01-01T00:00:00"
    raan_deg: float = 0.0
    arg_latitude_deg: float = 0.0
    span_start: Any = None
    span_end: Any = None

    def __post_init__(self) -> None:
        alt = float(self.altitude_km)
        inc = float(self.inclination_deg)
        if not np.isfinite(alt) or not 100.0 <= alt <= 2000.0:
            raise InputError("argument", "altitude_km", self.altitude_km,
                             "an altitude between 100 and 2000 km")
        if not np.isfinite(inc) or not 0.0 <= inc <= 180.0:
            raise InputError("argument", "inclination_deg", self.inclination_deg,
                             "an inclination between 0 and 180 deg")

    @property
    def semi_major_axis_m(self) -> float:
        return R_EARTH_M + 1000.0 * float(self.altitude_km)

    @property
    def rates_rad_s(self) -> tuple[float, float]:
        """``(dRAAN/dt, du/dt)`` in rad/s (first-order J2 secular rates, Vallado eq. 9-41)."""
        from rossim.dynamics.ephemeris import arg_latitude_rate_rad_s, nodal_rate_rad_s

        a = self.semi_major_axis_m
        inc = np.radians(float(self.inclination_deg))
        return float(nodal_rate_rad_s(a, inc)), float(arg_latitude_rate_rad_s(a, inc))

    @property
    def span(self) -> tuple[Time, Time]:
        """``(start, end)`` of validity (see the class notes)."""
        from astropy.time import TimeDelta

        from rossim.time import to_time

        t0 = to_time(self.epoch)
        century = TimeDelta(36525.0 * 86400.0, format="sec")
        start = to_time(self.span_start) if self.span_start is not None else t0 - century
        end = to_time(self.span_end) if self.span_end is not None else t0 + century
        return start, end

    def raan_rad_at(self, t: Any) -> np.ndarray:
        """Node (rad, GCRF, not wrapped) at epochs ``t`` (N,): ``raan_deg`` + J2 drift."""
        from rossim.time import to_time

        return np.radians(float(self.raan_deg)) + self.rates_rad_s[0] * self._elapsed_s(
            to_time(t))

    def state_gcrf(self, t: Any, outside: str = "raise") -> tuple[np.ndarray, np.ndarray]:
        """GCRF ``(r_m, v_m_s)`` (N, 3) at epochs ``t`` (the Ephemeris contract); the velocity
        is inertial (in-plane ``a du/dt`` plus the node's drift)."""
        from rossim.dynamics.ephemeris import _grid, _nan_outside, check_span, circular_state_gcrf

        tt = _grid(t)
        inside = check_span("circular orbit", self.span, tt, outside)  # type: ignore[arg-type]
        dt = self._elapsed_s(tt)
        draan, du = self.rates_rad_s
        r, v = circular_state_gcrf(self.semi_major_axis_m, np.radians(float(self.inclination_deg)),
                                   np.radians(float(self.raan_deg)) + draan * dt,
                                   np.radians(float(self.arg_latitude_deg)) + du * dt, draan, du)
        return _nan_outside(r, v, inside)

    def normal_gcrf(self, t: Any) -> np.ndarray:
        """Unit normal (N, 3) of the mean orbit plane (GCRF) at epochs ``t``."""
        om = self.raan_rad_at(t)
        inc = np.radians(float(self.inclination_deg))
        return np.stack([np.sin(om) * np.sin(inc), -np.cos(om) * np.sin(inc),
                         np.full_like(om, np.cos(inc))], axis=1)

    def beta_deg(self, t: Any) -> np.ndarray:
        """Beta angle (deg, N): elevation of the Sun (DE421, geocentric) above the mean orbit
        plane at epochs ``t``; positive on the side of the orbit normal."""
        from rossim.environment.ephemeris import sun_position_gcrf
        from rossim.time import to_time

        tt = to_time(t)
        s = np.atleast_2d(sun_position_gcrf(tt))
        s = s / np.linalg.norm(s, axis=1)[:, None]
        h = self.normal_gcrf(tt)
        return np.degrees(np.arctan2(np.einsum("ij,ij->i", h, s),
                                     np.linalg.norm(np.cross(h, s), axis=1)))

    @property
    def period_s(self) -> float:
        """Nodal period (s)."""
        return float(2.0 * np.pi / self.rates_rad_s[1])

    def _elapsed_s(self, t: Time) -> np.ndarray:
        from rossim.time import to_time

        t0 = to_time(self.epoch)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", erfa.ErfaWarning)
            return np.atleast_1d(np.asarray((t - t0).to_value("s"), float))

    def positions_gcrf(self, t: Any) -> np.ndarray:
        """Positions (N,3) m in GCRF at epochs ``t``."""
        from rossim.time import to_time

        tt = to_time(t)
        dt = self._elapsed_s(tt)
        draan, du = self.rates_rad_s
        raan = np.radians(float(self.raan_deg)) + draan * dt
        u = np.radians(float(self.arg_latitude_deg)) + du * dt
        inc = np.radians(float(self.inclination_deg))
        cu, su, co, so = np.cos(u), np.sin(u), np.cos(raan), np.sin(raan)
        a = self.semi_major_axis_m
        return a * np.column_stack([co * cu - so * su * np.cos(inc),
                                    so * cu + co * su * np.cos(inc),
                                    su * np.sin(inc)])

    def positions_itrf(self, t: Any) -> np.ndarray:
        """Positions (N,3) m in ITRF at epochs ``t`` (see the module notes on accuracy)."""
        from rossim.time import to_time

        tt = to_time(t)
        r = self.positions_gcrf(tt)
        with warnings.catch_warnings():
            # Dates past the leap-second table are "dubious" to ERFA; UTC is extrapolated.
            warnings.simplefilter("ignore", erfa.ErfaWarning)
            return self._rotate(tt, r)

    def _rotate(self, tt: Time, r: np.ndarray) -> np.ndarray:
        from rossim.frames.approx import gcrf_to_itrf_approx

        return gcrf_to_itrf_approx(r, tt)

    def geodetic(self, t: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """WGS84 ``(lat_deg, lon_deg, alt_km)`` arrays at epochs ``t``."""
        lat, lon, alt_m = _itrf_to_geodetic(self.positions_itrf(t))
        return lat, lon, np.asarray(alt_m) / 1000.0
