"""Station properties per phase and their values at arrays of epochs.

For each phase (configuration between two events) rossim computes, in the station body frame
(see :mod:`rossim.station.geometry`): total mass (kg), centre of mass (m; ``com_x_m`` is the
position along the stack), drag cross-section for the flight attitude (m^2; silhouette of every
module and docked vehicle seen along the velocity, sun-tracking arrays counted at their
orbit-averaged 2/pi; overlaps are not removed, so it is an upper bound, as in the usual
"sum of frontal areas" practice), solar-array capacity (kW, beginning of life), pressurised
volume (m^3, modules plus habitable volume of docked vehicles), crew capacity (berths in
modules), return seats (of docked crew vehicles) and crew aboard.

Queries are vectorised: :func:`series_at` maps an array of epochs to phases with one
``searchsorted`` and gathers each quantity by indexing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

import numpy as np

from rossim.config.catalog import Catalog
from rossim.station.geometry import (
    ARRAY_DRAG_FACTOR,
    DIRECTIONS,
    TUMBLING_ARRAY_FACTOR,
    mating_rotation,
    projected_area,
    tumbling_area,
)
from rossim.time import to_datetime64

QUANTITIES = (
    "mass_kg", "module_mass_kg", "com_x_m", "drag_area_m2", "solar_array_power_kw", "pressurised_volume_m3",
    "crew_capacity", "return_seats", "crew_aboard", "n_modules", "n_vehicles",
)


@dataclass(frozen=True)
class Configuration:
    """The station's properties during one phase (SI units in the names)."""

    phase: int
    start: dt.datetime
    end: dt.datetime
    modules: tuple[str, ...]
    vehicles: tuple[str, ...]
    occupancy: dict[str, str]
    mass_kg: float
    module_mass_kg: float
    com_m: tuple[float, float, float]
    com_x_m: float
    drag_area_m2: float
    solar_array_power_kw: float
    pressurised_volume_m3: float
    crew_capacity: int
    return_seats: int
    crew_aboard: int
    n_modules: int
    n_vehicles: int
    placements: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]]
    """Per part: (centre position in the station frame m, axis unit vector)."""
    port_normals: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    """Per module port ``"module.port"``: its outward normal in the station frame (unit)."""
    drag_area_tumbling_m2: float = 0.0
    """Drag area (m^2) of the same parts tumbling at random (free drift,
    :mod:`rossim.ops.free_drift`): each part's mean silhouette over all directions
    (:func:`rossim.station.geometry.tumbling_area`), arrays at half their area; a module
    with a fixed ``drag_area_m2`` in the catalog keeps it."""

    @property
    def ballistic_coefficient_kg_m2(self) -> float:
        """m / A (kg/m^2); multiply A by Cd for the usual m / (Cd A)."""
        return self.mass_kg / self.drag_area_m2 if self.drag_area_m2 > 0 else float("inf")

    def to_dict(self) -> dict:
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, dt.datetime):
                v = v.isoformat().replace("+00:00", "Z")
            elif isinstance(v, tuple):
                v = list(v)
            out[f.name] = v
        out.pop("placements")
        out.pop("port_normals")
        return out


@dataclass(frozen=True)
class ConfigurationSeries:
    """Station properties at an array of epochs: one array per quantity, plus the phase
    index of each epoch (-1 before the first event, where every quantity is 0)."""

    epochs: np.ndarray           # datetime64[us], UTC
    phase: np.ndarray            # int
    mass_kg: np.ndarray
    module_mass_kg: np.ndarray
    com_x_m: np.ndarray
    drag_area_m2: np.ndarray
    solar_array_power_kw: np.ndarray
    pressurised_volume_m3: np.ndarray
    crew_capacity: np.ndarray
    return_seats: np.ndarray
    crew_aboard: np.ndarray
    n_modules: np.ndarray
    n_vehicles: np.ndarray


def as_datetime64(epochs) -> np.ndarray:
    """UTC epochs (str, datetime, numpy datetime64, astropy Time; scalar or array) as
    ``datetime64[us]`` (naive, UTC): :func:`rossim.time.to_datetime64`."""
    return to_datetime64(epochs)


def along_flight(config: Configuration, port: str, attitude: str = "velocity") -> bool:
    """True when a ship docked at ``port`` (``"module.port"`` of ``config``) thrusts along the
    flight axis of ``attitude``: the port faces fore or aft (its normal along the stack axis
    that the attitude puts along the velocity, either way: the station turns 180 deg for a
    burn). Only such a ship reboosts the station with its own engines: the ISS's Progress
    reboosts are flown from Zvezda's aft port, on the long axis (``progress-reboost`` in
    docs/sources.md); a ship at a radial port would thrust across the flight path and off the
    centre of mass. A port ``config`` does not hold is not along the flight axis."""
    n = config.port_normals.get(port)
    if n is None:
        return False
    return abs(float(np.dot(np.asarray(n), _flow_direction(attitude)))) > 0.99


def ship_drag_area_m2(config: Configuration, port: str, vehicle, attitude: str = "velocity"
                      ) -> float:
    """Drag area (m^2) a ship of catalog ``vehicle`` adds when docked at ``port``
    (``"module.port"`` of ``config``), as :func:`phase_properties` counts it: its cylinder seen
    along the flow with its axis on the port's normal, plus its arrays. A port ``config`` does
    not hold: the cylinder broadside (the larger silhouette)."""
    n = config.port_normals.get(port)
    flow = _flow_direction(attitude)
    axis = np.asarray(n, float) if n is not None else DIRECTIONS["+y"]
    return (projected_area("cylinder", vehicle.length_m.value, vehicle.diameter_m.value, axis,
                           flow) + ARRAY_DRAG_FACTOR * vehicle.solar_array_area_m2.value)


def _flow_direction(attitude: str) -> np.ndarray:
    # "velocity": stack axis along the velocity; "nadir": stack axis along the local vertical,
    # the velocity then lies along the station's +z.
    return DIRECTIONS["+x"] if attitude == "velocity" else DIRECTIONS["+z"]


def phase_properties(phase, catalog: Catalog, attitude: str = "velocity") -> Configuration:
    """Compute one phase's :class:`Configuration`."""
    flow = _flow_direction(attitude)
    frames: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # part -> (R, origin)
    pending = list(phase.attachments)
    # Parents come before children in attachment order (docking order), but a separation
    # can reorder nothing, so one pass in order suffices; guard anyway.
    for _ in range(len(pending) + 1):
        rest = []
        for att in pending:
            if att.parent_port is None:
                frames[att.name] = (np.eye(3), np.zeros(3))
                continue
            parent_name, port_name = att.parent_port.split(".", 1)
            if parent_name not in frames:
                rest.append(att)
                continue
            r_p, o_p = frames[parent_name]
            port = catalog.modules[parent_name].port(port_name)
            p_pos = o_p + r_p @ np.asarray(port.position_m)
            p_dir = r_p @ DIRECTIONS[port.direction]
            if att.kind == "module":
                m = catalog.modules[att.catalog_id]
                own = m.attach_port
                own_pos, own_dir = np.asarray(own.position_m), DIRECTIONS[own.direction]
            else:
                v = catalog.vehicles[att.catalog_id]
                own_pos, own_dir = np.array([v.length_m.value, 0.0, 0.0]), DIRECTIONS["+x"]
            r_c = mating_rotation(own_dir, p_dir)
            frames[att.name] = (r_c, p_pos - r_c @ own_pos)
        pending = rest
        if not pending:
            break

    mass = 0.0
    moment = np.zeros(3)
    area = tumbling = power = volume = 0.0
    berths = seats = crew = 0
    placements = {}
    port_normals: dict[str, tuple[float, float, float]] = {}
    for att in phase.attachments:
        r, o = frames[att.name]
        if att.kind == "module":
            m = catalog.modules[att.catalog_id]
            length, diam, shape = m.length_m.value, m.diameter_m.value, m.shape
            power += m.solar_array_power_kw.value
            volume += m.pressurised_volume_m3.value
            berths += int(m.crew_berths.value)
            arrays = m.solar_array_area_m2.value
            fixed_area = m.drag_area_m2.value if m.drag_area_m2 is not None else None
        else:
            v = catalog.vehicles[att.catalog_id]
            length, diam, shape = v.length_m.value, v.diameter_m.value, "cylinder"
            volume += v.habitable_volume_m3.value
            if v.kind == "crew":
                seats += int(v.crew_seats.value)
            crew += att.crew
            arrays = v.solar_array_area_m2.value
            fixed_area = None
        axis = r @ DIRECTIONS["+x"]
        centre = o + r @ np.array([0.5 * length, 0.0, 0.0])
        mass += att.mass_kg
        moment += att.mass_kg * centre
        if fixed_area is not None:
            area += fixed_area
            tumbling += fixed_area
        else:
            area += projected_area(shape, length, diam, axis, flow)
            area += ARRAY_DRAG_FACTOR * arrays
            tumbling += tumbling_area(shape, length, diam) + TUMBLING_ARRAY_FACTOR * arrays
        placements[att.name] = (tuple(float(x) for x in centre), tuple(float(x) for x in axis))
        if att.kind == "module":
            for port in catalog.modules[att.catalog_id].ports:
                port_normals[f"{att.name}.{port.name}"] = tuple(
                    float(x) for x in r @ DIRECTIONS[port.direction])
    com = moment / mass if mass > 0 else np.zeros(3)
    return Configuration(
        phase=phase.index, start=phase.start, end=phase.end,
        modules=tuple(a.name for a in phase.attachments if a.kind == "module"),
        vehicles=tuple(a.name for a in phase.attachments if a.kind == "vehicle"),
        occupancy=dict(phase.occupancy), mass_kg=mass,
        module_mass_kg=sum(a.mass_kg for a in phase.attachments if a.kind == "module"),
        com_m=tuple(float(x) for x in com), com_x_m=float(com[0]), drag_area_m2=area,
        solar_array_power_kw=power, pressurised_volume_m3=volume, crew_capacity=berths,
        return_seats=seats, crew_aboard=crew,
        n_modules=sum(1 for a in phase.attachments if a.kind == "module"),
        n_vehicles=sum(1 for a in phase.attachments if a.kind == "vehicle"),
        placements=placements, port_normals=port_normals, drag_area_tumbling_m2=tumbling,
    )


def series_at(timeline, epochs):
    """Configuration at ``epochs``: a :class:`Configuration` for a scalar epoch, else a
    :class:`ConfigurationSeries` (vectorised gather over phases)."""
    t = as_datetime64(epochs)
    idx = timeline.phase_index(t)
    if t.ndim == 0:
        if idx < 0:
            first = timeline.phases[0].start.date() if timeline.phases else "never"
            from rossim.errors import InputError

            raise InputError(None, "epoch", str(t), f"an epoch on or after the first "
                             f"configuration ({first})")
        return timeline.properties[int(idx)]
    table = {q: np.array([getattr(p, q) for p in timeline.properties] + [0], dtype=float)
             for q in QUANTITIES}
    # Index -1 (before the first event) picks the trailing zero row.
    return ConfigurationSeries(epochs=t, phase=idx, **{q: table[q][idx] for q in QUANTITIES})
