"""An argument error points to the help that lists the right options: a sub-command's
unrecognized arguments to ``rossim CMD --help`` (it said ``see 'rossim --help'``, the list
of commands)."""

from __future__ import annotations

import pytest

from rossim.cli.main import main


@pytest.mark.parametrize("argv,helper", [
    (["validate", "ros-51.6", "--bogus"], "rossim validate --help"),
    (["run", "ros-51.6", "--frobnicate", "3"], "rossim run --help"),
    (["run", "--seed", "x", "ros-51.6"], "rossim run --help"),  # the sub-parser's own error
    (["--bogus"], "rossim --help"),
])
def test_error_points_to_the_sub_commands_help(argv, helper, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.rstrip().endswith(f"(see '{helper}')"), err
    assert len(err.splitlines()) == 1
