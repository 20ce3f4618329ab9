"""The mission-control page in real Chromium (Debian's `chromium` package, driven by
Playwright's Python API with ``executable_path``): page loads without console errors, the
object tree lists the channels, a plot gets points, an alarm shows. Screenshots are saved to
``build/test-artifacts/`` (or ``$ROSSIM_ARTIFACTS``).

Chromium is part of the test set-up (``make test`` installs it; this module installs it too
when run as root and it is missing); a machine without it fails here rather than skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from rossim.serve.app import create_app, openmct_dist, web_dir
from rossim.serve.live import LiveSource
from rossim.serve.replay import ArchiveSource

CHROMIUM = os.environ.get("ROSSIM_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(os.environ.get("ROSSIM_ARTIFACTS",
                                Path(__file__).resolve().parents[2] / "build" / "test-artifacts"))


def _chromium() -> str:
    if not os.access(CHROMIUM, os.X_OK) and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} missing: `make test` installs Debian's chromium "
                    "(apt-get install -y chromium)")
    return CHROMIUM


def _web() -> Path:
    web = web_dir()
    if not (openmct_dist(web) / "openmct.js").is_file():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=web, check=True)
    return web


def _serve(app):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", srv, th


@pytest.fixture(scope="module")
def server(archive):
    source = ArchiveSource(archive)
    url, srv, th = _serve(create_app(source, speed=1000.0, token="browser", web=_web()))
    yield url
    srv.should_exit = True
    th.join(10)
    source.close()


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright

    exe = _chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path=exe, headless=True, args=FLAGS,
            viewport={"width": 1500, "height": 950})
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.errors = errors
        yield page
        ctx.close()


def test_page_loads_with_layout_and_no_console_errors(server, browser_page):
    page = browser_page
    page.goto(server + "/#/browse/rossim:station/rossim:layout")
    page.wait_for_selector("text=Station overview")
    page.wait_for_selector(".c-tree__item >> text=ROS (synthetic, replay)")
    page.wait_for_selector(".gl-plot-chart-area canvas")
    page.wait_for_selector("canvas.rossim-groundtrack[data-points]")
    page.wait_for_timeout(3000)
    page.screenshot(path=str(ARTIFACTS / "mission-control-layout.png"))
    assert page.errors == [], page.errors
    # the overview's Alarms panel shows each alarm's cause, not only its name, time and
    # severity (the Detail column was past the narrow panel's edge)
    cause = page.locator("td", has_text="batteries low").first
    cause.wait_for()
    # the cell's left edge against its panel's right edge (the panel clips what is past it)
    left, right = cause.evaluate("e => [e.getBoundingClientRect().left, "
                                 "e.closest('.l-layout__frame').getBoundingClientRect().right]")
    assert left + 20 < right, (left, right)


def test_tree_lists_the_channels(server, browser_page):
    page = browser_page
    page.goto(server + "/#/browse/rossim:station")
    root = page.locator(".c-tree__item", has_text="ROS (synthetic, replay)").first
    root.locator(".c-disclosure-triangle").click()
    power = page.locator(".c-tree__item", has_text="Power (10-minute bins)").first
    power.locator(".c-disclosure-triangle").click()
    for name in ("soc_min", "generation_kw", "battery_kwh"):
        page.wait_for_selector(f".c-tree__item >> text={name}")
    page.screenshot(path=str(ARTIFACTS / "mission-control-tree.png"))


def test_a_plot_has_points(server, browser_page):
    page = browser_page
    with page.expect_response(lambda r: "/api/telemetry/power.soc_min" in r.url) as resp:
        page.goto(server + "/#/browse/rossim:station/rossim:sub.power/rossim:ch.power.soc_min")
    body = resp.value.json()
    assert body["downsampled"] and len(body["points"]) > 100
    page.wait_for_selector(".gl-plot-chart-area canvas")
    # the y axis is labelled from the data: ticks span the soc range, incl. the 0.12 dip
    page.wait_for_function("document.querySelectorAll('.gl-plot-y-tick-label').length > 2")
    ticks = [float(t) for t in page.locator(".gl-plot-y-tick-label").all_inner_texts()
             if t.strip().replace(".", "", 1).replace("-", "", 1).isdigit()]
    assert min(ticks) <= 0.2 and max(ticks) >= 0.9, ticks
    page.screenshot(path=str(ARTIFACTS / "mission-control-plot.png"))


def test_thermal_panel_has_data(server, browser_page):
    """The layout's Thermal panel plots the thermal channels of the replayed archive (the
    warmest module and the heater power, table ``telemetry_thermal``)."""
    page = browser_page
    wanted = ("/api/telemetry/thermal.max_temperature_c", "/api/telemetry/thermal.heater_kw")
    with page.expect_response(lambda r: wanted[0] in r.url) as resp:
        page.goto(server + "/#/browse/rossim:station/rossim:plot.thermal")
    body = resp.value.json()
    assert body["downsampled"] and len(body["points"]) > 100
    values = [v for _t, v in body["points"]]
    assert 21.9 <= min(values) and max(values) <= 26.1, (min(values), max(values))
    page.wait_for_selector(".gl-plot-chart-area canvas")
    page.wait_for_function("document.querySelectorAll('.gl-plot-y-tick-label').length > 2")
    dictionary = page.request.get(server + "/api/dictionary").json()
    thermal = next(s for s in dictionary["subsystems"] if s["key"] == "thermal")
    names = {c["name"] for c in thermal["channels"]}
    assert {"thermal.max_temperature_c", "thermal.heater_kw",
            "thermal.nem1_temperature_c", "thermal.node_heater_kw"} <= names, names
    page.goto(server + "/#/browse/rossim:station/rossim:layout")
    page.wait_for_selector("text=Station overview")
    page.wait_for_selector(".c-so-view__header >> text=Thermal")
    page.screenshot(path=str(ARTIFACTS / "mission-control-thermal.png"))
    assert page.errors == [], page.errors


def test_an_alarm_shows(server, browser_page):
    page = browser_page
    page.goto(server + "/#/browse/rossim:station/rossim:ev.alarms")
    row = page.locator("tr", has_text="batteries low").first
    row.wait_for()
    assert "critical" in row.inner_text()
    assert page.locator(".is-limit--red").count() >= 1  # severity coloured by the evaluator
    page.screenshot(path=str(ARTIFACTS / "mission-control-alarms.png"))
    assert page.errors == [], page.errors


def test_contact_panel_shows_the_windows(server, browser_page):
    """The layout's contact panel: the AOS/LOS table from the archive's contact_windows
    (GET /api/contact) and the 0/1 contact flags plotted as steps."""
    from tests.serve.conftest import CONTACTS

    page = browser_page
    page.goto(server + "/#/browse/rossim:station/rossim:layout")
    page.wait_for_selector("text=Station overview")
    table = page.locator("table.rossim-contact-windows").first
    table.wait_for()
    page.wait_for_function("Number(document.querySelector('table.rossim-contact-windows')"
                           ".dataset.rows) > 0")
    n = int(table.get_attribute("data-rows"))
    assert n == 60 * len(CONTACTS)          # the whole run: every window of the archive
    assert int(table.get_attribute("data-relay")) == 60
    assert page.locator("tr.rossim-contact-ground", has_text="Shchyolkovo").count() >= 1
    assert page.locator("tr.rossim-contact-relay", has_text="Luch-5A").count() >= 1
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "mission-control-contact.png"))
    # the table alone, on the first day: three windows, newest first
    page.goto(server + "/#/browse/rossim:station/rossim:contacts?tc.mode=fixed&tc.startBound="
              "1893456000000&tc.endBound=1893542400000&tc.timeSystem=utc")
    page.wait_for_function("document.querySelector('table.rossim-contact-windows')"
                           " && document.querySelector('table.rossim-contact-windows')"
                           ".dataset.rows === '3'")
    first_row = page.locator("table.rossim-contact-windows tr").nth(1).inner_text()
    assert "Luch-5A" in first_row and "2030-01-01 12:00:00" in first_row
    assert page.errors == [], page.errors


def test_realtime_replay_streams_into_the_page(server, browser_page):
    page = browser_page
    page.goto(server + "/#/browse/rossim:station/rossim:layout?tc.mode=rossim&tc.timeSystem=utc"
              "&tc.startDelta=43200000&tc.endDelta=3600000")
    page.wait_for_selector("text=Station overview")
    page.wait_for_function("window.RossimMissionControl.realtime"
                           " && window.RossimMissionControl.realtime.stats.samples > 5")
    stats = page.evaluate("window.RossimMissionControl.realtime.stats")
    assert page.evaluate("openmct.time.isRealTime()")
    assert stats["gaps"] == 0 and stats["messages"] > 5
    page.screenshot(path=str(ARTIFACTS / "mission-control-realtime.png"))
    assert page.errors == [], page.errors


def test_live_command_from_the_panel_needs_the_token(browser_page, fake_simulation):
    sim = fake_simulation()
    url, srv, th = _serve(create_app(LiveSource(sim), speed=600.0, token="live-secret",
                                     web=_web()))
    page = browser_page
    try:
        # without the token (the prompt is dismissed): refused, nothing changes
        page.goto(url + "/#/browse/rossim:station/rossim:layout")
        page.wait_for_selector("select.rossim-command")
        page.evaluate("sessionStorage.clear()")
        page.select_option("select.rossim-command", "reboost")
        page.click("button.rossim-send")
        page.wait_for_function("document.querySelector('.rossim-status').textContent"
                               ".includes('token')")
        assert sim.commands == []
        assert all("401" in e for e in page.errors), page.errors  # the refusal, nothing else
        page.errors.clear()
        # with the token in the page's URL: done, in the event stream, altitude rises
        page.goto(url + "/?token=live-secret#/browse/rossim:station/rossim:layout")
        page.wait_for_selector("select.rossim-command")
        page.wait_for_timeout(1500)
        before = sim.alt
        page.select_option("select.rossim-command", "reboost")
        page.fill("input.rossim-args", "delta_v_m_s=3")
        page.click("button.rossim-send")
        page.wait_for_function("document.querySelector('.rossim-status').textContent"
                               ".includes('done')")
        assert len(sim.commands) == 1 and sim.alt > before + 4.9
        page.goto(url + "/?token=live-secret#/browse/rossim:station/rossim:ev.events")
        page.locator("tr", has_text="commanded reboost").first.wait_for()
        page.goto(url + "/#/browse/rossim:station/rossim:sub.orbit/rossim:ch.orbit.altitude_km")
        page.wait_for_function("document.querySelectorAll('.gl-plot-y-tick-label').length > 2")
        # the plot is drawn from the history first and extends as the live samples after
        # the reboost arrive: wait (up to 15 s) for its axis to reach them, then check
        try:
            page.wait_for_function(
                "Math.max(...[...document.querySelectorAll('.gl-plot-y-tick-label')]"
                ".map(e => parseFloat(e.textContent)).filter(x => !isNaN(x))) >= 404",
                timeout=15000)
        except Exception:  # noqa: BLE001 - the assert below reports the ticks seen
            pass
        ticks = [float(t) for t in page.locator(".gl-plot-y-tick-label").all_inner_texts()
                 if t.strip().replace(".", "", 1).isdigit()]
        assert max(ticks) >= 404.0, ticks  # the plot reaches the raised altitude
        page.screenshot(path=str(ARTIFACTS / "mission-control-live-fake-engine.png"))
        assert page.errors == [], page.errors
    finally:
        srv.should_exit = True
        th.join(10)


def test_command_arguments_are_read_as_the_operator_means_them(server, browser_page):
    """The panel's ``name=value`` text (web/rossim-plugin/control.js ``parseArgs``): ``null``
    is JSON null (``at=null``: now, as the command set documents), quoted text keeps its
    spaces, a name without a value or given twice is refused in the page (not sent as 0 or
    a silent choice), and a number JSON cannot hold stays text for the server to name."""
    page = browser_page
    page.goto(server + "/#/browse/rossim:station")
    page.wait_for_selector(".c-tree__item >> text=ROS (synthetic, replay)")
    got = page.evaluate("""async () => {
        const m = await import('/rossim/control.js');
        const run = (s) => { try { return m.parseArgs(s); } catch (e) { return 'error: ' + e.message; } };
        return {
            now: run('target_altitude_km=410 at=null'),
            mixed: run('delta_v_m_s=1.5, enter=false count=-2e1'),
            quoted: run('visit_name="Progress MS-40" crew=2'),
            empty: run('target_altitude_km='),
            twice: run('level=1 level=2'),
            bare: run('target_altitude_km'),
            open: run('visit_name="Progress'),
            huge: run('delta_v_m_s=1e999'),
            hex: run('fault_id=0x10'),
            scheduled: m.describeResult('reboost', {accepted: true, detail: 'scheduled',
                                                    time: '2029-01-01T00:00:00'}),
            refused: m.describeResult('repair', {accepted: false, reason: 'no fault #9'}),
            done: m.describeResult('load-shed', {accepted: true, detail: 'shedding level 1'}),
        };
    }""")
    assert got["now"] == {"target_altitude_km": 410, "at": None}
    assert got["mixed"] == {"delta_v_m_s": 1.5, "enter": False, "count": -20}
    assert got["quoted"] == {"visit_name": "Progress MS-40", "crew": 2}
    assert got["empty"].startswith("error: target_altitude_km= has no value")
    assert got["twice"] == "error: level is given twice"
    assert got["bare"] == "error: arguments are name=value: target_altitude_km"
    assert got["open"].startswith("error: a quote is not closed")
    assert got["huge"] == {"delta_v_m_s": "1e999"} and got["hex"] == {"fault_id": "0x10"}
    assert got["scheduled"] == "reboost: scheduled for 2029-01-01 00:00:00Z"
    assert got["refused"] == "repair: refused: no fault #9"
    assert got["done"] == "load-shed: done shedding level 1"


def test_a_long_refusal_keeps_the_command_panel_on_screen(browser_page, fake_simulation):
    """A 400 names the field in the server's own letters (not the status bar's capitals: kg,
    m/s and field names stay as written), and a long one is cut with an ellipsis, whole in
    the tooltip, instead of pushing the clock and the command panel out of the bar; a reply
    that is not JSON (a crash's page) is shown by its status."""
    sim = fake_simulation()
    url, srv, th = _serve(create_app(LiveSource(sim), speed=600.0, token="live-secret",
                                     web=_web()))
    page = browser_page
    try:
        page.goto(url + "/?token=live-secret#/browse/rossim:station/rossim:layout")
        page.wait_for_selector("select.rossim-command")
        page.select_option("select.rossim-command", "reboost")
        page.fill("input.rossim-args", "target_altitude_km=410 at=yesterday")
        page.click("button.rossim-send")
        page.wait_for_function("document.querySelector('.rossim-status').title"
                               ".includes('at = ')")
        status = page.locator(".rossim-status")
        title = status.get_attribute("title")
        assert title.startswith('reboost: request: at = "yesterday"; expected a UTC ISO-8601')
        assert status.inner_text() == status.text_content() == title   # as written, not capitals
        assert page.evaluate("(e => e.scrollWidth > e.clientWidth)"
                             "(document.querySelector('.rossim-status'))")  # cut, not spilled
        for sel in ("select.rossim-command", "button.rossim-send", ".rossim-clock"):
            # on screen, and not under the search box: both ends are the element's own
            assert page.evaluate("""(sel) => {
                const e = document.querySelector(sel), b = e.getBoundingClientRect();
                const y = b.top + b.height / 2;
                return [b.left + 1, b.right - 1].every((x) => x >= 0 && x <= innerWidth &&
                    e.contains(document.elementFromPoint(x, y)));
            }""", sel), sel
        page.screenshot(path=str(ARTIFACTS / "mission-control-command-refused-fake-engine.png"))
        assert sim.commands == []
        # at=null is now, as documented: done
        page.fill("input.rossim-args", "delta_v_m_s=3 at=null")
        page.click("button.rossim-send")
        page.wait_for_function("document.querySelector('.rossim-status').textContent"
                               ".startsWith('reboost: done')")
        assert len(sim.commands) == 1
        page.route("**/api/command", lambda route: route.fulfill(
            status=500, body="Internal Server Error", content_type="text/plain"))
        page.click("button.rossim-send")
        page.wait_for_function("document.querySelector('.rossim-status').textContent"
                               " === 'reboost: 500 Internal Server Error'")
        page.unroute("**/api/command")
        assert all("400" in e or "500" in e for e in page.errors), page.errors
        page.errors.clear()
    finally:
        srv.should_exit = True
        th.join(10)
