"""The span of validity of an ephemeris: :class:`OutsideSpanError`, :func:`check_span` and the
time-grid helpers every :class:`rossim.dynamics.ephemeris.Ephemeris` implementation shares.

Epochs are astropy ``Time``; seconds are TT seconds since a reference epoch (the dubious-year
warnings of ERFA for future UTC are muted). Errors: :class:`OutsideSpanError` (an
:class:`~rossim.errors.InputError`) naming the first epoch outside and the span.
"""

from __future__ import annotations

import warnings
from typing import Any, Literal

import erfa
import numpy as np
from astropy.time import Time

from rossim.errors import InputError
from rossim.time import to_time

__all__ = ["Outside", "OutsideSpanError", "check_span"]

Outside = Literal["raise", "nan"]


class OutsideSpanError(InputError):
    """Epochs asked of an ephemeris outside its span of validity."""


def _grid(t: Any) -> Time:
    tt = to_time(t)
    return tt.reshape((1,)) if tt.isscalar else tt.ravel()


def _quiet_seconds(t: Time, t0: Time) -> np.ndarray:
    """TT seconds of ``t`` (N,) since ``t0`` (dubious-year warnings of future UTC muted)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", erfa.ErfaWarning)
        a, b = t.tt, t0.tt
        return np.atleast_1d((a.jd1 - b.jd1) * 86400.0 + (a.jd2 - b.jd2) * 86400.0)


def check_span(name: str, span: tuple[Time, Time], t: Time, outside: Outside = "raise",
               tol_s: float = 1e-6) -> np.ndarray:
    """Boolean mask (N,) of the epochs ``t`` inside ``span``; with ``outside="raise"`` any
    epoch outside raises :class:`OutsideSpanError` naming the first one and the span."""
    if outside not in ("raise", "nan"):
        raise InputError("argument", "outside", outside, '"raise" or "nan"')
    start, end = span
    x = _quiet_seconds(t, start)
    length = float(_quiet_seconds(end.reshape((1,)), start)[0])
    inside = (x >= -tol_s) & (x <= length + tol_s)
    if outside == "raise" and not inside.all():
        k = int(np.flatnonzero(~inside)[0])
        raise OutsideSpanError(name, "epochs", t[k].utc.isot,
                               f"epochs within the ephemeris span {start.utc.isot} .. "
                               f"{end.utc.isot}", problem="outside the span")
    return inside


def _nan_outside(r: np.ndarray, v: np.ndarray, inside: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    if not inside.all():
        r = np.array(r, dtype=float, copy=True)
        v = np.array(v, dtype=float, copy=True)
        r[~inside] = np.nan
        v[~inside] = np.nan
    return r, v
