"""A newcomer's messages (stop 47's review, found by trying the commands): each names the
option or field, the value and what is expected, in one line with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_errors import one_line as _one_line

from rossim.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def _error(capsys, argv) -> str:
    with pytest.raises(SystemExit) as exit_:   # argparse's own refusals exit from the parser
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


@pytest.mark.parametrize("argv, expected", [
    (["dose", "--altitude", "400km"],
     "argument --altitude: invalid value '400km': expected a number of km, written without a "
     "unit"),
    (["coverage", "ros-51.6", "--swath-km", "200 km"],
     "argument --swath-km: invalid value '200 km': expected a number of km, written without"),
    (["propagate", "--mass", "20t"],
     "argument --mass: invalid value '20t': expected a number of kg, written without a unit"),
    (["campaign", "ros-51.6", "--runs", "two"],
     "argument --runs: invalid value 'two': expected an integer (see"),
    (["decay", "x.tle", "--cd", "high"], "argument --cd: invalid value 'high': expected a number (see"),
])
def test_a_number_with_a_unit_says_the_options_unit(capsys, argv, expected):
    """argparse said only "invalid float value: '400km'"."""
    assert expected in _error(capsys, argv)


def test_a_bare_duration_is_said_to_be_seconds(capsys):
    """`--duration 3` was refused as under 60 s without saying that 3 meant 3 seconds."""
    err = _one_line(capsys, ["eclipse", "--initial", str(
        ROOT / "tests/data/cases/rel/sgp4-failure-nan-output/ecc0999.omm"), "--duration", "3"])
    assert '--duration = "3" (a number without a unit is seconds: 3 s; write 3d, 6h or 90min' \
        in err and "at least 60 s" in err


def test_describe_diff_names_its_option(capsys):
    err = _one_line(capsys, ["describe", "ros-51.6", "--diff", "nope.toml"])
    assert err.startswith('rossim: error: argument: --diff = "nope.toml" (not found)'), err


def test_coverage_region_names_its_option(capsys):
    err = _one_line(capsys, ["coverage", "ros-51.6", "--region", "mars", "--days", "1"])
    assert 'argument: --region = "mars"' in err and "russia, arctic, nsr" in err


@pytest.mark.parametrize("old, new, field, problem", [
    ("start = 2027-12-01", "start = 2027-13-01", "span.start (line 24)", "month must be in 1..12"),
    ("date = 2034-03-01", "date = 2034-02-29T10:00:00Z", "free_flyers.deployments[1].date",
     "day is out of range for month"),
])
def test_a_date_the_calendar_has_not_names_its_field(tmp_path, capsys, old, new, field,
                                                     problem):
    """TOML refused `start = 2027-13-01` as "Expected newline or end of document after a
    statement" at line 24, column 13, naming neither the field nor the month."""
    text = (ROOT / "scenarios" / "ros-51.6.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    err = _one_line(capsys, ["validate", str(bad)])
    value = new.split(" = ")[1]
    # shown as written: a TOML date, not a quoted string
    assert f'{field}' in err and f'= {value} ({problem}); expected a calendar date' in err


def test_other_toml_syntax_errors_are_as_before(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nstart = 2027-12-01 junk\n', encoding="utf-8")
    err = _one_line(capsys, ["validate", str(bad)])
    assert "line 2, column 20" in err and "malformed TOML" in err


@pytest.mark.parametrize("argv, shown", [
    (["launch", "ros-51.6", "--days", "500"], "argument: --days = 500;"),
    (["dose", "--altitude", "400", "--inclination", "51.6", "--days=0"], "--days = 0;"),
    (["coverage", "ros-51.6", "--days", "1e9"], "--days = 1e9;"),
    (["dose", "--altitude", "4000", "--inclination", "51.6"], "--altitude = 4000;"),
])
def test_a_number_option_is_echoed_as_typed(capsys, argv, shown):
    """`--days 500` was echoed as `--days = 500.0`, the float argparse made of it."""
    err = _one_line(capsys, argv)
    assert shown in err, err


def test_an_ignored_option_note_is_in_the_summary(tmp_path, capsys):
    """field/propagate-initial-omm-oem's command gives --area and --mass with no drag: the
    note on stderr was not in the summary (table ``notes: none``, JSON ``"notes": []``)."""
    import json

    case = ROOT / "tests/data/cases/field/propagate-initial-omm-oem/ros.omm"
    assert main(["propagate", "--initial", str(case), "--duration", "1h", "--step", "10min",
                 "--area", "400", "--mass", "100000", "-o", str(tmp_path / "x.oem"),
                 "--json"]) == 0
    cap = capsys.readouterr()
    text = ("--area, --mass ignored: --drag none (no atmosphere); give --drag nrlmsise00, "
            "msis2.0 or msis2.1 to use them")
    assert json.loads(cap.out)["notes"] == [text]
    assert cap.err == f"rossim: note: {text}\n"

