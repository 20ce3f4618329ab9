"""Onboard autonomy: the rules that run the station between crews, in the loop.

The autonomy decides from telemetry, never from precomputed truth. It is told of every
threshold crossing the models find (the engine cuts a span there) and of every fault the FDIR
detects, and it acts by issuing commands (source ``autonomy``) through the same path as an
operator, so a refused action is refused for the same reasons. Its rules (figures in
``catalog/systems.toml`` ``[autonomy]`` and ``[power]``):

* **Load shedding** by priority: state of charge below the allowed depth of discharge
  (``power.min_soc``) sheds experiments and activities (level 1, a warning alarm naming
  generation and load); below ``shed_housekeeping_below_soc`` it sheds non-essential
  housekeeping (level 2); a battery at the emergency reserve (``power.emergency_reserve_soc``)
  counts as empty: a critical alarm, and the station goes to safe mode. Loads it shed come back once the state of charge is above ``restore_above_soc``.
  Loads an operator shed stay shed until an operator restores them.
* **Attitude for power**: above |beta| ``power.sun_bias_above_beta_deg`` the stack turns
  sun-biased (single-axis wings see ``cos(max(|beta| - power.sun_bias_max_deg, 0))``);
  ``power.sun_bias_hysteresis_deg`` below it returns to velocity attitude. Each change is an event.
* **Planned power-downs**: once a day the beta forecast of the next
  ``power_down_lookahead_days`` (:meth:`power_forecast`): an orbit that cannot carry the
  demanded load powers experiments and activities down ahead of time (level 1); they return
  when every forecast orbit carries the demand with 5 % margin.
* **Reboost**: the altitude at the band floor starts a reboost to the top of the band. It waits
  for the end of a no-burn window around dockings (``propulsion.no_burn_window_h``), for
  ground approval when ``reboost_needs_ground_approval`` (approval arrives
  ``ground_approval_delay_h`` later: the next contact), for safe mode to end when its end is
  near (:mod:`rossim.ops.safe_mode_reboost`: within ``safe_mode_reboost_wait_days``, looked at
  daily; otherwise, and below ``safe_mode_reboost_below_km`` always, the ground commands the
  reboost in safe mode, an alarm: a safe mode no crew can clear soon must not decay the
  station with propellant aboard), and for propellant (re-tried at every docking); each wait is an event with its reason, and the
  altitude guard accepts time below the floor only inside such a stated wait. Refused for
  propellant, it flies short of the top with what the tanks can spare
  (:mod:`rossim.ops.partial_reboost`, a warning with the kilograms kept and until when).
* **FDIR response** (:mod:`rossim.ops.fault_response`): a detected fault switches to a
  redundant unit while ``min_units`` still work; otherwise it degrades the function (array
  drive: the module's arrays parked, half its generation; battery string: a quarter of that
  module's capacity: a warning) or, for the other components, puts the station in safe mode
  (critical); the faults of one common-cause event are one detection, one response and one
  alarm naming the cause (never a switch to a standby that failed with them); the repair is
  booked at detection (robot or crew) and restores the function.
* **Thermal limits** (:mod:`rossim.ops.thermal`): a module leaving its temperature band is
  an alarm with its cause (radiators, beta, attitude, dissipation, heaters). Too hot: the
  experiments and activities are shed (level 1) to cut the dissipation, and restored when
  every module is back inside its band (unless the power rules shed them too). Too cold:
  the heaters are at their capacity; the alarm asks the ground to act.
* **Safe mode**: experiments and activities off, deployments and autonomous reboosts refused
  (the ground's reboost excepted: :mod:`rossim.ops.safe_mode_reboost`); it ends when
  every cause is cleared and (``safe_mode_exit_needs_ground_approval``) the ground approves.
"""

from __future__ import annotations

import math

import numpy as np

from rossim.ops import fault_response, free_drift, safe_mode_reboost, single_string
from rossim.ops.commands import LoadRestore, LoadShed, Reboost
from rossim.ops.engine import Crossing


class Autonomy:
    name = "autonomy"

    def __init__(self, sim):
        self.sim = sim
        a = sim.systems.autonomy
        pw = sim.systems.power
        self.min_soc = pw.min_soc.value
        self.reserve = pw.emergency_reserve_soc.value
        self.shed2 = a.shed_housekeeping_below_soc.value
        self.restore = a.restore_above_soc.value
        self.recovered = a.battery_recovered_soc.value
        self.reboost_approval = bool(a.reboost_needs_ground_approval.value)
        self.safe_approval = bool(a.safe_mode_exit_needs_ground_approval.value)
        self.approval_s = int(a.ground_approval_delay_h.value * 3600)
        self.no_burn_s = int(sim.systems.propulsion.no_burn_window_h.value * 3600)
        self.safe_reboost_below_m = a.safe_mode_reboost_below_km.value * 1e3
        self.lookahead_days = a.power_down_lookahead_days.value
        self.planned_down = False
        #: loads shed by the ground or an operator: the autonomy never restores them
        self.ground_shed = False
        self._next_forecast_s = 0
        self._safe_retry_s: int | None = None
        self._safe_reboost_for: int | None = None   # rossim.ops.safe_mode_reboost's alarm
        #: fault id -> run second of the ground's decision on the units left
        #: (rossim.ops.single_string)
        self.single_string_due: dict[int, int] = {}
        self.battery_empty = False
        self.auto_shed = False
        self.reboost_pending_since: int | None = None
        self.reboost_approved = False
        #: ``[entered, left]`` (UTC datetimes; ``left`` None while in safe mode): the time the
        #: station spent in safe mode, whatever the cause (availability counts it as down)
        self.safe_intervals: list[list] = []
        self.approval_requested = False
        self.waits: list[tuple[int, int, str]] = []    # (start_s, end_s, reason) below floor
        self.wait_reason = ""
        self.refused_at_s: int | None = None   # reboost refused for propellant since
        self.refused_why = ""
        self.safe_causes: dict[str, str] = {}
        self.exit_requested = False
        self.drift_since: int | None = None   # free drift since (rossim.ops.free_drift)
        self._dock_times: np.ndarray | None = None
        # requests waiting for the ground: [ready_s, stage ("downlink"/"uplink"), action, label]
        self.ground_queue: list[list] = []

    # -- ground contact ---------------------------------------------------------------------
    def ground_request(self, label: str, action) -> None:
        """Ask the ground: ``action()`` runs when its answer is uplinked (see module doc)."""
        sim = self.sim
        if getattr(sim, "contact", None) is None:
            sim.engine.schedule(sim.engine.now_s + self.approval_s, lambda e: action(), label)
            return
        self.ground_queue.append([sim.engine.now_s, "downlink", action, label])

    def ground_ready_s(self) -> int | None:
        """Earliest time a queued request can use a contact (None: nothing waits)."""
        return min((q[0] for q in self.ground_queue), default=None)

    def on_contact(self) -> None:
        sim = self.sim
        now = sim.engine.now_s
        due = [q for q in self.ground_queue if q[0] <= now]
        for q in due:
            sim.contact.waits_s.append((now, float(now - q[0])))   # waited for an uplink contact
            if q[1] == "downlink":
                q[1] = "uplink"
                q[0] = now + sim.contact.decision_s
                sim.event("ground-contact", "ground", f"{q[3]}: request received by mission "
                          "control", "info", source="ground")
            else:
                self.ground_queue.remove(q)
                q[2]()

    # -- power ---------------------------------------------------------------------------------
    def soc_thresholds(self) -> tuple[float, float]:
        """(low, high) state-of-charge thresholds the power model watches right now."""
        if self.battery_empty:
            return -math.inf, self.recovered
        lvl = self.sim.state.shed_level
        high = self.restore if (self.auto_shed and lvl > 0) else math.inf
        if lvl == 0:
            return self.min_soc, high
        if lvl == 1:
            return self.shed2, high
        return self.reserve, high

    def power_forecast(self, t_s: int) -> None:
        """Planned power-downs, looked at once a day: when an orbit of the next
        ``power_down_lookahead_days`` (the beta forecast, :meth:`rossim.ops.electrical.
        PowerModel.forecast`) cannot carry the demanded load, experiments and activities are
        powered down before the batteries are drawn down (shedding level 1, an event with the
        forecast); they come back once every forecast orbit carries the demand with 5 %
        margin. Shedding by state of charge stays as it is underneath."""
        sim = self.sim
        if t_s < self._next_forecast_s or self.lookahead_days <= 0:
            return
        self._next_forecast_s = t_s + 86400
        power = getattr(sim, "power", None)
        if power is None or sim.config.mass_kg <= 0 or self.battery_empty:
            return
        demand, _ = power.loads_kw(sim)
        ts, beta, sus = power.forecast(sim, float(t_s), self.lookahead_days)
        k = int(np.argmin(sus))
        st = sim.state
        # a thermal shed in force at the daily look does not skip the plan: the thermal
        # restore leaves a planned power-down in place
        if not self.planned_down and (st.shed_level == 0 or self.thermal_shed) \
                and not st.safe_mode and sus[k] < demand:
            when = sim.iso(int(ts[k]))
            sim.event("power-down", "power",
                      f"power-down planned from the beta forecast: at {when} (beta "
                      f"{beta[k]:.0f} deg) the arrays carry {sus[k]:.1f} kW on the orbit "
                      f"average against {demand:.1f} kW demanded: experiments and activities "
                      "off", "warning", value=float(sus[k]), source="autonomy")
            if st.shed_level >= 1 or sim.command(LoadShed(level=1, source="autonomy")).accepted:
                self.planned_down = True
        elif self.planned_down and sus.min() >= 1.05 * demand:
            self.planned_down = False
            if st.shed_level >= 1 and not (self.auto_shed or self.thermal_shed
                                           or self.ground_shed):
                sim.event("power-down", "power",
                          f"power-down ends: the forecast carries {sus.min():.1f} kW against "
                          f"{demand:.1f} kW demanded", "info", source="autonomy")
                sim.command(LoadRestore(source="autonomy"))

    def on_crossing(self, engine, c: Crossing) -> None:
        sim = self.sim
        if c.kind == "soc-low":
            cause = sim.power_cause()
            lvl = sim.state.shed_level
            if lvl == 0:
                sim.alarm("power", f"battery state of charge {c.value:.3f} below the allowed "
                          f"depth of discharge ({self.min_soc:.3f}): experiments and activities "
                          f"shed", "warning", cause, key="power-shed-1", repeat_after_s=86400)
                sim.command(LoadShed(level=1, source="autonomy"))
                self.auto_shed = True
            elif lvl == 1:
                sim.alarm("power", f"battery state of charge {c.value:.3f} below "
                          f"{self.shed2:.3f}: non-essential housekeeping shed", "warning", cause,
                          key="power-shed-2", repeat_after_s=86400)
                sim.command(LoadShed(level=2, source="autonomy"))
                self.auto_shed = True
            else:
                self.battery_empty = True
                sim.alarm("power", f"batteries at the emergency reserve ({self.reserve:.2f}): "
                          "safe mode", "critical", cause,
                          key="power-empty", repeat_after_s=86400)
                self.enter_safe_mode("battery empty")
        elif c.kind == "soc-high":
            if self.battery_empty:
                self.battery_empty = False
                sim.event("power", "battery", f"batteries recharging (state of charge "
                          f"{c.value:.2f})", "info", source="autonomy")
                self.cause_cleared("battery empty")
            elif self.auto_shed:
                self.auto_shed = False
                # the battery is back; loads shed for another cause stay shed (a module too
                # hot, a planned power-down, the ground's shed): restoring them here put a
                # 100 kW furnace back on a 179 C module every few minutes. Housekeeping the
                # battery's second stage shed comes back (level 1 stays).
                if not (self.thermal_shed or self.planned_down or self.ground_shed):
                    sim.command(LoadRestore(source="autonomy"))
                elif sim.state.shed_level >= 2:
                    sim.state.shed_level = 1
                    sim.event("power", "battery", f"batteries recharged (state of charge "
                              f"{c.value:.2f}): housekeeping back, experiments and activities "
                              "stay shed for their own cause", "info", source="autonomy")
        elif c.kind == "ground-contact":
            self.on_contact()
        elif c.kind in ("beta-high", "beta-low"):
            biased = c.kind == "beta-high"
            sim.state.sun_biased = biased  # the power model's threshold state
            if not free_drift.drifting(sim):   # drifting: no attitude to change
                sim.event("attitude", "station", f"beta {c.value:.0f} deg: " + (
                    "sun-biased attitude for the arrays" if biased
                    else "back to velocity attitude"), "info", value=c.value, source="autonomy")
        elif c.kind.startswith("thermal-"):
            self.on_thermal(c)
        elif c.kind == "altitude-floor":
            sim.event("altitude", "orbit", f"altitude {c.value / 1e3:.1f} km at the band floor: "
                      "reboost needed", "info", source="autonomy")
            self.reboost_pending_since = engine.now_s
            self.check_reboost()
        elif c.kind == "reentry":
            from rossim.ops.orbit_alarms import reentry_cause

            sim.alarm("reentry", f"altitude {c.value / 1e3:.1f} km: the station re-enters",
                      "critical", reentry_cause(sim))
            sim.end_run("re-entry")
        elif c.kind.endswith("-empty"):
            item = c.kind.removesuffix("-empty")
            sim.alarm("consumables", f"{item} stock empty with {sim.config.crew_aboard} crew "
                      "aboard", "critical", "deliveries below the crew's use")
            self.crew_return(f"{item} stock empty")
        elif c.kind in ("consumables-low", "consumables-critical"):
            ls, crit = sim.systems.life_support, c.kind == "consumables-critical"
            days = (ls.critical_reserve_days if crit else ls.reserve_days).value
            from rossim.ops.consumables_alarm import departure_waiver

            cons = sim.consumables
            why = departure_waiver(sim, cons.margin_days(cons.stock, sim.config.crew_aboard))
            if why:   # the crew leaves first, a cargo ship comes before the next crew
                cons.rearm_at_next_crew = True
                sim.event("consumables", "station", f"consumables margin below {days:g} days "
                          f"at the end of the crew's stay: no alarm ({why})", "info",
                          source="autonomy")
                return
            sim.alarm("consumables", f"consumables margin below {days:g} days of the crew "
                      "aboard", "critical" if crit else "warning", "stocks "
                      + sim.consumables.describe_stocks(sim.config.crew_aboard)
                      + (f": {ls.reserve_days.value:g}-day reserve not restored" if crit
                         else ""))

    # -- thermal -------------------------------------------------------------------------------
    thermal_shed = False

    def on_thermal(self, c: Crossing) -> None:
        """A module's temperature left its band (or came back): alarm and response
        (:func:`rossim.ops.thermal_response.on_thermal`)."""
        from rossim.ops.thermal_response import on_thermal

        on_thermal(self, c)

    # -- reboost -------------------------------------------------------------------------------
    def _no_burn_until(self, now_s: int) -> int | None:
        if self._dock_times is None:
            self._dock_times = np.array(sorted(self.sim.dock_undock_s()), dtype=np.int64)
        d = self._dock_times
        if d.size == 0:
            return None
        near = d[np.abs(d - now_s) < self.no_burn_s]
        return int(near.max() + self.no_burn_s) if near.size else None

    def _wait(self, reason: str) -> None:
        if reason != self.wait_reason:
            self.wait_reason = reason
            self.sim.event("reboost-waiting", "orbit", reason, "info", source="autonomy")

    def check_reboost(self) -> None:
        """Try the pending reboost now, or state why it waits and when it tries again."""
        sim = self.sim
        if self.reboost_pending_since is None:
            return
        eng = sim.engine
        if free_drift.refuse(sim, "reboost"):  # hook: retried at the drift's end
            self._wait(free_drift.REASON)
            return
        if sim.state.safe_mode and safe_mode_reboost.waits(self):   # the ground decides
            return
        until = self._no_burn_until(eng.now_s)
        if until is not None:
            self._wait(f"no-burn window around a docking until {sim.iso(until)}")
            eng.schedule(until, lambda e: self.check_reboost(), "reboost retry")
            return
        ko = getattr(sim, "keepout", None)      # free-flyer keep-out (rossim.ops.keepout)
        hold = ko.reboost_hold_until(eng.now_s) if ko is not None else None
        if hold is not None:
            self._wait(hold[1])
            eng.schedule(hold[0], lambda e: self.check_reboost(), "reboost retry (keep-out)")
            return
        if self.reboost_approval and not self.reboost_approved:
            if not self.approval_requested:
                self.approval_requested = True
                self._wait("reboost plan sent to the ground for approval")
                self.ground_request("reboost approval", self._approved)
            return
        if sim.orbit.high_m - sim.orbit.altitude_m < 500.0:
            # another reboost (a departing Progress's, an operator's) raised the station while
            # this one waited: nothing left to do (commanded, it was refused and raised a
            # propellant alarm)
            self.wait_reason = "raised by another reboost meanwhile"
            self._close_wait()
            return
        by = "ground" if sim.state.safe_mode else "autonomy"  # in safe mode only the ground
        res = sim.command(Reboost(target_altitude_km=sim.orbit.high_m / 1e3, source=by))
        if res.accepted:
            self._close_wait()
        elif res.reason.startswith("needs ") and self._partial(by):
            return
        else:
            if self.wait_reason != "propellant":
                # the shortfall (below the reserve / tanks empty) and the floor: two alarms
                # with their causes (rossim.ops.orbit_alarms); retried at the next docking
                from rossim.ops.orbit_alarms import refused_reboost

                refused_reboost(sim, sim.orbit.refused_need_kg, res.reason)
            self.wait_reason = "propellant"

    def _partial(self, by: str) -> bool:
        """The whole reboost refused for propellant: one short of the band's top with what
        the propellant aboard allows (:mod:`rossim.ops.partial_reboost`); True when flown.
        Left under the floor, the wait stays open for the next ship with propellant."""
        from rossim.ops.partial_reboost import partial_reboost

        sim = self.sim
        p = partial_reboost(sim)
        if p is None:
            return False
        need, h0 = sim.orbit.refused_need_kg, sim.orbit.altitude_m / 1e3
        res = sim.command(Reboost(delta_v_m_s=p.dv_m_s, source=by))
        if not res.accepted:
            return False
        sim.alarm("propellant", f"partial reboost {h0:.1f} -> {p.target_km:.1f} km, short of "
                  f"the band's top {sim.orbit.high_m / 1e3:g} km", "warning",
                  f"the whole reboost needs {need:.0f} kg; {p.kept_kg:.0f} kg kept above the "
                  f"de-orbit reserve for attitude control and the other uses until {p.until}")
        if sim.orbit.altitude_m >= sim.orbit.low_m:
            self.wait_reason = (f"{self.wait_reason}; then a partial reboost"
                                if self.wait_reason else "partial reboost")
            self._close_wait()
        else:      # the episode's refusal: the next ship with propellant tries again
            h1 = sim.orbit.altitude_m / 1e3
            why = "not enough propellant for the whole reboost (a partial one flown)"
            sim.alarm("orbit", f"altitude {h1:.1f} km below the band floor "
                      f"{sim.orbit.low_m / 1e3:g} km after a partial reboost", "warning",
                      f"{why}; the next ship with propellant: {p.until}")
            self.refused_at_s, self.refused_why = sim.engine.now_s, why
            self.wait_reason = "propellant"
        return True

    def _approved(self) -> None:
        self.reboost_approved = True
        self.sim.event("approval", "ground", "reboost approved at the next contact", "info",
                       source="ground")
        self.check_reboost()

    def _close_wait(self) -> None:
        if self.reboost_pending_since is not None:
            self.waits.append((self.reboost_pending_since, self.sim.engine.now_s,
                               self.wait_reason or "reboost executed"))
        self.reboost_pending_since = None
        self.refused_at_s = None
        self.reboost_approved = False
        self.approval_requested = False
        self.wait_reason = ""

    def vehicle_docked(self) -> None:
        if self.reboost_pending_since is not None and self.wait_reason == "propellant":
            self.check_reboost()

    # -- faults --------------------------------------------------------------------------------
    def fault_detected(self, f, comp, group: list | None = None) -> None:
        """Fault ``f`` detected now, with the other faults of its common-cause event when
        ``group`` (``f`` first) holds more: one response (:mod:`rossim.ops.fault_response`)."""
        fault_response.respond(self.sim, group or [f], comp)

    def repair_done(self, f, comp) -> None:
        sim = self.sim
        if f.repaired_at is not None:  # done earlier (a repair crew: rossim.ops.crew_callup)
            return
        rel = sim.reliability
        f.repaired_at = sim.now
        rel.repaired(f, comp)
        key = (f.component, f.module)
        if comp.id == "array-drive" and rel.working[key] < comp.min_units \
                and f.module in sim.state.array_factor:   # one wing of two back
            sim.state.array_factor[f.module] = max(rel.working[key], 0) / comp.units
        if rel.working[key] >= comp.min_units:
            if comp.id == "array-drive":
                sim.state.array_factor.pop(f.module, None)
            elif comp.id == "battery-string":
                sim.state.battery_factor.pop(f.module, None)
            for g in rel.faults:
                if (g.component, g.module) == key and g.degraded_until is None and \
                        not g.recovered_automatically and g.detected_at is not None:
                    g.degraded_until = sim.now
            self.cause_cleared(fault_response.safe_cause(f))
            for g in rel.faults:
                if (g.component, g.module) == key:
                    self.cause_cleared(fault_response.safe_cause(g))
        sim.event("fault-repaired", f.component, f"fault #{f.id} {f.component}: repaired by "
                  f"{f.repaired_by} at {f.worksite}", "info", source="autonomy")
        single_string.after_repair(sim, f, comp)   # one unit back of a set still short
        free_drift.ended(sim, f)  # hook: a control computer works again (ops.free_drift)

    # -- crew return ---------------------------------------------------------------------------
    def crew_return(self, cause: str) -> None:
        """The crew goes home now (:func:`rossim.ops.crew_return.crew_return`)."""
        from rossim.ops.crew_return import crew_return

        crew_return(self.sim, cause)

    # -- safe mode -----------------------------------------------------------------------------
    def enter_safe_mode(self, cause: str) -> None:
        sim = self.sim
        self.safe_causes[cause] = sim.iso(sim.engine.now_s)
        if not sim.state.safe_mode:
            sim.state.safe_mode = True
            self.safe_intervals.append([sim.now, None])
            sim.state.activities.clear()
            sim.event("mode", "station", f"safe mode: {cause}", "critical", source="autonomy")
            if cause.startswith("commanded"):   # a fault's safe mode has the fault's alarm
                sim.alarm("station", f"safe mode {cause}", "warning",
                          f"{cause}: experiments and activities shed; the autonomy's "
                          "reboosts wait for its end (the ground reboosts at the band floor: "
                          "rossim.ops.safe_mode_reboost); availability counts the time in "
                          "safe mode as down")

    def leave_safe_mode(self) -> None:
        """The station leaves safe mode now (the ground's approval, or a ground command)."""
        sim = self.sim
        if sim.state.safe_mode:
            sim.state.safe_mode = False
            if self.safe_intervals and self.safe_intervals[-1][1] is None:
                self.safe_intervals[-1][1] = sim.now

    def cause_cleared(self, cause: str) -> None:
        sim = self.sim
        if self.safe_causes.pop(cause, None) is None:
            return
        if not self.safe_causes and sim.state.safe_mode:
            if self.safe_approval:
                if not self.exit_requested:
                    self.exit_requested = True
                    sim.event("approval", "station", "safe-mode exit requested from the ground",
                              "info", source="autonomy")
                    self.ground_request("safe-mode exit", self.exit_safe_mode_by_ground)
            else:
                self.exit_safe_mode_by_ground()

    def exit_safe_mode_by_ground(self) -> None:
        """The ground's approval: safe mode ends now unless a cause holds it."""
        sim = self.sim
        self.exit_requested = False
        if self.safe_causes or not sim.state.safe_mode:
            return
        self.leave_safe_mode()
        sim.event("mode", "station", "safe mode ended (ground approval)", "info",
                  source="ground")
        self.check_reboost()
