"""A launcher grounded after a launch failure (``operations.launcher_stand_downs``).

After a launch failure the programme grounds that rocket until the cause is found: no
uncrewed ship flies on it before ``uncrewed_until`` and no crew before the later
``crew_until`` (``logistics.stand_down_*`` in the systems catalog; ``progress-losses``,
``soyuz-launch-aborts``: after the real failures a Progress flew before the next crew, and the
later crew end stands for that; the dates alone are kept, a crew does not wait for an
uncrewed launch to have flown). A campaign writes the stand-downs of the plan's own losses here
(:mod:`rossim.campaign.dispersions`) so that the ships a run calls up keep them too
(:mod:`rossim.ops.launcher_stand_down`); a scenario may also state one by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pydantic import model_validator

from rossim.config._schema import UTCDate, _Strict

__all__ = ["FIGURES", "SOURCES", "LauncherStandDown", "after_failure", "earliest_lift_off",
           "launcher_of", "site_of"]

#: The systems catalog's ``logistics`` figures of a stand-down, by failure (``cargo``: a ship
#: lost; ``crew``: a crew launch aborted): (days to the next uncrewed launch, to the next crew).
FIGURES = {"cargo": ("stand_down_uncrewed_after_cargo_loss_days",
                     "stand_down_crew_after_cargo_loss_days"),
           "crew": ("stand_down_uncrewed_after_crew_abort_days",
                    "stand_down_crew_after_crew_abort_days")}
SOURCES = {"cargo": "progress-losses", "crew": "soyuz-launch-aborts"}


class LauncherStandDown(_Strict):
    """``launcher`` (catalog launcher id, e.g. ``"soyuz-2.1a"``) failed at ``failed`` (UTC);
    no uncrewed ship lifts off on it before ``uncrewed_until`` nor a crew before
    ``crew_until`` (both at or after ``failed``). ``cause``: free text for reports.
    ``site``: the catalog site (pad) the failed launch lifted off from, when it is a launch
    the plan does not otherwise hold (a campaign's planned launch that failed): that lift-off
    takes the pad's turnaround as any other (:mod:`rossim.station.pad_plan`,
    :mod:`rossim.ops.pad_turnaround`); None: the pad is not taken here (a failure in the run
    is a call-up's lift-off the run already counts)."""

    launcher: str
    failed: UTCDate
    uncrewed_until: UTCDate
    crew_until: UTCDate
    cause: str = ""
    site: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> LauncherStandDown:
        for name in ("uncrewed_until", "crew_until"):
            if getattr(self, name) < self.failed:
                raise ValueError(f"{name} = {getattr(self, name).isoformat()} is before "
                                 f"failed = {self.failed.isoformat()}; expected a date at or "
                                 "after the failure")
        return self

    def grounds(self, launcher: str, lift_off: dt.datetime, crewed: bool) -> dt.datetime | None:
        """The earliest lift-off allowed for a launch of ``launcher`` planned at ``lift_off``
        (UTC), or None if this stand-down does not hold it (another rocket, or a lift-off
        before the failure or after the stand-down). Another launch at the failure's own
        instant is held (the failed launch itself is never asked: it has flown)."""
        if launcher != self.launcher or lift_off < self.failed:
            return None
        until = self.crew_until if crewed else self.uncrewed_until
        return until if lift_off < until else None


def after_failure(kind: str, launcher: str, failed: dt.datetime, logistics: Any,
                  ship: str, site: str | None = None) -> LauncherStandDown | None:
    """The stand-down of ``launcher`` after ``ship``'s launch failed at ``failed`` (UTC;
    ``kind``: ``cargo`` lost or ``crew`` aborted; ``site``: its pad, see
    :class:`LauncherStandDown`), its ends from the systems catalog's ``logistics`` section
    (:data:`FIGURES`); None when the catalog gives no such figure."""
    figs = [getattr(logistics, k, None) for k in FIGURES[kind]]
    if any(f is None for f in figs):
        return None
    what = "lost at launch" if kind == "cargo" else "launch aborted"
    return LauncherStandDown(
        launcher=launcher, failed=failed,
        uncrewed_until=failed + dt.timedelta(days=float(figs[0].value)),
        crew_until=failed + dt.timedelta(days=float(figs[1].value)),
        cause=f"{ship} {what} ({SOURCES[kind]})", site=site)


def earliest_lift_off(stand_downs: Sequence[LauncherStandDown], launcher: str | None,
                      lift_off: dt.datetime, crewed: bool
                      ) -> tuple[dt.datetime, LauncherStandDown | None]:
    """``(UTC, stand-down)``: the first lift-off on or after ``lift_off`` that no stand-down
    of ``stand_downs`` grounds for a launch of ``launcher`` (crewed or not; None: never
    grounded), and the last stand-down that moved it (None when none did)."""
    t, who = lift_off, None
    while launcher is not None:
        hit = [(u, sd) for sd in stand_downs
               if (u := sd.grounds(launcher, t, crewed)) is not None]
        if not hit:
            break
        t, who = max(hit, key=lambda x: x[0])
    return t, who


def launcher_of(cat: Any, v: Any) -> str | None:
    """The launcher id of visit ``v``: its own ``launcher``, else its catalog vehicle's
    (None for a vehicle the catalog does not know: such a launch is never grounded)."""
    if v.launcher:
        return v.launcher
    spec = cat.vehicles.get(v.vehicle)
    return None if spec is None else spec.launcher


def site_of(cat: Any, v: Any) -> str | None:
    """The catalog site (pad) visit ``v`` lifts off from: its own ``site``, else its
    vehicle's launch site when it flies on the vehicle's own launcher, else its launcher's
    site (as :meth:`rossim.ops.drift_docking.DriftDocking.pad`); None for a vehicle or
    launcher the catalog does not know."""
    spec = cat.vehicles.get(v.vehicle)
    if spec is None:
        return None
    lid = v.launcher or spec.launcher
    lv = cat.launchers.get(lid)
    if lv is None:
        return None
    return v.site or (spec.launch_site if lid == spec.launcher else None) or lv.site
