"""A date the command line cannot read is answered in the command line's terms (review of the
newcomer's messages): `propagate --burn 'yesterday ...'` said "expected ... a datetime, a numpy
datetime64 or an astropy Time", Python objects no one can type. Right: the text forms only
(2028-01-01, 2028-01-01T12:00Z, day of year), for every command (rossim.cli._common.
as_cli_error); a Python caller of rossim.time.to_time still reads the objects it may pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_errors import one_line as _one_line

from rossim.errors import InputError
from rossim.time import to_time

OMM = Path(__file__).resolve().parents[1] / "data/cases/rel/sgp4-failure-nan-output/ecc0999.omm"


@pytest.mark.parametrize("burn, part, expected", [
    ("yesterday rtn 1 0 0", "EPOCH", "a UTC date or date-time in ISO 8601 form such as "
     "2028-01-01, 2028-01-01T12:00Z or, by day of year, 2028-001T12:00"),
    ("2028-01-01 xyz 1 0 0", "FRAME", "lvlh, vnc, rtn, tnw or gcrf"),
])
def test_a_burn_the_command_line_cannot_read_names_the_part(capsys, tmp_path, burn, part,
                                                            expected):
    err = _one_line(capsys, ["propagate", "--initial", str(OMM), "--duration", "1d",
                             "--step", "60", "-o", str(tmp_path / "x.oem"), "--burn", burn])
    assert f'argument: --burn = "{burn}"; expected \'EPOCH FRAME DVX DVY DVZ\' with {part} ' \
           f"{expected}" in err, err
    assert "datetime64" not in err and "astropy" not in err


def test_the_python_api_still_names_the_objects_it_takes():
    with pytest.raises(InputError, match="a datetime, a numpy datetime64 or an astropy Time"):
        to_time("yesterday")
