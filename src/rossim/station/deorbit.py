"""The de-orbit reserve a plan must hold: the flown precedent scaled to its largest stack.

Mir's controlled de-orbit used 2,678 kg of Progress M1-5 propellant for a complex of about
136 t (2001; ``reference.toml [mir_deorbit]``). The station holds, from the start, that
propellant per tonne times the largest mass its plan reaches (modules and docked ships; a
host station's own modules, ``propulsion.host_modules`` such as the ISS's US segment, are
not the station's to de-orbit: the ROS leaves the ISS before its own de-orbit), and no less than the catalog's ``propulsion.deorbit_reserve_kg`` (a floor), within the tank.
The run's summary checks it against the end mass (``deorbit_reserve.covers_end_mass``).
"""

from __future__ import annotations

__all__ = ["deorbit_reserve_kg", "initial_propellant_kg", "largest_mass_kg", "mir_propellant_kg",
           "own_mass_kg"]


def largest_mass_kg(tl, host_modules=()) -> float:
    """Largest station mass (kg, modules and docked ships) over the configurations of the
    timeline ``tl`` (:func:`rossim.station.build_timeline`) less the catalogue masses of
    the ``host_modules`` attached (:func:`own_mass_kg`); 0 without any."""
    return float(max((own_mass_kg(c, tl.catalog, host_modules) for c in tl.properties),
                     default=0.0))


def own_mass_kg(config, catalog, host_modules=()) -> float:
    """Mass (kg) of configuration ``config`` (``mass_kg``, ``modules``) without the host
    modules attached (their catalogue ``mass_kg``): what the station itself de-orbits.
    The ISS start (ros-iss-start) sized the reserve on 493 t with the US segment and filled
    the whole 4 t tank with it: no working propellant after the separation."""
    host = sum(catalog.modules[m].mass_kg.value for m in config.modules
               if m in host_modules and m in catalog.modules)
    return float(config.mass_kg) - float(host)


def mir_propellant_kg(mass_kg: float) -> float:
    """Propellant (kg) Mir's de-orbit used per tonne, times ``mass_kg``."""
    from rossim.config.reference import load_reference

    mir = load_reference().mir_deorbit
    return float(mir.propellant_kg.value * mass_kg / mir.station_mass_kg.value)


def deorbit_reserve_kg(tl, prop) -> float:
    """Reserve (kg) for the plan ``tl`` with the propulsion parameters ``prop``
    (:class:`rossim.config.systems.PropulsionParams`): max(catalog floor, Mir's propellant
    per tonne x :func:`largest_mass_kg` without the host's modules), at most the station's tank."""
    need = mir_propellant_kg(largest_mass_kg(tl, prop.host_modules))
    return float(min(max(prop.deorbit_reserve_kg.value, need), prop.station_tank_kg.value))


def initial_propellant_kg(tl, prop) -> float:
    """Propellant (kg) in the station's tanks at the start of plan ``tl``: the de-orbit
    reserve held from the start (:func:`deorbit_reserve_kg`) plus
    ``prop.initial_working_propellant_kg``, at most ``prop.station_tank_kg``."""
    return float(min(deorbit_reserve_kg(tl, prop) + prop.initial_working_propellant_kg.value,
                     prop.station_tank_kg.value))
