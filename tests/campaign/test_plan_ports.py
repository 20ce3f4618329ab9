"""Where a campaign run's visits dock when their own port is not there
(rossim.campaign.plan_ports): crews first, whole stays, ``port = "auto"`` resolved.

A cargo ship whose own port's module is late or not flown docks at another port
(``free_port``). Before stop 32 it took the first port free at its docking, even the only crew
port for its whole stay (Progress MS, 180 days), while the crews planned there waited behind
it: the review of 2026-12-01 found ros-51.6 (campaign seed 2026) run 107, Soyuz crews #2-#4
waiting from April to October 2032, and run 29, the re-flown Soyuz crew #1 waiting from April
to October 2034. A first fix (6be8b35) shortened the ship's stay to leave a day before the
crew; a second review found that the planner's pad turnaround then still pushed run 29's crew
two weeks, that stays could fall to a day, and that ``port = "auto"`` visits were not placed by
the draw at all, so every draw of ros-2026-plan tried (runs 0-7) was refused by the planner
(a module or a cargo ship on the port an auto crew held). Now a ship docks where it can first
dock for its whole stay, after the visit of any planned crew it would overlap (and its own
module's port counts), with the planner's pad turnaround of its lift-off included; ``auto``
visits are given that port by the draw.

Catalog ports used below: gateway.forward is a drogue (ship) port; node.* and nem1.forward are
hybrid-passive (growth) ports, which a Progress's probe fits too; ``free_port`` prefers ship
ports to growth ports at equal docking times.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rossim.campaign.dispersions import draw_run
from rossim.campaign.plan_ports import PlanPorts, free_port
from rossim.config.catalog import load_catalog
from rossim.config.scenario import Visit, load_scenario

UTC = dt.UTC
T0 = dt.datetime(2030, 1, 1, tzinfo=UTC)
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def _ports(node_forward_taken: bool = False) -> PlanPorts:
    """NEM-1, the node and the gateway docked in 2029; the logistics module never flown;
    NEM-1's forward port and every node port but the forward one taken by modules in 2029
    (or the forward one too)."""
    cat = load_catalog()
    docked = dt.datetime(2029, 1, 1, tzinfo=UTC)
    module_dock: dict[str, dt.datetime | None] = {
        "nem1": docked, "node": docked, "gateway": docked, "logistics": None}
    module_port = {f"node.{p}": (docked, m) for p, m in
                   (("zenith", "gateway"), ("nadir", "platform"), ("port", "production"),
                    ("starboard", "core"))}
    module_port["nem1.forward"] = (docked, "node")
    if node_forward_taken:
        module_port["node.forward"] = (docked, "core")
    return PlanPorts(cat, module_dock, module_port)


def _progress() -> Visit:
    return Visit(vehicle="progress-ms", port="logistics.forward", duration_days=180.0,
                 name="Progress X", launch=T0)


def _soyuz(at: dt.datetime, name: str = "Soyuz Y") -> Visit:
    return Visit(vehicle="soyuz-ms", port="gateway.forward", duration_days=30.0, crew=2,
                 name=name, launch=at)




def _hours(vehicle: str) -> dt.timedelta:
    return dt.timedelta(hours=load_catalog().vehicles[vehicle].time_to_dock_h.value)


def _args(ports: PlanPorts, dock: dt.datetime = T0):
    return (load_catalog(), "progress-ms", dock, 180.0, ports.module_dock, ports.module_port,
            ports.busy_until)


def test_free_port_keeps_the_crew_port_for_the_crew():
    """A crew docks at gateway.forward 40 days into the Progress's 180-day stay: the
    Progress goes to the free growth port (node.forward) now, not the crew's port (before:
    gateway.forward, ship ports first); a crew that docks after the stay and a day's margin
    leaves it free."""
    ports = _ports()
    needs = {"gateway.forward": [(T0 + 40 * DAY, 30.0)]}
    assert free_port(*_args(ports)) == ("gateway.forward", T0)        # no crew: ship port
    assert free_port(*_args(ports), needs) == ("node.forward", T0)    # crews first
    later = {"gateway.forward": [(T0 + 182 * DAY, 30.0)]}
    assert free_port(*_args(ports), later) == ("gateway.forward", T0)
    # the planner's pad turnaround (15 days here) moves the stay's end into that crew's
    assert free_port(*_args(ports), later, 15 * DAY) == ("node.forward", T0)


def test_with_the_crew_port_the_only_one_the_ship_docks_after_the_crew():
    """No growth port left: the Progress docks at gateway.forward an hour after the crew's
    30-day visit, for its whole stay (not a stay cut short to a day or two before the crew);
    PlanPorts.place moves its lift-off there and asks again then."""
    ports = _ports(node_forward_taken=True)
    crew_dock = T0 + 40 * DAY
    assert free_port(*_args(ports), {"gateway.forward": [(crew_dock, 30.0)]}) == \
        ("gateway.forward", crew_dock + 30 * DAY + HOUR)
    soyuz = Visit(vehicle="soyuz-ms", port="gateway.forward", duration_days=30.0, crew=2,
                  name="Soyuz Y", launch=T0 + 40 * DAY)
    ports.need(0, soyuz.launch, soyuz)
    placed = ports.place(T0, "cargo", _progress())
    after = soyuz.launch + _hours("soyuz-ms") + 30 * DAY + HOUR
    assert placed.dropped is None and "duration_days" not in placed.update
    assert placed.update["port"] == "gateway.forward"
    assert placed.launch == after - _hours("progress-ms")
    # the crew flies (its port booked until it leaves): asked again, the ship docks then
    ports.take(soyuz.launch, soyuz, ports.place(soyuz.launch, "crew", soyuz))
    ports.needed(0)
    again = ports.place(placed.launch, "cargo", _progress())
    assert again.launch == placed.launch and again.update["port"] == "gateway.forward"


def test_a_ship_waits_for_its_own_module_when_that_is_sooner():
    """The logistics module docks 30 days after the Progress would: it waits for its own
    port rather than for the crew port after a crew's visit (40 + 30 days)."""
    ports = _ports(node_forward_taken=True)
    ports.module_dock["logistics"] = T0 + 30 * DAY
    soyuz = Visit(vehicle="soyuz-ms", port="gateway.forward", duration_days=30.0, crew=2,
                  name="Soyuz Y", launch=T0 + 40 * DAY)
    ports.need(0, soyuz.launch, soyuz)
    placed = ports.place(T0, "cargo", _progress())
    assert "port" not in placed.update
    assert placed.launch == T0 + 31 * DAY - _hours("progress-ms")


def test_a_ship_whose_own_port_is_held_asks_for_another():
    """The logistics module is there but its port is held by another ship for 100 days: the
    Progress docks now at the free ship port (gateway.forward: no crew needs it) rather than
    waiting, third in a queue, for its own (stop 33; ros-51.6 run 29 had one wait until July
    2035)."""
    ports = _ports()
    ports.module_dock["logistics"] = T0 - 10 * DAY
    ports.busy_until["logistics.forward"] = T0 + 100 * DAY
    placed = ports.place(T0, "cargo", _progress())
    assert placed.update["port"] == "gateway.forward"
    assert placed.launch == T0
    assert placed.notes == ["Progress X: docks at gateway.forward (logistics.forward held until "
                            f"{(T0 + 100 * DAY).date()})"]


def test_a_ship_whose_port_is_held_until_a_module_takes_it_docks_elsewhere():
    """Its port (gateway.forward here) is held by another ship until an hour before a module
    takes it: the Progress docks at another port, not dropped (ros-51.6 run 7 at p = 0 before
    stop 33: Progress MS #2 and #3 dropped, "port node.starboard taken by logistics")."""
    ports = _ports()
    ports.module_port["gateway.forward"] = (T0 + 10 * DAY, "commercial")
    ports.busy_until["gateway.forward"] = T0 + 10 * DAY - HOUR
    v = _progress().model_copy(update={"port": "gateway.forward"})
    placed = ports.place(T0, "cargo", v)
    assert placed.dropped is None
    assert placed.update["port"] == "node.forward"
    assert placed.notes == ["Progress X: docks at node.forward (gateway.forward taken by "
                            "commercial)"]


def test_a_cargo_ship_lifts_off_after_a_crew_from_its_pad():
    """Crews first at the pad (PlanPorts.crews_first): a Soyuz crew still to fly lifts off 5
    days after the Progress from the same pad (Baikonur Site 31, 14-day turnaround): the
    Progress lifts off the turnaround and the window's day after the crew, so that the
    planner's pad queue (date order) does not move the crew; a crew 20 days later is clear."""
    from rossim.campaign.plan_ports import WINDOW_MARGIN

    gap = 14 * DAY + WINDOW_MARGIN
    ports = _ports()
    ports.module_dock["logistics"] = T0 - 10 * DAY
    ports.need(0, T0 + 5 * DAY, _soyuz(T0 + 5 * DAY))
    assert ports.place(T0, "cargo", _progress()).launch == T0 + 5 * DAY + gap
    ports.needed(0)
    ports.need(1, T0 + 20 * DAY, _soyuz(T0 + 20 * DAY))
    assert ports.place(T0, "cargo", _progress()).launch == T0
    # behind a launch already taken from the pad (lifting off, for the planner, 15 days
    # later), a crew 20 days after the Progress's date is within its turnaround: after it
    ports.lifted(T0, _soyuz(T0, "Soyuz Z"))
    assert ports.place(T0, "cargo", _progress()).launch == T0 + 20 * DAY + gap


def test_a_cargo_ship_does_not_wait_for_a_crew_that_will_not_fly_then():
    """Crews first only for a crew that flies then (review of stop 33): a crew that would
    lift off after the span's end, or whose module never flies, holds no pad (before, a
    Progress planned 5 days before the span's end was moved past it and dropped); a crew
    waiting for its late module holds the pad from the lift-off its module allows."""
    ports = _ports()
    ports.module_dock["logistics"] = T0 - 10 * DAY
    ports.span_end = T0 + 10 * DAY
    ports.need(0, T0 + 12 * DAY, _soyuz(T0 + 12 * DAY))         # past the span's end
    ports.need(1, T0 + 5 * DAY, _soyuz(T0 + 5 * DAY).model_copy(  # to a module never flown
        update={"port": "logistics.forward", "name": "Soyuz L"}))
    ports.module_dock["logistics"] = None
    ports.need(1, T0 + 5 * DAY, _soyuz(T0 + 5 * DAY).model_copy(
        update={"port": "logistics.forward", "name": "Soyuz L"}))
    ports.module_dock["logistics"] = T0 - 10 * DAY
    assert ports.crew_lifts == {}
    assert ports.place(T0, "cargo", _progress()).launch == T0
    ports.span_end = None
    ports.module_dock["production"] = T0 + 60 * DAY                 # its module docks later
    late = _soyuz(T0 + 5 * DAY, "Soyuz P").model_copy(update={"port": "production.forward"})
    ports.need(2, T0 + 5 * DAY, late)
    (lift,) = [c for _pad, c, _name in ports.crew_lifts.values()]
    assert lift == T0 + 61 * DAY - _hours("soyuz-ms")
    assert ports.place(T0, "cargo", _progress()).launch == T0


def test_the_pad_is_taken_where_the_planner_flies_each_launch():
    """PlanPorts.lifted records a launch where the planner will fly it, behind the ones
    already taken from its pad (the turnaround), and a failed launch
    where it fails (the planner keeps it there): three launches at T0 from Baikonur Site 31
    are taken at T0, T0 + 14 d and T0 + 28 d (its turnaround; not the window's day, which
    would add up along a chain); one failing at T0 + 1 d is taken then."""
    ports = _ports()
    for name in ("A", "B", "C"):
        ports.lifted(T0, _soyuz(T0, name))
    ports.lifted(T0 + DAY, _progress(), failed=True)
    assert ports.pad_lift_offs["baikonur-31"] == [T0, T0 + 14 * DAY, T0 + 28 * DAY, T0 + DAY]


def test_a_crew_slipped_behind_a_cargo_ship_at_its_pad_is_a_breach():
    """plan_checks: on the plan_failures fixture, Progress B moved to lift off 6 days before
    the Soyuz crew from the same pad (Baikonur Site 31, 14-day turnaround). Since stop 34 the
    run's planner flies the crew first itself (rossim.station.pad_plan): the crew keeps its
    window, Progress B lifts off a turnaround after it, and no breach is left. The check stays
    for a plan where the planner would still slip a crew behind a cargo ship (a timeline row
    saying so): it holds the ship until the turnaround and a day after the crew's planned
    lift-off (ros-51.6 seed 2026 run 7 had a crew slipped 51 days so, behind a Progress
    waiting in the pad's queue for its module, on 893eeff)."""
    from pathlib import Path
    from types import SimpleNamespace

    from rossim.campaign.plan_checks import breaches
    from rossim.station import build_timeline

    base = load_scenario(Path(__file__).resolve().parents[1] / "data" / "campaign"
                         / "stand-down.toml")
    a, b = base.cargo_visits
    scen = base.model_copy(update={"cargo_visits": [a, b.model_copy(update={
        "launch": a.launch + 15 * DAY})]})
    tl = build_timeline(scen)
    assert not [x for x in breaches(scen, tl) if "behind cargo ship" in x.text]
    rows = {r["launch"]: r for r in tl.pad_slips}
    assert "Soyuz crew" not in rows
    assert rows["Progress B"]["why"].endswith("; crews first)")
    # the check on a plan whose planner slipped the crew behind Progress B
    planned = dt.datetime(2028, 8, 21, 5, 0, tzinfo=UTC)
    row = {"launch": "Soyuz crew", "site": "baikonur-31", "slip_days": 8.0,
           "planned_lift_off": planned.isoformat(),
           "why": "Baikonur Site 31/6 (Soyuz, Progress) pad turnaround (14 d) after "
                  "Progress B (2028-08-15 06:00 UTC)"}
    fake = SimpleNamespace(**{k: getattr(tl, k) for k in ("catalog", "events", "phases",
                                                           "properties")},
                           pad_slips=[row])
    found = [x for x in breaches(scen, fake) if "behind cargo ship" in x.text]
    assert [(x.launch, x.why) for x in found] == [("Progress B",
                                                   "crew Soyuz crew first at baikonur-31")]
    assert found[0].not_before == planned + 15 * DAY
    assert found[0].text.startswith("Soyuz crew slipped ")


def test_run_7_no_crew_is_slipped_behind_a_cargo_ship():
    """ros-51.6, campaign seed 2026, run 7 (review of stop 33): Progress MS #2, re-homed to
    the logistics module's port, waited in the planner's Baikonur queue for that module
    (slipped 61 days behind an Orel crew at Vostochny, more than the draw foresaw) and slipped
    Soyuz MS crew #3 51 days behind it; stop 33's pad breach held the Progress after the crew.
    Since stop 34 the planner's queue does not let a launch waiting for its port hold its pad,
    and puts crews first: no hold is needed, no crew of the run is slipped behind a cargo
    ship, and the plan has no breach."""
    from rossim.campaign.plan_checks import plan_breaches
    from rossim.station import build_timeline

    d = draw_run(load_scenario("ros-51.6"), 2026, 7)
    assert not any("first at baikonur-31)" in e for e in d.events)
    tl = build_timeline(d.scenario)
    assert plan_breaches(d.scenario, tl) == []
    crews = {v.name for v in d.scenario.crew_visits}
    cargo = {v.name for v in d.scenario.cargo_visits}
    assert not [r for r in tl.pad_slips if r["launch"] in crews
                and any(c in r["why"] for c in cargo)]


def test_run_107_crews_do_not_wait_behind_a_re_homed_progress(fly_every_crew):
    """ros-51.6, campaign seed 2026, run 107 (NEM-1 lost and re-flown, the core, logistics,
    production and platform modules after the span): Progress MS (logistics port) #1 goes to
    a free growth port of the node and the Soyuz crews #2-#4, waiting for the stand-down
    after Progress MS #1's loss (crews from 2032-04-25), fly a month apart from then, not
    from October 2032 behind the Progress at gateway.forward (before stop 32); since stop 33
    the Progress ships waiting for the same stand-down lift off between the crews (crews first
    at the pad, PlanPorts.crews_first), not before them. (Since stop 45 the draw keeps the
    programme's cadence and flies only Soyuz MS crew #4 of the four, in January 2032: the
    queue of crews, flown here as before, is what this case is about.)"""
    d = draw_run(load_scenario("ros-51.6"), 2026, 107)
    assert "Progress MS (logistics port) #1: docks at node.port (logistics not flown)" \
        in d.events
    crews = {v.name: v.launch for v in d.scenario.crew_visits}
    assert crews["Soyuz MS crew #2"] < dt.datetime(2032, 4, 26, tzinfo=UTC)
    assert crews["Soyuz MS crew #4"] < dt.datetime(2032, 7, 1, tzinfo=UTC)
    # the Progress ships fly between the crews from the pad (crews first), not before them
    lifts = sorted((v.launch, v.name) for v in (*d.scenario.crew_visits,
                                                *d.scenario.cargo_visits)
                   if dt.datetime(2032, 4, 1, tzinfo=UTC) < v.launch
                   < dt.datetime(2032, 7, 1, tzinfo=UTC))
    assert [n.startswith("Soyuz") for _, n in lifts] == [False, True] * 3, lifts
    from rossim.station import build_timeline

    tl = build_timeline(d.scenario)
    cargo = {v.name for v in d.scenario.cargo_visits}
    assert not [r for r in tl.pad_slips if r["launch"] in crews
                and any(c in r["why"] for c in cargo)]


def test_run_29_no_crew_waits_for_a_cargo_ship_in_the_planners_plan(fly_every_crew):
    """ros-51.6, campaign seed 2026, run 29 (NEM-1 lost and re-flown: the later modules and
    their ships all wait for it). Before stop 32 Progress MS (logistics port) #4 took the crew
    port for 180 days and the re-flown Soyuz crew #1 waited behind it. In stop 32 it waited
    for its own port, third in the queue for logistics.forward, until July 2035 while
    gateway.forward was free from September 2034, and three more such Progress ships slipped
    past the span's end; Progress MS #2 and #3, waiting at node.starboard behind Progress MS
    #1 until the logistics module took that port, were dropped. Since stop 33 a cargo ship
    whose own port is held asks for the first port free for its whole stay again: #4 lifts
    off by March 2035, none slips past the span's end, #2 and #3 fly; and in the run's
    planner (build_timeline) no crew is slipped behind a cargo ship, at its port or its pad
    (crews first at the pad); the re-flown crew lifts off within a day (its window) of the
    draw's date. (Since stop 45 the draw keeps the programme's cadence and the late crews of
    this run are not flown: the crews flown as before are what this case is about.)"""
    from rossim.station import build_timeline

    d = draw_run(load_scenario("ros-51.6"), 2026, 29)
    visits = {v.name: v for v in (*d.scenario.crew_visits, *d.scenario.cargo_visits)}
    assert visits["Progress MS (logistics port) #4"].launch < dt.datetime(2035, 3, 1, tzinfo=UTC)
    assert not [e for e in d.events if "past the span's end" in e or "dropped" in e]
    assert {"Progress MS #2", "Progress MS #3"} <= set(visits)
    tl = build_timeline(d.scenario)
    cargo = {v.name for v in d.scenario.cargo_visits}
    crew_docks = {e.part: e for e in tl.events if e.kind == "dock" and not e.relocation
                  and e.part in visits and visits[e.part].crew}
    assert len(crew_docks) == len(d.scenario.crew_visits)
    for e in crew_docks.values():
        assert not any(c in e.detail for c in cargo), (e.part, e.detail)
    reflown = crew_docks["Soyuz MS crew #1 (re-flown)"]
    assert reflown.launch <= visits["Soyuz MS crew #1 (re-flown)"].launch + DAY


@pytest.mark.parametrize("run", [0, 1, 3, 4, 6])
def test_the_january_2026_plan_draws_build(run):
    """ros-2026-plan (crews at ``port = "auto"``), campaign seed 2026: each of runs 0-4
    was refused by the planner before stop 32 (runs 0 and 3: the node module, or the first
    crew, found nem1.forward held by the auto crew; 1: a re-homed Progress sent there while
    the crew was docked; 4: the auto crew found every port taken by a re-homed Progress). The
    draw now gives every visit its port, and the plan builds with no breach. In stop 32 the
    planner still slipped crews of runs 1, 4 and 6 behind re-planned Progress ships (2, 2 and 3
    crews, 3-17 days each, at the Baikonur pad); since stop 33 (crews first at the pad) no crew
    is slipped behind a cargo ship."""
    from rossim.campaign.plan_checks import plan_breaches
    from rossim.station import build_timeline

    d = draw_run(load_scenario("ros-2026-plan"), 2026, run)
    assert all(v.port != "auto" for v in (*d.scenario.crew_visits, *d.scenario.cargo_visits))
    tl = build_timeline(d.scenario)
    assert plan_breaches(d.scenario, tl) == []
    crews = {v.name for v in d.scenario.crew_visits}
    cargo = {v.name for v in d.scenario.cargo_visits}
    # the slip's words (a crew held hours by the station's traffic after a cargo ship's
    # undocking is not behind it at the pad: rossim.station.traffic's "; held" note)
    behind = [e.part for e in tl.events if e.kind == "dock" and not e.relocation
              and e.part in crews and any(c in e.detail.split("; held ")[0] for c in cargo)]
    assert behind == []


def test_a_crew_waiting_for_a_cargo_ship_is_a_breach():
    """The check behind the figure (rossim.campaign.plan_checks, tools/plan_checks.py), on the
    plan_failures fixture (tests/data/campaign/stand-down.toml): Progress B moved to the Soyuz
    crew's port, gateway.forward, for 180 days and lifting off the same minute as Progress A
    from the same pad, so that the planner slips it by the pad's turnaround (as ros-51.6 run
    29's Progress MS (logistics port) #4 was before stop 32): the crew, planned 20 days later,
    waits for it, a breach naming the cargo ship, held until an hour after the crew's visit as
    planned; the fixture's own plan has none."""
    from pathlib import Path

    from rossim.campaign.plan_checks import breaches
    from rossim.station import build_timeline

    base = load_scenario(Path(__file__).resolve().parents[1] / "data" / "campaign"
                         / "stand-down.toml")
    a, b = base.cargo_visits
    scen = base.model_copy(update={"cargo_visits": [a, b.model_copy(update={
        "port": "gateway.forward", "launch": a.launch, "duration_days": 180.0})]})
    found = [x for x in breaches(scen, build_timeline(scen)) if "for cargo ship" in x.text]
    assert [x.launch for x in found] == ["Progress B"], found
    (x,) = found
    assert x.text.startswith("Soyuz crew waits ") and x.text.endswith(
        "for cargo ship Progress B at gateway.forward")
    (crew,) = [v for v in scen.crew_visits if v.name == "Soyuz crew"]
    assert x.not_before > crew.launch + 30 * DAY
    assert not [x for x in breaches(base, build_timeline(base)) if "for cargo ship" in x.text]


def test_a_crew_is_not_queued_behind_the_cargo_ship_held_for_it(fly_every_crew):
    """ros-2026-plan, campaign seed 2026: the second review of stop 32 found run 0's crew
    "Soyuz crew, stage 2, second ship #5" queued behind the Progress held for it at
    gateway.forward, 31 days late (the queue step of rossim.campaign.plan_agreement held the
    crew behind that Progress too). A crew is never queued behind a cargo ship: run 7 holds
    a Progress for a crew at its port (run 0 no longer needs a hold since stop 33); the crew
    is not held, the plan has no breach, and the planner slips the crew behind no cargo
    ship. (Since stop 45 the draw keeps the programme's cadence and that crew is not flown:
    the draw flying every crew, as before, is what this case is about.)"""
    import re

    from rossim.campaign.plan_checks import plan_breaches
    from rossim.station import build_timeline

    d = draw_run(load_scenario("ros-2026-plan"), 2026, 7)
    held = [m.group(1) for e in d.events
            if (m := re.search(r"^Progress MS .*: lift-off held to .* \(crew (.+) first at "
                               r"[a-z0-9]+\.[a-z]+\)$", e))]
    assert held, "no cargo ship held for a crew at its port in this draw"
    tl = build_timeline(d.scenario)
    assert plan_breaches(d.scenario, tl) == []
    cargo = {v.name for v in d.scenario.cargo_visits}
    for crew in held:
        assert not any(e.startswith(f"{crew}: lift-off held") for e in d.events), crew
        (dock,) = [e for e in tl.events if e.kind == "dock" and e.part == crew]
        assert not any(c in dock.detail for c in cargo), dock.detail


def test_run_199_soyuz_crews_fly_on_their_dates(fly_every_crew):
    """ros-51.6, campaign seed 2026, run 199 (the campaign on 94d91ab against the one on
    83a67ac: 365 -> 413 crewed days): its first re-planned Progress, Progress MS (logistics
    port) #1, no longer waits for its module (it docks at node.nadir), so the Soyuz crews #2-#4
    planned after it on the Baikonur pad fly from February to April 2032; on 83a67ac the pad
    queue held crew #2 behind that Progress's lift-off of 2032-03-21 and #3 and #4 behind
    #2, from April to June. (Since stop 45 the draw keeps the programme's cadence and flies
    none of these crews: Orel crew, stage 1 #4 takes the slot in January 2032; the queue,
    flown as before, is what this case is about.)"""
    from rossim.station import build_timeline

    d = draw_run(load_scenario("ros-51.6"), 2026, 199)
    assert "Progress MS (logistics port) #1: docks at node.nadir (logistics docks only on " \
        "2032-02-20)" in d.events   # (with the planner's 30-day slip of the logistics launch)
    docks = {e.part: e.time for e in build_timeline(d.scenario).events
             if e.kind == "dock" and not e.relocation}
    for n in (2, 3, 4):
        assert dt.datetime(2032, 2, 1, tzinfo=UTC) < docks[f"Soyuz MS crew #{n}"] \
            < dt.datetime(2032, 5, 1, tzinfo=UTC)
