"""The run shows each launch as it flies (issue 14): launch, insertion and climb in the events
table before the docking at launch + climb days; the summary and report list per launch the
insertion orbit, climber, propellant and days; the report has the plan's timeline picture.
Reference of the climb figures: tests/station/test_insertion.py."""

import datetime as dt
import json
from types import SimpleNamespace

import duckdb

from rossim.config.scenario import load_scenario
from rossim.station import build_timeline


def test_summary_lists_every_launch_with_its_climb(short_run):
    summary = json.loads((short_run / "summary.json").read_text())
    launches = summary["launches"]
    assert [tuple(x["modules"]) for x in launches] == [("nem1",), ("node", "gateway"),
                                                       ("core",)]
    nem1, small, _core = launches
    assert nem1["climber"] == "own:nem1" and nem1["insertion"] == "190 x 350 km"
    assert small["climber_kind"] == "tug"
    for x in launches:
        assert 0 < x["propellant_kg"] <= x["propellant_available_kg"]
        assert x["launch_mass_kg"] <= x["capacity_kg"]
        launch = dt.datetime.fromisoformat(x["launch"])
        docked = dt.datetime.fromisoformat(x["docked"])
        assert (docked - launch).total_seconds() / 86400.0 == x["days"]


def test_events_show_launch_insertion_climb_then_docking(short_run):
    con = duckdb.connect(str(short_run / "archive.duckdb"), read_only=True)
    rows = con.sql("select time, kind, subject from events where kind in "
                   "('launch', 'insertion', 'climb', 'dock') order by time, kind").fetchall()
    con.close()
    seq = [(k, s) for _, k, s in rows if s in ("nem1", "node + gateway", "node")]
    assert seq[:3] == [("launch", "nem1"), ("insertion", "nem1"), ("climb", "nem1")]
    assert ("dock", "nem1") in seq and seq.index(("dock", "nem1")) == 3
    times = {(k, s): t for t, k, s in rows}
    assert (times[("dock", "nem1")] - times[("launch", "nem1")]).days == 8


def test_report_has_the_plan_picture_and_launch_table(short_run):
    html = (short_run / "report.html").read_text()
    assert "<h2>The plan as run</h2>" in html and 'alt="plan timeline"' in html
    assert "<h2>Launches, insertion and climb</h2>" in html
    assert "190 x 350 km" in html


def test_plan_rows_from_the_engine_result(short_scenario_path):
    scen = load_scenario(short_scenario_path)
    tl = build_timeline(scen)
    eva_time = "2028-09-01T10:00:00Z"
    result = SimpleNamespace(timeline=tl, scenario=scen, tasks=[], end_time=None,
                             events=[{"time": eva_time, "kind": "eva", "subject": "crew",
                                      "detail": ""}])
    from rossim.report.figures.plan import plan_rows, plan_timeline_figure

    data = plan_rows(result)
    assert data["rows"][:3] == ["launch nem1", "launch node + gateway", "launch core"]
    climb = [b for b in data["bars"]["launch nem1"] if b[2] == "climb"]
    assert climb and (climb[0][1] - climb[0][0]).days == 8
    assert "port gateway.forward" in data["rows"]      # the crew ship's port
    assert [k for _, k, _ in data["marks"]["spacewalks"]] == ["eva"]
    fig = plan_timeline_figure(result)
    assert len(fig.axes[0].get_yticklabels()) == len(data["rows"])


def test_plan_marks_deployments_not_the_satellites_burns(short_scenario_path):
    """A deployment is the engine's executed ``deploy-free-flyer`` command; a satellite's
    later station-keeping burn (``free-flyer-burn``) is not another deployment (the reference
    report once showed the 2034 burns and lost the 2029 release)."""
    scen = load_scenario(short_scenario_path)
    tl = build_timeline(scen)
    events = [{"time": "2028-09-01T00:00:00Z", "kind": "command", "subject": "deploy-free-flyer",
               "detail": "4 x 20 kg released"},
              {"time": "2028-09-20T05:00:00Z", "kind": "free-flyer-burn", "subject": "ff-1-1",
               "detail": "station-keeping burn"}]
    result = SimpleNamespace(timeline=tl, scenario=scen, tasks=[], end_time=None, events=events)
    from rossim.report.figures.plan import plan_rows

    marks = plan_rows(result)["marks"]["free-flyers"]
    assert [t.strftime("%Y-%m-%d") for t, _, _ in marks] == ["2028-09-01"]
