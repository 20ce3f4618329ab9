"""`rossim export --czml`: the run for Cesium (issue #15 item 4).

References: the CZML specification (AnalyticalGraphicsInc/czml-writer wiki, "Packet",
"Position": the first packet is the document with ``version: "1.0"``; cartesian samples are
``[t, x, y, z, ...]`` in metres, seconds after ``epoch``, ``INERTIAL`` = ICRF), read back with
plain JSON; radii against the archive's own altitude channel; free-flyers within the relative
orbit's published envelope (the scenario's 1.5 km radial / 3 km along-track / 1 km cross-track
rings, docs/fleet.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rossim.cli.main import main

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"


#: ros-short with the first free-flyer deployment of scenarios/ros-51.6.toml
DEPLOYMENT = """
[free_flyers]
max_satellites = 24

[[free_flyers.deployments]]
date = 2029-03-01
count = 4
mass_kg = 20
port = "gateway.airlock"
delta_v_m_s = 0.5
direction = [-1.0, 0.0, 1.0]
"""


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    p = tmp_path_factory.mktemp("czml-scenario") / "ros-short-ff.toml"
    p.write_text(SHORT.read_text() + DEPLOYMENT)
    return p


@pytest.fixture(scope="module")
def short_run(tmp_path_factory, scenario):
    out = tmp_path_factory.mktemp("czml-run")
    assert main(["run", str(scenario), "--out", str(out), "--quiet"]) == 0
    return out


def test_station_ships_and_free_flyers_in_czml(short_run, scenario, tmp_path):
    import duckdb

    out = tmp_path / "ros.czml"
    assert main(["export", str(short_run), "--czml", str(out), "--start", "2029-03-01",
                 "--days", "2", "--step", "60", "--scenario", str(scenario)]) == 0
    doc = json.loads(out.read_text())
    assert doc[0]["id"] == "document" and doc[0]["version"] == "1.0"
    station = next(p for p in doc if p["id"] == "station")
    pos = station["position"]
    assert pos["referenceFrame"] == "INERTIAL" and pos["epoch"] == "2029-03-01T00:00:00Z"
    xyz = np.array(pos["cartesian"]).reshape(-1, 4)
    assert np.all(np.diff(xyz[:, 0]) == 60.0) and len(xyz) == 2 * 1440 + 1
    con = duckdb.connect(str(short_run / "archive.duckdb"), read_only=True)
    alt = np.array(con.execute("SELECT altitude_km FROM telemetry_hourly WHERE time >= "
                               "'2029-03-01' AND time < '2029-03-03' ORDER BY time").fetchall())
    con.close()
    r_km = np.linalg.norm(xyz[::60, 1:], axis=1) / 1e3
    np.testing.assert_allclose(r_km[:-1], 6378.137 + alt[:, 0], atol=0.01)
    flyers = [p for p in doc if p["id"].startswith("ff-")]
    assert len(flyers) == 4  # the 2029-03-01 deployment of ros-short
    ff = np.array(flyers[0]["position"]["cartesian"]).reshape(-1, 4)
    d = np.linalg.norm(ff[:, 1:] - xyz[-len(ff):, 1:], axis=1)
    assert 900.0 < d.min() and d.max() < 3600.0  # on its ring, never near the station
    ships = [p for p in doc if p["id"].startswith("ship-")]
    for s in ships:
        assert s["position"] == {"reference": "station#position"}


def test_export_bad_input(short_run, tmp_path, capsys):
    assert main(["export", str(tmp_path), "--czml", str(tmp_path / "a.czml")]) == 2
    assert "archive.duckdb" in capsys.readouterr().err
    assert main(["export", str(short_run), "--czml", str(tmp_path / "a.json")]) == 2
    assert main(["export", str(short_run), "--czml", str(tmp_path / "a.czml"),
                 "--step", "1"]) == 2
    assert main(["export", str(short_run), "--czml", str(tmp_path / "a.czml"),
                 "--start", "2040-01-01"]) == 2
    err = capsys.readouterr().err
    assert "--step" in err and "--start" in err
    # a start before the run is refused as one after it is (it was clamped to the run start
    # and the file written without a word)
    assert main(["export", str(short_run), "--czml", str(tmp_path / "early.czml"),
                 "--start", "2000-01-01", "--days", "1"]) == 2
    err = capsys.readouterr().err
    assert '--start = "2000-01-01"' in err and "a date inside the run" in err
    assert not (tmp_path / "early.czml").exists()


def test_another_plans_scenario_refused(short_run, tmp_path, capsys):
    """`--scenario ros-97` for a run of another scenario drew that plan's free-flyers around
    this run's station, silently: refused, naming the run's scenario."""
    rc = main(["export", str(short_run), "--czml", str(tmp_path / "x.czml"), "--days", "1",
               "--scenario", "ros-97"])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.strip().splitlines()) == 1, err
    assert 'argument: --scenario = "ros-97"; expected the run\'s own scenario' in err, err
    assert not (tmp_path / "x.czml").exists()


def test_free_flyers_left_out_are_noted(short_run, tmp_path, capsys):
    """The run recorded its scenario file as typed (relative to where it ran); exported from
    elsewhere, the file is not found and the free-flyers were left out without a word."""
    import shutil

    import duckdb

    run = tmp_path / "run"
    shutil.copytree(short_run, run)
    con = duckdb.connect(str(run / "archive.duckdb"))
    con.execute("UPDATE run_info SET value = 'scenarios/moved-away.toml' "
                "WHERE key = 'scenario_file'")
    con.close()
    rc = main(["export", str(run), "--czml", str(tmp_path / "y.czml"), "--start", "2029-03-01",
               "--days", "1"])
    cap = capsys.readouterr()
    assert rc == 0 and "0 free-flyers" in cap.out, cap
    assert cap.err == ("rossim: note: free-flyers left out: the run's scenario file "
                       "scenarios/moved-away.toml is not found from here; give --scenario "
                       "FILE to draw them\n"), cap.err


@pytest.mark.slow
def test_recorded_scenario_found_from_another_folder(scenario, tmp_path, monkeypatch, capsys):
    """A run started with a relative scenario path records the absolute path (a shipped
    scenario: its name), so `export` from another folder still draws the free-flyers; old
    archives holding a relative path are still read from the archive's folder."""
    import shutil

    import duckdb

    from rossim.config.scenario_ref import find_recorded_scenario, recorded_scenario_file

    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(scenario, work / "plan.toml")
    monkeypatch.chdir(work)
    assert main(["run", "plan.toml", "--out", "out", "--quiet"]) == 0
    con = duckdb.connect(str(work / "out" / "archive.duckdb"), read_only=True)
    recorded = dict(con.execute("SELECT key, value FROM run_info").fetchall())["scenario_file"]
    con.close()
    assert recorded == str((work / "plan.toml").resolve())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    rc = main(["export", str(work / "out"), "--czml", "z.czml", "--start", "2029-03-01",
               "--days", "1"])
    cap = capsys.readouterr()
    assert rc == 0 and "4 free-flyers" in cap.out and cap.err == "", cap
    # shipped scenario: its name; old relative records: found from the archive's folder
    from rossim.config.scenario import DEFAULT_SCENARIO

    assert recorded_scenario_file(DEFAULT_SCENARIO) == "ros-51.6"
    assert find_recorded_scenario("ros-51.6") == DEFAULT_SCENARIO
    assert find_recorded_scenario("plan.toml", work / "out" / "archive.duckdb") == \
        work / "plan.toml"
    assert find_recorded_scenario("scenarios/gone.toml", work / "out") is None


#: ros-short cut to 2028-08-03 (no core: it came later) with a crew ship and a cargo ship whose
#: names hold commas, docked together from 2028-07-16, and a free-flyer deployment planned at
#: 2028-07-31T00:00Z, three hours before the crew ship undocks (03:18Z): the keep-out rules
#: (rossim.ops.keepout, 6 h around a docking or undocking) hold it to 09:18Z
COMMAS = "Soyuz crew, stage 1"
CARGO = "Progress MS (logistics, node port)"


def _held_scenario_text() -> str:
    text = SHORT.read_text()
    for old, new in (('end = 2029-06-30', 'end = 2028-08-03'),
                     ('name = "Soyuz MS crew"', f'name = "{COMMAS}"'),
                     ('name = "Progress MS"', f'name = "{CARGO}"'),
                     ('first_launch = 2028-08-15', 'first_launch = 2028-07-16'),
                     ('[[assembly]]\nmodule = "core"\nlaunch = 2028-12-15\n'
                      'launcher = "angara-a5"\nport = "node.forward"\n\n', ''),
                     ('[[operations.faults]]\ncomponent = "coolant-pump"\n'
                      'at = 2028-09-01T12:00:00Z\n', '')):
        assert old in text, old
        text = text.replace(old, new)
    return text + DEPLOYMENT.replace("date = 2029-03-01", "date = 2028-07-31")


@pytest.fixture(scope="module")
def held_run(tmp_path_factory):
    """A run of that scenario (about 10 s): its folder and scenario file."""
    folder = tmp_path_factory.mktemp("czml-held")
    scen = folder / "ros-short-held.toml"
    scen.write_text(_held_scenario_text())
    out = folder / "run"
    assert main(["run", str(scen), "--out", str(out), "--quiet"]) == 0
    return out, scen


def _export(run: Path, out: Path, scen: Path, capsys) -> tuple[list[dict], str]:
    """The CZML of 2028-07-30 and 31 (read back) and what the command printed."""
    assert main(["export", str(run), "--czml", str(out), "--start", "2028-07-30",
                 "--days", "2", "--scenario", str(scen)]) == 0
    return json.loads(out.read_text()), capsys.readouterr().out


def _docked(doc: list[dict]) -> dict[str, list[str]]:
    return {p["name"]: p["availability"] for p in doc if p["id"].startswith("ship-")}


#: the ships of the window, whole: the crew ship leaves at 03:18Z on the 31st, the cargo ship
#: stays past the window
SHIPS = {f"{COMMAS} #1": ["2028-07-30T00:00:00Z/2028-07-31T03:18:00Z"],
         f"{CARGO} #1": ["2028-07-30T00:00:00Z/2028-08-01T00:00:00Z"]}


def test_ship_names_with_commas_stay_whole(held_run, tmp_path, capsys):
    """Each docked ship is one entity under its whole name. The archive's ``phases.vehicles``
    was one comma-joined string that the export split at every comma: "Soyuz crew, stage 1
    #1" and the cargo ship became four ships ("Soyuz crew", " stage 1 #1", ...). The column is
    now a list (VARCHAR[]) and read as one."""
    import duckdb

    run, scen = held_run
    doc, printed = _export(run, tmp_path / "ships.czml", scen, capsys)
    assert _docked(doc) == SHIPS and ", 2 ships," in printed, printed
    con = duckdb.connect(str(run / "archive.duckdb"), read_only=True)
    kind = dict((c, t) for c, t, *_ in con.execute("DESCRIBE phases").fetchall())
    docked = con.execute("SELECT vehicles FROM phases WHERE start <= '2028-07-30' "
                         "AND finish > '2028-07-30'").fetchall()
    con.close()
    assert kind["vehicles"] == kind["modules"] == "VARCHAR[]"
    assert docked == [([f"{COMMAS} #1", f"{CARGO} #1"],)]


def test_an_older_archive_of_comma_joined_names_reads_the_same(held_run, tmp_path, capsys):
    """An archive written before the list columns holds ``phases.modules``/``vehicles`` as
    one comma-joined VARCHAR (the reviewer's plan2026 run): the export joins the pieces back
    into the names its events were recorded under, and draws the same ships."""
    import shutil

    import duckdb

    run, scen = held_run
    old = tmp_path / "old"
    shutil.copytree(run, old)
    con = duckdb.connect(str(old / "archive.duckdb"))
    kind = dict((c, t) for c, t, *_ in con.execute("DESCRIBE phases").fetchall())
    for col in ("modules", "vehicles"):
        if kind[col] == "VARCHAR[]":   # (a rossim of before the lists wrote the old layout)
            con.execute(f"ALTER TABLE phases ALTER {col} SET DATA TYPE VARCHAR "
                        f"USING array_to_string({col}, ',')")
    joined = con.execute("SELECT vehicles FROM phases WHERE start <= '2028-07-30' "
                         "AND finish > '2028-07-30'").fetchone()[0]
    con.close()
    assert joined == f"{COMMAS} #1,{CARGO} #1"   # the old layout, four pieces at the commas
    doc, printed = _export(old, tmp_path / "old.czml", scen, capsys)
    assert _docked(doc) == SHIPS and ", 2 ships," in printed, printed


def test_legacy_name_list_joins_pieces_into_known_names():
    """The reviewer's phase of plan2026 (2034-02-14 .. 03-01): three ships, two sharing the
    prefix "Soyuz crew, stage 2"; the longest known name wins, unknown pieces stay alone, and
    a list (this rossim's VARCHAR[]) is taken as is."""
    from rossim.archive.store import name_list

    a, b = "Soyuz crew, stage 2 #3", "Soyuz crew, stage 2, second ship #3"
    c = "Progress MS (logistics port) #4"
    assert name_list(f"{a},{b},{c}", {a, b, c, "Soyuz crew, stage 2"}) == [a, b, c]
    assert name_list("nem1,x, y", {"nem1"}) == ["nem1", "x", " y"]
    assert name_list("", {a}) == [] and name_list(None) == []
    assert name_list([b, a]) == [b, a]


def test_free_flyers_appear_at_their_held_release(held_run, tmp_path, capsys):
    """A free-flyer enters the scene when the run released it (the archive's free_flyers
    table, after the keep-out hold), not at the scenario's planned date: ff-1-1 was drawn
    from 2028-07-31T00:00Z, beside a ship about to undock, though it flew from 09:18Z."""
    import duckdb

    run, scen = held_run
    con = duckdb.connect(str(run / "archive.duckdb"), read_only=True)
    released = dict(con.execute("SELECT name, deployed FROM free_flyers").fetchall())
    held = con.execute("SELECT detail FROM events WHERE kind = 'deployment-held'").fetchall()
    con.close()
    assert held and "held to 2028-07-31T09:18:00Z" in held[0][0]
    doc, printed = _export(run, tmp_path / "held.czml", scen, capsys)
    assert ", 4 free-flyers," in printed, printed
    epoch = np.datetime64("2028-07-30T00:00:00")
    for p in (p for p in doc if p["id"].startswith("ff-")):
        t0 = np.datetime64(released[p["name"]], "s")
        assert t0 >= np.datetime64("2028-07-31T09:18:00")   # not the plan's 00:00Z
        assert p["availability"] == f"{t0}Z/2028-08-01T00:00:00Z"
        first = epoch + np.timedelta64(int(p["position"]["cartesian"][0]), "s")
        assert t0 <= first < t0 + np.timedelta64(300, "s")   # sampled from its release on
