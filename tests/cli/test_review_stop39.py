"""Faults a fresh user found trying the commands (stop 39 review): each is the right value now,
or one clear line and exit code 2. Inputs: the field cases' files (tests/data/cases/field,
origins in their READMEs), the ISS history of tests/data/iss (Space-Track, its README)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rossim.cli.main import main

DATA = Path(__file__).resolve().parents[1] / "data"
OPM = DATA / "cases" / "field" / "opm-maneuvers-ignored" / "ros-man.opm"   # OBJECT_ID 2027-001A
ISS_TLE = DATA / "iss" / "iss-tle-2021-01-to-2022-03.txt"


def _one_error(capsys, argv):
    rc = main([str(a) for a in argv])
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert rc == 2 and len(lines) == 1 and "Traceback" not in err, (rc, err)
    return lines[0]


def test_propagate_keeps_the_object_id_and_lists_command_line_burns(tmp_path, capsys):
    out = tmp_path / "b.oem"
    rc = main(["propagate", "--initial", str(OPM), "--duration", "3h", "--step", "30min",
               "--gravity", "point", "--burn", "2027-03-01T02:00:00 tnw 0.5 0 0", "-o", str(out)])
    assert rc == 0, capsys.readouterr().err
    text = out.read_text()
    assert "OBJECT_ID = 2027-001A" in text           # CCSDS 502.0-B-3: the COSPAR designator
    comments = [ln for ln in text.splitlines() if ln.startswith("COMMENT Manoeuvre")]
    assert len(comments) == 2
    assert comments[0].startswith("COMMENT Manoeuvre from the initial file applied: "
                                  "2027-03-01T01:00:00")
    assert comments[1].startswith("COMMENT Manoeuvre from --burn applied: 2027-03-01T02:00:00")


def test_a_tle_gives_its_international_designator_and_a_note_for_the_other_sets(tmp_path,
                                                                               capsys):
    two = tmp_path / "two.tle"
    two.write_text("\n".join(ISS_TLE.read_text().splitlines()[:6]) + "\n")
    out = tmp_path / "t.oem"
    rc = main(["propagate", "--initial", str(two), "--duration", "1h", "--step", "10min",
               "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 0, err
    assert "OBJECT_ID = 1998-067A" in out.read_text()   # the ISS: 98067A in its TLE
    assert "holds 2 element sets; the first (ISS (ZARYA), epoch 2021-01-01" in err


def test_lower_case_kvn_is_named_as_such_not_read_as_a_tle(tmp_path, capsys):
    low = tmp_path / "low.opm"
    low.write_text("\n".join(ln.split("=")[0].lower() + "=" + ln.split("=", 1)[1]
                             if "=" in ln else ln for ln in OPM.read_text().splitlines()))
    line = _one_error(capsys, ["propagate", "--initial", low, "--duration", "1h", "--step",
                               "10min", "-o", tmp_path / "x.oem"])
    assert "low.opm:1: ccsds_opm_vers" in line and "CCSDS_OPM_VERS" in line
    assert "7.4.4" in line and "TLE" not in line


def test_decay_of_an_opm_says_it_needs_a_history(tmp_path, capsys):
    line = _one_error(capsys, ["decay", OPM])
    assert "an OPM" in line and "a TLE or OMM history" in line


def test_decay_needs_all_three_ballistic_options(capsys):
    line = _one_error(capsys, ["decay", ISS_TLE, "--mass", "1000", "--area", "1"])
    assert "--cd" in line and "None" not in line and "given: --mass, --area" in line


def test_a_station_named_twice_counts_once(capsys):
    rc = main(["passes", "--initial", str(OPM), "--duration", "1d", "--station", "shchyolkovo",
               "--json"])
    once = json.loads(capsys.readouterr().out)["passes"]
    rc2 = main(["passes", "--initial", str(OPM), "--duration", "1d", "--station", "shchyolkovo",
                "--station", "shchyolkovo", "--json"])
    twice = json.loads(capsys.readouterr().out)["passes"]
    assert rc == rc2 == 0 and once and twice == once


def test_the_same_solar_particle_event_twice_is_refused(capsys):
    line = _one_error(capsys, ["dose", "--altitude", "400", "--inclination", "51.6",
                               "--date", "2027-03-01", "--spe", "2027-03-01",
                               "--spe", "2027-03-01"])
    assert "--spe" in line and "each event once" in line


def test_ap_alone_does_not_invent_an_f107(tmp_path, capsys):
    line = _one_error(capsys, ["propagate", "--initial", OPM, "--duration", "1h", "--step",
                               "10min", "--drag", "msis2.1", "--ap", "15", "-o",
                               tmp_path / "x.oem"])
    assert "--f107" in line and "beside --ap" in line


def test_third_body_named_twice_is_applied_and_shown_once(tmp_path, capsys):
    rc = main(["propagate", "--initial", str(OPM), "--duration", "1h", "--step", "30min",
               "--third-body", "sun,sun", "-o", str(tmp_path / "s.oem"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0 and out["third_body"] == ["sun"]


def test_a_short_oem_states_an_interpolation_its_states_allow(tmp_path, capsys):
    out = tmp_path / "three.oem"
    assert main(["propagate", "--initial", str(OPM), "--duration", "1h", "--step", "30min",
                 "-o", str(out)]) == 0
    text = out.read_text()
    assert "INTERPOLATION_DEGREE = 5" in text   # 3 states with velocities: Hermite 2N-1 = 5


@pytest.mark.parametrize("inc, want", [(180.0, "puts no payload"), (0.0, "at most 4")])
def test_an_unreachable_inclination_is_named_not_a_negative_mass(tmp_path, capsys, inc, want):
    base = (Path(__file__).resolve().parents[2] / "src" / "rossim" / "scenarios"
            / "ros-51.6.toml").read_text()
    sc = tmp_path / "inc.toml"
    sc.write_text(base.replace("inclination_deg = 51.6", f"inclination_deg = {inc}", 1))
    line = _one_error(capsys, ["validate", sc])
    assert want in line and "-" not in line.split("expected", 1)[1].split("kg")[0]


def test_span_limit_is_twenty_calendar_years(tmp_path, capsys):
    base = (Path(__file__).resolve().parents[2] / "src" / "rossim" / "scenarios"
            / "ros-51.6.toml").read_text()
    import re

    start = re.search(r"^start = (\d{4})-(\d\d)-(\d\d)", base, re.M)
    y, m, d = int(start.group(1)), start.group(2), start.group(3)
    sc = tmp_path / "long.toml"
    end_old = re.search(r"^end = (\S+)", base, re.M).group(1)
    sc.write_text(base.replace(f"end = {end_old}", f"end = {y + 20}-{m}-{int(d) + 1:02d}", 1))
    line = _one_error(capsys, ["validate", sc])
    assert "span.end" in line and f"{y + 20}-{m}-{d} at the latest" in line


def test_report_of_a_run_without_a_full_day_shows_no_nan(tmp_path, capsys):
    """Less than a day after the first docking: no full day of contact to average. The report
    printed 'ground stations nan min'; it says there is no full day."""
    tiny = (DATA / "ops" / "ros-tiny.toml").read_text()
    sc = tmp_path / "tiny1d.toml"
    sc.write_text(tiny.replace("end = 2028-03-15", "end = 2027-12-21", 1))
    out = tmp_path / "out"
    assert main(["run", str(sc), "--out", str(out), "--quiet"]) == 0, capsys.readouterr().err
    html = (out / "report.html").read_text()
    assert "nan min" not in html
    assert "no full day in the run (n/a)" in html
    # stocks aboard with no daily sample yet: the peak is the start/end (it was {}), written
    # as a list, not a Python dict
    s = json.loads((out / "summary.json").read_text())
    peak, end = s["logistics"]["peak_stock_kg"], s["logistics"]["end_stock_kg"]
    assert peak and all(peak[k] >= end[k] for k in end)
    assert "at their peak water" in html and "{'" not in html


def test_a_burn_at_the_file_s_manoeuvre_epoch_gets_a_note(tmp_path, capsys):
    """The field case's README gave --burn to stand in for the OPM's manoeuvre it then
    ignored; the file's manoeuvre is applied now, so that command flies the burn twice
    (4 m/s): a note says so, in the table's notes and the JSON too; a burn at another
    epoch gets none (test above)."""
    argv = ["propagate", "--initial", str(OPM), "--duration", "3h", "--step", "30min",
            "--gravity", "point", "--burn", "2027-03-01T01:00:00 vnc 2 0 0",
            "-o", str(tmp_path / "b.oem"), "--json"]
    assert main(argv) == 0
    io = capsys.readouterr()
    note = ("--burn '2027-03-01T01:00:00 vnc 2 0 0' is at the epoch of the initial file's "
            "manoeuvre (2027-03-01T01:00:00.000): both are applied")
    assert f"rossim: note: {note}" in io.err
    assert any(n.startswith(note) for n in json.loads(io.out)["notes"])
    argv[10] = "2027-03-01T02:00:00 vnc 2 0 0"
    assert main(argv) == 0
    assert "both are applied" not in capsys.readouterr().err
