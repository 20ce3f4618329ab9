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

from pydantic import model_validator

from rossim.config._schema import UTCDate, _Strict

__all__ = ["LauncherStandDown"]


class LauncherStandDown(_Strict):
    """``launcher`` (catalog launcher id, e.g. ``"soyuz-2.1a"``) failed at ``failed`` (UTC);
    no uncrewed ship lifts off on it before ``uncrewed_until`` nor a crew before
    ``crew_until`` (both at or after ``failed``). ``cause``: free text for reports."""

    launcher: str
    failed: UTCDate
    uncrewed_until: UTCDate
    crew_until: UTCDate
    cause: str = ""

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
        at or before the failure (the failed launch itself) or after the stand-down)."""
        if launcher != self.launcher or lift_off <= self.failed:
            return None
        until = self.crew_until if crewed else self.uncrewed_until
        return until if lift_off < until else None
