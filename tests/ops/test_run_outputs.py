"""`rossim run`'s output set, wired to :func:`rossim.fileio.output_set` (issue #17 cases that
needed the run command). Origins: ../shared/rel-cases/concurrent-runs-same-out,
parquet-quote-in-out-path and validate-accepts-unknown-deployment-port (mutation campaign 1
against rossim 952c3a3); expected values from their READMEs."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb

from rossim.archive.store import is_complete
from rossim.cli.main import main

DATA = Path(__file__).resolve().parents[1] / "data" / "ops"
TINY = DATA / "ros-tiny.toml"


def test_second_run_on_the_same_folder_is_refused_at_once(tmp_path, capsys):
    out = tmp_path / "out"
    main(["run", str(TINY), "--out", str(tmp_path / "warm"), "--quiet"])  # imports paid here
    capsys.readouterr()
    first = subprocess.Popen([sys.executable, "-m", "rossim.cli.main", "run", str(TINY), "--out",
                              str(out), "--quiet"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while not (out / ".rossim.lock").exists() and time.time() < deadline:
            time.sleep(0.01)
        # the second run in this process, its imports already paid: it reaches the lock while
        # the first still holds it (a second process could arrive after a fast first run ended)
        second_rc = main(["run", str(TINY), "--out", str(out), "--quiet", "--seed", "3"])
        second_err = capsys.readouterr().err
    finally:
        assert first.wait(timeout=300) == 0
    assert second_rc == 2
    assert "another rossim run" in second_err and len(second_err.splitlines()) == 1
    assert is_complete(out / "archive.duckdb")
    con = duckdb.connect(str(out / "archive.duckdb"), read_only=True)
    seed = dict(con.execute("SELECT * FROM run_info").fetchall())["seed"]
    con.close()
    assert seed == "11"  # the first run's outputs only


def test_parquet_export_into_a_folder_with_a_quote(tmp_path):
    out = tmp_path / "it's here"
    assert main(["run", str(TINY), "--out", str(out), "--quiet", "--parquet"]) == 0
    assert (out / "parquet" / "events.parquet").exists()


def test_run_refuses_an_unknown_deployment_port(tmp_path, capsys):
    text = TINY.read_text() + '''
[[free_flyers.deployments]]
date = 2028-01-20
count = 1
mass_kg = 20
port = "nem1.no-such-port"
delta_v_m_s = 0.5
'''
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    out = tmp_path / "out"
    assert main(["run", str(bad), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "free_flyers.deployments[0].port" in err
    assert not out.exists()


def test_no_command_overwrites_its_own_input(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    scen = out / "summary.json"  # a scenario stored under one of run's output names
    scen.write_text(TINY.read_text())
    assert main(["run", str(scen), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "overwrite the input" in err and "--out" in err
    assert scen.read_text() == TINY.read_text()
    png = tmp_path / "s.png"
    png.write_text(TINY.read_text())
    assert main(["describe", str(png), "--plot", str(png)]) == 2
    assert "overwrite the input" in capsys.readouterr().err
    assert png.read_text() == TINY.read_text()
