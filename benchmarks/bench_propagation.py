"""Numerical propagation: rossim against Orekit (same run), and J2 over a year against a target.

Rows:

1. The ISS state of the Orekit fixtures (tests/data/orekit/initial_iss.opm) propagated for 30
   days with 8x8 EIGEN-6S gravity, NRLMSISE-00 drag (constant F10.7 = 150, Ap = 15), Sun and
   Moon, output every 60 s, by rossim and by Orekit 13.1 (tools/orekit_oracle.py, DOP853 with
   1e-4 m position tolerance). Both are warmed up first (numba cache, IERS table; JVM, class
   loading) so that the times compare propagations, not start-up. Notes: position difference
   after 1 day and after 30 days, peak memory of the rossim run.
2. One year of J2-only propagation with output every 60 s (target: under 1 s).

Environment: ``ROSSIM_BENCH_DAYS`` shortens row 1 (default 30).
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _iss():
    sys.path.insert(0, str(ROOT))
    from tools.orekit_oracle import ISS_INITIAL

    return ISS_INITIAL


def _rossim_forces(state):
    from rossim.dynamics.forces import ForceModel
    from rossim.environment.spaceweather import ConstantWeather

    return ForceModel(gravity="8x8", drag="nrlmsise00", weather=ConstantWeather(150, 150, 15),
                      cd=state.cd, area_m2=state.drag_area_m2, mass_kg=state.mass_kg,
                      third_body=("sun", "moon"))


def _initial_gcrf(state):
    from rossim.files.refframe import to_gcrf
    from rossim.time import to_time

    t = to_time(state.epoch_utc)
    r, v = to_gcrf(np.array([state.r_m]), np.array([state.v_m_s]), state.frame,
                   t.reshape((1,)))
    return t, r[0], v[0]


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def station_30_days() -> dict:
    from rossim.dynamics.propagator import propagate

    days = float(os.environ.get("ROSSIM_BENCH_DAYS", "30"))
    state = _iss()
    t0, r0, v0 = _initial_gcrf(state)
    forces = _rossim_forces(state)
    rss0 = _maxrss_mb()
    propagate(r0, v0, t0, 3600.0, 60.0, forces)  # warm-up: numba cache, IERS, ephemeris
    rss1 = _maxrss_mb()
    w0 = time.perf_counter()
    tr = propagate(r0, v0, t0, days * 86400.0, 60.0, forces)
    rossim_s = time.perf_counter() - w0
    rss2 = _maxrss_mb()
    row = {"benchmark": f"propagate {days:g} d ISS, 8x8 + NRLMSISE-00 + Sun/Moon, 60 s output",
           "rossim_s": rossim_s, "peer": "Orekit 13.1 (DOP853, 1e-4 m)", "peer_s": None,
           "ratio": None}
    st = tr.stats
    notes = [f"{len(tr.x_s)} states, {st['steps']} steps kept, {st['steps_all_passes']} "
             f"integrated over all drag passes ({st['drag_passes']} passes for "
             f"{st['drag_segments']} chunks, {st.get('drag_predicted', 0)} accepted after one "
             "correction)",
             f"rossim process peak RSS {rss2:.0f} MB (imports {rss0:.0f} MB, warm-up "
             f"+{rss1 - rss0:.0f} MB, {days:g}-day run +{rss2 - rss1:.0f} MB)"]
    try:
        from tools.orekit_oracle import propagate as orekit_propagate
        from tools.orekit_oracle import setup_orekit

        setup_orekit()
        orekit_propagate("full", state, 3600.0, 60.0)  # warm-up: JVM, classes, data
        w0 = time.perf_counter()
        _, r_ok, _ = orekit_propagate("full", state, days * 86400.0, 60.0)
        row["peer_s"] = time.perf_counter() - w0
        row["ratio"] = row["peer_s"] / rossim_s
        n = min(len(r_ok), len(tr.r_gcrf_m))
        d = np.linalg.norm(tr.r_gcrf_m[:n] - r_ok[:n], axis=1)
        i1 = min(1440, n - 1)
        notes.append(f"|dr| vs Orekit after 1 d {d[i1]:.2f} m, after {days:g} d {d[n - 1]:.1f} m")
    except Exception as exc:  # Orekit is an optional peer (needs a JVM)
        notes.append(f"Orekit not run: {type(exc).__name__}: {exc}")
    row["notes"] = "; ".join(notes)
    return row


def j2_one_year() -> dict:
    from rossim.dynamics.forces import ForceModel
    from rossim.dynamics.propagator import propagate

    state = _iss()
    t0, r0, v0 = _initial_gcrf(state)
    forces = ForceModel(gravity="j2")
    propagate(r0, v0, t0, 3600.0, 60.0, forces)
    w0 = time.perf_counter()
    tr = propagate(r0, v0, t0, 365.25 * 86400.0, 60.0, forces)
    rossim_s = time.perf_counter() - w0
    backend = tr.stats.get("backend", "dop853")
    return {"benchmark": "propagate 1 year J2 only, 60 s output", "rossim_s": rossim_s,
            "peer": "target", "peer_s": 1.0, "ratio": 1.0 / rossim_s,
            "notes": f"{len(tr.x_s)} states, {tr.stats['steps']} {backend} steps (default "
                     "backend='auto': heyoka.py's Taylor integrator where installed, else "
                     "DOP853); accuracy and the comparison at equal accuracy: the J2 rows of "
                     "bench_heyoka.py"}


def run() -> list[dict]:
    # The station row first: its memory figures must not include the J2 year's arrays.
    return [station_30_days(), j2_one_year()]


if __name__ == "__main__":
    for r in run():
        print(r)
