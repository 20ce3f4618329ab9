"""The names a scenario's entries give the ships they fly, checked for clashes
(:func:`check_names`, called by :class:`rossim.config.scenario.Scenario`'s validator).

The plan (:func:`rossim.station.build_timeline`) and the run tell ships apart by name, so two
ships of one name were an internal error (``KeyError``) or one ship taking the other's
events. The names come from:

* a ``[[crew_series]]``, ``[[cargo_series]]`` or ``[[cargo_demand]]`` entry: ``"<name> #k"``
  for its k-th ship, ``<name>`` being the entry's ``name`` or, without one, its ``vehicle``
  (:meth:`rossim.config.scenario.VisitSeries.expand`, :mod:`rossim.station.logistics`); two
  such entries of one ``<name>`` name their ships alike;
* a ``[[crew_visits]]`` or ``[[cargo_visits]]`` entry: its ``name``, else
  ``"<vehicle>@<launch date>"`` (:attr:`rossim.config.scenario.Visit.part_name`);
* a ``dock`` command's ``visit_name`` (the run adds that visit to the plan and replays it).

A launch group's name must not be ``assembly[<n>]``, the name an ungrouped launch goes by
(the two launches were merged into one). Module ids against visit names are checked by the
plan, which has the catalog.
"""

from __future__ import annotations

import re
from typing import Any

from rossim.config._toml import FieldError

__all__ = ["check_names"]

SERIES = ("crew_series", "cargo_series", "cargo_demand")
VISITS = ("crew_visits", "cargo_visits")
_NUMBERED = re.compile(r"(.*) #\d+", re.S)
_UNGROUPED = re.compile(r"assembly\[\d+\]")


def check_names(scenario: Any) -> None:
    """Raise :class:`~rossim.config._toml.FieldError` for the first entry whose ships would
    be named as another entry's (module docstring)."""
    stems: dict[str, str] = {}
    for group in SERIES:
        for i, entry in enumerate(getattr(scenario, group)):
            stem = entry.name or entry.vehicle
            fld = f"{group}[{i}]"
            if stem in stems:
                first = stems[stem]
                expected = (f"a name of its own: {first} names its ships \"{stem} #1\", "
                            f"\"{stem} #2\", ... already (each ship needs a name of its own)")
                if entry.name is None:
                    raise FieldError(f"{fld}.name", None, expected,
                                     problem=f"missing: its ships are named after its vehicle "
                                             f"{entry.vehicle}, as {first}'s")
                raise FieldError(f"{fld}.name", stem, expected,
                                 problem=f"the name of {first} too")
            stems[stem] = fld
    seen: dict[str, str] = {}
    for group in VISITS:
        for i, visit in enumerate(getattr(scenario, group)):
            name = visit.part_name
            fld = f"{group}[{i}]"
            if name in seen:
                how = ((" (same vehicle, same launch date): give one of them its own `name`, "
                        "or merge them") if visit.name is None
                       else ": give one of them another `name`")
                raise FieldError(fld, name, f"a visit distinct from {seen[name]}{how}",
                                 problem="a second visit with the same name")
            m = _NUMBERED.fullmatch(name)
            if m is not None and m.group(1) in stems:
                raise FieldError(f"{fld}.name", name,
                                 f"a name that no series names its ships: {stems[m.group(1)]} "
                                 f"names its ships \"{m.group(1)} #1\", \"{m.group(1)} #2\", ...",
                                 problem=f"a ship of {stems[m.group(1)]} has it")
            seen[name] = fld
    for i, c in enumerate(scenario.commands):
        name = c.visit_name if c.command == "dock" else None
        if name is None:
            continue
        fld = f"commands[{i}].visit_name"
        m = _NUMBERED.fullmatch(name)
        other = seen.get(name) or (stems.get(m.group(1)) if m is not None else None)
        if other is not None:
            raise FieldError(fld, name, f"a name no ship of the plan has: {other} names a ship "
                                        "so (the run adds the docked visit to the plan)",
                             problem=f"a ship of {other} has it")
        seen[name] = f"commands[{i}]"
    for i, launch in enumerate(scenario.assembly):
        group = launch.launch_group
        if group is not None and _UNGROUPED.fullmatch(group):
            raise FieldError(f"assembly[{i}].launch_group", group,
                             "a group name other than assembly[<n>] (the name an ungrouped "
                             "launch goes by, whose launch would be merged into this group)")
