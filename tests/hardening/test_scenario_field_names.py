"""The scenario and command checks name the entry the user got wrong (newcomer's report):
``crew_series`` with ``crew = 0`` validated; the platform launched past the span was reported
as the disabled commercial module's ``assembly[7].launch``; a misspelt required key was only
"missing"; ``robot-task`` took any ``kind``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rossim.cli.main import main
from rossim.errors import InputError

ROS = (Path(__file__).resolve().parents[2] / "scenarios" / "ros-51.6.toml").read_text()


def _validate(tmp_path, capsys, text: str) -> tuple[int, str]:
    p = tmp_path / "s.toml"
    p.write_text(text)
    rc = main(["validate", str(p)])
    return rc, capsys.readouterr().err


def test_crew_series_without_crew_is_refused(tmp_path, capsys):
    text = ROS.replace("crew = 2                      # stage 1", "crew = 0  # stage 1", 1)
    assert text != ROS
    rc, err = _validate(tmp_path, capsys, text)
    assert rc == 2
    assert "crew_series[0].crew = 0" in err and "1 to 8" in err


def test_entry_outside_span_is_named_not_a_disabled_one(tmp_path, capsys):
    text = re.sub(r'(module = "platform"\nlaunch = )2033-06-15', r"\g<1>2037-06-15", ROS)
    assert text != ROS
    rc, err = _validate(tmp_path, capsys, text)
    assert rc == 2
    assert "assembly[6].launch" in err and "2037-06-15" in err and "span" in err
    assert "assembly[7]" not in err


@pytest.mark.parametrize("typo, right, required", [("altitude_kmm", "altitude_km", True),
                                                   ("atitude", "attitude", False)])
def test_misspelt_key_is_named_with_a_guess(tmp_path, capsys, typo, right, required):
    text = re.sub(rf"(?m)^{right} =", f"{typo} =", ROS, count=1)
    assert text != ROS
    rc, err = _validate(tmp_path, capsys, text)
    assert rc == 2
    assert f"unknown key {typo}; did you mean {right}?" in err
    assert f"orbit.{typo}" in err
    assert ("(required, and missing)" in err) == required


def test_robot_task_kind_restricted_to_catalog_kinds():
    from rossim.ops.commands import RobotTask, robot_task_kinds

    kinds = robot_task_kinds()
    assert set(kinds) == {"inspection", "relocation"}  # systems.toml [robot] *_h durations
    with pytest.raises(InputError) as e:
        RobotTask(at=None, kind="dance", worksite="nem1").check()
    assert e.value.field == "robot-task.kind" and "inspection, relocation" in str(e.value)
    RobotTask(at=None, kind="relocation", worksite="nem1").check()


def test_scenario_robot_task_kind_checked(tmp_path, capsys):
    text = ROS + ('\n[[commands]]\nat = 2030-01-01\ncommand = "robot-task"\nkind = "dance"\n'
                  'worksite = "nem1"\n')
    rc, err = _validate(tmp_path, capsys, text)
    assert rc == 2
    assert 'robot-task.kind = "dance"' in err and "inspection, relocation" in err
