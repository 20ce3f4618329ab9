"""Calibration of the trapped-proton level of the dose model on measured doses.

:func:`fit_trapped_proton_scale` is how :data:`rossim.analysis.dose.TRAPPED_PROTON_SCALE` is
calibrated (docs/dose.md, *Calibration*); it stays importable from :mod:`rossim.analysis.dose`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rossim.analysis.dose import PRESSURISED_MODULE_G_CM2, circular_orbit_dose
from rossim.errors import InputError

__all__ = ["fit_trapped_proton_scale"]


def fit_trapped_proton_scale(cases: list[dict[str, Any]], *, days: float = 5.0,
                             shielding_g_cm2: float = PRESSURISED_MODULE_G_CM2,
                             **kwargs: Any) -> dict[str, Any]:
    """The factor on the trapped-proton dose at which the model matches measured doses.

    ``cases``: dicts with ``altitude_km``, ``inclination_deg``, ``date`` and
    ``measured_mGy_per_day`` (absorbed, inside a spacecraft). Runs :func:`circular_orbit_dose`
    over ``days`` once per case with the factor 1 (extra keywords go to it) and solves for the
    factor at which the mean of ``log(model / measured)`` is zero (geometric-mean ratio 1); the
    dose is linear in the factor. This is how
    :data:`rossim.analysis.dose.TRAPPED_PROTON_SCALE` is calibrated.

    Returns ``scale``, the model/measured ``ratios`` at it and ``rms_log`` (the scatter the
    one parameter leaves).
    """
    from scipy.optimize import brentq

    if not cases:
        raise InputError("argument", "cases", cases, "at least one measurement")
    parts = []
    for c in cases:
        s = circular_orbit_dose(float(c["altitude_km"]), float(c["inclination_deg"]),
                                date=c["date"], days=days, shielding_g_cm2=shielding_g_cm2,
                                trapped_proton_scale=1.0, **kwargs).summary()
        tp = s["by_source"]["trapped_protons"]["absorbed_mGy_per_day"]
        parts.append((tp, s["absorbed_mGy_per_day"] - tp, float(c["measured_mGy_per_day"])))
    a, b, m = (np.array(x) for x in zip(*parts, strict=True))

    def mean_log(f: float) -> float:
        return float(np.mean(np.log((f * a + b) / m)))

    if mean_log(0.0) > 0 or mean_log(1e3) < 0:
        raise InputError("argument", "cases", len(cases),
                         "measurements between the model without and with 1000x trapped protons")
    f = float(brentq(mean_log, 0.0, 1e3, xtol=1e-6))
    r = (f * a + b) / m
    return {"scale": f, "ratios": r.tolist(), "rms_log": float(np.sqrt(np.mean(np.log(r) ** 2)))}
