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

import pytest

from rossim.campaign.dispersions import draw_run
from rossim.config.scenario import Dispersion, load_scenario
from rossim.config.systems import load_systems

SCEN = Path(__file__).resolve().parents[1] / "data" / "campaign" / "stand-down.toml"
UTC = dt.UTC
T = dt.datetime(2028, 8, 1, tzinfo=UTC)       # Progress A's planned lift-off
DAY = dt.timedelta(days=1)
#: Baikonur Site 31's pad turnaround (14 d) and the window's day (rossim.campaign.plan_ports
#: WINDOW_MARGIN): a cargo ship lifts off at least this long after a crew from its pad that it
#: would otherwise move (crews first, PlanPorts.crews_first)
GAP = 15 * DAY


def _d(**kw) -> Dispersion:
    return Dispersion(source="test", **kw)


def _window(scen, site: str, after: dt.datetime) -> dt.datetime:
    """The first in-plane window (clock minute) of ``site`` on or after ``after``
    (rossim.station.windows): where the run's planner flies a launch planned then, and so
    where a launch drawn to fail fails (rossim.campaign.plan_agreement)."""
    from rossim.config.catalog import load_catalog
    from rossim.station.windows import PlaneModel, clock_minute, first_window

    return clock_minute(first_window(PlaneModel.from_scenario(scen),
                                     load_catalog().sites[site], after)["time"])


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
    """Run 1 (seed 2026) loses Progress A at its lift-off, the first in-plane window on or
    after T (W): the Soyuz crew planned 20 days later lifts off 82 days after the loss,
    Progress B (30 days later) 66 days after it, the Orel crew on the Angara-A5P does not
    move, Progress A's replacement, planned 70 days after it (past the uncrewed stand-down),
    flies after the crew (crews first at the pad: at 70 days it would take the pad 12 days
    before the crew, within Baikonur's 14-day turnaround and the window's day, GAP), and the
    stand-down is in the run's scenario."""
    scen = load_scenario(SCEN)
    mc = scen.monte_carlo.model_copy(update={"crew_launch_abort": None})
    draw = draw_run(scen, 2026, 1, mc)
    assert draw.inputs["cargo_ships_lost"] == 1.0          # the draw: A lost, B not
    assert "crew_launch_aborts" not in draw.inputs
    w = _window(scen, "baikonur-31", T)
    assert T < w < T + DAY
    at = _launches(draw)
    assert at == {"Soyuz crew": w + 82 * DAY, "Progress B": w + 66 * DAY,
                  "Orel crew": T + 25 * DAY, "Progress A (replacement)": w + 82 * DAY + GAP}
    (sd,) = draw.scenario.operations.launcher_stand_downs
    assert (sd.launcher, sd.failed, sd.uncrewed_until, sd.crew_until) == (
        "soyuz-2.1a", w, w + 66 * DAY, w + 82 * DAY)
    assert "Progress A" in sd.cause
    assert draw.inputs["stand_down_slips"] == 2.0
    assert draw.inputs["stand_down_slip_days"] == pytest.approx(
        36.0 + 62.0 + 2 * (w - T) / DAY, abs=1e-9)
    assert "Progress B: launch moved 36 d by the soyuz-2.1a stand-down, lifts off 2028-10-06" in draw.events
    assert "Soyuz crew: launch moved 62 d by the soyuz-2.1a stand-down, lifts off 2028-10-22" in draw.events
    # the plan still builds (ports, the pad turnaround of rossim.station.pad_plan)
    from rossim.station import build_timeline

    build_timeline(draw.scenario)


def test_a_moved_ship_drawn_to_fail_grounds_the_next():
    """Every cargo ship lost (constant 1): A is lost at its window W (first on or after T);
    Progress B, moved to W + 66 d by A's loss, is lost at its first window on or after that
    (B) and grounds the Soyuz-2.1a again: A's replacement (W + 70 d) waits to B + 66 d, the
    Soyuz crew (moved to W + 82 d) to B + 82 d; B's replacement, planned 70 days after B's
    loss, flies a pad turnaround and a day (GAP) after the crew (crews first at the pad).
    Still one draw per visit: the replacements are not drawn again."""
    scen = load_scenario(SCEN)
    mc = scen.monte_carlo.model_copy(update={
        "crew_launch_abort": None,
        "cargo_ship_failure": _d(distribution="constant", value=1.0)})
    draw = draw_run(scen, 2026, 0, mc)
    assert draw.inputs["cargo_ships_lost"] == 2.0
    w = _window(scen, "baikonur-31", T)
    b_lost = _window(scen, "baikonur-31", w + 66 * DAY)
    assert w + 66 * DAY <= b_lost < w + 67 * DAY
    assert _launches(draw) == {
        "Soyuz crew": b_lost + 82 * DAY, "Orel crew": T + 25 * DAY,
        "Progress A (replacement)": b_lost + 66 * DAY,
        "Progress B (replacement)": b_lost + 82 * DAY + GAP}
    sds = draw.scenario.operations.launcher_stand_downs
    assert [(s.failed, s.uncrewed_until, s.crew_until) for s in sds] == [
        (w, w + 66 * DAY, w + 82 * DAY), (b_lost, b_lost + 66 * DAY, b_lost + 82 * DAY)]
    assert (f"cargo ship Progress B lost at launch; a replacement flies "
            f"{(b_lost + 70 * DAY).date()}") in draw.events


def test_a_planned_crew_launch_aborts_and_flies_again_53_days_later():
    """Run 5 (seed 2026) aborts the Soyuz crew's launch (crew_launch_abort, its own stream) at
    its lift-off, the first window on or after its planned T + 20 d: the crew is recovered and
    the same visit flies again 53 days later, "(re-flown)"; the Soyuz-2.1a is grounded 36 days
    for uncrewed launches (Progress B moves) and 53 for crews; the Orel crew (drawn not to
    abort) and Progress A (before the abort) keep their dates."""
    scen = load_scenario(SCEN)
    draw = draw_run(scen, 2026, 5)
    assert draw.inputs["crew_launch_aborts"] == 1.0 and draw.inputs["cargo_ships_lost"] == 0.0
    abort = _window(scen, "baikonur-31", T + 20 * DAY)
    assert T + 20 * DAY < abort < T + 21 * DAY
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


@pytest.mark.slow
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
                        "crew_launch_aborts", "crew_visits_cancelled"}
        drawn = {k: v for k, v in without.inputs.items() if k not in consequences}
        assert {k: every.inputs[k] for k in drawn} == drawn
        planned_crews = len(without.scenario.crew_visits) + sum(
            "dropped" in e and "crew" in e for e in without.events)
        # a crew aborts at its lift-off or is not flown before it (its slot passed: the
        # abort's stand-down moved it past the crew that takes its place)
        assert every.inputs["crew_launch_aborts"] + every.inputs["crew_visits_cancelled"] \
            >= len(without.scenario.crew_visits)
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
# Re-recorded in stop 33 (rossim.campaign.plan_ports), each change read in the run's planner:
# run 7's Progress MS #2 and #3, dropped before (node.starboard held by Progress MS #1 until
# the logistics module took it), dock at logistics.forward and node.nadir (a cargo ship whose
# own port is held asks for another; test_plan_ports.py::
# test_a_ship_whose_port_is_held_until_a_module_takes_it_docks_elsewhere), after the Soyuz
# crews #3 and #4, which fly on their dates (crews first at the pad); run 3's Soyuz MS
# crew #4 lifts off before Progress MS #2 planned days before it from the same pad (crews
# first at the pad), on its date rather than 6 days late; run 0's Progress MS #2, drawn
# hours before Soyuz MS crew #4 from the same pad, is dated after the crew in the draw (crews
# first), where the planner flew it already: it docks as before.
# Re-recorded in stop 34 (crews first in the run's planner, rossim.station.pad_plan): run 7's
# Progress MS #2 and #3 lift off on 2032-01-18 and 2032-02-17 (after Soyuz MS crews #2 and #3,
# crews first in the draw), not two months and one month later: the draw held them after crew
# #3 for a pad breach of the planner (a cargo ship waiting in the pad's queue for its port
# slipped the crew), which the planner no longer makes (a launch waiting for its port does not
# hold its pad; a cargo ship goes after a crew). Runs 0 and 3 unchanged.
# run 3's last Progress flies 2035-09-19, not 2035-08-16, since the cargo plan counts the docked
# Progress reserves (stop 40; was "6524f2ab8ac06003": the same draw otherwise); back to
# "6524f2ab8ac06003" in stop 41: only a Progress at a port along the flight axis reboosts
# (rossim.station.configuration.along_flight), and ros-51.6's Progress ships dock at radial
# ports, so the cargo plan counts none of their reserves again ("cfd57ee8732be100" before)
# Stop 43: run 3's Progress MS (logistics port) #5 lifts off 2034-12-12 (was 2035-01-06) and
# #6 2035-06-05 at gateway.forward (was 2035-08-16 at logistics.forward): the cargo plan's
# propellant forecast counts the sun-biased days, phasing and the planned ships' own drag
# (rossim.station.propellant_forecast), so that draw's solar maximum needs its ships sooner;
# runs 0 and 7 keep their dates and ports (their manifests carry more propellant).
# Stop 45 (crews keep the programme's cadence, rossim.campaign.plan_failures): run 3's Soyuz
# MS crew #1 (waiting for the gateway until 2029-03-11, past crew #2's slot of 2029-01-03) and
# Orel crew, stage 1 #1-#4 (waiting for the core module until 2032-06-29, #4 past the middle
# of the gap before #5 of 2032-07-03) are not flown; the crews that take their places fly (was
# "5d0e21d20d5d6de0"); run 7's Soyuz MS crews #1-#4 and Orel crew, stage 1 #1-#3 (waiting
# for the gateway and core modules until 2031-12) are not flown (was "16096fb10d780fb8");
# run 0 unchanged.
# Stop 47 (the cargo planner keeps its ships out of the crews' pad blocks,
# rossim.station.pad_plan.crew_pad_blocks): run 3's Progress MS #2 lifts off 2029-12-14 15:31
# (was 2030-01-21 16:51, behind Soyuz MS crew #4 from the same pad; was "34b9ce16361ccf92");
# runs 0 and 7 unchanged.
MAIN_P0 = {0: "a1cfe2f6b31fb8cd", 3: "7f6074eeea502f39", 7: "d8062d0bd21b563b"}


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


def test_a_crew_past_its_slot_is_not_flown():
    """Crews keep the programme's cadence (rossim.campaign.plan_failures). Run 1 loses
    Progress A at its window W and grounds the Soyuz-2.1a's crews until W + 82 d
    (test_a_cargo_loss_grounds_its_launcher). With the Orel crew planned 60 days after T,
    after the Soyuz crew's 30-day stay planned from T + 20 d (the crew that takes its place),
    the Soyuz crew, grounded past that slot, is not flown and the Orel crew flies on its date;
    no extra flight makes up for it (``soyuz-launch-aborts``: MS-10's crew flew on MS-12, a
    flight of the plan). The Orel crew at T + 25 d, during the Soyuz crew's stay, flies beside
    it, not after it: the Soyuz crew flies late (the test above)."""
    scen = _fixture(**{"Orel crew": {"launch": T + 60 * DAY}})
    mc = scen.monte_carlo.model_copy(update={"crew_launch_abort": None})
    draw = draw_run(scen, 2026, 1, mc)
    w = _window(scen, "baikonur-31", T)
    at = _launches(draw)
    assert "Soyuz crew" not in at and at["Orel crew"] == T + 60 * DAY
    assert draw.inputs["crew_visits_cancelled"] == 1.0
    assert (f"crew Soyuz crew: not flown: its earliest lift-off {w + 82 * DAY:%Y-%m-%d} is "
            f"past the next crew's (Orel crew, {T + 60 * DAY:%Y-%m-%d}): the programme keeps "
            "its cadence") in draw.events
    from rossim.station import build_timeline

    build_timeline(draw.scenario)


@pytest.mark.slow
def test_run_31_flies_its_crews_at_the_programmes_cadence():
    """ros-51.6, campaign seed 2026, run 31 (campaign on fc89cba): the gateway and core
    modules two to three years late held all 15 planned crews behind their ports, and they
    flew a month apart from October 2031 on cargo planned for two visits a year: four crews
    in a row went home early with the food stock empty. The crews whose slots passed while
    they waited (7) are not flown; Soyuz MS crew #4 flies when the gateway is there (October
    2031), the Orel crews from the core module's docking (September 2032), and the 8 crews
    lift off at least 120 days apart (the plan: 182.5)."""
    draw = draw_run(load_scenario("ros-51.6"), 2026, 31)
    crews = sorted(v.launch for v in draw.scenario.crew_visits)
    assert draw.inputs["crew_visits_cancelled"] == 7.0 and len(crews) == 8
    assert min(b - a for a, b in zip(crews, crews[1:], strict=False)) >= 120 * DAY
    assert sum("the programme keeps its cadence" in e for e in draw.events) == 7
    first = min(draw.scenario.crew_visits, key=lambda v: v.launch)
    assert first.name == "Soyuz MS crew #4" and first.launch.date() == dt.date(2031, 10, 9)


def test_a_crew_is_not_cancelled_for_one_that_cannot_fly():
    """ros-51.6 seed 2026 run 107 (the campaign on 2dbeacd): the core module is never flown,
    so every Orel crew (at core.forward) is dropped; Soyuz MS crew #4, waiting for the gateway
    until January 2032, was cancelled against Orel crew, stage 1 #5 (dropped later), no crew
    flew, and the station re-entered in a free drift no crew could be called up for (no crew
    ship in the plan). A crew whose module is not flown takes no place: crew #4 flies."""
    draw = draw_run(load_scenario("ros-51.6"), 2026, 107)
    ((name, launch),) = [(v.name, v.launch) for v in draw.scenario.crew_visits]
    assert name == "Soyuz MS crew #4" and launch.date() == dt.date(2032, 1, 18)
    assert draw.inputs["crew_visits_cancelled"] == 3.0


def test_a_late_crew_flies_when_the_next_one_must_wait_longer():
    """Review of stop 45: ros-51.6 seed 2026 run 129. Soyuz MS crew #4 can lift off on
    2030-11-22, past Orel crew, stage 1 #1's drawn date, but that crew waits for the core
    module until April 2032: Soyuz MS crew #4 flies (a first version cancelled it against the
    Orel crew, itself cancelled later, and no crew flew for 17 months)."""
    draw = draw_run(load_scenario("ros-51.6"), 2026, 129)
    crews = sorted((v.launch, v.name) for v in draw.scenario.crew_visits)
    assert crews[0][1] == "Soyuz MS crew #4" and crews[0][0].date() == dt.date(2030, 11, 22)
    assert crews[1][0].date() == dt.date(2032, 4, 15)     # the core module's first crew


def test_a_cargo_ship_lifts_off_after_the_crew_it_would_move():
    """Run 62 of the reference campaign (seed 2026; run 2 before the cargo planner kept its
    ships out of the crews' pad blocks): Progress MS #2, planned 2029-12-14, is drawn to lift
    off within the pad's turnaround before the Soyuz MS crew #4's slipped lift-off from the
    same pad (Baikonur Site 31): it flies a turnaround
    and a day (GAP) after the crew (crews first, rossim.campaign.plan_ports.PlanPorts
    .crews_first), is lost there and grounds the Soyuz-2.1a; the crew is neither moved by the
    stand-down nor slipped by the pad in the run's planner, and the plan builds. (Before stop
    33 the Progress flew first and was lost, the crew moved to the stand-down's end and the
    pad then slipped it past the replacement.)"""
    from rossim.config.systems import load_systems
    from rossim.ops.preflight import check_runnable
    from rossim.station import build_timeline

    ref = load_scenario("ros-51.6")
    draw = draw_run(ref, 2026, 62)
    crew = _launches(draw)["Soyuz MS crew #4"]
    (sd,) = [s for s in draw.scenario.operations.launcher_stand_downs
             if s.cause.startswith("Progress MS #2 lost")]
    assert crew + GAP <= sd.failed < crew + GAP + DAY
    assert not any(e.startswith("Soyuz MS crew #4: launch moved") for e in draw.events)
    tl = build_timeline(draw.scenario)
    check_runnable(draw.scenario, tl, load_systems())
    assert not [r for r in tl.pad_slips if r["launch"] == "Soyuz MS crew #4"]


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
    # it fails where the run's planner flies it when it does not fail: the same draw without
    # aborts, its lift-off there (window and pad turnaround on or after the port's wait)
    from rossim.station import build_timeline

    flown = draw_run(scen, 2026, 0, mc.model_copy(update={"crew_launch_abort": None}))
    (crew,) = [e for e in build_timeline(flown.scenario).events
               if e.kind == "dock" and e.part == "Soyuz crew"]
    assert crew.launch >= lift_off
    assert [s.failed for s in soyuz] == [crew.launch]
    assert f"crew Soyuz crew: launch aborted {crew.launch.date()}, crew recovered; " \
           f"re-flown {(crew.launch + 53 * DAY).date()}" in draw.events
    assert _launches(draw)["Soyuz crew (re-flown)"] == crew.launch + 53 * DAY


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
    assert row["why"].endswith(f"after Orel crew, stage 2 #2 launch aborted "
                               f"({sd.failed:%Y-%m-%d %H:%M} UTC)")


def _plan_checks(run: int) -> list[str]:
    """The breaches (rossim.campaign.plan_checks) of campaign run ``run``'s plan (ros-51.6,
    seed 2026)."""
    from rossim.campaign.plan_checks import plan_breaches
    from rossim.station import build_timeline

    draw = draw_run(load_scenario("ros-51.6"), 2026, run)
    return plan_breaches(draw.scenario, build_timeline(draw.scenario))


@pytest.mark.slow
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
    """fly_plan's ``holds`` (what draw_run feeds back from the run's planner): Progress A,
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
                   holds={(2, 0): (held, "a test hold")})
    (sd,) = out.stand_downs
    assert (sd.failed, sd.uncrewed_until, sd.crew_until) == (
        held, held + 66 * DAY, held + 82 * DAY)
    assert {x.name: t for t, _k, x in out.planned} == {
        "Soyuz crew": held + 82 * DAY, "Orel crew": T + 25 * DAY,
        "Progress B": held + 66 * DAY, "Progress A (replacement)": held + 70 * DAY}
    assert "Progress A: lift-off held to 2028-08-11 00:00 (a test hold)" in out.events
    assert out.failures == [(2, held, "Progress A")]
    # fail_at: the failure falls there, with no port wait of its own
    out = fly_plan([], [(v["Progress A"].launch, v["Progress A"], True)], load_catalog(),
                   load_systems().logistics, scen.span.end, fail_at={0: held})
    assert out.stand_downs[0].failed == held
    # flies: drawn to fail, flown instead (where would the planner put it?)
    out = fly_plan([], [(v["Progress A"].launch, v["Progress A"], True)], load_catalog(),
                   load_systems().logistics, scen.span.end, flies=frozenset({0}))
    assert (out.failures, [x.name for _t, _k, x in out.planned]) == ([], ["Progress A"])
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


def test_run_86_the_draw_follows_the_planners_chain_of_slips(fly_every_crew):
    """ros-51.6, campaign seed 2026, run 86 (stop 30's remaining limit): the draw had Soyuz MS
    crew #4 abort on 2034-04-07 while the planner's chain of slips kept Soyuz MS crew #2 at
    its port, gateway.forward, until 2034-04-27, 9 days after crew #2's lift-off from the same
    pad; a first fix then had it abort hours before crew #3, planned before it at that port
    and pad, and ground it (review of stop 31). Now it fails in its own slot, where the
    planner would fly it: after crew #3 has flown and left gateway.forward, a pad turnaround
    after crew #3's lift-off; crew #3 is not moved; the plan breaches nothing (crews within
    berths included) and is runnable. (Until stop 32 the re-flown crew #4 was slipped by the
    pad's queue behind Progress MS (logistics port) #4, itself waiting for its port, into the
    first four-person Orel crew's visit, which the berths check then held; that Progress now
    docks at its own port when its module is there, and the re-flown crew flies at its own
    date.)"""
    from rossim.campaign.plan_checks import plan_breaches
    from rossim.config.catalog import load_catalog
    from rossim.ops.preflight import check_runnable
    from rossim.station import build_timeline

    draw = draw_run(load_scenario("ros-51.6"), 2026, 86)
    tl = build_timeline(draw.scenario)
    assert plan_breaches(draw.scenario, tl) == []
    check_runnable(draw.scenario, tl, load_systems())
    (sd,) = draw.scenario.operations.launcher_stand_downs
    ev = {(e.part, e.kind): e for e in tl.events if not e.relocation}
    crew3 = ev[("Soyuz MS crew #3", "dock")]
    to_dock = dt.timedelta(hours=load_catalog().vehicles["soyuz-ms"].time_to_dock_h.value)
    assert crew3.port == "gateway.forward"
    assert sd.failed + to_dock > ev[("Soyuz MS crew #3", "undock")].time
    assert sd.failed >= crew3.launch + 14 * DAY
    assert not any(e.startswith("Soyuz MS crew #3: launch moved") for e in draw.events)
    reflown = ev[("Soyuz MS crew #4 (re-flown)", "dock")]
    (planned,) = [v for v in draw.scenario.crew_visits if v.name == "Soyuz MS crew #4 (re-flown)"]
    assert reflown.launch <= planned.launch + DAY


def test_seed_7_run_16_a_failure_is_not_overtaken_by_the_crews_after_it(fly_every_crew):
    """ros-51.6, campaign seed 7, run 16 (review of stop 31): the draw's own wait pushed the
    aborted Orel crew, stage 1 #2 a day at a time while each later crew took the Vostochny
    pad first, nine crews in all, to November 2035. It now aborts in its own slot, after
    stage 1 #1 and before stage 1 #3 (the abort's 53-day stand-down then delays the crews
    after it, as an abort does)."""
    from rossim.station import build_timeline

    draw = draw_run(load_scenario("ros-51.6"), 7, 16)
    (sd,) = [s for s in draw.scenario.operations.launcher_stand_downs
             if "Orel crew, stage 1 #2" in s.cause]
    tl = build_timeline(draw.scenario)
    ev = {(e.part, e.kind): e for e in tl.events if not e.relocation}
    assert ev[("Orel crew, stage 1 #1", "undock")].time < sd.failed \
        < ev[("Orel crew, stage 1 #3", "dock")].launch
    assert sd.failed < dt.datetime(2035, 7, 1, tzinfo=UTC)


def _fixture(**visit_updates) -> object:
    """The stand-down fixture with some of its visits changed (name -> fields)."""
    scen = load_scenario(SCEN)
    def one(v):
        return v.model_copy(update=visit_updates.get(v.name, {}))
    return scen.model_copy(update={"crew_visits": [one(v) for v in scen.crew_visits],
                                   "cargo_visits": [one(v) for v in scen.cargo_visits]})


def test_a_crew_that_stays_or_relocates_makes_no_room():
    """The berth check's departures (review of stop 31): a crew aboard that does not leave
    within the span gives no hold (the stand-down fixture with the Soyuz crew staying 180 days
    and the span ending 2029-01-31: before, the end of the over-full phase counted as its
    departure and the Orel crew was held month after month); a crew ship relocating to
    another port has not left (the fixture with relocations on and a second Soyuz crew at
    gateway.forward: the hold is an hour after the first crew's undocking, not after its
    relocation)."""
    from rossim.campaign.plan_checks import breaches
    from rossim.station import build_timeline

    stay = _fixture(**{"Soyuz crew": {"duration_days": 180}})
    stay = stay.model_copy(update={"span": stay.span.model_copy(
        update={"end": dt.datetime(2029, 1, 31, tzinfo=UTC)})})
    (b,) = [b for b in breaches(stay, build_timeline(stay)) if "berths" in b.text]
    assert (b.launch, b.not_before) == (None, None)

    scen = _fixture(**{"Orel crew": {"name": "Soyuz crew 2", "vehicle": "soyuz-ms",
                                     "port": "gateway.forward"}})
    scen = scen.model_copy(update={"relocate_crew_ships": True})
    tl = build_timeline(scen)
    assert any(e.relocation and e.part == "Soyuz crew" for e in tl.events)
    left = next(e.time for e in tl.events
                if e.kind == "undock" and e.part == "Soyuz crew" and not e.relocation)
    (b,) = [b for b in breaches(scen, tl) if "berths" in b.text]
    # its lift-off docking an hour after that undocking (the catalog's time to dock: its
    # docking now waits the station's traffic spacing after the relocation too,
    # rossim.station.traffic)
    ttd = dt.timedelta(hours=tl.catalog.vehicles["soyuz-ms"].time_to_dock_h.value)
    assert b.launch == "Soyuz crew 2"
    assert b.not_before + ttd == left + dt.timedelta(hours=1)


def test_a_nameless_visit_is_held_too():
    """The planner names a visit without a name "<vehicle>@<date>"; the draw's holds follow
    the launch, not its name (review of stop 31: such a hold never applied and the breach
    was left). The fixture's Orel crew without a name, no failures: it is held for the
    berths until the Soyuz crew leaves, and no breach is left."""
    from rossim.campaign.plan_checks import plan_breaches
    from rossim.station import build_timeline

    scen = _fixture(**{"Orel crew": {"name": ""}})
    mc = scen.monte_carlo.model_copy(update={"crew_launch_abort": None,
                                             "cargo_ship_failure": None})
    draw = draw_run(scen, 2026, 1, mc)
    assert not any("breach left" in e for e in draw.events)
    assert any(e.startswith("orel: lift-off held to") and "(berths)" in e
               for e in draw.events)
    assert plan_breaches(draw.scenario, build_timeline(draw.scenario)) == []


def test_two_aborts_in_one_queue_of_crews_converge(monkeypatch):
    """Review of stop 31 (N1): seed 7 run 16 with Orel crews stage 1 #1 and #4 both drawn to
    abort (only which launches fail is forced). Holds on the crews grounded by #1's abort
    freed slots, #4's trial slot moved earlier pass after pass into #1's stand-down, which
    moved it again: the same plan was flown until the passes ran out, a breach left. A
    failure's instant now only moves later and one a stand-down moved counts as met: the plan
    converges, no breach is left, and it is runnable."""
    import rossim.campaign.dispersions as disp
    from rossim.campaign.plan_checks import plan_breaches
    from rossim.ops.preflight import check_runnable
    from rossim.station import build_timeline

    forced = {"Orel crew, stage 1 #1", "Orel crew, stage 1 #4"}
    fly = disp.fly_plan

    def forced_fly(crew, cargo, *a, **k):
        return fly([(t, v, v.name in forced) for t, v, _f in crew],
                   [(t, v, v.name in forced) for t, v, _f in cargo], *a, **k,
                   keep_cadence=False)     # the queue of crews this case is about

    monkeypatch.setattr(disp, "fly_plan", forced_fly)
    draw = draw_run(load_scenario("ros-51.6"), 7, 16)
    assert draw.inputs["crew_launch_aborts"] == 2.0
    assert not any("breach left" in e or "kept" in e for e in draw.events)
    tl = build_timeline(draw.scenario)
    assert plan_breaches(draw.scenario, tl) == []
    check_runnable(draw.scenario, tl, load_systems())


def test_a_queue_behind_a_held_crew_is_held_in_the_same_pass(monkeypatch, fly_every_crew):
    """ros-51.6, campaign seed 7, run 16 (review of stop 31, N3): the berths check holds Orel
    crew, stage 1 #3 behind the aborted stage 1 #2; the crews planned after it at its port
    (core.forward) used to overtake it in the draw's plan and were named one pass at a time,
    eight passes and 20 plans asked of the planner (10 of the 16 passes). They are now held
    behind it in the same pass ("behind ... at core.forward"): the same plan, with at most
    half the planner's work."""
    import rossim.station as station

    calls = []
    real = station.build_timeline

    def counted(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(station, "build_timeline", counted)
    draw = draw_run(load_scenario("ros-51.6"), 7, 16)
    assert any("behind Orel crew, stage 1 #3 at core.forward" in e for e in draw.events), \
        [e for e in draw.events if "held to" in e]
    assert not any("breach left" in e for e in draw.events)
    assert len(calls) <= 10, len(calls)
