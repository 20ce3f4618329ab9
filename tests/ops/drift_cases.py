"""Shared set-up of the free-drift tests (test_crew_callup.py, test_repair_crew_tasks.py):
the short scenario (tests/data/ops/ros-short.toml) with random faults off, and a drift forced
by failing every control computer at a given time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rossim.config.scenario import load_scenario
from rossim.ops.simulation import Simulation

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"
UTC = dt.UTC


def scenario(callup: bool = True, cargo: list | None = None):
    """The short scenario, random faults off, the repair-crew call-up on or off, ``cargo``
    visits added."""
    scen = load_scenario(SHORT)
    ops = scen.operations.model_copy(update={"random_faults": False,
                                             "repair_crew_callup": callup})
    upd = {"operations": ops}
    if cargo:
        upd["cargo_visits"] = [*scen.cargo_visits, *cargo]
    return scen.model_copy(update=upd)


def drift(scen, fail_at: str) -> Simulation:
    """A simulation of ``scen`` advanced to ``fail_at`` where every control computer fails."""
    sim = Simulation(scen)
    sim.advance_to(fail_at)
    comp = sim.systems.component_by_id("computer")
    for unit in range(comp.units):
        sim.reliability.fail(comp, "station", unit, True)
    return sim


def drift_end(out) -> dt.datetime | None:
    """UTC time of the run's "free drift ended" event, None when the drift never ended."""
    ended = [e for e in out.events if e["detail"].startswith("free drift ended")]
    return ended[0]["time"].astype("datetime64[s]").item().replace(tzinfo=UTC) if ended \
        else None
