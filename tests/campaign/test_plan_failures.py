"""The plan's crew launch aborts and the launcher stand-downs after its losses
(rossim.campaign.plan_failures, through rossim.campaign.dispersions.draw_run).

References (docs/sources.md): ``progress-losses``: after Progress M-27M's loss (2015-04-28) the
next Progress, M-28M, flew 66 days later; after M-12M's (2011-08-24) the next crew, Soyuz
TMA-22, flew 82 days later (systems catalog ``logistics.stand_down_*_after_cargo_loss_days``
66 / 82). ``soyuz-launch-aborts``: after Soyuz MS-10's abort (2018-10-11, crew recovered)
Progress MS-10 flew 36 days later and the next crew, Soyuz MS-11, 53 days later
(``logistics.stand_down_*_after_crew_abort_days`` 36 / 53). The fixture
tests/data/campaign/stand-down.toml puts two Progress MS 30 days apart, a Soyuz MS crew 20 days
after the first (all three on the Soyuz-2.1a) and an Orel crew on the Angara-A5P 25 days after
it, with no slips, so the dates below are exact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from rossim.campaign.dispersions import draw_run
from rossim.config.scenario import Dispersion, load_scenario
from rossim.config.systems import load_systems

SCEN = Path(__file__).resolve().parents[1] / "data" / "campaign" / "stand-down.toml"
UTC = dt.UTC
T = dt.datetime(2028, 8, 1, tzinfo=UTC)       # Progress A's planned lift-off
DAY = dt.timedelta(days=1)


def _d(**kw) -> Dispersion:
    return Dispersion(source="test", **kw)


def _launches(draw) -> dict[str, dt.datetime]:
    s = draw.scenario
    return {v.name: v.launch for v in (*s.crew_visits, *s.cargo_visits)}


def test_the_stand_down_figures_are_the_sources():
    lg = load_systems().logistics
    assert (lg.stand_down_uncrewed_after_cargo_loss_days.value,
            lg.stand_down_crew_after_cargo_loss_days.value,
            lg.stand_down_uncrewed_after_crew_abort_days.value,
            lg.stand_down_crew_after_crew_abort_days.value) == (66, 82, 36, 53)


def test_a_cargo_loss_grounds_its_launcher():
    """Run 1 (seed 2026) loses Progress A at T: the Soyuz crew planned 20 days later lifts off
    82 days after the loss, Progress B (30 days later) 66 days after it, the Orel crew on the
    Angara-A5P does not move, Progress A's replacement flies 70 days after it (past the
    uncrewed stand-down), and the stand-down is in the run's scenario."""
    scen = load_scenario(SCEN)
    mc = scen.monte_carlo.model_copy(update={"crew_launch_abort": None})
    draw = draw_run(scen, 2026, 1, mc)
    assert draw.inputs["cargo_ships_lost"] == 1.0          # the draw: A lost, B not
    assert "crew_launch_aborts" not in draw.inputs
    at = _launches(draw)
    assert at == {"Soyuz crew": T + 82 * DAY, "Progress B": T + 66 * DAY,
                  "Orel crew": T + 25 * DAY, "Progress A (replacement)": T + 70 * DAY}
    (sd,) = draw.scenario.operations.launcher_stand_downs
    assert (sd.launcher, sd.failed, sd.uncrewed_until, sd.crew_until) == (
        "soyuz-2.1a", T, T + 66 * DAY, T + 82 * DAY)
    assert "Progress A" in sd.cause
    assert draw.inputs["stand_down_slips"] == 2.0
    assert draw.inputs["stand_down_slip_days"] == 36.0 + 62.0
    assert "Progress B: launch moved 36 d to 2028-10-06, soyuz-2.1a stood down" in draw.events
    assert "Soyuz crew: launch moved 62 d to 2028-10-22, soyuz-2.1a stood down" in draw.events
    # the plan still builds (ports, the pad turnaround of rossim.station.pad_plan)
    from rossim.station import build_timeline

    build_timeline(draw.scenario)


def test_a_moved_ship_drawn_to_fail_grounds_the_next():
    """Every cargo ship lost (constant 1): Progress B, moved to T + 66 d by A's loss, is lost
    there and grounds the Soyuz-2.1a again: A's replacement (T + 70 d) waits to T + 132 d, the
    Soyuz crew (moved to T + 82 d) to T + 148 d; B's replacement flies 70 days after B's loss.
    Still one draw per visit: the replacements are not drawn again."""
    scen = load_scenario(SCEN)
    mc = scen.monte_carlo.model_copy(update={
        "crew_launch_abort": None,
        "cargo_ship_failure": _d(distribution="constant", value=1.0)})
    draw = draw_run(scen, 2026, 0, mc)
    assert draw.inputs["cargo_ships_lost"] == 2.0
    b_lost = T + 66 * DAY
    assert _launches(draw) == {
        "Soyuz crew": b_lost + 82 * DAY, "Orel crew": T + 25 * DAY,
        "Progress A (replacement)": b_lost + 66 * DAY,
        "Progress B (replacement)": b_lost + 70 * DAY}
    sds = draw.scenario.operations.launcher_stand_downs
    assert [(s.failed, s.uncrewed_until, s.crew_until) for s in sds] == [
        (T, T + 66 * DAY, T + 82 * DAY), (b_lost, b_lost + 66 * DAY, b_lost + 82 * DAY)]
    assert "cargo ship Progress B lost at launch; a replacement flies 2028-12-15" in draw.events


def test_a_planned_crew_launch_aborts_and_flies_again_53_days_later():
    """Run 5 (seed 2026) aborts the Soyuz crew's launch (crew_launch_abort, its own stream):
    the crew is recovered and the same visit flies again 53 days later, "(re-flown)"; the
    Soyuz-2.1a is grounded 36 days for uncrewed launches (Progress B moves) and 53 for crews;
    the Orel crew (drawn not to abort) and Progress A (before the abort) keep their dates."""
    scen = load_scenario(SCEN)
    draw = draw_run(scen, 2026, 5)
    assert draw.inputs["crew_launch_aborts"] == 1.0 and draw.inputs["cargo_ships_lost"] == 0.0
    abort = T + 20 * DAY
    assert _launches(draw) == {"Soyuz crew (re-flown)": abort + 53 * DAY,
                               "Orel crew": T + 25 * DAY, "Progress A": T,
                               "Progress B": abort + 36 * DAY}
    assert ("crew Soyuz crew: launch aborted 2028-08-21, crew recovered; re-flown 2028-10-13"
            in draw.events)
    (sd,) = draw.scenario.operations.launcher_stand_downs
    assert (sd.launcher, sd.failed, sd.uncrewed_until, sd.crew_until) == (
        "soyuz-2.1a", abort, abort + 36 * DAY, abort + 53 * DAY)
    (crew,) = [v for v in draw.scenario.crew_visits if v.name == "Soyuz crew (re-flown)"]
    assert crew.crew == 2 and crew.port == "gateway.forward" and crew.duration_days == 30


def test_crew_aborts_leave_every_other_draw_unchanged():
    """The reference scenario with every planned crew launch aborting (constant 1): the other
    parameters' draws are those of the same run without crew aborts (the abort draws come
    from the crew_launch_abort stream only): per-run values, slip means, the cargo ships lost
    (the same ships), assembly failures; each crew visit flies "(re-flown)"."""
    ref = load_scenario("ros-51.6")
    mc = ref.monte_carlo
    for run in (0, 2, 7):
        without = draw_run(ref, 2026, run, mc.model_copy(update={"crew_launch_abort": None}))
        every = draw_run(ref, 2026, run, mc.model_copy(update={
            "crew_launch_abort": _d(distribution="constant", value=1.0)}))
        consequences = {"visits_dropped", "stand_down_slips", "stand_down_slip_days",
                        "crew_launch_aborts"}
        drawn = {k: v for k, v in without.inputs.items() if k not in consequences}
        assert {k: every.inputs[k] for k in drawn} == drawn
        planned_crews = len(without.scenario.crew_visits) + sum(
            "dropped" in e and "crew" in e for e in without.events)
        assert every.inputs["crew_launch_aborts"] >= len(without.scenario.crew_visits)
        assert every.inputs["crew_launch_aborts"] <= planned_crews

        def lost(d):
            return sorted(e.split(" lost at launch")[0] for e in d.events
                          if "lost at launch" in e and e.startswith("cargo ship"))
        assert lost(every) == lost(without)
        assert all(v.name.endswith("(re-flown)") for v in every.scenario.crew_visits)
        assert every.scenario.assembly == without.scenario.assembly


# Recorded on main at 99a93f6 (before this module): the visits (name, launch, port, stay) of
# draw_run(ros-51.6, 2026, run) with cargo_ship_failure and crew_launch_abort at p = 0. A
# deliberate change of the plan's drawing re-records them (the test below prints the new ones).
MAIN_P0 = {0: "79856a22938d228d", 3: "fa9c7663423b7038", 7: "5519f4f167d7c235"}


def _visits_digest(draw) -> str:
    rows = [(v.name, v.launch.isoformat(), v.port, round(v.duration_days, 9))
            for v in (*draw.scenario.crew_visits, *draw.scenario.cargo_visits)]
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def test_without_failures_the_draw_is_unchanged():
    """p = 0 for both failures: no abort, no stand-down; the drawn scenario is the one drawn
    without the two dispersions at all, and the visits those main drew before this change."""
    ref = load_scenario("ros-51.6")
    zero = ref.monte_carlo.model_copy(update={
        "cargo_ship_failure": _d(distribution="bernoulli", p=0.0),
        "crew_launch_abort": _d(distribution="bernoulli", p=0.0)})
    none = ref.monte_carlo.model_copy(update={"cargo_ship_failure": None,
                                              "crew_launch_abort": None})
    for run, digest in MAIN_P0.items():
        d0, dn = draw_run(ref, 2026, run, zero), draw_run(ref, 2026, run, none)
        assert d0.scenario == dn.scenario and d0.events == dn.events
        assert d0.scenario.operations.launcher_stand_downs == ()
        assert d0.inputs["crew_launch_aborts"] == 0.0 and d0.inputs["stand_down_slips"] == 0.0
        assert _visits_digest(d0) == digest, (run, _visits_digest(d0))


def test_the_pad_turnaround_spaces_a_moved_crew_after_the_replacement():
    """Run 2 of the reference campaign (seed 2026) loses Progress MS #2: the Soyuz MS crew #4
    planned after it moves to the 82-day stand-down's end, 12 days after the replacement's
    lift-off (70 days); the plan's pad turnaround (rossim.station.pad_plan: 14 days at Site 31)
    then slips the crew past the replacement, and the plan builds."""
    from rossim.config.systems import load_systems
    from rossim.ops.preflight import check_runnable
    from rossim.station import build_timeline

    ref = load_scenario("ros-51.6")
    draw = draw_run(ref, 2026, 2)
    assert any(e.startswith("Soyuz MS crew #4: launch moved") for e in draw.events)
    tl = build_timeline(draw.scenario)
    check_runnable(draw.scenario, tl, load_systems())
    (row,) = [r for r in tl.pad_slips if r["launch"] == "Soyuz MS crew #4"]
    assert "after Progress MS #2 (replacement)" in row["why"]


def test_a_launch_waiting_for_its_port_fails_only_when_it_lifts_off():
    """The node and gateway (the Soyuz crew's port, gateway.forward) launch on 2028-09-10,
    after the crew's planned 2028-08-21: the crew waits until a day after the gateway docks
    (rossim.campaign.plan_ports) and only then lifts off, so its abort (every crew launch
    aborting) and the Soyuz-2.1a's stand-down are dated at that lift-off, not at the planned
    date when the ship could not have flown (the review of 2026-12-01: ros-51.6 run 115 had
    aborted a crew two months before its port's module launched)."""
    from rossim.config.catalog import load_catalog
    from rossim.station.insertion import module_climb_days

    base = load_scenario(SCEN)
    late = dt.datetime(2028, 9, 10, tzinfo=UTC)
    scen = base.model_copy(update={"assembly": [a.model_copy(update={"launch": late})
                                                for a in base.assembly]})
    mc = scen.monte_carlo.model_copy(update={
        "cargo_ship_failure": None,
        "crew_launch_abort": _d(distribution="constant", value=1.0)})
    draw = draw_run(scen, 2026, 0, mc)
    cat = load_catalog()
    gateway_dock = late + dt.timedelta(days=module_climb_days(scen, cat)["gateway"])
    to_dock = dt.timedelta(hours=cat.vehicles["soyuz-ms"].time_to_dock_h.value)
    lift_off = gateway_dock + DAY - to_dock
    soyuz = [s for s in draw.scenario.operations.launcher_stand_downs
             if s.launcher == "soyuz-2.1a"]
    assert [s.failed for s in soyuz] == [lift_off]
    assert f"crew Soyuz crew: launch aborted {lift_off.date()}, crew recovered; " \
           f"re-flown {(lift_off + 53 * DAY).date()}" in draw.events
    assert _launches(draw)["Soyuz crew (re-flown)"] == lift_off + 53 * DAY


def test_run_115_aborts_its_crew_after_the_gateway_docks():
    """ros-51.6, campaign seed 2026, run 115 (the review's example): Soyuz MS crew #3 (port
    gateway.forward) is drawn to abort; the gateway launches 2029-08-31 in this run, so the
    abort and its stand-down fall after that (before the fix: 2029-07-02)."""
    ref = load_scenario("ros-51.6")
    draw = draw_run(ref, 2026, 115)
    (gateway,) = [a for a in draw.scenario.assembly if a.module == "gateway"]
    assert gateway.launch.date() == dt.date(2029, 8, 31)
    (abort,) = [e for e in draw.events if e.startswith("crew Soyuz MS crew #3: launch aborted")]
    aborted = dt.date.fromisoformat(abort.split("aborted ")[1][:10])
    assert aborted > gateway.launch.date()
    (sd,) = [s for s in draw.scenario.operations.launcher_stand_downs
             if "Soyuz MS crew #3" in s.cause]
    assert sd.failed.date() == aborted


def test_an_aborted_launch_takes_its_pad_run_84():
    """ros-51.6, campaign seed 2026, run 84 (the review's example): the Orel crew of
    2034-01-02 aborts on the Angara-A5P at Vostochny Site 1A; the platform module, planned from
    the same pad four days later on another rocket (not grounded by the stand-down), waits
    the pad's 30-day turnaround after the aborted launch (catalog sites.toml, estimate), as
    after any lift-off; before, it lifted off 4 days after the abort."""
    from rossim.config.catalog import load_catalog
    from rossim.station import build_timeline

    draw = draw_run(load_scenario("ros-51.6"), 2026, 84)
    (sd,) = draw.scenario.operations.launcher_stand_downs
    assert (sd.launcher, sd.site) == ("angara-a5p", "vostochny-1a")
    assert sd.failed.date() == dt.date(2034, 1, 2)
    gap = dt.timedelta(days=load_catalog().sites["vostochny-1a"].pad_turnaround_days.value)
    assert gap == 30 * DAY
    tl = build_timeline(draw.scenario)
    (platform,) = [e for e in tl.events if e.part == "platform" and e.kind == "dock"]
    assert platform.launch >= sd.failed + gap
    (row,) = [r for r in tl.pad_slips if r["launch"] == "platform"]
    assert row["why"].endswith("after Orel crew, stage 2 #2 launch aborted (2034-01-02 15:43 UTC)")


def _plan_checks(run: int) -> list[str]:
    """The breaches (rossim.campaign.plan_checks) of campaign run ``run``'s plan (ros-51.6,
    seed 2026)."""
    from rossim.campaign.plan_checks import plan_breaches
    from rossim.station import build_timeline

    draw = draw_run(load_scenario("ros-51.6"), 2026, run)
    return plan_breaches(draw.scenario, build_timeline(draw.scenario))


def test_the_plans_failures_fall_where_ship_pad_and_rocket_could_fly():
    """The review of 2026-12-01 (a fresh reader scanning draws 0-149): runs 107 and 123 had a
    Soyuz crew drawn at the very instant of a Progress lost at launch from the same pad,
    which the stand-down let through and the planner then moved into it; runs 29 and 69 had
    a crew abort before its gateway docked, the draw's module times missing the pad's
    turnaround the planner adds between two modules from Vostochny 1A; runs 33, 34 and 62 a
    failed launch 4-9 days after another from Baikonur Site 31 (turnaround 14 days). None of
    these plans breaches any of the checks now; nor do runs 86, 168 and 174, where the planner's
    chains of slips through the visits held the failed launch's port (fed back into the draw
    since stop 31)."""
    for run in (29, 33, 34, 62, 69, 86, 107, 123, 168, 174):
        assert _plan_checks(run) == [], run


def test_a_launch_the_planner_holds_fails_where_it_lifts_off():
    """fly_plan's ``not_before`` (what draw_run feeds back from the run's planner): Progress A,
    drawn lost at T but held by the planner to T + 10 d, is lost there, and the stand-down
    runs from there: Progress B (T + 30 d) waits to T + 10 + 66 d, the Soyuz crew
    (T + 20 d) to T + 10 + 82 d, A's replacement flies T + 10 + 70 d; the hold is listed."""
    from rossim.campaign.plan_failures import fly_plan
    from rossim.config.catalog import load_catalog

    scen = load_scenario(SCEN)
    v = {x.name: x for x in (*scen.crew_visits, *scen.cargo_visits)}
    held = T + 10 * DAY
    out = fly_plan([(v[n].launch, v[n], False) for n in ("Soyuz crew", "Orel crew")],
                   [(v["Progress A"].launch, v["Progress A"], True),
                    (v["Progress B"].launch, v["Progress B"], False)],
                   load_catalog(), load_systems().logistics, scen.span.end,
                   not_before={"Progress A": held})
    (sd,) = out.stand_downs
    assert (sd.failed, sd.uncrewed_until, sd.crew_until) == (
        held, held + 66 * DAY, held + 82 * DAY)
    assert {x.name: t for t, _k, x in out.planned} == {
        "Soyuz crew": held + 82 * DAY, "Orel crew": T + 25 * DAY,
        "Progress B": held + 66 * DAY, "Progress A (replacement)": held + 70 * DAY}
    assert ("Progress A: lift-off held to 2028-08-11 00:00 (the planner's pads, ports and "
            "berths)") in out.events
    # without the hold, as before: lost at T
    out = fly_plan([], [(v["Progress A"].launch, v["Progress A"], True)], load_catalog(),
                   load_systems().logistics, scen.span.end)
    assert out.stand_downs[0].failed == T


def test_a_crew_beyond_the_berths_waits_for_the_crew_aboard():
    """rossim.campaign.plan_checks: in the fixture's plan the Orel crew (2) docks while the
    Soyuz crew (2) is aboard, 4 crew in the 2 berths of NEM-1, node and gateway (catalog); the
    breach names the crew docking last and holds its lift-off until it docks an hour after
    the Soyuz crew leaves. A crew that no departure makes room for (4 in 2 berths) is listed
    with no launch to move."""
    from rossim.campaign.plan_checks import breaches
    from rossim.station import build_timeline

    scen = load_scenario(SCEN)
    tl = build_timeline(scen)
    (b,) = [b for b in breaches(scen, tl) if "berths" in b.text]
    assert b.text == "Orel crew docks with 4 crew aboard from 2028-08-28 18:11 but 2 berths"
    left = next(e.time for e in tl.events if e.kind == "undock" and e.part == "Soyuz crew")
    orel = next(e for e in tl.events if e.kind == "dock" and e.part == "Orel crew")
    assert b.launch == "Orel crew"
    assert b.not_before + (orel.time - orel.launch) == left + dt.timedelta(hours=1)
    four = scen.model_copy(update={"crew_visits": [
        x.model_copy(update={"crew": 4}) if x.name == "Orel crew" else x
        for x in scen.crew_visits]})
    (b,) = [b for b in breaches(four, build_timeline(four)) if "berths" in b.text]
    assert (b.launch, b.not_before) == (None, None)
    assert b.text.endswith("6 crew aboard from 2028-08-28 18:11 but 2 berths")


def test_run_86_the_draw_follows_the_planners_chain_of_slips():
    """ros-51.6, campaign seed 2026, run 86 (stop 30's remaining limit): the draw had Soyuz MS
    crew #4 abort on 2034-04-07 while the planner's chain of slips kept Soyuz MS crew #2 at
    its port, gateway.forward, until 2034-04-27, 9 days after crew #2's lift-off from the same
    pad. Fed back, the abort falls when the port is free; crew #3, which the planner had
    moved into the stand-down, is grounded by it; the re-flown crew #4 then overlapped the
    first four-person Orel crew (6 aboard, 4 berths), which now waits until it leaves; the
    plan breaches nothing and is runnable."""
    from rossim.campaign.plan_checks import plan_breaches
    from rossim.ops.preflight import check_runnable
    from rossim.station import build_timeline

    draw = draw_run(load_scenario("ros-51.6"), 2026, 86)
    tl = build_timeline(draw.scenario)
    assert plan_breaches(draw.scenario, tl) == []
    check_runnable(draw.scenario, tl, load_systems())
    (sd,) = draw.scenario.operations.launcher_stand_downs
    crew2_left = next(e.time for e in tl.events
                      if e.kind == "undock" and e.part == "Soyuz MS crew #2")
    assert crew2_left == dt.datetime(2034, 4, 27, 20, 30, 58, 914260, tzinfo=UTC)
    from rossim.config.catalog import load_catalog

    to_dock = dt.timedelta(hours=load_catalog().vehicles["soyuz-ms"].time_to_dock_h.value)
    assert sd.failed + to_dock >= crew2_left + dt.timedelta(hours=1)   # was 20 days before
    assert "Soyuz MS crew #3: launch moved 53 d to 2034-06-19, soyuz-2.1a stood down" \
        in draw.events
    assert any(e.startswith("Orel crew, stage 2 #1: lift-off held to") for e in draw.events)
