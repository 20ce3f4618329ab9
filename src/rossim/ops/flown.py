"""The run's own flown orbit as an ephemeris: what dose and other along-track models use.

Built from the hourly orbit channel of a run (mean altitude ``a - R_eq`` and node, with the
reboosts in it) as a :class:`rossim.dynamics.ephemeris.MeanElementEphemeris` (the one
``Ephemeris`` contract: GCRF states over a time grid, ``geodetic``, ``beta_deg``). A crew visit
that outlasts the run is carried past its end at the last altitude with the J2 node drift
(one extra sample ``extend_days`` later), so its dose is the whole visit's.
"""

from __future__ import annotations

import math

import numpy as np

from rossim.dynamics.decay import R_EQ_M, nodal_rate_rad_s
from rossim.dynamics.ephemeris import MeanElementEphemeris


def flown_orbit(history, inclination_deg: float, extend_days: float = 400.0
                ) -> MeanElementEphemeris:
    """The flown orbit of a run's :class:`~rossim.ops.orbit_keeping.OrbitHistory`."""
    t = history.epochs
    alt = np.asarray(history.altitude_m, float)
    raan = np.unwrap(np.asarray(history.raan_rad, float))
    dt_s = extend_days * 86400.0
    rate = float(nodal_rate_rad_s(R_EQ_M + alt[-1], math.radians(inclination_deg)))
    t = np.concatenate([t, [t[-1] + np.timedelta64(int(dt_s), "s")]])
    alt = np.concatenate([alt, [alt[-1]]])
    raan = np.concatenate([raan, [raan[-1] + rate * dt_s]])
    return MeanElementEphemeris(t, inclination_deg, raan, altitude_m=alt)


def visit_flown_times(tl) -> dict[str, tuple]:
    """Per crewed visit of the timeline ``tl`` (by its name): ``(lift-off, undocking)`` UTC
    datetimes as flown (the launch window's lift-off, the climb, the stay); a visit still
    docked at the span end stays its planned days (the dose is the whole visit's). The
    crew dose integrates over it
    (:func:`rossim.analysis.crew_dose.crew_visit_doses`)."""
    import datetime as dt

    planned = {v.part_name: v.duration_days
               for _f, v in tl.scenario.visits}
    out: dict[str, tuple] = {}
    for e in tl.events:
        if e.part_kind != "vehicle" or getattr(e, "relocation", False) or not e.crew:
            continue
        if e.kind == "dock" and e.launch is not None and e.part not in out:
            out[e.part] = (e.launch, e.time + dt.timedelta(days=planned.get(e.part, 0.0)))
        elif e.kind == "undock" and e.part in out:
            out[e.part] = (out[e.part][0], e.time)
    return out
