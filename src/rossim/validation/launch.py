"""Launch windows (:func:`rossim.analysis.launch.launch_windows`) against the closed-form
in-plane time, independent of rossim's search and frames code.

The in-plane condition for a site at geocentric latitude psi and east longitude lam under a
plane of inclination i and node Omega is sin(theta - Omega) = tan(psi) / tan(i) with
theta = ERA + lam (Vallado, *Fundamentals of Astrodynamics*, 4th ed., sec. 6.8 "launch
windows"; when tan(psi) > tan(i) the site is closest to the plane at theta - Omega = 90 deg).
ERA is the IERS Conventions 2010 eq. 5.15 expression (UTC used for UT1 on both sides), the
node drifts at the first-order J2 rate -1.5 n J2 (R/a)^2 cos i (Vallado eq. 9-41), with the
Earth of :mod:`rossim.constants` (one Earth: the reference differs in method, not in
constants). Asserted in ``tests/analysis/test_launch_windows.py``.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from rossim.constants import E2, J2
from rossim.constants import GM_EARTH_M3_S2 as MU
from rossim.constants import R_EQ_M as RE

__all__ = ["closed_form_windows"]


def closed_form_windows(lat_deg: float, lon_deg: float, alt_km: float, inc_deg: float,
                        raan0_deg: float, days: float, start: dt.datetime) -> np.ndarray:
    """Seconds after ``start`` (UTC ``datetime``) of every in-plane time over ``days``, sorted
    (N,), for a site at geodetic ``lat_deg``/``lon_deg`` and a circular orbit of ``alt_km``,
    ``inc_deg`` with node ``raan0_deg`` at ``start``."""
    from astropy.time import Time

    psi = math.atan((1 - E2) * math.tan(math.radians(lat_deg)))
    i = math.radians(inc_deg)
    a = RE + alt_km * 1e3
    n = math.sqrt(MU / a ** 3)
    d_raan = -1.5 * n * J2 * (RE / a) ** 2 * math.cos(i)
    w_era = 2 * math.pi * 1.00273781191135448 / 86400.0
    jd0 = Time(start, scale="utc").jd
    era0 = 2 * math.pi * (0.7790572732640 + 1.00273781191135448 * (jd0 - 2451545.0))
    x0 = era0 + math.radians(lon_deg) - math.radians(raan0_deg)
    k = math.tan(psi) / math.tan(i)
    targets = [math.pi / 2] if abs(k) >= 1 else [math.asin(k), math.pi - math.asin(k)]
    out = []
    for tgt in targets:
        t = ((tgt - x0) % (2 * math.pi)) / (w_era - d_raan)
        while t < days * 86400:
            out.append(t)
            t += 2 * math.pi / (w_era - d_raan)
    return np.sort(out)
