"""Dispersions: from a scenario's ``[monte_carlo]`` section and a run's seed to the scenario
that run simulates, and the inputs it drew.

Streams (deterministic, independent of worker count and completion order): run ``i`` of a
campaign with seed ``S`` is ``numpy.random.SeedSequence(S).spawn(N)[i]``, i.e.
``SeedSequence(S, spawn_key=(i,))``. Each dispersed parameter draws from its own child
``SeedSequence(S, spawn_key=(i, k))`` with ``k`` its fixed index in :data:`PARAMETERS`, so
adding or removing one dispersion never changes the draws of the others. The simulation's own
seed is ``SeedSequence(S, spawn_key=(i, 100)).generate_state(1)[0]``.

What each parameter acts on (scenario level: the planned launches and visits are drawn here;
ships called up inside the run are drawn by the run, :mod:`rossim.ops.callup_loss`):

- ``solar_amplitude_scale``, ``solar_phase_shift_days``, ``f107_daily_noise``,
  ``ap_daily_noise`` -> ``operations.solar_amplitude_scale``, ``solar_phase_shift_days``,
  ``f107_noise_sigma/lag1``, ``ap_noise_sigma/lag1`` (the daily noise series itself is drawn
  by :func:`rossim.environment.weather_dispersion.run_weather` from the run's seed);
- ``drag_coefficient`` -> ``operations.cd``; ``fault_rate_scale`` ->
  ``operations.fault_rate_scale``;
- ``assembly_launch_slip_days`` (one draw per launch, modules of one ``launch_group`` share
  it), ``assembly_launch_failure`` (one per launch: the module is lost and re-flown
  ``module_refly_days`` later, one draw per launch): a launch never comes before the
  previous one (a late module delays those after it); past the span's end it is disabled.
- ``cargo_launch_slip_days``, ``cargo_ship_failure`` (one per cargo visit: the ship and its
  cargo are lost; the same flight is re-flown ``logistics.cargo_reflight_days`` later, as the
  Progress losses of 2011, 2015 and 2016 were);
  ``crew_launch_slip_days``, ``crew_launch_abort`` (one per crew visit: the crew is recovered
  and the same visit flies again ``logistics.stand_down_crew_after_crew_abort_days`` later,
  as Soyuz MS-11 after MS-10's abort). Each such loss grounds its launcher: the plan's other
  launches on the same rocket inside the stand-down move to its end, and the stand-downs are
  written to ``operations.launcher_stand_downs`` (:mod:`rossim.campaign.plan_failures`;
  module launches are out of its scope).
- ships the run calls up (it alone knows them): the probability of ``cargo_ship_failure``
  -> ``operations.callup_cargo_loss_probability`` (each cargo call-up lost with its cargo),
  of ``crew_launch_abort`` -> ``operations.callup_crew_launch_abort_probability`` (each
  repair crew's launch aborts, the crew recovered, and it flies again later); the run draws
  each launch from its own ``callup-launch`` stream. A ``bernoulli`` gives its ``p``, a
  ``constant`` 1 when its value is not 0 (as the per-visit draw reads it). Nothing is drawn
  here for them.
- ports: each planned visit flies at the first date its port allows
  (:class:`rossim.campaign.plan_ports.PlanPorts`: it waits for its port's module and for
  its port to clear; a cargo ship may dock at another free port; a vehicle leaves a port a
  module takes) and no stand-down of its launcher grounds, and is drawn to fail only at that
  lift-off (:func:`rossim.campaign.plan_failures.fly_plan`); a visit pushed past the span's
  end is dropped. The run's planner then times that plan (:func:`rossim.station.build_timeline`:
  windows, pads' turnaround, ports): each launch drawn to fail fails at the lift-off the
  planner would give it were it flown (its own slot at its port and pad, on its window), and
  a launch the planner shows where the plan could not have flown
  (:mod:`rossim.campaign.plan_checks`: a lift-off moved into a stand-down, more crew aboard
  than berths) is held to the lift-off the planner allows; the plan is flown again until they
  agree (:func:`rossim.campaign.plan_agreement.agree_with_planner`, at most
  ``PLANNER_PASSES`` passes; a breach left is listed in the events). Every draw with a
  station is planned once here; one the planner finds nothing in is unchanged by it.
- free-flyer deployments wait until 8 days after their port's module docks (dropped if it is
  not flown or past the span); injected faults before the first module's docking move to a
  day after it.

Negative slip draws mean "on time" (launches are never early). Drawn values outside the
schema's range of the parameter they set are clipped to that range (and recorded clipped).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rossim.campaign.plan_agreement import agree_with_planner
from rossim.campaign.plan_failures import fly_plan
from rossim.campaign.plan_ports import WINDOW_MARGIN, PlanPorts
from rossim.config.catalog import load_catalog
from rossim.config.scenario import Dispersion, MonteCarlo, Scenario, Visit
from rossim.config.systems import load_systems
from rossim.station.insertion import module_climb_days
from rossim.station.pad_plan import turnaround

__all__ = ["PARAMETERS", "RunDraw", "sample", "draw_run", "run_seed_sequence", "sim_seed"]

#: Every dispersable parameter, in a fixed order (its index names its random stream; append
#: new names at the end only).
PARAMETERS: tuple[str, ...] = (
    "solar_amplitude_scale", "solar_phase_shift_days", "f107_daily_noise", "ap_daily_noise",
    "drag_coefficient", "assembly_launch_slip_days", "assembly_launch_failure",
    "module_refly_days", "cargo_launch_slip_days", "cargo_ship_failure",
    "crew_launch_slip_days", "fault_rate_scale", "crew_launch_abort",
)
_SIM_STREAM = 100

#: Ranges the drawn values are clipped to (the schema's ranges of what they set).
_CLIP = {
    "solar_amplitude_scale": (0.05, 5.0),
    "solar_phase_shift_days": (-2000.0, 2000.0),
    "drag_coefficient": (0.5, 5.0),
    "fault_rate_scale": (0.01, 100.0),
    "module_refly_days": (0.0, 36525.0),
}


#: The longest a lift-off waits for its in-plane window (one pass a day within the site's
#: azimuth corridor, rossim.station.windows), added between a module's docking and the next
#: module's when slips bring them close.
_WINDOW_WAIT_DAYS = 1.0

def run_seed_sequence(campaign_seed: int, run: int) -> np.random.SeedSequence:
    """``SeedSequence(campaign_seed).spawn(N)[run]`` for any ``N > run``."""
    return np.random.SeedSequence(campaign_seed, spawn_key=(run,))


def sim_seed(campaign_seed: int, run: int) -> int:
    """The integer seed of run ``run``'s simulation (its own stream)."""
    ss = np.random.SeedSequence(campaign_seed, spawn_key=(run, _SIM_STREAM))
    return int(ss.generate_state(1)[0])


def _rng(campaign_seed: int, run: int, name: str) -> np.random.Generator:
    k = PARAMETERS.index(name)
    return np.random.default_rng(np.random.SeedSequence(campaign_seed, spawn_key=(run, k)))


def sample(d: Dispersion, rng: np.random.Generator, size: int | None = None) -> Any:
    """Draw from ``d``'s distribution (numpy's definitions; ``lognormal`` takes the mean
    ``mu`` and standard deviation ``sigma`` of the natural log; ``bernoulli`` gives 0.0 or
    1.0). A float, or an array of ``size`` floats."""
    n = size
    match d.distribution:
        case "constant":
            x = np.full(n if n is not None else (), d.value, dtype=float)
        case "normal":
            x = rng.normal(d.mean, d.sigma, n)
        case "uniform":
            x = rng.uniform(d.low, d.high, n)
        case "lognormal":
            x = rng.lognormal(d.mu, d.sigma, n)
        case "triangular":
            x = rng.triangular(d.low, d.mode, d.high, n)
        case "bernoulli":
            x = (rng.random(n) < d.p).astype(float)
        case _:  # pragma: no cover - the schema allows no other
            raise ValueError(d.distribution)
    return float(x) if n is None else np.asarray(x, dtype=float)


def _probability(d: Dispersion) -> float:
    """The per-event probability of an event dispersion: a ``bernoulli``'s ``p``; a
    ``constant`` 1.0 when its value is not 0 (the event always happens), else 0.0."""
    if d.distribution == "bernoulli":
        return float(d.p)
    return 1.0 if d.value else 0.0


@dataclass
class RunDraw:
    """One run's dispersed scenario and what was drawn.

    ``inputs``: scalar inputs for the results table (``in_*`` columns: per-run values, and
    per-launch / per-visit draws summarised as totals and counts); ``events``: one line per
    scenario-level change (slips, failures, dropped visits) for the record; ``station``:
    False when no module is in orbit during the span (every launch lost or late).
    """

    run: int
    seed: int
    scenario: Scenario
    inputs: dict[str, float] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)
    station: bool = True


def _days(x: float) -> dt.timedelta:
    return dt.timedelta(days=float(x))


def _module_pad(cat, a) -> str | None:
    """The catalog site (pad) assembly launch ``a`` lifts off from: its own ``site``, else its
    launcher's (its own, else its module's) home site; None when the catalog does not know
    them (the planner then refuses the scenario with its own message)."""
    m = cat.modules.get(a.module)
    lv = cat.launchers.get(a.launcher or (m.launcher if m is not None else ""))
    if lv is None:
        return None
    pad = a.site or lv.site
    return pad if pad in cat.sites else None


def draw_run(scenario: Scenario, campaign_seed: int, run: int,
             monte_carlo: MonteCarlo | None = None) -> RunDraw:
    """The dispersed scenario of run ``run`` (see the module docstring).

    ``monte_carlo`` defaults to the scenario's section (no section: the nominal scenario with
    only the simulation seed changing). Pure function of its arguments.
    """
    mc = monte_carlo if monte_carlo is not None else scenario.monte_carlo
    mc = mc or MonteCarlo()
    out = RunDraw(run, sim_seed(campaign_seed, run), scenario)
    inputs = out.inputs

    def one(name: str) -> float | None:
        d = getattr(mc, name)
        if d is None:
            return None
        x = sample(d, _rng(campaign_seed, run, name))
        lo, hi = _CLIP.get(name, (-np.inf, np.inf))
        return float(min(max(x, lo), hi))

    # -- per-run values -> operations knobs --------------------------------------------
    ops_update: dict[str, float] = {}
    for name, knob in (("solar_amplitude_scale", "solar_amplitude_scale"),
                       ("solar_phase_shift_days", "solar_phase_shift_days"),
                       ("drag_coefficient", "cd"), ("fault_rate_scale", "fault_rate_scale")):
        x = one(name)
        if x is not None:
            ops_update[knob] = x
            inputs[name] = x
    for name, prefix in (("f107_daily_noise", "f107"), ("ap_daily_noise", "ap")):
        d = getattr(mc, name)
        if d is not None:  # the series is drawn by the weather from the run's seed
            ops_update[f"{prefix}_noise_sigma"] = float(d.sigma)
            ops_update[f"{prefix}_noise_lag1"] = float(d.lag1_correlation)
    for name, knob in (("cargo_ship_failure", "callup_cargo_loss_probability"),
                       ("crew_launch_abort", "callup_crew_launch_abort_probability")):
        d = getattr(mc, name)
        if d is not None:  # the run draws each call-up's launch (rossim.ops.callup_loss)
            ops_update[knob] = _probability(d)
    ops = scenario.operations.model_copy(update=ops_update)

    # -- assembly launches ----------------------------------------------------------------
    span_end = scenario.span.end
    groups: list[str] = []
    for i, a in enumerate(scenario.assembly):
        key = a.launch_group or f"#{i}"
        if key not in groups:
            groups.append(key)
    ng = len(groups)

    def per(name: str, n: int) -> np.ndarray:
        d = getattr(mc, name)
        if d is None or n == 0:
            return np.zeros(n)
        x = sample(d, _rng(campaign_seed, run, name), n)
        lo, hi = _CLIP.get(name, (-np.inf, np.inf))
        return np.clip(x, lo, hi)

    slip = np.maximum(per("assembly_launch_slip_days", ng), 0.0)
    fail = per("assembly_launch_failure", ng)
    refly = np.maximum(per("module_refly_days", ng), 0.0)
    new_launch: dict[str, dt.datetime] = {}
    last: dt.datetime | None = None
    # issue 14: a module docks after its climb (own engines or tug), not a fixed transfer; a
    # slipped launch also waits so that it docks after the module launched before it
    cat = load_catalog()
    climb_days = module_climb_days(scenario, cat)
    last_dock: dt.datetime | None = None
    for g, key in enumerate(groups):
        a0 = next(a for i, a in enumerate(scenario.assembly)
                  if (a.launch_group or f"#{i}") == key)
        t = a0.launch + _days(slip[g] + fail[g] * refly[g])
        if last is not None and t < last:
            t = last
        climb = _days(climb_days.get(a0.module, a0.transfer_days))
        # each lift-off then waits for its in-plane window (rossim.station.windows: one pass a
        # day in the site's corridor), so the order of dockings holds only with a day's margin
        if last_dock is not None and t + climb < last_dock + _days(_WINDOW_WAIT_DAYS):
            t = last_dock + _days(_WINDOW_WAIT_DAYS) - climb
        new_launch[key] = t
        last = t
        last_dock = t + climb
        if fail[g]:
            out.events.append(f"launch {key} ({a0.module}) lost; re-flown "
                              f"{refly[g]:.0f} d later")
    assembly = []
    module_dock: dict[str, dt.datetime | None] = {m.module: scenario.span.start
                                                  for m in scenario.initial}
    delay_last = 0.0
    for i, a in enumerate(scenario.assembly):
        t = new_launch[a.launch_group or f"#{i}"]
        enabled = a.enabled and t <= span_end
        if a.enabled and not enabled:
            out.events.append(f"module {a.module} launches after the span's end")
        assembly.append(a.model_copy(update={"launch": t, "enabled": enabled}))
        module_dock[a.module] = (t + _days(climb_days.get(a.module, a.transfer_days))
                                 if enabled else None)
        if a.enabled:
            delay_last = (t - a.launch).total_seconds() / 86400.0
    if mc.assembly_launch_slip_days is not None or mc.assembly_launch_failure is not None:
        inputs["assembly_slip_days_mean"] = float(slip.mean()) if ng else 0.0
        inputs["assembly_delay_days_last_launch"] = delay_last
        inputs["assembly_launch_failures"] = float(fail.sum())
        inputs["modules_not_flown"] = float(sum(1 for a in assembly if not a.enabled)
                                            - sum(1 for a in scenario.assembly
                                                  if not a.enabled))

    # -- visits ---------------------------------------------------------------------------
    # cargo by demand: the nominal plan's flights, dispersed like any cargo ship (slips,
    # losses) rather than re-planned after the fact (rossim.station.logistics)
    from rossim.station.logistics import resolve_logistics

    # planned with the run's own solar cycle and drag coefficient (operators re-plan cargo as
    # the cycle unfolds; the planner takes no daily noise); slips are applied below
    visits = resolve_logistics(scenario.model_copy(update={"operations": ops}), cat)[0].visits
    crew = [(f, v) for f, v in visits if f.startswith("crew")]
    cargo = [(f, v) for f, v in visits if f.startswith("cargo")]
    crew_slip = np.maximum(per("crew_launch_slip_days", len(crew)), 0.0)
    cargo_slip = np.maximum(per("cargo_launch_slip_days", len(cargo)), 0.0)
    cargo_fail = per("cargo_ship_failure", len(cargo))
    crew_abort = per("crew_launch_abort", len(crew))   # its own stream: no other draw moves
    # The pads the modules' launches take, and how much the planner will slip each module for
    # its pad's turnaround after the module launched before it from that pad
    # (rossim.station.pad_plan; a day's margin for the windows): a launch drawn to fail
    # keeps clear of them (rossim.campaign.plan_ports)
    module_lift_offs: list[tuple[str, dt.datetime]] = []
    module_slip: dict[str, dt.timedelta] = {}
    pad_last: dict[str, dt.datetime] = {}                       # pad -> its last lift-off
    lift_off: dict[tuple[str, dt.datetime], dt.datetime] = {}   # one per launch (group)
    for a in sorted((a for a in assembly if a.enabled), key=lambda a: a.launch):
        pad = _module_pad(cat, a)
        if pad is None:
            continue
        if (pad, a.launch) not in lift_off:
            t = a.launch
            if pad in pad_last:
                t = max(t, pad_last[pad] + turnaround(cat.sites[pad]) + WINDOW_MARGIN)
            lift_off[pad, a.launch] = pad_last[pad] = t
        module_lift_offs.append((pad, lift_off[pad, a.launch]))   # where the planner flies it
        module_slip[a.module] = lift_off[pad, a.launch] - a.launch
    # Ports that modules take (from their docking on).
    module_port: dict[str, tuple[dt.datetime, str]] = {}
    for a in assembly:
        if a.enabled and a.port:
            module_port[a.port] = (a.launch + _days(climb_days.get(a.module,
                                                                   a.transfer_days)),
                                   a.module)
    # -- what needs the station: free-flyer deployments, injected faults -------------------
    docks = [d for d in module_dock.values() if d is not None]
    # a module launched before the span's end can dock after it (its climb): no station then
    out.station = any(d < span_end for d in docks)
    first = min(docks) if docks else None
    station_events: list[str] = []   # after the visits' lines in the record
    deployments = []
    for dep in scenario.free_flyers.deployments:
        md = module_dock.get(dep.port.split(".", 1)[0], first)
        if md is None:
            station_events.append(f"deployment of {dep.date.date()} dropped: its module not flown")
            continue
        when = max(dep.date, md + dt.timedelta(days=8))
        if when > span_end:
            station_events.append(f"deployment of {dep.date.date()} dropped: past the span's end")
            continue
        deployments.append(dep.model_copy(update={"date": when}))
    faults = []
    for f in ops.faults:
        if first is not None and f.at < first + dt.timedelta(days=1):
            f = f.model_copy(update={"at": first + dt.timedelta(days=1)})
        if f.at <= span_end:
            faults.append(f)
    ops = ops.model_copy(update={"faults": faults})
    # the scenario's commands timed before a slipped first docking wait for the station, as
    # the faults do (rossim.ops.preflight refuses a command before the first docking)
    commands = [c.model_copy(update={"at": first + dt.timedelta(days=1)})
                if first is not None and c.at < first else c for c in scenario.commands]
    commands = [c for c in commands if c.at <= span_end]

    # port waits, losses, aborts and the stand-downs they cause, in lift-off order
    # (rossim.campaign.plan_failures, rossim.campaign.plan_ports); then the run's planner
    # times the plan (rossim.station.build_timeline: windows, pads' turnaround, ports): each
    # failure falls where it would fly it, the launches it shows where the draw's plan could
    # not have flown are held, and the plan flown again (agree_with_planner)
    logistics = load_systems().logistics

    def fly(holds: dict, fail_at: dict, flies: frozenset[int] = frozenset()):
        events: list[str] = []
        flown = fly_plan([(v.launch + _days(s), v, bool(a))
                          for (_, v), s, a in zip(crew, crew_slip, crew_abort, strict=True)],
                         [(v.launch + _days(s), v, bool(f))
                          for (_, v), s, f in zip(cargo, cargo_slip, cargo_fail, strict=True)],
                         cat, logistics, span_end, events,
                         PlanPorts(cat, module_dock, module_port, module_lift_offs,
                                   module_slip, span_end), holds, fail_at, flies)
        kept: dict[str, list[Visit]] = {"crew": [], "cargo": []}
        for _, kind, v in flown.planned:
            kept[kind].append(v)
        for kind in kept:
            kept[kind].sort(key=lambda v: v.launch)
        run_ops = ops.model_copy(update={"launcher_stand_downs": (*ops.launcher_stand_downs,
                                                                  *flown.stand_downs)})
        return flown, scenario.model_copy(update={
            "operations": run_ops, "assembly": assembly,
            "free_flyers": scenario.free_flyers.model_copy(update={"deployments": deployments}),
            "crew_visits": kept["crew"], "cargo_visits": kept["cargo"], "commands": commands,
            "crew_series": [], "cargo_series": [], "cargo_demand": [],
        })

    flown, out.scenario, left = agree_with_planner(fly, out.station)
    out.events.extend(flown.events)
    out.events.extend(left)
    lost, dropped = flown.cargo_lost, flown.dropped
    if mc.crew_launch_slip_days is not None:
        inputs["crew_slip_days_mean"] = float(crew_slip.mean()) if len(crew) else 0.0
    if mc.cargo_launch_slip_days is not None:
        inputs["cargo_slip_days_mean"] = float(cargo_slip.mean()) if len(cargo) else 0.0
    if mc.cargo_ship_failure is not None:
        inputs["cargo_ships_lost"] = float(lost)
    if mc.crew_launch_abort is not None:
        inputs["crew_launch_aborts"] = float(flown.crew_aborted)
    if mc.cargo_ship_failure is not None or mc.crew_launch_abort is not None:
        inputs["stand_down_slips"] = float(flown.slips)
        inputs["stand_down_slip_days"] = flown.slip_days
    inputs["visits_dropped"] = float(dropped)
    inputs["crew_visits_cancelled"] = float(flown.crew_cancelled)   # the cadence kept

    out.events.extend(station_events)
    return out
