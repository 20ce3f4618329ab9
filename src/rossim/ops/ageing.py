"""Ageing of the station's units: failure-time draws and failure acceleration.

Every unit draws its life (:func:`time_to_failure_h`): exponential with mean its MTBF
(constant rate), or Weibull with the component's ``weibull_shape``. Failures driven by the
station's state (accelerated failure time: each unit draws its life in nominal hours; it is
used up at ``AF`` nominal hours per hour, ``AF`` re-read every
``reliability.acceleration_update_days``, :class:`AgeingMixin` of
:class:`rossim.ops.fdir.Reliability`):

- temperature (components with ``activation_energy_ev``): Arrhenius as in MIL-HDBK-217F,
  ``AF_T = exp(Ea / k_B (1 / T_ref - 1 / T))`` (:func:`arrhenius_factor`), ``T`` the carrying
  module's temperature from ``sim.module_temperature_c(module)`` (the thermal model; the
  reference temperature when the simulation has none or it returns None);
- battery cycling (``dod_ageing``): ``AF_DoD = (DoD / DoD_ref)^k`` (Woehler cycle-life
  curve, :func:`dod_factor`), DoD the mean per-orbit depth of discharge
  (:func:`mean_orbit_dod`) of the power model's state of charge over the last interval (the
  reference DoD without a power model).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from rossim.config.systems import Component

#: Boltzmann constant (eV/K), CODATA 2018.
K_B_EV = 8.617333262e-5


def arrhenius_factor(temperature_c: float, activation_energy_ev: float,
                     reference_c: float = 25.0) -> float:
    """Failure-rate acceleration at ``temperature_c`` against ``reference_c`` (MIL-HDBK-217F
    temperature factor ratio): ``exp(Ea / k_B (1 / T_ref - 1 / T))``, temperatures in K."""
    t = float(temperature_c) + 273.15
    t0 = float(reference_c) + 273.15
    return math.exp(activation_energy_ev / K_B_EV * (1.0 / t0 - 1.0 / t))


def dod_factor(dod: float, reference_dod: float, exponent: float) -> float:
    """Failure-rate acceleration of a battery cycled at depth of discharge ``dod`` against
    ``reference_dod`` (Woehler cycle life ``N ~ DoD^-k``): ``(dod / reference_dod)^k``."""
    return (max(float(dod), 0.01) / reference_dod) ** exponent


def mean_orbit_dod(soc_min: np.ndarray, soc_max: np.ndarray) -> float | None:
    """Mean per-orbit depth of discharge from 10-minute state-of-charge bins (min and max per
    bin): max - min over consecutive 90-minute windows (9 bins), averaged; None if shorter
    than one window."""
    k = len(soc_min) // 9
    if k == 0:
        return None
    lo = np.asarray(soc_min[:9 * k], float).reshape(k, 9).min(axis=1)
    hi = np.asarray(soc_max[:9 * k], float).reshape(k, 9).max(axis=1)
    return float((hi - lo).mean())


def time_to_failure_h(rng: np.random.Generator, mtbf_h: float, shape: float = 1.0,
                      size=None):
    """Random time(s) to failure (h) with mean ``mtbf_h``: exponential for ``shape == 1``,
    else Weibull of that shape with scale ``mtbf_h / Gamma(1 + 1/shape)``."""
    if shape == 1.0:
        return rng.exponential(mtbf_h, size)
    return rng.weibull(shape, size) * (mtbf_h / math.gamma(1.0 + 1.0 / shape))


class AgeingMixin:
    """Failure acceleration of :class:`rossim.ops.fdir.Reliability` (its state: ``sim``,
    ``life``, ``random``, ``update_s``, ``_accel_scheduled``; ``_schedule_failure``)."""

    def _accelerated(self) -> bool:
        return any(c.activation_energy_ev is not None or c.dod_ageing
                   for c in self.sim.systems.component)

    def _schedule_acceleration(self) -> None:
        if self._accel_scheduled or not self.random or not self._accelerated():
            return
        if not callable(getattr(self.sim, "module_temperature_c", None)) and \
                getattr(self.sim, "power", None) is None:
            return  # nothing to re-read: every factor stays at its reference
        self._accel_scheduled = True
        eng = self.sim.engine
        t = eng.now_s + self.update_s
        if t < eng.t_end_s:
            eng.schedule(t, lambda e: self._update_acceleration(), "failure acceleration")

    def _update_acceleration(self) -> None:
        """Re-read the temperature and depth-of-discharge factors; each working unit's
        remaining nominal life is used up at its new factor from now on."""
        self._accel_scheduled = False
        now = self.sim.engine.now_s
        factors: dict[tuple[str, str], float] = {}
        comps = {c.id: c for c in self.sim.systems.component}
        for key, rec in list(self.life.items()):
            cid, where, _u = key
            comp = comps[cid]
            if (cid, where) not in factors:
                factors[(cid, where)] = self.acceleration(comp, where)
            rec[0] = max(rec[0] - (now - rec[1]) / 3600.0 * rec[2], 0.0)
            rec[1] = now
            if factors[(cid, where)] != rec[2]:
                rec[2] = factors[(cid, where)]
                self._schedule_failure(comp, where, key[2])
        self._schedule_acceleration()

    def site_module(self, where: str) -> str:
        """The module whose temperature a set of units sees (``station`` sets: the core if
        attached, else the first module)."""
        if where != "station":
            return where
        mods = self.sim.config.modules
        return "core" if "core" in mods else mods[0]

    def acceleration(self, comp: Component, where: str) -> float:
        """Failure-rate factor of ``comp``'s units on ``where`` now (1 at the reference
        temperature and depth of discharge)."""
        rel = self.sim.systems.reliability
        af = 1.0
        if comp.activation_energy_ev is not None:
            fn = getattr(self.sim, "module_temperature_c", None)
            temp = fn(self.site_module(where)) if callable(fn) else None
            if temp is not None and math.isfinite(float(temp)):
                af *= arrhenius_factor(min(max(float(temp), -100.0), 200.0),
                                       comp.activation_energy_ev.value,
                                       rel.reference_temperature_c.value)
        if comp.dod_ageing:
            dod = self.recent_dod()
            if dod is not None:
                af *= dod_factor(dod, rel.battery_reference_dod.value,
                                 rel.battery_dod_exponent.value)
        return af

    def recent_dod(self) -> float | None:
        """Mean per-orbit depth of discharge (max - min state of charge over 90-minute
        windows of the power model's 10-minute bins) over the last update interval; the
        simulation's ``fixed_dod`` if it has one (:class:`ReliabilityRun`); None without a
        power model or bins."""
        fixed = getattr(self.sim, "fixed_dod", None)
        if fixed is not None:
            return float(fixed)
        power = getattr(self.sim, "power", None)
        bins = getattr(power, "bins", None)
        if not bins or not bins.get("t_s"):
            return None
        since = self.sim.engine.now_s - self.update_s
        lo, hi, n = [], [], 0
        for t, a, b in zip(reversed(bins["t_s"]), reversed(bins["soc_min"]),
                           reversed(bins["soc_max"]), strict=True):
            lo.append(a[t >= since])
            hi.append(b[t >= since])
            n += 1
            if len(t) and t[0] < since:
                break
        lo = np.concatenate(lo[::-1]) if lo else np.zeros(0)
        hi = np.concatenate(hi[::-1]) if hi else np.zeros(0)
        return mean_orbit_dod(lo, hi)
