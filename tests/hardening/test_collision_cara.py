"""Kind 4 of issue 17: checks as strict as the method, no stricter. The 2-D collision
probability tests the combined covariance it uses, projected on the encounter plane, and
remediates it by eigenvalue clipping as NASA CARA's Analysis Tools SDK does (``Pc2D_Foster``
with ``CovRemEigValClip``: eigenvalues below (1e-4 HBR)^2 raised to it; Hall et al. 2017).
References here are independent integrations of the 2-D Gaussian over the hard-body disc
(scipy ``dblquad``) and the normal CDF (scipy.stats)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from rossim.fleet.collision import encounter

V1 = np.zeros(3)
V2 = np.array([0.0, -7000.0, 0.0])  # relative velocity along y: the plane is (x, z)


def _disc_pc(cx: float, cz: float, sx: float, sz: float, hbr: float) -> float:
    """Independent reference: dblquad of N(0, diag(sx^2, sz^2)) over the disc at (cx, cz)."""
    def f(z, x):
        return np.exp(-0.5 * (x * x / sx ** 2 + z * z / sz ** 2)) / (2 * np.pi * sx * sz)

    val, _ = integrate.dblquad(f, cx - hbr, cx + hbr,
                               lambda x: cz - np.sqrt(max(hbr ** 2 - (x - cx) ** 2, 0.0)),
                               lambda x: cz + np.sqrt(max(hbr ** 2 - (x - cx) ** 2, 0.0)),
                               epsabs=1e-14, epsrel=1e-10)
    return val


def test_singular_secondary_covariance_gives_a_pc():
    """CARA returns a Pc when the secondary has no (a zero) covariance: the combined one is
    the primary's, positive definite."""
    cov1 = np.diag([100.0, 400.0, 25.0])
    enc = encounter(np.zeros(3), V1, cov1, [15.0, 0.0, 0.0], V2, np.zeros((3, 3)), 10.0)
    ref = _disc_pc(15.0, 0.0, 10.0, 5.0, 10.0)
    assert enc.pc == pytest.approx(ref, rel=1e-6)


def test_non_positive_definite_pair_is_clipped_as_cara_does():
    """A pair whose combined plane covariance has no z variance left (and a negative one for
    the secondary alone): clipped to (1e-4 x 10 m)^2. The Pc is then the 1-D probability of
    the x coordinate falling within the disc's chord (normal CDF), and 0 for a miss of 15 m
    along z, outside the 10 m disc."""
    cov1 = np.diag([100.0, 100.0, 1.0])
    cov2 = np.diag([0.0, 0.0, -1.0])
    along_x = encounter(np.zeros(3), V1, cov1, [15.0, 0.0, 0.0], V2, cov2, 10.0)
    ref = stats.norm.cdf(25.0, scale=10.0) - stats.norm.cdf(5.0, scale=10.0)
    assert along_x.pc == pytest.approx(ref, rel=1e-6)
    along_z = encounter(np.zeros(3), V1, cov1, [0.0, 0.0, 15.0], V2, cov2, 10.0)
    assert along_z.pc < 1e-100
