"""When a free-flyer leaves the catalogue, and which dates a fleet analysis may start on.

End of life: the satellite's release plus its unkept lifetime from the scenario's altitude to
re-entry (:func:`rossim.fleet.deployer_rules.unkept_lifetimes_years`, the figure the deployer
rules check and that ``rossim run`` reports as the unkept re-entry date,
:func:`rossim.fleet.recontact.family_summary`). ``rossim fleet`` and ``rossim export`` drop a
satellite from the catalogue from that date on.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from rossim.errors import InputError

__all__ = ["deployment_lifetime_years", "deployment_end_of_life", "check_start_in_scenario"]


def deployment_lifetime_years(scenario: Any, index: int,
                              station_bc_kg_m2: float | None = None) -> tuple[float, float]:
    """Unkept lifetimes (years from the deployment's date to 150 km, ``inf`` beyond the
    model's 10-year horizon) of deployment ``index``'s satellites and, given its ballistic
    coefficient (kg/m^2), of the station on the same grid (else NaN), by
    :func:`~rossim.fleet.deployer_rules.unkept_lifetimes_years`. The one lifetime of the
    family: ``rossim fleet``'s satellite table (``lifetime_years``), its deployer table
    (:func:`~rossim.fleet.deployer_rules.check_deployments`) and the run report's re-entry
    (:func:`deployment_end_of_life`)."""
    from rossim.fleet.deployer_rules import unkept_lifetimes_years

    dep = scenario.free_flyers.deployments[index]
    bcs = [dep.mass_kg / (dep.cd * dep.area_m2)]
    if station_bc_kg_m2 is not None:
        bcs.append(station_bc_kg_m2)
    life = unkept_lifetimes_years(scenario, dep.date, bcs)
    return float(life[0]), float(life[1]) if station_bc_kg_m2 is not None else math.nan


def deployment_end_of_life(scenario: Any, index: int,
                           released: dt.datetime | None = None) -> dt.datetime | None:
    """Re-entry date (UTC) of deployment ``index``'s satellites released at ``released``
    (default the deployment's date): release plus :func:`deployment_lifetime_years`; None
    when the unkept lifetime exceeds the model's 10-year horizon."""
    dep = scenario.free_flyers.deployments[index]
    life = deployment_lifetime_years(scenario, index)[0]
    if not math.isfinite(life):
        return None
    return (dep.date if released is None else released) + dt.timedelta(days=365.25 * life)


def check_start_in_scenario(scenario: Any, start: dt.datetime, field: str = "start") -> None:
    """InputError naming ``field`` unless ``start`` lies in the scenario's span
    ``[scenario.span.start, scenario.span.end)``."""
    span = scenario.span
    s = start if start.tzinfo else start.replace(tzinfo=dt.UTC)
    a = span.start if span.start.tzinfo else span.start.replace(tzinfo=dt.UTC)
    b = span.end if span.end.tzinfo else span.end.replace(tzinfo=dt.UTC)
    if not a <= s < b:
        raise InputError("argument", field, s.strftime("%Y-%m-%d"),
                         f"a date within the scenario {scenario.name}'s span "
                         f"({a:%Y-%m-%d} to {b:%Y-%m-%d})")
