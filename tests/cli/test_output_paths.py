"""Output paths: a tester's bad-input sweep of the CLI (review-cli, findings 1, 5, 7, 12).

1. ``run --out DIR`` deleted a user's folder in the way of its outputs (``DIR/parquet/`` with
   the user's files, ``DIR/archive.duckdb/`` as a folder), exit 0: the commit removed it.
   Anything at an output's name that is not rossim's own earlier output of that kind is now
   refused before the work (exit 2, naming the option and the path), in every command that
   writes an output set (run, coverage --maps, trade --plots, serve --out, campaign --out).
5. A truncated run file in a campaign folder ended the resumed campaign, after its new runs,
   with DuckDB's "No magic bytes" as an internal error (exit 1): it is refused before any
   run (exit 2), naming the file and how to recover (``CampaignStore.check_run_files`` says
   why an error and not a quiet re-run).
7. ``serve SCENARIO --out DIR`` with DIR unwritable served, then failed at its first archive a
   minute later: the folder is checked at the start, as every command's outputs.
12. ``describe --plot /nonexistent/dir/x.png`` and ``propagate -o p/new/sub/x.oem`` created the
   missing folders. rossim creates the output it is given (a file, or a run's --out folder),
   never the folders above it: a missing parent folder is an error naming it, in every command.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from rossim.cli.main import main
from rossim.errors import InputError
from rossim.fileio import atomic_write_text, check_in_the_way, output_set

DATA = Path(__file__).resolve().parents[1] / "data"
TINY = DATA / "ops" / "ros-tiny.toml"
OPM = DATA / "cases" / "field" / "propagate-reentry" / "reentry.tle"


def _listing(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes())
            for p in sorted(folder.rglob("*"))}


def _err(capsys, argv) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def _one_clean_line(err: str) -> str:
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err.strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------ 1. nothing of the user's deleted

@pytest.mark.parametrize("extra", [[], ["--parquet"]])
def test_run_refuses_a_users_parquet_folder_before_the_run(tmp_path, capsys, extra):
    """The tester's case: `mkdir -p d/parquet; echo mine > d/parquet/mydata.txt; run --out d`
    lost mydata.txt (with or without --parquet: a run without it removes an old parquet/)."""
    out = tmp_path / "d"
    (out / "parquet").mkdir(parents=True)
    (out / "parquet" / "mydata.txt").write_text("mine\n")
    before = _listing(out)
    rc, stdout, err = _err(capsys, ["run", TINY, "--out", out, "--quiet", *extra])
    line = _one_clean_line(err)
    assert rc == 2 and stdout == ""   # refused before the phase table and the simulation
    assert '--out = "' + str(out) + '"' in line
    assert f"{out / 'parquet'} holds mydata.txt, which rossim does not write there" in line
    assert f"move {out / 'parquet'} away, or choose another --out" in line
    assert _listing(out) == before


@pytest.mark.parametrize("name, make, problem", [
    ("archive.duckdb", "folder", "is a folder"),
    ("report.html", "folder", "is a folder"),
    ("summary.json", "link", "is a symbolic link"),
    ("parquet", "file", "is a file, where rossim writes a folder"),
    ("parquet", "link", "is a symbolic link"),
])
def test_run_refuses_whatever_stands_where_an_output_goes(tmp_path, capsys, name, make,
                                                          problem):
    out = tmp_path / "d"
    out.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "keep.txt").write_text("keep\n")
    target = out / name
    if make == "folder":
        target.mkdir()
        (target / "mine.txt").write_text("mine\n")
    elif make == "file":
        target.write_text("mine\n")
    else:
        os.symlink(tmp_path / "elsewhere", target)
    before = _listing(out)
    rc, stdout, err = _err(capsys, ["run", TINY, "--out", out, "--quiet", "--parquet"])
    line = _one_clean_line(err)
    assert rc == 2 and stdout == "" and f"{target} {problem}" in line and "--out" in line
    assert _listing(out) == before
    assert (tmp_path / "elsewhere" / "keep.txt").read_text() == "keep\n"


def test_a_runs_own_parquet_folder_is_recognised():
    """What a run writes in parquet/ (one <table>.parquet per archive table) is its own earlier
    output: replaced by the next run, or removed by one without --parquet (an old parquet/
    never sits next to a new archive). The whole run is in tests/ops; here the recognition."""
    import tempfile

    from rossim.archive import SCHEMA
    from rossim.cli.run import OUTPUTS, output_folders

    folders = output_folders()
    assert set(folders["parquet"]) == {f"{t}.parquet" for t in SCHEMA}
    files = [n for n in OUTPUTS if n not in folders]
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)
        (out / "parquet").mkdir()
        for name in folders["parquet"]:
            (out / "parquet" / name).write_bytes(b"PAR1")
        for name in files:
            (out / name).write_text("earlier run\n")
        check_in_the_way(out, files, folders, "--out")   # accepted
        (out / "parquet" / "notes.txt").write_text("mine\n")
        with pytest.raises(InputError, match="holds notes.txt"):
            check_in_the_way(out, files, folders, "--out")


@pytest.mark.slow
def test_a_runs_own_earlier_parquet_folder_is_replaced_then_removed(tmp_path, capsys):
    """Not refused: rossim's own earlier outputs. --parquet twice (replaced), then a run
    without it (removed: an old export never sits beside a new archive)."""
    out = tmp_path / "d"
    for extra in (["--parquet"], ["--parquet"], []):
        rc, _, err = _err(capsys, ["run", TINY, "--out", out, "--quiet", *extra])
        assert rc == 0, err
        assert (out / "parquet").is_dir() == bool(extra)
    assert sorted(p.name for p in out.iterdir()) == [".rossim.lock", "archive.duckdb",
                                                      "report.html", "summary.json"]


def test_output_set_refuses_at_the_commit_what_appeared_during_the_work(tmp_path):
    """The library's own guard (the commands check before their work too): a user's file put
    in the earlier parquet/ while the run computed is not deleted by the commit; the earlier
    set stays whole, the new one is dropped with the error."""
    out = tmp_path / "out"
    names, folders = ("archive.duckdb", "parquet"), {"parquet": ("runs.parquet",)}
    with output_set(out, names, folders=folders) as stage:
        atomic_write_text(stage / "archive.duckdb", "1\n")
        (stage / "parquet").mkdir()
        atomic_write_text(stage / "parquet" / "runs.parquet", "1\n")
    with pytest.raises(InputError, match="holds mine.txt"), \
            output_set(out, names, folders=folders) as stage:
        atomic_write_text(stage / "archive.duckdb", "2\n")
        (out / "parquet" / "mine.txt").write_text("mine\n")
    assert (out / "parquet" / "mine.txt").read_text() == "mine\n"
    assert (out / "archive.duckdb").read_text() == "1\n"
    assert sorted(p.name for p in out.iterdir()) == [".rossim.lock", "archive.duckdb",
                                                      "parquet"]


def test_recovery_removes_only_rossims_staging_folders(tmp_path):
    """A killed run's staging folder (.staging- and 8 random characters) is removed by the
    next run; a user's folder of a like name is not."""
    out = tmp_path / "out"
    out.mkdir()
    (out / ".staging-mine").mkdir()
    (out / ".staging-mine" / "keep.txt").write_text("keep\n")
    (out / ".staging-ab12cd_9").mkdir()   # as tempfile.mkdtemp names them
    with output_set(out, ("a.txt",)) as stage:
        atomic_write_text(stage / "a.txt", "x")
    assert (out / ".staging-mine" / "keep.txt").read_text() == "keep\n"
    assert not (out / ".staging-ab12cd_9").exists()


@pytest.mark.parametrize("argv, name", [
    (["coverage", "ros-51.6", "--days", "1", "--grid-deg", "1", "--region", "russia",
      "--maps", "{out}"], "coverage-ros-51.6-russia.png"),
    (["trade", "--days", "1", "--no-reboost", "--plots", "{out}"], "trade-metrics.png"),
    (["campaign", TINY, "--runs", "2", "--workers", "1", "--quiet", "--out", "{out}"],
     "campaign.html"),
    (["campaign", TINY, "--runs", "2", "--workers", "1", "--quiet", "--out", "{out}"], "runs"),
    (["serve", TINY, "--port", "{port}", "--out", "{out}"], "archive.duckdb"),
])
def test_every_output_set_refuses_a_users_folder_before_the_work(tmp_path, capsys, argv,
                                                                 name):
    out = tmp_path / "d"
    out.mkdir()
    if name == "runs":   # a file where the campaign keeps its run files
        (out / name).write_text("mine\n")
    else:
        (out / name).mkdir()
        (out / name / "mine.txt").write_text("mine\n")
    before = _listing(out)
    argv = [str(a).format(out=out, port=_free_port()) for a in argv]
    rc, _, err = _err(capsys, argv)
    line = _one_clean_line(err)
    assert rc == 2 and str(out / name) in line and "choose another" in line, line
    assert _listing(out) == before


# ------------------------------------------------------------------ 5. a damaged campaign file

def _campaign_folder(tmp_path: Path) -> Path:
    """A campaign folder of TINY (the spec the CLI writes) with runs 0 and 1 finished."""
    import numpy as np

    from rossim.campaign.store import CampaignStore, scenario_digest
    from rossim.config.scenario import load_scenario

    out = tmp_path / "camp"
    store = CampaignStore(out)
    scenario = load_scenario(str(TINY))
    store.prepare({"scenario": scenario.name, "scenario_path": scenario.source_path,
                   "scenario_digest": scenario_digest(scenario), "campaign_seed": 0,
                   "monte_carlo": None})
    for run in (0, 1):
        store.write_run({"run": run, "seed": 10 + run, "status": "ok", "error": None,
                         "propellant_kg": 1.0 + run},
                        {"altitude_km": np.array([400.0, 399.5])})
    return out


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_campaign_names_a_truncated_run_file_before_any_run(tmp_path, capsys):
    out = _campaign_folder(tmp_path)
    damaged = out / "runs" / "run-000000.parquet"
    _truncate(damaged)
    before = _listing(out)
    rc, _, err = _err(capsys, ["campaign", TINY, "--runs", "3", "--workers", "1", "--quiet",
                               "--out", out])
    line = err.strip().splitlines()[-1]   # after the note that TINY disperses nothing
    assert rc == 2 and "Traceback" not in err and "internal error" not in err, err
    assert line.startswith(f"rossim: error: {damaged} (damaged: not a whole Parquet file)")
    assert f"delete {damaged} and run the same command again: run 0 is re-run" in line
    assert _listing(out) == before   # nothing removed, no run 2 started


def test_a_damaged_series_file_names_the_rows_file_too(tmp_path):
    from rossim.campaign.store import CampaignStore

    out = _campaign_folder(tmp_path)
    _truncate(out / "series" / "run-000001.parquet")
    with pytest.raises(InputError) as e:
        CampaignStore(out).check_run_files()
    assert (f"delete {out / 'series' / 'run-000001.parquet'} and "
            f"{out / 'runs' / 'run-000001.parquet'}") in str(e.value)


def test_the_advice_works_and_the_run_is_done_again(tmp_path):
    """Deleting the named file is the whole recovery: the run no longer counts as finished
    (the same command re-runs it), and nothing else in the folder is refused."""
    from rossim.campaign.store import CampaignStore

    out = _campaign_folder(tmp_path)
    _truncate(out / "runs" / "run-000000.parquet")
    (out / "runs" / "run-000000.parquet").unlink()
    store = CampaignStore(out)
    store.check_run_files()
    assert store.finished() == {1}


def test_damage_found_while_reading_is_named_too(tmp_path):
    """A file damaged after the start's check: the report's reader names it (exit 2), not
    DuckDB's "No magic bytes" as an internal error."""
    from rossim.campaign.store import CampaignStore

    out = _campaign_folder(tmp_path)
    store = CampaignStore(out)
    assert list(store.runs()["run"]) == [0, 1]
    _truncate(out / "runs" / "run-000001.parquet")
    with pytest.raises(InputError, match="run-000001.parquet .damaged"):
        store.runs()


def test_a_damaged_campaign_json_is_named(tmp_path, capsys):
    out = _campaign_folder(tmp_path)
    (out / "campaign.json").write_text('{"scenario": "ros-t')
    rc, _, err = _err(capsys, ["campaign", TINY, "--runs", "3", "--workers", "1", "--quiet",
                               "--out", out])
    line = err.strip().splitlines()[-1]
    assert rc == 2 and "Traceback" not in err
    assert line.startswith(f"rossim: error: {out / 'campaign.json'} (damaged: not a JSON")


# ------------------------------------------------------------------ 7. serve --out checked first

def test_serve_checks_its_out_folder_before_serving(tmp_path, capsys, monkeypatch):
    """Tests run as root, which ignores permissions: the refusal is simulated at os.access,
    as tests/hardening/test_output_set.py does (a chattr +i folder gives the same line)."""
    import rossim.fileio as fio

    ro = tmp_path / "rodir"
    ro.mkdir()
    real = os.access
    monkeypatch.setattr(fio.os, "access", lambda p, mode: False if Path(p) == ro
                        else real(p, mode))
    rc, stdout, err = _err(capsys, ["serve", TINY, "--port", _free_port(), "--out", ro])
    line = _one_clean_line(err)
    assert rc == 2 and stdout == ""   # never served
    assert f'--out = "{ro}" (permission denied); expected a writable folder' in line
    assert list(ro.iterdir()) == []


# ------------------------------------------------------------------ 12. no folders made above

@pytest.mark.parametrize("argv", [
    ["describe", "--plot", "{path}.png"],
    ["propagate", "--initial", OPM, "--duration", "1h", "--step", "60s", "--no-progress",
     "-o", "{path}.oem"],
    ["dose", "--altitude", "400", "--inclination", "51.6", "--map", "{path}.png"],
    ["fleet", "--days", "0.25", "--plot", "{path}.png"],
    ["decay", "--table", "--out", "{path}.md"],
])
def test_a_missing_folder_of_an_output_file_is_an_error(tmp_path, capsys, argv):
    """The tester's cases (describe --plot, propagate -o) and every other output file."""
    missing = tmp_path / "new" / "sub"
    argv = [str(a).format(path=missing / "x") for a in argv]
    rc, stdout, err = _err(capsys, argv)
    line = _one_clean_line(err)
    assert rc == 2, line
    assert f"(folder {missing} does not exist); expected a file path in an existing folder " \
           "(rossim creates the file, not the folders above it)" in line
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("argv", [
    ["run", TINY, "--quiet", "--out", "{path}"],
    ["coverage", "ros-51.6", "--days", "1", "--grid-deg", "1", "--maps", "{path}"],
    ["trade", "--days", "1", "--no-reboost", "--plots", "{path}"],
    ["campaign", TINY, "--runs", "2", "--workers", "1", "--quiet", "--out", "{path}"],
    ["serve", TINY, "--port", "{port}", "--out", "{path}"],
])
def test_an_output_folder_is_created_but_not_the_folders_above_it(tmp_path, capsys, argv):
    """`run --out out` creates out/ (tests/cli/test_out_folder_kinds.py and tests/ops run into
    new folders); `--out new/out` with no new/ is refused, as an output file's folder."""
    argv = [str(a).format(path=tmp_path / "new" / "out", port=_free_port()) for a in argv]
    rc, _, err = _err(capsys, argv)
    line = _one_clean_line(err)
    assert rc == 2
    assert f"(folder {tmp_path / 'new'} does not exist); expected a folder in an existing " \
           "folder (rossim creates the output folder, not the folders above it)" in line
    assert not (tmp_path / "new").exists()
