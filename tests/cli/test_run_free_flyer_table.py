"""The archive's free_flyers table follows the run's actual releases (issue 14: the keep-out
rules may hold a deployment past its planned date; summary.json's free_flyers says when it
flew). Reference: the unkept lifetime model (rossim.fleet.deployer_rules, its own tests); the
assertion here is that the table's release and re-entry are the summary's release plus that
one lifetime, not the plan's date."""

import datetime as dt

import numpy as np

from rossim.cli.run import free_flyer_table
from rossim.config.scenario import load_scenario
from rossim.fleet.lifetime import deployment_lifetime_years


def test_table_follows_a_held_release():
    scen = load_scenario("ros-51.6")
    planned = free_flyer_table(scen)
    hold = dt.timedelta(days=3, hours=6)   # the 2029 batch held 3 days 6 h past its plan
    released = {}
    for n, d, t in zip(planned["name"], planned["deployment"], planned["deployed"],
                       strict=True):
        if d == 0:
            released[n] = t.astype("datetime64[us]").astype(dt.datetime).replace(
                tzinfo=dt.UTC) + hold
    names = set(released)
    table = free_flyer_table(scen, released)
    life = deployment_lifetime_years(scen, 0)[0]
    for k, name in enumerate(table["name"]):
        if name in names:
            assert table["deployed"][k] == planned["deployed"][k] + np.timedelta64(78, "h")
            expect = released[name] + dt.timedelta(days=365.25 * life)
            got = table["reentry"][k].astype("datetime64[us]").astype(dt.datetime)
            assert abs((got.replace(tzinfo=dt.UTC) - expect).total_seconds()) < 1.0
            # the plan's row was 3.25 days earlier for both (same lifetime)
            shift = (table["reentry"][k] - planned["reentry"][k]) / np.timedelta64(1, "h")
            assert shift == 78.0
        else:   # the 2034 batch flew on its date: unchanged
            assert table["deployed"][k] == planned["deployed"][k]
            assert table["reentry"][k] == planned["reentry"][k]
