"""Alarms of the station's orbit and propellant, and the orbit-only run's result.

The orbit model (:mod:`rossim.ops.orbit_keeping`) and the autonomy
(:mod:`rossim.ops.autonomy`) raise the same alarms in a full run and in an orbit-only run
(``models=("orbit",)``, :func:`rossim.ops.orbit_keeping.simulate_orbit`, trade studies):

=====================  ========  ==============================================================
alarm (subject)        severity  when, and the cause it carries
=====================  ========  ==============================================================
``propellant``         warning   the reboost at the band floor is refused: the propellant above
                                 the de-orbit reserve (plus the docked Progress reserves) is
                                 below what the burn needs, or the tanks are empty; the cause
                                 names which, the kilograms, and the next planned Progress
``orbit``              warning   the station is below the band floor (the operator's floor) and
                                 no reboost is possible (same episode as the refusal; one per
                                 episode, the next executed reboost closes it)
``propellant``         critical  a use (attitude, debris avoidance, phasing, leak) finds the
                                 tanks empty, de-orbit reserve included (``unmet_kg``)
``reentry``            critical  the mean altitude below 150 km: the run ends (a result); the
                                 cause names the refused reboost, or the wait, that let it decay
=====================  ========  ==============================================================

:func:`orbit_only_result` finishes an orbit-only run: the orbit history with the run's alarms
(the dicts of the full run: ``time``, ``subject``, ``detail``, ``severity``, ``cause``,
``repeats``; a refused command, but the autonomy's, is a warning ``command`` alarm with the
refusal's reason, one per reason and episode: :func:`refusal_alarms`), its outcome and end, and the orbit invariants of
:func:`rossim.ops.invariants.check_invariants` (altitude band, propellant ledger and causes,
de-orbit reserve); a violated invariant is a critical alarm, as in ``rossim run``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

#: Below this many kg the tanks count as empty (the ledger's tolerance).
EMPTY_KG = 1.0
#: A reboost refused for propellant with some left above the de-orbit reserve (and in
#: docked Progress reserves), less than the burn needs (it was "propellant below the
#: de-orbit reserve", which read as if the tanks were already at the reserve).
SHORT_ABOVE_RESERVE = "not enough propellant above the de-orbit reserve"


def shortfall(orbit, need_kg: float) -> tuple[str, str]:
    """``(kind, text)`` of a reboost that ``need_kg`` of propellant cannot cover, from the
    orbit model's tanks, de-orbit reserve and docked Progress reserves: ``kind`` is
    ``"tanks-empty"`` or ``"below-reserve"``."""
    tank = float(orbit.tank_kg)
    reserve = float(orbit.reserve_kg)
    progress = float(sum(orbit.reserves.values()))
    above = max(tank - reserve, 0.0)
    if tank < EMPTY_KG and progress < EMPTY_KG:
        return "tanks-empty", (f"tanks empty ({tank:.0f} kg) and no Progress reserve docked: "
                               f"the reboost needs {need_kg:.0f} kg")
    return "below-reserve", (
        f"{SHORT_ABOVE_RESERVE}: {above:.0f} kg above the {reserve:.0f} kg "
        f"reserve (never used for reboosts) and {progress:.0f} kg in docked Progress "
        f"reserves, against the {need_kg:.0f} kg the reboost needs")


def next_progress(sim) -> str:
    """When the next planned docking that brings propellant comes (a Progress, or a module
    whose climber's leftover goes into the tanks: :mod:`rossim.ops.cargo_callup`): the next
    chance of a reboost; or that none is planned before the span end."""
    now = sim.engine.now_s
    climbers = getattr(getattr(sim, "cargo_callup", None), "climbers", False)
    for e in sorted(sim.timeline.events, key=lambda e: e.time):
        if e.kind != "dock" or e.relocation or sim.engine.seconds(e.time) <= now:
            continue
        when = sim.iso(sim.engine.seconds(e.time))
        if e.part_kind == "vehicle" and e.catalog_id.startswith("progress"):
            return f"next Progress ({e.part}) docks {when}"
        if e.part_kind == "module" and climbers:
            return f"next module ({e.part}, its climber's leftover propellant) docks {when}"
    return "no docking that brings propellant planned before the span end: the station decays"


def refused_reboost(sim, need_kg: float, reason: str = "") -> None:
    """The autonomy's reboost at the band floor was refused (``reason``: the orbit model's;
    one starting ``needs`` is a propellant refusal, ``need_kg`` what the burn needs): the
    ``propellant`` alarm (the shortfall; another reason is an ``orbit`` alarm with it) and
    the ``orbit`` alarm (below the floor without a reboost), once per episode (the autonomy
    alarms at the first refusal; the next executed reboost closes it)."""
    orbit = sim.orbit
    supply = next_progress(sim)
    if reason and not reason.startswith("needs "):
        what = reason
        sim.alarm("orbit", f"reboost refused: {reason}", "warning", reason)
    else:
        kind, text = shortfall(orbit, need_kg)
        what = "tanks empty" if kind == "tanks-empty" else SHORT_ABOVE_RESERVE
        sim.alarm("propellant", f"reboost refused: {what}", "warning", f"{text}; {supply}")
    h_km = orbit.altitude_m / 1e3
    sim.alarm("orbit", f"altitude {h_km:.1f} km below the band floor "
              f"{orbit.low_m / 1e3:g} km with no reboost possible", "warning",
              f"reboost refused ({what}); {supply}")
    sim.autonomy.refused_at_s = sim.engine.now_s
    sim.autonomy.refused_why = what


def reentry_cause(sim) -> str:
    """Why the station re-entered: the refused reboost (when, what was short), the wait the
    reboost was in, or drag alone."""
    au = sim.autonomy
    if getattr(au, "refused_at_s", None) is not None and au.wait_reason == "propellant":
        return (f"altitude lost to drag: reboosts refused since {sim.iso(au.refused_at_s)} "
                f"({au.refused_why})")
    if au.reboost_pending_since is not None and au.wait_reason:
        return f"altitude lost to drag while the reboost waited: {au.wait_reason}"
    return "altitude lost to drag without a reboost"


def tanks_empty(sim, cause: str) -> None:
    """A propellant use the tanks cannot cover any more (de-orbit reserve included)."""
    sim.alarm("propellant", f"tanks empty: {cause} not covered (unmet_kg in the propellant "
              "ledger)", "critical", "every kilogram aboard used, de-orbit reserve included, "
              "and no Progress reserve docked", key="tanks-empty", repeat_after_s=30 * 86400)


def _json_alarm(a: dict[str, Any]) -> dict[str, Any]:
    return {**a, "time": str(np.datetime64(a["time"], "s")) + "Z"}


def orbit_only_result(sim):
    """The :class:`~rossim.ops.orbit_keeping.OrbitHistory` of a finished orbit-only run with
    ``alarms`` (the run's, plus one critical alarm per violated orbit invariant),
    ``outcome`` (``"completed"`` or ``"re-entry"``), ``end_time`` and ``invariants``."""
    from rossim.ops.invariants import check_invariants, violation_alarms

    hist = sim.orbit.history(sim)
    end = sim.engine.epoch(sim.engine.now_s)
    au = sim.autonomy
    waits = [(sim.engine.epoch(a), sim.engine.epoch(b), why) for a, b, why in au.waits]
    if au.reboost_pending_since is not None:
        waits.append((sim.engine.epoch(au.reboost_pending_since), end,
                      au.wait_reason or "pending at the end"))
    result = SimpleNamespace(
        power=None, consumables=None, orbit=hist, waits=waits, alarms=list(sim.alarms),
        ledgers={"propellant": dict(sim.orbit.ledger, end_kg=sim.orbit.propellant_available_kg(),
                                    imbalance_kg=sim.orbit.ledger_balance_kg())})
    orbit_checks = ("altitude_in_band", "propellant_ledger", "propellant_by_cause",
                    "deorbit_reserve_held", "mass_ledger")
    invariants = [r for r in check_invariants(sim, result) if r["name"] in orbit_checks]
    # an operator's or the scenario's command refused (the full run counts them in its
    # summary, ``commands_refused``; an orbit-only run has no summary: each is an alarm)
    refused = refusal_alarms(sim.command_log)
    alarms = sorted(list(sim.alarms) + refused, key=lambda a: a["time"])
    hist.alarms = alarms + violation_alarms(invariants, sim.stamp(sim.engine.now_s))
    hist.outcome = sim.outcome
    hist.end_time = end
    hist.invariants = invariants
    return hist


#: A refusal with the same cause within this many days of the last one is a repeat of its
#: alarm (``repeats``), as the run's keyed alarms (the call-up's are 30 days).
REFUSAL_REPEAT_DAYS = 30


def refusal_alarms(command_log: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Warning ``command`` alarms of the refused commands (all but the autonomy's) of an
    orbit-only run: one per cause (the refusal's reason) and episode, a refusal with the same
    cause within :data:`REFUSAL_REPEAT_DAYS` of the previous one counts in ``repeats`` (a ship
    refused at every port on every day it waits is one alarm, not one a day)."""
    out: list[dict[str, Any]] = []
    last: dict[str, tuple[Any, dict[str, Any]]] = {}
    gap = np.timedelta64(REFUSAL_REPEAT_DAYS * 86400, "s")
    for c in command_log:
        if c["accepted"] or c["source"] == "autonomy":
            continue
        t = np.datetime64(c["time"], "s")
        prev = last.get(c["detail"])
        if prev is not None and t - prev[0] < gap:
            prev[1]["repeats"] += 1
            last[c["detail"]] = (t, prev[1])
            continue
        a = {"time": c["time"], "subject": "command", "detail": f"command refused: "
             f"{c['command']}", "severity": "warning", "cause": c["detail"], "repeats": 0}
        out.append(a)
        last[c["detail"]] = (t, a)
    return out


def alarms_for_json(alarms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The alarms with ISO ``time`` strings (``...Z``), for ``--json`` and tables."""
    return [_json_alarm(a) for a in alarms]
