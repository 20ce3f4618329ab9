"""Atmosphere wrapper: NRL's 200-case reference outputs for NRLMSIS 2.0 and 2.1, in cgs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rossim.environment.atmosphere import density
from rossim.environment.spaceweather import ConstantWeather
from rossim.errors import InputError
from rossim.validation.environment import CaseWeather, ccmc_profile, nrl_cases

DATA = Path(__file__).resolve().parents[1] / "data" / "msis"


@pytest.mark.parametrize("model,name,nspecies", [
    ("msis2.0", "msis2.0_test_ref_dp.txt", 9),
    ("msis2.1", "msis2.1_test_ref_dp.txt", 10),
])
def test_nrl_reference_cases(model, name, nspecies):
    """All 200 cases of NRL's msis2.x_test_ref_dp.txt (from the pymsis wheel; see
    tests/data/msis/README.md).

    The file prints four significant digits (0.xxxxE+nn): rounding alone is up to 5e-4
    relative, hence 6e-4; temperatures have two decimals, hence 0.01 K.
    """
    c = nrl_cases(model, nspecies)
    a, dates, atm, ours, ref = c["table"], c["dates"], c["atm"], c["ours"], c["ref"]
    assert name == f"{model}_test_ref_dp.txt"
    assert len(dates) == 200
    missing = ref < 1e-30  # the file's 0.9999E-37 placeholder
    assert missing.sum() > 0
    assert np.all(np.isnan(ours[missing]) | (ours[missing] < 1e-30))
    rel = np.abs(ours[~missing] / ref[~missing] - 1.0)
    assert np.max(rel) < 6e-4
    assert np.max(np.abs(atm.temperature - a[:, -1])) < 0.01
    # density() is the rho column of calculate().
    rho = density(dates[:5], a[:5, 3], a[:5, 4], a[:5, 2] * 1000.0, model=model,
                  weather=CaseWeather(a[:5, 7], a[:5, 6], a[:5, 8]))
    assert np.array_equal(rho, atm.rho[:5])


def test_models_and_default_weather():
    t = ["2027-03-01T00:00", "2027-03-01T06:00", "2030-01-01T12:00"]
    w = ConstantWeather(150.0, 150.0, 15.0)
    rhos = {m: density(t, 51.6, 30.0, 400e3, model=m, weather=w)
            for m in ("nrlmsise00", "msis2.0", "msis2.1")}
    for rho in rhos.values():
        # ISS-altitude density at moderate activity is a few 1e-12 kg/m^3.
        assert np.all((rho > 5e-13) & (rho < 2e-11))
    # the three models differ (by several per cent at 400 km): the version switch is live.
    assert np.max(np.abs(rhos["nrlmsise00"] / rhos["msis2.1"] - 1.0)) > 1e-2
    # default weather: historical file + forecast, no download.
    rho = density(t, 51.6, 30.0, 400e3)
    assert rho.shape == (3,) and np.all(np.isfinite(rho))
    # a weak solar minimum (forecast 2030) gives a thinner thermosphere than F10.7 = 150.
    assert rho[2] < rhos["msis2.1"][2]


def test_bad_input():
    with pytest.raises(InputError):
        density("2027-01-01", 51.6, 0.0, 400e3, model="jb2008")
    with pytest.raises(InputError):
        density("2027-01-01", 95.0, 0.0, 400e3, weather=ConstantWeather())
    with pytest.raises(InputError):
        density(["2027-01-01", "2027-01-02"], [1.0, 2.0, 3.0], 0.0, 400e3,
                weather=ConstantWeather())


def test_nrlmsise00_against_ccmc_profile():
    """NRLMSISE-00 profile from CCMC's on-line model (tests/data/msis, header cites origin).

    Four significant digits (5e-4 rounding) -> 6e-4; temperature printed to 0.1 K -> 0.06 K.
    CCMC's mass density omits anomalous oxygen; rossim's (the drag density) includes it, so
    16 amu (1.66e-27 kg, the model's own constant) per anomalous O atom is removed first.
    """
    p = ccmc_profile()
    a, atm, anom, rho_gtd7 = p["table"], p["atm"], p["anomalous_o"], p["rho_gtd7"]
    per_cm3 = 1e-6
    pairs = [(atm.o * per_cm3, 1), (atm.n2 * per_cm3, 2), (atm.o2 * per_cm3, 3),
             (rho_gtd7 * 1e-3, 4), (atm.he * per_cm3, 7), (atm.ar * per_cm3, 8),
             (atm.h * per_cm3, 9), (atm.n * per_cm3, 10), (anom * per_cm3, 11)]
    checked = 0
    for ours, col in pairs:
        ref = a[:, col]
        zero = ref == 0.0
        assert np.all(np.nan_to_num(ours[zero]) < 1e-30)
        assert np.max(np.abs(ours[~zero] / ref[~zero] - 1.0)) < 6e-4
        checked += (~zero).sum()
    assert checked > 80
    assert np.max(np.abs(atm.temperature - a[:, 5])) < 0.06
    # The anomalous-oxygen term is what separates the two densities at 1000 km (~2 %).
    assert atm.rho[-1] * 1e-3 / a[-1, 4] - 1.0 > 0.01


def test_repeated_call_is_answered_from_memory_to_the_bit(monkeypatch):
    """A run asks MSIS for the same orbit-averaged table several times (cargo forecast 5x,
    the family's return watch and recontact check, the deployer rules' lifetimes): a call
    whose every pymsis input is equal is answered from memory. Reference: pymsis itself,
    called directly, to the bit; a change of any input (weather, model, point) is computed."""
    import pymsis

    from rossim.cache import ArrayMemo
    from rossim.environment import atmosphere

    monkeypatch.setattr(atmosphere, "_MEMO", ArrayMemo(atmosphere.MEMO_BYTES))
    calls = []
    real = pymsis.calculate
    monkeypatch.setattr(pymsis, "calculate",
                        lambda *a, **k: calls.append(np.size(a[0])) or real(*a, **k))
    t = ["2027-03-01T00:00", "2027-03-01T06:00", "2030-01-01T12:00"]
    w = ConstantWeather(150.0, 150.0, 15.0)
    first = density(t, 51.6, 30.0, 400e3, model="msis2.1", weather=w)
    first[:] = 0.0   # the caller's copy: mutating it must not reach the memory
    again = density(t, 51.6, 30.0, 400e3, model="msis2.1", weather=w)
    assert len(calls) == 1
    direct = real(np.array(t, dtype="datetime64[ns]"), [30.0] * 3, [51.6] * 3, [400.0] * 3,
                  [150.0] * 3, [150.0] * 3, [[15.0] * 7] * 3, version=2.1)
    direct = np.asarray(direct, dtype=float).reshape(3, 11)[:, 0]
    assert np.array_equal(again, direct)
    density(t, 51.6, 30.0, 400e3, model="msis2.1", weather=ConstantWeather(151.0, 150.0, 15.0))
    density(t, 51.6, 30.0, 400e3, model="msis2.0", weather=w)
    density(t, 51.7, 30.0, 400e3, model="msis2.1", weather=w)
    assert len(calls) == 4
    # bounded: with room for one table only, the older one is dropped
    monkeypatch.setattr(atmosphere._MEMO, "max_bytes", 3 * 11 * 8)
    density(t, 51.6, 31.0, 400e3, model="msis2.1", weather=w)   # a new table: older ones go
    assert len(atmosphere._MEMO) == 1
    kept = atmosphere._MEMO.keys()
    density(t * 2, 51.6, 30.0, 400e3, model="msis2.1", weather=w)  # larger than the bound:
    assert atmosphere._MEMO.keys() == kept                         # not kept, evicts nothing
    from rossim.campaign.dispatch import _forget_memos

    _forget_memos()   # a campaign worker between runs
    assert len(atmosphere._MEMO) == 0
