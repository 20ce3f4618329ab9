"""The plan's launch failures and the stand-downs they cause (:func:`fly_plan`).

A campaign run draws, for each planned visit (:mod:`rossim.campaign.dispersions`), whether its
launch fails, then applies what the programme did after the real failures:

* **Cargo ship lost** (``cargo_ship_failure``, one draw per planned cargo visit, in visit
  order): the ship and its cargo are lost at lift-off; the same flight is re-flown
  ``logistics.cargo_reflight_days`` (70 d) later as ``"<name> (replacement)"``
  (``progress-losses``).
* **Crew launch aborted** (``crew_launch_abort``, one draw per planned crew visit, in visit
  order, from that parameter's own stream): the crew is recovered (every Soyuz abort's was:
  18a 1975, T-10-1 1983, MS-10 2018; ``soyuz-launch-aborts``) and the same visit flies again
  ``logistics.stand_down_crew_after_crew_abort_days`` (53 d: Soyuz MS-11 flew 53 days after
  MS-10's abort) later as ``"<name> (re-flown)"``.
* **Crews keep the programme's cadence.** A crew visit whose earliest lift-off (after its
  port's wait, a hold, a stand-down or its abort's re-flight) comes at or after the drawn
  lift-off (planned plus slip) of the crew that takes its place, the first crew planned to
  lift off once its own planned stay is over (a crew planned during its stay flies beside it,
  as a joint visit's second ship; a crew dropped takes no place), is not flown when that crew
  has flown or can lift off before the late one's visit would be over (then it, or a crew
  after it, flies in the slot; ``crew_cancelled``, an event line); a next crew that must wait
  longer (its own module later still) lets the late one fly. No extra flight makes up
  for a late one: after Soyuz MS-10's abort the next planned crew, MS-11, flew in its slot
  and MS-10's crew flew on MS-12, a flight of the plan (``soyuz-launch-aborts``). Before
  stop 45 a module two years late queued every crew planned meanwhile behind it and they flew
  a month apart, on cargo planned for the nominal cadence: ros-51.6 seed 2026 on fc89cba, 28
  of 200 runs sent crews home early with the food stock empty (56 critical alarms; run 31:
  four crews in a row).
* **Launcher stand-down** after each of those losses at lift-off ``t``: the rocket is grounded
  until the cause is found. Every other planned launch on the same launcher (the visit's
  ``launcher``, else its catalog vehicle's: Progress MS and Soyuz MS both ``soyuz-2.1a``, Orel
  ``angara-a5p``) lifting off after ``t`` and before the stand-down's end for its kind moves
  to that end (a slip, listed in the run's events). The ends, from the systems catalog
  (``logistics.stand_down_*``): after a cargo loss 66 d for an uncrewed launch and 82 d for a
  crew (``progress-losses``: M-28M flew 66 days after M-27M's loss, Soyuz TMA-22 82 days
  after M-12M's); after a crew abort 36 d uncrewed and 53 d crewed (``soyuz-launch-aborts``:
  Progress MS-10 and Soyuz MS-11 after MS-10's abort). A figure absent from the catalog
  means no stand-down of that kind (and a crew re-flown at the abort itself).

Launches are taken in lift-off order, each at the first date its port allows
(:class:`rossim.campaign.plan_ports.PlanPorts`: a visit waits for its port's module to dock and
for its port to clear, a cargo ship may take the port it can first dock at for its whole stay,
after the visit of a crew still to fly there) and no stand-down grounds it;
a launch is drawn to fail only then, at the date it lifts off. So a launch moved by a port's
wait or a stand-down and drawn to fail fails at its new date and grounds the launches after it
(chained losses); the draws themselves stay one per visit, in visit order, whatever the order
of lift-offs (deterministic). A lost or aborted ship takes no port. The replacement cargo ship
and the re-flown crew are not drawn again (as before for the cargo replacement), but ports and
stand-downs hold them as any launch; a launch pushed past the span's end is dropped. Each
stand-down is written to the run's scenario (``operations.launcher_stand_downs``,
:class:`rossim.config.stand_down.LauncherStandDown`) so that the ships the run calls up keep it
too.

Limits: a launcher is the catalog's launcher id: one id, one rocket (a Soyuz-2.1a loss does
not ground the Soyuz-2.1b, nor an Angara-A5 one the Angara-A5P). Assembly (module) launches
are out of scope: they neither ground nor are grounded here (a failed module launch already
delays the modules after it, :mod:`rossim.campaign.dispersions`). Stand-downs a scenario
states by hand are kept in the run's scenario but not applied to the plan here (the nominal
planner does not apply them either). Times are the planned lift-offs with their drawn slips
and port waits, and the ``holds`` and ``fail_at`` the planner gives (below); the in-plane
window and the pad turnaround the run's planner adds come after
(:mod:`rossim.station.pad_plan`).
The lost or aborted launch took its pad: its stand-down names the ``site``
(:func:`rossim.config.stand_down.site_of`), and the planner and the run keep the pad's
turnaround after it (:mod:`rossim.station.pad_plan`, :mod:`rossim.ops.pad_turnaround`). It
keeps the date the draw gives it, which the planner does not move. A first estimate: a
launch drawn to fail waits until its pad's turnaround plus a day has passed since every
lift-off already taken from its pad, and until its port's module and the ship before it are
there as the planner will slip them for the module's pad turnaround
(:meth:`rossim.campaign.plan_ports.PlanPorts.fail_clear`). The planner's other slips, chains
through the visits (a Progress waiting for a slipped module pushes the next crew from its pad,
which pushes the crew after it at its port), are not known here:
:func:`rossim.campaign.dispersions.draw_run` then asks the run's planner where each failed
launch would have flown (``fail_at``: its own slot, behind the launches planned before it at
its port and pad, on its window) and which launches it moves where the plan could not fly
(``holds``: a lift-off moved into a stand-down, more crew aboard than berths), and flies the
plan again with them.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rossim.campaign.plan_ports import PlanPorts
from rossim.config.scenario import Visit
from rossim.config.stand_down import (
    FIGURES,
    LauncherStandDown,
    after_failure,
    earliest_lift_off,
    launcher_of,
    site_of,
)

__all__ = ["LaunchKey", "PlanFlights", "fly_plan", "launcher_of"]   # launcher_of: rossim.config.stand_down


#: A launch of the plan: ``(visit order, 0)`` for a planned visit (crews first, then cargo
#: ships, as :func:`fly_plan` takes them), ``(visit order, 1)`` for its replacement or re-flight.
LaunchKey = tuple[int, int]


@dataclass
class PlanFlights:
    """What :func:`fly_plan` gives: ``planned`` (lift-off UTC, ``"crew"``/``"cargo"``,
    visit with that lift-off and the port and stay its port allows), sorted by lift-off then
    visit order, and ``keys``, each one's :data:`LaunchKey` in the same order; ``failures``:
    ``(visit order, lift-off UTC, name)`` of each launch lost or aborted, in the order they
    happened; ``stand_downs`` in failure order; the counts of cargo ships lost, crew
    launches aborted, launches a stand-down moved and the total of those moves (days), of
    visits dropped (no port, or past the span's end) and of crew visits not flown to keep the
    programme's cadence (``crew_cancelled``); ``events``: one line per loss, per move, per
    hold, per port change, per drop and per crew not flown."""

    planned: list[tuple[dt.datetime, str, Visit]] = field(default_factory=list)
    keys: list[LaunchKey] = field(default_factory=list)
    failures: list[tuple[int, dt.datetime, str]] = field(default_factory=list)
    stand_downs: list[LauncherStandDown] = field(default_factory=list)
    cargo_lost: int = 0
    crew_aborted: int = 0
    crew_cancelled: int = 0
    slips: int = 0
    slip_days: float = 0.0
    dropped: int = 0
    events: list[str] = field(default_factory=list)

    def moved(self, label: str, launcher: str | None, days: float, t: dt.datetime) -> None:
        """Count and list a launch stand-downs moved by ``days`` in all, now lifting off at
        ``t`` (which may include port waits and holds besides: those days are not counted)."""
        self.slips += 1
        self.slip_days += days
        self.events.append(f"{label}: launch moved {days:.0f} d by the {launcher} "
                           f"stand-down, lifts off {t.date()}")


def _days(x: float) -> dt.timedelta:
    return dt.timedelta(days=float(x))


def _fig(logistics: Any, name: str) -> float:
    f = getattr(logistics, name, None)
    return 0.0 if f is None else float(f.value)


def fly_plan(crew: Sequence[tuple[dt.datetime, Visit, bool]],
             cargo: Sequence[tuple[dt.datetime, Visit, bool]],
             cat: Any, logistics: Any, span_end: dt.datetime,
             events: list[str] | None = None,
             ports: PlanPorts | None = None,
             holds: Mapping[LaunchKey, tuple[dt.datetime, str]] | None = None,
             fail_at: Mapping[int, dt.datetime] | None = None,
             flies: frozenset[int] = frozenset(),
             keep_cadence: bool = True) -> PlanFlights:
    """The plan's launches after its port waits, failures and stand-downs (module docstring).

    ``crew`` / ``cargo``: per planned visit, in visit order, its lift-off (UTC, with its
    drawn slip), the visit and whether its launch is drawn to fail (crew abort / cargo
    loss). ``cat``: the catalog (launchers of the vehicles); ``logistics``: the systems
    catalog's ``logistics`` section (``cargo_reflight_days``, ``stand_down_*``, days).
    ``events``: the list the event lines are appended to (the run's; default a new one).
    ``ports``: the run's ports (:class:`rossim.campaign.plan_ports.PlanPorts`, changed: it
    books the port of every ship that flies); ``None``: ports not checked. A launch past
    ``span_end`` (UTC) is dropped. What :func:`rossim.campaign.dispersions.draw_run` learns
    from the run's planner (:mod:`rossim.campaign.plan_checks`): ``holds``, launch ->
    (earliest lift-off UTC, why): a launch held is taken again at that time, as a port's
    wait; ``fail_at``, visit order -> the lift-off (UTC) at which a launch drawn to fail
    fails, the one the planner gives it were it flown (its port, pad and window), with no
    port wait of its own (a stand-down in force then still moves it to its end); ``flies``: visit orders of launches drawn to fail that fly
    instead (to ask the planner where they would lift off). ``keep_cadence``: a crew whose
    slot has passed is not flown (module docstring); ``False`` flies every crew however late,
    queued behind its port (the draw before stop 45, kept for the tests of such queues).
    Visit order: the index in ``crew + cargo``. Pure function of its arguments but for ``events`` and ``ports``."""
    out = PlanFlights(events=[] if events is None else events)
    holds = holds or {}
    fail_at = fail_at or {}
    reflight = _fig(logistics, "cargo_reflight_days")
    reflown = _fig(logistics, FIGURES["crew"][1])   # the crew flies again when it may
    # heap of (lift-off, visit order, generation (0 planned, 1 re-flown), kind, visit, drawn
    # to fail, days stand-downs moved it); the order is the one the planned list had before
    # (crews, then cargo ships)
    heap: list[tuple[dt.datetime, int, int, str, Visit, bool, float]] = []
    for k, (kind, t, v, fails) in enumerate(
            [("crew", *c) for c in crew] + [("cargo", *c) for c in cargo]):
        heap.append((t, k, 0, kind, v, bool(fails) and k not in flies, 0.0))
    heapq.heapify(heap)
    if ports is not None:    # each crew's port is held for it from its earliest docking
        for t, k, _gen, kind, v, fails, _moved in heap:   # (the planner's hold or pin known)
            if kind == "crew":
                pin = fail_at.get(k) if fails else None
                ports.need(k, max(t, pin or holds.get((k, 0), (t, ""))[0]), v)

    # the programme's cadence: a crew visit's slot ends at the drawn lift-off of the crew
    # that takes its place (module docstring); a crew dropped takes no place
    crew_t = sorted((c[0], k) for k, c in enumerate(crew))
    # a crew that cannot fly is known from the start: its port's module is not flown (it is
    # dropped: PlanPorts.place), or its drawn lift-off is past the span's end (campaign run
    # 107 on 2dbeacd cancelled its one flyable crew against an Orel crew dropped later, and
    # re-entered in a free drift no crew could be called up for)
    not_flying: set[int] = {k for k, (t, v, _f) in enumerate(crew) if t > span_end
                            or (ports is not None and not ports.module_flown(v.port))}
    flew: set[int] = set()
    earliest = {k: c[0] for k, c in enumerate(crew)}   # crew -> the lift-off it waits for

    def next_crew(k: int) -> tuple[dt.datetime, int] | None:
        ends = crew[k][0] + _days(crew[k][1].duration_days)
        for t, j in crew_t:
            if t >= ends and j not in not_flying:
                return t, j
        return None

    def slot_passed(k: int, t: dt.datetime) -> tuple[dt.datetime, int] | None:
        """The crew taking crew ``k``'s place when ``k``, lifting off at ``t``, is past its
        slot: ``t`` is past the middle of the gap the plan leaves between ``k``'s return and
        the next crew's drawn lift-off, and that crew has flown or can lift off by its own
        date or before ``k``'s visit would be over (not one that waits longer for its own
        reasons: ``k`` flies then)."""
        nxt = next_crew(k)
        if nxt is None:
            return None
        stay = _days(crew[k][1].duration_days)
        gap = max(nxt[0] - (crew[k][0] + stay), dt.timedelta(0))
        if t < nxt[0] - gap / 2:
            return None
        j = nxt[1]
        return nxt if j in flew or earliest[j] <= max(t + stay, nxt[0]) else None

    def push(entry: tuple[dt.datetime, int, int, str, Visit, bool, float]) -> None:
        heapq.heappush(heap, entry)
        if entry[3] == "crew":
            earliest[entry[1]] = entry[0]
            if ports is not None:   # its port is needed from then on
                ports.need(entry[1], entry[0], entry[4])

    def gone(k: int, kind: str, flown: bool = False) -> None:  # flown or dropped: its port
        if kind == "crew":                                       # no longer held
            (flew if flown else not_flying).add(k)
            if ports is not None:
                ports.needed(k)

    planned: list[tuple[dt.datetime, str, Visit, LaunchKey]] = []
    while heap:
        t, k, gen, kind, v, fails, moved = heapq.heappop(heap)
        label = v.name or v.vehicle
        nxt = slot_passed(k, t) if kind == "crew" and keep_cadence else None
        if nxt is not None:     # its slot has passed: the next crew flies in it
            gone(k, kind)
            out.crew_cancelled += 1
            j = crew[nxt[1]][1]
            out.events.append(f"crew {label}: not flown: its earliest lift-off "
                              f"{t:%Y-%m-%d} is past the next crew's ({j.name or j.vehicle}, "
                              f"{nxt[0]:%Y-%m-%d}): the programme keeps its cadence")
            continue
        pinned = fail_at.get(k) if fails else None
        held = pinned or holds.get((k, gen), (None, ""))[0]
        if held is not None and t < held:   # the planner's ports, pads, berths hold it
            push((held, k, gen, kind, v, fails, moved))
            why = (holds[(k, gen)][1] if pinned is None
                   else "its lift-off in the planner's plan" if held <= span_end
                   else "the planner does not fly it in the span")
            out.events.append(f"{label}: lift-off held to {held:%Y-%m-%d %H:%M} ({why})")
            continue
        if t > span_end:
            gone(k, kind)
            out.dropped += 1
            out.events.append(f"{label}: slips past the span's end")
            continue
        placed = ports.place(t, kind, v) if ports is not None and pinned is None else None
        if placed is not None and placed.dropped:
            gone(k, kind)
            out.dropped += 1
            out.events.append(placed.dropped)
            continue
        if placed is not None and placed.launch > t:   # waits for its port: taken again
            push((placed.launch, k, gen, kind, v, fails, moved))   # then
            out.events.extend(placed.waits)
            continue
        lv = launcher_of(cat, v)
        until, by = earliest_lift_off(out.stand_downs, lv, t, kind == "crew")
        if by is not None:      # taken again at the stand-down's end (a later loss may
            push((until, k, gen, kind, v, fails,   # ground it again)
                                  moved + (until - t).total_seconds() / 86400.0))
            continue
        if fails and ports is not None and pinned is None:   # a failed launch keeps its
            clear = ports.fail_clear(t, v)    # date: it fails where the planner would have
            if clear > t:                     # flown it
                push((clear, k, gen, kind, v, fails, moved))
                continue
        # it lifts off at t (flown or failed: its pad is taken either way)
        if ports is not None:
            ports.lifted(t, v, failed=fails)
        if moved:
            out.moved(label, lv, moved, t)
        if not fails:
            update: dict[str, Any] = {"launch": t}
            if placed is not None:
                ports.take(t, v, placed)     # type: ignore[union-attr]
                out.events.extend(placed.notes)
                update.update(placed.update)
            planned.append((t, kind, v.model_copy(update=update), (k, gen)))
            gone(k, kind, flown=True)
            continue
        out.failures.append((k, t, label))
        if kind == "cargo":   # its cargo is lost; the next ship in production flies instead
            out.cargo_lost += 1
            again = t + _days(reflight)
            out.events.append(f"cargo ship {label} lost at launch; a replacement flies "
                              f"{again.date()}")
            name = f"{label} (replacement)"
        else:                 # the crew is recovered and flies again after the stand-down
            out.crew_aborted += 1
            again = t + _days(reflown)
            out.events.append(f"crew {label}: launch aborted {t.date()}, crew recovered; "
                              f"re-flown {again.date()}")
            name = f"{label} (re-flown)"
        # the replacement / re-flight is not drawn again (fails=False)
        push((again, k, 1, kind, v.model_copy(update={"name": name}), False,
                              0.0))
        # the failed launch took its pad: the pad's turnaround holds after it too
        # (rossim.station.pad_plan, rossim.ops.pad_turnaround)
        sd = after_failure(kind, lv, t, logistics, label, site_of(cat, v)) \
            if lv is not None else None
        if sd is not None:
            out.stand_downs.append(sd)
            out.events.append(f"{lv} stood down after the "
                              f"{'loss' if kind == 'cargo' else 'launch abort'} of {label}: "
                              f"uncrewed launches from {sd.uncrewed_until.date()}, crews from "
                              f"{sd.crew_until.date()}")
    planned.sort(key=lambda x: x[0])   # stable: ties in the order they lifted off
    out.planned = [x[:3] for x in planned]
    out.keys = [x[3] for x in planned]
    return out
