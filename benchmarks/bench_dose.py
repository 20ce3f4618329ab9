"""Crew dose along one year of orbit at 60 s steps (target: under 10 s).

rossim: :func:`rossim.analysis.dose.circular_orbit_dose` for 51.6 deg / 400 km, 365 days at
60 s (525,601 epochs), first call in the process (it builds the IGRF grid and the dose kernels;
the space-weather table, shared by every model, is loaded before timing and reported apart).
Peer: the straightforward way, one radbelt call per point (IGRF then AE-8/AP-8 at each of the
energies rossim tabulates), timed on 100 points of the same track and extrapolated to the year.
"""

from __future__ import annotations

import time


def run() -> list[dict]:
    from rossim.analysis.dose import circular_orbit_dose
    from rossim.dynamics.circular import CircularOrbit
    from rossim.environment.radiation.gcr import _default_weather
    from rossim.environment.radiation.trapped import (
        ELECTRON_ENERGIES_MEV,
        PROTON_ENERGIES_MEV,
        magnetic_coordinates_direct,
    )
    from rossim.time import time_grid

    t0 = time.perf_counter()
    _default_weather()
    weather_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    track = circular_orbit_dose(400.0, 51.6, date="2028-01-01", days=365.0, step_s=60.0)
    cold_s = time.perf_counter() - t0
    n = track.t.size
    t0 = time.perf_counter()
    circular_orbit_dose(400.0, 51.6, date="2028-01-01", days=365.0, step_s=60.0)
    warm_s = time.perf_counter() - t0

    import radbelt

    orbit = CircularOrbit(400.0, 51.6, epoch="2028-01-01")
    t = time_grid("2028-01-01", 100 * 60.0, 60.0)[:100]
    lat, lon, alt = orbit.geodetic(t)
    t0 = time.perf_counter()
    for i in range(lat.size):
        lval, bb0 = magnetic_coordinates_direct(lat[i], lon[i], alt[i], 1964.0)
        for e in PROTON_ENERGIES_MEV:
            radbelt.aep8(float(e), lval, bb0, "p", "min")
        for e in ELECTRON_ENERGIES_MEV:
            radbelt.aep8(float(e), lval, bb0, "e", "min")
    per_point = (time.perf_counter() - t0) / lat.size
    peer_s = per_point * n
    summary = track.summary()
    return [{
        "benchmark": "dose: 1 year of orbit at 60 s (525,601 epochs)",
        "rossim_s": cold_s, "peer": "radbelt per-point loop (100 points, extrapolated)",
        "peer_s": peer_s, "ratio": peer_s / cold_s,
        "notes": (f"target 10 s; warm call {warm_s:.2f} s; space-weather load {weather_s:.1f} s "
                  f"(once per process, not counted); peer {1e3 * per_point:.1f} ms/point; "
                  f"mean {summary['absorbed_mGy_per_day']:.3f} mGy/d; "
                  f"{'within' if cold_s < 10 else 'OVER'} target"),
    }]


if __name__ == "__main__":
    for row in run():
        print(row)
