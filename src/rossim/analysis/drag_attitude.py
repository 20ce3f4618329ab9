"""The ISS's drag area as its Sun-tracking arrays turn: a function of the beta angle and of the
orbit phase, anchored on the NASA/JSC ephemeris headers (used by the drag validation,
:mod:`rossim.analysis.drag_validation`; docs/drag.md).

Geometry
    The ISS flies its XVV (LVLH) attitude: the truss along the orbit normal, the pressurised
    stack along the velocity. Its eight US solar array wings (two blankets each, 2,508 m^2
    together, ``boeing-iss-arrays``) and the iROSA blankets mounted on them since 2021 (about
    19 m x 6 m each, ``nasa-irosa``) track the Sun on two axes, the rotary joint of the truss
    (SARJ) and the gimbal of each mast (BGA), so that their normal ``n`` points at the Sun
    ``s``. A flat plate of area ``A`` presents ``A |n . u|`` to a flow along the unit relative
    velocity ``u`` (free-molecular flow; the drag coefficient stays the one of the rest of the
    station, per projected area). In eclipse the arrays fly Night Glider mode, edge-on to the
    flow (``wikipedia-night-glider``; NASA's biased tracking, ``nasa-iss-outpost-2018``), so
    their projection is 0 there. The instantaneous projection is therefore
    (:func:`array_projection`)::

        g(t) = |s(t) . u(t)|   in sunlight,   0 in the Earth's shadow (cylindrical).

    The Sun direction in the orbit frame has the component ``cos(beta) cos(phi)`` along the
    velocity, ``phi`` the orbit angle from the terminator; over a circular orbit of radius
    ``r`` with eclipse half-angle ``eps`` (``cos eps = sqrt(1 - (R/r)^2) / cos beta`` where the
    orbit enters the shadow, |beta| < asin(R/r)) the orbit mean is (:func:`orbit_mean_projection`)::

        <g> = cos(beta) (1 + cos eps) / pi       (2 cos(beta) / pi with no eclipse, or
                                                  tracking through the eclipse).

    At beta 0 and 420 km, Night Glider takes the arrays' mean drag to (1 + cos eps) / 2 = 0.67
    of full tracking, the "about 30 % less array drag" NASA reports (``wikipedia-night-glider``);
    at beta 60 deg the mean is 0.63 of that at beta 0.

Area of the time
    ``A(t) = A_body + A_arrays g(t)``. ``A_arrays`` is the legacy wings plus the iROSAs
    installed at that date (``rossim/data/iss/arrays.toml``). ``A_body`` (the modules, the truss,
    the radiators and the Russian segment's own arrays, held fixed) is not published; it is the
    anchor: the header's DRAG_AREA is JSC's one area for its whole ephemeris, so ``A_body =
    DRAG_AREA - A_arrays <g>_header``, ``<g>_header`` the time mean of ``g`` along the ISS's
    path over the ephemeris's useable span (computed from the element sets by
    :func:`rossim.analysis.drag_fit.anchor_projection`, kept in arrays.toml and recomputed by
    tests/analysis/test_drag_attitude.py). The configurations derived from the 2022 header
    (before Prichal, ``estimate``) keep its anchor. No parameter is fitted to decay data.

Along an interval the predicted loss is ``(Cd / m) (A_body I_1 + A_arrays I_g)`` with ``I_1``
the drag integral per unit ``Cd A / m`` and ``I_g`` the same integral weighted by ``g(t)``
(:func:`rossim.analysis.drag_fit.validate_history` computes both), so the effective area of the
interval is ``A_body + A_arrays I_g / I_1``: the density-weighted mean projection.

Not modelled: the arrays' own gimbal limits and parked or feathered modes of particular days
(not public), the radiators' rotation, shadowing of one array by another.

Errors: :class:`rossim.errors.InputError` for a configuration with no anchor or an anchor that
leaves a body area below zero.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from rossim.constants import R_EQ_M
from rossim.errors import InputError

__all__ = ["ArrayAnchor", "array_projection", "orbit_mean_projection", "anchors", "headers",
           "anchor_of", "array_area_m2", "body_area_m2", "effective_area_m2", "figures"]


def array_projection(jd: Any, r_m: Any, v_rel_m_s: Any, *, night_glider: bool = True
                     ) -> np.ndarray:
    """The Sun-tracking arrays' projection on the flow, ``|s . u|`` (0-1), (N,).

    ``jd`` (N,) UTC Julian dates; ``r_m`` (N, 3) positions and ``v_rel_m_s`` (N, 3) velocities
    relative to the co-rotating atmosphere, Earth-centred inertial (TEME taken for GCRF: the
    precession since J2000 is below 0.4 deg). With ``night_glider`` the projection is 0 in the
    Earth's (cylindrical) shadow."""
    from astropy.time import Time

    from rossim.environment.eclipse import shadow_fraction
    from rossim.environment.ephemeris import sun_position_gcrf

    r = np.atleast_2d(np.asarray(r_m, float))
    v = np.atleast_2d(np.asarray(v_rel_m_s, float))
    sun = np.atleast_2d(sun_position_gcrf(Time(np.atleast_1d(np.asarray(jd, float)),
                                               format="jd", scale="utc")))
    s = sun / np.linalg.norm(sun, axis=1)[:, None]
    u = v / np.linalg.norm(v, axis=1)[:, None]
    g = np.abs(np.einsum("ij,ij->i", s, u))
    if night_glider:
        g = g * (1.0 - shadow_fraction(r, sun, "cylindrical"))
    return g


def orbit_mean_projection(beta_deg: Any, radius_m: float, *, night_glider: bool = True,
                          earth_radius_m: float = R_EQ_M) -> np.ndarray:
    """Orbit mean of :func:`array_projection` on a circular orbit of radius ``radius_m`` at
    beta angle ``beta_deg`` (deg, any shape), relative velocity taken along the inertial
    one: ``cos(beta) (1 + cos eps) / pi`` (see the module docstring)."""
    b = np.radians(np.abs(np.asarray(beta_deg, float)))
    cb = np.cos(b)
    full = 2.0 * cb / math.pi
    if not night_glider:
        return full
    q = math.sqrt(1.0 - (earth_radius_m / radius_m) ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        cos_eps = np.where(cb > q, q / np.where(cb > 0, cb, 1.0), 1.0)
    return cb * (1.0 + cos_eps) / math.pi


# ----------------------------------------------------------------------------- data

def _value(x: Any) -> Any:
    return x["value"] if isinstance(x, dict) else x


@lru_cache(maxsize=1)
def figures() -> dict[str, Any]:
    """``rossim/data/iss/arrays.toml`` as read (values with source and flag)."""
    path = resources.files("rossim") / "data" / "iss" / "arrays.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ArrayAnchor:
    """How one configuration's body area is anchored: its header and that header's mean
    array projection over the useable span."""

    configuration: str
    header: str                 # source key of the NASA/JSC header (docs/sources.md)
    start: str                  # useable span, UTC dates
    end: str
    drag_area_m2: float         # the header's DRAG_AREA
    mean_projection: float      # <g> over the span (anchor_projection)
    history: str                # the element-set file under tests/data/iss covering the span
    epoch_day_projection: float = math.nan   # <g> over the span's first day only

    @property
    def implied_body_m2(self) -> float:
        """``DRAG_AREA - A_arrays <g>``: the body area this header implies (m^2)."""
        return self.drag_area_m2 - array_area_m2(self.start) * self.mean_projection


def headers() -> list[ArrayAnchor]:
    """Every header of arrays.toml (with the ones kept as a check), configuration ``""`` for
    those that anchor no configuration."""
    out = []
    for a in figures()["anchor"]:
        out.append(ArrayAnchor(",".join(a["configurations"]), a["header"], a["start"], a["end"],
                               float(a["drag_area_m2"]), float(_value(a["mean_projection"])),
                               a["history"], float(_value(a["epoch_day_projection"]))))
    return out


def anchors() -> dict[str, ArrayAnchor]:
    """``{configuration name: ArrayAnchor}`` from arrays.toml (each header's own list of
    configurations: :func:`headers` joins it into a label, which a name with a comma would
    not survive being split back from)."""
    from dataclasses import replace

    return {name: replace(h, configuration=name)
            for a, h in zip(figures()["anchor"], headers(), strict=True)
            for name in a["configurations"]}


def anchor_of(configuration: str) -> ArrayAnchor:
    """The anchor of a configuration of ``rossim/data/iss/configurations.toml``."""
    a = anchors()
    if configuration not in a:
        raise InputError(None, "configuration", configuration,
                         "one of " + ", ".join(sorted(a)) + " (rossim/data/iss/arrays.toml)")
    return a[configuration]


def array_area_m2(day: str) -> float:
    """Sun-tracking array area of the ISS on UTC date ``day`` (ISO): the eight legacy wings
    plus the iROSAs installed by then (m^2)."""
    f = figures()["arrays"]
    n = sum(1 for d in f["irosa_installed"]["value"] if str(d) <= day)
    return float(_value(f["legacy_wings_area_m2"]) + n * _value(f["irosa_area_m2"]))


def body_area_m2(configuration: Any, anchor: str = "span") -> float:
    """``A_body`` of an :class:`~rossim.analysis.drag_fit.IssConfiguration` (m^2): its drag
    area less the arrays' share at its header's mean projection (the configuration's own
    area for the estimated rows, which derive from the 2022 header); ``anchor`` "span" (the
    header's useable span, the model's) or "epoch" (its first day, a sensitivity)."""
    a = anchor_of(configuration.name)
    if anchor not in ("span", "epoch"):
        raise InputError(None, "anchor", anchor, '"span" or "epoch"')
    g = a.mean_projection if anchor == "span" else a.epoch_day_projection
    body = configuration.drag_area_m2 - array_area_m2(a.start) * g
    if not body > 0.0:
        raise InputError(None, "body_area_m2", body, "a positive body area (arrays.toml anchor "
                         f"of {configuration.name})")
    return float(body)


def effective_area_m2(configuration: Any, day: str, projection: float, anchor: str = "span"
                      ) -> float:
    """``A_body + A_arrays(day) projection``: the drag area (m^2) of a configuration on UTC
    date ``day`` at a (density-weighted) mean array projection ``projection``."""
    return body_area_m2(configuration, anchor) + array_area_m2(day) * float(projection)
