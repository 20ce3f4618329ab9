"""The reboost at the band floor in safe mode (rossim.ops.safe_mode_reboost), on a stand-in
autonomy: it waits for the end of safe mode only when that end is within
``autonomy.safe_mode_reboost_wait_days`` (14 days, an estimate) and the altitude is above the
350 km backstop; otherwise the ground commands it now, one alarm naming why. The whole loop on
a real run: tests/ops/test_closed_loop.py::
test_safe_mode_does_not_let_the_station_decay_with_propellant_aboard."""

from __future__ import annotations

import math
from types import SimpleNamespace

from rossim.config.systems import load_systems
from rossim.ops.safe_mode_reboost import waits

DAY = 86400
NOW = 100 * DAY


def _autonomy(end_s: float, alt_km: float = 389.9):
    retries, alarms, waits_ = [], [], []
    eng = SimpleNamespace(now_s=NOW, schedule=lambda t, fn, label: retries.append(t))
    sim = SimpleNamespace(
        engine=eng, orbit=SimpleNamespace(altitude_m=alt_km * 1e3), systems=load_systems(),
        cargo_callup=SimpleNamespace(outlook=SimpleNamespace(safe_mode_end_s=lambda: end_s)),
        iso=lambda t: f"day {t // DAY}",
        alarm=lambda *a, **k: alarms.append((a, k)))
    aut = SimpleNamespace(sim=sim, safe_reboost_below_m=350e3, _safe_retry_s=None,
                          _safe_reboost_for=None, reboost_pending_since=NOW - 3600,
                          wait_reason="", _wait=waits_.append, check_reboost=lambda: None)
    return aut, retries, alarms, waits_


def test_the_figures():
    a = load_systems().autonomy
    assert (a.safe_mode_reboost_wait_days.value, a.safe_mode_reboost_below_km.value) == (14, 350)


def test_a_repair_ending_within_two_weeks_is_waited_for_daily():
    aut, retries, alarms, w = _autonomy(NOW + 10 * DAY)
    assert waits(aut) is True
    assert retries == [NOW + DAY] and not alarms
    assert w and w[0].startswith("in safe mode until about day 110")
    assert waits(aut) is True and retries == [NOW + DAY]   # one retry a day


def test_a_repair_weeks_away_the_ground_reboosts_now_with_one_alarm():
    aut, retries, alarms, _ = _autonomy(NOW + 20 * DAY)
    assert waits(aut) is False and not retries
    ((args, kw),) = alarms
    assert args[0] == "orbit" and args[2] == "warning" and kw["key"] == "safe-mode-reboost"
    assert "expected to last until day 120, more than 14 days" in args[3]
    assert aut.wait_reason == "safe mode, reboost by the ground"
    assert waits(aut) is False and len(alarms) == 1     # asked again (the approval): no repeat


def test_no_repair_booked_or_below_the_backstop_the_ground_reboosts():
    aut, _, alarms, _ = _autonomy(math.inf)
    assert waits(aut) is False and "no repair is booked" in alarms[0][0][3]
    aut, _, alarms, _ = _autonomy(NOW + 2 * DAY, alt_km=349.9)
    assert waits(aut) is False and "below 350 km" in alarms[0][0][3]


def test_a_power_emergency_waits_for_the_batteries():
    """Review of stop 45: a battery-empty safe mode has no repair booked (end unknown), but
    it is a power emergency that ends within orbits: no burn at the emergency reserve, the
    reboost waits for the batteries (above the 350 km backstop)."""
    aut, retries, alarms, w = _autonomy(math.inf)
    aut.battery_empty = True
    assert waits(aut) is True and not alarms and retries == [NOW + DAY]
    assert "batteries at the emergency reserve" in w[0]


def test_the_fortnight_is_inclusive():
    aut, _, alarms, _ = _autonomy(NOW + 14 * DAY)
    assert waits(aut) is True and not alarms
    aut, _, alarms, _ = _autonomy(NOW + 14 * DAY + 60)
    assert waits(aut) is False and alarms
