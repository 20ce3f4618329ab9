"""``rossim propagate``: OPM in, OEM out (checked against the Orekit two-body fixture), TLE
in, and bad input giving exit code 2 with no output file."""

import json
from pathlib import Path

import numpy as np
import pytest

from rossim.cli.main import main
from rossim.files.oem import read_oem

DATA = Path(__file__).resolve().parents[1] / "data" / "orekit"
OPM = DATA / "initial_iss.opm"


def test_opm_to_oem_matches_orekit(tmp_path):
    out = tmp_path / "iss.oem"
    rc = main(["propagate", "--initial", str(OPM), "--duration", "2h", "--step", "10min",
               "--gravity", "point", "-o", str(out), "--json"])
    assert rc == 0
    oem = read_oem(out)
    seg = oem.segments[0]
    assert seg.ref_frame == "EME2000" and seg.time_system == "UTC"
    epochs, r, _ = seg.states_gcrf()
    fx = json.loads((DATA / "twobody.json").read_text())
    ref = np.array(fx["r_gcrf_m"])[: len(r)]
    assert len(r) == 13
    # OEM positions are written to the millimetre (km with 9 decimals).
    assert np.linalg.norm(r - ref, axis=1).max() < 1.0


def test_tle_input(tmp_path):
    tle = tmp_path / "iss.tle"
    tle.write_text("ISS (ZARYA)\n"
                   "1 25544U 98067A   23001.26991367  .00015968  00000-0  28903-3 0  9993\n"
                   "2 25544  51.6448  75.3411 0005204 209.5406 257.0907 15.49811030375904\n")
    out = tmp_path / "iss.oem"
    rc = main(["propagate", "--initial", str(tle), "--duration", "90min", "--step", "1min",
               "--gravity", "j2", "-o", str(out), "--json"])
    assert rc == 0
    seg = read_oem(out).segments[0]
    assert len(seg.epochs) == 91
    radius_km = np.linalg.norm(seg.r_m, axis=1) / 1000.0
    assert 6700 < radius_km.min() and radius_km.max() < 6850


@pytest.mark.parametrize("extra", [
    ["--mass", "-1"], ["--area", "-2", "--drag", "nrlmsise00"], ["--gravity", "9q"],
    ["--duration", "soon"], ["--drag", "jacchia"], ["--third-body", "mars"],
    ["--space-weather", "historical", "--f107", "120"],
])
def test_bad_input_exit_2_no_file(tmp_path, extra):
    out = tmp_path / "bad.oem"
    args = ["propagate", "--initial", str(OPM), "--duration", "1h", "--step", "60s",
            "-o", str(out)]
    # Later options override earlier ones in argparse.
    rc = main(args + extra)
    assert rc == 2
    assert not out.exists()
    assert not list(tmp_path.glob(".tmp-*"))
