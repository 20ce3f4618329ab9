"""Trapped protons and electrons (AP-8 / AE-8) through the ``radbelt`` package.

``radbelt`` (PyPI, NASA Open Source Agreement 1.3; L. Singer) wraps the original Fortran of
the NASA AE-8/AP-8 models (Vette 1991, NSSDC/WDC-A-R&S 91-24; Sawyer & Vette 1976,
NSSDC/WDC-A-R&S 76-06) and of the IGRF field-line tracer that gives McIlwain's ``L`` and
``B/B0``. Its entry points are scalar Fortran calls; the AE-8/AP-8 call re-reads its model file
every time (about 1 ms per call), the IGRF call costs about 0.14 ms. A year of orbit at 60 s
steps (5e5 points) x a dozen energies would take hours point by point, so rossim does this:

1. **Flux table in (L, B/B0).** AE-8/AP-8 are functions of energy, ``L`` and ``B/B0`` only.
   :func:`build_trapped_table` calls radbelt's ``aep8`` on a fixed grid of ``L`` and
   ``y = log10(B/B0) - 3 log10(L)`` (``y`` keeps the low-Earth-orbit part of each field line in
   a band about -0.5..0.5 at every ``L``) for each energy of :data:`PROTON_ENERGIES_MEV` and
   :data:`ELECTRON_ENERGIES_MEV` and both solar-activity versions. The result is committed as
   ``ae8ap8_table.json.gz`` next to this file (header: tool, version, inputs). Lookups are
   bilinear in ``(L, y)`` on ``log10(flux)``.
2. **Field on a (lat, lon, alt) grid.** :func:`magnetic_coordinates_grid` calls radbelt's
   ``igrf`` on a geodetic grid at the trajectory's altitudes for one decimal year;
   :class:`TrappedFluxModel` interpolates ``1/L`` and ``log10(B/B0)`` (both smooth) along the
   track.

The error of this two-step interpolation against direct radbelt calls is measured in
``tests/environment/test_radiation_trapped.py``. :func:`flux_direct` is the exact
point-by-point path (radbelt's own ``get_flux`` arithmetic) for checks and short spans.

Units: energies MeV, integral omnidirectional flux above the energy in cm^-2 s^-1 (as AE-8/AP-8
and radbelt give them); positions geodetic WGS84 (deg, km).
"""

from __future__ import annotations

import functools
import gzip
import json
import os
from pathlib import Path
from typing import Any, Literal

import numpy as np
from scipy.interpolate import RegularGridInterpolator

from rossim.environment.radiation.interp_kernel import interp_columns_2d, interp_fields_3d
from rossim.errors import InputError

__all__ = [
    "PROTON_ENERGIES_MEV",
    "ELECTRON_ENERGIES_MEV",
    "TABLE_PATH",
    "flux_direct",
    "magnetic_coordinates_direct",
    "build_trapped_table",
    "load_trapped_table",
    "TrappedTable",
    "magnetic_coordinates_grid",
    "TrappedFluxModel",
    "fast_and_direct_flux",
]

#: Integral-flux threshold energies tabulated for AP-8 (MeV). AP-8 ends at 400 MeV.
PROTON_ENERGIES_MEV = np.array([1.0, 3.0, 5.0, 10.0, 15.0, 20.0, 30.0, 50.0, 70.0, 100.0,
                                150.0, 200.0, 300.0, 400.0])
#: Integral-flux threshold energies tabulated for AE-8 (MeV). AE-8 ends at 7 MeV.
ELECTRON_ENERGIES_MEV = np.array([0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0,
                                  6.0, 7.0])

TABLE_PATH = Path(__file__).with_name("ae8ap8_table.json.gz")

_L_PROTON = np.round(np.concatenate([np.arange(1.0, 3.0, 0.025), np.arange(3.0, 6.61, 0.1)]), 4)
_L_ELECTRON = np.round(np.concatenate([np.arange(1.0, 3.0, 0.05), np.arange(3.0, 12.01, 0.25)]),
                       4)
# y step 0.00625: log flux is concave towards the belt's lower edge, where low orbits spend
# their SAA passes, so linear interpolation on a coarser step under-reads there
# (test_table_at_the_belts_lower_edge in tests/environment/test_radiation_trapped.py).
_Y = np.round(np.arange(-0.5, 0.5001, 0.00625), 5)
_LOG_FLOOR = -6.0  # log10 flux stored for "zero" (below any meaningful dose contribution)
#: AE-8/AP-8 maps end at an integral flux of 1 cm^-2 s^-1 (log10 0): below it the models return 0.
_MODEL_FLOOR_LOG = 0.0

Particle = Literal["p", "e"]
Solar = Literal["min", "max"]


def _radbelt():
    import radbelt  # imported lazily: it chdirs into its data folder on every call

    return radbelt


def _decimal_year(t: Any) -> float:
    from rossim.time import to_time

    tt = to_time(t)
    year = np.atleast_1d(tt.utc.decimalyear)
    return float(np.mean(year))


def _check_particle(particle: str, solar: str) -> None:
    if particle not in ("p", "e"):
        raise InputError("argument", "particle", particle, '"p" (protons) or "e" (electrons)')
    if solar not in ("min", "max"):
        raise InputError("argument", "solar", solar, '"min" or "max"')


def magnetic_coordinates_direct(lat_deg, lon_deg, alt_km, year: float) -> tuple[np.ndarray,
                                                                                np.ndarray]:
    """McIlwain ``L`` (Earth radii) and ``B/B0`` from radbelt's IGRF, point by point (slow)."""
    rb = _radbelt()
    lval, bb0 = rb.igrf(np.asarray(lon_deg, float), np.asarray(lat_deg, float),
                        np.asarray(alt_km, float), float(year))
    return np.asarray(lval, float), np.asarray(bb0, float)


def flux_direct(lat_deg, lon_deg, alt_km, t: Any, energy_mev, particle: Particle,
                solar: Solar) -> np.ndarray:
    """Integral flux above ``energy_mev`` (cm^-2 s^-1) by direct radbelt calls, point by point.

    Exactly radbelt's ``get_flux``: ``L, B/B0`` from ``igrf(lon, lat, alt_km, decimal year of
    t)`` then ``aep8``. About 1 ms per point and energy: for checks and short spans only.
    """
    _check_particle(particle, solar)
    rb = _radbelt()
    lval, bb0 = magnetic_coordinates_direct(lat_deg, lon_deg, alt_km, _decimal_year(t))
    return np.asarray(rb.aep8(np.asarray(energy_mev, float), lval, bb0, particle, solar), float)


# -- the (L, y) table --------------------------------------------------------------------------
def _table_column(args: tuple[str, str, float, np.ndarray]) -> np.ndarray:
    """log10 flux on the y grid at one (particle, solar, energy) for every L (worker)."""
    particle, solar, energy, lgrid = args
    rb = _radbelt()
    out = np.full((lgrid.size, _Y.size), _LOG_FLOOR)
    for i, lval in enumerate(lgrid):
        for j, y in enumerate(_Y):
            bb0 = max(1.0, 10.0 ** (y + 3.0 * np.log10(lval)))
            f = float(rb.aep8(energy, lval, bb0, particle, solar))
            if f <= 0.0:
                break  # flux falls monotonically with B/B0 along a field line: rest is zero
            out[i, j] = max(np.log10(f), _LOG_FLOOR)
    return out


def _made_on() -> str:
    """`` on YYYY-MM-DD`` from ``SOURCE_DATE_EPOCH`` when set, else nothing: a rebuilt table
    carries no wall-clock date, so the same inputs give the same bytes."""
    from rossim.time import source_date_epoch

    t = source_date_epoch()
    return "" if t is None else f" on {t.utc.isot[:10]}"


def build_trapped_table(path: str | os.PathLike[str] = TABLE_PATH, processes: int = 2) -> None:
    """Tabulate AE-8/AP-8 (min and max) through radbelt on the (L, y) grid and write JSON.

    Takes a few minutes (1e5 Fortran calls); run once, the file is committed.
    ``python -m rossim.environment.radiation.trapped`` runs it.
    """
    import multiprocessing

    import radbelt

    jobs = []
    for particle, energies, lgrid in (("p", PROTON_ENERGIES_MEV, _L_PROTON),
                                      ("e", ELECTRON_ENERGIES_MEV, _L_ELECTRON)):
        for solar in ("min", "max"):
            for energy in energies:
                jobs.append((particle, solar, float(energy), lgrid))
    with multiprocessing.Pool(processes) as pool:
        columns = pool.map(_table_column, jobs)
    data: dict[str, Any] = {
        "header": (
            "Integral omnidirectional flux above E (log10 cm^-2 s^-1) of NASA AE-8/AP-8 "
            "(Vette 1991; Sawyer & Vette 1976) tabulated by calling radbelt.aep8 "
            f"(PyPI radbelt {getattr(radbelt, '__version__', '0.1.8')}, NASA Open Source "
            "Agreement 1.3) on a grid of L and y = log10(B/B0) - 3 log10(L); B/B0 below 1 is "
            "clamped to 1. Values below 1e-6 are stored as -6. Made by "
            "rossim.environment.radiation.trapped.build_trapped_table"
            f"{_made_on()}."
        ),
        "y": _Y.tolist(),
        "log_floor": _LOG_FLOOR,
    }
    k = 0
    for particle, energies, lgrid in (("p", PROTON_ENERGIES_MEV, _L_PROTON),
                                      ("e", ELECTRON_ENERGIES_MEV, _L_ELECTRON)):
        data[f"{particle}_L"] = lgrid.tolist()
        data[f"{particle}_energy_mev"] = energies.tolist()
        for solar in ("min", "max"):
            block = np.stack(columns[k:k + energies.size])  # (nE, nL, nY)
            k += energies.size
            data[f"{particle}_{solar}"] = np.round(block, 3).tolist()
    from rossim.fileio import atomic_path

    # No file name and no time stamp in the gzip header: the same inputs give the same bytes.
    with atomic_path(path) as tmp, open(tmp, "wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(json.dumps(data, separators=(",", ":")).encode("utf-8"))


def _extend_edge(block: np.ndarray) -> np.ndarray:
    """Continue log flux one grid step past the belt's lower edge (along ``y``).

    AE-8/AP-8 fall steeply towards their atmospheric cut-off in ``B/B0`` and then stop at a flux
    of about 1 cm^-2 s^-1 (:data:`_MODEL_FLOOR_LOG`): the last tabulated value is typically
    10-100 and the next node is "zero". Interpolating log flux from there to the -6 floor would
    bury the whole last cell (at 300 km, where an orbit spends its SAA passes in that cell, the
    fluxes came out far below radbelt's). The first zero node after the last non-zero one gets the
    straight-line continuation of the last two (at least one decade down), so that the
    interpolated flux crosses the model's floor inside the cell, where AE-8/AP-8 end.
    ``block`` has shape ``(nL, nY, nE)``; a new array is returned.
    """
    out = block.copy()
    zero = block <= _LOG_FLOOR + 0.5
    last = np.zeros_like(zero)
    last[:, :-1] = ~zero[:, :-1] & zero[:, 1:]  # last non-zero node before a zero node
    i, j, k = np.nonzero(last)
    prev = block[i, j, k]
    before = np.where(j >= 1, block[i, np.maximum(j - 1, 0), k], prev + 1.0)
    slope = np.where((j >= 1) & (before > _LOG_FLOOR + 0.5), prev - before, -1.0)
    out[i, j + 1, k] = np.maximum(prev + np.minimum(slope, -1.0), _LOG_FLOOR + 1.0)
    return out


class TrappedTable:
    """AE-8/AP-8 integral fluxes as a function of (energy, L, B/B0), from the committed table.

    Lookups are bilinear in ``(L, y)`` on log10 flux, with the belt's lower edge continued one
    node (:func:`_extend_edge`) and fluxes under the models' floor of 1 cm^-2 s^-1 set to 0.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.header = data["header"]
        self.y = np.asarray(data["y"], float)
        self.energies: dict[str, np.ndarray] = {}
        self.lgrid: dict[str, np.ndarray] = {}
        self.log_flux: dict[tuple[str, str], np.ndarray] = {}  # (nL, nY, nE)
        self._interp: dict[tuple[str, str], RegularGridInterpolator] = {}
        for particle in ("p", "e"):
            self.lgrid[particle] = np.asarray(data[f"{particle}_L"], float)
            self.energies[particle] = np.asarray(data[f"{particle}_energy_mev"], float)
            for solar in ("min", "max"):
                block = _extend_edge(np.moveaxis(np.asarray(data[f"{particle}_{solar}"], float),
                                                 0, -1))
                self.log_flux[(particle, solar)] = block
                self._interp[(particle, solar)] = RegularGridInterpolator(
                    (self.lgrid[particle], self.y), block, bounds_error=False, fill_value=None)

    def _points(self, lvalue, bb0, particle: str) -> tuple[np.ndarray, np.ndarray]:
        lval = np.atleast_1d(np.asarray(lvalue, float))
        bb0 = np.maximum(np.atleast_1d(np.asarray(bb0, float)), 1.0)
        lmax = self.lgrid[particle][-1]
        ok = np.isfinite(lval) & np.isfinite(bb0) & (lval >= 1.0) & (lval <= lmax)
        y = np.log10(bb0) - 3.0 * np.log10(np.where(ok, lval, 1.0))
        ok &= y <= 0.5
        return np.column_stack([np.where(ok, lval, 1.0), np.clip(y, -0.5, 0.5)]), ok

    def flux(self, lvalue, bb0, particle: Particle, solar: Solar) -> np.ndarray:
        """Integral fluxes (cm^-2 s^-1), shape ``(N, n_energies)`` for ``self.energies[particle]``.

        ``lvalue`` (Earth radii) and ``bb0`` (B/B0) are arrays of shape ``(N,)``. Outside the
        tabulated ``L`` range (below 1, above 6.6 for protons and 12 for electrons) the flux is 0.
        """
        _check_particle(particle, solar)
        pts, ok = self._points(lvalue, bb0, particle)
        logf = self._interp[(particle, solar)](pts)
        flux = np.where(logf < _MODEL_FLOOR_LOG, 0.0, 10.0 ** logf)
        flux[~ok] = 0.0
        return flux

    def weighted(self, particle: Particle, solar: Solar, weights: np.ndarray
                 ) -> RegularGridInterpolator:
        """Interpolator of ``log10(J @ weights)`` over (L, y), for quantities linear in the flux.

        ``weights`` has shape ``(n_energies, k)`` (e.g. dose per unit integral flux). Weighting
        on the table grid first and interpolating k values per point is what makes a year of
        orbit fast. Use :meth:`evaluate_weighted` to evaluate it.
        """
        _check_particle(particle, solar)
        # Nodes past the edge keep their small continued flux (< 1) so that log q falls across
        # the edge cell as the per-energy fluxes do; only the -6 floor nodes are zero.
        flux = 10.0 ** self.log_flux[(particle, solar)]
        flux[self.log_flux[(particle, solar)] <= _LOG_FLOOR + 0.5] = 0.0
        q = flux @ np.asarray(weights, float)
        return RegularGridInterpolator((self.lgrid[particle], self.y),
                                       np.log10(np.maximum(q, 1e-30)), bounds_error=False,
                                       fill_value=None)

    def evaluate_weighted(self, interp: RegularGridInterpolator, lvalue, bb0,
                          particle: Particle) -> np.ndarray:
        """Evaluate a :meth:`weighted` interpolator at points: shape ``(N, k)``."""
        pts, ok = self._points(lvalue, bb0, particle)
        values = np.asarray(interp.values, float)
        if values.ndim == 2:
            values = values[..., None]
        # the compiled fused kernel (same arithmetic as the interpolator: interp_kernel)
        logq = interp_columns_2d(np.asarray(interp.grid[0], float),
                                 np.asarray(interp.grid[1], float),
                                 np.ascontiguousarray(values), np.ascontiguousarray(pts[:, 0]),
                                 np.ascontiguousarray(pts[:, 1])).reshape(
                                     (len(pts),) + np.shape(interp.values)[2:])
        q = np.where(logq < -29.0, 0.0, 10.0 ** logq)
        q[~ok] = 0.0
        return q


@functools.lru_cache(maxsize=1)
def load_trapped_table(path: str | None = None) -> TrappedTable:
    """The committed AE-8/AP-8 table (cached)."""
    with gzip.open(path or TABLE_PATH, "rt", encoding="utf-8") as fh:
        return TrappedTable(json.load(fh))


# -- magnetic coordinates along a track ------------------------------------------------------
#: Version of the grid computation below; part of the on-disk cache key (bump on any change).
_GRID_VERSION = 1


@functools.lru_cache(maxsize=16)
def _grid_cached(alts_km: tuple[float, ...], year: float, step_deg: float, lat_limit_deg: float
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The grid in memory (per process) and on disk (:mod:`rossim.cache`, keyed by the
    inputs, radbelt's version and :data:`_GRID_VERSION`): the IGRF field-line tracing costs
    ~0.14 ms a point (seconds per grid), reading the cached grid milliseconds."""
    from importlib.metadata import version

    from rossim.cache import cached_arrays, digest

    def compute() -> dict[str, np.ndarray]:
        lats = np.arange(-lat_limit_deg, lat_limit_deg + 1e-9, step_deg)
        lons = np.arange(-180.0, 180.0 + 1e-9, step_deg)
        alts = np.asarray(alts_km, float)
        la, lo, al = np.meshgrid(lats, lons, alts, indexing="ij")
        lval, bb0 = magnetic_coordinates_direct(la, lo, al, year)
        return {"lats": lats, "lons": lons, "alts": alts,
                "inv_l": 1.0 / np.clip(lval, 0.5, 1e4),
                "log_b": np.log10(np.clip(bb0, 0.9, 1e12))}

    key = digest("igrf-grid", _GRID_VERSION, version("radbelt"), alts_km, year, step_deg,
                 lat_limit_deg)
    g = cached_arrays("igrf-grid", key, compute)
    return g["lats"], g["lons"], g["alts"], g["inv_l"], g["log_b"]


def magnetic_coordinates_grid(alts_km, year: float, step_deg: float = 2.0,
                              lat_limit_deg: float = 90.0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                         np.ndarray]:
    """``1/L`` and ``log10(B/B0)`` from radbelt's IGRF on a global geodetic grid.

    Returns ``(lats_deg, lons_deg, alts_km, inv_L, log10_bb0)`` with the last two of shape
    ``(n_lat, n_lon, n_alt)``; longitudes -180..180 inclusive so interpolation wraps; latitudes
    within +-``lat_limit_deg`` (rounded up to the step, at most 90). Cached per (altitudes, year
    rounded to 0.1, step, limit), in the process and on disk (:mod:`rossim.cache`, as the
    AE-8/AP-8 table is computed once and read after). About 0.14 ms per grid point to compute.
    """
    alts = tuple(float(round(a, 3)) for a in np.atleast_1d(alts_km))
    step = float(step_deg)
    lim = min(90.0, step * np.ceil(float(lat_limit_deg) / step))
    return _grid_cached(alts, round(float(year), 1), step, lim)


class TrappedFluxModel:
    """Fast AE-8/AP-8 integral fluxes along a trajectory (grid + table interpolation).

    Parameters
    ----------
    year:
        Decimal year for the IGRF field (the belts drift westward with the field).
    alt_range_km:
        ``(min, max)`` altitude the queries will cover; grid levels every ``alt_step_km`` on a
        fixed lattice (multiples of the step), or one level when min == max.
    step_deg:
        Latitude/longitude spacing of the IGRF grid.
    lat_limit_deg:
        Queries stay within +-this latitude (the grid is built only there).
    """

    def __init__(self, year: float, alt_range_km: tuple[float, float], step_deg: float = 2.0,
                 alt_step_km: float = 25.0, lat_limit_deg: float = 90.0) -> None:
        lo, hi = float(alt_range_km[0]), float(alt_range_km[1])
        if hi > lo:
            # Levels on a fixed lattice so that nearby orbits share one cached grid.
            lo = alt_step_km * np.floor(lo / alt_step_km)
            hi = alt_step_km * np.ceil(hi / alt_step_km)
            alts = np.arange(lo, hi + 1e-6, alt_step_km)
        else:
            alts = np.array([lo])
        lat_limit_deg = min(90.0, 15.0 * np.ceil(float(lat_limit_deg) / 15.0))
        self.year = float(year)
        self.table = load_trapped_table()
        lats, lons, alts, inv_l, log_b = magnetic_coordinates_grid(alts, year, step_deg,
                                                                    lat_limit_deg)
        self._alts = alts
        self._lat_lim = float(lats[-1])
        # Both fields on one grid for the fused kernel (interp_kernel.interp_fields_3d); one
        # altitude level becomes two identical levels 1 km apart (weight 0 on the second).
        fields = np.stack([inv_l, log_b], axis=-1)                     # (lat, lon, alt, 2)
        if alts.size == 1:
            alts = np.array([alts[0], alts[0] + 1.0])
            fields = np.concatenate([fields, fields], axis=2)
        self.grid = (lats, lons, alts)
        self.grid_fields = np.ascontiguousarray(fields)

    def magnetic_coordinates(self, lat_deg, lon_deg, alt_km) -> tuple[np.ndarray, np.ndarray]:
        """Interpolated ``L`` and ``B/B0`` at geodetic points (arrays ``(N,)``)."""
        lat = np.clip(np.atleast_1d(np.asarray(lat_deg, float)), -self._lat_lim, self._lat_lim)
        lon = (np.atleast_1d(np.asarray(lon_deg, float)) + 180.0) % 360.0 - 180.0
        alt = np.clip(np.broadcast_to(np.asarray(alt_km, float), lat.shape),
                      self._alts[0], self._alts[-1])
        out = interp_fields_3d(*self.grid, self.grid_fields, lat, lon,
                               np.ascontiguousarray(alt))
        return 1.0 / out[:, 0], 10.0 ** out[:, 1]

    def flux(self, lat_deg, lon_deg, alt_km, particle: Particle, solar: Solar) -> np.ndarray:
        """Integral fluxes (cm^-2 s^-1), shape ``(N, n_energies)`` at ``table.energies[particle]``."""
        lval, bb0 = self.magnetic_coordinates(lat_deg, lon_deg, alt_km)
        return self.table.flux(lval, bb0, particle, solar)


def fast_and_direct_flux(lat_deg, lon_deg, alt_km, year: float, energy_mev: float,
                         particle: Particle, solar: Solar, step_deg: float = 3.0
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Integral flux above the tabulated energy nearest ``energy_mev`` at the same points by the
    fast path (:class:`TrappedFluxModel`) and by point-by-point radbelt calls in the IGRF of
    ``year``: ``(fast, direct)``, arrays ``(N,)`` in cm^-2 s^-1. For accuracy checks."""
    rb = _radbelt()
    lat = np.atleast_1d(np.asarray(lat_deg, float))
    alt = np.broadcast_to(np.asarray(alt_km, float), lat.shape)
    model = TrappedFluxModel(year, (float(alt.min()), float(alt.max())), step_deg=step_deg,
                             lat_limit_deg=float(np.max(np.abs(lat))) + step_deg)
    k = int(np.argmin(np.abs(model.table.energies[particle] - energy_mev)))
    fast = model.flux(lat, lon_deg, alt, particle, solar)[:, k]
    lval, bb0 = magnetic_coordinates_direct(lat, lon_deg, alt, year)
    direct = np.asarray(rb.aep8(float(model.table.energies[particle][k]), lval, bb0, particle,
                                solar), float)
    return fast, direct


if __name__ == "__main__":  # pragma: no cover
    build_trapped_table()
    print(f"wrote {TABLE_PATH}")
