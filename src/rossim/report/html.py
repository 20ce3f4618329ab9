"""``report.html``: one self-contained page (plots embedded as PNG) describing a run."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from rossim import __version__  # noqa: E402
from rossim.fileio import atomic_write_text  # noqa: E402
from rossim.report.comms import comms_sections  # noqa: E402
from rossim.report.family import ALTITUDE_LABELS, family_section  # noqa: E402
from rossim.report.figures.plan import plan_timeline_figure  # noqa: E402
from rossim.report.plots import (  # noqa: E402
    assembly_timeline_figure,
    figure_png_bytes,
    fixed_layout,
    year_axis,
)
from rossim.report.power_margin import power_margin_section  # noqa: E402
from rossim.time import format_event_time  # noqa: E402

CSS = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1150px;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:3px 8px}
th{background:#f3f3f3}td.n{text-align:right}img{max-width:100%}
.warn{color:#a40000}.small{font-size:.85em;color:#555}
.bad{background:#fde8e8;padding:.5em;border-left:4px solid #a40000}
.ok{background:#e8f6e8;padding:.5em;border-left:4px solid #2a7a2a}
"""


def _dates(t: np.ndarray):
    """Matplotlib date numbers of datetime64 epochs (vectorised: no Python datetimes)."""
    return mdates.date2num(np.asarray(t).astype("datetime64[us]"))


#: Points kept per line by :func:`_envelope`: each figure is ~1,100 px wide, so 2,000 bins
#: (two points each) put several samples under every pixel column.
_ENVELOPE_BINS = 2000


def _envelope(x: np.ndarray, y: np.ndarray, bins: int = _ENVELOPE_BINS):
    """``(x, y)`` reduced to the minimum and maximum of each of ``bins`` consecutive groups
    (in time order, first and last sample kept): the drawn line covers the same pixels as the
    full series at a fraction of the rendering cost. Series with NaN, or short ones, pass."""
    n = len(y)
    if n <= 4 * bins or np.isnan(y).any():
        return x, y
    g = -(-n // bins)
    pad = (-n) % g
    yy = np.concatenate([y, np.full(pad, y[-1])]).reshape(-1, g)
    base = np.arange(yy.shape[0]) * g
    idx = np.concatenate([base + yy.argmin(axis=1), base + yy.argmax(axis=1), [0, n - 1]])
    idx = np.unique(np.minimum(idx, n - 1))
    return x[idx], y[idx]


def _steps(x: np.ndarray, y: np.ndarray):
    """``(x, y)`` of a step series (``where="post"``) reduced to its change points and last
    sample: the same drawing."""
    keep = np.flatnonzero(np.diff(y, prepend=np.nan) != 0)
    keep = np.union1d(keep, [len(y) - 1])
    return x[keep], y[keep]


def _img(fig, alt: str) -> str:
    data = base64.b64encode(figure_png_bytes(fig)).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _years(ax) -> None:
    year_axis(ax)
    ax.grid(alpha=0.3)


def _daily(t: np.ndarray, x: np.ndarray, how: str = "mean"):
    day = t.astype("datetime64[D]")
    d = day.view("i8")
    if d.size and np.all(d[1:] >= d[:-1]):  # time-ordered (every history): no sort needed
        starts = np.concatenate([[0], np.flatnonzero(d[1:] != d[:-1]) + 1])
        x = np.asarray(x, float)
        if how == "mean":
            counts = np.diff(np.append(starts, d.size))
            v = np.add.reduceat(x, starts) / counts
        else:
            v = (np.minimum if how == "min" else np.maximum).reduceat(x, starts)
        return day[starts].astype("datetime64[us]"), v
    u, idx = np.unique(day, return_inverse=True)
    if how == "mean":
        v = np.bincount(idx, weights=x) / np.bincount(idx)
    else:
        v = np.full(len(u), np.inf if how == "min" else -np.inf)
        (np.minimum if how == "min" else np.maximum).at(v, idx, x)
    return u.astype("datetime64[us]"), v


def _altitude_fig(result):
    o = result.orbit
    band = result.scenario.orbit.altitude_band_km
    fig, ax = plt.subplots(figsize=(11, 3.6))
    ax.plot(*_envelope(_dates(o.epochs), o.altitude_m / 1e3), lw=0.8, color="#3465a4",
            label="altitude")
    for b in o.burns:
        ax.axvline(_dates(np.array([b.time]))[0], color="#cc0000", lw=0.6, alpha=0.6)
    if band:
        for h in band:
            ax.axhline(h, color="grey", ls="--", lw=0.7)
    ax.set_ylabel("mean altitude (km)")
    ax2 = ax.twinx()
    ax2.plot(_dates(o.epochs[::24]), o.f107[::24], color="#f57900", lw=0.7, alpha=0.7)
    ax2.set_ylabel("F10.7 (sfu)", color="#f57900")
    ax.set_title("Altitude (blue), reboosts (red lines), solar flux (orange)")
    _years(ax)
    fixed_layout(fig, left=0.75, right=0.75)
    return fig


def _beta_fig(result):
    p = result.power
    d, beta = _daily(p.epochs, p.beta_deg)
    _, lit = _daily(p.epochs, p.sunlit_fraction)
    fig, ax = plt.subplots(figsize=(11, 3.4))
    ax.plot(_dates(d), beta, color="#3465a4", lw=0.9)
    ax.set_ylabel("beta angle (deg)", color="#3465a4")
    ax2 = ax.twinx()
    ax2.plot(_dates(d), 100.0 * (1.0 - lit), color="#888", lw=0.5)
    ax2.set_ylabel("time in shadow (%)", color="#888")
    ax2.set_ylim(0, 100)
    ax.set_title("Beta angle (daily mean, blue) and share of each day in the Earth's shadow "
                 "(grey: zero in the full-sun seasons)")
    _years(ax)
    fixed_layout(fig, left=0.75, right=0.75)
    return fig


def _power_fig(result):
    p = result.power
    d, gen = _daily(p.epochs, p.generation_kw)
    _, load = _daily(p.epochs, p.load_kw)
    _, served = _daily(p.epochs, p.served_kw)
    _, soc = _daily(p.epochs, p.soc_min, "min")
    fig, (ax, ax3) = plt.subplots(2, 1, figsize=(11, 5.2), sharex=True)
    ax.plot(_dates(d), gen, lw=0.8, color="#4e9a06", label="generation (daily mean)")
    ax.plot(_dates(d), load, lw=0.8, color="#cc0000", label="demand")
    ax.plot(_dates(d), served, lw=0.6, color="#555", label="served (after shedding)")
    ax.set_ylabel("kW")
    ax.legend(fontsize=8, loc="upper left")
    ax3.plot(_dates(d), 100 * soc, lw=0.7, color="#3465a4")
    ax3.set_ylabel("min battery SOC (%)")
    ax3.set_ylim(0, 105)
    _years(ax)
    _years(ax3)
    ax.set_title("Power: generation, demand and battery state of charge")
    fixed_layout(fig, left=0.75, hspace_in=0.2)
    return fig


def _consumables_fig(result):
    o, c = result.orbit, result.consumables
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(11, 5.2), sharex=True)
    ax.plot(*_envelope(_dates(o.epochs), np.asarray(o.station_propellant_kg, float)), lw=0.8,
            color="#75507b")
    ax.set_ylabel("station propellant (kg)")
    d = c.days.astype("datetime64[us]")
    for y, lab, col in ((c.oxygen_kg, "oxygen", "#3465a4"), (c.water_kg, "water", "#729fcf"),
                        (c.food_kg, "food", "#c17d11")):
        ax2.plot(_dates(d), y, lw=0.8, label=lab, color=col)
    ax2.set_ylabel("stock (kg)")
    ax2.legend(fontsize=8, loc="upper left")
    _years(ax)
    _years(ax2)
    ax.set_title("Propellant in the station's tanks; life-support stocks")
    fixed_layout(fig, left=0.85, hspace_in=0.2)
    return fig


def _crew_fig(result):
    o = result.orbit
    crew = result.timeline.at(o.epochs).crew_aboard
    fig, ax = plt.subplots(figsize=(11, 2.4))
    t_crew, crew = _steps(_dates(o.epochs), np.asarray(crew))
    ax.fill_between(t_crew, 0, crew, step="post", color="#cc0000", lw=0)
    ax.set_ylabel("crew aboard")
    ax.set_title("Crew presence (the rest of the time: automatic mode)")
    _years(ax)
    fixed_layout(fig, left=0.75)
    return fig


def _faults_fig(result):
    faults = result.fdir.faults
    comps = sorted({f.component for f in faults})
    fig, ax = plt.subplots(figsize=(11, 0.35 * max(len(comps), 3) + 1.6))
    for y, comp in enumerate(comps):
        for f in (f for f in faults if f.component == comp):
            t0 = mdates.date2num(f.failed_at)
            t1 = mdates.date2num(f.repaired_at) if f.repaired_at else None
            colour = "#4e9a06" if f.recovered_automatically else "#cc0000"
            if t1:
                ax.plot([t0, t1], [y, y], color=colour, lw=2, alpha=0.6)
            ax.plot([t0], [y], "o", color=colour, ms=4)
    ax.set_yticks(range(len(comps)), comps, fontsize=8)
    ax.set_title("Faults: dot at failure, line until repair\n(green: recovered automatically "
                 "by a redundant unit; red: degraded or safe mode until repaired)")
    _years(ax)
    # room for the longest component name (8 pt: about 0.07 in per character)
    fixed_layout(fig, left=0.3 + 0.07 * max((len(c) for c in comps), default=4),
                 top=0.6)
    return fig


def _table(rows: list[list], head: list[str]) -> str:
    out = ["<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"]
    for r in rows:
        cells = []
        for v in r:
            cls = ' class="n"' if isinstance(v, int | float) else ""
            if isinstance(v, float):
                text = f"{v:,.1f}" if abs(v) >= 1000 else f"{v:.4g}"
            else:
                text = str(v)
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(out) + "</table>"


def _kg_list(x) -> str:
    """``{"water": 400.0, ...}`` as ``water 400 kg, ...`` (a number as ``N kg``)."""
    if isinstance(x, dict):
        return ", ".join(f"{k} {v:,.0f} kg" for k, v in x.items()) or "none"
    return f"{x:,.0f} kg" if isinstance(x, (int, float)) else html.escape(str(x))


def _crew_and_cargo_sections(result) -> list[str]:
    """Careers per person and spacewalks (rossim.analysis.crew_record), crew time
    (rossim.ops.crew_time), cargo flights and relocations (rossim.ops.logistics)."""
    out: list[str] = []
    rec = getattr(result, "crew_record", None)
    if rec:
        lim = ", ".join(f"{c['agency']} {c['limit_mSv']:g} mSv" for c in rec["career_limits"])
        out += ["<h3>Career dose per person</h3>",
                f"<p>Rotation {rec['rotation']}; career limits {lim}; spacewalk dose "
                f"{rec['eva_dose_method']}.</p>",
                _table([[n, p["visits"], round(p["days"], 1), p["eva_hours"],
                         round(p["inside_mSv"], 2), round(p["eva_excess_mSv"], 3),
                         round(p["career_mSv"], 2),
                         ", ".join(f"{v:.0%}" for v in p["fraction_of_career_limits"].values())]
                        for n, p in rec["people"].items()],
                       ["person", "visits", "days", "EVA h", "inside mSv", "EVA excess mSv",
                        "career mSv", "of career limits"]),
                "<h3>Spacewalks</h3>",
                _table([[e["task"], e["worksite"], e["start"], e["spacewalks"],
                         e["hours_outside"], ", ".join(e["crew"]),
                         e["per_person_outside_mSv"]] for e in rec["evas"]],
                       ["task", "worksite", "first egress", "EVAs", "hours outside", "crew",
                        "mSv per person outside"]) if rec["evas"] else "<p>None.</p>"]
    ct = (result.summary or {}).get("crew_time") if getattr(result, "summary", None) else None
    if ct:
        out += ["<h3>Crew time</h3>", _table(
            [["task hours available", ct["task_hours_available"]],
             *[[f"drawn: {k}", v] for k, v in ct["task_hours_by_kind"].items()],
             ["left for experiments", ct["experiment_hours"]],
             ["days fully booked", ct["days_fully_booked"]]], ["quantity", "hours"])]
    lg = (result.summary or {}).get("logistics") if getattr(result, "summary", None) else None
    if lg:
        from rossim.report.cargo_text import cargo_flights_sentence

        flights = lg.get("plan", {}).get("flight_list", [])
        out += ["<h2>Cargo and relocations</h2>",
                f"<p>{cargo_flights_sentence(lg)}"  # count split as the tables list it
                f"; stocks at the end {_kg_list(lg['end_stock_kg'])}, at their peak "
                f"{_kg_list(lg['peak_stock_kg'])}; left aboard the ships "
                f"{_kg_list(lg['not_stowed_kg'])}{_food_turnover(lg)}.</p>"]
        if flights:
            out.append(_table([[f["name"], f["launch"], f["port"], f["trigger"],
                                *[f["manifest_kg"][i] for i in ("water", "food", "oxygen",
                                                                "propellant", "spares")],
                                f["stowage_room_kg"]] for f in flights],
                              ["flight", "planned launch", "port", "trigger", "water kg",
                               "food kg",
                               "oxygen kg", "propellant kg", "spares kg", "stowage room kg"]))
        cu = lg.get("callups") or {}
        if cu.get("flight_list"):  # flights the run called up (rossim.ops.cargo_callup)
            out += [f"<h3>Call-up flights</h3><p>Called up in the run when a repair waited for a "
                    f"spare or the propellant would reach the reserve first; lift-off at the "
                    f"first allowed launch window at least {cu.get('lead_days', 0):g} days "
                    f"after the call.</p>",
                    _table([[f["name"], f["why"], f["called"][:10], f["launch"][:10],
                             ((f["docked"] if "docked" in f else f.get("arrival"))
                              or "")[:10], f["port"],
                             f["state"], "; ".join(f["reasons"])] for f in cu["flight_list"]],
                           ["flight", "why", "called", "launch", "docked", "port", "state",
                            "reasons"])]
        if lg["relocations"]:
            out.append(_table([[r["time"], r["ship"], r["from"], r["to"], r["for"],
                                r["duration_min"], r["ship_propellant_kg"]]
                               for r in lg["relocations"]],
                              ["time", "ship", "from", "to", "to free the port for", "min",
                               "ship's propellant kg"]))
    return out


def write_report(result, path: str | Path) -> Path:
    """Write the self-contained HTML report of ``result`` atomically.

    The objects alive when the report starts (the run's results and models) are frozen out
    of the garbage collector meanwhile (``gc.freeze``): drawing allocates many short-lived
    objects, and each full collection would otherwise walk the whole run's heap again."""
    import gc

    gc.freeze()
    try:
        return _write_report(result, path)
    finally:
        gc.unfreeze()


def _write_report(result, path: str | Path) -> Path:
    s = result.summary
    scen = result.scenario
    tl = result.timeline
    phases = []
    for p in tl.assembly_phases():
        c = tl.properties[p.index]
        phases.append([p.start.date().isoformat(), ", ".join(c.modules), c.module_mass_kg / 1e3,
                       c.mass_kg / 1e3, c.drag_area_m2, c.solar_array_power_kw,
                       c.pressurised_volume_m3, c.crew_capacity])
    keys = ["assembly_complete", "crewed_days", "uncrewed_days", "crew_visits", "reboosts",
            "reboost_dv_m_s_per_year", "propellant_used_kg", "propellant_kg_per_year",
            "iss_reference_propellant_kg_per_year", "mean_altitude_km", "min_altitude_km",
            "faults_total", "faults_recovered_automatically", "faults_repaired", "availability",
            "min_battery_soc", "load_shedding_hours", "power_deficit_minutes",
            "min_consumables_margin_days_crewed", "robot_tasks", "crew_tasks", "alarms"]
    summary_rows = [[k + ALTITUDE_LABELS.get(k, ""), s[k]] for k in keys]
    summary_rows += [[f"thermal: {k}", v] for k, v in (s.get("thermal") or {}).items()]
    iss = s.get("iss_model_by_year", {})
    host = s.get("host_propellant")
    years = [[y, v["dv_m_s"], v["propellant_kg"], *([v.get("host_propellant_kg", 0.0)]
                                                   if host else []), v["mean_f107"],
              iss.get(y, {}).get("propellant_kg", float("nan"))]
             for y, v in s["reboost_by_year"].items()]
    # while attached to a host programme, its reboosts and other uses are its own: beside
    # the station's figures, not in them (rossim.ops.summary)
    host_note = "" if not host else (
        f" Attached to the ISS for {host['days_attached']:,.0f} days, the ISS programme "
        f"reboosted the stack with {host['reboost_kg']:,.0f} kg and paid "
        f"{host['other_kg']:,.0f} kg of its other uses (attitude, debris avoidance, phasing, "
        "leaks): the host's, not in this station's figures, whose yearly rate counts its own "
        "flight only (summary host_propellant).")
    faults = [[f.id, f.component, f.module, f.failed_at.strftime("%Y-%m-%d %H:%M"),
               f"{(f.detected_at - f.failed_at).total_seconds():.0f} s" if f.detected_at else "",
               f.response, f.repaired_by or "-",
               f.repaired_at.strftime("%Y-%m-%d") if f.repaired_at else "-"]
              for f in result.fdir.faults]
    crit = [a for a in result.alarms if a["severity"] == "critical"]
    broken = [i for i in result.invariants if not i["holds"]]
    status = (f"<p class='{'bad' if crit or broken else 'ok'}'>Outcome: "
              f"<b>{html.escape(result.outcome)}</b>; {len(result.alarms)} alarm{'' if len(result.alarms) == 1 else 's'} "
              f"({len(crit)} critical); invariants: "
              f"{'all hold' if not broken else ', '.join(i['name'] for i in broken) + ' VIOLATED'}"
              "</p>")
    alarm_rows = [[format_event_time(a["time"])[:16].replace("T", " "), a["severity"], a["subject"], a["detail"],
                   a["cause"], a.get("repeats", 0)]
                  for a in sorted(result.alarms, key=lambda a: (a["severity"] != "critical",
                                                                 a["time"]))]
    inv_rows = [[i["name"], "holds" if i["holds"] else "VIOLATED", i["detail"],
                 (format_event_time(i["time"]) or "")[:16]] for i in result.invariants]
    by_source = s.get("commands_by_source", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>rossim run: {html.escape(scen.name)}</title><style>{CSS}</style></head><body>",
        f"<h1>rossim run: {html.escape(scen.name)}</h1>",
        f"<p>{html.escape(scen.description)}<br><span class='small'>seed {result.seed}; "
        f"{scen.orbit.altitude_km:g} km, {scen.orbit.inclination_deg:g} deg; "
        f"rossim {__version__}. Figures marked estimate in the catalog are estimates; see "
        "src/rossim/config/catalog.</span></p>",
        status,
        "<h2>Alarms</h2>", "<p>Every alarm of the run, critical first, with its cause (repeats: "
        "the same alarm again within 1 day (battery), 7 days (cabin temperature) or 30 days "
        "(propellant, call-ups) of the previous one, each in the events table).</p>",
        _table(alarm_rows, ["time (UTC)", "severity", "subject", "alarm", "cause", "repeats"])
        if alarm_rows else "<p>None.</p>",
        "<h2>Invariants</h2>", _table(inv_rows, ["invariant", "status", "figures",
                                                  "first violation"]),
        "<h2>Summary</h2>", _table(summary_rows, ["quantity", "value"]),
        "<p>Commands: " + ", ".join(f"{k} {v}" for k, v in by_source.items())
        + f"; refused {s.get('commands_refused', 0)}. Engine spans: "
        f"{s.get('engine_spans', 0)}.</p>",
        # issue 14: the plan as run, and per launch its insertion orbit and climb
        "<h2>The plan as run</h2>", _img(plan_timeline_figure(result), "plan timeline"),
        "<h2>Launches, insertion and climb</h2>",
        "<p>Per launch (rossim.station.insertion): the launcher leaves the module in its "
        "insertion orbit; its own engines or a tug climb to the station (transfer + "
        "rendezvous allowance, rocket equation); docking after the climber's rendezvous days. "
        "Lift-off at the first in-plane window on or after the planned day that the site's "
        "azimuth corridor allows (rossim.station.windows). "
        "Estimates from catalog figures with their flags.</p>",
        _table([[c.launch.strftime("%Y-%m-%d %H:%M"), " + ".join(c.modules),
                 f"{c.launcher_name} ({c.site})", c.insertion, c.climber_name,
                 round(c.launch_mass_kg), round(c.capacity_kg), round(c.dv_m_s, 1),
                 round(c.propellant_kg), round(c.propellant_available_kg), c.days,
                 c.docked.strftime("%Y-%m-%d %H:%M")] for c in tl.climbs],
               ["launch", "modules", "launcher (site)", "insertion", "climber",
                "launch mass kg", "capacity kg", "climb dv m/s", "propellant kg",
                "carried kg", "days", "docked"]) if tl.climbs else "<p>No launches.</p>",
        "<h2>Assembly timeline</h2>", _img(assembly_timeline_figure(
            tl, (result.orbit.epochs, getattr(result.orbit, "mass_kg", ()))),
            "assembly timeline"),
        "<h2>Configuration per phase</h2>",
        _table(phases, ["from", "modules", "module mass t", "with ships t",
                        "drag area m^2 (with ships)", "arrays kW",
                        "volume m^3 (with ships)", "berths"]),
        "<h2>Altitude and reboosts</h2>", _img(_altitude_fig(result), "altitude"),
        _table(years, ["year", "reboost dv m/s", "propellant kg",
                       *(["host's reboosts kg"] if host else []), "mean F10.7 sfu",
                       "ISS, same model, kg"]),
        f"<p>For comparison: the ISS used about {s['iss_reference_propellant_kg_per_year']:,.0f}"
        " kg of propellant a year for altitude keeping, debris avoidance and attitude control "
        "(ros-facts.md, ISS propulsion study 2004). rossim's decay model, given the ISS's mass "
        "and drag area (NASA/JSC ephemeris 2022) at 415 km in the same years, needs "
        f"{s['iss_model_propellant_kg_per_year']:,.0f} kg a year for drag alone; this station "
        f"needs {s['propellant_kg_per_year']:,.0f} kg a year.{host_note}</p>",
        *comms_sections(result, _img),
        "<h2>Beta angle and eclipses</h2>", _img(_beta_fig(result), "beta angle"),
        "<h2>Power and battery</h2>", _img(_power_fig(result), "power"),
        *power_margin_section(s),  # hook (power): margin per configuration, energy ledger
        "<h2>Propellant and consumables</h2>", _img(_consumables_fig(result), "consumables"),
        "<h2>Crew presence</h2>", _img(_crew_fig(result), "crew"),
        "<h2>Crew dose</h2>",
        "<p>Per crewed visit along the run's flown orbit (rossim.analysis.dose: AE-8/AP-8 trapped "
        "particles, galactic cosmic rays with geomagnetic cut-off, behind the modules' "
        "shielding; see docs/dose.md).</p>",
        _table([[v.visit, v.launch, v.crew, v.days, v.per_person_mSv,
                 v.collective_person_mSv, v.cumulative_person_mSv]
                for v in result.crew_dose],
               ["visit", "launch", "crew", "days", "mSv per person", "person-mSv",
                "cumulative person-mSv"]) if result.crew_dose else "<p>Not computed.</p>",
        *family_section(s),
        *_crew_and_cargo_sections(result),
        "<h2>Faults and recoveries</h2>", _img(_faults_fig(result), "faults"),
        _table(faults, ["#", "component", "module", "failed", "detected after", "response",
                        "repaired by", "repaired"]),
        f"<h2>Uptime</h2><p>Availability (no function degraded or in safe mode): "
        f"{100 * s['availability']:.2f} %.</p>",
        "</body></html>",
    ]
    path = Path(path)
    atomic_write_text(path, "\n".join(parts))
    return path


def _food_turnover(lg: dict) -> str:
    """The food the crews threw away past its shelf life and the oldest eaten (summary
    ``logistics.food_discarded_past_shelf_life_kg``, ``food_oldest_eaten_days``): a loss
    the stock figures alone hide; empty when the run has neither."""
    gone = float(lg.get("food_discarded_past_shelf_life_kg") or 0.0)
    oldest = float(lg.get("food_oldest_eaten_days") or 0.0)
    if gone <= 0.0 and oldest <= 0.0:
        return ""
    return (f"; food discarded past its shelf life {gone:,.1f} kg, the oldest eaten "
            f"{oldest:,.1f} days after its delivery")
