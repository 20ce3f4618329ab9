"""The plan as it flew, as one picture: a Gantt chart of the run's launches, climbs, module
dockings, crew and cargo ships per port, spacewalks and free-flyer deployments.

Drawn from what the engine produced (:class:`rossim.ops.simulation.SimulationResult`): the
timeline it ran (``result.timeline``: its events and its launches with their climbs, after
any re-planning), its events table (spacewalks and deployments logged as events) and its
crew tasks; deployments the engine did not log come from the plan it ran
(``result.scenario.free_flyers``). Nothing is read from the scenario file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

COLOURS = {"climb": "#8ae234", "module": "#3465a4", "crew": "#cc0000", "cargo": "#f57900",
           "service": "#75507b", "launch": "#000000", "eva": "#5c3566",
           "free-flyer": "#06989a"}

#: Event kinds (or words in a task kind) that mark a spacewalk.
_EVA_WORDS = ("eva", "spacewalk")
#: A deployment is the engine's executed ``deploy-free-flyer`` command (the release itself;
#: a satellite's later station-keeping burns, ``free-flyer-burn``, are not deployments).
_DEPLOY_SUBJECT = "deploy-free-flyer"


def _utc(t: Any) -> dt.datetime:
    if isinstance(t, dt.datetime):
        return t if t.tzinfo else t.replace(tzinfo=dt.UTC)
    if isinstance(t, np.datetime64):
        t = str(t.astype("datetime64[s]"))
    return dt.datetime.fromisoformat(str(t).replace("Z", "+00:00"))


def plan_rows(result) -> dict[str, Any]:
    """The picture's content: ``bars`` {row: [(start, end, kind, label)]}, ``marks``
    {row: [(time, kind, label)]}, row order in ``rows``. Times UTC datetimes."""
    tl = result.timeline
    end = _utc(result.end_time) if getattr(result, "end_time", None) is not None \
        else tl.scenario.span.end
    bars: dict[str, list] = {}
    marks: dict[str, list] = {}
    module_rows: list[str] = []
    # Launches and climbs, one row per launch (a launch group shares a row).
    row_of_module: dict[str, str] = {}
    notes: dict[str, tuple[dt.datetime, str]] = {}
    for c in tl.climbs:
        row = "launch " + " + ".join(c.modules)
        module_rows.append(row)
        for m in c.modules:
            row_of_module[m] = row
        marks.setdefault(row, []).append((c.launch, "launch", c.launcher_name))
        notes[row] = (c.launch, f"{c.launcher_name} from {c.site}, {c.insertion}; "
                      + (f"climb by {'own engines' if c.climber_kind == 'own' else c.climber}"
                         f", {c.propellant_kg:.0f} kg, {c.days:g} d"
                         if c.climber_kind != "upper-stage" else "upper stage to the orbit"))
        if c.docked > c.launch:
            bars.setdefault(row, []).append((c.launch, c.docked, "climb", c.climber_name))
    # Module dockings until separation or the end; ships per port, dock to undock. A ship
    # planned to "auto" is drawn at the port the plan gave it (the phases' occupancy).
    given_port: dict[str, str] = {}
    for ph in tl.phases:
        for port, who in ph.occupancy.items():
            given_port.setdefault(who, port)
    open_: dict[str, tuple[dt.datetime, str, str]] = {}
    for ev in tl.events:
        if ev.part_kind == "module":
            row = row_of_module.get(ev.part, f"module {ev.part}")
            if ev.kind == "dock":
                if row not in module_rows:
                    module_rows.append(row)
                open_[ev.part] = (ev.time, "module", row)
            elif ev.part in open_:
                t0, kind, row = open_.pop(ev.part)
                bars.setdefault(row, []).append((t0, ev.time, kind, ev.part))
        else:
            kind = tl.catalog.vehicles[ev.catalog_id].kind
            if ev.kind == "dock":
                port = given_port.get(ev.part, ev.port) if ev.port == "auto" else ev.port
                open_[ev.part] = (ev.time, kind, f"port {port}")
            elif ev.part in open_:
                t0, kind, row = open_.pop(ev.part)
                bars.setdefault(row, []).append((t0, ev.time, kind, ev.part))
    for part, (t0, kind, row) in open_.items():
        bars.setdefault(row, []).append((t0, end, kind, part))
    # Spacewalks: events or crew tasks of that kind; deployments: events, else the run's plan.
    deploy_logged = False
    for e in result.events:
        k = str(e.get("kind", "")).lower()
        if any(w in k for w in _EVA_WORDS):
            marks.setdefault("spacewalks", []).append((_utc(e["time"]), "eva", e["subject"]))
        elif k == "command" and e.get("subject") == _DEPLOY_SUBJECT:
            deploy_logged = True
            marks.setdefault("free-flyers", []).append((_utc(e["time"]), "free-flyer",
                                                        e["subject"]))
    for task in getattr(result, "tasks", []):
        if task.start and any(w in str(task.kind).lower() for w in _EVA_WORDS):
            t0 = _utc(task.start)
            bars.setdefault("spacewalks", []).append(
                (t0, t0 + dt.timedelta(hours=task.duration_h), "eva", task.kind))
    if not deploy_logged and result.scenario.free_flyers is not None:
        for d in result.scenario.free_flyers.deployments:
            marks.setdefault("free-flyers", []).append(
                (_utc(d.date), "free-flyer", f"{d.count} x {d.mass_kg:g} kg"))
    ports = sorted((r for r in bars if r.startswith("port ")),
                   key=lambda r: min(b[0] for b in bars[r]))
    rows = module_rows + ports + [r for r in ("spacewalks", "free-flyers")
                                  if r in bars or r in marks]
    return {"rows": rows, "bars": bars, "marks": marks, "notes": notes,
            "start": tl.scenario.span.start, "end": end}


def plan_timeline_figure(result):
    """Gantt chart of the run's plan (see the module docstring); returns the figure."""
    data = plan_rows(result)
    rows = data["rows"]
    fig, ax = plt.subplots(figsize=(12, 0.3 * len(rows) + 1.8))
    spans = [(y, b) for y, r in enumerate(rows) for b in data["bars"].get(r, [])]
    if spans:  # one barh call for all bars
        ys = [y for y, _ in spans]
        left = np.asarray(mdates.date2num([b[0] for _, b in spans]))
        right = np.asarray(mdates.date2num([b[1] for _, b in spans]))
        height = [0.35 if b[2] == "module" else 0.7 for _, b in spans]
        ax.barh(ys, np.maximum(right - left, 1.0), left=left, height=height,
                color=[COLOURS.get(b[2], "grey") for _, b in spans], edgecolor="none")
    for kind, marker in (("launch", "^"), ("eva", "*"), ("free-flyer", "D")):
        pts = [(mdates.date2num(t), y) for y, r in enumerate(rows)
               for t, k, _ in data["marks"].get(r, []) if k == kind]
        if pts:
            xs, ys = zip(*pts, strict=True)
            ax.scatter(xs, ys, marker=marker, s=40, color=COLOURS[kind], zorder=3)
    for y, r in enumerate(rows):
        if r in data["notes"]:
            t, text = data["notes"][r]
            ax.text(mdates.date2num(t), y - 0.22, " " + text.replace("$", r"\$"), fontsize=6,
                    va="bottom", ha="left", color="#2e3436")
    ax.set_yticks(range(len(rows)), [r.replace("$", r"\$") for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(mdates.date2num(data["start"]), mdates.date2num(data["end"]))
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="x", alpha=0.3)
    name = result.scenario.name.replace("$", r"\$")
    ax.set_title(f"{name}: the plan as run (launches, climbs, dockings per port, spacewalks, "
                 "free-flyers)", fontsize=10)
    handles = [plt.Rectangle((0, 0), 1, 1, color=COLOURS[k])
               for k in ("climb", "module", "crew", "cargo", "service")]
    labels = ["climb to the station", "module docked", "crew ship", "cargo ship",
              "service vehicle"]
    for kind, marker, label in (("launch", "^", "launch"), ("eva", "*", "spacewalk"),
                                ("free-flyer", "D", "free-flyer deployment")):
        handles.append(plt.Line2D([], [], marker=marker, linestyle="none",
                                  color=COLOURS[kind]))
        labels.append(label)
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    fig.tight_layout()
    return fig
