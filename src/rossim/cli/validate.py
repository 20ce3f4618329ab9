"""``rossim validate SCENARIO``: check a scenario file: schema, plan and everything
``rossim run`` checks before it simulates (:func:`rossim.ops.preflight.check_runnable`), and
print what the plan does that the file does not say: launches slipped (by a pad's turnaround
or a port's order, with the cause), crew ships relocated, dockings and undockings held for the
station's traffic (one at a time), EVAs waiting for their crew, and as
warnings modules or visits slipped past the span's end (:func:`rossim.ops.plan_review.
review_plan`)."""

from __future__ import annotations

import argparse

from rossim.cli._common import console
from rossim.config.scenario import load_scenario
from rossim.station import build_timeline


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check a scenario file (schema, ports, launch masses)",
                       description="Check a scenario: schema, catalog references, docking "
                       "ports, free-flyer deployment ports, parents, launch masses, dates, the "
                       "crew of each planned EVA; then list what the plan does that the file "
                       "does not say (launches slipped and why, crew ships relocated, "
                       "dockings and undockings held for the station's traffic, EVAs "
                       "waiting for their crew; warnings for modules or visits slipped past "
                       "the span's end). Exit 0 if valid, 2 if not.")
    p.add_argument("scenario", help="scenario TOML file, or the name of a shipped scenario")
    p.set_defaults(func=run)


def check_deployment_ports(scenario, timeline) -> list[tuple[str, str]]:
    """Every free-flyer deployment's port is a payload port of a module attached at its date
    (the same check ``rossim fleet`` makes, :func:`rossim.fleet.deployment.resolve_port`),
    every module, port and ship the ``[[evas]]`` and ``[[commands]]`` name is one of the
    plan's (:func:`rossim.ops.references.check_references`), no module an entry needs docks
    after the span's end and every EVA has its crew (:func:`rossim.ops.plan_review.
    review_plan`). Returns that review's notes ``(kind, text)``."""
    from rossim.config.systems import load_systems
    from rossim.fleet.deployment import resolve_port
    from rossim.ops.plan_review import review_plan

    notes = review_plan(scenario, timeline, load_systems())   # check_references included

    for i, dep in enumerate(scenario.free_flyers.deployments):
        resolve_port(timeline, dep.port, dep.date, where=scenario.source_path,
                     field=f"free_flyers.deployments[{i}].port")
    return notes


def run(args: argparse.Namespace) -> int:
    from rossim.config.systems import load_systems
    from rossim.ops.preflight import check_runnable, phase_power_balance

    scenario = load_scenario(args.scenario)
    timeline = build_timeline(scenario)
    commands = check_runnable(scenario, timeline, load_systems())  # all that `run` checks
    notes = check_deployment_ports(scenario, timeline)
    done = timeline.assembly_complete
    late = " (after the span's end)" if done and done > scenario.span.end else ""
    console().print(
        f"{scenario.source_path}: valid. {len(timeline.module_events)} module events, "
        f"{sum(1 for e in timeline.events if e.part_kind == 'vehicle' and e.kind == 'dock')} "
        f"visits, {len(commands)} commands, assembly complete "
        f"{done.date() if done else 'n/a'}{late}."
        + (f" monte_carlo: {_dispersions(scenario)} dispersed inputs."
           if scenario.monte_carlo else ""), soft_wrap=True
    )
    rows = phase_power_balance(scenario, timeline, load_systems())
    if rows:
        tight = min(rows, key=lambda r: r["margin_kw"])
        console().print(
            f"power: tightest end-of-life margin {tight['margin_kw']:.1f} kW from "
            f"{tight['start']:%Y-%m-%d} ({tight['crew']} crew, beta {tight['worst_beta_deg']:.0f}"
            f" deg): arrays {tight['sustainable_kw']:.1f} kW against {tight['demand_kw']:.1f} kW"
            f" of load, heaters {tight['heater_kw']:.2f} kW of it.")
    for kind, text in notes:   # what the plan does that the file does not say
        console().print(f"{kind}: {text}", markup=False, soft_wrap=True)
    return 0


def _dispersions(scenario) -> int:
    mc = scenario.monte_carlo
    return sum(1 for name in type(mc).model_fields if name != "seed" and getattr(mc, name))
