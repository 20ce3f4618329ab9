"""Server API: every endpoint, min/max downsampling against raw SQL, bad requests -> 4xx."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest
from fastapi.testclient import TestClient

from rossim.serve.app import create_app
from rossim.serve.replay import ArchiveSource

TOKEN = "test-token"
START_MS = 1_893_456_000_000  # 2030-01-01T00:00:00Z, the synthetic archive's first sample (conftest)


@pytest.fixture(scope="module")
def client(archive):
    source = ArchiveSource(archive)
    app = create_app(source, speed=1000.0, token=TOKEN, tick_s=0.05)
    with TestClient(app) as c:
        yield c
    source.close()


def test_info_and_span(client, tables):
    info = client.get("/api/info").json()
    assert info["mode"] == "replay"
    assert info["run_info"]["scenario"] == "synthetic"
    assert info["start"] == START_MS
    last = tables["telemetry_power"]["time"][-1]
    assert info["end"] == int(np.datetime64(last, "ms").astype(np.int64))
    assert set(info["event_kinds"]) == {"dock", "alarm", "fault", "reboost", "undock"}


def test_dictionary_units_and_limits(client):
    d = client.get("/api/dictionary").json()
    subs = {s["key"]: {c["name"]: c for c in s["channels"]} for s in d["subsystems"]}
    assert set(subs) == {"power", "hourly", "daily", "contact", "thermal"}
    assert subs["thermal"]["thermal.nem1_temperature_c"]["unit"] == "°C"
    assert subs["thermal"]["thermal.node_heater_kw"]["unit"] == "kW"
    tmax = subs["thermal"]["thermal.max_temperature_c"]   # limits.toml, two levels
    assert (tmax["warning_high"], tmax["high"]) == (26.7, 30.0)
    assert subs["hourly"]["hourly.altitude_km"]["unit"] == "km"
    assert subs["power"]["power.generation_kw"]["unit"] == "kW"
    assert subs["power"]["power.battery_kwh"]["unit"] == "kWh"
    assert subs["hourly"]["hourly.density_kg_m3"]["unit"] == "kg/m³"
    assert subs["daily"]["daily.oxygen_kg"]["unit"] == "kg"
    soc = subs["power"]["power.soc_min"]
    # limits.toml: loads shed below 0.65 (warning), safe mode below 0.25 (critical)
    assert (soc["warning_low"], soc["low"], soc["high"]) == (0.65, 0.25, None)
    assert soc["description"] == "fraction"  # from the archive SCHEMA


def _raw(archive, column, start_ms, end_ms):
    con = duckdb.connect(f"{archive}/archive.duckdb", read_only=True)
    try:
        return np.array(con.execute(
            f"SELECT epoch_ms(time), {column} FROM telemetry_power WHERE epoch_ms(time) "
            "BETWEEN ? AND ? ORDER BY time", [start_ms, end_ms]).fetchall(), float)
    finally:
        con.close()


@pytest.mark.parametrize("bins", [1, 7, 100, 999])
def test_downsampling_keeps_every_bucket_min_and_max(client, archive, bins):
    start, end = START_MS + 3_600_000, START_MS + 50 * 86_400_000
    raw = _raw(archive, "soc_min", start, end)
    got = client.get("/api/telemetry/power.soc_min",
                     params={"start": start, "end": end, "bins": bins}).json()
    assert got["downsampled"] and got["count"] == len(raw)
    pts = np.array(got["points"], float)
    assert len(pts) <= 2 * bins
    assert np.all(np.diff(pts[:, 0]) > 0)  # time order, no duplicates
    # every returned point is a real sample
    lookup = dict(zip(raw[:, 0], raw[:, 1], strict=True))
    assert all(lookup[t] == v for t, v in pts)
    # per bucket, the min and max of the raw samples are there (independent numpy binning)
    width_us = -(-(end - start) * 1000 // bins)  # the documented bucket width (ceil, in us)
    b_raw = np.minimum((raw[:, 0].astype(np.int64) - start) * 1000 // width_us, bins - 1)
    b_pts = np.minimum((pts[:, 0].astype(np.int64) - start) * 1000 // width_us, bins - 1)
    for b in np.unique(b_raw):
        vals, mine = raw[b_raw == b, 1], pts[b_pts == b, 1]
        assert mine.min() == vals.min() and mine.max() == vals.max()
    assert pts[:, 1].min() == pytest.approx(0.12)  # the single deep dip survives


def test_eight_week_plot_spike_survives_and_raw_when_small(client, archive):
    got = client.get("/api/telemetry/power.generation_kw", params={"bins": 50}).json()
    assert max(v for _, v in got["points"]) == 99.0
    start, end = START_MS, START_MS + 86_400_000
    raw = _raw(archive, "generation_kw", start, end)
    small = client.get("/api/telemetry/power.generation_kw",
                       params={"start": start, "end": end, "bins": 1000}).json()
    assert not small["downsampled"]
    assert small["points"] == [[int(t), v] for t, v in raw]


def test_iso_times_accepted(client):
    got = client.get("/api/telemetry/hourly.altitude_km",
                     params={"start": "2030-01-01T00:00:00Z", "end": "2030-01-01T05:00:00Z"})
    assert got.status_code == 200
    assert [p[0] for p in got.json()["points"]] == [START_MS + k * 3_600_000 for k in range(6)]


@pytest.mark.parametrize("url,params,status,parameter", [
    ("/api/telemetry/power.nope", {}, 404, "channel"),
    ("/api/telemetry/power.soc_min", {"bins": "0"}, 400, "bins"),
    ("/api/telemetry/power.soc_min", {"bins": "ten"}, 400, "bins"),
    ("/api/telemetry/power.soc_min", {"bins": "1000000"}, 400, "bins"),
    ("/api/telemetry/power.soc_min", {"start": "yesterday"}, 400, "start"),
    ("/api/telemetry/power.soc_min", {"start": "1900-01-01"}, 400, "start"),
    ("/api/telemetry/power.soc_min", {"end": "99999999999999999"}, 400, "end"),
    ("/api/telemetry/power.soc_min", {"start": "1893456000000", "end": "1893455000000"}, 400,
     "end"),
    ("/api/events", {"severity": "fatal"}, 400, "severity"),
    ("/api/events", {"start": "nan"}, 400, "start"),
    ("/api/groundtrack", {"start": "1893456000000", "end": "1993456000000"}, 400, "end"),
    ("/api/groundtrack", {"step": "0"}, 400, "step"),
    ("/api/regions/atlantis", {}, 400, "name"),
])
def test_bad_requests_get_4xx_naming_the_parameter(client, url, params, status, parameter):
    r = client.get(url, params=params)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["parameter"] == parameter
    assert parameter in body["error"]


def test_events_stream_and_filters(client):
    ev = client.get("/api/events").json()
    assert [e["kind"] for e in ev] == ["dock", "alarm", "fault", "reboost", "undock"]
    alarms = client.get("/api/events", params={"severity": "warning,critical"}).json()
    assert [(e["kind"], e["severity"]) for e in alarms] == [("alarm", "critical"),
                                                             ("fault", "warning")]
    assert alarms[0]["value"] == pytest.approx(0.12)
    assert ev[0]["value"] is None
    visits = client.get("/api/events", params={"kind": "dock,undock"}).json()
    assert [e["kind"] for e in visits] == ["dock", "undock"]
    window = client.get("/api/events", params={"start": START_MS + 2 * 86_400_000,
                                               "end": START_MS + 6 * 86_400_000}).json()
    assert [e["kind"] for e in window] == ["alarm", "fault"]


def test_groundtrack_reaches_the_inclination(client):
    g = client.get("/api/groundtrack", params={"start": START_MS,
                                               "end": START_MS + 6 * 3_600_000}).json()
    lat = np.array([p[1] for p in g["points"]])
    assert len(lat) == 6 * 120 + 1
    # a 51.6 deg orbit: geodetic latitude peaks a little above 51.6 (Earth's flattening)
    assert 51.5 < lat.max() < 52.0 and -52.0 < lat.min() < -51.5
    # free-flyers deployed by the window's end only (ff-02 comes a month later)
    assert [f["name"] for f in g["free_flyers"]] == []
    later = client.get("/api/groundtrack", params={"start": START_MS + 3 * 86_400_000,
                                                   "end": START_MS + 3 * 86_400_000 + 3_600_000})
    assert [f["name"] for f in later.json()["free_flyers"]] == ["ff-01"]
    # ff-01 re-enters on day 10 (its reentry): gone from the map of a later window
    gone = client.get("/api/groundtrack", params={"start": START_MS + 40 * 86_400_000,
                                                  "end": START_MS + 40 * 86_400_000 + 3_600_000})
    assert [f["name"] for f in gone.json()["free_flyers"]] == ["ff-02"]


def test_regions_are_the_shipped_geojson(client):
    r = client.get("/api/regions/russia")
    assert r.status_code == 200 and r.json()["type"] == "FeatureCollection"


def test_clock_needs_the_token_and_changes_nothing_without(client):
    before = client.get("/api/clock").json()
    r = client.post("/api/clock", json={"speed": 5.0})
    assert r.status_code == 401 and r.json()["parameter"] == "token"
    r = client.post("/api/clock", json={"speed": 5.0}, headers={"X-Rossim-Token": "wrong"})
    assert r.status_code == 401
    assert client.get("/api/clock").json()["speed"] == before["speed"]
    r = client.post("/api/clock", json={"speed": -1}, headers={"X-Rossim-Token": TOKEN})
    assert r.status_code == 400 and r.json()["parameter"] == "speed"
    r = client.post("/api/clock", json={"paused": True, "t": START_MS + 1000},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200 and r.json()["paused"] and r.json()["t"] == START_MS + 1000
    r = client.post("/api/clock", json={"paused": False, "speed": 1000.0},
                    headers={"X-Rossim-Token": TOKEN})
    assert r.json()["speed"] == 1000.0
    # a bool is no speed, a misspelt field is named, a seek outside the run is refused (each
    # was a 200: speed 1, the field ignored, the clock set to the run's end)
    for body, field in (({"speed": True}, "speed"), ({"sped": 5.0}, "sped"),
                        ({"t": "2200-01-01T00:00:00Z"}, "t"), ({"t": START_MS - 1}, "t")):
        r = client.post("/api/clock", json=body, headers={"X-Rossim-Token": TOKEN})
        assert r.status_code == 400 and r.json()["parameter"] == field, (body, r.json())
    assert client.get("/api/clock").json()["speed"] == 1000.0


def test_commands_refused_in_replay(client):
    assert client.post("/api/command", json={"command": "reboost"}).status_code == 401
    r = client.post("/api/command", json={"command": "reboost"},
                    headers={"X-Rossim-Token": TOKEN})
    assert r.status_code == 409 and r.json()["parameter"] == "mode"


def test_websocket_replay_in_order_with_sequence_numbers(client, archive):
    # seek the clock to a known time, then stream 2 simulated hours per wall second
    t0 = START_MS + 10 * 86_400_000
    client.post("/api/clock", json={"t": t0, "speed": 7200.0, "paused": False},
                headers={"X-Rossim-Token": TOKEN})
    with client.websocket_connect("/ws/realtime") as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_text("not json")
        err = ws.receive_json()
        while err["type"] != "error":
            err = ws.receive_json()
        assert err["parameter"] == "message"
        ws.send_json({"subscribe": ["power.nope"]})
        ws.send_json({"subscribe": ["power.soc_min", "hourly.altitude_km"], "events": True})
        seqs, samples = [], []
        while len(seqs) < 60:
            msg = ws.receive_json()
            if msg["type"] == "error":
                assert msg["parameter"] == "subscribe" and msg["value"] == ["power.nope"]
                continue
            seqs.append(msg["seq"])
            samples += msg["samples"]
    client.post("/api/clock", json={"speed": 1000.0}, headers={"X-Rossim-Token": TOKEN})
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    soc = [(t, v) for t, name, v in samples if name == "power.soc_min"]
    assert len(soc) > 10
    # consecutive 10-minute bins with no gap, values exactly the archive's
    ts = [t for t, _ in soc]
    assert np.all(np.diff(ts) == 600_000)
    raw = dict(map(tuple, _raw(archive, "soc_min", ts[0], ts[-1])))
    assert all(raw[t] == v for t, v in soc)
    assert {name for _, name, _ in samples} == {"power.soc_min", "hourly.altitude_km"}


@pytest.mark.parametrize(("message", "parameter", "value"), [
    ('{"subscribe": 5}', "subscribe", 5),
    ('{"subscribe": true}', "subscribe", True),
    ('{"subscribe": null}', "subscribe", None),
    ('{"unsubscribe": 3.5}', "unsubscribe", 3.5),
    ('{"subscribe": {"power.soc_min": 1}}', "subscribe", '{"power.soc_min": 1}'),
    ('{"subscribe": [5]}', "subscribe", "[5]"),
    ('{"subscribe": [["power.soc_min"]]}', "subscribe", '[["power.soc_min"]]'),
    ('{"events": "maybe"}', "events", "maybe"),
    ('{"events": 1}', "events", 1),
    ('{"subscrib": ["power.soc_min"]}', "subscrib", '["power.soc_min"]'),
    ("[" * 100_000 + "]" * 100_000, "message", "[" * 80),
])
def test_websocket_request_fields_of_the_wrong_type_get_an_error_reply(client, message,
                                                                       parameter, value):
    """Every field of a request is checked: a number, a boolean or null where channel names
    go was a TypeError in the server and a dropped socket (1006); a string for "events" was
    taken as true; an unknown field passed unseen. Each gets an error reply naming the field
    and the value, the connection stays open and a good request after it is served."""
    with client.websocket_connect("/ws/realtime") as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_text(message)
        for _ in range(200):   # bounded: no error reply at all fails, not hangs
            reply = ws.receive_json()
            if reply["type"] == "error":
                break
        assert (reply["parameter"], reply["value"]) == (parameter, value), reply
        assert "expected" in reply["error"]
        ws.send_json({"subscribe": "power.soc_min", "events": False})
        for _ in range(200):
            msg = ws.receive_json()
            assert msg["type"] == "tick", msg
            if msg["samples"]:
                break
        assert {name for _, name, _ in msg["samples"]} == {"power.soc_min"}


def test_index_says_how_to_install_when_web_missing(archive, tmp_path):
    source = ArchiveSource(archive)
    with TestClient(create_app(source, web=tmp_path)) as c:
        r = c.get("/")
        assert r.status_code == 503 and "make web" in r.json()["error"]
    source.close()


def test_huge_raw_window_asks_for_bins(client, monkeypatch):
    import rossim.serve.replay as replay

    monkeypatch.setattr(replay, "MAX_RAW_POINTS", 1000)
    r = client.get("/api/telemetry/power.soc_min")  # 8,640 samples, no bins
    assert r.status_code == 400 and r.json()["parameter"] == "bins"
    assert "8640 samples" in r.json()["error"]
    assert client.get("/api/telemetry/power.soc_min", params={"bins": 500}).status_code == 200


def test_a_client_that_disconnects_costs_nothing(client):
    hub = client.app.state.hub
    with client.websocket_connect("/ws/realtime") as ws:
        ws.receive_json()
        ws.send_json({"subscribe": ["power.soc_min"]})
        ws.receive_json()
        assert len(hub.subscribers) == 1
    import time

    deadline = time.monotonic() + 5
    while hub.subscribers and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not hub.subscribers
    assert client.get("/api/info").status_code == 200  # still serving


def test_archive_is_not_modified_by_serving(archive):
    import hashlib
    from pathlib import Path

    path = Path(archive) / "archive.duckdb"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    source = ArchiveSource(archive)
    with TestClient(create_app(source, token=TOKEN)) as c:
        c.get("/api/telemetry/power.soc_min", params={"bins": 10})
        c.get("/api/events")
    source.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not list(Path(archive).glob("*.wal"))


def test_contact_windows_from_the_archive(client, tables):
    from tests.serve.conftest import CONTACTS, POWER_DAYS

    got = client.get("/api/contact").json()
    assert not got["truncated"]
    assert len(got["windows"]) == POWER_DAYS * len(CONTACTS)
    w = got["windows"]
    assert all(a["aos"] <= b["aos"] for a, b in zip(w, w[1:], strict=False))   # sorted by AOS
    first = w[0]
    assert first["name"] == "Shchyolkovo" and first["kind"] == "ground"
    assert first["aos"] == START_MS + 6 * 3_600_000
    assert first["los"] - first["aos"] == 8 * 60_000 and first["duration_s"] == 480.0
    assert first["max_elevation_deg"] == 45.0
    relay = client.get("/api/contact", params={"kind": "relay"}).json()["windows"]
    assert len(relay) == POWER_DAYS and all(r["max_elevation_deg"] is None for r in relay)
    # a window overlapping the span's edge counts: 06:04-09:03 holds the end of the first
    # Shchyolkovo pass and the Ussuriysk pass of day 1
    day = client.get("/api/contact", params={"start": START_MS + 6 * 3_600_000 + 240_000,
                                             "end": START_MS + 9 * 3_600_000 + 180_000}).json()
    assert [x["name"] for x in day["windows"]] == ["Shchyolkovo", "Ussuriysk"]
    # the in-contact flags are steps at the same edges
    steps = client.get("/api/telemetry/contact.in_ground_contact",
                       params={"start": START_MS, "end": START_MS + 86_400_000}).json()
    pts = steps["points"]
    edges = [p[0] for p in pts if p[1] == 1.0]
    assert START_MS + 6 * 3_600_000 in edges and START_MS + 9 * 3_600_000 in edges


@pytest.mark.parametrize("params,parameter", [
    ({"kind": "laser"}, "kind"), ({"start": "yesterday"}, "start"),
    ({"start": START_MS + 10, "end": START_MS}, "end")])
def test_contact_bad_requests(client, params, parameter):
    r = client.get("/api/contact", params=params)
    assert r.status_code == 400
    assert r.json()["parameter"] == parameter
