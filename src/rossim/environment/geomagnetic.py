"""The geomagnetic dipole and its secular decay, from the IGRF coefficients shipped with radbelt.

The International Geomagnetic Reference Field (IGRF-13; Alken et al. 2021, Earth Planets Space
73, 49) comes with ``radbelt`` (PyPI, NASA Open Source Agreement 1.3) as the coefficient files
``dgrf1945.dat`` ... ``dgrf2015.dat``, ``igrf2020.dat`` and the 2020-2025 secular variation
``igrf2020s.dat``. Only the degree-1 (dipole) terms are used here:

``B0 = sqrt(g10^2 + g11^2 + h11^2)`` (nT, the dipole's equatorial field at the reference radius
R = 6371.2 km) and the dipole moment ``M = 4 pi R^3 B0 / mu0``.

Between model epochs the coefficients are interpolated linearly (IGRF's own convention); after
2020 the secular variation is applied, and past 2025 it is extrapolated at the same rate (the
IGRF has no coefficients beyond 2025: an rossim extrapolation, stated wherever it is used).

:func:`belt_lowering_km` is the altitude by which the trapped belts sink as the dipole weakens:
in a dipole the field at radius r is ``B ~ M / r^3``, so the shell of a given field strength
(along which AE-8/AP-8 are organised at low altitude) moves from ``r`` to
``r (M_date / M_epoch)^(1/3)``.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import numpy as np

from rossim.errors import InputError

__all__ = ["REFERENCE_RADIUS_KM", "dipole_b0_nt", "dipole_moment_am2", "belt_lowering_km",
           "shell_shift_fraction"]

#: IGRF reference radius (km).
REFERENCE_RADIUS_KM = 6371.2
_MU0_OVER_4PI = 1e-7  # T m / A


@functools.lru_cache(maxsize=1)
def _dipole_series() -> tuple[np.ndarray, np.ndarray]:
    """Epochs (decimal years) and dipole coefficients ``(g10, g11, h11)`` (nT) of the IGRF."""
    from radbelt.paths import IGRF_DATA_PATH

    folder = Path(IGRF_DATA_PATH)
    epochs: list[float] = []
    coeffs: list[tuple[float, float, float]] = []
    sv: tuple[float, float, float] | None = None
    for path in sorted(folder.glob("*grf*.dat")):
        lines = path.read_text().splitlines()
        year = float(lines[1].split()[2])
        c: dict[tuple[int, int], tuple[float, float]] = {}
        for line in lines[2:]:
            parts = line.split()
            if len(parts) == 4 and parts[0] == "1":
                c[(1, int(parts[1]))] = (float(parts[2]), float(parts[3]))
        g = (c[(1, 0)][0], c[(1, 1)][0], c[(1, 1)][1])
        if path.stem.endswith("s"):  # igrf2020s.dat: secular variation, nT/yr
            sv = g
            continue
        epochs.append(year)
        coeffs.append(g)
    order = np.argsort(epochs)
    ep = np.asarray(epochs)[order]
    co = np.asarray(coeffs)[order]
    if sv is not None:  # the last model plus 5 years of secular variation (IGRF to 2025)
        ep = np.append(ep, ep[-1] + 5.0)
        co = np.vstack([co, co[-1] + 5.0 * np.asarray(sv)])
    return ep, co


def _coefficients(year: float) -> np.ndarray:
    ep, co = _dipole_series()
    y = float(year)
    if not math.isfinite(y) or y < ep[0]:
        raise InputError("argument", "year", year, f"a decimal year from {ep[0]:.0f} (IGRF start)")
    if y <= ep[-1]:
        return np.array([np.interp(y, ep, co[:, k]) for k in range(3)])
    rate = (co[-1] - co[-2]) / (ep[-1] - ep[-2])  # past 2025: the last secular variation
    return co[-1] + rate * (y - ep[-1])


def dipole_b0_nt(year: float) -> float:
    """Equatorial field of the IGRF dipole at the reference radius (nT) for a decimal year."""
    return float(np.linalg.norm(_coefficients(year)))


def dipole_moment_am2(year: float) -> float:
    """Geomagnetic dipole moment (A m^2) of the IGRF for a decimal year."""
    r_m = REFERENCE_RADIUS_KM * 1e3
    return dipole_b0_nt(year) * 1e-9 * r_m ** 3 / _MU0_OVER_4PI


def belt_lowering_km(alt_km, year, epoch_year: float) -> np.ndarray:
    """How far (km) the belts at altitude ``alt_km`` have sunk between ``epoch_year`` and
    ``year`` as the dipole weakened: ``r ((M_epoch / M_year)^(1/3) - 1)`` with ``r`` the
    geocentric radius (spherical Earth of the IGRF reference radius). Positive when the dipole
    has weakened. Add it to the altitude to read a model built with the ``epoch_year`` field.
    ``year`` may be an array (one date per altitude, as along a track).
    """
    r = REFERENCE_RADIUS_KM + np.asarray(alt_km, float)
    return r * shell_shift_fraction(year, epoch_year)


def shell_shift_fraction(year, epoch_year: float) -> np.ndarray:
    """``(M_epoch / M_year)^(1/3) - 1``: the fraction of its geocentric radius by which a shell
    of given field strength has sunk (:func:`belt_lowering_km`), for one ``year`` or an array
    of them (each distinct year's dipole computed once)."""
    years = np.asarray(year, float)
    distinct, index = np.unique(years, return_inverse=True)
    b0 = np.array([dipole_b0_nt(y) for y in distinct])[index].reshape(years.shape)
    return (dipole_b0_nt(epoch_year) / b0) ** (1.0 / 3.0) - 1.0
