"""docs/validation.md section: the launch-performance model against published figures, and
what it gives for each shipped scenario's modules."""

from __future__ import annotations

from rossim.config.catalog import load_catalog
from rossim.config.scenario import load_scenario
from rossim.station import build_timeline
from rossim.station.launch import payload_kg


def section() -> str:
    cat = load_catalog()
    a5 = cat.launchers["angara-a5"]
    vost, ples = cat.sites["vostochny-1a"], cat.sites["plesetsk-35"]
    rows = [
        ("Angara A5, Vostochny, ~200 km, due east", 24500,
         payload_kg(a5, vost, 200, vost.lat_deg.value, raise_orbit=False),
         "Khrunichev/TASS: 24-24.5 t (calibration point)"),
        ("Angara A5, Plesetsk, ~200 km, due east", 24000,
         payload_kg(a5, ples, 200, ples.lat_deg.value, raise_orbit=False, home=vost),
         "TASS: ~0.5 t less than from Vostochny"),
    ]
    lines = [
        "## Launch performance (`rossim.station.launch`)",
        "",
        "| case | published kg | rossim kg | difference | source |",
        "|---|---|---|---|---|",
    ]
    for name, pub, model, src in rows:
        lines.append(f"| {name} | {pub:,.0f} | {model:,.0f} | {100 * (model - pub) / pub:+.1f} % "
                     f"| {src} |")
    lines += [
        "",
        "Launches of the shipped scenarios (module mass incl. adapter against the model's "
        "capacity to the scenario orbit; estimates):",
        "",
        "| scenario | launch | modules | mass kg | capacity kg | margin kg |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("ros-51.6", "ros-97", "ros-iss-start"):
        tl = build_timeline(load_scenario(name))
        for launch in tl.launches:
            lines.append(f"| {name} | {launch['launcher']} | {' + '.join(launch['modules'])} "
                         f"| {launch['mass_kg']:,.0f} | {launch['capacity_kg']:,.0f} "
                         f"| {launch['capacity_kg'] - launch['mass_kg']:,.0f} |")
    return "\n".join(lines) + "\n"
