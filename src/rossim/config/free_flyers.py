"""The ``[free_flyers]`` section of a scenario: the free-flyer family's deployments and its
safety rules (keep-out zones, passively safe relative orbits, screening, recontact). Part of
:class:`rossim.config.scenario.Scenario`; the analyses are in :mod:`rossim.fleet`
(docs/fleet.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from rossim.config._schema import PositiveMass, UTCDate, _Strict
from rossim.config._toml import FieldError

__all__ = ["Deployment", "FreeFlyers", "MAX_FREE_FLYERS", "MAX_DISPERSION_WORK",
           "APPROACH_CORRIDOR_LVLH_M", "CORRIDOR_RADIUS_M", "CORRIDOR_ORBITS"]

#: Nominal last-orbits approach of an arriving ship, LVLH (x along-track, y -orbit normal,
#: z nadir), m: from behind and below (phasing from a lower orbit), up through the approach
#: ellipsoid from below and along the R-bar into the keep-out sphere. Flag: estimate (the
#: shape of the Soyuz/Progress fast-rendezvous profile, roscosmos; no public coordinates).
APPROACH_CORRIDOR_LVLH_M = (
    (-40000.0, 0.0, 5000.0), (-10000.0, 0.0, 2000.0), (-1000.0, 0.0, 500.0),
    (0.0, 0.0, 200.0), (0.0, 0.0, 0.0))
#: Corridor half-width (m) and approach window (orbits before docking). Flag: estimate.
CORRIDOR_RADIUS_M = 1000.0
CORRIDOR_ORBITS = 2.0


class Deployment(_Strict):
    """Free-flyer deployment: ``count`` satellites from ``port`` at ``date``.

    ``port`` is a payload port "<module>.<port>"; ``release`` "port" ejects from it (spring
    ejector), "arm" has the robot arm carry the satellite ``arm_reach_m`` out before release.
    ``direction`` is a named LVLH direction or ``[x, y, z]`` (LVLH, any length). The ejection
    speed ``delta_v_m_s`` has a 1-sigma dispersion ``delta_v_sigma_fraction`` (relative) and
    ``direction_sigma_deg``; satellites leave ``interval_s`` apart. ``cd``/``area_m2`` are each
    satellite's drag coefficient and mean drag area; ``propellant_kg``/``isp_s`` its
    station-keeping propulsion. See docs/fleet.md.
    """

    date: UTCDate
    count: int = Field(ge=1)
    mass_kg: PositiveMass
    port: str
    delta_v_m_s: float = Field(gt=0, le=10)
    direction: str | tuple[float, float, float] = "radial-down"
    release: Literal["port", "arm"] = "port"
    arm_reach_m: float = Field(default=11.0, gt=0, le=30)
    delta_v_sigma_fraction: float = Field(default=0.05, ge=0, le=0.5)
    direction_sigma_deg: float = Field(default=3.0, ge=0, le=45)
    interval_s: float = Field(default=600.0, ge=0, le=86400)
    cd: float = Field(default=2.2, gt=0, le=5)
    area_m2: float = Field(default=0.1, gt=0, le=100)
    propellant_kg: float = Field(default=1.0, ge=0, le=1e4)
    isp_s: float = Field(default=220.0, gt=0, le=5000)

    @model_validator(mode="after")
    def _propellant(self) -> Deployment:
        if self.propellant_kg >= self.mass_kg:
            raise FieldError("propellant_kg", self.propellant_kg,
                             f"less than the satellite's mass_kg ({self.mass_kg:g} kg)")
        return self

    @field_validator("direction", mode="before")
    @classmethod
    def _direction(cls, d):
        names = ("radial-up", "radial-down", "along-track", "anti-along-track", "cross-track")
        expected = ("one of " + ", ".join(names) + " or a non-zero LVLH vector [x, y, z] "
                    "(components at most 1e6 in size)")
        if isinstance(d, str):
            if d not in names:
                raise ValueError(expected)
            return d
        if isinstance(d, list | tuple) and len(d) == 3 and all(
                isinstance(x, int | float) and not isinstance(x, bool) for x in d):
            v = tuple(float(x) for x in d)
            if any(x != 0 for x in v) and all(abs(x) <= 1e6 for x in v):
                return v
        raise ValueError(expected)


#: Memory limits of the free-flyer analyses (``rossim fleet``): a 10,000-satellite plan passed
#: 5 GB resident in 25 s, and 100,000 dispersion samples over 500 orbits asked for 1.2 TiB
#: (rel-case fleet-many-satellites-memory). The recontact check stores (orbits x ~555 steps) x
#: samples x 3 positions and a few masks of that size.
MAX_FREE_FLYERS = 1000
MAX_DISPERSION_WORK = 10_000


class FreeFlyers(_Strict):
    """The free-flyer family plan and its safety rules (LVLH: x along-track, y cross-track
    (-orbit normal), z radial towards the Earth).

    Safety zones (ISS practice: 200 m keep-out sphere, 4 x 2 x 2 km approach ellipsoid):
    ``keep_out_radius_m`` and ``approach_ellipsoid_m`` (semi-axes x, y, z). The family flies
    passively safe relative orbits: ring ``k`` has radial amplitude ``ellipse_radial_m + k *
    ring_spacing_m`` (along-track twice that) and cross-track amplitude
    ``ellipse_cross_track_m + k * ring_spacing_m``, ``satellites_per_ring`` per ring.
    Screening: 1-sigma LVLH position uncertainties ``position_sigma_m`` (free-flyers) and
    ``station_position_sigma_m``, or a full free-flyer ``covariance_m2`` (3x3, LVLH, m^2);
    hard-body radii; ``screening_distance_m``. Deployment safety: no return within
    ``recontact_radius_m`` for ``recontact_orbits`` orbits, over ``dispersion_samples``
    dispersed ejections. The station's drag coefficient is ``operations.cd`` (one value for
    every model); ``free_flyers.station_cd`` is refused with a message saying so.
    """

    max_satellites: int = Field(default=24, ge=0, le=MAX_FREE_FLYERS)
    deployments: list[Deployment] = Field(default_factory=list)
    keep_out_radius_m: float = Field(default=200.0, gt=0, le=10000)
    approach_ellipsoid_m: tuple[float, float, float] = (2000.0, 1000.0, 1000.0)
    ellipse_radial_m: float = Field(default=1500.0, gt=0, le=100000)
    ellipse_cross_track_m: float = Field(default=1000.0, gt=0, le=100000)
    satellites_per_ring: int = Field(default=12, ge=1, le=1000)
    ring_spacing_m: float = Field(default=300.0, ge=0, le=100000)
    position_sigma_m: tuple[float, float, float] = (20.0, 5.0, 5.0)
    station_position_sigma_m: tuple[float, float, float] = (10.0, 2.0, 2.0)
    covariance_m2: tuple[tuple[float, float, float], tuple[float, float, float],
                         tuple[float, float, float]] | None = None
    hard_body_radius_m: float = Field(default=1.0, gt=0, le=100)
    station_hard_body_radius_m: float = Field(default=50.0, gt=0, le=500)
    screening_distance_m: float = Field(default=1000.0, gt=0, le=100000)
    recontact_radius_m: float = Field(default=100.0, gt=0, le=10000)
    recontact_orbits: int = Field(default=15, ge=1, le=500)
    dispersion_samples: int = Field(default=200, ge=0, le=100000)
    #: Keep-out rules (rossim.ops.keepout): no release within this many hours of a docking,
    #: undocking or reboost (estimate: the approach corridor's last two orbits, ~3 h, plus
    #: margin; the ISS schedules deployments away from vehicle traffic, no public figure).
    no_deploy_window_h: float = Field(default=6.0, ge=0, le=240)
    #: How long after release the autonomy tracks a satellite for the keep-out (days).
    keep_out_track_days: float = Field(default=2.0, gt=0, le=30)
    #: Nonlinear recontact horizon (days, rossim.fleet.recontact; at least 90 by default).
    recontact_horizon_days: float = Field(default=90.0, gt=0, le=3650)
    #: The autonomy re-predicts released satellites' returns at once after a reboost or a
    #: plan edit, and looks at least this often (days) whether anything else the prediction
    #: rests on changed (rossim.ops.return_watch; estimate: a weekly re-screening).
    return_check_days: float = Field(default=7.0, gt=0, le=90)

    @model_validator(mode="before")
    @classmethod
    def _no_station_cd(cls, data: Any) -> Any:
        if isinstance(data, dict) and "station_cd" in data:
            raise FieldError("station_cd", data["station_cd"],
                             "no station_cd here: the station's drag coefficient is "
                             "operations.cd, one value for run, fleet and every model (move it "
                             "to [operations] cd)")
        return data

    @field_validator("approach_ellipsoid_m", "position_sigma_m", "station_position_sigma_m")
    @classmethod
    def _positive3(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        if not all(0 < x <= 1e6 for x in v):
            raise ValueError("three positive lengths [x, y, z] in metres, at most 1e6")
        return v

    @field_validator("covariance_m2")
    @classmethod
    def _covariance(cls, c):
        if c is None:
            return c
        import numpy as np

        m = np.asarray(c, dtype=float)
        ok = bool(np.all(np.isfinite(m))) and np.allclose(m, m.T, rtol=1e-9, atol=0.0)
        if ok:  # singular is fine: the Pc uses the combined covariance (CARA's convention)
            w = np.linalg.eigvalsh(0.5 * (m + m.T))
            ok = bool(w.min() >= -1e-12 * max(abs(w).max(), 1e-300))
        if not ok:
            raise ValueError("a symmetric 3x3 covariance (m^2) with no negative eigenvalue "
                             "(positive-definite or singular)")
        return c

    @model_validator(mode="after")
    def _zones_nested(self) -> FreeFlyers:
        """The approach ellipsoid surrounds the keep-out sphere (ISS practice: 4 x 2 x 2 km
        around 200 m): every semi-axis longer than the sphere's radius."""
        short = min(self.approach_ellipsoid_m)
        if short <= self.keep_out_radius_m:
            raise FieldError("approach_ellipsoid_m", list(self.approach_ellipsoid_m),
                             f"semi-axes [x, y, z] each longer than keep_out_radius_m "
                             f"({self.keep_out_radius_m:g} m): the approach ellipsoid "
                             "surrounds the keep-out sphere",
                             problem=f"a {short:g} m semi-axis inside the keep-out sphere")
        return self

    @model_validator(mode="after")
    def _cap(self) -> FreeFlyers:
        work = self.dispersion_samples * self.recontact_orbits
        if work > MAX_DISPERSION_WORK:
            raise FieldError("dispersion_samples", self.dispersion_samples,
                             f"dispersion_samples x recontact_orbits <= {MAX_DISPERSION_WORK} "
                             f"(now {work}): the recontact check holds every sample's "
                             "trajectory at 10 s steps in memory (~13 MB per array per 1000)")
        total = sum(d.count for d in self.deployments)
        if total > self.max_satellites:
            raise FieldError("deployments", f"{total} satellites",
                             f"at most max_satellites = {self.max_satellites} in all "
                             "deployments together (raise max_satellites or deploy fewer)")
        return self
