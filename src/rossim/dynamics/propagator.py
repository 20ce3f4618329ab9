"""Numerical orbit propagator: adaptive Dormand-Prince 8(5,3) with dense output, compiled.

The integrator is DOP853 (:mod:`rossim.dynamics.dop853`: the coefficients, error estimate and
7th-order dense output of :class:`scipy.integrate.DOP853`, written with numba) so that a whole
propagation runs in compiled code: the right-hand side (:func:`rossim.dynamics.forces.
acceleration`) is called without Python overhead. Measured choice: scipy's DOP853 with the same
numba right-hand side spends about 40 us of Python per step evaluation; this is ~30x faster.
The force-model tables are packed once per propagation (:mod:`rossim.dynamics.force_tables`);
the result is a :class:`~rossim.dynamics.trajectory.Trajectory`.

Time inside is TT seconds since the initial epoch (uniform); states are GCRF (m, m/s).

Drag density is evaluated in vectorised batches along the trajectory, not inside the
right-hand side: the span is cut into chunks (6 h by default), each integrated once along MSIS
samples of a cheap reference trajectory and accepted when MSIS at its own positions agrees to
``drag_rtol`` (:mod:`rossim.dynamics.drag_segments`, which describes the scheme).

A propagation that falls below the re-entry altitude (``reentry_altitude_m``, default 120 km)
ends there with a re-entry result (:class:`ReentryError` or ``on_reentry="stop"``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.constants import R_EQ_M, R_POLAR_M
from rossim.dynamics.dop853 import dense_states
from rossim.dynamics.drag_segments import reference_table as _reference_table
from rossim.dynamics.drag_segments import seed_tables, segment_split
from rossim.dynamics.drag_segments import used_log_density as _used_log_density
from rossim.dynamics.force_tables import (
    DENSITY_FLOOR_ALTITUDE_M,
    DRAG_CHUNK_S,
    DRAG_SAMPLE_S,
    POLE_STEP_S,
    THIRD_BODY_STEP_S,
    ForceTables,
    _lagrange_np,
)
from rossim.dynamics.forces import EARTH_SHADOW_RADIUS_M, ForceModel
from rossim.dynamics.manoeuvres import ImpulsiveManoeuvre, apply_delta_v
from rossim.dynamics.trajectory import (
    REENTRY_ALTITUDE_M,
    PropagationError,
    ReentryError,
    Trajectory,
)
from rossim.errors import InputError

__all__ = ["MAX_REENTRY_ALTITUDE_M", "REENTRY_ALTITUDE_M", "PropagationError", "ReentryError",
           "Trajectory", "propagate", "propagate_state"]

# Kept importable from here (earlier home of these names).
_Model = ForceTables
_KEEP = (DRAG_SAMPLE_S, POLE_STEP_S, THIRD_BODY_STEP_S, _lagrange_np, dense_states,
         _reference_table, _used_log_density)

#: Highest re-entry altitude a user may set (m): above it the "re-entry" would be an
#: ordinary orbit (LEO stations fly at 350-450 km).
MAX_REENTRY_ALTITUDE_M = 300e3
_WGS84_A_M = R_EQ_M
_WGS84_B_M = R_POLAR_M


def _gcrf_state(r, v, name):
    arr = np.asarray(r, dtype=float).reshape(-1)
    varr = np.asarray(v, dtype=float).reshape(-1)
    if arr.shape != (3,) or varr.shape != (3,) or not (np.all(np.isfinite(arr))
                                                       and np.all(np.isfinite(varr))):
        raise InputError("argument", name, (r, v), "3 finite position (m) and velocity (m/s)")
    if np.linalg.norm(arr) < 6.0e6:
        raise InputError("argument", name, float(np.linalg.norm(arr)),
                         "a geocentric position above 6000 km radius (metres, not km)")
    return np.concatenate([arr, varr])


def _stop_surface(reentry_altitude_m: float) -> tuple[float, float]:
    """Squared semi-axes of the integrator's stop surface: 1 km under the re-entry altitude,
    so that the exact crossing (found afterwards on the dense output) always precedes the
    stop."""
    return ((_WGS84_A_M + reentry_altitude_m - 1e3) ** 2,
            (_WGS84_B_M + reentry_altitude_m - 1e3) ** 2)


def propagate(r0_m, v0_m_s, epoch, duration_s: float, step_s: float,
              forces: ForceModel | None = None,
              manoeuvres: Sequence[ImpulsiveManoeuvre] = (), *, rtol: float = 1e-11,
              atol_m: float = 1e-4, max_step_s: float = 600.0, dense: bool = False,
              drag_rtol: float = 1e-5,
              progress: Callable[[float, float], None] | None = None,
              on_reentry: str = "raise",
              reentry_altitude_m: float = REENTRY_ALTITUDE_M,
              backend: str = "auto") -> Trajectory:
    """Propagate a GCRF state from ``epoch`` for ``duration_s`` with output every ``step_s``.

    Parameters
    ----------
    r0_m, v0_m_s:
        Initial GCRF position (m) and velocity (m/s).
    epoch:
        Initial epoch (anything :func:`rossim.time.to_time` accepts; UTC for strings).
    duration_s, step_s:
        Span (s, > 0) and output spacing (s, > 0); outputs at ``0, step, 2 step, ...`` and
        at ``duration_s``.
    forces:
        :class:`~rossim.dynamics.forces.ForceModel` (default: 8x8 gravity only).
    manoeuvres:
        Impulsive delta-v's inside the span (applied in epoch order), each with its mass
        change (``delta_mass_kg``): drag and radiation pressure use the mass after the burns
        flown so far (burns at one epoch fly as one); the last one is
        ``trajectory.stats["final_mass_kg"]`` (None without drag and SRP: the mass acts on
        nothing).
    rtol, atol_m:
        DOP853 tolerances (relative; absolute in m, and atol_m * 1e-3 in m/s). The defaults
        match Orekit's ``NumericalPropagator.tolerances(1e-4 m)`` for a LEO orbit.
    dense:
        Keep the integrator steps so that :meth:`Trajectory.state_at` works (events).
    drag_rtol:
        Convergence of the drag-density iteration (max change of ``ln rho``).
    progress:
        Called as ``progress(done_s, total_s)`` after each segment.
    on_reentry:
        What to do when the WGS84 altitude falls below ``reentry_altitude_m``:
        ``"raise"`` (default) raises :class:`ReentryError` carrying the trajectory up to the
        crossing; ``"stop"`` returns that trajectory (``reentry_x_s`` set, last output at the
        crossing, found to 1 ms on the dense output).
    reentry_altitude_m:
        WGS84 geodetic altitude (m) that counts as re-entry (default ``REENTRY_ALTITUDE_M``,
        120 km, the entry interface; 80 km to 300 km): a decaying orbit ends there with a
        re-entry result.
    backend:
        ``"dop853"`` (the compiled Runge-Kutta, every force model), ``"heyoka"`` (heyoka.py's
        Taylor integrator, :mod:`rossim.dynamics.taylor`: point mass and zonal gravity only,
        no dense output; ``rtol`` is its ``tol``) or ``"auto"`` (default: heyoka where it is
        installed and the model allows it, else DOP853). Both backends integrate the same
        model; they agree to their integration errors (tests/dynamics/test_taylor.py).

    Raises
    ------
    InputError
        Bad arguments, an initial state already below the re-entry altitude, or (with drag or
        radiation pressure) mass changes that leave no mass.
    ReentryError
        Re-entry inside the span (``on_reentry="raise"``).
    PropagationError
        The integrator could not proceed (step size underflow).
    """
    from rossim.time import to_time

    forces = ForceModel() if forces is None else forces
    t0 = to_time(epoch)
    if not t0.isscalar:
        raise InputError("argument", "epoch", epoch, "a single epoch")
    for name, val in (("duration_s", duration_s), ("step_s", step_s)):
        if not (isinstance(val, (int, float, np.floating)) and math.isfinite(val) and val > 0):
            raise InputError("argument", name, val, "a positive finite time in seconds")
    if on_reentry not in ("raise", "stop"):
        raise InputError("argument", "on_reentry", on_reentry, '"raise" or "stop"')
    y0 = _gcrf_state(r0_m, v0_m_s, "initial state")
    alt0 = _altitude_m(y0[None, :3], t0)[0]
    h_reentry = reentry_altitude_m
    if not (isinstance(h_reentry, (int, float, np.floating)) and math.isfinite(h_reentry)
            and DENSITY_FLOOR_ALTITUDE_M <= h_reentry <= MAX_REENTRY_ALTITUDE_M):
        raise InputError("argument", "reentry_altitude_m", h_reentry,
                         f"an altitude from {DENSITY_FLOOR_ALTITUDE_M:g} to "
                         f"{MAX_REENTRY_ALTITUDE_M:g} m (the drag model's floor to 300 km)")
    h_reentry = float(h_reentry)
    stop = _stop_surface(h_reentry)
    if alt0 < h_reentry:
        raise InputError("initial state", "altitude", f"{alt0 / 1e3:.1f} km",
                         f"a state above the re-entry altitude ({h_reentry / 1e3:g} km)")
    use_taylor = _taylor_backend(backend, forces, dense)
    n_out = int(math.floor(duration_s / step_s + 1e-9)) + 1
    out_x = step_s * np.arange(n_out, dtype=float)
    if duration_s - out_x[-1] > 1e-6:
        out_x = np.append(out_x, float(duration_s))
    timed = []
    for i, mv in enumerate(manoeuvres):
        # to the microsecond: a TT difference carries ~1e-11 s of float noise, which would put
        # a burn at 12:00 a hair past a drag-chunk boundary (a zero-length segment)
        x_m = round(float((mv.epoch.tt - t0.tt).to_value("s")), 6)
        if not (0.0 <= x_m <= duration_s):
            raise InputError("argument", "manoeuvre.epoch", mv.epoch.isot,
                             "an epoch inside the propagation span")
        timed.append((x_m, i, mv))
    timed.sort(key=lambda b: (b[0], b[1]))   # epoch order; the caller's order at one epoch
    burns = [(x_m, mv) for x_m, _, mv in timed]
    # The mass after each burn (kg): drag and radiation pressure divide by it (without them
    # the mass acts on nothing: not checked, and no final mass reported). Burns at one epoch
    # fly as one: the mass is checked after the last of them.
    uses_mass = forces.drag != "none" or bool(forces.srp)
    masses = list(itertools.accumulate((mv.delta_mass_kg for _, mv in burns),
                                       initial=float(forces.mass_kg)))[1:]
    for j, ((x_m, i, mv), mass) in enumerate(zip(timed, masses, strict=True)):
        if not uses_mass or (j + 1 < len(timed) and timed[j + 1][0] == x_m):
            continue
        if not (math.isfinite(mass) and mass > 0.0):
            raise InputError("argument", f"manoeuvres[{i}].delta_mass_kg", mv.delta_mass_kg,
                             f"mass changes that leave a positive finite mass of the "
                             f"{forces.mass_kg:g} kg spacecraft (after the burns at "
                             f"{mv.epoch.utc.isot}: {mass:g} kg)")
    burn_mass = masses
    cuts = {0.0, float(duration_s)} | {b[0] for b in burns}
    if forces.drag != "none":
        cuts |= set(np.arange(DRAG_CHUNK_S, duration_s, DRAG_CHUNK_S).tolist())
    cuts = sorted(c for c in cuts if 0.0 <= c <= duration_s)
    atol = np.array([atol_m] * 3 + [atol_m * 1e-3] * 3)
    if use_taylor:
        from rossim.dynamics.taylor import propagate_zonal

        done = propagate_zonal(forces, t0, y0, out_x, float(duration_s), burns, rtol, h_reentry)
        if done is not None:  # None: near the re-entry altitude, left to DOP853
            r_out, v_out, stats = done
            stats["final_mass_kg"] = None   # heyoka: no drag or SRP, the mass acts on nothing
            if progress is not None:
                progress(float(duration_s), float(duration_s))
            return Trajectory(epoch=t0, x_s=out_x, r_gcrf_m=r_out, v_gcrf_m_s=v_out,
                              steps=None, stats=stats, reentry_altitude_m=h_reentry)
    model = ForceTables(forces, t0, float(duration_s))
    # Reference trajectories of the drag segments (rossim.dynamics.drag_segments.segment).
    seed = seed_tables(forces, model, t0, float(duration_s))

    def run(cuts: list[float], keep: bool, report: bool) -> Trajectory:
        out_y = np.empty((len(out_x), 6))
        steps: list[tuple] = []
        stats = {"steps": 0, "evaluations": 0}
        y = y0
        memory: dict = {"seed": seed}
        reentry = None
        mass = float(forces.mass_kg)
        if uses_mass:
            model.set_mass(mass)
        for a, b in zip(cuts[:-1], cuts[1:], strict=True):
            mass_changed = False
            for (x_m, mv), mass_after in zip(burns, burn_mass, strict=True):
                if x_m == a:
                    y = y.copy()
                    y[3:] = apply_delta_v(y[:3], y[3:], mv.dv_m_s, mv.frame)
                    if mv.delta_mass_kg != 0.0:
                        mass, mass_changed = mass_after, True
            if mass_changed and uses_mass:   # after every burn of this epoch
                model.set_mass(mass)
            # Outputs in (a, b] ([0, b] for the first segment), as a slice of the sorted grid.
            sel = slice(int(np.searchsorted(out_x, a, side="left" if a == 0.0 else "right")),
                        int(np.searchsorted(out_x, b, side="right")))
            res = segment_split(model, a, y, b, out_x[sel], rtol, atol, max_step_s, keep,
                                drag_rtol, stats, memory, stop)
            if res[9] == 2:
                if not keep:  # the crossing is searched on the dense output
                    res = segment_split(model, a, y, b, out_x[sel], rtol, atol, max_step_s,
                                        True, drag_rtol, {}, memory, stop)
                reentry = _reentry_crossing(res[3:7], a, float(res[10]), t0, h_reentry)
                stats["steps"] += int(res[7])
                stats["evaluations"] += int(res[8])
                if keep:
                    steps.append(res[3:7])
                done = slice(sel.start, max(sel.start, int(np.searchsorted(out_x[:sel.stop],
                                                                           reentry))))
                out_y[done] = res[1][: done.stop - done.start]
                break
            out_y[sel] = res[1]
            y = res[0]
            stats["steps"] += int(res[7])
            stats["evaluations"] += int(res[8])
            if keep:
                steps.append(res[3:7])
            if report and progress is not None:
                progress(b, float(duration_s))
        packed = None
        if keep:
            packed = tuple(np.concatenate([s[i] for s in steps]) for i in range(4))
        stats["final_mass_kg"] = mass if uses_mass else None
        if reentry is None:
            return Trajectory(epoch=t0, x_s=out_x, r_gcrf_m=out_y[:, :3].copy(),
                              v_gcrf_m_s=out_y[:, 3:].copy(), steps=packed, stats=stats,
                              reentry_altitude_m=h_reentry)
        keep_n = int(np.count_nonzero(out_x < reentry))
        x_s = np.append(out_x[:keep_n], reentry)
        ys = np.vstack([out_y[:keep_n], dense_states(*res[3:7], np.array([reentry]))])
        return Trajectory(epoch=t0, x_s=x_s, r_gcrf_m=ys[:, :3].copy(),
                          v_gcrf_m_s=ys[:, 3:].copy(), steps=packed, stats=stats,
                          reentry_x_s=float(reentry), reentry_altitude_m=h_reentry)

    def finish(tr: Trajectory) -> Trajectory:
        if tr.reentry_x_s is not None and on_reentry == "raise":
            raise ReentryError(tr, (t0.tt + TimeDelta(tr.reentry_x_s, format="sec")).utc,
                               h_reentry)
        return tr

    if not forces.srp:
        tr = run(cuts, dense, True)
        tr.stats["table_packs"] = model.packs
        return finish(tr)
    # Solar radiation pressure switches off and on at the shadow boundaries, a kink the
    # embedded error estimate cannot see. As Orekit does with its eclipse detectors, the
    # integration is stopped at every penumbra/umbra entry and exit: a first pass finds them
    # on its dense output, the second pass integrates between them.
    first = run(cuts, True, False)
    edges = set()
    for shadow in ("penumbra", "umbra"):
        iv = first.eclipses(shadow, earth_radius_m=EARTH_SHADOW_RADIUS_M, tol_s=1e-4)
        for tt, clipped in ((iv.begin, iv.begin_clipped), (iv.end, iv.end_clipped)):
            if len(clipped):
                x_e = np.atleast_1d((tt.tt - t0.tt).to_value("s"))[~np.asarray(clipped)]
                edges |= {float(e) for e in x_e if 1e-3 < e < duration_s - 1e-3}
    tr = run(sorted(set(cuts) | edges), dense, True)
    tr.stats["shadow_boundaries"] = len(edges)
    tr.stats["table_packs"] = model.packs
    return finish(tr)


BACKENDS = ("auto", "dop853", "heyoka")


def _taylor_backend(backend: str, forces: ForceModel, dense: bool) -> bool:
    """True when this propagation goes to heyoka (:mod:`rossim.dynamics.taylor`)."""
    from rossim.dynamics import taylor

    if backend not in BACKENDS:
        raise InputError("argument", "backend", backend, " or ".join(BACKENDS))
    if backend == "dop853":
        return False
    if backend == "auto":
        return taylor.supports(forces, dense) and taylor.available()
    if not taylor.available():
        raise InputError("argument", "backend", backend,
                         "heyoka.py installed (pip install heyoka), or 'dop853'/'auto'")
    if not taylor.supports(forces, dense):
        raise InputError("argument", "backend", backend,
                         "point-mass or zonal gravity only (j2..j6), no drag, SRP, third "
                         "bodies or dense output; or 'dop853'/'auto'")
    return True


def _altitude_m(r_gcrf_m: np.ndarray, t: Time) -> np.ndarray:
    """WGS84 geodetic altitude (m) of GCRF positions (N,3) at epochs ``t`` (scalar or N)."""
    from rossim.frames.earth import gcrf_to_itrf
    from rossim.frames.geodetic import itrf_to_geodetic

    r_itrf, _ = gcrf_to_itrf(np.atleast_2d(r_gcrf_m), None, t)
    return np.atleast_1d(itrf_to_geodetic(r_itrf)[2])


def _reentry_crossing(steps, x_a: float, x_stop: float, t0: Time,
                      altitude_m: float = REENTRY_ALTITUDE_M) -> float:
    """TT seconds of the last descent through ``altitude_m`` before ``x_stop``.

    ``steps`` is the dense output of the segment ``[x_a, x_stop]``; the crossing is bracketed
    on a 1 s grid over the last 30 min (or the segment) and refined by bisection to 1 ms.
    """
    lo = max(x_a, steps[0][0])

    def alt(xs: np.ndarray) -> np.ndarray:
        ys = dense_states(*steps, xs)
        return _altitude_m(ys[:, :3], t0.tt + TimeDelta(xs, format="sec"))

    grid = np.arange(max(lo, x_stop - 1800.0), x_stop, 1.0)
    grid = np.append(grid, x_stop)
    above = alt(grid) >= altitude_m
    if not above.any():
        if grid[0] > lo:  # descended longer than the window: search the whole segment
            grid = np.append(np.arange(lo, x_stop, 1.0), x_stop)
            above = alt(grid) >= altitude_m
        if not above.any():
            return float(lo)
    i = int(np.flatnonzero(above)[-1])
    a, b = float(grid[i]), float(grid[min(i + 1, len(grid) - 1)])
    while b - a > 1e-3:
        m = 0.5 * (a + b)
        if alt(np.array([m]))[0] >= altitude_m:
            a = m
        else:
            b = m
    return 0.5 * (a + b)


def propagate_state(r0_m, v0_m_s, epoch, duration_s: float, step_s: float,
                    forces: ForceModel | None = None, **kwargs) -> tuple[Time, np.ndarray,
                                                                         np.ndarray]:
    """Shortcut: ``(epochs_utc, r_gcrf_m, v_gcrf_m_s)`` of :func:`propagate`."""
    tr = propagate(r0_m, v0_m_s, epoch, duration_s, step_s, forces, **kwargs)
    return tr.epochs, tr.r_gcrf_m, tr.v_gcrf_m_s
