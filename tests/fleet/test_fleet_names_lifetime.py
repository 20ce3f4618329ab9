"""``rossim fleet`` and the run report agree on the free-flyer family (newcomer's report: fleet
named the 2034 satellites ff-05..ff-12 where the run report names them ff-2-1..ff-2-8, and its
satellite table gave them a 1.3-year "lifetime" against 2.3 years in its own deployer table and
a 2036-06-01 re-entry in the run report).

Reference: the run's own figures, ``rossim run ros-51.6``'s ``summary.json`` ``free_flyers``
(names ``ff-<batch>-<n>`` from rossim.ops.keepout and rossim.dynamics.family_release; re-entry
= release plus the unkept lifetime of the deployer-rule check). The one lifetime is the unkept
decay from release to 150 km (what the J-SSOD rule bounds, catalog/deployers.toml, and what
re-entry is); the 1.3 years was the propellant's endurance at the station-keeping rate
(34.5 m/s/yr), now its own column.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rossim.cli.main import main
from rossim.config.scenario import load_scenario


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("ros-51.6")


@pytest.fixture(scope="module")
def fleet_json():
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["fleet", "ros-51.6", "--days", "0.05", "--step", "60", "--json"]) == 0
    return json.loads(buf.getvalue())


def test_fleet_names_the_satellites_as_the_run(scenario, fleet_json):
    from rossim.dynamics.family_release import release_states
    from rossim.station import build_timeline

    names = [s["name"] for s in fleet_json["satellites"]]
    # default start: the last release (2034-03-01); the 2029 batch has re-entered
    assert names == [f"ff-2-{k}" for k in range(1, 9)]
    # the run's names (the keep-out model's releases and the recontact check)
    run = [r["name"] for r in release_states(scenario, build_timeline(scenario), seed=1)]
    assert run == [f"ff-1-{k}" for k in range(1, 5)] + names


def test_one_lifetime_in_both_tables_and_the_runs_reentry(fleet_json):
    rules = fleet_json["deployer_rules"]
    late = rules[1]
    assert late["date"].startswith("2034-03-01")
    for s in fleet_json["satellites"]:
        # the satellite table's lifetime is the deployer table's, same function and figure
        assert s["lifetime_years"] == pytest.approx(late["lifetime_years"], abs=1e-9)
        # and the propellant's endurance is a separate, smaller figure (not a lifetime)
        assert s["station_keeping_years"] == pytest.approx(1.42, abs=0.05)   # MSIS 2.1
    life = late["lifetime_years"]
    assert life == pytest.approx(2.61, abs=0.05)   # MSIS 2.1, the run's atmosphere
    # the run report's re-entry of ff-2-1: release plus that lifetime, 2036-10-08
    reentry = dt.datetime(2034, 3, 1) + dt.timedelta(days=365.25 * life)
    assert reentry.date() == dt.date(2036, 10, 8)


def test_fleet_table_prints_run_names_and_one_lifetime(capsys):
    assert main(["fleet", "ros-51.6", "--days", "0.05", "--step", "60"]) == 0
    out = capsys.readouterr().out
    assert "ff-2-1" in out and "ff-2-8" in out and "ff-05" not in out and "ff-12" not in out


def test_the_fall_faster_rule_prints_values_that_tell_the_pass_apart():
    """ros-2026-plan's 50 kg satellites (90.9 kg/m^2) against the station's 91.5 kg/m^2:
    printed "91 kg/m^2 < station's 91 kg/m^2 | yes" (found by a newcomer); the row keeps as
    many decimals as tell the two apart."""
    from rossim.config.scenario import load_scenario
    from rossim.fleet.deployer_rules import check_deployments

    for dep in check_deployments(load_scenario("ros-2026-plan")):
        (c,) = [c for c in dep.checks if c.rule == "must fall faster than the station"]
        sat = c.value.split()[0]
        stn = c.limit.split("station's ")[1].split()[0]
        assert sat != stn
        assert c.ok == (dep.ballistic_coefficient_kg_m2
                            < dep.station_ballistic_coefficient_kg_m2)
