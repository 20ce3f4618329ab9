"""``rossim propagate``: numerical propagation of one state to a CCSDS OEM.

``rossim propagate --initial FILE --duration D --step S [force-model options] -o OUT.oem``

The initial state is read by the one detection path of every command
(:func:`rossim.dynamics.initial_state.read_state`): an OPM (KVN or XML; EME2000, GCRF, TOD, MOD, TEME or
ITRF axes; its manoeuvre blocks are applied as impulses), an OEM (first state), a TLE or an OMM
(the SGP4 state at the element epoch, converted to GCRF). Spacecraft mass, drag area, Cd and
SRP data default to the file's spacecraft parameters when present. The output is an OEM 2.0
(KVN) in EME2000, UTC, written atomically: a failed or interrupted run leaves no output file.
A re-entry (WGS84 altitude below 80 km) ends the OEM at the crossing, which is reported on
stderr; the exit code is then 2 (``EXIT_ENDED_EARLY``).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from rossim.cli._common import (
    check_number,
    check_output_file,
    console,
    parse_span_arg,
    print_json,
    report_ended_early,
)
from rossim.constants import R_EQ_M
from rossim.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "propagate", help="numerical orbit propagation of a state (OPM, OEM, TLE or OMM) to an "
        "OEM",
        description="Propagate one state (CCSDS OPM or OEM, TLE or OMM) with the numerical propagator "
        "(DOP853, gravity harmonics, MSIS drag, SRP, Sun and Moon) and write a CCSDS OEM 2.0 "
        "(KVN, EME2000, UTC).")
    p.add_argument("--initial", required=True, metavar="FILE",
                   help="initial state: CCSDS OPM (its manoeuvres are applied) or OEM (first "
                   "state), KVN or XML; TLE or OMM (SGP4 state at epoch)")
    p.add_argument("--duration", required=True, metavar="D",
                   help="span, e.g. 1d, 12h, 90min, 3600s, P1DT2H; 1 s to 3660 d")
    p.add_argument("--step", required=True, metavar="S",
                   help="output step, e.g. 60s, 1min (at most 5 million states)")
    p.add_argument("--gravity", default="8x8", metavar="SPEC",
                   help="point, j2..j6 or NxM (default 8x8; EIGEN-6S, up to 70x70)")
    p.add_argument("--drag", default="none", metavar="MODEL",
                   help="none, nrlmsise00, msis2.0 or msis2.1 (default none)")
    p.add_argument("--f107", type=float, default=None,
                   help="constant daily F10.7, 50-400 sfu (MSIS's range; 150 with "
                   "--space-weather constant alone)")
    p.add_argument("--f107a", type=float, default=None,
                   help="constant 81-day mean F10.7, 50-400 sfu (default = --f107)")
    p.add_argument("--ap", type=float, default=None, help="constant daily Ap, 0-400 (default 15)")
    p.add_argument("--space-weather", choices=("historical", "constant"), default=None,
                   help="historical: the offline CelesTrak file plus forecast (default when "
                   "no --f107/--ap is given); constant: --f107/--f107a/--ap")
    p.add_argument("--cd", type=float, default=None, help="drag coefficient, 0.1-10 (default: OPM, 2.2)")
    p.add_argument("--area", type=float, default=None, metavar="M2",
                   help="drag area, 1e-6 to 1e5 m^2 (default: OPM DRAG_AREA)")
    p.add_argument("--mass", type=float, default=None, metavar="KG",
                   help="mass, 1e-3 to 1e7 kg (default: OPM MASS)")
    p.add_argument("--srp", action="store_true", help="add solar radiation pressure")
    p.add_argument("--cr", type=float, default=None,
                   help="SRP coefficient, 0-2 (default: OPM SOLAR_RAD_COEFF, else 1.3; without "
                   "--srp it acts on nothing: a note says so)")
    p.add_argument("--srp-area", type=float, default=None, metavar="M2",
                   help="SRP area, 0 to 1e5 m^2 (default: OPM SOLAR_RAD_AREA, else the drag "
                   "area; without --srp it acts on nothing: a note says so)")
    p.add_argument("--third-body", default=None, metavar="LIST",
                   help="comma-separated third bodies: sun, moon, sun,moon or none (default "
                   "none)")
    p.add_argument("--burn", action="append", default=[], metavar="'EPOCH FRAME DVX DVY DVZ'",
                   help="impulsive manoeuvre: epoch (UTC), frame lvlh|vnc|rtn|tnw|gcrf, delta-v m/s "
                   "(at most 5000 m/s; repeatable)")
    p.add_argument("--reentry-altitude", type=float, default=None, metavar="KM",
                   help="WGS84 altitude that counts as re-entry: the propagation ends there "
                   "with a re-entry result, 80-300 km (default 120, the entry interface)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.oem", help="OEM file to write")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def _read_initial(path: str) -> dict[str, Any]:
    """GCRF state, epoch, spacecraft data and manoeuvres from any state file.

    The one detection path of every command (:func:`rossim.dynamics.initial_state.read_state`): OPM,
    OEM (first state), TLE or OMM (the SGP4 state at the element epoch, in GCRF).
    """
    from rossim.dynamics.initial_state import read_state

    st = read_state(path)
    if st.extra_sets_note():
        sys.stderr.write(f"rossim: note: {st.extra_sets_note()}\n")
    sc = st.spacecraft
    if st.source in ("TLE", "OMM"):
        tle = st.elements
        name = tle.name or f"{tle.catalog_number:05d}"
        # OBJECT_ID: the international designator (CCSDS 502.0-B-3), else the catalogue number
        ident = st.object_id or str(tle.catalog_number)
        source = f"{st.source} (SGP4 state at epoch)"
    else:
        name = st.object_name or "UNKNOWN"
        ident = st.object_id or name   # the file's own OBJECT_ID, kept
        source = st.source if st.source == "OPM" else "OEM (first state)"
    return {"epoch": st.epoch, "r": st.r_m, "v": st.v_m_s, "name": name, "id": ident,
            "mass": sc.get("mass_kg"), "area": sc.get("drag_area_m2"),
            "cd": sc.get("drag_coeff"), "srp_area": sc.get("solar_rad_area_m2"),
            "cr": sc.get("solar_rad_coeff"), "source": source, "where": str(path),
            "maneuvers": st.maneuvers}


def _keyword_line(where: str, key: str) -> str:
    """``file:line`` of ``KEY =`` in a KVN file (or ``KEY=`` in an OEM comment), else ``file``."""
    import re

    try:
        text = Path(where).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return where
    pattern = re.compile(rf"^\s*(?:COMMENT\s+)?{re.escape(key)}\s*=", re.MULTILINE)
    m = pattern.search(text)
    return f"{where}:{text.count(chr(10), 0, m.start()) + 1}" if m else where


#: Physical ranges of the spacecraft options (also in ``--help``).
_RANGES = {"--mass": (1e-3, 1e7, "kg"), "--area": (1e-6, 1e5, "m^2"),
           "--cd": (0.1, 10.0, ""), "--cr": (0.0, 2.0, ""), "--srp-area": (0.0, 1e5, "m^2")}
_FILE_KEYS = {"--mass": "MASS", "--area": "DRAG_AREA", "--cd": "DRAG_COEFF",
              "--cr": "SOLAR_RAD_COEFF", "--srp-area": "SOLAR_RAD_AREA"}


def _pick(name: str, value, fallback, default=None, *, required: bool = False,
          where: str = "") -> float:
    """The option's value, else the file's, else ``default``; each checked against its range.

    A NaN option is refused (never taken as "not given"); a bad value from the file is blamed
    on the file's keyword, not on the option.
    """
    lo, hi, unit = _RANGES[name]
    u = f" {unit}" if unit else ""
    if value is not None:
        check_number(value, name, lo, hi, unit)
        return float(value)
    if fallback is not None and not (isinstance(fallback, float) and math.isnan(fallback)):
        if not (math.isfinite(fallback) and lo <= fallback <= hi):
            raise InputError(_keyword_line(where, _FILE_KEYS[name]), _FILE_KEYS[name], fallback,
                             f"a number in [{lo:g}, {hi:g}]{u} (or give {name})")
        return float(fallback)
    if default is not None:
        return float(default)
    if required:
        raise InputError("argument", name, None, f"a value for {name} (not in the initial file)")
    return float("nan")


def _known_mass(mass) -> float | None:
    """The file's MASS when it gives a positive finite one (else None: nothing to check)."""
    return float(mass) if mass is not None and 0.0 < float(mass) < math.inf else None


def _weather(args: argparse.Namespace):
    from rossim.environment.spaceweather import F107_MAX_SFU, F107_MIN_SFU, ConstantWeather

    check_number(args.f107, "--f107", F107_MIN_SFU, F107_MAX_SFU, "sfu")
    check_number(args.f107a, "--f107a", F107_MIN_SFU, F107_MAX_SFU, "sfu")
    check_number(args.ap, "--ap", 0.0, 400.0)
    constants = (args.f107, args.f107a, args.ap)
    if args.space_weather == "historical":
        if any(c is not None for c in constants):
            raise InputError("argument", "--space-weather", "historical",
                             "either --space-weather historical or --f107/--f107a/--ap")
        return None, "historical (CelesTrak SW-All via the spaceweather package, + forecast)"
    if args.f107 is None and (args.f107a is not None or args.ap is not None) \
            and str(args.drag).lower() != "none":   # without drag: a note names them unused
        given = "--f107a" if args.f107a is not None else "--ap"
        raise InputError("argument", "--f107", "not given",
                         f"a daily F10.7 beside {given} (constant space weather takes --f107; "
                         f"without {given} the historical weather is used)")
    if args.space_weather == "constant" or any(c is not None for c in constants):
        f107 = 150.0 if args.f107 is None else args.f107
        f107a = f107 if args.f107a is None else args.f107a
        ap = 15.0 if args.ap is None else args.ap
        return ConstantWeather(f107, f107a, ap), f"constant F10.7={f107:g} F10.7a={f107a:g} Ap={ap:g}"
    return None, "historical (CelesTrak SW-All via the spaceweather package, + forecast)"


def _note_unused_drag_options(args: argparse.Namespace) -> list[str]:
    """With ``--drag none`` the atmosphere's options act on nothing: one note on stderr names
    them (a forgotten ``--drag`` would otherwise pass silently). A note, not an error: the
    field case propagate-initial-omm-oem's real command gives ``--area``/``--mass`` with no
    drag, and the result is right without them. ``--area`` and ``--mass`` also size solar
    radiation pressure, so they are used with ``--srp``."""
    unused = [("--f107", args.f107), ("--f107a", args.f107a), ("--ap", args.ap),
              ("--space-weather", args.space_weather), ("--cd", args.cd)]
    if not args.srp:
        unused += [("--area", args.area), ("--mass", args.mass)]
    return _note_unused([f for f, _ in unused], [v for _, v in unused],
                        "--drag none (no atmosphere)", "--drag nrlmsise00, msis2.0 or msis2.1")


def _check_values(args: argparse.Namespace) -> None:
    """Every force-model value given, checked before any option is required for it: ``--drag
    msis3`` is named as such, not as a missing ``--area`` (nor ``--srp --cr -1`` as a missing
    ``--mass``)."""
    from rossim.dynamics.forces import DRAG_MODELS
    from rossim.dynamics.gravity import parse_gravity_spec

    if str(args.drag).lower() not in DRAG_MODELS:
        raise InputError("argument", "--drag", args.drag, "one of " + ", ".join(DRAG_MODELS))
    try:
        parse_gravity_spec(args.gravity)
    except InputError as exc:
        raise InputError("argument", "--gravity", args.gravity, exc.expected) from None
    for flag, (lo, hi, unit) in _RANGES.items():
        check_number(getattr(args, flag[2:].replace("-", "_")), flag, lo, hi, unit)
    _third_bodies(args.third_body)


def _third_bodies(text: str | None) -> tuple[str, ...]:
    """``--third-body``: each body once; ``none`` alone for none. An empty item (``sun,``,
    ``,moon``) is refused, not skipped: a list typed short of a name (unknown names are
    named as typed)."""
    if text is None:
        return ()
    from rossim.dynamics.forces import THIRD_BODIES

    items = [b.strip().lower() for b in str(text).split(",")]
    if "" in items or ("none" in items and len(items) > 1):
        raise InputError("argument", "--third-body", text,
                         "a comma-separated list of sun and moon with no empty item (sun, "
                         "moon, sun,moon), or none alone")
    for raw, b in zip(str(text).split(","), items, strict=True):
        if b not in THIRD_BODIES and b != "none":
            raise InputError("argument", "--third-body", raw.strip(), "sun and/or moon")
    return () if items == ["none"] else tuple(dict.fromkeys(items))   # each body once


def _note_unused(flags: list[str], values: list, because: str, fix: str) -> list[str]:
    """One note on stderr naming the options given (``values`` not None) that act on nothing
    ``because``, without ``fix``; returned for the summary's ``notes`` (table and --json)."""
    given = [f for f, v in zip(flags, values, strict=True) if v is not None]
    if not given:
        return []
    text = (f"{', '.join(given)} ignored: {because}; give {fix} to use "
            f"{'them' if len(given) > 1 else 'it'}")
    sys.stderr.write(f"rossim: note: {text}\n")
    return [text]


#: Largest delta-v of one --burn (m/s): above any chemical manoeuvre of a station or its
#: visitors (a LEO-to-escape burn is ~3.2 km/s).
MAX_BURN_M_S = 5000.0


def _same_epoch_notes(texts: list[str], cli_burns, file_burns) -> list[str]:
    """A note per ``--burn`` within a second of a manoeuvre of the initial file: both are
    applied (the file's manoeuvres are, since the field case ``opm-maneuvers-ignored``), so a
    ``--burn`` given to stand in for the file's manoeuvre doubles it."""
    out = []
    for text, burn in zip(texts, cli_burns, strict=True):
        for fb in file_burns:
            if abs((burn.epoch - fb.epoch).sec) < 1.0:
                out.append(f"--burn '{text}' is at the epoch of the initial file's manoeuvre "
                           f"({fb.epoch.utc.isot}): both are applied; the file's manoeuvres "
                           "are applied without --burn")
                break
    return out


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
        if not all(math.isfinite(x) for x in dv) or math.hypot(*dv) > MAX_BURN_M_S:
            raise InputError("argument", "--burn", text,
                             f"a finite delta-v of at most {MAX_BURN_M_S:g} m/s")
        try:
            out.append(ImpulsiveManoeuvre(parts[0], dv, parts[1]))
        except InputError as exc:   # the part at fault, in the command line's terms
            part = {"time": "EPOCH", "frame": "FRAME"}.get(exc.field or "")
            raise InputError("argument", "--burn", text,
                             f"'EPOCH FRAME DVX DVY DVZ' with {part} {exc.expected}" if part
                             else exc.expected) from None
    return out


#: Longest propagation (the OEM holds at most 5 million states; a 10-year span at one state
#: a day is 3,650). Numerical propagation runs ~1e4 integrator steps per simulated day.
MAX_DURATION_S = 3660 * 86400.0


def run(args: argparse.Namespace) -> int:
    duration_s = parse_span_arg(args.duration, "--duration", min_s=1.0, max_s=MAX_DURATION_S,
                                why="a numerical propagation; use an element set for longer")
    step_s = parse_span_arg(args.step, "--step", min_s=1e-3, max_s=MAX_DURATION_S,
                            why="the output spacing")
    if duration_s / step_s > 5e6:
        raise InputError("argument", "--step", args.step,
                         "at most 5 million output states (a larger step)")
    from rossim.dynamics.propagator import MAX_REENTRY_ALTITUDE_M, REENTRY_ALTITUDE_M

    reentry_km = check_number(args.reentry_altitude, "--reentry-altitude", 80.0,
                              MAX_REENTRY_ALTITUDE_M / 1e3, "km")
    reentry_m = REENTRY_ALTITUDE_M if reentry_km is None else reentry_km * 1e3
    out_path = check_output_file(args.output, "--output")
    _check_values(args)   # each value given, before an option is required beside it
    init = _read_initial(args.initial)
    if out_path.resolve() == Path(args.initial).resolve():
        raise InputError("argument", "--output", args.output,
                         "a path other than the --initial file (it would be overwritten)")
    weather, weather_text = _weather(args)
    drag = str(args.drag).lower()
    need_drag = drag != "none"
    where = init["where"]
    area = _pick("--area", args.area, init["area"], None if need_drag else 1.0,
                 required=need_drag, where=where)
    mass = _pick("--mass", args.mass, init["mass"], None if (need_drag or args.srp) else 1000.0,
                 required=need_drag or args.srp, where=where)
    cd = _pick("--cd", args.cd, init["cd"], 2.2, where=where)
    cr = _pick("--cr", args.cr, init["cr"] or None, 1.3, where=where)
    srp_area = _pick("--srp-area", args.srp_area, init["srp_area"] or None, area, where=where)
    option_notes: list[str] = []   # options that act on nothing: noted, and in the summary
    if not need_drag:   # after the values are checked: a bad one is one error line, no note
        option_notes += _note_unused_drag_options(args)
    if not args.srp:
        option_notes += _note_unused(["--cr", "--srp-area"], [args.cr, args.srp_area],
                                     "no solar radiation pressure (--srp not given)",
                                     "--srp")
    bodies = _third_bodies(args.third_body)

    from rossim.dynamics.forces import ForceModel
    from rossim.dynamics.propagator import propagate

    forces = ForceModel(gravity=args.gravity, drag=drag, weather=weather, cd=cd, area_m2=area,
                        mass_kg=mass, srp=bool(args.srp), cr=cr, srp_area_m2=srp_area,
                        third_body=bodies)
    from rossim.dynamics.initial_state import manoeuvres_in_span

    file_burns, file_notes = manoeuvres_in_span(
        init["maneuvers"], where, init["epoch"], duration_s,
        # the mass is checked whenever it is known, whatever the force model: a file whose
        # burns leave no spacecraft is refused with or without drag
        forces.mass_kg if (need_drag or args.srp) else (
            args.mass if args.mass is not None else _known_mass(init["mass"])),
        "--mass" if args.mass is not None else "the file's MASS")
    for text in file_notes:
        sys.stderr.write(f"rossim: note: {text}\n")
    cli_burns = _burns(args.burn)
    from astropy.time import TimeDelta

    t_end = init["epoch"] + TimeDelta(duration_s, format="sec")
    for text, burn in zip(args.burn or [], cli_burns, strict=True):
        if not (init["epoch"].tt <= burn.epoch.tt < t_end.tt):
            raise InputError("argument", "--burn", text,
                             f"an epoch inside the span {init['epoch'].utc.isot} to "
                             f"{t_end.utc.isot} (before its end: a burn at the last state "
                             "would change no output)")
    same = _same_epoch_notes(args.burn or [], cli_burns, file_burns)
    for text in same:
        sys.stderr.write(f"rossim: note: {text}\n")
    file_notes = [*option_notes, *file_notes, *same]
    burns = cli_burns + file_burns

    t0 = time.perf_counter()
    show = not args.no_progress and not args.json and sys.stderr.isatty() and duration_s > 86400
    if show:
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(TextColumn("propagating"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                      TimeRemainingColumn(), transient=True) as bar:
            task = bar.add_task("prop", total=duration_s)
            tr = propagate(init["r"], init["v"], init["epoch"], duration_s, step_s, forces,
                           burns, progress=lambda done, total: bar.update(task, completed=done),
                           on_reentry="stop", reentry_altitude_m=reentry_m)
    else:
        tr = propagate(init["r"], init["v"], init["epoch"], duration_s, step_s, forces, burns,
                       on_reentry="stop", reentry_altitude_m=reentry_m)
    wall = time.perf_counter() - t0

    ended = None
    if tr.reentry_x_s is not None:
        ended = {"reason": "reentry", "epoch": tr.epochs[-1].isot + "Z",
                 "detail": f"re-entry (altitude {reentry_m / 1e3:g} km)"}
    _write_oem(out_path, tr, init, forces, weather_text, file_burns, ended, cli_burns)
    alt_km = (np.linalg.norm(tr.r_gcrf_m, axis=1) - R_EQ_M) / 1000.0
    summary = {
        "output": str(out_path), "states": int(len(tr.x_s)), "initial": init["source"],
        "start_utc": tr.epochs[0].isot, "end_utc": tr.epochs[-1].isot,
        "ended_early": ended,
        "manoeuvres": len(burns), "manoeuvres_from_file": len(file_burns),
        "manoeuvres_from_command_line": len(cli_burns),
        "notes": file_notes,
        "gravity": forces.gravity, "drag": forces.drag,
        "space_weather": weather_text if need_drag else None,
        "third_body": list(forces.third_body), "srp": forces.srp,
        # the mass drag and radiation pressure divide by, before and after the burns
        "mass_kg": ({"initial": forces.mass_kg, "final": tr.stats["final_mass_kg"]}
                    if need_drag or forces.srp else None),
        "radius_minus_equatorial_km": {"min": float(alt_km.min()), "max": float(alt_km.max())},
        "integrator": tr.stats.get("backend", "dop853"),
        "integrator_steps": tr.stats.get("steps"), "wall_s": round(wall, 3),
    }
    notice = (f"{ended['detail']} at {ended['epoch']}; {out_path} holds the "
              f"{len(tr.x_s)} states up to there") if ended else None
    if args.json:
        print_json(summary)
        return 0 if notice is None else report_ended_early(notice)
    from rich.table import Table

    table = Table(title=f"rossim propagate: {init['name']}")
    table.add_column("item")
    table.add_column("value")
    for key, value in summary.items():
        table.add_row(key, _cell(value))
    console().print(table)
    return 0 if notice is None else report_ended_early(notice)


def _cell(value) -> str:
    """A summary value as a table cell: words, not Python's ``None``, dicts or lists."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict):
        if {"detail", "epoch"} <= value.keys():  # ended_early
            return f"{value['detail']} at {value['epoch']}"
        return ", ".join(f"{k} {_cell(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value) if value else "none"
    return str(value)


def _write_oem(path: Path, tr, init: dict, forces, weather_text: str, file_burns=(),
               ended: dict | None = None, cli_burns=()) -> None:
    import erfa

    from rossim.files.oem import oem_from_states, write_oem

    # EME2000 = GCRF rotated by the constant IAU 2000 frame bias (r_eme2000 = B r_gcrf).
    bias = erfa.bp00(2451545.0, 0.0)[0]
    r = tr.r_gcrf_m @ bias.T
    v = tr.v_gcrf_m_s @ bias.T
    comments = [
        f"rossim propagate from {init['source']}: gravity {forces.gravity}, drag {forces.drag}"
        + (f" ({weather_text}, Cd {forces.cd:g}, area {forces.area_m2:g} m2)"
           if forces.drag != "none" else "")
        + (f", SRP Cr {forces.cr:g}" if forces.srp else "")
        + (f", initial mass {forces.mass_kg:g} kg" if forces.drag != "none" or forces.srp
           else "")
        + (f", third body {'+'.join(forces.third_body)}" if forces.third_body else ""),
        ("Integrator heyoka.py Taylor series (rossim.dynamics.taylor), dense output at the "
         "listed epochs" if tr.stats.get("backend") == "heyoka" else
         "Integrator DOP853 (rossim.dynamics.propagator), dense output at the listed epochs"),
    ]
    # In the order they fly, up to the last state (a re-entry ends the trajectory early);
    # the command line's --burn first at a shared epoch (the order the propagator is given).
    tagged = [(b, "--burn") for b in cli_burns] + [(b, "the initial file") for b in file_burns]
    flown = sorted((x for x in tagged
                    if (x[0].epoch.tt - tr.epoch.tt).to_value("s") <= tr.x_s[-1]),
                   key=lambda x: (x[0].epoch.tt - tr.epoch.tt).to_value("s"))
    for b, origin in flown:
        comments.append(f"Manoeuvre from {origin} applied: {b.epoch.utc.isot}Z "
                        f"{b.frame.upper()} dv = {b.dv_m_s[0]:.6f} {b.dv_m_s[1]:.6f} "
                        f"{b.dv_m_s[2]:.6f} m/s (impulsive)"
                        + (f", mass change {b.delta_mass_kg:+g} kg"
                           if b.delta_mass_kg and (forces.drag != "none" or forces.srp)
                           else ""))
    if ended:
        comments.append(f"Ended early: {ended['detail']} at {ended['epoch']}; the last state "
                        "is the crossing")
    oem = oem_from_states(tr.epochs, r, v, object_name=str(init["name"]),
                          object_id=str(init["id"]), ref_frame="EME2000", time_system="UTC",
                          comments=comments)
    write_oem(path, oem)
