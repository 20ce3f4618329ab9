"""Cargo by demand inside the run: call-up flights, the propellant re-check and the climbers'
leftover propellant (:class:`CargoCallUp`).

The cargo plan is made before the run (:mod:`rossim.station.logistics`); this closes the loop:

* **Spare call-up.** A repair that waits for a spare not aboard
  (:meth:`rossim.ops.repairs.RepairsMixin.book_repair`) calls up a cargo ship: it can lift off
  ``logistics.callup_lead_days`` after the call at the earliest (the quickest the Progress
  programme flew the next ship when one was needed, 66-83 days after the losses of 2011, 2015
  and 2016: ``progress-losses``) and lifts off at the first allowed in-plane window on or after
  that (the launcher, pad and mass the launcher can carry to the orbit:
  :mod:`rossim.ops.callup_launch`; the pad's azimuth corridor, the station's plane of that
  day: :meth:`CargoCallUp.lift_off`, as a planned ship; a window within the pad's turnaround
  of another lift-off from it moves past it: :mod:`rossim.ops.pad_turnaround`); it docks
  ``time_to_dock_h`` after
  lift-off with the spare (packed first: :meth:`~rossim.ops.repairs.RepairsMixin.
  cargo_docked`). No call-up when a planned ship, or one on its way, docks sooner; one not
  yet lifted off whose spares another ship brings first is stood down
  (:mod:`rossim.ops.callup_stand_down`).
* **Propellant re-check.** Every ``logistics.callup_check_days`` the propellant in the
  station's tanks above the de-orbit reserve is drawn down by the
  planner's forecast (the docked Progress reserves leave with their ships and are not counted;
  the climbers' leftover and the topped-up Progress loads docking before then are added:
  :func:`rossim.ops.propellant_topup.inflows`) for the plan as it stands (:func:`rossim.station.
  propellant_forecast.propellant_forecast`: the run's Cd, atmosphere model and solar cycle,
  times
  ``propellant_forecast_margin``) or by the run's own use over the last year (times the
  same margin), whichever comes sooner, the drag make-up paid in whole reboosts once the
  altitude above the band floor is used up (:mod:`rossim.ops.propellant_outlook`; a steady
  drain from a stock a reboost has just lowered pays that drag twice): when it would reach ``logistics.propellant_reserve_kg``
  before the next ship that brings propellant, a planned Progress that docks before that day
  is first loaded with more propellant (:mod:`rossim.ops.propellant_topup`); only when none
  can be, a ship is called up with the same lead, at the
  last check from which it still docks before that day (called earlier it would find the
  tanks full). If no
  ship can arrive in time the shortfall (and a re-entry) stays a result of the run.
* **Climbers' leftover propellant.** A module that climbed on its own engines, or with a
  Progress-derived tug, docks with ``propellant_available_kg - propellant_kg`` of its climb
  propellant unused (:class:`rossim.station.insertion.Climb`). Assumption (estimate): the
  module's tanks are connected to the station's propulsion at docking (as Zarya's and
  Zvezda's tanks are part of the ISS Russian segment's integrated propulsion), and a
  Progress-derived tug (the catalog's Progress M-UM and TGK-MM) transfers its leftover through
  the docking port as a Progress does, less what its own de-orbit burn needs
  (``logistics.tug_deorbit_dv_m_s``); what the station's tank cannot take stays where it is (``not_transferred_tank_full_kg``).

A call-up ship is the plan's own cargo vehicle (a Progress), docked by a ground
:class:`~rossim.ops.commands.Dock` command (a plan edit, every check of a scenario applies) at
a free cargo port of the plan for up to its longest planned stay, or at the first free port;
with no port free, a cargo ship docked for at least a day leaves early to make room (ground
:class:`~rossim.ops.commands.Undock`), as the ISS frees a port for an arriving ship;
it brings its catalog manifest (propellant, water, oxygen, dry cargo). Events
``cargo-callup`` (the call and why) and ``cargo-callup-arrival``; the run summary's
``logistics.callups`` (:meth:`CargoCallUp.record`: flown call-ups, propellant ones in a gap of
the plan or after its end, those the run ended before flying apart).

Everything runs on the engine's clock and queue: the same seed gives the same call-ups. A
call-up's launch can fail (ship and cargo lost, the need called again) with
``operations.callup_cargo_loss_probability``, drawn from its own stream
(:mod:`rossim.ops.callup_loss`; default 0, no draw); ``lost_at_launch`` counts them (when
above 0).
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from rossim.ops import callup_loss, launcher_stand_down, traffic
from rossim.ops.callup_launch import choose_callup_launch, launch_refused, window_lift_off
from rossim.ops.callup_stand_down import stood_down
from rossim.ops.launcher_stand_down import note as stand_down_note
from rossim.ops.pad_turnaround import note as pad_note
from rossim.ops.propellant_outlook import PropellantOutlook
from rossim.ops.propellant_topup import PropellantTopUp, callup_counts, inflows, propellant_need

__all__ = ["CargoCallUp"]

DAY_S = 86400
#: Days a call-up ship that finds no free port waits in orbit before it is given up
#: (estimate: a Progress can loiter about a month in free flight).
PORT_WAIT_DAYS = 30


class CargoCallUp:
    """The in-run cargo loop of ``sim`` (a :class:`~rossim.ops.simulation.Simulation`, or the
    reliability-only replay :class:`~rossim.ops.availability.ReliabilityRun` with
    ``propellant=False``: there a call-up ship only brings spares)."""

    def __init__(self, sim, *, propellant: bool = True) -> None:
        self.sim = sim
        self.flights: list[dict[str, Any]] = []
        self.climber_kg: dict[str, float] = {}
        self.approach = None
        # a shortage first tops up a planned Progress (rossim.ops.propellant_topup)
        self.topup = PropellantTopUp(self)
        lg = sim.systems.logistics
        cat = sim.timeline.catalog
        self.vehicle = self._cargo_vehicle()
        self.enabled = (lg is not None and lg.callup_lead_days is not None
                        and self.vehicle is not None)
        self.full = (propellant and getattr(sim, "orbit", None) is not None
                     and getattr(sim, "consumables", None) is not None)
        # the climbers' leftover propellant needs the orbit model only (the orbit-only runs of
        # trade studies count it as the planner does)
        self.climbers = propellant and getattr(sim, "orbit", None) is not None
        if not self.enabled:
            return
        self.lead_s = int(lg.callup_lead_days.value * DAY_S)
        self.veh = cat.vehicles[self.vehicle]
        self.dock_s = int(self.veh.time_to_dock_h.value * 3600)
        # launcher, pad and mass it can carry (ops.callup_launch); lift-off at a launch
        # window, as the plan's ships (the finder is made at the first call-up: lift_off)
        self.launch = choose_callup_launch(sim.scenario, cat, self.vehicle)
        self.launcher, self.site, self.windows = self.launch.launcher, self.launch.site, None
        stays = [v.duration_days for f, v in sim.scenario.visits
                 if f.startswith("cargo") and v.vehicle == self.vehicle]
        self.stay_days = min(max(stays, default=180.0), self.veh.max_docked_days.value)
        # the plan's dockings re-timed around free-flyers (rossim.ops.approach_retime)
        if getattr(sim, "keepout", None) is not None:
            from rossim.ops.approach_retime import ApproachRetime

            self.approach = ApproachRetime(sim)
        self.outlook = PropellantOutlook(sim)  # the re-check's forecast
        eng = sim.engine
        if self.full and lg.callup_check_days is not None:
            every = int(lg.callup_check_days.value * DAY_S)
            for t_s in range(every, eng.t_end_s, every):
                eng.schedule(t_s, lambda e: self.check_propellant(), "propellant check")

    # -- the plan as it stands ------------------------------------------------------------------
    def _cargo_vehicle(self) -> str | None:
        """The plan's cargo vehicle (the last Progress of the plan, else any Progress of the
        catalog)."""
        cat = self.sim.timeline.catalog
        ids = [v.vehicle for f, v in self.sim.scenario.visits if f.startswith("cargo")
               and v.vehicle in cat.vehicles and cat.vehicles[v.vehicle].kind == "cargo"]
        prog = [i for i in ids if i.startswith("progress")]
        if prog:
            return prog[-1]
        if ids:
            return ids[-1]
        return next((k for k, v in sorted(cat.vehicles.items()) if v.kind == "cargo"
                     and k.startswith("progress")), None)

    def _propellant_of(self, name: str, veh) -> float:
        from rossim.ops.logistics import manifest_of

        if not veh.id.startswith("progress"):
            return 0.0
        given = manifest_of(self.sim, name).get("propellant") if hasattr(
            self.sim, "scenario") else None
        if given is not None:
            return float(given)
        return veh.station_propellant_kg.value if veh.station_propellant_kg else 0.0

    def next_arrival(self, *, propellant: bool = False) -> tuple[int, str] | None:
        """``(run second, name)`` of the next cargo ship to dock after now (planned, held on
        the ground by a launcher's stand-down: :func:`rossim.ops.launcher_stand_down.
        held_arrivals`, or a call-up on its way); with ``propellant`` only ships that bring
        station propellant."""
        sim = self.sim
        eng = sim.engine
        tl = sim.timeline
        best: tuple[int, str] | None = None
        planned = ((eng.seconds(e.time), e.part, e.catalog_id) for e in tl.events
                   if e.part_kind == "vehicle" and e.kind == "dock"
                   and not getattr(e, "relocation", False))
        # and the plan's ships a launcher's stand-down holds on the ground (off the timeline)
        for t_s, name, vid in chain(planned, launcher_stand_down.held_arrivals(sim)):
            veh = tl.catalog.vehicles.get(vid)
            if veh is None or veh.kind != "cargo" or t_s <= eng.now_s \
                    or (best is not None and t_s >= best[0]):
                continue
            if propellant and (self._propellant_of(name, veh) < 1.0
                               or name in self.topup.loaded):  # an inflow (propellant_topup)
                continue
            best = (t_s, name)
        for f in self.flights:
            if f["state"] == "on its way" and f["arrival_s"] > eng.now_s and (
                    best is None or f["arrival_s"] < best[0]):
                if not propellant or self._propellant_of("", self.veh) >= 1.0:
                    best = (f["arrival_s"], f["name"])
        return best

    # -- call-ups ---------------------------------------------------------------------------------
    def lift_off(self, call_s: int) -> tuple[int, int, dict] | None:
        """``(lift-off, docking, window)`` of a ship called at run second ``call_s``: the
        first allowed in-plane window of the vehicle's site on or after ``call_s + lead``,
        docking ``time_to_dock_h`` later (:func:`rossim.ops.callup_launch.window_lift_off`);
        None when the site's corridor allows no window."""
        return window_lift_off(self.sim, self, self.site, call_s + self.lead_s,
                               self.veh.time_to_dock_h.value, where="logistics",
                               field="callup_lead_days", launcher=self.launcher.id)

    def call_up(self, why: str, reason: str, fault: int | None = None
                ) -> dict[str, Any] | None:
        """Call up a cargo ship now for ``why`` (``spare`` or ``propellant``) unless one docks
        sooner than a call-up could; ``fault``: the id of the fault waiting for a spare (the
        flight's ``faults``, one per reason: :mod:`rossim.ops.callup_stand_down`); returns
        the flight (new or the one already on its way that serves), or None."""
        if not self.enabled:
            return None
        sim, eng = self.sim, self.sim.engine
        nxt = self.next_arrival(propellant=why == "propellant")
        # a ship called now docks no earlier than call + lead + time to dock (the window is on
        # or after call + lead): a planned ship docking before that serves without the
        # windows being searched (they are searched in 30-day blocks, tens of ms each)
        soonest = eng.now_s + self.lead_s + self.dock_s - eng.step_s
        if nxt is not None and nxt[0] <= soonest:
            return self._served_by(nxt, why, reason, f"no earlier than {sim.iso(soonest)[:10]}",
                                   fault)
        if not self.launch.ok:  # no launcher/pad of the plan or catalog carries the ship
            return launch_refused(sim, self.launch, self.veh, why, reason)
        slot = self.lift_off(eng.now_s)
        if slot is None:
            sim.event("cargo-callup", why, f"no call-up: no allowed launch window from "
                      f"{self.site.id} after the lead; {reason}", "warning", source="ground")
            sim.alarm("logistics", f"{why} call-up impossible", "warning",
                      f"no allowed launch window from {self.site.id} within 30 days after "
                      f"the {self.lead_s / DAY_S:g}-day lead; {reason}",
                      key=f"callup-window-{why}", repeat_after_s=30 * int(DAY_S))
            return None
        launch_s, arrival, w = slot
        if nxt is not None and nxt[0] <= arrival:
            return self._served_by(nxt, why, reason, sim.iso(arrival)[:10], fault)
        if arrival >= eng.t_end_s:
            sim.event("cargo-callup", why, f"no call-up: a ship called now docks "
                      f"{sim.iso(arrival)[:10]}, after the end of the run; {reason}",
                      "warning", source="ground")
            return None
        n = len(self.flights) + 1
        name = f"{self.veh.name_en} call-up #{n}"
        flight = {"name": name, "vehicle": self.vehicle, "why": why, "reasons": [reason],
                  "faults": [fault],  # one per reason (rossim.ops.callup_stand_down)
                  # propellant: a gap before a planned ship, or after the plan's last one
                  "need": propellant_need(self, eng.now_s) if why == "propellant" else None,
                  "called": sim.iso(eng.now_s), "launch": sim.iso(launch_s),
                  "launcher": self.launcher.id, "site": self.site.id, "mass_kg": round(
                      self.launch.mass_kg, 1), "trimmed_kg": round(self.launch.trimmed_kg, 1),
                  "window": w["kind"], "azimuth_deg": w["azimuth_deg"],
                  "arrival": sim.iso(arrival), "arrival_s": arrival, "docked": None,
                  "port": None, "state": "on its way", "times_s": (launch_s, arrival)}
        self.flights.append(flight)
        sim.event("cargo-callup", name, f"{why}: {reason}; lifts off {sim.iso(launch_s)[:16]} "
                  f"on {self.launcher.name_en} from {self.site.name_en} (first {w['kind']} "
                  f"window after a {self.lead_s / DAY_S:g} days' lead, progress-losses"
                  f"{pad_note(self.site, w)}{stand_down_note(w)}), docks {sim.iso(arrival)[:16]}", "warning",
                  source="ground")
        if not callup_loss.cargo_launch(self, flight):  # hook: lost at launch (ops.callup_loss)
            eng.schedule(arrival, lambda e, f=flight: self._arrive(f, 0), "cargo call-up")
        return flight

    def _served_by(self, nxt: tuple[int, str], why: str, reason: str,
                   could: str, fault: int | None = None) -> dict[str, Any] | None:
        """No call-up: ship ``nxt`` (docking run second, name) docks before a ship called now
        could (``could``: when that would be); the reason (and ``fault``) joins it if it is a
        call-up ship."""
        sim = self.sim
        pending = next((f for f in self.flights if f["name"] == nxt[1]), None)
        if pending is not None:
            pending["reasons"].append(reason)
            pending["faults"].append(fault)
        sim.event("cargo-callup", why, f"no call-up: {nxt[1]} docks {sim.iso(nxt[0])[:10]}, "
                  f"before a ship called now could ({could}); {reason}", "info",
                  source="ground")
        return pending

    def spare_wanted(self, f, comp) -> None:
        """Hook of :meth:`~rossim.ops.repairs.RepairsMixin.book_repair`: fault ``f`` waits
        for a spare of ``comp`` that is not aboard."""
        self.call_up("spare", f"fault #{f.id} {comp.id} waits for a spare", f.id)

    def check_propellant(self) -> None:
        """The monthly re-check of the propellant forecast (module docstring): the day the
        stock would reach the reserve; a ship is called when that day comes before the next
        ship with propellant and no later than a call-up at the next check could arrive (a
        ship called earlier would find the tanks still full)."""
        sim = self.sim
        orbit = sim.orbit
        eng = sim.engine
        if sim.config is None or sim.config.mass_kg <= 0 or orbit._host(sim) \
                or sim.outcome != "completed":
            return
        lg = sim.systems.logistics
        margin = lg.propellant_forecast_margin.value
        now = eng.now_s
        self.outlook.record(now)
        # the tanks above the de-orbit reserve; the docked Progress reserves leave with their
        # ships and are not counted
        avail = max(orbit.tank_kg - orbit.reserve_kg, 0.0)
        reserve = lg.propellant_reserve_kg.value
        nxt = self.next_arrival(propellant=True)
        until_s = nxt[0] if nxt is not None else eng.t_end_s
        # reboosts paid in lumps, the altitude above the band floor already paid for
        # (rossim.ops.propellant_outlook)
        t_short = self.outlook.shortfall_s(now, until_s, avail, reserve, margin, gains=[
            g[:2] for g in inflows(self, now, until_s)])  # climbers, top-ups before it
        if t_short >= until_s:
            return
        to = f"{nxt[1]} on {sim.iso(nxt[0])[:10]}" if nxt else "the end of the run"
        why = (f"{avail:.0f} kg in the tanks above the de-orbit reserve reach the {reserve:.0f} "
               f"kg reserve about {sim.iso(int(t_short))[:10]} (forecast with margin "
               f"{margin:g}), before {to}")
        every = lg.callup_check_days.value * DAY_S
        from rossim.station.windows import WINDOW_SEARCH_DAYS

        # a ship called at the next check docks no later than its lead, the window search and
        # the time to dock: a shortage after that waits without the windows being searched
        # (a site with no window at all is then found at a later check)
        later_ok = t_short > now + every + self.lead_s + WINDOW_SEARCH_DAYS * DAY_S \
            + self.dock_s + 2 * eng.step_s
        # a planned Progress topped up first (hook: rossim.ops.propellant_topup)
        if self.topup.cover(now, t_short, why, every_s=int(every), due=not later_ok) \
                or later_ok:
            return
        later = self.lift_off(int(now + every))  # a ship called at the next check
        if later is not None and t_short > later[1]:
            return  # a ship called at a later check still docks before the stock runs low
        self.call_up("propellant", why)

    # -- arrival ----------------------------------------------------------------------------------
    def _cargo_ports(self) -> list[str]:
        """The plan's cargo ports, most recently used first."""
        tl = self.sim.timeline
        seen: list[str] = []
        for e in reversed(tl.events):
            if e.part_kind == "vehicle" and e.kind == "dock" and e.port and e.port != "auto" \
                    and tl.catalog.vehicles[e.catalog_id].kind == "cargo" and e.port not in seen:
                seen.append(e.port)
        return seen

    def _ports(self) -> list[tuple[str, float]]:
        """Free ports now and the stay (days) each allows before the plan needs it again:
        the plan's cargo ports first, then ``auto``."""
        sim = self.sim
        tl = sim.timeline
        now = sim.now
        out = []
        for p in self._cargo_ports():
            if p.split(".", 1)[0] not in sim.config.modules or p in sim.config.occupancy:
                continue
            nxt = next((ph.start for ph in tl.phases if ph.start > now and p in ph.occupancy),
                       None)
            stay = self.stay_days if nxt is None else min(
                self.stay_days, (nxt - now).total_seconds() / DAY_S - 1.0)
            if stay >= 1.0:
                out.append((p, stay))
        out.append(("auto", min(self.stay_days, 30.0)))
        return out

    def _command(self, cmd):
        """A ground command (a plan edit keeps the cargo plan:
        :meth:`rossim.ops.commanding.CommandingMixin._rebuild_plan`)."""
        return self.sim.command(cmd)

    def _dock(self, flight: dict[str, Any]) -> bool:
        from rossim.ops import commands as C
        from rossim.ops.engine import to_datetime

        # times_s: (lift-off, first arrival), run seconds; a ship that waited in orbit for a
        # port docks days after its arrival and keeps its real lift-off
        (launch_s, arrived), sim = flight["times_s"], self.sim
        lift, now_s = to_datetime(sim.engine.epoch(launch_s)), sim.engine.now_s
        for port, stay in self._ports():
            if self._command(C.Dock(vehicle=self.vehicle, port=port, duration_days=stay,
                                    visit_name=flight["name"], lift_off=lift,
                                    launcher=self.launcher.id, site=self.site.id,
                                    mass_kg=self.launch.mass_kg, source="ground")).accepted:
                flight["state"], flight["docked"] = "docked", sim.iso(now_s)
                flight["port"] = next((p for p, n in sim.config.occupancy.items()
                                       if n == flight["name"]), port)
                waited = (now_s - arrived) / DAY_S
                sim.event("cargo-callup-arrival", flight["name"], f"docked at "
                          f"{flight['port']} for {stay:.0f} days ({flight['why']}; lifted off "
                          f"{flight['launch'][:16]} on {self.launcher.name_en} from "
                          f"{self.site.name_en}" + (f"; waited {waited:.0f} days in orbit for "
                                                    "a port" if waited > 0 else "") + ")",
                          "info", source="ground")
                return True
        return False

    def _make_room(self) -> bool:
        """No free port: a cargo ship docked at a cargo port for at least a day (it has
        delivered) leaves early, as the ISS frees a port for an arriving ship."""
        from rossim.ops import commands as C

        sim = self.sim
        cat = sim.timeline.catalog
        for p in self._cargo_ports():
            name = sim.config.occupancy.get(p)
            if name is None:
                continue
            cid = next((e.catalog_id for e in sim.timeline.events if e.part == name
                        and e.kind == "dock"), None)
            since = sim._docked_since(name)
            veh = cat.vehicles.get(cid) if cid is not None else None  # a module holds it
            if veh is None or veh.kind != "cargo" or since is None \
                    or (sim.now - since).total_seconds() < DAY_S:
                continue
            if self._command(C.Undock(vehicle=name, source="ground")).accepted:
                sim.event("cargo-callup-arrival", name, f"undocked early to free {p} for a "
                          "call-up ship", "info", source="ground")
                return True
        return False

    def _arrive(self, flight: dict[str, Any], tries: int) -> None:
        sim = self.sim
        eng = sim.engine
        if stood_down(flight):   # its reasons served before its lift-off
            return
        if sim.outcome != "completed":
            flight["state"] = "not flown: " + sim.outcome
            return
        if not hasattr(sim, "command"):  # the reliability-only replay: the spares only
            flight["state"], flight["port"] = "docked", "(replay)"
            flight["docked"] = sim.iso(sim.engine.now_s)
            self._deliver_spares(flight)
            return
        dd = getattr(sim, "drift_docking", None)  # hook: station drifting (ops.drift_docking)
        if dd is not None and dd.callup_arrives(self, flight, tries):
            return
        again = lambda: self._arrive(flight, tries)   # noqa: E731  (ops.traffic: it waits)
        if traffic.hold(sim, flight["name"], "docking", again) or self._dock(flight) or (
                self._make_room() and (self._dock(flight) or traffic.hold(
                    sim, flight["name"], "docking (its port freed now)", again))):
            return
        if tries < PORT_WAIT_DAYS and eng.now_s + DAY_S < eng.t_end_s:
            flight["arrival_s"] = eng.now_s + DAY_S
            eng.schedule(eng.now_s + DAY_S, lambda e: self._arrive(flight, tries + 1),
                         "cargo call-up")
            return
        flight["state"] = "no free port"
        sim.event("cargo-callup-arrival", flight["name"], f"no free port for "
                  f"{PORT_WAIT_DAYS} days: the ship is given up", "warning", source="ground")
        sim.alarm("logistics", f"{flight['name']} given up", "warning",
                  f"no free port for {PORT_WAIT_DAYS} days after its arrival "
                  f"{flight['arrival'][:10]}; called for: {'; '.join(flight['reasons'])}")

    def _deliver_spares(self, flight: dict[str, Any]) -> None:
        from rossim.ops.life_support import module_volume_m3

        sim = self.sim
        ls = sim.systems.life_support
        room = ls.stowage_kg_per_pressurised_m3.value * module_volume_m3(
            sim.config, sim.timeline.catalog) - sim.reliability.spares.mass_kg()
        sim.reliability.cargo_docked(flight["name"], self.veh, room)

    # -- climbers ---------------------------------------------------------------------------------
    def module_docked(self, module: str) -> None:
        """Hook at a module's docking: the climber's leftover propellant into the station's
        tank (module docstring)."""
        if not self.climbers:
            return
        from rossim.station.insertion import leftover_propellant_kg

        climb = next((c for c in self.sim.timeline.climbs if module == c.modules[0]), None)
        if climb is None:
            return
        lg = self.sim.systems.logistics
        dv = lg.tug_deorbit_dv_m_s if lg is not None else None
        left = leftover_propellant_kg(climb, self.sim.timeline.catalog,
                                      dv.value if dv is not None else None)
        if left < 1.0:
            return
        orbit = self.sim.orbit
        room = max(orbit.prop.station_tank_kg.value - orbit.tank_kg, 0.0)
        moved = min(left, room)
        orbit.tank_kg += moved
        L = orbit.ledger
        L["transferred_kg"] += moved
        L["not_transferred_tank_full_kg"] += left - moved
        L["climber_transferred_kg"] = L.get("climber_transferred_kg", 0.0) + moved
        self.climber_kg[module] = float(moved)
        self.sim.event("propellant", module, f"{moved:.0f} kg of climb propellant left "
                       f"({climb.climber_name}) transferred to the station's tanks"
                       + (f" ({left - moved:.0f} kg not taken: tank full)"
                          if left - moved >= 1.0 else ""), "info", value=moved,
                       source="autonomy")
        self.sim.autonomy.vehicle_docked()  # a reboost refused for propellant tries again

    # -- record -----------------------------------------------------------------------------------
    def record(self) -> dict[str, Any]:
        """The run's call-up flights and climber transfers (summary ``logistics.callups``):
        ``flights`` flown and flown ``by_reason``, ``propellant_by_need`` (``gap`` in the plan,
        ``plan_end`` after its last ship with propellant), ``not_flown`` (the run ended before
        their lift-off or docking, or stood down), ``called`` (all), ``flight_list``
        (:func:`rossim.ops.propellant_topup.callup_counts`)."""
        fl = [{k: v for k, v in f.items() if k not in ("arrival_s", "times_s")}
              for f in self.flights]
        n = callup_counts(fl, self.sim.iso(self.sim.engine.now_s))
        return {"flights": n["flown"], "by_reason": n["by_reason"],
                "propellant_by_need": n["propellant_by_need"], "not_flown": n["not_flown"],
                "called": len(fl),
                **callup_loss.record(self.sim, "cargo", self.flights),  # ops.callup_loss
                "lead_days": self.lead_s / DAY_S if self.enabled else None,
                "flight_list": fl,
                "climber_propellant_kg": {k: round(v, 1) for k, v in self.climber_kg.items()},
                "approach_retimed": list(self.approach.retimed) if self.approach else []}
