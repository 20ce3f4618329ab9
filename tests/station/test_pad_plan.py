"""The plan's own launches keep each pad's turnaround (rossim.station.pad_plan).

Rule (catalog/sites.toml ``pad_turnaround_days``, estimates: 14 d for the Soyuz pads, 30 d
for the Angara and Proton pads): no two lift-offs of the plan from one pad closer than its
turnaround. The launches are queued by their earliest lift-offs (crewed first at the same
minute); a later one within the turnaround of the one before it slips to the first allowed
in-plane window on or after that lift-off plus the turnaround; a cargo ship that would lift
off within the turnaround before a crew's lift-off goes after the crew instead (crews first);
a launch waiting for its port is queued at its new lift-off and does not hold its pad for the
launches planned after it. Expected lift-offs are computed below from the window finder and
those rules alone.

Cases: the nominal ``ros-51.6`` (and with Progress MS #2 put back 2.1 d before Soyuz MS
crew #4 at Baikonur Site 31, where the cargo planner had it before it planned around the
crews' pad blocks; the logistics, production and platform modules and Orel crews 15.7-16.7 d
apart at Vostochny 1A); campaign seed 2026 run 154 (before: Progress MS #1 and Soyuz MS
crew #1 lifting off from Site 31 in the same minute, 2028-10-23 08:07 UTC); the pad-queue
fixture (tests/data/station/pad-queue.toml).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rossim.campaign.dispersions import draw_run
from rossim.config.catalog import load_catalog
from rossim.config.scenario import load_scenario
from rossim.station import build_timeline
from rossim.station.windows import PlaneModel, clock_minute, first_window


def _lift_offs(tl) -> dict[str, list[tuple[dt.datetime, str]]]:
    """Each pad's lift-offs of the plan, one per launch (a launch group counted once)."""
    by: dict[str, set] = {}
    for e in tl.events:
        if e.kind == "dock" and e.launch is not None and not e.relocation:
            key = e.field if e.part_kind == "vehicle" else e.detail  # a group: same detail
            by.setdefault(e.site, set()).add((e.launch, key, e.part))
    out = {}
    for site, xs in by.items():
        seen, rows = set(), []
        for t, key, part in sorted(xs):
            if (t, key) not in seen:
                seen.add((t, key))
                rows.append((t, part))
        out[site] = rows
    return out


def _pairs_inside(tl) -> list[tuple]:
    sites = load_catalog().sites
    bad = []
    for site, rows in _lift_offs(tl).items():
        gap = dt.timedelta(days=sites[site].pad_turnaround_days.value)
        bad += [(site, a, b) for a, b in zip(rows, rows[1:], strict=False) if b[0] - a[0] < gap]
    return bad


def _first(plane, site, after: dt.datetime) -> dt.datetime:
    return clock_minute(first_window(plane, site, after)["time"])


@pytest.fixture(scope="module")
def nominal():
    return build_timeline(load_scenario("ros-51.6"))


def _crowded(name: str, **launches: str):
    """Scenario ``name`` with its demand-planned cargo flights made explicit and those named
    moved to the given lift-offs: the dates the cargo planner gave them before it planned
    around the crews' pad blocks (rossim.station.pad_plan.crew_pad_blocks), so that the
    rules for a plan's own explicit cargo visits are still exercised."""
    from rossim.station.logistics import resolve_logistics

    scen, _plan = resolve_logistics(load_scenario(name), load_catalog())
    moved = [v.model_copy(update={"launch": dt.datetime.fromisoformat(launches[v.name])})
             if v.name in launches else v for v in scen.cargo_visits]
    assert len(moved) == len(scen.cargo_visits) and all(
        any(v.name == n for v in moved) for n in launches)
    return build_timeline(scen.model_copy(update={"cargo_visits": moved}))


@pytest.fixture(scope="module")
def crowded():
    """ros-51.6 with Progress MS #2 at 2029-12-28 08:42 UTC, 2.1 d before Soyuz MS crew #4
    from Baikonur Site 31 (where the planner put it before)."""
    return _crowded("ros-51.6", **{"Progress MS #2": "2029-12-28T08:42:00+00:00"})


def test_nominal_plan_keeps_every_pads_turnaround(nominal, crowded):
    assert _pairs_inside(nominal) == [] and _pairs_inside(crowded) == []
    # the launches that were inside a turnaround, and only they, slipped: the Orel crews
    # behind the modules; the cargo planner puts its ships outside the crews' pad blocks
    assert [r["launch"] for r in nominal.pad_slips] == [
        "Orel crew, stage 1 #3", "Orel crew, stage 1 #5", "Orel crew, stage 2 #1"]
    # an explicit cargo visit planned 2.1 d before a crew slips (the cargo ship, not the crew:
    # crews first)
    assert [r["launch"] for r in crowded.pad_slips] == [
        "Progress MS #2", "Orel crew, stage 1 #3", "Orel crew, stage 1 #5",
        "Orel crew, stage 2 #1"]


def test_the_cargo_planner_flies_before_a_crews_pad_block(nominal):
    """ros-51.6's Progress MS #2 was planned 2.1 d before Soyuz MS crew #4 from Site 31 and
    slipped 16.7 d behind it (crews first); ros-2026-plan's Progress MS (logistics port) #2
    slipped 23.6 d behind a Soyuz crew and the stocks fell to 22 days for four crew (a
    critical alarm). The planner now flies it before the crew's block (a turnaround and two
    days' margin before the crew's lift-off) when the stocks would not last to the block's
    end, else after it: no cargo ship of the plan slips for a crew."""
    from rossim.station.pad_plan import crew_pad_blocks

    ev = {(e.part, e.kind): e for e in nominal.events}
    progress, crew = ev[("Progress MS #2", "dock")], ev[("Soyuz MS crew #4", "dock")]
    assert progress.launch <= crew.launch - dt.timedelta(days=14 + 2)
    assert "slipped" not in progress.detail
    for name in ("ros-51.6", "ros-2026-plan", "ros-97"):
        tl = nominal if name == "ros-51.6" else build_timeline(load_scenario(name))
        if name == "ros-2026-plan":   # docs/operations.md: before the two Soyuz crews of 2033
            ship = next(e for e in tl.events if e.kind == "dock"
                        and e.part == "Progress MS (logistics port) #2")
            assert f"{ship.time:%Y-%m-%d}" == "2032-12-29" and "slipped" not in ship.detail
        blocks = crew_pad_blocks(tl, tl.catalog)
        cargo = [e for e in tl.events if e.kind == "dock" and e.part_kind == "vehicle"
                 and e.crew == 0 and e.launch is not None and not e.relocation]
        assert cargo and not [r for r in tl.pad_slips if r["launch"] in {e.part for e in cargo}]
        assert not [e.part for e in cargo for a, b in blocks.get(e.site, ())
                    if a + dt.timedelta(days=2) < e.launch < b - dt.timedelta(days=2)], name


def test_slipped_visit_lifts_off_at_the_first_window_after_the_turnaround(crowded):
    """Progress MS #2 was planned 1.97 d before Soyuz MS crew #4 from Site 31: the crew keeps
    its planned window (crews first), the Progress lifts off at the first window on or after
    the crew's lift-off plus 14 d; its docking and departure move with it (its stay is kept,
    as a launch slip)."""
    scen, cat = crowded.scenario, crowded.catalog
    plane = PlaneModel.from_scenario(scen)
    site = cat.sites["baikonur-31"]
    ev = {(e.part, e.kind): e for e in crowded.events}
    progress, crew = ev[("Progress MS #2", "dock")], ev[("Soyuz MS crew #4", "dock")]
    v = {v.name: v for _, v in scen.visits}
    planned = _first(plane, site, v["Progress MS #2"].launch)
    assert crew.launch == _first(plane, site, v["Soyuz MS crew #4"].launch)
    assert planned < crew.launch < planned + dt.timedelta(days=14)
    assert progress.launch == _first(plane, site, crew.launch + dt.timedelta(days=14))
    ttd = dt.timedelta(hours=cat.vehicles["progress-ms"].time_to_dock_h.value)
    assert progress.time == progress.launch + ttd
    stay = (v["Progress MS #2"].launch + ttd + dt.timedelta(days=v["Progress MS #2"].duration_days)
            - (planned + ttd))
    assert ev[("Progress MS #2", "undock")].time - progress.time == stay


def test_orel_crews_wait_for_the_angara_pad_after_a_module(nominal):
    """Vostochny 1A (30 d): each Orel crew planned about 16 d after a module launch lifts
    off at the first window 30 d after the module's."""
    plane = PlaneModel.from_scenario(nominal.scenario)
    site = nominal.catalog.sites["vostochny-1a"]
    ev = {(e.part, e.kind): e for e in nominal.events}
    for module, crew in (("logistics", "Orel crew, stage 1 #3"),
                         ("production", "Orel crew, stage 1 #5"),
                         ("platform", "Orel crew, stage 2 #1")):
        m = ev[(module, "dock")].launch
        assert ev[(crew, "dock")].launch == _first(plane, site, m + dt.timedelta(days=30))


def test_slip_is_reported(crowded):
    nominal = crowded
    ev = {(e.part, e.kind): e for e in nominal.events}
    r = next(r for r in nominal.pad_slips if r["launch"] == "Progress MS #2")
    assert r["site"] == "baikonur-31" and "Soyuz MS crew #4" in r["why"]
    assert r["why"].endswith("; crews first)")
    assert r["lift_off"] == ev[("Progress MS #2", "dock")].launch.isoformat()
    assert f"slipped {r['slip_days']:.1f} d: " in ev[("Progress MS #2", "dock")].detail
    assert "pad turnaround (14 d) after Soyuz MS crew #4" in ev[("Progress MS #2", "dock")].detail
    # the run's console row (rossim run): the summary's logistics.pad_slips
    from rossim.cli.run import callup_rows

    assert {r["cause"] for r in nominal.pad_slips} == {"pad"}
    rows = dict(callup_rows({"pad_slips": nominal.pad_slips}))
    assert rows["pad_slips"].startswith("4 planned launches slipped (4 for a pad's "
                                        "turnaround): Progress MS #2 16.7 d (pad)")


def test_a_slip_for_a_busy_port_is_labelled_so():
    """ros-2026-plan with Progress MS #2 and #3 at the dates the cargo planner gave them
    before it planned around the crews' pad blocks (2030-07-24, 2031-07-19): the logistics
    module waits for Progress MS #3, slipped for its pad, to leave its port: that slip is
    labelled ``cause = "port"``, the others ``"pad"``, and the console's count says which is
    which (before: every slip was counted "for a pad's turnaround")."""
    from rossim.cli.run import callup_rows

    tl = _crowded("ros-2026-plan", **{"Progress MS #2": "2030-07-24T08:42:00+00:00",
                                      "Progress MS #3": "2031-07-19T08:42:00+00:00"})
    cause = {r["launch"]: r["cause"] for r in tl.pad_slips}
    assert cause["logistics"] == "port" and cause["Progress MS #3"] == "pad"
    for r in tl.pad_slips:
        assert (r["cause"] == "port") == r["why"].startswith("waits for "), r
    n_port = sum(1 for c in cause.values() if c == "port")
    assert 0 < n_port < len(cause)
    text = dict(callup_rows({"pad_slips": tl.pad_slips}))["pad_slips"]
    assert text.startswith(f"{len(cause)} planned launches slipped ({len(cause) - n_port} for "
                           f"a pad's turnaround and {n_port} for a busy port): ")
    assert "logistics 31.5 d (port)" in text


def test_cargo_ship_goes_after_the_crew_and_a_port_wait_does_not_hold_the_pad():
    """Pad-queue fixture (tests/data/station/pad-queue.toml), all from Baikonur Site 31 (14 d):
    Progress A planned 2 d before the Soyuz crew lifts off after it (crews first: the crew
    keeps its window, 12.8 d of crew slip before); Progress B, docking at A's port after A
    leaves, waits for A's later departure; Progress C, planned after B at another port, keeps
    its window (before, B waiting for its port held the pad and C slipped 12.8 d) and B takes
    the pad 14 d after C."""
    scen = load_scenario(Path(__file__).resolve().parents[1] / "data" / "station"
                         / "pad-queue.toml")
    tl = build_timeline(scen)
    plane, site = PlaneModel.from_scenario(scen), tl.catalog.sites["baikonur-31"]
    v = {v.name: v for _, v in scen.visits}
    ev = {(e.part, e.kind): e for e in tl.events}
    crew = ev[("Soyuz crew", "dock")].launch
    assert crew == _first(plane, site, v["Soyuz crew"].launch)
    a = ev[("Progress A", "dock")].launch
    assert a == _first(plane, site, crew + dt.timedelta(days=14))
    c = ev[("Progress C", "dock")].launch
    assert c == _first(plane, site, v["Progress C"].launch)
    assert ev[("Progress B", "dock")].launch == _first(plane, site, c + dt.timedelta(days=14))
    assert ev[("Progress B", "dock")].time > ev[("Progress A", "undock")].time
    assert [r["launch"] for r in tl.pad_slips] == ["Progress A", "Progress B"]
    assert tl.pad_slips[0]["why"].endswith("(2028-08-03 05:32 UTC; crews first)")
    assert "after Progress C" in tl.pad_slips[1]["why"]
    assert _pairs_inside(tl) == []


def test_dispersed_launches_in_one_minute_at_one_pad_get_apart(fly_every_crew):
    """Run 154: Progress MS #1 and Soyuz MS crew #1 both drawn to lift off from Site 31 at
    2028-10-23 08:07 UTC: the crew (crewed first at the same minute) keeps it, the Progress
    lifts off at the first window 14 d later. (The draw flying every crew, as recorded: since
    stop 45 that crew, waiting for its module past the middle of the gap before crew #2, is
    not flown.)"""
    d = draw_run(load_scenario("ros-51.6"), 2026, 154)
    tl = build_timeline(d.scenario)
    plane = PlaneModel.from_scenario(d.scenario)
    site = tl.catalog.sites["baikonur-31"]
    v = {v.name: v for _, v in d.scenario.visits}
    assert v["Progress MS #1"].launch == v["Soyuz MS crew #1"].launch  # the draw
    ev = {(e.part, e.kind): e for e in tl.events}
    crew = ev[("Soyuz MS crew #1", "dock")].launch
    assert crew == _first(plane, site, v["Soyuz MS crew #1"].launch)
    assert crew == dt.datetime(2028, 10, 23, 8, 7, tzinfo=dt.UTC)
    assert ev[("Progress MS #1", "dock")].launch == _first(plane, site,
                                                           crew + dt.timedelta(days=14))
    assert "after Soyuz MS crew #1" in ev[("Progress MS #1", "dock")].detail
    assert _pairs_inside(tl) == []


@pytest.mark.parametrize("run", [2, 6, 7])
def test_dispersed_plans_stay_valid_with_their_slips(run):
    """Module slips move the ships that dock to its ports or after it at a port (runs whose
    slips would otherwise dock a crew before its module, or a module onto a busy port):
    the plan is accepted and keeps every pad's turnaround."""
    tl = build_timeline(draw_run(load_scenario("ros-51.6"), 2026, run).scenario)
    assert tl.pad_slips and _pairs_inside(tl) == []
    assert all(p.crew_aboard <= p.crew_capacity for p in tl.properties)


@pytest.mark.slow
def test_campaign_run_186_visit_slipped_past_the_span_is_not_flown():
    """Campaign run 186 of ros-51.6 (campaign seed 2026) on a862df2: a planned Progress slipped
    by its pad's turnaround to a docking on 2036-01-01, after the span's end (2035-12-31), was
    still put in the plan at a port its predecessor holds to the end, and the plan was refused
    (the run failed with an InputError). A visit the slip pushes past the span is not flown in
    it, as a dispersion slip past the end is dropped: the run completes."""
    from rossim.campaign.dispersions import draw_run
    from rossim.ops.simulation import simulate

    d = draw_run(load_scenario("ros-51.6"), 2026, 186)
    out = simulate(d.scenario, seed=d.seed)
    assert out.summary["outcome"] == "completed"
    assert out.summary["invariants_hold"]


def test_a_failed_launch_keeps_its_pad_from_a_launch_taken_before_it():
    """A campaign's failed launch is fixed where it failed (rossim.campaign.plan_failures):
    a launch the planner takes before it (its own lift-off earlier) but which would lift off
    within the pad's turnaround of it, on either side, goes to the first window a turnaround
    after the failure. Stand-down fixture (tests/data/campaign/stand-down.toml): Progress A
    planned 2028-08-01 from Baikonur Site 31 (14 d), a Soyuz-2.1a launch from that pad
    failed on 2028-08-10 (a stand-down naming its site, uncrewed launches grounded to the
    same day so that only the pad acts): the Soyuz crew, planned 2028-08-21, lifts off at the
    first window on or after 2028-08-24, not 3 days after the failure, and A, taken to the
    same window, after the crew (crews first), not 9 days before the failure."""
    from rossim.config.stand_down import LauncherStandDown

    scen = load_scenario(Path(__file__).resolve().parents[1] / "data" / "campaign"
                         / "stand-down.toml")
    failed = dt.datetime(2028, 8, 10, tzinfo=dt.UTC)
    sd = LauncherStandDown(launcher="soyuz-2.1a", failed=failed, uncrewed_until=failed,
                           crew_until=failed, cause="test launch lost at launch (test)",
                           site="baikonur-31")
    scen = scen.model_copy(update={"operations": scen.operations.model_copy(
        update={"launcher_stand_downs": (sd,)})})
    tl = build_timeline(scen)
    plane = PlaneModel.from_scenario(scen)
    site = tl.catalog.sites["baikonur-31"]
    (a,) = [e for e in tl.events if e.kind == "dock" and e.part == "Progress A"]
    (crew,) = [e for e in tl.events if e.kind == "dock" and e.part == "Soyuz crew"]
    assert crew.launch == _first(plane, site, failed + dt.timedelta(days=14))
    assert "after test launch lost at launch" in crew.detail
    assert a.launch == _first(plane, site, crew.launch + dt.timedelta(days=14))
    assert "after Soyuz crew" in a.detail


def _variant(visits, failed=None):
    """The stand-down fixture (tests/data/campaign/stand-down.toml) with its visits replaced:
    ``(template visit, name, launch date, port, stay days)``; ``failed``: (launcher, site,
    date) of a failed launch fixed on its pad (test values, review of stop 34)."""
    from rossim.config.stand_down import LauncherStandDown

    scen = load_scenario(Path(__file__).resolve().parents[1] / "data" / "campaign"
                         / "stand-down.toml")
    tpl = {v.name: v for _, v in scen.visits}
    crew, cargo = [], []
    for t, name, launch, port, days in visits:
        v = tpl[t].model_copy(update={"name": name, "port": port, "duration_days": days,
                                      "launch": dt.datetime.fromisoformat(launch).replace(
                                          tzinfo=dt.UTC)})
        (crew if v.crew else cargo).append(v)
    up = {"crew_visits": crew, "cargo_visits": cargo}
    if failed:
        when = dt.datetime.fromisoformat(failed[2]).replace(tzinfo=dt.UTC)
        sd = LauncherStandDown(launcher=failed[0], failed=when, uncrewed_until=when,
                               crew_until=when, cause="test launch lost (test)", site=failed[1])
        up["operations"] = scen.operations.model_copy(update={"launcher_stand_downs": (sd,)})
    return scen.model_copy(update=up)


@pytest.mark.parametrize("case", ["held crew", "crew held later", "failed launch"])
def test_crews_first_weighs_the_crews_own_lift_off(case):
    """Crews first takes the crew's earliest lift-off from what has flown, not its queue time
    (review of stop 34, cases S1-S3): a crew held at its port behind an Orel crew still counts
    (the Progress planned a day after it goes after it, not before it); a crew whose port
    keeps it weeks later does not move a Progress planned two days before it (it flew 32 d
    late for nothing); a crew a failed launch on the pad keeps late does not move it either
    (44 d for nothing). Every case keeps the pad's turnaround."""
    orel = ("Orel crew", "Orel", "2028-06-25", "gateway.forward", 2 if case == "held crew"
            else 12)
    if case == "held crew":
        scen = _variant([orel, ("Soyuz crew", "Soyuz crew", "2028-07-08", "gateway.forward", 30),
                         ("Progress A", "Progress A", "2028-07-09", "node.starboard", 20)])
    elif case == "crew held later":
        scen = _variant([orel, ("Soyuz crew", "Soyuz crew", "2028-07-08", "gateway.forward", 30),
                         ("Progress A", "Progress A", "2028-07-06", "node.starboard", 20)])
    else:
        scen = _variant([("Progress A", "Progress A", "2028-08-01", "node.starboard", 20),
                         ("Soyuz crew", "Soyuz crew", "2028-08-03", "gateway.forward", 30)],
                        failed=("soyuz-2.1a", "baikonur-31", "2028-08-16"))
    tl = build_timeline(scen)
    plane, site = PlaneModel.from_scenario(scen), tl.catalog.sites["baikonur-31"]
    ev = {(e.part, e.kind): e for e in tl.events}
    crew, progress = ev[("Soyuz crew", "dock")].launch, ev[("Progress A", "dock")].launch
    planned = {v.name: v.launch for _, v in scen.visits}
    if case == "held crew":
        (row,) = [r for r in tl.pad_slips if r["launch"] == "Soyuz crew"]
        assert row["why"] == "waits for Orel, slipped"   # its port wait only (5.9 d)
        assert progress == _first(plane, site, crew + dt.timedelta(days=14))
    else:
        assert progress == _first(plane, site, planned["Progress A"])   # not moved
        assert crew > progress + dt.timedelta(days=14)
    assert _pairs_inside(tl) == []
