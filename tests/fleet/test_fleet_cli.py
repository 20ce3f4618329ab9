"""``rossim fleet``: bad input gives one clear line and exit code 2 (issue: free-flyer family,
'Bad input'); the command runs on the reference scenario."""

import json
from pathlib import Path

import pytest

from rossim.cli.main import main

REF = Path(__file__).resolve().parents[2] / "scenarios" / "ros-51.6.toml"


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = REF.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in the reference scenario"
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, fragments", [
    ("delta_v_m_s = 0.5", "delta_v_m_s = 0", ["delta_v_m_s", "> 0"]),
    ("delta_v_m_s = 0.5", "delta_v_m_s = -0.5", ["delta_v_m_s", "> 0"]),
    ('port = "gateway.airlock"', 'port = "gateway.hatch"', ["deployments[0].port",
                                                            "unknown port"]),
    ("max_satellites = 24", "max_satellites = 24\ncovariance_m2 = [[1, 2, 0], [2, 1, 0], "
     "[0, 0, 1]]", ["covariance_m2", "positive-definite"]),
    ("max_satellites = 24", "max_satellites = 10", ["deployments", "max_satellites = 10"]),
])
def test_bad_input_exit_2(tmp_path, capsys, old, new, fragments):
    path = _variant(tmp_path, old, new)
    rc = main(["fleet", str(path), "--days", "0.1"])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert "Traceback" not in err
    lines = [ln for ln in err.strip().splitlines() if ln]
    assert len(lines) == 1, err
    assert "expected" in lines[0]
    for frag in fragments:
        assert frag in lines[0], (frag, lines[0])


def test_bad_days_exit_2(capsys):
    assert main(["fleet", "--days", "-1"]) == 2
    assert "--days" in capsys.readouterr().err


def test_fleet_json_and_plot(tmp_path, capsys):
    plot = tmp_path / "fleet.png"
    rc = main(["fleet", "--days", "0.25", "--json", "--plot", str(plot)])
    out = capsys.readouterr().out
    assert rc == 0
    data = json.loads(out)
    # default start: the last release (2034-03-01); ff-1-1..ff-1-4 (released 2029-03-01) have
    # re-entered in 2032 (release plus unkept lifetime, tests/fleet/test_end_of_life.py)
    assert len(data["satellites"]) == 8
    assert all(d["recontact"]["safe"] for d in data["deployments"])
    s = data["satellites"][0]
    assert s["closest_approach_m"] > data["keep_out_radius_m"]
    assert s["keep_out_entries"] == 0 and s["dv_m_s_per_year"] > 0
    assert plot.stat().st_size > 10_000
