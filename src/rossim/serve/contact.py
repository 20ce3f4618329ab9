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

MAX_WINDOWS = 5000     #: rows answered at most (the first or the last ones: ``keep``)
KINDS = ("ground", "relay")
KEEP = ("first", "last")


def _ms(t: np.ndarray) -> np.ndarray:
    return np.asarray(t, dtype="datetime64[ms]").astype(np.int64)


def contact_windows(source: Any, start_ms: int, end_ms: int, kinds: list[str] | None = None,
                    limit: int = MAX_WINDOWS, keep: str | None = None) -> dict[str, Any]:
    """Windows overlapping ``[start_ms, end_ms]`` of the links of ``kinds`` (default both):
    ``{"windows": [{"name", "kind", "aos", "los" (ms UTC), "duration_s",
    "max_elevation_deg" (None for relays)}...], "truncated": bool, "total": int}`` sorted by
    AOS; at most ``limit`` rows: the first ones (``keep`` ``first``, the default) or the last
    ones (``last``: the newest, what the page's table shows); ``total`` counts them all.
    Unknown kind or keep -> :class:`InputError` (a 400)."""
    kinds = list(kinds or KINDS)
    for k in kinds:
        if k not in KINDS:
            raise InputError("request", "kind", k, "ground or relay (comma-separated)")
    keep = keep or "first"
    if keep not in KEEP:
        raise InputError("request", "keep", keep, "first or last (which windows are kept "
                         f"when more than {limit} overlap the span)")
    if getattr(source, "mode", "") == "replay":
        rows, total = _from_archive(source, start_ms, end_ms, kinds, limit, keep == "last")
    else:
        rows, total = _from_engine(source, start_ms, end_ms, kinds, limit, keep == "last")
    return {"windows": rows, "truncated": total > len(rows), "total": total}


def _from_archive(source, start_ms, end_ms, kinds, limit, last) -> tuple[list, int]:
    cur = source.cursor()
    have = cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                       "'main' AND table_name = 'contact_windows'").fetchone()[0]
    if not have:
        return [], 0
    marks = ", ".join("?" for _ in kinds)
    where = (f"FROM contact_windows WHERE kind IN ({marks}) AND los >= make_timestamp(? * 1000) "
             "AND aos <= make_timestamp(? * 1000)")
    args = [*kinds, int(start_ms), int(end_ms)]
    total = int(cur.execute(f"SELECT count(*) {where}", args).fetchone()[0])
    order = "aos DESC, name DESC" if last else "aos, name"
    rows = cur.execute(
        "SELECT name, kind, epoch_ms(aos), epoch_ms(los), duration_s, max_elevation_deg "
        f"{where} ORDER BY {order} LIMIT ?", [*args, int(limit)]).fetchall()
    rows = rows[::-1] if last else rows
    return [{"name": n, "kind": k, "aos": int(a), "los": int(b), "duration_s": float(d),
             "max_elevation_deg": None if e is None or e != e else round(float(e), 2)}
            for n, k, a, b, d, e in rows], total


def _from_engine(source, start_ms, end_ms, kinds, limit, last) -> tuple[list, int]:
    sim = getattr(getattr(source, "adapter", None), "sim", None)
    model = getattr(sim, "contact", None)
    if model is None or not hasattr(model, "windows"):
        return [], 0
    with source._lock:                       # the engine advances under the same lock
        w = model.windows()
    aos = _ms(sim.engine.epochs(w["aos_s"]))
    los = _ms(sim.engine.epochs(w["los_s"]))
    k = np.flatnonzero(np.isin(w["kind"], kinds) & (los >= start_ms) & (aos <= end_ms))
    total = len(k)
    k = k[-limit:] if last else k[:limit]
    return [{"name": str(w["name"][i]), "kind": str(w["kind"][i]), "aos": int(aos[i]),
             "los": int(los[i]), "duration_s": float(w["duration_s"][i]),
             "max_elevation_deg": (None if not np.isfinite(w["max_elevation_deg"][i])
                                   else round(float(w["max_elevation_deg"][i]), 2))}
            for i in k], total
