"""Free-drift figures (``catalog/free_drift.toml``): what the station does when no control
computer works (:mod:`rossim.ops.free_drift`). Every figure has a flag and source."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict

from rossim.config._toml import read_toml, validate
from rossim.config.catalog import Figure, catalog_dir

__all__ = ["FreeDriftParams", "load_free_drift"]


class FreeDriftParams(BaseModel):
    """``control_component``: the component id (``catalog/systems.toml``) whose working units
    command attitude; ``array_output_fraction``: generation of a drifting station's arrays as a
    fraction of their Sun-pointed output (0-1, dimensionless); ``repair_crew_lead_days``: a
    repair crew called up when the drift begins lifts off no earlier than this after the call
    (days; None: no call-up); ``repair_crew_stay_days``: that crew's stay (days; None: the
    plan's crew visit length); ``repair_crew_min_stay_days``: the shortest stay worth a flight
    (days; a crew that would have less before the next planned crew docks is not called)
    (:mod:`rossim.ops.crew_callup`); ``repair_crew_reflight_days``: a repair crew whose launch
    aborted flies again no earlier than this after the abort (days; None: not again;
    :mod:`rossim.ops.callup_loss`); ``uncrewed_loiter_days``: the longest autonomous flight
    from lift-off of an uncrewed ship that cannot dock to the drifting station (days; then it
    is de-orbited with its cargo: :mod:`rossim.ops.drift_docking`; None: no limit given, the
    ship loiters to the run's end). Ships held on the ground during a drift keep each launch
    pad's turnaround (``catalog/sites.toml`` ``pad_turnaround_days``:
    :mod:`rossim.ops.pad_turnaround`). ``manual_docking_profile_h``: a crew ship's time from
    lift-off to a manual docking to the drifting station (hours; the multi-day profile with a
    fly-around, in place of the vehicle's fast automatic ``time_to_dock_h`` when that is
    shorter: :mod:`rossim.ops.drift_crew`; None: the vehicle's own profile)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    control_component: str
    control_component_source: str
    array_output_fraction: Figure
    repair_crew_lead_days: Figure | None = None
    repair_crew_stay_days: Figure | None = None
    repair_crew_min_stay_days: Figure | None = None
    repair_crew_reflight_days: Figure | None = None
    uncrewed_loiter_days: Figure | None = None
    manual_docking_profile_h: Figure | None = None


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    free_drift: FreeDriftParams


@cache
def load_free_drift() -> FreeDriftParams:
    """The catalog's free-drift figures. A malformed file raises
    :class:`rossim.errors.InputError`."""
    path = catalog_dir() / "free_drift.toml"
    p = validate(_File, read_toml(path), str(path)).free_drift
    f = p.array_output_fraction.value
    if not 0.0 <= f <= 1.0:
        from rossim.errors import InputError

        raise InputError(str(path), "free_drift.array_output_fraction", f,
                         "a fraction of the Sun-pointed output between 0 and 1")
    for name, hi in (("repair_crew_lead_days", 3650.0), ("repair_crew_stay_days", 365.0),
                     ("repair_crew_min_stay_days", 365.0), ("repair_crew_reflight_days", 3650.0),
                     ("uncrewed_loiter_days", 365.0)):
        fig = getattr(p, name)
        if fig is not None and not 0.0 < fig.value <= hi:
            from rossim.errors import InputError

            raise InputError(str(path), f"free_drift.{name}", fig.value,
                             f"a number of days above 0 and at most {hi:g}")
    fig = p.manual_docking_profile_h
    if fig is not None and not 0.0 < fig.value <= 240.0:
        from rossim.errors import InputError

        raise InputError(str(path), "free_drift.manual_docking_profile_h", fig.value,
                         "a number of hours above 0 and at most 240 (ten days)")
    return p
