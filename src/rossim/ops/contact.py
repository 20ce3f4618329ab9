"""Communications along the flown orbit: the engine's ``contact`` model.

Links (catalog ``sites.toml``):

* **Ground stations** (``[[ground_station]]``: Shchyolkovo, Ussuriysk,
  Petropavlovsk-Kamchatsky, each with its elevation mask): in contact while the station's
  geometric elevation seen from the site is at or above the mask (as ``rossim passes``).
* **Luch-5 relays** (``[[relay]]``: Luch-5A, 5B, 5V at their geostationary slots): in contact
  while the line of sight from the station to the relay clears the Earth (WGS84 ellipsoid)
  by ``[communications] relay_grazing_altitude_km`` and, when ``relay_max_off_zenith_deg``
  is below 180, the relay is within that angle of the station's zenith (a station-side
  antenna limit; none is modelled by default: no public figure).

Contact is the union of the links. Which kinds carry commands up and requests down (ground
approvals, reboost plans, safe-mode exits) is ``[communications] uplink_via`` (default both:
mission control works through the ground stations and the Luch-5 relays).

Method: each link has a real function ``g`` (sine of the elevation minus the sine of the
mask; relative clearance of the line of sight) that is ``>= 0`` in contact. It is sampled on a
coarse grid (``search_step_s``, 120 s) of the power model's flown positions (semi-major axis
and node of the ``orbit`` model, argument of latitude from the mean motion), and every change
of sign, plus every sampled extremum that may reach zero between two samples (a grazing pass),
is refined by :func:`rossim.search.refine_crossings` (the one crossing finder, also behind
``rossim passes``) to 1 ms. Between samples the position is interpolated along the great
circle (slerp, radius linear): metres from the flown arc over 120 s. Refinement is deferred
and batched (a few vectorised calls for all the crossings found since the last request), so
its cost does not grow with the number of engine spans.

Frames: ``r_itrf = R3(theta(t)) B(t) r_gcrf`` where ``theta`` is the Earth rotation angle of
UTC (``erfa.era00``) and ``B = R3(theta)^T W R3(ERA) Q`` (IAU 2006/2000A with IERS EOP,
:func:`rossim.frames.earth.gcrf_to_itrf_matrix`) is sampled every 12 h and interpolated: it
holds precession-nutation, polar motion and UT1-UTC, which change slowly (interpolation
error below 1e-8 rad: centimetres at the station, microseconds in AOS/LOS).

Ground decisions: the autonomy's requests (reboost plans, safe-mode exits) go down at the first
contact over an uplink link after the request, the ground decides in
``autonomy.ground_decision_h`` and the answer goes up at the first such contact after that;
the model reports a ``ground-contact`` crossing (on the engine's step grid, the first step at
or after AOS) when something waits. Every wait is kept (:attr:`ContactModel.waits_s`).

Archive: :meth:`ContactModel.windows` (AOS, LOS, duration, maximum elevation per pass of each
link) and :meth:`ContactModel.daily_minutes` (minutes per calendar day: ground, relay, union).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import erfa
import numpy as np
from numba import njit

from rossim.constants import FLATTENING, GM_EARTH_M3_S2, R_EQ_M
from rossim.frames.earth import gcrf_to_itrf_matrix, rotation_z
from rossim.frames.geodetic import enu_matrix, geodetic_to_itrf
from rossim.ops.engine import Crossing, Model
from rossim.search import crossings_on_grid, grid_brackets, grid_extrema, refine_crossings
from rossim.time import (
    UNIX_EPOCH_JD,
    jd_pair_from_unix_seconds,
    time_from_datetime64,
    unix_seconds,
)

FRAME_STEP_S = 12 * 3600
SIDEREAL_DAY_S = 86164.0905
#: Geostationary radius (m) from GM and the sidereal day.
GEO_RADIUS_M = (GM_EARTH_M3_S2 * (SIDEREAL_DAY_S / (2 * math.pi)) ** 2) ** (1.0 / 3.0)
TOL_S = 1e-3
KINDS = ("ground", "relay")


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


class ContactModel(Model):
    """Contact with the catalog's ground stations and Luch-5 relays (see the module doc).

    Parameters
    ----------
    sim:
        The :class:`~rossim.ops.simulation.Simulation` (engine, timeline catalog, systems).
    stations, relays:
        Override the catalog's ground stations (objects with ``name``, ``lat_deg``,
        ``lon_deg``, ``alt_m``, ``min_elevation_deg``) and relays (catalog ``RelayEntry``);
        ``relays=[]`` models the ground stations alone.
    """

    name = "contact"
    reads = ("beta_deg",)          # runs after the power model, whose positions it uses
    writes = ("contact_minutes", "contact_ground_minutes", "contact_relay_minutes",
              "in_contact")

    def __init__(self, sim, stations=None, relays=None):
        cat = sim.timeline.catalog
        comms = cat.communications
        self.step = sim.engine.step_s
        search = comms.search_step_s.value if comms is not None else 120.0
        self.coarse = max(self.step, int(round(search / self.step)) * self.step)
        gs = list(stations) if stations is not None else list(cat.ground_stations)
        rl = list(relays) if relays is not None else list(cat.relays.values())
        self.links = ([Link(g.name, "ground") for g in gs]
                      + [Link(r.name_en, "relay") for r in rl])
        self.n_ground = len(gs)
        n = len(self.links)
        self.kind = np.array([lk.kind for lk in self.links])
        self.site = np.zeros((n, 3))
        self.up = np.zeros((n, 3))
        self.sin_mask = np.zeros(n)
        if gs:
            self.site[:len(gs)] = geodetic_to_itrf([g.lat_deg for g in gs],
                                                   [g.lon_deg for g in gs],
                                                   [g.alt_m for g in gs])
            self.up[:len(gs)] = enu_matrix([g.lat_deg for g in gs],
                                           [g.lon_deg for g in gs])[:, 2, :]
            self.sin_mask[:len(gs)] = np.sin(np.radians([g.min_elevation_deg for g in gs]))
        lon = np.radians([r.lon_deg.value for r in rl])
        self.relay_itrf = GEO_RADIUS_M * np.stack([np.cos(lon), np.sin(lon), np.zeros(len(rl))],
                                                  axis=1) if rl else np.zeros((0, 3))
        graze_km = comms.relay_grazing_altitude_km.value if comms is not None else 100.0
        self.r_clear = R_EQ_M + graze_km * 1e3
        off = comms.relay_max_off_zenith_deg.value if comms is not None else 180.0
        self.cos_off = math.cos(math.radians(off)) if off < 180.0 else None
        self.z_scale = 1.0 / (1.0 - FLATTENING)      # WGS84 ellipsoid -> sphere of radius a
        uplink = tuple(comms.uplink_via) if comms is not None else ("ground", "relay")
        self.uplink = np.array([lk.kind in uplink for lk in self.links])
        self.uplink_kinds = uplink

        self.t_ref_unix = unix_seconds(sim.engine.t_ref)
        nf = sim.engine.t_end_s // FRAME_STEP_S + 3
        self.frame_t = np.arange(nf) * float(FRAME_STEP_S)
        m = gcrf_to_itrf_matrix(time_from_datetime64(sim.engine.epochs(self.frame_t)))
        theta = _era_utc(self.t_ref_unix + self.frame_t)
        self.b = np.einsum("nji,njk->nik", rotation_z(theta), m).reshape(nf, 9)   # R3^T M
        self.day0 = int(self.t_ref_unix // 86400)
        self.decision_s = int(sim.systems.autonomy.ground_decision_h.value * 3600)
        self.pending = None
        self.waits_s: list[tuple[int, float]] = []     # (time answered, wait s)
        # coarse-grid state between commits and found brackets, refined on request
        self._carry: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._state0: np.ndarray | None = None
        self._todo: list[tuple] = []     # (t_keep, r_keep, brackets, extrema)
        self._peaks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._cross: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._t_done = 0.0
        self._cache: dict | None = None
        #: keep every coarse sample (run s, GCRF m) as committed (tests, diagnostics)
        self.record_samples = False
        self.samples: list[tuple[np.ndarray, np.ndarray]] = []

    # -- geometry ------------------------------------------------------------------------------
    def to_itrf(self, ts: np.ndarray, r_gcrf: np.ndarray) -> np.ndarray:
        """ITRF positions (m) of GCRF positions ``r_gcrf`` (N, 3) at run seconds ``ts``."""
        ts = np.asarray(ts, dtype=float)
        x = ts / FRAME_STEP_S
        j = np.clip(np.floor(x).astype(np.int64), 0, len(self.frame_t) - 2)
        f = (x - j)[:, None]
        b = self.b[j] + f * (self.b[j + 1] - self.b[j])             # (N, 9), row-major B
        rx, ry, rz = r_gcrf[:, 0], r_gcrf[:, 1], r_gcrf[:, 2]
        tx = b[:, 0] * rx + b[:, 1] * ry + b[:, 2] * rz
        ty = b[:, 3] * rx + b[:, 4] * ry + b[:, 5] * rz
        tz = b[:, 6] * rx + b[:, 7] * ry + b[:, 8] * rz
        th = _era_utc(self.t_ref_unix + ts)
        c, s = np.cos(th), np.sin(th)
        return np.stack([c * tx + s * ty, c * ty - s * tx, tz], axis=1)

    def _args(self) -> tuple:
        return (self.b, float(FRAME_STEP_S), self.t_ref_unix, self.site, self.up,
                self.sin_mask, self.relay_itrf, self.n_ground, self.r_clear, self.z_scale,
                -2.0 if self.cos_off is None else self.cos_off)

    def g_grid(self, ts: np.ndarray, r_gcrf: np.ndarray) -> np.ndarray:
        """(N, L) link functions (>= 0 in contact) at run seconds ``ts`` for GCRF positions
        ``r_gcrf`` (N, 3) m: sine of the elevation minus the sine of the mask (ground);
        line-of-sight distance from the Earth's centre over the clearance radius, minus 1
        (relay)."""
        return _g_grid(np.ascontiguousarray(ts, dtype=float),
                       np.ascontiguousarray(r_gcrf, dtype=float), *self._args(),
                       len(self.links))

    def g_interp(self, ts: np.ndarray, link: np.ndarray, t_grid: np.ndarray,
                 r_grid: np.ndarray) -> np.ndarray:
        """Link function of link ``link[i]`` at ``ts[i]``, the position interpolated along
        the great circle between the samples ``r_grid`` at ``t_grid`` (:func:`slerp`)."""
        return _g_interp(np.ascontiguousarray(ts, dtype=float),
                         np.ascontiguousarray(link, dtype=np.int64),
                         np.ascontiguousarray(t_grid, dtype=float),
                         np.ascontiguousarray(r_grid, dtype=float), *self._args())

    def visible(self, ts: np.ndarray, r_gcrf: np.ndarray) -> np.ndarray:
        """(N, L) True where link ``l`` is in contact at the sampled positions."""
        return self.g_grid(ts, r_gcrf) >= 0

    # -- engine hooks --------------------------------------------------------------------------
    def _coarse(self, p: dict, m: int) -> tuple[np.ndarray, np.ndarray]:
        ts = p["ts"][:m]
        keep = (ts.astype(np.int64) % self.coarse) == 0
        return ts[keep], p["r_sat"][:m][keep]

    def propose(self, sim, t0: int, t1: int) -> Crossing | None:
        self.pending = None
        ready = sim.autonomy.ground_ready_s()
        p = sim.power.pending if sim.power is not None else None
        if ready is None or not p or len(p["ts"]) == 0 or not self.uplink.any():
            return None
        ts, r = p["ts"], p["r_sat"]
        if ts[-1] < ready:
            return None
        # the uplink links over this span, refined at once (rare: only while a request waits)
        up = np.flatnonzero(self.uplink)
        tg, rg = ts.astype(float), r
        y = self.g_grid(tg, rg)[:, up]
        tc, ser, rising = crossings_on_grid(
            lambda x, s: self.g_interp(x, up[s], tg, rg), tg, y, TOL_S)
        t_from = max(float(ready), float(t0))
        begin, end, _, _, _ = _intervals(float(tg[0]), float(tg[-1]), y[0] >= 0, tc, ser, rising,
                                         len(up))
        ok = (end > t_from) | ((end == tg[-1]) & (begin <= t_from))
        if not ok.any():
            return None
        aos = max(float(np.min(begin[ok])), t_from)
        t_s = max(int(math.ceil(aos / self.step - 1e-9)) * self.step, t0 + self.step)
        if t_s > t1:
            return None
        return Crossing(int(t_s), self.name, "ground-contact")

    def commit(self, sim, t0: int, t1: int) -> None:
        p = sim.power.pending if sim.power is not None else None
        if not p or len(p["ts"]) == 0:
            return
        m = min(len(p["ts"]), (t1 - t0) // self.step)
        ts, r = self._coarse(p, m)
        if len(ts) == 0:
            return
        if self.record_samples:
            self.samples.append((ts.astype(float), r.copy()))
        y = self.g_grid(ts.astype(float), r)
        if self._carry is not None:
            ct, cr, cy = self._carry
            ts, r, y = np.r_[ct, ts], np.vstack([cr, r]), np.vstack([cy, y])
            nc = len(ct)
        else:
            self._state0 = y[0] >= 0
            nc = 0
        ts = ts.astype(float)
        br = grid_brackets(ts, y)
        first = ts[nc - 1] if nc else -np.inf      # brackets of the carried pair are done
        k = br[0] >= first
        br = tuple(x[k] for x in br)
        ex = grid_extrema(ts, y)
        # samples the refinement needs: both ends of every bracket, the three of every extremum
        need = np.zeros(len(ts), dtype=bool)
        for lo, hi in ((br[0], br[1]), (ex[0], ex[1])):
            i0 = np.searchsorted(ts, lo)
            i1 = np.searchsorted(ts, hi)
            need[i0] = True
            need[i1] = True
            need[np.minimum(i0 + 1, len(ts) - 1)] |= i1 - i0 == 2
        if br[0].size or ex[0].size:
            self._todo.append((ts[need], r[need], br, ex))
        # culminations of the ground passes (parabola through the sampled peak)
        ng = self.n_ground
        if ng and len(ts) >= 3:
            yl, ym, yr = y[:-2, :ng], y[1:-1, :ng], y[2:, :ng]
            pk, ser = np.nonzero((ym >= yl) & (ym > yr) & (ym >= 0))
            a, b, c = yl[pk, ser], ym[pk, ser], yr[pk, ser]
            den = a - 2 * b + c
            den = np.where(den < 0, den, -1e-30)
            x = np.clip((a - c) / (2 * den), -1.0, 1.0)
            v = b - (a - c) ** 2 / (8 * den)
            self._peaks.append((ts[pk + 1] + x * self.coarse, ser, np.minimum(
                v + self.sin_mask[ser], 1.0)))
        self._carry = (ts[-2:], r[-2:], y[-2:])
        self._cache = None

    # -- results -------------------------------------------------------------------------------
    def _refine(self) -> None:
        """Refine every bracket found since the last call (one batch)."""
        if not self._todo:
            return
        t_keep = np.concatenate([x[0] for x in self._todo])
        r_keep = np.concatenate([x[1] for x in self._todo])
        t_keep, idx = np.unique(t_keep, return_index=True)
        r_keep = r_keep[idx]
        br = tuple(np.concatenate([x[2][i] for x in self._todo]) for i in range(5))
        ex = tuple(np.concatenate([x[3][i] for x in self._todo]) for i in range(5))
        self._todo = []
        if len(t_keep) < 2:
            return
        tc, ser, rising = refine_crossings(
            lambda x, s: self.g_interp(x, s, t_keep, r_keep), br, ex, TOL_S)
        self._cross.append((tc, ser, rising))

    def windows(self, t_end_s: float | None = None) -> dict[str, np.ndarray]:
        """Contact windows of every link up to ``t_end_s`` (default: the last committed
        sample): columns ``link`` (index), ``name``, ``kind``, ``aos_s``, ``los_s`` (run
        seconds), ``duration_s``, ``max_elevation_deg`` (ground; NaN for relays),
        ``aos_clipped``/``los_clipped`` (in contact at the run start / still in contact)."""
        if self._carry is None:
            e = np.empty(0)
            return {"link": e.astype(int), "name": e.astype(str), "kind": e.astype(str),
                    "aos_s": e, "los_s": e, "duration_s": e, "max_elevation_deg": e,
                    "aos_clipped": e.astype(bool), "los_clipped": e.astype(bool)}
        t_last = float(self._carry[0][-1])
        t_end = t_last if t_end_s is None else min(float(t_end_s), t_last)
        if self._cache is not None and self._cache["t_end"] == t_end:
            return self._cache["windows"]
        self._refine()
        if self._cross:
            tc, ser, rising = (np.concatenate([c[i] for c in self._cross]) for i in range(3))
            o = np.lexsort((ser, tc))
            tc, ser, rising = tc[o], ser[o], rising[o]
            self._cross = [(tc, ser, rising)]
        else:
            tc = np.empty(0)
            ser = np.empty(0, dtype=int)
            rising = np.empty(0, dtype=bool)
        begin, end, link, bclip, eclip = _intervals(0.0, t_last, self._state0, tc, ser,
                                                    rising, len(self.links))
        k = begin < t_end
        begin, end, link, bclip, eclip = begin[k], end[k], link[k], bclip[k], eclip[k]
        eclip = eclip | (end > t_end)
        end = np.minimum(end, t_end)
        o = np.lexsort((link, begin))
        begin, end, link, bclip, eclip = begin[o], end[o], link[o], bclip[o], eclip[o]
        elev = np.full(len(begin), np.nan)
        g = link < self.n_ground
        elev[g] = np.degrees(np.arcsin(self.sin_mask[link[g]]))
        if self._peaks:
            pt, ps, pv = (np.concatenate([x[i] for x in self._peaks]) for i in range(3))
            self._peaks = [(pt, ps, pv)]
            for li in range(self.n_ground):
                w = np.flatnonzero(link == li)
                q = ps == li
                if not w.size or not q.any():
                    continue
                t_pk, v_pk = pt[q], pv[q]
                j = np.searchsorted(begin[w], t_pk, side="right") - 1
                inside = (j >= 0) & (t_pk <= end[w[np.maximum(j, 0)]] + self.coarse)
                el = np.full(w.size, -np.inf)
                np.maximum.at(el, j[inside], np.degrees(np.arcsin(np.clip(v_pk[inside], -1, 1))))
                elev[w] = np.maximum(elev[w], el)
        names = np.array([lk.name for lk in self.links])
        out = {"link": link, "name": names[link] if link.size else np.empty(0, dtype=str),
               "kind": self.kind[link] if link.size else np.empty(0, dtype=str),
               "aos_s": begin, "los_s": end, "duration_s": end - begin,
               "max_elevation_deg": elev, "aos_clipped": bclip, "los_clipped": eclip}
        self._cache = {"t_end": t_end, "windows": out}
        return out

    def union(self, kinds: tuple[str, ...] = KINDS, t_end_s: float | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
        """Disjoint (begin_s, end_s) of contact over any link of ``kinds``, sorted."""
        w = self.windows(t_end_s)
        k = np.isin(w["kind"], kinds)
        return _merge(w["aos_s"][k], w["los_s"][k])

    def daily_minutes(self, days: np.ndarray, kind: str = "union") -> np.ndarray:
        """Contact minutes on calendar ``days`` (datetime64[D]): ``kind`` ``"ground"``,
        ``"relay"`` or ``"union"`` (any link)."""
        kinds = KINDS if kind == "union" else (kind,)
        b, e = self.union(kinds)
        d = days.astype("datetime64[D]").astype(np.int64)
        lo = (d * 86400.0) - self.t_ref_unix
        return (_covered(b, e, lo + 86400.0) - _covered(b, e, lo)) / 60.0

    def contact_steps(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The 0/1 channels ``in_contact`` (any link), ``in_ground_contact`` and
        ``in_relay_contact`` as steps: (run seconds, {channel: value}) with one row at the run
        start and at every AOS and LOS of any of them, each value holding from that instant."""
        spans = {"in_contact": self.union(KINDS), "in_ground_contact": self.union(("ground",)),
                 "in_relay_contact": self.union(("relay",))}
        t = np.unique(np.concatenate([[0.0]] + [np.r_[b, e] for b, e in spans.values()]))
        out = {}
        for name, (b, e) in spans.items():
            if len(b) == 0:
                out[name] = np.zeros(len(t))
                continue
            j = np.searchsorted(b, t, side="right") - 1
            out[name] = ((j >= 0) & (t < e[np.maximum(j, 0)])).astype(float)
        return t, out

    def mean_wait_min(self) -> float | None:
        """Mean wait (min) of a request or an answer for an uplink contact (None: none)."""
        if not self.waits_s:
            return None
        return float(np.mean([w for _, w in self.waits_s])) / 60.0


def _intervals(t_start: float, t_end: float, state0, tc: np.ndarray, ser: np.ndarray,
               rising: np.ndarray, n_links: int):
    """Per-link intervals in [t_start, t_end] from the state at ``t_start`` and the sorted
    crossings: ``(begin, end, link, begin_clipped, end_clipped)``."""
    outs = []
    state0 = np.zeros(n_links, bool) if state0 is None else np.asarray(state0, bool)
    for li in range(n_links):
        q = ser == li
        t, up = tc[q], rising[q]
        # a consistent sequence alternates, starting with the opposite of the initial state
        expect = np.arange(len(up)) % 2 == (0 if not state0[li] else 1)
        if len(up) and not np.array_equal(up, expect):
            keep, s = [], bool(state0[li])
            for i in range(len(up)):
                if bool(up[i]) != s:
                    keep.append(i)
                    s = bool(up[i])
            t, up = t[keep], up[keep]
        b = t[up]
        e = t[~up]
        bc = np.zeros(len(b), bool)
        if state0[li]:
            b = np.r_[t_start, b]
            bc = np.r_[True, bc]
        ec = np.zeros(len(e), bool)
        if len(b) > len(e):
            e = np.r_[e, t_end]
            ec = np.r_[ec, True]
        outs.append((b, e, np.full(len(b), li), bc, ec))
    if not outs:
        z = np.empty(0)
        return z, z, z.astype(int), z.astype(bool), z.astype(bool)
    return tuple(np.concatenate(x) for x in zip(*outs, strict=True))


def _merge(b: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Union of intervals [b, e] as disjoint sorted intervals."""
    if len(b) == 0:
        return b, e
    o = np.argsort(b, kind="stable")
    b, e = b[o], e[o]
    reach = np.maximum.accumulate(e)
    new = np.r_[True, b[1:] > reach[:-1]]
    gid = np.cumsum(new) - 1
    ends = np.full(gid[-1] + 1, -np.inf)
    np.maximum.at(ends, gid, e)
    return b[new], ends


def _covered(b: np.ndarray, e: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Seconds of the disjoint sorted intervals [b, e] before each ``x``."""
    if len(b) == 0:
        return np.zeros(len(x))
    cum = np.r_[0.0, np.cumsum(e - b)]
    j = np.searchsorted(b, x, side="right")        # intervals starting before x
    full = cum[np.maximum(j - 1, 0)]
    part = np.where(j > 0, np.minimum(x, e[np.maximum(j - 1, 0)]) - b[np.maximum(j - 1, 0)],
                    0.0)
    return np.where(j > 0, full + part, 0.0)


def contact_record(model: ContactModel, engine, days: np.ndarray) -> dict:
    """What a run archives of communications: ``windows`` (columns ``name``, ``kind``,
    ``aos``, ``los`` (datetime64[us], UTC), ``duration_s``, ``max_elevation_deg``,
    ``aos_clipped``, ``los_clipped``), ``daily`` (minutes per calendar day of ``days``:
    ``ground``, ``relay``, ``union``), ``in_contact`` ((epochs, {channel: 0/1}) at every
    AOS/LOS: :meth:`ContactModel.contact_steps`), ``uplink_via`` and the mean wait of a ground request for an uplink contact."""
    w = model.windows()
    t_ic, v_ic = model.contact_steps()
    return {
        "windows": {"name": w["name"], "kind": w["kind"],
                    "aos": engine.epochs(w["aos_s"]), "los": engine.epochs(w["los_s"]),
                    "duration_s": w["duration_s"], "max_elevation_deg": w["max_elevation_deg"],
                    "aos_clipped": w["aos_clipped"], "los_clipped": w["los_clipped"]},
        "daily": {k: model.daily_minutes(days, k) for k in ("ground", "relay", "union")},
        "in_contact": (engine.epochs(t_ic), v_ic),
        "uplink_via": list(model.uplink_kinds),
        "links": [(lk.name, lk.kind) for lk in model.links],
        "mean_wait_min": model.mean_wait_min(),
        "requests_waited": len(model.waits_s),
    }
