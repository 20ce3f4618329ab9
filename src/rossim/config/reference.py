"""Reference tables that are data, not code: crew dose shielding and limits, the launcher
calibration points, the ISS as a reference station, and the other stations of the 51.6 deg
plane (``rossim/config/catalog/reference.toml``).

Every number is a :class:`~rossim.config.catalog.Figure` (value, flag, source); the models
(:mod:`rossim.analysis.dose`, :mod:`rossim.station.launch`, :mod:`rossim.analysis.launch`)
read them from here.

>>> from rossim.config.reference import load_reference
>>> ref = load_reference()
>>> ref.crew_dose.trapped_proton_scale.value
0.32
>>> ref.iss.mass_kg.flag
'published'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from rossim.config._toml import read_toml, validate
from rossim.config.catalog import Figure, _Strict, catalog_dir

__all__ = ["DoseLimit", "CrewDose", "CalibrationPoint", "IssReference", "OtherStation",
           "Reference", "load_reference"]


class DoseLimit(_Strict):
    """A crew dose limit (mSv; mGy-Eq for NASA's blood-forming-organ limits)."""

    agency: str
    period: Literal["30-day", "annual", "career"]
    days: int | None = None
    limit_mSv: Figure
    quantity: str


class CrewDose(_Strict):
    """Shielding, trapped-belt settings and limits of the crew dose model."""

    pressurised_module_g_cm2: Figure
    core_occupancy: Figure
    trapped_proton_scale: Figure
    solar_max_f107_threshold: Figure
    saa_westward_drift_deg_per_year: Figure
    unoccupied: tuple[str, ...]
    trapped_field_epoch_year: dict[Literal["min", "max"], Figure]
    module_shielding_factor: dict[str, Figure]
    limit: tuple[DoseLimit, ...]
    #: Spacewalks (rossim.analysis.crew_record): the suit's aluminium-equivalent areal density
    #: and the share of directions not shielded by the body itself.
    eva_suit_g_cm2: Figure | None = None
    eva_body_factor: Figure | None = None


class CalibrationPoint(_Strict):
    """A published launcher payload the launch model is calibrated to."""

    launcher: str
    site: str
    home: str | None = None
    altitude_km: float
    inclination_deg: float | None = None
    payload_kg: Figure


class IssReference(_Strict):
    """The ISS as a reference station (mass, drag, orbit, propellant budget)."""

    mass_kg: Figure
    drag_area_m2: Figure
    drag_coeff: Figure
    altitude_km: Figure
    inclination_deg: Figure
    propellant_kg_per_year: Figure


class DeorbitPrecedent(_Strict):
    """A flown controlled de-orbit: the propellant it took and the mass it brought down
    (the run scales the propellant with its own end mass)."""

    propellant_kg: Figure
    station_mass_kg: Figure
    start_altitude_km: Figure   # where the precedent's burns began (after a natural decay)


class OtherStation(_Strict):
    """Another station whose plane ROS may share."""

    id: str
    name: str
    altitude_km: Figure
    inclination_deg: Figure


class Reference(_Strict):
    """The contents of ``reference.toml``."""

    crew_dose: CrewDose
    launcher_calibration: tuple[CalibrationPoint, ...]
    iss: IssReference
    mir_deorbit: DeorbitPrecedent
    other_station: tuple[OtherStation, ...]


def load_reference(path: str | Path | None = None) -> Reference:
    """Load and validate ``reference.toml`` (the shipped one unless ``path`` is given).

    Raises :class:`~rossim.errors.InputError` naming the file and field on a bad file.
    """
    if path is None:
        return _load_default()
    return validate(Reference, read_toml(path), str(path))


@cache
def _load_default() -> Reference:
    path = catalog_dir() / "reference.toml"
    return validate(Reference, read_toml(path), str(path))
