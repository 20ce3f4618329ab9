"""How a run records its scenario file, and how readers find it again.

A run archive's ``run_info.scenario_file`` must still lead to the scenario when the archive is
read from another working directory (``rossim export``, ``rossim serve``). It holds the shipped
scenario's *name* (``ros-51.6``) when the run used a shipped scenario, else the file's absolute
path. Archives written before this rule hold a path relative to where the run was started;
:func:`find_recorded_scenario` still tries those (from here, then from the archive's folders).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["recorded_scenario_file", "find_recorded_scenario"]


def recorded_scenario_file(source_path: str | Path | None) -> str:
    """The form to record for a scenario loaded from ``source_path``: the shipped scenario's
    name when it is one of :func:`rossim.config.scenario.shipped_scenarios`, else the absolute
    path; ``""`` when unknown (a scenario built in memory)."""
    if not source_path:
        return ""
    from rossim.config.scenario import shipped_scenarios

    p = Path(source_path).resolve()
    if p.parent == Path(shipped_scenarios()).resolve() and p.suffix == ".toml":
        return p.stem
    return str(p)


def find_recorded_scenario(recorded: str | None, archive: str | Path | None = None
                           ) -> Path | None:
    """The scenario file a run recorded (a shipped name, an absolute path, or an old relative
    path: tried from the working directory, then from the archive's folder and its parents),
    or ``None`` when it cannot be found from here."""
    if not recorded:
        return None
    from rossim.config.scenario import shipped_scenarios

    p = Path(recorded)
    if p.parent == Path(".") and p.suffix != ".toml":   # "ros-51.6" has a suffix ".6"
        shipped = Path(shipped_scenarios()) / f"{recorded}.toml"
        if shipped.is_file():
            return shipped
    candidates = [p]
    if not p.is_absolute() and archive is not None:
        here = Path(archive).resolve()
        candidates += [folder / p for folder in here.parents]
    return next((c for c in candidates if c.is_file()), None)
