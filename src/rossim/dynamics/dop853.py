"""DOP853 (Dormand-Prince 8(5,3)) with 7th-order dense output, compiled with numba.

The coefficients, error estimate and dense output are those of :class:`scipy.integrate.DOP853`
(Hairer, Norsett & Wanner, *Solving Ordinary Differential Equations I*, sec. II.10). The
right-hand side is :func:`rossim.dynamics.forces.acceleration_into` on the packed model
``(F, I, W)`` of :func:`rossim.dynamics.forces.pack_model`; the driver is
:mod:`rossim.dynamics.propagator`. Time is TT seconds since the propagation epoch; states are
GCRF (m, m/s).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from rossim.dynamics import dop853_coefficients as _dop
from rossim.dynamics.forces import acceleration_into

__all__ = ["dense_states", "integrate"]

#: Numba's on-disk cache keys this file's functions on this file only: an edit of the
#: right-hand side in forces.py (a callee) would leave a stale compiled integrator. Change this
#: line with any change of the packed model's layout. Layout 2: drag tables sampled along a
#: reference trajectory (forces.RHO_REF_COLS columns, I_RHO_COLS).
_RHS_LAYOUT = 6

_A = np.ascontiguousarray(_dop.A, dtype=float)
_B = np.ascontiguousarray(_dop.B, dtype=float)
_C = np.ascontiguousarray(_dop.C, dtype=float)
_E3 = np.ascontiguousarray(_dop.E3, dtype=float)
_E5 = np.ascontiguousarray(_dop.E5, dtype=float)
_D = np.ascontiguousarray(_dop.D, dtype=float)


@njit(cache=True)
def _deriv(x, y, f, ii, w, out):
    out[0] = y[3]
    out[1] = y[4]
    out[2] = y[5]
    acceleration_into(x, y, f, ii, w, out[3:])


@njit(cache=True)
def _dense_eval(x_old, h, y_old, f, x):
    out = np.empty(6)
    _dense_into(x_old, h, y_old, f, x, out)
    return out


@njit(cache=True)
def _dense_into(x_old, h, y_old, f, x, out):
    s = (x - x_old) / h
    for k in range(6):
        out[k] = 0.0
    for i in range(7):
        fi = f[6 - i]
        for k in range(6):
            out[k] += fi[k]
            out[k] *= s if i % 2 == 0 else (1.0 - s)
    for k in range(6):
        out[k] += y_old[k]


@njit(cache=True)
def dense_states(st_x, st_h, st_y, st_f, xs):
    """States (N,6) at sorted TT seconds ``xs`` from stored DOP853 steps (dense output)."""
    n = xs.shape[0]
    out = np.empty((n, 6))
    j = 0
    m = st_x.shape[0]
    for i in range(n):
        x = xs[i]
        while j < m - 1 and x > st_x[j] + st_h[j]:
            j += 1
        _dense_into(st_x[j], st_h[j], st_y[j], st_f[j], x, out[i])
    return out


@njit(cache=True)
def integrate(x0, y0, x_end, out_x, f_model, i_model, w_model, rtol, atol, h_init, h_max,
               store, stop_a2=0.0, stop_b2=0.0, max_steps=0):
    """DOP853 from ``x0`` to ``x_end``; states at ``out_x`` (sorted, within the span).

    Returns ``(y_end, out_y, n_out_done, st_x, st_h, st_y, st_f, n_steps, n_eval, status,
    x_end_reached, h_next)``; status 0 is success, 1 step-size underflow, 2 stopped because an
    accepted step ended inside the ellipsoid ``(x^2 + y^2) / stop_a2 + z^2 / stop_b2 < 1``
    (the re-entry surface; ``stop_a2 = 0`` disables the check), 3 paused after ``max_steps``
    accepted steps (0: no limit) short of ``x_end``. A call from ``x_end_reached`` and
    ``y_end`` with ``h_init = h_next`` (and the outputs not yet done) continues the
    integration exactly as if it had not paused: the caller's Python code runs between the
    parts (a Ctrl-C is seen there; :func:`rossim.dynamics.drag_segments.integrate_checked`).
    """
    n_out = out_x.shape[0]
    out_y = np.empty((n_out, 6))
    cap = 64 if store else 1
    st_x = np.empty(cap)
    st_h = np.empty(cap)
    st_y = np.empty((cap, 6))
    st_f = np.empty((cap, 7, 6))
    ns = 0
    k = np.empty((16, 6))
    fd = np.empty((7, 6))
    ys = np.empty(6)
    x = x0
    y = y0.copy()
    y_new = np.empty(6)
    f = np.empty(6)
    f_new = np.empty(6)
    _deriv(x, y, f_model, i_model, w_model, f)
    n_eval = 1
    h = h_init
    k_out = 0
    while k_out < n_out and out_x[k_out] <= x0:
        out_y[k_out] = y
        k_out += 1
    rejected = False
    status = 0
    n_acc = 0
    while x < x_end:
        if h > h_max:
            h = h_max
        last = False
        if x + h * 1.000001 >= x_end:
            h = x_end - x
            last = True
        for i in range(6):
            k[0, i] = f[i]
        for s in range(1, 12):
            for i in range(6):
                acc = 0.0
                for j in range(s):
                    acc += _A[s, j] * k[j, i]
                ys[i] = y[i] + h * acc
            _deriv(x + _C[s] * h, ys, f_model, i_model, w_model, k[s])
        for i in range(6):
            acc = 0.0
            for j in range(12):
                acc += _B[j] * k[j, i]
            y_new[i] = y[i] + h * acc
        _deriv(x + h, y_new, f_model, i_model, w_model, f_new)
        n_eval += 12
        for i in range(6):
            k[12, i] = f_new[i]
        e5 = 0.0
        e3 = 0.0
        for i in range(6):
            sc = atol[i] + max(abs(y[i]), abs(y_new[i])) * rtol
            a5 = 0.0
            a3 = 0.0
            for j in range(13):
                a5 += _E5[j] * k[j, i]
                a3 += _E3[j] * k[j, i]
            e5 += (a5 / sc) ** 2
            e3 += (a3 / sc) ** 2
        if e5 == 0.0 and e3 == 0.0:
            err = 0.0
        else:
            err = h * e5 / math.sqrt((e5 + 0.01 * e3) * 6.0)
        if err <= 1.0:
            factor = 10.0 if err == 0.0 else min(10.0, 0.9 * err ** (-0.125))
            if rejected:
                factor = min(1.0, factor)
            rejected = False
            x_new = x_end if last else x + h
            need = store or (k_out < n_out and out_x[k_out] < x_new)
            if need:
                for s in range(13, 16):
                    for i in range(6):
                        acc = 0.0
                        for j in range(s):
                            acc += _A[s, j] * k[j, i]
                        ys[i] = y[i] + h * acc
                    _deriv(x + _C[s] * h, ys, f_model, i_model, w_model, k[s])
                n_eval += 3
                for i in range(6):
                    d0 = y_new[i] - y[i]
                    fd[0, i] = d0
                    fd[1, i] = h * k[0, i] - d0
                    fd[2, i] = 2.0 * d0 - h * (f_new[i] + k[0, i])
                    for r in range(4):
                        acc = 0.0
                        for j in range(16):
                            acc += _D[r, j] * k[j, i]
                        fd[3 + r, i] = h * acc
            while k_out < n_out and out_x[k_out] <= x_new:
                if out_x[k_out] == x_new:
                    out_y[k_out] = y_new
                else:
                    _dense_into(x, h, y, fd, out_x[k_out], out_y[k_out])
                k_out += 1
            if store:
                if ns == cap:
                    cap *= 2
                    nx = np.empty(cap)
                    nh = np.empty(cap)
                    ny = np.empty((cap, 6))
                    nf = np.empty((cap, 7, 6))
                    nx[:ns] = st_x[:ns]
                    nh[:ns] = st_h[:ns]
                    ny[:ns] = st_y[:ns]
                    nf[:ns] = st_f[:ns]
                    st_x, st_h, st_y, st_f = nx, nh, ny, nf
                st_x[ns] = x
                st_h[ns] = h
                st_y[ns] = y
                st_f[ns] = fd
                ns += 1
            x = x_new
            for i in range(6):
                y[i] = y_new[i]
                f[i] = f_new[i]
            h = h * factor
            n_acc += 1
            if stop_a2 > 0.0 and ((y[0] * y[0] + y[1] * y[1]) / stop_a2
                                  + y[2] * y[2] / stop_b2) < 1.0:
                status = 2
                break
            if max_steps > 0 and n_acc >= max_steps and x < x_end:
                status = 3
                break
        else:
            h = h * max(0.2, 0.9 * err ** (-0.125))
            rejected = True
        if h < 1e-6:
            status = 1
            break
    return (y.copy(), out_y, k_out, st_x[:ns].copy(), st_h[:ns].copy(), st_y[:ns].copy(),
            st_f[:ns].copy(), n_acc, n_eval, status, x, h)

