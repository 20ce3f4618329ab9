"""The scenario's ``[[commands]]`` timeline (:class:`CommandEntry`): time-tagged commands of
:mod:`rossim.ops.commands`. Part of :class:`rossim.config.scenario.Scenario` (moved here from
that module, which re-exports it)."""

from __future__ import annotations

from rossim.config._schema import Name, UTCDate, _Strict

__all__ = ["CommandEntry"]


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
    visit_name: Name | None = None
