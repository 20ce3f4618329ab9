"""Names that moved to rossim.files (2a88f3e: state files as their own layer) are still
found at their old place, with a DeprecationWarning that names the new module (a newcomer's
``from rossim.dynamics.tle import read_omm`` was a bare ImportError)."""

from __future__ import annotations

import importlib

import pytest

MOVED = [
    ("rossim.dynamics.tle", "read_tles", "rossim.files.tle"),
    ("rossim.dynamics.tle", "parse_tle", "rossim.files.tle"),
    ("rossim.dynamics.tle", "read_omm", "rossim.files.omm"),
    ("rossim.dynamics.tle", "strip_xml_namespaces", "rossim.files.ndmxml"),
    ("rossim.dynamics.ccsds", "read_opm", "rossim.files.opm"),
    ("rossim.dynamics.ccsds", "OEM", "rossim.files.oem"),
    ("rossim.dynamics.ccsds", "comment_values", "rossim.files.kvn"),
    ("rossim.dynamics.ccsds", "to_gcrf", "rossim.files.refframe"),
    ("rossim.dynamics.ccsds", "read_state", "rossim.dynamics.initial_state"),
]


@pytest.mark.parametrize("old, name, new", MOVED)
def test_an_old_import_finds_the_name_and_says_where_it_lives(old, name, new):
    with pytest.warns(DeprecationWarning, match=f"{old}.{name} moved to {new}.{name}"):
        got = getattr(importlib.import_module(old), name)
    assert got is getattr(importlib.import_module(new), name)


def test_from_import_works_and_unknown_names_stay_errors():
    with pytest.warns(DeprecationWarning, match="rossim.files.omm"):
        from rossim.dynamics.tle import read_omm  # noqa: F401
    with pytest.raises(ImportError, match="no_such_name"):
        from rossim.dynamics.tle import no_such_name  # noqa: F401
    with pytest.raises(AttributeError, match="'rossim.dynamics.ccsds' has no attribute 'x'"):
        importlib.import_module("rossim.dynamics.ccsds").x   # noqa: B018
