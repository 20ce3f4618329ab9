"""Mission-control server under load, on loopback only (bounded in time and count).

``python benchmarks/bench_serve.py [ARCHIVE] [--seconds S]`` (also part of ``make bench``).
Starts ``rossim serve`` on a free 127.0.0.1 port in its own process on the reference run's
archive (``out/archive.duckdb``; made with ``rossim run`` if missing), then measures:

1. the eight-year plot: one power channel over the whole run, min/max downsampled to the
   1,000 buckets Open MCT asks for (and 4,000), latency percentiles over 30 requests;
2. load: 50 WebSocket subscribers on the replay stream (two channels and the events, clock at
   100,000x so that samples flow fast) plus 20 HTTP clients issuing historical queries over
   the whole span, for S seconds (default 10) and at most 20,000 requests; requests/s,
   latency p50/p90/p99, errors, sequence gaps, and every subscriber's samples checked against
   the archive rows for the time it watched (none lost);
3. tick delivery: how long after the server's clock reaches a time the subscribers have it;
4. live (when the closed-loop engine is present): ``rossim serve`` of
   ``tests/data/ops/ros-short.toml`` at 1,000x, 10 subscribers, the same delivery delay with
   the engine advanced at every tick (issue target: within 200 ms).

Stops by itself; the server process is ended at the end whatever happens.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
N_SUBSCRIBERS = 50
N_CLIENTS = 20
MAX_REQUESTS = 20_000
SPEED = 100_000.0
TOKEN = "bench-token"
CHANNELS = ["power.soc_min", "hourly.altitude_km"]


def _pct(xs, q) -> float:
    return float(np.percentile(np.asarray(xs, float), q)) if len(xs) else float("nan")


def _archive(arg: str | None, tmp: str) -> str:
    if arg:
        return arg
    ref = ROOT / "out" / "archive.duckdb"
    if ref.is_file():
        return str(ref)
    subprocess.run([sys.executable, "-m", "rossim.cli.main", "run", "ros-51.6", "--out", tmp,
                    "--quiet"], check=True, stdout=subprocess.DEVNULL)
    return str(Path(tmp) / "archive.duckdb")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _wait_up(base: str, proc) -> None:
    import httpx

    async with httpx.AsyncClient() as c:
        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError(f"rossim serve exited with {proc.returncode}")
            try:
                if (await c.get(base + "/api/info")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("rossim serve did not start in 30 s")


async def _plot(base: str, channel: str, bins: int, n: int = 30) -> dict:
    import httpx

    lat = []
    async with httpx.AsyncClient(timeout=30) as c:
        for _ in range(n):
            t0 = time.perf_counter()
            r = await c.get(f"{base}/api/telemetry/{channel}", params={"bins": bins})
            lat.append(time.perf_counter() - t0)
            r.raise_for_status()
            body = r.json()
    return {"p50_ms": 1e3 * _pct(lat, 50), "p99_ms": 1e3 * _pct(lat, 99),
            "raw": body["count"], "points": len(body["points"]), "bytes": len(r.content)}


async def _subscriber(base: str, stop: asyncio.Event, out: dict,
                      channels: list[str] | None = None) -> None:
    import websockets

    url = base.replace("http://", "ws://") + "/ws/realtime"
    seqs, samples, delays = [], [], []
    async with websockets.connect(url, max_size=None) as ws:
        hello = json.loads(await ws.recv())
        clock0, wall0 = hello["clock"], time.monotonic()
        await ws.send(json.dumps({"subscribe": channels or CHANNELS, "events": True}))
        while not stop.is_set():
            try:
                msg = json.loads(await asyncio.wait_for(ws.recv(), 1.0))
            except TimeoutError:
                continue
            if msg.get("type") != "tick":
                continue
            now = time.monotonic()
            c = msg["clock"]
            if c["speed"] == clock0["speed"] and not c["paused"] and msg["t"] < c["end"]:
                # when the server's clock reached msg["t"], from the hello's anchor
                due = wall0 + (msg["t"] - clock0["t"]) / 1000.0 / c["speed"]
                delays.append(now - due)
            seqs.append(msg["seq"])
            samples += msg["samples"]
    out["seqs"], out["samples"], out["delays"] = seqs, samples, delays


async def _http_client(base: str, stop: asyncio.Event, span: tuple[int, int], names: list[str],
                       counter: list[int], lat: list[float], errors: list[str]) -> None:
    import httpx

    rng = random.Random(len(lat))
    async with httpx.AsyncClient(timeout=30) as c:
        while not stop.is_set() and counter[0] < MAX_REQUESTS:
            counter[0] += 1
            name = rng.choice(names)
            t0 = time.perf_counter()
            try:
                r = await c.get(f"{base}/api/telemetry/{name}",
                                params={"start": span[0], "end": span[1], "bins": 1000})
                if r.status_code != 200:
                    errors.append(f"{r.status_code} {name}")
            except Exception as exc:  # a refused or broken connection is an error to count
                errors.append(type(exc).__name__)
            lat.append(time.perf_counter() - t0)


def _lost(archive: str, samples: list) -> int:
    """Samples the archive has in the watched interval of each channel but the client lacks."""
    con = duckdb.connect(archive, read_only=True)
    lost = 0
    try:
        for name, table, col in (("power.soc_min", "telemetry_power", "soc_min"),
                                 ("hourly.altitude_km", "telemetry_hourly", "altitude_km")):
            ts = sorted(s[0] for s in samples if s[1] == name)
            if not ts:
                continue
            n = con.execute(f"SELECT count(*) FROM {table} WHERE epoch_ms(time) BETWEEN ? AND ? "
                            f"AND {col} IS NOT NULL", [ts[0], ts[-1]]).fetchone()[0]
            lost += n - len(set(ts))
    finally:
        con.close()
    return lost


async def _load(base: str, archive: str, seconds: float) -> dict:
    import httpx

    async with httpx.AsyncClient() as c:
        info = (await c.get(base + "/api/info")).json()
        names = [ch["name"] for s in (await c.get(base + "/api/dictionary")).json()["subsystems"]
                 for ch in s["channels"]]
        await c.post(base + "/api/clock", json={"t": info["start"], "speed": SPEED,
                                                "paused": False},
                     headers={"X-Rossim-Token": TOKEN})
    stop = asyncio.Event()
    subs = [dict() for _ in range(N_SUBSCRIBERS)]
    counter, lat, errors = [0], [], []
    tasks = [asyncio.create_task(_subscriber(base, stop, o)) for o in subs]
    await asyncio.sleep(1.0)  # everyone subscribed before the clock matters
    t0 = time.perf_counter()
    tasks += [asyncio.create_task(_http_client(base, stop, (info["start"], info["end"]), names,
                                               counter, lat, errors))
              for _ in range(N_CLIENTS)]
    await asyncio.sleep(seconds)
    stop.set()
    wall = time.perf_counter() - t0
    results = await asyncio.gather(*tasks, return_exceptions=True)
    errors += [f"{type(r).__name__}: {r}" for r in results if isinstance(r, BaseException)]
    gaps = sum(sum(1 for a, b in zip(o.get("seqs", []), o.get("seqs", [])[1:], strict=False)
                   if b != a + 1) for o in subs)
    lost = sum(_lost(archive, o.get("samples", [])) for o in subs)
    delays = [d for o in subs for d in o.get("delays", [])]
    return {"requests": len(lat), "wall_s": wall, "req_per_s": len(lat) / wall,
            "p50_ms": 1e3 * _pct(lat, 50), "p90_ms": 1e3 * _pct(lat, 90),
            "p99_ms": 1e3 * _pct(lat, 99), "errors": len(errors), "error_kinds": sorted(set(errors))[:5],
            "ws_messages": sum(len(o.get("seqs", [])) for o in subs),
            "samples_per_subscriber": float(np.mean([len(o.get("samples", [])) for o in subs])),
            "seq_gaps": gaps, "samples_lost": lost,
            "tick_delay_p50_ms": 1e3 * _pct(delays, 50), "tick_delay_p99_ms": 1e3 * _pct(delays, 99)}


def measure(archive_arg: str | None = None, seconds: float = 10.0) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        archive = _archive(archive_arg, tmp)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        proc = _start_server(archive, port)
        try:
            asyncio.run(_wait_up(base, proc))
            plot1k = asyncio.run(_plot(base, "power.generation_kw", 1000))
            plot4k = asyncio.run(_plot(base, "power.generation_kw", 4000))
            load = asyncio.run(_load(base, archive, seconds))
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return {"archive": archive, "plot_1000": plot1k, "plot_4000": plot4k, "load": load,
            "live": measure_live(seconds / 2)}


def _start_server(what: str, port: int, speed: float = 1000.0):
    # the child sees the modules this process sees (the worktree's rossim first)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    return subprocess.Popen([sys.executable, "-m", "rossim.cli.main", "serve", what, "--port",
                             str(port), "--token", TOKEN, "--speed", str(speed)],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def measure_live(seconds: float = 5.0) -> dict:
    """A live run of tests/data/ops/ros-short.toml at 1,000x: 10 subscribers, how long after
    the server's clock reaches a time they have its samples (the engine advanced in between).
    Needs the closed-loop engine; says so otherwise."""
    from rossim.serve.live import load_engine

    try:
        load_engine()
    except Exception as exc:
        return {"skipped": str(exc)}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start_server(str(ROOT / "tests" / "data" / "ops" / "ros-short.toml"), port)

    async def go() -> dict:
        await _wait_up(base, proc)
        stop = asyncio.Event()
        subs = [dict() for _ in range(10)]
        tasks = [asyncio.create_task(_subscriber(base, stop, o, ["orbit.altitude_km",
                                                                 "power.soc_min"]))
                 for o in subs]
        await asyncio.sleep(seconds)
        stop.set()
        await asyncio.gather(*tasks)
        delays = [d for o in subs for d in o["delays"]]
        gaps = sum(sum(1 for a, b in zip(o["seqs"], o["seqs"][1:], strict=False) if b != a + 1)
                   for o in subs)
        return {"ticks": len(delays), "samples_per_subscriber": float(np.mean(
                    [len(o["samples"]) for o in subs])), "seq_gaps": gaps,
                "tick_delay_p50_ms": 1e3 * _pct(delays, 50),
                "tick_delay_p99_ms": 1e3 * _pct(delays, 99)}

    try:
        return asyncio.run(go())
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def run() -> list[dict]:
    m = measure()
    p, q, ld, lv = m["plot_1000"], m["plot_4000"], m["load"], m["live"]
    live_row = ({"benchmark": "serve live: telemetry to 10 subscribers at 1000x "
                              "(ros-short, closed-loop engine)",
                 "rossim_s": lv["tick_delay_p50_ms"] / 1e3, "peer": "target 200 ms",
                 "peer_s": 0.2, "ratio": 0.2 / max(lv["tick_delay_p50_ms"] / 1e3, 1e-6),
                 "notes": f"clock to subscriber p50 {lv['tick_delay_p50_ms']:.0f} ms, p99 "
                          f"{lv['tick_delay_p99_ms']:.0f} ms; {lv['ticks']} ticks; sequence "
                          f"gaps {lv['seq_gaps']}"}
                if "skipped" not in lv else
                {"benchmark": "serve live", "notes": "skipped: " + lv["skipped"]})
    return [live_row,
        {"benchmark": f"serve: 8-year power plot ({p['raw']} 10-min bins), min/max to 1000 "
                      "buckets", "rossim_s": p["p50_ms"] / 1e3, "peer": "target 300 ms",
         "peer_s": 0.3, "ratio": 0.3 / (p["p50_ms"] / 1e3),
         "notes": f"p99 {p['p99_ms']:.0f} ms; {p['points']} points, {p['bytes']} bytes; "
                  f"4000 buckets p50 {q['p50_ms']:.0f} ms"},
        {"benchmark": f"serve load: {N_SUBSCRIBERS} WebSocket subscribers + {N_CLIENTS} "
                      "clients of whole-span queries", "rossim_s": ld["p50_ms"] / 1e3,
         "peer": "", "peer_s": None, "ratio": None,
         "notes": f"{ld['req_per_s']:.0f} requests/s over {ld['wall_s']:.0f} s; latency p50 "
                  f"{ld['p50_ms']:.0f} ms, p90 {ld['p90_ms']:.0f} ms, p99 {ld['p99_ms']:.0f} ms;"
                  f" errors {ld['errors']}; sequence gaps {ld['seq_gaps']}; samples lost "
                  f"{ld['samples_lost']}; tick delivery p50 {ld['tick_delay_p50_ms']:.0f} ms, "
                  f"p99 {ld['tick_delay_p99_ms']:.0f} ms"},
    ]


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    secs = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 10.0
    if "--seconds" in sys.argv:
        args = [a for a in args if a != sys.argv[sys.argv.index("--seconds") + 1]]
    result = measure(args[0] if args else None, secs)
    print(json.dumps(result, indent=2))
    ld = result["load"]
    ok = ld["errors"] == 0 and ld["seq_gaps"] == 0 and ld["samples_lost"] == 0 and \
        result["live"].get("seq_gaps", 0) == 0
    sys.exit(0 if ok else 1)
