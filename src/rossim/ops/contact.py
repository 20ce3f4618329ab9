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

Modules: link geometry and frames in :mod:`rossim.ops.contact_geometry`, windows, daily
minutes and the archived record in :mod:`rossim.ops.contact_windows`; the engine model here.

Archive: :meth:`ContactModel.windows` (AOS, LOS, duration, maximum elevation per pass of each
link) and :meth:`ContactModel.daily_minutes` (minutes per calendar day: ground, relay, union).
"""

from __future__ import annotations

import math

import numpy as np

from rossim.constants import FLATTENING, R_EQ_M
from rossim.frames.earth import gcrf_to_itrf_matrix, rotation_z
from rossim.frames.geodetic import enu_matrix, geodetic_to_itrf
from rossim.ops.contact_geometry import (  # noqa: F401  (re-exported)
    FRAME_STEP_S,
    GEO_RADIUS_M,
    SIDEREAL_DAY_S,
    Link,
    _era_utc,
    _g_grid,
    _g_interp,
    service_windows_s,
    slerp,
)
from rossim.ops.contact_windows import (  # noqa: F401  (re-exported)
    KINDS,
    TOL_S,
    ContactWindowsMixin,
    _intervals,
    contact_record,
)
from rossim.ops.engine import Crossing, Model
from rossim.search import crossings_on_grid, grid_brackets, grid_extrema
from rossim.time import time_from_datetime64, unix_seconds


class ContactModel(ContactWindowsMixin, Model):
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
        # service windows (run s): a relay from its launch to the end of its design life, or
        # for ever with in-slot replacements (scenario operations.assume_relay_replacements)
        ops = getattr(sim.scenario, "operations", None)
        self.serve_from, self.serve_to = service_windows_s(
            sim.engine, len(gs), rl, bool(getattr(ops, "assume_relay_replacements", False)))
        self.always = bool(np.isinf(self.serve_from).all() and np.isinf(self.serve_to).all())
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
        ts = np.ascontiguousarray(ts, dtype=float)
        g = _g_grid(ts, np.ascontiguousarray(r_gcrf, dtype=float), *self._args(),
                    len(self.links))
        if self.always:
            return g
        # a link out of service (a relay past its design life) is -1: never in contact
        on = (ts[:, None] >= self.serve_from) & (ts[:, None] < self.serve_to)
        return np.where(on, g, -1.0)

    def g_interp(self, ts: np.ndarray, link: np.ndarray, t_grid: np.ndarray,
                 r_grid: np.ndarray) -> np.ndarray:
        """Link function of link ``link[i]`` at ``ts[i]``, the position interpolated along
        the great circle between the samples ``r_grid`` at ``t_grid`` (:func:`slerp`)."""
        ts = np.ascontiguousarray(ts, dtype=float)
        link = np.ascontiguousarray(link, dtype=np.int64)
        g = _g_interp(ts, link, np.ascontiguousarray(t_grid, dtype=float),
                      np.ascontiguousarray(r_grid, dtype=float), *self._args())
        if self.always:
            return g
        on = (ts >= self.serve_from[link]) & (ts < self.serve_to[link])
        return np.where(on, g, -1.0)

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


