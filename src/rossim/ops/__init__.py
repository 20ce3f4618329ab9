"""Operations: the station as a closed-loop, commandable system.

:class:`Simulation` (step by step) and :func:`simulate` (a whole run) live in
:mod:`rossim.ops.simulation`; the command set in :mod:`rossim.ops.commands`; the engine in
:mod:`rossim.ops.engine`.
"""

from rossim.ops.commands import (
    CommandResult,
    DeployFreeFlyer,
    Dock,
    InjectFault,
    LoadRestore,
    LoadShed,
    Reboost,
    Relocate,
    Repair,
    RobotTask,
    SafeMode,
    SetAttitude,
    StartActivity,
    StopActivity,
    Undock,
)
from rossim.ops.simulation import Simulation, SimulationResult, simulate

__all__ = [
    "Simulation", "SimulationResult", "simulate", "CommandResult", "Reboost", "SetAttitude",
    "LoadShed", "LoadRestore", "Dock", "Undock", "Relocate", "StartActivity", "StopActivity",
    "InjectFault", "Repair", "RobotTask", "DeployFreeFlyer", "SafeMode",
]
