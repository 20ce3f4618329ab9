"""The ``>>>`` examples of the public modules' docstrings run and print what they show (those
marked ``+SKIP`` need a file of the user's or a long run)."""

import doctest
import importlib

import pytest

MODULES = ["rossim.config.reference", "rossim.config.catalog", "rossim.station",
           "rossim.dynamics.tle", "rossim.fleet"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples fail"
