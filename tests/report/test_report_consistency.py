"""Small inconsistencies of the run report (src/rossim/report/, the invariants it lists).

Found in ``rossim run ros-51.6``'s report.html:
(a) the energy ledger's imbalance read "3.28e-09 kWh" under Invariants but "0.00e+00 kWh" in
    the power section (summary.json rounded it to 6 decimals). Right: summary.json keeps
    three significant figures, the invariant's figure.
(b) the propellant-by-year bars had a tick for a zero-use year at one end (2027) but none
    for 2032, a zero-use year inside the span. Right: a tick for every year of the run.
(c) "lowest tank level 3008.2 kg" was the first hourly sample, 4 minutes before NEM-1's
    818 kg of leftover climb propellant reached the tanks (lowest afterwards 3050.8 kg).
    Right: the figure leaves that start-up step out and names the level before it.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from rossim.ops.invariants import lowest_tank_text
from rossim.ops.power_ledger import EnergyLedger
from rossim.report.comms import propellant_by_cause_figure


def test_summary_keeps_the_imbalance_the_invariant_prints():
    led = EnergyLedger(soc0=0.9, cap0_kwh=100.0)
    led.t["generated"] = 3.28e-9           # everything else 0: imbalance 3.28e-09 kWh
    assert f"{led.imbalance_kwh():.2e}" == "3.28e-09"
    s = led.summary()["ledger"]["imbalance_kwh"]
    assert f"{s:.2e}" == "3.28e-09", s     # the power section prints this with :.2e
    assert "imbalance 3.28e-09 kWh" in led.checks(1.0)["energy_ledger"][1]


def _burn(t: str, kg: float):
    return SimpleNamespace(time=np.datetime64(t), propellant_kg=kg, source="station")


def test_propellant_by_year_ticks_every_year_of_the_run():
    orbit = SimpleNamespace(epochs=np.array(["2027-12-23T11:00", "2035-12-30T23:00"],
                                            dtype="datetime64[m]"),
                            burns=[_burn("2028-03-01", 99.0), _burn("2030-03-01", 264.0),
                                   _burn("2035-03-01", 476.0)])
    ev = [{"kind": "debris-avoidance", "time": "2031-05-01T00:00:00", "value": 3.0}]
    result = SimpleNamespace(orbit=orbit, events=ev,
                             summary={"propellant_by_cause_kg": {"reboost": 839.0}})
    fig = propellant_by_cause_figure(result)
    ticks = [int(round(x)) for x in fig.axes[0].get_xticks()]
    assert ticks == list(range(2027, 2036)), ticks   # 2027, 2029, 2032 ... with no use too


def _orbit(tanks):
    t = np.arange(np.datetime64("2027-12-23T11:00"), np.datetime64("2027-12-23T11:00")
                  + np.timedelta64(len(tanks), "h"), np.timedelta64(1, "h"))
    return SimpleNamespace(epochs=t, station_propellant_kg=np.array(tanks, float))


CLIMB = {"time": np.datetime64("2027-12-23T11:04:00"), "kind": "propellant",
         "subject": "nem1", "detail": "818 kg of climb propellant left (NEM-1, own engines) "
         "transferred to the station's tanks"}


def test_lowest_tank_level_leaves_out_the_start_up_step():
    o = _orbit([3008.2, 3826.0, 3500.0, 3050.8, 3900.0])
    text = lowest_tank_text(o, [CLIMB])
    assert text == ("lowest tank level 3050.8 kg after nem1's climb propellant came aboard "
                    "on 2027-12-23 11:04 (3008.2 kg before it)"), text


def test_lowest_tank_level_counts_a_real_use_before_the_transfer():
    # a use before the climber's propellant arrives is no start-up step: counted
    o = _orbit([3008.2, 2990.0, 3500.0])
    late = dict(CLIMB, time=np.datetime64("2027-12-23T12:30:00"))
    assert lowest_tank_text(o, [late]) == "lowest tank level 2990.0 kg"
    assert lowest_tank_text(o, []) == "lowest tank level 2990.0 kg"   # no climber
