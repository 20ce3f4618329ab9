"""Collision probability of a short encounter: the standard 2-D method (Foster 1992, Chan 2008).

At the time of closest approach the relative motion is taken as a straight line; both
position covariances (3x3, same frame, m^2) are added and projected onto the encounter plane
(perpendicular to the relative velocity); the collision probability is the integral of that
2-D Gaussian, centred on the miss vector, over the hard-body circle of radius ``hbr_m`` (sum of
the two objects' radii).

The integral is done as in Alfano (2005, "A numerical implementation of spherical object
collision probability", *J. Astronaut. Sci.* 53(1)) and NASA CARA's ``Pc2D_Foster``: in the
covariance's principal axes, one coordinate is integrated exactly (error functions of the
chord's ends) and the other numerically (Gauss-Legendre on ``x = R sin(theta)``, which removes
the square-root end-point singularity). ``erfc`` differences keep the tail accurate (Chan's
test cases reach 1e-28).

No maintained Python package for this was installable offline; the method is short, and
``tests/fleet/test_collision.py`` holds it to published cases (Chan 2008 via Orekit's test
suite, NASA CARA's Omitron case) within 1 %.

Validity: the 2-D method assumes a short encounter (relative speed large compared with the
covariance size over the encounter). Between free-flyers circling the station relative speeds
are m/s, so the encounter can be long; :func:`encounter` reports the encounter duration
``2 * 5 sigma / v_rel`` so that a reader can see when the assumption is stretched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rossim.errors import InputError

__all__ = [
    "CLIP_HBR_FRACTION", "Encounter", "check_covariance", "encounter", "pc_2d",
    "pc_2d_from_states", "pc_circle", "remediate_covariance_2d",
]

# Gauss-Legendre nodes on theta in [-pi/2, pi/2]; 64 points integrate the smooth integrand to
# ~1e-12 relative for sigma down to ~R/20; :func:`pc_circle` switches to adaptive quadrature
# for narrower Gaussians.
_GL_X, _GL_W = np.polynomial.legendre.leggauss(64)


def check_covariance(cov, name: str = "covariance", where: str = "argument", *,
                     positive_definite: bool = True) -> np.ndarray:
    """A finite symmetric matrix (m^2) as float array, else :class:`InputError`; positive
    definite too unless ``positive_definite=False`` (one object's covariance: only the
    combined, projected one must be usable, see :func:`pc_2d`)."""
    c = np.asarray(cov, dtype=float)
    if c.ndim != 2 or c.shape[0] != c.shape[1] or not np.all(np.isfinite(c)):
        raise InputError(where, name, np.asarray(cov).tolist(), "a finite square matrix (m^2)")
    scale = max(float(np.max(np.abs(c))), 1e-300)
    if np.max(np.abs(c - c.T)) > 1e-9 * scale:
        raise InputError(where, name, c.tolist(), "a symmetric matrix (m^2)")
    c = 0.5 * (c + c.T)
    if positive_definite:
        try:
            np.linalg.cholesky(c)
        except np.linalg.LinAlgError:
            raise InputError(where, name, c.tolist(), "a positive-definite covariance (m^2)",
                             problem="not positive definite") from None
    return c


#: Eigenvalue clipping of the combined encounter-plane covariance, NASA CARA's convention
#: (CARA Analysis Tools SDK, ``Pc2D_Foster`` with ``CovRemEigValClip``, Hall et al. 2017,
#: "Methods to remediate non-positive-definite covariances"): eigenvalues below
#: ``(CLIP_HBR_FRACTION * hbr)^2`` are raised to it, so a singular or slightly
#: non-positive-definite combination still gives a Pc (0 when the miss lies along a direction
#: with no uncertainty left).
CLIP_HBR_FRACTION = 1e-4


def remediate_covariance_2d(cov_2d_m2, hbr_m: float) -> tuple[np.ndarray, bool]:
    """``(clipped covariance, remediated?)`` of a 2x2 encounter-plane covariance (CARA)."""
    c = check_covariance(cov_2d_m2, "covariance (encounter plane)", positive_definite=False)
    w, v = np.linalg.eigh(c)
    clip = (CLIP_HBR_FRACTION * float(hbr_m)) ** 2
    remediated = bool(np.any(w < clip))
    w = np.maximum(w, clip)
    return (v * w) @ v.T, remediated


def _chord_probability(x: np.ndarray, xm: float, ym: float, sx: float, sy: float,
                       r: float) -> np.ndarray:
    """Integrand in x: N(x; xm, sx) times P(|y| <= sqrt(R^2 - x^2)) for y ~ N(ym, sy)."""
    from scipy.special import erfc  # on first use: a station run does not load scipy.special

    half = np.sqrt(np.maximum(r * r - x * x, 0.0))
    a = (half - ym) / (math.sqrt(2.0) * sy)   # upper end, standardised
    b = (-half - ym) / (math.sqrt(2.0) * sy)  # lower end
    # P = 0.5 (erf(a) - erf(b)), written with erfc on the side away from the mean.
    p = np.where(b >= 0, 0.5 * (erfc(b) - erfc(a)),
                 np.where(a <= 0, 0.5 * (erfc(-a) - erfc(-b)),
                          1.0 - 0.5 * (erfc(a) + erfc(-b))))
    gx = np.exp(-0.5 * ((x - xm) / sx) ** 2) / (math.sqrt(2 * math.pi) * sx)
    return gx * p


def pc_circle(xm: float, ym: float, sigma_x: float, sigma_y: float, hbr_m: float) -> float:
    """2-D Pc in the covariance's principal axes.

    ``(xm, ym)`` miss vector (m) along the principal axes, ``sigma_x``, ``sigma_y`` the standard
    deviations along them (m), ``hbr_m`` the combined hard-body radius (m).
    """
    for name, v in (("sigma_x", sigma_x), ("sigma_y", sigma_y), ("hbr_m", hbr_m)):
        if not (math.isfinite(v) and v > 0):
            raise InputError("argument", name, v, "a positive finite length (m)")
    r = float(hbr_m)
    if min(sigma_x, sigma_y) < r / 20.0:
        from scipy.integrate import quad

        # Narrow Gaussian: integrate along the narrow axis with adaptive quadrature, with the
        # peak as a break point so that quad does not step over it.
        if sigma_x > sigma_y:  # make x the narrow axis
            xm, ym, sigma_x, sigma_y = ym, xm, sigma_y, sigma_x
        lo, hi = max(-r, xm - 12 * sigma_x), min(r, xm + 12 * sigma_x)
        if lo >= hi:
            return 0.0
        pts = [p for p in (xm,) if lo < p < hi]
        val, _ = quad(lambda x: float(_chord_probability(np.array([x]), xm, ym, sigma_x,
                                                         sigma_y, r)[0]),
                      lo, hi, points=pts or None, epsabs=0.0, epsrel=1e-10, limit=200)
        return float(val)
    theta = 0.5 * math.pi * _GL_X
    x = r * np.sin(theta)
    f = _chord_probability(x, xm, ym, sigma_x, sigma_y, r) * r * np.cos(theta)
    return float(0.5 * math.pi * np.dot(_GL_W, f))


def pc_2d(miss_2d_m, cov_2d_m2, hbr_m: float) -> float:
    """2-D Pc for a miss vector (2,) and a combined covariance (2,2) in the encounter plane.

    The covariance is remediated as NASA CARA's ``Pc2D_Foster`` does
    (:func:`remediate_covariance_2d`): it is the only matrix whose definiteness matters.
    """
    if not (math.isfinite(hbr_m) and hbr_m > 0):
        raise InputError("argument", "hbr_m", hbr_m, "a positive hard-body radius (m)")
    c, _ = remediate_covariance_2d(cov_2d_m2, hbr_m)
    m = np.asarray(miss_2d_m, float).reshape(2)
    w, v = np.linalg.eigh(c)
    xm, ym = v.T @ m
    return pc_circle(float(xm), float(ym), float(math.sqrt(w[0])), float(math.sqrt(w[1])),
                     float(hbr_m))


@dataclass(frozen=True)
class Encounter:
    """A conjunction at closest approach, reduced to the encounter plane."""

    miss_m: float
    relative_speed_m_s: float
    miss_2d_m: tuple[float, float]
    cov_2d_m2: tuple[tuple[float, float], tuple[float, float]]
    duration_s: float
    pc: float


def encounter(r1, v1, cov1, r2, v2, cov2, hbr_m: float) -> Encounter:
    """Encounter-plane reduction and Pc of two objects at closest approach.

    ``r*`` (m), ``v*`` (m/s) positions and velocities (3,) and ``cov*`` position covariances
    (3,3, m^2), all in one frame (inertial, or LVLH for objects near the station: the 2-D Pc
    needs only relative positions, velocities and covariances in a common frame).
    """
    # As CARA's Pc2D_Foster: each covariance only finite and symmetric; the combined one,
    # projected onto the encounter plane, is remediated in pc_2d (a singular secondary
    # covariance, e.g. an object without one, is therefore accepted).
    c1 = check_covariance(np.asarray(cov1, float)[:3, :3], "covariance of object 1",
                          positive_definite=False)
    c2 = check_covariance(np.asarray(cov2, float)[:3, :3], "covariance of object 2",
                          positive_definite=False)
    if not (math.isfinite(hbr_m) and hbr_m > 0):
        raise InputError("argument", "hbr_m", hbr_m, "a positive hard-body radius (m)")
    r = np.asarray(r2, float) - np.asarray(r1, float)
    v = np.asarray(v2, float) - np.asarray(v1, float)
    speed = float(np.linalg.norm(v))
    if speed == 0.0:
        raise InputError("argument", "v2 - v1", 0.0,
                         "a non-zero relative velocity (the 2-D method needs an encounter)")
    # Encounter frame (as CARA's Pc2D_Foster): y along the relative velocity, z along r x v,
    # x completing the triad; the plane is (x, z).
    y_hat = v / speed
    h = np.cross(r, v)
    if np.linalg.norm(h) < 1e-12 * max(np.linalg.norm(r), 1.0) * speed:
        # head-on through the centre: any plane basis will do
        h = np.cross(y_hat, [1.0, 0.0, 0.0])
        if np.linalg.norm(h) < 1e-6:
            h = np.cross(y_hat, [0.0, 1.0, 0.0])
    z_hat = h / np.linalg.norm(h)
    x_hat = np.cross(y_hat, z_hat)
    basis = np.stack([x_hat, z_hat])          # rows: plane axes
    cov = basis @ (c1 + c2) @ basis.T
    miss = basis @ r
    pc = pc_2d(miss, cov, hbr_m)
    sig = math.sqrt(max(float(np.max(np.linalg.eigvalsh(c1 + c2))), 0.0))
    return Encounter(miss_m=float(np.linalg.norm(r)), relative_speed_m_s=speed,
                     miss_2d_m=(float(miss[0]), float(miss[1])),
                     cov_2d_m2=((float(cov[0, 0]), float(cov[0, 1])),
                                (float(cov[1, 0]), float(cov[1, 1]))),
                     duration_s=float(10.0 * sig / speed), pc=pc)


def pc_2d_from_states(r1, v1, cov1, r2, v2, cov2, hbr_m: float) -> float:
    """Shortcut: the Pc of :func:`encounter`."""
    return encounter(r1, v1, cov1, r2, v2, cov2, hbr_m).pc
