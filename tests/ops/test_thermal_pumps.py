"""The coolant pumps drive the modules' thermal-control loops (rossim.ops.coolant_loop).

plan2026 (fault #3, 2029-06-02 to 07-21): "0 of 2 units work" of the coolant pump for 49 days,
yet NEM-1's radiators went on rejecting 0.26-2.3 kW and every module held exactly 22.0 degC:
the thermal model never read the pumps. With no working pump the loop carries no heat to the
radiators: the module rejects only what its hull leaks through the MLI and warms as the
lumped node's energy balance gives, ``dT/dt = (Q_in - Q_leak) / (m c)`` with ``Q_leak = e*
sigma A (T^4 - T_o^4)`` (Gilmore, *Spacecraft Thermal Control Handbook*, vol. 1, ch. 2,
lumped capacitance); one working pump of two runs the loop (the catalog's ``min_units``).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from rossim.config.scenario import load_scenario
from rossim.ops import InjectFault, Simulation
from rossim.ops.coolant_loop import stopped_loops
from rossim.ops.thermal import module_dissipation_w
from rossim.systems.thermal import environment_fluxes

TINY = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"  # NEM-1 alone
K0 = 273.15
HOUR = np.timedelta64(1, "h")


def _hours(tab, t0: str, t1: str):
    t = tab["time"]
    return (t >= np.datetime64(t0)) & (t < np.datetime64(t1))


def test_no_working_coolant_pump_stops_the_loop_and_the_module_warms_as_its_balance_gives():
    sim = Simulation(load_scenario(TINY))
    sim.advance_to("2028-01-10")
    assert sim.module_temperature_c("nem1") == 22.0          # held by the loop
    assert sim.command(InjectFault(component="coolant-pump")).accepted
    sim.advance_to("2028-01-10T01:00")
    # one pump of two: the loop runs (redundancy), the set point holds
    assert stopped_loops(sim, ["nem1"]) == {}
    assert sim.module_temperature_c("nem1") == 22.0
    assert sim.command(InjectFault(component="coolant-pump")).accepted
    assert "0 of 2 thermal-control loop pump units work (faults #1-#2)" in \
        stopped_loops(sim, ["nem1"])["nem1"]
    sim.advance_to("2028-01-25")
    assert sim.state.safe_mode                     # the FDIR response to the lost pumps
    tab = sim.thermal.table(sim)

    # the loop carries nothing: no radiator rejection from the hour after the second fault
    assert np.all(tab["nem1_radiator_kw"][_hours(tab, "2028-01-10T02", "2028-01-25")] == 0.0)

    # the warming rate over the first day after the detection (safe mode: experiments shed)
    # against the closed form (Q_in - Q_leak) / (m c), the hull's leak at each hour's mean
    # temperature and beta (the MLI cover's temperature): within 1 %
    th, pw, nd = sim.systems.thermal, sim.systems.power, sim.thermal.node["nem1"]
    sel = _hours(tab, "2028-01-10T02", "2028-01-11T02")
    temp_k = tab["nem1_temperature_c"][sel] + K0
    hist = sim.power.history(sim)
    beta = np.array([hist.beta_deg[(hist.epochs >= h) & (hist.epochs < h + HOUR)].mean()
                     for h in tab["time"][sel]])
    env = environment_fluxes(np.radians(beta), sim.scenario.orbit.altitude_km, 0.0,
                             (th.mli_alpha.value, th.mli_epsilon.value),
                             (th.radiator_alpha.value, th.radiator_epsilon.value))
    q_in = module_dissipation_w(pw, th, sim.thermal.node, ["nem1"], 0, safe_mode=True)["nem1"]
    q_leak = nd["k_body"] * (temp_k ** 4 - env["ts4"])
    closed_k_s = float(np.mean(q_in - q_leak)) / nd["c"]
    run_k_s = float(temp_k[-1] - temp_k[0]) / ((sel.sum() - 1) * 3600.0)
    assert closed_k_s > 1e-5                       # it warms (about 1.6 K a day here)
    assert math.isclose(run_k_s, closed_k_s, rel_tol=0.01), (run_k_s, closed_k_s)

    # the uncrewed band's top (30 degC) is crossed: an alarm whose cause names the pumps
    (alarm,) = [a for a in sim.alarms if a["subject"] == "thermal"]
    assert "nem1 cabin" in alarm["detail"] and "above 30.0 C" in alarm["detail"]
    assert "coolant pumps must be repaired" in alarm["detail"]
    assert "coolant loop stopped, 0 of 2 thermal-control loop pump units work " \
        "(faults #1-#2)" in alarm["cause"]
    assert "(0.0 kW rejected)" in alarm["cause"]
    assert float(np.nanmax(tab["nem1_temperature_c"])) > 30.0

    # repair one pump (the crew's repair, as the scheduler books it): the loop runs again,
    # rejects the heat and brings the module back to its set point
    f = sim.reliability.faults[1]
    sim.autonomy.repair_done(f, sim.systems.component_by_id("coolant-pump"))
    assert stopped_loops(sim, ["nem1"]) == {}
    sim.advance_to("2028-01-27")
    tab = sim.thermal.table(sim)
    assert sim.module_temperature_c("nem1") == 22.0
    assert np.all(tab["nem1_radiator_kw"][_hours(tab, "2028-01-26", "2028-01-27")] > 0.0)
    assert any(e["kind"] == "thermal" and "back inside its band" in e["detail"]
               for e in sim.events)
