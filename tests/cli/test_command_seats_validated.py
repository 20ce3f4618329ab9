"""A scenario's commanded docking is checked against its ship at ``rossim validate``: the crew
within the seats and the stay within the docked life (rossim.ops.commands.check_in_catalog,
the server's check at submission). Found by the mission-control review: ``crew = 8`` on a
Soyuz MS (3 seats, the catalog's figure) validated and was refused only when the run reached
it."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_errors import one_line

ROOT = Path(__file__).resolve().parents[2]
DOCK = ('\n[[commands]]\nat = 2029-03-01T06:00:00Z\ncommand = "dock"\nvehicle = "soyuz-ms"\n'
        "crew = {crew}\nduration_days = {days}\n")


@pytest.mark.parametrize(("crew", "days", "expected"), [
    (8, 30, "commands[0].crew = 8; expected at most 3 (Soyuz MS seats)"),
    (2, 300, "commands[0].duration_days = 300; expected at most 200 days (Soyuz MS docked "
     "life)"),
])
def test_a_commanded_docking_beyond_its_ship_is_refused(tmp_path, capsys, crew, days,
                                                        expected):
    path = tmp_path / "s.toml"
    path.write_text((ROOT / "scenarios" / "ros-51.6.toml").read_text(encoding="utf-8")
                    + DOCK.format(crew=crew, days=days), encoding="utf-8")
    assert expected in one_line(capsys, ["validate", str(path)])
