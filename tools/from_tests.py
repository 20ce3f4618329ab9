"""Load a test module so a docs tool can run the very comparison the test asserts.

The validation pages print what the tests check; computing it in one place (a function in the
test module) keeps the printed figure and the asserted one the same computation.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def load(relpath: str) -> ModuleType:
    """The test module at ``tests/<relpath>``, imported under a private name."""
    path = ROOT / "tests" / relpath
    spec = importlib.util.spec_from_file_location(f"_tests_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module
