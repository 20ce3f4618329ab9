"""The onboard autonomy's FDIR response to a detected fault (:meth:`rossim.ops.autonomy.
Autonomy.fault_detected`).

One detection is one fault, or every fault of one common-cause event
(:meth:`rossim.ops.fdir.Reliability.fail`: the units a beta-factor failure took at once,
detected together). The response is decided once, on the units still working after all of
them failed:

- ``min_units`` still work: switched to a redundant unit (recovered automatically). A
  common-cause event takes every working unit of its set, so its faults never count as
  recovered: the standby units failed in the same event.
- otherwise the function degrades (array drive: that module's arrays parked; battery string:
  a quarter of that module's capacity) or the station goes to safe mode (and free drift with
  no control computer left: :mod:`rossim.ops.free_drift`; with one left, the ground accepts
  operating without redundancy after its assessment: :mod:`rossim.ops.single_string`; a
  unit only a crew repairs calls up a repair crew: :mod:`rossim.ops.safe_mode_callup`).

Severity (one figure for the ``fault-detected`` event and its alarm, :func:`severity`): a
switch to a redundant unit and a degraded function the station works on are warnings (a
parked wing whose module's arrays, with the others, still carry the demanded load on every
orbit of the next day, an isolated battery string); parked arrays that no longer cover the
load (the response names the shortfall) and safe mode are critical. A common-cause event is one ``fault-detected`` event and one alarm naming the cause
(``common-cause failure of N units of <component> (faults #a-#b)``); the free-drift alarm names
it too.
"""

from __future__ import annotations

from rossim.ops import free_drift, safe_mode_callup, single_string
from rossim.ops.fdir import common_cause_text, fault_ids

__all__ = ["REDUNDANT", "safe_cause", "severity", "respond"]

REDUNDANT = "switched to redundant unit"


def severity(response: str) -> str:
    """``critical`` for safe mode (free drift included) and for parked arrays whose
    generation no longer covers the load (:func:`_short_of_load`), ``warning`` for a switch to
    a redundant unit or a degraded function the station works on (a parked wing still
    covering the load, an isolated battery string)."""
    return ("critical" if response.startswith("safe mode") or SHORT in response
            else "warning")


SHORT = "no longer cover the load"


def safe_cause(f) -> str:
    """The safe-mode cause fault ``f`` holds (a key of :attr:`rossim.ops.autonomy.Autonomy.
    safe_causes`, cleared by its repair or the ground's acceptance of the units left)."""
    return f"fault #{f.id} {f.component}"


def _short_of_load(sim) -> str:
    """``""`` when the arrays, as parked now, carry the demanded load on every orbit of the
    next day (the power model's beta forecast, :meth:`rossim.ops.electrical.PowerModel.
    forecast`, as the planned power-downs read it) or when there is no power model (the
    reliability replay); otherwise the shortfall, naming :data:`SHORT`."""
    power = getattr(sim, "power", None)
    if power is None or getattr(sim, "orbit", None) is None or sim.config.mass_kg <= 0:
        return ""
    demand, _ = power.loads_kw(sim)
    _, _, sus = power.forecast(sim, float(sim.engine.now_s), 1.0)
    if float(sus.min()) >= demand:
        return ""
    return (f"; the arrays {SHORT}: {float(sus.min()):.1f} kW on the orbit average against "
            f"{demand:.1f} kW demanded")


def _degrade(sim, comp, module: str, working: int) -> str | None:
    """The degraded function's response text (array drive, battery string), or ``None``
    when the component has no degraded mode (safe mode)."""
    if comp.id == "array-drive":
        # one drive per wing: a parked wing gives nothing (both parked: no generation)
        share = max(working, 0) / comp.units
        sim.state.array_factor[module] = share
        return ("array parked: generation of this module halved" if share == 0.5
                else f"arrays parked: generation of this module at {share:.0%}"
                ) + _short_of_load(sim)
    if comp.id == "battery-string":
        sim.state.battery_factor[module] = 0.75
        return "string isolated: capacity reduced"
    return None


def respond(sim, faults: list, comp) -> None:
    """The autonomy detects ``faults`` (one fault, or the faults of one common-cause event,
    first one first) now: count the units down, decide the response once, one
    ``fault-detected`` event, one alarm unless recovered, and a repair booked per fault."""
    aut, rel = sim.autonomy, sim.reliability
    f0 = faults[0]
    for f in faults:
        f.detected_at = sim.now
    key = (f0.component, f0.module)
    rel.working[key] = rel.working.get(key, comp.units) - len(faults)
    if not rel.attached(f0.module):
        for f in faults:
            f.response = "module no longer attached"
        return
    working = rel.working[key]
    common = common_cause_text(faults, comp) if len(faults) > 1 else None
    # counted after every unit of the event failed: a common-cause event leaves none of its
    # set working (min_units >= 1), so no unit of it counts as switched to a standby
    recovered = working >= comp.min_units
    if recovered:
        response = REDUNDANT
    else:
        response = _degrade(sim, comp, f0.module, working)
        if response is None:
            response = "safe mode: experiments shed, attitude on thrusters"
            for f in faults:
                aut.enter_safe_mode(safe_cause(f))
            if free_drift.drifting(sim):  # hook: no control computer left (ops.free_drift)
                response = free_drift.began(sim, f0, common)
            else:     # one unit left: the ground may accept it (rossim.ops.single_string)
                single_string.schedule(sim, faults, comp)
                # hook: only a crew clears it (rossim.ops.safe_mode_callup)
                safe_mode_callup.began(sim, faults, comp)
    sev = severity(response)
    if common is not None:
        response = f"{common}: {response}"
    for f in faults:
        f.response = response
        f.recovered_automatically = recovered
    if common is None:
        what = f"fault #{f0.id} {f0.component} ({f0.module}, unit {f0.unit})"
        detail = f"fault #{f0.id}: {response}"
        failed = f"{comp.name} unit {f0.unit} failed"
    else:
        units = ", ".join(str(f.unit) for f in faults)
        what = f"faults {fault_ids(faults)} {f0.component} ({f0.module}, units {units})"
        detail = response
        failed = f"{common}: units {units} failed at once"
    sim.event("fault-detected", f0.component, f"{what}: {f0.rule}; {response}", sev,
              source="autonomy")
    if not recovered:
        sim.alarm(f0.component, detail, sev, f"{failed} on {f0.module}; {working} of "
                  f"{comp.units} units work, {comp.min_units} needed")
    for f in faults:
        sim.book_repair(f, comp)
