"""Repairs and spares of :class:`rossim.ops.fdir.Reliability` (:class:`RepairsMixin`).

Each detected fault takes a spare of its type (:class:`rossim.ops.life_support.Spares`);
without one it waits for the next cargo ship that brings one
(:meth:`RepairsMixin.cargo_docked`: the loadmaster packs the spares the waiting repairs need
first, within the ship's spares allowance and the stowage left; a crew ship brings only the
spares a drift's repair needs, packed in its cargo: :mod:`rossim.ops.drift_spare`). Then the
component's ``repair_by`` decides who repairs it (:meth:`rossim.ops.robotics.Scheduler.
repair`): the exterior robot (free, uncrewed station), the next crew (IVA) or a spacewalk (at
least two crew aboard, preparation days, 6.5 h per EVA from the ISS record); each booking is an
event with its duration and source. A repair restores the unit and, once ``min_units`` work again, the
function.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rossim.ops import callup_stand_down
from rossim.ops.repair_priority import lost_first

if TYPE_CHECKING:
    from rossim.config.systems import Component
    from rossim.ops.fdir import Fault


class RepairsMixin:
    """Repairs and spares (the state is the reliability model's: ``sim``, ``spares``,
    ``working``; ``attached`` and ``_draw``)."""

    def book_repair(self, f: Fault, comp: Component, ready: dt.datetime | None = None) -> None:
        """Take a spare and book the repair of ``f`` (see the module docstring); without a
        spare the fault waits for a cargo ship (:meth:`cargo_docked`)."""
        sim = self.sim
        if not f.spare_from:
            if not self.spares.take(comp.id, sim.engine.now_s):
                self.spares.waiting.append((f, comp))
                sim.event("spare-waiting", comp.id, f"fault #{f.id} {comp.id}: no spare aboard, "
                          "the repair waits for the next cargo ship that brings one", "warning",
                          source="autonomy")
                callup = getattr(sim, "cargo_callup", None)  # hook (cargo loop)
                if callup is not None:  # a ship called up: rossim.ops.cargo_callup
                    callup.spare_wanted(f, comp)
                return
            f.spare_from = "aboard"
        task = sim.scheduler.repair(f, comp, ready)
        f.repaired_by, f.worksite = task.by, task.worksite
        f.repair_h, f.eva_h = task.duration_h, task.eva_h
        f.eva_count = int(round(task.eva_h / sim.systems.reliability.eva_h.value))
        f.repair_source = task.source
        if task.end is None:
            sim.event("repair-unscheduled", comp.id, f"fault #{f.id} {comp.id}: no {task.by} "
                      f"slot for a {task.duration_h:g} h repair before the end of the plan",
                      "warning", source="scheduler")
            return
        sim.event("repair-booked", comp.id, f"fault #{f.id} {comp.id}: {task.kind} by "
                  f"{task.by} at {task.worksite}, {task.start:%Y-%m-%d %H:%M} to "
                  f"{task.end:%Y-%m-%d %H:%M} ({task.duration_h:g} h; {task.source})"
                  + ("; re-booked, lost function first (repair-priority)"   # its earlier slot
                     if getattr(self, "_reordering", False) else ""),     # is withdrawn
                  "info", value=task.duration_h, source="scheduler")
        t_s = sim.engine.seconds(task.end)
        if t_s < sim.engine.t_end_s:   # a booking withdrawn since repairs nothing
            sim.engine.schedule(t_s, lambda e: sim.autonomy.repair_done(f, comp) if any(
                t is task for t in sim.scheduler.tasks) else None, f"repair {f.id}")
        if task.by in ("crew", "EVA"):   # a lost function goes first (ops.repair_priority)
            lost_first(self)

    def spares_docked(self, ship: str, veh) -> None:
        """:meth:`cargo_docked` in a run without the consumables model (the orbit-only run of
        trade studies, as the reliability-only replay): the stowage holds the spares only.
        Without it a planned ship brought no spare and every fault called up a ship."""
        from rossim.ops.life_support import module_volume_m3

        sim = self.sim
        room = sim.systems.life_support.stowage_kg_per_pressurised_m3.value * module_volume_m3(
            sim.config, sim.timeline.catalog) - self.spares.mass_kg()
        self.cargo_docked(ship, veh, room)

    def cargo_docked(self, ship: str, veh, room_kg: float) -> None:
        """A cargo ship docked: the loadmaster packs spares (waiting repairs first, then the
        restock) within the ship's spares allowance and ``room_kg`` of stowage; repairs that
        waited for a spare are booked from now."""
        sim = self.sim
        from rossim.ops import drift_spare

        if veh.kind != "cargo":  # hook: a crew ship with a drift's spare (ops.drift_spare)
            if drift_spare.crew_ship_docked(sim, ship):
                self._spares_arrived(ship)
            return
        from rossim.ops.life_support import module_volume_m3
        from rossim.ops.logistics import dry_cargo_split

        # the dry cargo that is not food, less what a propellant top-up left on the ground
        allowance = dry_cargo_split(sim, ship, veh)[1]

        room_m3 = self.spares.stowage_m3(module_volume_m3(sim.config, sim.timeline.catalog)) \
            - self.spares.volume_m3()
        loaded, left = self.spares.pack(sim.engine.now_s, allowance, room_kg, room_m3)
        if loaded:
            sim.event("spares", ship, "spares delivered: " + ", ".join(
                f"{n} {i}" for i, n in sorted(loaded.items())), "info", source="autonomy")
        if left:
            sim.event("stowage", ship, "spares not loaded (ship allowance or stowage full): "
                      + ", ".join(f"{n} {i}" for i, n in sorted(left.items())), "warning",
                      source="autonomy")
        self._spares_arrived(ship)

    def _spares_arrived(self, ship: str) -> None:
        """Spares came aboard with ``ship``: the repairs that waited for one are booked from
        now (those still without one wait on); a spare call-up whose every fault is now served
        is stood down (:func:`rossim.ops.callup_stand_down.spares_came`)."""
        sim = self.sim
        waiting, self.spares.waiting = self.spares.waiting, []
        for f, comp in waiting:
            if f.repaired_at is not None or not self.attached(f.module):
                continue
            if self.spares.take(comp.id, sim.engine.now_s):
                f.spare_from = ship
                f.waited_for_spare_h = (sim.now - (f.detected_at or f.failed_at)
                                        ).total_seconds() / 3600.0
                self.book_repair(f, comp, ready=sim.now)
            else:
                self.spares.waiting.append((f, comp))
        callup_stand_down.spares_came(sim, ship)   # hook: call-ups no longer needed

    def repaired(self, f: Fault, comp: Component) -> None:
        """The repair of ``f`` is done now: the unit works again and may fail again later."""
        key = (f.component, f.module)
        self.working[key] = min(self.working.get(key, comp.units) + 1, comp.units)
        if self.attached(f.module):
            self._draw(comp, f.module, f.unit)
