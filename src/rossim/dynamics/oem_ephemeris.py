"""A CCSDS OEM as an ephemeris: :class:`OEMEphemeris` and the Lagrange/Hermite interpolation
of tabulated states (:func:`interpolate_states`, also used by the numerical propagator's
:class:`~rossim.dynamics.propagator.Trajectory` between output points).

Interpolation as the OEM header says (CCSDS 502.0-B-3 sec. 5.2.4: ``INTERPOLATION`` and
``INTERPOLATION_DEGREE``); states in any frame the OEM reader converts to GCRF (m, m/s).
Tests: ``tests/dynamics/test_ephemeris_contract.py`` (OEM round trip against the propagator).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from astropy.time import Time

from rossim.dynamics.span import (
    Outside,
    OutsideSpanError,
    _grid,
    _quiet_seconds,
    check_span,
)
from rossim.errors import InputError
from rossim.time import to_time

__all__ = ["OEMEphemeris", "interpolate_states"]




def _newton(xw: np.ndarray, yw: np.ndarray, dyw: np.ndarray | None, x: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    """Interpolating polynomial through windows of nodes, vectorised over queries.

    ``xw`` (M, n) node abscissae, ``yw`` (M, n, 3) values, ``dyw`` (M, n, 3) derivatives
    (Hermite, nodes doubled) or None (Lagrange); ``x`` (M,). Returns value and derivative
    (M, 3) (Newton divided differences, Horner evaluation).
    """
    if dyw is None:
        z = xw
        c = yw.copy()
        m = z.shape[1]
        for j in range(1, m):
            c[:, j:] = (c[:, j:] - c[:, j - 1:-1]) / (z[:, j:] - z[:, :-j])[:, :, None]
    else:
        z = np.repeat(xw, 2, axis=1)
        m = z.shape[1]
        f = np.repeat(yw, 2, axis=1)
        c = f.copy()
        # first column: f[z_i, z_{i+1}] = f' for a doubled node, else the usual difference
        first = np.empty_like(c[:, 1:])
        dz = (z[:, 1:] - z[:, :-1])[:, :, None]
        same = np.zeros(z.shape[1] - 1, bool)
        same[0::2] = True
        first[:, same] = dyw
        first[:, ~same] = (f[:, 1:][:, ~same] - f[:, :-1][:, ~same]) / dz[:, ~same]
        c[:, 1:] = first
        for j in range(2, m):
            c[:, j:] = (c[:, j:] - c[:, j - 1:-1]) / (z[:, j:] - z[:, :-j])[:, :, None]
    # c[:, k] is now the k-th divided difference f[z0..zk]
    p = c[:, m - 1].copy()
    dp = np.zeros_like(p)
    for k in range(m - 2, -1, -1):
        w = (x - z[:, k])[:, None]
        dp = dp * w + p
        p = p * w + c[:, k]
    return p, dp


def interpolate_states(x: np.ndarray, r: np.ndarray, v: np.ndarray, xq: np.ndarray,
                       method: str = "HERMITE", n: int = 8, a: np.ndarray | None = None
                       ) -> tuple[np.ndarray, np.ndarray]:
    """States (M, 3) at abscissae ``xq`` (M,) from tabulated ``x`` (K,), ``r``, ``v`` (K, 3)
    and optional accelerations ``a``, through the ``n`` nodes around each query:
    ``"LAGRANGE"``/``"LINEAR"`` (positions and velocities each interpolated) or ``"HERMITE"``
    (positions with velocities; velocities with ``a`` when given, else the derivative of
    the position polynomial). Vectorised over the queries."""
    big = len(x)
    n = min(int(n), big)
    i = np.searchsorted(x, xq)
    s = np.clip(i - n // 2, 0, big - n)
    idx = s[:, None] + np.arange(n)[None, :]
    x0 = x[s]
    h = max(float(np.median(np.diff(x))), 1e-9)  # scaled abscissae for conditioning
    xw = (x[idx] - x0[:, None]) / h
    xs = (xq - x0) / h
    if method == "HERMITE":
        rr, dr = _newton(xw, r[idx], v[idx] * h, xs)
        if a is not None:
            vv, _ = _newton(xw, v[idx], a[idx] * h, xs)
        else:
            vv = dr / h
    else:
        rr, _ = _newton(xw, r[idx], None, xs)
        vv, _ = _newton(xw, v[idx], None, xs)
    return rr, vv


class _Segment:
    """Interpolator over one OEM segment (GCRF states)."""

    def __init__(self, seg: Any, default_degree: int) -> None:
        epochs, r, v = seg.states_gcrf()
        self.t0 = epochs[0]
        self.x = _quiet_seconds(epochs, self.t0)
        self.r, self.v = np.asarray(r, float), np.asarray(v, float)
        self.a = None if seg.a_m_s2 is None else np.asarray(
            _acc_gcrf(seg, epochs), float)
        method = (seg.interpolation or "LAGRANGE").upper()
        if method not in ("LAGRANGE", "HERMITE", "LINEAR"):
            raise InputError("OEM", "INTERPOLATION", seg.interpolation,
                             "LAGRANGE, HERMITE or LINEAR")
        degree = seg.interpolation_degree if seg.interpolation_degree is not None else (
            1 if method == "LINEAR" else default_degree)
        self.method = method
        self.n = min(int(degree) + 1, len(self.x))
        if self.n < 2:
            raise InputError("OEM", "data", len(self.x), "at least two states per segment")
        start = seg.useable_start_time or seg.start_time or epochs[0]
        stop = seg.useable_stop_time or seg.stop_time or epochs[-1]
        self.span = (to_time(start), to_time(stop))

    def evaluate(self, t: Time) -> tuple[np.ndarray, np.ndarray]:
        return interpolate_states(self.x, self.r, self.v, _quiet_seconds(t, self.t0),
                                  self.method, self.n, self.a)


def _acc_gcrf(seg: Any, epochs: Time) -> np.ndarray:
    """Accelerations of an OEM segment turned into GCRF (the position/velocity rotation)."""
    from rossim.files.refframe import to_gcrf

    zero = np.zeros_like(seg.a_m_s2)
    # to_gcrf rotates (r, v); rotating the acceleration as a "position" is exact for inertial
    # frames and good to omega^2 r terms (ignored here) for rotating ones.
    a, _ = to_gcrf(seg.a_m_s2, zero, seg.ref_frame, epochs, center=seg.center_name)
    return a


class OEMEphemeris:
    """A CCSDS OEM read as an ephemeris (all segments; at an epoch two segments share, the
    later one is used). Interpolation per segment header: ``LAGRANGE`` (positions and
    velocities each through ``INTERPOLATION_DEGREE + 1`` states around the epoch),
    ``HERMITE`` (positions with velocities, and velocities with accelerations when given,
    else the derivative of the position polynomial), ``LINEAR``. A segment without an
    ``INTERPOLATION`` keyword uses Lagrange of ``default_degree`` (7, estimate)."""

    def __init__(self, oem: Any, *, default_degree: int = 7) -> None:
        from rossim.files.oem import OEM, read_oem

        if not isinstance(oem, OEM):
            oem = read_oem(oem)
        if not oem.segments:
            raise InputError("OEM", "segments", 0, "at least one segment")
        self.oem = oem
        self._segments = [_Segment(s, default_degree) for s in oem.segments]

    @property
    def span(self) -> tuple[Time, Time]:
        starts = Time([s.span[0].utc for s in self._segments])
        ends = Time([s.span[1].utc for s in self._segments])
        return starts.min(), ends.max()

    def state_gcrf(self, t: Any, outside: Outside = "raise") -> tuple[np.ndarray, np.ndarray]:
        tt = _grid(t)
        r = np.full((len(tt), 3), np.nan)
        v = np.full((len(tt), 3), np.nan)
        covered = np.zeros(len(tt), bool)
        for seg in self._segments:
            m = check_span("OEM", seg.span, tt, "nan")
            if m.any():
                r[m], v[m] = seg.evaluate(tt[m])
                covered |= m
        if outside == "raise" and not covered.all():
            check_span("OEM", self.span, tt[~covered], "raise")
            k = int(np.flatnonzero(~covered)[0])
            raise OutsideSpanError("OEM", "epochs", tt[k].utc.isot,
                                   "epochs inside one of the OEM's segments",
                                   problem="in a gap between segments")
        if outside not in ("raise", "nan"):
            raise InputError("argument", "outside", outside, '"raise" or "nan"')
        return r, v
