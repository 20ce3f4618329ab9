"""Shared helpers of the sub-commands: output, JSON, date arguments."""

from __future__ import annotations

import datetime as dt
import math
import sys
from typing import Any

from rich.console import Console

from rossim.errors import InputError
from rossim.jsonio import dumps_json


class _Console(Console):
    """rich's Console, but a closed stdout (``rossim ... | head -1``) raises BrokenPipeError
    for :func:`rossim.cli.main.main` to handle (rich's own handler exits 1, the bug code)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def console() -> Console:
    """A console on stdout; no colour codes when stdout is not a terminal."""
    return _Console(highlight=False, soft_wrap=False,
                    width=160 if not sys.stdout.isatty() else None)


def dumps(data: Any) -> str:
    """Deterministic, strict JSON (sorted keys, indent 2; NaN/inf become ``null``):
    :func:`rossim.jsonio.dumps_json`."""
    return dumps_json(data)


#: Exit code when a physical outcome ends the result before the requested span's end
#: (re-entry, elements past SGP4's validity): what is valid was written and reported, the rest
#: of the span was not computed. Same code as bad input: the request cannot be met as given.
EXIT_ENDED_EARLY = 2


def report_ended_early(what: str) -> int:
    """Print the one-line notice of a result cut by a physical outcome; return the exit code.

    ``what`` says what happened and when, e.g. ``"re-entry (altitude 80 km) at
    2024-05-30T10:16:30.927Z; OEM written up to there"``.
    """
    sys.stderr.write(f"rossim: ended early: {what}\n")
    return EXIT_ENDED_EARLY


def print_json(data: Any) -> None:
    sys.stdout.write(dumps(data) + "\n")


#: Dates the models have data for: the space-weather table (1957-10-04 .. 2100-01-01); the
#: Sun and Moon (DE421, 1900-2050: :data:`SUN_END`) end earlier, for the commands that use them.
DATA_FIRST = dt.datetime(1957, 10, 4, tzinfo=dt.UTC)
DATA_END = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
SUN_END = dt.datetime(2050, 1, 1, tzinfo=dt.UTC)


def parse_date(text: str, option: str, *, data: bool = False) -> dt.datetime:
    """A UTC date or date-time from the command line.

    ``data=True``: the date must lie where the models have data (:data:`DATA_FIRST` to before
    :data:`DATA_END`).
    """
    if not str(text).strip():
        raise InputError("argument", option, text,
                         "a date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM:SSZ (not empty)")
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError("argument", option, text,
                         "a date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM:SSZ") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        value = value.astimezone(dt.UTC)
    except OverflowError:
        raise InputError("argument", option, text, "a date from year 1 to 9999") from None
    if data and not DATA_FIRST <= value < DATA_END:
        raise InputError("argument", option, text,
                         f"a date from {DATA_FIRST:%Y-%m-%d} to before {DATA_END:%Y-%m-%d} "
                         "(the space-weather table the models use)")
    return value


def check_window(start: dt.datetime, option: str, text: str, days: float, *,
                 days_option: str = "--days", end: dt.datetime = DATA_END,
                 why: str = "the space-weather table the models use") -> None:
    """A window of ``days`` from ``start`` (``option`` typed as ``text``) that ends before
    ``end`` (the models read every UTC day the window touches): otherwise one line naming
    both options, the values typed and the latest start."""
    stop = start + dt.timedelta(days=days)
    if stop < end:
        return
    latest = end - dt.timedelta(days=days)
    shown = f"{latest:%Y-%m-%d}" if latest.time() == dt.time(0) else f"{latest:%Y-%m-%d %H:%M}"
    raise InputError("argument", option, text,
                     f"{option} + {days_option} to end before {end:%Y-%m-%d} ({why}): "
                     f"{option} before {shown} with {days_option} {days:g}, or fewer days",
                     problem=f"with {days_option} {days:g} the window ends "
                             f"{stop:%Y-%m-%d %H:%M} UTC")


def parse_span_arg(text: str, option: str, *, min_s: float, max_s: float, why: str) -> float:
    """A duration option (``--duration``, ``--step``) in seconds, inside ``[min_s, max_s]``.

    The bounds keep memory and run time finite; ``why`` says where the upper one comes from.
    Every failure is an :class:`InputError` naming ``option`` and the value as typed.
    """
    from rossim.time import parse_duration

    try:
        value = parse_duration(text)
    except InputError as exc:
        if str(text).strip().startswith("-"):   # "-1d", "-60s": a sign, not a typo
            raise InputError("argument", option, text,
                             f"a duration of at least {_fmt_s(min_s)} (not negative)") from None
        raise InputError("argument", option, text, exc.expected) from None
    if not (min_s <= value <= max_s):
        bare = str(text).strip().replace(".", "", 1).isdigit()   # "3": seconds, say so
        raise InputError("argument", option, text,
                         f"a duration of at least {_fmt_s(min_s)} and at most {_fmt_s(max_s)} "
                         f"({why})", problem=f"a number without a unit is seconds: {value:g} s; "
                         "write 3d, 6h or 90min for other units" if bare else None)
    return value


#: The command-line flag of each library parameter that a command passes straight through.
#: Library errors name the Python parameter (``InputError("argument", "mass_kg", ...)``);
#: :func:`as_cli_error` puts the flag in its place when the command line prints them.
FLAG_FOR_PARAMETER = {
    "altitude_km": "--altitude",
    "inclination_deg": "--inclination",
    "mass_kg": "--mass",
    "cd": "--cd",
    "area_m2": "--area",
    "cr": "--cr",
    "srp_area_m2": "--srp-area",
    "third_body": "--third-body",
    "drag": "--drag",
    "gravity": "--gravity",
    "duration_s": "--duration",
    "step_s": "--step",
    "days": "--days",
    "start": "--start",
    "site_id": "--site",
    "insertion_altitude_km": "--insertion-km",
    "deployer": "--deployer",
    "shielding_g_cm2": "--shielding",
    "fov_deg": "--fov-deg",
    "swath_km": "--swath-km",
    "min_sun_elevation_deg": "--min-sun-deg",
    "step_deg": "--grid-deg",
    "path": "--plot",
    "out": "--out",
    "runs": "--runs",
    "workers": "--workers",
    "scheduler": "--scheduler",
    "campaign_seed": "--seed",
    "speed": "--speed",
    "region": "--region",
}


def as_cli_error(exc: InputError) -> InputError:
    """``exc`` with a library parameter (``where == "argument"``) renamed to its flag, and
    what a time expects said in the text forms only (the command line writes no Python
    ``datetime``, ``datetime64`` or astropy ``Time``: :data:`rossim.time.TIME_TEXT_EXPECTED`).

    Errors about files, scenario fields or flags already are returned unchanged.
    """
    from rossim.time import TIME_OBJECTS_EXPECTED

    flag = FLAG_FOR_PARAMETER.get(exc.field or "") if exc.where == "argument" else None
    expected = exc.expected.replace(TIME_OBJECTS_EXPECTED, "")
    if flag is None and expected == exc.expected:
        return exc
    return InputError(exc.where, flag or exc.field, exc.value, expected, problem=exc.problem)


def name_file_argument(exc: InputError, actions, args) -> InputError:
    """``exc`` about a whole input file that an argument named (missing, unreadable, a
    folder, a name too long: ``where`` is the path and so is the value, no field) renamed to
    that argument: ``scenario = "nothere.toml" (not found)``, ``--initial = "x.tle" (no such
    file or directory)``, not ``nothere.toml = "nothere.toml"``. ``actions``: the command's
    argparse actions; ``args``: their parsed values. Errors inside a file are unchanged."""
    from pathlib import Path

    whole_file = (exc.field is None and exc.where is not None and exc.where != "argument"
                  and str(exc.value) == str(exc.where)) or (
                      exc.where is None and exc.field == "path")
    if not whole_file:
        return exc

    def same(given: Any) -> bool:
        if not isinstance(given, str) or not given:
            return False
        if given == str(exc.value):
            return True
        try:
            return Path(given).resolve() == Path(str(exc.value)).resolve()
        except (OSError, ValueError):
            return False

    for action in actions:
        value = getattr(args, action.dest, None)
        if any(same(v) for v in (value if isinstance(value, list) else [value])):
            name = max(action.option_strings, key=len) if action.option_strings \
                else str(action.metavar or action.dest)
            return InputError("argument", name, exc.value, exc.expected, problem=exc.problem)
    return exc


def _fmt_s(seconds: float) -> str:
    if seconds >= 86400 and seconds % 86400 == 0:
        return f"{seconds / 86400:g} d"
    return f"{seconds:g} s"


def check_number(value: float | None, option: str, lo: float, hi: float, unit: str = "",
                 *, lo_open: bool = False) -> float | None:
    """A numeric option inside ``[lo, hi]`` (``(lo, hi]`` with ``lo_open``); None passes.

    NaN and infinities are refused (they are never "not given").
    """
    if value is None:
        return None
    ok = math.isfinite(value) and (lo < value if lo_open else lo <= value) and value <= hi
    if not ok:
        left = "(" if lo_open else "["
        u = f" {unit}" if unit else ""
        raise InputError("argument", option, value, f"a finite number in {left}{lo:g}, {hi:g}]{u}")
    return value


def check_output_file(path: str, option: str, *, folder: bool = False):
    """An output path checked before any work (see :func:`rossim.fileio.check_output_target`)."""
    from rossim.fileio import check_output_target

    return check_output_target(path, option, folder=folder)


def refuse_unused(options: dict[str, Any], expected: str) -> None:
    """An option given that this use of the command does not read is an error naming it, its
    value and ``expected`` (what it needs to act): accepted and ignored, it would look applied.

    ``options``: flag -> value as parsed; None, False and [] are "not given" (the options
    checked this way default to None, so that a value typed equal to the default counts).
    """
    for flag, value in options.items():
        if value is None or value is False or value == []:
            continue
        shown = value[0] if isinstance(value, list) and len(value) == 1 else value
        raise InputError("argument", flag, shown, expected)
