"""The ``[operations]`` section of a scenario (settings of ``rossim run``), its injected
``faults`` and the ``[[solar_particle_events]]``. Part of
:class:`rossim.config.scenario.Scenario` (moved here from that module, which re-exports them)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from rossim.config._schema import UTCDate, _Strict
from rossim.config.stand_down import LauncherStandDown

__all__ = ["InjectedFault", "Operations", "SolarParticleEventEntry"]


class SolarParticleEventEntry(_Strict):
    """A solar particle event for the crew-dose model (King 1972 spectrum x ``scale``)."""

    start: UTCDate
    duration_days: float = Field(default=2.0, gt=0, le=30)
    scale: float = Field(default=1.0, ge=0, le=100)


class InjectedFault(_Strict):
    """A fault the scenario injects: ``component`` (an id of catalog/systems.toml) fails at
    ``at``."""

    component: str
    at: UTCDate


class Operations(_Strict):
    """Settings of the operations simulation (``rossim run``). Defaults are the reference
    choices documented in docs/operations.md."""

    cd: float = Field(default=2.2, gt=0, le=5)
    space_weather: Literal["historical", "constant"] = "historical"
    f107: float = Field(default=150.0, ge=50, le=400)  # MSIS range: spaceweather.F107_*_SFU
    f107a: float = Field(default=150.0, ge=50, le=400)
    ap: float = Field(default=15.0, ge=0, le=400)
    atmosphere: Literal["nrlmsise00", "msis2.0", "msis2.1"] = "msis2.1"  # docs/drag.md
    power_step_s: float = Field(default=60.0, ge=10, le=600)
    random_faults: bool = True
    faults: list[InjectedFault] = Field(default_factory=list)
    # Dispersion knobs (set by `rossim campaign` for each run; the defaults are the nominal
    # run). Forecast days only: F10.7 -> 67 + amplitude_scale * (F10.7 - 67) sfu, read
    # phase_shift_days later (a positive shift delays the cycle); daily log-normal AR(1)
    # noise of F10.7 and Ap (sigma of ln, lag-1 correlation). See
    # rossim.environment.spaceweather.dispersed_weather and docs/campaigns.md.
    solar_amplitude_scale: float = Field(default=1.0, gt=0, le=5)
    solar_phase_shift_days: float = Field(default=0.0, ge=-2000, le=2000)
    f107_noise_sigma: float = Field(default=0.0, ge=0, le=1)
    f107_noise_lag1: float = Field(default=0.0, ge=0, lt=1)
    ap_noise_sigma: float = Field(default=0.0, ge=0, le=2)
    ap_noise_lag1: float = Field(default=0.0, ge=0, lt=1)
    # Random-fault rates x this factor (every component's MTBF / fault_rate_scale).
    fault_rate_scale: float = Field(default=1.0, gt=0, le=100)
    #: Accept phases whose end-of-life energy balance at their worst beta is negative (a
    #: deliberately undersized station): ``rossim validate`` and ``run`` refuse them otherwise.
    accept_power_deficit: bool = False
    assume_relay_replacements: bool = False  # Luch-5 successors in the slots (sites.toml)
    repair_crew_callup: bool = True  # a crew called up when the station drifts (ops.crew_callup)
    departure_reboost: bool = True  # a departing Progress's reserve reboosts (ops.departure_reboost)
    # Per-launch probabilities that a ship called up in the run is lost at launch (a cargo
    # call-up: ship and cargo lost) or its crew launch aborts (a repair crew: crew recovered,
    # flies again later): rossim.ops.callup_loss. 0: never (set by `rossim campaign` from
    # [monte_carlo] cargo_ship_failure and crew_launch_abort; docs/campaigns.md).
    callup_cargo_loss_probability: float = Field(default=0.0, ge=0, le=1)
    callup_crew_launch_abort_probability: float = Field(default=0.0, ge=0, le=1)
    # Launchers grounded after a failure (set by `rossim campaign` for the plan's own losses):
    # the ships a run calls up keep them (rossim.config.stand_down, rossim.ops.launcher_stand_down).
    launcher_stand_downs: tuple[LauncherStandDown, ...] = ()
