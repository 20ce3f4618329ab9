"""Galactic cosmic rays (GCR) in low Earth orbit: solar modulation, geomagnetic cut-off, shadow.

Model (each piece published; the combination is rossim's, described in docs/dose.md):

* **Spectrum.** Local interstellar proton spectrum of Burger et al. (2000) in the form of
  Usoskin et al. (2005, JGR 110, A12108): ``J_LIS(T) = 1.9e4 P^-2.78 / (1 + 0.4866 P^-2.51)``
  (m^-2 s^-1 sr^-1 GeV^-1, ``P = sqrt(T (T + 2 T_r))`` GV, ``T`` GeV). Heavier nuclei are one
  A/Z = 2 component with the same per-nucleon shape, weighted 1.1 relative to protons for dose
  (sum of Z^2 x abundance at equal energy per nucleon, He ~0.4 and Z > 2 ~0.7, from the GCR
  abundances of Simpson 1983, Annu. Rev. Nucl. Part. Sci. 33, 323).
* **Solar modulation.** Force-field approximation (Gleeson & Axford 1968, ApJ 154, 1011) with
  modulation potential ``phi`` (MV); ``Phi = (Z/A) phi`` per nucleon.
* **Free-space dose anchor.** The absorbed dose rate behind spacecraft shielding in
  interplanetary space measured by MSL/RAD in cruise, Dec 2011 - Jul 2012: 0.481 mGy/d, dose
  equivalent 1.84 mSv/d, mean quality factor 3.82 (Zeitlin et al. 2013, Science 340, 1080), at
  :data:`PHI_REF_MV` = 600 MV (force-field potential for 2012 in the series of Usoskin et al.
  2011, JGR 116, A02104). The spectrum model only scales this anchor with ``phi`` and cut-off.
* **Geomagnetic cut-off.** Vertical Stormer cut-off rigidity in terms of McIlwain's L,
  ``Rc = 14.9 / L^2`` GV (Smart & Shea 2005, Adv. Space Res. 36, 2012: ``14.9 cos^4(lambda)/r^2``
  and ``cos^2(lambda) = r / L`` on a dipole field line); L from the IGRF through radbelt, so the
  South Atlantic Anomaly's weaker field lowers the cut-off there. Particles with rigidity above
  ``Rc`` reach the station; penumbra and the east-west effect are ignored.
* **Earth shadow.** The solid angle of the Earth plus 40 km of atmosphere is blocked:
  transmitted fraction ``(1 + cos theta)/2`` with ``sin theta = (R_E + 40 km)/(R_E + h)``.
* **Shielding.** Protons slowed through the aluminium shield (CSDA, see shielding.py). The
  anchor is applied behind a fixed :data:`ANCHOR_SHIELDING_G_CM2` (20 g/cm^2, rossim's choice:
  MSL/RAD's own shielding was a broad distribution that is not modelled), so that a thicker
  shield can only lower the dose of the spectrum that reaches the station. (Normalising by the
  free-space dose behind the *same* shield, as rossim did before, made the LEO/free-space ratio
  and so the LEO dose grow without bound with the shield: 0.076 mGy/d behind 0, 0.31 behind
  1e5 g/cm^2.) Fragmentation and secondaries are not modelled, so the absorbed GCR dose in low
  orbit is nearly flat with shielding (+3 % to -16 % over 0-100 g/cm^2 at cut-offs of 0.9-10
  GV: the cut-off leaves particles of GeV energies, which a CSDA shield hardly slows).
* **phi from solar activity.** ``phi = 300 + 6 (F - 70)`` MV, clipped to 250-1300 MV, with ``F``
  the mean F10.7 (sfu) over the 12 months before the date (GCR lag solar activity by months),
  taken per UTC day (:func:`modulation_potential_daily_mv`).
  This is a two-point line through the Usoskin et al. (2011) series: 2009 (F ~ 70, phi ~ 300 MV)
  and 2012 (F ~ 120, phi ~ 600 MV); an rossim approximation, flagged as such.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from rossim.constants import R_MEAN_KM
from rossim.environment.radiation.shielding import (
    check_shielding,
    proton_energy_from_range,
    proton_range_g_cm2,
    proton_stopping_power,
)
from rossim.errors import InputError

__all__ = [
    "PHI_REF_MV",
    "ANCHOR_SHIELDING_G_CM2",
    "FREE_SPACE_DOSE_REF_MGY_PER_DAY",
    "FREE_SPACE_DOSE_EQ_REF_MSV_PER_DAY",
    "GCR_QUALITY_FACTOR",
    "cutoff_rigidity_gv",
    "earth_shadow_factor",
    "modulation_potential_mv",
    "modulation_potential_daily_mv",
    "gcr_dose_rate_mgy_per_day",
]

PHI_REF_MV = 600.0
#: Aluminium areal density (g/cm^2) behind which the free-space anchor is applied.
ANCHOR_SHIELDING_G_CM2 = 20.0
FREE_SPACE_DOSE_REF_MGY_PER_DAY = 0.481
FREE_SPACE_DOSE_EQ_REF_MSV_PER_DAY = 1.84
GCR_QUALITY_FACTOR = FREE_SPACE_DOSE_EQ_REF_MSV_PER_DAY / FREE_SPACE_DOSE_REF_MGY_PER_DAY
_HEAVY_WEIGHT = 1.1
_TR_GEV = 0.938272
_R_EARTH_KM = R_MEAN_KM  # mean Earth radius (rossim.constants)
_SHADOW_ATM_KM = 40.0


def cutoff_rigidity_gv(lvalue) -> np.ndarray:
    """Vertical Stormer cut-off rigidity (GV) from McIlwain L (Earth radii): 14.9 / L^2."""
    lval = np.asarray(lvalue, float)
    return 14.9 / np.maximum(lval, 1.0) ** 2


def earth_shadow_factor(alt_km) -> np.ndarray:
    """Fraction of the isotropic sky not hidden by the Earth (and 40 km of air) at ``alt_km``."""
    s = (_R_EARTH_KM + _SHADOW_ATM_KM) / (_R_EARTH_KM + np.maximum(np.asarray(alt_km, float),
                                                                   _SHADOW_ATM_KM))
    return 0.5 * (1.0 + np.sqrt(1.0 - np.minimum(s, 1.0) ** 2))


def _lis(t_gev: np.ndarray) -> np.ndarray:
    p = np.sqrt(t_gev * (t_gev + 2.0 * _TR_GEV))
    return 1.9e4 * p ** -2.78 / (1.0 + 0.4866 * p ** -2.51)


def _force_field(t_gev: np.ndarray, phi_gv_per_nucleon: float) -> np.ndarray:
    tp = t_gev + phi_gv_per_nucleon
    return _lis(tp) * t_gev * (t_gev + 2 * _TR_GEV) / (tp * (tp + 2 * _TR_GEV))


@functools.lru_cache(maxsize=2048)
def _dose_vs_cutoff(phi_mv: float, shielding_g_cm2: float) -> tuple[np.ndarray, np.ndarray]:
    """Relative GCR dose kernel as a function of cut-off rigidity (grid 0-20 GV)."""
    t_mev = np.geomspace(5.0, 2e5, 600)
    t_gev = t_mev / 1000.0
    d_t = np.gradient(t_gev)
    r_left = proton_range_g_cm2(np.minimum(t_mev, 1e4), "aluminium") - shielding_g_cm2
    r_left = np.where(t_mev > 1e4, 1.0, r_left)  # above 10 GeV the shield barely matters
    e_out = np.where(t_mev > 1e4, t_mev, proton_energy_from_range(r_left, "aluminium"))
    s = np.where(r_left > 0, proton_stopping_power(np.maximum(e_out, 0.1), "water"), 0.0)
    p_proton = np.sqrt(t_gev * (t_gev + 2 * _TR_GEV))
    rc = np.linspace(0.0, 20.0, 401)
    phi = phi_mv / 1000.0
    dp = _force_field(t_gev, phi) * s * d_t
    dh = _HEAVY_WEIGHT * _force_field(t_gev, phi / 2.0) * s * d_t
    kern = ((p_proton[None, :] > rc[:, None]) * dp[None, :]).sum(axis=1) \
        + ((2.0 * p_proton[None, :] > rc[:, None]) * dh[None, :]).sum(axis=1)
    return rc, kern


def _check_phi(phi_mv: float) -> float:
    phi = float(phi_mv)
    if not np.isfinite(phi) or not 100.0 <= phi <= 2000.0:
        raise InputError("argument", "phi", phi_mv, "a solar modulation potential 100-2000 MV")
    return phi


def gcr_dose_rate_mgy_per_day(lvalue, alt_km, phi_mv, shielding_g_cm2: float, *,
                              phi_index=None) -> np.ndarray:
    """GCR absorbed dose rate in water (mGy/day) at points given by McIlwain L and altitude.

    ``phi_mv``: one modulation potential (MV), or one per point (each point's day's, as
    :func:`modulation_potential_daily_mv` gives them), or with ``phi_index`` a few potentials
    and for each point the index of its own (each day's, and each point's day).
    ``shielding_g_cm2`` outside 0-100 g/cm^2 raises :class:`InputError` (the model's range).

    Multiply by :data:`GCR_QUALITY_FACTOR` for dose equivalent (mSv/day).
    """
    t = check_shielding(shielding_g_cm2)
    _, kern_ref = _dose_vs_cutoff(PHI_REF_MV, ANCHOR_SHIELDING_G_CM2)
    rc = cutoff_rigidity_gv(lvalue)
    phis, row = np.unique(np.round(np.asarray(phi_mv, float), 1), return_inverse=True)
    if phis.size == 1:
        rc_grid, kern = _dose_vs_cutoff(round(_check_phi(np.max(phi_mv)), 1), round(t, 3))
        rel = np.interp(rc, rc_grid, kern) / kern_ref[0]
    else:  # one kernel per distinct potential, interpolated linearly in the cut-off
        if phi_index is not None:
            row = row.reshape(-1)[np.asarray(phi_index)]
        kerns = np.stack([_dose_vs_cutoff(float(_check_phi(p)), round(t, 3))[1] for p in phis])
        rc_grid = _dose_vs_cutoff(float(phis[0]), round(t, 3))[0]
        x = np.interp(rc, rc_grid, np.arange(rc_grid.size, dtype=float))
        i = np.minimum(x.astype(np.int64), rc_grid.size - 2)
        f = x - i
        row = row.reshape(np.shape(rc))
        rel = (kerns[row, i] * (1.0 - f) + kerns[row, i + 1] * f) / kern_ref[0]
    return FREE_SPACE_DOSE_REF_MGY_PER_DAY * rel * earth_shadow_factor(alt_km)


def modulation_potential_daily_mv(t: Any, weather: Any = None) -> np.ndarray:
    """Force-field potential (MV) of each epoch's UTC day, shape ``(N,)``: from the mean F10.7
    (81-day means) sampled every 30.4 days over the 12 months before the day (its noon).

    ``weather`` is anything with ``f107a(t)`` (default :class:`rossim.environment.spaceweather.
    SpaceWeather`, offline). A function of the day alone (:mod:`rossim.environment.radiation.
    daily`): every track through a day gets that day's potential.
    """
    from astropy.time import TimeDelta

    from rossim.environment.radiation.daily import utc_days

    if weather is None:
        from rossim.environment.spaceweather import SpaceWeather

        weather = _default_weather()
        if not isinstance(weather, SpaceWeather):  # pragma: no cover
            raise RuntimeError("space weather unavailable")
    noons, index = utc_days(t)
    back = np.arange(0, 365, 30.4)
    samples = noons[:, None] - TimeDelta(back[None, :], format="jd")
    f = np.asarray(weather.f107a(samples.reshape(-1)), float).reshape(len(noons), back.size)
    phi = np.clip(300.0 + 6.0 * (f.mean(axis=1) - 70.0), 250.0, 1300.0)
    return phi[index]


def modulation_potential_mv(t: Any, weather: Any = None) -> float:
    """Force-field potential (MV) for the date(s) ``t``: the potential of the UTC day
    (:func:`modulation_potential_daily_mv`), for an array of epochs its mean over them."""
    return float(np.mean(modulation_potential_daily_mv(t, weather)))


def _default_weather():
    """The process's one :func:`rossim.environment.spaceweather.default_weather` (the file is
    read once per process, whoever asks first)."""
    from rossim.environment.spaceweather import default_weather

    return default_weather()
