"""Which tanks a reboost burns from: docked Progress reserves first, then the station's.

docs/operations.md: "a docked Progress's own reserve first, then the station's tanks". A burn
whose delta-v no single source covers is flown from one source after another (a Progress
reserve, the next, then the station's tanks above the de-orbit reserve), each part's
propellant from the rocket equation at the mass the parts before it left: the total equals
one burn's when the sources share an Isp. It was refused unless one source covered it all
(a crewed station at 250 km re-entered with 795 kg above the reserve against the 522 kg the
refused reboost needed; the reference run paid two reboosts from the tanks with Progress
reserves docked). Docked reserves are drawn in the order their ships leave (the reserve
that departs first is burned first; it would otherwise leave unburned), not by name ("#10"
before "#2").
"""

from __future__ import annotations

import datetime as dt

from rossim.station.configuration import along_flight
from rossim.systems.propulsion import dv_for_propellant, propellant_for_dv


def next_undocks(events, now: dt.datetime) -> dict[str, dt.datetime]:
    """Each ship's first undocking at or after ``now`` in the plan's ``events``
    (:class:`rossim.station.Timeline` events: ``part``, ``kind``, ``time``); relocations are
    not departures."""
    leaves: dict[str, dt.datetime] = {}
    for e in events:
        if e.kind == "undock" and e.time >= now and not getattr(e, "relocation", False):
            leaves.setdefault(e.part, e.time)
    return leaves


def at_reboost_port(sim, name: str, config=None) -> bool:
    """True when ship ``name`` is docked in ``config`` (default: ``sim``'s configuration now)
    at a port along the flight axis of the scenario's attitude (module docstring)."""
    config = sim.config if config is None else config
    port = next((p for p, n in config.occupancy.items() if n == name), None)
    return port is not None and along_flight(config, port, sim.scenario.orbit.attitude)


def reboost_reserves(sim, reserves: dict[str, float]) -> dict[str, float]:
    """The ``reserves`` ``{ship: kg}`` of the ships docked now at a port along the flight
    axis (:func:`at_reboost_port`); the others are left out."""
    return {n: kg for n, kg in reserves.items() if at_reboost_port(sim, n)}


def reserves_by_departure(reserves: dict[str, float], events, now: dt.datetime
                          ) -> list[tuple[str, float]]:
    """``reserves`` ``{ship: kg}`` as ``[(ship, kg)]`` in the order the ships undock in the
    plan's ``events`` after ``now`` (:func:`next_undocks`), soonest first; ships with no
    departure in the plan (after the span's end) come last, by name."""
    leaves = next_undocks(events, now)
    far = (1, dt.datetime.max.replace(tzinfo=now.tzinfo))
    return sorted(reserves.items(),
                  key=lambda kv: ((0, leaves[kv[0]]) if kv[0] in leaves else far, kv[0]))


def reboost_sources(sim, orbit, station_kg: float) -> list[tuple[str, float, float]]:
    """The sources a reboost of the run ``sim`` burns from, in order, as ``[(name, isp_s, kg
    available)]``: the docked Progress reserves of ``orbit`` (the orbit model) at a port along
    the flight axis (:func:`reboost_reserves`, soonest to leave first:
    :func:`reserves_by_departure`), then the station's tanks with ``station_kg`` (kg) to spend
    (the whole reboost: all above the de-orbit reserve; a partial one: less what it keeps,
    :mod:`rossim.ops.partial_reboost`)."""
    isp_p = orbit.prop.progress_isp_s.value
    return [(n, isp_p, kg) for n, kg in reserves_by_departure(
        reboost_reserves(sim, orbit.reserves), sim.timeline.events, sim.now)] \
        + [("station", orbit.prop.station_isp_s.value, station_kg)]


def sources_dv_m_s(mass_kg: float, sources: list[tuple[str, float, float]]) -> float:
    """The delta-v (m/s) a stack of ``mass_kg`` (kg) gets by emptying ``sources`` ``[(name,
    isp_s, kg)]`` one after another (Tsiolkovsky at each source's Isp, at the mass the ones
    before it left)."""
    m, dv = float(mass_kg), 0.0
    for _n, isp, kg in sources:
        if kg > 0.0:
            dv += float(dv_for_propellant(m, kg, isp))
            m -= kg
    return dv


def reboost_parts(mass_kg: float, dv_m_s: float, sources: list[tuple[str, float, float]]
                  ) -> tuple[list[tuple[str, float, float]], float]:
    """The parts of a burn of ``dv_m_s`` (m/s) from a stack of ``mass_kg`` (kg) out of
    ``sources`` ``[(name, isp_s, kg available)]`` in the order they are used.

    Returns ``(parts, dv_left_m_s)``: ``parts`` ``[(name, isp_s, kg burned)]`` and the
    delta-v the sources could not give (0 when the burn is covered; then every part but
    the last empties its source)."""
    parts: list[tuple[str, float, float]] = []
    m, left = float(mass_kg), float(dv_m_s)
    for source, isp, fuel in sources:
        if fuel <= 0.0 or left <= 0.0:
            continue
        need = float(propellant_for_dv(m, left, isp))
        if need <= fuel:
            parts.append((source, isp, need))
            return parts, 0.0
        parts.append((source, isp, fuel))
        left -= float(dv_for_propellant(m, fuel, isp))
        m -= fuel
    return parts, max(left, 0.0)
