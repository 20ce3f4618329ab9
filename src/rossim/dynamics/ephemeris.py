"""One ephemeris contract: position and velocity in GCRF over a time grid.

:class:`Ephemeris` is what every trajectory in rossim gives the models that use an orbit
(eclipse, beta angle, dose, power, free-flyers, coverage):

* ``span`` -> ``(start, end)``: the epochs (astropy ``Time``) between which the ephemeris is
  valid;
* ``state_gcrf(t, outside="raise")`` -> ``(r_m, v_m_s)``, each shaped ``(N, 3)`` (m, m/s,
  GCRF) for the ``N`` epochs of the astropy ``Time`` grid ``t``. Epochs outside ``span`` raise
  :class:`OutsideSpanError` (an :class:`~rossim.errors.InputError` naming the first epoch
  outside and the span), or, with ``outside="nan"``, come back as rows of NaN (a flag the
  caller can count, e.g. an element set used past its validity is a result to report).

What satisfies it:

* :class:`rossim.dynamics.propagator.Trajectory` (numerical propagator; dense output when
  propagated with ``dense=True``, else Hermite interpolation of the output grid);
* :class:`SGP4Ephemeris` (a TLE through SGP4, TEME -> GCRF with
  :func:`rossim.frames.teme.teme_to_gcrf`);
* :class:`OEMEphemeris` (a CCSDS OEM, interpolated the way its header says: ``LAGRANGE`` or
  ``HERMITE`` with ``INTERPOLATION_DEGREE``, or ``LINEAR``; states in any frame the OEM reader
  converts to GCRF; valid over ``USEABLE_START/STOP_TIME`` or the segment's start/stop);
* :class:`rossim.dynamics.circular.CircularOrbit` (analytic circular orbit, J2 secular);
* :class:`MeanElementEphemeris` (a circular orbit from sampled mean elements: semi-major axis
  and node over time, the argument of latitude integrated from the mean motion; the run's
  flown orbit from its hourly altitude and node).

Tests: ``tests/dynamics/test_ephemeris_contract.py`` (each against the others and against external
references: circular vs numerical two-body and J2, SGP4 against Orekit and Vallado's case 00005,
OEM round trip).
"""

from __future__ import annotations

import warnings
from typing import Any, Literal, Protocol, runtime_checkable

import erfa
import numpy as np
from astropy.time import Time, TimeDelta

from rossim.constants import GM_EARTH_M3_S2, J2, R_EQ_M
from rossim.errors import InputError
from rossim.time import to_time

__all__ = [
    "Ephemeris", "OutsideSpanError", "SGP4Ephemeris", "OEMEphemeris", "MeanElementEphemeris",
    "check_span", "arg_latitude_rate_rad_s", "nodal_rate_rad_s", "circular_state_gcrf",
]

Outside = Literal["raise", "nan"]


@runtime_checkable
class Ephemeris(Protocol):
    """Position and velocity in GCRF over a time grid (see the module notes)."""

    @property
    def span(self) -> tuple[Time, Time]:
        """``(start, end)`` epochs of validity."""
        ...

    def state_gcrf(self, t: Time, outside: Outside = "raise"
                   ) -> tuple[np.ndarray, np.ndarray]:
        """``(r_m, v_m_s)``, each (N, 3), GCRF, at the N epochs ``t``."""
        ...


class OutsideSpanError(InputError):
    """Epochs asked of an ephemeris outside its span of validity."""


def _grid(t: Any) -> Time:
    tt = to_time(t)
    return tt.reshape((1,)) if tt.isscalar else tt.ravel()


def _quiet_seconds(t: Time, t0: Time) -> np.ndarray:
    """TT seconds of ``t`` (N,) since ``t0`` (dubious-year warnings of future UTC muted)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", erfa.ErfaWarning)
        a, b = t.tt, t0.tt
        return np.atleast_1d((a.jd1 - b.jd1) * 86400.0 + (a.jd2 - b.jd2) * 86400.0)


def check_span(name: str, span: tuple[Time, Time], t: Time, outside: Outside = "raise",
               tol_s: float = 1e-6) -> np.ndarray:
    """Boolean mask (N,) of the epochs ``t`` inside ``span``; with ``outside="raise"`` any
    epoch outside raises :class:`OutsideSpanError` naming the first one and the span."""
    if outside not in ("raise", "nan"):
        raise InputError("argument", "outside", outside, '"raise" or "nan"')
    start, end = span
    x = _quiet_seconds(t, start)
    length = float(_quiet_seconds(end.reshape((1,)), start)[0])
    inside = (x >= -tol_s) & (x <= length + tol_s)
    if outside == "raise" and not inside.all():
        k = int(np.flatnonzero(~inside)[0])
        raise OutsideSpanError(name, "epochs", t[k].utc.isot,
                               f"epochs within the ephemeris span {start.utc.isot} .. "
                               f"{end.utc.isot}", problem="outside the span")
    return inside


def _nan_outside(r: np.ndarray, v: np.ndarray, inside: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    if not inside.all():
        r = np.array(r, dtype=float, copy=True)
        v = np.array(v, dtype=float, copy=True)
        r[~inside] = np.nan
        v[~inside] = np.nan
    return r, v


# ------------------------------------------------------------------------------------------
# Circular-orbit kinematics (shared by CircularOrbit and MeanElementEphemeris)
# ------------------------------------------------------------------------------------------


def nodal_rate_rad_s(a_m: Any, inclination_rad: Any) -> np.ndarray:
    """First-order J2 secular node rate (rad/s) of a circular orbit (Vallado, *Fundamentals
    of Astrodynamics*, 4th ed., eq. 9-41): ``-1.5 n J2 (R/a)^2 cos i``."""
    a = np.asarray(a_m, dtype=float)
    n = np.sqrt(GM_EARTH_M3_S2 / a ** 3)
    return -1.5 * n * J2 * (R_EQ_M / a) ** 2 * np.cos(inclination_rad)


def arg_latitude_rate_rad_s(a_m: Any, inclination_rad: Any) -> np.ndarray:
    """Secular rate of the argument of latitude (rad/s) of a circular orbit, J2 first order
    (Vallado eq. 9-41, perigee plus mean-anomaly drift): ``n [1 + 0.75 J2 (R/a)^2
    (8 cos^2 i - 2)]``."""
    a = np.asarray(a_m, dtype=float)
    n = np.sqrt(GM_EARTH_M3_S2 / a ** 3)
    ci = np.cos(inclination_rad)
    return n * (1.0 + 0.75 * J2 * (R_EQ_M / a) ** 2 * (8.0 * ci * ci - 2.0))


def circular_state_gcrf(a_m: Any, inclination_rad: Any, raan_rad: Any, u_rad: Any,
                        raan_rate_rad_s: Any = 0.0, u_rate_rad_s: Any = None
                        ) -> tuple[np.ndarray, np.ndarray]:
    """GCRF ``(r_m, v_m_s)`` (N, 3) of a circular orbit: radius ``a_m``, inclination, node
    ``raan_rad`` and argument of latitude ``u_rad`` (arrays broadcast). The velocity is the
    inertial one, ``a du/dt`` in the plane plus the node's motion (``raan_rate_rad_s``);
    ``u_rate_rad_s`` defaults to the Keplerian mean motion."""
    a, inc, om, u, dom = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(x, dtype=float))
          for x in (a_m, inclination_rad, raan_rad, u_rad, raan_rate_rad_s)))
    du = np.sqrt(GM_EARTH_M3_S2 / a ** 3) if u_rate_rad_s is None else np.broadcast_to(
        np.asarray(u_rate_rad_s, dtype=float), a.shape)
    cu, su, co, so = np.cos(u), np.sin(u), np.cos(om), np.sin(om)
    ci, si = np.cos(inc), np.sin(inc)
    # r = a (cos u P + sin u Q), P = (co, so, 0), Q = (-so ci, co ci, si)
    x = co * cu - so * su * ci
    y = so * cu + co * su * ci
    z = su * si
    r = a[:, None] * np.stack([x, y, z], axis=1)
    # dr/du and dr/dOmega
    dxu, dyu, dzu = -co * su - so * cu * ci, -so * su + co * cu * ci, cu * si
    dxo, dyo = -so * cu - co * su * ci, co * cu - so * su * ci
    v = a[:, None] * np.stack([du * dxu + dom * dxo, du * dyu + dom * dyo, du * dzu], axis=1)
    return r, v


# ------------------------------------------------------------------------------------------
# SGP4
# ------------------------------------------------------------------------------------------


class SGP4Ephemeris:
    """A TLE propagated by SGP4, states turned from TEME to GCRF.

    ``span``: ``validity_days`` either side of the element set's epoch (default 14 d:
    estimate, the usual reach of a LEO element set; SGP4 itself has no bound), or the explicit
    ``span=(start, end)``. Epochs where SGP4 itself fails (decay, eccentricity out of range)
    raise :class:`OutsideSpanError` with SGP4's message, or are NaN with ``outside="nan"``.
    """

    def __init__(self, tle: Any, *, validity_days: float = 14.0,
                 span: tuple[Any, Any] | None = None) -> None:
        from rossim.files.tle import TLE

        if not isinstance(tle, TLE):
            raise InputError("argument", "tle", type(tle).__name__, "a rossim TLE")
        if not (np.isfinite(validity_days) and validity_days > 0):
            raise InputError("argument", "validity_days", validity_days, "a positive number")
        self.tle = tle
        if span is None:
            d = TimeDelta(float(validity_days) * 86400.0, format="sec")
            self._span = (tle.epoch - d, tle.epoch + d)
        else:
            self._span = (to_time(span[0]), to_time(span[1]))

    @property
    def span(self) -> tuple[Time, Time]:
        return self._span

    def state_gcrf(self, t: Any, outside: Outside = "raise") -> tuple[np.ndarray, np.ndarray]:
        from rossim.dynamics.tle import SGP4_ERRORS, propagate

        tt = _grid(t)
        inside = check_span(f"TLE {self.tle.catalog_number}", self.span, tt, outside)
        st = propagate(self.tle, tt, "GCRF")
        r, v, err = st.r_m[0], st.v_m_s[0], st.error[0]
        if outside == "raise" and np.any(err != 0):
            k = int(np.flatnonzero(err != 0)[0])
            raise OutsideSpanError(f"TLE {self.tle.catalog_number}", "epochs", tt[k].utc.isot,
                                   "epochs where SGP4 succeeds",
                                   problem=SGP4_ERRORS.get(int(err[k]), f"error {err[k]}"))
        return _nan_outside(r, v, inside & (err == 0))


# ------------------------------------------------------------------------------------------
# CCSDS OEM
# ------------------------------------------------------------------------------------------


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


# ------------------------------------------------------------------------------------------
# Mean elements over time: the run's flown orbit
# ------------------------------------------------------------------------------------------


def _as_time_array(epochs: Any) -> Time:
    e = np.asarray(epochs) if not isinstance(epochs, Time) else epochs
    if isinstance(e, np.ndarray) and np.issubdtype(e.dtype, np.datetime64):
        return Time(e.astype("datetime64[us]"), scale="utc")
    return _grid(e)


class MeanElementEphemeris:
    """A near-circular orbit from sampled mean elements, the argument of latitude integrated.

    Parameters
    ----------
    epochs:
        (K,) sample epochs, increasing: astropy ``Time`` or ``datetime64`` (UTC), e.g. the
        run's hourly grid.
    inclination_deg:
        Inclination (deg), scalar or (K,).
    raan_rad:
        (K,) right ascension of the ascending node (GCRF, rad) at the samples (unwrapped
        here; linear in between).
    semi_major_axis_m, altitude_m:
        (K,) mean semi-major axis (m), or altitude above the WGS84 equatorial radius (m):
        exactly one of the two. Linear in between samples (a reboost between two samples is
        spread over that interval).
    arg_latitude_rad:
        Argument of latitude at ``epochs[0]`` (rad).

    The argument of latitude is ``u(t) = u0 + integral of du/dt``, ``du/dt`` the J2 secular
    rate of :func:`arg_latitude_rate_rad_s` at the interpolated ``a`` (exact integral of the
    piecewise-linear rate, so the phase is continuous). With a constant ``a`` and the J2 node
    drift this is :class:`~rossim.dynamics.circular.CircularOrbit` exactly. Velocities are
    inertial (in-plane ``a du/dt`` plus the node's motion); the radial rate of a decaying orbit
    (mm/s) is neglected. Vectorised: no loop over epochs; memory ~0.3 kB per epoch while
    evaluating, so 4.2 M epochs (8 years at 60 s) are best asked in chunks of ~10^6
    (``state_gcrf_seconds`` skips the astropy time conversions).

    ``span`` is ``(epochs[0], epochs[-1])``.
    """

    def __init__(self, epochs: Any, inclination_deg: Any, raan_rad: Any, *,
                 semi_major_axis_m: Any = None, altitude_m: Any = None,
                 arg_latitude_rad: float = 0.0) -> None:
        t = _as_time_array(epochs)
        if len(t) < 2:
            raise InputError("argument", "epochs", len(t), "at least two sample epochs")
        self.t0 = t[0]
        self.x = _quiet_seconds(t, self.t0)
        if not np.all(np.diff(self.x) > 0):
            raise InputError("argument", "epochs", "not increasing", "increasing epochs")
        if (semi_major_axis_m is None) == (altitude_m is None):
            raise InputError("argument", "semi_major_axis_m/altitude_m", "both or neither",
                             "exactly one of semi_major_axis_m and altitude_m")
        a = (np.asarray(semi_major_axis_m, float) if semi_major_axis_m is not None
             else R_EQ_M + np.asarray(altitude_m, float))
        a = np.broadcast_to(a, self.x.shape).astype(float)
        if not np.all(np.isfinite(a)) or np.any(a <= R_EQ_M):
            raise InputError("argument", "semi_major_axis_m", float(np.nanmin(a)),
                             "finite semi-major axes above the Earth's radius")
        inc = np.radians(np.broadcast_to(np.asarray(inclination_deg, float), self.x.shape))
        om = np.unwrap(np.broadcast_to(np.asarray(raan_rad, float), self.x.shape))
        self.a, self.inc, self.raan = a, inc, om
        self.du = arg_latitude_rate_rad_s(a, inc)
        dx = np.diff(self.x)
        self.u = float(arg_latitude_rad) + np.concatenate(
            [[0.0], np.cumsum(0.5 * (self.du[:-1] + self.du[1:]) * dx)])
        self._span = (self.t0, t[-1])

    @property
    def span(self) -> tuple[Time, Time]:
        return self._span

    def elements_at_seconds(self, s: Any) -> dict[str, np.ndarray]:
        """Interpolated ``a_m``, ``inclination_rad``, ``raan_rad``, ``u_rad`` and the rates
        ``raan_rate_rad_s``, ``u_rate_rad_s`` at TT seconds ``s`` since ``epochs[0]``
        (no span check)."""
        x = np.atleast_1d(np.asarray(s, float))
        k = np.clip(np.searchsorted(self.x, x, side="right") - 1, 0, len(self.x) - 2)
        h = self.x[k + 1] - self.x[k]
        tau = x - self.x[k]
        w = tau / h
        a = self.a[k] + (self.a[k + 1] - self.a[k]) * w
        inc = self.inc[k] + (self.inc[k + 1] - self.inc[k]) * w
        dom = (self.raan[k + 1] - self.raan[k]) / h
        om = self.raan[k] + dom * tau
        du0, du1 = self.du[k], self.du[k + 1]
        u = self.u[k] + du0 * tau + 0.5 * (du1 - du0) / h * tau * tau
        return {"a_m": a, "inclination_rad": inc, "raan_rad": om, "u_rad": u,
                "raan_rate_rad_s": dom, "u_rate_rad_s": du0 + (du1 - du0) * w}

    def state_gcrf_seconds(self, s: Any) -> tuple[np.ndarray, np.ndarray]:
        """GCRF ``(r_m, v_m_s)`` (N, 3) at TT seconds ``s`` since ``epochs[0]`` (no span
        check: the fast path for long runs)."""
        e = self.elements_at_seconds(s)
        return circular_state_gcrf(e["a_m"], e["inclination_rad"], e["raan_rad"], e["u_rad"],
                                   e["raan_rate_rad_s"], e["u_rate_rad_s"])

    def state_gcrf(self, t: Any, outside: Outside = "raise") -> tuple[np.ndarray, np.ndarray]:
        tt = _grid(t)
        inside = check_span("flown orbit", self.span, tt, outside)
        r, v = self.state_gcrf_seconds(_quiet_seconds(tt, self.t0))
        return _nan_outside(r, v, inside)

    # The CircularOrbit-style views, so the flown orbit drops in where an analysis takes a
    # CircularOrbit (dose's ``geodetic``, beta angle).

    def positions_gcrf(self, t: Any) -> np.ndarray:
        """GCRF positions (N, 3), m, at epochs ``t`` (span checked)."""
        return self.state_gcrf(t)[0]

    def geodetic(self, t: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """WGS84 ``(lat_deg, lon_deg, alt_km)`` at epochs ``t``: GCRF -> ITRF with the same
        fast rotation as :meth:`rossim.dynamics.circular.CircularOrbit.geodetic`."""
        from rossim.frames.approx import gcrf_to_itrf_approx
        from rossim.frames.geodetic import itrf_to_geodetic

        tt = _grid(t)
        r = self.positions_gcrf(tt)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", erfa.ErfaWarning)
            lat, lon, alt_m = itrf_to_geodetic(gcrf_to_itrf_approx(r, tt))
        return lat, lon, np.asarray(alt_m) / 1000.0

    def normal_gcrf(self, t: Any) -> np.ndarray:
        """Unit normal (N, 3) of the mean orbit plane (GCRF) at epochs ``t`` (span checked)."""
        tt = _grid(t)
        check_span("flown orbit", self.span, tt, "raise")
        e = self.elements_at_seconds(_quiet_seconds(tt, self.t0))
        om, inc = e["raan_rad"], e["inclination_rad"]
        return np.stack([np.sin(om) * np.sin(inc), -np.cos(om) * np.sin(inc), np.cos(inc)],
                        axis=1)

    def beta_deg(self, t: Any) -> np.ndarray:
        """Beta angle (deg, N) of the mean orbit plane at epochs ``t`` (DE421 Sun)."""
        from rossim.environment.ephemeris import sun_position_gcrf

        tt = _grid(t)
        sun = np.atleast_2d(sun_position_gcrf(tt))
        sun = sun / np.linalg.norm(sun, axis=1)[:, None]
        h = self.normal_gcrf(tt)
        return np.degrees(np.arctan2(np.einsum("ij,ij->i", h, sun),
                                     np.linalg.norm(np.cross(h, sun), axis=1)))
