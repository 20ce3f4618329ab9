"""The run's own flown orbit as an ephemeris: what dose and other along-track models use.

Built from the hourly orbit channel of a run (mean altitude ``a - R_eq`` and node, with the
reboosts in it): between samples the semi-major axis and the node are interpolated linearly
and the argument of latitude is the integral of the mean motion, so the ground track follows
the decaying and reboosted orbit rather than a circle at the nominal altitude. Positions in
GCRF (m), geodetic through the approximate GCRF->ITRF rotation
(:func:`rossim.frames.approx.gcrf_to_itrf_approx`, 0.02 deg) and WGS84.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from rossim.dynamics.decay import R_EQ_M, mean_motion_rad_s, unit_vectors_gcrf


@dataclass(frozen=True)
class FlownOrbit:
    """Hourly samples: ``epochs`` (datetime64[us], UTC), ``a_m``, ``raan_rad``; inclination."""

    epochs: np.ndarray
    a_m: np.ndarray
    raan_rad: np.ndarray
    inclination_deg: float

    @classmethod
    def from_history(cls, history, inclination_deg: float) -> FlownOrbit:
        return cls(history.epochs, history.altitude_m + R_EQ_M, history.raan_rad,
                   float(inclination_deg))

    @property
    def span(self) -> tuple[np.datetime64, np.datetime64]:
        return self.epochs[0], self.epochs[-1]

    def _seconds(self, t: Any) -> np.ndarray:
        """Seconds since the first sample (astropy Time without datetime conversion)."""
        if hasattr(t, "jd1") and hasattr(t, "scale"):
            from rossim.time import time_from_datetime64

            ref = time_from_datetime64(self.epochs[:1])
            u = t.utc
            return np.atleast_1d(((u.jd1 - ref.jd1[0]) + (u.jd2 - ref.jd2[0])) * 86400.0)
        from rossim.station.configuration import as_datetime64

        return np.atleast_1d((as_datetime64(t) - self.epochs[0]) / np.timedelta64(1, "s"))

    def positions_gcrf(self, t: Any) -> np.ndarray:
        """Positions (N, 3) m in GCRF at epochs ``t`` (astropy Time or datetime64 array)."""
        ts = self._seconds(t)
        th = (self.epochs - self.epochs[0]) / np.timedelta64(1, "s")
        n_h = mean_motion_rad_s(self.a_m)
        u_h = np.concatenate([[0.0], np.cumsum(n_h[:-1] * np.diff(th))])
        k = np.clip(np.searchsorted(th, ts, side="right") - 1, 0, len(th) - 1)
        u = u_h[k] + n_h[k] * (ts - th[k])
        a = np.interp(ts, th, self.a_m)
        raan = np.interp(ts, th, self.raan_rad)
        return unit_vectors_gcrf(raan, math.radians(self.inclination_deg), u) * a[:, None]

    def geodetic(self, t: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """WGS84 ``(lat_deg, lon_deg, alt_km)`` at epochs ``t`` (astropy Time)."""
        from rossim.frames.approx import gcrf_to_itrf_approx
        from rossim.frames.geodetic import itrf_to_geodetic
        from rossim.time import to_time

        tt = to_time(t)
        r = gcrf_to_itrf_approx(self.positions_gcrf(tt), tt)
        lat, lon, h = itrf_to_geodetic(r)
        return lat, lon, np.asarray(h) / 1000.0
