"""Conjunction screening against a per-step k-d tree (the peer a user would write with scipy).

Population (seeded, as bench_fleet.py): the station and N free-flyers on HCW relative orbits
(radial/cross-track amplitudes 0.5-10 km, random phases, slow drifts, differential drag up to
2e-7 m/s^2), with the along-track box growing with N (+-100 km per 1,000 objects) so that the
density of conjunctions stays fixed; threshold 1 km; 1 day at 10 s (``ROSSIM_BENCH_SCREEN_HOURS``
shortens it). N = 100, 1,000 and 5,000.

rossim: :func:`rossim.fleet.screening.screen` (k-d tree every 6 steps with a padded radius,
refinement in a compiled numba kernel that releases the GIL), timed with ``workers=1`` and
``workers=2`` (two threads over time chunks, one BLAS thread per worker: threadpoolctl); the
row's time is ``workers=2``, the notes give both, wall and CPU, and whether the two found the
same conjunctions (they must: the output does not depend on ``workers``).
Peer: scipy ``cKDTree`` built at every step, ``query_pairs`` with the threshold plus the
distance any pair can close in one step, then the same refinement (local minimum of the
distance at the step, linear time of closest approach): written here, scipy only
(``query_pairs`` has no ``workers`` option, so one thread), given the same ephemeris chunks and
one BLAS thread as rossim, so that both pay the same ephemeris cost. Both must find the same
conjunctions (notes: count and whether the (i, j) pair sets are identical).

Each size: 3 interleaved repeats (rossim workers=1, rossim workers=2, peer), min and median
wall, CPU time (process time: all threads), load average before, scipy's version; the ephemeris
evaluation both tools pay (``states(t)`` over the span) timed apart; growth of rossim's time
with N against N log N (exponent between successive sizes, on workers=1 CPU time and on
workers=2 wall: N log N is ~1.1 from 1,000 to 5,000).

Cores: "cores busy" is CPU / wall. On an otherwise idle 2-core machine workers=2 shows ~2 and
the wall halves; when other sessions keep the cores busy, Linux's autogroup scheduler gives the
process its session's share whatever its thread count, so the wall speed-up shrinks toward 1
while the CPU time stays that of workers=1 (no oversubscription): read the load average.
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


def _evaluate(eph, t: np.ndarray, chunk: int) -> None:
    """The ephemeris over the span chunk by chunk, each chunk dropped as the tools do."""
    for a in range(0, t.size, chunk):
        eph(t[a:a + chunk + 2])


def _cores(runs) -> str:
    w = min(r[0] for r in runs)
    c = min(r[1] for r in runs)
    return (f"wall min {w:.2f} / median {statistics.median(r[0] for r in runs):.2f} s, CPU min "
            f"{c:.2f} s, cores busy {c / w:.2f}")


def run() -> list[dict]:
    from threadpoolctl import threadpool_limits

    from rossim.fleet.screening import CHUNK_BYTES, screen

    hours = float(os.environ.get("ROSSIM_BENCH_SCREEN_HOURS", "24"))
    t = np.arange(0.0, hours * 3600.0 + 0.5 * STEP_S, STEP_S)
    rows = []
    prev = None
    for n in SIZES:
        eph = population(n)
        load = os.getloadavg()
        screen(eph, t[:100], THRESHOLD_M)  # warm-up (numba kernel from its cache)
        chunk = max(6, (min(720, CHUNK_BYTES // (48 * (n + 1))) // 6) * 6)  # screen's own
        with threadpool_limits(limits=1):  # as inside screen and for the peer
            eph_w, eph_c, _ = _timed(lambda eph=eph, chunk=chunk: _evaluate(eph, t, chunk))
        one, two, peer = [], [], []
        for _ in range(3):
            one.append(_timed(lambda eph=eph: screen(eph, t, THRESHOLD_M, workers=1)))
            two.append(_timed(lambda eph=eph: screen(eph, t, THRESHOLD_M, workers=2)))
            with threadpool_limits(limits=1):
                peer.append(_timed(lambda eph=eph, chunk=chunk: kdtree_per_step(
                    eph, t, THRESHOLD_M, chunk)))
        found = two[0][2]
        ref = peer[0][2]
        same_workers = all(np.array_equal(getattr(found, k), getattr(one[0][2], k))
                           for k in ("i", "j", "tca_s", "miss_m", "r_rel_m", "v_rel_m_s"))
        mine = np.stack([found.i, found.j], axis=1)
        same_pairs = (len(found) == len(ref)
                      and np.array_equal(np.unique(mine, axis=0),
                                         np.unique(ref[:, :2], axis=0)))
        w1 = min(o[0] for o in one)
        c1 = min(o[1] for o in one)
        w2 = min(o[0] for o in two)
        wp = min(p[0] for p in peer)
        cp = min(p[1] for p in peer)
        growth = ""
        if prev is not None:
            lr = np.log(n / prev[0])
            nlogn = np.log(n * np.log(n) / (prev[0] * np.log(prev[0]))) / lr
            growth = (f"; cost grows as N^{np.log(c1 / prev[1]) / lr:.2f} (workers=1 CPU) / "
                      f"N^{np.log(w2 / prev[2]) / lr:.2f} (workers=2 wall) from {prev[0]:,} objects "
                      f"(N log N: N^{nlogn:.2f})")
        prev = (n, c1, w2)
        rows.append({
            "benchmark": f"screening: {n:,} free-flyers + station, {hours:g} h at 10 s, 1 km",
            "rossim_s": w2,
            "peer": f"per-step scipy cKDTree (scipy {version('scipy')})",
            "peer_s": wp, "ratio": wp / w2,
            "notes": (f"rossim workers=2: {_cores(two)}; rossim workers=1: {_cores(one)}; "
                      f"speed-up of workers=2 over 1: wall {w1 / w2:.2f}x; peer (1 thread): "
                      f"{_cores(peer)}; peer / rossim workers=1: wall {wp / w1:.1f}x, CPU "
                      f"{cp / c1:.1f}x; 3 interleaved repeats, {chunk}-step chunks for both; "
                      f"{len(found)} conjunctions (peer {len(ref)}), same pairs: {same_pairs}, "
                      f"workers=1 and 2 identical: {same_workers}; the ephemeris both "
                      f"evaluate: wall {eph_w:.2f} s, CPU {eph_c:.2f} s{growth}; load average "
                      f"{load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}" + _behind(n, wp / w2)),
        })
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
