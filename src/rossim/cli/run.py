"""``rossim run [SCENARIO] [--out DIR] [--seed N] [--parquet]``: the main job."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import numpy as np
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rossim.cli._common import console, dumps
from rossim.config.scenario import load_scenario
from rossim.errors import InputError
from rossim.fileio import RUN_OUTPUTS as OUTPUTS  # the files and folders one run writes
from rossim.fileio import (
    atomic_write_text,
    check_folder_kind,
    check_in_the_way,
    check_output_target,
    output_set,
)


def output_folders() -> dict[str, tuple[str, ...]]:
    """The sub-folders of :data:`OUTPUTS` -> the files a run writes in each
    (:func:`rossim.archive.store.run_output_folders`)."""
    from rossim.archive.store import run_output_folders

    return run_output_folders()

STAGES = [("configuration", 0.02), ("altitude", 0.2), ("faults", 0.03), ("power", 0.45),
          ("dose", 0.2), ("writing", 0.1)]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="simulate the station over the scenario span (main job)",
                       description="Live through the scenario: assembly, visits, altitude and "
                       "reboosts, power, consumables, faults and robots. Writes DIR/archive."
                       "duckdb, DIR/report.html and DIR/summary.json.")
    p.add_argument("scenario", nargs="?", default=None,
                   help="scenario TOML file or shipped scenario name (default: ros-51.6)")
    p.add_argument("--out", default="out", metavar="DIR", help="output folder (default: out)")
    p.add_argument("--seed", type=int, default=None, metavar="N",
                   help="random seed (default: the scenario's)")
    p.add_argument("--parquet", action="store_true",
                   help="also export every archive table as Parquet into DIR/parquet/")
    p.add_argument("--atmosphere", choices=("nrlmsise00", "msis2.0", "msis2.1"), default=None,
                   help="atmosphere model of the orbit (default: the scenario's "
                        "operations.atmosphere; docs/drag.md compares them on ISS data)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def free_flyer_table(scenario, released: dict | None = None) -> dict[str, list]:
    """The scenario's free-flyer family (slots and relative orbits, rossim.fleet) as the
    archive's ``free_flyers`` table (the map of mission control draws it). ``released``:
    satellite name -> the run's actual release (UTC datetime; the keep-out rules may have
    held it past the plan's date, summary.json ``free_flyers.satellites[].released``): the
    ``deployed`` column and the re-entry (release plus the unkept lifetime) follow it, as the
    summary's do; without it, the plan's dates."""
    import numpy as np

    from rossim.fleet.family import plan_family

    released = released or {}

    cols = {k: [] for k in ("name", "deployment", "deployed", "mass_kg", "ring",
                            "radial_amplitude_m", "cross_track_amplitude_m", "reentry")}
    if not scenario.free_flyers.deployments:
        return cols
    sats, _ = plan_family(scenario, check_deployments=False)
    for s in sats:
        cols["name"].append(s.name)
        cols["deployment"].append(s.deployment)
        when = released.get(s.name)
        deployed = s.deployed if when is None else when
        # the plan's end of life is its release plus the one unkept lifetime: shifted as is
        eol = None if s.end_of_life is None else s.end_of_life + (deployed - s.deployed)
        cols["deployed"].append(np.datetime64(deployed.replace(tzinfo=None), "us"))
        cols["mass_kg"].append(s.mass_kg)
        cols["ring"].append(s.ring)
        cols["radial_amplitude_m"].append(s.orbit.ae)
        cols["cross_track_amplitude_m"].append(s.orbit.ai)
        cols["reentry"].append(None if eol is None  # the map drops it from then
                               else np.datetime64(eol.replace(tzinfo=None), "us"))
    return cols


def _released(summary) -> dict:
    """Satellite name -> actual release (UTC datetime) from a run summary's family."""
    import datetime as dt

    fam = getattr(summary, "free_flyers", None) or {}
    out = {}
    for r in fam.get("satellites", []):
        if r.get("released"):
            out[r["name"]] = dt.datetime.strptime(r["released"], "%Y-%m-%dT%H:%M:%SZ"
                                                  ).replace(tzinfo=dt.UTC)
    return out


#: The words of a slip's ``cause`` (rossim.station.pad_plan.PadSlips.rows).
SLIP_CAUSES = {"pad": "a pad's turnaround", "port": "a busy port"}


def slip_text(slips: list[dict]) -> str:
    """The console's words for the run summary's ``logistics.pad_slips``: how many planned
    launches slipped, how many for each cause (a pad's turnaround, a busy port: the launch
    before it at its port, or its module, slipped), then each launch, its days and cause."""
    n = {c: sum(1 for r in slips if r.get("cause", "pad") == c) for c in SLIP_CAUSES}
    head = " and ".join(f"{n[c]} for {w}" for c, w in SLIP_CAUSES.items() if n[c])
    return (f"{len(slips)} planned launches slipped ({head}): "
            + ", ".join(f"{r['launch']} {r['slip_days']:.1f} d ({r.get('cause', 'pad')})"
                        for r in slips))


def callup_rows(logistics: dict | None) -> list[tuple[str, str]]:
    """The console's rows for the run summary's ``logistics`` call-ups: ``cargo_callups``
    (flights flown, by reason, propellant ones in a gap of the plan or after its end, not
    flown and of those stood down, lead) whenever the cargo loop ran, ``propellant_topups``
    (planned Progress ships given more propellant) and ``pad_slips`` (the plan's launches
    slipped for a pad's turnaround or a busy port, :func:`slip_text`, rossim.station.pad_plan)
    and ``traffic_holds`` (dockings and undockings held for the station's traffic,
    rossim.station.traffic) when there were any, ``crew_callups`` (repair crews of a free drift or a safe mode only a
    crew can clear, with refusals, and planned crews flown early) only when there was one, ``drift_docking`` and ``manual_dockings`` (crews that docked by hand
    to a drifting station, rossim.ops.drift_crew) when a ship met a drift."""
    rows = []
    cu = (logistics or {}).get("callups") or {}
    if cu.get("flights") is not None:
        need = cu.get("propellant_by_need") or {}
        why = ", ".join(f"{w} {n}" + (f" ({need.get('gap', 0)} in a gap of the plan, "
                                      f"{need.get('plan_end', 0)} after its end)"
                                      if w == "propellant" and need else "")
                        for w, n in sorted(cu["by_reason"].items()))
        nf = len(cu.get("not_flown") or [])
        sd = sum(1 for x in cu.get("not_flown") or []   # rossim.ops.callup_stand_down
                 if str(x.get("state", "")).startswith("not flown: stood down"))
        lead = f"{cu['lead_days']:g} d lead" if cu.get("lead_days") else ""
        lost = f"{cu['lost_at_launch']} lost at launch" if cu.get("lost_at_launch") else ""
        nfs = (f"{nf} not flown" + (f" ({sd} stood down)" if sd else "")) if nf else ""
        detail = "; ".join(x for x in (why, lost, nfs, lead) if x)
        rows.append(("cargo_callups", f"{cu['flights']}" + (f" ({detail})" if detail else "")))
    tops = (logistics or {}).get("propellant_topups")  # hook: rossim.ops.propellant_topup
    if tops:
        left = sum(t.get("not_transferred_kg", 0.0) for t in tops)
        late = sum(1 for t in tops if t.get("before_shortage") is False)
        rows.append(("propellant_topups", f"{len(tops)} planned Progress loaded with "
                     f"{sum(t['propellant_kg'] - t['planned_propellant_kg'] for t in tops):.0f} "
                     "kg more propellant" + (f"; {left:.0f} kg not transferred (tanks full)"
                                             if left >= 1.0 else "")
                     + (f"; {late} not docked before the shortage" if late else "")))
    cc = (logistics or {}).get("crew_callups") or {}
    if cc:
        refused = len(cc.get("refused") or [])
        early = [r for r in cc.get("flown_early") or () if r["state"].startswith("flown early")]
        rows.append(("crew_callups", f"{cc['flights']} (repair crew; "
                     f"{cc.get('lead_days') or 0:g} d lead"
                     + (f"; {refused} refused" if refused else "")
                     + (f"; {cc['aborted_at_launch']} aborted at launch"
                        if cc.get("aborted_at_launch") else "")
                     + "".join(f"; {r['name']} flown early, {r['days_earlier']:g} d"
                               for r in early) + ")"))
    slips = (logistics or {}).get("pad_slips")  # hook: rossim.station.pad_plan
    if slips:
        rows.append(("pad_slips", slip_text(slips)))
    held = (logistics or {}).get("traffic_holds")  # hook: rossim.station.traffic
    if held:
        rows.append(("traffic_holds", f"{len(held)} dockings or undockings held for the "
                     f"station's traffic ({held[0]['spacing_h']:g} h apart): " + ", ".join(
                         f"{r['part']} {r['event']} {r['held_h']:.1f} h" for r in held)))
    dd = (logistics or {}).get("drift_docking") or {}  # hook: rossim.ops.drift_docking
    if dd:
        rows.append(("drift_docking", f"{dd['held']} held, {dd['loitered']} loitered, "
                     f"{dd['lost']} lost, {dd['not_flown']} not flown (station drifting)"))
    md = (logistics or {}).get("manual_dockings") or {}  # hook: rossim.ops.drift_crew
    if md:
        rows.append(("manual_dockings", f"{md['docked_manually']} crew ship(s) docked by hand "
                     "to the drifting station: " + ", ".join(
                         f"{r['ship']} {r['docking']}" for r in md["ships"])))
    return rows


def run(args: argparse.Namespace) -> int:
    if args.seed is not None and args.seed < 0:
        raise InputError("argument", "--seed", args.seed, "a non-negative integer")
    scenario = load_scenario(args.scenario)
    if args.atmosphere:
        scenario = scenario.model_copy(update={"operations": scenario.operations.model_copy(
            update={"atmosphere": args.atmosphere})})
    from rossim.station import build_timeline

    timeline = build_timeline(scenario)  # refuse a bad plan before touching the output folder
    from rossim.config.systems import load_systems
    from rossim.ops.preflight import check_runnable

    check_runnable(scenario, timeline, load_systems())  # everything run needs, as validate
    from rossim.cli.validate import check_deployment_ports

    notes = check_deployment_ports(scenario, timeline)   # rossim.ops.plan_review
    out = Path(args.out)
    check_output_target(out, "--out", folder=True, inputs=[scenario.source_path], names=OUTPUTS)
    check_folder_kind(out, "run", "--out")   # never into a campaign's folder (they would mix)
    folders = output_folders()
    # nothing but this run's earlier outputs is replaced: a user's folder in the way is
    # refused now, not deleted at the commit (nor found after the simulation)
    check_in_the_way(out, [n for n in OUTPUTS if n not in folders], folders, "--out")
    from rossim.cli.describe import phase_rows, phase_table

    con = console()

    from rossim.archive import export_parquet, write_archive
    from rossim.ops.simulation import simulate
    from rossim.ops.tables import result_tables
    from rossim.report.html import write_report

    weights = dict(STAGES)
    done_before = {}
    acc = 0.0
    for name, w in STAGES:
        done_before[name] = acc
        acc += w
    progress = Progress(TextColumn("{task.description:<14}"), BarColumn(),
                        TextColumn("{task.percentage:>5.1f}%"), TimeElapsedColumn(),
                        console=con, disable=args.quiet, transient=False)
    # The whole output set (archive, report, summary, parquet/) is staged and moved into the
    # folder together under a lock: a concurrent run on the same folder is refused at once, a
    # killed or failed run leaves the previous set whole, never a mix of old and new files.
    with output_set(out, OUTPUTS, option="--out", folders=folders) as stage, progress:
        con.print(phase_table(scenario, phase_rows(timeline)))  # after the lock is taken
        for kind, text in notes:   # a module or visits slipped past the span's end
            if kind == "warning":
                con.print(f"warning: {text}", markup=False, soft_wrap=True)
        task = progress.add_task(f"{scenario.name}", total=1.0)

        def report(stage_name: str, fraction: float) -> None:
            progress.update(task, completed=done_before.get(stage_name, 0.0)
                            + weights.get(stage_name, 0.0) * min(max(fraction, 0.0), 1.0),
                            description=stage_name)

        from rossim.analysis.crew_record import crew_record
        from rossim.analysis.dose import crew_visit_doses

        def dose_along(scen, flown):
            return crew_visit_doses(scen, orbit=flown)

        dose_along.record = crew_record  # per person, spacewalks, careers (summary.json)

        result = simulate(scenario, seed=args.seed, progress=report, crew_dose=dose_along)
        from rossim.fleet.recontact import family_summary

        if result.summary is not None:   # the family per satellite (rossim.fleet.recontact)
            result.summary = dataclasses.replace(result.summary,
                                                 free_flyers=family_summary(scenario, result))
        report("writing", 0.0)
        tables, info = result_tables(result)
        tables["free_flyers"] = free_flyer_table(scenario, _released(result.summary))
        write_archive(stage / "archive.duckdb", tables, info)
        report("writing", 0.5)
        write_report(result, stage / "report.html")
        atomic_write_text(stage / "summary.json", dumps(result.summary.to_dict()) + "\n")
        if args.parquet:
            export_parquet(stage / "archive.duckdb", stage / "parquet")
        report("writing", 1.0)

    s = result.summary
    table = Table(title=f"rossim run: {scenario.name} (seed {result.seed})")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for key in ("assembly_complete", "crewed_days", "crew_person_days", "uncrewed_days",
                "reboosts",
                "reboost_dv_m_s_per_year", "propellant_used_kg", "mean_altitude_km",
                "faults_total", "faults_recovered_automatically", "availability",
                "min_battery_soc", "load_shedding_hours", "crew_dose_max_visit_per_person_mSv",
                "alarms", "alarms_critical", "invariants_hold", "outcome"):
        v = s[key]   # floats as the report prints them (398.4 km, not 398.4428)
        table.add_row(key, (f"{v:,.1f}" if abs(v) >= 1000 else f"{v:.4g}")
                      if isinstance(v, float) else str(v))
    if s.get("host_propellant"):   # attached to the ISS: its programme pays, apart
        h = s["host_propellant"]
        table.add_row("host_propellant (ISS programme)",
                      f"{h['reboost_kg'] + h['other_kg']:,.1f} kg over {h['days_attached']:,.0f}"
                      " days attached (not in propellant_used_kg)")
    for c in s.get("launches", []):  # issue 14: per launch, its insertion orbit and climb
        table.add_row(f"launch {' + '.join(c['modules'])}",
                      f"{c['launch'][:16].replace('T', ' ')} {c['launcher']} from {c['site']}, "
                      f"{c['insertion']}, "
                      f"{c['climber']}, "
                      f"{c['propellant_kg']:.0f} kg, {c['days']:g} d")
    from rossim.ops.power_ledger import margin_rows

    for k, v in margin_rows(s.get("power_margin")):  # hook (power): margin per configuration
        table.add_row(k, v)
    for k, v in callup_rows(s["logistics"]):  # hooks (cargo loop, repair crew): call-ups
        table.add_row(k, v)
    con.print(table)
    total = sum(result.timing_s.values())
    days = float((result.orbit.epochs[-1] - result.orbit.epochs[0]) / np.timedelta64(1, "D"))
    con.print("time by model: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.timing_s.items())
              + f" (total {total:.1f} s: {days:,.0f} simulated days, "
              f"{days / max(total, 1e-9):,.0f} days/s, {result.spans} engine spans)")
    crit = [a for a in result.alarms if a["severity"] == "critical"]
    broken = [i["name"] for i in result.invariants if not i["holds"]]
    if crit or broken:
        con.print(f"[bold red]{len(crit)} critical alarm{'' if len(crit) == 1 else 's'}[/]"
                  + (f"; invariants violated: {', '.join(broken)}" if broken else "")
                  + " (report.html lists every alarm with its cause)")
    con.print(f"wrote {out / 'archive.duckdb'}, {out / 'report.html'}, {out / 'summary.json'}")
    if result.outcome != "completed":  # a physical outcome (re-entry): exit 2, as README says
        from rossim.cli._common import report_ended_early
        from rossim.time import format_event_time

        return report_ended_early(f"{result.outcome} at {format_event_time(result.end_time)}; "
                                  f"outputs in {out} are complete for the span flown")
    return 0
