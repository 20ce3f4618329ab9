"""SGP4 propagation of element sets (TLE or OMM mean elements, :mod:`rossim.files.tle`).

A thin layer over Brandon Rhodes' ``sgp4`` package (Vallado's C++ SGP4, WGS-72 constants,
"improved" operation mode). Propagation goes through ``SatrecArray.sgp4`` (many objects x
many epochs in one C call); per-object errors come back as codes, so one decayed object never
stops a batch. Reading and writing the element sets is :mod:`rossim.files.tle` and
:mod:`rossim.files.omm`.

Frames and units: SGP4 output is TEME; :func:`propagate` returns TEME or, through
:func:`rossim.frames.teme.teme_to_gcrf`, GCRF; positions in m, velocities in m/s.
Epochs are astropy ``Time``; SGP4 itself counts UTC Julian days (as the TLE epoch does).

Example
-------
>>> from rossim.files.tle import read_tles
>>> from rossim.dynamics.tle import propagate
>>> from rossim.time import time_grid
>>> tles = read_tles("stations.tle")                         # doctest: +SKIP
>>> states = propagate(tles, time_grid(tles[0].epoch, 86400, 60))   # doctest: +SKIP
>>> states.r_m.shape                                          # (objects, epochs, 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from astropy.time import Time
from sgp4.api import SGP4_ERRORS, Satrec, SatrecArray

from rossim.errors import InputError
from rossim.files.tle import TLE
from rossim.frames.teme import teme_to_gcrf
from rossim.time import to_jd_pair, to_time

__all__ = ["SGP4States", "SGP4_ERRORS", "propagate"]


@dataclass(frozen=True)
class SGP4States:
    """SGP4 output for ``n`` objects at ``m`` epochs.

    Attributes
    ----------
    t:
        The ``m`` epochs.
    r_m, v_m_s:
        ``(n, m, 3)`` position (m) and velocity (m/s) in ``frame``; NaN wherever ``error``
        is not 0 (including code 6, for which ``sgp4`` itself still returns a position).
    error:
        ``(n, m)`` SGP4 error codes (0 = fine; meanings in :data:`SGP4_ERRORS`, e.g. 6 =
        decayed).
    frame:
        ``"TEME"`` or ``"GCRF"``.
    catalog_numbers:
        ``(n,)`` NORAD numbers.
    """

    t: Time
    r_m: np.ndarray
    v_m_s: np.ndarray
    error: np.ndarray
    frame: str
    catalog_numbers: np.ndarray

    @property
    def ok(self) -> np.ndarray:
        """``(n, m)`` True where SGP4 succeeded."""
        return self.error == 0


def _as_satrecs(tles: TLE | Satrec | Sequence[TLE | Satrec]) -> list[Satrec]:
    if isinstance(tles, (TLE, Satrec)):
        tles = [tles]
    return [x.satrec if isinstance(x, TLE) else x for x in tles]


def propagate(tles: TLE | Sequence[TLE], t, frame: str = "GCRF") -> SGP4States:
    """Propagate element sets with SGP4 to epochs ``t``.

    Parameters
    ----------
    tles:
        One :class:`TLE` or a sequence (``Satrec`` objects are accepted too).
    t:
        Epochs (anything :func:`rossim.time.to_time` takes; scalar or 1-D).
    frame:
        ``"GCRF"`` (default) or ``"TEME"`` (SGP4's own frame, no conversion).

    Returns
    -------
    SGP4States
        Arrays shaped ``(objects, epochs, 3)`` in m and m/s, with per-object error codes.
    """
    frame = frame.upper()
    if frame not in ("GCRF", "TEME"):
        raise InputError(None, "frame", frame, "GCRF or TEME")
    sats = _as_satrecs(tles)
    if not sats:
        raise InputError(None, "tles", "[]", "at least one element set")
    t = to_time(t)
    if t.isscalar:
        t = t.reshape((1,))
    if t.ndim != 1:
        t = t.ravel()
    jd, fr = to_jd_pair(t)
    e, r, v = SatrecArray(sats).sgp4(jd, fr)
    r *= 1000.0
    v *= 1000.0
    failed = e != 0
    if failed.any():
        # sgp4 leaves a (meaningless) position for error 6, "decayed"; make every failure NaN.
        r[failed] = np.nan
        v[failed] = np.nan
    if frame == "GCRF":
        r, v = teme_to_gcrf(r, v, t)
    return SGP4States(t=t, r_m=r, v_m_s=v, error=e, frame=frame,
                      catalog_numbers=np.array([s.satnum for s in sats]))
