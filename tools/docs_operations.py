"""docs/validation.md section: the operations simulation's decay model against rossim's
numerical propagator and the published ISS figures, and the reference run's reboost budget
next to the ISS's."""

from __future__ import annotations

from rossim.config.scenario import load_scenario
from rossim.validation.decay import decay_vs_numerical, iss_decay_km_per_month


def section() -> str:
    from rossim.ops.simulation import simulate

    num, mean = decay_vs_numerical()
    month = iss_decay_km_per_month()
    s = simulate(load_scenario("ros-51.6")).summary
    lines = [
        "## Operations simulation: orbit decay and reboosts (`rossim.ops`)",
        "",
        "| check | reference | rossim | source of the reference |",
        "|---|---|---|---|",
        f"| semi-major-axis loss, 3 days, 400 km, 51.6 deg, Cd A/m = 0.0132 m^2/kg, "
        f"F10.7 150 | {num:.1f} m (numerical propagation, NRLMSISE-00) | {mean:.1f} m "
        f"(orbit-averaged model, {100 * (mean - num) / num:+.1f} %) | rossim propagator, "
        "itself tested against Orekit |",
        f"| ISS decay without reboost, moderate activity (F10.7 120), 415 km | roughly 2 km "
        f"per month | {month:.2f} km per month | ros-facts.md (press); ISS mass/area from the "
        "NASA/JSC OEM 2022 |",
        f"| ISS propellant per year | ~7,000 kg (altitude, debris avoidance, attitude; ISS "
        f"then flew lower) | {s['iss_model_propellant_kg_per_year']:,.0f} kg for drag alone, "
        "same years as the reference run | ros-facts.md (ISS propulsion study 2004) |",
        "",
        f"Reference run (`rossim run ros-51.6`, seed {s['seed']}): "
        f"{s['reboosts']} reboosts, {s['reboost_dv_m_s_per_year']:.1f} m/s a year; "
        f"{s['propellant_kg_per_year']:,.0f} kg of propellant a year for all causes ("
        + ", ".join(f"{k} {v:,.0f} kg" for k, v in s["propellant_by_cause_kg"].items())
        + f" over the run); de-orbit reserve held {s['deorbit_reserve']['held_kg']:,.0f} kg; "
        f"mean altitude {s['mean_altitude_km']:.1f} km.",
        "",
        "| year | mean F10.7 (sfu) | station reboost dv (m/s) | reboost propellant (kg) | "
        "ISS by the same model (kg) |",
        "|---|---|---|---|---|",
    ]
    for y, v in s["reboost_by_year"].items():
        iss = s["iss_model_by_year"].get(y, {}).get("propellant_kg", float("nan"))
        lines.append(f"| {y} | {v['mean_f107']:.0f} | {v['dv_m_s']:.1f} | "
                     f"{v['propellant_kg']:,.0f} | {iss:,.0f} |")
    return "\n".join(lines) + "\n"
