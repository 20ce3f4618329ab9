"""``rossim propagate --drag none`` with a drag or space-weather option: the option has
nothing to act on; refused (exit 2, one line naming it), never silently ignored as a
newcomer found for --f107, --area and --mass. --area and --mass still serve --srp."""

from __future__ import annotations

from pathlib import Path

import pytest

from rossim.cli.main import main

OPM = Path(__file__).resolve().parents[1] / "data" / "cases" / "field" / \
    "opm-maneuvers-ignored" / "ros-man.opm"


def _run(capsys, *argv):
    rc = main(["propagate", "--initial", str(OPM), "--duration", "3h", "--step", "30min",
               "--gravity", "point", *map(str, argv)])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


@pytest.mark.parametrize("option", [("--f107", "150"), ("--f107a", "150"), ("--ap", "10"),
                                    ("--space-weather", "historical"), ("--cd", "2.2"),
                                    ("--area", "100"), ("--mass", "20000")])
def test_drag_options_without_drag_are_refused(tmp_path, capsys, option):
    rc, out, err = _run(capsys, "-o", tmp_path / "c.oem", *option)
    assert rc == 2, err
    assert option[0] in err and "--drag" in err and len(err.splitlines()) == 1, err
    assert not (tmp_path / "c.oem").exists()


def test_area_and_mass_serve_srp_without_drag(tmp_path, capsys):
    rc, out, err = _run(capsys, "-o", tmp_path / "d.oem", "--srp", "--area", "100", "--mass",
                        "20000")
    assert rc == 0, err
