"""Nonlinear "truth" for relative motion: each object propagated by the orbit engine.

The station and every free-flyer are integrated separately by
:func:`rossim.dynamics.propagator.propagate` (GCRF, DOP853) with their own ballistic
coefficient (``Cd A / m``) and the chosen gravity and drag models; the relative states are
then formed exactly in the station's LVLH frame (:func:`rossim.fleet.relative.inertial_to_lvlh`).
This is what the HCW model is checked against (``tests/fleet/test_relative.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rossim.constants import R_EQ_M
from rossim.dynamics.forces import ForceModel
from rossim.dynamics.propagator import propagate
from rossim.fleet.relative import MU_EARTH_M3_S2, inertial_to_lvlh, lvlh_to_inertial

__all__ = ["TruthRun", "circular_state_gcrf", "relative_truth"]

R_EARTH_M = R_EQ_M  # rossim.constants


def circular_state_gcrf(altitude_km: float, inclination_deg: float, raan_deg: float = 0.0,
                        arg_latitude_deg: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """GCRF position (m) and velocity (m/s) on a circular Keplerian orbit of radius
    ``R_E + altitude`` (R_E = WGS84 equatorial radius)."""
    r = R_EARTH_M + 1000.0 * float(altitude_km)
    v = np.sqrt(MU_EARTH_M3_S2 / r)
    i, o, u = np.radians([inclination_deg, raan_deg, arg_latitude_deg])
    p_hat = np.array([np.cos(o), np.sin(o), 0.0])
    q_hat = np.array([-np.sin(o) * np.cos(i), np.cos(o) * np.cos(i), np.sin(i)])
    pos = r * (np.cos(u) * p_hat + np.sin(u) * q_hat)
    vel = v * (-np.sin(u) * p_hat + np.cos(u) * q_hat)
    return pos, vel


@dataclass
class TruthRun:
    """Relative states (T, N, 6) in the station's LVLH frame at times ``t_s`` (T,)."""

    t_s: np.ndarray
    relative_lvlh: np.ndarray
    station_r_gcrf_m: np.ndarray
    station_v_gcrf_m_s: np.ndarray


def relative_truth(state0_lvlh, epoch: Any, duration_s: float, step_s: float, *,
                   altitude_km: float = 400.0, inclination_deg: float = 51.6,
                   raan_deg: float = 0.0, gravity: str = "j2", drag: str = "none",
                   station_cda_over_m: float = 0.0, cda_over_m: Sequence[float] | None = None,
                   weather=None, rtol: float = 1e-12) -> TruthRun:
    """Propagate the station (circular initial state) and objects given by their initial
    LVLH states (N,6) with the full nonlinear model; return the exact relative motion.

    ``station_cda_over_m`` and ``cda_over_m`` (per object) are ``Cd A / m`` (m^2/kg); they are
    used when ``drag`` is a model name (as ``ForceModel(cd=..., area_m2=1, mass_kg=1)``).
    """
    x0 = np.atleast_2d(np.asarray(state0_lvlh, float))
    rc, vc = circular_state_gcrf(altitude_km, inclination_deg, raan_deg)
    rd, vd = lvlh_to_inertial(rc[None], vc[None], x0)

    def forces(cda: float) -> ForceModel:
        if drag == "none" or cda <= 0:
            return ForceModel(gravity=gravity, drag="none")
        return ForceModel(gravity=gravity, drag=drag, cd=cda, area_m2=1.0, mass_kg=1.0,
                          weather=weather)

    ref = propagate(rc, vc, epoch, duration_s, step_s, forces(station_cda_over_m),
                    rtol=rtol, atol_m=1e-6)
    cdas = [0.0] * len(x0) if cda_over_m is None else list(cda_over_m)
    rel = np.empty((ref.x_s.size, len(x0), 6))
    for k in range(len(x0)):
        tr = propagate(rd[k], vd[k], epoch, duration_s, step_s, forces(cdas[k]), rtol=rtol,
                       atol_m=1e-6)
        rel[:, k] = inertial_to_lvlh(ref.r_gcrf_m, ref.v_gcrf_m_s, tr.r_gcrf_m, tr.v_gcrf_m_s)
    return TruthRun(ref.x_s, rel, ref.r_gcrf_m, ref.v_gcrf_m_s)
