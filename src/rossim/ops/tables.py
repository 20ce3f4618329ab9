"""A simulation result as archive tables (:data:`rossim.archive.SCHEMA` columns)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from rossim import __version__
from rossim.config.scenario_ref import recorded_scenario_file
from rossim.ops.channels import CHANNELS


def _t(x: dt.datetime | None):
    if x is None:
        return np.datetime64("NaT", "us")
    return np.datetime64(x.astimezone(dt.UTC).replace(tzinfo=None), "us")


def _contact_tables(result) -> dict[str, dict[str, Any]]:
    """``contact_windows`` and ``telemetry_contact`` (:func:`rossim.ops.contact.contact_record`)."""
    rec = result.contact
    if not rec:
        return {}
    w = rec["windows"]
    t, v = rec["in_contact"]
    return {"contact_windows": {k: w[k] for k in ("name", "kind", "aos", "los", "duration_s",
                                                  "max_elevation_deg", "aos_clipped",
                                                  "los_clipped")},
            "telemetry_contact": {"time": t, **v}}


def result_tables(result) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """``(tables, run_info)`` for :func:`rossim.archive.write_archive`."""
    o, p, c, tl = result.orbit, result.power, result.consumables, result.timeline
    hourly_cfg = result.config_hourly
    ev = result.events
    chans = result.channels or CHANNELS
    tables: dict[str, dict[str, Any]] = {
        "events": {
            "time": [np.datetime64(e["time"], "us") for e in ev],
            "kind": [e["kind"] for e in ev], "subject": [e["subject"] for e in ev],
            "detail": [e["detail"] for e in ev], "severity": [e["severity"] for e in ev],
            "value": [np.nan if e["value"] is None else e["value"] for e in ev],
            "source": [e.get("source", "engine") for e in ev],
        },
        "alarms": {
            "time": [np.datetime64(a["time"], "us") for a in result.alarms],
            **{k: [a[k] for a in result.alarms] for k in ("severity", "subject", "detail",
                                                           "cause")},
        },
        "commands": {
            "time": [np.datetime64(c["time"], "us") for c in result.commands],
            **{k: [c[k] for c in result.commands] for k in ("command", "source", "accepted",
                                                             "detail")},
        },
        "invariants": {
            "name": [i["name"] for i in result.invariants],
            "holds": [i["holds"] for i in result.invariants],
            "detail": [i["detail"] for i in result.invariants],
            "first_violation": [np.datetime64(i["time"], "us") if i["time"] is not None
                                else np.datetime64("NaT", "us") for i in result.invariants],
        },
        "channels": {
            "name": [c.name for c in chans.values()],
            "table_name": [c.table for c in chans.values()],
            "unit": [c.unit for c in chans.values()],
            "low": [np.nan if c.low is None else c.low for c in chans.values()],
            "high": [np.nan if c.high is None else c.high for c in chans.values()],
            "subsystem": [c.subsystem for c in chans.values()],
            "description": [c.description for c in chans.values()],
        },
        "telemetry_hourly": {
            "time": o.epochs, "altitude_km": o.altitude_m / 1e3,
            "raan_deg": np.degrees(o.raan_rad) % 360.0, "density_kg_m3": o.density_kg_m3,
            "ballistic_m2_kg": o.ballistic_m2_kg, "station_propellant_kg": o.station_propellant_kg,
            "f107": o.f107, "mass_kg": o.mass_kg, "drag_area_m2": hourly_cfg["drag_area_m2"],
            "crew_aboard": hourly_cfg["crew_aboard"], "crew_capacity": hourly_cfg["crew_capacity"],
        },
        "telemetry_power": {
            "time": p.epochs, "soc_min": p.soc_min, "soc_max": p.soc_max,
            "generation_kw": p.generation_kw, "load_kw": p.load_kw, "served_kw": p.served_kw,
            "shed_fraction": p.shed_fraction, "sunlit_fraction": p.sunlit_fraction,
            "beta_deg": p.beta_deg, "battery_kwh": p.battery_kwh,
            "deficit_fraction": p.deficit_fraction, "shed_level": p.shed_level,
            "safe_mode": p.safe_mode, "sun_biased": p.sun_biased,
        },
        "telemetry_daily": {
            "time": c.days.astype("datetime64[us]"), "oxygen_kg": c.oxygen_kg,
            "water_kg": c.water_kg, "food_kg": c.food_kg, "crew": c.crew,
            "margin_days": c.margin_days, "shortfall_kg": c.shortfall_kg,
            "contact_minutes": (result.contact_minutes if result.contact_minutes is not None
                                else np.full(len(c.days), np.nan)),
            **{f"contact_{k}_minutes": (result.contact["daily"][k] if result.contact
                                        else np.full(len(c.days), np.nan))
               for k in ("ground", "relay")},
        },
        **_contact_tables(result),
        "burns": {
            "time": [b.time for b in o.burns], "dv_m_s": [b.dv_m_s for b in o.burns],
            "propellant_kg": [b.propellant_kg for b in o.burns],
            "source": [b.source for b in o.burns],
            "altitude_before_km": [b.altitude_before_km for b in o.burns],
            "altitude_after_km": [b.altitude_after_km for b in o.burns],
            "mass_kg": [b.mass_kg for b in o.burns], "isp_s": [b.isp_s for b in o.burns],
            "commanded_by": [b.commanded_by for b in o.burns],
        },
        "faults": {k: [] for k in ("id", "component", "module", "unit", "location", "injected",
                                   "failed_at", "detected_at", "rule", "response",
                                   "recovered_automatically", "degraded_until", "repaired_at",
                                   "repaired_by", "worksite", "common_cause")},
        "tasks": {k: [] for k in ("kind", "worksite", "ready", "start", "finish", "duration_h",
                                  "by", "reachable", "fault_id")},
        "phases": {k: [] for k in ("phase", "start", "finish", "modules", "vehicles", "mass_kg",
                                   "com_x_m", "drag_area_m2", "solar_array_power_kw",
                                   "pressurised_volume_m3", "crew_capacity", "crew_aboard")},
    }
    if result.thermal is not None:   # per-module columns: rossim.archive.store.DYNAMIC_TABLES
        tables["telemetry_thermal"] = dict(result.thermal)
    if getattr(result.fdir, "spares_daily", None):
        tables["spares_daily"] = result.fdir.spares_daily
    tables["crew_dose"] = {
        k: [getattr(v, k) for v in result.crew_dose] for k in
        ("visit", "vehicle", "days", "crew", "per_person_mGy", "per_person_mSv",
         "collective_person_mSv", "cumulative_person_mSv")}
    tables["crew_dose"]["launch"] = [np.datetime64(v.launch, "us") for v in result.crew_dose]
    for f in result.fdir.faults:
        row = tables["faults"]
        for k in ("id", "component", "module", "unit", "location", "injected", "rule",
                  "response", "recovered_automatically", "repaired_by", "worksite",
                  "common_cause"):
            row[k].append(getattr(f, k))
        for k in ("failed_at", "detected_at", "degraded_until", "repaired_at"):
            row[k].append(_t(getattr(f, k)))
    for task in result.tasks:
        row = tables["tasks"]
        row["kind"].append(task.kind)
        row["worksite"].append(task.worksite)
        row["ready"].append(_t(task.ready))
        row["start"].append(_t(task.start))
        row["finish"].append(_t(task.end))
        row["duration_h"].append(task.duration_h)
        row["by"].append(task.by)
        row["reachable"].append(task.reachable)
        row["fault_id"].append(task.fault_id)
    for ph, cfg in zip(tl.phases, tl.properties, strict=True):
        row = tables["phases"]
        row["phase"].append(ph.index)
        row["start"].append(_t(ph.start))
        row["finish"].append(_t(ph.end))
        row["modules"].append(list(cfg.modules))    # VARCHAR[]: a name may hold a comma
        row["vehicles"].append(list(cfg.vehicles))
        for k in ("mass_kg", "com_x_m", "drag_area_m2", "solar_array_power_kw",
                  "pressurised_volume_m3", "crew_capacity", "crew_aboard"):
            row[k].append(getattr(cfg, k))
    info = {
        "scenario": result.scenario.name,
        # a shipped name or an absolute path, so readers elsewhere find it (scenario_ref)
        "scenario_file": recorded_scenario_file(result.scenario.source_path),
        "seed": str(result.seed),
        "rossim_version": __version__,
        "outcome": result.outcome,
        "inclination_deg": repr(float(result.scenario.orbit.inclination_deg)),
        "invariants_hold": str(all(i["holds"] for i in result.invariants)).lower(),
    }
    return tables, info
