"""While the station is attached to a host (systems ``propulsion.host_modules``: the ISS's US
segment in ros-iss-start), the host programme reboosts the stack and pays every other use
(``rossim.ops.orbit_keeping``: host burns, ``host_kg``); the station's figures are its own.

Found by a newcomer reading ``rossim run ros-iss-start``: summary.json gave 18,490 kg used and
2,055 kg a year ("this station needs 2,055 kg a year" in the report) while the same report's
invariant row gave 5,367.4 kg burned by cause: two ISS reboosts of the 460-490 t stack and
8,596 kg of the ISS's other uses were in the headline, 3.4 times the station's own use.
Reference: the ISS's published propellant, about 7,000 kg a year for its own altitude,
attitude and debris avoidance (reference.toml [iss], ros-facts.md), is the order of the host's
share here, not of a 100 t station's."""

from __future__ import annotations

import pytest

from rossim.config.reference import load_reference
from rossim.config.scenario import load_scenario
from rossim.ops import simulate


@pytest.fixture(scope="module")
def attached_then_free():
    """ros-iss-start to 2031-06-30: attached to the ISS until 2030-06-30, then a year free."""
    scen = load_scenario("ros-iss-start")
    span = scen.span.model_copy(update={"end": scen.span.end.replace(year=2031, month=6,
                                                                        day=30)})
    scen = scen.model_copy(update={"span": span, "operations": scen.operations.model_copy(
        update={"power_step_s": 120.0})})
    return simulate(scen)


def test_the_station_figures_are_its_own_and_the_hosts_share_is_apart(attached_then_free):
    res = attached_then_free
    s, led = res.summary, res.ledgers["propellant"]
    host = s["host_propellant"]
    # the station's own: what its tanks and docked Progress reserves burned, by cause
    assert s["propellant_used_kg"] == pytest.approx(led["burned_kg"], abs=0.01)
    assert s["propellant_used_kg"] == pytest.approx(sum(s["propellant_by_cause_kg"].values()),
                                                    abs=0.01)
    # the host's: its reboosts of the stack (burns by "host") and its other uses
    assert host["reboost_kg"] == pytest.approx(
        sum(b.propellant_kg for b in res.orbit.burns if b.source == "host"), abs=0.01)
    assert host["reboost_kg"] > 0 and host["other_kg"] == pytest.approx(led["host_kg"],
                                                                        abs=0.01)
    # attached from the span's start (2027-01-01) to the separation (2030-06-30)
    assert host["days_attached"] == pytest.approx(1276.0, abs=1.0)
    # per year of the station's own flight (a year free), not over the span
    free_years = (float(s["uncrewed_days"] + s["crewed_days"]) - host["days_attached"]) / 365.25
    assert s["propellant_kg_per_year"] == pytest.approx(s["propellant_used_kg"] / free_years,
                                                        rel=1e-6)
    # the host's yearly share is the order of the ISS's published use, the station's is not
    iss = load_reference().iss.propellant_kg_per_year.value
    host_per_year = (host["reboost_kg"] + host["other_kg"]) / (host["days_attached"] / 365.25)
    assert 0.2 * iss < host_per_year < 2.0 * iss
    # the year table keeps them apart too
    years = s["reboost_by_year"]
    assert sum(y.get("host_propellant_kg", 0.0) for y in years.values()) == pytest.approx(
        host["reboost_kg"], abs=0.01)
    assert all(y["propellant_kg"] == 0.0 for k, y in years.items() if int(k) < 2030)


def test_a_station_never_attached_has_no_host_share(short_run):
    import json

    s = json.loads((short_run / "summary.json").read_text())
    assert s["host_propellant"] is None
    assert "host_propellant_kg" not in next(iter(s["reboost_by_year"].values()))


def test_the_power_margin_says_where_the_hosts_arrays_count(attached_then_free):
    """While attached, the ISS's arrays count in the generation but its loads are not modelled
    (a newcomer read "generated 113.2 kW, demand 11.9 kW (10 %)" as the station's margin):
    each configuration row names the host modules attached and the console row says so."""
    from rossim.ops.power_ledger import margin_rows

    rows = attached_then_free.summary["power_margin"]["by_configuration"]
    for r in rows:
        assert r["host"] == (["iss-usos"] if "iss-usos" in r["modules"] else [])
    assert {bool(r["host"]) for r in rows} == {True, False}   # before and after separation
    text = dict(margin_rows(attached_then_free.summary["power_margin"]))
    for r in rows:
        line = next(v for k, v in text.items() if k.startswith(f"power from {r['from'][:10]}"))
        assert ("iss-usos's arrays, its loads the host's (not modelled)" in line) == bool(
            r["host"])
