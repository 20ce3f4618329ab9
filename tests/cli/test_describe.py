"""`rossim describe`, `rossim validate`, `rossim --version`."""

import json

import pytest

from rossim import __version__
from rossim.cli.main import main


def _run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_python_dash_m_rossim_is_the_command():
    # `python -m rossim` where the console script is not on PATH: the same command, its
    # usage errors exit 2 naming the program as `rossim`
    import subprocess
    import sys

    ok = subprocess.run([sys.executable, "-m", "rossim", "--version"], capture_output=True,
                        text=True, timeout=120)
    assert ok.returncode == 0 and __version__ in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "rossim", "describe", "--no-such-flag"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("rossim")


@pytest.mark.parametrize("name", ["ros-51.6", "ros-97", "ros-iss-start", "ros-2026-plan"])
def test_validate_shipped(capsys, name):
    rc, out, err = _run(capsys, "validate", name)
    assert rc == 0, err
    assert "valid" in out


def test_describe_table_lists_every_phase(capsys):
    rc, out, _ = _run(capsys, "describe")
    assert rc == 0
    for module in ("nem1", "node + gateway", "core", "logistics", "production", "platform"):
        assert module in out
    assert "Assembly complete: 2033" in out


def test_describe_json(capsys):
    rc, out, _ = _run(capsys, "describe", "ros-51.6", "--json")
    assert rc == 0
    data = json.loads(out)
    assert data["scenario"] == "ros-51.6"
    phases = data["phases"]
    assert [p["n_modules"] for p in phases] == [1, 3, 4, 5, 6, 7]
    assert phases[-1]["module_mass_kg"] == pytest.approx(98000)
    assert all(launch["mass_kg"] <= launch["capacity_kg"] for launch in data["launches"])


def test_describe_at_json(capsys):
    rc, out, _ = _run(capsys, "describe", "ros-51.6", "--at", "2030-01-01", "--json")
    assert rc == 0
    data = json.loads(out)
    assert data["modules"] == ["nem1", "node", "gateway", "core"]
    assert data["occupancy"]["node.forward"] == "core"
    # Soyuz MS crew #4 docks on its planned 2029-12-31 (crews first at Site 31,
    # rossim.station.pad_plan): its two cosmonauts are aboard on 2030-01-01, nobody on
    # 2029-12-30; Progress MS #2 flies before the crew's pad block (the cargo planner,
    # rossim.station.pad_plan.crew_pad_blocks): at node.starboard from 2029-12-14, not
    # behind the crew (it was there from 2030-01-16 before)
    assert data["crew_aboard"] == 2
    assert data["occupancy"]["gateway.forward"] == "Soyuz MS crew #4"
    assert data["occupancy"]["node.starboard"] == "Progress MS #2"
    rc, out, _ = _run(capsys, "describe", "ros-51.6", "--at", "2029-12-30", "--json")
    assert rc == 0 and json.loads(out)["crew_aboard"] == 0
    rc, out, _ = _run(capsys, "describe", "ros-51.6", "--at", "2029-12-13", "--json")
    assert rc == 0 and "node.starboard" not in json.loads(out)["occupancy"]


def test_describe_at_outside_span(capsys):
    rc, _, err = _run(capsys, "describe", "ros-51.6", "--at", "2040-01-01")
    assert rc == 2
    assert "--at" in err and "inside the scenario span" in err


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_is_deterministic(tmp_path, capsys, suffix):
    a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    assert _run(capsys, "describe", "--plot", str(a))[0] == 0
    assert _run(capsys, "describe", "--plot", str(b))[0] == 0
    assert a.read_bytes() == b.read_bytes()
    assert a.stat().st_size > 10_000


def test_bad_plot_name_leaves_previous_output(tmp_path, capsys):
    good = tmp_path / "t.png"
    assert _run(capsys, "describe", "--plot", str(good))[0] == 0
    before = good.read_bytes()
    rc, _, err = _run(capsys, "describe", "--plot", str(tmp_path / "t.gif"))
    assert rc == 2 and "--plot" in err
    assert good.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.png"]


def test_describe_json_is_deterministic(capsys):
    first = _run(capsys, "describe", "ros-iss-start", "--json")[1]
    second = _run(capsys, "describe", "ros-iss-start", "--json")[1]
    assert first == second


def test_describe_diff_shows_two_plans_side_by_side(capsys):
    """The seeds' plan against the January 2026 plan (RIA Novosti 2026-01-06; Kommersant;
    ros-facts.md): NEM on Proton-M from Baikonur instead of Angara A5 from Vostochny, six
    modules instead of seven, first launch 2028."""
    import json

    rc, out, err = _run(capsys, "describe", "ros-51.6", "--diff", "ros-2026-plan", "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert (data["a"], data["b"]) == ("ros-51.6", "ros-2026-plan")
    rows = {r["item"]: r for r in data["rows"]}
    assert rows["module nem1"]["a"].endswith("angara-a5 from vostochny-1a")
    assert rows["module nem1"]["b"] == "2028-06-15, proton-m from baikonur-200"
    assert rows["module node"]["b"].endswith("soyuz-2.1b from baikonur-31")
    assert (rows["modules launched"]["a"], rows["modules launched"]["b"]) == ("7", "6")
    assert rows["orbit"]["differs"] is False and rows["module nem1"]["differs"] is True
    assert rows["module platform"]["b"] == "-"
    rc, out, err = _run(capsys, "describe", "ros-51.6", "--diff", "ros-2026-plan")
    assert rc == 0 and "side by side" in out and "items differ" in out
    # the same plan twice differs nowhere; --diff with --at is refused (exit 2, one line)
    rc, out, err = _run(capsys, "describe", "ros-97", "--diff", "ros-97", "--json")
    assert not any(r["differs"] for r in json.loads(out)["rows"])
    rc, out, err = _run(capsys, "describe", "--diff", "ros-97", "--at", "2030-01-01")
    assert rc == 2 and len(err.strip().splitlines()) == 1 and "--diff" in err
    rc, out, err = _run(capsys, "describe", "--diff", "no-such-plan")
    assert rc == 2 and "Traceback" not in err
