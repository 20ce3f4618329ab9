"""Typed results: what a command computes, as dataclasses whose fields are the keys of its
``--json`` output (``to_dict()``), so the command line, the report, the docs tools and the
tests name a figure as an attribute instead of spelling a dict key.

- :class:`VisitDose`: one crewed visit's dose (``rossim dose SCENARIO``, the run's crew dose);
- :class:`LaunchSummary`: ``rossim launch`` (windows, module margins, plane drift);
- :class:`TradeRow`: one scenario's column of ``rossim trade``;
- :class:`RunSummary`: ``summary.json`` of ``rossim run`` (what
  :func:`rossim.ops.summary.build_summary` returns: ``SimulationResult.summary``).

``to_dict()`` gives the JSON object (the same keys as before the types; nested results are
dicts again); ``from_dict(d)`` checks the keys: a key the type does not know, or a field the
dict lacks, is a programming error (``ValueError`` naming it), so a new figure is added to the
type and its JSON together. The layer of this module is the lowest: it imports nothing from
rossim, so every layer can return these types.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

__all__ = ["Result", "VisitDose", "LaunchSummary", "TradeRow", "RunSummary"]


def _field_names(cls: type) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]


class Result:
    """Base of the typed results: ``to_dict``/``from_dict`` with the JSON key names."""

    #: JSON key -> field name, where the key is not a Python name ("from").
    _KEYS: ClassVar[dict[str, str]] = {}
    #: Fields kept for the presentation layer but not part of the JSON object.
    _PRIVATE: ClassVar[tuple[str, ...]] = ()

    def __getitem__(self, key: str) -> Any:
        """Read access by JSON key (``summary["availability"]``); private fields excluded."""
        if key in self._PRIVATE or key not in _field_names(type(self)):
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    @classmethod
    def _json_key(cls, name: str) -> str:
        return {v: k for k, v in cls._KEYS.items()}.get(name, name)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: every public field under its JSON key."""
        out = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            if f.name in self._PRIVATE:
                continue
            value = getattr(self, f.name)
            if isinstance(value, Result):
                value = value.to_dict()
            elif isinstance(value, list) and value and isinstance(value[0], Result):
                value = [v.to_dict() for v in value]
            out[self._json_key(f.name)] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], **private: Any):
        """The result from its JSON-style dict (``private``: the non-JSON fields)."""
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        kwargs = {cls._KEYS.get(k, k): v for k, v in data.items()}
        unknown = sorted(set(kwargs) - names)
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown key(s) {', '.join(unknown)}: add the "
                             "field to rossim.results")
        kwargs.update(private)
        missing = sorted(f.name for f in dataclasses.fields(cls)  # type: ignore[arg-type]
                         if f.name not in kwargs and f.default is dataclasses.MISSING
                         and f.default_factory is dataclasses.MISSING)
        if missing:
            raise ValueError(f"{cls.__name__}: missing field(s) {', '.join(missing)}")
        return cls(**kwargs)


@dataclasses.dataclass(frozen=True)
class VisitDose(Result):
    """One crewed visit's radiation dose (per person, behind the station's shielding)."""

    visit: str                      #: visit name (or vehicle)
    vehicle: str
    launch: str                     #: launch date, ISO
    days: float                     #: days aboard
    crew: int
    trapped_model: str              #: AP-8/AE-8 of its days: "min", "max" or "min/max"
    phi_MV: float                   #: GCR modulation potential, MV (mean of its days)
    per_person_mGy: float           #: absorbed dose per person over the visit
    per_person_mSv: float           #: dose equivalent per person over the visit
    mSv_per_day: float
    collective_person_mSv: float    #: crew x per-person
    cumulative_person_mSv: float    #: collective, all visits so far
    #: the dosed interval, ISO UTC (which visits are aboard together); older results lack it
    start: str = ""
    end: str = ""


@dataclasses.dataclass(frozen=True)
class LaunchSummary(Result):
    """Everything ``rossim launch`` shows (:func:`rossim.analysis.launch.launch_summary`)."""

    _KEYS: ClassVar[dict[str, str]] = {"from": "start"}

    scenario: str
    site: str
    start: Any                      #: first day searched (JSON key "from"), datetime UTC
    days: float                     #: days whose windows are listed
    rate_days: float                #: days the monthly rates count (at least 30)
    altitude_km: float
    inclination_deg: float
    insertion_altitude_km: float
    site_geocentric_latitude_deg: float
    windows: list[dict[str, Any]]   #: in-plane windows (time, kind, azimuth_deg, ...)
    windows_per_day: float
    windows_per_month: float
    fast_opportunities_per_month: float
    modules: list[dict[str, Any]]   #: module launches against capacity
    payload_table: list[dict[str, Any]]
    iss_separation: Any             #: datetime of the ISS separation, or None
    orbit_after_separation: dict[str, Any] | None
    plane_drift: list[dict[str, Any]]  #: against the ISS and BAS


@dataclasses.dataclass(frozen=True)
class TradeRow(Result):
    """One scenario's trade metrics (:func:`rossim.analysis.trade.trade_row`); ``beta`` (the
    beta angle and eclipse share over a year, for the plots) is not part of the JSON.

    Read access by key (``row["coverage_russia_pct"]``, ``row.get(key)``) is kept for the
    docs templates, whose ``{a[key]}`` placeholders index the row.
    """

    _PRIVATE: ClassVar[tuple[str, ...]] = ("beta",)

    scenario: str
    inclination_deg: float
    altitude_km: float
    coverage_days: float
    instrument: str
    coverage_russia_pct: float
    coverage_arctic_pct: float
    coverage_nsr_pct: float
    russia_mean_revisit_h: float | None
    russia_worst_revisit_h: float | None
    russia_daylight_passes: int
    max_latitude_seen_deg: float
    beta_angle_range_deg: list[float]
    eclipse_fraction_range: list[float]
    full_sun_days_per_year: int
    node_local_time_at_start_h: float
    array_capacity_kw: float
    power_mean_kw: float
    power_min_kw: float
    power_per_installed_kw: float | None
    sustainable_load_mean_kw: float
    sustainable_load_min_kw: float
    power_mean_kw_fixed: float
    power_mean_kw_single_axis: float
    power_mean_kw_single_axis_sun_biased: float
    power_mean_kw_two_axis: float
    array_capacity_by_tracking_kw: dict[str, float]
    power_assumptions: dict[str, str]
    sun_bias_above_beta_deg: float
    sun_bias_max_deg: float
    crew_dose_msv_per_30d: float
    crew_dose_mgy_per_30d: float
    angara_a5_payload_t: float
    angara_a5_penalty_t: float
    min_module_margin_t: float | None
    #: the tightest module launch: its modules and its own launcher ("nem1 on angara-a5m")
    min_module_margin_launch: str | None
    module_launches: list[dict[str, Any]]
    launch_windows_per_month: float
    fast_rendezvous_per_month: float
    reboost_dv_m_s_per_year: float | None
    bas_plane_angle_min_deg: float
    bas_alignment_every_years: float | None
    #: The orbit-only run behind the reboost figure (None/empty without it): its outcome
    #: ("completed" or "re-entry"), its end (ISO, UTC) and every alarm with its cause.
    orbit_outcome: str | None
    orbit_end: str | None
    orbit_alarms: list[dict[str, Any]]
    beta: dict[str, Any] | None = dataclasses.field(default=None, repr=False, compare=False)


@dataclasses.dataclass(frozen=True)
class RunSummary(Result):
    """``summary.json`` of ``rossim run`` (:func:`rossim.ops.summary.build_summary`, the
    ``summary`` of :class:`rossim.ops.run_result.SimulationResult`): the run's headline
    figures; ``to_dict()`` is the JSON object. Read access by key (``summary["reboosts"]``,
    ``summary.get(key)``) is kept for the report's tables, which walk a list of keys."""

    #: keys build_summary merges in from rossim.ops.fdir.reliability_summary (not literals)
    _MERGED: ClassVar[tuple[str, ...]] = (
        "repairs_by_robot", "repairs_by_crew", "repairs_by_eva", "eva_count", "eva_hours",
        "faults_waited_for_spare", "spares", "availability_spread")
    #: Keys added after build_summary by the caller that has what they need (``rossim run``:
    #: the free-flyer family's nonlinear recontact, rossim.fleet.recontact.family_summary).
    _AFTER_RUN: ClassVar[tuple[str, ...]] = ("free_flyers",)

    scenario: str
    outcome: str
    seed: int
    #: first hourly step (UTC)
    span_start: str
    #: end of the last hourly step flown (exclusive, UTC): the scenario's span end when the
    #: run completed, the hour after the last step flown when it ended early
    span_end: str
    assembly_complete: str | None
    #: per launch: launcher, site, insertion orbit, climber, climb dv, propellant, days
    #: (rossim.station.insertion.Climb.as_dict)
    launches: list[dict[str, Any]]
    crewed_days: float
    #: crew aboard integrated over the run (person-days): the consumables ledger's basis
    crew_person_days: float
    uncrewed_days: float
    crew_visits: int
    reboosts: int
    reboost_dv_m_s_total: float
    reboost_dv_m_s_per_year: float
    reboost_by_year: dict[str, dict[str, float]]
    #: the station's own propellant (its tanks and docked Progress reserves), all causes
    propellant_used_kg: float
    #: ``propellant_used_kg`` per year of the station's own flight: the days attached to a
    #: host programme that pays every use (the ISS in ros-iss-start) left out
    propellant_kg_per_year: float
    #: the station's own use by cause (reboost, attitude, debris avoidance, phasing, leak)
    propellant_by_cause_kg: dict[str, float]
    #: while attached to a host (systems ``propulsion.host_modules``): ``days_attached``,
    #: the host's ``reboost_kg`` of the stack and its ``other_kg`` (attitude, debris
    #: avoidance, phasing, leak), ``basis``; None when never attached
    host_propellant: dict[str, Any] | None
    deorbit_reserve: dict[str, Any]
    iss_reference_propellant_kg_per_year: float
    iss_model_propellant_kg_per_year: float
    iss_model_by_year: dict[str, dict[str, float]]
    #: mean and lowest of the orbit model's hourly altitude: the mean semi-major axis minus
    #: the Earth's equatorial radius (the altitude of the band and the reboosts; not the
    #: osculating |r| - R_eq of ``free_flyers.deployments[].station_altitude_min_km``, which
    #: swings below it with J2 within each orbit: rossim.fleet.recontact.STATION_ALTITUDES)
    mean_altitude_km: float
    min_altitude_km: float
    faults_total: int
    faults_injected: int
    faults_recovered_automatically: int
    faults_repaired: int
    availability: float
    min_battery_soc: float
    load_shedding_hours: float
    power_deficit_minutes: float
    mean_generation_kw: float
    beta_angle_range_deg: list[float]
    contact_minutes_per_day: dict[str, float] | None
    communications: dict[str, Any] | None
    thermal: dict[str, Any] | None
    min_consumables_margin_days_crewed: float
    consumables_shortfall_kg: float
    consumables_reserve_days: float
    robot_tasks: int
    crew_tasks: int
    # reliability (rossim.ops.fdir.reliability_summary, merged into the summary)
    repairs_by_robot: int
    repairs_by_crew: int
    repairs_by_eva: int
    eva_count: int
    eva_hours: float
    faults_waited_for_spare: int
    spares: dict[str, dict[str, int]]
    availability_spread: dict[str, Any]
    alarms: int
    alarms_critical: int
    alarm_list: list[dict[str, Any]]
    commands_by_source: dict[str, int]
    commands_refused: int
    invariants: dict[str, dict[str, Any]]
    invariants_hold: bool
    propellant_ledger_kg: dict[str, float]
    #: The flown mass from its flows against the state (rossim.ops.station_mass).
    mass_ledger_kg: dict[str, float]
    engine_spans: int
    crew_dose_max_visit_per_person_mSv: float
    crew_dose_collective_person_mSv: float
    #: the family's satellites released in the run (deployments held for traffic, a module
    #: not yet docked or safe mode included: rossim.ops.keepout) and those the scenario plans
    #: inside the span
    free_flyers_released: int = 0
    free_flyers_planned: int = 0
    #: the free-flyer family per satellite (rossim.ops.keepout.family_summary; rossim run)
    free_flyers: dict[str, Any] | None = None
    #: cargo flights, stocks and ship relocations (rossim.ops.logistics.logistics_summary)
    logistics: dict[str, Any] | None = None
    #: crew task hours available and drawn (rossim.ops.crew_time.CrewTime.summary)
    crew_time: dict[str, Any] | None = None
    #: per configuration: orbit-average generation, demand, users' margin against the
    #: published 20 kW per NEM; the energy ledger (rossim.ops.power_ledger.EnergyLedger)
    power_margin: dict[str, Any] | None = None
    #: dose per person per visit, spacewalks, careers (rossim.analysis.crew_record)
    crew_record: dict[str, Any] | None = None
