"""Taylor-series engine for zonal gravity (heyoka.py), an optional backend of the propagator.

:func:`rossim.dynamics.propagator.propagate` hands a propagation here when its force model is
point mass plus zonal harmonics only (``gravity`` ``"point"`` or ``"j2"`` .. ``"j6"``, no drag,
no solar radiation pressure, no third bodies), no dense output is asked for and heyoka.py
(Biscani & Izzo, *Revisiting high-order Taylor methods for astrodynamics and celestial
mechanics*, MNRAS 504, 2021) is importable (``backend="auto"``), or when ``backend="heyoka"``.

Model: the same as the DOP853 path (:mod:`rossim.dynamics.forces`): GM, radius and
un-normalised ``C(n,0)`` of the shipped gravity file, zonal terms about the **ITRF pole**
(precession, nutation, polar motion) of :class:`rossim.frames.earth.EarthOrientationGrid`.
The pole enters the Taylor integrator as a function of time, per 6 h of the span::

    p(t) = c0 + c1 (t - t_a) + A cos(w t) + B sin(w t)

(``w`` the Earth rotation rate: polar motion makes the ITRF pole circle the celestial pole
once a day, ~1e-6 rad) fitted by least squares to the pole sampled every 600 s; the largest
fit residual over the span is in ``stats["pole_fit_rad"]`` (~2e-11 rad; 3e-10 with 12 h
segments, 7e-9 with a day: 0.04, 0.11 and 0.23 m from DOP853 at rtol 1e-13 after 30 days of
J2, the ISS case). Constant poles per segment are not used: a stair-stepped pole resonates
with the ISS's orbit (2.4 km over a year with 6 h steps).

Acceleration (gradient of the zonal potential, with ``u = p.r/|r|`` and ``s = 1/|r|``)::

    a = s^3 (-mu + sum_n K_n s^n Q_n(u)) r - s^2 (sum_n K_n s^n P_n'(u)) p,
    K_n = mu J_n R^n,  Q_n = (n+1) P_n + u P_n'

Tolerance: heyoka's ``tol`` (relative and absolute on the Taylor coefficients) is the
propagator's ``rtol``; ``atol_m`` is not used. Compilation (LLVM) happens the first time a
model and tolerance are used in a process (0.1-0.7 s; heyoka also keeps compiled code in an
in-memory cache); the integrator is kept per thread and reused (only its state, time and
parameters are set).

Re-entry: a conservative zonal field cannot lower the perigee by more than the short-period
terms (~20 km); when an output state's osculating perigee comes within 50 km of the re-entry
altitude the propagator redoes the span with DOP853 (which finds the crossing), so that
re-entry results are the DOP853 ones.
"""

from __future__ import annotations

import math
import threading

import numpy as np

from rossim.dynamics.trajectory import PropagationError

__all__ = ["available", "propagate_zonal", "supports"]

#: Earth rotation rate of the diurnal pole term (rad/s of TT; ERA rate, IERS 2010).
_OMEGA_RAD_S = 2.0 * math.pi * 1.00273781191135448 / 86400.0
#: Length of one pole fit (s): pars are reset at its ends, a restart of the integrator.
POLE_SEGMENT_S = 21600.0
#: Spacing of the pole samples of a fit (48 a day for 4 parameters per component).
_POLE_SAMPLE_S = 1800.0
#: Pole fits kept per process (keyed by epoch, segment ends and grid), most recent last.
_POLE_CACHE_SIZE = 8
_pole_cache: dict = {}
_pole_lock = threading.Lock()
#: Margin on the osculating perigee above the re-entry altitude (m) below which the span is
#: left to DOP853.
PERIGEE_MARGIN_M = 50e3

_local = threading.local()


def available() -> bool:
    """True when heyoka.py can be imported."""
    try:
        import heyoka  # noqa: F401
    except ImportError:
        return False
    return True


def supports(forces, dense: bool) -> bool:
    """True when the force model is point mass + zonal harmonics only and no dense output."""
    n, m = forces.degree_order
    return (m == 0 and n <= 6 and forces.drag == "none" and not forces.srp
            and not forces.third_body and not dense)


def _legendre(n: int):
    """Coefficients (ascending powers of u) of P_n and P_n'."""
    from numpy.polynomial import legendre as L

    c = L.leg2poly([0] * n + [1])
    return c, np.polynomial.polynomial.polyder(c)


def _horner(coef, u):
    e = float(coef[-1])
    for k in range(len(coef) - 2, -1, -1):
        e = e * u + float(coef[k]) if coef[k] != 0.0 else e * u
    return e


def _integrator(mu: float, radius: float, jn: tuple[float, ...], tol: float):
    """The (cached, per thread) heyoka integrator of point mass + zonal terms J_2..J_n."""
    cache = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = {}
    key = (mu, radius, jn, tol)
    if key in cache:
        return cache[key]
    import heyoka as hy

    x, y, z, vx, vy, vz = hy.make_vars("x", "y", "z", "vx", "vy", "vz")
    if not jn:
        r2 = x * x + y * y + z * z
        s3 = r2**-1.5
        k = -mu * s3
        sys_ = [(x, vx), (y, vy), (z, vz), (vx, k * x), (vy, k * y), (vz, k * z)]
        ta = hy.taylor_adaptive(sys_, [7e6, 0, 0, 0, 7.5e3, 0], tol=tol)
        cache[key] = ta
        return ta
    # State in the segment's frame (z along the segment's mean pole): the pole there is
    # (px(t), py(t), 1) to second order in its ~1e-6 rad excursion.
    par = hy.par
    tau = hy.time - par[0]
    wt = _OMEGA_RAD_S * hy.time
    cw, sw = hy.cos(wt), hy.sin(wt)
    px = par[1] * tau + par[3] * cw + par[5] * sw
    py = par[2] * tau + par[4] * cw + par[6] * sw
    r2 = x * x + y * y + z * z
    s = r2**-0.5
    s2 = s * s
    zp = px * x + py * y + z
    u = zp * s
    # sum over n of K_n s^(n-2) Q_n(u) and K_n s^(n-2) P_n'(u), Horner in s.
    q_sum = p_sum = None
    for n in range(len(jn) + 1, 1, -1):
        kn = mu * jn[n - 2] * radius**n
        pn, dpn = _legendre(n)
        qn = (n + 1) * pn + np.concatenate([[0.0], dpn])  # (n+1) P_n + u P_n'
        tq = _horner(kn * qn, u)
        tp = _horner(kn * dpn, u)
        q_sum = tq if q_sum is None else tq + s * q_sum
        p_sum = tp if p_sum is None else tp + s * p_sum
    s3 = s2 * s
    ar = s3 * (s2 * q_sum - mu)
    ap = -(s2 * s2) * p_sum
    sys_ = [(x, vx), (y, vy), (z, vz), (vx, ar * x + ap * px), (vy, ar * y + ap * py),
            (vz, ar * z + ap)]
    ta = hy.taylor_adaptive(sys_, [7e6, 0, 0, 0, 7.5e3, 0], tol=tol, pars=[0.0] * 7)
    cache[key] = ta
    return ta


def _pole_fits(eo, edges: np.ndarray):
    """Per segment ``[edges[k], edges[k+1]]``: the rotation GCRF -> segment frame (K, 3, 3)
    (z along the fitted mean pole), the 7 parameters (t_a, c1, A, B as x/y in that frame) of
    the pole fit (K, 7), and the largest residual (rad) at the samples (every 1800 s and the
    segment ends, from one interpolation of the Earth-orientation grid)."""
    xs = np.union1d(np.arange(0.0, edges[-1], _POLE_SAMPLE_S), edges)
    pole = eo.matrix(xs)[:, 2, :]
    cw, sw = np.cos(_OMEGA_RAD_S * xs), np.sin(_OMEGA_RAD_S * xs)
    idx = np.searchsorted(xs, edges)
    k_seg = len(edges) - 1
    pars = np.zeros((k_seg, 7))
    rots = np.zeros((k_seg, 3, 3))
    worst = 0.0
    for k in range(k_seg):
        sl = slice(idx[k], idx[k + 1] + 1)
        a = edges[k]
        tau = xs[sl] - a
        basis = np.stack([np.ones_like(tau), tau / 86400.0, cw[sl], sw[sl]], axis=1)
        if len(tau) < 6:  # a short segment (a manoeuvre just before a segment's end)
            coef = np.zeros((4, 3))
            coef[0] = pole[sl].mean(axis=0)
        else:
            coef = np.linalg.solve(basis.T @ basis, basis.T @ pole[sl])  # (4, 3)
        zax = coef[0] / np.linalg.norm(coef[0])
        ref = np.eye(3)[int(np.argmin(np.abs(zax)))]
        xax = np.cross(ref, zax)
        xax /= np.linalg.norm(xax)
        rot = np.stack([xax, np.cross(zax, xax), zax])
        cf = coef @ rot.T  # coefficients in the segment frame
        model = np.stack([basis[:, 1:] @ cf[1:, 0], basis[:, 1:] @ cf[1:, 1],
                          np.ones(len(tau))], axis=1)
        worst = max(worst, float(np.max(np.abs(model - pole[sl] @ rot.T))))
        rots[k] = rot
        pars[k] = (a, cf[1, 0] / 86400.0, cf[1, 1] / 86400.0, cf[2, 0], cf[2, 1], cf[3, 0],
                   cf[3, 1])
    return rots, pars, worst


def _pole_pars(t0, edges: np.ndarray, eo_step_s: float):
    """:func:`_pole_fits` on the Earth-orientation grid of the span (the grid the DOP853 path
    uses), cached per process: the pole does not depend on the state, so propagations of
    many objects from one epoch over one span fit it once."""
    from rossim.frames.earth import EarthOrientationGrid

    tt = t0.tt
    key = (float(tt.jd1), float(tt.jd2), eo_step_s, edges.tobytes())
    with _pole_lock:
        hit = _pole_cache.get(key)
    if hit is not None:
        return hit
    eo = EarthOrientationGrid.build(t0, 0.0, float(edges[-1]), eo_step_s)
    out = _pole_fits(eo, edges)
    with _pole_lock:
        _pole_cache[key] = out
        while len(_pole_cache) > _POLE_CACHE_SIZE:
            _pole_cache.pop(next(iter(_pole_cache)))
    return out


def _lowest_perigee_m(r_m: np.ndarray, v_m_s: np.ndarray, mu: float) -> float:
    """Lowest osculating perigee radius (m) over states (N, 3) + (N, 3), checked at every 10th
    state (an orbit-scale quantity) where |r| < 20,000 km, and the lowest radius."""
    if len(r_m) > 20:
        r_m, v_m_s = r_m[::10], v_m_s[::10]
    r = np.linalg.norm(r_m, axis=1)
    sel = r < 2.0e7
    if not sel.any():
        return float(np.min(r))
    rr, vv, rn = r_m[sel], v_m_s[sel], r[sel]
    h = np.cross(rr, vv)
    h2 = np.einsum("ij,ij->i", h, h)
    v2 = np.einsum("ij,ij->i", vv, vv)
    energy = 0.5 * v2 - mu / rn
    e = np.sqrt(np.maximum(0.0, 1.0 + 2.0 * energy * h2 / mu**2))
    return float(min(np.min(h2 / mu / (1.0 + e)), np.min(rn)))


def propagate_zonal(forces, t0, y0: np.ndarray, out_x: np.ndarray, duration_s: float,
                    burns, rtol: float, reentry_altitude_m: float):
    """Propagate with heyoka: ``(r_m (n_out, 3), v_m_s (n_out, 3), stats)``, or ``None`` when the orbit comes
    near the re-entry altitude (the caller then uses DOP853).

    ``t0``: epoch (TT seconds count from it); ``y0``: GCRF state (m, m/s); ``out_x``: output
    TT seconds (sorted, from 0); ``burns``: ``[(x_s, manoeuvre)]`` sorted, applied at the
    start of the segment they begin; ``rtol``: heyoka's ``tol``.
    """
    import heyoka as hy

    from rossim.constants import R_EQ_M
    from rossim.dynamics.gravity import load_gravity_field
    from rossim.dynamics.manoeuvres import apply_delta_v
    n, _ = forces.degree_order
    field_ = load_gravity_field(max(n, 0), 0, forces.gravity_file, t0)
    mu, radius = float(field_.mu_m3_s2), float(field_.radius_m)
    jn = tuple(-float(field_.c[k, 0]) for k in range(2, n + 1))
    ta = _integrator(mu, radius, jn, float(rtol))
    burn_x = sorted({float(b[0]) for b in burns})
    edges = np.union1d(np.append(np.arange(0.0, duration_s, POLE_SEGMENT_S), duration_s),
                       np.asarray(burn_x, float))
    edges = edges[(edges >= 0.0) & (edges <= duration_s)]
    stats: dict = {"backend": "heyoka", "steps": 0, "evaluations": 0, "table_packs": 0,
                   "segments": len(edges) - 1}
    if jn:
        rots, pars, worst = _pole_pars(t0, edges, 43200.0 if n == 2 else 10800.0)
        stats["pole_fit_rad"] = worst
    else:
        rots = np.broadcast_to(np.eye(3), (len(edges) - 1, 3, 3))
        pars = None
    r_out = np.empty((len(out_x), 3))
    v_out = np.empty((len(out_x), 3))
    ends = np.searchsorted(out_x, edges[1:], side="right")
    time_limit = hy.taylor_outcome.time_limit
    burn_at = {}
    for x_m, mv in burns:
        burn_at.setdefault(x_m, []).append(mv)
    ta.time = 0.0
    st = np.asarray(y0, float).copy()  # GCRF state at the segment start
    lo = 0
    for k in range(len(edges) - 1):
        a, b = float(edges[k]), float(edges[k + 1])
        rot = rots[k]
        if k:
            st = (np.asarray(ta.state).reshape(2, 3) @ rots[k - 1]).reshape(6)
        for mv in burn_at.get(a, ()):
            st[3:] = apply_delta_v(st[:3], st[3:], mv.dv_m_s, mv.frame)
        ta.state[:] = (st.reshape(2, 3) @ rot.T).reshape(6)
        if pars is not None:
            ta.pars[:] = pars[k]
        hi = int(ends[k])
        if hi > lo:
            grid = out_x[lo:hi]
            skip = 0 if grid[0] == a else 1
            if skip:
                grid = np.concatenate([[a], grid])
            res = ta.propagate_grid(grid)
            if res[0] != time_limit:
                raise PropagationError(f"Taylor integration stopped at t = {ta.time:.1f} s "
                                       f"({res[0]})")
            stats["steps"] += res[3]
            seg = res[-1]
            np.matmul(seg[skip:, :3], rot, out=r_out[lo:hi])
            np.matmul(seg[skip:, 3:], rot, out=v_out[lo:hi])
        if ta.time != b:
            res = ta.propagate_until(b)
            if res[0] != time_limit:
                raise PropagationError(f"Taylor integration stopped at t = {ta.time:.1f} s "
                                       f"({res[0]})")
            stats["steps"] += res[3]
        lo = hi
    stats["steps"] = int(stats["steps"])
    if not (np.all(np.isfinite(r_out)) and np.all(np.isfinite(v_out))):
        raise PropagationError("Taylor integration gave non-finite states")
    if _lowest_perigee_m(r_out, v_out, mu) < R_EQ_M + reentry_altitude_m + PERIGEE_MARGIN_M:
        return None
    return r_out, v_out, stats
