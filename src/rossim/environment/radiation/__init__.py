"""Radiation environment for crew dose: trapped belts, galactic cosmic rays, shielding.

* :mod:`~rossim.environment.radiation.trapped`: AE-8/AP-8 integral fluxes through ``radbelt``
  (direct calls, and a fast table + geomagnetic-grid interpolation for long tracks);
* :mod:`~rossim.environment.radiation.gcr`: solar-modulated GCR dose with geomagnetic cut-off
  rigidity and Earth shadow;
* :mod:`~rossim.environment.radiation.shielding`: proton/electron transport through aluminium
  (PSTAR/ESTAR, CSDA) to dose in water, ICRP 60 quality factor;
* :mod:`~rossim.environment.radiation.spe`: solar particle event fluence spectra;
* :mod:`~rossim.environment.radiation.daily`: the date rule (what depends on the date is the
  UTC day's: F10.7, hence AE-8/AP-8 MIN or MAX, and the field's secular state).

The dose along a trajectory (summing the sources) lives in :mod:`rossim.analysis.dose`.
"""

from rossim.environment.radiation.gcr import (
    GCR_QUALITY_FACTOR,
    cutoff_rigidity_gv,
    earth_shadow_factor,
    gcr_dose_rate_mgy_per_day,
    modulation_potential_mv,
)
from rossim.environment.radiation.shielding import (
    electron_dose_kernel,
    proton_dose_kernel,
    quality_factor_icrp60,
)
from rossim.environment.radiation.trapped import (
    TrappedFluxModel,
    flux_direct,
    load_trapped_table,
)

__all__ = [
    "GCR_QUALITY_FACTOR",
    "TrappedFluxModel",
    "cutoff_rigidity_gv",
    "earth_shadow_factor",
    "electron_dose_kernel",
    "flux_direct",
    "gcr_dose_rate_mgy_per_day",
    "load_trapped_table",
    "modulation_potential_mv",
    "proton_dose_kernel",
    "quality_factor_icrp60",
]
