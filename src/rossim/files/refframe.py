"""Reference frames of state files: the names CCSDS files use and the conversion to GCRF.

:func:`to_gcrf` converts EME2000/J2000 (IAU 2000 frame bias, constant, about 0.3 m at ISS
radius), GCRF/ICRF (identity), TOD/MOD (IAU 2006/2000A, as Orekit), TEME
(:mod:`rossim.frames.teme`) and ITRF (:mod:`rossim.frames.earth`) states to GCRF.
"""

from __future__ import annotations

import erfa
import numpy as np
from astropy.time import Time

from rossim.errors import InputError
from rossim.time import to_time

# spellings found in real files).
FRAMES = frozenset({
    "EME2000", "J2000", "GCRF", "ICRF", "TEME", "TOD", "MOD",
    "ITRF", "ITRF-93", "ITRF-97", "ITRF2000", "ITRF2005", "ITRF2008", "ITRF2014",
    "ITRF2020",
})
# Local orbital frames allowed for covariance and manoeuvre vectors only.
LOCAL_FRAMES = frozenset({"RTN", "RSW", "RIC", "TNW", "QSW", "LVLH", "VNC", "NTW"})
TIME_SYSTEMS = frozenset({"UTC", "TAI", "TT", "TDB", "UT1", "GPS"})
_GPS_MINUS_TAI_S = -19.0

__all__ = ["FRAMES", "LOCAL_FRAMES", "TIME_SYSTEMS", "to_gcrf"]


# --------------------------------------------------------------------------- frames

def _frame_bias() -> np.ndarray:
    # IAU 2000 frame bias (IERS Conventions 2003): r_EME2000 = B @ r_GCRF; constant.
    return erfa.bp00(2451545.0, 0.0)[0]


def to_gcrf(r_m: np.ndarray, v_m_s: np.ndarray, frame: str, t: Time, *,
            center: str = "EARTH") -> tuple[np.ndarray, np.ndarray]:
    """Convert (N,3) states in ``frame`` at epochs ``t`` (N,) to GCRF (m, m/s).

    Supported: GCRF, ICRF (taken equal to GCRF for an Earth-centred state), EME2000/J2000
    (IAU 2000 frame bias), TEME, and ITRF (any ITRF realisation is treated as the IERS ITRF of
    :mod:`rossim.frames.earth`; they differ by centimetres). Only Earth-centred states.
    """
    if center.strip().upper() != "EARTH":
        raise InputError(None, "CENTER_NAME", center, "EARTH for a conversion to GCRF")
    frame = frame.upper()
    r = np.asarray(r_m, dtype=float)
    v = np.asarray(v_m_s, dtype=float)
    if frame in ("GCRF", "ICRF"):
        return r.copy(), v.copy()
    if frame in ("EME2000", "J2000"):
        b = _frame_bias()
        return r @ b, v @ b  # row vectors: (B^T r^T)^T = r B
    if frame == "TEME":
        from rossim.frames.teme import teme_to_gcrf

        return teme_to_gcrf(r, v, t)
    if frame.startswith("ITRF"):
        from rossim.frames.earth import itrf_to_gcrf

        return itrf_to_gcrf(r, v, t)
    if frame in ("TOD", "MOD"):
        # Of-date axes: r_of_date = M r_gcrf with M the IAU 2006/2000A bias-precession(-nutation)
        # matrix (erfa pnm06a for TOD, pmat06 for MOD), as Orekit's FramesFactory.getTOD/getMOD
        # with IERS 2010 conventions. The axes turn by ~1e-11 rad/s: velocities are rotated.
        tt = (t if isinstance(t, Time) else to_time(t)).tt
        jd1 = np.broadcast_to(np.asarray(tt.jd1, dtype=float), (r.reshape(-1, 3).shape[0],))
        jd2 = np.broadcast_to(np.asarray(tt.jd2, dtype=float), jd1.shape)
        m = (erfa.pnm06a if frame == "TOD" else erfa.pmat06)(jd1, jd2)
        rr = np.einsum("nji,nj->ni", m, r.reshape(-1, 3)).reshape(r.shape)
        vv = np.einsum("nji,nj->ni", m, v.reshape(-1, 3)).reshape(v.shape)
        return rr, vv
    raise InputError(None, "REF_FRAME", frame, "GCRF, ICRF, EME2000, J2000, TOD, MOD, TEME or "
                     "ITRF for a conversion to GCRF")
