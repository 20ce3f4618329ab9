"""Conjunction screening of 1,000 free-flyers and the station over 7 days at 10 s.

Population (seeded): the station (LVLH origin) and 1,000 free-flyers on relative orbits around
it: along-track offsets uniform in +-100 km, radial amplitudes 0.5-10 km (along-track twice
that), cross-track amplitudes 0.5-10 km, random e/i phases, radial offsets N(0, 20 m) (slow
drifts) and differential drag up to 2e-7 m/s^2. Motion: HCW with constant differential drag
(:class:`rossim.fleet.relative.HCWEphemeris`), evaluated chunk by chunk inside the screen.
Threshold: 1 km. 60,481 epochs, 500,500 pairs.

Rows:

1. ``rossim.fleet.screening.screen`` (k-d tree filter every 6 steps, vectorised refinement,
   2 threads) over the whole week: wall and CPU seconds (target: under 60 s on 2 cores).
   The peer a user would pick, a k-d tree per step, is timed in bench_screening.py; here the
   plain all-pairs search (``screen_all_pairs``) is only a correctness check: both are run on
   the first 240 steps and must find the same conjunctions (notes; its time is scaled to the
   week for reference, not used as a ratio).
2. 2-D Pc (:func:`rossim.fleet.collision.encounter`) for the first 2,000 conjunctions found.

Run: ``.venv/bin/python benchmarks/run_all.py bench_fleet`` (or this file directly).
"""

from __future__ import annotations

import time

import numpy as np

N_OBJECTS = 1000
DAYS = 7.0
STEP_S = 10.0
THRESHOLD_M = 1000.0
BASELINE_STEPS = 240


def population():
    from rossim.fleet.relative import HCWEphemeris, RelativeOrbit, mean_motion

    n = mean_motion(6378137.0 + 400e3)
    rng = np.random.default_rng(2034)
    x0 = np.zeros((N_OBJECTS + 1, 6))
    for k in range(1, N_OBJECTS + 1):
        x0[k] = RelativeOrbit(da=rng.normal(0, 20), dlambda=rng.uniform(-100e3, 100e3),
                              ae=rng.uniform(500, 10e3), ai=rng.uniform(500, 10e3),
                              phase_e_rad=rng.uniform(0, 2 * np.pi),
                              phase_i_rad=rng.uniform(0, 2 * np.pi)).state(n)[0]
    acc = np.zeros((N_OBJECTS + 1, 3))
    acc[1:, 0] = -rng.uniform(0, 2e-7, N_OBJECTS)
    return HCWEphemeris(x0, n, acc)


def run() -> list[dict]:
    from rossim.fleet.collision import encounter
    from rossim.fleet.screening import screen, screen_all_pairs

    eph = population()
    t = np.arange(0.0, DAYS * 86400.0 + 0.5 * STEP_S, STEP_S)
    screen(eph, t[:720], THRESHOLD_M)                 # warm-up (imports, caches)

    w0, c0 = time.perf_counter(), time.process_time()
    found = screen(eph, t, THRESHOLD_M, workers=2)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0

    sub = t[:BASELINE_STEPS]
    w0 = time.perf_counter()
    base = screen_all_pairs(eph, sub, THRESHOLD_M)
    base_wall = time.perf_counter() - w0
    fast_sub = screen(eph, sub, THRESHOLD_M)
    same = (np.array_equal(base.i, fast_sub.i) and np.array_equal(base.j, fast_sub.j)
            and np.allclose(base.tca_s, fast_sub.tca_s))
    peer_week = base_wall * (t.size / BASELINE_STEPS)

    cov = np.diag([20.0**2, 5.0**2, 5.0**2])
    k = min(2000, len(found))
    w0 = time.perf_counter()
    for m in range(k):
        encounter(np.zeros(3), np.zeros(3), cov, found.r_rel_m[m], found.v_rel_m_s[m], cov,
                  2.0)
    pc_wall = time.perf_counter() - w0
    return [
        {"benchmark": f"fleet screening: {N_OBJECTS} free-flyers + station, 7 d at 10 s, "
                      f"{THRESHOLD_M:g} m",
         "rossim_s": wall, "peer": "target 60 s on 2 cores", "peer_s": 60.0,
         "ratio": 60.0 / wall,
         "notes": f"CPU {cpu:.1f} s (2 threads, one BLAS thread each); {len(found)} "
                  "conjunctions; the peer at equal work is the per-step k-d tree of "
                  "bench_screening.py; all-pairs numpy, a correctness check only (timed on "
                  f"{BASELINE_STEPS} steps and scaled: {peer_week:.0f} s); "
                  f"{found.stats['candidates']} filter candidates; identical to all-pairs on "
                  f"the first {BASELINE_STEPS} steps: {same}; target < 60 s on 2 cores"},
        {"benchmark": f"2-D Pc (encounter plane, Gauss-Legendre) x {k}",
         "rossim_s": pc_wall, "peer": "target", "peer_s": None, "ratio": None,
         "notes": f"{1e3 * pc_wall / max(k, 1):.2f} ms per conjunction"},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
