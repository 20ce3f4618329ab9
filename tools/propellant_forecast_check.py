"""The planner's propellant forecast against what a run burned, by cause (docs/operations.md).

    .venv/bin/python tools/propellant_forecast_check.py [SCENARIO] [--run N] [--seed 2026]

Runs SCENARIO (default ros-51.6; with ``--run N`` the campaign's run N drawn with ``--seed``,
as ``rossim campaign`` draws it) and prints a Markdown table: per cause, the forecast of
:mod:`rossim.station.propellant_forecast` for the plan as flown (the run's final timeline,
call-ups included), without ``logistics.propellant_forecast_margin``, and the run's ledger
(``summary.json`` -> ``propellant_by_cause_kg``). The drag make-up is also compared with what
the run's own density and ballistic coefficient give hour by hour (the orbit history), which
the reboosts pay in lumps. About 30-60 s.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario", nargs="?", default="ros-51.6")
    ap.add_argument("--run", type=int, help="campaign run number (default: the scenario as is)")
    ap.add_argument("--seed", type=int, default=2026, help="campaign seed (with --run)")
    a = ap.parse_args(argv)

    from rossim.campaign.dispersions import draw_run
    from rossim.config.power_loads import with_power_loads
    from rossim.config.scenario import load_scenario
    from rossim.config.systems import load_systems
    from rossim.constants import GM_EARTH_M3_S2, R_EQ_M
    from rossim.dynamics.decay import rotation_factor
    from rossim.ops.simulation import simulate
    from rossim.station import propellant_forecast as pf
    from rossim.station.plan_days import day_grid, plan_days

    scenario = load_scenario(a.scenario)
    seed = scenario.seed
    if a.run is not None:
        d = draw_run(scenario, a.seed, a.run)
        scenario, seed = d.scenario, d.seed
    res = simulate(scenario, seed=seed)
    systems = with_power_loads(load_systems(), scenario)   # the run's (Simulation)
    s = res.summary
    tl = res.timeline
    days = day_grid(tl.scenario)
    p = plan_days(tl, days, systems.propulsion)
    r = pf.forecast_rates(tl.scenario, days, systems)
    there = p["there"]
    fc = pf.use_by_cause_kg_day(r, p["mass_kg"], p["drag_area_m2"], p["arrivals"])
    fc = {k: float(np.where(there, v, 0.0).sum()) for k, v in fc.items()}
    by = s["propellant_by_cause_kg"]
    run = {k: by[k] for k in fc}
    # the drag make-up the run's own density and ballistic coefficient give, hour by hour
    o = res.orbit
    t = o.epochs.astype("datetime64[s]").astype(float)
    dt = np.diff(t, append=t[-1] + 3600.0) if t.size else t
    ok = np.isfinite(o.density_kg_m3) & (o.mass_kg > 0)
    floor, top = pf.altitude_band_km(tl.scenario.orbit)
    f_rot = float(rotation_factor(R_EQ_M + 0.5 * (floor + top) * 1e3,
                                  np.radians(tl.scenario.orbit.inclination_deg)))
    isp = systems.propulsion.station_isp_s.value
    hourly = float((f_rot * 0.5 * o.density_kg_m3 * GM_EARTH_M3_S2 / (R_EQ_M + o.altitude_m)
                    * o.ballistic_m2_kg * o.mass_kg * dt / (isp * pf.G0))[ok].sum())
    biased = float(pf.sun_biased_days(tl.scenario, days, systems.power)[there].mean())
    name = a.scenario + (f" run {a.run} (seed {a.seed})" if a.run is not None else "")
    print(f"{name}: {len(days)} days; forecast without its margin "
          f"{systems.logistics.propellant_forecast_margin.value:g}\n")
    print("| cause | forecast kg | run kg | forecast / run |")
    print("|---|---|---|---|")
    for k in fc:
        ratio = fc[k] / run[k] if run[k] > 0 else float("nan")
        name_k = "reboost (drag make-up)" if k == "reboost" else k
        print(f"| {name_k} | {fc[k]:,.0f} | {run[k]:,.0f} | {ratio:.3f} |")
    tf, tr = sum(fc.values()), sum(run.values())
    print(f"| all | {tf:,.0f} | {tr:,.0f} | {tf / tr:.3f} |")
    print(f"\ndrag make-up from the run's hourly density and ballistic coefficient: "
          f"{hourly:,.0f} kg (forecast / that {fc['reboost'] / hourly:.3f}); "
          f"days sun-biased: forecast {biased:.3f}, run "
          f"{float(np.nanmean(res.power.sun_biased)):.3f} of its 10-min bins")
    flown = float(o.mass_kg[o.mass_kg > 0].mean()) / 1e3
    print(f"mean mass while the station flies: flown {flown:.1f} t "
          f"(the orbit history, hourly), plan {float(p['mass_kg'][there].mean()) / 1e3:.1f} t "
          "(the timeline's phases, daily)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
