"""Where each part sits in the station body frame, and what it presents to the flow.

Station body frame: origin at the aft end of the first (root) module, +x along its axis
(forward), +z nadir when flown in the reference attitude, +y completing the right-handed set.
A part docked at a port is turned so that its docking port faces the parent port
(``R @ d_child = -d_parent``); of the four rolls that allows, the one that keeps the part's
own +z closest to the station's +z is taken (then its +x closest to station +x), which makes
the layout deterministic.
"""

from __future__ import annotations

import itertools
import math
from functools import cache

import numpy as np

DIRECTIONS: dict[str, np.ndarray] = {
    "+x": np.array([1.0, 0.0, 0.0]), "-x": np.array([-1.0, 0.0, 0.0]),
    "+y": np.array([0.0, 1.0, 0.0]), "-y": np.array([0.0, -1.0, 0.0]),
    "+z": np.array([0.0, 0.0, 1.0]), "-z": np.array([0.0, 0.0, -1.0]),
}

#: Fraction of an open truss's silhouette that is solid (estimate: lattice truss ~30 %).
TRUSS_FILL = 0.3
#: Orbit-averaged |cos| of a one-axis sun-tracking array seen along the velocity: 2/pi.
ARRAY_DRAG_FACTOR = 2.0 / math.pi
#: Mean silhouette of a flat array (both faces) over all directions, as a fraction of its
#: area: Cauchy's surface-area formula (a convex body's mean projected area is a quarter of
#: its surface; a plate's surface is both faces, 2A): 1/2. A tumbling station's arrays
#: (:func:`tumbling_area`).
TUMBLING_ARRAY_FACTOR = 0.5


@cache
def _rotations() -> tuple[np.ndarray, ...]:
    """The 24 proper rotations that map axes onto axes (signed permutation matrices)."""
    out = []
    for perm in itertools.permutations(range(3)):
        for signs in itertools.product((1.0, -1.0), repeat=3):
            m = np.zeros((3, 3))
            for row, (col, s) in enumerate(zip(perm, signs, strict=True)):
                m[row, col] = s
            if np.linalg.det(m) > 0:
                out.append(m)
    return tuple(out)


def mating_rotation(child_dir: np.ndarray, parent_dir_station: np.ndarray) -> np.ndarray:
    """Rotation (child frame -> station frame) that puts the child's port face-to-face with
    the parent's port: ``R @ child_dir == -parent_dir_station``."""
    key = (tuple(int(round(x)) for x in child_dir),
           tuple(int(round(x)) for x in parent_dir_station))
    return _mating_rotation(*key).copy()


@cache
def _mating_rotation(child_dir: tuple[int, ...], parent_dir: tuple[int, ...]) -> np.ndarray:
    want = -np.asarray(parent_dir, dtype=float)
    c = np.asarray(child_dir, dtype=float)
    best, best_key = None, None
    for r in _rotations():
        if not np.array_equal(r @ c, want):
            continue
        key = (r[2, 2], r[0, 0])  # child +z . station +z, then child +x . station +x
        if best_key is None or key > best_key:
            best, best_key = r, key
    assert best is not None  # axis-aligned directions always admit a rotation
    return best


def projected_area(shape: str, length_m: float, diameter_m: float, axis: np.ndarray,
                   flow: np.ndarray) -> float:
    """Silhouette area (m^2) of a body seen along unit vector ``flow`` (station frame)."""
    r = 0.5 * diameter_m
    if shape == "sphere":
        return math.pi * r * r
    c = abs(float(np.dot(axis, flow)))
    s = math.sqrt(max(0.0, 1.0 - c * c))
    area = math.pi * r * r * c + 2.0 * r * length_m * s
    if shape == "truss":
        area *= TRUSS_FILL
    return area


def tumbling_area(shape: str, length_m: float, diameter_m: float) -> float:
    """Mean silhouette area (m^2) of a body over all directions: what the flow sees of a part
    tumbling at random (a station in free drift, :mod:`rossim.ops.free_drift`). Cauchy's
    surface-area formula: a convex body's mean projected area is a quarter of its surface
    (cylinder: pi r^2 / 2 + pi r L / 2; sphere: pi r^2); a truss keeps its solid fraction
    (``TRUSS_FILL``). The mean of :func:`projected_area` over uniformly random axes
    (tests/station/test_tumbling_area.py)."""
    r = 0.5 * diameter_m
    if shape == "sphere":
        return math.pi * r * r
    area = 0.5 * math.pi * r * r + 0.5 * math.pi * r * length_m
    if shape == "truss":
        area *= TRUSS_FILL
    return area
