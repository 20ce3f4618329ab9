"""Where a campaign run's re-homed cargo ship docks (rossim.campaign.plan_ports): crews first.

A cargo ship whose own port's module is late or not flown docks at another free port
(``free_port``). Before stop 32 it could take the only crew port for its whole stay (Progress
MS, 180 days) while the crews planned there waited behind it: the review of 2026-12-01 found
ros-51.6 (campaign seed 2026) run 107, Soyuz crews #2-#4 waiting from April to October 2032,
and run 29, the re-flown Soyuz crew #1 waiting from April to October 2034. A port a planned
crew needs during the stay is now taken only when no other port is free for the whole stay,
and then for a stay that ends a day (one pass a day of the planner's in-plane windows) before
that crew docks, as ISS cargo ships leave a port early for a crew.

Port layout (catalog): gateway.forward is the only drogue port a Soyuz or a Progress fits
once the logistics module is out; node's ports are hybrid-passive (growth) ports, a Progress's
probe fits them too; ``free_port`` prefers ship ports to growth ports.
"""

from __future__ import annotations

import datetime as dt

from rossim.campaign.dispersions import draw_run
from rossim.campaign.plan_ports import MIN_STAY_DAYS, PlanPorts, free_port
from rossim.config.catalog import load_catalog
from rossim.config.scenario import Visit, load_scenario

UTC = dt.UTC
T0 = dt.datetime(2030, 1, 1, tzinfo=UTC)
DAY = dt.timedelta(days=1)


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


def test_free_port_keeps_the_crew_port_for_the_crew():
    """A crew docks at gateway.forward 40 days into the Progress's 180-day stay: the
    Progress goes to the free growth port (node.forward) instead of the crew's port
    (before: gateway.forward, ship ports first)."""
    ports = _ports()
    crew_dock = T0 + 40 * DAY
    needs = {"gateway.forward": (crew_dock, "Soyuz Y")}
    args = (load_catalog(), "progress-ms", T0, 180.0, ports.module_dock, ports.module_port,
            ports.busy_until)
    assert free_port(*args) == "gateway.forward"              # no crew known: ship port
    assert free_port(*args, needs) == "node.forward"          # crews first
    # a crew that docks only after the stay (and the day's margin) leaves the port free
    later = {"gateway.forward": (T0 + 182 * DAY, "Soyuz Y")}
    assert free_port(*args, later) == "gateway.forward"


def test_free_port_shortens_the_stay_when_the_crew_port_is_the_only_one():
    """No growth port left: with a minimum stay the Progress takes gateway.forward until a
    day before the crew docks; without one (or with too little time) there is no port."""
    ports = _ports(node_forward_taken=True)
    args = (load_catalog(), "progress-ms", T0, 180.0, ports.module_dock, ports.module_port,
            ports.busy_until)
    needs = {"gateway.forward": (T0 + 40 * DAY, "Soyuz Y")}
    assert free_port(*args, needs) is None
    assert free_port(*args, needs, MIN_STAY_DAYS) == "gateway.forward"
    soon = {"gateway.forward": (T0 + 1.5 * DAY, "Soyuz Y")}     # 0.5 d before the margin
    assert free_port(*args, soon, MIN_STAY_DAYS) is None


def test_place_leaves_the_crew_port_a_day_before_the_crew_docks():
    """PlanPorts.place (what fly_plan asks): the re-homed Progress's stay at the crew's port
    ends one day before the crew's earliest docking (its lift-off plus 3.3 h to dock), with
    the note that says why; the crew then finds the port free at its own date."""
    ports = _ports(node_forward_taken=True)
    cat = load_catalog()
    crew_lift_off = T0 + 40 * DAY
    soyuz = _soyuz(crew_lift_off)
    ports.need(0, crew_lift_off, soyuz)
    prog = _progress()
    placed = ports.place(T0, "cargo", prog)
    assert placed.dropped is None and placed.launch == T0
    assert placed.update["port"] == "gateway.forward"
    to_dock = dt.timedelta(hours=cat.vehicles["progress-ms"].time_to_dock_h.value)
    crew_dock = crew_lift_off + dt.timedelta(hours=cat.vehicles["soyuz-ms"].time_to_dock_h.value)
    undock = T0 + to_dock + dt.timedelta(days=placed.update["duration_days"])
    assert abs((crew_dock - DAY - undock).total_seconds()) < 1.0
    assert "Progress X: leaves gateway.forward early for Soyuz Y" in placed.notes
    ports.take(T0, prog, placed)
    assert ports.place(crew_lift_off, "crew", soyuz).launch == crew_lift_off
    # once the crew has flown its port is no longer held: a full stay again
    ports.needed(0)
    assert "duration_days" not in ports.place(T0, "cargo", prog).update


def test_run_107_crews_do_not_wait_behind_a_re_homed_progress():
    """ros-51.6, campaign seed 2026, run 107 (NEM-1 lost and re-flown, the core, logistics,
    production and platform modules after the span): Progress MS (logistics port) #1 goes to
    node.forward (the core's port, free for the span) and the Soyuz crews #2-#4, waiting
    for the stand-down after Progress MS #1's loss (crews from 2032-04-23), fly a month
    apart from then, not from October 2032 behind the Progress at gateway.forward."""
    d = draw_run(load_scenario("ros-51.6"), 2026, 107)
    assert "Progress MS (logistics port) #1: docks at node.forward (logistics not flown)" \
        in d.events
    crews = {v.name: v.launch for v in d.scenario.crew_visits}
    assert crews["Soyuz MS crew #2"] < dt.datetime(2032, 4, 25, tzinfo=UTC)
    assert crews["Soyuz MS crew #4"] < dt.datetime(2032, 7, 1, tzinfo=UTC)


def test_run_29_a_re_homed_progress_leaves_before_the_re_flown_crew():
    """ros-51.6, campaign seed 2026, run 29: Progress MS (logistics port) #4 lifts off
    2034-04-12 while its module docks only in July; every growth port is a module's before
    its 180 days are out, so it takes gateway.forward, and leaves it a day before the re-flown
    Soyuz MS crew #1 docks (2034-04-29), instead of holding it until October."""
    d = draw_run(load_scenario("ros-51.6"), 2026, 29)
    assert ("Progress MS (logistics port) #4: leaves gateway.forward early for "
            "Soyuz MS crew #1 (re-flown)") in d.events
    visits = {v.name: v for v in (*d.scenario.crew_visits, *d.scenario.cargo_visits)}
    prog, crew = visits["Progress MS (logistics port) #4"], visits["Soyuz MS crew #1 (re-flown)"]
    assert prog.port == crew.port == "gateway.forward"
    undock = prog.launch + dt.timedelta(hours=3.3, days=prog.duration_days)
    assert undock <= crew.launch + dt.timedelta(hours=3.3) - DAY + dt.timedelta(seconds=1)
    assert crew.launch < dt.datetime(2034, 5, 1, tzinfo=UTC)
