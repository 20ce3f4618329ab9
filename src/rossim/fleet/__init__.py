"""The free-flyer family: small satellites launched from the station and circling it.

Modules (each one concept):

- :mod:`rossim.fleet.relative`: relative motion in the station's LVLH frame (HCW closed form
  with differential drag, exact inertial <-> LVLH, relative orbital elements and passively
  safe e/i-vector separation, :class:`~rossim.fleet.relative.HCWEphemeris` for many objects);
- :mod:`rossim.fleet.truth`: the nonlinear truth, every object integrated by the orbit engine
  with its own ballistic coefficient;
- :mod:`rossim.fleet.deployment`: payload ports, release points, ejection plans and their
  passive safety (recontact over N orbits, dispersion, differential drag);
- :mod:`rossim.fleet.stationkeeping`: differential drag, delta-v per year, propellant and
  lifetime;
- :mod:`rossim.fleet.collision`: the 2-D collision probability (Foster/Chan);
- :mod:`rossim.fleet.screening`: conjunction screening of all pairs (k-d tree filter and
  vectorised refinement; the all-pairs baseline);
- :mod:`rossim.fleet.servicing`: rendezvous, robot-arm retrieval, spaceplane sorties;
- :mod:`rossim.fleet.family`: a scenario's family put together (``rossim fleet``);
- the LVLH picture is :mod:`rossim.report.figures.fleet` (the presentation layer).

>>> from rossim.config.scenario import load_scenario
>>> from rossim.fleet import simulate
>>> report = simulate(load_scenario(), days=1)        # doctest: +SKIP
>>> report.satellites[0]["closest_approach_m"]        # doctest: +SKIP
"""

from rossim.fleet.collision import encounter, pc_2d, pc_circle
from rossim.fleet.deployment import EjectionPlan, check_recontact
from rossim.fleet.family import FleetReport, plan_family, simulate
from rossim.fleet.relative import HCWEphemeris, RelativeOrbit, hcw_propagate
from rossim.fleet.screening import screen, screen_all_pairs

__all__ = [
    "EjectionPlan", "FleetReport", "HCWEphemeris", "RelativeOrbit", "check_recontact",
    "encounter", "hcw_propagate", "pc_2d", "pc_circle", "plan_family", "screen",
    "screen_all_pairs", "simulate",
]
