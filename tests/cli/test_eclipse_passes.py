"""`rossim eclipse` and `rossim passes` end to end.

Eclipse times are compared with Orekit's EclipseDetector on the same two-body trajectory
(tests/data/orekit/eclipse.json, made by tools/orekit_oracle.py; see its README): the issue asks
for entry and exit within 1 s."""

import json
from pathlib import Path

import pytest
from astropy.time import Time

from rossim.cli.main import main

DATA = Path(__file__).resolve().parents[1] / "data"
OPM = DATA / "orekit" / "initial_iss.opm"


def _run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_eclipse_matches_orekit_within_one_second(capsys):
    rc, out, err = _run(capsys, "eclipse", "--initial", str(OPM), "--gravity", "point",
                        "--duration", "1d", "--json")
    assert rc == 0, err
    ours = json.loads(out)["eclipses"]
    ref = json.loads((DATA / "orekit" / "eclipse.json").read_text())
    ref_events = [e for e in ref["events"] if e["shadow"] == "umbra"]
    entries = Time([e["epoch_utc"] for e in ref_events if e["event"] == "entry"], scale="utc")
    exits = Time([e["epoch_utc"] for e in ref_events if e["event"] == "exit"], scale="utc")
    our_entries = Time([e["entry"].rstrip("Z") for e in ours if not e["entry_clipped"]],
                       scale="utc")
    our_exits = Time([e["exit"].rstrip("Z") for e in ours if not e["exit_clipped"]],
                     scale="utc")
    assert len(our_entries) == len(entries) and len(our_exits) == len(exits)
    assert abs((our_entries - entries).to_value("s")).max() < 1.0
    assert abs((our_exits - exits).to_value("s")).max() < 1.0


def test_passes_json_and_table(capsys, tmp_path):
    tle = tmp_path / "iss.tle"
    lines = (DATA / "iss" / "iss-tle-2023-01-to-04.txt").read_text().splitlines()[:2]
    tle.write_text("\n".join(lines) + "\n")
    rc, out, err = _run(capsys, "passes", "--initial", str(tle), "--duration", "1d", "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert data["passes"], "the ISS passes over Russian stations every day"
    for p in data["passes"]:
        assert p["max_elevation_deg"] >= 5.0 - 1e-6
        assert 0 < p["duration_s"] < 900
    rc, out, _ = _run(capsys, "passes", "--initial", str(tle), "--duration", "1d",
                      "--station", "ussuriysk")
    assert rc == 0 and "Ussuriysk" in out


@pytest.mark.parametrize("argv, fragment", [
    (["passes", "--initial", str(OPM), "--station", "moon-base"], "--station"),
    (["passes", "--initial", str(OPM), "--min-elevation", "95"], "--min-elevation"),
    # 90 is refused (the check is < 90): the message says so, not "between -5 and 90"
    (["passes", "--initial", str(OPM), "--min-elevation", "90"], "up to, not including, 90"),
    (["eclipse", "--initial", str(OPM), "--duration", "soon"], "--duration"),
    (["eclipse", "--initial", "/nonexistent/state.opm"], "state.opm"),
])
def test_bad_arguments(capsys, argv, fragment):
    rc, _, err = _run(capsys, *argv)
    assert rc == 2
    assert fragment in err and "Traceback" not in err
