"""Crew record of a run: dose per person per visit (inside, and outside on spacewalks) along
the flown orbit, and career totals per named crew member across visits, against the career
limits of the catalog.

* Visits: :func:`rossim.analysis.crew_dose.crew_visit_doses` (inside the modules).
* Spacewalks: every EVA task of the run (``by == "EVA"``: the repairs the robot cannot do and
  the scenario's ``[[evas]]``) puts ``crew_time.eva_crew`` people outside for
  ``reliability.eva_h`` per spacewalk (``eva_min_gap_days`` apart,
  :func:`rossim.ops.robotics.egress_times`); their dose is the point dose behind the suit
  (``crew_dose.eva_suit_g_cm2`` of aluminium) times ``crew_dose.eva_body_factor`` (the body
  shields half the sky), on the flown orbit at the EVA's time, in place of the inside dose of
  those hours (so the EVA adds the excess over the inside rate: the rate the visit was charged
  for those hours, :func:`rossim.analysis.crew_dose.visit_dose`, same modules and same solar
  inputs of the day).
* Roster: ``[crew_roster]``: each visit's seats are filled from the names (default
  "Cosmonaut 1..pool_size") in turn (``round-robin``) or with new people (``fresh``); the EVA
  goes to the first two of the crew aboard.
* Limits: the career rows of ``reference.toml`` ``[[crew_dose.limit]]`` (NASA 600 mSv,
  Roscosmos 1 Sv).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from rossim.analysis.crew_dose import LIMITS, crew_visit_doses, visit_dose
from rossim.analysis.dose import dose_along_track
from rossim.config.reference import load_reference
from rossim.ops.robotics import egress_times

__all__ = ["eva_dose", "crew_record"]


def _eva_shielding() -> tuple[float, float]:
    cd = load_reference().crew_dose
    suit = cd.eva_suit_g_cm2.value if cd.eva_suit_g_cm2 else 1.0
    body = cd.eva_body_factor.value if cd.eva_body_factor else 0.5
    return suit, body


def eva_dose(orbit: Any, start: dt.datetime, hours: float, *, step_s: float = 60.0,
             scenario: Any = None) -> dict[str, float]:
    """Per-person dose of one spacewalk of ``hours`` from ``start`` (UTC) along ``orbit`` (any
    object with ``geodetic(t)``): absorbed (mGy) and dose equivalent (mSv) outside (suit and
    body factor of the reference catalog), and inside for the same hours (mSv) for the excess:
    what a crew member inside the ``scenario``'s modules of the date receives
    (:func:`rossim.analysis.crew_dose.visit_dose`, the rule of the visits' doses; without a
    scenario, the pressurised-module shielding). The orbit's ``weather`` (the run's, on its
    flown orbit) sets the solar inputs of each day, as for the visits."""
    from rossim.time import time_grid, to_time

    suit, body = _eva_shielding()
    t = time_grid(to_time(start), hours * 3600.0, step_s)
    lat, lon, alt = orbit.geodetic(t)
    out = dose_along_track(t, lat, lon, alt, shielding_g_cm2=suit,
                           weather=getattr(orbit, "weather", None))
    mgy, msv = out.integrated()
    _, msv_in, _, _ = visit_dose(scenario, t, orbit)
    return {"outside_mGy": body * mgy, "outside_mSv": body * msv, "inside_mSv": msv_in}


def _roster_names(roster: Any, n: int, k0: int) -> list[str]:
    names = list(roster.names) or [f"Cosmonaut {i + 1}" for i in range(roster.pool_size)]
    if roster.rotation == "fresh":
        return [names[k0 + i] if k0 + i < len(roster.names) else f"Cosmonaut {k0 + i + 1}"
                for i in range(n)]
    return [names[(k0 + i) % len(names)] for i in range(n)]


def crew_record(scenario: Any, orbit: Any, tasks: list, *, systems: Any = None,
                step_s: float = 60.0, rows: list | None = None) -> dict[str, Any]:
    """The crew record of a run (see the module docstring): ``visits`` (per visit: crew names,
    per-person inside dose), ``evas`` (per spacewalk task: start, hours outside, crew, dose
    per person), ``people`` (per name: visits, days, EVA hours, career dose mSv, fraction of
    each career limit), ``career_limits``, ``max_career_mSv``."""
    from rossim.config.systems import load_systems

    systems = systems or load_systems()
    rel = systems.reliability
    n_eva_crew = int(systems.crew_time.eva_crew.value) if systems.crew_time else 2
    if rows is None:  # the visits' inside doses, unless the run computed them already
        rows = crew_visit_doses(scenario, orbit=orbit, step_s=step_s)
    roster = scenario.crew_roster
    people: dict[str, dict[str, Any]] = {}
    visits = []
    seat = 0
    aboard: list[tuple[dt.datetime, dt.datetime, list[str]]] = []
    for r in rows:
        names = _roster_names(roster, int(r["crew"]), seat)
        seat += int(r["crew"])
        start = dt.datetime.fromisoformat(r["launch"]).replace(tzinfo=dt.UTC)
        aboard.append((start, start + dt.timedelta(days=float(r["days"]) + 1), names))
        visits.append({"visit": r["visit"], "launch": r["launch"],
                       "days": round(float(r["days"]), 4), "crew": names,
                       "per_person_mSv": round(float(r["per_person_mSv"]), 4)})
        for nm in names:
            p = people.setdefault(nm, {"visits": 0, "days": 0.0, "eva_hours": 0.0,
                                       "inside_mSv": 0.0, "eva_excess_mSv": 0.0})
            p["visits"] += 1
            p["days"] += float(r["days"])
            p["inside_mSv"] += float(r["per_person_mSv"])
    span = getattr(orbit, "span", None)
    evas = []
    for task in tasks:
        if getattr(task, "by", "") != "EVA" or task.start is None or task.eva_h <= 0:
            continue
        egresses = egress_times(task, rel)  # eva_min_gap_days apart, the last ending the task
        n = len(egresses)
        out_mgy = out_msv = excess = 0.0
        for t0 in egresses:
            if span is not None:
                from rossim.time import to_time

                if to_time(t0) < span[0] or to_time(t0) > span[1]:
                    continue
            d = eva_dose(orbit, t0, rel.eva_h.value, step_s=step_s, scenario=scenario)
            out_mgy += d["outside_mGy"]
            out_msv += d["outside_mSv"]
            excess += d["outside_mSv"] - d["inside_mSv"]
        crew = next((nm for s, e, nm in aboard if s <= task.start <= e), [])[:n_eva_crew]
        for nm in crew:
            people[nm]["eva_hours"] += task.eva_h
            people[nm]["eva_excess_mSv"] += excess
        # ``start``: the first egress (the task's start is its preparation days before)
        first = egresses[0]
        evas.append({"task": task.kind, "worksite": task.worksite,
                     "start": first.strftime("%Y-%m-%dT%H:%MZ"),
                     "task_start": task.start.strftime("%Y-%m-%dT%H:%MZ"), "spacewalks": n,
                     "hours_outside": task.eva_h, "crew": crew,
                     "per_person_outside_mGy": round(out_mgy, 4),
                     "per_person_outside_mSv": round(out_msv, 4),
                     "per_person_excess_mSv": round(excess, 4)})
    careers = [lim for lim in LIMITS if lim["period"] == "career"]
    for p in people.values():
        p["career_mSv"] = p["inside_mSv"] + p["eva_excess_mSv"]
        p["fraction_of_career_limits"] = {f"{lim['agency']} {lim['limit_mSv']:g} mSv":
                                          round(p["career_mSv"] / lim["limit_mSv"], 4)
                                          for lim in careers}
        for k in ("days", "eva_hours", "inside_mSv", "eva_excess_mSv", "career_mSv"):
            p[k] = round(float(p[k]), 4)
    worst = max((p["career_mSv"] for p in people.values()), default=0.0)
    return {"rotation": roster.rotation, "visits": visits, "evas": evas, "people": people,
            "career_limits": [{"agency": lim["agency"], "limit_mSv": lim["limit_mSv"],
                               "source": lim["source"]} for lim in careers],
            "max_career_mSv": round(float(worst), 4),
            "eva_hours_total": round(float(np.sum([e["hours_outside"] for e in evas])), 3),
            "eva_dose_method": "suit {:g} g/cm^2 Al x body factor {:g} (reference.toml "
                               "crew_dose.eva_*)".format(*_eva_shielding())}
