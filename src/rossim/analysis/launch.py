"""Launch windows, phasing to rendezvous, module launch margins, and the drift of the station's
orbital plane against the ISS and India's BAS.

Launch windows and phasing (``PlaneModel``, ``launch_windows``, ``phasing``) live in
:mod:`rossim.station.windows`, whose docstring gives their geometry; they are re-exported
here so that ``rossim.analysis.launch`` keeps its old names.

* **Plane drift**: two circular orbits at the same inclination but different altitudes drift
  apart in node at the difference of their J2 rates; the planes line up once per synodic
  period ``360 / |dOmega1 - dOmega2|``. The plane-change delta-v for a node difference
  ``dOmega`` is ``2 v sin(alpha / 2)`` with ``cos(alpha) = cos^2 i + sin^2 i cos(dOmega)``.
  Planes whose inclinations differ by more than 1 deg never line up: the smallest angle
  between them is the inclination difference (45 deg between 97 and 51.6 deg).
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

from rossim.config.reference import load_reference
from rossim.errors import InputError
from rossim.results import LaunchSummary
from rossim.station.windows import (  # noqa: F401  (moved to station/, re-exported here)
    FINAL_APPROACH_H,
    INSERTION_DOWNRANGE_DEG,
    MU,
    PHASING_SCHEMES,
    R_EQ,
    PlaneModel,
    _mean_motion_deg_h,
    _site_cirs,
    azimuth_allowed,
    first_window,
    launch_windows,
    phasing,
)
from rossim.time import to_time

__all__ = ["PlaneModel", "PHASING_SCHEMES", "OTHER_STATIONS", "launch_windows",
           "phasing", "plane_drift", "module_launch_check", "payload_table", "site_geocentric_latitude_deg",
           "INSERTION_DOWNRANGE_DEG", "FINAL_APPROACH_H", "launch_summary", "azimuth_allowed",
           "first_window"]

#: Fewest days the monthly launch-window rates of :func:`launch_summary` are counted over.
RATE_DAYS = 30.0
#: Inclinations closer than this (deg) count as the same plane family (nodes can line up).
COPLANAR_INCLINATION_DEG = 1.0
#: Other stations at 51.6 deg: altitude km, inclination deg, flag, source (data in
#: ``rossim/config/catalog/reference.toml``, ``[[other_station]]``).
OTHER_STATIONS: dict[str, dict[str, Any]] = {
    o.id: {"name": o.name, "altitude_km": o.altitude_km.value,
           "inclination_deg": o.inclination_deg.value, "flag": o.altitude_km.flag,
           "source": o.altitude_km.source}
    for o in load_reference().other_station}


def site_geocentric_latitude_deg(lat_deg: float) -> float:
    """Geocentric latitude (deg) of a point on the WGS84 ellipsoid at geodetic ``lat_deg``
    (the one convention, :func:`rossim.station.launch.geocentric_latitude_deg`)."""
    from rossim.station.launch import geocentric_latitude_deg

    return geocentric_latitude_deg(lat_deg)


def plane_drift(altitude_km: float, inclination_deg: float, other: dict[str, Any], *,
                start: _dt.datetime, years: float = 10.0, raan_offset_deg: float | None = None,
                aligned_within_deg: float = 2.0) -> dict[str, Any]:
    """Node drift of a station against ``other`` (an :data:`OTHER_STATIONS` entry).

    ``raan_offset_deg`` is the other's node minus ours at ``start`` (None: unknown, only the
    drift rate, synodic period and costs are given). Alignments: times when the node
    difference passes through zero; the planes stay within ``aligned_within_deg`` of node
    for ``2 * aligned_within_deg / |rate|`` days each time.
    """
    from rossim.dynamics.circular import CircularOrbit

    r1 = math.degrees(CircularOrbit(altitude_km, inclination_deg).rates_rad_s[0]) * 86400
    r2 = math.degrees(CircularOrbit(other["altitude_km"],
                                    other["inclination_deg"]).rates_rad_s[0]) * 86400
    rel = r2 - r1
    v = math.sqrt(MU / (R_EQ + altitude_km * 1e3))
    i = math.radians(inclination_deg)

    def dv(d_node_deg: float) -> float:
        ca = math.cos(i) ** 2 + math.sin(i) ** 2 * math.cos(math.radians(d_node_deg))
        return 2 * v * math.sin(math.acos(min(1.0, ca)) / 2)

    d_inc = abs(float(other["inclination_deg"]) - float(inclination_deg))
    coplanar = d_inc <= COPLANAR_INCLINATION_DEG
    drifting = abs(rel) > 1e-9 and coplanar
    out = {"other": other["name"], "other_altitude_km": other["altitude_km"],
           "other_inclination_deg": other["inclination_deg"], "other_flag": other["flag"],
           "other_source": other["source"],
           "node_rate_deg_day": round(r1, 4), "other_node_rate_deg_day": round(r2, 4),
           "relative_drift_deg_day": round(rel, 5),
           "can_be_coplanar": coplanar,
           "min_plane_angle_deg": round(d_inc, 3),
           "min_plane_change_dv_m_s": round(2 * v * math.sin(math.radians(d_inc) / 2), 0),
           "synodic_period_years": (round(360.0 / abs(rel) / 365.25, 2) if drifting else None),
           "aligned_days_each_time": (round(2 * aligned_within_deg / abs(rel), 1)
                                      if drifting else None),
           "aligned_within_deg": aligned_within_deg,
           "plane_change_dv_per_deg_node_m_s": round(dv(1.0), 1),
           "plane_change_dv_90deg_node_m_s": round(dv(90.0), 0)}
    if raan_offset_deg is not None and drifting:
        # zero crossings of raan_offset + rel * t (mod 360)
        first = (-raan_offset_deg / rel) % (360.0 / abs(rel))
        dates = []
        t = first
        while t <= years * 365.25:
            dates.append((start + _dt.timedelta(days=t)).date())
            t += 360.0 / abs(rel)
        out["raan_offset_at_start_deg"] = raan_offset_deg
        out["alignments"] = dates
    return out


def module_launch_check(scenario: Any, catalog: Any = None,
                        site_id: str | None = None) -> list[dict]:
    """Every assembly launch of ``scenario``: mass (modules + adapter) against the launcher's
    payload to the scenario's orbit (rossim.station.launch), margin, and fairing fit. Each
    launch flies from its own site (the scenario's, else the launcher's home), or from
    ``site_id`` for all of them when given (a what-if: the check then does not stop at a
    launch that does not fit, it reports it). The what-if payload is to the same orbit as the
    launch's own (its insertion orbit, or the station's for a module the upper stage raises),
    so that sites compare like for like; ``pad`` says whether the launcher flies from that
    site (:func:`rossim.station.launch.launch_pads`; "no" is a what-if the catalog has no pad
    for)."""
    from rossim.config.catalog import load_catalog
    from rossim.station import build_timeline
    from rossim.station.launch import launch_pads, payload_kg, payload_to_orbit_kg

    cat = catalog or load_catalog()
    timeline = build_timeline(scenario, cat)
    orbit = scenario.orbit
    rows = []
    for launch, climb in zip(timeline.launches, timeline.climbs, strict=True):
        lv = cat.launchers[launch["launcher"]]
        widest = max(cat.modules[m].diameter_m.value for m in launch["modules"])
        site = launch["site"]
        capacity = launch["capacity_kg"]
        # the orbit the capacity is to: the launch's insertion orbit (perigee x apogee), or
        # the station's when the upper stage raises the module; the what-if site to the same
        upper = climb.climber_kind == "upper-stage"
        payload_orbit = (f"{orbit.altitude_km:g} km circular orbit" if upper
                         else f"{launch['insertion']} insertion orbit")
        if site_id is not None and site_id != site:
            site, there, home = site_id, cat.sites[site_id], cat.sites[lv.site]
            capacity = (payload_kg(lv, there, orbit.altitude_km, orbit.inclination_deg,
                                   raise_orbit=True, home=home) if upper else
                        payload_to_orbit_kg(lv, there, climb.insertion_perigee_km,
                                            climb.insertion_apogee_km, orbit.inclination_deg,
                                            home=home))
        rows.append({"group": launch["group"], "modules": launch["modules"],
                     "launcher": lv.id, "site": site,
                     "mass_kg": round(launch["mass_kg"]),
                     "payload_kg": round(capacity), "payload_orbit": payload_orbit,
                     "margin_kg": round(capacity - launch["mass_kg"]),
                     "pad": site in launch_pads(lv),
                     "fits": launch["mass_kg"] <= capacity
                     and widest <= lv.fairing_diameter_m.value,
                     "widest_module_m": widest,
                     "fairing_diameter_m": lv.fairing_diameter_m.value})
    return rows


def _scenario_launchers(scenario: Any, catalog: Any) -> tuple[tuple[str, str], ...]:
    """The module launchers of the scenario with the pad each first flies from (its
    ``site``, else the launcher's home), in order of first use (Angara A5/A5M from their home
    if none)."""
    out: dict[str, str] = {}
    for a in scenario.assembly:
        if a.launcher and a.launcher not in out and a.launcher in catalog.launchers:
            out[a.launcher] = a.site or catalog.launchers[a.launcher].site
    return tuple(out.items()) or tuple((lid, catalog.launchers[lid].site)
                                       for lid in ("angara-a5", "angara-a5m"))


def payload_table(catalog: Any, altitude_km: float, inclination_deg: float,
                  launchers: tuple[tuple[str, str], ...] = (("angara-a5", "vostochny-1a"),
                                                           ("angara-a5m", "vostochny-1a")),
                  site_id: str | None = None) -> list[dict]:
    """Payload (kg, module delivered to ``altitude_km``) of each launcher at a few
    inclinations including the scenario's (rossim.station.launch, estimate), from the pad it
    flies from (``launchers``: (launcher, site) pairs), or from ``site_id`` for every one (a
    what-if: ``pad`` False where the launcher has no pad there, launchers.toml ``site`` and
    ``flies_from``). Each launcher's published figure refers to its home site (``home``).
    Before stop 48 every launcher was computed from the first module's site: ros-2026-plan
    listed Angara-A5M from Baikonur Site 200, a pad it has not."""
    from rossim.station.launch import launch_pads, payload_kg

    incs = sorted({51.6, 63.0, 72.0, 97.0, float(inclination_deg)})
    rows = []
    for lid, own in launchers:
        lv = catalog.launchers[lid]
        sid = site_id or own
        home = catalog.sites[lv.site]
        rows.append({"launcher": lid, "site": sid, "pad": sid in launch_pads(lv),
                     "altitude_km": altitude_km,
                     "payload_kg": {f"{i:g}": round(payload_kg(lv, catalog.sites[sid],
                                                               altitude_km, i, home=home))
                                    for i in incs}})
    return rows


def launch_summary(scenario: Any, *, start: Any = None, days: float = 7.0,
                   site_id: str | None = None, insertion_altitude_km: float = 200.0,
                   catalog: Any = None) -> LaunchSummary:
    """Everything ``rossim launch`` shows: windows, phasing, module margins, plane drift, as a
    :class:`rossim.results.LaunchSummary` (``to_dict()`` is the ``--json`` object).

    ``site_id``: the launch site of every table (windows, module launches, payload by
    inclination). ``None``: windows from the first module launch's site (its launcher's home
    if the scenario names none; Vostochny 1A without launches), each module launch and each
    launcher of the payload table from its own pad."""
    from rossim.config.catalog import load_catalog

    cat = catalog or load_catalog()
    override = site_id
    if site_id is None:
        first = next((a for a in scenario.assembly if a.launcher), None)
        site_id = ((first.site or cat.launchers[first.launcher].site)
                   if first is not None and first.launcher in cat.launchers
                   else "vostochny-1a")
    if site_id not in cat.sites:
        raise InputError("argument", "site_id", site_id, f"one of {', '.join(cat.sites)}")
    site = cat.sites[site_id]
    plane = PlaneModel.from_scenario(scenario)
    when = start if start is not None else scenario.span.start
    # The monthly rates come from at least RATE_DAYS: the phase to the station that decides a
    # fast rendezvous cycles over weeks (7 days gave 8.7 fast opportunities a month for
    # ros-51.6, 2 days 15.2, a month 5.1); the table lists the windows of ``days``.
    rate_days = max(float(days), RATE_DAYS)
    wins = launch_windows(plane, site, when, rate_days,
                          insertion_altitude_km=insertion_altitude_km)
    per_day = len(wins) / rate_days
    fast = [w for w in wins if w["scheme"] in ("2-orbit", "4-orbit")]
    t0 = to_time(when)
    out: dict[str, Any] = {
        "scenario": scenario.name, "site": site.id, "from": when, "days": days,
        "rate_days": rate_days,
        "altitude_km": scenario.orbit.altitude_km,
        "inclination_deg": scenario.orbit.inclination_deg,
        "insertion_altitude_km": insertion_altitude_km,
        "site_geocentric_latitude_deg": round(site_geocentric_latitude_deg(site.lat_deg.value),
                                              3),
        "windows": [w for w in wins
                    if (to_time(w["time"]) - t0).to_value("day") < float(days)],
        "windows_per_day": round(per_day, 2),
        "windows_per_month": round(per_day * 30.4375, 1),
        "fast_opportunities_per_month": round(len(fast) / rate_days * 30.4375, 1),
        "modules": module_launch_check(scenario, cat, site_id=override),
        "payload_table": payload_table(cat, scenario.orbit.altitude_km,
                                       scenario.orbit.inclination_deg,
                                       launchers=_scenario_launchers(scenario, cat),
                                       site_id=override),
    }
    separation = None
    for sep in getattr(scenario, "separations", []) or []:
        if "iss-usos" in sep.modules:
            separation = sep.date
    drift_start = separation or scenario.span.start
    out["iss_separation"] = separation
    o = scenario.orbit
    out["orbit_after_separation"] = ({"altitude_km": o.altitude_km,
                                      "inclination_deg": o.inclination_deg,
                                      "altitude_band_km": o.altitude_band_km,
                                      "node_rate_deg_day": round(
                                          PlaneModel.from_scenario(scenario).rates_deg_s[0]
                                          * 86400, 4)}
                                     if separation else None)
    out["plane_drift"] = [
        plane_drift(scenario.orbit.altitude_km, scenario.orbit.inclination_deg,
                    OTHER_STATIONS["iss"], start=drift_start,
                    raan_offset_deg=0.0 if separation else None),
        plane_drift(scenario.orbit.altitude_km, scenario.orbit.inclination_deg,
                    OTHER_STATIONS["bas"], start=drift_start),
    ]
    return LaunchSummary.from_dict(out)
