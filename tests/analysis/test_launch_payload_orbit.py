"""`rossim launch`: each payload figure says which orbit it is to. For the same launcher,
site and inclination the module table showed 24,116 kg "payload to the orbit" (the launch's
insertion orbit, rossim.station.insertion) next to 23,424 kg "payload to 400 km" (the
station's circular orbit), which read as two answers to one question."""

from __future__ import annotations

import json

from rossim.cli.main import main


def test_payload_lines_name_their_orbit(capsys, monkeypatch):
    assert main(["launch", "ros-51.6", "--days", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    first = out["modules"][0]
    assert first["launcher"] == "angara-a5" and first["payload_kg"] == 24116
    assert first["payload_orbit"].endswith(" km insertion orbit"), first
    assert all(r["payload_orbit"] for r in out["modules"])
    assert out["payload_table"][0]["payload_kg"]["51.6"] == 23424
    monkeypatch.setenv("COLUMNS", "250")
    assert main(["launch", "ros-51.6", "--days", "1"]) == 0
    text = capsys.readouterr().out
    assert f"the {first['payload_orbit']}" in text
    assert "payload to the 400 km circular orbit" in text
    # a what-if site: the capacity is then to the station's circular orbit
    assert main(["launch", "ros-51.6", "--days", "1", "--site", "baikonur-200", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["modules"]
    assert {r["payload_orbit"] for r in rows} == {"400 km circular orbit"}, rows
