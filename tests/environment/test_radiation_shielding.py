"""Shielding physics: CSDA ranges against NIST PSTAR, ICRP 60 Q(L), GCR and dose kernels."""

import csv
from pathlib import Path

import numpy as np
import pytest

from rossim.environment.radiation.gcr import (
    cutoff_rigidity_gv,
    earth_shadow_factor,
    gcr_dose_rate_mgy_per_day,
)
from rossim.environment.radiation.shielding import (
    proton_dose_kernel,
    proton_energy_from_range,
    proton_range_g_cm2,
    quality_factor_icrp60,
)
from rossim.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "dose"


def _rows(name):
    with open(DATA / name, encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def test_proton_csda_range_in_water_matches_pstar():
    for row in _rows("pstar_water_csda.csv"):
        got = float(proton_range_g_cm2(float(row["energy_mev"]), "water"))
        assert abs(got / float(row["csda_range_g_cm2"]) - 1.0) < 0.01, row


def test_range_inverse_roundtrip():
    e = np.array([5.0, 30.0, 150.0, 900.0])
    back = proton_energy_from_range(proton_range_g_cm2(e, "aluminium"), "aluminium")
    assert np.allclose(back, e, rtol=1e-3)


def test_quality_factor_icrp60_published_points():
    # ICRP Publication 60 (1991), Table 4: Q = 1 below 10 keV/um, 0.32 L - 2.2 to 100,
    # 300/sqrt(L) above.
    got = quality_factor_icrp60([5.0, 10.0, 50.0, 100.0, 400.0])
    assert np.allclose(got, [1.0, 1.0, 13.8, 29.8, 15.0], atol=0.05)


def test_dose_kernel_falls_with_shielding_and_rejects_negative():
    e = np.array([10.0, 50.0, 100.0, 200.0, 400.0])
    j = np.array([100.0, 30.0, 10.0, 3.0, 0.5])
    doses = [j @ proton_dose_kernel(e, t)[0] for t in (1.0, 5.0, 20.0, 50.0)]
    assert all(a > b > 0 for a, b in zip(doses, doses[1:], strict=False))
    with pytest.raises(InputError):
        proton_dose_kernel(e, -1.0)


def test_gcr_cutoff_shadow_and_modulation():
    assert cutoff_rigidity_gv(1.0) == pytest.approx(14.9)
    # Earth shadow: the Earth subtends 2 pi (1 - cos theta) sr; at 400 km about a third of the sky.
    assert 0.6 < float(earth_shadow_factor(400.0)) < 0.7
    low = gcr_dose_rate_mgy_per_day([1.1, 3.0], 400.0, 400.0, 20.0)
    high = gcr_dose_rate_mgy_per_day([1.1, 3.0], 400.0, 1000.0, 20.0)
    assert low[1] > low[0] and np.all(low > high)
