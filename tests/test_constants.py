"""The Earth's constants (rossim.constants) against their published sources.

References (values re-typed from the documents, not from rossim's data file):
- WGS84: NIMA TR8350.2, 3rd ed. amendment 1 (2000), table 3.1: a = 6378137 m,
  1/f = 298.257223563, omega = 7292115e-11 rad/s, b = 6356752.3142 m (table 3.3).
- EGM2008 (Pavlis et al. 2012): GM = 3986004.415e8 m^3/s^2. EIGEN-6S (Foerste et al. 2011)
  normalised C20 = -4.84165299820e-4 (the gravity file the numerical propagator reads).
- IERS Conventions (2010) eq. 5.15: ERA rate 2 pi x 1.00273781191135448 / 86400 s.
- GRS80 mean radius R1 = 6371008.7714 m (Moritz 2000).
"""

import math
import re
from pathlib import Path

import erfa
import pytest

from rossim import constants as c

SRC = Path(__file__).resolve().parents[1] / "src" / "rossim"


def test_values_match_their_sources():
    assert c.R_EQ_M == 6378137.0
    assert 1.0 / c.FLATTENING == pytest.approx(298.257223563, rel=1e-15)
    assert c.R_POLAR_M == pytest.approx(6356752.3142, abs=1e-4)
    assert c.GM_EARTH_M3_S2 == 3.986004415e14
    assert c.J2 == pytest.approx(-math.sqrt(5.0) * -4.84165299820e-4, rel=1e-10)
    # ... and the numerical propagator's own field file says the same.
    from rossim.dynamics.gravity import load_gravity_field

    field = load_gravity_field(2)  # unnormalised coefficients
    assert c.J2 == pytest.approx(-field.c[2, 0], rel=1e-10)
    assert field.mu_m3_s2 == c.GM_EARTH_M3_S2
    assert c.OMEGA_EARTH_RAD_S == 7.292115e-5
    assert c.ERA_RATE_RAD_S == pytest.approx(2 * math.pi * 1.00273781191135448 / 86400, rel=1e-15)
    assert c.R_MEAN_M == pytest.approx(6371008.7714, abs=0.1)
    # ERFA's own WGS84 ellipsoid (erfa.eform(1)) agrees.
    a, f = erfa.eform(1)
    assert (a, f) == (c.R_EQ_M, pytest.approx(c.FLATTENING, rel=1e-15))


def test_every_constant_has_a_source_and_flag():
    for name, (value, unit, flag, source) in c.SOURCES.items():
        assert math.isfinite(value) and value > 0, name
        assert flag in ("published", "derived"), name
        assert unit and len(source) > 20, name


# Literal values that belong to rossim.constants: a model may not repeat them.
_LITERALS = re.compile(r"3\.98600441|398600\.44|6378137|6378\.137|7\.292115|1\.0826[0-9]|"
                       r"298\.257")


def test_no_model_repeats_the_constants():
    bad = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "constants.py":
            continue
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if _LITERALS.search(code):
                bad.append(f"{path.relative_to(SRC)}:{k}: {line.strip()}")
    assert not bad, "use rossim.constants:\n" + "\n".join(bad)
