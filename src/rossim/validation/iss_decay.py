"""The ISS's altitude loss between reboosts, January-April 2023: observed in the TLE history
(``tests/data/iss/iss-tle-2023-01-to-04.txt``, Space-Track) against rossim's propagator with
the mass and drag area of the NASA/JSC ephemeris (``iss-oem-2022-01-17-hourly.txt``), the
drag coefficient of ``rossim/data/iss/configurations.toml`` (2.2, the station's own; the
header's DRAG_COEFF 2.5 is JSC's tuning value for its own density model, docs/drag.md) and the
historical space weather (:func:`rossim.analysis.decay_check.decay_check`). Asserted in
``tests/dynamics/test_iss_decay.py``; printed in docs/validation.md."""

from __future__ import annotations

from rossim.validation._data import reference_data

__all__ = ["iss_ballistic", "iss_decay_cd", "iss_decay_intervals"]


def iss_ballistic() -> dict[str, float]:
    """``cd``, ``area_m2``, ``mass_kg`` from the comments of the NASA/JSC ephemeris."""
    from rossim.files.kvn import comment_values
    from rossim.files.oem import read_oem

    values = comment_values(read_oem(reference_data("iss", "iss-oem-2022-01-17-hourly.txt"))
                            .all_comments())
    return {"cd": float(values["DRAG_COEFF"]), "area_m2": float(values["DRAG_AREA"]),
            "mass_kg": float(values["MASS"])}


def iss_decay_cd() -> float:
    """The drag coefficient of the prediction: that of the header's configuration in
    ``rossim/data/iss/configurations.toml`` (2.2), not the header's DRAG_COEFF."""
    from rossim.analysis.drag_validation import iss_configurations

    return [c for c in iss_configurations() if c.name == "prichal-2022"][0].cd


def iss_decay_intervals() -> list:
    """The intervals between reboosts with observed and predicted loss
    (:class:`rossim.analysis.decay_check` rows: ``start``, ``days``, ``observed_km``,
    ``predicted_km``, ``ratio``), with the header's mass and drag area and
    :func:`iss_decay_cd`."""
    from rossim.analysis.decay_check import decay_check
    from rossim.files.tle import read_tles

    ballistic = dict(iss_ballistic(), cd=iss_decay_cd())
    return decay_check(read_tles(reference_data("iss", "iss-tle-2023-01-to-04.txt")),
                       **ballistic)
