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
        sim.alarm("thermal", f"{m} cabin {t:.2f} C above {lim:.1f} C: {response}",
                  "warning", cause, key=f"thermal-high-{m}", repeat_after_s=7 * 86400)
    else:
        cause = (f"{m} cabin {t:.2f} C < {lim:.1f} C: {d['regime']} "
                 f"({d['heater_kw']:.2f} kW) with {d['q_int_kw']:.2f} kW dissipated "
                 f"inside, {'crewed' if d['crewed'] else 'uncrewed'} band, beta "
                 f"{abs(d['beta_deg']):.0f} deg, {d['lit']:.0%} of the orbit sunlit")
        sim.alarm("thermal", f"{m} cabin {t:.2f} C below {lim:.1f} C: heaters at their "
                  "capacity", "warning", cause, key=f"thermal-low-{m}",
                  repeat_after_s=7 * 86400)

