"""A repair crew called up for a safe mode only a crew can clear (:func:`began`).

A component with fewer than ``min_units`` working and no degraded mode puts the station in
safe mode (:mod:`rossim.ops.fault_response`: experiments shed, attitude on thrusters) until
its repair. When only a crew can repair it (catalog ``repair_by = "crew"``) and the ground has
no way to accept the units left (no ``single_string_after_days``:
:mod:`rossim.ops.single_string`), an uncrewed station waits for the next planned crew, which
in a station visited a few times a year can be half a year away: with both thermal-control
loop pumps failed (``coolant-pump``, :mod:`rossim.ops.coolant_loop`) no loop carries heat to
the radiators, the modules warm with their dissipation and the crew that finally comes boards
a module above its crewed band, while the thrusters burn propellant for attitude all along
(ros-51.6 campaign on 2dbeacd: 51 of 200 runs had a crew boarding a module above 26.7 C with
the loop stopped).

The ground then calls up a repair crew, as for a free drift: the decision of
:meth:`rossim.ops.crew_callup.CrewCallUp.call` (no call-up when a crew aboard stays long
enough with a spare aboard, or when a planned crew docks no later than a crew called now
could; the call-up lead ``free_drift.repair_crew_lead_days``, the first allowed window, the
pad's turnaround, ports, berths, the stay, the other repairs taken over, a launch abort and
its re-flight), with two differences: the station holds attitude on its thrusters, so the
ship docks automatically in its own ``time_to_dock_h`` (not the manual profile to a drifting
station), and a spare not aboard comes as any repair's (the cargo call-up,
:mod:`rossim.ops.cargo_callup`; a crew called up packs it in its cargo,
:meth:`~rossim.ops.crew_callup.CrewCallUp._repair`). A call-up already on its way for the same
component is not doubled.

Precedent: Skylab, 1973. The workshop lost its meteoroid shield at launch (1973-05-14) and
overheated; the first crew's launch, planned for the next day, was put back to 1973-05-25 to
train and pack a repair (the parasol sunshade) and the crew's first task aboard was to bring
the temperatures down (``skylab-2``). Not called for: the control computers (none left is the
free drift, :mod:`rossim.ops.free_drift`, with its own call-up; one left, the ground's
acceptance), units repaired by the exterior robot, and units repaired on a spacewalk (a
limit: a spacewalk repair crew is not called up). Switch: ``operations.repair_crew_callup``
of the scenario (default on), as for the drift.
"""

from __future__ import annotations

from rossim.config.free_drift import load_free_drift

__all__ = ["began", "short"]

SOURCE = "skylab-2"


def short(sim, cid: str) -> bool:
    """Whether fewer than ``min_units`` of component ``cid`` work (as the autonomy counts
    them, :attr:`rossim.ops.fdir.Reliability.working`) in any module that carries it."""
    comp = sim.systems.component_by_id(cid)
    rel = getattr(sim, "reliability", None)
    if comp is None or rel is None:
        return False
    return any(c == cid and n < comp.min_units for (c, _m), n in rel.working.items())


def needs_crew(comp) -> bool:
    """Whether a safe mode from ``comp``'s loss is one only a crew clears (module
    docstring): repaired by a crew, not the control computer, no acceptance of fewer
    units."""
    return (comp.repair_by == "crew" and comp.id != load_free_drift().control_component
            and getattr(comp, "single_string_after_days", None) is None)


def began(sim, faults: list, comp) -> None:
    """Hook of :func:`rossim.ops.fault_response.respond`: ``faults`` (one detection, first
    one first) put the station in safe mode now with too few units of ``comp`` working; call
    up a repair crew when only a crew can clear it (:func:`needs_crew`) and none is on its
    way for ``comp`` already."""
    callup = getattr(sim, "crew_callup", None)
    if callup is None or not needs_crew(comp):
        return
    if any(fl["state"] == "on its way" and fl.get("component") == comp.id
           for fl in callup.flights):
        return
    f0 = faults[0]
    cause = (f"safe mode since {sim.iso(sim.engine.now_s)[:16]}: "
             f"{sim.reliability.working.get((f0.component, f0.module), 0)} of {comp.units} "
             f"{comp.name} units work, {comp.min_units} needed (fault #{f0.id}; repair by a "
             f"crew only, {SOURCE})")
    callup.call(f0, None, cause, manual=False)
