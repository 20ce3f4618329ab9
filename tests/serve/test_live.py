"""Live runs behind the adapter, with a fake engine that has the interface of
``rossim.ops.engine.Simulation`` (advance_to, command, telemetry, events)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from rossim.serve.app import create_app
from rossim.serve.live import LiveSource

T0 = datetime(2030, 1, 1, tzinfo=UTC)
T0_MS = int(T0.timestamp() * 1000)
TOKEN = "live-token"


class FakeSimulation:
    """Altitude decays 1 m per minute; a reboost command raises it 5 km at once."""

    channels = [{"name": "orbit.altitude_km", "unit": "km", "low": 380.0, "high": 430.0,
                 "description": "mean altitude"}]

    def __init__(self, scenario=None, seed=None):
        self.t = T0
        self.alt = 400.0
        self.samples = [(T0, "orbit.altitude_km", self.alt)]
        self.events = []
        self.commands = []

    def advance_to(self, t: datetime) -> None:
        while self.t + timedelta(minutes=1) <= t:
            self.t += timedelta(minutes=1)
            self.alt -= 0.001
            self.samples.append((self.t, "orbit.altitude_km", self.alt))

    def command(self, cmd):
        self.commands.append(cmd)
        if cmd["command"] != "reboost":
            return {"accepted": False, "reason": f"unknown command {cmd['command']}"}
        self.alt += 5.0
        self.events.append({"time": self.t, "kind": "reboost", "subject": "station",
                            "detail": "commanded reboost +5 km", "severity": "info",
                            "value": 5.0})
        return {"accepted": True}

    def telemetry(self, channels=None, since=None):
        return [s for s in self.samples if since is None or s[0] > since]


def test_poll_history_and_downsampling():
    live = LiveSource(FakeSimulation())
    assert live.start_ms == T0_MS and live.channels["orbit.altitude_km"].unit == "km"
    samples, events = live.poll(T0_MS + 600 * 60_000)
    assert len(samples) == 600 and events == []
    assert live.poll(T0_MS + 600 * 60_000) == ([], [])  # not twice
    h = live.history("orbit.altitude_km", T0_MS, T0_MS + 600 * 60_000)
    assert h["count"] == 601 and h["points"][0] == [T0_MS, 400.0]
    d = live.history("orbit.altitude_km", T0_MS, T0_MS + 600 * 60_000, bins=10)
    vals = [v for _, v in d["points"]]
    assert d["downsampled"] and len(vals) <= 20
    assert max(vals) == 400.0 and min(vals) == pytest.approx(400.0 - 0.6)


def test_live_app_streams_and_takes_commands_with_token():
    sim = FakeSimulation()
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
            r = c.post("/api/command", json={"command": "reboost"})
            assert r.status_code == 401 and not sim.commands  # refused, nothing changed
            r = c.post("/api/command", json={"command": "reboost"},
                       headers={"X-Rossim-Token": TOKEN})
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
