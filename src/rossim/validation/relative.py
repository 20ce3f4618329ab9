"""HCW (:func:`rossim.fleet.relative.hcw_propagate`) against the full nonlinear propagation
(:func:`rossim.fleet.truth.relative_truth`: the orbit engine integrating the station and each
object, compared in the exact LVLH frame). Bound: HCW neglects the second-order terms of the
relative gravity, which over one orbit displace an object by at most 6 pi rho^2 / r (rho the
largest separation, r the orbit radius); with J2 in the truth it also misses the J2 change of
the relative frequencies, bounded by 6 pi J2 (R/r)^2 rho (Schweighart & Sedwick, J. Guid.
Control Dyn. 25(6), 2002). Asserted in ``tests/fleet/test_fleet_relative.py``; printed in
docs/validation.md."""

from __future__ import annotations

from typing import Any

import numpy as np

from rossim.constants import J2
from rossim.constants import R_EQ_M as R_E

__all__ = ["hcw_errors", "hcw_bound_m"]


def hcw_errors(states_lvlh: Any, period_s: float, gravity: str, **truth: Any
               ) -> tuple[np.ndarray, np.ndarray]:
    """``(error_m, rho_m)`` per object (N,): largest HCW position error over ``period_s`` (60 s
    steps from 2029-03-01) and largest separation, for LVLH initial states (N, 6) m and m/s;
    ``truth`` keywords go to :func:`~rossim.fleet.truth.relative_truth` (default: 400 km,
    51.6 deg)."""
    from rossim.fleet.relative import hcw_propagate, mean_motion

    tr = _truth(states_lvlh, period_s, gravity, **truth)
    r = R_E + 1e3 * truth.get("altitude_km", 400.0)
    h = hcw_propagate(states_lvlh, mean_motion(r), tr.t_s)
    return (np.linalg.norm(h[..., :3] - tr.relative_lvlh[..., :3], axis=-1).max(axis=0),
            np.linalg.norm(tr.relative_lvlh[..., :3], axis=-1).max(axis=0))


def _truth(states_lvlh, period_s, gravity, **truth):
    from rossim.fleet.truth import relative_truth

    return relative_truth(states_lvlh, "2029-03-01", period_s, 60.0, gravity=gravity, **truth)


def hcw_bound_m(rho_m: Any, r_m: float, gravity: str) -> np.ndarray:
    """The error bound (m) for separations ``rho_m``: ``6 pi rho^2 / r`` with 5 % and 1 mm of
    margin, plus ``6 pi J2 (R/r)^2 rho`` when the truth has J2 (the truth's own J2 and
    radius, :mod:`rossim.constants`)."""
    rho = np.asarray(rho_m, float)
    bound = 6 * np.pi * rho**2 / r_m * 1.05 + 1e-3
    if gravity == "j2":
        bound = bound + 3 * 2 * np.pi * J2 * (R_E / r_m) ** 2 * rho
    return bound
