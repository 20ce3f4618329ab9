"""Predicted against observed orbit decay from a TLE history.

The observed decay between two reboosts is the slope of the TLEs' mean altitude (SGP4's Brouwer
mean semi-major axis minus the WGS84 equatorial radius) over the interval, fitted by least
squares (TLE mean motion is noisy at the 100 m level). The prediction is a numerical
propagation (:func:`rossim.dynamics.propagator.propagate`: J2 and NRLMSISE-00 drag with the
historical space weather of those days) from the SGP4 state at the interval's first TLE to its
last, with the vehicle's ballistic data; its semi-major axis is averaged over one revolution at
each end, which removes the short-period J2 terms.

Reboosts (and other manoeuvres) show as jumps of the mean altitude; intervals shorter than
``min_days`` are skipped, and the TLE next to each jump is dropped on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from astropy.time import Time

from rossim.constants import GM_EARTH_M3_S2, R_EQ_KM

MU_M3_S2 = GM_EARTH_M3_S2


@dataclass(frozen=True)
class DecayInterval:
    start: str             # UTC ISO
    days: float
    observed_km: float     # altitude loss fitted to the TLEs
    predicted_km: float    # altitude loss of the propagation

    @property
    def ratio(self) -> float:
        return self.predicted_km / self.observed_km


def decay_check(tles: list[Any], *, cd: float, area_m2: float, mass_kg: float,
                weather: Any = None, jump_km: float = 0.3, min_days: float = 7.0,
                gravity: str = "j2") -> list[DecayInterval]:
    """Compare predicted and observed decay over each reboost-free interval of ``tles``
    (a list of :class:`rossim.files.tle.TLE` of one object)."""
    from rossim.dynamics import tle as tle_mod
    from rossim.dynamics.forces import ForceModel
    from rossim.dynamics.propagator import propagate
    from rossim.environment.spaceweather import default_weather

    weather = weather or default_weather()
    epochs = np.array([t.epoch.utc.jd for t in tles])
    order = np.argsort(epochs)
    tles = [tles[i] for i in order]
    epochs = epochs[order]
    alt = np.array([t.satrec.a * t.satrec.radiusearthkm - R_EQ_KM for t in tles])
    jumps = np.flatnonzero(np.diff(alt) > jump_km)
    bounds = [0, *list(jumps + 1), len(tles)]
    forces = ForceModel(gravity=gravity, drag="nrlmsise00", weather=weather, cd=cd,
                        area_m2=area_m2, mass_kg=mass_kg)
    out: list[DecayInterval] = []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        i0, i1 = a + 1, b - 2
        if i1 - i0 < 4 or epochs[i1] - epochs[i0] < min_days:
            continue
        days = float(epochs[i1] - epochs[i0])
        slope = np.polyfit(epochs[i0:i1 + 1] - epochs[i0], alt[i0:i1 + 1], 1)[0]
        observed = -slope * days
        t0 = Time(epochs[i0], format="jd", scale="utc")
        st = tle_mod.propagate([tles[i0]], t0.reshape((1,)), frame="GCRF")
        r0, v0 = np.asarray(st.r_m)[0, 0], np.asarray(st.v_m_s)[0, 0]
        traj = propagate(r0, v0, t0, days * 86400.0, 60.0, forces=forces)
        r = np.linalg.norm(traj.r_gcrf_m, axis=1)
        v = np.linalg.norm(traj.v_gcrf_m_s, axis=1)
        sma = 1.0 / (2.0 / r - v * v / MU_M3_S2)
        per_rev = int(round(2 * np.pi * np.sqrt(sma[0] ** 3 / MU_M3_S2) / 60.0))
        predicted = (sma[:per_rev].mean() - sma[-per_rev:].mean()) / 1e3
        out.append(DecayInterval(t0.isot[:16] + "Z", days, float(observed), float(predicted)))
    return out
