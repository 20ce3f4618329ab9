"""The Earth's constants: one value of each for every rossim model.

The values, their units, flags and sources are data: ``rossim/data/earth/constants.toml``
(read once at import). Summary (SI):

=====================  =======================  ==============================================
name                   value                    source
=====================  =======================  ==============================================
``GM_EARTH_M3_S2``     3.986004415e14 m^3/s^2   EGM2008 / IERS Conventions 2010 (TT-compatible)
``R_EQ_M``             6378137.0 m              WGS84 (NIMA TR8350.2) semi-major axis
``FLATTENING``         1 / 298.257223563        WGS84 (NIMA TR8350.2)
``OMEGA_EARTH_RAD_S``  7.292115e-5 rad/s        WGS84 / IERS Conventions 2010 table 1.1
``ERA_RATE_RAD_S``     7.2921151467e-5 rad/s    IERS Conventions 2010 eq. 5.15 (ERA rate)
``J2``                 1.0826265227e-3          EIGEN-6S normalised C20 x -sqrt(5)
``R_MEAN_M``           6371008.8 m              GRS80 mean radius R1 (Moritz 2000)
``G0_M_S2``            9.80665 m/s^2            standard gravity (CGPM 1901), defines Isp
=====================  =======================  ==============================================

Derived: ``E2`` (first eccentricity squared, ``f (2 - f)``), ``R_POLAR_M`` (``a (1 - f)``),
``R_EQ_KM``, ``R_MEAN_KM``.

Models that need their own constants keep them, with a comment: SGP4 runs with WGS72 (part of
the TLE's definition: mean elements fitted with WGS72 are only meaningful with it), the gravity
field file carries the GM and radius its coefficients are normalised with, and IGRF's
geomagnetic reference radius (6371.2 km) belongs to that model.

Layer 0: imports nothing from rossim.
"""

from __future__ import annotations

import tomllib
from importlib import resources

__all__ = [
    "GM_EARTH_M3_S2", "R_EQ_M", "R_EQ_KM", "FLATTENING", "E2", "R_POLAR_M",
    "OMEGA_EARTH_RAD_S", "ERA_RATE_RAD_S", "J2", "R_MEAN_M", "R_MEAN_KM", "G0_M_S2", "SOURCES",
]


def _load() -> dict:
    path = resources.files("rossim") / "data" / "earth" / "constants.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


_DATA = _load()

#: ``{name: (value, unit, flag, source)}`` as read from the data file.
SOURCES: dict[str, tuple[float, str, str, str]] = {
    k: (float(v["value"]), v["unit"], v["flag"], v["source"]) for k, v in _DATA.items()}

GM_EARTH_M3_S2: float = SOURCES["gm"][0]
R_EQ_M: float = SOURCES["equatorial_radius"][0]
FLATTENING: float = 1.0 / SOURCES["inverse_flattening"][0]
OMEGA_EARTH_RAD_S: float = SOURCES["rotation_rate"][0]
ERA_RATE_RAD_S: float = SOURCES["era_rate"][0]
J2: float = SOURCES["j2"][0]
R_MEAN_M: float = SOURCES["mean_radius"][0]
G0_M_S2: float = SOURCES["standard_gravity"][0]

E2: float = FLATTENING * (2.0 - FLATTENING)
R_POLAR_M: float = R_EQ_M * (1.0 - FLATTENING)
R_EQ_KM: float = R_EQ_M / 1000.0
R_MEAN_KM: float = R_MEAN_M / 1000.0
