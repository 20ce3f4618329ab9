"""Ports of the plan's replay (:func:`rossim.station.build_timeline`): which passive port
accepts which active interface (:data:`FITS`), the first free port that fits a ship
(:func:`auto_port`), and a crew ship moved to free its port for an arriving ship
(:func:`relocate_for`, as Soyuz relocations on the ISS)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rossim.config.catalog import Catalog
from rossim.errors import InputError

if TYPE_CHECKING:
    from rossim.station.assembly import Attachment, Event

__all__ = ["FITS", "auto_port", "relocate_for"]

#: Which passive station ports accept which active docking interface.
FITS: dict[str, frozenset[str]] = {
    "hybrid-active": frozenset({"hybrid-passive"}),
    "probe": frozenset({"hybrid-passive", "drogue"}),
}


def relocate_for(ev: Event, cat: Catalog, attached: dict[str, Attachment],
                 occupancy: dict[str, str], where: str) -> list[dict]:
    """Free ``ev``'s port if a docked crew ship holds it: the ship moves to the first free
    port that fits it (as Soyuz relocations on the ISS). Returns the moves made."""
    import dataclasses

    if ev.part_kind != "vehicle" or not ev.port or ev.port == "auto" or \
            ev.port not in occupancy:
        return []
    occ = occupancy[ev.port]
    att = attached.get(occ)
    if att is None or att.kind != "vehicle" or cat.vehicles[att.catalog_id].kind != "crew":
        return []
    probe = dataclasses.replace(ev, part=occ, catalog_id=att.catalog_id, port="auto")
    occupancy_without = dict(occupancy)
    try:
        new = auto_port(probe, cat, attached, occupancy_without, where).port
    except InputError:
        return []  # nowhere to go: the docking check reports the occupied port
    occupancy.pop(ev.port)
    occupancy[new] = occ
    attached[occ] = dataclasses.replace(att, parent_port=new)
    return [{"time": ev.time, "ship": occ, "catalog_id": att.catalog_id, "from": ev.port,
             "to": new, "for": ev.part}]


def auto_port(ev: Event, cat: Catalog, attached: dict[str, Attachment],
              occupancy: dict[str, str], where: str) -> Event:
    """The first free port that fits the vehicle: ship ports (drogue) before module growth
    ports (hybrid-passive), modules in docking order, ports in catalog order."""
    import dataclasses

    interface = cat.vehicles[ev.catalog_id].port_type
    for wanted in ("drogue", "hybrid-passive"):
        if wanted not in FITS.get(interface, frozenset()):
            continue
        for att in attached.values():
            if att.kind != "module":
                continue
            for port in cat.modules[att.catalog_id].ports:
                spec = f"{att.name}.{port.name}"
                if port.type == wanted and spec not in occupancy:
                    return dataclasses.replace(ev, port=spec)
    when = ev.time.strftime("%Y-%m-%d %H:%M")
    fits = sorted(FITS.get(interface, frozenset()))
    modules = [a for a in attached.values() if a.kind == "module"]
    if not modules:
        problem = "no module is part of the station then"
    elif not any(p.type in fits for a in modules for p in cat.modules[a.catalog_id].ports):
        problem = f"no module there has a {' or '.join(fits)} port"
    else:
        problem = "every port that fits is occupied"
    raise InputError(where, f"{ev.field}.port", "auto",
                     f"a free {' or '.join(fits) or 'drogue or hybrid-passive'} port at "
                     f"{when} UTC", problem=problem)
