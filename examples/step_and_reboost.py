"""Step a run of the reference station and command a reboost (docs/operations.md).

    .venv/bin/python examples/step_and_reboost.py

Prints what docs/operations.md shows; tests/ops/test_examples.py checks the two agree.
"""

from rossim.config.scenario import load_scenario
from rossim.ops import Reboost, Simulation, StartActivity

sim = Simulation(load_scenario("ros-51.6"), seed=1)
sim.advance_to("2029-03-01")
print(f"{sim.now:%Y-%m-%d}: altitude {sim.orbit.altitude_m / 1e3:.2f} km, "
      f"propellant {sim.orbit.propellant_available_kg():.0f} kg, "
      f"battery {sim.power.soc:.2f}, crew {sim.config.crew_aboard}")

res = sim.command(Reboost(target_altitude_km=417.0))
print(f"reboost to 417 km: {'done' if res.accepted else 'refused'}: {res.detail or res.reason}")
res = sim.command(Reboost(target_altitude_km=410.0))
print(f"reboost to 410 km: {'done' if res.accepted else 'refused'}: {res.detail or res.reason}")
print(sim.command(StartActivity(activity="furnace", power_kw=3.0)).detail)

sim.advance_to("2029-04-01")
t, alt = sim.telemetry(["altitude_km"], since="2029-02-28T22:00")["altitude_km"]
for k in (0, 1, 2, 3, 24 * 31):
    print(f"  {str(t[k])[:16]}  {alt[k]:.3f} km")
result = sim.finish()
print(f"commands: {result.summary['commands_by_source']}, "
      f"refused {result.summary['commands_refused']}; "
      f"invariants hold: {result.summary['invariants_hold']}")
