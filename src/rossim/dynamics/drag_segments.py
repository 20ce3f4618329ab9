"""Drag segments of the numerical propagator: each chunk integrated once, MSIS sampled along a
cheap reference trajectory.

Drag density is the expensive part of a propagation (MSIS is Fortran called through pymsis).
:func:`rossim.dynamics.propagator.propagate` evaluates it in vectorised batches along the
trajectory, not inside the right-hand side: the span is cut into chunks (``DRAG_CHUNK_S``, 6 h),
each integrated here by :func:`segment_split`. A chunk starts with a cheap reference trajectory
(:func:`seed_tables`: the same gravity, at most 8x8, no drag or third bodies, 1e-6 tolerance: a
few hundred metres from the true path after 6 h); MSIS is evaluated every 60 s along it
(``DRAG_SAMPLE_S``), with the vertical density gradient and the rate along the reference
(:func:`reference_table`); the right-hand side moves that density to its own position to first
order (:func:`rossim.dynamics.forces.pack_model`, mirrored by :func:`used_log_density`), which
leaves an error of a few 1e-6 in ``ln rho``. The chunk's single full-tolerance pass is accepted
when MSIS at its own positions (every 4 min) differs from the density it used by less than
``drag_rtol``; otherwise (a re-entry's last hours) its own trajectory becomes the reference and
the chunk is integrated again, and the segment is halved while that iteration does not
converge (:class:`NotConverged`).

Validated against the full fixed-point iteration of the densities and Orekit 13.1
(tests/dynamics/test_drag_one_pass.py, tests/dynamics/test_propagator.py). Time is TT seconds
since the propagation's initial epoch; states are GCRF (m, m/s). Results have the layout of
:func:`rossim.dynamics.dop853.integrate`'s.
"""

from __future__ import annotations

import math

import numpy as np

from rossim.dynamics.dop853 import integrate
from rossim.dynamics.force_tables import DRAG_SAMPLE_S, ForceTables
from rossim.dynamics.forces import RHO_REF_COLS, ForceModel
from rossim.dynamics.trajectory import PropagationError

__all__ = ["NotConverged", "integrate_checked", "reference_table", "seed_tables",
           "segment", "segment_split", "used_log_density"]

#: Tolerances of the J2-only reference integration of a drag segment (it only places the MSIS
#: samples: the right-hand side corrects the density for its offset to first order).
_SEED_RTOL = 1e-6
_SEED_ATOL = np.array([1.0, 1.0, 1.0, 1e-3, 1e-3, 1e-3])
#: Longest step of the reference integration (s).
_SEED_MAX_STEP_S = 1200.0
#: The convergence check of a drag pass evaluates MSIS at every 4th density sample (4 min; at
#: every 2nd, the 30-day ISS case gives the same largest residual, 8.8e-6, at a chunk end).
_CHECK_EVERY = 4


#: Accepted steps of one compiled call of the integrator: a longer integration (a 300-day
#: propagation without drag is one segment) is continued, exactly, in calls of this many steps,
#: so that a Ctrl-C is acted on between them (Python runs no signal handler while compiled
#: code runs: at 70x70 gravity one call for 300 days lasts minutes). 2000 steps of DOP853 are
#: under a second at 70x70 and ~0.1 s at 8x8; the pause costs ~0.1 ms.
STEPS_PER_CALL = 2000


def integrate_checked(x0, y0, x1, out_x, params, rtol, atol, h_max, store, stop):
    """:func:`rossim.dynamics.dop853.integrate` from ``x0`` to ``x1`` (TT s) with ``params``
    (packed force tables) and the stop surface ``stop``; raises :class:`PropagationError` on a
    step size underflow. Run in calls of :data:`STEPS_PER_CALL` steps; the result is the one
    call's, bit for bit."""
    res = integrate(float(x0), y0, float(x1), out_x, *params, rtol, atol, 30.0, h_max, store,
                    stop[0], stop[1], STEPS_PER_CALL)
    if res[9] == 3:
        res = _continued(res, x1, out_x, params, rtol, atol, h_max, store, stop)
    if res[9] == 1:
        raise PropagationError(f"step size underflow at t = {x0:.1f}..{x1:.1f} s "
                               "(re-entry or a singular force model)")
    return res


def _continued(res, x1, out_x, params, rtol, atol, h_max, store, stop):
    """The integration ``res`` paused (status 3), continued to ``x1`` and joined into one
    result. Each continuation evaluates the right-hand side at its start once more (the same
    value as the paused call's last): not counted, so the evaluations are the one call's."""
    parts = [res]
    done = int(res[2])
    while res[9] == 3:
        res = integrate(float(res[10]), res[0], float(x1), out_x[done:], *params, rtol, atol,
                        float(res[11]), h_max, store, stop[0], stop[1], STEPS_PER_CALL)
        done += int(res[2])
        parts.append(res)
    out_y = np.concatenate([p[1][: int(p[2])] for p in parts[:-1]] + [res[1]])
    return ((res[0], out_y, done)
            + tuple(np.concatenate([p[i] for p in parts]) for i in range(3, 7))
            + (sum(int(p[7]) for p in parts), sum(int(p[8]) for p in parts) - len(parts) + 1,
               res[9], res[10], res[11]))


def reference_table(model: ForceTables, nodes: np.ndarray, states: np.ndarray,
                    h_nodes: float) -> np.ndarray:
    """Drag table (n, RHO_REF_COLS) along the reference ``states`` (n, 6) at ``nodes``: MSIS
    ``ln rho``, its vertical gradient, its time derivative along the reference, the reference
    position and velocity (layout of :func:`rossim.dynamics.forces.pack_model`)."""
    log_rho, grad = model.log_density(nodes, states[:, :3], vertical_gradient=True)
    table = np.empty((len(nodes), RHO_REF_COLS))
    table[:, 0] = log_rho
    table[:, 1] = grad
    # d ln rho / dt: central differences inside, one-sided at the ends (numpy.gradient's).
    rate = table[:, 2]
    rate[1:-1] = (log_rho[2:] - log_rho[:-2]) / (2.0 * h_nodes)
    rate[0] = (log_rho[1] - log_rho[0]) / h_nodes
    rate[-1] = (log_rho[-1] - log_rho[-2]) / h_nodes
    table[:, 3] = np.sqrt(states[:, 0] ** 2 + states[:, 1] ** 2 + states[:, 2] ** 2)
    table[:, 4:] = states
    return table


def used_log_density(table: np.ndarray, states: np.ndarray) -> np.ndarray:
    """``ln rho`` (n,) that the right-hand side takes at the node states (n, 6) from a
    reference table (n, RHO_REF_COLS) sampled at the same nodes (same first-order formula)."""
    rx, ry, rz, vx, vy, vz = table[:, 4:10].T
    sx, sy, sz = states[:, 0], states[:, 1], states[:, 2]
    dx, dy, dz = sx - rx, sy - ry, sz - rz
    rr = np.sqrt(rx * rx + ry * ry + rz * rz)
    vr = (rx * vx + ry * vy + rz * vz) / rr
    dr = (dx * rx + dy * ry + dz * rz) / rr
    dv = dx * vx + dy * vy + dz * vz
    dt = (dv - dr * vr) / ((vx * vx + vy * vy + vz * vz) - vr * vr)
    dh = np.sqrt(sx * sx + sy * sy + sz * sz) - table[:, 3] - dt * vr
    return table[:, 0] + table[:, 1] * dh + table[:, 2] * dt


def _every(n: int, k: int) -> np.ndarray:
    """Indices 0, k, 2k, ... and n - 1 (sorted, unique) of n samples."""
    idx = np.arange(0, n, k)
    return idx if idx[-1] == n - 1 else np.append(idx, n - 1)


def _node_states(res, nodes: np.ndarray, i_nodes: np.ndarray) -> np.ndarray:
    states = res[1][i_nodes].copy()
    if res[9] == 2:  # re-entered: nodes after the stop take the last state
        states[nodes > float(res[10])] = res[0]
    return states


def segment(model: ForceTables, x0: float, y0: np.ndarray, x1: float, out_x: np.ndarray,
             rtol: float, atol: np.ndarray, h_max: float, store: bool, drag_rtol: float,
             stats: dict, memory: dict, stop: tuple[float, float]):
    """Integrate one segment (no manoeuvre inside); with drag, in one pass as a rule.

    The density table is MSIS sampled every 60 s along a reference trajectory with its
    vertical gradient and its rate along the reference; the right-hand side moves it to its
    own position to first order (:func:`rossim.dynamics.forces.pack_model`), so the reference
    only has to be within a few hundred metres of the true path. The reference is a cheap
    integration of the segment from the same initial state with the gravity field only, at a
    1e-6 tolerance (``memory["seed"]``; about a third of the steps of the full pass, each
    cheaper: no drag, no Sun and Moon). The full pass is accepted when MSIS along its own
    trajectory differs from the densities it used by less than ``drag_rtol`` (in ln rho);
    otherwise (a re-entry's last hours, where drag moves the orbit by kilometres in a
    segment) its own trajectory becomes the reference and the segment is integrated again.
    """
    if model.drag_k == 0.0:
        res = integrate_checked(x0, y0, x1, out_x, model.params(), rtol, atol, h_max, store,
                                stop)
        stats["steps_all_passes"] = stats.get("steps_all_passes", 0) + int(res[7])
        return res
    n_nodes = max(4, int(math.ceil((x1 - x0) / DRAG_SAMPLE_S)) + 1)
    nodes = np.linspace(x0, x1, n_nodes)
    h_nodes = nodes[1] - nodes[0]
    i_out = np.searchsorted(nodes, out_x)
    if len(out_x) == 0 or (i_out[-1] < n_nodes and np.array_equal(nodes[i_out], out_x)):
        both, i_nodes = nodes, np.arange(n_nodes)  # the outputs fall on density nodes
    else:
        both = np.union1d(nodes, out_x)
        i_nodes = np.searchsorted(both, nodes)
        i_out = np.searchsorted(both, out_x)
    seed = memory["seed"]
    ref = integrate_checked(x0, y0, x1, nodes, seed.params(), _SEED_RTOL, _SEED_ATOL,
                            max(h_max, _SEED_MAX_STEP_S), False, stop)
    stats["seed_steps"] = stats.get("seed_steps", 0) + int(ref[7])
    ref_states = _node_states(ref, nodes, np.arange(n_nodes))
    passes = 0
    for _ in range(8):
        passes += 1
        table = reference_table(model, nodes, ref_states, h_nodes)
        stats["density_points"] = stats.get("density_points", 0) + n_nodes
        res = integrate_checked(x0, y0, x1, both,
                                model.params((float(x0), float(h_nodes), table)), rtol, atol,
                                h_max, store, stop)
        stats["steps_all_passes"] = stats.get("steps_all_passes", 0) + int(res[7])
        states = _node_states(res, nodes, i_nodes)
        # The check: MSIS at the pass's own positions, every 4 min (the residual is a smooth
        # product of the offsets from the reference and the density's gradients).
        at = _every(n_nodes, _CHECK_EVERY)
        log_rho = model.log_density(nodes, states[at, :3], at=at)
        stats["density_points"] = stats.get("density_points", 0) + len(at)
        # After a re-entry stop, the nodes of the last two minutes (where the stop moves
        # from pass to pass) are left out of the convergence test.
        mask = nodes[at] < (float(res[10]) - 120.0 if res[9] == 2 else np.inf)
        residual = np.abs(log_rho - used_log_density(table[at], states[at]))
        if not mask.any() or np.max(residual[mask]) < drag_rtol:
            break
        ref_states = states
    else:
        raise NotConverged("drag density iteration did not converge "
                           f"(t = {x0:.0f}..{x1:.0f} s)")
    stats["drag_passes"] = stats.get("drag_passes", 0) + passes
    stats["drag_segments"] = stats.get("drag_segments", 0) + 1
    stats["drag_one_pass"] = stats.get("drag_one_pass", 0) + int(passes == 1)
    stats["drag_residual_max"] = max(stats.get("drag_residual_max", 0.0),
                                     float(np.max(residual[mask])) if mask.any() else 0.0)
    return (res[0], res[1][i_out]) + tuple(res[2:])


class NotConverged(PropagationError):
    """The drag-density iteration of a segment did not converge in 8 passes (halve it)."""


def segment_split(model: ForceTables, x0: float, y0: np.ndarray, x1: float,
                  out_x: np.ndarray, rtol: float, atol: np.ndarray, h_max: float, store: bool,
                  drag_rtol: float, stats: dict, memory: dict, stop: tuple[float, float],
                  min_span_s: float = 300.0):
    """:func:`segment`, halving the segment while the drag iteration does not converge.

    The fixed-point iteration of the densities converges slowly when drag changes the orbit a
    lot within one segment (the last hours before a re-entry); shorter segments restore it.
    The result has the layout of :func:`rossim.dynamics.dop853.integrate`'s (outputs after a
    re-entry stop unset).
    """
    try:
        return segment(model, x0, y0, x1, out_x, rtol, atol, h_max, store, drag_rtol, stats,
                       memory, stop)
    except NotConverged:
        if x1 - x0 <= min_span_s:
            raise
    xm = 0.5 * (x0 + x1)
    first_sel = out_x <= xm
    r1 = segment_split(model, x0, y0, xm, out_x[first_sel], rtol, atol, h_max, store,
                       drag_rtol, stats, memory, stop, min_span_s)
    out_y = np.full((len(out_x), 6), np.nan)
    out_y[first_sel] = r1[1]
    if r1[9] != 0:
        return (r1[0], out_y, r1[2]) + tuple(r1[3:])
    r2 = segment_split(model, xm, r1[0], x1, out_x[~first_sel], rtol, atol, h_max, store,
                       drag_rtol, stats, memory, stop, min_span_s)
    out_y[~first_sel] = r2[1]
    steps = tuple(np.concatenate([a, b]) for a, b in zip(r1[3:7], r2[3:7], strict=True))
    return (r2[0], out_y, r1[2] + r2[2]) + steps + (r1[7] + r2[7], r1[8] + r2[8], r2[9],
                                                   r2[10])


def seed_tables(forces: ForceModel, model: ForceTables, t0, duration_s: float
                ) -> ForceTables | None:
    """Force tables of the drag segments' reference trajectories (gravity only, at most 8x8,
    sharing ``model``'s packed tables; see :func:`segment`), or None without drag."""
    if not model.drag_k:
        return None
    seed_gravity = forces.gravity if forces.degree_order[0] <= 8 else "8x8"
    return ForceTables(ForceModel(gravity=seed_gravity, gravity_file=forces.gravity_file),
                       t0, float(duration_s), share=model)
