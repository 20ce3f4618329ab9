"""`rossim launch`'s payload-by-inclination table computes each launcher from the pad it flies
from in the plan, and a `--site` what-if says which launchers have no pad there.

Found by a newcomer: `rossim launch ros-2026-plan` listed Angara-A5M "from baikonur-200" at
25,844 kg to 51.6 deg (every launcher from the first module's site, Proton-M's Site 200); the
Angara flies from Vostochny (ros-2026-plan, Kommersant 2026-01), and `rossim validate` refuses
a launcher at a site it has no pad at. Reference: the catalog's own pads (launchers.toml
``site`` and ``flies_from``, each with its source)."""

from __future__ import annotations

from rossim.analysis.launch import launch_summary
from rossim.config.catalog import load_catalog
from rossim.config.scenario import load_scenario
from rossim.station.launch import launch_pads, payload_kg


def test_each_launcher_from_its_own_pad():
    scen = load_scenario("ros-2026-plan")
    cat = load_catalog()
    out = launch_summary(scen, days=0.5)
    rows = {r["launcher"]: r for r in out.payload_table}
    assert {k: r["site"] for k, r in rows.items()} == {
        "proton-m": "baikonur-200", "soyuz-2.1b": "baikonur-31", "angara-a5m": "vostochny-1a"}
    assert all(r["pad"] for r in rows.values())
    # the module launches and the table agree where a launcher lifts the same orbit: the
    # table's figure is the launcher's own from that pad (rossim.station.launch.payload_kg)
    a5m = cat.launchers["angara-a5m"]
    assert rows["angara-a5m"]["payload_kg"]["51.6"] == round(payload_kg(
        a5m, cat.sites["vostochny-1a"], scen.orbit.altitude_km, 51.6,
        home=cat.sites[a5m.site]))


def test_a_site_what_if_flags_the_launchers_without_a_pad_there():
    cat = load_catalog()
    out = launch_summary(load_scenario("ros-2026-plan"), days=0.5, site_id="plesetsk-35")
    assert {r["site"] for r in out.payload_table} == {"plesetsk-35"}
    for r in out.payload_table:
        assert r["pad"] == ("plesetsk-35" in launch_pads(cat.launchers[r["launcher"]]))
    assert not {r["launcher"]: r["pad"] for r in out.payload_table}["proton-m"]
