"""Property-based tests of issue 17 (hypothesis): each parser and each scenario section fed
random mutations of valid inputs either succeeds with a plausible result or raises one
:class:`InputError` (the CLI's one line and exit 2); never another exception (exit 1) or a
traceback. Seeds are fixed (``derandomize``) so that the suite is deterministic.

Valid starting points are the case inputs under tests/data/cases (origins in their READMEs)
and the shipped reference scenario.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rossim.errors import InputError

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"  # as conftest.py

REF = Path(__file__).resolve().parents[2] / "scenarios" / "ros-51.6.toml"
FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

#: Values the mutation campaigns used: the kinds of issue 17 (non-finite, huge, empty,
#: booleans, wrong types, long strings, control characters).
BAD_TOKENS = ["nan", "inf", "-inf", "1e308", "-1e308", "1e-308", "0", "-0", "-1", "", " ",
              "true", "false", "9" * 40, "x" * 300, "0001-01-01T00:00:00", "9999-12-31T23:59:59",
              "2027-13-45T25:61:61", "\t", "é", "1,5", "[km]", "=", "'", '"', "<", ">", "&"]

STATE_FILES = [
    "field/propagate-initial-omm-oem/ros.omm", "field/propagate-initial-omm-oem/ros.oem",
    "field/omm-xml-namespace/ros-omm-ns.xml", "field/opm-maneuvers-ignored/ros-man.opm",
    "field/opm-tod-frame/ros-tod.opm", "field/tle-squeezed-whitespace/original.tle",
    "own/ros-man-ns.xml", "own/iss-3.xml",
]


def _mutate_text(text: str, data) -> str:
    lines = text.splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        if not lines:
            break
        k = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.sampled_from(["value", "delete", "duplicate", "swap", "char",
                                        "truncate"]))
        line = lines[k]
        if op == "value":
            token = data.draw(st.sampled_from(BAD_TOKENS) | st.text(max_size=12))
            if "=" in line:
                lines[k] = line.split("=", 1)[0] + "= " + token
            elif re.search(r"<[^/>]+>[^<]*</", line):
                lines[k] = re.sub(r"(<[^/>]+>)[^<]*(</)",
                                  lambda m, tok=token: m.group(1) + tok + m.group(2), line,
                                  count=1)
            else:
                parts = line.split()
                if parts:
                    parts[data.draw(st.integers(0, len(parts) - 1))] = token
                lines[k] = " ".join(parts)
        elif op == "delete":
            del lines[k]
        elif op == "duplicate":
            lines.insert(k, line)
        elif op == "swap" and len(lines) > 1:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[k], lines[j] = lines[j], lines[k]
        elif op == "char" and line:
            i = data.draw(st.integers(0, len(line) - 1))
            lines[k] = line[:i] + data.draw(st.characters()) + line[i + 1:]
        elif op == "truncate":
            lines[k] = line[: data.draw(st.integers(0, len(line)))]
    return "\n".join(lines) + "\n"


@FUZZ
@given(data=st.data(), name=st.sampled_from(STATE_FILES))
def test_state_reader_accepts_or_says_why(tmp_path_factory, data, name):
    """read_state (the one reader of every command): a plausible GCRF state, or InputError."""
    from rossim.dynamics.initial_state import read_state

    text = (CASES / name).read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("fuzz") / Path(name).name
    path.write_text(_mutate_text(text, data), encoding="utf-8")
    try:
        s = read_state(path)
    except InputError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 1000
        return
    assert np.all(np.isfinite(s.r_m)) and np.all(np.isfinite(s.v_m_s))
    assert np.linalg.norm(s.v_m_s) <= 20e3


def _leaves(obj, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(obj, list) and obj and isinstance(obj[0], dict):
        for i, v in enumerate(obj):
            yield from _leaves(v, (*path, i))
    else:
        yield path


def _set(obj, path, value):
    for p in path[:-1]:
        obj = obj[p]
    obj[path[-1]] = value


BAD_VALUES = [float("nan"), float("inf"), -float("inf"), 1e308, -1e308, 1e-308, 0, -1, True,
              False, "", "x" * 300, 10 ** 40, [], [1e300, 1e300, 1e300], {"a": 1}, "2027-01-01",
              "9999-12-31", "auto", "nem1.nosuchport"]


@FUZZ
@given(data=st.data())
def test_scenario_sections_accept_or_say_why(data):
    """Scenario schema + plan check + deployment ports (what `rossim validate` runs): each
    random leaf of every section replaced by a bad value gives a valid scenario or one
    InputError naming the file."""
    import datetime as dt

    from rossim.cli.validate import check_deployment_ports
    from rossim.config._toml import validate
    from rossim.config.scenario import Scenario
    from rossim.station import build_timeline

    base = tomllib.loads(REF.read_text(encoding="utf-8"))
    base.setdefault("free_flyers", {}).setdefault("deployments", [{
        "date": dt.date(2034, 1, 10), "count": 2, "mass_kg": 20.0, "port": "gateway.airlock",
        "delta_v_m_s": 0.5}])
    leaves = list(_leaves(base))
    for _ in range(data.draw(st.integers(1, 2))):
        path = data.draw(st.sampled_from(leaves))
        _set(base, path, data.draw(st.sampled_from(BAD_VALUES)))
    try:
        scenario = validate(Scenario, base, "fuzz.toml")
        scenario = scenario.model_copy(update={"source_path": "fuzz.toml"})
        timeline = build_timeline(scenario)
        check_deployment_ports(scenario, timeline)
    except InputError as exc:
        text = str(exc)
        assert text.startswith("fuzz.toml") and "\n" not in text and len(text) < 1000
