"""``rossim validate SCENARIO``: check a scenario file (schema and plan)."""

from __future__ import annotations

import argparse

from rossim.cli._common import console
from rossim.config.scenario import load_scenario
from rossim.station import build_timeline


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check a scenario file (schema, ports, launch masses)",
                       description="Check a scenario: schema, catalog references, docking "
                       "ports, parents, launch masses, dates. Exit 0 if valid, 2 if not.")
    p.add_argument("scenario", help="scenario TOML file, or the name of a shipped scenario")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    timeline = build_timeline(scenario)
    done = timeline.assembly_complete
    console().print(
        f"{scenario.source_path}: valid. {len(timeline.module_events)} module events, "
        f"{sum(1 for e in timeline.events if e.part_kind == 'vehicle' and e.kind == 'dock')} "
        f"visits, assembly complete {done.date() if done else 'n/a'}."
        + (f" monte_carlo: {_dispersions(scenario)} dispersed inputs."
           if scenario.monte_carlo else "")
    )
    return 0


def _dispersions(scenario) -> int:
    mc = scenario.monte_carlo
    return sum(1 for name in type(mc).model_fields if name != "seed" and getattr(mc, name))
