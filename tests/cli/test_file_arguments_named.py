"""A file argument that is missing, a folder or unreadable is named by the argument that gave
it (review of the newcomer's messages): `rossim run nothere.toml` said
`nothere.toml = "nothere.toml" (not found)`, the path where the field belongs, and listed the
shipped scenarios as a Python list. Right: `argument: scenario = "nothere.toml" (not found);
expected an existing scenario file or the name of a shipped scenario: ros-2026-plan, ...`,
for every command at once (rossim.cli._common.name_file_argument)."""

from __future__ import annotations

import pytest
from cli_errors import one_line as _one_line

STATE = ["--duration", "1d"]


@pytest.mark.parametrize("argv, named", [
    (["run", "nothere.toml"], "scenario"),
    (["validate", "nothere.toml"], "scenario"),
    (["describe", "nothere.toml"], "scenario"),
    (["dose", "nothere.toml"], "scenario"),
    (["fleet", "nothere.toml"], "scenario"),
    (["launch", "nothere.toml"], "scenario"),
    (["coverage", "nothere.toml", "--days", "1"], "scenario"),
    (["campaign", "nothere.toml", "--runs", "2"], "scenario"),
    (["describe", "ros-51.6", "--diff", "nothere.toml"], "--diff"),
])
def test_a_missing_scenario_is_named_by_its_argument(capsys, tmp_path, monkeypatch, argv,
                                                     named):
    monkeypatch.chdir(tmp_path)
    err = _one_line(capsys, argv)
    assert err.startswith(f'rossim: error: argument: {named} = "nothere.toml" (not found); '
                          "expected an existing scenario file or the name of a shipped "
                          "scenario: ros-2026-plan, ros-51.6,"), err
    assert "['" not in err   # no Python list


@pytest.mark.parametrize("command", ["eclipse", "passes", "propagate"])
def test_a_missing_initial_state_is_named_by_its_option(capsys, tmp_path, monkeypatch,
                                                         command):
    monkeypatch.chdir(tmp_path)
    extra = ["--step", "60", "-o", "out.oem"] if command == "propagate" else []
    err = _one_line(capsys, [command, "--initial", "nothere.tle", *STATE, *extra])
    assert 'argument: --initial = "nothere.tle" (no such file or directory); expected a ' \
           "readable state file" in err, err


def test_a_folder_given_as_scenario_is_named_by_its_argument(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    err = _one_line(capsys, ["validate", "plans"])
    assert 'argument: scenario = "plans"; expected a TOML file, not a directory' in err, err


def test_decay_says_why_its_file_is_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    err = _one_line(capsys, ["decay", "nothere.tle"])
    assert 'argument: file = "nothere.tle" (not found); expected an existing TLE or OMM' in err


def test_an_error_inside_a_file_keeps_the_file_as_its_place(capsys, tmp_path, monkeypatch):
    """Only errors about the file as a whole are renamed: one inside it names the file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text('name = "x\n', encoding="utf-8")
    err = _one_line(capsys, ["validate", "bad.toml"])
    assert err.startswith("rossim: error: bad.toml: "), err
