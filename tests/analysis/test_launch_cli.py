"""``rossim launch``: output and bad input (exit code 2, one line, no traceback)."""

import json

from rossim.cli.main import main


def test_json(capsys):
    rc = main(["launch", "ros-iss-start", "--from", "2031-01-01", "--days", "2", "--json"])
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["windows"]) == 2 and data["windows_per_month"] > 25
    assert data["iss_separation"].startswith("2030-06-30")
    assert all(m["fits"] for m in data["modules"])
    assert {d["other"].split()[0] for d in data["plane_drift"]} == {"ISS", "Bharatiya"}


def test_table(capsys):
    assert main(["launch", "ros-97", "--days", "1"]) == 0
    assert "in-plane launch windows" in capsys.readouterr().out


def test_bad_input(capsys):
    for argv in (["nope"], ["--days", "0"], ["--from", "yesterday"], ["--site", "kourou"]):
        assert main(["launch", *argv]) == 2, argv
        err = capsys.readouterr().err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
