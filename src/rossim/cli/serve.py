"""``rossim serve [ARCHIVE_OR_SCENARIO] [--host H] [--port P] [--speed X]``: mission control.

Replays a run archive (``archive.duckdb`` or a run folder, default ``out``) or runs a scenario
live with the closed-loop engine, and serves Open MCT with the rossim plugin at
``http://HOST:PORT/``. Prints a token for the control endpoints (clock, commands).
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import math
import secrets
import socket
import sys
from pathlib import Path

from rossim.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="mission control in the browser (Open MCT): replay an "
                       "archive or run a scenario live",
                       description="Serve Open MCT with the rossim plugin: replay of a run "
                       "archive (archive.duckdb or a run folder) or a live run of a scenario.")
    p.add_argument("source", nargs="?", default="out", metavar="ARCHIVE_OR_SCENARIO",
                   help="archive.duckdb, a run folder (default: out) or a scenario (live)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="TCP port (default: 8080)")
    p.add_argument("--speed", type=float, default=1000.0, metavar="X",
                   help="simulated seconds per wall-clock second (default: 1000)")
    p.add_argument("--token", default=None, help="control token (default: a random one)")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="live runs: keep DIR/archive.duckdb, rewritten every minute as the run "
                        "goes and when the server stops (Ctrl-C); an earlier run in DIR is "
                        "replaced whole, as by rossim run --out")
    p.set_defaults(func=run)


def _check_port(host: str, port: int) -> None:
    if not 1 <= port <= 65535:
        raise InputError("argument", "--port", port, "a TCP port from 1 to 65535")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise InputError("argument", "--host", host, "an address or host name of this machine"
                         ) from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as exc:
            raise InputError("argument", "--port", port, "a free port on " + host,
                             problem=exc.strerror) from None


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _is_scenario(src: str) -> bool:
    p = Path(src)
    if p.suffix == ".toml":
        return True
    if p.exists():
        return False
    from rossim.config.scenario import shipped_scenarios

    return (shipped_scenarios() / f"{src}.toml").is_file()


def make_source(src: str):
    """An ArchiveSource for an archive/run folder, a LiveSource for a scenario."""
    if _is_scenario(src):
        from rossim.config.scenario import load_scenario
        from rossim.config.scenario_ref import recorded_scenario_file
        from rossim.serve.live import LiveSource, load_engine

        scenario = load_scenario(src)
        from rossim.cli.validate import check_deployment_ports
        from rossim.station import build_timeline

        check_deployment_ports(scenario, build_timeline(scenario))   # as validate and run
        Simulation = load_engine()
        live = LiveSource(Simulation(scenario, seed=None))
        live.info.update(scenario=str(getattr(scenario, "name", src)),
                         scenario_file=recorded_scenario_file(scenario.source_path))
        return live
    from rossim.serve.replay import ArchiveSource

    return ArchiveSource(src)


def run(args: argparse.Namespace) -> int:
    if not (math.isfinite(args.speed) and 0 < args.speed <= 1e7):
        raise InputError("argument", "--speed", args.speed, "a number in (0, 1e7] (x real time)")
    from rossim.serve.app import openmct_dist, web_dir

    _check_port(args.host, args.port)   # the arguments first, then the set-up
    if args.out is not None:
        # checked now, as every command's outputs, not at the first archive a minute into
        # the live session: a folder, writable, in an existing folder, no campaign's, and no
        # folder or link of the user's where a run's outputs go (the session replaces an
        # earlier run's whole set, as rossim run --out does)
        from rossim.fileio import check_folder_kind, check_in_the_way, check_output_target

        check_output_target(args.out, "--out", folder=True)
        check_folder_kind(args.out, "run", "--out")   # a run's outputs: never into a campaign's
        check_in_the_way(args.out, *_run_outputs(), option="--out")
    web = web_dir()
    if not (openmct_dist(web) / "openmct.js").is_file():
        raise InputError("setup", "web/node_modules/openmct", str(web),
                         "Open MCT installed from the npm registry: run `make web` (npm ci)")
    source = make_source(args.source)
    if args.out is not None and source.mode != "live":
        raise InputError("argument", "--out", args.out, "no --out when replaying an archive "
                         "(it is opened read-only)")
    out = None
    with contextlib.ExitStack() as held:
        if source.mode == "live" and args.out:
            # the folder's lock for the whole session (a run on it is refused now, and none
            # starts on it while serving); archived as it goes, and once more at the end
            from rossim.fileio import output_folder

            files, folders = _run_outputs()
            out = held.enter_context(output_folder(args.out, (*files, *folders), option="--out",
                                                   folders=folders))
            source.archive_as_it_goes(out)
        return _serve(args, source, web, out)


def _run_outputs() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """A run's output files and its sub-folders -> their files (rossim.fileio.RUN_OUTPUTS)."""
    from rossim.archive.store import run_output_folders
    from rossim.fileio import RUN_OUTPUTS

    folders = run_output_folders()
    return tuple(n for n in RUN_OUTPUTS if n not in folders), folders


def _serve(args: argparse.Namespace, source, web: Path, out) -> int:
    """Serve ``source`` until Ctrl-C; a live run is archived into ``out`` (the held
    :class:`rossim.fileio.OutputFolder`, or None) when the server stops."""
    from rossim.serve.app import create_app

    token = args.token or secrets.token_urlsafe(18)
    app = create_app(source, speed=args.speed, token=token, web=web)
    import uvicorn

    if not _is_loopback(args.host):
        sys.stderr.write(f"rossim: warning: serving on {args.host}, reachable from other "
                         "machines; viewing needs no token\n")
    what = f"replay of {source.path}" if source.mode == "replay" else "live run"
    print(f"rossim serve: {what}, {len(source.channels)} channels, speed {args.speed:g}x")
    print(f"  view     http://{args.host}:{args.port}/")
    print(f"  control  http://{args.host}:{args.port}/?token={token}  (clock and commands; "
          "the token also goes in the X-Rossim-Token header of POST /api/clock, /api/command)",
          flush=True)
    if source.mode == "live":
        print("  archive " + (f"{args.out}/archive.duckdb, rewritten every "
                              f"{source.archive_every_s:g} s and when stopped (Ctrl-C); "
                              "an earlier run there is replaced whole"
                              if args.out else "none (give --out DIR to keep the live run)"),
              flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    except KeyboardInterrupt:   # uvicorn may hand the Ctrl-C back once it has stopped
        pass
    from rossim.cli.main import sigint_handled

    sigint_handled()   # Ctrl-C is how the server stops: a normal end (exit 0), not an interruption
    if out is not None:
        path = source.archive_to(out)
        outcome, at = getattr(source, "archived_outcome", (None, None))
        stopped = f" (stopped at {at}, before the span's end)" if outcome == "stopped" else ""
        print(f"rossim serve: wrote {path}{stopped}" if path else
              f"rossim serve: nothing written ({_why_nothing(source)}; {args.out} as it was)")
    return 0


def _why_nothing(source) -> str:
    """Why a live run's archive was not written (:meth:`LiveSource.archive_to` gave None)."""
    try:
        import rossim.ops.tables  # noqa: F401
    except ImportError:
        return "this engine has no archive writer"
    return "less than an hour simulated"
