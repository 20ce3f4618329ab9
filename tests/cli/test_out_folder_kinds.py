"""``rossim campaign --out`` on a run's folder and ``rossim run --out`` on a campaign's were
accepted and mixed the two sets of outputs (a newcomer's campaign folder ended with a run's
archive, report and summary beside its own). Each is refused (exit 2) naming --out, the
folder, what it holds and what was expected, before anything is written."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from rossim.cli.main import main
from rossim.errors import InputError
from rossim.fileio import check_folder_kind

TINY = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _run_folder(tmp_path: Path) -> Path:
    out = tmp_path / "run1"
    out.mkdir()
    for name in ("archive.duckdb", "report.html", "summary.json", ".rossim.lock"):
        (out / name).write_text("x")
    return out


def test_campaign_refuses_a_run_folder(tmp_path, capsys):
    out = _run_folder(tmp_path)
    before = _listing(out)
    assert main(["campaign", str(TINY), "--runs", "2", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and str(out) in err and "holds a run's outputs" in err
    assert "archive.duckdb" in err and "a campaign's outputs" in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert _listing(out) == before   # nothing written


def test_campaign_refuses_a_folder_a_run_is_writing(tmp_path, capsys):
    out = tmp_path / "busy"
    out.mkdir()
    fd = os.open(out / ".rossim.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)   # "a run" is writing it
        assert main(["campaign", str(TINY), "--runs", "2", "--out", str(out), "--quiet"]) == 2
    finally:
        os.close(fd)
    err = capsys.readouterr().err
    assert "holds a run's outputs: .rossim.lock; a run is writing it now" in err
    assert _listing(out) == [".rossim.lock"]


def test_run_refuses_a_campaign_folder(tmp_path, capsys):
    out = tmp_path / "camp"
    (out / "runs").mkdir(parents=True)
    (out / "campaign.json").write_text("{}")
    before = _listing(out)
    assert main(["run", str(TINY), "--out", str(out), "--quiet"]) == 2
    cap = capsys.readouterr()
    assert "--out" in cap.err and str(out) in cap.err
    assert "holds a campaign's outputs: campaign.json" in cap.err
    assert "a run's outputs" in cap.err and len(cap.err.splitlines()) == 1
    assert _listing(out) == before


def test_the_campaign_store_refuses_a_run_folder_too(tmp_path):
    from rossim.campaign.store import CampaignStore

    out = _run_folder(tmp_path)
    with pytest.raises(InputError) as e:
        CampaignStore(out).prepare({"scenario_digest": "d", "campaign_seed": 0})
    assert e.value.field == "out" and "run's outputs" in e.value.message
    assert not (out / "runs").exists()


def test_same_kind_and_empty_folders_are_accepted(tmp_path):
    run = _run_folder(tmp_path)
    check_folder_kind(run, "run")              # a run over a run: replaced as one set
    camp = tmp_path / "camp"
    camp.mkdir()
    check_folder_kind(camp, "campaign")
    (camp / "campaign.json").write_text("{}")
    check_folder_kind(camp, "campaign")        # resuming a campaign
    check_folder_kind(tmp_path / "new", "run")


def test_serve_out_into_a_campaign_folder_is_refused(tmp_path, capsys):
    """`rossim serve SCENARIO --out` writes a run's archive: not into a campaign's folder."""
    import socket

    camp = tmp_path / "camp"
    camp.mkdir()
    (camp / "campaign.json").write_text("{}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    before = _listing(camp)
    assert main(["serve", str(TINY), "--out", str(camp), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "campaign" in err and "Traceback" not in err, err
    assert _listing(camp) == before
