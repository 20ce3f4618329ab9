"""The station's mass as it flies: :class:`StationMass`.

The configuration (:mod:`rossim.station.configuration`) sums its parts at their catalogue or
plan mass: each module as launched less its climb propellant, each docked ship at its launch
mass. The flown mass follows what moves between them and what leaves:

``mass = parts - unloaded by the docked ships + (contents - contents at the start)``

- *contents*: the station's propellant tanks, its stores (oxygen, water, food) and its spares
  (inside and outside). What the first module carries at the start (the initial fill, the
  first stores and spares) is part of its mass (estimate: the catalogue's module mass is a
  launch mass); what enters later is new mass: a climber's leftover propellant
  (:meth:`rossim.ops.cargo_callup.CargoCallUp.module_docked`) or a ship's cargo;
- *unloaded*: per docked ship, the propellant, stores and spares it transferred
  (:meth:`StationMass.from_ship`) and the propellant its own tanks burned for the station
  (its reboost reserve, :meth:`rossim.ops.orbit_keeping.OrbitModel.spend`): a ship leaves
  with its launch mass less these;
- a spare fitted leaves its failed unit aboard as trash, which goes out with the next cargo
  ship to leave (ISS and Mir practice: Progress ships leave loaded with trash): the ship
  leaves that much heavier;
- what the crew consumes and food discarded past its shelf life leave the station's mass when
  they are used (estimate: their waste goes out with the departing freighters, which are not
  weighed for it); dry cargo other than spares is taken as traded kilogram for kilogram with
  trash (estimate).

Not modelled: a ship's own rendezvous propellant (it docks at its launch mass) and the crew's
own mass. A host programme's modules (the ISS start) stay at their catalogue mass.

The ledger (:meth:`StationMass.ledger`) counts the same mass from its flows (start, parts
docked, parts' departures with the trash the ships take, burns, consumption, climb propellant)
and must close on the mass
from the state: invariant ``mass_ledger_balanced`` (:mod:`rossim.ops.invariants`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["StationMass"]


class StationMass:
    """Flown mass (kg) of ``sim``'s station (see the module docstring)."""

    def __init__(self, sim) -> None:
        self.sim = sim
        self.contents0: float | None = None
        self.transferred: dict[str, float] = {}   # per docked ship: moved to the station (kg)
        self.reserve0: dict[str, float] = {}      # per docked ship: its reserve at docking (kg)
        self.flows = {"parts_docked_kg": 0.0, "parts_departed_kg": 0.0,
                      "ships_unloaded_kg": 0.0, "trash_departed_kg": 0.0}
        self.start_kg = 0.0
        self.start_parts: set[str] = set()
        self.trash_departed_kg = 0.0

    # -- the state -------------------------------------------------------------------------
    def contents_kg(self) -> float:
        """Propellant in the station's tanks, stores and spares aboard (kg)."""
        sim = self.sim
        kg = float(sim.orbit.tank_kg) if getattr(sim, "orbit", None) is not None else 0.0
        cons = getattr(sim, "consumables", None)
        if cons is not None:
            kg += float(sum(cons.stock.values()))
        return kg + self._spares_kg(lambda c: sim.reliability.spares.stock[c])

    def _spares_kg(self, count) -> float:
        """Mass (kg) of ``count(type)`` spares of each type the spares ledger knows."""
        spares = self.sim.reliability.spares
        return float(sum(count(c) * spares.unit_mass_kg(c) for c in spares.ledger))

    def delivered_kg(self) -> float:
        """Everything delivered into the station so far (kg): propellant into the tanks,
        stores accepted, spares delivered (the ledgers' counters, not the stocks: a spare
        delivered and fitted at once still came from the ship)."""
        sim = self.sim
        kg = float(sim.orbit.ledger["transferred_kg"]) if getattr(sim, "orbit", None) else 0.0
        cons = getattr(sim, "consumables", None)
        if cons is not None:
            kg += float(sum(cons.ledger[i]["accepted_kg"] for i in cons.stock))
        return kg + self._spares_kg(lambda c: sim.reliability.spares.ledger[c]["delivered"])

    def start(self) -> None:
        """Note the contents at the start of the run (part of the first module's mass)."""
        self.contents0 = self.contents_kg()
        self.start_kg = self.mass_kg()
        phase = self.sim.timeline.phases[self.sim._phase]
        self.start_parts = {a.name for a in phase.attachments}

    def unloaded_kg(self, ship: str) -> float:
        """What ``ship`` has given the station while docked (kg): transfers and its reserve
        burned."""
        orbit = self.sim.orbit
        burned = self.reserve0.get(ship, 0.0) - orbit.reserves.get(ship, self.reserve0.get(
            ship, 0.0))
        return self.transferred.get(ship, 0.0) + burned

    def mass_kg(self) -> float:
        """The station's flown mass now (kg; docked ships included); the configuration's
        before :meth:`start`."""
        cfg = self.sim.config
        if cfg is None:
            return 0.0
        if self.contents0 is None:
            return float(cfg.mass_kg)
        return float(cfg.mass_kg - sum(self.unloaded_kg(n) for n in self.transferred)
                     + self.contents_kg() - self.contents0 + self.trash_kg())

    def trash_kg(self) -> float:
        """Failed units replaced by spares still aboard (kg): out with the next cargo ship."""
        used = self._spares_kg(lambda c: self.sim.reliability.spares.ledger[c]["used"])
        return used - self.trash_departed_kg

    def forecast_kg(self, phase_index: int) -> float:
        """Mass (kg) the station will fly in plan phase ``phase_index``, as far as it is known
        now: that configuration's parts, today's contents, and the ships docked now that are
        still docked then at what they have left (ships that dock later at launch mass). For
        the phase in force, :meth:`mass_kg`."""
        sim = self.sim
        cfg = sim._phase_config(phase_index)
        if self.contents0 is None:
            return float(cfg.mass_kg)
        there = {a.name for a in sim.timeline.phases[phase_index].attachments}
        trash = self.trash_kg()
        if any(n not in there and self._is_cargo_ship(n) for n in self.transferred):
            trash = 0.0   # gone with a cargo ship that has left by then
        return float(cfg.mass_kg + self.contents_kg() - self.contents0 + trash
                     - sum(self.unloaded_kg(n) for n in self.transferred if n in there))

    def loss_kg_per_s(self, mass_kg: float, crew: float) -> float:
        """The steady loss of mass (kg/s) at ``mass_kg`` with ``crew`` aboard: attitude control
        in the mode now and leak make-up (:class:`rossim.ops.orbit_keeping.OrbitModel`) and
        the crew's net consumption of stores (:mod:`rossim.ops.life_support`)."""
        sim = self.sim
        rate = sim.orbit.attitude_kg_per_s(sim, mass_kg) + sim.orbit.leak_kg_per_s()
        cons = getattr(sim, "consumables", None)
        if cons is not None:
            rate += crew * float(sum(cons.per_crew_day.values())) / 86400.0
        return rate

    # -- hooks --------------------------------------------------------------------------------
    @contextmanager
    def from_ship(self, ship: str) -> Iterator[None]:
        """Attribute what is delivered inside the ``with`` block to ``ship``'s cargo (its
        propellant transfer, stores and spares at docking)."""
        before = self.delivered_kg()
        yield
        moved = self.delivered_kg() - before
        self.transferred[ship] = self.transferred.get(ship, 0.0) + moved
        self.flows["ships_unloaded_kg"] += moved

    def docked(self, part: str, ship: bool) -> None:
        """Hook after a part docked (the configuration applied): its mass arrives; a ship's
        reserve (kg) is noted to weigh what it burns."""
        if part in self.start_parts:  # docked at the start: in ``start_kg`` already
            self.start_parts.discard(part)
        else:
            self.flows["parts_docked_kg"] += self._part_kg(part)
        if ship:
            self.transferred.setdefault(part, 0.0)
            self.reserve0[part] = float(self.sim.orbit.reserves.get(part, 0.0))

    def undocking(self, part: str) -> None:
        """Hook at a part's undocking, before the configuration drops it and its reserve
        leaves the books: its mass as it leaves (launch mass less what it unloaded) goes
        out."""
        trash = self.trash_kg() if self._is_cargo_ship(part) else 0.0
        self.trash_departed_kg += trash
        self.flows["trash_departed_kg"] += trash
        self.flows["parts_departed_kg"] += self._part_kg(part) + trash - (
            self.unloaded_kg(part) if part in self.transferred else 0.0)
        self.transferred.pop(part, None)
        self.reserve0.pop(part, None)
        self.start_parts.discard(part)

    def _is_cargo_ship(self, name: str) -> bool:
        phase = self.sim.timeline.phases[self.sim._phase]
        att = next((a for a in phase.attachments if a.name == name), None)
        vehicles = self.sim.timeline.catalog.vehicles
        return att is not None and att.kind == "vehicle" and \
            vehicles[att.catalog_id].kind == "cargo"

    def _part_kg(self, name: str) -> float:
        """Plan mass (kg) of the part ``name`` in the configuration in force."""
        phase = self.sim.timeline.phases[self.sim._phase]
        return float(next((a.mass_kg for a in phase.attachments if a.name == name), 0.0))

    # -- the books ----------------------------------------------------------------------------
    def ledger(self) -> dict[str, Any]:
        """The mass from its flows against the mass from the state (kg; ``balance_kg`` 0
        when they agree)."""
        sim = self.sim
        orbit = sim.orbit
        L = orbit.ledger
        burned = float(L["burned_kg"])
        cons = getattr(sim, "consumables", None)
        used = 0.0
        if cons is not None:
            used = float(sum(cons.ledger[i]["consumed_kg"] for i in cons.stock)
                         + cons.ledger["food"].get("discarded_kg", 0.0))
        climb = float(L.get("climber_transferred_kg", 0.0))
        end = self.mass_kg()
        flows = (self.start_kg + self.flows["parts_docked_kg"] + climb
                 - self.flows["parts_departed_kg"] - burned - used)
        return {"start_kg": self.start_kg, **self.flows, "climb_propellant_kg": climb,
                "burned_kg": burned, "consumed_kg": used, "trash_aboard_kg": self.trash_kg(),
                "end_kg": end, "balance_kg": flows - end}
