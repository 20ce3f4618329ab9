"""Kind 2 of issue 17 (input formats): one reader and one detection path
(``rossim.dynamics.initial_state.read_state``) for every command that takes an initial state; every
common form (TLE; OMM in KVN, XML with or without the ``urn:ccsds:schema:ndmxml`` namespace,
JSON; OPM and OEM in KVN and XML) and frame (EME2000, GCRF, TOD, MOD, TEME, ITRF); OPM
manoeuvres applied; metadata contradicting the data refused with file:line; the right
complaint for a TLE whose spaces were collapsed.

Cases: tests/data/cases/field/{omm-xml-namespace, opm-maneuvers-ignored, opm-tod-frame,
propagate-initial-omm-oem, tle-squeezed-whitespace} and tests/data/cases/rel/
{propagate-omm-misleading-message, oem-invalid-structure-accepted, omm-kvn-unchecked-fields,
omm-json-deep-or-huge-int, opm-implausible-state-accepted}; own inputs in
tests/data/cases/own (README there). Expected values from the READMEs (ERFA, the Blue Book),
or from python-sgp4/astropy called here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from _hardening_util import one_line

from rossim.dynamics.initial_state import read_state
from rossim.files.oem import parse_oem

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"  # as conftest.py


def _oem_states(path):
    rows = [ln.split() for ln in open(path, encoding="utf-8") if ln[:2].isdigit()]
    return [r[0] for r in rows], np.array([[float(x) for x in r[1:7]] for r in rows])


def test_omm_xml_with_namespace(case, cli):
    """field/omm-xml-namespace: the namespaced OMM must read like the same file without the
    xmlns attribute (README: "3 eclipses in 3 h, exit 0")."""
    from rossim.files.omm import read_omm

    folder = case("field/omm-xml-namespace")
    text = (folder / "ros-omm-ns.xml").read_text()
    (folder / "plain.xml").write_text(text.replace(' xmlns="urn:ccsds:schema:ndmxml"', ""))
    assert read_omm("ros-omm-ns.xml")[0].satrec.no_kozai == read_omm("plain.xml")[0].satrec.no_kozai
    rc, out, err = cli("eclipse", "--initial", "ros-omm-ns.xml", "--duration", "3h", "--json")
    assert rc == 0, err
    ns = json.loads(out)
    rc, out, err = cli("eclipse", "--initial", "plain.xml", "--duration", "3h", "--json")
    plain = json.loads(out)
    assert len(ns["eclipses"]) == 3
    assert ns["eclipses"] == plain["eclipses"]


def test_opm_manoeuvre_is_applied(case, cli):
    """field/opm-maneuvers-ignored: the README's b.oem (same burn given as --burn VNC 2 m/s)
    ends at 6289.528 -1579.186 -1990.653 km; the dropped manoeuvre left 6298.895 -1557.154
    -1962.879 (36.7 km away). An RTN along-track impulse at a near-circular orbit equals the
    VNC one to first order: expected within 0.1 km of b.oem."""
    case("field/opm-maneuvers-ignored")
    rc, out, err = cli("propagate", "--initial", "ros-man.opm", "--duration", "3h", "--step",
                       "30min", "--gravity", "point", "-o", "a.oem", "--json")
    assert rc == 0, err
    assert json.loads(out)["manoeuvres_from_file"] == 1
    epochs, states = _oem_states("a.oem")
    assert epochs[-1].startswith("2027-03-01T03:00:00")
    b = np.array([6289.528, -1579.186, -1990.653])
    assert np.linalg.norm(states[-1, :3] - b) < 0.1
    assert np.linalg.norm(states[-1, :3] - np.array([6298.895, -1557.154, -1962.879])) > 30
    assert "Manoeuvre from the initial file applied" in open("a.oem").read()


def test_opm_xml_namespaced_with_manoeuvre(case, cli):
    """Own case: the same OPM in NDM/XML inside a namespaced <ndm> gives the same OEM."""
    folder = case("field/opm-maneuvers-ignored")
    shutil.copy(CASES / "own" / "ros-man-ns.xml", folder)
    for name, out_name in (("ros-man.opm", "kvn.oem"), ("ros-man-ns.xml", "xml.oem")):
        rc, out, err = cli("propagate", "--initial", name, "--duration", "3h", "--step",
                           "30min", "--gravity", "point", "-o", out_name)
        assert rc == 0, err
    np.testing.assert_allclose(_oem_states("xml.oem")[1], _oem_states("kvn.oem")[1], atol=1e-9)


def test_opm_tod_frame(case, cli):
    """field/opm-tod-frame: ERFA pnm06a (IAU 2006/2000A) gives r = [6777.98577, -41.52737,
    -18.04187] km, v = [0.045228, 4.769875, 6.012370] km/s (README); the commands run."""
    folder = case("field/opm-tod-frame")
    ref_r = np.array([6777.98577, -41.52737, -18.04187]) * 1e3
    ref_v = np.array([0.045228, 4.769875, 6.012370]) * 1e3
    shutil.copy(CASES / "own" / "ros-tod.xml", folder)
    for name in ("ros-tod.opm", "ros-tod.xml"):
        st = read_state(name)
        np.testing.assert_allclose(st.r_m, ref_r, atol=0.01)    # README gives 10 m digits
        np.testing.assert_allclose(st.v_m_s, ref_v, atol=0.001)
    rc, out, err = cli("propagate", "--initial", "ros-tod.opm", "--duration", "1h", "--step",
                       "10min", "-o", "out.oem")
    assert rc == 0, err
    rc, out, err = cli("eclipse", "--initial", "ros-tod.opm")
    assert rc == 0, err


def test_mod_frame_against_erfa():
    """Same kind, built here: MOD axes are GCRF rotated by the bias-precession matrix of date
    (erfa.pmat06); a MOD state read back must equal that rotation's transpose applied here."""
    import erfa
    from astropy.time import Time

    from rossim.files.refframe import to_gcrf

    t = Time(["2027-03-01T00:00:00"], scale="utc")
    r = np.array([[6778137.0, 1000.0, -2000.0]])
    v = np.array([[10.0, 4769.8, 6012.6]])
    m = erfa.pmat06(t.tt.jd1[0], t.tt.jd2[0])
    r_g, v_g = to_gcrf(r, v, "MOD", t)
    np.testing.assert_allclose(r_g[0], m.T @ r[0], atol=1e-6)
    np.testing.assert_allclose(v_g[0], m.T @ v[0], atol=1e-9)


@pytest.mark.parametrize("name", ["ros.omm", "ros.oem"])
def test_propagate_reads_omm_and_oem(case, cli, name):
    """field/propagate-initial-omm-oem: `propagate` must accept what eclipse/passes accept
    (the OMM's SGP4 state at epoch, the OEM's first state)."""
    case("field/propagate-initial-omm-oem")
    rc, out, err = cli("propagate", "--initial", name, "--duration", "1h", "--step", "10min",
                       "--area", "400", "--mass", "100000", "-o", "x.oem")
    assert rc == 0, err
    epochs, states = _oem_states("x.oem")
    assert epochs[0].startswith("2027-03-01T00:00:00")
    if name == "ros.oem":  # first state written back unchanged (EME2000 in and out), to 1 mm
        np.testing.assert_allclose(states[0], [6778.137, 0.0, 0.0, 0.0, 4.7698, 6.0126],
                                   atol=1e-6)
    else:  # python-sgp4 at epoch, TEME -> GCRS by astropy, -> EME2000 by the frame bias
        import erfa
        from astropy import units as u
        from astropy.coordinates import GCRS, TEME, CartesianDifferential, CartesianRepresentation
        from astropy.time import Time
        from sgp4 import omm
        from sgp4.api import Satrec

        sat = Satrec()
        fields = {}
        for line in open(name):
            if "=" in line and not line.startswith("COMMENT"):
                key, _, value = line.partition("=")
                fields[key.strip()] = value.strip()
        omm.initialize(sat, fields)
        t = Time("2027-03-01T00:00:00", scale="utc")
        e, r, v = sat.sgp4(t.jd1, t.jd2)
        assert e == 0
        teme = TEME(CartesianRepresentation(r * u.km, differentials=CartesianDifferential(
            v * u.km / u.s)), obstime=t)
        g = teme.transform_to(GCRS(obstime=t)).cartesian.xyz.to_value(u.km)
        eme = erfa.bp00(2451545.0, 0.0)[0] @ g
        np.testing.assert_allclose(states[0, :3], eme, atol=0.02)  # 20 m: EOP and TEME models


@pytest.mark.parametrize("name", ["mario.omm", "iss.oem"])
def test_propagate_omm_oem_not_called_tle(case, cli, name):
    """rel/propagate-omm-misleading-message: expected the file read (as eclipse and passes do)
    or named as an OMM/OEM, never "TLE name line"."""
    case("rel/propagate-omm-misleading-message")
    rc, out, err = cli("propagate", "--initial", name, "--duration", "1h", "--step", "60s",
                       "-o", "x.oem")
    assert rc == 0, err
    assert "TLE" not in err


@pytest.mark.parametrize("command", ["propagate", "eclipse", "passes"])
@pytest.mark.parametrize("path", [
    "field/propagate-initial-omm-oem/ros.omm", "field/propagate-initial-omm-oem/ros.oem",
    "field/omm-xml-namespace/ros-omm-ns.xml", "field/opm-tod-frame/ros-tod.opm",
    "own/ros-tod.xml", "own/iss-3.xml", "field/tle-squeezed-whitespace/original.tle",
])
def test_one_detection_path_for_every_command(cli, tmp_path, monkeypatch, command, path):
    """Every command reads every supported form (one detection path, not one per command)."""
    monkeypatch.chdir(tmp_path)
    src = CASES / path
    extra = (("--duration", "20min", "--step", "10min", "-o", "x.oem") if command == "propagate"
             else ("--duration", "1h"))
    rc, out, err = cli(command, "--initial", str(src), *extra)
    assert rc == 0, err


def test_utf8_bom_state_file(cli, tmp_path):
    """Same kind as rel/utf8-bom-misleading, for a state file: the BOM is accepted."""
    src = (CASES / "field/propagate-initial-omm-oem/ros.omm").read_bytes()
    (tmp_path / "bom.omm").write_bytes(b"\xef\xbb\xbf" + src)
    rc, out, err = cli("eclipse", "--initial", str(tmp_path / "bom.omm"), "--duration", "1h")
    assert rc == 0, err


@pytest.mark.parametrize("name, fragment", [
    ("dup-epoch.oem", "dup-epoch.oem:41: ephemeris epoch"),
    ("start-after-stop.oem", "start-after-stop.oem:11: START_TIME"),
])
def test_oem_structure_contradictions(case, cli, name, fragment):
    """rel/oem-invalid-structure-accepted: expected exit 2: epochs must increase; START_TIME
    must not be after STOP_TIME (with file:line)."""
    case("rel/oem-invalid-structure-accepted")
    rc, out, err = cli("eclipse", "--initial", name, "--duration", "6h")
    assert rc == 2
    assert fragment in one_line(err)


def test_oem_state_outside_start_stop(case, cli):
    """Same kind, built here: a state outside START_TIME..STOP_TIME, and USEABLE times
    reversed."""
    folder = case("rel/oem-invalid-structure-accepted")
    text = (folder / "start-after-stop.oem").read_text()
    (folder / "outside.oem").write_text(
        text.replace("START_TIME = 2022-01-19T12:00:00.000", "START_TIME = 2022-01-17T13:00:00.000"))
    rc, out, err = cli("passes", "--initial", "outside.oem", "--duration", "6h")
    assert rc == 2 and "START_TIME .. STOP_TIME" in one_line(err)
    (folder / "useable.oem").write_text(
        text.replace("START_TIME = 2022-01-19T12:00:00.000", "START_TIME = 2022-01-17T12:00:00.000")
        .replace("USEABLE_START_TIME   = 2022-01-17T12:00:00.000",
                 "USEABLE_START_TIME   = 2022-01-18T13:00:00.000"))
    rc, out, err = cli("passes", "--initial", "useable.oem", "--duration", "6h")
    assert rc == 2 and "USEABLE_START_TIME" in one_line(err)


@pytest.mark.parametrize("name, fragment", [
    ("inc200.omm", "INCLINATION"), ("moon.omm", "CENTER_NAME"), ("itrf.omm", "REF_FRAME"),
    ("vers9.omm", "CCSDS_OMM_VERS"),
])
def test_omm_fields_checked(case, cli, name, fragment):
    """rel/omm-kvn-unchecked-fields: expected exit 2 each: INCLINATION 0-180, CENTER_NAME
    EARTH, REF_FRAME TEME, CCSDS_OMM_VERS 1.0-3.0."""
    case("rel/omm-kvn-unchecked-fields")
    rc, out, err = cli("eclipse", "--initial", name, "--duration", "6h")
    assert rc == 2
    line = one_line(err)
    assert fragment in line and name in line


def test_omm_json_deep_or_huge_int(case, cli):
    """rel/omm-json-deep-or-huge-int: expected exit 2 (`expected a list of OMM objects` /
    a catalog number), not RecursionError/ValueError as internal errors."""
    folder = case("rel/omm-json-deep-or-huge-int")
    (folder / "deep.json").write_text("[" * 100000 + "]" * 100000 + "\n")
    (folder / "bigint.json").write_text('[{"NORAD_CAT_ID": ' + "9" * 5000 + "}]\n")
    for name in ("deep.json", "bigint.json"):
        rc, out, err = cli("eclipse", "--initial", name)
        assert rc == 2
        line = one_line(err)
        assert name in line and "expected" in line
    # a whole record whose catalog number has 5,000 digits: the field is named, not
    # Python's integer-conversion limit
    record = json.loads((Path(__file__).resolve().parents[1] / "data" / "sgp4"
                         / "mario-omm.json").read_text())
    record = record[0] if isinstance(record, list) else record
    text = json.dumps([record]).replace(f'"NORAD_CAT_ID": {json.dumps(record["NORAD_CAT_ID"])}',
                                        '"NORAD_CAT_ID": ' + "9" * 5000)
    assert "9" * 5000 in text
    (folder / "bigcat.json").write_text(text)
    rc, out, err = cli("eclipse", "--initial", "bigcat.json")
    line = one_line(err)
    assert rc == 2 and "NORAD_CAT_ID" in line and "at most 9 digits" in line, line
    assert "4300" not in line


@pytest.mark.parametrize("argv, fragment", [
    (("eclipse", "--initial", "fast.opm", "--duration", "6h"), "velocity"),
    (("passes", "--initial", "y0001.opm", "--duration", "6h"), "epoch"),
    (("propagate", "--initial", "y0001.opm", "--duration", "1h", "--step", "60s", "-o",
      "y.oem"), 'epoch = "0001-01-01T00:00:00.000"'),   # as the file writes it (astropy: "1-01")
    (("passes", "--initial", "y9999.omm", "--duration", "6h"), 'epoch = "9999-12-31T23:59:59'),
])
def test_implausible_states_refused(case, cli, argv, fragment):
    """rel/opm-implausible-state-accepted: expected exit 2 for a velocity above light speed and
    for epochs outside the data the models cover; the three commands agree."""
    case("rel/opm-implausible-state-accepted")
    rc, out, err = cli(*argv)
    assert rc == 2
    assert fragment in one_line(err)


def test_squeezed_tle_told_so(case, cli):
    """field/tle-squeezed-whitespace: expected `squeezed.tle:1: TLE line 1 = "1 5123U ..."
    (62 columns); expected 69 columns (fixed-column TLE; spaces may have been collapsed)`."""
    case("field/tle-squeezed-whitespace")
    rc, out, err = cli("eclipse", "--initial", "squeezed.tle", "--duration", "2h")
    assert rc == 2
    line = one_line(err)
    assert line.startswith('rossim: error: squeezed.tle:1: TLE line 1 = "1 5123U 21001A')
    assert line.endswith("(62 columns); expected 69 columns (fixed-column TLE; spaces may have "
                         "been collapsed)")
    rc, out, err = cli("eclipse", "--initial", "original.tle", "--duration", "2h")
    assert rc == 0, err


def test_frame_and_centre_errors_name_the_file(cli, tmp_path):
    """rel/propagate-opm-value-blamed-on-option (notes): REF_FRAME/CENTER_NAME errors omitted
    the file name."""
    text = (CASES / "field/opm-tod-frame/ros-tod.opm").read_text()
    (tmp_path / "mars.opm").write_text(text.replace("CENTER_NAME = EARTH", "CENTER_NAME = MARS"))
    rc, out, err = cli("eclipse", "--initial", str(tmp_path / "mars.opm"))
    assert rc == 2
    assert "mars.opm: CENTER_NAME" in one_line(err)


@pytest.mark.parametrize("root", ["omm", "opm", "oem"])
def test_xml_with_unknown_encoding_is_input_error(tmp_path, root):
    """Found by tests/hardening/test_fuzz.py: an XML declaration naming an encoding Python does
    not know (``U0F-8``) is bad input (ElementTree raises LookupError), not an internal error."""
    from rossim.errors import InputError

    path = tmp_path / f"x.{root}"
    path.write_text(f'<?xml version="1.0" encoding="U0F-8"?>\n<{root}></{root}>\n',
                    encoding="utf-8")
    with pytest.raises(InputError, match="U0F-8|encoding"):
        read_state(path)


def _post_burn_oem(src: str, dst: str) -> None:
    """``dst``: the OEM ``src`` cut to its last state (after the manoeuvre)."""
    lines = open(src, encoding="utf-8").read().splitlines()
    data = [i for i, ln in enumerate(lines) if ln[:2].isdigit()]
    keep = lines[:data[0]] + [lines[data[-1]]] + lines[data[-1] + 1:]
    text = "\n".join(keep) + "\n"
    start = lines[data[-1]].split()[0]
    import re
    text = re.sub(r"(START_TIME|USEABLE_START_TIME)\s*=\s*\S+", rf"\1 = {start}", text)
    open(dst, "w", encoding="utf-8").write(text)


@pytest.mark.parametrize("command", ["eclipse", "passes"])
def test_opm_manoeuvre_flies_in_eclipse_and_passes(case, cli, command):
    """The kind of field/opm-maneuvers-ignored in the other commands that take an OPM: eclipse
    and passes flew the state without its 2 m/s burn (the same output as the file without the
    MAN block, exit 0, nothing said). Expected: after the burn, the events of a propagation
    started from the post-burn state that `rossim propagate` gives (itself within 0.1 km of
    the README's --burn reference, above): entry/exit or AOS/LOS within 0.05 s; and the burn
    moves them by seconds against the file without it."""
    folder = case("field/opm-maneuvers-ignored")
    text = (folder / "ros-man.opm").read_text()
    (folder / "noman.opm").write_text("\n".join(ln for ln in text.splitlines()
                                                if not ln.startswith("MAN_")) + "\n")
    rc, out, err = cli("propagate", "--initial", "ros-man.opm", "--duration", "3h", "--step",
                       "3h", "--gravity", "point", "-o", "a.oem")
    assert rc == 0, err
    _post_burn_oem("a.oem", "after.oem")
    extra = ["--station", "shchyolkovo"] if command == "passes" else []
    key, t0, t1 = (("passes", "aos", "los") if command == "passes"
                   else ("eclipses", "entry", "exit"))

    def events(name, duration):
        rc, out, err = cli(command, "--initial", name, "--duration", duration, "--gravity",
                           "point", "--json", *extra)
        assert rc == 0, err
        doc = json.loads(out)
        return doc, [(e[t0], e[t1]) for e in doc[key] if e[t0] and e[t0] > "2027-03-01T03"]

    doc, burned = events("ros-man.opm", "1d")
    assert "1 manoeuvre from the file" in doc["propagation"]
    _, reference = events("after.oem", "21h")
    _, unburned = events("noman.opm", "1d")
    assert len(burned) >= 3 and len(reference) >= len(burned) - 1

    def sec(s):
        return np.datetime64(s.rstrip("Z"), "ns").astype(np.int64) / 1e9

    pairs = [(b, r) for b in burned for r in reference if abs(sec(b[0]) - sec(r[0])) < 60]
    assert len(pairs) >= len(burned) - 1
    for b, r in pairs:
        assert abs(sec(b[0]) - sec(r[0])) < 0.05 and abs(sec(b[1]) - sec(r[1])) < 0.05
    moved = [abs(sec(b[0]) - sec(u[0])) for b, u in zip(burned, unburned, strict=False)]
    assert max(moved) > 1.0


def _two_burns(text: str, first: str, second: str) -> str:
    """The field case's OPM with two reboosts (at 01:00 and 02:00) whose MAN_DELTA_MASS are
    ``first`` and ``second``, the later block written first."""
    head, block = text.split("COMMENT  Reboost", 1)
    block = "COMMENT  Reboost" + block
    late = block.replace("2027-03-01T01:00:00.000", "2027-03-01T02:00:00.000")
    return (head + late.replace("-50.000", second) + "\n"
            + block.replace("-50.000", first))


def test_opm_mass_changes_fly_in_epoch_order(case, cli):
    """Blocks out of epoch order fly in epoch order (the same OEM states either way); the
    error for a mass change that leaves nothing names the block and where the mass came from
    (the file's MASS or --mass); a positive MAN_DELTA_MASS (CCSDS: negative) is refused."""
    folder = case("field/opm-maneuvers-ignored")
    text = (folder / "ros-man.opm").read_text()
    (folder / "two.opm").write_text(_two_burns(text, "-20000.0", "-30000.0"))
    rc, out, err = cli("propagate", "--initial", "two.opm", "--duration", "3h", "--step",
                       "30min", "--drag", "nrlmsise00", "-o", "two.oem", "--json")
    assert rc == 0, err
    assert json.loads(out)["mass_kg"] == {"initial": 100000.0, "final": 50000.0}
    oem = (folder / "two.oem").read_text()
    # the OEM lists them as they fly: 01:00 (-20000 kg) before 02:00 (-30000 kg)
    assert oem.index("mass change -20000 kg") < oem.index("mass change -30000 kg")
    assert "initial mass 100000 kg" in oem
    # the same two burns, blocks in epoch order: the same states
    head, block = text.split("COMMENT  Reboost", 1)
    block = "COMMENT  Reboost" + block
    (folder / "ordered.opm").write_text(
        head + block.replace("-50.000", "-20000.0") + "\n"
        + block.replace("2027-03-01T01:00:00.000", "2027-03-01T02:00:00.000")
        .replace("-50.000", "-30000.0"))
    rc, out, err = cli("propagate", "--initial", "ordered.opm", "--duration", "3h", "--step",
                       "30min", "--drag", "nrlmsise00", "-o", "ordered.oem")
    assert rc == 0, err
    states = [parse_oem((folder / n).read_text()).segments[-1].r_m for n in ("two.oem",
                                                                              "ordered.oem")]
    assert np.array_equal(states[0], states[1])
    # the mass from --mass: the error says so
    rc, out, err = cli("propagate", "--initial", "two.opm", "--duration", "3h", "--step",
                       "30min", "--drag", "nrlmsise00", "--mass", "40000", "-o", "m.oem")
    line = one_line(err)
    assert rc == 2 and "two.opm: maneuver[0].MAN_DELTA_MASS" in line, line
    assert "40000 kg spacecraft (--mass; after this burn: -10000 kg)" in line
    assert not (folder / "m.oem").exists()
    # a positive mass change (a manoeuvre spends mass) is refused, drag or not
    (folder / "gain.opm").write_text(text.replace("-50.000", "50.0"))
    for extra in (["--drag", "nrlmsise00"], ["--gravity", "point"]):
        rc, out, err = cli("propagate", "--initial", "gain.opm", "--duration", "3h", "--step",
                           "30min", *extra, "-o", "g.oem")
        line = one_line(err)
        assert rc == 2 and "gain.opm: maneuver[0].MAN_DELTA_MASS" in line, line
        assert "50 kg" in line and "zero or less" in line and "Traceback" not in err


def test_opm_manoeuvres_outside_the_span(case, cli):
    """A manoeuvre after the span's end is left out with a note (the file plans further than
    the command looks: it used to fail the whole run); one before the state's epoch is an error
    naming the file and the block; a MAN_DELTA_MASS that leaves no mass is an error naming the
    block, any other flies with its burn (no note; drag after the burn uses the new mass)."""
    folder = case("field/opm-maneuvers-ignored")
    text = (folder / "ros-man.opm").read_text()
    rc, out, err = cli("propagate", "--initial", "ros-man.opm", "--duration", "30min",
                       "--step", "10min", "--gravity", "point", "-o", "short.oem", "--json")
    assert rc == 0, err
    assert json.loads(out)["manoeuvres_from_file"] == 0
    assert "1 manoeuvre of ros-man.opm at or after the span's end not applied" in err
    (folder / "before.opm").write_text(text.replace("2027-03-01T01:00:00.000",
                                                    "2027-02-28T23:00:00.000"))
    for command in ("propagate", "eclipse"):
        args = ["-o", "x.oem", "--step", "10min"] if command == "propagate" else []
        rc, out, err = cli(command, "--initial", "before.opm", "--duration", "3h", *args)
        line = one_line(err)
        assert rc == 2 and "before.opm: maneuver[0].MAN_EPOCH_IGNITION" in line
        assert "at or after the state's epoch 2027-03-01T00:00:00.000" in line
    (folder / "mass.opm").write_text(text.replace("-50.000", "-200000.0"))
    rc, out, err = cli("propagate", "--initial", "mass.opm", "--duration", "3h", "--step",
                       "30min", "--drag", "nrlmsise00", "-o", "m.oem")
    line = one_line(err)
    assert rc == 2 and "mass.opm: maneuver[0].MAN_DELTA_MASS" in line, line
    assert "-200000 kg" in line and "100000 kg spacecraft" in line and "Traceback" not in err
    rc, out, err = cli("propagate", "--initial", "ros-man.opm", "--duration", "3h", "--step",
                       "30min", "--drag", "nrlmsise00", "-o", "d.oem")
    assert rc == 0 and "MAN_DELTA_MASS" not in err, err
    # the mass change flies: half the mass at the burn doubles the drag after it
    (folder / "half.opm").write_text(text.replace("-50.000", "-50000.0"))
    rc, out, err = cli("propagate", "--initial", "half.opm", "--duration", "3h", "--step",
                       "30min", "--drag", "nrlmsise00", "-o", "h.oem", "--json")
    assert rc == 0, err
    assert json.loads(out)["mass_kg"] == {"initial": 100000.0, "final": 50000.0}
    assert "mass change -50000 kg" in (folder / "h.oem").read_text()
    end_full, end_half = (parse_oem((folder / name).read_text()).segments[-1].r_m[-1]
                          for name in ("d.oem", "h.oem"))
    assert np.linalg.norm(end_full - end_half) > 1.0
    # without drag or SRP the mass acts on nothing, but a file whose burn leaves no
    # spacecraft is wrong whatever the force model: refused all the same (newcomer 40), in
    # eclipse too, naming the manoeuvre's epoch and the mass before and after it
    for command in ("propagate", "eclipse"):
        args = (["--step", "30min", "--gravity", "point", "-o", "n.oem"]
                if command == "propagate" else [])
        rc, out, err = cli(command, "--initial", "mass.opm", "--duration", "3h", *args)
        line = one_line(err)
        assert rc == 2 and "mass.opm: maneuver[0].MAN_DELTA_MASS" in line, line
        assert "manoeuvre at 2027-03-01T01:00:00.000 UTC, mass 100000 kg before it" in line
        assert "after this burn: -100000 kg" in line and "Traceback" not in err
    assert not (folder / "n.oem").exists()
    # ... and so is one after the span's end (not flown, but the file is wrong)
    rc, out, err = cli("propagate", "--initial", "mass.opm", "--duration", "30min", "--step",
                       "10min", "--gravity", "point", "-o", "n.oem")
    assert rc == 2 and "maneuver[0].MAN_DELTA_MASS" in one_line(err)
    # a burn at the span's last state would change no output: left out, with the note
    rc, out, err = cli("propagate", "--initial", "ros-man.opm", "--duration", "1h", "--step",
                       "30min", "--gravity", "point", "-o", "end.oem", "--json")
    assert rc == 0 and json.loads(out)["manoeuvres_from_file"] == 0
    assert "1 manoeuvre of ros-man.opm at or after the span's end not applied" in err


_OMM_KVN = """CCSDS_OMM_VERS = 2.0
CREATION_DATE = 2027-02-28T12:00:00
ORIGINATOR = TEST
OBJECT_NAME = ISS (ZARYA)
OBJECT_ID = 1998-067A
CENTER_NAME = EARTH
REF_FRAME = TEME
TIME_SYSTEM = UTC
MEAN_ELEMENT_THEORY = SGP4
EPOCH = 2027-03-01T00:00:00
MEAN_MOTION = 15.5
ECCENTRICITY = 0.0005
INCLINATION = 51.64
RA_OF_ASC_NODE = 100.0
ARG_OF_PERICENTER = 90.0
MEAN_ANOMALY = 10.0
EPHEMERIS_TYPE = 0
CLASSIFICATION_TYPE = U
NORAD_CAT_ID = 25544
ELEMENT_SET_NO = 999
REV_AT_EPOCH = 1
BSTAR = 0.0001
MEAN_MOTION_DOT = 0.0
MEAN_MOTION_DDOT = 0.0
"""


@pytest.mark.parametrize("edit, expected", [
    (("SGP4", "DSST"), 'dsst.omm:9: MEAN_ELEMENT_THEORY = "DSST"'),
    (("BSTAR = 0.0001", "BSTAR = x"), 'dsst.omm:22: BSTAR = "x"'),
    (("INCLINATION = 51.64", "INCLINATION = 200"), 'dsst.omm:13: INCLINATION = "200"'),
    (("EPOCH = 2027-03-01T00:00:00\n", ""), "dsst.omm:1: EPOCH (missing)"),
])
def test_omm_kvn_error_names_the_keywords_line(tmp_path, monkeypatch, cli, edit, expected):
    """A newcomer's OMM KVN errors all cited line 1 (the record's first line) whatever the
    keyword; each now names its own line (a missing keyword: the record's first line)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dsst.omm").write_text(_OMM_KVN.replace(*edit))
    rc, out, err = cli("eclipse", "--initial", "dsst.omm", "--duration", "2h")
    assert rc == 2 and expected in one_line(err)


def test_state_inside_the_earth_names_the_file(tmp_path, monkeypatch, cli):
    """An OEM whose first position is 3,000 km from the Earth's centre was refused as
    "argument: initial state ... (metres, not km)": no file, and a wrong hint for a file in
    km. Now the file and the field, for every command that reads a state."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.oem").write_text(
        "CCSDS_OEM_VERS = 2.0\nCREATION_DATE = 2027-02-28T12:00:00\nORIGINATOR = TEST\n"
        "META_START\nOBJECT_NAME = X\nOBJECT_ID = 2027-001A\nCENTER_NAME = EARTH\n"
        "REF_FRAME = EME2000\nTIME_SYSTEM = UTC\nSTART_TIME = 2027-03-01T00:00:00\n"
        "STOP_TIME = 2027-03-01T00:01:00\nMETA_STOP\n"
        "2027-03-01T00:00:00 3000.0 0.0 0.0 0.0 7.0 0.0\n"
        "2027-03-01T00:01:00 3000.0 420.0 0.0 0.0 7.0 0.0\n")
    for argv in (["propagate", "--initial", "in.oem", "--duration", "1h", "--step", "10min",
                  "-o", "o.oem"], ["eclipse", "--initial", "in.oem", "--duration", "1h"]):
        rc, out, err = cli(*argv)
        line = one_line(err)
        assert rc == 2 and 'in.oem: position = "3000 km from the Earth\'s centre"' in line
        assert "above the Earth's surface" in line
