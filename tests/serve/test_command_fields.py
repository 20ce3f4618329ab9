"""A command's fields over HTTP (newcomer review): ``dock.lift_off`` as ISO-8601 text (it
could never be set: every text was refused as "not timezone-aware"), errors naming the field
rather than the command (``reboost`` with both fields, ``relocate`` with a bad port), an
``at`` with an offset converted to UTC as every time of the API, and a crew that cannot fit
the ship refused when submitted (a 400 naming ``crew``), not "scheduled" and refused later."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rossim.serve.app import create_app
from rossim.serve.live import LiveSource

TOKEN = "fields-token"
H = {"X-Rossim-Token": TOKEN}
TINY = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"


@pytest.fixture(scope="module")
def engine_client():
    """A live run of ros-tiny with the real engine (starts 2027-12-20T11:00Z)."""
    from rossim.config.scenario import load_scenario
    from rossim.ops import Simulation

    source = LiveSource(Simulation(load_scenario(TINY)))
    with TestClient(create_app(source, speed=1.0, token=TOKEN, tick_s=60.0)) as c:
        yield c, source


@pytest.mark.parametrize("lift_off", ["2028-03-01T00:00:00Z", "2028-03-01T00:00:00",
                                      "2028-03-01T03:00:00+03:00", "2027-11-20T00:00:00Z"])
def test_dock_lift_off_as_iso_text_reaches_the_engine_as_a_utc_time(engine_client, lift_off):
    c, source = engine_client
    r = c.post("/api/command", headers=H, json={"command": "dock", "vehicle": "progress-ms",
                                                "lift_off": lift_off})
    assert r.status_code == 200, r.text
    got = r.json()["result"]["command"]["lift_off"]
    assert got == ("2027-11-20 00:00:00+00:00" if lift_off.startswith("2027")
                   else "2028-03-01 00:00:00+00:00")
    # the engine judges it (a lift-off after now is refused with its reason, never a 400)
    if lift_off.startswith("2028"):
        assert "lift-off 2028-03-01 00:00" in r.json()["result"]["reason"]


@pytest.mark.parametrize("lift_off", ["garbage", "", 5, True, ["2028-03-01"]])
def test_a_bad_lift_off_is_a_400_naming_it(engine_client, lift_off):
    c, _ = engine_client
    r = c.post("/api/command", headers=H, json={"command": "dock", "vehicle": "progress-ms",
                                                "lift_off": lift_off})
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["parameter"] == "dock.lift_off" and body["value"] == lift_off
    assert "ISO-8601" in body["error"]


def test_commands_list_lift_off_as_iso_text(engine_client):
    c, _ = engine_client
    dock = next(x for x in c.get("/api/commands").json() if x["name"] == "dock")
    lift = next(f for f in dock["fields"] if f["name"] == "lift_off")
    assert "ISO-8601" in lift["type"]


@pytest.mark.parametrize("body,parameter,value", [
    ({"command": "reboost", "delta_v_m_s": 1, "target_altitude_km": 420},
     "reboost.target_altitude_km", 420),
    ({"command": "reboost"}, "reboost.delta_v_m_s", None),
    ({"command": "relocate", "vehicle": "Progress MS #1", "port": "aft"}, "relocate.port", "aft"),
    ({"command": "relocate", "vehicle": "", "port": "node.aft"}, "relocate.vehicle", ""),
    ({"command": "dock", "vehicle": "soyuz-ms", "crew": 8, "at": "2028-01-01T00:00:00Z"},
     "dock.crew", 8),
    ({"command": "dock", "vehicle": "soyuz-ms", "crew": 4}, "dock.crew", 4),
    ({"command": "dock", "vehicle": "progress-ms", "duration_days": 399}, "dock.duration_days",
     399),
    ({"command": "dock", "vehicle": "no-such-ship"}, "dock.vehicle", "no-such-ship"),
])
def test_command_errors_name_the_field(engine_client, body, parameter, value):
    c, source = engine_client
    before = len(source.adapter.sim.command_log)
    r = c.post("/api/command", headers=H, json=body)
    assert r.status_code == 400, r.text
    got = r.json()
    assert got["parameter"] == parameter and got["value"] == value, got
    if parameter == "dock.crew":
        assert "at most 3 (Soyuz MS seats)" in got["error"]
    assert len(source.adapter.sim.command_log) == before   # nothing reached the engine


def test_at_with_an_offset_is_converted_to_utc(fake_simulation):
    source = LiveSource(fake_simulation())
    sim = source.adapter.sim
    with TestClient(create_app(source, speed=1.0, token=TOKEN, tick_s=60.0)) as c:
        r = c.post("/api/command", headers=H, json={"command": "reboost", "delta_v_m_s": 1,
                                                    "at": "2030-01-01T08:00:00+03:00"})
    assert r.status_code == 200, r.text
    assert sim.commands[-1].at.isoformat() == "2030-01-01T05:00:00+00:00"
