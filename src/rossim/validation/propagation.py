"""The numerical propagator against Orekit 13.1 (fixtures ``tests/data/orekit/``, made by
``tools/orekit_oracle.py``; ``tests/data/propagator/`` for the 20x20 and SRP cases): the same
initial ISS state in GCRF, the same EIGEN-6S coefficients and force models (each fixture's
header). Asserted in ``tests/dynamics/test_propagator.py``; printed in docs/validation.md."""

from __future__ import annotations

from typing import Any

import numpy as np
from astropy.time import Time

from rossim.validation._data import read_json, reference_data

__all__ = ["CASES", "fixture", "force_model", "propagate_case", "position_errors_m",
           "eclipse_errors_vs_orekit", "gcrf_to_itrf_angle_rad"]

#: ``(case, force model, target of the largest position difference over one day, m)``.
CASES: list[tuple[str, str, float]] = [
    ("twobody", "point mass", 1.0),
    ("j2", "point mass + J2 (ITRF pole)", 1.0),
    ("grav8x8", "8x8 EIGEN-6S harmonics", 1.0),
    ("sunmoon", "point mass + Sun + Moon", 1.0),
    ("drag_nrlmsise00", "point mass + NRLMSISE-00 drag, constant weather", 10.0),
    ("full", "8x8 + NRLMSISE-00 + Sun + Moon", 10.0),
    ("drag_mass_change", "NRLMSISE-00 drag, a 0.5 m/s burn at 3 h that halves the mass "
     "(MAN_DELTA_MASS)", 10.0),
    ("grav20x20", "20x20 EIGEN-6S harmonics", 1.0),
    ("srp", "point mass + SRP with conical shadow (100 kg, 10 m^2, Cr 1.5; effect ~200 m)",
     1.0),
]


def fixture(case: str) -> dict[str, Any]:
    """The Orekit fixture ``case`` (``tests/data/orekit/`` first, then ``propagator/``)."""
    if reference_data("orekit", f"{case}.json").exists():
        return read_json("orekit", f"{case}.json")
    return read_json("propagator", f"{case}.json")


def _iss(**kw: Any):
    from rossim.dynamics.forces import ForceModel
    from rossim.environment.spaceweather import ConstantWeather

    head = fixture("drag_nrlmsise00")["header"]
    atm, drag = head["atmosphere"], head["drag"]
    weather = ConstantWeather(atm["f107_daily"], atm["f107_average"], atm["ap_7_slots"][0])
    return ForceModel(drag="nrlmsise00", weather=weather, cd=drag["cd"],
                      area_m2=drag["area_m2"], mass_kg=drag["mass_kg"], **kw)


def force_model(case: str):
    """The :class:`~rossim.dynamics.forces.ForceModel` of the fixture ``case`` (the ISS's
    drag data and constant space weather from the drag fixture's header)."""
    from rossim.dynamics.forces import ForceModel

    return {
        "twobody": lambda: ForceModel(gravity="point"),
        "j2": lambda: ForceModel(gravity="j2"),
        "grav8x8": lambda: ForceModel(gravity="8x8"),
        "sunmoon": lambda: ForceModel(gravity="point", third_body=("sun", "moon")),
        "drag_nrlmsise00": lambda: _iss(gravity="point"),
        "drag_mass_change": lambda: _iss(gravity="point"),
        "full": lambda: _iss(gravity="8x8", third_body=("sun", "moon")),
        "grav20x20": lambda: ForceModel(gravity="20x20"),
        "srp": lambda: ForceModel(gravity="point", srp=True, cr=1.5, area_m2=10.0,
                                  mass_kg=100.0),
    }[case]()


def propagate_case(case: str, **kw: Any):
    """``(trajectory, fixture)``: rossim propagated from the fixture's initial state over its
    duration and output step, with the fixture's manoeuvre if it has one (its delta-v in TNW
    and Orekit's mass after it as ``delta_mass_kg``); keywords go to
    :func:`rossim.dynamics.propagator.propagate`."""
    from rossim.dynamics.manoeuvres import ImpulsiveManoeuvre
    from rossim.dynamics.propagator import propagate

    fx = fixture(case)
    head = fx["header"]
    ini = head["initial_state_gcrf"]
    burns = []
    if "manoeuvre" in head:
        man = head["manoeuvre"]
        burns.append(ImpulsiveManoeuvre(man["epoch_utc"], tuple(man["dv_m_s"]), "tnw",
                                        man["mass_after_kg"] - man["mass_before_kg"]))
    kw.setdefault("manoeuvres", burns)
    tr = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], head["duration_s"],
                   head["step_s"], force_model(case), **kw)
    return tr, fx


def position_errors_m(tr, fx: dict[str, Any]) -> np.ndarray:
    """|r_rossim - r_Orekit| (m) at each of the fixture's output epochs, (N,)."""
    return np.linalg.norm(tr.r_gcrf_m - np.array(fx["r_gcrf_m"]), axis=1)


def eclipse_errors_vs_orekit() -> dict[str, np.ndarray | None]:
    """|rossim - Orekit| (s) of every umbra/penumbra entry and exit on the two-body orbit
    propagated by rossim (``Trajectory.eclipses``, dense output), per shadow; None where the
    event counts differ."""
    from rossim.dynamics.forces import ForceModel
    from rossim.dynamics.propagator import propagate

    fx = fixture("eclipse")
    ini = fixture("twobody")["header"]["initial_state_gcrf"]
    tr = propagate(ini["r_m"], ini["v_m_s"], ini["epoch_utc"], fx["header"]["duration_s"],
                   600.0, ForceModel(gravity="point"), dense=True)
    radius = fx["header"]["occulting_body"]["radius_m"]
    out: dict[str, np.ndarray | None] = {}
    for shadow in ("umbra", "penumbra"):
        iv = tr.eclipses(shadow, earth_radius_m=radius)
        mine = np.sort(np.concatenate([iv.begin[~iv.begin_clipped].utc.jd,
                                       iv.end[~iv.end_clipped].utc.jd]))
        ref = np.sort(Time([e["epoch_utc"] for e in fx["events"] if e["shadow"] == shadow],
                           scale="utc").jd)
        out[shadow] = np.abs(mine - ref) * 86400.0 if len(mine) == len(ref) else None
    return out


def gcrf_to_itrf_angle_rad() -> float:
    """Largest rotation angle (rad) between rossim's GCRF->ITRF matrix and Orekit's at the
    frames fixture's epochs."""
    from rossim.frames.earth import gcrf_to_itrf_matrix

    records = fixture("frames")["records"]
    t = Time([r["epoch_utc"] for r in records], scale="utc")
    ref = np.array([r["gcrf_to_itrf"] for r in records])
    d = gcrf_to_itrf_matrix(t) @ np.swapaxes(ref, 1, 2)
    anti = np.stack([d[:, 2, 1] - d[:, 1, 2], d[:, 0, 2] - d[:, 2, 0],
                     d[:, 1, 0] - d[:, 0, 1]], axis=1) / 2.0
    return float(np.linalg.norm(anti, axis=1).max())
