"""Scenario files: what a user edits to describe a station, its orbit and its campaign.

A scenario is TOML, validated by the pydantic schema below (unknown fields are errors; every
error names the file, the field, the bad value and what was expected). Dates are TOML dates
(``2027-12-15``) or date-times (``2027-12-15T03:00:00Z``), always UTC. The schema checks types,
ranges and ordering; whether the plan is physically possible (ports free and of the right type,
parents present, launch masses within the launcher's capability) is checked by
:func:`rossim.station.assembly.build_timeline`, which needs the catalog.

Reference scenarios ship in ``scenarios/`` at the repository root and inside the package
(``rossim/scenarios``): ``ros-51.6`` (current plan, the default), ``ros-97`` (earlier
sun-synchronous plan) and ``ros-iss-start`` (December 2025 plan: built on the ISS Russian
segment, separated before the ISS deorbit).
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from rossim.config._toml import FieldError, read_toml, validate
from rossim.errors import InputError

__all__ = [
    "Scenario", "load_scenario", "DEFAULT_SCENARIO", "scenario_path", "shipped_scenarios",
    "Dispersion", "MonteCarlo",
]


def _to_utc(value: object) -> object:
    """TOML dates and naive date-times mean UTC."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ)") from None
        return _to_utc(parsed)
    raise ValueError("a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ)")


UTCDate = Annotated[dt.datetime, BeforeValidator(_to_utc)]
#: A mass in kg: 0.1 kg (the lightest free-flyer, a PocketQube is ~0.25 kg) to 1,000 t (more
#: than the whole ISS, ~420 t).
PositiveMass = Annotated[float, Field(ge=0.1, le=1e6, description="kg")]


class _Strict(BaseModel):
    """Base of every scenario section: unknown fields refused, no type coercion (``true`` is
    not a number, ``1`` or ``"true"`` not a boolean, ``"5"`` not a number), no infinities or
    NaN. TOML arrays are read into the tuple-typed fields (the one conversion kept)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _arrays_to_tuples(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for name, info in cls.model_fields.items():
            if name in out and isinstance(out[name], list) and "tuple" in str(info.annotation):
                out[name] = _tuples(out[name])
        return out


def _tuples(value: object) -> object:
    return tuple(_tuples(x) for x in value) if isinstance(value, list) else value


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
            raise FieldError("end", self.end.date().isoformat(),
                             f"a date after start ({self.start.date()})")
        if self.start < SPAN_FIRST:
            raise FieldError("start", self.start.date().isoformat(),
                             f"a date from {SPAN_FIRST.date()} on (start of the space-weather "
                             "table)")
        if self.end >= SPAN_LAST:
            raise FieldError("end", self.end.date().isoformat(),
                             f"a date before {SPAN_LAST.date()} (end of the space-weather "
                             "table)")
        if (self.end - self.start).days > SPAN_MAX_YEARS * 366:
            raise FieldError("end", self.end.date().isoformat(),
                             f"at most {SPAN_MAX_YEARS} years after start ({self.start.date()}): "
                             "the operations run's memory grows with the span (~150 MB per "
                             "time series at 20 years)")
        return self


class Orbit(_Strict):
    """Initial circular orbit and altitude-keeping band. Altitudes above the WGS84 equatorial
    radius, km; angles deg. The node is set at the span start, either as ``raan_deg`` (right
    ascension of the ascending node, GCRF) or, for a sun-synchronous orbit, as ``ltan_h``
    (local mean solar time of the ascending node, hours 0-24): one or the other, not both.
    :func:`rossim.dynamics.scenario_orbit.orbit_from_scenario` turns either into the one orbit
    every command uses."""

    altitude_km: float = Field(gt=150, le=2000)
    inclination_deg: float = Field(ge=0, le=180)
    raan_deg: float = Field(default=0.0, ge=0, lt=360)
    ltan_h: float | None = Field(default=None, ge=0, lt=24)
    altitude_band_km: tuple[float, float] | None = None
    attitude: Literal["velocity", "nadir"] = "velocity"

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
    launch_group: str | None = None
    transfer_days: float = Field(default=5.0, ge=0, le=60)
    mass_kg: PositiveMass | None = None
    enabled: bool = True


class Separation(_Strict):
    """Modules that leave the station at a date (e.g. the ISS at ROS's separation)."""

    date: UTCDate
    modules: list[str] = Field(min_length=1)
    note: str = ""


class _VisitFields(_Strict):
    """What a visit and a series of visits have in common."""

    vehicle: str
    port: str
    duration_days: float = Field(gt=0, le=3650)
    crew: int = Field(default=0, ge=0, le=8)
    launcher: str | None = None
    site: str | None = None
    mass_kg: PositiveMass | None = None
    name: str | None = None


class Visit(_VisitFields):
    """One visiting vehicle: launch, dock at ``port`` ("<module>.<port>", or "auto" for the
    first free port that fits), stay, undock."""

    launch: UTCDate


class VisitSeries(_VisitFields):
    """A periodic series of visits, expanded into :class:`Visit` entries at load time."""

    first_launch: UTCDate
    every_days: float = Field(ge=1, le=3650)
    until: UTCDate

    @model_validator(mode="after")
    def _ordered(self) -> VisitSeries:
        if self.until < self.first_launch:
            raise FieldError("until", self.until.date().isoformat(),
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


class Deployment(_Strict):
    """Free-flyer deployment: ``count`` satellites from ``port`` at ``date``.

    ``port`` is a payload port "<module>.<port>"; ``release`` "port" ejects from it (spring
    ejector), "arm" has the robot arm carry the satellite ``arm_reach_m`` out before release.
    ``direction`` is a named LVLH direction or ``[x, y, z]`` (LVLH, any length). The ejection
    speed ``delta_v_m_s`` has a 1-sigma dispersion ``delta_v_sigma_fraction`` (relative) and
    ``direction_sigma_deg``; satellites leave ``interval_s`` apart. ``cd``/``area_m2`` are each
    satellite's drag coefficient and mean drag area; ``propellant_kg``/``isp_s`` its
    station-keeping propulsion. See docs/fleet.md.
    """

    date: UTCDate
    count: int = Field(ge=1)
    mass_kg: PositiveMass
    port: str
    delta_v_m_s: float = Field(gt=0, le=10)
    direction: str | tuple[float, float, float] = "radial-down"
    release: Literal["port", "arm"] = "port"
    arm_reach_m: float = Field(default=11.0, gt=0, le=30)
    delta_v_sigma_fraction: float = Field(default=0.05, ge=0, le=0.5)
    direction_sigma_deg: float = Field(default=3.0, ge=0, le=45)
    interval_s: float = Field(default=600.0, ge=0, le=86400)
    cd: float = Field(default=2.2, gt=0, le=5)
    area_m2: float = Field(default=0.1, gt=0, le=100)
    propellant_kg: float = Field(default=1.0, ge=0, le=1e4)
    isp_s: float = Field(default=220.0, gt=0, le=5000)

    @model_validator(mode="after")
    def _propellant(self) -> Deployment:
        if self.propellant_kg >= self.mass_kg:
            raise FieldError("propellant_kg", self.propellant_kg,
                             f"less than the satellite's mass_kg ({self.mass_kg:g} kg)")
        return self

    @field_validator("direction", mode="before")
    @classmethod
    def _direction(cls, d):
        names = ("radial-up", "radial-down", "along-track", "anti-along-track", "cross-track")
        expected = ("one of " + ", ".join(names) + " or a non-zero LVLH vector [x, y, z] "
                    "(components at most 1e6 in size)")
        if isinstance(d, str):
            if d not in names:
                raise ValueError(expected)
            return d
        if isinstance(d, list | tuple) and len(d) == 3 and all(
                isinstance(x, int | float) and not isinstance(x, bool) for x in d):
            v = tuple(float(x) for x in d)
            if any(x != 0 for x in v) and all(abs(x) <= 1e6 for x in v):
                return v
        raise ValueError(expected)


#: Memory limits of the free-flyer analyses (``rossim fleet``): a 10,000-satellite plan passed
#: 5 GB resident in 25 s, and 100,000 dispersion samples over 500 orbits asked for 1.2 TiB
#: (rel-case fleet-many-satellites-memory). The recontact check stores (orbits x ~555 steps) x
#: samples x 3 positions and a few masks of that size.
MAX_FREE_FLYERS = 1000
MAX_DISPERSION_WORK = 10_000


class FreeFlyers(_Strict):
    """The free-flyer family plan and its safety rules (LVLH: x along-track, y cross-track
    (-orbit normal), z radial towards the Earth).

    Safety zones (ISS practice: 200 m keep-out sphere, 4 x 2 x 2 km approach ellipsoid):
    ``keep_out_radius_m`` and ``approach_ellipsoid_m`` (semi-axes x, y, z). The family flies
    passively safe relative orbits: ring ``k`` has radial amplitude ``ellipse_radial_m + k *
    ring_spacing_m`` (along-track twice that) and cross-track amplitude
    ``ellipse_cross_track_m + k * ring_spacing_m``, ``satellites_per_ring`` per ring.
    Screening: 1-sigma LVLH position uncertainties ``position_sigma_m`` (free-flyers) and
    ``station_position_sigma_m``, or a full free-flyer ``covariance_m2`` (3x3, LVLH, m^2);
    hard-body radii; ``screening_distance_m``. Deployment safety: no return within
    ``recontact_radius_m`` for ``recontact_orbits`` orbits, over ``dispersion_samples``
    dispersed ejections. The station's drag coefficient is ``operations.cd`` (one value for
    every model); ``free_flyers.station_cd`` is refused with a message saying so.
    """

    max_satellites: int = Field(default=24, ge=0, le=MAX_FREE_FLYERS)
    deployments: list[Deployment] = Field(default_factory=list)
    keep_out_radius_m: float = Field(default=200.0, gt=0, le=10000)
    approach_ellipsoid_m: tuple[float, float, float] = (2000.0, 1000.0, 1000.0)
    ellipse_radial_m: float = Field(default=1500.0, gt=0, le=100000)
    ellipse_cross_track_m: float = Field(default=1000.0, gt=0, le=100000)
    satellites_per_ring: int = Field(default=12, ge=1, le=1000)
    ring_spacing_m: float = Field(default=300.0, ge=0, le=100000)
    position_sigma_m: tuple[float, float, float] = (20.0, 5.0, 5.0)
    station_position_sigma_m: tuple[float, float, float] = (10.0, 2.0, 2.0)
    covariance_m2: tuple[tuple[float, float, float], tuple[float, float, float],
                         tuple[float, float, float]] | None = None
    hard_body_radius_m: float = Field(default=1.0, gt=0, le=100)
    station_hard_body_radius_m: float = Field(default=50.0, gt=0, le=500)
    screening_distance_m: float = Field(default=1000.0, gt=0, le=100000)
    recontact_radius_m: float = Field(default=100.0, gt=0, le=10000)
    recontact_orbits: int = Field(default=15, ge=1, le=500)
    dispersion_samples: int = Field(default=200, ge=0, le=100000)

    @model_validator(mode="before")
    @classmethod
    def _no_station_cd(cls, data: Any) -> Any:
        if isinstance(data, dict) and "station_cd" in data:
            raise FieldError("station_cd", data["station_cd"],
                             "no station_cd here: the station's drag coefficient is "
                             "operations.cd, one value for run, fleet and every model (move it "
                             "to [operations] cd)")
        return data

    @field_validator("approach_ellipsoid_m", "position_sigma_m", "station_position_sigma_m")
    @classmethod
    def _positive3(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        if not all(0 < x <= 1e6 for x in v):
            raise ValueError("three positive lengths [x, y, z] in metres, at most 1e6")
        return v

    @field_validator("covariance_m2")
    @classmethod
    def _covariance(cls, c):
        if c is None:
            return c
        import numpy as np

        m = np.asarray(c, dtype=float)
        ok = bool(np.all(np.isfinite(m))) and np.allclose(m, m.T, rtol=1e-9, atol=0.0)
        if ok:  # singular is fine: the Pc uses the combined covariance (CARA's convention)
            w = np.linalg.eigvalsh(0.5 * (m + m.T))
            ok = bool(w.min() >= -1e-12 * max(abs(w).max(), 1e-300))
        if not ok:
            raise ValueError("a symmetric 3x3 covariance (m^2) with no negative eigenvalue "
                             "(positive-definite or singular)")
        return c

    @model_validator(mode="after")
    def _cap(self) -> FreeFlyers:
        work = self.dispersion_samples * self.recontact_orbits
        if work > MAX_DISPERSION_WORK:
            raise FieldError("dispersion_samples", self.dispersion_samples,
                             f"dispersion_samples x recontact_orbits <= {MAX_DISPERSION_WORK} "
                             f"(now {work}): the recontact check holds every sample's "
                             "trajectory at 10 s steps in memory (~13 MB per array per 1000)")
        total = sum(d.count for d in self.deployments)
        if total > self.max_satellites:
            raise FieldError("deployments", f"{total} satellites",
                             f"at most max_satellites = {self.max_satellites} in all "
                             "deployments together (raise max_satellites or deploy fewer)")
        return self


class SolarParticleEventEntry(_Strict):
    """A solar particle event for the crew-dose model (King 1972 spectrum x ``scale``)."""

    start: UTCDate
    duration_days: float = Field(default=2.0, gt=0, le=30)
    scale: float = Field(default=1.0, ge=0, le=100)


class InjectedFault(_Strict):
    """A fault the scenario injects: ``component`` (an id of catalog/systems.toml) fails at
    ``at``."""

    component: str
    at: UTCDate


class CommandEntry(_Strict):
    """A time-tagged command of the scenario's ``[[commands]]`` timeline: ``at`` (UTC),
    ``command`` (a name of :mod:`rossim.ops.commands`) and that command's fields; which fields
    each command takes is checked by ``rossim validate`` (docs/operations.md lists them)."""

    at: UTCDate
    command: str
    delta_v_m_s: float | None = None
    target_altitude_km: float | None = None
    mode: str | None = None
    level: int | None = None
    vehicle: str | None = None
    port: str | None = None
    activity: str | None = None
    power_kw: float | None = None
    component: str | None = None
    module: str | None = None
    fault_id: int | None = None
    kind: str | None = None
    worksite: str | None = None
    duration_h: float | None = None
    count: int | None = None
    mass_kg: float | None = None
    enter: bool | None = None
    duration_days: float | None = None
    crew: int | None = None
    visit_name: str | None = None


class Operations(_Strict):
    """Settings of the operations simulation (``rossim run``). Defaults are the reference
    choices documented in docs/operations.md."""

    cd: float = Field(default=2.2, gt=0, le=5)
    space_weather: Literal["historical", "constant"] = "historical"
    f107: float = Field(default=150.0, ge=50, le=400)  # MSIS range: spaceweather.F107_*_SFU
    f107a: float = Field(default=150.0, ge=50, le=400)
    ap: float = Field(default=15.0, ge=0, le=400)
    atmosphere: Literal["nrlmsise00", "msis2.0", "msis2.1"] = "nrlmsise00"
    power_step_s: float = Field(default=60.0, ge=10, le=600)
    random_faults: bool = True
    faults: list[InjectedFault] = Field(default_factory=list)
    # Dispersion knobs (set by `rossim campaign` for each run; the defaults are the nominal
    # run). Forecast days only: F10.7 -> 67 + amplitude_scale * (F10.7 - 67) sfu, read
    # phase_shift_days later (a positive shift delays the cycle); daily log-normal AR(1)
    # noise of F10.7 and Ap (sigma of ln, lag-1 correlation). See
    # rossim.environment.spaceweather.dispersed_weather and docs/campaigns.md.
    solar_amplitude_scale: float = Field(default=1.0, gt=0, le=5)
    solar_phase_shift_days: float = Field(default=0.0, ge=-2000, le=2000)
    f107_noise_sigma: float = Field(default=0.0, ge=0, le=1)
    f107_noise_lag1: float = Field(default=0.0, ge=0, lt=1)
    ap_noise_sigma: float = Field(default=0.0, ge=0, le=2)
    ap_noise_lag1: float = Field(default=0.0, ge=0, lt=1)
    # Random-fault rates x this factor (every component's MTBF / fault_rate_scale).
    fault_rate_scale: float = Field(default=1.0, gt=0, le=100)
    #: Accept phases whose end-of-life energy balance at their worst beta is negative (a
    #: deliberately undersized station): ``rossim validate`` and ``run`` refuse them otherwise.
    accept_power_deficit: bool = False


_DISTRIBUTION_PARAMETERS: dict[str, tuple[str, ...]] = {
    "constant": ("value",),
    "normal": ("mean", "sigma"),
    "uniform": ("low", "high"),
    "lognormal": ("mu", "sigma"),
    "triangular": ("low", "mode", "high"),
    "bernoulli": ("p",),
}


class Dispersion(_Strict):
    """One uncertain input of a Monte Carlo campaign: its distribution and its origin.

    ``distribution`` and its parameters: ``constant`` (value), ``normal`` (mean, sigma),
    ``uniform`` (low, high), ``lognormal`` (mu, sigma of the natural log), ``triangular``
    (low, mode, high), ``bernoulli`` (p). ``lag1_correlation`` is for the daily noise terms
    only (AR(1) day to day). ``source`` says where the numbers come from; ``flag`` is
    ``published`` or ``estimate`` as in the catalog.
    """

    distribution: Literal["constant", "normal", "uniform", "lognormal", "triangular",
                          "bernoulli"]
    value: float | None = None
    mean: float | None = None
    sigma: float | None = None
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mu: float | None = None
    p: float | None = None
    lag1_correlation: float = Field(default=0.0, ge=0, lt=1)
    source: str = Field(min_length=1)
    flag: Literal["published", "estimate"] = "estimate"

    @model_validator(mode="after")
    def _parameters(self) -> Dispersion:
        import math

        wanted = _DISTRIBUTION_PARAMETERS[self.distribution]
        for name in ("value", "mean", "sigma", "low", "high", "mode", "mu", "p"):
            v = getattr(self, name)
            if name in wanted:
                if v is None:
                    raise FieldError(name, None, f"a number (a {self.distribution} "
                                     f"distribution needs {', '.join(wanted)})")
                if not math.isfinite(v):
                    raise FieldError(name, v, "a finite number")
            elif v is not None:
                raise FieldError(name, v, f"no '{name}' for a {self.distribution} "
                                 f"distribution (it takes {', '.join(wanted)})")
        d = self.distribution
        if d in ("normal", "lognormal") and not self.sigma > 0:
            raise FieldError("sigma", self.sigma, "a number > 0")
        if d == "uniform" and not self.low < self.high:
            raise FieldError("high", self.high, f"a number > low ({self.low})")
        if d == "triangular" and not (self.low <= self.mode <= self.high
                                      and self.low < self.high):
            raise FieldError("mode", self.mode,
                             f"low <= mode <= high with low < high (low {self.low}, "
                             f"high {self.high})")
        if d == "bernoulli" and not 0.0 <= self.p <= 1.0:
            raise FieldError("p", self.p, "a probability from 0 to 1")
        return self


class MonteCarlo(_Strict):
    """The ``[monte_carlo]`` section: the uncertain inputs of ``rossim campaign``.

    Each entry is a :class:`Dispersion`; an absent entry keeps the scenario's nominal value.
    What each one acts on, and how often it is drawn (per run, per launch, per visit or per
    day), is fixed by rossim (:mod:`rossim.campaign.dispersions`, docs/campaigns.md):

    - ``solar_amplitude_scale`` (run): scale of the forecast solar cycle above 67 sfu;
    - ``solar_phase_shift_days`` (run): delay of the forecast cycle, days;
    - ``f107_daily_noise`` / ``ap_daily_noise`` (day): ln of the daily factor on F10.7 / Ap;
    - ``drag_coefficient`` (run): the station's C_D;
    - ``assembly_launch_slip_days`` (launch, sharing a ``launch_group``): delay of a module
      launch; ``assembly_launch_failure`` (launch): the module is lost and re-flown
      ``module_refly_days`` later;
    - ``cargo_launch_slip_days`` / ``cargo_ship_failure`` (cargo visit): delay; ship and
      cargo lost;
    - ``crew_launch_slip_days`` (crew visit): delay;
    - ``fault_rate_scale`` (run): factor on every random-fault rate.

    ``seed`` is the campaign seed used when ``rossim campaign`` gets no ``--seed``.
    """

    seed: int = Field(default=0, ge=0)
    solar_amplitude_scale: Dispersion | None = None
    solar_phase_shift_days: Dispersion | None = None
    f107_daily_noise: Dispersion | None = None
    ap_daily_noise: Dispersion | None = None
    drag_coefficient: Dispersion | None = None
    assembly_launch_slip_days: Dispersion | None = None
    assembly_launch_failure: Dispersion | None = None
    module_refly_days: Dispersion | None = None
    cargo_launch_slip_days: Dispersion | None = None
    cargo_ship_failure: Dispersion | None = None
    crew_launch_slip_days: Dispersion | None = None
    fault_rate_scale: Dispersion | None = None

    @model_validator(mode="after")
    def _kinds(self) -> MonteCarlo:
        for name in ("assembly_launch_failure", "cargo_ship_failure"):
            d = getattr(self, name)
            if d is not None and d.distribution not in ("bernoulli", "constant"):
                raise FieldError(f"{name}.distribution", d.distribution,
                                 "bernoulli (an event that happens or not)")
        for name in ("f107_daily_noise", "ap_daily_noise"):
            d = getattr(self, name)
            if d is not None and not (d.distribution == "normal" and d.mean == 0.0):
                raise FieldError(name, f"{d.distribution} (mean {d.mean})",
                                 "a normal distribution with mean 0 (of the log of the "
                                 "daily factor; sigma and lag1_correlation set its size)")
        for name in type(self).model_fields:
            d = getattr(self, name)
            if (isinstance(d, Dispersion) and d.lag1_correlation
                    and name not in ("f107_daily_noise", "ap_daily_noise")):
                raise FieldError(f"{name}.lag1_correlation", d.lag1_correlation,
                                 "0: only the daily noise terms are correlated day to day")
        return self


class Scenario(_Strict):
    """A validated scenario. ``visits`` holds the explicit visits plus the expanded series,
    sorted by launch date."""

    name: str
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
    free_flyers: FreeFlyers = Field(default_factory=FreeFlyers)
    operations: Operations = Field(default_factory=Operations)
    solar_particle_events: list[SolarParticleEventEntry] = Field(default_factory=list)
    commands: list[CommandEntry] = Field(default_factory=list)
    monte_carlo: MonteCarlo | None = None
    source_path: str | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Scenario:
        if not self.initial and not self.assembly:
            raise ValueError("at least one module in `initial` or `assembly`")
        last = None
        for i, a in enumerate(self.assembly):
            if last is not None and a.launch < last:
                raise FieldError(f"assembly[{i}].launch", a.launch.date().isoformat(),
                                  f"on or after the previous launch ({last.date()}): "
                                  "list assembly launches in date order")
            last = a.launch
        for group in ("crew_visits", "cargo_visits"):
            last = None
            for i, v in enumerate(getattr(self, group)):
                if last is not None and v.launch < last:
                    raise FieldError(f"{group}[{i}].launch", v.launch.date().isoformat(),
                                      f"on or after the previous visit ({last.date()}): "
                                      "list visits in date order")
                last = v.launch
        for name, when in self._dated():
            if not (self.span.start <= when <= self.span.end):
                raise FieldError(name, when.date().isoformat(),
                                  f"a date inside the span {self.span.start.date()} .. "
                                  f"{self.span.end.date()}")
        return self

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
                     f"an existing scenario file or one of {names}", problem="not found")


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
