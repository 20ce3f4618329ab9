"""Earth's shadow: cylindrical and conical (umbra/penumbra) models, eclipse intervals, beta angle.

Geometry (all positions GCRF, metres, Earth-centred):

``conical`` (default)
    Seen from the satellite, the Sun is a disc of angular radius ``a = asin(R_sun / |s - r|)``
    and the Earth a disc of angular radius ``b = asin(R_earth / |r|)``, their centres ``c``
    apart. Umbra: ``c <= b - a`` (Sun fully hidden); penumbra: ``b - a < c < b + a``; sunlit
    otherwise. The hidden fraction of the solar disc is the overlap area of the two discs
    over the Sun's disc area (Montenbruck & Gill, *Satellite Orbits*, sec. 3.4.2, uniform
    disc, no limb darkening, no atmosphere). This is also Orekit's ``EclipseDetector``
    criterion, so entry/exit times compare one to one.
``cylindrical``
    Shadow is the cylinder of radius ``R_earth`` behind the Earth along the Sun direction
    (no penumbra): hidden fraction 1 inside, 0 outside.

``oblate=True`` replaces the sphere by the WGS84 ellipsoid by stretching the z coordinates of
the satellite and Sun by ``1 / (1 - f)`` (which maps the ellipsoid onto a sphere of the
equatorial radius), taking the GCRF z axis as the Earth's axis (the true pole is within
0.5 deg of it for 2000-2050). This changes polar-orbit shadow boundaries by up to ~21 km of
Earth radius, i.e. a few seconds of eclipse time.

Eclipse intervals are found with :func:`rossim.search.find_intervals` from a trajectory
callback (``Time -> (N, 3)`` GCRF positions), so any propagator, interpolated ephemeris or
analytic orbit can be used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from astropy.time import Time

from rossim.constants import FLATTENING, R_EQ_M
from rossim.environment.ephemeris import SUN_RADIUS_M, sun_position_gcrf
from rossim.errors import InputError
from rossim.search import find_intervals
from rossim.time import to_time

__all__ = [
    "EARTH_RADIUS_M",
    "WGS84_FLATTENING",
    "Intervals",
    "shadow_fraction",
    "illumination",
    "shadow_state",
    "eclipse_intervals",
    "beta_angle_deg",
]

#: Default Earth radius for the shadow: WGS84 equatorial radius, m (rossim.constants).
EARTH_RADIUS_M = R_EQ_M
#: WGS84 flattening (for ``oblate=True``).
WGS84_FLATTENING = FLATTENING

Trajectory = Callable[[Time], np.ndarray]
SunFunction = Callable[[Time], np.ndarray]

SUNLIT, PENUMBRA, UMBRA = 0, 1, 2


class Intervals(NamedTuple):
    """Spans of a state: ``begin``/``end`` epochs; ``*_clipped`` where the span was cut by the
    search window (already in the state at its start, or still in it at its end)."""

    begin: Time
    end: Time
    begin_clipped: np.ndarray
    end_clipped: np.ndarray

    @property
    def duration_s(self) -> np.ndarray:
        """Duration of each span, s."""
        if len(self.begin_clipped) == 0:
            return np.empty(0)
        return np.atleast_1d((self.end - self.begin).to_value("s"))


def _vectors(r_sat: Any, r_sun: Any, oblate: bool) -> tuple[np.ndarray, np.ndarray]:
    r = np.atleast_2d(np.asarray(r_sat, dtype=float))
    s = np.atleast_2d(np.asarray(r_sun, dtype=float))
    if r.shape[-1] != 3 or s.shape[-1] != 3:
        raise InputError(None, "r_sat/r_sun", (r.shape, s.shape), "arrays of shape (N, 3) in m")
    r, s = np.broadcast_arrays(r, s)
    if oblate:
        stretch = np.array([1.0, 1.0, 1.0 / (1.0 - WGS84_FLATTENING)])
        r = r * stretch
        s = s * stretch
    return r, s


def _angles(r_sat: Any, r_sun: Any, earth_radius_m: float, sun_radius_m: float,
            oblate: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, c): apparent radii of Sun and Earth and their separation, rad."""
    r, s = _vectors(r_sat, r_sun, oblate)
    to_sun = s - r
    d_sun = np.linalg.norm(to_sun, axis=1)
    d_earth = np.linalg.norm(r, axis=1)
    a = np.arcsin(np.clip(sun_radius_m / d_sun, -1.0, 1.0))
    b = np.arcsin(np.clip(earth_radius_m / d_earth, -1.0, 1.0))
    cos_c = -np.einsum("ij,ij->i", to_sun, r) / (d_sun * d_earth)
    # arctan2 form of the angle keeps precision near 0 and pi (acos loses it there).
    sin_c = np.linalg.norm(np.cross(to_sun, -r), axis=1) / (d_sun * d_earth)
    c = np.arctan2(sin_c, cos_c)
    return a, b, c


def _disc_overlap_fraction(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Fraction of a disc of radius a hidden by a disc of radius b, centres c apart."""
    frac = np.zeros_like(c)
    full = c <= b - a
    frac[full] = 1.0
    # Occulting disc smaller than the Sun and fully inside it (annular case).
    annular = (c <= a - b) & ~full
    frac[annular] = (b[annular] / a[annular]) ** 2
    part = (c < a + b) & ~full & ~annular
    if np.any(part):
        aa, bb, cc = a[part], b[part], c[part]
        # x: distance from the Sun's centre to the common chord; y: half the chord. Both
        # circular segments use the same y (atan2 angles): with b >> a in LEO, acos forms
        # amplify round-off near tangency into 1e-4 of the fraction.
        x = (cc - bb) * (cc + bb) / (2.0 * cc) + aa**2 / (2.0 * cc)
        y = np.sqrt(np.maximum(aa**2 - x**2, 0.0))
        d2 = cc - x
        area = (aa**2 * np.arctan2(y, x) - x * y) + (bb**2 * np.arctan2(y, d2) - d2 * y)
        frac[part] = area / (np.pi * aa**2)
    return frac


def shadow_fraction(r_sat_gcrf: Any, r_sun_gcrf: Any, model: str = "conical", *,
                    earth_radius_m: float = EARTH_RADIUS_M, sun_radius_m: float = SUN_RADIUS_M,
                    oblate: bool = False) -> np.ndarray:
    """Fraction of the solar disc hidden by the Earth: 0 sunlit, 1 umbra, (N,).

    ``r_sat_gcrf`` and ``r_sun_gcrf`` are Earth-centred GCRF positions in m, shapes (N, 3) or
    (3,) (broadcast). ``model``: ``"conical"`` or ``"cylindrical"`` (see the module docstring).
    """
    if model == "conical":
        a, b, c = _angles(r_sat_gcrf, r_sun_gcrf, earth_radius_m, sun_radius_m, oblate)
        return _disc_overlap_fraction(a, b, c)
    if model == "cylindrical":
        r, s = _vectors(r_sat_gcrf, r_sun_gcrf, oblate)
        u = s / np.linalg.norm(s, axis=1)[:, None]
        along = np.einsum("ij,ij->i", r, u)
        perp = np.linalg.norm(r - along[:, None] * u, axis=1)
        return ((along < 0.0) & (perp < earth_radius_m)).astype(float)
    raise InputError(None, "model", model, '"conical" or "cylindrical"')


def illumination(r_sat_gcrf: Any, r_sun_gcrf: Any, model: str = "conical", **kwargs: Any
                 ) -> np.ndarray:
    """Sunlit fraction of the solar disc, ``1 - shadow_fraction`` (1 full Sun, 0 umbra)."""
    return 1.0 - shadow_fraction(r_sat_gcrf, r_sun_gcrf, model, **kwargs)


def shadow_state(r_sat_gcrf: Any, r_sun_gcrf: Any, model: str = "conical", *,
                 earth_radius_m: float = EARTH_RADIUS_M, sun_radius_m: float = SUN_RADIUS_M,
                 oblate: bool = False) -> np.ndarray:
    """0 sunlit, 1 penumbra, 2 umbra (int array, (N,)); the cylindrical model has no 1."""
    if model == "cylindrical":
        f = shadow_fraction(r_sat_gcrf, r_sun_gcrf, "cylindrical",
                            earth_radius_m=earth_radius_m, oblate=oblate)
        return np.where(f > 0.5, UMBRA, SUNLIT).astype(np.int8)
    if model != "conical":
        raise InputError(None, "model", model, '"conical" or "cylindrical"')
    a, b, c = _angles(r_sat_gcrf, r_sun_gcrf, earth_radius_m, sun_radius_m, oblate)
    state = np.full(c.shape, SUNLIT, dtype=np.int8)
    state[c < b + a] = PENUMBRA
    state[c <= b - a] = UMBRA
    return state


#: Epochs per chunk of the eclipse search's grid (:func:`eclipse_intervals`).
_CHUNK = 100_000


def eclipse_intervals(trajectory: Trajectory, start: Any, end: Any, *, shadow: str = "umbra",
                      model: str = "conical", step_s: float = 30.0, tol_s: float = 0.01,
                      earth_radius_m: float = EARTH_RADIUS_M, sun_radius_m: float = SUN_RADIUS_M,
                      oblate: bool = False, sun: SunFunction | None = None) -> Intervals:
    """Eclipse spans of a trajectory between ``start`` and ``end``.

    Parameters
    ----------
    trajectory:
        ``Time`` array -> (N, 3) satellite positions, GCRF, m.
    shadow:
        ``"umbra"`` (Sun fully hidden) or ``"penumbra"`` (any part hidden, which contains the
        umbra). Ignored for the cylindrical model (one shadow).
    step_s:
        Search grid step, s (30 s sees every LEO eclipse; penumbra passages last ~8 s but
        are always attached to an umbra, so the penumbra span is never shorter than that).
    tol_s:
        Entry/exit times are refined to within ``tol_s / 2`` s.
    sun:
        ``Time`` array -> (N, 3) Sun positions, GCRF, m; default DE421
        (:func:`rossim.environment.ephemeris.sun_position_gcrf`).
    """
    if shadow not in ("umbra", "penumbra"):
        raise InputError(None, "shadow", shadow, '"umbra" or "penumbra"')
    sun_fn = sun_position_gcrf if sun is None else sun
    level = UMBRA if (shadow == "umbra" or model == "cylindrical") else PENUMBRA

    def in_shadow(t: Time) -> np.ndarray:
        # in chunks: a year's grid at 30 s is a million epochs, and each needs several (N, 3)
        # temporaries (positions, the Sun, the shadow geometry); memory stays flat
        out = np.empty(len(t), dtype=bool)
        for i in range(0, len(t), _CHUNK):
            ti = t[i:i + _CHUNK]
            r = np.asarray(trajectory(ti), dtype=float).reshape(-1, 3)
            st = shadow_state(r, sun_fn(ti), model, earth_radius_m=earth_radius_m,
                              sun_radius_m=sun_radius_m, oblate=oblate)
            out[i:i + _CHUNK] = st >= level
        return out

    begin, end_, bc, ec = find_intervals(in_shadow, start, end, step_s, tol_s)
    return Intervals(begin, end_, bc, ec)


def beta_angle_deg(r_gcrf: Any, v_gcrf: Any, t: Any, sun: SunFunction | None = None
                   ) -> np.ndarray:
    """Beta angle (deg): elevation of the Sun above the orbit plane, (N,).

    Positive when the Sun is on the side of the orbit normal ``h = r x v``; ``r_gcrf`` (m) and
    ``v_gcrf`` (m/s) are GCRF, shape (N, 3) or (3,); ``t`` the epochs (N or 1).
    """
    r = np.atleast_2d(np.asarray(r_gcrf, dtype=float))
    v = np.atleast_2d(np.asarray(v_gcrf, dtype=float))
    if r.shape[-1] != 3 or v.shape[-1] != 3:
        raise InputError(None, "r_gcrf/v_gcrf", (r.shape, v.shape), "arrays of shape (N, 3)")
    tt = to_time(t)
    s = np.atleast_2d((sun_position_gcrf if sun is None else sun)(tt))
    h = np.cross(r, v)
    h /= np.linalg.norm(h, axis=1)[:, None]
    s = s / np.linalg.norm(s, axis=1)[:, None]
    h, s = np.broadcast_arrays(h, s)
    # atan2 keeps full precision near +-90 deg, where asin of the dot product does not.
    return np.degrees(np.arctan2(np.einsum("ij,ij->i", h, s),
                                 np.linalg.norm(np.cross(h, s), axis=1)))
