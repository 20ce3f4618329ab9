"""Free-flyers leave the catalogue at their re-entry (newcomer's report: ``rossim fleet`` and
``rossim export --start 2034-03-01`` still listed, screened and exported ff-1-1..ff-1-4, released
2029-03-01 with an unkept re-entry in 2032 per the run report; ``fleet --start 2040-01-01`` was
accepted past the scenario's end and ``--start 2020-01-01`` named an internal "epoch").

Reference: the run's own figure, release plus the unkept lifetime of the deployer-rule check
(:func:`rossim.fleet.deployer_rules.check_deployments`, the "unkept re-entry" of the report).
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from rossim.cli.main import main
from rossim.config.scenario import load_scenario
from rossim.errors import InputError


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("ros-51.6")


@pytest.fixture(scope="module")
def family(scenario):
    from rossim.fleet.family import plan_family

    return plan_family(scenario, check_deployments=False)[0]


def test_end_of_life_is_the_runs_unkept_reentry(scenario, family):
    from rossim.fleet.deployer_rules import check_deployments

    rules = check_deployments(scenario)
    for s in family:
        life = rules[s.deployment].lifetime_years
        expected = s.deployed + dt.timedelta(days=365.25 * life)
        assert s.end_of_life is not None
        assert abs((s.end_of_life - expected).total_seconds()) < 1.0, s.name
    first = [s for s in family if s.deployment == 0]
    # ff-1-1..ff-1-4: released 2029-03-01, re-enter in 2032 (the run report's 2032-08-12)
    assert all(s.end_of_life.year == 2032 for s in first)


def test_fleet_drops_reentered_satellites(scenario, family):
    from rossim.fleet.family import simulate

    start = dt.datetime(2034, 3, 2, tzinfo=dt.UTC)
    rep = simulate(scenario, 0.05, start=start, step_s=60.0)
    names = {r["name"] for r in rep.satellites}
    assert not names & {"ff-1-1", "ff-1-2", "ff-1-3", "ff-1-4"}
    alive = {s.name for s in family if s.deployed <= start and s.end_of_life > start}
    assert names == alive and alive
    objs = {c["object_1"] for c in rep.conjunctions} | {c["object_2"] for c in rep.conjunctions}
    assert not objs & {"ff-1-1", "ff-1-2", "ff-1-3", "ff-1-4"}


@pytest.mark.parametrize("start", ["2040-01-01", "2020-01-01"])
def test_fleet_start_outside_scenario_span_names_start(start, capsys):
    rc = main(["fleet", "--start", start, "--days", "1"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "--start" in err and start in err and "2035-12-31" in err
    assert "epoch" not in err and "Traceback" not in err


def test_library_start_outside_span_names_start(scenario):
    from rossim.fleet.family import simulate

    with pytest.raises(InputError) as e:
        simulate(scenario, 1.0, start=dt.datetime(2040, 1, 1, tzinfo=dt.UTC))
    assert e.value.field == "start"


def test_czml_leaves_out_reentered_satellites(family):
    """build_czml on a synthetic 3-day run from 2034-03-01: no packet for ff-1-1..ff-1-4."""
    from rossim.report.czml import build_czml

    t = np.arange(np.datetime64("2034-03-01T00:00"), np.datetime64("2034-03-04T00:00"),
                  np.timedelta64(1, "h")).astype("datetime64[us]")
    run = {"time": t, "altitude_km": np.full(t.size, 400.0), "raan_deg": np.zeros(t.size),
           "phases": []}
    text, counts = build_czml(run, inclination_deg=51.6, step_s=600.0, satellites=family)
    ids = {p["id"] for p in json.loads(text)}
    assert not ids & {"ff-1-1", "ff-1-2", "ff-1-3", "ff-1-4"}
    assert "ff-2-1" in ids and counts["free_flyers"] == len(ids & {s.name for s in family})


def test_fleet_stops_a_satellite_that_reenters_inside_the_span(scenario, family, capsys):
    """``rossim fleet --start 2032-08-11 --days 3``: ff-1-1..ff-1-4 re-enter on 2032-08-12 (release
    plus unkept lifetime, MSIS 2.1 as the run) inside the span. Their rows give the re-entry as
    a result and end there: no track, closest approach, zone entry or conjunction after it
    (they were flown to the span's end, 2032-08-14, before)."""
    from rossim.fleet.family import simulate

    start = dt.datetime(2032, 8, 11, tzinfo=dt.UTC)
    rep = simulate(scenario, 3.0, start=start, step_s=60.0)
    gone = {s.name: s.end_of_life for s in family if s.deployment == 0}
    assert {r["name"] for r in rep.satellites} == set(gone)
    t_s = np.asarray(rep.tracks_t_s)
    for k, r in enumerate(rep.satellites):
        eol = gone[r["name"]]
        assert start < eol < start + dt.timedelta(days=3)
        assert r["reentry"] is not None
        reentry = dt.datetime.fromisoformat(r["reentry"].replace("Z", "+00:00"))
        assert abs((reentry - eol).total_seconds()) < 0.01
        at = dt.datetime.fromisoformat(r["closest_approach_at"].replace("Z", "+00:00"))
        assert at < eol
        after = t_s >= (eol - start).total_seconds()
        assert after.any() and np.isnan(rep.tracks_lvlh_m[after, k]).all()
        assert np.isfinite(rep.tracks_lvlh_m[~after, k]).all()
    assert rep.conjunctions
    for c in rep.conjunctions:
        tca = dt.datetime.fromisoformat(c["tca"].replace("Z", "+00:00"))
        for o in (c["object_1"], c["object_2"]):
            assert o == "station" or tca < gone[o], (o, c["tca"])
    for e in rep.events:
        end = dt.datetime.fromisoformat(e["end"].replace("Z", "+00:00"))
        assert end <= gone[e["satellite"]]
    # the command line: a re-entry column and a note
    assert main(["fleet", "--start", "2032-08-11", "--days", "3", "--step", "60"]) == 0
    out = capsys.readouterr().out
    assert "re-entry" in out and "re-enter inside the span" in out


def test_fleet_without_reentry_in_span_has_no_reentry(scenario):
    from rossim.fleet.family import simulate

    rep = simulate(scenario, 0.05, start=dt.datetime(2034, 3, 2, tzinfo=dt.UTC), step_s=60.0)
    assert rep.satellites and all(r["reentry"] is None for r in rep.satellites)
