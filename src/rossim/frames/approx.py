"""A fast, approximate GCRF -> ITRF rotation for statistics over long spans.

``R(t) = R3(ERA(t)) @ C`` where ``C`` is the IAU 2006/2000A celestial-to-intermediate matrix
(:func:`erfa.c2i06a`) at one reference epoch and ERA the Earth rotation angle with UT1 taken
as UTC. No IERS table is read (that costs seconds per process). Error against the full chain
(:mod:`rossim.frames.earth`): precession drifts ~50"/yr away from the reference epoch,
nutation up to ~17", |UT1-UTC| < 0.9 s (0.004 deg), polar motion ~0.3" neglected: about
0.02 deg over a decade-wide span centred on the reference. Good for density sampling, power
and dose statistics; not for pass timing or precise orbits.
"""

from __future__ import annotations

from typing import Any

import erfa
import numpy as np
from astropy.time import Time

from rossim.frames.earth import rotation_z

__all__ = ["gcrf_to_itrf_matrix_approx", "gcrf_to_itrf_approx"]


def gcrf_to_itrf_matrix_approx(t: Time, reference: Time | None = None) -> np.ndarray:
    """(N,3,3) approximate GCRF -> ITRF rotation matrices for UTC epochs ``t``."""
    t = Time(t, scale="utc") if not isinstance(t, Time) else t.utc
    t = t.reshape(-1) if t.ndim else t.reshape((1,))
    ref = (t[len(t) // 2] if reference is None else reference.utc).tt
    c2i = erfa.c2i06a(ref.jd1, ref.jd2)
    era = erfa.era00(t.jd1, t.jd2)  # UT1 ~ UTC
    return rotation_z(era) @ c2i


def gcrf_to_itrf_approx(r_gcrf: Any, t: Time, reference: Time | None = None) -> np.ndarray:
    """(N,3) ITRF vectors from (N,3) GCRF vectors with the same rotation as
    :func:`gcrf_to_itrf_matrix_approx`, without building one matrix per epoch."""
    t = Time(t, scale="utc") if not isinstance(t, Time) else t.utc
    t = t.reshape(-1) if t.ndim else t.reshape((1,))
    ref = (t[len(t) // 2] if reference is None else reference.utc).tt
    r_cirs = np.asarray(r_gcrf, dtype=float).reshape(-1, 3) @ erfa.c2i06a(ref.jd1, ref.jd2).T
    era = erfa.era00(t.jd1, t.jd2)  # UT1 ~ UTC
    c, s = np.cos(era), np.sin(era)
    return np.column_stack([c * r_cirs[:, 0] + s * r_cirs[:, 1],
                            -s * r_cirs[:, 0] + c * r_cirs[:, 1], r_cirs[:, 2]])


def rotate(mat: np.ndarray, vec: Any) -> np.ndarray:
    """Apply (N,3,3) matrices to (N,3) vectors."""
    return np.einsum("nij,nj->ni", mat, np.asarray(vec, dtype=float))
