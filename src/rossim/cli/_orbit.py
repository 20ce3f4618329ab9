"""Shared by ``rossim eclipse`` and ``rossim passes``: a trajectory from an initial-state file.

A TLE or OMM is flown with SGP4 (the model its elements belong to); an OPM or OEM state with
the numerical propagator (``--gravity``, default J2, no drag: geometry over days). The result
is a callable ``Time -> (N, 3)`` GCRF positions (m) and the span.
"""

from __future__ import annotations

import argparse

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.errors import InputError


def add_orbit_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--initial", required=True, metavar="FILE",
                   help="initial state: TLE, OMM, CCSDS OPM or OEM (KVN)")
    p.add_argument("--duration", default="1d", metavar="D",
                   help="span after the initial epoch, e.g. 1d, 12h, 90min (default 1d)")
    p.add_argument("--gravity", default="j2", metavar="MODEL",
                   help="gravity for OPM/OEM states: point, j2..j6 or NxM (default j2)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


def trajectory_from_args(args: argparse.Namespace):
    """``(positions(t), start, end, source)`` for the command's arguments."""
    from rossim.dynamics import ccsds
    from rossim.time import parse_duration

    try:
        duration = parse_duration(args.duration)
    except InputError as exc:
        raise InputError("argument", "--duration", args.duration, exc.expected) from None
    if not duration > 0:
        raise InputError("argument", "--duration", args.duration, "a positive duration")
    state = ccsds.read_state(args.initial)
    start = state.epoch.utc
    end = start + TimeDelta(duration, format="sec")
    if state.source in ("TLE", "OMM"):
        from rossim.dynamics import tle as tle_mod

        text = open(args.initial, encoding="utf-8").read()
        sats = (tle_mod.parse_tles(text, args.initial) if state.source == "TLE"
                else tle_mod.parse_omm(text, args.initial))
        first = sats[:1]

        def positions(t: Time) -> np.ndarray:
            res = tle_mod.propagate(first, t, frame="GCRF")
            return np.asarray(res.r_m)[0]

        return positions, start, end, f"SGP4 ({state.source})"

    from rossim.dynamics.forces import ForceModel
    from rossim.dynamics.propagator import propagate

    forces = ForceModel(gravity=args.gravity)
    traj = propagate(state.r_m, state.v_m_s, start, duration, min(600.0, duration),
                     forces=forces, dense=True)
    epoch_tt = start.tt

    def positions(t: Time) -> np.ndarray:
        x = (t.tt - epoch_tt).to_value("s")
        x = np.clip(np.atleast_1d(x), 0.0, duration)
        return traj.state_at(x)[0]

    return positions, start, end, f"numerical ({args.gravity}, {state.source})"
