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
>>> tles = read_tles("tests/data/iss/iss-tle-2023-01-to-04.txt")   # doctest: +SKIP
>>> states = propagate(tles, time_grid(tles[0].epoch, 86400, 60))   # doctest: +SKIP
>>> states.r_m.shape                     # (objects, epochs, 3)     # doctest: +SKIP
(609, 1441, 3)
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from astropy.time import Time
from sgp4.api import SGP4_ERRORS, Satrec, SatrecArray

from rossim.errors import InputError, moved_names
from rossim.files.tle import TLE
from rossim.frames.teme import teme_to_gcrf
from rossim.time import to_jd_pair, to_time

__all__ = ["SGP4States", "SGP4_ERRORS", "propagate", "propagate_chunks"]

# Reading and writing element sets moved to rossim.files (state files as their own layer):
# the old imports still work, with a DeprecationWarning naming the new module.
__getattr__ = moved_names(__name__, {
    **dict.fromkeys(["parse_tle", "parse_tles", "read_tles", "format_tles", "write_tles",
                     "make_tle", "tle_checksum"], "rossim.files.tle"),
    **dict.fromkeys(["parse_omm", "read_omm"], "rossim.files.omm"),
    "strip_xml_namespaces": "rossim.files.ndmxml"})

#: SGP4 engines: python-sgp4's ``SatrecArray`` (Vallado's C++: SGP4 and SDP4, every machine)
#: or heyoka.py's compiled, vectorised, multi-threaded SGP4 (``heyoka.model.sgp4_propagator``,
#: optional: 5-10x the throughput; near-Earth element sets only - it has no SDP4, so
#: deep-space sets, period >= 225 min, always go to python-sgp4). ``"auto"`` (the default)
#: is heyoka for calls with at least :data:`AUTO_HEYOKA_MIN_SETS` element sets where it is
#: installed (catalogues, where its speed matters), else python-sgp4, the reference, so that
#: single objects keep Vallado's engine to the bit. The two agree to 0.03 mm on the ISS
#: element sets; heyoka matches Vallado's C++ output on the near-Earth verification cases to
#: 0.01 mm with the same error codes (tests/dynamics/test_sgp4_chunks.py). Known difference:
#: for absurd drag terms heyoka can flag a set's failure one sample earlier (at its epoch for
#: case 55123 of tests/data/cases/rel/sgp4-failure-nan-output, B* = 1e9, where python-sgp4
#: fails from the first minute).
BACKENDS = ("auto", "sgp4", "heyoka")
#: Fewest element sets in one call for which ``"auto"`` picks heyoka.
AUTO_HEYOKA_MIN_SETS = 100


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
        From the heyoka backend in TEME they are views of its (m, 7, n) output (not
        C-contiguous; ``np.ascontiguousarray`` where a contiguous array is needed).
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


def propagate(tles: TLE | Sequence[TLE], t, frame: str = "GCRF",
              backend: str = "auto") -> SGP4States:
    """Propagate element sets with SGP4 to epochs ``t``.

    Parameters
    ----------
    tles:
        One :class:`TLE` or a sequence (``Satrec`` objects are accepted too).
    t:
        Epochs (anything :func:`rossim.time.to_time` takes; scalar or 1-D).
    frame:
        ``"GCRF"`` (default) or ``"TEME"`` (SGP4's own frame, no conversion).
    backend:
        ``"auto"`` (default: heyoka.py for calls of at least :data:`AUTO_HEYOKA_MIN_SETS`
        element sets where installed, else python-sgp4), ``"sgp4"``
        (python-sgp4's ``SatrecArray``) or ``"heyoka"`` (heyoka.py; an :class:`InputError`
        where it is not installed). Deep-space element sets always use python-sgp4
        (:data:`BACKENDS`).

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
    e, r, v = _sgp4_m(sats, np.asarray(jd, float), np.asarray(fr, float), backend)
    failed = e != 0
    if failed.any():
        # sgp4 leaves a (meaningless) position for error 6, "decayed"; make every failure NaN.
        r[failed] = np.nan
        v[failed] = np.nan
    if frame == "GCRF":
        r, v = teme_to_gcrf(r, v, t)
    return SGP4States(t=t, r_m=r, v_m_s=v, error=e, frame=frame,
                      catalog_numbers=np.array([s.satnum for s in sats]))


def _heyoka_available() -> bool:
    try:
        import heyoka  # noqa: F401
    except ImportError:
        return False
    return True


def _sgp4_m(sats: list[Satrec], jd: np.ndarray, fr: np.ndarray, backend: str):
    """``(error (n, m) uint8, r_m (n, m, 3), v_m_s (n, m, 3))`` in TEME, SI units."""
    if backend not in BACKENDS:
        raise InputError("argument", "backend", backend, " or ".join(BACKENDS))
    use_heyoka = backend == "heyoka" or (backend == "auto" and len(sats) >= AUTO_HEYOKA_MIN_SETS
                                          and _heyoka_available())
    if backend == "heyoka" and not _heyoka_available():
        raise InputError("argument", "backend", "heyoka",
                         "heyoka.py installed (pip install heyoka), or backend 'sgp4'/'auto'")
    near = np.array([s.method == "n" for s in sats]) if use_heyoka else np.zeros(len(sats), bool)
    if not near.any():
        e, r, v = SatrecArray(sats).sgp4(jd, fr)
        r *= 1000.0
        v *= 1000.0
        return e, r, v
    if near.all():
        return _heyoka_sgp4(sats, jd, fr)
    n, m = len(sats), len(jd)
    e = np.empty((n, m), np.uint8)
    r = np.empty((n, m, 3))
    v = np.empty((n, m, 3))
    i_near, i_deep = np.flatnonzero(near), np.flatnonzero(~near)
    e[i_near], r[i_near], v[i_near] = _heyoka_sgp4([sats[i] for i in i_near], jd, fr)
    ed, rd, vd = SatrecArray([sats[i] for i in i_deep]).sgp4(jd, fr)
    e[i_deep], r[i_deep], v[i_deep] = ed, rd * 1000.0, vd * 1000.0
    return e, r, v


_hy_local = threading.local()
#: heyoka SGP4 propagators kept per thread (one per number of element sets; new element sets
#: go in with ``replace_sat_data``, ~1 us a set, instead of a new propagator, ~0.1 s).
_HY_CACHE_SIZE = 4


def _heyoka_propagator(sats: list[Satrec]):
    cache = getattr(_hy_local, "cache", None)
    if cache is None:
        cache = _hy_local.cache = {}
    prop = cache.pop(len(sats), None)
    if prop is None:
        import heyoka as hy

        prop = hy.model.sgp4_propagator(sats)
    else:
        prop.replace_sat_data(sats)
    cache[len(sats)] = prop
    while len(cache) > _HY_CACHE_SIZE:
        cache.pop(next(iter(cache)))
    return prop


def _heyoka_sgp4(sats: list[Satrec], jd: np.ndarray, fr: np.ndarray):
    """``(error (n, m), r_m (n, m, 3), v_m_s (n, m, 3))`` from heyoka.py's SGP4 (near-Earth
    element sets only), the shapes of ``SatrecArray.sgp4`` in SI units (``r_m`` and ``v_m_s``
    are transposed views of one (m, 7, n) buffer)."""
    prop = _heyoka_propagator(sats)
    ep = np.array([s.jdsatepoch for s in sats])
    epf = np.array([s.jdsatepochF for s in sats])
    tm = (jd[:, None] - ep[None]) + (fr[:, None] - epf[None])
    tm *= 1440.0  # minutes since each set's epoch, (m, n)
    out = prop(tm)  # (m, 7, n): x, y, z (km), vx, vy, vz (km/s), error code
    out[:, :6, :] *= 1000.0
    # (n, m, 3) views of heyoka's buffer, not copies: a strided copy into (n, m, 3) costs
    # more than the propagation itself (numpy ops treat the views like any array).
    r = np.transpose(out[:, 0:3, :], (2, 0, 1))
    v = np.transpose(out[:, 3:6, :], (2, 0, 1))
    return out[:, 6, :].T.astype(np.uint8), r, v


def propagate_chunks(tles: Sequence[TLE], t, frame: str = "GCRF", *,
                     max_states: int = 500_000, backend: str = "auto"):
    """:func:`propagate` in blocks of objects and epochs, for catalogues too large to hold.

    Yields ``(object_slice, epoch_slice, SGP4States)`` with at most ``max_states`` states per
    block (each block's arrays are ``~100 * max_states`` bytes), objects in the outer loop.
    The caller reduces or writes each block; memory stays bounded whatever the number of
    objects x epochs (100,000 objects over a day at 60 s are 144 million states, 7 GB as one
    array). The blocks together hold exactly what :func:`propagate` returns.
    """
    sats = _as_satrecs(tles)
    t = to_time(t)
    if t.isscalar:
        t = t.reshape((1,))
    t = t.ravel()
    if not (isinstance(max_states, (int, np.integer)) and max_states >= 1):
        raise InputError("argument", "max_states", max_states, "a positive integer")
    m = len(t)
    step_t = max(1, min(m, int(max_states)))
    step_n = max(1, int(max_states) // step_t)
    for a in range(0, len(sats), step_n):
        objs = slice(a, min(len(sats), a + step_n))
        for b in range(0, m, step_t):
            eps = slice(b, min(m, b + step_t))
            yield objs, eps, propagate(sats[objs], t[eps], frame=frame, backend=backend)
