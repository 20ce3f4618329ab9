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

from rossim.dynamics.gravity import harmonic_acceleration, parse_gravity_spec
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
EARTH_SHADOW_RADIUS_M = 6378137.0
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
    area). third_body: any of ``("sun", "moon")``.
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
            raise InputError("argument", "--drag", self.drag, "one of " + ", ".join(DRAG_MODELS))
        object.__setattr__(self, "drag", str(self.drag).lower())
        _positive("--mass", self.mass_kg)
        _positive("--cd", self.cd, allow_zero=True)
        _positive("--area", self.area_m2, allow_zero=True)
        _positive("--cr", self.cr, allow_zero=True)
        if self.srp_area_m2 is not None:
            _positive("--srp-area", self.srp_area_m2, allow_zero=True)
        bodies = tuple(str(b).strip().lower() for b in self.third_body if str(b).strip())
        for b in bodies:
            if b not in THIRD_BODIES:
                raise InputError("argument", "--third-body", b, "sun and/or moon")
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
# Compiled kernels. ``params`` is the tuple built by ``rossim.dynamics.propagator``:
#  0 eo_t0, 1 eo_h, 2 eo_q (n,9), 3 eo_w (n,9), 4 eo_dut (n,1), 5 era0, 6 dut0,
#  7 mu, 8 radius, 9 c, 10 s, 11 n_max, 12 m_max, 13 vw work,
#  14 gravity mode (0 point mass, 1 J2 closed form, 2 harmonics),
#  15 tb_t0, 16 tb_h, 17 sun (n,3), 18 moon (n,3), 19 gm_sun, 20 gm_moon,
#  21 rho_t0, 22 rho_h, 23 log_rho (n,1), 24 drag 1/2 Cd A/m, 25 srp P0 Cr A/m,
#  26 need_earth_matrix (0/1), 27 work (64,) scratch,
#  28 pole_t0, 29 pole_h, 30 pole (n,3): the ITRF pole in GCRF (J2 and drag without harmonics)
# Nothing here allocates: the right-hand side runs millions of times per propagation.
# ------------------------------------------------------------------------------------------

# Offsets in the scratch array.
_W_Q, _W_W, _W_D, _W_ROT, _W_SUN, _W_MOON, _W_RBF, _W_ABF, _W_RHO = 0, 9, 18, 19, 28, 31, 34, \
    37, 40
WORK_SIZE = 64


@njit(cache=True, inline="always")
def _lagrange_into(table, t0, h, x, out, off):
    """4-point Lagrange interpolation of ``table`` rows at ``x`` into ``out[off:off+k]``."""
    n = table.shape[0]
    u = (x - t0) / h
    i = int(math.floor(u)) - 1
    if i < 0:
        i = 0
    elif i > n - 4:
        i = n - 4
    p = u - i
    c0 = -(p - 1.0) * (p - 2.0) * (p - 3.0) / 6.0
    c1 = p * (p - 2.0) * (p - 3.0) / 2.0
    c2 = -p * (p - 1.0) * (p - 3.0) / 2.0
    c3 = p * (p - 1.0) * (p - 2.0) / 6.0
    for k in range(table.shape[1]):
        out[off + k] = (c0 * table[i, k] + c1 * table[i + 1, k] + c2 * table[i + 2, k]
                        + c3 * table[i + 3, k])


@njit(cache=True, inline="always")
def _earth_matrix_into(x, params, work):
    """GCRF->ITRF matrix at TT seconds ``x`` into ``work[_W_ROT:_W_ROT+9]`` (row-major)."""
    _lagrange_into(params[2], params[0], params[1], x, work, _W_Q)
    _lagrange_into(params[3], params[0], params[1], x, work, _W_W)
    _lagrange_into(params[4], params[0], params[1], x, work, _W_D)
    era = params[5] + OMEGA_EARTH_RAD_S * (x + work[_W_D] - params[6])
    ce = math.cos(era)
    se = math.sin(era)
    for j in range(3):
        m0 = ce * work[_W_Q + j] + se * work[_W_Q + 3 + j]
        m1 = -se * work[_W_Q + j] + ce * work[_W_Q + 3 + j]
        m2 = work[_W_Q + 6 + j]
        for i in range(3):
            work[_W_ROT + 3 * i + j] = (work[_W_W + 3 * i] * m0 + work[_W_W + 3 * i + 1] * m1
                                        + work[_W_W + 3 * i + 2] * m2)


@njit(cache=True)
def earth_matrix(x, params):
    """GCRF->ITRF matrix (3,3) at TT seconds ``x`` (allocates; for tests and callers)."""
    work = np.empty(WORK_SIZE)
    _earth_matrix_into(x, params, work)
    return work[_W_ROT:_W_ROT + 9].copy().reshape(3, 3)


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


@njit(cache=True, inline="always")
def _third_body(r, s, off, gm, out):
    dx = s[off] - r[0]
    dy = s[off + 1] - r[1]
    dz = s[off + 2] - r[2]
    d3 = (dx * dx + dy * dy + dz * dz) ** 1.5
    s3 = (s[off] * s[off] + s[off + 1] * s[off + 1] + s[off + 2] * s[off + 2]) ** 1.5
    out[0] += gm * (dx / d3 - s[off] / s3)
    out[1] += gm * (dy / d3 - s[off + 1] / s3)
    out[2] += gm * (dz / d3 - s[off + 2] / s3)


@njit(cache=True, inline="always")
def acceleration_into(x, y, params, out):
    """Total acceleration (m/s^2, GCRF) at TT seconds ``x`` for state ``y`` into ``out[0:3]``."""
    work = params[27]
    r0 = y[0]
    r1 = y[1]
    r2 = y[2]
    rn2 = r0 * r0 + r1 * r1 + r2 * r2
    rn = math.sqrt(rn2)
    out[0] = 0.0
    out[1] = 0.0
    out[2] = 0.0
    mode = params[14]
    if params[26]:
        _earth_matrix_into(x, params, work)
    elif mode == 1 or params[24] != 0.0:
        _lagrange_into(params[30], params[28], params[29], x, work, _W_ROT + 6)
    if mode == 2:
        for i in range(3):
            work[_W_RBF + i] = (work[_W_ROT + 3 * i] * r0 + work[_W_ROT + 3 * i + 1] * r1
                                + work[_W_ROT + 3 * i + 2] * r2)
        harmonic_acceleration(work[_W_RBF:_W_RBF + 3], params[7], params[8], params[9],
                              params[10], params[11], params[12], params[13],
                              work[_W_ABF:_W_ABF + 3])
        for i in range(3):
            out[i] += (work[_W_ROT + i] * work[_W_ABF] + work[_W_ROT + 3 + i] * work[_W_ABF + 1]
                       + work[_W_ROT + 6 + i] * work[_W_ABF + 2])
    else:
        k = -params[7] / (rn2 * rn)
        out[0] += k * r0
        out[1] += k * r1
        out[2] += k * r2
        if mode == 1:
            # Closed-form J2 about the ITRF pole p (third row of GCRF->ITRF).
            p0 = work[_W_ROT + 6]
            p1 = work[_W_ROT + 7]
            p2 = work[_W_ROT + 8]
            z = p0 * r0 + p1 * r1 + p2 * r2
            j2 = -params[9][2, 0]
            f = -1.5 * j2 * params[7] * params[8] * params[8] / (rn2 * rn2 * rn)
            g = 1.0 - 5.0 * z * z / rn2
            out[0] += f * (g * r0 + 2.0 * z * p0)
            out[1] += f * (g * r1 + 2.0 * z * p1)
            out[2] += f * (g * r2 + 2.0 * z * p2)
    if params[19] != 0.0 or params[25] != 0.0:
        _lagrange_into(params[17], params[15], params[16], x, work, _W_SUN)
    if params[19] != 0.0:
        _third_body(y, work, _W_SUN, params[19], out)
    if params[20] != 0.0:
        _lagrange_into(params[18], params[15], params[16], x, work, _W_MOON)
        _third_body(y, work, _W_MOON, params[20], out)
    if params[24] != 0.0:
        _lagrange_into(params[23], params[21], params[22], x, work, _W_RHO)
        rho = math.exp(work[_W_RHO])
        # Earth's spin axis in GCRF: third row of GCRF->ITRF.
        wx = OMEGA_EARTH_RAD_S * work[_W_ROT + 6]
        wy = OMEGA_EARTH_RAD_S * work[_W_ROT + 7]
        wz = OMEGA_EARTH_RAD_S * work[_W_ROT + 8]
        vx = y[3] - (wy * r2 - wz * r1)
        vy = y[4] - (wz * r0 - wx * r2)
        vz = y[5] - (wx * r1 - wy * r0)
        vr = math.sqrt(vx * vx + vy * vy + vz * vz)
        k = -params[24] * rho * vr
        out[0] += k * vx
        out[1] += k * vy
        out[2] += k * vz
    if params[25] != 0.0:
        nu = lit_fraction(y, work[_W_SUN:_W_SUN + 3], SUN_RADIUS_M, EARTH_SHADOW_RADIUS_M)
        if nu > 0.0:
            dx = r0 - work[_W_SUN]
            dy = r1 - work[_W_SUN + 1]
            dz = r2 - work[_W_SUN + 2]
            d = math.sqrt(dx * dx + dy * dy + dz * dz)
            k = params[25] * nu * (AU_M / d) ** 2 / d
            out[0] += k * dx
            out[1] += k * dy
            out[2] += k * dz


@njit(cache=True)
def acceleration(x, y, params):
    """Total acceleration (3,) m/s^2 in GCRF at TT seconds ``x`` for GCRF state ``y`` (6,)."""
    out = np.empty(3)
    acceleration_into(x, y, params, out)
    return out
