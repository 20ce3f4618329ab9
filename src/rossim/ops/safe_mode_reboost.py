"""The reboost at the band floor while the station is in safe mode (:func:`waits`).

In safe mode the autonomy plans no reboost; the ground decides (module doc of
:mod:`rossim.ops.autonomy`). It waits for the end of safe mode only when that end is near:
the latest end of the repairs booked for its causes, or the ground's decision to operate
without redundancy (:meth:`rossim.ops.propellant_outlook.PropellantOutlook.safe_mode_end_s`),
no later than ``autonomy.safe_mode_reboost_wait_days`` from now (looked at again daily, as the
repairs move), and while the batteries are at the emergency reserve (a power emergency: no burn
until they recharge, within orbits). Otherwise (a repair weeks or months away, a cause no repair is booked for, a
commanded safe mode) the ground commands the reboost now, with the thrusters holding attitude
(Mir and the ISS reboosted in degraded modes): a warning alarm with the expected end. Below
``autonomy.safe_mode_reboost_below_km`` it commands it whatever the expected end (the
backstop of the rule before stop 45, when every safe mode waited down to it: ros-51.6 campaign
on fc89cba, runs 48, 86 and 142 at 350 km, each climb back 65 km, 37 m/s).
"""

from __future__ import annotations

import math

__all__ = ["waits"]

DAY_S = 86400


def _expected_end_s(sim) -> float:
    """Run second safe mode is expected to end at (inf: not known)."""
    from rossim.ops.propellant_outlook import PropellantOutlook

    cc = getattr(sim, "cargo_callup", None)
    outlook = getattr(cc, "outlook", None) or PropellantOutlook(sim)
    end = outlook.safe_mode_end_s()
    return math.inf if end is None else float(end)


def waits(aut) -> bool:
    """The pending reboost of ``aut`` (:class:`rossim.ops.autonomy.Autonomy`), the station in
    safe mode: True when it waits for the end of safe mode (a wait event; a retry booked for
    tomorrow), False when the ground commands it now (the alarm once per pending reboost)."""
    sim = aut.sim
    eng = sim.engine
    alt_m = sim.orbit.altitude_m
    end = _expected_end_s(sim)
    wait_s = sim.systems.autonomy.safe_mode_reboost_wait_days.value * DAY_S
    below = aut.safe_reboost_below_m / 1e3
    battery = getattr(aut, "battery_empty", False)   # a power emergency: no burn
    if alt_m > aut.safe_reboost_below_m and (battery or end <= eng.now_s + wait_s):
        aut._wait("in safe mode with the batteries at the emergency reserve: the reboost waits "
                  "for them to recharge" if battery else
                  f"in safe mode until about {sim.iso(int(max(end, eng.now_s)))[:10]} (its "
                  "repairs booked, or the ground's decision to operate without redundancy): "
                  f"the reboost waits for its end (or for the altitude to fall below "
                  f"{below:g} km)")
        if aut._safe_retry_s is None or aut._safe_retry_s <= eng.now_s:   # looked at daily
            aut._safe_retry_s = eng.now_s + DAY_S
            eng.schedule(aut._safe_retry_s, lambda e: aut.check_reboost(),
                         "reboost retry (safe mode)")
        return True
    if aut._safe_reboost_for != aut.reboost_pending_since:     # once per pending reboost
        aut._safe_reboost_for = aut.reboost_pending_since
        if alt_m <= aut.safe_reboost_below_m:
            why = f"altitude below {below:g} km: safe mode has outlasted the altitude margin"
        elif math.isinf(end):
            why = "no repair is booked for the cause of safe mode (or it is commanded)"
        else:
            why = (f"safe mode is expected to last until {sim.iso(int(end))[:10]}, more than "
                   f"{wait_s / DAY_S:g} days")
        sim.alarm("orbit", f"reboost in safe mode: altitude {alt_m / 1e3:.1f} km", "warning",
                  f"{why}; the ground commands the reboost with the thrusters holding "
                  "attitude", key="safe-mode-reboost")
        aut.wait_reason = "safe mode, reboost by the ground"
    return False
