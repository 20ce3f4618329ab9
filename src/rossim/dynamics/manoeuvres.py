"""Impulsive manoeuvres: a velocity change at an epoch, given in LVLH, VNC or GCRF.

The propagator stops exactly at each manoeuvre epoch, rotates the delta-v from the local frame
of the pre-burn state into GCRF (:mod:`rossim.frames.local`) and restarts from the new state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from rossim.errors import InputError
from rossim.frames.local import local_to_inertial

__all__ = ["ImpulsiveManoeuvre", "apply_delta_v"]

FRAMES = ("lvlh", "vnc", "gcrf")


@dataclass(frozen=True)
class ImpulsiveManoeuvre:
    """A delta-v ``dv_m_s`` (3 components, m/s) applied at ``epoch`` in ``frame``.

    ``frame``: ``"lvlh"`` (x along-track, y -orbit normal, z nadir), ``"vnc"`` (velocity,
    normal, co-normal) or ``"gcrf"``. Example: a 0.5 m/s prograde reboost is
    ``ImpulsiveManoeuvre("2026-03-01T12:00:00", (0.5, 0, 0), "vnc")``.
    """

    epoch: Any
    dv_m_s: tuple[float, float, float]
    frame: str = "lvlh"

    def __post_init__(self) -> None:
        from rossim.time import to_time

        object.__setattr__(self, "epoch", to_time(self.epoch))
        dv = np.asarray(self.dv_m_s, dtype=float).reshape(-1)
        if dv.shape != (3,) or not np.all(np.isfinite(dv)):
            raise InputError("argument", "dv_m_s", self.dv_m_s, "three finite numbers (m/s)")
        object.__setattr__(self, "dv_m_s", tuple(float(x) for x in dv))
        frame = str(self.frame).lower()
        if frame not in FRAMES:
            raise InputError("argument", "frame", self.frame, "lvlh, vnc or gcrf")
        object.__setattr__(self, "frame", frame)


def apply_delta_v(r_m: np.ndarray, v_m_s: np.ndarray, dv_m_s, frame: str) -> np.ndarray:
    """Post-burn GCRF velocity (3,) for a pre-burn GCRF state and a delta-v in ``frame``."""
    dv = np.asarray(dv_m_s, dtype=float)
    if frame == "gcrf":
        return np.asarray(v_m_s, dtype=float) + dv
    return np.asarray(v_m_s, dtype=float) + local_to_inertial(dv, r_m, v_m_s, frame)[0]
