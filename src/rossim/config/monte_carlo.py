"""The ``[monte_carlo]`` section of a scenario: the uncertain inputs of ``rossim campaign``,
each a :class:`Dispersion` (distribution, parameters, flag and source). Part of
:class:`rossim.config.scenario.Scenario`; the draws are in :mod:`rossim.campaign.dispersions`
(docs/campaigns.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from rossim.config._schema import _Strict
from rossim.config._toml import FieldError

__all__ = ["Dispersion", "MonteCarlo"]


_DISTRIBUTION_PARAMETERS: dict[str, tuple[str, ...]] = {
    "constant": ("value",),
    "normal": ("mean", "sigma"),
    "uniform": ("low", "high"),
    "lognormal": ("mu", "sigma"),
    "triangular": ("low", "mode", "high"),
    "bernoulli": ("p",),
}


class Dispersion(_Strict):
    """One uncertain input of a Monte Carlo campaign: its distribution and its origin.

    ``distribution`` and its parameters: ``constant`` (value), ``normal`` (mean, sigma),
    ``uniform`` (low, high), ``lognormal`` (mu, sigma of the natural log), ``triangular``
    (low, mode, high), ``bernoulli`` (p). ``lag1_correlation`` is for the daily noise terms
    only (AR(1) day to day). ``source`` says where the numbers come from; ``flag`` is
    ``published`` or ``estimate`` as in the catalog.
    """

    distribution: Literal["constant", "normal", "uniform", "lognormal", "triangular",
                          "bernoulli"]
    value: float | None = None
    mean: float | None = None
    sigma: float | None = None
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mu: float | None = None
    p: float | None = None
    lag1_correlation: float = Field(default=0.0, ge=0, lt=1)
    source: str = Field(min_length=1)
    flag: Literal["published", "estimate"] = "estimate"

    @model_validator(mode="after")
    def _parameters(self) -> Dispersion:
        import math

        wanted = _DISTRIBUTION_PARAMETERS[self.distribution]
        for name in ("value", "mean", "sigma", "low", "high", "mode", "mu", "p"):
            v = getattr(self, name)
            if name in wanted:
                if v is None:
                    raise FieldError(name, None, f"a number (a {self.distribution} "
                                     f"distribution needs {', '.join(wanted)})")
                if not math.isfinite(v):
                    raise FieldError(name, v, "a finite number")
            elif v is not None:
                raise FieldError(name, v, f"no '{name}' for a {self.distribution} "
                                 f"distribution (it takes {', '.join(wanted)})")
        d = self.distribution
        if d in ("normal", "lognormal") and not self.sigma > 0:
            raise FieldError("sigma", self.sigma, "a number > 0")
        if d == "uniform" and not self.low < self.high:
            raise FieldError("high", self.high, f"a number > low ({self.low})")
        if d == "triangular" and not (self.low <= self.mode <= self.high
                                      and self.low < self.high):
            raise FieldError("mode", self.mode,
                             f"low <= mode <= high with low < high (low {self.low}, "
                             f"high {self.high})")
        if d == "bernoulli" and not 0.0 <= self.p <= 1.0:
            raise FieldError("p", self.p, "a probability from 0 to 1")
        return self


class MonteCarlo(_Strict):
    """The ``[monte_carlo]`` section: the uncertain inputs of ``rossim campaign``.

    Each entry is a :class:`Dispersion`; an absent entry keeps the scenario's nominal value.
    What each one acts on, and how often it is drawn (per run, per launch, per visit or per
    day), is fixed by rossim (:mod:`rossim.campaign.dispersions`, docs/campaigns.md):

    - ``solar_amplitude_scale`` (run): scale of the forecast solar cycle above 67 sfu;
    - ``solar_phase_shift_days`` (run): delay of the forecast cycle, days;
    - ``f107_daily_noise`` / ``ap_daily_noise`` (day): ln of the daily factor on F10.7 / Ap;
    - ``drag_coefficient`` (run): the station's C_D;
    - ``assembly_launch_slip_days`` (launch, sharing a ``launch_group``): delay of a module
      launch; ``assembly_launch_failure`` (launch): the module is lost and re-flown
      ``module_refly_days`` later;
    - ``cargo_launch_slip_days`` / ``cargo_ship_failure`` (cargo visit): delay; ship and
      cargo lost, its launcher stood down (its probability is also each cargo call-up's of
      the run, ``operations.callup_cargo_loss_probability``);
    - ``crew_launch_slip_days`` (crew visit): delay;
    - ``fault_rate_scale`` (run): factor on every random-fault rate;
    - ``crew_launch_abort`` (crew visit: the launch aborts, the crew re-flown later, its
      launcher stood down, :mod:`rossim.campaign.plan_failures`; and launch of a repair crew
      called up in the run: its probability is
      ``operations.callup_crew_launch_abort_probability``, the run draws each launch:
      :mod:`rossim.ops.callup_loss`).

    ``seed`` is the campaign seed used when ``rossim campaign`` gets no ``--seed``.
    """

    seed: int = Field(default=0, ge=0)
    solar_amplitude_scale: Dispersion | None = None
    solar_phase_shift_days: Dispersion | None = None
    f107_daily_noise: Dispersion | None = None
    ap_daily_noise: Dispersion | None = None
    drag_coefficient: Dispersion | None = None
    assembly_launch_slip_days: Dispersion | None = None
    assembly_launch_failure: Dispersion | None = None
    module_refly_days: Dispersion | None = None
    cargo_launch_slip_days: Dispersion | None = None
    cargo_ship_failure: Dispersion | None = None
    crew_launch_slip_days: Dispersion | None = None
    fault_rate_scale: Dispersion | None = None
    crew_launch_abort: Dispersion | None = None

    @model_validator(mode="after")
    def _kinds(self) -> MonteCarlo:
        for name in ("assembly_launch_failure", "cargo_ship_failure", "crew_launch_abort"):
            d = getattr(self, name)
            if d is not None and d.distribution not in ("bernoulli", "constant"):
                raise FieldError(f"{name}.distribution", d.distribution,
                                 "bernoulli (an event that happens or not)")
        for name in ("f107_daily_noise", "ap_daily_noise"):
            d = getattr(self, name)
            if d is not None and not (d.distribution == "normal" and d.mean == 0.0):
                raise FieldError(name, f"{d.distribution} (mean {d.mean})",
                                 "a normal distribution with mean 0 (of the log of the "
                                 "daily factor; sigma and lag1_correlation set its size)")
        for name in type(self).model_fields:
            d = getattr(self, name)
            if (isinstance(d, Dispersion) and d.lag1_correlation
                    and name not in ("f107_daily_noise", "ap_daily_noise")):
                raise FieldError(f"{name}.lag1_correlation", d.lag1_correlation,
                                 "0: only the daily noise terms are correlated day to day")
        return self
