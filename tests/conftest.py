"""Suite-wide hooks.

Tests marked ``slow`` (each a whole run, a campaign or a fit: 15 s and more on 2 cores) are
collected first, in their own order, so that ``make test``'s two xdist workers start on them
and end on short tests: the long ones then spread over both workers instead of one worker
finishing the suite alone on the last of them (the order of the other tests is kept)."""

from __future__ import annotations


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable sort
