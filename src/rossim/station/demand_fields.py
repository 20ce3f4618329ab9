"""Errors of the plan's replay named as the user wrote the scenario.

The cargo-by-demand planner (:mod:`rossim.station.logistics`) turns ``[[cargo_demand]]``
entries into explicit ``cargo_visits`` merged by date with the file's own, so the replay
(:func:`rossim.station.build_timeline`) names ``cargo_visits[<merged index>]``: a field the
file may not have, or another visit than the file's entry of that index. :func:`as_written`
maps the field back: a planned flight to ``cargo_demand[<entry>]`` (with the flight's name
and launch date), a visit of the file to its own index.
"""

from __future__ import annotations

import re

from rossim.errors import InputError

__all__ = ["as_written"]

_FIELD = re.compile(r"^cargo_visits\[(\d+)\](.*)$", re.S)


def as_written(err: InputError, written, resolved, plan) -> InputError:
    """``err`` with its ``cargo_visits[j]`` field (an index into ``resolved``, the scenario
    with the planned flights merged in) mapped to the entry of ``written`` (the scenario as
    loaded); ``err`` itself when there is nothing to map."""
    m = _FIELD.match(err.field or "") if plan is not None else None
    if m is None or int(m.group(1)) >= len(resolved.cargo_visits):
        return err
    visit, rest = resolved.cargo_visits[int(m.group(1))], m.group(2)
    k = next((k for k, v in enumerate(plan.visits) if v is visit), None)
    if k is not None:
        flight = (f"planned flight {visit.name}, launch {visit.launch:%Y-%m-%d %H:%M} UTC "
                  "(cargo by demand)")
        problem = f"{err.problem}; {flight}" if err.problem else flight
        return InputError(err.where, f"cargo_demand[{plan.entries[k]}]{rest}", err.value,
                          err.expected, problem=problem)
    i = next((i for i, v in enumerate(written.cargo_visits) if v is visit), None)
    if i is None:
        return err
    return InputError(err.where, f"cargo_visits[{i}]{rest}", err.value, err.expected,
                      problem=err.problem)
