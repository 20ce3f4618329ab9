"""The ``[power]`` section of a scenario: the users' load (experiments), a scenario parameter.

No ROS payload power allocation is published (the published figure is what a NEM makes
available to users: about 20 kW, ``systems.toml power.user_power_kw``); the experiments' load
the station draws is an estimate, ``systems.toml power.experiments_kw_crewed`` (3.0 kW) and
``experiments_kw_automatic`` (1.5 kW). A scenario may set its own::

    [power]
    experiments_kw_crewed = 8.0      # kW while a crew is aboard
    experiments_kw_automatic = 2.0   # kW between crews

Each is 0 to ``MAX_EXPERIMENTS_KW`` kW (the users' share of two NEMs, 2 x 20 kW, plus the
core's and production module's arrays: more than the station could ever carry is a typing
error, refused with the field, the value and the range; exit 2). The heat goes into the
modules (``rossim.ops.thermal``): more than a module's loop capacity raises the thermal alarm.
:func:`with_power_loads` returns the systems catalog with the scenario's figures in force
(flag ``scenario``), for the simulation and the pre-flight balance alike.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from rossim.config._schema import _Strict

__all__ = ["PowerLoads", "with_power_loads", "MAX_EXPERIMENTS_KW"]

#: Upper bound of a scenario's experiments load (kW).
MAX_EXPERIMENTS_KW = 60.0


class PowerLoads(_Strict):
    """``[power]``: experiments' load (kW) crewed and automatic; ``None`` keeps the catalog's
    estimate."""

    experiments_kw_crewed: float | None = Field(default=None, ge=0, le=MAX_EXPERIMENTS_KW)
    experiments_kw_automatic: float | None = Field(default=None, ge=0, le=MAX_EXPERIMENTS_KW)


def with_power_loads(systems: Any, scenario: Any) -> Any:
    """``systems`` (:class:`rossim.config.systems.SystemsCatalog`) with the scenario's
    ``[power]`` experiments' loads in force; the same object when the scenario sets none."""
    loads = getattr(scenario, "power", None)
    if loads is None:
        return systems
    upd = {}
    for name in ("experiments_kw_crewed", "experiments_kw_automatic"):
        v = getattr(loads, name)
        fig = getattr(systems.power, name)
        if v is not None and v != fig.value:
            upd[name] = fig.model_copy(update={
                "value": float(v), "flag": "estimate",
                "source": f"scenario: [power] {name} = {v:g} kW (catalog: {fig.value:g} kW)"})
    if not upd:
        return systems
    return systems.model_copy(update={"power": systems.power.model_copy(update=upd)})
