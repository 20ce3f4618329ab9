"""A live run stopped before its span's end (``serve --out``, Ctrl-C hours into the span)
writes ``run_info.outcome = 'stopped'`` and the time (``stopped_at``), never 'completed'
(a newcomer's archive of a few simulated days said 'completed')."""

from __future__ import annotations

from pathlib import Path

import duckdb

TINY = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"


def test_archive_of_a_stopped_live_run_says_stopped_and_when(tmp_path):
    from rossim.config.scenario import load_scenario
    from rossim.ops import Simulation
    from rossim.serve.live import LiveSource

    live = LiveSource(Simulation(load_scenario(TINY)))
    live.poll(live.start_ms + 2 * 86400 * 1000)  # two days of a longer span
    path = live.archive_to(tmp_path)
    with duckdb.connect(str(path), read_only=True) as con:
        info = dict(con.execute("SELECT key, value FROM run_info").fetchall())
    assert info["outcome"] == "stopped"
    assert info["stopped_at"].startswith("20") and info["stopped_at"].endswith("Z")
    assert live.archived_outcome == ("stopped", info["stopped_at"])
