"""Impulsive manoeuvres: a velocity change at an epoch, given in LVLH, VNC or GCRF.

The propagator stops exactly at each manoeuvre epoch, rotates the delta-v from the local frame
of the pre-burn state into GCRF (:mod:`rossim.frames.local`) and restarts from the new state,
with the new mass when the manoeuvre changes it (drag and radiation pressure divide by it).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from rossim.errors import InputError
from rossim.frames.local import local_to_inertial

__all__ = ["ImpulsiveManoeuvre", "apply_delta_v"]

FRAMES = ("lvlh", "vnc", "rtn", "tnw", "gcrf")


@dataclass(frozen=True)
class ImpulsiveManoeuvre:
    """A delta-v ``dv_m_s`` (3 components, m/s) applied at ``epoch`` in ``frame``, with the
    spacecraft's mass change ``delta_mass_kg`` (kg, finite, 0 by default; a burn spends
    propellant: negative, as CCSDS OPM's ``MAN_DELTA_MASS``, which files must keep at zero or
    less; positive here only for a mass added, e.g. at a docking) taken at the same instant.

    ``frame``: ``"lvlh"`` (x along-track, y -orbit normal, z nadir), ``"vnc"`` (velocity,
    normal, co-normal), ``"rtn"`` (CCSDS RTN/RSW/RIC: radial, transverse, orbit normal),
    ``"tnw"`` (CCSDS TNW: along the velocity, in-plane normal, orbit normal) or ``"gcrf"``. Example: a 0.5 m/s prograde reboost is
    ``ImpulsiveManoeuvre("2026-03-01T12:00:00", (0.5, 0, 0), "vnc")``.
    """

    epoch: Any
    dv_m_s: tuple[float, float, float]
    frame: str = "lvlh"
    delta_mass_kg: float = 0.0

    def __post_init__(self) -> None:
        from rossim.time import to_time

        object.__setattr__(self, "epoch", to_time(self.epoch))
        dv = np.asarray(self.dv_m_s, dtype=float).reshape(-1)
        if dv.shape != (3,) or not np.all(np.isfinite(dv)):
            raise InputError("argument", "dv_m_s", self.dv_m_s, "three finite numbers (m/s)")
        object.__setattr__(self, "dv_m_s", tuple(float(x) for x in dv))
        frame = str(self.frame).lower()
        if frame not in FRAMES:
            raise InputError("argument", "frame", self.frame, "lvlh, vnc, rtn, tnw or gcrf")
        object.__setattr__(self, "frame", frame)
        dm = self.delta_mass_kg
        try:
            value = float(dm) if isinstance(dm, numbers.Real) and not isinstance(dm, bool) \
                else float("nan")
        except (TypeError, ValueError, OverflowError):
            value = float("nan")
        if not math.isfinite(value):
            raise InputError("argument", "delta_mass_kg", dm, "a finite mass change (kg)")
        object.__setattr__(self, "delta_mass_kg", value)


def apply_delta_v(r_m: np.ndarray, v_m_s: np.ndarray, dv_m_s, frame: str) -> np.ndarray:
    """Post-burn GCRF velocity (3,) for a pre-burn GCRF state and a delta-v in ``frame``."""
    dv = np.asarray(dv_m_s, dtype=float)
    if frame == "gcrf":
        return np.asarray(v_m_s, dtype=float) + dv
    if frame in ("rtn", "tnw"):
        r = np.asarray(r_m, dtype=float)
        v = np.asarray(v_m_s, dtype=float)
        w = np.cross(r, v)
        w /= np.linalg.norm(w)
        if frame == "rtn":  # CCSDS 502.0-B-3 Annex A: R = r/|r|, N = h/|h|, T = N x R
            x = r / np.linalg.norm(r)
            y = np.cross(w, x)
        else:  # TNW: T = v/|v|, W = h/|h|, N = W x T
            x = v / np.linalg.norm(v)
            y = np.cross(w, x)
        return v + dv[0] * x + dv[1] * y + dv[2] * w
    return np.asarray(v_m_s, dtype=float) + local_to_inertial(dv, r_m, v_m_s, frame)[0]
