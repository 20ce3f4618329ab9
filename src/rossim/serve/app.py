"""The web server: HTTP + WebSocket API over a replay or live source, and the Open MCT page.

Endpoints (times are UTC ms since 1970 or ISO-8601; errors are 4xx JSON
``{"error", "parameter", "value"}``):

* ``GET /api/info``: mode, run information, span, clock, counts.
* ``GET /api/dictionary``: the object tree: station -> subsystems -> channels (unit, limits).
* ``GET /api/telemetry/{channel}?start=&end=&bins=``: history, min/max downsampled to
  ``bins`` buckets (see :meth:`rossim.serve.replay.ArchiveSource.history`).
* ``GET /api/events?start=&end=&severity=&kind=``: the event stream (comma-separated filters).
* ``GET /api/groundtrack?start=&end=&step=``: sub-satellite points for the map.
* ``GET /api/contact?start=&end=&kind=``: contact windows (AOS, LOS, duration, maximum
  elevation) of the ground stations and Luch-5 relays (:mod:`rossim.serve.contact`).
* ``GET /api/regions/{name}``: shipped GeoJSON outlines (``rossim/data/regions``).
* ``GET /api/clock``, ``POST /api/clock`` (token): the replay/live clock (speed, pause, seek).
* ``GET /api/commands``: the engine's command set (live runs; [] in replay).
* ``POST /api/command`` (token, live runs only): ``{"command": name, field: value...}`` to
  the engine; answers the engine's result (accepted, or refused with the reason).
* ``WS /ws/realtime``: send ``{"subscribe": [channels]}``, ``{"unsubscribe": [...]}``,
  ``{"events": true}`` (a bad field gets an error reply: :func:`_apply_ws_request`); receive ``{"type": "tick", "seq", "t", "samples": [[t, channel,
  value]...], "events": [...]}`` every tick (``seq`` counts 1, 2, 3 ... per connection; a
  client that cannot keep up is closed with code 1013 rather than silently losing samples).
* ``/`` the Open MCT page, ``/openmct/`` Open MCT's dist (npm package), ``/rossim/`` the plugin.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from rossim import __version__
from rossim.errors import InputError
from rossim.jsonio import dumps_json
from rossim.serve.channels import SUBSYSTEM_TITLES
from rossim.serve.params import (
    check_event_kinds,
    int_param,
    iso_ms,
    list_param,
    parse_time,
    track_window,
    window,
)
from rossim.serve.replay import MAX_BINS, ReplayClock

__all__ = ["create_app", "web_dir", "parse_time", "QUEUE_LIMIT"]

QUEUE_LIMIT = 2000  #: messages a subscriber may lag behind before it is closed (code 1013)
_REGIONS = Path(__file__).resolve().parents[1] / "data" / "regions"


def web_dir() -> Path:
    """The front end's folder: ``$ROSSIM_WEB`` or ``web/`` at the top of the source tree."""
    env = os.environ.get("ROSSIM_WEB")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "web"


def openmct_dist(web: Path) -> Path:
    return web / "node_modules" / "openmct" / "dist"


def _fast_json(obj: Any) -> Response:
    """JSON straight from ``json.dumps`` (C), skipping FastAPI's per-item encoder: a plot's
    thousands of points would otherwise cost more to encode than to query."""
    return Response(dumps_json(obj, compact=True),
                    media_type="application/json")


class StrictJSONResponse(JSONResponse):
    """FastAPI's JSON response, strict: NaN and infinities become ``null``
    (:func:`rossim.jsonio.dumps_json`) instead of a 500 (Starlette refuses them)."""

    def render(self, content: Any) -> bytes:
        return dumps_json(content, compact=True).encode("utf-8")


async def _send_json(ws: WebSocket, msg: Any) -> None:
    """A WebSocket message as strict JSON (Starlette's ``send_json`` writes bare ``NaN``,
    which the browser's ``JSON.parse`` rejects)."""
    await ws.send_text(dumps_json(msg, compact=True))


#: The fields of a WebSocket request (``/ws/realtime``) and what each takes.
_WS_FIELDS = {"subscribe": "a channel name or a list of channel names",
              "unsubscribe": "a channel name or a list of channel names",
              "events": "true or false"}


def _apply_ws_request(sub: _Subscriber, msg: dict[str, Any],
                      channels: Any) -> list[dict[str, Any]]:
    """Apply the fields of one request object to ``sub``; the error reply of each field that
    is unknown or of the wrong type (the others are applied): ``{"type": "error",
    "parameter", "value", "error"}``, as for a message that is not JSON."""
    errors = []

    def refuse(key: str, value: Any, why: str) -> None:
        shown = value if isinstance(value, str | int | float | bool) or value is None \
            else json.dumps(value)[:80]
        errors.append({"type": "error", "parameter": key, "value": shown, "error": why})

    for key, value in msg.items():
        if key not in _WS_FIELDS:
            refuse(key, value, "unknown field; expected " + ", ".join(_WS_FIELDS))
        elif key == "events":
            if not isinstance(value, bool):
                refuse(key, value, f"expected {_WS_FIELDS[key]}")
            else:
                sub.events = value
        else:   # null too: a field given is never "not given"
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                refuse(key, value, f"expected {_WS_FIELDS[key]}")
                continue
            bad = [n for n in names if n not in channels]
            if bad:
                errors.append({"type": "error", "parameter": key, "value": bad[:20],
                               "error": f"unknown channel(s) {bad[:20]}"})
            elif key == "subscribe":
                sub.channels |= set(names)
            else:
                sub.channels -= set(names)
    return errors


class _Subscriber:
    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.channels: set[str] = set()
        self.events = False
        self.seq = 0
        self.queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(QUEUE_LIMIT)
        self.lagged = False

    def push(self, t: int, samples: list[tuple[int, str, float]],
             events: list[dict[str, Any]], clock: dict[str, Any]) -> None:
        if self.lagged:
            return
        self.seq += 1
        msg = {"type": "tick", "seq": self.seq, "t": t, "clock": clock,
               "samples": [s for s in samples if s[1] in self.channels],
               "events": events if self.events else []}
        try:
            self.queue.put_nowait(msg)
        except asyncio.QueueFull:
            self.lagged = True  # never drop silently: the sender closes the connection


class Hub:
    """Advances the clock every ``tick_s`` and fans samples out to the WebSocket clients."""

    def __init__(self, source: Any, clock: ReplayClock, tick_s: float) -> None:
        self.source, self.clock, self.tick_s = source, clock, tick_s
        self.subscribers: set[_Subscriber] = set()
        self.last = clock.now()
        self.ticks = 0

    async def run(self) -> None:
        said = ""
        while True:
            await asyncio.sleep(self.tick_s)
            try:
                await self.step()
            except Exception as exc:  # keep serving; say what went wrong, once per cause
                text = f"rossim serve: tick failed: {type(exc).__name__}: {exc}"
                if text != said:
                    print(text, flush=True)
                    said = text

    async def step(self) -> None:
        t = self.clock.now()
        samples: list[tuple[int, str, float]] = []
        events: list[dict[str, Any]] = []
        if t > self.last:
            if self.source.mode == "live":
                samples, events = await asyncio.to_thread(self.source.poll, t)
            else:
                names = set().union(*(s.channels for s in self.subscribers)) \
                    if self.subscribers else set()
                if names:
                    samples = await asyncio.to_thread(self.source.samples_between, self.last, t,
                                                      names)
                if any(s.events for s in self.subscribers):
                    events = await asyncio.to_thread(self.source.events_between, self.last, t)
        self.last = t  # a seek backwards restarts the stream from the new time
        self.ticks += 1
        state = self.clock.state()
        for sub in list(self.subscribers):
            sub.push(t, samples, events, state)


def create_app(source: Any, *, speed: float = 1000.0, token: str | None = None,
               web: Path | None = None, tick_s: float = 0.1) -> FastAPI:
    """The ASGI application serving ``source`` (an ArchiveSource or a LiveSource).

    ``token`` guards the control endpoints (a random one is made if None: ``app.state.token``);
    ``web`` is the front end's folder (None: :func:`web_dir`)."""
    clock = ReplayClock(source.start_ms, source.end_ms, speed)
    hub = Hub(source, clock, tick_s)
    token = token or secrets.token_urlsafe(18)
    web = web_dir() if web is None else web

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        task = asyncio.create_task(hub.run())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = FastAPI(title="rossim mission control", version=__version__, lifespan=lifespan,
                  docs_url=None, openapi_url="/api/openapi.json", redoc_url=None,  # no CDN UI
                  default_response_class=StrictJSONResponse)
    app.state.source, app.state.clock, app.state.hub, app.state.token = source, clock, hub, token

    @app.exception_handler(InputError)
    async def _bad_input(request: Request, exc: InputError) -> JSONResponse:
        status = 404 if exc.field == "channel" else 400
        value = exc.value if exc.value is None or isinstance(exc.value, (str, int, float, list)) \
            else str(exc.value)
        return StrictJSONResponse({"error": exc.message, "parameter": exc.field, "value": value},
                            status_code=status)

    def _check_token(request: Request) -> JSONResponse | None:
        given = request.headers.get("x-rossim-token", "")
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given = given or auth[7:].strip()
        if not given or not secrets.compare_digest(given.encode(), token.encode()):
            return JSONResponse({"error": "a valid token is needed (X-Rossim-Token header or "
                                 "Authorization: Bearer; printed by `rossim serve` at start)",
                                 "parameter": "token", "value": None}, status_code=401)
        return None

    @app.get("/api/info")
    def info() -> dict[str, Any]:
        return {"rossim": __version__, "mode": source.mode, "run_info": source.info,
                "archive": str(getattr(source, "path", "")), "start": source.start_ms,
                "end": source.end_ms, "clock": clock.state(), "channels": len(source.channels),
                "event_kinds": source.event_kinds()}

    @app.get("/api/dictionary")
    def dictionary() -> dict[str, Any]:
        subs: dict[str, list[dict[str, Any]]] = {}
        for c in source.channels.values():
            subs.setdefault(c.subsystem, []).append(c.as_json())
        return {"station": {"key": "station", "name": "ROS", "title": "Russian Orbital Station"},
                "subsystems": [{"key": k, "name": SUBSYSTEM_TITLES.get(
                                    k, k.replace("_", " ").capitalize()),
                                "channels": sorted(v, key=lambda c: c["name"])}
                               for k, v in sorted(subs.items())]}

    @app.get("/api/telemetry/{channel}")
    def telemetry(channel: str, start: str | None = None, end: str | None = None,
                  bins: str | None = None) -> Response:
        source.channel(channel)
        s, e = window(source, start, end)
        return _fast_json(source.history(channel, s, e, int_param(bins, "bins", 1, MAX_BINS)))

    @app.get("/api/events")
    def events(start: str | None = None, end: str | None = None, severity: str | None = None,
               kind: str | None = None) -> Response:
        s, e = window(source, start, end)
        sev = list_param(severity)
        for v in sev or []:
            if v not in ("info", "warning", "critical"):
                raise InputError("request", "severity", v, "info, warning or critical")
        kinds = list_param(kind)
        check_event_kinds(kinds, source)
        return _fast_json(source.events(s, e, sev, kinds))

    @app.get("/api/groundtrack")
    def groundtrack(start: str | None = None, end: str | None = None,
                    step: str | None = None) -> dict[str, Any]:
        from rossim.serve.groundtrack import ground_track

        s, e = track_window(source, start, end, clock.now(), 3 * 3600 * 1000)
        st = int_param(step, "step", 1, 3600) or 30
        return ground_track(source, s, e, float(st))

    @app.get("/api/contact")
    def contact(start: str | None = None, end: str | None = None, kind: str | None = None,
                keep: str | None = None) -> Response:
        from rossim.serve.contact import contact_windows

        s, e = window(source, start, end)
        return _fast_json(contact_windows(source, s, e, list_param(kind), keep=keep))

    @app.get("/api/regions/{name}")
    def region(name: str) -> FileResponse:
        # the names of `rossim coverage --region` (russia, arctic, nsr), and the file names
        from rossim.analysis.regions import SHIPPED_REGIONS

        files = {p.stem: p for p in _REGIONS.glob("*.geojson")}
        files |= {k: _REGIONS / f for k, f in SHIPPED_REGIONS.items() if (_REGIONS / f).is_file()}
        if name not in files:
            raise InputError("request", "name", name, "a shipped region, one of "
                             f"{', '.join(sorted(files))} (the region names of rossim "
                             "coverage; russia-arctic is arctic)")
        return FileResponse(files[name], media_type="application/geo+json")

    @app.get("/api/clock")
    def get_clock() -> dict[str, Any]:
        return clock.state()

    @app.post("/api/clock")
    async def set_clock(request: Request) -> Any:
        denied = _check_token(request)
        if denied:
            return denied
        body = await _json_body(request)
        unknown = sorted(set(body) - {"speed", "paused", "t"})
        if unknown:   # a misspelt field did nothing and said 200
            raise InputError("request", unknown[0], body[unknown[0]],
                             "one of the clock's fields: speed, paused, t")
        speed = body.get("speed")
        # bool is an int in Python: true is not a speed (it was taken as 1)
        if speed is not None and not (isinstance(speed, (int, float))
                                      and not isinstance(speed, bool) and math.isfinite(speed)
                                      and 0 < speed <= 1e7):
            raise InputError("request", "speed", speed, "a number in (0, 1e7] (x real time)")
        paused = body.get("paused")
        if paused is not None and not isinstance(paused, bool):
            raise InputError("request", "paused", paused, "true or false")
        t = body.get("t")
        t_ms = parse_time(str(t), "t") if t is not None else None
        if t_ms is not None and not (source.start_ms <= t_ms <= source.end_ms):
            raise InputError("request", "t", t, "a time inside the run "
                             f"({iso_ms(source.start_ms)} .. {iso_ms(source.end_ms)})")
        return clock.set(speed=speed, paused=paused, t_ms=t_ms)

    @app.get("/api/commands")
    def commands() -> list[dict[str, Any]]:
        return source.command_set() if source.mode == "live" else []

    @app.post("/api/command")
    async def command(request: Request) -> Any:
        denied = _check_token(request)
        if denied:
            return denied
        body = await _json_body(request)
        if source.mode != "live":
            return JSONResponse({"error": "commands go to a live run; a replayed archive is "
                                 "read-only", "parameter": "mode", "value": source.mode},
                                status_code=409)
        if not isinstance(body.get("command"), str):
            raise InputError("request", "command", body.get("command"), "a command name")
        result = await asyncio.to_thread(source.command, body)
        return {"command": body, "result": result}

    async def _json_body(request: Request) -> dict[str, Any]:
        try:
            body = json.loads(await request.body() or b"{}")
        except (ValueError, RecursionError):   # not JSON, or nested past the parser
            raise InputError("request", "body", "(not JSON)", "a JSON object") from None
        if not isinstance(body, dict):
            raise InputError("request", "body", body, "a JSON object")
        return body

    @app.websocket("/ws/realtime")
    async def realtime(ws: WebSocket) -> None:
        await ws.accept()
        sub = _Subscriber(ws)

        async def sender() -> None:
            while True:
                msg = await sub.queue.get()
                if msg is None:
                    return
                await _send_json(ws, msg)
                if sub.lagged and sub.queue.empty():
                    await ws.close(code=1013, reason="client too slow; samples would be lost")
                    return

        task = asyncio.create_task(sender())
        await _send_json(ws, {"type": "hello", "mode": source.mode, "clock": clock.state()})
        hub.subscribers.add(sub)
        try:
            while True:
                text = await ws.receive_text()
                try:
                    msg = json.loads(text)
                except (ValueError, RecursionError):   # not JSON, or nested past the parser
                    msg = None
                if not isinstance(msg, dict):
                    await _send_json(ws, {"type": "error", "parameter": "message",
                                        "value": text[:80],
                                        "error": "expected a JSON object such as "
                                                 '{"subscribe": ["power.soc_min"]}'})
                    continue
                for error in _apply_ws_request(sub, msg, source.channels):
                    await _send_json(ws, error)
        except (WebSocketDisconnect, RuntimeError, ValueError):
            pass
        finally:
            hub.subscribers.discard(sub)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    dist = openmct_dist(web)
    if (dist / "openmct.js").is_file():
        app.mount("/openmct", StaticFiles(directory=dist), name="openmct")
    if (web / "rossim-plugin").is_dir():
        app.mount("/rossim", StaticFiles(directory=web / "rossim-plugin"), name="rossim")

    @app.get("/")
    def index() -> Any:
        page = web / "index.html"
        if not (dist / "openmct.js").is_file() or not page.is_file():
            return JSONResponse({"error": f"Open MCT is not installed in {web}: run `make web` "
                                 "(npm ci)", "parameter": None, "value": None}, status_code=503)
        return FileResponse(page, headers={"Cache-Control": "no-cache"})

    return app
