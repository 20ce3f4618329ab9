"""A propellant shortage first tops up a planned Progress (:class:`PropellantTopUp`), and the
call-up counts (:func:`callup_counts`), for the in-run cargo loop
(:class:`rossim.ops.cargo_callup.CargoCallUp`).

**Top-up.** When the monthly propellant re-check (:meth:`~rossim.ops.cargo_callup.CargoCallUp.
check_propellant`) finds that the tanks would reach ``logistics.propellant_reserve_kg`` above
the de-orbit reserve before the next ship that brings propellant, the ground first changes the
manifest of a Progress already in the plan, as the Progress programme trades refuelling
propellant against dry cargo flight by flight (``progress-manifests``: 600 to 950 kg of
propellant with 1,400 to 1,201 kg of dry cargo): a Progress of the plan (not a call-up ship)
that has not lifted off, lifts off at least ``logistics.propellant_topup_lead_days`` after now
(its manifest is still open: estimate, about a month) and docks before the shortage day. Of
those, the one that docks last before the shortage (the least forecast error) is loaded up to
its vehicle's ``max_station_propellant_kg`` (catalog; the largest refuelling load of the
Progress MS manifests found, 950 kg, estimate), no more than the station's tanks can take at
its docking: ``propulsion.station_tank_kg`` less the stock now, less what enters the tanks
before it (:func:`inflows`: the leftover climb propellant of the modules that dock first,
:meth:`~rossim.ops.cargo_callup.CargoCallUp.module_docked`; estimate: the use until then,
which frees room, is not counted, so the load is never more than the tanks take; a module
re-planned after a drift can still dock first and fill them: the record says so). The
re-check's forecast counts the same inflows, so a shortage they close tops up nothing. A ship
is topped up once. The catalog's own load (``station_propellant_kg``,
880 kg of the MS-07 manifest) rides in the ship's launch mass whatever the plan's manifest
says; above it the propellant replaces dry cargo kg for kg (:func:`rossim.ops.logistics.
dry_cargo_split`: equipment and spares first, food last), so the launch mass stays the plan's,
which its launcher carries (checked again here against :func:`rossim.station.launch.
payload_kg`, as :mod:`rossim.ops.callup_launch` does). The decision is taken at the last check
that can still make it: when a call-up would be due, or before the ship's manifest closes
(a fresher forecast). The docking then brings the new manifest through the same path as
every ship (:func:`rossim.ops.logistics.manifest_of`, :meth:`rossim.ops.orbit_keeping.
OrbitModel.vehicle_docked`): the propellant ledger counts it as transferred and still
balances; the food and spares delivered come from the smaller dry cargo; the record notes the
docking and the propellant the tanks took (``transferred_kg``, and ``not_transferred_kg`` with
a warning event when they were full: :meth:`PropellantTopUp.docked`). The topped-up ship's
load is an inflow of the forecast, not its horizon: the outlook is run again at once with it
entering the tanks at its docking, to the next ship that brings propellant; a shortage left
(``shortage_after``) is met by the re-check run again now (another Progress topped up, or a
ship called up when one is due), and the later re-checks look past it the same way. Only when
no planned Progress can be topped up is a ship called up. A ship held on the ground by a drift
(:mod:`rossim.ops.drift_docking`), not flown, or docking late is followed to the summary
(``state``, ``docking`` with ``planned_docking``, ``before_shortage``:
:meth:`PropellantTopUp.record`). Event ``propellant-topup``; summary
``logistics.propellant_topups``. Pure arithmetic on the engine's clock (no random draw).

**Counts.** A propellant call-up made when no ship of the plan that brings propellant is still
to dock (the plan has ended: the call-ups continue the programme) is ``plan_end``; one that
fills a gap before a planned ship is ``gap`` (a planned Progress with propellant held on the
ground by a drift counts: it flies when the drift ends, :func:`propellant_need`). A call-up ship the run ended before flying (still
on its way, held on the ground, or not flown) is listed in ``not_flown`` and not counted as
flown (:func:`callup_counts`).
"""

from __future__ import annotations

from typing import Any

from rossim.ops.callup_loss import LOST

__all__ = ["PropellantTopUp", "callup_counts", "inflows", "propellant_need"]

DAY_S = 86400


class PropellantTopUp:
    """Manifest top-ups of the run of ``callup`` (a :class:`~rossim.ops.cargo_callup.
    CargoCallUp`); ``enabled`` False without ``logistics.propellant_topup_lead_days``."""

    def __init__(self, callup) -> None:
        self.callup = callup
        self.sim = callup.sim
        self.topups: list[dict[str, Any]] = []
        lg = self.sim.systems.logistics
        lead = getattr(lg, "propellant_topup_lead_days", None) if lg is not None else None
        self.enabled = lead is not None
        self.lead_s = int(lead.value * DAY_S) if lead is not None else 0

    def _candidates(self, now_s: int, t_short: float) -> list[tuple[int, int, Any, Any]]:
        """``(docking s, lift-off s, plan event, vehicle)`` of the planned Progress ships that
        can still be topped up and dock before run second ``t_short``."""
        from rossim.ops.logistics import visit_of

        sim, eng = self.sim, self.sim.engine
        tl = sim.timeline
        called = {f["name"] for f in self.callup.flights} | self.loaded   # topped up once
        out = []
        for e in tl.events:
            if e.part_kind != "vehicle" or e.kind != "dock" or getattr(e, "relocation", False) \
                    or e.part in called or visit_of(sim, e.part) is None:
                continue
            veh = tl.catalog.vehicles.get(e.catalog_id)
            if veh is None or veh.kind != "cargo" or not veh.id.startswith("progress") \
                    or veh.max_station_propellant_kg is None:
                continue
            dock_s = eng.seconds(e.time)
            lift_s = eng.seconds(e.launch) if e.launch is not None else dock_s - int(
                veh.time_to_dock_h.value * 3600)
            if now_s < dock_s < t_short and lift_s >= now_s + self.lead_s:
                out.append((dock_s, lift_s, e, veh))
        return out

    def _launch_ok(self, name: str, veh) -> tuple[float, float]:
        """``(launch mass, capacity)`` (kg) of the planned ship ``name``: the plan's mass (a
        top-up keeps it) and what its launcher puts into the insertion orbit from its pad."""
        from rossim.ops.logistics import visit_of
        from rossim.station.launch import payload_kg

        sim = self.sim
        cat, orbit = sim.timeline.catalog, sim.scenario.orbit
        v = visit_of(sim, name)
        lid = v.launcher or veh.launcher
        lv = cat.launchers.get(lid)
        if lv is None:
            return float("nan"), float("nan")
        sid = v.site or (veh.launch_site if lid == veh.launcher else None) or lv.site
        mass = float(v.mass_kg if v.mass_kg is not None else veh.mass_kg.value)
        cap = payload_kg(lv, cat.sites[sid], orbit.altitude_km, orbit.inclination_deg,
                         raise_orbit=False, home=cat.sites[lv.site])
        return mass, float(cap)

    def cover(self, now_s: int, t_short: float, reason: str, *, every_s: int,
              due: bool) -> bool:
        """Hook of the re-check: a shortage on run second ``t_short`` (``reason``: the
        re-check's text) is met by topping up a planned Progress (module docstring); True
        when one was or will be, so that the caller calls up no ship now (a shortage the
        top-up leaves is re-checked here at once: :meth:`_still_short`). ``due``: a call-up would
        be made at this check; when it would not, and the chosen ship can still be topped up
        at the next check (``every_s`` later), the decision waits for that fresher forecast."""
        if not self.enabled:
            return False
        from rossim.ops.logistics import dry_cargo_split

        sim = self.sim
        orbit = sim.orbit
        room0 = max(orbit.prop.station_tank_kg.value - orbit.tank_kg, 0.0)
        for dock_s, lift_s, e, veh in sorted(self._candidates(now_s, t_short),
                                             key=lambda c: -c[0]):
            # the room left at its docking by what enters the tanks before it (climbers)
            room = max(room0 - sum(g[1] for g in inflows(self.callup, now_s, dock_s)), 0.0)
            planned = self.callup._propellant_of(e.part, veh)
            cat = veh.station_propellant_kg.value if veh.station_propellant_kg else 0.0
            food, other = dry_cargo_split(sim, e.part, veh)
            gone = (getattr(sim, "dry_cargo_left_kg", None) or {}).get(e.part, 0.0)
            # the catalog's load rides in the launch mass; above it, dry cargo kg for kg
            new = min(veh.max_station_propellant_kg.value, room,
                      max(planned, cat) + food + other)
            if new - planned < 1.0:
                continue
            mass, cap = self._launch_ok(e.part, veh)
            if not mass <= cap:
                continue
            if not due and lift_s >= now_s + self.lead_s + every_s:
                return True   # decided at a later check, nearer its manifest's closing
            rec = self._apply(e.part, planned, new, max(new - cat, 0.0) - gone,
                              (now_s, lift_s, dock_s, t_short), (mass, cap), reason)
            self._still_short(now_s, rec)
            return True
        return False

    def _still_short(self, now_s: int, rec: dict[str, Any]) -> None:
        """The outlook again with the top-up of ``rec`` entering the tanks at its docking, to
        the next ship that brings propellant: a shortage left before it (``shortage_after``
        in the record) is met by the re-check run again now (another top-up, or a ship
        called up when one is due)."""
        sim, callup = self.sim, self.callup
        lg, orbit = sim.systems.logistics, sim.orbit
        nxt = callup.next_arrival(propellant=True)   # the topped-up ship is now an inflow
        until = nxt[0] if nxt is not None else sim.engine.t_end_s
        t2 = callup.outlook.shortfall_s(
            now_s, until, max(orbit.tank_kg - orbit.reserve_kg, 0.0),
            lg.propellant_reserve_kg.value, lg.propellant_forecast_margin.value,
            gains=[g[:2] for g in inflows(callup, now_s, until)])
        if t2 >= until:
            return
        rec["shortage_after"] = sim.iso(int(t2))
        sim.event("propellant-topup", rec["ship"], f"the top-up leaves a shortage about "
                  f"{rec['shortage_after'][:10]}, before "
                  + (f"{nxt[1]} on {sim.iso(nxt[0])[:10]}" if nxt else "the end of the run")
                  + ": re-checked now", "warning", source="ground")
        callup.check_propellant()

    def _apply(self, name: str, planned: float, new: float, dry_kg: float,
               times: tuple[int, int, int, float], launch: tuple[float, float],
               reason: str) -> None:
        sim = self.sim
        now_s, lift_s, dock_s, t_short = times
        # read at the docking by rossim.ops.logistics (manifest_of, dry_cargo_split)
        if getattr(sim, "manifest_changes", None) is None:
            sim.manifest_changes, sim.dry_cargo_left_kg = {}, {}
        sim.manifest_changes.setdefault(name, {})["propellant"] = float(new)
        sim.dry_cargo_left_kg[name] = sim.dry_cargo_left_kg.get(name, 0.0) + max(dry_kg, 0.0)
        rec = {"ship": name, "decided": sim.iso(now_s), "lift_off": sim.iso(lift_s),
               "docking": sim.iso(dock_s), "shortage": sim.iso(int(t_short)),
               "planned_propellant_kg": round(planned, 1), "propellant_kg": round(new, 1),
               "dry_cargo_left_kg": round(max(dry_kg, 0.0), 1), "launch_mass_kg": round(launch[0], 1),
               "launcher_capacity_kg": round(launch[1], 1), "reason": reason}
        self.topups.append(rec)
        sim.event("propellant-topup", name, f"manifest changed {(lift_s - now_s) / DAY_S:.0f} "
                  f"days before lift-off ({rec['lift_off'][:10]}): station propellant "
                  f"{planned:.0f} -> {new:.0f} kg, {max(dry_kg, 0.0):.0f} kg of dry cargo left "
                  f"on the ground (launch mass {launch[0]:.0f} kg unchanged, launcher capacity "
                  f"{launch[1]:.0f} kg); docks {rec['docking'][:10]}, before the shortage: "
                  f"{reason}", "info", value=float(new - planned), source="ground")
        return rec

    @property
    def loaded(self) -> set[str]:
        """Names of the topped-up ships not yet docked."""
        return {t["ship"] for t in self.topups if "transferred_kg" not in t}

    def docked(self, name: str, moved_kg: float | None) -> None:
        """Hook at a ship's docking (:meth:`rossim.ops.simulation.Simulation`, ``moved_kg``
        the propellant :meth:`rossim.ops.orbit_keeping.OrbitModel.vehicle_docked`
        transferred): the top-up record of ``name`` notes the docking and the propellant the
        tanks took (``transferred_kg``; ``not_transferred_kg`` when full)."""
        rec = next((t for t in self.topups if t["ship"] == name and "transferred_kg" not in t),
                   None)
        if rec is None or moved_kg is None:
            return
        sim = self.sim
        now = sim.iso(sim.engine.now_s)
        if now[:16] != rec["docking"][:16]:
            rec["planned_docking"], rec["docking"] = rec["docking"], now
        rec["transferred_kg"] = round(moved_kg, 1)
        rec["state"] = "docked" + (", after the shortage day" if now >= rec["shortage"] else "")
        left = rec["propellant_kg"] - moved_kg
        if left >= 1.0:
            rec["not_transferred_kg"] = round(left, 1)
            sim.event("propellant-topup", name, f"{left:.0f} kg of the {rec['propellant_kg']:.0f}"
                      " kg loaded not transferred: the station's tanks are full", "warning",
                      value=float(left), source="ground")

    def record(self) -> list[dict[str, Any]]:
        """The run's top-ups (summary ``logistics.propellant_topups``), in decision order;
        ``state``: ``docked`` (``transferred_kg``), ``held on the ground``, the drift's
        ``not flown: ...`` or ``de-orbited`` (:mod:`rossim.ops.drift_docking`), ``to dock``
        (``docking`` re-timed if it moved) or ``not docked: the run ended``."""
        sim = self.sim
        dd = getattr(sim, "drift_docking", None)
        out = []
        for t in self.topups:
            r = dict(t)
            if "transferred_kg" not in r:
                held = dd.ships.get(r["ship"]) if dd is not None else None
                ev = next((e for e in sim.timeline.events if e.part == r["ship"] and e.kind
                           == "dock" and not getattr(e, "relocation", False)), None)
                if held is not None and (ev is None or held.get("state") == "held"):
                    st = held.get("state", "held")
                    r["state"] = "held on the ground: the station drifts" if st == "held" \
                        else st
                elif ev is None:
                    r["state"] = "not flown"
                else:
                    d = sim.iso(sim.engine.seconds(ev.time))
                    if d[:16] != r["docking"][:16]:
                        r["planned_docking"], r["docking"] = r["docking"], d
                    r["state"] = "to dock" if d > sim.iso(sim.engine.now_s) \
                        else "not docked: the run ended"
            r["before_shortage"] = r["state"].startswith("docked") and \
                r["docking"] < r["shortage"] or r["state"] == "to dock" and \
                r["docking"] < r["shortage"]
            out.append(r)
        return out


def inflows(callup, now_s: float, until_s: float) -> list[tuple[float, float, str]]:
    """``(run s, kg, name)`` of the propellant that enters the station's tanks after run second
    ``now_s`` and before ``until_s`` besides the ships the forecast looks to: the leftover
    climb propellant of the modules docking then (:meth:`rossim.ops.cargo_callup.
    CargoCallUp.module_docked`) and the new load of the topped-up Progress ships, in time
    order, as offered (the tanks' room limits them: :func:`rossim.ops.propellant_outlook.
    shortfall_s`; :meth:`PropellantTopUp.cover`)."""
    from rossim.station.insertion import leftover_propellant_kg

    sim = callup.sim
    tl, eng = sim.timeline, sim.engine
    lg = sim.systems.logistics
    dv = getattr(lg, "tug_deorbit_dv_m_s", None) if lg is not None else None
    loaded = callup.topup.loaded
    raw = []
    for e in tl.events:
        if e.kind != "dock" or getattr(e, "relocation", False):
            continue
        t = eng.seconds(e.time)
        if not now_s < t < until_s:
            continue
        if e.part_kind == "module" and callup.climbers:
            c = next((c for c in tl.climbs if c.modules[0] == e.part), None)
            kg = leftover_propellant_kg(c, tl.catalog, dv.value if dv is not None else None) \
                if c is not None else 0.0
        elif e.part_kind == "vehicle" and e.part in loaded:
            kg = callup._propellant_of(e.part, tl.catalog.vehicles[e.catalog_id])
        else:
            continue
        if kg >= 1.0:
            raw.append((float(t), float(kg), e.part))
    return sorted(raw)


def propellant_need(callup, now_s: int) -> str:
    """``plan_end`` when no ship of the plan that brings propellant docks after run second
    ``now_s`` (call-up ships not counted) and none is held on the ground by a drift (withdrawn
    from the timeline, kept in :class:`~rossim.ops.drift_docking.DriftDocking` ``visits``
    with state ``held``: it flies when the drift ends), else ``gap``."""
    sim = callup.sim
    tl = sim.timeline
    called = {f["name"] for f in callup.flights}
    for e in tl.events:
        if e.part_kind != "vehicle" or e.kind != "dock" or getattr(e, "relocation", False) \
                or e.part in called:
            continue
        veh = tl.catalog.vehicles.get(e.catalog_id)
        if veh is None or veh.kind != "cargo" or sim.engine.seconds(e.time) <= now_s:
            continue
        if callup._propellant_of(e.part, veh) >= 1.0:
            return "gap"
    # a planned Progress held on the ground by a drift flies when it ends
    # (rossim.ops.drift_docking: withdrawn from the timeline, kept in its visits)
    dd = getattr(sim, "drift_docking", None)
    for name, r in (dd.ships.items() if dd is not None else ()):
        v = dd.visits.get(name)
        if r.get("state") != "held" or r.get("module") or v is None or name in called:
            continue
        veh = tl.catalog.vehicles.get(v.vehicle)
        if veh is None or veh.kind != "cargo" or not veh.id.startswith("progress"):
            continue
        kg = (getattr(sim, "manifest_changes", None) or {}).get(name, {}).get(
            "propellant", v.propellant_kg)
        if kg is None:
            kg = veh.station_propellant_kg.value if veh.station_propellant_kg else 0.0
        if kg >= 1.0:
            return "gap"
    return "plan_end"


def callup_counts(flights: list[dict[str, Any]], end_iso: str) -> dict[str, Any]:
    """Counts of the call-up ``flights`` at the run's end ``end_iso``: ``flown`` (lifted off:
    arrived and docked, given up for want of a port, de-orbited with the station drifting, or
    lost at launch, :mod:`rossim.ops.callup_loss`), flown ``by_reason`` and, for propellant, ``propellant_by_need`` (``gap``,
    ``plan_end``), and ``not_flown`` (name, why, need, lift-off, arrival, state: the run ended
    first, or ``not flown: stood down (...)``, :mod:`rossim.ops.callup_stand_down`)."""
    flown, by, need, not_flown = 0, {}, {"gap": 0, "plan_end": 0}, []
    for f in flights:
        st = f["state"]
        if st in ("docked", "no free port", LOST) or st.startswith("de-orbited"):
            flown += 1
            by[f["why"]] = by.get(f["why"], 0) + 1
            if f["why"] == "propellant" and f.get("need") in need:
                need[f["need"]] += 1
            continue
        if st == "on its way":
            st = ("not flown: " if f["launch"] > end_iso else "lifted off, not docked: ") \
                + f"the run ended {end_iso[:10]}"
        not_flown.append({"name": f["name"], "why": f["why"], "need": f.get("need"),
                          "launch": f["launch"], "arrival": f["arrival"], "state": st})
    return {"flown": flown, "by_reason": by, "propellant_by_need": need,
            "not_flown": not_flown}
