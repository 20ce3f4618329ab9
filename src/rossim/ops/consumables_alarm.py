"""Whether a consumables-margin crossing at the end of a crew's stay is an alarm.

The margin (:meth:`rossim.ops.life_support.ConsumablesModel.margin_days`: the days the stocks
last a crew of max(aboard, 2)) is a contingency reserve: ``life_support.reserve_days`` (45,
ISS practice) for the crew aboard, half of it (``critical_reserve_days``) the level at which
the ground must act (a ship, or the crew's early return). A crossing in a crew's last days
asks nothing of the ground when both hold (:func:`departure_waiver`):

* the crew aboard leave, by the plan, before the stocks could run out at the margin's rate:
  their remaining stay is shorter than the margin; and
* a cargo ship docks (planned, held on the ground by a stand-down, or a call-up on its way:
  :meth:`rossim.ops.cargo_callup.CargoCallUp.next_arrival`) before the next crew docks, the
  ship that brings the reserve the next crew needs (the next crew's own ship also tops its
  water and food up to the reserve: :mod:`rossim.station.crew_cargo`).

Then the crossing is an info event, not an alarm ("... at the end of the crew's stay: no
alarm (...)"), and the model re-arms at the next crew's arrival
(``ConsumablesModel.rearm_at_next_crew``): a next crew that docks to stocks still below the
reserve gets the alarm. Before, ``rossim run ros-97`` warned "44.9 days for 2 crew" on
2031-10-02 19:56 with Orel #7 undocking 4 hours later and Progress MS #3 docking before the
next crew, and ros-51.6 on 2028-07-23 (crew leaving 07-31) and 2034-01-30 (leaving 01-31)
(tests/ops/test_consumables_departure.py). A crossing with the crew staying longer than the
margin, or with no cargo ship before the next crew, is the alarm as before.
"""

from __future__ import annotations

import datetime as dt
import math

from rossim.time import to_datetime

__all__ = ["crew_stay_end", "departure_waiver"]


def crew_stay_end(timeline, now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    """``(out, back)``: the first time after ``now`` the plan has no crew aboard (None: a
    crew stays to the end of the plan) and the first time after ``out`` a crew is aboard
    again (None: none in the plan)."""
    out = back = None
    for ph in timeline.phases:
        if ph.end <= now:
            continue
        crew = timeline.properties[ph.index].crew_aboard
        if out is None:
            if crew == 0 and ph.start > now:
                out = ph.start
        elif crew > 0:
            back = ph.start
            break
    return out, back


def departure_waiver(sim, margin_days: float) -> str | None:
    """Why a margin of ``margin_days`` crossing a threshold now asks nothing of the ground
    (module docstring), or None when it is an alarm."""
    out, back = crew_stay_end(sim.timeline, sim.now)
    if out is None:
        return None
    stay_d = (out - sim.now).total_seconds() / 86400.0
    if stay_d >= margin_days:
        return None
    cargo = getattr(sim, "cargo_callup", None)
    nxt = cargo.next_arrival() if cargo is not None else None
    if nxt is None:
        return None
    ship_at = to_datetime(sim.engine.epoch(nxt[0]))
    if back is not None and ship_at >= back:
        return None
    then = (f", before the next crew on {back:%Y-%m-%d}" if back is not None
            else "; no crew after it in the plan")
    days = math.floor(margin_days * 10.0) / 10.0   # as the alarm's cause: never rounded up
    return (f"the crew leaves {out:%Y-%m-%d %H:%M} UTC, in {stay_d:.1f} days, with stocks for "
            f"{days:.1f} days; {nxt[1]} docks {ship_at:%Y-%m-%d}{then}")
