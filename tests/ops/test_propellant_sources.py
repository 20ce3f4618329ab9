"""A reboost flown from several tanks (rossim.ops.propellant_sources): docked Progress
reserves first, then the station's tanks above the de-orbit reserve (docs/operations.md), the
rocket equation (Tsiolkovsky) for each part at the mass the parts before it left."""

from __future__ import annotations

import pytest

from rossim.ops.propellant_sources import reboost_parts
from rossim.systems.propulsion import propellant_for_dv

ISP = 302.0          # s: Zvezda and Progress SKD (systems.toml, RSC Energia)
MASS = 120_000.0     # kg


def test_one_source_that_covers_the_burn_pays_it_all():
    parts, left = reboost_parts(MASS, 14.14, [("progress #1", ISP, 800.0),
                                              ("station", ISP, 3000.0)])
    assert left == 0.0 and [p[0] for p in parts] == ["progress #1"]
    assert parts[0][2] == pytest.approx(float(propellant_for_dv(MASS, 14.14, ISP)), rel=1e-12)


def test_a_burn_no_single_source_covers_is_split_in_order():
    # 585 kg needed (the reference run's reboost of 2034-01-02): a 500 kg Progress reserve,
    # then the station's tanks for the rest; the total is one burn's (same Isp)
    dv = 14.14 * 585.3 / float(propellant_for_dv(MASS, 14.14, ISP))
    need = float(propellant_for_dv(MASS, dv, ISP))
    parts, left = reboost_parts(MASS, dv, [("progress #1", ISP, 500.0),
                                           ("station", ISP, 295.0)])
    assert left == 0.0 and [p[0] for p in parts] == ["progress #1", "station"]
    assert parts[0][2] == 500.0
    assert sum(p[2] for p in parts) == pytest.approx(need, rel=1e-9)


def test_not_enough_anywhere_leaves_delta_v_and_empties_every_source():
    parts, left = reboost_parts(MASS, 30.0, [("progress #1", ISP, 100.0),
                                             ("station", ISP, 200.0), ("empty", ISP, 0.0)])
    assert left > 0.0 and [p[2] for p in parts] == [100.0, 200.0]
    # what was burnt gives exactly the delta-v not left
    burnt = float(propellant_for_dv(MASS, 30.0 - left, ISP))
    assert burnt == pytest.approx(300.0, rel=1e-9)


def test_docked_reserves_are_drawn_in_the_order_their_ships_leave():
    # "#10" leaves before "#2": name order would burn #2's reserve and let #10's leave unburnt
    import datetime as dt
    from types import SimpleNamespace as E

    from rossim.ops.propellant_sources import reserves_by_departure

    utc = dt.UTC
    now = dt.datetime(2030, 1, 1, tzinfo=utc)
    events = [E(kind="undock", part="progress #2", time=dt.datetime(2030, 3, 1, tzinfo=utc)),
              E(kind="undock", part="progress #10", time=dt.datetime(2029, 12, 1, tzinfo=utc)),
              E(kind="undock", part="progress #10", time=dt.datetime(2030, 1, 1, 6, tzinfo=utc),
                relocation=True),
              E(kind="undock", part="progress #10", time=dt.datetime(2030, 2, 1, tzinfo=utc))]
    order = reserves_by_departure({"progress #2": 300.0, "progress #10": 400.0,
                                   "progress #7": 100.0}, events, now)
    # #10's earlier undock is past and its relocation no departure; #7 has none in the plan
    assert order == [("progress #10", 400.0), ("progress #2", 300.0), ("progress #7", 100.0)]
