"""Every check ``rossim run`` needs before it simulates, shared with ``rossim validate``.

A scenario that passes :func:`check_runnable` does not end in an internal error: the checks
here are those the schema (:mod:`rossim.config.scenario`) and the plan replay
(:func:`rossim.station.build_timeline`) cannot make on their own because they need the
systems catalog or the configuration over time. Each failure is one
:class:`~rossim.errors.InputError` naming the file, the field, the value and what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
import os

import numpy as np

from rossim.config.power_loads import with_power_loads
from rossim.errors import InputError
from rossim.ops.commands import Command, InjectFault, from_entry
from rossim.ops.thermal import (
    K0,
    ThermalModel,
    module_dissipation_w,
    module_nodes,
    steady_heater_w,
)
from rossim.systems.power import sustainable_load_kw
from rossim.systems.thermal import environment_fluxes

#: Obliquity of the ecliptic (deg): the largest beta is inclination + 23.44 deg.
OBLIQUITY_DEG = 23.44


def phase_power_balance(scenario, timeline, systems) -> list[dict]:
    """End-of-life energy balance of every phase at its worst beta angle.

    For each phase: the arrays attached, aged from each module's arrival to the phase end
    (``power.array_degradation_per_year``), summed per tracking mode; the load demanded with
    the phase's crew (housekeeping per module and mode, life support, experiments); and the
    sustainable load of one orbit (:func:`rossim.systems.power.orbit_power_balance`, every beta
    at once with :func:`~rossim.systems.power.sustainable_load_kw`) over beta
    from 0 to ``min(i + 23.44, 90)`` deg in 1 deg steps, in the attitude the autonomy would fly
    (sun-biased above ``power.sun_bias_above_beta_deg``). The demand includes the heaters
    that hold the modules at their heater set point in steady state at that beta
    (:func:`rossim.ops.thermal.steady_heater_w`: MLI losses less the modules' own
    dissipation; the cold case is the low-beta orbit with the longest eclipse). Returns one
    dict per phase: ``start``, ``end``, ``worst_beta_deg``, ``sustainable_kw``, ``demand_kw``
    (heaters included), ``heater_kw``, ``margin_kw``.
    """
    systems = with_power_loads(systems, scenario)  # the scenario's [power] loads
    pw = systems.power
    th = systems.thermal
    cat = timeline.catalog
    d = pw.array_degradation_per_year.value
    inc = scenario.orbit.inclination_deg
    betas = range(0, int(min(inc + OBLIQUITY_DEG, 90.0)) + 1)
    beta_rad = [math.radians(b) for b in betas]
    biases = [math.radians(pw.sun_bias_max_deg.value)
              if b > pw.sun_bias_above_beta_deg.value else 0.0 for b in betas]
    beta_arr = np.array(beta_rad, dtype=float)
    bias_arr = np.array(biases, dtype=float)
    ts4 = [float(environment_fluxes(br, scenario.orbit.altitude_km, bias,
                                    (th.mli_alpha.value, th.mli_epsilon.value),
                                    (th.radiator_alpha.value, th.radiator_epsilon.value)
                                    )["ts4"]) for br, bias in zip(beta_rad, biases, strict=True)]
    arrival: dict[str, object] = {}
    rows = []
    for ph, cfg in zip(timeline.phases, timeline.properties, strict=True):
        for m in cfg.modules:
            arrival.setdefault(m, ph.start)
        caps: dict[str, float] = {}
        for m in cfg.modules:
            kw = cat.modules[m].solar_array_power_kw.value
            if kw == 0:
                continue
            age_y = (ph.end - arrival[m]).total_seconds() / (365.25 * 86400.0)
            mode = pw.tracking(m)
            caps[mode] = caps.get(mode, 0.0) + kw * (1.0 - d) ** max(age_y, 0.0)
        crewed = cfg.crew_aboard > 0
        demand = (sum(pw.housekeeping_kw(m, crewed) for m in cfg.modules)
                  + pw.crew_kw_per_person.value * cfg.crew_aboard
                  + (pw.experiments_kw_crewed.value if crewed
                     else pw.experiments_kw_automatic.value))
        thermal = [m for m in cfg.modules if ThermalModel._modelled(cat, m)]
        nodes = module_nodes(cat, th, thermal)
        q_int = module_dissipation_w(pw, th, nodes, thermal, cfg.crew_aboard)
        t_heat_k = th.limits_c(crewed)[0] + th.heater_margin_k.value + K0
        heater_kw = steady_heater_w(nodes, q_int, ts4, t_heat_k) / 1e3
        # every beta at once (the same figures to the bit as one orbit_power_balance per beta)
        sustainable = sustainable_load_kw(caps, beta_arr, scenario.orbit.altitude_km,
                                          pw.charge_efficiency.value, bias_arr, n=360,
                                          discharge_efficiency=pw.discharge_efficiency.value)
        heater = np.asarray(heater_kw, dtype=float)
        k = int(np.argmin(sustainable - demand - heater))  # the first of equal margins
        worst = (betas[k], float(sustainable[k]), float(heater[k]),
                 float(sustainable[k] - demand - heater[k]))
        rows.append({"start": ph.start, "end": ph.end, "worst_beta_deg": float(worst[0]),
                     "sustainable_kw": float(worst[1]), "demand_kw": float(demand + worst[2]),
                     "heater_kw": float(worst[2]), "margin_kw": float(worst[3]),
                     "crew": cfg.crew_aboard, "modules": tuple(cfg.modules)})
    return rows


def as_scenario(scenario):
    """``scenario`` as a :class:`~rossim.config.scenario.Scenario`: a validated one as is, a
    shipped scenario's name or a TOML file's path loaded
    (:func:`~rossim.config.scenario.load_scenario`, its InputError for a bad file); anything
    else an :class:`~rossim.errors.InputError` naming the argument."""
    from rossim.config.scenario import Scenario, load_scenario

    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, str | os.PathLike):
        return load_scenario(scenario)
    raise InputError("argument", "scenario", type(scenario).__name__,
                     "a Scenario (rossim.config.scenario.load_scenario), a shipped "
                     "scenario's name or a scenario file's path")


def check_runnable(scenario, timeline, systems) -> list[Command]:
    """Raise :class:`InputError` for the first problem; return the scenario's commands typed."""
    where = scenario.source_path or scenario.name
    ops = scenario.operations
    step = ops.power_step_s
    if step != int(step) or 600 % int(step):
        raise InputError(where, "operations.power_step_s", step,
                         "a whole number of seconds that divides 600 (10, 12, 15, 20, 24, 25, "
                         "30, 40, 50, 60, 75, 100, 120, 150, 200, 300 or 600)")
    # The run starts when the first module docks: that must happen inside the span (a launch
    # near the span end can dock after it, its climb taking days).
    if timeline.phases and timeline.phases[0].start >= scenario.span.end:
        first = timeline.phases[0]
        what = (f"{first.cause.part} ({first.cause.field})" if first.cause is not None
                else "the first module")
        raise InputError(where, "span.end", f"{scenario.span.end:%Y-%m-%d}",
                         f"a date after the first module docks: {what} docks "
                         f"{first.start:%Y-%m-%d %H:%M} UTC, after its climb")
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
        # before the first module docks there is no station: the run starts then, and such a
        # command was executed at the start, days late, without a word
        if timeline.phases and cmd.at is not None and cmd.at < timeline.phases[0].start:
            written = (f"{cmd.at:%Y-%m-%d}" if cmd.at.time() == dt.time(0)
                       else f"{cmd.at:%Y-%m-%dT%H:%M:%SZ}")
            raise InputError(where, f"commands[{i}].at", written,
                             f"a time on or after the first module docks "
                             f"({timeline.phases[0].start:%Y-%m-%d %H:%M} UTC)")
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
    # Power: every phase's end-of-life balance at its worst beta must be positive.
    if not ops.accept_power_deficit:
        for row in phase_power_balance(scenario, timeline, systems):
            if row["margin_kw"] < 0.0:
                raise InputError(
                    where, "operations.accept_power_deficit", False,
                    f"a station whose arrays carry its loads: from {row['start']:%Y-%m-%d} "
                    f"({', '.join(row['modules'])}; {row['crew']} crew) the arrays sustain "
                    f"{row['sustainable_kw']:.1f} kW at end of life at beta "
                    f"{row['worst_beta_deg']:.0f} deg against a load of {row['demand_kw']:.1f} "
                    f"kW (heaters {row['heater_kw']:.1f} kW); add arrays, lower the loads, or set operations.accept_power_deficit "
                    "= true to run an undersized station on purpose")
    return commands
