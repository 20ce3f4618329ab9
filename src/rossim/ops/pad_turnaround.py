"""Launch-pad turnaround: no two lift-offs from one pad closer than its
``pad_turnaround_days`` (:func:`clear_of`, :func:`lift_offs`).

A pad flies one rocket at a time: after a launch it is cleaned up and the next rocket is
rolled out, erected and fuelled. The catalog gives each launch site the least time between
two lift-offs from it (``catalog/sites.toml`` ``pad_turnaround_days``, estimates: 14 days for
the Soyuz pads, the shortest Soyuz-2 interval found from Baikonur Site 31 being 14.8 days,
Progress MS-22 on 2023-02-09 to the uncrewed Soyuz MS-23 on 2023-02-24,
``russianspaceweb-progress-ms22``, ``wikipedia-soyuz-ms23``; 30 days for the Angara and Proton
pads). A ship the run gives a lift-off (a cargo call-up, a repair-crew call-up, a ship held on
the ground during a free drift: :func:`rossim.ops.callup_launch.window_lift_off`; a held
module's re-launch: :mod:`rossim.ops.drift_docking`) keeps it against every lift-off from the
same pad the run knows of (:func:`lift_offs`), before or after its own:

* the plan's visits and assembly launches: the dock events of the plan
  (:attr:`rossim.station.Timeline.events`) carry their lift-off and pad (``launch``,
  ``site``); a ship held on the ground is left out (it has not flown);
* cargo call-up ships given a lift-off (:mod:`rossim.ops.cargo_callup`; not those held or not
  flown) and repair-crew call-up ships (:mod:`rossim.ops.crew_callup`; not those not flown);
* ships that lifted off and loiter or were lost around a free drift (withdrawn from the plan,
  their lift-off kept: :mod:`rossim.ops.drift_docking`);
* a campaign's planned launches that failed (the scenario's stand-downs naming a ``site``:
  :class:`rossim.config.stand_down.LauncherStandDown`).

While the station drifts, the lift-offs still ahead of uncrewed ships and modules (the plan's
ships with no crew and its module launches, and cargo call-ups) are left out: they will be held
on the ground (:mod:`rossim.ops.drift_docking`) and, after the drift, keep the turnaround themselves; a
repair crew is not delayed by a launch that will not happen. (One whose planned lift-off
falls after the drift's end, yet within the turnaround after the repair crew's, flies as
planned: a limit.)

A window whose lift-off falls within the turnaround of one of them moves to the first
allowed window on or after that lift-off plus the turnaround (and again, until clear).
The plan's own launches keep the turnaround against each other already: the planner slips them
(:mod:`rossim.station.pad_plan`), so the lift-offs of its dock events are the slipped ones.
Limit: a ship never moves to another pad.
"""

from __future__ import annotations

from typing import Any

__all__ = ["clear_of", "lift_offs", "note", "turnaround_s"]

DAY_S = 86400


def turnaround_s(site: Any) -> int:
    """The pad's turnaround (s): ``pad_turnaround_days`` of catalog site ``site``, 0 when the
    site gives none."""
    fig = getattr(site, "pad_turnaround_days", None)
    return 0 if fig is None else int(round(fig.value * DAY_S))


def lift_offs(sim: Any, site_id: str, skip: frozenset[str] = frozenset()
              ) -> list[tuple[int, str]]:
    """``(run second, ship)`` of every lift-off from pad ``site_id`` the run knows of (module
    docstring), in time order (a ship may appear twice: a call-up docked is also a visit of
    the plan), but those of the ships (or modules) named in ``skip``."""
    from rossim.ops import free_drift

    eng = sim.engine
    dd = getattr(sim, "drift_docking", None)
    ships = dd.ships if dd is not None else {}
    held = {n for n, r in ships.items() if r.get("state") == "held"}
    # while the station drifts, an uncrewed ship or module not yet lifted off will be held on
    # the ground (rossim.ops.drift_docking): its planned lift-off does not take the pad
    drifting = free_drift.drifting(sim)
    out: list[tuple[int, str]] = []
    for e in sim.timeline.events:
        if e.kind == "dock" and e.launch is not None and getattr(e, "site", None) == site_id \
                and e.part not in held:
            t = eng.seconds(e.launch)
            if drifting and t > eng.now_s and e.crew == 0:   # a ship or a module
                continue
            out.append((t, e.part))
    # a campaign's planned launch that failed took its pad (rossim.station.pad_plan)
    from rossim.station.pad_plan import failed_launch

    for sd in getattr(getattr(sim.scenario, "operations", None), "launcher_stand_downs", ()):
        if sd.site == site_id:
            out.append((eng.seconds(sd.failed), failed_launch(sd)))
    cargo = getattr(sim, "cargo_callup", None)
    for f in getattr(cargo, "flights", ()):
        if f.get("site") == site_id and not f["state"].startswith(("held", "not flown")) \
                and not (drifting and f["times_s"][0] > eng.now_s):
            out.append((f["times_s"][0], f["name"]))
    crew = getattr(sim, "crew_callup", None)
    for f in getattr(crew, "flights", ()):
        if f.get("site") == site_id and not f["state"].startswith("not flown"):
            out.append((f["launch_s"], f["name"]))
    for name, r in ships.items():   # lifted off before a drift, withdrawn from the plan
        v = dd.visits.get(name)
        if r.get("kind") == "loitered" and v is not None and r.get("lift_off") is not None \
                and dd.pad(v).id == site_id:   # lift_off: the plan event's (UTC datetime)
            out.append((eng.seconds(r["lift_off"]), name))
    return sorted(x for x in out if x[1] not in skip)


def clear_of(sim: Any, site: Any, t_s: int, skip: frozenset[str] = frozenset()
             ) -> tuple[int, str | None]:
    """``(run second, ship)``: the first run second on or after ``t_s`` at least the
    turnaround of pad ``site`` (a catalog site) away from every lift-off from it the run knows
    of (:func:`lift_offs`; ``skip`` left out), and the ship whose lift-off last moved it
    (None when ``t_s`` is clear)."""
    gap = turnaround_s(site)
    if gap <= 0:
        return t_s, None
    t, who = t_s, None
    for lift, name in lift_offs(sim, site.id, skip):  # time order: each push only moves later
        if abs(t - lift) < gap:
            t, who = lift + gap, name
    return t, who


def note(site: Any, window: dict) -> str:
    """Text for an event: "" when the window of :func:`rossim.ops.callup_launch.
    window_lift_off` was not moved by the pad, else why (the ship and the turnaround)."""
    who = window.get("after_pad")
    if who is None:
        return ""
    return (f"; {site.name_en} busy: {turnaround_s(site) / DAY_S:g}-day pad turnaround "
            f"after {who}'s lift-off")
