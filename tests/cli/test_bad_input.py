"""Every kind of bad scenario input gets one clear line (file, field, value, what was
expected), exit code 2 and no traceback (issue: foundation, 'Bad input')."""

import re
import subprocess
import sys
from pathlib import Path

from rossim.cli.main import main

REF = Path(__file__).resolve().parents[2] / "scenarios" / "ros-51.6.toml"


def _variant(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = REF.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in the reference scenario"
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def _check(err: str, path: Path, *fragments: str) -> None:
    assert "Traceback" not in err
    lines = [ln for ln in err.strip().splitlines() if ln]
    assert len(lines) == 1, err
    line = lines[0]
    assert str(path) in line or path.name in line, line
    assert "expected" in line, line
    for frag in fragments:
        assert frag in line, (frag, line)


def test_malformed_toml(tmp_path, capsys):
    path = _variant(tmp_path, 'name = "ros-51.6"', 'name = "ros-51.6')
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "malformed TOML", "line")


def test_unknown_field(tmp_path, capsys):
    path = _variant(tmp_path, "seed = 20271215", "seed = 20271215\ncolour = \"red\"")
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "colour", "unknown key colour")


def test_unknown_field_nested(tmp_path, capsys):
    path = _variant(tmp_path, "altitude_km = 400", "altitude_km = 400\naltitud_km = 410")
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "orbit.altitud_km", "unknown key altitud_km; did you mean altitude_km?")


def test_unknown_module(tmp_path, capsys):
    path = _variant(tmp_path, 'module = "core"', 'module = "kore"')
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "assembly[3].module", '"kore"', "unknown module", "nem1")


def test_unknown_vehicle(tmp_path, capsys):
    path = _variant(tmp_path, 'vehicle = "soyuz-ms"', 'vehicle = "buran"')
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "crew_series[0].vehicle", '"buran"', "unknown vehicle", "soyuz-ms")


def test_port_already_occupied(tmp_path, capsys):
    # The gateway takes the node's forward port, where the core module docks later.
    path = _variant(tmp_path, 'port = "node.zenith"', 'port = "node.forward"')
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "assembly[3].port", '"node.forward"', "already occupied by gateway")


def test_port_type_does_not_fit_module(tmp_path, capsys):
    # A module (active hybrid) sent to the gateway's drogue port, built for ships.
    path = _variant(tmp_path, 'port = "node.forward"', 'port = "gateway.forward"')
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "assembly[3].port", '"gateway.forward"', "drogue does not fit",
           "hybrid-passive")


def test_port_type_does_not_fit_vehicle(tmp_path, capsys):
    path = _variant(tmp_path, 'port = "gateway.forward"', 'port = "gateway.airlock"')
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "crew_series[0].port", "payload does not fit")


def test_module_docked_before_parent(tmp_path, capsys):
    # The gateway to the core's port: the core is launched half a year later.
    path = _variant(tmp_path, 'port = "node.zenith"', 'port = "core.forward"')
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "assembly[2].port", '"core.forward"', "core, its parent module, docks "
           "only on 2028-12-23")


def test_launch_mass_above_capability(tmp_path, capsys):
    path = _variant(tmp_path, 'module = "nem1"\nlaunch = 2027-12-15\nlauncher = "angara-a5"',
                    'module = "nem1"\nlaunch = 2027-12-15\nlauncher = "angara-a5"\n'
                    "mass_kg = 26000")
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    # 26,000 kg module + 1,500 kg climb propellant + 750 kg adapter (rossim.station.insertion)
    _check(err, path, "assembly[0].mass_kg = 26000", "launch mass 28250 kg = nem1 26000 kg + "
           "climb propellant 1500 kg + adapter 750 kg", "above the launcher's capability",
           "at most", "insertion orbit")


def test_span_dates_out_of_order(tmp_path, capsys):
    path = _variant(tmp_path, "end = 2035-12-31", "end = 2026-12-31")
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "span.end", "2026-12-31", "after start")


def test_assembly_dates_out_of_order(tmp_path, capsys):
    path = _variant(tmp_path, "launch = 2028-12-15", "launch = 2028-01-15")
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "assembly[3].launch", "2028-01-15", "date order")


def test_negative_mass(tmp_path, capsys):
    path = _variant(tmp_path, "mass_kg = 20 ", "mass_kg = -20 ")
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "free_flyers.deployments[0].mass_kg", "-20", ">= 0.1")


def test_non_numeric_altitude(tmp_path, capsys):
    path = _variant(tmp_path, "altitude_km = 400 ", 'altitude_km = "high" ')
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "orbit.altitude_km", "high", "a number")


def test_negative_altitude(tmp_path, capsys):
    path = _variant(tmp_path, "altitude_km = 400 ", "altitude_km = -400 ")
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "orbit.altitude_km", "-400", "> 150")


def test_missing_file(tmp_path, capsys):
    path = tmp_path / "nope.toml"
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "not found")


def test_bad_date_argument(capsys):
    rc, _, err = _run(capsys, "describe", "ros-51.6", "--at", "yesterday")
    assert rc == 2
    assert "--at" in err and "yesterday" in err and "expected" in err


def test_real_process_has_no_traceback(tmp_path):
    """The installed entry point, in a separate process: exit 2, one line, no traceback."""
    path = _variant(tmp_path, 'module = "core"', 'module = "kore"')
    proc = subprocess.run([sys.executable, "-m", "rossim.cli.main", "validate", str(path)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert re.search(r"assembly\[3\]\.module = \"kore\"", proc.stderr)


def test_station_cd_moved_to_operations(tmp_path, capsys):
    """One station drag coefficient: free_flyers.station_cd is refused, naming operations.cd."""
    path = _variant(tmp_path, "[free_flyers]", "[free_flyers]\nstation_cd = 2.4")
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "free_flyers.station_cd", "2.4", "operations.cd")


def test_raan_and_ltan_together(tmp_path, capsys):
    path = _variant(tmp_path, "altitude_km = 400", "altitude_km = 400\nltan_h = 10.5")
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "orbit.raan_deg", "ltan_h = 10.5", "not both")


def test_ltan_out_of_range(tmp_path, capsys):
    path = _variant(tmp_path, "raan_deg = 0.0", "ltan_h = 25")
    rc, _, err = _run(capsys, "validate", str(path))
    assert rc == 2
    _check(err, path, "orbit.ltan_h", "25")
