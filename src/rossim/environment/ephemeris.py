"""Sun and Moon positions in GCRF (metres), from JPL's DE421 shipped in ``skyfield-data``.

The ephemeris file ``de421.bsp`` (JPL, 1900-2050) comes from the installed ``skyfield-data``
package and is read with ``jplephem`` (Skyfield's own SPK reader); nothing is downloaded.
Positions are *geometric* (no light-time, no aberration) Earth-centred vectors on ICRF axes,
which is GCRF to well below a metre; this is what gravity models need and what Orekit's
``CelestialBody.getPosition(date, GCRF)`` returns. The apparent Sun (with light time) differs by
about 20 arcsec, which shifts an eclipse entry by well under a second in low Earth orbit.

Epochs are converted to TDB (the ephemeris argument) from TT with TDB - TT from ERFA's
``dtdb`` (Fairhead & Bretagnon's series, geocentric: what astropy's ``Time.tdb`` computes for an
epoch without a location) evaluated on hourly nodes and interpolated linearly: 1.2e-10 s from
the series at every epoch over a year (the Sun moves 4 micrometres in that time), at a
hundredth of the cost (the series per epoch was most of a year's eclipse search). Other time
scales, or epochs with a location or a set ``delta_tdb_tt``, go through astropy.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import numpy as np

from rossim.cache import ArrayMemo
from rossim.errors import InputError
from rossim.time import to_time

__all__ = ["sun_position_gcrf", "moon_position_gcrf", "sun_moon_gcrf", "ephemeris_path",
           "AU_M", "SUN_RADIUS_M", "MOON_RADIUS_M"]

#: Astronomical unit (IAU 2012), m.
AU_M = 149_597_870_700.0
#: Nominal solar radius (IAU 2015 Resolution B3), m; the value Orekit uses.
SUN_RADIUS_M = 695_700_000.0
#: Mean lunar radius (IAU WGCCRE), m.
MOON_RADIUS_M = 1_737_400.0

# NAIF ids: SSB 0, Earth-Moon barycentre 3, Sun 10, Moon 301, Earth 399.
_SSB, _EMB, _SUN, _MOON, _EARTH = 0, 3, 10, 301, 399


def ephemeris_path() -> str:
    """Path of ``de421.bsp`` inside the installed ``skyfield-data`` package."""
    import warnings

    with warnings.catch_warnings():
        # skyfield-data warns that its *Earth-orientation* file is old; DE421 does not expire.
        warnings.simplefilter("ignore", RuntimeWarning)
        from skyfield_data import get_skyfield_data_path

        return os.path.join(get_skyfield_data_path(), "de421.bsp")


@functools.lru_cache(maxsize=1)
def _kernel():
    from jplephem.spk import SPK

    return SPK.open(ephemeris_path())


#: Bytes of TDB epochs kept for a repeated set of epochs (the drag validation asks for the
#: Sun at the same epochs twice per history: arrays' projection and JB2008): their scale
#: conversion to TT and the interpolated TDB are done once.
TDB_MEMO_BYTES = 32 * 2**20
_TDB_MEMO = ArrayMemo(TDB_MEMO_BYTES)
_TDB_MEMO_SCALES = frozenset({"utc", "tai", "tt", "tdb", "tcg", "tcb"})


def clear_tdb_memo() -> None:
    """Forget the kept TDB epochs (a campaign worker between runs)."""
    _TDB_MEMO.clear()


def _tdb(t: Any) -> tuple[np.ndarray, np.ndarray]:
    from rossim.cache import digest

    tt = to_time(t)
    key = None
    # astropy's TDB is a function of the scale and (jd1, jd2) alone for these scales, without a
    # site (UT1 takes IERS tables or a caller's delta_ut1_utc; a set delta_tdb_tt changes it)
    if tt.location is None and tt.scale in _TDB_MEMO_SCALES \
            and "_delta_tdb_tt" not in vars(tt):
        key = digest("tdb", tt.scale, np.atleast_1d(np.asarray(tt.jd1, dtype=float)),
                     np.atleast_1d(np.asarray(tt.jd2, dtype=float)))
        hit = _TDB_MEMO.get(key)
        if hit is not None:
            return hit[0], hit[1]
    if key is not None and tt.scale in ("utc", "tai", "tt"):
        jd1, jd2 = _tdb_interpolated(tt.tt)
    else:
        tdb = tt.tdb
        jd1 = np.atleast_1d(np.asarray(tdb.jd1, dtype=float))
        jd2 = np.atleast_1d(np.asarray(tdb.jd2, dtype=float))
    seg = _kernel()[_SSB, _SUN]
    jd = jd1 + jd2
    if np.any(jd < seg.start_jd) or np.any(jd > seg.end_jd):
        bad = jd[(jd < seg.start_jd) | (jd > seg.end_jd)][0]
        raise InputError(None, "time", f"JD(TDB) {bad:.1f}",
                         "epochs from 1900 to 2050 (the span of DE421)")
    if key is not None:
        _TDB_MEMO.put(key, jd1, jd2)
    return jd1, jd2


#: Spacing (days) of the TDB - TT nodes (:func:`_tdb_interpolated`).
_TDB_NODE_DAYS = 1.0 / 24.0
_J2000 = 2451545.0


def _tdb_interpolated(tt) -> tuple[np.ndarray, np.ndarray]:
    """TDB two-part Julian dates of TT epochs ``tt`` (astropy ``Time``, scale TT): TDB - TT
    from ``erfa.dtdb`` (geocentric) on the hourly nodes of a grid fixed from J2000 (so an
    epoch gets the same value alone or in a batch), interpolated linearly. Only the nodes
    around the epochs are evaluated: an event search's refinement steps, a few epochs spread
    over a year, each cost a few dtdb calls, not the year's 8,784."""
    import erfa

    j1 = np.array(tt.jd1, dtype=float, ndmin=1)   # copies: astropy's arrays stay its own
    j2 = np.array(tt.jd2, dtype=float, ndmin=1)
    x = (j1 - _J2000) + j2   # days from J2000 (TT)
    below = np.floor(x / _TDB_NODE_DAYS)
    lo, hi = below.min(), below.max() + 1.0
    if hi - lo < 2 * x.size:   # dense epochs: every node of the span
        k = np.arange(lo, hi + 0.5)
    else:                      # sparse epochs: the two nodes around each
        k = np.unique(np.concatenate([below, below + 1.0]))
    nodes = _TDB_NODE_DAYS * k
    # dtdb's UT and site arguments enter only its topocentric terms, zero at the geocentre
    delta_s = erfa.dtdb(np.full(nodes.shape, _J2000), nodes, 0.0, 0.0, 0.0, 0.0)
    return j1, j2 + np.interp(x, nodes, delta_s) / 86400.0


def _pos(center: int, target: int, jd1: np.ndarray, jd2: np.ndarray) -> np.ndarray:
    return np.asarray(_kernel()[center, target].compute(jd1, jd2), dtype=float)


def sun_moon_gcrf(t: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(r_sun, r_moon)``: geometric geocentric positions, GCRF, m, each of shape (N, 3)."""
    jd1, jd2 = _tdb(t)
    earth_wrt_emb = _pos(_EMB, _EARTH, jd1, jd2)
    emb_wrt_ssb = _pos(_SSB, _EMB, jd1, jd2)
    sun_wrt_ssb = _pos(_SSB, _SUN, jd1, jd2)
    moon_wrt_emb = _pos(_EMB, _MOON, jd1, jd2)
    # Subtract the small vectors first: keeps the sum's round-off at the 1e-16 AU level.
    r_sun = (sun_wrt_ssb - emb_wrt_ssb) - earth_wrt_emb
    r_moon = moon_wrt_emb - earth_wrt_emb
    return r_sun.T * 1000.0, r_moon.T * 1000.0


def sun_position_gcrf(t: Any) -> np.ndarray:
    """Geometric position of the Sun's centre relative to the Earth's, GCRF, m, (N, 3)."""
    jd1, jd2 = _tdb(t)
    r = (_pos(_SSB, _SUN, jd1, jd2) - _pos(_SSB, _EMB, jd1, jd2)) - _pos(_EMB, _EARTH, jd1, jd2)
    return r.T * 1000.0


def moon_position_gcrf(t: Any) -> np.ndarray:
    """Geometric position of the Moon's centre relative to the Earth's, GCRF, m, (N, 3)."""
    jd1, jd2 = _tdb(t)
    r = _pos(_EMB, _MOON, jd1, jd2) - _pos(_EMB, _EARTH, jd1, jd2)
    return r.T * 1000.0
