"""The numerical propagator's result: :class:`Trajectory` (output grid plus dense output, the
:class:`~rossim.dynamics.ephemeris.Ephemeris` contract, events) and its outcomes
(:class:`PropagationError`, :class:`ReentryError`). Built by :func:`rossim.dynamics.propagator.
propagate`; time is TT seconds since ``epoch``, states GCRF (m, m/s).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.dynamics.dop853 import dense_states
from rossim.errors import InputError

__all__ = ["REENTRY_ALTITUDE_M", "PropagationError", "ReentryError", "Trajectory"]

#: Default geodetic (WGS84) altitude at which a propagation counts as re-entered and stops:
#: 120 km, the entry interface of re-entry analyses (NASA's 400,000 ft; ESA's DRAMA and
#: Orekit's ``AltitudeDetector`` take the altitude as a parameter, as ``propagate`` does with
#: ``reentry_altitude_m``). Below ~120 km an orbit decays within one revolution.
REENTRY_ALTITUDE_M = 120e3


class PropagationError(RuntimeError):
    """The integrator could not proceed (step size underflow: a singular force model)."""


class ReentryError(PropagationError):
    """The object re-entered: its WGS84 altitude fell below the re-entry altitude.

    A physical outcome, not a failure. ``trajectory`` holds the states up to the crossing
    (its last output is the crossing itself), ``epoch`` the crossing (UTC ``Time``),
    ``altitude_m`` the re-entry altitude crossed (m).
    """

    def __init__(self, trajectory: Trajectory, epoch: Time,
                 altitude_m: float = REENTRY_ALTITUDE_M) -> None:
        self.trajectory = trajectory
        self.epoch = epoch
        self.altitude_m = float(altitude_m)
        super().__init__(f"re-entry: altitude {self.altitude_m / 1e3:g} km crossed at "
                         f"{epoch.utc.isot}Z")


@dataclass
class Trajectory:
    """Result of :func:`propagate`: states on the output grid plus the dense output.

    ``x_s``: TT seconds since ``epoch`` of each output; ``r_gcrf_m``/``v_gcrf_m_s`` (N,3).
    The integrator's steps (``steps``) give the state at any instant through
    :meth:`state_at` (7th-order dense output), which event finding uses.
    """

    epoch: Time
    x_s: np.ndarray
    r_gcrf_m: np.ndarray
    v_gcrf_m_s: np.ndarray
    steps: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
    stats: dict = field(default_factory=dict)
    #: TT seconds since ``epoch`` of the re-entry (the last output), or None.
    reentry_x_s: float | None = None
    #: The re-entry altitude the propagation stopped at (m, WGS84 geodetic).
    reentry_altitude_m: float = REENTRY_ALTITUDE_M

    @property
    def epochs(self) -> Time:
        """Output epochs (astropy Time, UTC)."""
        return (self.epoch.tt + TimeDelta(self.x_s, format="sec")).utc

    def state_at(self, x_s) -> tuple[np.ndarray, np.ndarray]:
        """GCRF ``(r_m, v_m_s)`` (N,3) at TT seconds ``x_s`` since ``epoch`` (dense output).

        Requires ``propagate(..., dense=True)``. At a manoeuvre epoch the pre-burn state is
        returned.
        """
        if self.steps is None:
            raise InputError("argument", "dense", False, "propagate(..., dense=True)")
        x = np.atleast_1d(np.asarray(x_s, dtype=float))
        order = np.argsort(x)
        lo, hi = self.steps[0][0], self.steps[0][-1] + self.steps[1][-1]
        if x.min() < lo - 1e-6 or x.max() > hi + 1e-6:
            raise InputError("argument", "x_s", (float(x.min()), float(x.max())),
                             f"times within the propagated span [{lo}, {hi}] s")
        y = np.empty((len(x), 6))
        y[order] = dense_states(*self.steps, x[order])
        return y[:, :3], y[:, 3:]

    def _x_of(self, t) -> np.ndarray:
        from rossim.time import to_time

        tt = to_time(t)
        return np.atleast_1d((tt.tt - self.epoch.tt).to_value("s"))

    def position(self, t) -> np.ndarray:
        """GCRF positions (N,3), m, at epochs ``t`` (a ``Time`` function for :mod:`rossim.search`)."""
        return self.state_at(self._x_of(t))[0]

    def velocity(self, t) -> np.ndarray:
        """GCRF velocities (N,3), m/s, at epochs ``t``."""
        return self.state_at(self._x_of(t))[1]

    @property
    def end_epoch(self) -> Time:
        return (self.epoch.tt + TimeDelta(self.x_s[-1], format="sec")).utc

    @property
    def span(self) -> tuple[Time, Time]:
        """``(start, end)``: the propagated span (the Ephemeris contract)."""
        return (self.epoch.tt + TimeDelta(self.x_s[0], format="sec")).utc, self.end_epoch

    def state_gcrf(self, t, outside: str = "raise") -> tuple[np.ndarray, np.ndarray]:
        """GCRF ``(r_m, v_m_s)`` (N, 3) at epochs ``t`` (the
        :class:`rossim.dynamics.ephemeris.Ephemeris` contract): the integrator's dense output
        when propagated with ``dense=True``, else Hermite interpolation (8 states, positions
        with velocities) of the output grid. Outside ``span``: :class:`~rossim.dynamics.
        ephemeris.OutsideSpanError`, or NaN rows with ``outside="nan"``."""
        from rossim.dynamics.ephemeris import (
            _grid,
            _nan_outside,
            check_span,
            interpolate_states,
        )

        tt = _grid(t)
        inside = check_span("trajectory", self.span, tt, outside)  # type: ignore[arg-type]
        x = np.clip(self._x_of(tt), self.x_s[0], self.x_s[-1])
        if self.steps is not None:
            r, v = self.state_at(x)
        else:
            r, v = interpolate_states(self.x_s, self.r_gcrf_m, self.v_gcrf_m_s, x, "HERMITE", 8)
        return _nan_outside(r, v, inside)

    def node_crossings(self, step_s: float = 60.0, tol_s: float = 1e-3) -> tuple[Time, np.ndarray]:
        """Equator crossings (GCRF z = 0): epochs and True for ascending, False descending."""
        from rossim.search import find_discrete

        return find_discrete(lambda t: self.position(t)[:, 2] >= 0.0, self.epoch,
                             self.end_epoch, step_s, tol_s)

    def altitude_crossings(self, altitude_m: float, step_s: float = 60.0,
                           tol_s: float = 1e-3) -> tuple[Time, np.ndarray]:
        """Epochs where the WGS84 altitude crosses ``altitude_m``; True when going above it."""
        from rossim.frames.earth import gcrf_to_itrf
        from rossim.frames.geodetic import itrf_to_geodetic
        from rossim.search import find_discrete

        def above(t):
            r_itrf, _ = gcrf_to_itrf(self.position(t), None, t)
            return itrf_to_geodetic(r_itrf)[2] >= altitude_m

        return find_discrete(above, self.epoch, self.end_epoch, step_s, tol_s)

    def eclipses(self, shadow: str = "umbra", step_s: float = 30.0, tol_s: float = 0.01,
                 **kwargs):
        """Eclipse spans (conical shadow, DE421 Sun): :func:`rossim.environment.eclipse.
        eclipse_intervals` on the dense output (``kwargs`` passed on, e.g.
        ``earth_radius_m``); entry = ``begin``, exit = ``end``."""
        from rossim.environment.eclipse import eclipse_intervals

        return eclipse_intervals(self.position, self.epoch, self.end_epoch, shadow=shadow,
                                 step_s=step_s, tol_s=tol_s, **kwargs)

