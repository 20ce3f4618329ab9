"""Docking and separation in the plan's replay (:func:`rossim.station.build_timeline`): a part
attached at its port (:func:`dock`: the port exists, is free, fits the part's interface, and
its module is there), and a module that leaves (:func:`separate`).

A separation takes the module and everything docked through it. A ship still docked to any
of them is refused (it would leave with the module, and its own undocking later found nothing:
an internal error), and so is a module docked through it that the same ``[[separations]]``
entry does not list (it left unsaid with it); the modules an entry lists leave together, in
any order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rossim.config.catalog import Catalog
from rossim.errors import InputError
from rossim.station.ports import FITS, auto_port

if TYPE_CHECKING:
    from rossim.station.assembly import Attachment, Event

__all__ = ["check_station_there", "dock", "not_there", "port_split", "separate", "subtree"]


def _known(kind: str, table: dict) -> str:
    return f"a known {kind} id: {', '.join(sorted(table))}"


def port_split(where: str, fld: str, spec: str) -> tuple[str, str]:
    """``"<module>.<port>"`` as (module, port); :class:`InputError` without the dot."""
    if "." not in spec:
        raise InputError(where, fld, spec, '"<module>.<port>", e.g. "node.forward"')
    mod, port = spec.split(".", 1)
    return mod, port


def separate(ev: Event, listed: frozenset[str], attached: dict[str, Attachment],
             occupancy: dict[str, str], where: str, leaves: dict[str, dt.datetime],
             gone: set[str]) -> None:
    """Detach module ``ev.part`` and what is docked through it (module docstring).
    ``listed``: the modules of its ``[[separations]]`` entry; ``leaves``: each ship's
    undocking in the plan; ``gone``: the modules that entry has taken away already (a listed
    module docked through another left with it: nothing more to do)."""
    when = f"{ev.time:%Y-%m-%d %H:%M} UTC"
    if ev.part not in attached:
        if ev.part in gone:
            return
        raise InputError(where, ev.field, ev.part, "a module attached at the separation date",
                         problem="not attached then")
    parts = subtree(ev.part, attached)
    for name in parts[1:]:
        att = attached[name]
        if att.kind == "vehicle":
            until = leaves.get(name)
            raise InputError(
                where, ev.field, ev.part,
                f"a module with no ship docked to it, or to a module docked through it, at "
                f"the separation ({when}): separate it after {name} leaves, or end that "
                "visit before",
                problem=f"{name} docked at {att.parent_port} until "
                        + (f"{until:%Y-%m-%d %H:%M} UTC" if until is not None
                           else "after the span's end"))
        if name not in listed:
            raise InputError(
                where, ev.field, ev.part,
                f"a separation that lists every module leaving with it: add \"{name}\" to "
                "the entry's modules, or separate it from the station first",
                problem=f"{name} is docked through it at {att.parent_port} and would leave "
                        "with it unsaid")
    for name in parts:
        att = attached.pop(name)
        if att.parent_port:
            occupancy.pop(att.parent_port, None)
        for port in [p for p, who in occupancy.items() if who == name]:
            occupancy.pop(port)
        gone.add(name)


def subtree(root: str, attached: dict[str, Attachment]) -> list[str]:
    """``root`` and every part attached (directly or not) through it."""
    out = [root]
    k = 0
    while k < len(out):
        name = out[k]
        out += [a.name for a in attached.values()
                if a.parent_port and a.parent_port.split(".", 1)[0] == name and a.name not in out]
        k += 1
    return out


def not_there(mod_id: str, ev: Event, plan: Sequence[Event]) -> str:
    """Why module ``mod_id`` is not part of the station when ``ev`` docks at its port, from
    ``plan`` (the module dockings and separations, by time): it left (a separation), it docks
    later (when: that module is the cause, the docking part's parent when ``ev`` is a module),
    or the plan never docks it."""
    before = [e for e in plan if e.part == mod_id and e.time <= ev.time]
    if before and before[-1].kind == "separation":
        e = before[-1]
        return f"{mod_id} left the station {e.time:%Y-%m-%d %H:%M} UTC ({e.field})"
    later = next((e for e in plan if e.part == mod_id and e.kind == "dock"
                  and e.time >= ev.time), None)
    if later is None:
        return (f"{mod_id} is docked by no entry of the plan (no enabled assembly or initial "
                "entry names it)")
    role = ("its parent module" if ev.part_kind == "module"
            else "the module carrying the port")
    return f"{mod_id}, {role}, docks only on {later.time:%Y-%m-%d %H:%M} UTC ({later.field})"


def check_station_there(ev: Event, attached: dict[str, Attachment], plan: Sequence[Event],
                        where: str, launch_field: tuple[str, str] | None) -> None:
    """A ship that docks while no module is part of the station is refused naming the date
    that sends it (``launch_field``: the field and its value as written, e.g.
    ``crew_series[0].first_launch``; None: its port is named instead, by :func:`dock`)."""
    if launch_field is None or ev.part_kind != "vehicle" or any(
            a.kind == "module" for a in attached.values()):
        return
    when = f"{ev.time:%Y-%m-%d %H:%M} UTC"
    first = next((e for e in plan if e.kind == "dock" and e.time >= ev.time), None)
    gone = [e for e in plan if e.kind == "separation" and e.time <= ev.time]
    if first is None and gone:
        expected = (f"a launch while a module is part of the station: the last left "
                    f"{gone[-1].time:%Y-%m-%d %H:%M} UTC ({gone[-1].field})")
    elif first is None:
        expected = "a launch after the first module docks"
    else:
        expected = (f"a launch after the first module docks: {first.part} ({first.field}) "
                    f"docks {first.time:%Y-%m-%d %H:%M} UTC, after its launch and climb")
    raise InputError(where, launch_field[0], launch_field[1], expected,
                     problem=f"no module is part of the station when its ship would dock, "
                             f"{when}")


def dock(ev: Event, cat: Catalog, attached: dict[str, Attachment],
         occupancy: dict[str, str], where: str, plan: Sequence[Event] = ()) -> None:
    """Attach ``ev``'s part at its port, checking the port (module docstring). ``plan``: the
    module dockings and separations of the plan, by time (what a port's absent module is
    said to wait for, :func:`not_there`)."""
    from rossim.station.assembly import Attachment

    part = cat.modules[ev.catalog_id] if ev.part_kind == "module" else cat.vehicles[ev.catalog_id]
    when = ev.time.strftime("%Y-%m-%d %H:%M")
    port_field = f"{ev.field}.port"
    if ev.part_kind == "module" and ev.part in attached:
        raise InputError(where, f"{ev.field}.module", ev.part,
                         "a module that is not already part of the station",
                         problem=f"already attached at {when}")
    if ev.port is None:
        if any(a.kind == "module" for a in attached.values()):
            raise InputError(where, port_field, "",
                             '"<module>.<port>": only the first module flies free',
                             problem="no docking port given")
        if ev.part_kind != "module":
            raise InputError(where, port_field, "", '"<module>.<port>"')
        attached[ev.part] = Attachment(ev.part, ev.catalog_id, "module", None,
                                       ev.mass_kg or part.mass_kg.value, 0, ev.time)
        return
    if ev.port == "auto":
        if ev.part_kind != "vehicle":
            raise InputError(where, port_field, "auto",
                             '"<module>.<port>": "auto" is for visiting vehicles only')
        ev = auto_port(ev, cat, attached, occupancy, where)
    mod_id, port_name = port_split(where, port_field, ev.port)
    if mod_id not in cat.modules:
        raise InputError(where, port_field, ev.port, _known("module", cat.modules),
                         problem=f"unknown module '{mod_id}'")
    if mod_id not in attached:
        raise InputError(where, port_field, ev.port,
                         f"a port of a module already attached at {when} UTC, or a later "
                         "launch", problem=not_there(mod_id, ev, plan))
    parent = cat.modules[mod_id]
    port = parent.port(port_name)
    if port is None:
        names = ", ".join(f"{mod_id}.{p.name}" for p in parent.ports)
        raise InputError(where, port_field, ev.port, f"one of {names}",
                         problem="unknown port")
    if ev.port in occupancy:
        raise InputError(where, port_field, ev.port, f"a free port at {when}",
                         problem=f"port already occupied by {occupancy[ev.port]}")
    if ev.part_kind == "module":
        active = part.attach_port  # type: ignore[union-attr]
        if active is None:
            raise InputError(where, f"{ev.field}.module", ev.part,
                             "a module with an active hybrid port to dock with")
        active_type = active.type
    else:
        active_type = part.port_type  # type: ignore[union-attr]
    if port.type not in FITS.get(active_type, frozenset()):
        fits = " or ".join(sorted(FITS.get(active_type, frozenset())))
        raise InputError(where, port_field, ev.port,
                         f"a {fits} port for the {active_type} interface of {ev.catalog_id}",
                         problem=f"port type {port.type} does not fit")
    mass = ev.mass_kg or part.mass_kg.value
    attached[ev.part] = Attachment(ev.part, ev.catalog_id, ev.part_kind, ev.port, mass,
                                   ev.crew, ev.time)
    occupancy[ev.port] = ev.part
    if ev.part_kind == "module":
        # The module's own active port is used up by the docking.
        occupancy[f"{ev.part}.{part.attach_port.name}"] = mod_id  # type: ignore[union-attr]
