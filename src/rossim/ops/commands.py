"""The station's command set: typed, validated, executed or refused with a reason.

Every command carries its ``source``: ``scenario`` (the ``[[commands]]`` timeline of the
scenario file), ``autonomy`` (the onboard rules of :mod:`rossim.ops.autonomy`), ``ground``
(an approval or a command sent during contact) or ``operator`` (a person driving
:class:`rossim.ops.simulation.Simulation` step by step). :meth:`Simulation.command` executes a
command at the current time, or schedules it when ``at`` is later; the outcome
(:class:`CommandResult`) goes to the events table either way (``command`` or
``command-refused``, with the reason). A refused command changes nothing.

=====================  ==========================================================================
command                effect
=====================  ==========================================================================
``Reboost``            raise the orbit by ``delta_v_m_s`` or to ``target_altitude_km`` (Hohmann)
``SetAttitude``        fly the stack ``velocity``- or ``nadir``-aligned (changes the drag area)
``LoadShed``           shed loads down to priority ``level`` 1 (experiments, activities) or 2
                       (non-essential housekeeping too)
``LoadRestore``        restore every shed load
``Dock``               a visiting vehicle (catalog id) docks now at ``port`` (or ``auto``) for
                       ``duration_days`` with ``crew``: the plan is replayed with the visit;
                       ``lift_off`` (UTC, optional): its real lift-off when it waited in orbit
                       (default: ``time_to_dock_h`` before now)
``Undock``             a docked visiting vehicle leaves now
``Relocate``           a docked vehicle moves to another free port of the right type
``StartActivity``      start a named activity drawing ``power_kw``
``StopActivity``       stop it
``InjectFault``        a unit of ``component`` fails now (on ``module``, default the first fit)
``Repair``             repair fault ``fault_id`` now (crew inside, robot outside)
``RobotTask``          book the exterior robot: ``kind`` at ``worksite`` for ``duration_h``
``DeployFreeFlyer``    release ``count`` satellites of ``mass_kg`` from ``port``
``SafeMode``           enter (``enter=True``) or leave safe mode
=====================  ==========================================================================
"""

from __future__ import annotations

import datetime as dt
import numbers
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

from rossim.errors import InputError

Source = Literal["scenario", "autonomy", "ground", "operator"]


@dataclass(frozen=True)
class Command:
    """Base: ``at`` (UTC; None = now) and ``source``."""

    at: dt.datetime | None = field(default=None, kw_only=True)
    source: Source = field(default="operator", kw_only=True)

    @property
    def name(self) -> str:
        return COMMAND_NAMES[type(self)]

    def check_fields(self, where: str = "command") -> None:
        """Refuse a field of the wrong type (``target_altitude_km="412"``) with an InputError
        naming ``<command>.<field>``, before :meth:`check` compares it with its range."""
        for key, f in self.__dataclass_fields__.items():
            ann = str(f.type).replace(" ", "")
            kind = _NUMBER_TYPES.get(ann.removesuffix("|None"))
            value = getattr(self, key)
            if kind is None or (value is None and ann.endswith("|None")):
                continue
            types, expected = kind
            if isinstance(value, bool) or not isinstance(value, types):
                raise InputError(where, f"{self.name}.{key}", value, expected)

    def describe(self) -> str:
        args = {k: v for k, v in asdict(self).items() if k not in ("at", "source")
                and v is not None}
        return self.name + ("(" + ", ".join(
            f"{k}={v:%Y-%m-%dT%H:%M:%SZ}" if isinstance(v, dt.datetime) else f"{k}={v}"
            for k, v in args.items()) + ")" if args else "")


@dataclass(frozen=True)
class Reboost(Command):
    delta_v_m_s: float | None = None
    target_altitude_km: float | None = None

    def check(self) -> None:
        if self.delta_v_m_s is not None and self.target_altitude_km is not None:
            raise InputError("command", "reboost.target_altitude_km", self.target_altitude_km,
                             "exactly one of delta_v_m_s or target_altitude_km (delta_v_m_s "
                             f"= {self.delta_v_m_s:g} is given too)")
        if self.delta_v_m_s is None and self.target_altitude_km is None:
            raise InputError("command", "reboost.delta_v_m_s", None,
                             "exactly one of delta_v_m_s or target_altitude_km (neither given)")
        if self.delta_v_m_s is not None and not 0 < self.delta_v_m_s <= 100:
            raise InputError("command", "reboost.delta_v_m_s", self.delta_v_m_s,
                             "a delta-v in (0, 100] m/s")
        if self.target_altitude_km is not None and not 150 < self.target_altitude_km <= 2000:
            raise InputError("command", "reboost.target_altitude_km", self.target_altitude_km,
                             "an altitude in (150, 2000] km")


@dataclass(frozen=True)
class SetAttitude(Command):
    mode: str = "velocity"

    def check(self) -> None:
        if self.mode not in ("velocity", "nadir"):
            raise InputError("command", "attitude.mode", self.mode, "velocity or nadir")


@dataclass(frozen=True)
class LoadShed(Command):
    level: int = 1

    def check(self) -> None:
        if self.level not in (1, 2):
            raise InputError("command", "load-shed.level", self.level, "1 or 2")


@dataclass(frozen=True)
class LoadRestore(Command):
    def check(self) -> None:
        pass


@dataclass(frozen=True)
class Undock(Command):
    vehicle: str = ""

    def check(self) -> None:
        if not self.vehicle:
            raise InputError("command", "undock.vehicle", self.vehicle, "a docked vehicle's name")


@dataclass(frozen=True)
class Dock(Command):
    vehicle: str = ""
    port: str = "auto"
    duration_days: float = 30.0
    crew: int = 0
    visit_name: str | None = None
    #: the ship's real lift-off (UTC) when it waited in orbit before this docking (a call-up
    #: ship that found no free port, rossim.ops.cargo_callup); None: ``time_to_dock_h``
    #: before the docking. At least ``time_to_dock_h`` before the docking (checked there).
    lift_off: dt.datetime | None = None
    #: launcher and pad (catalog ids) and launch mass (kg) the ship flew on; None: the
    #: vehicle's catalog ones (a call-up ship flies what can carry it, rossim.ops.callup_launch)
    launcher: str | None = None
    site: str | None = None
    mass_kg: float | None = None

    def check(self) -> None:
        if not self.vehicle:
            raise InputError("command", "dock.vehicle", self.vehicle,
                             "a vehicle id of catalog/vehicles.toml")
        if self.mass_kg is not None and not self.mass_kg > 0:
            raise InputError("command", "dock.mass_kg", self.mass_kg,
                             "a positive launch mass (kg) or none")
        if self.lift_off is not None and not (isinstance(self.lift_off, dt.datetime)
                                              and self.lift_off.tzinfo is not None):
            raise InputError("command", "dock.lift_off", self.lift_off,
                             "a UTC date-time (timezone-aware) or none")
        if not 0 < self.duration_days <= 400:
            raise InputError("command", "dock.duration_days", self.duration_days,
                             "a stay in (0, 400] days")
        if not 0 <= self.crew <= 8:
            raise InputError("command", "dock.crew", self.crew, "0 to 8 people")


@dataclass(frozen=True)
class Relocate(Command):
    vehicle: str = ""
    port: str = ""

    def check(self) -> None:
        if not self.vehicle:
            raise InputError("command", "relocate.vehicle", self.vehicle,
                             "a docked vehicle's name")
        if "." not in self.port:
            raise InputError("command", "relocate.port", self.port,
                             "a port \"<module>.<port>\" (e.g. \"node.aft\")")


@dataclass(frozen=True)
class StartActivity(Command):
    activity: str = ""
    power_kw: float = 0.0

    def check(self) -> None:
        if not self.activity:
            raise InputError("command", "start-activity.activity", self.activity, "a name")
        if not 0 <= self.power_kw <= 100:
            raise InputError("command", "start-activity.power_kw", self.power_kw,
                             "a power in [0, 100] kW")


@dataclass(frozen=True)
class StopActivity(Command):
    activity: str = ""

    def check(self) -> None:
        if not self.activity:
            raise InputError("command", "stop-activity.activity", self.activity, "a name")


@dataclass(frozen=True)
class InjectFault(Command):
    component: str = ""
    module: str | None = None

    def check(self) -> None:
        if not self.component:
            raise InputError("command", "inject-fault.component", self.component,
                             "a component id of catalog/systems.toml")


@dataclass(frozen=True)
class Repair(Command):
    fault_id: int = 0

    def check(self) -> None:
        if self.fault_id < 1:
            raise InputError("command", "repair.fault_id", self.fault_id, "a fault number >= 1")


def robot_task_kinds() -> tuple[str, ...]:
    """Task kinds the exterior robot has a catalog duration for (``[robot]`` of systems.toml:
    ``inspection_h`` -> ``"inspection"``, ``relocation_h`` -> ``"relocation"``)."""
    from rossim.config.systems import RobotParams

    return tuple(sorted(k[:-2] for k in RobotParams.model_fields if k.endswith("_h")))


@dataclass(frozen=True)
class RobotTask(Command):
    kind: str = "inspection"
    worksite: str = ""
    duration_h: float = 4.0

    def check(self) -> None:
        kinds = robot_task_kinds()
        if self.kind not in kinds:
            raise InputError("command", "robot-task.kind", self.kind,
                             "one of the catalog's robot task kinds: " + ", ".join(kinds)
                             + " (systems.toml [robot], a <kind>_h duration each)")
        if not self.worksite:
            raise InputError("command", "robot-task.worksite", self.worksite, "a module id")
        if not 0 < self.duration_h <= 240:
            raise InputError("command", "robot-task.duration_h", self.duration_h,
                             "a duration in (0, 240] h")


@dataclass(frozen=True)
class DeployFreeFlyer(Command):
    count: int = 1
    mass_kg: float = 20.0
    port: str = ""

    def check(self) -> None:
        if not 1 <= self.count <= 100:
            raise InputError("command", "deploy-free-flyer.count", self.count, "1 to 100")
        if not 0 < self.mass_kg <= 1000:
            raise InputError("command", "deploy-free-flyer.mass_kg", self.mass_kg,
                             "a mass in (0, 1000] kg")
        if "." not in self.port:
            raise InputError("command", "deploy-free-flyer.port", self.port,
                             "a port \"<module>.<port>\"")


@dataclass(frozen=True)
class SafeMode(Command):
    enter: bool = True

    def check(self) -> None:
        pass


COMMAND_NAMES: dict[type, str] = {
    Reboost: "reboost", SetAttitude: "attitude", LoadShed: "load-shed",
    LoadRestore: "load-restore", Dock: "dock", Undock: "undock", Relocate: "relocate",
    StartActivity: "start-activity", StopActivity: "stop-activity",
    InjectFault: "inject-fault", Repair: "repair", RobotTask: "robot-task",
    DeployFreeFlyer: "deploy-free-flyer", SafeMode: "safe-mode",
}
BY_NAME: dict[str, type] = {v: k for k, v in COMMAND_NAMES.items()}


@dataclass(frozen=True)
class CommandResult:
    """What became of a command: ``accepted`` with ``detail``, or refused with ``reason``."""

    command: Command
    accepted: bool
    time: np.datetime64        # when executed or scheduled (rossim.time.event_time)
    reason: str = ""
    detail: str = ""

    def __bool__(self) -> bool:
        return self.accepted


#: The numeric field annotations :meth:`Command.check_fields` checks (numpy numbers too).
_NUMBER_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "float": ((numbers.Real,), "a number"), "int": ((numbers.Integral,), "an integer"),
}

#: A command field's annotation -> (accepted Python types, what the message expects).
_FIELD_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "float": ((int, float), "a number"), "int": ((int,), "an integer"),
    "str": ((str,), "a string"), "bool": ((bool,), "true or false"),
}


def _check_type(where: str, name: str, key: str, value: Any, annotation: Any) -> None:
    """Refuse a value of the wrong JSON type (``"412"`` or ``true`` for a number) with an
    InputError naming ``<command>.<field>``; ``None`` only where the field is optional."""
    ann = str(annotation).replace(" ", "")
    optional = ann.endswith("|None")
    types, expected = _FIELD_TYPES.get(ann.removesuffix("|None"), ((object,), "a value"))
    if value is None and optional:
        return
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        raise InputError(where, f"{name}.{key}", value, expected)


def check_in_catalog(cmd: Command, catalog: Any, where: str = "request") -> None:
    """What a command's fields can be checked for against the catalog before it is run or
    scheduled (a server answers a 4xx at once rather than "scheduled" and a refusal at its
    time): a docking's ``vehicle`` is a catalog vehicle, its ``crew`` fits the seats and its
    ``duration_days`` the docked life (the checks :func:`rossim.station.build_timeline`
    makes of a visit). An InputError naming ``<command>.<field>``."""
    if not isinstance(cmd, Dock):
        return
    veh = catalog.vehicles.get(cmd.vehicle)
    if veh is None:
        raise InputError(where, "dock.vehicle", cmd.vehicle, "a vehicle id of the catalog: "
                         + ", ".join(sorted(catalog.vehicles)))
    if cmd.crew > veh.crew_seats.value:
        raise InputError(where, "dock.crew", cmd.crew,
                         f"at most {veh.crew_seats.value:.0f} ({veh.name_en} seats)")
    if cmd.duration_days > veh.max_docked_days.value:
        raise InputError(where, "dock.duration_days", cmd.duration_days,
                         f"at most {veh.max_docked_days.value:.0f} days ({veh.name_en} "
                         "docked life)")


def _utc_time(where: str, fld: str, value: Any) -> dt.datetime | None:
    """A date-time field (``dock.lift_off``) from ISO-8601 text or a datetime: ``Z`` or no
    zone is UTC, an offset is converted to UTC (as a scenario's dates and the server's times);
    None stays None. Anything else: an InputError naming ``fld``."""
    from rossim.config._schema import _to_utc

    if value is None:
        return None
    try:
        if isinstance(value, str | dt.datetime):
            return _to_utc(value.strip() if isinstance(value, str) else value)
    except ValueError:
        pass
    raise InputError(where, fld, value, "a UTC ISO-8601 date-time such as "
                     "2028-03-01T00:00:00Z (Z or no zone: UTC; an offset is converted) or null")


def from_entry(entry: Any, where: str = "commands") -> Command:
    """A typed command from a scenario ``[[commands]]`` entry (``command`` plus its fields)."""
    data = entry.model_dump(exclude_none=True) if hasattr(entry, "model_dump") else dict(entry)
    name = data.pop("command")
    at = data.pop("at", None)
    cls = BY_NAME.get(name)
    if cls is None:
        raise InputError(where, "command", name, "one of " + ", ".join(sorted(BY_NAME)))
    allowed = {f for f in cls.__dataclass_fields__ if f not in ("at", "source")}
    extra = sorted(set(data) - allowed)
    if extra:
        raise InputError(where, extra[0], data[extra[0]],
                         f"no such field for {name} (fields: {', '.join(sorted(allowed)) or '-'})")
    for key, value in data.items():  # values as written, never coerced (a server's JSON too)
        annotation = cls.__dataclass_fields__[key].type
        if "datetime" in str(annotation):   # JSON has no date-time: ISO-8601 text, as `at`
            data[key] = _utc_time(where, f"{name}.{key}", value)
        else:
            _check_type(where, name, key, value, annotation)
    try:
        cmd = cls(at=at, source="scenario", **data)
        cmd.check()
    except InputError as e:
        raise InputError(where, e.field, e.value, e.expected) from None
    return cmd
