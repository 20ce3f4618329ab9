"""``rossim coverage``: output and bad input (exit code 2, one line, no traceback)."""

import json

from rossim.cli.main import main


def _err_line(capsys):
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [ln for ln in err.strip().splitlines() if ln]
    assert len(lines) == 1, err
    return lines[0]


def test_json_and_maps(capsys, tmp_path):
    rc = main(["coverage", "ros-97", "--days", "1", "--region", "nsr", "--json",
               "--maps", str(tmp_path)])
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scenario"] == "ros-97" and data["regions"][0]["covered_pct"] > 0
    assert (tmp_path / "coverage-ros-97-nsr.png").stat().st_size > 1000


def test_bad_input(capsys, tmp_path):
    assert main(["coverage", "no-such-scenario"]) == 2
    assert "no-such-scenario" in _err_line(capsys)
    for argv in (["--swath-km", "0"], ["--fov-deg", "0"], ["--fov-deg", "181"],
                 ["--fov-deg", "180"], ["--days", "0"], ["--days", "-2"]):
        assert main(["coverage", *argv]) == 2, argv
        assert "expected" in _err_line(capsys)
    line = tmp_path / "line.geojson"
    line.write_text(json.dumps({"type": "LineString", "coordinates": [[0, 60], [10, 61]]}))
    assert main(["coverage", "--region", str(line)]) == 2
    assert "corridor_half_width_km" in _err_line(capsys)
