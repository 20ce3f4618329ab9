"""What the page's panels ask for and what the docs name (newcomer review): the *Alarms*
panel shows the engine's alarms (events of kind ``alarm``, as the report counts them), not
every warning; the contact table's "newest" windows are the newest of the span; every
channel name docs/mission-control.md cites is a channel of a run's dictionary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.serve.conftest import CONTACTS, POWER_DAYS, START_MS

from rossim.serve.app import create_app
from rossim.serve.live import LiveSource
from rossim.serve.replay import ArchiveSource

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "web" / "rossim-plugin"
OBJECTS_JS = PLUGIN / "objects.js"      # the object tree: event streams, layout panels
CONTACTS_JS = PLUGIN / "contacts.js"    # the contact windows table
DOCS = ROOT / "docs" / "mission-control.md"
DAY = 86_400_000


@pytest.fixture(scope="module")
def replay(archive):
    source = ArchiveSource(archive)
    with TestClient(create_app(source, speed=1000.0, token="t", tick_s=60.0)) as c:
        yield c
    source.close()


def _stream_filter(key: str) -> dict[str, str]:
    """The ``filter`` of the page's event stream ``key`` (objects.js ``streams``)."""
    m = re.search(r"\{ key: '" + key + r"', name: '[^']*', filter: \{([^}]*)\} \}",
                  OBJECTS_JS.read_text(encoding="utf-8"))
    assert m, key
    return dict(re.findall(r"(\w+): '([^']*)'", m.group(1)))


def test_the_alarms_panel_asks_for_the_alarms_and_gets_only_them(replay):
    alarms = _stream_filter("alarms")
    assert alarms == {"kind": "alarm"}
    got = replay.get("/api/events", params=alarms)
    assert got.status_code == 200
    assert [(e["kind"], e["detail"]) for e in got.json()] == [
        ("alarm", "batteries low: 12 % state of charge")]     # not the fault (a warning)
    # every warning and critical event stays in a stream of its own
    warnings = _stream_filter("warnings")
    assert warnings == {"severity": "warning,critical"}
    kinds = sorted(e["kind"] for e in replay.get("/api/events", params=warnings).json())
    assert kinds == ["alarm", "fault"]


def test_kind_alarm_is_known_before_a_live_run_raised_one(fake_simulation):
    """The Alarms panel's request is not a 400 in a run that has had no alarm yet."""
    source = LiveSource(fake_simulation())
    with TestClient(create_app(source, speed=1.0, token="t", tick_s=60.0)) as c:
        r = c.get("/api/events", params={"kind": "alarm"})
    assert r.status_code == 200 and r.json() == []


def test_contact_keep_last_gives_the_newest_windows(replay):
    n = POWER_DAYS * len(CONTACTS)
    first = replay.get("/api/contact").json()
    assert first["total"] == n and not first["truncated"]
    from rossim.serve import contact

    rows = first["windows"]
    for keep, want in (("first", rows[:10]), ("last", rows[-10:])):
        got = contact.contact_windows(replay.app.state.source, START_MS,
                                      START_MS + POWER_DAYS * DAY, limit=10, keep=keep)
        assert got["windows"] == want and got["total"] == n and got["truncated"]
    # over HTTP: the newest, in AOS order, ending with the run's last window
    last = replay.get("/api/contact", params={"keep": "last"}).json()["windows"]
    assert last == rows and last[-1]["aos"] == max(r["aos"] for r in rows)


def test_contact_keep_other_is_a_400_naming_keep(replay):
    r = replay.get("/api/contact", params={"keep": "newest"})
    assert r.status_code == 400
    assert r.json()["parameter"] == "keep" and r.json()["value"] == "newest"
    assert "first or last" in r.json()["error"]


def test_the_contact_table_asks_for_the_newest_windows():
    text = CONTACTS_JS.read_text(encoding="utf-8")
    assert "&keep=last" in text and "(first ' + rows.length" not in text


def test_every_channel_the_docs_name_is_in_a_runs_dictionary():
    """Channel names in backticks (``<subsystem>.<column>``, ``<module>`` standing for any
    module) are channels of the engine's dictionary (what a run's archive holds)."""
    from rossim.config.scenario import load_scenario
    from rossim.ops import Simulation

    tiny = ROOT / "tests" / "data" / "ops" / "ros-tiny.toml"
    names = set(LiveSource(Simulation(load_scenario(tiny))).channels)
    subsystems = {n.split(".")[0] for n in names} | {"contact", "hourly", "daily"}
    cited = set(re.findall(r"`([a-z_]+\.[a-z0-9_<>]+)`", DOCS.read_text(encoding="utf-8")))
    cited = {c for c in cited if c.split(".")[0] in subsystems}
    assert {"communications.in_ground_contact", "thermal.max_temperature_c"} <= cited
    for c in cited:
        pattern = re.compile(re.escape(c).replace("<module>", "[a-z0-9_]+") + "$")
        assert any(pattern.match(n) for n in names), f"{c} is not a channel: {sorted(names)}"


@pytest.mark.parametrize("name", ["russia", "arctic", "russia-arctic", "nsr"])
def test_regions_take_the_names_of_rossim_coverage(replay, name):
    """``rossim coverage --region arctic`` and ``/api/regions/arctic`` name the same outline."""
    from rossim.analysis.regions import SHIPPED_REGIONS

    r = replay.get(f"/api/regions/{name}")
    assert r.status_code == 200 and r.json()["type"] in ("FeatureCollection", "Feature")
    assert name in SHIPPED_REGIONS or name == "russia-arctic"


def test_an_unknown_region_is_a_400_listing_the_names(replay):
    r = replay.get("/api/regions/atlantis")
    assert r.status_code == 400
    body = r.json()
    assert body["parameter"] == "name" and body["value"] == "atlantis"
    for name in ("russia", "arctic", "nsr", "russia-arctic"):
        assert name in body["error"]
