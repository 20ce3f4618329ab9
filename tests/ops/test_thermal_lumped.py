"""One-node thermal balance (rossim.systems.thermal) against textbook closed forms.

References (tolerances in the asserts):
- Black sphere at 1 AU far from any planet: T = (S / (4 sigma))^(1/4) = 278.3 K for
  S = 1361 W/m^2 (Gilmore, *Spacecraft Thermal Control Handbook*, vol. 1, ch. 2; any
  radiative-equilibrium textbook), within 0.1 K.
- Radiative cool-down of an unheated node: t = m c (T^-3 - T0^-3) / (3 eps sigma A) (closed
  form of m c dT/dt = -eps sigma A T^4), within 0.5 %.
- ISS order: the ISS's external active thermal control rejects up to about 70 kW through its
  radiators (NASA ISS EATCS fact sheet); a module-sized node (about 20 t, 4.1 m x 13 m, MLI
  emittance 0.05 plus radiators) at 400 km carries its few-kW dissipation at room temperature
  only with radiator area, i.e. kilowatts per module, far below that 70 kW (order check).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from rossim.systems.thermal import (
    SIGMA_W_M2_K4,
    SOLAR_W_M2,
    absorbed_w,
    cool_down,
    earth_view_factor,
    equilibrium_temperature_k,
)


def test_black_sphere_at_one_au():
    area = 4 * math.pi  # unit sphere
    q = SOLAR_W_M2 * math.pi  # its cross-section
    assert equilibrium_temperature_k(q, area, 1.0) == pytest.approx(278.3, abs=0.1)


def test_unheated_node_cools_as_the_closed_form():
    t0, area, eps, mc = 293.0, 200.0, 0.3, 20000.0 * 900.0
    temps = cool_down(t0, 0.0, area, eps, mc, hours=240.0, step_s=60.0)
    t_end = temps[-1]
    t_closed = mc * (t_end ** -3 - t0 ** -3) / (3 * eps * SIGMA_W_M2_K4 * area)
    assert t_closed == pytest.approx(240.0 * 3600.0, rel=0.005)
    assert np.all(np.diff(temps) < 0)


def test_module_heat_rejection_is_the_iss_order():
    area = 2 * math.pi * 2.05 * 13.0 + 2 * math.pi * 2.05 ** 2
    env = absorbed_w(area, alpha=0.3, eps=0.8, altitude_km=400.0, sunlit_fraction=0.62)
    # what one module must reject at 20 degC with 3 kW inside
    reject = env + 3000.0
    assert 0.25 < earth_view_factor(400.0) < 0.4
    assert 5e3 < reject < 70e3  # kilowatts per module, below the ISS's 70 kW
