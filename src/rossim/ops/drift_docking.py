"""Uncrewed ships and a free-drifting station (:class:`DriftDocking`).

An uncrewed ship docks automatically (the Kurs radar system): the approach needs a target that
holds its attitude. A station with no working control computer drifts
(:mod:`rossim.ops.free_drift`): nothing docked to the dead Salyut 7 in 1985 before the repair
crew of Soyuz T-13 docked manually (``soyuz-t13``). The ground therefore treats every ship
with no crew aboard (a visit with ``crew = 0``: a Progress, an uncrewed crew ship, a cargo
call-up ship of :mod:`rossim.ops.cargo_callup`) as follows:

* **held on the ground**: a ship not yet lifted off while the station drifts (the drift began
  before its lift-off) is held. It leaves the plan (a plan edit replayed by
  :func:`rossim.station.build_timeline`, as the ground's :class:`~rossim.ops.commands.Dock`
  commands are); when the drift ends (:meth:`DriftDocking.drift_ended`, hook of
  :func:`rossim.ops.free_drift.ended`) it lifts off at the first allowed in-plane window of
  its pad on or after the drift's end that keeps the pad's turnaround
  (``pad_turnaround_days`` of ``catalog/sites.toml``) from every lift-off from that pad the
  run knows of: the plan's launches, the call-up ships and the ships held before it (held
  ships fly in the order they were held; :func:`rossim.ops.callup_launch.window_lift_off`,
  :mod:`rossim.ops.pad_turnaround`), and docks ``time_to_dock_h`` later with its own
  manifest and stay at its planned port, else a free port that fits, else its port with the
  stay shortened to leave a day before the next ship planned there (a plan edit again;
  :meth:`DriftDocking._add`). With no port free then, the ground holds its launch to a
  window that docks once a port frees, up to the 30 days a cargo call-up ship waits for a
  port (:mod:`rossim.ops.held_flight`). A held call-up ship flies the same way (its pad's
  turnaround kept) and docks by its own path (it waits in orbit for a port), unless another
  ship brought its spares first (stood down: :mod:`rossim.ops.callup_stand_down`). If the drift
  never ends, the new docking falls after the run's end, or no port frees in time, it is not
  flown;
* **loitering**: a ship that lifted off before the drift began and reaches the drifting
  station cannot dock; it leaves the plan and tries again every day until its autonomous
  flight from lift-off would exceed ``free_drift.uncrewed_loiter_days``
  (``catalog/free_drift.toml``); it docks at the first daily try after the drift's end (the
  real lift-off kept, as :class:`~rossim.ops.commands.Dock` ``lift_off`` does). Past that
  limit it is
  de-orbited with its cargo: nothing it carried (propellant, water, oxygen, food, spares)
  reaches the station, so every ledger stays balanced (an undelivered ship is never counted);
  a ``drift-docking`` event and a ``logistics`` warning alarm name the cause. Each repair
  still waiting for a spare it carried (a call-up ship's, or any waiting repair no call-up
  ship carries for a planned cargo ship: spares are packed at docking) calls up a ship again
  at once, with the usual lead (:func:`rossim.ops.callup_loss.recall_spares`, as for a
  call-up lost at launch); a propellant need is found by the next re-check (the ship is no
  longer on its way);
* crew ships with a crew dock manually, after the longer manual profile: a planned crew keeps
  its lift-off and its docking moves (:mod:`rossim.ops.drift_crew`, hook at the head of
  :meth:`DriftDocking.intercept`), the repair crew of :mod:`rossim.ops.crew_callup` flies that
  profile;
* a module's arrival (its own engines or a tug, also an automatic docking) launched during
  the drift is held the same way: its assembly launch (with the held modules of its launch
  group) leaves the plan (``enabled`` false) and, when the drift ends, launches on or after
  that day (the planner times its window and climb; its pad's turnaround kept). A module
  launched before the drift has no re-launch: it docks as planned with one ``drift-docking``
  warning alarm (a limitation; summary ``modules_docked_while_drifting``). A held module's
  later dependants (a module or ship docking at its ports before its new arrival) make the
  plan edit refused: it then docks as planned with that alarm.

A ground or operator :class:`~rossim.ops.commands.Dock` of an uncrewed ship while drifting is
refused with that cause (hook in :mod:`rossim.ops.commanding`). Events ``drift-docking``
(held, loitering, docked, not flown, de-orbited), the run summary's
``logistics.drift_docking`` when anything happened (:meth:`DriftDocking.record`). No random
draw: the same seed gives the same decisions.

Limits of this version: a cargo call-up ship and a module are judged at their docking (held
if the drift began before their lift-off), so one whose lift-off fell in a drift that ended
before its docking docks as planned. (The plan's own launches are spaced by the pad turnaround
by the planner: :mod:`rossim.station.pad_plan`.)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rossim.config.free_drift import load_free_drift
from rossim.ops import callup_loss, free_drift, held_flight
from rossim.ops.launcher_stand_down import note as stand_down_note
from rossim.ops.pad_turnaround import clear_of
from rossim.ops.pad_turnaround import note as pad_note

__all__ = ["DriftDocking", "AUTO_DOCKING"]

DAY_S = 86400
SOURCE = "soyuz-t13"
AUTO_DOCKING = ("an uncrewed ship docks automatically and needs a target that holds its "
                "attitude: the station drifts with no working control computer")


class DriftDocking:
    """The uncrewed ships of ``sim`` (a :class:`~rossim.ops.simulation.Simulation`) around a
    free drift (module docstring). ``ships``: one record per ship held, loitering, docked
    late, not flown or lost."""

    def __init__(self, sim) -> None:
        self.sim = sim
        self.ships: dict[str, dict[str, Any]] = {}
        self.windows = None  # the launch-window finder (rossim.ops.callup_launch)
        self.visits: dict[str, Any] = {}  # withdrawn visits (name -> scenario Visit)
        lim = load_free_drift().uncrewed_loiter_days
        self.limit_days = lim.value if lim is not None else float("inf")
        self.callups: dict[str, tuple] = {}  # held call-up ships: name -> (loop, flight)
        self.module_alarms: list[str] = []

    # -- the state -------------------------------------------------------------------------------
    def _since(self) -> int:
        """Run second the drift began (the autonomy's detection; now if not yet detected)."""
        since = getattr(self.sim.autonomy, "drift_since", None)
        return self.sim.engine.now_s if since is None else since

    def _rec(self, name: str, **kw) -> dict[str, Any]:
        rec = self.ships.setdefault(name, {"ship": name, "history": []})
        rec.update(kw)
        return rec

    def _note(self, rec: dict[str, Any], text: str, severity: str = "info",
              t_s: int | None = None) -> None:
        """An event (and a line of the ship's history) at ``t_s`` (run second, default now:
        a decision the run meets later than it was made is stamped when it was made)."""
        sim = self.sim
        t_s = sim.engine.now_s if t_s is None else t_s
        rec["history"].append(f"{sim.iso(t_s)[:16]} {text}")
        sim.event("drift-docking", rec["ship"], text, severity, source="ground", t_s=t_s)

    # -- the drift begins: ships not yet lifted off ---------------------------------------------
    def drift_began(self) -> None:
        """Hook of :func:`rossim.ops.free_drift.began`: each uncrewed ship of the plan that
        lifts off later is checked at its lift-off (held if the station still drifts)."""
        sim, eng = self.sim, self.sim.engine
        for e in sim.timeline.events:
            if not self._uncrewed_dock(e):
                continue
            lift = e.launch or e.time
            t_lift = eng.seconds(lift)
            if t_lift > eng.now_s and eng.seconds(e.time) > eng.now_s:
                eng.schedule(t_lift, lambda _e, n=e.part: self._at_lift_off(n), "drift hold")

    def _uncrewed_dock(self, e) -> bool:
        return (e.part_kind == "vehicle" and e.kind == "dock" and e.crew == 0
                and not getattr(e, "relocation", False))

    def _at_lift_off(self, name: str) -> None:
        """The planned lift-off of ``name``: held on the ground while the station drifts."""
        sim = self.sim
        if not free_drift.drifting(sim) or sim.outcome != "completed":
            return
        ev = next((e for e in sim.timeline.events if e.part == name and e.kind == "dock"),
                  None)
        if ev is None or sim.engine.seconds(ev.time) <= sim.engine.now_s:
            return
        rec = self._rec(name, state="held", kind="held", planned_docking=sim.iso(
            sim.engine.seconds(ev.time)), vehicle=ev.catalog_id)
        self._note(rec, f"lift-off held on the ground (planned docking "
                   f"{rec['planned_docking'][:16]}): {AUTO_DOCKING} ({SOURCE})", "warning")
        sim.alarm("logistics", f"{name}: launch held, the station drifts", "warning",
                  f"{AUTO_DOCKING}; the ship lifts off at the first window after the drift "
                  "ends", key=f"drift-held-{name}")

    # -- at a docking instant of the plan --------------------------------------------------------
    def intercept(self, evs) -> bool:
        """Hook of the plan's event action (:meth:`rossim.ops.simulation.Simulation.
        _schedule_plan_events`): before events ``evs`` (this instant) apply, withdraw each
        uncrewed docking while the station drifts, or of a ship held on the ground. True
        when the plan was edited (the rest of this instant's events then applied here)."""
        sim, eng = self.sim, self.sim.engine
        crew = getattr(sim, "drift_crew", None)  # hook: a crew docks manually (ops.drift_crew)
        if crew is not None and crew.intercept(self, evs):
            return True
        drifting = free_drift.drifting(sim)
        since = self._since()
        mods = [e for e in evs if e.part_kind == "module" and e.kind == "dock" and drifting]
        for e in mods:  # launched before the drift: it docks (a limitation, module docstring)
            if e.launch is None or eng.seconds(e.launch) < since:
                self._module_warning(e.part)
        hold = {e.part for e in mods if e.part not in self.module_alarms}
        stop = [e for e in evs if self._uncrewed_dock(e) and (
            drifting or self.ships.get(e.part, {}).get("state") == "held")]
        if not stop and not hold:
            return False
        for e in stop:
            lift_s = eng.seconds(e.launch) if e.launch is not None else eng.now_s
            rec = self.ships.get(e.part)
            held = (rec is not None and rec.get("state") == "held") or since <= lift_s
            rec = self._rec(e.part, vehicle=e.catalog_id,
                            planned_docking=sim.iso(eng.now_s))
            if held:
                if rec.get("state") != "held":
                    self._note(rec, f"lift-off held on the ground: {AUTO_DOCKING} ({SOURCE})",
                               "warning")
                rec.update(state="held", kind="held")
            else:
                rec.update(state="loitering", kind="loitered", lift_off=e.launch, port=e.port)
                self._note(rec, f"cannot dock: {AUTO_DOCKING}; loiters in orbit since "
                           f"lift-off {sim.iso(lift_s)[:16]} and tries again daily, for "
                           f"{self.limit_days:g} days of autonomous flight at most", "warning")
                sim.alarm("logistics", f"{e.part} cannot dock: the station drifts",
                          "warning", AUTO_DOCKING, key=f"drift-loiter-{e.part}")
        names = {e.part for e in stop}
        asm = [a.model_copy(update={"enabled": False}) if a.module in hold else a
               for a in sim.scenario.assembly] if hold else None
        if not self._edit(names, [], pending=True, assembly=asm):
            for n in names:  # the edit is refused: the plan docks them (recorded as such)
                self._rec(n, state="docked (edit refused)")
            for m in sorted(hold):
                self._module_warning(m)
            return False
        for m in sorted(hold):
            rec = self._rec(m, kind="held", state="held", module=True,
                            planned_docking=sim.iso(eng.now_s))
            self._note(rec, f"module launch held on the ground: {AUTO_DOCKING} ({SOURCE})",
                       "warning")
        for e in stop:
            if self.ships[e.part]["state"] == "loitering":
                self._retry_at(e.part, eng.now_s + DAY_S)
        return True

    def _module_warning(self, module: str) -> None:
        if module in self.module_alarms:
            return
        self.module_alarms.append(module)
        self.sim.alarm("drift-docking", f"module {module} docks to a drifting station",
                       "warning", f"{AUTO_DOCKING}; module arrivals are not held in this "
                       "version (the assembly plan depends on them)",
                       key=f"drift-module-{module}")

    # -- plan edits -------------------------------------------------------------------------------
    def _edit(self, remove: set[str], add: list, *, pending: bool = False,
              flown_add: frozenset[str] = frozenset(), lift_offs=None, assembly=None) -> bool:
        """Withdraw the visits ``remove`` and add ``add`` (scenario visits), replayed from
        now (``assembly``: the scenario's assembly launches replaced); ``pending``: this
        instant's plan events are not applied yet (apply them all). False (nothing changed)
        when :func:`rossim.station.build_timeline` refuses."""
        sim = self.sim
        groups: dict[str, Any] = sim._explicit_visits()
        for g, vs in groups.items():
            keep = []
            for v in vs:
                if v.part_name in remove:
                    self.visits[v.part_name] = v
                else:
                    keep.append(v)
            groups[g] = keep
        for v in add:
            groups["crew_visits" if v.crew > 0 else "cargo_visits"].append(v)
        if assembly is not None:
            groups["assembly"] = assembly
        flown = frozenset(sim._flown | flown_add)
        scen, tl, why = sim._rebuild_plan(groups, flown, lift_offs)
        if tl is None:
            self.last_refusal = why
            return False
        sim._install_plan(scen, tl, flown, lift_offs)
        eng = sim.engine
        now_s = eng.now_s
        parts = {v.part_name for v in add}
        here = [e for e in tl.events if eng.seconds(e.time) == now_s
                and (pending or e.part in parts)]
        starts = [eng.seconds(p.start) for p in tl.phases]
        i = max(k for k, s0 in enumerate(starts) if s0 <= now_s)
        sim._plan_events(here, i)
        sim._schedule_plan_events(after_s=now_s)
        return True

    # -- loitering ships --------------------------------------------------------------------------
    def _retry_at(self, name: str, t_s: int) -> None:
        self.sim.engine.schedule(t_s, lambda _e: self._retry(name), "drift loiter")

    def _retry(self, name: str) -> None:
        """A loitering ship's daily try: docks if the station holds attitude again, else
        loiters on, or is de-orbited at its autonomous-flight limit."""
        sim, eng = self.sim, self.sim.engine
        rec = self.ships[name]
        if rec["state"] != "loitering" or sim.outcome != "completed":
            return
        lift_s = eng.seconds(rec["lift_off"])
        flown_days = (eng.now_s - lift_s) / DAY_S
        if not free_drift.drifting(sim):
            v = self.visits[name]
            veh = sim.timeline.catalog.vehicles[v.vehicle]
            launch = sim.now - dt.timedelta(hours=veh.time_to_dock_h.value)
            lift_offs = {**sim._lift_offs, name: min(rec["lift_off"], launch)}
            how = self._add(v, name, launch, eng.now_s, lift_offs)
            if how:
                rec.update(state="docked late", docked=sim.iso(eng.now_s))
                self._note(rec, f"docked after loitering {flown_days:.1f} days since "
                           f"lift-off (attitude control back){how}")
                return
        if flown_days + 1.0 > self.limit_days or eng.now_s + DAY_S >= eng.t_end_s:
            if eng.now_s + DAY_S >= eng.t_end_s and flown_days + 1.0 <= self.limit_days:
                rec["state"] = "loitering at the run's end"
                return
            rec.update(state="de-orbited", lost=sim.iso(eng.now_s))
            why = (AUTO_DOCKING if free_drift.drifting(sim) else
                   f"no port took it: {getattr(self, 'last_refusal', '')}")
            self._note(rec, f"de-orbited with its cargo after {flown_days:.1f} days of "
                       f"autonomous flight (limit {self.limit_days:g} days): {why}; nothing it "
                       "carried is delivered", "warning")
            sim.alarm("logistics", f"{name} lost: de-orbited with its cargo", "warning",
                      f"{why}; its autonomous flight (limit {self.limit_days:g} days, "
                      "free_drift.uncrewed_loiter_days) ran out", key=f"drift-lost-{name}")
            callup_loss.plan_ship_lost(sim, name, rec["vehicle"])  # hook: its spares again
            return
        self._retry_at(name, eng.now_s + DAY_S)

    # -- the drift ends: ships held on the ground fly -------------------------------------------
    def drift_ended(self) -> None:
        """Hook of :func:`rossim.ops.free_drift.ended`: every ship held on the ground lifts
        off at the first allowed window on or after now (one plan edit each)."""
        sim = self.sim
        for name, rec in self.ships.items():
            if rec["state"] != "held":
                continue
            if name in self.callups:  # a cargo call-up ship (rossim.ops.cargo_callup)
                self._release_callup(*self.callups.pop(name), rec)
                continue
            if rec.get("module"):
                self._release_module(name, rec)
                continue
            ev = next((e for e in sim.timeline.events if e.part == name and e.kind == "dock"),
                      None)
            if ev is not None:  # held at lift-off, its planned docking still ahead: withdraw
                self._edit({name}, [])
            v = self.visits.get(name)
            if v is not None:
                held_flight.fly(self, name, rec, v)   # its pad's turnaround, a port's wait

    def _release_module(self, name: str, rec: dict[str, Any]) -> None:
        """A held module (with the held modules of its launch group) launches on or after
        now, its pad's turnaround kept (:func:`rossim.ops.pad_turnaround.clear_of`: a launch
        the planner times too close to another from the pad is asked again from that one's
        lift-off plus the turnaround): the planner times its window and climb
        (:func:`rossim.station.build_timeline`)."""
        sim, eng = self.sim, self.sim.engine
        cat = sim.timeline.catalog
        me = next(a for a in sim.scenario.assembly if a.module == name)
        if me.enabled:  # flown with its launch group already
            return None
        site = cat.sites[me.site or cat.launchers[me.launcher or
                                                   cat.modules[name].launcher].site]
        base = sim.scenario.assembly
        group = frozenset(a.module for a in base if not a.enabled and (
            a.module == name or (me.launch_group and a.launch_group == me.launch_group)))
        t_s, ev = clear_of(sim, site, eng.now_s, group)[0], None
        for _try in range(50):   # the planner lifts off on or after `when`: each try later
            if ev is not None and t_s <= eng.seconds(ev.launch):
                break
            when = sim.now + dt.timedelta(seconds=t_s - eng.now_s)
            asm = [a.model_copy(update={"enabled": True, "launch": when}) if a.module in group
                   else a for a in base]
            if not self._edit(set(), [], assembly=asm):
                rec["state"] = "not flown: " + getattr(self, "last_refusal", "plan refused")
                return self._note(rec, rec["state"], "warning")
            ev = next((e for e in sim.timeline.events if e.part == name and e.kind == "dock"
                       and e.part_kind == "module" and eng.seconds(e.time) > eng.now_s), None)
            if ev is None:
                rec["state"] = "not flown: its docking would fall after the run"
                return self._note(rec, rec["state"], "warning")
            t_s = clear_of(sim, site, eng.seconds(ev.launch), group)[0]  # later, if moved
        for m in group:
            self.ships.get(m, {}).update(state="flown after the drift")
        rec.update(state="flown after the drift", lift_off=ev.launch, docking=ev.time)
        self._note(rec, f"drift over: launches {ev.launch:%Y-%m-%d %H:%M}, docks "
                   f"{ev.time:%Y-%m-%d %H:%M} ({ev.detail})")
        return None

    def _add(self, v, name: str, launch: dt.datetime, dock_s: int, lift_offs=None) -> str:
        """Put the withdrawn visit ``v`` back as ``name``, lifting off at ``launch`` (UTC, a
        lift-off: ``flown``) and docking at run second ``dock_s``: at its planned port, else
        any free port that fits (``auto``), else at its port with the stay shortened to leave
        a day before the next ship planned there (at least a day). Returns how (non-empty
        text) or "" when every try is refused (the plan unchanged)."""
        sim, eng = self.sim, self.sim.engine
        tries = [(v.port, v.duration_days, ""), ("auto", v.duration_days, "")]
        nxt = min((eng.seconds(e.time) for e in sim.timeline.events if e.kind == "dock"
                   and e.port == v.port and eng.seconds(e.time) > dock_s), default=None)
        if nxt is not None:
            short = (nxt - dock_s) / DAY_S - 1.0
            if 1.0 <= short < v.duration_days:
                tries.append((v.port, short, f"; stay shortened to {short:.1f} days: the next "
                              f"ship at {v.port} docks {sim.iso(nxt)[:10]}"))
        for port, days, how in tries:
            nv = v.model_copy(update={"launch": launch, "name": name, "port": port,
                                      "duration_days": days})
            if self._edit(set(), [nv], flown_add=frozenset({name}), lift_offs=lift_offs):
                got = next((p for p, n in sim.config.occupancy.items() if n == name), None)
                return how or (f" at {port}" if port != "auto" else " at a free port") + (
                    "" if got is None else f" ({got})")
        return ""

    def pad(self, v):
        """The pad (catalog site) visit ``v`` flies from (its own, else the vehicle's, else
        the launcher's)."""
        from rossim.config.stand_down import site_of

        cat = self.sim.timeline.catalog
        return cat.sites[site_of(cat, v)]

    # -- call-up ships (rossim.ops.cargo_callup) ------------------------------------------------
    def callup_arrives(self, callup, flight: dict[str, Any], tries: int) -> bool:
        """Hook of :meth:`rossim.ops.cargo_callup.CargoCallUp._arrive`: True when the
        call-up ship cannot dock now (held on the ground or loitering; handled here)."""
        sim, eng = self.sim, self.sim.engine
        if not free_drift.drifting(sim):
            return False
        name = flight["name"]
        lift_s = flight["times_s"][0]
        rec = self.ships.get(name)
        if rec is None or rec["state"] != "loitering":
            kind = "held" if self._since() <= lift_s else "loitered"
            rec = self._rec(name, vehicle=flight["vehicle"], planned_docking=flight["arrival"],
                            kind=kind, state="held" if kind == "held" else "loitering")
            # a hold is the ground's decision at the lift-off it stops (met here, at the
            # would-be arrival: before stop 48 stamped there, 3.3 h after that lift-off)
            at = lift_s if kind == "held" else None
            self._note(rec, ("lift-off held on the ground: " if rec["state"] == "held" else
                             "cannot dock, loiters: ") + AUTO_DOCKING, "warning", t_s=at)
            sim.alarm("logistics", f"{name}: the station drifts", "warning", AUTO_DOCKING,
                      key=f"drift-callup-{name}", t_s=at)
        if rec["state"] == "held":
            self.callups[name] = (callup, flight)
            flight["state"] = "held on the ground: the station drifts"
            return True
        flown_days = (eng.now_s - lift_s) / DAY_S
        if flown_days + 1.0 > self.limit_days:
            rec.update(state="de-orbited", lost=sim.iso(eng.now_s))
            flight["state"] = "de-orbited: the station drifted"
            self._note(rec, f"de-orbited with its cargo after {flown_days:.1f} days of "
                       f"autonomous flight: {AUTO_DOCKING}", "warning")
            sim.alarm("logistics", f"{name} lost: de-orbited with its cargo", "warning",
                      AUTO_DOCKING, key=f"drift-lost-{name}")
            callup_loss.recall_spares(callup, name, flight["reasons"],
                                      "de-orbited with its cargo")   # hook: its spares again
            return True
        eng.schedule(eng.now_s + DAY_S, lambda _e: callup._arrive(flight, tries),
                     "cargo call-up")
        return True

    def _release_callup(self, callup, flight, rec) -> None:
        """A held call-up ship flies at the first window after the drift (its pad's
        turnaround kept: :func:`rossim.ops.callup_launch.window_lift_off`), docking by its
        own path (:meth:`rossim.ops.cargo_callup.CargoCallUp._arrive`, which waits in orbit
        for a port); its launch drawn to fail at the call is lost at that lift-off
        (:func:`rossim.ops.callup_loss.released`). One stood down meanwhile
        (:mod:`rossim.ops.callup_stand_down`) stays on the ground."""
        sim, eng = self.sim, self.sim.engine
        if flight["state"].startswith("not flown"):
            return
        slot = callup.lift_off(eng.now_s - callup.lead_s)
        if slot is None or slot[1] >= eng.t_end_s:
            rec["state"] = flight["state"] = "not flown: no window after the drift"
            return
        flight["state"] = "on its way"
        flight["times_s"] = (slot[0], slot[1])
        flight.update(launch=sim.iso(slot[0]), arrival=sim.iso(slot[1]), arrival_s=slot[1])
        rec.update(state="flown after the drift", lift_off=flight["launch"],
                   docking=flight["arrival"])
        self._note(rec, f"drift over: lifts off {flight['launch'][:16]}, docks "
                   f"{flight['arrival'][:16]}{pad_note(callup.site, slot[2])}"
                   f"{stand_down_note(slot[2])}")
        if not callup_loss.released(callup, flight):  # hook: lost at its lift-off
            eng.schedule(slot[1], lambda _e: callup._arrive(flight, 0), "cargo call-up")

    # -- record -----------------------------------------------------------------------------------
    def record(self) -> dict[str, Any] | None:
        """Summary ``logistics.drift_docking``: counts and one row per ship; None when no
        uncrewed ship met a drift."""
        if not self.ships and not self.module_alarms:
            return None
        rows = []
        for r in self.ships.values():
            row = {k: (v.strftime("%Y-%m-%dT%H:%MZ") if isinstance(v, dt.datetime) else v)
                   for k, v in r.items()}
            if row.get("state") == "held":
                row["state"] = "not flown: the station drifted to the run's end"
            elif row.get("state") == "loitering":
                row["state"] = "loitering at the run's end"
            rows.append(row)
        return {"held": sum(1 for r in rows if r.get("kind") == "held"),
                "loitered": sum(1 for r in rows if r.get("kind") == "loitered"),
                "lost": sum(1 for r in rows if r["state"] == "de-orbited"),
                "not_flown": sum(1 for r in rows if r["state"].startswith("not flown")),
                "loiter_limit_days": self.limit_days,
                "modules_docked_while_drifting": list(self.module_alarms), "ships": rows}
