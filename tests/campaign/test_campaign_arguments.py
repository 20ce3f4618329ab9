"""Campaign arguments are checked before anything is created (a newcomer's bad --scheduler
left campaign.json, runs/ and series/ behind, and the folder then refused a different --seed
as "holds another campaign" though no run had been done)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from rossim.campaign import dispatch
from rossim.campaign.store import CampaignStore
from rossim.cli.main import main
from rossim.errors import InputError

SCEN = Path(__file__).resolve().parents[1] / "data" / "campaign" / "ros-90d.toml"
DEAD = "tcp://127.0.0.1:9"  # the discard port: no Dask scheduler answers there


def _cli(argv):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main([str(a) for a in argv])
    return code, err.getvalue()


def test_bad_scheduler_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(dispatch, "SCHEDULER_TIMEOUT_S", 2.0)
    out = tmp_path / "c"
    code, err = _cli(["campaign", SCEN, "--runs", "2", "--scheduler", DEAD, "--out", out,
                      "--seed", "1"])
    assert code == 2 and "--scheduler" in err, err
    assert not out.exists() or not any(out.iterdir()), sorted(out.iterdir())
    # a different seed in the same folder is then refused only for the scheduler again
    code, err = _cli(["campaign", SCEN, "--runs", "2", "--scheduler", DEAD, "--out", out,
                      "--seed", "2"])
    assert code == 2 and "--scheduler" in err and "another campaign" not in err, err


def _spec(seed: int) -> dict:
    return {"scenario": "x", "scenario_digest": "d", "campaign_seed": seed}


def test_folder_of_a_campaign_without_a_finished_run_is_taken_over(tmp_path):
    store = CampaignStore(tmp_path / "c")
    store.prepare(_spec(1))  # e.g. stopped by Ctrl-C before its first run finished
    (store.series_dir / "run-000000.parquet").write_bytes(b"stale")
    store.prepare(_spec(2))
    assert store.spec()["campaign_seed"] == 2
    assert not any(store.series_dir.iterdir())


def test_folder_with_finished_runs_of_another_campaign_is_refused(tmp_path):
    store = CampaignStore(tmp_path / "c")
    store.prepare(_spec(1))
    store.write_run({"run": 0, "campaign_seed": 1, "seed": 5, "status": "failed",
                     "error": "x"}, None)
    with pytest.raises(InputError, match="another campaign"):
        store.prepare(_spec(2))
    assert store.spec()["campaign_seed"] == 1


def test_scenario_without_monte_carlo_gets_a_note(tmp_path, monkeypatch):
    """ros-97 has no [monte_carlo]: a campaign is still meaningful (the runs' simulation
    seeds differ), but the user is told that no input is dispersed and which seed is used."""
    monkeypatch.setattr(dispatch, "SCHEDULER_TIMEOUT_S", 2.0)
    code, err = _cli(["campaign", "ros-97", "--runs", "2", "--scheduler", DEAD,
                      "--out", tmp_path / "c"])
    assert code == 2
    note = err.splitlines()[0]
    assert note.startswith("rossim: note: ros-97 has no [monte_carlo] section: no input is "
                           "dispersed"), err
    assert "campaign seed 0 (--seed S to choose another)" in note
    code, err = _cli(["campaign", SCEN, "--runs", "2", "--scheduler", DEAD,
                      "--out", tmp_path / "d"])
    assert "note:" not in err  # a scenario with the section: no note
