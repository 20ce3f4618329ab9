"""docs/validation.md section: each shipped scenario's module launches against the launch
model's capacity to its orbit."""

from __future__ import annotations

from rossim.config.scenario import load_scenario
from rossim.station import build_timeline


def section() -> str:
    lines = [
        "## Module launches of the shipped scenarios (`rossim.station.assembly`)",
        "",
        "Every module launch (with its adapter) against the launch model's capacity to the "
        "scenario's orbit (`rossim.station.launch`, calibrated in the section on launch "
        "performance above); `rossim validate` refuses a plan where a launch does not fit.",
        "",
        "| scenario | launcher | modules | mass kg | capacity kg | margin kg |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("ros-51.6", "ros-97", "ros-iss-start"):
        tl = build_timeline(load_scenario(name))
        for launch in tl.launches:
            lines.append(f"| {name} | {launch['launcher']} | {' + '.join(launch['modules'])} "
                         f"| {launch['mass_kg']:,.0f} | {launch['capacity_kg']:,.0f} "
                         f"| {launch['capacity_kg'] - launch['mass_kg']:,.0f} |")
    return "\n".join(lines) + "\n"
