"""The two station altitudes of a free-flyer deployment say what they are (review of
ros-2026-plan: ``min_altitude_km`` and ``free_flyers.deployments[].station_altitude_min_km``
were two quantities without a label, the second about 8 km below the first).

* ``station_altitude_start_km``: the mean semi-major axis minus the equatorial radius (the
  run's altitude channel, as the summary's ``min_altitude_km``; without a run, the scenario's
  altitude).
* ``station_altitude_min_km``: the lowest osculating ``|r| - R_eq`` of the integrated station,
  started at the node on a circle of that radius. Reference: the same start integrated here
  with the textbook J2 acceleration alone (Vallado, Fundamentals of Astrodynamics and
  Applications, 4th ed., eq. 8-30; RK4, 10 s): its radius dips by about a dozen kilometres
  within the first orbit; the model's lowest over one day (J2 and drag) agrees within 1 km.
"""

import numpy as np
import pytest

from rossim.constants import GM_EARTH_M3_S2, R_EQ_M
from rossim.dynamics.family_release import station_state_gcrf

J2 = 1.08262668e-3


def _j2_lowest_km(alt_km: float, inc_deg: float, days: float) -> float:
    """Lowest |r| - R_eq (km) of the circular start at the node under two-body + J2 (RK4)."""
    r0, v0 = station_state_gcrf(alt_km, inc_deg, 0.0)

    def f(y):
        r = y[:3]
        n = float(np.linalg.norm(r))
        k = 1.5 * J2 * GM_EARTH_M3_S2 * R_EQ_M ** 2 / n ** 5
        zz = 5.0 * r[2] ** 2 / n ** 2
        a = -GM_EARTH_M3_S2 * r / n ** 3 + k * r * np.array([zz - 1.0, zz - 1.0, zz - 3.0])
        return np.concatenate([y[3:], a])

    y, h, low = np.concatenate([r0, v0]), 10.0, np.inf
    for _ in range(int(days * 86400 / h)):
        k1 = f(y)
        k2 = f(y + h / 2 * k1)
        k3 = f(y + h / 2 * k2)
        k4 = f(y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        low = min(low, float(np.linalg.norm(y[:3])) - R_EQ_M)
    return low / 1e3


def test_deployments_name_their_two_station_altitudes():
    from rossim.config.scenario import load_scenario
    from rossim.fleet.recontact import STATION_ALTITUDES, family_recontact
    from rossim.station import build_timeline

    scen = load_scenario("ros-51.6")
    out = family_recontact(scen, timeline=build_timeline(scen), horizon_days=1.0)
    defs = out["model"]["station_altitudes"]
    assert defs == STATION_ALTITUDES
    assert "mean semi-major axis" in defs["station_altitude_start_km"]
    assert "osculating" in defs["station_altitude_min_km"]
    assert "min_altitude_km" in defs["station_altitude_min_km"]
    ref = _j2_lowest_km(scen.orbit.altitude_km, scen.orbit.inclination_deg, 1.0)
    assert scen.orbit.altitude_km - ref > 8.0        # the J2 dip, not a decay
    for d in out["deployments"]:
        assert set(defs) <= set(d)
        assert d["station_altitude_start_km"] == scen.orbit.altitude_km  # no run: the plan's
        assert d["station_altitude_min_km"] == pytest.approx(ref, abs=1.0)


def test_the_report_says_which_altitude_is_which():
    from rossim.fleet.recontact import STATION_ALTITUDES
    from rossim.report.family import ALTITUDE_LABELS, family_section

    assert set(ALTITUDE_LABELS) == {"mean_altitude_km", "min_altitude_km"}
    assert all("mean semi-major axis" in v for v in ALTITUDE_LABELS.values())
    ff = {"recontact_model": {"approach_ellipsoid_m": [2000.0, 1000.0, 1000.0],
                              "horizon_days": 90.0, "kind": "coarse-step", "step_s": 30.0,
                              "keep_out_radius_m": 200.0,
                              "station_altitudes": STATION_ALTITUDES},
          "satellites": [], "holds": [], "corridor_conflicts": [],
          "deployments": [{"deployment": 0, "station_altitude_start_km": 409.2,
                           "station_altitude_min_km": 393.3}]}
    text = "".join(family_section({"free_flyers": ff}))
    assert "deployment 1: 409.2 km at the release, lowest 393.3 km" in text
    assert "mean semi-major axis" in text and "osculating |r|" in text
