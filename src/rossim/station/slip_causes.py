"""Why a launch of the plan slipped, followed back to the cause.

The pad plan (:mod:`rossim.station.pad_plan`) moves a launch behind another one: its pad's
turnaround after the pad's last lift-off, a crew let fly first, or the ship or module it waits
for at its port, itself slipped. :attr:`rossim.station.Timeline.pad_slips` says each slip's
immediate reason and :attr:`~rossim.station.Timeline.slip_behind` the launch it waits behind;
:func:`slip_story` follows that chain back to a launch that did not slip, naming each entry of
the scenario on the way (a queue of one series' launches, each behind the one before, told as
one), so that a module docking years late says which visits held its port or pad.
"""

from __future__ import annotations

from typing import Any

__all__ = ["entry_fields", "launch_label", "slip_story"]

#: Steps of a chain told one by one before the rest is counted, and the longest story
#: (characters; an error line stays well under the CLI's 1000).
MAX_STEPS = 4
MAX_CHARS = 600


def entry_fields(timeline: Any) -> dict[str, str]:
    """Each launch's label (a ``pad_slips`` row's ``launch``: a visit's name, an assembly
    launch's modules joined by " + ") -> the scenario entry it comes from as the user wrote
    the file (``assembly[1]``, ``crew_series[0]``, ``cargo_demand[0]``, ``cargo_visits[2]``)."""
    scenario = timeline.scenario
    out: dict[str, str] = {}
    index = {a.module: i for i, a in enumerate(scenario.assembly) if a.enabled}
    for launch in timeline.launches:
        first = launch["modules"][0] if launch["modules"] else None
        if first in index:
            out[" + ".join(launch["modules"])] = f"assembly[{index[first]}]"
    plan = timeline.cargo_plan
    planned = ({id(v): k for k, v in enumerate(plan.visits)} if plan is not None else {})
    own = [v for v in scenario.cargo_visits if id(v) not in planned]   # the file's, in order
    own_index = {id(v): i for i, v in enumerate(own)}
    for fld, v in scenario.visits:
        if id(v) in planned:
            fld = f"cargo_demand[{plan.entries[planned[id(v)]]}]"
        elif id(v) in own_index:
            fld = f"cargo_visits[{own_index[id(v)]}]"
        out.setdefault(v.part_name, fld)
    return out


def _ports(timeline: Any) -> dict[str, set[str]]:
    """Each launch's label -> the ports it docks at (``"auto"`` left out)."""
    out: dict[str, set[str]] = {}
    for launch in timeline.launches:
        mods = set(launch["modules"])
        out[" + ".join(launch["modules"])] = {a.port for a in timeline.scenario.assembly
                                              if a.enabled and a.module in mods and a.port}
    for _fld, v in timeline.scenario.visits:
        if v.port != "auto":
            out.setdefault(v.part_name, set()).add(v.port)
    return out


def _why(row: dict, behind: dict[str, str], ports: dict[str, set[str]]) -> str:
    """A slip's reason, with the port when it waits for the ship or module before it there."""
    other = behind.get(row["launch"])
    if not row["why"].startswith("waits for") or other is None:
        return row["why"]
    shared = sorted(ports.get(row["launch"], set()) & ports.get(other, set()))
    if shared:
        return f"{row['why']} (both at {', '.join(shared)})"
    parents = sorted(p for p in ports.get(row["launch"], set())
                     if p.split(".", 1)[0] in other.split(" + "))
    return f"{row['why']} (docks at {', '.join(parents)})" if parents else row["why"]


def launch_label(timeline: Any, module: str) -> str | None:
    """The label of the launch that carries ``module`` (None: not launched in the plan)."""
    for launch in timeline.launches:
        if module in launch["modules"]:
            return " + ".join(launch["modules"])
    return None


def _chain(timeline: Any, label: str) -> tuple[list[dict], str | None]:
    """The slips from ``label`` back along ``slip_behind``, and the launch the chain ends at
    (one that did not slip; None when unknown)."""
    rows = {r["launch"]: r for r in timeline.pad_slips}
    behind = getattr(timeline, "slip_behind", {})
    out: list[dict] = []
    seen: set[str] = set()
    current: str | None = label
    while current in rows and current not in seen:
        seen.add(current)
        out.append(rows[current])
        current = behind.get(current)
    return out, current


def slip_story(timeline: Any, label: str, fields: dict[str, str] | None = None,
               follow: bool = True) -> str:
    """``label``'s slip and its causes in words, e.g. ``slipped 4675.2 d: waits for Progress
    MS #2, slipped; Progress MS #2 (cargo_demand[0]) slipped 5033.3 d: Baikonur ... pad
    turnaround (14 d) after spam #362 (...); 340 launches of cargo_series[0] (spam #362 back to
    spam #23) slipped one behind another, up to 5019.5 d; spam #23: ... after Soyuz MS crew #4
    (...)``. Empty when ``label`` did not slip. ``follow=False``: its own slip and reason
    only."""
    chain, _root = _chain(timeline, label)
    if not chain:
        return ""
    fields = entry_fields(timeline) if fields is None else fields
    behind, ports = getattr(timeline, "slip_behind", {}), _ports(timeline)
    parts = [f"slipped {chain[0]['slip_days']:.1f} d: {_why(chain[0], behind, ports)}"]
    if not follow:
        return parts[0]
    groups: list[list[dict]] = []
    for row in chain[1:]:
        fld = fields.get(row["launch"])
        if groups and fld is not None and fields.get(groups[-1][0]["launch"]) == fld:
            groups[-1].append(row)
        else:
            groups.append([row])
    for group in groups[:MAX_STEPS]:
        first, last = group[0], group[-1]
        fld = fields.get(first["launch"])
        where = f" ({fld})" if fld else ""
        if len(group) == 1:
            parts.append(f"{first['launch']}{where} slipped {first['slip_days']:.1f} d: "
                         f"{_why(first, behind, ports)}")
        else:
            parts.append(f"{len(group)} launches of {fld} ({first['launch']} back to "
                         f"{last['launch']}) slipped one behind another, up to "
                         f"{max(r['slip_days'] for r in group):.1f} d; {last['launch']}: "
                         f"{_why(last, behind, ports)}")
    told = [len(g) for g in groups[:MAX_STEPS]]
    while len(parts) > 1 and len("; ".join(parts)) > MAX_CHARS:
        parts.pop()
        told.pop()
    rest = len(chain) - 1 - sum(told)
    if rest:
        parts.append(f"and {rest} more slipped launch{'es' if rest > 1 else ''} behind those")
    return "; ".join(parts)
