"""One ephemeris contract: position and velocity in GCRF over a time grid.

:class:`Ephemeris` is what every trajectory in rossim gives the models that use an orbit
(eclipse, beta angle, dose, power, free-flyers, coverage):

* ``span`` -> ``(start, end)``: the epochs (astropy ``Time``) between which the ephemeris is
  valid;
* ``state_gcrf(t, outside="raise")`` -> ``(r_m, v_m_s)``, each shaped ``(N, 3)`` (m, m/s,
  GCRF) for the ``N`` epochs of the astropy ``Time`` grid ``t``. Epochs outside ``span`` raise
  :class:`OutsideSpanError` (an :class:`~rossim.errors.InputError` naming the first epoch
  outside and the span), or, with ``outside="nan"``, come back as rows of NaN (a flag the
  caller can count, e.g. an element set used past its validity is a result to report).

What satisfies it:

* :class:`rossim.dynamics.propagator.Trajectory` (numerical propagator; dense output when
  propagated with ``dense=True``, else Hermite interpolation of the output grid);
* :class:`SGP4Ephemeris` (a TLE through SGP4, TEME -> GCRF with
  :func:`rossim.frames.teme.teme_to_gcrf`);
* :class:`OEMEphemeris` (a CCSDS OEM, interpolated the way its header says: ``LAGRANGE`` or
  ``HERMITE`` with ``INTERPOLATION_DEGREE``, or ``LINEAR``; states in any frame the OEM reader
  converts to GCRF; valid over ``USEABLE_START/STOP_TIME`` or the segment's start/stop);
* :class:`rossim.dynamics.circular.CircularOrbit` (analytic circular orbit, J2 secular);
* :class:`MeanElementEphemeris` (a circular orbit from sampled mean elements: semi-major axis
  and node over time, the argument of latitude integrated from the mean motion; the run's
  flown orbit from its hourly altitude and node).

Modules: the span of validity and its errors in :mod:`rossim.dynamics.span`, the OEM
interpolation in :mod:`rossim.dynamics.oem_ephemeris`, the circular kinematics and the flown
orbit in :mod:`rossim.dynamics.mean_elements`; every name is importable from here.

Tests: ``tests/dynamics/test_ephemeris_contract.py`` (each against the others and against external
references: circular vs numerical two-body and J2, SGP4 against Orekit and Vallado's case 00005,
OEM round trip).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.dynamics.mean_elements import (
    MeanElementEphemeris,
    _as_time_array,
    arg_latitude_rate_rad_s,
    circular_state_gcrf,
    nodal_rate_rad_s,
)
from rossim.dynamics.oem_ephemeris import OEMEphemeris, interpolate_states
from rossim.dynamics.span import (
    Outside,
    OutsideSpanError,
    _grid,
    _nan_outside,
    _quiet_seconds,
    check_span,
)
from rossim.errors import InputError
from rossim.time import to_time

__all__ = [
    "Ephemeris", "OutsideSpanError", "SGP4Ephemeris", "OEMEphemeris", "MeanElementEphemeris",
    "check_span", "arg_latitude_rate_rad_s", "nodal_rate_rad_s", "circular_state_gcrf",
    "interpolate_states", "Outside", "_as_time_array", "_grid", "_nan_outside",
    "_quiet_seconds",
]


@runtime_checkable
class Ephemeris(Protocol):
    """Position and velocity in GCRF over a time grid (see the module notes)."""

    @property
    def span(self) -> tuple[Time, Time]:
        """``(start, end)`` epochs of validity."""
        ...

    def state_gcrf(self, t: Time, outside: Outside = "raise"
                   ) -> tuple[np.ndarray, np.ndarray]:
        """``(r_m, v_m_s)``, each (N, 3), GCRF, at the N epochs ``t``."""
        ...




class SGP4Ephemeris:
    """A TLE propagated by SGP4, states turned from TEME to GCRF.

    ``span``: ``validity_days`` either side of the element set's epoch (default 14 d:
    estimate, the usual reach of a LEO element set; SGP4 itself has no bound), or the explicit
    ``span=(start, end)``. Epochs where SGP4 itself fails (decay, eccentricity out of range)
    raise :class:`OutsideSpanError` with SGP4's message, or are NaN with ``outside="nan"``.
    """

    def __init__(self, tle: Any, *, validity_days: float = 14.0,
                 span: tuple[Any, Any] | None = None) -> None:
        from rossim.files.tle import TLE

        if not isinstance(tle, TLE):
            raise InputError("argument", "tle", type(tle).__name__, "a rossim TLE")
        if not (np.isfinite(validity_days) and validity_days > 0):
            raise InputError("argument", "validity_days", validity_days, "a positive number")
        self.tle = tle
        if span is None:
            d = TimeDelta(float(validity_days) * 86400.0, format="sec")
            self._span = (tle.epoch - d, tle.epoch + d)
        else:
            self._span = (to_time(span[0]), to_time(span[1]))

    @property
    def span(self) -> tuple[Time, Time]:
        return self._span

    def state_gcrf(self, t: Any, outside: Outside = "raise") -> tuple[np.ndarray, np.ndarray]:
        from rossim.dynamics.tle import SGP4_ERRORS, propagate

        tt = _grid(t)
        inside = check_span(f"TLE {self.tle.catalog_number}", self.span, tt, outside)
        st = propagate(self.tle, tt, "GCRF")
        r, v, err = st.r_m[0], st.v_m_s[0], st.error[0]
        if outside == "raise" and np.any(err != 0):
            k = int(np.flatnonzero(err != 0)[0])
            raise OutsideSpanError(f"TLE {self.tle.catalog_number}", "epochs", tt[k].utc.isot,
                                   "epochs where SGP4 succeeds",
                                   problem=SGP4_ERRORS.get(int(err[k]), f"error {err[k]}"))
        return _nan_outside(r, v, inside & (err == 0))
