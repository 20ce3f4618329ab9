"""The inclination trade study: ROS at 51.6 deg against the earlier 97 deg sun-synchronous plan,
side by side from the same models (``rossim trade``).

For each scenario, from its orbit (altitude, inclination, node at the span start):

* Earth-observation coverage of Russia, its Arctic zone and the Northern Sea Route
  (:func:`rossim.analysis.coverage.scenario_coverage`; 30 days, 10 s track, 0.1 deg grid,
  the default 200 km swath) and the highest latitude seen;
* beta angle over one year from the span start (:func:`rossim.environment.eclipse.beta_angle_deg`
  on the analytic J2 orbit, daily), eclipse seasons: the share of each orbit in the Earth's
  shadow for a cylindrical shadow, ``acos(sqrt(h^2 + 2 R h) / ((R + h) cos beta)) / pi``
  (Vallado, *Fundamentals of Astrodynamics*, 4th ed., sec. 5.3), zero above
  ``beta* = asin(R / (R + h))`` ("full-sun" days);
* power: the completed station's arrays (the modules at the span end,
  :func:`rossim.station.build_timeline`, beginning of life) through
  :func:`rossim.systems.power.orbit_power_balance` at each day's beta: orbit-average
  generation and the sustainable load (batteries charged in daylight at the catalog's charge
  efficiency, discharged in eclipse), under stated tracking and attitude assumptions
  (:data:`POWER_CASES`): the catalog's tracking per module with the autonomy's attitude
  (velocity, sun-biased above ``power.sun_bias_above_beta_deg``), and every wing fixed,
  single-axis in velocity attitude, single-axis sun-biased, or two-axis;
* the node's local time (``ltan_h``) is a parameter: :func:`trade_row` ``ltan_h`` moves the
  node of a scenario that sets it (the sun-synchronous one) and :func:`power_vs_ltan` sweeps
  it;
* crew dose per 30-day visit (:func:`rossim.analysis.dose.circular_orbit_dose`, 30 days from
  the first crew launch, default shielding);
* Angara A5 payload from Vostochny to the orbit (:func:`rossim.station.launch.payload_kg`,
  module delivered to the station altitude) and the penalty against the first scenario;
  the tightest module launch margin of the scenario's own assembly plan;
* reboost delta-v per year from the operations model
  (:func:`rossim.ops.orbit_keeping.simulate_orbit`, historical/forecast space weather), with
  that orbit-only run's outcome, end and alarms (a refused reboost, the station below the
  band floor, a re-entry: each with its cause; a re-entry is a result, and the delta-v is
  then per year of the time flown);
* launch opportunities per month from Vostochny (:func:`rossim.analysis.launch.launch_summary`,
  30 days searched).
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import numpy as np

from rossim.analysis.coverage import DEFAULT_INSTRUMENT, Instrument, scenario_coverage
from rossim.config.reference import load_reference
from rossim.constants import R_EQ_KM
from rossim.errors import InputError
from rossim.results import TradeRow

__all__ = ["trade_row", "trade_study", "table_cell", "beta_and_eclipse", "scenario_beta_and_eclipse",
           "station_power", "power_vs_ltan", "with_ltan",
           "DEFAULT_PAIR", "TABLE_ROWS", "POWER_CASES"]

#: Tracking and attitude assumptions of the power rows: (key, description).
POWER_CASES: tuple[tuple[str, str], ...] = (
    ("catalog", "each module's tracking from the catalog (power.array_tracking); velocity "
                "attitude, sun-biased above the autonomy's beta threshold"),
    ("fixed", "every wing fixed to the body facing zenith, velocity attitude"),
    ("single-axis", "every wing on one drive (orbit-normal axis), velocity attitude"),
    ("single-axis-sun-biased", "every wing single-axis, sun-biased attitude above the "
                               "autonomy's beta threshold"),
    ("two-axis", "every wing on two drives (normal incidence)"),
)

DEFAULT_PAIR = ("ros-51.6", "ros-97")

#: The dose row's shield (g/cm^2): :data:`rossim.analysis.dose.PRESSURISED_MODULE_G_CM2`.
_SHIELD_G_CM2 = load_reference().crew_dose.pressurised_module_g_cm2.value
#: (key, label, format) of the table rows, in order.
TABLE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("inclination_deg", "inclination, deg", "{:g}"),
    ("altitude_km", "altitude, km", "{:g}"),
    ("coverage_russia_pct", "Russia seen, %", "{:.1f}"),
    ("coverage_arctic_pct", "Russian Arctic (> 66.56 N) seen, %", "{:.1f}"),
    ("coverage_nsr_pct", "Northern Sea Route seen, %", "{:.1f}"),
    ("russia_mean_revisit_h", "Russia mean revisit, h", "{:.1f}"),
    ("russia_daylight_passes", "daylight passes over Russia", "{:d}"),
    ("max_latitude_seen_deg", "highest latitude seen, deg", "{:.2f}"),
    ("beta_angle_range_deg", "beta angle range over a year, deg", "{0[0]:.0f} .. {0[1]:.0f}"),
    ("eclipse_fraction_range", "share of orbit in shadow", "{0[0]:.2f} .. {0[1]:.2f}"),
    ("full_sun_days_per_year", "full-sun days per year", "{:d}"),
    ("node_local_time_at_start_h", "local time of the ascending node at the start, h",
     "{:.1f}"),
    ("array_capacity_kw", "array capacity (complete station), kW", "{:.0f}"),
    ("power_mean_kw", "orbit-average power, year mean, kW (catalog tracking, autonomy "
                      "attitude)", "{:.1f}"),
    ("power_min_kw", "orbit-average power, worst day, kW (same)", "{:.1f}"),
    ("power_per_installed_kw", "orbit-average output per installed kW (same)", "{:.2f}"),
    ("sustainable_load_mean_kw", "sustainable load, year mean, kW (same)", "{:.1f}"),
    ("sustainable_load_min_kw", "sustainable load, worst day, kW (same)", "{:.1f}"),
    ("power_mean_kw_fixed", "orbit-average power, year mean, kW: all wings fixed, velocity "
                            "attitude", "{:.1f}"),
    ("power_mean_kw_single_axis", "... all wings single-axis, velocity attitude", "{:.1f}"),
    ("power_mean_kw_single_axis_sun_biased", "... all wings single-axis, sun-biased at high "
                                             "beta", "{:.1f}"),
    ("power_mean_kw_two_axis", "... all wings two-axis", "{:.1f}"),
    # the shield named: `rossim dose SCENARIO` (the station's own modules) and a run (the
    # flown orbit and dates) give other figures for the same visit
    ("crew_dose_msv_per_30d", f"crew dose per 30-day visit behind {_SHIELD_G_CM2:g} g/cm^2 "
                              "(default shielding), mSv", "{:.1f}"),
    ("angara_a5_payload_t", "Angara A5 payload to the orbit, t", "{:.2f}"),
    ("angara_a5_penalty_t", "payload penalty against the first, t", "{:+.2f}"),
    ("min_module_margin_t", "tightest module launch margin (own rocket), t", "{:.2f}"),
    ("reboost_dv_m_s_per_year", "reboost delta-v per year, m/s", "{:.1f}"),
    ("orbit_outcome", "orbit-only run of the reboost row: outcome", "{}"),
    ("orbit_end", "... ended", "{}"),
    ("orbit_alarms", "... alarms (critical)", "{0[0]:d} ({0[1]:d})"),
    ("launch_windows_per_month", "in-plane launch windows per month", "{:.1f}"),
    ("fast_rendezvous_per_month", "of them with a <= 6 h rendezvous", "{:.1f}"),
    ("bas_plane_angle_min_deg", "smallest angle to BAS's plane, deg", "{:.1f}"),
    ("bas_alignment_every_years", "planes line up with BAS every, years", "{:.1f}"),
)


def table_cell(row: Any, key: str, fmt: str) -> str:
    """One cell of the trade table (:data:`TABLE_ROWS`): ``n/a`` for a missing figure; the
    alarm list as its count and critical count."""
    v = row.get(key)
    if key == "orbit_alarms":
        if row.get("orbit_outcome") is None:
            return "n/a"
        v = (len(v), sum(1 for a in v if a["severity"] == "critical"))
    return "n/a" if v is None else fmt.format(v)


def beta_and_eclipse(altitude_km: float, inclination_deg: float, raan_deg: float,
                     start: Any, days: float = 365.0, *, orbit: Any = None) -> dict[str, Any]:
    """Daily beta angle (deg, of the mean orbit plane) and cylindrical-shadow eclipse share of
    the orbit, from ``start``. ``orbit``: a :class:`~rossim.dynamics.circular.CircularOrbit`
    to use instead of the one built from the first three arguments with its node at
    ``start`` (a scenario's: :func:`scenario_beta_and_eclipse`)."""
    from rossim.dynamics.circular import CircularOrbit
    from rossim.dynamics.scenario_orbit import ltan_h_at
    from rossim.time import time_grid, to_time

    t0 = to_time(start)
    if orbit is None:
        orbit = CircularOrbit(altitude_km, inclination_deg, epoch=t0, raan_deg=raan_deg)
    altitude_km = float(orbit.altitude_km)
    t = time_grid(t0, days * 86400.0, 86400.0)
    beta = orbit.beta_deg(t)
    h = float(altitude_km)
    beta_star = math.degrees(math.asin(R_EQ_KM / (R_EQ_KM + h)))
    cosb = np.cos(np.radians(beta))
    arg = np.sqrt(h * h + 2 * R_EQ_KM * h) / ((R_EQ_KM + h) * np.maximum(cosb, 1e-9))
    frac = np.where(np.abs(beta) < beta_star, np.arccos(np.clip(arg, -1, 1)) / np.pi, 0.0)
    full_sun = np.abs(beta) >= beta_star
    # Local mean solar time of the ascending node at the start (mean Sun, scenario_orbit).
    ltan = float(ltan_h_at(orbit, t0)[0])
    return {"t": t, "beta_deg": beta, "eclipse_fraction": frac, "beta_star_deg": beta_star,
            "full_sun_days": int(full_sun.sum()), "node_local_time_h": round(ltan, 2)}


def scenario_beta_and_eclipse(scenario: Any, days: float = 365.0) -> dict[str, Any]:
    """:func:`beta_and_eclipse` of the scenario's one orbit
    (:func:`rossim.dynamics.scenario_orbit.orbit_from_scenario`), daily from the span start."""
    from rossim.dynamics.scenario_orbit import orbit_from_scenario

    orbit = orbit_from_scenario(scenario)
    return beta_and_eclipse(orbit.altitude_km, orbit.inclination_deg, orbit.raan_deg,
                            scenario.span.start, days, orbit=orbit)


def with_ltan(scenario: Any, ltan_h: float) -> Any:
    """``scenario`` with its node at local mean solar time ``ltan_h`` (h, [0, 24)) at the span
    start (``orbit.ltan_h``; the right ascension then follows from it)."""
    if not 0.0 <= float(ltan_h) < 24.0:
        raise InputError("argument", "ltan_h", ltan_h, "a local time in [0, 24) h")
    return scenario.model_copy(update={"orbit": scenario.orbit.model_copy(
        update={"ltan_h": float(ltan_h)})})


def _capacity_by_tracking(config: Any, catalog: Any, power: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    for m in config.modules:
        kw = catalog.modules[m].solar_array_power_kw.value
        if kw > 0:
            mode = power.tracking(m)
            out[mode] = out.get(mode, 0.0) + kw
    return out


def station_power(capacity_by_tracking: dict[str, float], beta_deg: np.ndarray,
                  altitude_km: float, power: Any, case: str = "catalog") -> dict[str, Any]:
    """Orbit-average generation and sustainable load (kW) at each beta angle (deg, array)
    for the arrays ``capacity_by_tracking`` (kW at normal incidence per tracking mode) under
    one of :data:`POWER_CASES` (``power``: the systems catalog's ``[power]``), through
    :func:`rossim.systems.power.orbit_power_balance` (cylindrical shadow, beginning of life).
    Returns arrays ``generation_kw``, ``sustainable_kw`` and the year ``mean``/``min``."""
    from rossim.systems.power import orbit_power_balance

    cases = dict(POWER_CASES)
    if case not in cases:
        raise InputError("argument", "case", case, "one of " + ", ".join(cases))
    total = float(sum(capacity_by_tracking.values()))
    caps = dict(capacity_by_tracking) if case == "catalog" else {
        case.removesuffix("-sun-biased"): total}
    biased = case in ("catalog", "single-axis-sun-biased")
    on = power.sun_bias_above_beta_deg.value
    bias = math.radians(power.sun_bias_max_deg.value)
    eta = power.charge_efficiency.value
    gen, load = [], []
    for b in np.asarray(beta_deg, dtype=float):
        r = orbit_power_balance(caps, math.radians(b), altitude_km, eta,
                                bias if biased and abs(b) > on else 0.0,
                                discharge_efficiency=power.discharge_efficiency.value)
        gen.append(r["orbit_average_generation_kw"])
        load.append(r["sustainable_load_kw"])
    g, s_ = np.array(gen), np.array(load)
    return {"case": case, "assumption": cases[case], "generation_kw": g, "sustainable_kw": s_,
            "mean_kw": float(g.mean()) if g.size else 0.0,
            "min_kw": float(g.min()) if g.size else 0.0,
            "sustainable_mean_kw": float(s_.mean()) if s_.size else 0.0,
            "sustainable_min_kw": float(s_.min()) if s_.size else 0.0}


def power_vs_ltan(scenario: Any, ltans_h: Any = (6.0, 9.0, 10.5, 12.0, 13.5, 15.0, 18.0,
                                                 22.5), catalog: Any = None,
                  systems: Any = None) -> list[dict[str, Any]]:
    """The power rows of ``scenario`` with its node moved to each local time of ``ltans_h``
    (catalog tracking and the two-axis case): beta range, eclipse share, full-sun days,
    year-mean and worst-day orbit-average power (kW)."""
    from rossim.config.catalog import load_catalog
    from rossim.config.systems import load_systems
    from rossim.station import build_timeline

    cat = catalog or load_catalog()
    pw = (systems or load_systems()).power
    caps = _capacity_by_tracking(build_timeline(scenario, cat).at(scenario.span.end), cat, pw)
    out = []
    for h in ltans_h:
        be = scenario_beta_and_eclipse(with_ltan(scenario, h))
        alt = scenario.orbit.altitude_km
        cat_p = station_power(caps, be["beta_deg"], alt, pw, "catalog")
        two = station_power(caps, be["beta_deg"], alt, pw, "two-axis")
        out.append({"ltan_h": float(h),
                    "beta_deg_range": [round(float(be["beta_deg"].min()), 1),
                                       round(float(be["beta_deg"].max()), 1)],
                    "eclipse_fraction_max": round(float(be["eclipse_fraction"].max()), 3),
                    "full_sun_days": be["full_sun_days"],
                    "power_mean_kw": round(cat_p["mean_kw"], 2),
                    "power_min_kw": round(cat_p["min_kw"], 2),
                    "power_mean_kw_two_axis": round(two["mean_kw"], 2)})
    return out


def _first_crew_launch(scenario: Any) -> _dt.datetime:
    for _fld, v in scenario.visits:
        if getattr(v, "crew", 0):
            return v.launch
    return scenario.span.start


def trade_row(scenario: Any, *, coverage_days: float = 30.0,
              instrument: Instrument = DEFAULT_INSTRUMENT, dose_step_s: float = 60.0,
              with_reboost: bool = True, reference_payload_kg: float | None = None,
              catalog: Any = None, ltan_h: float | None = None) -> TradeRow:
    """All trade metrics of one scenario (see the module notes), as a
    :class:`rossim.results.TradeRow` (``to_dict()`` is the ``--json`` object; ``beta`` holds
    the year's beta angle and eclipse share for the plots). ``ltan_h``: move the node of a
    scenario that sets ``orbit.ltan_h`` (a sun-synchronous one) to that local time."""
    from rossim.analysis.dose import circular_orbit_dose
    from rossim.analysis.launch import launch_summary
    from rossim.config.catalog import load_catalog
    from rossim.config.systems import load_systems
    from rossim.dynamics.scenario_orbit import orbit_from_scenario
    from rossim.station import build_timeline
    from rossim.station.launch import payload_kg

    if ltan_h is not None and scenario.orbit.ltan_h is not None:
        scenario = with_ltan(scenario, ltan_h)
    cat = catalog or load_catalog()
    orb = scenario.orbit
    cov = scenario_coverage(scenario, days=coverage_days, instrument=instrument)
    russia, arctic, nsr = cov["regions"]
    be = scenario_beta_and_eclipse(scenario)
    timeline = build_timeline(scenario, cat)
    capacity = float(timeline.at(scenario.span.end).solar_array_power_kw)
    pw = load_systems().power
    caps = _capacity_by_tracking(timeline.at(scenario.span.end), cat, pw)
    power = {case: station_power(caps, be["beta_deg"], orb.altitude_km, pw, case)
             for case, _ in POWER_CASES}
    gen = power["catalog"]["generation_kw"]
    dose = circular_orbit_dose(orb.altitude_km, orb.inclination_deg, days=30.0,
                               date=_first_crew_launch(scenario), step_s=dose_step_s,
                               orbit=orbit_from_scenario(scenario)).summary()
    a5, vost = cat.launchers["angara-a5"], cat.sites["vostochny-1a"]
    pay = payload_kg(a5, vost, orb.altitude_km, orb.inclination_deg, raise_orbit=True)
    ls = launch_summary(scenario, days=30.0, catalog=cat)
    margins = [m["margin_kg"] for m in ls.modules]
    tight = min(ls.modules, key=lambda m: m["margin_kg"]) if ls.modules else None
    row: dict[str, Any] = {
        "scenario": scenario.name, "inclination_deg": orb.inclination_deg,
        "altitude_km": orb.altitude_km, "coverage_days": coverage_days,
        "instrument": instrument.describe(),
        "coverage_russia_pct": russia["covered_pct"],
        "coverage_arctic_pct": arctic["covered_pct"],
        "coverage_nsr_pct": nsr["covered_pct"],
        "russia_mean_revisit_h": russia["mean_revisit_h"],
        "russia_worst_revisit_h": russia["worst_revisit_h"],
        "russia_daylight_passes": russia["daylight_passes"],
        "max_latitude_seen_deg": cov["max_latitude_seen_deg"],
        "beta_angle_range_deg": [round(float(be["beta_deg"].min()), 2),
                                 round(float(be["beta_deg"].max()), 2)],
        "eclipse_fraction_range": [round(float(be["eclipse_fraction"].min()), 3),
                                   round(float(be["eclipse_fraction"].max()), 3)],
        "full_sun_days_per_year": be["full_sun_days"],
        "node_local_time_at_start_h": be["node_local_time_h"],
        "array_capacity_kw": capacity,
        "power_mean_kw": round(float(np.mean(gen)), 2),
        "power_min_kw": round(float(np.min(gen)), 2),
        "power_per_installed_kw": round(float(np.mean(gen)) / capacity, 3) if capacity else None,
        "sustainable_load_mean_kw": round(power["catalog"]["sustainable_mean_kw"], 2),
        "sustainable_load_min_kw": round(power["catalog"]["sustainable_min_kw"], 2),
        **{f"power_mean_kw_{c.replace('-', '_')}": round(power[c]["mean_kw"], 2)
           for c, _ in POWER_CASES if c != "catalog"},
        "array_capacity_by_tracking_kw": {k: round(v, 3) for k, v in caps.items()},
        "power_assumptions": {c: d for c, d in POWER_CASES},
        "sun_bias_above_beta_deg": pw.sun_bias_above_beta_deg.value,
        "sun_bias_max_deg": pw.sun_bias_max_deg.value,
        "crew_dose_msv_per_30d": round(30.0 * dose["dose_equivalent_mSv_per_day"], 2),
        "crew_dose_mgy_per_30d": round(30.0 * dose["absorbed_mGy_per_day"], 2),
        "angara_a5_payload_t": round(pay / 1000.0, 3),
        "angara_a5_penalty_t": round((pay - (reference_payload_kg or pay)) / 1000.0, 3),
        "min_module_margin_t": round(min(margins) / 1000.0, 3) if margins else None,
        # which launch that is: the plans fly different rockets (ros-97's NEM on an A5M)
        "min_module_margin_launch": None if tight is None else
        f"{' + '.join(tight['modules'])} on {tight['launcher']}",
        "module_launches": ls.modules,
        "launch_windows_per_month": ls.windows_per_month,
        "fast_rendezvous_per_month": ls.fast_opportunities_per_month,
        "reboost_dv_m_s_per_year": None,
        "bas_plane_angle_min_deg": ls.plane_drift[1]["min_plane_angle_deg"],
        "bas_alignment_every_years": ls.plane_drift[1]["synodic_period_years"],
        "orbit_outcome": None, "orbit_end": None, "orbit_alarms": [],
    }
    if with_reboost:
        from rossim.config.systems import load_systems
        from rossim.ops.orbit_alarms import alarms_for_json
        from rossim.ops.orbit_keeping import simulate_orbit

        ops = scenario.operations
        # weather None: the run's own (rossim.environment.weather_dispersion.run_weather:
        # the scenario's constant or dispersed weather, as `rossim run` flies it)
        hist = simulate_orbit(timeline, load_systems(), None, cd=ops.cd,
                              model=ops.atmosphere)
        years = (hist.epochs[-1] - hist.epochs[0]) / np.timedelta64(1, "D") / 365.25
        row["reboost_dv_m_s_per_year"] = round(
            float(sum(b.dv_m_s for b in hist.burns) / years), 2)
        # the run's outcome and alarms travel with the figure (a re-entry is a result)
        row["orbit_outcome"] = hist.outcome
        row["orbit_end"] = str(np.datetime64(hist.end_time, "s")) + "Z"
        row["orbit_alarms"] = alarms_for_json(hist.alarms)
    return TradeRow.from_dict(row, beta=be)


def trade_study(scenarios: list[Any], **kwargs: Any) -> list[TradeRow]:
    """:func:`trade_row` for each scenario; payload penalties against the first."""
    if len(scenarios) < 2:
        raise InputError("argument", "scenarios", len(scenarios), "two scenarios to compare")
    rows = []
    ref = None
    for s in scenarios:
        row = trade_row(s, reference_payload_kg=ref, **kwargs)
        if ref is None:
            ref = row.angara_a5_payload_t * 1000.0
        rows.append(row)
    return rows
