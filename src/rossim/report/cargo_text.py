"""The report's cargo-flight count, split the way the report's tables list the flights."""

from __future__ import annotations

from typing import Any

__all__ = ["cargo_flights_sentence"]


def cargo_flights_sentence(lg: dict[str, Any]) -> str:
    """"N cargo flights: P planned by demand, C called up in the run[, S scheduled in the
    scenario]" from the run's ``logistics`` summary (:func:`rossim.ops.logistics.
    logistics_summary`): ``cargo_flights`` counts every cargo ship that docked, the plan's
    ``flight_list`` the flights planned by demand, the call-ups' ``flight_list`` those the run
    called up (only the docked ones count here). The parts add up to the total; if they cannot
    (a planned flight past the run's end), the sentence says what each list holds."""
    total = int(lg.get("cargo_flights", 0))
    planned = len((lg.get("plan") or {}).get("flight_list", [])) if lg.get("cargo_by_demand") \
        else 0
    called = sum(1 for f in (lg.get("callups") or {}).get("flight_list", [])
                 if f.get("state") == "docked")
    parts = []
    if planned:
        parts.append(f"{planned} planned by demand (rossim.station.logistics)")
    if called:
        parts.append(f"{called} called up in the run (rossim.ops.cargo_callup)")
    other = total - planned - called
    if other < 0:
        return (f"{total} cargo flights docked; the demand plan lists {planned} and the run "
                f"called up {called} (the rest did not dock within the run)")
    if other and parts:
        parts.append(f"{other} scheduled in the scenario")
    word = "flight" if total == 1 else "flights"
    return f"{total} cargo {word}" + (": " + ", ".join(parts) if parts else "")
