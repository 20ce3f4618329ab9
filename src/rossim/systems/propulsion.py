"""Propellant by the rocket equation."""

from __future__ import annotations

import numpy as np

from rossim.constants import G0_M_S2 as G0  # m/s^2, standard gravity

__all__ = ["G0", "propellant_for_dv", "dv_for_propellant"]


def propellant_for_dv(mass_kg, dv_m_s, isp_s):
    """Propellant (kg) that gives ``dv_m_s`` to a vehicle of initial mass ``mass_kg``:
    ``m (1 - exp(-dv / (g0 Isp)))`` (Tsiolkovsky)."""
    return np.asarray(mass_kg) * (1.0 - np.exp(-np.asarray(dv_m_s) / (G0 * np.asarray(isp_s))))


def dv_for_propellant(mass_kg, propellant_kg, isp_s):
    """Delta-v (m/s) from burning ``propellant_kg`` out of initial mass ``mass_kg``."""
    m0 = np.asarray(mass_kg, dtype=float)
    return G0 * np.asarray(isp_s) * np.log(m0 / (m0 - np.asarray(propellant_kg)))
