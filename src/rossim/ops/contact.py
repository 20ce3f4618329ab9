"""Ground contact along the flown orbit: the engine's ``contact`` model.

At every power step (60 s by default) the station's GCRF position (the power model's flown
orbit: semi-major axis and node of the ``orbit`` model, argument of latitude from the mean
motion) is turned into ITRF and its geometric elevation is taken from each ground station of
the catalog (``sites.toml`` ``[[ground_station]]``: Shchyolkovo, Ussuriysk,
Petropavlovsk-Kamchatsky, each with its elevation mask). The station is in contact when at
least one station sees it above its mask (the union of the stations' passes, as
``rossim passes`` lists them).

Frames: ``r_itrf = R3(theta(t)) B(t) r_gcrf`` where ``theta`` is the Earth rotation angle of
UTC (``erfa.era00``) and ``B = R3(theta)^T W R3(ERA) Q`` (IAU 2006/2000A with IERS EOP,
:func:`rossim.frames.earth.gcrf_to_itrf_matrix`) is sampled every 3 h and interpolated: it
holds precession-nutation, polar motion and UT1-UTC, which change slowly.

Ground decisions: the autonomy's requests (reboost plans, safe-mode exits) go down at the first
contact after the request, the ground decides in ``autonomy.ground_decision_h`` and the answer
goes up at the first contact after that; the model reports a ``ground-contact`` crossing when
something waits for it. Archive: minutes of contact per calendar day (``contact_minutes``).
"""

from __future__ import annotations

import math

import erfa
import numpy as np

from rossim.frames.earth import gcrf_to_itrf_matrix, rotation_z
from rossim.frames.geodetic import enu_matrix, geodetic_to_itrf
from rossim.ops.engine import Crossing, Model
from rossim.time import time_from_datetime64

FRAME_STEP_S = 3 * 3600
UNIX_JD0 = 2440587.5


def _era_utc(t_unix_s: np.ndarray) -> np.ndarray:
    day = np.floor(t_unix_s / 86400.0)
    return erfa.era00(UNIX_JD0 + day, (t_unix_s - day * 86400.0) / 86400.0)


class ContactModel(Model):
    """Contact with the catalog's ground stations (see the module docstring)."""

    name = "contact"
    reads = ("beta_deg",)          # runs after the power model, whose positions it uses
    writes = ("contact_minutes",)

    def __init__(self, sim, stations=None):
        self.step = sim.engine.step_s
        gs = stations if stations is not None else sim.timeline.catalog.ground_stations
        self.stations = list(gs)
        self.names = [g.name for g in gs]
        self.site = geodetic_to_itrf([g.lat_deg for g in gs], [g.lon_deg for g in gs],
                                     [g.alt_m for g in gs])                      # (S, 3)
        self.up = enu_matrix([g.lat_deg for g in gs], [g.lon_deg for g in gs])[:, 2, :]
        self.sin_mask = np.sin(np.radians([g.min_elevation_deg for g in gs]))
        self.t_ref_unix = float((sim.engine.t_ref - np.datetime64("1970-01-01T00:00:00", "us"))
                                / np.timedelta64(1, "s"))
        n = sim.engine.t_end_s // FRAME_STEP_S + 3
        self.frame_t = np.arange(n) * float(FRAME_STEP_S)
        m = gcrf_to_itrf_matrix(time_from_datetime64(sim.engine.epochs(self.frame_t)))
        theta = _era_utc(self.t_ref_unix + self.frame_t)
        self.b = np.einsum("nji,njk->nik", rotation_z(theta), m).reshape(n, 9)   # R3^T M
        n_days = int(math.ceil((sim.engine.t_end_s + self.t_ref_unix % 86400) / 86400.0)) + 2
        self.day0 = int(self.t_ref_unix // 86400)
        self.minutes = np.zeros(n_days)
        self.pending = None
        self.decision_s = int(sim.systems.autonomy.ground_decision_h.value * 3600)

    def to_itrf(self, ts: np.ndarray, r_gcrf: np.ndarray) -> np.ndarray:
        """ITRF positions (m) of GCRF positions ``r_gcrf`` (N, 3) at run seconds ``ts``."""
        b = np.stack([np.interp(ts, self.frame_t, self.b[:, j]) for j in range(9)],
                     axis=1).reshape(-1, 3, 3)
        r_tirs = np.einsum("nij,nj->ni", b, r_gcrf)
        return np.einsum("nij,nj->ni", rotation_z(_era_utc(self.t_ref_unix + ts)), r_tirs)

    def visible(self, ts: np.ndarray, r_gcrf: np.ndarray) -> np.ndarray:
        """(N, S) True where station ``s`` sees the station above its elevation mask."""
        r = self.to_itrf(ts, r_gcrf)
        d = r[:, None, :] - self.site[None, :, :]
        sin_el = np.einsum("nsk,sk->ns", d, self.up) / np.linalg.norm(d, axis=2)
        return sin_el >= self.sin_mask[None, :]

    def propose(self, sim, t0: int, t1: int) -> Crossing | None:
        p = sim.power.pending if sim.power is not None else None
        if not p or len(p["ts"]) == 0:
            self.pending = None
            return None
        ts = p["ts"]
        vis = self.visible(ts, p["r_sat"]).any(axis=1)
        self.pending = (ts, vis)
        ready = sim.autonomy.ground_ready_s()
        if ready is not None:
            idx = np.flatnonzero(vis & (ts >= ready))
            if idx.size:
                return Crossing(int(ts[idx[0]] + self.step), self.name, "ground-contact")
        return None

    def commit(self, sim, t0: int, t1: int) -> None:
        if self.pending is None:
            return
        ts, vis = self.pending
        m = min(len(ts), (t1 - t0) // self.step)
        day = ((self.t_ref_unix + ts[:m]) // 86400).astype(int) - self.day0
        np.add.at(self.minutes, day, vis[:m] * (self.step / 60.0))

    def daily_minutes(self, days: np.ndarray) -> np.ndarray:
        """Contact minutes on calendar ``days`` (datetime64[D])."""
        k = days.astype("datetime64[D]").astype(int) - self.day0
        ok = (k >= 0) & (k < len(self.minutes))
        out = np.zeros(len(days))
        out[ok] = self.minutes[k[ok]]
        return out
