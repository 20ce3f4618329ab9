"""Scenario files: what a user edits to describe a station, its orbit and its campaign.

A scenario is TOML, validated by the pydantic schema below (unknown fields are errors; every
error names the file, the field, the bad value and what was expected). Dates are TOML dates
(``2027-12-15``) or date-times (``2027-12-15T03:00:00Z``), always UTC. The schema checks types,
ranges and ordering; whether the plan is physically possible (ports free and of the right type,
parents present, launch masses within the launcher's capability) is checked by
:func:`rossim.station.assembly.build_timeline`, which needs the catalog.

The sections live in their own modules and are importable from here:
:mod:`rossim.config.free_flyers` (``[free_flyers]``), :mod:`rossim.config.monte_carlo`
(``[monte_carlo]``), :mod:`rossim.config.scenario_commands` (``[[commands]]``),
:mod:`rossim.config.scenario_operations` (``[operations]``, ``[[solar_particle_events]]``),
:mod:`rossim.config._schema` (the strict base, UTC dates, names); the names the entries give
their ships are checked by :mod:`rossim.config.scenario_names`.

Reference scenarios ship in ``scenarios/`` at the repository root and inside the package
(``rossim/scenarios``): ``ros-51.6`` (current plan, the default), ``ros-97`` (earlier
sun-synchronous plan) and ``ros-iss-start`` (December 2025 plan: built on the ISS Russian
segment, separated before the ISS deorbit).
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from rossim.config._schema import (  # noqa: F401
    Name,
    PositiveMass,
    UTCDate,
    _Strict,
    _to_utc,
    _tuples,
)
from rossim.config._toml import FieldError, read_toml, validate
from rossim.config.free_flyers import (  # noqa: F401  (re-exported: rossim.config.scenario.*)
    MAX_DISPERSION_WORK,
    MAX_FREE_FLYERS,
    Deployment,
    FreeFlyers,
)
from rossim.config.monte_carlo import Dispersion, MonteCarlo
from rossim.config.power_loads import PowerLoads  # [power]: the users' load
from rossim.config.scenario_commands import CommandEntry  # noqa: F401  (re-exported)
from rossim.config.scenario_names import check_names
from rossim.config.scenario_operations import (  # noqa: F401  (re-exported)
    InjectedFault,
    Operations,
    SolarParticleEventEntry,
)
from rossim.errors import InputError, written_date

__all__ = [
    "Scenario", "load_scenario", "DEFAULT_SCENARIO", "scenario_path", "shipped_scenarios",
    "Dispersion", "MonteCarlo", "CargoDemand", "CrewRoster", "PlannedEVA", "CREW_VISIT_DAYS",
]


#: Limits of the span: the space-weather table (rossim.environment.spaceweather) covers
#: 1957-10-04 .. 2100-01-01; a run keeps whole time series in memory.
SPAN_FIRST = dt.datetime(1957, 10, 4, tzinfo=dt.UTC)
SPAN_LAST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
SPAN_MAX_YEARS = 20


class Span(_Strict):
    """The simulated time span (UTC)."""

    start: UTCDate
    end: UTCDate

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end <= self.start:
            raise FieldError("end", written_date(self.end),
                             f"a date after start ({self.start.date()})")
        if self.start < SPAN_FIRST:
            raise FieldError("start", written_date(self.start),
                             f"a date from {SPAN_FIRST.date()} on (start of the space-weather "
                             "table)")
        if self.end >= SPAN_LAST:
            raise FieldError("end", written_date(self.end),
                             f"a date before {SPAN_LAST.date()} (end of the space-weather "
                             "table)")
        try:   # calendar years: 2027-12-01 + 20 years = 2047-12-01 (29 Feb -> 28 Feb)
            latest = self.start.replace(year=self.start.year + SPAN_MAX_YEARS)
        except ValueError:
            latest = self.start.replace(year=self.start.year + SPAN_MAX_YEARS, day=28)
        if self.end > latest:
            raise FieldError("end", written_date(self.end),
                             f"at most {SPAN_MAX_YEARS} years after start ({self.start.date()}, "
                             f"so {latest.date()} at the latest): "
                             "the operations run's memory grows with the span (~150 MB per "
                             "time series at 20 years)")
        return self


class Orbit(_Strict):
    """Initial circular orbit and altitude-keeping band. Altitudes above the WGS84 equatorial
    radius, km; angles deg. The node is set at the span start, either as ``raan_deg`` (right
    ascension of the ascending node, GCRF) or, for a sun-synchronous orbit, as ``ltan_h``
    (local mean solar time of the ascending node, hours 0-24): one or the other, not both.
    ``inclination_deg = "sun-synchronous"`` takes the inclination whose J2 node regression
    follows the Sun at the band's middle (:mod:`rossim.config.sun_synchronous`).
    :func:`rossim.dynamics.scenario_orbit.orbit_from_scenario` turns either into the one orbit
    every command uses."""

    altitude_km: float = Field(gt=150, le=2000)
    inclination_deg: float = Field(ge=0, le=180)
    raan_deg: float = Field(default=0.0, ge=0, lt=360)
    ltan_h: float | None = Field(default=None, ge=0, lt=24)
    altitude_band_km: tuple[float, float] | None = None
    attitude: Literal["velocity", "nadir"] = "velocity"

    @model_validator(mode="before")
    @classmethod
    def _sun_synchronous(cls, data):
        from rossim.config.sun_synchronous import resolve_orbit

        return resolve_orbit(data)   # inclination_deg = "sun-synchronous"

    @field_validator("altitude_band_km")
    @classmethod
    def _band(cls, band: tuple[float, float] | None) -> tuple[float, float] | None:
        if band is not None and not (150 < band[0] < band[1] <= 2000):
            raise ValueError("[low, high] with 150 < low < high <= 2000 km")
        return band

    @model_validator(mode="after")
    def _one_node(self) -> Orbit:
        if self.ltan_h is not None and "raan_deg" in self.model_fields_set:
            raise FieldError("raan_deg", f"{self.raan_deg} with ltan_h = {self.ltan_h}",
                             "either raan_deg or ltan_h, not both (each sets the node at "
                             "the span start)")
        return self


class InitialModule(_Strict):
    """A module already in orbit at the span start (e.g. the ISS Russian segment)."""

    module: str
    port: str = ""


class AssemblyLaunch(_Strict):
    """One module's launch and docking. ``port`` is ``"<module>.<port>"`` of the module it docks
    to, or empty for the first (free-flying) module. Modules sharing ``launch_group`` fly on
    one launcher (their masses add)."""

    module: str
    launch: UTCDate
    launcher: str | None = None
    site: str | None = None
    port: str = ""
    launch_group: Name | None = None
    transfer_days: float = Field(default=5.0, ge=0, le=60)
    mass_kg: PositiveMass | None = None
    enabled: bool = True
    # Insertion and climb (rossim.station.insertion): the orbit the launcher leaves the module
    # in, [perigee, apogee] km (default: the launcher's catalog insertion orbit), and who climbs
    # to the station: "own" (the module's engines), a tug id (catalog vehicles.toml [[tug]]) or
    # "upper-stage" (the launcher delivers to the station's orbit). Default: the module's own
    # engines, else its catalog tug. ``transfer_days``, when given, overrides the climb's days.
    insertion_km: tuple[float, float] | None = None
    climber: str | None = None


class Separation(_Strict):
    """Modules that leave the station at a date (e.g. the ISS at ROS's separation)."""

    date: UTCDate
    modules: list[str] = Field(min_length=1)
    note: str = ""

    @model_validator(mode="after")
    def _once(self) -> Separation:
        for j, mid in enumerate(self.modules):
            if mid in self.modules[:j]:
                raise FieldError(f"modules[{j}]", mid,
                                 f"each module listed once (modules[{self.modules.index(mid)}] "
                                 "is the same)")
        return self


class _VisitFields(_Strict):
    """What a visit and a series of visits have in common."""

    vehicle: str
    port: str
    duration_days: float = Field(gt=0, le=3650)
    crew: int = Field(default=0, ge=0, le=8)
    launcher: str | None = None
    site: str | None = None
    mass_kg: PositiveMass | None = None
    name: Name | None = None
    # Manifest (kg) brought to the station; None = the vehicle's catalog manifest. Set by the
    # cargo-by-demand planner (rossim.station.logistics) or by hand for one visit.
    water_kg: float | None = Field(default=None, ge=0, le=20000)
    food_kg: float | None = Field(default=None, ge=0, le=20000)
    oxygen_kg: float | None = Field(default=None, ge=0, le=20000)
    propellant_kg: float | None = Field(default=None, ge=0, le=20000)


class Visit(_VisitFields):
    """One visiting vehicle: launch, dock at ``port`` ("<module>.<port>", or "auto" for the
    first free port that fits), stay, undock."""

    launch: UTCDate

    @property
    def part_name(self) -> str:
        """The name the plan's events carry for this visit: its ``name``, else
        ``"<vehicle>@<launch date>"`` (:func:`rossim.station.build_timeline`)."""
        return self.name or f"{self.vehicle}@{self.launch.date()}"


class VisitSeries(_VisitFields):
    """A periodic series of visits, expanded into :class:`Visit` entries at load time."""

    first_launch: UTCDate
    every_days: float = Field(ge=1, le=3650)
    until: UTCDate

    @model_validator(mode="after")
    def _ordered(self) -> VisitSeries:
        if self.until < self.first_launch:
            raise FieldError("until", written_date(self.until),
                             f"a date on or after first_launch ({self.first_launch.date()})")
        return self

    def expand(self, stop: dt.datetime | None = None) -> list[Visit]:
        """The series' visits up to ``until`` (and ``stop``, e.g. the span end, if earlier)."""
        out: list[Visit] = []
        t = self.first_launch
        k = 1
        last = self.until if stop is None else min(self.until, stop)
        while t <= last:
            common = self.model_dump(exclude={"first_launch", "every_days", "until", "name"})
            out.append(Visit(launch=t, name=f"{self.name or self.vehicle} #{k}", **common))
            try:
                t = t + dt.timedelta(days=self.every_days)
            except OverflowError:  # past year 9999: nothing after it is simulated anyway
                break
            k += 1
        return out


#: Length of a crew expedition of a ``[[crew_series]]`` (days): from a 30-day visit (ROS's
#: periodic plan, seed 000) to nine months (ISS long stays: up to ~6 months routinely,
#: Soyuz MS-22/23 crews ~1 year after the 2022 leak; 9 months = 274 days).
CREW_VISIT_DAYS = (30.0, 274.0)


class CargoDemand(_Strict):
    """Cargo ships flown by demand (``[[cargo_demand]]``): between ``first_launch`` and
    ``until`` a ship of ``vehicle`` docks at ``port`` whenever the forecast stock of water,
    food, oxygen, station propellant or spares would fall below the reserve (``reserve_days``
    of use; default the catalog's ``life_support.reserve_days``), and brings no more than the
    station's stowage takes at its arrival (:mod:`rossim.station.logistics`). A ship stays
    ``duration_days`` or until the next one arrives at its port. ``min_interval_days``: no
    two launches closer than this (range and pad turnaround); ``horizon_days``: a ship brings
the water, food and oxygen of that many days of forecast use (plus the reserve);
``lead_days``: a ship arrives when a stock would reach its reserve within that many days."""

    vehicle: str
    port: str
    first_launch: UTCDate
    until: UTCDate
    duration_days: float = Field(gt=0, le=3650)
    reserve_days: float | None = Field(default=None, ge=0, le=3650)
    min_interval_days: float = Field(default=30.0, ge=1, le=3650)
    horizon_days: float = Field(default=365.0, ge=1, le=3650)
    lead_days: float = Field(default=10.0, ge=0, le=365)
    mass_kg: PositiveMass | None = None
    launcher: str | None = None
    site: str | None = None
    name: Name | None = None

    @model_validator(mode="after")
    def _ordered(self) -> CargoDemand:
        if self.until < self.first_launch:
            raise FieldError("until", written_date(self.until),
                             f"a date on or after first_launch ({self.first_launch.date()})")
        return self


class CrewRoster(_Strict):
    """Who flies (``[crew_roster]``): ``names`` of the cosmonauts (default placeholders
    "Cosmonaut 1..pool_size"); ``rotation``: ``round-robin`` (each crew seat takes the next
    name of the pool, so people fly again) or ``fresh`` (every seat of every visit is a new
    person, "Cosmonaut k" numbered on). Dose per person per visit and career totals:
    :mod:`rossim.analysis.crew_record`."""

    names: list[Name] = Field(default_factory=list, max_length=200)
    pool_size: int = Field(default=6, ge=1, le=200)
    rotation: Literal["round-robin", "fresh"] = "round-robin"

    @model_validator(mode="after")
    def _distinct(self) -> CrewRoster:
        first: dict[str, int] = {}
        for j, name in enumerate(self.names):
            if name in first:
                raise FieldError(f"names[{j}]", name,
                                 f"a name not already in the roster (names[{first[name]}] is "
                                 "the same): each name is one person, whose dose and career "
                                 "are counted apart")
            first[name] = j
        return self


class PlannedEVA(_Strict):
    """A spacewalk the scenario plans (``[[evas]]``): ready from ``date``, ``count`` EVAs at
    ``worksite`` (a module id), booked like a repair spacewalk (crew of two aboard, preparation
    days, crew time) by :mod:`rossim.ops.eva`."""

    date: UTCDate
    worksite: str
    count: int = Field(default=1, ge=1, le=10)
    task: str = "planned EVA"


class Scenario(_Strict):
    """A validated scenario. ``visits`` holds the explicit visits plus the expanded series,
    sorted by launch date."""

    name: Name
    description: str = ""
    seed: int = Field(ge=0)
    span: Span
    orbit: Orbit
    initial: list[InitialModule] = Field(default_factory=list)
    assembly: list[AssemblyLaunch] = Field(default_factory=list)
    separations: list[Separation] = Field(default_factory=list)
    crew_visits: list[Visit] = Field(default_factory=list)
    cargo_visits: list[Visit] = Field(default_factory=list)
    crew_series: list[VisitSeries] = Field(default_factory=list)
    cargo_series: list[VisitSeries] = Field(default_factory=list)
    cargo_demand: list[CargoDemand] = Field(default_factory=list)
    #: A docked crew ship moves to a free port when an arriving ship needs its port
    #: (rossim.station.assembly); otherwise the plan is refused as "port already occupied".
    relocate_crew_ships: bool = False
    crew_roster: CrewRoster = Field(default_factory=CrewRoster)
    evas: list[PlannedEVA] = Field(default_factory=list)
    free_flyers: FreeFlyers = Field(default_factory=FreeFlyers)
    operations: Operations = Field(default_factory=Operations)
    power: PowerLoads = Field(default_factory=PowerLoads)  # experiments' load (kW)
    solar_particle_events: list[SolarParticleEventEntry] = Field(default_factory=list)
    commands: list[CommandEntry] = Field(default_factory=list)
    monte_carlo: MonteCarlo | None = None
    source_path: str | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Scenario:
        if not self.initial and not self.assembly:
            raise FieldError("assembly", "no module (and none in `initial`)",
                             "at least one module in `initial` or `assembly`")
        # Dates outside the span first: an entry out of the span is the one to name, not the
        # (disabled or later) entry whose order it then seems to break.
        self._check_span()
        last = None
        for i, a in enumerate(self.assembly):
            if not a.enabled:  # a disabled module flies nowhere: its date orders nothing
                continue
            if last is not None and a.launch < last:
                raise FieldError(f"assembly[{i}].launch", written_date(a.launch),
                                  f"on or after the previous launch ({last.date()}): "
                                  "list assembly launches in date order")
            last = a.launch
        lo, hi = CREW_VISIT_DAYS
        for i, cs in enumerate(self.crew_series):
            if cs.crew < 1:
                raise FieldError(f"crew_series[{i}].crew", cs.crew,
                                 "1 to 8 cosmonauts (a crew series carries a crew; uncrewed "
                                 "ships go in [[cargo_series]])")
            if cs.crew > 0 and not lo <= cs.duration_days <= hi:
                raise FieldError(f"crew_series[{i}].duration_days", cs.duration_days,
                                 f"an expedition of {lo:g} to {hi:g} days (30 days to nine "
                                 "months; a shorter visit goes in [[crew_visits]])")
        for group in ("crew_visits", "cargo_visits"):
            last = None
            for i, v in enumerate(getattr(self, group)):
                if last is not None and v.launch < last:
                    raise FieldError(f"{group}[{i}].launch", written_date(v.launch),
                                      f"on or after the previous visit ({last.date()}): "
                                      "list visits in date order")
                last = v.launch
        check_names(self)   # the names the entries give their ships tell them apart
        return self

    def _check_span(self) -> None:
        inside = f"a date inside the span {self.span.start.date()} .. {self.span.end.date()}"
        for name, when in self._dated():
            if not (self.span.start <= when <= self.span.end):
                raise FieldError(name, written_date(when), inside)
        # A series may run past the span's end (a shortened span flies its part of it), not
        # start before it: its first ship found no station there ("every port is occupied").
        for g in ("crew_series", "cargo_series"):
            for i, s in enumerate(getattr(self, g)):
                if s.first_launch < self.span.start:
                    raise FieldError(f"{g}[{i}].first_launch",
                                     written_date(s.first_launch), inside)

    def _dated(self):
        for i, a in enumerate(self.assembly):
            if a.enabled:
                yield f"assembly[{i}].launch", a.launch
        for i, s in enumerate(self.separations):
            yield f"separations[{i}].date", s.date
        for g in ("crew_visits", "cargo_visits"):
            for i, v in enumerate(getattr(self, g)):
                yield f"{g}[{i}].launch", v.launch
        for i, d in enumerate(self.free_flyers.deployments):
            yield f"free_flyers.deployments[{i}].date", d.date
        for i, c in enumerate(self.cargo_demand):
            yield f"cargo_demand[{i}].first_launch", c.first_launch
        for i, e in enumerate(self.evas):
            yield f"evas[{i}].date", e.date
        for i, f in enumerate(self.operations.faults):
            yield f"operations.faults[{i}].at", f.at
        for i, e in enumerate(self.solar_particle_events):
            yield f"solar_particle_events[{i}].start", e.start
        for i, c in enumerate(self.commands):
            yield f"commands[{i}].at", c.at

    @property
    def visits(self) -> list[tuple[str, Visit]]:
        """All visits (explicit and expanded series) as ``(field, visit)``, by launch date."""
        items: list[tuple[str, Visit]] = []
        for g in ("crew_visits", "cargo_visits"):
            items += [(f"{g}[{i}]", v) for i, v in enumerate(getattr(self, g))]
        for g in ("crew_series", "cargo_series"):
            for i, s in enumerate(getattr(self, g)):
                items += [(f"{g}[{i}]", v) for v in s.expand(self.span.end)]
        items.sort(key=lambda fv: (fv[1].launch, fv[0]))
        return items


def shipped_scenarios() -> Path:
    """Folder holding the reference scenarios (package copy)."""
    return Path(str(resources.files("rossim") / "scenarios"))


DEFAULT_SCENARIO_NAME = "ros-51.6"
DEFAULT_SCENARIO = shipped_scenarios() / f"{DEFAULT_SCENARIO_NAME}.toml"


def scenario_path(name_or_path: str | Path | None) -> Path:
    """Resolve a scenario argument: a path, or the name of a shipped scenario."""
    if name_or_path is None:
        return DEFAULT_SCENARIO
    if not str(name_or_path).strip():   # Path("") is the current folder: never meant
        raise InputError("argument", "scenario", name_or_path,
                         "a scenario file or the name of a shipped scenario (not empty)")
    p = Path(name_or_path)
    try:
        exists = p.exists()
    except OSError:  # e.g. a name too long: read_toml reports it
        return p
    if exists:
        return p
    candidate = shipped_scenarios() / f"{p.name.removesuffix('.toml')}.toml"
    if p.parent == Path(".") and candidate.exists():
        return candidate
    names = sorted(x.stem for x in shipped_scenarios().glob("*.toml"))
    raise InputError(str(name_or_path), None, str(name_or_path),
                     "an existing scenario file or the name of a shipped scenario: "
                     + ", ".join(names), problem="not found")


def load_scenario(path: str | Path | None = None) -> Scenario:
    """Read and validate a scenario file (schema level). ``None`` loads the default."""
    p = scenario_path(path)
    data = read_toml(_display(p))
    try:
        scenario = validate(Scenario, data, str(p))
    except InputError:
        raise
    return scenario.model_copy(update={"source_path": _display(p)})


def _display(p: Path) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
