"""``rossim propagate``'s table: words and numbers, not Python's ``None``, dicts and lists,
and the manoeuvres counted whatever their origin (a newcomer's ``--burn`` was applied but the
table said ``manoeuvres_from_file 0`` and nothing else)."""

from __future__ import annotations

import json
from pathlib import Path

from rossim.cli.main import main

OPM = Path(__file__).resolve().parents[1] / "data" / "cases" / "field" / \
    "opm-maneuvers-ignored" / "ros-man.opm"
BURN = "2027-03-01T01:00:00 VNC 0.5 0 0"


def _run(capsys, *argv):
    rc = main(["propagate", "--initial", str(OPM), "--duration", "3h", "--step", "30min",
               "--gravity", "point", *map(str, argv)])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def test_table_has_no_python_reprs_and_counts_burns(tmp_path, capsys):
    rc, out, err = _run(capsys, "-o", tmp_path / "a.oem", "--burn", BURN)
    assert rc == 0, err
    for python in ("None", "{", "}", "['", "[]", "True", "False"):
        assert python not in out, (python, out)
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip()
            for line in out.splitlines() if line.count("│") >= 3}
    assert rows["manoeuvres"] == "2"  # the file's one and the --burn
    assert rows["manoeuvres_from_command_line"] == "1"
    assert rows["manoeuvres_from_file"] == "1"
    assert rows["space_weather"] == "none" and rows["third_body"] == "none"
    assert rows["radius_minus_equatorial_km"].startswith("min ")
    rc, out, err = _run(capsys, "-o", tmp_path / "b.oem", "--burn", BURN, "--json")
    s = json.loads(out)
    assert (s["manoeuvres"], s["manoeuvres_from_command_line"]) == (2, 1)
