"""Counts of alarms agree in number: "1 critical alarm", not "1 critical alarms" (run console,
report.html status line, trade's "more warning alarms"). The scenario: ros-tiny flown at
210 km (tests/ops/test_orbit_alarms.py), which re-enters in about two months with one
critical alarm (the re-entry) and two warnings."""

from __future__ import annotations

import re
from pathlib import Path

from rossim.cli.main import main

TINY = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"


def _low(tmp_path: Path) -> Path:
    text = TINY.read_text()
    for old, new in (('name = "ros-tiny"', 'name = "ros-tiny-210"'),
                     ("altitude_km = 400", "altitude_km = 210"),
                     ("altitude_band_km = [395, 405]", "altitude_band_km = [205, 215]")):
        assert old in text
        text = text.replace(old, new, 1)
    p = tmp_path / "ros-tiny-210.toml"
    p.write_text(text)
    return p


def test_one_critical_alarm_is_singular(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(_low(tmp_path)), "--out", str(out), "--quiet"]) == 2  # re-entry
    text = " ".join(capsys.readouterr().out.split())
    assert "1 critical alarm (report.html" in text, text
    assert not re.search(r"\b1 (critical |warning )?alarms\b", text), text
    status = re.search(r"Outcome: <b>[^<]*</b>; (\d+) (alarms?) \((\d+) critical\)",
                       (out / "report.html").read_text())
    assert status, "status line missing"
    n = int(status.group(1))
    assert status.group(2) == ("alarm" if n == 1 else "alarms"), status.group(0)
