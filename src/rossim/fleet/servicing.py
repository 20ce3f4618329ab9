"""Servicing and retrieval: two-impulse HCW transfers between relative states.

* :func:`transfer`: from a state to a target state after ``tof_s`` (Clohessy-Wiltshire
  targeting: the first impulse puts the chaser on the HCW arc that reaches the target's
  position, the second matches its velocity).
* :func:`rendezvous`: the same against a target moving on its own relative orbit, with the
  transfer time chosen on a grid (default 0.2 to 1.5 orbits) to minimise the total delta-v.
* :func:`arm_retrieval`: the satellite flies itself to the robot arm's capture point (at rest
  there) and is grappled.
* :func:`spaceplane_service`: a spaceplane leaves the station, meets the satellite on its
  relative orbit, stays ``stay_s`` and returns; the two rendezvous are added.

All states are LVLH (m, m/s, rotating-frame velocities) at ``t = 0``; ``n_rad_s`` is the
station's mean motion. HCW is the linear model, adequate for the few-km distances of the
family (error ~ rho^2 / r, see :mod:`rossim.fleet.relative`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rossim.errors import InputError
from rossim.fleet.relative import RelativeOrbit, hcw_propagate, hcw_stm

__all__ = [
    "Hold", "ServiceMission", "Transfer", "arm_retrieval", "rendezvous", "spaceplane_service",
    "transfer",
]


@dataclass(frozen=True)
class Transfer:
    """A two-impulse transfer: impulses (LVLH, m/s) at departure and arrival."""

    tof_s: float
    dv1_m_s: tuple[float, float, float]
    dv2_m_s: tuple[float, float, float]

    @property
    def dv_total_m_s(self) -> float:
        return float(np.linalg.norm(self.dv1_m_s) + np.linalg.norm(self.dv2_m_s))


def transfer(state_from, state_to, n_rad_s: float, tof_s: float) -> Transfer:
    """Two-impulse transfer from ``state_from`` (at 0) to ``state_to`` (at ``tof_s``)."""
    x0 = np.asarray(state_from, float).reshape(6)
    xf = np.asarray(state_to, float).reshape(6)
    if not (np.isfinite(tof_s) and tof_s > 0):
        raise InputError("argument", "tof_s", tof_s, "a positive transfer time (s)")
    phi = hcw_stm(n_rad_s, tof_s)
    rr, rv, vr, vv = phi[:3, :3], phi[:3, 3:], phi[3:, :3], phi[3:, 3:]
    if abs(np.linalg.det(rv)) < 1e-9 * tof_s**3:
        raise InputError("argument", "tof_s", tof_s,
                         "a transfer time that is not a multiple of half the orbital period")
    v0_plus = np.linalg.solve(rv, xf[:3] - rr @ x0[:3])
    vf_minus = vr @ x0[:3] + vv @ v0_plus
    return Transfer(float(tof_s), tuple(float(x) for x in v0_plus - x0[3:]),
                    tuple(float(x) for x in xf[3:] - vf_minus))


class Hold:
    """A target held at one LVLH state (a hold point or the arm's capture point: forced
    motion, not a free HCW orbit)."""

    def __init__(self, state_lvlh) -> None:
        self.state6 = np.asarray(state_lvlh, float).reshape(6)


def _target_states(target, n: float, t: np.ndarray) -> np.ndarray:
    if isinstance(target, Hold):
        return np.broadcast_to(target.state6, (t.size, 6))
    if isinstance(target, RelativeOrbit):
        return target.state(n, t)
    return hcw_propagate(np.asarray(target, float).reshape(6), n, t)[:, 0, :]


def rendezvous(state_from, target, n_rad_s: float, *, tof_orbits=None) -> Transfer:
    """Cheapest two-impulse rendezvous with ``target`` (a :class:`RelativeOrbit`, a
    :class:`Hold` point, or its LVLH state at ``t = 0``) over a grid of transfer times (in
    orbits)."""
    n = float(n_rad_s)
    period = 2 * np.pi / n
    grid = np.linspace(0.2, 1.5, 53) if tof_orbits is None else np.asarray(tof_orbits, float)
    # the cross-track targeting is singular at every half orbit
    grid = grid[np.abs(2 * grid - np.round(2 * grid)) > 0.06]
    if grid.size == 0:
        raise InputError("argument", "tof_orbits", tof_orbits,
                         "transfer times away from whole and half orbits")
    tofs = grid * period
    targets = _target_states(target, n, tofs)
    best = None
    for tof, xt in zip(tofs, targets, strict=True):
        tr = transfer(state_from, xt, n, float(tof))
        if best is None or tr.dv_total_m_s < best.dv_total_m_s:
            best = tr
    return best


def arm_retrieval(target, n_rad_s: float, capture_point_m=(0.0, 0.0, 15.0)) -> Transfer:
    """The satellite (its own propulsion) goes from its relative orbit to the robot arm's
    capture point (LVLH, m; default 15 m below the centre of mass), arriving at rest."""
    start = _target_states(target, float(n_rad_s), np.array([0.0]))[0]
    goal = np.concatenate([np.asarray(capture_point_m, float).reshape(3), np.zeros(3)])
    return rendezvous(start, Hold(goal), n_rad_s)


@dataclass(frozen=True)
class ServiceMission:
    """A spaceplane sortie: out to the satellite, a stay, back to the station."""

    outbound: Transfer
    inbound: Transfer
    stay_s: float

    @property
    def dv_total_m_s(self) -> float:
        return self.outbound.dv_total_m_s + self.inbound.dv_total_m_s

    @property
    def duration_s(self) -> float:
        return self.outbound.tof_s + self.stay_s + self.inbound.tof_s


def spaceplane_service(target: RelativeOrbit, n_rad_s: float, *,
                       departure_point_m=(-30.0, 0.0, 0.0), stay_s: float = 3 * 3600.0
                       ) -> ServiceMission:
    """A spaceplane departs (at rest) from ``departure_point_m`` (LVLH, default 30 m aft of
    the station), matches the satellite on ``target``, stays ``stay_s`` s with it and returns
    to the departure point at rest."""
    n = float(n_rad_s)
    dep = np.concatenate([np.asarray(departure_point_m, float), np.zeros(3)])
    out = rendezvous(dep, target, n)
    t_meet = out.tof_s + stay_s
    shifted = target.state(n, t_meet)[0]
    back = rendezvous(shifted, Hold(dep), n)
    return ServiceMission(out, back, float(stay_s))
