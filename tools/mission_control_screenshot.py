"""Screenshots of mission control for docs/mission-control.md, in Debian's Chromium.

``python tools/mission_control_screenshot.py [ARCHIVE] [--out docs/img]`` serves ARCHIVE
(default ``out/archive.duckdb``, the reference run of ``make run``) on a free loopback port,
opens the station overview (whole run, fixed time span) and the real-time replay in headless
Chromium with the same flags as the browser tests (tests/serve/test_browser.py), and writes
``mission-control.png`` and ``mission-control-realtime.png``.

``--live SCENARIO`` instead runs SCENARIO live with the closed-loop engine, commands a reboost
to 430 km from the page's command panel (with the token) and writes
``mission-control-live.png``.
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from rossim.serve.app import create_app
from rossim.serve.replay import ArchiveSource

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(argv: list[str]) -> int:
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else ROOT / "docs" / "img"
    live = argv[argv.index("--live") + 1] if "--live" in argv else None
    args = [a for a in argv if not a.startswith("--") and a not in (str(out), live)]
    if live:
        from rossim.cli.serve import make_source

        source = make_source(live)
    else:
        source = ArchiveSource(args[0] if args else ROOT / "out" / "archive.duckdb")
    app = create_app(source, speed=1000.0, token="screenshot")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}/#/browse/rossim:station/rossim:layout"
    out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
            ctx = p.chromium.launch_persistent_context(
                profile, executable_path="/usr/bin/chromium", headless=True, args=FLAGS,
                viewport={"width": 1500, "height": 900})
            page = ctx.new_page()
            if live:
                page.goto(base.replace("/#", "/?token=screenshot#"))
                page.wait_for_selector("select.rossim-command", timeout=60_000)
                page.wait_for_timeout(5000)
                page.select_option("select.rossim-command", "reboost")
                page.fill("input.rossim-args", "target_altitude_km=430")
                page.click("button.rossim-send")
                page.wait_for_timeout(6000)
                page.screenshot(path=str(out / "mission-control-live.png"))
                ctx.close()
                print(f"wrote {out / 'mission-control-live.png'}")
                return 0
            page.goto(base)
            page.wait_for_selector("canvas.rossim-groundtrack[data-points]", timeout=60_000)
            page.wait_for_timeout(4000)
            page.screenshot(path=str(out / "mission-control.png"))
            page.goto(base + "?tc.mode=rossim&tc.timeSystem=utc&tc.startDelta=43200000"
                      "&tc.endDelta=3600000")
            page.reload()
            page.wait_for_timeout(8000)
            page.screenshot(path=str(out / "mission-control-realtime.png"))
            ctx.close()
    finally:
        srv.should_exit = True
        source.close()
    print(f"wrote {out / 'mission-control.png'}, {out / 'mission-control-realtime.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
