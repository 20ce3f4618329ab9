"""Live runs behind the adapter, with a fake engine (conftest ``fake_simulation``) that has
the interface and the answer shapes of ``rossim.ops.Simulation``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from rossim.serve.app import create_app
from rossim.serve.live import LiveSource

T0_MS = 1_893_456_000_000  # 2030-01-01T00:00:00Z, the fake engine's start (conftest)
TOKEN = "live-token"


def test_poll_history_and_downsampling(fake_simulation):
    live = LiveSource(fake_simulation())
    assert live.start_ms == T0_MS and live.channels["orbit.altitude_km"].unit == "km"
    samples, events = live.poll(T0_MS + 600 * 60_000)
    assert len([x for x in samples if x[1] == "orbit.altitude_km"]) == 600 and events == []
    assert live.poll(T0_MS + 600 * 60_000) == ([], [])  # not twice
    h = live.history("orbit.altitude_km", T0_MS, T0_MS + 600 * 60_000)
    assert h["count"] == 601 and h["points"][0] == [T0_MS, 400.0]
    d = live.history("orbit.altitude_km", T0_MS, T0_MS + 600 * 60_000, bins=10)
    vals = [v for _, v in d["points"]]
    assert d["downsampled"] and len(vals) <= 20
    assert max(vals) == 400.0 and min(vals) == pytest.approx(400.0 - 0.6)


def test_late_labelled_bins_are_not_lost(fake_simulation):
    # polled every 7 minutes, the 10-minute bins arrive after the clock passed their label
    live = LiveSource(fake_simulation())
    got = []
    for k in range(1, 60):
        samples, _ = live.poll(T0_MS + k * 7 * 60_000)
        got += [t for t, name, _ in samples if name == "power.soc_min"]
    n = (59 * 7) // 10  # bins over by the last poll
    assert got == [T0_MS + i * 600_000 for i in range(n)]


def test_ground_track_from_live_orbit_channels(fake_simulation):
    from rossim.serve.groundtrack import ground_track

    live = LiveSource(fake_simulation())
    live.poll(T0_MS + 3 * 3_600_000)
    g = ground_track(live, T0_MS, T0_MS + 3 * 3_600_000, 60.0)
    lat = [p[1] for p in g["points"]]
    assert len(lat) == 181 and max(lat) > 51.0  # inclination from scenario ros-51.6 default


def test_live_app_streams_and_takes_commands_with_token(fake_simulation):
    sim = fake_simulation()
    app = create_app(LiveSource(sim), speed=60_000.0, token=TOKEN, tick_s=0.02)
    with TestClient(app) as c:
        assert c.get("/api/info").json()["mode"] == "live"
        with c.websocket_connect("/ws/realtime") as ws:
            assert ws.receive_json()["type"] == "hello"
            ws.send_json({"subscribe": ["orbit.altitude_km"], "events": True})
            got, seqs = [], []
            while len(got) < 30:
                msg = ws.receive_json()
                seqs.append(msg["seq"])
                got += msg["samples"]
            before = got[-1][2]
            reboost = {"command": "reboost", "delta_v_m_s": 3.0}
            r = c.post("/api/command", json=reboost)
            assert r.status_code == 401 and not sim.commands  # refused, nothing changed
            r = c.post("/api/command", json=reboost, headers={"X-Rossim-Token": TOKEN})
            assert r.status_code == 200 and r.json()["result"] == {"accepted": True}
            events = []
            while not events:
                msg = ws.receive_json()
                seqs.append(msg["seq"])
                got += msg["samples"]
                events += msg["events"]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
        assert events[0]["kind"] == "reboost"
        after = [v for t, _, v in got if t > events[0]["utc"]]
        assert after and after[0] > before + 4.9  # the altitude rose
        ts = [t for t, _, _ in got]
        assert all(b - a == 60_000 for a, b in zip(ts, ts[1:], strict=False))  # none lost
        r = c.post("/api/command", json={"cmd": 1}, headers={"X-Rossim-Token": TOKEN})
        assert r.status_code == 400 and r.json()["parameter"] == "command"


def test_live_run_is_archived_as_it_goes_with_the_real_engine(tmp_path):
    """A live run of the closed-loop engine writes its archive while it runs (a hard kill
    loses at most one interval) and goes on afterwards: ``Simulation.finish`` changes nothing."""
    from pathlib import Path

    from rossim.archive.store import is_complete, read_table
    from rossim.config.scenario import load_scenario
    from rossim.ops import Simulation
    from rossim.serve.live import LiveSource, to_ms

    tiny = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"
    sc = load_scenario(tiny)    # Luch-5 relays assumed replaced: both kinds of window
    sc = sc.model_copy(update={"operations": sc.operations.model_copy(
        update={"assume_relay_replacements": True})})
    live = LiveSource(Simulation(sc))
    live.archive_as_it_goes(tmp_path, every_s=0.0)  # every poll, for the test
    t0 = live.start_ms
    live.poll(t0 + 5 * 86400 * 1000)
    first = read_table(tmp_path / "archive.duckdb", "telemetry_hourly")
    assert is_complete(tmp_path / "archive.duckdb") and len(first) == 5 * 24
    live.command({"command": "reboost", "delta_v_m_s": 1.0})
    live.poll(t0 + 10 * 86400 * 1000)
    second = read_table(tmp_path / "archive.duckdb", "telemetry_hourly")
    assert len(second) == 10 * 24 and second[:5 * 24] == first
    commands = read_table(tmp_path / "archive.duckdb", "commands")
    assert any("reboost" in c[1] and c[2] == "operator" for c in commands)
    assert to_ms(second[-1][0]) > to_ms(first[-1][0])
    # the contact panel's windows, live from the engine and in the archive written as it goes
    from rossim.serve.contact import contact_windows

    got = contact_windows(live, t0, t0 + 10 * 86400 * 1000)["windows"]
    kinds = {w["kind"] for w in got}
    assert kinds == {"ground", "relay"}
    ground = [w for w in got if w["kind"] == "ground"]
    assert all(w["los"] > w["aos"] and 5.0 <= w["max_elevation_deg"] <= 90.0 for w in ground)
    archived = read_table(tmp_path / "archive.duckdb", "contact_windows")
    assert len(archived) == len(got)
