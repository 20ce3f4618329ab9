"""docs/validation.md section: the operations simulation's decay model against rossim's
numerical propagator and the published ISS figures, and the reference run's reboost budget
next to the ISS's."""

from __future__ import annotations

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.config.scenario import load_scenario
from rossim.dynamics.decay import MU_EARTH_M3_S2, R_EQ_M, decay_rate_m_s, orbit_average_density
from rossim.environment.spaceweather import ConstantWeather


def _decay_vs_numerical() -> tuple[float, float]:
    from rossim.dynamics.forces import ForceModel
    from rossim.dynamics.propagator import propagate

    weather = ConstantWeather(150, 150, 15)
    epoch = Time("2028-03-01T00:00:00", scale="utc")
    a0, inc = R_EQ_M + 400e3, np.radians(51.6)
    v = np.sqrt(MU_EARTH_M3_S2 / a0)
    traj = propagate(np.array([a0, 0, 0]), np.array([0, v * np.cos(inc), v * np.sin(inc)]),
                     epoch, 3 * 86400.0, 60.0,
                     forces=ForceModel(gravity="point", drag="nrlmsise00", weather=weather,
                                       cd=2.2, area_m2=300.0, mass_kg=50000.0))
    rn = np.linalg.norm(traj.r_gcrf_m, axis=1)
    vn = np.linalg.norm(traj.v_gcrf_m_s, axis=1)
    a = 1.0 / (2.0 / rn - vn**2 / MU_EARTH_M3_S2)
    k = int(round(2 * np.pi * np.sqrt(a0**3 / MU_EARTH_M3_S2) / 60.0))
    t = epoch + TimeDelta(np.arange(4) * 86400.0, format="sec")
    rho = orbit_average_density(t, [400e3], inc, np.zeros(4), weather)[:, 0]
    mean = decay_rate_m_s(a0, rho.mean(), 2.2 * 300 / 50000, inc) * (len(a) - k) * 60.0
    return float(a[-k:].mean() - a[:k].mean()), float(mean)


def _iss_month() -> float:
    weather = ConstantWeather(120, 120, 10)
    t = Time("2022-06-01T00:00:00", scale="utc") + TimeDelta(np.arange(30) * 86400.0,
                                                             format="sec")
    inc = np.radians(51.64)
    rho = orbit_average_density(t, [415e3], inc, np.linspace(0, 2, 30), weather)[:, 0]
    return float(-decay_rate_m_s(R_EQ_M + 415e3, rho, 2.5 * 1606.8 / 458943.0,
                                 inc).mean() * 30 * 86400 / 1e3)


def section() -> str:
    from rossim.ops.simulation import simulate

    num, mean = _decay_vs_numerical()
    month = _iss_month()
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
