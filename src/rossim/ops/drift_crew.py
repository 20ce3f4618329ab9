"""Crew ships and a free-drifting station: the manual approach (:class:`DriftCrew`).

The catalog's fast profiles (``time_to_dock_h`` of ``catalog/vehicles.toml``: the Soyuz MS's
two-orbit rendezvous, the Progress MS's) are automatic Kurs approaches, which need a target
that holds its attitude. A station with no working control computer drifts
(:mod:`rossim.ops.free_drift`): an uncrewed ship cannot dock to it at all
(:mod:`rossim.ops.drift_docking`), a crew docks manually after the longer profile with a
fly-around of the target, as Soyuz T-13 did to the dead, slowly rolling Salyut 7 in 1985
(lift-off 1985-06-06 06:39:52 UTC, manual docking 1985-06-08 about 08:50 UTC:
``free_drift.manual_docking_profile_h`` of ``catalog/free_drift.toml``, ``soyuz-t13``). A
ship whose own profile is longer keeps its own (:func:`profile_h`).

* **a crew visit of the plan** (a ship with ``crew > 0``) whose docking comes while the
  station drifts keeps its lift-off and docks the manual profile's length after it
  (:meth:`DriftCrew.intercept`, hook of :meth:`rossim.ops.drift_docking.DriftDocking.
  intercept` at its planned docking instant): a plan edit replayed by
  :func:`rossim.station.build_timeline` (``manual_h``; every check of a scenario applies).
  The visit stays a visit of the plan: its lift-off is the one the planner gave it (its
  window, its pad's turnaround against the plan's other launches, which therefore do not
  move) and its departure keeps its planned date, the longer approach taken off its stay, so
  it holds its port and berths for a part of the time the plan gave it and no visit after it
  moves (no port conflict can arise: unlike a held uncrewed ship,
  :meth:`~rossim.ops.drift_docking.DriftDocking._add`, it needs no other port nor a stay
  cut for a later ship). The crew repairs booked from its arrival (the drift's own repair
  among them, :meth:`rossim.ops.repairs.RepairsMixin.book_repair`) are booked again from
  the new docking (:func:`rossim.ops.repair_crew_tasks.rebook`). A crew visit the run
  itself gave a lift-off (a crew held by a launcher's stand-down and flown after it,
  :mod:`rossim.ops.held_flight`) is moved the same way, its real lift-off kept as :class:`~rossim.ops.commands.Dock` ``lift_off`` keeps
  one. When the edit is refused (the planned departure less than an hour after the new
  docking) it docks as planned with a ``drift-docking`` warning alarm (a limit).

  It is not held on the ground like an uncrewed ship: the hold exists because an automatic
  approach cannot work, and a crew can dock by hand (Soyuz T-13 did; the repair crew of
  :mod:`rossim.ops.crew_callup` does). The planned crew is also the one that repairs the
  drift when no repair crew is called (:meth:`rossim.ops.crew_callup.CrewCallUp.
  drift_began` counts it when it docks sooner, at its manual docking: :func:`docking_s`, and
  its repair is booked on its first day aboard): holding it would leave the drift without
  hands and contradict that decision. Keeping the lift-off is also one plan edit, with no new
  launch window, pad turnaround or port to find.
* **the repair crew** of :mod:`rossim.ops.crew_callup` flies the same profile: its window's
  docking is :func:`profile_h` after the lift-off and its ``Dock`` command carries that
  lift-off (:meth:`DriftCrew.repair_crew_docked` records it).

Events ``manual-docking`` (the edit: lift-off, the fast docking it replaces, the manual
docking, the stay; and the docking itself, with its port), the run summary's
``logistics.manual_dockings`` when any crew docked manually (:meth:`DriftCrew.record`). No
random draw.

Limits: the approach is decided at the planned (fast) docking instant: a crew that lifted off
while the station drifted but whose drift ended before that instant docks on the fast
profile, and one that lifted off before the drift began flies the manual profile from its
lift-off (the approach switched, no extra phasing modelled). Run-time decisions taken between
the lift-off and that instant see the fast docking (the repair crew's stay is set against it
anyway: :mod:`rossim.ops.crew_callup`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rossim.config.free_drift import load_free_drift
from rossim.ops import free_drift
from rossim.ops.later_docking import dock_later
from rossim.ops.repair_crew_tasks import rebook

__all__ = ["DriftCrew", "profile_h", "docking_s", "rebook", "MANUAL", "SOURCE"]

DAY_S = 86400
SOURCE = "soyuz-t13"
MANUAL = ("the station drifts: no attitude held for the fast automatic approach, the crew "
          "docks manually after the longer profile with a fly-around")


def profile_h(veh) -> float:
    """Hours from lift-off to a manual docking of catalog vehicle ``veh`` to a drifting
    station: ``free_drift.manual_docking_profile_h``, or the vehicle's own ``time_to_dock_h``
    when that is longer (or the catalog gives no manual profile)."""
    fig = load_free_drift().manual_docking_profile_h
    own = veh.time_to_dock_h.value
    return own if fig is None else max(own, fig.value)


def docking_s(sim, e) -> int:
    """Run second of the plan's docking ``e`` (a dock event) when the station drifts at it: a
    crew ship (``crew > 0``) docks :func:`profile_h` after its lift-off, not before the plan's
    docking; any other docking at the plan's time."""
    eng = sim.engine
    t = eng.seconds(e.time)
    if e.launch is None or e.crew <= 0 or e.part_kind != "vehicle":
        return t
    veh = sim.timeline.catalog.vehicles[e.catalog_id]
    return max(t, eng.seconds(e.launch) + int(round(profile_h(veh) * 3600)))


class DriftCrew:
    """The crew ships of ``sim`` (a :class:`~rossim.ops.simulation.Simulation`) that dock to
    a drifting station (module docstring). ``ships``: one record per crew ship that docked,
    or was to dock, manually."""

    def __init__(self, sim) -> None:
        self.sim = sim
        self.ships: dict[str, dict[str, Any]] = {}

    @staticmethod
    def _crewed(e) -> bool:
        return (e.part_kind == "vehicle" and e.kind == "dock" and e.crew > 0
                and not getattr(e, "relocation", False))

    # -- at a docking instant of the plan --------------------------------------------------------
    def intercept(self, dd, evs) -> bool:
        """Hook of :meth:`rossim.ops.drift_docking.DriftDocking.intercept` (``dd``): before
        events ``evs`` (this instant) apply, move each crew docking among them to its manual
        docking while the station drifts. True when the plan was edited (this instant's
        events of the new plan then applied here, through ``dd`` for its own checks)."""
        sim, eng = self.sim, self.sim.engine
        if not free_drift.drifting(sim) or sim.outcome != "completed":
            return False
        crews = [e for e in evs if self._crewed(e) and e.part not in self.ships]
        edited = [e.part for e in crews if self._retime(e)]
        if not edited:
            return False
        now_s = eng.now_s
        here = [e for e in sim.timeline.events if eng.seconds(e.time) == now_s]
        if here and not dd.intercept(here):
            starts = [eng.seconds(p.start) for p in sim.timeline.phases]
            sim._plan_events(here, max(k for k, s0 in enumerate(starts) if s0 <= now_s))
        at = min(self._decided_s(self.ships[n]["lift_off"]) for n in edited)
        for line in rebook(sim):
            sim.event("manual-docking", ", ".join(edited), f"crew repair booked again from "
                      f"the manual docking: {line}", "info", source="scheduler", t_s=at)
        return True

    def _decided_s(self, lift: dt.datetime) -> int:
        """Run second the manual profile is chosen, stamped on its events: the lift-off (a
        crew flies the profile it lifted off for), or the drift's start when the station
        began to drift with the ship on its way. The plan edit itself is made at the fast
        profile's docking instant (:meth:`intercept`), where the run meets the docking;
        before stop 48 its events were stamped there, 3.3 h after the lift-off they decide
        (ros-2026-plan, 2034-07-17)."""
        eng = self.sim.engine
        since = getattr(self.sim.autonomy, "drift_since", None)
        return min(max(eng.seconds(lift), since if since is not None else 0), eng.now_s)

    def _retime(self, e) -> bool:
        """The crew docking ``e`` (now, on the fast profile) moves to its lift-off plus
        :func:`profile_h`, its lift-off and departure kept. True when the plan was edited."""
        sim, eng = self.sim, self.sim.engine
        veh = sim.timeline.catalog.vehicles[e.catalog_id]
        name, lift = e.part, e.launch or sim.now
        hours = profile_h(veh)
        new = lift + dt.timedelta(seconds=int(round(hours * 3600)))
        rec = self.ships.setdefault(name, {
            "ship": name, "kind": "planned crew", "vehicle": e.catalog_id, "crew": int(e.crew),
            "lift_off": lift, "fast_docking": e.time, "docking": new, "profile_h": hours,
            "port": e.port, "state": "on its way"})
        if new <= e.time:   # its own profile is as long: it docks now, manually
            rec["docking"] = e.time
            eng.schedule(eng.now_s, lambda _e: self._docked(name), "manual docking")
            return False
        tl, why = dock_later(sim, e, new, hours)   # the plan edit (ops.later_docking)
        if tl is not None:
            dep = next((x.time for x in tl.events
                        if x.part == name and x.kind == "undock"), None)
            stay = "" if dep is None else (
                f"; departure kept {dep:%Y-%m-%d %H:%M}: "
                f"{(dep - new).total_seconds() / DAY_S:.1f} days aboard (planned "
                f"{(dep - e.time).total_seconds() / DAY_S:.1f})")
            if dep is not None:
                rec.update(departure=dep, stay_days=round(
                    (dep - new).total_seconds() / DAY_S, 3), planned_stay_days=round(
                    (dep - e.time).total_seconds() / DAY_S, 3))
            sim.event("manual-docking", name, f"{MANUAL} ({SOURCE}): lifted off "
                      f"{lift:%Y-%m-%d %H:%M}, docks {new:%Y-%m-%d %H:%M}, {hours:g} h "
                      f"after lift-off, not {e.time:%Y-%m-%d %H:%M} on the fast profile "
                      f"({veh.time_to_dock_h.value:g} h){stay}", "warning", source="ground",
                      t_s=self._decided_s(lift))
            eng.schedule(eng.seconds(new), lambda _e: self._docked(name), "manual docking")
            return True
        rec.update(state=f"docked on the fast profile: plan edit refused ({why})",
                   docking=e.time)
        sim.alarm("drift-docking", f"{name} docks on the fast profile to a drifting station",
                  "warning", f"{MANUAL}; the plan edit was refused ({why}): it docks as "
                  "planned (a limitation)", key=f"drift-crew-{name}")
        return False

    def _docked(self, name: str) -> None:
        """The manual docking of ``name`` is due now: record where it docked."""
        sim = self.sim
        rec = self.ships[name]
        port = next((p for p, n in sim.config.occupancy.items() if n == name), None)
        if port is None:
            rec["state"] = "not docked: " + (sim.outcome if sim.outcome != "completed"
                                             else "the plan no longer docks it now")
            return
        rec.update(state="docked manually", port=port)
        sim.event("manual-docking", name, f"docked manually at {port} with {rec['crew']} "
                  f"crew, {rec['profile_h']:g} h after lift-off "
                  f"{rec['lift_off']:%Y-%m-%d %H:%M} ({SOURCE})", "info", source="ground")

    # -- the repair crew (rossim.ops.crew_callup) ------------------------------------------------
    def repair_crew_docked(self, flight: dict[str, Any], fast_h: float, hours: float) -> None:
        """Hook of :meth:`rossim.ops.crew_callup.CrewCallUp._arrive`: the repair crew
        ``flight`` docked manually now, ``hours`` after its lift-off (``fast_h``: its
        vehicle's fast profile)."""
        sim = self.sim
        lift = sim.now - dt.timedelta(seconds=sim.engine.now_s - flight["launch_s"])
        self.ships[flight["name"]] = {
            "ship": flight["name"], "kind": "repair crew", "vehicle": flight["vehicle"],
            "crew": int(flight["crew"]), "lift_off": lift,
            "fast_docking": lift + dt.timedelta(hours=fast_h), "docking": sim.now,
            "profile_h": hours, "port": flight["port"], "stay_days": flight["stay_days"],
            "state": "docked manually"}

    # -- record -----------------------------------------------------------------------------------
    def record(self) -> dict[str, Any] | None:
        """Summary ``logistics.manual_dockings``: the profile and one row per crew ship that
        docked (or was to dock) manually to a drifting station; None when none did."""
        if not self.ships:
            return None
        fig = load_free_drift().manual_docking_profile_h
        rows = [{k: (v.strftime("%Y-%m-%dT%H:%MZ") if isinstance(v, dt.datetime) else v)
                 for k, v in r.items()} for r in self.ships.values()]
        return {"docked_manually": sum(1 for r in rows if r["state"] == "docked manually"),
                "profile_h": fig.value if fig is not None else None,
                "source": SOURCE, "ships": rows}
