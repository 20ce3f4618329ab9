"""Orbit dynamics: force models, the numerical propagator, manoeuvres, state files.

- :mod:`rossim.dynamics.forces`: :class:`ForceModel` (gravity point/J2..J6/NxM, drag with
  NRLMSISE-00 or MSIS 2.0/2.1, solar radiation pressure, Sun and Moon) and the compiled
  accelerations.
- :mod:`rossim.dynamics.gravity`: the ICGEM gravity file and the spherical-harmonics kernel.
- :mod:`rossim.dynamics.propagator`: :func:`propagate` (adaptive DOP853 with dense output,
  compiled with numba; drag chunks, re-entry at a set altitude) returning a
  :class:`Trajectory` (:mod:`rossim.dynamics.trajectory`: output grid, dense output, events:
  node crossings, altitude thresholds, eclipses); the compiled integrator is
  :mod:`rossim.dynamics.dop853`, the force-model tables packed once per propagation and the
  MSIS density samples :mod:`rossim.dynamics.force_tables`.
- :mod:`rossim.dynamics.manoeuvres`: :class:`ImpulsiveManoeuvre` (delta-v in LVLH, VNC or
  GCRF at an epoch).
- :mod:`rossim.dynamics.tle`: SGP4 propagation of element sets (python-sgp4, or heyoka.py's
  SGP4 where installed), in bounded memory with ``propagate_chunks`` (the files themselves
  are :mod:`rossim.files`).
- :mod:`rossim.dynamics.initial_state`: :func:`read_state`, the one initial-state reader of
  every command (OPM, OEM, TLE, OMM; KVN or XML), and an OPM's manoeuvres as impulses.
- :mod:`rossim.dynamics.ephemeris`: the one :class:`Ephemeris` contract (``span``,
  ``state_gcrf(t)`` in GCRF) and its SGP4 implementation; the OEM one is in
  :mod:`~rossim.dynamics.oem_ephemeris`, the mean-element one in
  :mod:`~rossim.dynamics.mean_elements`, the span checks in :mod:`~rossim.dynamics.span`
  (all importable from ``ephemeris``); the numerical :class:`Trajectory` and
  :class:`~rossim.dynamics.circular.CircularOrbit` satisfy it.
- :mod:`rossim.dynamics.scenario_orbit`: the one orbit of a scenario (node at the span start,
  or from ``orbit.ltan_h``) that ``run``, ``trade``, ``coverage`` and ``dose`` all use.

States are GCRF (m, m/s); epochs astropy ``Time``. Heavy modules are imported on first use of
a name, so ``import rossim.dynamics`` stays cheap.

Example::

    from rossim.dynamics import ForceModel, propagate
    tr = propagate(r0_m, v0_m_s, "2026-03-01T00:00:00", 86400.0, 60.0,
                   ForceModel(gravity="8x8", drag="nrlmsise00", third_body=("sun", "moon"),
                              cd=2.2, area_m2=1600.0, mass_kg=450e3))
    tr.epochs, tr.r_gcrf_m, tr.v_gcrf_m_s
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Ephemeris", "ForceModel", "ImpulsiveManoeuvre", "PropagationError", "Trajectory",
           "propagate"]

_WHERE = {
    "Ephemeris": "rossim.dynamics.ephemeris",
    "ForceModel": "rossim.dynamics.forces",
    "ImpulsiveManoeuvre": "rossim.dynamics.manoeuvres",
    "PropagationError": "rossim.dynamics.trajectory",
    "Trajectory": "rossim.dynamics.trajectory",
    "propagate": "rossim.dynamics.propagator",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'rossim.dynamics' has no attribute {name!r}")
