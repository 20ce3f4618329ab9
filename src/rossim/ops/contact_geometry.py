"""Geometry of the contact model: frames and link functions (:mod:`rossim.ops.contact`).

Each link has a real function ``g`` that is ``>= 0`` in contact: for a ground station the sine
of the station's geometric elevation seen from the site minus the sine of the site's mask; for
a Luch-5 relay at its geostationary slot (radius :data:`GEO_RADIUS_M` from GM and the sidereal
day) the distance of the line of sight from the Earth's centre (WGS84 ellipsoid scaled to a
sphere) over the clearance radius, minus 1, and, with a station-side antenna limit, the cosine
of the relay's angle off the station's zenith minus that of the limit.

Frames: ``r_itrf = R3(theta(t)) B(t) r_gcrf`` where ``theta`` is the Earth rotation angle of
UTC (``erfa.era00``) and ``B = R3(theta)^T W R3(ERA) Q`` (IAU 2006/2000A with IERS EOP,
:func:`rossim.frames.earth.gcrf_to_itrf_matrix`) is sampled every :data:`FRAME_STEP_S` and
interpolated (error below 1e-8 rad). Between samples of the flown orbit the position is
interpolated along the great circle (:func:`slerp`, radius linear). The kernels are compiled
with numba.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import erfa
import numpy as np
from numba import njit

from rossim.constants import GM_EARTH_M3_S2
from rossim.time import UNIX_EPOCH_JD, jd_pair_from_unix_seconds

FRAME_STEP_S = 12 * 3600
SIDEREAL_DAY_S = 86164.0905
#: Geostationary radius (m) from GM and the sidereal day.
GEO_RADIUS_M = (GM_EARTH_M3_S2 * (SIDEREAL_DAY_S / (2 * math.pi)) ** 2) ** (1.0 / 3.0)



def _era_utc(t_unix_s: np.ndarray) -> np.ndarray:
    return erfa.era00(*jd_pair_from_unix_seconds(t_unix_s))


@njit(cache=True)
def _itrf(t, x, y, z, b, frame_step, t_ref_unix):
    """ITRF position of the GCRF position (x, y, z) at run second ``t``: ``R3(ERA) B(t) r``
    with ``B`` interpolated in time and the ERA of UTC as ``erfa.era00`` computes it."""
    u = t / frame_step
    j = min(max(int(math.floor(u)), 0), b.shape[0] - 2)
    f = u - j
    b0, b1 = b[j], b[j + 1]
    tx = ((b0[0] + f * (b1[0] - b0[0])) * x + (b0[1] + f * (b1[1] - b0[1])) * y
          + (b0[2] + f * (b1[2] - b0[2])) * z)
    ty = ((b0[3] + f * (b1[3] - b0[3])) * x + (b0[4] + f * (b1[4] - b0[4])) * y
          + (b0[5] + f * (b1[5] - b0[5])) * z)
    tz = ((b0[6] + f * (b1[6] - b0[6])) * x + (b0[7] + f * (b1[7] - b0[7])) * y
          + (b0[8] + f * (b1[8] - b0[8])) * z)
    tu = t_ref_unix + t
    day = math.floor(tu / 86400.0)
    frac = (tu - day * 86400.0) / 86400.0
    d2 = UNIX_EPOCH_JD + day
    era = 2.0 * math.pi * ((frac % 1.0) + (d2 % 1.0) + 0.7790572732640
                           + 0.00273781191135448 * (frac + (d2 - 2451545.0)))
    c, s = math.cos(era), math.sin(era)
    return c * tx + s * ty, c * ty - s * tx, tz


@njit(cache=True)
def _link_value(px, py, pz, lk, site, up, sin_mask, relay, n_ground, r_clear, z_scale,
                cos_off):
    """Link function of link ``lk`` for the ITRF position (px, py, pz) m."""
    if lk < n_ground:
        dx, dy, dz = px - site[lk, 0], py - site[lk, 1], pz - site[lk, 2]
        return ((dx * up[lk, 0] + dy * up[lk, 1] + dz * up[lk, 2])
                / math.sqrt(dx * dx + dy * dy + dz * dz) - sin_mask[lk])
    q = lk - n_ground
    qx, qy, qz = relay[q, 0], relay[q, 1], relay[q, 2] * z_scale
    sx, sy, sz = px, py, pz * z_scale
    dx, dy, dz = qx - sx, qy - sy, qz - sz
    w = -(sx * dx + sy * dy + sz * dz) / (dx * dx + dy * dy + dz * dz)
    w = min(max(w, 0.0), 1.0)
    cx, cy, cz = sx + w * dx, sy + w * dy, sz + w * dz
    g = math.sqrt(cx * cx + cy * cy + cz * cz) / r_clear - 1.0
    if cos_off > -1.0:
        ex, ey, ez = relay[q, 0] - px, relay[q, 1] - py, relay[q, 2] - pz
        cz_ = (px * ex + py * ey + pz * ez) / (math.sqrt(px * px + py * py + pz * pz)
                                              * math.sqrt(ex * ex + ey * ey + ez * ez))
        g = min(g, cz_ - cos_off)
    return g


@njit(cache=True)
def _g_grid(ts, r, b, frame_step, t_ref_unix, site, up, sin_mask, relay, n_ground, r_clear,
            z_scale, cos_off, n_links):
    out = np.empty((ts.shape[0], n_links))
    for i in range(ts.shape[0]):
        px, py, pz = _itrf(ts[i], r[i, 0], r[i, 1], r[i, 2], b, frame_step, t_ref_unix)
        for lk in range(n_links):
            out[i, lk] = _link_value(px, py, pz, lk, site, up, sin_mask, relay, n_ground,
                                     r_clear, z_scale, cos_off)
    return out


@njit(cache=True)
def _g_interp(ts, links, t_grid, r_grid, b, frame_step, t_ref_unix, site, up, sin_mask, relay,
              n_ground, r_clear, z_scale, cos_off):
    """Link functions at ``ts`` for positions interpolated between samples (slerp)."""
    out = np.empty(ts.shape[0])
    n = t_grid.shape[0]
    for i in range(ts.shape[0]):
        j = min(max(np.searchsorted(t_grid, ts[i], "right") - 1, 0), n - 2)
        f = (ts[i] - t_grid[j]) / (t_grid[j + 1] - t_grid[j])
        n0 = math.sqrt(r_grid[j, 0] ** 2 + r_grid[j, 1] ** 2 + r_grid[j, 2] ** 2)
        n1 = math.sqrt(r_grid[j + 1, 0] ** 2 + r_grid[j + 1, 1] ** 2 + r_grid[j + 1, 2] ** 2)
        cth = 0.0
        for k in range(3):
            cth += r_grid[j, k] * r_grid[j + 1, k] / (n0 * n1)
        th = math.acos(min(max(cth, -1.0), 1.0))
        sth = math.sin(th)
        if sth < 1e-12:
            w0, w1 = 1.0 - f, f
        else:
            w0, w1 = math.sin((1.0 - f) * th) / sth, math.sin(f * th) / sth
        vx = w0 * r_grid[j, 0] / n0 + w1 * r_grid[j + 1, 0] / n1
        vy = w0 * r_grid[j, 1] / n0 + w1 * r_grid[j + 1, 1] / n1
        vz = w0 * r_grid[j, 2] / n0 + w1 * r_grid[j + 1, 2] / n1
        rad = ((1.0 - f) * n0 + f * n1) / math.sqrt(vx * vx + vy * vy + vz * vz)
        px, py, pz = _itrf(ts[i], vx * rad, vy * rad, vz * rad, b, frame_step, t_ref_unix)
        out[i] = _link_value(px, py, pz, links[i], site, up, sin_mask, relay, n_ground,
                             r_clear, z_scale, cos_off)
    return out


@dataclass(frozen=True)
class Link:
    """One communication link: a ground station or a relay."""

    name: str
    kind: str                   # "ground" or "relay"


def slerp(t: np.ndarray, t_grid: np.ndarray, r_grid: np.ndarray) -> np.ndarray:
    """Positions (M, 3) at ``t`` between samples ``r_grid`` (K, 3) at ``t_grid`` (K,):
    great-circle interpolation of the direction, linear in the radius."""
    t = np.asarray(t, dtype=float)
    j = np.clip(np.searchsorted(t_grid, t, side="right") - 1, 0, len(t_grid) - 2)
    f = (t - t_grid[j]) / (t_grid[j + 1] - t_grid[j])
    r0, r1 = r_grid[j], r_grid[j + 1]
    n0 = np.linalg.norm(r0, axis=1)
    n1 = np.linalg.norm(r1, axis=1)
    u0, u1 = r0 / n0[:, None], r1 / n1[:, None]
    cos = np.clip(np.einsum("ij,ij->i", u0, u1), -1.0, 1.0)
    th = np.arccos(cos)
    s = np.sin(th)
    small = s < 1e-12
    s = np.where(small, 1.0, s)
    w0 = np.where(small, 1.0 - f, np.sin((1.0 - f) * th) / s)
    w1 = np.where(small, f, np.sin(f * th) / s)
    u = w0[:, None] * u0 + w1[:, None] * u1
    u /= np.linalg.norm(u, axis=1)[:, None]
    return u * ((1.0 - f) * n0 + f * n1)[:, None]


def service_windows_s(engine, n_ground: int, relays, replaced: bool
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Service window of every link in run seconds of ``engine``: ``(start, end)`` arrays of
    length ``n_ground + len(relays)``; ground stations always (``-inf``, ``inf``); a relay
    (catalog ``RelayEntry``) from its launch to :meth:`RelayEntry.service_end` (its design
    life), or without end when ``replaced`` (an in-slot successor assumed)."""
    import datetime as _dt

    n = n_ground + len(relays)
    start, end = np.full(n, -np.inf), np.full(n, np.inf)
    for i, r in enumerate(relays):
        launch = getattr(r, "launch", None)
        if launch is None:      # a relay given without dates (tests): always in service
            continue
        t0 = _dt.datetime.combine(launch.value, _dt.time(), tzinfo=_dt.UTC)
        start[n_ground + i] = float(engine.seconds(t0))
        if not replaced:
            end[n_ground + i] = float(engine.seconds(r.service_end()))
    return start, end
