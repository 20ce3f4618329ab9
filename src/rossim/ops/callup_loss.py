"""Launch failures of the ships a run calls up (:class:`CallupLoss`).

A campaign draws the planned ships' failures before the run (:mod:`rossim.campaign.
dispersions`: ``cargo_ship_failure``, re-flown ``logistics.cargo_reflight_days`` later); the
ships the run calls up itself are known only inside it: the cargo call-ups of
:mod:`rossim.ops.cargo_callup` (a spare a repair waits for, propellant) and the repair crew of
:mod:`rossim.ops.crew_callup` (a station drifting with dead computers). Each of their launches
fails with a per-launch probability of the scenario's ``operations`` section (the campaign
sets both from its ``[monte_carlo]`` section; default 0: never):

* **Cargo call-up lost** (``operations.callup_cargo_loss_probability``; the campaign's
  ``cargo_ship_failure`` p, ``progress-record``: Progress M-12M 2011, M-27M 2015 and MS-04
  2016 lost in about 90 ISS flights): at its lift-off the ship and its cargo are lost.
  Nothing is delivered (it never docks: no propellant, water, oxygen, food or spare enters a
  ledger) and it no longer counts as a ship on its way
  (:meth:`~rossim.ops.cargo_callup.CargoCallUp.next_arrival`): a ``cargo-callup`` event and a
  ``logistics`` warning alarm name it and what it was called for. The need is called again:
  each repair it was called for that still waits for a spare calls up a ship now, with the
  usual lead (after the Progress losses the next ship flew 66-83 days later:
  ``progress-losses``, the lead itself); a propellant shortage is called again by the next
  propellant re-check (every ``logistics.callup_check_days``), which no longer sees the lost
  ship coming.
* **Repair crew's launch aborted** (``operations.callup_crew_launch_abort_probability``; the
  campaign's ``crew_launch_abort``, ``soyuz-launch-aborts``: Soyuz 18a 1975, T-10-1 1983 and
  MS-10 2018 in about 157 crewed Soyuz launches, every crew recovered): at its lift-off the
  launch aborts, the crew is recovered (as MS-10's on 2018-10-11) and the station drifts on; a
  ``crew-callup`` event and a ``repair-crew`` warning alarm say so. While the station still
  drifts, the repair crew is called again through the same decision as the first call
  (:meth:`~rossim.ops.crew_callup.CrewCallUp.drift_began`: a planned crew that docks sooner
  serves, ports, berths, stay) with the lead ``free_drift.repair_crew_reflight_days`` from the
  abort (53 days, estimate: Soyuz MS-11 flew on 2018-12-03, 53 days after MS-10's abort), at
  the first allowed window on or after it; its launch is drawn again.

Draws: one uniform number per call-up launch, at the call (when its lift-off is fixed), from
the run's own streams ``callup-launch-cargo`` and ``callup-launch-crew``
(:func:`~rossim.ops.engine.model_stream`): deterministic for a seed, independent of every
other model's draws and of each other. With a probability of 0 nothing is drawn and nothing
scheduled: the run is the one it was without this module. The loss takes effect at the
lift-off (one engine event, scheduled only for a launch drawn to fail). The run summary counts
them when the probability is above 0: ``logistics.callups.lost_at_launch`` and
``logistics.crew_callups.aborted_at_launch`` (:func:`record`); each flight's ``state`` says
``lost at launch`` / ``aborted at launch: crew recovered``.

A cargo call-up whose lift-off falls while the station drifts is held on the ground
(:mod:`rossim.ops.drift_docking`): its launch's draw (made at the call, as any) applies at its
actual lift-off after the drift (:func:`released`): drawn to fail, it is lost then, with its
cargo, and its spares are called again as above. A ship of the run lost otherwise (a call-up
ship or a planned cargo ship de-orbited after loitering past its autonomous flight while the
station drifted: :mod:`rossim.ops.drift_docking`) calls its spares again the same way
(:func:`recall_spares`, :func:`plan_ship_lost`); its propellant is found missing by the next
re-check as above (a de-orbited ship is no longer on its way).

A call-up stood down before its lift-off (its spares brought by another ship:
:mod:`rossim.ops.callup_stand_down`) is never launched, so never lost; a held one's draw is
dropped.

Limits: a call-up ship whose lift-off fell in a drift that ended before its docking docks as
planned (:mod:`rossim.ops.drift_docking`), its draw not applied; a repair crew's re-flight
after an abort follows the first call's rules only (no spare crew or ship count).
A loss or abort grounds its launcher (:mod:`rossim.ops.launcher_stand_down`, hook :func:`rossim.ops.launcher_stand_down.failed`): the ships the run
calls up after it and the plan's ships not yet lifted off on the same rocket lift off after
the stand-down (66 days for uncrewed ships and 82 for crews after a cargo loss,
``progress-losses``; 36 and 53 after a crew abort, ``soyuz-launch-aborts``); after an abort
the re-call is decided before the plan's ships are held (a planned crew docking sooner serves,
flying after the stand-down). The plan's own losses (planned ships lost, planned crews
aborted) are drawn before the run and ground the plan there (:mod:`rossim.campaign.
plan_failures`), written to ``operations.launcher_stand_downs``, which the call-ups keep.
"""

from __future__ import annotations

from typing import Any

from rossim.ops import launcher_stand_down
from rossim.ops.callup_stand_down import stood_down
from rossim.ops.engine import model_stream

__all__ = ["CallupLoss", "of", "cargo_launch", "crew_launch", "released", "recall_spares",
           "plan_ship_lost", "count", "record", "LOST", "ABORTED"]

#: ``state`` of a cargo call-up lost at launch and of a repair crew whose launch aborted.
LOST = "lost at launch"
ABORTED = "aborted at launch: crew recovered"
DAY_S = 86400


class CallupLoss:
    """The call-up launch draws of ``sim`` (a :class:`~rossim.ops.simulation.Simulation` or
    the reliability-only replay): ``p_cargo`` and ``p_crew`` (per-launch probabilities, from
    the scenario's ``operations``); ``draws`` counts the draws made per kind."""

    def __init__(self, sim) -> None:
        self.sim = sim
        ops = sim.scenario.operations
        self.p_cargo = float(getattr(ops, "callup_cargo_loss_probability", 0.0))
        self.p_crew = float(getattr(ops, "callup_crew_launch_abort_probability", 0.0))
        self.rngs: dict[str, Any] = {}
        self.draws: dict[str, int] = {"cargo": 0, "crew": 0}
        #: cargo call-ups drawn to fail but held on the ground by a drift: name -> probability
        self.held: dict[str, float] = {}

    def fails(self, kind: str) -> bool:
        """Draw whether the launch of a ``kind`` (``cargo`` or ``crew``) call-up fails; no
        draw when its probability is 0."""
        p = self.p_cargo if kind == "cargo" else self.p_crew
        if p <= 0.0:
            return False
        if kind not in self.rngs:
            self.rngs[kind] = model_stream(self.sim.seed, f"callup-launch-{kind}")
        self.draws[kind] += 1
        return bool(self.rngs[kind].random() < p)

    # -- cargo ------------------------------------------------------------------------------------
    def cargo_lost(self, callup, flight: dict[str, Any], p: float) -> None:
        """Lift-off of cargo call-up ``flight`` drawn to fail with probability ``p``
        (module docstring)."""
        sim, eng = self.sim, self.sim.engine
        if stood_down(flight):   # its reasons served before its lift-off: not launched
            return
        if sim.outcome != "completed":
            flight["state"] = "not flown: " + sim.outcome
            return
        aut = getattr(sim, "autonomy", None)
        if getattr(sim, "drift_docking", None) is not None \
                and getattr(aut, "drift_since", None) is not None:
            # the station drifts: the ship is held on the ground, not launched now
            # (rossim.ops.drift_docking); the loss applies at its lift-off after the drift
            self.held[flight["name"]] = p
            eng.schedule(flight["arrival_s"], lambda e: callup._arrive(flight, 0),
                         "cargo call-up")
            return
        name = flight["name"]
        flight["state"], flight["lost"] = LOST, sim.iso(eng.now_s)
        why = "; ".join(flight["reasons"])
        cause = (f"launch failure of {name} ({callup.launcher.name_en} from "
                 f"{callup.site.name_en}, {p:g} per launch: "
                 f"operations.callup_cargo_loss_probability; as Progress M-12M 2011, M-27M "
                 f"2015 and MS-04 2016, progress-losses): ship and cargo lost, nothing "
                 f"delivered; called for: {why}")
        sim.event("cargo-callup", name, f"lost at launch: {cause}; the need is called again "
                  "(a spare now, propellant at the next re-check)", "warning", source="ground")
        sim.alarm("logistics", f"{name} lost at launch", "warning", cause,
                  key=f"callup-lost-{name}")
        dd = getattr(sim, "drift_docking", None)   # a ship held by a drift: its record says so
        if dd is not None and name in dd.ships:
            dd.ships[name]["state"] = LOST
        launcher_stand_down.failed(sim, callup.launcher.id, "cargo", name, cause)  # grounded
        recall_spares(callup, flight["name"], flight["reasons"], "lost at launch")

    # -- repair crew ------------------------------------------------------------------------------
    def crew_aborted(self, crew, flight: dict[str, Any], fault, p: float) -> None:
        """Lift-off of repair-crew ``flight`` drawn to abort with probability ``p`` (module
        docstring); ``fault`` the fault the crew was called for (the control computer that
        began the drift, or a unit a safe mode waits for: :mod:`rossim.ops.safe_mode_callup`)."""
        from rossim.config.free_drift import load_free_drift
        from rossim.ops import safe_mode_callup

        sim, eng = self.sim, self.sim.engine
        if sim.outcome != "completed" or flight["state"] != "on its way":
            return  # the record says "not flown" (the run ended, or stood down: ops.crew_callup)
        name = flight["name"]
        drift = flight.get("approach") == "manual"
        flight["state"], flight["aborted"] = ABORTED, sim.iso(eng.now_s)
        again = load_free_drift().repair_crew_reflight_days
        text = (f"launch aborted ({flight['launcher']} from {flight['site']}, "
                f"{p:g} per launch: operations.callup_crew_launch_abort_probability);"
                " the crew is recovered, as Soyuz MS-10's on 2018-10-11 (soyuz-launch-aborts);"
                " the station " + ("drifts on" if drift else "stays in safe mode"))
        if again is None:
            text += "; no re-flight (free_drift.repair_crew_reflight_days not given)"
        elif not safe_mode_callup.still_needed(sim, flight):
            text += "; no re-flight: the " + ("drift" if drift else "safe mode") + " has ended"
        else:
            text += (f"; the repair crew is called again, lifting off no earlier than "
                     f"{again.value:g} days after the abort (Soyuz MS-11 flew 53 days after "
                     f"MS-10: free_drift.repair_crew_reflight_days, estimate)")
        sim.event("crew-callup", name, text, "warning", source="ground")
        sim.alarm("repair-crew", f"{name}: launch aborted", "warning",
                  f"{text}; {flight['cause']}", key="repair-crew-abort")
        grounded = launcher_stand_down.failed(  # hook: the rocket grounded (its ships after
            sim, flight["launcher"], "crew", name, f"{text}; {flight['cause']}", hold_ships=False)
        if again is None or not safe_mode_callup.still_needed(sim, flight):
            return launcher_stand_down.hold(sim, grounded)
        n = len(crew.flights)
        crew.call_again(flight, fault, (again.value, "soyuz-launch-aborts"),
                        f"{flight['cause']}; {name}'s launch aborted {flight['aborted'][:10]}")
        if len(crew.flights) > n:
            flight["reflown_as"] = crew.flights[-1]["name"]
            crew.flights[-1]["reflight_of"] = name
        # the plan's ships on the rocket held after the re-call: a planned crew that docks
        # sooner than a re-flight serves, flying after the stand-down (as Soyuz MS-11 did)
        launcher_stand_down.hold(sim, grounded)


def of(sim) -> CallupLoss:
    """``sim``'s :class:`CallupLoss` (made at its first call-up, kept as ``sim.callup_loss``)."""
    m = getattr(sim, "callup_loss", None)
    if m is None:
        m = sim.callup_loss = CallupLoss(sim)
    return m


def cargo_launch(callup, flight: dict[str, Any]) -> bool:
    """Hook of :meth:`rossim.ops.cargo_callup.CargoCallUp.call_up` once ``flight``'s lift-off
    is fixed: True when its launch is drawn to fail (the loss is then scheduled at its
    lift-off and the caller schedules no arrival); False (nothing scheduled) otherwise."""
    m = of(callup.sim)
    p = m.p_cargo
    if not m.fails("cargo"):
        return False
    callup.sim.engine.schedule(flight["times_s"][0],
                               lambda e: m.cargo_lost(callup, flight, p), "call-up launch")
    return True


def released(callup, flight: dict[str, Any]) -> bool:
    """Hook of :meth:`rossim.ops.drift_docking.DriftDocking._release_callup` once the held
    cargo call-up ``flight``'s lift-off after the drift is fixed (``times_s[0]``): True when
    its launch was drawn to fail at the call (the loss is then scheduled at that lift-off and
    the caller schedules no arrival); False (nothing scheduled) otherwise. No new draw: one
    draw per ship, at its call."""
    m = getattr(callup.sim, "callup_loss", None)
    p = m.held.pop(flight["name"], None) if m is not None else None
    if p is None:
        return False
    callup.sim.engine.schedule(flight["times_s"][0],
                               lambda e: m.cargo_lost(callup, flight, p), "call-up launch")
    return True


def recall_spares(callup, ship: str, reasons: list[str] | None, how: str) -> None:
    """Cargo ship ``ship`` is lost (``how``: ``lost at launch``, ``de-orbited``...) with its
    cargo: each repair that still waits for a spare and counted on it calls up a ship again
    now, with the usual lead (:meth:`~rossim.ops.cargo_callup.CargoCallUp.call_up`, which
    finds a ship docking sooner if there is one). ``reasons``: a call-up ship's reasons (the
    repairs it was called for or joined); None for a planned ship (its spares are packed at
    docking for every waiting repair, :meth:`rossim.ops.repairs.RepairsMixin.cargo_docked`:
    every waiting repair that no call-up ship on its way or held carries)."""
    rel = callup.sim.reliability
    coming = None
    if reasons is None:   # a planned ship: the repairs no call-up ship on its way carries
        coming = [r for fl in callup.flights if fl["state"] == "on its way"
                  or fl["state"].startswith("held") for r in fl["reasons"]]
    for f, comp in list(rel.spares.waiting):
        if f.repaired_at is not None or not rel.attached(f.module):
            continue
        head = f"fault #{f.id} {comp.id} waits for a spare"
        if coming is None and not any(r.startswith(head) for r in reasons):
            continue   # a call-up ship: only the repairs it carried a spare for
        if coming is not None and any(r.startswith(head) for r in coming):
            continue
        callup.call_up("spare", f"{head} (called again: {ship} {how})", f.id)


def plan_ship_lost(sim, ship: str, vehicle: str) -> None:
    """Hook of :meth:`rossim.ops.drift_docking.DriftDocking._retry`: the planned ship
    ``ship`` (catalog ``vehicle``) is de-orbited with its cargo; a cargo ship's spares are
    called again (:func:`recall_spares`)."""
    callup = getattr(sim, "cargo_callup", None)
    if callup is None or not callup.enabled \
            or sim.timeline.catalog.vehicles[vehicle].kind != "cargo":
        return
    recall_spares(callup, ship, None, "de-orbited with its cargo")


def crew_launch(crew, flight: dict[str, Any], fault, launch_s: int) -> bool:
    """Hook of :meth:`rossim.ops.crew_callup.CrewCallUp.drift_began` once ``flight``'s
    lift-off (run second ``launch_s``) is fixed: True when its launch is drawn to abort (the
    abort is then scheduled at lift-off and the caller schedules no arrival)."""
    m = of(crew.sim)
    p = m.p_crew
    if not m.fails("crew"):
        return False
    crew.sim.engine.schedule(launch_s, lambda e: m.crew_aborted(crew, flight, fault, p),
                             "call-up launch")
    return True


def count(flights: list[dict[str, Any]]) -> int:
    """How many of ``flights`` (call-up flight records) were lost or aborted at launch."""
    return sum(1 for f in flights if f.get("state") in (LOST, ABORTED))


def record(sim, kind: str, flights: list[dict[str, Any]]) -> dict[str, int]:
    """The summary's count for the ``kind`` (``cargo`` or ``crew``) call-up record:
    ``{"lost_at_launch": n}`` (cargo) or ``{"aborted_at_launch": n}`` (crew) when the run's
    probability for that kind is above 0, else nothing (a run without launch failures keeps
    its summary as it was)."""
    ops = sim.scenario.operations
    if kind == "cargo" and getattr(ops, "callup_cargo_loss_probability", 0.0) > 0.0:
        return {"lost_at_launch": count(flights)}
    if kind == "crew" and getattr(ops, "callup_crew_launch_abort_probability", 0.0) > 0.0:
        return {"aborted_at_launch": count(flights)}
    return {}
