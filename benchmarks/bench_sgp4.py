"""SGP4 for 1,000 objects over one day at 60 s: rossim's wrapper against python-sgp4 itself.

Objects: the 609 real ISS TLEs of tests/data/iss plus 391 copies of the first one with mean
anomaly and RAAN spread around the orbit (seeded), all propagated over the same day
(2023-03-01, 1441 epochs). Rows:

1. SGP4 in TEME: ``rossim.dynamics.tle.propagate(..., frame="TEME")`` (default
   ``backend="auto"``: heyoka.py's compiled SGP4 where installed, else python-sgp4) vs
   ``sgp4.api.SatrecArray(...).sgp4(jd, fr)`` on the same Julian dates, largest position
   difference beside it.
2. The same call against heyoka.py's compiled, vectorised SGP4 called directly (the fastest
   library a user would pick; 3 interleaved repeats, CPU beside wall, each tool's agreement
   with python-sgp4; goal: within 1.5x of heyoka). rossim's first call in the process (the
   propagator's construction, LLVM compilation included) is reported apart, as is heyoka's.
3. 100,000 objects x 1 day at 60 s streamed through ``propagate_chunks`` (default backend)
   in bounded memory: throughput and peak traced memory.
4. TEME -> GCRF of the resulting (1000, 1441, 3) positions and velocities:
   ``rossim.frames.teme.teme_to_gcrf`` vs Skyfield's ``TEME.rotation_at`` matrices applied with
   its ``mxv`` (Skyfield goes TEME -> true equator of date -> GCRS; the notes give the largest
   difference). astropy's TEME frame is not timed: on 1.4 million coordinates it runs for
   minutes.

Run: ``.venv/bin/python benchmarks/run_all.py bench_sgp4`` (or this file directly).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
N_OBJECTS = 1000
STEP_S = 60.0


def _objects():
    from rossim.files.tle import read_tles

    tles = read_tles(ROOT / "tests" / "data" / "iss" / "iss-tle-2023-01-to-04.txt")
    rng = np.random.default_rng(2027)
    base = tles[0]
    extra = [base.replace(mean_anomaly_deg=float(m), raan_deg=float(o))
             for m, o in zip(rng.uniform(0, 360, N_OBJECTS - len(tles)),
                             rng.uniform(0, 360, N_OBJECTS - len(tles)), strict=True)]
    return (tles + extra)[:N_OBJECTS]


def _best_pair(a, b, repeat: int = 5) -> tuple[float, object, float, object]:
    """Best-of-``repeat`` wall times of ``a`` and ``b``, interleaved so that load from other
    processes on a shared machine hits both alike."""
    best_a = best_b = np.inf
    out_a = out_b = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out_a = a()
        t1 = time.perf_counter()
        out_b = b()
        t2 = time.perf_counter()
        best_a = min(best_a, t1 - t0)
        best_b = min(best_b, t2 - t1)
    return best_a, out_a, best_b, out_b


def run() -> list[dict]:
    from sgp4.api import SatrecArray
    from skyfield.api import load
    from skyfield.functions import mxv
    from skyfield.sgp4lib import TEME

    from rossim.dynamics.tle import propagate
    from rossim.frames.teme import teme_to_gcrf
    from rossim.time import time_grid, to_jd_pair

    tles = _objects()
    t = time_grid("2023-03-01T00:00:00", 86400.0, STEP_S)
    jd, fr = to_jd_pair(t)
    satrecs = [x.satrec for x in tles]
    propagate(tles[:2], t[:2], frame="GCRF")  # warm-up: IERS tables, ERFA, imports
    from rossim.dynamics.tle import _heyoka_available

    backend = "heyoka (near-Earth sets)" if _heyoka_available() else "python-sgp4"
    w0 = time.perf_counter()
    propagate(tles, t[:2], frame="TEME")  # first call: builds (compiles) the propagator
    first_s = time.perf_counter() - w0

    def peer_sgp4():
        return SatrecArray(satrecs).sgp4(jd, fr)

    def rossim_sgp4():
        return propagate(tles, t, frame="TEME")

    peer_s, (e, r_km, _v), ros_s, st = _best_pair(peer_sgp4, rossim_sgp4, repeat=7)
    ok = e == 0
    same = float(np.max(np.abs(st.r_m[ok] - r_km[ok] * 1e3)))
    n = len(tles) * len(t)
    rows = [{
        "benchmark": f"SGP4 TEME, {len(tles)} objects x {len(t)} epochs (60 s, 1 day)",
        "rossim_s": ros_s,
        "peer": "python-sgp4 SatrecArray.sgp4",
        "peer_s": peer_s,
        "ratio": peer_s / ros_s,
        "notes": f"{n / ros_s / 1e6:.2f} M states/s; backend {backend}; max |rossim - sgp4| "
                 f"= {same:.1e} m; {int((~ok).sum())} failed states; best of 7 interleaved",
    }]

    rows.extend(_heyoka_row(tles, satrecs, jd, fr, propagate, t, r_km, e, first_s))
    rows.append(_streaming_row())

    def rossim_frame():
        return teme_to_gcrf(st.r_m, st.v_m_s, t)

    ts = load.timescale(builtin=True)

    def peer_frame():
        # rotation_at gives GCRS -> TEME; its transpose takes TEME to GCRS.
        rot = np.swapaxes(TEME.rotation_at(ts.from_astropy(t)), 0, 1)
        return (np.moveaxis(mxv(rot, np.moveaxis(st.r_m, -1, 0)), 0, -1),
                np.moveaxis(mxv(rot, np.moveaxis(st.v_m_s, -1, 0)), 0, -1))

    peer_f, (ra, _va), ros_f, (rg, _vg) = _best_pair(peer_frame, rossim_frame, repeat=3)
    diff = float(np.nanmax(np.linalg.norm(rg - ra, axis=-1)))
    rows.append({
        "benchmark": f"TEME->GCRF, {len(tles)} objects x {len(t)} epochs",
        "rossim_s": ros_f,
        "peer": "skyfield TEME.rotation_at + mxv",
        "peer_s": peer_f,
        "ratio": peer_f / ros_f,
        "notes": f"max position difference rossim - skyfield {diff * 1e3:.2f} mm",
    })
    return rows


def _streaming_row() -> dict:
    """100,000 objects x 1 day at 60 s (144 million states) through ``propagate_chunks``:
    each block reduced to each object's lowest radius, so that nothing grows with objects x
    epochs; peak traced memory (tracemalloc: numpy's allocations included) and wall/CPU."""
    import os
    import tracemalloc

    from sgp4.api import WGS72, Satrec

    from rossim.dynamics.tle import propagate_chunks
    from rossim.time import time_grid

    n_obj = int(os.environ.get("ROSSIM_BENCH_SGP4_OBJECTS", "100000"))
    rng = np.random.default_rng(2035)
    sats = []
    epoch = (np.datetime64("2023-02-28T12:00") - np.datetime64("1949-12-31T00:00")) \
        / np.timedelta64(1, "D")
    for k in range(n_obj):
        sat = Satrec()
        sat.sgp4init(WGS72, "i", k + 1, float(epoch), 3e-5, 0.0, 0.0,
                     float(rng.uniform(1e-4, 2e-2)), float(rng.uniform(0, 2 * np.pi)),
                     float(np.radians(rng.uniform(40, 100))), float(rng.uniform(0, 2 * np.pi)),
                     float(rng.uniform(0.0625, 0.0680)), float(rng.uniform(0, 2 * np.pi)))
        sats.append(sat)
    t = time_grid("2023-03-01T00:00:00", 86400.0, STEP_S)
    try:
        import heyoka  # noqa: F401
        backend = "heyoka"
    except ImportError:
        backend = "sgp4"
    lowest = np.full(n_obj, np.inf)
    tracemalloc.start()
    w0, c0 = time.perf_counter(), time.process_time()
    for objs, _eps, st in propagate_chunks(sats, t, frame="TEME", backend=backend):
        lowest[objs] = np.minimum(lowest[objs],
                                  np.nanmin(np.linalg.norm(st.r_m, axis=2), axis=1,
                                            initial=np.inf))
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n = n_obj * len(t)
    return {
        "benchmark": f"SGP4 streaming: {n_obj:,} objects x {len(t)} epochs (60 s, 1 day), "
                     "bounded memory",
        "rossim_s": wall, "peer": "one (N, T, 3) array: memory",
        "peer_s": None, "ratio": None,
        "notes": (f"propagate_chunks (500,000 states a block, backend {backend}): "
                  f"{n / wall / 1e6:.1f} M states/s, CPU {cpu:.1f} s; peak traced memory "
                  f"{peak / 2**20:.0f} MiB against {n * 6 * 8 / 2**30:.1f} GiB for positions "
                  "and velocities as one array"),
    }


def _heyoka_row(tles, satrecs, jd, fr, propagate, t, r_km, err, first_s) -> list[dict]:
    """rossim's SGP4 against heyoka.py's vectorised SGP4 (``heyoka.model.sgp4_propagator``,
    times in minutes since each element set's epoch): 3 interleaved repeats, min and median
    wall, CPU beside it, load average; accuracy: largest position difference to python-sgp4."""
    import os
    import statistics
    from importlib.metadata import version

    try:
        import heyoka as hy
    except ImportError as exc:
        return [{"benchmark": "SGP4 vs heyoka.py", "rossim_s": None, "peer": "heyoka.py",
                 "notes": f"heyoka not installed ({exc}): pip install '.[bench]'"}]
    load = os.getloadavg()
    w0 = time.perf_counter()
    prop = hy.model.sgp4_propagator(satrecs)
    build = time.perf_counter() - w0
    ep = np.array([s.jdsatepoch for s in satrecs])
    epf = np.array([s.jdsatepochF for s in satrecs])
    tm = ((np.asarray(jd)[:, None] - ep[None]) + (np.asarray(fr)[:, None] - epf[None])) * 1440.0

    def timed(fn):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        return time.perf_counter() - w, time.process_time() - c, out

    ours, peer = [], []
    for _ in range(3):
        ours.append(timed(lambda: propagate(tles, t, frame="TEME")))
        peer.append(timed(lambda: prop(tm)))
    out = peer[0][2]  # (T, 7, N): x, y, z (km), velocities, error code
    r_h = np.transpose(out[:, :3, :], (2, 0, 1))  # (N, T, 3)
    ok = err == 0
    diff = float(np.max(np.abs(r_h[ok] - r_km[ok]))) * 1e3
    diff_ours = float(np.max(np.abs(ours[0][2].r_m[ok] - r_km[ok] * 1e3)))
    n = len(tles) * len(t)
    wo, wp = [o[0] for o in ours], [p[0] for p in peer]
    ratio = min(wp) / min(wo)
    behind = "" if ratio >= 1 / 1.5 else (
        "; BEHIND the goal (within 1.5x of heyoka): rossim calls heyoka's propagator itself "
        "and adds the times since each epoch, the copy from heyoka's (T, 7, N) layout to "
        "(N, T, 3) in metres and the error masking")
    return [{
        "benchmark": f"SGP4 TEME, {len(tles)} objects x {len(t)} epochs, vs heyoka.py",
        "rossim_s": min(wo),
        "peer": f"heyoka.py {version('heyoka')} model.sgp4_propagator",
        "peer_s": min(wp), "ratio": ratio,
        "notes": (f"rossim wall min {min(wo):.3f} / median {statistics.median(wo):.3f} s, CPU "
                  f"min {min(o[1] for o in ours):.3f} s ({n / min(wo) / 1e6:.2f} M states/s); "
                  f"heyoka wall min {min(wp):.3f} / median {statistics.median(wp):.3f} s, CPU "
                  f"min {min(p[1] for p in peer):.3f} s ({n / min(wp) / 1e6:.2f} M states/s), "
                  f"compilation {build:.2f} s apart; rossim's first call {first_s:.2f} s "
                  f"(propagator built, then cached per thread and size); 3 interleaved "
                  f"repeats; accuracy (same model): max |rossim - python-sgp4| = "
                  f"{diff_ours:.1e} m, max |heyoka - python-sgp4| = {diff:.1e} m; load average {load[0]:.2f}/{load[1]:.2f}/"
                  f"{load[2]:.2f}" + behind),
    }]


if __name__ == "__main__":
    for row in run():
        print(row)
