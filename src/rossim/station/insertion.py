"""Insertion and climb of a module launch: the launcher leaves the module (or a launch group)
in a low insertion orbit; the module's own engines or a Progress-derived tug climb to the
station, rendezvous and dock.

Russian practice (catalog sources): Nauka was inserted into 190 x 350 km by a Proton-M and took
eight days to the ISS on its own engines (nsf-2021-07, roscosmos); Prichal flew with its
Progress M-UM tug, 8.18 t together on a Soyuz-2.1b, and docked two days after launch
(tass-2021-11).

Model (estimates, every input a catalog figure with its flag):

- payload check at the insertion orbit: :func:`rossim.station.launch.payload_to_orbit_kg` from
  the launch site, at the station's inclination; the launch mass is the modules, the climbing
  module's propellant or the tug, and the launcher's adapter;
- climb delta-v: the two-impulse transfer from the insertion orbit (perigee x apogee) to the
  station's circular orbit (:func:`rossim.station.launch.transfer_dv`) plus the rendezvous
  allowance (:data:`rossim.station.launch.RENDEZVOUS_DV`, phasing and final approach);
- propellant: the rocket equation ``m0 (1 - exp(-dv / (g0 Isp)))`` with the climber's specific
  impulse and ``m0`` the whole stack after separation from the launcher;
- days: the climber's rendezvous profile (catalog ``rendezvous_days``: Nauka's 8 days, the tug's
  2.1 days), or the scenario's ``transfer_days`` when given. The days are a published profile,
  not derived from orbital phasing.

A launch the launcher cannot put into its insertion orbit, or a climb the climber's propellant
does not cover, is refused with one :class:`~rossim.errors.InputError` naming the field.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

from rossim.config.catalog import Catalog, Launcher, Module, Site
from rossim.errors import InputError
from rossim.station.launch import (
    G0,
    RENDEZVOUS_DV,
    capability_text,
    payload_kg,
    payload_to_orbit_kg,
    too_heavy,
    transfer_dv,
)
from rossim.time import event_time

ClimberKind = Literal["own", "tug", "upper-stage"]

#: Minutes from lift-off to separation in the insertion orbit (estimate: Proton-M ~9.7 min for
#: Nauka, Soyuz-2.1b ~9 min).
ASCENT_MINUTES = 10.0
#: Lowest insertion perigee accepted (km): below it an orbit decays within hours.
MIN_PERIGEE_KM = 150.0

__all__ = ["Climb", "ClimbPlan", "plan_launch", "climb_propellant_kg", "launch_events",
           "leftover_propellant_kg", "ASCENT_MINUTES"]


@dataclass(frozen=True)
class ClimbPlan:
    """The climb of one stack from its insertion orbit to a circular station orbit."""

    insertion_perigee_km: float
    insertion_apogee_km: float
    station_altitude_km: float
    stack_mass_kg: float      # everything that climbs, climber's propellant included (kg)
    isp_s: float
    transfer_dv_m_s: float
    rendezvous_dv_m_s: float

    @property
    def dv_m_s(self) -> float:
        return self.transfer_dv_m_s + self.rendezvous_dv_m_s

    @property
    def propellant_kg(self) -> float:
        return climb_propellant_kg(self.stack_mass_kg, self.dv_m_s, self.isp_s)


def climb_propellant_kg(stack_mass_kg: float, dv_m_s: float, isp_s: float) -> float:
    """Propellant (kg) a stack of ``stack_mass_kg`` (kg, at the start of the climb) burns to
    give ``dv_m_s`` (m/s) at ``isp_s`` (s): the rocket equation."""
    return float(stack_mass_kg * (1.0 - math.exp(-dv_m_s / (G0 * isp_s))))


def climb_plan(perigee_km: float, apogee_km: float, station_altitude_km: float,
               stack_mass_kg: float, isp_s: float) -> ClimbPlan:
    """The :class:`ClimbPlan` from ``perigee_km`` x ``apogee_km`` to ``station_altitude_km``."""
    return ClimbPlan(perigee_km, apogee_km, station_altitude_km, stack_mass_kg, isp_s,
                     transfer_dv(perigee_km, apogee_km, station_altitude_km,
                                 station_altitude_km), RENDEZVOUS_DV)


@dataclass(frozen=True)
class Climb:
    """One launch as it flies: launcher, site, insertion orbit, climber, climb and docking.

    Masses in kg, delta-v in m/s, times UTC. ``insertion_source`` says where the insertion
    orbit comes from (the scenario, or the launcher's catalog figure with its flag)."""

    group: str
    modules: tuple[str, ...]
    launcher: str
    launcher_name: str
    site: str
    site_name: str
    launch: dt.datetime
    insertion_perigee_km: float
    insertion_apogee_km: float
    insertion_source: str
    climber: str              # "own:<module>", a tug id, or "upper-stage"
    climber_kind: ClimberKind
    climber_name: str
    climber_flag: str
    modules_mass_kg: float
    climber_mass_kg: float    # tug launch mass, or the module's climb propellant
    adapter_kg: float
    launch_mass_kg: float
    capacity_kg: float
    dv_m_s: float
    propellant_kg: float
    propellant_available_kg: float
    days: float
    days_source: str
    docked: dt.datetime
    # issue 14: the launch is at the first allowed in-plane window on or after the planned
    # time (rossim.station.windows.first_window); None when planned without a plane.
    planned: dt.datetime | None = None
    window_kind: str | None = None
    azimuth_deg: float | None = None

    @property
    def insertion(self) -> str:
        return f"{self.insertion_perigee_km:g} x {self.insertion_apogee_km:g} km"

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["modules"] = list(self.modules)
        d["launch"] = self.launch.isoformat()
        d["docked"] = self.docked.isoformat()
        d["planned"] = self.planned.isoformat() if self.planned else None
        d["insertion"] = self.insertion
        for k in ("modules_mass_kg", "climber_mass_kg", "launch_mass_kg", "capacity_kg",
                  "dv_m_s", "propellant_kg", "propellant_available_kg", "days"):
            d[k] = round(float(d[k]), 3)
        return d


def _climber(where: str, members: list, cat: Catalog) -> tuple[str, ClimberKind, Any]:
    """Who climbs: (id, kind, module-or-tug)."""
    fld, m = members[0][0], members[0][2]
    explicit = [(f, x.climber) for f, x, *_ in members if x.climber is not None]
    if len({c for _, c in explicit}) > 1:
        raise InputError(where, f"{explicit[1][0]}.climber", explicit[1][1],
                         f"the same climber as the rest of its launch group ({explicit[0][1]})")
    choice = explicit[0][1] if explicit else None
    fld_c = explicit[0][0] if explicit else fld
    engined = [x for _, _, x, *_ in members if x.engine_isp_s and x.propellant_kg]
    tugs = [x.tug for _, _, x, *_ in members if x.tug]
    if choice is None:
        if engined:
            choice = "own"
        elif tugs:
            choice = tugs[0]
        else:
            choice = "upper-stage"
    if choice == "upper-stage":
        return choice, "upper-stage", None
    if choice == "own":
        if not engined:
            raise InputError(where, f"{fld_c}.climber", "own",
                             "a tug id (" + ", ".join(sorted(cat.tugs)) + ") or "
                             "'upper-stage'", problem=f"{m.id} has no engines of its own "
                             "(catalog: engine_isp_s, propellant_kg)")
        return f"own:{engined[0].id}", "own", engined[0]
    if choice not in cat.tugs:
        raise InputError(where, f"{fld_c}.climber", choice,
                         "'own', 'upper-stage' or a known tug id: "
                         + ", ".join(sorted(cat.tugs)), problem="unknown climber")
    return choice, "tug", cat.tugs[choice]


def plan_launch(where: str, group: str, members: list[tuple[str, Any, Module, float]],
                launcher: Launcher, site: Site, home: Site, cat: Catalog,
                station_altitude_km: float, inclination_deg: float,
                windows: Any = None, not_before: dt.datetime | None = None) -> Climb:
    """Check one launch (one module or a ``launch_group``) and plan its climb.

    ``windows``: a :class:`rossim.station.windows.WindowFinder` on the station's plane; when
    given the launch lifts off at the first in-plane window from ``site`` allowed by its azimuth
    corridor on or after the planned time (:func:`rossim.station.windows.first_window`), and
    the docking follows it by the climb's days. Without it the launch is at the planned time.
    ``not_before``: the earliest lift-off when a pad's turnaround slips the launch
    (:mod:`rossim.station.pad_plan`); the window is then the first on or after it.

    ``members``: (scenario field, :class:`~rossim.config.scenario.AssemblyLaunch`, catalog
    module, module mass kg) per module. Raises :class:`InputError` for an unknown climber, an
    insertion orbit out of range, a launch heavier than the launcher's payload to the
    insertion orbit, or a climb the climber's propellant does not cover."""
    fld0, a0 = members[0][0], members[0][1]
    modules_mass = sum(mass for *_, mass in members)
    climber_id, kind, who = _climber(where, members, cat)
    adapter = launcher.adapter_kg.value

    # ---- insertion orbit -----------------------------------------------------------------
    given = [(f, x.insertion_km) for f, x, *_ in members if x.insertion_km is not None]
    if kind == "upper-stage":
        perigee = apogee = float(station_altitude_km)
        ins_source = "upper stage to the station's orbit"
    elif given:
        fld_i, (perigee, apogee) = given[0]
        ins_source = "scenario"
        if not (MIN_PERIGEE_KM <= perigee <= apogee <= station_altitude_km + 50.0):
            raise InputError(where, f"{fld_i}.insertion_km", [perigee, apogee],
                             f"[perigee, apogee] km with {MIN_PERIGEE_KM:g} <= perigee <= "
                             f"apogee <= {station_altitude_km + 50.0:g} (the station's "
                             "altitude + 50 km)")
    elif launcher.insertion_perigee_km and launcher.insertion_apogee_km:
        perigee = launcher.insertion_perigee_km.value
        apogee = launcher.insertion_apogee_km.value
        ins_source = (f"{launcher.id} catalog ({launcher.insertion_perigee_km.flag}: "
                      f"{launcher.insertion_perigee_km.source})")
    else:
        raise InputError(where, f"{fld0}.insertion_km", "",
                         f"[perigee, apogee] km: {launcher.name_en} has no default insertion "
                         "orbit in the catalog")

    # ---- climber and stack -----------------------------------------------------------------
    if kind == "own":
        climber_mass = who.propellant_kg.value
        available = who.propellant_kg.value
        isp = who.engine_isp_s.value
        name = f"{who.name_en}, own engines"
        flag = who.propellant_kg.flag
        rdv = who.rendezvous_days
    elif kind == "tug":
        climber_mass = who.mass_kg.value
        available = who.propellant_kg.value
        isp = who.engine_isp_s.value
        name = who.name_en
        flag = who.mass_kg.flag
        rdv = who.rendezvous_days
    else:
        climber_mass, available, isp, name, flag, rdv = 0.0, 0.0, 0.0, \
            f"{launcher.name_en} upper stage", "estimate", None
    launch_mass = modules_mass + climber_mass + adapter

    # ---- payload at the insertion orbit ------------------------------------------------------
    if kind == "upper-stage":
        capacity = payload_kg(launcher, site, station_altitude_km, inclination_deg,
                              raise_orbit=True, home=home)
        into = f"{station_altitude_km:g} km"
    else:
        capacity = payload_to_orbit_kg(launcher, site, perigee, apogee, inclination_deg,
                                       home=home)
        into = f"the insertion orbit {perigee:g} x {apogee:g} km"
    if launch_mass > capacity:   # the mass as written, and what the launch adds to it
        raise too_heavy(where, members,
                        [(f"tug {climber_id}" if kind == "tug" else "climb propellant", climber_mass),
                         ("adapter", adapter)],
                        capability_text(capacity, launcher, site, into, inclination_deg,
                                        "estimate, rossim.station.insertion"), capacity)

    # ---- climb -------------------------------------------------------------------------------
    if kind == "upper-stage":
        dv = needed = 0.0
    else:
        plan = climb_plan(perigee, apogee, station_altitude_km, modules_mass + climber_mass,
                          isp)
        dv, needed = plan.dv_m_s, plan.propellant_kg
        if needed > available:
            raise InputError(
                where, f"{fld0}.climber", climber_id.split(":")[0],
                f"a climber whose propellant covers the climb: {needed:.0f} kg for {dv:.0f} m/s "
                f"from {perigee:g} x {apogee:g} km to {station_altitude_km:g} km with "
                f"{modules_mass + climber_mass:.0f} kg at {isp:g} s",
                problem=f"{name} carries {available:.0f} kg")

    # ---- days ----------------------------------------------------------------------------------
    set_days = [x.transfer_days for _, x, *_ in members if "transfer_days" in x.model_fields_set]
    if set_days:
        days, days_source = float(set_days[0]), "scenario transfer_days"
    elif rdv is not None:
        days, days_source = rdv.value, f"{rdv.flag}: {rdv.source}"
    else:
        days, days_source = float(a0.transfer_days), "scenario transfer_days (default)"
    # ---- launch window -------------------------------------------------------------------------
    lift_off, wkind, waz = max(a0.launch, not_before or a0.launch), None, None
    if windows is not None:
        after = a0.launch if not_before is None else max(a0.launch, not_before)
        w = windows.first(site, after, where=where, field=f"{fld0}.launch")
        from rossim.station.windows import clock_minute

        lift_off, wkind, waz = clock_minute(w["time"]), w["kind"], w["azimuth_deg"]
    return Climb(group, tuple(m.id for _, _, m, _ in members), launcher.id, launcher.name_en,
                 site.id, site.name_en, lift_off, float(perigee), float(apogee), ins_source,
                 climber_id, kind, name, flag, modules_mass, climber_mass, adapter, launch_mass,
                 capacity, dv, needed, available, days, days_source,
                 lift_off + dt.timedelta(days=days), a0.launch, wkind, waz)


def leftover_propellant_kg(climb: Climb, cat: Catalog,
                           tug_deorbit_dv_m_s: float | None = None) -> float:
    """Climb propellant (kg) the climber has left at docking, for the station's tanks:
    ``propellant_available_kg - propellant_kg`` of a module's own engines; of a tug, less
    what its own de-orbit burn of ``tug_deorbit_dv_m_s`` needs (rocket equation, the tug's
    mass after the climb, its engines' specific impulse). 0 for the upper stage.
    Assumption (estimate): the module's tanks join the station's propulsion at docking and a
    Progress-derived tug transfers as a Progress does (:mod:`rossim.ops.cargo_callup`)."""
    if climb.climber_kind not in ("own", "tug"):
        return 0.0
    left = climb.propellant_available_kg - climb.propellant_kg
    if climb.climber_kind == "tug" and tug_deorbit_dv_m_s:
        isp = cat.tugs[climb.climber].engine_isp_s.value
        left -= (climb.climber_mass_kg - climb.propellant_kg) * (
            1.0 - math.exp(-tug_deorbit_dv_m_s / (G0 * isp)))
    return max(left, 0.0)


def launch_events(climbs: list[Climb], start: dt.datetime, end: dt.datetime
                  ) -> list[dict[str, Any]]:
    """Rows for the run's events table (the docking itself is the engine's own event): per
    launch within ``start``..``end``, ``launch`` at lift-off, ``insertion`` at separation
    (:data:`ASCENT_MINUTES` later) and ``climb`` a minute later, to the docking."""
    out: list[dict[str, Any]] = []

    def row(t: dt.datetime, kind: str, subject: str, detail: str, value=None) -> None:
        out.append({"time": event_time(t), "kind": kind, "subject": subject,
                    "detail": detail, "severity": "info",
                    "value": None if value is None else float(value), "source": "plan"})

    for c in climbs:
        if not (start <= c.launch <= end):
            continue
        who = " + ".join(c.modules)
        window = (f", {c.window_kind} in-plane window, azimuth {c.azimuth_deg:.1f} deg"
                  if c.window_kind else "")
        row(c.launch, "launch", who, f"{c.launcher_name} from {c.site_name}{window}, "
            f"{c.launch_mass_kg:.0f} kg of {c.capacity_kg:.0f} kg", c.launch_mass_kg)
        t_ins = c.launch + dt.timedelta(minutes=ASCENT_MINUTES)
        row(t_ins, "insertion", who, f"{c.insertion} ({c.insertion_source.split(' (')[0]})")
        if c.climber_kind != "upper-stage":  # a minute after separation: listed after it
            row(t_ins + dt.timedelta(minutes=1), "climb", who, f"by {c.climber_name}: {c.dv_m_s:.0f} m/s, "
                f"{c.propellant_kg:.0f} of {c.propellant_available_kg:.0f} kg propellant, "
                f"{c.days:g} days to docking", c.propellant_kg)
    return out


def module_climb_days(scenario, cat: Catalog) -> dict[str, float]:
    """Days from launch to docking per enabled assembly module, as :func:`plan_launch` sets
    them (scenario ``transfer_days`` when given, else the climber's rendezvous days), without
    the payload and propellant checks (for re-timed plans, e.g. a campaign's launch slips).
    Modules whose climber is unknown keep their ``transfer_days``."""
    groups: dict[str, list] = {}
    for i, a in enumerate(scenario.assembly):
        if a.enabled and a.module in cat.modules:
            groups.setdefault(a.launch_group or f"#{i}", []).append(
                (f"assembly[{i}]", a, cat.modules[a.module], 0.0))
    out: dict[str, float] = {}
    for members in groups.values():
        set_days = [x.transfer_days for _, x, *_ in members
                    if "transfer_days" in x.model_fields_set]
        try:
            _cid, kind, who = _climber("", members, cat)
        except InputError:
            kind, who = "upper-stage", None
        if set_days:
            days = float(set_days[0])
        elif kind != "upper-stage" and who.rendezvous_days is not None:
            days = who.rendezvous_days.value
        else:
            days = float(members[0][1].transfer_days)
        for _f, a, *_ in members:
            out[a.module] = days
    return out
