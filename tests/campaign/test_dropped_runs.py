"""A run the Dask scheduler drops (cancelled or lost, never finished: a worker or the campaign
process stopped for longer than Dask's timeouts, as when a laptop sleeps) is submitted again;
after three drops the campaign stops with one line and exit 75, the finished runs kept, and
the same command resumes it. Before, the campaign ended with "internal error:
FutureCancelledError" (a 200-run campaign stopped for 18 minutes with SIGSTOP, stop 35).

The runs here are stand-ins (a record and no simulation): the subject is the dispatch."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rossim.campaign import dispatch
from rossim.campaign.store import CampaignStore
from rossim.config.scenario import load_scenario

SCEN = Path(__file__).resolve().parents[1] / "data" / "campaign" / "ros-90d.toml"


def _stand_in(scenario, campaign_seed, run):
    time.sleep(0.3)   # long enough for a cancellation to land before it finishes
    return {"record": {"run": run, "campaign_seed": campaign_seed, "seed": run,
                       "status": "ok", "error": None, "wall_s": 0.3}, "daily": None}


class _Dropping:
    """A client on which the scheduler drops the first ``times`` submissions of run ``run``
    (and with ``scenario`` the scattered scenario too, at the first drop, as when the worker
    holding it is removed: every run waiting for it is then dropped)."""

    def __init__(self, client, run: int, times: int, scenario: bool = False) -> None:
        self._client, self.run, self.times, self.scenario = client, run, times, scenario
        self.submissions: list[int] = []
        self.scatters = 0

    def scatter(self, data, **kw):
        self.scatters += 1
        return self._client.scatter(data, **kw)

    def submit(self, fn, scen, seed, run, **kw):
        fut = self._client.submit(fn, scen, seed, run, **kw)
        self.submissions.append(run)
        if run == self.run and self.submissions.count(run) <= self.times:
            fut.cancel()
            if self.scenario and self.submissions.count(run) == 1:
                scen.cancel()
        return fut

    def __getattr__(self, name):
        return getattr(self._client, name)


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                           dashboard_address=":0", silence_logs=40)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture
def stand_in(monkeypatch):
    monkeypatch.setattr(dispatch, "run_task", _stand_in)


def test_dropped_run_is_submitted_again_and_the_campaign_completes(client, stand_in, tmp_path):
    scenario = load_scenario(SCEN)
    dropping = _Dropping(client, run=1, times=2)
    res = dispatch.run_campaign(scenario, 3, tmp_path / "c", campaign_seed=7, client=dropping)
    assert res.complete and res.done_now == 3 and res.failed == 0
    assert sorted(dropping.submissions) == [0, 1, 1, 1, 2]   # run 1: twice dropped, then run
    df = CampaignStore(tmp_path / "c").runs()
    assert sorted(df["run"]) == [0, 1, 2] and (df["status"] == "ok").all()


def test_scenario_dropped_too_is_scattered_again(client, stand_in, tmp_path):
    scenario = load_scenario(SCEN)
    dropping = _Dropping(client, run=1, times=1, scenario=True)
    res = dispatch.run_campaign(scenario, 4, tmp_path / "c", campaign_seed=7, client=dropping)
    assert res.complete and res.done_now == 4 and res.failed == 0
    assert dropping.scatters == 2                      # scattered again once, not per run
    assert dropping.submissions.count(1) == 2
    df = CampaignStore(tmp_path / "c").runs()
    assert sorted(df["run"]) == [0, 1, 2, 3] and (df["status"] == "ok").all()


def test_run_dropped_three_times_stops_the_campaign_and_the_same_command_resumes(
        client, stand_in, tmp_path):
    scenario = load_scenario(SCEN)
    out = tmp_path / "c"
    dropping = _Dropping(client, run=1, times=99)
    with pytest.raises(dispatch.ClusterLost) as err:
        dispatch.run_campaign(scenario, 3, out, campaign_seed=7, client=dropping)
    assert err.value.run == 1 and err.value.submissions == dispatch.MAX_SUBMISSIONS == 3
    assert "FutureCancelledError" in err.value.reason
    assert 1 not in CampaignStore(out).finished()     # no record for a run never finished
    res = dispatch.run_campaign(scenario, 3, out, campaign_seed=7, client=client)
    assert res.complete and res.before + res.done_now == 3
    assert sorted(CampaignStore(out).runs()["run"]) == [0, 1, 2]


def test_connection_closed_under_a_scatter_stops_the_campaign(client, stand_in, tmp_path):
    """A stop while the scenario is sent to the workers (reproduced with SIGSTOP at the
    campaign's start: "internal error: CommClosedError ... scatter")."""
    from distributed.comm import CommClosedError

    class Closing(_Dropping):
        def scatter(self, data, **kw):
            raise CommClosedError("in <TCP (closed) ConnectionPool.scatter>: Stream is closed")

    with pytest.raises(dispatch.ClusterLost) as err:
        dispatch.run_campaign(load_scenario(SCEN), 2, tmp_path / "c", campaign_seed=7,
                              client=Closing(client, run=0, times=0))
    assert err.value.run is None and "Stream is closed" in err.value.reason
    assert str(err.value).startswith("the connection to the Dask cluster closed")


def test_cli_says_so_in_one_line_and_exits_75(tmp_path, monkeypatch, capsys):
    from rossim.cli.main import main

    def lost(scenario, runs, out, **kw):
        raise dispatch.ClusterLost(4, 3, "FutureCancelledError: key cancelled for reason: "
                                   "lost connection.\nClient lost the connection to the "
                                   "scheduler.", Path(out))

    monkeypatch.setattr(dispatch, "run_campaign", lost)
    rc = main(["campaign", str(SCEN), "--runs", "5", "--out", str(tmp_path / "c"), "--quiet"])
    err = capsys.readouterr().err
    assert rc == 75
    assert err.startswith("rossim: campaign stopped: the Dask scheduler dropped run 4 before it "
                          "finished at each of its 3 submissions (last: FutureCancelledError")
    assert "run the same command to resume" in err and "Traceback" not in err
    assert err.count("\n") == 1
