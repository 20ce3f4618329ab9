"""Suite-wide collection rule: the tests that share an expensive session fixture run on one
pytest-xdist worker (``make test`` runs ``-n 2 --dist loadgroup``), so the fixture is computed
once per suite rather than once per worker that happens to get one of them.

``drag_rows`` (tests/analysis/conftest.py): the drag table over the shipped ISS periods, about
a minute on the 2-core machine; its tests were split over both workers, each computing it.
"""

from __future__ import annotations

import pytest

#: session fixtures whose tests are grouped on one worker
SHARED_FIXTURES = ("drag_rows",)


def pytest_collection_modifyitems(config, items):
    for item in items:
        for name in SHARED_FIXTURES:
            if name in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(name))
