"""``rossim propagate --drag none`` with a drag or space-weather option: the option acts on
nothing; a one-line note on stderr names it (a newcomer's --f107, --area and --mass were
silently ignored). A note, not an error: the field case propagate-initial-omm-oem's real
command gives --area and --mass without drag (tests/hardening/test_input_formats.py).
--area and --mass still serve --srp (no note then)."""

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
def test_drag_options_without_drag_get_a_note(tmp_path, capsys, option):
    rc, out, err = _run(capsys, "-o", tmp_path / "c.oem", *option)
    assert rc == 0, err
    assert err == (f"rossim: note: {option[0]} ignored: --drag none (no atmosphere); give "
                   "--drag nrlmsise00, msis2.0 or msis2.1 to use it\n"), err


def test_several_unused_options_in_one_note(tmp_path, capsys):
    rc, out, err = _run(capsys, "-o", tmp_path / "c.oem", "--f107", "150", "--area", "100",
                        "--mass", "20000")
    assert rc == 0
    assert err.startswith("rossim: note: --f107, --area, --mass ignored: --drag none")
    assert len(err.splitlines()) == 1


def test_area_and_mass_serve_srp_without_drag(tmp_path, capsys):
    rc, out, err = _run(capsys, "-o", tmp_path / "d.oem", "--srp", "--area", "100", "--mass",
                        "20000")
    assert rc == 0, err
    # no note: the file's MAN_DELTA_MASS flies with its burn (radiation pressure uses the mass)
    assert [ln for ln in err.splitlines() if "note" in ln] == []


def test_with_drag_no_note(tmp_path, capsys):
    rc, out, err = _run(capsys, "-o", tmp_path / "e.oem", "--drag", "nrlmsise00", "--f107",
                        "150", "--area", "100", "--mass", "20000")
    assert rc == 0, err
    assert [ln for ln in err.splitlines() if "note" in ln] == []


@pytest.mark.parametrize("option", [("--mass", "-5"), ("--area", "0"), ("--cd", "nan")])
def test_bad_value_of_an_unused_option_is_one_error_line(tmp_path, capsys, option):
    """A bad --mass without drag said first that --mass was ignored, then refused it: two
    lines that contradict each other. The value is checked first: one error line."""
    rc, out, err = _run(capsys, "-o", tmp_path / "f.oem", *option)
    assert rc == 2
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("rossim: error: argument: " + option[0]), err
    assert "ignored" not in err


def test_burn_outside_the_span_names_the_option(tmp_path, capsys):
    """A --burn after the span's end was refused as "argument: manoeuvre.epoch" (the
    propagator's name, not the option's); now --burn, its text and the span."""
    rc, out, err = _run(capsys, "-o", tmp_path / "b.oem", "--burn",
                        "2027-03-01T05:00:00 vnc 2 0 0")
    assert rc == 2 and len(err.splitlines()) == 1
    assert err.startswith('rossim: error: argument: --burn = "2027-03-01T05:00:00 vnc 2 0 0"')
    assert "2027-03-01T00:00:00.000 to 2027-03-01T03:00:00.000" in err
