"""From a scenario to a timeline of dockings: the assembly and visit plan, checked.

:func:`build_timeline` turns a validated :class:`~rossim.config.scenario.Scenario` into a
time-ordered list of events (dock, undock, separation) and the station configuration in
force between consecutive events (a *phase*). While replaying the plan it refuses, with one
clear :class:`~rossim.errors.InputError` each: unknown modules, vehicles, launchers, sites or
ports; a port already occupied; a port whose type does not fit; a part docked before the
module that carries its port is there; a launch heavier than the launcher can put into the
scenario's orbit; a module wider than the fairing; a visit longer than the vehicle may stay
docked or with more crew than seats; two modules of one launch group with different dates or
pads; two ships of one name, or a ship named as a module; a separation with a ship still
docked to the module, or taking a module docked through it that it does not list
(:mod:`rossim.station.docking`).

Timing: a module docks after its climb from the insertion orbit, by its own engines or a tug
(:mod:`rossim.station.insertion`: the climber's rendezvous days, Nauka 8 d, Prichal's tug 2.1 d,
or the scenario's ``transfer_days``); a vehicle after its catalog ``time_to_dock_h``. At equal times
undockings and separations come before dockings (a port freed and reused at once is allowed).
A launch within a pad's turnaround of the plan's one before it slips (rossim.station.pad_plan).
A docking or undocking less than ``logistics.traffic_spacing_h`` after the one before waits
(rossim.station.traffic).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from rossim.config.catalog import Catalog, Module, Vehicle, load_catalog
from rossim.config.scenario import Scenario
from rossim.errors import InputError
from rossim.station.docking import check_station_there
from rossim.station.docking import dock as _dock
from rossim.station.docking import separate as _separate
from rossim.station.insertion import Climb, plan_launch
from rossim.station.launch import capability_text, check_pad, payload_kg, site_for, too_heavy
from rossim.station.pad_plan import pad_slips
from rossim.station.ports import FITS  # noqa: F401  (imported from here by ops, campaign)
from rossim.station.ports import relocate_for as _relocate_for
from rossim.station.traffic import TrafficQueue, spacing
from rossim.station.windows import PlaneModel, WindowFinder, visit_times

PartKind = Literal["module", "vehicle"]
EventKind = Literal["dock", "undock", "separation"]


@dataclass(frozen=True)
class Attachment:
    """A part attached to the station: a module or a docked visiting vehicle."""

    name: str                  # instance name: the module id, or the visit's name
    catalog_id: str
    kind: PartKind
    parent_port: str | None    # "<module>.<port>" it is docked to; None for the root
    mass_kg: float
    crew: int = 0
    since: dt.datetime | None = None


@dataclass(frozen=True)
class Event:
    """Something that changes the configuration, at ``time`` (UTC)."""

    time: dt.datetime
    kind: EventKind
    part: str
    catalog_id: str
    part_kind: PartKind
    port: str | None
    field: str                 # scenario field it came from, for messages
    launch: dt.datetime | None = None
    site: str | None = None    # the pad (catalog site id) of that launch (rossim.ops reads it)
    crew: int = 0
    mass_kg: float | None = None
    detail: str = ""
    #: A docked ship moving to another port (``undock`` then ``dock`` at one instant) to free
    #: its port for an arriving ship: no delivery, no departure (rossim.ops reads this).
    relocation: bool = False


@dataclass(frozen=True)
class Phase:
    """The configuration between two consecutive events: ``start <= t < end``."""

    index: int
    start: dt.datetime
    end: dt.datetime
    attachments: tuple[Attachment, ...]
    occupancy: dict[str, str]  # "<module>.<port>" -> part name
    cause: Event | None

    @property
    def modules(self) -> tuple[Attachment, ...]:
        return tuple(a for a in self.attachments if a.kind == "module")

    @property
    def vehicles(self) -> tuple[Attachment, ...]:
        return tuple(a for a in self.attachments if a.kind == "vehicle")


@dataclass
class Timeline:
    """The checked plan: events, phases, launches, and configuration queries."""

    scenario: Scenario
    catalog: Catalog
    events: list[Event]
    phases: list[Phase]
    launches: list[dict] = field(default_factory=list)
    #: The cargo-by-demand plan (:class:`rossim.station.logistics.CargoPlan`) or None.
    cargo_plan: object = None
    #: Ship relocations between ports: dicts ``time``, ``ship``, ``from``, ``to``, ``for``.
    relocations: list[dict] = field(default_factory=list)
    #: Per launch: insertion orbit, climber, climb and docking (rossim.station.insertion).
    climbs: list[Climb] = field(default_factory=list)
    #: The plan's launches slipped by a pad's turnaround or a busy port, each with its cause
    #: (rossim.station.pad_plan.PadSlips.rows).
    pad_slips: list[dict] = field(default_factory=list)
    #: Each slipped launch -> the launch it waits behind (rossim.station.pad_plan.PadSlips.behind).
    slip_behind: dict[str, str] = field(default_factory=dict)
    #: Each slipped launch -> its lift-off (UTC; rossim.station.pad_plan.PadSlips.lift_offs).
    slip_lift_offs: dict[str, dt.datetime] = field(default_factory=dict)
    #: Dockings and undockings moved later to keep the station's traffic spacing, one row each
    #: (rossim.station.traffic.TrafficQueue.rows).
    traffic_holds: list[dict] = field(default_factory=list)
    #: (part, event) of each traffic hold -> (time, planned), UTC (TrafficQueue.times).
    traffic_hold_times: dict[tuple[str, str], tuple[dt.datetime, dt.datetime]] = field(
        default_factory=dict)

    def __post_init__(self) -> None:
        from rossim.station.configuration import phase_properties

        self._starts = np.array([np.datetime64(p.start.replace(tzinfo=None), "us")
                                 for p in self.phases])
        self.properties = [phase_properties(p, self.catalog, self.scenario.orbit.attitude)
                           for p in self.phases]

    def phase_index(self, epochs) -> np.ndarray:
        """Index of the phase in force at each epoch (vectorised; -1 before the first)."""
        from rossim.station.configuration import as_datetime64

        t = as_datetime64(epochs)
        return np.searchsorted(self._starts, t, side="right") - 1

    def at(self, epochs):
        """Configuration at one epoch (:class:`Configuration`) or at an array of epochs
        (:class:`ConfigurationSeries`, one array per quantity)."""
        from rossim.station.configuration import series_at

        return series_at(self, epochs)

    @property
    def module_events(self) -> list[Event]:
        return [e for e in self.events if e.part_kind == "module"]

    @property
    def assembly_complete(self) -> dt.datetime | None:
        """Date of the last module docking (the station's final configuration)."""
        docks = [e.time for e in self.events if e.part_kind == "module" and e.kind == "dock"]
        return max(docks) if docks else None

    def assembly_phases(self) -> list[Phase]:
        """Phases that start with a module docking or a separation (what `describe` shows),
        plus the initial configuration."""
        out = []
        for p in self.phases:
            if p.cause is None or p.cause.part_kind == "module":
                out.append(p)
        return out


def _where(s: Scenario) -> str:
    return s.source_path or s.name


def _written(t: dt.datetime) -> str:
    """A date as a scenario writes it: ``2028-06-15``, or ``2028-06-15T03:00:00Z``."""
    return f"{t:%Y-%m-%d}" if t.time() == dt.time(0) else f"{t:%Y-%m-%dT%H:%M:%SZ}"


def _known(kind: str, table: dict) -> str:
    return f"a known {kind} id: {', '.join(sorted(table))}"


def _launch_field(scenario: Scenario, fld: str, v, name: str, cargo_plan) -> dict:
    """``{name: (field, value as written)}`` of the date that sends visit ``v`` of ``fld``:
    its ``launch``, a series' ``first_launch`` for its first ship; nothing for a later ship of
    a series nor a flight the cargo-by-demand planner chose (their port is named instead)."""
    group, _, i = fld.rstrip("]").partition("[")
    if group.endswith("_series"):
        first = getattr(scenario, group)[int(i)].first_launch
        return {name: (f"{fld}.first_launch", _written(first))} if v.launch == first else {}
    if cargo_plan is not None and any(p is v for p in cargo_plan.visits):
        return {}
    return {name: (f"{fld}.launch", _written(v.launch))}


def build_timeline(scenario: Scenario, catalog: Catalog | None = None,
                   flown: frozenset[str] = frozenset(),
                   lift_offs: Mapping[str, dt.datetime] | None = None,
                   manual_h: Mapping[str, float] | None = None) -> Timeline:
    """Replay the scenario's plan, checking every docking; return the :class:`Timeline`.
    ``flown``: visit names whose ``launch`` is the lift-off itself (commanded at run time),
    not a planned day to time at a launch window. ``lift_offs``: the real lift-off of a flown
    visit that waited in orbit for a port (its ``launch`` is then ``time_to_dock_h`` before
    the docking); its dock event carries that lift-off. ``manual_h``: hours from lift-off to
    docking of a planned visit that flies a longer profile than its vehicle's
    ``time_to_dock_h`` (a crew docking by hand to a drifting station,
    :mod:`rossim.ops.drift_crew`; an approach re-timed, :mod:`rossim.ops.approach_retime`):
    its lift-off and departure stay, its docking moves."""
    cat = catalog or load_catalog()
    # cargo by demand: the [[cargo_demand]] flights become explicit visits (station.logistics)
    from rossim.station.demand_fields import as_written
    from rossim.station.logistics import resolve_logistics

    resolved, cargo_plan = resolve_logistics(scenario, cat)
    try:
        return _replay(resolved, cat, cargo_plan, flown, lift_offs, manual_h or {})
    except InputError as e:  # a planned flight's error names the entry the user wrote
        raise as_written(e, scenario, resolved, cargo_plan) from None


def _replay(scenario: Scenario, cat: Catalog, cargo_plan, flown: frozenset[str],
            lift_offs: Mapping[str, dt.datetime] | None,
            manual_h: Mapping[str, float]) -> Timeline:
    """:func:`build_timeline` of a scenario whose cargo flights are all explicit visits."""
    where = _where(scenario)
    orbit = scenario.orbit

    def module(mid: str, fld: str) -> Module:
        if mid not in cat.modules:
            raise InputError(where, fld, mid, _known("module", cat.modules),
                             problem="unknown module")
        return cat.modules[mid]

    def vehicle(vid: str, fld: str) -> Vehicle:
        if vid not in cat.vehicles:
            raise InputError(where, fld, vid, _known("vehicle", cat.vehicles),
                             problem="unknown vehicle")
        return cat.vehicles[vid]

    def launcher(lid: str, fld: str):
        if lid not in cat.launchers:
            raise InputError(where, fld, lid, _known("launcher", cat.launchers),
                             problem="unknown launcher")
        return cat.launchers[lid]

    def site(launcher_obj, sid: str | None, fld: str):
        if sid is not None and sid not in cat.sites:
            raise InputError(where, fld, sid, _known("site", cat.sites), problem="unknown site")
        st = site_for(cat, launcher_obj, sid)
        check_pad(where, fld, launcher_obj, st)   # issue 14: only a pad the launcher flies from
        return st

    # launchers grounded by a failure (operations.launcher_stand_downs): known ids
    for i, sd in enumerate(getattr(getattr(scenario, "operations", None),
                                   "launcher_stand_downs", ())):
        fld = f"operations.launcher_stand_downs[{i}]"
        launcher(sd.launcher, f"{fld}.launcher")
        if sd.site is not None and sd.site not in cat.sites:
            raise InputError(where, f"{fld}.site", sd.site, _known("site", cat.sites),
                             problem="unknown site")

    # ---- actions -------------------------------------------------------------------------
    actions: list[tuple[dt.datetime, int, int, Event]] = []  # (time, priority, order, event)
    order = 0

    def add(ev: Event, priority: int) -> None:
        nonlocal order
        actions.append((ev.time, priority, order, ev))
        order += 1

    start = scenario.span.start
    for i, im in enumerate(scenario.initial):
        fld = f"initial[{i}]"
        m = module(im.module, f"{fld}.module")
        add(Event(start, "dock", m.id, m.id, "module", im.port or None, fld,
                  detail="in orbit at the span start"), 0)

    launch_groups: dict[str, list[tuple[str, object, Module, float]]] = {}
    group_lv: dict[str, tuple[str, object, object]] = {}
    for i, a in enumerate(scenario.assembly):
        if not a.enabled:
            continue
        fld = f"assembly[{i}]"
        m = module(a.module, f"{fld}.module")
        lv = launcher(a.launcher or m.launcher, f"{fld}.launcher")
        st = site(lv, a.site, f"{fld}.site")
        mass = a.mass_kg if a.mass_kg is not None else m.mass_kg.value
        if m.diameter_m.value > lv.fairing_diameter_m.value:
            raise InputError(where, f"{fld}.module", m.id,
                             f"a diameter within the {lv.name_en} fairing "
                             f"({lv.fairing_diameter_m.value} m)",
                             problem=f"{m.diameter_m.value} m wide")
        key = a.launch_group or f"{fld}"
        if key in group_lv and group_lv[key][1].id != lv.id:
            raise InputError(where, f"{fld}.launcher", lv.id,
                             f"the same launcher as the rest of launch group "
                             f"'{key}' ({group_lv[key][1].id})")
        if key in group_lv:   # one launch: one date, one pad (the first member's were flown)
            f0, a0 = group_lv[key][0], launch_groups[key][0][1]
            if a.launch != a0.launch:
                raise InputError(where, f"{fld}.launch", _written(a.launch),
                                 f"the launch date of the rest of launch group '{key}' "
                                 f"({f0}.launch = {_written(a0.launch)}): one launch carries "
                                 "the group; give the modules one date, or separate groups",
                                 problem="a second date for one launch")
            if st.id != group_lv[key][2].id:
                raise InputError(where, f"{fld}.site", a.site or st.id,
                                 f"the pad of the rest of launch group '{key}' "
                                 f"({group_lv[key][2].id}, {f0}): one launch carries the group",
                                 problem="a second pad for one launch")
        group_lv.setdefault(key, (fld, lv, st))
        launch_groups.setdefault(key, []).append((fld, a, m, mass))

    # Ships by name: the pad plan and the replay key them so (the schema checks the names the
    # file gives, rossim.config.scenario_names; these are the plan's, a campaign's included).
    visits = scenario.visits
    visit_fields: dict[str, str] = {}
    for fld, v in visits:
        name = v.part_name
        if name in cat.modules:
            raise InputError(where, f"{fld}.name", name,
                             "a ship name that is no module id (the plan tells modules and "
                             "ships apart by name)", problem="a module's id")
        if name in visit_fields:
            raise InputError(where, fld, name,
                             f"a visit distinct from {visit_fields[name]} (same vehicle, same "
                             "launch date): give one of them its own `name`, or merge them",
                             problem="a second visit with the same name")
        visit_fields[name] = fld

    # Each launch: payload at its insertion orbit, the climb by the module's engines or a tug,
    # and the docking at launch + the climb's days (rossim.station.insertion).
    climbs: list[Climb] = []
    launches = []
    windows = WindowFinder(PlaneModel.from_scenario(scenario))  # issue 14: launch windows
    slips = pad_slips(scenario, cat, windows, launch_groups, group_lv, flown)  # pad turnaround
    for key, members in launch_groups.items():
        _f, lv, st = group_lv[key]
        c = plan_launch(where, key, members, lv, st, cat.sites[lv.site], cat,
                        orbit.altitude_km, orbit.inclination_deg, windows=windows,
                        not_before=slips.not_before.get(("group", key)))
        climbs.append(c)
        launches.append({"group": key, "launcher": lv.id, "site": st.id,
                         "modules": list(c.modules), "mass_kg": c.launch_mass_kg,
                         "capacity_kg": c.capacity_kg, "insertion": c.insertion,
                         "climber": c.climber, "climb_dv_m_s": c.dv_m_s,
                         "climb_propellant_kg": c.propellant_kg, "climb_days": c.days})
        for fld, a, m, mass in members:
            add(Event(c.docked, "dock", m.id, m.id, "module", a.port or None, fld,
                      launch=c.launch, site=st.id, mass_kg=mass,
                      detail=f"launched {c.launch:%Y-%m-%d %H:%M} UTC on {lv.name_en}, "
                             f"{c.insertion}, climb by {c.climber_name} ({c.days:g} d)"
                             + slips.notes.get(("group", key), "")), 1)

    launch_fields: dict[str, tuple[str, str]] = {}   # a ship -> the date that sends it
    for fld, v in visits:
        veh = vehicle(v.vehicle, f"{fld}.vehicle")
        lv = launcher(v.launcher or veh.launcher, f"{fld}.launcher")
        st = site(lv, v.site or veh.launch_site, f"{fld}.site")
        mass = v.mass_kg if v.mass_kg is not None else veh.mass_kg.value
        capacity = payload_kg(lv, st, orbit.altitude_km, orbit.inclination_deg,
                              raise_orbit=False, home=cat.sites[lv.site])
        if mass > capacity:   # the mass as written, or the catalog's said to be used
            raise too_heavy(where, [(fld, v, veh, mass)], [], capability_text(
                capacity, lv, st, "the insertion orbit", orbit.inclination_deg), capacity)
        if v.crew > veh.crew_seats.value:
            raise InputError(where, f"{fld}.crew", v.crew,
                             f"at most {veh.crew_seats.value:.0f} ({veh.name_en} seats)")
        if v.duration_days > veh.max_docked_days.value:
            raise InputError(where, f"{fld}.duration_days", v.duration_days,
                             f"at most {veh.max_docked_days.value:.0f} days "
                             f"({veh.name_en} docked life)")
        if v.duration_days * 86400.0 < 3600.0:
            raise InputError(where, f"{fld}.duration_days", v.duration_days,
                             "a stay of at least 1 hour (0.0417 days) between docking and "
                             "undocking")
        name = v.part_name
        launch_fields.update(_launch_field(scenario, fld, v, name, cargo_plan))
        lift, dock_t, undock_t = visit_times(windows, st, v, veh.time_to_dock_h.value,
                                             where, f"{fld}.launch", name in flown,
                                             slips.not_before.get(("visit", name)))
        if name in manual_h and name not in flown:   # docks by hand (rossim.ops.drift_crew)
            dock_t = lift + dt.timedelta(seconds=round(manual_h[name] * 3600))
            undock_t = max(undock_t, dock_t + dt.timedelta(hours=1))
        if dock_t > scenario.span.end and ("visit", name) in slips.not_before:
            continue  # slipped past the span's end: not flown in it (as a dispersion slip)
        if lift_offs and name in flown and name in lift_offs:  # waited in orbit (Dock.lift_off)
            lift = lift_offs[name]
        add(Event(dock_t, "dock", name, veh.id, "vehicle", v.port, fld, launch=lift, site=st.id,
                  crew=v.crew, mass_kg=mass, detail=f"{veh.name_en}, crew {v.crew}, launched "
                  f"{lift:%Y-%m-%d %H:%M} UTC on {lv.name_en} from {st.name_en}"
                  + slips.notes.get(("visit", name), "")), 1)
        if undock_t <= scenario.span.end:
            add(Event(undock_t, "undock", name, veh.id, "vehicle", v.port, fld, crew=v.crew,
                      detail=f"{veh.name_en} leaves"), 0)

    listed: dict[str, frozenset[str]] = {}   # a separation's field -> the modules it lists
    for i, sep in enumerate(scenario.separations):
        fld = f"separations[{i}]"
        listed[fld] = frozenset(sep.modules)
        for j, mid in enumerate(sep.modules):
            module(mid, f"{fld}.modules[{j}]")
            add(Event(sep.date, "separation", mid, mid, "module", None, f"{fld}.modules[{j}]",
                      detail=sep.note or "separates from the station"), 0)

    actions.sort(key=lambda a: (a[0], a[1], a[2]))
    # one docking or undocking at a time: the later one waits (rossim.station.traffic)
    traffic = TrafficQueue(actions, spacing(), {m.id: key for key, ms in launch_groups.items()
                                                for _f, _a, m, _m in ms})

    # ---- replay ----------------------------------------------------------------------------
    attached: dict[str, Attachment] = {}
    occupancy: dict[str, str] = {}
    phases: list[Phase] = []
    events: list[Event] = []
    relocations: list[dict] = []
    leaves = {ev.part: ev.time for *_k, ev in actions if ev.kind == "undock"}
    module_plan = [ev for *_k, ev in actions if ev.part_kind == "module"]
    gone: dict[str, set[str]] = {}   # a separation's field -> the modules it has taken away

    def snapshot(t: dt.datetime, cause: Event | None) -> None:
        if phases and phases[-1].start == t:
            # Several events at one instant: keep the last state only.
            prev = phases.pop()
            cause = cause or prev.cause
        phases.append(Phase(len(phases), t, scenario.span.end, tuple(attached.values()),
                            dict(occupancy), cause))

    for t, ev in traffic:
        if ev.kind == "dock":
            if scenario.relocate_crew_ships:
                moves = _relocate_for(ev, cat, attached, occupancy, where)
                for move in moves:
                    relocations.append(move)
                    for kind, port in (("undock", move["from"]), ("dock", move["to"])):
                        events.append(Event(t, kind, move["ship"], move["catalog_id"],
                                            "vehicle", port, ev.field, relocation=True,
                                            crew=attached[move["ship"]].crew,
                                            detail=f"relocates {move['from']} -> {move['to']} "
                                                   f"to free the port for {ev.part}"))
                    snapshot(t, events[-1])
                if moves and traffic.relocated(ev, t, moves):
                    continue   # it docks the traffic spacing after the relocation
            check_station_there(ev, attached, module_plan, where, launch_fields.get(ev.part))
            _dock(ev, cat, attached, occupancy, where, module_plan)
        elif ev.kind == "undock":
            att = attached.pop(ev.part)
            occupancy.pop(att.parent_port, None)  # type: ignore[arg-type]
        else:
            entry = ev.field.split(".", 1)[0]
            _separate(ev, listed[entry], attached, occupancy, where, leaves,
                      gone.setdefault(entry, set()))
        events.append(ev)
        snapshot(t, ev)

    # Phase ends are the next phase's start.
    fixed = []
    for k, p in enumerate(phases):
        end = phases[k + 1].start if k + 1 < len(phases) else scenario.span.end
        fixed.append(Phase(k, p.start, end, p.attachments, p.occupancy, p.cause))
    return Timeline(scenario, cat, events, fixed, launches, cargo_plan, relocations, climbs,
                    slips.rows, slips.behind, slips.lift_offs, traffic.rows, traffic.times)
