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
once a day, ~1e-6 rad) fitted by least squares to the pole sampled every 1800 s (denser on a
short last segment); the largest
fit residual over the span is in ``stats["pole_fit_rad"]`` (~2e-11 rad; 3e-10 with 12 h
segments, 7e-9 with a day: 0.04, 0.11 and 0.23 m from DOP853 at rtol 1e-13 after 30 days of
J2, the ISS case). Constant poles per segment are not used: a stair-stepped pole resonates
with the ISS's orbit (2.4 km over a year with 6 h steps).

One integrator call per span (between manoeuvres; the whole span when there is none): the
segment ends are a terminal time event of the integrator whose callback loads the next
segment's parameters and lets the integration go on, so there is no restart from Python, and
``propagate_grid``'s output array is returned as is (``r`` and ``v`` are views of it). The
integrator is compiled with ``fast_math``.

Acceleration (gradient of the zonal potential, with ``u = p.r/|r|`` and ``s = 1/|r|``)::

    a = s^3 (-mu + sum_n K_n s^n Q_n(u)) r - s^2 (sum_n K_n s^n P_n'(u)) p,
    K_n = mu J_n R^n,  Q_n = (n+1) P_n + u P_n'

Tolerance: heyoka's ``tol`` (relative and absolute on the Taylor coefficients) is the
propagator's ``rtol``; ``atol_m`` is not used. Compilation (LLVM) happens the first time a
model and tolerance are used in a process (0.1-1 s; heyoka also keeps compiled code in an
in-memory cache); the integrator is kept per thread and reused (only its state, time and
parameters are set), so a process pays it once per force model and tolerance.

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
#: Length of one pole fit (s): its parameters are loaded by the integrator's event at its end.
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
    """The (cached, per thread) heyoka integrator of point mass + zonal terms J_2..J_n and the
    holder its pole event reads: ``(ta, hold)``.

    With zonal terms the pole is ``c0 + c1 (t - t_a) + A cos(w t) + B sin(w t)`` (parameters
    0-12, one fit a segment) and parameter 13 is the end of the current segment: a terminal
    time event there (callback: the next segment's parameters from ``hold``, integration goes
    on) truncates the step at the segment's end, so one ``propagate_grid`` call covers the
    whole span, with no restart from Python and no copy of its output."""
    cache = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = {}
    key = (mu, radius, jn, tol)
    if key in cache:
        return cache[key]
    import heyoka as hy

    x, y, z, vx, vy, vz = hy.make_vars("x", "y", "z", "vx", "vy", "vz")
    hold: dict = {"pars": None, "ends": None, "k": 0}
    if not jn:
        r2 = x * x + y * y + z * z
        s3 = r2**-1.5
        k = -mu * s3
        sys_ = [(x, vx), (y, vy), (z, vz), (vx, k * x), (vy, k * y), (vz, k * z)]
        ta = hy.taylor_adaptive(sys_, [7e6, 0, 0, 0, 7.5e3, 0], tol=tol, fast_math=True)
        cache[key] = (ta, hold)
        return ta, hold
    # The pole, per segment: c0 + c1 (t - t_a) + A cos(w t) + B sin(w t) (13 parameters).
    par = hy.par
    tau = hy.time - par[0]
    wt = _OMEGA_RAD_S * hy.time
    cw, sw = hy.cos(wt), hy.sin(wt)
    p = [par[1 + i] + par[4 + i] * tau + par[7 + i] * cw + par[10 + i] * sw for i in range(3)]
    r2 = x * x + y * y + z * z
    s = r2**-0.5
    s2 = s * s
    zp = p[0] * x + p[1] * y + p[2] * z
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
    sys_ = [(x, vx), (y, vy), (z, vz), (vx, ar * x + ap * p[0]), (vy, ar * y + ap * p[1]),
            (vz, ar * z + ap * p[2])]

    def next_segment(ta, d_sgn) -> bool:
        k = hold["k"] = hold["k"] + 1
        pars = ta.pars
        pars[:13] = hold["pars"][k]
        pars[13] = hold["ends"][k]
        return True

    ev = hy.t_event(hy.time - par[13], callback=next_segment,
                    direction=hy.event_direction.positive)
    ta = hy.taylor_adaptive(sys_, [7e6, 0, 0, 0, 7.5e3, 0], tol=tol, pars=[0.0] * 14,
                            fast_math=True, t_events=[ev])
    cache[key] = (ta, hold)
    return ta, hold


def _pole_fits(eo, edges: np.ndarray):
    """Per segment ``[edges[k], edges[k+1]]``: the 13 parameters (t_a, c0, c1, A, B; GCRF)
    of the pole fit, shape (K, 13), and the largest residual (rad) at the samples (every
    1800 s and the segment ends, from one interpolation of the Earth-orientation grid)."""
    # Samples every 1800 s, denser when a segment is short (a span's last one), 8 at least.
    dt = min(_POLE_SAMPLE_S, float(np.min(np.diff(edges))) / 8.0) if len(edges) > 1 else 1.0
    xs = np.union1d(np.arange(0.0, edges[-1], max(dt, 1e-3)), edges)
    pole = eo.matrix(xs)[:, 2, :]
    cw, sw = np.cos(_OMEGA_RAD_S * xs), np.sin(_OMEGA_RAD_S * xs)
    idx = np.searchsorted(xs, edges)
    n_seg = len(edges) - 1
    pars = np.zeros((n_seg, 13))
    pars[:, 0] = edges[:-1]
    counts = idx[1:] - idx[:-1] + 1  # samples of each segment (both ends)
    worst = 0.0
    # Least squares; the segments with the same number of samples together (a stacked
    # pseudo-inverse). Over a short segment the cosine and sine are nearly a line: SVD one by
    # one there.
    for m in np.unique(counts):
        ks = np.flatnonzero(counts == m)
        rows = idx[ks][:, None] + np.arange(m)[None, :]  # (K, m) sample indices
        tau_d = (xs[rows] - edges[ks][:, None]) / 86400.0
        basis = np.stack([np.ones_like(tau_d), tau_d, cw[rows], sw[rows]], axis=2)
        target = pole[rows]  # (K, m, 3)
        if m < 6:  # a degenerate segment (a few ms): the mean pole
            coef = np.zeros((len(ks), 4, 3))
            coef[:, 0] = target.mean(axis=1)
        elif m >= 7 and len(ks) > 1:  # full segments (13 samples): well conditioned
            coef = np.linalg.pinv(basis) @ target  # (K, 4, 3)
        else:  # short segments (8 samples at least), one by one
            coef = np.stack([np.linalg.lstsq(bk, yk, rcond=None)[0]
                             for bk, yk in zip(basis, target, strict=True)])
        worst = max(worst, float(np.max(np.abs(basis @ coef - target))))
        coef[:, 1] /= 86400.0
        pars[ks, 1:] = coef.reshape(len(ks), 12)
    return pars, worst


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


def _lowest_perigee_m(states: np.ndarray, mu: float, every: int = 1) -> float:
    """Lowest osculating perigee radius (m) over GCRF states (N, 6) (m, m/s), checked at every
    ``every``-th state (an orbit-scale quantity; zonal terms move it by ~20 km over an orbit,
    nothing faster) and the last one."""
    ys = np.concatenate([states[::every], states[-1:]])
    rr, vv = ys[:, :3], ys[:, 3:]
    r2 = np.einsum("ij,ij->i", rr, rr)
    v2 = np.einsum("ij,ij->i", vv, vv)
    rv = np.einsum("ij,ij->i", rr, vv)
    h2 = r2 * v2 - rv * rv
    energy = 0.5 * v2 - mu / np.sqrt(r2)
    e = np.sqrt(np.maximum(0.0, 1.0 + 2.0 * energy * h2 / mu**2))
    return float(np.min(h2 / mu / (1.0 + e)))


_gravity_cache: dict = {}


def _gravity(n: int, gravity_file, t0):
    """:func:`rossim.dynamics.gravity.load_gravity_field` (n x 0), kept per process for the
    last few (degree, file, epoch): reading the file costs ~15 ms a call."""
    from rossim.dynamics.gravity import load_gravity_field

    tt = t0.tt
    key = (n, str(gravity_file), float(tt.jd1), float(tt.jd2))
    with _pole_lock:
        hit = _gravity_cache.get(key)
    if hit is None:
        hit = load_gravity_field(n, 0, gravity_file, t0)
        with _pole_lock:
            _gravity_cache[key] = hit
            while len(_gravity_cache) > _POLE_CACHE_SIZE:
                _gravity_cache.pop(next(iter(_gravity_cache)))
    return hit


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
    from rossim.dynamics.manoeuvres import apply_delta_v
    n, _ = forces.degree_order
    field_ = _gravity(max(n, 0), forces.gravity_file, t0)
    mu, radius = float(field_.mu_m3_s2), float(field_.radius_m)
    jn = tuple(-float(field_.c[k, 0]) for k in range(2, n + 1))
    ta, hold = _integrator(mu, radius, jn, float(rtol))
    edges = np.append(np.arange(0.0, duration_s, POLE_SEGMENT_S), duration_s)
    stats: dict = {"backend": "heyoka", "steps": 0, "evaluations": 0, "table_packs": 0,
                   "segments": len(edges) - 1}
    if jn:
        pars, worst = _pole_pars(t0, edges, 43200.0 if n == 2 else 10800.0)
        stats["pole_fit_rad"] = worst
        ends = edges[1:].copy()
        ends[-1] = 2.0 * duration_s + 86400.0  # beyond the span: no event at its end
        hold["pars"], hold["ends"] = pars, ends
    # Spans between manoeuvres: one propagate_grid call each (one for the whole span when
    # there is none); the pole's segments inside a span are the integrator's time events.
    burn_at: dict = {}
    for x_m, mv in burns:
        burn_at.setdefault(float(x_m), []).append(mv)
    cuts = sorted({0.0, float(duration_s)} | set(burn_at))
    out = None
    time_limit = hy.taylor_outcome.time_limit
    ta.time = 0.0
    state = ta.state
    state[:] = y0
    lo = 0
    steps = 0
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        for mv in burn_at.get(a, ()):
            st = np.array(state)
            st[3:] = apply_delta_v(st[:3], st[3:], mv.dv_m_s, mv.frame)
            state[:] = st
        if jn:
            k = int(np.searchsorted(edges, a, side="right")) - 1
            hold["k"] = k
            ta.pars[:13] = pars[k]
            ta.pars[13] = ends[k]
            ta.reset_cooldowns()
        hi = int(np.searchsorted(out_x, b, side="right"))  # outputs in (a, b] ([0, b] first)
        grid = out_x[lo:hi]
        # The grid runs from the span's start to its end (added when not outputs), so that
        # the integrator stops exactly at b.
        head = 0 if (hi > lo and grid[0] == a) else 1
        tail = 0 if (hi > lo and grid[-1] == b) else 1
        if head or tail:
            grid = np.concatenate([[a] if head else [], grid, [b] if tail else []])
        res = ta.propagate_grid(grid)
        if res[0] != time_limit:
            raise PropagationError(f"Taylor integration stopped at t = {ta.time:.1f} s "
                                   f"({res[0]})")
        steps += res[3]
        if len(cuts) == 2 and not (head or tail):
            out = res[-1]  # the whole output from one call: no copy
        else:
            if out is None:
                out = np.empty((len(out_x), 6))
            out[lo:hi] = res[-1][head:len(grid) - tail]
        lo = hi
    stats["steps"] = int(steps)
    r_out = out[:, :3]  # views of one (n_out, 6) array
    v_out = out[:, 3:]
    if not np.isfinite(out[-1]).all():  # heyoka stops on a non-finite state (err_nf_state)
        raise PropagationError("Taylor integration gave non-finite states")
    step = float(out_x[1] - out_x[0]) if len(out_x) > 1 else 1.0
    every = max(1, int(900.0 // max(step, 1e-9)))  # every 15 min of outputs
    if _lowest_perigee_m(out, mu, every) < R_EQ_M + reentry_altitude_m + PERIGEE_MARGIN_M:
        return None
    return r_out, v_out, stats
