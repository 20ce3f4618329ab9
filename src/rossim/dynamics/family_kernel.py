"""Compiled kernel of :func:`rossim.dynamics.family_propagation.propagate_family`: the station
and ``N`` released satellites integrated together in one numba loop, with the closest-approach,
keep-out and corridor diagnostics evaluated on every step; the loop runs in calls of a bounded
number of steps (:data:`OBJECT_STEPS_PER_CALL`), continued exactly, so that a Ctrl-C is acted on.

Model (described and sourced in :mod:`rossim.dynamics.family_propagation`, validated against
the full propagator and Clohessy & Wiltshire 1960 in ``tests/fleet/test_recontact.py``): GCRF,
two-body plus J2 plus drag ``-1/2 rho (Cd A/m) |v_r| v_r`` relative to an atmosphere
co-rotating with the Earth (``rho`` from a daily table of orbit-averaged ``ln rho`` on an
altitude grid: linear in time between days, log-linear in altitude, at ``|r| - R_eq``);
classical fourth-order Runge-Kutta with a fixed step; the station's tangential impulses
(given, or planned from the one-orbit mean altitude as Hohmann transfers); LVLH axes x
along-track, y minus the orbit normal, z nadir. The separation is refined inside a step by a
cubic Hermite interpolation of the relative state (``_SUB`` points) below ``REFINE_BELOW_M``.
Units: m, m/s, s after the epoch.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from rossim.constants import GM_EARTH_M3_S2, J2, OMEGA_EARTH_RAD_S, R_EQ_M

__all__ = ["REFINE_BELOW_M", "family_kernel"]

#: Separation (m) below which a step's closest approach is refined by Hermite sub-samples.
REFINE_BELOW_M = 50e3
#: Sub-samples per step where refined.
_SUB = 16


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


#: Objects times RK4 steps of one compiled call of the family integration: a longer one
#: (a 90-day horizon at 30 s is 259,200 steps per object) is continued, exactly, in calls of
#: ``max(1, OBJECT_STEPS_PER_CALL // objects)`` steps, so that a Ctrl-C is acted on between
#: them (Python runs no signal handler while compiled code runs; one call for a family of a
#: hundred satellites lasts tens of seconds). 200,000 object-steps are ~0.1 s; a pause costs
#: the unboxing of the state, ~0.1 ms. As :data:`rossim.dynamics.drag_segments.STEPS_PER_CALL`.
OBJECT_STEPS_PER_CALL = 200_000

#: The integration's state carried from one call to the next (:func:`_new_state`).
_STATE = ("y", "active", "min_d", "t_min", "min_q", "ell_entries", "sph_entries", "first_ell",
          "return_t", "inside_s", "was_in", "was_in_s", "left", "d_pp", "d_p", "t_p", "decay_t",
          "corr_min", "track", "track_alt", "prev", "ring", "planned", "ints", "floats")


def _new_state(y0_station, ns: int, nw: int, n_steps: int, track_every: int, n_orbit: int):
    """The state before the first step, a tuple in the order of :data:`_STATE`: arrays the
    compiled steps update in place; ``ints`` = (next burn, station end step, pending burn
    step, last burn step, planned burns, next step k), ``floats`` = (one-orbit sum of |r|,
    pending burn's delta-v)."""
    no = ns + 1
    y = np.zeros((no, 6))
    y[0] = y0_station
    active = np.zeros(no, dtype=np.bool_)
    active[0] = True
    n_track = n_steps // track_every + 1
    return (y, active, np.full(ns, np.inf), np.full(ns, np.nan), np.full(ns, np.inf),
            np.zeros(ns, dtype=np.int64), np.zeros(ns, dtype=np.int64), np.full(ns, np.nan),
            np.full(ns, np.nan),   # return_t: first entry into the ellipsoid or sphere after release
            np.zeros(ns), np.zeros(ns, dtype=np.bool_), np.zeros(ns, dtype=np.bool_),
            np.zeros(ns, dtype=np.bool_),   # left: cleared (2 x the largest semi-axis) since release
            np.full(ns, np.inf), np.full(ns, np.inf), np.zeros(ns), np.full(ns, np.nan),
            np.full((ns, nw), np.inf), np.full((n_track, ns, 3), np.nan),
            np.full(n_track, np.nan), np.zeros((ns, 6)),
            np.zeros(n_orbit),   # planned reboosts: one-orbit running mean of |r| - R_eq
            np.zeros((4096, 3)),
            np.array([0, n_steps, -1, -10 * n_orbit, 0, 0], dtype=np.int64), np.zeros(2))


def family_kernel(y0_station, rel0_lvlh, release_step, b_sat, b_station_hourly, burn_step,
                  burn_dv, n_steps, h, lr, alts, axes, keep_out_r, reentry_m, win_lo, win_hi,
                  corridor, track_every, band_lo_m, band_hi_m, n_orbit):
    """See :func:`rossim.dynamics.family_propagation.propagate_family` (its arguments,
    prepared). Objects: 0 the station, 1..N the satellites. The compiled steps
    (:func:`_family_steps`) run in calls of at most ``OBJECT_STEPS_PER_CALL // (N + 1)``
    steps; the result is the single call's, bit for bit (``tests/fleet/test_family_paused.py``)."""
    ns = rel0_lvlh.shape[0]
    st = _new_state(y0_station, ns, win_lo.shape[0], int(n_steps), int(track_every),
                    int(n_orbit))
    per_call = max(1, OBJECT_STEPS_PER_CALL // (ns + 1))
    while not _family_steps(st, rel0_lvlh, release_step, b_sat, b_station_hourly, burn_step,
                            burn_dv, n_steps, h, lr, alts, axes, keep_out_r, reentry_m, win_lo,
                            win_hi, corridor, track_every, band_lo_m, band_hi_m, n_orbit,
                            per_call):
        pass
    v = dict(zip(_STATE, st, strict=True))
    return (v["min_d"], v["t_min"], v["min_q"], v["ell_entries"], v["sph_entries"],
            v["first_ell"], v["inside_s"], v["decay_t"], v["corr_min"], v["track"],
            v["track_alt"], int(v["ints"][1]), v["y"], v["planned"][:int(v["ints"][4])],
            v["return_t"])


@njit(cache=True)
def _family_steps(st, rel0_lvlh, release_step, b_sat, b_station_hourly, burn_step, burn_dv,
                  n_steps, h, lr, alts, axes, keep_out_r, reentry_m, win_lo, win_hi, corridor,
                  track_every, band_lo_m, band_hi_m, n_orbit, max_steps):  # pragma: no cover
    """Steps ``k`` = ``ints[5]`` .. of :func:`family_kernel` on the state ``st``
    (:func:`_new_state`, updated in place), at most ``max_steps`` RK4 steps; True when the
    integration ended (horizon or the station's re-entry), False when paused."""
    (y, active, min_d, t_min, min_q, ell_entries, sph_entries, first_ell, return_t, inside_s,
     was_in, was_in_s, left, d_pp, d_p, t_p, decay_t, corr_min, track, track_alt, prev, ring,
     planned, ints, floats) = st
    mu, re, j2, we = GM_EARTH_M3_S2, R_EQ_M, J2, OMEGA_EARTH_RAD_S
    ns = rel0_lvlh.shape[0]
    no = ns + 1
    b = np.zeros(no)
    b[1:] = b_sat
    clear_m = 2.0 * max(axes[0], max(axes[1], axes[2]))
    nw = win_lo.shape[0]
    k1 = np.zeros((no, 6))
    k2 = np.zeros((no, 6))
    k3 = np.zeros((no, 6))
    k4 = np.zeros((no, 6))
    yt = np.zeros((no, 6))
    m = np.zeros((3, 3))
    p = np.zeros(3)
    nb = burn_step.shape[0]
    nh = b_station_hourly.shape[0]
    ib, station_end, pend_step, last_burn, n_planned, k0 = (ints[0], ints[1], ints[2],
                                                            ints[3], ints[4], ints[5])
    ring_sum, pend_dv = floats[0], floats[1]
    ended = False
    k = k0
    for k in range(k0, n_steps + 1):
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
                if ell_entries[s] == 2 and math.isnan(return_t[s]):
                    return_t[s] = t
            if now_in:
                inside_s[s] += h
            was_in[s] = now_in
            now_in_s = s_lo < keep_out_r
            if now_in_s and not was_in_s[s]:
                sph_entries[s] += 1
                if sph_entries[s] == 2 and math.isnan(return_t[s]):
                    return_t[s] = t
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
            ended = True
            break
        if k == n_steps:
            ended = True
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
        if k + 1 - k0 >= max_steps:
            break   # paused: the caller's Python code runs (a Ctrl-C is seen there)
    ints[0], ints[1], ints[2], ints[3], ints[4], ints[5] = (ib, station_end, pend_step,
                                                            last_burn, n_planned, k + 1)
    floats[0], floats[1] = ring_sum, pend_dv
    return ended
