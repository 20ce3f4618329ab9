"""Suite-wide hooks.

Tests marked ``slow`` (each a whole run, a campaign or a fit: 15 s and more on 2 cores) are
collected first, in their own order, so that ``make test``'s two xdist workers start on them
and end on short tests: the long ones then spread over both workers instead of one worker
finishing the suite alone on the last of them (the order of the other tests is kept).

Fixture ``fly_every_crew``: a campaign run's draw as before stop 45, for the recorded cases
that are about its queues of late crews."""

from __future__ import annotations

import functools

import pytest


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable sort


@pytest.fixture
def fly_every_crew(monkeypatch):
    """The draw as before stop 45: every planned crew flies however late, queued behind its
    port (``rossim.campaign.plan_failures.fly_plan(keep_cadence=False)``), for the recorded
    campaign runs whose case is such a queue or a crew in it (the planner's chains of slips,
    holds and aborts; a drift repaired by a late crew); the draw now keeps the programme's
    cadence (tests/campaign/test_plan_failures.py::test_a_crew_past_its_slot_is_not_flown)."""
    import rossim.campaign.dispersions as disp

    monkeypatch.setattr(disp, "fly_plan", functools.partial(disp.fly_plan,
                                                            keep_cadence=False))
