"""Systems parameters for the operations simulation (``catalog/systems.toml``): power, thermal,
propulsion, life support, FDIR components, exterior robot. Every figure has a flag and source.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rossim.config._toml import read_toml, validate
from rossim.config.catalog import Figure, catalog_dir


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PowerParams(_Strict):
    array_efficiency: dict[str, float]
    array_efficiency_basis: Figure
    array_tracking: dict[str, Literal["fixed", "single-axis", "two-axis"]]
    array_tracking_basis: Figure
    sun_bias_max_deg: Figure
    sun_bias_above_beta_deg: Figure
    sun_bias_hysteresis_deg: Figure
    battery_kwh: dict[str, float]
    battery_basis: Figure
    min_soc: Figure
    max_soc: Figure
    emergency_reserve_soc: Figure
    charge_efficiency: Figure
    discharge_efficiency: Figure
    array_degradation_per_year: Figure
    housekeeping_kw_crewed: dict[str, float]
    housekeeping_kw_uncrewed: dict[str, float]
    dormant_when_uncrewed: list[str] = Field(default_factory=list)
    housekeeping_basis: Figure
    crew_kw_per_person: Figure
    experiments_kw_crewed: Figure
    experiments_kw_automatic: Figure
    essential_fraction: Figure
    user_power_kw: dict[str, float] = Field(default_factory=dict)
    user_power_basis: Figure | None = None

    @property
    def round_trip_efficiency(self) -> float:
        """Battery round trip (charge x discharge efficiency, dimensionless)."""
        return self.charge_efficiency.value * self.discharge_efficiency.value

    def tracking(self, module: str) -> str:
        """Tracking mode of ``module``'s wings (``fixed``, ``single-axis``, ``two-axis``)."""
        return self.array_tracking.get(module, self.array_tracking.get("default", "single-axis"))

    def housekeeping_kw(self, module: str, crewed: bool) -> float:
        """Housekeeping load (kW) of ``module`` crewed or not (dormant modules: keep-alive)."""
        t = self.housekeeping_kw_crewed if crewed else self.housekeeping_kw_uncrewed
        return float(t.get(module, t.get("default", 0.0)))


class ThermalParams(_Strict):
    """Lumped thermal model per pressurised module (:mod:`rossim.ops.thermal`)."""

    cabin_low_c_crewed: Figure
    cabin_high_c_crewed: Figure
    cabin_low_c_uncrewed: Figure
    cabin_high_c_uncrewed: Figure
    set_point_c: Figure
    heater_margin_k: Figure
    mli_alpha: Figure
    mli_epsilon: Figure
    mli_effective_emittance: Figure
    radiator_alpha: Figure
    radiator_epsilon: Figure
    radiator_area_m2: dict[str, float]
    radiator_area_basis: Figure
    loop_capacity_kw: dict[str, float]
    loop_capacity_basis: Figure
    radiator_below_cabin_k: Figure
    heater_capacity_kw: dict[str, float]
    heater_capacity_basis: Figure
    limit_grace_h: Figure
    specific_heat_j_kg_k: Figure
    crew_metabolic_w: Figure
    #: component id (``[[component]]``) of the pumps that drive the modules' loops: a
    #: ``"station"`` component drives every module's loop, one of a module only its own
    #: (:mod:`rossim.ops.coolant_loop`); ``""``: pumps not modelled (the loops always run)
    loop_pump: str = ""

    @staticmethod
    def per_module(table: dict[str, float], module: str) -> float:
        """``table[module]``, else ``table["default"]`` (0 if neither)."""
        return float(table.get(module, table.get("default", 0.0)))

    def limits_c(self, crewed: bool) -> tuple[float, float]:
        """(lower, upper) cabin temperature limits (degC) crewed or not."""
        if crewed:
            return self.cabin_low_c_crewed.value, self.cabin_high_c_crewed.value
        return self.cabin_low_c_uncrewed.value, self.cabin_high_c_uncrewed.value


class PropulsionParams(_Strict):
    station_isp_s: Figure
    progress_isp_s: Figure
    station_tank_kg: Figure
    initial_working_propellant_kg: Figure
    progress_reboost_kg: Figure
    host_modules: list[str] = Field(default_factory=list)
    host_basis: Figure | None = None
    no_burn_window_h: Figure
    deorbit_reserve_kg: Figure
    attitude_kg_per_day_per_100t: dict[str, float]
    attitude_basis: Figure
    debris_avoidance_per_year: Figure
    debris_avoidance_dv_m_s: Figure
    phasing_dv_m_s_per_arrival: Figure
    leak_kg_per_year: Figure


class LifeSupportParams(_Strict):
    oxygen_kg_per_crew_day: Figure
    water_kg_per_crew_day: Figure
    food_kg_per_crew_day: Figure
    water_recovery: Figure
    oxygen_generation_fraction: Figure
    food_fraction_of_dry_cargo: Figure
    initial_oxygen_kg: Figure
    initial_water_kg: Figure
    initial_food_kg: Figure
    stowage_kg_per_pressurised_m3: Figure
    reserve_days: Figure
    #: Margin (days of use) below which the low-consumables alarm is critical; None: none.
    critical_reserve_days: Figure | None = None
    #: Water the oxygen generator (Elektron) splits per kg of oxygen it makes; None: none.
    electrolysis_water_kg_per_kg_oxygen: Figure | None = None
    #: Shelf life of the food aboard (days): the planner holds no more food than is eaten
    #: within it, the run reports food eaten older (:mod:`rossim.ops.life_support`).
    food_shelf_life_days: Figure | None = None

    def net_kg_per_crew_day(self) -> dict[str, float]:
        """Stores drawn per crew-day (kg) by item ``oxygen``, ``water``, ``food``: oxygen net
        of what the generator makes, water net of recovery plus the water the generator
        splits for that oxygen (one definition for the engine, the planner and the replay)."""
        o2 = self.oxygen_kg_per_crew_day.value
        gen = o2 * self.oxygen_generation_fraction.value
        split = (self.electrolysis_water_kg_per_kg_oxygen.value
                 if self.electrolysis_water_kg_per_kg_oxygen is not None else 0.0)
        return {"oxygen": o2 - gen,
                "water": self.water_kg_per_crew_day.value * (1.0 - self.water_recovery.value)
                + gen * split,
                "food": self.food_kg_per_crew_day.value}


class LogisticsParams(_Strict):
    """Cargo by demand (``[logistics]``; :mod:`rossim.station.logistics`)."""

    propellant_reserve_kg: Figure
    propellant_forecast_margin: Figure
    cargo_reflight_days: Figure
    #: In-run call-up of a cargo ship (:mod:`rossim.ops.cargo_callup`): launch no earlier
    #: than this after the call; the propellant forecast re-checked every ``callup_check_days``.
    callup_lead_days: Figure | None = None
    callup_check_days: Figure | None = None
    #: A propellant shortage first tops up the manifest of a planned Progress lifting off at
    #: least this long after the check (:mod:`rossim.ops.propellant_topup`); absent: no top-up.
    propellant_topup_lead_days: Figure | None = None
    #: Delta-v a Progress-derived tug keeps for its own de-orbit after the climb.
    tug_deorbit_dv_m_s: Figure | None = None
    relocation_min: Figure
    relocation_propellant_kg: Figure
    #: Days a ship leaves a port before a module docks there (absent: 0, leaves as it docks).
    port_clear_before_module_days: Figure | None = None
    #: Least time between two traffic operations at the station (a docking, an undocking, a
    #: relocation, a separation: rossim.station.traffic); absent: none.
    traffic_spacing_h: Figure | None = None
    #: A launcher grounded after a failure (rossim.config.stand_down): days from the failure
    #: to the next uncrewed / crewed lift-off on it, after a cargo ship lost and after a crew
    #: launch aborted. Absent: no stand-down.
    stand_down_uncrewed_after_cargo_loss_days: Figure | None = None
    stand_down_crew_after_cargo_loss_days: Figure | None = None
    stand_down_uncrewed_after_crew_abort_days: Figure | None = None
    stand_down_crew_after_crew_abort_days: Figure | None = None


class CrewTimeParams(_Strict):
    """Crew time as a resource (``[crew_time]``; :mod:`rossim.ops.crew_time`)."""

    task_hours_per_crew_day: Figure
    eva_crew: Figure
    eva_prep_crew_h: Figure


class AutonomyParams(_Strict):
    shed_housekeeping_below_soc: Figure
    restore_above_soc: Figure
    battery_recovered_soc: Figure
    reboost_needs_ground_approval: Figure
    safe_mode_exit_needs_ground_approval: Figure
    ground_approval_delay_h: Figure
    ground_decision_h: Figure
    safe_mode_reboost_below_km: Figure
    safe_mode_reboost_wait_days: Figure
    power_down_lookahead_days: Figure
    crew_return_below_floor_km: Figure
    partial_reboost_min_km: Figure


class RobotParams(_Strict):
    reach_m: Figure
    base_modules: dict[str, int]
    inspection_every_days: Figure
    inspection_h: Figure
    relocation_h: Figure


class ReliabilityParams(_Strict):
    """Repairs, spares and failure acceleration shared by every component type
    (``[reliability]``; :mod:`rossim.ops.fdir`)."""

    eva_h: Figure
    eva_prep_days: Figure
    eva_min_gap_days: Figure
    eva_min_crew: Figure
    crew_repair_start_days: Figure
    spares_stowage_m3_per_pressurised_m3: Figure
    reference_temperature_c: Figure
    battery_reference_dod: Figure
    battery_dod_exponent: Figure
    acceleration_update_days: Figure


class Component(_Strict):
    """A unit type that can fail. ``module = "power"`` means one set per module with solar
    arrays; ``"station"`` one set for the whole station. ``repair_by``: who replaces a
    failed unit (``robot``: the exterior arm, ``repair_h`` of arm time; ``crew``: an IVA
    repair of ``repair_h``; ``eva``: ``eva_count`` spacewalks after the preparation days).
    Spares: ``spare_mass_kg`` and ``spare_volume_m3`` per unit, ``initial_spares`` launched
    with the carrying module. ``activation_energy_ev``: Arrhenius acceleration of the failure
    rate with the module temperature (MIL-HDBK-217F); ``dod_ageing``: failure rate scaled by
    the depth of discharge of the batteries' cycling."""

    id: str
    name: str
    module: str
    location: Literal["inside", "outside"]
    units: int = Field(ge=1)
    min_units: int = Field(ge=1)
    mtbf_h: Figure
    repair_h: Figure
    channel: str
    rule: Literal["limit", "trend"]
    #: Weibull shape of the time to failure (1: constant rate; > 1: wear-out); the scale is
    #: chosen so that the mean stays ``mtbf_h``.
    weibull_shape: Figure | None = None
    #: Beta factor: the share of this component's failures that fail every unit of the set
    #: at once (common cause).
    common_cause_beta: Figure | None = None
    repair_by: Literal["robot", "crew", "eva"] | None = None
    eva_count: Figure | None = None
    spare_mass_kg: Figure | None = None
    spare_volume_m3: Figure | None = None
    initial_spares: Figure | None = None
    activation_energy_ev: Figure | None = None
    dod_ageing: bool = False
    #: days after a detection that leaves fewer than ``min_units`` but one unit at least
    #: working at which the ground accepts operating without redundancy, when the repair is
    #: not done by then (safe mode ends; :mod:`rossim.ops.single_string`); None: safe mode
    #: until the repair
    single_string_after_days: Figure | None = None

    @property
    def repairer(self) -> str:
        """``robot``, ``crew`` or ``eva`` (default: robot outside, crew inside)."""
        return self.repair_by or ("robot" if self.location == "outside" else "crew")


class SystemsCatalog(_Strict):
    power: PowerParams
    thermal: ThermalParams
    propulsion: PropulsionParams
    life_support: LifeSupportParams
    logistics: LogisticsParams | None = None
    crew_time: CrewTimeParams | None = None
    autonomy: AutonomyParams
    robot: RobotParams
    reliability: ReliabilityParams
    component: list[Component]

    def component_by_id(self, cid: str) -> Component | None:
        return next((c for c in self.component if c.id == cid), None)

    @model_validator(mode="after")
    def _loop_pump_is_a_component(self):
        pump = self.thermal.loop_pump
        if pump and self.component_by_id(pump) is None:
            raise ValueError(f"thermal.loop_pump {pump!r} is not a [[component]] id")
        return self


def load_systems(path: str | Path | None = None) -> SystemsCatalog:
    """Load ``systems.toml`` (the shipped one unless ``path`` is given)."""
    if path is None:
        return _default()
    return validate(SystemsCatalog, read_toml(path), str(path))


@cache
def _default() -> SystemsCatalog:
    p = catalog_dir() / "systems.toml"
    return validate(SystemsCatalog, read_toml(p), str(p))
