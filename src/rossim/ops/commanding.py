"""Command execution and plan edits of :class:`rossim.ops.simulation.Simulation`.

:class:`CommandingMixin` gives the simulation :meth:`~CommandingMixin.command`: a typed command
(:mod:`rossim.ops.commands`) is executed now or scheduled at its ``at``, accepted or refused
with a reason, logged with its source and written to the events table. Dock, undock and
relocate are edits of the plan, replayed by :func:`rossim.station.build_timeline` from now on
(every check of a scenario applies; the past is unchanged), refused less than the station's
traffic spacing after the plan's last docking or undocking (:mod:`rossim.ops.traffic`); a
repair is booked for a detected fault with the crew inside or the robot outside.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

from rossim.errors import InputError
from rossim.ops import commands as C
from rossim.ops.fdir import first_power_module
from rossim.ops.robotics import crew_windows
from rossim.station import build_timeline


class CommandingMixin:
    """Commands and plan edits (the state is the simulation's: ``state``, ``engine``,
    ``config``, ``timeline``, models, ``autonomy``, ``command_log``)."""

    # -- commands --------------------------------------------------------------------------------
    def command(self, cmd: C.Command) -> C.CommandResult:
        """Execute ``cmd`` now (or schedule it at ``cmd.at`` if that is later). A refused
        command changes nothing; both outcomes go to the events table."""
        if not isinstance(cmd, C.Command):
            what = cmd.__name__ if isinstance(cmd, type) else repr(cmd)
            raise InputError("argument", "command", what,
                             "a command object such as Reboost(target_altitude_km=412.0) "
                             "(rossim.ops: " + ", ".join(sorted(
                                 t.__name__ for t in C.COMMAND_NAMES)) + ")")
        cmd.check_fields()
        cmd.check()
        if cmd.at is not None and self.engine.seconds(cmd.at) > self.engine.now_s:
            t_s = self.engine.seconds(cmd.at)
            later = replace(cmd, at=None)
            self.engine.schedule(t_s, lambda e: self.command(later), "command")
            return C.CommandResult(cmd, True, self.stamp(t_s), detail="scheduled")
        ok, text = self._execute(cmd)
        res = C.CommandResult(cmd, ok, self.stamp(self.engine.now_s),
                              reason="" if ok else text, detail=text if ok else "")
        self.command_log.append({"time": res.time, "command": cmd.describe(),
                                 "source": cmd.source, "accepted": ok, "detail": text})
        self.event("command" if ok else "command-refused", cmd.name,
                   f"{cmd.describe()}: {text}", "info" if ok else "warning", source=cmd.source)
        return res

    def no_thrusters(self, what: str) -> bool:
        """True (an alarm with the cause) when ``what`` needs the thrusters and no control
        computer works (:func:`rossim.ops.free_drift.refuse`)."""
        from rossim.ops import free_drift

        return free_drift.refuse(self, what)

    def no_auto_docking(self) -> bool:
        """True when no control computer works: an uncrewed ship cannot dock
        (:mod:`rossim.ops.drift_docking`)."""
        from rossim.ops import free_drift

        return free_drift.drifting(self)

    def _execute(self, cmd: C.Command) -> tuple[bool, str]:
        st = self.state
        safe_refused = (C.Reboost, C.StartActivity, C.DeployFreeFlyer)
        if st.safe_mode and isinstance(cmd, safe_refused) and cmd.source != "ground":
            return False, "station in safe mode"
        if isinstance(cmd, C.Reboost):
            if self.no_thrusters("reboost"):  # hook: no control computer (ops.free_drift)
                return False, "no working control computer: the station drifts"
            done = self.orbit.burn(self, dv_m_s=cmd.delta_v_m_s,
                                   target_altitude_km=cmd.target_altitude_km,
                                   commanded_by=cmd.source)
            if done[0] and getattr(self, "keepout", None) is not None:  # hook (issue 14)
                self.keepout.plan_changed("reboost")   # free-flyer returns re-predicted
            return done
        if isinstance(cmd, C.SetAttitude):
            if cmd.mode == st.attitude:
                return False, f"already in {cmd.mode} attitude"
            st.attitude = cmd.mode
            self.refresh_config()
            return True, f"drag area now {self.config.drag_area_m2:.0f} m^2"
        if isinstance(cmd, C.LoadShed):
            if cmd.level <= st.shed_level:
                return False, f"loads already shed to level {st.shed_level}"
            st.shed_level = cmd.level
            if cmd.source != "autonomy":
                self.autonomy.auto_shed = False
                self.autonomy.ground_shed = True
            return True, f"shedding level {cmd.level}"
        if isinstance(cmd, C.LoadRestore):
            if st.shed_level == 0:
                return False, "no loads are shed"
            if self.autonomy.battery_empty:
                return False, "batteries empty"
            st.shed_level = 0
            self.autonomy.ground_shed = False
            return True, "all loads restored"
        if isinstance(cmd, (C.Undock, C.Relocate, C.Dock)):
            return self._replan_for(cmd)
        if isinstance(cmd, C.StartActivity):
            if cmd.activity in st.activities:
                return False, f"activity {cmd.activity!r} already running"
            why = self._users_power_refusal(cmd.power_kw)
            if why:
                return False, why
            st.activities[cmd.activity] = float(cmd.power_kw)
            return True, f"{cmd.power_kw:g} kW"
        if isinstance(cmd, C.StopActivity):
            if st.activities.pop(cmd.activity, None) is None:
                return False, f"no activity {cmd.activity!r} running"
            return True, "stopped"
        if isinstance(cmd, C.InjectFault):
            comp = self.systems.component_by_id(cmd.component)
            if comp is None:
                return False, f"no component {cmd.component!r}"
            if cmd.module is not None and cmd.module not in self.config.modules:
                return False, f"module {cmd.module!r} is not attached"
            f = self._inject(comp, cmd.module)
            if isinstance(f, str):
                return False, f
            return True, f"fault #{f.id} (unit {f.unit})"
        if isinstance(cmd, C.Repair):
            return self._repair(cmd)
        if isinstance(cmd, C.RobotTask):
            if cmd.worksite not in self.config.modules:
                return False, f"module {cmd.worksite!r} is not attached"
            task = self._robot(cmd.kind, cmd.worksite, cmd.duration_h)
            if task.start is None:
                return False, "no robot slot before the end of the run"
            return True, f"{task.by} from {task.start:%Y-%m-%d %H:%M}"
        if isinstance(cmd, C.DeployFreeFlyer):
            module = cmd.port.split(".", 1)[0]
            if module not in self.config.modules:
                return False, f"module {module!r} of port {cmd.port!r} is not attached"
            why = self._deploy_port_refusal(cmd.port)
            if why:
                return False, why
            cap = self.scenario.free_flyers.max_satellites
            if self.free_flyers_deployed + cmd.count > cap:
                return False, f"would exceed max_satellites = {cap}"
            self.free_flyers_deployed += cmd.count
            return True, f"{cmd.count} x {cmd.mass_kg:g} kg released from {cmd.port}"
        if isinstance(cmd, C.SafeMode):
            if cmd.enter:
                if st.safe_mode:
                    return False, "already in safe mode"
                self.autonomy.enter_safe_mode(f"commanded by {cmd.source}")
                return True, "safe mode"
            if not st.safe_mode:
                return False, "not in safe mode"
            others = [c for c in self.autonomy.safe_causes if not c.startswith("commanded")]
            if others:
                return False, "cause still active: " + "; ".join(others)
            self.autonomy.safe_causes.clear()
            self.autonomy.leave_safe_mode()
            self.autonomy.check_reboost()
            return True, "safe mode ended"
        return False, f"unknown command {cmd!r}"  # pragma: no cover

    def _deploy_port_refusal(self, port: str) -> str:
        """Why satellites cannot leave from ``port`` now ("" if they can): a ship or module
        holds it (as dock and relocate refuse an occupied port), or it is no payload port (the
        check of ``rossim validate`` and ``rossim fleet``,
        :func:`rossim.fleet.deployment.resolve_port`)."""
        if port in self.config.occupancy:
            return f"port {port} occupied by {self.config.occupancy[port]}"
        module, name = port.split(".", 1)
        ports = {p.name: p.type for p in self.timeline.catalog.modules[module].ports}
        if ports.get(name) == "payload":
            return ""
        payload = [f"{m}.{p.name}" for m in self.config.modules
                   for p in self.timeline.catalog.modules[m].ports if p.type == "payload"]
        what = f"port type {ports[name]}" if name in ports else f"{module} has no port {name!r}"
        return (f"{port} is no payload port ({what}); payload ports attached: "
                + (", ".join(payload) or "none"))

    # -- plan edits: dock, undock, relocate ------------------------------------------------------
    _flown: frozenset[str] = frozenset()  # visits commanded at run time (issue 14)
    # real lift-offs of commanded visits that waited in orbit (Dock.lift_off): name -> UTC;
    # replaced, never mutated (the plan of a refused edit keeps the old one)
    _lift_offs: dict[str, dt.datetime] = {}  # noqa: RUF012
    # planned crews docking by hand to a drifting station (rossim.ops.drift_crew): name -> hours
    # from lift-off to docking; replaced, never mutated
    _manual_h: dict[str, float] = {}  # noqa: RUF012

    # -- injected faults (a scenario's [[operations.faults]], the inject-fault command) ----
    def _inject(self, comp, module: str | None):
        """An injected fault: the first unit of ``comp`` on ``module`` that works fails
        (units failed and not yet repaired are skipped). Returns the fault, or why there is
        none (text)."""
        where = "station" if comp.module == "station" else (
            module or first_power_module(self.config, self.timeline.catalog))
        if not self.reliability.attached(where):
            return "unit not on the station"
        self.reliability.working.setdefault((comp.id, where), comp.units)
        down = {f.unit for f in self.reliability.faults
                if (f.component, f.module) == (comp.id, where) and f.repaired_at is None}
        unit = next((u for u in range(comp.units) if u not in down), None)
        if unit is None:
            return (f"every {comp.id} unit on {where} has failed already ({comp.units} of "
                    f"{comp.units}, none repaired yet)")
        return self.reliability.fail(comp, where, unit, True)

    def _scenario_fault(self, comp) -> None:
        """A scenario's ``[[operations.faults]]`` entry: injected, or an event saying why not."""
        f = self._inject(comp, None)
        if isinstance(f, str):
            self.event("fault-not-injected", comp.id, f"{comp.id}: {f}", "warning",
                       source="scenario")

    def _explicit_visits(self) -> dict[str, list]:
        """The plan's visits as explicit lists (series expanded), keyed by scenario group."""
        out: dict[str, list] = {"crew_visits": [], "cargo_visits": []}
        for fld, v in self.scenario.visits:
            out["crew_visits" if fld.startswith("crew") else "cargo_visits"].append(v)
        return out

    def _users_power_refusal(self, power_kw: float) -> str:
        """Why an activity of ``power_kw`` (kW) does not fit the users' power of the attached
        modules (``power.user_power_kw``: about 20 kW per NEM, Bryukhanov 2015) beside the
        experiments and the activities running; "" when it fits. An activity above the
        allocation was accepted and then shed by the power-down with no alarm (stop 39)."""
        pw, st = self.systems.power, self.state
        mods = tuple(self.config.modules)
        cap = sum(pw.user_power_kw.get(m, 0.0) for m in mods)
        exp = (pw.experiments_kw_crewed.value if self.config.crew_aboard > 0
               else pw.experiments_kw_automatic.value)
        in_use = exp + sum(st.activities.values())
        if power_kw <= 0.0 or in_use + power_kw <= cap + 1e-9:
            return ""
        if cap <= 0.0:
            return (f"{power_kw:g} kW: no module attached has users' power "
                    "(power.user_power_kw)")
        return (f"{power_kw:g} kW does not fit the users' power: {cap:g} kW on "
                f"{', '.join(m for m in mods if pw.user_power_kw.get(m, 0.0) > 0)} "
                f"(power.user_power_kw), {in_use:g} kW in use by experiments and activities, "
                f"{max(cap - in_use, 0.0):g} kW free")

    @staticmethod
    def _departure_offset_s(tl, name: str, now: dt.datetime) -> float | None:
        """Seconds from ``now`` to ``name``'s undocking in timeline ``tl``; None when the plan
        has none (a departure after the span's end is not in the plan)."""
        t = next((e.time for e in tl.events if e.part == name and e.kind == "undock"), None)
        return None if t is None else (t - now).total_seconds()

    @staticmethod
    def _docking_in(tl, name: str) -> dt.datetime | None:
        return next((e.time for e in tl.events if e.part == name and e.kind == "dock"), None)

    def _docked_since(self, name: str) -> dt.datetime | None:
        return self._docking_in(self.timeline, name)

    def _rebuild_plan(self, groups, flown, lift_offs=None, manual_h=None):
        """``(scenario, timeline, "")`` of the plan with the edited visit ``groups`` (``flown``:
        visits whose launch is the lift-off itself; ``lift_offs``: the real lift-off of those
        that waited in orbit, default the plan's; ``manual_h``: the planned crews docking by
        hand, default the plan's), or ``(None, None, why)`` when
        :func:`rossim.station.build_timeline` refuses it. The demand plan the cargo flights
        came from stays the record of the new timeline."""
        scen = self.scenario.model_copy(update={**groups, "crew_series": [],
                                                "cargo_series": []})
        try:
            tl = build_timeline(scen, self.timeline.catalog, flown=frozenset(flown),
                                lift_offs=self._lift_offs if lift_offs is None else lift_offs,
                                manual_h=self._manual_h if manual_h is None else manual_h)
        except InputError as e:
            return None, None, (f"{e.value}: {e.problem + '; ' if e.problem else ''}"
                                f"expected {e.expected}")
        if tl.cargo_plan is None:
            tl.cargo_plan = self.timeline.cargo_plan
        return scen, tl, ""

    def _install_plan(self, scen, tl, flown, lift_offs=None, manual_h=None) -> None:
        """Fly ``tl`` from now: the scheduler, crew time and autonomy follow the new plan."""
        self.scenario, self.timeline = scen, tl
        if lift_offs is not None:
            self._lift_offs = lift_offs
        if manual_h is not None:
            self._manual_h = manual_h
        self._flown = frozenset(flown)
        self._plan_version += 1
        self.scheduler.timeline = tl
        self.scheduler.windows = crew_windows(tl)
        if self.scheduler.crew_time is not None:  # hook (crew branch): rossim.ops.crew_time
            self.scheduler.crew_time.set_timeline(tl)
        self.autonomy._dock_times = None
        if getattr(self, "keepout", None) is not None:  # hook (issue 14): returns re-predicted
            self.keepout.plan_changed("plan edit")

    def _replan_for(self, cmd) -> tuple[bool, str]:
        """Dock, undock and relocate are edits of the plan, replayed by
        :func:`rossim.station.build_timeline` (so every check of a scenario applies) from
        now on; the past is unchanged."""
        from rossim.config.scenario import Visit

        cat = self.timeline.catalog
        now = self.now
        groups = self._explicit_visits()
        moving: frozenset[str] = frozenset()
        lift_offs = self._lift_offs
        if isinstance(cmd, C.Dock):
            veh = cat.vehicles.get(cmd.vehicle)
            if veh is None:
                return False, f"no vehicle {cmd.vehicle!r} in the catalog"
            if cmd.crew == 0 and self.no_auto_docking():  # hook: rossim.ops.drift_docking
                return False, "no automatic docking: the station drifts"
            if cmd.port != "auto" and cmd.port in self.config.occupancy:
                return False, f"port {cmd.port} occupied by {self.config.occupancy[cmd.port]}"
            name = cmd.visit_name or f"{cmd.vehicle} (commanded {now:%Y-%m-%d %H:%M})"
            launch = now - dt.timedelta(hours=veh.time_to_dock_h.value)
            if cmd.lift_off is not None:  # a ship that waited in orbit: its real lift-off
                if cmd.lift_off > launch + dt.timedelta(minutes=1):  # the run's minute clock
                    return False, (f"lift-off {cmd.lift_off:%Y-%m-%d %H:%M} is less than the "
                                   f"{veh.name_en}'s {veh.time_to_dock_h.value:g} h to dock "
                                   "before now")
                lift_offs = {**self._lift_offs, name: cmd.lift_off}
            visit = Visit(vehicle=cmd.vehicle, port=cmd.port, duration_days=cmd.duration_days,
                          crew=cmd.crew, launch=launch, name=name, launcher=cmd.launcher,
                          site=cmd.site, mass_kg=cmd.mass_kg)
            groups["crew_visits" if cmd.crew > 0 else "cargo_visits"].append(visit)
            parts = {name}
            done = "{name} docked at {port}"
        else:
            name = cmd.vehicle
            if name not in self.config.vehicles:
                return False, (f"{name!r} is not docked (docked: "
                               f"{', '.join(self.config.vehicles) or 'none'})")
            since = self._docked_since(name)
            stay = (now - since).total_seconds() / 86400.0
            if stay <= 0:
                return False, f"{name} docked at this instant"
            found = next(((g, i) for g, vs in groups.items() for i, v in enumerate(vs)
                          if name in (v.name, v.part_name)), None)   # unnamed: part_name
            if found is None:
                return False, f"{name} is no visit of the plan (a module, or docked before it)"
            grp, k = found
            old = groups[grp][k]
            if name not in self._flown:  # issue 14: a planned visit leaves on its planned
                # departure (planned docking + stay, rossim.station.windows.visit_times)
                stay = (now - old.launch).total_seconds() / 86400.0 - cat.vehicles[
                    old.vehicle].time_to_dock_h.value / 24.0
            groups[grp][k] = old.model_copy(update={"duration_days": stay})
            parts = {name}
            done = f"{name} undocked"
            if isinstance(cmd, C.Relocate):
                veh = cat.vehicles[old.vehicle]
                left = old.duration_days - stay
                if left <= 0:
                    return False, f"{name} leaves at this instant"
                new_name = f"{name} @{cmd.port}"
                groups[grp].append(old.model_copy(update={
                    "port": cmd.port, "duration_days": left, "name": new_name,
                    "launch": now - dt.timedelta(hours=veh.time_to_dock_h.value)}))
                parts = {name, new_name}
                moving = frozenset(parts)
                done = f"{name} moved to {cmd.port} as {new_name!r}"
        from rossim.ops.traffic import refusal  # one docking or undocking at a time

        why = refusal(self)
        if why:
            return False, why
        flown = self._flown | ({name} if isinstance(cmd, C.Dock) else set()) | (
            {f"{name} @{cmd.port}"} if isinstance(cmd, C.Relocate) else set())
        scen, tl, why = self._rebuild_plan(groups, flown, lift_offs)
        if tl is not None and not isinstance(cmd, C.Dock):
            # the planner places a planned visit after its slips: the stay that makes it leave
            # now is found from where the rebuilt plan puts the departure (one correction);
            # an undock the plan would not fly now is refused, never accepted and ignored (a
            # slipped crew stayed aboard 100 days after an accepted undock)
            for _ in range(3):
                off = self._departure_offset_s(tl, name, now)
                if off is not None and abs(off) <= 60.0:
                    break
                cur = groups[grp][k]
                if off is None:   # no departure in the plan (after the span's end): the
                    dock = self._docking_in(tl, name)   # stay from the plan's docking
                    if dock is None:
                        break
                    stay_days = (now - dock).total_seconds() / 86400.0
                else:
                    stay_days = cur.duration_days - off / 86400.0
                groups[grp][k] = cur.model_copy(update={"duration_days": stay_days})
                scen, tl, why = self._rebuild_plan(groups, flown, lift_offs)
                if tl is None:
                    break
            if tl is not None:
                off = self._departure_offset_s(tl, name, now)
                if off is None or abs(off) > 60.0:
                    when = ("after the span's end" if off is None else
                            f"{now + dt.timedelta(seconds=off):%Y-%m-%d %H:%M}")
                    return False, f"the plan does not let {name} leave now (it would leave {when})"
        if tl is None:
            return False, why
        for ph, cfg in zip(tl.phases, tl.properties, strict=True):
            if cfg.crew_aboard > cfg.crew_capacity and ph.end > now:
                return False, (f"{cfg.crew_aboard} crew aboard from {ph.start:%Y-%m-%d} but "
                               f"{cfg.crew_capacity} berths")
        moved = None
        if isinstance(cmd, C.Relocate) and name in self.orbit.reserves:
            moved = f"{name} @{cmd.port}"
            self.orbit.reserves[moved] = self.orbit.reserves.pop(name)
        self._install_plan(scen, tl, flown, lift_offs)
        if moved is not None:   # its departure burn follows the new name (ops.departure_reboost)
            from rossim.ops import departure_reboost

            departure_reboost.follow(self, moved)
        now_s = self.engine.now_s
        here = [e for e in tl.events if e.part in parts and self.engine.seconds(e.time) == now_s]
        starts = [self.engine.seconds(p.start) for p in tl.phases]
        i = max(k for k, s0 in enumerate(starts) if s0 <= now_s)
        self._plan_events(here, i, moving)
        self._schedule_plan_events(after_s=now_s)
        port = next((p for p, n in self.config.occupancy.items() if n in parts), cmd.port
                    if hasattr(cmd, "port") else "")
        return True, done.format(name=name, port=port)

    def _repair(self, cmd: C.Repair) -> tuple[bool, str]:
        faults = self.reliability.faults
        f = next((g for g in faults if g.id == cmd.fault_id), None)
        if f is None:
            return False, f"no fault #{cmd.fault_id}"
        if f.repaired_at is not None:
            return False, f"fault #{f.id} already repaired"
        if f.detected_at is None:
            return False, f"fault #{f.id} not yet detected"
        comp = self.systems.component_by_id(f.component)
        if comp.location == "inside" and self.config.crew_aboard == 0:
            return False, "inside repair needs a crew aboard"
        if comp.location == "outside" and self.config.crew_aboard > 0:
            return False, "the robot works only in automatic mode"
        f.repaired_by = "crew" if comp.location == "inside" else "robot"
        f.worksite = f.worksite or f.module
        t_s = self.engine.now_s + int(math.ceil(comp.repair_h.value * 3600 / self.engine.step_s)
                                      ) * self.engine.step_s
        self.engine.schedule(t_s, lambda e: self.autonomy.repair_done(f, comp), "repair")
        return True, f"repair done at {self.iso(t_s)}"
