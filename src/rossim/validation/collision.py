"""Collision probability (:mod:`rossim.fleet.collision`) against published cases:
``tests/data/fleet/pc2d_cases.csv`` (Chan 2008 and LAAS-2015 exact values, Alfano 2009 cases
as in Orekit's test suite) and ``pc3d_cases.csv`` (NASA CARA's Omitron case 01 from full 3-D
states and covariances). Asserted in ``tests/fleet/test_fleet_collision.py``."""

from __future__ import annotations

import numpy as np

from rossim.validation._data import read_csv

__all__ = ["pc2d_cases", "pc2d_case", "cara_3d_case"]


def pc2d_cases() -> list[dict[str, str]]:
    """The rows of ``pc2d_cases.csv`` (``case``, miss and sigmas in m, ``pc_expected``)."""
    return read_csv("fleet", "pc2d_cases.csv")


def pc2d_case(row: dict[str, str]) -> tuple[float, float]:
    """``(rossim's Pc, published Pc)`` of one 2-D case (principal axes)."""
    from rossim.fleet.collision import pc_circle

    pc = pc_circle(*(float(row[k]) for k in ("xm_m", "ym_m", "sigma_x_m", "sigma_y_m",
                                              "hbr_m")))
    return pc, float(row["pc_expected"])


def cara_3d_case() -> tuple[float, float]:
    """rossim's Pc for CARA's Omitron case 01 from its 3-D states and covariances, and the
    published value: ``(pc, expected)``."""
    from rossim.fleet.collision import encounter

    rows = read_csv("fleet", "pc3d_cases.csv")
    objs = {}
    for r in rows:
        c = [float(r[k]) for k in ("c11", "c12", "c13", "c22", "c23", "c33")]
        cov = np.array([[c[0], c[1], c[2]], [c[1], c[3], c[4]], [c[2], c[4], c[5]]])
        objs[r["object"]] = (np.array([float(r[k]) for k in "xyz"]),
                             np.array([float(r[k]) for k in ("vx", "vy", "vz")]), cov)
    enc = encounter(*objs["1"], *objs["2"], float(rows[0]["hbr_km"]))  # km, as CARA's case
    return enc.pc, float(rows[0]["pc_expected"])
