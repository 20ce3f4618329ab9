"""Fixtures for the mission-control server: a small synthetic archive with known values.

The archive is written by rossim's own writer (:func:`rossim.archive.store.write_archive`),
so it has exactly the layout of a real run; its numbers are made here (seeded) so that every
expected figure can be recomputed independently from the arrays below.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from rossim.archive.store import SCHEMA, write_archive
from rossim.ops.engine import Channel  # the engine's own channel record

START = np.datetime64("2030-01-01T00:00:00", "us")
POWER_DAYS = 60


#: synthetic contact windows, every day: (link, kind, start after midnight, duration), minutes
CONTACTS = [("Shchyolkovo", "ground", 6 * 60, 8), ("Ussuriysk", "ground", 9 * 60, 7),
            ("Luch-5A", "relay", 12 * 60, 50)]


def _contact() -> dict:
    """``contact_windows`` and the ``telemetry_contact`` steps of :data:`CONTACTS`."""
    rows = []
    for d in range(POWER_DAYS):
        day = START + np.timedelta64(d, "D")
        for name, kind, m0, dur in CONTACTS:
            a = day + np.timedelta64(m0, "m")
            rows.append((name, kind, a, a + np.timedelta64(dur, "m"), 60.0 * dur,
                         45.0 if kind == "ground" else np.nan))
    windows = {k: [r[i] for r in rows] for i, k in enumerate(
        ("name", "kind", "aos", "los", "duration_s", "max_elevation_deg"))}
    windows["aos_clipped"] = [False] * len(rows)
    windows["los_clipped"] = [False] * len(rows)
    t = [START]
    vals = {"in_contact": [0.0], "in_ground_contact": [0.0], "in_relay_contact": [0.0]}
    for _name, kind, a, b, _, _ in rows:
        for when, v in ((a, 1.0), (b, 0.0)):
            t.append(when)
            vals["in_contact"].append(v)
            vals["in_ground_contact"].append(v if kind == "ground" else 0.0)
            vals["in_relay_contact"].append(v if kind == "relay" else 0.0)
    return {"contact_windows": windows, "telemetry_contact": {"time": t, **vals}}


def _tables() -> dict:
    rng = np.random.default_rng(15)
    n = POWER_DAYS * 144  # 10-minute bins
    t = START + np.arange(n) * np.timedelta64(10, "m")
    phase = np.arange(n) * (2 * np.pi / 9.2)  # ~92-min orbits in 10-min bins
    soc = 0.75 + 0.2 * np.sin(phase) + rng.normal(0, 0.02, n)
    soc[5000] = 0.12  # one deep dip: below the 0.25 limit, must survive downsampling
    gen = 40 + 10 * np.cos(phase) + rng.normal(0, 1, n)
    gen[7777] = 99.0  # one spike
    power = {c: np.zeros(n) for c, _, _ in SCHEMA["telemetry_power"]}
    power.update(time=t, soc_min=soc, soc_max=soc + 0.01, generation_kw=gen, load_kw=gen * 0.8,
                 served_kw=gen * 0.8, battery_kwh=np.full(n, 200.0), beta_deg=rng.uniform(-60, 60, n))
    nh = POWER_DAYS * 24
    th = START + np.arange(nh) * np.timedelta64(1, "h")
    alt = 410 - 0.02 * np.arange(nh) % 25
    hourly = {c: np.zeros(nh) for c, _, _ in SCHEMA["telemetry_hourly"]}
    hourly.update(time=th, altitude_km=alt, raan_deg=(np.arange(nh) * -0.21) % 360,
                  station_propellant_kg=np.linspace(900, 700, nh), crew_aboard=np.full(nh, 3.0),
                  mass_kg=np.full(nh, 90_000.0))
    # thermal bins: NEM-1 warms to 26 degC every 9 days, the dormant node holds 12 degC on
    # heaters (the shapes rossim.ops.thermal writes, with its per-module columns)
    nem1 = 22.0 + 4.0 * np.clip(np.sin(np.arange(n) * 2 * np.pi / (9 * 144)), 0, None)
    node_heater = 0.3 + 0.05 * np.cos(phase)
    thermal = {"time": t, "max_temperature_c": nem1, "min_temperature_c": np.full(n, 12.0),
               "heater_kw": node_heater, "radiator_kw": 1.5 + 0.1 * np.cos(phase),
               "nem1_temperature_c": nem1, "nem1_heater_kw": np.zeros(n),
               "nem1_radiator_kw": 1.5 + 0.1 * np.cos(phase),
               "node_temperature_c": np.full(n, 12.0), "node_heater_kw": node_heater,
               "node_radiator_kw": np.zeros(n)}
    td = START + np.arange(POWER_DAYS) * np.timedelta64(1, "D")
    daily = {c: np.zeros(POWER_DAYS) for c, _, _ in SCHEMA["telemetry_daily"]}
    daily.update(time=td, oxygen_kg=np.linspace(500, 300, POWER_DAYS),
                 margin_days=np.linspace(120, 60, POWER_DAYS))
    ev_t = [START + np.timedelta64(d, "D") for d in (1, 5, 5, 20, 40)]
    events = {"time": ev_t, "kind": ["dock", "alarm", "fault", "reboost", "undock"],
              "subject": ["soyuz-ms-30", "power", "coolant-pump", "station", "soyuz-ms-30"],
              "detail": ["docked", "batteries low: 12 % state of charge", "fault #1",
                         "10 m/s", "undocked"],
              "severity": ["info", "critical", "warning", "info", "info"],
              "value": [np.nan, 0.12, np.nan, 10.0, np.nan]}
    flyers = {"name": ["ff-01", "ff-02"], "deployment": [0, 0],
              "deployed": [START + np.timedelta64(2, "D"), START + np.timedelta64(30, "D")],
              "mass_kg": [20.0, 20.0], "ring": [0, 0], "radial_amplitude_m": [1500.0, 1500.0],
              "cross_track_amplitude_m": [1000.0, 1000.0],
              "reentry": [START + np.timedelta64(10, "D"), None]}
    tables = {"telemetry_power": power, "telemetry_hourly": hourly, "telemetry_daily": daily,
              "telemetry_thermal": thermal, "events": events, "free_flyers": flyers,
              **_contact()}
    for name, data in tables.items():  # columns the schema has beyond these: neutral values
        n = len(next(iter(data.values())))
        for col, sql_type, _ in SCHEMA[name]:
            if col not in data:
                data[col] = [""] * n if sql_type == "VARCHAR" else np.full(n, np.nan)
    return tables


@pytest.fixture(scope="session")
def tables() -> dict:
    return _tables()


@pytest.fixture(scope="session")
def archive(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("run")
    write_archive(folder / "archive.duckdb", _tables(),
                  {"scenario": "synthetic", "scenario_file": "ros-51.6", "seed": "15"})
    return str(folder)


def ms(t: np.datetime64) -> int:
    return int(np.datetime64(t, "ms").astype(np.int64))


START_MS = ms(START)
ISO_START = datetime(2030, 1, 1).isoformat()


T0 = datetime(2030, 1, 1, tzinfo=UTC)



class FakeSimulation:
    """The shapes of ``rossim.ops.Simulation``: ``channels`` a dict of Channel dataclasses
    with bare names, ``telemetry`` a dict name -> (datetime64[us] array, values) from
    ``since`` inclusive, ``events`` dicts with ISO 'Z' times, ``now`` a datetime.
    Altitude decays 1 m per minute; a reboost command raises it 5 km at once."""

    channels = {"altitude_km": Channel("altitude_km", "telemetry_hourly", "km",
                                           "mean altitude", 150.0, 2000.0, "orbit"),
                "raan_deg": Channel("raan_deg", "telemetry_hourly", "deg", "node", None,
                                        None, "orbit"),
                "soc_min": Channel("soc_min", "telemetry_power", "fraction",
                                       "bin minimum", 0.3, None, "power")}

    command_names = ["reboost"]  # used only where rossim.ops.commands is absent

    def __init__(self, scenario=None, seed=None):
        self.now = T0
        self.alt = 400.0
        self.t = [np.datetime64(T0.replace(tzinfo=None), "us")]
        self.v = [self.alt]
        self.events = []
        self.commands = []

    def advance_to(self, t: datetime) -> None:
        while self.now + timedelta(minutes=1) <= t:
            self.now += timedelta(minutes=1)
            self.alt -= 0.001
            self.t.append(np.datetime64(self.now.replace(tzinfo=None), "us"))
            self.v.append(self.alt)

    def command(self, cmd):
        # a dict, or the engine's typed command where rossim.ops.commands exists
        name = cmd["command"] if isinstance(cmd, dict) else cmd.name
        self.commands.append(cmd)
        if name != "reboost":
            return {"accepted": False, "reason": f"unknown command {name}"}
        self.alt += 5.0
        self.events.append({"time": self.now.strftime("%Y-%m-%dT%H:%M:%SZ"), "kind": "reboost",
                            "subject": "station", "detail": "commanded reboost +5 km",
                            "severity": "info", "value": 5.0, "source": "operator"})
        return {"accepted": True}

    def telemetry(self, channels=None, since=None):
        t, v = np.array(self.t), np.array(self.v)
        # 10-minute power bins: known once over, labelled by their start (like the engine)
        n_bins = int((self.now - T0).total_seconds() // 600)
        tb = np.datetime64(T0.replace(tzinfo=None), "us") + np.arange(n_bins) * np.timedelta64(
            600, "s")
        vb = 0.5 + 0.001 * np.arange(n_bins)
        out = {"altitude_km": (t, v), "raan_deg": (t, np.full(len(t), 30.0)), "soc_min": (tb, vb)}
        if since is not None:
            s0 = np.datetime64(since.replace(tzinfo=None), "us")
            out = {k: (a[a >= s0], b[a >= s0]) for k, (a, b) in out.items()}
        return out


@pytest.fixture
def fake_simulation():
    """The class of a fake closed-loop engine (same interface as ``rossim.ops.Simulation``)."""
    return FakeSimulation
