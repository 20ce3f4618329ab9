"""Each error names what is wrong, in the user's words, before any work (a tester's sweep):
``propagate --drag msis3`` said ``--area (missing)`` and ``--srp --cr -1`` ``--mass
(missing)`` (a companion required before the value was checked); ``decay`` spoke of ``tles
= 1`` and ``jd = 1`` (Python parameters); ``validate ''`` said ``. = "."``; ``--duration -1d`` got argparse's "expected one argument"; ``--maps /dev/null`` "(it
is a file)"; an empty string in a scenario pydantic's "String should have at least 1
character". (``run --parquet --out DIR`` with a file DIR/parquet, found only after the
simulation, is refused before it by ``rossim.outputcheck.check_in_the_way``:
tests/cli/test_output_paths.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from rossim.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
TLE = ROOT / "tests" / "data" / "sgp4" / "mario.tle"
ISS = ROOT / "tests" / "data" / "iss" / "iss-tle-2023-01-to-04.txt"


def _line(capsys, argv, rc: int = 2) -> str:
    got = main([str(a) for a in argv])
    cap = capsys.readouterr()
    assert got == rc, cap
    assert "Traceback" not in cap.err, cap.err
    lines = cap.err.strip().splitlines()
    assert len(lines) == 1, cap.err
    return lines[0]


PROPAGATE = ["propagate", "--initial", TLE, "--duration", "1h", "--step", "60s", "-o", "p.oem"]


@pytest.mark.parametrize("extra, head", [
    (["--drag", "msis3"], '--drag = "msis3"; expected one of none, nrlmsise00, msis2.0'),
    (["--srp", "--cr", "-1"], "--cr = -1; expected a finite number in [0, 2]"),
    (["--srp", "--srp-area", "-3"], "--srp-area = -3; expected a finite number in [0, "),
    (["--drag", "nrlmsise00", "--cd", "50"], "--cd = 50; expected a finite number in [0.1"),
    (["--drag", "nrlmsise00", "--gravity", "99x99"], '--gravity = "99x99"; expected'),
    (["--drag", "nrlmsise00", "--third-body", "mars"], '--third-body = "mars"; expected'),
    # a negative value with a unit is the option's value, checked by the option
    (["--duration", "-1d"], '--duration = "-1d"; expected a duration of at least 1 s (not '
                            'negative)'),
    (["--step", "-60s"], '--step = "-60s"; expected a duration of at least 0.001 s (not '
                         'negative)'),
    (["--gravity", "-2x2"], '--gravity = "-2x2"; expected point, j2..j6 or NxM'),
    (["--duration=-1d"], '--duration = "-1d"; expected a duration of at least 1 s'),
])
def test_propagate_checks_each_value_before_requiring_its_companions(capsys, tmp_path,
                                                                     monkeypatch, extra, head):
    """The TLE has no drag area or mass: a bad value is named, not the missing companion."""
    monkeypatch.chdir(tmp_path)
    line = _line(capsys, PROPAGATE + extra)
    assert line.startswith(f"rossim: error: argument: {head}"), line


def test_a_negative_number_with_an_exponent_is_a_value(capsys):
    line = _line(capsys, ["dose", "--altitude", "-1e3", "--inclination", "51.6"])
    assert line == ("rossim: error: argument: --altitude = -1e3; expected an altitude "
                    "between 100 and 2000 km")


def test_an_output_folder_that_is_a_device_says_so(capsys):
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null")
    line = _line(capsys, ["coverage", "--days", "1", "--maps", "/dev/null"])
    assert line == ('rossim: error: argument: --maps = "/dev/null" (it is a character device); '
                    "expected a folder"), line


def _history(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def test_decay_names_the_file_not_its_python_parameters(capsys, tmp_path):
    iss = ISS.read_text(encoding="ascii").splitlines()
    one = _line(capsys, ["decay", TLE])
    assert one == (f"rossim: error: {TLE}: element sets = 1; expected a history of at least "
                   "10 element sets"), one
    mixed = _history(tmp_path / "mixed.tle", iss[:36] + TLE.read_text().splitlines())
    assert _line(capsys, ["decay", mixed]) == (
        f"rossim: error: {mixed}: catalogue numbers = [25544, 55123]; expected element sets "
        "of one object")
    same = _history(tmp_path / "same.tle", iss[:2] * 12)
    assert _line(capsys, ["decay", same]) == (
        f"rossim: error: {same}: distinct element set epochs = 1; expected at least 10 "
        "strictly increasing epochs")
    short = _line(capsys, ["decay", ISS, "--start", "2023-02-01", "--end", "2023-02-04"])
    assert short == (f"rossim: error: {ISS} (none found); expected at least one "
                     "manoeuvre-free stretch of 7.0 days or more between --start 2023-02-01 "
                     "and --end 2023-02-04"), short


@pytest.mark.parametrize("argv, name", [
    (["validate", ""], "scenario"), (["describe", " "], "scenario"),
    (["trade", "ros-51.6", ""], "SCENARIO"), (["decay", ""], "file"),
])
def test_an_empty_argument_is_named_not_taken_for_the_current_folder(capsys, argv, name):
    line = _line(capsys, argv)
    assert line.startswith(f"rossim: error: argument: {name} = '"), line
    assert line.endswith("; expected a value (an empty string is not 'not given')"), line


def test_an_empty_string_in_a_scenario_in_rossims_words(capsys, tmp_path):
    """A dispersion's source left empty: rossim's words, not pydantic's "String should have
    at least 1 character"."""
    text = (ROOT / "scenarios" / "ros-51.6.toml").read_text(encoding="utf-8")
    first = text.index('source = "estimate + noaa-panel-2019')
    end = text.index("\n", first)
    path = tmp_path / "src.toml"
    path.write_text(text[:first] + 'source = ""' + text[end:], encoding="utf-8")
    line = _line(capsys, ["validate", path])
    assert line == (f"rossim: error: {path}: monte_carlo.solar_amplitude_scale.source = ''; "
                    "expected at least 1 character(s)"), line
