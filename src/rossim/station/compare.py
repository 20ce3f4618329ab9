"""Two plans side by side: what ``rossim describe A --diff B`` shows.

:func:`plan_facts` reduces one checked plan (:class:`rossim.station.assembly.Timeline`) to
labelled facts (orbit, span, each module's launch, launcher and site, assembly completion, the
completed station's mass, arrays, berths and pressurised volume, of its modules alone, without
the ships docked that day; crew and cargo traffic, with the most crew aboard at once;
free-flyers);
:func:`compare_plans` lines two of them up, one row per fact, with ``differs`` set where the
plans differ. Values are display strings (units in the label); nothing here is computed that
``rossim describe`` of each plan does not already show.
"""

from __future__ import annotations

from typing import Any

__all__ = ["plan_facts", "compare_plans"]


def _visit_facts(scenario: Any, kind: str, aboard: int | None = None) -> dict[str, str]:
    """Traffic of one kind; ``aboard``: the most crew aboard at once (crew visits docked
    together summed), shown beside the crew per visit so that plans with two crews docked
    together compare fairly."""
    visits = [v for f, v in scenario.visits if f.startswith(kind)]
    if not visits:
        return {f"{kind} visits": "none"}
    vehicles = sorted({v.vehicle for v in visits})
    out = {f"{kind} visits": f"{len(visits)} ({', '.join(vehicles)})",
           f"{kind}: first launch": f"{min(v.launch for v in visits):%Y-%m-%d}"}
    if kind == "crew":
        days = sum(v.duration_days * v.crew for v in visits)
        out["crew-days planned"] = f"{days:,.0f}"
        out["crew per visit"] = "/".join(str(c) for c in sorted({v.crew for v in visits}))
        if aboard is not None:
            out["most crew aboard at once"] = str(aboard)
        out["visit length, days"] = "/".join(f"{d:g}" for d in sorted({v.duration_days
                                                                       for v in visits}))
    return out


def plan_facts(timeline: Any) -> dict[str, str]:
    """Labelled facts of one plan (insertion-ordered ``{label: value}``, values as text)."""
    scen = timeline.scenario
    o = scen.orbit
    facts: dict[str, str] = {
        "orbit": f"{o.altitude_km:g} km x {o.inclination_deg:g} deg",
        "span": f"{scen.span.start:%Y-%m-%d} .. {scen.span.end:%Y-%m-%d}",
    }
    by_module = {m: launch for launch in timeline.launches for m in launch["modules"]}
    flown = [a for a in scen.assembly if a.enabled]
    facts["modules launched"] = str(len(flown))
    for a in scen.assembly:
        key = f"module {a.module}"
        if not a.enabled:
            facts[key] = "not flown"
            continue
        launch = by_module.get(a.module)
        where = (f"{launch['launcher']} from {launch['site']}" if launch
                 else f"{a.launcher or '?'}")
        shared = (f", with {' + '.join(m for m in launch['modules'] if m != a.module)}"
                  if launch and len(launch["modules"]) > 1 else "")
        facts[key] = f"{a.launch:%Y-%m-%d}, {where}{shared}"
        if launch and "insertion" in launch:  # issue 14: insertion orbit and climb
            facts[f"climb {a.module}"] = (
                f"{launch['insertion']}, by {launch['climber']}, "
                f"{launch['climb_propellant_kg']:.0f} kg, {launch['climb_days']:g} d")
    done = timeline.assembly_complete
    facts["assembly complete"] = f"{done:%Y-%m-%d}" if done else "no module docks"
    phases = timeline.assembly_phases()
    if phases:
        last = timeline.properties[phases[-1].index]
        facts["completed station: modules"] = str(last.n_modules)
        facts["completed station: module mass, t"] = f"{last.module_mass_kg / 1000:.1f}"
        facts["completed station: arrays, kW"] = f"{last.solar_array_power_kw:.0f}"
        facts["completed station: berths"] = str(last.crew_capacity)
        # the modules' own volume, as mass, arrays and berths above: the configuration's
        # pressurised_volume_m3 also counts the ships docked that day (a Soyuz made two
        # plans with the same modules differ)
        modules = [a.catalog_id for a in timeline.phases[phases[-1].index].attachments
                   if a.kind == "module"]
        volume = sum(timeline.catalog.modules[m].pressurised_volume_m3.value for m in modules)
        facts["completed station: pressurised volume, m^3"] = f"{volume:.0f}"
    aboard = max((int(p.crew_aboard) for p in timeline.properties), default=0)
    facts.update(_visit_facts(scen, "crew", aboard))
    facts.update(_visit_facts(scen, "cargo"))
    # issue 14 review: planned spacewalks (repairs come from faults, at run time)
    facts["spacewalks planned"] = (
        ", ".join(f"{e.count} at {e.worksite} {e.date:%Y-%m}" for e in scen.evas)
        if scen.evas else "none")
    deps = scen.free_flyers.deployments
    facts["free-flyers deployed"] = (f"{sum(d.count for d in deps)} in {len(deps)} deployments"
                                     if deps else "none")
    facts["monte carlo dispersions"] = "yes" if scen.monte_carlo else "no"
    return facts


def compare_plans(a: Any, b: Any) -> list[dict[str, Any]]:
    """Rows ``{"item", "a", "b", "differs"}`` over the union of both plans' facts (``a``'s
    order first, then ``b``'s own items); a fact one plan lacks shows as ``"-"``."""
    fa, fb = plan_facts(a), plan_facts(b)
    items = list(fa) + [k for k in fb if k not in fa]
    return [{"item": k, "a": fa.get(k, "-"), "b": fb.get(k, "-"),
             "differs": fa.get(k, "-") != fb.get(k, "-")} for k in items]
