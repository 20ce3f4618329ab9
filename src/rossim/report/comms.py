"""Report figures of communications and of propellant use by cause (``report.html``)."""

from __future__ import annotations

import html
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from rossim.ops.contact_windows import uplink_words  # noqa: E402
from rossim.report.plots import fixed_layout, year_axis  # noqa: E402

CAUSE_COLOURS = {"reboost": "#3465a4", "attitude": "#4e9a06", "debris_avoidance": "#cc0000",
                 "phasing": "#f57900", "leak": "#75507b", "host": "#888a85"}


def _dates(t: np.ndarray):
    """Matplotlib date numbers of datetime64 epochs (vectorised: no Python datetimes)."""
    return mdates.date2num(np.asarray(t).astype("datetime64[s]").astype("datetime64[us]"))


def contact_figure(result):
    """Contact minutes per calendar day: ground stations, Luch-5 relays and their union
    (``result.contact["daily"]``, days of ``result.consumables.days``), 7-day means; the
    title says what carried the uplink (:func:`rossim.ops.contact_windows.uplink_words`: no
    relay kind when none was in service)."""
    rec = result.contact
    days = result.consumables.days
    fig, ax = plt.subplots(figsize=(11, 3.6))
    colours = {"union": "#555753", "relay": "#f57900", "ground": "#3465a4"}
    labels = {"union": "union (any link)", "relay": "Luch-5 relays",
              "ground": "ground stations"}
    for kind in ("union", "relay", "ground"):
        v = np.asarray(rec["daily"][kind], dtype=float)[1:-1]     # full days only
        d = days[1:-1]
        if len(v) >= 7:
            k = np.ones(7)
            v = np.convolve(v, k, mode="same") / np.convolve(np.ones(len(v)), k, mode="same")
        ax.plot(_dates(d), v, lw=1.0, color=colours[kind], label=labels[kind],
                ls="--" if kind == "union" else "-")
    ax.set_ylabel("minutes per day (7-day mean)")
    ax.set_ylim(0, 1500)
    ax.axhline(1440, color="grey", lw=0.5)
    ax.legend(fontsize=8, loc="center right")
    year_axis(ax)
    ax.grid(alpha=0.3)
    ax.set_title("Contact per day: ground stations, Luch-5 relays and either\n(uplink via "
                 + uplink_words(rec) + ")", fontsize=10)
    fixed_layout(fig, left=0.75, top=0.55)   # two lines of title
    return fig


def propellant_by_cause_figure(result):
    """Propellant by cause: per year the causes the archive dates (reboosts from the burns,
    debris-avoidance manoeuvres from the events), stacked; and the whole run's ledger by
    cause (``summary["propellant_by_cause_kg"]``) as one stacked bar. A host programme's
    reboosts of the stack (the ISS, while attached: ``source == "host"``) stack apart, in grey."""
    s = result.summary
    by_cause = s.get("propellant_by_cause_kg", {}) or {}
    burns = result.orbit.burns
    ev = [e for e in result.events if e["kind"] == "debris-avoidance" and e["value"]]
    # every year of the run, a year without use included (before, only the years with a
    # use and the two ends had a tick: a zero-use year inside the span had none)
    ends = [int(str(t)[:4]) for t in (result.orbit.epochs[0], result.orbit.epochs[-1])]
    used = {int(str(b.time)[:4]) for b in burns} | {int(str(e["time"])[:4]) for e in ev}
    years = list(range(min(ends[0], *used) if used else ends[0],
                       max(ends[1], *used) + 1 if used else ends[1] + 1))
    yr = np.array(years)
    reb = np.array([sum(b.propellant_kg for b in burns if int(str(b.time)[:4]) == y
                        and b.source != "host") for y in years])
    # a host programme's reboosts of the stack (the ISS, while attached): not the station's
    host = np.array([sum(b.propellant_kg for b in burns if int(str(b.time)[:4]) == y
                         and b.source == "host") for y in years])
    dam = np.array([sum(e["value"] for e in ev if int(str(e["time"])[:4]) == y) for y in years])
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 3.8),
                                  gridspec_kw={"width_ratios": [3, 1]})
    ax.bar(yr, reb, color=CAUSE_COLOURS["reboost"], label="reboosts")
    ax.bar(yr, dam, bottom=reb, color=CAUSE_COLOURS["debris_avoidance"],
           label="debris avoidance")
    if host.any():
        ax.bar(yr, host, bottom=reb + dam, color=CAUSE_COLOURS["host"],
               label="host's reboosts (ISS programme)")
    ax.set_ylabel("kg per calendar year")
    ax.set_xticks(yr)
    ax.tick_params(axis="x", labelsize=8)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, axis="y")
    ax.set_title("Dated uses (burns and manoeuvres)")
    bottom = 0.0
    for cause, kg in by_cause.items():
        if kg <= 0:
            continue
        ax2.bar([0], [kg], bottom=bottom, color=CAUSE_COLOURS.get(cause, "#babdb6"),
                label=f"{cause.replace('_', ' ')} {kg:,.0f} kg")
        bottom += kg
    ax2.set_xticks([])
    ax2.set_ylabel("kg over the run")
    ax2.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax2.set_title("Ledger by cause")
    fig.tight_layout()
    return fig


def comms_sections(result, img) -> list[str]:
    """The report's sections on propellant by cause and contact per day (HTML strings);
    ``img(fig, alt)`` embeds a figure (rossim.report.html)."""

    out = ["<h2>Propellant by cause</h2>",
           img(propellant_by_cause_figure(result), "propellant by cause")]
    if result.contact:
        c = result.summary.get("communications") or {}

        def per_day(key: str) -> str:
            v = c.get(key)
            return f"{v:.0f} min" if v is not None and math.isfinite(v) else "n/a"

        mean_over = ("mean over full days" if any(
            c.get(k) is not None and math.isfinite(c[k]) for k in
            ("ground_minutes_per_day", "relay_minutes_per_day", "union_minutes_per_day"))
            else "no full day in the run (n/a)")
        out += ["<h2>Communications</h2>",
                f"<p>Contact per day, {mean_over}: ground stations "
                f"{per_day('ground_minutes_per_day')}, Luch-5 relays "
                f"{per_day('relay_minutes_per_day')}, either "
                f"{per_day('union_minutes_per_day')}. Requests to the "
                f"ground waited {c.get('requests_waited', 0)} times for an uplink contact, "
                f"via {html.escape(str(c.get('uplink_via', '')))}; mean wait "
                + (f"{c['mean_wait_for_contact_min']:.1f} min" if c.get(
                    "mean_wait_for_contact_min") is not None else "-")
                + ". Windows in the archive table contact_windows.</p>",
                img(contact_figure(result), "contact minutes per day")]
    return out
