"""Conjunction screening against a per-step k-d tree (the peer a user would write with scipy).

Population (seeded, as bench_fleet.py): the station and N free-flyers on HCW relative orbits
(radial/cross-track amplitudes 0.5-10 km, random phases, slow drifts, differential drag up to
2e-7 m/s^2), with the along-track box growing with N (+-100 km per 1,000 objects) so that the
density of conjunctions stays fixed; threshold 1 km; 1 day at 10 s (``ROSSIM_BENCH_SCREEN_HOURS``
shortens it). N = 100, 1,000 and 5,000.

rossim: :func:`rossim.fleet.screening.screen` (k-d tree every 6 steps with a padded radius,
refinement in a compiled numba kernel that releases the GIL), ``workers=2`` (two threads, one
BLAS thread per worker: threadpoolctl).
Peer: scipy ``cKDTree`` built at every step, ``query_pairs`` with the threshold plus the
distance any pair can close in one step, then the same refinement (local minimum of the
distance at the step, linear time of closest approach): written here, scipy only. Both must
find the same conjunctions (notes: count and whether the (i, j, step) sets are identical).

Each size: 3 interleaved repeats (rossim, peer), min and median wall, CPU time (process time:
both threads), load average before, scipy's version; the ephemeris evaluation both tools pay
(``states(t)`` over the span) timed apart; growth of rossim's time with N against N log N
(exponent between successive sizes: N log N is ~1.1 from 1,000 to 5,000).
"""

from __future__ import annotations

import os
import statistics
import time
from importlib.metadata import version

import numpy as np

THRESHOLD_M = 1000.0
STEP_S = 10.0
SIZES = (100, 1000, 5000)


def population(n_objects: int):
    from rossim.fleet.relative import HCWEphemeris, RelativeOrbit, mean_motion

    n = mean_motion(6378137.0 + 400e3)
    rng = np.random.default_rng(2034)
    box = 100e3 * n_objects / 1000.0
    x0 = np.zeros((n_objects + 1, 6))
    for k in range(1, n_objects + 1):
        x0[k] = RelativeOrbit(da=rng.normal(0, 20), dlambda=rng.uniform(-box, box),
                              ae=rng.uniform(500, 10e3), ai=rng.uniform(500, 10e3),
                              phase_e_rad=rng.uniform(0, 2 * np.pi),
                              phase_i_rad=rng.uniform(0, 2 * np.pi)).state(n)[0]
    acc = np.zeros((n_objects + 1, 3))
    acc[1:, 0] = -rng.uniform(0, 2e-7, n_objects)
    return HCWEphemeris(x0, n, acc)


def kdtree_per_step(states, t: np.ndarray, threshold: float, chunk: int = 720):
    """The peer: a cKDTree per step; returns sorted (i, j, step index) of the local minima of
    the pair distance below ``threshold`` (the steps where the refinement starts)."""
    from scipy.spatial import cKDTree

    dt = float(t[1] - t[0])
    found = []
    for a in range(0, t.size, chunk):
        b = min(t.size, a + chunk)
        lo, hi = max(0, a - 1), min(t.size, b + 1)
        s = np.asarray(states(t[lo:hi]))
        pos = s[..., :3]
        vmax = float(np.sqrt(np.max(np.einsum("tni,tni->tn", s[..., 3:], s[..., 3:]))))
        pad = threshold + 2.0 * vmax * dt
        for k in range(a, b):
            pairs = cKDTree(pos[k - lo]).query_pairs(pad, output_type="ndarray")
            if not pairs.size:
                continue
            i, j = pairs[:, 0], pairs[:, 1]
            idx = np.clip(np.array([k - 1, k, k + 1]) - lo, 0, s.shape[0] - 1)
            d = np.linalg.norm(pos[idx][:, j] - pos[idx][:, i], axis=2)  # (3, P)
            if k == 0:
                d[0] = np.inf
            if k == t.size - 1:
                d[2] = np.inf
            m = (d[1] < threshold) & (d[1] < d[0]) & (d[1] <= d[2])
            if m.any():
                found.append(np.stack([i[m], j[m], np.full(int(m.sum()), k)], axis=1))
    out = np.concatenate(found) if found else np.zeros((0, 3), int)
    return out[np.lexsort((out[:, 1], out[:, 0], out[:, 2]))]


def _behind(n: int, ratio: float) -> str:
    """The note under a row that misses issue 19's goal (3x the k-d tree from 1,000 objects)."""
    if n < 1000 or ratio >= 3.0:
        return ""
    return (f"; BEHIND the 3x goal ({ratio:.1f}x): both tools evaluate the same ephemeris "
            "(timed above), which bounds the ratio; the rest of rossim's time is the k-d tree "
            "every 6 steps")


def _timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w0, time.process_time() - c0, out


def run() -> list[dict]:
    from rossim.fleet.screening import screen

    hours = float(os.environ.get("ROSSIM_BENCH_SCREEN_HOURS", "24"))
    t = np.arange(0.0, hours * 3600.0 + 0.5 * STEP_S, STEP_S)
    rows = []
    prev = None
    for n in SIZES:
        eph = population(n)
        load = os.getloadavg()
        screen(eph, t[:100], THRESHOLD_M)  # warm-up (numba kernel from its cache)
        eph_w, eph_c, _ = _timed(lambda eph=eph: [eph(t[a:a + 722])
                                                  for a in range(0, t.size, 720)])
        ours, peer = [], []
        for _ in range(3):
            ours.append(_timed(lambda eph=eph: screen(eph, t, THRESHOLD_M, workers=2)))
            peer.append(_timed(lambda eph=eph: kdtree_per_step(eph, t, THRESHOLD_M)))
        found = ours[0][2]
        ref = peer[0][2]
        # rossim's conjunctions at the step where their refinement started: the step of the
        # sampled minimum (TCA rounded down or up to the nearest sampled minimum).
        mine = np.stack([found.i, found.j, np.rint(found.tca_s / STEP_S).astype(int)], axis=1)
        same_pairs = (len(found) == len(ref)
                      and np.array_equal(np.unique(mine[:, :2], axis=0),
                                         np.unique(ref[:, :2], axis=0)))
        w_ours = [o[0] for o in ours]
        w_peer = [p[0] for p in peer]
        growth = ""
        if prev is not None:
            expo = np.log(min(w_ours) / prev[1]) / np.log(n / prev[0])
            nlogn = np.log(n * np.log(n) / (prev[0] * np.log(prev[0]))) / np.log(n / prev[0])
            growth = (f"; time grows as N^{expo:.2f} from {prev[0]:,} objects (N log N: "
                      f"N^{nlogn:.2f})")
        prev = (n, min(w_ours))
        rows.append({
            "benchmark": f"screening: {n:,} free-flyers + station, {hours:g} h at 10 s, 1 km",
            "rossim_s": min(w_ours),
            "peer": f"per-step scipy cKDTree (scipy {version('scipy')})",
            "peer_s": min(w_peer), "ratio": min(w_peer) / min(w_ours),
            "notes": (f"rossim workers=2, one BLAS thread each: wall min {min(w_ours):.2f} / "
                      f"median {statistics.median(w_ours):.2f} s, CPU min "
                      f"{min(o[1] for o in ours):.2f} s; peer (1 thread) wall min "
                      f"{min(w_peer):.2f} / median {statistics.median(w_peer):.2f} s, CPU min "
                      f"{min(p[1] for p in peer):.2f} s; 3 interleaved repeats; "
                      f"{len(found)} conjunctions (peer {len(ref)}), same pairs: {same_pairs};"
                      f" the ephemeris both evaluate: wall {eph_w:.2f} s, CPU {eph_c:.2f} s"
                      f"{growth}; load average {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}"
                      + _behind(n, min(w_peer) / min(w_ours))),
        })
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
