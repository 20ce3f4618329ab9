"""Both plans as they would fly (issue 14, the station engineer's review of `rossim run` on
ros-51.6 and ros-2026-plan): every launch from a pad its launcher flies from, a real climb,
docking after launch; crews, cargo, spacewalks and the free-flyer family in BOTH plans; no ship
docks at an occupied port, and a module's port is cleared days before the module docks.

References (keys of docs/sources.md):
- Pads: Angara A5 flew from Plesetsk Site 35 and Vostochny Site 1A (khrunichev,
  sputnik-2021-01-29); Proton-M flies from Baikonur only (khrunichev); Soyuz-2 from Baikonur
  Site 31/6 and Vostochny Site 1S (roscosmos). The catalog's ``flies_from``.
- Port clearance: Pirs left Zvezda's nadir port on 2021-07-26, Nauka docked there on
  2021-07-29: 3 days (roscosmos, nsf-2021-07; catalog systems.toml
  ``logistics.port_clear_before_module_days``).
These are plan checks (the timeline the run lives through), not a run: they take seconds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rossim.config.catalog import load_catalog
from rossim.config.scenario import load_scenario
from rossim.config.systems import load_systems
from rossim.station import build_timeline
from rossim.station.launch import launch_pads

ROOT = Path(__file__).resolve().parents[2]
PLANS = ("ros-51.6", "ros-2026-plan")
PIRS_TO_NAUKA_DAYS = 3.0   # roscosmos, nsf-2021-07: Pirs undocked 07-26, Nauka docked 07-29


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.fixture(scope="module", params=PLANS)
def plan(request):
    scen = load_scenario(ROOT / "scenarios" / f"{request.param}.toml")
    return request.param, scen, build_timeline(scen)


def test_catalog_pads_exist_and_vehicles_fly_from_their_launchers_pads(cat):
    for lv in cat.launchers.values():
        assert lv.site in cat.sites and set(lv.flies_from) <= set(cat.sites), lv.id
        assert lv.flies_from_source, lv.id
    for veh in cat.vehicles.values():
        assert veh.launch_site in launch_pads(cat.launchers[veh.launcher]), veh.id
    # Proton-M never flew from Vostochny; Soyuz-2 does not use Plesetsk's Angara pad.
    assert "vostochny-1a" not in launch_pads(cat.launchers["proton-m"])
    assert "plesetsk-35" not in launch_pads(cat.launchers["soyuz-2.1b"])
    assert "plesetsk-35" in launch_pads(cat.launchers["angara-a5"])


def test_every_launch_flies_from_its_pad_and_climbs_before_docking(plan, cat):
    name, _scen, tl = plan
    assert tl.climbs, name
    for c in tl.climbs:
        assert c.site in launch_pads(cat.launchers[c.launcher]), (name, c.modules, c.site)
        assert c.days > 0 and c.docked > c.launch, (name, c.modules)
        assert c.launch_mass_kg <= c.capacity_kg, (name, c.modules)
        if c.climber_kind != "upper-stage":
            assert c.insertion_perigee_km < tl.scenario.orbit.altitude_km
            assert 0 < c.propellant_kg <= c.propellant_available_kg
    docks = {e.part: e.time for e in tl.events if e.kind == "dock" and e.part_kind == "module"}
    for c in tl.climbs:
        for m in c.modules:
            assert docks[m] == c.docked, (name, m)


def test_visits_fly_from_their_launchers_pads(plan, cat):
    name, _scen, tl = plan
    kinds = set()
    for fld, v in tl.scenario.visits:
        veh = cat.vehicles[v.vehicle]
        lv = cat.launchers[v.launcher or veh.launcher]
        assert (v.site or veh.launch_site) in launch_pads(lv), (name, fld)
        kinds.add(veh.kind)
    assert {"crew", "cargo"} <= kinds, (name, kinds)


def test_no_ship_docks_at_an_occupied_port_and_module_ports_are_cleared_first(plan):
    name, _scen, tl = plan
    occupant: dict[str, tuple[str, dt.datetime | None]] = {}
    left: dict[str, dt.datetime] = {}
    for e in sorted(tl.events, key=lambda e: (e.time, e.kind != "undock")):
        if e.port is None:
            continue
        if e.kind == "undock" and occupant.get(e.port, (None,))[0] == e.part:
            occupant.pop(e.port)
            left[e.port] = e.time
        elif e.kind == "dock":
            assert e.port not in occupant, (name, e.part, e.port, occupant.get(e.port))
            occupant[e.port] = (e.part, e.time)
            if e.part_kind == "module" and e.port in left:
                # the ship that used this port left days before, not as the module docked
                gap = (e.time - left[e.port]).total_seconds() / 86400.0
                assert gap >= PIRS_TO_NAUKA_DAYS - 1e-9, (name, e.part, e.port, gap)


def test_port_clearance_figure_is_the_pirs_precedent():
    f = load_systems().logistics.port_clear_before_module_days
    assert f is not None and f.value == pytest.approx(PIRS_TO_NAUKA_DAYS, abs=0.5)


def test_both_plans_plan_spacewalks_and_the_free_flyer_family():
    """A figure in one plan and not in the other is a gap of the scenario, not of the plan:
    both plans outfit the logistics module on spacewalks and release both deployments of the
    seeds' family (4 x 20 kg, then 8 x 50 kg)."""
    for n in PLANS:
        scen = load_scenario(ROOT / "scenarios" / f"{n}.toml")
        assert any(e.worksite == "logistics" for e in scen.evas), n
        deps = scen.free_flyers.deployments
        assert [(d.count, d.mass_kg) for d in deps] == [(4, 20.0), (8, 50.0)], n


def test_plan_picture_and_console_name_the_site(plan):
    from types import SimpleNamespace

    from rossim.report.figures.plan import plan_rows

    name, scen, tl = plan
    result = SimpleNamespace(timeline=tl, scenario=scen, tasks=[], end_time=None, events=[])
    notes = plan_rows(result)["notes"]
    for c in tl.climbs:
        note = notes["launch " + " + ".join(c.modules)][1]
        assert f"{c.launcher_name} from {c.site}," in note, (name, note)
        assert f"{c.days:g} d" in note


def test_validate_refuses_a_launcher_at_a_pad_it_does_not_fly_from(tmp_path, capsys):
    from rossim.cli.main import main

    text = (ROOT / "scenarios" / "ros-2026-plan.toml").read_text(encoding="utf-8")
    old = 'site = "baikonur-200"'
    assert old in text
    bad = tmp_path / "proton-from-vostochny.toml"
    bad.write_text(text.replace(old, 'site = "vostochny-1a"', 1), encoding="utf-8")
    rc = main(["validate", str(bad)])
    err = capsys.readouterr().err
    assert rc == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert 'assembly[0].site = "vostochny-1a"' in err
    assert "Proton-M does not fly from" in err and "baikonur-200" in err


def test_summary_eva_count_includes_the_planned_spacewalks():
    """The summary's eva_count / eva_hours counted repair spacewalks only: the reference run
    said 2 spacewalks, 13 h while its spacewalk table listed the two outfitting EVAs as well
    (4, 26 h). Planned spacewalks (tasks without a fault) now count; a repair's spacewalk is
    counted once (from its repaired fault)."""
    from types import SimpleNamespace

    from rossim.ops.availability import reliability_summary
    from rossim.ops.fdir import Fault, FdirResult
    from rossim.ops.robotics import Task

    systems = load_systems()
    each = systems.reliability.eva_h.value
    t0 = dt.datetime(2031, 7, 1, tzinfo=dt.UTC)
    planned = Task("logistics module outfitting EVA", "logistics", t0, 100.0, t0,
                   t0 + dt.timedelta(days=5), "EVA", eva_h=2 * each)
    repair = Task("EVA repair", "core", t0, 80.0, t0, t0 + dt.timedelta(days=4), "EVA",
                  fault_id=0, eva_h=each)
    unbooked = Task("late EVA", "core", t0, 80.0, None, None, "EVA", eva_h=each)
    fdir = FdirResult()
    fields = {f for f in Fault.__dataclass_fields__}
    assert {"repaired_at", "repaired_by", "eva_count", "eva_h"} <= fields
    result = SimpleNamespace(fdir=fdir, tasks=[planned, repair, unbooked])
    out = reliability_summary(result, systems, n_seeds=0)
    # no repaired fault in this FdirResult: only the planned task's two spacewalks count
    assert out["eva_count"] == 2
    assert out["eva_hours"] == pytest.approx(2 * each)


def test_describe_diff_lists_the_planned_spacewalks():
    """`rossim describe A --diff B` shows every kind of plan item for both plans, spacewalks
    included (the side-by-side view had launches, crews, cargo and free-flyers only)."""
    from rossim.station.compare import compare_plans

    a, b = (build_timeline(load_scenario(ROOT / "scenarios" / f"{n}.toml")) for n in PLANS)
    rows = {r["item"]: r for r in compare_plans(a, b)}
    sw = rows["spacewalks planned"]
    assert sw["a"] == "2 at logistics 2031-07" and sw["b"] == "2 at logistics 2032-01"
    assert rows["free-flyers deployed"]["a"] == rows["free-flyers deployed"]["b"] \
        == "12 in 2 deployments"
