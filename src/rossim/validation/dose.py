"""Crew dose (:func:`rossim.analysis.dose.circular_orbit_dose`) against doses measured on the
Shuttle, Mir and the ISS (``tests/data/dose/measured_doses.csv``: citations in its header and
rows; the orbit of each campaign, mean altitude and date, is rossim's reading of public
altitude histories, marked as an assumption there). Asserted in
``tests/analysis/test_dose.py``; printed in docs/validation.md and docs/dose.md."""

from __future__ import annotations

from functools import cache
from typing import Any

from rossim.validation._data import read_csv

__all__ = ["MEASURED_DAYS", "measured_doses", "measured_by_id", "measured_mid",
           "model_summary", "model_for", "iml2_sts79_ratio"]

#: Days of circular orbit per model run at 60 s: ~80 orbits, enough for the orbit mean (the
#: node precesses ~25 deg).
MEASURED_DAYS = 5.0


def measured_doses() -> list[dict[str, str]]:
    """The measurement rows in file order (``id``, ``where``, ``location``, ``quantity``,
    ``low``, ``high``, ``altitude_km``, ``inclination_deg``, ``date``, ``source``, ...)."""
    return read_csv("dose", "measured_doses.csv")


def measured_by_id() -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in measured_doses()}


def measured_mid(row: dict[str, str]) -> float:
    """Middle of a measurement's range (mGy/d or mSv/d)."""
    return 0.5 * (float(row["low"]) + float(row["high"]))


def model_summary(altitude_km: float, inclination_deg: float, date: str,
                  shielding_g_cm2: float | None = None) -> dict[str, Any]:
    """``circular_orbit_dose(...).summary()`` over :data:`MEASURED_DAYS` (cached; shielding
    defaults to a pressurised module's)."""
    from rossim.analysis.dose import PRESSURISED_MODULE_G_CM2

    shield = PRESSURISED_MODULE_G_CM2 if shielding_g_cm2 is None else shielding_g_cm2
    return _summary(float(altitude_km), float(inclination_deg), str(date), float(shield))


@cache
def _summary(altitude_km: float, inclination_deg: float, date: str, shield: float
             ) -> dict[str, Any]:
    from rossim.analysis.dose import circular_orbit_dose

    return circular_orbit_dose(altitude_km, inclination_deg, date=date, days=MEASURED_DAYS,
                               shielding_g_cm2=shield).summary()


def model_for(row: dict[str, str], shielding_g_cm2: float | None = None) -> dict[str, Any]:
    """The model summary at a measurement's (assumed) orbit and date."""
    return model_summary(float(row["altitude_km"]), float(row["inclination_deg"]), row["date"],
                         shielding_g_cm2)


def iml2_sts79_ratio(shielding_g_cm2: float | None = None) -> tuple[float, float]:
    """``(model, measured)`` ratio of the IML-2 (28.5 deg, 300 km) to the STS-79 (51.6 deg)
    absorbed dose inside (Doke et al.): the shape check of the trapped-proton model."""
    m = measured_by_id()
    measured = (float(m["iml2"]["low"]) + float(m["iml2"]["high"])) / (
        float(m["sts79"]["low"]) + float(m["sts79"]["high"]))
    model = (model_for(m["iml2"], shielding_g_cm2)["absorbed_mGy_per_day"]
             / model_for(m["sts79"], shielding_g_cm2)["absorbed_mGy_per_day"])
    return model, measured
