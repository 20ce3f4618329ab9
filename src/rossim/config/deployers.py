"""Deployer rules (``catalog/deployers.toml``): what a small-satellite deployer on a crewed
station allows a released satellite to be (direction, speed, ballistic coefficient, lifetime).
Every figure has a flag and source; checked by :mod:`rossim.fleet.deployer_rules`."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict

from rossim.config._toml import read_toml, validate
from rossim.config.catalog import Figure, catalog_dir

__all__ = ["DeployerRules", "load_deployer_rules"]


class DeployerRules(BaseModel):
    """One deployer's rules (see ``catalog/deployers.toml`` for each figure's source)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    station_altitude_min_km: Figure
    station_altitude_max_km: Figure
    direction_aft_of_nadir_deg: Figure
    direction_tolerance_deg: Figure
    speed_cubesat_min_m_s: Figure
    speed_cubesat_max_m_s: Figure
    cubesat_max_mass_kg: Figure
    speed_50kg_m_s: Figure
    speed_50kg_tolerance_m_s: Figure
    max_ballistic_coefficient_kg_m2: Figure
    max_lifetime_years: Figure


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    deployer: list[DeployerRules]


@cache
def load_deployer_rules() -> dict[str, DeployerRules]:
    """Every deployer of the catalog by id."""
    path = catalog_dir() / "deployers.toml"
    data = validate(_File, read_toml(path), str(path))
    return {d.id: d for d in data.deployer}
