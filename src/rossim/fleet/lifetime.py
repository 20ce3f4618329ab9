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

__all__ = ["deployment_end_of_life", "check_start_in_scenario"]


def deployment_end_of_life(scenario: Any, index: int,
                           released: dt.datetime | None = None) -> dt.datetime | None:
    """Re-entry date (UTC) of deployment ``index``'s satellites released at ``released``
    (default the deployment's date); None when the unkept lifetime exceeds the model's
    10-year horizon."""
    dep = scenario.free_flyers.deployments[index]
    bc = dep.mass_kg / (dep.cd * dep.area_m2)
    from rossim.fleet.deployer_rules import unkept_lifetimes_years

    life = float(unkept_lifetimes_years(scenario, dep.date, [bc])[0])
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
