"""User-facing error lines show values as the user wrote them, never a Python repr (None,
``datetime.time(12, 0)``, ``Decimal('1.5')``, a tuple's parentheses): a newcomer saw
``name = None (missing field)`` for an empty scenario, ``span.start = datetime.time(12, 0)``
for ``start = 12:00:00`` and ``altitude_band_km[1] = None`` for ``altitude_band_km = [390]``."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from rossim.cli.main import main
from rossim.errors import InputError, show_value

REF = Path(__file__).resolve().parents[2] / "scenarios" / "ros-51.6.toml"
PYTHON_REPR = re.compile(r"\bNone\b|datetime\.|Decimal\(|np\.|numpy\.|\(\d+, \d+\)")


def _validate(capsys, path: Path) -> str:
    rc = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert rc == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert not PYTHON_REPR.search(lines[0]), lines[0]
    return lines[0]


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = REF.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_empty_scenario_says_missing(tmp_path, capsys):
    path = tmp_path / "empty.toml"
    path.write_text("", encoding="utf-8")
    line = _validate(capsys, path)
    assert "empty.toml: name (missing); expected this required field to be present" in line


def test_time_of_day_for_a_date(tmp_path, capsys):
    line = _validate(capsys, _variant(tmp_path, "start = 2027-12-01", "start = 12:00:00"))
    assert "span.start = 12:00:00;" in line and "expected a date (YYYY-MM-DD)" in line, line
    assert "not a time of day alone" in line


@pytest.mark.parametrize("band, given", [("[390]", 1), ("[]", 0), ("[390, 400, 415]", 3)])
def test_band_needs_two_values(tmp_path, capsys, band, given):
    text = REF.read_text(encoding="utf-8")
    old = re.search(r"altitude_band_km = \[[^\]]*\]", text).group(0)
    line = _validate(capsys, _variant(tmp_path, old, f"altitude_band_km = {band}"))
    assert f"orbit.altitude_band_km = {band} ({given} given); expected two values " \
           "[low, high] in km" in line, line


@pytest.mark.parametrize("value, shown", [
    (None, "(missing)"),
    (dt.time(12, 0), "12:00:00"),
    (dt.date(2027, 12, 1), "2027-12-01"),
    (dt.datetime(2027, 12, 1, 6, tzinfo=dt.UTC), "2027-12-01T06:00:00Z"),
    (Decimal("1.50"), "1.50"),
    (np.float64(2.5), "2.5"),
    (np.int64(7), "7"),
    (np.bool_(True), "true"),
    ((415, 390), "[415, 390]"),
    ({"a": 1, "b": None}, "{a = 1, b = (missing)}"),
    (Path("x/y.toml"), "x/y.toml"),
])
def test_show_value(value, shown):
    assert show_value(value) == shown


def test_a_value_not_given_has_no_equals_none():
    assert InputError("f.toml", "name", None, "a name").message == \
        "f.toml: name (missing); expected a name"
    assert InputError("argument", "file", None, "a file", problem="not given").message == \
        "argument: file (not given); expected a file"


def test_a_file_date_is_shown_as_written_not_as_a_string():
    """A TOML date (``end = 2035-12-31``) came back quoted, as if written as a string; a
    date-time with its hour keeps the hour (the schema holds both as UTC date-times)."""
    from rossim.errors import written_date

    utc = dt.UTC
    midnight = dt.datetime(2035, 12, 31, tzinfo=utc)
    assert show_value(written_date(midnight)) == "2035-12-31"
    assert show_value(written_date(dt.datetime(2031, 6, 15, 5, 0, tzinfo=utc))) == \
        "2031-06-15T05:00:00Z"
    assert str(InputError("s.toml", "span.end", written_date(midnight), "a date after start")) \
        == "s.toml: span.end = 2035-12-31; expected a date after start"
