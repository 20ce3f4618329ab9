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


def test_bad_region_files(capsys, tmp_path):
    """Bad positions and a region the grid misses: exit 2, one line naming the file and the
    position, or --grid-deg and the step that resolves the region; no internal error."""
    nan = tmp_path / "nan.geojson"
    nan.write_text('{"type":"Polygon","coordinates":[[[0,0],[NaN,0],[10,10],[0,0]]]}')
    assert main(["coverage", "--days", "1", "--grid-deg", "1", "--region", str(nan)]) == 2
    assert _err_line(capsys).startswith(f"rossim: error: {nan}: coordinates[0][1] = [nan, 0]; "
                                        "expected a position [longitude, latitude] of finite")
    sliver = tmp_path / "sliver.geojson"
    sliver.write_text(json.dumps({"type": "Polygon", "coordinates": [
        [[0, 0.3], [10, 0.3], [10, 0.4], [0, 0.4], [0, 0.3]]]}))
    assert main(["coverage", "--days", "1", "--grid-deg", "1", "--region", str(sliver)]) == 2
    line = _err_line(capsys)
    assert line.startswith("rossim: error: argument: --grid-deg = 1 (no cell centre"), line
    assert line.endswith("expected a grid step of 0.25 deg or finer for this region"), line
