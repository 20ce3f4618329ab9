"""Every check ``rossim run`` needs before it simulates, shared with ``rossim validate``.

A scenario that passes :func:`check_runnable` does not end in an internal error: the checks
here are those the schema (:mod:`rossim.config.scenario`) and the plan replay
(:func:`rossim.station.build_timeline`) cannot make on their own because they need the
systems catalog or the configuration over time. Each failure is one
:class:`~rossim.errors.InputError` naming the file, the field, the value and what was expected.
"""

from __future__ import annotations

from rossim.errors import InputError
from rossim.ops.commands import Command, InjectFault, from_entry


def check_runnable(scenario, timeline, systems) -> list[Command]:
    """Raise :class:`InputError` for the first problem; return the scenario's commands typed."""
    where = scenario.source_path or scenario.name
    ops = scenario.operations
    step = ops.power_step_s
    if step != int(step) or 600 % int(step):
        raise InputError(where, "operations.power_step_s", step,
                         "a whole number of seconds that divides 600 (10, 12, 15, 20, 24, 25, "
                         "30, 40, 50, 60, 75, 100, 120, 150, 200, 300 or 600)")
    orbit = scenario.orbit
    band = orbit.altitude_band_km
    if band is not None and not band[0] <= orbit.altitude_km <= band[1]:
        raise InputError(where, "orbit.altitude_km", orbit.altitude_km,
                         f"an altitude inside orbit.altitude_band_km [{band[0]:g}, {band[1]:g}]")
    known = ", ".join(c.id for c in systems.component)
    for i, f in enumerate(ops.faults):
        if systems.component_by_id(f.component) is None:
            raise InputError(where, f"operations.faults[{i}].component", f.component,
                             f"one of {known}")
    commands = []
    for i, entry in enumerate(scenario.commands):
        cmd = from_entry(entry, f"{where}: commands[{i}]")
        if isinstance(cmd, InjectFault) and systems.component_by_id(cmd.component) is None:
            raise InputError(where, f"commands[{i}].component", cmd.component, f"one of {known}")
        commands.append(cmd)
    # Berths: every crew aboard must have a place to sleep.
    for ph, cfg in zip(timeline.phases, timeline.properties, strict=True):
        if cfg.crew_aboard > cfg.crew_capacity:
            crewed = [a for a in ph.vehicles if a.crew > 0]
            who = crewed[-1].name if crewed else "crew"
            cause = ph.cause.field if ph.cause is not None else "initial"
            raise InputError(where, cause, who,
                             f"a visit whose crew fits the station's berths: {cfg.crew_aboard} "
                             f"aboard from {ph.start:%Y-%m-%d} but {cfg.crew_capacity} berths "
                             f"(modules: {', '.join(cfg.modules)})")
    return commands
