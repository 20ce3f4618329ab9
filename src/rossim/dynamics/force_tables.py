"""The propagator's force-model tables: everything the compiled right-hand side reads,
packed once per propagation, and the MSIS density samples along a trajectory.

:class:`ForceTables` builds the fixed tables of a span (Earth orientation, ITRF pole, Sun and
Moon, gravity coefficients) and packs them once with :func:`rossim.dynamics.forces.pack_model`
into ``(F, I, W)``; each drag pass only writes its ``ln rho`` samples into the reserved slot of
``F`` (:meth:`ForceTables.params`), so a pass costs the integration and the density samples,
not a copy of tables that grow with the span. :meth:`ForceTables.log_density` evaluates MSIS
(pymsis) along a trajectory, optionally with the vertical density gradient that the
propagator uses to tell, without a further MSIS call, whether a drag pass has converged.
"""

from __future__ import annotations

import math

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.constants import R_EQ_M
from rossim.dynamics.forces import (
    F_DRAG,
    F_RHO_H,
    F_RHO_T0,
    F_SRP,
    GM_MOON_M3_S2,
    GM_SUN_M3_S2,
    I_RHO,
    I_RHO_COLS,
    I_RHO_N,
    RHO_REF_COLS,
    SOLAR_PRESSURE_N_M2,
    WORK_SIZE,
    ForceModel,
    pack_model,
)
from rossim.dynamics.gravity import load_gravity_field
from rossim.dynamics.msis_geometry import geometry
from rossim.frames.earth import EarthOrientationGrid
from rossim.time import datetime64_from_time, datetime64_from_unix_days, unix_days

__all__ = ["DENSITY_FLOOR_ALTITUDE_M", "DRAG_CHUNK_S", "DRAG_SAMPLE_S", "POLE_STEP_S",
           "THIRD_BODY_STEP_S", "ForceTables"]

THIRD_BODY_STEP_S = 1800.0
#: Grid of the tabulated ITRF pole (diurnal polar-motion terms: interpolation error < 1e-12 rad).
POLE_STEP_S = 600.0
#: Spacing of the MSIS samples of a drag chunk (s). 4-point interpolation of ln rho at 60 s
#: (2/3 deg of orbit): ~3e-7 error in ln rho; the 30-day ISS case moves by 0.22 m against 30 s.
DRAG_SAMPLE_S = 60.0
DRAG_CHUNK_S = 6 * 3600.0
#: Floor of the drag model: MSIS is evaluated from 80 km up; below (only between a re-entry
#: crossing and the integrator's stop, cut from the result) the density is held there.
DENSITY_FLOOR_ALTITUDE_M = 80e3
#: Altitude step (m) of the finite difference that gives d ln rho / dh, and the spacing (in
#: density samples) of the points where it is taken.
_GRADIENT_DH_M = 200.0
_GRADIENT_EVERY = 4
_WGS84_A_M = R_EQ_M


class ForceTables:
    """Everything the compiled right-hand side needs for one span, packed once.

    ``forces``: the :class:`ForceModel`; ``epoch``: the span's start (TT seconds count from
    it); ``span_s``: its length (s). ``drag_nodes``: most density samples one drag table
    holds (default: a :data:`DRAG_CHUNK_S` chunk at :data:`DRAG_SAMPLE_S`). ``share``:
    tables of the same epoch and span whose Earth-orientation grid is reused when it has the
    step this model needs (the drag reference model of a propagation).
    """

    def __init__(self, forces: ForceModel, epoch: Time, span_s: float,
                 drag_nodes: int | None = None, share: ForceTables | None = None) -> None:
        n, m = forces.degree_order
        field_ = load_gravity_field(max(n, 0), m, forces.gravity_file, epoch)
        self.forces = forces
        self.epoch = epoch
        self.harmonics = n >= 2
        mode = 0 if n < 2 else (1 if (n, m) == (2, 0) else 2)
        # The full GCRF->ITRF matrix is needed by the tesseral/zonal harmonics only; J2 and
        # the co-rotating atmosphere need just the ITRF pole, tabulated every 10 min below.
        self.need_earth = mode == 2
        self.need_pole = mode == 1 or forces.drag != "none"
        if self.need_earth or self.need_pole:
            # Only the pole (J2, co-rotation) varies slowly enough for a 12 h grid; the full
            # matrix of the harmonics keeps the 3 h grid (interpolation error ~1e-10 rad).
            step = 10800.0 if self.need_earth else 43200.0
            shared = None if share is None else share.eo
            eo = (shared if shared is not None and shared.step_s == step
                  and share.epoch is epoch and share._span_s == span_s
                  else EarthOrientationGrid.build(epoch, 0.0, span_s, step))
            self.eo = eo
            eo_t = (eo.t_s[0], eo.step_s, eo.q.reshape(-1, 9), eo.w.reshape(-1, 9),
                    eo.ut1_minus_tt_s, eo.era0_rad, eo.ut1_offset0_s())
        else:
            self.eo = None
            eo_t = (0.0, 1.0, np.zeros((4, 9)), np.zeros((4, 9)), np.zeros(4), 0.0, 0.0)
        if self.need_pole:
            pole_x = -2 * POLE_STEP_S + POLE_STEP_S * np.arange(int(span_s // POLE_STEP_S) + 6)
            pole = np.ascontiguousarray(self.eo.matrix(pole_x)[:, 2, :])
            pole_t = (float(pole_x[0]), POLE_STEP_S, pole)
        else:
            pole_t = (0.0, 1.0, np.zeros((4, 3)))
        self._fixed = dict(mode=mode, n_max=int(n), m_max=int(m), mu=field_.mu_m3_s2,
                           radius=field_.radius_m, c=field_.c, s=field_.s,
                           earth=self.need_earth, eo=eo_t)
        self.mu = field_.mu_m3_s2
        bodies = forces.third_body
        need_sun = "sun" in bodies or forces.srp or forces.drag != "none"
        tb_t0 = -2 * THIRD_BODY_STEP_S
        nodes = tb_t0 + THIRD_BODY_STEP_S * np.arange(int(span_s // THIRD_BODY_STEP_S) + 6)
        sun = np.zeros((4, 3))
        moon = np.zeros((4, 3))
        if need_sun or "moon" in bodies:
            from rossim.environment.ephemeris import sun_moon_gcrf

            t_nodes = epoch.tt + TimeDelta(nodes, format="sec")
            sun, moon = sun_moon_gcrf(t_nodes)
        self.tb_t0 = float(tb_t0)
        self.sun_table = sun
        self._fixed.update(tb=(float(tb_t0), THIRD_BODY_STEP_S, sun, moon),
                           gm_sun=GM_SUN_M3_S2 if "sun" in bodies else 0.0,
                           gm_moon=GM_MOON_M3_S2 if "moon" in bodies else 0.0, pole=pole_t)
        self.drag_k = 0.5 * forces.drag_coefficient_m2_kg
        self.srp_k = SOLAR_PRESSURE_N_M2 * forces.srp_coefficient_m2_kg
        self.mass_kg = float(forces.mass_kg)
        self.no_drag = (0.0, 1.0, np.zeros(4))
        cap = 4 if self.drag_k == 0.0 else RHO_REF_COLS * (
            int(math.ceil(DRAG_CHUNK_S / DRAG_SAMPLE_S)) + 8 if drag_nodes is None
            else max(4, int(drag_nodes)))
        self._pack(cap)
        self._work = np.zeros(WORK_SIZE)
        # UTC of the span as Unix days from the epoch's, when no leap second falls inside
        # (else None: the drag samples convert their epochs one by one).
        ends = (epoch.tt + TimeDelta([0.0, span_s], format="sec")).utc
        days_ends = unix_days(ends)
        self._span_s = float(span_s)
        self._utc_days0 = (float(days_ends[0])
                           if abs((days_ends[1] - days_ends[0]) * 86400.0 - span_s) < 1e-6
                           else None)

    def _pack(self, capacity: int) -> None:
        self._capacity = capacity
        self._packed = pack_model(rho=(0.0, 1.0, np.zeros(capacity)), drag=0.0, srp=self.srp_k,
                                  **self._fixed)
        #: Number of times the fixed tables were packed (once, unless a drag table outgrew
        #: the reserved slot).
        self.packs = getattr(self, "packs", 0) + 1

    def set_mass(self, mass_kg: float) -> None:
        """Fly the following segments with ``mass_kg`` (kg, > 0) instead of ``forces.mass_kg``:
        the drag and radiation-pressure factors (``Cd A / m``, ``Cr A / m``) are rescaled, the
        packed tables are kept. Used at manoeuvres that change the mass (``MAN_DELTA_MASS``)."""
        mass_kg = float(mass_kg)
        if not (math.isfinite(mass_kg) and mass_kg > 0.0):
            raise ValueError(f"mass_kg must be positive and finite, got {mass_kg!r}")
        scale = float(self.forces.mass_kg) / mass_kg
        self.mass_kg = mass_kg
        self.drag_k = 0.5 * self.forces.drag_coefficient_m2_kg * scale
        self.srp_k = SOLAR_PRESSURE_N_M2 * self.forces.srp_coefficient_m2_kg * scale
        self._packed[0][F_SRP] = self.srp_k

    def params(self, drag_table=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(F, I, W)`` for the compiled code; ``drag_table = (t0, h, ln rho (n,))`` or
        ``(t0, h, table (n, RHO_REF_COLS))`` (densities along a reference trajectory, see
        :func:`rossim.dynamics.forces.pack_model`).

        The arrays are packed once (constructor); this writes the drag table into their
        reserved slot and returns the same arrays each time (the previous table is replaced).
        """
        table = self.no_drag if drag_table is None else drag_table
        values = np.ascontiguousarray(table[2], dtype=float)
        n = len(values)
        size = values.size
        if size > self._capacity:
            self._pack(size)
        f, ii, _ = self._packed
        off = int(ii[I_RHO])
        f[off:off + size] = values.ravel()
        f[F_RHO_T0], f[F_RHO_H] = float(table[0]), float(table[1])
        ii[I_RHO_N] = n
        ii[I_RHO_COLS] = 1 if values.ndim == 1 else values.shape[1]
        f[F_DRAG] = 0.0 if drag_table is None else self.drag_k
        return self._packed

    def _node_context(self, x_nodes: np.ndarray) -> dict:
        """Time-only inputs of MSIS at ``x_nodes`` (UTC, space weather), kept for the last
        node set: the reference and the check of a drag segment share it."""
        key = (float(x_nodes[0]), float(x_nodes[-1]), len(x_nodes))
        ctx = getattr(self, "_ctx", None)
        if ctx is not None and ctx["key"] == key:
            return ctx
        from rossim.environment.spaceweather import ConstantWeather, default_weather

        n = len(x_nodes)
        weather = self.forces.weather if self.forces.weather is not None else default_weather()
        if self._utc_days0 is not None and 0.0 <= x_nodes[0] and x_nodes[-1] <= self._span_s:
            # No leap second in the span: UTC runs with TT from the epoch's UTC.
            days = self._utc_days0 + x_nodes / 86400.0
            dates = datetime64_from_unix_days(days)
        else:
            utc = (self.epoch.tt + TimeDelta(x_nodes, format="sec")).utc
            days, dates = unix_days(utc), datetime64_from_time(utc)
        if isinstance(weather, ConstantWeather):
            # Constant indices: the same arrays for every chunk of the same length.
            const = getattr(self, "_const_indices", None)
            if const is None or const[0] != n:
                f107, f107a, aps = (a[:1] for a in weather.indices(self.epoch))
                const = (n, np.broadcast_to(f107, (n,)), np.broadcast_to(f107a, (n,)),
                         np.broadcast_to(aps, (n, 7)))
                self._const_indices = const
            f107, f107a, aps = const[1:]
        else:
            f107, f107a, aps = weather.indices(
                (self.epoch.tt + TimeDelta(x_nodes, format="sec")).utc)
            f107, f107a = np.broadcast_to(f107, (n,)), np.broadcast_to(f107a, (n,))
            aps = np.broadcast_to(aps, (n, 7))
        ctx = {"key": key, "days": np.ascontiguousarray(days, dtype=float), "dates": dates,
               "f107": f107, "f107a": f107a, "aps": aps}
        self._ctx = ctx
        return ctx

    def log_density(self, x_nodes: np.ndarray, r_gcrf: np.ndarray,
                    vertical_gradient: bool = False, at: np.ndarray | None = None,
                    gradient_every: int = 4):
        """log MSIS density (n,) at TT seconds ``x_nodes`` (n,) and GCRF positions (n, 3), m.

        Same inputs and conventions as :func:`rossim.environment.atmosphere.density` (geodetic
        WGS84, UTC, indices from ``forces.weather``), calling pymsis directly to skip
        per-call time-format conversions (this runs once per chunk and pass).
        ``vertical_gradient=True`` returns ``(ln rho, d ln rho / dh)`` with the gradient (1/m,
        (n,)) from a forward difference of 200 m at every 4th sample (and the last),
        interpolated in between; same MSIS call. ``at`` (indices into ``x_nodes``, (k,)):
        evaluate at ``x_nodes[at]`` only, ``r_gcrf`` then (k, 3), reusing the time inputs of
        ``x_nodes`` (no gradient).
        """
        import pymsis

        from rossim.environment.atmosphere import MODELS

        ctx = self._node_context(x_nodes)
        sel = slice(None) if at is None else np.asarray(at)
        if self.eo is None:
            raise ValueError("log_density needs the Earth-orientation tables of a drag model")
        # Geodetic inputs (and the apparent-local-time longitude) in one compiled loop over
        # the points (rossim.dynamics.msis_geometry; below the 80 km floor, only between the
        # re-entry crossing and the integrator's stop, which are cut from the result, the
        # density is held at its floor value).
        geo = geometry(x_nodes[sel], r_gcrf, ctx["days"][sel], self._packed, self._work,
                       self.forces.solar_time == "apparent", DENSITY_FLOOR_ALTITUDE_M)
        lat, lon_msis, alt_km = geo[:, 0], geo[:, 1], geo[:, 2]
        dates = ctx["dates"][sel]
        f107, f107a, aps = ctx["f107"][sel], ctx["f107a"][sel], ctx["aps"][sel]
        n = len(dates)
        if vertical_gradient:
            sub = np.arange(0, n, gradient_every)
            sub = sub if sub[-1] == n - 1 else np.append(sub, n - 1)
            dates = np.concatenate([dates, dates[sub]])
            lon_msis = np.concatenate([lon_msis, lon_msis[sub]])
            lat = np.concatenate([lat, lat[sub]])
            alt_km = np.concatenate([alt_km, alt_km[sub] + _GRADIENT_DH_M / 1000.0])
            f107, f107a = np.concatenate([f107, f107[sub]]), np.concatenate([f107a, f107a[sub]])
            aps = np.concatenate([aps, aps[sub]])
        out = pymsis.calculate(dates, lon_msis, lat, alt_km, f107, f107a, aps,
                               version=MODELS[self.forces.drag])
        rho = np.asarray(out, dtype=float).reshape(len(dates), -1)[:, 0]
        log_rho = np.log(np.maximum(rho, 1e-300))
        if not vertical_gradient:
            return log_rho
        grad = (log_rho[n:] - log_rho[sub]) / _GRADIENT_DH_M
        return log_rho[:n], np.interp(np.arange(n), sub, grad)


def _lagrange_np(t0: float, h: float, table: np.ndarray, x: np.ndarray) -> np.ndarray:
    from rossim.frames.earth import _lagrange4

    return _lagrange4(t0, h, table, x)
