"""``rossim validate SCENARIO``: check a scenario file: schema, plan and everything
``rossim run`` checks before it simulates (:func:`rossim.ops.preflight.check_runnable`)."""

from __future__ import annotations

import argparse

from rossim.cli._common import console
from rossim.config.scenario import load_scenario
from rossim.station import build_timeline


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check a scenario file (schema, ports, launch masses)",
                       description="Check a scenario: schema, catalog references, docking "
                       "ports, free-flyer deployment ports, parents, launch masses, dates. "
                       "Exit 0 if valid, 2 if not.")
    p.add_argument("scenario", help="scenario TOML file, or the name of a shipped scenario")
    p.set_defaults(func=run)


def check_deployment_ports(scenario, timeline) -> None:
    """Every free-flyer deployment's port is a payload port of a module attached at its date
    (the same check ``rossim fleet`` makes, :func:`rossim.fleet.deployment.resolve_port`),
    and every module, port and ship the ``[[evas]]`` and ``[[commands]]`` name is one of the
    plan's (:func:`rossim.ops.references.check_references`)."""
    from rossim.fleet.deployment import resolve_port
    from rossim.ops.references import check_references

    check_references(scenario, timeline)

    for i, dep in enumerate(scenario.free_flyers.deployments):
        resolve_port(timeline, dep.port, dep.date, where=scenario.source_path,
                     field=f"free_flyers.deployments[{i}].port")


def run(args: argparse.Namespace) -> int:
    from rossim.config.systems import load_systems
    from rossim.ops.preflight import check_runnable, phase_power_balance

    scenario = load_scenario(args.scenario)
    timeline = build_timeline(scenario)
    commands = check_runnable(scenario, timeline, load_systems())  # all that `run` checks
    check_deployment_ports(scenario, timeline)
    done = timeline.assembly_complete
    console().print(
        f"{scenario.source_path}: valid. {len(timeline.module_events)} module events, "
        f"{sum(1 for e in timeline.events if e.part_kind == 'vehicle' and e.kind == 'dock')} "
        f"visits, {len(commands)} commands, assembly complete "
        f"{done.date() if done else 'n/a'}."
        + (f" monte_carlo: {_dispersions(scenario)} dispersed inputs."
           if scenario.monte_carlo else "")
    )
    rows = phase_power_balance(scenario, timeline, load_systems())
    if rows:
        tight = min(rows, key=lambda r: r["margin_kw"])
        console().print(
            f"power: tightest end-of-life margin {tight['margin_kw']:.1f} kW from "
            f"{tight['start']:%Y-%m-%d} ({tight['crew']} crew, beta {tight['worst_beta_deg']:.0f}"
            f" deg): arrays {tight['sustainable_kw']:.1f} kW against {tight['demand_kw']:.1f} kW"
            f" of load, heaters {tight['heater_kw']:.2f} kW of it.")
    return 0


def _dispersions(scenario) -> int:
    mc = scenario.monte_carlo
    return sum(1 for name in type(mc).model_fields if name != "seed" and getattr(mc, name))
