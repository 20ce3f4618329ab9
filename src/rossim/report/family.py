"""The report's free-flyer family section (``summary.json`` ``free_flyers``,
:mod:`rossim.fleet.recontact`): closest approach per satellite, keep-out breaches and burns,
holds, approach-corridor conflicts, and the station's altitude at each release and lowest over
the horizon, each named for what it is (:data:`ALTITUDE_LABELS` names the summary's own)."""

from __future__ import annotations

import html

__all__ = ["ALTITUDE_LABELS", "family_section", "keepout_label", "station_altitudes"]


def keepout_label(r: dict) -> str:
    """Keep-out cell: a real breach, an unkept breach a burn avoided, or none (issue 14)."""
    dv = r.get("breach_avoided_by_burn_m_s")
    if dv is not None:
        return f"would breach unkept; avoided by burn {dv:.2f} m/s"
    return "BREACH" if r["keep_out_breach"] else "no"


#: What the summary's altitudes are (the free-flyer section's station altitudes differ:
#: rossim.fleet.recontact.STATION_ALTITUDES).
ALTITUDE_LABELS = {k: " (mean semi-major axis - equatorial radius, hourly)"
                   for k in ("mean_altitude_km", "min_altitude_km")}


def station_altitudes(ff: dict) -> str:
    """The free-flyer section's sentence on the station's altitude at each release and its
    lowest over the horizon, each named for what it is (``recontact_model``'s
    ``station_altitudes``)."""
    deps = ff.get("deployments") or []
    if not deps:
        return ""
    defs = ff["recontact_model"].get("station_altitudes") or {}
    each = "; ".join(f"deployment {d['deployment'] + 1}: {d['station_altitude_start_km']:.1f} km "
                     f"at the release, lowest {d['station_altitude_min_km']:.1f} km"
                     for d in deps)
    return (f" Station altitude: {each} (at the release: "
            f"{defs.get('station_altitude_start_km', '-')}; lowest: "
            f"{defs.get('station_altitude_min_km', '-')}).")


def family_section(s: dict) -> list[str]:
    """The free-flyer family per satellite (summary ``free_flyers``, rossim.fleet.recontact):
    HTML fragments (``[]`` without a family)."""
    from rossim.report.html import _table

    ff = s.get("free_flyers")
    if not ff:
        return []
    m = ff["recontact_model"]
    ax = " x ".join(f"{2 * a / 1e3:g}" for a in m["approach_ellipsoid_m"])
    rows = [[r["name"], r["released"] or "not released", r["ballistic_coefficient_kg_m2"],
             "ok" if r["deployer_rules_ok"] else "not met: " + ", ".join(
                 r["deployer_rules_broken"]),
             "-" if r["closest_approach_m"] is None else r["closest_approach_m"],
             r["closest_approach_at"] or "-", r["approach_ellipsoid_returns"],
             keepout_label(r), r["station_keeping_burns"],
             r["reentry"] or "-"] for r in ff["satellites"]]
    holds = "; ".join(f"deployment {h['deployment'] + 1} held {h['from']} to {h['to']}: "
                      f"{h['cause']}" for h in ff["holds"]) or "none"
    conf = "; ".join(f"{c['satellite']} within {c['distance_to_corridor_m']:.0f} m of the "
                     f"approach of {c['ship']} ({c['docking']})"
                     for c in ff["corridor_conflicts"]) or "none"
    conf += "; approach re-timing: " + ("; ".join(
        f"{r['ship']} ({r['docking']}): " + (f"{r['delay_orbits']} orbit(s) later, "
                                              f"{r['new_docking']}" if r["delay_orbits"]
                                              is not None else "no clear slot found")
        for r in ff.get("approach_retiming", [])) or "none needed")
    return ["<h2>Free-flyer family</h2>",
            f"<p>Closest approach to the station after release over "
            f"{m['horizon_days']:g} days ({html.escape(m['kind'])}, {m['step_s']:g} s steps, "
            f"through the run's reboosts); keep-out: {ax} km approach ellipsoid, "
            f"{m['keep_out_radius_m']:g} m sphere. Deployment holds (keep-out rules): "
            f"{html.escape(holds)}. Approach-corridor conflicts: {html.escape(conf)}."
            f"{html.escape(station_altitudes(ff))}</p>",
            "<p>Closest approach is that of the unkept satellite; keep-out breach is a real "
            "breach, or an unkept one that a station-keeping burn before its first return avoided; "
            "burns are the station-keeping burns the autonomy commanded (keep-out at reboosts and "
            "dockings, returns predicted at release and again as the station's plan changed).</p>",
            _table(rows, ["satellite", "released", "m/(Cd A) kg/m^2", "deployer rules",
                          "closest approach m (unkept)", "at", "returns into ellipsoid",
                          "keep-out breach", "burns", "re-entry"])]
