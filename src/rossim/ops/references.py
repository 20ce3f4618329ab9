"""Names a scenario gives that must exist: ``rossim validate`` and ``rossim run`` check them
against the catalog and the plan before the run (:func:`check_references`).

A ``[[evas]]`` worksite and every module, port, ship, vehicle, launcher or pad a
``[[commands]]`` entry names must be one the plan has at some point (a module the scenario
attaches, a ship it flies or an earlier command docks or moves) and, where the plan knows it
before the run, be there at the entry's time (a module attached then; a planned ship docked
then, unless an earlier command edits the plan). Before this check such an entry passed
``validate`` and was flown as nonsense (an EVA at a module that does not exist) or refused
as a warning in the middle of the run. The free-flyer deployments' ports are checked by
:func:`rossim.fleet.deployment.resolve_port` (``rossim validate``). Each failure is one
:class:`~rossim.errors.InputError`: the field, the value and the names the scenario knows.

Not checked here: ``repair.fault_id`` (faults are numbered as they happen in the run) and
ships called up during the run (``... call-up #n``: their names exist only then).
"""

from __future__ import annotations

import datetime as dt
import re

from rossim.errors import InputError
from rossim.station.ports import FITS

__all__ = ["check_references"]

#: Ships the run calls up (rossim.ops.cargo_callup, crew_callup): named only during the run.
_CALLUP = re.compile(r" call-up #\d+$")
_PLAN_EDITS = ("dock", "undock", "relocate")


def _when(t: dt.datetime) -> str:
    return f"{t:%Y-%m-%d}" if t.time() == dt.time(0) else f"{t:%Y-%m-%d %H:%M} UTC"


class _Plan:
    """What the plan has: modules (in docking order), ships, and what is there at a time."""

    def __init__(self, scenario, timeline):
        self.where = scenario.source_path or scenario.name
        self.tl = timeline
        self.cat = timeline.catalog
        self.modules = list(dict.fromkeys(m for cfg in timeline.properties
                                          for m in cfg.modules))
        self.ships = {e.part: e.catalog_id for e in timeline.events
                      if e.part_kind == "vehicle"}

    def at(self, t: dt.datetime):
        phases = self.tl.phases
        if not phases or t < phases[0].start:
            return None
        return self.tl.at(t)

    def module(self, fld: str, name: str, t: dt.datetime, what: str = "a module",
               shown: str | None = None) -> None:
        """``name`` is a module the scenario attaches, attached at ``t`` (``shown``: the value
        as written, when ``name`` is part of it)."""
        if name not in self.modules:
            raise InputError(self.where, fld, shown or name, f"{what} of the scenario, one of "
                             + ", ".join(self.modules), problem="no such module in the plan")
        cfg = self.at(t)
        there = cfg.modules if cfg is not None else ()
        if name not in there:
            raise InputError(self.where, fld, shown or name,
                             f"{what} attached on {_when(t)} (attached then: "
                             f"{', '.join(there) or 'none'})",
                             problem="module not there then" + self.arrival(name, t))

    def arrival(self, name: str, t: dt.datetime) -> str:
        """``"; it docks <date>, slipped ...: <cause>"``: when module ``name`` docks after
        ``t`` and why it is late (empty when it does not dock after ``t``)."""
        from rossim.station.slip_causes import launch_label, slip_story

        docks = [e.time for e in self.tl.module_events
                 if e.part == name and e.kind == "dock" and e.time > t]
        if not docks:
            return ""
        story = slip_story(self.tl, launch_label(self.tl, name) or name)
        return f"; it docks {_when(min(docks))}" + (f", {story}" if story else "")

    def port(self, fld: str, spec: str, t: dt.datetime, types: frozenset[str] | None,
             kind: str) -> None:
        """``spec`` ("<module>.<port>") is a port of a module attached at ``t`` whose type is
        one of ``types`` (None: any)."""
        ok = sorted(f"{m}.{p.name}" for m in self.modules for p in self.cat.modules[m].ports
                    if types is None or p.type in types)
        expected = f"a {kind} port of the scenario's modules, one of " + (", ".join(ok)
                                                                          or "none")
        if not isinstance(spec, str) or spec.count(".") != 1:
            raise InputError(self.where, fld, spec, expected)
        mod, name = spec.split(".")
        if mod not in self.modules:
            raise InputError(self.where, fld, spec, expected, problem="no such module in the "
                             "plan (modules: " + ", ".join(self.modules) + ")")
        ports = {p.name: p for p in self.cat.modules[mod].ports}
        if name not in ports:
            raise InputError(self.where, fld, spec, expected,
                             problem=f"{mod} has no port {name!r}")
        if types is not None and ports[name].type not in types:
            raise InputError(self.where, fld, spec, expected,
                             problem=f"port type {ports[name].type}")
        self.module(fld, mod, t, what=f"a port on a module ({mod})", shown=spec)


def _catalog_id(plan: _Plan, fld: str, table: dict, value, kind: str) -> None:
    if value is not None and value not in table:
        raise InputError(plan.where, fld, value,
                         f"a known {kind} id: {', '.join(sorted(table))}",
                         problem=f"unknown {kind}")


def _seats_and_stay(plan: _Plan, fld: str, entry) -> None:
    """A commanded docking's crew within its ship's seats and its stay within the ship's
    docked life (:func:`rossim.ops.commands.check_in_catalog`, the server's check at
    submission): before, ``rossim validate`` accepted ``crew = 8`` on a Soyuz MS and the run
    refused it at its time."""
    from rossim.ops.commands import check_in_catalog, from_entry

    try:
        check_in_catalog(from_entry(entry, plan.where), plan.cat, plan.where)
    except InputError as e:
        v = e.value   # a whole number as it is written in TOML (300, not 300.0)
        v = int(v) if isinstance(v, float) and v.is_integer() else v
        raise InputError(plan.where, f"{fld}.{(e.field or '').split('.', 1)[-1]}", v,
                         e.expected) from None


def check_references(scenario, timeline) -> None:
    """Raise :class:`InputError` for the first ``[[evas]]`` or ``[[commands]]`` entry naming
    a module, port, ship, vehicle, launcher or pad the catalog or the plan does not have
    (see the module docstring)."""
    plan = _Plan(scenario, timeline)
    cat = plan.cat
    for i, e in enumerate(scenario.evas):
        plan.module(f"evas[{i}].worksite", e.worksite, e.date)
    docked: dict[str, str] = {}       # ships earlier commands dock or move -> catalog id
    edited = False                    # an earlier command edits the plan
    for i, c in sorted(enumerate(scenario.commands), key=lambda ic: ic[1].at):
        fld = f"commands[{i}]"
        name, t = c.command, c.at
        if name == "dock":
            _catalog_id(plan, f"{fld}.vehicle", cat.vehicles, c.vehicle, "vehicle")
            _catalog_id(plan, f"{fld}.launcher", cat.launchers, getattr(c, "launcher", None),
                        "launcher")
            _catalog_id(plan, f"{fld}.site", cat.sites, getattr(c, "site", None), "site")
            _seats_and_stay(plan, fld, c)
            if c.port not in (None, "auto"):
                plan.port(f"{fld}.port", c.port, t,
                          FITS.get(cat.vehicles[c.vehicle].port_type, frozenset()),
                          f"{cat.vehicles[c.vehicle].port_type} docking")
            docked[c.visit_name or f"{c.vehicle} (commanded {t:%Y-%m-%d %H:%M})"] = c.vehicle
        elif name in ("undock", "relocate"):
            ship = c.vehicle
            known = {**plan.ships, **docked}
            if ship not in known and not _CALLUP.search(ship or ""):
                raise InputError(plan.where, f"{fld}.vehicle", ship,
                                 "a ship the plan flies or an earlier command docks, one of "
                                 + ", ".join(known), problem="no such ship in the plan")
            if ship in plan.ships and not edited:
                cfg = plan.at(t)
                there = cfg.vehicles if cfg is not None else ()
                if ship not in there:
                    raise InputError(plan.where, f"{fld}.vehicle", ship,
                                     f"a ship docked on {_when(t)} (docked then: "
                                     f"{', '.join(there) or 'none'})",
                                     problem="not docked then in the plan")
            if name == "relocate":
                vid = known.get(ship)
                iface = cat.vehicles[vid].port_type if vid in cat.vehicles else None
                plan.port(f"{fld}.port", c.port, t,
                          FITS.get(iface, frozenset()) if iface else None,
                          f"{iface} docking" if iface else "docking")
                docked[f"{ship} @{c.port}"] = vid
        elif name == "inject-fault" and c.module is not None:
            plan.module(f"{fld}.module", c.module, t)
        elif name == "robot-task":
            plan.module(f"{fld}.worksite", c.worksite, t)
        elif name == "deploy-free-flyer":
            plan.port(f"{fld}.port", c.port, t, frozenset({"payload"}), "payload")
        edited = edited or name in _PLAN_EDITS
