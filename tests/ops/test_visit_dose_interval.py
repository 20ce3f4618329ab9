"""A crew's dose per visit is integrated over the interval it flew, lift-off to undocking:
a crew on a two-day climb (Orel, catalog ``time_to_dock_h`` = 48 h) flies its 30-day stay
plus the climb. Reference: the timeline's own lift-off (the launch window) and undocking
times; tolerance 1e-6 day."""

from __future__ import annotations

import datetime as dt

import pytest

from rossim.analysis.crew_dose import crew_visit_doses
from rossim.config.scenario import load_scenario
from rossim.dynamics.scenario_orbit import orbit_from_scenario
from rossim.ops.flown import visit_flown_times
from rossim.station.assembly import build_timeline


class _WithTimes:
    """An orbit carrying the run's flown visit times, as rossim.ops.run_result sets them."""

    def __init__(self, orbit, times):
        self.orbit, self.visit_times = orbit, times

    def geodetic(self, t):
        return self.orbit.geodetic(t)


def test_dose_days_are_the_flown_interval(short_scenario_path):
    scen = load_scenario(short_scenario_path)
    tl = build_timeline(scen)
    times = visit_flown_times(tl)
    assert times
    name, (lift, undock) = next(iter(times.items()))
    flown_days = (undock - lift).total_seconds() / 86400.0
    v = next(v for _f, v in scen.visits if (v.name or "") == name)
    veh = tl.catalog.vehicles[v.vehicle]
    assert flown_days == pytest.approx(v.duration_days + veh.time_to_dock_h.value / 24.0
                                       - (lift - v.launch).total_seconds() / 86400.0,
                                       abs=1e-6)
    orbit = orbit_from_scenario(scen)
    planned = {r["visit"]: r for r in crew_visit_doses(scen, orbit=orbit, step_s=600.0)}
    flown = {r["visit"]: r for r in crew_visit_doses(
        scen, orbit=_WithTimes(orbit, {name: (lift, undock)}), step_s=600.0)}
    assert flown[name]["days"] == pytest.approx(flown_days, abs=1e-6)
    assert planned[name]["days"] == pytest.approx(v.duration_days, abs=1e-6)
    assert lift >= v.launch and undock > lift + dt.timedelta(days=v.duration_days - 1)
