"""Events table and run summary from a :class:`~rossim.ops.simulation.SimulationResult`."""

from __future__ import annotations

from typing import Any

import numpy as np

from rossim.config.systems import SystemsCatalog
from rossim.ops.contact_windows import uplink_words
from rossim.results import RunSummary
from rossim.time import event_time, format_event_time, to_datetime


#: ISS reference (ros-facts.md, ISS propulsion-module study 2004): ~7,000 kg/yr of propellant
#: for altitude keeping, debris avoidance and attitude control at ISS mass and area.
def _iss_propellant_kg_per_year() -> float:
    from rossim.config.reference import load_reference

    return load_reference().iss.propellant_kg_per_year.value


#: The ISS's propellant per year, all causes (catalog/reference.toml [iss]).
ISS_PROPELLANT_KG_PER_YEAR = _iss_propellant_kg_per_year()


def _iso(t) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` (:func:`rossim.time.format_event_time`): text for JSON."""
    return format_event_time(t)


def _episodes(epochs: np.ndarray, flag: np.ndarray, gap: np.timedelta64,
              width: np.timedelta64 | None = None):
    """Contiguous runs of ``flag`` merged across gaps shorter than ``gap``: ``(start, end)``
    with ``end`` the last flagged sample's epoch plus ``width`` (the end of its bin)."""
    idx = np.flatnonzero(flag)
    if idx.size == 0:
        return []
    runs = []
    s = e = idx[0]
    for k in idx[1:]:
        if epochs[k] - epochs[e] > gap:
            runs.append((s, e))
            s = k
        e = k
    runs.append((s, e))
    width = np.timedelta64(0, "s") if width is None else width
    return [(epochs[s], epochs[e] + width) for s, e in runs]


def _reliability(result, systems: SystemsCatalog) -> dict[str, Any]:
    from rossim.ops.availability import reliability_summary

    return reliability_summary(result, systems)


def build_events(result, live: list[dict[str, Any]], systems: SystemsCatalog
                 ) -> list[dict[str, Any]]:
    """All events of the run, sorted by time: those the engine logged as they happened
    (configuration, modes, commands and their source, alarms, faults, autonomy decisions)
    plus burns, robot and crew tasks and the load-shedding episodes. Each ``time`` is a
    ``datetime64[s]`` stamp (:func:`rossim.time.event_time`)."""
    ev: list[dict[str, Any]] = [dict(e) for e in live]

    def add(t, kind, subject, detail="", severity="info", value=None, source="engine"):
        ev.append({"time": event_time(t), "kind": kind, "subject": subject, "detail": detail,
                   "severity": severity, "value": None if value is None else float(value),
                   "source": source})

    for b in result.orbit.burns:
        add(b.time, "reboost", b.source,
            f"{b.dv_m_s:.2f} m/s, {b.propellant_kg:.1f} kg, {b.altitude_before_km:.1f} -> "
            f"{b.altitude_after_km:.1f} km", value=b.dv_m_s, source=b.commanded_by)
    for task in result.tasks:
        if task.start:
            add(task.start, "task", task.by,
                f"{task.kind} at {task.worksite} ({task.duration_h:g} h"
                f"{'' if task.reachable else ', out of the arm reach'})", source="scheduler")
        else:
            add(task.ready, "task-unscheduled", task.by, f"{task.kind} at {task.worksite}",
                "warning", source="scheduler")
    pw = result.power
    # 10-minute bins: an episode ends at its last shed bin's end (it said that bin's start,
    # minutes before the restore command it follows)
    from rossim.ops.electrical import BIN_S

    for s, e in _episodes(pw.epochs, pw.shed_fraction > 0, np.timedelta64(6, "h"),
                          np.timedelta64(BIN_S, "s")):
        add(s, "load-shedding", "power", f"until {_iso(e)}", "warning", source="autonomy")
    ev.sort(key=lambda x: (x["time"], x["kind"], x["subject"], x["detail"]))
    return ev


def _host_days(tl, host: list[str], t0, t1) -> float:
    """Days of ``[t0, t1)`` (UTC) the station spends attached to a host programme's modules
    (systems ``propulsion.host_modules``: the ISS's US segment in ros-iss-start)."""
    days = 0.0
    for p in tl.phases:
        if any(a.name in host for a in p.modules):
            a, b = max(p.start, t0), min(p.end, t1)
            if b > a:
                days += (b - a).total_seconds() / 86400.0
    return days


def _iss_per_year(ref: dict[str, dict[str, float]]) -> float:
    days = sum(v["days"] for v in ref.values())
    return 365.25 * sum(v["propellant_kg"] for v in ref.values()) / days if days else 0.0


def _full_days(result, n: int) -> np.ndarray:
    """Which of the first ``n`` days of ``result.consumables.days`` the run covers whole
    (00:00 to 24:00 UTC inside its first hour .. its end): the days a per-day mean is over
    (a one-day run from 00:00 to 00:00 has one; it had none, the first and the last day
    being taken as partial whatever the times)."""
    days = np.asarray(result.consumables.days[:n]).astype("datetime64[s]")
    t0 = result.orbit.epochs[0].astype("datetime64[s]")
    t1 = (result.orbit.epochs[-1] + np.timedelta64(1, "h")).astype("datetime64[s]")
    return (days >= t0) & (days + np.timedelta64(86400, "s") <= t1)


def _contact(result) -> dict[str, float] | None:
    c = result.contact_minutes
    if c is None or len(c) == 0:
        return None
    full = np.asarray(c)[_full_days(result, len(c))]
    if not full.size:
        return None
    return {"mean": round(float(full.mean()), 3), "min": round(float(full.min()), 3),
            "max": round(float(full.max()), 3)}


def _communications(result) -> dict[str, Any] | None:
    """Contact by kind (mean minutes per full day) and the mean wait of a ground request or
    answer for an uplink contact (rossim.ops.contact)."""
    rec = result.contact
    if not rec:
        return None
    out: dict[str, Any] = {}
    for k, v in rec["daily"].items():
        full = np.asarray(v)[_full_days(result, len(v))]
        if full.size:
            out[f"{k}_minutes_per_day"] = round(float(np.mean(full)), 3)
    w = rec["windows"]
    out["windows_ground"] = int(np.sum(w["kind"] == "ground"))
    out["windows_relay"] = int(np.sum(w["kind"] == "relay"))
    # the kinds that carried the uplink: a relay only while one was in service (none past
    # its design life: "ground (no relay in service: ...)")
    out["uplink_via"] = uplink_words(rec)
    out["relays_in_service"] = sum(1 for r in rec.get("relays") or []
                                   if r["in_run"] in ("whole", "part"))
    out["requests_waited"] = rec["requests_waited"]
    out["mean_wait_for_contact_min"] = (None if rec["mean_wait_min"] is None
                                        else round(rec["mean_wait_min"], 3))
    return out


def _thermal(result) -> dict[str, Any] | None:
    """Hot and cold case of the run (:mod:`rossim.ops.thermal`): extreme module temperatures,
    heater energy (all, and while uncrewed), radiator energy, module-hours with radiators
    saturated above the set point, thermal alarms."""
    if not result.thermal_summary:
        return None
    out = {k.removeprefix("thermal_"): v for k, v in result.thermal_summary.items()}
    out["alarms"] = sum(1 for a in result.alarms if a["subject"] == "thermal")
    out["alarm_repeats"] = sum(a["repeats"] for a in result.alarms if a["subject"] == "thermal")
    return out


def build_summary(result, systems: SystemsCatalog) -> RunSummary:
    """The run's key figures: a :class:`rossim.results.RunSummary` (``to_dict()`` is
    ``summary.json``; event stamps become ISO text here, at the JSON edge)."""
    tl = result.timeline
    orbit = result.orbit
    hours = orbit.epochs
    crew = result.config_hourly["crew_aboard"]
    crewed_days = float((crew > 0).sum() / 24.0)
    total_days = float(len(hours) / 24.0)
    years = total_days / 365.25
    burns = orbit.burns
    dv_total = float(sum(b.dv_m_s for b in burns))
    by_year: dict[str, dict[str, float]] = {}
    year_of_hour = hours.astype("datetime64[Y]").astype(int) + 1970
    for y in np.unique(year_of_hour):
        m = year_of_hour == y
        by_year[str(int(y))] = {
            "dv_m_s": float(sum(b.dv_m_s for b in burns
                                if int(str(b.time)[:4]) == y)),
            # the station's own burns; a host's reboosts of the stack apart (below)
            "propellant_kg": float(sum(b.propellant_kg for b in burns
                                       if int(str(b.time)[:4]) == y and b.source != "host")),
            "mean_f107": float(orbit.f107[m].mean()),
            "days": float(m.sum() / 24.0),
        }
        host_y = [b.propellant_kg for b in burns if int(str(b.time)[:4]) == y
                  and b.source == "host"]
        if host_y:
            by_year[str(int(y))]["host_propellant_kg"] = float(sum(host_y))
    led = result.ledgers.get("propellant", {})
    from rossim.ops.orbit_keeping import CAUSES

    # the station's own use: while it is attached to a host (the ISS), the host programme
    # reboosts the stack and pays every use (rossim.ops.orbit_keeping: host burns, host_kg),
    # reported beside it (host_propellant), not in its figures
    by_cause = {c: round(float(led.get(f"burned_{c}_kg", 0.0)), 3) for c in CAUSES}
    host_reboost = float(sum(b.propellant_kg for b in burns if b.source == "host"))
    own_burns = float(sum(b.propellant_kg for b in burns if b.source != "host"))
    other_kg = float(sum(v for k, v in by_cause.items() if k != "reboost"))
    host_days = _host_days(tl, systems.propulsion.host_modules, to_datetime(hours[0]),
                           to_datetime(hours[-1] + np.timedelta64(1, "h"))) if len(hours) else 0.0
    own_years = max(total_days - host_days, 0.0) / 365.25
    # the flown mass (rossim.ops.station_mass): tanks, stores and ships' unloading counted
    mass_end = float(result.orbit.mass_kg[-1]) if len(result.orbit.mass_kg) else 0.0
    from rossim.config.reference import load_reference
    from rossim.station.deorbit import largest_mass_kg, mir_propellant_kg, own_mass_kg

    mir = load_reference().mir_deorbit   # reference.toml [mir_deorbit]
    host = systems.propulsion.host_modules   # a host's modules are not ours to de-orbit
    tl = result.timeline
    if len(hours) and tl.properties:
        end = to_datetime(hours[-1])
        last = [c for c in tl.properties if c.start <= end] or [tl.properties[0]]
        mass_end -= float(last[-1].mass_kg) - own_mass_kg(last[-1], tl.catalog, host)
    needed = mir_propellant_kg(mass_end)
    held = float(led.get("deorbit_reserve_kg", 0.0))
    deorbit = {
        "held_kg": round(held, 3),
        "used_kg": round(float(led.get("deorbit_reserve_used_kg", 0.0)), 3),
        "needed_at_end_mass_kg": round(needed, 3),
        # the reserve held brings the final stack down (Mir's propellant per tonne)
        "covers_end_mass": bool(held >= needed),
        "basis": f"Mir's de-orbit: {mir.propellant_kg.value:,.0f} kg for a "
                 f"~{mir.station_mass_kg.value / 1e3:.0f} t station (2001), scaled with mass "
                 "(reference.toml [mir_deorbit])",
        # Mir's burns began near 269 km, after a natural decay: from the band the same
        # propellant per tonne presumes that decay first (a from-the-band de-orbit needs more)
        "assumes_decay_to_km": mir.start_altitude_km.value,
        "unmet_uses_kg": round(float(led.get("unmet_kg", 0.0)), 3),
        # the reserve is sized at the plan's largest stack (rossim.station.deorbit)
        "largest_mass_kg": round(largest_mass_kg(result.timeline, host), 1),
    }
    faults = result.fdir.faults
    from rossim.ops.availability import availability

    # one definition with the spread over seeds (rossim.ops.fdir.availability, exact times)
    avail = availability(faults, to_datetime(hours[0]),
                         to_datetime(hours[-1] + np.timedelta64(1, "h")),
                         result.safe_intervals)
    done = tl.assembly_complete
    pw = result.power
    cons = result.consumables
    ls = systems.life_support
    alarms = result.alarms
    return RunSummary.from_dict({
        "scenario": result.scenario.name,
        "outcome": result.outcome,
        "seed": int(result.seed),
        "span_start": _iso(hours[0]),
        # end of the last hourly step flown (its epoch + 1 h): the scenario's span end (00:00
        # UTC of its end date) when completed, not the last step's 23:00 of the day before
        "span_end": _iso(hours[-1] + np.timedelta64(1, "h")),
        "assembly_complete": done.date().isoformat() if done else None,
        # per launch: launcher, site, insertion orbit, climber, climb (rossim.station.insertion)
        "launches": [c.as_dict() for c in tl.climbs],
        "crewed_days": round(crewed_days, 3),
        "crew_person_days": round(float(crew.sum() / 24.0), 3),  # consumables ledger basis
        "uncrewed_days": round(total_days - crewed_days, 3),
        "crew_visits": sum(1 for e in tl.events if e.part_kind == "vehicle" and e.kind == "dock"
                           and e.crew > 0),
        "reboosts": len(burns),
        "reboost_dv_m_s_total": round(dv_total, 4),
        "reboost_dv_m_s_per_year": round(dv_total / years, 4) if years > 0 else 0.0,
        "reboost_by_year": by_year,
        "propellant_used_kg": round(own_burns + other_kg, 3),
        # per year of the station's own flight (not attached to a host that pays)
        "propellant_kg_per_year": round((own_burns + other_kg) / own_years, 3)
        if own_years > 0 else 0.0,
        "propellant_by_cause_kg": by_cause,
        "host_propellant": {
            "days_attached": round(host_days, 3),
            "reboost_kg": round(host_reboost, 3),
            "other_kg": round(float(led.get("host_kg", 0.0)), 3),
            "basis": systems.propulsion.host_basis.source
            if systems.propulsion.host_basis is not None else "",
        } if host_days > 0 else None,
        "deorbit_reserve": deorbit,
        "iss_reference_propellant_kg_per_year": ISS_PROPELLANT_KG_PER_YEAR,
        "iss_model_propellant_kg_per_year": round(_iss_per_year(result.iss_reference), 3),
        "iss_model_by_year": result.iss_reference,
        "mean_altitude_km": round(float(orbit.altitude_m.mean() / 1e3), 4),
        "min_altitude_km": round(float(orbit.altitude_m.min() / 1e3), 4),
        "faults_total": len(faults),
        "faults_injected": sum(1 for f in faults if f.injected),
        "faults_recovered_automatically": sum(1 for f in faults if f.recovered_automatically),
        "faults_repaired": sum(1 for f in faults if f.repaired_at is not None),
        "availability": round(float(avail), 6),
        # repairs, EVAs, spares and the availability spread over seeds (rossim.ops.fdir)
        **_reliability(result, systems),
        "min_battery_soc": round(float(pw.soc_min.min()), 6),
        "load_shedding_hours": round(float(pw.shed_fraction.sum() * 600.0 / 3600.0), 3),
        "power_deficit_minutes": round(pw.deficit_steps * result.scenario.operations.power_step_s
                                       / 60.0, 3),
        "mean_generation_kw": round(float(pw.generation_kw.mean()), 4),
        # per configuration: generation, demand, users' margin; energy ledger (power_ledger)
        "power_margin": getattr(pw, "energy", None),
        "beta_angle_range_deg": [round(float(pw.beta_deg.min()), 3),
                                 round(float(pw.beta_deg.max()), 3)],
        "contact_minutes_per_day": _contact(result),
        "communications": _communications(result),
        "thermal": _thermal(result),
        "min_consumables_margin_days_crewed": round(float(
            cons.margin_days[cons.crew > 0].min()) if (cons.crew > 0).any() else 0.0, 3),
        "consumables_shortfall_kg": round(float(cons.shortfall_kg.sum()), 3),
        "consumables_reserve_days": ls.reserve_days.value,
        "robot_tasks": sum(1 for t in result.tasks if t.by == "robot" and t.start),
        "crew_tasks": sum(1 for t in result.tasks if t.by == "crew" and t.start),
        "alarms": len(alarms),
        "alarms_critical": sum(1 for a in alarms if a["severity"] == "critical"),
        "alarm_list": [{"time": _iso(a["time"]), **{k: a[k] for k in (
                           "severity", "subject", "detail", "cause", "repeats")}}
                       for a in alarms[:200]],
        "commands_by_source": {src: sum(1 for c in result.commands if c["source"] == src)
                               for src in ("scenario", "autonomy", "ground", "operator")},
        "commands_refused": sum(1 for c in result.commands if not c["accepted"]),
        "invariants": {i["name"]: {"holds": i["holds"], "detail": i["detail"]}
                       for i in result.invariants},
        "invariants_hold": all(i["holds"] for i in result.invariants),
        "propellant_ledger_kg": {k: round(float(v), 3)
                                 for k, v in result.ledgers.get("propellant", {}).items()},
        "mass_ledger_kg": {k: round(float(v), 3)
                           for k, v in result.ledgers.get("mass", {}).items()},
        "engine_spans": int(result.spans),
        "crew_dose_max_visit_per_person_mSv": round(max(
            (v.per_person_mSv for v in result.crew_dose), default=0.0), 4),
        "crew_dose_collective_person_mSv": round(sum(
            v.collective_person_mSv for v in result.crew_dose), 4),
        # the family's satellites released (held deployments included: rossim.ops.keepout)
        # against the scenario's deployments
        "free_flyers_released": len((getattr(result, "keepout", None) or {}).get("released",
                                                                                 ())),
        "free_flyers_planned": sum(d.count for d in result.scenario.free_flyers.deployments
                                   if result.scenario.span.start <= d.date
                                   < result.scenario.span.end),
        # cargo flights, stocks, relocations (rossim.ops.logistics); crew time
        # (rossim.ops.crew_time); dose per person and career (rossim.analysis.crew_record)
        "logistics": _logistics(result, systems),
        "crew_time": getattr(result, "crew_time", None),
        "crew_record": getattr(result, "crew_record", None),
    })


def _logistics(result, systems: SystemsCatalog) -> dict[str, Any] | None:
    from rossim.ops.logistics import logistics_summary

    return logistics_summary(result, systems) if result.consumables is not None else None
