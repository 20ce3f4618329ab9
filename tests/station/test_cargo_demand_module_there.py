"""The cargo-by-demand planner sends a ship only to a port whose module is attached.

Found while fixing the plan's error messages (stop 48): ros-51.6 with its first
``cargo_demand`` entry's ``first_launch`` moved to 2028-01-05 planned Progress MS #1 to
node.starboard for 2028-06-14, three days before the node docks (2028-06-17), and the
scenario was refused ("node, the module carrying the port, docks only on 2028-06-17"). A port
of a module not yet there is not free (reference: the ISS plan, no ship flies to a port before
its module is berthed, e.g. Prichal's ports first used by Soyuz MS-21 after its docking)."""

from __future__ import annotations

from rossim.config.catalog import load_catalog
from rossim.config.scenario import load_scenario
from rossim.station import build_timeline
from rossim.station.logistics import resolve_logistics


def test_no_demand_flight_before_its_ports_module():
    scen = load_scenario("ros-51.6")
    first = scen.cargo_demand[0].model_copy(update={"first_launch": scen.span.start.replace(
        year=2028, month=1, day=5)})
    scen = scen.model_copy(update={"cargo_demand": [first, *scen.cargo_demand[1:]]})
    resolved = resolve_logistics(scen, load_catalog())[0]
    tl = build_timeline(resolved)          # refused before: a ship to a module not yet there
    node = next(e.time for e in tl.events if e.part == "node" and e.kind == "dock")
    docks = [e.time for e in tl.events if e.kind == "dock" and e.port == "node.starboard"
             and e.part_kind == "vehicle"]
    assert docks and min(docks) > node
