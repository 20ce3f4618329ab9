"""Local orbital frames built from an inertial state (GCRF or any inertial frame).

Each function returns matrices ``(N, 3, 3)`` whose **rows are the local axes expressed in the
inertial frame**, so ``x_local = M @ x_inertial`` and ``x_inertial = M.T @ x_local``.

- LVLH (CCSDS/ISS convention, also Orekit's ``LOFType.LVLH_CCSDS``): X along-track completing
  the triad (``Y x Z``; equal to the velocity direction on a circular orbit), Y = -h/|h|
  (opposite the orbit normal), Z = -r/|r| (towards the Earth's centre, nadir).
- VNC: X = v/|v| (velocity), Y = h/|h| (orbit normal, "N"), Z = X x Y (co-normal, "C"),
  as Orekit's ``LOFType.VNC``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["lvlh_matrix", "local_to_inertial", "vnc_matrix"]


def _unit(a: np.ndarray) -> np.ndarray:
    return a / np.linalg.norm(a, axis=-1, keepdims=True)


def _states(r, v) -> tuple[np.ndarray, np.ndarray]:
    r = np.asarray(r, dtype=float).reshape(-1, 3)
    v = np.asarray(v, dtype=float).reshape(-1, 3)
    return np.broadcast_arrays(r, v)


def lvlh_matrix(r, v) -> np.ndarray:
    """LVLH axes (rows: along-track, -orbit normal, nadir) in the inertial frame, (N,3,3).

    ``r`` (m) and ``v`` (m/s) are inertial positions and velocities, shape (N,3) or (3,).
    """
    r, v = _states(r, v)
    z = -_unit(r)
    y = -_unit(np.cross(r, v))
    x = np.cross(y, z)
    return np.stack([x, y, z], axis=1)


def vnc_matrix(r, v) -> np.ndarray:
    """VNC axes (rows: velocity, orbit normal, co-normal) in the inertial frame, (N,3,3)."""
    r, v = _states(r, v)
    x = _unit(v)
    y = _unit(np.cross(r, v))
    z = np.cross(x, y)
    return np.stack([x, y, z], axis=1)


def local_to_inertial(vec_local, r, v, frame: str = "lvlh") -> np.ndarray:
    """Rotate vectors (N,3) given in ``frame`` ("lvlh" or "vnc") into the inertial frame."""
    from rossim.errors import InputError

    kind = str(frame).lower()
    if kind == "lvlh":
        m = lvlh_matrix(r, v)
    elif kind == "vnc":
        m = vnc_matrix(r, v)
    else:
        raise InputError("argument", "frame", frame, '"lvlh" or "vnc"')
    vec = np.asarray(vec_local, dtype=float).reshape(-1, 3)
    return np.einsum("nji,nj->ni", m, np.broadcast_to(vec, (m.shape[0], 3)))
