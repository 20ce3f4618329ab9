"""An option the command would not read is an error (exit 2, one line naming the option, the
value and what it needs), never accepted and ignored: a tester's sweep found ``dose --crew
3 ros-51.6`` byte-identical to ``dose ros-51.6``, ``dose --spe 2020-01-01 ros-51.6`` (before
the span) doing nothing, ``decay FILE --fit-days 10`` without ``--fit``, ``trade --ltan-h 10``
when neither scenario sets ``ltan_h``, ``fleet --start 2035-12-30 --days 10`` running nine
days past the span's end, ``coverage --from 2040-01-01`` outside the span and ``propagate
--third-body 'sun,'`` all accepted with exit 0. Where ignoring is right (a spacecraft option
of a force that is off, as with ``--drag none``) a note on stderr says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_errors import one_line as _one_line

from rossim.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
TLE = ROOT / "tests" / "data" / "iss" / "iss-tle-2023-01-to-04.txt"
OPM = ROOT / "tests" / "data" / "orekit" / "initial_iss.opm"
ORBIT = ("--altitude", "400", "--inclination", "51.6")


@pytest.mark.parametrize("argv, head, expected", [
    # dose of a scenario: the orbit study's options, --solar and --map-shielding
    (["dose", "ros-51.6", "--crew", "3"], "--crew = 3",
     "--altitude and --inclination with it"),
    (["dose", "ros-51.6", "--date", "2030-01-01"], '--date = "2030-01-01"',
     "--altitude and --inclination with it"),
    (["dose", "ros-51.6", "--visits-per-year", "4"], "--visits-per-year = 4",
     "--altitude and --inclination with it"),
    (["dose", "ros-51.6", "--visit-days", "10"], "--visit-days = 10",
     "--altitude and --inclination with it"),
    (["dose", "ros-51.6", "--days", "10"], "--days = 10",
     "--altitude and --inclination with it"),
    (["dose", "ros-51.6", "--solar", "max"], '--solar = "max"',
     "--altitude and --inclination, or --map, with it"),
    (["dose", *ORBIT, "--map-shielding", "2"], "--map-shielding = 2", "--map with it"),
    (["dose", "ros-51.6", "--spe", "2020-01-01"], '--spe = "2020-01-01"',
     "a date inside the scenario ros-51.6's span, after 2027-11-29 00:00 and before 2035-12-31 00:00 UTC"),
    (["dose", "ros-51.6", "--spe", "2099-01-01"], '--spe = "2099-01-01"',
     "a date inside the scenario ros-51.6's span"),
    # decay: the fit's options without --fit, the table's without --table and back
    (["decay", TLE, "--fit-days", "10"], "--fit-days = 10", "--fit with it"),
    (["decay", TLE, "--model", "msis2.0"], '--model = "msis2.0"', "--fit with it"),
    (["decay", TLE, "--data", "tests/data/iss"], '--data = "tests/data/iss"',
     "--table with it"),
    (["decay", "--table", "--fit"], "--fit = true", "no history options with --table"),
    (["decay", "--table", "--start", "2023-01-01"], '--start = "2023-01-01"',
     "no history options with --table"),
    # trade: --ltan-h moves the node of a sun-synchronous scenario only
    (["trade", "ros-51.6", "ros-iss-start", "--ltan-h", "10", "--no-reboost"],
     "--ltan-h = 10", "a scenario that sets orbit.ltan_h"),
    # fleet and coverage: the window inside the scenario's span
    (["fleet", "ros-51.6", "--start", "2035-12-30", "--days", "10"],
     "--days = 10 (it would end 2036-01-09 00:00 UTC)",
     "a span that ends by the scenario ros-51.6's end (2035-12-31): at most 1 days from "
     "start 2035-12-30 00:00 UTC"),
    (["coverage", "--from", "2040-01-01", "--days", "1"], '--from = "2040-01-01"',
     "a date inside the scenario span 2027-12-01 .. 2035-12-31"),
    (["coverage", "--from", "2035-12-30", "--days", "3"],
     "--days = 3 (the window would end 2036-01-02 00:00 UTC)",
     "at most 1 days from --from 2035-12-30 (the scenario ros-51.6's span ends 2035-12-31)"),
    # propagate: an empty item of --third-body is not skipped
    (["propagate", "--initial", OPM, "--duration", "1h", "--step", "10min", "-o", "x.oem",
      "--third-body", "sun,"], '--third-body = "sun,"',
     "a comma-separated list of sun and moon with no empty item"),
    (["propagate", "--initial", OPM, "--duration", "1h", "--step", "10min", "-o", "x.oem",
      "--third-body", "none,moon"], '--third-body = "none,moon"',
     "a comma-separated list of sun and moon with no empty item (sun, moon, sun,moon), or "
     "none alone"),
    (["propagate", "--initial", OPM, "--duration", "1h", "--step", "10min", "-o", "x.oem",
      "--third-body", ""], "--third-body = ''", "a value"),
], ids=lambda v: None if isinstance(v, list) else "")
def test_an_option_the_command_would_not_read_is_an_error(capsys, tmp_path, monkeypatch,
                                                          argv, head, expected):
    monkeypatch.chdir(tmp_path)
    line = _one_line(capsys, argv)
    assert line.startswith(f"rossim: error: argument: {head}"), line
    assert f"; expected {expected}" in line, line
    assert not (tmp_path / "x.oem").exists()


def test_each_option_is_read_where_it_acts(capsys):
    """The same options where they act: the orbit study takes --crew (its periodic rows have
    that crew); --ltan-h with the sun-synchronous ros-97 is accepted (checked up to the
    study: here its bad value)."""
    assert main(["dose", *ORBIT, "--days", "1", "--step", "600", "--crew", "3", "--json"]) == 0
    study = json.loads(capsys.readouterr().out)["periodic_vs_continuous"]
    assert {row["crew"] for row in study} == {3}
    assert main(["trade", "ros-51.6", "ros-97", "--ltan-h", "25", "--no-reboost"]) == 2
    assert "--ltan-h = 25; expected a finite number in [0, 24] h" in capsys.readouterr().err


def test_srp_options_without_srp_are_noted(capsys, tmp_path):
    """--cr and --srp-area act on nothing without --srp: the run goes on (as --area without
    drag), and one note on stderr names them and the option that would use them."""
    rc = main(["propagate", "--initial", str(OPM), "--duration", "1h", "--step", "10min",
               "-o", str(tmp_path / "x.oem"), "--cr", "1.5", "--srp-area", "10", "--json"])
    cap = capsys.readouterr()
    assert rc == 0, cap.err
    assert cap.err == ("rossim: note: --cr, --srp-area ignored: no solar radiation pressure "
                       "(--srp not given); give --srp to use them\n")
    assert json.loads(cap.out)["srp"] is False
