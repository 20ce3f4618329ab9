"""The reference catalog: ROS modules, visiting vehicles, launchers, launch sites and ground
stations, as data files (``rossim/config/catalog/*.toml``).

Every number is a :class:`Figure`: its value, a flag (``published``; ``reported``: from a
press or secondary report; ``estimate``) and its source (for an estimate, the basis). Units are in the field names (``mass_kg``, ``length_m``).

>>> from rossim.config.catalog import load_catalog
>>> cat = load_catalog()
>>> cat.modules["nem1"].mass_kg.value
20000.0
>>> cat.modules["nem1"].mass_kg.flag
'published'
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rossim.config._toml import FieldError, read_toml, validate

Flag = Literal["published", "reported", "estimate"]
Direction = Literal["+x", "-x", "+y", "-y", "+z", "-z"]
PortType = Literal["hybrid-active", "hybrid-passive", "drogue", "payload", "probe"]
#: Upper bound of a pad's turnaround (days): a pad idle longer is out of service, not turning
#: around (:class:`Site`).
MAX_TURNAROUND_DAYS = 365.0


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Figure(_Strict):
    """A number with its provenance."""

    value: float
    flag: Flag
    source: str = Field(min_length=3)


class DateFigure(_Strict):
    """A date with its provenance."""

    value: dt.date
    flag: Flag
    source: str = Field(min_length=3)


class Port(_Strict):
    """A docking port in its module's body frame (x along the module axis, m)."""

    name: str
    position_m: tuple[float, float, float]
    direction: Direction
    type: PortType
    flag: Flag
    source: str


class Module(_Strict):
    """A station module. Geometry in the module's body frame (+x forward along its axis)."""

    id: str
    name_en: str
    name_ru: str
    role: str
    shape: Literal["cylinder", "sphere", "truss", "block"]
    launcher: str
    mass_kg: Figure
    length_m: Figure
    diameter_m: Figure
    span_m: Figure | None = None
    drag_area_m2: Figure | None = None
    pressurised_volume_m3: Figure
    solar_array_power_kw: Figure
    solar_array_area_m2: Figure
    crew_berths: Figure
    planned_launch: DateFigure
    ports: tuple[Port, ...]
    # Own propulsion for the climb from the insertion orbit (absent: no engines of its own,
    # a tug climbs). ``propellant_kg`` is loaded on top of ``mass_kg`` for the climb.
    engine_thrust_n: Figure | None = None
    engine_isp_s: Figure | None = None
    propellant_kg: Figure | None = None
    rendezvous_days: Figure | None = None
    #: Default climber when the module has no engines: a tug id (``catalog.tugs``).
    tug: str | None = None

    @field_validator("ports")
    @classmethod
    def _unique_ports(cls, ports: tuple[Port, ...]) -> tuple[Port, ...]:
        names = [p.name for p in ports]
        if len(set(names)) != len(names):
            raise ValueError(f"unique port names, got {names}")
        return ports

    def port(self, name: str) -> Port | None:
        return next((p for p in self.ports if p.name == name), None)

    @property
    def attach_port(self) -> Port | None:
        """The port by which this module docks to its parent: its active hybrid port."""
        return next((p for p in self.ports if p.type == "hybrid-active"), None)


class Vehicle(_Strict):
    """A visiting vehicle; it docks by its forward end (x = length)."""

    id: str
    name_en: str
    name_ru: str
    kind: Literal["crew", "cargo", "service"]
    launcher: str
    launch_site: str
    mass_kg: Figure
    length_m: Figure
    diameter_m: Figure
    habitable_volume_m3: Figure
    crew_seats: Figure
    cargo_kg: Figure
    station_propellant_kg: Figure
    #: Most station propellant the ship's refuelling tanks carry (kg), dry cargo given up for
    #: it kg for kg (a manifest top-up: :mod:`rossim.ops.propellant_topup`); absent: no top-up.
    max_station_propellant_kg: Figure | None = None
    water_kg: Figure | None = None
    oxygen_kg: Figure | None = None
    dry_cargo_kg: Figure | None = None
    max_docked_days: Figure
    time_to_dock_h: Figure
    solar_array_area_m2: Figure
    port_type: Literal["probe"]


class Launcher(_Strict):
    """A launch vehicle with its published reference performance."""

    id: str
    name_en: str
    name_ru: str
    site: str
    leo_payload_kg: Figure
    leo_altitude_km: Figure
    upper_stage_isp_s: Figure
    upper_stage_dry_kg: Figure
    fairing_diameter_m: Figure
    fairing_height_m: Figure
    adapter_kg: Figure
    #: Inclination of the published reference figure (absent: due east from the home site).
    leo_inclination_deg: Figure | None = None
    #: Default insertion orbit of a module launch (perigee x apogee, km).
    insertion_perigee_km: Figure | None = None
    insertion_apogee_km: Figure | None = None
    #: A module designed to fly on this launcher into a near-polar orbit: its launch mass (kg)
    #: and that orbit's inclination (deg). A lower bound of the payload there, not a capability
    #: figure (tests/station/test_insertion.py).
    #: Other pads the launcher flies from, besides its home ``site`` (a module or a visit
    #: named at any other pad is refused: rossim.station.launch.check_pad).
    flies_from: tuple[str, ...] = ()
    flies_from_source: str | None = None
    polar_design_mass_kg: Figure | None = None
    polar_design_inclination_deg: Figure | None = None


class Tug(_Strict):
    """A space tug that climbs a module without engines of its own from the insertion orbit to
    the station (e.g. the Progress M-UM that delivered Prichal). ``mass_kg`` is its launch mass
    with ``propellant_kg`` aboard, without the module it carries."""

    id: str
    name_en: str
    name_ru: str
    mass_kg: Figure
    propellant_kg: Figure
    engine_thrust_n: Figure
    engine_isp_s: Figure
    rendezvous_days: Figure


class _Place(_Strict):
    """A named place on the ground (geodetic WGS84)."""

    id: str
    name_en: str
    name_ru: str
    lat_deg: Figure
    lon_deg: Figure
    alt_m: Figure


class Site(_Place):
    """A launch site (geodetic WGS84). ``azimuth_min_deg``/``azimuth_max_deg``: the launch
    azimuth corridor (deg from north, eastward; ``min > max`` passes through north), None for
    no limit (rossim.station.windows.azimuth_allowed). ``pad_turnaround_days``: the least
    time between two lift-offs from the pad (days, 0 to 365; None: no limit), kept by the
    ships the run calls up or holds (rossim.ops.pad_turnaround)."""

    azimuth_min_deg: Figure | None = None
    azimuth_max_deg: Figure | None = None
    pad_turnaround_days: Figure | None = None

    @field_validator("pad_turnaround_days")
    @classmethod
    def _turnaround_in_range(cls, fig: Figure | None) -> Figure | None:
        if fig is not None and not 0.0 <= fig.value <= MAX_TURNAROUND_DAYS:
            raise FieldError("value", fig.value, "a number of days from 0 to "
                             f"{MAX_TURNAROUND_DAYS:g} (the least time between two lift-offs "
                             "from the pad)")
        return fig


class GroundStationEntry(_Place):
    """A ground station for communication windows (no launch corridor or pad: a launch
    site's fields here are refused, as any unknown key)."""

    min_elevation_deg: Figure


class GroundStation(BaseModel):
    """Flat view of a ground station for the geometry code."""

    model_config = ConfigDict(frozen=True)
    id: str
    name: str
    lat_deg: float
    lon_deg: float
    alt_m: float
    min_elevation_deg: float


class RelayEntry(_Strict):
    """A geostationary data-relay satellite (Luch-5): its slot (degrees east), launch date and
    design life (years): in service from launch to launch + design life."""

    id: str
    name_en: str
    name_ru: str
    lon_deg: Figure
    launch: DateFigure
    design_life_years: Figure

    def service_end(self) -> dt.datetime:
        """End of the design life (UTC midnight): ``launch + design_life_years`` (Julian
        years of 365.25 days)."""
        start = dt.datetime.combine(self.launch.value, dt.time(), tzinfo=dt.UTC)
        return start + dt.timedelta(days=365.25 * self.design_life_years.value)


class Communications(_Strict):
    """Communication settings (``sites.toml`` ``[communications]``)."""

    uplink_via: list[Literal["ground", "relay"]] = Field(min_length=1)
    uplink_via_source: str = Field(min_length=3)
    relay_grazing_altitude_km: Figure
    relay_max_off_zenith_deg: Figure
    search_step_s: Figure


class _ModulesFile(_Strict):
    module: list[Module]


class _VehiclesFile(_Strict):
    vehicle: list[Vehicle]
    tug: list[Tug] = []


class _LaunchersFile(_Strict):
    launcher: list[Launcher]


class _SitesFile(_Strict):
    site: list[Site]
    ground_station: list[GroundStationEntry]
    relay: list[RelayEntry] = []
    communications: Communications | None = None


class Catalog(BaseModel):
    """Everything rossim knows about the real station's parts, keyed by id."""

    model_config = ConfigDict(frozen=True)
    modules: dict[str, Module]
    vehicles: dict[str, Vehicle]
    launchers: dict[str, Launcher]
    sites: dict[str, Site]
    ground_station_entries: dict[str, GroundStationEntry]
    relays: dict[str, RelayEntry] = {}
    communications: Communications | None = None
    tugs: dict[str, Tug] = {}

    @property
    def ground_stations(self) -> list[GroundStation]:
        return [
            GroundStation(id=g.id, name=g.name_en, lat_deg=g.lat_deg.value,
                          lon_deg=g.lon_deg.value, alt_m=g.alt_m.value,
                          min_elevation_deg=g.min_elevation_deg.value)
            for g in self.ground_station_entries.values()
        ]

    def part(self, part_id: str) -> Module | Vehicle | None:
        return self.modules.get(part_id) or self.vehicles.get(part_id)


def _keyed(items: list, where: str) -> dict:
    out: dict = {}
    for item in items:
        if item.id in out:
            from rossim.errors import InputError

            raise InputError(where, "id", item.id, "unique ids", problem="duplicate id")
        out[item.id] = item
    return out


def catalog_dir() -> Path:
    """Folder of the shipped catalog files."""
    return Path(str(resources.files("rossim.config") / "catalog"))


def load_catalog(directory: str | Path | None = None) -> Catalog:
    """Load and validate the catalog (the shipped one unless ``directory`` is given)."""
    if directory is None:
        return _load_default()
    return _load(Path(directory))


@cache
def _load_default() -> Catalog:
    return _load(catalog_dir())


def _load(d: Path) -> Catalog:
    def read(name: str, model):
        path = d / name
        return validate(model, read_toml(path), str(path))

    mods = read("modules.toml", _ModulesFile)
    vehs = read("vehicles.toml", _VehiclesFile)
    lns = read("launchers.toml", _LaunchersFile)
    sites = read("sites.toml", _SitesFile)
    return Catalog(
        modules=_keyed(mods.module, str(d / "modules.toml")),
        vehicles=_keyed(vehs.vehicle, str(d / "vehicles.toml")),
        launchers=_keyed(lns.launcher, str(d / "launchers.toml")),
        sites=_keyed(sites.site, str(d / "sites.toml")),
        ground_station_entries=_keyed(sites.ground_station, str(d / "sites.toml")),
        relays=_keyed(sites.relay, str(d / "sites.toml")),
        communications=sites.communications,
        tugs=_keyed(vehs.tug, str(d / "vehicles.toml")),
    )
