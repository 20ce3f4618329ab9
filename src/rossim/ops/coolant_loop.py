"""The pumps of the modules' thermal-control loops, as the thermal model reads them.

The catalog's ``thermal.loop_pump`` names the pump component (``catalog/systems.toml``:
``coolant-pump``, two units for the station, one needed). A ``"station"`` component drives
the loop of every module; a component of one module drives only that module's loop. A loop
runs while at least ``min_units`` of its pumps work, at its full ``loop_capacity_kw`` (no
capacity per pump: one working pump of two is the redundancy the catalog gives); with fewer it
is stopped and carries no heat to the radiators: :class:`rossim.ops.thermal.ThermalModel`
then gives the module a loop capacity of 0, so it rejects only what its hull leaks through the
MLI (the radiator panels have no conductive path to the cabin in the model) and warms with its
dissipation over its heat capacity. The heaters are electrical and work on.

A pump stops when it fails (a fault not yet repaired), not when the autonomy detects it (a
few minutes later: the detection rule's latency); it runs again when its repair is done.
The FDIR response to the loss is the autonomy's (:mod:`rossim.ops.fault_response`: safe mode
when fewer than ``min_units`` work).
"""

from __future__ import annotations

from typing import Any

from rossim.ops.fdir import fault_ids


def stopped_loops(sim: Any, modules: list[str]) -> dict[str, str]:
    """The modules of ``modules`` whose loop has too few working pumps now, each with the
    cause (``0 of 2 thermal-control loop pump units work (faults #2, #3)``); empty without a
    pump in the catalog or a reliability model."""
    pump = sim.systems.thermal.loop_pump
    rel = getattr(sim, "reliability", None)
    comp = sim.systems.component_by_id(pump) if pump else None
    if comp is None or rel is None:
        return {}
    down: dict[str, list] = {}
    for f in rel.faults:
        if f.component == comp.id and f.repaired_at is None:
            down.setdefault(f.module, []).append(f)
    out: dict[str, str] = {}
    for where, faults in down.items():
        working = comp.units - len({f.unit for f in faults})
        if working >= comp.min_units:
            continue
        cause = (f"{max(working, 0)} of {comp.units} {comp.name} units work (faults "
                 f"{fault_ids(faults)})")
        for m in modules:
            if where in ("station", m):
                out[m] = cause
    return out
