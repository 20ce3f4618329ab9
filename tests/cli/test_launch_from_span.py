"""`rossim launch --from` outside the scenario span is refused like `fleet` and
`describe --at` (exit 2, one line naming --from, the value and the span); before, a date of
2020 (the scenario starts 2027-12-01) was searched without a word."""

from __future__ import annotations

import pytest

from rossim.cli.main import main


@pytest.mark.parametrize("date", ["2020-01-01", "2045-01-01"])
def test_from_outside_span_refused(date, capsys):
    assert main(["launch", "ros-51.6", "--from", date, "--days", "1", "--json"]) == 2
    cap = capsys.readouterr()
    err = cap.err.strip()
    assert cap.out == "" and "\n" not in err, cap
    assert (f'--from = "{date}"; expected a date inside the scenario span 2027-12-01 .. '
            "2035-12-31") in err, err


def test_from_inside_span_accepted(capsys):
    assert main(["launch", "ros-51.6", "--from", "2030-06-01", "--days", "1", "--json"]) == 0
    assert '"windows"' in capsys.readouterr().out
