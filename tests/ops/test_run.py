"""`rossim run`: outputs, determinism, atomic archive, propellant and battery invariants,
injected fault handling, refusal of impossible plans."""

import json
import os
import signal
import subprocess
import sys
import time

import duckdb
import numpy as np
import pytest

from rossim.archive.store import SCHEMA, is_complete, read_table
from rossim.cli.main import main
from rossim.config.systems import load_systems
from rossim.systems.propulsion import G0, dv_for_propellant


def _tables(path):
    return {name: read_table(path, name) for name in SCHEMA}


def test_outputs_exist_and_summary_has_required_keys(short_run):
    for name in ("archive.duckdb", "report.html", "summary.json"):
        assert (short_run / name).stat().st_size > 0
    summary = json.loads((short_run / "summary.json").read_text())
    for key in ("assembly_complete", "crewed_days", "uncrewed_days", "reboost_dv_m_s_per_year",
                "propellant_used_kg", "faults_total", "faults_recovered_automatically",
                "min_battery_soc", "mean_altitude_km"):
        assert key in summary, key
    assert summary["assembly_complete"] == "2028-12-23"  # core: launch 12-15 + 8-day climb
    assert summary["crewed_days"] > 0 and summary["uncrewed_days"] > summary["crewed_days"]
    assert is_complete(short_run / "archive.duckdb")
    # Crew dose is recorded per crewed visit (two Soyuz visits in the short scenario).
    dose = read_table(short_run / "archive.duckdb", "crew_dose")
    assert len(dose) == summary["crew_visits"] == 2
    assert all(0 < row[6] < 100 for row in dose)  # mSv per person for a 30-day visit
    html = (short_run / "report.html").read_text()
    assert html.count("data:image/png;base64,") >= 7
    assert "http://" not in html and "https://" not in html  # self-contained


def test_propellant_follows_rocket_equation(short_run):
    burns = read_table(short_run / "archive.duckdb", "burns", order_by="time")
    assert burns, "the short scenario's 10 km band must need reboosts"
    for _t, dv, prop, _src, before, after, mass, isp, _by in burns:
        assert prop == pytest.approx(mass * (1 - np.exp(-dv / (G0 * isp))), rel=1e-12)
        assert dv_for_propellant(mass, prop, isp) == pytest.approx(dv, rel=1e-9)
        assert after > before
    summary = json.loads((short_run / "summary.json").read_text())
    # reboosts are one cause among several since issue #13 (attitude, debris avoidance, ...)
    assert summary["propellant_by_cause_kg"]["reboost"] == pytest.approx(
        sum(b[2] for b in burns), abs=1e-3)
    assert summary["propellant_used_kg"] == pytest.approx(
        sum(summary["propellant_by_cause_kg"].values()), abs=1e-2)


def test_battery_state_of_charge_in_bounds(short_run):
    max_soc = load_systems().power.max_soc.value
    con = duckdb.connect(str(short_run / "archive.duckdb"), read_only=True)
    lo, hi, n = con.execute("SELECT min(soc_min), max(soc_max), count(*) "
                            "FROM telemetry_power").fetchone()
    con.close()
    assert n > 1000
    assert 0.0 <= lo <= hi <= max_soc + 1e-12


def test_injected_fault_detected_recovered_and_in_events(short_run):
    rows = read_table(short_run / "archive.duckdb", "faults", order_by="id")
    injected = [r for r in rows if r[5]]
    assert len(injected) == 1
    fid, comp, *_rest = injected[0]
    cols = [c for c, _, _ in SCHEMA["faults"]]
    rec = dict(zip(cols, injected[0], strict=True))
    assert comp == "coolant-pump"
    assert rec["detected_at"] is not None and rec["detected_at"] > rec["failed_at"]
    assert (rec["detected_at"] - rec["failed_at"]).total_seconds() < 1800  # within the window
    assert rec["rule"].startswith("trend on loop_temperature")
    assert rec["recovered_automatically"] or rec["repaired_at"] is not None
    events = read_table(short_run / "archive.duckdb", "events", order_by="time")
    assert any(e[1] == "fault-detected" and f"fault #{fid} coolant-pump" in e[3] for e in events)


def test_same_seed_same_outputs(short_run, short_scenario_path, tmp_path):
    assert main(["run", str(short_scenario_path), "--out", str(tmp_path), "--quiet"]) == 0
    assert (tmp_path / "summary.json").read_bytes() == (short_run / "summary.json").read_bytes()
    assert (tmp_path / "report.html").read_bytes() == (short_run / "report.html").read_bytes()
    assert _tables(tmp_path / "archive.duckdb") == _tables(short_run / "archive.duckdb")


def test_other_seed_other_faults(short_run, short_scenario_path, tmp_path):
    assert main(["run", str(short_scenario_path), "--out", str(tmp_path), "--quiet",
                 "--seed", "8"]) == 0
    a = read_table(tmp_path / "archive.duckdb", "faults")
    b = read_table(short_run / "archive.duckdb", "faults")
    assert a != b


@pytest.mark.slow
def test_killed_run_leaves_previous_archive(short_run, short_scenario_path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    previous = (short_run / "archive.duckdb").read_bytes()
    (out / "archive.duckdb").write_bytes(previous)
    before = _tables(out / "archive.duckdb")
    for delay in (1.0, 4.0, 8.0):
        proc = subprocess.Popen([sys.executable, "-m", "rossim.cli.main", "run",
                                 str(short_scenario_path), "--out", str(out), "--quiet",
                                 "--seed", "99"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        archive = out / "archive.duckdb"
        assert archive.exists()
        assert is_complete(archive)
        now = _tables(archive)
        seed = dict(read_table(archive, "run_info"))["seed"]
        # Either the previous archive, untouched, or the new run's complete one.
        assert now == before or seed == "99"
        assert not (out / "archive.duckdb.wal").exists()


@pytest.mark.parametrize(("old", "new", "fragment"), [
    ('port = "node.starboard"', 'port = "gateway.forward"', "already occupied"),
    ("duration_days = 110", "duration_days = 300", "docked life"),
    ("crew = 2", "crew = 5", "seats"),
])
def test_impossible_plans_refused(short_scenario_path, tmp_path, capsys, old, new, fragment):
    text = short_scenario_path.read_text().replace(old, new, 1)
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    out = tmp_path / "out"
    rc = main(["run", str(bad), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert rc == 2
    assert fragment in err and "bad.toml" in err and "expected" in err
    assert not out.exists()  # nothing written for a refused plan


def test_unknown_injected_component(short_scenario_path, tmp_path, capsys):
    text = short_scenario_path.read_text().replace('component = "coolant-pump"',
                                                   'component = "flux-capacitor"')
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    rc = main(["run", str(bad), "--out", str(tmp_path / "o"), "--quiet"])
    err = capsys.readouterr().err
    assert rc == 2 and "operations.faults[0].component" in err and "flux-capacitor" in err
