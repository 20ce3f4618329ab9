"""Force models of the numerical propagator, and their compiled evaluation.

:class:`ForceModel` is the user-facing description (validated, SI units). The propagator turns
it into tables that the compiled right-hand side reads:

- **Earth gravity** (GCRF in, GCRF out): point mass, zonal J2..J6 or N x M harmonics of the
  shipped ICGEM file (:mod:`rossim.dynamics.gravity`), evaluated in ITRF. The GCRF->ITRF matrix
  is rebuilt at every call from an :class:`~rossim.frames.earth.EarthOrientationGrid`: the
  slowly varying precession-nutation and polar-motion matrices and UT1-TT are interpolated,
  the Earth rotation angle is exact.
- **Third bodies** (Sun, Moon; DE421 via :mod:`rossim.environment.ephemeris`): positions
  tabulated every 30 min and interpolated (4-point Lagrange, error below 0.1 m for the Moon).
- **Drag**: ``a = -1/2 rho Cd A/m |v_rel| v_rel`` with a co-rotating atmosphere
  (``v_rel = v - omega x r``, omega along the ITRF pole). ``rho(t)`` comes from a table of
  ``log rho`` along the trajectory, filled by MSIS (:mod:`rossim.environment.atmosphere`) and
  refined by fixed-point iteration (see :mod:`rossim.dynamics.propagator`).
- **Solar radiation pressure**: cannonball ``a = P0 (AU/d)^2 Cr A/m * nu * u``, ``P0 = 4.56e-6
  N/m^2``, with ``nu`` the visible fraction of the solar disc behind a spherical Earth (conical
  shadow, penumbra included).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numba import njit

from rossim.constants import R_EQ_M
from rossim.dynamics.gravity import harmonic_flat, parse_gravity_spec
from rossim.errors import InputError
from rossim.frames.earth import OMEGA_EARTH_RAD_S

__all__ = [
    "AU_M",
    "DRAG_MODELS",
    "GM_MOON_M3_S2",
    "GM_SUN_M3_S2",
    "SOLAR_PRESSURE_N_M2",
    "ForceModel",
    "acceleration",
    "acceleration_into",
    "lit_fraction",
    "pack_model",
]

#: Astronomical unit (IAU 2012), m.
AU_M = 149597870700.0
#: Solar radiation pressure at 1 AU (N/m^2), the value Orekit and GMAT use.
SOLAR_PRESSURE_N_M2 = 4.56e-6
#: GM of the Sun and the Moon (DE440 header values, as Orekit's CelestialBodyFactory), m^3/s^2.
GM_SUN_M3_S2 = 1.32712440041279419e20
GM_MOON_M3_S2 = 4.9028001184575496e12
SUN_RADIUS_M = 695700000.0
#: Earth radius used for the shadow cone (WGS84 equatorial), m.
EARTH_SHADOW_RADIUS_M = R_EQ_M
DRAG_MODELS = ("none", "nrlmsise00", "msis2.0", "msis2.1")
THIRD_BODIES = ("sun", "moon")


def _positive(name: str, value: float, allow_zero: bool = False) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError("argument", name, value, "a number") from None
    if not math.isfinite(x) or x < 0 or (x == 0 and not allow_zero):
        raise InputError("argument", name, value,
                         "a finite number >= 0" if allow_zero else "a finite number > 0")
    return x


@dataclass(frozen=True)
class ForceModel:
    """What acts on the spacecraft (SI units).

    gravity: ``"point"``, ``"j2"`` .. ``"j6"`` (zonal only) or ``"NxM"`` (e.g. ``"8x8"``).
    drag: ``"none"``, ``"nrlmsise00"``, ``"msis2.0"`` or ``"msis2.1"``; ``weather`` is a
    :class:`~rossim.environment.spaceweather.ConstantWeather` or
    :class:`~rossim.environment.spaceweather.SpaceWeather` (None: the default historical file
    plus forecast). ``cd``, ``area_m2`` (drag), ``mass_kg``.
    srp: cannonball solar radiation pressure with ``cr`` and ``srp_area_m2`` (default: the drag
    area). third_body: any of ``("sun", "moon")`` (or one string, ``"sun,moon"``).
    solar_time: local solar time handed to MSIS: ``"apparent"`` (from the Sun's direction, as
    Orekit) or ``"mean"`` (UT + longitude/15, MSIS's own convention).
    """

    gravity: str = "8x8"
    drag: str = "none"
    weather: Any = None
    cd: float = 2.2
    area_m2: float = 1.0
    mass_kg: float = 1000.0
    srp: bool = False
    cr: float = 1.3
    srp_area_m2: float | None = None
    third_body: tuple[str, ...] = field(default_factory=tuple)
    gravity_file: str | None = None
    solar_time: str = "apparent"

    def __post_init__(self) -> None:
        if self.solar_time not in ("apparent", "mean"):
            raise InputError("argument", "solar_time", self.solar_time, '"apparent" or "mean"')
        parse_gravity_spec(self.gravity)
        if str(self.drag).lower() not in DRAG_MODELS:
            raise InputError("argument", "drag", self.drag, "one of " + ", ".join(DRAG_MODELS))
        object.__setattr__(self, "drag", str(self.drag).lower())
        _positive("mass_kg", self.mass_kg)
        _positive("cd", self.cd, allow_zero=True)
        _positive("area_m2", self.area_m2, allow_zero=True)
        _positive("cr", self.cr, allow_zero=True)
        if self.srp_area_m2 is not None:
            _positive("srp_area_m2", self.srp_area_m2, allow_zero=True)
        names = self.third_body
        if isinstance(names, str):          # "sun", "sun,moon" or "sun moon", as on the CLI
            names = names.replace(",", " ").split()
        bodies = tuple(str(b).strip().lower() for b in names if str(b).strip())
        for b in bodies:
            if b not in THIRD_BODIES:
                raise InputError("argument", "third_body", b, "sun and/or moon")
        object.__setattr__(self, "third_body", bodies)

    @property
    def degree_order(self) -> tuple[int, int]:
        return parse_gravity_spec(self.gravity)

    @property
    def drag_coefficient_m2_kg(self) -> float:
        """``Cd A / m`` (m^2/kg); zero when drag is off."""
        return 0.0 if self.drag == "none" else self.cd * self.area_m2 / self.mass_kg

    @property
    def srp_coefficient_m2_kg(self) -> float:
        """``Cr A / m`` (m^2/kg); zero when SRP is off."""
        if not self.srp:
            return 0.0
        area = self.area_m2 if self.srp_area_m2 is None else self.srp_area_m2
        return self.cr * area / self.mass_kg


# ------------------------------------------------------------------------------------------
# Compiled kernels. The model is three flat arrays built by :func:`pack_model`:
#   F (float64): scalars at the F_* indices, then every table (row-major) at offsets in I;
#   I (int64): flags, sizes and table offsets at the I_* indices;
#   W (float64): scratch (and the V/W work arrays of the harmonics recursion).
# Passing three arrays (rather than a tuple of ~30 items) keeps each compiled call cheap without
# forcing numba to inline everything (which made the first compilation minutes long). Nothing
# here allocates: the right-hand side runs millions of times per propagation.
# ------------------------------------------------------------------------------------------

(F_EO_T0, F_EO_H, F_ERA0, F_DUT0, F_MU, F_RADIUS, F_TB_T0, F_TB_H, F_GM_SUN, F_GM_MOON,
 F_RHO_T0, F_RHO_H, F_DRAG, F_SRP, F_POLE_T0, F_POLE_H) = range(16)
F_SCALARS = 16
(I_MODE, I_NMAX, I_MMAX, I_EARTH, I_EO_N, I_EO_Q, I_EO_W, I_EO_D, I_TB_N, I_SUN, I_MOON,
 I_RHO_N, I_RHO, I_POLE_N, I_POLE, I_C, I_S, I_RHO_COLS) = range(18)
I_SIZE = 18
#: Columns of a drag table sampled along a reference trajectory (see :func:`pack_model`).
RHO_REF_COLS = 10

# Offsets in the scratch array W.
_W_Q, _W_W, _W_D, _W_ROT, _W_SUN, _W_MOON, _W_RBF, _W_ABF, _W_RHO = 0, 9, 18, 19, 28, 31, 34, \
    37, 40  # _W_RHO: up to RHO_REF_COLS values (40..49)
_W_VW = 64
WORK_SIZE = 64


def pack_model(*, mode: int, n_max: int, m_max: int, mu: float, radius: float, c: np.ndarray,
               s: np.ndarray, earth: bool, eo: tuple, tb: tuple, gm_sun: float, gm_moon: float,
               rho: tuple, drag: float, srp: float, pole: tuple
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flatten a force model into ``(F, I, W)`` for :func:`acceleration_into`.

    ``eo = (t0, h, q (n,9), w (n,9), dut (n,), era0, dut0)``; ``tb = (t0, h, sun (n,3),
    moon (n,3))``; ``rho = (t0, h, log_rho (n,))`` or ``(t0, h, table (n, RHO_REF_COLS))``;
    ``pole = (t0, h, pole (n,3))``.

    A drag table of :data:`RHO_REF_COLS` columns holds, at each node, ``ln rho`` (MSIS at a
    reference trajectory's position), ``d ln rho/dh`` (1/m), ``d ln rho/dt`` along that
    trajectory (1/s), the reference's geocentric distance (m), GCRF position (m) and
    velocity (m/s). The right-hand
    side then takes the density at its own position to first order: ``ln rho + (d ln rho/dh)
    dh + (d ln rho/dt) ds/|v|`` with ``dh`` and ``ds`` the radial and along-track offsets from
    the reference, so that a reference a few hundred metres off gives the density at the true
    position to ~1e-6 (second-order terms).
    """
    scalars = np.zeros(F_SCALARS)
    ints = np.zeros(I_SIZE, dtype=np.int64)
    chunks = [scalars]
    size = F_SCALARS

    def add(arr) -> int:
        nonlocal size
        flat = np.ascontiguousarray(arr, dtype=float).ravel()
        chunks.append(flat)
        off = size
        size += flat.size
        return off

    ints[I_MODE], ints[I_NMAX], ints[I_MMAX], ints[I_EARTH] = mode, n_max, m_max, int(earth)
    scalars[F_EO_T0], scalars[F_EO_H] = eo[0], eo[1]
    ints[I_EO_N] = len(eo[2])
    ints[I_EO_Q], ints[I_EO_W], ints[I_EO_D] = add(eo[2]), add(eo[3]), add(eo[4])
    scalars[F_ERA0], scalars[F_DUT0] = eo[5], eo[6]
    scalars[F_MU], scalars[F_RADIUS] = mu, radius
    ints[I_C], ints[I_S] = add(c), add(s)
    scalars[F_TB_T0], scalars[F_TB_H] = tb[0], tb[1]
    ints[I_TB_N] = len(tb[2])
    ints[I_SUN], ints[I_MOON] = add(tb[2]), add(tb[3])
    scalars[F_GM_SUN], scalars[F_GM_MOON] = gm_sun, gm_moon
    scalars[F_RHO_T0], scalars[F_RHO_H] = rho[0], rho[1]
    rho_table = np.asarray(rho[2], dtype=float)
    ints[I_RHO_N] = len(rho_table)
    ints[I_RHO_COLS] = 1 if rho_table.ndim == 1 else rho_table.shape[1]
    ints[I_RHO] = add(rho_table)
    scalars[F_DRAG], scalars[F_SRP] = drag, srp
    scalars[F_POLE_T0], scalars[F_POLE_H] = pole[0], pole[1]
    ints[I_POLE_N] = len(pole[2])
    ints[I_POLE] = add(pole[2])
    work = np.zeros(_W_VW + 2 * (n_max + 3) * (n_max + 3))
    return np.concatenate(chunks), ints, work


@njit(cache=True)
def _lagrange_coef(nrows, t0, h, x):
    """First row ``i`` and weights ``c0..c3`` of the 4-point Lagrange interpolation at ``x``
    of a table of ``nrows`` rows sampled at ``t0 + i h``."""
    u = (x - t0) / h
    i = int(math.floor(u)) - 1
    if i < 0:
        i = 0
    elif i > nrows - 4:
        i = nrows - 4
    p = u - i
    c0 = -(p - 1.0) * (p - 2.0) * (p - 3.0) / 6.0
    c1 = p * (p - 2.0) * (p - 3.0) / 2.0
    c2 = -p * (p - 1.0) * (p - 3.0) / 2.0
    c3 = p * (p - 1.0) * (p - 2.0) / 6.0
    return i, c0, c1, c2, c3


@njit(cache=True)
def _lagrange_rows(f, off, ncols, i, c0, c1, c2, c3, out, out_off):
    """Rows ``i..i+3`` of the (nrows, ncols) table at ``f[off:]`` weighted by ``c0..c3`` into
    ``out[out_off:out_off+ncols]`` (weights from :func:`_lagrange_coef`)."""
    base = off + i * ncols
    for k in range(ncols):
        out[out_off + k] = (c0 * f[base + k] + c1 * f[base + ncols + k]
                            + c2 * f[base + 2 * ncols + k] + c3 * f[base + 3 * ncols + k])


@njit(cache=True)
def _lagrange_into(f, off, ncols, nrows, t0, h, x, out, out_off):
    """4-point Lagrange interpolation of the (nrows, ncols) table at ``f[off:]`` (sampled at
    ``t0 + i h``) at ``x``, into ``out[out_off:out_off+ncols]``."""
    i, c0, c1, c2, c3 = _lagrange_coef(nrows, t0, h, x)
    _lagrange_rows(f, off, ncols, i, c0, c1, c2, c3, out, out_off)


@njit(cache=True)
def _earth_matrix_into(x, f, ii, work):
    """GCRF->ITRF matrix at TT seconds ``x`` into ``work[_W_ROT:_W_ROT+9]`` (row-major)."""
    # The three tables share one grid: one set of interpolation weights.
    i, c0, c1, c2, c3 = _lagrange_coef(ii[I_EO_N], f[F_EO_T0], f[F_EO_H], x)
    _lagrange_rows(f, ii[I_EO_Q], 9, i, c0, c1, c2, c3, work, _W_Q)
    _lagrange_rows(f, ii[I_EO_W], 9, i, c0, c1, c2, c3, work, _W_W)
    _lagrange_rows(f, ii[I_EO_D], 1, i, c0, c1, c2, c3, work, _W_D)
    era = f[F_ERA0] + OMEGA_EARTH_RAD_S * (x + work[_W_D] - f[F_DUT0])
    ce = math.cos(era)
    se = math.sin(era)
    for j in range(3):
        m0 = ce * work[_W_Q + j] + se * work[_W_Q + 3 + j]
        m1 = -se * work[_W_Q + j] + ce * work[_W_Q + 3 + j]
        m2 = work[_W_Q + 6 + j]
        for i in range(3):
            work[_W_ROT + 3 * i + j] = (work[_W_W + 3 * i] * m0 + work[_W_W + 3 * i + 1] * m1
                                        + work[_W_W + 3 * i + 2] * m2)


def earth_matrix(x: float, model: tuple) -> np.ndarray:
    """GCRF->ITRF matrix (3,3) at TT seconds ``x`` from a packed model (for tests)."""
    f, ii, _ = model
    work = np.zeros(WORK_SIZE)
    _earth_matrix_into(float(x), f, ii, work)
    return work[_W_ROT:_W_ROT + 9].reshape(3, 3).copy()


@njit(cache=True)
def lit_fraction(r, r_sun, sun_radius, earth_radius):
    """Visible fraction of the solar disc (0 umbra .. 1 full Sun) at ``r`` (conical shadow)."""
    sx = r_sun[0] - r[0]
    sy = r_sun[1] - r[1]
    sz = r_sun[2] - r[2]
    ds = math.sqrt(sx * sx + sy * sy + sz * sz)
    de = math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2])
    a_s = math.asin(min(1.0, sun_radius / ds))
    a_e = math.asin(min(1.0, earth_radius / de))
    cos_t = -(sx * r[0] + sy * r[1] + sz * r[2]) / (ds * de)
    theta = math.acos(max(-1.0, min(1.0, cos_t)))
    if theta >= a_s + a_e:
        return 1.0
    if theta <= a_e - a_s:
        return 0.0
    if theta <= a_s - a_e:
        return 1.0 - (a_e * a_e) / (a_s * a_s)
    # Partial overlap of two discs (radii a_s, a_e, centre distance theta).
    x = (theta * theta + a_s * a_s - a_e * a_e) / (2.0 * theta)
    y = math.sqrt(max(0.0, a_s * a_s - x * x))
    area = (a_s * a_s * math.acos(max(-1.0, min(1.0, x / a_s)))
            + a_e * a_e * math.acos(max(-1.0, min(1.0, (theta - x) / a_e))) - theta * y)
    return 1.0 - area / (math.pi * a_s * a_s)


@njit(cache=True)
def _third_body(r, s, off, gm, out):
    dx = s[off] - r[0]
    dy = s[off + 1] - r[1]
    dz = s[off + 2] - r[2]
    d2 = dx * dx + dy * dy + dz * dz
    d3 = d2 * math.sqrt(d2)
    s2 = s[off] * s[off] + s[off + 1] * s[off + 1] + s[off + 2] * s[off + 2]
    s3 = s2 * math.sqrt(s2)
    out[0] += gm * (dx / d3 - s[off] / s3)
    out[1] += gm * (dy / d3 - s[off + 1] / s3)
    out[2] += gm * (dz / d3 - s[off + 2] / s3)


@njit(cache=True)
def acceleration_into(x, y, f, ii, work, out):
    """Total acceleration (m/s^2, GCRF) at TT seconds ``x`` for GCRF state ``y`` into
    ``out[0:3]``; ``(f, ii, work)`` from :func:`pack_model`."""
    r0 = y[0]
    r1 = y[1]
    r2 = y[2]
    rn2 = r0 * r0 + r1 * r1 + r2 * r2
    rn = math.sqrt(rn2)
    out[0] = 0.0
    out[1] = 0.0
    out[2] = 0.0
    mode = ii[I_MODE]
    drag = f[F_DRAG]
    if ii[I_EARTH] != 0:
        _earth_matrix_into(x, f, ii, work)
    elif mode == 1 or drag != 0.0:
        _lagrange_into(f, ii[I_POLE], 3, ii[I_POLE_N], f[F_POLE_T0], f[F_POLE_H], x, work,
                       _W_ROT + 6)
    if mode == 2:
        q0 = work[_W_ROT] * r0 + work[_W_ROT + 1] * r1 + work[_W_ROT + 2] * r2
        q1 = work[_W_ROT + 3] * r0 + work[_W_ROT + 4] * r1 + work[_W_ROT + 5] * r2
        q2 = work[_W_ROT + 6] * r0 + work[_W_ROT + 7] * r1 + work[_W_ROT + 8] * r2
        n = ii[I_NMAX]
        kv = n + 3
        a0, a1, a2 = harmonic_flat(q0, q1, q2, f[F_MU], f[F_RADIUS], f, ii[I_C], f, ii[I_S],
                                   n + 1, n, ii[I_MMAX], work, _W_VW, _W_VW + kv * kv, kv)
        for i in range(3):
            out[i] += (work[_W_ROT + i] * a0 + work[_W_ROT + 3 + i] * a1
                       + work[_W_ROT + 6 + i] * a2)
    else:
        kk = -f[F_MU] / (rn2 * rn)
        out[0] += kk * r0
        out[1] += kk * r1
        out[2] += kk * r2
        if mode == 1:
            # Closed-form J2 about the ITRF pole p (third row of GCRF->ITRF).
            p0 = work[_W_ROT + 6]
            p1 = work[_W_ROT + 7]
            p2 = work[_W_ROT + 8]
            z = p0 * r0 + p1 * r1 + p2 * r2
            j2 = -f[ii[I_C] + 2 * (ii[I_NMAX] + 1)]
            rad = f[F_RADIUS]
            g0 = -1.5 * j2 * f[F_MU] * rad * rad / (rn2 * rn2 * rn)
            g = 1.0 - 5.0 * z * z / rn2
            out[0] += g0 * (g * r0 + 2.0 * z * p0)
            out[1] += g0 * (g * r1 + 2.0 * z * p1)
            out[2] += g0 * (g * r2 + 2.0 * z * p2)
    gm_sun = f[F_GM_SUN]
    srp = f[F_SRP]
    gm_moon = f[F_GM_MOON]
    if gm_sun != 0.0 or srp != 0.0 or gm_moon != 0.0:
        # Sun and Moon share one grid: one set of interpolation weights.
        i, c0, c1, c2, c3 = _lagrange_coef(ii[I_TB_N], f[F_TB_T0], f[F_TB_H], x)
        if gm_sun != 0.0 or srp != 0.0:
            _lagrange_rows(f, ii[I_SUN], 3, i, c0, c1, c2, c3, work, _W_SUN)
        if gm_sun != 0.0:
            _third_body(y, work, _W_SUN, gm_sun, out)
        if gm_moon != 0.0:
            _lagrange_rows(f, ii[I_MOON], 3, i, c0, c1, c2, c3, work, _W_MOON)
            _third_body(y, work, _W_MOON, gm_moon, out)
    if drag != 0.0:
        ncols = ii[I_RHO_COLS]
        _lagrange_into(f, ii[I_RHO], ncols, ii[I_RHO_N], f[F_RHO_T0], f[F_RHO_H], x, work,
                       _W_RHO)
        log_rho = work[_W_RHO]
        if ncols == RHO_REF_COLS:
            # First-order move from the reference position to this one: time along the
            # reference, then height (d = dt v + dh r_hat + cross-track). The height is taken
            # from the radius column (a slowly varying, accurately interpolated value), not
            # from the interpolated position, whose 4-point interpolation error (~0.2 m,
            # always of the same sign) would bias the density by ~4e-6.
            q = _W_RHO + 4
            d0 = r0 - work[q]
            d1 = r1 - work[q + 1]
            d2 = r2 - work[q + 2]
            rr = math.sqrt(work[q] ** 2 + work[q + 1] ** 2 + work[q + 2] ** 2)
            v2 = work[q + 3] ** 2 + work[q + 4] ** 2 + work[q + 5] ** 2
            vr = (work[q] * work[q + 3] + work[q + 1] * work[q + 4]
                  + work[q + 2] * work[q + 5]) / rr
            dr = (d0 * work[q] + d1 * work[q + 1] + d2 * work[q + 2]) / rr
            dv = d0 * work[q + 3] + d1 * work[q + 4] + d2 * work[q + 5]
            dt = (dv - dr * vr) / (v2 - vr * vr)
            dh = rn - work[_W_RHO + 3] - dt * vr
            log_rho += work[_W_RHO + 1] * dh + work[_W_RHO + 2] * dt
        rho = math.exp(log_rho)
        # Earth's spin axis in GCRF: third row of GCRF->ITRF.
        wx = OMEGA_EARTH_RAD_S * work[_W_ROT + 6]
        wy = OMEGA_EARTH_RAD_S * work[_W_ROT + 7]
        wz = OMEGA_EARTH_RAD_S * work[_W_ROT + 8]
        vx = y[3] - (wy * r2 - wz * r1)
        vy = y[4] - (wz * r0 - wx * r2)
        vz = y[5] - (wx * r1 - wy * r0)
        vr = math.sqrt(vx * vx + vy * vy + vz * vz)
        kk = -drag * rho * vr
        out[0] += kk * vx
        out[1] += kk * vy
        out[2] += kk * vz
    if srp != 0.0:
        nu = lit_fraction(y, work[_W_SUN:_W_SUN + 3], SUN_RADIUS_M, EARTH_SHADOW_RADIUS_M)
        if nu > 0.0:
            dx = r0 - work[_W_SUN]
            dy = r1 - work[_W_SUN + 1]
            dz = r2 - work[_W_SUN + 2]
            d = math.sqrt(dx * dx + dy * dy + dz * dz)
            kk = srp * nu * (AU_M / d) ** 2 / d
            out[0] += kk * dx
            out[1] += kk * dy
            out[2] += kk * dz


def acceleration(x: float, y, model: tuple) -> np.ndarray:
    """Total acceleration (3,) m/s^2 in GCRF at TT seconds ``x`` for GCRF state ``y`` (6,);
    ``model`` = ``(F, I, W)`` from :func:`pack_model`."""
    out = np.empty(3)
    f, ii, work = model
    acceleration_into(float(x), np.asarray(y, dtype=float), f, ii, work, out)
    return out
