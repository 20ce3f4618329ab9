"""The pad-turnaround rule written out for the tests (rossim.ops.pad_turnaround): the expected
lift-off of a ship the run flies from a pad, computed from the window finder alone."""

from __future__ import annotations

import datetime as dt

from rossim.station.windows import PlaneModel, WindowFinder, clock_minute


def turnaround_lift_off(scenario, site, earliest: dt.datetime, lifts: list[dt.datetime],
                        ) -> dt.datetime:
    """The first allowed in-plane window of ``site`` (a catalog site) on or after ``earliest``
    (UTC) on the run's minute clock whose lift-off is at least ``site.pad_turnaround_days``
    from each of ``lifts`` (the other lift-offs from the pad): a window too close to one is
    searched again from that lift-off plus the turnaround."""
    gap = dt.timedelta(days=site.pad_turnaround_days.value)
    finder = WindowFinder(PlaneModel.from_scenario(scenario))
    t = earliest
    while True:
        for lift in sorted(lifts):
            if abs(t - lift) < gap:
                t = lift + gap
        got = clock_minute(finder.first(site, t)["time"])
        if all(abs(got - lift) >= gap for lift in lifts):
            return got
        t = got
