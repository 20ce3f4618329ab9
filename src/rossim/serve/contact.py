"""Contact windows for the mission-control contact panel (``GET /api/contact``).

Replay: rows of the archive's ``contact_windows`` table (:mod:`rossim.ops.contact`: every
AOS/LOS of every ground station and Luch-5 relay, refined to 1 ms) overlapping the time window
asked. Live: the same rows from the running engine's contact model so far. An archive written
before the table existed answers an empty list.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rossim.errors import InputError

__all__ = ["contact_windows", "MAX_WINDOWS", "KINDS"]

MAX_WINDOWS = 5000     #: rows answered at most (the newest first are kept in order)
KINDS = ("ground", "relay")


def _ms(t: np.ndarray) -> np.ndarray:
    return np.asarray(t, dtype="datetime64[ms]").astype(np.int64)


def contact_windows(source: Any, start_ms: int, end_ms: int, kinds: list[str] | None = None,
                    limit: int = MAX_WINDOWS) -> dict[str, Any]:
    """Windows overlapping ``[start_ms, end_ms]`` of the links of ``kinds`` (default both):
    ``{"windows": [{"name", "kind", "aos", "los" (ms UTC), "duration_s",
    "max_elevation_deg" (None for relays)}...], "truncated": bool}`` sorted by AOS; at most
    ``limit`` rows (the first ones). Unknown kind -> :class:`InputError` (a 400)."""
    kinds = list(kinds or KINDS)
    for k in kinds:
        if k not in KINDS:
            raise InputError("request", "kind", k, "ground or relay (comma-separated)")
    if getattr(source, "mode", "") == "replay":
        rows = _from_archive(source, start_ms, end_ms, kinds, limit + 1)
    else:
        rows = _from_engine(source, start_ms, end_ms, kinds, limit + 1)
    return {"windows": rows[:limit], "truncated": len(rows) > limit}


def _from_archive(source, start_ms, end_ms, kinds, limit) -> list[dict[str, Any]]:
    cur = source.cursor()
    have = cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                       "'main' AND table_name = 'contact_windows'").fetchone()[0]
    if not have:
        return []
    marks = ", ".join("?" for _ in kinds)
    rows = cur.execute(
        "SELECT name, kind, epoch_ms(aos), epoch_ms(los), duration_s, max_elevation_deg "
        f"FROM contact_windows WHERE kind IN ({marks}) AND los >= make_timestamp(? * 1000) "
        "AND aos <= make_timestamp(? * 1000) ORDER BY aos, name LIMIT ?",
        [*kinds, int(start_ms), int(end_ms), int(limit)]).fetchall()
    return [{"name": n, "kind": k, "aos": int(a), "los": int(b), "duration_s": float(d),
             "max_elevation_deg": None if e is None or e != e else round(float(e), 2)}
            for n, k, a, b, d, e in rows]


def _from_engine(source, start_ms, end_ms, kinds, limit) -> list[dict[str, Any]]:
    sim = getattr(getattr(source, "adapter", None), "sim", None)
    model = getattr(sim, "contact", None)
    if model is None or not hasattr(model, "windows"):
        return []
    with source._lock:                       # the engine advances under the same lock
        w = model.windows()
    aos = _ms(sim.engine.epochs(w["aos_s"]))
    los = _ms(sim.engine.epochs(w["los_s"]))
    k = np.flatnonzero(np.isin(w["kind"], kinds) & (los >= start_ms) & (aos <= end_ms))[:limit]
    return [{"name": str(w["name"][i]), "kind": str(w["kind"][i]), "aos": int(aos[i]),
             "los": int(los[i]), "duration_s": float(w["duration_s"][i]),
             "max_elevation_deg": (None if not np.isfinite(w["max_elevation_deg"][i])
                                   else round(float(w["max_elevation_deg"][i]), 2))}
            for i in k]
