"""The station's ground track for the map view, from what the archive holds.

The archive (and a live run's telemetry) keeps the orbit's plane and size every hour
(``altitude_km``, ``raan_deg``) but not the station's phase along it. The track is therefore the analytic
circular orbit (:class:`rossim.dynamics.circular.CircularOrbit`, J2 secular drift) of that
altitude and node at the hour that starts the window, at the scenario's inclination, with the
argument of latitude set to zero (ascending node) at that hour: the latitudes reached, the
node's longitude drift and the orbit count are right; the along-track phase is not the flown
one (a live run gives the engine's own positions instead).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np

from rossim.errors import InputError

__all__ = ["ground_track", "MAX_TRACK_POINTS", "DEFAULT_INCLINATION_DEG"]

MAX_TRACK_POINTS = 20_000
DEFAULT_INCLINATION_DEG = 51.6  # ROS reference orbit (seed 000), used if the scenario is gone


def inclination_deg(info: dict[str, str]) -> float:
    """The run's inclination (``run_info.inclination_deg``, else the scenario file's), else
    51.6 deg."""
    if info.get("inclination_deg"):
        return float(info["inclination_deg"])
    try:
        from rossim.config.scenario import load_scenario
        from rossim.config.scenario_ref import find_recorded_scenario

        found = find_recorded_scenario(info.get("scenario_file"))
        if found is None:
            return DEFAULT_INCLINATION_DEG
        return float(load_scenario(found).orbit.inclination_deg)
    except Exception:  # the scenario file may not travel with the archive
        return DEFAULT_INCLINATION_DEG


def ground_track(source: Any, start_ms: int, end_ms: int, step_s: float = 30.0
                 ) -> dict[str, Any]:
    """Sub-satellite points ``[[t_ms, lat_deg, lon_deg], ...]`` every ``step_s`` seconds over
    ``[start_ms, end_ms]`` (see the module notes for what the track is). ``source`` answers
    ``orbit_at(t_ms) -> (t_ms, altitude_km, raan_deg) | None``: the last orbit sample at or
    before ``t_ms`` (else the first)."""
    from rossim.dynamics.circular import CircularOrbit

    n = int((end_ms - start_ms) / (1000.0 * step_s)) + 1
    if n > MAX_TRACK_POINTS:
        raise InputError("request", "end", end_ms, f"a window of at most {MAX_TRACK_POINTS} "
                         f"points of step {step_s} s (at most "
                         f"{MAX_TRACK_POINTS * step_s / 3600:.0f} h)")
    row = source.orbit_at(max(start_ms, source.start_ms))
    if row is None or row[1] is None:
        return {"points": [], "note": "no orbit telemetry (altitude_km, raan_deg) in this run"}
    t_anchor, alt, raan = row
    inc = inclination_deg(source.info)
    orbit = CircularOrbit(float(alt), inc, epoch=datetime.fromtimestamp(t_anchor / 1000, UTC),
                          raan_deg=float(raan or 0.0))
    t_ms = start_ms + np.arange(n) * 1000.0 * step_s
    times = [datetime.fromtimestamp(t / 1000, UTC) for t in t_ms]
    lat, lon, _ = orbit.geodetic(times)
    flyers = [f for f in getattr(source, "free_flyers", lambda: [])()  # deployed, not re-entered
              if f["deployed_ms"] <= end_ms and (f.get("reentry_ms") is None
                                                 or f["reentry_ms"] > start_ms)]
    return {"points": [[int(t), round(float(a), 3), round(float(o), 3)]
                       for t, a, o in zip(t_ms, lat, lon, strict=True)],
            "altitude_km": float(alt), "inclination_deg": inc, "free_flyers": flyers,
            "note": "analytic circular orbit of the archived altitude and node; along-track "
                    "phase not archived"}
