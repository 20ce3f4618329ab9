"""Regions and coverage against closed-form references: Russia's published area (Rosstat),
the highest latitude an orbit's swath reaches (the orbit's most northerly point converted by
ERFA gc2gd on WGS84, plus the footprint's Earth-central half-angle) and the covered share of a
latitude band (the WGS84 area below that limit). Asserted in
``tests/analysis/test_coverage.py``; printed in docs/validation.md and docs/coverage.md."""

from __future__ import annotations

import math

import numpy as np

from rossim.constants import E2, R_EQ_KM

__all__ = ["RUSSIA_AREA_KM2", "latitude_limit_deg", "band_area"]

RUSSIA_AREA_KM2 = 17_098_246.0  # Rosstat, "Russia in Figures" 2023 (incl. inland waters)


def latitude_limit_deg(alt_km: float, inc_deg: float, swath_km: float) -> float:
    """Highest geodetic latitude (deg) a ``swath_km`` swath reaches from a circular orbit at
    ``alt_km`` and ``inc_deg``."""
    import erfa

    i = inc_deg if inc_deg <= 90 else 180 - inc_deg
    r = (R_EQ_KM + alt_km) * 1e3
    _, phi, _ = erfa.gc2gd(1, np.array([r * math.cos(math.radians(i)), 0.0,
                                        r * math.sin(math.radians(i))]))
    return math.degrees(float(phi)) + math.degrees(swath_km / 2 / R_EQ_KM)


def band_area(lat1_deg: float, lat2_deg: float) -> float:
    """WGS84 area between two geodetic latitudes, in units of a^2 per radian of longitude
    (area element cos(phi) (1 - e^2) / (1 - e^2 sin^2 phi)^2, scipy quad): ratios of it are
    shares of a band."""
    from scipy.integrate import quad

    def f(p):
        return math.cos(p) * (1 - E2) / (1 - E2 * math.sin(p) ** 2) ** 2

    return quad(f, math.radians(lat1_deg), math.radians(lat2_deg))[0]
