"""A ship or module sent before the station (or the module carrying its port) is there is told
so, naming the real cause (review of the newcomer's messages). Found: a crew series starting
before the span said `crew_series[0].port = "auto" (every port that fits is occupied)`, and a
port of a module that docks later said `core is not part of the station yet (docked before its
parent module is there)`, though core's parent was there. Right: a series' first_launch before
the span is "expected a date inside the span" (as cargo_demand), a ship with no module there
names its date field and when the first module docks, and an absent port module is said to
dock only on its date (its parent blamed only for a module docking to it), to have left, or
to be docked by no entry."""

from __future__ import annotations

from pathlib import Path

from rossim.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def _refused(tmp_path, capsys, scenario: str, edits, append: str = "") -> str:
    text = (ROOT / "scenarios" / f"{scenario}.toml").read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "plan.toml"
    path.write_text(text + append, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


STAGE1 = "first_launch = 2029-01-15    # estimate: after the node"
STAGE2 = "first_launch = 2033-01-15\n"


def test_a_series_before_the_span_expects_a_date_inside_it(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "ros-2026-plan",
                   [(STAGE1, "first_launch = 2027-01-15    # estimate: after the node")])
    assert 'crew_series[0].first_launch = 2027-01-15; expected a date inside the span ' \
           "2028-06-01 .. 2035-12-31" in err, err


def test_a_cargo_series_before_the_span_expects_a_date_inside_it(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "ros-51.6", [], append=(
        '\n[[cargo_series]]\nvehicle = "progress-ms"\nfirst_launch = 2027-06-01\n'
        'every_days = 120\nuntil = 2030-01-01\nport = "node.starboard"\nduration_days = 60\n'))
    assert 'cargo_series[0].first_launch = 2027-06-01; expected a date inside the span ' \
           "2027-12-01 .. 2035-12-31" in err, err


def test_a_series_before_the_first_module_names_its_first_launch(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "ros-2026-plan",
                   [(STAGE1, "first_launch = 2028-06-05    # estimate: after the node")])
    assert 'crew_series[0].first_launch = "2028-06-05" (no module is part of the station ' \
           "when its ship would dock, 2028-06-05" in err, err
    assert "expected a launch after the first module docks: nem1 (assembly[0]) docks " \
           "2028-06-23" in err and "occupied" not in err, err


def test_a_visit_before_the_first_module_names_its_launch(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "ros-2026-plan", [], append=(
        '\n[[cargo_visits]]\nvehicle = "progress-ms"\nlaunch = 2028-06-03\nport = "auto"\n'
        "duration_days = 30\n"))
    assert 'cargo_visits[0].launch = "2028-06-03" (no module is part of the station' in err
    assert "nem1 (assembly[0]) docks 2028-06-23" in err, err


def test_a_port_of_a_later_module_says_when_that_module_docks(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "ros-2026-plan", [(STAGE2, "first_launch = 2029-03-15\n")])
    assert 'crew_series[1].port = "core.forward" (core, the module carrying the port, docks ' \
           "only on 2030-06-23" in err and "(assembly[3])" in err, err
    assert "parent" not in err and "not part of the station yet" not in err, err


def test_a_flight_to_a_later_module_says_when_it_docks(tmp_path, capsys):
    """A visit sent to a port of a module that docks later. (A cargo_demand entry no longer
    can be: its planner waits for the module, tests/station/test_cargo_demand_module_there.py.)"""
    err = _refused(tmp_path, capsys, "ros-51.6", [], append=(
        '\n[[cargo_visits]]\nvehicle = "progress-ms"\nlaunch = 2031-08-01\n'
        'port = "production.forward"\nduration_days = 30\n'))
    assert 'cargo_visits[0].port = "production.forward" (production, the module carrying the ' \
           "port, docks only on 2032-06-23" in err and "(assembly[5])" in err, err


def test_a_module_docked_to_a_later_module_blames_its_parent(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "ros-51.6",
                   [('port = "node.zenith"', 'port = "core.forward"')])
    assert 'assembly[2].port = "core.forward" (core, its parent module, docks only on ' \
           "2028-12-23" in err, err


def test_a_port_of_a_module_no_entry_docks_says_so(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "ros-2026-plan",
                   [('port = "core.forward"', 'port = "nem2.forward"')])
    assert 'crew_series[1].port = "nem2.forward" (nem2 is docked by no entry of the plan' in err


def test_a_port_of_a_module_that_left_says_when(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "ros-iss-start", [], append=(
        '\n[[crew_visits]]\nvehicle = "soyuz-ms"\nlaunch = 2031-01-15\n'
        'port = "iss-usos.forward"\nduration_days = 10\ncrew = 2\n'))
    assert 'crew_visits[0].port = "iss-usos.forward" (iss-usos left the station 2030-06-30' \
           in err and "separations[0]" in err, err


def test_auto_with_no_module_there_says_so_not_occupied():
    """`port = "auto"` with no module at the station said "every port that fits is occupied"
    (for a ship whose date field cannot be named: a later ship of a series, a demand flight)."""
    import datetime as dt

    import pytest

    from rossim.config.catalog import load_catalog
    from rossim.errors import InputError
    from rossim.station.assembly import Event
    from rossim.station.ports import auto_port

    ev = Event(dt.datetime(2029, 7, 16, 12, tzinfo=dt.UTC), "dock", "Soyuz #2", "soyuz-ms",
               "vehicle", "auto", "crew_series[0]")
    with pytest.raises(InputError) as err:
        auto_port(ev, load_catalog(), {}, {}, "plan.toml")
    assert 'crew_series[0].port = "auto" (no module is part of the station then); expected a ' \
           "free drogue or hybrid-passive port at 2029-07-16 12:00 UTC" in err.value.message
