"""The plan day by day: the noon grid of a scenario's span (:func:`day_grid`) and, on it, what
the timeline holds each day (:func:`plan_days`: crew aboard, mass, drag area, pressurised
volume, modules, ships docking). The cargo planner (:mod:`rossim.station.logistics`) and the
propellant forecast (:mod:`rossim.station.propellant_forecast`) read the plan through it."""

from __future__ import annotations

import datetime as dt

import numpy as np

__all__ = ["day_grid", "plan_days"]


def day_grid(scenario) -> list[dt.datetime]:
    """Noon (UTC) of each day from the span's first to its end: ``[start at 12:00, +1 day,
    ...]``, empty when the span ends before its first noon."""
    d0 = scenario.span.start.replace(hour=12, minute=0, second=0, microsecond=0)
    n = int((scenario.span.end - d0).total_seconds() // 86400) + 1
    return [d0 + dt.timedelta(days=k) for k in range(max(n, 0))]


def plan_days(tl, days: list[dt.datetime], prop) -> dict[str, np.ndarray | list]:
    """What the plan ``tl`` (a :class:`rossim.station.timeline.Timeline`) holds on each of
    ``days`` (the :func:`day_grid`), arrays of shape ``(len(days),)``: ``crew`` aboard,
    ``mass_kg`` (the plan's: parts at their catalog mass), ``drag_area_m2``,
    ``volume_m3`` (pressurised), ``modules`` (a list of tuples of module ids), ``there``
    (bool: a station flies on its own, not before its first module nor while one of
    ``prop.host_modules`` carries it) and ``arrivals`` (ships, not relocations, docking
    since the day before's noon)."""
    n = len(days)
    out: dict[str, np.ndarray | list] = {
        k: np.zeros(n) for k in ("crew", "mass_kg", "drag_area_m2", "volume_m3", "arrivals")}
    modules: list[tuple[str, ...]] = []
    if n == 0:
        out.update(modules=modules, there=np.zeros(0, dtype=bool))
        return out
    idx = tl.phase_index(np.array([np.datetime64(d.replace(tzinfo=None), "us") for d in days]))
    cat = tl.catalog
    for k, i in enumerate(idx):
        if i < 0:
            modules.append(())
            continue
        c = tl.properties[i]
        out["crew"][k], out["drag_area_m2"][k], out["mass_kg"][k] = (
            c.crew_aboard, c.drag_area_m2, c.mass_kg)
        out["volume_m3"][k] = sum(cat.modules[m].pressurised_volume_m3.value for m in c.modules)
        modules.append(tuple(c.modules))
    hosted = np.array([any(m in prop.host_modules for m in mods) for mods in modules],
                      dtype=bool)
    d0 = days[0]
    for e in tl.events:
        if e.part_kind == "vehicle" and e.kind == "dock" and not e.relocation:
            k = int((e.time - d0).total_seconds() // 86400) + 1
            if 0 <= k < n:
                out["arrivals"][k] += 1
    out.update(modules=modules, there=(out["mass_kg"] > 0) & ~hosted)
    return out
