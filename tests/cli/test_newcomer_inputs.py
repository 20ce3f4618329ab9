"""Odd but plausible inputs a newcomer gives (found by trying the tool from a fresh clone):
each is either run or refused with one clear line and exit code 2, never an internal error."""

from pathlib import Path

from rossim.cli.main import main

ONE_MODULE = """\
name = "one-module"
description = "one module, a short span"
seed = 1
[span]
start = {start}
end = {end}
[orbit]
altitude_km = 400
inclination_deg = 51.6
raan_deg = 0.0
altitude_band_km = [390, 415]
attitude = "velocity"
[[assembly]]
module = "nem1"
launch = {launch}
launcher = "angara-a5"
"""


def _scenario(tmp_path: Path, **dates: str) -> Path:
    path = tmp_path / "one.toml"
    path.write_text(ONE_MODULE.format(**dates), encoding="utf-8")
    return path


def test_first_module_docking_after_the_span_end_is_refused(tmp_path, capsys):
    """A one-day span whose only module launches on its first day docks a week later (its
    8-day climb): `validate` said valid and `run` ended in an internal error (IndexError)."""
    path = _scenario(tmp_path, start="2027-12-22", end="2027-12-23", launch="2027-12-22")
    for argv in (["validate", str(path)],
                 ["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]):
        rc = main(argv)
        err = capsys.readouterr().err
        assert rc == 2, (argv, err)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1, err
        assert "Traceback" not in err and "internal error" not in err, err
        for frag in (path.name, "span.end", '"2027-12-23"', "nem1 (assembly[0]) docks 2027-12-30",
                     "expected a date after the first module docks"):
            assert frag in lines[0], (frag, lines[0])


def test_first_module_docking_inside_a_short_span_runs(tmp_path, capsys):
    """The same module launched a week before the span end docks inside it: valid."""
    path = _scenario(tmp_path, start="2027-12-10", end="2027-12-31", launch="2027-12-10")
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


def test_launch_monthly_rates_come_from_a_month_at_least(capsys):
    """`rossim launch` scaled the windows of --days (default 7) to "a month": 8.7 fast
    rendezvous a month for ros-51.6 where `rossim trade`, searching 30 days, gives 5.1 (and
    docs/coverage.md's 2 days 15.2): the phase to the station cycles over weeks. The rates now
    count at least 30 days whatever --days lists, and the line says how many."""
    lines = {}
    for days, rate_days in (("3", "30"), ("30", "30"), ("45", "45")):
        assert main(["launch", "ros-51.6", "--days", days]) == 0
        out = capsys.readouterr().out
        line = next(ln for ln in out.splitlines() if "in-plane windows a month" in ln)
        assert line.endswith(f"without station phasing (rates from {rate_days} days searched)"), \
            line
        lines[days] = line
        listed = [ln for ln in out.splitlines() if ln.startswith("│ 20")
                  and ("tangent" in ln or "in-plane" in ln or "ascending" in ln
                       or "descending" in ln)]
        assert listed, out
    assert lines["3"] == lines["30"]          # the same month's rates
    assert " 5.1 of them with a fast" in lines["30"], lines["30"]   # as `rossim trade` says


def test_launch_lists_the_windows_of_days_only():
    from rossim.analysis.launch import launch_summary
    from rossim.config.scenario import load_scenario
    from rossim.time import to_time

    out = launch_summary(load_scenario("ros-51.6"), days=2.0)
    assert out.rate_days == 30.0 and out.days == 2.0
    t0 = to_time(out.start)
    ages = [(to_time(w["time"]) - t0).to_value("day") for w in out.windows]
    assert ages and max(ages) < 2.0


def test_describe_at_a_date_before_the_first_module_names_the_option(capsys):
    """`describe --at` inside the span but before the first module docks said
    'epoch = "2027-12-10T00:00:00.000000"' (an internal name, a reformatted value); it is the
    option, as typed, with the first docking."""
    assert main(["describe", "ros-51.6", "--at", "2027-12-10"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ('rossim: error: argument: --at = "2027-12-10"; expected a date on '
                           "or after the first module docks (2027-12-23 11:04 UTC): no station "
                           "before it"), err


def test_serve_checks_its_arguments_before_the_open_mct_set_up(tmp_path, capsys, monkeypatch):
    """In a fresh clone (no `make web` yet) `rossim serve --port 99999` answered "run `make
    web`"; after `make web` it would have refused the port: the argument is checked first."""
    import rossim.serve.app as app

    monkeypatch.setattr(app, "web_dir", lambda: tmp_path)       # no Open MCT installed here
    assert main(["serve", "ros-51.6", "--port", "99999"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("rossim: error: argument: --port = 99999; expected a TCP port "
                           "from 1 to 65535"), err
    import socket

    with socket.socket() as s:                                 # a free port: the set-up
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["serve", "ros-51.6", "--port", str(port)]) == 2
    assert "make web" in capsys.readouterr().err


def test_describe_prints_no_negative_zero(capsys):
    """ros-iss-start after the ISS's US segment separates has its centre of mass 1 mm aft of
    the origin: the phase table printed "-0.0" m."""
    assert main(["describe", "ros-iss-start"]) == 0
    out = capsys.readouterr().out
    row = next(ln for ln in out.splitlines() if "iss-usos separates" in ln)
    assert " 0.0 " in row and "-0.0" not in out, row


def test_campaign_runs_bounded(tmp_path, capsys):
    """`campaign --runs 100000000` started computing (100 million runs; the daily bands of
    that many would not fit in memory): the count has a limit, like every count of rossim."""
    for runs in ("0", "10001", "100000000"):
        assert main(["campaign", "ros-51.6", "--runs", runs, "--workers", "1", "--out",
                     str(tmp_path / "c")]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"rossim: error: argument: --runs = {runs}; expected a positive "
                              "number of runs, at most 10,000"), err
    assert not (tmp_path / "c").exists()


def test_command_before_the_first_module_docks_is_refused(tmp_path, capsys):
    """A scenario command timed before there is a station (nem1 docks 2027-12-23 after its
    climb) validated and was executed at the run's start, a week late, without a word."""
    path = _scenario(tmp_path, start="2027-12-01", end="2028-02-01", launch="2027-12-15")
    path.write_text(path.read_text() + '[[commands]]\nat = 2027-12-16\ncommand = "reboost"\n'
                    "delta_v_m_s = 1.0\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.strip().endswith('commands[0].at = "2027-12-16"; expected a time on or after '
                                "the first module docks (2027-12-23 11:04 UTC)"), err
    path.write_text(path.read_text().replace("at = 2027-12-16", "at = 2027-12-24"),
                    encoding="utf-8")
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


def test_report_says_how_alarm_repeats_are_counted(tmp_path, capsys):
    """The report's alarm table said repeats were occurrences "within a day of the previous
    one"; a cabin-temperature alarm repeats within 7 days (rossim.ops.autonomy), propellant
    and call-up alarms within 30 (the reference run's NEM-1 alarm: 15 repeats in 2028)."""
    path = _scenario(tmp_path, start="2027-12-01", end="2028-01-15", launch="2027-12-15")
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    capsys.readouterr()
    text = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "within a day of the previous one" not in text
    assert ("within 1 day (battery), 7 days (cabin temperature) or 30 days "
            "(propellant, call-ups)") in text


def test_run_console_rounds_like_the_report(tmp_path, capsys):
    """`rossim run` printed summary floats raw (mean_altitude_km 398.4428, availability
    0.961661, crewed_days 442.583) where report.html prints 398.4, 0.9617 and 442.6: a reader
    copying the console quoted digits the models do not have. Both now print the same."""
    import json

    path = _scenario(tmp_path, start="2027-12-01", end="2028-01-15", launch="2027-12-15")
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    out = capsys.readouterr().out
    s = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    for key in ("mean_altitude_km", "propellant_used_kg", "uncrewed_days", "min_battery_soc"):
        v = s[key]
        row = next(ln for ln in out.splitlines() if f" {key} " in ln)
        shown = row.split("│")[2].strip()
        assert shown == (f"{v:,.1f}" if abs(v) >= 1000 else f"{v:.4g}"), (key, v, row)
        assert len(shown.replace(",", "").replace(".", "").lstrip("0")) <= 5, row


CREW_VISIT = """
[[crew_visits]]
name = "first crew"
vehicle = "soyuz-ms"
launch = 2028-01-05
port = "nem1.forward"
duration_days = 14
crew = 2
"""
