"""The station and its released satellites integrated together with a coarse-step nonlinear
model, through the station's reboosts (used by :mod:`rossim.fleet.recontact` for the
recontact check and by :mod:`rossim.ops.keepout` for the autonomy's prediction).

The linear check of :mod:`rossim.fleet.deployment` looks 15 orbits ahead with HCW. That
misses what matters after a month: differential drag brings a satellite that decays more
slowly than the station back to its altitude, a reboost lifts the station through the
satellite's altitude, and a satellite that laps the station (a few km of altitude difference
is hundreds of km a day of along-track drift) passes it again. :func:`propagate_family`
integrates the station and ``N`` satellites **in one compiled loop** (numba), from release
until each satellite's re-entry (150 km) or the end of the horizon (at least 90 days by
default), and reports per satellite:

* the closest approach to the station (m) and its time, found on every integration step and
  refined inside each step by a cubic Hermite interpolation of the relative state (16 points)
  wherever the separation is below 50 km;
* the keep-out zones: entries into and time spent inside the approach ellipsoid (semi-axes
  ``approach_ellipsoid_m`` along the LVLH x, y, z axes, ISS practice 4 x 2 x 2 km) and the
  keep-out sphere (``keep_out_radius_m``, ISS practice 200 m), with the first entry's time;
* the smallest distance to each arriving ship's approach corridor during its approach window
  (:mod:`rossim.ops.keepout` builds the corridors);
* the re-entry time, when inside the horizon.

Model ("coarse-step nonlinear", validated against the full propagator
:func:`rossim.dynamics.propagator.propagate`, ``tests/fleet/test_recontact.py``): GCRF,
two-body plus J2 (the dominant differential term between orbits a few km apart: the nodes and
perigees drift at rates that differ with the semi-major axis), drag ``-1/2 rho (Cd A/m)
|v_r| v_r`` relative to an atmosphere co-rotating with the Earth, with ``rho`` the
orbit-averaged density of the scenario's atmosphere model and space weather
(:func:`rossim.dynamics.decay.orbit_average_density`, daily, on an altitude grid, log-linear in
altitude and linear in time between days) at the spherical altitude ``|r| - R_eq``; classical
fourth-order Runge-Kutta with a fixed step (``step_s``, 30 s by default). The station's drag
(``Cd A/m``) follows the run's hourly channel (vehicles docking change it), and each reboost
of the run (:attr:`rossim.ops.orbit_keeping.OrbitHistory.burns`) is flown as a Hohmann
transfer: a tangential impulse at the burn's time and another half an orbit later, sized from
the burn's altitudes before and after. Integration errors are common to objects that fly
within a few km of each other and largely cancel in the relative motion.

Cost: ``(N+1) x 4`` acceleration evaluations per step; 24 satellites over 90 days at 30 s
are about 26 million evaluations (seconds on one core).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numba import njit

from rossim.constants import GM_EARTH_M3_S2, J2, OMEGA_EARTH_RAD_S, R_EQ_M
from rossim.errors import InputError

__all__ = ["release_velocities_lvlh", "FamilyRecontact", "SatelliteRecontact", "StationBurn", "propagate_family",
           "hohmann_impulses", "REENTRY_ALTITUDE_M", "DEFAULT_HORIZON_DAYS", "density_table"]

REENTRY_ALTITUDE_M = 150e3
DEFAULT_HORIZON_DAYS = 90.0
REFINE_BELOW_M = 50e3
_SUB = 16


@dataclass(frozen=True)
class StationBurn:
    """One tangential impulse of the station: ``t_s`` after the propagation epoch,
    ``dv_m_s`` along the velocity (negative: retrograde)."""

    t_s: float
    dv_m_s: float


def hohmann_impulses(t_s: float, altitude_before_km: float, altitude_after_km: float
                     ) -> tuple[StationBurn, StationBurn]:
    """The two tangential impulses of a Hohmann transfer between circular orbits at the two
    altitudes (km above R_eq): the first at ``t_s``, the second half a transfer orbit later."""
    r1 = R_EQ_M + altitude_before_km * 1e3
    r2 = R_EQ_M + altitude_after_km * 1e3
    mu = GM_EARTH_M3_S2
    at = 0.5 * (r1 + r2)
    dv1 = math.sqrt(mu / r1) * (math.sqrt(2 * r2 / (r1 + r2)) - 1.0)
    dv2 = math.sqrt(mu / r2) * (1.0 - math.sqrt(2 * r1 / (r1 + r2)))
    half = math.pi * math.sqrt(at ** 3 / mu)
    return StationBurn(float(t_s), dv1), StationBurn(float(t_s) + half, dv2)


@njit(cache=True)
def _accel(r0, r1, r2, v0, v1, v2, b, t, lr, alts, mu, re, j2, we, out):  # pragma: no cover
    """Two-body + J2 + drag acceleration into ``out`` (3,)."""
    rr = math.sqrt(r0 * r0 + r1 * r1 + r2 * r2)
    inv3 = mu / (rr * rr * rr)
    zr2 = (r2 / rr) ** 2
    k = 1.5 * j2 * (re / rr) ** 2
    out[0] = -inv3 * r0 * (1.0 + k * (1.0 - 5.0 * zr2))
    out[1] = -inv3 * r1 * (1.0 + k * (1.0 - 5.0 * zr2))
    out[2] = -inv3 * r2 * (1.0 + k * (3.0 - 5.0 * zr2))
    if b <= 0.0:
        return
    h = rr - re
    # density: linear in time between daily rows, log-linear in altitude
    nd = lr.shape[0]
    x = t / 86400.0
    i = int(math.floor(x))
    if i < 0:
        i = 0
        w = 0.0
    elif i >= nd - 1:
        i = nd - 2
        w = 1.0
    else:
        w = x - i
    na = alts.shape[0]
    if h <= alts[0]:
        j = 0
        u = 0.0
    elif h >= alts[na - 1]:
        j = na - 2
        u = 1.0
    else:
        j = np.searchsorted(alts, h) - 1
        u = (h - alts[j]) / (alts[j + 1] - alts[j])
    l0 = (1.0 - u) * lr[i, j] + u * lr[i, j + 1]
    l1 = (1.0 - u) * lr[i + 1, j] + u * lr[i + 1, j + 1]
    rho = math.exp((1.0 - w) * l0 + w * l1)
    vr0 = v0 + we * r1
    vr1 = v1 - we * r0
    vr2 = v2
    vr = math.sqrt(vr0 * vr0 + vr1 * vr1 + vr2 * vr2)
    f = -0.5 * rho * b * vr
    out[0] += f * vr0
    out[1] += f * vr1
    out[2] += f * vr2


@njit(cache=True)
def _deriv_all(t, y, b, active, lr, alts, mu, re, j2, we, dy):  # pragma: no cover
    a = np.empty(3)
    for o in range(y.shape[0]):
        if not active[o]:
            continue
        _accel(y[o, 0], y[o, 1], y[o, 2], y[o, 3], y[o, 4], y[o, 5], b[o], t, lr, alts, mu,
               re, j2, we, a)
        dy[o, 0] = y[o, 3]
        dy[o, 1] = y[o, 4]
        dy[o, 2] = y[o, 5]
        dy[o, 3] = a[0]
        dy[o, 4] = a[1]
        dy[o, 5] = a[2]


@njit(cache=True)
def _lvlh_rows(r, v, m):  # pragma: no cover
    """LVLH axes (rows x along-track, y -orbit normal, z nadir) of state (r, v) into m."""
    rn = math.sqrt(r[0] ** 2 + r[1] ** 2 + r[2] ** 2)
    hx = r[1] * v[2] - r[2] * v[1]
    hy = r[2] * v[0] - r[0] * v[2]
    hz = r[0] * v[1] - r[1] * v[0]
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    m[2, 0] = -r[0] / rn
    m[2, 1] = -r[1] / rn
    m[2, 2] = -r[2] / rn
    m[1, 0] = -hx / hn
    m[1, 1] = -hy / hn
    m[1, 2] = -hz / hn
    m[0, 0] = m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]
    m[0, 1] = m[1, 2] * m[2, 0] - m[1, 0] * m[2, 2]
    m[0, 2] = m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]


@njit(cache=True)
def _dist_polyline(p, poly):  # pragma: no cover
    best = 1e300
    for s in range(poly.shape[0] - 1):
        ax, ay, az = poly[s, 0], poly[s, 1], poly[s, 2]
        dx, dy_, dz = poly[s + 1, 0] - ax, poly[s + 1, 1] - ay, poly[s + 1, 2] - az
        ll = dx * dx + dy_ * dy_ + dz * dz
        u = 0.0
        if ll > 0:
            u = ((p[0] - ax) * dx + (p[1] - ay) * dy_ + (p[2] - az) * dz) / ll
            u = min(max(u, 0.0), 1.0)
        ex = p[0] - ax - u * dx
        ey = p[1] - ay - u * dy_
        ez = p[2] - az - u * dz
        d = math.sqrt(ex * ex + ey * ey + ez * ez)
        if d < best:
            best = d
    return best


@njit(cache=True)
def _family_kernel(y0_station, rel0_lvlh, release_step, b_sat, b_station_hourly, burn_step,
                   burn_dv, n_steps, h, lr, alts, axes, keep_out_r, reentry_m, win_lo, win_hi,
                   corridor, track_every, band_lo_m, band_hi_m, n_orbit):  # pragma: no cover
    """See :func:`propagate_family`. Objects: 0 the station, 1..N the satellites."""
    mu, re, j2, we = GM_EARTH_M3_S2, R_EQ_M, J2, OMEGA_EARTH_RAD_S
    ns = rel0_lvlh.shape[0]
    no = ns + 1
    y = np.zeros((no, 6))
    y[0] = y0_station
    active = np.zeros(no, dtype=np.bool_)
    active[0] = True
    b = np.zeros(no)
    b[1:] = b_sat
    min_d = np.full(ns, np.inf)
    t_min = np.full(ns, np.nan)
    min_q = np.full(ns, np.inf)
    ell_entries = np.zeros(ns, dtype=np.int64)
    sph_entries = np.zeros(ns, dtype=np.int64)
    first_ell = np.full(ns, np.nan)
    inside_s = np.zeros(ns)
    was_in = np.zeros(ns, dtype=np.bool_)
    was_in_s = np.zeros(ns, dtype=np.bool_)
    left = np.zeros(ns, dtype=np.bool_)   # cleared (2 x the largest semi-axis) since release
    clear_m = 2.0 * max(axes[0], max(axes[1], axes[2]))
    d_pp = np.full(ns, np.inf)
    d_p = np.full(ns, np.inf)
    t_p = np.zeros(ns)
    decay_t = np.full(ns, np.nan)
    nw = win_lo.shape[0]
    corr_min = np.full((ns, nw), np.inf)
    n_track = n_steps // track_every + 1
    track = np.full((n_track, ns, 3), np.nan)
    track_alt = np.full(n_track, np.nan)
    prev = np.zeros((ns, 6))
    k1 = np.zeros((no, 6))
    k2 = np.zeros((no, 6))
    k3 = np.zeros((no, 6))
    k4 = np.zeros((no, 6))
    yt = np.zeros((no, 6))
    m = np.zeros((3, 3))
    p = np.zeros(3)
    ib = 0
    nb = burn_step.shape[0]
    nh = b_station_hourly.shape[0]
    station_end = n_steps
    # planned reboosts (band_lo_m > 0): one-orbit running mean of |r| - R_eq at the floor
    ring = np.zeros(n_orbit)
    ring_sum = 0.0
    pend_step = -1
    pend_dv = 0.0
    last_burn = -10 * n_orbit
    planned = np.zeros((4096, 3))
    n_planned = 0
    for k in range(n_steps + 1):
        t = k * h
        if band_lo_m > 0.0:
            rn = math.sqrt(y[0, 0] ** 2 + y[0, 1] ** 2 + y[0, 2] ** 2)
            ring_sum += rn - ring[k % n_orbit]
            ring[k % n_orbit] = rn
            if k == pend_step:
                vn = math.sqrt(y[0, 3] ** 2 + y[0, 4] ** 2 + y[0, 5] ** 2)
                for c in range(3):
                    y[0, 3 + c] += pend_dv * y[0, 3 + c] / vn
                pend_step = -1
            elif (k >= n_orbit and pend_step < 0 and k - last_burn > 2 * n_orbit
                  and ring_sum / n_orbit - re < band_lo_m and n_planned < 4096):
                r1 = ring_sum / n_orbit
                r2 = re + band_hi_m
                dv1 = math.sqrt(mu / r1) * (math.sqrt(2 * r2 / (r1 + r2)) - 1.0)
                pend_dv = math.sqrt(mu / r2) * (1.0 - math.sqrt(2 * r1 / (r1 + r2)))
                pend_step = k + n_orbit // 2
                vn = math.sqrt(y[0, 3] ** 2 + y[0, 4] ** 2 + y[0, 5] ** 2)
                for c in range(3):
                    y[0, 3 + c] += dv1 * y[0, 3 + c] / vn
                planned[n_planned, 0] = t
                planned[n_planned, 1] = dv1 + pend_dv
                planned[n_planned, 2] = r1 - re
                n_planned += 1
                last_burn = k
        # station impulses due at this step (tangential)
        while ib < nb and burn_step[ib] <= k:
            vn = math.sqrt(y[0, 3] ** 2 + y[0, 4] ** 2 + y[0, 5] ** 2)
            for c in range(3):
                y[0, 3 + c] += burn_dv[ib] * y[0, 3 + c] / vn
            ib += 1
        # releases due at this step: station state plus the LVLH offset and velocity
        for s in range(ns):
            if release_step[s] == k:
                _lvlh_rows(y[0, :3], y[0, 3:], m)
                rn2 = y[0, 0] ** 2 + y[0, 1] ** 2 + y[0, 2] ** 2
                hx = y[0, 1] * y[0, 5] - y[0, 2] * y[0, 4]
                hy = y[0, 2] * y[0, 3] - y[0, 0] * y[0, 5]
                hz = y[0, 0] * y[0, 4] - y[0, 1] * y[0, 3]
                w = math.sqrt(hx * hx + hy * hy + hz * hz) / rn2
                rho = rel0_lvlh[s, :3]
                # rotating-frame velocity -> inertial: + omega x rho, omega = -w y_lvlh
                om_x_rho = np.array([w * rho[2], 0.0, -w * rho[0]])  # (0,-w,0) x rho
                dvr = rel0_lvlh[s, 3:] + om_x_rho
                for c in range(3):
                    y[s + 1, c] = y[0, c] + m[0, c] * rho[0] + m[1, c] * rho[1] + m[2, c] * rho[2]
                    y[s + 1, 3 + c] = y[0, 3 + c] + m[0, c] * dvr[0] + m[1, c] * dvr[1] \
                        + m[2, c] * dvr[2]
                active[s + 1] = True
                for c in range(6):
                    prev[s, c] = y[s + 1, c] - y[0, c]
        # diagnostics at t
        _lvlh_rows(y[0, :3], y[0, 3:], m)
        if k % track_every == 0:
            track_alt[k // track_every] = math.sqrt(y[0, 0] ** 2 + y[0, 1] ** 2
                                                    + y[0, 2] ** 2) - re
        for s in range(ns):
            if not active[s + 1]:
                continue
            o = s + 1
            rel = y[o] - y[0]
            d1 = math.sqrt(rel[0] ** 2 + rel[1] ** 2 + rel[2] ** 2)
            # sub-samples of the last step (cubic Hermite of the relative state)
            nsub = 1
            if release_step[s] < k and min(d1, math.sqrt(prev[s, 0] ** 2 + prev[s, 1] ** 2
                                                         + prev[s, 2] ** 2)) < REFINE_BELOW_M:
                nsub = _SUB
            q_lo = np.inf
            s_lo = np.inf
            for j in range(nsub):
                if nsub == 1:
                    pr = rel[:3]
                    tt = t
                else:
                    u = (j + 1.0) / nsub
                    h00 = 2 * u ** 3 - 3 * u ** 2 + 1
                    h10 = u ** 3 - 2 * u ** 2 + u
                    h01 = -2 * u ** 3 + 3 * u ** 2
                    h11 = u ** 3 - u ** 2
                    pr = h00 * prev[s, :3] + h10 * h * prev[s, 3:] + h01 * rel[:3] \
                        + h11 * h * rel[3:]
                    tt = t - h + u * h
                dd = math.sqrt(pr[0] ** 2 + pr[1] ** 2 + pr[2] ** 2)
                for c in range(3):
                    p[c] = m[c, 0] * pr[0] + m[c, 1] * pr[1] + m[c, 2] * pr[2]
                q = (p[0] / axes[0]) ** 2 + (p[1] / axes[1]) ** 2 + (p[2] / axes[2]) ** 2
                if dd > clear_m:
                    left[s] = True
                # local minima of the separation once cleared: the returns
                if left[s] and d_p[s] < d_pp[s] and d_p[s] <= dd and d_p[s] < min_d[s]:
                    min_d[s] = d_p[s]
                    t_min[s] = t_p[s]
                d_pp[s] = d_p[s]
                d_p[s] = dd
                t_p[s] = tt
                if q < q_lo:
                    q_lo = q
                if dd < s_lo:
                    s_lo = dd
                if left[s] and q < min_q[s]:
                    min_q[s] = q
            now_in = q_lo < 1.0
            if now_in and not was_in[s]:
                ell_entries[s] += 1
                if math.isnan(first_ell[s]):
                    first_ell[s] = t
            if now_in:
                inside_s[s] += h
            was_in[s] = now_in
            now_in_s = s_lo < keep_out_r
            if now_in_s and not was_in_s[s]:
                sph_entries[s] += 1
            was_in_s[s] = now_in_s
            for c in range(3):
                p[c] = m[c, 0] * rel[0] + m[c, 1] * rel[1] + m[c, 2] * rel[2]
            for iw in range(nw):
                if win_lo[iw] <= t <= win_hi[iw]:
                    dc = _dist_polyline(p, corridor)
                    if dc < corr_min[s, iw]:
                        corr_min[s, iw] = dc
            if k % track_every == 0:
                for c in range(3):
                    track[k // track_every, s, c] = p[c]
            for c in range(6):
                prev[s, c] = rel[c]
            rr = math.sqrt(y[o, 0] ** 2 + y[o, 1] ** 2 + y[o, 2] ** 2)
            if rr - re < reentry_m:
                active[o] = False
                decay_t[s] = t
        if math.sqrt(y[0, 0] ** 2 + y[0, 1] ** 2 + y[0, 2] ** 2) - re < reentry_m:
            station_end = k
            break
        if k == n_steps:
            break
        # RK4 step of every active object
        jh = int(t // 3600.0)
        b[0] = b_station_hourly[min(jh, nh - 1)]
        _deriv_all(t, y, b, active, lr, alts, mu, re, j2, we, k1)
        for o in range(no):
            for c in range(6):
                yt[o, c] = y[o, c] + 0.5 * h * k1[o, c]
        _deriv_all(t + 0.5 * h, yt, b, active, lr, alts, mu, re, j2, we, k2)
        for o in range(no):
            for c in range(6):
                yt[o, c] = y[o, c] + 0.5 * h * k2[o, c]
        _deriv_all(t + 0.5 * h, yt, b, active, lr, alts, mu, re, j2, we, k3)
        for o in range(no):
            for c in range(6):
                yt[o, c] = y[o, c] + h * k3[o, c]
        _deriv_all(t + h, yt, b, active, lr, alts, mu, re, j2, we, k4)
        for o in range(no):
            if active[o]:
                for c in range(6):
                    y[o, c] += h / 6.0 * (k1[o, c] + 2 * k2[o, c] + 2 * k3[o, c] + k4[o, c])
    return (min_d, t_min, min_q, ell_entries, sph_entries, first_ell, inside_s, decay_t,
            corr_min, track, track_alt, station_end, y, planned[:n_planned])


@dataclass(frozen=True)
class SatelliteRecontact:
    """One satellite over the horizon (times in s after the propagation epoch, NaN: never).
    The closest approach is the smallest local minimum of the separation (a return) once the
    satellite has been twice the largest semi-axis of the approach ellipsoid away (``inf``:
    it never came back); ``ellipsoid_min_q`` counts from then too."""

    closest_approach_m: float
    closest_approach_t_s: float
    ellipsoid_min_q: float        # min of sum((x_i / a_i)^2) once out: < 1 means back inside
    ellipsoid_entries: int
    ellipsoid_first_entry_t_s: float
    ellipsoid_time_inside_s: float
    keep_out_entries: int
    reentry_t_s: float
    corridor_min_m: tuple[float, ...]

    @property
    def breach(self) -> bool:
        """True when the satellite entered the approach ellipsoid after release (leaving it
        once, right after release, is the release itself and not counted here)."""
        return self.ellipsoid_entries > 1 or self.keep_out_entries > 1


@dataclass
class FamilyRecontact:
    """Result of :func:`propagate_family`: per satellite, plus decimated LVLH tracks."""

    step_s: float
    horizon_s: float
    satellites: list[SatelliteRecontact]
    track_t_s: np.ndarray            # (M,)
    track_lvlh_m: np.ndarray         # (M, N, 3); NaN before release and after re-entry
    station_altitude_m: np.ndarray   # (M,) |r| - R_eq of the integrated station
    station_end_t_s: float
    final_states_gcrf: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 6)))
    planned_burns: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))


def density_table(scenario: Any, start: dt.datetime, days: float, altitude_km: float, *,
                  weather: Any = None, raan_deg: float | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Daily orbit-averaged ln density (days+2, A) on altitudes (A,) m from 140 km to
    ``altitude_km`` + 40 km: the scenario's atmosphere model and space weather (or
    ``weather``), the scenario's node (or ``raan_deg`` drifting at the J2 rate)."""
    from astropy.time import Time, TimeDelta

    from rossim.dynamics.decay import nodal_rate_rad_s, orbit_average_density
    from rossim.dynamics.scenario_orbit import node_rad_at
    from rossim.environment.spaceweather import operations_weather

    alts = np.arange(REENTRY_ALTITUDE_M / 1e3 - 10.0, altitude_km + 45.0, 10.0) * 1e3
    n = int(math.ceil(days)) + 2
    t0 = Time(start.replace(tzinfo=None) if getattr(start, "tzinfo", None) else start,
              scale="utc")
    t = t0 + TimeDelta(np.arange(n) * 86400.0, format="sec")
    o = scenario.orbit
    inc = math.radians(o.inclination_deg)
    if raan_deg is None:
        node = node_rad_at(scenario, t)
    else:
        rate = float(nodal_rate_rad_s(R_EQ_M + altitude_km * 1e3, inc))
        node = math.radians(raan_deg) + rate * np.arange(n) * 86400.0
    weather = operations_weather(scenario.operations) if weather is None else weather
    rho = orbit_average_density(t, alts, inc, node, weather,
                                model=scenario.operations.atmosphere)
    return np.log(rho), alts


def propagate_family(station_r_m, station_v_m_s, release_lvlh, release_t_s, cda_over_m,
                     station_cda_over_m, *, horizon_s: float, log_density: np.ndarray,
                     altitudes_m: np.ndarray, burns: Sequence[StationBurn] = (),
                     step_s: float = 30.0, approach_ellipsoid_m=(2000.0, 1000.0, 1000.0),
                     keep_out_radius_m: float = 200.0,
                     corridor_windows_s: Sequence[tuple[float, float]] = (),
                     corridor_lvlh_m=None, track_step_s: float = 600.0,
                     reboost_band_m: tuple[float, float] | None = None) -> FamilyRecontact:
    """Integrate the station and ``N`` satellites together (see the module docstring).

    Parameters
    ----------
    station_r_m, station_v_m_s:
        Station GCRF state at the epoch (t = 0), m and m/s.
    release_lvlh:
        (N,6) release states in the station's LVLH frame (m, m/s, rotating-frame velocity).
    release_t_s:
        (N,) release times after the epoch (s, >= 0).
    cda_over_m:
        (N,) ``Cd A / m`` of each satellite (m^2/kg).
    station_cda_over_m:
        Station ``Cd A / m`` (m^2/kg): a number or an hourly array from the epoch.
    horizon_s:
        Span (s, > 0). ``log_density``/``altitudes_m``: from :func:`density_table`, rows
        daily from the epoch.
    burns:
        Station tangential impulses (:class:`StationBurn`, times after the epoch).
    corridor_windows_s, corridor_lvlh_m:
        Approach windows ``(begin, end)`` (s after the epoch) and the corridor's centre line
        (P,3), LVLH m: the smallest distance of each satellite to it inside each window.
    reboost_band_m:
        ``(floor, top)`` altitudes (m above R_eq): without a run's burns, the station plans
        its own reboosts as the run's autonomy does: the one-orbit mean of ``|r| - R_eq`` at
        the floor starts a Hohmann transfer to the top (the burns are in
        :attr:`FamilyRecontact.planned_burns`: time, total delta-v, altitude before).

    Raises :class:`InputError` on bad shapes or values.
    """
    rel = np.atleast_2d(np.asarray(release_lvlh, float))
    ns = rel.shape[0]
    if rel.shape[1] != 6 or not np.all(np.isfinite(rel)):
        raise InputError("argument", "release_lvlh", rel.shape, "(N, 6) finite LVLH states")
    tr = np.broadcast_to(np.asarray(release_t_s, float), (ns,))
    cda = np.broadcast_to(np.asarray(cda_over_m, float), (ns,)).copy()
    if not (np.all(cda >= 0) and math.isfinite(horizon_s) and horizon_s > 0 and step_s > 0):
        raise InputError("argument", "cda_over_m/horizon_s/step_s",
                         (cda.tolist(), horizon_s, step_s),
                         "non-negative Cd A/m, positive horizon and step (s)")
    if np.any(tr < 0) or np.any(tr > horizon_s):
        raise InputError("argument", "release_t_s", tr.tolist(), "times inside the horizon")
    h = float(step_s)
    n_steps = int(math.ceil(horizon_s / h))
    release_step = np.round(tr / h).astype(np.int64)
    bst = np.atleast_1d(np.asarray(station_cda_over_m, float))
    bl = sorted(burns, key=lambda x: x.t_s)
    burn_step = np.array([int(round(x.t_s / h)) for x in bl], dtype=np.int64)
    burn_dv = np.array([x.dv_m_s for x in bl], dtype=float)
    wins = np.asarray(list(corridor_windows_s), float).reshape(-1, 2)
    corridor = (np.zeros((2, 3)) if corridor_lvlh_m is None
                else np.asarray(corridor_lvlh_m, float).reshape(-1, 3))
    every = max(1, int(round(track_step_s / h)))
    band = (0.0, 0.0) if reboost_band_m is None else tuple(float(x) for x in reboost_band_m)
    n_orbit = int(round(2 * math.pi * math.sqrt(np.dot(station_r_m, station_r_m) ** 1.5
                                                / GM_EARTH_M3_S2) / h))
    y0 = np.concatenate([np.asarray(station_r_m, float), np.asarray(station_v_m_s, float)])
    out = _family_kernel(y0, rel, release_step, cda, bst, burn_step, burn_dv, n_steps, h,
                         np.ascontiguousarray(log_density, float),
                         np.ascontiguousarray(altitudes_m, float),
                         np.asarray(approach_ellipsoid_m, float), float(keep_out_radius_m),
                         REENTRY_ALTITUDE_M, np.ascontiguousarray(wins[:, 0]),
                         np.ascontiguousarray(wins[:, 1]), corridor, every, band[0], band[1],
                         max(n_orbit, 2))
    (min_d, t_min, min_q, ell, sph, first, inside, decay, corr, track, track_alt, st_end,
     y_end, planned) = out
    sats = [SatelliteRecontact(
        closest_approach_m=float(min_d[s]), closest_approach_t_s=float(t_min[s]),
        ellipsoid_min_q=float(min_q[s]), ellipsoid_entries=int(ell[s]),
        ellipsoid_first_entry_t_s=float(first[s]), ellipsoid_time_inside_s=float(inside[s]),
        keep_out_entries=int(sph[s]), reentry_t_s=float(decay[s]),
        corridor_min_m=tuple(float(x) for x in corr[s])) for s in range(ns)]
    return FamilyRecontact(h, float(horizon_s), sats, np.arange(track.shape[0]) * every * h,
                           track, track_alt, float(st_end * h), y_end, planned)


_DIRECTIONS = {"along-track": (1.0, 0.0, 0.0), "anti-along-track": (-1.0, 0.0, 0.0),
               "radial-up": (0.0, 0.0, -1.0), "radial-down": (0.0, 0.0, 1.0),
               "cross-track": (0.0, 1.0, 0.0)}   # as rossim.fleet.deployment.DIRECTIONS


def release_velocities_lvlh(seed: int, deployments: Sequence[Any]) -> list[np.ndarray]:
    """Dispersed release velocities (count, 3) LVLH m/s of every deployment, in plan order:
    speed ``delta_v_m_s (1 + delta_v_sigma_fraction N(0,1))``, direction perturbed by
    ``direction_sigma_deg`` per axis; the model's own stream ``free-flyer-release`` (as
    :func:`rossim.ops.engine.model_stream`), so the recontact check and the autonomy's
    look-ahead see the same satellites (tracked after release)."""
    import zlib

    rng = np.random.default_rng(np.random.SeedSequence(
        int(seed), spawn_key=(zlib.crc32(b"free-flyer-release"),)))
    out = []
    for d in deployments:
        v = np.asarray(_DIRECTIONS[d.direction] if isinstance(d.direction, str)
                       else d.direction, float)
        u = v / np.linalg.norm(v)
        rows = np.empty((d.count, 3))
        for k in range(d.count):
            speed = d.delta_v_m_s * (1.0 + d.delta_v_sigma_fraction * rng.standard_normal())
            e = u + math.radians(d.direction_sigma_deg) * rng.standard_normal(3)
            rows[k] = speed * e / np.linalg.norm(e)
        out.append(rows)
    return out

