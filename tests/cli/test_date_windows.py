"""Date windows on the command line: an error names the options and the values as typed and
says what range is expected (a newcomer got ``time = "2100-01-01T00:00:00.000"`` from
``rossim dose --date 2099-12-20 --days 30``, and "expected at least one manoeuvre-free stretch"
from ``rossim decay FILE --start 2023-03-01 --end 2023-02-01``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rossim.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
TLE_2023 = ROOT / "tests" / "data" / "iss" / "iss-tle-2023-01-to-04.txt"
SCEN = ROOT / "scenarios" / "ros-51.6.toml"


def _err(capsys, *argv) -> str:
    rc = main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_dose_window_past_the_space_weather_table(capsys):
    line = _err(capsys, "dose", "--altitude", "400", "--inclination", "51.6",
                "--date", "2099-12-20", "--days", "30")
    assert line.startswith('rossim: error: argument: --date = "2099-12-20" (with --days 30 '
                           "the window ends 2100-01-19"), line
    assert "to end before 2100-01-01" in line and "--date before 2099-12-02" in line, line
    assert "time =" not in line


def test_dose_window_ending_on_the_table_end(capsys):
    """The models read every UTC day the window touches: ending at 2100-01-01 00:00 is out."""
    line = _err(capsys, "dose", "--altitude", "400", "--inclination", "51.6",
                "--date", "2099-12-02", "--days", "30")
    assert '--date = "2099-12-02"' in line and "--days 30" in line, line


def test_coverage_window_past_the_sun_ephemeris(capsys):
    line = _err(capsys, "coverage", SCEN, "--from", "2049-12-20", "--days", "30")
    assert '--from = "2049-12-20" (with --days 30' in line, line
    assert "DE421" in line and "JD(TDB)" not in line, line


@pytest.mark.parametrize("start, end, fragment", [
    ("2023-03-01", "2023-02-01", '--end = "2023-02-01" (before --start); expected a date '
                                 "after --start 2023-03-01"),
    ("2023-03-01", "2023-03-01", '--end = "2023-03-01" (the same as --start)'),
    ("2030-03-01", None, '--start = "2030-03-01"; expected a date before the file\'s last '
                         "element set (iss-tle-2023-01-to-04.txt holds element sets from "
                         "2023-01-01"),
    (None, "2020-03-01", '--end = "2020-03-01"; expected a date after the file\'s first'),
])
def test_decay_span(capsys, start, end, fragment):
    argv = ["decay", TLE_2023]
    argv += ["--start", start] if start else []
    argv += ["--end", end] if end else []
    line = _err(capsys, *argv)
    assert fragment in line, line
    assert "manoeuvre-free" not in line


def test_decay_end_before_start_is_checked_before_the_file(capsys, tmp_path):
    line = _err(capsys, "decay", tmp_path / "missing.tle", "--start", "2023-03-01",
                "--end", "2023-02-01")
    assert "--end" in line and "before --start" in line, line
