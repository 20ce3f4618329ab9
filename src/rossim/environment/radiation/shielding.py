"""Charged particles through aluminium shielding to absorbed dose in tissue (water).

Method (the "centre of a solid aluminium sphere" geometry of SHIELDOSE, Seltzer 1980, NBS
Technical Note 1116, without its Monte Carlo electron tables): every particle of an isotropic,
omnidirectional flux crosses the same areal density ``t`` (g/cm^2) of aluminium to reach the
dose point, losing energy continuously (CSDA). A proton of energy ``E`` arrives with ``E'`` where
``R_Al(E') = R_Al(E) - t``; the absorbed dose rate in a small water volume is the flux of arriving
particles times the mass stopping power of water at ``E'``
(``D = sum phi(E') S_w(E')``, 1 MeV/g = 1.602e-10 Gy). Nuclear interactions are neglected: they
remove about ``t/100`` of the primaries (inelastic mean free path ~100 g/cm^2 in Al) and add
secondaries that partly replace them; this is the usual first-order dose-depth treatment and is
stated as a limitation in docs/dose.md.

Data used (cited, tabulated here):

* Proton total mass stopping powers of liquid water and aluminium, NIST PSTAR (M.J. Berger,
  J.S. Coursey, M.A. Zucker, J. Chang, "ESTAR, PSTAR and ASTAR", NIST Standard Reference Database
  124; ICRU Report 49, 1993), 0.1 MeV - 10 GeV. CSDA ranges are their integral.
* Electron practical range in aluminium: Katz & Penfold, Rev. Mod. Phys. 24 (1952) 28:
  ``R = 0.412 E^(1.265 - 0.0954 ln E)`` g/cm^2 for E <= 2.5 MeV, ``0.530 E - 0.106`` above.
* Electron collision stopping power of water, NIST ESTAR (same database), 0.1-10 MeV.
* Bremsstrahlung yield of electrons stopping in a material of atomic number Z,
  ``Y = 6e-4 Z E / (1 + 6e-4 Z E)`` (Evans, *The Atomic Nucleus*, 1955, ch. 21); photons taken
  as emitted half inwards and attenuated with mu/rho = 0.06 cm^2/g in Al, dose via water
  mu_en/rho = 0.030 cm^2/g (NIST XCOM / Hubbell & Seltzer, about 0.3-1 MeV).
* Quality factor Q(L) of ICRP Publication 60 (1991), L = unrestricted LET in water (keV/um).

Units: energy MeV, areal density g/cm^2, flux cm^-2 s^-1, dose rate Gy/s unless named otherwise.
"""

from __future__ import annotations

import functools

import numpy as np

from rossim.errors import InputError

__all__ = [
    "MEV_PER_G_TO_GY",
    "proton_stopping_power",
    "proton_range_g_cm2",
    "proton_energy_from_range",
    "electron_range_al_g_cm2",
    "electron_energy_from_range_al",
    "electron_stopping_power_water",
    "quality_factor_icrp60",
    "proton_dose_kernel",
    "electron_dose_kernel",
]

MEV_PER_G_TO_GY = 1.602176634e-13 / 1e-3  # 1 MeV/g in J/kg

# NIST PSTAR total stopping power (MeV cm^2/g): energy, liquid water, aluminium.
_PSTAR = np.array([
    [0.1, 816.1, 447.7], [0.15, 737.1, 405.1], [0.2, 661.3, 371.5], [0.3, 550.4, 321.8],
    [0.4, 471.9, 284.4], [0.5, 413.2, 255.0], [0.6, 368.0, 231.6], [0.8, 303.9, 196.8],
    [1.0, 260.8, 172.0], [1.5, 195.7, 132.8], [2.0, 158.6, 109.5], [3.0, 117.2, 82.50],
    [4.0, 94.04, 67.07], [5.0, 79.11, 56.95], [6.0, 68.58, 49.73], [8.0, 54.60, 40.04],
    [10.0, 45.67, 33.76], [15.0, 32.92, 24.66], [20.0, 26.07, 19.69], [25.0, 21.75, 16.52],
    [30.0, 18.76, 14.31], [40.0, 14.88, 11.42], [50.0, 12.45, 9.594], [60.0, 10.78, 8.334],
    [70.0, 9.559, 7.408], [80.0, 8.625, 6.698], [90.0, 7.888, 6.135], [100.0, 7.289, 5.678],
    [125.0, 6.192, 4.837], [150.0, 5.445, 4.262], [175.0, 4.903, 3.844], [200.0, 4.492, 3.526],
    [250.0, 3.911, 3.076], [300.0, 3.520, 2.773], [350.0, 3.241, 2.555], [400.0, 3.032, 2.393],
    [500.0, 2.743, 2.167], [600.0, 2.556, 2.020], [700.0, 2.426, 1.918], [800.0, 2.333, 1.845],
    [1000.0, 2.211, 1.750], [1500.0, 2.070, 1.647], [2000.0, 2.021, 1.618],
    [3000.0, 2.001, 1.619], [5000.0, 2.031, 1.668], [10000.0, 2.126, 1.768],
])
# NIST ESTAR collision stopping power of liquid water (MeV cm^2/g).
_ESTAR_WATER = np.array([
    [0.1, 4.115], [0.2, 2.793], [0.3, 2.355], [0.5, 2.034], [0.7, 1.917], [1.0, 1.849],
    [1.5, 1.822], [2.0, 1.824], [3.0, 1.846], [4.0, 1.870], [5.0, 1.892], [7.0, 1.928],
    [10.0, 1.968],
])
_MATERIALS = {"water": 1, "aluminium": 2, "aluminum": 2}
_AL_Z = 13.0
_BREMS_MU_AL = 0.06  # cm^2/g
_MU_EN_WATER = 0.030  # cm^2/g


def _column(material: str) -> int:
    try:
        return _MATERIALS[material]
    except KeyError:
        raise InputError("argument", "material", material, '"water" or "aluminium"') from None


def proton_stopping_power(energy_mev, material: str = "water") -> np.ndarray:
    """Proton total mass stopping power (MeV cm^2/g), log-log interpolation of NIST PSTAR."""
    col = _column(material)
    e = np.clip(np.asarray(energy_mev, float), _PSTAR[0, 0], _PSTAR[-1, 0])
    return np.exp(np.interp(np.log(e), np.log(_PSTAR[:, 0]), np.log(_PSTAR[:, col])))


@functools.lru_cache(maxsize=4)
def _range_table(col: int) -> tuple[np.ndarray, np.ndarray]:
    e = np.geomspace(_PSTAR[0, 0], _PSTAR[-1, 0], 2000)
    inv_s = 1.0 / np.exp(np.interp(np.log(e), np.log(_PSTAR[:, 0]), np.log(_PSTAR[:, col])))
    # Below 0.1 MeV the stopping power falls roughly as sqrt(E): range(0.1 MeV) ~ 2 E / S.
    r0 = 2.0 * e[0] * inv_s[0]
    rng = r0 + np.concatenate([[0.0], np.cumsum(0.5 * (inv_s[1:] + inv_s[:-1]) * np.diff(e))])
    return e, rng


def proton_range_g_cm2(energy_mev, material: str = "aluminium") -> np.ndarray:
    """Proton CSDA range (g/cm^2): the integral of 1/S over PSTAR stopping powers."""
    e_tab, r_tab = _range_table(_column(material))
    e = np.clip(np.asarray(energy_mev, float), e_tab[0], e_tab[-1])
    return np.exp(np.interp(np.log(e), np.log(e_tab), np.log(r_tab)))


def proton_energy_from_range(range_g_cm2, material: str = "aluminium") -> np.ndarray:
    """Inverse of :func:`proton_range_g_cm2` (MeV); 0 where the range is <= 0."""
    e_tab, r_tab = _range_table(_column(material))
    r = np.asarray(range_g_cm2, float)
    out = np.exp(np.interp(np.log(np.maximum(r, r_tab[0])), np.log(r_tab), np.log(e_tab)))
    return np.where(r <= 0.0, 0.0, out)


def electron_range_al_g_cm2(energy_mev) -> np.ndarray:
    """Electron practical range in aluminium (g/cm^2), Katz & Penfold (1952)."""
    e = np.maximum(np.asarray(energy_mev, float), 1e-3)
    low = 0.412 * e ** (1.265 - 0.0954 * np.log(e))
    high = 0.530 * e - 0.106
    return np.where(e <= 2.5, low, high)


def electron_energy_from_range_al(range_g_cm2) -> np.ndarray:
    """Inverse of :func:`electron_range_al_g_cm2` (MeV); 0 where the range is <= 0."""
    e_tab = np.geomspace(1e-3, 20.0, 800)
    r_tab = electron_range_al_g_cm2(e_tab)
    r = np.asarray(range_g_cm2, float)
    out = np.interp(r, r_tab, e_tab)
    return np.where(r <= 0.0, 0.0, out)


def electron_stopping_power_water(energy_mev) -> np.ndarray:
    """Electron collision mass stopping power of water (MeV cm^2/g), NIST ESTAR."""
    e = np.clip(np.asarray(energy_mev, float), _ESTAR_WATER[0, 0], _ESTAR_WATER[-1, 0])
    return np.exp(np.interp(np.log(e), np.log(_ESTAR_WATER[:, 0]), np.log(_ESTAR_WATER[:, 1])))


def quality_factor_icrp60(let_kev_um) -> np.ndarray:
    """ICRP 60 quality factor Q(L) for unrestricted LET in water ``L`` (keV/um)."""
    let = np.asarray(let_kev_um, float)
    return np.where(let < 10.0, 1.0,
                    np.where(let <= 100.0, 0.32 * let - 2.2, 300.0 / np.sqrt(np.maximum(let, 1.0))))


#: Thickest aluminium shield the model answers for (g/cm^2). AP-8's last energy is 400 MeV, whose
#: CSDA range in aluminium is 105 g/cm^2: behind more, every trapped proton would come from the
#: flux assumed above the table's end; and nuclear interactions, neglected here, remove about
#: ``t/100`` of the primaries, so beyond ~100 g/cm^2 most of the dose would be secondaries the model
#: does not have. Thicker shields are refused (:func:`check_shielding`).
MAX_SHIELDING_G_CM2 = 100.0
SHIELDING_RANGE = (f"an aluminium areal density between 0 and {MAX_SHIELDING_G_CM2:g} g/cm^2 "
                   "(the dose model's range: AP-8 ends at 400 MeV, range 105 g/cm^2 in Al; "
                   "nuclear interactions are not modelled)")


def check_shielding(shielding_g_cm2: float, field: str = "shielding_g_cm2",
                    where: str = "argument") -> float:
    """The areal density as a float, or :class:`InputError` naming ``field`` outside
    0-:data:`MAX_SHIELDING_G_CM2` g/cm^2 (or not a finite number)."""
    try:
        t = float(shielding_g_cm2)
    except (TypeError, ValueError):
        raise InputError(where, field, shielding_g_cm2, SHIELDING_RANGE) from None
    if not np.isfinite(t) or not 0.0 <= t <= MAX_SHIELDING_G_CM2:
        raise InputError(where, field, shielding_g_cm2, SHIELDING_RANGE)
    return t


def _check_t(shielding_g_cm2: float) -> float:
    return check_shielding(shielding_g_cm2)


def _bins(energies: np.ndarray, top_factor: float, n: int = 1024) -> list[np.ndarray]:
    """Log-uniform midpoint energies inside each integral-flux bin [E_i, E_i+1) (last: x top).

    Midpoints of a fine grid: the stopping power of a proton at the end of its range (Bragg
    peak) is large but integrable, and a grid point exactly at the range threshold would
    over-weight it.
    """
    edges = np.append(energies, energies[-1] * top_factor)
    out = []
    for i in range(energies.size):
        g = np.linspace(np.log(edges[i]), np.log(edges[i + 1]), n + 1)
        out.append(np.exp(0.5 * (g[1:] + g[:-1])))
    return out


@functools.lru_cache(maxsize=1)
def _residual_range_integrals() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cumulative integrals over the residual range ``r`` in Al (g/cm^2) of the water stopping
    power ``S_w(E'(r))`` and of ``S_w Q``: ``(r, int_0^r S_w dr, int_0^r S_w Q dr)``.

    Near the end of its range a proton's ``S_w`` grows as about ``r^-0.45`` and ``S_w Q`` as
    ``r^-0.9``: integrable, but a point sample that happens to fall a hair short of the range
    weighs a whole grid cell with the Bragg peak (the dose equivalent behind 50 g/cm^2 came out
    60 % above that behind 30). Cell averages from these integrals are exact whatever the grid.
    """
    e_tab, r_tab = _range_table(_MATERIALS["aluminium"])
    r = np.concatenate([[0.0], np.geomspace(r_tab[0] * 1e-3, r_tab[-1], 20000)])
    e = proton_energy_from_range(np.maximum(r, r_tab[0]), "aluminium")
    s = proton_stopping_power(e, "water")
    q = quality_factor_icrp60(0.1 * s)  # MeV cm^2/g in water = 0.1 keV/um
    dr = np.diff(r)
    cum_s = np.concatenate([[0.0], np.cumsum(0.5 * (s[1:] + s[:-1]) * dr)])
    sq = s * q
    cum_sq = np.concatenate([[0.0], np.cumsum(0.5 * (sq[1:] + sq[:-1]) * dr)])
    return r, cum_s, cum_sq


@functools.lru_cache(maxsize=64)
def _proton_kernel(energies: tuple[float, ...], shielding_g_cm2: float
                   ) -> tuple[np.ndarray, np.ndarray]:
    e_tab = np.asarray(energies, float)
    dose = np.zeros(e_tab.size)
    dose_eq = np.zeros(e_tab.size)
    r_grid, cum_s, cum_sq = _residual_range_integrals()
    edges = np.append(e_tab, e_tab[-1] * 1.25)
    for i in range(e_tab.size):
        # Log-uniform spectrum in the bin: 1024 cells equal in log E, each averaged exactly
        # over the residual range it spans (dE/dr is nearly constant within a cell).
        g = np.exp(np.linspace(np.log(edges[i]), np.log(edges[i + 1]), 1025))
        r_left = np.maximum(proton_range_g_cm2(g, "aluminium") - shielding_g_cm2, 0.0)
        width = np.diff(proton_range_g_cm2(g, "aluminium"))
        mean_s = np.diff(np.interp(r_left, r_grid, cum_s)) / width
        mean_sq = np.diff(np.interp(r_left, r_grid, cum_sq)) / width
        dose[i] = mean_s.mean() * MEV_PER_G_TO_GY
        dose_eq[i] = mean_sq.mean() * MEV_PER_G_TO_GY
    return dose, dose_eq


def _bin_weights(energies: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Turn per-bin dose per particle into weights on the integral fluxes J(>E_i).

    Particles in bin i number ``J_i - J_{i+1}``; so dose = sum_i J_i (k_i - k_{i-1}).
    """
    w = kernel.copy()
    w[1:] -= kernel[:-1]
    return w


def proton_dose_kernel(energies_mev, shielding_g_cm2: float) -> tuple[np.ndarray, np.ndarray]:
    """Weights ``(w_D, w_H)`` turning AP-8 integral fluxes into dose rates behind the shield.

    For integral fluxes ``J`` (cm^-2 s^-1) above ``energies_mev`` (ascending), shape
    ``(..., n)``: absorbed dose rate in water ``J @ w_D`` (Gy/s) and dose-equivalent rate
    ``J @ w_H`` (Sv/s, ICRP 60 Q(L) of the primaries' LET). Within each bin the spectrum is
    taken as log-uniform; flux above the last energy is spread over ``[E_n, 1.25 E_n]``.
    Linear in ``J``, so it commutes with averaging along a track.
    """
    t = _check_t(shielding_g_cm2)
    e = tuple(float(x) for x in np.asarray(energies_mev, float))
    kd, kh = _proton_kernel(e, t)
    return _bin_weights(np.asarray(e), kd), _bin_weights(np.asarray(e), kh)


@functools.lru_cache(maxsize=64)
def _electron_kernel(energies: tuple[float, ...], shielding_g_cm2: float) -> np.ndarray:
    e_tab = np.asarray(energies, float)
    dose = np.zeros(e_tab.size)
    for i, e in enumerate(_bins(e_tab, 1.25)):
        r_left = electron_range_al_g_cm2(e) - shielding_g_cm2
        e_out = electron_energy_from_range_al(r_left)
        s = np.where(r_left > 0.0, electron_stopping_power_water(np.maximum(e_out, 0.1)), 0.0)
        # Bremsstrahlung made while slowing in the shield, half emitted inwards.
        e_lost = e - e_out
        y = 6e-4 * _AL_Z * e_lost / (1.0 + 6e-4 * _AL_Z * e_lost)
        brems = 0.5 * y * e_lost * np.exp(-_BREMS_MU_AL * shielding_g_cm2) * _MU_EN_WATER
        dose[i] = (s + brems).mean() * MEV_PER_G_TO_GY
    return dose


def electron_dose_kernel(energies_mev, shielding_g_cm2: float) -> np.ndarray:
    """Weights ``w_D`` turning AE-8 integral fluxes into absorbed dose rate (Gy/s) behind ``t``.

    Transmitted electrons (Katz-Penfold range, energy loss by range) deposit with the ESTAR
    water collision stopping power; plus a bremsstrahlung estimate. Q = 1 for electrons, so the
    dose-equivalent weights are the same.
    """
    t = _check_t(shielding_g_cm2)
    e = tuple(float(x) for x in np.asarray(energies_mev, float))
    return _bin_weights(np.asarray(e), _electron_kernel(e, t))
