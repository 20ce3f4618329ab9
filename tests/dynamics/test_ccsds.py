"""CCSDS OPM/OEM (KVN) reading and writing.

References:
- tests/data/iss/iss-oem-2022-01-17-hourly.txt: the NASA/JSC ISS ephemeris (OEM 2.0, from
  Orekit's test resources; README there). Expected values below are transcribed from it.
- tests/data/ccsds/OPMExample2.txt, OEMExample1.txt: Orekit's copies of the CCSDS ODM
  examples (README there).
- tests/data/orekit/initial_iss.opm and the `initial_state_gcrf` of tests/data/orekit/j2.json:
  Orekit 13.1.9's EME2000 -> GCRF rotation of the same ISS state (frame bias).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from astropy.time import Time

from rossim.dynamics.initial_state import read_state
from rossim.errors import InputError
from rossim.files.kvn import CovarianceBlock, comment_values
from rossim.files.oem import format_oem, oem_from_states, parse_oem, read_oem, write_oem
from rossim.files.opm import OPM, parse_opm, read_opm, write_opm
from rossim.files.refframe import to_gcrf
from rossim.time import time_grid, to_time

DATA = Path(__file__).resolve().parents[1] / "data"
ISS_OEM = DATA / "iss" / "iss-oem-2022-01-17-hourly.txt"
OPM2 = DATA / "ccsds" / "OPMExample2.txt"
OEM1 = DATA / "ccsds" / "OEMExample1.txt"
OREKIT = DATA / "orekit"


def _dt_s(a: Time, b: Time) -> np.ndarray:
    return np.abs((a - b).to_value("s"))


def test_nasa_iss_oem():
    oem = read_oem(ISS_OEM)
    assert oem.version == "2.0"
    assert oem.originator == "NASA/JSC/FOD/TOPO"
    assert _dt_s(oem.creation_date, to_time("2022-01-17T20:44:45.347")) < 1e-6
    assert len(oem.segments) == 1
    seg = oem.segments[0]
    assert (seg.object_name, seg.object_id, seg.center_name) == ("ISS", "1998-067-A", "Earth")
    assert (seg.ref_frame, seg.time_system) == ("EME2000", "UTC")
    assert _dt_s(seg.start_time, to_time("2022-01-17T12:00:00")) < 1e-6
    assert _dt_s(seg.stop_time, to_time("2022-01-18T12:00:00")) < 1e-6
    assert _dt_s(seg.useable_stop_time, to_time("2022-01-18T12:00:00")) < 1e-6
    assert len(seg.epochs) == 25 and seg.r_m.shape == (25, 3) and seg.a_m_s2 is None
    np.testing.assert_allclose(np.diff((seg.epochs - seg.epochs[0]).to_value("s")), 3600.0,
                               atol=1e-6)
    # First and last records as printed in the file (km, km/s).
    np.testing.assert_allclose(seg.r_m[0], [545284.043961596, 4217457.419990610,
                                            5288809.933277320], rtol=0, atol=1e-6)
    np.testing.assert_allclose(seg.v_m_s[0], [-7636.39664838008, 168.82788525720,
                                              656.34287389035], rtol=0, atol=1e-9)
    np.testing.assert_allclose(seg.r_m[19], [-6795331.328816080, -62285.182373835,
                                             -271786.343890237], rtol=0, atol=1e-6)
    values = comment_values(oem.all_comments())
    assert float(values["MASS"]) == 458943.0
    assert float(values["DRAG_AREA"]) == 1606.8
    assert float(values["DRAG_COEFF"]) == 2.5
    assert "Units are in kg and m^2" in seg.comments
    assert any("SpX-24 Undock" in c for c in seg.comments)


def test_orekit_opm_and_frame_bias_against_orekit():
    opm = read_opm(OREKIT / "initial_iss.opm")
    assert (opm.ref_frame, opm.time_system, opm.center_name) == ("EME2000", "UTC", "EARTH")
    assert opm.mass_kg == 458943.0 and opm.drag_area_m2 == 1606.8 and opm.drag_coeff == 2.5
    assert opm.comments == ["State vector in km and km/s"]
    # Same state as the first record of the NASA OEM.
    seg = read_oem(ISS_OEM).segments[0]
    np.testing.assert_allclose(opm.r_m, seg.r_m[0], rtol=0, atol=1e-9)
    # EME2000 -> GCRF against Orekit (frame bias, ~0.31 m here).
    ref = json.loads((OREKIT / "j2.json").read_text())["header"]["initial_state_gcrf"]
    t, r, v = opm.state_gcrf()
    assert _dt_s(t, to_time(ref["epoch_utc"])) < 1e-6
    assert np.linalg.norm(r - np.array(ref["r_m"])) < 1e-4  # m
    assert np.linalg.norm(v - np.array(ref["v_m_s"])) < 1e-7  # m/s
    assert np.linalg.norm(r - opm.r_m) == pytest.approx(ref["frame_bias_shift_m"], abs=1e-4)


def test_opm_example_with_elements_spacecraft_and_maneuvers(tmp_path):
    opm = read_opm(OPM2)
    assert opm.version == "3.0" and opm.ref_frame == "TOD"
    np.testing.assert_allclose(opm.r_m, [6655994.2, -40218575.1, -82917.7], atol=1e-6)
    assert opm.keplerian["SEMI_MAJOR_AXIS"] == pytest.approx(41399512.3, abs=1e-6)
    assert opm.keplerian["GM"] == pytest.approx(3.986004415e14, rel=1e-15)
    assert "MEAN_ANOMALY" not in opm.keplerian
    assert (opm.mass_kg, opm.solar_rad_coeff, opm.drag_coeff) == (1913.0, 1.3, 2.3)
    assert [m.frame for m in opm.maneuvers] == ["J2000", "RTN"]
    first = opm.maneuvers[0]
    assert first.duration_s == 132.6 and first.delta_mass_kg == -18.418
    np.testing.assert_allclose(first.dv_m_s, [-23.257, 16.8316, -8.93444], atol=1e-12)
    assert _dt_s(first.epoch_ignition, to_time("2000-06-03T09:00:34.1")) < 1e-6
    assert any("AMF-3" in c for c in first.comments)
    assert any("Keplerian" in c for c in opm.keplerian_comments)
    assert len(opm.all_comments()) == 10
    # Round trip.
    out = tmp_path / "opm.txt"
    write_opm(out, opm)
    back = read_opm(out)
    assert back.version == "2.0"
    np.testing.assert_allclose(back.r_m, opm.r_m, rtol=0, atol=1e-6)
    np.testing.assert_allclose(back.v_m_s, opm.v_m_s, rtol=0, atol=1e-9)
    assert back.keplerian == pytest.approx(opm.keplerian, rel=1e-12)
    assert [m.frame for m in back.maneuvers] == ["J2000", "RTN"]
    np.testing.assert_allclose(back.maneuvers[1].dv_m_s, opm.maneuvers[1].dv_m_s, atol=1e-9)
    assert back.all_comments() == opm.all_comments()
    assert (back.mass_kg, back.drag_area_m2) == (opm.mass_kg, opm.drag_area_m2)


def test_oem_example_segments_and_covariance():
    oem = read_oem(OEM1, allow_repeated_epochs=True)
    assert oem.version == "3.0" and oem.classification == "public, test-data"
    assert [len(s.epochs) for s in oem.segments] == [4, 4, 5]
    assert [s.ref_frame for s in oem.segments] == ["J2000", "J2000", "EME2000"]
    assert oem.segments[0].center_name == "MARS BARYCENTER"
    assert oem.segments[0].interpolation == "HERMITE"
    assert oem.segments[0].interpolation_degree == 7
    covs = oem.segments[2].covariances
    assert [c.frame for c in covs] == ["RTN", "EME2000"]
    m = covs[0].matrix_si
    assert m[0, 0] == pytest.approx(3.3313494e-04 * 1e6)  # km^2 -> m^2
    assert m[5, 0] == m[0, 5] == pytest.approx(-3.0413460e-07 * 1e6)  # km^2/s -> m^2/s
    assert m[5, 5] == pytest.approx(6.2244443e-10 * 1e6)
    np.testing.assert_array_equal(m, m.T)
    assert oem.segments[1].covariances[0].frame == "EME2000"
    assert oem.segments[2].metadata_comments == ["comment"]


def test_oem_round_trip_is_exact_and_atomic(tmp_path):
    oem = read_oem(ISS_OEM)
    out = tmp_path / "iss.oem"
    write_oem(out, oem)
    back = read_oem(out)
    a, b = oem.segments[0], back.segments[0]
    assert np.max(_dt_s(a.epochs, b.epochs)) < 1e-9
    np.testing.assert_allclose(b.r_m, a.r_m, rtol=0, atol=1e-6)  # m (written to 1e-9 km)
    np.testing.assert_allclose(b.v_m_s, a.v_m_s, rtol=0, atol=1e-9)  # m/s
    assert back.all_comments() == oem.all_comments()
    assert (b.ref_frame, b.time_system, b.object_id) == (a.ref_frame, a.time_system, a.object_id)
    assert not list(tmp_path.glob(".tmp-*"))
    # A write that fails leaves the previous file untouched.
    before = out.read_text()
    a.r_m[3, 0] = np.nan
    with pytest.raises(InputError):
        write_oem(out, oem)
    assert out.read_text() == before
    # Covariances and accelerations survive too.
    ex = read_oem(OEM1, allow_repeated_epochs=True)
    write_oem(tmp_path / "ex.oem", ex)
    ex2 = read_oem(tmp_path / "ex.oem", allow_repeated_epochs=True)
    for s1, s2 in zip(ex.segments, ex2.segments, strict=True):
        for c1, c2 in zip(s1.covariances, s2.covariances, strict=True):
            np.testing.assert_allclose(c2.matrix_si, c1.matrix_si, rtol=1e-15)
            assert c1.frame == c2.frame


@pytest.mark.parametrize("system", ["UTC", "TT", "TAI", "GPS", "TDB"])
def test_time_systems_round_trip(system, tmp_path):
    t = time_grid("2027-03-01T00:00:00", 120.0, 60.0)
    r = np.array([[7e6, 0.0, 0.0]] * 3)
    v = np.array([[0.0, 7.5e3, 0.0]] * 3)
    oem = oem_from_states(t, r, v, object_name="ROS", object_id="2027-001A",
                          time_system=system, a_m_s2=np.full((3, 3), -8.1))
    text = format_oem(oem)
    back = parse_oem(text, "mem")
    seg = back.segments[0]
    assert seg.time_system == system
    assert np.max(_dt_s(seg.epochs, t)) < 1e-8
    np.testing.assert_allclose(seg.a_m_s2, -8.1, rtol=1e-14)
    if system == "GPS":  # GPS = TAI - 19 s: the written clock reading is 19 s behind TAI
        tai_text = format_oem(oem_from_states(t, r, v, object_name="ROS", object_id="X",
                                              time_system="TAI"))
        first_gps = text.split("META_STOP")[1].split()[0]
        first_tai = tai_text.split("META_STOP")[1].split()[0]
        assert (to_time(first_tai) - to_time(first_gps)).to_value("s") == pytest.approx(19.0)


KVN_OPM = OREKIT / "initial_iss.opm"


@pytest.mark.parametrize(
    "old, new, keyword, problem",
    [
        ("REF_FRAME = EME2000\n", "", "REF_FRAME", "missing"),
        ("EPOCH = 2022-01-17T12:00:00.000\n", "", "EPOCH", "missing"),
        ("REF_FRAME = EME2000", "REF_FRAME = MARS_FIXED", "REF_FRAME", "unknown frame"),
        ("X = 545.284043961596 [km]", "X = 545.28x [km]", "X", "a finite number"),
        ("X = 545.284043961596 [km]", "X = 545284.0 [m]", "X unit", "km"),
        ("TIME_SYSTEM = UTC", "TIME_SYSTEM = MET", "TIME_SYSTEM", "TAI"),
        ("EPOCH = 2022-01-17T12:00:00.000", "EPOCH = 2022-13-17T12:00:00", "EPOCH", "ISO"),
        ("MASS = 458943.00 [kg]", "MASS_TOTAL = 458943.00 [kg]", "MASS_TOTAL", "unknown"),
        ("Y = 4217", "X = 4217", "X", "repeated"),
    ],
)
def test_opm_errors_name_file_line_and_keyword(old, new, keyword, problem):
    text = KVN_OPM.read_text()
    assert old in text
    bad = text.replace(old, new, 1)
    with pytest.raises(InputError) as info:
        parse_opm(bad, "state.opm")
    msg = str(info.value)
    assert msg.startswith("state.opm:")
    assert keyword in msg and problem in msg
    line = int(msg.split(":")[1])
    if problem not in ("missing",):
        assert bad.splitlines()[line - 1].strip().startswith(keyword.split()[0])


@pytest.mark.parametrize(
    "old, new, lineno, expected",
    [
        ("REF_FRAME            = EME2000", "REF_FRAME = ECLIPJ2000", 9, "unknown frame"),
        ("OBJECT_ID            = 1998-067-A\n", "", 5, "OBJECT_ID"),
        ("-7.63639664838008", "-7.6363966483x008", 40, "a number"),
        ("0.65634287389035", "0.65634287389035 1.0", 40, "6 (or 9"),
        ("2022-01-17T13:00:00.000 5021", "TIME_SYSTEM = UTC\n2022-01-17T13:00:00.000 5021", 41,
         "keyword inside"),
        ("2022-01-17T14:00:00.000", "2022-01-17T10:00:00.000", 42, "increasing"),
        ("2022-01-17T14:00:00.000", "2022-01-17T14:00:61.000", 42, "ISO 8601"),
        ("META_STOP\n", "", 5, "META_STOP"),
        ("CCSDS_OEM_VERS = 2.0", "CCSDS_OEM_VERS = 9.0", 1, "2.0"),
    ],
)
def test_oem_errors_name_file_line_and_keyword(old, new, lineno, expected):
    text = ISS_OEM.read_text()
    assert old in text
    with pytest.raises(InputError) as info:
        parse_oem(text.replace(old, new, 1), "iss.oem")
    msg = str(info.value)
    assert msg.startswith(f"iss.oem:{lineno}:"), msg
    assert expected in msg


def test_missing_file_and_writer_checks(tmp_path):
    with pytest.raises(InputError, match="nope.oem"):
        read_oem(tmp_path / "nope.oem")
    with pytest.raises(InputError, match="nope.opm"):
        read_opm(tmp_path / "nope.opm")
    opm = OPM(object_name="ROS", object_id="2027-001A", center_name="EARTH", ref_frame="FOO",
              time_system="UTC", epoch=to_time("2027-01-01"), r_m=np.array([7e6, 0, 0.0]),
              v_m_s=np.array([0, 7.5e3, 0.0]))
    with pytest.raises(InputError, match="unknown frame"):
        write_opm(tmp_path / "x.opm", opm)
    assert not (tmp_path / "x.opm").exists()
    opm.ref_frame = "GCRF"
    opm.covariance = CovarianceBlock(np.diag([1.0, 1, 1, 1e-6, 1e-6, 1e-6]), frame="RTN")
    write_opm(tmp_path / "x.opm", opm)
    back = read_opm(tmp_path / "x.opm")
    np.testing.assert_allclose(back.covariance.matrix_si, opm.covariance.matrix_si, rtol=1e-15)
    assert back.covariance.frame == "RTN"


def test_to_gcrf_teme_matches_frames_module():
    from rossim.frames.teme import teme_to_gcrf

    t = time_grid("2027-01-01", 600.0, 300.0)
    r = np.array([[7e6, 1e5, 2e5]] * 3)
    v = np.array([[1.0, 7.5e3, 0.5]] * 3)
    a = to_gcrf(r, v, "TEME", t)
    b = teme_to_gcrf(r, v, t)
    np.testing.assert_array_equal(a[0], b[0])
    with pytest.raises(InputError):
        to_gcrf(r, v, "B1950", t)
    with pytest.raises(InputError):
        to_gcrf(r, v, "GCRF", t, center="MARS BARYCENTER")


@pytest.mark.parametrize(
    "path, source, mass",
    [
        (OREKIT / "initial_iss.opm", "OPM", 458943.0),
        (ISS_OEM, "OEM", 458943.0),
        (DATA / "sgp4" / "mario.tle", "TLE", None),
        (DATA / "sgp4" / "mario-omm.kvn", "OMM", None),
    ],
)
def test_read_state_from_any_file(path, source, mass):
    from rossim.dynamics.tle import propagate
    from rossim.files.tle import read_tles

    state = read_state(path)
    assert state.source == source
    assert state.r_m.shape == (3,) and state.v_m_s.shape == (3,)
    assert state.spacecraft.get("mass_kg") == mass
    if source in ("OPM", "OEM"):
        ref = json.loads((OREKIT / "j2.json").read_text())["header"]["initial_state_gcrf"]
        assert np.linalg.norm(state.r_m - np.array(ref["r_m"])) < 1e-4  # m, Orekit's GCRF
        assert state.spacecraft["drag_area_m2"] == 1606.8
        assert state.spacecraft["drag_coeff"] == 2.5
    else:
        tle = read_tles(DATA / "sgp4" / "mario.tle")[0]
        st = propagate(tle, tle.epoch)
        np.testing.assert_allclose(state.r_m, st.r_m[0, 0], rtol=0, atol=1e-6)
        assert state.object_name == "MARIO"


def test_read_state_rejects_other_files(tmp_path):
    bad = tmp_path / "x.txt"
    bad.write_text("hello\n")
    with pytest.raises(InputError, match="x.txt"):
        read_state(bad)
