"""The autonomy's response to a module leaving its temperature band (or coming back).

Too hot: experiments and activities are shed (level 1) to cut the dissipation, a warning alarm
with the cause (radiators, or a coolant loop stopped with too few working pumps and their
faults, :mod:`rossim.ops.coolant_loop`; beta, attitude, heat inside); a shed already in force
for another of the autonomy's causes (the battery, a planned power-down) now holds for the heat too
(``Autonomy.thermal_shed``), and a shed the ground ordered stays the ground's. Back in band:
the autonomy restores what it shed for the heat alone. Too cold: heaters at their capacity,
a warning alarm. Split from :mod:`rossim.ops.autonomy` (one concern per module).
"""

from __future__ import annotations

from typing import Any

from rossim.ops.commands import LoadRestore, LoadShed
from rossim.ops.thermal import K0


def on_thermal(au: Any, c: Any) -> None:
    """Handle the thermal model's crossing ``c`` for the autonomy ``au``."""
    sim = au.sim
    d = sim.thermal.crossing if sim.thermal is not None else None
    if d is None:
        return
    m, t, lim = d["module"], d["value_c"], d["limit_c"]
    att = "sun-biased" if d["biased"] else "velocity"
    if d["kind"] == "thermal-ok":
        sim.event("thermal", m, f"{m} cabin {t:.1f} C back inside its band", "info",
                  value=t, source="autonomy")
        out = [k for k, v in sim.thermal.status.items() if v != "ok" and k != m]
        if au.thermal_shed and not out and sim.state.shed_level >= 1 \
                and not au.auto_shed and not au.planned_down and not au.ground_shed:
            sim.command(LoadRestore(source="autonomy"))
        if not out:
            au.thermal_shed = False
        return
    if d["kind"] == "thermal-high":
        cause = (f"{m} cabin {t:.2f} C > {lim:.1f} C: {d['regime']} "
                 f"({d['radiator_kw']:.1f} kW rejected) at beta {abs(d['beta_deg']):.0f} "
                 f"deg, {att} attitude, {d['lit']:.0%} of the orbit sunlit, "
                 f"{d['q_int_kw']:.1f} kW dissipated inside")
        if sim.state.shed_level == 0 and not sim.state.safe_mode:
            res = sim.command(LoadShed(level=1, source="autonomy"))
            au.thermal_shed = res.accepted
            response = "experiments and activities shed to cut the dissipation"
        else:
            # the autonomy's own shed (battery, power-down) now holds for this module's
            # heat too: their end alone does not restore the loads (the ground's shed
            # stays the ground's to lift)
            if au.auto_shed or au.planned_down:
                au.thermal_shed = True
            response = ("loads already shed: the coolant pumps must be repaired"
                        if d.get("loop_stopped") else
                        "loads already shed: the ground must act (attitude, crew activity)")
        severity = "warning"
        if d["crewed"] and d.get("loop_stopped"):   # a crew aboard with no heat rejection
            severity = "critical"
            cause += f"; crew aboard, coolant loop stopped: {d['loop_stopped']}"
        sim.alarm("thermal", f"{m} cabin {t:.2f} C above {lim:.1f} C: {response}",
                  severity, cause, key=f"thermal-high-{m}", repeat_after_s=7 * 86400)
    else:
        cause = (f"{m} cabin {t:.2f} C < {lim:.1f} C: {d['regime']} "
                 f"({d['heater_kw']:.2f} kW) with {d['q_int_kw']:.2f} kW dissipated "
                 f"inside, {'crewed' if d['crewed'] else 'uncrewed'} band, beta "
                 f"{abs(d['beta_deg']):.0f} deg, {d['lit']:.0%} of the orbit sunlit")
        sim.alarm("thermal", f"{m} cabin {t:.2f} C below {lim:.1f} C: heaters at their "
                  "capacity", "warning", cause, key=f"thermal-low-{m}",
                  repeat_after_s=7 * 86400)



def crew_arrived(sim: Any) -> None:
    """A crew comes aboard (hook of the engine's change to crewed mode): every module already
    above the crewed band (its status ``high`` from the uncrewed band, so no new crossing
    comes) is an alarm now, critical when its coolant loop is stopped (no heat rejection with
    a crew aboard; :func:`rossim.ops.coolant_loop.stopped_loops`)."""
    from rossim.ops.coolant_loop import stopped_loops

    th = sim.thermal
    if th is None:
        return
    _low, high = th.th.limits_c(True)
    hot = {m: th.temp_k[m] - K0 for m, st in sorted(th.status.items())
           if st == "high" and m in th.temp_k and th.temp_k[m] - K0 > high}
    stopped = stopped_loops(sim, list(hot))
    for m, t in hot.items():
        loop = stopped.get(m)
        cause = (f"{m} cabin {t:.2f} C > {high:.1f} C (crewed band) when the crew came "
                 "aboard" + (f"; coolant loop stopped: {loop}" if loop else ""))
        sim.alarm("thermal", f"{m} cabin {t:.2f} C above {high:.1f} C with the crew aboard: "
                  + ("the coolant pumps must be repaired" if loop else
                     "the ground must act (attitude, loads)"),
                  "critical" if loop else "warning", cause, key=f"thermal-high-{m}",
                  repeat_after_s=0)
