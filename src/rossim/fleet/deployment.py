"""Deployment of free-flyers from the station, and whether an ejection is passively safe.

A satellite leaves from a payload port (spring ejector, ``release = "port"``) or from the
robot arm's end (``release = "arm"``, ``arm_reach_m`` out along the ejection direction) with an
ejection speed ``delta_v_m_s`` in a chosen LVLH direction. Its relative motion afterwards is
HCW (:mod:`rossim.fleet.relative`) plus the constant differential-drag acceleration
``(-delta, 0, 0)`` (:mod:`rossim.fleet.stationkeeping`).

An ejection is **passively safe** when, without any manoeuvre, the satellite does not come
back within ``recontact_radius_m`` of the station's centre for ``recontact_orbits`` orbits
after it has first left that sphere; the check is run for the nominal ejection and for
``samples`` dispersed ones (speed 1-sigma ``delta_v_sigma_fraction``, direction
``direction_sigma_deg``, the differential drag scaled by N(1, 0.3) for the unknown attitude
and density). Re-entries into the keep-out sphere are counted separately.

Why radial ejections are the dangerous ones: a purely radial delta-v gives a closed 2:1
ellipse that returns to the release point after every orbit; only differential drag or an
along-track component (drift ``-6 pi dv_x / n`` per orbit) carries the satellite away.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rossim.dynamics.family_release import (  # noqa: F401  (moved there; re-exported)
    PORT_CLEARANCE_M,
    release_point_lvlh,
)
from rossim.errors import InputError
from rossim.fleet.relative import hcw_propagate

__all__ = [
    "DIRECTIONS", "EjectionPlan", "RecontactCheck", "check_recontact", "direction_vector",
    "release_point_lvlh", "resolve_port", "safe_directions",
]

#: Named ejection directions as LVLH unit vectors (x along-track, y -orbit normal, z nadir).
DIRECTIONS: dict[str, tuple[float, float, float]] = {
    "along-track": (1.0, 0.0, 0.0),
    "anti-along-track": (-1.0, 0.0, 0.0),
    "radial-up": (0.0, 0.0, -1.0),
    "radial-down": (0.0, 0.0, 1.0),
    "cross-track": (0.0, 1.0, 0.0),
}



def direction_vector(direction) -> np.ndarray:
    """Unit LVLH vector for a named direction or a vector ``[x, y, z]``."""
    if isinstance(direction, str):
        if direction not in DIRECTIONS:
            raise InputError("argument", "direction", direction,
                             "one of " + ", ".join(DIRECTIONS) + " or an LVLH vector")
        return np.array(DIRECTIONS[direction])
    v = np.asarray(direction, dtype=float).reshape(-1)
    if v.shape != (3,) or not np.all(np.isfinite(v)) or np.linalg.norm(v) == 0:
        raise InputError("argument", "direction", direction, "a non-zero LVLH vector [x, y, z]")
    return v / np.linalg.norm(v)


def resolve_port(timeline, port: str, date, *, where: str | None = None,
                 field: str = "port") -> str:
    """Check that ``port`` ("<module>.<port>") is a payload port of a module attached at
    ``date``; returns the module's instance name. Raises :class:`InputError` otherwise."""
    catalog = timeline.catalog
    if not isinstance(port, str) or port.count(".") != 1:
        raise InputError(where, field, port, 'a payload port "<module>.<port>", e.g. '
                         '"gateway.airlock"')
    module, name = port.split(".")
    payload = sorted(f"{m.id}.{p.name}" for m in catalog.modules.values() for p in m.ports
                     if p.type == "payload")
    if module not in catalog.modules:
        raise InputError(where, field, port, "a payload port of a catalog module, one of "
                         + ", ".join(payload), problem="unknown module")
    ports = {p.name: p for p in catalog.modules[module].ports}
    if name not in ports:
        raise InputError(where, field, port, "a payload port of a catalog module, one of "
                         + ", ".join(payload), problem="unknown port")
    if ports[name].type != "payload":
        raise InputError(where, field, port, "a port of type payload, one of "
                         + ", ".join(payload), problem=f"port type {ports[name].type}")
    config = timeline.at(date)
    if module not in config.modules:
        raise InputError(where, field, port,
                         f"a module attached on {str(date)[:10]} (attached: "
                         + ", ".join(config.modules) + ")", problem="module not yet there")
    return module


@dataclass(frozen=True)
class EjectionPlan:
    """One ejection: release point and velocity (LVLH), its dispersion and the relative drag.

    ``differential_drag_m_s2`` is ``delta = a_sat - a_station`` (>0: the satellite is draggier
    and falls ahead below the station).
    """

    release_point_m: tuple[float, float, float]
    direction: tuple[float, float, float]
    delta_v_m_s: float
    n_rad_s: float
    differential_drag_m_s2: float = 0.0
    delta_v_sigma_fraction: float = 0.0
    direction_sigma_deg: float = 0.0

    def __post_init__(self) -> None:
        if not (np.isfinite(self.delta_v_m_s) and self.delta_v_m_s > 0):
            raise InputError("argument", "delta_v_m_s", self.delta_v_m_s,
                             "a positive ejection speed (m/s)")

    def state0(self) -> np.ndarray:
        """Nominal LVLH state (6,) just after release."""
        d = direction_vector(self.direction)
        return np.concatenate([np.asarray(self.release_point_m, float), self.delta_v_m_s * d])

    def dispersed(self, samples: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """``(states (S,6), drag_scale (S,))``: dispersed release states (Monte Carlo)."""
        d = direction_vector(self.direction)
        speed = self.delta_v_m_s * (1.0 + self.delta_v_sigma_fraction * rng.standard_normal(
            samples))
        speed = np.maximum(speed, 0.0)
        # tilt by a Gaussian angle about a random axis perpendicular to d
        helper = np.array([0.0, 0.0, 1.0]) if abs(d[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
        e1 = np.cross(d, helper)
        e1 /= np.linalg.norm(e1)
        e2 = np.cross(d, e1)
        phi = rng.uniform(0, 2 * np.pi, samples)
        tilt = np.radians(self.direction_sigma_deg) * rng.standard_normal(samples)
        axis_perp = np.cos(phi)[:, None] * e1 + np.sin(phi)[:, None] * e2
        dirs = np.cos(tilt)[:, None] * d + np.sin(tilt)[:, None] * axis_perp
        states = np.empty((samples, 6))
        states[:, :3] = np.asarray(self.release_point_m, float)
        states[:, 3:] = speed[:, None] * dirs
        drag_scale = np.maximum(1.0 + 0.3 * rng.standard_normal(samples), 0.0)
        return states, drag_scale


@dataclass(frozen=True)
class RecontactCheck:
    """Result of :func:`check_recontact` (distances from the station's centre, m).

    ``*_closest_return_m``: the smallest distance from half an orbit after release to the end
    (a satellite cannot come back sooner in HCW motion).
    """

    safe: bool
    nominal_recontact: bool
    nominal_first_return_s: float | None
    nominal_closest_return_m: float
    recontact_fraction: float
    keep_out_reentry_fraction: float
    worst_closest_return_m: float
    samples: int
    orbits: int
    recontact_radius_m: float


def _returns(traj: np.ndarray, t: np.ndarray, radius: float, half_orbit_s: float):
    """Per object: recontact flag, first return inside ``radius`` after first leaving it,
    and the closest distance after half an orbit. ``traj`` (T, S, 3)."""
    d = np.linalg.norm(traj, axis=-1)                      # (T, S)
    outside = d > radius
    left = np.cumsum(outside, axis=0) > 0                  # has been outside by then
    back = left & ~outside
    any_back = back.any(axis=0)
    first = np.where(any_back, t[np.argmax(back, axis=0)], np.nan)
    d_after = np.where((t >= half_orbit_s)[:, None], d, np.inf)
    never_left = ~left[-1]
    return any_back | never_left, first, d_after.min(axis=0)


def check_recontact(plan: EjectionPlan, *, recontact_radius_m: float = 100.0,
                    keep_out_radius_m: float = 200.0, orbits: int = 15, samples: int = 200,
                    step_s: float = 10.0, seed: int | np.random.SeedSequence = 0
                    ) -> RecontactCheck:
    """Is ``plan`` passively safe? (see the module docstring). ``seed``: an integer or a
    ``numpy.random.SeedSequence`` for the dispersed ejections."""
    if orbits < 1:
        raise InputError("argument", "orbits", orbits, "at least one orbit")
    period = 2 * np.pi / plan.n_rad_s
    t = np.arange(0.0, orbits * period + step_s, step_s)
    accel = np.array([-plan.differential_drag_m_s2, 0.0, 0.0])
    nominal = hcw_propagate(plan.state0(), plan.n_rad_s, t, accel)[..., :3]
    nom_back, nom_first, nom_min = _returns(nominal, t, recontact_radius_m, 0.5 * period)
    frac = ko_frac = 0.0
    worst = float(nom_min[0])
    if samples > 0:
        rng = np.random.default_rng(seed)
        states, scale = plan.dispersed(samples, rng)
        acc = np.zeros((samples, 3))
        acc[:, 0] = -plan.differential_drag_m_s2 * scale
        traj = hcw_propagate(states, plan.n_rad_s, t, acc)[..., :3]
        back, _, dmin = _returns(traj, t, recontact_radius_m, 0.5 * period)
        ko_back, _, _ = _returns(traj, t, keep_out_radius_m, 0.5 * period)
        frac = float(np.mean(back))
        ko_frac = float(np.mean(ko_back))
        worst = float(min(worst, dmin.min()))
    return RecontactCheck(
        safe=bool(not nom_back[0] and frac == 0.0), nominal_recontact=bool(nom_back[0]),
        nominal_first_return_s=None if np.isnan(nom_first[0]) else float(nom_first[0]),
        nominal_closest_return_m=float(nom_min[0]), recontact_fraction=frac,
        keep_out_reentry_fraction=ko_frac, worst_closest_return_m=worst, samples=int(samples),
        orbits=int(orbits), recontact_radius_m=float(recontact_radius_m))


def safe_directions(release_point_m, delta_v_m_s: float, n_rad_s: float, *,
                    differential_drag_m_s2: float = 0.0, delta_v_sigma_fraction: float = 0.05,
                    direction_sigma_deg: float = 3.0, step_deg: float = 15.0,
                    recontact_radius_m: float = 100.0, orbits: int = 15, samples: int = 100,
                    seed: int = 0) -> list[tuple[float, RecontactCheck]]:
    """Passive safety of in-plane ejection directions, every ``step_deg`` degrees.

    The angle is measured in the LVLH x-z plane from +x (along-track) towards +z (nadir):
    0 along-track, 90 radial-down, 180 aft, 270 radial-up. Returns ``(angle_deg, check)``
    pairs; a plan is chosen among those with ``check.safe``.
    """
    out = []
    for ang in np.arange(0.0, 360.0, float(step_deg)):
        a = np.radians(ang)
        plan = EjectionPlan(tuple(np.asarray(release_point_m, float)),
                            (float(np.cos(a)), 0.0, float(np.sin(a))), delta_v_m_s, n_rad_s,
                            differential_drag_m_s2, delta_v_sigma_fraction,
                            direction_sigma_deg)
        out.append((float(ang), check_recontact(plan, recontact_radius_m=recontact_radius_m,
                                                orbits=orbits, samples=samples, seed=seed)))
    return out
