"""Crew dose of a scenario: every crewed visit along the station's orbit, the crew limits, and
periodic visits against a permanently crewed station.

The dose rates come from :func:`rossim.analysis.dose.dose_along_track` (trapped belts, GCR,
solar particle events behind aluminium shielding); the shielding is the crew-time weighted mix
of the modules present on each date (:func:`module_shielding_mix`). Every input that changes
with the date (the modules, the AE-8/AP-8 version, the GCR potential) is taken per date, not
per visit: crews aboard together get the same dose rate on their common days. The limits are data
(``rossim/config/catalog/reference.toml``, ``[[crew_dose.limit]]``: value, flag, source):
NASA-STD-3001 (30-day, annual, career) and the Roscosmos annual and career limits.

Doses are mSv (dose equivalent) and mGy (absorbed); collective doses person-mSv.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as _dt
from typing import Any

import numpy as np
from astropy.time import TimeDelta

from rossim.analysis.dose import (
    _S_PER_DAY,
    _UNOCCUPIED,
    CORE_OCCUPANCY,
    MODULE_SHIELDING_G_CM2,
    PRESSURISED_MODULE_G_CM2,
    _quiet_erfa,
    _solar_label,
    dose_along_track,
)
from rossim.config.reference import load_reference
from rossim.environment.radiation.spe import SolarParticleEvent
from rossim.errors import InputError

__all__ = ["LIMITS", "periodic_vs_continuous", "module_shielding_mix", "crew_visit_doses",
           "visit_dose", "scenario_dose", "most_dosed_sequence", "crew_aboard_in_year"]

#: Crew dose limits (mSv, or mGy-Eq for NASA's BFO limits, compared with the model's point
#: dose equivalent, a conservative stand-in since the body shields its blood-forming organs):
#: rows ``agency``, ``period`` (30-day, annual, career), ``days``, ``limit_mSv``, ``quantity``,
#: ``source`` (a key of docs/sources.md), from reference.toml.
LIMITS: list[dict[str, Any]] = [
    {"agency": lim.agency, "period": lim.period, "days": lim.days,
     "limit_mSv": lim.limit_mSv.value, "quantity": lim.quantity, "source": lim.limit_mSv.source}
    for lim in load_reference().crew_dose.limit]


def periodic_vs_continuous(rate_msv_per_day: float, rate_mgy_per_day: float, crew_size: int,
                           *, visits_per_year: int = 2, visit_days: float = 30.0,
                           expedition_days: float = 182.5) -> list[dict[str, Any]]:
    """Yearly crew dose of periodic visits against a permanently crewed station.

    Rows: ``periodic`` (``visits_per_year`` visits of ``visit_days`` by ``crew_size`` people;
    per-person figure if the same people fly every visit of the year), ``continuous`` (the
    same crew size aboard all year; per-person for expeditions of ``expedition_days`` and for
    one person aboard all year). Collective dose in person-mSv per year.
    """
    if crew_size < 1:
        raise InputError("argument", "crew", crew_size, "at least one person")
    days_p = visits_per_year * visit_days
    rows = [
        {"mode": "periodic", "description": f"{visits_per_year} x {visit_days:g}-day visits",
         "crew": crew_size, "crew_days_per_year": crew_size * days_p,
         "collective_person_mSv_per_year": crew_size * days_p * rate_msv_per_day,
         "per_person_mSv_per_visit": visit_days * rate_msv_per_day,
         "per_person_mSv_per_year": days_p * rate_msv_per_day,
         "per_person_mGy_per_year": days_p * rate_mgy_per_day},
        {"mode": "continuous", "description": f"{expedition_days:g}-day expeditions",
         "crew": crew_size, "crew_days_per_year": crew_size * 365.25,
         "collective_person_mSv_per_year": crew_size * 365.25 * rate_msv_per_day,
         "per_person_mSv_per_visit": expedition_days * rate_msv_per_day,
         "per_person_mSv_per_year": 365.25 * rate_msv_per_day,
         "per_person_mGy_per_year": 365.25 * rate_mgy_per_day},
    ]
    for row in rows:
        row["fraction_of_annual_limit_500mSv"] = row["per_person_mSv_per_year"] / 500.0
        row["years_to_career_limit_1000mSv"] = 1000.0 / max(row["per_person_mSv_per_year"],
                                                            1e-12)
        row["years_to_career_limit_600mSv"] = 600.0 / max(row["per_person_mSv_per_year"], 1e-12)
    return rows


def _modules_at(scenario: Any, when: _dt.datetime) -> list[str]:
    present: list[str] = [m.module for m in getattr(scenario, "initial", [])]
    for a in getattr(scenario, "assembly", ()):
        if a.enabled and a.launch + _dt.timedelta(days=a.transfer_days) <= when:
            present.append(a.module)
    for s in getattr(scenario, "separations", ()):
        if s.date <= when:
            present = [m for m in present if m not in s.modules]
    return present


def module_shielding_mix(modules: list[str]) -> dict[float, float]:
    """Crew-time-weighted ``{areal density: weight}`` for the modules present (see
    :data:`MODULE_SHIELDING_G_CM2`, :data:`CORE_OCCUPANCY`)."""
    modules = [m for m in modules if m not in _UNOCCUPIED]
    if not modules:
        return {PRESSURISED_MODULE_G_CM2: 1.0}
    mix: dict[float, float] = {}
    others = [m for m in modules if m != "core"]
    core_w = CORE_OCCUPANCY if "core" in modules and others else (1.0 if "core" in modules
                                                                   else 0.0)
    if "core" in modules:
        mix[MODULE_SHIELDING_G_CM2["core"]] = core_w
    for m in others:
        s = MODULE_SHIELDING_G_CM2.get(m, PRESSURISED_MODULE_G_CM2)
        mix[s] = mix.get(s, 0.0) + (1.0 - core_w) / len(others)
    return mix


def _module_changes(scenario: Any) -> list[Any]:
    """The dates on which the modules present change (arrivals and separations)."""
    out = [a.launch + _dt.timedelta(days=a.transfer_days)
           for a in getattr(scenario, "assembly", ()) if a.enabled]
    return sorted(out + [s.date for s in getattr(scenario, "separations", ())])


@_quiet_erfa
def visit_dose(scenario: Any, t: Any, orbit: Any, *, shielding_g_cm2: Any = None,
               spe: tuple[SolarParticleEvent, ...] = ()) -> tuple[float, float, str, float]:
    """Per-person dose over the epochs ``t`` aboard the scenario's station on ``orbit``
    (``geodetic(t)``; its ``weather``, if any, sets the solar activity): absorbed (mGy), dose
    equivalent (mSv), the AE-8/AP-8 version(s) and the mean GCR potential (MV).

    The same rule for everyone aboard: the shielding of each epoch is the mix of the modules
    present on its date (``shielding_g_cm2`` if given) and the solar inputs are those of its
    UTC day (:func:`rossim.analysis.dose.dose_along_track`), so the dose of a day aboard does
    not depend on which visit it belongs to. One rectangle rule over all of ``t``
    (:meth:`DoseTrack.integrated`)."""
    from rossim.time import datetime64_from_time, to_datetime, to_datetime64

    lat, lon, alt = orbit.geodetic(t)
    weather = getattr(orbit, "weather", None)
    stamps = datetime64_from_time(t)
    cuts = [0, stamps.size]
    changes = _module_changes(scenario) if shielding_g_cm2 is None else []
    if changes:  # a new shielding mix from the first epoch on each change's date
        cuts = sorted({0, stamps.size,
                       *np.searchsorted(stamps, to_datetime64(changes), side="left").tolist()})
    absorbed, equivalent, is_max, phi = [], [], [], []
    for i0, i1 in zip(cuts[:-1], cuts[1:], strict=True):
        if i1 <= i0:
            continue
        shield = shielding_g_cm2 if shielding_g_cm2 is not None else module_shielding_mix(
            _modules_at(scenario, to_datetime(stamps[i0])))
        part = dose_along_track(t[i0:i1], lat[i0:i1], lon[i0:i1], alt[i0:i1],
                                shielding_g_cm2=shield, spe=spe, weather=weather)
        absorbed.append(part.total_absorbed)
        equivalent.append(part.total_equivalent)
        is_max.append(part.solar_max)
        phi.append(part.phi_mv_at)
    sec = np.asarray((t - t[0]).to_value("s"), float).reshape(-1)
    if sec.size < 2:
        return 0.0, 0.0, _solar_label(np.concatenate(is_max)), float(np.mean(phi[0]))
    w = np.gradient(sec) / _S_PER_DAY
    return (float(np.sum(np.concatenate(absorbed) * w)),
            float(np.sum(np.concatenate(equivalent) * w)),
            _solar_label(np.concatenate(is_max)), float(np.mean(np.concatenate(phi))))


@_quiet_erfa
def crew_visit_doses(scenario: Any, *, step_s: float = 60.0,
                     shielding_g_cm2: float | None = None,
                     spe: tuple[SolarParticleEvent, ...] = (), orbit: Any = None
                     ) -> list[dict[str, Any]]:
    """Dose of every crewed visit of a scenario along the scenario's circular orbit
    (:func:`rossim.dynamics.scenario_orbit.orbit_from_scenario`), or along ``orbit``: any
    object with ``geodetic(t) -> (lat_deg, lon_deg, alt_km)``; ``rossim run`` passes the run's
    flown orbit, whose ``weather`` (the run's space weather, dispersed in a Monte Carlo run)
    sets the cosmic-ray modulation and the trapped model's solar condition (without one: the
    shared forecast, :func:`rossim.environment.spaceweather.default_weather`).

    Each row: visit name, vehicle, launch, days, crew, AE-8/AP-8 version (``"min"``, ``"max"``
    or ``"min/max"`` when the visit's days fall on both sides of the threshold), mean GCR
    potential, per-person absorbed (mGy) and dose equivalent (mSv), the visit's crew
    collective dose, the running cumulative collective dose, and the dosed interval's ``start``
    and ``end`` (ISO UTC, to the second: lift-off to undocking, clipped to the orbit's span;
    they say which visits are aboard at the same time). Shielding:
    ``shielding_g_cm2`` if given, else the module mix present on each date
    (:func:`visit_dose`).
    Solar particle events: ``spe`` if given, else the scenario's ``solar_particle_events``.
    """
    from rossim.dynamics.scenario_orbit import orbit_from_scenario
    from rossim.time import datetime64_from_time, time_grid, to_datetime, to_time

    if not spe:  # the scenario's own events, if it lists any
        spe = tuple(SolarParticleEvent(e.start, e.duration_days, e.scale)
                    for e in getattr(scenario, "solar_particle_events", ()))
    if orbit is None:
        orbit = orbit_from_scenario(scenario)
    rows: list[dict[str, Any]] = []
    cumulative = 0.0
    for fieldname, visit in scenario.visits:
        if not fieldname.startswith("crew") or visit.crew <= 0:
            continue
        start, days = to_time(visit.launch), float(visit.duration_days)
        # flown interval (lift-off to undocking: the climb counts) when the run knows it
        flown_t = (getattr(orbit, "visit_times", None) or {}).get(
            visit.name or f"{visit.vehicle}@{visit.launch.date()}")
        lift_off = visit.launch   # the row's launch: the flown lift-off (a slip moves it)
        if flown_t is not None and flown_t[1] > flown_t[0]:
            lift_off = flown_t[0]
            start = to_time(flown_t[0])
            days = (flown_t[1] - flown_t[0]).total_seconds() / _S_PER_DAY
        span = getattr(orbit, "span", None)
        if span is not None:
            # an orbit with a span (the run's flown orbit): dose only while the station is
            # there (not before its first module, not after a re-entry ended the run)
            t0 = max(start, span[0])
            t1 = min(start + TimeDelta(days * _S_PER_DAY, format="sec"), span[1])
            if t1 <= t0:
                continue
            start, days = t0, float((t1 - t0).to_value("s")) / _S_PER_DAY
        t = time_grid(start, days * _S_PER_DAY, step_s)
        mgy, msv, solar, phi = visit_dose(scenario, t, orbit, shielding_g_cm2=shielding_g_cm2,
                                          spe=spe)
        collective = msv * visit.crew
        cumulative += collective
        t_start = to_datetime(np.asarray(datetime64_from_time(start)).reshape(-1)[0])
        rows.append({
            "visit": visit.name or visit.vehicle, "vehicle": visit.vehicle,
            "launch": lift_off.date().isoformat(), "days": days,
            "crew": int(visit.crew), "trapped_model": solar,
            "phi_MV": round(phi, 1),
            "per_person_mGy": mgy, "per_person_mSv": msv,
            "mSv_per_day": msv / days,
            "collective_person_mSv": collective, "cumulative_person_mSv": cumulative,
            "start": t_start.isoformat(timespec="seconds"),
            "end": (t_start + _dt.timedelta(days=days)).isoformat(timespec="seconds"),
        })
    return rows


def _interval(row: dict[str, Any]) -> tuple[float, float]:
    """A visit row's dosed interval, POSIX seconds."""
    return (_dt.datetime.fromisoformat(row["start"]).timestamp(),
            _dt.datetime.fromisoformat(row["end"]).timestamp())


def most_dosed_sequence(rows: list[dict[str, Any]], key: str = "per_person_mSv"
                        ) -> tuple[float, list[int]]:
    """One person's worst case over visit rows (:func:`crew_visit_doses`): the largest total
    ``key`` over visits that do not overlap in time, since a person flies one ship at a time
    (two crews docked together are two people, not one person twice). A visit may start the
    moment another ends. Exact: weighted interval scheduling, one pass over the visits sorted
    by end (dynamic programming). Returns the total and the chosen rows' indices in time
    order."""
    spans = [_interval(r) for r in rows]
    order = sorted(range(len(rows)), key=lambda i: (spans[i][1], spans[i][0]))
    ends = [spans[i][1] for i in order]
    best = [0.0]              # best[k]: the most over the first k visits by end
    prev: list[int] = []      # prev[k]: how many of those end by the start of visit k
    taken: list[bool] = []
    for k, i in enumerate(order):
        p = bisect.bisect_right(ends, spans[i][0], 0, k)
        with_i = best[p] + float(rows[i][key])
        prev.append(p)
        taken.append(with_i > best[k])
        best.append(max(best[k], with_i))
    chosen, k = [], len(order)
    while k > 0:
        if taken[k - 1]:
            chosen.append(order[k - 1])
            k = prev[k - 1]
        else:
            k -= 1
    return best[-1], sorted(chosen, key=lambda i: spans[i][0])


def crew_aboard_in_year(rows: list[dict[str, Any]], year: int) -> int:
    """The most crew aboard the station at once during calendar ``year`` (UTC): the sum of
    the crews of the visits docked at the same time, over every visit row (whatever its
    launch year). 0 when no visit is aboard that year."""
    y0 = _dt.datetime(year, 1, 1, tzinfo=_dt.UTC).timestamp()
    y1 = _dt.datetime(year + 1, 1, 1, tzinfo=_dt.UTC).timestamp()
    inside = [(*_interval(r), int(r["crew"])) for r in rows]
    inside = [(a, b, c) for a, b, c in inside if a < y1 and b > y0]
    # the count only rises at a visit's start (or the year's), so its maximum is at one
    return max((sum(c for a, b, c in inside if a <= t < b)
                for t in (max(a, y0) for a, _, _ in inside)), default=0)


#: What the annual and career figures of :func:`_limit_checks` are.
WORST_CASE = "one person on the most-dosed sequence of visits that do not overlap"


def _limit_checks(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Worst per-person figures against every limit: the worst 30 days of any visit; per year
    and over the scenario, one person on the most-dosed sequence of visits that do not overlap
    in time (:func:`most_dosed_sequence`; not every visit: crews docked together are different
    people). A year's visits are those launched in it (a visit across New Year counts whole in
    its launch year, as in the per-year study)."""
    if not rows:
        return []
    worst_30 = max(r["mSv_per_day"] * min(r["days"], 30.0) for r in rows)
    by_year: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_year.setdefault(r["launch"][:4], []).append(r)
    annual = {y: most_dosed_sequence(rs) for y, rs in by_year.items()}
    worst_year = max(annual, key=lambda y: annual[y][0])
    year_msv, year_seq = annual[worst_year]
    career, career_seq = most_dosed_sequence(rows)
    basis = {"30-day": "worst 30 days of any visit",
             "annual": f"{WORST_CASE}, in the worst calendar year ({worst_year}: "
                       f"{len(year_seq)} of its {len(by_year[worst_year])} visits)",
             "career": f"{WORST_CASE}, over the scenario ({len(career_seq)} of "
                       f"{len(rows)} visits)"}
    out = []
    for lim in LIMITS:
        value = {"30-day": worst_30, "annual": year_msv, "career": career}[lim["period"]]
        out.append({**lim, "model_mSv": value, "fraction": value / lim["limit_mSv"],
                    "basis": basis[lim["period"]]})
    return out


def scenario_dose(scenario: Any, *, step_s: float = 60.0, shielding_g_cm2: float | None = None,
                  spe: tuple[SolarParticleEvent, ...] = ()) -> dict[str, Any]:
    """Crew dose of a scenario: per visit, limits (:func:`_limit_checks`), and
    periodic-vs-continuous per year (visits by launch year). A year's ``crew_aboard`` is the
    most crew aboard at once in it (:func:`crew_aboard_in_year`); the continuous crew has that
    size all year, and ``periodic_per_person_mSv`` shares the year's collective dose among
    that many people."""
    rows = crew_visit_doses(scenario, step_s=step_s, shielding_g_cm2=shielding_g_cm2, spe=spe)
    years: dict[str, dict[str, float]] = {}
    for r in rows:
        y = years.setdefault(r["launch"][:4], {"crew_days": 0.0, "collective_person_mSv": 0.0,
                                               "visits": 0, "rate_sum": 0.0})
        y["crew_days"] += r["days"] * r["crew"]
        y["collective_person_mSv"] += r["collective_person_mSv"]
        y["visits"] += 1
        y["rate_sum"] += r["mSv_per_day"]
    study = []
    for year, y in sorted(years.items()):
        rate = y["rate_sum"] / y["visits"]
        # the continuous crew "of the same size": the most aboard at once that year, the
        # crews of visits docked together summed (not one visit's crew)
        crew = max(crew_aboard_in_year(rows, int(year)), 1)
        year_days = 366 if calendar.isleap(int(year)) else 365   # the calendar year's days
        study.append({
            "year": year, "crew_aboard": crew, "visits": int(y["visits"]),
            "mSv_per_day": rate,
            "periodic_crew_days": y["crew_days"],
            "periodic_collective_person_mSv": y["collective_person_mSv"],
            "periodic_per_person_mSv": y["collective_person_mSv"] / crew,
            "continuous_crew_days": crew * year_days,
            "continuous_collective_person_mSv": crew * year_days * rate,
            "continuous_per_person_mSv": year_days * rate,
        })
    return {"scenario": scenario.name,
            "orbit": {"altitude_km": scenario.orbit.altitude_km,
                      "inclination_deg": scenario.orbit.inclination_deg},
            "visits": rows, "limits": _limit_checks(rows), "periodic_vs_continuous": study,
            "total_collective_person_mSv": rows[-1]["cumulative_person_mSv"] if rows else 0.0}
