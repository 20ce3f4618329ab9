"""Solar particle events (SPE): a published event fluence spectrum, spread over the event.

The reference event is the August 1972 event as fitted by King (1974), J. Spacecraft Rockets
11, 401: integral proton fluence at 1 AU ``F(>E) = 7.9e9 exp((30 - E)/26.5)`` cm^-2 (E in MeV),
the classic design event (Townsend et al., Adv. Space Res. 1994). rossim spreads the fluence
uniformly over ``duration_days`` and scales it by ``scale``. In orbit only protons above the
local cut-off rigidity arrive (see :mod:`rossim.environment.radiation.gcr`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from rossim.errors import InputError

__all__ = ["SolarParticleEvent", "king1972_fluence", "proton_cutoff_energy_mev"]

_TR_MEV = 938.272


def king1972_fluence(energy_mev) -> np.ndarray:
    """Integral proton fluence above ``energy_mev`` (cm^-2), King (1974) August 1972 fit."""
    e = np.asarray(energy_mev, float)
    return 7.9e9 * np.exp((30.0 - e) / 26.5)


def proton_cutoff_energy_mev(rigidity_gv) -> np.ndarray:
    """Kinetic energy (MeV) of a proton of rigidity ``rigidity_gv`` (GV)."""
    p = 1000.0 * np.asarray(rigidity_gv, float)
    return np.sqrt(p * p + _TR_MEV ** 2) - _TR_MEV


@dataclass(frozen=True)
class SolarParticleEvent:
    """An SPE starting at ``start`` (UTC), King-1972 spectrum times ``scale``."""

    start: Any
    duration_days: float = 2.0
    scale: float = 1.0

    def __post_init__(self) -> None:
        if not float(self.duration_days) > 0:
            raise InputError("argument", "spe.duration_days", self.duration_days, "> 0 days")
        if not float(self.scale) >= 0:
            raise InputError("argument", "spe.scale", self.scale, ">= 0")

    def integral_flux(self, t: Any, energies_mev) -> np.ndarray:
        """Integral flux above each energy (cm^-2 s^-1) at epochs ``t``: shape ``(N, nE)``."""
        from rossim.time import to_time

        tt = to_time(t).reshape(-1)
        t0 = to_time(self.start)
        dt_days = np.asarray((tt - t0).to_value("day"), float)
        active = (dt_days >= 0) & (dt_days < float(self.duration_days))
        rate = float(self.scale) * king1972_fluence(energies_mev) \
            / (float(self.duration_days) * 86400.0)
        return active[:, None] * rate[None, :]
