"""Crew radiation dose along a trajectory: trapped belts, GCR, SPE, shielding, crew limits.

What is computed
----------------
For every epoch of a trajectory (geodetic lat, lon, alt):

* trapped protons and electrons: AE-8/AP-8 integral fluxes (``radbelt``; solar-minimum or
  -maximum version chosen per UTC day from its F10.7, :func:`solar_maximum`) in the field of
  the model's epoch, with the belts drifted west and lowered with the dipole's decay to the
  date, the
  proton part scaled by :data:`TRAPPED_PROTON_SCALE` (calibrated on measured doses), turned
  into absorbed dose and dose equivalent in water behind an aluminium shield by the CSDA
  dose kernels of
  :mod:`rossim.environment.radiation.shielding` (ICRP 60 Q(L) for protons, Q = 1 electrons);
* galactic cosmic rays: :mod:`rossim.environment.radiation.gcr` (force-field modulation from
  F10.7, Stormer cut-off 14.9/L^2 GV from the IGRF L, Earth shadow), mean Q from MSL/RAD;
* optional solar particle events (:class:`~rossim.environment.radiation.spe.SolarParticleEvent`)
  with the same cut-off and shielding.

Shielding is one areal density (g/cm^2 Al) or a crew-time-weighted mix of module areal densities
(:data:`MODULE_SHIELDING_G_CM2`); the dose is linear in the kernels, so a mix is exact.

Everything that depends on the date (solar condition, GCR potential, the belts' secular
change) is taken per UTC day (:mod:`rossim.environment.radiation.daily`), never from the span
asked for: tracks that share a day get the same rates on it. Rates are mGy/day and mSv/day;
integrals mGy and mSv. Everything is vectorised over epochs.

The shielding, trapped-belt settings and limits are data (``rossim/config/catalog/
reference.toml``, ``[crew_dose]``: value, flag, source). Crew visits of a scenario, the limits
and periodic-versus-continuous crews are in :mod:`rossim.analysis.crew_dose` (its names stay
importable from here).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from astropy.time import Time

from rossim.config.reference import load_reference
from rossim.environment.geomagnetic import REFERENCE_RADIUS_KM
from rossim.environment.radiation.daily import daily_decimal_year, daily_f107a, utc_days
from rossim.environment.radiation.gcr import (
    GCR_QUALITY_FACTOR,
    cutoff_rigidity_gv,
    gcr_dose_rate_mgy_per_day,
    modulation_potential_daily_mv,
)
from rossim.environment.radiation.shielding import (
    check_shielding,
    electron_dose_kernel,
    proton_dose_kernel,
)
from rossim.environment.radiation.spe import (
    SolarParticleEvent,
    king1972_fluence,
    proton_cutoff_energy_mev,
)
from rossim.environment.radiation.trapped import TrappedFluxModel, load_trapped_table
from rossim.errors import InputError

__all__ = [
    "SOURCES",
    "DEFAULT_DATE",
    "PRESSURISED_MODULE_G_CM2",
    "MODULE_SHIELDING_G_CM2",
    "SOLAR_MAX_F107_THRESHOLD",
    "TRAPPED_PROTON_SCALE",
    "MODULE_SHIELDING_FACTOR",
    "DoseTrack",
    "solar_condition",
    "solar_maximum",
    "dose_along_track",
    "circular_orbit_dose",
    "dose_map",
]

SOURCES = ("trapped_protons", "trapped_electrons", "gcr", "spe")
_S_PER_DAY = 86400.0

# The tables are data (rossim/config/catalog/reference.toml, [crew_dose]: value, flag,
# source); these names keep them at hand for the code and for users.
_REF = load_reference().crew_dose

#: Default shield: aluminium-equivalent areal density typical of a crew position in a
#: pressurised module (hull, racks and equipment), g/cm^2. An estimate.
PRESSURISED_MODULE_G_CM2 = check_shielding(_REF.pressurised_module_g_cm2.value,
                                           "crew_dose.pressurised_module_g_cm2",
                                           "catalog reference.toml")

#: Scale on the AE-8/AP-8 trapped-proton dose, calibrated (not measured): the value at which the
#: model's geometric-mean ratio to the seven measured inside doses of
#: tests/data/dose/measured_doses.csv (Shuttle, Mir, ISS, 1994-2016) is 1 behind
#: :data:`PRESSURISED_MODULE_G_CM2` (:func:`fit_trapped_proton_scale`; ``make docs`` prints the
#: fit, tests/analysis/test_dose.py holds this value to it within 10 %). It absorbs the model's
#: absolute error in the SAA: AP-8's factor-2 uncertainty in low orbit, the size of the secular
#: lowering, no nuclear attenuation, one thickness in place of a distribution. GCR, solar
#: particle events and trapped electrons are not scaled.
TRAPPED_PROTON_SCALE = _REF.trapped_proton_scale.value

#: Per-module shielding relative to :data:`PRESSURISED_MODULE_G_CM2`, estimates (no ROS figure
#: is published; each with its basis in reference.toml). The servicing platform is
#: unpressurised (never occupied).
MODULE_SHIELDING_FACTOR: dict[str, float] = {
    m: f.value for m, f in _REF.module_shielding_factor.items()}
#: Per-module areal densities (g/cm^2 Al), :data:`MODULE_SHIELDING_FACTOR` times
#: :data:`PRESSURISED_MODULE_G_CM2`.
MODULE_SHIELDING_G_CM2: dict[str, float] = {
    m: check_shielding(f * PRESSURISED_MODULE_G_CM2, f"crew_dose.module_shielding_factor.{m}",
                       "catalog reference.toml") for m, f in MODULE_SHIELDING_FACTOR.items()}
_UNOCCUPIED = set(_REF.unoccupied)
#: Share of crew time spent in the core module (sleep, meals) when it is present; the rest is
#: shared equally by the other pressurised modules. Estimate.
CORE_OCCUPANCY = _REF.core_occupancy.value

#: F10.7 (81-day mean, sfu) at and above which AE-8/AP-8 MAX is used (rossim's convention:
#: about midway between solar-minimum ~70 and solar-maximum ~160+ monthly means).
SOLAR_MAX_F107_THRESHOLD = _REF.solar_max_f107_threshold.value

#: Epoch (decimal year) of the geomagnetic field each AE-8/AP-8 version was built with (Vette
#: 1991, NSSDC/WDC-A-R&S 91-24: MIN with Jensen & Cain 1960 for 1964, MAX with GSFC 12/66
#: extrapolated to 1970). Fluxes are looked up with (L, B/B0) of the field of that epoch, as
#: the model's authors prescribe, and the belts are moved to the date by the SAA's westward
#: drift and the lowering that follows the dipole's decay (docs/dose.md compares this with the
#: field of the date).
TRAPPED_FIELD_EPOCH = {k: v.value for k, v in _REF.trapped_field_epoch_year.items()}
#: Westward drift of the South Atlantic Anomaly (deg/yr) applied to move the model-epoch belts
#: to the date's longitude (about 0.3 deg/yr: Furst et al. 2009, Heynderickx 1996).
SAA_WESTWARD_DRIFT_DEG_PER_YEAR = _REF.saa_westward_drift_deg_per_year.value
#: Whether the model-epoch belts are also lowered by the decay of the dipole moment between the
#: model's epoch and the date (:func:`rossim.environment.geomagnetic.belt_lowering_km`).
SECULAR_LOWERING = True


@dataclass
class DoseTrack:
    """Dose rates along a trajectory.

    ``absorbed`` and ``equivalent`` map each source of :data:`SOURCES` to arrays ``(N,)`` of
    mGy/day and mSv/day at the epochs ``t``. ``solar_max`` (bool) and ``phi_mv_at`` (MV) are
    the AE-8/AP-8 version and the GCR potential at each epoch (its UTC day's); ``solar``
    (``"min"``, ``"max"``, ``"min/max"`` when the track crosses the threshold) and ``phi_mv``
    (the mean) summarise them.
    """

    t: Time
    absorbed: dict[str, np.ndarray]
    equivalent: dict[str, np.ndarray]
    shielding_g_cm2: float | dict[str, float]
    solar: str
    phi_mv: float
    info: dict[str, Any] = field(default_factory=dict)
    solar_max: np.ndarray | None = None
    phi_mv_at: np.ndarray | None = None

    @property
    def total_absorbed(self) -> np.ndarray:
        return sum(self.absorbed.values())  # type: ignore[return-value]

    @property
    def total_equivalent(self) -> np.ndarray:
        return sum(self.equivalent.values())  # type: ignore[return-value]

    def summary(self) -> dict[str, Any]:
        """Mean rates over the track: ``absorbed_mGy_per_day``, ``dose_equivalent_mSv_per_day``
        and ``by_source`` (each source: both figures)."""
        by = {s: {"absorbed_mGy_per_day": float(np.mean(self.absorbed[s])),
                  "dose_equivalent_mSv_per_day": float(np.mean(self.equivalent[s]))}
              for s in SOURCES if s != "spe" or np.any(self.absorbed[s] > 0)}
        return {
            "absorbed_mGy_per_day": float(np.mean(self.total_absorbed)),
            "dose_equivalent_mSv_per_day": float(np.mean(self.total_equivalent)),
            "by_source": by,
            "shielding_g_cm2": self.shielding_g_cm2,
            "trapped_model": f"AE-8/AP-8 {self.solar.upper()}",
            "gcr_modulation_potential_MV": round(self.phi_mv, 1),
            **self.info,
        }

    def integrated(self) -> tuple[float, float]:
        """Total absorbed dose (mGy) and dose equivalent (mSv) over the track (rectangle rule
        on the epoch spacing)."""
        sec = np.asarray((self.t - self.t[0]).to_value("s"), float).reshape(-1)
        if sec.size < 2:
            return 0.0, 0.0
        w = np.gradient(sec) / _S_PER_DAY
        return float(np.sum(self.total_absorbed * w)), float(np.sum(self.total_equivalent * w))


def solar_maximum(t: Any, weather: Any = None) -> np.ndarray:
    """Per epoch, whether AE-8/AP-8 MAX applies: the 81-day mean F10.7 of the epoch's UTC day
    (:func:`rossim.environment.radiation.daily.daily_f107a`) at least
    :data:`SOLAR_MAX_F107_THRESHOLD`. A function of the date alone, the same for every track
    through the day."""
    from rossim.environment.radiation.gcr import _default_weather

    w = weather if weather is not None else _default_weather()
    return daily_f107a(t, w) >= SOLAR_MAX_F107_THRESHOLD


def _solar_label(is_max: np.ndarray) -> str:
    return "max" if np.all(is_max) else ("min" if not np.any(is_max) else "min/max")


def solar_condition(t: Any, weather: Any = None) -> str:
    """Which AE-8/AP-8 version the days of ``t`` use (:func:`solar_maximum`): ``"max"``,
    ``"min"``, or ``"min/max"`` when some days are on either side of the threshold."""
    return _solar_label(solar_maximum(t, weather))


def _shield_mix(shielding: float | dict[str, float]) -> list[tuple[float, float]]:
    """``[(areal density, weight)]`` from a number or a {g/cm^2: weight}-like mapping."""
    if isinstance(shielding, dict):
        items = [(float(k), float(v)) for k, v in shielding.items()]
    else:
        items = [(float(shielding), 1.0)]
    for t, w in items:
        check_shielding(t)  # 0-100 g/cm^2: the model's range
        if not math.isfinite(w) or w < 0:
            raise InputError("argument", "shielding weight", w, ">= 0")
    total = sum(w for _, w in items)
    if total <= 0:
        raise InputError("argument", "shielding weights", items, "weights summing to > 0")
    return [(t, w / total) for t, w in items]


def _quiet_erfa(func):
    """Silence ERFA's "dubious year" warnings (dates past the leap-second table)."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any):
        import erfa

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", erfa.ErfaWarning)
            return func(*args, **kwargs)

    return wrapper


#: Lowest altitude the trapped-belt and shielding tables are used at (km).
ALTITUDE_MIN_KM = 100.0


@_quiet_erfa
def dose_along_track(t: Any, lat_deg, lon_deg, alt_km, *,
                     shielding_g_cm2: float | dict[float, float] = PRESSURISED_MODULE_G_CM2,
                     solar: str = "auto", phi_mv: float | None = None, weather: Any = None,
                     spe: tuple[SolarParticleEvent, ...] | list[SolarParticleEvent] = (),
                     field: str = "model-epoch", field_year: float | None = None,
                     secular_lowering: bool = SECULAR_LOWERING,
                     trapped_proton_scale: float = TRAPPED_PROTON_SCALE,
                     grid_step_deg: float = 3.0) -> DoseTrack:
    """Dose rates at every epoch of a trajectory given in geodetic coordinates (WGS84).

    Parameters
    ----------
    t:
        Epochs (array, UTC); ``lat_deg``, ``lon_deg``, ``alt_km`` arrays of the same length.
    shielding_g_cm2:
        Aluminium areal density, or ``{areal density: crew-time weight}``.
    solar:
        ``"auto"`` (each epoch's UTC day from its F10.7, :func:`solar_maximum`), ``"min"`` or
        ``"max"`` for AE-8/AP-8.
    phi_mv:
        GCR modulation potential (MV); default each day's from F10.7
        (:func:`~rossim.environment.radiation.gcr.modulation_potential_daily_mv`).
    spe:
        Solar particle events to add.
    field:
        ``"model-epoch"`` (default): magnetic coordinates from the field of the AE-8/AP-8
        epoch (:data:`TRAPPED_FIELD_EPOCH`), with the belts moved to the date by the two
        secular changes of the inner belt: the SAA's westward drift
        (:data:`SAA_WESTWARD_DRIFT_DEG_PER_YEAR`) and the lowering that follows the dipole's
        decay (:func:`~rossim.environment.geomagnetic.belt_lowering_km`; off with
        ``secular_lowering=False``), each epoch moved by its UTC day. ``"date"``: the IGRF of
        ``field_year`` (default each epoch's day, to the 0.1 year of the field grids) as
        radbelt's ``get_flux`` does.
    trapped_proton_scale:
        Factor on the trapped-proton dose (:data:`TRAPPED_PROTON_SCALE`, calibrated for the
        default field; 1 gives AE-8/AP-8 as they are).
    """
    from rossim.time import to_time

    tt = to_time(t).reshape(-1)
    lat = np.asarray(lat_deg, float).reshape(-1)
    lon = np.asarray(lon_deg, float).reshape(-1)
    alt = np.broadcast_to(np.asarray(alt_km, float), lat.shape)
    if not (lat.shape == lon.shape == (tt.size,)):
        raise InputError("argument", "trajectory", f"{tt.size}/{lat.size}/{lon.size}",
                         "epochs, latitudes and longitudes of equal length")
    # 1 mm of slack below the floor: a circular orbit at 100 km sampled over the ellipsoid
    # reaches 99.99999999999834 km at the equator in float64 (field case
    # dose-altitude-100-equator, at 1 s steps); above, the 2000 km orbit's geodetic altitude
    # over the ellipsoid (up to ~21 km higher at the poles) plus margin.
    if np.any(alt < ALTITUDE_MIN_KM - 1e-6) or np.any(alt > 2100.0):
        worst = float(np.min(alt)) if np.any(alt < ALTITUDE_MIN_KM - 1e-6) else float(np.max(alt))
        raise InputError("argument", "altitude", worst,
                         f"altitudes between {ALTITUDE_MIN_KM:g} and 2000 km (2100 km "
                         "geodetic along the track)")
    mix = _shield_mix(shielding_g_cm2)
    # The date rule (rossim.environment.radiation.daily): the solar condition, the GCR
    # potential and the field's secular state of every epoch are its UTC day's, so that tracks
    # sharing a day (crews aboard together) get the same rates on it.
    noons, day = utc_days(tt)  # the days met, and each epoch's
    if solar == "auto":
        day_max = solar_maximum(noons, weather)
    elif solar in ("min", "max"):
        day_max = np.full(len(noons), solar == "max")
    else:
        raise InputError("argument", "solar", solar, '"auto", "min" or "max"')
    day_phi = (np.full(len(noons), float(phi_mv)) if phi_mv is not None
               else modulation_potential_daily_mv(noons, weather))
    day_year = (np.full(len(noons), float(field_year)) if field_year is not None
                else daily_decimal_year(noons))
    if field not in ("model-epoch", "date"):
        raise InputError("argument", "field", field, '"model-epoch" or "date"')
    day_model, day_drift, day_sink = np.round(day_year, 1), 0.0 * day_year, 0.0 * day_year
    if field == "model-epoch":
        from rossim.environment.geomagnetic import shell_shift_fraction

        day_model = np.where(day_max, TRAPPED_FIELD_EPOCH["max"], TRAPPED_FIELD_EPOCH["min"])
        day_drift = SAA_WESTWARD_DRIFT_DEG_PER_YEAR * (day_year - day_model)
        if secular_lowering:  # belt_lowering_km: (R + h) times the shell's shift fraction
            day_sink = np.where(day_max,
                                shell_shift_fraction(day_year, TRAPPED_FIELD_EPOCH["max"]),
                                shell_shift_fraction(day_year, TRAPPED_FIELD_EPOCH["min"]))
    is_max = day_max[day]
    lon_field = lon + day_drift[day]
    alt_field = alt + (REFERENCE_RADIUS_KM + alt) * day_sink[day]
    lowering_km = float(np.mean(alt_field - alt))
    table = load_trapped_table()
    ep, ee = table.energies["p"], table.energies["e"]
    wpd = sum(w * proton_dose_kernel(ep, s)[0] for s, w in mix)
    wph = sum(w * proton_dose_kernel(ep, s)[1] for s, w in mix)
    wed = sum(w * electron_dose_kernel(ee, s) for s, w in mix)
    k = _S_PER_DAY * 1e3  # Gy/s -> mGy/day (Sv/s -> mSv/day)
    dp, de, lval = np.empty((tt.size, 2)), np.empty((tt.size, 1)), np.empty(tt.size)
    # one field model per (solar condition, field year) met along the track
    pairs = sorted({(bool(m), float(y)) for m, y in zip(day_max, day_model, strict=True)})
    group = np.array([pairs.index((bool(m), float(y)))
                      for m, y in zip(day_max, day_model, strict=True)])[day]
    for g, (maximum, year) in enumerate(pairs):
        sel, cond = group == g, ("max" if maximum else "min")
        model = TrappedFluxModel(year, (float(alt_field.min()), float(alt_field.max())),
                                 step_deg=grid_step_deg,
                                 lat_limit_deg=float(np.max(np.abs(lat))) + grid_step_deg)
        # The GCR cut-off below uses this L too; read at the lowered altitude, 14.9/L^2 drops
        # by (M_date/M_epoch)^(2/3), most of the weaker dipole's M_date/M_epoch.
        lval[sel], bb0 = model.magnetic_coordinates(lat[sel], lon_field[sel], alt_field[sel])
        dp[sel] = table.evaluate_weighted(
            table.weighted("p", cond, np.column_stack([wpd, wph]) * k), lval[sel], bb0, "p")
        de[sel] = table.evaluate_weighted(table.weighted("e", cond, wed[:, None] * k),
                                          lval[sel], bb0, "e")
    scale = float(trapped_proton_scale)
    if not math.isfinite(scale) or scale < 0:
        raise InputError("argument", "trapped_proton_scale", trapped_proton_scale, ">= 0")
    absorbed = {"trapped_protons": scale * dp[:, 0], "trapped_electrons": de[:, 0]}
    equivalent = {"trapped_protons": scale * dp[:, 1], "trapped_electrons": de[:, 0].copy()}
    absorbed["gcr"] = np.asarray(sum(w * gcr_dose_rate_mgy_per_day(lval, alt, day_phi, s,
                                                                   phi_index=day)
                                     for s, w in mix))
    equivalent["gcr"] = absorbed["gcr"] * GCR_QUALITY_FACTOR
    spe_d = np.zeros(tt.size)
    spe_h = np.zeros(tt.size)
    if spe:
        from rossim.environment.radiation.gcr import earth_shadow_factor

        e_cut = proton_cutoff_energy_mev(cutoff_rigidity_gv(lval))
        shadow = earth_shadow_factor(alt)
        for ev in spe:
            j = ev.integral_flux(tt, ep)  # (N, nE) at 1 AU, unshielded
            spe_scale = np.where(j[:, :1] > 0, j[:, :1] / king1972_fluence(ep[:1]), 0.0)
            j_in = spe_scale * king1972_fluence(np.maximum(ep[None, :], e_cut[:, None]))
            j_in *= shadow[:, None]
            spe_d += (j_in @ wpd) * k
            spe_h += (j_in @ wph) * k
    absorbed["spe"] = spe_d
    equivalent["spe"] = spe_h
    shield_out: float | dict[str, float] = (mix[0][0] if len(mix) == 1
                                            else {f"{s:g}": w for s, w in mix})
    field_years = sorted({round(year, 2) for _, year in pairs})
    phi = day_phi[day]
    return DoseTrack(tt, absorbed, equivalent, shield_out, _solar_label(is_max),
                     float(np.mean(phi)), solar_max=is_max, phi_mv_at=phi,
                     info={"field": field, "field_year": (field_years[0] if len(field_years)
                                                          == 1 else field_years),
                           "belt_lowering_km": round(lowering_km, 1),
                           "trapped_max_fraction": round(float(np.mean(is_max)), 4),
                           "trapped_proton_scale": scale})


#: Longest averaging span of :func:`circular_orbit_dose` (days): a year of 60 s samples is
#: ~0.5 million epochs; each carries per-energy spectra (~30 energies), so memory grows
#: ~250 MB per year of samples.
MAX_DOSE_DAYS = 366.0


def _check_days(days: float) -> float:
    d = float(days)
    if not math.isfinite(d) or not 0 < d <= MAX_DOSE_DAYS:
        raise InputError("argument", "days", days,
                         f"a positive number of days, at most {MAX_DOSE_DAYS:g} (memory grows "
                         "with the span)")
    return d


#: The start date of an ad hoc orbit when none is given (``rossim dose --altitude ...``,
#: :func:`circular_orbit_dose`, :func:`dose_map`): a fixed date, so that the same command
#: prints the same figures on every day (the date of the examples in docs/dose.md).
DEFAULT_DATE = "2028-01-01"


@_quiet_erfa
def circular_orbit_dose(altitude_km: float, inclination_deg: float, *, days: float = 30.0,
                        date: Any = DEFAULT_DATE, shielding_g_cm2: Any = PRESSURISED_MODULE_G_CM2,
                        step_s: float = 60.0, raan_deg: float = 0.0, orbit: Any = None,
                        **kwargs: Any) -> DoseTrack:
    """Dose along an analytic circular orbit (:class:`rossim.dynamics.circular.CircularOrbit`)
    from ``date`` for ``days`` days at ``step_s`` steps: node ``raan_deg`` at ``date``, or the
    given ``orbit`` (a scenario's, :func:`rossim.dynamics.scenario_orbit.orbit_from_scenario`,
    whose node is set at its own epoch). Extra keywords go to :func:`dose_along_track`."""
    from rossim.dynamics.circular import CircularOrbit
    from rossim.time import time_grid, to_time

    d = _check_days(days)
    if orbit is None:
        orbit = CircularOrbit(altitude_km, inclination_deg, epoch=to_time(date),
                              raan_deg=raan_deg)
    altitude_km, inclination_deg = orbit.altitude_km, orbit.inclination_deg
    t = time_grid(to_time(date), d * _S_PER_DAY, step_s)
    lat, lon, alt = orbit.geodetic(t)
    track = dose_along_track(t, lat, lon, alt, shielding_g_cm2=shielding_g_cm2, **kwargs)
    track.info.update({"altitude_km": float(altitude_km), "inclination_deg":
                       float(inclination_deg), "days": d, "step_s": float(step_s),
                       "start": to_time(date).utc.isot[:19]})
    return track


def dose_map(altitude_km: float, date: Any = DEFAULT_DATE, *,
             shielding_g_cm2: float = PRESSURISED_MODULE_G_CM2, step_deg: float = 2.0,
             solar: str = "auto", phi_mv: float | None = None) -> dict[str, Any]:
    """Dose rate (mGy/day) on a global latitude-longitude grid at one altitude.

    Returns ``lats_deg``, ``lons_deg`` (1-D) and ``absorbed`` (``{source: (n_lat, n_lon)}``
    plus ``"total"``).
    """
    from rossim.time import to_time

    lats = np.arange(-89.0, 89.0 + 1e-9, step_deg)
    lons = np.arange(-180.0, 180.0 + 1e-9, step_deg)
    la, lo = np.meshgrid(lats, lons, indexing="ij")
    t0 = to_time(date)
    tt = Time(np.full(la.size, t0.jd), format="jd", scale="utc")
    track = dose_along_track(tt, la.ravel(), lo.ravel(), np.full(la.size, float(altitude_km)),
                             shielding_g_cm2=shielding_g_cm2, solar=solar, phi_mv=phi_mv,
                             grid_step_deg=step_deg)
    grids = {s: track.absorbed[s].reshape(la.shape) for s in SOURCES if s != "spe"}
    grids["total"] = sum(grids.values())
    return {"lats_deg": lats, "lons_deg": lons, "absorbed": grids,
            "altitude_km": float(altitude_km), "date": t0.utc.isot[:10],
            "shielding_g_cm2": float(shielding_g_cm2), "solar": track.solar,
            "phi_mv": track.phi_mv}


#: Crew-visit dose, limits and the periodic-versus-continuous study live in
#: :mod:`rossim.analysis.crew_dose`; these names stay importable from here.
_CREW_DOSE = ("LIMITS", "periodic_vs_continuous", "module_shielding_mix", "crew_visit_doses",
              "scenario_dose")


def __getattr__(name: str) -> Any:
    if name in _CREW_DOSE:
        from rossim.analysis import crew_dose

        return getattr(crew_dose, name)
    if name == "fit_trapped_proton_scale":  # the calibration lives in analysis.dose_fit
        from rossim.analysis.dose_fit import fit_trapped_proton_scale

        return fit_trapped_proton_scale
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
