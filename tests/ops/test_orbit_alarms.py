"""Orbit-only runs (``simulate_orbit``, the trade study's reboost row) report what the full run
reports: a refused reboost (not enough propellant above the de-orbit reserve, or the tanks empty), the
station below the band floor without a reboost, and the re-entry, each an alarm with its
severity and cause, and the run's outcome and end (developers' guide, non-negotiables 4 and 6:
a re-entry is a result to report, never silence).

The fault (found in the session before this test): ros-tiny flown at 210 km (NEM-1 alone, no
cargo) ran out of propellant above the 2,000 kg de-orbit reserve in February 2028 and
re-entered; ``simulate_orbit`` returned a history that simply stopped on 2028-02-20, with no
alarm and no outcome, and ``rossim trade`` printed a reboost figure for it as if the station
had flown its span.

Re-entry time reference: the station's state at the refused reboost (mean altitude, node,
the configuration's Cd A / m) propagated without manoeuvres by rossim's numerical propagator
(:func:`rossim.dynamics.propagator.propagate`: Cowell, DOP853, NRLMSISE-00 point density
along the orbit, co-rotating atmosphere; point-mass gravity so that the circular start state
is a mean state) to the 150 km WGS84 crossing: 63.8 h after the refusal (computed here, not
stored). The operations model (orbit-averaged density at three trial altitudes, log-linear in
between, hourly steps, crossing reported at the first hour below 150 km) gives 66 h.
Tolerance: 10 % of the propagated decay time (the averaging and interpolation of the
density) plus 1 h (the hourly grid).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from rossim.cli.main import main
from rossim.config.scenario import load_scenario
from rossim.config.systems import load_systems
from rossim.environment.spaceweather import default_weather
from rossim.ops.orbit_alarms import shortfall
from rossim.ops.orbit_keeping import simulate_orbit
from rossim.station import build_timeline

TINY = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-tiny.toml"


def _low(tmp_path: Path) -> Path:
    """ros-tiny flown at 210 km (band 205-215 km): the drag uses the propellant above the
    de-orbit reserve in about two months."""
    text = TINY.read_text()
    for old, new in (('name = "ros-tiny"', 'name = "ros-tiny-210"'),
                     ("altitude_km = 400", "altitude_km = 210"),
                     ("altitude_band_km = [395, 405]", "altitude_band_km = [205, 215]")):
        assert old in text
        text = text.replace(old, new, 1)
    p = tmp_path / "ros-tiny-210.toml"
    p.write_text(text)
    return p


def _systems(**propulsion):
    sy = load_systems()
    pr = sy.propulsion
    upd = {k: getattr(pr, k).model_copy(update={"value": float(v)})
           for k, v in propulsion.items()}
    return sy.model_copy(update={"propulsion": pr.model_copy(update=upd)})


def _orbit_only(path: Path, systems=None):
    scen = load_scenario(path)
    tl = build_timeline(scen)
    hist = simulate_orbit(tl, systems or load_systems(), default_weather(),
                          cd=scen.operations.cd, model=scen.operations.atmosphere)
    return scen, tl, hist


@pytest.fixture(scope="module")
def low_run(tmp_path_factory):
    return _orbit_only(_low(tmp_path_factory.mktemp("low")))


def _by_subject(alarms, subject):
    return [a for a in alarms if a["subject"] == subject]


def test_orbit_only_reentry_is_reported_with_its_causes(low_run):
    scen, tl, hist = low_run
    assert hist.outcome == "re-entry"
    assert hist.end_time < np.datetime64("2028-03-15")  # before the span end
    refused = _by_subject(hist.alarms, "propellant")
    assert len(refused) == 1
    r = refused[0]
    assert r["severity"] == "warning"
    assert r["detail"] == "reboost refused: not enough propellant above the de-orbit reserve"
    assert "above the 2000 kg reserve (never used for reboosts)" in r["cause"]
    assert r["cause"].endswith("no docking that brings propellant planned before the span "
                               "end: the station decays")
    floor = _by_subject(hist.alarms, "orbit")
    assert len(floor) == 1 and floor[0]["severity"] == "warning"
    assert "below the band floor 205 km with no reboost possible" in floor[0]["detail"]
    assert floor[0]["time"] == r["time"]
    reentry = _by_subject(hist.alarms, "reentry")
    assert len(reentry) == 1 and reentry[0]["severity"] == "critical"
    t_refused = str(r["time"]) + "Z"
    assert reentry[0]["cause"] == ("altitude lost to drag: reboosts refused since "
                                   f"{t_refused} (not enough propellant above the de-orbit reserve)")
    assert np.datetime64(reentry[0]["time"], "us") == hist.end_time
    # no reboost after the refusal; the orbit invariants hold (time below the floor stated)
    assert all(b.time < np.datetime64(r["time"]) for b in hist.burns)
    assert {i["name"]: i["holds"] for i in hist.invariants} == {
        "altitude_in_band": True, "propellant_ledger": True, "propellant_by_cause": True,
        "deorbit_reserve_held": True, "mass_ledger": True}
    assert not _by_subject(hist.alarms, "invariant")


def test_reentry_time_against_the_propagator_without_reboosts(low_run):
    """The module docstring's reference: the numerical propagator from the state at the
    refused reboost, no manoeuvres, to 150 km."""
    from rossim.dynamics.decay import MU_EARTH_M3_S2, R_EQ_M, unit_vectors_gcrf
    from rossim.dynamics.forces import ForceModel
    from rossim.dynamics.propagator import propagate

    scen, tl, hist = low_run
    t_refused = np.datetime64(_by_subject(hist.alarms, "propellant")[0]["time"], "us")
    k = int(np.flatnonzero(hist.epochs == t_refused)[0])
    cfg = tl.at(t_refused.astype(object))
    mass = hist.mass_kg[k]   # flown: the module with its tanks (rossim.ops.station_mass)
    assert scen.operations.cd * cfg.drag_area_m2 / mass == pytest.approx(
        hist.ballistic_m2_kg[k], rel=1e-12)
    a = R_EQ_M + hist.altitude_m[k]
    inc = math.radians(scen.orbit.inclination_deg)
    r = a * unit_vectors_gcrf(hist.raan_rad[k], inc, 0.0).reshape(3)
    v = math.sqrt(MU_EARTH_M3_S2 / a) * unit_vectors_gcrf(hist.raan_rad[k], inc,
                                                          math.pi / 2).reshape(3)
    fm = ForceModel(gravity="point", drag="nrlmsise00", weather=default_weather(),
                    cd=scen.operations.cd, area_m2=cfg.drag_area_m2, mass_kg=mass)
    tr = propagate(r, v, str(t_refused)[:19], 10 * 86400.0, 600.0, fm, on_reentry="stop",
                   reentry_altitude_m=150e3)
    assert tr.reentry_x_s is not None
    ref_h = tr.reentry_x_s / 3600.0
    ops_h = (hist.end_time - t_refused) / np.timedelta64(1, "h")
    assert 40.0 < ref_h < 90.0  # the reference itself: days, not hours or weeks, from 203 km
    assert abs(ops_h - ref_h) <= 0.10 * ref_h + 1.0, (ops_h, ref_h)


def test_a_module_docking_with_climb_propellant_ends_the_refusal(tmp_path):
    """The same station with the node launched 2028-02-17: its climber's leftover propellant
    goes into the tanks at the docking (2028-02-19), and the refused reboost is tried again
    then (it used to wait for the next ship's docking: none came, the station re-entered on
    2028-02-20 with the propellant aboard). The refusal's cause names the coming module."""
    low = _low(tmp_path)
    low.write_text(low.read_text().replace("[operations]", """[[assembly]]
module = "node"
launch = 2028-02-17
launcher = "angara-a5"
port = "nem1.forward"

[operations]"""))
    _, tl, hist = _orbit_only(low)
    dock = next(e.time for e in tl.events if e.part == "node" and e.kind == "dock")
    dock64 = np.datetime64(dock.replace(tzinfo=None), "us")
    first = _by_subject(hist.alarms, "propellant")[0]
    assert np.datetime64(first["time"], "us") < dock64
    assert f"next module (node, its climber's leftover propellant) docks {dock:%Y-%m-%dT%H:%M}" \
        in first["cause"]
    no_burn = np.timedelta64(int(load_systems().propulsion.no_burn_window_h.value), "h")
    after = [b for b in hist.burns if b.time >= np.datetime64(first["time"], "us")]
    assert after and after[0].time == dock64 + no_burn  # right after the no-burn window
    assert hist.end_time > np.datetime64("2028-02-21")  # later than without the node


def test_tanks_empty_refusal_and_unmet_use_alarm(tmp_path):
    """No tank at all (station_tank_kg 0: no start propellant, no de-orbit reserve, the
    climber's leftover not taken): every reboost is refused with the tanks empty, and the
    attitude control's use that nothing covers is a critical alarm, not a silent unmet_kg."""
    _, _, hist = _orbit_only(_low(tmp_path), _systems(station_tank_kg=0))
    assert hist.outcome == "re-entry"
    assert not hist.burns
    refused = [a for a in hist.alarms if a["detail"].startswith("reboost refused")]
    assert len(refused) == 1 and refused[0]["detail"] == "reboost refused: tanks empty"
    assert refused[0]["cause"].startswith("tanks empty (0 kg) and no Progress reserve docked")
    empty = [a for a in hist.alarms if a["detail"].startswith("tanks empty: attitude")]
    assert len(empty) == 1 and empty[0]["severity"] == "critical"
    assert empty[0]["detail"] == ("tanks empty: attitude not covered (unmet_kg in the "
                                  "propellant ledger)")
    assert empty[0]["time"] <= refused[0]["time"]  # attitude control runs from the docking
    assert "reboosts refused since" in _by_subject(hist.alarms, "reentry")[0]["cause"]


@pytest.mark.parametrize("tank, reserve, progress, need, kind", [
    (2039.0, 2000.0, 0.0, 49.0, "below-reserve"),
    (0.0, 0.0, 0.0, 49.0, "tanks-empty"),
    (0.5, 0.0, 0.0, 49.0, "tanks-empty"),
    (0.0, 0.0, 30.0, 49.0, "below-reserve"),   # a Progress reserve aboard: not empty
    (2000.0, 2000.0, 0.0, 49.0, "below-reserve"),
])
def test_shortfall_kind(tank, reserve, progress, need, kind):
    orbit = SimpleNamespace(tank_kg=tank, reserve_kg=reserve, reserves={"P": progress})
    got, text = shortfall(orbit, need)
    assert got == kind
    assert f"{need:.0f} kg" in text


def test_trade_reports_the_orbit_only_outcome_and_alarms(tmp_path, capsys):
    low = _low(tmp_path)
    assert main(["trade", str(TINY), str(low), "--days", "1", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ok, lost = rows
    assert ok["orbit_outcome"] == "completed" and ok["orbit_alarms"] == []
    assert ok["orbit_end"] == "2028-03-15T00:00:00Z"
    assert lost["orbit_outcome"] == "re-entry"
    assert lost["orbit_end"] < "2028-03-15"
    subjects = [(a["subject"], a["severity"]) for a in lost["orbit_alarms"]]
    assert subjects == [("propellant", "warning"), ("orbit", "warning"),
                        ("reentry", "critical")]
    assert all(a["cause"] and a["time"].endswith("Z") for a in lost["orbit_alarms"])
    assert main(["trade", str(TINY), str(low), "--days", "1"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "ros-tiny-210: outcome of the orbit-only run: re-entry at " + lost["orbit_end"] in out
    assert "critical alarm" in out and "reentry: altitude" in out
    assert "(cause: altitude lost to drag: reboosts refused since" in out


def test_a_refusal_for_another_reason_is_named_not_called_propellant():
    """``refused_reboost`` with a reason that is not a propellant shortfall (the orbit
    model's other refusals) alarms with that reason; it is not reported as a shortfall."""
    from rossim.ops.orbit_alarms import refused_reboost

    alarms = []
    sim = SimpleNamespace(
        orbit=SimpleNamespace(tank_kg=3000.0, reserve_kg=2000.0, reserves={}, low_m=395e3,
                              altitude_m=394e3),
        engine=SimpleNamespace(now_s=7200, seconds=lambda t: 0),
        timeline=SimpleNamespace(events=[]), cargo_callup=None, iso=lambda t: "T",
        autonomy=SimpleNamespace(),
        alarm=lambda subject, detail, severity, cause: alarms.append(
            (subject, detail, severity, cause)))
    refused_reboost(sim, 0.0, "no station in orbit")
    assert alarms[0] == ("orbit", "reboost refused: no station in orbit", "warning",
                         "no station in orbit")
    assert alarms[1][0] == "orbit" and "(no station in orbit)" in alarms[1][3]
    assert not any(a[0] == "propellant" for a in alarms)
    assert sim.autonomy.refused_why == "no station in orbit"


def test_a_refused_scenario_reboost_is_an_alarm_of_the_orbit_only_run(tmp_path):
    """The scenario's own reboost command after the propellant above the reserve is gone:
    refused (the full run counts it in ``commands_refused``); the orbit-only run, which has no
    summary, reports it as a warning alarm with the refusal's reason."""
    low = _low(tmp_path)
    low.write_text(low.read_text() + """
[[commands]]
at = 2028-02-18T12:00:00Z
command = "reboost"
target_altitude_km = 214.0
""")
    _, _, hist = _orbit_only(low)
    cmd = _by_subject(hist.alarms, "command")
    assert len(cmd) == 1 and cmd[0]["severity"] == "warning"
    assert str(cmd[0]["time"]) == "2028-02-18T12:00:00"
    assert cmd[0]["detail"].startswith("command refused: reboost(target_altitude_km=214")
    assert cmd[0]["cause"].startswith("needs ") and "de-orbit reserve" in cmd[0]["cause"]
    times = [a["time"] for a in hist.alarms]
    assert times == sorted(times)
