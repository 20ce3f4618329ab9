"""Free drift: the station with no working control computer (``catalog/free_drift.toml``).

Nothing then commands the gyrodynes or fires the thrusters: the station drifts (Salyut 7,
1985: uncontrolled after a failure, it lost power and froze until a crew revived it). While it
drifts (:func:`drifting`):

- no attitude control: no attitude propellant (not even safe mode's), the attitude-control
  use of :mod:`rossim.ops.orbit_keeping` is zero;
- no thruster use: reboosts (the autonomy's, the ground's, an operator's) and debris-avoidance
  manoeuvres are refused, each an alarm with that cause (:func:`refuse`);
- the arrays are not Sun-pointed: their generation is ``array_output_fraction`` (a tumbling
  flat array: 1/4) of the Sun-pointed output, eclipse and distance to the Sun still applied
  (:func:`array_fraction`, read by the power model at one point); the power and thermal models
  feel it (shedding, safe mode on an empty battery, colder modules);
- the station tumbles: the drag area is the mean silhouette of its parts over all
  directions (:func:`drag_area_m2`, Cauchy's formula as for the arrays' output; larger than a
  stack flown along the velocity), read by the orbit model and recorded in the telemetry;
- no automatic docking: uncrewed ships are held or loiter (:mod:`rossim.ops.drift_docking`), a
  crew docks manually after the longer profile (:mod:`rossim.ops.drift_crew`).

It begins when the autonomy detects that the last control computer failed (:func:`began`: a
critical alarm naming the cause: the fault, or the common-cause event that took every unit) and ends when one is repaired (:func:`ended`: a crew repair or
a spare from the ground; the pending reboost is tried again). Safe mode itself ends as before,
once ``min_units`` computers work and the ground approves.
"""

from __future__ import annotations

from rossim.config.free_drift import load_free_drift

__all__ = ["REASON", "drifting", "array_fraction", "drag_area_m2", "began", "ended", "refuse"]

REASON = "no working control computer: the station drifts, nothing can fire the thrusters"


def _control(sim):
    p = load_free_drift()
    return sim.systems.component_by_id(p.control_component)


def drifting(sim) -> bool:
    """True when no unit of the control component works (the reliability model's count, as
    the autonomy keeps it); False without a reliability model or before the first module."""
    rel = getattr(sim, "reliability", None)
    if rel is None:
        return False
    comp = _control(sim)
    if comp is None:
        return False
    return rel.working.get((comp.id, comp.module), comp.units) <= 0


def array_fraction(sim) -> float | None:
    """The drifting arrays' output as a fraction of their Sun-pointed output (replaces the
    attitude's incidence factor), or ``None`` while attitude is controlled."""
    return load_free_drift().array_output_fraction.value if drifting(sim) else None


def drag_area_m2(sim, config=None) -> float:
    """The drag area (m^2) the flow sees now: the configuration's (``config``, default the
    station's now) for its flight attitude, or tumbling while the station drifts
    (:attr:`rossim.station.configuration.Configuration.drag_area_tumbling_m2`: a drifting
    stack is not held along the velocity; Salyut 7 was found slowly rolling, ``soyuz-t13``)."""
    cfg = sim.config if config is None else config
    return cfg.drag_area_tumbling_m2 if drifting(sim) else cfg.drag_area_m2


def _refresh(sim) -> None:
    """The station's configuration recorded again (its drag area changed with the drift);
    nothing in a run without an orbit (the reliability-only replay)."""
    refresh = getattr(sim, "refresh_config", None)
    if refresh is not None:
        refresh()


def began(sim, f, common: str | None = None) -> str:
    """The last control computer failed (fault ``f`` detected now; ``common``: the
    common-cause event that took it with the others, ``common-cause failure of N units of
    ...``, :func:`rossim.ops.fdir.common_cause_text`): the critical alarm naming that cause
    and the drift's start. Returns the fault's response text."""
    aut = sim.autonomy
    if f.component != load_free_drift().control_component:  # another fault while drifting
        return ("safe mode: experiments shed; the station already drifts (no working control "
                "computer)")
    if getattr(aut, "drift_since", None) is None:
        aut.drift_since = sim.engine.now_s
        sim.event("mode", "station", f"free drift: {REASON}", "critical", source="autonomy")
        _refresh(sim)   # the tumbling drag area from now (drag_area_m2)
    cause = common or f"fault #{f.id} {f.component}"
    sim.alarm("attitude", f"free drift from {cause}: no attitude control, no thruster use, "
              "arrays not Sun-pointed", "critical",
              f"0 working {f.component} units: nothing commands the gyrodynes or fires the "
              "thrusters until one is repaired " + (f"({cause}, {f.module})" if common is None
                                                   else f"after the {cause} on {f.module}"),
              key="free-drift")
    callup = getattr(sim, "crew_callup", None)  # hook: a repair crew (rossim.ops.crew_callup)
    if callup is not None and aut.drift_since == sim.engine.now_s:
        callup.drift_began(f, cause=None if common is None else
                           f"free drift since {sim.iso(sim.engine.now_s)[:16]} ({common})")
    dd = getattr(sim, "drift_docking", None)  # hook: uncrewed ships (rossim.ops.drift_docking)
    if dd is not None and aut.drift_since == sim.engine.now_s:
        dd.drift_began()
    frac = load_free_drift().array_output_fraction.value
    return (f"safe mode and free drift: experiments shed, no attitude control, no thruster "
            f"use, arrays at {frac:.0%} of their Sun-pointed output")


def ended(sim, f) -> None:
    """A control computer works again (fault ``f`` repaired): attitude control resumes."""
    aut = sim.autonomy
    since = getattr(aut, "drift_since", None)
    if since is None or drifting(sim):
        return
    aut.drift_since = None
    _refresh(sim)   # the flight attitude's drag area again (drag_area_m2)
    days = (sim.engine.now_s - since) / 86400.0
    sim.event("mode", "station", f"free drift ended after {days:.1f} days: fault #{f.id} "
              f"{f.component} repaired by {f.repaired_by}; attitude control resumes",
              "info", value=days, source="autonomy")
    aut.check_reboost()
    dd = getattr(sim, "drift_docking", None)  # hook: held ships fly (rossim.ops.drift_docking)
    if dd is not None:
        dd.drift_ended()


def refuse(sim, what: str) -> bool:
    """True (and an alarm naming the cause) when ``what`` needs the thrusters and the station
    drifts; False otherwise."""
    if not drifting(sim):
        return False
    sim.alarm("orbit", f"{what} refused: {REASON}", "critical",
              "free drift: 0 working control computers", key=f"free-drift-{what}",
              repeat_after_s=7 * 86400)
    return True
