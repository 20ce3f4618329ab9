"""The shadow search (:func:`rossim.environment.eclipse.eclipse_intervals`) against Orekit's
EclipseDetector on one day of the two-body ISS orbit (``tests/data/orekit/eclipse.json`` and
``twobody.json``). Asserted in ``tests/environment/test_eclipse.py``."""

from __future__ import annotations

from typing import Any

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.validation._data import read_json

__all__ = ["eclipse_differences_vs_orekit"]


def eclipse_differences_vs_orekit(ecl: dict[str, Any] | None = None,
                                  tb: dict[str, Any] | None = None) -> dict[str, Any]:
    """rossim's umbra/penumbra entry and exit times against Orekit's EclipseDetector.

    ``ecl``, ``tb``: the eclipse and two-body fixtures (read from ``tests/data/orekit`` when
    None). The trajectory is re-integrated (scipy DOP853, point mass, the fixture's GM and
    initial GCRF state). Returns ``trajectory_m`` (largest position difference to the
    fixture's states) and, per shadow, ``entry_s``/``exit_s`` (|rossim - Orekit| of each
    event, s; None when the counts differ) and the counts ``n_entries``/``n_exits`` of both
    sides.
    """
    from scipy.integrate import solve_ivp

    from rossim.environment.eclipse import eclipse_intervals

    ecl = read_json("orekit", "eclipse.json") if ecl is None else ecl
    tb = read_json("orekit", "twobody.json") if tb is None else tb
    head = tb["header"]
    s0 = head["initial_state_gcrf"]
    gm = head["gm_m3_s2"]
    t0 = Time(s0["epoch_utc"], scale="utc")

    def rhs(_, y):
        return np.concatenate([y[3:], -gm * y[:3] / np.linalg.norm(y[:3]) ** 3])

    sol = solve_ivp(rhs, (0.0, head["duration_s"]), np.concatenate([s0["r_m"], s0["v_m_s"]]),
                    method="DOP853", rtol=1e-12, atol=1e-6, dense_output=True)
    sec = (Time(tb["epoch_utc"], scale="utc") - t0).to_value("s")
    out: dict[str, Any] = {"trajectory_m": float(np.max(np.abs(sol.sol(sec)[:3].T
                                                               - np.array(tb["r_gcrf_m"]))))}

    def traj(t):
        return sol.sol((t - t0).to_value("s"))[:3].T

    t1 = t0 + TimeDelta(head["duration_s"], format="sec")
    eh = ecl["header"]
    for shadow in ("umbra", "penumbra"):
        iv = eclipse_intervals(traj, t0, t1, shadow=shadow,
                               earth_radius_m=eh["occulting_body"]["radius_m"],
                               sun_radius_m=eh["sun_radius_m"], tol_s=0.01)
        evs = [e for e in ecl["events"] if e["shadow"] == shadow]
        entries = Time([e["epoch_utc"] for e in evs if e["event"] == "entry"], scale="utc")
        exits = Time([e["epoch_utc"] for e in evs if e["event"] == "exit"], scale="utc")
        begins = iv.begin[~iv.begin_clipped]
        ends = iv.end[~iv.end_clipped]
        out[shadow] = {
            "n_entries": (len(begins), len(entries)), "n_exits": (len(ends), len(exits)),
            "entry_s": np.abs((begins - entries).to_value("s")) if len(begins) == len(entries)
            else None,
            "exit_s": np.abs((ends - exits).to_value("s")) if len(ends) == len(exits) else None,
        }
    return out
