"""What the recontact propagation of a deployment starts from, shared by the autonomy's
look-ahead in the run (:mod:`rossim.ops.return_watch`) and the post-run check
(:func:`rossim.fleet.recontact.family_recontact`), so that the two see the same satellites
and the same station (issue 14: a prediction and a check that disagree on their inputs
disagree on marginal returns: a 0.6 % change of the station's ``Cd A/m`` for the last three
days moves a return 30 days after release by 100 m, across the approach ellipsoid).

* :func:`release_point_lvlh`: the release point (LVLH) from the module's placement in the
  configuration of the release date;
* :func:`release_states`: every satellite of a scenario's deployments, its release time,
  LVLH state (release point and dispersed velocity of
  :func:`rossim.dynamics.family_propagation.release_velocities_lvlh`) and ``Cd A/m``;
* :func:`station_state_gcrf`: the station's start state, circular at its altitude and node;
* :func:`flown_impulses`: a run's reboosts (``altitude_before_km`` -> ``altitude_after_km``
  at ``time``) inside a propagation span, as the Hohmann impulses the propagator flies.

Units SI; times ``datetime64[us]`` UTC or timezone-aware datetimes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from rossim.constants import GM_EARTH_M3_S2, R_EQ_M
from rossim.dynamics.family_propagation import (
    _DIRECTIONS,
    StationBurn,
    hohmann_impulses,
    release_velocities_lvlh,
)

__all__ = ["PORT_CLEARANCE_M", "satellite_name", "release_point_lvlh", "release_states", "flown_impulses",
           "station_state_gcrf"]

#: Distance from the module's axis at which a port ejector releases (m): module radius plus
#: the ejector's length, an estimate.
PORT_CLEARANCE_M = 3.0


def satellite_name(deployment_index: int, k: int) -> str:
    """The free-flyer's name, ``ff-<batch>-<n>``: deployment (batch) ``deployment_index + 1``
    in scenario order, ``k + 1``-th satellite released by it. The one naming of ``rossim run``
    (events, report, ``summary.json`` ``free_flyers``), ``rossim fleet`` and ``rossim export``."""
    return f"ff-{deployment_index + 1}-{k + 1}"


def release_point_lvlh(timeline, module: str, date, direction_lvlh: np.ndarray,
                       release: str = "port", arm_reach_m: float = 11.0) -> np.ndarray:
    """Release point (LVLH, m) relative to the station's centre of mass.

    The module's centre (station frame, from the configuration) minus the centre of mass,
    plus ``PORT_CLEARANCE_M`` (port) or ``arm_reach_m`` (arm) along the ejection direction.
    Station frame = LVLH for the velocity attitude (+x along the velocity, +z nadir); for the
    nadir attitude the station's +x points to the nadir and +z along the velocity.
    """
    config = timeline.at(date)
    centre = np.asarray(config.placements[module][0], float) - np.asarray(config.com_m, float)
    if timeline.scenario.orbit.attitude == "nadir":
        centre = np.array([centre[2], -centre[1], centre[0]])
    reach = arm_reach_m if release == "arm" else PORT_CLEARANCE_M
    return centre + reach * np.asarray(direction_lvlh, float)


def _unit(direction) -> np.ndarray:
    v = np.asarray(_DIRECTIONS[direction] if isinstance(direction, str) else direction, float)
    return v / np.linalg.norm(v)


def release_states(scenario: Any, timeline: Any, seed: int,
                   release_dates: dict[int, dt.datetime] | None = None,
                   only: int | None = None) -> list[dict]:
    """Every satellite of the scenario's deployments (or of deployment ``only``): ``name``
    (``ff-<deployment>-<k>``, from 1), ``deployment`` (index), ``release`` (datetime: the
    deployment's date, or its actual release from ``release_dates``, plus ``k`` release
    intervals), ``state`` (6,) LVLH m and m/s (the release point in the configuration of the
    release, the dispersed velocity), ``cda_over_m`` (m^2/kg) and
    ``ballistic_coefficient_kg_m2``."""
    vel = release_velocities_lvlh(seed, scenario.free_flyers.deployments)
    out = []
    for i, d in enumerate(scenario.free_flyers.deployments):
        if only is not None and i != only:
            continue
        start = (release_dates or {}).get(i, d.date)
        u = _unit(d.direction)
        module = d.port.split(".", 1)[0]
        p0 = release_point_lvlh(timeline, module, start, u, d.release, d.arm_reach_m)
        for k in range(d.count):
            out.append({
                "name": satellite_name(i, k), "deployment": i,
                "release": start + dt.timedelta(seconds=k * d.interval_s),
                "state": np.concatenate([p0, vel[i][k]]),
                "cda_over_m": d.cd * d.area_m2 / d.mass_kg,
                "ballistic_coefficient_kg_m2": d.mass_kg / (d.cd * d.area_m2),
            })
    return out


def flown_impulses(burns: Sequence[Any], start: np.datetime64, horizon_s: float
                   ) -> list[StationBurn]:
    """The reboosts among ``burns`` (objects with ``time`` datetime64, ``altitude_before_km``,
    ``altitude_after_km``: :class:`rossim.ops.orbit_keeping.Burn`) from ``start`` to
    ``start + horizon_s`` (both included), each as its two Hohmann impulses (times in s
    after ``start``)."""
    end = start + np.timedelta64(int(horizon_s), "s")
    out: list[StationBurn] = []
    for b in burns:
        if start <= b.time <= end:
            tb = float((b.time - start) / np.timedelta64(1, "s"))
            out.extend(hohmann_impulses(tb, b.altitude_before_km, b.altitude_after_km))
    return out


def station_state_gcrf(altitude_km: float, inclination_deg: float, raan_rad: float
                       ) -> tuple[np.ndarray, np.ndarray]:
    """GCRF position (m) and velocity (m/s) on a circular orbit of radius ``R_eq +
    altitude`` at the ascending node ``raan_rad`` (argument of latitude 0): the station at a
    release (the run's mean-element orbit carries no phase along the orbit)."""
    r = R_EQ_M + float(altitude_km) * 1e3
    v = float(np.sqrt(GM_EARTH_M3_S2 / r))
    i = np.radians(float(inclination_deg))
    p = np.array([np.cos(raan_rad), np.sin(raan_rad), 0.0])
    q = np.array([-np.sin(raan_rad) * np.cos(i), np.cos(raan_rad) * np.cos(i), np.sin(i)])
    return r * p, v * q
