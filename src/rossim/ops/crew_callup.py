"""A repair crew called up when the station free-drifts (:class:`CrewCallUp`), or for a safe
mode only a crew can clear (:mod:`rossim.ops.safe_mode_callup`: the same decision,
:meth:`CrewCallUp.call`, with automatic dockings; the next planned crew is flown early when
the plan allows, :mod:`rossim.ops.crew_early`, else a repair crew of its own flies).

With every control computer failed the station drifts (:mod:`rossim.ops.free_drift`) and the
repair waits for hands: it is booked on the next planned crew visit
(:meth:`rossim.ops.repairs.RepairsMixin.book_repair`), which may come after the station has
re-entered. Operators fly a repair crew instead, as Soyuz T-13 did for the dead Salyut 7 in
1985 (contact lost 1985-02-11; lift-off 1985-06-06, manual docking to the inert station
1985-06-08: ``soyuz-t13``; a crew of its own, not the next planned one flown early as for a
safe mode: Salyut 7's next expedition still flew on Soyuz T-14 in September 1985). When the
drift begins (:meth:`CrewCallUp.drift_began`, hook of
:func:`rossim.ops.free_drift.began`):

* no call-up when a crew aboard stays long enough to repair (its first day aboard, each
  failed unit's ``repair_h`` and at least ``free_drift.repair_crew_min_stay_days``, 8 days:
  the shortest stay worth a ship); a crew leaving sooner does not count, nor one with no
  spare aboard for any failed unit (:func:`rossim.ops.drift_spare.shortfall`);
* no call-up when a planned crew docks no later than a crew called now could: the call-up
  lead ``free_drift.repair_crew_lead_days`` (``catalog/free_drift.toml``, 115 days, the
  Soyuz T-13 precedent) plus the first allowed window and the time to dock, both crews docking
  manually to the drifting station (the planned one :func:`rossim.ops.drift_crew.docking_s`
  after its lift-off, as it will if no crew is called); with no spare
  aboard its ship brings the spares in its cargo (:func:`rossim.ops.drift_spare.load`, as
  Soyuz T-13 did), and a planned crew whose ship cannot take even one does not count (this
  is also what the next planned crew does when the call-up is switched off);
* otherwise the plan's crew ship (the vehicle of the next planned crew visit, else of the
  last one) lifts off on the launcher and pad the plan flies it on, checked against the
  launcher's capability (:func:`rossim.ops.callup_launch.choose_callup_launch`), at the first
  allowed in-plane window on or after the lead that keeps the pad's turnaround from every
  other lift-off from it (:func:`rossim.ops.callup_launch.window_lift_off`,
  :mod:`rossim.ops.pad_turnaround`: a repair crew never moves a planned launch, so one whose
  window falls just before the planned crew's lift-off from the same pad comes after it and
  is not called), and docks manually the multi-day profile later
  (:func:`rossim.ops.drift_crew.profile_h`: ``free_drift.manual_docking_profile_h``, Soyuz
  T-13's lift-off to docking, in place of the fast ``time_to_dock_h``) by a ground
  :class:`~rossim.ops.commands.Dock` command (a plan edit: every check of a scenario
  applies), with the plan's crew (at most the berths free) for ``repair_crew_stay_days``
  (absent: the plan's visit length; shortened to leave a day before the next planned crew
  docks, at the plan's docking as the drift is over by then, and no call-up when that leaves
  less than the repair needs or the shortest stay worth a ship);
* when no port that fits the ship is free at the arrival but one is held by an uncrewed cargo
  ship docked at least a day (it has delivered), the ground undocks that ship a day before
  the crew lifts off (:func:`rossim.ops.repair_crew_tasks.free_port`, its reasoning and
  sources there: a Progress undocks by its own mechanism on ground command, a drifting
  station needs no attitude control for it), and again at the arrival if a cargo ship took
  the port meanwhile; a crew ship is never undocked for it;
* at docking the crew repairs every failed control computer (the spare the booking took, or
  one the ship brings when none was aboard): the repair is booked through the same path as
  the planned one (:meth:`~rossim.ops.repairs.RepairsMixin.book_repair`: from now, the crew's
  first day aboard and the component's ``repair_h``, crew time drawn) and the booking on the
  later visit is withdrawn, its crew hours given back to the days they came from
  (:func:`rossim.ops.repair_crew_tasks.withdraw`); the drift ends at that repair
  (:func:`rossim.ops.free_drift.ended`). Then it takes over every other repair waiting for a
  crew (booked on a later visit or unscheduled; IVA or spacewalk) that ends before it leaves,
  oldest fault first, the same way; what does not fit its stay stays booked on the later
  visit (:func:`rossim.ops.repair_crew_tasks.take_over`). The crew's dose, consumables and
  crew-days count as any visit's (it is a crew visit of the plan from the docking on).

When the call-up is impossible (no crew ship in the plan, no launcher that carries it to the
plane, no window, or no port that fits the ship free or held by a cargo ship the ground can
undock, or no berth at the arrival) one ``repair-crew`` alarm says why and the drift goes on
(a re-entry stays a result of the run). Events ``crew-callup`` (the call with its cause,
lift-off, docking and repair plan; the ground undocking of a cargo ship, with the cause),
``crew-callup-arrival`` and ``crew-callup-repairs`` (the repairs taken over and those left
for the later crew); the run summary's ``logistics.crew_callups`` when anything happened
(:meth:`CrewCallUp.record`; each flight lists ``taken_over``, ``left_booked`` and, when a
ship was undocked for it, ``freed_port``). The same seed gives the same call-ups. A launch
can abort (crew recovered; the crew called again ``free_drift.repair_crew_reflight_days`` after
it) with ``operations.callup_crew_launch_abort_probability``, drawn from its own stream
(:mod:`rossim.ops.callup_loss`; default 0, no draw); ``aborted_at_launch`` counts them (when
above 0). Switch:
``operations.repair_crew_callup`` of the scenario (default on).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rossim.config.free_drift import load_free_drift
from rossim.ops import callup_loss, callup_stand_down, crew_early, drift_crew, drift_spare, traffic
from rossim.ops import repair_crew_tasks as tasks
from rossim.ops import safe_mode_callup as smc
from rossim.ops.callup_launch import choose_callup_launch, window_lift_off
from rossim.ops.launcher_stand_down import note as stand_down_note
from rossim.ops.pad_turnaround import note as pad_note

__all__ = ["CrewCallUp"]

DAY_S = 86400
SOURCE = "soyuz-t13"


class CrewCallUp:
    """The repair-crew call-up of ``sim`` (a :class:`~rossim.ops.simulation.Simulation`)."""

    def __init__(self, sim) -> None:
        self.sim = sim
        self.flights: list[dict[str, Any]] = []
        self.refusals: list[dict[str, Any]] = []
        self.early: list[dict[str, Any]] = []   # planned crews flown early (ops.crew_early)
        self.windows = None  # the launch-window finder (rossim.ops.callup_launch)
        self.crew_spares: dict[str, dict[str, Any]] = {}  # rossim.ops.drift_spare
        p = load_free_drift()
        self.lead = p.repair_crew_lead_days
        self.stay = p.repair_crew_stay_days
        self.min_stay = p.repair_crew_min_stay_days
        self.enabled = (bool(sim.scenario.operations.repair_crew_callup)
                        and self.lead is not None and hasattr(sim, "command"))

    # -- the plan as it stands ------------------------------------------------------------------
    def _crew_events(self, kind: str) -> list[tuple[int, Any]]:
        """``(run second, event)`` of the plan's crew-ship ``kind`` events ("dock" or
        "undock"), in time order; repair crews called up here are not the plan's."""
        tl, eng = self.sim.timeline, self.sim.engine
        ours = {f["name"] for f in self.flights}
        return [(eng.seconds(e.time), e) for e in tl.events
                if e.part_kind == "vehicle" and e.kind == kind and e.part not in ours
                and not getattr(e, "relocation", False)
                and getattr(tl.catalog.vehicles.get(e.catalog_id), "kind", "") == "crew"]

    def _crew_docks(self) -> list[tuple[int, Any]]:
        """``(run second, event)`` of the plan's crew-ship dockings, in time order."""
        return self._crew_events("dock")

    def _repair_days(self, cid: str | None = None) -> float:
        """Days a crew needs aboard to repair the units of component ``cid`` (default: the
        control computers) failed now: its first day aboard plus each failed unit's
        ``repair_h``, and at least the shortest stay worth a flight
        (``free_drift.repair_crew_min_stay_days``)."""
        sim = self.sim
        comp = sim.systems.component_by_id(cid or load_free_drift().control_component)
        failed = sum(1 for f in sim.reliability.faults
                     if f.component == comp.id and f.repaired_at is None)
        need = (sim.systems.reliability.crew_repair_start_days.value
                + max(failed, 1) * comp.repair_h.value / 24.0)
        return max(need, self.min_stay.value if self.min_stay is not None else 0.0)

    def _plan_visit(self, now_s: int):
        """``(next, pick, visit)``: the plan's next crew docking after now (``(run second,
        event)`` or None) and the crew visit whose ship and crew the call-up flies (that one,
        else the last one before; both None when the plan flies no crew)."""
        docks = self._crew_docks()
        nxt = next(((t, e) for t, e in docks if t > now_s), None)
        pick = nxt or (docks[-1] if docks else None)
        if pick is None:
            return None, None, None
        visit = next((v for _f, v in self.sim.scenario.visits if v.name == pick[1].part), None)
        return nxt, pick, visit

    def _free_ports(self, cfg, veh) -> list[str]:
        """Ports of configuration ``cfg`` free and fitting ``veh``'s docking interface."""
        from rossim.station.assembly import FITS

        cat = self.sim.timeline.catalog
        fits = FITS.get(veh.port_type, frozenset())
        return [f"{m}.{p.name}" for m in cfg.modules if m in cat.modules
                for p in cat.modules[m].ports
                if p.type in fits and f"{m}.{p.name}" not in cfg.occupancy]

    # -- the call -------------------------------------------------------------------------------
    def drift_began(self, f, lead: tuple[float, str] | None = None,
                    cause: str | None = None) -> None:
        """Hook of :func:`rossim.ops.free_drift.began`: the last control computer failed
        (fault ``f``) now; call up a repair crew (module docstring). ``lead`` (days, source
        key) and ``cause`` replace the call-up lead and the drift's cause text (a repair
        crew called again after its launch aborted: :mod:`rossim.ops.callup_loss`)."""
        cause = cause or (f"free drift since {self.sim.iso(self.sim.engine.now_s)[:16]} "
                          f"(fault #{f.id} {f.component})")
        self.call(f, lead, cause, manual=True)

    def call_again(self, flight: dict[str, Any], f, lead: tuple[float, str],
                   cause: str) -> None:
        """Call a crew again for what ``flight`` was called for (its launch aborted)."""
        self.call(f, lead, cause, manual=flight.get("approach") == "manual")

    def call(self, f, lead: tuple[float, str] | None, cause: str, manual: bool) -> None:
        """Call up a repair crew for fault ``f`` detected now (module docstring). ``manual``:
        the station drifts (the control computers: manual dockings, the spare in the crew
        ship's cargo, :mod:`rossim.ops.drift_spare`); otherwise a safe mode only a crew can
        clear (:mod:`rossim.ops.safe_mode_callup`): the units of ``f``'s component, automatic
        dockings, the spare aboard or brought as any repair's (the cargo call-up)."""
        sim = self.sim
        eng, cat = sim.engine, sim.timeline.catalog
        now = eng.now_s
        cid = load_free_drift().control_component if manual else f.component
        if not self.enabled:  # the next planned crew repairs: it brings the spare
            if manual:
                self._brings(self._plan_visit(now)[0], cause)
            return None
        lead_days, lead_src = lead or (self.lead.value, SOURCE)
        if sim.config is not None and sim.config.crew_aboard > 0:
            # the spare aboard (a drift's must be: no cargo ship docks), or in safe mode on
            # the next cargo ship (rossim.ops.safe_mode_callup.spare_ready_s); none: no repair
            ready = ((None if drift_spare.shortfall(sim) else now) if manual
                     else smc.spare_ready_s(sim, cid))
            leaves = [t for t, _e in self._crew_events("undock") if t > now]
            stays_s = (leaves[0] - now) if leaves else eng.t_end_s - now
            if ready is not None and stays_s >= ready - now + self._repair_days(cid) * DAY_S:
                smc.decide_again(sim, manual, ready, f, cause)   # the spare may not come
                return self._served(None, cause, "a crew is aboard" + (
                    "" if ready == now else f", the spare docks {sim.iso(ready)[:10]}"))
        held = smc.held_crew(sim, manual)  # a planned crew grounded by a
        nxt, pick, visit = self._plan_visit(now)          # stand-down docks then
        if pick is None:
            return self._refuse("no crew ship in the plan", cause)
        # with no call-up the station still drifts when the planned crew docks: its docking
        # is then manual (rossim.ops.drift_crew); a repair crew's stay is set against the
        # plan's docking (the drift is over by then: the planned crew docks as planned)
        served = None if nxt is None else (
            drift_crew.docking_s(sim, nxt[1]) if manual else nxt[0], nxt[1])
        vid = pick[1].catalog_id
        veh = cat.vehicles[vid]
        lead_s = int(lead_days * DAY_S)
        ttd_h = (drift_crew.profile_h(veh) if manual   # the manual profile to a drifting
                 else float(veh.time_to_dock_h.value))  # station, else the plan's own
        dock_s = int(round(ttd_h * 3600))
        brings = self._brings if manual else (lambda nxt, cause: nxt is not None)
        goes_on = "the drift goes on" if manual else "the safe mode goes on"
        if nxt is not None and served[0] <= now + lead_s + dock_s and brings(nxt, cause):
            return self._served(served, cause, sim.iso(now + lead_s + dock_s)[:10])
        if held is not None and held[0] <= now + lead_s + dock_s:
            smc.decide_again(sim, manual, held[0] + 2 * DAY_S, f, cause)
            return self._served(held, cause, sim.iso(now + lead_s + dock_s)[:10])
        launch = choose_callup_launch(sim.scenario, cat, vid)
        if launch is None or not launch.ok:
            why = (f"no launcher of the plan or catalog carries the {veh.name_en}" if launch
                   is None else f"the {veh.name_en} cannot reach the station's plane: "
                   f"{launch.describe()}, {launch.shortfall_kg:.0f} kg short")
            return self._refuse(why, cause, goes_on=goes_on)
        if not manual and nxt is not None and crew_early.fly_early(  # hook: the next planned
                self, nxt, (lead_days, lead_src), cause, f):         # crew flown early
            return None
        slot = window_lift_off(sim, self, launch.site, now + lead_s, ttd_h,
                               where="free_drift", field="repair_crew_lead_days",
                               launcher=launch.launcher.id, crewed=True)
        if slot is None:
            return self._refuse(f"no allowed launch window from {launch.site.id} within the "
                                f"search after the {lead_days:g}-day lead: the "
                                f"{veh.name_en} cannot reach the station's plane", cause,
                                goes_on=goes_on)
        launch_s, arrival, w = slot
        if nxt is not None and served[0] <= arrival and brings(nxt, cause):
            return self._served(served, cause, sim.iso(arrival)[:10])
        if held is not None and held[0] <= arrival:
            smc.decide_again(sim, manual, held[0] + 2 * DAY_S, f, cause)
            return self._served(held, cause, sim.iso(arrival)[:10])
        if arrival >= eng.t_end_s:
            return self._refuse(f"a crew called now docks {sim.iso(arrival)[:10]}, after the "
                                "end of the run", cause, severity="info", goes_on=goes_on)
        cfg = sim.timeline.at(sim.now + dt.timedelta(seconds=arrival - now))
        berths = cfg.crew_capacity - cfg.crew_aboard
        ports = self._free_ports(cfg, veh)
        undock_s = max(now, launch_s - DAY_S)  # a port held by a cargo ship: freed a day
        hold = None if ports else tasks.cargo_holder(   # before the lift-off (tasks module)
            sim, cfg, veh, sim.now + dt.timedelta(seconds=undock_s - now))
        if (not ports and hold is None) or berths < 1:
            return self._refuse(
                "the station cannot take a crew: " + (
                    f"no free port that fits the {veh.name_en}'s {veh.port_type} interface"
                    if not ports else f"no free berth ({cfg.crew_capacity} berths)")
                + f" on {sim.iso(arrival)[:10]} (modules: {', '.join(cfg.modules)})", cause,
                goes_on=goes_on)
        crew = max(1, min(int(visit.crew if visit else 2), berths))
        stay = (self.stay.value if self.stay is not None
                else float(visit.duration_days if visit else 30.0))
        if nxt is not None and arrival < nxt[0] < arrival + stay * DAY_S + DAY_S:
            # the planned crew docks during the stay: the repair crew leaves a day before it
            # (berths and ports are the plan's); not worth a flight when that leaves less than
            # the repair or the shortest stay worth a ship (_repair_days)
            need = self._repair_days(cid)
            short = (nxt[0] - DAY_S - arrival) / DAY_S
            if short < need:
                sim.event("crew-callup", "repair crew",
                          f"no call-up: {nxt[1].part} docks {sim.iso(nxt[0])[:10]}, "
                          f"{(nxt[0] - arrival) / DAY_S:.1f} days after a crew called now "
                          f"could ({sim.iso(arrival)[:10]}): no time aboard for the repair "
                          f"before it (at least {need:.1f} days worth a flight); {cause}",
                          "info", source="ground")
                return None
            stay = float(short)
        name = f"{veh.name_en} repair crew #{len(self.flights) + 1}"
        flight = {"name": name, "vehicle": vid, "crew": crew, "stay_days": stay,
                  "cause": cause, "called": sim.iso(now), "launch": sim.iso(launch_s),
                  "launch_s": launch_s,
                  "launcher": launch.launcher.id, "site": launch.site.id,
                  "window": w["kind"], "arrival": sim.iso(arrival), "docked": None,
                  "approach": "manual" if manual else "automatic", "profile_h": ttd_h,
                  "component": cid,
                  "port": None, "repaired": [], "state": "on its way",
                  "planned_crew_docking": sim.iso(nxt[0]) if nxt else None,
                  "taken_over": [], "left_booked": [], "frees_port": hold,
                  "launch_obj": launch}
        self.flights.append(flight)
        then = (f"{nxt[1].part} on {sim.iso(nxt[0])[:10]}" if nxt
                else "no planned crew in the run")
        text = (f"{name} called: {cause}, next planned crew {then}; lifts off "
                f"{sim.iso(launch_s)[:16]} on {launch.launcher.name_en} from "
                f"{launch.site.name_en} (first {w['kind']} window after a "
                f"{lead_days:g}-day lead, {lead_src}{pad_note(launch.site, w)}"
                f"{stand_down_note(w)}), docks " + (
                    f"manually {sim.iso(arrival)[:16]} ({ttd_h:g} h after lift-off, "
                    f"{drift_crew.SOURCE})" if manual else
                    f"{sim.iso(arrival)[:16]} ({ttd_h:g} h after lift-off)")
                + f" with {crew} crew for {stay:g} days, repairs the "
                f"{cid} on arrival" + (
                    f"; the ground undocks {hold['vehicle']} from {hold['port']} (no port that "
                    f"fits is free; docked since {hold['docked'][:10]}) on "
                    f"{sim.iso(undock_s)[:10]}" if hold else ""))
        sim.event("crew-callup", name, text, "warning", source="ground")
        sim.alarm("repair-crew", f"repair crew called up: docks {sim.iso(arrival)[:10]}",
                  "warning", text, key="repair-crew-callup")
        if hold is not None:
            eng.schedule(undock_s, lambda e, fl=flight: tasks.free_port(sim, fl, veh),
                         "crew call-up port")
        if not callup_loss.crew_launch(self, flight, f, launch_s):  # hook: launch abort
            eng.schedule(arrival, lambda e, fl=flight: self._arrive(fl), "crew call-up")
        # hook: stood down the day before its lift-off when its cause has ended
        smc.recheck_at(sim, launch_s, lambda fl=flight: smc.stand_down(self, fl))
        return None

    def _brings(self, nxt, cause: str) -> bool:
        """The planned crew ``nxt`` (docking run second, event) can repair the drift: no
        spare is needed, or it is loaded in its ship's cargo (:func:`rossim.ops.drift_spare.
        load`; False when it does not fit, or the ship has lifted off already)."""
        if nxt is None:
            return False
        if not drift_spare.shortfall(self.sim):
            return True
        e, now = nxt[1], self.sim.engine.now_s
        memo = getattr(self, "_brings_memo", None)  # asked twice in one decision: once
        if memo is not None and memo[0] == (now, e.part):
            return memo[1]
        ok = (self.sim.engine.seconds(e.launch or e.time) > now
              and drift_spare.load(self.sim, e.part, e.catalog_id, cause))
        self._brings_memo = ((now, e.part), ok)
        return ok

    def _served(self, nxt, cause: str, could: str) -> None:
        """No call-up: the crew aboard (``nxt`` None) or planned crew ``nxt`` (docking run
        second, event) repairs sooner than a crew called now could (``could``: when)."""
        who = (f"{nxt[1].part} docks {self.sim.iso(nxt[0])[:10]}, before a crew called now "
               f"could ({could})" if nxt is not None else could)
        self.sim.event("crew-callup", "repair crew", f"no call-up: {who}; {cause}", "info",
                       source="ground")

    def _refuse(self, why: str, cause: str, severity: str = "warning",
                goes_on: str = "the drift goes on") -> None:
        """No call-up: one event and one ``repair-crew`` alarm with the reason; the drift
        (or the safe mode, ``goes_on``) goes on."""
        sim = self.sim
        self.refusals.append({"time": sim.iso(sim.engine.now_s), "why": why, "cause": cause})
        sim.event("crew-callup", "repair crew", f"no call-up: {why}; {cause}", severity,
                  source="ground")
        sim.alarm("repair-crew", "repair crew call-up impossible", severity,
                  f"{why}; {cause}; {goes_on} until a planned crew repairs it",
                  key="repair-crew-impossible", repeat_after_s=30 * DAY_S)

    # -- arrival ----------------------------------------------------------------------------------
    def _ports(self, veh) -> list[str]:
        """The plan's crew ports free now (most recently used first), then ``auto``."""
        sim = self.sim
        free = set(self._free_ports(sim.config, veh))
        seen: list[str] = []
        for _t, e in reversed(self._crew_docks()):
            if e.port in free and e.port not in seen:
                seen.append(e.port)
        return [*seen, "auto"]

    def _arrive(self, flight: dict[str, Any]) -> None:
        from rossim.ops import commands as C

        sim = self.sim
        if flight["state"] != "on its way":   # stood down before its lift-off
            return
        if sim.outcome != "completed":
            flight["state"] = "not flown: " + sim.outcome
            return
        if traffic.hold(sim, flight["name"], "docking", lambda: self._arrive(flight)):
            return   # one docking or undocking at a time (rossim.ops.traffic): it phases on
        launch = flight["launch_obj"]
        veh = sim.timeline.catalog.vehicles[flight["vehicle"]]
        lift = sim.now - dt.timedelta(seconds=sim.engine.now_s - flight["launch_s"])
        why = "every port refused"
        for port in self._ports(veh):
            res = sim.command(C.Dock(vehicle=flight["vehicle"], port=port,
                                     duration_days=flight["stay_days"], crew=flight["crew"],
                                     visit_name=flight["name"], launcher=launch.launcher.id,
                                     site=launch.site.id, mass_kg=launch.mass_kg,
                                     lift_off=lift, source="ground"))
            if res.accepted:
                break
            why = res.reason
            if port == "auto" and tasks.free_port(sim, flight, veh):  # a cargo ship took
                res = sim.command(C.Dock(       # the port meanwhile: the ground undocks it
                    vehicle=flight["vehicle"], port="auto", duration_days=flight["stay_days"],
                    crew=flight["crew"], visit_name=flight["name"],
                    launcher=launch.launcher.id, site=launch.site.id, mass_kg=launch.mass_kg,
                    lift_off=lift, source="ground"))
                if res.accepted:
                    break
                if traffic.hold(sim, flight["name"], "docking (its port freed now)",
                                lambda: self._arrive(flight)):
                    return
                why = res.reason
        else:
            if tasks.stay_before_module(self, flight):  # hook: a module needs the port
                return self._arrive(flight)
            flight["state"] = "not docked"
            sim.alarm("repair-crew", f"{flight['name']} could not dock", "warning",
                      f"{why}; the crew returns and the "
                      + ("drift" if flight["approach"] == "manual" else "safe mode")
                      + " goes on",
                      key="repair-crew-impossible")
            return
        flight["state"], flight["docked"] = "docked", sim.iso(sim.engine.now_s)
        flight["port"] = next((p for p, n in sim.config.occupancy.items()
                               if n == flight["name"]), port)
        flight["repaired"] = self._repair(flight)
        hours = flight.get("profile_h", veh.time_to_dock_h.value)
        manual = flight["approach"] == "manual"
        dc = getattr(sim, "drift_crew", None)  # hook: the manual dockings (ops.drift_crew)
        if dc is not None and manual:
            dc.repair_crew_docked(flight, veh.time_to_dock_h.value, hours)
        sim.event("crew-callup-arrival", flight["name"], "docked "
                  + ("manually " if manual else "") + f"at "
                  f"{flight['port']} with {flight['crew']} crew for {flight['stay_days']:g} "
                  f"days, {hours:g} h after lift-off {lift:%Y-%m-%d %H:%M} " + (
                      f"(the station drifts: the manual profile, {SOURCE})" if manual else
                      "(the plan's automatic docking" + (", attitude held on thrusters in "
                                                          "safe mode)" if sim.state.safe_mode
                                                          else ")")) + "; repairs booked: "
                  + (", ".join(flight["repaired"]) or "none (the "
                     + ("drift" if manual else "safe mode") + " had ended)"),
                  "info", source="ground")
        leave = sim.now + dt.timedelta(days=flight["stay_days"])
        flight["taken_over"], flight["left_booked"] = tasks.take_over(sim, leave)
        if flight["taken_over"] or flight["left_booked"]:
            sim.event("crew-callup-repairs", flight["name"], f"takes over "
                      f"{len(flight['taken_over'])} repair(s) booked for a later crew: "
                      + ("; ".join(flight["taken_over"]) or "none") + ". Left for the later "
                      f"crew (no time before it leaves {leave:%Y-%m-%d %H:%M}): "
                      + ("; ".join(flight["left_booked"]) or "none"), "info",
                      value=len(flight["taken_over"]), source="ground")

    def _repair(self, flight: dict[str, Any]) -> list[str]:
        """Book from now the repair of every failed unit of the flight's component (the
        control computers of a drift; the planned path:
        :meth:`~rossim.ops.repairs.RepairsMixin.book_repair`); the booking on a later visit
        is withdrawn. Returns one line per repair."""
        sim = self.sim
        rel = sim.reliability
        comp = sim.systems.component_by_id(
            flight.get("component") or load_free_drift().control_component)
        out = []
        for f in rel.faults:
            if f.component != comp.id or f.repaired_at is not None or f.detected_at is None \
                    or not rel.attached(f.module):
                continue
            if not f.spare_from and (f, comp) in rel.spares.waiting:  # none aboard
                rel.spares.waiting.remove((f, comp))
                f.spare_from = flight["name"]  # the crew ship brings it
            self._withdraw(f)
            rel.book_repair(f, comp, ready=sim.now)
            out.append(f"fault #{f.id} {f.component} (spare {f.spare_from or 'waiting'})")
        # hook: a cargo call-up for those spares is no longer needed
        callup_stand_down.spares_came(sim, flight["name"])
        return out

    def _withdraw(self, f) -> None:
        """Withdraw ``f``'s booking on a later visit (its task and, day by day, the crew hours
        it drew: :func:`rossim.ops.repair_crew_tasks.withdraw`)."""
        tasks.withdraw(self.sim, f)

    # -- record -----------------------------------------------------------------------------------
    def record(self) -> dict[str, Any] | None:
        """The run's repair-crew call-ups and refusals (summary ``logistics.crew_callups``),
        None when there were none (the summary then has no such key)."""
        if not self.flights and not self.refusals and not self.early:
            return None
        end = self.sim.iso(self.sim.engine.now_s)
        for f in self.flights:   # the run ended (a re-entry) before the ship got there
            if f["state"] == "on its way":
                f["state"] = ("not flown: " if f["launch"] > end else "lifted off, not "
                              "docked: ") + f"the run ended {end[:10]} ({self.sim.outcome})"
        fl = [{k: v for k, v in f.items() if k not in ("launch_obj", "frees_port", "launch_s")}
              for f in self.flights]
        return {"flights": sum(1 for f in fl if not f["state"].startswith("not flown")), "lead_days": self.lead.value if self.lead else None,
                **callup_loss.record(self.sim, "crew", self.flights),  # ops.callup_loss
                "flight_list": fl, "refused": list(self.refusals),
                **({"flown_early": list(self.early)} if self.early else {})}
