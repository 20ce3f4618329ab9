"""Shared by ``rossim eclipse`` and ``rossim passes``: a trajectory from an initial-state file.

A TLE or OMM is flown with SGP4 (the model its elements belong to); an OPM or OEM state with
the numerical propagator (``--gravity``, default J2, no drag: geometry over days). The result
is a callable ``Time -> (N, 3)`` GCRF positions (m), the span, and what ended it early, if
anything: SGP4 failing part-way (its error code and the first failing instant, to 1 ms) or a
re-entry of the numerical trajectory. The span then stops there, and the commands mark the
cut, report it on stderr and exit with :data:`rossim.cli._common.EXIT_ENDED_EARLY`.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.errors import InputError

#: Longest span of eclipse/passes: a year, as ``coverage``/``fleet`` (memory: the event search
#: samples every 30-60 s, ~1e6 samples a year).
MAX_SPAN_S = 366 * 86400.0
#: Sampling of the SGP4 validity scan (failures are then bisected to 1 ms).
SGP4_SCAN_S = 60.0
#: Days after an element set's epoch within which its SGP4 results are taken as predictions;
#: later ones get a note. The ISS's 2023 sets were a median 24 km from the set published 3 days
#: later and 149 km after 7 days (rossim.validation.sgp4.element_set_drift_km, in
#: docs/validation.md): a few seconds of AOS/LOS at 3 days, minutes after a week.
SGP4_VALIDITY_DAYS = 3.0


@dataclass(frozen=True)
class EndedEarly:
    """Why and when a trajectory stops before the requested end (UTC ``epoch``)."""

    reason: str
    epoch: Time
    detail: str

    def as_dict(self) -> dict:
        return {"reason": self.reason, "epoch": self.epoch.utc.isot + "Z",
                "detail": self.detail}

    def text(self, what: str) -> str:
        return f"{self.detail} from {self.epoch.utc.isot}Z; {what} end there"


def add_orbit_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--initial", required=True, metavar="FILE",
                   help="initial state: TLE, OMM (KVN, XML or JSON), CCSDS OPM (its "
                        "manoeuvres in the span are applied) or OEM")
    p.add_argument("--duration", default="1d", metavar="D",
                   help="span after the initial epoch, e.g. 1d, 12h, 90min; 1 min to 366 d "
                   "(default 1d)")
    p.add_argument("--gravity", default="j2", metavar="MODEL",
                   help="gravity for OPM/OEM states: point, j2..j6 or NxM (default j2; "
                   "checked for every file)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


def first_sgp4_failure(sat, start: Time, end: Time,
                       scan_s: float = SGP4_SCAN_S) -> tuple[Time, Time, int] | None:
    """Where SGP4 stops working for ``sat`` in ``[start, end]``: ``(last_good, first_failed,
    error_code)``.

    Scans every ``scan_s`` seconds, then bisects between the last good and the first failed
    sample to 1 ms: ``last_good`` is the end of the valid span (SGP4 works there; ``start``
    when no later sample works), ``first_failed`` the instant reported. None when SGP4 works
    over the whole span (at the scan's resolution).
    """
    from rossim.dynamics import tle as tle_mod

    span = float((end - start).to_value("s"))
    x = np.append(np.arange(0.0, span, scan_s), span)
    err = tle_mod.propagate(sat, start + TimeDelta(x, format="sec"), frame="TEME").error[0]
    bad = np.flatnonzero(err != 0)
    if not len(bad):
        return None
    i = int(bad[0])
    if i == 0:
        return start, start, int(err[0])
    a, b = float(x[i - 1]), float(x[i])
    code = int(err[i])
    while b - a > 1e-3:
        m = 0.5 * (a + b)
        e = int(tle_mod.propagate(sat, start + TimeDelta(m, format="sec"), frame="TEME").error[0, 0])
        if e == 0:
            a = m
        else:
            b, code = m, e
    return start + TimeDelta(a, format="sec"), start + TimeDelta(b, format="sec"), code


def _sgp4_below(sat, start: Time, altitude_m: float):
    """``below(x)``: True where ``sat``'s SGP4 position at float seconds ``x`` after ``start``
    (TEME, error-free) is inside the WGS84 ellipsoid grown by ``altitude_m``."""
    from rossim.constants import R_EQ_M, R_POLAR_M
    from rossim.dynamics import tle as tle_mod

    a2, b2 = (R_EQ_M + altitude_m) ** 2, (R_POLAR_M + altitude_m) ** 2

    def below(x: np.ndarray) -> np.ndarray:
        res = tle_mod.propagate(sat, start + TimeDelta(x, format="sec"), frame="TEME")
        r = np.asarray(res.r_m)[0]
        inside = (r[:, 0] ** 2 + r[:, 1] ** 2) / a2 + r[:, 2] ** 2 / b2 < 1.0
        return inside & (np.asarray(res.error)[0] == 0)

    return below


def _bisect_below(below, a: float, b: float) -> float:
    """The instant (float s, to 1 ms) between ``a`` (not below) and ``b`` (below) where
    ``below`` turns true, by bisection."""
    while b - a > 1e-3:
        m = 0.5 * (a + b)
        if below(np.array([m]))[0]:
            b = m
        else:
            a = m
    return b


def last_sgp4_descent(sat, start: Time, end: Time, altitude_m: float,
                      scan_s: float = SGP4_SCAN_S) -> Time | None:
    """When ``sat``'s SGP4 position at ``end`` is below ``altitude_m`` (the numerical
    propagator's re-entry surface): the instant of its last descent through it in
    ``[start, end]`` (``start`` when it is below all along), else None. For an element set
    that SGP4 stops at ``end`` (error 6, "decayed"): the orbit came down before SGP4 gave up,
    and nothing after the descent is a result. Scanned every ``scan_s`` seconds (at least 64
    samples), then bisected to 1 ms."""
    below = _sgp4_below(sat, start, altitude_m)
    span = float((end - start).to_value("s"))
    x = np.linspace(0.0, span, max(int(np.ceil(span / scan_s)), 64) + 1)
    flags = below(x)
    if not flags[-1]:
        return None
    above = np.flatnonzero(~flags)
    if not len(above):
        return start
    a, b = float(x[above[-1]]), float(x[above[-1] + 1])
    return start + TimeDelta(_bisect_below(below, a, b), format="sec")


def first_sgp4_reentry(sat, start: Time, end: Time, altitude_m: float,
                       scan_s: float = SGP4_SCAN_S) -> Time | None:
    """First instant in ``[start, end]`` from which ``sat``'s SGP4 position (TEME, error-free
    samples) stays below ``altitude_m`` over the WGS84 ellipsoid (the numerical propagator's
    re-entry surface, semi-axes a + h and b + h) for a whole revolution (the element set's
    period), or None. A perigee dipping under it on an orbit that climbs again is left to
    SGP4 (its own validity ends such sets: field case tle-decayed-silent). Scanned every
    ``scan_s`` seconds, then bisected to 1 ms. An element set already under it for its first
    revolution returns ``start``."""
    below = _sgp4_below(sat, start, altitude_m)
    period_s = 2.0 * np.pi / (float(sat.satrec.no_kozai) / 60.0)
    span = float((end - start).to_value("s"))
    x = np.arange(0.0, span + period_s + scan_s, scan_s)   # a revolution past the end
    flags = below(x)
    w = int(np.ceil(period_s / scan_s)) + 1
    run = np.convolve(flags.astype(int), np.ones(w, dtype=int), mode="valid")  # [i, i + w)
    hit = np.flatnonzero((run == w) & (x[:len(run)] <= span))
    if not len(hit):
        return None
    i = int(hit[0])
    if i == 0:
        return start
    a, b = float(x[i - 1]), float(x[i])
    return start + TimeDelta(_bisect_below(below, a, b), format="sec")


def trajectory_from_args(args: argparse.Namespace):
    """``(positions(t), start, end, source, ended)`` for the command's arguments.

    ``end`` is the requested end, or the instant the trajectory stops being valid when
    ``ended`` (an :class:`EndedEarly`) is not None.
    """
    from rossim.cli._common import parse_span_arg
    from rossim.dynamics.forces import ForceModel
    from rossim.dynamics.initial_state import read_state

    duration = parse_span_arg(args.duration, "--duration", min_s=60.0, max_s=MAX_SPAN_S,
                              why="memory and run time grow with the span")
    try:
        forces = ForceModel(gravity=args.gravity)
    except InputError as exc:
        raise InputError("argument", "--gravity", args.gravity, exc.expected) from None
    state = read_state(args.initial)
    if state.extra_sets_note():
        sys.stderr.write(f"rossim: note: {state.extra_sets_note()}\n")
    start = state.epoch.utc
    end = start + TimeDelta(duration, format="sec")
    if state.source in ("TLE", "OMM"):
        from rossim.dynamics import tle as tle_mod
        from rossim.dynamics.sgp4_failure import describe, object_label

        first = state.elements

        from rossim.dynamics.propagator import REENTRY_ALTITUDE_M

        ended = None
        fail = first_sgp4_failure(first, start, end)
        if fail is not None:  # the file, the object, its epoch, the error and its meaning
            # the results end at the last instant SGP4 works (an interval open there is
            # clipped by the span's end), the report names the first one it fails
            t_good, t_fail, code = fail
            end = t_good
            ended = EndedEarly("sgp4", t_fail,
                               f"{state.where or args.initial}: {object_label(first)}, "
                               f"epoch {first.epoch.utc.isot}Z: {describe(code)}")
        # Below the re-entry altitude SGP4 may still answer (a 16.8 rev/day element set gives
        # 62 km without an error code): an orbit wholly under it has re-entered, as `rossim
        # propagate` says of such a state. One that SGP4 stops with error 6 (the position
        # inside the Earth) came down at its last descent through it (ecc0999.omm); other
        # SGP4 errors end the results where SGP4 fails (field case tle-decayed-silent).
        t_down = first_sgp4_reentry(first, start, end, REENTRY_ALTITUDE_M)
        why = "for a whole revolution"
        if fail is not None and code == 6 and end > start and t_down is None:
            t_down = last_sgp4_descent(first, start, end, REENTRY_ALTITUDE_M)
            why = f"until SGP4 fails at {t_fail.utc.isot}Z: {describe(code)}"
        if t_down is not None and float((t_down - start).to_value("s")) <= 0.0:
            r0 = np.asarray(tle_mod.propagate(first, start, frame="TEME").r_m)[0, 0]
            from rossim.frames.geodetic import itrf_to_geodetic

            h_km = float(np.asarray(itrf_to_geodetic(r0)[2]).ravel()[0]) / 1e3  # TEME z ~ pole
            raise InputError(state.where or args.initial, "altitude", f"{h_km:.1f} km",
                             f"an element set above the re-entry altitude "
                             f"({REENTRY_ALTITUDE_M / 1e3:g} km) at its epoch: "
                             f"{object_label(first)} has re-entered")
        if t_down is not None:
            end = t_down
            ended = EndedEarly("reentry", t_down,
                               f"{state.where or args.initial}: {object_label(first)}, "
                               f"epoch {first.epoch.utc.isot}Z: re-entry (SGP4 position below "
                               f"{REENTRY_ALTITUDE_M / 1e3:g} km {why})")
        days = float((end - first.epoch).to_value("day"))
        if days > SGP4_VALIDITY_DAYS:
            sys.stderr.write(
                f"rossim: note: {state.where or args.initial}: the results reach {days:.1f} "
                f"days after the element set's epoch; SGP4 from one element set drifts from "
                f"the sets published later (for the ISS: kilometres after a day, hundreds "
                f"after a week; docs/validation.md), so times beyond about "
                f"{SGP4_VALIDITY_DAYS:g} days are indicative, not predictions\n")

        from rossim.frames.teme import TemeToGcrfSpan

        # TEME -> GCRF with the span's precession-nutation tabulated once: an event search
        # refines its crossings with many short calls, each an IAU 2000A series otherwise.
        to_gcrf = TemeToGcrfSpan(start, end)

        def positions(t: Time) -> np.ndarray:
            res = tle_mod.propagate(first, t, frame="TEME")
            return to_gcrf(np.asarray(res.r_m)[0], None, t)[0]

        return positions, start, end, f"SGP4 ({state.source})", ended

    from rossim.dynamics.initial_state import manoeuvres_in_span
    from rossim.dynamics.propagator import REENTRY_ALTITUDE_M, propagate

    # An OPM's manoeuvres fly here as in `rossim propagate` (the field case
    # opm-maneuvers-ignored, found again in eclipse and passes); those after the span are
    # noted, not applied (their MAN_DELTA_MASS acts on nothing: no drag here, but a file
    # whose burns leave no spacecraft is refused as by `rossim propagate`).
    mass = state.spacecraft.get("mass_kg")
    burns, notes = manoeuvres_in_span(
        state.maneuvers, state.where or str(args.initial), start, duration,
        mass if mass is not None and 0.0 < mass < np.inf else None)
    for text in notes:
        sys.stderr.write(f"rossim: note: {text}\n")
    traj = propagate(state.r_m, state.v_m_s, start, duration, min(600.0, duration),
                     forces=forces, manoeuvres=burns, dense=True, on_reentry="stop")
    epoch_tt = start.tt
    span = duration
    ended = None
    if traj.reentry_x_s is not None:
        span = traj.reentry_x_s
        end = (epoch_tt + TimeDelta(span, format="sec")).utc
        ended = EndedEarly("reentry", end,   # the file named, as an element set's outcome
                           f"{args.initial}: re-entry (altitude {REENTRY_ALTITUDE_M / 1e3:g} "
                           "km)")

    def positions(t: Time) -> np.ndarray:
        x = (t.tt - epoch_tt).to_value("s")
        x = np.clip(np.atleast_1d(x), 0.0, span)
        return traj.state_at(x)[0]

    what = f"{args.gravity}, {state.source}"
    if burns:
        what += f", {len(burns)} manoeuvre{'s' if len(burns) > 1 else ''} from the file"
    return positions, start, end, f"numerical ({what})", ended
