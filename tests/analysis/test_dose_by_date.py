"""People aboard the same station at the same time get the same dose rate.

Every input of the dose model that changes with the date (the F10.7 that picks AE-8/AP-8 MIN
or MAX, threshold 115 sfu; the GCR modulation potential; the modules, hence the shielding, and
the belts' secular change) is taken per date, never from the visit (or track) asked about.
Reported case (ros-2026-plan, 2033-01): a crew launched 2033-01-15 (its mean F10.7a 113: MIN)
and one launched 2033-01-30 (MAX) aboard together got 0.645 and 0.524 mSv/d.

Reference: the model's own rates, no external figure: over the common days of two
overlapping visits whose mean F10.7a fall on either side of the threshold, the two get the
same rate (to round-off), while the days on either side of the step differ (so the check has
teeth: the MIN and MAX rates differ by about 20 % at 400 km)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from rossim.analysis.crew_dose import crew_visit_doses
from rossim.analysis.crew_record import eva_dose
from rossim.analysis.dose import SOLAR_MAX_F107_THRESHOLD, dose_along_track
from rossim.config.scenario import Visit, load_scenario
from rossim.dynamics.circular import CircularOrbit
from rossim.time import time_grid, to_time

#: F10.7a steps from below to above the threshold at 00:00 UTC of this day.
STEP = dt.datetime(2028, 12, 30, tzinfo=dt.UTC)
LOW, HIGH = 100.0, 130.0


class _StepWeather:
    """81-day mean F10.7 of LOW before :data:`STEP` and HIGH from it (all the dose reads)."""

    def f107a(self, t):
        tt = to_time(t).reshape(-1)
        return np.where((tt - to_time(STEP)).to_value("s") >= 0.0, HIGH, LOW)


class _Orbit:
    """A 51.6 deg, 400 km ground track that is a function of time alone (two visits see the
    same point at the same instant), flown in the step weather."""

    weather = _StepWeather()

    def geodetic(self, t):
        s = np.asarray((to_time(t) - to_time("2028-12-01")).to_value("s"), float).reshape(-1)
        u, i = 2.0 * np.pi * s / 5554.0, np.radians(51.6)
        lat = np.degrees(np.arcsin(np.sin(i) * np.sin(u)))
        lon = np.degrees(np.arctan2(np.cos(i) * np.sin(u), np.cos(u))) - 360.0 * s / 86164.1
        return lat, (lon + 180.0) % 360.0 - 180.0, np.full(s.size, 400.0)


def _mean_f107a(start: dt.datetime, days: float) -> float:
    t = time_grid(to_time(start), days * 86400.0, 3600.0)
    return float(np.mean(_StepWeather().f107a(t)))


def test_overlapping_tracks_share_their_common_days_rates():
    """Track A (2028-12-10, 30 d: mean F10.7a 110, below the threshold) and track B
    (2028-12-25, 30 d: mean 125, above) on one trajectory: identical rates, source by source,
    on every common epoch; the days before and after the step differ."""
    assert _mean_f107a(dt.datetime(2028, 12, 10, tzinfo=dt.UTC), 30) < SOLAR_MAX_F107_THRESHOLD
    assert _mean_f107a(dt.datetime(2028, 12, 25, tzinfo=dt.UTC), 30) > SOLAR_MAX_F107_THRESHOLD
    step = 120.0
    per_day = int(86400 / step)
    t = time_grid(to_time("2028-12-10"), 45 * 86400.0, step)
    lat, lon, alt = CircularOrbit(400.0, 51.6, epoch=to_time("2028-12-10")).geodetic(t)

    def track(d0: int, d1: int):
        s = slice(d0 * per_day, d1 * per_day + 1)
        return dose_along_track(t[s], lat[s], lon[s], alt[s], weather=_StepWeather())

    a, b = track(0, 30), track(15, 45)
    common = 15 * per_day + 1
    for source in a.equivalent:
        np.testing.assert_allclose(a.equivalent[source][15 * per_day:],
                                   b.equivalent[source][:common], rtol=1e-12, atol=0,
                                   err_msg=source)
    assert a.solar == b.solar == "min/max"
    np.testing.assert_array_equal(a.solar_max[15 * per_day:], b.solar_max[:common])
    # the step is there: the protons of the MIN days (Dec) and MAX days (Jan) differ
    before, after = a.solar_max[:per_day * 20], a.solar_max[per_day * 20:]
    assert not before.any() and after.all()
    p_min = a.equivalent["trapped_protons"][:per_day * 20].mean()
    p_max = a.equivalent["trapped_protons"][per_day * 20:].mean()
    assert abs(p_max / p_min - 1.0) > 0.05


def _visit(name: str, day: dt.datetime, days: float) -> Visit:
    return Visit(vehicle="soyuz-ms", port="gateway.forward", duration_days=days, name=name,
                 launch=day, crew=2)


def test_overlapping_crew_visits_get_the_same_rate_over_their_common_days():
    """Crew A from 2028-12-10 (30 d, mean F10.7a 110: MIN by the visit) and crew B from
    2028-12-25 (30 d, mean 125: MAX by the visit) aboard ros-51.6, whose core module docks
    on 2028-12-20 (during A, before B). Over their 15 common days both get the same dose:
    A's dose less that of its first 15 days alone equals B's less that of its last 15 days,
    to within the integration's end steps (one 60 s step at each seam: about 1e-5 of the
    dose; the rule by visit gave them rates 10-20 % apart)."""
    d = dt.datetime
    visits = [_visit("A", d(2028, 12, 10, tzinfo=dt.UTC), 30.0),
              _visit("B", d(2028, 12, 25, tzinfo=dt.UTC), 30.0),
              _visit("A before B", d(2028, 12, 10, tzinfo=dt.UTC), 15.0),
              _visit("B after A", d(2029, 1, 9, tzinfo=dt.UTC), 15.0)]
    scen = load_scenario("ros-51.6").model_copy(update={
        "crew_visits": visits, "crew_series": [], "cargo_visits": [], "cargo_series": []})
    rows = {r["visit"]: r for r in crew_visit_doses(scen, orbit=_Orbit(), step_s=60.0)}
    common_a = rows["A"]["per_person_mSv"] - rows["A before B"]["per_person_mSv"]
    common_b = rows["B"]["per_person_mSv"] - rows["B after A"]["per_person_mSv"]
    assert common_a / 15.0 == pytest.approx(common_b / 15.0, rel=1e-4)
    assert rows["A"]["trapped_model"] == rows["B"]["trapped_model"] == "min/max"
    # and the visits' own means still differ: they are not the same days
    assert rows["A"]["mSv_per_day"] != pytest.approx(rows["B"]["mSv_per_day"], rel=1e-3)


def test_spacewalk_excess_is_over_the_visits_inside_rate():
    """An EVA's inside dose (what its hours are replaced with) is the dose a crew member
    inside the station got for those hours in the visit's row: same modules, same day."""
    scen = load_scenario("ros-51.6").model_copy(update={
        "crew_visits": [_visit("EVA hours", dt.datetime(2029, 1, 2, 9, tzinfo=dt.UTC),
                               6.5 / 24.0)],
        "crew_series": [], "cargo_visits": [], "cargo_series": []})
    row = crew_visit_doses(scen, orbit=_Orbit(), step_s=60.0)[0]
    d = eva_dose(_Orbit(), dt.datetime(2029, 1, 2, 9, tzinfo=dt.UTC), 6.5, step_s=60.0,
                 scenario=scen)
    assert d["inside_mSv"] == pytest.approx(row["per_person_mSv"], rel=1e-9)
