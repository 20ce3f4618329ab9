"""`rossim launch`: each payload figure says which orbit it is to. For the same launcher,
site and inclination the module table showed 24,116 kg "payload to the orbit" (the launch's
insertion orbit, rossim.station.insertion) next to 23,424 kg "payload to 400 km" (the
station's circular orbit), which read as two answers to one question; a what-if site is checked to the same orbit."""

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
    # a what-if site: the capacity is to the same orbit as the launch's own, so that sites
    # compare like for like (it was to the 400 km circular orbit: a newcomer read NEM-1's
    # margin as 1,866 kg from Vostochny against 1,188 kg from Baikonur, where on one basis
    # Baikonur's lower latitude gives slightly more)
    assert main(["launch", "ros-51.6", "--days", "1", "--site", "baikonur-31", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["modules"]
    assert [r["payload_orbit"] for r in rows] == [r["payload_orbit"] for r in out["modules"]]
    assert rows[0]["payload_kg"] > first["payload_kg"]          # 24,130 > 24,116 kg
    assert rows[0]["payload_kg"] < first["payload_kg"] * 1.01
    # Angara has no pad at Baikonur's Site 31 (a Soyuz pad): said, not hidden
    assert not rows[0]["pad"] and all(r["pad"] for r in out["modules"])
    assert main(["launch", "ros-51.6", "--days", "1", "--site", "baikonur-31"]) == 0
    assert "what-if: angara-a5, angara-a5m have no pad at baikonur-31" in " ".join(
        capsys.readouterr().out.split())
    # the launcher's own site as a what-if: the same figures as the plan's
    assert main(["launch", "ros-51.6", "--days", "1", "--site", "vostochny-1a", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["modules"] == out["modules"]
