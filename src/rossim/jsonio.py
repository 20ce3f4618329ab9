"""Strict JSON out: every JSON text rossim writes (files, stdout, server responses).

JSON (RFC 8259) has no NaN or infinity; Python's ``json`` writes them as the bare words
``NaN``/``Infinity`` by default, which strict parsers (JavaScript's ``JSON.parse``, jq, Go,
Rust's serde) reject. Here every non-finite float becomes ``null`` and the encoder runs with
``allow_nan=False``, so a non-finite value that slipped past the mapping is an error, never
a file no strict parser reads. Date-times become ISO 8601 text (``Z`` for UTC), NumPy
scalars and arrays plain numbers and lists.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

import numpy as np

from rossim.fileio import atomic_write_text

__all__ = ["json_safe", "dumps_json", "write_json"]


def json_safe(obj: Any) -> Any:
    """``obj`` with every non-finite float (NaN, +-inf; Python or NumPy) replaced by ``None``;
    NumPy arrays and scalars become lists and Python numbers. Dicts, lists and tuples are
    walked; other objects are returned unchanged (the encoder's ``default`` handles them)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, np.floating):
        v = float(obj)
        return v if math.isfinite(v) else None
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_safe(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return json_safe(obj.tolist())
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def _default(obj: Any) -> Any:
    if isinstance(obj, dt.datetime):
        return obj.isoformat().replace("+00:00", "Z")
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, np.ndarray | np.generic):
        return json_safe(obj)
    if isinstance(obj, PurePath):
        return str(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps_json(data: Any, *, compact: bool = False,
               default: Callable[[Any], Any] | None = None) -> str:
    """Strict, deterministic JSON text of ``data``.

    Sorted keys; ``compact=False``: indent 2 (files people read), ``compact=True``: no
    whitespace (server responses, values stored in a table). Non-finite floats become
    ``null``; ``allow_nan=False`` guards the rest. ``default`` converts objects the built-in
    rules (date-times, NumPy, paths) do not know; without it such an object is a
    ``TypeError``.
    """
    def _fallback(obj: Any) -> Any:
        try:
            return _default(obj)
        except TypeError:
            if default is None:
                raise
            return json_safe(default(obj))

    layout = {"separators": (",", ":")} if compact else {"indent": 2}
    try:  # fast path (C encoder, no walk): most data has no non-finite float
        return json.dumps(data, default=_fallback, sort_keys=True, ensure_ascii=False,
                          allow_nan=False, **layout)
    except ValueError:  # a NaN or infinity somewhere: map them to null and encode again
        return json.dumps(json_safe(data), default=_fallback, sort_keys=True,
                          ensure_ascii=False, allow_nan=False, **layout)


def write_json(target: str | os.PathLike[str], data: Any, *,
               default: Callable[[Any], Any] | None = None) -> None:
    """Write ``data`` as strict JSON (:func:`dumps_json`, a final newline) to ``target``
    atomically (:func:`rossim.fileio.atomic_write_text`)."""
    atomic_write_text(target, dumps_json(data, default=default) + "\n")
