"""Requests the server once took without checking (reported by a newcomer): a command's
``at`` outside the run (or a number), an unknown event kind, a window of years before the
run. Each is a 400 naming the parameter, the value and what was expected; nothing changes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from rossim.serve.app import create_app
from rossim.serve.live import LiveSource
from rossim.serve.replay import ArchiveSource

TOKEN = "check-token"
T0_MS = 1_893_456_000_000  # 2030-01-01T00:00:00Z: the fake engine's start, the archive's too
HOUR = 3_600_000
H = {"X-Rossim-Token": TOKEN}


@pytest.fixture
def live(fake_simulation):
    sim = fake_simulation()
    source = LiveSource(sim)
    source.poll(T0_MS + 2 * HOUR)   # the run's current time: 2030-01-01T02:00Z
    app = create_app(source, speed=1.0, token=TOKEN, tick_s=60.0)
    with TestClient(app) as c:
        yield c, sim, source


@pytest.fixture(scope="module")
def replay(archive):
    source = ArchiveSource(archive)
    with TestClient(create_app(source, speed=1000.0, token=TOKEN, tick_s=60.0)) as c:
        yield c
    source.close()


@pytest.mark.parametrize("at", ["2099-01-01T00:00:00Z", "2020-01-01", "2030-01-01T01:00:00Z",
                                5, 1893463200000, "1893463200000", True, "garbage", "",
                                ["2030-01-02"]])
def test_command_at_outside_the_run_or_not_a_time_is_a_400_naming_at(live, at):
    c, sim, source = live
    r = c.post("/api/command", json={"command": "reboost", "delta_v_m_s": 1, "at": at},
               headers=H)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["parameter"] == "at" and body["value"] == at
    # the allowed range: from the run's current time to its end
    from rossim.serve.params import iso_ms

    assert "2030-01-01T02:00:00Z" in body["error"] and iso_ms(source.end_ms) in body["error"]
    assert "ISO-8601" in body["error"]
    assert sim.commands == []   # nothing reached the engine


def test_command_at_inside_the_run_is_scheduled_as_a_time(live):
    c, sim, _ = live
    r = c.post("/api/command", headers=H, json={"command": "reboost", "delta_v_m_s": 1,
                                                "at": "2030-01-01T05:00:00Z"})
    assert r.status_code == 200, r.text
    (cmd,) = sim.commands
    assert cmd.at.isoformat() == "2030-01-01T05:00:00+00:00"   # a UTC time, not the text
    r = c.post("/api/command", headers=H, json={"command": "reboost", "delta_v_m_s": 1,
                                                "at": None})
    assert r.status_code == 200 and sim.commands[-1].at is None   # null: now


def test_commands_list_at_among_the_fields(live):
    c, _, _ = live
    got = c.get("/api/commands").json()
    assert got and all("at" in [f["name"] for f in cmd["fields"]] for cmd in got)
    at = next(f for f in got[0]["fields"] if f["name"] == "at")
    assert "current time" in at["type"] and at["default"] is None


def test_command_at_with_the_real_engine_stays_inside_the_scenario_span():
    from pathlib import Path

    from rossim.config.scenario import load_scenario
    from rossim.errors import InputError
    from rossim.ops import Simulation
    from rossim.serve.params import iso_ms

    tiny = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"
    sc = load_scenario(tiny)
    source = LiveSource(Simulation(sc))
    end = iso_ms(source.end_ms)
    assert end.startswith(sc.span.end.date().isoformat())
    for at in ("2099-01-01T00:00:00Z", "garbage", 5):
        with pytest.raises(InputError) as e:
            source.command({"command": "reboost", "delta_v_m_s": 1.0, "at": at})
        assert e.value.field == "at" and end in e.value.expected
    assert source.adapter.sim.command_log == []


def test_unknown_event_kind_is_a_400_listing_the_known_kinds(replay):
    r = replay.get("/api/events", params={"kind": "dock,nosuchkind"})
    assert r.status_code == 400
    body = r.json()
    assert body["parameter"] == "kind" and body["value"] == "nosuchkind"
    for k in ("alarm", "dock", "fault", "reboost", "undock", "separation"):
        assert k in body["error"]
    # the plan's kinds are known even where the run has none (the page's Visits stream)
    r = replay.get("/api/events", params={"kind": "dock,undock,separation"})
    assert r.status_code == 200 and [e["kind"] for e in r.json()] == ["dock", "undock"]


def test_unknown_event_kind_live_lists_what_the_run_produced(live):
    c, _, _ = live
    assert c.get("/api/events", params={"kind": "reboost"}).status_code == 400
    c.post("/api/command", headers=H, json={"command": "reboost", "delta_v_m_s": 1})
    c.app.state.source.poll(T0_MS + 3 * HOUR)
    assert c.get("/api/events", params={"kind": "reboost"}).status_code == 200


@pytest.mark.parametrize("url", ["/api/groundtrack", "/api/telemetry/power.soc_min",
                                 "/api/events", "/api/contact"])
@pytest.mark.parametrize("params,parameter", [
    ({"start": "2020-01-01", "end": "2020-01-02"}, "end"),     # years before the run
    ({"start": "2031-01-01", "end": "2031-01-02"}, "start"),   # after its end
    ({"start": "2031-01-01"}, "start"),
    ({"end": "2020-01-01"}, "end")])
def test_a_window_outside_the_run_is_a_400_naming_the_span(replay, url, params, parameter):
    r = replay.get(url, params=params)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["parameter"] == parameter and body["value"] == params[parameter]
    assert "2030-01-01T00:00:00Z .. 2030-03-01T23:50:00Z" in body["error"]


def test_groundtrack_window_is_clipped_to_the_run(replay):
    # the page asks for the 3 h before the clock, which at the run's start reach before it
    g = replay.get("/api/groundtrack", params={"start": T0_MS - 3 * HOUR, "end": T0_MS + HOUR,
                                               "step": 60}).json()
    assert g["points"][0][0] == T0_MS and g["points"][-1][0] == T0_MS + HOUR
    assert len(g["points"]) == 61
    r = replay.get("/api/groundtrack", params={"start": T0_MS - 4 * HOUR})   # default end
    assert r.status_code == 400 and r.json()["parameter"] == "start"


@pytest.mark.parametrize("at,expected", [
    ("2099-01-01T00:00:00Z", "a date inside the span 2027-12-01 .. 2028-03-15"),
    ("2020-01-01T00:00:00Z", "a date inside the span 2027-12-01 .. 2028-03-15"),
    ("5", "a date (YYYY-MM-DD) or date-time")])
def test_scenario_command_at_outside_the_span_is_refused_at_validation(tmp_path, capsys, at,
                                                                        expected):
    """The scenario's [[commands]] have the same rule: at validation, naming commands[i].at."""
    from pathlib import Path

    from rossim.cli.main import main

    tiny = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"
    path = tmp_path / "s.toml"
    path.write_text(tiny.read_text(encoding="utf-8") + f'\n[[commands]]\nat = {at}\n'
                    'command = "reboost"\ndelta_v_m_s = 1.0\n', encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "commands[0].at" in err and expected in err, err
