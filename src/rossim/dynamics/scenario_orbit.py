"""One orbit from a scenario: the orbit ``run``, ``trade``, ``coverage`` and ``dose`` all model.

:func:`orbit_from_scenario` defines the scenario's circular orbit at the **span start**: the
node there is ``orbit.raan_deg``, or, when the scenario gives ``orbit.ltan_h`` (local mean
solar time of the ascending node, for a sun-synchronous orbit), the right ascension that puts
the node at that local time at the span start. From there the node drifts at the first-order
J2 secular rate of the nominal altitude (:class:`~rossim.dynamics.circular.CircularOrbit`).
Every command starts from it, so for one scenario they see the same plane at the same epoch
(``tests/dynamics/test_scenario_orbit.py`` checks the beta angle of every path).

Local mean solar time. The mean Sun is the fictitious Sun moving uniformly along the equator
whose Greenwich hour angle is ``UT1 - 12 h``; its right ascension (mean equinox of date) is
therefore ``GMST - 15 UT1 + 180`` deg (IAU 2006 GMST, ERFA ``gmst06``; UTC used for UT1, under
1 s apart). It is turned into GCRF with the IAU 2006 bias-precession matrix (ERFA ``pmat06``).
The local mean solar time of the node is ``12 h + (RA_node - RA_mean_sun) / 15``. Against the
true (DE421) Sun the difference is the equation of time (tested against the almanac's values).

For the engine: :func:`node_rad_at` (node at any epochs) and :func:`beta_deg_at` (beta angle
of the mean plane).
"""

from __future__ import annotations

import warnings
from typing import Any

import erfa
import numpy as np
from astropy.time import Time

from rossim.dynamics.circular import CircularOrbit
from rossim.time import to_time

__all__ = ["orbit_from_scenario", "node_rad_at", "beta_deg_at", "mean_sun_ra_deg",
           "raan_from_ltan_deg", "ltan_h_at"]


def _epochs(t: Any) -> Time:
    if isinstance(t, np.ndarray) and np.issubdtype(t.dtype, np.datetime64):
        return Time(t.astype("datetime64[us]"), scale="utc")
    if isinstance(t, np.datetime64):
        return Time(t.astype("datetime64[us]"), scale="utc")
    return to_time(t)


def mean_sun_ra_deg(t: Any) -> np.ndarray:
    """Right ascension (deg, GCRF, in [0, 360)) of the mean Sun at epochs ``t`` (see the
    module notes). Shape of ``t`` (scalar -> (1,))."""
    tt = _epochs(t)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", erfa.ErfaWarning)
        utc = tt.utc
        ttt = tt.tt
        u1 = np.atleast_1d(np.asarray(utc.jd1, float))
        u2 = np.atleast_1d(np.asarray(utc.jd2, float))
        t1 = np.atleast_1d(np.asarray(ttt.jd1, float))
        t2 = np.atleast_1d(np.asarray(ttt.jd2, float))
    gmst = erfa.gmst06(u1, u2, t1, t2)
    # fraction of the UT day since 0h: jd = k + 0.5 at 0h
    day_frac = np.mod(u1 - 0.5, 1.0) + u2
    ra_date = gmst - 2.0 * np.pi * day_frac + np.pi
    e = np.stack([np.cos(ra_date), np.sin(ra_date), np.zeros_like(ra_date)], axis=-1)
    pm = erfa.pmat06(t1, t2)  # GCRS -> mean equator and equinox of date
    g = np.einsum("nji,nj->ni", pm, e)  # transpose: of date -> GCRF
    return np.degrees(np.arctan2(g[:, 1], g[:, 0])) % 360.0


def raan_from_ltan_deg(ltan_h: float, t: Any) -> np.ndarray:
    """Node right ascension (deg, GCRF, [0, 360)) with local mean solar time ``ltan_h`` (h)
    at epochs ``t``."""
    return (mean_sun_ra_deg(t) + 15.0 * (float(ltan_h) - 12.0)) % 360.0


def ltan_h_at(orbit_or_scenario: Any, t: Any) -> np.ndarray:
    """Local mean solar time (h, [0, 24)) of the ascending node at epochs ``t``."""
    node = np.degrees(node_rad_at(orbit_or_scenario, t))
    return (12.0 + (node - mean_sun_ra_deg(t)) / 15.0) % 24.0


def orbit_from_scenario(scenario: Any) -> CircularOrbit:
    """The scenario's orbit: circular at ``orbit.altitude_km`` and ``orbit.inclination_deg``,
    epoch the span start, node ``orbit.raan_deg`` or set by ``orbit.ltan_h`` there, argument
    of latitude 0 at the span start; span of validity the scenario's span."""
    o = scenario.orbit
    t0 = to_time(scenario.span.start)
    ltan = getattr(o, "ltan_h", None)
    raan = float(o.raan_deg) if ltan is None else float(raan_from_ltan_deg(ltan, t0)[0])
    return CircularOrbit(float(o.altitude_km), float(o.inclination_deg), epoch=t0,
                         raan_deg=raan, arg_latitude_deg=0.0,
                         span_start=t0, span_end=to_time(scenario.span.end))


def _orbit(x: Any) -> CircularOrbit:
    return x if isinstance(x, CircularOrbit) else orbit_from_scenario(x)


def node_rad_at(scenario_or_orbit: Any, epochs: Any) -> np.ndarray:
    """Node (rad, GCRF, not wrapped: continuous from the span start) of the scenario's orbit
    at ``epochs`` (astropy ``Time``, ``datetime``, ISO strings or ``datetime64`` UTC; (N,)).
    The run's orbit channel starts its node here at its first epoch."""
    t = _epochs(epochs)
    return np.atleast_1d(_orbit(scenario_or_orbit).raan_rad_at(t))


def beta_deg_at(scenario_or_orbit: Any, epochs: Any) -> np.ndarray:
    """Beta angle (deg, (N,)) of the scenario's mean orbit plane at ``epochs`` (DE421 Sun):
    what ``trade``, ``coverage``, ``dose`` and the run see."""
    return _orbit(scenario_or_orbit).beta_deg(_epochs(epochs))
