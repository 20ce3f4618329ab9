"""The dose model's date rule: what depends on the date is taken per UTC day.

The inputs of the dose model that change with the date (the F10.7 that picks AE-8/AP-8 MIN or
MAX, the GCR modulation potential, the secular state of the geomagnetic field) are evaluated
for each epoch from its UTC day alone, never from the span a caller happens to ask about (a
crew visit, a spacewalk, a campaign's window). Two tracks that share a day therefore get the
same inputs for it: two crews aboard the same station on the same days get the same dose
rate, whatever their launch and landing dates.

* :func:`utc_days`: the distinct UTC days of epochs (noon of each) and each epoch's day;
* :func:`daily_f107a`: the centred 81-day mean F10.7 of each epoch's day;
* :func:`daily_decimal_year`: the decimal year of each epoch's day (at noon).

The GCR modulation potential of a day is :func:`rossim.environment.radiation.gcr.
modulation_potential_daily_mv`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from astropy.time import Time

__all__ = ["utc_days", "daily_f107a", "daily_decimal_year"]


def utc_days(t: Any) -> tuple[Time, np.ndarray]:
    """The distinct UTC days of the epochs ``t``, as ``Time`` at noon of each (ascending), and
    for every epoch the index of its day in them (an epoch at midnight opens its day, within
    the 1e-9 day the space-weather table allows for round-off)."""
    from rossim.time import to_time

    tt = to_time(t).reshape(-1).utc
    day = np.floor(np.asarray(tt.mjd, dtype=float) + 1e-9)   # the UTC day of each epoch
    days, index = np.unique(day, return_inverse=True)
    return Time(days + 0.5, format="mjd", scale="utc"), index.reshape(-1)


def daily_f107a(t: Any, weather: Any) -> np.ndarray:
    """Centred 81-day mean F10.7 (sfu) of each epoch's UTC day from ``weather`` (anything with
    ``f107a(t)``), shape ``(N,)``."""
    noons, index = utc_days(t)
    return np.asarray(weather.f107a(noons), float).reshape(-1)[index]


def daily_decimal_year(t: Any) -> np.ndarray:
    """Decimal year of each epoch's UTC day (its noon), shape ``(N,)``."""
    noons, index = utc_days(t)
    return np.asarray(noons.utc.decimalyear, float).reshape(-1)[index]
