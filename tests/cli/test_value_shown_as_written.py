"""A bad list value is quoted as the user wrote it: ``[415, 390]`` (TOML, JSON), not the
Python tuple ``(415, 390)`` a validator turned it into (a newcomer's reversed band)."""

from __future__ import annotations

from pathlib import Path

from rossim.cli.main import main
from rossim.errors import InputError

TINY = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"


def test_reversed_band_is_shown_with_brackets(tmp_path, capsys):
    text = TINY.read_text(encoding="utf-8")
    assert "altitude_band_km = [395, 405]" in text
    path = tmp_path / "band.toml"
    path.write_text(text.replace("altitude_band_km = [395, 405]",
                                 "altitude_band_km = [415, 390]"), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "orbit.altitude_band_km = [415, 390];" in err, err


def test_sequences_are_shown_in_toml_json_style():
    assert "= [1, 2.5, \"a\", true]" in str(InputError("f.toml", "x", (1, 2.5, "a", True), "y"))
    long = str(InputError("f.toml", "x", tuple(range(100)), "y"))
    assert "= [0, 1, 2, ... 100 items]" in long
